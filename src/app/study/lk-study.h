/* lk-study.h — an open study file: its images for the sorting screen, and its settings
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "lk-image-source.h"
#include "lk-session.h"
#include "lk-session-settings.h"
#include "lk-store.h"

G_BEGIN_DECLS

#define LK_TYPE_STUDY (lk_study_get_type ())

G_DECLARE_FINAL_TYPE (LkStudy, lk_study, LK, STUDY, GObject)

LkStudy    *lk_study_open          (const char      *path,
                                    GError         **error) G_GNUC_WARN_UNUSED_RESULT;
LkStudy    *lk_study_new_for_store (LkStore         *store) G_GNUC_WARN_UNUSED_RESULT;

LkStore    *lk_study_get_store     (LkStudy         *self);
const char *lk_study_get_path      (LkStudy         *self);
char       *lk_study_dup_title     (LkStudy         *self) G_GNUC_WARN_UNUSED_RESULT;
void        lk_study_get_setup     (LkStudy         *self,
                                    LkSessionSetup  *setup);
char       *lk_study_dup_passphrase (LkStudy        *self) G_GNUC_WARN_UNUSED_RESULT;
gboolean    lk_study_set_session_settings (LkStudy                  *self,
                                           const LkSessionSettings  *settings,
                                           GError                  **error);
void        lk_study_close         (LkStudy         *self);

const char *lk_study_error_heading (const GError    *error);

G_END_DECLS
