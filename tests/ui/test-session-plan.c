/* test-session-plan.c — a session that runs a plan of blocks: each block's instructions (the
 * study's own for sorting, the task's with its drawn example otherwise), its practice, its
 * own "3 of 5", breaks within a block and between blocks, a trial whose save fails kept and
 * stored on retry, and a participant coming back resuming in the block they left
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "lk-locale.h"
#include "lk-scores.h"
#include "lk-session-view-test.h"
#include "lk-trial-draw.h"

#define PLAN "sort:2:1,triplet:3:1,intruder:2"

/* Sorts the grid shown into the first two bins. */
static void
sort_grid (LkSession *session)
{
  LkSortModel *model = lk_session_get_model (session);

  g_assert_nonnull (model);
  for (guint p = 0; p < lk_sort_model_get_n_items (model); p++)
    lk_sort_model_move (model, p, (gint) (p % 2));
}

static void
assert_page (SessionViewTest *test,
             const char      *page)
{
  lk_ui_test_flush ();
  g_assert_cmpstr (lk_session_view_get_page (test->view), ==, page);
}

static void
answer (SessionViewTest *test,
        gint             choice)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (lk_session_answer_trial (test->session, choice, &error));
  g_assert_no_error (error);
}

static LkSession *
new_session (SessionViewTest *test,
             const char      *code,
             GError         **error)
{
  LkSessionSetup setup;
  LkPlan plan;
  g_autoptr(LkSession) session = NULL;

  session_test_setup (&setup);
  setup.break_every = 2;
  g_assert_true (lk_plan_parse (PLAN, &plan, NULL));
  session = lk_session_new (LK_IMAGE_SOURCE (test->source), &setup, code, FALSE,
                            LK_GRID_SOURCE (test->run), error);
  g_assert_nonnull (session);
  if (!lk_session_set_plan (session, &plan, error))
    return NULL;

  return g_steal_pointer (&session);
}

