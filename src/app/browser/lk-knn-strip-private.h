/* lk-knn-strip-private.h — what tests read of a strip: its neighbours and the size it is exported at
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "lk-knn-strip.h"

G_BEGIN_DECLS

guint       lk_knn_strip_get_n_neighbours (LkKnnStrip       *self);
guint       lk_knn_strip_get_neighbour   (LkKnnStrip        *self,
                                          guint              index,
                                          double            *distance);
guint       lk_knn_strip_get_n_within    (LkKnnStrip        *self);
void        lk_knn_strip_get_export_size (LkKnnStrip        *self,
                                          int               *width,
                                          int               *height);

G_END_DECLS
