/* lk-trial-task-test.h — a session of one task other than sorting, on the colours demo with
 * answers in memory, in a window of a small laptop's 1024x600, answered with real key presses
 * and real pointer clicks (xdotool at the test's own window, under its Xvfb)
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "lk-demo-collection.h"
#include "lk-keys-test.h"
#include "lk-session-view-test.h"
#include "lk-trial-page-common.h"

typedef struct {
  SessionViewTest s;
  LkKeysTest      keys;
} TrialTest;

/* Starts a session of @plan (no consent, no breaks) in a 1024x600 window, on its
 * instructions; an intruder's groups are the demo's own. */
static inline void
trial_test_show (TrialTest  *test,
                 const char *plan)
{
  g_autoptr(GError) error = NULL;
  g_autofree guint *labels = NULL;
  LkSessionSetup setup;
  LkPlan parsed;
  guint n_labels;

  session_test_setup (&setup);
  setup.consent = NULL;
  setup.break_every = 0;
  g_assert_true (lk_plan_parse (plan, &parsed, &error));
  g_assert_no_error (error);

  test->s.source = lk_demo_collection_new ("colours", &error);
  g_assert_no_error (error);
  test->s.run = lk_memory_run_new (lk_image_source_get_n_items (LK_IMAGE_SOURCE (test->s.source)),
                                   &setup.params, lk_method_paper, NULL, &error);
  g_assert_no_error (error);
  labels = lk_demo_collection_dup_labels (test->s.source, &n_labels);
  lk_memory_run_set_labels (test->s.run, labels, n_labels);
  test->s.session = lk_session_new (LK_IMAGE_SOURCE (test->s.source), &setup, "P-TASK", FALSE,
                                    LK_GRID_SOURCE (test->s.run), &error);
  g_assert_no_error (error);
  g_assert_true (lk_session_set_plan (test->s.session, &parsed, &error));
  g_assert_no_error (error);

  test->s.view = LK_SESSION_VIEW (lk_session_view_new ());
  lk_session_view_set_session (test->s.view, test->s.session);
  test->s.window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (test->s.window, 1024, 600);
  gtk_window_set_child (test->s.window, GTK_WIDGET (test->s.view));
  gtk_window_present (test->s.window);
  lk_ui_test_wait_mapped (GTK_WIDGET (test->s.view));
  lk_keys_test_init (&test->keys, test->s.window);
}

static inline void
trial_test_free (TrialTest *test)
{
  session_view_test_free (&test->s);
}

/* Fails unless the session view fits 1024x600: what it needs at least is no more. */
static inline void
trial_test_assert_fits (TrialTest *test)
{
  int min_width, min_height;

  gtk_widget_measure (GTK_WIDGET (test->s.view), GTK_ORIENTATION_HORIZONTAL, -1, &min_width,
                      NULL, NULL, NULL);
  gtk_widget_measure (GTK_WIDGET (test->s.view), GTK_ORIENTATION_VERTICAL, 1024, &min_height,
                      NULL, NULL, NULL);
  g_assert_cmpint (min_width, <=, 1024);
  g_assert_cmpint (min_height, <=, 600);
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (test->s.window)), <=, 1024);
  g_assert_cmpint (gtk_widget_get_height (GTK_WIDGET (test->s.window)), <=, 600);
}

static gboolean
trial_test_stack_settled (gpointer data)
{
  TrialTest *test = data;
  GtkWidget *stack = gtk_widget_get_first_child (GTK_WIDGET (test->s.view));

  return GTK_IS_STACK (stack) && !gtk_stack_get_transition_running (GTK_STACK (stack));
}

/* Waits until the page @name is shown, its crossfade over, and a frame painted. */
static inline void
trial_test_wait_page (TrialTest  *test,
                      const char *name)
{
  lk_ui_test_flush ();
  g_assert_cmpstr (lk_session_view_get_page (test->s.view), ==, name);
  lk_ui_test_wait_for (trial_test_stack_settled, test);
  lk_ui_test_wait_painted (GTK_WIDGET (test->s.view));
}

