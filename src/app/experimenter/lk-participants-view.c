/* lk-participants-view.c — who sorted how: the experimenter's table of participants
 *
 * A GtkColumnView of the study's participants (lk_participants_list()): code, answers, median
 * seconds per grid, agreement with the model, their quality figures (not qualified,
 * consistency, gold score, the flags the study's thresholds raise), the model's criterion for
 * them (cen's attribute weights, Crowdclustering's bias) and a switch that leaves them out of the model. The list is
 * computed on a worker thread, from a copy of the model the window shows and a read-only
 * connection of its own, whenever the window hands a new model over
 * (lk_participants_view_refresh()). Leave Out and Bring Back (the switch, the buttons, or
 * Delete and Insert on the selected row) write the study's flag with its writer and emit
 * "excluded-changed"; the window then recomputes the model without them on a worker thread and
 * offers Undo. Only a study file has participants to leave out; on a demo the view says so.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <math.h>

#include <glib/gi18n.h>

#include "lk-background.h"
#include "lk-participants-view.h"

/* One row: an LkParticipantInfo, owned. */
struct _LkParticipantItem
{
  GObject            parent_instance;
  LkParticipantInfo *info;
};

G_DEFINE_FINAL_TYPE (LkParticipantItem, lk_participant_item, G_TYPE_OBJECT)

static void
lk_participant_item_finalize (GObject *object)
{
  LkParticipantItem *self = (LkParticipantItem *)object;

  g_clear_pointer (&self->info, lk_participant_info_free);

  G_OBJECT_CLASS (lk_participant_item_parent_class)->finalize (object);
}

static void
lk_participant_item_class_init (LkParticipantItemClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = lk_participant_item_finalize;
}

static void
lk_participant_item_init (LkParticipantItem *self)
{
}

/**
 * lk_participant_item_get_info:
 *
 * Returns: (transfer none): the row's participant
 */
const LkParticipantInfo *
lk_participant_item_get_info (LkParticipantItem *self)
{
  g_return_val_if_fail (LK_IS_PARTICIPANT_ITEM (self), NULL);

  return self->info;
}

struct _LkParticipantsView
{
  GtkBox              parent_instance;

  /* Widgets */
  GtkLabel           *status;
  GtkColumnView      *column_view;
  GtkWidget          *leave_button;
  GtkWidget          *back_button;

  /* Owned references */
  LkStudy            *study;        /* nullable: a demo has none */
  GListStore         *store;        /* LkParticipantItem */
  GtkSingleSelection *selection;
  GCancellable       *loading;      /* the list under way */

  /* State */
  char               *status_text;
  char               *locked;       /* nullable: why rows cannot be changed now */
  gboolean            binding;      /* switches set by the rows, not by the experimenter */
};

G_DEFINE_FINAL_TYPE (LkParticipantsView, lk_participants_view, GTK_TYPE_BOX)

enum {
  SIGNAL_EXCLUDED_CHANGED,
  N_SIGNALS,
};

static guint signals[N_SIGNALS];

static void
set_status (LkParticipantsView *self,
            const char         *text)
{
  g_free (self->status_text);
  self->status_text = g_strdup (text);
  gtk_label_set_text (self->status, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->status), text != NULL && *text != '\0');
}

static LkParticipantItem *
selected_item (LkParticipantsView *self)
{
  return gtk_single_selection_get_selected_item (self->selection);
}

static void
update_buttons (LkParticipantsView *self)
{
  LkParticipantItem *item = selected_item (self);
  gboolean can_write = self->study != NULL && self->loading == NULL && self->locked == NULL;

  gtk_widget_set_sensitive (self->leave_button, can_write && item != NULL
                                                && !item->info->excluded);
  gtk_widget_set_sensitive (self->back_button, can_write && item != NULL
                                               && item->info->excluded);
}

