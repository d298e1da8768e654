/* test-lab-listen.c — the live view's listener against a real PostgreSQL server (run inside
 * pg-cluster.sh): events arrive through NOTIFY in a GMainContext, each once; an event whose
 * id is lower than one already delivered (its transaction committed later) is not lost; after
 * pg_terminate_backend of the listener's connection it reconnects, LISTENs again and catches
 * up on the events it missed, none lost and none twice.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "lab-test-utils.h"
#include "lk-lab-listen-private.h"
#include "tests/lk-test-utils.h"

/* The callbacks must run in the main context's thread, also while it is not iterating. */
static GThread *main_thread;

typedef struct {
  GHashTable *seen;       /* id -> times delivered */
  GArray     *order;
  guint       ups;
  guint       downs;
} Seen;

static void
event_cb (LkLabListen      *listen,
          const LkLabEvent *event,
          gpointer          user_data)
{
  Seen *s = user_data;
  guint n = GPOINTER_TO_UINT (g_hash_table_lookup (s->seen, &event->id));

  g_assert_true (g_thread_self () == main_thread);
  g_assert_nonnull (event->kind);
  g_assert_cmpint (event->at_us, >, 0);
  g_hash_table_insert (s->seen, g_memdup2 (&event->id, sizeof event->id),
                       GUINT_TO_POINTER (n + 1));
  g_array_append_val (s->order, event->id);
}

static void
status_cb (LkLabListen *listen,
           gboolean     connected,
           const char  *message,
           gpointer     user_data)
{
  Seen *s = user_data;

  g_assert_true (g_thread_self () == main_thread);
  g_test_message ("listener %s%s%s", connected ? "up" : "down", message != NULL ? ": " : "",
                  message != NULL ? message : "");
  if (connected)
    s->ups++;
  else
    {
      g_assert_nonnull (message);
      s->downs++;
    }
}

static void
seen_init (Seen *s)
{
  s->seen = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  s->order = g_array_new (FALSE, FALSE, sizeof (gint64));
}

static void
seen_clear (Seen *s)
{
  g_hash_table_unref (s->seen);
  g_array_unref (s->order);
}

static guint
times_seen (Seen   *s,
            gint64  id)
{
  return GPOINTER_TO_UINT (g_hash_table_lookup (s->seen, &id));
}

