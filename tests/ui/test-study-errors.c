/* test-study-errors.c — a study's errors told to the experimenter: every kind of store error
 * has its own advice (what happened, what to do), the store's message stays as the details,
 * and the window's dialog shows both
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "lk-error.h"
#include "lk-locale.h"
#include "lk-study-errors.h"
#include "lk-study-test.h"
#include "lk-ui-test.h"
#include "lk-window-private.h"

static void
test_advice (void)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GError) damaged = NULL;
  g_autoptr(GError) core = NULL;
  g_autofree char *body = NULL;

  /* One piece of advice per kind: full sentences, none the same. */
  static const LkStoreError codes[] = {
    LK_STORE_ERROR_FAILED, LK_STORE_ERROR_NOT_FOUND, LK_STORE_ERROR_EXISTS,
    LK_STORE_ERROR_NOT_A_STUDY, LK_STORE_ERROR_DAMAGED, LK_STORE_ERROR_TOO_NEW,
    LK_STORE_ERROR_LOCKED, LK_STORE_ERROR_READ_ONLY, LK_STORE_ERROR_MOVED,
    LK_STORE_ERROR_DISK_FULL, LK_STORE_ERROR_IO,
  };

  for (guint i = 0; i < G_N_ELEMENTS (codes); i++)
    {
      g_autoptr(GError) error = g_error_new_literal (LK_STORE_ERROR, codes[i], "details");
      const char *advice = lk_study_error_advice (error);

      g_assert_nonnull (advice);
      g_assert_true (g_str_has_suffix (advice, "."));
      g_assert_false (g_hash_table_contains (seen, advice));
      g_hash_table_add (seen, (gpointer) advice);
    }

  /* The message that read like a log line now comes after what to do. */
  damaged = g_error_new_literal (LK_STORE_ERROR, LK_STORE_ERROR_DAMAGED,
                                 "The study file is damaged (database disk image is malformed) "
                                 "- /home/lab/study.likeness");
  body = lk_study_error_dup_body (damaged);
  g_assert_true (g_str_has_prefix (body, "Part of the study file is damaged"));
  g_assert_nonnull (strstr (body, "likeness-cli check"));
  g_assert_true (g_str_has_suffix (body, "\n\nDetails: " "The study file is damaged (database disk "
                                   "image is malformed) - /home/lab/study.likeness"));
  g_clear_pointer (&body, g_free);

  /* An error whose message already says what to change is shown as it is. */
  core = g_error_new_literal (LK_CORE_ERROR, 0, "Choose k below 24");
  g_assert_null (lk_study_error_advice (core));
  body = lk_study_error_dup_body (core);
  g_assert_cmpstr (body, ==, "Choose k below 24");
}

/* Returns the body of the message dialog shown, and closes it. */
static char *
take_dialog_body (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();
  char *body = NULL;

  lk_ui_test_flush ();
  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (window) && gtk_widget_get_visible (GTK_WIDGET (window)))
        {
          body = g_strdup (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (window)));
          gtk_window_destroy (GTK_WINDOW (window));
          break;
        }
    }
  lk_ui_test_flush ();

  return body;
}

static void
test_dialog (void)
{
  g_autofree char *dir = study_test_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "notes.likeness", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autofree char *body = NULL;
  LkWindow *window = lk_window_new (NULL);

  g_assert_true (g_file_set_contents (path, "Just some notes.\n", -1, NULL));
  gtk_window_present (GTK_WINDOW (window));
  lk_ui_test_wait_mapped (GTK_WIDGET (window));
  lk_window_open_study (window, file);
  body = take_dialog_body ();
  g_assert_nonnull (body);
  g_assert_true (g_str_has_prefix (body, "This file was not made by Likeness. Choose a file"));
  g_assert_nonnull (strstr (body, "\n\nDetails: "));
  g_assert_nonnull (strstr (body, path));

  gtk_window_destroy (GTK_WINDOW (window));
  lk_ui_test_flush ();
  lk_test_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  lk_locale_init ("C.UTF-8");
  if (!lk_ui_test_init (&argc, &argv))
    return 0;

  g_test_add_func ("/lk/ui/study-errors/advice", test_advice);
  g_test_add_func ("/lk/ui/study-errors/dialog", test_dialog);

  return g_test_run ();
}
