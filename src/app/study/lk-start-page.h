/* lk-start-page.h — where the experimenter starts: demo studies, recent studies, create, open
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define LK_TYPE_START_PAGE (lk_start_page_get_type ())

G_DECLARE_FINAL_TYPE (LkStartPage, lk_start_page, LK, START_PAGE, AdwBin)

GtkWidget  *lk_start_page_new                  (void) G_GNUC_WARN_UNUSED_RESULT;

void        lk_start_page_add_recent           (LkStartPage *self,
                                                const char  *path);

char       *lk_start_page_generate_code        (void) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
