/* lk-start-page.c — where the experimenter starts a session
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "lk-start-page.h"

struct _LkStartPage
{
  AdwBin        parent_instance;

  /* Template widgets */
  AdwEntryRow  *participant_row;
  GtkSwitch    *pilot_switch;
};

G_DEFINE_FINAL_TYPE (LkStartPage, lk_start_page, ADW_TYPE_BIN)

enum {
  SIGNAL_START_DEMO,
  SIGNAL_OPEN_STUDY,
  N_SIGNALS,
};

static guint signals[N_SIGNALS];

static void
generate_clicked_cb (LkStartPage *self)
{
  g_autofree char *code = lk_start_page_generate_code ();

  lk_start_page_set_participant_code (self, code);
}

static void
colours_activated_cb (LkStartPage *self)
{
  g_signal_emit (self, signals[SIGNAL_START_DEMO], 0, "colours");
}

static void
letters_activated_cb (LkStartPage *self)
{
  g_signal_emit (self, signals[SIGNAL_START_DEMO], 0, "letters");
}

static void
file_chosen_cb (GtkNativeDialog *dialog,
                int              response,
                gpointer         user_data)
{
  g_autoptr(LkStartPage) self = user_data;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));

      if (file != NULL)
        g_signal_emit (self, signals[SIGNAL_OPEN_STUDY], 0, file);
    }

  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
}

static void
open_activated_cb (LkStartPage *self)
{
  GtkFileChooserNative *chooser;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  gtk_file_filter_set_name (filter, _("Likeness studies"));
  gtk_file_filter_add_pattern (filter, "*.likeness");

  chooser = gtk_file_chooser_native_new (_("Open a Study"),
                                         GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                         GTK_FILE_CHOOSER_ACTION_OPEN,
                                         _("_Open"), _("_Cancel"));
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect (chooser, "response", G_CALLBACK (file_chosen_cb), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
lk_start_page_dispose (GObject *object)
{
  LkStartPage *self = (LkStartPage *)object;

  gtk_widget_dispose_template (GTK_WIDGET (self), LK_TYPE_START_PAGE);

  G_OBJECT_CLASS (lk_start_page_parent_class)->dispose (object);
}

static void
lk_start_page_class_init (LkStartPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = lk_start_page_dispose;

  /**
   * LkStartPage::start-demo:
   * @name: "colours" or "letters"
   *
   * The experimenter chose a built-in demo study.
   */
  signals[SIGNAL_START_DEMO] =
    g_signal_new ("start-demo", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  /**
   * LkStartPage::open-study:
   * @file: the chosen study file
   */
  signals[SIGNAL_OPEN_STUDY] =
    g_signal_new ("open-study", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_FILE);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/likeness/Likeness/ui/lk-start-page.ui");
  gtk_widget_class_bind_template_child (widget_class, LkStartPage, participant_row);
  gtk_widget_class_bind_template_child (widget_class, LkStartPage, pilot_switch);
  gtk_widget_class_bind_template_callback (widget_class, generate_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, colours_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, letters_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, open_activated_cb);
}

static void
lk_start_page_init (LkStartPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
lk_start_page_new (void)
{
  return g_object_new (LK_TYPE_START_PAGE, NULL);
}

/**
 * lk_start_page_get_participant_code:
 *
 * Returns: (transfer none): the code as typed, trimmed of nothing; may be empty
 */
const char *
lk_start_page_get_participant_code (LkStartPage *self)
{
  g_return_val_if_fail (LK_IS_START_PAGE (self), NULL);

  return gtk_editable_get_text (GTK_EDITABLE (self->participant_row));
}

void
lk_start_page_set_participant_code (LkStartPage *self,
                                    const char  *code)
{
  g_return_if_fail (LK_IS_START_PAGE (self));

  gtk_editable_set_text (GTK_EDITABLE (self->participant_row), code != NULL ? code : "");
}

gboolean
lk_start_page_get_pilot (LkStartPage *self)
{
  g_return_val_if_fail (LK_IS_START_PAGE (self), FALSE);

  return gtk_switch_get_active (self->pilot_switch);
}

void
lk_start_page_set_pilot (LkStartPage *self,
                         gboolean     pilot)
{
  g_return_if_fail (LK_IS_START_PAGE (self));

  gtk_switch_set_active (self->pilot_switch, pilot);
}

/**
 * lk_start_page_generate_code:
 *
 * Makes a participant code such as "P-7KQ4M". The alphabet leaves out 0/O, 1/I/L and 5/S so
 * that a code read aloud or copied by hand comes out the same.
 *
 * Returns: (transfer full): a new code
 */
char *
lk_start_page_generate_code (void)
{
  static const char alphabet[] = "2346789ABCDEFGHJKMNPQRTUVWXYZ";
  char code[8] = "P-";

  for (guint i = 2; i < 7; i++)
    code[i] = alphabet[g_random_int_range (0, sizeof alphabet - 1)];
  code[7] = '\0';

  return g_strdup (code);
}
