/* lk-experimenter-window.c — the experimenter's live views of a study, on a second window
 *
 * Left: the embedding (thumbnails on the aligned PCA plane) above the selected image's
 * co-occurrence map, with a phase slider over every stored snapshot; the slider follows the
 * newest phase while it sits at its end. Right: the k-NN strip, convergence, the cluster heatmap
 * (only for a collection with labels) and progress. Every
 * view updates when the worker swaps a snapshot in; in demo mode the header bar runs simulated
 * participants at an adjustable pace, with the random policy alongside for comparison.
 *
 * The window is the one place that listens to the worker (follow_workers()): on its
 * "snapshot" and "progress" notifications it pushes the snapshots and the progress record into
 * the views, which never see the worker.
 *
 * The save menu saves one view, or all of them into a folder, through a GtkFileChooserNative
 * (a portal when there is one): the format is the file name's extension (.png, .svg, .pdf), or
 * else the chooser's filter; for a folder, the chooser's format choice. Errors show as a toast.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>

#include "lk-background.h"
#include "lk-charts.h"
#include "lk-cluster-heatmap-view.h"
#include "lk-save-dialog.h"
#include "lk-screenshot.h"
#include "lk-embedding-view.h"
#include "lk-embedding-view-private.h"
#include "lk-experimenter-window.h"
#include "lk-experimenter-window-private.h"
#include "lk-knn-view.h"
#include "lk-study-run.h"

struct _LkExperimenterWindow
{
  AdwWindow          parent_instance;

  /* Template widgets */
  AdwToastOverlay   *toast_overlay;
  GtkWidget         *demo_controls;   /* shown in demo mode only */
  GtkToggleButton   *run_button;
  GtkSpinButton     *pace_spin;
  GtkBox            *left_box;
  GtkBox            *right_box;
  GtkScale          *phase_scale;
  GtkAdjustment     *phase_adjustment;
  GtkSpinButton     *k_spin;
  GtkSearchEntry    *search_entry;

  /* Views, made in code (custom-drawn, no templates) */
  LkEmbeddingView   *embedding_view;
  LkEmbeddingView   *cooccurrence_view;
  LkKnnView         *knn_view;
  LkConvergenceView *convergence_view;
  LkProgressView    *progress_view;
  LkClusterHeatmapView *heatmap_view;

  /* Owned references */
  LkGridSource      *run;                 /* the study shown */
  LkRefineWorker    *worker;              /* the run's, listened to by follow_workers() */
  LkRefineWorker    *comparison_worker;   /* nullable: the comparison demo run's */
  LkThumbs          *thumbs;
  LkDemoRun         *demo;
  LkDemoRun         *comparison;
  GCancellable      *loading;             /* nullable: a study file's replay and thumbnails */
  GHashTable        *folder_tables;       /* LkSnapshot -> LkClusterTable against the folders */

  gboolean           following;
  gboolean           replaying;
  gboolean           tabling;             /* folder tables are being made */
  gboolean           screenshot_selected;
};

G_DEFINE_FINAL_TYPE (LkExperimenterWindow, lk_experimenter_window, ADW_TYPE_WINDOW)

