/* lk-cairo-view.h — base of the experimenter's views: drawn with Cairo, exported as PNG/SVG/PDF
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define LK_TYPE_CAIRO_VIEW (lk_cairo_view_get_type ())

G_DECLARE_DERIVABLE_TYPE (LkCairoView, lk_cairo_view, LK, CAIRO_VIEW, GtkWidget)

struct _LkCairoViewClass
{
  GtkWidgetClass parent_class;

  void (*draw) (LkCairoView *self,
                cairo_t     *cr,
                int          width,
                int          height);
};

void     lk_cairo_view_render (LkCairoView  *self,
                               cairo_t      *cr,
                               int           width,
                               int           height);
void     lk_cairo_view_render_screen (LkCairoView *self,
                                      cairo_t     *cr,
                                      int          width,
                                      int          height,
                                      int          scale);
int      lk_cairo_view_get_screen_scale (LkCairoView *self);
gboolean lk_cairo_view_export (LkCairoView  *self,
                               const char   *path,
                               int           width,
                               int           height,
                               GError      **error);

/**
 * LkInk:
 * @LK_INK_BACKGROUND: the view's background
 * @LK_INK_TITLE: titles (contrast at least 7:1 on the background)
 * @LK_INK_TEXT: labels and values (at least 7:1)
 * @LK_INK_DIM_TEXT: secondary text: axis ticks, subtitles, hints (at least 4.5:1)
 * @LK_INK_FRAME: axes and frames
 * @LK_INK_GRID: grid lines, behind the data
 * @LK_INK_TRACK: the empty part of a bar, or an empty cell
 * @LK_INK_MUTED: data drawn for comparison, a point without a colour of its own
 *
 * The neutral colours of a view's drawing. Data colours (series, folders, classes) are
 * mid-tones that read on either background and are the view's own.
 */
typedef enum {
  LK_INK_BACKGROUND,
  LK_INK_TITLE,
  LK_INK_TEXT,
  LK_INK_DIM_TEXT,
  LK_INK_FRAME,
  LK_INK_GRID,
  LK_INK_TRACK,
  LK_INK_MUTED,
  LK_N_INKS,
} LkInk;

void     lk_cairo_view_set_ink (LkCairoView  *self,
                                cairo_t      *cr,
                                LkInk         ink);
gboolean lk_cairo_view_is_dark (LkCairoView  *self);
void     lk_cairo_view_get_ink_rgb (gboolean  dark,
                                    LkInk     ink,
                                    double    rgb[3]);
double   lk_contrast_ratio (const double a[3],
                            const double b[3]);

/* Shared drawing helpers. */
double   lk_cairo_view_text_width (cairo_t    *cr,
                                   double      size,
                                   const char *text);
void     lk_cairo_view_text   (cairo_t      *cr,
                               double        x,
                               double        y,
                               double        size,
                               double        align,
                               const char   *text);

G_END_DECLS
