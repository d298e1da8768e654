/* lk-simulate.c — the simulated crowd of `000_b28b33f9dbf275aa.txt`, section 4.3
 *
 * "The simulated answer of the crowd for a given query have been computed by a k-means
 * algorithm, which has split the 20 images in the query into 4 clusters." We run k-means on the
 * query items' ground-truth features (k-means++ seeding, 3 restarts, seeded). Noise, for
 * robustness studies: each item independently is left out with probability left_out, else put
 * into a uniformly random bin with probability random_bin.
 *
 * On a set with attributes (`attributes:N`) the crowd is instead the one of
 * `001_8b2652e81e38914a.txt` (its section 3.1.2 hypothesis, and the planted crowd of the CEN
 * spec): participant w, drawn uniformly from n_participants for each grid, prefers attribute
 * w mod A; for each grid they sort by the grid's most varied attribute with probability rho,
 * else by their preferred one, and put each item in the bin of its value of that attribute.
 * "Most varied" is the largest variance of the values in the grid (for two values: the most
 * even split), computed exactly in integers, ties broken at random. The noise above then applies item by item. The query
 * carries the participant (lk_query_set_participant()), and lk_crowd_get_last_attribute()
 * tells which attribute was used, the ground truth of attribute retrieval.
 *
 * lk_simulate_run_with_options() can keep a share of the grids out of training ("holdout"), as
 * paper 001 section 4.5 does with 15 % of its grids (random grids, see draw_held_out()), and
 * measures on them the held-out pair accuracy: for each pair of a held-out grid with both items binned, is "same group" predicted
 * right? cen predicts with its own weighted distance and margin midpoint
 * (lk_cen_pair_distance()); every other method is worker-blind, and predicts "same" below the
 * embedding distance that best separates the training answers' pairs (the most favourable
 * single threshold for it, found on training data only).
 *
 * Session plans (LkSimulateOptions.plan, `simulate --plan`): participants follow the plan's
 * blocks in order, one participant after the other. The grids are those the refiner asks,
 * phase by phase, as without a plan; a participant sorts the next grid when their plan is at
 * a sorting block, and answers the trials of every other block as soon as their plan reaches
 * it: before their first grid for leading blocks, right after the grid that ends a sorting
 * block for later ones. A participant who has finished the plan is followed by a new one. Each
 * trial is drawn (lk_trial_draw()) from the embedding as it is at that moment, with the
 * dataset's descriptor as the other metric of the triplet mix and k-means clusters of the
 * embedding (N / 20, once per phase) for intruders, answered from the ground truth with the
 * crowd's noise (lk_simulate_answer_trial()), and added to the refiner (lk_refiner_add_trial()),
 * whose method learns from it or not. Trials take their randomness from a stream of their own.
 * Practice items are not simulated (they are not answers).
 *
 * Quality control (LkSimulateOptions.random_share, .qualify, .catch_repeats; `simulate
 * --random-share X [--qualify] [--catch]`), the controls of paper 002 with the experimenter's
 * decision automated. The grids of a phase are sorted by participants in sessions of
 * LK_SIMULATE_QC_SESSION consecutive grids (a session ends with the phase at the latest); each
 * participant sorts at random (every image in a uniformly random bin) with probability
 * random_share, drawn from a stream of their own, else as the crowd does. With qualify, a new
 * participant first sorts LK_SIMULATE_QC_EXAM gold grids: random grids of nq images whose known
 * answer is a noise-free crowd answer (k-means of the ground truth, a crowd of its own), scored
 * with lk_qc_exam_score(); below LK_QC_PASS_MARK (mean) they sort nothing. A participant who
 * sorts as the crowd does gives the known answer with the crowd's noise (not a k-means of their
 * own: two k-means runs on 20 colours often end in different local optima, and the exam,
 * which compares clusters exactly, would then fail most of the honest crowd); one who sorts at
 * random sorts the exam at random. With catch_repeats,
 * at the end of a session max(1, round(5 %)) of its grids, drawn at random, are sorted again by
 * the same participant; a mean lk_qc_consistency() below LK_SIMULATE_QC_MIN_CONSISTENCY leaves
 * the whole session out, and its grids go to the next participants. Exam grids and repeats
 * are not answers to the model. In the app, the experimenter decides on flags; here a rule
 * does. Every answer carries its session's participant index (lk_query_set_participant()).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "lk-simulate.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "lk-cen.h"
#include "lk-error.h"
#include "lk-kmeans.h"
#include "lk-knn.h"
#include "lk-metrics.h"
#include "lk-qc.h"
#include "lk-refine.h"
#include "lk-rng.h"
#include "lk-scores.h"
#include "lk-trial-draw.h"

/* Stream numbers for lk_rng_derive(). */
enum {
  STREAM_CROWD = 1,
  STREAM_METRICS = 2,
  STREAM_HOLDOUT = 3,
  STREAM_MCC = 4,
  STREAM_HOLDOUT_CROWD = 5,
  STREAM_TRIALS = 6,
  STREAM_QC = 7,
  STREAM_QC_GOLD = 8,
};

struct _LkCrowd {
  const LkDataset *dataset;
  guint            nc;
  LkNoise          noise;
  gsl_rng         *rng;
  GArray          *points;
  GArray          *labels;
  /* The attribute crowd (sets with attributes only). */
  const guint     *attributes;
  guint            n_attributes;
  guint            n_participants;
  double           rho;
  gint             last_attribute;
};

/**
 * lk_crowd_new:
 * @dataset: ground truth, borrowed for the crowd's lifetime
 * @nc: bins per grid
 * @noise: (nullable): noise shares, none if %NULL
 * @seed: the crowd's seed
 *
 * Returns: (transfer full): simulated participants
 */