static void
show_toast (LkExperimenterWindow *self,
            const char           *message)
{
  AdwToast *toast = adw_toast_new (message);

  adw_toast_set_timeout (toast, 6);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

/* Returns the window's cancellable for what it loads from a study file, made on first use. */
static GCancellable *
get_loading (LkExperimenterWindow *self)
{
  if (self->loading == NULL)
    self->loading = g_cancellable_new ();

  return self->loading;
}

/* Returns the index in @snapshots of the one with @phase (phases folded in, the number the
 * slider and every view show), or the last one before it. */
static guint
index_of_phase (GPtrArray *snapshots,
                guint      phase)
{
  guint index = 0;

  for (guint i = 0; i < snapshots->len; i++)
    if (lk_snapshot_get_phase (g_ptr_array_index (snapshots, i)) <= phase)
      index = i;

  return index;
}

/* Shows snapshot @index of the worker's history in the phase-dependent views. */
static void
show_phase (LkExperimenterWindow *self,
            guint                 index,
            gboolean              animate)
{
  GPtrArray *snapshots = lk_refine_worker_get_snapshots (self->worker);
  LkSnapshot *snapshot;

  if (index >= snapshots->len)
    return;
  snapshot = g_ptr_array_index (snapshots, index);
  lk_embedding_view_set_snapshot (self->embedding_view, snapshot, animate);
  lk_embedding_view_set_snapshot (self->cooccurrence_view, snapshot, animate);
  lk_knn_view_set_snapshot (self->knn_view, snapshot);
  /* The cluster heatmap only for a collection with ground-truth labels. */
  lk_cluster_heatmap_view_set_snapshots (self->heatmap_view, snapshots, index);
  gtk_widget_set_visible (GTK_WIDGET (self->heatmap_view),
                          lk_snapshot_get_labels (snapshot) != NULL
                          || g_hash_table_contains (self->folder_tables, snapshot));
}

/* Shows the phase the slider is at. */
static void
show_slider_phase (LkExperimenterWindow *self)
{
  GPtrArray *snapshots = lk_refine_worker_get_snapshots (self->worker);

  show_phase (self, index_of_phase (snapshots,
                                    (guint) (gtk_adjustment_get_value (self->phase_adjustment)
                                             + 0.5)),
              FALSE);
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

static void update_folder_tables (LkExperimenterWindow *self);

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
    show_slider_phase (self);
  update_folder_tables (self);
}

/* Starts the folder tables of the snapshots that lack one, when the images come from more
 * than one folder and the snapshots have no labels of their own. */
static void
update_folder_tables (LkExperimenterWindow *self)
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

/* Pushes the snapshots of the worker and of the comparison run into the convergence view. */
static void
push_snapshots (LkExperimenterWindow *self)
{
  lk_convergence_view_set_snapshots (self->convergence_view,
                                     lk_refine_worker_get_snapshots (self->worker),
                                     self->comparison_worker != NULL
                                     ? lk_refine_worker_get_snapshots (self->comparison_worker)
                                     : NULL);
}

static void
snapshot_cb (LkExperimenterWindow *self,
             GParamSpec           *pspec,
             LkRefineWorker       *worker)
{
  GPtrArray *snapshots = lk_refine_worker_get_snapshots (worker);
  guint n = snapshots->len;

  push_snapshots (self);
  update_folder_tables (self);
  if (n == 0)
    return;
  self->following = self->following
                    || gtk_adjustment_get_value (self->phase_adjustment) >= gtk_adjustment_get_upper (self->phase_adjustment);
  /* The slider counts phases folded in, as the views' titles and the progress do: a study
   * file's history starts at its first stored phase, a new run's at 0. */
  gtk_adjustment_configure (self->phase_adjustment,
                            self->following
                            ? lk_snapshot_get_phase (g_ptr_array_index (snapshots, n - 1))
                            : gtk_adjustment_get_value (self->phase_adjustment),
                            lk_snapshot_get_phase (g_ptr_array_index (snapshots, 0)),
                            lk_snapshot_get_phase (g_ptr_array_index (snapshots, n - 1)),
                            1, 1, 0);
  if (self->following)
    show_phase (self, n - 1, TRUE);
}

static void
comparison_snapshot_cb (LkExperimenterWindow *self,
                        GParamSpec           *pspec,
                        LkRefineWorker       *worker)
{
  push_snapshots (self);
}

static void
progress_cb (LkExperimenterWindow *self,
             GParamSpec           *pspec,
             LkRefineWorker       *worker)
{
  lk_progress_view_set_progress (self->progress_view, lk_refine_worker_get_progress (worker));
}

/* Stops listening to the workers followed, if any. */
static void
unfollow_workers (LkExperimenterWindow *self)
{
  if (self->worker != NULL)
    g_signal_handlers_disconnect_by_data (self->worker, self);
  if (self->comparison_worker != NULL)
    g_signal_handlers_disconnect_by_data (self->comparison_worker, self);
  g_clear_object (&self->worker);
  g_clear_object (&self->comparison_worker);
}

/* The window's only wiring to a study's run: listens to @worker's snapshots and progress
 * record, and to @comparison's snapshots, and pushes what they hold now into the views. */
static void
follow_workers (LkExperimenterWindow *self,
                LkRefineWorker       *worker,
                LkRefineWorker       *comparison)
{
  g_autoptr(LkRefineWorker) worker_ref = g_object_ref (worker);
  g_autoptr(LkRefineWorker) comparison_ref = comparison != NULL ? g_object_ref (comparison) : NULL;

  unfollow_workers (self);
  self->worker = g_steal_pointer (&worker_ref);
  self->comparison_worker = g_steal_pointer (&comparison_ref);
  g_signal_connect_object (worker, "notify::snapshot", G_CALLBACK (snapshot_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (worker, "notify::progress", G_CALLBACK (progress_cb), self,
                           G_CONNECT_SWAPPED);
  if (comparison != NULL)
    g_signal_connect_object (comparison, "notify::snapshot", G_CALLBACK (comparison_snapshot_cb),
                             self, G_CONNECT_SWAPPED);
  self->following = TRUE;
  snapshot_cb (self, NULL, worker);
  progress_cb (self, NULL, worker);
}

static void
phase_changed_cb (LkExperimenterWindow *self,
                  GtkRange             *range)
{
  guint index;

  if (self->worker == NULL)
    return;
  index = index_of_phase (lk_refine_worker_get_snapshots (self->worker),
                          (guint) (gtk_adjustment_get_value (self->phase_adjustment) + 0.5));
  self->following = index + 1 >= lk_refine_worker_get_snapshots (self->worker)->len;
  show_phase (self, index, TRUE);
}

static void
selected_cb (LkExperimenterWindow *self,
             GParamSpec           *pspec,
             LkEmbeddingView      *view)
{
  int item = lk_embedding_view_get_selected (view);
  g_autofree char *title = item >= 0 ? lk_thumbs_dup_title (self->thumbs, item) : NULL;

  /* For the keyboard test (tests/ui/test-experimenter-keys.py), with G_MESSAGES_DEBUG. */
  g_debug ("experimenter selected %d %s", item, title != NULL ? title : "");
  lk_experimenter_window_select (self, item);
}

static void
focus_cb (LkExperimenterWindow *self,
          GParamSpec           *pspec,
          gpointer              data)
{
  GtkWidget *focus = gtk_window_get_focus (GTK_WINDOW (self));

  g_debug ("experimenter focus %s", focus != NULL ? gtk_widget_get_css_name (focus) : "none");
}

/* Selects the next image whose name contains the search text (after the one selected, on
 * Enter; from the first, as the text changes). */
static void
search (LkExperimenterWindow *self,
        gboolean              next)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  int found = -1;

  if (self->thumbs != NULL)
    found = lk_thumbs_find (self->thumbs, text,
                            next ? lk_embedding_view_get_selected (self->embedding_view) : -1);
  if (found >= 0)
    lk_experimenter_window_select (self, found);
  if (found < 0 && text[0] != '\0')
    gtk_widget_add_css_class (GTK_WIDGET (self->search_entry), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->search_entry), "error");
}

static void
search_changed_cb (LkExperimenterWindow *self,
                   GtkSearchEntry       *entry)
{
  search (self, FALSE);
}

static void
search_activate_cb (LkExperimenterWindow *self,
                    GtkSearchEntry       *entry)
{
  search (self, TRUE);
}

static void
find_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  LkExperimenterWindow *self = LK_EXPERIMENTER_WINDOW (widget);

  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
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
        show_toast (self, _("Choose a study on this computer"));
      else if (!gtk_widget_activate_action (GTK_WIDGET (self), "app.experimenter-study", "s",
                                            path))
        {
          g_autoptr(GError) error = NULL;
          LkExperimenterWindow *window = lk_experimenter_window_new_for_path (NULL, path,
                                                                              &error);

          if (window == NULL)
            show_toast (self, error->message);
          else
            gtk_window_present (GTK_WINDOW (window));
        }
    }
  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
}

