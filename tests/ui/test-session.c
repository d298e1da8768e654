/* test-session.c — a participant's session without a display: consent, practice, breaks,
 * saving, failure and retry
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <gio/gio.h>
#include <string.h>

#include "lk-core.h"
#include "lk-demo-collection.h"
#include "lk-locale.h"
#include "lk-memory-run-private.h"
#include "lk-session.h"
#include "lk-session-test.h"
#include "lk-ui-test.h"
#include "lk-refine-worker-private.h"

typedef struct {
  LkDemoCollection *source;
  LkMemoryRun      *saver;
  LkSession        *session;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  LkSessionSetup setup;

  session_test_setup (&setup);
  fixture->session = session_test_new (&setup, "P-ABC23", TRUE, &fixture->source,
                                       &fixture->saver);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  session_test_free (fixture->session, fixture->saver, fixture->source);
}

/* Sorts the grid shown: images alternate between the first two bins, with one move undone. */
static void
sort_grid (LkSession *session)
{
  LkSortModel *model = lk_session_get_model (session);

  g_assert_nonnull (model);
  for (guint p = 0; p < lk_sort_model_get_n_items (model); p++)
    lk_sort_model_move (model, p, (gint) (p % 2));
  lk_sort_model_move (model, 0, 2);
  lk_sort_model_undo (model);
}

static void
test_decline (Fixture       *fixture,
              gconstpointer  data)
{
  g_assert_cmpint (lk_session_get_state (fixture->session), ==, LK_SESSION_CONSENT);
  g_assert_cmpstr (lk_session_get_consent (fixture->session), ==, "Agree?");
  lk_session_decline_consent (fixture->session);
  g_assert_cmpint (lk_session_get_state (fixture->session), ==, LK_SESSION_DECLINED);
  g_assert_null (lk_session_get_model (fixture->session));
  g_assert_cmpuint (lk_memory_run_get_n_saved (fixture->saver), ==, 0);
}