/* Types @names (xdotool key names) at the window. */
static inline void
trial_test_keys (TrialTest  *test,
                 const char *names)
{
  lk_keys_test_type (&test->keys, test->s.window, names);
}

typedef struct {
  TrialTest *test;
  guint      n_before;
} TrialCount;

static gboolean
trial_test_answered (gpointer data)
{
  TrialCount *count = data;

  return lk_session_get_state (count->test->s.session) != LK_SESSION_SORTING
         || lk_memory_run_get_n_trials (count->test->s.run) > count->n_before;
}

/* Clicks the middle of @widget with the real pointer (button 1), and waits until the trial
 * shown is answered (or the session left the trial), failing after 20 s. */
static inline void
trial_test_click (TrialTest *test,
                  GtkWidget *widget)
{
  GdkSurface *surface = gtk_native_get_surface (GTK_NATIVE (test->s.window));
  g_autofree char *xid = g_strdup_printf ("%lu", gdk_x11_surface_get_xid (surface));
  graphene_point_t centre, at;
  double sx, sy;
  g_autofree char *x = NULL, *y = NULL;
  int px, py;
  g_autoptr(GError) error = NULL;
  TrialCount count = { test, lk_memory_run_get_n_trials (test->s.run) };
  int status;

  g_assert_true (gtk_widget_get_mapped (widget));
  g_assert_true (gtk_widget_is_sensitive (widget));
  centre = GRAPHENE_POINT_INIT (gtk_widget_get_width (widget) / 2.f,
                                gtk_widget_get_height (widget) / 2.f);
  g_assert_true (gtk_widget_compute_point (widget, GTK_WIDGET (test->s.window), &centre, &at));
  gtk_native_get_surface_transform (GTK_NATIVE (test->s.window), &sx, &sy);
  px = (int) (at.x + sx);
  py = (int) (at.y + sy);
  /* Inside the window: a click at 1024x600 must never land outside it. */
  g_assert_cmpint (px, >=, 0);
  g_assert_cmpint (px, <, gdk_surface_get_width (surface));
  g_assert_cmpint (py, >=, 0);
  g_assert_cmpint (py, <, gdk_surface_get_height (surface));
  x = g_strdup_printf ("%d", px);
  y = g_strdup_printf ("%d", py);
  {
    const char *argv[] = { "xdotool", "windowfocus", "--sync", xid, "mousemove", "--sync",
                           "--window", xid, x, y, "click", "1", NULL };

    g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL,
                  &status, &error);
  }
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  lk_ui_test_wait_for (trial_test_answered, &count);
}

/* Returns the name of @item in the demo, as the pictures give it to screen readers. */
static inline char *
trial_test_title (TrialTest *test,
                  guint      item)
{
  return lk_image_source_dup_title (LK_IMAGE_SOURCE (test->s.source), item);
}

/* Fails unless @picture shows @item. */
static inline void
trial_test_assert_shows (TrialTest *test,
                         GtkWidget *picture,
                         guint      item)
{
  g_autofree char *title = trial_test_title (test, item);

  g_assert_true (GTK_IS_PICTURE (picture));
  g_assert_nonnull (gtk_picture_get_paintable (GTK_PICTURE (picture)));
  g_assert_cmpstr (gtk_picture_get_alternative_text (GTK_PICTURE (picture)), ==, title);
}

/* Returns the index-th trial stored, checking that it was answered in @block, after it was
 * shown. */
static inline const LkTrial *
trial_test_stored (TrialTest *test,
                   guint      index,
                   guint      block)
{
  guint stored_block;
  gint64 response_us;
  const LkTrial *trial;

  g_assert_cmpuint (lk_memory_run_get_n_trials (test->s.run), >, index);
  trial = lk_memory_run_get_trial (test->s.run, index, &stored_block, &response_us);
  g_assert_cmpuint (stored_block, ==, block);
  g_assert_cmpint (response_us, >=, 0);
  g_assert_true (lk_trial_validate (trial, NULL));

  return trial;
}