/* Opens the views of another study file, in a window of its own. */
static void
open_action (GtkWidget  *widget,
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
k_changed_cb (LkExperimenterWindow *self,
              GtkSpinButton        *spin)
{
  lk_knn_view_set_k (self->knn_view, gtk_spin_button_get_value_as_int (spin));
}

static void
pace_changed_cb (LkExperimenterWindow *self,
                 GtkSpinButton        *spin)
{
  double pace = gtk_spin_button_get_value (spin);

  if (self->demo != NULL)
    lk_demo_run_set_pace (self->demo, pace);
  if (self->comparison != NULL)
    lk_demo_run_set_pace (self->comparison, pace);
}

static void
run_toggled_cb (LkExperimenterWindow *self,
                GtkToggleButton      *button)
{
  gboolean run = gtk_toggle_button_get_active (button);

  gtk_button_set_icon_name (GTK_BUTTON (button), run ? "media-playback-pause-symbolic"
                                                     : "media-playback-start-symbolic");
  for (guint i = 0; i < 2; i++)
    {
      LkDemoRun *demo = i == 0 ? self->demo : self->comparison;

      if (demo == NULL)
        continue;
      if (run)
        lk_demo_run_start (demo);
      else
        lk_demo_run_stop (demo);
    }
}

static const char *const view_names[] = { "embedding", "cooccurrence", "knn", "convergence",
                                          "progress", "heatmap" };
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

  show_toast (self, message);
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
        show_toast (self, error != NULL ? error->message : _("No file was chosen"));
      else
        show_saved_toast (self, saved, FALSE);
    }
  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
}

