/* lk-thumbnail-loader.h — a study's stored thumbnails as textures, decoded off the UI thread
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define LK_TYPE_THUMBNAIL_LOADER (lk_thumbnail_loader_get_type ())

G_DECLARE_FINAL_TYPE (LkThumbnailLoader, lk_thumbnail_loader, LK, THUMBNAIL_LOADER, GObject)

/**
 * LkThumbnailFunc:
 * @item: the item asked for
 * @texture: (nullable): its thumbnail, %NULL when it has none
 * @user_data: the data given to lk_thumbnail_loader_want()
 *
 * Called on the main thread.
 */
typedef void (*LkThumbnailFunc) (guint       item,
                                 GdkTexture *texture,
                                 gpointer    user_data);

LkThumbnailLoader *lk_thumbnail_loader_new        (const char        *study_path,
                                                   guint              cache_size,
                                                   GError           **error) G_GNUC_WARN_UNUSED_RESULT;
void               lk_thumbnail_loader_set_max_size (LkThumbnailLoader *self,
                                                   int                max_size);
GdkTexture        *lk_thumbnail_loader_lookup     (LkThumbnailLoader *self,
                                                   guint              item);
void               lk_thumbnail_loader_want       (LkThumbnailLoader *self,
                                                   guint              item,
                                                   LkThumbnailFunc    func,
                                                   gpointer           user_data);
void               lk_thumbnail_loader_want_object (LkThumbnailLoader *self,
                                                   guint              item,
                                                   LkThumbnailFunc    func,
                                                   GObject           *object);
void               lk_thumbnail_loader_unwant     (LkThumbnailLoader *self,
                                                   guint              item,
                                                   gpointer           user_data);
void               lk_thumbnail_loader_forget_all (LkThumbnailLoader *self);
void               lk_thumbnail_loader_want_picture (LkThumbnailLoader *self,
                                                     GtkPicture        *picture,
                                                     guint              item);
void               lk_thumbnail_loader_unwant_picture (LkThumbnailLoader *self,
                                                       GtkPicture        *picture);

G_END_DECLS
