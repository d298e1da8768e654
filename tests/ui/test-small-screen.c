/* test-small-screen.c — the main window's pages fit a 1024x600 screen at 1x, a small laptop's:
 * the window keeps that size, and the buttons that matter lie inside it, or inside a scrolled
 * window that does
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "lk-locale.h"
#include "lk-start-page.h"
#include "lk-study-test.h"
#include "lk-ui-test.h"
#include "lk-window-private.h"

#define SCREEN_WIDTH  1024
#define SCREEN_HEIGHT 600

/* Returns the first mapped widget under @widget that is a @type with @action_name (NULL: any)
 * and, when @label is not NULL, whose label or title is @label. */
static GtkWidget *
find (GtkWidget  *widget,
      GType       type,
      const char *action_name,
      const char *label)
{
  if (!gtk_widget_get_mapped (widget))
    return NULL;
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type)
      && (action_name == NULL
          || g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), action_name) == 0)
      && (label == NULL
          || (GTK_IS_BUTTON (widget)
              && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0)
          || (ADW_IS_PREFERENCES_ROW (widget)
              && g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), label) == 0)))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find (child, type, action_name, label);

      if (found != NULL)
        return found;
    }

  return NULL;
}

/* Fails unless @widget lies wholly inside @window's 1024x600, or, when @may_scroll, inside a
 * scrolled window that does (so scrolling reaches it). */
static void
assert_reachable (GtkWidget  *window,
                  GtkWidget  *widget,
                  const char *what,
                  gboolean    may_scroll)
{
  graphene_rect_t bounds;
  GtkWidget *box = widget;

  g_assert_nonnull (widget);
  if (may_scroll && gtk_widget_get_ancestor (widget, GTK_TYPE_SCROLLED_WINDOW) != NULL)
    box = gtk_widget_get_ancestor (widget, GTK_TYPE_SCROLLED_WINDOW);
  g_assert_true (gtk_widget_compute_bounds (box, window, &bounds));
  if (bounds.origin.x < 0 || bounds.origin.y < 0
      || bounds.origin.x + bounds.size.width > SCREEN_WIDTH
      || bounds.origin.y + bounds.size.height > SCREEN_HEIGHT)
    g_error ("%s at %g,%g %gx%g is not inside the %dx%d window", what, bounds.origin.x,
             bounds.origin.y, bounds.size.width, bounds.size.height, SCREEN_WIDTH, SCREEN_HEIGHT);
}

static LkWindow *
small_window (void)
{
  LkWindow *window = lk_window_new (NULL);

  gtk_window_set_default_size (GTK_WINDOW (window), SCREEN_WIDTH, SCREEN_HEIGHT);
  gtk_window_present (GTK_WINDOW (window));
  lk_ui_test_wait_mapped (GTK_WIDGET (window));

  return window;
}

static void
assert_window_fits (LkWindow *window)
{
  lk_ui_test_wait_painted (GTK_WIDGET (window));
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (window)), <=, SCREEN_WIDTH);
  g_assert_cmpint (gtk_widget_get_height (GTK_WIDGET (window)), <=, SCREEN_HEIGHT);
}

static void
test_start_and_create (void)
{
  LkWindow *window = small_window ();
  GtkWidget *w = GTK_WIDGET (window);

  assert_window_fits (window);
  assert_reachable (w, find (w, ADW_TYPE_ACTION_ROW, NULL, "Open a Study…"), "Open a Study", TRUE);

  g_assert_true (lk_window_show_page (window, "create"));
  assert_window_fits (window);
  assert_reachable (w, find (w, GTK_TYPE_BUTTON, NULL, "_Create and Import"), "Create Study", TRUE);

  gtk_window_destroy (GTK_WINDOW (window));
  lk_ui_test_flush ();
}

static void
test_overview (void)
{
  g_autofree char *dir = study_test_tmpdir ();
  g_autofree char *images = g_build_filename (dir, "images", NULL);
  g_autofree char *path = g_build_filename (dir, "small.likeness", NULL);
  g_autofree char *page = g_strconcat ("overview:", path, NULL);
  LkWindow *window = small_window ();
  GtkWidget *w = GTK_WIDGET (window);

  g_assert_cmpint (g_mkdir (images, 0700), ==, 0);
  study_test_create (path, images, 24);
  g_assert_true (lk_window_show_page (window, page));
  g_assert_cmpstr (lk_window_get_visible_page (window), ==, "overview");
  assert_window_fits (window);
  /* The session's button first, with no scrolling; the rest may scroll. */
  assert_reachable (w, find (w, GTK_TYPE_BUTTON, "overview.start", NULL), "Start", FALSE);
  assert_reachable (w, find (w, ADW_TYPE_ACTION_ROW, "overview.export", NULL), "Export", TRUE);

  gtk_window_destroy (GTK_WINDOW (window));
  lk_ui_test_flush ();
  lk_test_rmdir (dir);
}

/* The sorting screen of the colours demo (20 images, 4 bins): Submit and Undo on screen, with
 * no scrolling. */
static void
test_session (void)
{
  LkWindow *window = small_window ();
  GtkWidget *w = GTK_WIDGET (window);

  g_assert_true (lk_window_show_page (window, "sort"));
  g_assert_cmpstr (lk_window_get_visible_page (window), ==, "session");
  assert_window_fits (window);
  assert_reachable (w, find (w, GTK_TYPE_BUTTON, "sort.submit", NULL), "Submit", FALSE);
  assert_reachable (w, find (w, GTK_TYPE_BUTTON, "sort.undo", NULL), "Undo", FALSE);

  gtk_window_destroy (GTK_WINDOW (window));
  lk_ui_test_flush ();
}

/* The pages before the grids scroll where they must: the instructions' drawn example is taller
 * than the screen, and Begin stays reachable. */
static void
test_instructions (void)
{
  LkWindow *window = small_window ();
  GtkWidget *w = GTK_WIDGET (window);

  g_assert_true (lk_window_show_page (window, "instructions"));
  assert_window_fits (window);
  assert_reachable (w, find (w, GTK_TYPE_BUTTON, "session.begin", NULL), "Begin", TRUE);

  gtk_window_destroy (GTK_WINDOW (window));
  lk_ui_test_flush ();
}

int
main (int   argc,
      char *argv[])
{
  lk_locale_init ("C.UTF-8");
  if (!lk_ui_test_init (&argc, &argv))
    return 0;

  g_test_add_func ("/lk/ui/small-screen/start-and-create", test_start_and_create);
  g_test_add_func ("/lk/ui/small-screen/overview", test_overview);
  g_test_add_func ("/lk/ui/small-screen/session", test_session);
  g_test_add_func ("/lk/ui/small-screen/instructions", test_instructions);

  return g_test_run ();
}
