/* lk-session-view.c — the pages a participant goes through, following an LkSession
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "lk-choice-page.h"
#include "lk-gold-feedback.h"
#include "lk-instructions-example.h"
#include "lk-intruder-page.h"
#include "lk-pointer-probe.h"
#include "lk-session-view-private.h"
#include "lk-study-run.h"
#include "lk-trial-example.h"
#include "lk-triplet-page.h"

/* How long a training page's feedback is shown before Continue (and Enter) take effect. */
#define LK_SESSION_VIEW_FEEDBACK_DELAY_MS 400

struct _LkSessionView
{
  AdwBin          parent_instance;

  /* Template widgets */
  GtkStack       *stack;
  GtkLabel       *consent_label;
  GtkWidget      *accept_button;
  GtkWidget      *decline_button;
  AdwStatusPage  *instructions_status;
  GtkLabel       *instructions_label;
  GtkButton      *begin_button;
  LkInstructionsExample *example;
  GtkDrawingArea *trial_example;
  AdwStatusPage  *practice_done_status;
  LkTripletPage  *triplet_page;
  LkChoicePage   *choice_page;
  LkIntruderPage *intruder_page;
  GtkWidget      *continue_button;
  GtkWidget      *resume_button;
  GtkWidget      *finish_button;
  LkSortPage     *sort_page;
  GtkLabel       *gold_label;
  AdwStatusPage  *feedback_status;
  GtkBox         *feedback_groups;
  GtkWidget      *feedback_button;
  AdwStatusPage  *break_status;
  AdwStatusPage  *save_failed_status;
  GtkLabel       *error_label;
  AdwStatusPage  *done_status;

  /* Owned references */
  LkSession      *session;
  LkRefineWorker *worker;         /* the session's run's, followed for its new phases */
  char           *probe_line;     /* the centres printed last (lk-pointer-probe.c) */

  gboolean        trial_changed;  /* the session has a new trial for its page */
  guint           prepare_id;     /* asks for the next grid's images, once the frame is out */
  guint           feedback_id;    /* enables Continue on a training page's feedback */
  guint           probe_serial;
  gboolean        probe;
};

G_DEFINE_FINAL_TYPE (LkSessionView, lk_session_view, ADW_TYPE_BIN)

enum {
  SIGNAL_FINISHED,
  N_SIGNALS,
};

static guint signals[N_SIGNALS];

/* Returns the page showing an item of @kind. */
static const char *
page_for_kind (LkTaskKind kind)
{
  switch (kind)
    {
    case LK_TASK_TRIPLET:  return "triplet";
    case LK_TASK_CHOICE5:
    case LK_TASK_MATCH:    return "choice";
    case LK_TASK_INTRUDER: return "intruder";
    case LK_TASK_SORT:
    case LK_TASK_TRAINING:
    case LK_TASK_EXAM:
    default:               return "sort";
    }
}

static const char *
page_for_state (LkSessionState state,
                LkTaskKind     kind)
{
  switch (state)
    {
    case LK_SESSION_CONSENT:       return "consent";
    case LK_SESSION_INSTRUCTIONS:  return "instructions";
    case LK_SESSION_SORTING:       return page_for_kind (kind);
    case LK_SESSION_PRACTICE_DONE: return "practice-done";
    case LK_SESSION_BREAK:         return "break";
    case LK_SESSION_SAVE_FAILED:   return "save-failed";
    case LK_SESSION_DONE:          return "done";
    case LK_SESSION_DECLINED:      return "declined";
    case LK_SESSION_COMPLETE:      return "complete";
    case LK_SESSION_FEEDBACK:      return "feedback";
    case LK_SESSION_NOT_QUALIFIED: return "not-qualified";
    default:                       g_assert_not_reached ();
    }
}

/* The buttons of the pages between grids are for a deliberate click, or Tab and then Enter:
 * GtkStack (and a new window) would focus the first one, and then the Enter that submitted the
 * last grid, pressed twice or held, would finish the session at once (back to the start page,
 * out of study mode), decline consent, or skip a page unread. */
static void
drop_focus (LkSessionView *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;

  /* Also when it is still on an image of the sorting screen, which is fading out (once hidden,
   * GTK would hand that focus on to the page shown), or on a widget no longer in the window. */
  if (focus != NULL && (gtk_widget_get_root (focus) != root
                        || gtk_widget_is_ancestor (focus, GTK_WIDGET (self->stack))))
    gtk_root_set_focus (root, NULL);
}

static gboolean
drop_focus_idle_cb (gpointer data)
{
  LkSessionView *self = data;

  if (self->session != NULL && lk_session_get_state (self->session) != LK_SESSION_SORTING)
    drop_focus (self);

  return G_SOURCE_REMOVE;
}

