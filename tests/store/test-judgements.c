/* test-judgements.c — judging rounds: planning, marks that survive a kill, Table 1's scores on a
 * hand-worked case, the v4 → v5 migration, and the exports parsed back
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <json-glib/json-glib.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lk-export.h"
#include "lk-image-features.h"
#include "lk-judgements.h"
#include "lk-store-test.h"
#include "tests/lk-judging-test.h"

typedef struct {
  char    *dir;
  char    *path;
  LkStore *store;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  LkParams params = store_test_params ();

  f->dir = store_test_tmpdir ();
  f->path = g_build_filename (f->dir, "study.likeness", NULL);
  f->store = lk_store_create (f->path, &params, lk_method_lookup ("paper"), &error);
  g_assert_no_error (error);
  store_test_add_images (f->store, LK_JUDGING_TEST_N);
  lk_judging_test_add_vectors (f->store);
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

static guint
seed_index_of (const LkJudgingRound *round,
               guint                 item)
{
  for (guint s = 0; s < round->n_seeds; s++)
    if (round->seeds[s].item == item)
      return s;
  g_assert_not_reached ();
}

static guint
position_of (const LkJudgingSeed *seed,
             guint                item)
{
  for (guint p = 0; p < seed->n_shown; p++)
    if (seed->shown[p].item == item)
      return p;
  g_assert_not_reached ();
}

/* The lists are the hand-worked ones, a shared image is shown once, and the same seed gives
 * the same round. */
