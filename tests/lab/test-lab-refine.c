/* test-lab-refine.c — one refinement at a time, against a real PostgreSQL server (run inside
 * pg-cluster.sh): the refiner's lock has one holder and passes on when the holder's backend
 * is terminated; two refiners computing the same phase store it once, with the embedding the
 * study file's replay gives; three likeness-cli stations answer a whole study at once, and the
 * pulled study's replay reproduces every phase they stored.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <gio/gio.h>
#include <string.h>

#include "lab-test-utils.h"
#include "lk-store.h"
#include "tests/lk-test-utils.h"

/* Pulls the lab study into a temporary file and replays it: asserts that the replay
 * reproduces every stored query and embedding; returns the number of phases done. */
static guint
pull_and_replay (LkLab *lab)
{
  g_autofree char *dir = lk_test_tmpdir ("lk-lab-refine-pull-XXXXXX");
  g_autofree char *path = g_build_filename (dir, "pulled.likeness", NULL);
  g_autoptr(LkStore) store = NULL;
  g_autoptr(LkRefiner) refiner = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *report = NULL;
  gboolean reproduced = FALSE;
  LkStoreCounts counts;

  g_assert_true (lk_lab_pull (lab, path, &error));
  g_assert_no_error (error);
  store = lk_store_open (path, LK_STORE_OPEN_READ_ONLY, &error);
  g_assert_no_error (error);
  g_assert_true (lk_store_check (store, &report, &error));
  g_assert_no_error (error);
  refiner = lk_answers_rebuild (store, &reproduced, &error);
  g_assert_no_error (error);
  g_assert_true (reproduced);
  g_assert_true (lk_store_get_counts (store, &counts, &error));
  g_clear_pointer (&store, lk_store_close);
  lk_test_rmdir (dir);

  return counts.phases_done;
}

static void
kill_backend (const char *db,
              LkLab      *lab)
{
  g_autofree char *sql = g_strdup_printf ("SELECT pg_terminate_backend(%d, 30000)",
                                          PQbackendPID (lk_lab_get_conn (lab)));
  g_autofree char *killed = lab_test_admin (db, sql);

  g_assert_cmpstr (killed, ==, "t");
}

/* A holds the refiner's lock, B cannot take it until A's backend is terminated. Both compute
 * phase 1 from the same answers: the same embedding; B stores it, A's store finds it there. */
static void
test_election_takeover (void)
{
  g_autofree char *conninfo = lab_test_study ("elect");
  gint64 session_a, session_b, deadline;
  g_autoptr(LkLab) a = lab_test_station (conninfo, "A", &session_a);
  g_autoptr(LkLab) b = lab_test_station (conninfo, "B", &session_b);
  g_autoptr(LkLabPhase) phase_a = NULL;
  g_autoptr(LkLabPhase) phase_b = NULL;
  g_autoptr(LkLabPhase) none = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *stored_embedding = NULL;
  gboolean holder = FALSE, stored = TRUE;
  guint answers = 0;

  g_assert_true (lk_lab_try_refiner (a, &holder, &error));
  g_assert_true (holder);
  g_assert_true (lk_lab_try_refiner (b, &holder, &error));
  g_assert_false (holder);

  /* Not complete while grids wait: nothing to compute. */
  none = lk_lab_phase_compute (a, &error);
  g_assert_no_error (error);
  g_assert_null (none);

  for (;;)
    {
      g_auto(LkLabClaim) claim = { 0 };
      g_autoptr(LkQuery) q = NULL;
      g_autofree char *uuid = g_uuid_string_random ();

      g_assert_true (lk_lab_claim (b, session_b, 60, &claim, &error));
      if (claim.query == 0)
        break;
      q = lab_test_answered (b, &claim);
      g_assert_cmpint (lk_lab_submit (b, &claim, uuid, q, session_b, 1, 2, NULL, 0, NULL, &error),
                       >, 0);
      answers++;
    }
  g_assert_cmpuint (answers, >, 0);

  phase_a = lk_lab_phase_compute (a, &error);
  g_assert_no_error (error);
  g_assert_nonnull (phase_a);
  phase_b = lk_lab_phase_compute (b, &error);
  g_assert_no_error (error);
  g_assert_nonnull (phase_b);
  g_assert_cmpuint (lk_lab_phase_get_number (phase_a), ==, 0);
  g_assert_true (g_bytes_equal (lk_lab_phase_get_embedding (phase_a),
                                lk_lab_phase_get_embedding (phase_b)));

  /* The holder's backend goes; B takes over within its polling. */
  kill_backend ("elect", a);
  deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  do
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_assert_true (lk_lab_try_refiner (b, &holder, &error));
      g_assert_no_error (error);
      if (!holder)
        g_usleep (20000);
    }
  while (!holder);

  g_assert_true (lk_lab_phase_store (b, phase_b, &stored, &error));
  g_assert_no_error (error);
  g_assert_true (stored);
  g_assert_true (lk_lab_reconnect (a, &error));
  g_assert_true (lk_lab_phase_store (a, phase_a, &stored, &error));
  g_assert_no_error (error);
  g_assert_false (stored);

  g_assert_cmpuint (lab_test_count ("elect", "SELECT count(*) FROM phase"), ==, 1);
  g_assert_cmpuint (lab_test_count ("elect", "SELECT count(*) FROM query WHERE phase = 1 "
                                             "AND state = 'pending'"), ==, answers);
  g_assert_cmpuint (lab_test_count ("elect", "SELECT count(*) FROM event WHERE kind = 'phase'"),
                    ==, 1);
  stored_embedding = lab_test_admin ("elect", "SELECT md5(embedding) FROM phase");
  {
    GBytes *mine = lk_lab_phase_get_embedding (phase_b);
    g_autofree char *md5 = g_compute_checksum_for_data (G_CHECKSUM_MD5,
                                                        g_bytes_get_data (mine, NULL),
                                                        g_bytes_get_size (mine));

    g_assert_cmpstr (stored_embedding, ==, md5);
  }
  g_assert_cmpuint (pull_and_replay (b), ==, 1);
}

