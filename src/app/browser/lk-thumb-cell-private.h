/* lk-thumb-cell-private.h — what tests and bench-browser read of a grid cell
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "lk-thumb-cell.h"

G_BEGIN_DECLS

GdkTexture *lk_thumb_cell_get_texture     (LkThumbCell *self);
const char *lk_thumb_cell_get_name        (LkThumbCell *self);

G_END_DECLS
