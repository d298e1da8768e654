/* lk-screenshot.c
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <glib/gi18n.h>

#include "lk-screenshot.h"

/**
 * lk_widget_save_png:
 * @widget: a realised widget that has been painted at least once
 * @path: the PNG file to write
 *
 * Saves @widget as drawn by GTK's own renderer (its paintable's render node, rendered to a
 * texture by the window's renderer), no screen grabber: it works under Xvfb and in CI, with
 * either renderer, and gives exactly the window.
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

/* Returns @widget's render node as last drawn, or NULL before its first frame. */
static GskRenderNode *
widget_node (GtkWidget *widget)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  GtkSnapshot *snapshot = gtk_snapshot_new ();

  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), gtk_widget_get_width (widget),
                          gtk_widget_get_height (widget));

  return gtk_snapshot_free_to_node (snapshot);
}

/* Saves @dialog drawn over the middle of @parent, as a desktop shows a modal dialog on its
 * window (with no window manager, under Xvfb, both sit at the screen's corner instead). */
static gboolean
save_png_over (GtkWidget  *dialog,
               GtkWidget  *parent,
               const char *path)
{
  int w = gtk_widget_get_width (parent), h = gtk_widget_get_height (parent);
  int dw = gtk_widget_get_width (dialog), dh = gtk_widget_get_height (dialog);
  g_autoptr(GskRenderNode) under = widget_node (parent);
  g_autoptr(GskRenderNode) over = widget_node (dialog);
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  GtkSnapshot *snapshot;

  if (under == NULL || over == NULL)
    {
      g_warning ("nothing drawn yet, no screenshot");
      return FALSE;
    }
  snapshot = gtk_snapshot_new ();
  gtk_snapshot_append_node (snapshot, under);
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (MAX (0, (w - dw) / 2),
                                                         MAX (0, (h - dh) / 2)));
  gtk_snapshot_append_node (snapshot, over);
  gtk_snapshot_restore (snapshot);
  node = gtk_snapshot_free_to_node (snapshot);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (gtk_widget_get_native (parent)),
                                         node, &GRAPHENE_RECT_INIT (0, 0, w, h));
  if (!gdk_texture_save_to_png (texture, path))
    {
      g_warning ("could not write %s", path);
      return FALSE;
    }

  return TRUE;
}

typedef struct {
  GtkWidget            *window; /* borrowed: the tick and paint callbacks end with it */
  GtkWidget            *under;  /* (nullable): the window @window is drawn over */
  char                 *path;
  LkScreenshotReadyFunc ready;
  guint                 frames;
  guint                 seen;
  gboolean              painting; /* handed from the tick callback to the paint callback */
} Pending;

static void
pending_free (gpointer data)
{
  Pending *p = data;

  g_clear_object (&p->under);
  g_free (p->path);
  g_free (p);
}

static void
pending_tick_done (gpointer data)
{
  Pending *p = data;

  if (!p->painting)
    pending_free (p);
}

static gboolean
destroy_idle_cb (gpointer data)
{
  gtk_window_destroy (GTK_WINDOW (data));

  return G_SOURCE_REMOVE;
}

/* Saved right after a frame is painted, when the window's render node is the one on screen:
 * saved from the tick callback (before layout), a thumbnail handed over since the last frame
 * had already dropped it, and there was nothing to save. */
static void
pending_after_paint_cb (GdkFrameClock *clock,
                        gpointer       user_data)
{
  Pending *p = user_data;

  g_signal_handlers_disconnect_by_func (clock, pending_after_paint_cb, p);
  if (p->under != NULL && gtk_widget_get_mapped (p->under))
    save_png_over (p->window, p->under, p->path);
  else
    lk_widget_save_png (p->window, p->path);
  g_idle_add_full (G_PRIORITY_HIGH, destroy_idle_cb, g_object_ref (p->window), g_object_unref);
  pending_free (p);
}

