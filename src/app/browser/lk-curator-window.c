/* lk-curator-window.c — the curator answers grids of their own study, from the browser
 *
 * A curator sorts a few grids as the single participant of their own study and watches the
 * neighbours improve. The window runs an ordinary LkSession on the browser's own LkStudy (the
 * study file is open once, with its writer lock, by the browser; a second lk_study_open()
 * would be refused as locked), on an LkStudyRun exactly like a participant's session: same
 * queue of grids, same phases. What differs from a participant's session is only the setup: no
 * consent page and no practice grids (the curator is the experimenter), no breaks, not pilot
 * data, and a normal window rather than study mode. Answers are recorded under the participant
 * code LK_CURATOR_PARTICIPANT, so coming back later continues the same participant.
 *
 * "answer-saved" is emitted once an answer is in the study file (the session shows the next
 * grid only after the run has committed it), with the number of answers the study holds; the
 * browser refreshes its strips on it. It follows the session's "model" notification (a new
 * grid is shown after each save) and the answer count. Phases are folded in on the run's
 * refinement worker, after the answer that completes them: "phase-stored" is emitted when a
 * run is swapped in, after the study run (connected first) has stored it, and the browser
 * refreshes its learned strip then too. Closing the window ends the session (its end time
 * goes into the study).
 *
 * "Keep as Known Answer…" (Ctrl+K) keeps the grid the curator sorted last, as stored in the
 * study file, as a known answer (lk-gold.c, source "curator"; exam use unless the dialog's
 * training box is ticked): a short dialog names it and confirms, a toast offers Undo (which
 * removes it again: nobody has been shown it yet). A sorting kept already, a name in use or a
 * study that cannot be written is said in a dialog; nothing is kept then.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "lk-answers.h"
#include "lk-curator-window-private.h"
#include "lk-gold.h"
#include "lk-pointer-probe.h"
#include "lk-screenshot.h"
#include "lk-study-run.h"

#define LK_CURATOR_PARTICIPANT "curator"

struct _LkCuratorWindow
{
  AdwWindow        parent_instance;

  /* Template widgets */
  AdwToastOverlay *toast_overlay;
  AdwWindowTitle  *window_title;
  GtkLabel        *answered_label;
  GtkStack        *stack;
  AdwStatusPage   *error_page;
  LkSessionView   *session_view;  /* made with the session (make_session_view()) */

  /* Owned references */
  LkStudy         *study;
  GCancellable    *preparing;     /* while the study is replayed */
  char            *keep_shot;     /* --page=keep-known-answer: the dialog's screenshot */

  /* State */
  guint            n_answered;
  gboolean         ended;
  gint64           kept;          /* the known answer kept last, for Undo; 0 when none */
};

enum {
  SIGNAL_ANSWER_SAVED,
  SIGNAL_PHASE_STORED,
  N_SIGNALS,
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (LkCuratorWindow, lk_curator_window, ADW_TYPE_WINDOW)

static LkSession *
get_session (LkCuratorWindow *self)
{
  return self->session_view != NULL ? lk_session_view_get_session (self->session_view) : NULL;
}

static void
update_count (LkCuratorWindow *self)
{
  g_autofree char *text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u grid answered",
                                                        "%u grids answered", self->n_answered),
                                           self->n_answered);

  gtk_label_set_text (self->answered_label, text);
}

static void
model_changed_cb (LkCuratorWindow *self,
                  GParamSpec      *pspec,
                  LkSession       *session)
{
  guint n = lk_session_get_n_answered (session);

  if (n == self->n_answered)
    return;
  self->n_answered = n;
  update_count (self);
  g_signal_emit (self, signals[SIGNAL_ANSWER_SAVED], 0, n);
}

static void
snapshot_cb (LkCuratorWindow *self)
{
  g_signal_emit (self, signals[SIGNAL_PHASE_STORED], 0);
}

static void
end_session (LkCuratorWindow *self)
{
  LkSession *session = get_session (self);
  g_autoptr(GError) error = NULL;

  if (self->ended || session == NULL)
    return;
  self->ended = TRUE;
  /* A failure here loses no answer (each is committed when submitted): say so, do not stop. */
  if (!lk_session_end (session, &error))
    g_warning ("could not record the end of the curator's session: %s", error->message);
  g_signal_handlers_disconnect_by_data (session, self);
}

