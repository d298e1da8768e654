/* test-lab-app.c — the app as a lab station, against a real PostgreSQL server (run inside
 * pg-cluster.sh) under Xvfb: a pushed study opened from its URI (as `likeness URI` does), its
 * overview, then a participant who answers three grids with the keyboard (xdotool at the
 * window): their answers are in the database with the station's name; then the server is
 * stopped, the participant answers two more (the second drawn on the spot), kept in the
 * station's journal, and when the server is back the station reconnects by itself and
 * flushes them, once each, leaving the journal empty. "Connect to a Lab Study…" says in plain words why a URI fails: a
 * password in it, a database that holds no lab study, a server that cannot be reached.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "tests/cli/cli-test-utils.h"
#include "lab-test-utils.h"
#include "lk-keys-test.h"
#include "lk-lab-run.h"
#include "lk-session-view-private.h"
#include "lk-sort-page-private.h"
#include "lk-start-page.h"
#include "lk-study-overview-private.h"
#include "lk-window-private.h"
#include "tests/lk-test-utils.h"

static char *state_dir;

/* Returns TRUE if a label under @widget shows text containing @text. */
static gboolean
shows_text (GtkWidget  *widget,
            const char *text)
{
  if (GTK_IS_LABEL (widget) && strstr (gtk_label_get_label (GTK_LABEL (widget)), text) != NULL)
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (shows_text (child, text))
      return TRUE;

  return FALSE;
}

static gboolean
dialog_shown (gpointer data)
{
  return lk_ui_test_find_dialog () != NULL;
}

static gboolean
prepared (gpointer window)
{
  return !lk_window_is_preparing (window);
}

static GtkWidget *
find_entry (GtkWidget *widget)
{
  if (GTK_IS_ENTRY (widget))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *entry = find_entry (child);

      if (entry != NULL)
        return entry;
    }

  return NULL;
}

static char *
uri_for (const char *db)
{
  return g_strdup_printf ("postgresql:///%s?host=%s&port=%s", db, g_getenv ("PGHOST"),
                          g_getenv ("PGPORT"));
}

/* Connects through the start page's dialog to @uri, and checks that the dialog comes back
 * saying @plain (then closes it), the window still on its start page. */
static void
assert_connect_fails (LkWindow   *window,
                      const char *uri,
                      const char *plain)
{
  AdwMessageDialog *dialog;
  GtkWidget *entry;

  g_signal_emit_by_name (lk_window_get_start_page (window), "connect-lab");
  dialog = lk_ui_test_find_dialog ();
  g_assert_nonnull (dialog);
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Connect to a Lab Study");
  entry = find_entry (adw_message_dialog_get_extra_child (dialog));
  g_assert_nonnull (entry);
  gtk_editable_set_text (GTK_EDITABLE (entry), uri);
  g_object_ref (dialog);
  adw_message_dialog_response (dialog, "connect");
  gtk_window_destroy (GTK_WINDOW (dialog));
  g_object_unref (dialog);
  lk_ui_test_wait_for (prepared, window);
  lk_ui_test_wait_for (dialog_shown, NULL);
  dialog = lk_ui_test_find_dialog ();
  g_assert_true (shows_text (adw_message_dialog_get_extra_child (dialog), plain));
  gtk_window_destroy (GTK_WINDOW (dialog));
  lk_ui_test_flush ();
  g_assert_cmpstr (lk_window_get_visible_page (window), ==, "start");
}

static void
test_connect_errors (void)
{
  LkWindow *window = lk_window_new (NULL);
  g_autofree char *empty = uri_for ("postgres");
  g_autofree char *password = g_strdup_printf ("postgresql://postgres:secret@/gui?host=%s",
                                               g_getenv ("PGHOST"));

  gtk_window_present (GTK_WINDOW (window));
  lk_ui_test_wait_mapped (GTK_WIDGET (window));

  assert_connect_fails (window, password, "never takes");
  assert_connect_fails (window, empty, "not a Likeness lab database");
  assert_connect_fails (window, "postgresql:///gui?host=/nonexistent-lk-socket&port=1",
                        "could not be reached");

  gtk_window_destroy (GTK_WINDOW (window));
  lk_ui_test_flush ();
}

static guint64
station_answers (const char *station)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM answer a JOIN participant p "
                                          "ON p.id = a.participant WHERE a.station = '%s' AND "
                                          "a.source = 'lab:%s' AND p.code = 'P-GUI'", station,
                                          station);

  return lab_test_count ("gui", sql);
}

/* Answers grids with the keyboard until @done (@data) holds, passing the pages between
 * grids with their actions; returns the grids submitted. */
