/* lk-embedding-view.h — the embedding on its first two principal axes, or one image's
 * co-occurrence map (Fig. 9), drawn with Cairo
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "lk-cairo-view.h"
#include "lk-snapshot.h"
#include "lk-thumbs.h"

G_BEGIN_DECLS

#define LK_TYPE_EMBEDDING_VIEW (lk_embedding_view_get_type ())

G_DECLARE_FINAL_TYPE (LkEmbeddingView, lk_embedding_view, LK, EMBEDDING_VIEW, LkCairoView)

GtkWidget  *lk_embedding_view_new            (gboolean          cooccurrence);
void        lk_embedding_view_set_snapshot   (LkEmbeddingView  *self,
                                              LkSnapshot       *snapshot,
                                              gboolean          animate);
void        lk_embedding_view_set_thumbs     (LkEmbeddingView  *self,
                                              LkThumbs         *thumbs);
void        lk_embedding_view_set_selected   (LkEmbeddingView  *self,
                                              int               item);
int         lk_embedding_view_get_selected   (LkEmbeddingView  *self);
gboolean    lk_embedding_view_move_selection (LkEmbeddingView  *self,
                                              int               dx,
                                              int               dy);
void        lk_embedding_view_folder_rgb     (guint             folder,
                                              double           *rgb);

#define LK_EMBEDDING_VIEW_HIGHLIGHT_RGB 0.878, 0.106, 0.141
#define LK_COOCCURRENCE_TOP_RGB         0.753, 0.110, 0.157
#define LK_COOCCURRENCE_NEXT_RGB        1.000, 0.471, 0.000
#define LK_COOCCURRENCE_REST_RGB        0.753, 0.749, 0.737

G_END_DECLS
