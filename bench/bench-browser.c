/* bench-browser.c — the collection browser on a 20,000-image study: time to the first screen of
 * thumbnails from the cache, and the worst main-loop stall while scrolling the whole grid
 *
 * Makes a study of 100 generated 320x240 PNGs (imported: thumbnails and descriptors computed as
 * usual), then copies their rows 199 times under new paths and hashes (SQL) to reach 20,000
 * images with cached thumbnails and descriptors, plus a random 3-D "learned" embedding. Opens
 * LkBrowserWindow and measures:
 *   first screen  from lk_browser_window_new() until every thumbnail cell on screen shows its
 *                 texture (decoded by the loader's threads from the study file);
 *   scrolling     once the window is settled (descriptors, neighbours and every strip's
 *                 thumbnails loaded, and drawn), the grid's adjustment moves one page per frame
 *                 from top to bottom, the worst case of dragging the scrollbar: every frame binds
 *                 and draws a page of new cells. The worst figure is the longest single
 *                 g_main_context_iteration() (the loop waits at most 4 ms for events, so an idle
 *                 loop shows up to 4 ms) and the longest frame gap. Also printed: the main
 *                 thread's own CPU time in its worst iteration (what the app does, without the
 *                 time it waited for the CPU on a shared machine or for llvmpipe's threads to
 *                 rasterise a GL frame), how many iterations were over 20 ms, and the renderer
 *                 (GSK_RENDERER; unset is GL, on Xvfb llvmpipe);
 *   selecting     then N images far apart are selected one after another (--selects); each
 *                 fills the three strips with new neighbours and thumbnails: the mean time until
 *                 the strips are complete, and the worst main-loop iteration meanwhile.
 * Needs a display: xvfb-run -a -s '-screen 0 1400x1000x24' bench/bench-browser
 * Options (for profiling; the README's figures use none of them):
 *   --pages=N     stop scrolling after N pages (default: the whole grid)
 *   --selects=N   how many images to select after scrolling (default 20; 0: none)
 *   --phases      also print, per frame while scrolling, how long GTK's layout phase took
 *                 (binding and measuring cells) and its paint phase (snapshot and render)
 *   --study=FILE  make the study in FILE once and reuse it on later runs (default: a new one in
 *                 a temporary folder)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gstdio.h>

#include "bench-clock.h"
#include "lk-browser-window-private.h"
#include "lk-collection.h"
#include "lk-image-features.h"
#include "lk-store-private.h"
#include "lk-thumb-cell-private.h"
#include "lk-thumbnail-loader-private.h"

/* Removes what make_study() wrote in @dir, and @dir (a run without --study leaves nothing). */
static void
remove_study (const char *dir,
              const char *path)
{
  g_autofree char *images = g_build_filename (dir, "images", NULL);
  const char *suffixes[] = { "", "-wal", "-shm", "-journal" };

  for (guint i = 0; i < 100; i++)
    {
      g_autofree char *name = g_strdup_printf ("%s/img-%03u.png", images, i);

      g_remove (name);
    }
  g_rmdir (images);
  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *name = g_strconcat (path, suffixes[i], NULL);

      g_remove (name);
    }
  if (g_rmdir (dir) != 0)
    g_printerr ("could not remove %s\n", dir);
}

/* --phases: when each frame-clock phase of the current frame ended (these handlers are connected
 * after GTK's own, so they run after them). A phase nobody asked for is not emitted: each starts
 * at the frame's start, so a frame without layout counts 0 ms of it. */
typedef struct {
  gint64  update, layout, paint;
  GArray *layout_us, *paint_us;
} Phases;

static void
phase_before_paint_cb (GdkFrameClock *clock,
                       Phases        *p)
{
  p->update = p->layout = g_get_monotonic_time ();
}

static void
phase_update_cb (GdkFrameClock *clock,
                 Phases        *p)
{
  p->update = p->layout = g_get_monotonic_time ();
}

static void
phase_layout_cb (GdkFrameClock *clock,
                 Phases        *p)
{
  p->layout = g_get_monotonic_time ();
}

static void
phase_paint_cb (GdkFrameClock *clock,
                Phases        *p)
{
  gint64 layout = p->layout - p->update, paint;

  p->paint = g_get_monotonic_time ();
  paint = p->paint - p->layout;
  g_array_append_val (p->layout_us, layout);
  g_array_append_val (p->paint_us, paint);
}

