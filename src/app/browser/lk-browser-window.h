/* lk-browser-window.h — browse a collection by learned similarity and by image features
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define LK_TYPE_BROWSER_WINDOW (lk_browser_window_get_type ())

G_DECLARE_FINAL_TYPE (LkBrowserWindow, lk_browser_window, LK, BROWSER_WINDOW, AdwApplicationWindow)

LkBrowserWindow *lk_browser_window_new                (GtkApplication  *application,
                                                       const char      *study_path,
                                                       GError         **error) G_GNUC_WARN_UNUSED_RESULT;
void             lk_browser_window_save_screenshot    (LkBrowserWindow *self,
                                                       const char      *path);
void             lk_browser_window_refresh_neighbours (LkBrowserWindow *self);
void             lk_browser_window_show_keep_dialog   (LkBrowserWindow *self,
                                                       const char      *path);

G_END_DECLS
