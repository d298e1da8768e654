/* test-browser.c — the collection browser: its model at 20,000 images, and its strips against
 * the store's k-NN (what likeness-cli exports) for the same study
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gstdio.h>
#include <string.h>
#include <json-glib/json-glib.h>

#include "tests/lk-test-utils.h"
#include "lk-browser-model.h"
#include "lk-browser-window-private.h"
#include "lk-knn-strip-private.h"
#include "lk-thumbnail-loader-private.h"
#include "lk-collection.h"
#include "lk-curator-window-private.h"
#include "lk-knn.h"
#include "lk-store-private.h"
#include "lk-ui-test.h"

static LkParams
small_params (void)
{
  LkParams params;

  lk_params_init (&params);
  params.nq = 8;
  params.nc = 3;
  params.knn_k = 10;
  params.budget = 12;
  params.phases = 3;
  params.iterations = 20;
  params.seed = 7;

  return params;
}

/* 20,000 images in three folders (records only): the model holds them all and filters them. */
static void
test_model (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("lk-browser-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "big.likeness", NULL);
  g_autoptr(GListStore) model = NULL;
  g_autoptr(GPtrArray) index = NULL;
  g_auto(GStrv) folders = NULL;
  LkParams params = small_params ();
  LkStore *store;
  guint n, in_b = 0, named = 0;

  store = lk_store_create (path, &params, lk_method_lookup ("paper"), &error);
  g_assert_no_error (error);
  g_assert_true (lk_store_exec (store,
    "BEGIN;"
    "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 19999)"
    " INSERT INTO image (item, path, sha256, bytes, mtime_us, width, height, format, imported)"
    " SELECT i, (CASE i % 3 WHEN 0 THEN 'a/' WHEN 1 THEN 'b/' ELSE 'b/c/' END) ||"
    "  printf('IMG_%05d.jpg', i), 'h' || i, 1, 0, 1, 1, 'jpeg', 'x' FROM n;"
    "COMMIT;", &error));
  g_assert_no_error (error);
  /* One image is missing: no item, and no entry in the index. */
  g_assert_true (lk_store_exec (store, "UPDATE image SET missing = 1 WHERE item = 5", &error));
  model = lk_browser_model_load (store, &folders, &error);
  g_assert_no_error (error);
  n = g_list_model_get_n_items (G_LIST_MODEL (model));
  g_assert_cmpuint (n, ==, 19999);
  index = lk_browser_model_index (G_LIST_MODEL (model));
  g_assert_cmpuint (index->len, ==, 20000);
  g_assert_null (g_ptr_array_index (index, 5));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(LkBrowserItem) it = g_list_model_get_item (G_LIST_MODEL (model), i);

      g_assert_true (g_ptr_array_index (index, lk_browser_item_get_item (it)) == it);
      g_assert_cmpuint (lk_browser_item_get_position (it), ==, i);
    }
  g_assert_cmpuint (g_strv_length (folders), ==, 3);
  g_assert_cmpstr (folders[0], ==, "a");
  g_assert_cmpstr (folders[2], ==, "b/c");
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(LkBrowserItem) it = g_list_model_get_item (G_LIST_MODEL (model), i);

      in_b += lk_browser_item_matches (it, "b", NULL);
      named += lk_browser_item_matches (it, NULL, "img_0001");
      if (i == 0)
        {
          g_assert_cmpstr (lk_browser_item_get_path (it), ==, "a/IMG_00000.jpg");
          g_assert_cmpstr (lk_browser_item_get_name (it), ==, "IMG_00000.jpg");
          g_assert_cmpuint (lk_browser_item_get_answers (it), ==, 0);
        }
    }
  /* "b" takes b/ and b/c/ but not a folder merely starting with b (less the missing b/c/5). */
  g_assert_cmpuint (in_b, ==, 20000 - 6667 - 1);
  g_assert_cmpuint (named, ==, 10);
  lk_store_close (store);
  lk_test_rmdir (dir);
}

static void
write_image (const char *path,
             guint       seed)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 120, 90);
  guint8 *pixels = gdk_pixbuf_get_pixels (pixbuf);
  int stride = gdk_pixbuf_get_rowstride (pixbuf);

  for (int y = 0; y < 90; y++)
    for (int x = 0; x < 120; x++)
      {
        guint8 *p = pixels + y * stride + x * 3;

        p[0] = (guint8) ((seed * 41 + x) % 256);
        p[1] = ((x / (3 + seed % 4)) % 2) ? (guint8) (seed * 67 % 256) : 30;
        p[2] = (guint8) ((seed * 29 + y * 2) % 256);
      }
  g_assert_true (gdk_pixbuf_save (pixbuf, path, "png", &error, NULL));
}

static gboolean
settled (gpointer window)
{
  return lk_browser_window_is_settled (window);
}

static void
wait_settled (LkBrowserWindow *window)
{
  lk_ui_test_wait_for (settled, window);
}

