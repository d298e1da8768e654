/* test-live-study.c — the experimenter's window following a session on a real study file: the
 * views show each phase the saver's worker folds in, and the study file holds the very embedding
 * they show; the study's thumbnails for the views, read on a worker thread; the phases of a
 * study opened again
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "lk-charts.h"
#include "lk-cluster-heatmap-view.h"
#include "lk-cluster-heatmap-view-private.h"
#include "lk-embedding-view.h"
#include "lk-embedding-view-private.h"
#include "lk-experimenter-window.h"
#include "lk-experimenter-window-private.h"
#include "lk-knn-view.h"
#include "lk-knn-view-private.h"
#include "lk-locale.h"
#include "lk-session.h"
#include "lk-snapshot-private.h"
#include "lk-store-private.h"
#include "lk-study-run.h"
#include "lk-study.h"
#include "lk-study-test.h"
#include "lk-thumbs.h"
#include "lk-ui-test.h"
#include "lk-refine-worker-private.h"

/* Returns a copy of the embedding the file stores for @phase (n_items x dim doubles). */
static GBytes *
stored_embedding (LkStore *store,
                  guint    phase)
{
  g_autoptr(GError) error = NULL;
  sqlite3_stmt *stmt = lk_store_prepare (store, "SELECT embedding FROM phase WHERE phase = ?",
                                         &error);
  GBytes *bytes = NULL;

  g_assert_no_error (error);
  sqlite3_bind_int (stmt, 1, phase);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    bytes = g_bytes_new (sqlite3_column_blob (stmt, 0), sqlite3_column_bytes (stmt, 0));
  sqlite3_reset (stmt);

  return bytes;
}

/* Sorts the grid shown into the first two bins and submits it. */
static void
answer (LkSession *session)
{
  g_autoptr(GError) error = NULL;
  LkSortModel *model = lk_session_get_model (session);

  for (guint p = 0; p < lk_sort_model_get_n_items (model); p++)
    lk_sort_model_move (model, p, (gint) (p % 2));
  g_assert_true (lk_session_submit (session, &error));
  g_assert_no_error (error);
}

/* Makes a study of 24 images at @path, and a session on it (no practice, no breaks) whose
 * saver and study are returned too. */
static LkSession *
start_session (const char    *dir,
               const char    *path,
               const char    *code,
               LkStudy      **study,
               LkStudyRun **saver)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *images = g_build_filename (dir, "images", NULL);
  LkSessionSetup setup;
  LkSession *session;

  g_assert_cmpint (g_mkdir (images, 0700), ==, 0);
  study_test_create (path, images, 24);
  *study = lk_study_open (path, &error);
  g_assert_no_error (error);
  lk_study_get_setup (*study, &setup);
  setup.break_every = 0;
  setup.n_practice = 0;
  *saver = lk_study_run_new (*study, "test-station", &error);
  g_assert_no_error (error);
  session = lk_session_new (LK_IMAGE_SOURCE (*study), &setup, code, FALSE,
                            LK_GRID_SOURCE (*saver), &error);
  g_assert_no_error (error);

  return session;
}

