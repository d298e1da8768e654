/* bench-collection.c — a collection of N generated images (20,000 to 100,000) imported,
 * described, browsed and sorted in the app, with the main loop's stalls at every step
 *
 *   xvfb-run -a -s '-screen 0 1400x1000x24 -nolisten tcp' env GSK_RENDERER=cairo \
 *     GTK_A11Y=none GSETTINGS_SCHEMA_DIR=_build/data GSETTINGS_BACKEND=memory \
 *     _build/bench/bench-collection --count=100000
 *
 * Steps, each timed, with its peak RSS (VmHWM, reset before the step through
 * /proc/self/clear_refs) and a histogram of the main loop's stalls:
 *   generate     N small PNGs (64x48, two coloured blobs on a coloured ground, 50 colour
 *                families) in folders of 1000 under a temporary folder (not measured as the
 *                app's work; removed at the end, with the study);
 *   import       lk_study_create_async() on the folder, as the Create page runs it, with its
 *                progress delivered to the main loop;
 *   first screen lk_browser_window_new() on the study until every cell on screen shows its
 *                thumbnail;
 *   descriptors  the browser computes the colour and HOG descriptors of every image (its
 *                worker, its progress bar: read every 5 s and printed) and loads the three
 *                neighbour spaces, until the window is settled;
 *   scroll       the grid moves one page per painted frame from top to bottom (--pages: fewer);
 *   select       --selects images far apart are selected one after another; each fills the
 *                three neighbour strips;
 *   sort         Sort Grids… opens the curator's window (the study replayed on a worker); the
 *                curator sorts a grid every --pace ms (each image to a bin, then Submit) until
 *                a phase (of --grids grids) has been folded in on the refinement worker, stored
 *                and shown in the browser's learned strip, and --after more grids are sorted;
 *                the grids answered meanwhile are drawn on the spot.
 *
 * The stall watchdog is a 1 ms timeout at high priority: a stall is the time between two of its
 * runs beyond that period, bucketed < 5, 5–10, 10–20, 20–50, 50–100 and > 100 ms. On a shared
 * 2-core machine a stall is mostly the scheduler's (a process that waits for a core waits for
 * it whatever it does), so the same buckets are also filled with the main thread's own CPU
 * time in each gap (CLOCK_THREAD_CPUTIME_ID): what the app does. The worst stall is printed
 * with its CPU time, and the gap with the most CPU with its wall time.
 *
 * Options:
 *   --count=N     images (default 20000)
 *   --study=FILE  make the study in FILE (its images in FILE's folder, images/) once, then
 *                 reuse it: no import then, the descriptors are cached (the step loads the
 *                 spaces), and the curator's earlier answers are in it (the next phase is
 *                 folded in; the budget, 20 phases, runs out after a few runs)
 *   --pages=N     stop scrolling after N pages (default: the whole grid)
 *   --selects=N   images selected after scrolling (default 20)
 *   --grids=N     grids per phase (the study's budget is 20 phases of N; default 30)
 *   --after=N     grids sorted after the phase is shown (default 5)
 *   --pace=MS     one grid every MS ms (default 500)
 *   --sort-only   skip scrolling and selecting (on a reused study: the sorting step alone)
 *   --until=STEP  stop after "first-screen", "descriptors", "select" (for profiling; default:
 *                 every step)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <glib/gstdio.h>

#include "bench-clock.h"
#include "lk-browser-window-private.h"
#include "lk-curator-window-private.h"
#include "lk-session.h"
#include "lk-sort-model.h"
#include "lk-store-private.h"
#include "lk-study-import.h"
#include "lk-thumb-cell-private.h"
#include "lk-thumbnail-loader-private.h"

#define IMAGE_W 64
#define IMAGE_H 48
#define PER_FOLDER 1000
#define N_FAMILIES 50
#define N_BUCKETS 6

static const double bucket_ms[N_BUCKETS - 1] = { 5, 10, 20, 50, 100 };
static const char *bucket_names[N_BUCKETS] = { "<5", "5-10", "10-20", "20-50", "50-100", ">100" };

/* ---- the main loop's stalls -------------------------------------------------------------- */

