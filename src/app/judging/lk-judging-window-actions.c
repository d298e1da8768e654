/* lk-judging-window-actions.c — the judging window's actions, its marking keys, making a
 * round and exporting it
 *
 * A new round's spaces are loaded by LkNeighbourSpaces (its own read-only connection, on a
 * worker) and its lists computed in a GTask (HOG k-NN over a large collection takes a while);
 * the main thread then stores the round in one transaction.
 *
 * Keyboard: 1 / 2 / 3 mark the focused image very similar / similar / unrelated and move to
 * the next one, 0 or BackSpace take the mark back, arrows move (GtkFlowBox), Page Down / Up
 * or Alt+Right / Left change seed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "lk-judging-window-private.h"
#include "lk-save-dialog.h"

/* ---- making a round ---------------------------------------------------------------------- */

typedef struct {
  LkJudgingTaskOwner *owner;    /* while the spaces load */
  char               *judge;
  LkSpaceKind         baseline;
  guint               k;
  guint               n_seeds;
  guint64             sample_seed;
  LkSpace            *learned_space;
  LkSpace            *baseline_space;
} PlanData;

static void
plan_data_free (gpointer data)
{
  PlanData *d = data;

  g_clear_pointer (&d->learned_space, lk_space_unref);
  g_clear_pointer (&d->baseline_space, lk_space_unref);
  g_free (d->judge);
  g_free (d);
}

static void
plan_thread (GTask        *task,
             gpointer      source,
             gpointer      task_data,
             GCancellable *cancellable)
{
  PlanData *d = task_data;
  g_autoptr(GError) error = NULL;
  LkJudgingRound *round = lk_judging_round_plan (d->learned_space, d->baseline_space, d->judge,
                                                 d->k, d->n_seeds, d->sample_seed, &error);

  if (round == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, round, (GDestroyNotify) lk_judging_round_free);
}

static void
plan_failed (LkJudgingWindow *self,
             const char      *message)
{
  self->busy = FALSE;
  _lk_judging_window_show_start_error (self, message);
  _lk_judging_window_show_page (self, "start");
}

static void
plan_done (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(LkJudgingWindow) self = _lk_judging_task_owner_steal (user_data, NULL);
  g_autoptr(GError) error = NULL;
  LkJudgingRound *round = g_task_propagate_pointer (G_TASK (result), &error);

  if (self == NULL || g_cancellable_is_cancelled (self->cancellable))
    {
      lk_judging_round_free (round);
      return;
    }
  if (round != NULL && !lk_judging_round_save (self->store, round, &error))
    g_clear_pointer (&round, lk_judging_round_free);
  if (round == NULL)
    {
      plan_failed (self, error->message);
      return;
    }
  self->busy = FALSE;
  _lk_judging_window_show_start_error (self, NULL);
  _lk_judging_window_refresh_rounds (self);
  _lk_judging_window_set_round (self, round);
}

/* Says why @kind's space is missing, or NULL if it is there. */
static char *
missing_space (LkNeighbourSpaces *spaces,
               LkSpaceKind        kind)
{
  const GError *error = lk_neighbour_spaces_get_error (spaces, kind);

  if (lk_neighbour_spaces_get_space (spaces, kind) != NULL)
    return NULL;
  if (!g_error_matches (error, LK_STORE_ERROR, LK_STORE_ERROR_NOT_FOUND))
    return g_strdup (error != NULL ? error->message : "");
  if (kind == LK_SPACE_LEARNED)
    return g_strdup (_("The study has no learned embedding yet: no phase is complete. Answer "
                       "grids until the first phase ends, then judge its neighbours."));

  return g_strdup_printf (_("No image has the %s descriptor yet. Open the collection browser "
                            "once, which computes the descriptors, or import the images again "
                            "with likeness-cli."),
                          kind == LK_SPACE_HOG ? _("HOG") : _("colour"));
}

