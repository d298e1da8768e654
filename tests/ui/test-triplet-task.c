/* test-triplet-task.c — the triplet screen at 1024x600: its instructions and example, a
 * practice trial not stored, then trials answered with the keys (1 to 4, ← and →) and with the
 * pointer, each stored with the answer in terms of the drawn A and B whichever side they were
 * shown on
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "lk-locale.h"
#include "lk-scores.h"
#include "lk-trial-task-test.h"

/* Returns the answer stored for an answer on screen ("A" is the left image). */
static gint
expected (const LkTrial *trial,
          gint           on_screen)
{
  if (trial->swapped && on_screen == LK_TRIPLET_ANSWER_A_CLOSER)
    return LK_TRIPLET_ANSWER_B_CLOSER;
  if (trial->swapped && on_screen == LK_TRIPLET_ANSWER_B_CLOSER)
    return LK_TRIPLET_ANSWER_A_CLOSER;

  return on_screen;
}

/* Fails unless the triplet page shows the session's trial: Q on top, the drawn A on the left
 * unless swapped. Returns a copy of it. */
static LkTrial *
assert_trial_shown (TrialTest *test)
{
  LkTripletPage *page = lk_session_view_get_triplet_page (test->s.view);
  const LkTrial *trial = lk_session_get_trial (test->s.session);

  g_assert_nonnull (trial);
  g_assert_cmpint (trial->kind, ==, LK_TASK_TRIPLET);
  trial_test_wait_page (test, "triplet");
  trial_test_assert_shows (test, lk_triplet_page_get_picture (page, 0), trial->items[0]);
  trial_test_assert_shows (test, lk_triplet_page_get_picture (page, 1),
                           trial->items[trial->swapped ? 2 : 1]);
  trial_test_assert_shows (test, lk_triplet_page_get_picture (page, 2),
                           trial->items[trial->swapped ? 1 : 2]);

  return lk_trial_copy (trial);
}

static void
test_triplet_keys_and_pointer (void)
{
  static const struct {
    const char *keys;     /* NULL: click */
    gint        on_screen;
  } answers[] = {
    { "3", LK_TRIPLET_ANSWER_A_CLOSER },
    { "Right", LK_TRIPLET_ANSWER_B_CLOSER },
    { "Left", LK_TRIPLET_ANSWER_A_CLOSER },
    { "KP_2", LK_TRIPLET_ANSWER_BOTH_DISSIMILAR },
    { NULL, LK_TRIPLET_ANSWER_B_CLOSER },
    { NULL, LK_TRIPLET_ANSWER_BOTH_SIMILAR },
  };
  TrialTest test;
  LkTripletPage *page;
  guint n_swapped = 0;

  trial_test_show (&test, "triplet:6:1");
  page = lk_session_view_get_triplet_page (test.s.view);
  g_assert_cmpstr (lk_session_view_get_page (test.s.view), ==, "instructions");
  g_assert_true (gtk_widget_get_visible (lk_session_view_get_trial_example (test.s.view)));
  g_assert_false (gtk_widget_get_visible (lk_session_view_get_example (test.s.view)));
  trial_test_assert_fits (&test);

  /* The practice trial: answered, not stored. */
  session_view_test_activate (&test.s, "session.begin");
  g_assert_true (lk_session_is_practice (test.s.session));
  {
    g_autoptr(LkTrial) practice = assert_trial_shown (&test);
  }
  trial_test_assert_fits (&test);
  trial_test_keys (&test, "1");
  g_assert_cmpint (lk_session_get_state (test.s.session), ==, LK_SESSION_PRACTICE_DONE);
  g_assert_cmpuint (lk_memory_run_get_n_trials (test.s.run), ==, 0);
  session_view_test_activate (&test.s, "session.begin");

  for (guint i = 0; i < G_N_ELEMENTS (answers); i++)
    {
      g_autoptr(LkTrial) shown = assert_trial_shown (&test);
      const LkTrial *stored;

      g_assert_cmpuint (lk_session_get_grid_number (test.s.session), ==, i + 1);
      g_assert_cmpuint (lk_session_get_n_grids (test.s.session), ==, 6);
      if (answers[i].keys != NULL)
        trial_test_keys (&test, answers[i].keys);
      else
        trial_test_click (&test, lk_triplet_page_get_button (page, answers[i].on_screen));

      stored = trial_test_stored (&test, i, 0);
      g_assert_cmpuint (lk_memory_run_get_n_trials (test.s.run), ==, i + 1);
      g_assert_cmpmem (stored->items, stored->n_items * sizeof (guint),
                       shown->items, shown->n_items * sizeof (guint));
      g_assert_cmpint (stored->swapped, ==, shown->swapped);
      g_assert_cmpint (stored->choice, ==, expected (shown, answers[i].on_screen));
      n_swapped += shown->swapped;
    }

  g_assert_cmpint (lk_session_get_state (test.s.session), ==, LK_SESSION_DONE);
  g_assert_cmpuint (lk_memory_run_get_n_trials (test.s.run), ==, G_N_ELEMENTS (answers));
  /* The draw puts A on either side: with this seed, both happen. */
  g_assert_cmpuint (n_swapped, >, 0);
  g_assert_cmpuint (n_swapped, <, G_N_ELEMENTS (answers));

  trial_test_free (&test);
}

int
main (int    argc,
      char **argv)
{
  if (!lk_ui_test_init (&argc, &argv))
    return 0;
  lk_locale_init ("C.UTF-8");
  if (!lk_keys_test_available ())
    {
      g_print ("1..0 # SKIP no xdotool or no X11 display\n");
      return 0;
    }

  g_test_add_func ("/lk/ui/triplet-task/keys-and-pointer", test_triplet_keys_and_pointer);

  return g_test_run ();
}
