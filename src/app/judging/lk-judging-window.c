/* lk-judging-window.c — judge a study's neighbours by hand, as in the paper's Table 1
 *
 * The paper's manual protocol (section 4.2): for sampled seed images, the 10-NN under the
 * learned metric and under a feature baseline are labelled very similar / similar / unrelated,
 * and scored as Success % and Avg. Diff. The round itself (sample, lists, merge of duplicates,
 * shuffle, storage) is lk-judgements.c; this window shows it.
 *
 * Pages: "start" (a new round, or an earlier one to resume), "loading", "judge" (one seed
 * large, its neighbours in a flow box, three marks on each: lk-judging-window-judge.c),
 * "scores". Actions, keys and the making of a round are lk-judging-window-actions.c.
 *
 * Threads: tasks reach the window through a weak reference (LkJudgingTaskOwner), so it is
 * always finalized, closing the store, on the main thread. No widget is touched off the main
 * thread.
 *
 * The store: opened here for writing, or borrowed from the collection browser that opened the
 * window (one writer per study file); then a reference on the browser keeps its store alive.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "lk-judging-window-private.h"
#include "lk-screenshot.h"

G_DEFINE_FINAL_TYPE (LkJudgingWindow, lk_judging_window, ADW_TYPE_APPLICATION_WINDOW)

struct _LkJudgingTaskOwner {
  GWeakRef window;
  guint    generation;
};

LkJudgingTaskOwner *
_lk_judging_task_owner_new (LkJudgingWindow *self,
                            guint            generation)
{
  LkJudgingTaskOwner *owner = g_new0 (LkJudgingTaskOwner, 1);

  g_weak_ref_init (&owner->window, self);
  owner->generation = generation;

  return owner;
}

/* Returns the window if it is still there (a reference), and frees @owner. */
LkJudgingWindow *
_lk_judging_task_owner_steal (LkJudgingTaskOwner *owner,
                              guint              *generation)
{
  LkJudgingWindow *self = g_weak_ref_get (&owner->window);

  if (generation != NULL)
    *generation = owner->generation;
  g_weak_ref_clear (&owner->window);
  g_free (owner);

  return self;
}

/* ---- state of the actions ---------------------------------------------------------------- */

void
_lk_judging_window_update_actions (LkJudgingWindow *self)
{
  gboolean have = self->round != NULL && !self->busy;
  const char *page = gtk_stack_get_visible_child_name (self->stack);
  gboolean judging = have && g_strcmp0 (page, "judge") == 0;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "judging.start", !self->busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "judging.rounds", !self->busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "judging.next", judging);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "judging.previous", judging && self->seed > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "judging.mark", judging);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "judging.scores", have);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "judging.resume", have);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "judging.export", have);
}

void
_lk_judging_window_show_page (LkJudgingWindow *self,
                              const char      *name)
{
  gtk_stack_set_visible_child_name (self->stack, name);
  gtk_spinner_set_spinning (self->spinner, g_strcmp0 (name, "loading") == 0);
  _lk_judging_window_update_actions (self);
}

void
_lk_judging_window_toast (LkJudgingWindow *self,
                          const char      *message)
{
  AdwToast *t = adw_toast_new (message);

  adw_toast_set_timeout (t, 8);
  adw_toast_overlay_add_toast (self->toasts, t);
}

/* ---- the start page ---------------------------------------------------------------------- */

static void
open_round_clicked_cb (GtkButton *button,
                       gpointer   user_data)
{
  gint64 id = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (button), "lk-round"));

  gtk_widget_activate_action (GTK_WIDGET (user_data), "judging.open-round", "x", id);
}