static void
test_follow_study (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = study_test_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "live.likeness", NULL);
  g_autoptr(LkStudy) study = NULL;
  g_autoptr(LkStudyRun) saver = NULL;
  g_autoptr(LkSession) session = start_session (dir, path, "P-L1VE", &study, &saver);
  LkExperimenterWindow *window;
  LkEmbeddingView *view;
  LkRefineWorker *worker;

  worker = lk_session_get_refine_worker (session);
  g_assert_true (worker == lk_grid_source_get_worker (LK_GRID_SOURCE (saver)));

  window = lk_experimenter_window_new ();
  lk_experimenter_window_set_run (window, lk_session_get_run (session), NULL);
  gtk_window_present (GTK_WINDOW (window));
  lk_ui_test_wait_mapped (GTK_WIDGET (window));
  lk_ui_test_wait_worker (worker);
  view = LK_EMBEDDING_VIEW (lk_experimenter_window_get_view (window, "embedding"));

  /* Opened: the view shows the study as it stands, before any phase. */
  g_assert_nonnull (lk_embedding_view_get_snapshot (view));
  g_assert_cmpuint (lk_snapshot_get_phase (lk_embedding_view_get_snapshot (view)), ==, 0);

  lk_session_accept_consent (session);
  lk_session_begin (session);
  for (guint phase = 1; phase <= 2; phase++)
    {
      g_autoptr(LkStore) reader = NULL;
      g_autoptr(GBytes) stored = NULL;
      LkSnapshot *shown;
      const LkEmbedding *embedding;

      /* Answer grids until the worker has folded the phase in. */
      while (lk_refine_worker_get_phase (worker) < phase)
        {
          answer (session);
          lk_ui_test_wait_worker (worker);
        }

      shown = lk_embedding_view_get_snapshot (view);
      g_assert_true (shown == lk_refine_worker_get_snapshot (worker));
      g_assert_cmpuint (lk_snapshot_get_phase (shown), ==, phase);

      /* What the view shows is what the study file keeps for the phase. */
      reader = lk_store_open (path, LK_STORE_OPEN_READ_ONLY, &error);
      g_assert_no_error (error);
      stored = stored_embedding (reader, phase - 1);
      g_assert_nonnull (stored);
      embedding = lk_snapshot_get_embedding (shown);
      g_assert_cmpmem (g_bytes_get_data (stored, NULL), g_bytes_get_size (stored),
                       lk_embedding_get_data (embedding),
                       sizeof (double) * lk_embedding_get_n_items (embedding)
                       * lk_embedding_get_dim (embedding));
    }

  gtk_window_destroy (GTK_WINDOW (window));
  lk_ui_test_flush ();
  g_clear_object (&session);
  lk_ui_test_wait_worker (worker);
  g_clear_object (&saver);
  lk_ui_test_flush ();
  g_assert_finalize_object (g_steal_pointer (&study));
  lk_test_rmdir (dir);
}

/* Opened again, a study's worker holds a snapshot of every stored phase, so the views' phase
 * slider goes back through the whole study: each one's embedding is the file's. */
static void
test_history (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = study_test_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "history.likeness", NULL);
  g_autoptr(LkStudy) study = NULL;
  g_autoptr(LkStudyRun) saver = NULL;
  g_autoptr(LkSession) session = start_session (dir, path, "P-H1ST", &study, &saver);
  g_autoptr(LkStore) reader = NULL;
  LkRefineWorker *worker;
  GPtrArray *snapshots;

  worker = lk_session_get_refine_worker (session);
  lk_ui_test_wait_worker (worker);
  lk_session_accept_consent (session);
  lk_session_begin (session);
  while (lk_refine_worker_get_phase (worker) < 2)
    {
      answer (session);
      lk_ui_test_wait_worker (worker);
    }
  g_assert_true (lk_session_end (session, &error));
  g_clear_object (&session);
  g_clear_object (&saver);
  lk_ui_test_flush ();

  /* Opened again (the same study, a new saver): two phases, two snapshots. */
  saver = lk_study_run_new (study, "test-station", &error);
  g_assert_no_error (error);
  worker = lk_grid_source_get_worker (LK_GRID_SOURCE (saver));
  g_assert_false (lk_refine_worker_get_busy (worker));
  snapshots = lk_refine_worker_get_snapshots (worker);
  g_assert_cmpuint (snapshots->len, ==, 2);
  g_assert_true (lk_refine_worker_get_snapshot (worker) == g_ptr_array_index (snapshots, 1));
  reader = lk_store_open (path, LK_STORE_OPEN_READ_ONLY, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < snapshots->len; i++)
    {
      const LkSnapshot *snapshot = g_ptr_array_index (snapshots, i);
      const LkEmbedding *embedding = lk_snapshot_get_embedding (snapshot);
      g_autoptr(GBytes) stored = stored_embedding (reader, i);

      g_assert_cmpuint (lk_snapshot_get_phase (snapshot), ==, i + 1);
      g_assert_nonnull (stored);
      g_assert_cmpmem (g_bytes_get_data (stored, NULL), g_bytes_get_size (stored),
                       lk_embedding_get_data (embedding),
                       sizeof (double) * lk_embedding_get_n_items (embedding)
                       * lk_embedding_get_dim (embedding));
    }

  g_clear_object (&saver);
  lk_ui_test_flush ();
  g_assert_finalize_object (g_steal_pointer (&study));
  lk_test_rmdir (dir);
}

