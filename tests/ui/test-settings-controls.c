/* test-settings-controls.c — the session settings that were the command line's only (the checks'
 * shares, the exam's pass mark, the flags' thresholds, the forced choices' candidates), set in
 * the Edit Settings window with real keys and with the real pointer (xdotool under the test's
 * Xvfb): a number out of its range refused with what to type, what was saved read back from the
 * study file, and shown on the overview; and the overview's count of answers, checks and exam
 * grids
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "lk-answers.h"
#include "lk-gold.h"
#include "lk-keys-test.h"
#include "lk-store-private.h"
#include "lk-locale.h"
#include "lk-study-overview-private.h"
#include "lk-study-settings-window-private.h"
#include "lk-study-test.h"
#include "lk-ui-test.h"
#include "lk-window-private.h"

typedef struct {
  char            *dir;
  char            *path;
  LkWindow        *window;
  LkStudyOverview *overview;
} Test;

static gboolean
overview_loaded (gpointer overview)
{
  return !lk_study_overview_is_loading (overview);
}

static gboolean
settings_closed (gpointer overview)
{
  return lk_study_overview_get_settings_window (overview) == NULL;
}

static gboolean
has_error (gpointer settings)
{
  return lk_study_settings_window_get_error (settings) != NULL;
}

/* Makes a study of 24 images and shows its overview. */
static void
test_open (Test *test)
{
  g_autofree char *images = NULL;
  g_autoptr(GFile) file = NULL;

  test->dir = study_test_tmpdir ();
  images = g_build_filename (test->dir, "images", NULL);
  test->path = g_build_filename (test->dir, "study.likeness", NULL);
  file = g_file_new_for_path (test->path);
  g_assert_cmpint (g_mkdir (images, 0700), ==, 0);
  study_test_create (test->path, images, 24);
  test->window = lk_window_new (NULL);
  gtk_window_present (GTK_WINDOW (test->window));
  lk_ui_test_wait_mapped (GTK_WIDGET (test->window));
  lk_window_open_study (test->window, file);
  test->overview = lk_window_get_overview (test->window);
  lk_ui_test_wait_for (overview_loaded, test->overview);
}

static void
test_close (Test *test)
{
  gtk_window_destroy (GTK_WINDOW (test->window));
  lk_ui_test_flush ();
  lk_test_rmdir (test->dir);
  g_free (test->path);
  g_free (test->dir);
}

/* Opens the settings window from the overview's action, as its button does, and waits until
 * it is painted (so that the pointer finds its widgets where they are drawn). */
static LkStudySettingsWindow *
open_settings (Test *test)
{
  GtkWindow *window;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (test->overview),
                                             "overview.edit-settings", NULL));
  window = lk_study_overview_get_settings_window (test->overview);
  g_assert_nonnull (window);
  lk_ui_test_wait_mapped (GTK_WIDGET (window));
  lk_ui_test_wait_painted (GTK_WIDGET (window));

  return LK_STUDY_SETTINGS_WINDOW (window);
}

/* Reads the study file's session settings with a connection of its own. */
static void
load_file (Test              *test,
           LkSessionSettings *settings)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LkStore) store = lk_store_open (test->path, LK_STORE_OPEN_READ_ONLY, &error);

  g_assert_no_error (error);
  lk_session_settings_init (settings);
  g_assert_true (lk_store_load_session_settings (store, settings, &error));
  g_assert_no_error (error);
}

static GtkWidget *
child (LkStudySettingsWindow *settings,
       const char            *name)
{
  return GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (settings),
                                                    LK_TYPE_STUDY_SETTINGS_WINDOW, name));
}

static double
spin_value (LkStudySettingsWindow *settings,
            const char            *name)
{
  return gtk_spin_button_get_value (GTK_SPIN_BUTTON (child (settings, name)));
}