static void
collect_pictures (GtkWidget *widget,
                  GPtrArray *pictures)
{
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      if (GTK_IS_PICTURE (c) && gtk_widget_is_visible (c))
        g_ptr_array_add (pictures, c);
      collect_pictures (c, pictures);
    }
}

/* A settled window shows every neighbour's thumbnail, made at the strip's cell size (the test
 * images are 320x240, so 96x72), not the grid's larger textures scaled on each frame. */
static void
check_strip_pictures (GtkWidget *strip)
{
  g_autoptr(GPtrArray) pictures = g_ptr_array_new ();

  collect_pictures (strip, pictures);
  g_assert_cmpuint (pictures->len, ==, lk_knn_strip_get_n_neighbours (LK_KNN_STRIP (strip)));
  g_assert_true (lk_knn_strip_is_loaded (LK_KNN_STRIP (strip)));
  for (guint i = 0; i < pictures->len; i++)
    {
      GdkPaintable *paintable = gtk_picture_get_paintable (pictures->pdata[i]);

      g_assert_true (GDK_IS_TEXTURE (paintable));
      g_assert_cmpint (gdk_texture_get_width (GDK_TEXTURE (paintable)), ==, LK_KNN_STRIP_CELL_SIZE);
      g_assert_cmpint (gdk_texture_get_height (GDK_TEXTURE (paintable)), ==,
                       LK_KNN_STRIP_CELL_SIZE * 3 / 4);
    }
}

/* Each strip lists exactly the neighbours lk_knn_compute() gives on the study's vectors (the
 * store test shows the CLI's export is the same lists). */
static void
check_strips (LkBrowserWindow *window,
              LkStore         *store,
              guint            seed)
{
  for (guint s = 0; s < LK_SPACE_N_KINDS; s++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(LkSpace) space = lk_space_load (store, s, &error);
      LkKnnStrip *strip = lk_browser_window_get_strip (window, s);
      guint n = lk_space_get_n_items (space), dim = lk_space_get_dim (space);
      g_autofree double *points = g_new0 (double, (gsize) n * dim);
      g_autofree double *dist = g_new (double, n * 10);
      g_autofree guint *knn = NULL;

      g_assert_no_error (error);
      if (s == LK_SPACE_LEARNED)
        {
          sqlite3_stmt *stmt = lk_store_prepare (store, "SELECT embedding FROM phase "
                                                 "ORDER BY phase DESC LIMIT 1", &error);

          g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
          memcpy (points, sqlite3_column_blob (stmt, 0), (gsize) n * dim * sizeof (double));
          sqlite3_reset (stmt);
        }
      else
        {
          guint n2, dim2;
          g_autofree float *values = lk_image_features_load (store, s == LK_SPACE_COLOR
                                                                    ? LK_FEATURE_COLOR : LK_FEATURE_HOG,
                                                             &n2, &dim2, NULL, &error);

          for (gsize i = 0; i < (gsize) n * dim; i++)
            points[i] = values[i];
        }
      knn = lk_knn_compute (points, n, dim, 10, dist);
      g_assert_cmpuint (lk_knn_strip_get_n_neighbours (strip), ==, 10);
      for (guint r = 0; r < 10; r++)
        {
          double d;

          g_assert_cmpuint (lk_knn_strip_get_neighbour (strip, r, &d), ==, knn[seed * 10 + r]);
          g_assert_cmpfloat (d, ==, dist[seed * 10 + r]);
        }
      check_strip_pictures (GTK_WIDGET (strip));
    }
}

/* Spins until @widget's window has painted two more frames (so it is laid out anew). */
static void
wait_frames (GtkWidget *widget)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (widget);
  gint64 start = gdk_frame_clock_get_frame_counter (clock);
  gint64 end = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  guint id = g_timeout_add (20, lk_ui_test_timeout_cb, NULL);

  gtk_widget_queue_draw (widget);
  while (gdk_frame_clock_get_frame_counter (clock) < start + 2)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, end);
      g_main_context_iteration (NULL, TRUE);
    }
  g_source_remove (id);
}

static GtkWidget *
first_picture (GtkWidget *widget)
{
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = GTK_IS_PICTURE (c) ? c : first_picture (c);

      if (found != NULL)
        return found;
    }

  return NULL;
}

/* The learned strip saved as PNG has the strip's size at twice the scale, and the pixel at
 * the centre of its first cell is the centre of the nearest neighbour's thumbnail; SVG and PDF
 * are written, and an unknown ending is refused. */
