/* lk-cli-store.c — the study-file commands of likeness-cli: create, import, info, export,
 * import-answers, check, copy and judge (answer and `simulate --study` are in lk-cli-answer.c)
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
#include "lk-gold.h"
#include "lk-image-features.h"
#include "lk-judgements.h"
#include "lk-neighbours.h"
#include "lk-store.h"
#include "lk-study-scores.h"

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
    return lk_cli_failure (command, error);

  print_report (report);

  /* The descriptors for the browser's baselines (colour, HOG), computed once and cached; only
   * new or changed images cost anything on a re-import. */
  if (!lk_image_features_update (store, NULL, features_progress_cb, NULL, &n_features, &error))
    return lk_cli_failure (command, error);
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

/* When @error says that @path exists, and it is a study whose creation was not finished,
 * replaces @error with the message that says how to finish it. */
static void
explain_existing_unfinished (const char *command,
                             const char *path,
                             GError     *error)
{
  g_autoptr(LkStore) existing = NULL;
  const char *folder;

  if (!g_error_matches (error, LK_STORE_ERROR, LK_STORE_ERROR_EXISTS))
    return;
  existing = lk_store_open (path, LK_STORE_OPEN_READ_ONLY | LK_STORE_OPEN_UNCHECKED |
                                  LK_STORE_OPEN_UNFINISHED, NULL);
  folder = existing != NULL ? lk_store_get_unfinished (existing, NULL) : NULL;
  if (folder != NULL)
    {
      g_free (error->message);
      error->message = lk_store_unfinished_message (path, folder);
      error->code = LK_STORE_ERROR_UNFINISHED;
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
  g_autofree char *plan = NULL;
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
  context = lk_cli_parse ("create", "STUDY.likeness",
                   "Creates a study file with a method, its parameters and its session "
                   "settings, and imports a folder of images into it. Without --k, k is chosen "
                   "for the number of images. A study that could not run is refused, with what "
                   "to change.",
                   entries, param_options.entries, &argc, &argv, 1, &status);
  if (context == NULL)
    return status;

  lk_params_init (&params);
  if (!lk_cli_param_options_apply (&param_options, &params, &method, &error))
    return lk_cli_usage_error ("create", error->message);
  lk_session_settings_init (&settings);
  if (!lk_cli_setting_options_apply (&setting_options, &settings, &error))
    return error->domain == G_OPTION_ERROR ? lk_cli_usage_error ("create", error->message)
                                           : lk_cli_failure ("create", error);
  if (method->single_phase)
    params.phases = 1;
  if (images == NULL)
    return lk_cli_usage_error ("create", "--images DIR is required: a study is made from a folder of "
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
    return lk_cli_failure ("create", error);

  /* Marked unfinished until lk_store_fit_params(): killed during the import, the study says
   * so wherever it is opened, and how `import` finishes it. The session settings are stored
   * first, so that the finished study has them whichever command finished it. */
  store = lk_store_create_unfinished (argv[1], &params, method, images, param_options.k == NULL,
                                      &error);
  if (store == NULL)
    {
      explain_existing_unfinished ("create", argv[1], error);
      return lk_cli_failure ("create", error);
    }
  /* The plan is checked against the collection (lk_session_settings_check_plan()), so it is
   * stored once the images are in. */
  plan = g_steal_pointer (&settings.plan);
  if (!lk_store_save_session_settings (store, &settings, &error))
    {
      lk_cli_failure ("create", error);
      return abandon_create (&store, argv[1], LK_CLI_EXIT_FAILURE);
    }

  /* The study is seconds old and holds nothing but a failed import, or images its parameters
   * cannot run on: it is removed, so that running the command again (after freeing space, with
   * other parameters) works. */
  if ((status = import_into ("create", store, images)) != 0)
    return abandon_create (&store, argv[1], status);
  if (!lk_store_fit_params (store, param_options.k == NULL, &error))
    {
      lk_cli_failure ("create", error);
      return abandon_create (&store, argv[1], LK_CLI_EXIT_FAILURE);
    }
  settings.plan = g_steal_pointer (&plan);
  if (settings.plan != NULL && !lk_store_save_session_settings (store, &settings, &error))
    {
      lk_cli_failure ("create", error);
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

  gboolean unfinished, choose_k = FALSE;

  context = lk_cli_parse ("import", "STUDY DIR",
                   "Imports a folder of images into a study (again: only what is new or "
                   "changed; moved images are found by their content).",
                   NULL, NULL, &argc, &argv, 2, &status);
  if (context == NULL)
    return status;

  store = lk_store_open (argv[1], LK_STORE_OPEN_DEFAULT | LK_STORE_OPEN_UNFINISHED, &error);
  if (store == NULL)
    return lk_cli_failure ("import", error);

  unfinished = lk_store_get_unfinished (store, &choose_k) != NULL;
  if ((status = import_into ("import", store, argv[2])) != 0)
    return status;
  /* A creation that was stopped part-way is ended here, as create would have. */
  if (unfinished)
    {
      const LkParams *params;

      if (!lk_store_fit_params (store, choose_k, &error))
        return lk_cli_failure ("import", error);
      params = lk_store_get_params (store);
      printf ("finished creating %s (budget %u in %u phases, %u images a grid, %u bins, k %u)\n",
              argv[1], params->budget, params->phases, params->nq, params->nc, params->knn_k);
    }

  return 0;
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
  LkPlan plan;
  g_autofree char *plan_text = NULL;
  int status = 0;

  context = lk_cli_parse ("info", "STUDY", "Describes a study: its method, parameters, counts and session settings.",
                   entries, NULL, &argc, &argv, 1, &status);
  if (context == NULL)
    return status;

  /* Reading needs no lock, so info works while the app has the study open. */
  store = lk_store_open (argv[1], LK_STORE_OPEN_READ_ONLY | LK_STORE_OPEN_UNFINISHED, &error);
  if (store == NULL || !lk_store_get_counts (store, &c, &error) ||
      !lk_store_load_session_settings (store, &settings, &error))
    return lk_cli_failure ("info", error);
  p = lk_store_get_params (store);
  /* The plan a participant is given: the stored one or the default. */
  if (!lk_session_settings_get_plan (&settings, p, &plan, &error))
    return lk_cli_failure ("info", error);
  plan_text = lk_plan_to_string (&plan);
  /* Described like any study, but never without saying it is not finished (on standard error,
   * so that it is seen whatever reads the output). */
  if (lk_store_get_unfinished (store, NULL) != NULL)
    {
      g_autofree char *message = lk_store_unfinished_message (argv[1],
                                                              lk_store_get_unfinished (store,
                                                                                       NULL));

      fprintf (stderr, "likeness-cli info: %s\n", message);
    }

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
      if (lk_store_get_unfinished (store, NULL) != NULL)
        {
          json_builder_set_member_name (b, "unfinished");
          json_builder_add_string_value (b, lk_store_get_unfinished (store, NULL));
        }
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
      INT ("trials", c.trials);
      INT ("exam_answers", c.exam_answers);
      INT ("check_answers", c.check_answers);
      json_builder_end_object (b);
      json_builder_set_member_name (b, "plan");
      json_builder_add_string_value (b, plan_text);
      json_builder_set_member_name (b, "query_states");
      json_builder_begin_object (b);
      INT ("pending", c.pending - c.served);
      INT ("served", c.served);
      INT ("answered", c.answered);
      INT ("abandoned", c.abandoned);
      json_builder_end_object (b);
      lk_cli_print_settings (&settings, NULL, b);
      if (!info_judging (store, b, &error))
        return lk_cli_failure ("info", error);
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

  printf ("study        %s (file version %u%s)\n", argv[1], lk_store_get_opened_version (store),
          lk_store_get_unfinished (store, NULL) != NULL ? ", creation not finished" : "");
  printf ("method       %s\n", lk_store_get_method (store)->name);
  printf ("parameters   nq %u, nc %u, budget %u in %u phases, k %u, d %u, beta %g, "
          "epsilon %g, %u iterations, seed %" G_GUINT64_FORMAT "\n",
          p->nq, p->nc, p->budget, p->phases, p->knn_k, p->dim, p->beta, p->epsilon,
          p->iterations, p->seed);
  printf ("images       %u (%u missing)\n", c.images, c.missing_images);
  printf ("queries      %u (%u pending, %u served, %u answered, %u abandoned)\n", c.queries,
          c.pending - c.served, c.served, c.answered, c.abandoned);
  /* The sorting answers are the budget's; a check is one of them, an exam's answer is not. */
  printf ("answers      %u of a budget of %u", c.answers, p->budget);
  if (c.check_answers > 0)
    printf (", %u of them checks (grids shown again, catch grids)", c.check_answers);
  if (c.exam_answers > 0)
    printf (" (+ %u exam)", c.exam_answers);
  printf ("\n");
  printf ("trials       %u answered\n", c.trials);
  printf ("plan         %s\n", plan_text);
  printf ("participants %u in %u sessions\n", c.participants, c.sessions);
  printf ("phase        %u of %u (%u done)\n", current_phase (p, &c), p->phases, c.phases_done);
  printf ("settings\n");
  lk_cli_print_settings (&settings, "  ", NULL);
  if (!info_judging (store, NULL, &error))
    return lk_cli_failure ("info", error);

  return 0;
}

/* Says on standard error when the plan's training or exam blocks ask for more known answers
 * than the study has: a block shows those there are, and none stops every session. */
static void
warn_gold (const char              *command,
           LkStore                 *store,
           const LkSessionSettings *settings)
{
  static const LkTaskKind kinds[2] = { LK_TASK_TRAINING, LK_TASK_EXAM };
  g_autoptr(GError) error = NULL;
  guint counts[2];
  LkPlan plan;

  if (!lk_session_settings_get_plan (settings, lk_store_get_params (store), &plan, NULL) ||
      (lk_plan_count_kind (&plan, LK_TASK_TRAINING) == 0
       && lk_plan_count_kind (&plan, LK_TASK_EXAM) == 0))
    return;
  if (!lk_gold_count_uses (store, counts, &error))
    {
      fprintf (stderr, "likeness-cli %s: the known answers could not be read: %s\n", command,
               error->message);
      return;
    }
  for (guint u = 0; u < 2; u++)
    for (guint b = 0; b < plan.n_blocks; b++)
      if (plan.blocks[b].kind == kinds[u] && plan.blocks[b].count > counts[u])
        {
          if (counts[u] == 0)
            fprintf (stderr, "likeness-cli %s: the plan has a %s block but the study has no "
                     "known answers for it (likeness-cli gold --import): no session will "
                     "start\n", command, lk_task_kind_to_string (kinds[u]));
          else
            fprintf (stderr, "likeness-cli %s: the plan's %s block asks for %u grids; the "
                     "study has %u known answers for it, so it shows %u\n", command,
                     lk_task_kind_to_string (kinds[u]), plan.blocks[b].count, counts[u],
                     counts[u]);
          break;
        }
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

  context = lk_cli_parse ("settings", "STUDY",
                   "Shows a study's session settings, or changes them with --set: "
                   LK_CLI_SETTINGS_KEYS " A change holds for the sessions started after it.",
                   entries, NULL, &argc, &argv, 1, &status);
  if (context == NULL)
    return status;

  /* Read-only unless something changes, so that showing works while the app has it open. */
  store = lk_store_open (argv[1], assignments != NULL ? LK_STORE_OPEN_DEFAULT
                                                      : LK_STORE_OPEN_READ_ONLY, &error);
  if (store == NULL || !lk_store_load_session_settings (store, &settings, &error))
    return lk_cli_failure ("settings", error);
  for (guint i = 0; assignments != NULL && assignments[i] != NULL; i++)
    if (!lk_cli_setting_assign (&settings, assignments[i], &error))
      return error->domain == G_OPTION_ERROR ? lk_cli_usage_error ("settings", error->message)
                                             : lk_cli_failure ("settings", error);
  if (assignments != NULL && !lk_store_save_session_settings (store, &settings, &error))
    return lk_cli_failure ("settings", error);

  lk_cli_print_settings (&settings, "", NULL);
  warn_gold ("settings", store, &settings);

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
  EXPORT_MODEL,
  EXPORT_MODEL_JSON,
  EXPORT_TRIALS,
  EXPORT_TRIALS_JSON,
  EXPORT_GROUP_NAMES,
  EXPORT_SCORES,
  EXPORT_SCORES_JSON,
  EXPORT_PARTICIPANTS,
  EXPORT_GOLD,
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
    case EXPORT_MODEL:
      return lk_export_model_csv (store, path, error);
    case EXPORT_MODEL_JSON:
      return lk_export_model_json (store, path, error);
    case EXPORT_TRIALS:
      return lk_export_trials_csv (store, path, error);
    case EXPORT_TRIALS_JSON:
      return lk_export_trials_json (store, path, error);
    case EXPORT_GROUP_NAMES:
      return lk_export_group_names_csv (store, path, error);
    case EXPORT_SCORES:
      return lk_export_scores (store, FALSE, path, error);
    case EXPORT_SCORES_JSON:
      return lk_export_scores (store, TRUE, path, error);
    case EXPORT_PARTICIPANTS:
      return lk_export_participants_csv (store, path, error);
    case EXPORT_GOLD:
      return lk_export_gold_csv (store, path, error);
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
  g_autofree char *model = NULL, *model_json = NULL;
  g_autofree char *trials = NULL, *trials_json = NULL, *group_names = NULL;
  g_autofree char *scores = NULL, *scores_json = NULL;
  g_autofree char *participants = NULL, *gold = NULL;
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
    { "model", 0, 0, G_OPTION_ARG_FILENAME, &model,
      "the method's output in every phase (positions, clusters, worker parameters) as CSV, "
      "one value a row", "FILE" },
    { "model-json", 0, 0, G_OPTION_ARG_FILENAME, &model_json,
      "the same as JSON", "FILE" },
    { "trials", 0, 0, G_OPTION_ARG_FILENAME, &trials,
      "the trials of the tasks other than sorting as tidy CSV, one row per trial and image",
      "FILE" },
    { "trials-json", 0, 0, G_OPTION_ARG_FILENAME, &trials_json,
      "the trials as JSON, one object per trial", "FILE" },
    { "group-names", 0, 0, G_OPTION_ARG_FILENAME, &group_names,
      "the names participants gave the groups of their sorting answers, as CSV", "FILE" },
    { "scores", 0, 0, G_OPTION_ARG_FILENAME, &scores,
      "every metric's scores on the trials as tidy CSV (as 'likeness-cli score --csv')", "FILE" },
    { "scores-json", 0, 0, G_OPTION_ARG_FILENAME, &scores_json,
      "the same scores as JSON (as 'likeness-cli score --json')", "FILE" },
    { "participants", 0, 0, G_OPTION_ARG_FILENAME, &participants,
      "each participant's quality figures as CSV: status, left out, consistency, gold score, "
      "flags", "FILE" },
    { "gold", 0, 0, G_OPTION_ARG_FILENAME, &gold,
      "the known answers as CSV (as 'likeness-cli gold --export')", "FILE" },
    { NULL }
  };
  const char *targets[EXPORT_GOLD + 1] = { NULL };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(LkStore) store = NULL;
  g_autoptr(GError) error = NULL;
  guint64 k = 10, round = 0;
  guint n_stdout = 0;
  int status = 0;

  context = lk_cli_parse ("export", "STUDY",
                   "Exports a study for analysis in R or pandas; give one or more of the files; "
                   "'-' as a file name writes to standard output.",
                   entries, NULL, &argc, &argv, 1, &status);
  if (context == NULL)
    return status;
  if (answers == NULL && pairs == NULL && json == NULL && embedding == NULL && knn == NULL &&
      neighbours == NULL && neighbours_json == NULL && judgements == NULL &&
      judgements_json == NULL && model == NULL && model_json == NULL && trials == NULL &&
      trials_json == NULL && group_names == NULL && scores == NULL && scores_json == NULL &&
      participants == NULL && gold == NULL)
    return lk_cli_usage_error ("export", "nothing to export: give --answers, --pairs, --json, "
                        "--embedding, --knn, --neighbours, --neighbours-json, --judgements, "
                        "--judgements-json, --model, --model-json, --trials, --trials-json, "
                        "--group-names, --scores, --scores-json, --participants or --gold "
                        "with a file name");
  if (k_text != NULL && !lk_cli_parse_uint ("--k", k_text, 1, 1000, &k, &error))
    return lk_cli_usage_error ("export", error->message);
  if (round_text != NULL && !lk_cli_parse_uint ("--round", round_text, 1, G_MAXINT, &round, &error))
    return lk_cli_usage_error ("export", error->message);
  targets[EXPORT_ANSWERS] = answers;
  targets[EXPORT_PAIRS] = pairs;
  targets[EXPORT_JSON] = json;
  targets[EXPORT_EMBEDDING] = embedding;
  targets[EXPORT_KNN] = knn;
  targets[EXPORT_NEIGHBOURS] = neighbours;
  targets[EXPORT_NEIGHBOURS_JSON] = neighbours_json;
  targets[EXPORT_JUDGEMENTS] = judgements;
  targets[EXPORT_JUDGEMENTS_JSON] = judgements_json;
  targets[EXPORT_TRIALS] = trials;
  targets[EXPORT_TRIALS_JSON] = trials_json;
  targets[EXPORT_GROUP_NAMES] = group_names;
  targets[EXPORT_SCORES] = scores;
  targets[EXPORT_SCORES_JSON] = scores_json;
  targets[EXPORT_MODEL] = model;
  targets[EXPORT_MODEL_JSON] = model_json;
  targets[EXPORT_PARTICIPANTS] = participants;
  targets[EXPORT_GOLD] = gold;
  for (guint i = 0; i < G_N_ELEMENTS (targets); i++)
    n_stdout += g_strcmp0 (targets[i], "-") == 0;
  if (n_stdout > 1)
    return lk_cli_usage_error ("export", "only one export can go to standard output ('-'); "
                        "give the others a file name");

  store = lk_store_open (argv[1], LK_STORE_OPEN_READ_ONLY, &error);
  if (store == NULL)
    return lk_cli_failure ("export", error);

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
       !export_one (store, EXPORT_JUDGEMENTS_JSON, (guint) round, judgements_json, &error)) ||
      (model != NULL && !export_one (store, EXPORT_MODEL, 0, model, &error)) ||
      (model_json != NULL && !export_one (store, EXPORT_MODEL_JSON, 0, model_json, &error)))
    return lk_cli_failure ("export", error);
  for (ExportKind kind = EXPORT_TRIALS; kind <= EXPORT_GOLD; kind++)
    if (targets[kind] != NULL && !export_one (store, kind, 0, targets[kind], &error))
      return lk_cli_failure ("export", error);

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

  context = lk_cli_parse ("import-answers", "STUDY CSV",
                   "Adds answers from a tidy CSV (the form `export --answers` writes), all or "
                   "none: every bad row is reported by its line number. Answers the study "
                   "already holds are recognised and skipped.",
                   NULL, NULL, &argc, &argv, 2, &status);
  if (context == NULL)
    return status;

  store = lk_store_open (argv[1], LK_STORE_OPEN_DEFAULT, &error);
  if (store == NULL)
    return lk_cli_failure ("import-answers", error);

  n = lk_export_import_answers (store, argv[2], &skipped, &error);
  if (error != NULL)
    return lk_cli_failure ("import-answers", error);

  if (skipped > 0)
    printf ("imported %u answers; skipped %u already in the study\n", n, skipped);
  else
    printf ("imported %u answers\n", n);
  return 0;
}