/* Runs xdotool with @args (NULL-terminated) and fails unless it succeeds. */
static void
xdotool (const char *const *args)
{
  g_autoptr(GError) error = NULL;
  int status;

  g_spawn_sync (NULL, (char **) args, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL,
                &status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
}

/* Types @names (xdotool key names) at @window, then spins the main loop until @done holds: the
 * keys may close the window before their releases arrive, so this waits for what they do. */
static void
type_until (GtkWindow  *window,
            const char *names,
            gboolean  (*done) (gpointer data),
            gpointer    data)
{
  GdkSurface *surface = gtk_native_get_surface (GTK_NATIVE (window));
  g_autofree char *xid = g_strdup_printf ("%lu", gdk_x11_surface_get_xid (surface));
  g_autofree char *command = g_strdup_printf ("xdotool windowfocus --sync %s key --delay 1 %s",
                                              xid, names);
  g_autoptr(GError) error = NULL;
  int status;

  g_assert_true (g_spawn_command_line_sync (command, NULL, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  lk_ui_test_wait_for (done, data);
}

/* The position of @widget's centre in its native's X window, as xdotool mousemove --window
 * takes it. */
static void
centre_in_surface (GtkWidget *widget,
                   int       *x,
                   int       *y)
{
  GtkNative *native = gtk_widget_get_native (widget);
  graphene_point_t centre, at;
  double sx, sy;

  centre = GRAPHENE_POINT_INIT (gtk_widget_get_width (widget) / 2.f,
                                gtk_widget_get_height (widget) / 2.f);
  g_assert_true (gtk_widget_compute_point (widget, GTK_WIDGET (native), &centre, &at));
  gtk_native_get_surface_transform (native, &sx, &sy);
  *x = (int) (at.x + sx);
  *y = (int) (at.y + sy);
}

/* Turns the real mouse wheel over @window until @widget's centre is inside the window's
 * scrolled page, below its header bar, as a person scrolls to a row out of sight. */
static void
scroll_to (GtkWindow *window,
           GtkWidget *widget)
{
  GdkSurface *surface = gtk_native_get_surface (GTK_NATIVE (window));
  g_autofree char *xid = g_strdup_printf ("%lu", gdk_x11_surface_get_xid (surface));
  int height = gdk_surface_get_height (surface);

  for (guint i = 0; i < 60; i++)
    {
      g_autofree char *mx = NULL, *my = NULL;
      int x, y;

      centre_in_surface (widget, &x, &y);
      /* The header bar and the error line take the top 100 px at most. */
      if (y > 100 && y < height - 30)
        return;
      mx = g_strdup_printf ("%d", gdk_surface_get_width (surface) / 2);
      my = g_strdup_printf ("%d", height / 2);
      {
        const char *argv[] = { "xdotool", "mousemove", "--window", xid, mx, my,
                               "click", y >= height - 30 ? "5" : "4", NULL };

        xdotool (argv);
      }
      lk_ui_test_wait_painted (GTK_WIDGET (window));
    }
  g_assert_not_reached ();
}

/* Clicks the middle of @widget with the real pointer, on the X window it is drawn in (the
 * settings window's, or a popover's). */
static void
click (GtkWidget *widget)
{
  GdkSurface *surface = gtk_native_get_surface (gtk_widget_get_native (widget));
  g_autofree char *xid = g_strdup_printf ("%lu", gdk_x11_surface_get_xid (surface));
  g_autofree char *x = NULL, *y = NULL;
  int cx, cy;

  g_assert_true (gtk_widget_get_mapped (widget));
  centre_in_surface (widget, &cx, &cy);
  x = g_strdup_printf ("%d", cx);
  y = g_strdup_printf ("%d", cy);
  {
    const char *argv[] = { "xdotool", "mousemove", "--window", xid, x, y,
                           "click", "1", NULL };

    xdotool (argv);
  }
}

/* Returns the first mapped descendant of @root (itself included) that is a @type and, for a
 * label, reads @text, or for a button activates @text's action; NULL when none. */
static GtkWidget *
find (GtkWidget  *root,
      GType       type,
      const char *text)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type) && gtk_widget_get_mapped (root)
      && (text == NULL
          || (GTK_IS_LABEL (root) && g_strcmp0 (gtk_label_get_label (GTK_LABEL (root)), text) == 0)
          || (GTK_IS_ACTIONABLE (root)
              && g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (root)), text) == 0)))
    return root;
  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find (c, type, text);

      if (found != NULL)
        return found;
    }

  return NULL;
}