static void
finished_cb (LkCuratorWindow *self)
{
  end_session (self);
  gtk_window_close (GTK_WINDOW (self));
}

static gboolean
close_request_cb (GtkWindow *window)
{
  end_session (LK_CURATOR_WINDOW (window));

  return FALSE;
}

/* Says in a dialog over the window why nothing was kept. */
static void
show_keep_error (LkCuratorWindow *self,
                 const char      *heading,
                 const char      *body)
{
  GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (self), heading, body);

  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "close");
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
update_keep_actions (LkCuratorWindow *self)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "curator.keep-gold",
                                 get_session (self) != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "curator.undo-keep", self->kept != 0);
}

static void
keep_response_cb (AdwMessageDialog *dialog,
                  const char       *response,
                  LkCuratorWindow  *self)
{
  LkStore *store = lk_study_get_store (self->study);
  LkQuery *answer = g_object_get_data (G_OBJECT (dialog), "lk-answer");
  GtkEditable *entry = g_object_get_data (G_OBJECT (dialog), "lk-name");
  GtkCheckButton *training = g_object_get_data (G_OBJECT (dialog), "lk-training");
  g_autofree char *name = NULL;
  g_autoptr(GError) error = NULL;
  LkSessionSetup setup;
  AdwToast *toast;
  gint64 id;

  if (!g_str_equal (response, "keep") || self->study == NULL)
    return;
  name = g_strstrip (g_strdup (gtk_editable_get_text (entry)));
  lk_study_get_setup (self->study, &setup);
  id = lk_gold_add (store, name, gtk_check_button_get_active (training) ? LK_GOLD_USE_TRAINING
                                                                        : LK_GOLD_USE_EXAM,
                    NULL, "curator", answer, setup.params.nc, &error);
  if (id == 0)
    {
      show_keep_error (self, _("Could Not Keep the Known Answer"), error->message);
      return;
    }
  self->kept = id;
  update_keep_actions (self);
  toast = adw_toast_new (_("Known answer kept"));
  adw_toast_set_button_label (toast, _("_Undo"));
  adw_toast_set_action_name (toast, "curator.undo-keep");
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static void
keep_gold_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  LkCuratorWindow *self = LK_CURATOR_WINDOW (widget);
  LkStore *store = self->study != NULL ? lk_study_get_store (self->study) : NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(LkQuery) answer = NULL;
  g_autofree char *same = NULL;
  g_autofree char *name = NULL;
  g_autofree char *number = NULL;
  g_autofree char *body = NULL;
  GtkWidget *dialog, *box, *entry, *training;
  guint n_bins = 0;
  gint64 query = 0;

  if (store == NULL)
    return;
  if (lk_store_is_read_only (store))
    {
      show_keep_error (self, _("The Study Is Open for Reading Only"),
                       _("Known answers are kept in the study file, which cannot be written "
                         "now. Close the windows that have it open and open it again."));
      return;
    }
  if (!lk_gold_last_sorted (store, LK_CURATOR_PARTICIPANT, &query, &error) ||
      (query != 0 && (answer = lk_answers_get_query (store, query, NULL, &error)) == NULL) ||
      (answer != NULL && !lk_gold_find_same (store, answer, &same, &error)))
    {
      show_keep_error (self, _("Could Not Keep the Known Answer"), error->message);
      return;
    }
  if (answer == NULL)
    {
      show_keep_error (self, _("No Grid Sorted Yet"),
                       _("Sort a grid and submit it first: the grid sorted last is the one "
                         "kept."));
      return;
    }
  if (same != NULL)
    {
      /* Translators: %s is the name of a known answer */
      g_autofree char *text = g_strdup_printf (_("This sorting is kept already, as “%s”."),
                                               same);

      show_keep_error (self, _("Already a Known Answer"), text);
      return;
    }

  for (guint i = 0; i < lk_query_get_n_items (answer); i++)
    n_bins = MAX (n_bins, (guint) (lk_query_get_bin (answer, i) + 1));
  number = g_strdup_printf ("%" G_GINT64_FORMAT, query);
  /* Translators: the default name of a known answer kept from the curator's grid, by its id */
  name = g_strdup_printf (_("Curator grid %s"), number);
  /* Translators: images, then groups of the grid sorted last */
  body = g_strdup_printf (_("The grid sorted last (%u images in %u groups) becomes a known "
                            "answer: scored in the exam and mixed into sessions as a catch grid, "
                            "or shown as a training page."),
                          lk_query_get_n_items (answer), n_bins);
  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Keep as Known Answer?"), body);
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  entry = gtk_entry_new ();
  gtk_editable_set_text (GTK_EDITABLE (entry), name);
  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Name of the known answer"), -1);
  training = gtk_check_button_new_with_mnemonic (_("Use as a _training page"));
  gtk_box_append (GTK_BOX (box), entry);
  gtk_box_append (GTK_BOX (box), training);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), box);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"),
                                    "keep", _("_Keep"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "keep",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "keep");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "lk-answer", g_steal_pointer (&answer),
                          (GDestroyNotify) lk_query_free);
  g_object_set_data (G_OBJECT (dialog), "lk-name", entry);
  g_object_set_data (G_OBJECT (dialog), "lk-training", training);
  g_signal_connect_object (dialog, "response", G_CALLBACK (keep_response_cb), self, 0);
  lk_pointer_probe_watch_window (GTK_WINDOW (dialog), "keep-dialog", NULL);
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (entry);
}

