/* lk-experimenter-window-lab.c — the experimenter's live view on a lab study (PostgreSQL)
 *
 * lk_experimenter_window_show_lab() follows a lab study: an LkLabListen (its own connection
 * and thread) says when anything was logged, and the window then reads the tables again on a
 * GTask thread with a connection of its own (lk_lab_live_read()); nothing touches the server on
 * the main loop. Reads are coalesced: events that come while one runs make one more read
 * after it. The Stations page (LkLabStationsView, in the right-hand column) shows the result.
 *
 * The other views (embedding, co-occurrence, k-NN, convergence, heatmaps) show the stored
 * phases. Whenever the number of stored phases changes, the read also pulls the study into a
 * private temporary file (lk_lab_pull(): the same tables, the phases as the refiner stored
 * them), which is opened read-only and shown as any study file is
 * (lk_experimenter_window_show_study()), so the snapshots are made by the same code.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "lk-experimenter-window-private.h"
#include "lk-lab-listen.h"
#include "lk-lab-stations-view.h"
#include "lk-study.h"

/* The latest answers listed. */
#define N_LATEST_ANSWERS 8

struct _LkExperimenterLab {
  LkExperimenterWindow *window;       /* borrowed: the window owns this */
  char                 *conninfo;
  LkLabListen          *listen;
  LkLab                *lab;          /* NULL while a read has it */
  LkLabStationsView    *view;
  GtkWidget            *scroller;     /* the view's, in the right-hand column */
  GCancellable         *cancellable;
  GPtrArray            *copies;       /* temporary folders of pulled copies */
  gboolean              reading;
  gboolean              dirty;
  gint64                phases_shown; /* -1: none yet */
};

typedef struct {
  char      *conninfo;
  LkLab     *lab;
  gint64     phases_shown;
  LkLabLive *live;
  char      *copy_dir;
} ReadJob;

static void
remove_copy (gpointer data)
{
  const char *dir = data;
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      g_unlink (path);
    }
  g_rmdir (dir);
  g_free (data);
}

static void
read_job_free (gpointer data)
{
  ReadJob *job = data;

  g_free (job->conninfo);
  g_clear_pointer (&job->lab, lk_lab_close);
  g_clear_pointer (&job->live, lk_lab_live_free);
  g_clear_pointer (&job->copy_dir, remove_copy);
  g_free (job);
}

/* Connects (again) when there is no connection or it broke, and reads. */
static LkLabLive *
read_live (ReadJob  *job,
           GError  **error)
{
  g_autoptr(GError) local_error = NULL;
  LkLabLive *live;

  if (job->lab == NULL)
    {
      job->lab = lk_lab_connect (job->conninfo, "likeness-experimenter-view", error);
      if (job->lab == NULL)
        return NULL;
      if (!lk_lab_open_study (job->lab, error))
        {
          g_clear_pointer (&job->lab, lk_lab_close);
          return NULL;
        }
    }
  live = lk_lab_live_read (job->lab, N_LATEST_ANSWERS, &local_error);
  if (live == NULL && g_error_matches (local_error, LK_LAB_ERROR, LK_LAB_ERROR_CONNECTION_LOST))
    {
      g_clear_error (&local_error);
      if (lk_lab_reconnect (job->lab, &local_error))
        live = lk_lab_live_read (job->lab, N_LATEST_ANSWERS, &local_error);
    }
  if (live == NULL)
    {
      g_clear_pointer (&job->lab, lk_lab_close);
      g_propagate_error (error, g_steal_pointer (&local_error));
    }

  return live;
}

