/* test-leave-study.c — every way out of study mode asks for the study's passphrase:
 * Finish on the thank-you page, Finish after declining consent, closing the window,
 * Escape and Ctrl+W, and no study opened from outside; Enter in the passphrase field leaves when
 * it is right and says so in the dialog when it is wrong
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "lk-locale.h"
#include "lk-session-view-private.h"
#include "lk-study-test.h"
#include "lk-ui-test.h"
#include "lk-window-private.h"

#define PASSPHRASE "open sesame"

typedef struct {
  char     *dir;
  LkStudy  *study;
  LkWindow *window;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LkStore) store = NULL;
  g_autoptr(LkImportReport) report = NULL;
  g_autofree char *images = NULL;
  g_autofree char *path = NULL;
  LkParams params = study_test_params ();

  /* Two grids in one phase: a session reaches its thank-you page quickly. */
  params.budget = 2;
  params.phases = 1;
  fixture->dir = study_test_tmpdir ();
  images = g_build_filename (fixture->dir, "images", NULL);
  path = g_build_filename (fixture->dir, "guarded.likeness", NULL);
  g_assert_cmpint (g_mkdir (images, 0700), ==, 0);
  study_test_make_images (images, 12);
  store = lk_store_create (path, &params, lk_method_paper, &error);
  g_assert_no_error (error);
  report = lk_collection_import (store, images, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_clear_pointer (&store, lk_store_close);

  fixture->study = lk_study_open (path, &error);
  g_assert_no_error (error);
  {
    g_auto(LkSessionSettings) settings = { 0 };

    lk_session_settings_init (&settings);
    settings.consent = g_strdup ("Do you agree?");
    settings.break_every = 0;
    settings.n_practice = 0;
    settings.all_placed = FALSE;
    settings.passphrase = g_strdup (PASSPHRASE);
    g_assert_true (lk_study_set_session_settings (fixture->study, &settings, &error));
    g_assert_no_error (error);
  }

  fixture->window = lk_window_new (NULL);
  gtk_window_present (GTK_WINDOW (fixture->window));
  lk_ui_test_wait_mapped (GTK_WIDGET (fixture->window));
  lk_window_start_study (fixture->window, fixture->study, "P-LEAVE", FALSE);
  lk_ui_test_wait_for (lk_ui_test_window_prepared, fixture->window);
  g_assert_cmpstr (lk_window_get_visible_page (fixture->window), ==, "session");
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (fixture->window));
  lk_ui_test_flush ();
  g_clear_object (&fixture->study);
  lk_test_rmdir (fixture->dir);
  g_free (fixture->dir);
}

static LkSession *
session (Fixture *fixture)
{
  return lk_session_view_get_session (lk_window_get_session_view (fixture->window));
}

/* Activates the shortcut of @widget's own controllers whose trigger reads @accel, as pressing
 * the keys would. */
static void
press (GtkWidget  *widget,
       const char *accel)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);
  gboolean found = FALSE;

  for (guint i = 0; i < g_list_model_get_n_items (controllers) && !found; i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;
      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)) && !found; j++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);
          g_autofree char *trigger =
            gtk_shortcut_trigger_to_string (gtk_shortcut_get_trigger (shortcut));

          if (g_strcmp0 (trigger, accel) != 0)
            continue;
          found = gtk_shortcut_action_activate (gtk_shortcut_get_action (shortcut),
                                                GTK_SHORTCUT_ACTION_EXCLUSIVE, widget,
                                                gtk_shortcut_get_arguments (shortcut));
        }
    }
  g_assert_true (found);
  lk_ui_test_flush ();
}

/* The session is still on, on @page, and the dialog asks for the passphrase; a wrong one
 * (typed, then Leave) keeps the session. */
static void
assert_guarded (Fixture    *fixture,
                const char *page)
{
  AdwMessageDialog *dialog = lk_window_get_leave_dialog (fixture->window);
  GtkWidget *entry;

  g_assert_nonnull (dialog);
  entry = adw_message_dialog_get_extra_child (dialog);
  g_assert_true (GTK_IS_PASSWORD_ENTRY (entry));
  g_assert_cmpstr (lk_window_get_visible_page (fixture->window), ==, "session");
  g_assert_cmpstr (lk_session_view_get_page (lk_window_get_session_view (fixture->window)), ==,
                   page);
  g_assert_nonnull (session (fixture));

  gtk_editable_set_text (GTK_EDITABLE (entry), "sesame");
  adw_message_dialog_response (dialog, "leave");
  lk_ui_test_flush ();
  g_assert_null (lk_window_get_leave_dialog (fixture->window));
  g_assert_cmpstr (lk_window_get_visible_page (fixture->window), ==, "session");
  g_assert_nonnull (session (fixture));
}

/* Types @text into the open dialog's passphrase field and presses Enter. */
static void
type_and_enter (Fixture    *fixture,
                const char *text)
{
  GtkWidget *entry = adw_message_dialog_get_extra_child (lk_window_get_leave_dialog (fixture->window));

  gtk_editable_set_text (GTK_EDITABLE (entry), text);
  g_signal_emit_by_name (entry, "activate");
  lk_ui_test_flush ();
}

