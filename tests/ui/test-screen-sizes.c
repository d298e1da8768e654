/* test-screen-sizes.c — every window fits the small screens a lab may have: a 1024x600 laptop
 * at 1x, and a 1280x800 one at 2x (GDK_SCALE=2), which leaves 640x400 logical pixels. Each
 * window, opened at the screen's size, keeps that size (its minimum size is no larger), so
 * nothing is cut off the screen's edge; what does not fit scrolls or folds away inside it.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "lk-browser-window-private.h"
#include "lk-experimenter-window.h"
#include "lk-judging-window.h"
#include "lk-locale.h"
#include "lk-preferences-window.h"
#include "lk-session-view.h"
#include "lk-sort-page-private.h"
#include "lk-study-settings-window.h"
#include "lk-study-test.h"
#include "lk-ui-test.h"
#include "lk-window-private.h"

typedef struct {
  int width;
  int height;
} Screen;

static const Screen screens[] = {
  { 1024, 600 },
  { 640, 400 },
};

/* Fails if a paned under @widget gives a child less than that child's minimum size, or pushes
 * it past its own edge: a paned may, and the child is then cut off (the experimenter's right
 * column was, at 640 px). */
static void
assert_panes_fit (GtkWidget  *widget,
                  const char *what)
{
  if (GTK_IS_PANED (widget) && gtk_widget_get_mapped (widget))
    {
      GtkWidget *children[] = { gtk_paned_get_start_child (GTK_PANED (widget)),
                                gtk_paned_get_end_child (GTK_PANED (widget)) };

      for (guint i = 0; i < G_N_ELEMENTS (children); i++)
        {
          int min_width, min_height, width, height;
          graphene_rect_t bounds;

          if (children[i] == NULL || !gtk_widget_get_visible (children[i]))
            continue;
          /* The measured sizes count the margins; the allocated ones do not. */
          width = gtk_widget_get_width (children[i]) + gtk_widget_get_margin_start (children[i])
                  + gtk_widget_get_margin_end (children[i]);
          height = gtk_widget_get_height (children[i]) + gtk_widget_get_margin_top (children[i])
                   + gtk_widget_get_margin_bottom (children[i]);
          gtk_widget_measure (children[i], GTK_ORIENTATION_HORIZONTAL, -1, &min_width, NULL,
                              NULL, NULL);
          gtk_widget_measure (children[i], GTK_ORIENTATION_VERTICAL, width, &min_height, NULL,
                              NULL, NULL);
          if (width < min_width || height < min_height)
            g_error ("%s: a %s in a pane got %dx%d, less than its minimum %dx%d", what,
                     G_OBJECT_TYPE_NAME (children[i]), width, height, min_width, min_height);
          /* Nor may it be pushed past the paned's edge. */
          g_assert_true (gtk_widget_compute_bounds (children[i], widget, &bounds));
          if (bounds.origin.x + bounds.size.width > gtk_widget_get_width (widget) + 0.5
              || bounds.origin.y + bounds.size.height > gtk_widget_get_height (widget) + 0.5)
            g_error ("%s: a %s in a pane ends at %g,%g, past the pane's %dx%d", what,
                     G_OBJECT_TYPE_NAME (children[i]), bounds.origin.x + bounds.size.width,
                     bounds.origin.y + bounds.size.height, gtk_widget_get_width (widget),
                     gtk_widget_get_height (widget));
        }
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    assert_panes_fit (child, what);
}

/* Fails unless @window, given the screen's size, fits it: its minimum size, and the size it
 * took once shown. */
static void
assert_fits (GtkWindow    *window,
             const Screen *screen,
             const char   *what)
{
  int min_width, min_height;

  gtk_window_set_default_size (window, screen->width, screen->height);
  if (!gtk_widget_get_mapped (GTK_WIDGET (window)))
    gtk_window_present (window);
  else
    gtk_widget_queue_resize (GTK_WIDGET (window));
  lk_ui_test_wait_mapped (GTK_WIDGET (window));
  lk_ui_test_wait_painted (GTK_WIDGET (window));

  gtk_widget_measure (GTK_WIDGET (window), GTK_ORIENTATION_HORIZONTAL, -1, &min_width, NULL,
                      NULL, NULL);
  gtk_widget_measure (GTK_WIDGET (window), GTK_ORIENTATION_VERTICAL, screen->width, &min_height,
                      NULL, NULL, NULL);
  g_test_message ("%s at %dx%d: needs at least %dx%d, shown %dx%d", what, screen->width,
                  screen->height, min_width, min_height,
                  gtk_widget_get_width (GTK_WIDGET (window)),
                  gtk_widget_get_height (GTK_WIDGET (window)));
  if (min_width > screen->width || min_height > screen->height
      || gtk_widget_get_width (GTK_WIDGET (window)) > screen->width
      || gtk_widget_get_height (GTK_WIDGET (window)) > screen->height)
    g_error ("%s needs at least %dx%d and took %dx%d: it does not fit a %dx%d screen", what,
             min_width, min_height, gtk_widget_get_width (GTK_WIDGET (window)),
             gtk_widget_get_height (GTK_WIDGET (window)), screen->width, screen->height);
  assert_panes_fit (GTK_WIDGET (window), what);
}

typedef struct {
  char *dir;
  char *path;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *images = NULL;

  f->dir = study_test_tmpdir ();
  f->path = g_build_filename (f->dir, "study.likeness", NULL);
  images = g_build_filename (f->dir, "images", NULL);
  g_assert_cmpint (g_mkdir (images, 0700), ==, 0);
  study_test_create (f->path, images, 24);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  lk_test_rmdir (f->dir);
  g_free (f->path);
  g_free (f->dir);
}

static void
destroy (gpointer window)
{
  gtk_window_destroy (GTK_WINDOW (window));
  lk_ui_test_flush ();
}

/* Returns the first widget of @type under @widget, or NULL. */
static GtkWidget *
find_type (GtkWidget *widget,
           GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_type (child, type);

      if (found != NULL)
        return found;
    }

  return NULL;
}

