/* lk-simulate.c — the simulated crowd of `000_b28b33f9dbf275aa.txt`, section 4.3
 *
 * "The simulated answer of the crowd for a given query have been computed by a k-means
 * algorithm, which has split the 20 images in the query into 4 clusters." We run k-means on the
 * query items' ground-truth features (k-means++ seeding, 3 restarts, seeded). Noise, for
 * robustness studies: each item independently is left out with probability left_out, else put
 * into a uniformly random bin with probability random_bin.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "lk-simulate.h"

#include <math.h>
#include <string.h>

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
};

struct _LkCrowd {
  const LkDataset *dataset;
  guint            nc;
  LkNoise          noise;
  gsl_rng         *rng;
  GArray          *points;
  GArray          *labels;
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

  return self;
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
  for (guint i = 0; i < n; i++)
    memcpy (&g_array_index (self->points, double, (gsize) i * dim),
            features + (gsize) lk_query_get_item (query, i) * dim, sizeof (double) * dim);

  lk_kmeans ((const double *) self->points->data, n, dim, k, 3, self->rng,
             (guint *) self->labels->data);

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
 * lk_simulate_run:
 * @dataset: ground truth
 * @params: parameters (the seed among them)
 * @method: the method
 * @noise: (nullable): crowd noise
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
lk_simulate_run (const LkDataset    *dataset,
                 const LkParams     *params,
                 const LkMethodType *method,
                 const LkNoise      *noise,
                 LkPhaseFunc         func,
                 gpointer            user_data,
                 GError            **error)
{
  guint n = lk_dataset_get_n_items (dataset);
  g_autoptr(LkRefiner) refiner = NULL;
  g_autoptr(LkCrowd) crowd = NULL;
  g_autoptr(gsl_rng) metrics_rng = NULL;
  g_autofree guint *truth = NULL;
  guint truth_k, queries = 0;

  g_return_val_if_fail (dataset != NULL && params != NULL && method != NULL, FALSE);

  refiner = lk_refiner_new (n, params, method, error);
  if (refiner == NULL)
    return FALSE;
  if (n < 11)
    {
      g_set_error (error, LK_CORE_ERROR, LK_CORE_ERROR_INVALID_ARGUMENT,
                   "a simulation needs at least 11 items to measure 10-NN recall, got %u", n);
      return FALSE;
    }

  crowd = lk_crowd_new (dataset, params->nc, noise, lk_rng_derive (params->seed, STREAM_CROWD));
  metrics_rng = lk_rng_new (lk_rng_derive (params->seed, STREAM_METRICS));
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
          lk_crowd_answer (crowd, g_ptr_array_index (batch, q));
          lk_refiner_add_answer (refiner, g_ptr_array_index (batch, q));
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
      report.embedding = e;
      func (&report, user_data);
    }

  return TRUE;
}