/* Answers @n grids of @run as participant @code, through a session of its own. */
static void
answer_as (LkStudy    *study,
           LkStudyRun *run,
           const char *code,
           guint       n)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LkSession) session = NULL;
  LkSessionSetup setup;

  lk_study_get_setup (study, &setup);
  setup.break_every = 0;
  setup.n_practice = 0;
  session = lk_session_new (LK_IMAGE_SOURCE (study), &setup, code, FALSE, LK_GRID_SOURCE (run),
                            &error);
  g_assert_no_error (error);
  lk_session_accept_consent (session);
  lk_session_begin (session);
  for (guint i = 0; i < n; i++)
    {
      answer (session);
      lk_ui_test_wait_worker (lk_grid_source_get_worker (LK_GRID_SOURCE (run)));
    }
  g_assert_true (lk_session_end (session, &error));
  g_assert_no_error (error);
}

/* A run made on a study file counts the file's answers, and lists every participant who gave
 * them with their counts and the time of every grid, not only the session's own. */
static void
test_progress_whole_study (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = study_test_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "progress.likeness", NULL);
  g_autofree char *images = g_build_filename (dir, "images", NULL);
  g_autoptr(LkStudy) study = NULL;
  g_autoptr(LkStudyRun) run = NULL;
  LkProgress *progress;
  const LkProgressCounts *counts;
  guint n, n_seconds;

  g_assert_cmpint (g_mkdir (images, 0700), ==, 0);
  study_test_create (path, images, 24);
  study = lk_study_open (path, &error);
  g_assert_no_error (error);
  run = lk_study_run_new (study, "test-station", &error);
  g_assert_no_error (error);
  answer_as (study, run, "P-ONE", 5);
  answer_as (study, run, "P-TWO", 2);
  lk_ui_test_wait_worker (lk_grid_source_get_worker (LK_GRID_SOURCE (run)));
  g_clear_object (&run);
  lk_ui_test_flush ();

  /* Opened again: the file's 7 answers, by two participants. */
  run = lk_study_run_new (study, "test-station", &error);
  g_assert_no_error (error);
  progress = lk_refine_worker_get_progress (lk_grid_source_get_worker (LK_GRID_SOURCE (run)));
  counts = lk_progress_get_counts (progress);
  g_assert_cmpuint (counts->n_answers, ==, 7);
  g_assert_cmpuint (lk_progress_get_n_participants (progress), ==, 2);
  g_assert_cmpstr (lk_progress_get_participant (progress, 0, &n), ==, "P-ONE");
  g_assert_cmpuint (n, ==, 5);
  g_assert_cmpstr (lk_progress_get_participant (progress, 1, &n), ==, "P-TWO");
  g_assert_cmpuint (n, ==, 2);
  lk_progress_get_grid_seconds (progress, &n_seconds);
  g_assert_cmpuint (n_seconds, ==, 7);

  /* A new session's answers follow on. */
  answer_as (study, run, "P-ONE", 1);
  progress = lk_refine_worker_get_progress (lk_grid_source_get_worker (LK_GRID_SOURCE (run)));
  g_assert_cmpuint (lk_progress_get_counts (progress)->n_answers, ==, 8);
  g_assert_cmpstr (lk_progress_get_participant (progress, 0, &n), ==, "P-ONE");
  g_assert_cmpuint (n, ==, 6);

  lk_ui_test_wait_worker (lk_grid_source_get_worker (LK_GRID_SOURCE (run)));
  g_clear_object (&run);
  lk_ui_test_flush ();
  g_assert_finalize_object (g_steal_pointer (&study));
  lk_test_rmdir (dir);
}

