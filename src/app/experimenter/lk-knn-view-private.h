/* lk-knn-view-private.h — what the tests reach of the k-NN strip
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "lk-knn-view.h"

G_BEGIN_DECLS

gboolean   lk_knn_view_cell_centre  (LkKnnView  *self,
                                     guint       rank,
                                     int         width,
                                     int         height,
                                     double     *x,
                                     double     *y);

gboolean   lk_knn_view_activate     (LkKnnView  *self,
                                     guint       rank);
guint      lk_knn_view_move_cursor  (LkKnnView  *self,
                                     int         delta);
char      *lk_knn_view_dup_title    (LkKnnView  *self,
                                     int         width,
                                     int         height) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
