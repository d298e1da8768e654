/* lk-snapshot.c — the immutable result of a refinement phase, shared between threads
 *
 * Made on the worker thread from the worker's own copy of the refiner, handed to the main loop,
 * and read by every view without locks: nothing in it changes after lk_snapshot_new() returns
 * (so a view holds a reference to something that never changes, whichever thread made it or
 * drops it last: the reference counts are atomic). The 2-D projection is the PCA of the embedding, aligned to the
 * previous phase's projection by orthogonal Procrustes, so that views can move points smoothly
 * from one phase to the next instead of jumping to an arbitrary rotation.
 *
 * Everything the views derive from a phase is made here, on the worker thread, so that the
 * main loop only swaps a pointer: the projection, the k-NN table, the metrics, and with labels
 * the cluster table of the heatmap (k-means, ten restarts: 50 ms for 2000 items, which on the
 * main loop was the worst stall of a labelled demo run, bench-ui-stall). k-means runs once per
 * snapshot: the convergence view's cluster error is that table's error.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <math.h>

#include "lk-knn.h"
#include "lk-metrics.h"
#include "lk-projection.h"
#include "lk-rng.h"
#include "lk-snapshot.h"
#include "lk-snapshot-private.h"

/* The ground truth of a demo collection: what recall and cluster error are measured against. */
struct _LkTruth
{
  guint    n_items;
  guint    dim;
  double  *features;
  guint   *knn10;      /* n x 10 true nearest neighbours */
  gint    *labels;     /* nullable */
  guint    n_labels;
};

struct _LkSnapshot
{
  guint        phase;
  guint        n_phases;
  guint        n_items;
  guint        n_answers;
  guint        budget;
  guint        knn_k;
  LkEmbedding *embedding;
  double      *projection;   /* n x 2 */
  guint       *knn;          /* n x knn_k */
  double      *knn_dist;     /* n x knn_k */
  LkEvidence  *evidence;
  double       stress;
  double       pairs_observed;
  double       recall10;
  double       cluster_error;
  LkTruth     *truth;        /* nullable */
  LkClusterTable *clusters;  /* nullable: without labels */
  guint64      seed;         /* the study's, for k-means */
};

G_DEFINE_BOXED_TYPE (LkSnapshot, lk_snapshot, lk_snapshot_ref, lk_snapshot_unref)

static void
truth_clear (gpointer data)
{
  LkTruth *truth = data;

  g_free (truth->features);
  g_free (truth->knn10);
  g_free (truth->labels);
}

/**
 * lk_truth_new:
 * @dataset: items with ground-truth features (and perhaps labels)
 *
 * Computes the true 10 nearest neighbours once, for every later snapshot's recall.
 *
 * Returns: (transfer full): the ground truth, shared by reference
 */
LkTruth *
lk_truth_new (const LkDataset *dataset)
{
  LkTruth *truth;
  guint n, dim;

  g_return_val_if_fail (dataset != NULL, NULL);

  n = lk_dataset_get_n_items (dataset);
  dim = lk_dataset_get_dim (dataset);
  truth = g_atomic_rc_box_new0 (LkTruth);
  truth->n_items = n;
  truth->dim = dim;
  truth->features = g_memdup2 (lk_dataset_get_features (dataset), sizeof (double) * n * dim);
  truth->knn10 = lk_knn_compute (truth->features, n, dim, MIN (10, n - 1), NULL);
  if (lk_dataset_get_labels (dataset) != NULL)
    {
      truth->labels = g_memdup2 (lk_dataset_get_labels (dataset), sizeof (gint) * n);
      truth->n_labels = lk_dataset_get_n_labels (dataset);
    }

  return truth;
}

LkTruth *
lk_truth_ref (LkTruth *truth)
{
  return g_atomic_rc_box_acquire (truth);
}

void
lk_truth_unref (LkTruth *truth)
{
  g_atomic_rc_box_release_full (truth, truth_clear);
}

static void
snapshot_clear (gpointer data)
{
  LkSnapshot *self = data;

  g_clear_pointer (&self->embedding, lk_embedding_free);
  g_clear_pointer (&self->projection, g_free);
  g_clear_pointer (&self->knn, g_free);
  g_clear_pointer (&self->knn_dist, g_free);
  g_clear_pointer (&self->evidence, lk_evidence_free);
  g_clear_pointer (&self->truth, lk_truth_unref);
  g_clear_pointer (&self->clusters, lk_cluster_table_free);
}

