/* lk-query-policy-local.c — local k-NN queries (Algorithm 1, SelectQueries)
 *
 * `000_b28b33f9dbf275aa.txt`, section 3, "Generating queries": "we sample random images
 * uniformly while making sure they are not nearest neighbors of each other. When no such
 * samples remain we start over. For each image, we find its k nearest neighbors in the given
 * embedding. Then, out of these neighbors we sample a random subset of size nq".
 *
 * Our reading: a seed is rejected if it is among the k-NN of an earlier seed of the same round
 * or an earlier seed is among its k-NN (so no two seeds of a round are neighbours either way).
 * The grid is the seed plus nq - 1 of its k neighbours sampled uniformly, shown in random order.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "lk-query-policy.h"

#include <string.h>

#include <gsl/gsl_randist.h>

#include "lk-knn.h"

/**
 * lk_query_policy_local_seeds:
 * @knn: (array): @n_items x @k neighbour table
 * @n_items: number of items
 * @k: neighbours per item
 * @n_seeds: how many seeds to draw
 * @rng: the random source
 *
 * Draws seeds uniformly so that within one round no seed is a k-nearest neighbour of another;
 * when no admissible item remains a new round starts.
 *
 * Returns: (transfer full) (array length=n_seeds): the seeds in drawing order
 */
guint *
lk_query_policy_local_seeds (const guint *knn,
                             guint        n_items,
                             guint        k,
                             guint        n_seeds,
                             gsl_rng     *rng)
{
  g_autofree guint *order = g_new (guint, n_items);
  g_autofree guint8 *blocked = g_new0 (guint8, n_items);
  g_autofree guint8 *is_seed = g_new0 (guint8, n_items);
  guint *seeds = g_new (guint, n_seeds);
  guint got = 0;

  while (got < n_seeds)
    {
      guint round_start = got;

      /* One round: walk a fresh random permutation and take every admissible item. */
      memset (blocked, 0, n_items);
      memset (is_seed, 0, n_items);
      for (guint i = 0; i < n_items; i++)
        order[i] = i;
      gsl_ran_shuffle (rng, order, n_items, sizeof (guint));

      for (guint p = 0; p < n_items && got < n_seeds; p++)
        {
          guint c = order[p];
          const guint *nn = knn + (gsize) c * k;
          gboolean ok = !blocked[c];

          for (guint j = 0; ok && j < k; j++)
            ok = !is_seed[nn[j]];
          if (!ok)
            continue;

          seeds[got++] = c;
          is_seed[c] = TRUE;
          blocked[c] = TRUE;
          for (guint j = 0; j < k; j++)
            blocked[nn[j]] = TRUE;
        }

      g_assert (got > round_start);
    }

  return seeds;
}

static GPtrArray *
local_select (const LkEmbedding *embedding,
              const LkParams    *params,
              guint              n_queries,
              gsl_rng           *rng)
{
  guint n = lk_embedding_get_n_items (embedding);
  guint k = params->knn_k;
  g_autofree guint *knn = lk_knn_compute (lk_embedding_get_data (embedding), n,
                                          lk_embedding_get_dim (embedding), k, NULL);
  g_autofree guint *seeds = lk_query_policy_local_seeds (knn, n, k, n_queries, rng);
  g_autofree guint *pick = g_new (guint, params->nq);
  GPtrArray *queries = g_ptr_array_new_with_free_func ((GDestroyNotify) lk_query_free);

  for (guint q = 0; q < n_queries; q++)
    {
      pick[0] = seeds[q];
      gsl_ran_choose (rng, pick + 1, params->nq - 1, knn + (gsize) seeds[q] * k, k,
                      sizeof (guint));
      gsl_ran_shuffle (rng, pick, params->nq, sizeof (guint));
      g_ptr_array_add (queries, lk_query_new (pick, params->nq));
    }

  return queries;
}

const LkQueryPolicyType _lk_query_policy_local_type = {
  .name = "local",
  .description = "a seed and nq - 1 of its k nearest neighbours in the current embedding",
  .select = local_select,
};

const LkQueryPolicyType *lk_query_policy_local = &_lk_query_policy_local_type;
