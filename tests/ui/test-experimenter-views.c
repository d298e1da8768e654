/* test-experimenter-views.c — the experimenter's Cairo views render what they should
 *
 * Each view is drawn into an image surface of known size and pixels are checked: the selected
 * image's highlight at its projected place, its neighbours' colours in the k-NN strip, the
 * co-occurrence classes; and every view saves as PNG, SVG and PDF. The embedding views are
 * checked both as exported (vector drawing) and as on screen (their raster layer).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <math.h>

#include "lk-charts.h"
#include "lk-cluster-heatmap-view.h"
#include "lk-cluster-heatmap-view-private.h"
#include "lk-demo-collection.h"
#include "lk-demo-run.h"
#include "lk-embedding-view.h"
#include "lk-embedding-view-private.h"
#include "lk-experimenter-window.h"
#include "lk-experimenter-window-private.h"
#include "lk-knn-view.h"
#include "lk-knn-view-private.h"
#include "lk-metrics.h"
#include "lk-metrics-private.h"
#include "lk-rng.h"
#include "lk-snapshot-private.h"
#include "lk-ui-test.h"

#define W 400
#define H 300

/* Returns a demo run of colors:300 two phases in. */
static LkDemoRun *
demo_two_phases (void)
{
  g_autoptr(GError) error = NULL;
  LkDemoRun *demo;
  LkParams params;

  lk_params_init (&params);
  params.budget = 150;
  params.phases = 3;
  params.iterations = 50;
  params.seed = 4;
  demo = lk_demo_run_new ("colors:300", &params, lk_method_paper, &error);
  g_assert_no_error (error);
  lk_ui_test_wait_worker (lk_demo_run_get_worker (demo));
  for (guint p = 0; p < 2; p++)
    {
      lk_demo_run_step (demo, 50);
      lk_ui_test_wait_worker (lk_demo_run_get_worker (demo));
    }
  g_assert_cmpuint (lk_refine_worker_get_snapshots (lk_demo_run_get_worker (demo))->len, ==, 3);

  return demo;
}

/* Returns the RGB of pixel (x, y) of an ARGB32 surface, as 0..255 each. */
static void
pixel (cairo_surface_t *surface,
       int              x,
       int              y,
       guint           *r,
       guint           *g,
       guint           *b)
{
  guint32 v;

  cairo_surface_flush (surface);
  v = *(guint32 *) (cairo_image_surface_get_data (surface)
                    + y * cairo_image_surface_get_stride (surface) + 4 * x);
  *r = (v >> 16) & 0xff;
  *g = (v >> 8) & 0xff;
  *b = v & 0xff;
}

/* Whether render() draws as on screen (lk_cairo_view_render_screen()) or as an export; set by
 * the tests that run both ways, and set back to FALSE when they end. */
static gboolean on_screen;

/* Asserts that (r, g, b) is item @item's colour in the snapshot's features, within 1. */
static void
assert_item_colour (LkSnapshot *snapshot,
                    guint       item,
                    guint       r,
                    guint       g,
                    guint       b)
{
  guint dim;
  const double *f = lk_snapshot_get_features (snapshot, &dim) + (gsize) item * dim;

  g_assert_cmpint (ABS ((int) r - (int) (f[0] * 255 + 0.5)), <=, 1);
  g_assert_cmpint (ABS ((int) g - (int) (f[1] * 255 + 0.5)), <=, 1);
  g_assert_cmpint (ABS ((int) b - (int) (f[2] * 255 + 0.5)), <=, 1);
}

static cairo_surface_t *
render (GtkWidget *view)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, W, H);
  cairo_t *cr = cairo_create (surface);

  if (on_screen)
    lk_cairo_view_render_screen (LK_CAIRO_VIEW (view), cr, W, H, 1);
  else
    lk_cairo_view_render (LK_CAIRO_VIEW (view), cr, W, H);
  g_assert_cmpint (cairo_status (cr), ==, CAIRO_STATUS_SUCCESS);
  cairo_destroy (cr);

  return surface;
}

/* The selected image is drawn on a highlight square at its projected position. */
static void
test_embedding_selected (gconstpointer data)
{
  g_autoptr(LkDemoRun) demo = demo_two_phases ();
  LkSnapshot *snapshot = lk_refine_worker_get_snapshot (lk_demo_run_get_worker (demo));
  GtkWidget *view = g_object_ref_sink (lk_embedding_view_new (FALSE));
  cairo_surface_t *surface;
  double x, y, size;
  guint r, g, b;

  lk_embedding_view_set_snapshot (LK_EMBEDDING_VIEW (view), snapshot, FALSE);
  lk_embedding_view_set_thumbs (LK_EMBEDDING_VIEW (view), lk_demo_run_get_thumbs (demo));
  lk_embedding_view_set_selected (LK_EMBEDDING_VIEW (view), 42);
  on_screen = GPOINTER_TO_INT (data);
  g_assert_true (lk_embedding_view_item_position (LK_EMBEDDING_VIEW (view), 42, W, H, &x, &y));
  g_assert_cmpfloat (x, >, 0);
  g_assert_cmpfloat (x, <, W);
  g_assert_cmpfloat (y, >, 0);
  g_assert_cmpfloat (y, <, H);
  surface = render (view);

  /* The highlight frame: 3 px outside the enlarged thumbnail (edge >= 14 px). */
  size = 14;
  pixel (surface, (int) x, (int) (y - size / 2 - 1.5), &r, &g, &b);
  g_assert_cmpuint (r, ==, 224);
  g_assert_cmpuint (g, ==, 27);
  g_assert_cmpuint (b, ==, 36);
  /* Its centre shows the item's own colour (the thumbnail of a colour item). */
  pixel (surface, (int) x, (int) y, &r, &g, &b);
  assert_item_colour (snapshot, 42, r, g, b);
  cairo_surface_destroy (surface);
  g_object_unref (view);
  on_screen = FALSE;
}

