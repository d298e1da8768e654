/* lk-refine-worker.h — runs refinement phases on a worker thread and serves the query queue
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "lk-progress.h"
#include "lk-query.h"
#include "lk-refine.h"
#include "lk-snapshot.h"

G_BEGIN_DECLS

#define LK_TYPE_REFINE_WORKER (lk_refine_worker_get_type ())

G_DECLARE_FINAL_TYPE (LkRefineWorker, lk_refine_worker, LK, REFINE_WORKER, GObject)

LkRefineWorker   *lk_refine_worker_new                (LkRefiner            *refiner,
                                                       LkTruth              *truth) G_GNUC_WARN_UNUSED_RESULT;
LkRefineWorker   *lk_refine_worker_new_resumed        (LkRefiner            *refiner,
                                                       GPtrArray            *history,
                                                       LkTruth              *truth) G_GNUC_WARN_UNUSED_RESULT;

LkSnapshot       *lk_refine_worker_get_snapshot       (LkRefineWorker       *self);
GPtrArray        *lk_refine_worker_get_snapshots      (LkRefineWorker       *self);
LkProgress       *lk_refine_worker_get_progress       (LkRefineWorker       *self);
const LkRefiner  *lk_refine_worker_get_refiner        (LkRefineWorker       *self);
gboolean          lk_refine_worker_get_busy           (LkRefineWorker       *self);
guint             lk_refine_worker_get_answer_phase   (LkRefineWorker       *self);
guint             lk_refine_worker_get_n_answers      (LkRefineWorker       *self);
gboolean          lk_refine_worker_is_done            (LkRefineWorker       *self);
guint             lk_refine_worker_get_budget         (LkRefineWorker       *self);
guint             lk_refine_worker_count_answers_of   (LkRefineWorker       *self,
                                                       const char           *participant);

LkQuery          *lk_refine_worker_next_query         (LkRefineWorker       *self,
                                                       gboolean             *drawn) G_GNUC_WARN_UNUSED_RESULT;
void              lk_refine_worker_add_answer         (LkRefineWorker       *self,
                                                       const LkQuery        *answer,
                                                       const char           *participant,
                                                       double                seconds);
void              lk_refine_worker_add_check_answer   (LkRefineWorker       *self,
                                                       const char           *participant,
                                                       double                seconds);
void              lk_refine_worker_add_trial          (LkRefineWorker       *self,
                                                       const LkTrial        *trial,
                                                       const char           *participant);
gboolean          lk_refine_worker_get_last_stats     (LkRefineWorker       *self,
                                                       LkUpdateStats        *stats);
void              lk_refine_worker_add_past_answers   (LkRefineWorker       *self,
                                                       GHashTable           *participants,
                                                       const double         *seconds,
                                                       guint                 n_seconds);
GPtrArray        *lk_refine_worker_take_batch         (LkRefineWorker       *self) G_GNUC_WARN_UNUSED_RESULT;
void              lk_refine_worker_fold_in            (LkRefineWorker       *self);
void              lk_refine_worker_set_excluded       (LkRefineWorker       *self,
                                                       const guint          *workers,
                                                       guint                 n_workers);
void              lk_refine_worker_add_left_out_answers (LkRefineWorker     *self,
                                                         guint               n_answers);
void              lk_refine_worker_finish             (LkRefineWorker       *self);
void              lk_refine_worker_cancel             (LkRefineWorker       *self);

void              lk_refine_worker_run_phase_async    (LkRefineWorker       *self,
                                                       GCancellable         *cancellable,
                                                       GAsyncReadyCallback   callback,
                                                       gpointer              user_data);
LkSnapshot       *lk_refine_worker_run_phase_finish   (LkRefineWorker       *self,
                                                       GAsyncResult         *result,
                                                       GError              **error) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
