/* lk-triplet-page.h — "Which is more like it?": a query and two images, four answers (paper 004)
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "lk-image-source.h"
#include "lk-trial.h"

G_BEGIN_DECLS

#define LK_TYPE_TRIPLET_PAGE (lk_triplet_page_get_type ())

G_DECLARE_FINAL_TYPE (LkTripletPage, lk_triplet_page, LK, TRIPLET_PAGE, AdwBin)

GtkWidget *lk_triplet_page_new          (void) G_GNUC_WARN_UNUSED_RESULT;
void       lk_triplet_page_set_trial    (LkTripletPage *self,
                                         const LkTrial *trial,
                                         LkImageSource *source);
void       lk_triplet_page_set_progress (LkTripletPage *self,
                                         guint          number,
                                         guint          total,
                                         gboolean       practice);
GtkWidget *lk_triplet_page_get_button   (LkTripletPage *self,
                                         guint          answer);
GtkWidget *lk_triplet_page_get_picture  (LkTripletPage *self,
                                         guint          position);

G_END_DECLS
