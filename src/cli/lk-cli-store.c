/* lk-cli-store.c — the study-file commands of likeness-cli: create, import, info, export,
 * import-answers, check, copy, and answer (also `simulate --study`)
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "lk-answers.h"
#include "lk-cli.h"
#include "lk-collection.h"
#include "lk-export.h"
#include "lk-image-features.h"
#include "lk-judgements.h"
#include "lk-neighbours.h"
#include "lk-store.h"

static int
usage_error (const char *command,
             const char *message)
{
  fprintf (stderr, "likeness-cli %s: %s\n", command, message);
  fprintf (stderr, "Run 'likeness-cli %s --help' for the options.\n", command);
  return LK_CLI_EXIT_USAGE;
}

static int
failure (const char   *command,
         const GError *error)
{
  fprintf (stderr, "likeness-cli %s: %s\n", command, error->message);
  return LK_CLI_EXIT_FAILURE;
}

/* Parses @argv with @entries plus @extra_entries and checks that exactly @n_args positional
 * arguments remain; returns a GOptionContext on success, NULL after printing a usage error. */
static GOptionContext *
parse (const char         *command,
       const char         *parameters,
       const char         *summary,
       const GOptionEntry *entries,
       const GOptionEntry *extra_entries,
       int                *argc,
       char             ***argv,
       int                 n_args,
       int                *status)
{
  g_autoptr(GOptionContext) context = g_option_context_new (parameters);
  g_autoptr(GError) error = NULL;

  g_option_context_set_summary (context, summary);
  if (entries != NULL)
    g_option_context_add_main_entries (context, entries, NULL);
  if (extra_entries != NULL)
    g_option_context_add_main_entries (context, extra_entries, NULL);

  if (!g_option_context_parse (context, argc, argv, &error))
    {
      *status = usage_error (command, error->message);
      return NULL;
    }
  if (*argc - 1 != n_args)
    {
      g_autofree char *msg = NULL;

      if (*argc - 1 < n_args)
        msg = g_strdup_printf ("expected %s", parameters);
      else
        msg = g_strdup_printf ("unexpected argument '%s'; expected %s", (*argv)[n_args + 1],
                               parameters);
      *status = usage_error (command, msg);
      return NULL;
    }

  return g_steal_pointer (&context);
}

static void
progress_cb (guint       done,
             guint       total,
             const char *current,
             gpointer    user_data)
{
  /* A progress line only for a person at a terminal; scripts get the report alone. */
  if (!isatty (STDERR_FILENO))
    return;

  fprintf (stderr, "\r\033[K%u/%u %s", done, total, current != NULL ? current : "");
  if (done == total)
    fprintf (stderr, "\n");
  fflush (stderr);
}

static void
features_progress_cb (guint    done,
                      guint    total,
                      gpointer user_data)
{
  if (!isatty (STDERR_FILENO))
    return;

  fprintf (stderr, "\r\033[Kdescriptors %u/%u", done, total);
  if (done == total)
    fprintf (stderr, "\n");
  fflush (stderr);
}

static void
print_report (const LkImportReport *report)
{
  guint n = lk_import_report_get_n_entries (report);

  printf ("imported %u, unchanged %u, updated %u, moved %u, duplicates %u, skipped %u, missing %u\n",
          lk_import_report_count (report, LK_IMPORT_ADDED),
          lk_import_report_count (report, LK_IMPORT_UNCHANGED),
          lk_import_report_count (report, LK_IMPORT_UPDATED),
          lk_import_report_count (report, LK_IMPORT_MOVED),
          lk_import_report_count (report, LK_IMPORT_DUPLICATE),
          lk_import_report_count (report, LK_IMPORT_SKIPPED),
          lk_import_report_count (report, LK_IMPORT_MISSING));

  for (guint i = 0; i < n; i++)
    {
      LkImportStatus status;
      const char *reason = NULL;
      const char *path = lk_import_report_get_entry (report, i, &status, &reason);

      if (status == LK_IMPORT_SKIPPED || status == LK_IMPORT_DUPLICATE ||
          status == LK_IMPORT_MISSING)
        printf ("%s: %s%s%s\n", lk_import_status_to_string (status), path,
                reason != NULL ? ": " : "", reason != NULL ? reason : "");
    }
}

static int
import_into (const char *command,
             LkStore    *store,
             const char *folder)
{
  g_autoptr(LkImportReport) report = NULL;
  g_autoptr(GError) error = NULL;

  guint n_features = 0;

  report = lk_collection_import (store, folder, NULL, progress_cb, NULL, &error);
  if (report == NULL)
    return failure (command, error);

  print_report (report);

  /* The descriptors for the browser's baselines (colour, HOG), computed once and cached; only
   * new or changed images cost anything on a re-import. */
  if (!lk_image_features_update (store, NULL, features_progress_cb, NULL, &n_features, &error))
    return failure (command, error);
  printf ("descriptors computed for %u images\n", n_features);

  return 0;
}

/* Removes the study file at @path and SQLite's companions, ignoring those that do not exist. */
static void
remove_study (const char *path)
{
  static const char *suffixes[] = { "", "-wal", "-shm", "-journal" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (path, suffixes[i], NULL);

      g_unlink (file);
    }
}