static void
read_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  ReadJob *job = task_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *copy = NULL;

  job->live = read_live (job, &error);
  if (job->live == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if ((gint64) job->live->counts.phases_done == job->phases_shown ||
      g_cancellable_is_cancelled (cancellable))
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  /* The stored phases changed: a fresh copy for the views. */
  dir = g_dir_make_tmp ("likeness-live-XXXXXX", &error);
  if (dir == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  copy = g_build_filename (dir, "study.likeness", NULL);
  if (!lk_lab_pull (job->lab, copy, &error))
    {
      remove_copy (g_steal_pointer (&dir));
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  job->copy_dir = g_steal_pointer (&dir);
  g_task_return_boolean (task, TRUE);
}

static void request_read (LkExperimenterLab *lab);

/* Shows the pulled copy in @dir in the embedding and other views. */
static void
show_copy (LkExperimenterLab *lab,
           const char        *dir)
{
  g_autofree char *path = g_build_filename (dir, "study.likeness", NULL);
  g_autoptr(GError) error = NULL;
  LkStore *store = lk_store_open (path, LK_STORE_OPEN_READ_ONLY, &error);
  g_autoptr(LkStudy) study = NULL;
  g_autofree char *title = NULL;

  if (store == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("The lab study's phases cannot be shown: %s"),
                                                  error->message);

      _lk_experimenter_window_show_toast (lab->window, message);
      return;
    }
  study = lk_study_new_for_store (store);
  lk_experimenter_window_show_study (lab->window, study);
  /* Translators: the experimenter window's title on a lab study; %s is its address */
  title = g_strdup_printf (_("Experimenter — %s"), lab->conninfo);
  gtk_window_set_title (GTK_WINDOW (lab->window), title);
}

static void
read_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  LkExperimenterWindow *self = LK_EXPERIMENTER_WINDOW (object);
  GTask *task = G_TASK (result);
  ReadJob *job = g_task_get_task_data (task);
  LkExperimenterLab *lab = self->lab;
  g_autoptr(GError) error = NULL;

  /* A read of a lab study no longer followed. */
  if (lab == NULL || g_task_get_cancellable (task) != lab->cancellable ||
      g_cancellable_is_cancelled (lab->cancellable))
    return;
  if (!g_task_propagate_boolean (task, &error))
    {
      g_autofree char *message = g_strdup_printf (_("The lab study cannot be read: %s"),
                                                  error->message);

      lab->reading = FALSE;
      lk_lab_stations_view_set_status (lab->view, FALSE, message);
      if (lab->dirty)
        request_read (lab);
      return;
    }
  lab->reading = FALSE;
  lab->lab = g_steal_pointer (&job->lab);
  lk_lab_stations_view_set_live (lab->view, job->live);
  if (job->copy_dir != NULL)
    {
      lab->phases_shown = job->live->counts.phases_done;
      show_copy (lab, job->copy_dir);
      g_ptr_array_add (lab->copies, g_steal_pointer (&job->copy_dir));
    }
  if (lab->dirty)
    request_read (lab);
}

/* Reads the tables on a worker thread, or once more after the read under way. */
static void
request_read (LkExperimenterLab *lab)
{
  g_autoptr(GTask) task = NULL;
  ReadJob *job;

  if (lab->reading)
    {
      lab->dirty = TRUE;
      return;
    }
  lab->reading = TRUE;
  lab->dirty = FALSE;
  job = g_new0 (ReadJob, 1);
  job->conninfo = g_strdup (lab->conninfo);
  job->lab = g_steal_pointer (&lab->lab);
  job->phases_shown = lab->phases_shown;
  task = g_task_new (lab->window, lab->cancellable, read_done_cb, NULL);
  g_task_set_source_tag (task, request_read);
  g_task_set_task_data (task, job, read_job_free);
  g_task_run_in_thread (task, read_thread);
}

static void
event_cb (LkLabListen      *listen,
          const LkLabEvent *event,
          gpointer          user_data)
{
  request_read (user_data);
}

static void
status_cb (LkLabListen *listen,
           gboolean     connected,
           const char  *message,
           gpointer     user_data)
{
  LkExperimenterLab *lab = user_data;

  lk_lab_stations_view_set_status (lab->view, connected, message);
  /* Up again: what happened meanwhile is in the tables. */
  if (connected)
    request_read (lab);
}

