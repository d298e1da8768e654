/* lk-screenshot.c
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "lk-screenshot.h"

/**
 * lk_widget_save_png:
 * @widget: a realised widget that has been painted at least once
 * @path: the PNG file to write
 *
 * Saves @widget as drawn by GTK's own renderer (GTK-RECIPE.md section 4), no screen grabber.
 *
 * Returns: %TRUE on success; %FALSE after a warning
 */
gboolean
lk_widget_save_png (GtkWidget  *widget,
                    const char *path)
{
  int w = gtk_widget_get_width (widget);
  int h = gtk_widget_get_height (widget);
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;

  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), w, h);
  node = gtk_snapshot_free_to_node (snapshot);
  if (node == NULL)
    {
      g_warning ("nothing drawn yet, no screenshot");
      return FALSE;
    }
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (gtk_widget_get_native (widget)),
                                         node, &GRAPHENE_RECT_INIT (0, 0, w, h));
  if (!gdk_texture_save_to_png (texture, path))
    {
      g_warning ("could not write %s", path);
      return FALSE;
    }

  return TRUE;
}