/* Lists the study's rounds; returns the id of the newest one left unfinished, or 0. */
gint64
_lk_judging_window_refresh_rounds (LkJudgingWindow *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rounds = lk_judgements_list_rounds (self->store, &error);
  GtkWidget *row;
  gint64 open = 0;

  while ((row = gtk_widget_get_first_child (GTK_WIDGET (self->rounds_list))) != NULL)
    gtk_list_box_remove (self->rounds_list, row);
  if (rounds == NULL)
    {
      g_autofree char *text = g_strdup_printf (_("The judging rounds could not be read: %s"),
                                               error->message);

      gtk_label_set_text (self->start_error, text);
      gtk_widget_set_visible (GTK_WIDGET (self->start_error), TRUE);
      gtk_widget_set_visible (GTK_WIDGET (self->rounds_group), FALSE);
      return 0;
    }
  for (guint i = 0; i < rounds->len; i++)
    {
      const LkJudgingRoundInfo *info = g_ptr_array_index (rounds, i);
      g_autoptr(GDateTime) created = g_date_time_new_from_iso8601 (info->created, NULL);
      g_autoptr(GDateTime) local = created != NULL ? g_date_time_to_local (created) : NULL;
      g_autofree char *when = local != NULL ? g_date_time_format (local, "%Y-%m-%d %H:%M")
                                            : g_strdup (info->created);
      g_autofree char *title = NULL, *subtitle = NULL;
      GtkWidget *button;

      title = g_strdup_printf (_("Round %u by %s, against the %s descriptor"),
                               (guint) info->id, info->judge,
                               info->baseline == LK_SPACE_HOG ? _("HOG") : _("colour"));
      subtitle = g_strdup_printf (_("%u seeds, %u of %u images marked — %s"), info->n_seeds,
                                  info->n_marked, info->n_shown, when);
      row = adw_action_row_new ();
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      button = gtk_button_new_with_mnemonic (info->n_marked < info->n_shown ? _("_Resume")
                                                                            : _("_Open"));
      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      g_object_set_data (G_OBJECT (button), "lk-round", GSIZE_TO_POINTER ((gsize) info->id));
      g_signal_connect (button, "clicked", G_CALLBACK (open_round_clicked_cb), self);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), button);
      gtk_list_box_prepend (self->rounds_list, row);
      if (info->n_marked < info->n_shown)
        open = info->id;
    }
  gtk_widget_set_visible (GTK_WIDGET (self->rounds_group), rounds->len > 0);

  return open;
}

void
_lk_judging_window_show_start_error (LkJudgingWindow *self,
                                     const char      *message)
{
  gtk_label_set_text (self->start_error, message);
  gtk_widget_set_visible (GTK_WIDGET (self->start_error), message != NULL);
}


/* ---- the scores page --------------------------------------------------------------------- */

void
_lk_judging_window_show_scores (LkJudgingWindow *self)
{
  double success = 0.0, avg = 0.0;
  guint scored = lk_judging_round_score (self->round, &success, &avg);
  g_autofree char *description = NULL;

  if (scored == 0)
    {
      gtk_label_set_text (self->success_label, "—");
      gtk_label_set_text (self->avg_diff_label, "—");
      description = g_strdup (_("No seed is completely marked yet: a seed is scored once every "
                                "image shown for it is marked."));
    }
  else
    {
      g_autofree char *s = g_strdup_printf (_("%.1f %%"), success);
      g_autofree char *a = g_strdup_printf ("%+.2f", avg);

      gtk_label_set_text (self->success_label, s);
      gtk_label_set_text (self->avg_diff_label, a);
      if (scored == self->round->n_seeds)
        description = g_strdup_printf (_("Over all %u seeds, %u nearest neighbours from each "
                                         "metric."), scored, self->round->k);
      else
        description = g_strdup_printf (_("Over the %u of %u seeds whose images are all "
                                         "marked."), scored, self->round->n_seeds);
    }
  adw_status_page_set_description (self->scores_page, description);
  _lk_judging_window_show_page (self, "scores");
}

/* ---- screenshots ------------------------------------------------------------------------- */

static gboolean
screenshot_ready (GtkWidget *widget)
{
  return !LK_JUDGING_WINDOW (widget)->busy;
}

/* ---- the class --------------------------------------------------------------------------- */

static void
lk_judging_window_dispose (GObject *object)
{
  LkJudgingWindow *self = (LkJudgingWindow *)object;

  g_cancellable_cancel (self->cancellable);
  if (self->loader != NULL)
    lk_thumbnail_loader_forget_all (self->loader);
  if (self->cells != NULL)
    g_array_set_size (self->cells, 0);
  gtk_widget_dispose_template (GTK_WIDGET (self), LK_TYPE_JUDGING_WINDOW);

  G_OBJECT_CLASS (lk_judging_window_parent_class)->dispose (object);
}

static void
lk_judging_window_finalize (GObject *object)
{
  LkJudgingWindow *self = (LkJudgingWindow *)object;

  /* Tasks hold a reference to the window, so none runs any more. */
  g_clear_pointer (&self->round, lk_judging_round_free);
  if (self->store_owner == NULL)
    g_clear_pointer (&self->store, lk_store_close);
  g_clear_object (&self->store_owner);
  g_clear_object (&self->loader);
  g_clear_object (&self->spaces);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->cells, g_array_unref);
  g_free (self->path);

  G_OBJECT_CLASS (lk_judging_window_parent_class)->finalize (object);
}

