/* lk-image-source.c — where a session's images come from (a demo collection or a study file)
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "lk-image-source.h"

G_DEFINE_INTERFACE (LkImageSource, lk_image_source, G_TYPE_OBJECT)

static void
lk_image_source_default_init (LkImageSourceInterface *iface)
{
}

/**
 * lk_image_source_get_n_items:
 *
 * Returns: how many images the source holds; items are 0..n-1
 */
guint
lk_image_source_get_n_items (LkImageSource *self)
{
  g_return_val_if_fail (LK_IS_IMAGE_SOURCE (self), 0);

  return LK_IMAGE_SOURCE_GET_IFACE (self)->get_n_items (self);
}

/**
 * lk_image_source_dup_texture:
 *
 * Returns: (transfer full): the image of @item
 */
GdkTexture *
lk_image_source_dup_texture (LkImageSource *self,
                             guint          item)
{
  g_return_val_if_fail (LK_IS_IMAGE_SOURCE (self), NULL);
  g_return_val_if_fail (item < lk_image_source_get_n_items (self), NULL);

  return LK_IMAGE_SOURCE_GET_IFACE (self)->dup_texture (self, item);
}

/**
 * lk_image_source_dup_title:
 *
 * Returns: (transfer full): a short description of @item for screen readers and tooltips
 */
char *
lk_image_source_dup_title (LkImageSource *self,
                           guint          item)
{
  g_return_val_if_fail (LK_IS_IMAGE_SOURCE (self), NULL);
  g_return_val_if_fail (item < lk_image_source_get_n_items (self), NULL);

  return LK_IMAGE_SOURCE_GET_IFACE (self)->dup_title (self, item);
}
