/* bench-embedding-pan.c — frames per second of the embedding view while it pans (the goal: the
 * embedding view draws 2000 thumbnails at 60 frames per second while panning)
 *
 *   xvfb-run -a -s '-screen 0 1280x800x24 -nolisten tcp' env GSK_RENDERER=cairo GTK_A11Y=none \
 *     GSETTINGS_SCHEMA_DIR=_build/data GSETTINGS_BACKEND=memory \
 *     _build/bench/bench-embedding-pan [N] [seconds] [colours|images] [zoom]
 *
 * Defaults: N = 2000, 5 s, colour thumbnails (the demo's), zoom 2 (so that some thumbnails lie
 * off the view). `images` gives every item a picture thumbnail instead (the letters demo's
 * images, cycled, made into 64-pixel thumbnails before the clock starts), as a study's would be.
 * The experimenter window shows the demo study's first snapshot; a tick callback on the
 * embedding view moves the pan offset along a circle of 120 pixels, one turn a second, every
 * frame, as a drag would. Reported: frames per second over the run, and the intervals between
 * frames (the frame clock's frame times) and the main thread's CPU time per frame (from the
 * frame clock's before-paint to after-paint), as percentiles. The GDK X11 frame clock paces
 * frames at 60 per second at most, so 60 is the ceiling. GSK_RENDERER=gl (Mesa llvmpipe under
 * Xvfb) works too.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <adwaita.h>

#include "lk-demo-collection.h"
#include "bench-clock.h"
#include "lk-embedding-view.h"
#include "lk-embedding-view-private.h"
#include "lk-experimenter-window.h"
#include "lk-experimenter-window-private.h"

/* A collection of @n items whose pictures are the letters demo's, over and over. */
#define BENCH_TYPE_SOURCE (bench_source_get_type ())
G_DECLARE_FINAL_TYPE (BenchSource, bench_source, BENCH, SOURCE, GObject)

struct _BenchSource
{
  GObject        parent_instance;
  LkImageSource *inner;
  guint          n;
};