static void
undo_keep_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  LkCuratorWindow *self = LK_CURATOR_WINDOW (widget);
  g_autoptr(GError) error = NULL;

  if (self->kept == 0 || self->study == NULL)
    return;
  if (!lk_gold_remove (lk_study_get_store (self->study), self->kept, &error))
    {
      show_keep_error (self, _("Could Not Undo"), error->message);
      return;
    }
  self->kept = 0;
  update_keep_actions (self);
  adw_toast_overlay_add_toast (self->toast_overlay,
                               adw_toast_new (_("The known answer was removed")));
}

static void
lk_curator_window_dispose (GObject *object)
{
  LkCuratorWindow *self = (LkCuratorWindow *)object;

  g_cancellable_cancel (self->preparing);
  g_clear_object (&self->preparing);
  g_clear_object (&self->study);
  g_clear_pointer (&self->keep_shot, g_free);
  end_session (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), LK_TYPE_CURATOR_WINDOW);

  G_OBJECT_CLASS (lk_curator_window_parent_class)->dispose (object);
}

static void
lk_curator_window_class_init (LkCuratorWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = lk_curator_window_dispose;
  window_class->close_request = close_request_cb;

  /**
   * LkCuratorWindow::answer-saved:
   * @n_answered: answers saved from this window so far
   *
   * An answer is in the study file.
   */
  signals[SIGNAL_ANSWER_SAVED] =
    g_signal_new ("answer-saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_UINT);

  /**
   * LkCuratorWindow::phase-stored:
   *
   * The refinement worker swapped a run in, and the study file has its phase.
   */
  signals[SIGNAL_PHASE_STORED] =
    g_signal_new ("phase-stored", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/likeness/Likeness/ui/browser/lk-curator-window.ui");
  gtk_widget_class_bind_template_child (widget_class, LkCuratorWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, LkCuratorWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, LkCuratorWindow, answered_label);
  gtk_widget_class_bind_template_child (widget_class, LkCuratorWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, LkCuratorWindow, error_page);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK,
                                       "window.close", NULL);
  gtk_widget_class_install_action (widget_class, "curator.keep-gold", NULL, keep_gold_action);
  gtk_widget_class_install_action (widget_class, "curator.undo-keep", NULL, undo_keep_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_k, GDK_CONTROL_MASK,
                                       "curator.keep-gold", NULL);
}

/* For the pointer probe: busy while the study is replayed. */
static gboolean
curator_busy (GtkWindow *window)
{
  return LK_CURATOR_WINDOW (window)->preparing != NULL;
}

static void
lk_curator_window_init (LkCuratorWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  lk_pointer_probe_watch_window (GTK_WINDOW (self), "curator", curator_busy);
  update_keep_actions (self);
}

/* Returns the dialog shown over @self, or NULL. */
static GtkWindow *
find_dialog (LkCuratorWindow *self)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = g_list_model_get_n_items (toplevels); i-- > 0;)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (gtk_window_get_transient_for (window) == GTK_WINDOW (self)
          && gtk_widget_get_visible (GTK_WIDGET (window)))
        return window;
    }

  return NULL;
}

