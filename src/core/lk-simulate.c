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
 * even split), ties broken at random. The noise above then applies item by item. The query
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
#include "lk-refine.h"
#include "lk-rng.h"

/* Stream numbers for lk_rng_derive(). */
enum {
  STREAM_CROWD = 1,
  STREAM_METRICS = 2,
  STREAM_HOLDOUT = 3,
  STREAM_MCC = 4,
  STREAM_HOLDOUT_CROWD = 5,
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
  double best_var = -1.0;

  if (gsl_rng_uniform (self->rng) >= self->rho)
    return preferred;

  for (guint a = 0; a < self->n_attributes; a++)
    {
      double mean = 0.0, var = 0.0;

      for (guint i = 0; i < n; i++)
        mean += self->attributes[(gsize) lk_query_get_item (query, i) * self->n_attributes + a];
      mean /= n;
      for (guint i = 0; i < n; i++)
        {
          double dv = self->attributes[(gsize) lk_query_get_item (query, i) * self->n_attributes + a] - mean;
          var += dv * dv;
        }
      /* Equal counts give bit-equal sums, so ties compare exactly. */
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

  g_return_val_if_fail (dataset != NULL && params != NULL && method != NULL && options != NULL,
                        FALSE);
  g_return_val_if_fail (options->holdout >= 0.0 && options->holdout < 1.0, FALSE);

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

  crowd = lk_crowd_new (dataset, params->nc, &options->noise,
                        lk_rng_derive (params->seed, STREAM_CROWD));
  lk_crowd_set_participants (crowd, options->participants, options->rho);
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
      for (guint q = 0; q < batch->len; q++)
        {
          LkQuery *query = g_ptr_array_index (batch, q);
          gint attribute;

          lk_crowd_answer (crowd, query);
          attribute = lk_crowd_get_last_attribute (crowd);
          lk_refiner_add_answer (refiner, query);
          g_array_append_val (truth_attribute, attribute);
        }
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
      if (lk_cen_is_method (method) && n_attributes > 0)
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
      report.embedding = e;
      func (&report, user_data);
    }

  return TRUE;
}