LkCrowd *
lk_crowd_new (const LkDataset *dataset,
              guint            nc,
              const LkNoise   *noise,
              guint64          seed)
{
  LkCrowd *self;

  g_return_val_if_fail (dataset != NULL && nc >= 1, NULL);

  self = g_new0 (LkCrowd, 1);
  self->dataset = dataset;
  self->nc = nc;
  if (noise != NULL)
    self->noise = *noise;
  self->rng = lk_rng_new (seed);
  self->points = g_array_new (FALSE, FALSE, sizeof (double));
  self->labels = g_array_new (FALSE, FALSE, sizeof (guint));
  self->attributes = lk_dataset_get_attributes (dataset, &self->n_attributes);
  self->n_participants = 40;
  self->rho = 0.5;
  self->last_attribute = -1;

  return self;
}

/**
 * lk_crowd_set_participants:
 * @self: a crowd
 * @n_participants: how many participants share the grids (>= 1)
 * @rho: the probability that a participant sorts a grid by its most varied attribute
 *
 * Sets up the attribute crowd (see the file's header); ignored on sets without attributes.
 * The defaults are 40 participants and rho 0.5.
 */
void
lk_crowd_set_participants (LkCrowd *self,
                           guint    n_participants,
                           double   rho)
{
  g_return_if_fail (self != NULL && n_participants >= 1 && rho >= 0.0 && rho <= 1.0);

  self->n_participants = n_participants;
  self->rho = rho;
}

/**
 * lk_crowd_get_last_attribute:
 * @self: a crowd
 *
 * Returns: the attribute the last answered grid was sorted by, or -1 if the set has none
 */
gint
lk_crowd_get_last_attribute (const LkCrowd *self)
{
  g_return_val_if_fail (self != NULL, -1);

  return self->last_attribute;
}

/* The attribute a participant who prefers @preferred sorts @query by. */
static guint
choose_attribute (LkCrowd       *self,
                  const LkQuery *query,
                  guint          preferred)
{
  guint n = lk_query_get_n_items (query), best = 0, n_best = 0;
  gint64 best_var = -1;

  if (gsl_rng_uniform (self->rng) >= self->rho)
    return preferred;

  /* n^2 times the variance, n sum v^2 - (sum v)^2, in integers: equally varied attributes
   * compare equal. (In floating point a split of 8 of 10 and one of 2 of 10 differed in the
   * last bit, depending on the order of the items, and one of them always won the tie.) */
  for (guint a = 0; a < self->n_attributes; a++)
    {
      gint64 sum = 0, sum2 = 0, var;

      for (guint i = 0; i < n; i++)
        {
          gint64 v = self->attributes[(gsize) lk_query_get_item (query, i) * self->n_attributes + a];

          sum += v;
          sum2 += v * v;
        }
      var = (gint64) n * sum2 - sum * sum;
      if (var > best_var)
        {
          best_var = var;
          best = a;
          n_best = 1;
        }
      else if (var == best_var && gsl_rng_uniform_int (self->rng, ++n_best) == 0)
        {
          best = a;
        }
    }

  return best;
}

void
lk_crowd_free (LkCrowd *self)
{
  if (self == NULL)
    return;

  gsl_rng_free (self->rng);
  g_array_unref (self->points);
  g_array_unref (self->labels);
  g_free (self);
}

/**
 * lk_crowd_answer:
 * @self: a crowd
 * @query: an unanswered query, answered in place
 */
void
lk_crowd_answer (LkCrowd *self,
                 LkQuery *query)
{
  guint n = lk_query_get_n_items (query);
  guint dim = lk_dataset_get_dim (self->dataset);
  const double *features = lk_dataset_get_features (self->dataset);
  g_autofree gint *bins = g_new (gint, n);
  guint k = MIN (self->nc, n);

  g_array_set_size (self->points, (gsize) n * dim);
  g_array_set_size (self->labels, n);
  if (self->attributes != NULL)
    {
      guint w = gsl_rng_uniform_int (self->rng, self->n_participants);
      guint a = choose_attribute (self, query, w % self->n_attributes);

      for (guint i = 0; i < n; i++)
        g_array_index (self->labels, guint, i) =
          self->attributes[(gsize) lk_query_get_item (query, i) * self->n_attributes + a] % self->nc;
      lk_query_set_participant (query, w);
      self->last_attribute = (gint) a;
    }
  else
    {
      for (guint i = 0; i < n; i++)
        memcpy (&g_array_index (self->points, double, (gsize) i * dim),
                features + (gsize) lk_query_get_item (query, i) * dim, sizeof (double) * dim);

      lk_kmeans ((const double *) self->points->data, n, dim, k, 3, self->rng,
                 (guint *) self->labels->data);
    }

  for (guint i = 0; i < n; i++)
    {
      bins[i] = g_array_index (self->labels, guint, i);
      if (self->noise.left_out > 0.0 && gsl_rng_uniform (self->rng) < self->noise.left_out)
        bins[i] = LK_BIN_LEFT_OUT;
      else if (self->noise.random_bin > 0.0 && gsl_rng_uniform (self->rng) < self->noise.random_bin)
        bins[i] = gsl_rng_uniform_int (self->rng, self->nc);
    }

  lk_query_set_answer (query, bins, self->nc, NULL);
}

/* The ground-truth distance between items @a and @b: Euclidean on the features. */
static double
truth_distance (const LkDataset *truth,
                guint            a,
                guint            b)
{
  const double *f = lk_dataset_get_features (truth);
  guint dim = lk_dataset_get_dim (truth);
  double dd = 0.0;

  for (guint k = 0; k < dim; k++)
    {
      double d = f[(gsize) a * dim + k] - f[(gsize) b * dim + k];
      dd += d * d;
    }

  return sqrt (dd);
}

