/* lk-pointer-probe.h — widget centres on standard output, for the real-pointer UI test
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

gboolean lk_pointer_probe_enabled       (void);
void     lk_pointer_probe_append_centre (GString    *line,
                                         const char *name,
                                         GtkWidget  *widget);
typedef gboolean (*LkProbeBusyFunc) (GtkWindow *window);

void     lk_pointer_probe_watch_window  (GtkWindow       *window,
                                         const char      *name,
                                         LkProbeBusyFunc  busy);

G_END_DECLS
