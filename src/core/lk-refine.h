/* lk-refine.h — the progressive refinement loop (Algorithm 1), one phase at a time
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "lk-embedding.h"
#include "lk-evidence.h"
#include "lk-method.h"
#include "lk-params.h"

G_BEGIN_DECLS

typedef struct _LkRefiner LkRefiner;

LkRefiner         *lk_refiner_new              (guint               n_items,
                                                const LkParams     *params,
                                                const LkMethodType *method,
                                                GError            **error) G_GNUC_WARN_UNUSED_RESULT;
LkRefiner         *lk_refiner_copy             (const LkRefiner    *self) G_GNUC_WARN_UNUSED_RESULT;
void               lk_refiner_free             (LkRefiner          *self);

const LkParams    *lk_refiner_get_params       (const LkRefiner    *self);
const LkMethodType *lk_refiner_get_method      (const LkRefiner    *self);
guint              lk_refiner_get_n_items      (const LkRefiner    *self);
guint              lk_refiner_get_phase        (const LkRefiner    *self);
guint              lk_refiner_get_n_phases     (const LkRefiner    *self);
guint              lk_refiner_get_batch_size   (const LkRefiner    *self);
gboolean           lk_refiner_is_done          (const LkRefiner    *self);
const LkEmbedding *lk_refiner_get_embedding    (const LkRefiner    *self);
const LkEvidence  *lk_refiner_get_evidence     (const LkRefiner    *self);
gconstpointer      lk_refiner_get_state        (const LkRefiner    *self);
const GPtrArray   *lk_refiner_get_answers      (const LkRefiner    *self);
guint              lk_refiner_get_n_batch_answers (const LkRefiner *self);

GPtrArray         *lk_refiner_select_queries   (LkRefiner          *self,
                                                guint               n_queries) G_GNUC_WARN_UNUSED_RESULT;
void               lk_refiner_add_answer       (LkRefiner          *self,
                                                const LkQuery      *query);
void               lk_refiner_add_trial        (LkRefiner          *self,
                                                const LkTrial      *trial);
const GPtrArray   *lk_refiner_get_trials       (const LkRefiner    *self);
void               lk_refiner_end_phase        (LkRefiner          *self,
                                                LkUpdateStats      *stats);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LkRefiner, lk_refiner_free)

G_END_DECLS
