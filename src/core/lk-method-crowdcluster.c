/* lk-method-crowdcluster.c — Crowdclustering (Gomes et al. 2011) as an embedding method, the
 * baseline of paper 000's comparison
 *
 * One phase: Gomes' sampling scheme asks the whole budget (lk-query-policy-gomes.c), then the
 * variational model of lk-crowdclust.c runs its 10 iterations on every answer's pair labels and
 * the DP mixture of lk-dpmix.c clusters the positions. The embedding is the posterior means, as
 * paper 000 uses them for its k-NN comparison.
 *
 * Choices beyond the port:
 * - the workers are the queries' participants, numbered in order of first appearance; answers
 *   with no participant (LK_PARTICIPANT_UNKNOWN) are one worker between them;
 * - the model's dimension is the study's (the port fixes D = 4: run with --dim 4 to match it);
 * - the initial positions are drawn from the run's generator, so a seed gives one result.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "lk-method-private.h"

#include "lk-crowdclust.h"
#include "lk-dpmix.h"

typedef struct {
  guint  n_items;
  guint *clusters;     /* the DP mixture's cluster per item, or NULL before the first update */
  guint  n_clusters;
  guint  n_workers;    /* in the last update */
  guint  *participants; /* n_workers: each worker's participant (lk_query_get_participant()) */
  double *bias;         /* n_workers: each worker's bias, the posterior mean of tau */
} CrowdclusterState;

static gpointer
crowdcluster_state_new (guint           n_items,
                        const LkParams *params)
{
  CrowdclusterState *state = g_new0 (CrowdclusterState, 1);

  state->n_items = n_items;

  return state;
}

static void
crowdcluster_state_free (gpointer data)
{
  CrowdclusterState *state = data;

  g_free (state->clusters);
  g_free (state->participants);
  g_free (state->bias);
  g_free (state);
}

static gpointer
crowdcluster_state_copy (gconstpointer data)
{
  const CrowdclusterState *state = data;
  CrowdclusterState *copy = g_new0 (CrowdclusterState, 1);

  copy->n_items = state->n_items;
  copy->n_clusters = state->n_clusters;
  copy->n_workers = state->n_workers;
  if (state->clusters != NULL)
    copy->clusters = g_memdup2 (state->clusters, sizeof (guint) * state->n_items);
  if (state->participants != NULL)
    {
      copy->participants = g_memdup2 (state->participants, sizeof (guint) * state->n_workers);
      copy->bias = g_memdup2 (state->bias, sizeof (double) * state->n_workers);
    }

  return copy;
}

static void
crowdcluster_update (gpointer          data,
                     LkEmbedding      *embedding,
                     const GPtrArray  *answers,
                     guint             n_batch,
                     const LkEvidence *evidence,
                     const LkParams   *params,
                     gsl_rng          *rng,
                     LkUpdateStats    *stats)
{
  CrowdclusterState *state = data;
  guint dim = lk_embedding_get_dim (embedding);
  g_autoptr(GArray) labels = g_array_new (FALSE, FALSE, sizeof (LkCcLabel));
  g_autoptr(LkCrowdclust) model = NULL;
  g_autoptr(LkDpmix) mixture = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) workers = g_hash_table_new (NULL, NULL);
  guint it;

  for (guint q = 0; q < answers->len; q++)
    {
      const LkQuery *query = g_ptr_array_index (answers, q);
      gpointer key = GUINT_TO_POINTER (lk_query_get_participant (query));
      gpointer worker;

      if (!g_hash_table_lookup_extended (workers, key, NULL, &worker))
        {
          worker = GUINT_TO_POINTER (g_hash_table_size (workers));
          g_hash_table_insert (workers, key, worker);
        }
      lk_cc_labels_add_query (labels, query, GPOINTER_TO_UINT (worker));
    }
  state->n_workers = MAX (1, g_hash_table_size (workers));
  g_clear_pointer (&state->participants, g_free);
  g_clear_pointer (&state->bias, g_free);
  state->participants = g_new0 (guint, state->n_workers);
  state->bias = g_new0 (double, state->n_workers);
  {
    GHashTableIter iter;
    gpointer key, worker;

    g_hash_table_iter_init (&iter, workers);
    while (g_hash_table_iter_next (&iter, &key, &worker))
      state->participants[GPOINTER_TO_UINT (worker)] = GPOINTER_TO_UINT (key);
  }

  model = lk_crowdclust_new ((const LkCcLabel *) labels->data, labels->len, state->n_items,
                             state->n_workers,
                             MIN (dim, LK_DPMIX_MAX_DIM), NULL, NULL, rng, &error);
  if (model == NULL)
    {
      g_warning ("crowdcluster: %s", error->message);
      return;
    }
  for (it = 0; it < LK_CROWDCLUST_ITERATIONS; it++)
    lk_crowdclust_iterate (model);
  for (guint w = 0; w < lk_crowdclust_get_n_workers (model) && w < state->n_workers; w++)
    state->bias[w] = lk_crowdclust_get_bias_mean (model, w);

  {
    const double *mu = lk_crowdclust_get_mu (model);
    double *out = lk_embedding_get_data_mutable (embedding);
    guint md = lk_crowdclust_get_dim (model);

    for (guint i = 0; i < state->n_items; i++)
      for (guint d = 0; d < dim; d++)
        out[(gsize) i * dim + d] = d < md ? mu[(gsize) i * md + d] : 0;
  }
  lk_embedding_normalise (embedding);

  /* The clusters are the method's second output; a degenerate embedding (no answers) has none. */
  g_clear_pointer (&state->clusters, g_free);
  state->n_clusters = 0;
  mixture = lk_dpmix_fit (lk_crowdclust_get_mu (model), state->n_items, lk_crowdclust_get_dim (model),
                          NULL);
  if (mixture != NULL)
    {
      state->clusters = g_memdup2 (lk_dpmix_get_clusters (mixture), sizeof (guint) * state->n_items);
      state->n_clusters = lk_dpmix_get_n_clusters (mixture);
    }

  stats->stress = -lk_crowdclust_free_energy (model);
  stats->iterations = it;
  stats->pairs_updated = labels->len;
}

const guint *
_lk_method_crowdcluster_get_clusters (gconstpointer data,
                                      guint        *n_clusters)
{
  const CrowdclusterState *state = data;

  if (n_clusters != NULL)
    *n_clusters = state->n_clusters;

  return state->clusters;
}

guint
_lk_method_crowdcluster_get_n_workers (gconstpointer data)
{
  const CrowdclusterState *state = data;

  return state->n_workers;
}

/* Worker @index of the last update: its participant and bias; FALSE past the last worker. */
gboolean
_lk_method_crowdcluster_get_worker (gconstpointer  data,
                                    guint          index,
                                    guint         *participant,
                                    double        *bias)
{
  const CrowdclusterState *state = data;

  if (state->participants == NULL || index >= state->n_workers)
    return FALSE;
  if (participant != NULL)
    *participant = state->participants[index];
  if (bias != NULL)
    *bias = state->bias[index];

  return TRUE;
}

const LkMethodType _lk_method_crowdcluster_type = {
  .name = "crowdcluster",
  .description = "baseline: Crowdclustering (Gomes et al. 2011) on Gomes' random grids, one phase",
  .single_phase = TRUE,
  .first_policy = &_lk_query_policy_gomes_type,
  .policy = &_lk_query_policy_gomes_type,
  .state_new = crowdcluster_state_new,
  .state_free = crowdcluster_state_free,
  .update = crowdcluster_update,
  .state_copy = crowdcluster_state_copy,
};

