/* lk-knn-view.h — the selected image and its k nearest neighbours, with distances (Fig. 1, 8)
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "lk-cairo-view.h"
#include "lk-snapshot.h"
#include "lk-thumbs.h"

G_BEGIN_DECLS

#define LK_TYPE_KNN_VIEW (lk_knn_view_get_type ())

G_DECLARE_FINAL_TYPE (LkKnnView, lk_knn_view, LK, KNN_VIEW, LkCairoView)

GtkWidget *lk_knn_view_new          (void);
void       lk_knn_view_set_snapshot (LkKnnView  *self,
                                     LkSnapshot *snapshot);
void       lk_knn_view_set_thumbs   (LkKnnView  *self,
                                     LkThumbs   *thumbs);
void       lk_knn_view_set_item     (LkKnnView  *self,
                                     int         item);
void       lk_knn_view_set_k        (LkKnnView  *self,
                                     guint       k);

G_END_DECLS
