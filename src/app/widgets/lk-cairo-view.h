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

/* Shared drawing helpers. */
void     lk_cairo_view_text   (cairo_t      *cr,
                               double        x,
                               double        y,
                               double        size,
                               double        align,
                               const char   *text);

G_END_DECLS
