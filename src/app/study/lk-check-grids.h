/* lk-check-grids.h — which of a session's grids check its participant: repeats and catch grids
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <gsl/gsl_rng.h>

#include "lk-gold.h"
#include "lk-query.h"
#include "lk-params.h"

G_BEGIN_DECLS

/* A grid is shown again only after at least this many other grids of the session. */
#define LK_CHECK_GRIDS_REPEAT_GAP 3

typedef struct _LkCheckGrids LkCheckGrids;

LkCheckGrids  *lk_check_grids_new          (double              repeat_share,
                                            double              gold_share,
                                            GPtrArray          *gold,
                                            const LkParams     *params) G_GNUC_WARN_UNUSED_RESULT;
void           lk_check_grids_free         (LkCheckGrids       *self);
const LkQuery *lk_check_grids_next         (LkCheckGrids       *self,
                                            gsl_rng            *rng);
gint64         lk_check_grids_get_repeat_of (const LkCheckGrids *self);
gint64         lk_check_grids_get_gold     (const LkCheckGrids *self);
gboolean       lk_check_grids_is_served    (const LkCheckGrids *self,
                                            const LkQuery      *shown);
void           lk_check_grids_check_done   (LkCheckGrids       *self);
void           lk_check_grids_grid_done    (LkCheckGrids       *self,
                                            gint64              query,
                                            const LkQuery      *shown);
guint          lk_check_grids_get_n_repeats (const LkCheckGrids *self);
guint          lk_check_grids_get_n_catches (const LkCheckGrids *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LkCheckGrids, lk_check_grids_free)

G_END_DECLS