/* The strip shows the selected image's nearest neighbours, in order: each cell's centre has the
 * neighbour's colour. */
static void
test_knn_strip (void)
{
  g_autoptr(LkDemoRun) demo = demo_two_phases ();
  LkSnapshot *snapshot = lk_refine_worker_get_snapshot (lk_demo_run_get_worker (demo));
  GtkWidget *view = g_object_ref_sink (lk_knn_view_new ());
  const guint *knn;
  guint k;
  cairo_surface_t *surface;

  lk_knn_view_set_snapshot (LK_KNN_VIEW (view), snapshot);
  lk_knn_view_set_thumbs (LK_KNN_VIEW (view), lk_demo_run_get_thumbs (demo));
  lk_knn_view_set_item (LK_KNN_VIEW (view), 7);
  lk_knn_view_set_k (LK_KNN_VIEW (view), 5);
  surface = render (view);
  knn = lk_snapshot_get_knn (snapshot, &k) + 7 * k;

  for (guint rank = 0; rank <= 5; rank++)
    {
      guint item = rank == 0 ? 7 : knn[rank - 1], r, g, b;
      double x, y;

      g_assert_true (lk_knn_view_cell_centre (LK_KNN_VIEW (view), rank, W, H, &x, &y));
      pixel (surface, (int) x, (int) y, &r, &g, &b);
      assert_item_colour (snapshot, item, r, g, b);
    }
  g_assert_false (lk_knn_view_cell_centre (LK_KNN_VIEW (view), 6, W, H, NULL, NULL));
  cairo_surface_destroy (surface);
  g_object_unref (view);
}

/* Fig. 9: the most frequent grid-mate of the selected image is drawn red. */
static void
test_cooccurrence (gconstpointer data)
{
  g_autoptr(LkDemoRun) demo = demo_two_phases ();
  LkSnapshot *snapshot = lk_refine_worker_get_snapshot (lk_demo_run_get_worker (demo));
  GtkWidget *view = g_object_ref_sink (lk_embedding_view_new (TRUE));
  g_autofree guint *mates = NULL;
  guint n_mates, r, g, b;
  cairo_surface_t *surface;
  double x, y;

  lk_embedding_view_set_snapshot (LK_EMBEDDING_VIEW (view), snapshot, FALSE);
  lk_embedding_view_set_selected (LK_EMBEDDING_VIEW (view), 3);
  mates = lk_metrics_top_grid_mates (lk_snapshot_get_evidence (snapshot), 3, 1, &n_mates);
  g_assert_cmpuint (n_mates, ==, 1);
  on_screen = GPOINTER_TO_INT (data);
  surface = render (view);
  g_assert_true (lk_embedding_view_item_position (LK_EMBEDDING_VIEW (view), mates[0], W, H, &x, &y));
  pixel (surface, (int) x, (int) y, &r, &g, &b);
  /* Red, unless the selected image's own highlight covers it. */
  g_assert_true ((r == 192 && g == 28 && b == 40) || (r == 224 && g == 27 && b == 36));
  cairo_surface_destroy (surface);
  g_object_unref (view);
  on_screen = FALSE;
}

/* Every item 12 px from the others (thumbnails are 8 to 11 px wide here) shows its own colour
 * at its centre, and where there is no item the view is white; on screen as in an export, and
 * again after a zoom and pan move them all. */
static void
test_embedding_items (gconstpointer data)
{
  g_autoptr(LkDemoRun) demo = demo_two_phases ();
  LkSnapshot *snapshot = lk_refine_worker_get_snapshot (lk_demo_run_get_worker (demo));
  GtkWidget *view = g_object_ref_sink (lk_embedding_view_new (FALSE));
  guint n = lk_snapshot_get_n_items (snapshot);

  on_screen = GPOINTER_TO_INT (data);
  lk_embedding_view_set_snapshot (LK_EMBEDDING_VIEW (view), snapshot, FALSE);
  lk_embedding_view_set_thumbs (LK_EMBEDDING_VIEW (view), lk_demo_run_get_thumbs (demo));
  for (guint pass = 0; pass < 2; pass++)
    {
      g_autofree double *xy = g_new (double, 2 * n);
      cairo_surface_t *surface;
      guint checked = 0, blank = 0;

      if (pass == 1)
        lk_embedding_view_set_view (LK_EMBEDDING_VIEW (view), 1.5, 37, -21);
      surface = render (view);
      for (guint i = 0; i < n; i++)
        g_assert_true (lk_embedding_view_item_position (LK_EMBEDDING_VIEW (view), i, W, H,
                                                        &xy[2 * i], &xy[2 * i + 1]));
      for (guint i = 0; i < n; i++)
        {
          gboolean alone = xy[2 * i] > 2 && xy[2 * i] < W - 2 && xy[2 * i + 1] > 40
                           && xy[2 * i + 1] < H - 2;
          guint r, g, b;

          for (guint j = 0; j < n && alone; j++)
            alone = j == i || fabs (xy[2 * j] - xy[2 * i]) > 12
                    || fabs (xy[2 * j + 1] - xy[2 * i + 1]) > 12;
          if (!alone)
            continue;
          pixel (surface, (int) xy[2 * i], (int) xy[2 * i + 1], &r, &g, &b);
          assert_item_colour (snapshot, i, r, g, b);
          checked++;
        }
      g_assert_cmpuint (checked, >=, 3);
      /* Points of the view 12 px from every item (thumbnails are 8 to 11 px here) are blank. */
      for (int y = 45; y < H - 5; y += 7)
        for (int x = 5; x < W - 5; x += 7)
          {
            gboolean empty = TRUE;
            guint r, g, b;

            for (guint j = 0; j < n && empty; j++)
              empty = fabs (xy[2 * j] - x) > 12 || fabs (xy[2 * j + 1] - y) > 12;
            if (!empty)
              continue;
            pixel (surface, x, y, &r, &g, &b);
            g_assert_cmpuint (r + g + b, ==, 3 * 255);
            blank++;
          }
      g_assert_cmpuint (blank, >, 0);
      cairo_surface_destroy (surface);
    }
  g_object_unref (view);
  on_screen = FALSE;
}

