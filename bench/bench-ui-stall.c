/* bench-ui-stall.c — the worst main-loop stall during a whole demo run with the experimenter
 * window open (the goal: no main-loop stall over 20 ms)
 *
 *   xvfb-run -a -s '-screen 0 1400x900x24' env GSK_RENDERER=cairo GTK_A11Y=none \
 *     GSETTINGS_SCHEMA_DIR=_build/data GSETTINGS_BACKEND=memory \
 *     _build/bench/bench-ui-stall [N] [budget] [phases] [grids-per-second] [colors|blobs]
 *
 * Defaults: N = 2000 colours, budget 2000, 5 phases, 100 grids per second; `blobs` has labels,
 * so the cluster heatmap is drawn too. Simulated participants answer through the LkRefineWorker
 * (at the demo run's own pace, at most 4 grids per 16 ms tick) while the window draws every
 * view; the bench also asks for a new frame of the embedding view on every frame clock tick.
 * A 1 ms watchdog timeout on the main loop records the longest gap between its runs beyond its
 * period (the stall), and the window's frame clock the longest interval between frames.
 *
 * On a shared machine those wall-clock figures mostly measure the scheduler: a process that
 * waits for a core waits for it whatever it does. So the main thread's own CPU time
 * (CLOCK_THREAD_CPUTIME_ID) is reported as well: in the busiest gap between watchdog runs, per
 * frame (before-paint to after-paint; median, p99, max, and the first frame after each
 * snapshot swap), per demo step (the answers, and at a phase boundary the worker's start of a
 * run, which copies the refiner on the main thread) and in the snapshot swap's handlers. At the
 * end: the refiner copy alone, and each view's draw on screen (its raster layer made again, as
 * in a transition) and as an export (vector).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <stdlib.h>
#include <adwaita.h>

#include "bench-clock.h"
#include "lk-embedding-view.h"
#include "lk-embedding-view-private.h"
#include "lk-experimenter-window.h"
#include "lk-experimenter-window-private.h"
#include "lk-refine-worker-private.h"

typedef struct {
  gint64  last;
  gint64  last_cpu;
  gint64  worst;
  gint64  worst_cpu;
  gint64  worst_at;
  gint64  last_frame;
  gint64  worst_frame;
  guint   n_frames;
  gint64  start;
  /* Where the main thread's time goes: the longest of each kind of work (wall, CPU). */
  gint64  paint_start, paint_start_cpu, worst_paint, worst_paint_cpu;
  gint64  worst_step, worst_step_cpu;
  gint64  swap_start, swap_start_cpu, worst_swap, worst_swap_cpu;
  GArray *stalls;   /* gint64 wall stalls over 5 ms */
  GArray *paint_cpu;   /* gint64 main-thread CPU time of each frame */
  gboolean swapped;    /* a snapshot came in since the last frame */
  gint64  swap_end_cpu;
  gint64  worst_finish_cpu;   /* from the watchdog's last run to the worker's busy = FALSE */
  gint64  worst_restart_cpu;  /* from the swap's handlers to busy = TRUE in the same dispatch */
  gint64  worst_swap_frame_cpu;   /* of the first frames after a swap */
} Watch;

static gboolean
watchdog_cb (gpointer data)
{
  Watch *w = data;
  gint64 now = g_get_monotonic_time (), cpu = bench_cpu_now ();

  if (w->last != 0 && now - w->last - 1000 > w->worst)
    {
      w->worst = now - w->last - 1000;
      w->worst_at = now - w->start;
    }
  if (w->last != 0 && now - w->last - 1000 > 5000)
    {
      gint64 stall = now - w->last - 1000;

      g_array_append_val (w->stalls, stall);
    }
  if (w->last != 0)
    w->worst_cpu = MAX (w->worst_cpu, cpu - w->last_cpu);
  w->last = now;
  w->last_cpu = cpu;

  return G_SOURCE_CONTINUE;
}

static gboolean
frame_cb (GtkWidget     *widget,
          GdkFrameClock *clock,
          gpointer       data)
{
  Watch *w = data;
  gint64 now = g_get_monotonic_time ();

  if (w->last_frame != 0)
    w->worst_frame = MAX (w->worst_frame, now - w->last_frame);
  w->last_frame = now;
  w->n_frames++;
  gtk_widget_queue_draw (widget);

  return G_SOURCE_CONTINUE;
}