/* Returns the k-NN strip's title of @window: it names the image selected. */
static char *
knn_title (LkExperimenterWindow *window)
{
  return lk_knn_view_dup_title (LK_KNN_VIEW (lk_experimenter_window_get_view (window, "knn")),
                                400, 150);
}

/* Writes @n small PNGs of distinct colours, from colour number @first on, into @folder/@sub. */
static void
make_folder (const char *folder,
             const char *sub,
             guint       first,
             guint       n)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_build_filename (folder, sub, NULL);

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  for (guint i = first; i < first + n; i++)
    {
      g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 24, 16);
      g_autofree char *name = g_strdup_printf ("%s-%03u.png", sub, i);
      g_autofree char *path = g_build_filename (dir, name, NULL);

      gdk_pixbuf_fill (pixbuf, ((i * 2654435761u) & 0xffffff) << 8 | 0xff);
      g_assert_true (gdk_pixbuf_save (pixbuf, path, "png", &error, NULL));
      g_assert_no_error (error);
    }
}

static gboolean
window_ready (gpointer data)
{
  LkExperimenterWindow *window = data;
  GtkWidget *heatmap = lk_experimenter_window_get_view (window, "heatmap");

  return !lk_experimenter_window_is_replaying (window)
         && lk_experimenter_window_get_worker (window) != NULL
         && lk_cluster_heatmap_view_get_n_panels (LK_CLUSTER_HEATMAP_VIEW (heatmap)) > 0;
}

/* The experimenter's views on a finished study file, opened by path while the study is open
 * elsewhere: every stored phase, one phase numbering, the whole file's progress,
 * image names (k-NN title, hover, search), the folders as labels with their heatmap, and the
 * keyboard (Tab reaches every view, arrows move the selection). */
