/* bench-ui-stall.c — the worst main-loop stall during a whole demo run with the experimenter
 * window open (issue 5: "no main-loop stall over 20 ms")
 *
 *   xvfb-run -a -s '-screen 0 1400x900x24' env GSK_RENDERER=cairo GTK_A11Y=none \
 *     GSETTINGS_SCHEMA_DIR=_build/data GSETTINGS_BACKEND=memory \
 *     _build/bench/bench-ui-stall [N] [budget] [phases] [grids-per-second]
 *
 * Defaults: N = 2000 colours, budget 2000, 5 phases, 100 grids per second. Simulated participants
 * answer through the LkRefineWorker while the window draws every view. A 1 ms watchdog timeout on
 * the main loop records the longest gap between its runs beyond its period (the stall), and the
 * window's frame clock records the longest interval between painted frames. Also printed: the
 * refiner copy on the main thread at the end of the run, and the time to draw the embedding view.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <stdlib.h>
#include <adwaita.h>

#include "lk-embedding-view.h"
#include "lk-experimenter-window.h"

typedef struct {
  gint64  last;
  gint64  worst;
  gint64  worst_at;
  gint64  last_frame;
  gint64  worst_frame;
  guint   n_frames;
  gint64  start;
} Watch;

static gboolean
watchdog_cb (gpointer data)
{
  Watch *w = data;
  gint64 now = g_get_monotonic_time ();

  if (w->last != 0 && now - w->last - 1000 > w->worst)
    {
      w->worst = now - w->last - 1000;
      w->worst_at = now - w->start;
    }
  w->last = now;

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

int
main (int    argc,
      char **argv)
{
  guint n = argc > 1 ? atoi (argv[1]) : 2000;
  guint budget = argc > 2 ? atoi (argv[2]) : 2000;
  guint phases = argc > 3 ? atoi (argv[3]) : 5;
  double pace = argc > 4 ? g_ascii_strtod (argv[4], NULL) : 100;
  g_autofree char *spec = g_strdup_printf ("colors:%u", n);
  g_autoptr(LkDemoRun) demo = NULL;
  g_autoptr(GError) error = NULL;
  LkExperimenterWindow *window;
  LkRefineWorker *worker;
  GtkWidget *view;
  Watch w = { 0 };
  LkParams params;
  gint64 t0, t_copy, t_draw;

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

  window = lk_experimenter_window_new ();
  lk_experimenter_window_set_demo (window, demo, NULL);
  lk_demo_run_set_pace (demo, pace);
  gtk_window_present (GTK_WINDOW (window));
  view = lk_experimenter_window_get_view (window, "embedding");
  while (lk_refine_worker_get_snapshot (worker) == NULL || !gtk_widget_get_mapped (view))
    g_main_context_iteration (NULL, TRUE);
  lk_experimenter_window_select (window, 17);

  w.start = g_get_monotonic_time ();
  g_timeout_add_full (G_PRIORITY_HIGH, 1, watchdog_cb, &w, NULL);
  gtk_widget_add_tick_callback (view, frame_cb, &w, NULL);
  lk_demo_run_start (demo);
  while (!lk_demo_run_is_done (demo))
    g_main_context_iteration (NULL, TRUE);
  /* The last transition. */
  t0 = g_get_monotonic_time ();
  while (g_get_monotonic_time () - t0 < 600000)
    g_main_context_iteration (NULL, TRUE);

  t0 = g_get_monotonic_time ();
  {
    LkRefiner *copy = lk_refiner_copy (lk_refine_worker_get_refiner (worker));

    t_copy = g_get_monotonic_time () - t0;
    lk_refiner_free (copy);
  }
  {
    cairo_surface_t *s = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 700, 430);
    cairo_t *cr = cairo_create (s);

    t0 = g_get_monotonic_time ();
    for (int i = 0; i < 10; i++)
      lk_cairo_view_render (LK_CAIRO_VIEW (view), cr, 700, 430);
    cairo_surface_flush (s);
    t_draw = (g_get_monotonic_time () - t0) / 10;
    cairo_destroy (cr);
    cairo_surface_destroy (s);
  }

  g_print ("N = %u, budget %u, %u phases, %.0f grids/s: %u answers, %u grids drawn on the spot, "
           "%u snapshots, %.1f s\n",
           n, budget, phases, pace, lk_refine_worker_get_n_answers (worker),
           lk_refine_worker_get_n_drawn (worker),
           lk_refine_worker_get_snapshots (worker)->len, (g_get_monotonic_time () - w.start) / 1e6);
  g_print ("worst main-loop stall: %.1f ms (at %.1f s)\n", w.worst / 1000.0, w.worst_at / 1e6);
  g_print ("worst frame interval: %.1f ms over %u frames (GSK_RENDERER=%s)\n",
           w.worst_frame / 1000.0, w.n_frames, g_getenv ("GSK_RENDERER") ? g_getenv ("GSK_RENDERER") : "default");
  g_print ("refiner copy on the main thread at the end: %.1f ms; embedding view draw (700x430, "
           "%u thumbnails): %.1f ms\n", t_copy / 1000.0, n, t_draw / 1000.0);

  gtk_window_destroy (GTK_WINDOW (window));

  return 0;
}
