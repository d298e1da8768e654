/* lk-cli-answer.c — likeness-cli answer and `simulate --study`: simulated participants answer a
 * study file's grids through the store, as sessions do
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "lk-answers.h"
#include "lk-cli.h"
#include "lk-collection.h"
#include "lk-image-features.h"
#include "lk-neighbours.h"
#include "lk-participants.h"
#include "lk-rng.h"
#include "lk-store.h"
#include "lk-trial-draw.h"

/* Trials asked for with --trials, per kind (LkTaskKind), in the order they are drawn: match
 * first, so that a choice5 block drawn in the same run can use the pairs it collected. */
static const LkTaskKind trial_kinds[] = {
  LK_TASK_MATCH, LK_TASK_TRIPLET, LK_TASK_CHOICE5, LK_TASK_INTRUDER,
};

typedef struct {
  guint    count[LK_N_TASK_KINDS];
  guint    raters;
  gboolean any;
} TrialRequest;

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

      if (thumb == NULL)
        return NULL;
      if (!lk_image_features_compute (thumb, LK_FEATURE_COLOR,
                                      features + (gsize) i * LK_COLOR_DESCRIPTOR_DIM, error))
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
    return lk_cli_failure (command, error);

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

/* Returns the stored trials (NULL on error), and in @max_group their largest group. */
static GPtrArray *
stored_trials (LkStore  *store,
               guint    *max_group,
               GError  **error)
{
  GPtrArray *trials = lk_answers_list_trials (store, error);

  *max_group = 0;
  for (guint i = 0; trials != NULL && i < trials->len; i++)
    *max_group = MAX (*max_group, ((const LkTrial *) g_ptr_array_index (trials, i))->group);

  return trials;
}

/* The participant and session of rater @r (0: @participant itself, else "@participant-R<r+1>"),
 * created when new; a session is begun for each on first use. */
typedef struct {
  gint64 session;
  guint  worker;
} Rater;

static gboolean
rater_begin (LkStore     *store,
             const char  *participant,
             guint        r,
             Rater       *out,
             GError     **error)
{
  g_autofree char *code = r == 0 ? g_strdup (participant) : g_strdup_printf ("%s-R%u",
                                                                              participant, r + 1);
  gint64 person = lk_store_find_participant (store, code);

  if (person == 0)
    person = lk_store_add_participant (store, code, TRUE, FALSE, "simulated", error);
  if (person == 0)
    return FALSE;
  out->session = lk_store_begin_session (store, person, "likeness-cli", error);
  if (out->session == 0)
    return FALSE;
  out->worker = lk_participants_worker_index (store, person, error);

  return out->worker != LK_PARTICIPANT_UNKNOWN;
}

/* Draws the trials @request asks for from the study's current embedding (and its colour and
 * HOG descriptors for the triplets' metric mix and choice5's distractors) and has @request's
 * raters answer each by @truth, storing every answer as it is given. Each drawn trial is a group
 * its raters share. choice5 uses the `pair` policy on the pairs match answers collected (this
 * run's included, lk_trial_draw_match_pairs(): the partner most raters picked), `random`
 * without any; intruder HITs come from k-means of the embedding. */
