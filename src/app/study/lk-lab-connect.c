/* lk-lab-connect.c — "Connect to a Lab Study…": the connection URI, and errors in plain words
 *
 * A small message dialog: the URI (postgresql://USER@HOST/DATABASE), a hint that the password
 * goes in ~/.pgpass, and when a connection failed, what went wrong in plain words above the
 * server's own message. Enter connects, Escape cancels. A URI with a password is refused here,
 * before anything is sent.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "lk-lab-connect.h"
#include "lk-lab.h"

typedef struct {
  GtkEntry         *entry;
  GtkWindow        *parent;
  LkLabConnectFunc  func;
  gpointer          user_data;
} Dialog;

static void
dialog_free (gpointer data)
{
  Dialog *d = data;

  g_clear_object (&d->parent);
  g_free (d);
}

/**
 * lk_lab_connect_describe_error:
 * @error: why a lab study could not be opened
 *
 * Returns: (transfer full): what happened and what to do, in plain words, then the details
 */
char *
lk_lab_connect_describe_error (const GError *error)
{
  const char *plain;

  if (error->domain != LK_LAB_ERROR)
    plain = _("The lab study could not be opened.");
  else
    switch ((LkLabError) error->code)
      {
      case LK_LAB_ERROR_CONNECT:
      case LK_LAB_ERROR_CONNECTION_LOST:
        plain = _("The server could not be reached, or it refused this computer. Check that it "
                  "runs, that the URI names it, and that a password it asks for is in "
                  "~/.pgpass.");
        break;
      case LK_LAB_ERROR_NOT_A_STUDY:
        plain = _("This database is not a Likeness lab database: it holds no lab study. Put a "
                  "study into it first with “likeness-cli pg-push STUDY.likeness URI”.");
        break;
      case LK_LAB_ERROR_PASSWORD:
        plain = _("The URI holds a password, which Likeness never takes. Remove it from the "
                  "URI and put it in ~/.pgpass (mode 0600) on this computer.");
        break;
      case LK_LAB_ERROR_VERSION:
        plain = _("The lab study was made by another version of Likeness. Use the same version "
                  "at every computer of the lab.");
        break;
      case LK_LAB_ERROR_INVALID:
        plain = _("This is not a connection URI. A lab study is named like "
                  "postgresql://USER@HOST/DATABASE.");
        break;
      case LK_LAB_ERROR_FAILED:
      case LK_LAB_ERROR_NOT_EMPTY:
      case LK_LAB_ERROR_EXISTS:
      case LK_LAB_ERROR_LEASE_LOST:
      case LK_LAB_ERROR_CONFLICT:
      default:
        plain = _("The lab study could not be opened.");
        break;
      }

  /* Translators: the first %s says what went wrong in plain words, the second is the
   * technical message */
  return g_strdup_printf (_("%s\n\nDetails: %s"), plain, error->message);
}

static void
response_cb (AdwMessageDialog *dialog,
             const char       *response,
             Dialog           *d)
{
  g_autofree char *uri = NULL;
  g_autoptr(GError) error = NULL;

  if (g_strcmp0 (response, "connect") != 0)
    return;
  uri = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (d->entry))));
  if (!lk_lab_check_conninfo (uri, &error))
    {
      lk_lab_connect_dialog_present (d->parent, uri, error, d->func, d->user_data);
      return;
    }
  d->func (uri, d->user_data);
}

static void
changed_cb (GtkEditable      *entry,
            AdwMessageDialog *dialog)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (entry)));

  adw_message_dialog_set_response_enabled (dialog, "connect", text[0] != '\0');
}

/**
 * lk_lab_connect_dialog_present:
 * @parent: the window
 * @uri: (nullable): the URI to show (after a failed connection, the one that failed)
 * @error: (nullable): why the last try failed
 * @func: called with the URI when the experimenter connects
 * @user_data: for @func
 *
 * Asks for a lab study's connection URI.
 */
void
lk_lab_connect_dialog_present (GtkWindow        *parent,
                               const char       *uri,
                               const GError     *error,
                               LkLabConnectFunc  func,
                               gpointer          user_data)
{
  AdwMessageDialog *dialog;
  GtkWidget *box, *entry, *hint;
  Dialog *d;

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (parent,
                                                       _("Connect to a Lab Study"),
                                                       _("Several computers can run one study "
                                                         "kept in a PostgreSQL database. Enter "
                                                         "its connection URI.")));
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 8);
  if (error != NULL)
    {
      g_autofree char *text = lk_lab_connect_describe_error (error);
      GtkWidget *label = gtk_label_new (text);

      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_selectable (GTK_LABEL (label), TRUE);
      gtk_label_set_max_width_chars (GTK_LABEL (label), 50);
      gtk_widget_add_css_class (label, "error");
      gtk_box_append (GTK_BOX (box), label);
    }
  entry = gtk_entry_new ();
  gtk_entry_set_placeholder_text (GTK_ENTRY (entry), "postgresql://USER@HOST/DATABASE");
  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  gtk_entry_set_input_purpose (GTK_ENTRY (entry), GTK_INPUT_PURPOSE_URL);
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Connection URI"), -1);
  if (uri != NULL)
    gtk_editable_set_text (GTK_EDITABLE (entry), uri);
  gtk_box_append (GTK_BOX (box), entry);
  hint = gtk_label_new (_("A password never goes in the URI: put it in ~/.pgpass (mode 0600) "
                          "on this computer, or use a service file."));
  gtk_label_set_wrap (GTK_LABEL (hint), TRUE);
  gtk_label_set_xalign (GTK_LABEL (hint), 0);
  gtk_label_set_max_width_chars (GTK_LABEL (hint), 50);
  gtk_widget_add_css_class (hint, "dim-label");
  gtk_widget_add_css_class (hint, "caption");
  gtk_box_append (GTK_BOX (box), hint);
  adw_message_dialog_set_extra_child (dialog, box);

  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "connect", _("C_onnect"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "connect", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, "connect");
  adw_message_dialog_set_close_response (dialog, "cancel");

  d = g_new0 (Dialog, 1);
  d->entry = GTK_ENTRY (entry);
  d->parent = g_object_ref (parent);
  d->func = func;
  d->user_data = user_data;
  g_object_set_data_full (G_OBJECT (dialog), "lk-lab-connect", d, dialog_free);
  g_signal_connect (dialog, "response", G_CALLBACK (response_cb), d);
  g_signal_connect (entry, "changed", G_CALLBACK (changed_cb), dialog);
  changed_cb (GTK_EDITABLE (entry), dialog);
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (entry);
}