typedef struct {
  GtkWidget  *root;
  const char *text;
} Shown;

static gboolean
label_shown (gpointer data)
{
  Shown *shown = data;

  return find (shown->root, GTK_TYPE_LABEL, shown->text) != NULL;
}

static gboolean
spin_reads (gpointer data)
{
  Shown *shown = data;

  gtk_spin_button_update (GTK_SPIN_BUTTON (shown->root));
  return g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (shown->root)), shown->text) == 0;
}

static gboolean
choice5_is_last (gpointer row)
{
  return adw_combo_row_get_selected (row) == 2;
}

/* Returns @spin's "up" or "down" button. */
static GtkWidget *
spin_button (GtkWidget  *spin,
             const char *which)
{
  for (GtkWidget *c = gtk_widget_get_first_child (spin); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    if (GTK_IS_BUTTON (c) && gtk_widget_has_css_class (c, which))
      return c;
  g_assert_not_reached ();
}

/* Keys only: each new field reached by its mnemonic (Alt and the underlined letter), a pass
 * mark of 120 refused with its range and nothing written, then every number typed and saved
 * with Ctrl+S; the file and the overview have them. */
static void
test_keys (void)
{
  g_auto(LkSessionSettings) stored = { 0 };
  LkStudySettingsWindow *settings;
  const char *error;
  Test test;

  if (!lk_keys_test_available ())
    {
      g_test_skip ("no xdotool or no X11 display");
      return;
    }
  test_open (&test);
  g_assert_true (g_str_has_prefix (lk_study_overview_get_row_text (test.overview, "checks"),
                                   "5 % of the grids shown again, no catch grids; flagged below "
                                   "a consistency of 0.3 or a gold score of 80"));
  g_assert_true (g_str_has_prefix (lk_study_overview_get_row_text (test.overview, "exam"),
                                   "80 of 100"));

  settings = open_settings (&test);
  type_until (GTK_WINDOW (settings), "alt+k ctrl+a 1 2 0 ctrl+s", has_error, settings);
  error = lk_study_settings_window_get_error (settings);
  g_assert_nonnull (strstr (error,
                            "“Exam pass mark” takes a number from 0 to 100, not “120”"));
  g_assert_nonnull (lk_study_overview_get_settings_window (test.overview));
  load_file (&test, &stored);
  g_assert_cmpfloat (stored.pass_mark, ==, 80);
  lk_session_settings_clear (&stored);

  /* The largest count the field takes reaches the budget's rule, written in full (as 1e+07, it
   * was refused as no whole number). */
  lk_study_settings_window_set_text (settings, "pass-mark", "80");
  lk_study_settings_window_set_text (settings, "grids", "10000000");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (settings), "settings.save", NULL));
  lk_ui_test_flush ();
  g_assert_nonnull (strstr (lk_study_settings_window_get_error (settings), "at most 12"));
  lk_study_settings_window_set_text (settings, "grids", "0");

  type_until (GTK_WINDOW (settings),
              "alt+k ctrl+a 9 0 "
              "alt+a ctrl+a 1 2 period 5 "
              "alt+t ctrl+a 1 0 "
              "alt+y ctrl+a minus 0 period 2 5 "
              "alt+l ctrl+a 7 0 "
              "ctrl+s", settings_closed, test.overview);
  load_file (&test, &stored);
  g_assert_cmpfloat_with_epsilon (stored.pass_mark, 90, 1e-9);
  g_assert_cmpfloat_with_epsilon (stored.repeat_share, 0.125, 1e-9);
  g_assert_cmpfloat_with_epsilon (stored.gold_share, 0.1, 1e-9);
  g_assert_cmpfloat_with_epsilon (stored.min_consistency, -0.25, 1e-9);
  g_assert_cmpfloat_with_epsilon (stored.min_gold_score, 70, 1e-9);
  /* What the window does not touch stays as it was. */
  g_assert_cmpstr (stored.choice5_policy, ==, NULL);
  g_assert_cmpuint (stored.n_practice, ==, 1);
  g_assert_cmpstr (lk_study_overview_get_row_text (test.overview, "checks"), ==,
                   "12.5 % of the grids shown again, 10 % catch grids; flagged below a "
                   "consistency of -0.25 or a gold score of 70");
  g_assert_cmpstr (lk_study_overview_get_row_text (test.overview, "exam"), ==,
                   "90 of 100: below it, the session ends and the participant is not qualified");

  /* Opened again, the window shows what was saved. */
  settings = open_settings (&test);
  g_assert_cmpfloat_with_epsilon (spin_value (settings, "repeat_spin"), 12.5, 1e-9);
  g_assert_cmpfloat_with_epsilon (spin_value (settings, "pass_mark_spin"), 90, 1e-9);
  gtk_window_destroy (GTK_WINDOW (settings));
  lk_ui_test_flush ();

  test_close (&test);
}

