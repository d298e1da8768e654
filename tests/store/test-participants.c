/* test-participants.c — participants as workers in the replay, leaving one out of the model
 * and back in, and what `participants` reports of each
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <math.h>
#include <string.h>

#include <json-glib/json-glib.h>

#include "lk-answers.h"
#include "lk-cen.h"
#include "lk-export.h"
#include "lk-gold.h"
#include "lk-method-private.h"
#include "lk-participants.h"
#include "lk-session-settings.h"
#include "lk-store.h"
#include "lk-scores.h"
#include "lk-trial.h"

#include "lk-store-test.h"

#define N_IMAGES 30

static const char *const codes[] = { "P-ANN", "P-BOB", "P-CID" };

typedef struct {
  char    *dir;
  char    *path;
  LkStore *store;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  const char *method_name = data;
  g_autoptr(GError) error = NULL;
  LkParams params = store_test_params ();

  params.budget = 18;
  f->dir = store_test_tmpdir ();
  f->path = g_build_filename (f->dir, "study.likeness", NULL);
  f->store = lk_store_create (f->path, &params, lk_method_lookup (method_name), &error);
  g_assert_no_error (error);
  store_test_add_images (f->store, N_IMAGES);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_pointer (&f->store, lk_store_close);
  lk_test_rmdir (f->dir);
  g_free (f->path);
  g_free (f->dir);
}

/* Participant @p's sorting of @q: each sorts by their own rule, so they disagree. */
static void
answer_as (LkQuery *q,
           guint    nc,
           guint    p)
{
  guint n = lk_query_get_n_items (q);
  g_autofree gint *bins = g_new (gint, n);

  for (guint i = 0; i < n; i++)
    {
      guint item = lk_query_get_item (q, i);

      bins[i] = p == 0 ? (gint) (item % nc) : p == 1 ? (gint) ((item / 10) % nc)
                : (gint) ((item * 7 + 3) % (nc + 1)) - 1;
    }
  g_assert_true (lk_query_set_answer (q, bins, nc, NULL));
}

/* Runs the whole study, each open grid answered by the three participants in turn, every
 * phase ended and stored; the live refiner's answers carry the participant's worker index as
 * the app's run gives it. */
static void
run_study (LkStore *store)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LkRefiner) live = lk_answers_rebuild (store, NULL, &error);
  gint64 sessions[3];
  guint turn = 0, given[3] = { 0 };

  g_assert_no_error (error);
  for (guint p = 0; p < 3; p++)
    {
      gint64 id = lk_store_add_participant (store, codes[p], TRUE, p == 2, NULL, &error);

      g_assert_no_error (error);
      sessions[p] = lk_store_begin_session (store, id, "test", &error);
      g_assert_no_error (error);
      g_assert_cmpuint (lk_participants_worker_index (store, id, &error), ==, p);
    }
  while (!lk_refiner_is_done (live))
    {
      g_autoptr(GArray) ids = lk_answers_draw_queries (store, live, &error);
      g_autoptr(GArray) open = NULL;

      g_assert_no_error (error);
      open = lk_answers_list_open (store, &error);
      g_assert_no_error (error);
      for (guint i = 0; i < open->len; i++, turn++)
        {
          gint64 qid = g_array_index (open, gint64, i);
          g_autoptr(LkQuery) q = lk_answers_get_query (store, qid, NULL, &error);
          guint p = turn % 3;

          g_assert_no_error (error);
          answer_as (q, lk_store_get_params (store)->nc, p);
          /* Participant p's k-th grid takes p + 1 + k seconds. */
          g_assert_cmpint (lk_answers_save (store, qid, q, sessions[p], 1000000 * turn,
                                            1000000 * turn + 1000000 * (p + 1 + given[p]++),
                                            NULL, 0, &error), >, 0);
          g_assert_no_error (error);
          lk_query_set_participant (q, p);
          lk_refiner_add_answer (live, q);
        }
      g_assert_true (lk_answers_end_phase (store, live, NULL, &error));
      g_assert_no_error (error);
    }
}

/* The embedding of each phase the replay ends, appended to a GPtrArray of GBytes. */
static void
collect_phase (const LkRefiner     *refiner,
               const LkUpdateStats *stats,
               gpointer             user_data)
{
  const LkEmbedding *e = lk_refiner_get_embedding (refiner);

  g_ptr_array_add (user_data, g_bytes_new (lk_embedding_get_data (e),
                                           sizeof (double) * lk_embedding_get_n_items (e)
                                           * lk_embedding_get_dim (e)));
}

static GPtrArray *
replay_phases (LkStore *store)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LkRefiner) refiner = NULL;
  GPtrArray *phases = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  LkAnswersPending pending;

  refiner = lk_answers_replay (store, &pending, collect_phase, phases, &error);
  g_assert_no_error (error);
  g_assert_nonnull (refiner);
  g_assert_false (pending.phase_missing);
  lk_answers_pending_clear (&pending);

  return phases;
}

/* The replay gives each answer its participant's worker index and reproduces, for the methods
 * that model the workers too, what the live run with those indices stored. */
static void
test_replay_workers (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LkRefiner) rebuilt = NULL;
  g_autoptr(GArray) answers = NULL;
  gboolean reproduced = FALSE;

  run_study (f->store);
  rebuilt = lk_answers_rebuild (f->store, &reproduced, &error);
  g_assert_no_error (error);
  g_assert_true (reproduced);

  answers = lk_store_query_ids (f->store, "SELECT a.query FROM answer a ORDER BY a.id", 0,
                                "test", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (answers->len, ==, 18);
  for (guint i = 0; i < answers->len; i++)
    {
      g_autoptr(LkQuery) q = lk_answers_get_query (f->store, g_array_index (answers, gint64, i),
                                                   NULL, &error);

      g_assert_no_error (error);
      g_assert_cmpuint (lk_query_get_participant (q), ==, i % 3);
    }
}

