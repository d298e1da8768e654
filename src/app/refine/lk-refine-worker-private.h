/* lk-refine-worker-private.h — what only tests and benchmarks reach in lk-refine-worker
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "lk-refine-worker.h"

G_BEGIN_DECLS

guint             lk_refine_worker_get_phase          (LkRefineWorker       *self);
guint             lk_refine_worker_get_queue_length   (LkRefineWorker       *self);
guint             lk_refine_worker_get_n_drawn        (LkRefineWorker       *self);
GHashTable       *lk_refine_worker_get_participants   (LkRefineWorker       *self);

G_END_DECLS