/* The pointer only: the forced choices' candidates picked from the row's list, the pass mark
 * raised with its + button, the repeats lowered to none with their − button, then Save
 * clicked; the file and the overview have them. */
static void
test_pointer (void)
{
  g_auto(LkSessionSettings) stored = { 0 };
  LkStudySettingsWindow *settings;
  GtkWidget *row, *item, *up, *down, *save;
  Shown shown;
  Test test;

  if (!lk_keys_test_available ())
    {
      g_test_skip ("no xdotool or no X11 display");
      return;
    }
  test_open (&test);
  g_assert_cmpstr (lk_study_overview_get_row_text (test.overview, "choice5"), ==,
                   "The query and its five candidates are drawn at random");
  settings = open_settings (&test);

  row = child (settings, "choice5_row");
  scroll_to (GTK_WINDOW (settings), row);
  click (row);
  shown = (Shown) { row, "Model against colour" };
  lk_ui_test_wait_for (label_shown, &shown);
  item = find (row, GTK_TYPE_LABEL, "Model against colour");
  lk_ui_test_wait_painted (item);
  click (item);
  lk_ui_test_wait_for (choice5_is_last, row);
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), ==,
                   lk_study_settings_describe_choice5 ("model-vs-model"));

  /* The pass mark's + button three times: 83. */
  up = spin_button (child (settings, "pass_mark_spin"), "up");
  scroll_to (GTK_WINDOW (settings), up);
  for (guint i = 1; i <= 3; i++)
    {
      g_autofree char *text = g_strdup_printf ("%u", 80 + i);

      click (up);
      shown = (Shown) { child (settings, "pass_mark_spin"), text };
      lk_ui_test_wait_for (spin_reads, &shown);
    }

  /* The repeats' − button five times: from 5 % to none. */
  down = spin_button (child (settings, "repeat_spin"), "down");
  scroll_to (GTK_WINDOW (settings), down);
  for (guint i = 1; i <= 5; i++)
    {
      g_autofree char *text = g_strdup_printf ("%u.0", 5 - i);

      click (down);
      shown = (Shown) { child (settings, "repeat_spin"), text };
      lk_ui_test_wait_for (spin_reads, &shown);
    }

  save = find (GTK_WIDGET (settings), GTK_TYPE_BUTTON, "settings.save");
  g_assert_nonnull (save);
  click (save);
  lk_ui_test_wait_for (settings_closed, test.overview);

  load_file (&test, &stored);
  g_assert_cmpstr (stored.choice5_policy, ==, "model-vs-model");
  g_assert_cmpfloat_with_epsilon (stored.pass_mark, 83, 1e-9);
  g_assert_cmpfloat (stored.repeat_share, ==, 0);
  g_assert_cmpfloat (stored.gold_share, ==, 0);
  g_assert_cmpstr (lk_study_overview_get_row_text (test.overview, "choice5"), ==,
                   lk_study_settings_describe_choice5 ("model-vs-model"));
  g_assert_true (g_str_has_prefix (lk_study_overview_get_row_text (test.overview, "checks"),
                                   "no grid shown again, no catch grids;"));
  g_assert_true (g_str_has_prefix (lk_study_overview_get_row_text (test.overview, "exam"),
                                   "83 of 100"));

  test_close (&test);
}

