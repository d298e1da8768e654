/* lk-crowd-send.h — "Send Grids to a Crowd Platform…": platform, grids, base URL and folder
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "lk-crowd.h"

G_BEGIN_DECLS

/* Called with what the experimenter chose when they send. */
typedef void (*LkCrowdSendFunc) (LkCrowdPlatform  platform,
                                 guint            n_grids,
                                 const char      *base_url,
                                 const char      *folder,
                                 gpointer         user_data);

AdwMessageDialog *lk_crowd_send_dialog_present (GtkWindow       *parent,
                                                LkCrowdSendFunc  func,
                                                gpointer         user_data);
/* For the tests: fill the fields as a person would. */
void              lk_crowd_send_dialog_fill    (AdwMessageDialog *dialog,
                                                LkCrowdPlatform   platform,
                                                guint             n_grids,
                                                const char       *base_url,
                                                const char       *folder);

G_END_DECLS