/* Fails unless @widget lies wholly inside @window: the sorting page asks for less than it may
 * need, and would cut off its edge rather than grow the window. */
static void
assert_inside (GtkWidget  *widget,
               GtkWidget  *window,
               const char *what)
{
  graphene_rect_t bounds;

  g_assert_true (gtk_widget_compute_bounds (widget, window, &bounds));
  if (bounds.origin.x < -0.5 || bounds.origin.y < -0.5
      || bounds.origin.x + bounds.size.width > gtk_widget_get_width (window) + 0.5
      || bounds.origin.y + bounds.size.height > gtk_widget_get_height (window) + 0.5)
    g_error ("%s lies at %g,%g %gx%g, not inside the window's %dx%d", what, bounds.origin.x,
             bounds.origin.y, bounds.size.width, bounds.size.height,
             gtk_widget_get_width (window), gtk_widget_get_height (window));
}

/* The sorting page shows all of itself, its grid unscrolled, and keeps its layout while the
 * participant sorts: neither the window nor the images change size. */
static void
check_sort_page (GtkWidget *window)
{
  LkSortPage *page = LK_SORT_PAGE (find_type (window, LK_TYPE_SORT_PAGE));
  LkSortModel *model = lk_sort_page_get_model (page);
  guint n = lk_sort_model_get_n_items (model);
  int width = gtk_widget_get_width (window);
  int height = gtk_widget_get_height (window);
  int size = lk_sort_page_get_grid_tile_size (page);

  g_test_message ("the sorting page in %dx%d: %s, images of %d px", width, height,
                  lk_sort_page_get_compact (page) ? "compact" : "regular", size);
  g_assert_null (gtk_widget_get_ancestor (lk_sort_page_get_place (page, 0),
                                          GTK_TYPE_SCROLLED_WINDOW));
  for (guint p = 0; p < n; p++)
    assert_inside (lk_sort_page_get_place (page, p), window, "an image's place");
  for (guint b = 0; b < lk_sort_model_get_nc (model); b++)
    assert_inside (GTK_WIDGET (lk_sort_page_get_bin (page, b)), window, "a bin");
  assert_inside (lk_sort_page_get_submit_button (page), window, "Submit");

  /* Every bin filled, one image after another, as a participant would. */
  for (guint p = 0; p < n; p++)
    lk_sort_model_move (model, p, (gint) (p % lk_sort_model_get_nc (model)));
  lk_ui_test_wait_painted (window);
  g_assert_cmpint (gtk_widget_get_width (window), ==, width);
  g_assert_cmpint (gtk_widget_get_height (window), ==, height);
  g_assert_cmpint (lk_sort_page_get_grid_tile_size (page), ==, size);
  for (guint p = 0; p < n; p++)
    g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (lk_sort_page_get_tile (page, p))), ==,
                     lk_bin_get_tile_size (lk_sort_page_get_bin (page, 0)));
  assert_inside (lk_sort_page_get_submit_button (page), window, "Submit, the bins full");

  /* A practice grid's header is the widest: its tag beside the participant's code. Each of its
   * three parts (code and tag, grid number, progress bar) on screen. */
  lk_sort_page_set_progress (page, 1, 1, TRUE);
  lk_ui_test_wait_painted (window);
  g_assert_cmpint (gtk_widget_get_width (window), ==, width);
  for (GtkWidget *child = gtk_widget_get_first_child (find_type (GTK_WIDGET (page),
                                                                GTK_TYPE_CENTER_BOX));
       child != NULL; child = gtk_widget_get_next_sibling (child))
    if (gtk_widget_get_mapped (child))
      assert_inside (child, window, "a part of a practice grid's header");
}

