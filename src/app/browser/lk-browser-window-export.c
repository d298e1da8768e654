/* lk-browser-window-export.c — saving a strip as an image, and every image's neighbours
 *
 * A strip is saved as PNG, SVG or PDF (lk_knn_strip_export()) on the main thread: it is one
 * small drawing. Every image's neighbours under every space (lk_neighbours_export()) are
 * written from a GTask with its own read-only connection (it reads through the WAL beside the
 * window's own store, which the window keeps), with progress and Cancel in a second row above
 * the grid; the file is replaced only when the export is complete.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include <string.h>

#include "lk-background.h"
#include "lk-browser-window-private.h"
#include "lk-save-dialog.h"

/* ---- a strip ----------------------------------------------------------------------------- */

static void
strip_chosen_cb (GtkNativeDialog *dialog,
                 int              response,
                 gpointer         user_data)
{
  LkBrowserWindow *self = user_data;
  LkKnnStrip *strip = g_object_get_data (G_OBJECT (dialog), "lk-strip");
  g_autofree char *path = lk_save_dialog_dup_path (dialog, lk_save_drawing_types,
                                                   LK_SAVE_N_DRAWING_TYPES);
  g_autoptr(GError) error = NULL;

  if (response == GTK_RESPONSE_ACCEPT && path != NULL)
    {
      if (!lk_knn_strip_export (strip, path, &error))
        _lk_browser_window_show_error (self, _("Could Not Save the Neighbours"), error->message);
    }
  else if (response == GTK_RESPONSE_ACCEPT)
    _lk_browser_window_show_error (self, _("Could Not Save the Neighbours"),
                                   _("Choose a file on this computer to save the image in"));
  g_object_unref (dialog);
  g_object_unref (self);
}

/* Asks where to save @kind's strip. */
void
_lk_browser_window_export_strip (LkBrowserWindow *self,
                                 LkSpaceKind      kind)
{
  static const char *names[LK_SPACE_N_KINDS] = {
    "neighbours-learned", "neighbours-colour", "neighbours-hog",
  };
  GtkFileChooserNative *dialog;
  LkBrowserItem *item;
  g_autofree char *name = NULL;

  if (kind >= LK_SPACE_N_KINDS)
    return;
  item = self->has_seed ? _lk_browser_window_find_item (self, self->seed) : NULL;
  name = g_strdup_printf ("%s-%s.png", names[kind], item != NULL ? lk_browser_item_get_name (item)
                                                                 : "image");
  dialog = lk_save_dialog_new (GTK_WINDOW (self), _("Save the Neighbours as an Image"), _("_Save"),
                               lk_save_drawing_types, LK_SAVE_N_DRAWING_TYPES, name,
                               G_CALLBACK (strip_chosen_cb), g_object_ref (self));
  g_object_set_data (G_OBJECT (dialog), "lk-strip", self->strips[kind]);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

/* ---- every image's neighbours ------------------------------------------------------------ */

typedef struct {
  char              *study;
  char              *path;
  LkNeighboursFormat format;
  LkProgressCounter *progress;
} ExportData;

static void
export_data_free (gpointer data)
{
  ExportData *e = data;

  g_free (e->study);
  g_free (e->path);
  lk_progress_counter_unref (e->progress);
  g_free (e);
}

static void
export_thread (GTask        *task,
               gpointer      source,
               gpointer      task_data,
               GCancellable *cancellable)
{
  ExportData *e = task_data;
  g_autoptr(GError) error = NULL;
  LkStore *store;
  gboolean ok;

  lk_background_lower_priority ();
  store = lk_store_open (e->study, LK_STORE_OPEN_READ_ONLY, &error);
  ok = store != NULL && lk_neighbours_export (store, LK_BROWSER_K, e->format, e->path,
                                              lk_progress_counter_report, e->progress, cancellable,
                                              &error);
  g_clear_pointer (&store, lk_store_close);
  if (ok)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, g_steal_pointer (&error));
}