/* Submits the answer of @claim late (its lease expired); returns the phase it was stored in. */
static guint
submit_late (LkLab            *lab,
             gint64            session,
             const LkLabClaim *claim)
{
  g_autoptr(LkQuery) q = lab_test_answered (lab, claim);
  g_autofree char *uuid = g_uuid_string_random ();
  g_autoptr(GError) error = NULL;
  g_autofree char *sql = NULL;
  gboolean late = FALSE;
  gint64 id = lk_lab_submit (lab, claim, uuid, q, session, 1, 2, NULL, 0, &late, &error);

  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  g_assert_true (late);
  sql = g_strdup_printf ("SELECT q.phase FROM answer a JOIN query q ON q.id = a.query "
                         "WHERE a.id = %" G_GINT64_FORMAT, id);
  return (guint) lab_test_count ("late", sql);
}

/* Late answers and the refiner: one that comes while the phase is computed makes the store
 * give way (computed again with it); one that comes after the phase is stored goes into the
 * current phase. Either way the stored phases are what the replay computes. */
static void
test_late_answers_and_phases (void)
{
  g_autofree char *conninfo = lab_test_study ("late");
  gint64 session_a, session_b, session_c, deadline;
  g_autoptr(LkLab) a = lab_test_station (conninfo, "A", &session_a);
  g_autoptr(LkLab) b = lab_test_station (conninfo, "B", &session_b);
  g_autoptr(LkLab) c = lab_test_station (conninfo, "C", &session_c);
  g_auto(LkLabClaim) claim_a = { 0 };
  g_auto(LkLabClaim) claim_c = { 0 };
  g_autoptr(LkLabPhase) phase = NULL;
  g_autoptr(GError) error = NULL;
  guint64 grids = lab_test_count ("late", "SELECT count(*) FROM query WHERE state = 'pending'");
  gboolean holder = FALSE, stored = TRUE;

  g_assert_true (lk_lab_claim (a, session_a, 0.3, &claim_a, &error));
  g_assert_true (lk_lab_claim (c, session_c, 0.3, &claim_c, &error));
  g_assert_cmpint (claim_a.query, >, 0);
  g_assert_cmpint (claim_c.query, >, 0);

  /* B answers every grid, A's and C's once their leases are over. */
  deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  while (lab_test_count ("late", "SELECT count(*) FROM answer") < grids)
    {
      g_auto(LkLabClaim) claim = { 0 };
      g_autoptr(LkQuery) q = NULL;
      g_autofree char *uuid = g_uuid_string_random ();

      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_assert_true (lk_lab_claim (b, session_b, 60, &claim, &error));
      if (claim.query == 0)
        {
          g_usleep (20000);
          continue;
        }
      q = lab_test_answered (b, &claim);
      g_assert_cmpint (lk_lab_submit (b, &claim, uuid, q, session_b, 1, 2, NULL, 0, NULL,
                                      &error), >, 0);
    }

  g_assert_true (lk_lab_try_refiner (b, &holder, &error));
  g_assert_true (holder);
  phase = lk_lab_phase_compute (b, &error);
  g_assert_no_error (error);
  g_assert_nonnull (phase);

  /* A's late answer comes while the phase is computed: it stays in phase 0, and the store
   * gives way. */
  g_assert_cmpuint (submit_late (a, session_a, &claim_a), ==, 0);
  g_assert_true (lk_lab_phase_store (b, phase, &stored, &error));
  g_assert_no_error (error);
  g_assert_false (stored);
  g_assert_cmpuint (lab_test_count ("late", "SELECT count(*) FROM phase"), ==, 0);
  g_assert_true (lk_lab_refine (b, &stored, &error));
  g_assert_no_error (error);
  g_assert_true (stored);

  /* C's comes after phase 0 was stored: it goes into phase 1. */
  g_assert_cmpuint (submit_late (c, session_c, &claim_c), ==, 1);
  g_assert_cmpuint (lab_test_count ("late", "SELECT count(*) FROM answer WHERE late"), ==, 2);
  g_assert_cmpuint (pull_and_replay (b), ==, 1);
}