typedef struct {
  gint64 last, last_cpu;
  guint  wall[N_BUCKETS];     /* gaps by wall time */
  guint  cpu[N_BUCKETS];      /* gaps by the main thread's CPU time in them */
  guint  n;
  gint64 worst, worst_its_cpu, worst_at;
  gint64 busiest_cpu, busiest_its_wall, busiest_at;
  gint64 start;
} Watch;

static guint
bucket_of (gint64 us)
{
  guint b = 0;

  while (b < N_BUCKETS - 1 && us >= bucket_ms[b] * 1000)
    b++;

  return b;
}

static gboolean
watchdog_cb (gpointer data)
{
  Watch *w = data;
  gint64 now = g_get_monotonic_time (), cpu = bench_cpu_now ();

  if (w->last != 0)
    {
      gint64 gap = MAX (now - w->last - 1000, 0), gap_cpu = cpu - w->last_cpu;

      w->wall[bucket_of (gap)]++;
      w->cpu[bucket_of (gap_cpu)]++;
      w->n++;
      if (gap > w->worst)
        {
          w->worst = gap;
          w->worst_its_cpu = gap_cpu;
          w->worst_at = now - w->start;
        }
      if (gap_cpu > w->busiest_cpu)
        {
          w->busiest_cpu = gap_cpu;
          w->busiest_its_wall = gap;
          w->busiest_at = now - w->start;
        }
    }
  w->last = now;
  w->last_cpu = cpu;

  return G_SOURCE_CONTINUE;
}

/* Starts a new step: clears the histograms and the process's peak RSS. The gap under way
 * counts in the new step. */
static void
watch_reset (Watch *w)
{
  FILE *f = fopen ("/proc/self/clear_refs", "w");
  gint64 last = w->last, last_cpu = w->last_cpu;

  if (f != NULL)
    {
      fputs ("5", f);
      fclose (f);
    }
  memset (w, 0, sizeof *w);
  w->last = last;
  w->last_cpu = last_cpu;
  w->start = g_get_monotonic_time ();
}

/* Returns the field @name of /proc/self/status in MiB. */
static double
status_mib (const char *name)
{
  g_autofree char *text = NULL;
  const char *at;

  if (!g_file_get_contents ("/proc/self/status", &text, NULL, NULL) ||
      (at = strstr (text, name)) == NULL)
    return 0;

  return g_ascii_strtod (at + strlen (name) + 1, NULL) / 1024.0;
}

static void
watch_print (Watch      *w,
             const char *step)
{
  g_print ("  %s: %.1f s, peak RSS %.0f MiB (now %.0f MiB); %u main-loop gaps\n", step,
           (g_get_monotonic_time () - w->start) / 1e6, status_mib ("VmHWM:"),
           status_mib ("VmRSS:"), w->n);
  g_print ("    stalls (wall)      ");
  for (guint b = 0; b < N_BUCKETS; b++)
    g_print (" %s: %u", bucket_names[b], w->wall[b]);
  g_print ("\n    main thread's CPU  ");
  for (guint b = 0; b < N_BUCKETS; b++)
    g_print (" %s: %u", bucket_names[b], w->cpu[b]);
  g_print ("\n    worst stall %.1f ms at %.1f s (main thread's CPU in it %.1f ms); busiest gap "
           "%.1f ms of CPU at %.1f s (%.1f ms wall)\n", w->worst / 1e3, w->worst_at / 1e6,
           w->worst_its_cpu / 1e3, w->busiest_cpu / 1e3, w->busiest_at / 1e6,
           w->busiest_its_wall / 1e3);
}

/* ---- the collection ---------------------------------------------------------------------- */

/* A 64x48 picture of family i % N_FAMILIES: a ground and two discs of its colours, shifted
 * and sized at random. */