static void
check_export (LkBrowserWindow *window,
              const char      *dir)
{
  g_autoptr(GError) error = NULL;
  LkKnnStrip *strip = lk_browser_window_get_strip (window, LK_SPACE_LEARNED);
  GtkWidget *picture = first_picture (GTK_WIDGET (strip));
  GdkTexture *texture = GDK_TEXTURE (gtk_picture_get_paintable (GTK_PICTURE (picture)));
  g_autofree char *png = g_build_filename (dir, "strip.png", NULL);
  g_autofree char *svg = g_build_filename (dir, "strip.svg", NULL);
  g_autofree char *pdf = g_build_filename (dir, "strip.pdf", NULL);
  g_autofree char *bad = g_build_filename (dir, "strip.bmp", NULL);
  g_autoptr(GdkPixbuf) image = NULL;
  g_autofree guint32 *texels = NULL;
  graphene_rect_t bounds;
  int w, h, tw, th, px, py;
  const guint8 *p;
  guint32 t;

  wait_frames (GTK_WIDGET (window));
  g_assert_nonnull (texture);
  g_assert_true (lk_knn_strip_export (strip, png, &error));
  g_assert_no_error (error);
  lk_knn_strip_get_export_size (strip, &w, &h);
  /* Ten cells of 96 px at least, and not the whole window's width. */
  g_assert_cmpint (w, >=, 10 * 96 + 2 * LK_KNN_STRIP_EXPORT_MARGIN);
  g_assert_cmpint (w, <, gtk_widget_get_width (GTK_WIDGET (window)));
  g_assert_cmpint (h, >=, 96 + 2 * LK_KNN_STRIP_EXPORT_MARGIN);
  image = gdk_pixbuf_new_from_file (png, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gdk_pixbuf_get_width (image), ==, 2 * w);
  g_assert_cmpint (gdk_pixbuf_get_height (image), ==, 2 * h);

  g_assert_true (gtk_widget_compute_bounds (picture, GTK_WIDGET (strip), &bounds));
  px = (int) (2 * (LK_KNN_STRIP_EXPORT_MARGIN + bounds.origin.x + bounds.size.width / 2));
  py = (int) (2 * (LK_KNN_STRIP_EXPORT_MARGIN + bounds.origin.y + bounds.size.height / 2));
  p = gdk_pixbuf_read_pixels (image) + py * gdk_pixbuf_get_rowstride (image) +
      px * gdk_pixbuf_get_n_channels (image);
  tw = gdk_texture_get_width (texture);
  th = gdk_texture_get_height (texture);
  texels = g_new (guint32, tw * th);
  gdk_texture_download (texture, (guint8 *) texels, tw * 4);
  t = texels[(th / 2) * tw + tw / 2];
  /* Red and blue are smooth ramps in these images (green has stripes). */
  g_assert_cmpint (ABS ((int) p[0] - (int) ((t >> 16) & 0xff)), <=, 12);
  g_assert_cmpint (ABS ((int) p[2] - (int) (t & 0xff)), <=, 12);

  g_assert_true (lk_knn_strip_export (strip, svg, &error));
  g_assert_true (lk_knn_strip_export (strip, pdf, &error));
  g_assert_no_error (error);
  {
    g_autofree char *text = NULL;
    g_autofree char *head = NULL;

    g_assert_true (g_file_get_contents (svg, &text, NULL, NULL));
    g_assert_nonnull (strstr (text, "<svg"));
    g_assert_nonnull (strstr (text, "<image"));
    g_assert_true (g_file_get_contents (pdf, &head, NULL, NULL));
    g_assert_true (g_str_has_prefix (head, "%PDF"));
  }
  g_assert_false (lk_knn_strip_export (strip, bad, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_false (g_file_test (bad, G_FILE_TEST_EXISTS));
}

/* Makes a study of 30 generated images in @dir (imported: thumbnails, no descriptors, no
 * answers); with @fake_phase, a hand-made learned embedding as phase 0. */
static char *
make_study (const char *dir,
            gboolean    fake_phase)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *images = g_build_filename (dir, "images", NULL);
  char *path = g_build_filename (dir, "study.likeness", NULL);
  g_autoptr(LkImportReport) report = NULL;
  LkParams params = small_params ();
  double embedding[30 * 2];
  LkStore *store;

  g_mkdir (images, 0700);
  for (guint i = 0; i < 30; i++)
    {
      g_autofree char *name = g_strdup_printf ("%s/p%02u.png", images, i);

      write_image (name, i);
      embedding[2 * i] = (i * 7) % 11;
      embedding[2 * i + 1] = (i * 3) % 5;
    }
  store = lk_store_create (path, &params, lk_method_lookup ("paper"), &error);
  report = lk_collection_import (store, images, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  if (fake_phase)
    {
      sqlite3_stmt *stmt;

      g_assert_true (lk_store_write_begin (store, &error));
      stmt = lk_store_prepare (store, "INSERT INTO phase (phase, ended, answers, n_items, dim, "
                               "embedding) VALUES (0, 'x', 0, 30, 2, ?)", &error);
      sqlite3_bind_blob (stmt, 1, embedding, sizeof embedding, SQLITE_STATIC);
      g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
      sqlite3_reset (stmt);
      g_assert_true (lk_store_write_commit (store, "test", &error));
    }
  lk_store_close (store);

  return path;
}

/* Opens the browser on @path and waits until it has its descriptors and neighbours. */
static LkBrowserWindow *
open_browser (const char *path)
{
  g_autoptr(GError) error = NULL;
  LkBrowserWindow *window = lk_browser_window_new (NULL, path, &error);

  g_assert_no_error (error);
  gtk_window_present (GTK_WINDOW (window));
  lk_ui_test_wait_mapped (GTK_WIDGET (window));
  wait_settled (window);

  return window;
}

/* Returns the item id of the grid's selected image. */
static guint
selected_id (LkBrowserWindow *window)
{
  GtkSelectionModel *model = gtk_grid_view_get_model (lk_browser_window_get_grid (window));
  LkBrowserItem *it = gtk_single_selection_get_selected_item (GTK_SINGLE_SELECTION (model));

  g_assert_nonnull (it);

  return lk_browser_item_get_item (it);
}

static void
test_strips (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("lk-browser-XXXXXX", NULL);
  g_autofree char *path = make_study (dir, TRUE);
  LkBrowserWindow *window;
  LkStore *store;

  /* The window computes the descriptors itself (none are cached yet). */
  window = open_browser (path);
  store = lk_store_open (path, LK_STORE_OPEN_READ_ONLY, &error);
  g_assert_no_error (error);
  check_strips (window, store, 0);
  check_export (window, dir);
  g_assert_true (lk_browser_window_select_item (window, 17));
  g_assert_cmpuint (selected_id (window), ==, 17);
  wait_settled (window);
  check_strips (window, store, 17);

  /* A filter that shows the image elsewhere in the grid: it stays, and the image is selected
   * where the filter puts it. */
  lk_browser_window_set_filter (window, NULL, "p12");
  g_assert_true (lk_browser_window_select_item (window, 12));
  g_assert_cmpuint (selected_id (window), ==, 12);
  g_assert_cmpuint (gtk_single_selection_get_selected (GTK_SINGLE_SELECTION (
    gtk_grid_view_get_model (lk_browser_window_get_grid (window)))), ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (
    gtk_grid_view_get_model (lk_browser_window_get_grid (window)))), ==, 1);
  wait_settled (window);

  /* A filter that hides everything, then selecting by id clears it. */
  lk_browser_window_set_filter (window, NULL, "nothing-matches");
  g_assert_true (lk_browser_window_select_item (window, 3));
  wait_settled (window);
  check_strips (window, store, 3);
  g_assert_false (lk_browser_window_select_item (window, 999));

  lk_store_close (store);
  gtk_window_destroy (GTK_WINDOW (window));
  lk_ui_test_flush ();
  lk_test_rmdir (dir);
}

static gboolean
loaded (gpointer window)
{
  return lk_browser_window_is_loaded (window);
}

static const char *
grid_page (LkBrowserWindow *window)
{
  return gtk_stack_get_visible_child_name (window->grid_stack);
}

/* The window is made without reading the list of images: it shows that it is loading, the
 * worker's list arrives through the main loop (so not before the constructor returns), and
 * then the grid holds every image, the first one selected with its neighbours. A name typed
 * while the list loads filters it when it is in. */
static void
test_loading (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("lk-browser-XXXXXX", NULL);
  g_autofree char *path = make_study (dir, TRUE);
  LkBrowserWindow *window = lk_browser_window_new (NULL, path, &error);
  GListModel *model;

  g_assert_no_error (error);
  g_assert_false (lk_browser_window_is_loaded (window));
  g_assert_cmpstr (grid_page (window), ==, "loading");
  g_assert_true (gtk_spinner_get_spinning (window->loading_spinner));
  g_assert_null (gtk_grid_view_get_model (lk_browser_window_get_grid (window)));
  g_assert_false (gtk_widget_get_sensitive (window->folder_menu));
  /* No session on a list not yet read. */
  gtk_widget_activate_action (GTK_WIDGET (window), "browser.sort-grids", NULL);
  g_assert_null (lk_browser_window_get_curator (window));
  g_assert_false (lk_browser_window_select_item (window, 3));
  gtk_editable_set_text (GTK_EDITABLE (window->search), "p1");
  gtk_window_present (GTK_WINDOW (window));
  lk_ui_test_wait_mapped (GTK_WIDGET (window));

  lk_ui_test_wait_for (loaded, window);
  g_assert_cmpstr (grid_page (window), ==, "grid");
  g_assert_false (gtk_spinner_get_spinning (window->loading_spinner));
  g_assert_null (lk_browser_window_get_load_error (window));
  g_assert_true (gtk_widget_get_sensitive (window->folder_menu));
  /* p10 to p19 of p00 to p29. */
  model = G_LIST_MODEL (gtk_grid_view_get_model (lk_browser_window_get_grid (window)));
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 10);
  gtk_editable_set_text (GTK_EDITABLE (window->search), "");
  lk_browser_window_set_filter (window, NULL, NULL);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 30);
  wait_settled (window);
  g_assert_true (window->has_seed);
  g_assert_true (lk_browser_window_select_item (window, 3));
  g_assert_cmpuint (selected_id (window), ==, 3);
  wait_settled (window);

  gtk_window_destroy (GTK_WINDOW (window));
  lk_ui_test_flush ();
  lk_test_rmdir (dir);
}

