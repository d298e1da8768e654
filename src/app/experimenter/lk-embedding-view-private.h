/* lk-embedding-view-private.h — what tests and benchmarks reach of the embedding view
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "lk-embedding-view.h"

G_BEGIN_DECLS

LkSnapshot *lk_embedding_view_get_snapshot   (LkEmbeddingView  *self);
gboolean    lk_embedding_view_item_position  (LkEmbeddingView  *self,
                                              guint             item,
                                              int               width,
                                              int               height,
                                              double           *x,
                                              double           *y);
void        lk_embedding_view_set_view       (LkEmbeddingView  *self,
                                              double            zoom,
                                              double            pan_x,
                                              double            pan_y);
int         lk_embedding_view_hover_at       (LkEmbeddingView  *self,
                                              double            x,
                                              double            y);
void        lk_embedding_view_invalidate     (LkEmbeddingView  *self);

G_END_DECLS
