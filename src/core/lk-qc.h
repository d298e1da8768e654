/* lk-qc.h — quality control of answers: the exam's score against a known answer, and a
 * participant's consistency between a grid and its repeat (paper 002's training and exam)
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "lk-query.h"

G_BEGIN_DECLS

/* The exam's default pass mark (paper 002: "at least 80"). */
#define LK_QC_PASS_MARK 80.0

double   lk_qc_exam_score  (const LkQuery *answer,
                            const LkQuery *gold,
                            GError       **error);
double   lk_qc_consistency (const LkQuery *first,
                            const LkQuery *repeat,
                            GError       **error);
double   lk_qc_adjusted_rand (const gint  *labels_a,
                              const gint  *labels_b,
                              guint        n);

G_END_DECLS
