/* lk-memory-saver.h — answers kept in memory: the demo studies' store, and a test double
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "lk-answer-saver.h"

G_BEGIN_DECLS

#define LK_TYPE_MEMORY_SAVER (lk_memory_saver_get_type ())

G_DECLARE_FINAL_TYPE (LkMemorySaver, lk_memory_saver, LK, MEMORY_SAVER, GObject)

LkMemorySaver *lk_memory_saver_new         (void) G_GNUC_WARN_UNUSED_RESULT;

guint          lk_memory_saver_get_n_saved (LkMemorySaver *self);
const LkQuery *lk_memory_saver_get_answer  (LkMemorySaver *self,
                                            guint          index);
guint          lk_memory_saver_get_n_moves (LkMemorySaver *self,
                                            guint          index);
gboolean       lk_memory_saver_get_pilot   (LkMemorySaver *self,
                                            guint          index);
gboolean       lk_memory_saver_get_drawn   (LkMemorySaver *self,
                                            guint          index);
void           lk_memory_saver_set_failing (LkMemorySaver *self,
                                            gboolean       failing);

G_END_DECLS