static void
spaces_loaded_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  PlanData *d = user_data;
  g_autoptr(LkJudgingWindow) self = _lk_judging_task_owner_steal (g_steal_pointer (&d->owner),
                                                                  NULL);
  LkNeighbourSpaces *spaces = LK_NEIGHBOUR_SPACES (source);
  g_autoptr(GError) error = NULL;
  g_autoptr(GTask) task = NULL;
  g_autofree char *missing = NULL;

  if (!lk_neighbour_spaces_load_finish (spaces, result, &error))
    {
      g_autofree char *text = g_strdup_printf (_("The study could not be read: %s"),
                                               error->message);

      if (self != NULL && !g_cancellable_is_cancelled (self->cancellable))
        plan_failed (self, text);
      plan_data_free (d);
      return;
    }
  if (self == NULL || g_cancellable_is_cancelled (self->cancellable))
    {
      plan_data_free (d);
      return;
    }
  missing = missing_space (spaces, LK_SPACE_LEARNED);
  if (missing == NULL)
    missing = missing_space (spaces, d->baseline);
  if (missing != NULL)
    {
      plan_failed (self, missing);
      plan_data_free (d);
      return;
    }
  d->learned_space = lk_space_ref (lk_neighbour_spaces_get_space (spaces, LK_SPACE_LEARNED));
  d->baseline_space = lk_space_ref (lk_neighbour_spaces_get_space (spaces, d->baseline));
  task = g_task_new (NULL, self->cancellable, plan_done, _lk_judging_task_owner_new (self, 0));
  g_task_set_task_data (task, d, plan_data_free);
  g_task_run_in_thread (task, plan_thread);
}


/**
 * lk_judging_window_start_round:
 * @self: the window
 * @judge: the judge's code
 * @baseline: %LK_SPACE_COLOR or %LK_SPACE_HOG
 * @k: neighbours per list (the paper: 10)
 * @n_seeds: seeds to sample
 * @sample_seed: the sample's seed
 *
 * Fills the new-round form and starts the round, as the Start button does; the window is busy
 * until its neighbours are found.
 */
void
lk_judging_window_start_round (LkJudgingWindow *self,
                               const char      *judge,
                               LkSpaceKind      baseline,
                               guint            k,
                               guint            n_seeds,
                               guint            sample_seed)
{
  g_return_if_fail (LK_IS_JUDGING_WINDOW (self));

  gtk_editable_set_text (GTK_EDITABLE (self->judge_row), judge);
  adw_combo_row_set_selected (self->baseline_row, baseline == LK_SPACE_HOG ? 1 : 0);
  gtk_spin_button_set_value (self->seeds_spin, n_seeds);
  gtk_spin_button_set_value (self->k_spin, k);
  gtk_spin_button_set_value (self->sample_seed_spin, sample_seed);
  gtk_widget_activate_action (GTK_WIDGET (self), "judging.start", NULL);
}

/* ---- actions ----------------------------------------------------------------------------- */

static void
start_cb (GtkWidget  *widget,
          const char *action,
          GVariant   *parameter)
{
  LkJudgingWindow *self = LK_JUDGING_WINDOW (widget);
  g_autofree char *judge = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->judge_row))));
  PlanData *d;

  if (self->busy)
    return;
  if (*judge == '\0')
    {
      _lk_judging_window_show_start_error (self, _("Enter the judge’s code first (a pseudonym is enough)."));
      gtk_widget_grab_focus (GTK_WIDGET (self->judge_row));
      return;
    }
  d = g_new0 (PlanData, 1);
  d->owner = _lk_judging_task_owner_new (self, 0);
  d->judge = g_steal_pointer (&judge);
  d->baseline = adw_combo_row_get_selected (self->baseline_row) == 1 ? LK_SPACE_HOG : LK_SPACE_COLOR;
  d->n_seeds = gtk_spin_button_get_value_as_int (self->seeds_spin);
  d->k = gtk_spin_button_get_value_as_int (self->k_spin);
  d->sample_seed = (guint64) gtk_spin_button_get_value (self->sample_seed_spin);
  self->busy = TRUE;
  _lk_judging_window_show_start_error (self, NULL);
  _lk_judging_window_show_page (self, "loading");
  lk_neighbour_spaces_load_async (self->spaces, LK_NEIGHBOUR_SPACES_LEARNED | (1 << d->baseline),
                                  self->cancellable, spaces_loaded_cb, d);
}

