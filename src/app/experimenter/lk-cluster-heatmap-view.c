/* lk-cluster-heatmap-view.c — labels x matched clusters per phase, as the paper's Fig. 6
 *
 * "Heatmaps displaying the accuracy of clustering ... after phases 1-5": for each stored
 * snapshot, the embedding is split by k-means (seeded, so the same snapshot always gives the
 * same picture, and the same clustering as the snapshot's cluster error) into as many clusters
 * as there are ground-truth labels, clusters are matched one-to-one to labels by the Hungarian
 * method (lk_metrics_match_clusters()), and the view draws the labels x clusters table of
 * counts, columns in matched order, so that the diagonal holds the items clustered correctly.
 * The table is made with the snapshot, on the worker thread (lk_metrics_cluster_table()); the
 * view runs no k-means, it only draws the snapshot's table. A cell's colour is its share of the label's items. The most recent phases up
 * to the slider's are drawn side by side when they fit, else only the slider's. Without labels
 * (the colours demo) the view says there is no ground truth.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "lk-cluster-heatmap-view.h"
#include "lk-cluster-heatmap-view-private.h"

#define MAX_PANELS 6

/* Layout, in user units. */
#define TITLE_H   30.0
#define HEADER_H  18.0
#define MARGIN    10.0
#define LEGEND_W  64.0
#define GAP       12.0
#define MIN_CELL  4.0

typedef struct {
  LkSnapshot     *snapshot;   /* nullable: what the panel was made from, to reuse it */
  guint           phase;
  LkClusterTable *table;      /* a copy of the snapshot's */
} Panel;

struct _LkClusterHeatmapView
{
  LkCairoView  parent_instance;

  GPtrArray   *panels;    /* of Panel, oldest phase first */
  GHashTable  *tables;    /* nullable: LkSnapshot -> LkClusterTable against the folders */
};

G_DEFINE_FINAL_TYPE (LkClusterHeatmapView, lk_cluster_heatmap_view, LK_TYPE_CAIRO_VIEW)

static void
panel_free (gpointer data)
{
  Panel *panel = data;

  g_clear_pointer (&panel->snapshot, lk_snapshot_unref);
  g_clear_pointer (&panel->table, lk_cluster_table_free);
  g_free (panel);
}

/* Returns a panel of @table (copied). */
static Panel *
panel_new (guint                 phase,
           const LkClusterTable *table)
{
  Panel *panel = g_new0 (Panel, 1);

  panel->phase = phase;
  panel->table = lk_cluster_table_copy (table);

  return panel;
}

typedef struct {
  guint  first;     /* first panel drawn */
  guint  n_shown;
  double side;      /* of one matrix */
  double cell;
  double x0, y0;    /* top left of the first matrix */
  double step;      /* from one matrix to the next */
} Layout;

static Layout
get_layout (LkClusterHeatmapView *self,
            int                   width,
            int                   height)
{
  Layout l = { 0 };
  guint n = self->panels->len, n_labels;
  double avail_w = width - 2 * MARGIN - LEGEND_W, avail_h = height - TITLE_H - HEADER_H - MARGIN;

  if (n == 0)
    return l;
  n_labels = ((Panel *) g_ptr_array_index (self->panels, n - 1))->table->n_labels;
  l.n_shown = n;
  l.side = MIN ((avail_w - (n - 1) * GAP) / n, avail_h);
  if (l.side < n_labels * MIN_CELL * 2 && n > 1)
    {
      l.n_shown = 1;
      l.side = MIN (avail_w, avail_h);
    }
  l.side = MAX (l.side, n_labels);
  l.cell = l.side / n_labels;
  l.first = n - l.n_shown;
  l.x0 = MARGIN;
  l.y0 = TITLE_H + HEADER_H;
  l.step = l.side + GAP;

  return l;
}

/* The colour scale: a cell's share of its label's items, from the background's side to the
 * other: a light grey to a deep blue in the light style, a dark grey to a light blue in the
 * dark one, so that an empty cell is close to the background in both. */
