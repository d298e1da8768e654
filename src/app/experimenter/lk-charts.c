/* lk-charts.c — the convergence and progress views, drawn with Cairo
 *
 * Convergence: per phase (x = answers folded in), the share of pairs observed, the stress
 * relative to its largest value, and with ground truth the 10-NN recall and the cluster error
 * (as in the paper's Fig. 5 and 10). A comparison run (the random policy in demo mode) adds its
 * recall as a dashed line. Progress: answers of the budget, grids drawn on the spot, answers per
 * participant (sorted grids and answered trials of every task kind, stacked, with a legend of
 * the kinds present), time per grid, and the expected appearances per image
 * (budget x nq / N).
 *
 * Neither knows the refinement worker: the experimenter window pushes the snapshots, the
 * progress record (whose participants' counts are their sorted grids) and each participant's
 * trials per kind (read from the study file with its scores, lk-scores-view.c) into them
 * (lk_convergence_view_set_snapshots(), lk_progress_view_set_progress(),
 * lk_progress_view_set_trial_counts()) and they draw those copies alone.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <math.h>
#include <string.h>
#include <glib/gi18n.h>

#include "lk-charts-private.h"
#include "lk-scores-summary.h"
#include "lk-trial.h"

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

  LkProgress  *progress;       /* nullable */
  GHashTable  *trial_counts;   /* code -> guint[LK_N_TASK_KINDS], a copy */
  GArray      *rows;           /* nullable: Row, by code; made from the two above on demand */
};

G_DEFINE_FINAL_TYPE (LkProgressView, lk_progress_view, LK_TYPE_CAIRO_VIEW)

/* One participant's bar: their answers per task kind (sorted grids at LK_TASK_SORT). */
typedef struct {
  const char *code;   /* borrowed from the progress record or trial_counts */
  guint       n[LK_N_TASK_KINDS];
  guint       total;
} Row;

/* The kinds a bar stacks, in order, and their colours (light, dark). */
static const struct {
  LkTaskKind kind;
  double     light[3], dark[3];
} stack[] = {
  { LK_TASK_SORT, { 0.15, 0.64, 0.41 }, { 0.34, 0.79, 0.55 } },
  { LK_TASK_TRIPLET, { 0.11, 0.44, 0.85 }, { 0.38, 0.63, 0.92 } },
  { LK_TASK_CHOICE5, { 0.90, 0.45, 0.05 }, { 1.00, 0.64, 0.25 } },
  { LK_TASK_MATCH, { 0.51, 0.24, 0.61 }, { 0.75, 0.38, 0.80 } },
  { LK_TASK_INTRUDER, { 0.75, 0.11, 0.16 }, { 0.96, 0.38, 0.32 } },
};

static int
compare_rows (const void *a,
              const void *b)
{
  return g_strcmp0 (((const Row *) a)->code, ((const Row *) b)->code);
}

/* Returns the participants' rows, made on first use after a change. Training and exam grids
 * are sorting too: the progress record counts them with the grids. */
static GArray *
get_rows (LkProgressView *self)
{
  g_autoptr(GHashTable) index = NULL;
  GHashTableIter iter;
  gpointer key, value;

  if (self->rows != NULL)
    return self->rows;
  self->rows = g_array_new (FALSE, TRUE, sizeof (Row));
  index = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; self->progress != NULL && i < lk_progress_get_n_participants (self->progress);
       i++)
    {
      Row row = { 0 };

      row.code = lk_progress_get_participant (self->progress, i, &row.n[LK_TASK_SORT]);
      g_array_append_val (self->rows, row);
      g_hash_table_insert (index, (gpointer) row.code, GUINT_TO_POINTER (self->rows->len));
    }
  g_hash_table_iter_init (&iter, self->trial_counts);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      guint at = GPOINTER_TO_UINT (g_hash_table_lookup (index, key));
      const guint *n = value;
      Row *row;

      if (at == 0)
        {
          Row fresh = { .code = key };

          g_array_append_val (self->rows, fresh);
          at = self->rows->len;
        }
      row = &g_array_index (self->rows, Row, at - 1);
      for (guint k = 0; k < LK_N_TASK_KINDS; k++)
        if (!lk_task_kind_is_sorting (k))
          row->n[k] = n[k];
    }
  for (guint i = 0; i < self->rows->len; i++)
    {
      Row *row = &g_array_index (self->rows, Row, i);

      for (guint k = 0; k < LK_N_TASK_KINDS; k++)
        row->total += row->n[k];
    }
  g_array_sort (self->rows, compare_rows);

  return self->rows;
}

static const char *
kind_title (LkTaskKind kind)
{
  return kind == LK_TASK_SORT ? _("Sorting") : lk_scores_kind_title (lk_task_kind_to_string (kind));
}

