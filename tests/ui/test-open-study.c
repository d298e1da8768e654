/* test-open-study.c — opening a study from the window: every open error in a dialog, a good
 * study into its overview (counts, participants, a session started from there, export, a
 * finished study that starts none), and the recent studies on the start page
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "lk-create-page-private.h"
#include "lk-crowd-send.h"
#include "lk-export.h"
#include "lk-locale.h"
#include "lk-store-private.h"
#include "lk-study-test.h"
#include "lk-ui-test.h"
#include "lk-window-private.h"
#include "lk-start-page-private.h"
#include "lk-study-overview-private.h"

static gboolean
overview_loaded (gpointer overview)
{
  return !lk_study_overview_is_loading (overview);
}

static gboolean
exported (gpointer overview)
{
  return !lk_study_overview_is_exporting (overview);
}

/* Returns TRUE if a label under @widget shows text containing @text; with @in_toast, only a
 * label in a toast counts. */
static gboolean
shows (GtkWidget  *widget,
       const char *text,
       gboolean    in_toast)
{
  if (in_toast && g_str_equal (G_OBJECT_TYPE_NAME (widget), "AdwToastWidget"))
    in_toast = FALSE;
  if (!in_toast && GTK_IS_LABEL (widget) && gtk_widget_get_mapped (widget)
      && strstr (gtk_label_get_label (GTK_LABEL (widget)), text) != NULL)
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (shows (child, text, in_toast))
      return TRUE;

  return FALSE;
}

#define shows_text(widget, text) shows (widget, text, FALSE)
#define shows_toast(widget, text) shows (widget, text, TRUE)

static void
open_path (LkWindow   *window,
           const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);

  lk_window_open_study (window, file);
}

/* Makes a study at @path in @dir (12 images, @budget grids in one phase). */
static void
make_study (const char *dir,
            const char *path,
            guint       budget)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *images = g_build_filename (dir, "images", NULL);
  g_autoptr(LkStore) store = NULL;
  g_autoptr(LkImportReport) report = NULL;
  LkParams params = study_test_params ();

  params.budget = budget;
  params.phases = 1;
  g_assert_cmpint (g_mkdir (images, 0700), ==, 0);
  study_test_make_images (images, 12);
  store = lk_store_create (path, &params, lk_method_paper, &error);
  g_assert_no_error (error);
  report = lk_collection_import (store, images, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
}

/* From the overview shown, runs a session of participant @code that answers @n more grids (an
 * image in bin 1 each), and goes back to the overview. */
static void
answer_grids (LkWindow   *window,
              const char *code,
              gboolean    pilot,
              guint       n)
{
  LkStudyOverview *overview = lk_window_get_overview (window);
  LkSession *session;

  lk_study_overview_set_participant (overview, code, pilot);
  lk_ui_test_wait_for (overview_loaded, overview);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (overview), "overview.start", NULL));
  lk_ui_test_wait_for (lk_ui_test_window_prepared, window);
  session = lk_session_view_get_session (lk_window_get_session_view (window));
  g_assert_nonnull (session);
  /* The session counts the study's answers, other participants' too. */
  n += lk_session_get_n_answered (session);
  lk_session_accept_consent (session);
  while (lk_session_get_n_answered (session) < n)
    {
      g_autoptr(GError) error = NULL;

      switch ((int) lk_session_get_state (session))
        {
        case LK_SESSION_SORTING:
          lk_sort_model_move (lk_session_get_model (session), 0, 0);
          g_assert_true (lk_session_submit (session, &error));
          g_assert_no_error (error);
          break;
        case LK_SESSION_BREAK:
          lk_session_resume (session);
          break;
        default:
          lk_session_begin (session);
        }
    }
  lk_window_end_session (window);
  g_assert_cmpstr (lk_window_get_visible_page (window), ==, "overview");
  lk_ui_test_wait_for (overview_loaded, overview);
}

