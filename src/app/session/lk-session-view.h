/* lk-session-view.h — the pages a participant goes through, following an LkSession
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "lk-session.h"
#include "lk-sort-page.h"

G_BEGIN_DECLS

#define LK_TYPE_SESSION_VIEW (lk_session_view_get_type ())

G_DECLARE_FINAL_TYPE (LkSessionView, lk_session_view, LK, SESSION_VIEW, AdwBin)

GtkWidget  *lk_session_view_new            (void) G_GNUC_WARN_UNUSED_RESULT;

LkSession  *lk_session_view_get_session    (LkSessionView *self);
void        lk_session_view_set_session    (LkSessionView *self,
                                            LkSession     *session);
void        lk_session_view_set_n_bins     (LkSessionView *self,
                                            guint          n_bins);
gboolean    lk_session_view_is_settled     (LkSessionView *self);

G_END_DECLS
