/* lk-scores-intruder.c — Dawid-Skene aggregation and the intruder task of the Toloka
 * crowd-clustering demo (`002_be200730eb88e724.txt`, its quality evaluation; the steps as
 * crowd-kit runs them are in the crowd-pipeline spec, section 2.3)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "lk-scores.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "lk-error.h"

/* Dawid-Skene ----------------------------------------------------------------------------- */

/**
 * lk_dawid_skene_free:
 * @ds: (transfer full) (nullable): a Dawid-Skene fit
 */
void
lk_dawid_skene_free (LkDawidSkene *ds)
{
  if (ds == NULL)
    return;

  g_free (ds->labels);
  g_free (ds->posteriors);
  g_free (ds->priors);
  g_free (ds->errors);
  g_free (ds);
}

/* The M-step: π_c = mean over answered tasks of P_j(c), and each worker's confusion
 * e_w[k, c] = max(ε, Σ_{j: y_wj = k} P_j(c)) normalised over the labels k that w used. */
static void
ds_m_step (LkDawidSkene        *ds,
           const LkLabelAnswer *answers,
           gsize                n_answers,
           const gboolean      *answered,
           guint                n_answered,
           const gboolean      *present,
           const gboolean      *used)
{
  const double eps = 1e-10;
  guint L = ds->n_labels;

  memset (ds->priors, 0, sizeof (double) * L);
  for (guint j = 0; j < ds->n_tasks; j++)
    if (answered[j])
      for (guint c = 0; c < L; c++)
        ds->priors[c] += ds->posteriors[(gsize) j * L + c];
  for (guint c = 0; c < L; c++)
    ds->priors[c] /= n_answered;

  memset (ds->errors, 0, sizeof (double) * ds->n_workers * L * L);
  for (gsize a = 0; a < n_answers; a++)
    {
      double *row = ds->errors + ((gsize) answers[a].worker * L + answers[a].label) * L;
      const double *p = ds->posteriors + (gsize) answers[a].task * L;

      for (guint c = 0; c < L; c++)
        row[c] += p[c];
    }
  for (guint w = 0; w < ds->n_workers; w++)
    {
      double *e = ds->errors + (gsize) w * L * L;

      for (guint c = 0; c < L; c++)
        {
          double sum = 0.0;

          if (!present[c])
            continue;
          for (guint k = 0; k < L; k++)
            if (used[(gsize) w * L + k])
              {
                e[k * L + c] = MAX (eps, e[k * L + c]);
                sum += e[k * L + c];
              }
          for (guint k = 0; k < L; k++)
            if (used[(gsize) w * L + k])
              e[k * L + c] /= sum;
        }
    }
}

/**
 * lk_scores_dawid_skene:
 * @answers: (array length=n_answers): the answers
 * @n_answers: how many
 * @n_tasks: tasks; every @answers[i].task is below it
 * @n_workers: workers; every worker id is below it
 * @n_labels: labels; every label is below it
 * @max_iterations: EM iterations at most (%LK_SCORES_DS_ITERATIONS, as paper 002 ran it)
 * @tolerance: stop when the ELBO gains less (%LK_SCORES_DS_TOLERANCE)
 * @error: an error, when an id is out of range
 *
 * Dawid and Skene's (1979) EM estimate of each task's true label and each worker's confusion
 * matrix, as crowd-kit's DawidSkene computes it (paper 002 aggregates its intruder HITs with
 * `DawidSkene(n_iter=10)`; the steps are in the crowd-pipeline spec, section 2.3). Only labels
 * that occur in the answers take part.
 *
 *  1. Start from majority vote: P_j(c) = the share of task j's answers equal to c. This makes
 *     the fit deterministic.
 *  2. M-step (ds_m_step()): priors π and confusion matrices e_w from P.
 *  3. Up to @max_iterations times: E-step, P_j(c) ∝ π_c Π_{w answered j} e_w[y_wj, c]
 *     (computed in log space and scaled by the largest term); M-step; the evidence lower bound
 *     per answer,
 *       ELBO = (Σ_answers Σ_c P_j(c) (ln e_w[y_wj, c] + ln π_c) - Σ_j Σ_c P_j(c) ln P_j(c))
 *              / #answers, with 0 ln 0 = 0.
 *     Stop when it gained less than @tolerance over the previous iteration's (the first
 *     iteration is compared with -∞ and never stops).
 *  4. Each task's label is argmax_c P_j(c), the smallest label on a tie.
 *
 * π is not clipped away from zero (crowd-kit at the paper's time did not): a label no task
 * favours keeps probability zero.
 *
 * Returns: (transfer full): the fit, or %NULL with @error set
 */
