/* test-participants-view.c — who sorted how, live and in the experimenter's window: a cen study
 * answered live by three participants is reproduced by the replay; the Participants view lists
 * them, and Leave Out (then Undo on the toast) writes the study's flag and recomputes the model
 * on the worker to what the replay without them gives
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "lk-answers.h"
#include "lk-cen.h"
#include "lk-experimenter-window.h"
#include "lk-experimenter-window-private.h"
#include "lk-export.h"
#include "lk-participants.h"
#include "lk-participants-view.h"
#include "lk-session.h"
#include "lk-store-private.h"
#include "lk-study-run.h"
#include "lk-study.h"
#include "lk-study-test.h"
#include "lk-ui-test.h"

static const char *const codes[] = { "P-ANN", "P-BOB", "P-CID" };

/* Participant @p sorts by a rule of their own (by position, by item number, by its tens), so
 * that the model of the workers matters. */
static void
answer_as (LkStudy    *study,
           LkStudyRun *run,
           guint       p,
           guint       n)
{
  g_autoptr(GError) error = NULL;
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
  for (guint g = 0; g < n; g++)
    {
      LkSortModel *model = lk_session_get_model (session);

      for (guint i = 0; i < lk_sort_model_get_n_items (model); i++)
        {
          guint item = lk_sort_model_get_item (model, i);
          gint bin = p == 0 ? (gint) (i % 3) : p == 1 ? (gint) (item % 3) : (gint) ((item / 8) % 3);

          lk_sort_model_move (model, i, bin);
        }
      g_assert_true (lk_session_submit (session, &error));
      g_assert_no_error (error);
      lk_ui_test_wait_worker (lk_grid_source_get_worker (LK_GRID_SOURCE (run)));
    }
  g_assert_true (lk_session_end (session, &error));
  g_assert_no_error (error);
}

/* Makes a cen study of 24 images at @path and answers all of its 12 grids live, four by each
 * participant, through one study run. */
static void
make_answered_study (const char *dir,
                     const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *images = g_build_filename (dir, "images", NULL);
  g_autoptr(LkStore) store = NULL;
  g_autoptr(LkImportReport) report = NULL;
  g_autoptr(LkStudy) study = NULL;
  g_autoptr(LkStudyRun) run = NULL;
  LkParams params = study_test_params ();

  g_assert_cmpint (g_mkdir (images, 0700), ==, 0);
  study_test_make_images (images, 24);
  store = lk_store_create (path, &params, lk_method_cen, &error);
  g_assert_no_error (error);
  report = lk_collection_import (store, images, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_clear_pointer (&store, lk_store_close);

  study = lk_study_open (path, &error);
  g_assert_no_error (error);
  run = lk_study_run_new (study, "test-station", &error);
  g_assert_no_error (error);
  for (guint p = 0; p < 3; p++)
    answer_as (study, run, p, 4);
  lk_ui_test_wait_worker (lk_grid_source_get_worker (LK_GRID_SOURCE (run)));
  g_assert_true (lk_grid_source_is_spent (LK_GRID_SOURCE (run)));
  g_clear_object (&run);
  lk_ui_test_flush ();
}

/* The embedding the replay of @path computes now, as bytes. */
static GBytes *
replayed_embedding (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LkStore) store = lk_store_open (path, LK_STORE_OPEN_READ_ONLY, &error);
  g_autoptr(LkRefiner) refiner = NULL;
  const LkEmbedding *e;

  g_assert_no_error (error);
  refiner = lk_answers_rebuild (store, NULL, &error);
  g_assert_no_error (error);
  e = lk_refiner_get_embedding (refiner);

  return g_bytes_new (lk_embedding_get_data (e), sizeof (double) * lk_embedding_get_n_items (e)
                                                 * lk_embedding_get_dim (e));
}

static GBytes *
worker_embedding (LkExperimenterWindow *window)
{
  LkRefineWorker *worker = lk_experimenter_window_get_worker (window);
  const LkEmbedding *e = lk_refiner_get_embedding (lk_refine_worker_get_refiner (worker));

  return g_bytes_new (lk_embedding_get_data (e), sizeof (double) * lk_embedding_get_n_items (e)
                                                 * lk_embedding_get_dim (e));
}

