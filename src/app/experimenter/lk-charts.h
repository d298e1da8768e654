/* lk-charts.h — the convergence and progress views, drawn with Cairo
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "lk-cairo-view.h"
#include "lk-progress.h"
#include "lk-snapshot.h"

G_BEGIN_DECLS

#define LK_TYPE_CONVERGENCE_VIEW (lk_convergence_view_get_type ())
G_DECLARE_FINAL_TYPE (LkConvergenceView, lk_convergence_view, LK, CONVERGENCE_VIEW, LkCairoView)

GtkWidget *lk_convergence_view_new           (void);
void       lk_convergence_view_set_snapshots (LkConvergenceView *self,
                                              GPtrArray         *snapshots,
                                              GPtrArray         *comparison);

#define LK_TYPE_PROGRESS_VIEW (lk_progress_view_get_type ())
G_DECLARE_FINAL_TYPE (LkProgressView, lk_progress_view, LK, PROGRESS_VIEW, LkCairoView)

GtkWidget *lk_progress_view_new              (void);
void       lk_progress_view_set_progress     (LkProgressView    *self,
                                              LkProgress        *progress);
void       lk_progress_view_set_trial_counts (LkProgressView    *self,
                                              GHashTable        *counts);

G_END_DECLS