static void
write_image (const char *path,
             guint       i,
             GRand      *rand)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, IMAGE_W, IMAGE_H);
  guint8 *px = gdk_pixbuf_get_pixels (pixbuf);
  int stride = gdk_pixbuf_get_rowstride (pixbuf);
  guint f = i % N_FAMILIES;
  guint8 ground[3] = { (f * 37) % 256, (f * 91 + 40) % 256, (f * 53 + 90) % 256 };
  guint8 blob[2][3] = { { (f * 151 + 7) % 256, (f * 17) % 256, 255 - (f * 29) % 256 },
                        { 255 - (f * 73) % 256, (f * 211 + 50) % 256, (f * 5) % 256 } };
  double cx[2], cy[2], r[2];

  for (guint b = 0; b < 2; b++)
    {
      cx[b] = g_rand_double_range (rand, 8, IMAGE_W - 8);
      cy[b] = g_rand_double_range (rand, 8, IMAGE_H - 8);
      r[b] = g_rand_double_range (rand, 5, 16);
    }
  for (int y = 0; y < IMAGE_H; y++)
    for (int x = 0; x < IMAGE_W; x++)
      {
        guint8 *p = px + y * stride + x * 3;
        const guint8 *c = ground;

        for (guint b = 0; b < 2; b++)
          if ((x - cx[b]) * (x - cx[b]) + (y - cy[b]) * (y - cy[b]) < r[b] * r[b])
            c = blob[b];
        p[0] = c[0];
        p[1] = c[1];
        p[2] = c[2];
      }
  if (!gdk_pixbuf_save (pixbuf, path, "png", &error, "compression", "1", NULL))
    g_error ("%s", error->message);
}

static void
generate (const char *images,
          guint       count)
{
  GRand *rand = g_rand_new_with_seed (7);
  gint64 t0 = g_get_monotonic_time ();

  g_mkdir (images, 0700);
  for (guint i = 0; i < count; i++)
    {
      g_autofree char *name = NULL;

      if (i % PER_FOLDER == 0)
        {
          g_autofree char *folder = g_strdup_printf ("%s/d%03u", images, i / PER_FOLDER);

          g_mkdir (folder, 0700);
        }
      name = g_strdup_printf ("%s/d%03u/img-%06u.png", images, i / PER_FOLDER, i);
      write_image (name, i, rand);
    }
  g_rand_free (rand);
  g_print ("generated %u images of %dx%d px in %.1f s\n", count, IMAGE_W, IMAGE_H,
           (g_get_monotonic_time () - t0) / 1e6);
}

