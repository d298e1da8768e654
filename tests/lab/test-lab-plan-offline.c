/* test-lab-plan-offline.c — a lab station following the plan sort:2,triplet:3 loses its server
 * mid-plan (run inside pg-cluster.sh, under Xvfb, without keys): the server is stopped when the
 * triplet block begins, the participant answers the three triplets offline (each kept in the
 * station's journal, the next drawn by the station), and once the server is back the station
 * flushes them by itself: every trial is in the lab database once, with its participant, block,
 * session and choice, in the order answered. Then the same with a crash: the run is dropped with
 * the trials still journaled, and a new run on the same journal (the station started again)
 * sends them, once each.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "tests/cli/cli-test-utils.h"
#include "lab-test-utils.h"
#include "lk-lab-journal.h"
#include "lk-lab-run.h"
#include "lk-scores.h"
#include "lk-session.h"
#include "lk-session-settings.h"
#include "lk-ui-test.h"
#include "tests/lk-test-utils.h"

static char *work_dir;

static const gint choices[3] = {
  LK_TRIPLET_ANSWER_B_CLOSER, LK_TRIPLET_ANSWER_BOTH_SIMILAR, LK_TRIPLET_ANSWER_A_CLOSER,
};

static void
got_result_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static gboolean
have_result (gpointer data)
{
  return *(GAsyncResult **) data != NULL;
}

static gboolean
journal_empty (gpointer run)
{
  return lk_lab_run_get_journal_length (run) == 0;
}

/* Spins the main loop until @done (@data), failing after @seconds. */
static void
wait_long (gboolean (*done) (gpointer data),
           gpointer   data,
           guint      seconds)
{
  gint64 end = g_get_monotonic_time () + seconds * G_USEC_PER_SEC;
  guint id = g_timeout_add (20, lk_ui_test_timeout_cb, NULL);

  while (!done (data))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, end);
      g_main_context_iteration (NULL, TRUE);
    }
  g_source_remove (id);
}

static LkStudy *
open_study (const char *db)
{
  g_autofree char *uri = g_strdup_printf ("postgresql:///%s?host=%s&port=%s", db,
                                          g_getenv ("PGHOST"), g_getenv ("PGPORT"));
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  LkStudy *study;

  lk_lab_study_open_async (uri, NULL, got_result_cb, &result);
  lk_ui_test_wait_for (have_result, &result);
  study = lk_lab_study_open_finish (result, &error);
  g_assert_no_error (error);

  return study;
}

static LkLabRun *
new_run (LkStudy    *study,
         const char *journal)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  LkLabRun *run;

  lk_lab_run_new_async (study, journal, NULL, got_result_cb, &result);
  lk_ui_test_wait_for (have_result, &result);
  run = lk_lab_run_new_finish (result, &error);
  g_assert_no_error (error);

  return run;
}

/* Runs @participant's session through the plan; the server is stopped when the first triplet
 * comes. Returns the session, done. */
