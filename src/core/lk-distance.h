/* lk-distance.h — the paper's distance update and weights (Algorithm 1, lines 6-7)
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "lk-embedding.h"
#include "lk-evidence.h"
#include "lk-sammon.h"

G_BEGIN_DECLS

gsize lk_distance_update (LkSammon          *sammon,
                          const LkEmbedding *current,
                          LkEvidence        *updated,
                          const LkEvidence  *batch,
                          double             beta,
                          double             epsilon,
                          double             magic);
gsize lk_distance_update_keeping (LkSammon          *sammon,
                                  const LkEmbedding *current,
                                  LkEvidence        *updated,
                                  const LkEvidence  *batch,
                                  double             beta,
                                  double             epsilon,
                                  double             magic);

G_END_DECLS
