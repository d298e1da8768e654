/* lk-application.c — the Likeness application
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "lk-application.h"
#include "lk-browser-window.h"
#include "lk-experimenter-window.h"
#include "lk-curator-window.h"
#include "lk-judging-window.h"
#include "lk-preferences-window.h"
#include "lk-session-view.h"
#include "lk-study-errors.h"
#include "lk-study.h"
#include "lk-window.h"

struct _LkApplication
{
  AdwApplication  parent_instance;

  /* Owned references */
  GSettings      *settings;

  /* Command line: one-shot runs for the README's screenshots */
  char           *screenshot;
  char           *page;
  char           *browse;
  char           *judge;
  char           *experimenter;
  char           *view;
};

G_DEFINE_FINAL_TYPE (LkApplication, lk_application, ADW_TYPE_APPLICATION)

#define LK_WEBSITE "https://github.com/likeness/likeness"
#define LK_ISSUES  LK_WEBSITE "/issues"

/* Returns the session under way in one of @app's windows, or NULL. */
static LkSession *
find_session (GtkApplication *app)
{
  for (GList *l = gtk_application_get_windows (app); l != NULL; l = l->next)
    {
      LkSession *session;

      if (!LK_IS_WINDOW (l->data))
        continue;
      session = lk_session_view_get_session (lk_window_get_session_view (l->data));
      if (session != NULL)
        return session;
    }

  return NULL;
}

/* Returns whether a participant may be in front of the app: a session is under way in study
 * mode. Help and Preferences then stay shut, for yelp would leave full screen and
 * Preferences could switch study mode off. */
static gboolean
participant_present (LkApplication *self)
{
  return g_settings_get_boolean (self->settings, "study-mode")
         && find_session (GTK_APPLICATION (self)) != NULL;
}

static void
about_cb (GSimpleAction *action,
          GVariant      *parameter,
          gpointer       user_data)
{
  LkApplication *self = user_data;
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  static const char *developers[] = { "The Likeness authors", NULL };
  AdwAboutWindow *about;

  about = ADW_ABOUT_WINDOW (adw_about_window_new ());
  g_object_set (about,
                "application-name", _("Likeness"),
                "application-icon", APP_ID,
                "version", PACKAGE_VERSION,
                "developer-name", _("The Likeness authors"),
                "developers", developers,
                "comments", _("Measure how people perceive similarity by letting them "
                              "sort small grids of images into bins."),
                "website", LK_WEBSITE,
                "issue-url", LK_ISSUES,
                "support-url", LK_ISSUES,
                "license-type", GTK_LICENSE_GPL_3_0,
                "copyright", "© 2026 The Likeness authors",
                "translator-credits", _("translator-credits"),
                NULL);
  /* The method's source (../shared/papers/000_b28b33f9dbf275aa.txt). That text copy lacks the
   * authors and venue, so they are written here from the published paper, not checked against
   * a stored copy. */
  adw_about_window_add_legal_section (about, _("Method"), NULL, GTK_LICENSE_CUSTOM,
                                      _("Likeness implements the progressive refinement of "
                                        "Y. Kleiman, G. Goldberg, Y. Amsterdamer and "
                                        "D. Cohen-Or, “Toward Semantic Image Similarity from "
                                        "Crowdsourced Clustering”, The Visual Computer 32, "
                                        "2016."));
  if (parent != NULL)
    gtk_window_set_transient_for (GTK_WINDOW (about), parent);
  gtk_window_present (GTK_WINDOW (about));
}

static void
help_cb (GSimpleAction *action,
         GVariant      *parameter,
         gpointer       user_data)
{
  LkApplication *self = user_data;

  if (participant_present (self))
    return;
  gtk_show_uri (gtk_application_get_active_window (GTK_APPLICATION (self)), HELP_URI,
                GDK_CURRENT_TIME);
}

