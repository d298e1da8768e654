/* test-command-line.c — the ways in from the command line that the README's screenshots use,
 * run through the application's own option parsing: --experimenter=STUDY --view=participants
 * brings the Participants view (below the fold of the right-hand column) into sight with the
 * keyboard focus; --page=lab-connect opens "Connect to a Lab Study" on the start page;
 * --page=crowd-send:STUDY opens "Send Grids to a Crowd Platform" on the study's overview; and
 * with --screenshot a page's dialog is what is saved, after which the app quits by itself;
 * --page=known-answers:STUDY opens the Known Answers window; --page=feedback:STUDY and
 * --page=not-qualified:STUDY take a made-up participant to a training page's feedback (with
 * a mistake) and to the end of a failed exam (marked in the file); and
 * --page=keep-known-answer:STUDY --screenshot saves Keep as Known Answer drawn over the Sort
 * Grids window, then quits
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "lk-application.h"
#include "lk-gold.h"
#include "lk-known-answers.h"
#include "lk-session-settings.h"
#include "lk-store-private.h"
#include "lk-session-view.h"
#include "lk-experimenter-window.h"
#include "lk-experimenter-window-private.h"
#include "lk-participants-view.h"
#include "lk-session.h"
#include "lk-study-run.h"
#include "lk-study.h"
#include "lk-study-test.h"
#include "lk-ui-test.h"

typedef gboolean (*CheckFunc) (GtkApplication *app,
                               gpointer        data);

typedef struct {
  GtkApplication *app;
  CheckFunc       check;
  gpointer        data;
  gint64          end;
  gboolean        done;
} Run;

/* The experimenter's window opened small (a laptop's 1024x600), so that the right-hand column
 * scrolls. */
static void
window_added_cb (GtkApplication *app,
                 GtkWindow      *window)
{
  if (LK_IS_EXPERIMENTER_WINDOW (window))
    gtk_window_set_default_size (window, 1024, 600);
}

/* Closes every window: the app's, and the dialogs, which are not the app's. */
static void
destroy_all (GtkApplication *app)
{
  GListModel *toplevels = gtk_window_get_toplevels ();
  g_autoptr(GPtrArray) windows = g_ptr_array_new_with_free_func (g_object_unref);

  /* The newest first, and so let go of first: a window must not outlive the one it is
   * transient for (its dispose lets go of that parent). */
  for (guint i = g_list_model_get_n_items (toplevels); i-- > 0;)
    g_ptr_array_add (windows, g_list_model_get_item (toplevels, i));
  for (guint i = 0; i < windows->len; i++)
    gtk_window_destroy (g_ptr_array_index (windows, i));
}

/* Polls @run's check while the app runs; once it holds, closes every window (and so quits). */
static gboolean
poll_cb (gpointer user_data)
{
  Run *run = user_data;

  g_assert_cmpint (g_get_monotonic_time (), <, run->end);
  if (run->check == NULL || !run->check (run->app, run->data))
    return G_SOURCE_CONTINUE;
  run->done = TRUE;
  destroy_all (run->app);

  return G_SOURCE_REMOVE;
}

/* Runs the app on @args (NULL-terminated, without the program's name) until @check holds (with
 * @check NULL: until the app quits by itself), failing after 30 s. */
static void
run_app (const char *const *args,
         CheckFunc          check,
         gpointer           data)
{
  g_autoptr(LkApplication) app = lk_application_new ();
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  Run run = { GTK_APPLICATION (app), check, data, 0, FALSE };
  guint id;
  int status;

  g_application_set_flags (G_APPLICATION (app), g_application_get_flags (G_APPLICATION (app))
                                                | G_APPLICATION_NON_UNIQUE);
  g_signal_connect (app, "window-added", G_CALLBACK (window_added_cb), NULL);
  g_ptr_array_add (argv, (gpointer) "likeness");
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  run.end = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  id = g_timeout_add (20, poll_cb, &run);
  status = g_application_run (G_APPLICATION (app), (int) argv->len - 1, (char **) argv->pdata);
  g_assert_cmpint (status, ==, 0);
  if (check != NULL)
    g_assert_true (run.done);
  else
    g_source_remove (id);
  lk_ui_test_flush ();
}

/* Returns the first shown window of @app of @type, or NULL. */
static GtkWindow *
find_window (GtkApplication *app,
             GType           type)
{
  for (GList *l = gtk_application_get_windows (app); l != NULL; l = l->next)
    if (G_TYPE_CHECK_INSTANCE_TYPE (l->data, type) && gtk_widget_get_visible (l->data))
      return l->data;

  return NULL;
}