static void bench_source_iface_init (LkImageSourceInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (BenchSource, bench_source, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (LK_TYPE_IMAGE_SOURCE,
                                                      bench_source_iface_init))

static guint
bench_source_get_n_items (LkImageSource *source)
{
  return BENCH_SOURCE (source)->n;
}

static GdkTexture *
bench_source_dup_texture (LkImageSource *source,
                          guint          item)
{
  BenchSource *self = BENCH_SOURCE (source);

  return lk_image_source_dup_texture (self->inner, item % lk_image_source_get_n_items (self->inner));
}

static char *
bench_source_dup_title (LkImageSource *source,
                        guint          item)
{
  return g_strdup_printf ("%u", item);
}

static void
bench_source_iface_init (LkImageSourceInterface *iface)
{
  iface->get_n_items = bench_source_get_n_items;
  iface->dup_texture = bench_source_dup_texture;
  iface->dup_title = bench_source_dup_title;
}

static void
bench_source_finalize (GObject *object)
{
  g_clear_object (&BENCH_SOURCE (object)->inner);
  G_OBJECT_CLASS (bench_source_parent_class)->finalize (object);
}

static void
bench_source_class_init (BenchSourceClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = bench_source_finalize;
}

static void
bench_source_init (BenchSource *self)
{
}

typedef struct {
  LkEmbeddingView *view;
  double           zoom;
  gint64           start;      /* frame time of the first panned frame */
  gint64           last;
  gint64           duration;
  GArray          *intervals;  /* gint64, between successive frames */
  GArray          *cpu;        /* gint64, main-thread CPU time per frame */
  gint64           paint_cpu;
  gboolean         done;
} Pan;

static gboolean
pan_tick_cb (GtkWidget     *widget,
             GdkFrameClock *clock,
             gpointer       data)
{
  Pan *p = data;
  gint64 now = gdk_frame_clock_get_frame_time (clock);
  double a;

  if (p->start == 0)
    p->start = now;
  else
    {
      gint64 d = now - p->last;

      g_array_append_val (p->intervals, d);
    }
  p->last = now;
  if (now - p->start >= p->duration)
    {
      p->done = TRUE;
      return G_SOURCE_REMOVE;
    }
  a = 2 * G_PI * (now - p->start) / 1e6;
  lk_embedding_view_set_view (p->view, p->zoom, 120 * cos (a), 120 * sin (a));

  return G_SOURCE_CONTINUE;
}

static void
before_paint_cb (GdkFrameClock *clock,
                 Pan           *p)
{
  p->paint_cpu = bench_cpu_now ();
}

static void
after_paint_cb (GdkFrameClock *clock,
                Pan           *p)
{
  gint64 d = bench_cpu_now () - p->paint_cpu;

  if (p->start != 0 && !p->done)
    g_array_append_val (p->cpu, d);
}

static gboolean
wake_cb (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

int
main (int    argc,
      char **argv)
{
  guint n = argc > 1 ? atoi (argv[1]) : 2000;
  double seconds = argc > 2 ? g_ascii_strtod (argv[2], NULL) : 5;
  gboolean images = argc > 3 && g_str_equal (argv[3], "images");
  double zoom = argc > 4 ? g_ascii_strtod (argv[4], NULL) : 2;
  g_autofree char *spec = g_strdup_printf ("colors:%u", n);
  g_autoptr(LkDemoRun) demo = NULL;
  g_autoptr(LkThumbs) thumbs = NULL;
  g_autoptr(GError) error = NULL;
  LkExperimenterWindow *window;
  GdkFrameClock *clock;
  GtkWidget *view;
  Pan p = { 0 };
  LkParams params;
  gint64 t0;
  guint wake_id;

  gtk_init ();
  adw_init ();

  lk_params_init (&params);
  params.seed = 1;
  demo = lk_demo_run_new (spec, &params, lk_method_paper, &error);
  if (demo == NULL)
    g_error ("%s", error->message);

  /* So that the waits below wake up even when nothing else happens. */
  wake_id = g_timeout_add (10, wake_cb, NULL);
  window = lk_experimenter_window_new ();
  lk_experimenter_window_set_demo (window, demo, NULL);
  gtk_window_present (GTK_WINDOW (window));
  view = lk_experimenter_window_get_view (window, "embedding");
  if (images)
    {
      g_autoptr(BenchSource) source = g_object_new (BENCH_TYPE_SOURCE, NULL);

      source->inner = LK_IMAGE_SOURCE (lk_demo_collection_new ("letters", &error));
      if (source->inner == NULL)
        g_error ("%s", error->message);
      source->n = n;
      t0 = g_get_monotonic_time ();
      thumbs = lk_thumbs_new_from_source (LK_IMAGE_SOURCE (source), 64);
      g_print ("%u picture thumbnails made in %.2f s\n", n, (g_get_monotonic_time () - t0) / 1e6);
      lk_embedding_view_set_thumbs (LK_EMBEDDING_VIEW (view), thumbs);
    }
  while (lk_refine_worker_get_snapshot (lk_demo_run_get_worker (demo)) == NULL
         || !gtk_widget_get_mapped (view))
    g_main_context_iteration (NULL, TRUE);
  lk_experimenter_window_select (window, 17);
  /* Let the first transition end. */
  t0 = g_get_monotonic_time ();
  while (g_get_monotonic_time () - t0 < 700000)
    g_main_context_iteration (NULL, TRUE);

  g_source_remove (wake_id);
  p.view = LK_EMBEDDING_VIEW (view);
  p.zoom = zoom;
  p.duration = (gint64) (seconds * G_USEC_PER_SEC);
  p.intervals = g_array_new (FALSE, FALSE, sizeof (gint64));
  p.cpu = g_array_new (FALSE, FALSE, sizeof (gint64));
  clock = gtk_widget_get_frame_clock (view);
  g_signal_connect (clock, "before-paint", G_CALLBACK (before_paint_cb), &p);
  g_signal_connect_after (clock, "after-paint", G_CALLBACK (after_paint_cb), &p);
  gtk_widget_add_tick_callback (view, pan_tick_cb, &p, NULL);
  while (!p.done)
    g_main_context_iteration (NULL, TRUE);

  g_print ("N = %u %s thumbnails, zoom %.1f, view %dx%d, GSK_RENDERER=%s: %u frames in %.2f s, "
           "%.1f frames per second\n",
           n, images ? "picture" : "colour", zoom, gtk_widget_get_width (view),
           gtk_widget_get_height (view),
           g_getenv ("GSK_RENDERER") != NULL ? g_getenv ("GSK_RENDERER") : "default",
           p.intervals->len, (p.last - p.start) / 1e6,
           p.intervals->len / ((p.last - p.start) / 1e6));
  g_print ("frame interval (ms): median %.1f, p95 %.1f, p99 %.1f, max %.1f\n",
           bench_percentile_ms (p.intervals, 0.5), bench_percentile_ms (p.intervals, 0.95),
           bench_percentile_ms (p.intervals, 0.99), bench_percentile_ms (p.intervals, 1));
  g_print ("main-thread CPU time per frame (ms): median %.2f, p95 %.2f, p99 %.2f, max %.2f\n",
           bench_percentile_ms (p.cpu, 0.5), bench_percentile_ms (p.cpu, 0.95),
           bench_percentile_ms (p.cpu, 0.99), bench_percentile_ms (p.cpu, 1));

  g_array_unref (p.intervals);
  g_array_unref (p.cpu);
  gtk_window_destroy (GTK_WINDOW (window));

  return 0;
}
