/* test-study-settings.c — a study's session settings: written by the create page, read back by
 * lk_study_get_setup() (with the defaults for a study without them), and the passphrase that
 * must be typed to leave a session of the study
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "lk-create-page-private.h"
#include "lk-locale.h"
#include "lk-session-view-private.h"
#include "lk-sort-page-private.h"
#include "lk-study-run.h"
#include "lk-study-test.h"
#include "lk-ui-test.h"
#include "lk-window-private.h"

/* Writes session settings into @study; the others keep their defaults. */
static void
set_settings (LkStudy    *study,
              const char *consent,
              guint       break_every,
              guint       n_practice,
              gboolean    all_placed,
              const char *passphrase)
{
  g_auto(LkSessionSettings) settings = { 0 };
  g_autoptr(GError) error = NULL;

  lk_session_settings_init (&settings);
  settings.consent = g_strdup (consent);
  settings.break_every = break_every;
  settings.n_practice = n_practice;
  settings.all_placed = all_placed;
  settings.passphrase = g_strdup (passphrase);
  g_assert_true (lk_study_set_session_settings (study, &settings, &error));
  g_assert_no_error (error);
}

static void
check_defaults (LkStudy *study)
{
  LkSessionSetup setup;

  lk_study_get_setup (study, &setup);
  g_assert_cmpuint (setup.break_every, ==, 10);
  g_assert_cmpuint (setup.n_practice, ==, 1);
  g_assert_cmpint (setup.rule, ==, LK_SORT_RULE_ANY_PLACED);
  g_assert_nonnull (setup.consent);
  g_assert_true (g_str_has_prefix (setup.consent, "You are invited"));
  g_assert_nonnull (setup.instructions);
  g_assert_cmpuint (setup.grids_per_participant, ==, 0);
  g_assert_null (lk_study_dup_passphrase (study));
}

static void
check_custom (LkStudy *study)
{
  g_autofree char *passphrase = lk_study_dup_passphrase (study);
  LkSessionSetup setup;

  lk_study_get_setup (study, &setup);
  g_assert_cmpuint (setup.break_every, ==, 3);
  g_assert_cmpuint (setup.n_practice, ==, 0);
  g_assert_cmpint (setup.rule, ==, LK_SORT_RULE_ALL_PLACED);
  g_assert_cmpstr (setup.consent, ==, "Our own consent text.\n\nAgree?");
  g_assert_cmpuint (setup.params.nq, ==, 12);
  g_assert_cmpuint (setup.grids_per_participant, ==, 7);
  g_assert_cmpstr (setup.instructions, ==, "Sortieren Sie die Bilder.");
  g_assert_cmpstr (passphrase, ==, "open sesame");
}

/* A study made without settings (as every study before schema 4) runs with the defaults. */
static void
test_defaults (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = study_test_tmpdir ();
  g_autofree char *images = g_build_filename (dir, "images", NULL);
  g_autofree char *path = g_build_filename (dir, "plain.likeness", NULL);
  g_autoptr(LkStudy) study = NULL;

  g_assert_cmpint (g_mkdir (images, 0700), ==, 0);
  study_test_create (path, images, 12);
  study = lk_study_open (path, &error);
  g_assert_no_error (error);
  check_defaults (study);

  /* Written, then removed again: back to the defaults. */
  set_settings (study, "Short.", 2, 4, TRUE, "pw");
  set_settings (study, "", 10, 1, FALSE, NULL);
  check_defaults (study);

  g_clear_object (&study);
  lk_test_rmdir (dir);
}

