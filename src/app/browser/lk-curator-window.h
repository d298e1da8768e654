/* lk-curator-window.h — the curator answers grids of their own study, from the browser
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "lk-session-view.h"
#include "lk-study.h"

G_BEGIN_DECLS

#define LK_TYPE_CURATOR_WINDOW (lk_curator_window_get_type ())

G_DECLARE_FINAL_TYPE (LkCuratorWindow, lk_curator_window, LK, CURATOR_WINDOW, AdwWindow)

LkCuratorWindow *lk_curator_window_new          (GtkWindow        *parent,
                                                 LkStudy          *study);
LkSessionView   *lk_curator_window_get_view     (LkCuratorWindow  *self);
LkSession       *lk_curator_window_get_session  (LkCuratorWindow  *self);
void             lk_curator_window_show_keep_dialog (LkCuratorWindow *self,
                                                     const char      *path);

G_END_DECLS
