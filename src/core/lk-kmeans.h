/* lk-kmeans.h — k-means clustering, seeded
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <gsl/gsl_rng.h>

G_BEGIN_DECLS

double lk_kmeans (const double *points,
                  guint         n_points,
                  guint         dim,
                  guint         k,
                  guint         restarts,
                  gsl_rng      *rng,
                  guint        *labels);

G_END_DECLS