/* The create page's session fields end up in the study file. */
static void
test_create_roundtrip (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = study_test_tmpdir ();
  g_autofree char *images = g_build_filename (dir, "images", NULL);
  g_autofree char *path = g_build_filename (dir, "made.likeness", NULL);
  g_autoptr(LkStudy) reopened = NULL;
  GtkWidget *window = gtk_window_new ();
  LkCreatePage *page = LK_CREATE_PAGE (lk_create_page_new ());
  gint64 end = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  g_auto(LkSessionSettings) form = { 0 };
  g_auto(LkSessionSettings) custom = { 0 };

  g_assert_cmpint (g_mkdir (images, 0700), ==, 0);
  study_test_make_images (images, 30);
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (page));

  /* The form starts with the defaults. */
  lk_create_page_get_session_settings (page, &form);
  g_assert_null (form.consent);
  g_assert_null (form.instructions);
  g_assert_cmpuint (form.break_every, ==, 10);
  g_assert_cmpuint (form.n_practice, ==, 1);
  g_assert_false (form.all_placed);
  g_assert_null (form.passphrase);
  g_assert_cmpuint (form.grids_per_participant, ==, 0);

  lk_create_page_set_folder (page, images);
  lk_create_page_set_study_path (page, path);
  lk_session_settings_init (&custom);
  custom.consent = g_strdup ("Our own consent text.\n\nAgree?");
  custom.instructions = g_strdup ("Sortieren Sie die Bilder.");
  custom.break_every = 3;
  custom.n_practice = 0;
  custom.all_placed = TRUE;
  custom.passphrase = g_strdup ("open sesame");
  custom.grids_per_participant = 7;
  lk_create_page_set_session_settings (page, &custom);
  {
    GtkSpinButton *nq = GTK_SPIN_BUTTON (gtk_widget_get_template_child (GTK_WIDGET (page),
                                                                        LK_TYPE_CREATE_PAGE,
                                                                        "nq_spin"));
    gtk_spin_button_set_value (nq, 12);
  }
  lk_create_page_create (page);
  while (g_strcmp0 (lk_create_page_get_stage (page), "report") != 0)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, end);
      g_main_context_iteration (NULL, TRUE);
    }
  g_assert_nonnull (lk_create_page_get_study (page));
  check_custom (lk_create_page_get_study (page));

  /* And they are in the file, not only in memory. */
  lk_create_page_reset (page);
  lk_ui_test_flush ();
  reopened = lk_study_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (lk_store_get_opened_version (lk_study_get_store (reopened)), ==,
                    LK_STORE_SCHEMA_VERSION);
  check_custom (reopened);

  gtk_window_destroy (GTK_WINDOW (window));
  lk_ui_test_flush ();
  g_clear_object (&reopened);
  lk_test_rmdir (dir);
}

/* Asks to leave (as Escape or closing the window would) and answers the dialog with @typed
 * (NULL: the dialog must have no passphrase entry) and @response. */
static void
answer_leave (LkWindow   *window,
              const char *typed,
              const char *response)
{
  AdwMessageDialog *dialog;
  GtkWidget *entry;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.leave", NULL));
  lk_ui_test_flush ();
  dialog = lk_window_get_leave_dialog (window);
  g_assert_nonnull (dialog);
  entry = adw_message_dialog_get_extra_child (dialog);
  if (typed == NULL)
    g_assert_null (entry);
  else
    {
      g_assert_true (GTK_IS_PASSWORD_ENTRY (entry));
      gtk_editable_set_text (GTK_EDITABLE (entry), typed);
    }
  adw_message_dialog_response (dialog, response);
  lk_ui_test_flush ();
  g_assert_null (lk_window_get_leave_dialog (window));
}