static gboolean
load_failed (gpointer window)
{
  return lk_browser_window_get_load_error (window) != NULL;
}

/* The study file moved away after the window opened it and before its list was read: the
 * window says so in place of the grid, in the words the study's open errors use, and starts
 * nothing that needs the list (no descriptors, no neighbours, no sorting). */
static void
test_load_error (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("lk-browser-XXXXXX", NULL);
  g_autofree char *path = make_study (dir, TRUE);
  g_autofree char *moved = g_build_filename (dir, "moved.likeness", NULL);
  LkBrowserWindow *window = lk_browser_window_new_unloaded (path, &error);
  const char *shown;

  g_assert_no_error (error);
  gtk_window_present (GTK_WINDOW (window));
  lk_ui_test_wait_mapped (GTK_WIDGET (window));
  g_assert_cmpstr (grid_page (window), ==, "loading");
  g_assert_cmpint (g_rename (path, moved), ==, 0);
  lk_browser_window_load (window);
  lk_ui_test_wait_for (load_failed, window);

  shown = lk_browser_window_get_load_error (window);
  g_test_message ("shown: %s", shown);
  g_assert_cmpstr (grid_page (window), ==, "error");
  g_assert_nonnull (strstr (shown, "There is no study file at that place"));
  g_assert_nonnull (strstr (shown, path));
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (window->load_error)));
  g_assert_false (lk_browser_window_is_loaded (window));
  g_assert_false (gtk_spinner_get_spinning (window->loading_spinner));
  g_assert_false (lk_progress_bar_is_running (window->features_progress));
  g_assert_false (lk_neighbour_spaces_is_loaded (window->spaces));
  g_assert_false (window->store_lent);
  gtk_widget_activate_action (GTK_WIDGET (window), "browser.sort-grids", NULL);
  g_assert_null (lk_browser_window_get_curator (window));
  g_assert_null (lk_ui_test_take_dialog_heading ());

  gtk_window_destroy (GTK_WINDOW (window));
  lk_ui_test_flush ();
  g_assert_cmpint (g_rename (moved, path), ==, 0);
  lk_test_rmdir (dir);
}