static gboolean
pending_tick_cb (GtkWidget     *widget,
                 GdkFrameClock *clock,
                 gpointer       user_data)
{
  Pending *p = user_data;

  if (!gtk_widget_get_mapped (widget) || (p->ready != NULL && !p->ready (widget)))
    {
      p->seen = 0;
      return G_SOURCE_CONTINUE;
    }
  if (++p->seen < p->frames)
    return G_SOURCE_CONTINUE;
  p->painting = TRUE;
  g_signal_connect (clock, "after-paint", G_CALLBACK (pending_after_paint_cb), p);
  gtk_widget_queue_draw (widget);

  return G_SOURCE_REMOVE;
}

/**
 * lk_window_save_png_when_ready:
 * @window: a window about to be shown
 * @path: the PNG file to write
 * @ready: (nullable): whether @window is ready (its workers done), asked on every frame
 * @frames: how many frames in a row it must be ready (thumbnails come in over a few)
 *
 * Saves @window with lk_widget_save_png() once it is ready, right after its next frame is
 * painted, then destroys it. Every window's --screenshot goes through here.
 */
void
lk_window_save_png_when_ready (GtkWindow             *window,
                               const char            *path,
                               LkScreenshotReadyFunc  ready,
                               guint                  frames)
{
  Pending *p = g_new0 (Pending, 1);

  p->window = GTK_WIDGET (window);
  p->path = g_strdup (path);
  p->ready = ready;
  p->frames = MAX (frames, 1);
  gtk_widget_add_tick_callback (GTK_WIDGET (window), pending_tick_cb, p, pending_tick_done);
}

/**
 * lk_dialog_save_png_when_ready:
 * @dialog: a dialog about to be shown, transient for @parent
 * @parent: its window, shown
 * @path: the PNG file to write
 *
 * As lk_window_save_png_when_ready(), but the picture is @parent with @dialog drawn over its
 * middle, as a desktop shows a modal dialog; then @dialog is destroyed.
 */
void
lk_dialog_save_png_when_ready (GtkWindow  *dialog,
                               GtkWindow  *parent,
                               const char *path)
{
  Pending *p = g_new0 (Pending, 1);

  p->window = GTK_WIDGET (dialog);
  p->under = g_object_ref (GTK_WIDGET (parent));
  p->path = g_strdup (path);
  p->frames = 4;
  gtk_widget_add_tick_callback (GTK_WIDGET (dialog), pending_tick_cb, p, pending_tick_done);
}

/**
 * lk_save_drawing:
 * @path: ends in .png (drawn at twice @width x @height, for sharpness), .svg or .pdf
 * @width: size in points
 * @draw: draws the figure
 *
 * Returns: %FALSE with @error set if the name has another ending or the file could not be
 *   written
 */
gboolean
lk_save_drawing (const char  *path,
                 int          width,
                 int          height,
                 LkDrawFunc   draw,
                 gpointer     user_data,
                 GError     **error)
{
  g_autofree char *lower = g_ascii_strdown (path, -1);
  cairo_surface_t *surface;
  cairo_status_t status;
  gboolean png = FALSE;
  cairo_t *cr;

  /* The ending in any case: "Figure.PNG" is a PNG. */
  if (g_str_has_suffix (lower, ".svg"))
    surface = cairo_svg_surface_create (path, width, height);
  else if (g_str_has_suffix (lower, ".pdf"))
    surface = cairo_pdf_surface_create (path, width, height);
  else if (g_str_has_suffix (lower, ".png"))
    {
      surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 2 * width, 2 * height);
      cairo_surface_set_device_scale (surface, 2, 2);
      png = TRUE;
    }
  else
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("Cannot save “%s”: use a name ending in .png, .svg or .pdf"), path);
      return FALSE;
    }

  cr = cairo_create (surface);
  draw (cr, width, height, user_data);
  cairo_destroy (cr);
  cairo_surface_flush (surface);
  status = png ? cairo_surface_write_to_png (surface, path) : CAIRO_STATUS_SUCCESS;
  cairo_surface_finish (surface);
  if (status == CAIRO_STATUS_SUCCESS)
    status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);

  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("Cannot save “%s”: %s"), path,
                   cairo_status_to_string (status));
      return FALSE;
    }

  return TRUE;
}