static gboolean
tick_cb (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

/* Runs the main context until @done says so; fails after 60 s. */
static void
run_until (gboolean (*done) (Seen *s, gpointer data),
           Seen      *s,
           gpointer   data)
{
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  guint tick = g_timeout_add (100, tick_cb, NULL);

  g_test_message ("waiting: %u delivered, %u up, %u down", s->order->len, s->ups, s->downs);
  while (!done (s, data))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
  g_source_remove (tick);
}

static gboolean
is_up (Seen    *s,
       gpointer data)
{
  return s->ups >= GPOINTER_TO_UINT (data);
}

static gboolean
is_down (Seen    *s,
         gpointer data)
{
  return s->downs >= GPOINTER_TO_UINT (data);
}

static gboolean
has_all (Seen    *s,
         gpointer data)
{
  GArray *ids = data;

  for (guint i = 0; i < ids->len; i++)
    if (times_seen (s, g_array_index (ids, gint64, i)) == 0)
      return FALSE;
  return TRUE;
}

/* Appends an event on @conn (NULL: a connection of its own) and returns its id. */
static gint64
add_event (const char *db,
           PGconn     *conn,
           const char *kind)
{
  g_autofree char *sql = g_strdup_printf ("INSERT INTO event (station, kind) VALUES ('test', '%s') "
                                          "RETURNING id", kind);
  g_autofree char *id = NULL;

  if (conn == NULL)
    id = lab_test_admin (db, sql);
  else
    {
      PGresult *res = PQexec (conn, sql);

      g_assert_cmpint (PQresultStatus (res), ==, PGRES_TUPLES_OK);
      id = g_strdup (PQgetvalue (res, 0, 0));
      PQclear (res);
    }
  g_assert_nonnull (id);
  return g_ascii_strtoll (id, NULL, 10);
}

static PGconn *
open_conn (const char *db)
{
  g_autofree char *conninfo = g_strdup_printf ("dbname=%s", db);
  PGconn *conn = PQconnectdb (conninfo);

  g_assert_cmpint (PQstatus (conn), ==, CONNECTION_OK);
  return conn;
}

static void
exec_ok (PGconn     *conn,
         const char *sql)
{
  PGresult *res = PQexec (conn, sql);

  if (PQresultStatus (res) != PGRES_COMMAND_OK && PQresultStatus (res) != PGRES_TUPLES_OK)
    g_error ("%s: %s", sql, PQresultErrorMessage (res));
  PQclear (res);
}

/* Every event after the listener started arrives once, the ones before do not; a real
 * station's answer comes as an "answer" event. */
static void
test_notify (void)
{
  g_autofree char *conninfo = lab_test_study ("notify");
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(LkLabListen) listen = NULL;
  gint64 before = add_event ("notify", NULL, "before");
  Seen s = { 0 };

  seen_init (&s);
  listen = lk_lab_listen_new (conninfo, "listener", -1, NULL, event_cb, status_cb, &s);
  run_until (is_up, &s, GUINT_TO_POINTER (1));
  for (guint i = 0; i < 5; i++)
    {
      gint64 id = add_event ("notify", NULL, "test");

      g_array_append_val (ids, id);
    }
  run_until (has_all, &s, ids);
  g_assert_cmpuint (times_seen (&s, before), ==, 0);
  for (guint i = 0; i < ids->len; i++)
    {
      g_assert_cmpuint (times_seen (&s, g_array_index (ids, gint64, i)), ==, 1);
      g_assert_cmpint (g_array_index (s.order, gint64, i), ==, g_array_index (ids, gint64, i));
    }
  g_assert_cmpuint (s.order->len, ==, 5);
  g_assert_cmpuint (lk_lab_listen_get_reconnects (listen), ==, 0);
  g_assert_cmpuint (lk_lab_listen_get_backfilled (listen), ==, 0);

  /* A station's submit logs an answer. */
  {
    g_autoptr(GError) error = NULL;
    gint64 session;
    g_autoptr(LkLab) lab = lab_test_station (conninfo, "A", &session);
    g_auto(LkLabClaim) claim = { 0 };
    g_autoptr(LkQuery) q = NULL;
    g_autofree char *uuid = g_uuid_string_random ();
    g_autofree char *last = NULL;
    gint64 answer_event;

    g_assert_true (lk_lab_claim (lab, session, 60, &claim, &error));
    g_assert_cmpint (claim.query, >, 0);
    q = lab_test_answered (lab, &claim);
    g_assert_cmpint (lk_lab_submit (lab, &claim, uuid, q, session, 1, 2, NULL, 0, NULL, &error),
                     >, 0);
    g_assert_no_error (error);
    last = lab_test_admin ("notify", "SELECT max(id) FROM event WHERE kind = 'answer'");
    answer_event = g_ascii_strtoll (last, NULL, 10);
    g_array_set_size (ids, 0);
    g_array_append_val (ids, answer_event);
    run_until (has_all, &s, ids);
    g_assert_cmpuint (times_seen (&s, answer_event), ==, 1);
  }

  g_clear_pointer (&listen, lk_lab_listen_free);
  seen_clear (&s);
}

/* Ids are handed out when the INSERT runs and committed in any order: the event whose
 * transaction commits after a later id was delivered is still delivered, once. */
static void
test_out_of_order (void)
{
  g_autofree char *conninfo = lab_test_study ("ooo");
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(LkLabListen) listen = NULL;
  PGconn *slow = open_conn ("ooo");
  gint64 early, late, after;
  Seen s = { 0 };

  seen_init (&s);
  listen = lk_lab_listen_new (conninfo, "listener", -1, NULL, event_cb, status_cb, &s);
  run_until (is_up, &s, GUINT_TO_POINTER (1));

  exec_ok (slow, "BEGIN");
  early = add_event ("ooo", slow, "early");
  late = add_event ("ooo", NULL, "late");
  g_assert_cmpint (early, <, late);
  g_array_append_val (ids, late);
  run_until (has_all, &s, ids);
  g_assert_cmpuint (times_seen (&s, early), ==, 0);

  exec_ok (slow, "COMMIT");
  g_array_append_val (ids, early);
  after = add_event ("ooo", NULL, "after");
  g_array_append_val (ids, after);
  run_until (has_all, &s, ids);
  for (guint i = 0; i < ids->len; i++)
    g_assert_cmpuint (times_seen (&s, g_array_index (ids, gint64, i)), ==, 1);
  g_assert_cmpuint (s.order->len, ==, 3);

  PQfinish (slow);
  g_clear_pointer (&listen, lk_lab_listen_free);
  seen_clear (&s);
}

/* The listener's backend is terminated and the database refuses connections for a while, so
 * the events logged meanwhile can reach it only by the backfill; all arrive, once. */
static void
test_reconnect (void)
{
  g_autofree char *conninfo = lab_test_study ("reconnect");
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(LkLabListen) listen = NULL;
  g_autofree char *kill = NULL;
  g_autofree char *killed = NULL;
  PGconn *writer = open_conn ("reconnect");
  guint n_missed = 4;
  Seen s = { 0 };

  seen_init (&s);
  listen = lk_lab_listen_new (conninfo, "listener", 0, NULL, event_cb, status_cb, &s);
  lk_lab_listen_set_backoff (listen, 0.2, 0.5);
  run_until (is_up, &s, GUINT_TO_POINTER (1));
  /* after_id 0: the log from its start, so the push's event too */
  g_assert_cmpuint (lab_test_count ("reconnect", "SELECT count(*) FROM event"), >, 0);
  for (guint i = 0; i < 3; i++)
    {
      gint64 id = add_event ("reconnect", writer, "before");

      g_array_append_val (ids, id);
    }
  run_until (has_all, &s, ids);

  g_free (lab_test_admin ("postgres", "ALTER DATABASE reconnect ALLOW_CONNECTIONS false"));
  kill = g_strdup_printf ("SELECT pg_terminate_backend (%d, 30000)",
                          lk_lab_listen_get_backend_pid (listen));
  killed = lab_test_admin ("postgres", kill);
  g_assert_cmpstr (killed, ==, "t");
  for (guint i = 0; i < n_missed; i++)
    {
      gint64 id = add_event ("reconnect", writer, "missed");

      g_array_append_val (ids, id);
    }
  /* It noticed, and a reconnection was refused at least once. */
  run_until (is_down, &s, GUINT_TO_POINTER (2));
  g_assert_cmpuint (s.ups, ==, 1);
  g_free (lab_test_admin ("postgres", "ALTER DATABASE reconnect ALLOW_CONNECTIONS true"));

  run_until (is_up, &s, GUINT_TO_POINTER (2));
  run_until (has_all, &s, ids);
  g_assert_cmpuint (lk_lab_listen_get_reconnects (listen), ==, 1);
  g_assert_cmpuint (lk_lab_listen_get_backfilled (listen), ==, n_missed);

  /* It LISTENs again. */
  for (guint i = 0; i < 2; i++)
    {
      gint64 id = add_event ("reconnect", writer, "after");

      g_array_append_val (ids, id);
    }
  run_until (has_all, &s, ids);
  for (guint i = 0; i < ids->len; i++)
    g_assert_cmpuint (times_seen (&s, g_array_index (ids, gint64, i)), ==, 1);
  g_assert_cmpuint (s.order->len, ==,
                    lab_test_count ("reconnect", "SELECT count(*) FROM event"));
  g_assert_cmpuint (lk_lab_listen_get_backfilled (listen), ==, n_missed);

  PQfinish (writer);
  g_clear_pointer (&listen, lk_lab_listen_free);
  seen_clear (&s);
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *dir = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  main_thread = g_thread_self ();

  dir = lab_test_make_study ("lk-lab-listen-XXXXXX");

  g_test_add_func ("/lab/listen/notify", test_notify);
  g_test_add_func ("/lab/listen/out-of-order", test_out_of_order);
  g_test_add_func ("/lab/listen/reconnect", test_reconnect);
  status = g_test_run ();

  lab_test_remove_study (dir);
  return status;
}