static void
test_passphrase (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = study_test_tmpdir ();
  g_autofree char *images = g_build_filename (dir, "images", NULL);
  g_autofree char *path = g_build_filename (dir, "guarded.likeness", NULL);
  g_autoptr(LkStudy) study = NULL;
  LkWindow *window = lk_window_new (NULL);

  g_assert_cmpint (g_mkdir (images, 0700), ==, 0);
  study_test_create (path, images, 12);
  study = lk_study_open (path, &error);
  g_assert_no_error (error);
  set_settings (study, "Unsere Einwilligung.", 10, 1, FALSE, "open sesame");

  gtk_window_present (GTK_WINDOW (window));
  lk_ui_test_wait_mapped (GTK_WIDGET (window));
  lk_window_start_study (window, study, "P-PASS", FALSE);
  lk_ui_test_wait_for (lk_ui_test_window_prepared, window);
  g_assert_cmpstr (lk_window_get_visible_page (window), ==, "session");
  /* The setup's texts outlive reading the passphrase, which reads the settings again. */
  g_assert_cmpstr (lk_session_get_consent (lk_session_view_get_session (
                     lk_window_get_session_view (window))), ==, "Unsere Einwilligung.");

  /* Staying, an empty passphrase and a wrong one all keep the session. */
  answer_leave (window, "", "cancel");
  g_assert_cmpstr (lk_window_get_visible_page (window), ==, "session");
  answer_leave (window, "", "leave");
  g_assert_cmpstr (lk_window_get_visible_page (window), ==, "session");
  answer_leave (window, "open sesam", "leave");
  g_assert_cmpstr (lk_window_get_visible_page (window), ==, "session");
  g_assert_nonnull (lk_session_view_get_session (lk_window_get_session_view (window)));

  /* Closing the window asks the same question and keeps the window. */
  gtk_window_close (GTK_WINDOW (window));
  lk_ui_test_flush ();
  g_assert_nonnull (lk_window_get_leave_dialog (window));
  adw_message_dialog_response (lk_window_get_leave_dialog (window), "cancel");
  lk_ui_test_flush ();
  g_assert_cmpstr (lk_window_get_visible_page (window), ==, "session");

  /* The right one leaves. */
  answer_leave (window, "open sesame", "leave");
  g_assert_cmpstr (lk_window_get_visible_page (window), ==, "start");
  g_assert_null (lk_session_view_get_session (lk_window_get_session_view (window)));

  /* Without a passphrase, a confirmation is enough. */
  set_settings (study, NULL, 10, 1, FALSE, NULL);
  lk_window_start_study (window, study, "P-PASS2", FALSE);
  lk_ui_test_wait_for (lk_ui_test_window_prepared, window);
  answer_leave (window, NULL, "leave");
  g_assert_cmpstr (lk_window_get_visible_page (window), ==, "start");

  gtk_window_destroy (GTK_WINDOW (window));
  lk_ui_test_flush ();
  g_clear_object (&study);
  lk_test_rmdir (dir);
}

static void
error_cb (LkCreatePage *page,
          const char   *heading,
          const char   *message,
          char        **said)
{
  g_free (*said);
  *said = g_strdup (message);
}

static GtkSpinButton *
page_spin (LkCreatePage *page,
           const char   *name)
{
  return GTK_SPIN_BUTTON (gtk_widget_get_template_child (GTK_WIDGET (page), LK_TYPE_CREATE_PAGE,
                                                         name));
}

/* Creates a study of @images at @path from the page, waiting for the report or an error;
 * returns the error's message, or NULL. */
static char *
create_from_page (LkCreatePage *page,
                  const char   *images,
                  const char   *path)
{
  gint64 end = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  char *said = NULL;
  gulong handler = g_signal_connect (page, "error", G_CALLBACK (error_cb), &said);

  lk_create_page_set_folder (page, images);
  lk_create_page_set_study_path (page, path);
  lk_create_page_create (page);
  while (said == NULL && g_strcmp0 (lk_create_page_get_stage (page), "report") != 0)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, end);
      g_main_context_iteration (NULL, TRUE);
    }
  g_signal_handler_disconnect (page, handler);
  lk_ui_test_flush ();

  return said;
}

/* The Create page chooses k for a small collection and says so, and refuses
 * a study that could not run, with what to change, leaving no file. */