static void
scale_colour (gboolean  dark,
              double    share,
              double   *r,
              double   *g,
              double   *b)
{
  static const double ends[2][2][3] = {
    { { 0.96, 0.96, 0.97 }, { 0.03, 0.19, 0.42 } },
    { { 0.19, 0.19, 0.21 }, { 0.60, 0.76, 1.00 } },
  };
  const double (*e)[3] = ends[dark ? 1 : 0];

  share = CLAMP (share, 0.0, 1.0);
  *r = e[0][0] + share * (e[1][0] - e[0][0]);
  *g = e[0][1] + share * (e[1][1] - e[0][1]);
  *b = e[0][2] + share * (e[1][2] - e[0][2]);
}

/* Sets black or white, whichever has the more contrast on @cell: at least 4.58:1 whatever the
 * cell, since the two ratios cross at a luminance of 0.179 where both are sqrt(21). */
static void
set_text_on (cairo_t      *cr,
             const double  cell[3])
{
  static const double black[3] = { 0, 0, 0 }, white[3] = { 1, 1, 1 };

  if (lk_contrast_ratio (cell, black) >= lk_contrast_ratio (cell, white))
    cairo_set_source_rgb (cr, 0, 0, 0);
  else
    cairo_set_source_rgb (cr, 1, 1, 1);
}

/**
 * lk_cluster_heatmap_view_cell_rect:
 * @panel: index among the stored panels (lk_cluster_heatmap_view_get_n_panels())
 * @label: the row
 * @cluster: the column, in matched order (column j holds the cluster matched to label j)
 *
 * Returns: %FALSE if that cell is not drawn at this size; else its top left and edge
 */
gboolean
lk_cluster_heatmap_view_cell_rect (LkClusterHeatmapView *self,
                                   guint                 panel,
                                   guint                 label,
                                   guint                 cluster,
                                   int                   width,
                                   int                   height,
                                   double               *x,
                                   double               *y,
                                   double               *size)
{
  Layout l;
  Panel *p;

  g_return_val_if_fail (LK_IS_CLUSTER_HEATMAP_VIEW (self), FALSE);

  l = get_layout (self, width, height);
  if (panel >= self->panels->len || panel < l.first)
    return FALSE;
  p = g_ptr_array_index (self->panels, panel);
  if (label >= p->table->n_labels || cluster >= p->table->n_labels)
    return FALSE;
  *x = l.x0 + (panel - l.first) * l.step + cluster * l.cell;
  *y = l.y0 + label * l.cell;
  *size = l.cell;

  return TRUE;
}

static void
draw_panel (LkCairoView *view,
            cairo_t     *cr,
            const Panel *p,
            double       x0,
            double       y0,
            double       cell,
            gboolean     header)
{
  guint n = p->table->n_labels;

  for (guint a = 0; a < n; a++)
    {
      guint total = 0;

      for (guint c = 0; c < n; c++)
        total += p->table->counts[(gsize) a * n + c];
      for (guint c = 0; c < n; c++)
        {
          guint count = p->table->counts[(gsize) a * n + c];
          double share = total > 0 ? (double) count / total : 0.0, r, g, b;

          scale_colour (lk_cairo_view_is_dark (view), share, &r, &g, &b);
          cairo_set_source_rgb (cr, r, g, b);
          cairo_rectangle (cr, x0 + c * cell, y0 + a * cell, cell, cell);
          cairo_fill (cr);
          if (cell >= 22 && count > 0)
            {
              char text[16];

              g_snprintf (text, sizeof text, "%u", count);
              set_text_on (cr, (const double[3]) { r, g, b });
              lk_cairo_view_text (cr, x0 + (c + 0.5) * cell, y0 + (a + 0.5) * cell - 6,
                                  MIN (10, cell / 3), 0.5, text);
            }
        }
    }
  lk_cairo_view_set_ink (view, cr, LK_INK_FRAME);
  cairo_set_line_width (cr, 1);
  cairo_rectangle (cr, x0 - 0.5, y0 - 0.5, n * cell + 1, n * cell + 1);
  cairo_stroke (cr);

  if (header)
    {
      g_autofree char *text = g_strdup_printf (_("Phase %u: %.0f %%"), p->phase,
                                               100 * p->table->error);

      lk_cairo_view_set_ink (view, cr, LK_INK_TEXT);
      lk_cairo_view_text (cr, x0 + n * cell / 2, y0 - HEADER_H + 2, 11, 0.5, text);
    }
}

