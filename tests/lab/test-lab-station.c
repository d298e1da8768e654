/* test-lab-station.c — stations against a real PostgreSQL server (run inside pg-cluster.sh):
 * 8 threads with their own connections claim every grid exactly once; an expired lease hands
 * the grid to the next station and the first station's answer is kept, marked late; a grid
 * whose lease expired three times is abandoned; a submit is idempotent, also across a
 * connection killed between its INSERT and its COMMIT.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "lab-test-utils.h"
#include "tests/lk-test-utils.h"

typedef struct {
  const char *conninfo;
  guint       index;
  GArray     *claimed;
} ClaimThread;

static gpointer
claim_thread (gpointer data)
{
  ClaimThread *t = data;
  g_autofree char *name = g_strdup_printf ("station-%u", t->index);
  gint64 session;
  g_autoptr(LkLab) lab = lab_test_station (t->conninfo, name, &session);
  g_autoptr(GError) error = NULL;

  t->claimed = g_array_new (FALSE, FALSE, sizeof (gint64));
  for (;;)
    {
      g_auto(LkLabClaim) claim = { 0 };

      g_assert_true (lk_lab_claim (lab, session, LK_LAB_LEASE_SECONDS, &claim, &error));
      g_assert_no_error (error);
      if (claim.query == 0)
        break;
      g_assert_cmpuint (claim.items->len, >, 0);
      g_array_append_val (t->claimed, claim.query);
    }

  return NULL;
}

/* 8 stations claim 200 grids (and the study's own) at once: each exactly once. */
static void
test_claim_once (void)
{
  g_autofree char *conninfo = lab_test_study ("claim_once");
  g_autoptr(GHashTable) seen = g_hash_table_new (g_int64_hash, g_int64_equal);
  ClaimThread threads[8];
  GThread *handles[8];
  guint64 pending;

  g_free (lab_test_admin ("claim_once",
                 "INSERT INTO query (phase, policy, embedding_version, created) "
                 "SELECT 0, 'test', 0, 'now' FROM generate_series(1, 200)"));
  g_free (lab_test_admin ("claim_once",
                 "INSERT INTO query_item (query, position, item) SELECT q.id, p, p "
                 "FROM query q, generate_series(0, 5) p WHERE q.policy = 'test'"));
  pending = lab_test_count ("claim_once", "SELECT count(*) FROM query WHERE state = 'pending'");
  g_assert_cmpuint (pending, >=, 200);

  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    {
      threads[i] = (ClaimThread) { conninfo, i, NULL };
      handles[i] = g_thread_new ("claim", claim_thread, &threads[i]);
    }
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    {
      g_thread_join (handles[i]);
      for (guint j = 0; j < threads[i].claimed->len; j++)
        {
          gint64 *id = &g_array_index (threads[i].claimed, gint64, j);

          g_assert_false (g_hash_table_contains (seen, id));
          g_hash_table_add (seen, id);
        }
    }
  g_assert_cmpuint (g_hash_table_size (seen), ==, pending);
  g_assert_cmpuint (lab_test_count ("claim_once", "SELECT count(*) FROM query WHERE state = 'served' "
                                               "AND attempts = 1 AND lease_token IS NOT NULL"),
                    ==, pending);
  g_assert_cmpuint (lab_test_count ("claim_once", "SELECT count(*) FROM event WHERE kind = 'claimed'"),
                    ==, pending);
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    g_array_unref (threads[i].claimed);
}

/* A's lease runs out; B gets the grid and answers it; A's answer is kept, marked late, on a
 * copy of the grid. */
