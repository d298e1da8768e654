/* lk-study-errors.c — a study error told to the experimenter: what happened and what to do
 *
 * The store's messages are exact but technical ("The study file is damaged (database disk image
 * is malformed) - PATH"), and the same for the command line. A dialog leads with plain words
 * for the kind of error, what happened and what to do next, and keeps the store's message
 * below as the details to quote when asking for help.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "lk-store.h"
#include "lk-study-errors.h"

/**
 * lk_study_error_advice:
 * @error: an error from opening, creating or writing a study
 *
 * Returns: (nullable): what happened and what to do, in plain words, translated; %NULL when
 *   @error's message says that already (a study that cannot run, a participant who is done)
 */
const char *
lk_study_error_advice (const GError *error)
{
  g_return_val_if_fail (error != NULL, NULL);

  if (error->domain != LK_STORE_ERROR)
    return NULL;

  switch ((LkStoreError) error->code)
    {
    case LK_STORE_ERROR_NOT_FOUND:
      return _("There is no study file at that place. If it was moved or renamed, open it "
               "from its new place with Open a Study.");
    case LK_STORE_ERROR_NOT_A_STUDY:
      return _("This file was not made by Likeness. Choose a file whose name ends in "
               ".likeness, or create a study from a folder of images.");
    case LK_STORE_ERROR_DAMAGED:
      return _("Part of the study file is damaged, so it cannot be read safely. Keep a copy of "
               "the file, then run “likeness-cli check” on it in a terminal to see what is "
               "wrong, or restore the file from a backup.");
    case LK_STORE_ERROR_TOO_NEW:
      return _("The study was made by a newer version of Likeness. Open it with that "
               "version; this one leaves the file untouched.");
    case LK_STORE_ERROR_LOCKED:
      return _("Another window or program is writing to this study. Close the other window, "
               "or wait until likeness-cli has finished, then open the study again.");
    case LK_STORE_ERROR_READ_ONLY:
      return _("The study file, or its folder, cannot be written, so no answer could be "
               "saved. Copy the study into a folder you can write to, or change its "
               "permissions, then open it again.");
    case LK_STORE_ERROR_MOVED:
      return _("The study file was moved or deleted while it was open. Put it back, or open "
               "it from its new place.");
    case LK_STORE_ERROR_DISK_FULL:
      return _("The disk is full. Free some space, then try again; what was saved before is "
               "kept.");
    case LK_STORE_ERROR_IO:
      return _("The disk reported an error while the study was read or written. Copy the "
               "study to another disk, then open the copy.");
    case LK_STORE_ERROR_EXISTS:
      return _("A file of that name is already there. Choose another name, or move the other "
               "file away first.");
    case LK_STORE_ERROR_FAILED:
    case LK_STORE_ERROR_INVALID:
    case LK_STORE_ERROR_PARSE:
    default:
      return _("Likeness could not use the study. The details below say why; if they do not "
               "help, run “likeness-cli check” on the file in a terminal.");
    }
}

/**
 * lk_study_error_dup_body:
 * @error: an error from opening, creating or writing a study
 *
 * Returns: (transfer full): the body of a dialog about @error: the advice, then the error's own
 *   message as the details (just the message, when there is no advice)
 */
char *
lk_study_error_dup_body (const GError *error)
{
  const char *advice;

  g_return_val_if_fail (error != NULL, NULL);

  advice = lk_study_error_advice (error);
  if (advice == NULL)
    return g_strdup (error->message);

  /* Translators: advice on a study error, then the technical message it came with */
  return g_strdup_printf (_("%s\n\nDetails: %s"), advice, error->message);
}
