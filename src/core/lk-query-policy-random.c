/* lk-query-policy-random.c — the baseline: grids of uniformly random images
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "lk-query-policy.h"

#include <gsl/gsl_randist.h>

static GPtrArray *
random_select (const LkEmbedding *embedding,
               const LkParams    *params,
               guint              n_queries,
               gsl_rng           *rng)
{
  guint n = lk_embedding_get_n_items (embedding);
  g_autofree guint *all = g_new (guint, n);
  g_autofree guint *pick = g_new (guint, params->nq);
  GPtrArray *queries = g_ptr_array_new_with_free_func ((GDestroyNotify) lk_query_free);

  for (guint i = 0; i < n; i++)
    all[i] = i;

  for (guint q = 0; q < n_queries; q++)
    {
      /* gsl_ran_choose keeps input order; shuffle so the display order is random too. */
      gsl_ran_choose (rng, pick, params->nq, all, n, sizeof (guint));
      gsl_ran_shuffle (rng, pick, params->nq, sizeof (guint));
      g_ptr_array_add (queries, lk_query_new (pick, params->nq));
    }

  return queries;
}

const LkQueryPolicyType _lk_query_policy_random_type = {
  .name = "random",
  .description = "grids of uniformly random images",
  .select = random_select,
};

const LkQueryPolicyType *lk_query_policy_random = &_lk_query_policy_random_type;
