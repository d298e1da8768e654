/* bench-lab-listen.c — how fast the experimenter's live view hears of a lab study's events:
 * the time from a writer's COMMIT to the listener's callback in a GMainContext, and after
 * pg_terminate_backend of the listener's connection, the time until the events logged while it
 * was away have been backfilled.
 *
 * Run inside tests/lab/pg-cluster.sh (which gives it a throwaway server):
 *   tests/lab/pg-cluster.sh _build/bench/bench-lab-listen STUDY.likeness [EVENTS] [KILLS]
 * (defaults 500 events, 5 kills). Prints the median, p99 and max delivery latency, and the
 * median and max backfill time after a kill, plus events lost and delivered twice (both must
 * be 0).
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>

#include "lk-lab-listen-private.h"
#include "lk-lab.h"

#define DB "listen_bench"

typedef struct {
  GHashTable *committed;   /* id -> commit time (µs, monotonic) */
  GHashTable *delivered;   /* id -> times */
  GArray     *latency;     /* ms */
  guint       twice;
  gboolean    up;
} Bench;

static void
event_cb (LkLabListen      *listen,
          const LkLabEvent *event,
          gpointer          user_data)
{
  Bench *b = user_data;
  gpointer at = g_hash_table_lookup (b->committed, &event->id);
  guint n = GPOINTER_TO_UINT (g_hash_table_lookup (b->delivered, &event->id));

  if (n > 0)
    b->twice++;
  g_hash_table_insert (b->delivered, g_memdup2 (&event->id, sizeof event->id),
                       GUINT_TO_POINTER (n + 1));
  if (at != NULL)
    {
      double ms = (g_get_monotonic_time () - *(gint64 *) at) / 1000.0;

      g_array_append_val (b->latency, ms);
    }
}

static void
status_cb (LkLabListen *listen,
           gboolean     connected,
           const char  *message,
           gpointer     user_data)
{
  ((Bench *) user_data)->up = connected;
}

static PGconn *
open_db (const char *db)
{
  g_autofree char *conninfo = g_strdup_printf ("dbname=%s", db);
  PGconn *conn = PQconnectdb (conninfo);

  if (PQstatus (conn) != CONNECTION_OK)
    g_error ("%s", PQerrorMessage (conn));
  return conn;
}

static gint64
add_event (PGconn *conn)
{
  PGresult *res = PQexec (conn, "INSERT INTO event (kind) VALUES ('bench') RETURNING id");
  gint64 id;

  if (PQresultStatus (res) != PGRES_TUPLES_OK)
    g_error ("%s", PQresultErrorMessage (res));
  id = g_ascii_strtoll (PQgetvalue (res, 0, 0), NULL, 10);
  PQclear (res);
  return id;
}

static void
spin_until_delivered (Bench  *b,
                      gint64  id)
{
  while (!g_hash_table_contains (b->delivered, &id))
    g_main_context_iteration (NULL, TRUE);
}

static int
compare_double (gconstpointer a,
                gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static double
quantile (GArray *values,
          double  q)
{
  g_array_sort (values, compare_double);
  return g_array_index (values, double, (guint) (q * (values->len - 1) + 0.5));
}

static gboolean
tick_cb (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

int
main (int    argc,
      char **argv)
{
  guint n_events = argc > 2 ? (guint) atoi (argv[2]) : 500;
  guint n_kills = argc > 3 ? (guint) atoi (argv[3]) : 5;
  g_autoptr(GError) error = NULL;
  g_autoptr(LkLab) lab = NULL;
  g_autoptr(LkLabListen) listen = NULL;
  g_autoptr(GArray) backfill = g_array_new (FALSE, FALSE, sizeof (double));
  PGconn *admin, *writer;
  guint lost = 0;
  Bench b = { 0 };

  if (argc < 2)
    {
      fprintf (stderr, "usage: bench-lab-listen STUDY.likeness [EVENTS] [KILLS]\n");
      return 2;
    }
  admin = open_db ("postgres");
  PQclear (PQexec (admin, "DROP DATABASE IF EXISTS " DB));
  PQclear (PQexec (admin, "CREATE DATABASE " DB));
  lab = lk_lab_connect ("dbname=" DB, "bench-setup", &error);
  if (lab == NULL || !lk_lab_push (lab, argv[1], &error))
    g_error ("%s", error->message);

  b.committed = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  b.delivered = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  b.latency = g_array_new (FALSE, FALSE, sizeof (double));
  g_timeout_add (5, tick_cb, NULL);
  listen = lk_lab_listen_new ("dbname=" DB, "bench-listener", -1, NULL, event_cb, status_cb, &b);
  lk_lab_listen_set_backoff (listen, 0.1, 1);
  while (!b.up)
    g_main_context_iteration (NULL, TRUE);
  writer = open_db (DB);

  for (guint i = 0; i < n_events; i++)
    {
      gint64 id = add_event (writer);
      gint64 *at = g_new (gint64, 1);

      *at = g_get_monotonic_time ();
      g_hash_table_insert (b.committed, g_memdup2 (&id, sizeof id), at);
      spin_until_delivered (&b, id);

      /* Now and then: the listener's backend is terminated, 10 events are logged while it is
       * away, and the time until the last of them is delivered is taken. */
      if (n_kills > 0 && i % (n_events / n_kills) == n_events / n_kills / 2)
        {
          g_autofree char *kill = g_strdup_printf ("SELECT pg_terminate_backend (%d, 10000)",
                                                   lk_lab_listen_get_backend_pid (listen));
          gint64 start, last = 0;
          double ms;

          PQclear (PQexec (admin, kill));
          start = g_get_monotonic_time ();
          for (guint j = 0; j < 10; j++)
            last = add_event (writer);
          spin_until_delivered (&b, last);
          ms = (g_get_monotonic_time () - start) / 1000.0;
          g_array_append_val (backfill, ms);
        }
    }

  {
    PGresult *all = PQexec (writer, "SELECT id FROM event WHERE kind = 'bench'");

    for (int r = 0; r < PQntuples (all); r++)
      {
        gint64 id = g_ascii_strtoll (PQgetvalue (all, r, 0), NULL, 10);

        lost += !g_hash_table_contains (b.delivered, &id);
      }
    PQclear (all);
  }
  printf ("events %u: delivery after COMMIT median %.2f ms, p99 %.2f ms, max %.2f ms\n",
          b.latency->len, quantile (b.latency, 0.5), quantile (b.latency, 0.99),
          quantile (b.latency, 1.0));
  if (backfill->len > 0)
    printf ("kills %u (10 events logged while away each): caught up after median %.0f ms, "
            "max %.0f ms; reconnections %u, backfilled %u\n", backfill->len,
            quantile (backfill, 0.5), quantile (backfill, 1.0),
            lk_lab_listen_get_reconnects (listen), lk_lab_listen_get_backfilled (listen));
  printf ("lost %u, delivered twice %u\n", lost, b.twice);

  g_clear_pointer (&listen, lk_lab_listen_free);
  PQfinish (writer);
  g_clear_pointer (&lab, lk_lab_close);
  PQclear (PQexec (admin, "DROP DATABASE " DB));
  PQfinish (admin);
  g_hash_table_unref (b.committed);
  g_hash_table_unref (b.delivered);
  g_array_unref (b.latency);

  return lost == 0 && b.twice == 0 ? 0 : 1;
}
