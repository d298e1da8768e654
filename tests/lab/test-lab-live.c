/* test-lab-live.c — the experimenter's live view on a lab study, under Xvfb against a real
 * PostgreSQL server (run inside pg-cluster.sh): stations answering through likeness-cli show
 * up on the Stations page with their answers as they arrive, and the views take the phases
 * the refiner stores
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "lab-test-utils.h"
#include "lk-experimenter-window-private.h"
#include "lk-lab-stations-view.h"
#include "lk-ui-test.h"
#include "tests/cli/cli-test-utils.h"

typedef struct {
  LkExperimenterWindow *window;
  guint                 answers;
  guint                 stations;
  guint                 phases;
} Expect;

static LkLabStationsView *
stations_view (LkExperimenterWindow *window)
{
  GtkWidget *view = lk_experimenter_window_get_lab_view (window);

  g_assert_nonnull (view);
  return LK_LAB_STATIONS_VIEW (view);
}

static gboolean
shows (gpointer data)
{
  Expect *e = data;
  LkLabStationsView *view = stations_view (e->window);
  LkRefineWorker *worker = lk_experimenter_window_get_worker (e->window);

  return lk_lab_stations_view_get_n_answers (view) == e->answers &&
         lk_lab_stations_view_get_n_stations (view) == e->stations &&
         worker != NULL && !lk_experimenter_window_is_replaying (e->window) &&
         lk_refine_worker_get_snapshots (worker)->len >= MAX (e->phases, 1);
}

/* Whether a label under @widget contains @text. */
static gboolean
has_label (GtkWidget  *widget,
           const char *text)
{
  if (GTK_IS_LABEL (widget) && strstr (gtk_label_get_label (GTK_LABEL (widget)), text) != NULL)
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (has_label (child, text))
      return TRUE;
  return FALSE;
}

static gboolean
tick_cb (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

/* Spins the main loop until the view shows @e, failing after 60 s (a phase is refined and
 * pulled meanwhile, on a machine shared with other tests). */
static void
wait_shows (Expect *e)
{
  gint64 end = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  guint id = g_timeout_add (20, tick_cb, NULL);

  while (!shows (e))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, end);
      g_main_context_iteration (NULL, TRUE);
    }
  g_source_remove (id);
  lk_ui_test_flush ();
}

/* Runs a likeness-cli station; returns the answers it saved. */
static guint
answer (const char *uri,
        const char *station,
        const char *participant,
        const char *count)
{
  g_auto(CliRun) r = { 0 };
  g_auto(GStrv) lines = NULL;
  guint saved = 0;

  if (count != NULL)
    cli_run (&r, "answer", uri, "--station", station, "--participant", participant,
             "--count", count, NULL);
  else
    cli_run (&r, "answer", uri, "--station", station, "--participant", participant, NULL);
  g_assert_cmpint (r.status, ==, 0);
  lines = g_strsplit (r.out, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    saved += g_str_has_prefix (lines[i], "saved ");
  return saved;
}

static void
test_live_view (void)
{
  g_autofree char *conninfo = lab_test_study ("live");
  const char *uri = "postgresql:///live";
  LkExperimenterWindow *window = lk_experimenter_window_new ();
  Expect e = { window, 0, 0, 0 };

  gtk_window_set_default_size (GTK_WINDOW (window), 1024, 600);
  lk_experimenter_window_show_lab (window, uri);
  gtk_window_present (GTK_WINDOW (window));
  lk_ui_test_wait_mapped (GTK_WIDGET (window));
  /* Phase 0's embedding from the pulled copy; no station, no answer yet. */
  wait_shows (&e);
  g_assert_true (has_label (GTK_WIDGET (stations_view (window)), "No answers yet"));

  /* A station answers two grids: both come, with the station. */
  g_assert_cmpuint (answer (uri, "s1", "P1", "2"), ==, 2);
  e.answers = 2;
  e.stations = 1;
  wait_shows (&e);
  g_assert_true (has_label (GTK_WIDGET (stations_view (window)), "s1 on "));
  g_assert_true (has_label (GTK_WIDGET (stations_view (window)), "at s1"));

  /* A second station answers the rest and refines: every phase stored; the views show them. */
  e.answers = 2 + answer (uri, "s2", "P2", NULL);
  e.stations = 2;
  e.phases = (guint) lab_test_count ("live", "SELECT count(*) FROM phase");
  g_assert_cmpuint (e.answers, ==, lab_test_count ("live", "SELECT count(*) FROM answer"));
  g_assert_cmpuint (e.phases, >, 0);
  wait_shows (&e);
  {
    g_autofree char *done = g_strdup_printf ("phases done: %u", e.phases);

    g_assert_true (has_label (GTK_WIDGET (stations_view (window)), done));
  }

  gtk_window_destroy (GTK_WINDOW (window));
  lk_ui_test_flush ();
}

/* A URI with a password is refused in a toast, and nothing is followed. */
static void
test_refused (void)
{
  LkExperimenterWindow *window = lk_experimenter_window_new ();

  lk_experimenter_window_show_lab (window, "postgresql://u:secret@/live");
  g_assert_null (lk_experimenter_window_get_lab_view (window));
  gtk_window_destroy (GTK_WINDOW (window));
  lk_ui_test_flush ();
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *dir = NULL;
  const char *parent = g_getenv ("TMPDIR") != NULL ? g_getenv ("TMPDIR") : "/tmp";
  g_autofree char *tmp = g_build_filename (parent, "lk-lab-live-tmp-XXXXXX", NULL);
  int status;

  /* Everything temporary (the study, the live view's pulled copies) goes into a folder of the
   * test's own, set before GLib first reads TMPDIR, so that the test can tell that the view
   * removed its copies. */
  g_assert_nonnull (g_mkdtemp (tmp));
  g_setenv ("TMPDIR", tmp, TRUE);
  if (!lk_ui_test_init (&argc, &argv))
    {
      g_rmdir (tmp);
      return 0;
    }
  g_assert_cmpstr (g_get_tmp_dir (), ==, tmp);

  dir = lab_test_make_study ("lk-lab-live-XXXXXX");
  g_test_add_func ("/lab/live/view", test_live_view);
  g_test_add_func ("/lab/live/refused", test_refused);
  status = g_test_run ();
  lab_test_remove_study (dir);

  /* The live view's copies went with its window. */
  g_assert_cmpint (g_rmdir (tmp), ==, 0);

  return status;
}