/* Returns a shown message dialog transient for a window of @app, or NULL. */
static AdwMessageDialog *
find_dialog (GtkApplication *app)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (window) && gtk_widget_get_mapped (GTK_WIDGET (window))
          && gtk_window_get_transient_for (window) != NULL
          && LK_IS_WINDOW (gtk_window_get_transient_for (window)))
        return ADW_MESSAGE_DIALOG (window);
    }

  return NULL;
}

/* Makes a small study at @path; @n_participants (up to 3) then sort four grids each. */
static void
make_study (const char *dir,
            const char *path,
            guint       n_participants)
{
  static const char *const codes[] = { "P-ANN", "P-BOB", "P-CID" };
  g_autoptr(GError) error = NULL;
  g_autofree char *images = g_build_filename (dir, "images", NULL);
  g_autoptr(LkStore) store = NULL;
  g_autoptr(LkImportReport) report = NULL;
  g_autoptr(LkStudy) study = NULL;
  g_autoptr(LkStudyRun) run = NULL;
  LkParams params = study_test_params ();

  g_assert_cmpint (g_mkdir (images, 0700), ==, 0);
  study_test_make_images (images, 24);
  store = lk_store_create (path, &params, lk_method_paper, &error);
  g_assert_no_error (error);
  report = lk_collection_import (store, images, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_clear_pointer (&store, lk_store_close);
  if (n_participants == 0)
    return;

  study = lk_study_open (path, &error);
  g_assert_no_error (error);
  run = lk_study_run_new (study, "test-station", &error);
  g_assert_no_error (error);
  for (guint p = 0; p < n_participants; p++)
    {
      g_autoptr(LkSession) session = NULL;
      LkSessionSetup setup;

      lk_study_get_setup (study, &setup);
      setup.break_every = 0;
      setup.n_practice = 0;
      session = lk_session_new (LK_IMAGE_SOURCE (study), &setup, codes[p], FALSE,
                                LK_GRID_SOURCE (run), &error);
      g_assert_no_error (error);
      lk_session_accept_consent (session);
      lk_session_begin (session);
      for (guint g = 0; g < 4; g++)
        {
          LkSortModel *model = lk_session_get_model (session);

          for (guint i = 0; i < lk_sort_model_get_n_items (model); i++)
            lk_sort_model_move (model, i, (gint) ((lk_sort_model_get_item (model, i) + p) % 3));
          g_assert_true (lk_session_submit (session, &error));
          g_assert_no_error (error);
          lk_ui_test_wait_worker (lk_grid_source_get_worker (LK_GRID_SOURCE (run)));
        }
      g_assert_true (lk_session_end (session, &error));
      g_assert_no_error (error);
    }
  g_clear_object (&run);
  lk_ui_test_flush ();
}

typedef struct {
  gboolean focused;
  double   scrolled;
  gboolean in_sight;
  gboolean all_rows;
  guint    rows;
} ViewSeen;

static gboolean
participants_shown (GtkApplication *app,
                    gpointer        data)
{
  ViewSeen *seen = data;
  GtkWindow *window = find_window (app, LK_TYPE_EXPERIMENTER_WINDOW);
  LkExperimenterWindow *self = (LkExperimenterWindow *) window;
  GtkWidget *view, *focus, *scrolled;
  graphene_rect_t bounds;

  if (window == NULL || !gtk_widget_get_mapped (GTK_WIDGET (window))
      || lk_experimenter_window_is_showing_view (self))
    return FALSE;
  view = GTK_WIDGET (self->participants_view);
  focus = gtk_root_get_focus (GTK_ROOT (window));
  seen->focused = focus != NULL && (focus == view || gtk_widget_is_ancestor (focus, view));
  scrolled = gtk_widget_get_ancestor (GTK_WIDGET (self->right_box), GTK_TYPE_SCROLLED_WINDOW);
  seen->scrolled = gtk_adjustment_get_value (
    gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled)));
  /* The whole view, its buttons at the bottom included, within the scroller's visible
   * height; and its list as tall as its rows, none of them behind the list's own scroller. */
  g_assert_true (gtk_widget_compute_bounds (view, scrolled, &bounds));
  seen->in_sight = bounds.origin.y >= 0
                   && bounds.origin.y + bounds.size.height <= gtk_widget_get_height (scrolled);
  {
    GtkWidget *list = gtk_widget_get_ancestor (
      lk_participants_view_get_column_view (self->participants_view), GTK_TYPE_SCROLLED_WINDOW);
    GtkAdjustment *own = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (list));

    seen->all_rows = gtk_adjustment_get_upper (own) - gtk_adjustment_get_lower (own)
                     <= gtk_adjustment_get_page_size (own) + 0.5;
  }
  seen->rows = g_list_model_get_n_items (lk_participants_view_get_model (self->participants_view));

  return TRUE;
}

