/* lk-experimenter-window-save.c — saving the experimenter window's views, and its screenshot
 *
 * The save menu saves one view, or all of them into a folder, through a GtkFileChooserNative
 * (a portal when there is one): the format is the file name's extension (.png, .svg, .pdf), or
 * else the chooser's filter; for a folder, the chooser's format choice. Errors show as a toast.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>

#include "lk-embedding-view-private.h"
#include "lk-experimenter-window-private.h"
#include "lk-save-dialog.h"
#include "lk-screenshot.h"

static const char *const formats[] = { "png", "svg", "pdf", NULL };

/* Toasts that @file (a view, or the folder of all views) was saved. */
static void
show_saved_toast (LkExperimenterWindow *self,
                  GFile                *file,
                  gboolean              folder)
{
  g_autofree char *basename = g_file_get_basename (file);
  g_autofree char *message = folder ? g_strdup_printf (_("Saved the views in “%s”"), basename)
                                    : g_strdup_printf (_("Saved “%s”"), basename);

  _lk_experimenter_window_show_toast (self, message);
}

/* Returns the format of @name's extension, or %NULL. */
static const char *
format_of_name (const char *name)
{
  for (guint f = 0; formats[f] != NULL; f++)
    {
      g_autofree char *suffix = g_strconcat (".", formats[f], NULL);
      g_autofree char *lower = g_ascii_strdown (name, -1);

      if (g_str_has_suffix (lower, suffix))
        return formats[f];
    }

  return NULL;
}

static void
save_view_response_cb (GtkNativeDialog      *dialog,
                       int                   response,
                       LkExperimenterWindow *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      const LkSaveType *type = lk_save_dialog_get_type (dialog);
      const char *name = g_object_get_data (G_OBJECT (dialog), "lk-view");
      const char *format = type != NULL ? type->ending + 1 : NULL;
      g_autoptr(GFile) saved = NULL;
      g_autoptr(GError) error = NULL;

      if (file == NULL
          || !lk_experimenter_window_save_view (self, name, file, format, &saved, &error))
        _lk_experimenter_window_show_toast (self, error != NULL ? error->message
                                                                : _("No file was chosen"));
      else
        show_saved_toast (self, saved, FALSE);
    }
  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
}

void
_lk_experimenter_window_save_view_action (GtkWidget  *widget,
                                          const char *action_name,
                                          GVariant   *parameter)
{
  LkExperimenterWindow *self = LK_EXPERIMENTER_WINDOW (widget);
  const char *name = g_variant_get_string (parameter, NULL);
  g_autofree char *current = g_strdup_printf ("%s.png", name);
  GtkFileChooserNative *chooser;

  if (lk_experimenter_window_get_view (self, name) == NULL)
    return;
  chooser = lk_save_dialog_new (GTK_WINDOW (self), _("Save the View"), _("_Save"),
                                lk_save_drawing_types, LK_SAVE_N_DRAWING_TYPES, current,
                                G_CALLBACK (save_view_response_cb), self);
  g_object_set_data_full (G_OBJECT (chooser), "lk-view", g_strdup (name), g_free);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
save_all_response_cb (GtkNativeDialog      *dialog,
                      int                   response,
                      LkExperimenterWindow *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) folder = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      const char *format = gtk_file_chooser_get_choice (GTK_FILE_CHOOSER (dialog), "format");
      g_autofree char *path = folder != NULL ? g_file_get_path (folder) : NULL;
      g_autoptr(GError) error = NULL;

      if (format == NULL || !g_strv_contains (formats, format))
        format = "png";
      if (path == NULL)
        _lk_experimenter_window_show_toast (self, _("Choose a folder on this computer"));
      else if (!lk_experimenter_window_export (self, path, format, &error))
        _lk_experimenter_window_show_toast (self, error->message);
      else
        show_saved_toast (self, folder, TRUE);
    }
  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
}