/* The raster path of picture thumbnails agrees with Cairo's scaling at the square's centre, at
 * sizes that use the halvings and sizes that do not, and stays inside the square and the
 * buffer. */
static void
test_thumbs_blit (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LkDemoCollection) source = lk_demo_collection_new ("colours", &error);
  g_autoptr(LkThumbs) thumbs = NULL;
  const int sizes[] = { 5, 8, 13, 16, 31, 32, 48 };

  g_assert_no_error (error);
  thumbs = lk_thumbs_new_from_source (LK_IMAGE_SOURCE (source), 32);
  for (guint s = 0; s < G_N_ELEMENTS (sizes); s++)
    for (guint item = 0; item < 120; item += 17)
      {
        cairo_surface_t *a = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 64, 64);
        cairo_surface_t *b = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 64, 64);
        cairo_t *cr = cairo_create (b);
        int size = sizes[s], c = 10 + size / 2;
        guint ra, ga, ba, rb, gb, bb;

        cairo_surface_flush (a);
        lk_thumbs_blit (thumbs, item, cairo_image_surface_get_data (a),
                        cairo_image_surface_get_stride (a), 64, 64, 10, 10, size);
        cairo_surface_mark_dirty (a);
        lk_thumbs_paint (thumbs, cr, item, 10 + size / 2.0, 10 + size / 2.0, size);
        cairo_destroy (cr);
        pixel (a, c, c, &ra, &ga, &ba);
        pixel (b, c, c, &rb, &gb, &bb);
        g_assert_cmpint (ABS ((int) ra - (int) rb), <=, 4);
        g_assert_cmpint (ABS ((int) ga - (int) gb), <=, 4);
        g_assert_cmpint (ABS ((int) ba - (int) bb), <=, 4);
        /* Nothing outside the square. */
        pixel (a, 10 + size, 10 + size, &ra, &ga, &ba);
        g_assert_cmpuint (ra + ga + ba, ==, 0);
        pixel (a, 9, 9, &ra, &ga, &ba);
        g_assert_cmpuint (ra + ga + ba, ==, 0);
        /* Clipped at the buffer's edges. */
        lk_thumbs_blit (thumbs, item, cairo_image_surface_get_data (a),
                        cairo_image_surface_get_stride (a), 64, 64, -size / 2, 60, size);
        lk_thumbs_blit (thumbs, item, cairo_image_surface_get_data (a),
                        cairo_image_surface_get_stride (a), 64, 64, 200, -200, size);
        cairo_surface_destroy (a);
        cairo_surface_destroy (b);
      }
}

/* The heatmap's table is made with the snapshot, on the worker thread, and equals the same
 * clustering done here (the seed of the snapshot's cluster error); colours have none. The
 * heatmap view shows that table itself (it runs no k-means of its own). */
