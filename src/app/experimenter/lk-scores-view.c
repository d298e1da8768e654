/* lk-scores-view.c — the experimenter's Scores
 *
 * The study's scores (those of `likeness-cli score`, lk-scores-summary.c) are computed on a
 * worker thread when a study file is shown; meanwhile, and when they cannot be computed, the
 * status line says so. A table gives each task kind's headline figure for every metric with its
 * 95 % interval (rows: kinds present; columns: learned, colour, HOG), and a Cairo bar chart
 * people's intruder accuracy per cluster (the clusters the HITs' majorities join,
 * lk-study-scores.c), each bar labelled with its HITs.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "lk-cairo-view.h"
#include "lk-scores-summary.h"
#include "lk-scores-view-private.h"

/* The bar chart of people's intruder accuracy per cluster. */
#define LK_TYPE_CLUSTER_BARS (lk_cluster_bars_get_type ())
G_DECLARE_FINAL_TYPE (LkClusterBars, lk_cluster_bars, LK, CLUSTER_BARS, LkCairoView)

struct _LkClusterBars
{
  LkCairoView parent_instance;

  GArray     *accuracy;   /* double, NaN for a cluster without answers */
  GArray     *hits;       /* guint */
};

G_DEFINE_FINAL_TYPE (LkClusterBars, lk_cluster_bars, LK_TYPE_CAIRO_VIEW)

static void
lk_cluster_bars_draw (LkCairoView *view,
                      cairo_t     *cr,
                      int          width,
                      int          height)
{
  LkClusterBars *self = LK_CLUSTER_BARS (view);
  double x0 = 40, y0 = 30, w = width - x0 - 12, h = height - y0 - 34, bw;
  guint n = self->accuracy->len;

  lk_cairo_view_set_ink (view, cr, LK_INK_TITLE);
  lk_cairo_view_text (cr, 10, 6, 13, 0, _("Odd one out: people’s accuracy per cluster"));
  if (w < 20 || h < 20)
    return;
  if (n == 0)
    {
      lk_cairo_view_set_ink (view, cr, LK_INK_DIM_TEXT);
      lk_cairo_view_text (cr, x0, y0 + 4, 11, 0, _("No odd-one-out trials yet"));
      return;
    }

  for (guint t = 0; t <= 4; t++)
    {
      double y = y0 + h * (1 - t / 4.0);
      char text[8];

      lk_cairo_view_set_ink (view, cr, LK_INK_GRID);
      cairo_set_line_width (cr, 1);
      cairo_move_to (cr, x0, y + 0.5);
      cairo_line_to (cr, x0 + w, y + 0.5);
      cairo_stroke (cr);
      lk_cairo_view_set_ink (view, cr, LK_INK_DIM_TEXT);
      g_snprintf (text, sizeof text, "%.2f", t / 4.0);
      lk_cairo_view_text (cr, x0 - 4, y - 6, 9, 1, text);
    }

  bw = w / n;
  for (guint i = 0; i < n; i++)
    {
      double a = g_array_index (self->accuracy, double, i);
      double x = x0 + i * bw;
      g_autofree char *label = g_strdup_printf ("C%u", i + 1);
      g_autofree char *hits = NULL;

      lk_cairo_view_set_ink (view, cr, LK_INK_TRACK);
      cairo_rectangle (cr, x + bw * 0.15, y0, bw * 0.7, h);
      cairo_fill (cr);
      if (isfinite (a))
        {
          if (lk_cairo_view_is_dark (view))
            cairo_set_source_rgb (cr, 0.38, 0.63, 0.92);
          else
            cairo_set_source_rgb (cr, 0.11, 0.44, 0.85);
          cairo_rectangle (cr, x + bw * 0.15, y0 + h * (1 - a), bw * 0.7, h * a);
          cairo_fill (cr);
        }
      lk_cairo_view_set_ink (view, cr, LK_INK_TEXT);
      if (bw >= 22)
        lk_cairo_view_text (cr, x + bw / 2, y0 + h + 3, 10, 0.5, label);
      if (bw >= 40)
        {
          /* Translators: the number of odd-one-out HITs a cluster's bar stands on */
          hits = g_strdup_printf (ngettext ("%u HIT", "%u HITs",
                                            g_array_index (self->hits, guint, i)),
                                  g_array_index (self->hits, guint, i));
          lk_cairo_view_set_ink (view, cr, LK_INK_DIM_TEXT);
          lk_cairo_view_text (cr, x + bw / 2, y0 + h + 16, 9, 0.5, hits);
        }
    }
}

static void
lk_cluster_bars_finalize (GObject *object)
{
  LkClusterBars *self = LK_CLUSTER_BARS (object);

  g_array_unref (self->accuracy);
  g_array_unref (self->hits);

  G_OBJECT_CLASS (lk_cluster_bars_parent_class)->finalize (object);
}

