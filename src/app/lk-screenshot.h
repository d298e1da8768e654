/* lk-screenshot.h — a widget as GTK draws it, saved as PNG (for the README's screenshots)
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

G_END_DECLS