static gboolean
prepare_next_cb (gpointer data)
{
  LkSessionView *self = data;
  g_autofree guint *items = NULL;
  guint n = 0;

  self->prepare_id = 0;
  if (self->session != NULL)
    items = lk_session_dup_next_items (self->session, &n);
  if (items != NULL)
    lk_sort_page_prepare_next (self->sort_page, items, n);

  return G_SOURCE_REMOVE;
}

/* The next grid's images are decoded while the participant sorts this one. Which grid comes
 * next is asked (a read of the study file) at low priority, after the frame showing this grid,
 * and again when a phase's new batch is in. */
static void
schedule_prepare_next (LkSessionView *self)
{
  if (self->prepare_id == 0)
    self->prepare_id = g_idle_add_full (G_PRIORITY_LOW, prepare_next_cb, self, NULL);
}

static void
snapshot_cb (LkSessionView  *self,
             GParamSpec     *pspec,
             LkRefineWorker *worker)
{
  schedule_prepare_next (self);
}

/* Returns the instructions of a task other than sorting (the study's own are for sorting). */
static const char *
trial_instructions (LkTaskKind kind)
{
  switch (kind)
    {
    case LK_TASK_TRIPLET:
      return _("You will see one image on top and two below it, A and B. Say which of A and B "
               "looks more like the image on top, or that both do, or that neither does. "
               "Click an answer, or press its number (1 to 4); ← and → answer A and B.");
    case LK_TASK_CHOICE5:
      return _("You will see one image on the left and five on the right. Pick the one that "
               "looks most like the image on the left: click it, or press its number (1 to 5). "
               "There is no wrong answer: go with your first impression.");
    case LK_TASK_MATCH:
      return _("You will see one image on the left and a page of others. Pick the one that "
               "looks most like it: click it, press its number, or move to it with the arrow "
               "keys and press Enter. If none looks like it, choose “None of these” (0).");
    case LK_TASK_INTRUDER:
      return _("You will see eight images. Seven belong together; one does not. Pick the odd "
               "one out: click it, or press its number (1 to 8).");
    case LK_TASK_SORT:
    case LK_TASK_TRAINING:
    case LK_TASK_EXAM:
    default:
      return NULL;
    }
}

/* Returns the instructions page's text of a training or exam block of @n grids (owned). */
static char *
gold_block_instructions (LkTaskKind kind,
                         guint      n)
{
  if (kind == LK_TASK_TRAINING)
    return g_strdup_printf (ngettext ("First comes a training page, to learn the task. Put "
                                      "images that look alike into the same bin. After the "
                                      "page you will see the answer and how close you were.",
                                      "First come %u training pages, to learn the task. Put "
                                      "images that look alike into the same bin. After each "
                                      "page you will see the answer and how close you were.",
                                      n), n);

  return g_strdup_printf (ngettext ("Now comes a short test: %u grid whose answer is known. "
                                    "Sort it as carefully as you can. You will not see the "
                                    "answer. If your answer is close enough, the main task "
                                    "follows.",
                                    "Now comes a short test: %u grids whose answers are "
                                    "known. Sort them as carefully as you can. You will not "
                                    "see the answers. If your answers are close enough, the "
                                    "main task follows.", n), n);
}

/* Shows, above the sorting page, a training page's steps or an exam grid's heading; hides the
 * label for any other grid. */
static void
sync_gold_label (LkSessionView *self)
{
  const LkGoldGrid *gold = lk_session_get_gold (self->session);
  guint number = lk_session_get_grid_number (self->session);
  guint total = lk_session_get_n_grids (self->session);
  g_autofree char *text = NULL;

  gtk_widget_set_visible (GTK_WIDGET (self->gold_label), gold != NULL);
  if (gold == NULL)
    return;
  if (lk_session_get_kind (self->session) == LK_TASK_TRAINING)
    {
      /* Translators: the steps of a training page; the numbers are the page's and the pages' */
      g_autofree char *steps =
        g_strdup_printf (_("Training page %u of %u. 1. Look at all the images. 2. Put those "
                           "that belong together into the same bin: drag them, or press the "
                           "bin’s number. 3. Leave an image where it is if it fits no group. "
                           "4. Press Enter or Submit to see the answer."), number, total);

      text = gold->instructions != NULL && gold->instructions[0] != '\0'
             ? g_strdup_printf ("%s\n%s", steps, gold->instructions)
             : g_steal_pointer (&steps);
    }
  else
    text = g_strdup_printf (_("Test grid %u of %u. Sort these images as carefully as you can; "
                              "the answer is not shown."), number, total);
  gtk_label_set_label (self->gold_label, text);
}

