/* lk-judging-window.h — judge a study's neighbours by hand, as in the paper's Table 1
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "lk-judgements.h"

G_BEGIN_DECLS

#define LK_TYPE_JUDGING_WINDOW (lk_judging_window_get_type ())

G_DECLARE_FINAL_TYPE (LkJudgingWindow, lk_judging_window, LK, JUDGING_WINDOW, AdwApplicationWindow)

LkJudgingWindow *lk_judging_window_new             (GtkApplication   *application,
                                                    const char       *study_path,
                                                    GError          **error) G_GNUC_WARN_UNUSED_RESULT;
LkJudgingWindow *lk_judging_window_new_for_store   (GtkApplication   *application,
                                                    const char       *study_path,
                                                    LkStore          *store,
                                                    GObject          *store_owner,
                                                    GError          **error) G_GNUC_WARN_UNUSED_RESULT;
void             lk_judging_window_save_screenshot (LkJudgingWindow  *self,
                                                    const char       *path);

G_END_DECLS
