/* lk-image-source.h — where a session's images come from (a demo collection or a study file)
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define LK_TYPE_IMAGE_SOURCE (lk_image_source_get_type ())

G_DECLARE_INTERFACE (LkImageSource, lk_image_source, LK, IMAGE_SOURCE, GObject)

struct _LkImageSourceInterface
{
  GTypeInterface parent_iface;

  guint        (*get_n_items) (LkImageSource *self);
  GdkTexture  *(*dup_texture) (LkImageSource *self,
                               guint          item);
  char        *(*dup_title)   (LkImageSource *self,
                               guint          item);
};

guint       lk_image_source_get_n_items (LkImageSource *self);
GdkTexture *lk_image_source_dup_texture (LkImageSource *self,
                                         guint          item) G_GNUC_WARN_UNUSED_RESULT;
char       *lk_image_source_dup_title   (LkImageSource *self,
                                         guint          item) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