/**
 * lk_snapshot_new:
 * @refiner: the refiner just after a phase (read only)
 * @stats: (nullable): what the phase's update did (%NULL before the first phase)
 * @previous: (nullable): the previous snapshot, whose projection this one is aligned to
 * @truth: (nullable): ground truth for recall and cluster error
 *
 * Takes copies of everything it keeps. Safe on any thread, as long as @refiner is not being
 * changed meanwhile.
 *
 * Returns: (transfer full): the snapshot
 */
LkSnapshot *
lk_snapshot_new (const LkRefiner     *refiner,
                 const LkUpdateStats *stats,
                 LkSnapshot          *previous,
                 LkTruth             *truth)
{
  LkSnapshot *self;
  const LkParams *params;
  guint n, dim;
  double n_all;

  g_return_val_if_fail (refiner != NULL, NULL);

  params = lk_refiner_get_params (refiner);
  n = lk_refiner_get_n_items (refiner);
  self = g_atomic_rc_box_new0 (LkSnapshot);
  self->phase = lk_refiner_get_phase (refiner);
  self->n_phases = lk_refiner_get_n_phases (refiner);
  self->n_items = n;
  self->n_answers = lk_refiner_get_answers (refiner)->len;
  self->budget = params->budget;
  self->seed = params->seed;
  self->embedding = lk_embedding_copy (lk_refiner_get_embedding (refiner));
  self->evidence = lk_evidence_copy (lk_refiner_get_evidence (refiner));
  dim = lk_embedding_get_dim (self->embedding);

  self->projection = lk_projection_pca (lk_embedding_get_data (self->embedding), n, dim,
                                        MIN (2, dim), NULL);
  if (dim < 2)
    {
      double *flat = g_new0 (double, 2 * (gsize) n);

      for (guint i = 0; i < n; i++)
        flat[2 * i] = self->projection[i];
      g_free (self->projection);
      self->projection = flat;
    }
  if (previous != NULL && previous->n_items == n)
    lk_projection_procrustes (previous->projection, self->projection, n, 2, NULL);

  self->knn_k = MIN (MAX (params->knn_k, 10), n - 1);
  self->knn_dist = g_new (double, (gsize) n * self->knn_k);
  self->knn = lk_knn_compute (lk_embedding_get_data (self->embedding), n, dim, self->knn_k,
                              self->knn_dist);

  self->stress = stats != NULL ? stats->stress : NAN;
  n_all = (double) n * (n - 1) / 2.0;
  self->pairs_observed = n_all > 0 ? lk_evidence_get_n_pairs (self->evidence) / n_all : 0.0;
  self->recall10 = NAN;
  self->cluster_error = NAN;
  if (truth != NULL && truth->n_items == n)
    {
      self->truth = lk_truth_ref (truth);
      self->recall10 = lk_metrics_knn_recall (truth->knn10, MIN (10, n - 1), self->knn,
                                              self->knn_k, n, MIN (10, n - 1), NULL);
      if (truth->labels != NULL && truth->n_labels >= 1 && truth->n_labels <= n)
        {
          /* The convergence view's cluster error is the heatmap table's, from one k-means. */
          self->clusters = lk_snapshot_cluster_labels (self, truth->labels, truth->n_labels);
          self->cluster_error = self->clusters->error;
        }
    }

  return self;
}

LkSnapshot *
lk_snapshot_ref (LkSnapshot *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return g_atomic_rc_box_acquire (self);
}

void
lk_snapshot_unref (LkSnapshot *self)
{
  g_return_if_fail (self != NULL);

  g_atomic_rc_box_release_full (self, snapshot_clear);
}

/**
 * lk_snapshot_get_phase:
 *
 * Returns: the number of completed phases (0: the random start)
 */
guint
lk_snapshot_get_phase (const LkSnapshot *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->phase;
}

guint
lk_snapshot_get_n_phases (const LkSnapshot *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->n_phases;
}

guint
lk_snapshot_get_n_items (const LkSnapshot *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->n_items;
}

/**
 * lk_snapshot_get_budget:
 *
 * Returns: the study's budget of answers (the convergence view's x axis)
 */
guint
lk_snapshot_get_budget (const LkSnapshot *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->budget;
}

/**
 * lk_snapshot_get_n_answers:
 *
 * Returns: the answers folded into this snapshot's embedding
 */
guint
lk_snapshot_get_n_answers (const LkSnapshot *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->n_answers;
}

const LkEmbedding *
lk_snapshot_get_embedding (const LkSnapshot *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->embedding;
}

/**
 * lk_snapshot_get_projection:
 *
 * Returns: (array): n x 2 row-major view coordinates (PCA, aligned to the previous phase)
 */
const double *
lk_snapshot_get_projection (const LkSnapshot *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->projection;
}

