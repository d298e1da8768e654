/* test-gnome.c — the app's GNOME integration: Help (F1) and Preferences (Ctrl+comma) as app
 * actions, About with the website, tracker and version, the preferences bound to GSettings, and
 * each window's shortcuts window opening on its own section
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "lk-application.h"
#include "lk-experimenter-window.h"
#include "lk-locale.h"
#include "lk-preferences-window-private.h"
#include "lk-ui-test.h"
#include "lk-window.h"

/* Returns the first shown toplevel of @type, or NULL (the windows' unshown help overlays are
 * toplevels too). */
static GtkWindow *
find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return window;
    }

  return NULL;
}

/* Returns the action of @widget's own shortcuts that @accel triggers, or NULL. */
static char *
shortcut_action (GtkWidget  *widget,
                 const char *accel)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);
  g_autoptr(GtkShortcutTrigger) wanted = gtk_shortcut_trigger_parse_string (accel);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;
      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);

          if (gtk_shortcut_trigger_equal (gtk_shortcut_get_trigger (shortcut), wanted))
            return gtk_shortcut_action_to_string (gtk_shortcut_get_action (shortcut));
        }
    }

  return NULL;
}

static LkApplication *
registered_app (void)
{
  LkApplication *app = lk_application_new ();
  g_autoptr(GError) error = NULL;

  g_application_set_flags (G_APPLICATION (app),
                           g_application_get_flags (G_APPLICATION (app)) | G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);

  return app;
}

static void
assert_accels (LkApplication *app,
               const char    *action,
               const char    *accel)
{
  g_auto(GStrv) accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app), action);

  g_assert_cmpuint (g_strv_length (accels), ==, 1);
  g_assert_cmpstr (accels[0], ==, accel);
}

/* The help action is there and enabled on F1, and opens the name help/meson.build installs
 * (build-aux/check-help.sh checks the install plan for the same name); yelp is not started. */
static void
test_help_action (void)
{
  g_autoptr(LkApplication) app = registered_app ();

  g_assert_true (g_action_group_has_action (G_ACTION_GROUP (app), "help"));
  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (app), "help"));
  g_assert_null (g_action_group_get_action_parameter_type (G_ACTION_GROUP (app), "help"));
  assert_accels (app, "app.help", "F1");
  g_assert_cmpstr (HELP_URI, ==, "help:" GETTEXT_PACKAGE);
}

static void
test_about (void)
{
  g_autoptr(LkApplication) app = registered_app ();
  AdwAboutWindow *about;

  g_action_group_activate_action (G_ACTION_GROUP (app), "about", NULL);
  about = ADW_ABOUT_WINDOW (find_toplevel (ADW_TYPE_ABOUT_WINDOW));
  g_assert_nonnull (about);
  g_assert_cmpstr (adw_about_window_get_version (about), ==, PACKAGE_VERSION);
  g_assert_cmpstr (adw_about_window_get_website (about), ==, "https://github.com/likeness/likeness");
  g_assert_cmpstr (adw_about_window_get_issue_url (about), ==,
                   "https://github.com/likeness/likeness/issues");
  g_assert_cmpint (adw_about_window_get_license_type (about), ==, GTK_LICENSE_GPL_3_0);
  g_assert_cmpstr (adw_about_window_get_application_icon (about), ==, APP_ID);
  gtk_window_destroy (GTK_WINDOW (about));
  lk_ui_test_flush ();
}

static void
test_preferences_action (void)
{
  g_autoptr(LkApplication) app = registered_app ();
  GtkWindow *window;

  assert_accels (app, "app.preferences", "<Control>comma");
  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (app), "preferences"));
  g_action_group_activate_action (G_ACTION_GROUP (app), "preferences", NULL);
  window = find_toplevel (LK_TYPE_PREFERENCES_WINDOW);
  g_assert_nonnull (window);
  gtk_window_destroy (window);
  lk_ui_test_flush ();
}

/* While a participant's session runs in study mode, Ctrl+comma opens nothing: Preferences
 * could switch study mode off. */
static void
test_preferences_shut_in_session (void)
{
  g_autoptr(LkApplication) app = registered_app ();
  LkWindow *window = lk_window_new (app);
  g_autoptr(GError) error = NULL;

  g_assert_true (g_settings_get_boolean (lk_application_get_settings (app), "study-mode"));
  gtk_window_present (GTK_WINDOW (window));
  lk_ui_test_wait_mapped (GTK_WIDGET (window));
  g_assert_true (lk_window_start_demo (window, "letters", "P-TEST4", FALSE, &error));
  g_assert_no_error (error);
  g_action_group_activate_action (G_ACTION_GROUP (app), "preferences", NULL);
  lk_ui_test_flush ();
  g_assert_null (find_toplevel (LK_TYPE_PREFERENCES_WINDOW));

  lk_window_end_session (window);
  g_action_group_activate_action (G_ACTION_GROUP (app), "preferences", NULL);
  g_assert_nonnull (find_toplevel (LK_TYPE_PREFERENCES_WINDOW));
  gtk_window_destroy (find_toplevel (LK_TYPE_PREFERENCES_WINDOW));
  gtk_window_destroy (GTK_WINDOW (window));
  lk_ui_test_flush ();
}

