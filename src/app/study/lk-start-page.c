/* lk-start-page.c — where the experimenter starts: demo studies, recent studies, create, open,
 * connect to a lab study
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "lk-start-page-private.h"

struct _LkStartPage
{
  AdwBin        parent_instance;

  /* Template widgets */
  AdwPreferencesGroup   *recent_group;
  GtkWidget             *lab_row;

  /* Owned references */
  GSettings             *settings;
  GPtrArray             *recent_rows;   /* borrowed AdwActionRow, in recent_group */
};

/* How many recent studies the start page lists. */
#define N_RECENT 5

G_DEFINE_FINAL_TYPE (LkStartPage, lk_start_page, ADW_TYPE_BIN)

enum {
  SIGNAL_START_DEMO,
  SIGNAL_OPEN_STUDY,
  SIGNAL_CREATE_STUDY,
  SIGNAL_CONNECT_LAB,
  N_SIGNALS,
};

static guint signals[N_SIGNALS];

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
mixed_activated_cb (LkStartPage *self)
{
  g_signal_emit (self, signals[SIGNAL_START_DEMO], 0, "mixed");
}

static void
create_activated_cb (LkStartPage *self)
{
  g_signal_emit (self, signals[SIGNAL_CREATE_STUDY], 0);
}

static void
lab_activated_cb (LkStartPage *self)
{
  g_signal_emit (self, signals[SIGNAL_CONNECT_LAB], 0);
}

static void
recent_activated_cb (AdwActionRow *row,
                     LkStartPage  *self)
{
  const char *path = g_object_get_data (G_OBJECT (row), "path");
  g_autoptr(GFile) file = g_file_new_for_path (path);

  g_signal_emit (self, signals[SIGNAL_OPEN_STUDY], 0, file);
}

/* Lists the "recent-studies" setting (a UI preference: which files to offer, not their data). */
static void
recent_changed_cb (LkStartPage *self)
{
  g_auto(GStrv) paths = g_settings_get_strv (self->settings, "recent-studies");
  guint n = 0;

  for (guint i = 0; i < self->recent_rows->len; i++)
    adw_preferences_group_remove (self->recent_group, g_ptr_array_index (self->recent_rows, i));
  g_ptr_array_set_size (self->recent_rows, 0);

  for (guint i = 0; paths[i] != NULL && n < N_RECENT; i++, n++)
    {
      g_autofree char *base = g_path_get_basename (paths[i]);
      g_autofree char *dir = g_path_get_dirname (paths[i]);
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), base);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), dir);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                                 gtk_image_new_from_icon_name ("go-next-symbolic"));
      g_object_set_data_full (G_OBJECT (row), "path", g_strdup (paths[i]), g_free);
      g_signal_connect (row, "activated", G_CALLBACK (recent_activated_cb), self);
      adw_preferences_group_add (self->recent_group, row);
      g_ptr_array_add (self->recent_rows, row);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->recent_group), n > 0);
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
  g_clear_object (&self->settings);
  g_clear_pointer (&self->recent_rows, g_ptr_array_unref);

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
   * @name: "colours", "letters" or "mixed" (colours with a session plan of every task)
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

  /**
   * LkStartPage::create-study:
   *
   * The experimenter wants to make a new study from a folder of images.
   */
  signals[SIGNAL_CREATE_STUDY] =
    g_signal_new ("create-study", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);

  /**
   * LkStartPage::connect-lab:
   *
   * The experimenter wants to open a lab study (PostgreSQL); the row is shown only in a build
   * with lab studies.
   */
  signals[SIGNAL_CONNECT_LAB] =
    g_signal_new ("connect-lab", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/likeness/Likeness/ui/study/lk-start-page.ui");
  gtk_widget_class_bind_template_child (widget_class, LkStartPage, recent_group);
  gtk_widget_class_bind_template_child (widget_class, LkStartPage, lab_row);
  gtk_widget_class_bind_template_callback (widget_class, lab_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, create_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, colours_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, letters_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, mixed_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, open_activated_cb);
}

static void
lk_start_page_init (LkStartPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
#ifndef LK_HAVE_LAB
  gtk_widget_set_visible (self->lab_row, FALSE);
#endif

  self->recent_rows = g_ptr_array_new ();
  self->settings = g_settings_new ("io.github.likeness.Likeness");
  g_signal_connect_object (self->settings, "changed::recent-studies",
                           G_CALLBACK (recent_changed_cb), self, G_CONNECT_SWAPPED);
  recent_changed_cb (self);
}

GtkWidget *
lk_start_page_new (void)
{
  return g_object_new (LK_TYPE_START_PAGE, NULL);
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

/**
 * lk_start_page_add_recent:
 * @path: a study file just opened or created
 *
 * Puts @path first in the recent studies (the "recent-studies" setting).
 */
void
lk_start_page_add_recent (LkStartPage *self,
                          const char  *path)
{
  g_auto(GStrv) old = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) paths = NULL;
  guint n = 1;

  g_return_if_fail (LK_IS_START_PAGE (self));
  g_return_if_fail (path != NULL);

  old = g_settings_get_strv (self->settings, "recent-studies");
  g_strv_builder_add (builder, path);
  for (guint i = 0; old[i] != NULL && n < N_RECENT; i++)
    if (g_strcmp0 (old[i], path) != 0)
      {
        g_strv_builder_add (builder, old[i]);
        n++;
      }
  paths = g_strv_builder_end (builder);
  g_settings_set_strv (self->settings, "recent-studies", (const char * const *) paths);
}

/**
 * lk_start_page_get_n_recent:
 *
 * Returns: how many recent studies are listed
 */
guint
lk_start_page_get_n_recent (LkStartPage *self)
{
  g_return_val_if_fail (LK_IS_START_PAGE (self), 0);

  return self->recent_rows->len;
}