/* A uniformly random answer of @trial's kind (the noise's "random bin"). */
static gint
random_choice (const LkTrial *trial,
               gsl_rng       *rng)
{
  switch (trial->kind)
    {
    case LK_TASK_TRIPLET:
      return 1 + (gint) gsl_rng_uniform_int (rng, 4);
    case LK_TASK_CHOICE5:
    case LK_TASK_MATCH:
      return 1 + (gint) gsl_rng_uniform_int (rng, trial->n_items - 1);
    case LK_TASK_INTRUDER:
    case LK_TASK_SORT:
    case LK_TASK_TRAINING:
    case LK_TASK_EXAM:
    default:
      return (gint) gsl_rng_uniform_int (rng, trial->n_items);
    }
}

/**
 * lk_simulate_answer_trial:
 * @truth: the ground truth
 * @trial: an unanswered trial over items of @truth, answered in place
 * @noise: (nullable): the sorting crowd's noise options, none if %NULL
 * @rng: the random source (used only for noise)
 *
 * A simulated participant's answer to a trial, from the ground-truth features (Euclidean
 * distance), as the sorting crowd answers from them:
 *
 * - triplet: A closer (3) or B closer (4) by the truth; an exact tie is "both similar" (1);
 * - choice5 and match: the candidate nearest Q (a tie to the first shown);
 * - intruder: the image with the largest summed distance to the other seven (a tie to the
 *   first shown), the rule lk_scores_intruder_metric() uses for a metric.
 *
 * Noise, with the meaning it has for a grid: with probability @left_out the participant
 * decides nothing where the task allows it (triplet: "both similar" or "both dissimilar",
 * even odds; match: "none"; choice5 and intruder force a choice, so a uniform guess), else
 * with probability @random_bin the answer is uniform among the kind's answers (triplet: 1-4).
 */
void
lk_simulate_answer_trial (const LkDataset *truth,
                          LkTrial         *trial,
                          const LkNoise   *noise,
                          gsl_rng         *rng)
{
  gint choice = 0;

  g_return_if_fail (truth != NULL && trial != NULL && rng != NULL);
  g_return_if_fail (lk_trial_validate (trial, NULL));

  if (noise != NULL && noise->left_out > 0.0 && gsl_rng_uniform (rng) < noise->left_out)
    {
      if (trial->kind == LK_TASK_TRIPLET)
        trial->choice = gsl_rng_uniform (rng) < 0.5 ? LK_TRIPLET_ANSWER_BOTH_SIMILAR :
                                                      LK_TRIPLET_ANSWER_BOTH_DISSIMILAR;
      else if (trial->kind == LK_TASK_MATCH)
        trial->choice = LK_TRIAL_NONE;
      else
        trial->choice = random_choice (trial, rng);
      return;
    }
  if (noise != NULL && noise->random_bin > 0.0 && gsl_rng_uniform (rng) < noise->random_bin)
    {
      trial->choice = random_choice (trial, rng);
      return;
    }

  switch (trial->kind)
    {
    case LK_TASK_TRIPLET:
      {
        double da = truth_distance (truth, trial->items[0], trial->items[1]);
        double db = truth_distance (truth, trial->items[0], trial->items[2]);

        choice = da < db ? LK_TRIPLET_ANSWER_A_CLOSER :
                 db < da ? LK_TRIPLET_ANSWER_B_CLOSER : LK_TRIPLET_ANSWER_BOTH_SIMILAR;
      }
      break;

    case LK_TASK_CHOICE5:
    case LK_TASK_MATCH:
      {
        double best = G_MAXDOUBLE;

        for (guint i = 1; i < trial->n_items; i++)
          {
            double d = truth_distance (truth, trial->items[0], trial->items[i]);

            if (d < best)
              {
                best = d;
                choice = (gint) i;
              }
          }
      }
      break;

    case LK_TASK_INTRUDER:
      {
        double best = -1.0;

        for (guint i = 0; i < trial->n_items; i++)
          {
            double sum = 0.0;

            for (guint j = 0; j < trial->n_items; j++)
              if (j != i)
                sum += truth_distance (truth, trial->items[i], trial->items[j]);
            if (sum > best)
              {
                best = sum;
                choice = (gint) i;
              }
          }
      }
      break;

    case LK_TASK_SORT:
    case LK_TASK_TRAINING:
    case LK_TASK_EXAM:
    default:
      g_return_if_reached ();
    }

  trial->choice = choice;
}

/**
 * lk_simulate_options_init:
 * @options: (out caller-allocates): options to fill with the defaults
 *
 * No noise, 40 participants with rho 0.5 (attribute sets only), no held-out grids.
 */
void
lk_simulate_options_init (LkSimulateOptions *options)
{
  g_return_if_fail (options != NULL);

  memset (options, 0, sizeof *options);
  options->participants = 40;
  options->rho = 0.5;
  options->cen_attribute = -1;
}

typedef struct {
  double d;
  gboolean same;
} ScoredPair;

static int
compare_scored (const void *a,
                const void *b)
{
  const ScoredPair *x = a, *y = b;

  return (x->d > y->d) - (x->d < y->d);
}

/* Both items binned: the pairs paper 001 labels (a left-out item gives none). */
static gboolean
pair_label (const LkQuery *q,
            guint          a,
            guint          b,
            gboolean      *same)
{
  gint ba = lk_query_get_bin (q, a), bb = lk_query_get_bin (q, b);

  if (ba < 0 || bb < 0)
    return FALSE;
  *same = ba == bb;
  return TRUE;
}