static gboolean
not_exporting (gpointer window)
{
  return !lk_browser_window_is_exporting (window);
}

/* Every image's neighbours, exported from the window on its worker, are the bytes the store
 * writes for the same study (whose lists the strips test checks against lk_knn_compute()); a
 * file that cannot be written is reported in a dialog, and nothing is left behind. */
static void
test_export_neighbours (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("lk-browser-XXXXXX", NULL);
  g_autofree char *path = make_study (dir, TRUE);
  g_autofree char *csv = g_build_filename (dir, "all.csv", NULL);
  g_autofree char *json = g_build_filename (dir, "all.json", NULL);
  g_autofree char *expected = g_build_filename (dir, "expected.csv", NULL);
  g_autofree char *bad = g_build_filename (dir, "no-such-folder", "all.csv", NULL);
  g_autofree char *got_text = NULL, *expected_text = NULL, *heading = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  LkBrowserWindow *window = open_browser (path);
  LkStore *store;

  lk_browser_window_export_neighbours (window, csv, LK_NEIGHBOURS_CSV);
  g_assert_true (lk_browser_window_is_exporting (window));
  /* A second export while one runs is not started. */
  lk_browser_window_export_neighbours (window, json, LK_NEIGHBOURS_JSON);
  lk_ui_test_wait_for (not_exporting, window);
  g_assert_false (g_file_test (json, G_FILE_TEST_EXISTS));
  g_assert_null (lk_ui_test_take_dialog_heading ());

  store = lk_store_open (path, LK_STORE_OPEN_READ_ONLY, &error);
  g_assert_no_error (error);
  g_assert_true (lk_neighbours_export_csv (store, 10, expected, &error));
  lk_store_close (store);
  g_assert_true (g_file_get_contents (csv, &got_text, NULL, NULL));
  g_assert_true (g_file_get_contents (expected, &expected_text, NULL, NULL));
  g_assert_true (g_str_has_prefix (got_text, "space,item,path,rank,neighbour,neighbour_path,distance\nlearned,"));
  g_assert_cmpstr (got_text, ==, expected_text);

  lk_browser_window_export_neighbours (window, json, LK_NEIGHBOURS_JSON);
  lk_ui_test_wait_for (not_exporting, window);
  g_assert_true (json_parser_load_from_file (parser, json, &error));
  g_assert_no_error (error);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (json_parser_get_root (parser)),
                                               "k"), ==, 10);

  lk_browser_window_export_neighbours (window, bad, LK_NEIGHBOURS_CSV);
  lk_ui_test_wait_for (not_exporting, window);
  heading = lk_ui_test_take_dialog_heading ();
  g_assert_cmpstr (heading, ==, "Could Not Export the Neighbours");
  g_assert_false (g_file_test (bad, G_FILE_TEST_EXISTS));

  g_unlink (csv);
  g_unlink (json);
  g_unlink (expected);
  gtk_window_destroy (GTK_WINDOW (window));
  lk_ui_test_flush ();
  lk_test_rmdir (dir);
}