/* Removes @dir and everything under it (no symbolic links are made here). */
static void
remove_tree (const char *dir)
{
  GDir *d = g_dir_open (dir, 0, NULL);
  const char *name;

  if (d == NULL)
    return;
  while ((name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *child = g_build_filename (dir, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        remove_tree (child);
      else
        g_remove (child);
    }
  g_dir_close (d);
  if (g_rmdir (dir) != 0)
    g_printerr ("could not remove %s\n", dir);
}

/* ---- import ------------------------------------------------------------------------------ */

typedef struct {
  LkStudy *study;
  GError  *error;
  guint    n_progress;
  guint    done;
  gboolean finished;
} Import;

static void
import_progress_cb (guint       done,
                    guint       total,
                    const char *current,
                    gpointer    user_data)
{
  Import *im = user_data;

  im->n_progress++;
  im->done = done;
}

static void
import_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  Import *im = user_data;

  im->study = lk_study_create_finish (result, NULL, &im->error);
  im->finished = TRUE;
}

static void
import (const char *images,
        const char *path,
        guint       grids,
        Watch      *w)
{
  Import im = { 0 };
  LkParams params;

  lk_params_init (&params);
  /* Phases of --grids grids, enough of them to go on sorting while one is folded in (at
   * 100,000 images a phase takes the worker about a minute). */
  params.phases = 20;
  params.budget = 20 * grids;
  watch_reset (w);
  lk_study_create_async (path, images, &params, lk_method_lookup ("paper"), NULL,
                         import_progress_cb, &im, import_done_cb, &im);
  while (!im.finished)
    g_main_context_iteration (NULL, TRUE);
  if (im.study == NULL)
    g_error ("import: %s", im.error->message);
  g_print ("import: %u images in %.1f s (%.0f images/s), %u progress reports on the main loop\n",
           im.done, (g_get_monotonic_time () - w->start) / 1e6,
           im.done / ((g_get_monotonic_time () - w->start) / 1e6), im.n_progress);
  watch_print (w, "import");
  /* The browser opens the file for writing: the study must be closed first. */
  g_object_add_weak_pointer (G_OBJECT (im.study), (gpointer *) &im.study);
  g_object_unref (im.study);
  while (im.study != NULL)
    g_main_context_iteration (NULL, TRUE);
}

/* ---- browsing ---------------------------------------------------------------------------- */

static void
count_thumbnails (GtkWidget *widget,
                  guint     *shown,
                  guint     *empty)
{
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL;
       c = gtk_widget_get_next_sibling (c))
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

static GtkProgressBar *
find_progress_bar (GtkWidget *widget)
{
  if (GTK_IS_PROGRESS_BAR (widget))
    return GTK_PROGRESS_BAR (widget);
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    {
      GtkProgressBar *bar = find_progress_bar (c);

      if (bar != NULL)
        return bar;
    }

  return NULL;
}

static gboolean
count_frame_cb (GtkWidget     *widget,
                GdkFrameClock *clock,
                gpointer       data)
{
  guint *left = data;

  return --(*left) > 0 ? G_SOURCE_CONTINUE : G_SOURCE_REMOVE;
}

/* Iterates until @widget's window has drawn @n more frames. */
static void
wait_frames (GtkWidget *widget,
             guint      n)
{
  guint left = n;

  gtk_widget_add_tick_callback (widget, count_frame_cb, &left, NULL);
  while (left > 0)
    g_main_context_iteration (NULL, TRUE);
}

static LkBrowserWindow *
open_browser (const char *path,
              gboolean    first_only,
              Watch      *w)
{
  g_autoptr(GError) error = NULL;
  LkBrowserWindow *window;
  GtkProgressBar *bar;
  guint shown = 0, empty = 0;
  gint64 next_report, c0, c1;

  watch_reset (w);
  c0 = bench_cpu_now ();
  window = lk_browser_window_new (NULL, path, &error);
  c1 = bench_cpu_now ();
  if (window == NULL)
    g_error ("%s", error->message);
  if (lk_store_is_read_only (window->store))
    g_print ("the study is open for writing elsewhere: read-only\n");
  gtk_window_present (GTK_WINDOW (window));
  g_print ("the window's construction: %.1f ms of the main thread's CPU; gtk_window_present(): "
           "%.1f ms\n", (c1 - c0) / 1e3, (bench_cpu_now () - c1) / 1e3);
  for (;;)
    {
      g_main_context_iteration (NULL, TRUE);
      if (!gtk_widget_get_mapped (GTK_WIDGET (window)))
        continue;
      shown = empty = 0;
      count_thumbnails (GTK_WIDGET (lk_browser_window_get_grid (window)), &shown, &empty);
      if (shown > 0 && empty == 0)
        break;
      if (g_get_monotonic_time () - w->start > 120 * G_USEC_PER_SEC)
        g_error ("the first screen did not fill in 120 s");
    }
  g_print ("first screen: %u thumbnails in %.0f ms (window %dx%d)\n", shown,
           (g_get_monotonic_time () - w->start) / 1e3,
           gtk_widget_get_width (GTK_WIDGET (window)), gtk_widget_get_height (GTK_WIDGET (window)));
  watch_print (w, "first screen");
  if (first_only)
    return window;

  /* The descriptors are computed (when missing) and the spaces loaded. */
  watch_reset (w);
  bar = find_progress_bar (GTK_WIDGET (window->features_progress));
  next_report = w->start + 5 * G_USEC_PER_SEC;
  while (!lk_browser_window_is_settled (window))
    {
      g_main_context_iteration (NULL, TRUE);
      if (g_get_monotonic_time () > next_report)
        {
          const char *text = bar != NULL ? gtk_progress_bar_get_text (bar) : NULL;

          next_report += 5 * G_USEC_PER_SEC;
          if (!lk_progress_bar_is_running (window->features_progress))
            text = "(loading the neighbour spaces)";
          g_print ("  after %3.0f s: %s\n", (g_get_monotonic_time () - w->start) / 1e6,
                   text != NULL ? text : "(looking for images without descriptors)");
        }
    }
  wait_frames (GTK_WIDGET (window), 2);
  g_print ("descriptors and neighbour spaces: settled after %.1f s\n",
           (g_get_monotonic_time () - w->start) / 1e6);
  watch_print (w, "descriptors");

  return window;
}

static void
scroll (LkBrowserWindow *window,
        int              max_pages,
        Watch           *w)
{
  GtkAdjustment *vadj = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (lk_browser_window_get_grid (window)));
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));
  gint64 last_counter = -1;
  guint steps = 0;

  watch_reset (w);
  while (gtk_adjustment_get_value (vadj) + gtk_adjustment_get_page_size (vadj) <
         gtk_adjustment_get_upper (vadj) - 1 && (max_pages <= 0 || steps < (guint) max_pages))
    {
      gint64 counter = gdk_frame_clock_get_frame_counter (clock);

      if (counter != last_counter)
        {
          last_counter = counter;
          gtk_adjustment_set_value (vadj, gtk_adjustment_get_value (vadj) +
                                          gtk_adjustment_get_page_size (vadj));
          steps++;
        }
      g_main_context_iteration (NULL, TRUE);
    }
  g_print ("scroll: %u pages, %.0f px; %u thumbnails decoded\n", steps,
           gtk_adjustment_get_upper (vadj),
           lk_thumbnail_loader_get_n_decoded (lk_browser_window_get_loader (window)));
  watch_print (w, "scroll");
}