/* Three likeness-cli stations answer the whole study at once, one of them refining. */
static void
test_three_stations (void)
{
  g_autofree char *conninfo = lab_test_study ("three");
  const char *uri = "postgresql:///three";
  const char *cli = g_getenv ("LIKENESS_CLI");
  GSubprocess *stations[3];
  g_autoptr(LkLab) lab = NULL;
  g_autoptr(GError) error = NULL;
  guint saved = 0, phases_stored = 0;

  g_assert_nonnull (cli);
  for (guint i = 0; i < G_N_ELEMENTS (stations); i++)
    {
      g_autofree char *name = g_strdup_printf ("s%u", i);
      g_autofree char *code = g_strdup_printf ("P%u", i);

      stations[i] = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, cli, "answer",
                                      uri, "--station", name, "--participant", code,
                                      "--lease", "30", NULL);
      g_assert_no_error (error);
    }
  for (guint i = 0; i < G_N_ELEMENTS (stations); i++)
    {
      g_autofree char *out = NULL;
      g_auto(GStrv) lines = NULL;

      g_assert_true (g_subprocess_communicate_utf8 (stations[i], NULL, NULL, &out, NULL, &error));
      g_assert_no_error (error);
      g_assert_true (g_subprocess_get_if_exited (stations[i]));
      g_assert_cmpint (g_subprocess_get_exit_status (stations[i]), ==, 0);
      lines = g_strsplit (out, "\n", -1);
      for (guint j = 0; lines[j] != NULL; j++)
        {
          saved += g_str_has_prefix (lines[j], "saved ");
          phases_stored += g_str_has_prefix (lines[j], "stored phase ");
        }
      g_object_unref (stations[i]);
    }

  /* Budget 24 in 2 phases: 24 answers, each phase stored once. */
  g_assert_cmpuint (saved, ==, 24);
  g_assert_cmpuint (phases_stored, ==, 2);
  g_assert_cmpuint (lab_test_count ("three", "SELECT count(*) FROM answer"), ==, 24);
  g_assert_cmpuint (lab_test_count ("three", "SELECT count(DISTINCT station) FROM answer"), >=, 1);
  lab = lk_lab_connect (conninfo, "check", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (pull_and_replay (lab), ==, 2);
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *dir = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  dir = lab_test_make_study ("lk-lab-refine-XXXXXX");

  g_test_add_func ("/lab/election-takeover", test_election_takeover);
  g_test_add_func ("/lab/late-answers-and-phases", test_late_answers_and_phases);
  g_test_add_func ("/lab/three-stations", test_three_stations);
  status = g_test_run ();

  lab_test_remove_study (dir);
  return status;
}
