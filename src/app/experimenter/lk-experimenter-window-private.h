/* lk-experimenter-window-private.h — what tests and benchmarks reach of the experimenter window
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "lk-experimenter-window.h"

G_BEGIN_DECLS

GtkWidget            *lk_experimenter_window_get_view     (LkExperimenterWindow *self,
                                                           const char           *name);
gboolean              lk_experimenter_window_is_replaying (LkExperimenterWindow *self);
LkRefineWorker       *lk_experimenter_window_get_worker   (LkExperimenterWindow *self);
GtkAdjustment        *lk_experimenter_window_get_phase_adjustment (LkExperimenterWindow *self);
GtkWidget            *lk_experimenter_window_get_search_entry (LkExperimenterWindow *self);

G_END_DECLS
