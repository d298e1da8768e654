/* test-session.c — a participant's session without a display: consent, practice, breaks,
 * saving, failure and retry
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <gio/gio.h>

#include "lk-demo-collection.h"
#include "lk-locale.h"
#include "lk-memory-saver.h"
#include "lk-session.h"

typedef struct {
  LkDemoCollection *source;
  LkMemorySaver    *saver;
  LkSession        *session;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  LkSessionSetup setup;

  lk_params_init (&setup.params);
  setup.params.nq = 8;
  setup.params.nc = 3;
  setup.params.budget = 7;
  setup.params.phases = 2;
  setup.params.iterations = 20;
  setup.params.seed = 2385;
  setup.rule = LK_SORT_RULE_ANY_PLACED;
  setup.break_every = 3;
  setup.n_practice = 2;
  setup.consent = "Agree?";
  setup.instructions = "Sort them.";

  fixture->source = lk_demo_collection_new ("colours", &error);
  g_assert_no_error (error);
  fixture->saver = lk_memory_saver_new ();
  fixture->session = lk_session_new (LK_IMAGE_SOURCE (fixture->source), &setup, "P-ABC23", TRUE,
                                     LK_ANSWER_SAVER (fixture->saver), &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_assert_finalize_object (fixture->session);
  g_assert_finalize_object (fixture->saver);
  g_assert_finalize_object (fixture->source);
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
  g_assert_cmpuint (lk_memory_saver_get_n_saved (fixture->saver), ==, 0);
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
  g_assert_cmpuint (lk_memory_saver_get_n_saved (fixture->saver), ==, 0);
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
      g_assert_cmpuint (lk_memory_saver_get_n_saved (fixture->saver), ==, n + 1);
    }

  g_assert_cmpuint (breaks, ==, 2);
  g_assert_cmpuint (lk_session_get_n_answered (fixture->session), ==, 7);
  g_assert_null (lk_session_get_model (fixture->session));

  /* What was saved: the answers as sorted, tagged pilot, each with its move log. */
  for (guint i = 0; i < 7; i++)
    {
      const LkQuery *answer = lk_memory_saver_get_answer (fixture->saver, i);

      g_assert_cmpuint (lk_query_get_n_items (answer), ==, 8);
      g_assert_cmpint (lk_query_get_bin (answer, 0), ==, 0);
      g_assert_cmpint (lk_query_get_bin (answer, 1), ==, 1);
      g_assert_cmpint (lk_query_pair_result (answer, 0, 2), ==, LK_PAIR_POSITIVE);
      g_assert_true (lk_memory_saver_get_pilot (fixture->saver, i));
      g_assert_cmpuint (lk_memory_saver_get_n_moves (fixture->saver, i), ==, 10);
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
  lk_memory_saver_set_failing (fixture->saver, TRUE);
  g_assert_false (lk_session_submit (fixture->session, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE);
  g_clear_error (&error);
  g_assert_cmpint (lk_session_get_state (fixture->session), ==, LK_SESSION_SAVE_FAILED);
  g_assert_true (lk_session_get_model (fixture->session) == kept);
  g_assert_cmpuint (lk_session_get_n_answered (fixture->session), ==, 0);

  g_assert_false (lk_session_retry (fixture->session, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE);
  g_clear_error (&error);
  g_assert_cmpuint (lk_memory_saver_get_n_saved (fixture->saver), ==, 0);

  /* Space was freed: the same answer is saved, and the next grid comes. */
  lk_memory_saver_set_failing (fixture->saver, FALSE);
  g_assert_true (lk_session_retry (fixture->session, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (lk_memory_saver_get_n_saved (fixture->saver), ==, 1);
  g_assert_cmpint (lk_query_get_bin (lk_memory_saver_get_answer (fixture->saver, 0), 1), ==, 1);
  g_assert_cmpint (lk_session_get_state (fixture->session), ==, LK_SESSION_SORTING);
  g_assert_true (lk_session_get_model (fixture->session) != kept);
  g_assert_cmpuint (lk_session_get_grid_number (fixture->session), ==, 2);
}

static void
test_bad_setup (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LkDemoCollection) source = lk_demo_collection_new ("colours", NULL);
  g_autoptr(LkMemorySaver) saver = lk_memory_saver_new ();
  LkSessionSetup setup = { 0 };
  LkSession *session;

  lk_params_init (&setup.params);
  setup.params.nc = 12;
  session = lk_session_new (LK_IMAGE_SOURCE (source), &setup, "P", FALSE,
                            LK_ANSWER_SAVER (saver), &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_null (session);
  g_clear_error (&error);

  setup.params.nc = 4;
  setup.params.nq = 500;
  session = lk_session_new (LK_IMAGE_SOURCE (source), &setup, "P", FALSE,
                            LK_ANSWER_SAVER (saver), &error);
  g_assert_nonnull (error);
  g_assert_null (session);
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

  return g_test_run ();
}
