/* lk-triplet-page.c — "Which is more like it?": a query and two images, four answers (paper 004)
 *
 * Q on top, A and B below, left and right, and the paper's four answers in its order: both
 * similar, both dissimilar, A closer, B closer (keys 1 to 4; Left and Right for "A" and "B").
 * The participant's "A" is always the image on the left: when the trial is swapped, the drawn
 * B is on the left, and an answer about sides is turned into one about the drawn A and B
 * before it leaves the page, as the trial's choice wants it (lk-trial.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "lk-scores.h"
#include "lk-trial-page-common.h"
#include "lk-triplet-page.h"

struct _LkTripletPage
{
  AdwBin      parent_instance;

  /* Template widgets */
  GtkLabel   *progress_label;
  GtkWidget  *practice_label;
  GtkPicture *query_picture;
  GtkPicture *left_picture;
  GtkPicture *right_picture;
  GtkWidget  *both_similar_button;
  GtkWidget  *both_dissimilar_button;
  GtkWidget  *a_closer_button;
  GtkWidget  *b_closer_button;

  LkTrial    *trial;
  gboolean    answered;     /* one answer per trial: a key held or pressed twice is ignored */
};

G_DEFINE_FINAL_TYPE (LkTripletPage, lk_triplet_page, ADW_TYPE_BIN)

enum {
  SIGNAL_ANSWER,
  N_SIGNALS,
};

static guint signals[N_SIGNALS];

/* Returns the trial's answer (in terms of the drawn A and B) for the answer on screen, where
 * "A" is the image on the left. */
static gint
answer_for_sides (const LkTrial *trial,
                  gint           on_screen)
{
  if (!trial->swapped)
    return on_screen;
  if (on_screen == LK_TRIPLET_ANSWER_A_CLOSER)
    return LK_TRIPLET_ANSWER_B_CLOSER;
  if (on_screen == LK_TRIPLET_ANSWER_B_CLOSER)
    return LK_TRIPLET_ANSWER_A_CLOSER;

  return on_screen;
}

static void
answer_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  LkTripletPage *self = LK_TRIPLET_PAGE (widget);
  gint on_screen = g_variant_get_int32 (parameter);

  if (self->trial == NULL || self->answered || on_screen < 1 || on_screen > 4)
    return;
  self->answered = TRUE;
  g_signal_emit (self, signals[SIGNAL_ANSWER], 0, answer_for_sides (self->trial, on_screen));
}

static void
lk_triplet_page_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (lk_triplet_page_parent_class)->map (widget);
  lk_trial_focus_page (widget);
}

static void
lk_triplet_page_dispose (GObject *object)
{
  LkTripletPage *self = (LkTripletPage *)object;

  g_clear_pointer (&self->trial, lk_trial_free);
  gtk_widget_dispose_template (GTK_WIDGET (self), LK_TYPE_TRIPLET_PAGE);

  G_OBJECT_CLASS (lk_triplet_page_parent_class)->dispose (object);
}

static void
lk_triplet_page_class_init (LkTripletPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = lk_triplet_page_dispose;
  widget_class->map = lk_triplet_page_map;

  /**
   * LkTripletPage::answer:
   * @choice: an #LkTripletAnswer, in terms of the trial's A and B
   *
   * The participant answered the trial shown.
   */
  signals[SIGNAL_ANSWER] =
    g_signal_new ("answer", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT);

  gtk_widget_class_install_action (widget_class, "trial.answer", "i", answer_action);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/likeness/Likeness/ui/session/lk-triplet-page.ui");
  gtk_widget_class_bind_template_child (widget_class, LkTripletPage, progress_label);
  gtk_widget_class_bind_template_child (widget_class, LkTripletPage, practice_label);
  gtk_widget_class_bind_template_child (widget_class, LkTripletPage, query_picture);
  gtk_widget_class_bind_template_child (widget_class, LkTripletPage, left_picture);
  gtk_widget_class_bind_template_child (widget_class, LkTripletPage, right_picture);
  gtk_widget_class_bind_template_child (widget_class, LkTripletPage, both_similar_button);
  gtk_widget_class_bind_template_child (widget_class, LkTripletPage, both_dissimilar_button);
  gtk_widget_class_bind_template_child (widget_class, LkTripletPage, a_closer_button);
  gtk_widget_class_bind_template_child (widget_class, LkTripletPage, b_closer_button);
  gtk_widget_class_set_css_name (widget_class, "lk-triplet-page");
}

static void
lk_triplet_page_init (LkTripletPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
lk_triplet_page_new (void)
{
  return g_object_new (LK_TYPE_TRIPLET_PAGE, NULL);
}

/**
 * lk_triplet_page_set_trial:
 * @trial: (nullable): a triplet trial (copied), or %NULL to show nothing
 * @source: the study's images
 */
void
lk_triplet_page_set_trial (LkTripletPage *self,
                           const LkTrial *trial,
                           LkImageSource *source)
{
  g_return_if_fail (LK_IS_TRIPLET_PAGE (self));
  g_return_if_fail (trial == NULL || trial->kind == LK_TASK_TRIPLET);
  g_return_if_fail (trial == NULL || LK_IS_IMAGE_SOURCE (source));

  g_clear_pointer (&self->trial, lk_trial_free);
  self->answered = FALSE;
  if (trial == NULL)
    {
      gtk_picture_set_paintable (self->query_picture, NULL);
      gtk_picture_set_paintable (self->left_picture, NULL);
      gtk_picture_set_paintable (self->right_picture, NULL);
      return;
    }
  self->trial = lk_trial_copy (trial);
  lk_trial_picture_set_item (self->query_picture, source, trial->items[0]);
  lk_trial_picture_set_item (self->left_picture, source, trial->items[trial->swapped ? 2 : 1]);
  lk_trial_picture_set_item (self->right_picture, source, trial->items[trial->swapped ? 1 : 2]);
  lk_trial_focus_page (GTK_WIDGET (self));
}

/**
 * lk_triplet_page_set_progress:
 * @number: 1-based number of the trial shown in its block
 * @total: the block's trials (or its practice trials)
 * @practice: %TRUE for a practice trial, which is not recorded
 */
void
lk_triplet_page_set_progress (LkTripletPage *self,
                              guint          number,
                              guint          total,
                              gboolean       practice)
{
  g_return_if_fail (LK_IS_TRIPLET_PAGE (self));

  lk_trial_set_progress (self->progress_label, self->practice_label, number, total, practice);
}

/**
 * lk_triplet_page_get_button:
 * @answer: 1 to 4, the answer on screen ("A" is the left image)
 *
 * Returns: (transfer none): its button
 */
GtkWidget *
lk_triplet_page_get_button (LkTripletPage *self,
                            guint          answer)
{
  g_return_val_if_fail (LK_IS_TRIPLET_PAGE (self), NULL);
  g_return_val_if_fail (answer >= 1 && answer <= 4, NULL);

  switch (answer)
    {
    case 1: return self->both_similar_button;
    case 2: return self->both_dissimilar_button;
    case 3: return self->a_closer_button;
    default: return self->b_closer_button;
    }
}

/**
 * lk_triplet_page_get_picture:
 * @position: 0 for the query, 1 for the left image, 2 for the right one
 *
 * Returns: (transfer none): its picture
 */
GtkWidget *
lk_triplet_page_get_picture (LkTripletPage *self,
                             guint          position)
{
  g_return_val_if_fail (LK_IS_TRIPLET_PAGE (self), NULL);

  return GTK_WIDGET (position == 0 ? self->query_picture
                     : position == 1 ? self->left_picture : self->right_picture);
}