static gboolean
close_after_shot_cb (gpointer data)
{
  gtk_window_destroy (GTK_WINDOW (data));

  return G_SOURCE_REMOVE;
}

/* Closes the browser, and with it this window, once the dialog is gone: not from the dialog's
 * own "destroy", while the dialog still refers to this window as its parent. The browser is
 * held until then, so that this window, going with it, lets go of a living parent. */
static void
keep_shot_destroyed_cb (LkCuratorWindow *self)
{
  GtkWindow *parent = gtk_window_get_transient_for (GTK_WINDOW (self));

  g_idle_add_full (G_PRIORITY_DEFAULT, close_after_shot_cb,
                   g_object_ref (parent != NULL ? parent : GTK_WINDOW (self)), g_object_unref);
}

/* --page=keep-known-answer:STUDY: once the grids show, opens "Keep as Known Answer…" and, with
 * --screenshot, saves it over the window, then closes the windows. */
static gboolean
open_keep_dialog_cb (gpointer data)
{
  LkCuratorWindow *self = data;
  LkSession *session = lk_curator_window_get_session (self);
  GtkWindow *dialog;

  /* Past the instructions, on the next grid, as after the grid sorted last. */
  if (session != NULL && lk_session_get_state (session) == LK_SESSION_INSTRUCTIONS)
    lk_session_begin (session);
  gtk_widget_activate_action (GTK_WIDGET (self), "curator.keep-gold", NULL);
  dialog = find_dialog (self);
  if (dialog == NULL)
    g_warning ("the Keep as Known Answer dialog did not open");
  else if (self->keep_shot[0] != '\0')
    {
      lk_dialog_save_png_when_ready (dialog, GTK_WINDOW (self), self->keep_shot);
      g_signal_connect_object (dialog, "destroy", G_CALLBACK (keep_shot_destroyed_cb), self,
                               G_CONNECT_SWAPPED);
    }

  return G_SOURCE_REMOVE;
}

/* Shows why no session can run here, in place of the grids. */
static void
show_error (LkCuratorWindow *self,
            const GError    *error)
{
  adw_status_page_set_description (self->error_page, error->message);
  gtk_stack_set_visible_child_name (self->stack, "error");
}

/* Makes the session's page. Not in the template: its pages (sorting, triplets, choices,
 * intruders, instructions…) made and styled with the window doubled the main thread's work
 * when Sort Grids opens (bench/bench-collection), and the window shows only a spinner until
 * the study is replayed. */
static void
make_session_view (LkCuratorWindow *self)
{
  GtkWidget *view = lk_session_view_new ();

  gtk_widget_set_vexpand (view, TRUE);
  g_signal_connect_swapped (view, "finished", G_CALLBACK (finished_cb), self);
  gtk_stack_add_named (self->stack, view, "session");
  self->session_view = LK_SESSION_VIEW (view);
}

static void
run_ready_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(LkCuratorWindow) self = user_data;
  g_autoptr(LkStudyRun) run = NULL;
  g_autoptr(LkSession) session = NULL;
  g_autoptr(GError) error = NULL;
  LkSessionSetup setup;

  run = lk_study_run_new_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_object (&self->preparing);
  if (run != NULL)
    {
      lk_study_get_setup (self->study, &setup);
      setup.consent = NULL;
      setup.n_practice = 0;
      setup.break_every = 0;
      /* The curator is not a participant: no share of the study's grids, only its budget. */
      setup.grids_per_participant = 0;
      session = lk_session_new (LK_IMAGE_SOURCE (self->study), &setup, LK_CURATOR_PARTICIPANT,
                                FALSE, LK_GRID_SOURCE (run), &error);
    }
  if (session == NULL)
    {
      show_error (self, error);
      return;
    }

  make_session_view (self);
  lk_session_view_set_session (self->session_view, session);
  update_keep_actions (self);
  gtk_stack_set_visible_child_name (self->stack, "session");
  self->n_answered = lk_session_get_n_answered (session);
  update_count (self);
  g_signal_connect_object (session, "notify::model", G_CALLBACK (model_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (lk_session_get_refine_worker (session), "notify::snapshot",
                           G_CALLBACK (snapshot_cb), self, G_CONNECT_SWAPPED);
  if (self->keep_shot != NULL)
    g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, open_keep_dialog_cb, g_object_ref (self),
                     g_object_unref);
}