/* Writes the flag and tells the window; shows the error in the view if it cannot. */
static void
request (LkParticipantsView *self,
         const char         *code,
         gboolean            excluded)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *copy = g_strdup (code);

  if (!lk_participants_view_set_excluded (self, copy, excluded, &error))
    {
      g_autofree char *message = NULL;

      /* Translators: %s is why the flag could not be written */
      message = g_strdup_printf (_("The participant could not be changed: %s"), error->message);
      set_status (self, message);
    }
}

static void
leave_out_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  LkParticipantsView *self = LK_PARTICIPANTS_VIEW (widget);
  LkParticipantItem *item = selected_item (self);

  if (item != NULL && !item->info->excluded)
    request (self, item->info->code, TRUE);
}

static void
bring_back_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  LkParticipantsView *self = LK_PARTICIPANTS_VIEW (widget);
  LkParticipantItem *item = selected_item (self);

  if (item != NULL && item->info->excluded)
    request (self, item->info->code, FALSE);
}

/* The cells: a label per column, a switch for the last. */
typedef enum {
  COLUMN_CODE,
  COLUMN_ANSWERS,
  COLUMN_TIME,
  COLUMN_AGREEMENT,
  COLUMN_QUALITY,
  COLUMN_CRITERION,
  COLUMN_EXCLUDED,
} Column;

static char *
cell_text (const LkParticipantInfo *info,
           Column                   column)
{
  switch (column)
    {
    case COLUMN_CODE:
      return info->pilot ? g_strdup_printf (_("%s (pilot)"), info->code) : g_strdup (info->code);
    case COLUMN_ANSWERS:
      return g_strdup_printf ("%u", info->answers);
    case COLUMN_TIME:
      /* Translators: a median time per grid in seconds */
      return isnan (info->median_seconds) ? g_strdup ("—")
             : g_strdup_printf (_("%.1f s"), info->median_seconds);
    case COLUMN_AGREEMENT:
      return isnan (info->agreement) ? g_strdup ("—")
             : g_strdup_printf ("%.0f %%", 100 * info->agreement);
    case COLUMN_QUALITY:
      {
        GPtrArray *parts = g_ptr_array_new_with_free_func (g_free);
        char *text;

        if (info->not_qualified)
          g_ptr_array_add (parts, g_strdup (_("not qualified")));
        if (!isnan (info->consistency))
          g_ptr_array_add (parts, g_strdup_printf (_("consistency %.2f"), info->consistency));
        if (!isnan (info->gold_score))
          g_ptr_array_add (parts, g_strdup_printf (_("gold score %.0f"), info->gold_score));
        if (info->flags & LK_PARTICIPANT_FLAG_INCONSISTENT)
          g_ptr_array_add (parts, g_strdup (_("flagged: inconsistent")));
        if (info->flags & LK_PARTICIPANT_FLAG_LOW_GOLD)
          g_ptr_array_add (parts, g_strdup (_("flagged: low gold score")));
        if (parts->len == 0)
          g_ptr_array_add (parts, g_strdup ("—"));
        g_ptr_array_add (parts, NULL);
        text = g_strjoinv (", ", (char **) parts->pdata);
        g_ptr_array_unref (parts);
        return text;
      }
    case COLUMN_CRITERION:
      if (info->criterion == NULL)
        return g_strdup ("—");
      {
        GString *text = g_string_new (info->criterion_kind == LK_CRITERION_BIAS
                                      ? _("bias ") : _("weights "));

        for (guint c = 0; c < info->criterion->len; c++)
          g_string_append_printf (text, "%s%.2f", c > 0 ? " " : "",
                                  g_array_index (info->criterion, double, c));
        return g_string_free (text, FALSE);
      }
    case COLUMN_EXCLUDED:
    default:
      return NULL;
    }
}

static void
setup_label_cb (GtkSignalListItemFactory *factory,
                GtkListItem              *list_item,
                gpointer                  user_data)
{
  GtkWidget *label = gtk_label_new (NULL);
  Column column = GPOINTER_TO_INT (user_data);

  /* Text to the left, numbers to the right. */
  gtk_label_set_xalign (GTK_LABEL (label),
                        column == COLUMN_CODE || column == COLUMN_CRITERION
                        || column == COLUMN_QUALITY ? 0 : 1);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_list_item_set_child (list_item, label);
}