static void
export_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  LkBrowserWindow *self = LK_BROWSER_WINDOW (source);
  ExportData *e = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;

  if (g_cancellable_is_cancelled (self->cancellable))
    return; /* the window is gone */
  lk_progress_bar_stop (self->export_progress);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "browser.export-neighbours", TRUE);
  if (g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_autofree char *name = g_path_get_basename (e->path);
      g_autofree char *title = g_strdup_printf (_("Neighbours saved in “%s”"), name);

      adw_toast_overlay_add_toast (self->toasts, adw_toast_new (title));
    }
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    _lk_browser_window_show_error (self, _("Could Not Export the Neighbours"), error->message);
}

static char *
export_text (guint done,
             guint total)
{
  /* Translators: every image's neighbours under each metric, counted over the metrics */
  return g_strdup_printf (_("Finding every image's neighbours: %u of %u"), done, total);
}

/**
 * lk_browser_window_export_neighbours:
 * @path: the file to write, replaced whole when the export succeeds
 * @format: CSV or JSON
 *
 * Starts writing every image's 10 nearest neighbours under the learned metric and each image
 * descriptor (lk_neighbours_export()) on a worker, with progress and Cancel above the grid. A
 * toast says when the file is saved; an error is shown in a dialog. Does nothing while an
 * export is running.
 */
void
lk_browser_window_export_neighbours (LkBrowserWindow    *self,
                                     const char         *path,
                                     LkNeighboursFormat  format)
{
  g_autoptr(GTask) task = NULL;
  GCancellable *cancellable;
  ExportData *e;

  g_return_if_fail (LK_IS_BROWSER_WINDOW (self));
  g_return_if_fail (path != NULL);

  if (lk_progress_bar_is_running (self->export_progress))
    return;
  cancellable = lk_progress_bar_start (self->export_progress, self->cancellable,
                                       _("Finding every image's neighbours…"), export_text);
  e = g_new0 (ExportData, 1);
  e->study = g_strdup (self->path);
  e->path = g_strdup (path);
  e->format = format;
  e->progress = lk_progress_counter_ref (lk_progress_bar_get_counter (self->export_progress));
  task = g_task_new (self, cancellable, export_done_cb, NULL);
  g_task_set_task_data (task, e, export_data_free);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "browser.export-neighbours", FALSE);
  g_task_run_in_thread (task, export_thread);
}

/**
 * lk_browser_window_is_exporting:
 *
 * Returns: %TRUE while lk_browser_window_export_neighbours() runs
 */
gboolean
lk_browser_window_is_exporting (LkBrowserWindow *self)
{
  g_return_val_if_fail (LK_IS_BROWSER_WINDOW (self), FALSE);

  return lk_progress_bar_is_running (self->export_progress);
}

static const LkSaveType neighbours_types[] = {
  { N_("CSV table"), "*.csv", NULL, ".csv" },
  { N_("JSON document"), "*.json", NULL, ".json" },
};

static void
export_chosen_cb (GtkNativeDialog *dialog,
                  int              response,
                  gpointer         user_data)
{
  LkBrowserWindow *self = user_data;
  g_autofree char *path = lk_save_dialog_dup_path (dialog, neighbours_types,
                                                   G_N_ELEMENTS (neighbours_types));

  if (response == GTK_RESPONSE_ACCEPT && path != NULL)
    lk_browser_window_export_neighbours (self, path, g_str_has_suffix (path, ".json")
                                                     ? LK_NEIGHBOURS_JSON : LK_NEIGHBOURS_CSV);
  else if (response == GTK_RESPONSE_ACCEPT)
    _lk_browser_window_show_error (self, _("Could Not Export the Neighbours"),
                                   _("Choose a file on this computer to save the neighbours in"));
  g_object_unref (dialog);
  g_object_unref (self);
}

/* Asks where to export every image's neighbours. */
void
_lk_browser_window_choose_export (LkBrowserWindow *self)
{
  g_autofree char *base = g_path_get_basename (self->path);
  g_autofree char *name = NULL;
  char *dot = strrchr (base, '.');

  if (dot != NULL)
    *dot = '\0';
  name = g_strdup_printf ("%s-neighbours.csv", base);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (
    lk_save_dialog_new (GTK_WINDOW (self), _("Export Every Image's Neighbours"), _("_Export"),
                        neighbours_types, G_N_ELEMENTS (neighbours_types), name,
                        G_CALLBACK (export_chosen_cb), g_object_ref (self))));
}