static void
lk_cluster_heatmap_view_draw (LkCairoView *view,
                              cairo_t     *cr,
                              int          width,
                              int          height)
{
  LkClusterHeatmapView *self = LK_CLUSTER_HEATMAP_VIEW (view);
  Layout l = get_layout (self, width, height);
  g_autofree char *title = NULL;
  cairo_pattern_t *gradient;
  double lx, ly, lh;
  Panel *last;

  lk_cairo_view_set_ink (view, cr, LK_INK_TITLE);
  if (self->panels->len == 0)
    {
      lk_cairo_view_text (cr, 10, 6, 13, 0, _("Clusters against labels"));
      lk_cairo_view_set_ink (view, cr, LK_INK_DIM_TEXT);
      lk_cairo_view_text (cr, width / 2.0, height / 2.0, 12, 0.5,
                          _("No ground truth: this collection has no labels"));
      return;
    }

  last = g_ptr_array_index (self->panels, self->panels->len - 1);
  title = g_strdup_printf (self->tables != NULL
                           ? _("Clusters against folders, phase %u: cluster error %.1f %%")
                           : _("Clusters against labels, phase %u: cluster error %.1f %%"),
                           last->phase, 100 * last->table->error);
  lk_cairo_view_text (cr, 10, 6, 13, 0, title);

  for (guint i = 0; i < l.n_shown; i++)
    draw_panel (view, cr, g_ptr_array_index (self->panels, l.first + i), l.x0 + i * l.step, l.y0,
                l.cell, TRUE);

  /* Legend: the colour scale, and what rows and columns are. */
  lx = width - LEGEND_W + 8;
  ly = l.y0;
  lh = MAX (MIN (l.side, 160), 40);
  gradient = cairo_pattern_create_linear (0, ly + lh, 0, ly);
  for (guint s = 0; s <= 4; s++)
    {
      double r, g, b;

      scale_colour (lk_cairo_view_is_dark (view), s / 4.0, &r, &g, &b);
      cairo_pattern_add_color_stop_rgb (gradient, s / 4.0, r, g, b);
    }
  cairo_set_source (cr, gradient);
  cairo_rectangle (cr, lx, ly, 12, lh);
  cairo_fill (cr);
  cairo_pattern_destroy (gradient);
  lk_cairo_view_set_ink (view, cr, LK_INK_TEXT);
  lk_cairo_view_text (cr, lx + 16, ly - 2, 10, 0, "100 %");
  lk_cairo_view_text (cr, lx + 16, ly + lh - 10, 10, 0, "0 %");
  lk_cairo_view_text (cr, lx - 4, ly + lh + 4, 9, 0, _("of the label"));
  lk_cairo_view_text (cr, l.x0, l.y0 + l.side + 4, 10, 0,
                      _("Rows: labels; columns: matched clusters; diagonal: correct"));
}

static void
lk_cluster_heatmap_view_finalize (GObject *object)
{
  LkClusterHeatmapView *self = (LkClusterHeatmapView *)object;

  g_clear_pointer (&self->panels, g_ptr_array_unref);
  g_clear_pointer (&self->tables, g_hash_table_unref);

  G_OBJECT_CLASS (lk_cluster_heatmap_view_parent_class)->finalize (object);
}

static void
lk_cluster_heatmap_view_class_init (LkClusterHeatmapViewClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = lk_cluster_heatmap_view_finalize;
  LK_CAIRO_VIEW_CLASS (klass)->draw = lk_cluster_heatmap_view_draw;
  gtk_widget_class_set_css_name (GTK_WIDGET_CLASS (klass), "lk-cluster-heatmap-view");
}

static void
lk_cluster_heatmap_view_init (LkClusterHeatmapView *self)
{
  self->panels = g_ptr_array_new_with_free_func (panel_free);
  gtk_widget_set_size_request (GTK_WIDGET (self), 300, 160);
}

GtkWidget *
lk_cluster_heatmap_view_new (void)
{
  return g_object_new (LK_TYPE_CLUSTER_HEATMAP_VIEW, NULL);
}

