/* lk-study-overview-private.h — what only tests reach in lk-study-overview
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "lk-crowd.h"
#include "lk-study-overview.h"

G_BEGIN_DECLS

gboolean    lk_study_overview_is_loading      (LkStudyOverview *self);
gboolean    lk_study_overview_is_finished     (LkStudyOverview *self);
const char *lk_study_overview_get_row_text    (LkStudyOverview *self,
                                               const char      *row);
guint       lk_study_overview_get_n_participant_rows (LkStudyOverview *self);
GtkWidget  *lk_study_overview_get_button      (LkStudyOverview *self,
                                               const char      *button);
void        lk_study_overview_export_answers  (LkStudyOverview *self,
                                               const char      *path);
gboolean    lk_study_overview_is_exporting    (LkStudyOverview *self);
char       *lk_study_overview_dup_export_path (const char      *answers,
                                               const char      *what) G_GNUC_WARN_UNUSED_RESULT;
void        lk_study_overview_send_to_crowd   (LkStudyOverview *self,
                                               LkCrowdPlatform  platform,
                                               guint            n_grids,
                                               const char      *base_url,
                                               const char      *folder);
GtkWindow  *lk_study_overview_get_settings_window (LkStudyOverview *self);
GtkWindow  *lk_study_overview_get_known_answers (LkStudyOverview *self);

G_END_DECLS
