/* lk-method-private.h — the method tables, for the registry in lk-method.c
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "lk-method.h"

G_BEGIN_DECLS

extern const LkQueryPolicyType _lk_query_policy_random_type;
extern const LkQueryPolicyType _lk_query_policy_local_type;

extern const LkMethodType _lk_method_paper_type;
extern const LkMethodType _lk_method_random_type;
extern const LkMethodType _lk_method_triplet_type;

G_END_DECLS