static void
bind_label_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *list_item,
               gpointer                  user_data)
{
  LkParticipantItem *item = gtk_list_item_get_item (list_item);
  g_autofree char *text = cell_text (item->info, GPOINTER_TO_INT (user_data));

  gtk_label_set_text (GTK_LABEL (gtk_list_item_get_child (list_item)), text);
}

static void
switch_active_cb (GtkSwitch   *toggle,
                  GParamSpec  *pspec,
                  GtkListItem *list_item)
{
  LkParticipantsView *self = g_object_get_data (G_OBJECT (toggle), "lk-view");
  LkParticipantItem *item = gtk_list_item_get_item (list_item);

  if (self->binding || item == NULL)
    return;
  if (gtk_switch_get_active (toggle) != item->info->excluded)
    request (self, item->info->code, gtk_switch_get_active (toggle));
}

static void
setup_switch_cb (GtkSignalListItemFactory *factory,
                 GtkListItem              *list_item,
                 gpointer                  user_data)
{
  GtkWidget *toggle = gtk_switch_new ();

  gtk_widget_set_halign (toggle, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (toggle, _("Leave this participant out of the model (their "
                                         "answers stay stored)"));
  g_object_set_data (G_OBJECT (toggle), "lk-view", user_data);
  g_signal_connect (toggle, "notify::active", G_CALLBACK (switch_active_cb), list_item);
  gtk_list_item_set_child (list_item, toggle);
}

static void
bind_switch_cb (GtkSignalListItemFactory *factory,
                GtkListItem              *list_item,
                gpointer                  user_data)
{
  LkParticipantsView *self = user_data;
  LkParticipantItem *item = gtk_list_item_get_item (list_item);

  self->binding = TRUE;
  gtk_switch_set_active (GTK_SWITCH (gtk_list_item_get_child (list_item)), item->info->excluded);
  gtk_widget_set_sensitive (gtk_list_item_get_child (list_item),
                            self->study != NULL && self->locked == NULL);
  self->binding = FALSE;
}

static void
add_column (LkParticipantsView *self,
            const char         *title,
            Column              column,
            gboolean            expand)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();
  g_autoptr(GtkColumnViewColumn) view_column = NULL;

  if (column == COLUMN_EXCLUDED)
    {
      g_signal_connect (factory, "setup", G_CALLBACK (setup_switch_cb), self);
      g_signal_connect (factory, "bind", G_CALLBACK (bind_switch_cb), self);
    }
  else
    {
      g_signal_connect (factory, "setup", G_CALLBACK (setup_label_cb), GINT_TO_POINTER (column));
      g_signal_connect (factory, "bind", G_CALLBACK (bind_label_cb), GINT_TO_POINTER (column));
    }
  view_column = gtk_column_view_column_new (title, g_steal_pointer (&factory));
  gtk_column_view_column_set_expand (view_column, expand);
  gtk_column_view_append_column (self->column_view, view_column);
}

static void
selection_changed_cb (LkParticipantsView *self)
{
  update_buttons (self);
}

static void
lk_participants_view_dispose (GObject *object)
{
  LkParticipantsView *self = (LkParticipantsView *)object;

  g_cancellable_cancel (self->loading);
  g_clear_object (&self->loading);
  g_clear_object (&self->study);
  g_clear_object (&self->selection);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (lk_participants_view_parent_class)->dispose (object);
}

static void
lk_participants_view_finalize (GObject *object)
{
  LkParticipantsView *self = (LkParticipantsView *)object;

  g_free (self->status_text);
  g_free (self->locked);

  G_OBJECT_CLASS (lk_participants_view_parent_class)->finalize (object);
}

