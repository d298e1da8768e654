/* lk-trial-context.h — what a study's run gives lk_trial_draw(), set up once for both runs
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <gsl/gsl_rng.h>

#include "lk-grid-source.h"
#include "lk-neighbours.h"
#include "lk-trial-draw.h"

G_BEGIN_DECLS

typedef struct {
  LkTrialDrawContext   draw;
  LkScoreDistanceFunc  metrics[1];
  gpointer             metric_data[1];
} LkTrialContext;

void    lk_trial_context_init       (LkTrialContext     *self,
                                     guint               n_items,
                                     const LkEmbedding  *learned);
void    lk_trial_context_use_colour (LkTrialContext     *self,
                                     LkSpace            *colour);
LkGrid *lk_trial_context_draw       (LkTrialContext     *self,
                                     LkTaskKind          kind,
                                     const guint        *clusters,
                                     guint               n_clusters,
                                     gsl_rng            *rng,
                                     GError            **error) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
