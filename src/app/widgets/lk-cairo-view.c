/* lk-cairo-view.c — base of the experimenter's views: drawn with Cairo, exported as PNG/SVG/PDF
 *
 * Each view draws itself in one function, LkCairoViewClass.draw, onto any cairo_t: the
 * widget's snapshot (gtk_snapshot_append_cairo, as font-viewer's sushi_font_widget_snapshot),
 * an image surface in the tests, or a PNG, SVG or PDF surface when the experimenter exports a
 * figure. So the exported figure is exactly what is on screen, at any size. Views draw their
 * own light background: they are figures, meant to be pasted into papers.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n.h>
#include <pango/pangocairo.h>

#include "lk-cairo-view.h"
#include "lk-screenshot.h"

typedef struct {
  int on_screen;   /* the device scale while drawing for the screen, else 0 */
} LkCairoViewPrivate;

G_DEFINE_TYPE_WITH_PRIVATE (LkCairoView, lk_cairo_view, GTK_TYPE_WIDGET)

static void
lk_cairo_view_snapshot (GtkWidget   *widget,
                        GtkSnapshot *snapshot)
{
  LkCairoView *self = LK_CAIRO_VIEW (widget);
  int w = gtk_widget_get_width (widget);
  int h = gtk_widget_get_height (widget);
  cairo_t *cr;

  if (w <= 0 || h <= 0)
    return;

  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, w, h));
  lk_cairo_view_render_screen (self, cr, w, h, gtk_widget_get_scale_factor (widget));
  cairo_destroy (cr);
}

static void
lk_cairo_view_class_init (LkCairoViewClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  widget_class->snapshot = lk_cairo_view_snapshot;
}

static void
lk_cairo_view_init (LkCairoView *self)
{
}

/**
 * lk_cairo_view_render:
 *
 * Draws the view into @cr, @width x @height user units from the origin.
 */
void
lk_cairo_view_render (LkCairoView *self,
                      cairo_t     *cr,
                      int          width,
                      int          height)
{
  LkCairoViewClass *klass;

  g_return_if_fail (LK_IS_CAIRO_VIEW (self));

  cairo_save (cr);
  cairo_rectangle (cr, 0, 0, width, height);
  cairo_clip (cr);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  klass = LK_CAIRO_VIEW_GET_CLASS (self);
  if (klass->draw != NULL)
    klass->draw (self, cr, width, height);
  cairo_restore (cr);
}

/**
 * lk_cairo_view_render_screen:
 * @scale: device pixels per user unit of @cr's target
 *
 * As lk_cairo_view_render(), for the screen: views may then draw through fast raster paths
 * (whole pixels at @scale) instead of the vector drawing that exports get.
 */
void
lk_cairo_view_render_screen (LkCairoView *self,
                             cairo_t     *cr,
                             int          width,
                             int          height,
                             int          scale)
{
  LkCairoViewPrivate *priv = lk_cairo_view_get_instance_private (self);

  g_return_if_fail (LK_IS_CAIRO_VIEW (self));

  priv->on_screen = MAX (scale, 1);
  lk_cairo_view_render (self, cr, width, height);
  priv->on_screen = 0;
}

/**
 * lk_cairo_view_get_screen_scale:
 *
 * Returns: during a draw for the screen, its device scale; else 0 (an export or a test)
 */
int
lk_cairo_view_get_screen_scale (LkCairoView *self)
{
  LkCairoViewPrivate *priv = lk_cairo_view_get_instance_private (self);

  g_return_val_if_fail (LK_IS_CAIRO_VIEW (self), 0);

  return priv->on_screen;
}

/**
 * lk_cairo_view_export:
 * @path: ends in .png, .svg or .pdf (in any case)
 * @width: size in points (pixels for PNG, drawn at twice that for sharpness), or 0 for the
 *   widget's size
 *
 * Returns: %FALSE with @error set if the format is unknown or the file could not be written
 */
static void
export_draw (cairo_t  *cr,
             int       width,
             int       height,
             gpointer  user_data)
{
  lk_cairo_view_render (user_data, cr, width, height);
}

gboolean
lk_cairo_view_export (LkCairoView  *self,
                      const char   *path,
                      int           width,
                      int           height,
                      GError      **error)
{
  g_return_val_if_fail (LK_IS_CAIRO_VIEW (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (width <= 0 || height <= 0)
    {
      width = MAX (gtk_widget_get_width (GTK_WIDGET (self)), 400);
      height = MAX (gtk_widget_get_height (GTK_WIDGET (self)), 300);
    }

  return lk_save_drawing (path, width, height, export_draw, self, error);
}

/**
 * lk_cairo_view_text:
 * @align: 0 left, 0.5 centred, 1 right of @x; @y is the top of the text
 *
 * Draws one line of text in the current source colour.
 */
void
lk_cairo_view_text (cairo_t    *cr,
                    double      x,
                    double      y,
                    double      size,
                    double      align,
                    const char *text)
{
  PangoLayout *layout = pango_cairo_create_layout (cr);
  PangoFontDescription *desc = pango_font_description_new ();
  int w, h;

  pango_font_description_set_family (desc, "Sans");
  pango_font_description_set_absolute_size (desc, size * PANGO_SCALE);
  pango_layout_set_font_description (layout, desc);
  pango_layout_set_text (layout, text, -1);
  pango_layout_get_pixel_size (layout, &w, &h);
  cairo_move_to (cr, x - align * w, y);
  pango_cairo_show_layout (cr, layout);
  pango_font_description_free (desc);
  g_object_unref (layout);
}
