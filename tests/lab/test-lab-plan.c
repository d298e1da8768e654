/* test-lab-plan.c — a lab station follows the study's session plan (run inside pg-cluster.sh,
 * under Xvfb): a study with the plan sort:2,triplet:2 pushed to the database, opened as a
 * station opens it (its private copy carries the plan), and a session on an LkLabRun that sorts
 * two grids and answers two triplets drawn by the station; the database then holds the two
 * grids' answers and the two trials with their kind, sides, choices, block and times, once
 * each, and counts them for the participant; an odd-one-out trial drawn from the copy's
 * folders.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "tests/cli/cli-test-utils.h"
#include "lab-test-utils.h"
#include "lk-collection.h"
#include "lk-lab-run.h"
#include "lk-scores.h"
#include "lk-session.h"
#include "lk-session-settings.h"
#include "lk-ui-test.h"
#include "tests/lk-test-utils.h"

static char *work_dir;

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

static void
test_plan (void)
{
  g_autofree char *uri = g_strdup_printf ("postgresql:///plan?host=%s&port=%s",
                                          g_getenv ("PGHOST"), g_getenv ("PGPORT"));
  g_autofree char *journal = g_build_filename (work_dir, "journal.jsonl", NULL);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(LkStudy) study = NULL;
  g_autoptr(LkLabRun) run = NULL;
  g_autoptr(LkSession) session = NULL;
  g_auto(LkSessionSettings) settings = { 0 };
  LkSessionSetup setup;
  LkPlan plan;
  guint sorted = 0, judged = 0;
  gint choices[2] = { LK_TRIPLET_ANSWER_A_CLOSER, LK_TRIPLET_ANSWER_BOTH_DISSIMILAR };

  lk_lab_study_open_async (uri, NULL, got_result_cb, &result);
  lk_ui_test_wait_for (have_result, &result);
  study = lk_lab_study_open_finish (result, &error);
  g_assert_no_error (error);
  g_clear_object (&result);
  lk_lab_run_new_async (study, journal, NULL, got_result_cb, &result);
  lk_ui_test_wait_for (have_result, &result);
  run = lk_lab_run_new_finish (result, &error);
  g_assert_no_error (error);

  /* The plan travels with the settings: the copy has it, as the window reads it. */
  g_assert_true (lk_store_load_session_settings (lk_study_get_store (study), &settings, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (settings.plan, ==, "sort:2,triplet:2");
  lk_study_get_setup (study, &setup);
  setup.break_every = 0;
  g_assert_true (lk_session_settings_get_plan (&settings, &setup.params, &plan, &error));
  session = lk_session_new (LK_IMAGE_SOURCE (study), &setup, "P-PLAN", FALSE,
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
          g_assert_cmpuint (lk_session_get_trial (session)->n_items, ==, 3);
          g_assert_true (lk_session_answer_trial (session, practice ? LK_TRIPLET_ANSWER_A_CLOSER
                                                                    : choices[judged], &error));
          g_assert_no_error (error);
          judged += !practice;
        }
    }

  /* Two grids sorted (the plan has no practice of its own beyond the study's) and two
   * triplets, stored in the lab database once each. */
  g_assert_cmpuint (lab_test_count ("plan", "SELECT count(*) FROM answer a JOIN query q ON "
                                    "q.id = a.query JOIN participant p ON p.id = a.participant "
                                    "WHERE p.code = 'P-PLAN' AND q.kind = 'sort'"), ==, 2);
  g_assert_cmpuint (lab_test_count ("plan", "SELECT count(*) FROM answer a JOIN query q ON "
                                    "q.id = a.query JOIN trial t ON t.query = q.id WHERE "
                                    "q.kind = 'triplet' AND q.policy = 'trial' AND t.block = 1 "
                                    "AND a.client_uuid IS NOT NULL AND a.station IS NOT NULL "
                                    "AND a.submitted_us >= a.shown_us AND a.session IS NOT NULL"),
                    ==, 2);
  g_assert_cmpuint (lab_test_count ("plan", "SELECT count(*) FROM query_item i JOIN query q ON "
                                    "q.id = i.query WHERE q.kind = 'triplet'"), ==, 6);
  /* The choices in the order given, each about the drawn A and B (sides logged). */
  {
    g_autofree char *given = lab_test_admin ("plan", "SELECT string_agg(a.choice::text, ',' "
                                             "ORDER BY a.id) FROM answer a JOIN query q ON "
                                             "q.id = a.query WHERE q.kind = 'triplet'");
    g_autofree char *expected = g_strdup_printf ("%d,%d", choices[0], choices[1]);

    g_assert_cmpstr (given, ==, expected);
  }
  g_assert_cmpuint (lk_grid_source_count_trials (LK_GRID_SOURCE (run), "P-PLAN"), ==, 2);
  g_assert_cmpuint (lk_grid_source_count_trials (LK_GRID_SOURCE (run), "P-NOBODY"), ==, 0);
  g_assert_true (lk_session_end (session, &error));
  g_assert_no_error (error);

  /* An odd-one-out trial before the first phase takes its groups from the copy's folders
   * (the images' root and sub/, read on a thread): 7 images of one folder and 1 of the other. */
  {
    g_autoptr(LkGrid) grid = NULL;
    g_autoptr(GHashTable) folders = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
    const LkTrial *trial;
    GHashTableIter iter;
    gpointer count;
    guint smallest = G_MAXUINT;

    grid = lk_grid_source_next_trial (LK_GRID_SOURCE (run), LK_TASK_INTRUDER, &error);
    g_assert_no_error (error);
    trial = lk_grid_get_trial (grid);
    g_assert_cmpuint (trial->n_items, ==, 8);
    for (guint i = 0; i < trial->n_items; i++)
      {
        g_autofree char *path = lk_collection_get_image_path (lk_study_get_store (study),
                                                              trial->items[i]);
        char *folder = g_path_get_dirname (path);

        count = g_hash_table_lookup (folders, folder);
        g_hash_table_replace (folders, folder, GUINT_TO_POINTER (GPOINTER_TO_UINT (count) + 1));
      }
    g_assert_cmpuint (g_hash_table_size (folders), ==, 2);
    g_hash_table_iter_init (&iter, folders);
    while (g_hash_table_iter_next (&iter, NULL, &count))
      smallest = MIN (smallest, GPOINTER_TO_UINT (count));
    g_assert_cmpuint (smallest, ==, 1);
  }

  /* A copy pulled now holds them as a study file's trials. */
  {
    g_autoptr(LkLab) lab = lk_lab_connect ("dbname=plan", "check", &error);
    g_autofree char *copy = g_build_filename (work_dir, "copy.likeness", NULL);
    g_autoptr(LkStore) store = NULL;
    g_autoptr(GPtrArray) trials = NULL;

    g_assert_no_error (error);
    g_assert_true (lk_lab_pull (lab, copy, &error));
    g_assert_no_error (error);
    store = lk_store_open (copy, LK_STORE_OPEN_READ_ONLY, &error);
    g_assert_no_error (error);
    trials = lk_answers_list_trials (store, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (trials->len, ==, 2);
    g_assert_cmpint (((LkTrial *) g_ptr_array_index (trials, 1))->choice, ==, choices[1]);
  }
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *dir = NULL;
  g_autofree char *conninfo = NULL;
  int status;

  if (!lk_ui_test_init (&argc, &argv))
    return 77;
  work_dir = lk_test_tmpdir ("lk-lab-plan-work-XXXXXX");
  g_setenv ("XDG_STATE_HOME", work_dir, TRUE);
  dir = lab_test_make_study ("lk-lab-plan-XXXXXX");
  {
    g_auto(CliRun) r = { 0 };

    cli_run (&r, "settings", lab_test_study_path, "--set", "plan=sort:2,triplet:2", NULL);
    g_assert_cmpint (r.status, ==, 0);
  }
  conninfo = lab_test_study ("plan");

  g_test_add_func ("/lab/app/plan", test_plan);
  status = g_test_run ();

  lab_test_remove_study (dir);
  lk_test_rmdir (work_dir);
  g_free (work_dir);

  return status;
}
