/* lk-preferences-window.c — the UI preferences, bound to GSettings
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "lk-preferences-window-private.h"

struct _LkPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  /* Owned references */
  GSettings            *settings;

  /* Template widgets */
  GtkSwitch            *study_mode_switch;
  GtkWidget            *forget_button;
};

G_DEFINE_FINAL_TYPE (LkPreferencesWindow, lk_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

/* The button can forget only when there is something to forget. */
static void
recent_changed_cb (LkPreferencesWindow *self)
{
  g_auto(GStrv) paths = g_settings_get_strv (self->settings, "recent-studies");

  gtk_widget_set_sensitive (self->forget_button, paths[0] != NULL);
}

static void
forget_clicked_cb (LkPreferencesWindow *self)
{
  g_settings_set_strv (self->settings, "recent-studies", NULL);
  adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self),
                                    adw_toast_new (_("The list of recent studies is empty")));
}

static void
lk_preferences_window_dispose (GObject *object)
{
  LkPreferencesWindow *self = (LkPreferencesWindow *)object;

  g_clear_object (&self->settings);
  gtk_widget_dispose_template (GTK_WIDGET (self), LK_TYPE_PREFERENCES_WINDOW);

  G_OBJECT_CLASS (lk_preferences_window_parent_class)->dispose (object);
}

static void
lk_preferences_window_class_init (LkPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = lk_preferences_window_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/likeness/Likeness/ui/widgets/lk-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, LkPreferencesWindow, study_mode_switch);
  gtk_widget_class_bind_template_child (widget_class, LkPreferencesWindow, forget_button);
  gtk_widget_class_bind_template_callback (widget_class, forget_clicked_cb);
}

static void
lk_preferences_window_init (LkPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * lk_preferences_window_new:
 * @settings: the app's settings (io.github.likeness.Likeness)
 *
 * Returns: (transfer full): a window whose rows change @settings as they are toggled, and
 *   follow it when it changes elsewhere
 */
LkPreferencesWindow *
lk_preferences_window_new (GSettings *settings)
{
  LkPreferencesWindow *self;

  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  self = g_object_new (LK_TYPE_PREFERENCES_WINDOW, NULL);
  self->settings = g_object_ref (settings);
  g_settings_bind (settings, "study-mode", self->study_mode_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);
  g_signal_connect_object (settings, "changed::recent-studies", G_CALLBACK (recent_changed_cb),
                           self, G_CONNECT_SWAPPED);
  recent_changed_cb (self);

  return self;
}

GtkSwitch *
lk_preferences_window_get_study_mode_switch (LkPreferencesWindow *self)
{
  g_return_val_if_fail (LK_IS_PREFERENCES_WINDOW (self), NULL);

  return self->study_mode_switch;
}

GtkWidget *
lk_preferences_window_get_forget_button (LkPreferencesWindow *self)
{
  g_return_val_if_fail (LK_IS_PREFERENCES_WINDOW (self), NULL);

  return self->forget_button;
}
