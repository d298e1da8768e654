/* lk-study-overview.h — an open study at a glance, and what the experimenter can do with it
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "lk-study.h"

G_BEGIN_DECLS

#define LK_TYPE_STUDY_OVERVIEW (lk_study_overview_get_type ())

G_DECLARE_FINAL_TYPE (LkStudyOverview, lk_study_overview, LK, STUDY_OVERVIEW, AdwBin)

GtkWidget  *lk_study_overview_new             (void) G_GNUC_WARN_UNUSED_RESULT;

LkStudy    *lk_study_overview_get_study       (LkStudyOverview *self);
void        lk_study_overview_set_study       (LkStudyOverview *self,
                                               LkStudy         *study);
const char *lk_study_overview_get_participant_code (LkStudyOverview *self);
gboolean    lk_study_overview_get_pilot       (LkStudyOverview *self);
void        lk_study_overview_set_participant (LkStudyOverview *self,
                                               const char      *code,
                                               gboolean         pilot);
void        lk_study_overview_set_preparing   (LkStudyOverview *self,
                                               gboolean         preparing);
void        lk_study_overview_reload          (LkStudyOverview *self);

G_END_DECLS