/* The distance below which the worker-blind prediction says "same": the one that classifies
 * the most training pairs right (ties: the smallest). */
static double
fit_threshold (const LkEmbedding *e,
               const GPtrArray   *answers)
{
  g_autoptr(GArray) pairs = g_array_new (FALSE, FALSE, sizeof (ScoredPair));
  gsize n_same = 0, best_correct, correct, n_diff_below = 0, n_same_below = 0;
  double best;

  for (guint q = 0; q < answers->len; q++)
    {
      const LkQuery *query = g_ptr_array_index (answers, q);
      guint n = lk_query_get_n_items (query);

      for (guint a = 0; a < n; a++)
        for (guint b = a + 1; b < n; b++)
          {
            ScoredPair p;

            if (!pair_label (query, a, b, &p.same))
              continue;
            p.d = lk_embedding_distance (e, lk_query_get_item (query, a), lk_query_get_item (query, b));
            n_same += p.same;
            g_array_append_val (pairs, p);
          }
    }
  if (pairs->len == 0)
    return 0.0;

  qsort (pairs->data, pairs->len, sizeof (ScoredPair), compare_scored);
  /* Threshold below every pair: all predicted "different". */
  best = g_array_index (pairs, ScoredPair, 0).d;
  best_correct = pairs->len - n_same;
  for (guint i = 0; i < pairs->len; i++)
    {
      const ScoredPair *p = &g_array_index (pairs, ScoredPair, i);

      n_same_below += p->same;
      n_diff_below += !p->same;
      if (i + 1 < pairs->len && g_array_index (pairs, ScoredPair, i + 1).d == p->d)
        continue;
      correct = n_same_below + (pairs->len - n_same - n_diff_below);
      if (correct > best_correct)
        {
          best_correct = correct;
          best = i + 1 < pairs->len ? 0.5 * (p->d + g_array_index (pairs, ScoredPair, i + 1).d)
                                    : p->d + 1.0;
        }
    }

  return best;
}

/* The held-out grids: holdout / (1 - holdout) times the budget, so that they are that share of
 * all grids, each of nq items drawn uniformly, answered by a crowd of its own seed. Drawn the
 * same for every method, and apart from the training grids, which stay exactly those of a run
 * without a holdout. (Taking them out of the method's own batches instead would test every
 * method on grids of its own policy: a local policy's grids of near neighbours are easier.) */
static void
draw_held_out (const LkDataset         *dataset,
               const LkParams          *params,
               const LkSimulateOptions *options,
               GPtrArray               *held,
               GArray                  *held_truth)
{
  guint n = lk_dataset_get_n_items (dataset), nq = MIN (params->nq, n);
  guint n_grids = (guint) ceil (options->holdout * params->budget / (1.0 - options->holdout));
  g_autoptr(gsl_rng) rng = lk_rng_new (lk_rng_derive (params->seed, STREAM_HOLDOUT));
  g_autoptr(LkCrowd) crowd = lk_crowd_new (dataset, params->nc, &options->noise,
                                           lk_rng_derive (params->seed, STREAM_HOLDOUT_CROWD));
  g_autofree guint *pool = g_new (guint, n);

  lk_crowd_set_participants (crowd, options->participants, options->rho);
  for (guint i = 0; i < n; i++)
    pool[i] = i;
  for (guint g = 0; g < n_grids; g++)
    {
      LkQuery *query;
      gint attribute;

      /* Partial Fisher-Yates: the first nq entries of pool are a uniform draw. */
      for (guint i = 0; i < nq; i++)
        {
          guint j = i + gsl_rng_uniform_int (rng, n - i), t = pool[i];

          pool[i] = pool[j];
          pool[j] = t;
        }

      query = lk_query_new (pool, nq);
      lk_crowd_answer (crowd, query);
      attribute = lk_crowd_get_last_attribute (crowd);
      g_ptr_array_add (held, query);
      g_array_append_val (held_truth, attribute);
    }
}

static double
pair_accuracy (const LkRefiner *refiner,
               const GPtrArray *held)
{
  const LkEmbedding *e = lk_refiner_get_embedding (refiner);
  gboolean cen = lk_cen_is_method (lk_refiner_get_method (refiner));
  double threshold = cen ? LK_CEN_THRESHOLD : fit_threshold (e, lk_refiner_get_answers (refiner));
  gsize right = 0, total = 0;

  for (guint q = 0; q < held->len; q++)
    {
      const LkQuery *query = g_ptr_array_index (held, q);
      guint n = lk_query_get_n_items (query);

      for (guint a = 0; a < n; a++)
        for (guint b = a + 1; b < n; b++)
          {
            gboolean same;
            double d;

            if (!pair_label (query, a, b, &same))
              continue;
            if (cen)
              d = lk_cen_pair_distance (lk_refiner_get_state (refiner), query, a, b);
            else
              d = lk_embedding_distance (e, lk_query_get_item (query, a), lk_query_get_item (query, b));
            right += (d < threshold) == same;
            total++;
          }
    }

  return total > 0 ? (double) right / total : NAN;
}

/* Share of @answers whose strongest attribute dimension (argmax of cen's activation) is the
 * attribute they were sorted by, dimensions matched one-to-one to attributes so that the most
 * agree (Hungarian method; paper 001 section 4.3 named them by inspection). */