/* The number of rows of participant_excluded for @code, read through a connection of its own. */
static gint64
excluded_rows (const char *path,
               const char *code)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LkStore) store = lk_store_open (path, LK_STORE_OPEN_READ_ONLY, &error);
  gint64 n = -1;

  g_assert_no_error (error);
  g_assert_true (lk_store_query_int (store, "SELECT count(*) FROM participant_excluded",
                                     0, &n, &error));
  g_assert_no_error (error);
  if (n > 0)
    {
      g_autoptr(GPtrArray) list = lk_participants_list (store, NULL, &error);

      g_assert_no_error (error);
      for (guint i = 0; i < list->len; i++)
        {
          const LkParticipantInfo *info = g_ptr_array_index (list, i);

          if (info->excluded)
            g_assert_cmpstr (info->code, ==, code);
        }
    }

  return n;
}

/* Answered live by three participants under cen, the study file's replay computes exactly the
 * stored phases: the live answers carried the workers the replay gives them. */
static void
test_live_replay (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = study_test_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "live.likeness", NULL);
  g_autoptr(LkStore) store = NULL;
  g_autoptr(LkRefiner) refiner = NULL;
  gboolean reproduced = FALSE;
  gint64 phases = 0;

  make_answered_study (dir, path);
  store = lk_store_open (path, LK_STORE_OPEN_READ_ONLY, &error);
  g_assert_no_error (error);
  g_assert_true (lk_store_query_int (store, "SELECT count(*) FROM phase", 0, &phases, &error));
  g_assert_cmpint (phases, ==, 3);
  refiner = lk_answers_rebuild (store, &reproduced, &error);
  g_assert_no_error (error);
  g_assert_true (reproduced);
  g_assert_cmpuint (lk_cen_get_n_participants (lk_refiner_get_state (refiner)), ==, 3);
  g_clear_pointer (&store, lk_store_close);
  lk_test_rmdir (dir);
}

static gboolean
window_ready (gpointer data)
{
  LkExperimenterWindow *window = data;
  GListModel *rows = lk_participants_view_get_model (window->participants_view);

  return !lk_experimenter_window_is_replaying (window)
         && lk_experimenter_window_get_worker (window) != NULL
         && !lk_participants_view_is_loading (window->participants_view)
         && g_list_model_get_n_items (rows) > 0;
}

static const LkParticipantInfo *
row (LkExperimenterWindow *window,
     guint                 i)
{
  g_autoptr(LkParticipantItem) item =
    g_list_model_get_item (lk_participants_view_get_model (window->participants_view), i);

  return lk_participant_item_get_info (item);
}

/* The view lists the participants; selecting P-BOB and Leave Out writes the flag and recomputes
 * the model on the worker to the replay without them; Undo on the toast brings them back. */