static void
test_experimenter_study (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = study_test_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "views.likeness", NULL);
  g_autofree char *images = g_build_filename (dir, "images", NULL);
  g_autoptr(LkStudy) study = NULL;
  g_autoptr(LkStudyRun) run = NULL;
  g_autoptr(LkStore) store = NULL;
  g_autoptr(LkImportReport) report = NULL;
  g_autoptr(GHashTable) focused = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *title = NULL;
  g_autofree char *found = NULL;
  g_autofree char *found_next = NULL;
  g_autofree char *summary = NULL;
  const char *views[] = { "embedding", "cooccurrence", "knn", "convergence", "heatmap",
                          "progress" };
  LkParams params = study_test_params ();
  LkExperimenterWindow *window;
  LkEmbeddingView *embedding;
  LkRefineWorker *worker;
  LkProgress *progress;
  GtkAdjustment *slider;
  GtkWidget *search;
  double x, y, x1;
  int item, next;
  guint n;

  /* 12 answers in 3 phases of 4, by two participants: the study is finished. */
  make_folder (images, "cats", 0, 12);
  make_folder (images, "dogs", 12, 12);
  store = lk_store_create (path, &params, lk_method_paper, &error);
  g_assert_no_error (error);
  report = lk_collection_import (store, images, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_clear_pointer (&store, lk_store_close);
  study = lk_study_open (path, &error);
  g_assert_no_error (error);
  run = lk_study_run_new (study, "test-station", &error);
  g_assert_no_error (error);
  answer_as (study, run, "P-ONE", 8);
  answer_as (study, run, "P-TWO", 4);
  lk_ui_test_wait_worker (lk_grid_source_get_worker (LK_GRID_SOURCE (run)));
  g_assert_true (lk_grid_source_is_spent (LK_GRID_SOURCE (run)));
  g_clear_object (&run);
  lk_ui_test_flush ();

  /* Opened by path while @study holds the file: read-only, replayed on a thread. */
  window = lk_experimenter_window_new_for_path (NULL, path, &error);
  g_assert_no_error (error);
  g_assert_true (lk_experimenter_window_is_replaying (window));
  gtk_window_present (GTK_WINDOW (window));
  lk_ui_test_wait_mapped (GTK_WIDGET (window));
  lk_ui_test_wait_for (window_ready, window);
  worker = lk_experimenter_window_get_worker (window);
  embedding = LK_EMBEDDING_VIEW (lk_experimenter_window_get_view (window, "embedding"));

  /* Every stored phase, numbered as phases folded in, the same in the slider, the views and
   * the progress line. */
  g_assert_cmpuint (lk_refine_worker_get_snapshots (worker)->len, ==, 3);
  slider = lk_experimenter_window_get_phase_adjustment (window);
  g_assert_cmpfloat (gtk_adjustment_get_lower (slider), ==, 1);
  g_assert_cmpfloat (gtk_adjustment_get_upper (slider), ==, 3);
  g_assert_cmpfloat (gtk_adjustment_get_value (slider), ==, 3);
  g_assert_cmpuint (lk_snapshot_get_phase (lk_embedding_view_get_snapshot (embedding)), ==, 3);
  gtk_adjustment_set_value (slider, 2);
  g_assert_cmpuint (lk_snapshot_get_phase (lk_embedding_view_get_snapshot (embedding)), ==, 2);
  gtk_adjustment_set_value (slider, 3);

  /* The whole file's progress. */
  progress = lk_refine_worker_get_progress (worker);
  g_assert_cmpuint (lk_progress_get_counts (progress)->n_answers, ==, 12);
  g_assert_cmpuint (lk_progress_get_n_participants (progress), ==, 2);
  g_assert_cmpstr (lk_progress_get_participant (progress, 0, &n), ==, "P-ONE");
  g_assert_cmpuint (n, ==, 8);
  summary = lk_progress_dup_summary (progress);
  g_assert_nonnull (strstr (summary, "12 of 12 grids answered"));
  g_assert_nonnull (strstr (summary, "3 of 3 phases folded in"));

  /* Names: the k-NN strip's title and the embedding's hover. */
  lk_experimenter_window_select (window, 13);
  title = knn_title (window);
  g_assert_nonnull (strstr (title, ".png "));
  g_assert_true (g_str_has_prefix (title, "cats-") || g_str_has_prefix (title, "dogs-"));
  lk_ui_test_flush ();
  g_assert_true (lk_embedding_view_item_position (embedding, 5,
                                                  gtk_widget_get_width (GTK_WIDGET (embedding)),
                                                  gtk_widget_get_height (GTK_WIDGET (embedding)),
                                                  &x, &y));
  item = lk_embedding_view_hover_at (embedding, x, y);
  g_assert_cmpint (item, >=, 0);
  g_assert_true (g_str_has_prefix (gtk_widget_get_tooltip_text (GTK_WIDGET (embedding)),
                                   "cats/cats-")
                 || g_str_has_prefix (gtk_widget_get_tooltip_text (GTK_WIDGET (embedding)),
                                      "dogs/dogs-"));

  /* The search field finds an image by name and selects it; Enter finds the next. */
  search = lk_experimenter_window_get_search_entry (window);
  g_signal_emit_by_name (search, "search-changed");
  gtk_editable_set_text (GTK_EDITABLE (search), "CATS-007");
  g_signal_emit_by_name (search, "search-changed");
  g_clear_pointer (&title, g_free);
  title = knn_title (window);
  g_assert_true (g_str_has_prefix (title, "cats-007.png "));
  gtk_editable_set_text (GTK_EDITABLE (search), "dogs-");
  g_signal_emit_by_name (search, "search-changed");
  item = lk_embedding_view_get_selected (embedding);
  found = knn_title (window);
  g_assert_true (g_str_has_prefix (found, "dogs-"));
  g_signal_emit_by_name (search, "activate");
  next = lk_embedding_view_get_selected (embedding);
  found_next = knn_title (window);
  g_assert_true (g_str_has_prefix (found_next, "dogs-"));
  g_assert_cmpint (next, !=, item);

  /* Folders as labels: the heatmap shows, its tables against the two folders. */
  g_assert_true (gtk_widget_get_visible (lk_experimenter_window_get_view (window, "heatmap")));

  /* Tab reaches every view. */
  gtk_window_set_focus (GTK_WINDOW (window), NULL);
  for (guint i = 0; i < 40; i++)
    {
      GtkWidget *focus;

      if (!gtk_widget_child_focus (GTK_WIDGET (window), GTK_DIR_TAB_FORWARD))
        gtk_window_set_focus (GTK_WINDOW (window), NULL);
      focus = gtk_window_get_focus (GTK_WINDOW (window));
      for (guint v = 0; v < G_N_ELEMENTS (views); v++)
        if (focus == lk_experimenter_window_get_view (window, views[v]))
          g_hash_table_add (focused, (gpointer) views[v]);
    }
  g_assert_cmpuint (g_hash_table_size (focused), ==, G_N_ELEMENTS (views));

  /* The arrows move the selection in the embedding: right goes to an image further right. */
  gtk_widget_grab_focus (GTK_WIDGET (embedding));
  lk_experimenter_window_select (window, -1);
  g_assert_true (lk_embedding_view_move_selection (embedding, 0, 0));
  item = lk_embedding_view_get_selected (embedding);
  g_assert_cmpint (item, >=, 0);
  while (lk_embedding_view_move_selection (embedding, 1, 0))
    {
      next = lk_embedding_view_get_selected (embedding);
      lk_embedding_view_item_position (embedding, item, 400, 300, &x, &y);
      lk_embedding_view_item_position (embedding, next, 400, 300, &x1, &y);
      g_assert_cmpfloat (x1, >, x);
      item = next;
    }
  g_assert_cmpint (lk_embedding_view_get_selected (embedding), ==, item);

  gtk_window_destroy (GTK_WINDOW (window));
  lk_ui_test_flush ();
  g_assert_finalize_object (g_steal_pointer (&study));
  lk_test_rmdir (dir);
}