static void
test_create_fits (void)
{
  g_autofree char *dir = study_test_tmpdir ();
  g_autofree char *thirty = g_build_filename (dir, "thirty", NULL);
  g_autofree char *ten = g_build_filename (dir, "ten", NULL);
  g_autofree char *a = g_build_filename (dir, "a.likeness", NULL);
  g_autofree char *b = g_build_filename (dir, "b.likeness", NULL);
  g_autofree char *said = NULL;
  GtkWidget *window = gtk_window_new ();
  LkCreatePage *page = LK_CREATE_PAGE (lk_create_page_new ());
  GtkLabel *detail;

  g_assert_cmpint (g_mkdir (thirty, 0700), ==, 0);
  g_assert_cmpint (g_mkdir (ten, 0700), ==, 0);
  study_test_make_images (thirty, 30);
  study_test_make_images (ten, 10);
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (page));

  /* The form says which k the study will get, before the import. */
  {
    AdwActionRow *k_row = ADW_ACTION_ROW (gtk_widget_get_template_child (GTK_WIDGET (page),
                                                                         LK_TYPE_CREATE_PAGE,
                                                                         "k_row"));

    g_assert_true (g_str_has_prefix (adw_action_row_get_subtitle (k_row),
                                     "Chosen for the collection: 40,"));
    gtk_spin_button_set_value (page_spin (page, "nq_spin"), 60);
    g_assert_true (g_str_has_prefix (adw_action_row_get_subtitle (k_row),
                                     "Chosen for the collection: 59,"));
    gtk_spin_button_set_value (page_spin (page, "nq_spin"), 20);
  }

  /* The paper's defaults (k = 40) on 30 images: k = 29, shown in the report. */
  said = create_from_page (page, thirty, a);
  g_assert_null (said);
  g_assert_cmpuint (lk_store_get_params (lk_study_get_store (lk_create_page_get_study (page)))
                      ->knn_k, ==, 29);
  detail = GTK_LABEL (gtk_widget_get_template_child (GTK_WIDGET (page), LK_TYPE_CREATE_PAGE,
                                                     "detail_label"));
  g_assert_nonnull (strstr (gtk_label_get_label (detail), "k = 29"));

  /* A grid larger than the collection: refused after the import, the file removed. */
  lk_create_page_reset (page);
  gtk_spin_button_set_value (page_spin (page, "nq_spin"), 12);
  said = create_from_page (page, ten, b);
  g_assert_nonnull (said);
  g_assert_nonnull (strstr (said, "choose nq of at most 10"));
  g_assert_cmpstr (lk_create_page_get_stage (page), ==, "form");
  g_assert_false (g_file_test (b, G_FILE_TEST_EXISTS));
  g_clear_pointer (&said, g_free);

  /* More phases than grids: refused before anything is made. */
  lk_create_page_reset (page);
  gtk_spin_button_set_value (page_spin (page, "budget_spin"), 3);
  gtk_spin_button_set_value (page_spin (page, "phases_spin"), 5);
  said = create_from_page (page, thirty, b);
  g_assert_nonnull (said);
  g_assert_nonnull (strstr (said, "choose phases from 1 to the budget (3)"));
  g_assert_false (g_file_test (b, G_FILE_TEST_EXISTS));
  g_clear_pointer (&said, g_free);

  /* More grids per participant than the study has. */
  lk_create_page_reset (page);
  gtk_spin_button_set_value (page_spin (page, "budget_spin"), 3);
  gtk_spin_button_set_value (page_spin (page, "phases_spin"), 1);
  gtk_spin_button_set_value (page_spin (page, "grids_spin"), 4);
  said = create_from_page (page, thirty, b);
  g_assert_nonnull (said);
  g_assert_nonnull (strstr (said, "choose grids-per-participant from 0 (no limit) to 3"));
  g_assert_false (g_file_test (b, G_FILE_TEST_EXISTS));

  gtk_window_destroy (GTK_WINDOW (window));
  lk_ui_test_flush ();
  lk_test_rmdir (dir);
}

/* A complete study takes no participant through consent, instructions and
 * practice: starting a session on it leaves the window on the start page. */
static void
test_complete_study (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = study_test_tmpdir ();
  g_autofree char *images = g_build_filename (dir, "images", NULL);
  g_autofree char *path = g_build_filename (dir, "complete.likeness", NULL);
  g_autoptr(LkStudy) study = NULL;
  g_autoptr(LkStudyRun) run = NULL;
  g_autoptr(LkSession) session = NULL;
  LkWindow *window = lk_window_new (NULL);
  LkSessionSetup setup;

  g_assert_cmpint (g_mkdir (images, 0700), ==, 0);
  study_test_create (path, images, 12);
  study = lk_study_open (path, &error);
  g_assert_no_error (error);

  /* One participant spends the budget. */
  run = lk_study_run_new (study, NULL, &error);
  g_assert_no_error (error);
  lk_study_get_setup (study, &setup);
  setup.n_practice = 0;
  setup.consent = NULL;
  setup.break_every = 0;
  session = lk_session_new (LK_IMAGE_SOURCE (study), &setup, "P-ALL", FALSE,
                            LK_GRID_SOURCE (run), &error);
  g_assert_no_error (error);
  lk_session_begin (session);
  while (lk_session_get_state (session) == LK_SESSION_SORTING)
    {
      LkSortModel *model = lk_session_get_model (session);

      lk_sort_model_move (model, 0, 0);
      g_assert_true (lk_session_submit (session, &error));
      g_assert_no_error (error);
    }
  g_assert_cmpint (lk_session_get_state (session), ==, LK_SESSION_DONE);
  g_assert_cmpuint (lk_session_get_n_answered (session), ==, 12);
  lk_ui_test_wait_worker (lk_grid_source_get_worker (LK_GRID_SOURCE (run)));
  g_clear_object (&session);
  g_clear_object (&run);

  gtk_window_present (GTK_WINDOW (window));
  lk_ui_test_wait_mapped (GTK_WIDGET (window));
  /* A participant who comes now is told the study is complete, and gets no grid. */
  lk_window_start_study (window, study, "P-LATE", FALSE);
  lk_ui_test_wait_for (lk_ui_test_window_prepared, window);
  g_assert_nonnull (lk_session_view_get_session (lk_window_get_session_view (window)));
  g_assert_cmpint (lk_session_get_state (lk_session_view_get_session (lk_window_get_session_view (window))),
                   ==, LK_SESSION_COMPLETE);
  g_assert_cmpstr (lk_session_view_get_page (lk_window_get_session_view (window)), ==, "complete");

  gtk_window_destroy (GTK_WINDOW (window));
  lk_ui_test_flush ();
  g_clear_object (&study);
  lk_test_rmdir (dir);
}