static double
attribute_accuracy (const LkRefiner *refiner,
                    const GPtrArray *answers,
                    const GArray    *truth,
                    guint            n_attributes)
{
  guint k = lk_embedding_get_dim (lk_refiner_get_embedding (refiner));
  g_autofree guint *predicted = g_new (guint, MAX (answers->len, 1));
  g_autofree gint *dim_of_attribute = g_new (gint, n_attributes);

  if (answers->len == 0)
    return NAN;
  for (guint q = 0; q < answers->len; q++)
    predicted[q] = lk_cen_grid_attribute (lk_refiner_get_state (refiner),
                                          g_ptr_array_index (answers, q));

  return (double) lk_metrics_match_clusters (predicted, (const gint *) truth->data, answers->len,
                                             k, n_attributes, dim_of_attribute) / answers->len;
}

/* Multiclass Matthews correlation (Gorodkin) of a labels x matched-clusters table, in the
 * closed form of the CEN spec: (c s - sum p_k t_k) / sqrt((s^2 - sum p_k^2)(s^2 - sum t_k^2)). */
double
lk_simulate_mcc (const guint *counts,
                 guint        n)
{
  double s = 0.0, c = 0.0, pt = 0.0, pp = 0.0, tt = 0.0, den;

  for (guint k = 0; k < n; k++)
    {
      double t = 0.0, p = 0.0;

      for (guint j = 0; j < n; j++)
        {
          t += counts[(gsize) k * n + j];
          p += counts[(gsize) j * n + k];
        }
      s += t;
      c += counts[(gsize) k * n + k];
      pt += p * t;
      pp += p * p;
      tt += t * t;
    }
  den = sqrt ((s * s - pp) * (s * s - tt));

  return den > 0.0 ? (c * s - pt) / den : 0.0;
}

/* The Euclidean distance of the dataset's descriptor, as an LkScoreDistanceFunc. */
double
lk_simulate_descriptor_distance (guint    a,
                                 guint    b,
                                 gpointer dataset)
{
  guint dim;
  const double *d = lk_dataset_get_descriptor (dataset, &dim);
  double dd = 0.0;

  for (guint k = 0; k < dim; k++)
    {
      double x = d[(gsize) a * dim + k] - d[(gsize) b * dim + k];
      dd += x * x;
    }

  return sqrt (dd);
}

/* A participant's place in the plan during a simulated run. */
typedef struct {
  const LkPlan            *plan;
  const LkDataset         *dataset;
  const LkSimulateOptions *options;
  gsl_rng                 *rng;
  guint                    participant;
  guint                    done;
  guint                    trials;
  guint                   *clusters;     /* for intruders, of the current phase; or NULL */
} PlanRun;

/* Answers trials while the participant's plan is at a block that is not sorting. */
static gboolean
plan_run_trials (PlanRun    *pr,
                 LkRefiner  *refiner,
                 GError    **error)
{
  guint block;

  while (lk_plan_locate (pr->plan, pr->done, &block, NULL) &&
         !lk_task_kind_is_sorting (pr->plan->blocks[block].kind))
    {
      LkTaskKind kind = pr->plan->blocks[block].kind;
      LkScoreDistanceFunc metrics[1] = { lk_simulate_descriptor_distance };
      gpointer data[1] = { (gpointer) pr->dataset };
      LkTrialDrawContext ctx = { 0 };
      g_autoptr(LkTrial) trial = NULL;

      ctx.n_items = lk_dataset_get_n_items (pr->dataset);
      ctx.learned = lk_refiner_get_embedding (refiner);
      ctx.metrics = metrics;
      ctx.metric_data = data;
      ctx.n_metrics = 1;
      ctx.random_share = LK_TRIAL_DRAW_RANDOM_SHARE;
      if (kind == LK_TASK_CHOICE5)
        ctx.policy = pr->options->choice5_policy;
      if (kind == LK_TASK_INTRUDER)
        {
          if (pr->clusters == NULL)
            pr->clusters = lk_trial_draw_clusters (ctx.learned, 0, pr->rng);
          ctx.clusters = pr->clusters;
        }

      trial = lk_trial_draw (kind, &ctx, pr->rng, error);
      if (trial == NULL)
        return FALSE;
      trial->participant = pr->participant;
      lk_simulate_answer_trial (pr->dataset, trial, &pr->options->noise, pr->rng);
      lk_refiner_add_trial (refiner, trial);
      pr->done++;
      pr->trials++;
    }

  return TRUE;
}

/* Before a grid: a new participant if the last finished, and their leading trials. */
static gboolean
plan_run_before_grid (PlanRun    *pr,
                      LkRefiner  *refiner,
                      GError    **error)
{
  if (!lk_plan_locate (pr->plan, pr->done, NULL, NULL))
    {
      pr->participant++;
      pr->done = 0;
    }

  return plan_run_trials (pr, refiner, error);
}

/* Quality control during a simulated run (see the top of this file). */
typedef struct {
  const LkDataset         *dataset;
  const LkParams          *params;
  const LkSimulateOptions *options;
  LkCrowd                 *crowd;
  LkCrowd                 *gold_crowd;   /* noise-free known answers */
  gsl_rng                 *rng;
  gboolean                 active;       /* a participant is in session */
  gboolean                 random;       /* they sort at random */
  guint                    participant;  /* their index */
  GPtrArray               *session;      /* their answered grids (borrowed from the batch) */
  guint                    rejected_in_a_row;
  guint                    n_participants, n_random, n_left_out, n_random_left_out;
} QcRun;

/* Stop a run in which nobody passes rather than loop for ever. */
#define QC_MAX_REJECTED_IN_A_ROW 1000

