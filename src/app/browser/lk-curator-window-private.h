/* lk-curator-window-private.h — what only tests reach in lk-curator-window
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "lk-curator-window.h"

G_BEGIN_DECLS

gboolean    lk_curator_window_is_preparing (LkCuratorWindow *self);
const char *lk_curator_window_get_error    (LkCuratorWindow *self);
gint64      lk_curator_window_get_kept     (LkCuratorWindow *self);

G_END_DECLS