static void
test_open (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = study_test_tmpdir ();
  g_autofree char *images = g_build_filename (dir, "images", NULL);
  g_autofree char *path = g_build_filename (dir, "good.likeness", NULL);
  g_autofree char *text = g_build_filename (dir, "notes.likeness", NULL);
  g_autofree char *newer = g_build_filename (dir, "newer.likeness", NULL);
  g_autofree char *small = g_build_filename (dir, "empty.likeness", NULL);
  g_autofree char *unfinished = g_build_filename (dir, "unfinished.likeness", NULL);
  g_autofree char *heading = NULL;
  LkParams params = study_test_params ();
  LkWindow *window = lk_window_new (NULL);
  g_autofree char *csv = g_build_filename (dir, "answers.csv", NULL);
  LkStartPage *start_page;
  LkStudyOverview *overview;

  g_assert_cmpint (g_mkdir (images, 0700), ==, 0);
  study_test_create (path, images, 24);
  g_assert_true (g_file_set_contents (text, "Just some notes.\n", -1, NULL));
  {
    g_autoptr(LkStore) store = lk_store_create (newer, &params, lk_method_paper, &error);

    g_assert_no_error (error);
    g_assert_true (lk_store_exec (store, "PRAGMA user_version = 99;", &error));
  }
  /* A creation stopped before its images were all imported. */
  lk_store_close (lk_store_create_unfinished (unfinished, &params, lk_method_paper, images, TRUE,
                                              &error));
  g_assert_no_error (error);

  gtk_window_present (GTK_WINDOW (window));
  lk_ui_test_wait_mapped (GTK_WIDGET (window));
  start_page = lk_window_get_start_page (window);
  g_assert_cmpuint (lk_start_page_get_n_recent (start_page), ==, 0);

  /* Each error in a dialog with its own heading; the window stays on the start page. */
  open_path (window, text);
  heading = lk_ui_test_take_dialog_heading ();
  g_assert_cmpstr (heading, ==, "This Is Not a Likeness Study");
  g_clear_pointer (&heading, g_free);

  open_path (window, newer);
  heading = lk_ui_test_take_dialog_heading ();
  g_assert_cmpstr (heading, ==, "The Study Needs a Newer Likeness");
  g_clear_pointer (&heading, g_free);

  open_path (window, unfinished);
  heading = lk_ui_test_take_dialog_heading ();
  g_assert_cmpstr (heading, ==, "The Study Was Not Finished Being Created");
  g_clear_pointer (&heading, g_free);
  g_assert_cmpstr (lk_window_get_visible_page (window), ==, "start");

  {
    g_autoptr(LkStore) holder = lk_store_open (path, LK_STORE_OPEN_DEFAULT, &error);

    g_assert_no_error (error);
    open_path (window, path);
    heading = lk_ui_test_take_dialog_heading ();
    g_assert_cmpstr (heading, ==, "The Study Is Already Open");
    g_clear_pointer (&heading, g_free);
  }
  g_assert_cmpuint (lk_start_page_get_n_recent (start_page), ==, 0);

  /* A good study: its overview, not a session, and the file among the recent studies. */
  open_path (window, path);
  g_assert_false (lk_window_is_preparing (window));
  g_assert_cmpstr (lk_window_get_visible_page (window), ==, "overview");
  g_assert_null (lk_session_view_get_session (lk_window_get_session_view (window)));
  g_assert_cmpuint (lk_start_page_get_n_recent (start_page), ==, 1);
  overview = lk_window_get_overview (window);
  lk_ui_test_wait_for (overview_loaded, overview);
  g_assert_cmpstr (lk_study_overview_get_row_text (overview, "answers"), ==,
                   "0 of 12 grids answered (0 %)");
  g_assert_cmpstr (lk_study_overview_get_row_text (overview, "images"), ==, "24 images");
  g_assert_cmpstr (lk_study_overview_get_row_text (overview, "phases"), ==, "0 of 3 phases done");
  lk_study_overview_set_participant (overview, "P-OPEN2", FALSE);
  g_assert_true (gtk_widget_is_sensitive (lk_study_overview_get_button (overview, "start")));
  /* Without the application's action, the experimenter's views say why they are off. */
  g_assert_false (gtk_widget_is_sensitive (lk_study_overview_get_button (overview, "experimenter")));
  g_assert_nonnull (gtk_widget_get_tooltip_text (lk_study_overview_get_button (overview,
                                                                               "experimenter")));

  /* The session starts from the overview; the study is replayed on a worker thread, and
   * meanwhile the window takes no input and names no file. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (overview), "overview.start", NULL));
  g_assert_true (lk_window_is_preparing (window));
  g_assert_false (gtk_widget_is_sensitive (GTK_WIDGET (overview)));
  g_assert_true (shows_text (GTK_WIDGET (overview), "Preparing"));
  g_assert_false (shows_toast (GTK_WIDGET (window), "good"));
  lk_ui_test_wait_for (lk_ui_test_window_prepared, window);
  g_assert_true (gtk_widget_is_sensitive (GTK_WIDGET (overview)));
  heading = lk_ui_test_take_dialog_heading ();
  g_assert_null (heading);
  g_assert_cmpstr (lk_window_get_visible_page (window), ==, "session");
  g_assert_false (shows_text (GTK_WIDGET (window), "Preparing"));
  g_assert_cmpstr (lk_session_get_participant (
                     lk_session_view_get_session (lk_window_get_session_view (window))),
                   ==, "P-OPEN2");

  /* One answer, then back to the overview, which counts it and its participant. */
  lk_window_end_session (window);
  g_assert_cmpstr (lk_window_get_visible_page (window), ==, "overview");
  /* The next participant's code starts empty, and one is made up when none is typed. */
  g_assert_cmpstr (lk_study_overview_get_participant_code (overview), ==, "");
  lk_ui_test_wait_for (overview_loaded, overview);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (overview), "overview.start", NULL));
  lk_ui_test_wait_for (lk_ui_test_window_prepared, window);
  g_assert_true (g_str_has_prefix (lk_session_get_participant (
                   lk_session_view_get_session (lk_window_get_session_view (window))), "P-"));
  g_assert_cmpstr (lk_study_overview_get_participant_code (overview), ==,
                   lk_session_get_participant (
                     lk_session_view_get_session (lk_window_get_session_view (window))));
  lk_window_end_session (window);
  answer_grids (window, "P-OPEN3", FALSE, 1);
  g_assert_cmpstr (lk_study_overview_get_row_text (overview, "answers"), ==,
                   "1 of 12 grids answered (8 %)");
  g_assert_cmpuint (lk_study_overview_get_n_participant_rows (overview), ==, 1);

  /* Export writes the tidy answers CSV. */
  lk_study_overview_export_answers (overview, csv);
  lk_ui_test_wait_for (exported, overview);
  {
    g_autofree char *contents = NULL;

    g_assert_true (g_file_get_contents (csv, &contents, NULL, &error));
    g_assert_no_error (error);
    g_assert_true (g_str_has_prefix (contents, LK_EXPORT_TIDY_HEADER "\n"));
    /* One row per image of the grid. */
    g_assert_cmpuint (g_strv_length (g_strsplit (contents, "\n", -1)), ==, 1 + 8 + 1);
  }

  /* Back: the study is let go (its lock too), and the start page is shown. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (overview), "overview.back", NULL));
  g_assert_cmpstr (lk_window_get_visible_page (window), ==, "start");
  g_assert_null (lk_study_overview_get_study (overview));
  {
    g_autoptr(LkStore) store = lk_store_open (path, LK_STORE_OPEN_DEFAULT, &error);

    g_assert_no_error (error);
  }

  /* A study that cannot run a session (a grid shows more images than it has) says so once it
   * is replayed, and the window stays on the start page. */
  {
    g_autoptr(LkStore) store = lk_store_create (small, &params, lk_method_paper, &error);

    g_assert_no_error (error);
  }
  open_path (window, small);
  g_assert_cmpstr (lk_window_get_visible_page (window), ==, "overview");
  lk_ui_test_wait_for (overview_loaded, overview);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (overview), "overview.start", NULL));
  lk_ui_test_wait_for (lk_ui_test_window_prepared, window);
  heading = lk_ui_test_take_dialog_heading ();
  g_assert_nonnull (heading);
  g_clear_pointer (&heading, g_free);
  g_assert_cmpstr (lk_window_get_visible_page (window), ==, "overview");
  /* "Preparing…" does not stay after the error. */
  g_assert_false (shows_text (GTK_WIDGET (window), "Preparing"));
  gtk_window_destroy (GTK_WINDOW (window));
  lk_ui_test_flush ();
  lk_test_rmdir (dir);
}

