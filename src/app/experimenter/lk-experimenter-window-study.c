/* lk-experimenter-window-study.c — the experimenter window on a study file: its replay, its
 * thumbnails and names, the cluster heatmap against its folders, and the dialog that opens one
 *
 * A study file is replayed on a worker thread through a read-only connection of its own
 * (lk_study_run_new_async()), and its thumbnails and names are read on another; the folder
 * tables (one k-means per snapshot against the images' folders) are made on a third. All of
 * them share the window's loading cancellable, which closing the window cancels.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "lk-background.h"
#include "lk-experimenter-window-private.h"
#include "lk-study-run.h"

/* Returns the window's cancellable for what it loads from a study file, made on first use. */
static GCancellable *
get_loading (LkExperimenterWindow *self)
{
  if (self->loading == NULL)
    self->loading = g_cancellable_new ();

  return self->loading;
}

/* The cluster heatmap against the folders, for snapshots made without labels: one k-means
 * per snapshot, on a worker thread. */
typedef struct {
  GPtrArray *snapshots;   /* LkSnapshot */
  gint      *labels;
  guint      n_labels;
  GPtrArray *tables;      /* out: LkClusterTable, one per snapshot */
} TablesJob;

static void
tables_job_free (gpointer data)
{
  TablesJob *job = data;

  g_ptr_array_unref (job->snapshots);
  g_free (job->labels);
  g_ptr_array_unref (job->tables);
  g_free (job);
}

static void
tables_job_run (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  TablesJob *job = task_data;

  lk_background_lower_priority ();
  for (guint i = 0; i < job->snapshots->len; i++)
    {
      if (g_task_return_error_if_cancelled (task))
        return;
      g_ptr_array_add (job->tables, lk_snapshot_cluster_labels (g_ptr_array_index (job->snapshots, i),
                                                                job->labels, job->n_labels));
    }
  g_task_return_boolean (task, TRUE);
}

static void
tables_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(LkExperimenterWindow) self = user_data;
  TablesJob *job = g_task_get_task_data (G_TASK (result));
  g_autofree gpointer *tables = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), NULL))
    return;
  self->tabling = FALSE;
  tables = g_ptr_array_steal (job->tables, NULL);
  for (guint i = 0; i < job->snapshots->len; i++)
    g_hash_table_insert (self->folder_tables,
                         lk_snapshot_ref (g_ptr_array_index (job->snapshots, i)), tables[i]);
  lk_cluster_heatmap_view_set_folder_tables (self->heatmap_view, self->folder_tables);
  if (self->worker != NULL)
    _lk_experimenter_window_show_slider_phase (self);
  _lk_experimenter_window_update_folder_tables (self);
}

/* Starts the folder tables of the snapshots that lack one, when the images come from more
 * than one folder and the snapshots have no labels of their own. */
void
_lk_experimenter_window_update_folder_tables (LkExperimenterWindow *self)
{
  g_autoptr(GTask) task = NULL;
  GPtrArray *snapshots;
  const guint *folders;
  guint n_folders;
  TablesJob *job;

  if (self->tabling || self->worker == NULL || self->thumbs == NULL)
    return;
  folders = lk_thumbs_get_folders (self->thumbs, &n_folders);
  if (folders == NULL || n_folders < 2)
    return;

  job = g_new0 (TablesJob, 1);
  job->snapshots = g_ptr_array_new_with_free_func ((GDestroyNotify) lk_snapshot_unref);
  job->tables = g_ptr_array_new_with_free_func ((GDestroyNotify) lk_cluster_table_free);
  snapshots = lk_refine_worker_get_snapshots (self->worker);
  for (guint i = 0; i < snapshots->len; i++)
    {
      LkSnapshot *snapshot = g_ptr_array_index (snapshots, i);

      if (lk_snapshot_get_labels (snapshot) == NULL
          && lk_snapshot_get_n_items (snapshot) == lk_thumbs_get_n_items (self->thumbs)
          && n_folders <= lk_snapshot_get_n_items (snapshot)
          && !g_hash_table_contains (self->folder_tables, snapshot))
        g_ptr_array_add (job->snapshots, lk_snapshot_ref (snapshot));
    }
  if (job->snapshots->len == 0)
    {
      tables_job_free (job);
      return;
    }
  job->n_labels = n_folders;
  job->labels = g_new (gint, lk_thumbs_get_n_items (self->thumbs));
  for (guint i = 0; i < lk_thumbs_get_n_items (self->thumbs); i++)
    job->labels[i] = (gint) folders[i];

  self->tabling = TRUE;
  task = g_task_new (NULL, get_loading (self), tables_done_cb, g_object_ref (self));
  g_task_set_task_data (task, job, tables_job_free);
  g_task_run_in_thread (task, tables_job_run);
}

