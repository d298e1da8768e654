/* lk-choice-page.h — a query and candidates, pick the one most like it: the 5-way forced choice
 * and "find its match" (paper 003)
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "lk-image-source.h"
#include "lk-trial.h"

G_BEGIN_DECLS

#define LK_TYPE_CHOICE_PAGE (lk_choice_page_get_type ())

G_DECLARE_FINAL_TYPE (LkChoicePage, lk_choice_page, LK, CHOICE_PAGE, AdwBin)

GtkWidget *lk_choice_page_new            (void) G_GNUC_WARN_UNUSED_RESULT;
void       lk_choice_page_set_trial      (LkChoicePage  *self,
                                          const LkTrial *trial,
                                          LkImageSource *source);
void       lk_choice_page_set_progress   (LkChoicePage  *self,
                                          guint          number,
                                          guint          total,
                                          gboolean       practice);
guint      lk_choice_page_get_n_candidates (LkChoicePage *self);
GtkWidget *lk_choice_page_get_candidate  (LkChoicePage  *self,
                                          guint          index);
GtkWidget *lk_choice_page_get_none_button (LkChoicePage *self);

G_END_DECLS