static void
test_lease_expiry_late (void)
{
  g_autofree char *conninfo = lab_test_study ("expiry");
  gint64 grid = lab_test_one_grid ("expiry"), session_a, session_b, id_a, id_b;
  g_autoptr(LkLab) a = lab_test_station (conninfo, "A", &session_a);
  g_autoptr(LkLab) b = lab_test_station (conninfo, "B", &session_b);
  g_auto(LkLabClaim) claim_a = { 0 };
  g_auto(LkLabClaim) claim_b = { 0 };
  g_autoptr(LkQuery) answer_a = NULL;
  g_autoptr(LkQuery) answer_b = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) problems = g_string_new (NULL);
  g_autofree char *uuid_a = g_uuid_string_random ();
  g_autofree char *uuid_b = g_uuid_string_random ();
  g_autofree char *sql = NULL, *late = NULL, *source = NULL;
  gboolean is_late = TRUE;

  g_assert_true (lk_lab_claim (a, session_a, 0.3, &claim_a, &error));
  g_assert_no_error (error);
  g_assert_cmpint (claim_a.query, ==, grid);
  g_assert_true (lk_lab_renew (a, &claim_a, 0.3, &error));
  g_assert_no_error (error);

  /* B gets the grid once A's lease is over, on the server's clock. */
  lab_test_claim_polling (b, session_b, 60, &claim_b);
  g_assert_cmpint (claim_b.query, ==, grid);
  g_assert_cmpstr (claim_a.lease_token, !=, claim_b.lease_token);
  g_assert_false (lk_lab_renew (a, &claim_a, 60, &error));
  g_assert_error (error, LK_LAB_ERROR, LK_LAB_ERROR_LEASE_LOST);
  g_clear_error (&error);

  answer_b = lab_test_answered (b, &claim_b);
  id_b = lk_lab_submit (b, &claim_b, uuid_b, answer_b, session_b, 1, 2, NULL, 0, &is_late, &error);
  g_assert_no_error (error);
  g_assert_cmpint (id_b, >, 0);
  g_assert_false (is_late);

  answer_a = lab_test_answered (a, &claim_a);
  id_a = lk_lab_submit (a, &claim_a, uuid_a, answer_a, session_a, 1, 3, NULL, 0, &is_late, &error);
  g_assert_no_error (error);
  g_assert_cmpint (id_a, >, 0);
  g_assert_cmpint (id_a, !=, id_b);
  g_assert_true (is_late);

  sql = g_strdup_printf ("SELECT late::text || ' ' || source || ' ' || (query <> %" G_GINT64_FORMAT
                         ")::text FROM answer WHERE id = %" G_GINT64_FORMAT, grid, id_a);
  late = lab_test_admin ("expiry", sql);
  g_assert_cmpstr (late, ==, "true lab-late:A true");
  g_free (sql);
  sql = g_strdup_printf ("SELECT late::text || ' ' || source FROM answer WHERE id = %"
                         G_GINT64_FORMAT, id_b);
  source = lab_test_admin ("expiry", sql);
  g_assert_cmpstr (source, ==, "false lab:B");
  /* The late answer's grid is a copy of the one it was shown. */
  g_assert_cmpuint (lab_test_count ("expiry",
                                 "SELECT count(*) FROM (SELECT position, item FROM query_item "
                                 "WHERE query = (SELECT query FROM answer WHERE late) EXCEPT "
                                 "SELECT position, item FROM query_item WHERE query = "
                                 "(SELECT query FROM answer WHERE NOT late AND source = 'lab:B')) d"),
                    ==, 0);
  g_assert_true (lk_lab_check_grids (a, problems, &error));
  g_assert_cmpstr (problems->str, ==, "");

  /* Both answers come back in a study file, which checks sound (the late one on its copy). */
  {
    g_autofree char *dir = lk_test_tmpdir ("lk-lab-pull-XXXXXX");
    g_autofree char *path = g_build_filename (dir, "pulled.likeness", NULL);
    g_autoptr(LkStore) store = NULL;
    g_autofree char *report = NULL;
    LkStoreCounts counts;

    g_assert_true (lk_lab_pull (a, path, &error));
    g_assert_no_error (error);
    store = lk_store_open (path, LK_STORE_OPEN_READ_ONLY, &error);
    g_assert_no_error (error);
    g_assert_true (lk_store_check (store, &report, &error));
    g_assert_no_error (error);
    g_assert_true (lk_store_get_counts (store, &counts, &error));
    g_assert_cmpuint (counts.answers, ==, 2);
    g_clear_pointer (&store, lk_store_close);
    lk_test_rmdir (dir);
  }
}