static void
test_leave_out (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = study_test_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "view.likeness", NULL);
  g_autoptr(GBytes) all = NULL, without = NULL, shown = NULL, back = NULL;
  LkExperimenterWindow *window;
  GtkWidget *column_view;

  make_answered_study (dir, path);
  all = replayed_embedding (path);

  window = lk_experimenter_window_new_for_path (NULL, path, &error);
  g_assert_no_error (error);
  gtk_window_set_default_size (GTK_WINDOW (window), 1024, 600);
  gtk_window_present (GTK_WINDOW (window));
  lk_ui_test_wait_mapped (GTK_WIDGET (window));
  lk_ui_test_wait_for (window_ready, window);

  g_assert_cmpuint (g_list_model_get_n_items (lk_participants_view_get_model (
                                                window->participants_view)), ==, 3);
  for (guint p = 0; p < 3; p++)
    {
      g_assert_cmpstr (row (window, p)->code, ==, codes[p]);
      g_assert_cmpuint (row (window, p)->answers, ==, 4);
      g_assert_false (row (window, p)->excluded);
      g_assert_cmpint (row (window, p)->criterion_kind, ==, LK_CRITERION_ATTRIBUTE_WEIGHTS);
      g_assert_nonnull (row (window, p)->criterion);
      g_assert_true (row (window, p)->agreement >= 0 && row (window, p)->agreement <= 1);
    }
  shown = worker_embedding (window);
  g_assert_true (g_bytes_equal (shown, all));
  g_clear_pointer (&shown, g_bytes_unref);

  /* The keyboard: the table takes the focus, and Delete on the selected row leaves it out. */
  column_view = lk_participants_view_get_column_view (window->participants_view);
  g_assert_true (gtk_widget_get_focusable (column_view) || gtk_widget_get_can_focus (column_view));
  gtk_selection_model_select_item (gtk_column_view_get_model (GTK_COLUMN_VIEW (column_view)), 1,
                                   TRUE);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window->participants_view),
                                             "participants.leave-out", NULL));
  g_assert_true (lk_experimenter_window_is_replaying (window));
  g_assert_cmpint (excluded_rows (path, "P-BOB"), ==, 1);
  lk_ui_test_wait_for (window_ready, window);

  /* Recomputed without P-BOB: what the replay without them computes, bit for bit. */
  without = replayed_embedding (path);
  g_assert_false (g_bytes_equal (without, all));
  shown = worker_embedding (window);
  g_assert_true (g_bytes_equal (shown, without));
  g_clear_pointer (&shown, g_bytes_unref);
  g_assert_true (row (window, 1)->excluded);
  g_assert_cmpuint (row (window, 1)->answers, ==, 4);
  /* Their answers still count: the study stays spent. */
  g_assert_cmpuint (lk_grid_source_get_n_answered (window->run), ==, 12);
  g_assert_true (lk_grid_source_is_spent (window->run));
  g_assert_null (row (window, 1)->criterion);

  /* Undo (the toast's button) brings them back, and the model with them. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "experimenter.undo-participant",
                                             NULL));
  g_assert_cmpint (excluded_rows (path, "P-BOB"), ==, 0);
  lk_ui_test_wait_for (window_ready, window);
  back = worker_embedding (window);
  g_assert_true (g_bytes_equal (back, all));
  g_assert_false (row (window, 1)->excluded);

  /* Following a session's run live, the rows cannot be changed: the session keeps its model. */
  {
    LkStudy *study = lk_study_run_get_study (LK_STUDY_RUN (window->run));
    g_autoptr(LkStudyRun) session_run = lk_study_run_new (study, "test-station", &error);

    g_assert_no_error (error);
    lk_experimenter_window_set_run (window, LK_GRID_SOURCE (session_run), NULL);
    g_assert_false (lk_participants_view_set_excluded (window->participants_view, "P-BOB", TRUE,
                                                       &error));
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_BUSY);
    g_clear_error (&error);
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window->participants_view),
                                               "participants.leave-out", NULL));
    g_assert_cmpint (excluded_rows (path, "P-BOB"), ==, 0);
  }

  /* The window's export of the model is the store's, as `likeness-cli export --model`. */
  for (guint json = 0; json < 2; json++)
    {
      g_autofree char *mine = g_build_filename (dir, json ? "window.json" : "window.csv", NULL);
      g_autofree char *cli = g_build_filename (dir, json ? "cli.json" : "cli.csv", NULL);
      g_autofree char *a = NULL, *b = NULL;
      g_autoptr(LkStore) store = lk_store_open (path, LK_STORE_OPEN_READ_ONLY, &error);
      gboolean done = FALSE;

      g_assert_no_error (error);
      g_assert_true (lk_experimenter_window_export_model (window, mine, json));
      g_assert_true (lk_experimenter_window_is_exporting_model (window));
      while (!done)
        {
          g_main_context_iteration (NULL, TRUE);
          done = !lk_experimenter_window_is_exporting_model (window);
        }
      g_assert_true (json ? lk_export_model_json (store, cli, &error)
                          : lk_export_model_csv (store, cli, &error));
      g_assert_no_error (error);
      g_assert_true (g_file_get_contents (mine, &a, NULL, &error));
      g_assert_true (g_file_get_contents (cli, &b, NULL, &error));
      g_assert_cmpstr (a, ==, b);
      g_assert_nonnull (strstr (a, json ? "\"attribute-weights\"" : ",attribute_weight,,,P-BOB,"));
    }

  gtk_window_destroy (GTK_WINDOW (window));
  lk_ui_test_flush ();
  lk_test_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  if (!lk_ui_test_init (&argc, &argv))
    return 0;

  g_test_add_func ("/lk/ui/participants/live-replay", test_live_replay);
  g_test_add_func ("/lk/ui/participants/leave-out", test_leave_out);

  return g_test_run ();
}