static void
select_images (LkBrowserWindow *window,
               int              n_selects,
               Watch           *w)
{
  GtkSelectionModel *model = gtk_grid_view_get_model (lk_browser_window_get_grid (window));
  guint n_items = g_list_model_get_n_items (G_LIST_MODEL (model));
  g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (gint64));

  watch_reset (w);
  for (int k = 0; k < n_selects; k++)
    {
      guint pos = (guint) (((guint64) (2 * k + 1) * n_items) / (2 * n_selects));
      gint64 start = g_get_monotonic_time (), t;

      gtk_selection_model_select_item (model, pos, TRUE);
      do
        g_main_context_iteration (NULL, TRUE);
      while (!lk_browser_window_is_settled (window));
      t = g_get_monotonic_time () - start;
      g_array_append_val (times, t);
      wait_frames (GTK_WIDGET (window), 2);
    }
  if (n_selects > 0)
    g_print ("select: %d images far apart, strips complete after median %.0f ms, worst %.0f ms\n",
             n_selects, bench_percentile_ms (times, 0.5), bench_percentile_ms (times, 1));
  watch_print (w, "select");
}

/* ---- the curator sorts ------------------------------------------------------------------- */

typedef struct {
  LkBrowserWindow *window;
  LkCuratorWindow *curator;
  LkSession       *session;
  guint            submitted;
  guint            stored;           /* phases stored in the file */
  guint            after;            /* grids sorted after the phase was shown */
  gint64           busy_since;
  GArray          *fold_us;          /* gint64: the worker's runs, busy to idle */
  GArray          *submit_us;        /* gint64: sorting a grid and Submit, on the main thread */
  GArray          *submit_cpu;
  guint            during_fold;      /* grids submitted while the worker was busy */
  guint            phase_refreshes;  /* the browser's refreshes when the phase came in */
  gboolean         shown;            /* the browser shows the stored phase */
  gint64           start;
  guint            phases_before;    /* phase rows in the file when sorting began */
  GError          *error;
} Sorting;

/* Returns how many phases the study file holds (through the browser's connection). */
static guint
count_phases (LkBrowserWindow *window)
{
  LkStore *store = lk_study_get_store (window->study);
  sqlite3_stmt *stmt = lk_store_prepare (store, "SELECT COUNT(*) FROM phase", NULL);
  guint n = 0;

  if (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW)
    n = sqlite3_column_int (stmt, 0);
  if (stmt != NULL)
    sqlite3_reset (stmt);

  return n;
}

static void
phase_stored_cb (LkCuratorWindow *curator,
                 Sorting         *s)
{
  guint phases = count_phases (s->window);

  /* A new snapshot; at the session's start, the worker's own starting point, not a phase. */
  g_print ("  a new snapshot after %u grids, %.1f s into sorting; the file holds %u phases\n",
           s->submitted, (g_get_monotonic_time () - s->start) / 1e6, phases);
  if (phases <= s->phases_before)
    return;
  s->stored++;
  s->phase_refreshes = lk_browser_window_get_n_refreshes (s->window);
}

static void
busy_cb (LkRefineWorker *worker,
         GParamSpec     *pspec,
         Sorting        *s)
{
  if (lk_refine_worker_get_busy (worker))
    s->busy_since = g_get_monotonic_time ();
  else
    {
      gint64 t = g_get_monotonic_time () - s->busy_since;

      g_array_append_val (s->fold_us, t);
      g_print ("  the refinement worker folded a phase in: %.1f s (%.1f s into sorting)\n",
               t / 1e6, (g_get_monotonic_time () - s->start) / 1e6);
    }
}