/* --view=participants: below the fold, the view is scrolled into sight, all of it (its top
 * alone was once, cutting the third row and the buttons off), and has the keyboard focus once
 * the study is read. */
static void
test_view_participants (void)
{
  g_autofree char *dir = study_test_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "study.likeness", NULL);
  g_autofree char *experimenter = g_strconcat ("--experimenter=", path, NULL);
  const char *args[] = { experimenter, "--view=participants", NULL };
  ViewSeen seen = { FALSE, 0, FALSE, FALSE, 0 };

  make_study (dir, path, 3);
  run_app (args, participants_shown, &seen);
  g_assert_true (seen.focused);
  g_assert_cmpfloat (seen.scrolled, >, 0);
  g_assert_cmpuint (seen.rows, ==, 3);
  g_assert_true (seen.all_rows);
  g_assert_true (seen.in_sight);
  lk_test_rmdir (dir);
}

static gboolean
dialog_shown (GtkApplication *app,
              gpointer        data)
{
  char **heading = data;
  AdwMessageDialog *dialog = find_dialog (app);

  if (dialog == NULL)
    return FALSE;
  *heading = g_strdup (adw_message_dialog_get_heading (dialog));

  return TRUE;
}

/* --page=lab-connect: the start page, and "Connect to a Lab Study" on it (in a build without
 * libpq, the dialog saying lab studies are not available). */
static void
test_page_lab_connect (void)
{
  const char *args[] = { "--page=lab-connect", NULL };
  g_autofree char *heading = NULL;

  run_app (args, dialog_shown, &heading);
  /* The test is built without the app's LK_HAVE_LAB: either dialog is the right one, and
   * nothing else. */
  if (g_strcmp0 (heading, "Lab Studies Are Not Available") != 0)
    g_assert_cmpstr (heading, ==, "Connect to a Lab Study");
}

typedef struct {
  char *heading;
  char *study;
} CrowdSeen;

static gboolean
crowd_dialog_shown (GtkApplication *app,
                    gpointer        data)
{
  CrowdSeen *seen = data;
  GtkWindow *window = find_window (app, LK_TYPE_WINDOW);
  LkStudy *study;

  if (window == NULL || !dialog_shown (app, &seen->heading))
    return FALSE;
  study = lk_study_overview_get_study (lk_window_get_overview (LK_WINDOW (window)));
  seen->study = study != NULL ? g_strdup (lk_study_get_path (study)) : NULL;
  g_assert_cmpstr (lk_window_get_visible_page (LK_WINDOW (window)), ==, "overview");

  return TRUE;
}

/* --page=crowd-send:STUDY: the study's overview, and "Send Grids to a Crowd Platform" on it. */
static void
test_page_crowd_send (void)
{
  g_autofree char *dir = study_test_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "study.likeness", NULL);
  g_autofree char *page = g_strconcat ("--page=crowd-send:", path, NULL);
  const char *args[] = { page, NULL };
  CrowdSeen seen = { NULL, NULL };

  make_study (dir, path, 0);
  run_app (args, crowd_dialog_shown, &seen);
  g_assert_cmpstr (seen.heading, ==, "Send Grids to a Crowd Platform");
  g_assert_cmpstr (seen.study, ==, path);
  g_free (seen.heading);
  g_free (seen.study);
  lk_test_rmdir (dir);
}

/* --screenshot with a page's dialog: the PNG is the dialog, not the main window behind it,
 * and the app quits by itself once it is saved. */