static void
loaded_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

/* The study's stored thumbnails, decoded on a worker thread while the study is open for
 * writing: each paints its image's colour. */
static void
test_study_thumbs (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = study_test_tmpdir ();
  g_autofree char *images = g_build_filename (dir, "images", NULL);
  g_autofree char *path = g_build_filename (dir, "thumbs.likeness", NULL);
  g_autoptr(LkStudy) study = NULL;
  g_autoptr(LkThumbs) thumbs = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  gint64 end;

  g_assert_cmpint (g_mkdir (images, 0700), ==, 0);
  study_test_create (path, images, 24);
  study = lk_study_open (path, &error);
  g_assert_no_error (error);

  lk_thumbs_load_study_async (path, 16, NULL, loaded_cb, &result);
  end = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  while (result == NULL)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, end);
      g_main_context_iteration (NULL, TRUE);
    }
  thumbs = lk_thumbs_load_study_finish (result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (lk_thumbs_get_n_items (thumbs), ==, 24);

  for (guint i = 0; i < 24; i++)
    {
      cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 32, 32);
      cairo_t *cr = cairo_create (surface);
      guint32 rgb = (i * 2654435761u) & 0xffffff, pixel;

      lk_thumbs_paint (thumbs, cr, i, 16, 16, 24);
      cairo_destroy (cr);
      cairo_surface_flush (surface);
      pixel = ((guint32 *) (gpointer) cairo_image_surface_get_data (surface))
              [16 * cairo_image_surface_get_stride (surface) / 4 + 16];
      for (guint c = 0; c < 3; c++)
        g_assert_cmpint (ABS ((gint) (pixel >> (8 * c) & 0xff) - (gint) (rgb >> (8 * c) & 0xff)),
                         <=, 2);
      cairo_surface_destroy (surface);
    }

  g_clear_object (&study);
  lk_test_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  lk_locale_init ("C.UTF-8");
  if (!lk_ui_test_init (&argc, &argv))
    return 0;

  g_test_add_func ("/lk/ui/live-study/follow", test_follow_study);
  g_test_add_func ("/lk/ui/live-study/thumbs", test_study_thumbs);
  g_test_add_func ("/lk/ui/live-study/history", test_history);
  g_test_add_func ("/lk/ui/live-study/progress-whole-study", test_progress_whole_study);
  g_test_add_func ("/lk/ui/live-study/experimenter-study", test_experimenter_study);

  return g_test_run ();
}
