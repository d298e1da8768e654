/* lk-create-page.c — a new study: image folder, method and parameters, import, report
 *
 * Three stages in one page: the form, the import's progress (a worker thread through
 * lk_study_create_async, with Cancel), and the import report, which lists every file left out
 * with its reason and stays readable until the experimenter moves on.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "lk-create-page-private.h"
#include "lk-demo-collection.h"
#include "lk-progress-bar.h"
#include "lk-study-import.h"

struct _LkCreatePage
{
  AdwBin           parent_instance;

  /* Template widgets */
  AdwWindowTitle  *window_title;
  GtkStack        *stack;
  AdwActionRow    *folder_row;
  AdwActionRow    *file_row;
  AdwComboRow     *method_row;
  GtkSpinButton   *nq_spin;
  AdwActionRow    *k_row;
  GtkSpinButton   *nc_spin;
  GtkSpinButton   *beta_spin;
  GtkSpinButton   *budget_spin;
  GtkSpinButton   *phases_spin;
  GtkSpinButton   *grids_spin;
  GtkSpinButton   *break_spin;
  GtkSpinButton   *practice_spin;
  GtkSwitch       *all_placed_switch;
  AdwPasswordEntryRow *passphrase_row;
  GtkTextView     *consent_view;
  GtkTextView     *instructions_view;
  GtkButton       *create_button;
  GtkProgressBar  *progress_bar;
  GtkLabel        *current_label;
  GtkLabel        *summary_label;
  GtkLabel        *detail_label;
  GtkButton       *start_button;
  AdwPreferencesGroup *skipped_group;
  GtkListBox      *skipped_list;

  /* Owned references */
  char            *folder;
  char            *study_path;
  GCancellable    *cancellable;
  LkStudy         *study;
  LkImportReport  *report;
  guint            n_listed;
};

G_DEFINE_FINAL_TYPE (LkCreatePage, lk_create_page, ADW_TYPE_BIN)

enum {
  SIGNAL_BACK,
  SIGNAL_START_SESSION,
  SIGNAL_ERROR,
  N_SIGNALS,
};

static guint signals[N_SIGNALS];

static void
update_form (LkCreatePage *self)
{
  gtk_widget_set_sensitive (GTK_WIDGET (self->create_button),
                            self->folder != NULL && self->study_path != NULL);
  adw_action_row_set_subtitle (self->folder_row,
                               self->folder != NULL ? self->folder : _("None chosen"));
  adw_action_row_set_subtitle (self->file_row,
                               self->study_path != NULL ? self->study_path
                                                        : _("Beside the image folder"));
}

/* Returns a path beside @folder named after it, "NAME.likeness", or "NAME-2.likeness" and so on
 * when that exists. */
static char *
default_study_path (const char *folder)
{
  g_autofree char *parent = g_path_get_dirname (folder);
  g_autofree char *name = g_path_get_basename (folder);

  for (guint i = 1; i < 1000; i++)
    {
      g_autofree char *base = i == 1 ? g_strdup_printf ("%s.likeness", name)
                                     : g_strdup_printf ("%s-%u.likeness", name, i);
      char *path = g_build_filename (parent, base, NULL);

      if (!g_file_test (path, G_FILE_TEST_EXISTS))
        return path;
      g_free (path);
    }

  return NULL;
}

static void
back_clicked_cb (LkCreatePage *self)
{
  lk_create_page_cancel (self);
  g_signal_emit (self, signals[SIGNAL_BACK], 0);
}

static void
folder_chosen_cb (GtkNativeDialog *dialog,
                  int              response,
                  gpointer         user_data)
{
  g_autoptr(LkCreatePage) self = user_data;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *path = file != NULL ? g_file_get_path (file) : NULL;

      if (path != NULL)
        lk_create_page_set_folder (self, path);
    }
  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
}

static GtkWindow *
parent_window (LkCreatePage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  return GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL;
}