/* A grid whose lease expires three times is abandoned, not handed out a fourth time. */
static void
test_abandoned (void)
{
  g_autofree char *conninfo = lab_test_study ("abandon");
  gint64 grid = lab_test_one_grid ("abandon"), session;
  g_autoptr(LkLab) lab = lab_test_station (conninfo, "crashy", &session);
  g_autoptr(GError) error = NULL;
  g_autofree char *state = NULL, *sql = NULL;
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  for (guint attempt = 1; attempt <= LK_LAB_MAX_ATTEMPTS; attempt++)
    {
      g_auto(LkLabClaim) claim = { 0 };

      lab_test_claim_polling (lab, session, 0.2, &claim);
      g_assert_cmpint (claim.query, ==, grid);
    }
  sql = g_strdup_printf ("SELECT count(*) FROM query WHERE id = %" G_GINT64_FORMAT
                         " AND lease_until < now()", grid);
  while (lab_test_count ("abandon", sql) == 0)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (20000);
    }
  {
    g_auto(LkLabClaim) claim = { 0 };

    g_assert_true (lk_lab_claim (lab, session, 60, &claim, &error));
    g_assert_no_error (error);
    g_assert_cmpint (claim.query, ==, 0);
  }
  g_free (sql);
  sql = g_strdup_printf ("SELECT state || ' ' || attempts FROM query WHERE id = %"
                         G_GINT64_FORMAT, grid);
  state = lab_test_admin ("abandon", sql);
  g_assert_cmpstr (state, ==, "abandoned 3");
  g_assert_cmpuint (lab_test_count ("abandon", "SELECT count(*) FROM event WHERE kind = 'abandoned'"),
                    ==, 1);
}

/* Kills @lab's connection on the server, waiting until its backend is gone. */
static void
kill_backend_cb (LkLab    *lab,
                 gpointer  user_data)
{
  g_autofree char *sql = g_strdup_printf ("SELECT pg_terminate_backend(%d, 30000)",
                                          PQbackendPID (lk_lab_get_conn (lab)));
  g_autofree char *killed = lab_test_admin ((const char *) user_data, sql);

  g_assert_cmpstr (killed, ==, "t");
}

/* The same client id twice stores one answer; so does a retry after the connection died
 * between the INSERT and the COMMIT. */
