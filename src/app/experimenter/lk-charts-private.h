/* lk-charts-private.h — what only tests reach in the convergence and progress views
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "lk-charts.h"

G_BEGIN_DECLS

guint       lk_progress_view_get_n_rows (LkProgressView *self);
const char *lk_progress_view_get_row    (LkProgressView *self,
                                         guint           index,
                                         guint          *n_answers);

G_END_DECLS
