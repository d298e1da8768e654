/* lk-simulate-score.c — the judgement tasks' scores of a simulated study's metrics
 *
 * After a simulated study, the simulated crowd does the other tasks once more, on trials
 * drawn for the purpose, and lk-scores scores the learned metric and the dataset's
 * descriptor (lk_dataset_get_descriptor(), the colour-vector baseline) on the answers:
 *
 * - triplets: LK_SIMULATE_SCORE_TRIPLETS triplets drawn as the task draws them (Q uniform, A
 *   and B from Q's 50 nearest under the learned metric or the descriptor with even odds, 10 %
 *   random), each rated by LK_SCORES_TRIPLET_RATERS independent simulated raters (one group
 *   per triplet); the unanimity filter keeps the unanimous "A closer" / "B closer" triplets;
 *   similarity precision and score-at-30 with bootstrap 95 % intervals (paper 004);
 * - forced choice: LK_SIMULATE_SCORE_QUESTIONS questions of the `pair` policy, whose collected
 *   pair is simulated as each query's ground-truth nearest item, four random distractors,
 *   LK_SIMULATE_SCORE_CHOICE_RATERS raters each; the metric's agreement with people (the share
 *   of answers that picked the candidate the metric puts nearest) and its target accuracy,
 *   with intervals over questions (paper 003);
 * - intruders: LK_SIMULATE_SCORE_HITS HITs of paper 002 (100, overlap 3) over the ground-truth
 *   labels, or k-means (N / 20) of the ground-truth features for sets without labels; the
 *   metric's accuracy (its odd one is the intruder) and agreement with people.
 *
 * The draws use the final learned embedding, so triplets and questions are as a study would
 * show them at that point. Every stream is derived from @seed: same seed, same scores.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "lk-simulate.h"

#include <math.h>

#include "lk-error.h"
#include "lk-kmeans.h"
#include "lk-knn.h"
#include "lk-rng.h"
#include "lk-scores.h"
#include "lk-trial-draw.h"

enum {
  STREAM_TRIPLETS = 11,
  STREAM_CHOICE = 12,
  STREAM_INTRUDER = 13,
  STREAM_BOOTSTRAP = 14,
};

static double
embedding_distance (guint    a,
                    guint    b,
                    gpointer embedding)
{
  return lk_embedding_distance (embedding, a, b);
}

static gboolean
score_triplets (const LkDataset    *truth,
                LkTrialDrawContext *ctx,
                const LkNoise      *noise,
                guint64             seed,
                LkScoreDistanceFunc *metrics,
                gpointer           *data,
                LkSimulateScores   *out,
                GError            **error)
{
  g_autoptr(gsl_rng) rng = lk_rng_new (lk_rng_derive (seed, STREAM_TRIPLETS));
  g_autoptr(GArray) ratings = g_array_new (FALSE, FALSE, sizeof (LkTripletRating));
  g_autoptr(LkTripletFilter) filter = NULL;
  g_autofree LkTripletEval *evals = NULL;

  for (guint t = 0; t < LK_SIMULATE_SCORE_TRIPLETS; t++)
    {
      g_autoptr(LkTrial) trial = lk_trial_draw (LK_TASK_TRIPLET, ctx, rng, error);

      if (trial == NULL)
        return FALSE;
      for (guint r = 0; r < LK_SCORES_TRIPLET_RATERS; r++)
        {
          g_autoptr(LkTrial) rated = lk_trial_copy (trial);
          LkTripletRating rating;

          rated->group = t + 1;
          lk_simulate_answer_trial (truth, rated, noise, rng);
          rating.triplet = rated->group;
          rating.query = rated->items[0];
          rating.a = rated->items[1];
          rating.b = rated->items[2];
          rating.answer = (guint) rated->choice;
          g_array_append_val (ratings, rating);
        }
    }

  filter = lk_scores_triplet_filter ((const LkTripletRating *) ratings->data, ratings->len,
                                     LK_SCORES_TRIPLET_RATERS, error);
  if (filter == NULL)
    return FALSE;
  out->n_triplets = filter->n_triplets;
  out->n_kept = filter->n_kept;
  out->unanimity_rate = filter->unanimity_rate;
  evals = g_new (LkTripletEval, MAX (filter->n_kept, 1));
  for (guint m = 0; m < LK_SIMULATE_N_METRICS; m++)
    {
      LkSimulateMetricScores *s = &out->metrics[m];

      lk_scores_triplet_evaluate (filter->kept, filter->n_kept, ctx->n_items, metrics[m],
                                  data[m], evals);
      lk_scores_triplet_bootstrap (evals, filter->n_kept, LK_SCORES_TOP_K,
                                   LK_SCORES_BOOTSTRAP_RESAMPLES,
                                   lk_rng_derive (seed, STREAM_BOOTSTRAP), &s->triplet_precision,
                                   &s->triplet_score_at_k);
    }

  return TRUE;
}

static gboolean
score_choice (const LkDataset     *truth,
              LkTrialDrawContext  *ctx,
              const LkNoise       *noise,
              guint64              seed,
              LkScoreDistanceFunc *metrics,
              gpointer            *data,
              LkSimulateScores    *out,
              GError             **error)
{
  guint n = ctx->n_items, n_q = LK_SIMULATE_SCORE_QUESTIONS;
  g_autoptr(gsl_rng) rng = lk_rng_new (lk_rng_derive (seed, STREAM_CHOICE));
  g_autofree guint *nn = lk_knn_compute (lk_dataset_get_features (truth), n,
                                         lk_dataset_get_dim (truth), 1, NULL);
  g_autofree LkChoiceSet *sets = g_new (LkChoiceSet, n_q);
  g_autofree guint *candidates = g_new (guint, (gsize) n_q * 5);
  g_autoptr(GArray) answers = g_array_new (FALSE, FALSE, sizeof (LkChoiceAnswer));
  LkTrialDrawContext pair_ctx = *ctx;

  pair_ctx.pairs = nn;
  pair_ctx.n_pairs = n;
  pair_ctx.policy = "pair";
  for (guint q = 0; q < n_q; q++)
    {
      g_autoptr(LkTrial) trial = lk_trial_draw (LK_TASK_CHOICE5, &pair_ctx, rng, error);

      if (trial == NULL)
        return FALSE;
      sets[q].question = q;
      sets[q].query = trial->items[0];
      sets[q].target = trial->items[trial->key];
      for (guint c = 0; c < 5; c++)
        candidates[(gsize) q * 5 + c] = trial->items[1 + c];
      for (guint r = 0; r < LK_SIMULATE_SCORE_CHOICE_RATERS; r++)
        {
          g_autoptr(LkTrial) rated = lk_trial_copy (trial);
          LkChoiceAnswer a;

          lk_simulate_answer_trial (truth, rated, noise, rng);
          a.question = q;
          a.chosen = rated->items[rated->choice];
          a.target = sets[q].target;
          a.position = (guint) rated->choice - 1;
          g_array_append_val (answers, a);
        }
    }
  out->n_questions = n_q;

  for (guint m = 0; m < LK_SIMULATE_N_METRICS; m++)
    {
      g_autoptr(LkChoiceMetric) cm =
        lk_scores_choice_metric (sets, n_q, candidates, 5, (const LkChoiceAnswer *) answers->data,
                                 answers->len, metrics[m], data[m],
                                 LK_SCORES_BOOTSTRAP_RESAMPLES,
                                 lk_rng_derive (seed, STREAM_BOOTSTRAP), error);

      if (cm == NULL)
        return FALSE;
      out->metrics[m].choice_agreement = cm->agreement;
      out->metrics[m].choice_target = cm->target_accuracy;
    }

  return TRUE;
}

static gboolean
score_intruders (const LkDataset     *truth,
                 LkTrialDrawContext  *ctx,
                 const LkNoise       *noise,
                 guint64              seed,
                 LkScoreDistanceFunc *metrics,
                 gpointer            *data,
                 LkSimulateScores    *out,
                 GError             **error)
{
  guint n = ctx->n_items, n_hits = LK_SIMULATE_SCORE_HITS;
  g_autoptr(gsl_rng) rng = lk_rng_new (lk_rng_derive (seed, STREAM_INTRUDER));
  g_autofree guint *clusters = g_new (guint, n);
  g_autofree guint *items = g_new (guint, (gsize) n_hits * LK_INTRUDER_N_ITEMS);
  g_autofree guint *hit_clusters = g_new (guint, (gsize) n_hits * LK_INTRUDER_N_ITEMS);
  g_autoptr(GArray) answers = g_array_new (FALSE, FALSE, sizeof (LkIntruderAnswer));
  LkTrialDrawContext hit_ctx = *ctx;
  const gint *labels = lk_dataset_get_labels (truth);

  if (labels != NULL)
    for (guint i = 0; i < n; i++)
      clusters[i] = (guint) labels[i];
  else
    lk_kmeans (lk_dataset_get_features (truth), n, lk_dataset_get_dim (truth),
               MIN (n, MAX (2, n / 20)), 3, rng, clusters);
  hit_ctx.clusters = clusters;
  hit_ctx.n_clusters = 0;

  for (guint h = 0; h < n_hits; h++)
    {
      g_autoptr(LkTrial) trial = lk_trial_draw (LK_TASK_INTRUDER, &hit_ctx, rng, error);

      if (trial == NULL)
        return FALSE;
      for (guint p = 0; p < LK_INTRUDER_N_ITEMS; p++)
        {
          items[(gsize) h * LK_INTRUDER_N_ITEMS + p] = trial->items[p];
          hit_clusters[(gsize) h * LK_INTRUDER_N_ITEMS + p] = clusters[trial->items[p]];
        }
      for (guint r = 0; r < LK_SCORES_TRIPLET_RATERS; r++)
        {
          g_autoptr(LkTrial) rated = lk_trial_copy (trial);
          LkIntruderAnswer a;

          lk_simulate_answer_trial (truth, rated, noise, rng);
          a.hit = h;
          a.rater = r;
          a.position = (guint) rated->choice;
          g_array_append_val (answers, a);
        }
    }
  out->n_hits = n_hits;

  for (guint m = 0; m < LK_SIMULATE_N_METRICS; m++)
    {
      g_autoptr(LkIntruderMetric) im =
        lk_scores_intruder_metric (items, hit_clusters, n_hits, LK_INTRUDER_N_ITEMS,
                                   (const LkIntruderAnswer *) answers->data, answers->len,
                                   metrics[m], data[m], LK_SCORES_BOOTSTRAP_RESAMPLES,
                                   lk_rng_derive (seed, STREAM_BOOTSTRAP), error);

      if (im == NULL)
        return FALSE;
      out->metrics[m].intruder_accuracy = im->accuracy;
      out->metrics[m].intruder_agreement = im->agreement;
    }

  return TRUE;
}

/**
 * lk_simulate_score:
 * @truth: the ground truth the simulated people judge by
 * @learned: the learned embedding
 * @noise: (nullable): the simulated people's noise
 * @seed: the seed of the draws, answers and bootstrap
 * @out: (out caller-allocates): the scores; metric 0 is the learned metric, 1 the descriptor
 * @error: return location for a #GError
 *
 * Draws triplets, forced choices and intruder HITs, has the simulated crowd answer them, and
 * scores the learned metric and the dataset's descriptor on the answers, as the file's header
 * describes.
 *
 * Returns: %TRUE on success; %FALSE with @error set when the collection is too small for a task
 */