static void
thumbnail_cb (guint       item,
              GdkTexture *texture,
              gpointer    user_data)
{
  GdkTexture **out = user_data;

  g_assert_nonnull (texture);
  *out = g_object_ref (texture);
}

/* The loader hands over textures made at the size asked for, of the right colours:
 * a 320x240 image of one colour (stored as a 256x192 thumbnail) comes back as 128x96 pixels
 * of exactly that colour, opaque; without a size, as stored. */
static void
test_loader (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("lk-browser-XXXXXX", NULL);
  g_autofree char *images = g_build_filename (dir, "images", NULL);
  g_autofree char *path = g_build_filename (dir, "study.likeness", NULL);
  g_autoptr(LkImportReport) report = NULL;
  LkParams params = small_params ();
  LkStore *store;

  g_mkdir (images, 0700);
  for (guint i = 0; i < 2; i++)
    {
      g_autofree char *name = g_strdup_printf ("%s/solid%u.png", images, i);
      g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 320, 240);

      gdk_pixbuf_fill (pixbuf, i == 0 ? 0xc8643200 : 0x10203000);
      g_assert_true (gdk_pixbuf_save (pixbuf, name, "png", &error, NULL));
    }
  store = lk_store_create (path, &params, lk_method_lookup ("paper"), &error);
  report = lk_collection_import (store, images, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  lk_store_close (store);

  for (guint pass = 0; pass < 2; pass++)
    {
      g_autoptr(LkThumbnailLoader) loader = lk_thumbnail_loader_new (path, 4, &error);
      g_autoptr(GdkTexture) texture = NULL;
      g_autofree guint32 *pixels = NULL;
      gint64 end = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
      int w, h;

      g_assert_no_error (error);
      if (pass == 0)
        lk_thumbnail_loader_set_max_size (loader, 128);
      lk_thumbnail_loader_want (loader, 0, thumbnail_cb, &texture);
      while (texture == NULL)
        {
          g_assert_cmpint (g_get_monotonic_time (), <, end);
          g_main_context_iteration (NULL, FALSE);
        }
      w = gdk_texture_get_width (texture);
      h = gdk_texture_get_height (texture);
      g_assert_cmpint (w, ==, pass == 0 ? 128 : 256);
      g_assert_cmpint (h, ==, pass == 0 ? 96 : 192);
      pixels = g_new (guint32, w * h);
      gdk_texture_download (texture, (guint8 *) pixels, w * 4);
      for (int i = 0; i < w * h; i++)
        g_assert_cmphex (pixels[i], ==, 0xffc86432);
      /* Cached now: handed over at once. */
      g_clear_object (&texture);
      lk_thumbnail_loader_want (loader, 0, thumbnail_cb, &texture);
      g_assert_nonnull (texture);
      g_assert_cmpuint (lk_thumbnail_loader_get_n_decoded (loader), ==, 1);
    }
  lk_test_rmdir (dir);
}

static guint
count_rows (const char *path,
            const char *sql)
{
  g_autoptr(GError) error = NULL;
  LkStore *store = lk_store_open (path, LK_STORE_OPEN_READ_ONLY, &error);
  sqlite3_stmt *stmt;
  guint n;

  g_assert_no_error (error);
  stmt = lk_store_prepare (store, sql, &error);
  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n = sqlite3_column_int (stmt, 0);
  sqlite3_reset (stmt);
  lk_store_close (store);

  return n;
}

/* A study holding a row the code cannot use opens (the window's own connection skips the
 * checks, which read every row: about 20 ms at 100,000 images on the main thread), and the
 * list's worker finds it: the window says so in place of the grid, naming the row, and does
 * nothing on the study (no descriptors computed, no judging, no sorting). */
static void
test_damaged (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("lk-browser-XXXXXX", NULL);
  g_autofree char *path = make_study (dir, TRUE);
  LkStore *store = lk_store_open (path, LK_STORE_OPEN_UNCHECKED, &error);
  LkBrowserWindow *window;
  GListModel *toplevels = gtk_window_get_toplevels ();
  guint n_windows;
  const char *shown;

  g_assert_no_error (error);
  g_assert_true (lk_store_exec (store, "INSERT INTO phase (phase, ended, answers, n_items, dim, "
                                "embedding) VALUES (7, 'x', 0, 30, 2, x'00')", &error));
  g_assert_no_error (error);
  lk_store_close (store);

  window = lk_browser_window_new (NULL, path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (window);
  gtk_window_present (GTK_WINDOW (window));
  lk_ui_test_wait_mapped (GTK_WIDGET (window));
  lk_ui_test_wait_for (load_failed, window);
  shown = lk_browser_window_get_load_error (window);
  g_test_message ("shown: %s", shown);
  g_assert_cmpstr (grid_page (window), ==, "error");
  g_assert_nonnull (strstr (shown, "phase 7"));
  g_assert_false (lk_browser_window_is_loaded (window));
  g_assert_false (lk_progress_bar_is_running (window->features_progress));
  g_assert_false (window->store_lent);
  n_windows = g_list_model_get_n_items (toplevels);
  gtk_widget_activate_action (GTK_WIDGET (window), "browser.judge", NULL);
  gtk_widget_activate_action (GTK_WIDGET (window), "browser.sort-grids", NULL);
  lk_ui_test_flush ();
  g_assert_cmpuint (g_list_model_get_n_items (toplevels), ==, n_windows);
  g_assert_null (lk_browser_window_get_curator (window));

  gtk_window_destroy (GTK_WINDOW (window));
  lk_ui_test_flush ();
  store = lk_store_open (path, LK_STORE_OPEN_READ_ONLY | LK_STORE_OPEN_UNCHECKED, &error);
  g_assert_no_error (error);
  {
    sqlite3_stmt *stmt = lk_store_prepare (store, "SELECT count(*) FROM feature", &error);

    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, 0);
    sqlite3_reset (stmt);
  }
  lk_store_close (store);
  lk_test_rmdir (dir);
}