static guint
answer_grids (LkWindow    *window,
              LkKeysTest  *keys,
              guint        at_most,
              gboolean   (*done) (gpointer data),
              gpointer     data)
{
  LkSessionView *view = lk_window_get_session_view (window);
  guint steps = 0, submitted = 0;

  while (!done (data))
    {
      const char *page = lk_session_view_get_page (view);

      g_assert_cmpuint (steps++, <, 40);
      g_assert_cmpuint (submitted, <=, at_most);
      if (g_str_equal (page, "consent"))
        g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "session.accept", NULL));
      else if (g_str_equal (page, "instructions") || g_str_equal (page, "practice-done"))
        g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "session.begin", NULL));
      else if (g_str_equal (page, "break"))
        g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "session.resume", NULL));
      else if (g_str_equal (page, "sort"))
        {
          LkSortPage *sort = lk_session_view_get_sort_page (view);
          guint n = lk_sort_model_get_n_items (lk_sort_page_get_model (sort));
          guint nc = lk_sort_model_get_nc (lk_sort_page_get_model (sort));
          g_autoptr(GString) names = g_string_new (NULL);

          lk_ui_test_wait_painted (GTK_WIDGET (sort));
          /* Each digit files the focused image and moves on to the next; Enter submits. */
          for (guint i = 0; i < n; i++)
            g_string_append_printf (names, "%u ", 1 + i % nc);
          g_string_append (names, "Return");
          if (!lk_session_is_practice (lk_session_view_get_session (view)))
            submitted++;
          lk_keys_test_type (keys, GTK_WINDOW (window), names->str);
        }
      else
        g_error ("unexpected page %s", page);
      lk_ui_test_flush ();
    }

  return submitted;
}

static gboolean
station_answers_3 (gpointer station)
{
  return station_answers (station) >= 3;
}

typedef struct {
  LkLabRun *run;
  guint     length;
} JournalWait;

static gboolean
journal_has (gpointer data)
{
  JournalWait *wait = data;

  return lk_lab_run_get_journal_length (wait->run) >= wait->length;
}

static gboolean
journal_empty (gpointer run)
{
  return lk_lab_run_get_journal_length (run) == 0;
}

/* Spins the main loop until @done (@data), failing after @seconds. */
static void
wait_long (gboolean (*done) (gpointer data),
           gpointer   data,
           guint      seconds)
{
  gint64 end = g_get_monotonic_time () + seconds * G_USEC_PER_SEC;
  guint id = g_timeout_add (20, lk_ui_test_timeout_cb, NULL);

  while (!done (data))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, end);
      g_main_context_iteration (NULL, TRUE);
    }
  g_source_remove (id);
}