static void
test_snapshot_cluster_table (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LkDemoRun) demo = NULL;
  g_autoptr(LkDemoRun) colours = demo_two_phases ();
  g_autoptr(LkClusterTable) expected = NULL;
  const LkClusterTable *table;
  const LkEmbedding *embedding;
  g_autoptr(gsl_rng) rng = NULL;
  LkSnapshot *snapshot;
  const gint *labels;
  LkParams params;
  guint sum = 0, n_labels = 0;

  lk_params_init (&params);
  params.budget = 100;
  params.phases = 2;
  params.iterations = 30;
  params.seed = 2;
  demo = lk_demo_run_new ("blobs:100", &params, lk_method_paper, &error);
  g_assert_no_error (error);
  lk_ui_test_wait_worker (lk_demo_run_get_worker (demo));
  lk_demo_run_step (demo, 50);
  lk_ui_test_wait_worker (lk_demo_run_get_worker (demo));
  snapshot = lk_refine_worker_get_snapshot (lk_demo_run_get_worker (demo));
  table = lk_snapshot_get_cluster_table (snapshot);
  g_assert_nonnull (table);
  embedding = lk_snapshot_get_embedding (snapshot);
  labels = lk_snapshot_get_labels (snapshot);
  for (guint i = 0; i < lk_snapshot_get_n_items (snapshot); i++)
    n_labels = MAX (n_labels, (guint) labels[i] + 1);
  rng = lk_rng_new (lk_rng_derive (params.seed, 77 + lk_snapshot_get_phase (snapshot)));
  expected = lk_metrics_cluster_table (lk_embedding_get_data (embedding),
                                       lk_snapshot_get_n_items (snapshot),
                                       lk_embedding_get_dim (embedding), labels, n_labels, rng);
  g_assert_cmpuint (table->n_labels, ==, expected->n_labels);
  g_assert_cmpuint (table->n_labelled, ==, 100);
  g_assert_cmpmem (table->counts, sizeof (guint) * table->n_labels * table->n_labels,
                   expected->counts, sizeof (guint) * expected->n_labels * expected->n_labels);
  for (guint c = 0; c < table->n_labels * table->n_labels; c++)
    sum += table->counts[c];
  g_assert_cmpuint (sum, ==, 100);
  g_assert_cmpfloat (table->error, ==, expected->error);
  /* The heatmap's title and the convergence view's curve give the same cluster error. */
  g_assert_cmpfloat_with_epsilon (table->error, lk_snapshot_get_cluster_error (snapshot), 1e-12);

  g_assert_null (lk_snapshot_get_cluster_table (lk_refine_worker_get_snapshot (lk_demo_run_get_worker (colours))));

  {
    GtkWidget *view = g_object_ref_sink (lk_cluster_heatmap_view_new ());
    g_autoptr(GPtrArray) snapshots = g_ptr_array_new ();

    g_ptr_array_add (snapshots, snapshot);
    lk_cluster_heatmap_view_set_snapshots (LK_CLUSTER_HEATMAP_VIEW (view), snapshots, 0);
    g_assert_cmpuint (lk_cluster_heatmap_view_get_n_panels (LK_CLUSTER_HEATMAP_VIEW (view)), ==, 1);
    g_assert_cmpfloat (lk_cluster_heatmap_view_get_error (LK_CLUSTER_HEATMAP_VIEW (view), 0), ==,
                       table->error);
    g_object_unref (view);
  }
}

/* Within 0.02 of the expected channel value (0..1), as cairo rounds. */
static void
assert_rgb (guint  r,
            guint  g,
            guint  b,
            double er,
            double eg,
            double eb)
{
  g_assert_cmpfloat (fabs (r / 255.0 - er), <, 0.02);
  g_assert_cmpfloat (fabs (g / 255.0 - eg), <, 0.02);
  g_assert_cmpfloat (fabs (b / 255.0 - eb), <, 0.02);
}

/* Three blobs of ten points in the plane, far apart; the labels name the blobs in another
 * order (blob b has label (b + 1) % 3), and one item of label 0 sits in the blob of label 1.
 * k-means finds the blobs, the matching undoes the permutation: the table is diagonal but for
 * that one item, the cluster error 1 / 30. The diagonal cell of label 1 (all ten of its items)
 * has the deep end of the scale, the cell of label 1 in label 0's column (none) the light end,
 * and the cell of label 0 in label 1's column (1 of 10) nearly the light end. */
