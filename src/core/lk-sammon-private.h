/* lk-sammon-private.h — what only the tests read of a Sammon minimiser: the weights and step
 * factor it was set up with, and the stress and gradient at any point (to check the gradient
 * by finite differences), and a switch to the portable row kernel (to compare it with the CPU's).
 * The refinement itself never needs them.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "lk-sammon.h"

G_BEGIN_DECLS

double    lk_sammon_get_weight      (const LkSammon    *self,
                                     guint              a,
                                     guint              b);
double    lk_sammon_get_step_factor (const LkSammon    *self);
double    lk_sammon_get_normaliser  (const LkSammon    *self);
double    lk_sammon_evaluate        (LkSammon          *self,
                                     const LkEmbedding *at,
                                     double            *gradient);
void      lk_sammon_set_portable    (LkSammon          *self,
                                     gboolean           portable);

G_END_DECLS