static void
activate (Fixture    *fixture,
          const char *action)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (lk_window_get_session_view (fixture->window)),
                                             action, NULL));
  lk_ui_test_flush ();
}

/* Sorts the grids of the session until its thank-you page. */
static void
sort_to_the_end (Fixture *fixture)
{
  activate (fixture, "session.accept");
  activate (fixture, "session.begin");
  while (lk_session_get_state (session (fixture)) == LK_SESSION_SORTING)
    {
      g_autoptr(GError) error = NULL;

      lk_sort_model_move (lk_session_get_model (session (fixture)), 0, 0);
      g_assert_true (lk_session_submit (session (fixture), &error));
      g_assert_no_error (error);
    }
  lk_ui_test_flush ();
  g_assert_cmpint (lk_session_get_state (session (fixture)), ==, LK_SESSION_DONE);
}

static void
test_finish_done (Fixture       *fixture,
                  gconstpointer  data)
{
  sort_to_the_end (fixture);
  activate (fixture, "session.finish");
  assert_guarded (fixture, "done");

  /* Enter with the right passphrase leaves, and closes the dialog. */
  activate (fixture, "session.finish");
  type_and_enter (fixture, PASSPHRASE);
  g_assert_null (lk_window_get_leave_dialog (fixture->window));
  g_assert_null (session (fixture));
  g_assert_cmpstr (lk_window_get_visible_page (fixture->window), ==, "start");
}

static void
test_finish_declined (Fixture       *fixture,
                      gconstpointer  data)
{
  activate (fixture, "session.decline");
  activate (fixture, "session.finish");
  assert_guarded (fixture, "declined");
}

static void
test_close (Fixture       *fixture,
            gconstpointer  data)
{
  gtk_window_close (GTK_WINDOW (fixture->window));
  lk_ui_test_flush ();
  assert_guarded (fixture, "consent");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (fixture->window)));
}

static void
test_escape (Fixture       *fixture,
             gconstpointer  data)
{
  press (GTK_WIDGET (fixture->window), "Escape");
  assert_guarded (fixture, "consent");
}

static void
test_ctrl_w (Fixture       *fixture,
             gconstpointer  data)
{
  press (GTK_WIDGET (fixture->window), "<Control>w");
  assert_guarded (fixture, "consent");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (fixture->window)));
}

/* Enter with a wrong passphrase keeps the dialog open and says so; with the right one it
 * closes the dialog and leaves. */
static void
test_enter (Fixture       *fixture,
            gconstpointer  data)
{
  AdwMessageDialog *dialog;

  press (GTK_WIDGET (fixture->window), "Escape");
  dialog = lk_window_get_leave_dialog (fixture->window);
  g_assert_nonnull (dialog);
  type_and_enter (fixture, "open sesam");
  g_assert_true (lk_window_get_leave_dialog (fixture->window) == dialog);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (dialog)));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "Wrong passphrase"));
  g_assert_nonnull (session (fixture));

  type_and_enter (fixture, PASSPHRASE);
  g_assert_null (lk_window_get_leave_dialog (fixture->window));
  g_assert_null (session (fixture));
  g_assert_cmpstr (lk_window_get_visible_page (fixture->window), !=, "session");
}

/* Opening a study from outside (`likeness STUDY` while the app runs) does not leave the
 * session. */
static void
test_open_other (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autofree char *images = g_build_filename (fixture->dir, "other", NULL);
  g_autofree char *path = g_build_filename (fixture->dir, "other.likeness", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);

  g_assert_cmpint (g_mkdir (images, 0700), ==, 0);
  study_test_create (path, images, 12);
  lk_window_open_study (fixture->window, file);
  lk_ui_test_flush ();
  g_assert_cmpstr (lk_window_get_visible_page (fixture->window), ==, "session");
  g_assert_nonnull (session (fixture));
}

int
main (int   argc,
      char *argv[])
{
  lk_locale_init ("C.UTF-8");
  if (!lk_ui_test_init (&argc, &argv))
    return 0;

  g_test_add ("/lk/ui/leave-study/finish-thank-you", Fixture, NULL, fixture_set_up,
              test_finish_done, fixture_tear_down);
  g_test_add ("/lk/ui/leave-study/finish-declined", Fixture, NULL, fixture_set_up,
              test_finish_declined, fixture_tear_down);
  g_test_add ("/lk/ui/leave-study/close-window", Fixture, NULL, fixture_set_up, test_close,
              fixture_tear_down);
  g_test_add ("/lk/ui/leave-study/escape", Fixture, NULL, fixture_set_up, test_escape,
              fixture_tear_down);
  g_test_add ("/lk/ui/leave-study/ctrl-w", Fixture, NULL, fixture_set_up, test_ctrl_w,
              fixture_tear_down);
  g_test_add ("/lk/ui/leave-study/enter", Fixture, NULL, fixture_set_up, test_enter,
              fixture_tear_down);
  g_test_add ("/lk/ui/leave-study/open-another", Fixture, NULL, fixture_set_up, test_open_other,
              fixture_tear_down);

  return g_test_run ();
}