void
_lk_experimenter_window_save_all_action (GtkWidget  *widget,
                                         const char *action_name,
                                         GVariant   *parameter)
{
  LkExperimenterWindow *self = LK_EXPERIMENTER_WINDOW (widget);
  const char *labels[] = { _("PNG images"), _("SVG drawings"), _("PDF documents"), NULL };
  const char *options[] = { "png", "svg", "pdf", NULL };
  GtkFileChooserNative *chooser;

  chooser = gtk_file_chooser_native_new (_("Save All Views in a Folder"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER, _("_Save"),
                                         _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_file_chooser_add_choice (GTK_FILE_CHOOSER (chooser), "format", _("Format"), options, labels);
  gtk_file_chooser_set_choice (GTK_FILE_CHOOSER (chooser), "format", "png");
  g_signal_connect (chooser, "response", G_CALLBACK (save_all_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/**
 * lk_experimenter_window_export:
 * @directory: created if missing
 * @format: "png", "svg" or "pdf"
 *
 * Saves every view as `<directory>/<view>.<format>`.
 *
 * Returns: %FALSE with @error set on the first failure
 */
gboolean
lk_experimenter_window_export (LkExperimenterWindow  *self,
                               const char            *directory,
                               const char            *format,
                               GError               **error)
{
  g_return_val_if_fail (LK_IS_EXPERIMENTER_WINDOW (self), FALSE);

  if (g_mkdir_with_parents (directory, 0755) != 0)
    {
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errno),
                   _("Cannot make the folder “%s”"), directory);
      return FALSE;
    }
  for (guint i = 0; i < G_N_ELEMENTS (_lk_experimenter_window_view_names); i++)
    {
      const char *name = _lk_experimenter_window_view_names[i];
      g_autofree char *file = g_strdup_printf ("%s.%s", name, format);
      g_autofree char *path = g_build_filename (directory, file, NULL);

      if (!lk_cairo_view_export (LK_CAIRO_VIEW (lk_experimenter_window_get_view (self, name)),
                                 path, 0, 0, error))
        return FALSE;
    }

  return TRUE;
}

/**
 * lk_experimenter_window_save_view:
 * @name: a view, as lk_experimenter_window_get_view()
 * @file: where to save it: a local file
 * @format: (nullable): "png", "svg" or "pdf", used when @file's name has none of these
 *   extensions (it is then added to the name); %NULL for PNG
 * @saved: (out) (optional) (transfer full): the file written
 *
 * What the save chooser does with the file chosen: the view at its size on screen (a PNG at
 * twice that, for sharpness; an SVG or PDF in points).
 *
 * Returns: %FALSE with @error set if the file could not be written
 */
gboolean
lk_experimenter_window_save_view (LkExperimenterWindow  *self,
                                  const char            *name,
                                  GFile                 *file,
                                  const char            *format,
                                  GFile                **saved,
                                  GError               **error)
{
  g_autofree char *path = NULL;
  g_autofree char *basename = NULL;
  GtkWidget *view;

  g_return_val_if_fail (LK_IS_EXPERIMENTER_WINDOW (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  view = lk_experimenter_window_get_view (self, name);
  if (view == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, _("There is no view “%s”"),
                   name);
      return FALSE;
    }
  path = g_file_get_path (file);
  if (path == NULL)
    {
      basename = g_file_get_basename (file);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   _("Cannot save “%s”: choose a file on this computer"), basename);
      return FALSE;
    }
  if (format_of_name (path) == NULL)
    {
      char *with = g_strdup_printf ("%s.%s", path, format != NULL ? format : "png");

      g_free (path);
      path = with;
    }
  if (!lk_cairo_view_export (LK_CAIRO_VIEW (view), path, 0, 0, error))
    return FALSE;
  if (saved != NULL)
    *saved = g_file_new_for_path (path);

  return TRUE;
}

/* Ready once a study is part-way through (four phases in) and quiet: the shared screenshot
 * path then waits a few more frames, so that the transition animation has ended. */
static gboolean
screenshot_ready (GtkWidget *widget)
{
  LkExperimenterWindow *self = LK_EXPERIMENTER_WINDOW (widget);

  /* A study file: once replayed, with its thumbnails and names. */
  if (self->demo == NULL
      && (self->replaying || self->worker == NULL || self->thumbs == NULL))
    return FALSE;
  if (self->worker == NULL
      || (self->demo != NULL && lk_refine_worker_get_snapshots (self->worker)->len < 5))
    return FALSE;
  if (self->demo != NULL)
    {
      lk_demo_run_stop (self->demo);
      if (self->comparison != NULL && !lk_demo_run_is_done (self->comparison))
        return FALSE;
    }
  if (lk_refine_worker_get_busy (self->worker))
    return FALSE;
  if (!self->screenshot_selected)
    {
      GtkWidget *view = GTK_WIDGET (self->embedding_view);
      double x, y;

      lk_experimenter_window_select (self, 17);
      /* A study file's names show on hover: one image hovered, as the pointer would. */
      if (self->demo == NULL
          && lk_embedding_view_item_position (self->embedding_view, 40,
                                              gtk_widget_get_width (view),
                                              gtk_widget_get_height (view), &x, &y))
        lk_embedding_view_hover_at (self->embedding_view, x, y);
      self->screenshot_selected = TRUE;
    }

  return TRUE;
}

/**
 * lk_experimenter_window_save_screenshot:
 * @path: where to write the PNG
 *
 * Runs the demo (fast) until four phases are in (a study file: until it is replayed), saves
 * the window as a PNG and closes it.
 */
void
lk_experimenter_window_save_screenshot (LkExperimenterWindow *self,
                                        const char           *path)
{
  g_return_if_fail (LK_IS_EXPERIMENTER_WINDOW (self));

  self->screenshot_selected = FALSE;
  if (self->demo != NULL)
    {
      gtk_spin_button_set_value (self->pace_spin, 300);
      if (self->comparison != NULL)
        lk_demo_run_start (self->comparison);
      gtk_toggle_button_set_active (self->run_button, TRUE);
    }
  lk_window_save_png_when_ready (GTK_WINDOW (self), path, screenshot_ready, 40);
}
