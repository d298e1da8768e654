/* lk-save-dialog.c — the save dialog every window uses
 *
 * A modal GtkFileChooserNative (the portal's dialog where there is one) with one filter per
 * type; the chosen name keeps an ending it has among the types, else gets the chosen filter's
 * (so "strip" saved with "SVG drawing" chosen is "strip.svg", and "strip.pdf" stays a PDF).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "lk-save-dialog.h"

const LkSaveType lk_save_drawing_types[LK_SAVE_N_DRAWING_TYPES] = {
  { N_("PNG image"), "*.png", "image/png", ".png" },
  { N_("SVG drawing"), "*.svg", "image/svg+xml", ".svg" },
  { N_("PDF document"), "*.pdf", "application/pdf", ".pdf" },
};

/**
 * lk_save_dialog_new:
 * @parent: the window it is modal for
 * @types: (array length=n_types): the types offered, the first chosen; none for no filter
 * @name: the name filled in
 * @response: the dialog's "response" handler
 * @user_data: its data (a reference on the window, which it drops with the dialog's)
 *
 * Returns: (transfer full): the dialog, for the caller to show
 */
GtkFileChooserNative *
lk_save_dialog_new (GtkWindow        *parent,
                    const char       *title,
                    const char       *accept,
                    const LkSaveType *types,
                    guint             n_types,
                    const char       *name,
                    GCallback         response,
                    gpointer          user_data)
{
  GtkFileChooserNative *dialog = gtk_file_chooser_native_new (title, parent,
                                                              GTK_FILE_CHOOSER_ACTION_SAVE,
                                                              accept, _("_Cancel"));

  for (guint i = 0; i < n_types; i++)
    {
      g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

      gtk_file_filter_set_name (filter, _(types[i].name));
      if (types[i].mime_type != NULL)
        gtk_file_filter_add_mime_type (filter, types[i].mime_type);
      gtk_file_filter_add_pattern (filter, types[i].pattern);
      g_object_set_data (G_OBJECT (filter), "lk-save-type", (gpointer) &types[i]);
      gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), filter);
      if (i == 0)
        gtk_file_chooser_set_filter (GTK_FILE_CHOOSER (dialog), filter);
    }
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), name);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  g_signal_connect (dialog, "response", response, user_data);

  return dialog;
}

/**
 * lk_save_dialog_get_type:
 *
 * Returns: (nullable): the type whose filter is chosen in an lk_save_dialog_new() dialog
 */
const LkSaveType *
lk_save_dialog_get_type (GtkNativeDialog *dialog)
{
  GtkFileFilter *filter = gtk_file_chooser_get_filter (GTK_FILE_CHOOSER (dialog));

  return filter != NULL ? g_object_get_data (G_OBJECT (filter), "lk-save-type") : NULL;
}

/**
 * lk_save_dialog_dup_path:
 * @types: (array length=n_types): the types the dialog was made with
 *
 * Returns: (transfer full) (nullable): the local path chosen; a name with none of @types'
 *   endings gets the chosen type's (or the first's). %NULL when the choice is not a local file.
 */
char *
lk_save_dialog_dup_path (GtkNativeDialog  *dialog,
                         const LkSaveType *types,
                         guint             n_types)
{
  const LkSaveType *chosen = lk_save_dialog_get_type (dialog);
  g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
  g_autofree char *path = file != NULL ? g_file_get_path (file) : NULL;

  if (path == NULL || n_types == 0)
    return g_steal_pointer (&path);
  for (guint i = 0; i < n_types; i++)
    if (g_str_has_suffix (path, types[i].ending))
      return g_steal_pointer (&path);

  return g_strconcat (path, chosen != NULL ? chosen->ending : types[0].ending, NULL);
}
