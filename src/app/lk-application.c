/* lk-application.c — the Likeness application
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "lk-application.h"
#include "lk-browser-window.h"
#include "lk-experimenter-window.h"
#include "lk-judging-window.h"
#include "lk-session-view.h"
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
};

G_DEFINE_FINAL_TYPE (LkApplication, lk_application, ADW_TYPE_APPLICATION)

static void
about_cb (GSimpleAction *action,
          GVariant      *parameter,
          gpointer       user_data)
{
  LkApplication *self = user_data;
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  static const char *developers[] = { "The Likeness authors", NULL };

  adw_show_about_window (parent,
                         "application-name", _("Likeness"),
                         "application-icon", APP_ID,
                         "version", PACKAGE_VERSION,
                         "developers", developers,
                         "comments", _("Measure how people perceive similarity by letting them "
                                       "sort small grids of images into bins."),
                         "license-type", GTK_LICENSE_GPL_3_0,
                         NULL);
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

static void
thumbs_loaded_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(LkExperimenterWindow) window = user_data;
  g_autoptr(LkThumbs) thumbs = NULL;
  g_autoptr(GError) error = NULL;
  LkGridSource *run = g_object_get_data (G_OBJECT (window), "lk-run");

  thumbs = lk_thumbs_load_study_finish (result, &error);
  if (thumbs == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("the study's thumbnails could not be read: %s", error->message);
      return;
    }
  if (run != NULL && gtk_widget_get_visible (GTK_WIDGET (window)))
    lk_experimenter_window_set_run (window, run, thumbs);
}

/* The experimenter's views: on the study of the session under way, whose run folds its phases
 * in, so the views follow the participants' answers; without one, on a demo study answered by
 * simulated participants. */
static void
experimenter_cb (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  g_autoptr(GError) error = NULL;
  LkSession *session = find_session (GTK_APPLICATION (user_data));
  LkExperimenterWindow *window;

  if (session != NULL)
    {
      LkGridSource *run = lk_session_get_run (session);
      LkImageSource *source = lk_session_get_source (session);

      /* Points at first; a study's thumbnails follow from a worker thread. */
      window = lk_experimenter_window_new ();
      gtk_window_set_application (GTK_WINDOW (window), GTK_APPLICATION (user_data));
      lk_experimenter_window_set_run (window, run, NULL);
      gtk_window_present (GTK_WINDOW (window));
      if (LK_IS_STUDY (source))
        {
          g_autoptr(GCancellable) cancellable = g_cancellable_new ();

          g_object_set_data_full (G_OBJECT (window), "lk-run", g_object_ref (run),
                                  g_object_unref);
          g_signal_connect_object (window, "destroy", G_CALLBACK (g_cancellable_cancel),
                                   cancellable, G_CONNECT_SWAPPED);
          lk_thumbs_load_study_async (lk_study_get_path (LK_STUDY (source)), 64, cancellable,
                                      thumbs_loaded_cb, g_object_ref (window));
        }
      return;
    }

  window = lk_experimenter_window_new_demo (GTK_APPLICATION (user_data), "colors:600", &error);
  if (window == NULL)
    g_warning ("%s", error->message);
  else
    gtk_window_present (GTK_WINDOW (window));
}

static const GActionEntry app_actions[] = {
  { "about", about_cb },
  { "experimenter", experimenter_cb },
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

  g_assert (LK_IS_APPLICATION (self));

  G_APPLICATION_CLASS (lk_application_parent_class)->startup (app);

  self->settings = g_settings_new ("io.github.likeness.Likeness");
  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions,
                                   G_N_ELEMENTS (app_actions), self);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit", quit_accels);
}

static LkWindow *
ensure_window (LkApplication *self)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (window == NULL)
    window = GTK_WINDOW (lk_window_new (self));

  return LK_WINDOW (window);
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
      if (self->screenshot != NULL)
        lk_experimenter_window_save_screenshot (experimenter, self->screenshot);
      gtk_window_present (GTK_WINDOW (experimenter));
      return;
    }

  window = ensure_window (self);

  if (self->screenshot != NULL)
    lk_window_save_screenshot (window, self->screenshot);
  if (self->page != NULL && !lk_window_show_page (window, self->page))
    g_warning ("unknown page '%s'; use start, instructions, sort, create, report or overview:STUDY", self->page);

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
         "part-way through a grid), create, or "
         "report (a sample import's report), overview:STUDY (a study file's overview), "
         "experimenter[:DATASET] (a demo study's views)"),
      N_("PAGE") },
    { "browse", 0, 0, G_OPTION_ARG_FILENAME, NULL,
      N_("Browse a study's collection by learned similarity and by image features"),
      N_("STUDY") },
    { "judge", 0, 0, G_OPTION_ARG_FILENAME, NULL,
      N_("Judge a study's neighbours by hand: learned metric against an image descriptor"),
      N_("STUDY") },
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