static void
lk_cluster_bars_class_init (LkClusterBarsClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = lk_cluster_bars_finalize;
  LK_CAIRO_VIEW_CLASS (klass)->draw = lk_cluster_bars_draw;
  gtk_widget_class_set_css_name (GTK_WIDGET_CLASS (klass), "lk-cluster-bars");
  gtk_widget_class_set_accessible_role (GTK_WIDGET_CLASS (klass), GTK_ACCESSIBLE_ROLE_IMG);
}

static void
lk_cluster_bars_init (LkClusterBars *self)
{
  self->accuracy = g_array_new (FALSE, FALSE, sizeof (double));
  self->hits = g_array_new (FALSE, FALSE, sizeof (guint));
  gtk_widget_set_size_request (GTK_WIDGET (self), 280, 150);
}

struct _LkScoresView
{
  GtkBox         parent_instance;

  GtkLabel      *status;
  GtkGrid       *table;
  LkClusterBars *bars;
  GCancellable  *loading;
  GHashTable    *cells;   /* "kind/metric" -> GtkLabel (borrowed, in table) */
};

G_DEFINE_FINAL_TYPE (LkScoresView, lk_scores_view, GTK_TYPE_BOX)

static GtkWidget *
cell (const char *text,
      gboolean    heading)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_selectable (GTK_LABEL (label), !heading);
  if (heading)
    gtk_widget_add_css_class (label, "heading");
  else
    gtk_widget_add_css_class (label, "numeric");

  return label;
}

static void
clear_table (LkScoresView *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->table))) != NULL)
    gtk_grid_remove (self->table, child);
  g_hash_table_remove_all (self->cells);
}

static void
show_scores (LkScoresView *self,
             JsonNode     *scores)
{
  JsonObject *o = json_node_get_object (scores);
  guint row = 1;

  clear_table (self);
  g_array_set_size (self->bars->accuracy, 0);
  g_array_set_size (self->bars->hits, 0);
  gtk_grid_attach (self->table, cell (_("Task"), TRUE), 0, 0, 1, 1);
  for (guint m = 0; m < LK_SCORES_N_METRICS; m++)
    gtk_grid_attach (self->table, cell (lk_scores_metric_title (lk_scores_metrics[m]), TRUE),
                     1 + m, 0, 1, 1);
  for (guint k = 0; k < LK_SCORES_N_KINDS; k++)
    {
      const char *kind = lk_scores_kinds[k];
      g_autofree char *title = NULL;

      if (!json_object_has_member (o, kind))
        continue;
      /* Translators: a task kind and its headline figure, e.g. "Triplets, precision" */
      title = g_strdup_printf (_("%s, %s"), lk_scores_kind_title (kind),
                               lk_scores_figure_title (kind));
      gtk_grid_attach (self->table, cell (title, TRUE), 0, row, 1, 1);
      for (guint m = 0; m < LK_SCORES_N_METRICS; m++)
        {
          double est, lo, hi;
          g_autofree char *text = NULL;
          GtkWidget *label;

          if (lk_scores_headline (o, kind, lk_scores_metrics[m], &est, &lo, &hi))
            text = lk_scores_format_figure (est, lo, hi);
          else
            text = g_strdup (_("not yet"));
          label = cell (text, FALSE);
          gtk_grid_attach (self->table, label, 1 + m, row, 1, 1);
          g_hash_table_insert (self->cells, g_strconcat (kind, "/", lk_scores_metrics[m], NULL),
                               label);
        }
      row++;
    }
  if (row == 1)
    {
      clear_table (self);
      gtk_label_set_text (self->status, _("No trials yet: scores need triplets, forced "
                                          "choices, match pages or odd-one-out trials"));
    }
  else
    /* xgettext:no-c-format */
    gtk_label_set_text (self->status, _("Each metric’s headline figure with its 95 % interval"));

  if (json_object_has_member (o, "intruder") &&
      json_object_has_member (json_object_get_object_member (o, "intruder"), "clusters"))
    {
      JsonArray *clusters = json_object_get_array_member (
        json_object_get_object_member (o, "intruder"), "clusters");

      for (guint c = 0; c < json_array_get_length (clusters); c++)
        {
          JsonObject *co = json_array_get_object_element (clusters, c);
          JsonNode *a = json_object_get_member (co, "accuracy");
          double accuracy = a != NULL && JSON_NODE_HOLDS_VALUE (a) ? json_node_get_double (a)
                                                                   : NAN;
          guint hits = (guint) json_object_get_int_member (co, "hits");

          g_array_append_val (self->bars->accuracy, accuracy);
          g_array_append_val (self->bars->hits, hits);
        }
    }
  gtk_widget_queue_draw (GTK_WIDGET (self->bars));
}