static gboolean
answer_trials (LkStore            *store,
               const LkRefiner    *refiner,
               const LkDataset    *truth,
               const LkNoise      *noise,
               const char         *participant,
               const TrialRequest *request,
               GError            **error)
{
  guint n = lk_dataset_get_n_items (truth), group = 0, n_metrics = 0, n_pairs = 0;
  g_autofree guint *pairs = NULL;
  g_autoptr(GPtrArray) trials = NULL;
  g_autofree guint *clusters = NULL;
  g_autofree Rater *raters = g_new0 (Rater, request->raters);
  LkSpace *spaces[2] = { NULL, NULL };
  LkScoreDistanceFunc funcs[2] = { lk_space_distance, lk_space_distance };
  gpointer data[2];
  LkTrialDrawContext ctx = { 0 };
  g_autoptr(gsl_rng) rng = NULL;
  gboolean ok = FALSE;

  trials = stored_trials (store, &group, error);
  if (trials == NULL)
    return FALSE;
  pairs = lk_trial_draw_match_pairs (trials, n, &n_pairs);
  /* Each run draws from its own stream: the seed and how many groups the file holds. */
  rng = lk_rng_new (lk_rng_derive (lk_store_get_params (store)->seed, 1000 + group));
  for (guint k = LK_SPACE_COLOR; k <= LK_SPACE_HOG; k++)
    {
      g_autoptr(GError) local_error = NULL;
      LkSpace *space = lk_space_load (store, k, &local_error);

      if (space == NULL && !g_error_matches (local_error, LK_STORE_ERROR, LK_STORE_ERROR_NOT_FOUND))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          goto out;
        }
      if (space != NULL)
        data[n_metrics] = spaces[n_metrics] = space, n_metrics++;
    }

  ctx.n_items = n;
  /* Before the first phase there is no learned metric yet, only the starting embedding. */
  ctx.learned = lk_refiner_get_phase (refiner) > 0 ? lk_refiner_get_embedding (refiner) : NULL;
  ctx.metrics = funcs;
  ctx.metric_data = data;
  ctx.n_metrics = n_metrics;
  ctx.pairs = pairs;
  ctx.n_pairs = n;
  ctx.random_share = LK_TRIAL_DRAW_RANDOM_SHARE;
  if (request->count[LK_TASK_INTRUDER] > 0 && ctx.learned == NULL)
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           "An intruder trial needs clusters or a learned embedding, and the "
                           "study has completed no phase yet: answer grids first");
      goto out;
    }
  if (request->count[LK_TASK_INTRUDER] > 0)
    {
      clusters = lk_trial_draw_clusters (ctx.learned, 0, rng);
      ctx.clusters = clusters;
    }

  for (guint r = 0; r < request->raters; r++)
    if (!rater_begin (store, participant, r, &raters[r], error))
      goto out;

  for (guint k = 0; k < G_N_ELEMENTS (trial_kinds); k++)
    {
      LkTaskKind kind = trial_kinds[k];
      ctx.policy = kind == LK_TASK_CHOICE5 ? (n_pairs > 0 ? "pair" : "random") : NULL;
      for (guint t = 0; t < request->count[kind]; t++)
        {
          g_autoptr(LkTrial) trial = lk_trial_draw (kind, &ctx, rng, error);

          if (trial == NULL)
            goto out;
          trial->group = ++group;
          for (guint r = 0; r < request->raters; r++)
            {
              g_autoptr(LkTrial) rated = lk_trial_copy (trial);
              gint64 shown = g_get_real_time (), id;

              lk_simulate_answer_trial (truth, rated, noise, rng);
              rated->participant = raters[r].worker;
              id = lk_answers_save_trial (store, rated, raters[r].session, 0, shown,
                                          g_get_real_time (), error);
              if (id == 0)
                goto out;
              if (kind == LK_TASK_MATCH)
                g_ptr_array_add (trials, g_steal_pointer (&rated));
              printf ("saved %" G_GINT64_FORMAT "\n", id);
              fflush (stdout);
            }
          if (kind == LK_TASK_MATCH)
            {
              g_free (pairs);
              pairs = lk_trial_draw_match_pairs (trials, n, &n_pairs);
              ctx.pairs = pairs;
            }
        }
    }

  ok = TRUE;
  for (guint r = 0; r < request->raters && ok; r++)
    ok = lk_store_end_session (store, raters[r].session, error);

out:
  for (guint i = 0; i < n_metrics; i++)
    lk_space_unref (spaces[i]);
  return ok;
}

static int
answer_study (const char         *command,
              const char         *path,
              const char         *participant,
              const char         *truth_path,
              guint64             count,
              const LkNoise      *noise,
              const TrialRequest *trials)
{
  g_autoptr(LkStore) store = NULL;
  g_autoptr(LkRefiner) refiner = NULL;
  g_autoptr(LkDataset) truth = NULL;
  g_autoptr(LkCrowd) crowd = NULL;
  g_autoptr(GError) error = NULL;
  guint answered = 0, worker;
  gboolean in_model = TRUE;
  gint64 person, session;
  LkStoreCounts counts;

  store = lk_store_open (path, LK_STORE_OPEN_DEFAULT, &error);
  if (store == NULL)
    return lk_cli_failure (command, error);
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
  crowd = lk_crowd_new (truth, lk_store_get_params (store)->nc, noise,
                        lk_rng_derive (lk_store_get_params (store)->seed, 7 + counts.answers));

  person = lk_store_find_participant (store, participant);
  if (person == 0)
    person = lk_store_add_participant (store, participant, TRUE, FALSE, "simulated", &error);
  session = person != 0 ? lk_store_begin_session (store, person, "likeness-cli", &error) : 0;
  if (session == 0)
    return store_failure (command, store, error);
  /* The answers carry the participant as the replay gives it (lk-participants.c). */
  worker = lk_participants_worker_index (store, person, &error);
  if (worker == LK_PARTICIPANT_UNKNOWN)
    return store_failure (command, store, error);
  {
    g_autoptr(GArray) excluded = lk_participants_excluded_workers (store, &error);

    if (excluded == NULL)
      return store_failure (command, store, error);
    for (guint i = 0; i < excluded->len; i++)
      in_model = in_model && g_array_index (excluded, guint, i) != worker;
  }

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
          lk_query_set_participant (q, worker);
          if (in_model)
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
  if (trials->any &&
      !answer_trials (store, refiner, truth, noise, participant, trials, &error))
    return store_failure (command, store, error);

  return 0;
}

