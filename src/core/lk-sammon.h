/* lk-sammon.h — weighted Sammon stress minimiser
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <gsl/gsl_rng.h>

#include "lk-embedding.h"

G_BEGIN_DECLS

typedef struct _LkSammon LkSammon;

LkSammon *lk_sammon_new             (guint              n_items,
                                     guint              dim) G_GNUC_WARN_UNUSED_RESULT;
LkSammon *lk_sammon_new_sampled     (guint              n_items,
                                     guint              dim,
                                     guint              n_samples) G_GNUC_WARN_UNUSED_RESULT;
void      lk_sammon_free            (LkSammon          *self);

void      lk_sammon_set             (LkSammon          *self,
                                     const LkEmbedding *start,
                                     double             epsilon,
                                     double             magic);
void      lk_sammon_set_keeping_pairs (LkSammon        *self,
                                     const LkEmbedding *start,
                                     double             epsilon,
                                     double             magic,
                                     double             weight);
gboolean  lk_sammon_is_sampled      (const LkSammon    *self);
void      lk_sammon_reserve         (LkSammon          *self,
                                     gsize              n_more);
guint    *lk_sammon_get_set_pairs   (const LkSammon    *self,
                                     gsize             *n_pairs);
void      lk_sammon_set_pair        (LkSammon          *self,
                                     guint              a,
                                     guint              b,
                                     double             target,
                                     double             weight);
void      lk_sammon_scale_pair      (LkSammon          *self,
                                     guint              a,
                                     guint              b,
                                     double             multiply,
                                     double             divide,
                                     double             weight);
double    lk_sammon_get_target      (const LkSammon    *self,
                                     guint              a,
                                     guint              b);
void      lk_sammon_sample          (LkSammon          *self,
                                     gsl_rng           *rng);
void      lk_sammon_start           (LkSammon          *self);
gboolean  lk_sammon_iterate         (LkSammon          *self);
guint     lk_sammon_minimise        (LkSammon          *self,
                                     guint              max_iterations,
                                     double             tolerance);
gboolean  lk_sammon_test_converged  (const LkSammon    *self,
                                     double             tolerance);
double    lk_sammon_get_stress      (const LkSammon    *self);
void      lk_sammon_get_embedding   (const LkSammon    *self,
                                     LkEmbedding       *out);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LkSammon, lk_sammon_free)

G_END_DECLS