static gboolean
feedback_ready_cb (gpointer data)
{
  LkSessionView *self = data;

  self->feedback_id = 0;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "session.continue", TRUE);
  gtk_widget_grab_focus (self->feedback_button);

  return G_SOURCE_REMOVE;
}

/* Fills the feedback page of the training page just submitted. Continue takes the focus, so
 * that Enter goes on, but only after a moment: the Enter that submitted the page, held, would
 * otherwise skip its feedback unread. */
static void
sync_feedback (LkSessionView *self)
{
  double score = 0;
  const LkQuery *answer = lk_session_get_feedback (self->session, &score);
  const LkGoldGrid *gold = lk_session_get_gold (self->session);
  g_autofree char *title = NULL;

  if (answer == NULL || gold == NULL)
    return;
  lk_gold_feedback_fill (self->feedback_groups, lk_session_get_source (self->session), gold,
                         answer);
  /* Translators: the score of a training page, from 0 to 100 */
  title = g_strdup_printf (_("Your Score: %.0f of 100"), score);
  adw_status_page_set_title (self->feedback_status, title);
  adw_status_page_set_description (self->feedback_status,
                                   score >= 100 ? _("Exactly right. Press Enter or Continue "
                                                    "for the next page.")
                                                : _("Here is the answer. Compare it with "
                                                    "yours, then press Enter or Continue."));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "session.continue", FALSE);
  g_clear_handle_id (&self->feedback_id, g_source_remove);
  self->feedback_id = g_timeout_add (LK_SESSION_VIEW_FEEDBACK_DELAY_MS, feedback_ready_cb, self);
}

/* The instructions page of the block under way: its task's text and example, and which part
 * of the session it is when there are several. */
static void
sync_instructions (LkSessionView *self)
{
  LkTaskKind kind = lk_session_get_kind (self->session);
  guint n_blocks;
  guint block = lk_session_get_block (self->session, &n_blocks);
  gboolean sorting = lk_task_kind_is_sorting (kind);

  if (kind == LK_TASK_TRAINING || kind == LK_TASK_EXAM)
    {
      g_autofree char *text = gold_block_instructions (kind, lk_session_get_n_grids (self->session));

      gtk_label_set_label (self->instructions_label, text);
    }
  else
    gtk_label_set_label (self->instructions_label,
                         sorting ? lk_session_get_instructions (self->session)
                                 : trial_instructions (kind));
  gtk_widget_set_visible (GTK_WIDGET (self->example), sorting);
  gtk_widget_set_visible (GTK_WIDGET (self->trial_example), !sorting);
  if (!sorting)
    {
      lk_trial_example_set_kind (self->trial_example, kind);
      gtk_widget_queue_draw (GTK_WIDGET (self->trial_example));
    }
  if (n_blocks > 1)
    {
      g_autofree char *title = g_strdup_printf (_("Part %u of %u: How It Works"), block + 1,
                                                n_blocks);

      adw_status_page_set_title (self->instructions_status, title);
    }
  else
    adw_status_page_set_title (self->instructions_status, _("How It Works"));
  adw_status_page_set_description (self->practice_done_status,
                                   sorting ? _("That was practice. From now on your answers "
                                               "count. Sort the images the same way.")
                                           : _("That was practice. From now on your answers "
                                               "count. Answer the same way."));
}

/* Gives the trial shown to its page, once per trial. */
static void
sync_trial (LkSessionView *self)
{
  const LkTrial *trial = lk_session_get_trial (self->session);
  LkImageSource *source = lk_session_get_source (self->session);
  guint number = lk_session_get_grid_number (self->session);
  guint total = lk_session_get_n_grids (self->session);
  gboolean practice = lk_session_is_practice (self->session);

  if (trial == NULL)
    return;
  if (self->trial_changed)
    {
      self->trial_changed = FALSE;
      if (trial->kind == LK_TASK_TRIPLET)
        lk_triplet_page_set_trial (self->triplet_page, trial, source);
      else if (trial->kind == LK_TASK_INTRUDER)
        lk_intruder_page_set_trial (self->intruder_page, trial, source);
      else
        lk_choice_page_set_trial (self->choice_page, trial, source);
    }
  if (trial->kind == LK_TASK_TRIPLET)
    lk_triplet_page_set_progress (self->triplet_page, number, total, practice);
  else if (trial->kind == LK_TASK_INTRUDER)
    lk_intruder_page_set_progress (self->intruder_page, number, total, practice);
  else
    lk_choice_page_set_progress (self->choice_page, number, total, practice);
}

