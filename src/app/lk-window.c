/* lk-window.c — the main window: start page, then a participant's session
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "lk-window.h"
#include "lk-start-page.h"

struct _LkWindow
{
  AdwApplicationWindow  parent_instance;

  /* Template widgets */
  AdwToastOverlay      *toast_overlay;
  GtkStack             *stack;
  LkStartPage          *start_page;

  /* Owned references */
  GSettings            *settings;
  char                 *screenshot_path;

  /* State */
  guint                 screenshot_frames;
};

G_DEFINE_FINAL_TYPE (LkWindow, lk_window, ADW_TYPE_APPLICATION_WINDOW)

static void
toast (LkWindow   *self,
       const char *message)
{
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (message));
}

static void
start_demo_cb (LkWindow    *self,
               const char  *name,
               LkStartPage *page)
{
  toast (self, _("Demo studies are not ready yet"));
}

static void
open_study_cb (LkWindow    *self,
               GFile       *file,
               LkStartPage *page)
{
  lk_window_open_study (self, file);
}

/* Saves the window as drawn by GTK's own renderer (GTK-RECIPE.md section 4). Returns FALSE on
 * failure, after a warning. */
static gboolean
save_png (GtkWidget  *widget,
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

static gboolean
screenshot_tick_cb (GtkWidget     *widget,
                    GdkFrameClock *clock,
                    gpointer       user_data)
{
  LkWindow *self = LK_WINDOW (widget);

  /* A few frames after mapping, so that layout and textures have settled. */
  if (!gtk_widget_get_mapped (widget) || gtk_widget_get_width (widget) == 0
      || ++self->screenshot_frames < 4)
    return G_SOURCE_CONTINUE;

  save_png (widget, self->screenshot_path);
  gtk_window_destroy (GTK_WINDOW (self));

  return G_SOURCE_REMOVE;
}

static void
lk_window_dispose (GObject *object)
{
  LkWindow *self = (LkWindow *)object;

  gtk_widget_dispose_template (GTK_WIDGET (self), LK_TYPE_WINDOW);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (lk_window_parent_class)->dispose (object);
}

static void
lk_window_finalize (GObject *object)
{
  LkWindow *self = (LkWindow *)object;

  g_clear_pointer (&self->screenshot_path, g_free);

  G_OBJECT_CLASS (lk_window_parent_class)->finalize (object);
}

static void
lk_window_class_init (LkWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = lk_window_dispose;
  object_class->finalize = lk_window_finalize;

  g_type_ensure (LK_TYPE_START_PAGE);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/likeness/Likeness/ui/lk-window.ui");
  gtk_widget_class_bind_template_child (widget_class, LkWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, LkWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, LkWindow, start_page);
  gtk_widget_class_bind_template_callback (widget_class, start_demo_cb);
  gtk_widget_class_bind_template_callback (widget_class, open_study_cb);
}

static void
lk_window_init (LkWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->settings = g_settings_new ("io.github.likeness.Likeness");
  g_settings_bind (self->settings, "window-width", self, "default-width", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "window-height", self, "default-height",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "window-maximized", self, "maximized", G_SETTINGS_BIND_DEFAULT);
}

/**
 * lk_window_new:
 * @application: (nullable): the application, or %NULL in tests
 */
LkWindow *
lk_window_new (LkApplication *application)
{
  return g_object_new (LK_TYPE_WINDOW, "application", application, NULL);
}

/**
 * lk_window_get_visible_page:
 *
 * Returns: (transfer none): "start" or "session"
 */
const char *
lk_window_get_visible_page (LkWindow *self)
{
  g_return_val_if_fail (LK_IS_WINDOW (self), NULL);

  return gtk_stack_get_visible_child_name (self->stack);
}

/**
 * lk_window_show_page:
 * @page: "start", or "sort" for a colours demo part-way through its first grid (for screenshots)
 *
 * Returns: %FALSE if @page is unknown
 */
gboolean
lk_window_show_page (LkWindow   *self,
                     const char *page)
{
  g_return_val_if_fail (LK_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (page != NULL, FALSE);

  if (g_str_equal (page, "start"))
    {
      gtk_stack_set_visible_child_name (self->stack, "start");
      return TRUE;
    }

  return FALSE;
}

/**
 * lk_window_open_study:
 * @file: a .likeness study file
 *
 * Opens a study file and offers to start a session on it.
 */
void
lk_window_open_study (LkWindow *self,
                      GFile    *file)
{
  g_autofree char *name = NULL;
  g_autofree char *message = NULL;

  g_return_if_fail (LK_IS_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));

  /* The study file layer (src/store) has not landed yet: say so rather than pretend. */
  name = g_file_get_basename (file);
  message = g_strdup_printf (_("Cannot open “%s”: this build only runs the demo studies"), name);
  toast (self, message);
}

/**
 * lk_window_save_screenshot:
 * @path: where to write the PNG
 *
 * Once the window is mapped and has drawn a few frames, saves it as a PNG and closes it.
 */
void
lk_window_save_screenshot (LkWindow   *self,
                           const char *path)
{
  g_return_if_fail (LK_IS_WINDOW (self));
  g_return_if_fail (path != NULL);

  g_free (self->screenshot_path);
  self->screenshot_path = g_strdup (path);
  self->screenshot_frames = 0;
  gtk_widget_add_tick_callback (GTK_WIDGET (self), screenshot_tick_cb, NULL, NULL);
}
