/* lk-scores-view.h — the experimenter's Scores: every metric's headline figure per task kind,
 * and people's intruder accuracy per cluster as a bar chart, refreshed while a session runs
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define LK_TYPE_SCORES_VIEW (lk_scores_view_get_type ())
G_DECLARE_FINAL_TYPE (LkScoresView, lk_scores_view, LK, SCORES_VIEW, GtkBox)

GtkWidget  *lk_scores_view_new              (void);
void        lk_scores_view_load             (LkScoresView *self,
                                             const char   *path);
void        lk_scores_view_refresh          (LkScoresView *self);
GHashTable *lk_scores_view_get_trial_counts (LkScoresView *self);

G_END_DECLS