static void
open_round_cb (GtkWidget  *widget,
               const char *action,
               GVariant   *parameter)
{
  LkJudgingWindow *self = LK_JUDGING_WINDOW (widget);
  g_autoptr(GError) error = NULL;
  LkJudgingRound *round;

  if (self->busy)
    return;
  round = lk_judging_round_load (self->store, g_variant_get_int64 (parameter), &error);
  if (round == NULL)
    {
      _lk_judging_window_show_start_error (self, error->message);
      _lk_judging_window_show_page (self, "start");
      return;
    }
  _lk_judging_window_show_start_error (self, NULL);
  _lk_judging_window_set_round (self, round);
}

static void
rounds_cb (GtkWidget  *widget,
           const char *action,
           GVariant   *parameter)
{
  LkJudgingWindow *self = LK_JUDGING_WINDOW (widget);

  _lk_judging_window_refresh_rounds (self);
  _lk_judging_window_show_page (self, "start");
}

static void
next_cb (GtkWidget  *widget,
         const char *action,
         GVariant   *parameter)
{
  LkJudgingWindow *self = LK_JUDGING_WINDOW (widget);

  if (self->round == NULL)
    return;
  if (self->seed + 1 < self->round->n_seeds)
    _lk_judging_window_show_seed (self, self->seed + 1);
  else
    _lk_judging_window_show_scores (self);
}

static void
previous_cb (GtkWidget  *widget,
             const char *action,
             GVariant   *parameter)
{
  LkJudgingWindow *self = LK_JUDGING_WINDOW (widget);

  if (self->round != NULL && self->seed > 0)
    _lk_judging_window_show_seed (self, self->seed - 1);
}

static void
scores_cb (GtkWidget  *widget,
           const char *action,
           GVariant   *parameter)
{
  LkJudgingWindow *self = LK_JUDGING_WINDOW (widget);

  if (self->round != NULL)
    _lk_judging_window_show_scores (self);
}

static void
resume_cb (GtkWidget  *widget,
           const char *action,
           GVariant   *parameter)
{
  LkJudgingWindow *self = LK_JUDGING_WINDOW (widget);

  if (self->round != NULL)
    _lk_judging_window_show_seed (self, self->seed);
}

/* judging.mark (position, mark): the buttons' and keys' path, for tests and assistive tools. */
static void
mark_cb (GtkWidget  *widget,
         const char *action,
         GVariant   *parameter)
{
  LkJudgingWindow *self = LK_JUDGING_WINDOW (widget);
  guint position;
  gint mark;

  g_variant_get (parameter, "(ui)", &position, &mark);
  if (mark < LK_JUDGEMENT_NONE || mark > LK_JUDGEMENT_VERY_SIMILAR)
    return;
  _lk_judging_window_set_mark (self, position, mark);
}

static void
export_response_cb (GtkNativeDialog *dialog,
                    int              response,
                    gpointer         user_data)
{
  LkJudgingWindow *self = user_data;
  gboolean json = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (dialog), "lk-json"));

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autofree char *path = lk_save_dialog_dup_path (dialog, NULL, 0);
      g_autoptr(GError) error = NULL;

      if (path == NULL)
        _lk_judging_window_toast (self, _("Choose a local file to export to."));
      else if (!lk_judging_window_export (self, path, json, &error))
        {
          g_autofree char *text = g_strdup_printf (_("The export failed: %s"), error->message);

          _lk_judging_window_toast (self, text);
        }
      else
        {
          g_autofree char *name = g_path_get_basename (path);
          g_autofree char *text = g_strdup_printf (_("Saved %s"), name);

          _lk_judging_window_toast (self, text);
        }
    }
  g_object_unref (dialog);
  g_object_unref (self);
}