static void
folder_clicked_cb (LkCreatePage *self)
{
  GtkFileChooserNative *chooser;

  chooser = gtk_file_chooser_native_new (_("Choose the Image Folder"), parent_window (self),
                                         GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER,
                                         _("_Select"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect (chooser, "response", G_CALLBACK (folder_chosen_cb), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
file_chosen_cb (GtkNativeDialog *dialog,
                int              response,
                gpointer         user_data)
{
  g_autoptr(LkCreatePage) self = user_data;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *path = file != NULL ? g_file_get_path (file) : NULL;

      if (path != NULL && !g_str_has_suffix (path, ".likeness"))
        {
          char *with = g_strconcat (path, ".likeness", NULL);

          g_free (path);
          path = with;
        }
      if (path != NULL)
        lk_create_page_set_study_path (self, path);
    }
  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
}

static void
file_clicked_cb (LkCreatePage *self)
{
  GtkFileChooserNative *chooser;

  chooser = gtk_file_chooser_native_new (_("Save the Study As"), parent_window (self),
                                         GTK_FILE_CHOOSER_ACTION_SAVE,
                                         _("_Save"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), _("Study.likeness"));
  g_signal_connect (chooser, "response", G_CALLBACK (file_chosen_cb), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
method_selected_cb (LkCreatePage *self)
{
  guint n_methods;
  const LkMethodType **methods = lk_method_list (&n_methods);
  guint selected = adw_combo_row_get_selected (self->method_row);

  if (selected < n_methods)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (self->method_row), methods[selected]->description);
}

/* Says which k the study will get: chosen for the collection once it is imported. */
static void
nq_changed_cb (LkCreatePage *self)
{
  LkParams params;
  g_autofree char *text = NULL;

  lk_params_init (&params);
  params.nq = gtk_spin_button_get_value_as_int (self->nq_spin);
  /* Translators: k is the neighbourhood size of the method */
  text = g_strdup_printf (_("Chosen for the collection: %u, or the number of images minus one "
                            "if that is smaller"), lk_params_choose_k (&params, G_MAXUINT));
  adw_action_row_set_subtitle (self->k_row, text);
}

static void
progress_cb (guint       done,
             guint       total,
             const char *current,
             gpointer    user_data)
{
  LkCreatePage *self = user_data;
  g_autofree char *text = g_strdup_printf (_("%u of %u files"), done, total);

  lk_progress_bar_show_count (self->progress_bar, done, total, text);
  gtk_label_set_label (self->current_label, current != NULL ? current : "");
}

/* Returns a short reason shown for an entry of the report that is not a plain addition. */
static const char *
status_label (LkImportStatus status)
{
  switch (status)
    {
    case LK_IMPORT_DUPLICATE: return _("Duplicate");
    case LK_IMPORT_SKIPPED:   return _("Skipped");
    case LK_IMPORT_MISSING:   return _("Missing");
    case LK_IMPORT_ADDED:
    case LK_IMPORT_UNCHANGED:
    case LK_IMPORT_UPDATED:
    case LK_IMPORT_MOVED:
    default:                  return NULL;
    }
}

static void
show_report (LkCreatePage *self)
{
  const LkImportReport *report = self->report;
  guint added = lk_import_report_count (report, LK_IMPORT_ADDED);
  guint duplicates = lk_import_report_count (report, LK_IMPORT_DUPLICATE);
  guint skipped = lk_import_report_count (report, LK_IMPORT_SKIPPED);
  const LkParams *params = lk_store_get_params (lk_study_get_store (self->study));
  g_autofree char *summary = NULL;
  g_autofree char *detail = NULL;
  g_autofree char *left = NULL;
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->skipped_list))) != NULL)
    gtk_list_box_remove (self->skipped_list, child);
  self->n_listed = 0;

  for (guint i = 0; i < lk_import_report_get_n_entries (report); i++)
    {
      LkImportStatus status;
      const char *reason = NULL;
      const char *path = lk_import_report_get_entry (report, i, &status, &reason);
      const char *label = status_label (status);
      g_autofree char *subtitle = NULL;
      GtkWidget *row;

      if (label == NULL)
        continue;
      subtitle = reason != NULL && reason[0] != '\0' ? g_strdup_printf ("%s: %s", label, reason)
                                                     : g_strdup (label);
      row = adw_action_row_new ();
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), path);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row),
                                 gtk_image_new_from_icon_name (status == LK_IMPORT_DUPLICATE
                                                               ? "edit-copy-symbolic"
                                                               : "dialog-warning-symbolic"));
      gtk_list_box_append (self->skipped_list, row);
      self->n_listed++;
    }
  gtk_widget_set_visible (GTK_WIDGET (self->skipped_group), self->n_listed > 0);

  summary = g_strdup_printf (ngettext ("%u image imported", "%u images imported", added), added);
  {
    g_autofree char *dup_text = NULL, *skip_text = NULL;

    dup_text = g_strdup_printf (ngettext ("%u duplicate left out;", "%u duplicates left out;",
                                          duplicates), duplicates);
    skip_text = g_strdup_printf (ngettext ("%u other file skipped.", "%u other files skipped.",
                                           skipped), skipped);
    left = g_strdup_printf ("%s %s", dup_text, skip_text);
  }
  /* Translators: k is the neighbourhood size of the method, chosen for the collection */
  detail = g_strdup_printf (_("%s\nNeighbourhood size k = %u, chosen for the collection.\n"
                              "Saved as %s"), left, params->knn_k,
                            lk_study_get_path (self->study));
  gtk_label_set_label (self->summary_label, summary);
  gtk_label_set_label (self->detail_label, detail);
  gtk_widget_set_sensitive (GTK_WIDGET (self->start_button), TRUE);
  adw_window_title_set_title (self->window_title, _("Import Report"));
  gtk_stack_set_visible_child_name (self->stack, "report");
}

