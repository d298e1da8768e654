/* lk-ui-test.h — helpers shared by the UI tests
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "lk-refine-worker.h"
#include "lk-window-private.h"

G_BEGIN_DECLS

/* Starts GTK for a test program, or prints a TAP skip and returns FALSE without a display. */
static inline gboolean
lk_ui_test_init (int    *argc,
                 char ***argv)
{
  if (g_getenv ("DISPLAY") == NULL && g_getenv ("WAYLAND_DISPLAY") == NULL)
    {
      g_print ("1..0 # SKIP no display\n");
      return FALSE;
    }

  gtk_test_init (argc, argv, NULL);
  adw_init ();

  return TRUE;
}

static gboolean
lk_ui_test_timeout_cb (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

/* Runs the main loop until nothing is pending. */
static inline void
lk_ui_test_flush (void)
{
  while (g_main_context_pending (NULL))
    g_main_context_iteration (NULL, FALSE);
}

/* Spins the main loop until @widget is mapped and has a size, or fails after 10 s. */
static inline void
lk_ui_test_wait_mapped (GtkWidget *widget)
{
  gint64 end = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  guint id = g_timeout_add (20, lk_ui_test_timeout_cb, NULL);

  while (!(gtk_widget_get_mapped (widget) && gtk_widget_get_width (widget) > 0))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, end);
      g_main_context_iteration (NULL, TRUE);
    }
  g_source_remove (id);
  lk_ui_test_flush ();
}

/* Spins the main loop until @done (@data) is TRUE, failing after 20 s. */
static inline void
lk_ui_test_wait_for (gboolean (*done) (gpointer data),
                     gpointer   data)
{
  gint64 end = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  guint id = g_timeout_add (20, lk_ui_test_timeout_cb, NULL);

  while (!done (data))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, end);
      g_main_context_iteration (NULL, TRUE);
    }
  g_source_remove (id);
  lk_ui_test_flush ();
}

static inline gboolean
lk_ui_test_flag_set (gpointer flag)
{
  return *(gboolean *) flag;
}

static inline void
lk_ui_test_painted_cb (GdkFrameClock *clock,
                       gboolean      *painted)
{
  *painted = TRUE;
}

/* Waits until @widget's window has laid out and painted a frame with what changed, failing
 * after 20 s. */
static inline void
lk_ui_test_wait_painted (GtkWidget *widget)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (widget);
  gboolean painted = FALSE;
  gulong id = g_signal_connect (clock, "after-paint", G_CALLBACK (lk_ui_test_painted_cb),
                                &painted);

  gtk_widget_queue_resize (widget);
  lk_ui_test_wait_for (lk_ui_test_flag_set, &painted);
  g_signal_handler_disconnect (clock, id);
}

static inline gboolean
lk_ui_test_worker_idle (gpointer worker)
{
  return !lk_refine_worker_get_busy (worker);
}

/* Spins the main loop until @worker is idle and what was queued when its last run came back
 * has run (a study file stores the run then), failing after 20 s. */
static inline void
lk_ui_test_wait_worker (LkRefineWorker *worker)
{
  lk_ui_test_wait_for (lk_ui_test_worker_idle, worker);
}

/* Shows @child in a new window of the app's default size (1100x760) and waits until it is
 * mapped. Destroy the window with gtk_window_destroy(). */
static inline GtkWindow *
lk_ui_test_show (GtkWidget *child)
{
  GtkWindow *window = GTK_WINDOW (gtk_window_new ());

  gtk_window_set_default_size (window, 1100, 760);
  gtk_window_set_child (window, child);
  gtk_window_present (window);
  lk_ui_test_wait_mapped (child);

  return window;
}

/* Returns TRUE once @window has replayed the study it was asked to start (for
 * lk_ui_test_wait_for()). */
static inline gboolean
lk_ui_test_window_prepared (gpointer window)
{
  return !lk_window_is_preparing (window);
}

/* Returns the message dialog shown (the first, if there are several), or NULL. */
static inline AdwMessageDialog *
lk_ui_test_find_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  lk_ui_test_flush ();
  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (window) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return ADW_MESSAGE_DIALOG (window);
    }

  return NULL;
}

/* Returns the heading of the one message dialog open, after closing it; NULL if there is none
 * (fails if there are two). Free it with g_free(). */
static inline char *
lk_ui_test_take_dialog_heading (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();
  char *heading = NULL;

  lk_ui_test_flush ();
  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (window) && gtk_widget_get_visible (GTK_WIDGET (window)))
        {
          g_assert_null (heading);
          heading = g_strdup (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (window)));
          gtk_window_destroy (GTK_WINDOW (window));
        }
    }
  lk_ui_test_flush ();

  return heading;
}

G_END_DECLS
