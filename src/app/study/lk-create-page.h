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
void                  lk_create_page_set_folder     (LkCreatePage       *self,
                                                     const char         *folder);
const char           *lk_create_page_get_folder     (LkCreatePage       *self);
void                  lk_create_page_set_study_path (LkCreatePage       *self,
                                                     const char         *path);
const char           *lk_create_page_get_study_path (LkCreatePage       *self);
const LkMethodType   *lk_create_page_get_params     (LkCreatePage       *self,
                                                     LkParams           *params);
void                  lk_create_page_set_session_settings (LkCreatePage *self,
                                                           const char   *consent,
                                                           guint         break_every,
                                                           guint         n_practice,
                                                           LkSortRule    rule,
                                                           const char   *passphrase);
void                  lk_create_page_get_session_settings (LkCreatePage  *self,
                                                           char         **consent,
                                                           guint         *break_every,
                                                           guint         *n_practice,
                                                           LkSortRule    *rule,
                                                           const char   **passphrase);
const char           *lk_create_page_get_stage      (LkCreatePage       *self);
LkStudy              *lk_create_page_get_study      (LkCreatePage       *self);
const LkImportReport *lk_create_page_get_report     (LkCreatePage       *self);
guint                 lk_create_page_get_n_listed   (LkCreatePage       *self);

void                  lk_create_page_create         (LkCreatePage       *self);
void                  lk_create_page_cancel         (LkCreatePage       *self);
gboolean              lk_create_page_show_sample    (LkCreatePage       *self,
                                                     GError            **error);

G_END_DECLS
