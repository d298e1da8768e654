/* lk-study-settings-window.h — editing a study's session settings from its overview
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "lk-study.h"

G_BEGIN_DECLS

#define LK_TYPE_STUDY_SETTINGS_WINDOW (lk_study_settings_window_get_type ())

G_DECLARE_FINAL_TYPE (LkStudySettingsWindow, lk_study_settings_window, LK, STUDY_SETTINGS_WINDOW,
                      AdwWindow)

LkStudySettingsWindow *lk_study_settings_window_new (LkStudy *study) G_GNUC_WARN_UNUSED_RESULT;

const char            *lk_study_settings_describe_choice5 (const char *policy);

G_END_DECLS
