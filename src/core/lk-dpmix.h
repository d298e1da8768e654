/* lk-dpmix.h — the Dirichlet-process Gaussian mixture that turns Crowdclustering's positions
 * into clusters
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Largest point dimension the fixed-size scratch arrays allow. */
#define LK_DPMIX_MAX_DIM 8

typedef struct _LkDpmix LkDpmix;

LkDpmix      *lk_dpmix_fit              (const double *x,
                                         guint         n,
                                         guint         dim,
                                         GError      **error) G_GNUC_WARN_UNUSED_RESULT;
void          lk_dpmix_free             (LkDpmix      *self);

guint         lk_dpmix_get_n_columns    (const LkDpmix *self);
const double *lk_dpmix_get_q            (const LkDpmix *self);
const guint  *lk_dpmix_get_clusters     (const LkDpmix *self);
guint         lk_dpmix_get_n_clusters   (const LkDpmix *self);
double        lk_dpmix_get_free_energy  (const LkDpmix *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LkDpmix, lk_dpmix_free)

G_END_DECLS
