/* lk-browser-window-actions.c — the browser window's actions and their keys
 *
 * browser.open, browser.show-in-folder and browser.copy-path act on the selected image;
 * browser.judge opens the judging window and browser.sort-grids the curator's window, both on
 * this window's store (a study file has one writer); browser.export-strip (the space) and
 * browser.export-neighbours (Ctrl+E) save.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "lk-browser-window-private.h"
#include "lk-judging-window.h"

/* ---- the selected image's file ----------------------------------------------------------- */

static char *
seed_file_path (LkBrowserWindow *self)
{
  LkBrowserItem *item = self->has_seed ? _lk_browser_window_find_item (self, self->seed) : NULL;

  if (item == NULL || self->root == NULL)
    return NULL;

  return g_build_filename (self->root, lk_browser_item_get_path (item), NULL);
}

static void
open_image_cb (GtkWidget  *widget,
               const char *action,
               GVariant   *parameter)
{
  LkBrowserWindow *self = LK_BROWSER_WINDOW (widget);
  g_autofree char *path = seed_file_path (self);
  g_autofree char *uri = path != NULL ? g_filename_to_uri (path, NULL, NULL) : NULL;
  g_autoptr(GError) error = NULL;

  if (uri != NULL && !g_app_info_launch_default_for_uri (uri, NULL, &error))
    g_warning ("could not open %s: %s", path, error->message);
}

static void
show_items_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autofree char *uri = user_data;
  g_autoptr(GVariant) reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (source),
                                                             result, NULL);

  /* No file manager on the bus: open the folder itself. */
  if (reply == NULL)
    {
      g_autoptr(GFile) file = g_file_new_for_uri (uri);
      g_autoptr(GFile) parent = g_file_get_parent (file);
      g_autofree char *folder = g_file_get_uri (parent);

      g_app_info_launch_default_for_uri (folder, NULL, NULL);
    }
}

static void
show_in_folder_cb (GtkWidget  *widget,
                   const char *action,
                   GVariant   *parameter)
{
  LkBrowserWindow *self = LK_BROWSER_WINDOW (widget);
  g_autofree char *path = seed_file_path (self);
  g_autoptr(GDBusConnection) bus = NULL;
  const char *uris[2] = { NULL, NULL };
  char *uri;

  if (path == NULL)
    return;
  uri = g_filename_to_uri (path, NULL, NULL);
  uris[0] = uri;
  bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);
  if (bus == NULL)
    {
      show_items_cb (NULL, NULL, uri);
      return;
    }
  g_dbus_connection_call (bus, "org.freedesktop.FileManager1", "/org/freedesktop/FileManager1",
                          "org.freedesktop.FileManager1", "ShowItems",
                          g_variant_new ("(^ass)", uris, ""), NULL, G_DBUS_CALL_FLAGS_NONE, 5000,
                          NULL, show_items_cb, uri);
}

static void
copy_path_cb (GtkWidget  *widget,
              const char *action,
              GVariant   *parameter)
{
  LkBrowserWindow *self = LK_BROWSER_WINDOW (widget);
  g_autofree char *path = seed_file_path (self);

  if (path != NULL)
    gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), path);
}

/* ---- other windows on this window's store ------------------------------------------------ */

/* Opens the judging window on this window's store: a study file has one writer. */
static void
judge_cb (GtkWidget  *widget,
          const char *action,
          GVariant   *parameter)
{
  LkBrowserWindow *self = LK_BROWSER_WINDOW (widget);
  g_autoptr(GError) error = NULL;
  LkJudgingWindow *judging;

  if (self->store_lent)
    {
      lk_knn_strip_set_message (LK_KNN_STRIP (self->strips[LK_SPACE_LEARNED]),
                                _("The descriptors are still being computed: judge the "
                                  "neighbours once they are done."));
      return;
    }
  judging = lk_judging_window_new_for_store (gtk_window_get_application (GTK_WINDOW (self)),
                                             self->path, self->store, G_OBJECT (self), &error);
  if (judging == NULL)
    {
      g_autofree char *text = g_strdup_printf (_("The judging window could not be opened: %s"),
                                               error->message);

      lk_knn_strip_set_message (LK_KNN_STRIP (self->strips[LK_SPACE_LEARNED]), text);
    }
  else
    gtk_window_present (GTK_WINDOW (judging));
}

static void
sort_grids_cb (GtkWidget  *widget,
               const char *action,
               GVariant   *parameter)
{
  LkBrowserWindow *self = LK_BROWSER_WINDOW (widget);

  if (self->curator != NULL)
    {
      gtk_window_present (GTK_WINDOW (self->curator));
      return;
    }
  if (self->store_lent || lk_store_is_read_only (self->store))
    {
      _lk_browser_window_show_error (self, _("Cannot Sort Grids Here"),
                                     _("The study is open for writing elsewhere, or its image "
                                       "features are still being computed"));
      return;
    }
  /* The study takes over the store (and its writer lock) for good; the window keeps using
   * it through self->store, which the study now owns. */
  if (self->study == NULL)
    self->study = lk_study_new_for_store (self->store);
  self->curator = lk_curator_window_new (GTK_WINDOW (self), self->study);
  g_object_add_weak_pointer (G_OBJECT (self->curator), (gpointer *) &self->curator);
  g_signal_connect_object (self->curator, "answer-saved",
                           G_CALLBACK (lk_browser_window_refresh_neighbours), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->curator, "phase-stored",
                           G_CALLBACK (lk_browser_window_refresh_neighbours), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (self->curator));
}

/* ---- saving ------------------------------------------------------------------------------ */

static void
export_strip_cb (GtkWidget  *widget,
                 const char *action,
                 GVariant   *parameter)
{
  _lk_browser_window_export_strip (LK_BROWSER_WINDOW (widget), g_variant_get_uint32 (parameter));
}

static void
export_neighbours_cb (GtkWidget  *widget,
                      const char *action,
                      GVariant   *parameter)
{
  _lk_browser_window_choose_export (LK_BROWSER_WINDOW (widget));
}

void
_lk_browser_window_class_actions_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "browser.open", NULL, open_image_cb);
  gtk_widget_class_install_action (widget_class, "browser.show-in-folder", NULL, show_in_folder_cb);
  gtk_widget_class_install_action (widget_class, "browser.copy-path", NULL, copy_path_cb);
  gtk_widget_class_install_action (widget_class, "browser.judge", NULL, judge_cb);
  gtk_widget_class_install_action (widget_class, "browser.export-strip", "u", export_strip_cb);
  gtk_widget_class_install_action (widget_class, "browser.sort-grids", NULL, sort_grids_cb);
  gtk_widget_class_install_action (widget_class, "browser.export-neighbours", NULL,
                                   export_neighbours_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_e, GDK_CONTROL_MASK,
                                       "browser.export-neighbours", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_c, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "browser.copy-path", NULL);
}