/**
 * lk_cluster_heatmap_view_set_snapshots:
 * @snapshots: (element-type LkSnapshot): the stored snapshots, oldest first
 * @current: the index of the snapshot the phase slider shows
 *
 * Shows the phases up to @current (the last few of them). Panels already computed for a
 * snapshot are kept; the others are taken from their snapshot's cluster table, or else from
 * the tables given with lk_cluster_heatmap_view_set_folder_tables(). Nothing is shown if
 * @current has neither.
 */
void
lk_cluster_heatmap_view_set_snapshots (LkClusterHeatmapView *self,
                                       GPtrArray            *snapshots,
                                       guint                 current)
{
  g_autoptr(GPtrArray) old = NULL;
  guint first;

  g_return_if_fail (LK_IS_CLUSTER_HEATMAP_VIEW (self));
  g_return_if_fail (snapshots != NULL);

  old = g_steal_pointer (&self->panels);
  self->panels = g_ptr_array_new_with_free_func (panel_free);
  if (current < snapshots->len
      && (lk_snapshot_get_labels (g_ptr_array_index (snapshots, current)) != NULL
          || (self->tables != NULL
              && g_hash_table_contains (self->tables, g_ptr_array_index (snapshots, current)))))
    {
      first = current + 1 > MAX_PANELS ? current + 1 - MAX_PANELS : 0;
      for (guint s = first; s <= current; s++)
        {
          LkSnapshot *snapshot = g_ptr_array_index (snapshots, s);
          const LkClusterTable *table = lk_snapshot_get_cluster_table (snapshot);
          Panel *panel = NULL;

          if (table == NULL && self->tables != NULL)
            table = g_hash_table_lookup (self->tables, snapshot);

          for (guint o = 0; o < old->len && panel == NULL; o++)
            if (((Panel *) g_ptr_array_index (old, o))->snapshot == snapshot)
              panel = g_ptr_array_steal_index (old, o);
          if (panel == NULL && table != NULL)
            {
              panel = panel_new (lk_snapshot_get_phase (snapshot), table);
              panel->snapshot = lk_snapshot_ref (snapshot);
            }
          if (panel != NULL)
            g_ptr_array_add (self->panels, panel);
        }
    }
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/**
 * lk_cluster_heatmap_view_set_folder_tables:
 * @tables: (nullable) (element-type LkSnapshot LkClusterTable): each snapshot's table against
 *   the collection's folders (referenced), for snapshots made without labels
 *
 * Call lk_cluster_heatmap_view_set_snapshots() after it.
 */
void
lk_cluster_heatmap_view_set_folder_tables (LkClusterHeatmapView *self,
                                           GHashTable           *tables)
{
  g_return_if_fail (LK_IS_CLUSTER_HEATMAP_VIEW (self));

  if (tables != NULL)
    g_hash_table_ref (tables);
  g_clear_pointer (&self->tables, g_hash_table_unref);
  self->tables = tables;
}

/**
 * lk_cluster_heatmap_view_add_table:
 * @table: a table not held in a snapshot (hand-made ones, in the tests), copied
 *
 * Adds a panel for @table as phase @phase, after those shown.
 */
void
lk_cluster_heatmap_view_add_table (LkClusterHeatmapView *self,
                                   guint                 phase,
                                   const LkClusterTable *table)
{
  g_return_if_fail (LK_IS_CLUSTER_HEATMAP_VIEW (self));
  g_return_if_fail (table != NULL);

  g_ptr_array_add (self->panels, panel_new (phase, table));
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

guint
lk_cluster_heatmap_view_get_n_panels (LkClusterHeatmapView *self)
{
  g_return_val_if_fail (LK_IS_CLUSTER_HEATMAP_VIEW (self), 0);

  return self->panels->len;
}

/**
 * lk_cluster_heatmap_view_get_error:
 *
 * Returns: the cluster error of @panel, or NAN if there is no such panel
 */
double
lk_cluster_heatmap_view_get_error (LkClusterHeatmapView *self,
                                   guint                 panel)
{
  g_return_val_if_fail (LK_IS_CLUSTER_HEATMAP_VIEW (self), NAN);

  if (panel >= self->panels->len)
    return NAN;

  return ((Panel *) g_ptr_array_index (self->panels, panel))->table->error;
}
