/* lk-lab-run-private.h — what LkLabRun's files share
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gsl/gsl_rng.h>

#include "lk-check-grids.h"
#include "lk-lab-run.h"
#include "lk-lab.h"

G_BEGIN_DECLS

LkLab         *_lk_lab_run_get_lab          (LkLabRun       *self);
gboolean       _lk_lab_run_ensure_session   (LkLabRun       *self,
                                             const char     *participant,
                                             gboolean        pilot,
                                             GError        **error);
const char    *_lk_lab_run_get_client_uuid  (LkLabRun       *self);
void           _lk_lab_run_answer_stored    (LkLabRun       *self);
gboolean       _lk_lab_run_failed           (LkLabRun       *self,
                                             GError         *local_error,
                                             GError        **error);
LkStudy       *_lk_lab_run_get_study        (LkLabRun       *self);
gint64         _lk_lab_run_get_session      (LkLabRun       *self);
const LkParams *_lk_lab_run_get_params      (LkLabRun       *self);
LkCheckGrids  *_lk_lab_run_get_checks       (LkLabRun       *self);

/* lk-lab-run-gold.c */
void           _lk_lab_run_gold_init        (LkGridSourceInterface *iface);
LkCheckGrids  *_lk_lab_run_read_checks      (LkLabRun       *self);
gboolean       _lk_lab_run_submit_check     (LkLabRun              *self,
                                             const LkGrid          *grid,
                                             const LkAnswerRecord  *record,
                                             GError               **error);

G_END_DECLS
