/* lk-screenshot.h — a widget as GTK draws it, saved as PNG (for the README's screenshots), and
 * Cairo drawings saved as PNG, SVG or PDF (the exported figures and strips)
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

gboolean lk_widget_save_png (GtkWidget  *widget,
                             const char *path);

typedef gboolean (*LkScreenshotReadyFunc) (GtkWidget *window);

void     lk_window_save_png_when_ready (GtkWindow             *window,
                                        const char            *path,
                                        LkScreenshotReadyFunc  ready,
                                        guint                  frames);
void     lk_dialog_save_png_when_ready (GtkWindow             *dialog,
                                        GtkWindow             *parent,
                                        const char            *path);

/**
 * LkDrawFunc:
 * @cr: where to draw, @width x @height points
 *
 * Draws a figure, on screen or into a file.
 */
typedef void (*LkDrawFunc) (cairo_t  *cr,
                            int       width,
                            int       height,
                            gpointer  user_data);

gboolean lk_save_drawing    (const char  *path,
                             int          width,
                             int          height,
                             LkDrawFunc   draw,
                             gpointer     user_data,
                             GError     **error);

G_END_DECLS