/* The switch and the setting follow each other; Forget empties the recent studies. */
static void
test_preferences_binding (void)
{
  g_autoptr(GSettings) settings = g_settings_new ("io.github.likeness.Likeness");
  const char *recent[] = { "/tmp/a.likeness", NULL };
  LkPreferencesWindow *window;
  GtkSwitch *study_mode;
  GtkWidget *forget;

  g_settings_set_boolean (settings, "study-mode", TRUE);
  g_settings_set_strv (settings, "recent-studies", recent);
  window = lk_preferences_window_new (settings);
  study_mode = lk_preferences_window_get_study_mode_switch (window);
  forget = lk_preferences_window_get_forget_button (window);
  gtk_window_present (GTK_WINDOW (window));
  lk_ui_test_wait_mapped (GTK_WIDGET (window));

  g_assert_true (gtk_switch_get_active (study_mode));
  gtk_switch_set_active (study_mode, FALSE);
  g_assert_false (g_settings_get_boolean (settings, "study-mode"));
  g_settings_set_boolean (settings, "study-mode", TRUE);
  g_assert_true (gtk_switch_get_active (study_mode));

  g_assert_true (gtk_widget_get_sensitive (forget));
  g_signal_emit_by_name (forget, "clicked");
  g_assert_cmpuint (g_strv_length (g_settings_get_strv (settings, "recent-studies")), ==, 0);
  g_assert_false (gtk_widget_get_sensitive (forget));
  g_settings_set_strv (settings, "recent-studies", recent);
  g_assert_true (gtk_widget_get_sensitive (forget));
  g_settings_set_strv (settings, "recent-studies", NULL);

  gtk_window_destroy (GTK_WINDOW (window));
  lk_ui_test_flush ();
}

/* The main window's shortcuts window opens on the sorting keys; the experimenter's window, which
 * GTK gives none, gets Ctrl+? all the same. */
static void
test_shortcuts_sections (void)
{
  g_autoptr(LkApplication) app = registered_app ();
  LkWindow *window = lk_window_new (app);
  LkExperimenterWindow *experimenter = lk_experimenter_window_new ();
  GtkShortcutsWindow *overlay;
  GtkShortcutsWindow *shown;
  g_autofree char *section = NULL;
  g_autofree char *shown_section = NULL;
  g_autofree char *action = NULL;

  overlay = gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (window));
  g_assert_nonnull (overlay);
  g_object_get (overlay, "section-name", &section, NULL);
  g_assert_cmpstr (section, ==, "main");

  gtk_window_set_application (GTK_WINDOW (experimenter), GTK_APPLICATION (app));
  gtk_window_present (GTK_WINDOW (experimenter));
  lk_ui_test_wait_mapped (GTK_WIDGET (experimenter));
  g_assert_null (find_toplevel (GTK_TYPE_SHORTCUTS_WINDOW));
  action = shortcut_action (GTK_WIDGET (experimenter), "<Control>question");
  g_assert_cmpstr (action, ==, "action(win.show-help-overlay)");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (experimenter), "win.show-help-overlay",
                                             NULL));
  lk_ui_test_flush ();
  shown = GTK_SHORTCUTS_WINDOW (find_toplevel (GTK_TYPE_SHORTCUTS_WINDOW));
  g_assert_nonnull (shown);
  g_object_get (shown, "section-name", &shown_section, NULL);
  g_assert_cmpstr (shown_section, ==, "experimenter");

  gtk_window_destroy (GTK_WINDOW (shown));
  gtk_window_destroy (GTK_WINDOW (experimenter));
  gtk_window_destroy (GTK_WINDOW (window));
  lk_ui_test_flush ();
}

int
main (int   argc,
      char *argv[])
{
  if (!lk_ui_test_init (&argc, &argv))
    return 0;
  lk_locale_init ("C.UTF-8");

  g_test_add_func ("/lk/ui/gnome/help-action", test_help_action);
  g_test_add_func ("/lk/ui/gnome/about", test_about);
  g_test_add_func ("/lk/ui/gnome/preferences-action", test_preferences_action);
  g_test_add_func ("/lk/ui/gnome/preferences-binding", test_preferences_binding);
  g_test_add_func ("/lk/ui/gnome/preferences-shut-in-session", test_preferences_shut_in_session);
  g_test_add_func ("/lk/ui/gnome/shortcuts-sections", test_shortcuts_sections);

  return g_test_run ();
}
