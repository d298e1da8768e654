/* test-match-task.c — "find its match" at 1024x600: a page of ten candidates answered with a
 * number key, with the arrow keys and Enter, with "none of these" by key (0) and by the
 * pointer, and with a click on the tenth candidate (which has no number key); each stored with
 * the position picked as shown, or none
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "lk-locale.h"
#include "lk-trial-task-test.h"

/* Fails unless the choice page shows the session's match trial, a page of ten candidates in
 * its order and "none of these". Returns a copy of it. */
static LkTrial *
assert_trial_shown (TrialTest *test)
{
  LkChoicePage *page = lk_session_view_get_choice_page (test->s.view);
  const LkTrial *trial = lk_session_get_trial (test->s.session);

  g_assert_nonnull (trial);
  g_assert_cmpint (trial->kind, ==, LK_TASK_MATCH);
  g_assert_cmpuint (trial->n_items, ==, 1 + LK_MATCH_DEFAULT_PAGE);
  trial_test_wait_page (test, "choice");
  g_assert_true (gtk_widget_get_visible (lk_choice_page_get_none_button (page)));
  g_assert_cmpuint (lk_choice_page_get_n_candidates (page), ==, LK_MATCH_DEFAULT_PAGE);
  for (guint i = 0; i < LK_MATCH_DEFAULT_PAGE; i++)
    trial_test_assert_shows (test,
                             GTK_WIDGET (lk_trial_button_get_picture (lk_choice_page_get_candidate (page, i))),
                             trial->items[i + 1]);

  return lk_trial_copy (trial);
}

static void
test_match_keys_and_pointer (void)
{
  TrialTest test;
  LkChoicePage *page;
  static const struct {
    const char *keys;     /* NULL: click */
    gint        click;    /* candidate index to click, or -1 for "none of these" */
    gint        choice;
  } answers[] = {
    { "4", 0, 4 },
    /* The first arrow focuses the first candidate; then a row down, one right, Enter. */
    { "Right Down Right Return", 0, 7 },
    { "0", 0, LK_TRIAL_NONE },
    { NULL, -1, LK_TRIAL_NONE },
    { NULL, 9, 10 },
  };

  trial_test_show (&test, "match:5");
  page = lk_session_view_get_choice_page (test.s.view);
  trial_test_assert_fits (&test);
  session_view_test_activate (&test.s, "session.begin");

  for (guint i = 0; i < G_N_ELEMENTS (answers); i++)
    {
      g_autoptr(LkTrial) shown = assert_trial_shown (&test);
      const LkTrial *stored;

      trial_test_assert_fits (&test);
      if (answers[i].keys != NULL)
        trial_test_keys (&test, answers[i].keys);
      else if (answers[i].click < 0)
        trial_test_click (&test, lk_choice_page_get_none_button (page));
      else
        trial_test_click (&test, lk_choice_page_get_candidate (page, (guint) answers[i].click));

      stored = trial_test_stored (&test, i, 0);
      g_assert_cmpmem (stored->items, stored->n_items * sizeof (guint),
                       shown->items, shown->n_items * sizeof (guint));
      g_assert_cmpint (stored->choice, ==, answers[i].choice);
    }

  g_assert_cmpint (lk_session_get_state (test.s.session), ==, LK_SESSION_DONE);
  g_assert_cmpuint (lk_memory_run_get_n_trials (test.s.run), ==, G_N_ELEMENTS (answers));

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

  g_test_add_func ("/lk/ui/match-task/keys-and-pointer", test_match_keys_and_pointer);

  return g_test_run ();
}