static void
preferences_cb (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  LkApplication *self = user_data;
  LkPreferencesWindow *window;

  if (participant_present (self))
    return;
  window = lk_preferences_window_new (self->settings);
  gtk_window_set_transient_for (GTK_WINDOW (window),
                                gtk_application_get_active_window (GTK_APPLICATION (self)));
  gtk_window_present (GTK_WINDOW (window));
}

/* Returns the section of ui/help-overlay.ui that holds @window's keys. */
static const char *
shortcuts_section (GtkWindow *window)
{
  if (LK_IS_BROWSER_WINDOW (window))
    return "browser";
  if (LK_IS_EXPERIMENTER_WINDOW (window))
    return "experimenter";
  if (LK_IS_JUDGING_WINDOW (window))
    return "judging";
  return "main";
}

/* win.show-help-overlay of a window that is no GtkApplicationWindow (the experimenter's, the
 * curator's): GTK binds Ctrl+? to it in every window but gives only application windows one. */
static void
show_shortcuts_cb (GSimpleAction *action,
                   GVariant      *parameter,
                   gpointer       user_data)
{
  GtkWindow *window = user_data;
  g_autoptr(GtkBuilder) builder =
    gtk_builder_new_from_resource ("/io/github/likeness/Likeness/gtk/help-overlay.ui");
  GtkWindow *overlay = GTK_WINDOW (gtk_builder_get_object (builder, "help_overlay"));

  g_object_set (overlay, "section-name", shortcuts_section (window), NULL);
  gtk_window_set_transient_for (overlay, window);
  gtk_window_present (overlay);
}

/* Opens each window's shortcuts window on the section of its own keys; the other windows'
 * sections stay a click away. */
static void
window_added_cb (GtkApplication *app,
                 GtkWindow      *window)
{
  static const GActionEntry win_actions[] = {
    { "show-help-overlay", show_shortcuts_cb },
  };
  g_autoptr(GSimpleActionGroup) group = NULL;

  if (GTK_IS_APPLICATION_WINDOW (window))
    {
      GtkShortcutsWindow *overlay =
        gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (window));

      if (overlay != NULL)
        g_object_set (overlay, "section-name", shortcuts_section (window), NULL);
      return;
    }
  if (!LK_IS_EXPERIMENTER_WINDOW (window) && !LK_IS_CURATOR_WINDOW (window))
    return;
  group = g_simple_action_group_new ();
  g_action_map_add_action_entries (G_ACTION_MAP (group), win_actions, G_N_ELEMENTS (win_actions),
                                   window);
  gtk_widget_insert_action_group (GTK_WIDGET (window), "win", G_ACTION_GROUP (group));
}

static void
quit_cb (GSimpleAction *action,
         GVariant      *parameter,
         gpointer       user_data)
{
  LkApplication *self = user_data;
  GList *windows = gtk_application_get_windows (GTK_APPLICATION (self));

  /* Closing goes through each window's close-request, so a running session asks first. */
  for (GList *l = windows; l != NULL; l = l->next)
    gtk_window_close (GTK_WINDOW (l->data));
}

/* Opens the experimenter's views on the session under way: its run folds its phases in, so
 * the views follow the participants' answers; a study's thumbnails follow from a worker
 * thread, points meanwhile. */
static void
follow_session (LkApplication *self,
                LkSession     *session)
{
  LkImageSource *source = lk_session_get_source (session);
  LkExperimenterWindow *window = lk_experimenter_window_new ();

  gtk_window_set_application (GTK_WINDOW (window), GTK_APPLICATION (self));
  lk_experimenter_window_set_run (window, lk_session_get_run (session), NULL);
  gtk_window_present (GTK_WINDOW (window));
  if (LK_IS_STUDY (source))
    lk_experimenter_window_load_thumbs (window, lk_study_get_path (LK_STUDY (source)));
}

