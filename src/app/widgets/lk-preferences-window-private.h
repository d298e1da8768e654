/* lk-preferences-window-private.h — the rows tests toggle
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "lk-preferences-window.h"

G_BEGIN_DECLS

GtkSwitch *lk_preferences_window_get_study_mode_switch (LkPreferencesWindow *self);
GtkWidget *lk_preferences_window_get_forget_button     (LkPreferencesWindow *self);

G_END_DECLS
