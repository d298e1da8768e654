/* lk-store-saver.h — answers written to the study file, and the study's queue of grids
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "lk-answer-saver.h"
#include "lk-refine-worker.h"
#include "lk-study.h"

G_BEGIN_DECLS

#define LK_TYPE_STORE_SAVER (lk_store_saver_get_type ())

G_DECLARE_FINAL_TYPE (LkStoreSaver, lk_store_saver, LK, STORE_SAVER, GObject)

LkStoreSaver *lk_store_saver_new            (LkStudy      *study,
                                             const char   *station,
                                             GError      **error) G_GNUC_WARN_UNUSED_RESULT;

void          lk_store_saver_new_async      (LkStudy             *study,
                                             const char          *station,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
LkStoreSaver *lk_store_saver_new_finish     (GAsyncResult        *result,
                                             GError             **error) G_GNUC_WARN_UNUSED_RESULT;

LkStudy      *lk_store_saver_get_study      (LkStoreSaver *self);
gint64        lk_store_saver_get_session_id (LkStoreSaver *self);
LkRefineWorker *lk_store_saver_get_refine_worker (LkStoreSaver *self);

G_END_DECLS
