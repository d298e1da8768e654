/* test-templates.c — every template loads, and the windows close without leaks
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "lk-locale.h"
#include "lk-start-page.h"
#include "lk-ui-test.h"
#include "lk-window-private.h"
#include "lk-session-view-private.h"
#include "lk-sort-page-private.h"

static void
test_start_page (void)
{
  GtkWidget *page = g_object_ref_sink (lk_start_page_new ());
  g_autofree char *code = lk_start_page_generate_code ();

  g_assert_cmpuint (strlen (code), ==, 7);
  g_assert_true (g_str_has_prefix (code, "P-"));

  g_assert_finalize_object (page);
}

static void
test_window (void)
{
  LkWindow *window = lk_window_new (NULL);

  gtk_window_present (GTK_WINDOW (window));
  lk_ui_test_wait_mapped (GTK_WIDGET (window));
  g_assert_cmpstr (lk_window_get_visible_page (window), ==, "start");
  g_assert_true (lk_window_show_page (window, "start"));
  g_assert_false (lk_window_show_page (window, "nowhere"));

  gtk_window_destroy (GTK_WINDOW (window));
  lk_ui_test_flush ();
}

static void
test_demo_session (void)
{
  LkWindow *window = lk_window_new (NULL);
  LkSessionView *view = lk_window_get_session_view (window);
  g_autoptr(GError) error = NULL;

  gtk_window_present (GTK_WINDOW (window));
  lk_ui_test_wait_mapped (GTK_WIDGET (window));
  g_assert_true (lk_window_start_demo (window, "letters", "P-TEST2", FALSE, &error));
  g_assert_no_error (error);
  lk_ui_test_flush ();
  g_assert_cmpstr (lk_window_get_visible_page (window), ==, "session");
  g_assert_cmpstr (lk_session_view_get_page (view), ==, "consent");

  /* Consent, instructions, the practice grid. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "session.accept", NULL));
  g_assert_cmpstr (lk_session_view_get_page (view), ==, "instructions");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "session.begin", NULL));
  g_assert_cmpstr (lk_session_view_get_page (view), ==, "sort");
  g_assert_cmpstr (lk_sort_page_get_progress_text (lk_session_view_get_sort_page (view)), ==,
                   "Practice grid 1 of 1");

  /* One image in bin 1, Enter: the practice is over. */
  gtk_widget_activate_action (GTK_WIDGET (lk_session_view_get_sort_page (view)), "sort.place", "i", 0);
  gtk_widget_activate_action (GTK_WIDGET (lk_session_view_get_sort_page (view)), "sort.submit", NULL);
  g_assert_cmpstr (lk_session_view_get_page (view), ==, "practice-done");
  gtk_widget_activate_action (GTK_WIDGET (view), "session.begin", NULL);
  g_assert_cmpstr (lk_sort_page_get_progress_text (lk_session_view_get_sort_page (view)), ==,
                   "Grid 1 of 30");

  lk_window_end_session (window);
  g_assert_cmpstr (lk_window_get_visible_page (window), ==, "start");
  g_assert_null (lk_session_view_get_session (view));

  gtk_window_destroy (GTK_WINDOW (window));
  lk_ui_test_flush ();
}

static void
test_help_overlay (void)
{
  g_autoptr(GtkBuilder) builder =
    gtk_builder_new_from_resource ("/io/github/likeness/Likeness/gtk/help-overlay.ui");

  g_assert_true (GTK_IS_SHORTCUTS_WINDOW (gtk_builder_get_object (builder, "help_overlay")));
  gtk_window_destroy (GTK_WINDOW (gtk_builder_get_object (builder, "help_overlay")));
}

int
main (int   argc,
      char *argv[])
{
  if (!lk_ui_test_init (&argc, &argv))
    return 0;
  lk_locale_init ("C.UTF-8");

  g_test_add_func ("/lk/ui/templates/start-page", test_start_page);
  g_test_add_func ("/lk/ui/templates/window", test_window);
  g_test_add_func ("/lk/ui/templates/demo-session", test_demo_session);
  g_test_add_func ("/lk/ui/templates/help-overlay", test_help_overlay);

  return g_test_run ();
}
