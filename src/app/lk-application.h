/* lk-application.h — the Likeness application
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define LK_TYPE_APPLICATION (lk_application_get_type ())

G_DECLARE_FINAL_TYPE (LkApplication, lk_application, LK, APPLICATION, AdwApplication)

LkApplication *lk_application_new          (void) G_GNUC_WARN_UNUSED_RESULT;

GSettings     *lk_application_get_settings (LkApplication *self);

G_END_DECLS