static void
test_heatmap_diagonal (void)
{
  const double centres[3][2] = { { 0, 0 }, { 10, 0 }, { 0, 10 } };
  GtkWidget *view = g_object_ref_sink (lk_cluster_heatmap_view_new ());
  LkClusterHeatmapView *heatmap = LK_CLUSTER_HEATMAP_VIEW (view);
  g_autoptr(LkClusterTable) table = NULL;
  g_autoptr(gsl_rng) rng = NULL;
  double points[30 * 2], x, y, size, x1, y1;
  cairo_surface_t *surface;
  gint labels[30];
  guint r, g, b;

  for (guint i = 0; i < 30; i++)
    {
      guint blob = i / 10;

      points[2 * i] = centres[blob][0] + 0.1 * (i % 5);
      points[2 * i + 1] = centres[blob][1] + 0.1 * (i % 2);
      labels[i] = (blob + 1) % 3;
    }
  /* One item of blob 0 (label 1) has label 0: label 0 has 10 items in blob 2 and 1 in blob 0,
   * label 1 has 9, label 2 has 10. */
  labels[0] = 0;

  rng = lk_rng_new (1);
  table = lk_metrics_cluster_table (points, 30, 2, labels, 3, rng);
  lk_cluster_heatmap_view_add_table (heatmap, 3, table);
  g_assert_cmpuint (lk_cluster_heatmap_view_get_n_panels (heatmap), ==, 1);
  g_assert_cmpfloat_with_epsilon (lk_cluster_heatmap_view_get_error (heatmap, 0), 1.0 / 30,
                                  1e-12);

  surface = render (view);
  /* Label 2: all ten in its matched cluster, the deep end. */
  g_assert_true (lk_cluster_heatmap_view_cell_rect (heatmap, 0, 2, 2, W, H, &x, &y, &size));
  g_assert_cmpfloat (size, >, 10);
  pixel (surface, (int) x + 2, (int) y + 2, &r, &g, &b);
  assert_rgb (r, g, b, 0.03, 0.19, 0.42);
  /* Label 2 in label 0's cluster: none, the light end. */
  g_assert_true (lk_cluster_heatmap_view_cell_rect (heatmap, 0, 2, 0, W, H, &x1, &y1, &size));
  g_assert_cmpfloat (y1, ==, y);
  g_assert_cmpfloat (x1, <, x);
  pixel (surface, (int) x1 + 2, (int) y1 + 2, &r, &g, &b);
  assert_rgb (r, g, b, 0.96, 0.96, 0.97);
  /* Label 0: ten of eleven on the diagonal, one in label 1's cluster. */
  g_assert_true (lk_cluster_heatmap_view_cell_rect (heatmap, 0, 0, 0, W, H, &x, &y, &size));
  pixel (surface, (int) x + 2, (int) y + 2, &r, &g, &b);
  assert_rgb (r, g, b, 0.96 + 10.0 / 11 * (0.03 - 0.96), 0.96 + 10.0 / 11 * (0.19 - 0.96),
              0.97 + 10.0 / 11 * (0.42 - 0.97));
  g_assert_true (lk_cluster_heatmap_view_cell_rect (heatmap, 0, 0, 1, W, H, &x, &y, &size));
  pixel (surface, (int) x + 2, (int) y + 2, &r, &g, &b);
  assert_rgb (r, g, b, 0.96 + 1.0 / 11 * (0.03 - 0.96), 0.96 + 1.0 / 11 * (0.19 - 0.96),
              0.97 + 1.0 / 11 * (0.42 - 0.97));
  cairo_surface_destroy (surface);

  /* A second phase: two small multiples side by side, the first now drawn left of it. */
  lk_cluster_heatmap_view_add_table (heatmap, 4, table);
  g_assert_cmpuint (lk_cluster_heatmap_view_get_n_panels (heatmap), ==, 2);
  g_assert_true (lk_cluster_heatmap_view_cell_rect (heatmap, 0, 2, 2, W, H, &x, &y, &size));
  g_assert_true (lk_cluster_heatmap_view_cell_rect (heatmap, 1, 2, 2, W, H, &x1, &y1, &size));
  g_assert_cmpfloat (x1, >, x);
  surface = render (view);
  pixel (surface, (int) x1 + 2, (int) y1 + 2, &r, &g, &b);
  assert_rgb (r, g, b, 0.03, 0.19, 0.42);
  cairo_surface_destroy (surface);
  /* Too narrow for both: only the newest. */
  g_assert_false (lk_cluster_heatmap_view_cell_rect (heatmap, 0, 2, 2, 120, 300, &x, &y, &size));
  g_assert_true (lk_cluster_heatmap_view_cell_rect (heatmap, 1, 2, 2, 120, 300, &x, &y, &size));
  g_object_unref (view);
}

/* Without labels (the colours demo) the view has no panel and says so, without criticals. */
static void
test_heatmap_no_labels (void)
{
  g_autoptr(LkDemoRun) demo = demo_two_phases ();
  GtkWidget *view = g_object_ref_sink (lk_cluster_heatmap_view_new ());
  GPtrArray *snapshots = lk_refine_worker_get_snapshots (lk_demo_run_get_worker (demo));
  cairo_surface_t *surface;
  guint dark = 0, r, g, b;

  lk_cluster_heatmap_view_set_snapshots (LK_CLUSTER_HEATMAP_VIEW (view), snapshots,
                                         snapshots->len - 1);
  g_assert_cmpuint (lk_cluster_heatmap_view_get_n_panels (LK_CLUSTER_HEATMAP_VIEW (view)), ==, 0);
  surface = render (view);
  /* The message, centred at mid-height: some dark text pixels there. */
  for (int x = 0; x < W; x++)
    for (int y = H / 2; y < H / 2 + 14; y++)
      {
        pixel (surface, x, y, &r, &g, &b);
        dark += r < 200;
      }
  g_assert_cmpuint (dark, >, 20);
  cairo_surface_destroy (surface);
  g_object_unref (view);
}

/* A labelled collection (blobs) shows the heatmap in the window, one panel per phase. */
static void
test_heatmap_window (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LkDemoRun) demo = NULL;
  LkExperimenterWindow *window;
  GtkWidget *view;
  LkParams params;

  lk_params_init (&params);
  params.budget = 100;
  params.phases = 2;
  params.iterations = 30;
  params.seed = 2;
  demo = lk_demo_run_new ("blobs:100", &params, lk_method_paper, &error);
  g_assert_no_error (error);
  lk_ui_test_wait_worker (lk_demo_run_get_worker (demo));
  lk_demo_run_step (demo, 50);
  lk_ui_test_wait_worker (lk_demo_run_get_worker (demo));

  window = lk_experimenter_window_new ();
  lk_experimenter_window_set_demo (window, demo, NULL);
  view = lk_experimenter_window_get_view (window, "heatmap");
  g_assert_true (gtk_widget_get_visible (view));
  g_assert_cmpuint (lk_cluster_heatmap_view_get_n_panels (LK_CLUSTER_HEATMAP_VIEW (view)), ==,
                    lk_refine_worker_get_snapshots (lk_demo_run_get_worker (demo))->len);
  g_assert_cmpfloat (lk_cluster_heatmap_view_get_error (LK_CLUSTER_HEATMAP_VIEW (view), 0), >=, 0);
  g_assert_cmpfloat (lk_cluster_heatmap_view_get_error (LK_CLUSTER_HEATMAP_VIEW (view), 0), <=, 1);
  gtk_window_destroy (GTK_WINDOW (window));
}