static void
lk_participants_view_class_init (LkParticipantsViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = lk_participants_view_dispose;
  object_class->finalize = lk_participants_view_finalize;

  /**
   * LkParticipantsView::excluded-changed:
   * @code: the participant's code
   * @excluded: whether they are now left out
   *
   * The study's flag was written; the model is to be recomputed.
   */
  signals[SIGNAL_EXCLUDED_CHANGED] =
    g_signal_new ("excluded-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_BOOLEAN);

  gtk_widget_class_install_action (widget_class, "participants.leave-out", NULL,
                                   leave_out_action);
  gtk_widget_class_install_action (widget_class, "participants.bring-back", NULL,
                                   bring_back_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Delete, 0,
                                       "participants.leave-out", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Insert, 0,
                                       "participants.bring-back", NULL);
}

static void
lk_participants_view_init (LkParticipantsView *self)
{
  GtkWidget *heading, *scrolled, *buttons;

  gtk_orientable_set_orientation (GTK_ORIENTABLE (self), GTK_ORIENTATION_VERTICAL);
  gtk_box_set_spacing (GTK_BOX (self), 6);

  heading = gtk_label_new (_("Participants"));
  gtk_label_set_xalign (GTK_LABEL (heading), 0);
  gtk_widget_add_css_class (heading, "heading");
  gtk_widget_set_margin_top (heading, 6);
  gtk_widget_set_margin_start (heading, 8);
  gtk_box_append (GTK_BOX (self), heading);

  self->status = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (self->status, 0);
  gtk_label_set_wrap (self->status, TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (self->status), "dim-label");
  gtk_widget_set_margin_start (GTK_WIDGET (self->status), 8);
  gtk_box_append (GTK_BOX (self), GTK_WIDGET (self->status));

  self->store = g_list_store_new (LK_TYPE_PARTICIPANT_ITEM);
  self->selection = gtk_single_selection_new (G_LIST_MODEL (g_object_ref (self->store)));
  g_signal_connect_object (self->selection, "notify::selected-item",
                           G_CALLBACK (selection_changed_cb), self, G_CONNECT_SWAPPED);
  self->column_view = GTK_COLUMN_VIEW (gtk_column_view_new (
                                         GTK_SELECTION_MODEL (g_object_ref (self->selection))));
  gtk_column_view_set_show_column_separators (self->column_view, FALSE);
  add_column (self, _("Code"), COLUMN_CODE, TRUE);
  add_column (self, _("Answers"), COLUMN_ANSWERS, FALSE);
  add_column (self, _("Median Time"), COLUMN_TIME, FALSE);
  add_column (self, _("Agreement"), COLUMN_AGREEMENT, FALSE);
  add_column (self, _("Quality"), COLUMN_QUALITY, TRUE);
  add_column (self, _("Criterion"), COLUMN_CRITERION, TRUE);
  add_column (self, _("Left Out"), COLUMN_EXCLUDED, FALSE);

  /* As tall as its rows, up to a dozen or so, then scrolled: the right column scrolls as a
   * whole on a small screen, and gives each view its natural height (lk-experimenter-window.c),
   * so a fixed height here cut the third row off. */
  scrolled = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_AUTOMATIC,
                                  GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_min_content_height (GTK_SCROLLED_WINDOW (scrolled), 140);
  gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scrolled), 520);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scrolled), TRUE);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), GTK_WIDGET (self->column_view));
  gtk_box_append (GTK_BOX (self), scrolled);

  buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  gtk_widget_set_halign (buttons, GTK_ALIGN_END);
  self->leave_button = gtk_button_new_with_mnemonic (_("_Leave Out"));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->leave_button), "participants.leave-out");
  gtk_widget_set_tooltip_text (self->leave_button,
                               _("Recompute the model without the selected participant’s "
                                 "answers (Delete)"));
  self->back_button = gtk_button_new_with_mnemonic (_("_Bring Back"));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->back_button), "participants.bring-back");
  gtk_widget_set_tooltip_text (self->back_button,
                               _("Take the selected participant’s answers into the model again "
                                 "(Insert)"));
  gtk_box_append (GTK_BOX (buttons), self->leave_button);
  gtk_box_append (GTK_BOX (buttons), self->back_button);
  gtk_box_append (GTK_BOX (self), buttons);

  set_status (self, _("Participants can be left out of the model in a study file."));
  update_buttons (self);
}