int
lk_cli_import_trials (int    argc,
                      char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(LkStore) store = NULL;
  g_autoptr(GError) error = NULL;
  guint n, skipped = 0;
  int status = 0;

  context = lk_cli_parse ("import-trials", "STUDY CSV",
                   "Adds trials of the tasks other than sorting (triplet, choice5, match, "
                   "intruder) from a trials CSV (the form `export --trials` writes), all or none; "
                   "images are found by path, so the CSV may come from another study of the same "
                   "images. Trials the study already holds are recognised and skipped.",
                   NULL, NULL, &argc, &argv, 2, &status);
  if (context == NULL)
    return status;

  store = lk_store_open (argv[1], LK_STORE_OPEN_DEFAULT, &error);
  if (store == NULL)
    return lk_cli_failure ("import-trials", error);

  n = lk_export_import_trials (store, argv[2], &skipped, &error);
  if (error != NULL)
    return lk_cli_failure ("import-trials", error);

  printf ("imported %u trials; skipped %u already in the study\n", n, skipped);
  return 0;
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

  context = lk_cli_parse ("check", "STUDY",
                   "Checks a study's integrity: SQLite's integrity and foreign-key checks, then "
                   "the study's own invariants. Exit status 0 if sound, 1 if not.",
                   NULL, NULL, &argc, &argv, 1, &status);
  if (context == NULL)
    return status;

  store = lk_store_open (argv[1], LK_STORE_OPEN_READ_ONLY | LK_STORE_OPEN_UNCHECKED |
                                  LK_STORE_OPEN_UNFINISHED, &error);
  if (store == NULL)
    return lk_cli_failure ("check", error);
  if (!lk_store_check (store, &report, &error))
    {
      if (report != NULL)
        fputs (report, stdout);
      return lk_cli_failure ("check", error);
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

  context = lk_cli_parse ("copy", "STUDY COPY",
                   "Writes one complete file of a study, with every answer committed so far, "
                   "even while the study is open elsewhere (its -wal file holds the latest "
                   "answers until the study is closed, so copying the .likeness file alone may "
                   "miss them). COPY must not exist.",
                   NULL, NULL, &argc, &argv, 2, &status);
  if (context == NULL)
    return status;

  store = lk_store_open (argv[1], LK_STORE_OPEN_READ_ONLY, &error);
  if (store == NULL || !lk_store_save_copy (store, argv[2], &error))
    return lk_cli_failure ("copy", error);

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

  context = lk_cli_parse ("judge", "STUDY",
                   "Draws a round of the paper's manual judging: seed images sampled from the "
                   "study, each with its k-NN under the learned metric and under a descriptor, "
                   "to be marked in the app (likeness --judge=STUDY).",
                   entries, NULL, &argc, &argv, 1, &status);
  if (context == NULL)
    return status;
  if (judge == NULL || *judge == '\0')
    return lk_cli_usage_error ("judge", "give the judge's code with --judge CODE");
  if (baseline_text != NULL &&
      (!lk_space_kind_from_string (baseline_text, &baseline) || baseline == LK_SPACE_LEARNED))
    return lk_cli_usage_error ("judge", "--baseline is color or hog");
  if ((seeds_text != NULL && !lk_cli_parse_uint ("--seeds", seeds_text, 1, 100000, &n_seeds, &error)) ||
      (seed_text != NULL &&
       !lk_cli_parse_uint ("--sample-seed", seed_text, 0, G_MAXINT64, &sample_seed, &error)) ||
      (k_text != NULL && !lk_cli_parse_uint ("--k", k_text, 1, 1000, &k, &error)))
    return lk_cli_usage_error ("judge", error->message);

  store = lk_store_open (argv[1], LK_STORE_OPEN_DEFAULT, &error);
  if (store == NULL)
    return lk_cli_failure ("judge", error);
  round = lk_judging_round_create (store, judge, baseline, (guint) k, (guint) n_seeds,
                                   sample_seed, &error);
  if (round == NULL)
    return lk_cli_failure ("judge", error);
  lk_judging_round_count_marked (round, &shown);
  printf ("round %" G_GINT64_FORMAT ": %u seeds, %u images to mark\n", round->id, round->n_seeds,
          shown);

  return 0;
}