static void
guard_response_cb (AdwMessageDialog *dialog,
                   const char       *response,
                   LkApplication    *self)
{
  GtkWidget *entry = adw_message_dialog_get_extra_child (dialog);
  const char *passphrase = g_object_get_data (G_OBJECT (dialog), "lk-passphrase");
  LkSession *session = find_session (GTK_APPLICATION (self));

  /* The field gives up the focus before the dialog goes: GTK 4.8's password entry, destroyed
   * with the focus, gets a focus notification once it is half gone (a critical). */
  gtk_window_set_focus (GTK_WINDOW (dialog), NULL);
  if (g_str_equal (response, "open") && session != NULL
      && g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (entry)), passphrase) == 0)
    follow_session (self, session);
}

/* The experimenter's views: on the study of the session under way (behind the study's
 * passphrase, if it has one, so that a participant who finds the shortcut sees nothing);
 * without one, on a demo study answered by simulated participants. */
static void
experimenter_cb (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  LkApplication *self = user_data;
  g_autoptr(GError) error = NULL;
  LkSession *session = find_session (GTK_APPLICATION (self));
  LkExperimenterWindow *window;

  if (session != NULL)
    {
      LkImageSource *source = lk_session_get_source (session);
      g_autofree char *passphrase = LK_IS_STUDY (source)
                                    ? lk_study_dup_passphrase (LK_STUDY (source)) : NULL;
      AdwMessageDialog *dialog;
      GtkWidget *entry;

      if (passphrase == NULL)
        {
          follow_session (self, session);
          return;
        }
      dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (gtk_application_get_active_window (GTK_APPLICATION (self)),
                                                           _("Open the Experimenter’s Views?"),
                                                           _("For the experimenter: type the "
                                                             "study’s passphrase.")));
      adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "open", _("_Open"),
                                        NULL);
      adw_message_dialog_set_default_response (dialog, "open");
      adw_message_dialog_set_close_response (dialog, "cancel");
      entry = gtk_password_entry_new ();
      gtk_accessible_update_property (GTK_ACCESSIBLE (entry),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, _("Passphrase"), -1);
      /* Enter in the field is the Open button, which also closes the dialog. */
      gtk_password_entry_set_show_peek_icon (GTK_PASSWORD_ENTRY (entry), TRUE);
      g_object_set (entry, "activates-default", TRUE, NULL);
      adw_message_dialog_set_extra_child (dialog, entry);
      g_object_set_data_full (G_OBJECT (dialog), "lk-passphrase", g_steal_pointer (&passphrase),
                              g_free);
      g_signal_connect_object (dialog, "response", G_CALLBACK (guard_response_cb), self, 0);
      gtk_window_present (GTK_WINDOW (dialog));
      return;
    }

  window = lk_experimenter_window_new_demo (GTK_APPLICATION (user_data), "colors:600", &error);
  if (window == NULL)
    g_warning ("%s", error->message);
  else
    gtk_window_present (GTK_WINDOW (window));
}

static gboolean
is_lab_uri (const char *text)
{
  return g_str_has_prefix (text, "postgresql://") || g_str_has_prefix (text, "postgres://");
}

/* The experimenter's live view on the lab study at @uri (a toast says why not, e.g. in a
 * build without libpq). */
static LkExperimenterWindow *
new_lab_window (GtkApplication *application,
                const char     *uri)
{
  LkExperimenterWindow *window = lk_experimenter_window_new ();

  gtk_window_set_application (GTK_WINDOW (window), application);
  lk_experimenter_window_show_lab (window, uri);
  return window;
}

/* The experimenter's views on a study file (the parameter is its path): for a window that
 * shows a study, e.g. gtk_widget_activate_action (w, "app.experimenter-study", "s", path). */
