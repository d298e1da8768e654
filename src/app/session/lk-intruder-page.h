/* lk-intruder-page.h — the odd one out: eight images, seven of one group (paper 002)
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "lk-image-source.h"
#include "lk-trial.h"

G_BEGIN_DECLS

#define LK_TYPE_INTRUDER_PAGE (lk_intruder_page_get_type ())

G_DECLARE_FINAL_TYPE (LkIntruderPage, lk_intruder_page, LK, INTRUDER_PAGE, AdwBin)

GtkWidget *lk_intruder_page_new           (void) G_GNUC_WARN_UNUSED_RESULT;
void       lk_intruder_page_set_trial     (LkIntruderPage *self,
                                           const LkTrial  *trial,
                                           LkImageSource  *source);
void       lk_intruder_page_set_progress  (LkIntruderPage *self,
                                           guint           number,
                                           guint           total,
                                           gboolean        practice);
GtkWidget *lk_intruder_page_get_candidate (LkIntruderPage *self,
                                           guint           position);

G_END_DECLS
