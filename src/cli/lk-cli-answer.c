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
#include "lk-participants.h"
#include "lk-store.h"

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
  crowd = lk_crowd_new (truth, lk_store_get_params (store)->nc, NULL,
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

  context = lk_cli_parse (command, study_option ? "--study STUDY" : "STUDY",
                   "Answers a study's grids with a simulated participant, who sorts each grid "
                   "by k-means of its images' ground-truth features, saving each answer before "
                   "the next and printing 'saved ID' once it is on disk.",
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