static void
sync_page (LkSessionView *self)
{
  LkSessionState state = lk_session_get_state (self->session);
  LkSortModel *model = lk_session_get_model (self->session);
  LkTaskKind kind = lk_session_get_kind (self->session);
  const char *page = page_for_state (state, kind);

  if (state == LK_SESSION_SORTING && model != lk_sort_page_get_model (self->sort_page))
    {
      lk_sort_page_set_model (self->sort_page, model, lk_session_get_source (self->session));
      schedule_prepare_next (self);
    }
  if (state == LK_SESSION_SORTING && model != NULL)
    lk_sort_page_set_progress (self->sort_page, lk_session_get_grid_number (self->session),
                               lk_session_get_n_grids (self->session),
                               lk_session_is_practice (self->session));
  if (state == LK_SESSION_SORTING)
    {
      sync_trial (self);
      sync_gold_label (self);
    }
  if (state == LK_SESSION_FEEDBACK && g_strcmp0 (gtk_stack_get_visible_child_name (self->stack),
                                                 "feedback") != 0)
    sync_feedback (self);
  if (state == LK_SESSION_INSTRUCTIONS || state == LK_SESSION_PRACTICE_DONE)
    sync_instructions (self);

  if (state == LK_SESSION_BREAK && lk_session_get_between_blocks (self->session))
    {
      guint n_blocks;
      guint block = lk_session_get_block (self->session, &n_blocks);
      g_autofree char *text =
        g_strdup_printf (_("You have finished part %u of %u. Rest your eyes for a moment, then "
                           "go on when you are ready."), block, n_blocks);

      adw_status_page_set_description (self->break_status, text);
    }
  else if (state == LK_SESSION_BREAK && !lk_task_kind_is_sorting (kind))
    {
      g_autofree char *text =
        g_strdup_printf (_("You have answered %u of %u. Rest your eyes for a moment, then go "
                           "on when you are ready."),
                         lk_session_get_grid_number (self->session) - 1,
                         lk_session_get_n_grids (self->session));

      adw_status_page_set_description (self->break_status, text);
    }
  else if (state == LK_SESSION_BREAK)
    {
      g_autofree char *text =
        g_strdup_printf (_("You have sorted %u of %u grids. Rest your eyes for a moment, then "
                           "go on when you are ready."),
                         lk_session_get_grid_number (self->session) - 1,
                         lk_session_get_n_grids (self->session));

      adw_status_page_set_description (self->break_status, text);
    }

  /* A grid submitted stays on screen while the stack fades to the next page; insensitive, it
   * takes no more keys (an arrow would focus it again, and a second Enter submit it again). */
  gtk_widget_set_sensitive (GTK_WIDGET (self->sort_page), state == LK_SESSION_SORTING);
  gtk_widget_set_sensitive (GTK_WIDGET (self->triplet_page), state == LK_SESSION_SORTING);
  gtk_widget_set_sensitive (GTK_WIDGET (self->choice_page), state == LK_SESSION_SORTING);
  gtk_widget_set_sensitive (GTK_WIDGET (self->intruder_page), state == LK_SESSION_SORTING);
  gtk_stack_set_visible_child_name (self->stack, page);
  if (state != LK_SESSION_SORTING && state != LK_SESSION_FEEDBACK)
    drop_focus (self);
  else if (state == LK_SESSION_FEEDBACK && self->feedback_id != 0)
    drop_focus (self);
}

static void
state_cb (LkSessionView *self,
          GParamSpec    *pspec,
          LkSession     *session)
{
  sync_page (self);
}

static void
trial_cb (LkSessionView *self,
          GParamSpec    *pspec,
          LkSession     *session)
{
  self->trial_changed = TRUE;
  sync_page (self);
}

static void
submit_cb (LkSessionView *self,
           LkSortPage    *page)
{
  g_autoptr(GError) error = NULL;

  if (lk_session_get_state (self->session) != LK_SESSION_SORTING)
    return;
  if (!lk_session_submit (self->session, &error))
    {
      g_warning ("could not save the answer: %s", error->message);
      gtk_label_set_label (self->error_label, error->message);
    }
}

static void
answer_cb (LkSessionView *self,
           gint           choice,
           GtkWidget     *page)
{
  g_autoptr(GError) error = NULL;

  if (lk_session_get_state (self->session) != LK_SESSION_SORTING
      || lk_session_get_trial (self->session) == NULL)
    return;
  if (!lk_session_answer_trial (self->session, choice, &error))
    {
      g_warning ("could not save the answer: %s", error->message);
      gtk_label_set_label (self->error_label, error->message);
    }
}