static gboolean
count_frame_cb (GtkWidget     *widget,
                GdkFrameClock *clock,
                gpointer       data)
{
  guint *left = data;

  return --(*left) > 0 ? G_SOURCE_CONTINUE : G_SOURCE_REMOVE;
}

/* Iterates until @widget's window has drawn @n more frames (a tick callback asks for them, as
 * a window with nothing to draw draws none), keeping the worst iteration and its CPU time. */
static void
wait_frames (GtkWidget *widget,
             guint      n,
             gint64    *worst,
             gint64    *worst_cpu)
{
  guint left = n;

  gtk_widget_add_tick_callback (widget, count_frame_cb, &left, NULL);
  while (left > 0)
    {
      gint64 a = g_get_monotonic_time (), cpu = bench_cpu_now ();

      g_main_context_iteration (NULL, TRUE);
      if (worst != NULL)
        *worst = MAX (*worst, g_get_monotonic_time () - a);
      if (worst_cpu != NULL)
        *worst_cpu = MAX (*worst_cpu, bench_cpu_now () - cpu);
    }
}

static gboolean
wake_cb (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

static void
count_thumbnails (GtkWidget *widget,
                guint     *shown,
                guint     *empty)
{
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      if (LK_IS_THUMB_CELL (c) && gtk_widget_get_mapped (c))
        {
          if (lk_thumb_cell_get_texture (LK_THUMB_CELL (c)) != NULL)
            (*shown)++;
          else
            (*empty)++;
        }
      count_thumbnails (c, shown, empty);
    }
}

