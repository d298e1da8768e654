/* lk-study-errors.h — a study error told to the experimenter: what happened and what to do
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

const char *lk_study_error_advice   (const GError *error);
char       *lk_study_error_dup_body (const GError *error) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
