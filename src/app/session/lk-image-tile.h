/* lk-image-tile.h — one image of the grid, draggable and focusable
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "lk-image-source.h"

G_BEGIN_DECLS

#define LK_TYPE_IMAGE_TILE (lk_image_tile_get_type ())

G_DECLARE_FINAL_TYPE (LkImageTile, lk_image_tile, LK, IMAGE_TILE, GtkWidget)

GtkWidget  *lk_image_tile_new          (guint          position,
                                        LkImageSource *source,
                                        guint          item,
                                        const char    *title) G_GNUC_WARN_UNUSED_RESULT;

guint       lk_image_tile_get_position (LkImageTile *self);
guint       lk_image_tile_get_item     (LkImageTile *self);
void        lk_image_tile_set_item     (LkImageTile *self,
                                        guint        item,
                                        const char  *title);
GdkTexture *lk_image_tile_get_texture  (LkImageTile *self);
void        lk_image_tile_set_size     (LkImageTile *self,
                                        int          size);

char       *lk_image_tile_format_drag  (guint        position) G_GNUC_WARN_UNUSED_RESULT;
gboolean    lk_image_tile_parse_drag   (const char  *text,
                                        guint       *position);

G_END_DECLS