static void
lk_judging_window_class_init (LkJudgingWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = lk_judging_window_dispose;
  object_class->finalize = lk_judging_window_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/likeness/Likeness/ui/judging/lk-judging-window.ui");
  gtk_widget_class_bind_template_child (widget_class, LkJudgingWindow, toasts);
  gtk_widget_class_bind_template_child (widget_class, LkJudgingWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, LkJudgingWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, LkJudgingWindow, start_error);
  gtk_widget_class_bind_template_child (widget_class, LkJudgingWindow, judge_row);
  gtk_widget_class_bind_template_child (widget_class, LkJudgingWindow, baseline_row);
  gtk_widget_class_bind_template_child (widget_class, LkJudgingWindow, seeds_spin);
  gtk_widget_class_bind_template_child (widget_class, LkJudgingWindow, k_spin);
  gtk_widget_class_bind_template_child (widget_class, LkJudgingWindow, sample_seed_spin);
  gtk_widget_class_bind_template_child (widget_class, LkJudgingWindow, rounds_group);
  gtk_widget_class_bind_template_child (widget_class, LkJudgingWindow, rounds_list);
  gtk_widget_class_bind_template_child (widget_class, LkJudgingWindow, spinner);
  gtk_widget_class_bind_template_child (widget_class, LkJudgingWindow, seed_label);
  gtk_widget_class_bind_template_child (widget_class, LkJudgingWindow, seed_picture);
  gtk_widget_class_bind_template_child (widget_class, LkJudgingWindow, progress_label);
  gtk_widget_class_bind_template_child (widget_class, LkJudgingWindow, next_button);
  gtk_widget_class_bind_template_child (widget_class, LkJudgingWindow, neighbours);
  gtk_widget_class_bind_template_child (widget_class, LkJudgingWindow, scores_page);
  gtk_widget_class_bind_template_child (widget_class, LkJudgingWindow, success_label);
  gtk_widget_class_bind_template_child (widget_class, LkJudgingWindow, avg_diff_label);

  _lk_judging_window_class_actions_init (widget_class);
}

static void
lk_judging_window_init (LkJudgingWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->cells = g_array_new (FALSE, TRUE, sizeof (LkJudgingCell));
  _lk_judging_window_keys_init (self);
  gtk_spin_button_set_value (self->sample_seed_spin, g_random_int_range (1, G_MAXINT32));
}

/* Finishes construction around @store; on failure destroys the window. */
static LkJudgingWindow *
setup (LkJudgingWindow  *self,
       const char       *study_path,
       GError          **error)
{
  g_autofree char *basename = g_path_get_basename (study_path);
  gint64 open;

  self->path = g_strdup (study_path);
  self->spaces = lk_neighbour_spaces_new (study_path);
  self->loader = lk_thumbnail_loader_new (study_path, 200, error);
  if (self->loader == NULL)
    {
      gtk_window_destroy (GTK_WINDOW (self));
      return NULL;
    }
  adw_window_title_set_subtitle (self->window_title, basename);
  if (lk_store_is_read_only (self->store))
    _lk_judging_window_show_start_error (self, _("The study is open read-only (another window or process has it): "
                              "rounds can be looked at but no mark can be saved."));
  open = _lk_judging_window_refresh_rounds (self);
  _lk_judging_window_show_page (self, "start");
  /* Carry on where the judge left off. */
  if (open != 0)
    gtk_widget_activate_action (GTK_WIDGET (self), "judging.open-round", "x", open);

  return self;
}

/**
 * lk_judging_window_new:
 * @application: the application
 * @study_path: the study, opened here for writing
 * @error: return location for a #GError (the study is missing, damaged or open elsewhere)
 *
 * Returns: (transfer full) (nullable): the window, resuming the newest unfinished round if
 *   there is one
 */
LkJudgingWindow *
lk_judging_window_new (GtkApplication  *application,
                       const char      *study_path,
                       GError         **error)
{
  LkStore *store = lk_store_open (study_path, LK_STORE_OPEN_DEFAULT, error);
  LkJudgingWindow *self;

  if (store == NULL)
    return NULL;
  self = g_object_new (LK_TYPE_JUDGING_WINDOW, "application", application, NULL);
  self->store = store;

  return setup (self, study_path, error);
}

/**
 * lk_judging_window_new_for_store:
 * @application: the application
 * @study_path: the study's file
 * @store: (transfer none): the study, already open (the study's one writable handle)
 * @store_owner: the object that owns @store and closes it only when finalized; the window
 *   holds a reference on it
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the window
 */
