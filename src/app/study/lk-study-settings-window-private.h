/* lk-study-settings-window-private.h — what only tests reach in lk-study-settings-window
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "lk-study-settings-window.h"

G_BEGIN_DECLS

const char *lk_study_settings_window_get_error (LkStudySettingsWindow *self);
const char *lk_study_settings_window_get_plan_error (LkStudySettingsWindow *self);
void        lk_study_settings_window_set_text  (LkStudySettingsWindow *self,
                                                const char            *field,
                                                const char            *text);

G_END_DECLS