static void
save_view_action (GtkWidget  *widget,
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
        show_toast (self, _("Choose a folder on this computer"));
      else if (!lk_experimenter_window_export (self, path, format, &error))
        show_toast (self, error->message);
      else
        show_saved_toast (self, folder, TRUE);
    }
  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
}

static void
save_all_action (GtkWidget  *widget,
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

static void
lk_experimenter_window_dispose (GObject *object)
{
  LkExperimenterWindow *self = (LkExperimenterWindow *)object;

  /* Closing cancels the run under way: the demo runs cancel their workers on dispose. */
  g_cancellable_cancel (self->loading);
  g_clear_object (&self->loading);
  unfollow_workers (self);
  g_clear_object (&self->run);
  g_clear_object (&self->demo);
  g_clear_object (&self->comparison);
  g_clear_pointer (&self->thumbs, lk_thumbs_unref);
  g_clear_pointer (&self->folder_tables, g_hash_table_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), LK_TYPE_EXPERIMENTER_WINDOW);

  G_OBJECT_CLASS (lk_experimenter_window_parent_class)->dispose (object);
}

static void
lk_experimenter_window_class_init (LkExperimenterWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = lk_experimenter_window_dispose;

  gtk_widget_class_install_action (widget_class, "experimenter.save-view", "s", save_view_action);
  gtk_widget_class_install_action (widget_class, "experimenter.save-all", NULL, save_all_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK,
                                       "experimenter.save-all", NULL);
  gtk_widget_class_install_action (widget_class, "experimenter.find", NULL, find_action);
  gtk_widget_class_install_action (widget_class, "experimenter.open", NULL, open_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_o, GDK_CONTROL_MASK,
                                       "experimenter.open", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK,
                                       "experimenter.find", NULL);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/likeness/Likeness/ui/experimenter/lk-experimenter-window.ui");
  gtk_widget_class_bind_template_child (widget_class, LkExperimenterWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, LkExperimenterWindow, demo_controls);
  gtk_widget_class_bind_template_child (widget_class, LkExperimenterWindow, run_button);
  gtk_widget_class_bind_template_child (widget_class, LkExperimenterWindow, pace_spin);
  gtk_widget_class_bind_template_child (widget_class, LkExperimenterWindow, left_box);
  gtk_widget_class_bind_template_child (widget_class, LkExperimenterWindow, right_box);
  gtk_widget_class_bind_template_child (widget_class, LkExperimenterWindow, phase_scale);
  gtk_widget_class_bind_template_child (widget_class, LkExperimenterWindow, phase_adjustment);
  gtk_widget_class_bind_template_child (widget_class, LkExperimenterWindow, k_spin);
  gtk_widget_class_bind_template_child (widget_class, LkExperimenterWindow, search_entry);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, run_toggled_cb);
  gtk_widget_class_bind_template_callback (widget_class, pace_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, phase_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, k_changed_cb);
}