static guint
browser_answers (LkBrowserWindow *window,
                 guint            id)
{
  GListModel *model = G_LIST_MODEL (gtk_grid_view_get_model (lk_browser_window_get_grid (window)));

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(LkBrowserItem) it = g_list_model_get_item (model, i);

      if (lk_browser_item_get_item (it) == id)
        return lk_browser_item_get_answers (it);
    }
  g_assert_not_reached ();
}

/* Returns TRUE once the curator's window has replayed the study (LkUiTestDoneFunc). */
static gboolean
curator_ready (gpointer data)
{
  return !lk_curator_window_is_preparing (data);
}

/* A study whose grids are larger than its collection cannot run a session: the curator's
 * window says why, in place of the grids, and the browser goes on. */
static void
test_sort_grids_refused (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("lk-browser-XXXXXX", NULL);
  g_autofree char *images = g_build_filename (dir, "images", NULL);
  g_autofree char *path = g_build_filename (dir, "study.likeness", NULL);
  g_autoptr(LkImportReport) report = NULL;
  LkParams params = small_params ();
  LkBrowserWindow *window;
  LkCuratorWindow *curator;
  LkStore *store;

  g_mkdir (images, 0700);
  for (guint i = 0; i < 6; i++)
    {
      g_autofree char *name = g_strdup_printf ("%s/p%02u.png", images, i);

      write_image (name, i);
    }
  store = lk_store_create (path, &params, lk_method_lookup ("paper"), &error);
  g_assert_no_error (error);
  report = lk_collection_import (store, images, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  lk_store_close (store);

  window = open_browser (path);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "browser.sort-grids", NULL));
  curator = LK_CURATOR_WINDOW (lk_browser_window_get_curator (window));
  g_assert_nonnull (curator);
  lk_ui_test_wait_for (curator_ready, curator);
  g_assert_null (lk_curator_window_get_session (curator));
  g_assert_nonnull (lk_curator_window_get_error (curator));
  g_assert_cmpstr (lk_curator_window_get_error (curator), !=, "");
  g_test_message ("refused: %s", lk_curator_window_get_error (curator));

  gtk_window_destroy (GTK_WINDOW (window));
  lk_ui_test_flush ();
  lk_test_rmdir (dir);
}

/* "Sort grids yourself": the curator answers grids in a window opened from the browser, on the
 * browser's own open study (no second writer); each answer is in the file, the answer counts
 * follow, and once a phase is complete the learned strip shows the k-NN of the file's newest
 * embedding, where before there was none. */
