/* lk-charts.c — the convergence and progress views, drawn with Cairo
 *
 * Convergence: per phase (x = answers folded in), the share of pairs observed, the stress
 * relative to its largest value, and with ground truth the 10-NN recall and the cluster error
 * (as in the paper's Fig. 5 and 10). A comparison run (the random policy in demo mode) adds its
 * recall as a dashed line. Progress: answers of the budget, grids drawn on the spot, answers per
 * participant, time per grid, and the expected appearances per image (budget x nq / N).
 *
 * Neither knows the refinement worker: the experimenter window pushes the snapshots and the
 * progress record into them (lk_convergence_view_set_snapshots(),
 * lk_progress_view_set_progress()) and they draw those immutable copies alone.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <math.h>
#include <glib/gi18n.h>

#include "lk-charts.h"

typedef double (*MetricFunc) (const LkSnapshot *snapshot);

struct _LkConvergenceView
{
  LkCairoView  parent_instance;

  GPtrArray   *snapshots;    /* nullable: LkSnapshot, oldest first */
  GPtrArray   *comparison;   /* nullable: the comparison run's */
};

G_DEFINE_FINAL_TYPE (LkConvergenceView, lk_convergence_view, LK_TYPE_CAIRO_VIEW)

static double
relative_stress (const GPtrArray *snapshots,
                 guint            i)
{
  double max = 0;

  for (guint j = 0; j < snapshots->len; j++)
    {
      double s = lk_snapshot_get_stress (g_ptr_array_index (snapshots, j));

      if (isfinite (s))
        max = MAX (max, s);
    }

  return max > 0 ? lk_snapshot_get_stress (g_ptr_array_index (snapshots, i)) / max : NAN;
}

/* Draws one series; @metric NULL means relative stress. */
static void
draw_series (cairo_t         *cr,
             const GPtrArray *snapshots,
             MetricFunc       metric,
             double           x0,
             double           y0,
             double           w,
             double           h,
             double           max_answers,
             gboolean         dashed)
{
  gboolean started = FALSE;
  static const double dash[] = { 5, 3 };

  cairo_set_line_width (cr, 2);
  cairo_set_dash (cr, dash, dashed ? 2 : 0, 0);
  for (guint i = 0; i < snapshots->len; i++)
    {
      LkSnapshot *s = g_ptr_array_index (snapshots, i);
      double v = metric != NULL ? metric (s) : relative_stress (snapshots, i);
      double x = x0 + w * lk_snapshot_get_n_answers (s) / max_answers;
      double y = y0 + h * (1 - CLAMP (v, 0, 1));

      if (!isfinite (v))
        continue;
      if (!started)
        cairo_move_to (cr, x, y);
      else
        cairo_line_to (cr, x, y);
      started = TRUE;
    }
  cairo_stroke (cr);
  cairo_set_dash (cr, NULL, 0, 0);
  for (guint i = 0; i < snapshots->len; i++)
    {
      LkSnapshot *s = g_ptr_array_index (snapshots, i);
      double v = metric != NULL ? metric (s) : relative_stress (snapshots, i);

      if (!isfinite (v))
        continue;
      cairo_arc (cr, x0 + w * lk_snapshot_get_n_answers (s) / max_answers,
                 y0 + h * (1 - CLAMP (v, 0, 1)), 3, 0, 2 * G_PI);
      cairo_fill (cr);
    }
}