/* Writes the form's session settings into the study just created. */
static gboolean
write_session_settings (LkCreatePage  *self,
                        LkStudy       *study,
                        GError       **error)
{
  g_auto(LkSessionSettings) settings = { 0 };

  lk_create_page_get_session_settings (self, &settings);

  return lk_study_set_session_settings (study, &settings, error);
}

static void
create_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(LkCreatePage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(LkImportReport) report = NULL;
  g_autoptr(LkStudy) study = lk_study_create_finish (result, &report, &error);

  g_clear_object (&self->cancellable);
  if (study == NULL)
    {
      gtk_stack_set_visible_child_name (self->stack, "form");
      adw_window_title_set_title (self->window_title, _("New Study"));
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("import cancelled");
      else
        g_signal_emit (self, signals[SIGNAL_ERROR], 0, _("The Study Could Not Be Created"),
                       error->message);
      return;
    }

  if (!write_session_settings (self, study, &error))
    {
      /* The images are in the file; only the settings are not. Say so rather than run
       * sessions with settings the experimenter did not choose. */
      gtk_stack_set_visible_child_name (self->stack, "form");
      adw_window_title_set_title (self->window_title, _("New Study"));
      g_signal_emit (self, signals[SIGNAL_ERROR], 0,
                     _("The Session Settings Could Not Be Saved"), error->message);
      return;
    }

  g_set_object (&self->study, study);
  g_clear_pointer (&self->report, lk_import_report_free);
  self->report = g_steal_pointer (&report);
  show_report (self);
}

static void
create_clicked_cb (LkCreatePage *self)
{
  lk_create_page_create (self);
}

static void
cancel_clicked_cb (LkCreatePage *self)
{
  lk_create_page_cancel (self);
}

static void
start_clicked_cb (LkCreatePage *self)
{
  if (self->study != NULL)
    g_signal_emit (self, signals[SIGNAL_START_SESSION], 0, self->study);
}

static void
lk_create_page_dispose (GObject *object)
{
  LkCreatePage *self = (LkCreatePage *)object;

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->study);
  gtk_widget_dispose_template (GTK_WIDGET (self), LK_TYPE_CREATE_PAGE);

  G_OBJECT_CLASS (lk_create_page_parent_class)->dispose (object);
}

