/* lk-session-view-private.h — what only tests and benchmarks reach in lk-session-view
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "lk-session-view.h"

G_BEGIN_DECLS

GtkWidget  *lk_session_view_get_example    (LkSessionView *self);
const char *lk_session_view_get_page       (LkSessionView *self);
LkSortPage *lk_session_view_get_sort_page  (LkSessionView *self);
const char *lk_session_view_get_error_text (LkSessionView *self);

G_END_DECLS
