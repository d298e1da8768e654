/* lk-pointer-probe.c — widget centres on standard output, for the real-pointer UI test
 *
 * tests/ui/test-pointer-drag.py drives the app with xdotool (real X pointer and key events
 * under Xvfb, GTK's own drag and drop over XDND). It needs to know where the widgets are: with
 * LIKENESS_PRINT_CENTRES=1 in the environment, the session view prints a line of centres after
 * every painted frame whose geometry changed (lk-session-view.c). Without the variable, nothing
 * of this runs.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <math.h>

#include "lk-pointer-probe.h"

/**
 * lk_pointer_probe_enabled:
 *
 * Returns: %TRUE if LIKENESS_PRINT_CENTRES is set (and not "0")
 */
gboolean
lk_pointer_probe_enabled (void)
{
  const char *value = g_getenv ("LIKENESS_PRINT_CENTRES");

  return value != NULL && value[0] != '\0' && g_strcmp0 (value, "0") != 0;
}

/**
 * lk_pointer_probe_append_centre:
 * @line: where to append " NAME=X,Y"
 * @widget: (nullable): a widget; nothing is appended unless it is mapped and has a size
 *
 * The centre is in the coordinates of the X window (the toplevel's surface): the widget's
 * centre in its native, plus the native's offset in its surface (the CSD shadow margin).
 * Adding the window's position on the screen gives what xdotool mousemove takes.
 */
void
lk_pointer_probe_append_centre (GString    *line,
                                const char *name,
                                GtkWidget  *widget)
{
  GtkNative *native;
  graphene_point_t centre, point;
  double sx = 0, sy = 0;

  if (widget == NULL || !gtk_widget_get_mapped (widget) || gtk_widget_get_width (widget) <= 0)
    return;

  native = gtk_widget_get_native (widget);
  centre = GRAPHENE_POINT_INIT (gtk_widget_get_width (widget) / 2.0f,
                                gtk_widget_get_height (widget) / 2.0f);
  if (native == NULL || !gtk_widget_compute_point (widget, GTK_WIDGET (native), &centre, &point))
    return;
  gtk_native_get_surface_transform (native, &sx, &sy);
  g_string_append_printf (line, " %s=%d,%d", name, (int) lround (point.x + sx),
                          (int) lround (point.y + sy));
}
