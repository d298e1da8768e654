/* lk-study-run.h — a study file running: its queue of grids, its answers, its phases
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "lk-grid-source.h"
#include "lk-study.h"

G_BEGIN_DECLS

#define LK_TYPE_STUDY_RUN (lk_study_run_get_type ())

G_DECLARE_FINAL_TYPE (LkStudyRun, lk_study_run, LK, STUDY_RUN, GObject)

LkStudyRun *lk_study_run_new            (LkStudy             *study,
                                         const char          *station,
                                         GError             **error) G_GNUC_WARN_UNUSED_RESULT;
void        lk_study_run_new_async      (LkStudy             *study,
                                         const char          *station,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data);
LkStudyRun *lk_study_run_new_finish     (GAsyncResult        *result,
                                         GError             **error) G_GNUC_WARN_UNUSED_RESULT;

LkStudy    *lk_study_run_get_study      (LkStudyRun          *self);
gint64      lk_study_run_get_session_id (LkStudyRun          *self);

G_END_DECLS
