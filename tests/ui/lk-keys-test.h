/* lk-keys-test.h — real key presses for the UI tests: xdotool types at the test's own window
 * (XTEST under the test's Xvfb), so that GTK dispatches them as it does a participant's keys
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gdk/x11/gdkx.h>

#include "lk-ui-test.h"

typedef struct {
  GtkEventController *counter;
  guint               n_released;
  guint               n_expected;
} LkKeysTest;

static void
lk_keys_test_released_cb (GtkEventControllerKey *controller,
                          guint                  keyval,
                          guint                  keycode,
                          GdkModifierType        state,
                          LkKeysTest            *keys)
{
  keys->n_released++;
}

/* Returns whether the keys can be typed: an X11 display and xdotool. */
static inline gboolean
lk_keys_test_available (void)
{
  g_autofree char *xdotool = g_find_program_in_path ("xdotool");

  return xdotool != NULL && GDK_IS_X11_DISPLAY (gdk_display_get_default ());
}

/* Starts counting the key releases @window sees (in the capture phase, so whatever handles them). */
static inline void
lk_keys_test_init (LkKeysTest *keys,
                   GtkWindow  *window)
{
  keys->n_released = 0;
  keys->counter = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (keys->counter, GTK_PHASE_CAPTURE);
  g_signal_connect (keys->counter, "key-released", G_CALLBACK (lk_keys_test_released_cb), keys);
  gtk_widget_add_controller (GTK_WIDGET (window), keys->counter);
}

static inline gboolean
lk_keys_test_released (gpointer data)
{
  LkKeysTest *keys = data;

  return keys->n_released >= keys->n_expected;
}

/* Types @names (xdotool key names separated by spaces, "ctrl+z" for a chord) at @window, and
 * spins the main loop until the window has seen every key released (so every press was handled
 * before), failing after 20 s. */
static inline void
lk_keys_test_type (LkKeysTest *keys,
                   GtkWindow  *window,
                   const char *names)
{
  GdkSurface *surface = gtk_native_get_surface (GTK_NATIVE (window));
  g_autofree char *xid = g_strdup_printf ("%lu", gdk_x11_surface_get_xid (surface));
  g_auto(GStrv) words = g_strsplit (names, " ", -1);
  g_autoptr(GStrvBuilder) argv = g_strv_builder_new ();
  g_auto(GStrv) args = NULL;
  g_autoptr(GError) error = NULL;
  guint n_keys = 0;
  int status;

  g_strv_builder_add_many (argv, "xdotool", "windowfocus", "--sync", xid, "key", "--delay", "1",
                           NULL);
  for (guint i = 0; words[i] != NULL; i++)
    {
      g_auto(GStrv) chord = g_strsplit (words[i], "+", -1);

      g_strv_builder_add (argv, words[i]);
      n_keys += g_strv_length (chord);
    }
  args = g_strv_builder_end (argv);

  keys->n_released = 0;
  g_spawn_sync (NULL, args, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, &status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));

  keys->n_expected = n_keys;
  lk_ui_test_wait_for (lk_keys_test_released, keys);
}