/* Stores, in the study at @path, one sorting grid, a repeat of it (a check) and one exam grid,
 * all answered by P-ANN. */
static void
store_check_and_exam (const char *path)
{
  static const guint items[] = { 0, 1, 2, 3, 4, 5, 6, 7 };
  static const gint bins[] = { 0, 0, 1, 1, 2, 2, 0, 1 };
  g_autoptr(GError) error = NULL;
  g_autoptr(LkStore) store = lk_store_open (path, LK_STORE_OPEN_DEFAULT, &error);
  g_autoptr(LkQuery) answer = lk_query_new (items, 8);
  gint64 participant, session, first, repeat, gold;
  g_autofree char *sql = NULL;

  g_assert_no_error (error);
  g_assert_true (lk_query_set_answer (answer, bins, 3, &error));
  participant = lk_store_add_participant (store, "P-ANN", TRUE, FALSE, NULL, &error);
  g_assert_no_error (error);
  session = lk_store_begin_session (store, participant, "test", &error);
  g_assert_no_error (error);
  first = lk_answers_save_spot (store, 0, 0, answer, session, 0, 1000000, NULL, 0, &error);
  g_assert_no_error (error);
  repeat = lk_answers_save_spot (store, 0, 0, answer, session, 0, 1000000, NULL, 0, &error);
  g_assert_no_error (error);
  sql = g_strdup_printf ("UPDATE query SET repeat_of = (SELECT query FROM answer WHERE id = %"
                         G_GINT64_FORMAT ") WHERE id = (SELECT query FROM answer WHERE id = %"
                         G_GINT64_FORMAT ")", first, repeat);
  g_assert_true (lk_store_exec (store, sql, &error));
  g_assert_no_error (error);
  gold = lk_gold_add (store, "G", LK_GOLD_USE_EXAM, NULL, "test", answer, 3, &error);
  g_assert_no_error (error);
  g_assert_cmpint (lk_gold_save_answer (store, gold, LK_TASK_EXAM, answer, session, 0, 1000000,
                                        NULL, 0, &error), >, 0);
  g_assert_no_error (error);
}

/* The overview's budget row: the sorting grids answered (the budget's), the checks among
 * them, and the exam's grids apart, which the budget does not count. */
static void
test_answers_row (void)
{
  g_autofree char *images = NULL;
  g_autoptr(GFile) file = NULL;
  Test test;

  test.dir = study_test_tmpdir ();
  images = g_build_filename (test.dir, "images", NULL);
  test.path = g_build_filename (test.dir, "study.likeness", NULL);
  file = g_file_new_for_path (test.path);
  g_assert_cmpint (g_mkdir (images, 0700), ==, 0);
  study_test_create (test.path, images, 24);
  store_check_and_exam (test.path);
  test.window = lk_window_new (NULL);
  gtk_window_present (GTK_WINDOW (test.window));
  lk_ui_test_wait_mapped (GTK_WIDGET (test.window));
  lk_window_open_study (test.window, file);
  test.overview = lk_window_get_overview (test.window);
  lk_ui_test_wait_for (overview_loaded, test.overview);
  g_assert_cmpstr (lk_study_overview_get_row_text (test.overview, "answers"), ==,
                   "2 of 12 grids answered (16 %), 1 of them a check (a grid shown again or a "
                   "catch grid) (+ 1 exam grid)");
  test_close (&test);
}

int
main (int   argc,
      char *argv[])
{
  lk_locale_init ("C.UTF-8");
  if (!lk_ui_test_init (&argc, &argv))
    return 0;
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

  g_test_add_func ("/lk/ui/settings-controls/keys", test_keys);
  g_test_add_func ("/lk/ui/settings-controls/pointer", test_pointer);
  g_test_add_func ("/lk/ui/settings-controls/answers-row", test_answers_row);

  return g_test_run ();
}
