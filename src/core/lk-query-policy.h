/* lk-query-policy.h — how the next grids are chosen
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <gsl/gsl_rng.h>

#include "lk-embedding.h"
#include "lk-params.h"
#include "lk-query.h"

G_BEGIN_DECLS

/**
 * LkQueryPolicyType:
 * @name: short name, as on the command line
 * @description: one line for humans
 * @select: returns a #GPtrArray of @n_queries new #LkQuery, drawn from @embedding
 * @select_with_state: (nullable): if set, used instead of @select when the method's state is
 *   at hand (lk_query_policy_select_with_state()): a policy that reads the model, as `synth`
 *   reads cen's context encoder
 *
 * A query policy, as a constant table (the way GSL's minimiser types are). Policies are
 * stateless: everything they need comes in as arguments, so they run on any thread.
 */
typedef struct {
  const char *name;
  const char *description;
  GPtrArray *(*select) (const LkEmbedding *embedding,
                        const LkParams    *params,
                        guint              n_queries,
                        gsl_rng           *rng);
  GPtrArray *(*select_with_state) (gconstpointer      state,
                                   const LkEmbedding *embedding,
                                   const LkParams    *params,
                                   guint              n_queries,
                                   gsl_rng           *rng);
} LkQueryPolicyType;

extern const LkQueryPolicyType *lk_query_policy_random;
extern const LkQueryPolicyType *lk_query_policy_local;

GPtrArray *lk_query_policy_select (const LkQueryPolicyType *type,
                                   const LkEmbedding       *embedding,
                                   const LkParams          *params,
                                   guint                    n_queries,
                                   gsl_rng                 *rng) G_GNUC_WARN_UNUSED_RESULT;

GPtrArray *lk_query_policy_select_with_state (const LkQueryPolicyType *type,
                                              gconstpointer            state,
                                              const LkEmbedding       *embedding,
                                              const LkParams          *params,
                                              guint                    n_queries,
                                              gsl_rng                 *rng) G_GNUC_WARN_UNUSED_RESULT;

guint     *lk_query_policy_local_seeds (const guint *knn,
                                        guint        n_items,
                                        guint        k,
                                        guint        n_seeds,
                                        gsl_rng     *rng) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
