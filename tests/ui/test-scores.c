/* test-scores.c — a study's scores on its overview and in the experimenter's window: a study
 * without trials says so; one answered by `likeness-cli answer --trials` shows, for every task
 * kind and metric, the figures `likeness-cli score --json` prints, and the per-cluster intruder
 * accuracy as bars. While a session runs on the study, trials answered change the figures and
 * the answers per participant, a burst of them giving one computation. The likeness-cli to run
 * is the first argument.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <json-glib/json-glib.h>

#include "lk-charts-private.h"
#include "lk-experimenter-window-private.h"
#include "lk-locale.h"
#include "lk-scores-view-private.h"
#include "lk-scores.h"
#include "lk-study-overview-private.h"
#include "lk-study-run.h"
#include "lk-study-test.h"
#include "lk-ui-test.h"
#include "lk-window-private.h"

static const char *cli;

/* Runs likeness-cli with @... (NULL-terminated); returns its standard output. */
static char *
run_cli (const char *first,
         ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  char *out = NULL;
  const char *arg;
  int status;
  va_list ap;

  g_ptr_array_add (argv, (gpointer) cli);
  va_start (ap, first);
  for (arg = first; arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (ap);
  g_ptr_array_add (argv, NULL);
  g_assert_true (g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                               &out, &err, &status, &error));
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("likeness-cli %s failed: %s", first, err);

  return out;
}

static gboolean
overview_loaded (gpointer overview)
{
  return !lk_study_overview_is_loading (overview);
}

static gboolean
scores_loaded (gpointer view)
{
  return !lk_scores_view_is_loading (view);
}

/* The headline figure of @kind for @metric in `score --json` output, as the test expects it
 * shown: "E (L–U)" with three decimals, E alone without an interval; NULL without the metric. */
static char *
expected_figure (JsonObject *scores,
                 const char *kind,
                 const char *metric)
{
  JsonObject *metrics = json_object_get_object_member (json_object_get_object_member (scores,
                                                                                      kind),
                                                       "metrics");
  const char *name = g_str_equal (kind, "triplet") ? "precision" : "accuracy";
  g_autofree char *ci = g_strconcat (name, "_ci", NULL);
  JsonObject *m;
  JsonArray *a;

  if (!json_object_has_member (metrics, metric))
    return NULL;
  m = json_object_get_object_member (metrics, metric);
  if (g_str_equal (kind, "match"))
    return g_strdup_printf ("%.3f", json_object_get_double_member (
                              json_object_get_object_member (m, "recall_at_k"), "10"));
  a = json_object_get_array_member (m, ci);

  return g_strdup_printf ("%.3f (%.3f–%.3f)", json_object_get_double_member (m, name),
                          json_array_get_double_element (a, 0),
                          json_array_get_double_element (a, 1));
}

