/* lk-image-source.c — where a session's images come from (a demo collection or a study file)
 *
 * The sorting page asks for its images at the size it draws them, in device pixels (a tile's
 * edge times the scale factor): with the Cairo renderer a texture at that size is a plain copy
 * on every frame, where a larger one is filtered down on every frame, on the main thread. Its
 * pictures crop to a square ("cover"), so the textures are squares cropped the same way.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "lk-image-source.h"

G_DEFINE_INTERFACE (LkImageSource, lk_image_source, G_TYPE_OBJECT)

/* Without a size of its own, a source's image is scaled from the texture it has. */
static GdkTexture *
default_dup_texture_at_size (LkImageSource *self,
                             guint          item,
                             int            size)
{
  g_autoptr(GdkTexture) texture = lk_image_source_dup_texture (self, item);
  g_autoptr(GdkPixbuf) pixbuf = NULL;

  if (texture == NULL)
    return NULL;
  if (gdk_texture_get_width (texture) == size && gdk_texture_get_height (texture) == size)
    return g_steal_pointer (&texture);
  pixbuf = gdk_pixbuf_get_from_texture (texture);
  if (pixbuf == NULL)
    return g_steal_pointer (&texture);

  return lk_image_source_cover_texture (pixbuf, size);
}

static void
default_load_large_async (LkImageSource       *self,
                          guint                item,
                          int                  size,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, default_load_large_async);
  g_task_return_pointer (task, lk_image_source_dup_texture_at_size (self, item, size),
                         g_object_unref);
}

static GdkTexture *
default_load_large_finish (LkImageSource  *self,
                           GAsyncResult   *result,
                           GError        **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
lk_image_source_default_init (LkImageSourceInterface *iface)
{
  iface->dup_texture_at_size = default_dup_texture_at_size;
  iface->load_large_async = default_load_large_async;
  iface->load_large_finish = default_load_large_finish;
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
 * Returns: (transfer full): the image of @item, as the source keeps it (a study's thumbnail)
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

/**
 * lk_image_source_dup_texture_at_size:
 * @size: the edge of the square it is drawn at, in device pixels (1 to
 *   %LK_IMAGE_SOURCE_MAX_SIZE)
 *
 * The image scaled to cover a square of @size and cropped to it, centred (what a picture with
 * content-fit "cover" shows of it). Decoded on the calling thread unless
 * lk_image_source_prepare() had it made ahead.
 *
 * Returns: (transfer full): a texture of exactly @size x @size pixels
 */
GdkTexture *
lk_image_source_dup_texture_at_size (LkImageSource *self,
                                     guint          item,
                                     int            size)
{
  g_return_val_if_fail (LK_IS_IMAGE_SOURCE (self), NULL);
  g_return_val_if_fail (item < lk_image_source_get_n_items (self), NULL);
  g_return_val_if_fail (size > 0 && size <= LK_IMAGE_SOURCE_MAX_SIZE, NULL);

  return LK_IMAGE_SOURCE_GET_IFACE (self)->dup_texture_at_size (self, item, size);
}

/**
 * lk_image_source_prepare:
 * @items: (array length=n_items): images about to be shown
 * @sizes: (array length=n_sizes): the sizes they will be asked for
 *
 * A hint: a source that can decodes these ahead, off the main thread, so that
 * lk_image_source_dup_texture_at_size() only hands them over. A new call replaces the wishes
 * of the last one. Sources without a decoder ignore it.
 */
void
lk_image_source_prepare (LkImageSource *self,
                         const guint   *items,
                         guint          n_items,
                         const int     *sizes,
                         guint          n_sizes)
{
  LkImageSourceInterface *iface;

  g_return_if_fail (LK_IS_IMAGE_SOURCE (self));
  g_return_if_fail (items != NULL || n_items == 0);
  g_return_if_fail (sizes != NULL || n_sizes == 0);

  iface = LK_IMAGE_SOURCE_GET_IFACE (self);
  if (iface->prepare != NULL)
    iface->prepare (self, items, n_items, sizes, n_sizes);
}

/**
 * lk_image_source_load_large_async:
 * @size: the edge of the square, in device pixels
 *
 * As lk_image_source_dup_texture_at_size(), from the full image where the source has it
 * (a study's thumbnail is too small for a large view), decoded off the main thread.
 */
void
lk_image_source_load_large_async (LkImageSource       *self,
                                  guint                item,
                                  int                  size,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_return_if_fail (LK_IS_IMAGE_SOURCE (self));
  g_return_if_fail (item < lk_image_source_get_n_items (self));
  g_return_if_fail (size > 0 && size <= LK_IMAGE_SOURCE_MAX_SIZE);

  LK_IMAGE_SOURCE_GET_IFACE (self)->load_large_async (self, item, size, cancellable, callback,
                                                      user_data);
}

/**
 * lk_image_source_load_large_finish:
 *
 * Returns: (transfer full): the texture, or %NULL with @error set
 */
GdkTexture *
lk_image_source_load_large_finish (LkImageSource  *self,
                                   GAsyncResult   *result,
                                   GError        **error)
{
  g_return_val_if_fail (LK_IS_IMAGE_SOURCE (self), NULL);

  return LK_IMAGE_SOURCE_GET_IFACE (self)->load_large_finish (self, result, error);
}

/**
 * lk_image_source_cover_texture:
 * @pixbuf: an image
 * @size: the edge of the square, in pixels
 *
 * Scales @pixbuf to cover a square of @size, crops it to that square (centred) and makes a
 * texture of it, in the pixbuf's own format: GTK 4.8 converts R8G8B8 and R8G8B8A8 to what the
 * renderers use by a direct loop (see lk-thumbnail-loader.c). Safe on any thread.
 *
 * Returns: (transfer full): a texture of @size x @size pixels
 */
GdkTexture *
lk_image_source_cover_texture (GdkPixbuf *pixbuf,
                               int        size)
{
  g_autoptr(GdkPixbuf) square = NULL;
  int w, h;
  double scale;

  g_return_val_if_fail (GDK_IS_PIXBUF (pixbuf), NULL);
  g_return_val_if_fail (size > 0, NULL);

  w = gdk_pixbuf_get_width (pixbuf);
  h = gdk_pixbuf_get_height (pixbuf);
  if (w == size && h == size)
    return gdk_texture_new_for_pixbuf (pixbuf);

  /* Bilinear: gdk-pixbuf's bilinear filter averages over each destination pixel's area when
   * it shrinks, so small tiles keep fine detail without aliasing. */
  scale = (double) size / MAX (MIN (w, h), 1);
  square = gdk_pixbuf_new (GDK_COLORSPACE_RGB, gdk_pixbuf_get_has_alpha (pixbuf), 8, size, size);
  if (square == NULL)
    return gdk_texture_new_for_pixbuf (pixbuf);
  gdk_pixbuf_fill (square, 0);
  gdk_pixbuf_scale (pixbuf, square, 0, 0, size, size, -(w * scale - size) / 2.0,
                    -(h * scale - size) / 2.0, scale, scale, GDK_INTERP_BILINEAR);

  return gdk_texture_new_for_pixbuf (square);
}