GtkWidget *
lk_participants_view_new (void)
{
  return g_object_new (LK_TYPE_PARTICIPANTS_VIEW, NULL);
}

/**
 * lk_participants_view_set_locked:
 * @reason: (nullable): why the rows cannot be changed now (shown), or %NULL to allow it
 */
void
lk_participants_view_set_locked (LkParticipantsView *self,
                                 const char         *reason)
{
  guint n;

  g_return_if_fail (LK_IS_PARTICIPANTS_VIEW (self));

  g_free (self->locked);
  self->locked = g_strdup (reason);
  if (reason != NULL)
    set_status (self, reason);
  n = g_list_model_get_n_items (G_LIST_MODEL (self->store));
  g_list_model_items_changed (G_LIST_MODEL (self->store), 0, n, n);
  update_buttons (self);
}

/**
 * lk_participants_view_set_study:
 * @study: (nullable): the study file shown, %NULL for a demo
 */
void
lk_participants_view_set_study (LkParticipantsView *self,
                                LkStudy            *study)
{
  g_return_if_fail (LK_IS_PARTICIPANTS_VIEW (self));
  g_return_if_fail (study == NULL || LK_IS_STUDY (study));

  g_set_object (&self->study, study);
  if (study == NULL)
    {
      g_list_store_remove_all (self->store);
      set_status (self, _("Participants can be left out of the model in a study file."));
    }
  update_buttons (self);
}

/* The list on a worker thread: a read-only connection of its own and a copy of the model. */
typedef struct {
  char      *path;
  LkRefiner *refiner;
  GPtrArray *list;   /* out */
} ListJob;

static void
list_job_free (gpointer data)
{
  ListJob *job = data;

  g_free (job->path);
  g_clear_pointer (&job->refiner, lk_refiner_free);
  g_clear_pointer (&job->list, g_ptr_array_unref);
  g_free (job);
}

static void
list_job_run (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  ListJob *job = task_data;
  g_autoptr(LkStore) store = NULL;
  GError *error = NULL;

  lk_background_lower_priority ();
  store = lk_store_open (job->path, LK_STORE_OPEN_READ_ONLY, &error);
  if (store != NULL)
    job->list = lk_participants_list (store, job->refiner, &error);
  if (job->list == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
list_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(LkParticipantsView) self = user_data;
  ListJob *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  g_autofree gpointer *rows = NULL;
  gsize n_rows = 0;
  guint selected;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_autofree char *message = NULL;

          g_clear_object (&self->loading);
          /* Translators: %s is why the participants could not be read */
          message = g_strdup_printf (_("The participants could not be read: %s"), error->message);
          set_status (self, message);
          update_buttons (self);
        }
      return;
    }
  g_clear_object (&self->loading);

  selected = gtk_single_selection_get_selected (self->selection);
  g_list_store_remove_all (self->store);
  rows = g_ptr_array_steal (job->list, &n_rows);
  for (gsize i = 0; i < n_rows; i++)
    {
      LkParticipantItem *item = g_object_new (LK_TYPE_PARTICIPANT_ITEM, NULL);

      item->info = rows[i];
      g_list_store_append (self->store, item);
      g_object_unref (item);
    }
  if (selected != GTK_INVALID_LIST_POSITION && selected < n_rows)
    gtk_single_selection_set_selected (self->selection, selected);
  set_status (self, self->locked != NULL ? self->locked
                    : n_rows == 0 ? _("No one has answered yet.") : NULL);
  update_buttons (self);
}

/**
 * lk_participants_view_refresh:
 * @refiner: the model the window shows (copied here; the list is computed on a worker thread)
 *
 * Reads the participants of the study anew against @refiner. Does nothing without a study.
 */
