/* test-edit-settings.c — editing a study's session settings from its overview: Save writes
 * the study file, the core's rule refuses what could not run, the passphrase is changed or
 * removed only with the current one, Cancel writes nothing, Undo puts the earlier settings back,
 * and the settings cannot be edited while a session is being prepared; the session plan
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "lk-locale.h"
#include "lk-study-overview-private.h"
#include "lk-study-settings-window-private.h"
#include "lk-study-test.h"
#include "lk-ui-test.h"
#include "lk-window-private.h"

static gboolean
overview_loaded (gpointer overview)
{
  return !lk_study_overview_is_loading (overview);
}

/* Asserts what the study file at @path holds, read with a connection of its own. */
static void
check_file (const char *path,
            guint       grids,
            guint       practice,
            const char *consent,
            const char *passphrase)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LkStore) store = lk_store_open (path, LK_STORE_OPEN_READ_ONLY, &error);
  g_auto(LkSessionSettings) settings = { 0 };

  g_assert_no_error (error);
  g_assert_true (lk_store_load_session_settings (store, &settings, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (settings.grids_per_participant, ==, grids);
  g_assert_cmpuint (settings.n_practice, ==, practice);
  g_assert_cmpstr (settings.consent, ==, consent);
  g_assert_cmpstr (settings.passphrase, ==, passphrase);
}

/* Fails unless the study at @path has group names and the palette as given. */
static void
check_ways (const char *path,
            gboolean    group_names,
            gboolean    palette)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LkStore) store = lk_store_open (path, LK_STORE_OPEN_READ_ONLY, &error);
  g_auto(LkSessionSettings) settings = { 0 };

  g_assert_no_error (error);
  g_assert_true (lk_store_load_session_settings (store, &settings, &error));
  g_assert_no_error (error);
  g_assert_cmpint (settings.group_names, ==, group_names);
  g_assert_cmpint (settings.palette, ==, palette);
}

static GtkSwitch *
settings_switch (LkStudySettingsWindow *settings,
                 const char            *name)
{
  return GTK_SWITCH (gtk_widget_get_template_child (GTK_WIDGET (settings),
                                                    LK_TYPE_STUDY_SETTINGS_WINDOW, name));
}

/* Opens the settings window from @overview's action, as its button does. */
static LkStudySettingsWindow *
open_settings (LkStudyOverview *overview)
{
  GtkWindow *window;

  g_assert_true (gtk_widget_is_sensitive (lk_study_overview_get_button (overview,
                                                                        "edit-settings")));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (overview), "overview.edit-settings",
                                             NULL));
  window = lk_study_overview_get_settings_window (overview);
  g_assert_nonnull (window);
  g_assert_true (gtk_window_get_modal (window));
  lk_ui_test_wait_mapped (GTK_WIDGET (window));

  return LK_STUDY_SETTINGS_WINDOW (window);
}

/* Presses Save; returns TRUE if the window closed (saved), FALSE if it stayed with an error. */
static gboolean
save (LkStudyOverview       *overview,
      LkStudySettingsWindow *settings)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (settings), "settings.save", NULL));
  lk_ui_test_flush ();
  if (lk_study_overview_get_settings_window (overview) == NULL)
    return TRUE;
  g_assert_nonnull (lk_study_settings_window_get_error (settings));

  return FALSE;
}