static void
before_paint_cb (GdkFrameClock *clock,
                 Watch         *w)
{
  w->paint_start = g_get_monotonic_time ();
  w->paint_start_cpu = bench_cpu_now ();
}

static void
after_paint_cb (GdkFrameClock *clock,
                Watch         *w)
{
  if (w->paint_start == 0)
    return;
  w->worst_paint = MAX (w->worst_paint, g_get_monotonic_time () - w->paint_start);
  w->worst_paint_cpu = MAX (w->worst_paint_cpu, bench_cpu_now () - w->paint_start_cpu);
  {
    gint64 cpu = bench_cpu_now () - w->paint_start_cpu;

    g_array_append_val (w->paint_cpu, cpu);
    if (w->swapped)
      w->worst_swap_frame_cpu = MAX (w->worst_swap_frame_cpu, cpu);
    w->swapped = FALSE;
  }
}

static void
swap_begin_cb (LkRefineWorker *worker,
               GParamSpec     *pspec,
               Watch          *w)
{
  w->swap_start = g_get_monotonic_time ();
  w->swap_start_cpu = bench_cpu_now ();
}

static void
swap_end_cb (LkRefineWorker *worker,
             GParamSpec     *pspec,
             Watch          *w)
{
  w->worst_swap = MAX (w->worst_swap, g_get_monotonic_time () - w->swap_start);
  w->worst_swap_cpu = MAX (w->worst_swap_cpu, bench_cpu_now () - w->swap_start_cpu);
  w->swapped = TRUE;
  w->swap_end_cpu = bench_cpu_now ();
}

/* Inside lk_refine_worker_run_phase_finish(), busy goes FALSE after the old refiner is freed and
 * the answers held during the run are added; if those complete the next batch, the next run
 * starts in the same dispatch, with a copy of the refiner, and busy goes TRUE again. */
static void
busy_cb (LkRefineWorker *worker,
         GParamSpec     *pspec,
         Watch          *w)
{
  gint64 cpu = bench_cpu_now ();

  if (!lk_refine_worker_get_busy (worker))
    w->worst_finish_cpu = MAX (w->worst_finish_cpu, cpu - w->last_cpu);
  else if (w->swap_end_cpu != 0 && w->last_cpu <= w->swap_end_cpu)
    /* The watchdog has not run since the swap: the same dispatch. */
    w->worst_restart_cpu = MAX (w->worst_restart_cpu, cpu - w->swap_end_cpu);
  if (lk_refine_worker_get_busy (worker))
    w->swap_end_cpu = 0;
}

/* The demo run's own pacing (lk-demo-run.c's timer_cb: at most 4 grids per 16 ms tick), timed:
 * a step is the simulated participants' answers plus, at a phase boundary, the worker's start
 * of a run (its copy of the refiner, on the main thread). */
typedef struct {
  LkDemoRun *demo;
  Watch     *w;
  double     pace, due;
  gint64     last_us;
} Pacer;

static gboolean
pacer_cb (gpointer data)
{
  Pacer *p = data;
  gint64 now = g_get_monotonic_time (), t0, c0;
  guint n;

  p->due += p->pace * (now - p->last_us) / 1e6;
  p->last_us = now;
  n = (guint) MIN (p->due, 4.0);
  p->due -= n;
  if (n > 0)
    {
      t0 = g_get_monotonic_time ();
      c0 = bench_cpu_now ();
      lk_demo_run_step (p->demo, n);
      p->w->worst_step = MAX (p->w->worst_step, g_get_monotonic_time () - t0);
      p->w->worst_step_cpu = MAX (p->w->worst_step_cpu, bench_cpu_now () - c0);
    }

  return lk_demo_run_is_done (p->demo) ? G_SOURCE_REMOVE : G_SOURCE_CONTINUE;
}

