/* lk-crowdclust.h — Crowdclustering (Gomes et al. 2011): item positions from pair labels
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <gsl/gsl_rng.h>

#include "lk-query.h"

G_BEGIN_DECLS

/* The dimension and iteration count the reference port hard-codes. */
#define LK_CROWDCLUST_DIM        4
#define LK_CROWDCLUST_ITERATIONS 10

/**
 * LkCcLabel:
 * @a: one item of the pair
 * @b: the other item
 * @worker: the participant who gave the label (0-based)
 * @label: +1 if the participant put @a and @b together, -1 if apart
 *
 * One pair label: what one participant said about one pair in one grid.
 */
typedef struct {
  guint a;
  guint b;
  guint worker;
  gint  label;
} LkCcLabel;

/**
 * LkCcPrior:
 * @sig_x: prior variance of every coordinate of an item position (5)
 * @sig_w: prior variance of every entry of a worker matrix (10)
 * @sig_tau: prior variance of a worker's bias (1)
 *
 * The priors; all three are variances, as in the reference port.
 */
typedef struct {
  double sig_x;
  double sig_w;
  double sig_tau;
} LkCcPrior;

void     lk_cc_prior_init (LkCcPrior *prior);

guint    lk_crowdclust_design_hits (guint n_items,
                                    guint m);

GArray  *lk_cc_labels_add_query (GArray        *labels,
                                 const LkQuery *query,
                                 guint          worker);

typedef struct _LkCrowdclust LkCrowdclust;

LkCrowdclust *lk_crowdclust_new   (const LkCcLabel *labels,
                                   gsize            n_labels,
                                   guint            n_items,
                                   guint            n_workers,
                                   guint            dim,
                                   const LkCcPrior *prior,
                                   const double    *init_mu,
                                   gsl_rng         *rng,
                                   GError         **error) G_GNUC_WARN_UNUSED_RESULT;
void          lk_crowdclust_free  (LkCrowdclust    *self);
double        lk_crowdclust_iterate (LkCrowdclust  *self);

guint         lk_crowdclust_get_n_items   (const LkCrowdclust *self);
guint         lk_crowdclust_get_n_workers (const LkCrowdclust *self);
guint         lk_crowdclust_get_dim       (const LkCrowdclust *self);
const double *lk_crowdclust_get_mu        (const LkCrowdclust *self);
const double *lk_crowdclust_get_sig_x     (const LkCrowdclust *self);
const double *lk_crowdclust_get_worker_mean     (const LkCrowdclust *self,
                                                 guint               worker);
const double *lk_crowdclust_get_worker_variance (const LkCrowdclust *self,
                                                 guint               worker);
double        lk_crowdclust_get_bias_mean     (const LkCrowdclust *self,
                                               guint               worker);
double        lk_crowdclust_get_bias_variance (const LkCrowdclust *self,
                                               guint               worker);
double        lk_crowdclust_get_delta         (const LkCrowdclust *self,
                                               gsize               label);
double        lk_crowdclust_free_energy       (const LkCrowdclust *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LkCrowdclust, lk_crowdclust_free)

G_END_DECLS