/* Returns a new window showing the overview of a new study in @dir with @budget grids. */
static LkWindow *
open_new_study (const char *dir,
                guint       budget)
{
  g_autofree char *path = g_build_filename (dir, "study.likeness", NULL);
  LkWindow *window = lk_window_new (NULL);

  make_study (dir, path, budget);
  gtk_window_present (GTK_WINDOW (window));
  lk_ui_test_wait_mapped (GTK_WIDGET (window));
  open_path (window, path);

  return window;
}

/* A study whose budget is spent says so on its overview and starts no session. */
static void
test_finished (void)
{
  g_autofree char *dir = study_test_tmpdir ();
  LkWindow *window = open_new_study (dir, 2);
  LkStudyOverview *overview = lk_window_get_overview (window);

  answer_grids (window, "P-1", FALSE, 2);
  g_assert_true (lk_study_overview_is_finished (overview));
  g_assert_cmpstr (lk_study_overview_get_row_text (overview, "answers"), ==,
                   "2 of 2 grids answered (100 %)");
  g_assert_true (shows_text (GTK_WIDGET (overview), "This study is complete"));
  g_assert_false (gtk_widget_is_sensitive (lk_study_overview_get_button (overview, "start")));
  gtk_widget_activate_action (GTK_WIDGET (overview), "overview.start", NULL);
  lk_ui_test_flush ();
  g_assert_false (lk_window_is_preparing (window));
  g_assert_cmpstr (lk_window_get_visible_page (window), ==, "overview");

  gtk_window_destroy (GTK_WINDOW (window));
  lk_ui_test_flush ();
  lk_test_rmdir (dir);
}

