/* test-live-study.c — the experimenter's window following a session on a real study file: the
 * views show each phase the saver's worker folds in, and the study file holds the very embedding
 * they show; the study's thumbnails for the views, read on a worker thread; the phases of a
 * study opened again
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "lk-embedding-view.h"
#include "lk-embedding-view-private.h"
#include "lk-experimenter-window.h"
#include "lk-experimenter-window-private.h"
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
 * them with their counts and the time of every grid, not only the session's own (issue 13). */
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

  return g_test_run ();
}