static void
qc_answer (QcRun   *qc,
           LkQuery *query)
{
  if (qc->random)
    {
      guint n = lk_query_get_n_items (query);
      g_autofree gint *bins = g_new (gint, n);

      for (guint i = 0; i < n; i++)
        bins[i] = (gint) gsl_rng_uniform_int (qc->rng, qc->params->nc);
      lk_query_set_answer (query, bins, qc->params->nc, NULL);
    }
  else
    lk_crowd_answer (qc->crowd, query);
  lk_query_set_participant (query, qc->participant);
}

/* A random grid of nq images (partial Fisher-Yates). */
static LkQuery *
qc_random_grid (QcRun *qc)
{
  guint n = lk_dataset_get_n_items (qc->dataset), nq = MIN (qc->params->nq, n);
  g_autofree guint *pool = g_new (guint, n);

  for (guint i = 0; i < n; i++)
    pool[i] = i;
  for (guint i = 0; i < nq; i++)
    {
      guint j = i + gsl_rng_uniform_int (qc->rng, n - i), t = pool[i];

      pool[i] = pool[j];
      pool[j] = t;
    }

  return lk_query_new (pool, nq);
}

/* The participant's mean exam score. */
static double
qc_exam (QcRun *qc)
{
  double sum = 0.0;

  for (guint e = 0; e < LK_SIMULATE_QC_EXAM; e++)
    {
      g_autoptr(LkQuery) gold = qc_random_grid (qc);
      g_autoptr(LkQuery) answer = NULL;
      double score;

      lk_crowd_answer (qc->gold_crowd, gold);
      answer = lk_query_copy (gold);
      if (qc->random)
        qc_answer (qc, answer);
      else
        {
          /* Who understood the task gives the known answer, with the crowd's noise. */
          guint n = lk_query_get_n_items (gold);
          g_autofree gint *bins = g_new (gint, n);
          const LkNoise *noise = &qc->options->noise;

          for (guint i = 0; i < n; i++)
            {
              bins[i] = lk_query_get_bin (gold, i);
              if (noise->left_out > 0.0 && gsl_rng_uniform (qc->rng) < noise->left_out)
                bins[i] = LK_BIN_LEFT_OUT;
              else if (noise->random_bin > 0.0 && gsl_rng_uniform (qc->rng) < noise->random_bin)
                bins[i] = (gint) gsl_rng_uniform_int (qc->rng, qc->params->nc);
            }
          lk_query_set_answer (answer, bins, qc->params->nc, NULL);
        }
      score = lk_qc_exam_score (answer, gold, NULL);
      /* A known answer with no image in a bin cannot happen without noise; count it as passed. */
      sum += score >= 0 ? score : 100.0;
    }

  return sum / LK_SIMULATE_QC_EXAM;
}

/* Starts sessions until a participant passes (or there is no exam). */
static gboolean
qc_start (QcRun   *qc,
          GError **error)
{
  while (!qc->active)
    {
      if (qc->rejected_in_a_row >= QC_MAX_REJECTED_IN_A_ROW)
        {
          g_set_error (error, LK_CORE_ERROR, LK_CORE_ERROR_INVALID_ARGUMENT,
                       "%u simulated participants in a row were left out: lower the random "
                       "share", QC_MAX_REJECTED_IN_A_ROW);
          return FALSE;
        }
      qc->participant = qc->n_participants++;
      qc->random = gsl_rng_uniform (qc->rng) < qc->options->random_share;
      qc->n_random += qc->random;
      if (qc->options->qualify && qc_exam (qc) < LK_QC_PASS_MARK)
        {
          qc->n_left_out++;
          qc->n_random_left_out += qc->random;
          qc->rejected_in_a_row++;
          continue;
        }
      qc->active = TRUE;
    }

  return TRUE;
}

/* Ends the session: its grids go to the refiner, or with catch grids and too little
 * consistency back to @pending. */
static void
qc_end (QcRun     *qc,
        LkRefiner *refiner,
        GQueue    *pending)
{
  gboolean keep = TRUE;

  if (qc->options->catch_repeats && qc->session->len > 0)
    {
      guint n = qc->session->len;
      guint repeats = MAX (1, (guint) lround (LK_SIMULATE_QC_REPEAT_SHARE * n));
      g_autofree guint *order = g_new (guint, n);
      double sum = 0.0;

      for (guint i = 0; i < n; i++)
        order[i] = i;
      for (guint i = 0; i < repeats; i++)
        {
          guint j = i + gsl_rng_uniform_int (qc->rng, n - i), t = order[i];
          const LkQuery *first;
          g_autoptr(LkQuery) again = NULL;

          order[i] = order[j];
          order[j] = t;
          first = g_ptr_array_index (qc->session, order[i]);
          again = lk_query_copy (first);
          qc_answer (qc, again);
          sum += lk_qc_consistency (first, again, NULL);
        }
      keep = sum / repeats >= LK_SIMULATE_QC_MIN_CONSISTENCY;
    }

  for (guint i = 0; i < qc->session->len; i++)
    {
      LkQuery *query = g_ptr_array_index (qc->session, i);

      if (keep)
        lk_refiner_add_answer (refiner, query);
      else
        g_queue_push_tail (pending, query);
    }
  if (keep)
    qc->rejected_in_a_row = 0;
  else
    {
      qc->n_left_out++;
      qc->n_random_left_out += qc->random;
      qc->rejected_in_a_row++;
    }
  g_ptr_array_set_size (qc->session, 0);
  qc->active = FALSE;
}

