/* lk-window.h — the main window: start page, then a participant's session
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "lk-application.h"
#include "lk-session-view.h"
#include "lk-start-page.h"
#include "lk-study.h"

G_BEGIN_DECLS

#define LK_TYPE_WINDOW (lk_window_get_type ())

G_DECLARE_FINAL_TYPE (LkWindow, lk_window, LK, WINDOW, AdwApplicationWindow)

LkWindow   *lk_window_new             (LkApplication *application) G_GNUC_WARN_UNUSED_RESULT;

gboolean    lk_window_show_page       (LkWindow      *self,
                                       const char    *page);
void        lk_window_open_study      (LkWindow      *self,
                                       GFile         *file);
void        lk_window_open_lab        (LkWindow      *self,
                                       const char    *uri);
gboolean    lk_window_start_demo      (LkWindow      *self,
                                       const char    *name,
                                       const char    *participant,
                                       gboolean       pilot,
                                       GError       **error);
gboolean    lk_window_start_demo_plan (LkWindow      *self,
                                       const char    *name,
                                       const char    *plan,
                                       const char    *participant,
                                       gboolean       pilot,
                                       GError       **error);
void        lk_window_start_study     (LkWindow      *self,
                                       LkStudy       *study,
                                       const char    *participant,
                                       gboolean       pilot);
void        lk_window_show_error      (LkWindow      *self,
                                       const char    *heading,
                                       const char    *body);
LkSessionView *lk_window_get_session_view (LkWindow  *self);
void        lk_window_end_session     (LkWindow      *self);
void        lk_window_save_screenshot (LkWindow      *self,
                                       const char    *path);

G_END_DECLS
