/* lk-trial-example.h — the instructions' drawn example of a task other than sorting
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "lk-trial.h"

G_BEGIN_DECLS

void lk_trial_example_set_kind (GtkDrawingArea *area,
                                LkTaskKind      kind);

G_END_DECLS
