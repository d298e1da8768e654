/* lk-thumb-cell.h — one cell of the browser's grid: a thumbnail, its name, a few-answers mark
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define LK_TYPE_THUMB_CELL (lk_thumb_cell_get_type ())

G_DECLARE_FINAL_TYPE (LkThumbCell, lk_thumb_cell, LK, THUMB_CELL, GtkWidget)

GtkWidget  *lk_thumb_cell_new             (int          size) G_GNUC_WARN_UNUSED_RESULT;

void        lk_thumb_cell_set_texture     (LkThumbCell *self,
                                           GdkTexture  *texture);
void        lk_thumb_cell_set_name        (LkThumbCell *self,
                                           const char  *name);
void        lk_thumb_cell_set_few_answers (LkThumbCell *self,
                                           gboolean     few);
gboolean    lk_thumb_cell_get_few_answers (LkThumbCell *self);

G_END_DECLS