/* Fails unless every button and picture mapped under @widget lies wholly inside @window: a
 * task page whose images or answers are cut off cannot be answered. */
static void
assert_all_inside (GtkWidget  *widget,
                   GtkWidget  *window,
                   const char *what)
{
  if (!gtk_widget_get_mapped (widget))
    return;
  if (GTK_IS_BUTTON (widget) || GTK_IS_PICTURE (widget))
    assert_inside (widget, window, what);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    assert_all_inside (child, window, what);
}

/* The main window's pages: start, create, a study's overview, and the participant's
 * instructions, sorting and the four other tasks (test-small-screen checks their buttons at
 * 1024x600). */
static void
test_main_window (Fixture       *f,
                  gconstpointer  data)
{
  const Screen *screen = data;
  g_autofree char *overview = g_strconcat ("overview:", f->path, NULL);
  const char *pages[] = { "start", "create", overview, "instructions", "sort", "triplet",
                          "choice5", "match", "intruder" };

  for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
    {
      LkWindow *window = lk_window_new (NULL);
      g_autofree char *what = g_strdup_printf ("the main window's page %s", pages[i]);

      gtk_window_set_default_size (GTK_WINDOW (window), screen->width, screen->height);
      gtk_window_present (GTK_WINDOW (window));
      lk_ui_test_wait_mapped (GTK_WIDGET (window));
      g_assert_true (lk_window_show_page (window, pages[i]));
      assert_fits (GTK_WINDOW (window), screen, what);
      if (g_str_equal (pages[i], "sort"))
        check_sort_page (GTK_WIDGET (window));
      else if (i >= 5)
        {
          /* A task page: its images and its answers (buttons, None of these…) all on screen. */
          GtkWidget *view = find_type (GTK_WIDGET (window), LK_TYPE_SESSION_VIEW);
          GtkWidget *shown = gtk_stack_get_visible_child (GTK_STACK (adw_bin_get_child (ADW_BIN (view))));

          g_test_message ("%s shows %s", pages[i], G_OBJECT_TYPE_NAME (shown));
          g_assert_false (LK_IS_SORT_PAGE (shown));
          assert_all_inside (shown, GTK_WIDGET (window), what);
        }
      destroy (window);
    }
}

