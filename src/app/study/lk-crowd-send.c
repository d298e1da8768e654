/* lk-crowd-send.c — "Send Grids to a Crowd Platform…": what `likeness-cli crowd-export` asks
 *
 * A small message dialog: the platform (Toloka or Mechanical Turk), how many of the study's
 * ready grids, the base URL where the batch's images/ folder will be uploaded, and a new or
 * empty folder to write the batch to (typed, or chosen with Choose…). Send is enabled once the
 * URL and the folder are given; Escape cancels. The study overview writes the batch on a worker
 * thread (lk_crowd_export()) and shows an error in a dialog.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "lk-crowd-send.h"

typedef struct {
  GtkDropDown     *platform;
  GtkSpinButton   *grids;
  GtkEntry        *url;
  GtkEntry        *folder;
  GtkWindow       *parent;
  LkCrowdSendFunc  func;
  gpointer         user_data;
} Dialog;

static void
dialog_free (gpointer data)
{
  Dialog *d = data;

  g_clear_object (&d->parent);
  g_free (d);
}

static char *
stripped (GtkEntry *entry)
{
  return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (entry))));
}

static void
response_cb (AdwMessageDialog *dialog,
             const char       *response,
             Dialog           *d)
{
  g_autofree char *url = NULL, *folder = NULL;

  if (g_strcmp0 (response, "send") != 0)
    return;
  url = stripped (d->url);
  folder = stripped (d->folder);
  d->func (gtk_drop_down_get_selected (d->platform) == 1 ? LK_CROWD_MTURK : LK_CROWD_TOLOKA,
           (guint) gtk_spin_button_get_value_as_int (d->grids), url, folder, d->user_data);
}

static void
changed_cb (GtkEditable      *entry,
            AdwMessageDialog *dialog)
{
  Dialog *d = g_object_get_data (G_OBJECT (dialog), "lk-crowd-send");
  g_autofree char *url = stripped (d->url);
  g_autofree char *folder = stripped (d->folder);

  adw_message_dialog_set_response_enabled (dialog, "send", url[0] != '\0' && folder[0] != '\0');
}

static void
folder_chosen_cb (GtkNativeDialog *chooser,
                  int              response,
                  gpointer         user_data)
{
  GtkEntry *entry = user_data;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autofree char *path = file != NULL ? g_file_get_path (file) : NULL;

      if (path != NULL)
        gtk_editable_set_text (GTK_EDITABLE (entry), path);
    }
  gtk_native_dialog_destroy (chooser);
  g_object_unref (chooser);
  g_object_unref (entry);
}

static void
choose_clicked_cb (GtkButton *button,
                   Dialog    *d)
{
  GtkFileChooserNative *chooser;

  chooser = gtk_file_chooser_native_new (_("Folder for the Batch"),
                                         GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (button))),
                                         GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER, _("_Select"),
                                         _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect (chooser, "response", G_CALLBACK (folder_chosen_cb), g_object_ref (d->folder));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* A caption for @child above @shown (@child or a box holding it); the caption names @child
 * for assistive technologies too. */
static void
add_field (GtkBox     *box,
           const char *caption,
           GtkWidget  *child,
           GtkWidget  *shown)
{
  GtkWidget *label = gtk_label_new_with_mnemonic (caption);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_mnemonic_widget (GTK_LABEL (label), child);
  gtk_box_append (box, label);
  gtk_box_append (box, shown);
}

/**
 * lk_crowd_send_dialog_present:
 * @parent: the window
 * @func: called with the choices when the experimenter sends
 * @user_data: for @func
 *
 * Returns: (transfer none): the dialog, shown
 */