static void
test_idempotent_submit (void)
{
  g_autofree char *conninfo = lab_test_study ("idem");
  gint64 session, id1, id2, id3;
  g_autoptr(LkLab) lab = lab_test_station (conninfo, "S", &session);
  g_autoptr(GError) error = NULL;
  g_autofree char *uuid = g_uuid_string_random ();
  g_autofree char *uuid2 = g_uuid_string_random ();
  g_autofree char *sql = NULL;
  gboolean late = TRUE;

  {
    g_auto(LkLabClaim) claim = { 0 };
    g_autoptr(LkQuery) q = NULL;

    g_assert_true (lk_lab_claim (lab, session, 60, &claim, &error));
    g_assert_cmpint (claim.query, >, 0);
    q = lab_test_answered (lab, &claim);
    id1 = lk_lab_submit (lab, &claim, uuid, q, session, 1, 2, NULL, 0, NULL, &error);
    g_assert_no_error (error);
    id2 = lk_lab_submit (lab, &claim, uuid, q, session, 1, 2, NULL, 0, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpint (id1, >, 0);
    g_assert_cmpint (id2, ==, id1);
    sql = g_strdup_printf ("SELECT count(*) FROM answer WHERE client_uuid = '%s'", uuid);
    g_assert_cmpuint (lab_test_count ("idem", sql), ==, 1);
  }

  /* Another station's answer under the same id is a collision, not a retry: refused. */
  {
    gint64 session_t;
    g_autoptr(LkLab) other = lab_test_station (conninfo, "T", &session_t);
    g_auto(LkLabClaim) claim = { 0 };
    g_autoptr(LkQuery) q = NULL;

    g_assert_true (lk_lab_claim (other, session_t, 60, &claim, &error));
    g_assert_cmpint (claim.query, >, 0);
    q = lab_test_answered (other, &claim);
    g_assert_cmpint (lk_lab_submit (other, &claim, uuid, q, session_t, 1, 2, NULL, 0, NULL,
                                    &error), ==, 0);
    g_assert_error (error, LK_LAB_ERROR, LK_LAB_ERROR_INVALID);
    g_clear_error (&error);
    g_assert_cmpuint (lab_test_count ("idem", sql), ==, 1);
  }

  {
    g_auto(LkLabClaim) claim = { 0 };
    g_autoptr(LkQuery) q = NULL;
    LkMove moves[] = { { 0, -1, 1, 500 }, { 0, 1, 0, 900 } };
    guint64 before = lab_test_count ("idem", "SELECT count(*) FROM answer");

    g_assert_true (lk_lab_claim (lab, session, 60, &claim, &error));
    g_assert_cmpint (claim.query, >, 0);
    q = lab_test_answered (lab, &claim);
    moves[0].item = moves[1].item = g_array_index (claim.items, guint, 0);

    lk_lab_set_submit_hook (lab, kill_backend_cb, (gpointer) "idem");
    id3 = lk_lab_submit (lab, &claim, uuid2, q, session, 1, 2, moves, 2, NULL, &error);
    g_assert_cmpint (id3, ==, 0);
    g_assert_error (error, LK_LAB_ERROR, LK_LAB_ERROR_CONNECTION_LOST);
    g_clear_error (&error);
    lk_lab_set_submit_hook (lab, NULL, NULL);
    g_assert_cmpuint (lab_test_count ("idem", "SELECT count(*) FROM answer"), ==, before);

    g_assert_true (lk_lab_reconnect (lab, &error));
    g_assert_no_error (error);
    id3 = lk_lab_submit (lab, &claim, uuid2, q, session, 1, 2, moves, 2, &late, &error);
    g_assert_no_error (error);
    g_assert_cmpint (id3, >, 0);
    g_assert_false (late);
    id2 = lk_lab_submit (lab, &claim, uuid2, q, session, 1, 2, moves, 2, NULL, &error);
    g_assert_cmpint (id2, ==, id3);
    g_assert_cmpuint (lab_test_count ("idem", "SELECT count(*) FROM answer"), ==, before + 1);
    g_free (sql);
    sql = g_strdup_printf ("SELECT count(*) FROM answer_move WHERE answer = %" G_GINT64_FORMAT,
                           id3);
    g_assert_cmpuint (lab_test_count ("idem", sql), ==, 2);
    g_free (sql);
    sql = g_strdup_printf ("SELECT count(*) FROM answer_bin WHERE answer = %" G_GINT64_FORMAT,
                           id3);
    g_assert_cmpuint (lab_test_count ("idem", sql), ==, claim.items->len);
  }
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *dir = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);

  dir = lab_test_make_study ("lk-lab-station-XXXXXX");

  g_test_add_func ("/lab/claim-once", test_claim_once);
  g_test_add_func ("/lab/lease-expiry-late", test_lease_expiry_late);
  g_test_add_func ("/lab/abandoned", test_abandoned);
  g_test_add_func ("/lab/idempotent-submit", test_idempotent_submit);
  status = g_test_run ();

  lab_test_remove_study (dir);
  return status;
}