void
lk_participants_view_refresh (LkParticipantsView *self,
                              const LkRefiner    *refiner)
{
  g_autoptr(GTask) task = NULL;
  ListJob *job;

  g_return_if_fail (LK_IS_PARTICIPANTS_VIEW (self));
  g_return_if_fail (refiner != NULL);

  if (self->study == NULL)
    return;
  g_cancellable_cancel (self->loading);
  g_clear_object (&self->loading);
  self->loading = g_cancellable_new ();

  job = g_new0 (ListJob, 1);
  job->path = g_strdup (lk_study_get_path (self->study));
  job->refiner = lk_refiner_copy (refiner);
  task = g_task_new (NULL, self->loading, list_done_cb, g_object_ref (self));
  g_task_set_check_cancellable (task, TRUE);
  g_task_set_task_data (task, job, list_job_free);
  g_task_run_in_thread (task, list_job_run);
  update_buttons (self);
}

/**
 * lk_participants_view_set_busy:
 * @message: (nullable): what is under way (the model recomputed), or %NULL when it is over
 *
 * While the window recomputes the model, the rows cannot be changed.
 */
void
lk_participants_view_set_busy (LkParticipantsView *self,
                               const char         *message)
{
  g_return_if_fail (LK_IS_PARTICIPANTS_VIEW (self));

  set_status (self, message);
  gtk_widget_set_sensitive (GTK_WIDGET (self->column_view), message == NULL);
  update_buttons (self);
  if (message != NULL)
    {
      gtk_widget_set_sensitive (self->leave_button, FALSE);
      gtk_widget_set_sensitive (self->back_button, FALSE);
    }
}

/**
 * lk_participants_view_set_excluded:
 * @code: a participant's code
 * @excluded: %TRUE to leave them out of the model
 *
 * Writes the study's flag (with the study's writer) and emits "excluded-changed".
 *
 * Returns: %TRUE on success; %FALSE with @error (a study open read-only, say) and the row as
 *   it was
 */
gboolean
lk_participants_view_set_excluded (LkParticipantsView *self,
                                   const char         *code,
                                   gboolean            excluded,
                                   GError            **error)
{
  g_return_val_if_fail (LK_IS_PARTICIPANTS_VIEW (self), FALSE);
  g_return_val_if_fail (code != NULL, FALSE);

  if (self->study == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                           _("A demo study has no participants to leave out"));
      return FALSE;
    }
  if (self->locked != NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_BUSY, self->locked);
      return FALSE;
    }
  if (!lk_participants_set_excluded (lk_study_get_store (self->study), code, excluded, error))
    {
      /* Puts the switches back as the rows say. */
      g_list_model_items_changed (G_LIST_MODEL (self->store), 0,
                                  g_list_model_get_n_items (G_LIST_MODEL (self->store)),
                                  g_list_model_get_n_items (G_LIST_MODEL (self->store)));
      return FALSE;
    }
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->store)); i++)
    {
      g_autoptr(LkParticipantItem) item = g_list_model_get_item (G_LIST_MODEL (self->store), i);

      if (g_str_equal (item->info->code, code))
        {
          item->info->excluded = excluded;
          g_list_model_items_changed (G_LIST_MODEL (self->store), i, 1, 1);
        }
    }
  g_signal_emit (self, signals[SIGNAL_EXCLUDED_CHANGED], 0, code, excluded);
  update_buttons (self);

  return TRUE;
}

gboolean
lk_participants_view_is_loading (LkParticipantsView *self)
{
  g_return_val_if_fail (LK_IS_PARTICIPANTS_VIEW (self), FALSE);

  return self->loading != NULL;
}

/**
 * lk_participants_view_get_model:
 *
 * Returns: (transfer none): the rows (LkParticipantItem)
 */
GListModel *
lk_participants_view_get_model (LkParticipantsView *self)
{
  g_return_val_if_fail (LK_IS_PARTICIPANTS_VIEW (self), NULL);

  return G_LIST_MODEL (self->store);
}

const char *
lk_participants_view_get_status (LkParticipantsView *self)
{
  g_return_val_if_fail (LK_IS_PARTICIPANTS_VIEW (self), NULL);

  return self->status_text;
}

GtkWidget *
lk_participants_view_get_column_view (LkParticipantsView *self)
{
  g_return_val_if_fail (LK_IS_PARTICIPANTS_VIEW (self), NULL);

  return GTK_WIDGET (self->column_view);
}