int
main (int    argc,
      char **argv)
{
  guint n = argc > 1 ? atoi (argv[1]) : 2000;
  guint budget = argc > 2 ? atoi (argv[2]) : 2000;
  guint phases = argc > 3 ? atoi (argv[3]) : 5;
  double pace = argc > 4 ? g_ascii_strtod (argv[4], NULL) : 100;
  const char *family = argc > 5 ? argv[5] : "colors";
  g_autofree char *spec = g_strdup_printf ("%s:%u", family, n);
  g_autoptr(LkDemoRun) demo = NULL;
  g_autoptr(GError) error = NULL;
  LkExperimenterWindow *window;
  LkRefineWorker *worker;
  GtkWidget *view;
  Watch w = { 0 };
  Pacer pacer = { 0 };
  LkParams params;
  gint64 t0, t_copy, t_copy_cpu, t_add_cpu, t_free_cpu, t_draw;

  gtk_init ();
  adw_init ();

  lk_params_init (&params);
  params.budget = budget;
  params.phases = phases;
  params.seed = 1;
  demo = lk_demo_run_new (spec, &params, lk_method_paper, &error);
  if (demo == NULL)
    g_error ("%s", error->message);
  worker = lk_demo_run_get_worker (demo);
  lk_demo_run_set_pace (demo, pace);

  w.stalls = g_array_new (FALSE, FALSE, sizeof (gint64));
  w.paint_cpu = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_signal_connect (worker, "notify::snapshot", G_CALLBACK (swap_begin_cb), &w);
  window = lk_experimenter_window_new ();
  lk_experimenter_window_set_demo (window, demo, NULL);
  lk_demo_run_set_pace (demo, pace);
  gtk_window_present (GTK_WINDOW (window));
  view = lk_experimenter_window_get_view (window, "embedding");
  while (lk_refine_worker_get_snapshot (worker) == NULL || !gtk_widget_get_mapped (view))
    g_main_context_iteration (NULL, TRUE);
  lk_experimenter_window_select (window, 17);
  g_signal_connect_after (worker, "notify::snapshot", G_CALLBACK (swap_end_cb), &w);
  g_signal_connect (worker, "notify::busy", G_CALLBACK (busy_cb), &w);
  g_signal_connect (gtk_widget_get_frame_clock (view), "before-paint",
                    G_CALLBACK (before_paint_cb), &w);
  g_signal_connect_after (gtk_widget_get_frame_clock (view), "after-paint",
                          G_CALLBACK (after_paint_cb), &w);

  w.start = g_get_monotonic_time ();
  g_timeout_add_full (G_PRIORITY_HIGH, 1, watchdog_cb, &w, NULL);
  gtk_widget_add_tick_callback (view, frame_cb, &w, NULL);
  pacer.demo = demo;
  pacer.w = &w;
  pacer.pace = pace;
  pacer.last_us = g_get_monotonic_time ();
  g_timeout_add (16, pacer_cb, &pacer);
  while (!lk_demo_run_is_done (demo))
    g_main_context_iteration (NULL, TRUE);
  /* The last transition. */
  t0 = g_get_monotonic_time ();
  while (g_get_monotonic_time () - t0 < 600000)
    g_main_context_iteration (NULL, TRUE);

  t0 = g_get_monotonic_time ();
  {
    gint64 c0 = bench_cpu_now ();
    LkRefiner *copy = lk_refiner_copy (lk_refine_worker_get_refiner (worker));

    const GPtrArray *answers = lk_refiner_get_answers (copy);

    t_copy = g_get_monotonic_time () - t0;
    t_copy_cpu = bench_cpu_now () - c0;
    /* What the swap-in does besides: add the answers held during the run (here, the first 100
     * answers again, to the copy), and free the old refiner. */
    c0 = bench_cpu_now ();
    for (guint i = 0; i < MIN (100, answers->len); i++)
      lk_refiner_add_answer (copy, g_ptr_array_index (answers, i));
    t_add_cpu = bench_cpu_now () - c0;
    c0 = bench_cpu_now ();
    lk_refiner_free (copy);
    t_free_cpu = bench_cpu_now () - c0;
  }
  {
    static const char *const names[] = { "embedding", "cooccurrence", "knn", "convergence",
                                         "progress", "heatmap" };

    g_print ("view draws at their size, on screen / as an export (ms):");
    for (guint v = 0; v < G_N_ELEMENTS (names); v++)
      {
        GtkWidget *widget = lk_experimenter_window_get_view (window, names[v]);
        int vw = MAX (gtk_widget_get_width (widget), 1), vh = MAX (gtk_widget_get_height (widget), 1);
        cairo_surface_t *s = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, vw, vh);
        cairo_t *cr = cairo_create (s);
        gint64 t_screen;

        /* On screen: the layer is made again each time, as during a transition or a pan. */
        t0 = g_get_monotonic_time ();
        for (int i = 0; i < 10; i++)
          {
            if (LK_IS_EMBEDDING_VIEW (widget))
              lk_embedding_view_invalidate (LK_EMBEDDING_VIEW (widget));
            lk_cairo_view_render_screen (LK_CAIRO_VIEW (widget), cr, vw, vh, 1);
          }
        cairo_surface_flush (s);
        t_screen = (g_get_monotonic_time () - t0) / 10;
        t0 = g_get_monotonic_time ();
        for (int i = 0; i < 10; i++)
          lk_cairo_view_render (LK_CAIRO_VIEW (widget), cr, vw, vh);
        cairo_surface_flush (s);
        t_draw = (g_get_monotonic_time () - t0) / 10;
        if (widget == view)
          g_print (" %s %dx%d %.2f / %.2f", names[v], vw, vh, t_screen / 1000.0, t_draw / 1000.0);
        else
          g_print (" %s %.2f / %.2f", names[v], t_screen / 1000.0, t_draw / 1000.0);
        cairo_destroy (cr);
        cairo_surface_destroy (s);
      }
    g_print ("\n");
  }

  g_print ("N = %u, budget %u, %u phases, %.0f grids/s: %u answers, %u grids drawn on the spot, "
           "%u snapshots, %.1f s\n",
           n, budget, phases, pace, lk_refine_worker_get_n_answers (worker),
           lk_refine_worker_get_n_drawn (worker),
           lk_refine_worker_get_snapshots (worker)->len, (g_get_monotonic_time () - w.start) / 1e6);
  g_print ("worst main-loop stall: %.1f ms (at %.1f s)\n", w.worst / 1000.0, w.worst_at / 1e6);
  g_array_sort (w.stalls, bench_compare_gint64);
  g_print ("main-thread CPU time in the busiest gap: %.1f ms; stalls over 5 ms: %u, the longest:",
           w.worst_cpu / 1000.0, w.stalls->len);
  for (guint i = w.stalls->len > 5 ? w.stalls->len - 5 : 0; i < w.stalls->len; i++)
    g_print (" %.1f", g_array_index (w.stalls, gint64, i) / 1000.0);
  g_print (" ms\n");
  g_print ("longest (wall / main-thread CPU): frame update+layout+paint %.1f / %.1f ms; "
           "demo step (answers, run start) %.1f / %.1f ms; snapshot swap handlers %.1f / %.1f ms\n",
           w.worst_paint / 1000.0, w.worst_paint_cpu / 1000.0, w.worst_step / 1000.0,
           w.worst_step_cpu / 1000.0, w.worst_swap / 1000.0, w.worst_swap_cpu / 1000.0);
  g_array_sort (w.paint_cpu, bench_compare_gint64);
  if (w.paint_cpu->len > 0)
    g_print ("main-thread CPU time per frame: median %.2f ms, p99 %.2f ms, max %.2f ms "
             "(the first frame after a snapshot swap: at most %.2f ms)\n",
             g_array_index (w.paint_cpu, gint64, w.paint_cpu->len / 2) / 1000.0,
             g_array_index (w.paint_cpu, gint64, (w.paint_cpu->len - 1) * 99 / 100) / 1000.0,
             g_array_index (w.paint_cpu, gint64, w.paint_cpu->len - 1) / 1000.0,
             w.worst_swap_frame_cpu / 1000.0);
  g_print ("in lk_refine_worker_run_phase_finish(), main-thread CPU: up to the swap (old refiner "
           "freed, held answers added) at most %.1f ms; a run started right after it (refiner "
           "copy) at most %.1f ms\n", w.worst_finish_cpu / 1000.0, w.worst_restart_cpu / 1000.0);
  g_print ("worst frame interval: %.1f ms over %u frames (GSK_RENDERER=%s)\n",
           w.worst_frame / 1000.0, w.n_frames, g_getenv ("GSK_RENDERER") ? g_getenv ("GSK_RENDERER") : "default");
  g_print ("refiner copy (each run makes one, on its own thread; timed here on the main one) at "
           "the end: %.1f ms wall, %.1f ms CPU; adding 100 answers to it %.1f ms CPU, freeing it "
           "%.1f ms CPU\n", t_copy / 1000.0, t_copy_cpu / 1000.0, t_add_cpu / 1000.0,
           t_free_cpu / 1000.0);

  gtk_window_destroy (GTK_WINDOW (window));

  return 0;
}
