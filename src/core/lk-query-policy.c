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

/**
 * lk_query_policy_select_with_state:
 * @type: a policy
 * @state: (nullable): the method's state (lk_refiner_get_state())
 * @embedding: the current embedding
 * @params: parameters (nq, k)
 * @n_queries: how many queries to draw
 * @rng: the random source
 *
 * As lk_query_policy_select(), but a policy that reads the model gets @state.
 *
 * Returns: (transfer full) (element-type LkQuery): @n_queries unanswered queries
 */
GPtrArray *
lk_query_policy_select_with_state (const LkQueryPolicyType *type,
                                   gconstpointer            state,
                                   const LkEmbedding       *embedding,
                                   const LkParams          *params,
                                   guint                    n_queries,
                                   gsl_rng                 *rng)
{
  g_return_val_if_fail (type != NULL, NULL);

  if (type->select_with_state == NULL || state == NULL)
    return lk_query_policy_select (type, embedding, params, n_queries, rng);

  g_return_val_if_fail (embedding != NULL && params != NULL && rng != NULL, NULL);
  g_return_val_if_fail (params->nq <= lk_embedding_get_n_items (embedding), NULL);

  return type->select_with_state (state, embedding, params, n_queries, rng);
}