static void
lk_create_page_finalize (GObject *object)
{
  LkCreatePage *self = (LkCreatePage *)object;

  g_clear_pointer (&self->report, lk_import_report_free);
  g_clear_pointer (&self->folder, g_free);
  g_clear_pointer (&self->study_path, g_free);

  G_OBJECT_CLASS (lk_create_page_parent_class)->finalize (object);
}

static void
lk_create_page_class_init (LkCreatePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = lk_create_page_dispose;
  object_class->finalize = lk_create_page_finalize;

  /**
   * LkCreatePage::back:
   *
   * The experimenter left the page (an import running was cancelled).
   */
  signals[SIGNAL_BACK] =
    g_signal_new ("back", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);

  /**
   * LkCreatePage::start-session:
   * @study: the study just created
   */
  signals[SIGNAL_START_SESSION] =
    g_signal_new ("start-session", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, LK_TYPE_STUDY);

  /**
   * LkCreatePage::error:
   * @heading: what failed
   * @message: why
   */
  signals[SIGNAL_ERROR] =
    g_signal_new ("error", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/likeness/Likeness/ui/study/lk-create-page.ui");
  gtk_widget_class_bind_template_child (widget_class, LkCreatePage, window_title);
  gtk_widget_class_bind_template_child (widget_class, LkCreatePage, stack);
  gtk_widget_class_bind_template_child (widget_class, LkCreatePage, folder_row);
  gtk_widget_class_bind_template_child (widget_class, LkCreatePage, file_row);
  gtk_widget_class_bind_template_child (widget_class, LkCreatePage, method_row);
  gtk_widget_class_bind_template_child (widget_class, LkCreatePage, nq_spin);
  gtk_widget_class_bind_template_child (widget_class, LkCreatePage, k_row);
  gtk_widget_class_bind_template_child (widget_class, LkCreatePage, nc_spin);
  gtk_widget_class_bind_template_child (widget_class, LkCreatePage, beta_spin);
  gtk_widget_class_bind_template_child (widget_class, LkCreatePage, budget_spin);
  gtk_widget_class_bind_template_child (widget_class, LkCreatePage, phases_spin);
  gtk_widget_class_bind_template_child (widget_class, LkCreatePage, grids_spin);
  gtk_widget_class_bind_template_child (widget_class, LkCreatePage, break_spin);
  gtk_widget_class_bind_template_child (widget_class, LkCreatePage, practice_spin);
  gtk_widget_class_bind_template_child (widget_class, LkCreatePage, all_placed_switch);
  gtk_widget_class_bind_template_child (widget_class, LkCreatePage, passphrase_row);
  gtk_widget_class_bind_template_child (widget_class, LkCreatePage, consent_view);
  gtk_widget_class_bind_template_child (widget_class, LkCreatePage, instructions_view);
  gtk_widget_class_bind_template_child (widget_class, LkCreatePage, create_button);
  gtk_widget_class_bind_template_child (widget_class, LkCreatePage, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, LkCreatePage, current_label);
  gtk_widget_class_bind_template_child (widget_class, LkCreatePage, summary_label);
  gtk_widget_class_bind_template_child (widget_class, LkCreatePage, detail_label);
  gtk_widget_class_bind_template_child (widget_class, LkCreatePage, start_button);
  gtk_widget_class_bind_template_child (widget_class, LkCreatePage, skipped_group);
  gtk_widget_class_bind_template_child (widget_class, LkCreatePage, skipped_list);
  gtk_widget_class_bind_template_callback (widget_class, back_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, folder_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, file_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, method_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, nq_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, create_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, cancel_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, start_clicked_cb);
}

static void
lk_create_page_init (LkCreatePage *self)
{
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  guint n_methods;
  const LkMethodType **methods = lk_method_list (&n_methods);

  gtk_widget_init_template (GTK_WIDGET (self));

  for (guint i = 0; i < n_methods; i++)
    gtk_string_list_append (names, methods[i]->name);
  adw_combo_row_set_model (self->method_row, G_LIST_MODEL (names));
  lk_create_page_reset (self);
}

GtkWidget *
lk_create_page_new (void)
{
  return g_object_new (LK_TYPE_CREATE_PAGE, NULL);
}

/**
 * lk_create_page_reset:
 *
 * Back to an empty form with the paper's defaults; a study made before is let go.
 */
void
lk_create_page_reset (LkCreatePage *self)
{
  LkParams params;

  g_return_if_fail (LK_IS_CREATE_PAGE (self));

  lk_create_page_cancel (self);
  lk_params_init (&params);
  g_clear_pointer (&self->folder, g_free);
  g_clear_pointer (&self->study_path, g_free);
  g_clear_object (&self->study);
  g_clear_pointer (&self->report, lk_import_report_free);
  adw_combo_row_set_selected (self->method_row, 0);
  method_selected_cb (self);
  gtk_spin_button_set_value (self->nq_spin, params.nq);
  nq_changed_cb (self);
  gtk_spin_button_set_value (self->nc_spin, params.nc);
  gtk_spin_button_set_value (self->beta_spin, params.beta);
  gtk_spin_button_set_value (self->budget_spin, params.budget);
  gtk_spin_button_set_value (self->phases_spin, params.phases);
  {
    g_auto(LkSessionSettings) settings = { 0 };

    lk_session_settings_init (&settings);
    lk_create_page_set_session_settings (self, &settings);
  }
  adw_window_title_set_title (self->window_title, _("New Study"));
  gtk_stack_set_visible_child_name (self->stack, "form");
  update_form (self);
}

/**
 * lk_create_page_set_folder:
 * @folder: the folder of images to import
 *
 * Also proposes a study file beside it, named after it, unless one was chosen.
 */
void
lk_create_page_set_folder (LkCreatePage *self,
                           const char   *folder)
{
  g_return_if_fail (LK_IS_CREATE_PAGE (self));
  g_return_if_fail (folder != NULL);

  g_free (self->folder);
  self->folder = g_strdup (folder);
  if (self->study_path == NULL)
    self->study_path = default_study_path (folder);
  update_form (self);
}

const char *
lk_create_page_get_folder (LkCreatePage *self)
{
  g_return_val_if_fail (LK_IS_CREATE_PAGE (self), NULL);

  return self->folder;
}

void
lk_create_page_set_study_path (LkCreatePage *self,
                               const char   *path)
{
  g_return_if_fail (LK_IS_CREATE_PAGE (self));

  g_free (self->study_path);
  self->study_path = g_strdup (path);
  update_form (self);
}

const char *
lk_create_page_get_study_path (LkCreatePage *self)
{
  g_return_val_if_fail (LK_IS_CREATE_PAGE (self), NULL);

  return self->study_path;
}

/**
 * lk_create_page_get_params:
 * @params: (out caller-allocates): the parameters as set in the form
 *
 * Returns: (transfer none): the method chosen
 */
const LkMethodType *
lk_create_page_get_params (LkCreatePage *self,
                           LkParams     *params)
{
  guint n_methods;
  const LkMethodType **methods = lk_method_list (&n_methods);
  guint selected;

  g_return_val_if_fail (LK_IS_CREATE_PAGE (self), NULL);
  g_return_val_if_fail (params != NULL, NULL);

  lk_params_init (params);
  params->nq = gtk_spin_button_get_value_as_int (self->nq_spin);
  params->nc = gtk_spin_button_get_value_as_int (self->nc_spin);
  params->beta = gtk_spin_button_get_value (self->beta_spin);
  params->budget = gtk_spin_button_get_value_as_int (self->budget_spin);
  params->phases = gtk_spin_button_get_value_as_int (self->phases_spin);
  /* At least nq - 1 for large grids; lowered for a small collection once it is imported. */
  params->knn_k = lk_params_choose_k (params, G_MAXUINT);
  /* Each study its own random draws, recorded with it. */
  params->seed = g_random_int () | (guint64) g_random_int () << 32;
  selected = adw_combo_row_get_selected (self->method_row);

  return methods[selected < n_methods ? selected : 0];
}

/**
 * lk_create_page_set_session_settings:
 * @settings: the session settings to show (the texts %NULL for the standard ones)
 *
 * Fills the form's session settings, which are written into the study once it is created.
 */
void
lk_create_page_set_session_settings (LkCreatePage            *self,
                                     const LkSessionSettings *settings)
{
  g_return_if_fail (LK_IS_CREATE_PAGE (self));
  g_return_if_fail (settings != NULL);

  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->consent_view),
                            settings->consent != NULL ? settings->consent : "", -1);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->instructions_view),
                            settings->instructions != NULL ? settings->instructions : "", -1);
  gtk_spin_button_set_value (self->grids_spin, settings->grids_per_participant);
  gtk_spin_button_set_value (self->break_spin, settings->break_every);
  gtk_spin_button_set_value (self->practice_spin, settings->n_practice);
  gtk_switch_set_active (self->all_placed_switch, settings->all_placed);
  gtk_editable_set_text (GTK_EDITABLE (self->passphrase_row),
                         settings->passphrase != NULL ? settings->passphrase : "");
}

