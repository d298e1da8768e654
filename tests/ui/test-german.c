/* test-german.c — the app in German, from the build tree's po/de/LC_MESSAGES/likeness.mo: the
 * start page's templates, the sorting page's progress from C code, and a plural
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <locale.h>
#include <glib/gi18n.h>

#include "lk-locale.h"
#include "lk-start-page.h"
#include "lk-ui-test.h"
#include "lk-window-private.h"
#include "lk-session-view-private.h"
#include "lk-sort-page-private.h"

/* Returns whether @widget or a widget inside it shows @text, as a label or a row's or group's
 * title. */
static gboolean
shows_text (GtkWidget  *widget,
            const char *text)
{
  const char *shown = NULL;

  if (GTK_IS_LABEL (widget))
    shown = gtk_label_get_label (GTK_LABEL (widget));
  else if (ADW_IS_PREFERENCES_ROW (widget))
    shown = adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget));
  else if (ADW_IS_PREFERENCES_GROUP (widget))
    shown = adw_preferences_group_get_title (ADW_PREFERENCES_GROUP (widget));
  if (g_strcmp0 (shown, text) == 0)
    return TRUE;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (shows_text (child, text))
      return TRUE;

  return FALSE;
}

static void
test_start_page (void)
{
  GtkWidget *page = g_object_ref_sink (lk_start_page_new ());

  g_assert_true (shows_text (page, "Demo-Studien"));
  g_assert_true (shows_text (page, "Teilnehmende sortieren kleine Raster von Bildern in Fächer "
                                   "mit ähnlichen Bildern."));
  g_assert_true (shows_text (page, "Eine Studie öffnen …"));
  g_assert_false (shows_text (page, "Demo Studies"));

  g_assert_finalize_object (page);
}

static void
test_session (void)
{
  LkWindow *window = lk_window_new (NULL);
  LkSessionView *view = lk_window_get_session_view (window);
  g_autoptr(GError) error = NULL;

  gtk_window_present (GTK_WINDOW (window));
  lk_ui_test_wait_mapped (GTK_WIDGET (window));
  g_assert_true (lk_window_start_demo (window, "letters", "P-TEST3", FALSE, &error));
  g_assert_no_error (error);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "session.accept", NULL));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "session.begin", NULL));
  g_assert_cmpstr (lk_sort_page_get_progress_text (lk_session_view_get_sort_page (view)), ==,
                   "Übungsraster 1 von 1");

  lk_window_end_session (window);
  gtk_window_destroy (GTK_WINDOW (window));
  lk_ui_test_flush ();
}

static void
test_plural (void)
{
  g_autofree char *one = g_strdup_printf (ngettext ("%u image", "%u images", 1), 1);
  g_autofree char *many = g_strdup_printf (ngettext ("%u image", "%u images", 7), 7);

  g_assert_cmpstr (one, ==, "1 Bild");
  g_assert_cmpstr (many, ==, "7 Bilder");
}

int
main (int   argc,
      char *argv[])
{
  const char *locale = "de_DE.UTF-8";

  /* The build's catalogue, never an installed one. */
  g_setenv ("LIKENESS_LOCALEDIR", LK_BUILD_LOCALEDIR, TRUE);
  g_setenv ("LANGUAGE", "de", TRUE);
  if (!lk_ui_test_init (&argc, &argv))
    return 0;
  /* install-deps.sh generates de_DE.UTF-8; without it, C.UTF-8 with LANGUAGE=de still selects
   * the German catalogue. */
  if (setlocale (LC_ALL, locale) == NULL)
    locale = "C.UTF-8";
  lk_locale_init (locale);
  g_test_message ("locale %s, catalogue in %s", locale, LK_BUILD_LOCALEDIR);

  g_test_add_func ("/lk/ui/german/start-page", test_start_page);
  g_test_add_func ("/lk/ui/german/session", test_session);
  g_test_add_func ("/lk/ui/german/plural", test_plural);

  return g_test_run ();
}
