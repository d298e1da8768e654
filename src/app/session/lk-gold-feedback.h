/* lk-gold-feedback.h — a training page's feedback: its known groups, each marked as the
 * participant's answer kept it or not
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "lk-gold.h"
#include "lk-image-source.h"

G_BEGIN_DECLS

guint    lk_gold_feedback_fill        (GtkBox            *box,
                                       LkImageSource     *source,
                                       const LkGoldGrid  *gold,
                                       const LkQuery     *answer);
gboolean lk_gold_feedback_group_kept  (const LkGoldGrid  *gold,
                                       const LkQuery     *answer,
                                       gint               bin);

G_END_DECLS
