/* lk-snapshot-private.h — what the tests reach of a snapshot
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "lk-snapshot.h"

G_BEGIN_DECLS

const LkEmbedding *lk_snapshot_get_embedding      (const LkSnapshot    *self);
const LkEvidence  *lk_snapshot_get_evidence       (const LkSnapshot    *self);
const double      *lk_snapshot_get_features       (const LkSnapshot    *self,
                                                   guint               *dim);

G_END_DECLS
