/* lk-choice-page.c — a query and candidates, pick the one most like it: the 5-way forced choice
 * and "find its match" (paper 003)
 *
 * The query on the left, the candidates on the right in the order the trial gives (its
 * positions were shuffled and are logged by the draw). Five candidates make one row, keys 1
 * to 5; a match page is rows of five, keys 1 to 9 for the first nine, the arrows to move
 * among them and Enter (or Space) to pick the one focused, and "None of these" (key 0). The
 * answer is a position in the trial's items (candidate i is item i + 1), or LK_TRIAL_NONE.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "lk-choice-page.h"
#include "lk-trial-page-common.h"

#define COLUMNS 5

struct _LkChoicePage
{
  AdwBin      parent_instance;

  /* Template widgets */
  GtkLabel   *progress_label;
  GtkWidget  *practice_label;
  GtkLabel   *prompt_label;
  GtkPicture *query_picture;
  GtkWidget  *none_button;
  GtkGrid    *candidates;
  GtkLabel   *hint_label;

  GPtrArray  *buttons;      /* GtkWidget, borrowed from the grid */
  LkTrial    *trial;
  gboolean    answered;     /* one answer per trial: a key held or pressed twice is ignored */
};

G_DEFINE_FINAL_TYPE (LkChoicePage, lk_choice_page, ADW_TYPE_BIN)

enum {
  SIGNAL_ANSWER,
  N_SIGNALS,
};

static guint signals[N_SIGNALS];

static void
answer (LkChoicePage *self,
        gint          choice)
{
  if (self->trial == NULL || self->answered)
    return;
  self->answered = TRUE;
  g_signal_emit (self, signals[SIGNAL_ANSWER], 0, choice);
}

static void
answer_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  LkChoicePage *self = LK_CHOICE_PAGE (widget);
  gint index = g_variant_get_int32 (parameter);

  if (index >= 0 && (guint) index < self->buttons->len)
    answer (self, index + 1);
}

static void
none_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  LkChoicePage *self = LK_CHOICE_PAGE (widget);

  if (self->trial != NULL && self->trial->kind == LK_TASK_MATCH)
    answer (self, LK_TRIAL_NONE);
}

/* Returns the index of the candidate whose button has the focus, or -1. */
static gint
focused_candidate (LkChoicePage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;

  for (guint i = 0; focus != NULL && i < self->buttons->len; i++)
    {
      GtkWidget *button = g_ptr_array_index (self->buttons, i);

      if (focus == button || gtk_widget_is_ancestor (focus, button))
        return (gint) i;
    }

  return -1;
}

/* The arrows: ±1 along a row, ±100 for a row up or down. From nowhere, the first candidate. */
static void
move_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  LkChoicePage *self = LK_CHOICE_PAGE (widget);
  gint step = g_variant_get_int32 (parameter);
  gint n = (gint) self->buttons->len;
  gint at = focused_candidate (self);

  if (n == 0)
    return;
  if (at < 0)
    at = 0;
  else if (step == 1 || step == -1)
    at = CLAMP (at + step, 0, n - 1);
  else if (at + (step > 0 ? COLUMNS : -COLUMNS) >= 0 && at + (step > 0 ? COLUMNS : -COLUMNS) < n)
    at += step > 0 ? COLUMNS : -COLUMNS;
  gtk_widget_grab_focus (g_ptr_array_index (self->buttons, at));
}

static void
clear_candidates (LkChoicePage *self)
{
  for (guint i = 0; i < self->buttons->len; i++)
    gtk_grid_remove (self->candidates, g_ptr_array_index (self->buttons, i));
  g_ptr_array_set_size (self->buttons, 0);
}

static void
lk_choice_page_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (lk_choice_page_parent_class)->map (widget);
  lk_trial_focus_page (widget);
}

static void
lk_choice_page_dispose (GObject *object)
{
  LkChoicePage *self = (LkChoicePage *)object;

  g_clear_pointer (&self->trial, lk_trial_free);
  g_clear_pointer (&self->buttons, g_ptr_array_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), LK_TYPE_CHOICE_PAGE);

  G_OBJECT_CLASS (lk_choice_page_parent_class)->dispose (object);
}

