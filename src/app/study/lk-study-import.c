/* lk-study-import.c — create a study from a folder of images in a worker thread
 *
 * The worker creates the file and imports the folder; the LkStore is touched by that thread
 * alone until the task returns it, wrapped in an LkStudy, to the main loop. Progress goes
 * through a mutex-protected slot and at most one pending idle source, so a folder of thousands
 * of small files cannot flood the main loop. A cancelled or failed creation deletes the
 * half-made file (with its -wal and -shm): there is no study until the import has finished.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "lk-study-import.h"

typedef struct {
  /* Inputs, copied on the main thread */
  char                  *path;
  char                  *folder;
  LkParams               params;
  const LkMethodType    *method;

  /* Progress, from the worker to the main loop */
  GMainContext          *context;
  LkStudyImportProgress  progress;
  gpointer               progress_data;
  GMutex                 mutex;
  guint                  done;
  guint                  total;
  char                  *current;
  gboolean               posted;

  /* Result */
  LkImportReport        *report;
} Job;

static void
job_free (gpointer data)
{
  Job *job = data;

  g_free (job->path);
  g_free (job->folder);
  g_free (job->current);
  g_clear_pointer (&job->report, lk_import_report_free);
  g_clear_pointer (&job->context, g_main_context_unref);
  g_mutex_clear (&job->mutex);
  g_free (job);
}

/* On the main loop: hands the latest progress to the caller. */
static gboolean
progress_idle_cb (gpointer data)
{
  GTask *task = data;
  Job *job = g_task_get_task_data (task);
  g_autofree char *current = NULL;
  guint done, total;

  g_mutex_lock (&job->mutex);
  done = job->done;
  total = job->total;
  current = g_steal_pointer (&job->current);
  job->posted = FALSE;
  g_mutex_unlock (&job->mutex);

  if (!g_task_get_completed (task) && !g_cancellable_is_cancelled (g_task_get_cancellable (task)))
    job->progress (done, total, current, job->progress_data);

  return G_SOURCE_REMOVE;
}

/* On the worker: records the progress and posts it unless a post is already waiting. */
static void
import_progress_cb (guint       done,
                    guint       total,
                    const char *current,
                    gpointer    user_data)
{
  GTask *task = user_data;
  Job *job = g_task_get_task_data (task);
  gboolean post;

  if (job->progress == NULL)
    return;

  g_mutex_lock (&job->mutex);
  job->done = done;
  job->total = total;
  g_free (job->current);
  job->current = g_strdup (current);
  post = !job->posted;
  job->posted = TRUE;
  g_mutex_unlock (&job->mutex);

  /* An idle source, not g_main_context_invoke(), which would run the callback (and touch the
   * progress bar) on this worker thread whenever it could acquire the main context. */
  if (post)
    {
      GSource *source = g_idle_source_new ();

      g_source_set_priority (source, G_PRIORITY_DEFAULT);
      g_source_set_callback (source, progress_idle_cb, g_object_ref (task), g_object_unref);
      g_source_set_static_name (source, "[likeness] import progress");
      g_source_attach (source, job->context);
      g_source_unref (source);
    }
}

/* Removes a half-made study file and its SQLite companions. */
static void
remove_study_file (const char *path)
{
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);

  g_unlink (wal);
  g_unlink (shm);
  g_unlink (path);
}

static void
create_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  Job *job = task_data;
  g_autoptr(GError) error = NULL;
  LkStore *store;

  /* Unfinished until lk_store_fit_params(): a creation killed part-way says so when opened. */
  store = lk_store_create_unfinished (job->path, &job->params, job->method, job->folder, TRUE,
                                      &error);
  if (store == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  job->report = lk_collection_import (store, job->folder, cancellable, import_progress_cb, task,
                                      &error);
  /* The Create page has no k: it is chosen for the images imported. A study that could not run
   * is refused here, with what to change, as by `likeness-cli create`. */
  if (job->report == NULL || !lk_store_fit_params (store, TRUE, &error))
    {
      lk_store_close (store);
      remove_study_file (job->path);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_task_return_pointer (task, store, (GDestroyNotify) lk_store_close);
}

/**
 * lk_study_create_async:
 * @path: the new .likeness file (must not exist)
 * @folder: the folder of images to import (recursively)
 * @params: the method's parameters (copied)
 * @method: the method
 * @cancellable: (nullable): cancels the import; the half-made file is then removed
 * @progress: (nullable) (scope notified): called on the main loop as files are read
 * @progress_data: data for @progress
 *
 * Creates a study and imports @folder into it, in a worker thread. k is chosen for the number
 * of images imported (lk_store_fit_params()); a study its parameters could not run is removed,
 * and the error (%LK_CORE_ERROR) says what to change.
 */
void
lk_study_create_async (const char            *path,
                       const char            *folder,
                       const LkParams        *params,
                       const LkMethodType    *method,
                       GCancellable          *cancellable,
                       LkStudyImportProgress  progress,
                       gpointer               progress_data,
                       GAsyncReadyCallback    callback,
                       gpointer               user_data)
{
  g_autoptr(GTask) task = NULL;
  Job *job;

  g_return_if_fail (path != NULL && folder != NULL && params != NULL && method != NULL);

  job = g_new0 (Job, 1);
  job->path = g_strdup (path);
  job->folder = g_strdup (folder);
  job->params = *params;
  job->method = method;
  job->context = g_main_context_ref_thread_default ();
  job->progress = progress;
  job->progress_data = progress_data;
  g_mutex_init (&job->mutex);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, lk_study_create_async);
  g_task_set_task_data (task, job, job_free);
  g_task_run_in_thread (task, create_thread);
}

/**
 * lk_study_create_finish:
 * @report: (out) (transfer full) (optional): what the import did with each file
 *
 * Returns: (transfer full): the new study, open for writing, or %NULL with @error set
 *   (%G_IO_ERROR_CANCELLED when cancelled)
 */
LkStudy *
lk_study_create_finish (GAsyncResult    *result,
                        LkImportReport **report,
                        GError         **error)
{
  GTask *task = G_TASK (result);
  Job *job;
  LkStore *store;

  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (task) == lk_study_create_async, NULL);

  store = g_task_propagate_pointer (task, error);
  if (store == NULL)
    return NULL;
  job = g_task_get_task_data (task);
  if (report != NULL)
    *report = g_steal_pointer (&job->report);

  return lk_study_new_for_store (store);
}