static void
test_edit (void)
{
  g_autofree char *dir = study_test_tmpdir ();
  g_autofree char *images = g_build_filename (dir, "images", NULL);
  g_autofree char *path = g_build_filename (dir, "study.likeness", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  LkWindow *window = lk_window_new (NULL);
  LkStudyOverview *overview;
  LkStudySettingsWindow *settings;
  const char *error;

  g_assert_cmpint (g_mkdir (images, 0700), ==, 0);
  study_test_create (path, images, 24);
  gtk_window_present (GTK_WINDOW (window));
  lk_ui_test_wait_mapped (GTK_WIDGET (window));
  lk_window_open_study (window, file);
  overview = lk_window_get_overview (window);
  lk_ui_test_wait_for (overview_loaded, overview);
  g_assert_true (g_str_has_prefix (lk_study_overview_get_row_text (overview, "length"),
                                   "No limit"));
  check_file (path, 0, 1, NULL, NULL);

  /* Save writes what was typed, a number not yet confirmed with Enter included. */
  settings = open_settings (overview);
  lk_study_settings_window_set_text (settings, "grids", "5");
  lk_study_settings_window_set_text (settings, "practice", "2");
  lk_study_settings_window_set_text (settings, "consent", "Do you agree?\n");
  lk_study_settings_window_set_text (settings, "new", "open sesame");
  lk_study_settings_window_set_text (settings, "repeat", "open sesame");
  g_assert_true (save (overview, settings));
  check_file (path, 5, 2, "Do you agree?", "open sesame");
  g_assert_cmpstr (lk_study_overview_get_row_text (overview, "length"), ==,
                   "5 grids each, of the study’s 12");
  g_assert_cmpstr (lk_study_overview_get_row_text (overview, "practice"), ==,
                   "2 practice grids, not recorded");
  g_assert_cmpstr (lk_study_overview_get_row_text (overview, "passphrase"), ==,
                   "Set: leaving a session asks for it");

  /* Group names and the palette (papers 001 and 002): off, switched on, shown on again. */
  check_ways (path, FALSE, FALSE);
  settings = open_settings (overview);
  g_assert_false (gtk_switch_get_active (settings_switch (settings, "group_names_switch")));
  g_assert_false (gtk_switch_get_active (settings_switch (settings, "palette_switch")));
  gtk_switch_set_active (settings_switch (settings, "group_names_switch"), TRUE);
  gtk_switch_set_active (settings_switch (settings, "palette_switch"), TRUE);
  g_assert_true (save (overview, settings));
  check_ways (path, TRUE, TRUE);
  check_file (path, 5, 2, "Do you agree?", "open sesame");
  settings = open_settings (overview);
  g_assert_true (gtk_switch_get_active (settings_switch (settings, "group_names_switch")));
  g_assert_true (gtk_switch_get_active (settings_switch (settings, "palette_switch")));
  gtk_switch_set_active (settings_switch (settings, "palette_switch"), FALSE);
  g_assert_true (save (overview, settings));
  check_ways (path, TRUE, FALSE);

  /* More grids per participant than the study's budget: the core's rule refuses, the window
   * says what to choose, and the file keeps its settings. */
  settings = open_settings (overview);
  lk_study_settings_window_set_text (settings, "grids", "50");
  g_assert_false (save (overview, settings));
  error = lk_study_settings_window_get_error (settings);
  g_assert_nonnull (strstr (error, "at most 12"));
  check_file (path, 5, 2, "Do you agree?", "open sesame");

  /* The passphrase: a mistyped repetition, then no current one, then a wrong one: refused. */
  lk_study_settings_window_set_text (settings, "grids", "3");
  lk_study_settings_window_set_text (settings, "new", "new words");
  lk_study_settings_window_set_text (settings, "repeat", "new wrods");
  lk_study_settings_window_set_text (settings, "current", "open sesame");
  g_assert_false (save (overview, settings));
  g_assert_nonnull (strstr (lk_study_settings_window_get_error (settings), "differ"));
  lk_study_settings_window_set_text (settings, "repeat", "new words");
  lk_study_settings_window_set_text (settings, "current", "");
  g_assert_false (save (overview, settings));
  g_assert_nonnull (strstr (lk_study_settings_window_get_error (settings), "needs the current"));
  lk_study_settings_window_set_text (settings, "current", "open sesam");
  g_assert_false (save (overview, settings));
  g_assert_nonnull (strstr (lk_study_settings_window_get_error (settings), "not right"));
  check_file (path, 5, 2, "Do you agree?", "open sesame");

  /* Removing it needs the current one too; with it, the settings are saved. */
  lk_study_settings_window_set_text (settings, "new", "");
  lk_study_settings_window_set_text (settings, "repeat", "");
  gtk_switch_set_active (GTK_SWITCH (gtk_widget_get_template_child (GTK_WIDGET (settings),
                                                                    LK_TYPE_STUDY_SETTINGS_WINDOW,
                                                                    "remove_switch")), TRUE);
  g_assert_false (save (overview, settings));
  lk_study_settings_window_set_text (settings, "current", "open sesame");
  lk_study_settings_window_set_text (settings, "consent", "  ");
  g_assert_true (save (overview, settings));
  check_file (path, 3, 2, NULL, NULL);
  g_assert_cmpstr (lk_study_overview_get_row_text (overview, "passphrase"), ==,
                   "None: anyone can leave a session");

  /* Undo puts back the settings the window opened with. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (overview), "overview.undo-settings",
                                             NULL));
  lk_ui_test_flush ();
  check_file (path, 5, 2, "Do you agree?", "open sesame");
  g_assert_cmpstr (lk_study_overview_get_row_text (overview, "length"), ==,
                   "5 grids each, of the study’s 12");

  /* Cancel writes nothing. */
  settings = open_settings (overview);
  lk_study_settings_window_set_text (settings, "grids", "7");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (settings), "settings.cancel", NULL));
  lk_ui_test_flush ();
  g_assert_null (lk_study_overview_get_settings_window (overview));
  settings = open_settings (overview);
  lk_study_settings_window_set_text (settings, "practice", "9");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (settings), "settings.cancel", NULL));
  lk_ui_test_flush ();
  check_file (path, 5, 2, "Do you agree?", "open sesame");

  /* While a session is being prepared, the settings stay as they are. */
  lk_study_overview_set_preparing (overview, TRUE);
  g_assert_false (gtk_widget_is_sensitive (lk_study_overview_get_button (overview,
                                                                         "edit-settings")));
  gtk_widget_activate_action (GTK_WIDGET (overview), "overview.edit-settings", NULL);
  lk_ui_test_flush ();
  g_assert_null (lk_study_overview_get_settings_window (overview));
  lk_study_overview_set_preparing (overview, FALSE);

  gtk_window_destroy (GTK_WINDOW (window));
  lk_ui_test_flush ();
  lk_test_rmdir (dir);
}

