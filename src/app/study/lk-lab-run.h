/* lk-lab-run.h — a lab study running at one station: grids claimed from PostgreSQL
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "lk-grid-source.h"
#include "lk-study.h"

G_BEGIN_DECLS

#define LK_TYPE_LAB_RUN (lk_lab_run_get_type ())

G_DECLARE_FINAL_TYPE (LkLabRun, lk_lab_run, LK, LAB_RUN, GObject)

/* How often the station's worker thread tries to become the refiner, runs the refiner's step
 * and, while the server is away, tries to reach it again, in seconds. */
#define LK_LAB_RUN_POLL_SECONDS 10

void        lk_lab_study_open_async   (const char          *uri,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data);
LkStudy    *lk_lab_study_open_finish  (GAsyncResult        *result,
                                       GError             **error) G_GNUC_WARN_UNUSED_RESULT;
const char *lk_lab_study_get_uri      (LkStudy             *study);
const char *lk_lab_study_get_summary  (LkStudy             *study);
char       *lk_lab_station_name       (void) G_GNUC_WARN_UNUSED_RESULT;

void        lk_lab_run_new_async      (LkStudy             *study,
                                       const char          *journal_path,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data);
LkLabRun   *lk_lab_run_new_finish     (GAsyncResult        *result,
                                       GError             **error) G_GNUC_WARN_UNUSED_RESULT;

gboolean    lk_lab_run_is_online      (LkLabRun            *self);
guint       lk_lab_run_get_journal_length (LkLabRun        *self);
const char *lk_lab_run_get_station    (LkLabRun            *self);

G_END_DECLS
