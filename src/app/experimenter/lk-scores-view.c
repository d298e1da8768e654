/* lk-scores-view.c — the experimenter's Scores
 *
 * The study's scores (those of `likeness-cli score`, lk-scores-summary.c) are computed on a
 * worker thread when a study file is shown, and again while a session runs on it: the window
 * calls lk_scores_view_refresh() on every trial answered and every phase folded in. Refreshes
 * are coalesced: a request starts a computation after a short quiet spell (REFRESH_DELAY_MS),
 * requests during it are remembered as one, and a computation under way is never started
 * twice; the figures shown stay until the new ones are in. When the scores cannot be computed,
 * the status line says why. A table gives each task kind's headline figure for every metric
 * with its 95 % interval (rows: kinds present; columns: learned, colour, HOG), and a Cairo bar
 * chart people's intruder accuracy per cluster (the clusters the HITs' majorities join,
 * lk-study-scores.c), each bar labelled with its HITs.
 *
 * The same job counts each participant's answered trials per task kind (the ones the model is
 * given, lk_answers_list_trials()), which the window hands to the progress view's "Answers per
 * participant" chart on "updated".
 *
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "lk-answers.h"
#include "lk-cairo-view.h"
#include "lk-scores-summary.h"
#include "lk-scores-view-private.h"
#include "lk-store.h"

/* How long a refresh waits for more requests before it starts, so that a burst of answers
 * gives one computation. */
#define REFRESH_DELAY_MS 150

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
  GCancellable  *loading;        /* nullable: the computation under way */
  GHashTable    *cells;          /* "kind/metric" -> GtkLabel (borrowed, in table) */
  char          *path;           /* nullable: the study file shown */
  GHashTable    *trial_counts;   /* nullable: participant code -> guint[LK_N_TASK_KINDS] */
  guint          refresh_source; /* the delayed start of a refresh, 0 for none */
  gboolean       pending;        /* a refresh was asked for while computing */
  gboolean       shown;          /* figures (or their absence) have been shown once */
  guint          n_computed;     /* computations started */
};

G_DEFINE_FINAL_TYPE (LkScoresView, lk_scores_view, GTK_TYPE_BOX)

enum {
  SIGNAL_UPDATED,
  N_SIGNALS,
};

static guint signals[N_SIGNALS];

/* What one computation reads, on its worker thread. */
typedef struct {
  char       *path;
  JsonNode   *scores;        /* out */
  GHashTable *trial_counts;  /* out, nullable: as LkScoresView's */
} ScoresJob;

static void
scores_job_free (gpointer data)
{
  ScoresJob *job = data;

  g_free (job->path);
  g_clear_pointer (&job->scores, json_node_unref);
  g_clear_pointer (&job->trial_counts, g_hash_table_unref);
  g_free (job);
}

/* Returns each participant's answered trials per kind, or NULL with @error set. A trial's
 * participant is the rank of their row among the study's participants, which is the order
 * lk_store_list_participants() gives them in. */
static GHashTable *
count_trials (const char  *path,
              GError     **error)
{
  g_autoptr(LkStore) store = lk_store_open (path, LK_STORE_OPEN_READ_ONLY, error);
  g_autoptr(GArray) participants = NULL;
  g_autoptr(GPtrArray) trials = NULL;
  g_autoptr(GHashTable) counts = NULL;

  if (store == NULL
      || (participants = lk_store_list_participants (store, error)) == NULL
      || (trials = lk_answers_list_trials (store, error)) == NULL)
    return NULL;
  counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  for (guint i = 0; i < trials->len; i++)
    {
      const LkTrial *trial = g_ptr_array_index (trials, i);
      const LkStoreParticipant *p;
      guint *row;

      if (trial->participant >= participants->len || (guint) trial->kind >= LK_N_TASK_KINDS)
        continue;
      p = &g_array_index (participants, LkStoreParticipant, trial->participant);
      row = g_hash_table_lookup (counts, p->code);
      if (row == NULL)
        {
          row = g_new0 (guint, LK_N_TASK_KINDS);
          g_hash_table_insert (counts, g_strdup (p->code), row);
        }
      row[trial->kind]++;
    }

  return g_steal_pointer (&counts);
}

static void
scores_job_run (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  ScoresJob *job = task_data;
  g_autoptr(GError) count_error = NULL;
  GError *error = NULL;

  job->scores = lk_scores_compute_sync (job->path, &error);
  if (job->scores == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  if (g_task_return_error_if_cancelled (task))
    return;
  /* The scores are shown without the counts if these cannot be read. */
  job->trial_counts = count_trials (job->path, &count_error);
  if (job->trial_counts == NULL)
    g_debug ("trials per participant: %s", count_error->message);
  g_task_return_boolean (task, TRUE);
}

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

static void start_computing (LkScoresView *self);

static void
scores_ready_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(LkScoresView) self = user_data;
  g_autoptr(GError) error = NULL;
  ScoresJob *job = g_task_get_task_data (G_TASK (result));

  if (g_task_get_cancellable (G_TASK (result)) != self->loading)
    return;
  g_clear_object (&self->loading);
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_autofree char *text = NULL;

      /* The figures shown before, if any, stay: they were right when computed. */
      /* Translators: the reason comes from the study file's store */
      text = g_strdup_printf (_("The scores could not be computed: %s"), error->message);
      gtk_label_set_text (self->status, text);
    }
  else
    {
      show_scores (self, job->scores);
      g_clear_pointer (&self->trial_counts, g_hash_table_unref);
      self->trial_counts = g_steal_pointer (&job->trial_counts);
      self->shown = TRUE;
      g_signal_emit (self, signals[SIGNAL_UPDATED], 0);
    }
  if (self->pending)
    {
      self->pending = FALSE;
      start_computing (self);
    }
}

