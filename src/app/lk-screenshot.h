/* lk-screenshot.h — a widget as GTK draws it, saved as PNG (for the README's screenshots)
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

gboolean lk_widget_save_png (GtkWidget  *widget,
                             const char *path);

G_END_DECLS