static LkSession *
run_plan_offline (LkStudy    *study,
                  LkLabRun   *run,
                  const char *participant)
{
  g_auto(LkSessionSettings) settings = { 0 };
  g_autoptr(GError) error = NULL;
  LkSession *session;
  LkSessionSetup setup;
  LkPlan plan;
  guint sorted = 0, judged = 0;
  gboolean stopped = FALSE;

  g_assert_true (lk_store_load_session_settings (lk_study_get_store (study), &settings, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (settings.plan, ==, "sort:2,triplet:3");
  lk_study_get_setup (study, &setup);
  setup.break_every = 0;
  g_assert_true (lk_session_settings_get_plan (&settings, &setup.params, &plan, &error));
  session = lk_session_new (LK_IMAGE_SOURCE (study), &setup, participant, FALSE,
                            LK_GRID_SOURCE (run), &error);
  g_assert_no_error (error);
  g_assert_true (lk_session_set_plan (session, &plan, &error));
  g_assert_no_error (error);

  lk_session_accept_consent (session);
  while (lk_session_get_state (session) != LK_SESSION_DONE)
    {
      LkSessionState state = lk_session_get_state (session);

      g_assert_cmpuint (sorted + judged, <, 20);
      if (state == LK_SESSION_INSTRUCTIONS || state == LK_SESSION_PRACTICE_DONE)
        lk_session_begin (session);
      else if (state == LK_SESSION_BREAK)
        lk_session_resume (session);
      else if (lk_session_get_kind (session) == LK_TASK_SORT)
        {
          LkSortModel *model = lk_session_get_model (session);

          g_assert_cmpint (state, ==, LK_SESSION_SORTING);
          g_assert_false (stopped);
          for (guint p = 0; p < lk_sort_model_get_n_items (model); p++)
            lk_sort_model_move (model, p, (gint) (p % 2));
          g_assert_true (lk_session_submit (session, &error));
          g_assert_no_error (error);
          sorted += !lk_session_is_practice (session);
        }
      else
        {
          gboolean practice = lk_session_is_practice (session);

          g_assert_cmpint (state, ==, LK_SESSION_SORTING);
          g_assert_cmpint (lk_session_get_kind (session), ==, LK_TASK_TRIPLET);
          /* Mid-plan: the server goes away as the triplets begin. */
          if (!stopped)
            {
              g_assert_cmpuint (sorted, ==, 2);
              g_assert_true (lk_lab_run_is_online (run));
              g_assert_cmpuint (lk_lab_run_get_journal_length (run), ==, 0);
              lab_test_server_stop ();
              stopped = TRUE;
            }
          g_assert_cmpuint (lk_session_get_trial (session)->n_items, ==, 3);
          /* Offline, the answer is kept and the participant goes on. */
          g_assert_true (lk_session_answer_trial (session, practice ? LK_TRIPLET_ANSWER_A_CLOSER
                                                                    : choices[judged], &error));
          g_assert_no_error (error);
          judged += !practice;
        }
    }
  g_assert_cmpuint (sorted, ==, 2);
  g_assert_cmpuint (judged, ==, 3);
  g_assert_false (lk_lab_run_is_online (run));
  g_assert_cmpuint (lk_lab_run_get_journal_length (run), ==, 3);
  /* The station counts the participant's trials from its journal while offline. */
  g_assert_cmpuint (lk_grid_source_count_trials (LK_GRID_SOURCE (run), participant), ==, 3);

  return session;
}

/* Asserts that @db holds @participant's three triplets once each, in block 1 of a session,
 * with the choices in the order given, and the two sorted grids. */
static void
assert_trials_stored (const char *db,
                      const char *participant)
{
  g_autofree char *trials = g_strdup_printf ("SELECT count(*) FROM answer a JOIN query q ON "
                                             "q.id = a.query JOIN trial t ON t.query = q.id "
                                             "JOIN participant p ON p.id = a.participant "
                                             "JOIN session s ON s.id = a.session WHERE "
                                             "q.kind = 'triplet' AND q.policy = 'trial' AND "
                                             "t.block = 1 AND p.code = '%s' AND "
                                             "s.participant = p.id AND a.station IS NOT NULL "
                                             "AND a.submitted_us >= a.shown_us", participant);
  g_autofree char *sorted = g_strdup_printf ("SELECT count(*) FROM answer a JOIN query q ON "
                                             "q.id = a.query JOIN participant p ON "
                                             "p.id = a.participant WHERE q.kind = 'sort' AND "
                                             "p.code = '%s'", participant);
  g_autofree char *given = lab_test_admin (db, "SELECT string_agg(a.choice::text, ',' ORDER BY "
                                           "a.id) FROM answer a JOIN query q ON q.id = a.query "
                                           "WHERE q.kind = 'triplet'");
  g_autofree char *expected = g_strdup_printf ("%d,%d,%d", choices[0], choices[1], choices[2]);

  g_assert_cmpuint (lab_test_count (db, trials), ==, 3);
  g_assert_cmpuint (lab_test_count (db, "SELECT count(*) FROM trial"), ==, 3);
  g_assert_cmpuint (lab_test_count (db, "SELECT count(DISTINCT client_uuid) FROM answer a "
                                    "JOIN query q ON q.id = a.query WHERE q.kind = 'triplet'"),
                    ==, 3);
  g_assert_cmpuint (lab_test_count (db, sorted), ==, 2);
  g_assert_cmpstr (given, ==, expected);
}

/* The server comes back while the station runs: it reconnects by itself and flushes. */
static void
test_plan_offline (void)
{
  g_autofree char *journal = g_build_filename (work_dir, "offline.jsonl", NULL);
  g_autoptr(LkStudy) study = open_study ("planoffline");
  g_autoptr(LkLabRun) run = new_run (study, journal);
  g_autoptr(LkSession) session = run_plan_offline (study, run, "P-OFF");
  g_autoptr(GError) error = NULL;

  g_assert_true (lk_session_end (session, &error));
  g_assert_no_error (error);

  lab_test_server_start ();
  wait_long (journal_empty, run, 3 * LK_LAB_RUN_POLL_SECONDS + 30);
  g_assert_true (lk_lab_run_is_online (run));
  assert_trials_stored ("planoffline", "P-OFF");
  g_assert_cmpuint (lk_grid_source_count_trials (LK_GRID_SOURCE (run), "P-OFF"), ==, 3);
}

/* The station is stopped with the trials journaled; started again on the same journal, it
 * sends them before anything else. */
static void
test_plan_offline_crash (void)
{
  g_autofree char *journal = g_build_filename (work_dir, "crash.jsonl", NULL);
  g_autoptr(LkStudy) study = open_study ("plancrash");
  LkLabRun *run = new_run (study, journal);
  LkSession *session = run_plan_offline (study, run, "P-CRASH");

  /* No end of session, no flush: the objects just go, as with a killed process. */
  g_object_unref (session);
  g_object_unref (run);
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(LkLabJournal) left = lk_lab_journal_open (journal, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (lk_lab_journal_get_length (left), ==, 3);
    g_assert_cmpuint (lk_lab_journal_count_trials (left, "P-CRASH"), ==, 3);
  }

  lab_test_server_start ();
  g_assert_cmpuint (lab_test_count ("plancrash", "SELECT count(*) FROM trial"), ==, 0);
  run = new_run (study, journal);
  g_assert_cmpuint (lk_lab_run_get_journal_length (run), ==, 0);
  assert_trials_stored ("plancrash", "P-CRASH");
  g_object_unref (run);
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *dir = NULL;
  g_autofree char *a = NULL, *b = NULL;
  int status;

  if (!lk_ui_test_init (&argc, &argv))
    return 77;
  work_dir = lk_test_tmpdir ("lk-lab-plan-offline-XXXXXX");
  g_setenv ("XDG_STATE_HOME", work_dir, TRUE);
  dir = lab_test_make_study ("lk-lab-plan-offline-study-XXXXXX");
  {
    g_auto(CliRun) r = { 0 };

    cli_run (&r, "settings", lab_test_study_path, "--set", "plan=sort:2,triplet:3", NULL);
    g_assert_cmpint (r.status, ==, 0);
  }
  a = lab_test_study ("planoffline");
  b = lab_test_study ("plancrash");

  g_test_add_func ("/lab/app/plan-offline", test_plan_offline);
  g_test_add_func ("/lab/app/plan-offline-crash", test_plan_offline_crash);
  status = g_test_run ();

  lab_test_remove_study (dir);
  lk_test_rmdir (work_dir);
  g_free (work_dir);

  return status;
}