static void
test_whole_session (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  guint breaks = 0;

  lk_session_accept_consent (fixture->session);
  g_assert_cmpint (lk_session_get_state (fixture->session), ==, LK_SESSION_INSTRUCTIONS);
  lk_session_begin (fixture->session);

  /* Two practice grids, not saved. */
  for (guint i = 1; i <= 2; i++)
    {
      g_assert_cmpint (lk_session_get_state (fixture->session), ==, LK_SESSION_SORTING);
      g_assert_true (lk_session_is_practice (fixture->session));
      g_assert_cmpuint (lk_session_get_grid_number (fixture->session), ==, i);
      g_assert_cmpuint (lk_session_get_n_grids (fixture->session), ==, 2);
      sort_grid (fixture->session);
      g_assert_true (lk_session_submit (fixture->session, &error));
      g_assert_no_error (error);
    }
  g_assert_cmpuint (lk_memory_run_get_n_saved (fixture->saver), ==, 0);
  g_assert_cmpint (lk_session_get_state (fixture->session), ==, LK_SESSION_PRACTICE_DONE);
  lk_session_begin (fixture->session);

  /* Seven recorded grids, across two phases, with a break after the third and the sixth. */
  while (lk_session_get_state (fixture->session) != LK_SESSION_DONE)
    {
      guint n = lk_session_get_n_answered (fixture->session);

      if (lk_session_get_state (fixture->session) == LK_SESSION_BREAK)
        {
          breaks++;
          g_assert_cmpuint (n % 3, ==, 0);
          lk_session_resume (fixture->session);
        }
      g_assert_cmpint (lk_session_get_state (fixture->session), ==, LK_SESSION_SORTING);
      g_assert_false (lk_session_is_practice (fixture->session));
      g_assert_cmpuint (lk_session_get_grid_number (fixture->session), ==, n + 1);
      g_assert_cmpuint (lk_session_get_n_grids (fixture->session), ==, 7);
      sort_grid (fixture->session);
      g_assert_true (lk_session_submit (fixture->session, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (lk_memory_run_get_n_saved (fixture->saver), ==, n + 1);
    }

  g_assert_cmpuint (breaks, ==, 2);
  g_assert_cmpuint (lk_session_get_n_answered (fixture->session), ==, 7);
  g_assert_null (lk_session_get_model (fixture->session));

  /* What was saved: the answers as sorted, tagged pilot, each with its move log. */
  for (guint i = 0; i < 7; i++)
    {
      const LkQuery *answer = lk_memory_run_get_answer (fixture->saver, i);

      g_assert_cmpuint (lk_query_get_n_items (answer), ==, 8);
      g_assert_cmpint (lk_query_get_bin (answer, 0), ==, 0);
      g_assert_cmpint (lk_query_get_bin (answer, 1), ==, 1);
      g_assert_cmpint (lk_query_pair_result (answer, 0, 2), ==, LK_PAIR_POSITIVE);
      g_assert_true (lk_memory_run_get_pilot (fixture->saver, i));
      g_assert_cmpuint (lk_memory_run_get_n_moves (fixture->saver, i), ==, 10);
    }
}

static void
test_save_failure (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  LkSortModel *kept;

  lk_session_accept_consent (fixture->session);
  lk_session_begin (fixture->session);
  while (lk_session_is_practice (fixture->session) || lk_session_get_state (fixture->session) != LK_SESSION_SORTING)
    {
      if (lk_session_get_state (fixture->session) == LK_SESSION_PRACTICE_DONE)
        {
          lk_session_begin (fixture->session);
          continue;
        }
      sort_grid (fixture->session);
      g_assert_true (lk_session_submit (fixture->session, NULL));
    }

  /* The disk is full: the answer stays, the session waits for a retry. */
  sort_grid (fixture->session);
  kept = lk_session_get_model (fixture->session);
  lk_memory_run_set_failing (fixture->saver, TRUE);
  g_assert_false (lk_session_submit (fixture->session, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE);
  g_clear_error (&error);
  g_assert_cmpint (lk_session_get_state (fixture->session), ==, LK_SESSION_SAVE_FAILED);
  g_assert_true (lk_session_get_model (fixture->session) == kept);
  g_assert_cmpuint (lk_session_get_n_answered (fixture->session), ==, 0);

  g_assert_false (lk_session_retry (fixture->session, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE);
  g_clear_error (&error);
  g_assert_cmpuint (lk_memory_run_get_n_saved (fixture->saver), ==, 0);

  /* Space was freed: the same answer is saved, and the next grid comes. */
  lk_memory_run_set_failing (fixture->saver, FALSE);
  g_assert_true (lk_session_retry (fixture->session, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (lk_memory_run_get_n_saved (fixture->saver), ==, 1);
  g_assert_cmpint (lk_query_get_bin (lk_memory_run_get_answer (fixture->saver, 0), 1), ==, 1);
  g_assert_cmpint (lk_session_get_state (fixture->session), ==, LK_SESSION_SORTING);
  g_assert_true (lk_session_get_model (fixture->session) != kept);
  g_assert_cmpuint (lk_session_get_grid_number (fixture->session), ==, 2);
}

/* A demo session crossing a phase boundary: the answer that completes the phase's batch starts
 * the update on the worker, and submit returns with the next grid already shown (drawn on the
 * spot, since the queue is empty), before the worker's result is back — submit does not iterate
 * the main loop, so the result cannot have been swapped in. In the end the worker's embedding
 * equals, bit for bit, that of a refiner driven synchronously (lk_refiner_end_phase, then
 * lk_refiner_select_queries, as the session used to) with the same seed and the same answers;
 * every grid served from the queue is the one the synchronous refiner selected. */
static void
test_phase_boundary (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LkDemoCollection) source = lk_demo_collection_new ("colours", &error);
  g_autoptr(LkMemoryRun) saver = NULL;
  g_autoptr(LkSession) session = NULL;
  g_autoptr(LkRefiner) reference = NULL;
  g_autoptr(GPtrArray) batch = NULL;
  LkRefineWorker *worker;
  LkSessionSetup setup = { 0 };
  guint n_items, served = 0, n_drawn = 0, n_boundaries = 0;

  g_assert_no_error (error);
  lk_params_init (&setup.params);
  setup.params.nq = 8;
  setup.params.nc = 3;
  setup.params.budget = 12;
  setup.params.phases = 3;
  setup.params.iterations = 20;
  setup.params.seed = 2385;
  setup.rule = LK_SORT_RULE_ANY_PLACED;
  saver = lk_memory_run_new (lk_image_source_get_n_items (LK_IMAGE_SOURCE (source)),
                             &setup.params, lk_method_paper, NULL, &error);
  g_assert_no_error (error);
  session = lk_session_new (LK_IMAGE_SOURCE (source), &setup, "P-ASYNC", FALSE,
                            LK_GRID_SOURCE (saver), &error);
  g_assert_no_error (error);
  worker = lk_session_get_refine_worker (session);
  g_assert_nonnull (worker);

  /* The first batch is selected on the worker too; let it come back before the first grid. */
  lk_ui_test_wait_worker (worker);
  lk_session_begin (session);
  g_assert_cmpint (lk_session_get_state (session), ==, LK_SESSION_SORTING);
  g_assert_false (lk_session_get_drawn (session));

  while (lk_session_get_state (session) != LK_SESSION_DONE)
    {
      guint phase = lk_refine_worker_get_phase (worker);
      LkSnapshot *before = lk_refine_worker_get_snapshot (worker);

      g_assert_cmpint (lk_session_get_state (session), ==, LK_SESSION_SORTING);
      sort_grid (session);
      g_assert_true (lk_session_submit (session, &error));
      g_assert_no_error (error);

      if (lk_refine_worker_get_busy (worker))
        {
          /* A phase boundary: the update is under way and nothing of it is back yet, but the
           * participant already has the next grid. */
          n_boundaries++;
          g_assert_true (lk_refine_worker_get_snapshot (worker) == before);
          g_assert_cmpuint (lk_refine_worker_get_phase (worker), ==, phase);
          if (lk_session_get_state (session) != LK_SESSION_DONE)
            {
              g_assert_cmpint (lk_session_get_state (session), ==, LK_SESSION_SORTING);
              g_assert_nonnull (lk_session_get_model (session));
              g_assert_true (lk_session_get_drawn (session));
              /* Answer it while the update still runs: the worker holds the answer. */
              sort_grid (session);
              g_assert_true (lk_session_submit (session, &error));
              g_assert_no_error (error);
            }
        }
      /* The rest of the phase comes from the new queue. */
      lk_ui_test_wait_worker (worker);
    }
  lk_ui_test_wait_worker (worker);
  g_assert_cmpuint (n_boundaries, >=, 2);
  g_assert_cmpuint (lk_memory_run_get_n_saved (saver), ==, setup.params.budget);

  /* The synchronous path on the same answers, in the same order. */
  n_items = lk_image_source_get_n_items (LK_IMAGE_SOURCE (source));
  reference = lk_refiner_new (n_items, &setup.params, lk_method_paper, NULL);
  batch = lk_refiner_select_queries (reference, lk_refiner_get_batch_size (reference));
  for (guint i = 0; i < lk_memory_run_get_n_saved (saver); i++)
    {
      const LkQuery *answer = lk_memory_run_get_answer (saver, i);

      if (lk_memory_run_get_drawn (saver, i))
        n_drawn++;
      else
        {
          const LkQuery *query = g_ptr_array_index (batch, served++);

          g_assert_cmpmem (lk_query_get_items (answer),
                           sizeof (guint) * lk_query_get_n_items (answer),
                           lk_query_get_items (query),
                           sizeof (guint) * lk_query_get_n_items (query));
        }
      lk_refiner_add_answer (reference, answer);
      if (served == batch->len && !lk_refiner_is_done (reference)
          && lk_refiner_get_n_batch_answers (reference) >= lk_refiner_get_batch_size (reference))
        {
          lk_refiner_end_phase (reference, NULL);
          g_clear_pointer (&batch, g_ptr_array_unref);
          batch = lk_refiner_is_done (reference)
                  ? g_ptr_array_new ()
                  : lk_refiner_select_queries (reference, lk_refiner_get_batch_size (reference));
          served = 0;
        }
    }
  /* The budget was spent: the last, partial phase is folded in as well. */
  if (!lk_refiner_is_done (reference) && lk_refiner_get_n_batch_answers (reference) > 0)
    lk_refiner_end_phase (reference, NULL);

  g_assert_cmpuint (n_drawn, ==, lk_refine_worker_get_n_drawn (worker));
  g_assert_cmpuint (n_drawn, >=, 1);
  g_assert_cmpuint (lk_refine_worker_get_phase (worker), ==, lk_refiner_get_phase (reference));
  g_assert_cmpuint (lk_refine_worker_get_n_answers (worker), ==, setup.params.budget);
  {
    const LkEmbedding *a = lk_refiner_get_embedding (reference);
    const LkEmbedding *b = lk_refiner_get_embedding (lk_refine_worker_get_refiner (worker));

    g_assert_cmpuint (lk_embedding_get_n_items (a), ==, lk_embedding_get_n_items (b));
    g_assert_cmpuint (lk_embedding_get_dim (a), ==, lk_embedding_get_dim (b));
    g_assert_cmpint (memcmp (lk_embedding_get_data (a), lk_embedding_get_data (b),
                             sizeof (double) * lk_embedding_get_n_items (a)
                             * lk_embedding_get_dim (a)), ==, 0);
  }
}

static void
test_bad_setup (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LkDemoCollection) source = lk_demo_collection_new ("colours", NULL);
  g_autoptr(LkMemoryRun) saver = NULL;
  LkSessionSetup setup = { 0 };
  LkSession *session;

  /* A run that fits the collection; the session refuses settings that do not. */
  lk_params_init (&setup.params);
  saver = lk_memory_run_new (lk_image_source_get_n_items (LK_IMAGE_SOURCE (source)),
                             &setup.params, lk_method_paper, NULL, &error);
  g_assert_no_error (error);
  setup.params.nc = 12;
  session = lk_session_new (LK_IMAGE_SOURCE (source), &setup, "P", FALSE,
                            LK_GRID_SOURCE (saver), &error);
  /* The study's one rule (lk_params_validate_study), which says what to change. */
  g_assert_error (error, LK_CORE_ERROR, LK_CORE_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "choose nc from 2 to 10"));
  g_assert_null (session);
  g_clear_error (&error);

  setup.params.nc = 4;
  setup.params.nq = 500;
  session = lk_session_new (LK_IMAGE_SOURCE (source), &setup, "P", FALSE,
                            LK_GRID_SOURCE (saver), &error);
  g_assert_nonnull (error);
  g_assert_null (session);
}

/* A study whose budget is spent takes no participant through consent,
 * instructions and practice to a thank-you after zero grids; the session says at once that the
 * study is complete. */
static void
test_spent (void)
{
  g_autoptr(GError) error = NULL;
  LkDemoCollection *source;
  LkMemoryRun *run;
  LkSession *first, *second;
  LkSessionSetup setup;

  session_test_setup (&setup);
  setup.params.budget = 1;
  setup.params.phases = 1;
  setup.n_practice = 1;
  first = session_test_new (&setup, "P-FIRST", FALSE, &source, &run);
  g_assert_false (lk_grid_source_is_spent (LK_GRID_SOURCE (run)));
  lk_session_accept_consent (first);
  lk_session_begin (first);
  sort_grid (first);
  g_assert_true (lk_session_submit (first, &error));
  lk_session_begin (first);
  sort_grid (first);
  g_assert_true (lk_session_submit (first, &error));
  g_assert_no_error (error);
  g_assert_cmpint (lk_session_get_state (first), ==, LK_SESSION_DONE);
  g_assert_true (lk_grid_source_is_spent (LK_GRID_SOURCE (run)));

  second = lk_session_new (LK_IMAGE_SOURCE (source), &setup, "P-SECOND", FALSE,
                           LK_GRID_SOURCE (run), &error);
  g_assert_no_error (error);
  g_assert_cmpint (lk_session_get_state (second), ==, LK_SESSION_COMPLETE);
  g_assert_null (lk_session_get_model (second));
  g_assert_cmpuint (lk_memory_run_get_n_saved (run), ==, 1);

  g_assert_finalize_object (second);
  lk_ui_test_wait_worker (lk_session_get_refine_worker (first));
  session_test_free (first, run, source);
}

int
main (int   argc,
      char *argv[])
{
  lk_locale_init ("C.UTF-8");
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/lk/ui/session/decline", Fixture, NULL, fixture_set_up, test_decline,
              fixture_tear_down);
  g_test_add ("/lk/ui/session/whole", Fixture, NULL, fixture_set_up, test_whole_session,
              fixture_tear_down);
  g_test_add ("/lk/ui/session/save-failure", Fixture, NULL, fixture_set_up, test_save_failure,
              fixture_tear_down);
  g_test_add_func ("/lk/ui/session/bad-setup", test_bad_setup);
  g_test_add_func ("/lk/ui/session/phase-boundary", test_phase_boundary);
  g_test_add_func ("/lk/ui/session/spent", test_spent);

  return g_test_run ();
}
