/* lk-tile-wrap.h — equal tiles in rows that wrap to the width given, with no cursor of its own
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define LK_TYPE_TILE_WRAP (lk_tile_wrap_get_type ())

G_DECLARE_FINAL_TYPE (LkTileWrap, lk_tile_wrap, LK, TILE_WRAP, GtkWidget)

GtkWidget     *lk_tile_wrap_new       (int         spacing) G_GNUC_WARN_UNUSED_RESULT;

void           lk_tile_wrap_append    (LkTileWrap *self,
                                       GtkWidget  *child);
void           lk_tile_wrap_remove    (LkTileWrap *self,
                                       GtkWidget  *child);

G_END_DECLS