static void
scores_ready_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(LkScoresView) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) scores = lk_scores_compute_finish (result, &error);

  if (g_task_get_cancellable (G_TASK (result)) != self->loading)
    return;
  g_clear_object (&self->loading);
  if (scores == NULL)
    {
      g_autofree char *text = NULL;

      clear_table (self);
      /* Translators: the reason comes from the study file's store */
      text = g_strdup_printf (_("The scores could not be computed: %s"), error->message);
      gtk_label_set_text (self->status, text);
      return;
    }
  show_scores (self, scores);
}

/**
 * lk_scores_view_load:
 * @path: a study file
 *
 * Computes the study's scores on a worker thread and shows them when they are in.
 */
void
lk_scores_view_load (LkScoresView *self,
                     const char   *path)
{
  g_return_if_fail (LK_IS_SCORES_VIEW (self));
  g_return_if_fail (path != NULL);

  g_cancellable_cancel (self->loading);
  g_clear_object (&self->loading);
  self->loading = g_cancellable_new ();
  gtk_label_set_text (self->status, _("Computing the scores…"));
  lk_scores_compute_async (path, self->loading, scores_ready_cb, g_object_ref (self));
}

static void
lk_scores_view_dispose (GObject *object)
{
  LkScoresView *self = LK_SCORES_VIEW (object);

  g_cancellable_cancel (self->loading);
  g_clear_object (&self->loading);
  g_clear_pointer (&self->cells, g_hash_table_unref);

  G_OBJECT_CLASS (lk_scores_view_parent_class)->dispose (object);
}

static void
lk_scores_view_class_init (LkScoresViewClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = lk_scores_view_dispose;
  gtk_widget_class_set_css_name (GTK_WIDGET_CLASS (klass), "lk-scores-view");
}

static void
lk_scores_view_init (LkScoresView *self)
{
  GtkWidget *title = gtk_label_new (_("Scores"));

  gtk_orientable_set_orientation (GTK_ORIENTABLE (self), GTK_ORIENTATION_VERTICAL);
  gtk_box_set_spacing (GTK_BOX (self), 6);
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_widget_add_css_class (title, "title-4");
  gtk_box_append (GTK_BOX (self), title);
  self->status = GTK_LABEL (gtk_label_new (_("Scores are shown for a study file")));
  gtk_label_set_xalign (self->status, 0);
  gtk_label_set_wrap (self->status, TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (self->status), "dim-label");
  gtk_box_append (GTK_BOX (self), GTK_WIDGET (self->status));
  self->table = GTK_GRID (gtk_grid_new ());
  gtk_grid_set_column_spacing (self->table, 12);
  gtk_grid_set_row_spacing (self->table, 4);
  gtk_box_append (GTK_BOX (self), GTK_WIDGET (self->table));
  self->bars = g_object_new (LK_TYPE_CLUSTER_BARS, NULL);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->bars), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Odd one out: people’s accuracy per cluster"), -1);
  gtk_box_append (GTK_BOX (self), GTK_WIDGET (self->bars));
  self->cells = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

GtkWidget *
lk_scores_view_new (void)
{
  return g_object_new (LK_TYPE_SCORES_VIEW, NULL);
}

/* lk_scores_view_is_loading: Returns: %TRUE while the scores are being computed */
gboolean
lk_scores_view_is_loading (LkScoresView *self)
{
  g_return_val_if_fail (LK_IS_SCORES_VIEW (self), FALSE);

  return self->loading != NULL;
}

/* Returns: (transfer none): the status line */
const char *
lk_scores_view_get_status (LkScoresView *self)
{
  g_return_val_if_fail (LK_IS_SCORES_VIEW (self), NULL);

  return gtk_label_get_text (self->status);
}

/* Returns: (transfer none) (nullable): the table's cell of @kind and @metric, NULL if none */
const char *
lk_scores_view_get_cell_text (LkScoresView *self,
                              const char   *kind,
                              const char   *metric)
{
  g_autofree char *key = g_strconcat (kind, "/", metric, NULL);
  GtkLabel *label;

  g_return_val_if_fail (LK_IS_SCORES_VIEW (self), NULL);

  label = g_hash_table_lookup (self->cells, key);

  return label != NULL ? gtk_label_get_text (label) : NULL;
}

/* Returns: the chart's bars (clusters) */
guint
lk_scores_view_get_n_bars (LkScoresView *self)
{
  g_return_val_if_fail (LK_IS_SCORES_VIEW (self), 0);

  return self->bars->accuracy->len;
}

/* Returns: the accuracy bar @index stands for (NaN for a cluster without answers) */
double
lk_scores_view_get_bar (LkScoresView *self,
                        guint         index)
{
  g_return_val_if_fail (LK_IS_SCORES_VIEW (self), NAN);
  g_return_val_if_fail (index < self->bars->accuracy->len, NAN);

  return g_array_index (self->bars->accuracy, double, index);
}
