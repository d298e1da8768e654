/* lk-study-run-private.h — what LkStudyRun's files share, and what the tests see of its trial
 * draws
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "lk-embedding.h"
#include "lk-store.h"
#include "lk-study-run.h"

G_BEGIN_DECLS

gboolean _lk_study_run_ensure_session (LkStudyRun             *self,
                                       const char             *participant,
                                       gboolean                pilot,
                                       GError                **error);
void     _lk_study_run_gold_init      (LkGridSourceInterface  *iface);

void         lk_study_run_set_trial_seed (LkStudyRun        *self,
                                          gulong             seed);
gboolean     lk_study_run_is_preparing   (LkStudyRun        *self);
const guint *lk_study_run_get_clusters   (LkStudyRun        *self,
                                          guint             *n_clusters,
                                          guint             *phase);
guint       *lk_study_run_prep_clusters  (LkStore           *store,
                                          const LkEmbedding *learned,
                                          guint              n_items,
                                          gulong             seed,
                                          guint             *n_clusters) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
