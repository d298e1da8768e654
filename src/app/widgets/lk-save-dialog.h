/* lk-save-dialog.h — the save dialog every window uses, with the types it offers
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/**
 * LkSaveType:
 * @name: the filter's name, marked with N_() (translated when shown)
 * @pattern: the filter's pattern
 * @mime_type: (nullable): the filter's MIME type too
 * @ending: what a name without any of the dialog's endings gets
 *
 * A type a save dialog offers.
 */
typedef struct {
  const char *name;
  const char *pattern;
  const char *mime_type;
  const char *ending;
} LkSaveType;

/* PNG, SVG and PDF, in that order: what lk_save_drawing() writes. */
#define LK_SAVE_N_DRAWING_TYPES 3
extern const LkSaveType lk_save_drawing_types[LK_SAVE_N_DRAWING_TYPES];

GtkFileChooserNative *lk_save_dialog_new          (GtkWindow        *parent,
                                                   const char       *title,
                                                   const char       *accept,
                                                   const LkSaveType *types,
                                                   guint             n_types,
                                                   const char       *name,
                                                   GCallback         response,
                                                   gpointer          user_data) G_GNUC_WARN_UNUSED_RESULT;
char                 *lk_save_dialog_dup_path     (GtkNativeDialog  *dialog,
                                                   const LkSaveType *types,
                                                   guint             n_types) G_GNUC_WARN_UNUSED_RESULT;
const LkSaveType     *lk_save_dialog_get_type     (GtkNativeDialog  *dialog);

G_END_DECLS
