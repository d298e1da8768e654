/* lk-cen.h — Context Embedding Networks: who sorted by what, and why
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <gsl/gsl_rng.h>

#include "lk-method.h"
#include "lk-query.h"

G_BEGIN_DECLS

/* Paper 001, Supplement A (Table S1's caption: gamma 6 for every result); cen uses gamma 1,
 * measured and argued in lk-cen.c's header. */
#define LK_CEN_GAMMA_PAPER 6.0
#define LK_CEN_GAMMA    1.0
#define LK_CEN_XI_P     1.0
#define LK_CEN_XI_N     6.0
#define LK_CEN_LAMBDA1  5e-6
#define LK_CEN_LAMBDA2  1e-3
/* "Same group" below the margins' midpoint (paper 001 section 4.5). */
#define LK_CEN_THRESHOLD ((LK_CEN_XI_P + LK_CEN_XI_N) / 2.0)

extern const LkMethodType _lk_method_cen_type;
extern const LkMethodType _lk_method_cen_variance_type;
extern const LkMethodType _lk_method_cen_synth_type;
extern const LkMethodType *lk_method_cen;

gboolean lk_cen_is_method     (const LkMethodType *method);
guint   lk_cen_get_dim        (gconstpointer  state);
gint    lk_cen_get_target_attribute (gconstpointer state);
void    lk_cen_set_target_attribute (gpointer      state,
                                     gint          attribute);
double  lk_query_policy_synth_entropy (gconstpointer  state,
                                       const guint   *items,
                                       guint          n,
                                       guint         *argmax);
void    lk_cen_context_activation (gconstpointer  state,
                                   const guint   *items,
                                   guint          n,
                                   double        *activation);

double  lk_cen_pair_distance  (gconstpointer  state,
                               const LkQuery *query,
                               guint          position_a,
                               guint          position_b);
guint   lk_cen_grid_attribute (gconstpointer  state,
                               const LkQuery *query);
guint   lk_cen_get_n_participants (gconstpointer state);
void    lk_cen_get_participant_weights (gconstpointer  state,
                                        guint          index,
                                        guint         *participant,
                                        double        *weights);

/* For the tests: the parameters as one vector (item vectors, then the context's: the variance
 * context's raw scale and sharpness, or the MLP's E, c1, W2, c2, W3, c3; then each
 * participant's raw weights), each compiled answer's raw latent (K per answer), and the loss
 * of every answer compiled so far. */
void    _lk_cen_prepare       (gpointer         state,
                               const GPtrArray *answers,
                               gsl_rng         *rng);
double *_lk_cen_parameters    (gpointer         state,
                               gsize           *n_parameters);
void    _lk_cen_spectral_start (gpointer        state,
                                gsl_rng        *rng);
void    _lk_cen_refresh_means (gpointer         state);
double *_lk_cen_latent        (gpointer         state,
                               gsize           *n_parameters);
double  _lk_cen_loss          (gpointer         state,
                               double          *gradient,
                               double          *latent_gradient);

G_END_DECLS