/* The participants, with their answers and pilot flags. */
static void
test_participants (void)
{
  g_autofree char *dir = study_test_tmpdir ();
  LkWindow *window = open_new_study (dir, 12);
  LkStudyOverview *overview = lk_window_get_overview (window);

  answer_grids (window, "P-1", FALSE, 3);
  answer_grids (window, "PILOT-1", TRUE, 2);
  g_assert_false (lk_study_overview_is_finished (overview));
  g_assert_cmpstr (lk_study_overview_get_row_text (overview, "participants"), ==,
                   "2 participants in 2 sessions, 1 of them pilot");
  g_assert_cmpuint (lk_study_overview_get_n_participant_rows (overview), ==, 2);
  g_assert_true (shows_text (GTK_WIDGET (overview), "PILOT-1"));
  g_assert_true (shows_text (GTK_WIDGET (overview), "3 answers"));
  g_assert_true (shows_text (GTK_WIDGET (overview), "2 answers"));
  g_assert_true (shows_text (GTK_WIDGET (overview), "Pilot"));

  gtk_window_destroy (GTK_WINDOW (window));
  lk_ui_test_flush ();
  lk_test_rmdir (dir);
}

/* Returns the first widget of @type under @widget. */
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

static gboolean
reported (gpointer page)
{
  return g_strcmp0 (lk_create_page_get_stage (page), "report") == 0;
}

/* A study made in the window opens on its overview and joins the recent studies. */
static void
test_created (void)
{
  g_autofree char *dir = study_test_tmpdir ();
  g_autofree char *images = g_build_filename (dir, "images", NULL);
  g_autofree char *path = g_build_filename (dir, "made.likeness", NULL);
  LkWindow *window = lk_window_new (NULL);
  LkCreatePage *page;
  GtkWidget *open_button;

  g_assert_cmpint (g_mkdir (images, 0700), ==, 0);
  study_test_make_images (images, 30);
  gtk_window_present (GTK_WINDOW (window));
  lk_ui_test_wait_mapped (GTK_WIDGET (window));
  g_assert_true (lk_window_show_page (window, "create"));
  page = LK_CREATE_PAGE (find_type (GTK_WIDGET (window), LK_TYPE_CREATE_PAGE));
  lk_create_page_set_folder (page, images);
  lk_create_page_set_study_path (page, path);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (gtk_widget_get_template_child (GTK_WIDGET (page),
                                                                             LK_TYPE_CREATE_PAGE,
                                                                             "nq_spin")), 12);
  lk_create_page_create (page);
  lk_ui_test_wait_for (reported, page);

  open_button = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (page),
                                                          LK_TYPE_CREATE_PAGE, "start_button"));
  g_signal_emit_by_name (open_button, "clicked");
  lk_ui_test_flush ();
  g_assert_cmpstr (lk_window_get_visible_page (window), ==, "overview");
  g_assert_cmpstr (lk_study_get_path (lk_study_overview_get_study (lk_window_get_overview (window))),
                   ==, path);
  {
    g_autoptr(GSettings) settings = g_settings_new ("io.github.likeness.Likeness");
    g_auto(GStrv) recent = g_settings_get_strv (settings, "recent-studies");

    g_assert_cmpstr (recent[0], ==, path);
  }
  lk_ui_test_wait_for (overview_loaded, lk_window_get_overview (window));

  gtk_window_destroy (GTK_WINDOW (window));
  lk_ui_test_flush ();
  lk_test_rmdir (dir);
}