/* The session plan: shown on the overview, its mistakes shown under the entry as typed, a plan
 * the study cannot run refused on Save with what to change, a good one written to the file. */
static void
test_plan (void)
{
  g_autofree char *dir = study_test_tmpdir ();
  g_autofree char *images = g_build_filename (dir, "images", NULL);
  g_autofree char *path = g_build_filename (dir, "study.likeness", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  LkWindow *window = lk_window_new (NULL);
  LkStudyOverview *overview;
  LkStudySettingsWindow *settings;
  const char *plan_error;

  g_assert_cmpint (g_mkdir (images, 0700), ==, 0);
  study_test_create (path, images, 24);
  gtk_window_present (GTK_WINDOW (window));
  lk_ui_test_wait_mapped (GTK_WIDGET (window));
  lk_window_open_study (window, file);
  overview = lk_window_get_overview (window);
  lk_ui_test_wait_for (overview_loaded, overview);
  g_assert_true (g_str_has_prefix (lk_study_overview_get_row_text (overview, "plan"), "sort:"));
  g_assert_true (g_str_has_suffix (lk_study_overview_get_row_text (overview, "plan"),
                                   "(one sorting block, the default)"));

  settings = open_settings (overview);
  g_assert_null (lk_study_settings_window_get_plan_error (settings));
  lk_study_settings_window_set_text (settings, "plan", "sort:2,triplets:3");
  plan_error = lk_study_settings_window_get_plan_error (settings);
  g_assert_nonnull (plan_error);
  g_assert_nonnull (strstr (plan_error, "triplets"));
  g_assert_false (save (overview, settings));

  /* Parses, but asks for more sorting grids than the study's budget. */
  lk_study_settings_window_set_text (settings, "plan", "sort:100000");
  g_assert_null (lk_study_settings_window_get_plan_error (settings));
  g_assert_false (save (overview, settings));
  g_assert_nonnull (strstr (lk_study_settings_window_get_error (settings), "budget"));

  lk_study_settings_window_set_text (settings, "plan", " sort:2 , triplet:3");
  g_assert_true (save (overview, settings));
  lk_ui_test_flush ();
  g_assert_cmpstr (lk_study_overview_get_row_text (overview, "plan"), ==, "sort:2,triplet:3");
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(LkStore) store = lk_store_open (path, LK_STORE_OPEN_READ_ONLY, &error);
    g_auto(LkSessionSettings) stored = { 0 };

    g_assert_no_error (error);
    g_assert_true (lk_store_load_session_settings (store, &stored, &error));
    g_assert_cmpstr (stored.plan, ==, "sort:2,triplet:3");
  }

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
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

  g_test_add_func ("/lk/ui/edit-settings/save-refuse-undo-cancel", test_edit);
  g_test_add_func ("/lk/ui/edit-settings/plan", test_plan);

  return g_test_run ();
}