static void
experimenter_study_cb (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  g_autoptr(GError) error = NULL;
  const char *path = g_variant_get_string (parameter, NULL);
  LkSession *session = find_session (GTK_APPLICATION (user_data));
  LkExperimenterWindow *window;

  /* A lab study (a postgresql:// URI): followed live. */
  if (is_lab_uri (path))
    {
      window = new_lab_window (GTK_APPLICATION (user_data), path);
      gtk_window_present (GTK_WINDOW (window));
      return;
    }

  /* The study of the session under way: follow that session's run (behind the passphrase),
   * so that the views show its answers as they come. */
  if (session != NULL && LK_IS_STUDY (lk_session_get_source (session))
      && g_strcmp0 (lk_study_get_path (LK_STUDY (lk_session_get_source (session))), path) == 0)
    {
      g_action_group_activate_action (G_ACTION_GROUP (user_data), "experimenter", NULL);
      return;
    }
  window = lk_experimenter_window_new_for_path (GTK_APPLICATION (user_data), path, &error);
  if (window == NULL)
    {
      GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (user_data));

      if (LK_IS_WINDOW (parent))
        {
          g_autofree char *body = lk_study_error_dup_body (error);

          lk_window_show_error (LK_WINDOW (parent), _("The Study Cannot Be Shown"), body);
        }
      else
        g_warning ("%s", error->message);
      return;
    }
  gtk_window_present (GTK_WINDOW (window));
}

static const GActionEntry app_actions[] = {
  { "about", about_cb },
  { "experimenter", experimenter_cb },
  { "help", help_cb },
  { "preferences", preferences_cb },
  { "experimenter-study", experimenter_study_cb, "s" },
  { "quit", quit_cb },
};

static gint
lk_application_handle_local_options (GApplication *app,
                                     GVariantDict *options)
{
  LkApplication *self = (LkApplication *)app;

  g_assert (LK_IS_APPLICATION (self));

  g_variant_dict_lookup (options, "screenshot", "^ay", &self->screenshot);
  g_variant_dict_lookup (options, "page", "s", &self->page);
  g_variant_dict_lookup (options, "browse", "^ay", &self->browse);
  g_variant_dict_lookup (options, "judge", "^ay", &self->judge);
  g_variant_dict_lookup (options, "experimenter", "^ay", &self->experimenter);
  g_variant_dict_lookup (options, "view", "s", &self->view);

  /* A one-shot screenshot run must not hand off to an instance that is already running. */
  if (self->screenshot != NULL)
    g_application_set_flags (app, g_application_get_flags (app) | G_APPLICATION_NON_UNIQUE);

  return -1;
}

static void
lk_application_startup (GApplication *app)
{
  LkApplication *self = (LkApplication *)app;
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *help_accels[] = { "F1", NULL };
  static const char *preferences_accels[] = { "<Control>comma", NULL };
  static const char *experimenter_accels[] = { "<Control><Shift>e", NULL };

  g_assert (LK_IS_APPLICATION (self));

  G_APPLICATION_CLASS (lk_application_parent_class)->startup (app);

  self->settings = g_settings_new ("io.github.likeness.Likeness");
  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions,
                                   G_N_ELEMENTS (app_actions), self);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.help", help_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.preferences",
                                         preferences_accels);
  g_signal_connect_after (self, "window-added", G_CALLBACK (window_added_cb), NULL);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.experimenter",
                                         experimenter_accels);
}

static LkWindow *
ensure_window (LkApplication *self)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (window == NULL)
    window = GTK_WINDOW (lk_window_new (self));

  return LK_WINDOW (window);
}

/* Shows an experimenter's window opened from the command line: on --view's view, and saved
 * for --screenshot. */
static void
present_experimenter (LkApplication        *self,
                      LkExperimenterWindow *window)
{
  if (self->view != NULL && !lk_experimenter_window_show_view (window, self->view))
    g_printerr (_("Unknown view “%s”; use embedding, cooccurrence, knn, convergence, heatmap, "
                  "progress, participants, scores or stations\n"), self->view);
  if (self->screenshot != NULL)
    lk_experimenter_window_save_screenshot (window, self->screenshot);
  gtk_window_present (GTK_WINDOW (window));
}

