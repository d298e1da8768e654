/* lk-participants-view.h — who sorted how: the experimenter's table of participants
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "lk-participants.h"
#include "lk-refine.h"
#include "lk-study.h"

G_BEGIN_DECLS

#define LK_TYPE_PARTICIPANT_ITEM (lk_participant_item_get_type ())

G_DECLARE_FINAL_TYPE (LkParticipantItem, lk_participant_item, LK, PARTICIPANT_ITEM, GObject)

const LkParticipantInfo *lk_participant_item_get_info (LkParticipantItem *self);

#define LK_TYPE_PARTICIPANTS_VIEW (lk_participants_view_get_type ())

G_DECLARE_FINAL_TYPE (LkParticipantsView, lk_participants_view, LK, PARTICIPANTS_VIEW, GtkBox)

GtkWidget  *lk_participants_view_new          (void);
void        lk_participants_view_set_study    (LkParticipantsView *self,
                                               LkStudy            *study);
void        lk_participants_view_refresh      (LkParticipantsView *self,
                                               const LkRefiner    *refiner);
void        lk_participants_view_set_busy     (LkParticipantsView *self,
                                               const char         *message);
void        lk_participants_view_set_locked   (LkParticipantsView *self,
                                               const char         *reason);
gboolean    lk_participants_view_set_excluded (LkParticipantsView *self,
                                               const char         *code,
                                               gboolean            excluded,
                                               GError            **error);

/* For tests. */
gboolean    lk_participants_view_is_loading   (LkParticipantsView *self);
GListModel *lk_participants_view_get_model    (LkParticipantsView *self);
const char *lk_participants_view_get_status   (LkParticipantsView *self);
GtkWidget  *lk_participants_view_get_column_view (LkParticipantsView *self);

G_END_DECLS
