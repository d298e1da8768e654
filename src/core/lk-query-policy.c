/* lk-query-policy.c
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "lk-query-policy.h"

/**
 * lk_query_policy_select:
 * @type: a policy
 * @embedding: the current embedding
 * @params: parameters (nq, k)
 * @n_queries: how many queries to draw
 * @rng: the random source
 *
 * Returns: (transfer full) (element-type LkQuery): @n_queries unanswered queries
 */
GPtrArray *
lk_query_policy_select (const LkQueryPolicyType *type,
                        const LkEmbedding       *embedding,
                        const LkParams          *params,
                        guint                    n_queries,
                        gsl_rng                 *rng)
{
  g_return_val_if_fail (type != NULL && type->select != NULL, NULL);
  g_return_val_if_fail (embedding != NULL && params != NULL && rng != NULL, NULL);
  g_return_val_if_fail (params->nq <= lk_embedding_get_n_items (embedding), NULL);

  return type->select (embedding, params, n_queries, rng);
}
