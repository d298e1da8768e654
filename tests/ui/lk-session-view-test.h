/* lk-session-view-test.h — a session view shown in a window, following a session of
 * lk-session-test.h, for the UI tests
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "lk-session-test.h"
#include "lk-session-view-private.h"
#include "lk-ui-test.h"

typedef struct {
  LkDemoCollection *source;
  LkMemoryRun      *run;
  LkSession        *session;
  GtkWindow        *window;
  LkSessionView    *view;
} SessionViewTest;

/* Starts a session with @setup and shows its view in a new window, mapped. */
static inline void
session_view_test_show (SessionViewTest      *test,
                        const LkSessionSetup *setup,
                        const char           *participant)
{
  test->session = session_test_new (setup, participant, FALSE, &test->source, &test->run);
  test->view = LK_SESSION_VIEW (lk_session_view_new ());
  lk_session_view_set_session (test->view, test->session);
  test->window = lk_ui_test_show (GTK_WIDGET (test->view));
}

/* Destroys the window and checks that nothing else holds on to the session, its run or its
 * images. */
static inline void
session_view_test_free (SessionViewTest *test)
{
  gtk_window_destroy (test->window);
  lk_ui_test_flush ();
  session_test_free (test->session, test->run, test->source);
}

/* Activates @action ("session.accept", "session.begin"…) as its button would. */
static inline void
session_view_test_activate (SessionViewTest *test,
                            const char      *action)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (test->view), action, NULL));
  lk_ui_test_flush ();
}