/* Answers a phase's @batch with quality control. */
static gboolean
qc_answer_batch (QcRun     *qc,
                 LkRefiner *refiner,
                 GPtrArray *batch,
                 GError   **error)
{
  GQueue pending = G_QUEUE_INIT;

  for (guint q = 0; q < batch->len; q++)
    g_queue_push_tail (&pending, g_ptr_array_index (batch, q));
  while (!g_queue_is_empty (&pending))
    {
      LkQuery *query;

      if (!qc_start (qc, error))
        {
          g_queue_clear (&pending);
          return FALSE;
        }
      query = g_queue_pop_head (&pending);
      qc_answer (qc, query);
      g_ptr_array_add (qc->session, query);
      if (qc->session->len == LK_SIMULATE_QC_SESSION || g_queue_is_empty (&pending))
        qc_end (qc, refiner, &pending);
    }

  return TRUE;
}

/**
 * lk_simulate_run:
 * @dataset: ground truth
 * @params: parameters (the seed among them)
 * @method: the method
 * @noise: (nullable): crowd noise
 * @func: (scope call) (nullable): called after every phase
 * @user_data: passed to @func
 * @error: return location for a #GError
 *
 * lk_simulate_run_with_options() with the default options and @noise.
 *
 * Returns: %TRUE on success; %FALSE if @params do not fit @dataset
 */
gboolean
lk_simulate_run (const LkDataset    *dataset,
                 const LkParams     *params,
                 const LkMethodType *method,
                 const LkNoise      *noise,
                 LkPhaseFunc         func,
                 gpointer            user_data,
                 GError            **error)
{
  LkSimulateOptions options;

  lk_simulate_options_init (&options);
  if (noise != NULL)
    options.noise = *noise;

  return lk_simulate_run_with_options (dataset, params, method, &options, func, user_data, error);
}

/**
 * lk_simulate_run_with_options:
 * @dataset: ground truth
 * @params: parameters (the seed among them)
 * @method: the method
 * @options: the crowd's noise and participants, and the share of grids held out
 * @func: (scope call) (nullable): called after every phase
 * @user_data: passed to @func
 * @error: return location for a #GError
 *
 * Runs a whole study with simulated participants and reports each phase: the crowd answers
 * every query of the phase, then the method folds the batch in. Deterministic for a seed.
 *
 * Returns: %TRUE on success; %FALSE if @params do not fit @dataset
 */