static void
test_scores (void)
{
  static const char *const kinds[] = { "triplet", "choice5", "match", "intruder" };
  static const char *const metrics[] = { "learned", "colour", "hog" };
  g_autofree char *dir = study_test_tmpdir ();
  g_autofree char *images = g_build_filename (dir, "images", NULL);
  g_autofree char *empty_images = g_build_filename (dir, "empty-images", NULL);
  g_autofree char *path = g_build_filename (dir, "study.likeness", NULL);
  g_autofree char *empty = g_build_filename (dir, "empty.likeness", NULL);
  g_autofree char *answered = NULL;
  g_autofree char *json = NULL;
  g_autoptr(GFile) empty_file = g_file_new_for_path (empty);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  LkExperimenterWindow *experimenter;
  LkWindow *window;
  LkStudyOverview *overview;
  JsonObject *scores;
  JsonArray *clusters;
  const char *row;
  guint figures = 0;

  g_assert_cmpint (g_mkdir (images, 0700), ==, 0);
  g_assert_cmpint (g_mkdir (empty_images, 0700), ==, 0);
  study_test_create (empty, empty_images, 24);
  /* Made by the command line, which computes the colour and HOG descriptors as it imports. */
  study_test_make_images (images, 24);
  g_free (run_cli ("create", path, "--images", images, "--nq", "8", "--nc", "3", "--budget", "12",
                   "--phases", "3", "--seed", "5", NULL));
  answered = run_cli ("answer", path, "--trials", "triplet:6,choice5:4,match:4,intruder:4", NULL);
  json = run_cli ("score", path, "--json", NULL);
  g_assert_true (json_parser_load_from_data (parser, json, -1, &error));
  g_assert_no_error (error);
  scores = json_node_get_object (json_parser_get_root (parser));
  for (guint k = 0; k < G_N_ELEMENTS (kinds); k++)
    g_assert_true (json_object_has_member (scores, kinds[k]));

  /* A study without trials says so. */
  window = lk_window_new (NULL);
  gtk_window_set_default_size (GTK_WINDOW (window), 1024, 600);
  gtk_window_present (GTK_WINDOW (window));
  lk_ui_test_wait_mapped (GTK_WIDGET (window));
  lk_window_open_study (window, empty_file);
  overview = lk_window_get_overview (window);
  lk_ui_test_wait_for (overview_loaded, overview);
  g_assert_cmpstr (lk_study_overview_get_row_text (overview, "scores"), ==, "No trials yet");
  gtk_window_destroy (GTK_WINDOW (window));
  lk_ui_test_flush ();

  /* The overview of the answered study: every kind's line with each metric's figure. */
  window = lk_window_new (NULL);
  gtk_window_set_default_size (GTK_WINDOW (window), 1024, 600);
  gtk_window_present (GTK_WINDOW (window));
  lk_ui_test_wait_mapped (GTK_WIDGET (window));
  lk_window_open_study (window, file);
  overview = lk_window_get_overview (window);
  lk_ui_test_wait_for (overview_loaded, overview);
  row = lk_study_overview_get_row_text (overview, "scores");
  g_test_message ("scores row: %s", row);
  g_assert_nonnull (strstr (row, "Triplets, precision: learned "));
  g_assert_nonnull (strstr (row, "\nForced choice, accuracy: learned "));
  g_assert_nonnull (strstr (row, "\nFind the match, recall@10: learned "));
  g_assert_nonnull (strstr (row, "\nOdd one out, accuracy: learned "));
  for (guint k = 0; k < G_N_ELEMENTS (kinds); k++)
    for (guint m = 0; m < G_N_ELEMENTS (metrics); m++)
      {
        g_autofree char *figure = expected_figure (scores, kinds[k], metrics[m]);
        g_autofree char *shown = NULL;

        if (figure == NULL)
          continue;
        shown = g_strdup_printf ("%s %s", m == 0 ? "learned" : m == 1 ? "colour" : "HOG",
                                 figure);
        if (strstr (row, shown) == NULL)
          g_error ("the overview's scores lack '%s': %s", shown, row);
        figures++;
      }
  /* Every metric of every kind: the study has a phase and both descriptors. */
  g_assert_cmpuint (figures, ==, G_N_ELEMENTS (kinds) * G_N_ELEMENTS (metrics));

  /* The experimenter's window: the same figures in its table, the clusters as bars. */
  experimenter = lk_experimenter_window_new_for_path (NULL, path, &error);
  g_assert_no_error (error);
  gtk_window_set_default_size (GTK_WINDOW (experimenter), 1024, 600);
  gtk_window_present (GTK_WINDOW (experimenter));
  lk_ui_test_wait_mapped (GTK_WIDGET (experimenter));
  lk_ui_test_wait_for (scores_loaded, experimenter->scores_view);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (experimenter->scores_view)));
  for (guint k = 0; k < G_N_ELEMENTS (kinds); k++)
    for (guint m = 0; m < G_N_ELEMENTS (metrics); m++)
      {
        g_autofree char *figure = expected_figure (scores, kinds[k], metrics[m]);

        g_assert_cmpstr (lk_scores_view_get_cell_text (experimenter->scores_view, kinds[k],
                                                       metrics[m]), ==,
                         figure != NULL ? figure : "not yet");
      }
  clusters = json_object_get_array_member (json_object_get_object_member (scores, "intruder"),
                                           "clusters");
  g_assert_cmpuint (json_array_get_length (clusters), >, 0);
  g_assert_cmpuint (lk_scores_view_get_n_bars (experimenter->scores_view), ==,
                    json_array_get_length (clusters));
  for (guint c = 0; c < json_array_get_length (clusters); c++)
    g_assert_cmpfloat (lk_scores_view_get_bar (experimenter->scores_view, c), ==,
                       json_object_get_double_member (json_array_get_object_element (clusters,
                                                                                     c),
                                                      "accuracy"));
  lk_ui_test_wait_painted (GTK_WIDGET (experimenter));

  gtk_window_destroy (GTK_WINDOW (experimenter));
  gtk_window_destroy (GTK_WINDOW (window));
  lk_ui_test_flush ();
  lk_test_rmdir (dir);
}