/* The progress view draws from a record made by hand, with no worker anywhere: the bar is
 * n_answers / budget of its width, and each participant's bar (sorted by code) its share of the
 * most answers. At 400 px the bar runs from x = 12 over 376 px at y 46 to 56; participant rows
 * start at y = 102, 14 px apart, bars from x = 70 over at most 82 px. */
static void
test_progress_view (void)
{
  const LkProgressCounts counts = {
    .n_answers = 150, .n_drawn = 3, .busy = TRUE, .phase = 2, .n_phases = 5, .budget = 300,
    .n_items = 600, .nq = 20,
  };
  const double seconds[] = { 2.5, 7.25, 12.0 };
  g_autoptr(GHashTable) participants = g_hash_table_new (g_str_hash, g_str_equal);
  GtkWidget *view = g_object_ref_sink (lk_progress_view_new ());
  g_autoptr(LkProgress) progress = NULL;
  cairo_surface_t *surface;
  guint r, g, b, n;

  g_hash_table_insert (participants, "zeta", GUINT_TO_POINTER (2));
  g_hash_table_insert (participants, "alpha", GUINT_TO_POINTER (4));
  progress = lk_progress_new (&counts, participants, seconds, G_N_ELEMENTS (seconds));
  g_assert_cmpstr (lk_progress_get_participant (progress, 0, &n), ==, "alpha");
  g_assert_cmpuint (n, ==, 4);

  /* Nothing pushed yet: no bar. */
  surface = render (view);
  pixel (surface, 100, 51, &r, &g, &b);
  g_assert_cmpuint (r + g + b, ==, 3 * 255);
  cairo_surface_destroy (surface);

  lk_progress_view_set_progress (LK_PROGRESS_VIEW (view), progress);
  surface = render (view);
  /* Half the budget: blue to x = 12 + 188 = 200, the bar's grey after. */
  pixel (surface, 195, 51, &r, &g, &b);
  assert_rgb (r, g, b, 0.11, 0.44, 0.85);
  pixel (surface, 205, 51, &r, &g, &b);
  assert_rgb (r, g, b, 0.9, 0.9, 0.9);
  /* alpha (4 answers) first, a full 82 px bar; zeta (2) below, 41 px. */
  pixel (surface, 70 + 60, 102 + 4, &r, &g, &b);
  assert_rgb (r, g, b, 0.15, 0.64, 0.41);
  pixel (surface, 70 + 30, 116 + 4, &r, &g, &b);
  assert_rgb (r, g, b, 0.15, 0.64, 0.41);
  pixel (surface, 70 + 60, 116 + 4, &r, &g, &b);
  g_assert_cmpuint (r + g + b, ==, 3 * 255);
  cairo_surface_destroy (surface);

  /* The view keeps its own reference. */
  g_clear_pointer (&progress, lk_progress_unref);
  surface = render (view);
  pixel (surface, 195, 51, &r, &g, &b);
  assert_rgb (r, g, b, 0.11, 0.44, 0.85);
  cairo_surface_destroy (surface);
  g_object_unref (view);
}

/* The experimenter window shows every view, updates on a new snapshot, and saves them all in
 * three formats; closing it cancels the run under way. */
