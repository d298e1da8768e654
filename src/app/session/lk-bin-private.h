/* lk-bin-private.h — what only tests and benchmarks reach in lk-bin
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "lk-bin.h"

G_BEGIN_DECLS

guint          lk_bin_get_n_tiles     (LkBin       *self);
GtkDropTarget *lk_bin_get_drop_target (LkBin       *self);

G_END_DECLS
