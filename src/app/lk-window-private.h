/* lk-window-private.h — what only tests and benchmarks reach in lk-window
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "lk-study-overview.h"
#include "lk-window.h"

G_BEGIN_DECLS

const char *lk_window_get_visible_page (LkWindow     *self);
gboolean    lk_window_is_preparing    (LkWindow      *self);
LkStartPage   *lk_window_get_start_page   (LkWindow  *self);
AdwMessageDialog *lk_window_get_leave_dialog (LkWindow *self);
LkStudyOverview  *lk_window_get_overview     (LkWindow *self);

G_END_DECLS
