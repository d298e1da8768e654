/* lk-browser-model.h — the collection as a list model for the browser's grid
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "lk-store.h"

G_BEGIN_DECLS

#define LK_TYPE_BROWSER_ITEM (lk_browser_item_get_type ())

G_DECLARE_FINAL_TYPE (LkBrowserItem, lk_browser_item, LK, BROWSER_ITEM, GObject)

guint          lk_browser_item_get_item    (LkBrowserItem *self);
guint          lk_browser_item_get_position (LkBrowserItem *self);
const char    *lk_browser_item_get_path    (LkBrowserItem *self);
const char    *lk_browser_item_get_name    (LkBrowserItem *self);
const char    *lk_browser_item_get_folder  (LkBrowserItem *self);
guint          lk_browser_item_get_answers (LkBrowserItem *self);
void           lk_browser_item_set_answers (LkBrowserItem *self,
                                            guint          answers);
gboolean       lk_browser_item_matches     (LkBrowserItem *self,
                                            const char    *folder,
                                            const char    *needle);

GListStore    *lk_browser_model_load       (LkStore       *store,
                                            GStrv         *folders,
                                            GError       **error) G_GNUC_WARN_UNUSED_RESULT;
GPtrArray     *lk_browser_model_index      (GListModel    *model) G_GNUC_WARN_UNUSED_RESULT;
void           lk_browser_model_load_async (const char          *study_path,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
GListStore    *lk_browser_model_load_finish (GAsyncResult  *result,
                                             GStrv         *folders,
                                             GPtrArray    **by_id,
                                             GError       **error) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
