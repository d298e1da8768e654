/* lk-demo-run.h — simulated participants answering a demo study at a set pace
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "lk-grid-source.h"
#include "lk-thumbs.h"

G_BEGIN_DECLS

#define LK_TYPE_DEMO_RUN (lk_demo_run_get_type ())

G_DECLARE_FINAL_TYPE (LkDemoRun, lk_demo_run, LK, DEMO_RUN, GObject)

LkDemoRun      *lk_demo_run_new        (const char         *spec,
                                        const LkParams     *params,
                                        const LkMethodType *method,
                                        GError            **error) G_GNUC_WARN_UNUSED_RESULT;
LkGridSource   *lk_demo_run_get_run    (LkDemoRun          *self);
LkRefineWorker *lk_demo_run_get_worker (LkDemoRun          *self);
LkThumbs       *lk_demo_run_get_thumbs (LkDemoRun          *self);
void            lk_demo_run_set_pace   (LkDemoRun          *self,
                                        double              grids_per_second);
double          lk_demo_run_get_pace   (LkDemoRun          *self);
void            lk_demo_run_start      (LkDemoRun          *self);
void            lk_demo_run_stop       (LkDemoRun          *self);
gboolean        lk_demo_run_is_done    (LkDemoRun          *self);
guint           lk_demo_run_step       (LkDemoRun          *self,
                                        guint               n_grids);

G_END_DECLS
