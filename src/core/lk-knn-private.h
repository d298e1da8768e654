/* lk-knn-private.h — the two paths of lk_knn_compute(), callable one by one so that the tests
 * can check that the k-d tree gives exactly the brute force's table at any size.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

guint *lk_knn_compute_brute (const double *points,
                             guint         n_items,
                             guint         dim,
                             guint         k,
                             double       *distances) G_GNUC_WARN_UNUSED_RESULT;
guint *lk_knn_compute_tree  (const double *points,
                             guint         n_items,
                             guint         dim,
                             guint         k,
                             double       *distances) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