AdwMessageDialog *
lk_crowd_send_dialog_present (GtkWindow       *parent,
                              LkCrowdSendFunc  func,
                              gpointer         user_data)
{
  const char *platforms[] = { "Toloka", "Mechanical Turk", NULL };
  AdwMessageDialog *dialog;
  GtkWidget *box, *row, *choose, *hint;
  Dialog *d = g_new0 (Dialog, 1);

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (
    parent, _("Send Grids to a Crowd Platform"),
    _("Writes a batch of the study’s next grids to a folder: the task file for the platform, "
      "the task page and the images. Upload it, and import the platform’s results with "
      "“likeness-cli crowd-import”.")));
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);

  d->platform = GTK_DROP_DOWN (gtk_drop_down_new_from_strings (platforms));
  add_field (GTK_BOX (box), _("_Platform"), GTK_WIDGET (d->platform), GTK_WIDGET (d->platform));
  d->grids = GTK_SPIN_BUTTON (gtk_spin_button_new_with_range (1, 100000, 1));
  gtk_spin_button_set_value (d->grids, 20);
  add_field (GTK_BOX (box), _("_Grids"), GTK_WIDGET (d->grids), GTK_WIDGET (d->grids));
  d->url = GTK_ENTRY (gtk_entry_new ());
  gtk_entry_set_placeholder_text (d->url, "https://example.org/batch1");
  gtk_entry_set_input_purpose (d->url, GTK_INPUT_PURPOSE_URL);
  gtk_entry_set_activates_default (d->url, TRUE);
  add_field (GTK_BOX (box), _("_Base URL of the uploaded images"), GTK_WIDGET (d->url),
             GTK_WIDGET (d->url));
  row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  d->folder = GTK_ENTRY (gtk_entry_new ());
  gtk_widget_set_hexpand (GTK_WIDGET (d->folder), TRUE);
  gtk_entry_set_activates_default (d->folder, TRUE);
  choose = gtk_button_new_with_mnemonic (_("C_hoose…"));
  g_signal_connect (choose, "clicked", G_CALLBACK (choose_clicked_cb), d);
  gtk_box_append (GTK_BOX (row), GTK_WIDGET (d->folder));
  gtk_box_append (GTK_BOX (row), choose);
  add_field (GTK_BOX (box), _("_Folder (new or empty)"), GTK_WIDGET (d->folder), row);
  hint = gtk_label_new (_("The grids go to the batch only: the lab does not serve them too."));
  gtk_label_set_wrap (GTK_LABEL (hint), TRUE);
  gtk_label_set_xalign (GTK_LABEL (hint), 0);
  gtk_label_set_max_width_chars (GTK_LABEL (hint), 50);
  gtk_widget_add_css_class (hint, "dim-label");
  gtk_widget_add_css_class (hint, "caption");
  gtk_box_append (GTK_BOX (box), hint);
  adw_message_dialog_set_extra_child (dialog, box);

  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "send", _("_Send"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "send", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, "send");
  adw_message_dialog_set_close_response (dialog, "cancel");

  d->parent = parent != NULL ? g_object_ref (parent) : NULL;
  d->func = func;
  d->user_data = user_data;
  g_object_set_data_full (G_OBJECT (dialog), "lk-crowd-send", d, dialog_free);
  g_signal_connect (dialog, "response", G_CALLBACK (response_cb), d);
  g_signal_connect (d->url, "changed", G_CALLBACK (changed_cb), dialog);
  g_signal_connect (d->folder, "changed", G_CALLBACK (changed_cb), dialog);
  changed_cb (GTK_EDITABLE (d->url), dialog);
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (GTK_WIDGET (d->platform));

  return dialog;
}

/**
 * lk_crowd_send_dialog_fill:
 *
 * Sets the fields of a dialog from lk_crowd_send_dialog_present(), as typed.
 */
void
lk_crowd_send_dialog_fill (AdwMessageDialog *dialog,
                           LkCrowdPlatform   platform,
                           guint             n_grids,
                           const char       *base_url,
                           const char       *folder)
{
  Dialog *d = g_object_get_data (G_OBJECT (dialog), "lk-crowd-send");

  g_return_if_fail (d != NULL);

  gtk_drop_down_set_selected (d->platform, platform == LK_CROWD_MTURK ? 1 : 0);
  gtk_spin_button_set_value (d->grids, n_grids);
  gtk_editable_set_text (GTK_EDITABLE (d->url), base_url);
  gtk_editable_set_text (GTK_EDITABLE (d->folder), folder);
}