/* Returns the text of @view without surrounding blanks, or NULL when that is empty. */
static char *
dup_text (GtkTextView *view)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (view);
  GtkTextIter start, end;
  g_autofree char *text = NULL;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  text = g_strstrip (gtk_text_buffer_get_text (buffer, &start, &end, FALSE));

  return text[0] != '\0' ? g_steal_pointer (&text) : NULL;
}

/**
 * lk_create_page_get_session_settings:
 * @settings: (out caller-allocates): the form's session settings, as they will be written into
 *   the study (clear them after); an empty consent text, instructions or passphrase is %NULL
 */
void
lk_create_page_get_session_settings (LkCreatePage      *self,
                                     LkSessionSettings *settings)
{
  const char *passphrase;

  g_return_if_fail (LK_IS_CREATE_PAGE (self));
  g_return_if_fail (settings != NULL);

  lk_session_settings_init (settings);
  settings->consent = dup_text (self->consent_view);
  settings->instructions = dup_text (self->instructions_view);
  passphrase = gtk_editable_get_text (GTK_EDITABLE (self->passphrase_row));
  settings->passphrase = passphrase[0] != '\0' ? g_strdup (passphrase) : NULL;
  settings->grids_per_participant = gtk_spin_button_get_value_as_int (self->grids_spin);
  settings->break_every = gtk_spin_button_get_value_as_int (self->break_spin);
  settings->n_practice = gtk_spin_button_get_value_as_int (self->practice_spin);
  settings->all_placed = gtk_switch_get_active (self->all_placed_switch);
}