static void
lk_application_activate (GApplication *app)
{
  LkApplication *self = (LkApplication *)app;
  LkWindow *window;

  g_assert (LK_IS_APPLICATION (self));

  /* --judge=STUDY: judging the neighbours on its own, without the browser (a judge needs no
   * grid of the collection), resuming an unfinished round. */
  if (self->judge != NULL)
    {
      g_autoptr(GError) error = NULL;
      LkJudgingWindow *judging = lk_judging_window_new (GTK_APPLICATION (self), self->judge, &error);

      if (judging == NULL)
        {
          g_printerr ("%s\n", error->message);
          return;
        }
      if (self->screenshot != NULL)
        lk_judging_window_save_screenshot (judging, self->screenshot);
      gtk_window_present (GTK_WINDOW (judging));
      return;
    }

  /* --experimenter=STUDY: the experimenter's views on a study file, finished or not, or on a
   * lab study's URI, followed live. */
  if (self->experimenter != NULL)
    {
      g_autoptr(GError) error = NULL;
      LkExperimenterWindow *experimenter;

      if (is_lab_uri (self->experimenter))
        experimenter = new_lab_window (GTK_APPLICATION (self), self->experimenter);
      else
        experimenter = lk_experimenter_window_new_for_path (GTK_APPLICATION (self),
                                                         self->experimenter, &error);
      if (experimenter == NULL)
        {
          g_printerr ("%s\n", error->message);
          return;
        }
      present_experimenter (self, experimenter);
      return;
    }

  /* --browse=STUDY: the collection browser on its own, with no participant window. */
  if (self->browse != NULL)
    {
      g_autoptr(GError) error = NULL;
      LkBrowserWindow *browser = lk_browser_window_new (GTK_APPLICATION (self), self->browse, &error);

      if (browser == NULL)
        {
          g_printerr ("%s\n", error->message);
          return;
        }
      if (self->screenshot != NULL)
        lk_browser_window_save_screenshot (browser, self->screenshot);
      gtk_window_present (GTK_WINDOW (browser));
      return;
    }

  /* "keep-known-answer:STUDY": the browser on the study, its Sort Grids window, and there Keep
   * as Known Answer… on the grid the curator sorted last (saved over that window). */
  if (self->page != NULL && g_str_has_prefix (self->page, "keep-known-answer:"))
    {
      g_autoptr(GError) error = NULL;
      LkBrowserWindow *browser = lk_browser_window_new (GTK_APPLICATION (self),
                                                        self->page + strlen ("keep-known-answer:"),
                                                        &error);

      if (browser == NULL)
        {
          g_printerr ("%s\n", error->message);
          return;
        }
      lk_browser_window_show_keep_dialog (browser, self->screenshot);
      gtk_window_present (GTK_WINDOW (browser));
      return;
    }

  /* "experimenter", or "experimenter:SPEC" for another demo collection (blobs:600 has labels,
   * so the cluster heatmap shows). */
  if (g_strcmp0 (self->page, "experimenter") == 0
      || (self->page != NULL && g_str_has_prefix (self->page, "experimenter:")))
    {
      const char *spec = self->page[12] == ':' ? self->page + 13 : "colors:600";
      g_autoptr(GError) error = NULL;
      LkExperimenterWindow *experimenter;

      experimenter = lk_experimenter_window_new_demo (GTK_APPLICATION (self), spec, &error);
      if (experimenter == NULL)
        {
          g_warning ("%s", error->message);
          return;
        }
      present_experimenter (self, experimenter);
      return;
    }

  if (self->view != NULL)
    g_printerr (_("--view goes with --experimenter or --page=experimenter\n"));

  window = ensure_window (self);

  if (self->screenshot != NULL)
    lk_window_save_screenshot (window, self->screenshot);
  if (self->page != NULL && !lk_window_show_page (window, self->page))
    g_warning ("unknown page '%s'; use start, instructions, sort, triplet, choice5, match, intruder (or KIND-instructions), create, report, lab-connect, overview:STUDY, settings:STUDY, crowd-send:STUDY, known-answers:STUDY, feedback:STUDY, not-qualified:STUDY or keep-known-answer:STUDY", self->page);

  gtk_window_present (GTK_WINDOW (window));
}