/* Draws the answers per participant as stacked bars from (@x, @y), @w wide, down to @bottom. */
static void
draw_answers (LkProgressView *self,
              cairo_t        *cr,
              double          x,
              double          y,
              double          w,
              double          bottom)
{
  LkCairoView *view = LK_CAIRO_VIEW (self);
  GArray *rows = get_rows (self);
  gboolean present[G_N_ELEMENTS (stack)] = { FALSE };
  guint n_present = 0, max_total = 1;
  double lx = x, bar_w = w - 88;

  for (guint i = 0; i < rows->len; i++)
    {
      const Row *row = &g_array_index (rows, Row, i);

      max_total = MAX (max_total, row->total);
      for (guint s = 0; s < G_N_ELEMENTS (stack); s++)
        if (row->n[stack[s].kind] > 0 && !present[s])
          {
            present[s] = TRUE;
            n_present++;
          }
    }
  lk_cairo_view_set_ink (view, cr, LK_INK_TEXT);
  lk_cairo_view_text (cr, x, y, 11, 0, _("Answers per participant"));
  y += 16;
  /* The legend, when trials are stacked on the grids. */
  if (n_present > 1 || (n_present == 1 && !present[0]))
    {
      for (guint s = 0; s < G_N_ELEMENTS (stack); s++)
        {
          const double *c = lk_cairo_view_is_dark (view) ? stack[s].dark : stack[s].light;
          const char *title = kind_title (stack[s].kind);
          double item_w;

          if (!present[s])
            continue;
          item_w = 11 + lk_cairo_view_text_width (cr, 9, title) + 10;
          /* The legend wraps within its half of the view. */
          if (lx > x && lx + item_w > x + w)
            {
              lx = x;
              y += 12;
            }
          cairo_set_source_rgb (cr, c[0], c[1], c[2]);
          cairo_rectangle (cr, lx, y + 3, 8, 8);
          cairo_fill (cr);
          lk_cairo_view_set_ink (view, cr, LK_INK_DIM_TEXT);
          lk_cairo_view_text (cr, lx + 11, y, 9, 0, title);
          lx += item_w;
        }
      y += 14;
    }
  for (guint i = 0; i < rows->len && y + 14 * (i + 1) < bottom; i++)
    {
      const Row *row = &g_array_index (rows, Row, i);
      double bx = x + 58, by = y + 2 + 14 * i;
      char text[16];

      lk_cairo_view_set_ink (view, cr, LK_INK_TEXT);
      lk_cairo_view_text (cr, x, y + 14 * i, 10, 0, row->code);
      for (guint s = 0; s < G_N_ELEMENTS (stack); s++)
        {
          const double *c = lk_cairo_view_is_dark (view) ? stack[s].dark : stack[s].light;
          double sw = bar_w * row->n[stack[s].kind] / max_total;

          if (sw <= 0)
            continue;
          cairo_set_source_rgb (cr, c[0], c[1], c[2]);
          cairo_rectangle (cr, bx, by, sw, 9);
          cairo_fill (cr);
          bx += sw;
        }
      lk_cairo_view_set_ink (view, cr, LK_INK_TEXT);
      g_snprintf (text, sizeof text, "%u", row->total);
      lk_cairo_view_text (cr, bx + 4, y + 14 * i, 10, 0, text);
    }
}

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
  guint budget, n_seconds;
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
  draw_answers (self, cr, 12, y, half, height - 4);

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
  g_clear_pointer (&self->trial_counts, g_hash_table_unref);
  g_clear_pointer (&self->rows, g_array_unref);

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
  self->trial_counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
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
  g_clear_pointer (&self->rows, g_array_unref);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/**
 * lk_progress_view_set_trial_counts:
 * @counts: (nullable): participant code -> guint[LK_N_TASK_KINDS], their answered trials per
 *   kind (copied); %NULL for none
 *
 * The trials stacked on each participant's sorted grids in "Answers per participant".
 */
void
lk_progress_view_set_trial_counts (LkProgressView *self,
                                   GHashTable     *counts)
{
  GHashTableIter iter;
  gpointer key, value;

  g_return_if_fail (LK_IS_PROGRESS_VIEW (self));

  g_hash_table_remove_all (self->trial_counts);
  if (counts != NULL)
    {
      g_hash_table_iter_init (&iter, counts);
      while (g_hash_table_iter_next (&iter, &key, &value))
        g_hash_table_insert (self->trial_counts, g_strdup (key),
                             g_memdup2 (value, sizeof (guint) * LK_N_TASK_KINDS));
    }
  g_clear_pointer (&self->rows, g_array_unref);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* Returns: the participants "Answers per participant" shows */
guint
lk_progress_view_get_n_rows (LkProgressView *self)
{
  g_return_val_if_fail (LK_IS_PROGRESS_VIEW (self), 0);

  return get_rows (self)->len;
}

/**
 * lk_progress_view_get_row:
 * @index: below lk_progress_view_get_n_rows(); rows are sorted by code
 * @n_answers: (out caller-allocates) (array fixed-size=7) (optional): the answers per
 *   #LkTaskKind (sorted grids at %LK_TASK_SORT)
 *
 * Returns: (transfer none): the participant's code
 */
const char *
lk_progress_view_get_row (LkProgressView *self,
                          guint           index,
                          guint          *n_answers)
{
  const Row *row;

  g_return_val_if_fail (LK_IS_PROGRESS_VIEW (self), NULL);
  g_return_val_if_fail (index < get_rows (self)->len, NULL);

  row = &g_array_index (get_rows (self), Row, index);
  if (n_answers != NULL)
    memcpy (n_answers, row->n, sizeof row->n);

  return row->code;
}
