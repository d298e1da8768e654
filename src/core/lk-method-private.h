/* lk-method-private.h — the method tables, for the registry in lk-method.c
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "lk-method.h"
#include "lk-sammon.h"

G_BEGIN_DECLS

extern const LkQueryPolicyType _lk_query_policy_random_type;
extern const LkQueryPolicyType _lk_query_policy_local_type;
extern const LkQueryPolicyType _lk_query_policy_gomes_type;
extern const LkQueryPolicyType _lk_query_policy_synth_type;

extern const LkMethodType _lk_method_paper_type;
extern const LkMethodType _lk_method_random_type;
extern const LkMethodType _lk_method_paper_exact_type;
extern const LkMethodType _lk_method_triplet_type;
extern const LkMethodType _lk_method_crowdcluster_type;

/* The minimiser of a "paper" or "random" state as its last update left it, so that a test can
 * read the targets and weights the update set (they are not visible in the embedding). */
const LkSammon *_lk_method_paper_get_sammon (gconstpointer state);

/* The clusters of a "crowdcluster" state's last update (column numbers of its DP mixture), or
 * NULL before it or when the positions had no spread. */
const guint *_lk_method_crowdcluster_get_clusters (gconstpointer state,
                                                   guint        *n_clusters);
/* The number of workers (distinct participants of the answers) in its last update. */
guint _lk_method_crowdcluster_get_n_workers (gconstpointer state);
/* Worker @index of its last update (below the number of workers): the participant whose
 * answers it stands for (lk_query_get_participant()) and the posterior mean of its bias. */
gboolean _lk_method_crowdcluster_get_worker (gconstpointer  state,
                                             guint          index,
                                             guint         *participant,
                                             double        *bias);

G_END_DECLS