static void
accept_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  LkSessionView *self = LK_SESSION_VIEW (widget);

  if (lk_session_get_state (self->session) == LK_SESSION_CONSENT)
    lk_session_accept_consent (self->session);
}

static void
decline_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  LkSessionView *self = LK_SESSION_VIEW (widget);

  if (lk_session_get_state (self->session) == LK_SESSION_CONSENT)
    lk_session_decline_consent (self->session);
}

static void
begin_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  LkSessionView *self = LK_SESSION_VIEW (widget);
  LkSessionState state = lk_session_get_state (self->session);

  if (state == LK_SESSION_INSTRUCTIONS || state == LK_SESSION_PRACTICE_DONE)
    lk_session_begin (self->session);
}

static void
resume_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  LkSessionView *self = LK_SESSION_VIEW (widget);

  if (lk_session_get_state (self->session) == LK_SESSION_BREAK)
    lk_session_resume (self->session);
}

static void
retry_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  LkSessionView *self = LK_SESSION_VIEW (widget);
  g_autoptr(GError) error = NULL;

  if (lk_session_get_state (self->session) != LK_SESSION_SAVE_FAILED)
    return;
  if (!lk_session_retry (self->session, &error))
    {
      g_autofree char *text = g_strdup_printf (_("Still failing: %s"), error->message);

      g_warning ("could not save the answer again: %s", error->message);
      gtk_label_set_label (self->error_label, text);
    }
}

static void
continue_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  LkSessionView *self = LK_SESSION_VIEW (widget);
  g_autoptr(GError) error = NULL;

  if (lk_session_get_state (self->session) != LK_SESSION_FEEDBACK)
    return;
  if (!lk_session_continue (self->session, &error))
    {
      g_warning ("could not prepare the next page: %s", error->message);
      gtk_label_set_label (self->error_label, error->message);
    }
}

static void
finish_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  LkSessionView *self = LK_SESSION_VIEW (widget);
  LkSessionState state = lk_session_get_state (self->session);

  if (state == LK_SESSION_DONE || state == LK_SESSION_DECLINED || state == LK_SESSION_COMPLETE
      || state == LK_SESSION_NOT_QUALIFIED)
    g_signal_emit (self, signals[SIGNAL_FINISHED], 0);
}

/* With LIKENESS_PRINT_CENTRES set: after a painted frame, prints the centres of what can be
 * clicked or dragged on the page shown, when they changed since the last line:
 *   centres SERIAL PAGE [busy] [ready] [grid=[P]N] NAME=X,Y ... [place=B,...]
 * ("busy" while the stack's crossfade runs, "ready" once a training page's feedback takes
 * Continue, "grid=P1" for practice grid 1), so that the real-pointer tests know where to point
 * (tests/ui/test-pointer-drag.py). */
static void
probe_after_paint_cb (LkSessionView *self,
                      GdkFrameClock *clock)
{
  g_autoptr(GString) line = g_string_new (NULL);
  const char *page = gtk_stack_get_visible_child_name (self->stack);

  g_string_append (line, page != NULL ? page : "none");
  if (gtk_stack_get_transition_running (self->stack))
    g_string_append (line, " busy");
  /* A training page's feedback takes Continue only after a moment (feedback_ready_cb). */
  if (g_strcmp0 (page, "feedback") == 0 && self->feedback_id == 0)
    g_string_append (line, " ready");
  if (self->session != NULL && g_strcmp0 (page, "sort") == 0)
    g_string_append_printf (line, " grid=%s%u", lk_session_is_practice (self->session) ? "P" : "",
                            lk_session_get_grid_number (self->session));
  lk_pointer_probe_append_centre (line, "accept", self->accept_button);
  lk_pointer_probe_append_centre (line, "decline", self->decline_button);
  lk_pointer_probe_append_centre (line, "begin", GTK_WIDGET (self->begin_button));
  lk_pointer_probe_append_centre (line, "continue", self->continue_button);
  lk_pointer_probe_append_centre (line, "resume", self->resume_button);
  lk_pointer_probe_append_centre (line, "finish", self->finish_button);
  lk_pointer_probe_append_centre (line, "feedback", self->feedback_button);
  if (g_strcmp0 (page, "sort") == 0)
    lk_sort_page_append_centres (self->sort_page, line);

  if (g_strcmp0 (line->str, self->probe_line) == 0)
    return;
  g_free (self->probe_line);
  self->probe_line = g_strdup (line->str);
  g_print ("centres %u %s\n", ++self->probe_serial, line->str);
  fflush (stdout);
}

