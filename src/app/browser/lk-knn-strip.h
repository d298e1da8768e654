/* lk-knn-strip.h — one image's nearest neighbours in a row, with their distances
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "lk-thumbnail-loader.h"

G_BEGIN_DECLS

/* Points of background around an exported strip. */
#define LK_KNN_STRIP_EXPORT_MARGIN 12
/* Edge of a neighbour's picture: give the strip a loader that makes textures this size, so
 * they are drawn as they are, not scaled on every frame. */
#define LK_KNN_STRIP_CELL_SIZE 96

#define LK_TYPE_KNN_STRIP (lk_knn_strip_get_type ())

G_DECLARE_FINAL_TYPE (LkKnnStrip, lk_knn_strip, LK, KNN_STRIP, GtkWidget)

GtkWidget  *lk_knn_strip_new             (const char        *title,
                                          LkThumbnailLoader *loader);
void        lk_knn_strip_set_neighbours  (LkKnnStrip        *self,
                                          const guint       *ids,
                                          const double      *distances,
                                          guint              n,
                                          double             scale);
void        lk_knn_strip_set_message     (LkKnnStrip        *self,
                                          const char        *message);
void        lk_knn_strip_set_threshold   (LkKnnStrip        *self,
                                          double             threshold);
gboolean    lk_knn_strip_is_loaded       (LkKnnStrip        *self);
gboolean    lk_knn_strip_export          (LkKnnStrip        *self,
                                          const char        *path,
                                          GError           **error);

G_END_DECLS
