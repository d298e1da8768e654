/* lk-trial-page-common.h — what the pages of the tasks other than sorting share
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "lk-image-source.h"

G_BEGIN_DECLS

/* The edge, in pixels, of the textures the trial pages draw (scaled down to fit). */
#define LK_TRIAL_TEXTURE_SIZE 192

GtkWidget *lk_trial_picture_new        (void) G_GNUC_WARN_UNUSED_RESULT;
void       lk_trial_picture_set_item   (GtkPicture    *picture,
                                        LkImageSource *source,
                                        guint          item);
GtkWidget *lk_trial_button_new         (const char    *number,
                                        const char    *action,
                                        gint           target) G_GNUC_WARN_UNUSED_RESULT;
GtkPicture *lk_trial_button_get_picture (GtkWidget    *button);
void       lk_trial_set_progress       (GtkLabel      *progress_label,
                                        GtkWidget     *practice_label,
                                        guint          number,
                                        guint          total,
                                        gboolean       practice);
void       lk_trial_focus_page         (GtkWidget     *page);

G_END_DECLS
