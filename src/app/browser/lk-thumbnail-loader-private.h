/* lk-thumbnail-loader-private.h — the loader's counts, for tests and bench-browser
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "lk-thumbnail-loader.h"

G_BEGIN_DECLS

guint              lk_thumbnail_loader_get_n_cached (LkThumbnailLoader *self);
guint              lk_thumbnail_loader_get_n_decoded (LkThumbnailLoader *self);

G_END_DECLS
