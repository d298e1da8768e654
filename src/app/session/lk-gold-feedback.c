/* lk-gold-feedback.c — a training page's feedback: one row per group of its known answer (the
 * images that belong together, and those that fit no bin), each saying whether the
 * participant's answer kept that group exactly, as the exam's scorer counts a matching
 * cluster (lk_qc_exam_score(): bin numbers do not matter)
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "lk-gold-feedback.h"

/* The thumbnails' edge, small enough for six groups of a grid of 16 on a 1024x600 screen. */
#define FEEDBACK_TILE 48

/**
 * lk_gold_feedback_group_kept:
 * @gold: a gold grid
 * @answer: an answer to it, its images in @gold's order
 * @bin: a bin of @gold's known answer, or %LK_BIN_LEFT_OUT
 *
 * Returns: %TRUE if @answer put the images @gold has in @bin together and nothing else with
 *   them (left them all out, for %LK_BIN_LEFT_OUT); %FALSE also when @gold's @bin is empty
 */
gboolean
lk_gold_feedback_group_kept (const LkGoldGrid *gold,
                             const LkQuery    *answer,
                             gint              bin)
{
  guint n = lk_query_get_n_items (gold->answer);
  gint theirs = G_MININT;

  g_return_val_if_fail (lk_query_get_n_items (answer) == n, FALSE);

  for (guint p = 0; p < n; p++)
    if (lk_query_get_bin (gold->answer, p) == bin)
      {
        gint b = lk_query_get_bin (answer, p);

        if (theirs == G_MININT)
          theirs = b;
        else if (b != theirs)
          return FALSE;
      }
  if (theirs == G_MININT || (bin == LK_BIN_LEFT_OUT) != (theirs == LK_BIN_LEFT_OUT))
    return FALSE;
  for (guint p = 0; p < n; p++)
    if (lk_query_get_bin (gold->answer, p) != bin && lk_query_get_bin (answer, p) == theirs)
      return FALSE;

  return TRUE;
}

/* Returns a row: a mark, what the group is and whether it was kept, and its images. */
static GtkWidget *
group_row (LkImageSource    *source,
           const LkGoldGrid *gold,
           const LkQuery    *answer,
           gint              bin)
{
  gboolean kept = lk_gold_feedback_group_kept (gold, answer, bin);
  GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *mark = gtk_image_new_from_icon_name (kept ? "emblem-ok-symbolic"
                                                       : "dialog-warning-symbolic");
  GtkWidget *label;
  GtkWidget *images = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 4);
  const char *text;

  if (bin == LK_BIN_LEFT_OUT)
    text = kept ? _("These fit no group, and you left them out.")
                : _("These fit no group: they belong in no bin.");
  else
    text = kept ? _("These belong together, and you put them together.")
                : _("These belong together, in a bin of their own.");
  label = gtk_label_new (text);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_set_size_request (label, 220, -1);
  gtk_widget_add_css_class (mark, kept ? "success" : "warning");
  gtk_accessible_update_property (GTK_ACCESSIBLE (mark), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  kept ? _("Right") : _("Not quite"), -1);
  for (guint p = 0; p < lk_query_get_n_items (gold->answer); p++)
    if (lk_query_get_bin (gold->answer, p) == bin)
      {
        guint item = lk_query_get_item (gold->answer, p);
        g_autoptr(GdkTexture) texture = lk_image_source_dup_texture_at_size (source, item,
                                                                            FEEDBACK_TILE);
        GtkWidget *picture = gtk_picture_new_for_paintable (GDK_PAINTABLE (texture));

        gtk_widget_set_size_request (picture, FEEDBACK_TILE, FEEDBACK_TILE);
        gtk_picture_set_can_shrink (GTK_PICTURE (picture), TRUE);
        gtk_box_append (GTK_BOX (images), picture);
      }
  gtk_box_append (GTK_BOX (row), mark);
  gtk_box_append (GTK_BOX (row), label);
  gtk_box_append (GTK_BOX (row), images);

  return row;
}

/**
 * lk_gold_feedback_fill:
 * @box: a vertical box; its children are replaced
 * @source: the study's images
 * @gold: the training page's gold grid
 * @answer: the participant's answer to it, its images in @gold's order
 *
 * Returns: the number of groups of the known answer the answer kept
 */
guint
lk_gold_feedback_fill (GtkBox           *box,
                       LkImageSource    *source,
                       const LkGoldGrid *gold,
                       const LkQuery    *answer)
{
  GtkWidget *child;
  guint n_kept = 0;

  g_return_val_if_fail (GTK_IS_BOX (box), 0);
  g_return_val_if_fail (gold != NULL && answer != NULL, 0);

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (box))) != NULL)
    gtk_box_remove (box, child);
  for (gint bin = 0; bin < (gint) gold->nc; bin++)
    {
      gboolean any = FALSE;

      for (guint p = 0; p < lk_query_get_n_items (gold->answer) && !any; p++)
        any = lk_query_get_bin (gold->answer, p) == bin;
      if (!any)
        continue;
      gtk_box_append (box, group_row (source, gold, answer, bin));
      n_kept += lk_gold_feedback_group_kept (gold, answer, bin);
    }
  for (guint p = 0; p < lk_query_get_n_items (gold->answer); p++)
    if (lk_query_get_bin (gold->answer, p) == LK_BIN_LEFT_OUT)
      {
        gtk_box_append (box, group_row (source, gold, answer, LK_BIN_LEFT_OUT));
        break;
      }

  return n_kept;
}