static void
lk_convergence_view_draw (LkCairoView *view,
                          cairo_t     *cr,
                          int          width,
                          int          height)
{
  LkConvergenceView *self = LK_CONVERGENCE_VIEW (view);
  const struct {
    const char *label;
    MetricFunc  metric;
    double      rgb[3];
    double      dark_rgb[3];   /* lighter, for the dark style: lines of at least 3:1 */
  } series[] = {
    { N_("10-NN recall"), lk_snapshot_get_recall10, { 0.11, 0.44, 0.85 }, { 0.38, 0.63, 0.92 } },
    { N_("cluster error"), lk_snapshot_get_cluster_error, { 0.90, 0.38, 0.0 },
      { 1.0, 0.64, 0.28 } },
    { N_("pairs observed"), lk_snapshot_get_pairs_observed, { 0.15, 0.64, 0.41 },
      { 0.34, 0.89, 0.54 } },
    { N_("stress (rel.)"), NULL, { 0.51, 0.24, 0.61 }, { 0.75, 0.38, 0.80 } },
  };
  gboolean dark = lk_cairo_view_is_dark (view);
  double x0 = 44, y0 = 34, w = width - x0 - 16, h = height - y0 - 52;
  double max_answers;
  GPtrArray *snapshots;
  double lx = x0;

  lk_cairo_view_set_ink (view, cr, LK_INK_TITLE);
  lk_cairo_view_text (cr, 10, 6, 13, 0, _("Convergence"));
  if (self->snapshots == NULL || self->snapshots->len == 0 || w < 20 || h < 20)
    return;
  snapshots = self->snapshots;
  max_answers = MAX (lk_snapshot_get_budget (g_ptr_array_index (snapshots, snapshots->len - 1)), 1);

  /* Axes and grid. */
  cairo_set_line_width (cr, 1);
  for (int g = 0; g <= 4; g++)
    {
      char text[8];

      lk_cairo_view_set_ink (view, cr, LK_INK_GRID);
      cairo_move_to (cr, x0, y0 + h * g / 4.0);
      cairo_line_to (cr, x0 + w, y0 + h * g / 4.0);
      cairo_stroke (cr);
      lk_cairo_view_set_ink (view, cr, LK_INK_DIM_TEXT);
      g_snprintf (text, sizeof text, "%.2f", 1 - g / 4.0);
      lk_cairo_view_text (cr, x0 - 6, y0 + h * g / 4.0 - 7, 10, 1, text);
    }
  lk_cairo_view_set_ink (view, cr, LK_INK_FRAME);
  cairo_rectangle (cr, x0, y0, w, h);
  cairo_stroke (cr);
  lk_cairo_view_set_ink (view, cr, LK_INK_DIM_TEXT);
  for (int g = 0; g <= 4; g++)
    {
      char text[16];

      g_snprintf (text, sizeof text, "%.0f", max_answers * g / 4.0);
      lk_cairo_view_text (cr, x0 + w * g / 4.0, y0 + h + 3, 10, 0.5, text);
    }
  lk_cairo_view_text (cr, x0 + w, y0 + h + 16, 10, 1, _("answers"));

  for (guint s = 0; s < G_N_ELEMENTS (series); s++)
    {
      gboolean any = FALSE;
      const double *rgb = dark ? series[s].dark_rgb : series[s].rgb;

      /* Without ground truth there is no recall or cluster error: no line, no legend. */
      for (guint i = 0; i < snapshots->len && !any; i++)
        any = series[s].metric == NULL
              || isfinite (series[s].metric (g_ptr_array_index (snapshots, i)));
      if (!any && snapshots->len > 0)
        continue;
      cairo_set_source_rgb (cr, rgb[0], rgb[1], rgb[2]);
      draw_series (cr, snapshots, series[s].metric, x0, y0, w, h, max_answers, FALSE);
      cairo_rectangle (cr, lx, height - 16, 10, 10);
      cairo_fill (cr);
      lk_cairo_view_set_ink (view, cr, LK_INK_TEXT);
      lk_cairo_view_text (cr, lx + 14, height - 19, 11, 0, _(series[s].label));
      lx += 24 + 7.0 * strlen (_(series[s].label));
    }
  if (self->comparison != NULL)
    {
      lk_cairo_view_set_ink (view, cr, LK_INK_MUTED);
      draw_series (cr, self->comparison, lk_snapshot_get_recall10, x0, y0, w, h, max_answers, TRUE);
      lk_cairo_view_set_ink (view, cr, LK_INK_TEXT);
      lk_cairo_view_text (cr, x0 + w - 4, y0 + 4, 11, 1, _("dashed: recall, random policy"));
    }
}

static void
lk_convergence_view_finalize (GObject *object)
{
  LkConvergenceView *self = (LkConvergenceView *)object;

  g_clear_pointer (&self->snapshots, g_ptr_array_unref);
  g_clear_pointer (&self->comparison, g_ptr_array_unref);

  G_OBJECT_CLASS (lk_convergence_view_parent_class)->finalize (object);
}