/* The session's other pages, the participant's too: consent, the end of practice, a break, the
 * thank-you page and the one for an answer that could not be saved. */
static void
test_session_pages (Fixture       *f,
                    gconstpointer  data)
{
  const Screen *screen = data;
  const char *pages[] = { "consent", "practice-done", "break", "save-failed", "done" };
  LkWindow *window = lk_window_new (NULL);
  GtkWidget *view;
  GtkStack *stack;

  gtk_window_set_default_size (GTK_WINDOW (window), screen->width, screen->height);
  gtk_window_present (GTK_WINDOW (window));
  lk_ui_test_wait_mapped (GTK_WIDGET (window));
  g_assert_true (lk_window_show_page (window, "instructions"));
  view = find_type (GTK_WIDGET (window), LK_TYPE_SESSION_VIEW);
  g_assert_nonnull (view);
  stack = GTK_STACK (adw_bin_get_child (ADW_BIN (view)));
  for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
    {
      g_autofree char *what = g_strdup_printf ("the session's page %s", pages[i]);

      g_assert_nonnull (gtk_stack_get_child_by_name (stack, pages[i]));
      gtk_stack_set_visible_child_full (stack, pages[i], GTK_STACK_TRANSITION_TYPE_NONE);
      assert_fits (GTK_WINDOW (window), screen, what);
    }
  destroy (window);
}

static gboolean
browser_loaded (gpointer window)
{
  return lk_browser_window_is_loaded (window);
}

static void
test_browser (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  LkBrowserWindow *window = lk_browser_window_new_unloaded (f->path, &error);

  g_assert_no_error (error);
  /* While its list of images loads, and with its grid. */
  assert_fits (GTK_WINDOW (window), data, "the browser, loading");
  lk_browser_window_load (window);
  lk_ui_test_wait_for (browser_loaded, window);
  assert_fits (GTK_WINDOW (window), data, "the browser");
  destroy (window);
}

static void
test_judging (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  LkJudgingWindow *window = lk_judging_window_new (NULL, f->path, &error);

  g_assert_no_error (error);
  assert_fits (GTK_WINDOW (window), data, "the judging window");
  destroy (window);
}

static void
test_experimenter (Fixture       *f,
                   gconstpointer  data)
{
  LkExperimenterWindow *window = lk_experimenter_window_new ();

  assert_fits (GTK_WINDOW (window), data, "the experimenter's window");
  destroy (window);
}

static void
test_dialogs (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autoptr(LkStudy) study = lk_study_open (f->path, &error);
  GtkWindow *window;

  g_assert_no_error (error);
  window = GTK_WINDOW (lk_study_settings_window_new (study));
  assert_fits (window, data, "the session settings");
  destroy (window);
  window = GTK_WINDOW (lk_preferences_window_new (settings));
  assert_fits (window, data, "the preferences");
  destroy (window);
}

int
main (int   argc,
      char *argv[])
{
  lk_locale_init ("C.UTF-8");
  if (!lk_ui_test_init (&argc, &argv))
    return 0;

  for (guint i = 0; i < G_N_ELEMENTS (screens); i++)
    {
      g_autofree char *size = g_strdup_printf ("%dx%d", screens[i].width, screens[i].height);
#define ADD(name, func) \
      { \
        g_autofree char *test_path = g_strdup_printf ("/lk/ui/screen-sizes/%s/%s", size, name); \
        g_test_add (test_path, Fixture, &screens[i], fixture_setup, func, fixture_teardown); \
      }
      ADD ("main-window", test_main_window);
      ADD ("session-pages", test_session_pages);
      ADD ("browser", test_browser);
      ADD ("judging", test_judging);
      ADD ("experimenter", test_experimenter);
      ADD ("dialogs", test_dialogs);
#undef ADD
    }

  return g_test_run ();
}
