/* lk-knn.h — k-nearest-neighbour tables
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

guint *lk_knn_compute (const double *points,
                       guint         n_items,
                       guint         dim,
                       guint         k,
                       double       *distances) G_GNUC_WARN_UNUSED_RESULT;

void   lk_knn_push    (guint        *ids,
                       double       *best,
                       guint         k,
                       guint        *filled,
                       guint         id,
                       double        d2);

G_END_DECLS