/* Returns @code's row in the progress view's answers per participant, or FALSE without one. */
static gboolean
progress_row (LkProgressView *view,
              const char     *code,
              guint          *n_answers)
{
  for (guint i = 0; i < lk_progress_view_get_n_rows (view); i++)
    if (g_str_equal (lk_progress_view_get_row (view, i, n_answers), code))
      return TRUE;

  return FALSE;
}

typedef struct {
  LkExperimenterWindow *window;
  const char           *code;
  LkTaskKind            kind;
  guint                 count;
} RowWait;

static gboolean
row_counted (gpointer data)
{
  RowWait *wait = data;
  guint n[LK_N_TASK_KINDS] = { 0 };

  return !lk_scores_view_is_loading (wait->window->scores_view)
         && progress_row (wait->window->progress_view, wait->code, n)
         && n[wait->kind] == wait->count;
}

/* Answers @n triplets through @source as participant @code, without running the main loop. */
static void
answer_triplets (LkGridSource *source,
                 const char   *code,
                 guint         n)
{
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(LkGrid) grid = lk_grid_source_next_trial (source, LK_TASK_TRIPLET, &error);
      g_autoptr(LkTrial) answered = NULL;
      LkTrialRecord record = { .participant = code, .block = 0, .shown_us = 1000 + i,
                               .submitted_us = 2000 + i };

      g_assert_no_error (error);
      answered = lk_trial_copy (lk_grid_get_trial (grid));
      answered->choice = LK_TRIPLET_ANSWER_A_CLOSER;
      record.trial = answered;
      g_assert_true (lk_grid_source_submit_trial (source, grid, &record, &error));
      g_assert_no_error (error);
    }
}

/* The experimenter's window following a session's run on a study file: the scores are those
 * of the file when it opens (match answers only), and trials answered in the session bring
 * the triplet row and the participant's stacked triplets in, a burst of answers giving one
 * computation and a later answer one more. */