static void
lk_convergence_view_class_init (LkConvergenceViewClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = lk_convergence_view_finalize;
  LK_CAIRO_VIEW_CLASS (klass)->draw = lk_convergence_view_draw;
  gtk_widget_class_set_css_name (GTK_WIDGET_CLASS (klass), "lk-convergence-view");
}

static void
lk_convergence_view_init (LkConvergenceView *self)
{
  gtk_widget_set_size_request (GTK_WIDGET (self), 300, 180);
}

GtkWidget *
lk_convergence_view_new (void)
{
  return g_object_new (LK_TYPE_CONVERGENCE_VIEW, NULL);
}

/* Returns a copy of @snapshots (the snapshots referenced), or %NULL: the caller's array may
 * grow later, the view's must not. */
static gpointer
ref_snapshot (gconstpointer snapshot,
              gpointer      user_data)
{
  return lk_snapshot_ref ((LkSnapshot *) snapshot);
}

static GPtrArray *
copy_snapshots (GPtrArray *snapshots)
{
  GPtrArray *copy;

  if (snapshots == NULL)
    return NULL;
  copy = g_ptr_array_copy (snapshots, ref_snapshot, NULL);
  g_ptr_array_set_free_func (copy, (GDestroyNotify) lk_snapshot_unref);

  return copy;
}

/**
 * lk_convergence_view_set_snapshots:
 * @snapshots: (nullable) (element-type LkSnapshot): the study's snapshots, oldest first
 *   (copied: later changes to the array are not seen)
 * @comparison: (nullable) (element-type LkSnapshot): a comparison run's (the random policy)
 */