static void
lk_session_view_map (GtkWidget *widget)
{
  LkSessionView *self = LK_SESSION_VIEW (widget);

  GTK_WIDGET_CLASS (lk_session_view_parent_class)->map (widget);

  /* A window being shown focuses its first button after mapping its children: undo that. */
  g_idle_add_full (G_PRIORITY_DEFAULT, drop_focus_idle_cb, g_object_ref (self), g_object_unref);

  if (self->probe)
    g_signal_connect_object (gtk_widget_get_frame_clock (widget), "after-paint",
                             G_CALLBACK (probe_after_paint_cb), self, G_CONNECT_SWAPPED);
}

static void
lk_session_view_unmap (GtkWidget *widget)
{
  LkSessionView *self = LK_SESSION_VIEW (widget);

  if (self->probe)
    g_signal_handlers_disconnect_by_func (gtk_widget_get_frame_clock (widget),
                                          probe_after_paint_cb, self);
  g_clear_pointer (&self->probe_line, g_free);

  GTK_WIDGET_CLASS (lk_session_view_parent_class)->unmap (widget);
}

static void
lk_session_view_dispose (GObject *object)
{
  LkSessionView *self = (LkSessionView *)object;

  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  if (self->worker != NULL)
    g_signal_handlers_disconnect_by_data (self->worker, self);
  g_clear_object (&self->worker);
  g_clear_object (&self->session);
  g_clear_handle_id (&self->prepare_id, g_source_remove);
  g_clear_handle_id (&self->feedback_id, g_source_remove);
  g_clear_pointer (&self->probe_line, g_free);
  /* The stack is both a bound template child and AdwBin's child: let AdwBin drop it first, or
   * libadwaita 1.2 unparents it a second time after the template has. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), LK_TYPE_SESSION_VIEW);

  G_OBJECT_CLASS (lk_session_view_parent_class)->dispose (object);
}

static void
lk_session_view_class_init (LkSessionViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = lk_session_view_dispose;
  widget_class->map = lk_session_view_map;
  widget_class->unmap = lk_session_view_unmap;

  /**
   * LkSessionView::finished:
   *
   * The experimenter closed the thank-you (or declined-consent, or study-complete) page.
   */
  signals[SIGNAL_FINISHED] =
    g_signal_new ("finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_install_action (widget_class, "session.accept", NULL, accept_action);
  gtk_widget_class_install_action (widget_class, "session.decline", NULL, decline_action);
  gtk_widget_class_install_action (widget_class, "session.begin", NULL, begin_action);
  gtk_widget_class_install_action (widget_class, "session.resume", NULL, resume_action);
  gtk_widget_class_install_action (widget_class, "session.retry", NULL, retry_action);
  gtk_widget_class_install_action (widget_class, "session.finish", NULL, finish_action);
  gtk_widget_class_install_action (widget_class, "session.continue", NULL, continue_action);

  g_type_ensure (LK_TYPE_SORT_PAGE);
  g_type_ensure (LK_TYPE_INSTRUCTIONS_EXAMPLE);
  g_type_ensure (LK_TYPE_TRIPLET_PAGE);
  g_type_ensure (LK_TYPE_CHOICE_PAGE);
  g_type_ensure (LK_TYPE_INTRUDER_PAGE);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/likeness/Likeness/ui/session/lk-session-view.ui");
  gtk_widget_class_bind_template_child (widget_class, LkSessionView, stack);
  gtk_widget_class_bind_template_child (widget_class, LkSessionView, consent_label);
  gtk_widget_class_bind_template_child (widget_class, LkSessionView, accept_button);
  gtk_widget_class_bind_template_child (widget_class, LkSessionView, decline_button);
  gtk_widget_class_bind_template_child (widget_class, LkSessionView, instructions_status);
  gtk_widget_class_bind_template_child (widget_class, LkSessionView, instructions_label);
  gtk_widget_class_bind_template_child (widget_class, LkSessionView, trial_example);
  gtk_widget_class_bind_template_child (widget_class, LkSessionView, practice_done_status);
  gtk_widget_class_bind_template_child (widget_class, LkSessionView, triplet_page);
  gtk_widget_class_bind_template_child (widget_class, LkSessionView, choice_page);
  gtk_widget_class_bind_template_child (widget_class, LkSessionView, intruder_page);
  gtk_widget_class_bind_template_child (widget_class, LkSessionView, begin_button);
  gtk_widget_class_bind_template_child (widget_class, LkSessionView, example);
  gtk_widget_class_bind_template_child (widget_class, LkSessionView, continue_button);
  gtk_widget_class_bind_template_child (widget_class, LkSessionView, resume_button);
  gtk_widget_class_bind_template_child (widget_class, LkSessionView, finish_button);
  gtk_widget_class_bind_template_child (widget_class, LkSessionView, sort_page);
  gtk_widget_class_bind_template_child (widget_class, LkSessionView, gold_label);
  gtk_widget_class_bind_template_child (widget_class, LkSessionView, feedback_status);
  gtk_widget_class_bind_template_child (widget_class, LkSessionView, feedback_groups);
  gtk_widget_class_bind_template_child (widget_class, LkSessionView, feedback_button);
  gtk_widget_class_bind_template_child (widget_class, LkSessionView, break_status);
  gtk_widget_class_bind_template_child (widget_class, LkSessionView, save_failed_status);
  gtk_widget_class_bind_template_child (widget_class, LkSessionView, error_label);
  gtk_widget_class_bind_template_child (widget_class, LkSessionView, done_status);
  gtk_widget_class_bind_template_callback (widget_class, submit_cb);
  gtk_widget_class_bind_template_callback (widget_class, answer_cb);
}

static void
lk_session_view_init (LkSessionView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->probe = lk_pointer_probe_enabled ();
}

GtkWidget *
lk_session_view_new (void)
{
  return g_object_new (LK_TYPE_SESSION_VIEW, NULL);
}

/**
 * lk_session_view_get_session:
 *
 * Returns: (transfer none) (nullable): the session shown
 */
LkSession *
lk_session_view_get_session (LkSessionView *self)
{
  g_return_val_if_fail (LK_IS_SESSION_VIEW (self), NULL);

  return self->session;
}

/**
 * lk_session_view_set_session:
 * @session: (nullable): the session to follow
 */
void
lk_session_view_set_session (LkSessionView *self,
                             LkSession     *session)
{
  g_return_if_fail (LK_IS_SESSION_VIEW (self));
  g_return_if_fail (session == NULL || LK_IS_SESSION (session));

  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  if (self->worker != NULL)
    g_signal_handlers_disconnect_by_data (self->worker, self);
  g_clear_object (&self->worker);
  g_clear_handle_id (&self->prepare_id, g_source_remove);
  g_clear_handle_id (&self->feedback_id, g_source_remove);
  lk_sort_page_set_model (self->sort_page, NULL, NULL);
  lk_triplet_page_set_trial (self->triplet_page, NULL, NULL);
  lk_choice_page_set_trial (self->choice_page, NULL, NULL);
  lk_intruder_page_set_trial (self->intruder_page, NULL, NULL);
  self->trial_changed = TRUE;
  if (!g_set_object (&self->session, session) || session == NULL)
    return;

  g_signal_connect_swapped (session, "notify::state", G_CALLBACK (state_cb), self);
  g_signal_connect_swapped (session, "notify::model", G_CALLBACK (state_cb), self);
  g_signal_connect_swapped (session, "notify::trial", G_CALLBACK (trial_cb), self);
  /* After the run's own handler, which stores the phase and its batch. */
  self->worker = g_object_ref (lk_session_get_refine_worker (session));
  g_signal_connect_swapped (self->worker, "notify::snapshot", G_CALLBACK (snapshot_cb), self);
  gtk_label_set_label (self->consent_label, lk_session_get_consent (session));
  gtk_label_set_label (self->instructions_label, lk_session_get_instructions (session));
  lk_sort_page_set_participant (self->sort_page, lk_session_get_participant (session));
  /* The study's way of sorting: the palette, and group names (papers 001 and 002). */
  lk_sort_page_set_palette (self->sort_page, lk_session_get_setup (session)->palette);
  /* Only a study file keeps the names (LkStudyRun): elsewhere no one is asked to type names
   * that would be lost. */
  lk_sort_page_set_group_names (self->sort_page,
                                lk_session_get_setup (session)->group_names
                                && LK_IS_STUDY_RUN (lk_session_get_run (session)));
  sync_page (self);
}

/**
 * lk_session_view_set_n_bins:
 * @n_bins: the study's bins per grid (at least 2), for the instructions' number keys
 *
 * The session does not tell before its first grid, so whoever made its setup says it.
 */
void
lk_session_view_set_n_bins (LkSessionView *self,
                            guint          n_bins)
{
  g_return_if_fail (LK_IS_SESSION_VIEW (self));

  lk_instructions_example_set_n_bins (self->example, n_bins);
}

/**
 * lk_session_view_get_example:
 *
 * Returns: (transfer none): the instructions' worked example
 */
GtkWidget *
lk_session_view_get_example (LkSessionView *self)
{
  g_return_val_if_fail (LK_IS_SESSION_VIEW (self), NULL);

  return GTK_WIDGET (self->example);
}

/**
 * lk_session_view_get_page:
 *
 * Returns: (transfer none): the page shown: "consent", "instructions", "sort", "break",
 *   "practice-done", "save-failed", "done", "declined", "complete", "feedback" (after a
 *   training page) or "not-qualified" (the exam failed)
 */
const char *
lk_session_view_get_page (LkSessionView *self)
{
  g_return_val_if_fail (LK_IS_SESSION_VIEW (self), NULL);

  return gtk_stack_get_visible_child_name (self->stack);
}

/**
 * lk_session_view_get_sort_page:
 *
 * Returns: (transfer none): the sorting screen
 */
LkSortPage *
lk_session_view_get_sort_page (LkSessionView *self)
{
  g_return_val_if_fail (LK_IS_SESSION_VIEW (self), NULL);

  return self->sort_page;
}

/**
 * lk_session_view_get_error_text:
 *
 * Returns: (transfer none): the message shown to the experimenter when saving failed
 */
const char *
lk_session_view_get_error_text (LkSessionView *self)
{
  g_return_val_if_fail (LK_IS_SESSION_VIEW (self), NULL);

  return gtk_label_get_label (self->error_label);
}

/**
 * lk_session_view_get_triplet_page:
 *
 * Returns: (transfer none): the triplet screen
 */
LkTripletPage *
lk_session_view_get_triplet_page (LkSessionView *self)
{
  g_return_val_if_fail (LK_IS_SESSION_VIEW (self), NULL);

  return self->triplet_page;
}

/**
 * lk_session_view_get_choice_page:
 *
 * Returns: (transfer none): the screen of the 5-way choice and of the match task
 */
LkChoicePage *
lk_session_view_get_choice_page (LkSessionView *self)
{
  g_return_val_if_fail (LK_IS_SESSION_VIEW (self), NULL);

  return self->choice_page;
}

/**
 * lk_session_view_get_intruder_page:
 *
 * Returns: (transfer none): the odd-one-out screen
 */
LkIntruderPage *
lk_session_view_get_intruder_page (LkSessionView *self)
{
  g_return_val_if_fail (LK_IS_SESSION_VIEW (self), NULL);

  return self->intruder_page;
}

/**
 * lk_session_view_get_trial_example:
 *
 * Returns: (transfer none): the instructions' drawn example of a task other than sorting
 */
GtkWidget *
lk_session_view_get_trial_example (LkSessionView *self)
{
  g_return_val_if_fail (LK_IS_SESSION_VIEW (self), NULL);

  return GTK_WIDGET (self->trial_example);
}

/**
 * lk_session_view_get_gold_text:
 *
 * Returns: (transfer none) (nullable): the steps or heading shown above a training page or an
 *   exam grid, or %NULL when none is shown
 */
const char *
lk_session_view_get_gold_text (LkSessionView *self)
{
  g_return_val_if_fail (LK_IS_SESSION_VIEW (self), NULL);

  if (!gtk_widget_get_visible (GTK_WIDGET (self->gold_label)))
    return NULL;

  return gtk_label_get_label (self->gold_label);
}

/**
 * lk_session_view_get_feedback_groups:
 *
 * Returns: (transfer none): the box of the feedback page's rows, one per known group
 */
GtkWidget *
lk_session_view_get_feedback_groups (LkSessionView *self)
{
  g_return_val_if_fail (LK_IS_SESSION_VIEW (self), NULL);

  return GTK_WIDGET (self->feedback_groups);
}

/**
 * lk_session_view_get_feedback_title:
 *
 * Returns: (transfer none): the feedback page's title (the page's score)
 */
const char *
lk_session_view_get_feedback_title (LkSessionView *self)
{
  g_return_val_if_fail (LK_IS_SESSION_VIEW (self), NULL);

  return adw_status_page_get_title (self->feedback_status);
}

/**
 * lk_session_view_get_feedback_ready:
 *
 * Returns: %TRUE once the feedback page's Continue takes effect (and has the focus)
 */
gboolean
lk_session_view_get_feedback_ready (LkSessionView *self)
{
  g_return_val_if_fail (LK_IS_SESSION_VIEW (self), FALSE);

  return self->feedback_id == 0 && gtk_widget_has_focus (self->feedback_button);
}

/**
 * lk_session_view_is_settled:
 *
 * Returns: %FALSE while the pages cross-fade, or a training page's feedback does not take
 *   Continue yet (for screenshots)
 */
gboolean
lk_session_view_is_settled (LkSessionView *self)
{
  g_return_val_if_fail (LK_IS_SESSION_VIEW (self), FALSE);

  return !gtk_stack_get_transition_running (self->stack) && self->feedback_id == 0;
}