/* The one crowd dialog open, or NULL. */
static AdwMessageDialog *
find_crowd_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (g_object_get_data (window, "lk-crowd-send") != NULL)
        return ADW_MESSAGE_DIALOG (window);
    }

  return NULL;
}

/* "Send Grids to a Crowd Platform…": the dialog's choices reach the export, which writes the
 * Mechanical Turk batch (3 grids) on a worker thread and marks the grids as handed out; Send
 * is disabled until a URL and a folder are given; a folder that is not empty is refused in a
 * dialog that says why. */
static void
test_crowd_send (void)
{
  g_autofree char *dir = study_test_tmpdir ();
  g_autofree char *batch = g_build_filename (dir, "batch", NULL);
  g_autofree char *csv = g_build_filename (batch, "input.csv", NULL);
  g_autofree char *manifest = g_build_filename (batch, "batch.json", NULL);
  g_autofree char *toloka = g_build_filename (batch, "tasks.json", NULL);
  g_autofree char *heading = NULL;
  LkWindow *window = open_new_study (dir, 6);
  LkStudyOverview *overview = lk_window_get_overview (window);
  AdwMessageDialog *dialog;
  gint64 handed = 0;

  lk_ui_test_wait_for (overview_loaded, overview);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (overview), "overview.crowd-send", NULL));
  lk_ui_test_flush ();
  dialog = find_crowd_dialog ();
  g_assert_nonnull (dialog);
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "send"));
  lk_crowd_send_dialog_fill (dialog, LK_CROWD_MTURK, 3, "https://example.org/b1", batch);
  g_assert_true (adw_message_dialog_get_response_enabled (dialog, "send"));
  adw_message_dialog_response (dialog, "send");
  gtk_window_destroy (GTK_WINDOW (dialog));
  g_assert_true (lk_study_overview_is_exporting (overview));
  lk_ui_test_wait_for (exported, overview);
  g_assert_null (lk_ui_test_take_dialog_heading ());
  g_assert_true (g_file_test (csv, G_FILE_TEST_IS_REGULAR));
  g_assert_true (g_file_test (manifest, G_FILE_TEST_IS_REGULAR));
  {
    g_autofree char *contents = NULL;

    g_assert_true (g_file_get_contents (csv, &contents, NULL, NULL));
    /* A header and one row per grid. */
    g_assert_cmpuint (g_strv_length (g_strsplit (g_strstrip (contents), "\n", -1)), ==, 4);
  }
  g_assert_true (lk_store_query_int (lk_study_get_store (lk_study_overview_get_study (overview)),
                                     "SELECT count(*) FROM crowd_grid", 0, &handed, NULL));
  g_assert_cmpint (handed, ==, 3);

  /* Again into the same folder, which is no longer empty: an error dialog, nothing written. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (overview), "overview.crowd-send", NULL));
  lk_ui_test_flush ();
  dialog = find_crowd_dialog ();
  lk_crowd_send_dialog_fill (dialog, LK_CROWD_TOLOKA, 2, "https://example.org/b2", batch);
  adw_message_dialog_response (dialog, "send");
  gtk_window_destroy (GTK_WINDOW (dialog));
  lk_ui_test_wait_for (exported, overview);
  heading = lk_ui_test_take_dialog_heading ();
  g_assert_cmpstr (heading, ==, "Could Not Send the Grids");
  g_assert_false (g_file_test (toloka, G_FILE_TEST_EXISTS));
  g_assert_true (lk_store_query_int (lk_study_get_store (lk_study_overview_get_study (overview)),
                                     "SELECT count(*) FROM crowd_grid", 0, &handed, NULL));
  g_assert_cmpint (handed, ==, 3);

  gtk_window_destroy (GTK_WINDOW (window));
  lk_ui_test_flush ();
  lk_test_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  lk_locale_init ("C.UTF-8");
  if (!lk_ui_test_init (&argc, &argv))
    return 0;
  /* A dismissed toast goes at once, not after its animation. */
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

  g_test_add_func ("/lk/ui/open-study/errors-and-recent", test_open);
  g_test_add_func ("/lk/ui/open-study/finished", test_finished);
  g_test_add_func ("/lk/ui/open-study/participants", test_participants);
  g_test_add_func ("/lk/ui/open-study/created", test_created);
  g_test_add_func ("/lk/ui/open-study/crowd-send", test_crowd_send);

  return g_test_run ();
}
