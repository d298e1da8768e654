/* test-session-view.c — the pages between grids take no keyboard focus by themselves, so that
 * the Enter that submitted a grid, pressed twice or held, does not decline consent, skip a page
 * or finish the session (back to the start page, out of study mode)
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "lk-locale.h"
#include "lk-session-view-test.h"

typedef SessionViewTest Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  LkSessionSetup setup;

  session_test_setup (&setup);
  setup.params.budget = 1;
  setup.params.phases = 1;
  setup.break_every = 0;
  setup.n_practice = 1;
  session_view_test_show (fixture, &setup, "P-FOCUS");
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  session_view_test_free (fixture);
}

/* Fails if a button (or anything that Enter or Space would activate) has the focus. */
static void
assert_no_button_focused (Fixture    *fixture,
                          const char *page)
{
  GtkWidget *sort_page = GTK_WIDGET (lk_session_view_get_sort_page (fixture->view));
  gint64 end = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  guint awake = g_timeout_add (20, lk_ui_test_timeout_cb, NULL);
  GtkWidget *focus;

  g_assert_cmpstr (lk_session_view_get_page (fixture->view), ==, page);
  /* After the crossfade: the sorting screen hidden, GTK would move a focus it had on. */
  while (gtk_widget_get_mapped (sort_page))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, end);
      g_main_context_iteration (NULL, TRUE);
    }
  g_source_remove (awake);
  lk_ui_test_flush ();
  focus = gtk_root_get_focus (GTK_ROOT (fixture->window));
  if (focus != NULL && (GTK_IS_BUTTON (focus) || gtk_widget_get_ancestor (focus, GTK_TYPE_BUTTON)))
    g_error ("on the %s page, the button '%s' has the focus", page,
             gtk_button_get_label (GTK_BUTTON (GTK_IS_BUTTON (focus)
                                               ? focus
                                               : gtk_widget_get_ancestor (focus, GTK_TYPE_BUTTON))));
}

/* Puts the first image into bin 1 and submits, as the keys 1 and Enter do. */
static void
sort_and_submit (Fixture *fixture)
{
  LkSortPage *page = lk_session_view_get_sort_page (fixture->view);
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (fixture->window));

  g_assert_cmpstr (lk_session_view_get_page (fixture->view), ==, "sort");
  /* On the sorting screen the keys go to the images: an image has the focus. */
  g_assert_nonnull (focus);
  g_assert_true (gtk_widget_is_ancestor (focus, GTK_WIDGET (page)));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "sort.place", "i", 0));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "sort.submit", NULL));
  lk_ui_test_flush ();
}

static void
test_focus (Fixture       *fixture,
            gconstpointer  data)
{
  lk_ui_test_flush ();
  assert_no_button_focused (fixture, "consent");
  session_view_test_activate (fixture, "session.accept");
  assert_no_button_focused (fixture, "instructions");
  session_view_test_activate (fixture, "session.begin");
  sort_and_submit (fixture);
  assert_no_button_focused (fixture, "practice-done");
  session_view_test_activate (fixture, "session.begin");
  sort_and_submit (fixture);
  assert_no_button_focused (fixture, "done");
  g_assert_cmpuint (lk_session_get_n_answered (fixture->session), ==, 1);
}

static void
finished_cb (LkSessionView *view,
             gboolean      *finished)
{
  *finished = TRUE;
}

/* The next participant of a spent study sees at once that it is complete,
 * with no button focused, and Finish ends the session. */
static void
test_complete (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  LkSessionSetup setup;
  LkSession *next;
  gboolean finished = FALSE;

  session_view_test_activate (fixture, "session.accept");
  session_view_test_activate (fixture, "session.begin");
  sort_and_submit (fixture);
  session_view_test_activate (fixture, "session.begin");
  sort_and_submit (fixture);
  g_assert_cmpstr (lk_session_view_get_page (fixture->view), ==, "done");

  session_test_setup (&setup);
  setup.params.budget = 1;
  setup.params.phases = 1;
  next = lk_session_new (LK_IMAGE_SOURCE (fixture->source), &setup, "P-NEXT", FALSE,
                         LK_GRID_SOURCE (fixture->run), &error);
  g_assert_no_error (error);
  lk_session_view_set_session (fixture->view, next);
  lk_ui_test_flush ();
  assert_no_button_focused (fixture, "complete");

  g_signal_connect (fixture->view, "finished", G_CALLBACK (finished_cb), &finished);
  session_view_test_activate (fixture, "session.finish");
  g_assert_true (finished);

  lk_session_view_set_session (fixture->view, NULL);
  g_assert_finalize_object (next);
  lk_ui_test_wait_worker (lk_session_get_refine_worker (fixture->session));
}

int
main (int   argc,
      char *argv[])
{
  if (!lk_ui_test_init (&argc, &argv))
    return 0;
  lk_locale_init ("C.UTF-8");

  g_test_add ("/lk/ui/session-view/no-stray-focus", Fixture, NULL, fixture_set_up, test_focus,
              fixture_tear_down);
  g_test_add ("/lk/ui/session-view/complete", Fixture, NULL, fixture_set_up, test_complete,
              fixture_tear_down);

  return g_test_run ();
}
