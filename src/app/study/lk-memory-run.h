/* lk-memory-run.h — a study kept in memory: the demo studies, simulated participants, tests
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "lk-grid-source.h"
#include "lk-method.h"
#include "lk-snapshot.h"

G_BEGIN_DECLS

#define LK_TYPE_MEMORY_RUN (lk_memory_run_get_type ())

G_DECLARE_FINAL_TYPE (LkMemoryRun, lk_memory_run, LK, MEMORY_RUN, GObject)

LkMemoryRun *lk_memory_run_new (guint               n_items,
                                const LkParams     *params,
                                const LkMethodType *method,
                                LkTruth            *truth,
                                GError            **error) G_GNUC_WARN_UNUSED_RESULT;
void         lk_memory_run_set_labels     (LkMemoryRun       *self,
                                           const guint       *labels,
                                           guint              n_labels);
void         lk_memory_run_set_match_page (LkMemoryRun       *self,
                                           guint              match_page);

G_END_DECLS