static gboolean
sort_grid_cb (gpointer data)
{
  Sorting *s = data;
  LkSortModel *model;
  gint64 t0 = g_get_monotonic_time (), c0 = bench_cpu_now (), t, c;

  if (lk_session_get_state (s->session) != LK_SESSION_SORTING)
    return G_SOURCE_CONTINUE;
  model = lk_session_get_model (s->session);
  for (guint p = 0; p < lk_sort_model_get_n_items (model); p++)
    lk_sort_model_move (model, p, p % lk_sort_model_get_nc (model));
  if (!lk_session_submit (s->session, &s->error))
    return G_SOURCE_REMOVE;
  t = g_get_monotonic_time () - t0;
  c = bench_cpu_now () - c0;
  g_array_append_val (s->submit_us, t);
  g_array_append_val (s->submit_cpu, c);
  s->submitted++;
  if (lk_refine_worker_get_busy (lk_session_get_refine_worker (s->session)))
    s->during_fold++;
  if (s->shown)
    s->after++;

  return G_SOURCE_CONTINUE;
}

static gboolean
curator_ready (LkCuratorWindow *curator)
{
  return !lk_curator_window_is_preparing (curator);
}

static void
sort_grids (LkBrowserWindow *window,
            guint            after,
            guint            pace_ms,
            Watch           *w)
{
  Sorting s = { 0 };
  guint timer;
  gint64 t_ready;

  watch_reset (w);
  s.window = window;
  s.fold_us = g_array_new (FALSE, FALSE, sizeof (gint64));
  s.submit_us = g_array_new (FALSE, FALSE, sizeof (gint64));
  s.submit_cpu = g_array_new (FALSE, FALSE, sizeof (gint64));
  if (!gtk_widget_activate_action (GTK_WIDGET (window), "browser.sort-grids", NULL))
    g_error ("could not open the curator's window");
  s.curator = (LkCuratorWindow *) lk_browser_window_get_curator (window);
  if (s.curator == NULL)
    g_error ("no curator's window (the study is read-only: %d, lent: %d)",
             lk_store_is_read_only (window->store), window->store_lent);
  while (!curator_ready (s.curator))
    g_main_context_iteration (NULL, TRUE);
  t_ready = g_get_monotonic_time () - w->start;
  s.session = lk_curator_window_get_session (s.curator);
  if (s.session == NULL)
    g_error ("no session: %s", lk_curator_window_get_error (s.curator));
  g_print ("sort: the curator's window replayed the study in %.1f s\n", t_ready / 1e6);
  watch_print (w, "opening Sort Grids");

  /* How many phases the file holds already (a reused study). */
  s.phases_before = count_phases (window);

  watch_reset (w);
  g_signal_connect (s.curator, "phase-stored", G_CALLBACK (phase_stored_cb), &s);
  g_signal_connect (lk_session_get_refine_worker (s.session), "notify::busy",
                    G_CALLBACK (busy_cb), &s);
  s.busy_since = s.start = w->start;
  if (lk_session_get_state (s.session) == LK_SESSION_INSTRUCTIONS)
    lk_session_begin (s.session);
  timer = g_timeout_add (pace_ms, sort_grid_cb, &s);
  while (s.after < after && s.error == NULL)
    {
      g_main_context_iteration (NULL, TRUE);
      if (lk_session_get_state (s.session) == LK_SESSION_DONE)
        g_error ("the budget was spent before a phase was shown");
      /* The phase is shown once the refresh its "phase-stored" started is back. */
      if (s.stored > 0 && !s.shown && lk_browser_window_get_n_refreshes (window) > s.phase_refreshes &&
          lk_browser_window_is_settled (window))
        {
          s.shown = TRUE;
          g_print ("  the learned strip shows the new phase %.1f s into sorting\n",
                   (g_get_monotonic_time () - w->start) / 1e6);
        }
      if (g_get_monotonic_time () - w->start > 1800 * G_USEC_PER_SEC)
        g_error ("no phase shown in 30 minutes");
    }
  g_source_remove (timer);
  if (s.error != NULL)
    g_error ("submit: %s", s.error->message);
  g_print ("sort: %u grids (%u while the worker folded the phase in; the file held %u phases "
           "before), a grid every %u ms; sorting and Submit on the main thread median %.1f ms, "
           "worst %.1f ms (CPU median %.1f, worst %.1f ms)\n", s.submitted, s.during_fold,
           s.phases_before, pace_ms, bench_percentile_ms (s.submit_us, 0.5),
           bench_percentile_ms (s.submit_us, 1), bench_percentile_ms (s.submit_cpu, 0.5),
           bench_percentile_ms (s.submit_cpu, 1));
  watch_print (w, "sort");
  g_signal_handlers_disconnect_by_data (lk_session_get_refine_worker (s.session), &s);
  g_signal_handlers_disconnect_by_data (s.curator, &s);
  g_array_unref (s.fold_us);
  g_array_unref (s.submit_us);
  g_array_unref (s.submit_cpu);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GOptionContext) context = g_option_context_new ("— a large collection in the app");
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *images = NULL;
  char *study = NULL;
  char *until = NULL;
  gboolean sort_only = FALSE;
  int count = 20000, max_pages = 0, n_selects = 20, grids = 30, after = 5, pace = 500;
  GOptionEntry entries[] = {
    { "count", 0, 0, G_OPTION_ARG_INT, &count, "Images (default 20000)", "N" },
    { "study", 0, 0, G_OPTION_ARG_FILENAME, &study, "Make the study once in FILE, then reuse it", "FILE" },
    { "pages", 0, 0, G_OPTION_ARG_INT, &max_pages, "Stop scrolling after N pages", "N" },
    { "selects", 0, 0, G_OPTION_ARG_INT, &n_selects, "Select N images (default 20)", "N" },
    { "grids", 0, 0, G_OPTION_ARG_INT, &grids, "Grids per phase (default 30)", "N" },
    { "after", 0, 0, G_OPTION_ARG_INT, &after, "Grids sorted after the phase is shown (default 5)", "N" },
    { "pace", 0, 0, G_OPTION_ARG_INT, &pace, "A grid every MS ms (default 500)", "MS" },
    { "sort-only", 0, 0, G_OPTION_ARG_NONE, &sort_only, "Skip scrolling and selecting", NULL },
    { "until", 0, 0, G_OPTION_ARG_STRING, &until, "Stop after first-screen, descriptors or select", "STEP" },
    { NULL }
  };
  LkBrowserWindow *window;
  Watch w = { 0 };
  double load[3] = { 0 };

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    g_error ("%s", error->message);
  if (count < 100 || grids < 1 || pace < 1)
    g_error ("--count must be at least 100, --grids and --pace at least 1");
  gtk_init ();
  adw_init ();
  if (getloadavg (load, 3) == 3)
    g_print ("load average at the start: %.2f %.2f %.2f (GSK_RENDERER=%s)\n", load[0], load[1],
             load[2], g_getenv ("GSK_RENDERER") != NULL ? g_getenv ("GSK_RENDERER") : "unset");
  if (study != NULL)
    {
      dir = g_path_get_dirname (study);
      path = g_strdup (study);
    }
  else
    {
      dir = g_dir_make_tmp ("lk-bench-collection-XXXXXX", NULL);
      path = g_build_filename (dir, "collection.likeness", NULL);
    }
  images = g_build_filename (dir, "images", NULL);
  g_timeout_add_full (G_PRIORITY_HIGH, 1, watchdog_cb, &w, NULL);
  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      if (g_file_test (images, G_FILE_TEST_EXISTS))
        g_error ("%s already has an images folder: give a file in a new folder", dir);
      generate (images, count);
      import (images, path, grids, &w);
    }
  else
    g_print ("reusing %s: no import; its descriptors are cached\n", path);
  /* The watchdog has run once: the gap of the window's construction counts. */
  while (w.last == 0)
    g_main_context_iteration (NULL, TRUE);

  window = open_browser (path, g_strcmp0 (until, "first-screen") == 0, &w);
  if (!sort_only && (until == NULL || g_strcmp0 (until, "select") == 0))
    {
      scroll (window, max_pages, &w);
      select_images (window, n_selects, &w);
    }
  if (until == NULL)
    sort_grids (window, after, pace, &w);

  gtk_window_destroy (GTK_WINDOW (window));
  while (g_main_context_pending (NULL))
    g_main_context_iteration (NULL, FALSE);
  if (getloadavg (load, 3) == 3)
    g_print ("load average at the end: %.2f %.2f %.2f\n", load[0], load[1], load[2]);
  if (study == NULL)
    remove_tree (dir);

  return 0;
}
