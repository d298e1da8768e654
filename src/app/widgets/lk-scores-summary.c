/* lk-scores-summary.c — a study's scores read off the main thread, and their headline figures
 *
 * The scores are those of `likeness-cli score` (lk_study_scores_compute(), src/store), computed
 * on a GTask thread with a read-only connection of its own. Each task kind present has one
 * headline figure per metric: triplet similarity precision, forced-choice accuracy (agreement
 * with people) and intruder accuracy with their bootstrap 95 % intervals, and match recall@10
 * (no interval: it is a count over the collected pairs).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "lk-scores-summary.h"
#include "lk-store.h"
#include "lk-study-scores.h"

const char *const lk_scores_kinds[LK_SCORES_N_KINDS] = { "triplet", "choice5", "match",
                                                         "intruder" };
const char *const lk_scores_metrics[LK_SCORES_N_METRICS] = { "learned", "colour", "hog" };

/**
 * lk_scores_compute_sync:
 * @path: a study file
 *
 * Returns: (transfer full): the study's scores, or %NULL with @error set
 */
JsonNode *
lk_scores_compute_sync (const char  *path,
                        GError     **error)
{
  g_autoptr(LkStore) store = lk_store_open (path, LK_STORE_OPEN_READ_ONLY, error);

  if (store == NULL)
    return NULL;

  return lk_study_scores_compute (store, NULL, error);
}

static void
compute_job (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  GError *error = NULL;
  JsonNode *scores = lk_scores_compute_sync (task_data, &error);

  if (scores == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, scores, (GDestroyNotify) json_node_unref);
}

/**
 * lk_scores_compute_async:
 * @path: a study file
 *
 * Computes the scores of the study at @path on a worker thread, with a read-only connection.
 */
void
lk_scores_compute_async (const char          *path,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (path != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, lk_scores_compute_async);
  g_task_set_task_data (task, g_strdup (path), g_free);
  g_task_run_in_thread (task, compute_job);
}

/**
 * lk_scores_compute_finish:
 *
 * Returns: (transfer full): the scores, or %NULL with @error set
 */
