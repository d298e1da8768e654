/* lk-study-import.h — create a study from a folder of images in a worker thread
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "lk-collection.h"
#include "lk-study.h"

G_BEGIN_DECLS

/**
 * LkStudyImportProgress:
 * @done: files handled so far
 * @total: files found
 * @current: (nullable): the file being read, relative to the folder
 * @user_data: the data given to lk_study_create_async()
 *
 * Called on the main loop (the thread that started the import), never on the worker; progress
 * that arrives faster than the main loop runs is coalesced.
 */
typedef void (*LkStudyImportProgress) (guint       done,
                                       guint       total,
                                       const char *current,
                                       gpointer    user_data);

void     lk_study_create_async  (const char             *path,
                                 const char             *folder,
                                 const LkParams         *params,
                                 const LkMethodType     *method,
                                 GCancellable           *cancellable,
                                 LkStudyImportProgress   progress,
                                 gpointer                progress_data,
                                 GAsyncReadyCallback     callback,
                                 gpointer                user_data);
LkStudy *lk_study_create_finish (GAsyncResult           *result,
                                 LkImportReport        **report,
                                 GError                **error) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