static void
test_window_export (void)
{
  g_autoptr(LkDemoRun) demo = demo_two_phases ();
  g_autofree char *dir = g_dir_make_tmp ("lk-views-XXXXXX", NULL);
  const char *formats[] = { "png", "svg", "pdf" };
  const char *views[] = { "embedding", "cooccurrence", "knn", "convergence", "progress",
                          "heatmap" };
  LkExperimenterWindow *window = lk_experimenter_window_new ();
  g_autoptr(GError) error = NULL;

  lk_experimenter_window_set_demo (window, demo, NULL);
  lk_experimenter_window_select (window, 5);
  g_assert_true (lk_embedding_view_get_snapshot (LK_EMBEDDING_VIEW (lk_experimenter_window_get_view (window, "embedding")))
                 == lk_refine_worker_get_snapshot (lk_demo_run_get_worker (demo)));
  gtk_window_present (GTK_WINDOW (window));
  /* Colours have no labels: no heatmap on screen, and its export says so. */
  g_assert_false (gtk_widget_get_visible (lk_experimenter_window_get_view (window, "heatmap")));
  g_assert_cmpuint (lk_cluster_heatmap_view_get_n_panels (LK_CLUSTER_HEATMAP_VIEW (lk_experimenter_window_get_view (window, "heatmap"))),
                    ==, 0);

  /* A new phase arrives: the views follow it. */
  lk_demo_run_step (demo, 50);
  lk_ui_test_wait_worker (lk_demo_run_get_worker (demo));
  g_assert_true (lk_embedding_view_get_snapshot (LK_EMBEDDING_VIEW (lk_experimenter_window_get_view (window, "embedding")))
                 == lk_refine_worker_get_snapshot (lk_demo_run_get_worker (demo)));

  for (guint f = 0; f < G_N_ELEMENTS (formats); f++)
    {
      g_assert_true (lk_experimenter_window_export (window, dir, formats[f], &error));
      g_assert_no_error (error);
      for (guint v = 0; v < G_N_ELEMENTS (views); v++)
        {
          g_autofree char *name = g_strdup_printf ("%s.%s", views[v], formats[f]);
          g_autofree char *path = g_build_filename (dir, name, NULL);
          GStatBuf st;

          g_assert_cmpint (g_stat (path, &st), ==, 0);
          g_assert_cmpint (st.st_size, >, 500);
          g_unlink (path);
        }
    }
  g_assert_false (lk_cairo_view_export (LK_CAIRO_VIEW (lk_experimenter_window_get_view (window, "knn")),
                                        "/tmp/x.bmp", 10, 10, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_rmdir (dir);
  gtk_window_destroy (GTK_WINDOW (window));
}

/* On a 1024x600 screen: the window fits, the right column scrolls, and neither the
 * embedding nor the co-occurrence map collapses. */
static void
test_window_small_screen (void)
{
  g_autoptr(LkDemoRun) demo = demo_two_phases ();
  LkExperimenterWindow *window = lk_experimenter_window_new ();
  int width, height;

  lk_experimenter_window_set_demo (window, demo, NULL);
  gtk_window_set_default_size (GTK_WINDOW (window), 1024, 600);
  gtk_window_present (GTK_WINDOW (window));
  lk_ui_test_wait_mapped (GTK_WIDGET (window));
  gtk_widget_measure (GTK_WIDGET (window), GTK_ORIENTATION_VERTICAL, -1, &height, NULL, NULL,
                      NULL);
  gtk_widget_measure (GTK_WIDGET (window), GTK_ORIENTATION_HORIZONTAL, -1, &width, NULL, NULL,
                      NULL);
  g_assert_cmpint (width, <=, 1024);
  g_assert_cmpint (height, <=, 600);
  g_assert_cmpint (gtk_widget_get_height (GTK_WIDGET (window)), <=, 600);
  g_assert_cmpint (gtk_widget_get_height (lk_experimenter_window_get_view (window, "embedding")),
                   >=, 150);
  g_assert_cmpint (gtk_widget_get_height (lk_experimenter_window_get_view (window, "cooccurrence")),
                   >=, 150);
  gtk_window_destroy (GTK_WINDOW (window));
}

/* The k-NN strip follows a neighbour: Right moves to the second one, Enter (activate) makes
 * it the window's selected image. */
static void
test_knn_follow (void)
{
  g_autoptr(LkDemoRun) demo = demo_two_phases ();
  LkExperimenterWindow *window = lk_experimenter_window_new ();
  LkKnnView *knn;
  LkSnapshot *snapshot;
  const guint *table;
  guint k;

  lk_experimenter_window_set_demo (window, demo, NULL);
  gtk_window_present (GTK_WINDOW (window));
  lk_ui_test_wait_mapped (GTK_WIDGET (window));
  knn = LK_KNN_VIEW (lk_experimenter_window_get_view (window, "knn"));
  g_assert_true (gtk_widget_get_focusable (GTK_WIDGET (knn)));
  snapshot = lk_refine_worker_get_snapshot (lk_demo_run_get_worker (demo));
  table = lk_snapshot_get_knn (snapshot, &k);

  g_assert_false (lk_knn_view_activate (knn, 1));
  lk_experimenter_window_select (window, 5);
  g_assert_cmpuint (lk_knn_view_move_cursor (knn, 1), ==, 2);
  g_assert_true (lk_knn_view_activate (knn, 2));
  g_assert_cmpint (lk_embedding_view_get_selected (LK_EMBEDDING_VIEW (lk_experimenter_window_get_view (window, "embedding"))),
                   ==, (int) table[5 * k + 1]);
  /* The strip now shows that image's neighbours, from the first. */
  g_assert_cmpuint (lk_knn_view_move_cursor (knn, -1), ==, 1);
  g_assert_false (lk_knn_view_activate (knn, 99));
  gtk_window_destroy (GTK_WINDOW (window));
}

/* Returns whether @path's contents contain @needle. */
static gboolean
file_contains (const char *path,
               const char *needle)
{
  g_autofree char *contents = NULL;
  gsize length;

  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));

  /* PDF streams hold NUL bytes: search bytes, not a string. */
  for (gsize i = 0; i + strlen (needle) <= length; i++)
    if (memcmp (contents + i, needle, strlen (needle)) == 0)
      return TRUE;

  return FALSE;
}

/* What the save chooser does with the file chosen: the format from the extension, else from
 * the chooser's filter (added to the name); a valid PNG at twice the view's size, an SVG and a
 * PDF of its size in points; errors for a folder that does not exist and an unknown view. */
