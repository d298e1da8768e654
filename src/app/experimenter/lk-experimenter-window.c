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

#include "lk-charts.h"
#include "lk-cluster-heatmap-view.h"
#include "lk-save-dialog.h"
#include "lk-screenshot.h"
#include "lk-embedding-view.h"
#include "lk-experimenter-window.h"
#include "lk-experimenter-window-private.h"
#include "lk-knn-view.h"

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

  gboolean           following;
  gboolean           screenshot_selected;
};

G_DEFINE_FINAL_TYPE (LkExperimenterWindow, lk_experimenter_window, ADW_TYPE_WINDOW)

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
                          lk_snapshot_get_labels (snapshot) != NULL);
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
  guint n = lk_refine_worker_get_snapshots (worker)->len;

  push_snapshots (self);
  if (n == 0)
    return;
  self->following = self->following
                    || gtk_adjustment_get_value (self->phase_adjustment) >= gtk_adjustment_get_upper (self->phase_adjustment);
  gtk_adjustment_set_upper (self->phase_adjustment, n - 1);
  if (self->following)
    {
      gtk_adjustment_set_value (self->phase_adjustment, n - 1);
      show_phase (self, n - 1, TRUE);
    }
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
  index = (guint) (gtk_adjustment_get_value (self->phase_adjustment) + 0.5);
  self->following = index + 1 >= lk_refine_worker_get_snapshots (self->worker)->len;
  show_phase (self, index, TRUE);
}

static void
selected_cb (LkExperimenterWindow *self,
             GParamSpec           *pspec,
             LkEmbeddingView      *view)
{
  lk_experimenter_window_select (self, lk_embedding_view_get_selected (view));
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

static void
show_toast (LkExperimenterWindow *self,
            const char           *message)
{
  AdwToast *toast = adw_toast_new (message);

  adw_toast_set_timeout (toast, 6);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

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
  unfollow_workers (self);
  g_clear_object (&self->run);
  g_clear_object (&self->demo);
  g_clear_object (&self->comparison);
  g_clear_pointer (&self->thumbs, lk_thumbs_unref);
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
  gtk_widget_class_bind_template_callback (widget_class, run_toggled_cb);
  gtk_widget_class_bind_template_callback (widget_class, pace_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, phase_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, k_changed_cb);
}

static void
lk_experimenter_window_init (LkExperimenterWindow *self)
{
  GtkWidget *paned;

  gtk_widget_init_template (GTK_WIDGET (self));

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
}

LkExperimenterWindow *
lk_experimenter_window_new (void)
{
  return g_object_new (LK_TYPE_EXPERIMENTER_WINDOW, NULL);
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
    lk_thumbs_ref (thumbs);
  g_clear_pointer (&self->thumbs, lk_thumbs_unref);
  self->thumbs = thumbs;

  lk_embedding_view_set_thumbs (self->embedding_view, thumbs);
  lk_embedding_view_set_thumbs (self->cooccurrence_view, thumbs);
  lk_knn_view_set_thumbs (self->knn_view, thumbs);
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
  lk_experimenter_window_set_demo (self, demo, random);

  return self;
}

/* Ready once a study is part-way through (four phases in) and quiet: the shared screenshot
 * path then waits a few more frames, so that the transition animation has ended. */
static gboolean
screenshot_ready (GtkWidget *widget)
{
  LkExperimenterWindow *self = LK_EXPERIMENTER_WINDOW (widget);

  if (self->worker == NULL || lk_refine_worker_get_snapshots (self->worker)->len < 5)
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
      lk_experimenter_window_select (self, 17);
      self->screenshot_selected = TRUE;
    }

  return TRUE;
}

/**
 * lk_experimenter_window_save_screenshot:
 * @path: where to write the PNG
 *
 * Runs the demo (fast) until four phases are in, saves the window as a PNG and closes it.
 */
void
lk_experimenter_window_save_screenshot (LkExperimenterWindow *self,
                                        const char           *path)
{
  g_return_if_fail (LK_IS_EXPERIMENTER_WINDOW (self));

  self->screenshot_selected = FALSE;
  gtk_spin_button_set_value (self->pace_spin, 300);
  if (self->comparison != NULL)
    lk_demo_run_start (self->comparison);
  gtk_toggle_button_set_active (self->run_button, TRUE);
  lk_window_save_png_when_ready (GTK_WINDOW (self), path, screenshot_ready, 40);
}