static void
lk_choice_page_class_init (LkChoicePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = lk_choice_page_dispose;
  widget_class->map = lk_choice_page_map;

  /**
   * LkChoicePage::answer:
   * @choice: the position in the trial's items of the candidate picked, or %LK_TRIAL_NONE
   *
   * The participant answered the trial shown.
   */
  signals[SIGNAL_ANSWER] =
    g_signal_new ("answer", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT);

  gtk_widget_class_install_action (widget_class, "trial.answer", "i", answer_action);
  gtk_widget_class_install_action (widget_class, "trial.none", NULL, none_action);
  gtk_widget_class_install_action (widget_class, "trial.move", "i", move_action);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/likeness/Likeness/ui/session/lk-choice-page.ui");
  gtk_widget_class_bind_template_child (widget_class, LkChoicePage, progress_label);
  gtk_widget_class_bind_template_child (widget_class, LkChoicePage, practice_label);
  gtk_widget_class_bind_template_child (widget_class, LkChoicePage, prompt_label);
  gtk_widget_class_bind_template_child (widget_class, LkChoicePage, query_picture);
  gtk_widget_class_bind_template_child (widget_class, LkChoicePage, none_button);
  gtk_widget_class_bind_template_child (widget_class, LkChoicePage, candidates);
  gtk_widget_class_bind_template_child (widget_class, LkChoicePage, hint_label);
  gtk_widget_class_set_css_name (widget_class, "lk-choice-page");
}

static void
lk_choice_page_init (LkChoicePage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->buttons = g_ptr_array_new ();
}

GtkWidget *
lk_choice_page_new (void)
{
  return g_object_new (LK_TYPE_CHOICE_PAGE, NULL);
}

/**
 * lk_choice_page_set_trial:
 * @trial: (nullable): a choice5 or match trial (copied), or %NULL to show nothing
 * @source: the study's images
 */
void
lk_choice_page_set_trial (LkChoicePage  *self,
                          const LkTrial *trial,
                          LkImageSource *source)
{
  gboolean match;

  g_return_if_fail (LK_IS_CHOICE_PAGE (self));
  g_return_if_fail (trial == NULL || trial->kind == LK_TASK_CHOICE5
                    || trial->kind == LK_TASK_MATCH);
  g_return_if_fail (trial == NULL || LK_IS_IMAGE_SOURCE (source));

  g_clear_pointer (&self->trial, lk_trial_free);
  self->answered = FALSE;
  clear_candidates (self);
  if (trial == NULL)
    {
      gtk_picture_set_paintable (self->query_picture, NULL);
      return;
    }

  self->trial = lk_trial_copy (trial);
  match = trial->kind == LK_TASK_MATCH;
  lk_trial_picture_set_item (self->query_picture, source, trial->items[0]);
  for (guint i = 1; i < trial->n_items; i++)
    {
      g_autofree char *number = i <= 9 ? g_strdup_printf ("%u", i) : g_strdup ("");
      GtkWidget *button = lk_trial_button_new (number, "trial.answer", (gint) i - 1);

      lk_trial_picture_set_item (lk_trial_button_get_picture (button), source, trial->items[i]);
      gtk_grid_attach (self->candidates, button, (int) ((i - 1) % COLUMNS),
                       (int) ((i - 1) / COLUMNS), 1, 1);
      g_ptr_array_add (self->buttons, button);
    }
  gtk_widget_set_visible (self->none_button, match);
  gtk_label_set_label (self->prompt_label,
                       match ? _("Which image looks most like the one on the left? If none "
                                 "does, choose “None of these”.")
                             : _("Which image looks most like the one on the left?"));
  gtk_label_set_label (self->hint_label,
                       match ? _("Click an image, or press its number; the arrow keys and "
                                 "Enter pick any of them. 0: none of these.")
                             : _("Click an image, or press its number (1 to 5)."));
  lk_trial_focus_page (GTK_WIDGET (self));
}

/**
 * lk_choice_page_set_progress:
 * @number: 1-based number of the trial shown in its block
 * @total: the block's trials (or its practice trials)
 * @practice: %TRUE for a practice trial, which is not recorded
 */
void
lk_choice_page_set_progress (LkChoicePage *self,
                             guint         number,
                             guint         total,
                             gboolean      practice)
{
  g_return_if_fail (LK_IS_CHOICE_PAGE (self));

  lk_trial_set_progress (self->progress_label, self->practice_label, number, total, practice);
}

guint
lk_choice_page_get_n_candidates (LkChoicePage *self)
{
  g_return_val_if_fail (LK_IS_CHOICE_PAGE (self), 0);

  return self->buttons->len;
}

/**
 * lk_choice_page_get_candidate:
 * @index: 0-based, in the order shown
 *
 * Returns: (transfer none): the candidate's button
 */
GtkWidget *
lk_choice_page_get_candidate (LkChoicePage *self,
                              guint         index)
{
  g_return_val_if_fail (LK_IS_CHOICE_PAGE (self), NULL);
  g_return_val_if_fail (index < self->buttons->len, NULL);

  return g_ptr_array_index (self->buttons, index);
}

/**
 * lk_choice_page_get_none_button:
 *
 * Returns: (transfer none): "None of these" (shown for match trials only)
 */
GtkWidget *
lk_choice_page_get_none_button (LkChoicePage *self)
{
  g_return_val_if_fail (LK_IS_CHOICE_PAGE (self), NULL);

  return self->none_button;
}