void
lk_convergence_view_set_snapshots (LkConvergenceView *self,
                                   GPtrArray         *snapshots,
                                   GPtrArray         *comparison)
{
  g_return_if_fail (LK_IS_CONVERGENCE_VIEW (self));

  g_clear_pointer (&self->snapshots, g_ptr_array_unref);
  g_clear_pointer (&self->comparison, g_ptr_array_unref);
  self->snapshots = copy_snapshots (snapshots);
  self->comparison = copy_snapshots (comparison);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* ------------------------------------------------------------------------------------------ */

struct _LkProgressView
{
  LkCairoView  parent_instance;

  LkProgress  *progress;   /* nullable */
};

G_DEFINE_FINAL_TYPE (LkProgressView, lk_progress_view, LK_TYPE_CAIRO_VIEW)

static void
lk_progress_view_draw (LkCairoView *view,
                       cairo_t     *cr,
                       int          width,
                       int          height)
{
  LkProgressView *self = LK_PROGRESS_VIEW (view);
  const LkProgressCounts *counts;
  g_autofree char *line = NULL;
  g_autofree char *line2 = NULL;
  const double *seconds;
  guint budget, n_seconds, n_codes, max_count = 1;
  double bar_w = width - 24, y, half;
  guint hist[12] = { 0 }, hist_max = 1;

  lk_cairo_view_set_ink (view, cr, LK_INK_TITLE);
  lk_cairo_view_text (cr, 10, 6, 13, 0, _("Progress of the study"));
  if (self->progress == NULL)
    return;

  counts = lk_progress_get_counts (self->progress);
  budget = MAX (counts->budget, 1);

  line = lk_progress_dup_summary (self->progress);
  lk_cairo_view_set_ink (view, cr, LK_INK_TEXT);
  lk_cairo_view_text (cr, 12, 28, 11, 0, line);
  lk_cairo_view_set_ink (view, cr, LK_INK_TRACK);
  cairo_rectangle (cr, 12, 46, bar_w, 10);
  cairo_fill (cr);
  cairo_set_source_rgb (cr, 0.11, 0.44, 0.85);
  cairo_rectangle (cr, 12, 46, bar_w * MIN (counts->n_answers, budget) / budget, 10);
  cairo_fill (cr);

  line2 = g_strdup_printf (_("Expected appearances per image: %.1f (budget × %u images per grid ÷ %u images)"),
                           (double) budget * counts->nq / MAX (counts->n_items, 1),
                           counts->nq, counts->n_items);
  lk_cairo_view_set_ink (view, cr, LK_INK_TEXT);
  lk_cairo_view_text (cr, 12, 62, 11, 0, line2);

  /* Answers per participant, left half; time per grid, right half. */
  y = 84;
  half = (width - 36) / 2.0;
  n_codes = lk_progress_get_n_participants (self->progress);
  for (guint i = 0; i < n_codes; i++)
    {
      guint count;

      lk_progress_get_participant (self->progress, i, &count);
      max_count = MAX (max_count, count);
    }
  lk_cairo_view_text (cr, 12, y, 11, 0, _("Answers per participant"));
  for (guint i = 0; i < n_codes && y + 20 + 14 * i < height - 4; i++)
    {
      guint count;
      const char *code = lk_progress_get_participant (self->progress, i, &count);
      char text[16];

      lk_cairo_view_set_ink (view, cr, LK_INK_TEXT);
      lk_cairo_view_text (cr, 12, y + 16 + 14 * i, 10, 0, code);
      cairo_set_source_rgb (cr, 0.15, 0.64, 0.41);
      cairo_rectangle (cr, 70, y + 18 + 14 * i, (half - 100) * count / max_count, 9);
      cairo_fill (cr);
      lk_cairo_view_set_ink (view, cr, LK_INK_TEXT);
      g_snprintf (text, sizeof text, "%u", count);
      lk_cairo_view_text (cr, 74 + (half - 100) * count / max_count, y + 16 + 14 * i, 10, 0, text);
    }

  seconds = lk_progress_get_grid_seconds (self->progress, &n_seconds);
  for (guint i = 0; i < n_seconds; i++)
    {
      guint b = MIN ((guint) (seconds[i] / 5.0), G_N_ELEMENTS (hist) - 1);

      hist[b]++;
      hist_max = MAX (hist_max, hist[b]);
    }
  {
    double hx = 24 + half, hy = y + 18, hw = half - 12, hh = height - hy - 18;

    lk_cairo_view_set_ink (view, cr, LK_INK_TEXT);
    lk_cairo_view_text (cr, hx, y, 11, 0, _("Time per grid (s)"));
    if (hh > 10)
      for (guint b = 0; b < G_N_ELEMENTS (hist); b++)
        {
          double bw = hw / G_N_ELEMENTS (hist);
          char text[8];

          if (lk_cairo_view_is_dark (view))
            cairo_set_source_rgb (cr, 0.75, 0.38, 0.80);
          else
            cairo_set_source_rgb (cr, 0.51, 0.24, 0.61);
          cairo_rectangle (cr, hx + b * bw + 1, hy + hh * (1 - (double) hist[b] / hist_max),
                           bw - 2, hh * hist[b] / hist_max);
          cairo_fill (cr);
          if (b % 2 == 0)
            {
              lk_cairo_view_set_ink (view, cr, LK_INK_DIM_TEXT);
              g_snprintf (text, sizeof text, b + 1 == G_N_ELEMENTS (hist) ? "%u+" : "%u", b * 5);
              lk_cairo_view_text (cr, hx + b * bw, hy + hh + 2, 9, 0, text);
            }
        }
  }
}

static void
lk_progress_view_finalize (GObject *object)
{
  LkProgressView *self = (LkProgressView *)object;

  g_clear_pointer (&self->progress, lk_progress_unref);

  G_OBJECT_CLASS (lk_progress_view_parent_class)->finalize (object);
}

static void
lk_progress_view_class_init (LkProgressViewClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = lk_progress_view_finalize;
  LK_CAIRO_VIEW_CLASS (klass)->draw = lk_progress_view_draw;
  gtk_widget_class_set_css_name (GTK_WIDGET_CLASS (klass), "lk-progress-view");
}

static void
lk_progress_view_init (LkProgressView *self)
{
  gtk_widget_set_size_request (GTK_WIDGET (self), 300, 160);
}

GtkWidget *
lk_progress_view_new (void)
{
  return g_object_new (LK_TYPE_PROGRESS_VIEW, NULL);
}

/**
 * lk_progress_view_set_progress:
 * @progress: (nullable): the study's progress record (referenced)
 */
void
lk_progress_view_set_progress (LkProgressView *self,
                               LkProgress     *progress)
{
  g_return_if_fail (LK_IS_PROGRESS_VIEW (self));

  if (self->progress == progress)
    return;
  if (progress != NULL)
    lk_progress_ref (progress);
  g_clear_pointer (&self->progress, lk_progress_unref);
  self->progress = progress;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}
