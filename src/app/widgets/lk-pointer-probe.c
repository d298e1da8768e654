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
#include <string.h>

#include "lk-pointer-probe.h"

#ifdef GDK_WINDOWING_X11
#include <gdk/x11/gdkx.h>
#endif

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

/* The X window of @window's surface, 0 on another windowing system. */
static gulong
window_xid (GtkWindow *window)
{
#ifdef GDK_WINDOWING_X11
  GdkSurface *surface = gtk_native_get_surface (GTK_NATIVE (window));

  if (surface != NULL && GDK_IS_X11_SURFACE (surface))
    return (gulong) gdk_x11_surface_get_xid (surface);
#endif

  return 0;
}

/* What a widget is called in a window's line: its id in a template or .ui file, else a name
 * given with gtk_widget_set_name(), else a button's label without its mnemonic ("Keep" for
 * "_Keep"), spaces as dashes; NULL for anything else. */
static char *button_label (GtkWidget *widget);

static char *
probe_name (GtkWidget *widget)
{
  const char *id = GTK_IS_BUILDABLE (widget) ? gtk_buildable_get_buildable_id (GTK_BUILDABLE (widget))
                                             : NULL;
  const char *name = gtk_widget_get_name (widget);

  /* GtkBuilder names the objects given no id "___object_N___": not a name. */
  if (id != NULL && id[0] != '\0' && !g_str_has_prefix (id, "___"))
    return g_strdup (id);
  if (name != NULL && g_strcmp0 (name, G_OBJECT_TYPE_NAME (widget)) != 0)
    return g_strdup (name);
  if (!GTK_IS_BUTTON (widget) || gtk_button_get_label (GTK_BUTTON (widget)) == NULL)
    return NULL;

  return button_label (widget);
}

/* A button's label without its mnemonic, spaces as dashes, an ellipsis dropped. */
static char *
button_label (GtkWidget *widget)
{
  const char *label = gtk_button_get_label (GTK_BUTTON (widget));
  GString *text = g_string_new (NULL);

  for (const char *c = label; *c != '\0'; c++)
    {
      if (*c == '_')
        continue;
      if (*c == ' ')
        g_string_append_c (text, '-');
      else if (g_str_has_prefix (c, "…"))
        c += strlen ("…") - 1;
      else
        g_string_append_c (text, *c);
    }

  return g_string_free (text, FALSE);
}

static void
append_named (GString   *line,
              GtkWidget *widget)
{
  g_autofree char *name = NULL;
  g_autofree char *label = NULL;

  if (!gtk_widget_get_mapped (widget))
    return;
  name = probe_name (widget);
  if (name != NULL)
    lk_pointer_probe_append_centre (line, name, widget);
  /* A button with an id inside a library's template (a toast's "action_button") goes by its
   * label too. */
  if (GTK_IS_BUTTON (widget) && gtk_button_get_label (GTK_BUTTON (widget)) != NULL
      && (label = button_label (widget)) != NULL && g_strcmp0 (label, name) != 0)
    lk_pointer_probe_append_centre (line, label, widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    append_named (line, child);
}

typedef struct {
  char            *name;
  LkProbeBusyFunc  busy;
  char            *line;
  guint            serial;
} WindowProbe;

static void
window_probe_free (gpointer data)
{
  WindowProbe *probe = data;

  g_free (probe->name);
  g_free (probe->line);
  g_free (probe);
}

static void
window_after_paint_cb (GdkFrameClock *clock,
                       GtkWindow     *window)
{
  WindowProbe *probe = g_object_get_data (G_OBJECT (window), "lk-pointer-probe");
  g_autoptr(GString) line = g_string_new (NULL);

  g_string_append (line, probe->name);
  if (probe->busy != NULL && probe->busy (window))
    g_string_append (line, " busy");
  g_string_append_printf (line, " xid=%lu", window_xid (window));
  append_named (line, GTK_WIDGET (window));
  if (g_strcmp0 (line->str, probe->line) == 0)
    return;
  g_free (probe->line);
  probe->line = g_strdup (line->str);
  g_print ("window %u %s\n", ++probe->serial, line->str);
  fflush (stdout);
}

static void
window_map_cb (GtkWindow *window)
{
  g_signal_connect_object (gtk_widget_get_frame_clock (GTK_WIDGET (window)), "after-paint",
                           G_CALLBACK (window_after_paint_cb), window, 0);
}

static void
window_unmap_cb (GtkWindow *window)
{
  WindowProbe *probe = g_object_get_data (G_OBJECT (window), "lk-pointer-probe");

  g_signal_handlers_disconnect_by_func (gtk_widget_get_frame_clock (GTK_WIDGET (window)),
                                        window_after_paint_cb, window);
  g_clear_pointer (&probe->line, g_free);
  g_print ("window %u %s unmapped\n", ++probe->serial, probe->name);
  fflush (stdout);
}

/**
 * lk_pointer_probe_watch_window:
 * @window: a window not yet shown
 * @name: what the window is called in the lines (no spaces)
 * @busy: (nullable): whether the window is still busy (its line then says "busy")
 *
 * With LIKENESS_PRINT_CENTRES set: after each painted frame that moved something, prints
 *   window SERIAL NAME [busy] xid=XID KEY=X,Y ...
 * with the X window of @window (for `xdotool getwindowgeometry`) and the centre of each mapped
 * widget that has an id in its .ui file, a name (gtk_widget_set_name()) or, for a button, a
 * label ("Keep" for "_Keep", "Import-from-CSV" for "_Import from CSV…"): a dialog's responses
 * and a toast's button included. "window SERIAL NAME unmapped" when it goes. Without the
 * variable it does nothing.
 */
void
lk_pointer_probe_watch_window (GtkWindow       *window,
                               const char      *name,
                               LkProbeBusyFunc  busy)
{
  WindowProbe *probe;

  g_return_if_fail (GTK_IS_WINDOW (window));
  g_return_if_fail (name != NULL);

  if (!lk_pointer_probe_enabled ())
    return;
  probe = g_new0 (WindowProbe, 1);
  probe->name = g_strdup (name);
  probe->busy = busy;
  g_object_set_data_full (G_OBJECT (window), "lk-pointer-probe", probe, window_probe_free);
  g_signal_connect (window, "map", G_CALLBACK (window_map_cb), NULL);
  g_signal_connect (window, "unmap", G_CALLBACK (window_unmap_cb), NULL);
  if (gtk_widget_get_mapped (GTK_WIDGET (window)))
    window_map_cb (window);
}