/* Parses --trials: KIND:N[,KIND:N...] of the kinds other than sorting. */
static gboolean
parse_trials (const char    *text,
              TrialRequest  *out,
              GError       **error)
{
  g_auto(GStrv) parts = g_strsplit (text, ",", -1);

  for (guint i = 0; parts[i] != NULL; i++)
    {
      g_auto(GStrv) kv = g_strsplit (g_strstrip (parts[i]), ":", -1);
      LkTaskKind kind;
      guint64 n;

      if (g_strv_length (kv) != 2 || !lk_task_kind_from_string (kv[0], &kind) ||
          lk_task_kind_is_sorting (kind))
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       "--trials: '%s' is not KIND:N with KIND one of triplet, choice5, match, "
                       "intruder", parts[i]);
          return FALSE;
        }
      if (!lk_cli_parse_uint ("--trials", kv[1], 1, 100000, &n, error))
        return FALSE;
      out->count[kind] += (guint) n;
      out->any = TRUE;
    }

  return TRUE;
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
  g_autofree char *trials_text = NULL, *raters_text = NULL, *bin_text = NULL, *out_text = NULL;
  const GOptionEntry entries[] = {
    { "participant", 0, 0, G_OPTION_ARG_STRING, &participant,
      "the simulated participant's code (default SIM-1)", "CODE" },
    { "count", 'n', 0, G_OPTION_ARG_STRING, &count_text,
      "answer at most N grids (default: until the budget is spent)", "N" },
    { "truth", 0, 0, G_OPTION_ARG_FILENAME, &truth,
      "ground truth: a CSV of id (the image's path relative to the collection's folder) and "
      "feature columns (default: the colour descriptor of each thumbnail)", "FILE.csv" },
    { "trials", 0, 0, G_OPTION_ARG_STRING, &trials_text,
      "then draw and answer trials of other tasks from the current embedding, e.g. "
      "triplet:60,choice5:30,match:40,intruder:20", "KIND:N,..." },
    { "raters", 0, 0, G_OPTION_ARG_STRING, &raters_text,
      "simulated participants answering each trial (CODE, CODE-R2, ...; default 3)", "R" },
    { "noise-random-bin", 0, 0, G_OPTION_ARG_STRING, &bin_text,
      "share of items (grids) or answers (trials) given at random (default 0)", "P" },
    { "noise-left-out", 0, 0, G_OPTION_ARG_STRING, &out_text,
      "share of items left out, or trials left undecided where the task allows (default 0)",
      "P" },
    /* Without @study_option this entry's NULL name ends the list. */
    { study_option ? "study" : NULL, 0, 0, G_OPTION_ARG_FILENAME, &study, "the study to answer",
      "STUDY" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  guint64 count = G_MAXUINT32, raters = 3;
  TrialRequest trials = { { 0 }, 3, FALSE };
  LkNoise noise = { 0.0, 0.0 };
  int status = 0;

  context = lk_cli_parse (command, study_option ? "--study STUDY" : "STUDY",
                   "Answers a study's grids with a simulated participant, who sorts each grid "
                   "by k-means of its images' ground-truth features, saving each answer before "
                   "the next and printing 'saved ID' once it is on disk. With --trials, then "
                   "draws trials of other tasks from the study's embedding and has --raters "
                   "simulated participants answer each by the same ground truth.",
                   entries, NULL, &argc, &argv, study_option ? 0 : 1, &status);
  if (context == NULL)
    return status;
  if (study_option && study == NULL)
    return lk_cli_usage_error (command, "--study STUDY is missing: the study whose grids to answer");
  if (count_text != NULL &&
      !lk_cli_parse_uint ("--count", count_text, 1, G_MAXUINT32, &count, &error))
    return lk_cli_usage_error (command, error->message);
  if (participant != NULL && (*participant == '\0' || !g_utf8_validate (participant, -1, NULL)))
    return lk_cli_usage_error (command, "--participant: the code must be non-empty UTF-8 text");
  if ((trials_text != NULL && !parse_trials (trials_text, &trials, &error)) ||
      (raters_text != NULL && !lk_cli_parse_uint ("--raters", raters_text, 1, 100, &raters,
                                                  &error)) ||
      (bin_text != NULL && !lk_cli_parse_double ("--noise-random-bin", bin_text, 0.0, 1.0,
                                                 &noise.random_bin, &error)) ||
      (out_text != NULL && !lk_cli_parse_double ("--noise-left-out", out_text, 0.0, 1.0,
                                                 &noise.left_out, &error)))
    return lk_cli_usage_error (command, error->message);
  if (raters_text != NULL && trials_text == NULL)
    return lk_cli_usage_error (command, "--raters applies to --trials, which is missing");
  trials.raters = (guint) raters;

  return answer_study (command, study_option ? study : argv[1],
                       participant != NULL ? participant : "SIM-1", truth, count,
                       bin_text != NULL || out_text != NULL ? &noise : NULL, &trials);
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