JsonNode *
lk_scores_compute_finish (GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Returns: the task kind's name as shown ("Triplets") */
const char *
lk_scores_kind_title (const char *kind)
{
  if (g_strcmp0 (kind, "triplet") == 0)
    return _("Triplets");
  if (g_strcmp0 (kind, "choice5") == 0)
    return _("Forced choice");
  if (g_strcmp0 (kind, "match") == 0)
    return _("Find the match");
  return _("Odd one out");
}

/* Returns: the name of the kind's headline figure */
const char *
lk_scores_figure_title (const char *kind)
{
  if (g_strcmp0 (kind, "triplet") == 0)
    return _("precision");
  if (g_strcmp0 (kind, "match") == 0)
    return _("recall@10");
  return _("accuracy");
}

/* Returns: the metric's name as shown */
const char *
lk_scores_metric_title (const char *metric)
{
  if (g_strcmp0 (metric, "learned") == 0)
    return C_("score metric", "learned");
  if (g_strcmp0 (metric, "colour") == 0)
    return C_("score metric", "colour");
  return C_("score metric", "HOG");
}

static double
member_double (JsonObject *o,
               const char *name)
{
  JsonNode *node = o != NULL ? json_object_get_member (o, name) : NULL;

  return node != NULL && JSON_NODE_HOLDS_VALUE (node) ? json_node_get_double (node) : NAN;
}

/**
 * lk_scores_headline:
 * @scores: the scores' object
 * @kind: a task kind ("triplet", ...)
 * @metric: "learned", "colour" or "hog"
 *
 * Sets the kind's headline figure for @metric, with its interval (NaN where there is none).
 *
 * Returns: %FALSE when @scores has no such kind or metric
 */
gboolean
lk_scores_headline (JsonObject *scores,
                    const char *kind,
                    const char *metric,
                    double     *estimate,
                    double     *lower,
                    double     *upper)
{
  JsonObject *k, *metrics, *m;
  const char *name = g_strcmp0 (kind, "triplet") == 0 ? "precision" : "accuracy";

  *estimate = *lower = *upper = NAN;
  if (scores == NULL || !json_object_has_member (scores, kind))
    return FALSE;
  k = json_object_get_object_member (scores, kind);
  metrics = json_object_has_member (k, "metrics") ? json_object_get_object_member (k, "metrics")
                                                  : NULL;
  if (metrics == NULL || !json_object_has_member (metrics, metric))
    return FALSE;
  m = json_object_get_object_member (metrics, metric);
  if (g_strcmp0 (kind, "match") == 0)
    {
      *estimate = json_object_has_member (m, "recall_at_k")
                  ? member_double (json_object_get_object_member (m, "recall_at_k"), "10") : NAN;
      return TRUE;
    }
  *estimate = member_double (m, name);
  {
    g_autofree char *ci = g_strconcat (name, "_ci", NULL);
    JsonArray *a = json_object_has_member (m, ci) ? json_object_get_array_member (m, ci) : NULL;

    if (a != NULL && json_array_get_length (a) == 2)
      {
        JsonNode *lo = json_array_get_element (a, 0), *hi = json_array_get_element (a, 1);

        *lower = JSON_NODE_HOLDS_VALUE (lo) ? json_node_get_double (lo) : NAN;
        *upper = JSON_NODE_HOLDS_VALUE (hi) ? json_node_get_double (hi) : NAN;
      }
  }

  return TRUE;
}

/**
 * lk_scores_format_figure:
 *
 * Returns: "0.667 (0.596–0.744)", "0.667" without an interval, "–" without a figure
 */
char *
lk_scores_format_figure (double estimate,
                         double lower,
                         double upper)
{
  if (!isfinite (estimate))
    return g_strdup ("–");
  if (!isfinite (lower) || !isfinite (upper))
    return g_strdup_printf ("%.3f", estimate);
  /* Translators: a score and its 95 % interval */
  return g_strdup_printf (_("%.3f (%.3f–%.3f)"), estimate, lower, upper);
}

/**
 * lk_scores_dup_summary:
 * @scores: (nullable): the study's scores
 *
 * Returns: one line per task kind present ("Triplets, precision: learned 0.667 (0.596–0.744),
 *   colour …"), or "No trials yet"
 */
char *
lk_scores_dup_summary (JsonNode *scores)
{
  JsonObject *o = scores != NULL && JSON_NODE_HOLDS_OBJECT (scores)
                  ? json_node_get_object (scores) : NULL;
  g_autoptr(GString) out = g_string_new (NULL);

  for (guint k = 0; k < LK_SCORES_N_KINDS; k++)
    {
      gboolean any = FALSE;

      if (o == NULL || !json_object_has_member (o, lk_scores_kinds[k]))
        continue;
      if (out->len > 0)
        g_string_append_c (out, '\n');
      /* Translators: a task kind and its headline figure, e.g. "Triplets, precision:" */
      g_string_append_printf (out, _("%s, %s:"), lk_scores_kind_title (lk_scores_kinds[k]),
                              lk_scores_figure_title (lk_scores_kinds[k]));
      for (guint m = 0; m < LK_SCORES_N_METRICS; m++)
        {
          double est, lo, hi;
          g_autofree char *figure = NULL;

          if (!lk_scores_headline (o, lk_scores_kinds[k], lk_scores_metrics[m], &est, &lo, &hi))
            continue;
          figure = lk_scores_format_figure (est, lo, hi);
          g_string_append_printf (out, "%s %s %s", any ? "," : "",
                                  lk_scores_metric_title (lk_scores_metrics[m]), figure);
          any = TRUE;
        }
      if (!any)
        g_string_append_printf (out, " %s", _("no metric yet (no phase done)"));
    }
  if (out->len == 0)
    return g_strdup (_("No trials yet"));

  return g_string_free (g_steal_pointer (&out), FALSE);
}
