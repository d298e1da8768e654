/* lk-projection.h — 2-D views of an embedding: principal components and Procrustes alignment
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

double *lk_projection_pca        (const double *points,
                                  guint         n_items,
                                  guint         dim,
                                  guint         out_dim,
                                  double       *variances) G_GNUC_WARN_UNUSED_RESULT;
void    lk_projection_procrustes (const double *reference,
                                  double       *points,
                                  guint         n_items,
                                  guint         dim,
                                  double       *rotation);

G_END_DECLS