static void
test_journey (void)
{
  g_autofree char *uri = uri_for ("gui");
  g_autofree char *station = lk_lab_station_name ();
  g_autoptr(GFile) file = g_file_new_for_uri (uri);
  LkWindow *window = lk_window_new (NULL);
  LkSessionView *view;
  LkStudy *study;
  LkKeysTest keys;
  LkLabRun *run;
  guint64 before = lab_test_count ("gui", "SELECT count(*) FROM answer");

  gtk_window_present (GTK_WINDOW (window));
  lk_ui_test_wait_mapped (GTK_WIDGET (window));
  lk_keys_test_init (&keys, GTK_WINDOW (window));

  /* As `likeness URI`: the overview of the lab study. */
  lk_window_open_study (window, file);
  lk_ui_test_wait_for (prepared, window);
  g_assert_null (lk_ui_test_find_dialog ());
  g_assert_cmpstr (lk_window_get_visible_page (window), ==, "overview");
  study = lk_study_overview_get_study (lk_window_get_overview (window));
  g_assert_nonnull (study);
  g_assert_cmpstr (lk_lab_study_get_uri (study), ==, uri);
  /* The settings are the database's: the overview's copy is not edited, and says where they
   * are changed instead. */
  {
    GtkWidget *edit = lk_study_overview_get_button (lk_window_get_overview (window),
                                                    "edit-settings");

    g_assert_false (gtk_widget_is_sensitive (edit));
    g_assert_nonnull (strstr (gtk_widget_get_tooltip_text (edit), "likeness-cli settings URI"));
  }
  /* The study asks for group names, which a station cannot keep: the overview says that its
   * sessions sort without them, and where the setting is turned off. */
  {
    const char *sorting = lk_study_overview_get_row_text (lk_window_get_overview (window),
                                                          "sorting");

    g_assert_nonnull (strstr (sorting, "not at lab stations"));
    g_assert_nonnull (strstr (sorting, "likeness-cli settings URI --set group-names=false"));
  }
  /* The lab study's own counts, from the database. */
  {
    g_autofree char *summary = g_strdup_printf ("Connected to the lab study: %" G_GUINT64_FORMAT
                                                " answers, ", before);

    g_assert_true (g_str_has_prefix (lk_lab_study_get_summary (study), summary));
  }

  lk_window_start_study (window, study, "P-GUI", FALSE);
  lk_ui_test_wait_for (prepared, window);
  g_assert_null (lk_ui_test_find_dialog ());
  view = lk_window_get_session_view (window);
  g_assert_nonnull (lk_session_view_get_session (view));

  answer_grids (window, &keys, 3, station_answers_3, station);

  g_assert_cmpuint (station_answers (station), ==, 3);
  g_assert_cmpuint (lab_test_count ("gui", "SELECT count(*) FROM answer"), ==, before + 3);
  g_assert_cmpuint (lab_test_count ("gui", "SELECT count(DISTINCT client_uuid) FROM answer"),
                    ==, before + 3);
  g_assert_cmpuint (lab_test_count ("gui", "SELECT count(*) FROM answer_move"), >=, 18);
  g_assert_cmpuint (lab_test_count ("gui", "SELECT count(*) FROM station WHERE name = "
                                    "(SELECT station FROM answer LIMIT 1)"), ==, 1);

  /* The server goes away: the participant goes on (the grid on screen, then one drawn on the
   * spot), the answers kept in the station's journal. */
  run = LK_LAB_RUN (lk_session_get_run (lk_session_view_get_session (view)));
  g_assert_true (lk_lab_run_is_online (run));
  lab_test_server_stop ();
  {
    JournalWait wait = { run, 2 };

    g_assert_cmpuint (answer_grids (window, &keys, 2, journal_has, &wait), ==, 2);
  }
  g_assert_false (lk_lab_run_is_online (run));
  g_assert_cmpuint (lk_lab_run_get_journal_length (run), ==, 2);
  g_assert_cmpstr (lk_session_view_get_page (view), ==, "sort");

  /* Back: the station reconnects by itself and flushes the journal, each answer once. */
  lab_test_server_start ();
  wait_long (journal_empty, run, 3 * LK_LAB_RUN_POLL_SECONDS + 30);
  g_assert_true (lk_lab_run_is_online (run));
  g_assert_cmpuint (station_answers (station), ==, 5);
  g_assert_cmpuint (lab_test_count ("gui", "SELECT count(*) FROM answer"), ==, before + 5);
  g_assert_cmpuint (lab_test_count ("gui", "SELECT count(DISTINCT client_uuid) FROM answer"),
                    ==, before + 5);
  g_assert_cmpuint (lab_test_count ("gui", "SELECT count(*) FROM query WHERE policy = 'spot' "
                                    "AND station = (SELECT station FROM answer LIMIT 1)"), ==, 1);

  lk_window_end_session (window);
  gtk_window_destroy (GTK_WINDOW (window));
  lk_ui_test_flush ();

  /* Every answer confirmed: the journal is empty. */
  {
    g_autofree char *journal = g_build_filename (state_dir, "likeness", "journal", NULL);
    g_autofree char *name = g_strconcat (station, ".jsonl", NULL);
    g_autofree char *path = g_build_filename (journal, name, NULL);
    g_autofree char *text = NULL;

    g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
    g_assert_cmpstr (text, ==, "");
  }
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *dir = NULL;
  g_autofree char *conninfo = NULL;
  int status;

  /* The station's journal goes under the state folder: a private one, removed at the end. */
  state_dir = lk_test_tmpdir ("lk-lab-app-state-XXXXXX");
  g_setenv ("XDG_STATE_HOME", state_dir, TRUE);
  if (!lk_ui_test_init (&argc, &argv))
    {
      lk_test_rmdir (state_dir);
      return 77;
    }
  if (!lk_keys_test_available ())
    {
      g_print ("1..0 # SKIP no xdotool or no X11 display\n");
      lk_test_rmdir (state_dir);
      return 77;
    }

  dir = lab_test_make_study ("lk-lab-app-XXXXXX");
  {
    g_auto(CliRun) r = { 0 };

    cli_run (&r, "settings", lab_test_study_path, "--set", "group-names=true", NULL);
    g_assert_cmpint (r.status, ==, 0);
  }
  conninfo = lab_test_study ("gui");

  g_test_add_func ("/lab/app/connect-errors", test_connect_errors);
  g_test_add_func ("/lab/app/journey", test_journey);
  status = g_test_run ();

  lab_test_remove_study (dir);
  lk_test_rmdir (state_dir);
  g_free (state_dir);
  return status;
}