/**
 * lk_curator_window_new:
 * @parent: (nullable): the browser
 * @study: the browser's open study (its store open for writing)
 *
 * The window says it is preparing while the study is replayed on a worker thread (through a
 * read-only connection of its own, so the browser goes on using the study meanwhile), then
 * shows a session at the study's next unanswered grid, or why there can be none (too few
 * images for a grid, a damaged file…).
 *
 * Returns: (transfer none): a window (owned by GTK, as toplevels are)
 */
LkCuratorWindow *
lk_curator_window_new (GtkWindow *parent,
                       LkStudy   *study)
{
  g_autofree char *title = NULL;
  LkCuratorWindow *self;

  g_return_val_if_fail (LK_IS_STUDY (study), NULL);

  self = g_object_new (LK_TYPE_CURATOR_WINDOW, "transient-for", parent,
                       "destroy-with-parent", TRUE, NULL);
  self->study = g_object_ref (study);
  title = lk_study_dup_title (study);
  adw_window_title_set_subtitle (self->window_title, title != NULL ? title : "");
  self->preparing = g_cancellable_new ();
  lk_study_run_new_async (study, NULL, self->preparing, run_ready_cb, g_object_ref (self));

  return self;
}

/**
 * lk_curator_window_is_preparing:
 *
 * Returns: %TRUE while the study is being replayed, before the grids or an error show
 */
gboolean
lk_curator_window_is_preparing (LkCuratorWindow *self)
{
  g_return_val_if_fail (LK_IS_CURATOR_WINDOW (self), FALSE);

  return self->preparing != NULL;
}

/**
 * lk_curator_window_get_error:
 *
 * Returns: (nullable): why no session can run, once the window shows that
 */
const char *
lk_curator_window_get_error (LkCuratorWindow *self)
{
  g_return_val_if_fail (LK_IS_CURATOR_WINDOW (self), NULL);

  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "error") != 0)
    return NULL;

  return adw_status_page_get_description (self->error_page);
}

/**
 * lk_curator_window_get_view:
 *
 * Returns: (transfer none) (nullable): the session's page, once the study is replayed and a
 *   session runs
 */
LkSessionView *
lk_curator_window_get_view (LkCuratorWindow *self)
{
  g_return_val_if_fail (LK_IS_CURATOR_WINDOW (self), NULL);

  return self->session_view;
}

/**
 * lk_curator_window_get_kept:
 *
 * Returns: the id of the known answer kept last from this window, 0 when none (or undone)
 */
gint64
lk_curator_window_get_kept (LkCuratorWindow *self)
{
  g_return_val_if_fail (LK_IS_CURATOR_WINDOW (self), 0);

  return self->kept;
}

LkSession *
lk_curator_window_get_session (LkCuratorWindow *self)
{
  g_return_val_if_fail (LK_IS_CURATOR_WINDOW (self), NULL);

  return get_session (self);
}

/**
 * lk_curator_window_show_keep_dialog:
 * @path: (nullable): where to save the screenshot, or %NULL for none
 *
 * Opens "Keep as Known Answer…" as soon as the grids show (for `--page=keep-known-answer`);
 * with @path, saves it drawn over the window as a PNG, then closes the dialog, this window and
 * the browser.
 */
void
lk_curator_window_show_keep_dialog (LkCuratorWindow *self,
                                    const char      *path)
{
  g_return_if_fail (LK_IS_CURATOR_WINDOW (self));

  g_free (self->keep_shot);
  self->keep_shot = g_strdup (path != NULL ? path : "");
  if (lk_curator_window_get_session (self) != NULL)
    g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, open_keep_dialog_cb, g_object_ref (self),
                     g_object_unref);
}
