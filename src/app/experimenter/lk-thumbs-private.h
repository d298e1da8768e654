/* lk-thumbs-private.h — what the tests reach of the thumbnails
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "lk-thumbs.h"

G_BEGIN_DECLS

guint     lk_thumbs_get_n_items      (LkThumbs      *self);

G_END_DECLS
