/* lk-study-run-private.h — what LkStudyRun's files share
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "lk-study-run.h"

G_BEGIN_DECLS

gboolean _lk_study_run_ensure_session (LkStudyRun             *self,
                                       const char             *participant,
                                       gboolean                pilot,
                                       GError                **error);
void     _lk_study_run_gold_init      (LkGridSourceInterface  *iface);

G_END_DECLS
