/* lk-memory-run-private.h — what tests read back from an in-memory study
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "lk-memory-run.h"

G_BEGIN_DECLS

guint          lk_memory_run_get_n_saved (LkMemoryRun *self);
const LkQuery *lk_memory_run_get_answer  (LkMemoryRun *self,
                                          guint        index);
guint          lk_memory_run_get_n_moves (LkMemoryRun *self,
                                          guint        index);
gboolean       lk_memory_run_get_pilot   (LkMemoryRun *self,
                                          guint        index);
gboolean       lk_memory_run_get_drawn   (LkMemoryRun *self,
                                          guint        index);
void           lk_memory_run_set_failing (LkMemoryRun *self,
                                          gboolean     failing);
guint          lk_memory_run_get_n_trials (LkMemoryRun *self);
const LkTrial *lk_memory_run_get_trial    (LkMemoryRun *self,
                                           guint        index,
                                           guint       *block,
                                           gint64      *response_us);

G_END_DECLS