static void
test_dialog_screenshot (void)
{
  g_autofree char *dir = study_test_tmpdir ();
  g_autofree char *png = g_build_filename (dir, "dialog.png", NULL);
  g_autofree char *shot = g_strconcat ("--screenshot=", png, NULL);
  const char *args[] = { "--page=lab-connect", shot, NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkTexture) texture = NULL;

  run_app (args, NULL, NULL);
  texture = gdk_texture_new_from_filename (png, &error);
  g_assert_no_error (error);
  /* A message dialog's width (at most 550 px wide by libadwaita's rule), not the 1280 px of
   * the main window behind it. */
  g_assert_cmpint (gdk_texture_get_width (texture), >, 200);
  g_assert_cmpint (gdk_texture_get_width (texture), <=, 600);
  g_assert_cmpint (gdk_texture_get_height (texture), <, 600);
  g_assert_cmpint (g_unlink (png), ==, 0);
  lk_test_rmdir (dir);
}

/* One grid of the study at @path sorted by @code. */
static void
sort_as (const char *path,
         const char *code)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LkStudy) study = lk_study_open (path, &error);
  g_autoptr(LkStudyRun) run = NULL;
  g_autoptr(LkSession) session = NULL;
  LkSessionSetup setup;
  LkSortModel *model;

  g_assert_no_error (error);
  run = lk_study_run_new (study, "test-station", &error);
  g_assert_no_error (error);
  lk_study_get_setup (study, &setup);
  setup.break_every = 0;
  setup.n_practice = 0;
  session = lk_session_new (LK_IMAGE_SOURCE (study), &setup, code, FALSE, LK_GRID_SOURCE (run),
                            &error);
  g_assert_no_error (error);
  lk_session_accept_consent (session);
  lk_session_begin (session);
  model = lk_session_get_model (session);
  for (guint i = 0; i < lk_sort_model_get_n_items (model); i++)
    lk_sort_model_move (model, i, (gint) (i % 3));
  g_assert_true (lk_session_submit (session, &error));
  g_assert_no_error (error);
  lk_ui_test_wait_worker (lk_grid_source_get_worker (LK_GRID_SOURCE (run)));
  g_assert_true (lk_session_end (session, &error));
  g_clear_object (&session);
  g_clear_object (&run);
  lk_ui_test_flush ();
}

/* Gives the study at @path a known answer of the first six images in three groups, for
 * @use, and @plan. */
static void
add_gold (const char *path,
          LkGoldUse   use,
          const char *plan)
{
  static const gint bins[] = { 0, 0, 1, 1, 2, 2 };
  guint items[] = { 0, 1, 2, 3, 4, 5 };
  g_autoptr(GError) error = NULL;
  g_autoptr(LkStore) store = lk_store_open (path, LK_STORE_OPEN_DEFAULT, &error);
  g_autoptr(LkQuery) answer = lk_query_new (items, G_N_ELEMENTS (items));
  g_auto(LkSessionSettings) settings = { 0 };

  g_assert_no_error (error);
  g_assert_true (lk_query_set_answer (answer, bins, 3, &error));
  g_assert_cmpint (lk_gold_add (store, "six", use, NULL, "test", answer, 3, &error), >, 0);
  g_assert_no_error (error);
  g_assert_true (lk_store_load_session_settings (store, &settings, &error));
  g_assert_true (lk_session_settings_set (&settings, "plan", plan, &error));
  g_assert_true (lk_store_save_session_settings (store, &settings, &error));
  g_assert_no_error (error);
}

static gboolean
known_answers_shown (GtkApplication *app,
                     gpointer        data)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (LK_IS_KNOWN_ANSWERS (window) && gtk_widget_get_mapped (GTK_WIDGET (window)))
        {
          *(gboolean *) data = LK_IS_WINDOW (gtk_window_get_transient_for (window));
          return TRUE;
        }
    }

  return FALSE;
}

/* --page=known-answers:STUDY: the study's overview, and its Known Answers window over it. */
static void
test_page_known_answers (void)
{
  g_autofree char *dir = study_test_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "study.likeness", NULL);
  g_autofree char *page = g_strconcat ("--page=known-answers:", path, NULL);
  const char *args[] = { page, NULL };
  gboolean over_main = FALSE;

  make_study (dir, path, 0);
  add_gold (path, LK_GOLD_USE_EXAM, "exam:1,sort:4");
  run_app (args, known_answers_shown, &over_main);
  g_assert_true (over_main);
  lk_test_rmdir (dir);
}

typedef struct {
  LkSessionState state;
  double         score;
} GoldSeen;

