/* lk-browser-window.h — browse a collection by learned similarity and by image features
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "lk-knn-strip.h"
#include "lk-neighbours.h"

G_BEGIN_DECLS

#define LK_TYPE_BROWSER_WINDOW (lk_browser_window_get_type ())

G_DECLARE_FINAL_TYPE (LkBrowserWindow, lk_browser_window, LK, BROWSER_WINDOW, AdwApplicationWindow)

LkBrowserWindow *lk_browser_window_new             (GtkApplication  *application,
                                                    const char      *study_path,
                                                    GError         **error) G_GNUC_WARN_UNUSED_RESULT;
void             lk_browser_window_save_screenshot (LkBrowserWindow *self,
                                                    const char      *path);
gboolean         lk_browser_window_select_item     (LkBrowserWindow *self,
                                                    guint            item);
gboolean         lk_browser_window_is_settled      (LkBrowserWindow *self);
LkKnnStrip      *lk_browser_window_get_strip       (LkBrowserWindow *self,
                                                    LkSpaceKind      kind);
GtkGridView     *lk_browser_window_get_grid        (LkBrowserWindow *self);
LkThumbnailLoader *lk_browser_window_get_loader    (LkBrowserWindow *self);
void             lk_browser_window_refresh_neighbours (LkBrowserWindow *self);
void             lk_browser_window_export_neighbours (LkBrowserWindow    *self,
                                                      const char         *path,
                                                      LkNeighboursFormat  format);
gboolean         lk_browser_window_is_exporting    (LkBrowserWindow *self);
guint            lk_browser_window_get_n_refreshes (LkBrowserWindow *self);
GtkWindow       *lk_browser_window_get_curator     (LkBrowserWindow *self);
void             lk_browser_window_set_filter      (LkBrowserWindow *self,
                                                    const char      *folder,
                                                    const char      *text);

G_END_DECLS
