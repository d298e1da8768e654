/* test-open-study.c — opening a study from the window: every open error in a dialog, a good
 * study straight into a session, and the recent studies on the start page
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "lk-locale.h"
#include "lk-store-private.h"
#include "lk-study-test.h"
#include "lk-ui-test.h"
#include "lk-window-private.h"
#include "lk-start-page-private.h"

static void
open_path (LkWindow   *window,
           const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);

  lk_window_open_study (window, file);
}

static gboolean
prepared (gpointer window)
{
  return !lk_window_is_preparing (window);
}

static void
test_open (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = study_test_tmpdir ();
  g_autofree char *images = g_build_filename (dir, "images", NULL);
  g_autofree char *path = g_build_filename (dir, "good.likeness", NULL);
  g_autofree char *text = g_build_filename (dir, "notes.likeness", NULL);
  g_autofree char *newer = g_build_filename (dir, "newer.likeness", NULL);
  g_autofree char *small = g_build_filename (dir, "empty.likeness", NULL);
  g_autofree char *heading = NULL;
  LkParams params = study_test_params ();
  LkWindow *window = lk_window_new (NULL);
  LkStartPage *start_page;

  g_assert_cmpint (g_mkdir (images, 0700), ==, 0);
  study_test_create (path, images, 24);
  g_assert_true (g_file_set_contents (text, "Just some notes.\n", -1, NULL));
  {
    g_autoptr(LkStore) store = lk_store_create (newer, &params, lk_method_paper, &error);

    g_assert_no_error (error);
    g_assert_true (lk_store_exec (store, "PRAGMA user_version = 99;", &error));
  }

  gtk_window_present (GTK_WINDOW (window));
  lk_ui_test_wait_mapped (GTK_WIDGET (window));
  start_page = lk_window_get_start_page (window);
  g_assert_cmpuint (lk_start_page_get_n_recent (start_page), ==, 0);

  /* Each error in a dialog with its own heading; the window stays on the start page. */
  open_path (window, text);
  heading = lk_ui_test_take_dialog_heading ();
  g_assert_cmpstr (heading, ==, "This Is Not a Likeness Study");
  g_clear_pointer (&heading, g_free);

  open_path (window, newer);
  heading = lk_ui_test_take_dialog_heading ();
  g_assert_cmpstr (heading, ==, "The Study Needs a Newer Likeness");
  g_clear_pointer (&heading, g_free);
  g_assert_cmpstr (lk_window_get_visible_page (window), ==, "start");

  {
    g_autoptr(LkStore) holder = lk_store_open (path, LK_STORE_OPEN_DEFAULT, &error);

    g_assert_no_error (error);
    open_path (window, path);
    heading = lk_ui_test_take_dialog_heading ();
    g_assert_cmpstr (heading, ==, "The Study Is Already Open");
    g_clear_pointer (&heading, g_free);
  }
  g_assert_cmpuint (lk_start_page_get_n_recent (start_page), ==, 0);

  /* A good study: a session at its first grid, and the file among the recent studies. */
  lk_start_page_set_participant_code (start_page, "P-OPEN2");
  open_path (window, path);
  /* The study is replayed on a worker thread; meanwhile the window takes no input. */
  g_assert_true (lk_window_is_preparing (window));
  g_assert_false (gtk_widget_is_sensitive (GTK_WIDGET (lk_window_get_start_page (window))));
  lk_ui_test_wait_for (prepared, window);
  g_assert_true (gtk_widget_is_sensitive (GTK_WIDGET (lk_window_get_start_page (window))));
  heading = lk_ui_test_take_dialog_heading ();
  g_assert_null (heading);
  g_assert_cmpstr (lk_window_get_visible_page (window), ==, "session");
  g_assert_cmpstr (lk_session_get_participant (
                     lk_session_view_get_session (lk_window_get_session_view (window))),
                   ==, "P-OPEN2");
  g_assert_cmpuint (lk_start_page_get_n_recent (start_page), ==, 1);

  lk_window_end_session (window);
  g_assert_cmpstr (lk_window_get_visible_page (window), ==, "start");

  /* A study that cannot run a session (a grid shows more images than it has) says so once it
   * is replayed, and the window stays on the start page. */
  {
    g_autoptr(LkStore) store = lk_store_create (small, &params, lk_method_paper, &error);

    g_assert_no_error (error);
  }
  open_path (window, small);
  lk_ui_test_wait_for (prepared, window);
  heading = lk_ui_test_take_dialog_heading ();
  g_assert_nonnull (heading);
  g_clear_pointer (&heading, g_free);
  g_assert_cmpstr (lk_window_get_visible_page (window), ==, "start");
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

  g_test_add_func ("/lk/ui/open-study/errors-and-recent", test_open);

  return g_test_run ();
}