/**
 * lk_experimenter_window_show_lab:
 * @uri: a lab study's connection URI (postgresql://USER@HOST/DATABASE, no password)
 *
 * Follows the lab study at @uri live: the Stations page shows each station (last seen, the
 * grid it holds and its lease's age), who holds the refiner and the answers as they arrive;
 * the other views show the stored phases. A URI that cannot be used is said in a toast.
 */
void
lk_experimenter_window_show_lab (LkExperimenterWindow *self,
                                 const char           *uri)
{
  g_autoptr(GError) error = NULL;
  LkExperimenterLab *lab;
  g_autofree char *title = NULL;

  g_return_if_fail (LK_IS_EXPERIMENTER_WINDOW (self));
  g_return_if_fail (uri != NULL);

  if (!lk_lab_check_conninfo (uri, &error))
    {
      g_autofree char *message = g_strdup_printf (_("The lab study cannot be shown: %s"),
                                                  error->message);

      _lk_experimenter_window_show_toast (self, message);
      return;
    }
  _lk_experimenter_window_lab_stop (self);

  lab = g_new0 (LkExperimenterLab, 1);
  lab->window = self;
  lab->conninfo = g_strdup (uri);
  lab->cancellable = g_cancellable_new ();
  lab->copies = g_ptr_array_new_with_free_func (remove_copy);
  lab->phases_shown = -1;
  lab->view = LK_LAB_STATIONS_VIEW (lk_lab_stations_view_new ());
  self->lab = lab;

  /* At most a third of a 600 px screen, and at least the counts, the refiner's line and two
   * stations' rows (the column below would otherwise squeeze it to its first lines); the rest
   * scrolls. */
  lab->scroller = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (lab->scroller), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (lab->scroller), TRUE);
  gtk_scrolled_window_set_min_content_height (GTK_SCROLLED_WINDOW (lab->scroller), 160);
  gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (lab->scroller), 200);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (lab->scroller), GTK_WIDGET (lab->view));
  gtk_box_prepend (self->right_box, lab->scroller);
  /* The Stations page has the counts; the run's progress would show the pulled copy's. */
  gtk_widget_set_visible (GTK_WIDGET (self->progress_view), FALSE);
  /* Translators: the experimenter window's title on a lab study; %s is its address */
  title = g_strdup_printf (_("Experimenter — %s"), uri);
  gtk_window_set_title (GTK_WINDOW (self), title);

  lab->listen = lk_lab_listen_new (uri, "likeness-experimenter", -1, NULL, event_cb, status_cb,
                                   lab);
  request_read (lab);
}

/* Stops following the lab study (on dispose, or before following another). */
void
_lk_experimenter_window_lab_stop (LkExperimenterWindow *self)
{
  LkExperimenterLab *lab = self->lab;

  if (lab == NULL)
    return;
  self->lab = NULL;
  g_cancellable_cancel (lab->cancellable);
  g_clear_pointer (&lab->listen, lk_lab_listen_free);
  g_clear_pointer (&lab->lab, lk_lab_close);
  g_clear_object (&lab->cancellable);
  g_clear_pointer (&lab->copies, g_ptr_array_unref);
  if (gtk_widget_get_parent (lab->scroller) == GTK_WIDGET (self->right_box))
    gtk_box_remove (self->right_box, lab->scroller);
  g_free (lab->conninfo);
  g_free (lab);
}

/**
 * lk_experimenter_window_get_lab_view:
 *
 * Returns: (transfer none) (nullable): the Stations page while a lab study is followed
 */
GtkWidget *
lk_experimenter_window_get_lab_view (LkExperimenterWindow *self)
{
  g_return_val_if_fail (LK_IS_EXPERIMENTER_WINDOW (self), NULL);

  return self->lab != NULL ? GTK_WIDGET (self->lab->view) : NULL;
}