/* Leaving a participant out recomputes exactly what the same study without their answers
 * gives (every phase's embedding, bit for bit); bringing them back gives the stored run again. */
static void
test_exclude_equals_without (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *without_path = g_build_filename (f->dir, "without.likeness", NULL);
  g_autoptr(LkStore) without = NULL;
  g_autoptr(GPtrArray) all = NULL, excluded = NULL, reference = NULL, back = NULL;
  g_autoptr(GArray) workers = NULL;
  gint64 n_answers;
  gboolean reproduced = TRUE;

  run_study (f->store);
  all = replay_phases (f->store);
  g_assert_cmpuint (all->len, >, 0);

  /* The same study, with P-BOB's answers never given: their grids stay unanswered. */
  g_assert_true (lk_store_save_copy (f->store, without_path, &error));
  g_assert_no_error (error);
  without = lk_store_open (without_path, LK_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  g_assert_true (lk_store_exec (without,
                                "UPDATE query SET state = 'abandoned' WHERE id IN (SELECT a.query "
                                "FROM answer a JOIN participant p ON p.id = a.participant WHERE "
                                "p.code = 'P-BOB');"
                                "DELETE FROM answer WHERE participant = (SELECT id FROM "
                                "participant WHERE code = 'P-BOB');", &error));
  g_assert_no_error (error);
  reference = replay_phases (without);

  g_assert_true (lk_participants_set_excluded (f->store, "P-BOB", TRUE, &error));
  g_assert_no_error (error);
  /* Twice is no error, and one row. */
  g_assert_true (lk_participants_set_excluded (f->store, "P-BOB", TRUE, &error));
  g_assert_no_error (error);
  /* The whole-study JSON says who is left out, with the answers. */
  {
    g_autofree char *json_path = g_build_filename (f->dir, "study.json", NULL);
    g_autoptr(JsonParser) parser = json_parser_new ();
    JsonArray *rows;

    g_assert_true (lk_export_json (f->store, json_path, &error));
    g_assert_no_error (error);
    g_assert_true (json_parser_load_from_file (parser, json_path, &error));
    g_assert_no_error (error);
    rows = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)),
                                         "participant_excluded");
    g_assert_cmpuint (json_array_get_length (rows), ==, 1);
    g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (rows, 0),
                                                 "participant"), ==,
                     lk_store_find_participant (f->store, "P-BOB"));
  }
  workers = lk_participants_excluded_workers (f->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (workers->len, ==, 1);
  g_assert_cmpuint (g_array_index (workers, guint, 0), ==, 1);
  excluded = replay_phases (f->store);

  g_assert_cmpuint (excluded->len, ==, reference->len);
  for (guint i = 0; i < reference->len; i++)
    {
      g_assert_true (g_bytes_equal (g_ptr_array_index (excluded, i),
                                    g_ptr_array_index (reference, i)));
      g_assert_false (g_bytes_equal (g_ptr_array_index (excluded, i),
                                     g_ptr_array_index (all, i)));
    }
  /* The answers stay stored, and the replay says it no longer computes the stored phases. */
  g_assert_true (lk_store_query_int (f->store, "SELECT count(*) FROM answer", 0, &n_answers,
                                     &error));
  g_assert_cmpint (n_answers, ==, 18);
  g_clear_pointer (&back, g_ptr_array_unref);
  {
    g_autoptr(LkRefiner) r = lk_answers_rebuild (f->store, &reproduced, &error);

    g_assert_no_error (error);
    g_assert_false (reproduced);
  }

  g_assert_true (lk_participants_set_excluded (f->store, "P-BOB", FALSE, &error));
  g_assert_no_error (error);
  back = replay_phases (f->store);
  for (guint i = 0; i < all->len; i++)
    g_assert_true (g_bytes_equal (g_ptr_array_index (back, i), g_ptr_array_index (all, i)));

  g_assert_false (lk_participants_set_excluded (f->store, "NOBODY", TRUE, &error));
  g_assert_error (error, LK_STORE_ERROR, LK_STORE_ERROR_INVALID);
}

/* A participant not qualified (failed the exam) is left out exactly as one the experimenter
 * left out: every phase's embedding is that of the same study without their answers, they
 * count among the workers left out, and qualifying them again gives the stored run back. */