static void
test_sort_grids (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("lk-browser-XXXXXX", NULL);
  g_autofree char *path = make_study (dir, FALSE);
  LkParams params = small_params ();
  LkBrowserWindow *window = open_browser (path);
  LkCuratorWindow *curator;
  LkSession *session;
  LkStore *store;
  guint grids = 0;

  /* No phase yet: no learned neighbours. */
  g_assert_cmpuint (lk_knn_strip_get_n_neighbours (lk_browser_window_get_strip (window, LK_SPACE_LEARNED)), ==, 0);
  g_assert_cmpuint (lk_knn_strip_get_n_neighbours (lk_browser_window_get_strip (window, LK_SPACE_COLOR)), ==, 10);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "browser.sort-grids", NULL));
  curator = LK_CURATOR_WINDOW (lk_browser_window_get_curator (window));
  g_assert_nonnull (curator);
  /* The study is replayed on a worker thread: the window says so first. */
  g_assert_true (lk_curator_window_is_preparing (curator));
  g_assert_null (lk_curator_window_get_session (curator));
  /* Its session page is made once the study is replayed, not with the window. */
  g_assert_null (lk_curator_window_get_view (curator));
  lk_ui_test_wait_mapped (GTK_WIDGET (curator));
  lk_ui_test_wait_for (curator_ready, curator);
  g_assert_null (lk_curator_window_get_error (curator));
  session = lk_curator_window_get_session (curator);
  g_assert_nonnull (lk_curator_window_get_view (curator));
  g_assert_true (lk_session_view_get_session (lk_curator_window_get_view (curator)) == session);
  lk_ui_test_wait_mapped (GTK_WIDGET (lk_curator_window_get_view (curator)));
  /* No consent and no practice for the curator. */
  g_assert_cmpint (lk_session_get_state (session), ==, LK_SESSION_INSTRUCTIONS);
  lk_session_begin (session);
  g_assert_false (lk_session_is_practice (session));

  while (count_rows (path, "SELECT COUNT(*) FROM phase") == 0)
    {
      LkSortModel *model = lk_session_get_model (session);
      guint refreshes = lk_browser_window_get_n_refreshes (window);
      guint first = lk_sort_model_get_item (model, 0);
      guint before = browser_answers (window, first);

      g_assert_cmpint (lk_session_get_state (session), ==, LK_SESSION_SORTING);
      for (guint p = 0; p < lk_sort_model_get_n_items (model); p++)
        lk_sort_model_move (model, p, p % lk_sort_model_get_nc (model));
      g_assert_true (lk_session_submit (session, &error));
      g_assert_no_error (error);
      grids++;
      g_assert_cmpuint (count_rows (path, "SELECT COUNT(*) FROM answer"), ==, grids);
      wait_settled (window);
      g_assert_cmpuint (lk_browser_window_get_n_refreshes (window), >, refreshes);
      g_assert_cmpuint (browser_answers (window, first), ==, before + 1);
      g_assert_cmpuint (grids, <=, params.budget);
    }

  /* The phase is in the file (the saver's worker folded it in): once the refresh that its
   * "phase-stored" started is back, the learned strip shows the file's embedding. */
  lk_ui_test_wait_worker (lk_session_get_refine_worker (session));
  wait_settled (window);
  store = lk_store_open (path, LK_STORE_OPEN_READ_ONLY, &error);
  g_assert_no_error (error);
  check_strips (window, store, 0);
  lk_store_close (store);

  gtk_window_destroy (GTK_WINDOW (window));
  lk_ui_test_flush ();
  /* The study is closed with the browser: it can be opened for writing again. */
  store = lk_store_open (path, LK_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  lk_store_close (store);
  lk_test_rmdir (dir);
}

/* The curator's window closed while the study is replayed: the replay's result is dropped
 * (no session page, no session in the file), the browser goes on, and Sort Grids opens anew. */
static void
test_sort_grids_closed (void)
{
  g_autofree char *dir = g_dir_make_tmp ("lk-browser-XXXXXX", NULL);
  g_autofree char *path = make_study (dir, FALSE);
  LkBrowserWindow *window = open_browser (path);
  LkCuratorWindow *curator;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "browser.sort-grids", NULL));
  curator = LK_CURATOR_WINDOW (lk_browser_window_get_curator (window));
  g_assert_true (lk_curator_window_is_preparing (curator));
  /* Closed before the main loop could deliver the replay (as Ctrl+W's window.close does). */
  gtk_window_close (GTK_WINDOW (curator));
  lk_ui_test_flush ();
  g_assert_null (lk_browser_window_get_curator (window));
  g_assert_true (lk_browser_window_select_item (window, 5));
  wait_settled (window);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "browser.sort-grids", NULL));
  curator = LK_CURATOR_WINDOW (lk_browser_window_get_curator (window));
  lk_ui_test_wait_for (curator_ready, curator);
  g_assert_nonnull (lk_curator_window_get_view (curator));
  g_assert_nonnull (lk_curator_window_get_session (curator));

  gtk_window_destroy (GTK_WINDOW (window));
  lk_ui_test_flush ();
  /* Neither window started a session: the curator sorted nothing. */
  g_assert_cmpuint (count_rows (path, "SELECT COUNT(*) FROM session"), ==, 0);
  lk_test_rmdir (dir);
}

int
main (int    argc,
      char **argv)
{
  /* The model needs no display; the window does. */
  if (g_getenv ("DISPLAY") == NULL && g_getenv ("WAYLAND_DISPLAY") == NULL)
    {
      g_test_init (&argc, &argv, NULL);
      g_test_add_func ("/lk/browser/model", test_model);
      return g_test_run ();
    }
  lk_ui_test_init (&argc, &argv);
  g_test_add_func ("/lk/browser/model", test_model);
  g_test_add_func ("/lk/browser/loading", test_loading);
  g_test_add_func ("/lk/browser/load-error", test_load_error);
  g_test_add_func ("/lk/browser/damaged", test_damaged);
  g_test_add_func ("/lk/browser/strips", test_strips);
  g_test_add_func ("/lk/browser/loader", test_loader);
  g_test_add_func ("/lk/browser/sort-grids", test_sort_grids);
  g_test_add_func ("/lk/browser/sort-grids-refused", test_sort_grids_refused);
  g_test_add_func ("/lk/browser/sort-grids-closed", test_sort_grids_closed);
  g_test_add_func ("/lk/browser/export-neighbours", test_export_neighbours);

  return g_test_run ();
}
