/* lk-scores-view-private.h — what only tests reach in lk-scores-view
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "lk-scores-view.h"

G_BEGIN_DECLS

gboolean    lk_scores_view_is_loading    (LkScoresView *self);
guint       lk_scores_view_get_n_computed (LkScoresView *self);
const char *lk_scores_view_get_status    (LkScoresView *self);
const char *lk_scores_view_get_cell_text (LkScoresView *self,
                                          const char   *kind,
                                          const char   *metric);
guint       lk_scores_view_get_n_bars    (LkScoresView *self);
double      lk_scores_view_get_bar       (LkScoresView *self,
                                          guint         index);

G_END_DECLS