static void
test_save_view (void)
{
  g_autoptr(LkDemoRun) demo = demo_two_phases ();
  g_autofree char *dir = g_dir_make_tmp ("lk-save-XXXXXX", NULL);
  LkExperimenterWindow *window = lk_experimenter_window_new ();
  g_autoptr(GError) error = NULL;
  const char *const names[] = { "embedding", "knn", "heatmap" };

  lk_experimenter_window_set_demo (window, demo, NULL);
  lk_experimenter_window_select (window, 5);
  gtk_window_present (GTK_WINDOW (window));
  while (!gtk_widget_get_mapped (lk_experimenter_window_get_view (window, "knn")))
    g_main_context_iteration (NULL, TRUE);

  for (guint v = 0; v < G_N_ELEMENTS (names); v++)
    {
      GtkWidget *view = lk_experimenter_window_get_view (window, names[v]);
      int w = MAX (gtk_widget_get_width (view), 400), h = MAX (gtk_widget_get_height (view), 300);
      g_autofree char *png_name = g_strdup_printf ("%s.PNG", names[v]);
      g_autofree char *png = g_build_filename (dir, png_name, NULL);
      g_autofree char *bare = g_build_filename (dir, names[v], NULL);
      g_autofree char *svg = g_strdup_printf ("%s.svg", bare);
      g_autofree char *pdf_name = g_strdup_printf ("%s-figure.pdf", names[v]);
      g_autofree char *pdf = g_build_filename (dir, pdf_name, NULL);
      g_autofree char *size_pt = g_strdup_printf ("width=\"%dpt\" height=\"%dpt\"", w, h);
      g_autofree char *media_box = g_strdup_printf ("/MediaBox [ 0 0 %d %d ]", w, h);
      g_autoptr(GFile) file = NULL;
      g_autoptr(GFile) saved = NULL;
      g_autoptr(GdkPixbuf) pixbuf = NULL;
      g_autofree char *saved_path = NULL;

      /* The extension, in any case, wins over the filter's format. */
      file = g_file_new_for_path (png);
      g_assert_true (lk_experimenter_window_save_view (window, names[v], file, "pdf", &saved, &error));
      g_assert_no_error (error);
      saved_path = g_file_get_path (saved);
      g_assert_cmpstr (saved_path, ==, png);
      pixbuf = gdk_pixbuf_new_from_file (png, &error);
      g_assert_no_error (error);
      g_assert_cmpint (gdk_pixbuf_get_width (pixbuf), ==, 2 * w);
      g_assert_cmpint (gdk_pixbuf_get_height (pixbuf), ==, 2 * h);
      g_clear_object (&file);
      g_clear_object (&saved);
      g_clear_pointer (&saved_path, g_free);

      /* No extension: the filter's format is added. */
      file = g_file_new_for_path (bare);
      g_assert_true (lk_experimenter_window_save_view (window, names[v], file, "svg", &saved, &error));
      g_assert_no_error (error);
      saved_path = g_file_get_path (saved);
      g_assert_cmpstr (saved_path, ==, svg);
      g_assert_false (g_file_test (bare, G_FILE_TEST_EXISTS));
      g_assert_true (file_contains (svg, "<svg"));
      g_assert_true (file_contains (svg, size_pt));
      g_assert_true (file_contains (svg, "</svg>"));
      g_clear_object (&file);

      file = g_file_new_for_path (pdf);
      g_assert_true (lk_experimenter_window_save_view (window, names[v], file, NULL, NULL, &error));
      g_assert_no_error (error);
      g_assert_true (file_contains (pdf, "%PDF-"));
      g_assert_true (file_contains (pdf, media_box));
      g_assert_true (file_contains (pdf, "%%EOF"));

      g_unlink (png);
      g_unlink (svg);
      g_unlink (pdf);
    }

  {
    g_autofree char *missing = g_build_filename (dir, "no", "such", "folder", "x.png", NULL);
    g_autoptr(GFile) file = g_file_new_for_path (missing);

    g_assert_false (lk_experimenter_window_save_view (window, "embedding", file, NULL, NULL, &error));
    g_assert_nonnull (error);
    g_assert_nonnull (strstr (error->message, "x.png"));
    g_clear_error (&error);
    g_assert_false (lk_experimenter_window_save_view (window, "nonsense", file, NULL, NULL, &error));
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  }
  g_rmdir (dir);
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int    argc,
      char **argv)
{
  if (!g_getenv ("DISPLAY") && !g_getenv ("WAYLAND_DISPLAY"))
    {
      g_print ("1..0 # SKIP no display\n");
      return 0;
    }
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_data_func ("/lk/app/experimenter/embedding-selected", GINT_TO_POINTER (FALSE),
                        test_embedding_selected);
  g_test_add_data_func ("/lk/app/experimenter/embedding-selected-screen", GINT_TO_POINTER (TRUE),
                        test_embedding_selected);
  g_test_add_data_func ("/lk/app/experimenter/embedding-items", GINT_TO_POINTER (FALSE),
                        test_embedding_items);
  g_test_add_data_func ("/lk/app/experimenter/embedding-items-screen", GINT_TO_POINTER (TRUE),
                        test_embedding_items);
  g_test_add_func ("/lk/app/experimenter/thumbs-blit", test_thumbs_blit);
  g_test_add_func ("/lk/app/experimenter/snapshot-cluster-table", test_snapshot_cluster_table);
  g_test_add_func ("/lk/app/experimenter/knn-strip", test_knn_strip);
  g_test_add_func ("/lk/app/experimenter/knn-follow", test_knn_follow);
  g_test_add_data_func ("/lk/app/experimenter/cooccurrence", GINT_TO_POINTER (FALSE),
                        test_cooccurrence);
  g_test_add_data_func ("/lk/app/experimenter/cooccurrence-screen", GINT_TO_POINTER (TRUE),
                        test_cooccurrence);
  g_test_add_func ("/lk/app/experimenter/window-export", test_window_export);
  g_test_add_func ("/lk/app/experimenter/window-small-screen", test_window_small_screen);
  g_test_add_func ("/lk/app/experimenter/save-view", test_save_view);
  g_test_add_func ("/lk/app/experimenter/heatmap-diagonal", test_heatmap_diagonal);
  g_test_add_func ("/lk/app/experimenter/heatmap-no-labels", test_heatmap_no_labels);
  g_test_add_func ("/lk/app/experimenter/heatmap-window", test_heatmap_window);
  g_test_add_func ("/lk/app/experimenter/progress-view", test_progress_view);

  return g_test_run ();
}