LkDawidSkene *
lk_scores_dawid_skene (const LkLabelAnswer *answers,
                       gsize                n_answers,
                       guint                n_tasks,
                       guint                n_workers,
                       guint                n_labels,
                       guint                max_iterations,
                       double               tolerance,
                       GError             **error)
{
  g_autoptr(LkDawidSkene) ds = g_new0 (LkDawidSkene, 1);
  g_autofree gboolean *answered = g_new0 (gboolean, MAX (n_tasks, 1));
  g_autofree gboolean *present = g_new0 (gboolean, MAX (n_labels, 1));
  g_autofree gboolean *used = NULL;
  g_autofree double *logp = g_new (double, MAX (n_labels, 1));
  g_autofree double *logs = NULL;
  double previous = -INFINITY;
  guint n_answered = 0;
  guint L = n_labels;

  g_return_val_if_fail (answers != NULL || n_answers == 0, NULL);
  g_return_val_if_fail (n_labels >= 1, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  for (gsize a = 0; a < n_answers; a++)
    if (answers[a].task >= n_tasks || answers[a].worker >= n_workers ||
        answers[a].label >= n_labels)
      {
        g_set_error (error, LK_CORE_ERROR, LK_CORE_ERROR_INVALID_ARGUMENT,
                     "An answer names task %u, worker %u and label %u, but there are %u tasks, "
                     "%u workers and %u labels.",
                     answers[a].task, answers[a].worker, answers[a].label,
                     n_tasks, n_workers, n_labels);
        return NULL;
      }

  ds->n_tasks = n_tasks;
  ds->n_workers = n_workers;
  ds->n_labels = n_labels;
  ds->labels = g_new (gint, MAX (n_tasks, 1));
  ds->posteriors = g_new0 (double, MAX ((gsize) n_tasks * L, 1));
  ds->priors = g_new0 (double, L);
  ds->errors = g_new0 (double, MAX ((gsize) n_workers * L * L, 1));
  used = g_new0 (gboolean, MAX ((gsize) n_workers * L, 1));
  logs = g_new (double, MAX ((gsize) n_tasks * L, 1));

  for (guint j = 0; j < n_tasks; j++)
    ds->labels[j] = -1;
  if (n_answers == 0)
    return g_steal_pointer (&ds);

  /* 1. Majority vote. */
  for (gsize a = 0; a < n_answers; a++)
    {
      ds->posteriors[(gsize) answers[a].task * L + answers[a].label] += 1.0;
      answered[answers[a].task] = TRUE;
      present[answers[a].label] = TRUE;
      used[(gsize) answers[a].worker * L + answers[a].label] = TRUE;
    }
  for (guint j = 0; j < n_tasks; j++)
    {
      double *p = ds->posteriors + (gsize) j * L;
      double sum = 0.0;

      if (!answered[j])
        continue;
      n_answered++;
      for (guint c = 0; c < L; c++)
        sum += p[c];
      for (guint c = 0; c < L; c++)
        p[c] /= sum;
    }

  /* 2. */
  ds_m_step (ds, answers, n_answers, answered, n_answered, present, used);

  /* 3. */
  for (guint it = 0; it < max_iterations; it++)
    {
      double joint = 0.0, entropy = 0.0, elbo;

      for (guint j = 0; j < n_tasks; j++)
        for (guint c = 0; c < L; c++)
          logs[(gsize) j * L + c] = present[c] ? log2 (ds->priors[c]) : -INFINITY;
      for (gsize a = 0; a < n_answers; a++)
        {
          const double *row = ds->errors + ((gsize) answers[a].worker * L + answers[a].label) * L;
          double *lj = logs + (gsize) answers[a].task * L;

          for (guint c = 0; c < L; c++)
            if (present[c])
              lj[c] += log2 (row[c]);
        }
      for (guint j = 0; j < n_tasks; j++)
        {
          double *lj = logs + (gsize) j * L;
          double *p = ds->posteriors + (gsize) j * L;
          double top = -INFINITY, sum = 0.0;

          if (!answered[j])
            continue;
          for (guint c = 0; c < L; c++)
            top = MAX (top, lj[c]);
          for (guint c = 0; c < L; c++)
            {
              p[c] = present[c] ? exp2 (lj[c] - top) : 0.0;
              sum += p[c];
            }
          for (guint c = 0; c < L; c++)
            p[c] /= sum;
        }

      ds_m_step (ds, answers, n_answers, answered, n_answered, present, used);

      for (gsize a = 0; a < n_answers; a++)
        {
          const double *row = ds->errors + ((gsize) answers[a].worker * L + answers[a].label) * L;
          const double *p = ds->posteriors + (gsize) answers[a].task * L;

          for (guint c = 0; c < L; c++)
            if (p[c] > 0.0)
              joint += p[c] * (log (row[c]) + log (ds->priors[c]));
        }
      for (guint j = 0; j < n_tasks; j++)
        for (guint c = 0; c < L; c++)
          {
            double p = ds->posteriors[(gsize) j * L + c];

            if (p > 0.0)
              entropy -= p * log (p);
          }
      elbo = (joint + entropy) / n_answers;

      ds->n_iterations = it + 1;
      ds->elbo = elbo;
      if (elbo - previous < tolerance)
        {
          ds->converged = TRUE;
          break;
        }
      previous = elbo;
    }

  /* 4. */
  for (guint j = 0; j < n_tasks; j++)
    {
      const double *p = ds->posteriors + (gsize) j * L;
      gint best = -1;

      if (!answered[j])
        continue;
      for (guint c = 0; c < L; c++)
        if (present[c] && (best < 0 || p[c] > p[best]))
          best = (gint) c;
      ds->labels[j] = best;
    }

  return g_steal_pointer (&ds);
}

/* Intruders ------------------------------------------------------------------------------ */

/**
 * lk_intruder_scores_free:
 * @scores: (transfer full) (nullable): intruder scores
 */
void
lk_intruder_scores_free (LkIntruderScores *scores)
{
  if (scores == NULL)
    return;

  g_free (scores->main_cluster);
  g_free (scores->intruder_cluster);
  g_free (scores->cluster_answers);
  g_free (scores->cluster_correct);
  g_free (scores->cluster_accuracy);
  g_free (scores->aggregated);
  g_free (scores->cluster_hits);
  g_free (scores->cluster_hits_correct);
  g_free (scores->cluster_aggregated_accuracy);
  g_free (scores);
}

/* Sets @main_out and @intruder to the most and second most common of @hit's @size clusters, ties
 * going to the cluster shown first; @intruder is @main_out when all are alike. */
static void
hit_clusters (const guint *hit,
              guint        size,
              gint        *main_out,
              gint        *intruder)
{
  guint best = 0, second = 0;

  *main_out = -1;
  *intruder = -1;
  for (guint i = 0; i < size; i++)
    {
      guint count = 0;
      gboolean seen = FALSE;

      for (guint j = 0; j < i; j++)
        seen = seen || hit[j] == hit[i];
      if (seen)
        continue;
      for (guint j = i; j < size; j++)
        count += hit[j] == hit[i] ? 1 : 0;
      if (count > best)
        {
          second = best;
          *intruder = *main_out;
          best = count;
          *main_out = (gint) hit[i];
        }
      else if (count > second)
        {
          second = count;
          *intruder = (gint) hit[i];
        }
    }
  if (*intruder < 0)
    *intruder = *main_out;
}

/* Orders intruder answers by HIT, then rater, for qsort. */
static int
compare_intruder (const void *pa,
                  const void *pb)
{
  const LkIntruderAnswer *a = pa;
  const LkIntruderAnswer *b = pb;

  if (a->hit != b->hit)
    return (a->hit > b->hit) - (a->hit < b->hit);
  return (a->rater > b->rater) - (a->rater < b->rater);
}

/**
 * lk_scores_intruder:
 * @clusters: @n_hits x @hit_size, the cluster of the image at each position of each HIT
 * @n_hits: HITs
 * @hit_size: images per HIT (8 in paper 002), at least 2
 * @answers: (array length=n_answers): every answer, in any order
 * @n_answers: how many
 * @error: an error, when an answer names a HIT or position that does not exist
 *
 * Paper 002's intruder evaluation (`calculate_quality.py`, crowd-pipeline spec section 2.3).
 * A HIT's main cluster is the most common among its images, its intruder cluster the second
 * most common (or the main one if all images share it); an answer is correct when the image
 * at the chosen position belongs to the intruder cluster.
 *
 * The paper had 3 raters per HIT and scored only the Dawid-Skene label (task = HIT, worker =
 * rater, label = position; lk_scores_dawid_skene() with 10 iterations), as correct HITs over
 * HITs, overall and per main cluster. A lab study often has one rater per HIT, where DS only
 * repeats the answer, so this reports the raw per-answer accuracy (overall and per main
 * cluster) for every answer, and the DS-aggregated accuracy over the HITs that two or more
 * distinct raters answered. DS is fitted on all answers, so that a rater's single-rated HITs
 * still inform their confusion matrix.
 *
 * Returns: (transfer full): the scores, or %NULL with @error set
 */
LkIntruderScores *
lk_scores_intruder (const guint            *clusters,
                    guint                   n_hits,
                    guint                   hit_size,
                    const LkIntruderAnswer *answers,
                    gsize                   n_answers,
                    GError                **error)
{
  g_autoptr(LkIntruderScores) s = g_new0 (LkIntruderScores, 1);
  g_autoptr(LkDawidSkene) ds = NULL;
  g_autofree LkIntruderAnswer *sorted = NULL;
  g_autofree LkLabelAnswer *labelled = NULL;
  g_autoptr(GHashTable) rater_index = g_hash_table_new (NULL, NULL);
  guint max_cluster = 0;
  gsize start = 0;

  g_return_val_if_fail (clusters != NULL || n_hits == 0, NULL);
  g_return_val_if_fail (hit_size >= 2, NULL);
  g_return_val_if_fail (answers != NULL || n_answers == 0, NULL);
  g_return_val_if_fail (n_answers <= G_MAXUINT, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  for (gsize a = 0; a < n_answers; a++)
    {
      if (answers[a].hit >= n_hits || answers[a].position >= hit_size)
        {
          g_set_error (error, LK_CORE_ERROR, LK_CORE_ERROR_INVALID_ARGUMENT,
                       "An answer picks position %u of HIT %u, but there are %u HITs of %u "
                       "images each.",
                       answers[a].position + 1, answers[a].hit + 1, n_hits, hit_size);
          return NULL;
        }
    }
  for (gsize i = 0; i < (gsize) n_hits * hit_size; i++)
    max_cluster = MAX (max_cluster, clusters[i]);

  s->n_hits = n_hits;
  s->n_clusters = n_hits > 0 ? max_cluster + 1 : 0;
  s->main_cluster = g_new (gint, MAX (n_hits, 1));
  s->intruder_cluster = g_new (gint, MAX (n_hits, 1));
  s->aggregated = g_new (gint, MAX (n_hits, 1));
  s->cluster_answers = g_new0 (guint, MAX (s->n_clusters, 1));
  s->cluster_correct = g_new0 (guint, MAX (s->n_clusters, 1));
  s->cluster_accuracy = g_new (double, MAX (s->n_clusters, 1));
  s->cluster_hits = g_new0 (guint, MAX (s->n_clusters, 1));
  s->cluster_hits_correct = g_new0 (guint, MAX (s->n_clusters, 1));
  s->cluster_aggregated_accuracy = g_new (double, MAX (s->n_clusters, 1));
  for (guint h = 0; h < n_hits; h++)
    {
      hit_clusters (clusters + (gsize) h * hit_size, hit_size,
                    s->main_cluster + h, s->intruder_cluster + h);
      s->aggregated[h] = -1;
    }

  /* Raw answers. */
  s->n_answers = (guint) n_answers;
  labelled = g_new (LkLabelAnswer, MAX (n_answers, 1));
  for (gsize a = 0; a < n_answers; a++)
    {
      guint h = answers[a].hit;
      gint picked = (gint) clusters[(gsize) h * hit_size + answers[a].position];
      gboolean correct = picked == s->intruder_cluster[h];
      gpointer rater = GUINT_TO_POINTER (answers[a].rater);

      s->n_correct += correct ? 1 : 0;
      s->cluster_answers[s->main_cluster[h]]++;
      s->cluster_correct[s->main_cluster[h]] += correct ? 1 : 0;
      /* Rater ids may be sparse (participant rows); DS wants them dense. */
      if (!g_hash_table_contains (rater_index, rater))
        g_hash_table_insert (rater_index, rater,
                             GUINT_TO_POINTER (g_hash_table_size (rater_index)));
      labelled[a].task = h;
      labelled[a].worker = GPOINTER_TO_UINT (g_hash_table_lookup (rater_index, rater));
      labelled[a].label = answers[a].position;
    }
  s->accuracy = n_answers > 0 ? (double) s->n_correct / n_answers : NAN;

  /* Dawid-Skene on every answer; scored on the HITs with two raters or more. */
  ds = lk_scores_dawid_skene (labelled, n_answers, MAX (n_hits, 1),
                              MAX (g_hash_table_size (rater_index), 1), hit_size,
                              LK_SCORES_DS_ITERATIONS, LK_SCORES_DS_TOLERANCE, error);
  if (ds == NULL)
    return NULL;

  sorted = g_memdup2 (answers, sizeof (LkIntruderAnswer) * n_answers);
  qsort (sorted, n_answers, sizeof (LkIntruderAnswer), compare_intruder);
  while (start < n_answers)
    {
      guint h = sorted[start].hit;
      guint raters = 0;
      gsize end = start;

      for (; end < n_answers && sorted[end].hit == h; end++)
        if (end == start || sorted[end].rater != sorted[end - 1].rater)
          raters++;
      if (raters >= 2)
        {
          gint picked = (gint) clusters[(gsize) h * hit_size + ds->labels[h]];
          gboolean correct = picked == s->intruder_cluster[h];

          s->aggregated[h] = ds->labels[h];
          s->n_aggregated++;
          s->n_aggregated_correct += correct ? 1 : 0;
          s->cluster_hits[s->main_cluster[h]]++;
          s->cluster_hits_correct[s->main_cluster[h]] += correct ? 1 : 0;
        }
      start = end;
    }
  s->aggregated_accuracy = s->n_aggregated > 0
    ? (double) s->n_aggregated_correct / s->n_aggregated : NAN;

  for (guint c = 0; c < s->n_clusters; c++)
    {
      s->cluster_accuracy[c] = s->cluster_answers[c] > 0
        ? (double) s->cluster_correct[c] / s->cluster_answers[c] : NAN;
      s->cluster_aggregated_accuracy[c] = s->cluster_hits[c] > 0
        ? (double) s->cluster_hits_correct[c] / s->cluster_hits[c] : NAN;
    }

  return g_steal_pointer (&s);
}

/**
 * lk_intruder_metric_free:
 * @metric: (transfer full) (nullable): a metric's intruder scores
 */
void
lk_intruder_metric_free (LkIntruderMetric *metric)
{
  if (metric == NULL)
    return;

  g_free (metric->picks);
  g_free (metric);
}

/**
 * lk_scores_intruder_metric:
 * @items: @n_hits x @hit_size, the item shown at each position of each HIT
 * @clusters: @n_hits x @hit_size, the cluster of each, as for lk_scores_intruder()
 * @n_hits: HITs
 * @hit_size: images per HIT, at least 3
 * @answers: (array length=n_answers): people's answers, as for lk_scores_intruder()
 * @n_answers: how many
 * @distance: the metric
 * @user_data: its data
 * @n_resamples: bootstrap resamples (%LK_SCORES_BOOTSTRAP_RESAMPLES)
 * @seed: the seed; the same seed gives the same intervals
 * @error: an error, when an answer names a HIT or position that does not exist
 *
 * A metric answering the intruder task, which paper 002 asks only of people: it calls odd the
 * image with the largest summed distance to the other images of the HIT (a tie for largest is
 * no pick, which is wrong and matches nobody). Accuracy is the share of HITs where that image
 * is in the intruder cluster; agreement is the share of people's answers that picked it. 95 %
 * intervals from lk_scores_ratio_bootstrap() over HITs.
 *
 * Returns: (transfer full): the scores, or %NULL with @error set
 */
LkIntruderMetric *
lk_scores_intruder_metric (const guint            *items,
                           const guint            *clusters,
                           guint                   n_hits,
                           guint                   hit_size,
                           const LkIntruderAnswer *answers,
                           gsize                   n_answers,
                           LkScoreDistanceFunc     distance,
                           gpointer                user_data,
                           guint                   n_resamples,
                           guint64                 seed,
                           GError                **error)
{
  g_autoptr(LkIntruderMetric) m = g_new0 (LkIntruderMetric, 1);
  g_autofree guint *hit = g_new0 (guint, MAX (n_hits, 1));
  g_autofree guint *asked = g_new0 (guint, MAX (n_hits, 1));
  g_autofree guint *agreeing = g_new0 (guint, MAX (n_hits, 1));
  g_autofree double *sum = g_new (double, hit_size);

  g_return_val_if_fail (items != NULL || n_hits == 0, NULL);
  g_return_val_if_fail (clusters != NULL || n_hits == 0, NULL);
  g_return_val_if_fail (hit_size >= 3, NULL);
  g_return_val_if_fail (answers != NULL || n_answers == 0, NULL);
  g_return_val_if_fail (n_answers <= G_MAXUINT, NULL);
  g_return_val_if_fail (distance != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  m->n_hits = n_hits;
  m->n_answers = (guint) n_answers;
  m->picks = g_new (gint, MAX (n_hits, 1));
  for (guint h = 0; h < n_hits; h++)
    {
      const guint *it = items + (gsize) h * hit_size;
      gint main_cluster, intruder_cluster;
      double best = -INFINITY;

      for (guint i = 0; i < hit_size; i++)
        sum[i] = 0.0;
      for (guint i = 0; i < hit_size; i++)
        for (guint j = i + 1; j < hit_size; j++)
          {
            double d = distance (it[i], it[j], user_data);

            sum[i] += d;
            sum[j] += d;
          }
      m->picks[h] = -1;
      for (guint i = 0; i < hit_size; i++)
        if (sum[i] > best)
          {
            best = sum[i];
            m->picks[h] = (gint) i;
          }
        else if (sum[i] == best)
          {
            m->picks[h] = -1;
          }

      hit_clusters (clusters + (gsize) h * hit_size, hit_size, &main_cluster, &intruder_cluster);
      hit[h] = m->picks[h] >= 0 &&
               (gint) clusters[(gsize) h * hit_size + m->picks[h]] == intruder_cluster ? 1 : 0;
    }

  for (gsize a = 0; a < n_answers; a++)
    {
      if (answers[a].hit >= n_hits || answers[a].position >= hit_size)
        {
          g_set_error (error, LK_CORE_ERROR, LK_CORE_ERROR_INVALID_ARGUMENT,
                       "An answer picks position %u of HIT %u, but there are %u HITs of %u "
                       "images each.",
                       answers[a].position + 1, answers[a].hit + 1, n_hits, hit_size);
          return NULL;
        }
      asked[answers[a].hit]++;
      if ((gint) answers[a].position == m->picks[answers[a].hit])
        {
          agreeing[answers[a].hit]++;
          m->n_agreeing++;
        }
    }

  lk_scores_ratio_bootstrap (hit, NULL, n_hits, n_resamples, seed, &m->accuracy);
  lk_scores_ratio_bootstrap (agreeing, asked, n_hits, n_resamples, seed, &m->agreement);

  return g_steal_pointer (&m);
}