/* Removes a study that create could not finish, and says so; returns @status. */
static int
abandon_create (LkStore   **store,
                const char *path,
                int         status)
{
  g_clear_pointer (store, lk_store_close);
  remove_study (path);
  fprintf (stderr, "likeness-cli create: %s was not created\n", path);

  return status;
}

int
lk_cli_create (int    argc,
               char **argv)
{
  g_autofree char *images = NULL;
  g_auto(LkCliParamOptions) param_options = { 0 };
  g_auto(LkCliSettingOptions) setting_options = { 0 };
  g_auto(LkSessionSettings) settings = { 0 };
  GOptionEntry entries[G_N_ELEMENTS (setting_options.entries) + 1] = {
    { "images", 'i', 0, G_OPTION_ARG_FILENAME, &images, "folder of images to import (required)",
      "DIR" },
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(LkStore) store = NULL;
  g_autoptr(GError) error = NULL;
  const LkMethodType *method = lk_method_paper;
  LkParams params;
  int status = 0;

  lk_cli_param_options_init (&param_options);
  lk_cli_setting_options_init (&setting_options);
  memcpy (entries + 1, setting_options.entries, sizeof setting_options.entries);
  context = parse ("create", "STUDY.likeness",
                   "Creates a study file with a method, its parameters and its session "
                   "settings, and imports a folder of images into it. Without --k, k is chosen "
                   "for the number of images. A study that could not run is refused, with what "
                   "to change.",
                   entries, param_options.entries, &argc, &argv, 1, &status);
  if (context == NULL)
    return status;

  lk_params_init (&params);
  if (!lk_cli_param_options_apply (&param_options, &params, &method, &error))
    return usage_error ("create", error->message);
  lk_session_settings_init (&settings);
  if (!lk_cli_setting_options_apply (&setting_options, &settings, &error))
    return error->domain == G_OPTION_ERROR ? usage_error ("create", error->message)
                                           : failure ("create", error);
  if (method->single_phase)
    params.phases = 1;
  if (images == NULL)
    return usage_error ("create", "--images DIR is required: a study is made from a folder of "
                        "images");

  /* Checked before the study exists, so that a mistyped folder or a grid no session can show
   * leaves no empty study behind. */
  if (!g_file_test (images, G_FILE_TEST_IS_DIR))
    {
      fprintf (stderr, "likeness-cli create: %s: %s\n", images,
               g_file_test (images, G_FILE_TEST_EXISTS) ? "not a folder" : "no such folder");
      return LK_CLI_EXIT_FAILURE;
    }
  if (param_options.k == NULL)
    params.knn_k = lk_params_choose_k (&params, G_MAXUINT);
  if (!lk_params_validate_study (&params, G_MAXUINT, &error) ||
      !lk_session_settings_validate (&settings, &params, &error))
    return failure ("create", error);

  store = lk_store_create (argv[1], &params, method, &error);
  if (store == NULL)
    return failure ("create", error);

  /* The study is seconds old and holds nothing but a failed import, or images its parameters
   * cannot run on: it is removed, so that running the command again (after freeing space, with
   * other parameters) works. */
  if ((status = import_into ("create", store, images)) != 0)
    return abandon_create (&store, argv[1], status);
  if (!lk_store_fit_params (store, param_options.k == NULL, &error) ||
      !lk_store_save_session_settings (store, &settings, &error))
    {
      failure ("create", error);
      return abandon_create (&store, argv[1], LK_CLI_EXIT_FAILURE);
    }

  params = *lk_store_get_params (store);
  printf ("created %s (method %s, budget %u in %u phases, %u images a grid, %u bins, k %u%s)\n",
          argv[1], method->name, params.budget, params.phases, params.nq, params.nc,
          params.knn_k, param_options.k == NULL ? ", chosen for the collection" : "");

  return 0;
}

int
lk_cli_import (int    argc,
               char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(LkStore) store = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;

  context = parse ("import", "STUDY DIR",
                   "Imports a folder of images into a study (again: only what is new or "
                   "changed; moved images are found by their content).",
                   NULL, NULL, &argc, &argv, 2, &status);
  if (context == NULL)
    return status;

  store = lk_store_open (argv[1], LK_STORE_OPEN_DEFAULT, &error);
  if (store == NULL)
    return failure ("import", error);

  return import_into ("import", store, argv[2]);
}

/* Returns the phase the study is in, from 1: the one after the last completed, or the last. */
static guint
current_phase (const LkParams      *params,
               const LkStoreCounts *counts)
{
  return MIN (counts->phases_done + 1, MAX (params->phases, 1));
}

/* The judging rounds with their scores over the completely marked seeds, in @b when not NULL,
 * else as lines on standard output. */
static gboolean
info_judging (LkStore      *store,
              JsonBuilder  *b,
              GError      **error)
{
  g_autoptr(GPtrArray) rounds = lk_judgements_list_rounds (store, error);

  if (rounds == NULL)
    return FALSE;
  if (b != NULL)
    {
      json_builder_set_member_name (b, "judging");
      json_builder_begin_array (b);
    }
  for (guint i = 0; i < rounds->len; i++)
    {
      const LkJudgingRoundInfo *info = g_ptr_array_index (rounds, i);
      g_autoptr(LkJudgingRound) round = lk_judging_round_load (store, info->id, error);
      double success = 0.0, avg = 0.0;
      guint scored;

      if (round == NULL)
        return FALSE;
      scored = lk_judging_round_score (round, &success, &avg);
      if (b == NULL)
        {
          printf ("judging      round %" G_GINT64_FORMAT " by %s against %s, %u seeds, %u of %u "
                  "marked", info->id, info->judge, lk_space_kind_to_string (info->baseline),
                  info->n_seeds, info->n_marked, info->n_shown);
          if (scored > 0)
            printf ("; Success %.1f %%, Avg. Diff. %.2f over %u seeds", success, avg, scored);
          printf ("\n");
          continue;
        }
      lk_judging_round_build_json (round, b, NULL);
    }
  if (b != NULL)
    json_builder_end_array (b);

  return TRUE;
}

int
lk_cli_info (int    argc,
             char **argv)
{
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "print one JSON object", NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(LkStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(LkSessionSettings) settings = { 0 };
  const LkParams *p;
  LkStoreCounts c;
  int status = 0;

  context = parse ("info", "STUDY", "Describes a study: its method, parameters, counts and session settings.",
                   entries, NULL, &argc, &argv, 1, &status);
  if (context == NULL)
    return status;

  /* Reading needs no lock, so info works while the app has the study open. */
  store = lk_store_open (argv[1], LK_STORE_OPEN_READ_ONLY, &error);
  if (store == NULL || !lk_store_get_counts (store, &c, &error) ||
      !lk_store_load_session_settings (store, &settings, &error))
    return failure ("info", error);
  p = lk_store_get_params (store);

  if (json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();
      g_autoptr(JsonGenerator) gen = json_generator_new ();
      g_autoptr(JsonNode) root = NULL;
      g_autofree char *text = NULL;

#define INT(name, value) \
  G_STMT_START { json_builder_set_member_name (b, name); json_builder_add_int_value (b, value); } G_STMT_END
#define DBL(name, value) \
  G_STMT_START { json_builder_set_member_name (b, name); json_builder_add_double_value (b, value); } G_STMT_END

      json_builder_begin_object (b);
      /* The three numbers a script checks first at the top level, so that it need not know
       * the nesting; details below. */
      INT ("images", c.images);
      INT ("answers", c.answers);
      INT ("phase", current_phase (p, &c));
      INT ("budget_used", c.answers);
      json_builder_set_member_name (b, "method");
      json_builder_add_string_value (b, lk_store_get_method (store)->name);
      INT ("schema_version", lk_store_get_opened_version (store));
      json_builder_set_member_name (b, "params");
      json_builder_begin_object (b);
      INT ("nq", p->nq);
      INT ("nc", p->nc);
      INT ("budget", p->budget);
      INT ("phases", p->phases);
      INT ("k", p->knn_k);
      INT ("dim", p->dim);
      DBL ("beta", p->beta);
      DBL ("epsilon", p->epsilon);
      INT ("iterations", p->iterations);
      INT ("seed", (gint64) p->seed);
      json_builder_end_object (b);
      json_builder_set_member_name (b, "counts");
      json_builder_begin_object (b);
      INT ("images", c.images);
      INT ("missing_images", c.missing_images);
      INT ("queries", c.queries);
      INT ("pending", c.pending);
      INT ("answers", c.answers);
      INT ("participants", c.participants);
      INT ("sessions", c.sessions);
      INT ("phases_done", c.phases_done);
      json_builder_end_object (b);
      json_builder_set_member_name (b, "query_states");
      json_builder_begin_object (b);
      INT ("pending", c.pending - c.served);
      INT ("served", c.served);
      INT ("answered", c.answered);
      INT ("abandoned", c.abandoned);
      json_builder_end_object (b);
      lk_cli_print_settings (&settings, NULL, b);
      if (!info_judging (store, b, &error))
        return failure ("info", error);
      json_builder_end_object (b);

#undef INT
#undef DBL

      root = json_builder_get_root (b);
      json_generator_set_root (gen, root);
      json_generator_set_pretty (gen, TRUE);
      text = json_generator_to_data (gen, NULL);
      printf ("%s\n", text);
      return 0;
    }

  printf ("study        %s (file version %u)\n", argv[1], lk_store_get_opened_version (store));
  printf ("method       %s\n", lk_store_get_method (store)->name);
  printf ("parameters   nq %u, nc %u, budget %u in %u phases, k %u, d %u, beta %g, "
          "epsilon %g, %u iterations, seed %" G_GUINT64_FORMAT "\n",
          p->nq, p->nc, p->budget, p->phases, p->knn_k, p->dim, p->beta, p->epsilon,
          p->iterations, p->seed);
  printf ("images       %u (%u missing)\n", c.images, c.missing_images);
  printf ("queries      %u (%u pending, %u served, %u answered, %u abandoned)\n", c.queries,
          c.pending - c.served, c.served, c.answered, c.abandoned);
  printf ("answers      %u of a budget of %u\n", c.answers, p->budget);
  printf ("participants %u in %u sessions\n", c.participants, c.sessions);
  printf ("phase        %u of %u (%u done)\n", current_phase (p, &c), p->phases, c.phases_done);
  printf ("settings\n");
  lk_cli_print_settings (&settings, "  ", NULL);
  if (!info_judging (store, NULL, &error))
    return failure ("info", error);

  return 0;
}

int
lk_cli_settings (int    argc,
                 char **argv)
{
  g_auto(GStrv) assignments = NULL;
  const GOptionEntry entries[] = {
    { "set", 0, 0, G_OPTION_ARG_STRING_ARRAY, &assignments,
      "change a setting (repeatable; VALUE '' is the default, @FILE reads a text from FILE)",
      "KEY=VALUE" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(LkStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(LkSessionSettings) settings = { 0 };
  int status = 0;

  context = parse ("settings", "STUDY",
                   "Shows a study's session settings, or changes them with --set: "
                   "grids-per-participant, practice-grids, break-every, all-placed, consent, "
                   "instructions, passphrase. A change holds for the sessions started after it.",
                   entries, NULL, &argc, &argv, 1, &status);
  if (context == NULL)
    return status;

  /* Read-only unless something changes, so that showing works while the app has it open. */
  store = lk_store_open (argv[1], assignments != NULL ? LK_STORE_OPEN_DEFAULT
                                                      : LK_STORE_OPEN_READ_ONLY, &error);
  if (store == NULL || !lk_store_load_session_settings (store, &settings, &error))
    return failure ("settings", error);
  for (guint i = 0; assignments != NULL && assignments[i] != NULL; i++)
    if (!lk_cli_setting_assign (&settings, assignments[i], &error))
      return error->domain == G_OPTION_ERROR ? usage_error ("settings", error->message)
                                             : failure ("settings", error);
  if (assignments != NULL && !lk_store_save_session_settings (store, &settings, &error))
    return failure ("settings", error);

  lk_cli_print_settings (&settings, "", NULL);

  return 0;
}

typedef enum {
  EXPORT_ANSWERS,
  EXPORT_PAIRS,
  EXPORT_JSON,
  EXPORT_EMBEDDING,
  EXPORT_KNN,
  EXPORT_NEIGHBOURS,
  EXPORT_NEIGHBOURS_JSON,
  EXPORT_JUDGEMENTS,
  EXPORT_JUDGEMENTS_JSON,
} ExportKind;

/* Returns whether one export was written to @path, or to standard output when @path is "-"
 * (the store writes it there once the whole export is made, with no temporary file); @k is the
 * k-NN's k, or for the judgements the round (0: all). */
static gboolean
export_one (LkStore     *store,
            ExportKind   kind,
            guint        k,
            const char  *path,
            GError     **error)
{
  switch (kind)
    {
    case EXPORT_ANSWERS:
      return lk_export_answers_csv (store, path, error);
    case EXPORT_PAIRS:
      return lk_export_pairs_csv (store, path, error);
    case EXPORT_JSON:
      return lk_export_json (store, path, error);
    case EXPORT_EMBEDDING:
      return lk_export_embedding_csv (store, path, error);
    case EXPORT_KNN:
      return lk_export_knn_csv (store, k, path, error);
    case EXPORT_NEIGHBOURS:
      return lk_neighbours_export (store, k, LK_NEIGHBOURS_CSV, path, NULL, NULL, NULL, error);
    case EXPORT_NEIGHBOURS_JSON:
      return lk_neighbours_export (store, k, LK_NEIGHBOURS_JSON, path, NULL, NULL, NULL, error);
    case EXPORT_JUDGEMENTS:
      return lk_judgements_export_csv (store, k, path, error);
    case EXPORT_JUDGEMENTS_JSON:
      return lk_judgements_export_json (store, k, path, error);
    default:
      g_assert_not_reached ();
    }
}

int
lk_cli_export (int    argc,
               char **argv)
{
  g_autofree char *answers = NULL, *pairs = NULL, *json = NULL, *embedding = NULL, *knn = NULL;
  g_autofree char *judgements = NULL, *judgements_json = NULL, *round_text = NULL;
  g_autofree char *neighbours = NULL, *neighbours_json = NULL;
  g_autofree char *k_text = NULL;
  const GOptionEntry entries[] = {
    { "answers", 0, 0, G_OPTION_ARG_FILENAME, &answers,
      "tidy CSV, one row per answer and item", "FILE" },
    { "pairs", 0, 0, G_OPTION_ARG_FILENAME, &pairs, "CSV of pair evidence (together, apart)", "FILE" },
    { "json", 0, 0, G_OPTION_ARG_FILENAME, &json, "the whole study as JSON", "FILE" },
    { "embedding", 0, 0, G_OPTION_ARG_FILENAME, &embedding, "the current embedding as CSV", "FILE" },
    { "knn", 0, 0, G_OPTION_ARG_FILENAME, &knn, "the k-NN lists as CSV", "FILE" },
    { "neighbours", 0, 0, G_OPTION_ARG_FILENAME, &neighbours,
      "the k-NN lists under the learned metric and each image descriptor, as CSV", "FILE" },
    { "neighbours-json", 0, 0, G_OPTION_ARG_FILENAME, &neighbours_json,
      "the same lists as JSON, with each image's number of answers", "FILE" },
    { "k", 'k', 0, G_OPTION_ARG_STRING, &k_text,
      "neighbours per image for --knn, --neighbours and --neighbours-json (default 10)", "N" },
    { "judgements", 0, 0, G_OPTION_ARG_FILENAME, &judgements,
      "the judging rounds as CSV, one row per seed and listed neighbour", "FILE" },
    { "judgements-json", 0, 0, G_OPTION_ARG_FILENAME, &judgements_json,
      "the judging rounds with their scores (Success %, Avg. Diff.) as JSON", "FILE" },
    { "round", 0, 0, G_OPTION_ARG_STRING, &round_text,
      "only this judging round for --judgements and --judgements-json", "ID" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(LkStore) store = NULL;
  g_autoptr(GError) error = NULL;
  guint64 k = 10, round = 0;
  int status = 0;

  context = parse ("export", "STUDY",
                   "Exports a study for analysis in R or pandas; give one or more of the files; "
                   "'-' as a file name writes to standard output.",
                   entries, NULL, &argc, &argv, 1, &status);
  if (context == NULL)
    return status;
  if (answers == NULL && pairs == NULL && json == NULL && embedding == NULL && knn == NULL &&
      neighbours == NULL && neighbours_json == NULL && judgements == NULL &&
      judgements_json == NULL)
    return usage_error ("export", "nothing to export: give --answers, --pairs, --json, "
                        "--embedding, --knn, --neighbours, --neighbours-json, --judgements or "
                        "--judgements-json with a file name");
  if (k_text != NULL && !lk_cli_parse_uint ("--k", k_text, 1, 1000, &k, &error))
    return usage_error ("export", error->message);
  if (round_text != NULL && !lk_cli_parse_uint ("--round", round_text, 1, G_MAXINT, &round, &error))
    return usage_error ("export", error->message);
  if ((g_strcmp0 (answers, "-") == 0) + (g_strcmp0 (pairs, "-") == 0) +
      (g_strcmp0 (json, "-") == 0) + (g_strcmp0 (embedding, "-") == 0) +
      (g_strcmp0 (knn, "-") == 0) + (g_strcmp0 (neighbours, "-") == 0) +
      (g_strcmp0 (neighbours_json, "-") == 0) + (g_strcmp0 (judgements, "-") == 0) +
      (g_strcmp0 (judgements_json, "-") == 0) > 1)
    return usage_error ("export", "only one export can go to standard output ('-'); "
                        "give the others a file name");

  store = lk_store_open (argv[1], LK_STORE_OPEN_READ_ONLY, &error);
  if (store == NULL)
    return failure ("export", error);

  if ((answers != NULL && !export_one (store, EXPORT_ANSWERS, 0, answers, &error)) ||
      (pairs != NULL && !export_one (store, EXPORT_PAIRS, 0, pairs, &error)) ||
      (json != NULL && !export_one (store, EXPORT_JSON, 0, json, &error)) ||
      (embedding != NULL && !export_one (store, EXPORT_EMBEDDING, 0, embedding, &error)) ||
      (knn != NULL && !export_one (store, EXPORT_KNN, (guint) k, knn, &error)) ||
      (neighbours != NULL &&
       !export_one (store, EXPORT_NEIGHBOURS, (guint) k, neighbours, &error)) ||
      (neighbours_json != NULL &&
       !export_one (store, EXPORT_NEIGHBOURS_JSON, (guint) k, neighbours_json, &error)) ||
      (judgements != NULL &&
       !export_one (store, EXPORT_JUDGEMENTS, (guint) round, judgements, &error)) ||
      (judgements_json != NULL &&
       !export_one (store, EXPORT_JUDGEMENTS_JSON, (guint) round, judgements_json, &error)))
    return failure ("export", error);

  return 0;
}

int
lk_cli_import_answers (int    argc,
                       char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(LkStore) store = NULL;
  g_autoptr(GError) error = NULL;
  guint n, skipped = 0;
  int status = 0;

  context = parse ("import-answers", "STUDY CSV",
                   "Adds answers from a tidy CSV (the form `export --answers` writes), all or "
                   "none: every bad row is reported by its line number. Answers the study "
                   "already holds are recognised and skipped.",
                   NULL, NULL, &argc, &argv, 2, &status);
  if (context == NULL)
    return status;

  store = lk_store_open (argv[1], LK_STORE_OPEN_DEFAULT, &error);
  if (store == NULL)
    return failure ("import-answers", error);

  n = lk_export_import_answers (store, argv[2], &skipped, &error);
  if (error != NULL)
    return failure ("import-answers", error);

  if (skipped > 0)
    printf ("imported %u answers; skipped %u already in the study\n", n, skipped);
  else
    printf ("imported %u answers\n", n);
  return 0;
}

/* Returns a dataset of the paper's colour descriptor of every image's thumbnail: the simulated
 * participants' notion of similarity for an image study. */
static LkDataset *
thumbnail_features (LkStore  *store,
                    guint     n_items,
                    GError  **error)
{
  g_autofree double *features = g_new (double, (gsize) n_items * LK_COLOR_DESCRIPTOR_DIM);

  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr(GdkPixbuf) thumb = lk_collection_get_thumbnail (store, i, error);
      LkImage image;

      if (thumb == NULL)
        return NULL;
      image = (LkImage) {
        gdk_pixbuf_read_pixels (thumb), gdk_pixbuf_get_width (thumb),
        gdk_pixbuf_get_height (thumb), gdk_pixbuf_get_rowstride (thumb),
        gdk_pixbuf_get_n_channels (thumb),
      };
      if (!lk_features_color (&image, features + (gsize) i * LK_COLOR_DESCRIPTOR_DIM, error))
        return NULL;
    }

  return lk_dataset_new (n_items, LK_COLOR_DESCRIPTOR_DIM, features, NULL);
}

/* Returns the ground truth of @path (a CSV with an id column holding each image's path relative
 * to the collection's folder, then numeric feature columns) in the study's item order; NULL
 * with an error naming the file and the first image it lacks. */
static LkDataset *
truth_features (LkStore     *store,
                guint        n_items,
                const char  *path,
                GError     **error)
{
  g_autoptr(LkDataset) csv = NULL;
  g_autoptr(GHashTable) rows = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree double *features = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *text = NULL;
  guint dim;

  if (!g_file_get_contents (path, &text, NULL, &local_error) ||
      (csv = lk_dataset_new_from_csv_data (text, &local_error)) == NULL)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_FAILED, "%s: %s", path,
                   local_error->message);
      return NULL;
    }

  dim = lk_dataset_get_dim (csv);
  for (guint r = 0; r < lk_dataset_get_n_items (csv); r++)
    g_hash_table_insert (rows, (gpointer) lk_dataset_get_id (csv, r), GUINT_TO_POINTER (r + 1));

  features = g_new (double, (gsize) n_items * dim);
  for (guint i = 0; i < n_items; i++)
    {
      g_autofree char *image = lk_collection_get_image_path (store, i);
      guint row = image != NULL ? GPOINTER_TO_UINT (g_hash_table_lookup (rows, image)) : 0;

      if (row == 0)
        {
          g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_FAILED,
                       "%s has no row for the image '%s' (its id column must hold each image's "
                       "path relative to the collection's folder)", path, image ? image : "?");
          return NULL;
        }
      memcpy (features + (gsize) i * dim, lk_dataset_get_features (csv) + (gsize) (row - 1) * dim,
              dim * sizeof (double));
    }

  return lk_dataset_new (n_items, dim, features, NULL);
}

/* Answers the study at @path with a simulated participant, as `answer` and `simulate --study`
 * do; returns the exit status. */
/* failure() for a study open for writing: when the study's file was deleted or moved while
 * open, the study is first written out again beside it (lk_store_rescue()), so that no
 * acknowledged answer is lost, and the message says where. */
static int
store_failure (const char   *command,
               LkStore      *store,
               const GError *error)
{
  g_autoptr(GError) rescue_error = NULL;
  g_autofree char *copy = NULL;

  if (!g_error_matches (error, LK_STORE_ERROR, LK_STORE_ERROR_MOVED))
    return failure (command, error);

  copy = lk_store_rescue (store, &rescue_error);
  fprintf (stderr, "likeness-cli %s: %s\n", command, error->message);
  if (copy != NULL)
    fprintf (stderr, "likeness-cli %s: every answer saved so far was written out again to %s; "
             "go on with that file\n", command, copy);
  else
    fprintf (stderr, "likeness-cli %s: writing the study out again failed too: %s\n", command,
             rescue_error->message);

  return LK_CLI_EXIT_FAILURE;
}

static int
answer_study (const char *command,
              const char *path,
              const char *participant,
              const char *truth_path,
              guint64     count)
{
  g_autoptr(LkStore) store = NULL;
  g_autoptr(LkRefiner) refiner = NULL;
  g_autoptr(LkDataset) truth = NULL;
  g_autoptr(LkCrowd) crowd = NULL;
  g_autoptr(GError) error = NULL;
  guint answered = 0;
  gint64 person, session;
  LkStoreCounts counts;

  store = lk_store_open (path, LK_STORE_OPEN_DEFAULT, &error);
  if (store == NULL)
    return failure (command, error);
  if (!lk_store_get_counts (store, &counts, &error))
    return store_failure (command, store, error);
  if (counts.images < lk_store_get_params (store)->nq)
    {
      g_set_error (&error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "%s holds %u images, fewer than the %u a grid shows; import more first",
                   path, counts.images, lk_store_get_params (store)->nq);
      return store_failure (command, store, error);
    }

  /* Repaired first, if the app was killed while it was folding a phase in. */
  refiner = lk_answers_rebuild_and_repair (store, NULL, NULL, NULL, &error);
  if (refiner == NULL)
    return store_failure (command, store, error);
  if (truth_path != NULL)
    truth = truth_features (store, counts.images, truth_path, &error);
  else
    truth = thumbnail_features (store, counts.images, &error);
  if (truth == NULL)
    return store_failure (command, store, error);
  crowd = lk_crowd_new (truth, lk_store_get_params (store)->nc, NULL,
                        lk_rng_derive (lk_store_get_params (store)->seed, 7 + counts.answers));

  person = lk_store_find_participant (store, participant);
  if (person == 0)
    person = lk_store_add_participant (store, participant, TRUE, FALSE, "simulated", &error);
  session = person != 0 ? lk_store_begin_session (store, person, "likeness-cli", &error) : 0;
  if (session == 0)
    return store_failure (command, store, error);

  while (answered < count && !lk_refiner_is_done (refiner))
    {
      g_autoptr(GArray) open = lk_answers_list_open (store, &error);

      if (open == NULL)
        return store_failure (command, store, error);
      if (open->len == 0)
        {
          g_autoptr(GArray) drawn = NULL;

          /* The batch is answered: fold it in and draw the next phase's grids, stored in one
           * transaction, as the app's worker does. */
          if (lk_refiner_get_n_batch_answers (refiner) > 0)
            {
              g_autoptr(GPtrArray) batch = NULL;
              LkUpdateStats stats;

              lk_refiner_end_phase (refiner, &stats);
              if (!lk_refiner_is_done (refiner))
                batch = lk_refiner_select_queries (refiner, lk_refiner_get_batch_size (refiner));
              if (!lk_answers_store_phase (store, refiner, &stats, batch, NULL, &error))
                return store_failure (command, store, error);
              continue;
            }
          if (lk_refiner_is_done (refiner))
            break;
          drawn = lk_answers_draw_queries (store, refiner, &error);
          if (drawn == NULL)
            return store_failure (command, store, error);
          continue;
        }

      for (guint i = 0; i < open->len && answered < count; i++)
        {
          gint64 qid = g_array_index (open, gint64, i);
          g_autoptr(LkQuery) q = lk_answers_get_query (store, qid, NULL, &error);
          gint64 shown = g_get_real_time (), id;

          if (q == NULL)
            return store_failure (command, store, error);
          lk_crowd_answer (crowd, q);
          id = lk_answers_save (store, qid, q, session, shown, g_get_real_time (), NULL, 0, &error);
          if (id == 0)
            return store_failure (command, store, error);
          lk_refiner_add_answer (refiner, q);
          answered++;
          /* Only now is the answer on disk; flushed, so that a test killing this process
           * knows every answer acknowledged before the kill. */
          printf ("saved %" G_GINT64_FORMAT "\n", id);
          fflush (stdout);
        }
    }

  /* The last batch: fold it in so that the study's embedding is current. */
  if (lk_refiner_is_done (refiner) == FALSE && lk_refiner_get_n_batch_answers (refiner) ==
      lk_refiner_get_batch_size (refiner) && !lk_answers_end_phase (store, refiner, NULL, &error))
    return store_failure (command, store, error);

  if (!lk_store_end_session (store, session, &error))
    return store_failure (command, store, error);

  return 0;
}

/* The options of `answer` and `simulate --study`; with @study_option, the study comes from
 * --study rather than from the one argument. */
static int
answer_command (const char *command,
                gboolean    study_option,
                int         argc,
                char      **argv)
{
  g_autofree char *participant = NULL, *count_text = NULL, *truth = NULL, *study = NULL;
  const GOptionEntry entries[] = {
    { "participant", 0, 0, G_OPTION_ARG_STRING, &participant,
      "the simulated participant's code (default SIM-1)", "CODE" },
    { "count", 'n', 0, G_OPTION_ARG_STRING, &count_text,
      "answer at most N grids (default: until the budget is spent)", "N" },
    { "truth", 0, 0, G_OPTION_ARG_FILENAME, &truth,
      "ground truth: a CSV of id (the image's path relative to the collection's folder) and "
      "feature columns (default: the colour descriptor of each thumbnail)", "FILE.csv" },
    /* Without @study_option this entry's NULL name ends the list. */
    { study_option ? "study" : NULL, 0, 0, G_OPTION_ARG_FILENAME, &study, "the study to answer",
      "STUDY" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  guint64 count = G_MAXUINT32;
  int status = 0;

  context = parse (command, study_option ? "--study STUDY" : "STUDY",
                   "Answers a study's grids with a simulated participant, who sorts each grid "
                   "by k-means of its images' ground-truth features, saving each answer before "
                   "the next and printing 'saved ID' once it is on disk.",
                   entries, NULL, &argc, &argv, study_option ? 0 : 1, &status);
  if (context == NULL)
    return status;
  if (study_option && study == NULL)
    return usage_error (command, "--study STUDY is missing: the study whose grids to answer");
  if (count_text != NULL &&
      !lk_cli_parse_uint ("--count", count_text, 1, G_MAXUINT32, &count, &error))
    return usage_error (command, error->message);
  if (participant != NULL && (*participant == '\0' || !g_utf8_validate (participant, -1, NULL)))
    return usage_error (command, "--participant: the code must be non-empty UTF-8 text");

  return answer_study (command, study_option ? study : argv[1],
                       participant != NULL ? participant : "SIM-1", truth, count);
}

int
lk_cli_answer (int    argc,
               char **argv)
{
  return answer_command ("answer", FALSE, argc, argv);
}

int
lk_cli_simulate_study (int    argc,
                       char **argv)
{
  return answer_command ("simulate", TRUE, argc, argv);
}

int
lk_cli_check (int    argc,
              char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(LkStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *report = NULL;
  int status = 0;

  context = parse ("check", "STUDY",
                   "Checks a study's integrity: SQLite's integrity and foreign-key checks, then "
                   "the study's own invariants. Exit status 0 if sound, 1 if not.",
                   NULL, NULL, &argc, &argv, 1, &status);
  if (context == NULL)
    return status;

  store = lk_store_open (argv[1], LK_STORE_OPEN_READ_ONLY | LK_STORE_OPEN_UNCHECKED, &error);
  if (store == NULL)
    return failure ("check", error);
  if (!lk_store_check (store, &report, &error))
    {
      if (report != NULL)
        fputs (report, stdout);
      return failure ("check", error);
    }

  printf ("%s: ok\n", argv[1]);
  return 0;
}

/* likeness-cli copy: one complete file of a study, open or not, whatever other readers hold. */
int
lk_cli_copy (int    argc,
             char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(LkStore) store = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;

  context = parse ("copy", "STUDY COPY",
                   "Writes one complete file of a study, with every answer committed so far, "
                   "even while the study is open elsewhere (its -wal file holds the latest "
                   "answers until the study is closed, so copying the .likeness file alone may "
                   "miss them). COPY must not exist.",
                   NULL, NULL, &argc, &argv, 2, &status);
  if (context == NULL)
    return status;

  store = lk_store_open (argv[1], LK_STORE_OPEN_READ_ONLY, &error);
  if (store == NULL || !lk_store_save_copy (store, argv[2], &error))
    return failure ("copy", error);

  printf ("copied %s to %s\n", argv[1], argv[2]);
  return 0;
}

/* likeness-cli judge: draws a judging round for a judge to mark in the app (likeness --judge). */
int
lk_cli_judge (int    argc,
              char **argv)
{
  g_autofree char *judge = NULL, *baseline_text = NULL, *seeds_text = NULL, *seed_text = NULL;
  g_autofree char *k_text = NULL;
  const GOptionEntry entries[] = {
    { "judge", 0, 0, G_OPTION_ARG_STRING, &judge, "the judge's code (required)", "CODE" },
    { "baseline", 0, 0, G_OPTION_ARG_STRING, &baseline_text,
      "the descriptor to compare with: color (default) or hog", "KIND" },
    { "seeds", 0, 0, G_OPTION_ARG_STRING, &seeds_text, "seed images (default 50, as the paper)",
      "N" },
    { "sample-seed", 0, 0, G_OPTION_ARG_STRING, &seed_text,
      "seed of the sample and the shuffles (default 1)", "S" },
    { "k", 'k', 0, G_OPTION_ARG_STRING, &k_text, "neighbours per list (default 10)", "K" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(LkStore) store = NULL;
  g_autoptr(LkJudgingRound) round = NULL;
  g_autoptr(GError) error = NULL;
  guint64 n_seeds = 50, sample_seed = 1, k = LK_JUDGING_DEFAULT_K;
  LkSpaceKind baseline = LK_SPACE_COLOR;
  guint shown = 0;
  int status = 0;

  context = parse ("judge", "STUDY",
                   "Draws a round of the paper's manual judging: seed images sampled from the "
                   "study, each with its k-NN under the learned metric and under a descriptor, "
                   "to be marked in the app (likeness --judge=STUDY).",
                   entries, NULL, &argc, &argv, 1, &status);
  if (context == NULL)
    return status;
  if (judge == NULL || *judge == '\0')
    return usage_error ("judge", "give the judge's code with --judge CODE");
  if (baseline_text != NULL &&
      (!lk_space_kind_from_string (baseline_text, &baseline) || baseline == LK_SPACE_LEARNED))
    return usage_error ("judge", "--baseline is color or hog");
  if ((seeds_text != NULL && !lk_cli_parse_uint ("--seeds", seeds_text, 1, 100000, &n_seeds, &error)) ||
      (seed_text != NULL &&
       !lk_cli_parse_uint ("--sample-seed", seed_text, 0, G_MAXINT64, &sample_seed, &error)) ||
      (k_text != NULL && !lk_cli_parse_uint ("--k", k_text, 1, 1000, &k, &error)))
    return usage_error ("judge", error->message);

  store = lk_store_open (argv[1], LK_STORE_OPEN_DEFAULT, &error);
  if (store == NULL)
    return failure ("judge", error);
  round = lk_judging_round_create (store, judge, baseline, (guint) k, (guint) n_seeds,
                                   sample_seed, &error);
  if (round == NULL)
    return failure ("judge", error);
  lk_judging_round_count_marked (round, &shown);
  printf ("round %" G_GINT64_FORMAT ": %u seeds, %u images to mark\n", round->id, round->n_seeds,
          shown);

  return 0;
}
