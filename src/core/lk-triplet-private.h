/* lk-triplet-private.h — the comparisons an answer implies, and the loss of the "triplet"
 * method over them. Only lk-method-triplet.c and its tests use these: the method samples the
 * loss, and the tests check the whole loss and its gradient, so none of it is public API.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <gsl/gsl_rng.h>

#include "lk-query.h"
#include "lk-trial.h"

G_BEGIN_DECLS

/**
 * LkComparison:
 * @item: a binned item x
 * @bin: x's bin
 * @rival_bin: another non-empty bin of the answer, or %LK_BIN_LEFT_OUT
 * @rival_item: the left-out item when @rival_bin is %LK_BIN_LEFT_OUT, otherwise 0
 *
 * One comparison an answer implies: x is closer to the items of its own bin than to those of
 * @rival_bin, or than to the left-out @rival_item (lk-method-triplet.c).
 */
typedef struct {
  guint item;
  gint  bin;
  gint  rival_bin;
  guint rival_item;
} LkComparison;

GArray *lk_triplet_comparisons (const LkQuery   *query) G_GNUC_WARN_UNUSED_RESULT;

double  lk_triplet_loss        (const double    *points,
                                guint            n_items,
                                guint            dim,
                                const GPtrArray *answers,
                                double           alpha,
                                double           guess,
                                double          *gradient);

double  lk_triplet_loss_full   (const double    *points,
                                guint            n_items,
                                guint            dim,
                                const GPtrArray *answers,
                                const GArray    *comparisons,
                                double           alpha,
                                double           guess,
                                double          *gradient);

/**
 * LkTripletSampler:
 * @order: the current epoch's permutation of the answer indices
 * @n: the number of answers
 * @next: the position of the next draw in @order
 *
 * Draws the answers of the triplet method's iterations in epochs (lk_triplet_sampler_init()).
 */
typedef struct {
  guint *order;
  guint  n;
  guint  next;
} LkTripletSampler;

void    lk_triplet_sampler_init  (LkTripletSampler *sampler,
                                  guint             n);
guint   lk_triplet_sampler_next  (LkTripletSampler *sampler,
                                  gsl_rng          *rng);
void    lk_triplet_sampler_clear (LkTripletSampler *sampler);

void    lk_triplet_locality_order (const double *points,
                                   guint         n,
                                   guint         dim,
                                   guint        *order,
                                   guint        *rank);

G_END_DECLS
