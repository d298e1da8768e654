/* lk-experimenter-window.c — the experimenter's live views of a study, on a second window
 *
 * Left: the embedding (thumbnails on the aligned PCA plane) above the selected image's
 * co-occurrence map, with a phase slider over every stored snapshot; the slider follows the
 * newest phase while it sits at its end. Right: the k-NN strip, convergence, the cluster heatmap
 * (only for a collection with labels) and progress. Every
 * view updates when the worker swaps a snapshot in; in demo mode the header bar runs simulated
 * participants at an adjustable pace, with the random policy alongside for comparison.
 *
 * Below them, the participants (LkParticipantsView, study files only): each participant's
 * answers, times, agreement with the model and criterion, and Leave Out / Bring Back, which
 * write the study's flag and replay the study on a worker thread without them
 * (_lk_experimenter_window_recompute()), with Undo on the toast.
 *
 * The window is the one place that listens to the worker (follow_workers()): on its
 * "snapshot" and "progress" notifications it pushes the snapshots and the progress record into
 * the views, which never see the worker.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "lk-experimenter-window-private.h"
#include "lk-study-run.h"

G_DEFINE_FINAL_TYPE (LkExperimenterWindow, lk_experimenter_window, ADW_TYPE_WINDOW)

const char *const _lk_experimenter_window_view_names[LK_EXPERIMENTER_N_VIEWS] = {
  "embedding", "cooccurrence", "knn", "convergence", "progress", "heatmap"
};

void
_lk_experimenter_window_show_toast (LkExperimenterWindow *self,
                                    const char           *message)
{
  AdwToast *toast = adw_toast_new (message);

  adw_toast_set_timeout (toast, 6);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
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
void
_lk_experimenter_window_show_slider_phase (LkExperimenterWindow *self)
{
  GPtrArray *snapshots = lk_refine_worker_get_snapshots (self->worker);

  show_phase (self, index_of_phase (snapshots,
                                    (guint) (gtk_adjustment_get_value (self->phase_adjustment)
                                             + 0.5)),
              FALSE);
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
  _lk_experimenter_window_update_folder_tables (self);
  lk_participants_view_refresh (self->participants_view, lk_refine_worker_get_refiner (worker));
  /* A new phase is a new learned metric: its scores (not on the first call, from
   * follow_workers(), which shows what the file holds already). */
  if (pspec != NULL)
    lk_scores_view_refresh (self->scores_view);
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

/* A trial answered in the session followed: the scores change. */
static void
trials_cb (LkExperimenterWindow *self,
           GParamSpec           *pspec,
           LkRefineWorker       *worker)
{
  lk_scores_view_refresh (self->scores_view);
}

