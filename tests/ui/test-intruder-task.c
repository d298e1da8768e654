/* test-intruder-task.c — the odd one out at 1024x600: eight images, seven of one group of the
 * demo and one of another (at the position the trial logs), answered with the number keys and
 * with the pointer, each stored with the position picked as shown
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "lk-locale.h"
#include "lk-trial-task-test.h"

/* Fails unless the intruder page shows the session's trial in its order, and the trial has
 * seven images of one group and its key on the one of another. Returns a copy of it. */
static LkTrial *
assert_trial_shown (TrialTest   *test,
                    const guint *labels,
                    gboolean     practice)
{
  LkIntruderPage *page = lk_session_view_get_intruder_page (test->s.view);
  const LkTrial *trial = lk_session_get_trial (test->s.session);

  g_assert_nonnull (trial);
  g_assert_cmpint (trial->kind, ==, LK_TASK_INTRUDER);
  g_assert_cmpuint (trial->n_items, ==, LK_INTRUDER_N_ITEMS);
  trial_test_wait_page (test, "intruder");
  for (guint i = 0; i < LK_INTRUDER_N_ITEMS; i++)
    trial_test_assert_shows (test,
                             GTK_WIDGET (lk_trial_button_get_picture (lk_intruder_page_get_candidate (page, i))),
                             trial->items[i]);
  /* Practice trials are drawn without the groups; recorded ones plant an intruder. */
  if (!practice)
    {
      guint group = labels[trial->items[trial->key == 0 ? 1 : 0]];

      g_assert_cmpint (trial->key, >=, 0);
      g_assert_cmpint (trial->key, <, LK_INTRUDER_N_ITEMS);
      for (guint i = 0; i < LK_INTRUDER_N_ITEMS; i++)
        if ((gint) i == trial->key)
          g_assert_cmpuint (labels[trial->items[i]], !=, group);
        else
          g_assert_cmpuint (labels[trial->items[i]], ==, group);
    }

  return lk_trial_copy (trial);
}

static void
test_intruder_keys_and_pointer (void)
{
  static const struct {
    const char *keys;     /* NULL: click */
    gint        position;
  } answers[] = {
    { "7", 6 },
    { "KP_1", 0 },
    { "8", 7 },
    { NULL, 2 },
    { NULL, 5 },
  };
  TrialTest test;
  LkIntruderPage *page;
  g_autofree guint *labels = NULL;
  guint n_labels;

  trial_test_show (&test, "intruder:5:1");
  labels = lk_demo_collection_dup_labels (test.s.source, &n_labels);
  page = lk_session_view_get_intruder_page (test.s.view);
  g_assert_true (gtk_widget_get_visible (lk_session_view_get_trial_example (test.s.view)));
  trial_test_assert_fits (&test);

  session_view_test_activate (&test.s, "session.begin");
  {
    g_autoptr(LkTrial) practice = assert_trial_shown (&test, labels, TRUE);
  }
  /* 9 is no answer on a page of eight; then the practice's click. */
  trial_test_keys (&test, "9");
  g_assert_cmpint (lk_session_get_state (test.s.session), ==, LK_SESSION_SORTING);
  trial_test_click (&test, lk_intruder_page_get_candidate (page, 4));
  g_assert_cmpint (lk_session_get_state (test.s.session), ==, LK_SESSION_PRACTICE_DONE);
  g_assert_cmpuint (lk_memory_run_get_n_trials (test.s.run), ==, 0);
  session_view_test_activate (&test.s, "session.begin");

  for (guint i = 0; i < G_N_ELEMENTS (answers); i++)
    {
      g_autoptr(LkTrial) shown = assert_trial_shown (&test, labels, FALSE);
      const LkTrial *stored;

      if (answers[i].keys != NULL)
        trial_test_keys (&test, answers[i].keys);
      else
        trial_test_click (&test, lk_intruder_page_get_candidate (page, (guint) answers[i].position));

      stored = trial_test_stored (&test, i, 0);
      g_assert_cmpmem (stored->items, stored->n_items * sizeof (guint),
                       shown->items, shown->n_items * sizeof (guint));
      g_assert_cmpint (stored->key, ==, shown->key);
      g_assert_cmpint (stored->choice, ==, answers[i].position);
    }

  g_assert_cmpint (lk_session_get_state (test.s.session), ==, LK_SESSION_DONE);

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

  g_test_add_func ("/lk/ui/intruder-task/keys-and-pointer", test_intruder_keys_and_pointer);

  return g_test_run ();
}
