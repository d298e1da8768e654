/* lk-method.h — how answers become an embedding
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <gsl/gsl_rng.h>

#include "lk-embedding.h"
#include "lk-evidence.h"
#include "lk-params.h"
#include "lk-query-policy.h"
#include "lk-trial.h"

G_BEGIN_DECLS

/**
 * LkUpdateStats:
 * @stress: the method's final loss (for "paper": the weighted Sammon stress)
 * @iterations: optimiser iterations run
 * @pairs_updated: pairs whose target moved in this phase
 */
typedef struct {
  double stress;
  guint  iterations;
  gsize  pairs_updated;
} LkUpdateStats;

/**
 * LkMethodType:
 * @name: short name, as on the command line (`--method`)
 * @description: one line for humans
 * @single_phase: ask the whole budget in one phase, whatever the parameters say
 * @first_policy: the policy of the first phase
 * @policy: the policy of the later phases
 * @state_new: allocates the method's state for @n_items items
 * @state_free: frees it
 * @update: folds one phase's answers into @embedding (in place). @answers holds every answered
 *   #LkQuery so far, the batch being the last @n_batch; @evidence is their accumulated pair
 *   evidence. Must be deterministic under @rng.
 * @state_copy: a deep copy of a state, such that @update gives the same result on the copy as
 *   on the original (workspaces need not be copied); used by lk_refiner_copy()
 * @add_trial: (nullable): takes note of an answered trial of a task other than sorting
 *   (lk_refiner_add_trial()), for the next @update to learn from beside @answers; %NULL for
 *   methods that cannot use trials, which then ignore them
 *
 * An embedding method with its query policies, as a constant table. The refinement loop
 * (lk-refine.c) calls only these members, so new methods plug in without touching it.
 */
typedef struct {
  const char              *name;
  const char              *description;
  gboolean                 single_phase;
  const LkQueryPolicyType *first_policy;
  const LkQueryPolicyType *policy;

  gpointer (*state_new)  (guint              n_items,
                          const LkParams    *params);
  void     (*state_free) (gpointer           state);
  void     (*update)     (gpointer           state,
                          LkEmbedding       *embedding,
                          const GPtrArray   *answers,
                          guint              n_batch,
                          const LkEvidence  *evidence,
                          const LkParams    *params,
                          gsl_rng           *rng,
                          LkUpdateStats     *stats);
  gpointer (*state_copy) (gconstpointer      state);
  void     (*add_trial)  (gpointer           state,
                          const LkTrial     *trial);
} LkMethodType;

extern const LkMethodType *lk_method_paper;
extern const LkMethodType *lk_method_random;
extern const LkMethodType *lk_method_triplet;

const LkMethodType  *lk_method_lookup (const char *name);
const LkMethodType **lk_method_list   (guint      *n_methods);

G_END_DECLS
