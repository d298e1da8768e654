/* lk-experimenter-window-save.c — saving the experimenter window's views, and its screenshot
 *
 * The save menu saves one view, or all of them into a folder, through a GtkFileChooserNative
 * (a portal when there is one): the format is the file name's extension (.png, .svg, .pdf), or
 * else the chooser's filter; for a folder, the chooser's format choice. Errors show as a toast.
 * The same menu exports a study file's model (every phase's positions, clusters and worker
 * parameters) as CSV or JSON, written on a worker thread by the store's export.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>

#include "lk-embedding-view-private.h"
#include "lk-experimenter-window-private.h"
#include "lk-export.h"
#include "lk-save-dialog.h"
#include "lk-screenshot.h"
#include "lk-study-run.h"

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
  if (lk_refine_worker_get_busy (self->worker) || self->shown_view != NULL)
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
      /* The selection fills the k-NN strip above the right column's other views and moves
       * them down: a view brought into sight (--view) is brought into sight again. */
      if (self->asked_view != NULL)
        {
          lk_experimenter_window_show_view (self, self->asked_view);
          return FALSE;
        }
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

/* The model's output (lk-model-export.c), from a study file: CSV or JSON. */
static const LkSaveType model_types[] = {
  { N_("CSV table"), "*.csv", "text/csv", ".csv" },
  { N_("JSON document"), "*.json", "application/json", ".json" },
};

typedef struct {
  char     *study;
  char     *path;
  gboolean  json;
} ModelJob;

static void
model_job_free (gpointer data)
{
  ModelJob *job = data;

  g_free (job->study);
  g_free (job->path);
  g_free (job);
}

static void
model_job_run (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  ModelJob *job = task_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(LkStore) store = lk_store_open (job->study, LK_STORE_OPEN_READ_ONLY, &error);

  if (store == NULL
      || !(job->json ? lk_export_model_json (store, job->path, &error)
                     : lk_export_model_csv (store, job->path, &error)))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

static void
model_done_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(LkExperimenterWindow) self = user_data;
  ModelJob *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;

  self->exporting_model = FALSE;
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      /* Translators: %s is why the model could not be exported */
      g_autofree char *message = g_strdup_printf (_("The model could not be exported: %s"),
                                                  error->message);

      _lk_experimenter_window_show_toast (self, message);
      return;
    }
  {
    g_autoptr(GFile) file = g_file_new_for_path (job->path);

    show_saved_toast (self, file, FALSE);
  }
}

/**
 * lk_experimenter_window_export_model:
 * @path: the file to write
 * @json: %TRUE for JSON, %FALSE for CSV
 *
 * Writes the model's output in every phase (positions, clusters, worker parameters) of the
 * study file shown, as `likeness-cli export --model` (or `--model-json`) does, on a worker
 * thread with a read-only connection of its own; a toast says when it is saved or why not.
 *
 * Returns: %FALSE (and does nothing) when no study file is shown or an export is under way
 */
gboolean
lk_experimenter_window_export_model (LkExperimenterWindow *self,
                                     const char           *path,
                                     gboolean              json)
{
  g_autoptr(GTask) task = NULL;
  ModelJob *job;
  LkStudy *study;

  g_return_val_if_fail (LK_IS_EXPERIMENTER_WINDOW (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  study = self->run != NULL && LK_IS_STUDY_RUN (self->run)
          ? lk_study_run_get_study (LK_STUDY_RUN (self->run)) : NULL;
  if (study == NULL || self->exporting_model)
    return FALSE;
  job = g_new0 (ModelJob, 1);
  job->study = g_strdup (lk_study_get_path (study));
  job->path = g_strdup (path);
  job->json = json;
  self->exporting_model = TRUE;
  task = g_task_new (NULL, NULL, model_done_cb, g_object_ref (self));
  g_task_set_task_data (task, job, model_job_free);
  g_task_run_in_thread (task, model_job_run);

  return TRUE;
}

gboolean
lk_experimenter_window_is_exporting_model (LkExperimenterWindow *self)
{
  g_return_val_if_fail (LK_IS_EXPERIMENTER_WINDOW (self), FALSE);

  return self->exporting_model;
}

static void
model_chosen_cb (GtkNativeDialog *dialog,
                 int              response,
                 gpointer         user_data)
{
  g_autoptr(LkExperimenterWindow) self = user_data;
  gboolean json = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (dialog), "lk-json"));
  g_autofree char *path = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    path = lk_save_dialog_dup_path (dialog, model_types + json, 1);
  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
  if (path != NULL && !lk_experimenter_window_export_model (self, path, json))
    _lk_experimenter_window_show_toast (self, _("The model can be exported from a study file, "
                                                "once the export under way is done"));
}

/* experimenter.export-model ("csv" or "json"): asks where, then exports on a worker thread. */
void
_lk_experimenter_window_export_model_action (GtkWidget  *widget,
                                             const char *action_name,
                                             GVariant   *parameter)
{
  LkExperimenterWindow *self = LK_EXPERIMENTER_WINDOW (widget);
  gboolean json = g_str_equal (g_variant_get_string (parameter, NULL), "json");
  GtkFileChooserNative *dialog;

  dialog = lk_save_dialog_new (GTK_WINDOW (self), _("Export the Model"), _("_Export"),
                               model_types + json, 1, json ? "model.json" : "model.csv",
                               G_CALLBACK (model_chosen_cb), g_object_ref (self));
  g_object_set_data (G_OBJECT (dialog), "lk-json", GINT_TO_POINTER (json));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}