/**
 * lk_snapshot_get_knn:
 * @k: (out): the row length
 *
 * Returns: (array): n x @k nearest neighbours in the embedding, nearest first
 */
const guint *
lk_snapshot_get_knn (const LkSnapshot *self,
                     guint            *k)
{
  g_return_val_if_fail (self != NULL, NULL);

  if (k != NULL)
    *k = self->knn_k;

  return self->knn;
}

const double *
lk_snapshot_get_knn_distances (const LkSnapshot *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->knn_dist;
}

/**
 * lk_snapshot_get_evidence:
 *
 * Returns: the pair evidence so far; `shared` is the co-occurrence count
 */
const LkEvidence *
lk_snapshot_get_evidence (const LkSnapshot *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->evidence;
}

/**
 * lk_snapshot_get_stress:
 *
 * Returns: the method's loss at the end of the phase, NAN before the first
 */
double
lk_snapshot_get_stress (const LkSnapshot *self)
{
  g_return_val_if_fail (self != NULL, NAN);

  return self->stress;
}

/**
 * lk_snapshot_get_pairs_observed:
 *
 * Returns: the share of all pairs that have shared a grid at least once
 */
double
lk_snapshot_get_pairs_observed (const LkSnapshot *self)
{
  g_return_val_if_fail (self != NULL, 0.0);

  return self->pairs_observed;
}

/**
 * lk_snapshot_get_recall10:
 *
 * Returns: mean 10-NN recall against the ground truth, or NAN without one
 */
double
lk_snapshot_get_recall10 (const LkSnapshot *self)
{
  g_return_val_if_fail (self != NULL, NAN);

  return self->recall10;
}

/**
 * lk_snapshot_get_cluster_error:
 *
 * Returns: cluster error against the ground-truth labels, or NAN without labels
 */
double
lk_snapshot_get_cluster_error (const LkSnapshot *self)
{
  g_return_val_if_fail (self != NULL, NAN);

  return self->cluster_error;
}

/**
 * lk_snapshot_get_labels:
 *
 * Returns: (nullable) (array): ground-truth labels, or %NULL
 */
const gint *
lk_snapshot_get_labels (const LkSnapshot *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->truth != NULL ? self->truth->labels : NULL;
}

/**
 * lk_snapshot_get_features:
 * @dim: (out): their dimension
 *
 * Returns: (nullable) (array): ground-truth features, or %NULL
 */
const double *
lk_snapshot_get_features (const LkSnapshot *self,
                          guint            *dim)
{
  g_return_val_if_fail (self != NULL, NULL);

  if (dim != NULL)
    *dim = self->truth != NULL ? self->truth->dim : 0;

  return self->truth != NULL ? self->truth->features : NULL;
}

/**
 * lk_snapshot_get_shared:
 *
 * Returns: how many grids @a and @b shared (0 for a == b)
 */
guint
lk_snapshot_get_shared (const LkSnapshot *self,
                        guint             a,
                        guint             b)
{
  LkPairCounts counts;

  g_return_val_if_fail (self != NULL, 0);

  if (a == b || !lk_evidence_lookup (self->evidence, a, b, &counts))
    return 0;

  return counts.shared;
}

/**
 * lk_snapshot_get_cluster_table:
 *
 * Returns: (nullable): the heatmap's labels x matched clusters table
 *   (lk_metrics_cluster_table() of the embedding), made on the worker thread; %NULL without
 *   labels
 */
const LkClusterTable *
lk_snapshot_get_cluster_table (const LkSnapshot *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->clusters;
}

/**
 * lk_snapshot_cluster_labels:
 * @labels: (array): a label per item, in [0, @n_labels)
 *
 * k-means of the snapshot's embedding into @n_labels clusters, matched to @labels: the
 * heatmap's table for labels the snapshot was not made with (a study's folders). Slow for
 * large collections (ten restarts): call it on a worker thread.
 *
 * Returns: (transfer full): the table
 */
LkClusterTable *
lk_snapshot_cluster_labels (const LkSnapshot *self,
                            const gint       *labels,
                            guint             n_labels)
{
  LkClusterTable *table;
  gsl_rng *rng;

  g_return_val_if_fail (self != NULL && labels != NULL, NULL);
  g_return_val_if_fail (n_labels >= 1 && n_labels <= self->n_items, NULL);

  /* A generator of its own: the refiner's stream must not depend on the metrics. */
  rng = lk_rng_new (lk_rng_derive (self->seed, 77 + self->phase));
  table = lk_metrics_cluster_table (lk_embedding_get_data (self->embedding), self->n_items,
                                    lk_embedding_get_dim (self->embedding), labels, n_labels,
                                    rng);
  gsl_rng_free (rng);

  return table;
}