static void
test_live (void)
{
  g_autofree char *dir = study_test_tmpdir ();
  g_autofree char *images = g_build_filename (dir, "images", NULL);
  g_autofree char *path = g_build_filename (dir, "study.likeness", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(LkStudy) study = NULL;
  g_autoptr(LkStudyRun) run = NULL;
  guint n[LK_N_TASK_KINDS] = { 0 };
  RowWait wait = { NULL, "P-LIVE", LK_TASK_TRIPLET, 5 };
  LkExperimenterWindow *experimenter;
  guint computed;

  g_assert_cmpint (g_mkdir (images, 0700), ==, 0);
  study_test_make_images (images, 24);
  g_free (run_cli ("create", path, "--images", images, "--nq", "8", "--nc", "3", "--budget", "12",
                   "--phases", "3", "--seed", "5", NULL));
  g_free (run_cli ("answer", path, "--participant", "P-CLI", "--trials", "match:3",
                   "--raters", "1", NULL));

  study = lk_study_open (path, &error);
  g_assert_no_error (error);
  run = lk_study_run_new (study, "test-station", &error);
  g_assert_no_error (error);
  experimenter = lk_experimenter_window_new ();
  wait.window = experimenter;
  gtk_window_set_default_size (GTK_WINDOW (experimenter), 1024, 600);
  gtk_window_present (GTK_WINDOW (experimenter));
  lk_ui_test_wait_mapped (GTK_WIDGET (experimenter));
  lk_experimenter_window_set_run (experimenter, LK_GRID_SOURCE (run), NULL);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (experimenter->scores_view)));
  lk_ui_test_wait_worker (lk_grid_source_get_worker (LK_GRID_SOURCE (run)));
  lk_ui_test_wait_for (scores_loaded, experimenter->scores_view);

  /* What the file holds: the match row, no triplets; the command line's participant with
   * their sorted grids and three match answers. */
  g_assert_nonnull (lk_scores_view_get_cell_text (experimenter->scores_view, "match", "learned"));
  g_assert_null (lk_scores_view_get_cell_text (experimenter->scores_view, "triplet", "learned"));
  g_assert_true (progress_row (experimenter->progress_view, "P-CLI", n));
  g_assert_cmpuint (n[LK_TASK_SORT], >=, 12);
  g_assert_cmpuint (n[LK_TASK_MATCH], ==, 3);
  g_assert_cmpuint (n[LK_TASK_TRIPLET], ==, 0);
  g_assert_false (progress_row (experimenter->progress_view, "P-LIVE", n));
  computed = lk_scores_view_get_n_computed (experimenter->scores_view);

  /* A burst of five answers: one computation, and the triplets are scored. */
  answer_triplets (LK_GRID_SOURCE (run), "P-LIVE", 5);
  lk_ui_test_wait_for (row_counted, &wait);
  g_assert_cmpuint (lk_scores_view_get_n_computed (experimenter->scores_view), ==, computed + 1);
  g_assert_nonnull (lk_scores_view_get_cell_text (experimenter->scores_view, "triplet",
                                                  "learned"));
  g_assert_cmpstr (lk_scores_view_get_cell_text (experimenter->scores_view, "triplet",
                                                 "learned"), !=, "not yet");
  g_assert_nonnull (lk_scores_view_get_cell_text (experimenter->scores_view, "match", "learned"));
  g_assert_true (progress_row (experimenter->progress_view, "P-LIVE", n));
  g_assert_cmpuint (n[LK_TASK_SORT], ==, 0);

  /* One more, later: one more computation. */
  answer_triplets (LK_GRID_SOURCE (run), "P-LIVE", 1);
  wait.count = 6;
  lk_ui_test_wait_for (row_counted, &wait);
  g_assert_cmpuint (lk_scores_view_get_n_computed (experimenter->scores_view), ==, computed + 2);
  lk_ui_test_wait_painted (GTK_WIDGET (experimenter));

  g_assert_true (lk_grid_source_end_session (LK_GRID_SOURCE (run), &error));
  g_assert_no_error (error);
  gtk_window_destroy (GTK_WINDOW (experimenter));
  lk_ui_test_flush ();
  g_clear_object (&run);
  g_clear_object (&study);
  lk_test_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  lk_locale_init ("C.UTF-8");
  if (!lk_ui_test_init (&argc, &argv))
    return 0;
  g_assert_cmpint (argc, >=, 2);
  cli = argv[1];
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

  g_test_add_func ("/lk/ui/scores/overview-and-experimenter", test_scores);
  g_test_add_func ("/lk/ui/scores/live", test_live);

  return g_test_run ();
}