/* In the window: on a study of 3 grids per participant (of a budget of 12)
 * the sorting page says "Grid 1 of 3" to "Grid 3 of 3", and the session ends on the thank-you
 * page with exactly 3 answers stored for the participant. */
static void
test_session_of_three (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = study_test_tmpdir ();
  g_autofree char *images = g_build_filename (dir, "images", NULL);
  g_autofree char *path = g_build_filename (dir, "three.likeness", NULL);
  g_auto(LkSessionSettings) settings = { 0 };
  g_autoptr(LkStudy) study = NULL;
  LkWindow *window = lk_window_new (NULL);
  LkSessionView *view;
  LkSession *session;

  g_assert_cmpint (g_mkdir (images, 0700), ==, 0);
  study_test_create (path, images, 12);
  study = lk_study_open (path, &error);
  g_assert_no_error (error);
  lk_session_settings_init (&settings);
  settings.grids_per_participant = 3;
  settings.break_every = 2;
  g_assert_true (lk_study_set_session_settings (study, &settings, &error));
  g_assert_no_error (error);

  gtk_window_present (GTK_WINDOW (window));
  lk_ui_test_wait_mapped (GTK_WIDGET (window));
  lk_window_start_study (window, study, "P-THREE", FALSE);
  lk_ui_test_wait_for (lk_ui_test_window_prepared, window);
  view = lk_window_get_session_view (window);
  session = lk_session_view_get_session (view);
  g_assert_nonnull (session);
  lk_session_accept_consent (session);
  lk_session_begin (session);
  lk_sort_model_move (lk_session_get_model (session), 0, 0);
  g_assert_true (lk_session_submit (session, &error));
  g_assert_no_error (error);
  lk_session_begin (session);

  for (guint g = 1; g <= 3; g++)
    {
      g_autofree char *expected = g_strdup_printf ("Grid %u of 3", g);

      if (lk_session_get_state (session) == LK_SESSION_BREAK)
        lk_session_resume (session);
      lk_ui_test_flush ();
      g_assert_cmpstr (lk_session_view_get_page (view), ==, "sort");
      g_assert_cmpstr (lk_sort_page_get_progress_text (lk_session_view_get_sort_page (view)), ==,
                       expected);
      lk_sort_model_move (lk_session_get_model (session), 0, 0);
      g_assert_true (lk_session_submit (session, &error));
      g_assert_no_error (error);
    }
  lk_ui_test_flush ();
  g_assert_cmpstr (lk_session_view_get_page (view), ==, "done");
  g_assert_cmpuint (lk_store_count_participant_answers (lk_study_get_store (study), "P-THREE",
                                                        &error), ==, 3);
  g_assert_no_error (error);

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

  g_test_add_func ("/lk/ui/study-settings/defaults", test_defaults);
  g_test_add_func ("/lk/ui/study-settings/create-roundtrip", test_create_roundtrip);
  g_test_add_func ("/lk/ui/study-settings/passphrase", test_passphrase);
  g_test_add_func ("/lk/ui/study-settings/create-fits", test_create_fits);
  g_test_add_func ("/lk/ui/study-settings/complete-study", test_complete_study);
  g_test_add_func ("/lk/ui/study-settings/session-of-three", test_session_of_three);

  return g_test_run ();
}
