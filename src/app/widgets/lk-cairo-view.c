/* lk-cairo-view.c — base of the experimenter's views: drawn with Cairo, exported as PNG/SVG/PDF
 *
 * Each view draws itself in one function, LkCairoViewClass.draw, onto any cairo_t: the
 * widget's snapshot (gtk_snapshot_append_cairo, as font-viewer's sushi_font_widget_snapshot),
 * an image surface in the tests, or a PNG, SVG or PDF surface when the experimenter exports a
 * figure. So the exported figure is exactly what is on screen, at any size, but for one thing:
 * on screen the views follow the dark style (AdwStyleManager), while exports always have the
 * light background, being figures meant to be pasted into papers. Views take their neutral
 * colours from lk_cairo_view_set_ink(), which picks them for the draw under way.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <adwaita.h>
#include <gio/gio.h>
#include <glib/gi18n.h>
#include <math.h>
#include <string.h>
#include <pango/pangocairo.h>

#include "lk-cairo-view.h"
#include "lk-screenshot.h"

typedef struct {
  int      on_screen;   /* the device scale while drawing for the screen, else 0 */
  gboolean dark;        /* drawing in the dark style (only ever on screen) */
} LkCairoViewPrivate;

G_DEFINE_TYPE_WITH_PRIVATE (LkCairoView, lk_cairo_view, GTK_TYPE_WIDGET)

/* The neutral inks, light and dark. The dark background is libadwaita's dark view background
 * (#1e1e1e), so a view sits in the window as a text view would; the light one is white, as the
 * exported figures. Text inks keep at least 7:1 (titles, text) and 4.5:1 (dim text) on their
 * background in both, WCAG 2's AAA and AA levels; test-experimenter-views checks the ratios. */
static const double inks[2][LK_N_INKS][3] = {
  {
    [LK_INK_BACKGROUND] = { 1.0, 1.0, 1.0 },
    [LK_INK_TITLE] = { 0.15, 0.15, 0.17 },
    [LK_INK_TEXT] = { 0.25, 0.25, 0.25 },
    [LK_INK_DIM_TEXT] = { 0.4, 0.4, 0.42 },
    [LK_INK_FRAME] = { 0.3, 0.3, 0.3 },
    [LK_INK_GRID] = { 0.88, 0.88, 0.88 },
    [LK_INK_TRACK] = { 0.9, 0.9, 0.9 },
    [LK_INK_MUTED] = { 0.5, 0.5, 0.5 },
  },
  {
    [LK_INK_BACKGROUND] = { 0.118, 0.118, 0.118 },
    [LK_INK_TITLE] = { 0.94, 0.94, 0.94 },
    [LK_INK_TEXT] = { 0.86, 0.86, 0.86 },
    [LK_INK_DIM_TEXT] = { 0.68, 0.68, 0.7 },
    [LK_INK_FRAME] = { 0.62, 0.62, 0.62 },
    [LK_INK_GRID] = { 0.24, 0.24, 0.24 },
    [LK_INK_TRACK] = { 0.22, 0.22, 0.22 },
    [LK_INK_MUTED] = { 0.6, 0.6, 0.6 },
  },
};

static void
dark_changed_cb (LkCairoView *self)
{
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

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
  /* Without libadwaita set up (some tests) there is no style manager: the views draw light. */
  if (adw_is_initialized ())
    g_signal_connect_object (adw_style_manager_get_default (), "notify::dark",
                             G_CALLBACK (dark_changed_cb), self, G_CONNECT_SWAPPED);
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
  lk_cairo_view_set_ink (self, cr, LK_INK_BACKGROUND);
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
  priv->dark = adw_is_initialized ()
               && adw_style_manager_get_dark (adw_style_manager_get_default ());
  lk_cairo_view_render (self, cr, width, height);
  priv->on_screen = 0;
  priv->dark = FALSE;
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

static PangoLayout *
make_layout (cairo_t    *cr,
             double      size,
             const char *text)
{
  PangoLayout *layout = pango_cairo_create_layout (cr);
  PangoFontDescription *desc = pango_font_description_new ();

  pango_font_description_set_family (desc, "Sans");
  pango_font_description_set_absolute_size (desc, size * PANGO_SCALE);
  pango_layout_set_font_description (layout, desc);
  pango_layout_set_text (layout, text, -1);
  pango_font_description_free (desc);

  return layout;
}

/**
 * lk_cairo_view_text_width:
 *
 * Returns: the width lk_cairo_view_text() gives @text at @size
 */
double
lk_cairo_view_text_width (cairo_t    *cr,
                          double      size,
                          const char *text)
{
  PangoLayout *layout = make_layout (cr, size, text);
  int w, h;

  pango_layout_get_pixel_size (layout, &w, &h);
  g_object_unref (layout);

  return w;
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
  PangoLayout *layout = make_layout (cr, size, text);
  int w, h;

  pango_layout_get_pixel_size (layout, &w, &h);
  cairo_move_to (cr, x - align * w, y);
  pango_cairo_show_layout (cr, layout);
  g_object_unref (layout);
}

/**
 * lk_cairo_view_is_dark:
 *
 * Returns: whether the draw under way is in the dark style (only ever on screen)
 */
gboolean
lk_cairo_view_is_dark (LkCairoView *self)
{
  LkCairoViewPrivate *priv = lk_cairo_view_get_instance_private (self);

  g_return_val_if_fail (LK_IS_CAIRO_VIEW (self), FALSE);

  return priv->dark;
}

/**
 * lk_cairo_view_get_ink_rgb:
 * @dark: the dark style's ink, or the light one's
 * @rgb: (out): the ink
 */
void
lk_cairo_view_get_ink_rgb (gboolean dark,
                           LkInk    ink,
                           double   rgb[3])
{
  g_return_if_fail (ink < LK_N_INKS);

  memcpy (rgb, inks[dark ? 1 : 0][ink], 3 * sizeof (double));
}

/**
 * lk_cairo_view_set_ink:
 *
 * Makes @ink, in the style of the draw under way, @cr's source.
 */
void
lk_cairo_view_set_ink (LkCairoView *self,
                       cairo_t     *cr,
                       LkInk        ink)
{
  double rgb[3];

  g_return_if_fail (LK_IS_CAIRO_VIEW (self));

  lk_cairo_view_get_ink_rgb (lk_cairo_view_is_dark (self), ink, rgb);
  cairo_set_source_rgb (cr, rgb[0], rgb[1], rgb[2]);
}

/* WCAG 2's relative luminance of an sRGB colour. */
static double
luminance (const double rgb[3])
{
  double l[3];

  for (int i = 0; i < 3; i++)
    l[i] = rgb[i] <= 0.04045 ? rgb[i] / 12.92 : pow ((rgb[i] + 0.055) / 1.055, 2.4);

  return 0.2126 * l[0] + 0.7152 * l[1] + 0.0722 * l[2];
}

/**
 * lk_contrast_ratio:
 *
 * Returns: WCAG 2's contrast ratio of two sRGB colours, from 1 (the same) to 21 (black on
 *   white); text needs 4.5 (AA)
 */
double
lk_contrast_ratio (const double a[3],
                   const double b[3])
{
  double la = luminance (a), lb = luminance (b);

  return (MAX (la, lb) + 0.05) / (MIN (la, lb) + 0.05);
}