static void
test_plan (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LkJudgingRound) round = NULL;
  g_autoptr(LkJudgingRound) again = NULL;
  g_autoptr(LkJudgingRound) part = NULL;
  g_autoptr(LkJudgingRound) part2 = NULL;

  round = lk_judging_round_create (f->store, "J1", LK_SPACE_COLOR, 2, 50, 11, &error);
  g_assert_no_error (error);
  g_assert_cmpint (round->id, >, 0);
  g_assert_cmpuint (round->n_seeds, ==, LK_JUDGING_TEST_N);
  g_assert_cmpint (round->phase, ==, 0);
  for (guint item = 0; item < LK_JUDGING_TEST_N; item++)
    {
      const LkJudgingSeed *seed = &round->seeds[seed_index_of (round, item)];
      guint expected_shown = 4;

      g_assert_cmpuint (seed->n_learned, ==, 2);
      g_assert_cmpuint (seed->n_baseline, ==, 2);
      for (guint r = 0; r < 2; r++)
        {
          g_assert_cmpuint (seed->learned[r].item, ==, lk_judging_test_learned[item][r]);
          g_assert_cmpuint (seed->baseline[r].item, ==, lk_judging_test_colour_nn[item][r]);
        }
      g_assert_cmpfloat_with_epsilon (seed->learned[1].distance,
                                      ABS ((double) item - lk_judging_test_learned[item][1]), 1e-12);
      /* Seeds 0 and 5 share one image between the lists. */
      if (item == 0 || item == LK_JUDGING_TEST_N - 1)
        expected_shown = 3;
      g_assert_cmpuint (seed->n_shown, ==, expected_shown);
      for (guint p = 0; p < seed->n_shown; p++)
        {
          g_assert_cmpint (seed->shown[p].mark, ==, LK_JUDGEMENT_NONE);
          g_assert_true (seed->shown[p].learned_rank > 0 || seed->shown[p].baseline_rank > 0);
        }
    }
  g_assert_cmpuint (round->seeds[seed_index_of (round, 0)].shown[position_of (&round->seeds[seed_index_of (round, 0)], 2)].learned_rank, ==, 2);
  g_assert_cmpuint (round->seeds[seed_index_of (round, 0)].shown[position_of (&round->seeds[seed_index_of (round, 0)], 2)].baseline_rank, ==, 1);

  /* The same seed: the same sample and the same display order. */
  again = lk_judging_round_create (f->store, "J2", LK_SPACE_COLOR, 2, 50, 11, &error);
  g_assert_no_error (error);
  g_assert_cmpint (again->id, ==, round->id + 1);
  for (guint s = 0; s < LK_JUDGING_TEST_N; s++)
    {
      g_assert_cmpuint (again->seeds[s].item, ==, round->seeds[s].item);
      for (guint p = 0; p < round->seeds[s].n_shown; p++)
        g_assert_cmpuint (again->seeds[s].shown[p].item, ==, round->seeds[s].shown[p].item);
    }
  part = lk_judging_round_create (f->store, "J3", LK_SPACE_COLOR, 2, 3, 99, &error);
  part2 = lk_judging_round_create (f->store, "J3", LK_SPACE_COLOR, 2, 3, 99, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (part->n_seeds, ==, 3);
  for (guint s = 0; s < 3; s++)
    g_assert_cmpuint (part->seeds[s].item, ==, part2->seeds[s].item);

  /* No HOG descriptors in this study: a clear error, nothing stored. */
  g_assert_null (lk_judging_round_create (f->store, "J4", LK_SPACE_HOG, 2, 3, 1, &error));
  g_assert_error (error, LK_STORE_ERROR, LK_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  {
    g_autoptr(GPtrArray) list = lk_judgements_list_rounds (f->store, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (list->len, ==, 4);
  }
}

/* Marks the whole round by lk_judging_test_mark(). */
static void
mark_all (LkStore        *store,
          LkJudgingRound *round)
{
  g_autoptr(GError) error = NULL;

  for (guint s = 0; s < round->n_seeds; s++)
    for (guint p = 0; p < round->seeds[s].n_shown; p++)
      {
        gint mark = lk_judging_test_mark (round->seeds[s].item, round->seeds[s].shown[p].item);

        g_assert_true (lk_judging_round_mark (store, round, s, p, mark, &error));
        g_assert_no_error (error);
      }
}

/* Table 1 on the hand case. By lk_judging_test_mark(), (learned similar/very, baseline similar/very):
 *   seed 0: (2/1, 1/0)  win, +1  — image 2 is in both lists and its "similar" counts in both
 *   seed 1: (2/2, 0/0)  win, +2
 *   seed 2: (1/1, 1/0)  win by the very-similar tie-break, 0
 *   seed 3: (1/1, 1/0)  win by the tie-break, 0
 *   seed 4: (2/2, 0/0)  win, +2
 *   seed 5: (2/1, 1/0)  win, +1
 * Success 100 %, Avg. Diff. 6/6 = 1. Then seed 2's image 1 becomes "similar": (1/0, 1/0), a
 * full tie, no win: 5/6 = 83.33 %. Then seed 1's image 3 becomes "very similar": (2/2, 1/1),
 * still a win, +1: Avg. Diff. 5/6. */
static void
test_score (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LkJudgingRound) round = NULL;
  double success = -1, avg = -1;
  guint s2, s1, shown = 0;

  round = lk_judging_round_create (f->store, "J1", LK_SPACE_COLOR, 2, 50, 5, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (lk_judging_round_score (round, &success, &avg), ==, 0);
  g_assert_cmpfloat (success, ==, 0.0);
  mark_all (f->store, round);
  g_assert_cmpuint (lk_judging_round_count_marked (round, &shown), ==, 22);
  g_assert_cmpuint (shown, ==, 22);
  g_assert_cmpuint (lk_judging_round_first_open (round), ==, LK_JUDGING_TEST_N);
  g_assert_cmpuint (lk_judging_round_score (round, &success, &avg), ==, LK_JUDGING_TEST_N);
  g_assert_cmpfloat_with_epsilon (success, 100.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (avg, 1.0, 1e-9);

  s2 = seed_index_of (round, 2);
  g_assert_true (lk_judging_round_mark (f->store, round, s2, position_of (&round->seeds[s2], 1),
                                        LK_JUDGEMENT_SIMILAR, &error));
  lk_judging_round_score (round, &success, &avg);
  g_assert_cmpfloat_with_epsilon (success, 500.0 / 6.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (avg, 1.0, 1e-9);
  s1 = seed_index_of (round, 1);
  g_assert_true (lk_judging_round_mark (f->store, round, s1, position_of (&round->seeds[s1], 3),
                                        LK_JUDGEMENT_VERY_SIMILAR, &error));
  g_assert_no_error (error);
  lk_judging_round_score (round, &success, &avg);
  g_assert_cmpfloat_with_epsilon (success, 500.0 / 6.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (avg, 5.0 / 6.0, 1e-9);

  /* Taking a mark back leaves that seed out of the score. */
  g_assert_true (lk_judging_round_mark (f->store, round, s1, 0, LK_JUDGEMENT_NONE, &error));
  g_assert_cmpuint (lk_judging_round_score (round, &success, &avg), ==, LK_JUDGING_TEST_N - 1);
  g_assert_cmpfloat_with_epsilon (success, 80.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (avg, 4.0 / 5.0, 1e-9);
  g_assert_cmpuint (lk_judging_round_first_open (round), ==, s1);

  /* Bad requests are refused and change nothing. */
  g_assert_false (lk_judging_round_mark (f->store, round, LK_JUDGING_TEST_N, 0, LK_JUDGEMENT_SIMILAR, &error));
  g_assert_error (error, LK_STORE_ERROR, LK_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (lk_judging_round_mark (f->store, round, 0, 0, 7, &error));
  g_assert_error (error, LK_STORE_ERROR, LK_STORE_ERROR_INVALID);
}

#define KILL_MARKS 9

/* In a child process: marks KILL_MARKS images of round 1, then dies by SIGKILL mid-round. */
static void
kill_child (void)
{
  g_autoptr(GError) error = NULL;
  LkStore *store = NULL;
  LkJudgingRound *round;
  guint done = 0;

  if (!g_test_subprocess ())
    return;
  store = lk_store_open (g_getenv ("LK_TEST_JUDGING_STUDY"), LK_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  round = lk_judging_round_load (store, 1, &error);
  g_assert_no_error (error);
  for (guint s = 0; s < round->n_seeds && done < KILL_MARKS; s++)
    for (guint p = 0; p < round->seeds[s].n_shown && done < KILL_MARKS; p++, done++)
      g_assert_true (lk_judging_round_mark (store, round, s, p,
                                            lk_judging_test_mark (round->seeds[s].item,
                                                                  round->seeds[s].shown[p].item),
                                            &error));
  kill (getpid (), SIGKILL);
}

/* Every mark acknowledged before the process was killed is there when the round is resumed,
 * in the same display order, and the round then completes to the hand-worked score. */
static void
test_resume (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LkJudgingRound) round = NULL;
  g_autoptr(LkJudgingRound) back = NULL;
  g_autoptr(GPtrArray) list = NULL;
  double success, avg;
  guint done = 0;

  round = lk_judging_round_create (f->store, "J1", LK_SPACE_COLOR, 2, 50, 3, &error);
  g_assert_no_error (error);
  g_assert_cmpint (round->id, ==, 1);
  g_clear_pointer (&f->store, lk_store_close);

  g_setenv ("LK_TEST_JUDGING_STUDY", f->path, TRUE);
  g_test_trap_subprocess ("/lk/store/judgements/resume/child", 0, G_TEST_SUBPROCESS_DEFAULT);
  g_assert_false (g_test_trap_has_passed ());

  f->store = lk_store_open (f->path, LK_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  list = lk_judgements_list_rounds (f->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 1);
  g_assert_cmpuint (((LkJudgingRoundInfo *) g_ptr_array_index (list, 0))->n_marked, ==, KILL_MARKS);
  g_assert_cmpuint (((LkJudgingRoundInfo *) g_ptr_array_index (list, 0))->n_shown, ==, 22);
  back = lk_judging_round_load (f->store, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (back->judge, ==, "J1");
  g_assert_cmpuint (back->sample_seed, ==, 3);
  g_assert_cmpuint (back->n_seeds, ==, round->n_seeds);
  for (guint s = 0; s < back->n_seeds; s++)
    {
      g_assert_cmpuint (back->seeds[s].item, ==, round->seeds[s].item);
      g_assert_cmpuint (back->seeds[s].n_shown, ==, round->seeds[s].n_shown);
      for (guint r = 0; r < 2; r++)
        g_assert_cmpfloat (back->seeds[s].baseline[r].distance, ==, round->seeds[s].baseline[r].distance);
      for (guint p = 0; p < back->seeds[s].n_shown; p++, done++)
        {
          const LkJudgingShown *sh = &back->seeds[s].shown[p];

          g_assert_cmpuint (sh->item, ==, round->seeds[s].shown[p].item);
          g_assert_cmpuint (sh->learned_rank, ==, round->seeds[s].shown[p].learned_rank);
          g_assert_cmpint (sh->mark, ==, done < KILL_MARKS ? lk_judging_test_mark (back->seeds[s].item, sh->item)
                                                           : LK_JUDGEMENT_NONE);
        }
    }
  g_assert_true (lk_store_check (f->store, NULL, &error));
  g_assert_no_error (error);

  mark_all (f->store, back);
  lk_judging_round_score (back, &success, &avg);
  g_assert_cmpfloat_with_epsilon (success, 100.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (avg, 1.0, 1e-9);
}

/* The CSV has a row per seed x listed neighbour with the marks given, and parses back; the JSON
 * carries the same scores as the round. */
static void
test_export (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LkJudgingRound) round = NULL;
  g_autoptr(LkJudgingRound) other = NULL;
  g_autofree char *csv = g_build_filename (f->dir, "j.csv", NULL);
  g_autofree char *json = g_build_filename (f->dir, "j.json", NULL);
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *r;
  JsonArray *rounds, *seeds;
  guint rows = 0;

  round = lk_judging_round_create (f->store, "judge, \"A\"", LK_SPACE_COLOR, 2, 50, 8, &error);
  other = lk_judging_round_create (f->store, "B", LK_SPACE_COLOR, 2, 2, 8, &error);
  g_assert_no_error (error);
  mark_all (f->store, round);
  /* One mark taken back: an empty mark in the file, that seed left out of the scores. */
  g_assert_true (lk_judging_round_mark (f->store, round, 0, 0, LK_JUDGEMENT_NONE, &error));

  g_assert_true (lk_judgements_export_csv (f->store, round->id, csv, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (csv, &text, NULL, NULL));
  lines = g_strsplit (text, "\n", -1);
  g_assert_cmpstr (lines[0], ==, LK_JUDGEMENTS_CSV_HEADER);
  for (guint i = 1; lines[i] != NULL && *lines[i] != '\0'; i++, rows++)
    {
      g_auto(GStrv) fields = lk_export_parse_csv_line (lines[i], &error);
      guint s, seed_item, nb, rank, position;
      const LkJudgingSeed *seed;
      gboolean learned;
      gint mark;
      g_autofree char *seed_path = NULL;
      g_autofree char *nb_path = NULL;

      g_assert_no_error (error);
      g_assert_cmpuint (g_strv_length (fields), ==, 13);
      g_assert_cmpint (g_ascii_strtoll (fields[0], NULL, 10), ==, round->id);
      g_assert_cmpstr (fields[1], ==, "judge, \"A\"");
      g_assert_cmpstr (fields[2], ==, "color");
      s = atoi (fields[3]);
      seed_item = atoi (fields[4]);
      nb = atoi (fields[6]);
      learned = strcmp (fields[8], "learned") == 0;
      rank = atoi (fields[9]);
      position = atoi (fields[11]);
      seed = &round->seeds[s];
      g_assert_cmpuint (seed->item, ==, seed_item);
      seed_path = g_strdup_printf ("img%u.png", seed_item);
      nb_path = g_strdup_printf ("img%u.png", nb);
      g_assert_cmpstr (fields[5], ==, seed_path);
      g_assert_cmpstr (fields[7], ==, nb_path);
      g_assert_true (learned || strcmp (fields[8], "baseline") == 0);
      g_assert_cmpuint ((learned ? seed->learned : seed->baseline)[rank - 1].item, ==, nb);
      g_assert_cmpfloat (g_ascii_strtod (fields[10], NULL), ==,
                         (learned ? seed->learned : seed->baseline)[rank - 1].distance);
      g_assert_cmpuint (seed->shown[position].item, ==, nb);
      g_assert_true (lk_judgement_from_string (fields[12], &mark));
      g_assert_cmpint (mark, ==, seed->shown[position].mark);
      g_assert_cmpint (mark, ==, s == 0 && position == 0 ? LK_JUDGEMENT_NONE
                                                         : lk_judging_test_mark (seed_item, nb));
    }
  g_assert_cmpuint (rows, ==, LK_JUDGING_TEST_N * 4);

  g_assert_true (lk_judgements_export_json (f->store, 0, json, &error));
  g_assert_no_error (error);
  g_assert_true (json_parser_load_from_file (parser, json, &error));
  rounds = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)), "rounds");
  g_assert_cmpuint (json_array_get_length (rounds), ==, 2);
  r = json_array_get_object_element (rounds, 0);
  g_assert_cmpint (json_object_get_int_member (r, "round"), ==, round->id);
  g_assert_cmpint (json_object_get_int_member (r, "scored_seeds"), ==, LK_JUDGING_TEST_N - 1);
  g_assert_cmpint (json_object_get_int_member (r, "marked"), ==, 21);
  g_assert_cmpint (json_object_get_int_member (r, "shown"), ==, 22);
  {
    double success, avg;

    lk_judging_round_score (round, &success, &avg);
    g_assert_cmpfloat (json_object_get_double_member (r, "success_percent"), ==, success);
    g_assert_cmpfloat (json_object_get_double_member (r, "avg_diff"), ==, avg);
    g_assert_cmpfloat_with_epsilon (success, 100.0, 1e-9);
  }
  seeds = json_object_get_array_member (r, "seed_images");
  g_assert_cmpuint (json_array_get_length (seeds), ==, LK_JUDGING_TEST_N);
  g_assert_false (json_object_get_boolean_member (json_array_get_object_element (seeds, 0), "complete"));
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (seeds, 1), "item"), ==,
                   round->seeds[1].item);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (json_array_get_object_element (seeds, 1), "learned")), ==, 2);
  r = json_array_get_object_element (rounds, 1);
  g_assert_cmpint (json_object_get_int_member (r, "seeds"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (r, "scored_seeds"), ==, 0);

  g_assert_false (lk_judgements_export_json (f->store, 42, json, &error));
  g_assert_error (error, LK_STORE_ERROR, LK_STORE_ERROR_NOT_FOUND);
}

/* A version-4 file (before judging) migrates to version 5 keeping its rows, and takes a round. */
static void
test_migrate (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = store_test_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "v4.likeness", NULL);
  g_autoptr(LkJudgingRound) round = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autofree char *setting = NULL;
  LkStoreCounts counts;
  LkStore *store;
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_true (lk_store_schema_upgrade (db, 0, 4, &error));
  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_exec (db,
    "INSERT INTO study VALUES (1, 'e0b0c4b2-0000-4000-8000-000000000004', '2025-01-01T00:00:00Z',"
    " 'paper', '0.0.4', NULL);"
    "INSERT INTO param VALUES ('nq', '8'), ('nc', '3'), ('knn_k', '10'), ('budget', '12'),"
    " ('phases', '3'), ('seed', '7');"
    "INSERT INTO setting VALUES ('consent', 'ok');"
    "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 5)"
    " INSERT INTO image (item, path, sha256, bytes, mtime_us, width, height, format, imported)"
    " SELECT i, 'img' || i || '.png', 'hash' || i, 10, 0, 4, 4, 'png', '2025' FROM n;",
    NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "SELECT * FROM judging_round", NULL, NULL, NULL), !=, SQLITE_OK);
  g_assert_cmpint (sqlite3_close (db), ==, SQLITE_OK);

  store = lk_store_open (path, LK_STORE_OPEN_READ_ONLY, &error);
  g_assert_null (store);
  g_assert_nonnull (error);
  g_clear_error (&error);

  store = lk_store_open (path, LK_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (lk_store_get_opened_version (store), ==, 4);
  g_assert_true (lk_store_get_counts (store, &counts, &error));
  g_assert_cmpuint (counts.images, ==, LK_JUDGING_TEST_N);
  setting = lk_store_get_setting (store, "consent", &error);
  g_assert_cmpstr (setting, ==, "ok");
  list = lk_judgements_list_rounds (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 0);
  lk_judging_test_add_vectors (store);
  round = lk_judging_round_create (store, "J", LK_SPACE_COLOR, 2, 4, 1, &error);
  g_assert_no_error (error);
  g_assert_true (lk_judging_round_mark (store, round, 0, 0, LK_JUDGEMENT_SIMILAR, &error));
  g_assert_true (lk_store_check (store, NULL, &error));
  g_assert_no_error (error);
  lk_store_close (store);

  store = lk_store_open (path, LK_STORE_OPEN_READ_ONLY, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (lk_store_get_opened_version (store), ==, LK_STORE_SCHEMA_VERSION);
  g_clear_pointer (&round, lk_judging_round_free);
  round = lk_judging_round_load (store, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (round->seeds[0].shown[0].mark, ==, LK_JUDGEMENT_SIMILAR);
  g_assert_cmpuint (lk_judging_round_count_marked (round, NULL), ==, 1);
  lk_store_close (store);
  lk_test_rmdir (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/lk/store/judgements/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("plan", test_plan);
  ADD ("score", test_score);
  ADD ("resume", test_resume);
  ADD ("export", test_export);
#undef ADD
  g_test_add_func ("/lk/store/judgements/resume/child", kill_child);
  g_test_add_func ("/lk/store/judgements/migrate", test_migrate);

  return g_test_run ();
}