static void
test_whole_plan (void)
{
  SessionViewTest test;
  LkSessionSetup setup;
  LkPlan plan;
  g_autoptr(GError) error = NULL;
  guint n_blocks, block;
  const LkTrial *trial;

  session_test_setup (&setup);
  setup.break_every = 2;
  g_assert_true (lk_plan_parse (PLAN, &plan, &error));
  session_view_test_show (&test, &setup, "P-PLAN");
  g_assert_true (lk_session_set_plan (test.session, &plan, &error));
  g_assert_no_error (error);

  /* Block 1 of 3: sorting, the study's instructions and the sorting example. */
  session_view_test_activate (&test, "session.accept");
  assert_page (&test, "instructions");
  g_assert_cmpint (lk_session_get_kind (test.session), ==, LK_TASK_SORT);
  g_assert_cmpuint (lk_session_get_block (test.session, &n_blocks), ==, 0);
  g_assert_cmpuint (n_blocks, ==, 3);
  g_assert_true (gtk_widget_get_visible (lk_session_view_get_example (test.view)));
  g_assert_false (gtk_widget_get_visible (lk_session_view_get_trial_example (test.view)));
  session_view_test_activate (&test, "session.begin");
  assert_page (&test, "sort");
  g_assert_true (lk_session_is_practice (test.session));
  sort_grid (test.session);
  g_assert_true (lk_session_submit (test.session, &error));
  g_assert_cmpint (lk_session_get_state (test.session), ==, LK_SESSION_PRACTICE_DONE);
  session_view_test_activate (&test, "session.begin");
  for (guint i = 1; i <= 2; i++)
    {
      assert_page (&test, "sort");
      g_assert_cmpuint (lk_session_get_grid_number (test.session), ==, i);
      g_assert_cmpuint (lk_session_get_n_grids (test.session), ==, 2);
      sort_grid (test.session);
      g_assert_true (lk_session_submit (test.session, &error));
      g_assert_no_error (error);
    }
  g_assert_cmpuint (lk_memory_run_get_n_saved (test.run), ==, 2);

  /* The break between blocks, then block 2's own instructions and example. */
  g_assert_cmpint (lk_session_get_state (test.session), ==, LK_SESSION_BREAK);
  g_assert_true (lk_session_get_between_blocks (test.session));
  assert_page (&test, "break");
  session_view_test_activate (&test, "session.resume");
  assert_page (&test, "instructions");
  g_assert_cmpint (lk_session_get_kind (test.session), ==, LK_TASK_TRIPLET);
  g_assert_cmpuint (lk_session_get_block (test.session, NULL), ==, 1);
  g_assert_false (gtk_widget_get_visible (lk_session_view_get_example (test.view)));
  g_assert_true (gtk_widget_get_visible (lk_session_view_get_trial_example (test.view)));

  session_view_test_activate (&test, "session.begin");
  assert_page (&test, "triplet");
  g_assert_true (lk_session_is_practice (test.session));
  answer (&test, LK_TRIPLET_ANSWER_BOTH_SIMILAR);
  g_assert_cmpint (lk_session_get_state (test.session), ==, LK_SESSION_PRACTICE_DONE);
  g_assert_cmpuint (lk_memory_run_get_n_trials (test.run), ==, 0);
  session_view_test_activate (&test, "session.begin");
  answer (&test, LK_TRIPLET_ANSWER_A_CLOSER);
  g_assert_cmpuint (lk_session_get_grid_number (test.session), ==, 2);
  g_assert_cmpuint (lk_session_get_n_grids (test.session), ==, 3);
  answer (&test, LK_TRIPLET_ANSWER_B_CLOSER);

  /* A break within the block every two; it goes back to the same task. */
  g_assert_cmpint (lk_session_get_state (test.session), ==, LK_SESSION_BREAK);
  g_assert_false (lk_session_get_between_blocks (test.session));
  session_view_test_activate (&test, "session.resume");
  assert_page (&test, "triplet");

  /* The disk fills: the answer is kept, nothing stored, and stored on retry. */
  lk_memory_run_set_failing (test.run, TRUE);
  g_assert_false (lk_session_answer_trial (test.session, LK_TRIPLET_ANSWER_BOTH_DISSIMILAR,
                                           &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE);
  g_clear_error (&error);
  assert_page (&test, "save-failed");
  g_assert_cmpuint (lk_memory_run_get_n_trials (test.run), ==, 2);
  lk_memory_run_set_failing (test.run, FALSE);
  session_view_test_activate (&test, "session.retry");
  g_assert_cmpuint (lk_memory_run_get_n_trials (test.run), ==, 3);
  trial = lk_memory_run_get_trial (test.run, 2, &block, NULL);
  g_assert_cmpint (trial->choice, ==, LK_TRIPLET_ANSWER_BOTH_DISSIMILAR);
  g_assert_cmpuint (block, ==, 1);

  /* Block 3: odd one out, no practice, then the end. */
  g_assert_true (lk_session_get_between_blocks (test.session));
  session_view_test_activate (&test, "session.resume");
  g_assert_cmpint (lk_session_get_kind (test.session), ==, LK_TASK_INTRUDER);
  session_view_test_activate (&test, "session.begin");
  assert_page (&test, "intruder");
  g_assert_false (lk_session_is_practice (test.session));
  answer (&test, 0);
  answer (&test, 7);
  g_assert_cmpint (lk_session_get_state (test.session), ==, LK_SESSION_DONE);
  assert_page (&test, "done");
  g_assert_cmpuint (lk_memory_run_get_n_trials (test.run), ==, 5);
  for (guint i = 0; i < 5; i++)
    {
      trial = lk_memory_run_get_trial (test.run, i, &block, NULL);
      g_assert_cmpuint (block, ==, i < 3 ? 1 : 2);
      g_assert_cmpint (trial->kind, ==, i < 3 ? LK_TASK_TRIPLET : LK_TASK_INTRUDER);
    }
  g_assert_cmpint (lk_memory_run_get_trial (test.run, 4, NULL, NULL)->choice, ==, 7);

  /* The same code again: nothing left to do. */
  {
    g_autoptr(LkSession) again = new_session (&test, "P-PLAN", &error);

    g_assert_null (again);
    g_assert_error (error, LK_SESSION_ERROR, LK_SESSION_ERROR_PARTICIPANT_DONE);
    g_clear_error (&error);
  }

  /* Another participant leaves after the sorting block, and comes back to the triplets. */
  {
    g_autoptr(LkSession) first = new_session (&test, "P-TWO", &error);

    g_assert_no_error (error);
    lk_session_accept_consent (first);
    lk_session_begin (first);
    sort_grid (first);
    g_assert_true (lk_session_submit (first, &error));
    lk_session_begin (first);
    for (guint i = 0; i < 2; i++)
      {
        sort_grid (first);
        g_assert_true (lk_session_submit (first, &error));
      }
    g_assert_true (lk_session_end (first, &error));
  }
  {
    g_autoptr(LkSession) back = new_session (&test, "P-TWO", &error);

    g_assert_no_error (error);
    g_assert_cmpint (lk_session_get_kind (back), ==, LK_TASK_TRIPLET);
    g_assert_cmpuint (lk_session_get_block (back, NULL), ==, 1);
    lk_session_accept_consent (back);
    lk_session_begin (back);
    g_assert_true (lk_session_is_practice (back));
  }

  session_view_test_free (&test);
}

/* The in-memory run's trials are the core's draws (lk_trial_draw()) under the study's seed:
 * before the first phase, triplets of the "mix" policy with nothing learned (random, sides
 * drawn), intruders from the groups it was given; the random policy of practice would draw
 * other images. */
static void
test_memory_draws (void)
{
  LkSessionSetup setup;
  g_autoptr(LkMemoryRun) run = NULL;
  g_autoptr(GError) error = NULL;
  gsl_rng *rng = gsl_rng_alloc (gsl_rng_mt19937);
  guint labels[60];
  LkTrialDrawContext ctx = {
    .n_items = G_N_ELEMENTS (labels),
    .clusters = labels,
    .n_clusters = 3,
    .random_share = LK_TRIAL_DRAW_RANDOM_SHARE,
  };

  session_test_setup (&setup);
  for (guint i = 0; i < G_N_ELEMENTS (labels); i++)
    labels[i] = i % 3;
  run = lk_memory_run_new (G_N_ELEMENTS (labels), &setup.params, lk_method_paper, NULL, &error);
  g_assert_no_error (error);
  lk_memory_run_set_labels (run, labels, 3);
  gsl_rng_set (rng, (unsigned long) (setup.params.seed ^ 0x7249a1u));

  for (guint i = 0; i < 8; i++)
    {
      LkTaskKind kind = i < 5 ? LK_TASK_TRIPLET : LK_TASK_INTRUDER;
      g_autoptr(LkGrid) grid = lk_grid_source_next_trial (LK_GRID_SOURCE (run), kind, &error);
      g_autoptr(LkTrial) expected = lk_trial_draw (kind, &ctx, rng, &error);
      const LkTrial *trial;

      g_assert_no_error (error);
      trial = lk_grid_get_trial (grid);
      g_assert_cmpint (trial->kind, ==, kind);
      g_assert_cmpmem (trial->items, trial->n_items * sizeof (guint),
                       expected->items, expected->n_items * sizeof (guint));
      g_assert_cmpint (trial->swapped, ==, expected->swapped);
      g_assert_cmpint (trial->key, ==, expected->key);
      if (kind == LK_TASK_INTRUDER)
        for (guint j = 0; j < trial->n_items; j++)
          g_assert_true ((labels[trial->items[j]] == labels[trial->items[(guint) trial->key]])
                         == (j == (guint) trial->key));
    }
  gsl_rng_free (rng);
}

int
main (int    argc,
      char **argv)
{
  if (!lk_ui_test_init (&argc, &argv))
    return 0;
  lk_locale_init ("C.UTF-8");

  g_test_add_func ("/lk/ui/session-plan/whole-plan", test_whole_plan);
  g_test_add_func ("/lk/ui/session-plan/memory-draws", test_memory_draws);

  return g_test_run ();
}
