/* lk-intruder-page.c — the odd one out: eight images, seven of one group (paper 002)
 *
 * The eight images in two rows of four, in the trial's order, numbered 1 to 8: click one or
 * press its number. The answer is its position in the trial's items.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "lk-intruder-page.h"
#include "lk-trial-page-common.h"

#define COLUMNS 4

struct _LkIntruderPage
{
  AdwBin      parent_instance;

  /* Template widgets */
  GtkLabel   *progress_label;
  GtkWidget  *practice_label;
  GtkGrid    *candidates;

  GtkWidget  *buttons[LK_INTRUDER_N_ITEMS];  /* borrowed from the grid */
  LkTrial    *trial;
  gboolean    answered;     /* one answer per trial: a key held or pressed twice is ignored */
};

G_DEFINE_FINAL_TYPE (LkIntruderPage, lk_intruder_page, ADW_TYPE_BIN)

enum {
  SIGNAL_ANSWER,
  N_SIGNALS,
};

static guint signals[N_SIGNALS];

static void
answer_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  LkIntruderPage *self = LK_INTRUDER_PAGE (widget);
  gint position = g_variant_get_int32 (parameter);

  if (self->trial == NULL || self->answered || position < 0
      || (guint) position >= self->trial->n_items)
    return;
  self->answered = TRUE;
  g_signal_emit (self, signals[SIGNAL_ANSWER], 0, position);
}

static void
lk_intruder_page_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (lk_intruder_page_parent_class)->map (widget);
  lk_trial_focus_page (widget);
}

static void
lk_intruder_page_dispose (GObject *object)
{
  LkIntruderPage *self = (LkIntruderPage *)object;

  g_clear_pointer (&self->trial, lk_trial_free);
  gtk_widget_dispose_template (GTK_WIDGET (self), LK_TYPE_INTRUDER_PAGE);

  G_OBJECT_CLASS (lk_intruder_page_parent_class)->dispose (object);
}

static void
lk_intruder_page_class_init (LkIntruderPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = lk_intruder_page_dispose;
  widget_class->map = lk_intruder_page_map;

  /**
   * LkIntruderPage::answer:
   * @choice: the position in the trial's items of the image picked
   *
   * The participant answered the trial shown.
   */
  signals[SIGNAL_ANSWER] =
    g_signal_new ("answer", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT);

  gtk_widget_class_install_action (widget_class, "trial.answer", "i", answer_action);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/likeness/Likeness/ui/session/lk-intruder-page.ui");
  gtk_widget_class_bind_template_child (widget_class, LkIntruderPage, progress_label);
  gtk_widget_class_bind_template_child (widget_class, LkIntruderPage, practice_label);
  gtk_widget_class_bind_template_child (widget_class, LkIntruderPage, candidates);
  gtk_widget_class_set_css_name (widget_class, "lk-intruder-page");
}

static void
lk_intruder_page_init (LkIntruderPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  for (guint i = 0; i < LK_INTRUDER_N_ITEMS; i++)
    {
      char number[4];

      g_snprintf (number, sizeof number, "%u", i + 1);
      self->buttons[i] = lk_trial_button_new (number, "trial.answer", (gint) i);
      gtk_grid_attach (self->candidates, self->buttons[i], (int) (i % COLUMNS),
                       (int) (i / COLUMNS), 1, 1);
    }
}

GtkWidget *
lk_intruder_page_new (void)
{
  return g_object_new (LK_TYPE_INTRUDER_PAGE, NULL);
}

/**
 * lk_intruder_page_set_trial:
 * @trial: (nullable): an intruder trial (copied), or %NULL to show nothing
 * @source: the study's images
 */
void
lk_intruder_page_set_trial (LkIntruderPage *self,
                            const LkTrial  *trial,
                            LkImageSource  *source)
{
  g_return_if_fail (LK_IS_INTRUDER_PAGE (self));
  g_return_if_fail (trial == NULL || (trial->kind == LK_TASK_INTRUDER
                                      && trial->n_items == LK_INTRUDER_N_ITEMS));
  g_return_if_fail (trial == NULL || LK_IS_IMAGE_SOURCE (source));

  g_clear_pointer (&self->trial, lk_trial_free);
  self->answered = FALSE;
  for (guint i = 0; i < LK_INTRUDER_N_ITEMS; i++)
    {
      GtkPicture *picture = lk_trial_button_get_picture (self->buttons[i]);

      if (trial != NULL)
        lk_trial_picture_set_item (picture, source, trial->items[i]);
      else
        gtk_picture_set_paintable (picture, NULL);
    }
  if (trial == NULL)
    return;
  self->trial = lk_trial_copy (trial);
  lk_trial_focus_page (GTK_WIDGET (self));
}

/**
 * lk_intruder_page_set_progress:
 * @number: 1-based number of the trial shown in its block
 * @total: the block's trials (or its practice trials)
 * @practice: %TRUE for a practice trial, which is not recorded
 */
void
lk_intruder_page_set_progress (LkIntruderPage *self,
                               guint           number,
                               guint           total,
                               gboolean        practice)
{
  g_return_if_fail (LK_IS_INTRUDER_PAGE (self));

  lk_trial_set_progress (self->progress_label, self->practice_label, number, total, practice);
}

/**
 * lk_intruder_page_get_candidate:
 * @position: 0 to 7, in the order shown
 *
 * Returns: (transfer none): its button
 */
GtkWidget *
lk_intruder_page_get_candidate (LkIntruderPage *self,
                                guint           position)
{
  g_return_val_if_fail (LK_IS_INTRUDER_PAGE (self), NULL);
  g_return_val_if_fail (position < LK_INTRUDER_N_ITEMS, NULL);

  return self->buttons[position];
}