static void
lk_experimenter_window_init (LkExperimenterWindow *self)
{
  GListModel *monitors;
  GtkWidget *paned;

  gtk_widget_init_template (GTK_WIDGET (self));

  /* Never larger than the screen (a 1024x600 laptop): the template's size is a maximum. */
  monitors = gdk_display_get_monitors (gtk_widget_get_display (GTK_WIDGET (self)));
  if (g_list_model_get_n_items (monitors) > 0)
    {
      g_autoptr(GdkMonitor) monitor = g_list_model_get_item (monitors, 0);
      GdkRectangle area;
      int width, height;

      gdk_monitor_get_geometry (monitor, &area);
      gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
      gtk_window_set_default_size (GTK_WINDOW (self), MIN (width, area.width),
                                   MIN (height, area.height));
    }

  self->following = TRUE;
  self->embedding_view = LK_EMBEDDING_VIEW (lk_embedding_view_new (FALSE));
  self->cooccurrence_view = LK_EMBEDDING_VIEW (lk_embedding_view_new (TRUE));
  self->knn_view = LK_KNN_VIEW (lk_knn_view_new ());
  self->convergence_view = LK_CONVERGENCE_VIEW (lk_convergence_view_new ());
  self->progress_view = LK_PROGRESS_VIEW (lk_progress_view_new ());
  self->heatmap_view = LK_CLUSTER_HEATMAP_VIEW (lk_cluster_heatmap_view_new ());
  gtk_widget_set_visible (GTK_WIDGET (self->heatmap_view), FALSE);

  paned = gtk_paned_new (GTK_ORIENTATION_VERTICAL);
  gtk_widget_set_vexpand (paned, TRUE);
  gtk_paned_set_start_child (GTK_PANED (paned), GTK_WIDGET (self->embedding_view));
  gtk_paned_set_end_child (GTK_PANED (paned), GTK_WIDGET (self->cooccurrence_view));
  gtk_paned_set_position (GTK_PANED (paned), 430);
  /* Neither view collapses on a small screen: each keeps its minimum height. */
  gtk_paned_set_shrink_start_child (GTK_PANED (paned), FALSE);
  gtk_paned_set_shrink_end_child (GTK_PANED (paned), FALSE);
  gtk_box_prepend (self->left_box, paned);

  gtk_widget_set_vexpand (GTK_WIDGET (self->convergence_view), TRUE);
  gtk_widget_set_vexpand (GTK_WIDGET (self->progress_view), TRUE);
  gtk_box_prepend (self->right_box, GTK_WIDGET (self->knn_view));
  gtk_box_append (self->right_box, GTK_WIDGET (self->convergence_view));
  gtk_widget_set_vexpand (GTK_WIDGET (self->heatmap_view), TRUE);
  gtk_box_append (self->right_box, GTK_WIDGET (self->heatmap_view));
  gtk_box_append (self->right_box, GTK_WIDGET (self->progress_view));
  gtk_widget_set_size_request (GTK_WIDGET (self->knn_view), 300, 150);

  g_signal_connect_object (self->embedding_view, "notify::selected", G_CALLBACK (selected_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->knn_view, "neighbour-activated",
                           G_CALLBACK (lk_experimenter_window_select), self, G_CONNECT_SWAPPED);

  /* Every view takes the keyboard focus, in the order Tab reaches them. */
  for (guint i = 0; i < G_N_ELEMENTS (view_names); i++)
    gtk_widget_set_focusable (lk_experimenter_window_get_view (self, view_names[i]), TRUE);
  g_signal_connect (self, "notify::focus-widget", G_CALLBACK (focus_cb), NULL);
  self->folder_tables = g_hash_table_new_full (g_direct_hash, g_direct_equal,
                                               (GDestroyNotify) lk_snapshot_unref,
                                               (GDestroyNotify) lk_cluster_table_free);
}

LkExperimenterWindow *
lk_experimenter_window_new (void)
{
  return g_object_new (LK_TYPE_EXPERIMENTER_WINDOW, NULL);
}

/* Gives @thumbs (the collection's pictures and names) to the views. */
static void
set_thumbs (LkExperimenterWindow *self,
            LkThumbs             *thumbs)
{
  if (thumbs != NULL)
    lk_thumbs_ref (thumbs);
  g_clear_pointer (&self->thumbs, lk_thumbs_unref);
  self->thumbs = thumbs;

  lk_embedding_view_set_thumbs (self->embedding_view, thumbs);
  lk_embedding_view_set_thumbs (self->cooccurrence_view, thumbs);
  lk_knn_view_set_thumbs (self->knn_view, thumbs);
  update_folder_tables (self);
}

/**
 * lk_experimenter_window_set_run:
 * @run: the running study (kept alive while the window shows it)
 * @thumbs: (nullable): the collection's thumbnails
 */
void
lk_experimenter_window_set_run (LkExperimenterWindow *self,
                                LkGridSource         *run,
                                LkThumbs             *thumbs)
{
  g_return_if_fail (LK_IS_EXPERIMENTER_WINDOW (self));
  g_return_if_fail (LK_IS_GRID_SOURCE (run));

  g_set_object (&self->run, run);
  if (thumbs != NULL)
    set_thumbs (self, thumbs);
  follow_workers (self, lk_grid_source_get_worker (run),
                  self->comparison != NULL ? lk_demo_run_get_worker (self->comparison) : NULL);
}

/**
 * lk_experimenter_window_set_demo:
 * @demo: a demo run, shown and driven by the window
 * @comparison: (nullable): the same study under another method, for the convergence view
 */
void
lk_experimenter_window_set_demo (LkExperimenterWindow *self,
                                 LkDemoRun            *demo,
                                 LkDemoRun            *comparison)
{
  g_return_if_fail (LK_IS_EXPERIMENTER_WINDOW (self));
  g_return_if_fail (LK_IS_DEMO_RUN (demo));

  g_set_object (&self->demo, demo);
  gtk_widget_set_visible (self->demo_controls, TRUE);
  g_set_object (&self->comparison, comparison);
  pace_changed_cb (self, self->pace_spin);
  lk_experimenter_window_set_run (self, lk_demo_run_get_run (demo), lk_demo_run_get_thumbs (demo));
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
  if (thumbs == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_toast (self, error->message);
      return;
    }
  set_thumbs (self, thumbs);
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
  if (run == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("The study cannot be shown: %s"),
                                                  error->message);

      show_toast (self, message);
      return;
    }
  lk_experimenter_window_set_run (self, LK_GRID_SOURCE (run), self->thumbs);
  g_debug ("experimenter replayed %u phases", lk_refine_worker_get_snapshots (self->worker)->len);
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

/**
 * lk_experimenter_window_get_worker:
 *
 * Returns: (transfer none) (nullable): the worker whose snapshots and progress are shown
 */
LkRefineWorker *
lk_experimenter_window_get_worker (LkExperimenterWindow *self)
{
  g_return_val_if_fail (LK_IS_EXPERIMENTER_WINDOW (self), NULL);

  return self->worker;
}

/**
 * lk_experimenter_window_get_phase_adjustment:
 *
 * Returns: (transfer none): the phase slider's adjustment (phases folded in)
 */
GtkAdjustment *
lk_experimenter_window_get_phase_adjustment (LkExperimenterWindow *self)
{
  g_return_val_if_fail (LK_IS_EXPERIMENTER_WINDOW (self), NULL);

  return self->phase_adjustment;
}

/**
 * lk_experimenter_window_get_search_entry:
 *
 * Returns: (transfer none): the field that finds an image by name
 */
GtkWidget *
lk_experimenter_window_get_search_entry (LkExperimenterWindow *self)
{
  g_return_val_if_fail (LK_IS_EXPERIMENTER_WINDOW (self), NULL);

  return GTK_WIDGET (self->search_entry);
}

/**
 * lk_experimenter_window_get_view:
 * @name: "embedding", "cooccurrence", "knn", "convergence", "progress" or "heatmap"
 *
 * Returns: (transfer none) (nullable): the view
 */
GtkWidget *
lk_experimenter_window_get_view (LkExperimenterWindow *self,
                                 const char           *name)
{
  g_return_val_if_fail (LK_IS_EXPERIMENTER_WINDOW (self), NULL);

  if (g_str_equal (name, "embedding"))
    return GTK_WIDGET (self->embedding_view);
  if (g_str_equal (name, "cooccurrence"))
    return GTK_WIDGET (self->cooccurrence_view);
  if (g_str_equal (name, "knn"))
    return GTK_WIDGET (self->knn_view);
  if (g_str_equal (name, "convergence"))
    return GTK_WIDGET (self->convergence_view);
  if (g_str_equal (name, "progress"))
    return GTK_WIDGET (self->progress_view);
  if (g_str_equal (name, "heatmap"))
    return GTK_WIDGET (self->heatmap_view);

  return NULL;
}

void
lk_experimenter_window_select (LkExperimenterWindow *self,
                               int                   item)
{
  g_return_if_fail (LK_IS_EXPERIMENTER_WINDOW (self));

  lk_embedding_view_set_selected (self->embedding_view, item);
  lk_embedding_view_set_selected (self->cooccurrence_view, item);
  lk_knn_view_set_item (self->knn_view, item);
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
  for (guint i = 0; i < G_N_ELEMENTS (view_names); i++)
    {
      g_autofree char *file = g_strdup_printf ("%s.%s", view_names[i], format);
      g_autofree char *path = g_build_filename (directory, file, NULL);

      if (!lk_cairo_view_export (LK_CAIRO_VIEW (lk_experimenter_window_get_view (self, view_names[i])),
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

/**
 * lk_experimenter_window_new_demo:
 * @application: (nullable): the application
 * @spec: the demo collection, as a dataset spec (`colors:600`)
 *
 * A window on a demo study answered by simulated participants (the paper's method), with the
 * random policy run alongside for the convergence view. Press the run button to start.
 *
 * Returns: (transfer full): the window, or %NULL with @error set for a bad @spec
 */
LkExperimenterWindow *
lk_experimenter_window_new_demo (GtkApplication  *application,
                                 const char      *spec,
                                 GError         **error)
{
  g_autoptr(LkDemoRun) demo = NULL;
  g_autoptr(LkDemoRun) random = NULL;
  g_autofree char *title = NULL;
  LkExperimenterWindow *self;
  LkParams params;

  lk_params_init (&params);
  params.budget = 1200;
  params.phases = 6;
  params.seed = 1;
  demo = lk_demo_run_new (spec, &params, lk_method_paper, error);
  if (demo == NULL)
    return NULL;
  random = lk_demo_run_new (spec, &params, lk_method_random, error);
  if (random == NULL)
    return NULL;

  self = g_object_new (LK_TYPE_EXPERIMENTER_WINDOW, "application", application, NULL);
  /* Translators: the window's title on a demo; %s is its collection, as "colors:600" */
  title = g_strdup_printf (_("Experimenter — Demo (%s)"), spec);
  gtk_window_set_title (GTK_WINDOW (self), title);
  lk_experimenter_window_set_demo (self, demo, random);

  return self;
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
