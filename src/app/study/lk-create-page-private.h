/* lk-create-page-private.h — what only tests and benchmarks reach in lk-create-page
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "lk-create-page.h"

G_BEGIN_DECLS

void                  lk_create_page_set_folder     (LkCreatePage       *self,
                                                     const char         *folder);
void                  lk_create_page_set_study_path (LkCreatePage       *self,
                                                     const char         *path);
void                  lk_create_page_set_session_settings (LkCreatePage            *self,
                                                           const LkSessionSettings *settings);
void                  lk_create_page_get_session_settings (LkCreatePage            *self,
                                                           LkSessionSettings       *settings);
const char           *lk_create_page_get_stage      (LkCreatePage       *self);
LkStudy              *lk_create_page_get_study      (LkCreatePage       *self);

G_END_DECLS