static void
test_not_qualified_equals_without (Fixture       *f,
                                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *without_path = g_build_filename (f->dir, "without.likeness", NULL);
  g_autoptr(LkStore) without = NULL;
  g_autoptr(GPtrArray) all = NULL, unqualified = NULL, reference = NULL, back = NULL;
  g_autoptr(GArray) workers = NULL;
  guint left_out = 0;

  run_study (f->store);
  all = replay_phases (f->store);
  g_assert_cmpuint (all->len, >, 0);

  g_assert_true (lk_store_save_copy (f->store, without_path, &error));
  g_assert_no_error (error);
  without = lk_store_open (without_path, LK_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  g_assert_true (lk_store_exec (without,
                                "UPDATE query SET state = 'abandoned' WHERE id IN (SELECT a.query "
                                "FROM answer a JOIN participant p ON p.id = a.participant WHERE "
                                "p.code = 'P-ANN');"
                                "DELETE FROM answer WHERE participant = (SELECT id FROM "
                                "participant WHERE code = 'P-ANN');", &error));
  g_assert_no_error (error);
  reference = replay_phases (without);

  g_assert_true (lk_participants_set_qualified (f->store, "P-ANN", FALSE, &error));
  g_assert_no_error (error);
  workers = lk_participants_excluded_workers (f->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (workers->len, ==, 1);
  g_assert_cmpuint (g_array_index (workers, guint, 0), ==, 0);
  g_assert_true (lk_participants_count_left_out (f->store, &left_out, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (left_out, ==, 6);
  unqualified = replay_phases (f->store);
  g_assert_cmpuint (unqualified->len, ==, reference->len);
  for (guint i = 0; i < reference->len; i++)
    {
      g_assert_true (g_bytes_equal (g_ptr_array_index (unqualified, i),
                                    g_ptr_array_index (reference, i)));
      g_assert_false (g_bytes_equal (g_ptr_array_index (unqualified, i),
                                     g_ptr_array_index (all, i)));
    }

  /* Also left out by the experimenter: still one worker, listed once. */
  g_assert_true (lk_participants_set_excluded (f->store, "P-ANN", TRUE, &error));
  g_assert_no_error (error);
  g_clear_pointer (&workers, g_array_unref);
  workers = lk_participants_excluded_workers (f->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (workers->len, ==, 1);
  g_assert_true (lk_participants_set_excluded (f->store, "P-ANN", FALSE, &error));
  g_assert_no_error (error);

  g_assert_true (lk_participants_set_qualified (f->store, "P-ANN", TRUE, &error));
  g_assert_no_error (error);
  back = replay_phases (f->store);
  for (guint i = 0; i < all->len; i++)
    g_assert_true (g_bytes_equal (g_ptr_array_index (back, i), g_ptr_array_index (all, i)));

  g_assert_false (lk_participants_set_qualified (f->store, "NOBODY", FALSE, &error));
  g_assert_error (error, LK_STORE_ERROR, LK_STORE_ERROR_INVALID);
}

/* The trials of a participant left out (or not qualified) are left out of the replay too, and
 * the other participants' trials after them are still read as trials: P-ANN's triplet comes
 * first, then P-BOB's; with P-ANN not qualified, the replay holds P-BOB's one trial. */
static void
test_trials_left_out (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 sessions[2];

  for (guint p = 0; p < 2; p++)
    {
      gint64 id = lk_store_add_participant (f->store, codes[p], TRUE, FALSE, NULL, &error);
      g_autoptr(LkTrial) t = lk_trial_new (LK_TASK_TRIPLET, (const guint[]) { p, 10, 20 }, 3);

      g_assert_no_error (error);
      sessions[p] = lk_store_begin_session (f->store, id, "test", &error);
      g_assert_no_error (error);
      t->choice = LK_TRIPLET_ANSWER_A_CLOSER;
      g_assert_cmpint (lk_answers_save_trial (f->store, t, sessions[p], 0, 0, 1, &error), >, 0);
      g_assert_no_error (error);
    }
  g_assert_true (lk_participants_set_qualified (f->store, "P-ANN", FALSE, &error));
  g_assert_no_error (error);
  {
    g_autoptr(LkRefiner) refiner = lk_answers_rebuild (f->store, NULL, &error);
    const GPtrArray *trials;

    g_assert_no_error (error);
    g_assert_nonnull (refiner);
    trials = lk_refiner_get_trials (refiner);
    g_assert_cmpuint (trials->len, ==, 1);
    g_assert_cmpuint (((const LkTrial *) g_ptr_array_index (trials, 0))->items[0], ==, 1);
    g_assert_cmpuint (lk_refiner_get_answers (refiner)->len, ==, 0);
  }
}

/* Stores @session's answer to a grid of @items with @bins (3 bins) drawn on the spot; returns
 * its query's id. */
static gint64
save_grid (LkStore      *store,
           gint64        session,
           const guint  *items,
           const gint   *bins,
           guint         n)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LkQuery) q = lk_query_new (items, n);
  gint64 answer, query;

  g_assert_true (lk_query_set_answer (q, bins, 3, &error));
  g_assert_no_error (error);
  answer = lk_answers_save_spot (store, 0, 0, q, session, 0, 1000000, NULL, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpint (answer, >, 0);
  g_assert_true (lk_store_query_int (store, "SELECT query FROM answer WHERE id = ?", answer,
                                     &query, &error));
  g_assert_no_error (error);

  return query;
}

static void
set_query_column (LkStore    *store,
                  const char *column,
                  gint64      query,
                  gint64      value)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *sql = g_strdup_printf ("UPDATE query SET %s = %" G_GINT64_FORMAT " WHERE id = %"
                                          G_GINT64_FORMAT, column, value, query);

  g_assert_true (lk_store_exec (store, sql, &error));
  g_assert_no_error (error);
}

static const LkParticipantInfo *
find_info (GPtrArray  *list,
           const char *code)
{
  for (guint i = 0; i < list->len; i++)
    if (g_str_equal (((LkParticipantInfo *) g_ptr_array_index (list, i))->code, code))
      return g_ptr_array_index (list, i);
  g_assert_not_reached ();
}

/* What the counts call answers: the sorting answers, which the budget counts, checks (a grid
 * shown again, a catch grid) included; an exam's answers and the trials are counted apart, and
 * neither is in the budget, which the worker reads on replay as the model's answers plus those
 * lk_participants_count_left_out() gives. P-ANN sorts two grids, a repeat and a catch grid, then
 * answers an exam grid and a triplet; P-BOB sorts one grid, answers an exam grid and a triplet,
 * and is then not qualified. */
static void
test_counts_by_kind (Fixture       *f,
                     gconstpointer  data)
{
  static const guint gold_items[] = { 0, 1, 2, 3 };
  static const gint gold_bins[] = { 0, 0, 1, 1 };
  static const guint a_items[] = { 4, 5, 6, 7 };
  static const guint b_items[] = { 8, 9, 10, 11 };
  static const gint bins[] = { 0, 1, 1, 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(LkQuery) gold_answer = lk_query_new (gold_items, 4);
  LkStoreCounts counts;
  gint64 sessions[2], gold, first;
  guint left_out = 0;

  for (guint p = 0; p < 2; p++)
    {
      gint64 id = lk_store_add_participant (f->store, codes[p], TRUE, FALSE, NULL, &error);

      g_assert_no_error (error);
      sessions[p] = lk_store_begin_session (f->store, id, "test", &error);
      g_assert_no_error (error);
    }
  g_assert_true (lk_query_set_answer (gold_answer, gold_bins, 2, &error));
  gold = lk_gold_add (f->store, "G", LK_GOLD_USE_EXAM, NULL, "overview", gold_answer, 2, &error);
  g_assert_no_error (error);

  first = save_grid (f->store, sessions[0], a_items, bins, 4);
  save_grid (f->store, sessions[0], b_items, bins, 4);
  set_query_column (f->store, "repeat_of", save_grid (f->store, sessions[0], a_items, bins, 4),
                    first);
  set_query_column (f->store, "gold", save_grid (f->store, sessions[0], gold_items, bins, 4),
                    gold);
  save_grid (f->store, sessions[1], b_items, bins, 4);
  for (guint p = 0; p < 2; p++)
    {
      g_autoptr(LkTrial) t = lk_trial_new (LK_TASK_TRIPLET, (const guint[]) { p, 10, 20 }, 3);

      g_assert_cmpint (lk_gold_save_answer (f->store, gold, LK_TASK_EXAM, gold_answer,
                                            sessions[p], 0, 1000000, NULL, 0, &error), >, 0);
      g_assert_no_error (error);
      t->choice = LK_TRIPLET_ANSWER_A_CLOSER;
      g_assert_cmpint (lk_answers_save_trial (f->store, t, sessions[p], 0, 0, 1, &error), >, 0);
      g_assert_no_error (error);
    }

  g_assert_true (lk_store_get_counts (f->store, &counts, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (counts.answers, ==, 5);
  g_assert_cmpuint (counts.check_answers, ==, 2);
  g_assert_cmpuint (counts.exam_answers, ==, 2);
  g_assert_cmpuint (counts.trials, ==, 2);
  g_assert_cmpuint (counts.queries, ==, 5);
  g_assert_cmpuint (counts.answered, ==, 5);

  /* In the budget but not in the model: the two checks. */
  g_assert_true (lk_participants_count_left_out (f->store, &left_out, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (left_out, ==, 2);
  /* P-BOB not qualified: their sorting grid too, not their exam grid nor their trial. */
  g_assert_true (lk_participants_set_qualified (f->store, "P-BOB", FALSE, &error));
  g_assert_no_error (error);
  g_assert_true (lk_participants_count_left_out (f->store, &left_out, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (left_out, ==, 3);
  g_assert_true (lk_store_get_counts (f->store, &counts, &error));
  g_assert_cmpuint (counts.answers, ==, 5);
}

/* Quality figures from hand-made stored answers, worked by hand:
 * known answer G: images 0 1 2 3 in bins 0 0 1 1, clusters {0,1} {2,3}.
 *   P-ANN: G shown as 3 2 1 0 in bins 0 0 1 1: {3,2} {1,0}, both clusters: 100; twice: mean 100.
 *   P-BOB: G as 0 1 2 3 in 0 1 0 1: {0,2} {1,3}, none: 0; and in 0 0 1 2: {0,1} only: 50;
 *          mean 25.
 * Repeats of images 10 11 12 13 first sorted 0 0 1 1:
 *   P-ANN again as 13 12 11 10 in 0 0 1 1: the same partition, ARI 1.
 *   P-BOB again as 10 11 12 13 in 0 1 0 1: a = (0,0,1,1), b = (0,1,0,1); every cell of the
 *          contingency table holds 1, so sum C(n_ij,2) = 0; the rows and the columns each sum
 *          C(2,2) + C(2,2) = 2; expected 2 * 2 / C(4,2) = 2/3; max (2 + 2) / 2 = 2;
 *          ARI = (0 - 2/3) / (2 - 2/3) = -0.5.
 *   P-BOB also "repeats" P-ANN's first grid: not theirs, so not counted.
 * P-CID answers a grid with neither: no figures, no flags. With the defaults (0.3, 80) P-BOB is
 * flagged both ways and P-ANN not; with thresholds -0.6 and 20 nobody is. */
static void
test_quality (Fixture       *f,
              gconstpointer  data)
{
  static const guint gold_items[] = { 0, 1, 2, 3 };
  static const gint gold_bins[] = { 0, 0, 1, 1 };
  static const guint rev_items[] = { 3, 2, 1, 0 };
  static const gint same_bins[] = { 0, 0, 1, 1 };
  static const gint cross_bins[] = { 0, 1, 0, 1 };
  static const gint half_bins[] = { 0, 0, 1, 2 };
  static const guint rep_items[] = { 10, 11, 12, 13 };
  static const guint rep_rev[] = { 13, 12, 11, 10 };
  static const guint other_items[] = { 20, 21, 22, 23 };
  g_autoptr(GError) error = NULL;
  g_autoptr(LkQuery) gold_answer = lk_query_new (gold_items, 4);
  g_autoptr(GPtrArray) list = NULL;
  g_auto(LkSessionSettings) settings = { 0 };
  gint64 sessions[3], gold, ann_first, bob_first, q;
  const LkParticipantInfo *ann, *bob, *cid;

  for (guint p = 0; p < 3; p++)
    {
      gint64 id = lk_store_add_participant (f->store, codes[p], TRUE, FALSE, NULL, &error);

      g_assert_no_error (error);
      sessions[p] = lk_store_begin_session (f->store, id, "test", &error);
      g_assert_no_error (error);
    }
  g_assert_true (lk_query_set_answer (gold_answer, gold_bins, 2, &error));
  gold = lk_gold_add (f->store, "G", LK_GOLD_USE_EXAM, NULL, "overview", gold_answer, 2, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gold, >, 0);

  for (guint k = 0; k < 2; k++)
    set_query_column (f->store, "gold", save_grid (f->store, sessions[0], rev_items, same_bins, 4),
                      gold);
  set_query_column (f->store, "gold", save_grid (f->store, sessions[1], gold_items, cross_bins, 4),
                    gold);
  set_query_column (f->store, "gold", save_grid (f->store, sessions[1], gold_items, half_bins, 4),
                    gold);

  ann_first = save_grid (f->store, sessions[0], rep_items, same_bins, 4);
  bob_first = save_grid (f->store, sessions[1], rep_items, same_bins, 4);
  set_query_column (f->store, "repeat_of", save_grid (f->store, sessions[0], rep_rev, same_bins, 4),
                    ann_first);
  set_query_column (f->store, "repeat_of",
                    save_grid (f->store, sessions[1], rep_items, cross_bins, 4), bob_first);
  q = save_grid (f->store, sessions[1], rep_items, same_bins, 4);
  set_query_column (f->store, "repeat_of", q, ann_first);
  save_grid (f->store, sessions[2], other_items, same_bins, 4);

  list = lk_participants_list (f->store, NULL, &error);
  g_assert_no_error (error);
  ann = find_info (list, "P-ANN");
  bob = find_info (list, "P-BOB");
  cid = find_info (list, "P-CID");
  g_assert_cmpuint (ann->gold_grids, ==, 2);
  g_assert_cmpfloat_with_epsilon (ann->gold_score, 100, 1e-9);
  g_assert_cmpuint (ann->repeats, ==, 1);
  g_assert_cmpfloat_with_epsilon (ann->consistency, 1, 1e-9);
  g_assert_cmpint (ann->flags, ==, LK_PARTICIPANT_FLAG_NONE);
  g_assert_cmpuint (bob->gold_grids, ==, 2);
  g_assert_cmpfloat_with_epsilon (bob->gold_score, 25, 1e-9);
  g_assert_cmpuint (bob->repeats, ==, 1);
  g_assert_cmpfloat_with_epsilon (bob->consistency, -0.5, 1e-9);
  g_assert_cmpint (bob->flags, ==, LK_PARTICIPANT_FLAG_INCONSISTENT | LK_PARTICIPANT_FLAG_LOW_GOLD);
  g_assert_false (bob->not_qualified);
  g_assert_cmpuint (cid->gold_grids, ==, 0);
  g_assert_cmpuint (cid->repeats, ==, 0);
  g_assert_true (isnan (cid->gold_score) && isnan (cid->consistency));
  g_assert_cmpint (cid->flags, ==, LK_PARTICIPANT_FLAG_NONE);
  {
    g_autofree char *words = lk_participant_flags_to_string (bob->flags);

    g_assert_cmpstr (words, ==, "inconsistent,low-gold");
  }

  /* Other thresholds: nobody flagged; a status shown as it is stored. */
  g_assert_true (lk_store_load_session_settings (f->store, &settings, &error));
  g_assert_no_error (error);
  g_assert_cmpfloat (settings.min_consistency, ==, 0.3);
  g_assert_cmpfloat (settings.min_gold_score, ==, 80);
  g_assert_true (lk_session_settings_set (&settings, "min-consistency", "-0.6", &error));
  g_assert_true (lk_session_settings_set (&settings, "min-gold-score", "20", &error));
  g_assert_no_error (error);
  g_assert_false (lk_session_settings_set (&settings, "min-gold-score", "101", &error));
  g_assert_error (error, LK_STORE_ERROR, LK_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (lk_session_settings_set (&settings, "min-consistency", "x", &error));
  g_assert_error (error, LK_STORE_ERROR, LK_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_true (lk_store_save_session_settings (f->store, &settings, &error));
  g_assert_no_error (error);
  g_assert_true (lk_participants_set_qualified (f->store, "P-BOB", FALSE, &error));
  g_assert_no_error (error);
  g_clear_pointer (&list, g_ptr_array_unref);
  list = lk_participants_list (f->store, NULL, &error);
  g_assert_no_error (error);
  bob = find_info (list, "P-BOB");
  g_assert_cmpint (bob->flags, ==, LK_PARTICIPANT_FLAG_NONE);
  g_assert_true (bob->not_qualified);
  g_assert_cmpfloat_with_epsilon (bob->gold_score, 25, 1e-9);
  g_assert_cmpint (find_info (list, "P-ANN")->flags, ==, LK_PARTICIPANT_FLAG_NONE);
}

/* The list: answers, median times, pilot and excluded flags, the criterion where the method has
 * one, and an agreement computed against the model. */
static void
test_list (Fixture       *f,
           gconstpointer  data)
{
  const char *method_name = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = NULL;

  run_study (f->store);
  g_assert_true (lk_participants_set_excluded (f->store, "P-CID", TRUE, &error));
  g_assert_no_error (error);
  list = lk_participants_list (f->store, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 3);
  for (guint p = 0; p < 3; p++)
    {
      const LkParticipantInfo *info = g_ptr_array_index (list, p);

      g_assert_cmpstr (info->code, ==, codes[p]);
      g_assert_cmpuint (info->worker, ==, p);
      g_assert_cmpuint (info->answers, ==, 6);
      g_assert_cmpint (info->pilot, ==, p == 2);
      g_assert_cmpint (info->excluded, ==, p == 2);
      /* Six grids of p + 1 + k seconds, k = 0..5: the median is p + 1 + 2.5. */
      g_assert_cmpfloat_with_epsilon (info->median_seconds, p + 1 + 2.5, 1e-9);
      g_assert_cmpuint (info->pairs, >, 0);
      g_assert_true (info->agreement >= 0 && info->agreement <= 1);
      if (g_str_equal (method_name, "cen"))
        {
          g_assert_cmpint (info->criterion_kind, ==, LK_CRITERION_ATTRIBUTE_WEIGHTS);
          /* cen knows the participants in the model, not the one left out. */
          if (p == 2)
            g_assert_null (info->criterion);
          else
            g_assert_cmpuint (info->criterion->len, ==, lk_store_get_params (f->store)->dim);
        }
      else if (g_str_equal (method_name, "crowdcluster"))
        {
          g_assert_cmpint (info->criterion_kind, ==, LK_CRITERION_BIAS);
          if (p == 2)
            g_assert_null (info->criterion);
          else
            g_assert_cmpuint (info->criterion->len, ==, 1);
        }
      else
        {
          g_assert_cmpint (info->criterion_kind, ==, LK_CRITERION_NONE);
          g_assert_null (info->criterion);
        }
    }
}

/* The agreement of "paper" (an embedding alone), recounted here from the refiner's embedding
 * with the threshold rule written out: the midpoint of the mean distances of the together and
 * the apart pairs. */
static void
test_agreement_by_hand (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(LkRefiner) refiner = NULL;

  run_study (f->store);
  refiner = lk_answers_rebuild (f->store, NULL, &error);
  g_assert_no_error (error);
  list = lk_participants_list (f->store, refiner, &error);
  g_assert_no_error (error);

  /* Recount by hand with the threshold rule of lk-participants.c. */
  {
    const LkEmbedding *e = lk_refiner_get_embedding (refiner);
    const GPtrArray *answers = lk_refiner_get_answers (refiner);
    double sum[2] = { 0, 0 }, threshold;
    guint n[2] = { 0, 0 }, agree[3] = { 0 }, total[3] = { 0 };

    for (guint q = 0; q < answers->len; q++)
      {
        const LkQuery *query = g_ptr_array_index (answers, q);

        for (guint a = 0; a < lk_query_get_n_items (query); a++)
          for (guint b = a + 1; b < lk_query_get_n_items (query); b++)
            {
              LkPairResult r = lk_query_pair_result (query, a, b);

              if (r == LK_PAIR_NONE)
                continue;
              sum[r == LK_PAIR_POSITIVE] += lk_embedding_distance (e, lk_query_get_item (query, a),
                                                                   lk_query_get_item (query, b));
              n[r == LK_PAIR_POSITIVE]++;
            }
      }
    threshold = (sum[0] / n[0] + sum[1] / n[1]) / 2;
    for (guint q = 0; q < answers->len; q++)
      {
        const LkQuery *query = g_ptr_array_index (answers, q);
        guint p = lk_query_get_participant (query);

        for (guint a = 0; a < lk_query_get_n_items (query); a++)
          for (guint b = a + 1; b < lk_query_get_n_items (query); b++)
            {
              LkPairResult r = lk_query_pair_result (query, a, b);
              gboolean close;

              if (r == LK_PAIR_NONE)
                continue;
              close = lk_embedding_distance (e, lk_query_get_item (query, a),
                                             lk_query_get_item (query, b)) < threshold;
              total[p]++;
              agree[p] += close == (r == LK_PAIR_POSITIVE);
            }
      }
    for (guint p = 0; p < 3; p++)
      {
        const LkParticipantInfo *info = g_ptr_array_index (list, p);

        g_assert_cmpuint (info->pairs, ==, total[p]);
        g_assert_cmpfloat (info->agreement, ==, agree[p] / (double) total[p]);
      }
  }
}

/* Before any phase is folded in, the model says nothing: no agreement. */
static void
test_no_model_yet (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = NULL;
  gint64 id;

  id = lk_store_add_participant (f->store, "P-NEW", TRUE, FALSE, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  list = lk_participants_list (f->store, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 1);
  g_assert_true (isnan (((LkParticipantInfo *) g_ptr_array_index (list, 0))->agreement));
  g_assert_true (isnan (((LkParticipantInfo *) g_ptr_array_index (list, 0))->median_seconds));
  g_assert_cmpuint (((LkParticipantInfo *) g_ptr_array_index (list, 0))->answers, ==, 0);
}

/* One phase of the model as the test reads it from the refiner: the positions, the clusters
 * (crowdcluster) and every worker's parameters in the method's order. */
typedef struct {
  GBytes *positions;
  GArray *clusters;   /* guint, or NULL */
  GArray *workers;    /* guint: each worker's participant index */
  GArray *values;     /* double: their values, in order */
} Phase;

static void
phase_free (gpointer data)
{
  Phase *phase = data;

  g_bytes_unref (phase->positions);
  g_clear_pointer (&phase->clusters, g_array_unref);
  g_array_unref (phase->workers);
  g_array_unref (phase->values);
  g_free (phase);
}

static void
read_phase (const LkRefiner     *refiner,
            const LkUpdateStats *stats,
            gpointer             user_data)
{
  const LkEmbedding *e = lk_refiner_get_embedding (refiner);
  gconstpointer state = lk_refiner_get_state (refiner);
  Phase *phase = g_new0 (Phase, 1);
  guint n = lk_embedding_get_n_items (e), participant;
  double bias;

  phase->positions = g_bytes_new (lk_embedding_get_data (e),
                                  sizeof (double) * n * lk_embedding_get_dim (e));
  phase->workers = g_array_new (FALSE, FALSE, sizeof (guint));
  phase->values = g_array_new (FALSE, FALSE, sizeof (double));
  if (lk_refiner_get_method (refiner) == lk_method_cen)
    for (guint w = 0; w < lk_cen_get_n_participants (state); w++)
      {
        double weights[64];

        lk_cen_get_participant_weights (state, w, &participant, weights);
        g_array_append_val (phase->workers, participant);
        g_array_append_vals (phase->values, weights, lk_refiner_get_params (refiner)->dim);
      }
  else if (lk_refiner_get_method (refiner) == &_lk_method_crowdcluster_type)
    {
      const guint *clusters = _lk_method_crowdcluster_get_clusters (state, NULL);

      g_assert_nonnull (clusters);
      phase->clusters = g_array_new (FALSE, FALSE, sizeof (guint));
      g_array_append_vals (phase->clusters, clusters, n);
      for (guint w = 0; _lk_method_crowdcluster_get_worker (state, w, &participant, &bias); w++)
        {
          g_array_append_val (phase->workers, participant);
          g_array_append_val (phase->values, bias);
        }
    }
  g_ptr_array_add (user_data, phase);
}

/* `export --model` and `--model-json`: every phase's positions, clusters and worker
 * parameters, read back to the same bits as the replay computes them. */
static void
test_model_export (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) phases = g_ptr_array_new_with_free_func (phase_free);
  g_autoptr(LkRefiner) refiner = NULL;
  g_autofree char *csv_path = g_build_filename (f->dir, "model.csv", NULL);
  g_autofree char *json_path = g_build_filename (f->dir, "model.json", NULL);
  g_autofree char *csv = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  LkAnswersPending pending;
  guint dim = lk_store_get_params (f->store)->dim, n_positions = 0, n_clusters = 0, n_values = 0;
  guint *next_value = NULL;
  JsonArray *json_phases;
  JsonObject *root;

  run_study (f->store);
  /* Left out, P-CID is in no phase's workers. */
  g_assert_true (lk_participants_set_excluded (f->store, "P-CID", TRUE, &error));
  g_assert_no_error (error);
  refiner = lk_answers_replay (f->store, &pending, read_phase, phases, &error);
  g_assert_no_error (error);
  lk_answers_pending_clear (&pending);

  g_assert_true (lk_export_model_csv (f->store, csv_path, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (csv_path, &csv, NULL, &error));
  lines = g_strsplit (csv, "\n", -1);
  g_assert_cmpstr (lines[0], ==, "phase,what,item,path,participant,index,value");
  next_value = g_new0 (guint, phases->len);
  for (guint l = 1; lines[l] != NULL && lines[l][0] != '\0'; l++)
    {
      g_auto(GStrv) field = g_strsplit (lines[l], ",", -1);
      guint p = (guint) g_ascii_strtoull (field[0], NULL, 10);
      const Phase *phase;

      g_assert_cmpuint (g_strv_length (field), ==, 7);
      g_assert_cmpuint (p, <, phases->len);
      phase = g_ptr_array_index (phases, p);
      if (g_str_equal (field[1], "position"))
        {
          guint item = (guint) g_ascii_strtoull (field[2], NULL, 10);
          guint d = (guint) g_ascii_strtoull (field[5], NULL, 10);
          const double *x = g_bytes_get_data (phase->positions, NULL);
          g_autofree char *path = g_strdup_printf ("img%u.png", item);

          g_assert_cmpstr (field[3], ==, path);
          g_assert_cmpfloat (g_ascii_strtod (field[6], NULL), ==, x[item * dim + d]);
          n_positions++;
        }
      else if (g_str_equal (field[1], "cluster"))
        {
          guint item = (guint) g_ascii_strtoull (field[2], NULL, 10);

          g_assert_nonnull (phase->clusters);
          g_assert_cmpuint (g_ascii_strtoull (field[6], NULL, 10), ==,
                            g_array_index (phase->clusters, guint, item));
          n_clusters++;
        }
      else
        {
          guint v = next_value[p]++;
          guint per = phase->values->len / phase->workers->len;
          guint worker = g_array_index (phase->workers, guint, v / per);

          g_assert_cmpstr (field[1], ==, g_str_equal (data, "crowdcluster") ? "bias"
                                                                           : "attribute_weight");
          g_assert_cmpstr (field[4], ==, codes[worker]);
          g_assert_cmpuint (g_ascii_strtoull (field[5], NULL, 10), ==, v % per);
          g_assert_cmpfloat (g_ascii_strtod (field[6], NULL), ==,
                             g_array_index (phase->values, double, v));
          n_values++;
        }
    }
  {
    guint want_clusters = 0, want_values = 0;

    for (guint p = 0; p < phases->len; p++)
      {
        const Phase *phase = g_ptr_array_index (phases, p);

        want_clusters += phase->clusters != NULL ? phase->clusters->len : 0;
        want_values += phase->values->len;
        for (guint w = 0; w < phase->workers->len; w++)
          g_assert_cmpuint (g_array_index (phase->workers, guint, w), !=, 2);
      }
    g_assert_cmpuint (n_positions, ==, phases->len * N_IMAGES * dim);
    g_assert_cmpuint (n_clusters, ==, want_clusters);
    g_assert_cmpuint (n_values, ==, want_values);
    if (!g_str_equal (data, "paper"))
      g_assert_cmpuint (want_values, >, 0);
  }

  g_assert_true (lk_export_model_json (f->store, json_path, &error));
  g_assert_no_error (error);
  g_assert_true (json_parser_load_from_file (parser, json_path, &error));
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (root, "method"), ==, data);
  json_phases = json_object_get_array_member (root, "phases");
  g_assert_cmpuint (json_array_get_length (json_phases), ==, phases->len);
  for (guint p = 0; p < phases->len; p++)
    {
      const Phase *phase = g_ptr_array_index (phases, p);
      JsonObject *o = json_array_get_object_element (json_phases, p);
      JsonArray *positions = json_object_get_array_member (o, "positions");
      JsonArray *workers = json_object_get_array_member (o, "workers");
      const double *x = g_bytes_get_data (phase->positions, NULL);
      guint v = 0;

      g_assert_cmpuint (json_array_get_length (positions), ==, N_IMAGES);
      for (guint i = 0; i < N_IMAGES; i++)
        for (guint d = 0; d < dim; d++)
          g_assert_cmpfloat (json_array_get_double_element (
                               json_array_get_array_element (positions, i), d), ==,
                             x[i * dim + d]);
      if (phase->clusters == NULL)
        g_assert_true (json_object_get_null_member (o, "clusters"));
      else
        for (guint i = 0; i < N_IMAGES; i++)
          g_assert_cmpint (json_array_get_int_element (json_object_get_array_member (o, "clusters"),
                                                       i), ==,
                           g_array_index (phase->clusters, guint, i));
      g_assert_cmpuint (json_array_get_length (workers), ==, phase->workers->len);
      for (guint w = 0; w < phase->workers->len; w++)
        {
          JsonObject *worker = json_array_get_object_element (workers, w);
          JsonArray *values = json_object_get_array_member (worker, "values");

          g_assert_cmpstr (json_object_get_string_member (worker, "participant"), ==,
                           codes[g_array_index (phase->workers, guint, w)]);
          for (guint k = 0; k < json_array_get_length (values); k++, v++)
            g_assert_cmpfloat (json_array_get_double_element (values, k), ==,
                               g_array_index (phase->values, double, v));
        }
      g_assert_cmpuint (v, ==, phase->values->len);
    }
  g_free (next_value);
}

int
main (int   argc,
      char *argv[])
{
  static const char *const methods[] = { "cen", "crowdcluster", "paper" };

  g_test_init (&argc, &argv, NULL);

  for (guint m = 0; m < G_N_ELEMENTS (methods); m++)
    {
      g_autofree char *replay = g_strdup_printf ("/lk/store/participants/%s/replay-workers",
                                                 methods[m]);
      g_autofree char *exclude = g_strdup_printf ("/lk/store/participants/%s/exclude",
                                                  methods[m]);
      g_autofree char *list = g_strdup_printf ("/lk/store/participants/%s/list", methods[m]);

      g_test_add (replay, Fixture, methods[m], fixture_setup, test_replay_workers,
                  fixture_teardown);
      g_test_add (exclude, Fixture, methods[m], fixture_setup, test_exclude_equals_without,
                  fixture_teardown);
      g_test_add (list, Fixture, methods[m], fixture_setup, test_list, fixture_teardown);
      {
        g_autofree char *unqualified =
          g_strdup_printf ("/lk/store/participants/%s/not-qualified", methods[m]);

        g_test_add (unqualified, Fixture, methods[m], fixture_setup,
                    test_not_qualified_equals_without, fixture_teardown);
      }
      {
        g_autofree char *model = g_strdup_printf ("/lk/store/participants/%s/model-export",
                                                  methods[m]);

        g_test_add (model, Fixture, methods[m], fixture_setup, test_model_export,
                    fixture_teardown);
      }
    }
  g_test_add ("/lk/store/participants/paper/agreement-by-hand", Fixture, "paper", fixture_setup,
              test_agreement_by_hand, fixture_teardown);
  g_test_add ("/lk/store/participants/paper/quality", Fixture, "paper", fixture_setup,
              test_quality, fixture_teardown);
  g_test_add ("/lk/store/participants/triplet/trials-left-out", Fixture, "triplet",
              fixture_setup, test_trials_left_out, fixture_teardown);
  g_test_add ("/lk/store/participants/paper/no-model-yet", Fixture, "paper", fixture_setup,
              test_no_model_yet, fixture_teardown);
  g_test_add ("/lk/store/participants/paper/counts-by-kind", Fixture, "paper", fixture_setup,
              test_counts_by_kind, fixture_teardown);

  return g_test_run ();
}