static void
open_response_cb (GtkNativeDialog      *dialog,
                  int                   response,
                  LkExperimenterWindow *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *path = file != NULL ? g_file_get_path (file) : NULL;

      /* Through the application, which knows whether a session runs on that study. */
      if (path == NULL)
        _lk_experimenter_window_show_toast (self, _("Choose a study on this computer"));
      else if (!gtk_widget_activate_action (GTK_WIDGET (self), "app.experimenter-study", "s",
                                            path))
        {
          g_autoptr(GError) error = NULL;
          LkExperimenterWindow *window = lk_experimenter_window_new_for_path (NULL, path,
                                                                              &error);

          if (window == NULL)
            _lk_experimenter_window_show_toast (self, error->message);
          else
            gtk_window_present (GTK_WINDOW (window));
        }
    }
  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
}

/* Opens the views of another study file, in a window of its own. */
void
_lk_experimenter_window_open_action (GtkWidget  *widget,
                                     const char *action_name,
                                     GVariant   *parameter)
{
  LkExperimenterWindow *self = LK_EXPERIMENTER_WINDOW (widget);
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  GtkFileChooserNative *chooser;

  gtk_file_filter_set_name (filter, _("Likeness studies"));
  gtk_file_filter_add_pattern (filter, "*.likeness");
  chooser = gtk_file_chooser_native_new (_("Show a Study"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_OPEN, _("_Show"), _("_Cancel"));
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect (chooser, "response", G_CALLBACK (open_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
thumbs_loaded_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(LkExperimenterWindow) self = user_data;
  g_autoptr(LkThumbs) thumbs = NULL;
  g_autoptr(GError) error = NULL;

  thumbs = lk_thumbs_load_study_finish (result, &error);
  self->thumbs_pending = FALSE;
  if (thumbs == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        _lk_experimenter_window_show_toast (self, error->message);
      return;
    }
  _lk_experimenter_window_set_thumbs (self, thumbs);
}

/**
 * lk_experimenter_window_load_thumbs:
 * @path: the study file shown
 *
 * Reads the study's thumbnails and image names on a worker thread (a read-only connection of
 * its own), and gives them to the views when they are in; the views show points meanwhile.
 */
void
lk_experimenter_window_load_thumbs (LkExperimenterWindow *self,
                                    const char           *path)
{
  g_return_if_fail (LK_IS_EXPERIMENTER_WINDOW (self));
  g_return_if_fail (path != NULL);

  self->thumbs_pending = TRUE;
  lk_thumbs_load_study_async (path, 64, get_loading (self), thumbs_loaded_cb,
                              g_object_ref (self));
}

static void
run_ready_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(LkExperimenterWindow) self = user_data;
  g_autoptr(LkStudyRun) run = NULL;
  g_autoptr(GError) error = NULL;

  run = lk_study_run_new_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->replaying = FALSE;
  lk_participants_view_set_busy (self->participants_view, NULL);
  if (run == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("The study cannot be shown: %s"),
                                                  error->message);

      _lk_experimenter_window_show_toast (self, message);
      return;
    }
  lk_experimenter_window_set_run (self, LK_GRID_SOURCE (run), self->thumbs);
  /* The window's own replay: participants can be left out and the model recomputed. */
  lk_participants_view_set_locked (self->participants_view, NULL);
  g_debug ("experimenter replayed %u phases", lk_refine_worker_get_snapshots (self->worker)->len);
}

/* Replays @study again on a worker thread, with the participants left out as the file says
 * now, and shows the new model when it is in (the views keep the old one meanwhile). */
void
_lk_experimenter_window_recompute (LkExperimenterWindow *self,
                                   LkStudy              *study)
{
  self->replaying = TRUE;
  lk_participants_view_set_busy (self->participants_view, _("Recomputing the model…"));
  lk_study_run_new_async (study, NULL, get_loading (self), run_ready_cb, g_object_ref (self));
}

/**
 * lk_experimenter_window_show_study:
 * @study: an open study, finished or not
 *
 * Shows every stored phase of @study: the study is replayed on a worker thread through a
 * read-only connection of its own (lk_study_run_new_async()), and its thumbnails and image
 * names are read on another; the window stays responsive meanwhile.
 */
void
lk_experimenter_window_show_study (LkExperimenterWindow *self,
                                   LkStudy              *study)
{
  g_autofree char *name = NULL;
  g_autofree char *title = NULL;

  g_return_if_fail (LK_IS_EXPERIMENTER_WINDOW (self));
  g_return_if_fail (LK_IS_STUDY (study));

  name = g_path_get_basename (lk_study_get_path (study));
  /* Translators: the experimenter window's title; %s is a study file's name */
  title = g_strdup_printf (_("Experimenter — %s"), name);
  gtk_window_set_title (GTK_WINDOW (self), title);
  self->replaying = TRUE;
  lk_study_run_new_async (study, NULL, get_loading (self), run_ready_cb, g_object_ref (self));
  lk_experimenter_window_load_thumbs (self, lk_study_get_path (study));
  gtk_widget_set_visible (GTK_WIDGET (self->scores_view), TRUE);
  lk_scores_view_load (self->scores_view, lk_study_get_path (study));
}

/**
 * lk_experimenter_window_new_for_path:
 * @application: (nullable): the application
 * @path: a study file
 *
 * A window on the study at @path (lk_experimenter_window_show_study()). The study is opened
 * for writing when it can be (its replay then stores a phase a crash cut short); when another
 * window or process has it open, it is opened read-only, which is all the views need.
 *
 * Returns: (transfer full): the window, or %NULL with @error set if @path cannot be opened
 */
LkExperimenterWindow *
lk_experimenter_window_new_for_path (GtkApplication  *application,
                                     const char      *path,
                                     GError         **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(LkStudy) study = NULL;
  LkExperimenterWindow *self;

  g_return_val_if_fail (path != NULL, NULL);

  study = lk_study_open (path, &local_error);
  if (study == NULL && g_error_matches (local_error, LK_STORE_ERROR, LK_STORE_ERROR_LOCKED))
    {
      LkStore *store = lk_store_open (path, LK_STORE_OPEN_READ_ONLY, error);

      if (store == NULL)
        return NULL;
      study = lk_study_new_for_store (store);
    }
  else if (study == NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  self = g_object_new (LK_TYPE_EXPERIMENTER_WINDOW, "application", application, NULL);
  lk_experimenter_window_show_study (self, study);

  return self;
}

/**
 * lk_experimenter_window_is_replaying:
 *
 * Returns: %TRUE while a study file shown is being replayed
 */
gboolean
lk_experimenter_window_is_replaying (LkExperimenterWindow *self)
{
  g_return_val_if_fail (LK_IS_EXPERIMENTER_WINDOW (self), FALSE);

  return self->replaying;
}