/* Starts a computation of the scores of the study shown. */
static void
start_computing (LkScoresView *self)
{
  g_autoptr(GTask) task = NULL;
  ScoresJob *job = g_new0 (ScoresJob, 1);

  g_assert (self->loading == NULL && self->path != NULL);

  self->loading = g_cancellable_new ();
  self->n_computed++;
  if (!self->shown)
    gtk_label_set_text (self->status, _("Computing the scores…"));
  job->path = g_strdup (self->path);
  task = g_task_new (NULL, self->loading, scores_ready_cb, g_object_ref (self));
  g_task_set_source_tag (task, start_computing);
  g_task_set_task_data (task, job, scores_job_free);
  g_task_run_in_thread (task, scores_job_run);
}

static gboolean
refresh_cb (gpointer user_data)
{
  LkScoresView *self = user_data;

  self->refresh_source = 0;
  if (self->loading != NULL)
    self->pending = TRUE;
  else
    start_computing (self);

  return G_SOURCE_REMOVE;
}

/**
 * lk_scores_view_load:
 * @path: a study file
 *
 * Computes the study's scores on a worker thread and shows them when they are in. Loading the
 * study already shown does nothing (lk_scores_view_refresh() computes them again).
 */
void
lk_scores_view_load (LkScoresView *self,
                     const char   *path)
{
  g_return_if_fail (LK_IS_SCORES_VIEW (self));
  g_return_if_fail (path != NULL);

  if (g_strcmp0 (self->path, path) == 0)
    return;
  g_cancellable_cancel (self->loading);
  g_clear_object (&self->loading);
  g_clear_handle_id (&self->refresh_source, g_source_remove);
  self->pending = FALSE;
  self->shown = FALSE;
  g_free (self->path);
  self->path = g_strdup (path);
  start_computing (self);
}

/**
 * lk_scores_view_refresh:
 *
 * Computes the scores of the study shown again, as its file holds them now, and shows them
 * when they are in; the figures shown meanwhile stay. Calls in a burst, and calls while a
 * computation runs, give one computation more. Does nothing before lk_scores_view_load().
 */
void
lk_scores_view_refresh (LkScoresView *self)
{
  g_return_if_fail (LK_IS_SCORES_VIEW (self));

  if (self->path == NULL)
    return;
  if (self->loading != NULL)
    {
      self->pending = TRUE;
      return;
    }
  /* A burst of requests restarts nothing: the first one's delay stands. */
  if (self->refresh_source == 0)
    self->refresh_source = g_timeout_add_full (G_PRIORITY_LOW, REFRESH_DELAY_MS, refresh_cb,
                                               self, NULL);
}

/**
 * lk_scores_view_get_trial_counts:
 *
 * Returns: (transfer none) (nullable): participant code -> guint[LK_N_TASK_KINDS], each
 *   participant's answered trials per task kind as last computed; %NULL before
 */
GHashTable *
lk_scores_view_get_trial_counts (LkScoresView *self)
{
  g_return_val_if_fail (LK_IS_SCORES_VIEW (self), NULL);

  return self->trial_counts;
}

static void
lk_scores_view_dispose (GObject *object)
{
  LkScoresView *self = LK_SCORES_VIEW (object);

  g_cancellable_cancel (self->loading);
  g_clear_object (&self->loading);
  g_clear_handle_id (&self->refresh_source, g_source_remove);
  g_clear_pointer (&self->cells, g_hash_table_unref);
  g_clear_pointer (&self->trial_counts, g_hash_table_unref);
  g_clear_pointer (&self->path, g_free);

  G_OBJECT_CLASS (lk_scores_view_parent_class)->dispose (object);
}

static void
lk_scores_view_class_init (LkScoresViewClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = lk_scores_view_dispose;
  gtk_widget_class_set_css_name (GTK_WIDGET_CLASS (klass), "lk-scores-view");

  /**
   * LkScoresView::updated:
   *
   * New figures (and trial counts) are shown.
   */
  signals[SIGNAL_UPDATED] =
    g_signal_new ("updated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 0);
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

/* lk_scores_view_is_loading: Returns: %TRUE while the scores are being computed or a
 * refresh waits to start */
gboolean
lk_scores_view_is_loading (LkScoresView *self)
{
  g_return_val_if_fail (LK_IS_SCORES_VIEW (self), FALSE);

  return self->loading != NULL || self->refresh_source != 0 || self->pending;
}

/* Returns: the computations started so far */
guint
lk_scores_view_get_n_computed (LkScoresView *self)
{
  g_return_val_if_fail (LK_IS_SCORES_VIEW (self), 0);

  return self->n_computed;
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