static gboolean
session_at (GtkApplication *app,
            gpointer        data)
{
  GoldSeen *seen = data;
  GtkWindow *window = find_window (app, LK_TYPE_WINDOW);
  LkSession *session;

  if (window == NULL || !gtk_widget_get_mapped (GTK_WIDGET (window)))
    return FALSE;
  session = lk_session_view_get_session (lk_window_get_session_view (LK_WINDOW (window)));
  if (session == NULL)
    return FALSE;
  seen->state = lk_session_get_state (session);
  if (seen->state == LK_SESSION_FEEDBACK)
    g_assert_nonnull (lk_session_get_feedback (session, &seen->score));

  return TRUE;
}

/* --page=feedback:STUDY: a training page's feedback, its answer one image off the known one. */
static void
test_page_feedback (void)
{
  g_autofree char *dir = study_test_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "study.likeness", NULL);
  g_autofree char *page = g_strconcat ("--page=feedback:", path, NULL);
  const char *args[] = { page, NULL };
  GoldSeen seen = { LK_SESSION_CONSENT, -1 };

  make_study (dir, path, 0);
  add_gold (path, LK_GOLD_USE_TRAINING, "training:1,sort:4");
  run_app (args, session_at, &seen);
  g_assert_cmpint (seen.state, ==, LK_SESSION_FEEDBACK);
  /* One image moved from the first group to the second: those two groups are not kept. */
  g_assert_cmpfloat_with_epsilon (seen.score, 100.0 / 3, 1e-6);
  lk_test_rmdir (dir);
}

/* --page=not-qualified:STUDY: the end page of a failed exam, the participant marked so. */
static void
test_page_not_qualified (void)
{
  g_autofree char *dir = study_test_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "study.likeness", NULL);
  g_autofree char *page = g_strconcat ("--page=not-qualified:", path, NULL);
  const char *args[] = { page, NULL };
  GoldSeen seen = { LK_SESSION_CONSENT, -1 };
  g_autoptr(GError) error = NULL;
  g_autoptr(LkStore) store = NULL;
  sqlite3_stmt *stmt;

  make_study (dir, path, 0);
  add_gold (path, LK_GOLD_USE_EXAM, "exam:1,sort:4");
  run_app (args, session_at, &seen);
  g_assert_cmpint (seen.state, ==, LK_SESSION_NOT_QUALIFIED);
  store = lk_store_open (path, LK_STORE_OPEN_READ_ONLY, &error);
  g_assert_no_error (error);
  stmt = lk_store_prepare (store, "SELECT status FROM participant", &error);
  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, "not_qualified");
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
  sqlite3_reset (stmt);
  g_clear_pointer (&store, lk_store_close);
  lk_test_rmdir (dir);
}

/* --page=keep-known-answer:STUDY --screenshot: the browser opens Sort Grids, and there Keep as
 * Known Answer on the grid the curator sorted; the PNG is the dialog over that window (its
 * size, not a dialog's), and the app quits by itself. */
static void
test_keep_screenshot (void)
{
  g_autofree char *dir = study_test_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "study.likeness", NULL);
  g_autofree char *png = g_build_filename (dir, "keep.png", NULL);
  g_autofree char *page = g_strconcat ("--page=keep-known-answer:", path, NULL);
  g_autofree char *shot = g_strconcat ("--screenshot=", png, NULL);
  const char *args[] = { page, shot, NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkTexture) texture = NULL;

  make_study (dir, path, 0);
  sort_as (path, "curator");
  run_app (args, NULL, NULL);
  texture = gdk_texture_new_from_filename (png, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gdk_texture_get_width (texture), >, 800);
  g_assert_cmpint (gdk_texture_get_height (texture), >, 550);
  g_assert_cmpint (g_unlink (png), ==, 0);
  lk_test_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  if (!lk_ui_test_init (&argc, &argv))
    return 0;

  g_test_add_func ("/lk/command-line/view-participants", test_view_participants);
  g_test_add_func ("/lk/command-line/page-lab-connect", test_page_lab_connect);
  g_test_add_func ("/lk/command-line/page-crowd-send", test_page_crowd_send);
  g_test_add_func ("/lk/command-line/dialog-screenshot", test_dialog_screenshot);
  g_test_add_func ("/lk/command-line/page-known-answers", test_page_known_answers);
  g_test_add_func ("/lk/command-line/page-feedback", test_page_feedback);
  g_test_add_func ("/lk/command-line/page-not-qualified", test_page_not_qualified);
  g_test_add_func ("/lk/command-line/keep-screenshot", test_keep_screenshot);

  return g_test_run ();
}
