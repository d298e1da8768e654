/* test-choice-task.c — the 5-way forced choice at 1024x600: its instructions and example, a
 * practice trial not stored, then trials answered with the number keys (the keypad's too) and
 * with the pointer, each stored with the position picked among the candidates as shown
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "lk-locale.h"
#include "lk-trial-task-test.h"

/* Fails unless the choice page shows the session's trial, candidates in its order. Returns a
 * copy of it. */
static LkTrial *
assert_trial_shown (TrialTest *test)
{
  LkChoicePage *page = lk_session_view_get_choice_page (test->s.view);
  const LkTrial *trial = lk_session_get_trial (test->s.session);

  g_assert_nonnull (trial);
  g_assert_cmpint (trial->kind, ==, LK_TASK_CHOICE5);
  g_assert_cmpuint (trial->n_items, ==, LK_CHOICE5_N_ITEMS);
  trial_test_wait_page (test, "choice");
  g_assert_false (gtk_widget_get_visible (lk_choice_page_get_none_button (page)));
  g_assert_cmpuint (lk_choice_page_get_n_candidates (page), ==, 5);
  for (guint i = 0; i < 5; i++)
    trial_test_assert_shows (test,
                             GTK_WIDGET (lk_trial_button_get_picture (lk_choice_page_get_candidate (page, i))),
                             trial->items[i + 1]);

  return lk_trial_copy (trial);
}

static void
test_choice5_keys_and_pointer (void)
{
  static const struct {
    const char *keys;     /* NULL: click the candidate */
    gint        position; /* in the trial's items: candidate n is n */
  } answers[] = {
    { "2", 2 },
    { "5", 5 },
    { "KP_1", 1 },
    { "0", -100 },        /* no "none of these" in a 5-way choice: then 3 answers */
    { NULL, 4 },
    { NULL, 1 },
  };
  TrialTest test;
  LkChoicePage *page;

  trial_test_show (&test, "choice5:6:1");
  page = lk_session_view_get_choice_page (test.s.view);
  g_assert_cmpstr (lk_session_view_get_page (test.s.view), ==, "instructions");
  g_assert_true (gtk_widget_get_visible (lk_session_view_get_trial_example (test.s.view)));
  trial_test_assert_fits (&test);

  session_view_test_activate (&test.s, "session.begin");
  {
    g_autoptr(LkTrial) practice = assert_trial_shown (&test);
  }
  trial_test_assert_fits (&test);
  trial_test_keys (&test, "3");
  g_assert_cmpint (lk_session_get_state (test.s.session), ==, LK_SESSION_PRACTICE_DONE);
  g_assert_cmpuint (lk_memory_run_get_n_trials (test.s.run), ==, 0);
  session_view_test_activate (&test.s, "session.begin");

  for (guint i = 0; i < G_N_ELEMENTS (answers); i++)
    {
      g_autoptr(LkTrial) shown = assert_trial_shown (&test);
      guint stored_index = lk_memory_run_get_n_trials (test.s.run);
      gint position = answers[i].position;
      const LkTrial *stored;

      if (answers[i].keys != NULL && position == -100)
        {
          /* 0 is not an answer here: nothing is stored, the trial stays. */
          trial_test_keys (&test, answers[i].keys);
          g_assert_cmpuint (lk_memory_run_get_n_trials (test.s.run), ==, stored_index);
          g_assert_true (lk_session_get_trial (test.s.session)->items[0] == shown->items[0]);
          position = 3;
          trial_test_keys (&test, "3");
        }
      else if (answers[i].keys != NULL)
        trial_test_keys (&test, answers[i].keys);
      else
        trial_test_click (&test, lk_choice_page_get_candidate (page, (guint) position - 1));

      stored = trial_test_stored (&test, stored_index, 0);
      g_assert_cmpmem (stored->items, stored->n_items * sizeof (guint),
                       shown->items, shown->n_items * sizeof (guint));
      g_assert_cmpint (stored->choice, ==, position);
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

  g_test_add_func ("/lk/ui/choice-task/keys-and-pointer", test_choice5_keys_and_pointer);

  return g_test_run ();
}
