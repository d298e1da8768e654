/* lk-session-view-private.h — what only tests and benchmarks reach in lk-session-view
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "lk-choice-page.h"
#include "lk-intruder-page.h"
#include "lk-session-view.h"
#include "lk-triplet-page.h"

G_BEGIN_DECLS

GtkWidget  *lk_session_view_get_example    (LkSessionView *self);
const char *lk_session_view_get_page       (LkSessionView *self);
LkSortPage *lk_session_view_get_sort_page  (LkSessionView *self);
const char *lk_session_view_get_error_text (LkSessionView *self);
LkTripletPage  *lk_session_view_get_triplet_page  (LkSessionView *self);
LkChoicePage   *lk_session_view_get_choice_page   (LkSessionView *self);
LkIntruderPage *lk_session_view_get_intruder_page (LkSessionView *self);
GtkWidget      *lk_session_view_get_trial_example (LkSessionView *self);
const char     *lk_session_view_get_gold_text     (LkSessionView *self);
GtkWidget      *lk_session_view_get_feedback_groups (LkSessionView *self);
const char     *lk_session_view_get_feedback_title (LkSessionView *self);
gboolean        lk_session_view_get_feedback_ready (LkSessionView *self);

G_END_DECLS
