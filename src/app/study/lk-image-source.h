/* lk-image-source.h — where a session's images come from (a demo collection or a study file)
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define LK_TYPE_IMAGE_SOURCE (lk_image_source_get_type ())

G_DECLARE_INTERFACE (LkImageSource, lk_image_source, LK, IMAGE_SOURCE, GObject)

/**
 * LkImageSourceInterface:
 * @get_n_items: how many images
 * @dup_texture: an image as stored (a study's 256 px thumbnail)
 * @dup_title: its name
 * @dup_texture_at_size: (nullable): a square texture of the size asked for; without it, made
 *   from @dup_texture on the calling thread
 * @prepare: (nullable): a hint that these images will be asked for at these sizes soon
 * @load_large_async: (nullable): a large square texture from the full image, off the main
 *   thread; without it, @dup_texture_at_size's
 * @load_large_finish: its result
 */
struct _LkImageSourceInterface
{
  GTypeInterface parent_iface;

  guint        (*get_n_items)         (LkImageSource        *self);
  GdkTexture  *(*dup_texture)         (LkImageSource        *self,
                                       guint                 item);
  char        *(*dup_title)           (LkImageSource        *self,
                                       guint                 item);
  GdkTexture  *(*dup_texture_at_size) (LkImageSource        *self,
                                       guint                 item,
                                       int                   size);
  void         (*prepare)             (LkImageSource        *self,
                                       const guint          *items,
                                       guint                 n_items,
                                       const int            *sizes,
                                       guint                 n_sizes);
  void         (*load_large_async)    (LkImageSource        *self,
                                       guint                 item,
                                       int                   size,
                                       GCancellable         *cancellable,
                                       GAsyncReadyCallback   callback,
                                       gpointer              user_data);
  GdkTexture  *(*load_large_finish)   (LkImageSource        *self,
                                       GAsyncResult         *result,
                                       GError              **error);
};

/* The largest edge lk_image_source_dup_texture_at_size() makes, in pixels. */
#define LK_IMAGE_SOURCE_MAX_SIZE 4095

guint       lk_image_source_get_n_items         (LkImageSource        *self);
GdkTexture *lk_image_source_dup_texture         (LkImageSource        *self,
                                                 guint                 item) G_GNUC_WARN_UNUSED_RESULT;
char       *lk_image_source_dup_title           (LkImageSource        *self,
                                                 guint                 item) G_GNUC_WARN_UNUSED_RESULT;
GdkTexture *lk_image_source_dup_texture_at_size (LkImageSource        *self,
                                                 guint                 item,
                                                 int                   size) G_GNUC_WARN_UNUSED_RESULT;
void        lk_image_source_prepare             (LkImageSource        *self,
                                                 const guint          *items,
                                                 guint                 n_items,
                                                 const int            *sizes,
                                                 guint                 n_sizes);
void        lk_image_source_load_large_async    (LkImageSource        *self,
                                                 guint                 item,
                                                 int                   size,
                                                 GCancellable         *cancellable,
                                                 GAsyncReadyCallback   callback,
                                                 gpointer              user_data);
GdkTexture *lk_image_source_load_large_finish   (LkImageSource        *self,
                                                 GAsyncResult         *result,
                                                 GError              **error) G_GNUC_WARN_UNUSED_RESULT;

GdkTexture *lk_image_source_cover_texture       (GdkPixbuf            *pixbuf,
                                                 int                   size) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