static void
make_study (const char *dir,
            const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *images = g_build_filename (dir, "images", NULL);
  g_autoptr(LkImportReport) report = NULL;
  g_autofree double *embedding = g_new (double, 20000 * 3);
  GRand *rand = g_rand_new_with_seed (3);
  LkParams params;
  LkStore *store;
  sqlite3_stmt *stmt;

  g_mkdir (images, 0700);
  for (guint i = 0; i < 100; i++)
    {
      g_autofree char *name = g_strdup_printf ("%s/img-%03u.png", images, i);
      g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 320, 240);
      guint8 *px = gdk_pixbuf_get_pixels (pixbuf);
      int stride = gdk_pixbuf_get_rowstride (pixbuf);

      for (int y = 0; y < 240; y++)
        for (int x = 0; x < 320; x++)
          {
            guint8 *p = px + y * stride + x * 3;

            p[0] = (i * 37 + x) % 256;
            p[1] = ((x + y) / (4 + i % 9)) % 2 ? (i * 71) % 256 : 30;
            p[2] = (i * 13 + y) % 256;
          }
      if (!gdk_pixbuf_save (pixbuf, name, "png", &error, NULL))
        g_error ("%s", error->message);
    }
  lk_params_init (&params);
  store = lk_store_create (path, &params, lk_method_lookup ("paper"), &error);
  report = lk_collection_import (store, images, NULL, NULL, NULL, &error);
  if (report == NULL || !lk_image_features_update (store, NULL, NULL, NULL, NULL, &error))
    g_error ("%s", error->message);
  if (!lk_store_exec (store,
        "BEGIN;"
        "WITH RECURSIVE k(j) AS (SELECT 1 UNION ALL SELECT j + 1 FROM k WHERE j < 199)"
        " INSERT INTO image (item, path, sha256, bytes, mtime_us, width, height, format, imported)"
        " SELECT item + 100 * j, printf('set-%03d/', j) || path, sha256 || '-' || j, bytes,"
        " mtime_us, width, height, format, imported FROM image, k WHERE item < 100;"
        "WITH RECURSIVE k(j) AS (SELECT 1 UNION ALL SELECT j + 1 FROM k WHERE j < 199)"
        " INSERT INTO thumbnail SELECT item + 100 * j, sha256 || '-' || j, width, height, png"
        " FROM thumbnail, k WHERE item < 100;"
        "WITH RECURSIVE k(j) AS (SELECT 1 UNION ALL SELECT j + 1 FROM k WHERE j < 199)"
        " INSERT INTO feature SELECT item + 100 * j, kind, sha256 || '-' || j, params, dim, vector"
        " FROM feature, k WHERE item < 100;"
        "COMMIT;", &error))
    g_error ("%s", error->message);
  for (guint i = 0; i < 20000 * 3; i++)
    embedding[i] = g_rand_double (rand);
  g_rand_free (rand);
  lk_store_write_begin (store, &error);
  stmt = lk_store_prepare (store, "INSERT INTO phase (phase, ended, answers, n_items, dim, "
                           "embedding) VALUES (0, 'x', 0, 20000, 3, ?)", &error);
  sqlite3_bind_blob (stmt, 1, embedding, 20000 * 3 * sizeof (double), SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    g_error ("could not store the embedding");
  sqlite3_reset (stmt);
  lk_store_write_commit (store, "bench", &error);
  lk_store_close (store);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GOptionContext) context = g_option_context_new ("— the browser on 20,000 images");
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  char *study = NULL;
  int max_pages = 0;
  gboolean phases = FALSE;
  int n_selects = 20;
  Phases ph = { 0 };
  GOptionEntry entries[] = {
    { "selects", 0, 0, G_OPTION_ARG_INT, &n_selects, "Select N images after scrolling (default 20)", "N" },
    { "phases", 0, 0, G_OPTION_ARG_NONE, &phases, "Print how long layout and paint took per frame", NULL },
    { "pages", 0, 0, G_OPTION_ARG_INT, &max_pages, "Stop after N pages", "N" },
    { "study", 0, 0, G_OPTION_ARG_FILENAME, &study, "Make the study once in FILE, then reuse it", "FILE" },
    { NULL }
  };
  gint64 worst_cpu = 0;
  guint over_20 = 0, iterations = 0;
  LkBrowserWindow *window;
  GtkAdjustment *vadj;
  gint64 t0, t_first = 0, worst_iter = 0, worst_frame = 0, last_frame = 0, scroll_start;
  guint shown = 0, empty = 0, steps = 0, wake;
  GdkFrameClock *clock;
  gint64 last_counter = -1;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    g_error ("%s", error->message);
  gtk_init ();
  adw_init ();
  if (study != NULL)
    {
      dir = g_path_get_dirname (study);
      path = g_strdup (study);
    }
  else
    {
      dir = g_dir_make_tmp ("lk-bench-browser-XXXXXX", NULL);
      path = g_build_filename (dir, "big.likeness", NULL);
    }
  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_autofree char *images = g_build_filename (dir, "images", NULL);

      if (g_file_test (images, G_FILE_TEST_EXISTS))
        g_error ("%s already has an images folder: give a file in a new folder", dir);
      make_study (dir, path);
    }

  t0 = g_get_monotonic_time ();
  window = lk_browser_window_new (NULL, path, &error);
  if (window == NULL)
    g_error ("%s", error->message);
  gtk_window_present (GTK_WINDOW (window));
  wake = g_timeout_add (4, wake_cb, NULL);
  for (;;)
    {
      g_main_context_iteration (NULL, TRUE);
      if (!gtk_widget_get_mapped (GTK_WIDGET (window)))
        continue;
      shown = empty = 0;
      count_thumbnails (GTK_WIDGET (lk_browser_window_get_grid (window)), &shown, &empty);
      if (shown > 0 && empty == 0)
        break;
      if (g_get_monotonic_time () - t0 > 30 * G_USEC_PER_SEC)
        g_error ("the first screen did not fill in 30 s");
    }
  t_first = g_get_monotonic_time () - t0;
  g_print ("study: 20000 images, thumbnails at most 256 px, cached descriptors\n");
  g_print ("first screen: %u thumbnails in %.0f ms (window %dx%d)\n", shown, t_first / 1e3,
           gtk_widget_get_width (GTK_WIDGET (window)), gtk_widget_get_height (GTK_WIDGET (window)));

  /* Let the descriptors and neighbours load, then scroll. */
  while (!lk_browser_window_is_settled (window))
    g_main_context_iteration (NULL, TRUE);
  clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));
  /* ...and be drawn: the last thumbnail that settles it is painted in the next frame. */
  wait_frames (GTK_WIDGET (window), 2, NULL, NULL);
  vadj = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (lk_browser_window_get_grid (window)));
  if (phases)
    {
      ph.layout_us = g_array_new (FALSE, FALSE, sizeof (gint64));
      ph.paint_us = g_array_new (FALSE, FALSE, sizeof (gint64));
      g_signal_connect (clock, "before-paint", G_CALLBACK (phase_before_paint_cb), &ph);
      g_signal_connect (clock, "update", G_CALLBACK (phase_update_cb), &ph);
      g_signal_connect (clock, "layout", G_CALLBACK (phase_layout_cb), &ph);
      g_signal_connect (clock, "paint", G_CALLBACK (phase_paint_cb), &ph);
    }
  scroll_start = g_get_monotonic_time ();
  while (gtk_adjustment_get_value (vadj) + gtk_adjustment_get_page_size (vadj) <
         gtk_adjustment_get_upper (vadj) - 1 && (max_pages <= 0 || steps < (guint) max_pages))
    {
      gint64 a = g_get_monotonic_time (), b, cpu = bench_cpu_now ();
      gint64 counter = gdk_frame_clock_get_frame_counter (clock);

      if (counter != last_counter)
        {
          /* One page per painted frame. */
          if (last_frame != 0)
            worst_frame = MAX (worst_frame, a - last_frame);
          last_frame = a;
          last_counter = counter;
          gtk_adjustment_set_value (vadj, gtk_adjustment_get_value (vadj) +
                                          gtk_adjustment_get_page_size (vadj));
          steps++;
        }
      g_main_context_iteration (NULL, TRUE);
      b = g_get_monotonic_time ();
      worst_iter = MAX (worst_iter, b - a);
      worst_cpu = MAX (worst_cpu, bench_cpu_now () - cpu);
      over_20 += b - a > 20000;
      iterations++;
    }
  g_print ("scrolled %.0f px in %u pages over %.1f s; decoded %u thumbnails\n",
           gtk_adjustment_get_upper (vadj), steps, (g_get_monotonic_time () - scroll_start) / 1e6,
           lk_thumbnail_loader_get_n_decoded (lk_browser_window_get_loader (window)));
  g_print ("worst main-loop iteration while scrolling: %.1f ms; worst frame gap: %.1f ms\n",
           worst_iter / 1e3, worst_frame / 1e3);
  g_print ("main thread's CPU in its worst iteration: %.1f ms; %u of %u iterations over 20 ms "
           "(GSK_RENDERER=%s)\n", worst_cpu / 1e3, over_20, iterations,
           g_getenv ("GSK_RENDERER") != NULL ? g_getenv ("GSK_RENDERER") : "unset");
  if (phases)
    {
      g_print ("per frame while scrolling (%u): layout median %.1f ms, p99 %.1f, worst %.1f; "
               "snapshot and render median %.1f ms, p99 %.1f, worst %.1f\n", ph.layout_us->len,
               bench_percentile_ms (ph.layout_us, 0.5), bench_percentile_ms (ph.layout_us, 0.99),
               bench_percentile_ms (ph.layout_us, 1), bench_percentile_ms (ph.paint_us, 0.5),
               bench_percentile_ms (ph.paint_us, 0.99), bench_percentile_ms (ph.paint_us, 1));
      g_signal_handlers_disconnect_by_data (clock, &ph);
      g_array_unref (ph.layout_us);
      g_array_unref (ph.paint_us);
    }
  /* Selecting images: each one fills the three strips with new neighbours and thumbnails. */
  if (n_selects > 0)
    {
      GtkSelectionModel *model = gtk_grid_view_get_model (lk_browser_window_get_grid (window));
      guint n_items = g_list_model_get_n_items (G_LIST_MODEL (model));
      gint64 worst_select = 0, worst_select_cpu = 0, total = 0, cpu_start = bench_cpu_now ();

      for (int k = 0; k < n_selects; k++)
        {
          guint pos = (guint) (((guint64) (2 * k + 1) * n_items) / (2 * n_selects));
          gint64 start = g_get_monotonic_time ();

          gtk_selection_model_select_item (model, pos, TRUE);
          for (;;)
            {
              gint64 a = g_get_monotonic_time (), cpu = bench_cpu_now ();

              g_main_context_iteration (NULL, TRUE);
              worst_select = MAX (worst_select, g_get_monotonic_time () - a);
              worst_select_cpu = MAX (worst_select_cpu, bench_cpu_now () - cpu);
              if (lk_browser_window_is_settled (window))
                break;
            }
          total += g_get_monotonic_time () - start;
          wait_frames (GTK_WIDGET (window), 2, &worst_select, &worst_select_cpu);
        }
      g_print ("selected %d images: strips filled in %.0f ms on average, %.1f ms of the main "
               "thread's CPU each; worst main-loop iteration %.1f ms (main thread's CPU in its "
               "worst: %.1f ms)\n", n_selects, total / 1e3 / n_selects,
               (bench_cpu_now () - cpu_start) / 1e3 / n_selects, worst_select / 1e3,
               worst_select_cpu / 1e3);
    }
  g_source_remove (wake);
  gtk_window_destroy (GTK_WINDOW (window));
  while (g_main_context_pending (NULL))
    g_main_context_iteration (NULL, FALSE);
  if (study == NULL)
    remove_study (dir, path);

  return 0;
}