static void
export_cb (GtkWidget  *widget,
           const char *action,
           GVariant   *parameter)
{
  LkJudgingWindow *self = LK_JUDGING_WINDOW (widget);
  gboolean json = g_strcmp0 (g_variant_get_string (parameter, NULL), "json") == 0;
  g_autofree char *name = NULL;
  GtkFileChooserNative *dialog;

  if (self->round == NULL)
    return;
  name = g_strdup_printf ("judgements-round-%" G_GINT64_FORMAT ".%s", self->round->id,
                          json ? "json" : "csv");
  dialog = lk_save_dialog_new (GTK_WINDOW (self), json ? _("Export the Judgements as JSON")
                                                       : _("Export the Judgements as CSV"),
                               _("_Export"), NULL, 0, name, G_CALLBACK (export_response_cb),
                               g_object_ref (self));
  g_object_set_data (G_OBJECT (dialog), "lk-json", GINT_TO_POINTER (json));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

/* ---- keys -------------------------------------------------------------------------------- */

/* Returns the display position of the neighbour holding the focus, or -1. */
static gint
focused_position (LkJudgingWindow *self)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (self));

  for (GtkWidget *w = focus; w != NULL; w = gtk_widget_get_parent (w))
    if (GTK_IS_FLOW_BOX_CHILD (w) && gtk_widget_get_parent (w) == GTK_WIDGET (self->neighbours))
      return gtk_flow_box_child_get_index (GTK_FLOW_BOX_CHILD (w));

  return -1;
}

static gboolean
key_pressed_cb (GtkEventControllerKey *controller,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                gpointer               user_data)
{
  LkJudgingWindow *self = user_data;
  gint position, mark;

  if ((state & (GDK_CONTROL_MASK | GDK_ALT_MASK)) != 0 || self->round == NULL ||
      g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "judge") != 0)
    return FALSE;
  switch (keyval)
    {
    case GDK_KEY_1: case GDK_KEY_KP_1: mark = LK_JUDGEMENT_VERY_SIMILAR; break;
    case GDK_KEY_2: case GDK_KEY_KP_2: mark = LK_JUDGEMENT_SIMILAR; break;
    case GDK_KEY_3: case GDK_KEY_KP_3: mark = LK_JUDGEMENT_UNRELATED; break;
    case GDK_KEY_0: case GDK_KEY_KP_0: case GDK_KEY_BackSpace: mark = LK_JUDGEMENT_NONE; break;
    case GDK_KEY_Page_Down:
      gtk_widget_activate_action (GTK_WIDGET (self), "judging.next", NULL);
      return TRUE;
    case GDK_KEY_Page_Up:
      gtk_widget_activate_action (GTK_WIDGET (self), "judging.previous", NULL);
      return TRUE;
    default:
      return FALSE;
    }
  position = focused_position (self);
  if (position < 0)
    return FALSE;
  /* A mark moves on to the next image, so a seed is judged with the number keys alone. */
  if (_lk_judging_window_set_mark (self, position, mark) && mark != LK_JUDGEMENT_NONE &&
      (guint) position + 1 < self->cells->len)
    _lk_judging_window_focus_cell (self, position + 1);

  return TRUE;
}

void
_lk_judging_window_class_actions_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "judging.start", NULL, start_cb);
  gtk_widget_class_install_action (widget_class, "judging.open-round", "x", open_round_cb);
  gtk_widget_class_install_action (widget_class, "judging.rounds", NULL, rounds_cb);
  gtk_widget_class_install_action (widget_class, "judging.next", NULL, next_cb);
  gtk_widget_class_install_action (widget_class, "judging.previous", NULL, previous_cb);
  gtk_widget_class_install_action (widget_class, "judging.scores", NULL, scores_cb);
  gtk_widget_class_install_action (widget_class, "judging.resume", NULL, resume_cb);
  gtk_widget_class_install_action (widget_class, "judging.mark", "(ui)", mark_cb);
  gtk_widget_class_install_action (widget_class, "judging.export", "s", export_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Right, GDK_ALT_MASK,
                                       "judging.next", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK,
                                       "judging.previous", NULL);
}

/* Adds the controller of the marking keys to the neighbours' flow box. */
void
_lk_judging_window_keys_init (LkJudgingWindow *self)
{
  /* Capture: the number keys work whichever part of a neighbour has the focus, and Page Up /
   * Down change seed before the flow box would page its cursor. */
  self->keys = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (self->keys, GTK_PHASE_CAPTURE);
  g_signal_connect (self->keys, "key-pressed", G_CALLBACK (key_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->neighbours), self->keys);
}