gboolean
lk_simulate_score (const LkDataset   *truth,
                   const LkEmbedding *learned,
                   const LkNoise     *noise,
                   guint64            seed,
                   LkSimulateScores  *out,
                   GError           **error)
{
  LkScoreDistanceFunc metrics[LK_SIMULATE_N_METRICS] = {
    embedding_distance, lk_simulate_descriptor_distance
  };
  gpointer data[LK_SIMULATE_N_METRICS] = { (gpointer) learned, (gpointer) truth };
  LkTrialDrawContext ctx = { 0 };

  g_return_val_if_fail (truth != NULL && learned != NULL && out != NULL, FALSE);
  g_return_val_if_fail (lk_embedding_get_n_items (learned) == lk_dataset_get_n_items (truth),
                        FALSE);

  *out = (LkSimulateScores) { 0 };
  out->metric_names[0] = "learned";
  out->metric_names[1] = "colour";
  ctx.n_items = lk_dataset_get_n_items (truth);
  ctx.learned = learned;
  ctx.metrics = metrics + 1;
  ctx.metric_data = data + 1;
  ctx.n_metrics = 1;
  ctx.random_share = LK_TRIAL_DRAW_RANDOM_SHARE;

  return score_triplets (truth, &ctx, noise, seed, metrics, data, out, error) &&
         score_choice (truth, &ctx, noise, seed, metrics, data, out, error) &&
         score_intruders (truth, &ctx, noise, seed, metrics, data, out, error);
}
