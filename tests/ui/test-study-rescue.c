/* test-study-rescue.c — a study file deleted while a session runs on it: the
 * failed save offers to write the study out again, and the copy holds every answer saved; a
 * session left without accepting the offer writes it out anyway
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "lk-locale.h"
#include "lk-study-test.h"
#include "lk-ui-test.h"
#include "lk-window-private.h"

/* Gives @dialog's @response and makes sure it is gone before the next dialog is looked for. */
static void
respond (AdwMessageDialog *dialog,
         const char       *response)
{
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &dialog);
  adw_message_dialog_response (dialog, response);
  lk_ui_test_flush ();
  if (dialog != NULL)
    {
      g_object_remove_weak_pointer (G_OBJECT (dialog), (gpointer *) &dialog);
      gtk_window_destroy (GTK_WINDOW (dialog));
    }
}

/* Puts every image of the session's grid in bin 0 and submits; returns whether it saved. */
static gboolean
sort_and_submit (LkSession *session)
{
  g_autoptr(GError) error = NULL;
  LkSortModel *model = lk_session_get_model (session);

  for (guint p = 0; p < lk_sort_model_get_n_items (model); p++)
    lk_sort_model_move (model, p, 0);

  return lk_session_submit (session, &error);
}

/* Starts a session on @path in @window, past the practice grid, with one real answer saved. */
static LkSession *
start (LkWindow   *window,
       LkStudy    *study,
       const char *code)
{
  LkSession *session;

  lk_window_start_study (window, study, code, FALSE);
  lk_ui_test_wait_for (lk_ui_test_window_prepared, window);
  g_assert_cmpstr (lk_window_get_visible_page (window), ==, "session");
  session = lk_session_view_get_session (lk_window_get_session_view (window));
  lk_session_accept_consent (session);
  lk_session_begin (session);
  g_assert_true (sort_and_submit (session));
  lk_session_begin (session);
  g_assert_cmpint (lk_session_get_state (session), ==, LK_SESSION_SORTING);
  g_assert_true (sort_and_submit (session));

  return session;
}

static guint
answers_in (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LkStore) store = lk_store_open (path, LK_STORE_OPEN_READ_ONLY, &error);
  LkStoreCounts counts;

  g_assert_no_error (error);
  g_assert_true (lk_store_get_counts (store, &counts, &error));

  return counts.answers;
}

static void
test_rescue (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = study_test_tmpdir ();
  g_autofree char *images = g_build_filename (dir, "images", NULL);
  g_autofree char *path = g_build_filename (dir, "doomed.likeness", NULL);
  g_autofree char *copy = g_build_filename (dir, "doomed-recovered.likeness", NULL);
  g_autofree char *copy2 = g_build_filename (dir, "doomed-recovered-2.likeness", NULL);
  g_autoptr(LkStudy) study = NULL;
  LkWindow *window = lk_window_new (NULL);
  AdwMessageDialog *dialog;
  LkSession *session;

  g_assert_cmpint (g_mkdir (images, 0700), ==, 0);
  study_test_create (path, images, 12);
  study = lk_study_open (path, &error);
  g_assert_no_error (error);
  gtk_window_present (GTK_WINDOW (window));
  lk_ui_test_wait_mapped (GTK_WIDGET (window));

  /* Deleted after one answer: the next save fails, and the app offers the rescue. */
  session = start (window, study, "P-R1");
  g_assert_cmpint (g_unlink (path), ==, 0);
  g_assert_false (sort_and_submit (session));
  g_assert_cmpint (lk_session_get_state (session), ==, LK_SESSION_SAVE_FAILED);
  dialog = lk_ui_test_find_dialog ();
  g_assert_nonnull (dialog);
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==,
                   "The Study File Was Moved or Deleted");
  respond (dialog, "rescue");
  dialog = lk_ui_test_find_dialog ();
  g_assert_nonnull (dialog);
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "The Study Was Written Out Again");
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), copy));
  gtk_window_destroy (GTK_WINDOW (dialog));
  g_assert_cmpuint (answers_in (copy), ==, 1);

  /* Leaving the session writes nothing more: the study is out already. */
  lk_window_end_session (window);
  lk_ui_test_flush ();
  g_assert_false (g_file_test (copy2, G_FILE_TEST_EXISTS));
  g_clear_object (&study);

  /* The copy goes on; deleted again and the offer declined, leaving writes it out anyway. */
  study = lk_study_open (copy, &error);
  g_assert_no_error (error);
  session = start (window, study, "P-R2");
  g_assert_cmpint (g_unlink (copy), ==, 0);
  g_assert_false (sort_and_submit (session));
  dialog = lk_ui_test_find_dialog ();
  g_assert_nonnull (dialog);
  respond (dialog, "cancel");
  g_assert_null (lk_ui_test_find_dialog ());
  lk_window_end_session (window);
  dialog = lk_ui_test_find_dialog ();
  g_assert_nonnull (dialog);
  gtk_window_destroy (GTK_WINDOW (dialog));
  g_assert_cmpuint (answers_in (copy2), ==, 2);

  gtk_window_destroy (GTK_WINDOW (window));
  lk_ui_test_flush ();
  g_clear_object (&study);
  lk_test_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  lk_locale_init ("C.UTF-8");
  if (!lk_ui_test_init (&argc, &argv))
    return 0;

  g_test_add_func ("/lk/ui/study-rescue/deleted", test_rescue);

  return g_test_run ();
}