/* New scores: their trial counts go to the progress view's answers per participant. */
static void
scores_updated_cb (LkExperimenterWindow *self,
                   LkScoresView         *view)
{
  lk_progress_view_set_trial_counts (self->progress_view, lk_scores_view_get_trial_counts (view));
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
  g_signal_connect_object (worker, "notify::n-trials", G_CALLBACK (trials_cb), self,
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

/* The study file shown, or NULL for a demo. */
static LkStudy *
shown_study (LkExperimenterWindow *self)
{
  return self->run != NULL && LK_IS_STUDY_RUN (self->run)
         ? lk_study_run_get_study (LK_STUDY_RUN (self->run)) : NULL;
}

static void
excluded_changed_cb (LkExperimenterWindow *self,
                     const char           *code,
                     gboolean              excluded,
                     LkParticipantsView   *view)
{
  g_autofree char *message = NULL;
  AdwToast *toast;

  g_free (self->undo_code);
  self->undo_code = g_strdup (code);
  self->undo_excluded = !excluded;
  message = excluded
            /* Translators: %s is a participant's code */
            ? g_strdup_printf (_("%s is left out of the model"), code)
            /* Translators: %s is a participant's code */
            : g_strdup_printf (_("%s is back in the model"), code);
  toast = adw_toast_new (message);
  adw_toast_set_timeout (toast, 8);
  adw_toast_set_button_label (toast, _("_Undo"));
  adw_toast_set_action_name (toast, "experimenter.undo-participant");
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
  if (shown_study (self) != NULL)
    _lk_experimenter_window_recompute (self, shown_study (self));
}

static void
undo_participant_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  LkExperimenterWindow *self = LK_EXPERIMENTER_WINDOW (widget);
  g_autofree char *code = g_steal_pointer (&self->undo_code);
  g_autoptr(GError) error = NULL;

  if (code != NULL
      && !lk_participants_view_set_excluded (self->participants_view, code, self->undo_excluded,
                                             &error))
    _lk_experimenter_window_show_toast (self, error->message);
}

static void
lk_experimenter_window_dispose (GObject *object)
{
  LkExperimenterWindow *self = (LkExperimenterWindow *)object;

  /* Closing cancels the run under way: the demo runs cancel their workers on dispose. */
  _lk_experimenter_window_lab_stop (self);
  g_cancellable_cancel (self->loading);
  g_clear_object (&self->loading);
  unfollow_workers (self);
  /* The participants' list, read on a thread, holds its view until the thread is done, and
   * the view holds the study: closed, the window lets go of the study now, not once that
   * list comes back (test-live-study found the study still alive after the window). */
  if (self->participants_view != NULL)
    lk_participants_view_set_study (self->participants_view, NULL);
  g_clear_object (&self->run);
  g_clear_object (&self->demo);
  g_clear_object (&self->comparison);
  g_clear_pointer (&self->thumbs, lk_thumbs_unref);
  g_clear_pointer (&self->folder_tables, g_hash_table_unref);
  g_clear_pointer (&self->undo_code, g_free);
  g_clear_pointer (&self->shown_view, g_free);
  g_clear_pointer (&self->asked_view, g_free);
  gtk_widget_dispose_template (GTK_WIDGET (self), LK_TYPE_EXPERIMENTER_WINDOW);

  G_OBJECT_CLASS (lk_experimenter_window_parent_class)->dispose (object);
}

/* The embeddings get 55 % of the width, as 700 of a 1280 px window did, at any width (the
 * paned's range changes with the window, and it keeps the position within the columns'
 * minimum widths). */
static void
columns_width_cb (LkExperimenterWindow *self)
{
  gtk_paned_set_position (self->columns,
                          (int) (0.55 * gtk_widget_get_width (GTK_WIDGET (self->columns))));
}

static void
lk_experimenter_window_class_init (LkExperimenterWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = lk_experimenter_window_dispose;

  gtk_widget_class_install_action (widget_class, "experimenter.save-view", "s",
                                   _lk_experimenter_window_save_view_action);
  gtk_widget_class_install_action (widget_class, "experimenter.save-all", NULL,
                                   _lk_experimenter_window_save_all_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK,
                                       "experimenter.save-all", NULL);
  gtk_widget_class_install_action (widget_class, "experimenter.find", NULL, find_action);
  gtk_widget_class_install_action (widget_class, "experimenter.undo-participant", NULL,
                                   undo_participant_action);
  gtk_widget_class_install_action (widget_class, "experimenter.export-model", "s",
                                   _lk_experimenter_window_export_model_action);
  gtk_widget_class_install_action (widget_class, "experimenter.open", NULL,
                                   _lk_experimenter_window_open_action);
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
  gtk_widget_class_bind_template_child (widget_class, LkExperimenterWindow, columns);
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
  /* Only a study file has a model to export (lk_experimenter_window_set_run()). */
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "experimenter.export-model", FALSE);

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

  g_signal_connect_object (self->columns, "notify::max-position", G_CALLBACK (columns_width_cb),
                           self, G_CONNECT_SWAPPED);
  paned = gtk_paned_new (GTK_ORIENTATION_VERTICAL);
  gtk_widget_set_vexpand (paned, TRUE);
  gtk_paned_set_start_child (GTK_PANED (paned), GTK_WIDGET (self->embedding_view));
  gtk_paned_set_end_child (GTK_PANED (paned), GTK_WIDGET (self->cooccurrence_view));
  /* No fixed position: the two views share the height, so that on a small screen neither is
   * left at its minimum. */
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
  self->participants_view = LK_PARTICIPANTS_VIEW (lk_participants_view_new ());
  gtk_box_append (self->right_box, GTK_WIDGET (self->participants_view));
  /* Where the column scrolls, each view gets its natural height rather than its minimum: at
   * its minimum, the Participants list had room for two rows, whatever the window's height. */
  {
    GtkWidget *viewport = gtk_widget_get_parent (GTK_WIDGET (self->right_box));

    if (GTK_IS_SCROLLABLE (viewport))
      gtk_scrollable_set_vscroll_policy (GTK_SCROLLABLE (viewport), GTK_SCROLL_NATURAL);
  }
  g_signal_connect_object (self->participants_view, "excluded-changed",
                           G_CALLBACK (excluded_changed_cb), self, G_CONNECT_SWAPPED);
  /* The trials' scores: shown for a study file only (lk_experimenter_window_show_study(), or
   * a session's run on one), refreshed as its trials are answered and its phases folded in. */
  self->scores_view = LK_SCORES_VIEW (lk_scores_view_new ());
  gtk_widget_set_visible (GTK_WIDGET (self->scores_view), FALSE);
  gtk_box_append (self->right_box, GTK_WIDGET (self->scores_view));
  g_signal_connect_object (self->scores_view, "updated", G_CALLBACK (scores_updated_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_widget_set_size_request (GTK_WIDGET (self->knn_view), 300, 150);

  g_signal_connect_object (self->embedding_view, "notify::selected", G_CALLBACK (selected_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->knn_view, "neighbour-activated",
                           G_CALLBACK (lk_experimenter_window_select), self, G_CONNECT_SWAPPED);

  /* Every view takes the keyboard focus, in the order Tab reaches them. */
  for (guint i = 0; i < G_N_ELEMENTS (_lk_experimenter_window_view_names); i++)
    gtk_widget_set_focusable (lk_experimenter_window_get_view (self,
                                                               _lk_experimenter_window_view_names[i]),
                              TRUE);
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

#ifndef LK_HAVE_LAB
/* Without libpq there are no lab studies: say so (lk-experimenter-window-lab.c otherwise). */
void
lk_experimenter_window_show_lab (LkExperimenterWindow *self,
                                 const char           *uri)
{
  _lk_experimenter_window_show_toast (self, _("This Likeness was built without lab studies "
                                              "(PostgreSQL); open a pulled study file instead"));
}

void
_lk_experimenter_window_lab_stop (LkExperimenterWindow *self)
{
}

GtkWidget *
lk_experimenter_window_get_lab_view (LkExperimenterWindow *self)
{
  return NULL;
}
#endif

/* Gives @thumbs (the collection's pictures and names) to the views. */
void
_lk_experimenter_window_set_thumbs (LkExperimenterWindow *self,
                                    LkThumbs             *thumbs)
{
  if (thumbs != NULL)
    lk_thumbs_ref (thumbs);
  g_clear_pointer (&self->thumbs, lk_thumbs_unref);
  self->thumbs = thumbs;

  lk_embedding_view_set_thumbs (self->embedding_view, thumbs);
  lk_embedding_view_set_thumbs (self->cooccurrence_view, thumbs);
  lk_knn_view_set_thumbs (self->knn_view, thumbs);
  _lk_experimenter_window_update_folder_tables (self);
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
  lk_participants_view_set_study (self->participants_view, shown_study (self));
  /* A session's run, followed live, keeps its model: leaving a participant out is for between
   * sessions, when the window replays the study itself (lk_experimenter_window_show_study()). */
  lk_participants_view_set_locked (self->participants_view,
                                   shown_study (self) != NULL
                                   ? _("Participants can be left out between sessions, from the "
                                       "study’s own experimenter window.")
                                   : NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "experimenter.export-model",
                                 shown_study (self) != NULL);
  if (shown_study (self) != NULL)
    {
      gtk_widget_set_visible (GTK_WIDGET (self->scores_view), TRUE);
      lk_scores_view_load (self->scores_view, lk_study_get_path (shown_study (self)));
    }
  if (thumbs != NULL)
    _lk_experimenter_window_set_thumbs (self, thumbs);
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

/* The view called @name: lk_experimenter_window_get_view()'s, the participants, the scores
 * or a lab study's stations; NULL for another name. */
static GtkWidget *
named_view (LkExperimenterWindow *self,
            const char           *name)
{
  if (g_str_equal (name, "participants"))
    return GTK_WIDGET (self->participants_view);
  if (g_str_equal (name, "scores"))
    return GTK_WIDGET (self->scores_view);
  if (g_str_equal (name, "stations"))
    return lk_experimenter_window_get_lab_view (self);

  return lk_experimenter_window_get_view (self, name);
}

/* The frames in a row the view is kept in sight: its rows and the views above it come in over
 * a few frames once the study is read, and move it. */
#define SHOW_VIEW_FRAMES 10

static void
show_view_done (LkExperimenterWindow *self)
{
  g_clear_pointer (&self->shown_view, g_free);
  self->shown_view_tick = 0;
}

/* Brings the view into sight in its column (the right-hand column scrolls) and gives it the
 * keyboard focus, on every frame until the study is read and it has stayed put. */
static gboolean
show_view_tick_cb (GtkWidget     *widget,
                   GdkFrameClock *clock,
                   gpointer       user_data)
{
  LkExperimenterWindow *self = LK_EXPERIMENTER_WINDOW (widget);
  GtkWidget *view = named_view (self, self->shown_view);
  GtkWidget *scrolled;
  GtkWidget *content = NULL;
  GtkWidget *focus;
  graphene_rect_t bounds;

  /* The thumbnails fill the k-NN strip, and the folder tables may show the heatmap: both above
   * the right column's other views, which they move down when they come in. */
  if (self->replaying || gtk_widget_get_width (widget) == 0
      || (self->worker != NULL && lk_refine_worker_get_busy (self->worker))
      || lk_participants_view_is_loading (self->participants_view)
      || self->thumbs_pending || self->tabling)
    {
      self->shown_view_frames = 0;
      return G_SOURCE_CONTINUE;
    }
  if (view == NULL || !gtk_widget_get_visible (view))
    {
      g_autofree char *message = g_strdup_printf (_("The view “%s” is not shown for this study"),
                                                  self->shown_view);

      _lk_experimenter_window_show_toast (self, message);
      show_view_done (self);
      return G_SOURCE_REMOVE;
    }

  focus = gtk_root_get_focus (GTK_ROOT (self));
  if (focus == NULL || (focus != view && !gtk_widget_is_ancestor (focus, view)))
    {
      GtkWidget *target = view == GTK_WIDGET (self->participants_view)
                          ? lk_participants_view_get_column_view (self->participants_view) : view;

      if (!gtk_widget_grab_focus (target))
        gtk_widget_child_focus (view, GTK_DIR_TAB_FORWARD);
    }

  scrolled = gtk_widget_get_ancestor (view, GTK_TYPE_SCROLLED_WINDOW);
  /* The right-hand column's scroller; the stations' own shows the page from its top. */
  if (scrolled != NULL && gtk_widget_is_ancestor (scrolled, GTK_WIDGET (self->right_box)))
    {
      GtkAdjustment *own = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled));

      gtk_adjustment_set_value (own, gtk_adjustment_get_lower (own));
      scrolled = gtk_widget_get_ancestor (gtk_widget_get_parent (scrolled),
                                          GTK_TYPE_SCROLLED_WINDOW);
    }
  /* The bounds in the column's content, as its adjustment counts: the scroller's child is the
   * viewport it made, whose own origin moves with the scrolling, so they are taken from the
   * viewport's child (from the viewport, the clamp went only half way down, and stayed). */
  if (scrolled != NULL)
    {
      content = gtk_scrolled_window_get_child (GTK_SCROLLED_WINDOW (scrolled));
      if (GTK_IS_VIEWPORT (content))
        content = gtk_viewport_get_child (GTK_VIEWPORT (content));
    }
  if (scrolled != NULL && content != NULL
      && gtk_widget_compute_bounds (view, content, &bounds))
    {
      GtkAdjustment *adjustment =
        gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled));
      double bottom = bounds.origin.y + bounds.size.height;

      /* Its rows came in, or a view above it grew: it has not stayed put. Nor has it when the
       * column scrolled since the last frame: the focus given to the view scrolls the column
       * to the focused row, animated over several frames, and that animation's last step came
       * after the view was left in sight. */
      if (bottom != self->shown_view_bottom
          || gtk_adjustment_get_value (adjustment) != self->shown_view_value)
        self->shown_view_frames = 0;
      gtk_adjustment_clamp_page (adjustment, bounds.origin.y, bottom);
      self->shown_view_bottom = bottom;
      self->shown_view_value = gtk_adjustment_get_value (adjustment);
    }

  if (++self->shown_view_frames < SHOW_VIEW_FRAMES)
    return G_SOURCE_CONTINUE;
  show_view_done (self);
  return G_SOURCE_REMOVE;
}

/**
 * lk_experimenter_window_show_view:
 * @name: "embedding", "cooccurrence", "knn", "convergence", "heatmap", "progress",
 *   "participants", "scores" or "stations" (a lab study's)
 *
 * Brings the view @name into sight and gives it the keyboard focus, once the study is read
 * (`likeness --experimenter=STUDY --view=NAME`): the participants, for one, are below the fold
 * of the right-hand column. A view the study does not have (the scores of a demo) is said in a
 * toast.
 *
 * Returns: %FALSE if @name is no view's name
 */
gboolean
lk_experimenter_window_show_view (LkExperimenterWindow *self,
                                  const char           *name)
{
  g_return_val_if_fail (LK_IS_EXPERIMENTER_WINDOW (self), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  /* The stations page is made only when a lab study is followed. */
  if (named_view (self, name) == NULL && !g_str_equal (name, "stations"))
    return FALSE;
  g_free (self->shown_view);
  self->shown_view = g_strdup (name);
  g_free (self->asked_view);
  self->asked_view = g_strdup (name);
  self->shown_view_frames = 0;
  self->shown_view_bottom = -1;
  self->shown_view_value = -1;
  if (self->shown_view_tick == 0)
    self->shown_view_tick = gtk_widget_add_tick_callback (GTK_WIDGET (self), show_view_tick_cb,
                                                          NULL, NULL);

  return TRUE;
}

/**
 * lk_experimenter_window_is_showing_view:
 *
 * Returns: %TRUE while lk_experimenter_window_show_view() is still bringing its view into sight
 */
gboolean
lk_experimenter_window_is_showing_view (LkExperimenterWindow *self)
{
  g_return_val_if_fail (LK_IS_EXPERIMENTER_WINDOW (self), FALSE);

  return self->shown_view != NULL;
}
