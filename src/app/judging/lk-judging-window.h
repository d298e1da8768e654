/* lk-judging-window.h — judge a study's neighbours by hand, as in the paper's Table 1
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "lk-judgements.h"

G_BEGIN_DECLS

#define LK_TYPE_JUDGING_WINDOW (lk_judging_window_get_type ())

G_DECLARE_FINAL_TYPE (LkJudgingWindow, lk_judging_window, LK, JUDGING_WINDOW, AdwApplicationWindow)

LkJudgingWindow      *lk_judging_window_new            (GtkApplication   *application,
                                                        const char       *study_path,
                                                        GError          **error) G_GNUC_WARN_UNUSED_RESULT;
LkJudgingWindow      *lk_judging_window_new_for_store  (GtkApplication   *application,
                                                        const char       *study_path,
                                                        LkStore          *store,
                                                        GObject          *store_owner,
                                                        GError          **error) G_GNUC_WARN_UNUSED_RESULT;
void                  lk_judging_window_start_round    (LkJudgingWindow  *self,
                                                        const char       *judge,
                                                        LkSpaceKind       baseline,
                                                        guint             k,
                                                        guint             n_seeds,
                                                        guint             sample_seed);
gboolean              lk_judging_window_is_busy        (LkJudgingWindow  *self);
const char           *lk_judging_window_get_page       (LkJudgingWindow  *self);
const char           *lk_judging_window_get_error      (LkJudgingWindow  *self);
const LkJudgingRound *lk_judging_window_get_round      (LkJudgingWindow  *self);
guint                 lk_judging_window_get_seed_index (LkJudgingWindow  *self);
GtkWidget            *lk_judging_window_get_neighbour  (LkJudgingWindow  *self,
                                                        guint             position);
GtkEventController   *lk_judging_window_get_key_controller (LkJudgingWindow *self);
const char           *lk_judging_window_get_success_text  (LkJudgingWindow *self);
const char           *lk_judging_window_get_avg_diff_text (LkJudgingWindow *self);
gboolean              lk_judging_window_export         (LkJudgingWindow  *self,
                                                        const char       *path,
                                                        gboolean          json,
                                                        GError          **error);
void                  lk_judging_window_save_screenshot (LkJudgingWindow *self,
                                                         const char      *path);

G_END_DECLS