LkJudgingWindow *
lk_judging_window_new_for_store (GtkApplication  *application,
                                 const char      *study_path,
                                 LkStore         *store,
                                 GObject         *store_owner,
                                 GError         **error)
{
  LkJudgingWindow *self;

  g_return_val_if_fail (store != NULL && G_IS_OBJECT (store_owner), NULL);

  self = g_object_new (LK_TYPE_JUDGING_WINDOW, "application", application, NULL);
  self->store = store;
  self->store_owner = g_object_ref (store_owner);

  return setup (self, study_path, error);
}

gboolean
lk_judging_window_is_busy (LkJudgingWindow *self)
{
  g_return_val_if_fail (LK_IS_JUDGING_WINDOW (self), FALSE);

  return self->busy;
}

/**
 * lk_judging_window_get_page:
 *
 * Returns: "start", "loading", "judge" or "scores"
 */
const char *
lk_judging_window_get_page (LkJudgingWindow *self)
{
  g_return_val_if_fail (LK_IS_JUDGING_WINDOW (self), NULL);

  return gtk_stack_get_visible_child_name (self->stack);
}

/**
 * lk_judging_window_get_error:
 *
 * Returns: (nullable): the error shown on the start page, if any
 */
const char *
lk_judging_window_get_error (LkJudgingWindow *self)
{
  g_return_val_if_fail (LK_IS_JUDGING_WINDOW (self), NULL);

  return gtk_widget_get_visible (GTK_WIDGET (self->start_error))
         ? gtk_label_get_text (self->start_error) : NULL;
}

const LkJudgingRound *
lk_judging_window_get_round (LkJudgingWindow *self)
{
  g_return_val_if_fail (LK_IS_JUDGING_WINDOW (self), NULL);

  return self->round;
}

guint
lk_judging_window_get_seed_index (LkJudgingWindow *self)
{
  g_return_val_if_fail (LK_IS_JUDGING_WINDOW (self), 0);

  return self->seed;
}

/**
 * lk_judging_window_get_neighbour:
 * @position: a display position on the current seed
 *
 * Returns: (transfer none) (nullable): that neighbour's GtkFlowBoxChild
 */
GtkWidget *
lk_judging_window_get_neighbour (LkJudgingWindow *self,
                                 guint            position)
{
  g_return_val_if_fail (LK_IS_JUDGING_WINDOW (self), NULL);

  return position < self->cells->len ? g_array_index (self->cells, LkJudgingCell, position).child : NULL;
}

/**
 * lk_judging_window_get_key_controller:
 *
 * Returns: (transfer none): the controller that handles the marking keys
 */
GtkEventController *
lk_judging_window_get_key_controller (LkJudgingWindow *self)
{
  g_return_val_if_fail (LK_IS_JUDGING_WINDOW (self), NULL);

  return self->keys;
}

const char *
lk_judging_window_get_success_text (LkJudgingWindow *self)
{
  g_return_val_if_fail (LK_IS_JUDGING_WINDOW (self), NULL);

  return gtk_label_get_text (self->success_label);
}

const char *
lk_judging_window_get_avg_diff_text (LkJudgingWindow *self)
{
  g_return_val_if_fail (LK_IS_JUDGING_WINDOW (self), NULL);

  return gtk_label_get_text (self->avg_diff_label);
}

/**
 * lk_judging_window_export:
 * @path: the file to write
 * @json: %TRUE for JSON with the scores, %FALSE for CSV
 * @error: return location for a #GError
 *
 * Exports the current round (what the Export menu does once a file is chosen).
 *
 * Returns: %TRUE on success
 */
gboolean
lk_judging_window_export (LkJudgingWindow  *self,
                          const char       *path,
                          gboolean          json,
                          GError          **error)
{
  g_return_val_if_fail (LK_IS_JUDGING_WINDOW (self), FALSE);
  g_return_val_if_fail (self->round != NULL, FALSE);

  return json ? lk_judgements_export_json (self->store, self->round->id, path, error)
              : lk_judgements_export_csv (self->store, self->round->id, path, error);
}

/**
 * lk_judging_window_save_screenshot:
 * @path: a PNG file
 *
 * Saves the window once it is drawn and its pictures are in, then closes it.
 */
void
lk_judging_window_save_screenshot (LkJudgingWindow *self,
                                   const char      *path)
{
  g_return_if_fail (LK_IS_JUDGING_WINDOW (self));

  /* Thumbnails and the seed's decode come in over a few frames. */
  lk_window_save_png_when_ready (GTK_WINDOW (self), path, screenshot_ready, 30);
}