gboolean
lk_simulate_run_with_options (const LkDataset         *dataset,
                              const LkParams          *params,
                              const LkMethodType      *method,
                              const LkSimulateOptions *options,
                              LkPhaseFunc              func,
                              gpointer                 user_data,
                              GError                 **error)
{
  guint n = lk_dataset_get_n_items (dataset);
  g_autoptr(GPtrArray) held = g_ptr_array_new_with_free_func ((GDestroyNotify) lk_query_free);
  g_autoptr(GArray) truth_attribute = g_array_new (FALSE, FALSE, sizeof (gint));
  g_autoptr(GArray) held_truth = g_array_new (FALSE, FALSE, sizeof (gint));
  g_autoptr(gsl_rng) mcc_rng = NULL;
  guint n_attributes = 0;
  g_autoptr(LkRefiner) refiner = NULL;
  g_autoptr(LkCrowd) crowd = NULL;
  g_autoptr(gsl_rng) metrics_rng = NULL;
  g_autofree guint *truth = NULL;
  guint truth_k, queries = 0;
  PlanRun pr = { 0 };
  QcRun qc = { 0 };
  g_autoptr(gsl_rng) trial_rng = NULL;
  g_autoptr(gsl_rng) qc_rng = NULL;
  g_autoptr(LkCrowd) gold_crowd = NULL;
  g_autoptr(GPtrArray) qc_session = NULL;
  gboolean ok = TRUE;

  g_return_val_if_fail (dataset != NULL && params != NULL && method != NULL && options != NULL,
                        FALSE);
  g_return_val_if_fail (options->holdout >= 0.0 && options->holdout < 1.0, FALSE);
  g_return_val_if_fail (options->random_share >= 0.0 && options->random_share <= 1.0, FALSE);

  refiner = lk_refiner_new (n, params, method, error);
  if (refiner == NULL)
    return FALSE;
  if (lk_cen_is_method (method) && options->cen_attribute >= 0)
    {
      if (options->cen_attribute >= (gint) params->dim)
        {
          g_set_error (error, LK_CORE_ERROR, LK_CORE_ERROR_INVALID_ARGUMENT,
                       "the synthesized grids' attribute must be below the dimension %u, got %d",
                       params->dim, options->cen_attribute);
          return FALSE;
        }
      lk_cen_set_target_attribute ((gpointer) lk_refiner_get_state (refiner), options->cen_attribute);
    }
  if (n < 11)
    {
      g_set_error (error, LK_CORE_ERROR, LK_CORE_ERROR_INVALID_ARGUMENT,
                   "a simulation needs at least 11 items to measure 10-NN recall, got %u", n);
      return FALSE;
    }

  if (options->plan != NULL)
    {
      gboolean sorts = FALSE;

      for (guint b = 0; b < options->plan->n_blocks; b++)
        sorts |= lk_task_kind_is_sorting (options->plan->blocks[b].kind);
      if (!sorts)
        {
          g_set_error (error, LK_CORE_ERROR, LK_CORE_ERROR_INVALID_ARGUMENT,
                       "a simulated plan needs a sorting block: the budget counts grids");
          return FALSE;
        }
      trial_rng = lk_rng_new (lk_rng_derive (params->seed, STREAM_TRIALS));
      pr.plan = options->plan;
      pr.dataset = dataset;
      pr.options = options;
      pr.rng = trial_rng;
    }

  crowd = lk_crowd_new (dataset, params->nc, &options->noise,
                        lk_rng_derive (params->seed, STREAM_CROWD));
  lk_crowd_set_participants (crowd, options->participants, options->rho);
  if (options->random_share > 0.0 || options->qualify || options->catch_repeats)
    {
      if (options->plan != NULL)
        {
          g_set_error (error, LK_CORE_ERROR, LK_CORE_ERROR_INVALID_ARGUMENT,
                       "a simulation with quality control runs without a plan");
          return FALSE;
        }
      qc_rng = lk_rng_new (lk_rng_derive (params->seed, STREAM_QC));
      gold_crowd = lk_crowd_new (dataset, params->nc, NULL,
                                 lk_rng_derive (params->seed, STREAM_QC_GOLD));
      lk_crowd_set_participants (gold_crowd, options->participants, options->rho);
      qc_session = g_ptr_array_new ();
      qc = (QcRun) { .dataset = dataset, .params = params, .options = options, .crowd = crowd,
                     .gold_crowd = gold_crowd, .rng = qc_rng, .session = qc_session };
    }
  lk_dataset_get_attributes (dataset, &n_attributes);
  mcc_rng = lk_rng_new (lk_rng_derive (params->seed, STREAM_MCC));
  metrics_rng = lk_rng_new (lk_rng_derive (params->seed, STREAM_METRICS));
  if (options->holdout > 0.0)
    draw_held_out (dataset, params, options, held, held_truth);
  truth_k = MIN (40, n - 1);
  truth = lk_knn_compute (lk_dataset_get_features (dataset), n, lk_dataset_get_dim (dataset),
                          truth_k, NULL);

  while (!lk_refiner_is_done (refiner))
    {
      gint64 start = g_get_monotonic_time ();
      g_autoptr(GPtrArray) batch = NULL;
      g_autofree guint *learned = NULL;
      const LkEmbedding *e;
      LkUpdateStats stats;
      LkPhaseReport report = { 0 };

      batch = lk_refiner_select_queries (refiner, lk_refiner_get_batch_size (refiner));
      g_clear_pointer (&pr.clusters, g_free);
      if (qc.rng != NULL)
        {
          /* The attribute each grid was sorted by is not kept with quality control, so no
           * attribute accuracy is reported then. */
          ok = qc_answer_batch (&qc, refiner, batch, error);
          if (!ok)
            break;
        }
      for (guint q = 0; q < batch->len && ok && qc.rng == NULL; q++)
        {
          LkQuery *query = g_ptr_array_index (batch, q);
          gint attribute;

          if (pr.plan != NULL && !plan_run_before_grid (&pr, refiner, error))
            ok = FALSE;
          if (!ok)
            break;
          lk_crowd_answer (crowd, query);
          attribute = lk_crowd_get_last_attribute (crowd);
          lk_refiner_add_answer (refiner, query);
          g_array_append_val (truth_attribute, attribute);
          if (pr.plan != NULL)
            {
              pr.done++;
              ok = plan_run_trials (&pr, refiner, error);
            }
        }
      if (!ok)
        break;
      queries += batch->len;
      lk_refiner_end_phase (refiner, &stats);

      report.seconds = (g_get_monotonic_time () - start) / 1e6;
      if (func == NULL)
        continue;

      e = lk_refiner_get_embedding (refiner);
      learned = lk_knn_compute (lk_embedding_get_data (e), n, lk_embedding_get_dim (e), 10, NULL);
      report.phase = lk_refiner_get_phase (refiner);
      report.queries = queries;
      report.recall10 = lk_metrics_knn_recall (truth, truth_k, learned, 10, n, 10,
                                               report.recall10_histogram);
      report.cluster_error = NAN;
      if (lk_dataset_get_labels (dataset) != NULL && lk_dataset_get_n_labels (dataset) <= n)
        report.cluster_error = lk_metrics_cluster_error (lk_embedding_get_data (e), n,
                                                         lk_embedding_get_dim (e),
                                                         lk_dataset_get_labels (dataset),
                                                         lk_dataset_get_n_labels (dataset),
                                                         metrics_rng);
      report.cooccurrence_locality =
        lk_metrics_cooccurrence_locality (lk_refiner_get_evidence (refiner), truth, truth_k,
                                          truth_k, 20);
      report.stress = stats.stress;
      report.pair_accuracy = held->len > 0 ? pair_accuracy (refiner, held) : NAN;
      report.attribute_accuracy = NAN;
      report.attribute_accuracy_heldout = NAN;
      if (lk_cen_is_method (method) && n_attributes > 0 && qc.rng == NULL)
        {
          report.attribute_accuracy = attribute_accuracy (refiner, lk_refiner_get_answers (refiner),
                                                          truth_attribute, n_attributes);
          if (held->len > 0)
            report.attribute_accuracy_heldout = attribute_accuracy (refiner, held, held_truth,
                                                                    n_attributes);
        }
      report.mcc = NAN;
      if (n_attributes > 0 && lk_dataset_get_labels (dataset) != NULL &&
          lk_dataset_get_n_labels (dataset) <= n)
        {
          g_autoptr(LkClusterTable) table =
            lk_metrics_cluster_table (lk_embedding_get_data (e), n, lk_embedding_get_dim (e),
                                      lk_dataset_get_labels (dataset),
                                      lk_dataset_get_n_labels (dataset), mcc_rng);

          report.mcc = lk_simulate_mcc (table->counts, table->n_labels);
        }
      report.trials = pr.trials;
      report.qc_participants = qc.n_participants;
      report.qc_random = qc.n_random;
      report.qc_left_out = qc.n_left_out;
      report.qc_random_left_out = qc.n_random_left_out;
      report.embedding = e;
      func (&report, user_data);
    }
  g_free (pr.clusters);

  return ok;
}
