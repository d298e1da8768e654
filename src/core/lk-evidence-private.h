/* lk-evidence-private.h — what only the tests read of an evidence table: how much linear
 * probing its insertions and updates cost.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "lk-evidence.h"

G_BEGIN_DECLS

guint64   lk_evidence_get_n_probes  (const LkEvidence *self);

G_END_DECLS