/**
 * lk_create_page_get_stage:
 *
 * Returns: "form", "progress" or "report"
 */
const char *
lk_create_page_get_stage (LkCreatePage *self)
{
  g_return_val_if_fail (LK_IS_CREATE_PAGE (self), NULL);

  return gtk_stack_get_visible_child_name (self->stack);
}

/**
 * lk_create_page_get_study:
 *
 * Returns: (transfer none) (nullable): the study created, once its report is shown
 */
LkStudy *
lk_create_page_get_study (LkCreatePage *self)
{
  g_return_val_if_fail (LK_IS_CREATE_PAGE (self), NULL);

  return self->study;
}

/**
 * lk_create_page_get_report:
 *
 * Returns: (transfer none) (nullable): the import report shown
 */
const LkImportReport *
lk_create_page_get_report (LkCreatePage *self)
{
  g_return_val_if_fail (LK_IS_CREATE_PAGE (self), NULL);

  return self->report;
}

/**
 * lk_create_page_get_n_listed:
 *
 * Returns: how many files the report lists as left out (skipped or duplicate)
 */
guint
lk_create_page_get_n_listed (LkCreatePage *self)
{
  g_return_val_if_fail (LK_IS_CREATE_PAGE (self), 0);

  return self->n_listed;
}

/**
 * lk_create_page_create:
 *
 * Creates the study and imports the folder in a worker thread, showing the progress. Parameters
 * no study could run with are refused first, and those that do not fit the collection after
 * the import (lk_study_create_async()); the page's "error" signal says what to change.
 */
