/* test-experimenter-guard.c — the experimenter's views during a session: app.experimenter
 * (Ctrl+Shift+E) asks for the study's passphrase, and only the right one opens them, following
 * the session's run; a participant who finds the shortcut sees nothing
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "lk-application.h"
#include "lk-experimenter-window.h"
#include "lk-experimenter-window-private.h"
#include "lk-locale.h"
#include "lk-session-view.h"
#include "lk-study-test.h"
#include "lk-ui-test.h"
#include "lk-window-private.h"

static gboolean
no_dialog (gpointer data)
{
  return lk_ui_test_find_dialog () == NULL;
}

/* Returns the experimenter window @app shows, or NULL. */
static LkExperimenterWindow *
find_experimenter (GtkApplication *app)
{
  for (GList *l = gtk_application_get_windows (app); l != NULL; l = l->next)
    if (LK_IS_EXPERIMENTER_WINDOW (l->data))
      return l->data;

  return NULL;
}

/* Activates app.experimenter and answers its dialog with @typed and Enter. */
static void
ask (GtkApplication *app,
     const char     *typed)
{
  AdwMessageDialog *dialog;
  GtkWidget *entry;
  gboolean activates;

  g_action_group_activate_action (G_ACTION_GROUP (app), "experimenter", NULL);
  dialog = lk_ui_test_find_dialog ();
  g_assert_nonnull (dialog);
  entry = adw_message_dialog_get_extra_child (dialog);
  g_assert_true (GTK_IS_PASSWORD_ENTRY (entry));
  gtk_editable_set_text (GTK_EDITABLE (entry), typed);
  /* Enter in the field, as the experimenter would: it activates the dialog's default. */
  g_object_get (entry, "activates-default", &activates, NULL);
  g_assert_true (activates);
  gtk_widget_activate_default (entry);
  lk_ui_test_wait_for (no_dialog, NULL);
}

static void
test_guard (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = study_test_tmpdir ();
  g_autofree char *images = g_build_filename (dir, "images", NULL);
  g_autofree char *path = g_build_filename (dir, "guarded.likeness", NULL);
  g_autoptr(LkApplication) app = lk_application_new ();
  g_autoptr(LkStudy) study = NULL;
  AdwMessageDialog *dialog;
  LkExperimenterWindow *experimenter;
  LkWindow *window;

  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (gtk_application_get_accels_for_action (GTK_APPLICATION (app),
                                                          "app.experimenter")[0],
                   ==, "<Shift><Control>e");

  g_assert_cmpint (g_mkdir (images, 0700), ==, 0);
  study_test_create (path, images, 12);
  study = lk_study_open (path, &error);
  g_assert_no_error (error);
  {
    g_auto(LkSessionSettings) settings = { 0 };

    lk_session_settings_init (&settings);
    settings.break_every = 10;
    settings.n_practice = 1;
    settings.all_placed = FALSE;
    settings.passphrase = g_strdup ("open sesame");
    g_assert_true (lk_study_set_session_settings (study, &settings, &error));
    g_assert_no_error (error);
  }
  window = lk_window_new (app);
  gtk_window_present (GTK_WINDOW (window));
  lk_ui_test_wait_mapped (GTK_WIDGET (window));
  lk_window_start_study (window, study, "P-GUARD", FALSE);
  lk_ui_test_wait_for (lk_ui_test_window_prepared, window);
  g_assert_cmpstr (lk_window_get_visible_page (window), ==, "session");

  /* An empty or a wrong passphrase opens nothing. */
  ask (GTK_APPLICATION (app), "");
  g_assert_null (find_experimenter (GTK_APPLICATION (app)));
  ask (GTK_APPLICATION (app), "open sesam");
  g_assert_null (find_experimenter (GTK_APPLICATION (app)));

  /* The right one opens the views on the session's run. */
  ask (GTK_APPLICATION (app), "open sesame");
  experimenter = find_experimenter (GTK_APPLICATION (app));
  g_assert_nonnull (experimenter);
  g_assert_true (lk_experimenter_window_get_worker (experimenter)
                 == lk_session_get_refine_worker (lk_session_view_get_session (lk_window_get_session_view (window))));
  g_assert_cmpstr (lk_window_get_visible_page (window), ==, "session");
  gtk_window_destroy (GTK_WINDOW (experimenter));
  lk_ui_test_flush ();

  /* The same study by path (a study overview's way) follows the session too, behind the same
   * question; closing it opens nothing. */
  g_action_group_activate_action (G_ACTION_GROUP (app), "experimenter-study",
                                  g_variant_new_string (path));
  dialog = lk_ui_test_find_dialog ();
  g_assert_nonnull (dialog);
  gtk_window_close (GTK_WINDOW (dialog));
  lk_ui_test_wait_for (no_dialog, NULL);
  g_assert_null (find_experimenter (GTK_APPLICATION (app)));

  lk_window_end_session (window);
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

  g_test_add_func ("/lk/ui/experimenter-guard/passphrase", test_guard);

  return g_test_run ();
}
