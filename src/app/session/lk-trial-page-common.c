/* lk-trial-page-common.c — what the pages of the tasks other than sorting share: pictures of
 * the study's images, numbered image buttons, the "Item 3 of 20" line, and where the keyboard
 * focus starts
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "lk-trial-page-common.h"

/**
 * lk_trial_picture_new:
 *
 * Returns: (transfer floating): a picture that keeps its image's proportions and shrinks to
 *   whatever room the page has (1024x600 and the compact 640x400 included)
 */
GtkWidget *
lk_trial_picture_new (void)
{
  GtkWidget *picture = gtk_picture_new ();

  gtk_picture_set_can_shrink (GTK_PICTURE (picture), TRUE);
  gtk_picture_set_content_fit (GTK_PICTURE (picture), GTK_CONTENT_FIT_CONTAIN);
  gtk_widget_set_hexpand (picture, TRUE);
  gtk_widget_set_vexpand (picture, TRUE);
  gtk_widget_set_size_request (picture, 40, 40);
  gtk_widget_add_css_class (picture, "trial-image");

  return picture;
}

/* Shows @item of @source in @picture, with its name for screen readers. */
void
lk_trial_picture_set_item (GtkPicture    *picture,
                           LkImageSource *source,
                           guint          item)
{
  g_autoptr(GdkTexture) texture = lk_image_source_dup_texture_at_size (source, item,
                                                                       LK_TRIAL_TEXTURE_SIZE);
  g_autofree char *title = lk_image_source_dup_title (source, item);

  gtk_picture_set_paintable (picture, GDK_PAINTABLE (texture));
  gtk_picture_set_alternative_text (picture, title);
}

/**
 * lk_trial_button_new:
 * @number: the key that picks it, shown under the image
 * @action: the page's action the button activates
 * @target: the action's integer parameter
 *
 * Returns: (transfer floating): a button showing an image and its key; click it, or focus it
 *   and press Enter or Space
 */
GtkWidget *
lk_trial_button_new (const char *number,
                     const char *action,
                     gint        target)
{
  GtkWidget *button = gtk_button_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  GtkWidget *picture = lk_trial_picture_new ();
  GtkWidget *label = gtk_label_new (number);

  gtk_widget_add_css_class (label, "trial-key");
  gtk_box_append (GTK_BOX (box), picture);
  gtk_box_append (GTK_BOX (box), label);
  gtk_button_set_child (GTK_BUTTON (button), box);
  gtk_widget_add_css_class (button, "trial-candidate");
  gtk_widget_set_hexpand (button, TRUE);
  gtk_widget_set_vexpand (button, TRUE);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action);
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (button), g_variant_new_int32 (target));
  g_object_set_data (G_OBJECT (button), "lk-picture", picture);

  return button;
}

/* Returns the picture of a button made by lk_trial_button_new(). */
GtkPicture *
lk_trial_button_get_picture (GtkWidget *button)
{
  return GTK_PICTURE (g_object_get_data (G_OBJECT (button), "lk-picture"));
}

/* Sets the page's "Item 3 of 20" line (or "Practice item 1 of 2") and its practice tag. */
void
lk_trial_set_progress (GtkLabel  *progress_label,
                       GtkWidget *practice_label,
                       guint      number,
                       guint      total,
                       gboolean   practice)
{
  g_autofree char *text = NULL;

  if (practice)
    text = g_strdup_printf (_("Practice item %u of %u"), number, total);
  else
    text = g_strdup_printf (_("Item %u of %u"), number, total);
  gtk_label_set_label (progress_label, text);
  gtk_widget_set_visible (practice_label, practice);
}

/* Puts the keyboard focus on @page itself (focusable, but not on any of its buttons), so that
 * its keys work at once and an Enter held from the page before activates nothing. */
void
lk_trial_focus_page (GtkWidget *page)
{
  GtkRoot *root = gtk_widget_get_root (page);

  if (root != NULL && gtk_widget_get_mapped (page))
    gtk_root_set_focus (root, page);
}