void
lk_create_page_create (LkCreatePage *self)
{
  g_auto(LkSessionSettings) settings = { 0 };
  g_autoptr(GError) error = NULL;
  const LkMethodType *method;
  LkParams params;

  g_return_if_fail (LK_IS_CREATE_PAGE (self));
  g_return_if_fail (self->folder != NULL && self->study_path != NULL);
  g_return_if_fail (self->cancellable == NULL);

  method = lk_create_page_get_params (self, &params);
  lk_create_page_get_session_settings (self, &settings);
  if (!lk_params_validate_study (&params, G_MAXUINT, &error) ||
      !lk_session_settings_validate (&settings, &params, &error))
    {
      g_signal_emit (self, signals[SIGNAL_ERROR], 0, _("The Study Could Not Be Created"),
                     error->message);
      return;
    }
  self->cancellable = g_cancellable_new ();
  lk_progress_bar_show_count (self->progress_bar, 0, 0, _("Looking for images…"));
  gtk_label_set_label (self->current_label, "");
  adw_window_title_set_title (self->window_title, _("Importing"));
  gtk_stack_set_visible_child_name (self->stack, "progress");
  lk_study_create_async (self->study_path, self->folder, &params, method, self->cancellable,
                         progress_cb, self, create_done_cb, g_object_ref (self));
}

/**
 * lk_create_page_cancel:
 *
 * Cancels a running import; the half-made study file is removed and the form comes back.
 */
void
lk_create_page_cancel (LkCreatePage *self)
{
  g_return_if_fail (LK_IS_CREATE_PAGE (self));

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
}

/**
 * lk_create_page_show_sample:
 *
 * For the README's screenshot: imports a generated folder (demo colours, a duplicate and a
 * few broken files) into a study in a new temporary folder, and waits for the report.
 *
 * Returns: %FALSE with @error set if the folder could not be made
 */
gboolean
lk_create_page_show_sample (LkCreatePage  *self,
                            GError       **error)
{
  g_autofree char *dir = NULL;
  g_autofree char *images = NULL;
  g_autofree char *study = NULL;
  g_autoptr(LkDemoCollection) colours = NULL;
  static const char *bad[][2] = {
    { "empty.png", "" },
    { "notes.txt", "Shot on the second day; the lamp was replaced." },
    { "broken.jpg", "\xff\xd8\xff\xe0 not really a JPEG" },
  };

  g_return_val_if_fail (LK_IS_CREATE_PAGE (self), FALSE);

  dir = g_dir_make_tmp ("likeness-sample-XXXXXX", error);
  if (dir == NULL)
    return FALSE;
  images = g_build_filename (dir, "lab-photos", NULL);
  study = g_build_filename (dir, "lab-photos.likeness", NULL);
  colours = lk_demo_collection_new ("colours", error);
  if (colours == NULL || g_mkdir (images, 0700) != 0)
    return FALSE;
  for (guint i = 0; i < 48; i++)
    {
      g_autoptr(GdkTexture) texture = lk_image_source_dup_texture (LK_IMAGE_SOURCE (colours), i);
      g_autofree char *name = g_strdup_printf ("colour-%03u.png", i);
      g_autofree char *path = g_build_filename (images, name, NULL);

      gdk_texture_save_to_png (texture, path);
      if (i == 7)
        {
          g_autofree char *copy = g_build_filename (images, "colour-007-copy.png", NULL);

          gdk_texture_save_to_png (texture, copy);
        }
    }
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autofree char *path = g_build_filename (images, bad[i][0], NULL);

      if (!g_file_set_contents (path, bad[i][1], -1, error))
        return FALSE;
    }

  lk_create_page_reset (self);
  lk_create_page_set_folder (self, images);
  lk_create_page_set_study_path (self, study);
  lk_create_page_create (self);
  while (self->cancellable != NULL)
    g_main_context_iteration (NULL, TRUE);

  return TRUE;
}
