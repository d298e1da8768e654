/* lk-create-page.h — a new study: image folder, method and parameters, import, report
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "lk-collection.h"
#include "lk-study.h"

G_BEGIN_DECLS

#define LK_TYPE_CREATE_PAGE (lk_create_page_get_type ())

G_DECLARE_FINAL_TYPE (LkCreatePage, lk_create_page, LK, CREATE_PAGE, AdwBin)

GtkWidget            *lk_create_page_new            (void) G_GNUC_WARN_UNUSED_RESULT;

void                  lk_create_page_reset          (LkCreatePage       *self);
const char           *lk_create_page_get_folder     (LkCreatePage       *self);
const char           *lk_create_page_get_study_path (LkCreatePage       *self);
const LkMethodType   *lk_create_page_get_params     (LkCreatePage       *self,
                                                     LkParams           *params);
const LkImportReport *lk_create_page_get_report     (LkCreatePage       *self);
guint                 lk_create_page_get_n_listed   (LkCreatePage       *self);

void                  lk_create_page_create         (LkCreatePage       *self);
void                  lk_create_page_cancel         (LkCreatePage       *self);
gboolean              lk_create_page_show_sample    (LkCreatePage       *self,
                                                     GError            **error);

G_END_DECLS