static void
lk_application_open (GApplication  *app,
                     GFile        **files,
                     gint           n_files,
                     const char    *hint)
{
  LkApplication *self = (LkApplication *)app;
  LkWindow *window;

  g_assert (LK_IS_APPLICATION (self));

  window = ensure_window (self);
  gtk_window_present (GTK_WINDOW (window));
  if (n_files > 0)
    lk_window_open_study (window, files[0]);
}

static void
lk_application_finalize (GObject *object)
{
  LkApplication *self = (LkApplication *)object;

  g_clear_object (&self->settings);
  g_clear_pointer (&self->screenshot, g_free);
  g_clear_pointer (&self->page, g_free);
  g_clear_pointer (&self->browse, g_free);
  g_clear_pointer (&self->judge, g_free);
  g_clear_pointer (&self->experimenter, g_free);
  g_clear_pointer (&self->view, g_free);

  G_OBJECT_CLASS (lk_application_parent_class)->finalize (object);
}

static void
lk_application_class_init (LkApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->finalize = lk_application_finalize;

  app_class->handle_local_options = lk_application_handle_local_options;
  app_class->startup = lk_application_startup;
  app_class->activate = lk_application_activate;
  app_class->open = lk_application_open;
}

static void
lk_application_init (LkApplication *self)
{
  static const GOptionEntry entries[] = {
    { "screenshot", 0, 0, G_OPTION_ARG_FILENAME, NULL,
      N_("Save a PNG of the window once it is drawn, then quit"), N_("FILE") },
    { "page", 0, 0, G_OPTION_ARG_STRING, NULL,
      N_("Open on a page: start, instructions (a colours demo's), sort (a colours demo "
         "part-way through a grid), triplet, choice5, match or intruder (a colours demo's "
         "first trial of that task; KIND-instructions for its instructions), create, or "
         "report (a sample import's report), lab-connect (Connect to a Lab Study), "
         "overview:STUDY (a study file's overview), settings:STUDY (its session settings), "
         "crowd-send:STUDY (Send Grids to a Crowd Platform), known-answers:STUDY (its Known "
         "Answers), feedback:STUDY (a made-up participant's first training page, answered "
         "with a mistake), not-qualified:STUDY (the end of a session whose exam failed), "
         "keep-known-answer:STUDY (Keep as Known Answer in the browser's Sort Grids), "
         "experimenter[:DATASET] (a demo study's views)"),
      N_("PAGE") },
    { "browse", 0, 0, G_OPTION_ARG_FILENAME, NULL,
      N_("Browse a study's collection by learned similarity and by image features"),
      N_("STUDY") },
    { "judge", 0, 0, G_OPTION_ARG_FILENAME, NULL,
      N_("Judge a study's neighbours by hand: learned metric against an image descriptor"),
      N_("STUDY") },
    { "experimenter", 0, 0, G_OPTION_ARG_FILENAME, NULL,
      N_("Show the experimenter's views of a study: every stored phase, its progress"),
      N_("STUDY") },
    { "view", 0, 0, G_OPTION_ARG_STRING, NULL,
      N_("With --experimenter: bring a view into sight and give it the keyboard focus: "
         "embedding, cooccurrence, knn, convergence, heatmap, progress, participants, scores "
         "or stations (a lab study's)"),
      N_("VIEW") },
    { NULL }
  };

  g_application_add_main_option_entries (G_APPLICATION (self), entries);
  g_application_set_option_context_summary (G_APPLICATION (self),
                                            _("Run image-sorting similarity studies."));
}

/**
 * lk_application_new:
 *
 * Returns: (transfer full): the application, with the resource base path of the release app id
 *   even in a development build, so that style.css and the help overlay are found.
 */
LkApplication *
lk_application_new (void)
{
  return g_object_new (LK_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_HANDLES_OPEN,
                       "resource-base-path", "/io/github/likeness/Likeness",
                       NULL);
}

/**
 * lk_application_get_settings:
 *
 * Returns: (transfer none): the UI preferences, valid after startup
 */
GSettings *
lk_application_get_settings (LkApplication *self)
{
  g_return_val_if_fail (LK_IS_APPLICATION (self), NULL);

  return self->settings;
}
