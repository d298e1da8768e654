/* lk-thumbs.c — small pictures of a collection's items for the Cairo views
 *
 * Either solid colours (the colour datasets: the item is its colour) or small image surfaces
 * made once from an LkImageSource's textures, so drawing thousands of items per frame only
 * scales ready surfaces and never decodes an image.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "lk-thumbs.h"

struct _LkThumbs
{
  guint             n_items;
  double           *rgb;        /* n x 3, or NULL */
  cairo_surface_t **surfaces;   /* n, or NULL */
  guint             size;
};

static void
thumbs_clear (gpointer data)
{
  LkThumbs *self = data;

  if (self->surfaces != NULL)
    for (guint i = 0; i < self->n_items; i++)
      cairo_surface_destroy (self->surfaces[i]);
  g_free (self->surfaces);
  g_free (self->rgb);
}

/**
 * lk_thumbs_new_from_colours:
 * @rgb: (array): @n_items x 3 colours in [0, 1]
 *
 * Returns: (transfer full): thumbnails that are solid colours
 */
LkThumbs *
lk_thumbs_new_from_colours (const double *rgb,
                            guint         n_items)
{
  LkThumbs *self = g_rc_box_new0 (LkThumbs);

  self->n_items = n_items;
  self->rgb = g_memdup2 (rgb, sizeof (double) * 3 * n_items);

  return self;
}

/**
 * lk_thumbs_new_from_source:
 * @size: edge of the small surfaces, in pixels
 *
 * Scales every texture of @source down once.
 *
 * Returns: (transfer full): the thumbnails
 */
LkThumbs *
lk_thumbs_new_from_source (LkImageSource *source,
                           guint          size)
{
  LkThumbs *self = g_rc_box_new0 (LkThumbs);

  self->n_items = lk_image_source_get_n_items (source);
  self->size = size;
  self->surfaces = g_new0 (cairo_surface_t *, self->n_items);
  for (guint i = 0; i < self->n_items; i++)
    {
      g_autoptr(GdkTexture) texture = lk_image_source_dup_texture (source, i);
      int w = gdk_texture_get_width (texture), h = gdk_texture_get_height (texture);
      cairo_surface_t *full = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, w, h);
      cairo_surface_t *small = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, size, size);
      cairo_t *cr;

      gdk_texture_download (texture, cairo_image_surface_get_data (full),
                            cairo_image_surface_get_stride (full));
      cairo_surface_mark_dirty (full);
      cr = cairo_create (small);
      cairo_scale (cr, (double) size / w, (double) size / h);
      cairo_set_source_surface (cr, full, 0, 0);
      cairo_pattern_set_filter (cairo_get_source (cr), CAIRO_FILTER_GOOD);
      cairo_paint (cr);
      cairo_destroy (cr);
      cairo_surface_destroy (full);
      self->surfaces[i] = small;
    }

  return self;
}

LkThumbs *
lk_thumbs_ref (LkThumbs *self)
{
  return g_rc_box_acquire (self);
}

void
lk_thumbs_unref (LkThumbs *self)
{
  g_rc_box_release_full (self, thumbs_clear);
}

guint
lk_thumbs_get_n_items (LkThumbs *self)
{
  return self->n_items;
}

/**
 * lk_thumbs_paint:
 *
 * Paints item @item as a square of edge @size centred on (@cx, @cy).
 */
void
lk_thumbs_paint (LkThumbs *self,
                 cairo_t  *cr,
                 guint     item,
                 double    cx,
                 double    cy,
                 double    size)
{
  g_return_if_fail (self != NULL && item < self->n_items);

  if (self->rgb != NULL)
    {
      cairo_set_source_rgb (cr, self->rgb[3 * item], self->rgb[3 * item + 1],
                            self->rgb[3 * item + 2]);
      cairo_rectangle (cr, cx - size / 2, cy - size / 2, size, size);
      cairo_fill (cr);
      return;
    }

  cairo_save (cr);
  cairo_translate (cr, cx - size / 2, cy - size / 2);
  cairo_scale (cr, size / self->size, size / self->size);
  cairo_set_source_surface (cr, self->surfaces[item], 0, 0);
  cairo_pattern_set_filter (cairo_get_source (cr),
                            size < self->size ? CAIRO_FILTER_FAST : CAIRO_FILTER_GOOD);
  cairo_paint (cr);
  cairo_restore (cr);
}
