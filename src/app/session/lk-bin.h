/* lk-bin.h — one numbered, coloured bin that images are dropped into
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "lk-image-tile.h"

G_BEGIN_DECLS

/* The edge of an image in a bin: smaller than in the grid, so that a full bin still fits. */
#define LK_BIN_TILE_SIZE 56
/* The same on a small screen (a 1280x800 one at a scale of 2), where the sorting page is
 * compact (lk-sort-page.c). */
#define LK_BIN_COMPACT_TILE_SIZE 40

/* The bin whose key is 0: the tenth (index 9), in a grid of ten bins (paper 001's grids). */
#define LK_BIN_ZERO_KEY 9

#define LK_TYPE_BIN (lk_bin_get_type ())

G_DECLARE_FINAL_TYPE (LkBin, lk_bin, LK, BIN, AdwBin)

GtkWidget     *lk_bin_new             (guint        index) G_GNUC_WARN_UNUSED_RESULT;

guint          lk_bin_get_index       (LkBin       *self);
char          *lk_bin_dup_key_name    (guint        index) G_GNUC_WARN_UNUSED_RESULT;

void           lk_bin_add_tile        (LkBin       *self,
                                       LkImageTile *tile);
void           lk_bin_remove_tile     (LkBin       *self,
                                       LkImageTile *tile);
void           lk_bin_set_naming      (LkBin       *self,
                                       gboolean     naming);
GtkEntry      *lk_bin_get_name_entry  (LkBin       *self);
int            lk_bin_get_tile_size   (LkBin       *self);
void           lk_bin_set_tile_size   (LkBin       *self,
                                       int          size);

G_END_DECLS
