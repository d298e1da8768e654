/* test-trials.c — trials of every task kind and sorting answers' group names in the study file:
 * stored and read back exactly, refused when malformed, replayed in answer order, checked
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "lk-answers.h"
#include "lk-export.h"
#include "lk-scores.h"
#include "lk-session-settings.h"
#include "lk-store.h"

#include "lk-store-test.h"

typedef struct {
  char    *dir;
  char    *path;
  LkStore *store;
  gint64   session;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  LkParams params = store_test_params ();
  gint64 p;

  f->dir = store_test_tmpdir ();
  f->path = g_build_filename (f->dir, "study.likeness", NULL);
  f->store = lk_store_create (f->path, &params, lk_method_triplet, &error);
  g_assert_no_error (error);
  store_test_add_images (f->store, 30);
  /* A first participant without answers, so that P2's dense index is 1, not its row id. */
  p = lk_store_add_participant (f->store, "P1", TRUE, FALSE, NULL, &error);
  g_assert_no_error (error);
  p = lk_store_add_participant (f->store, "P2", TRUE, FALSE, NULL, &error);
  g_assert_no_error (error);
  f->session = lk_store_begin_session (f->store, p, "station-a", &error);
  g_assert_no_error (error);
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

/* One answered trial of each kind other than sorting, with what each logs set to values a
 * reader could not get by default (swapped, a key, a group, a choice not 0). */
static GPtrArray *
make_trials (void)
{
  GPtrArray *trials = g_ptr_array_new_with_free_func ((GDestroyNotify) lk_trial_free);
  const guint triplet[] = { 4, 17, 9 };
  const guint choice5[] = { 2, 11, 25, 3, 8, 19 };
  const guint match[] = { 6, 1, 14, 27, 12 };
  const guint intruder[] = { 20, 21, 22, 29, 23, 24, 26, 28 };
  LkTrial *t;

  t = lk_trial_new (LK_TASK_TRIPLET, triplet, 3);
  t->swapped = TRUE;
  t->group = 41;
  t->choice = LK_TRIPLET_ANSWER_B_CLOSER;
  g_ptr_array_add (trials, t);

  t = lk_trial_new (LK_TASK_CHOICE5, choice5, 6);
  t->key = 4;
  t->choice = 2;
  g_ptr_array_add (trials, t);

  /* A match page of four candidates answered "none of these". */
  t = lk_trial_new (LK_TASK_MATCH, match, 5);
  t->key = 3;
  t->choice = LK_TRIAL_NONE;
  g_ptr_array_add (trials, t);

  t = lk_trial_new (LK_TASK_INTRUDER, intruder, 8);
  t->key = 3;
  t->group = 7;
  t->choice = 5;
  g_ptr_array_add (trials, t);

  return trials;
}

static void
assert_trials_equal (const LkTrial *a,
                     const LkTrial *b)
{
  g_assert_cmpint (a->kind, ==, b->kind);
  g_assert_cmpuint (a->n_items, ==, b->n_items);
  g_assert_cmpmem (a->items, a->n_items * sizeof (guint), b->items, b->n_items * sizeof (guint));
  g_assert_cmpint (a->swapped, ==, b->swapped);
  g_assert_cmpint (a->key, ==, b->key);
  g_assert_cmpuint (a->group, ==, b->group);
  g_assert_cmpint (a->choice, ==, b->choice);
}

static void
test_round_trip (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) trials = make_trials ();
  g_autoptr(GPtrArray) read = NULL;
  g_autofree char *report = NULL;
  LkStoreCounts counts;
  sqlite3_stmt *stmt;
  gint64 ids[4];

  for (guint i = 0; i < trials->len; i++)
    {
      ids[i] = lk_answers_save_trial (f->store, g_ptr_array_index (trials, i), f->session, i + 1,
                                      1000000 + 10 * i, 1002385 + 10 * i, &error);
      g_assert_no_error (error);
      g_assert_cmpint (ids[i], >, 0);
    }

  read = lk_answers_list_trials (f->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (read->len, ==, trials->len);
  for (guint i = 0; i < read->len; i++)
    {
      const LkTrial *t = g_ptr_array_index (read, i);

      assert_trials_equal (t, g_ptr_array_index (trials, i));
      g_assert_cmpuint (t->participant, ==, 1);
    }

  /* The rows themselves: kind, block, times, and the answer's choice. */
  stmt = lk_store_prepare (f->store, "SELECT q.kind, t.block, a.shown_us, a.submitted_us, "
                           "a.choice, q.drawn, q.state FROM answer a JOIN query q ON "
                           "q.id = a.query JOIN trial t ON t.query = q.id WHERE a.id = ?", &error);
  g_assert_no_error (error);
  for (guint i = 0; i < trials->len; i++)
    {
      const LkTrial *t = g_ptr_array_index (trials, i);

      sqlite3_bind_int64 (stmt, 1, ids[i]);
      g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
      g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==,
                       lk_task_kind_to_string (t->kind));
      g_assert_cmpint (sqlite3_column_int (stmt, 1), ==, i + 1);
      g_assert_cmpint (sqlite3_column_int64 (stmt, 2), ==, 1000000 + 10 * i);
      g_assert_cmpint (sqlite3_column_int64 (stmt, 3), ==, 1002385 + 10 * i);
      g_assert_cmpint (sqlite3_column_int (stmt, 4), ==, t->choice);
      g_assert_cmpint (sqlite3_column_int (stmt, 5), ==, 0);
      g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 6), ==, "answered");
      sqlite3_reset (stmt);
    }

  /* Trials are not grids: the counts keep them apart, and the study is sound. */
  g_assert_true (lk_store_get_counts (f->store, &counts, &error));
  g_assert_cmpuint (counts.trials, ==, 4);
  g_assert_cmpuint (counts.answers, ==, 0);
  g_assert_cmpuint (counts.queries, ==, 0);
  g_assert_true (lk_store_check (f->store, &report, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (report, ==, "ok");
}

static void
test_refused (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LkTrial) t = NULL;
  const guint items[] = { 4, 17, 9 };
  const guint outside[] = { 4, 17, 30 };
  gint64 n;

  /* Unanswered */
  t = lk_trial_new (LK_TASK_TRIPLET, items, 3);
  g_assert_cmpint (lk_answers_save_trial (f->store, t, f->session, 0, 0, 1, &error), ==, 0);
  g_assert_error (error, LK_STORE_ERROR, LK_STORE_ERROR_INVALID);
  g_clear_error (&error);

  /* An answer the kind does not have */
  t->choice = 5;
  g_assert_cmpint (lk_answers_save_trial (f->store, t, f->session, 0, 0, 1, &error), ==, 0);
  g_assert_error (error, LK_STORE_ERROR, LK_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_clear_pointer (&t, lk_trial_free);

  /* An image the collection (30 images) does not have: refused inside the transaction,
   * which leaves nothing behind. */
  t = lk_trial_new (LK_TASK_TRIPLET, outside, 3);
  t->choice = LK_TRIPLET_ANSWER_A_CLOSER;
  g_assert_cmpint (lk_answers_save_trial (f->store, t, f->session, 0, 0, 1, &error), ==, 0);
  g_assert_error (error, LK_STORE_ERROR, LK_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_true (lk_store_query_int (f->store, "SELECT count(*) FROM query", 0, &n, &error));
  g_assert_cmpint (n, ==, 0);
}

static void
test_group_names (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LkRefiner) refiner = NULL;
  g_autoptr(GArray) ids = NULL;
  g_autoptr(LkQuery) q = NULL;
  g_auto(GStrv) names = NULL;
  g_autoptr(GPtrArray) trials = make_trials ();
  const char *given[] = { "  round ones ", NULL, "Stripes, \"wide\"" };
  g_autofree char *names_path = g_build_filename (f->dir, "names.csv", NULL);
  g_autofree char *csv = NULL;
  g_autofree char *expected = NULL;
  const char *too_many[] = { "a", "b", "c", "d" };
  gint64 answer, trial;

  refiner = lk_answers_rebuild (f->store, NULL, &error);
  g_assert_no_error (error);
  ids = lk_answers_draw_queries (f->store, refiner, &error);
  g_assert_no_error (error);
  q = lk_answers_get_query (f->store, g_array_index (ids, gint64, 0), NULL, &error);
  store_test_answer (q, 3, 1);
  answer = lk_answers_save (f->store, g_array_index (ids, gint64, 0), q, f->session, 5, 9, NULL,
                            0, &error);
  g_assert_no_error (error);

  g_assert_true (lk_answers_save_group_names (f->store, answer, given, 3, &error));
  g_assert_no_error (error);
  names = lk_answers_get_group_names (f->store, answer, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (names), ==, 3);
  g_assert_cmpstr (names[0], ==, "round ones");
  g_assert_cmpstr (names[1], ==, "");
  g_assert_cmpstr (names[2], ==, "Stripes, \"wide\"");
  g_assert_true (lk_export_group_names_csv (f->store, names_path, &error));
  g_assert_true (g_file_get_contents (names_path, &csv, NULL, &error));
  expected = g_strdup_printf ("answer,participant,query,bin,name\n"
                              "%" G_GINT64_FORMAT ",P2,%" G_GINT64_FORMAT ",0,round ones\n"
                              "%" G_GINT64_FORMAT ",P2,%" G_GINT64_FORMAT ",2,\"Stripes, "
                              "\"\"wide\"\"\"\n", answer, g_array_index (ids, gint64, 0),
                              answer, g_array_index (ids, gint64, 0));
  g_assert_cmpstr (csv, ==, expected);

  /* More names than bins, and names on a trial's answer, are refused. */
  g_assert_false (lk_answers_save_group_names (f->store, answer, too_many, 4, &error));
  g_assert_error (error, LK_STORE_ERROR, LK_STORE_ERROR_INVALID);
  g_clear_error (&error);
  trial = lk_answers_save_trial (f->store, g_ptr_array_index (trials, 0), f->session, 0, 0, 1,
                                 &error);
  g_assert_no_error (error);
  g_assert_false (lk_answers_save_group_names (f->store, trial, given, 3, &error));
  g_assert_error (error, LK_STORE_ERROR, LK_STORE_ERROR_NOT_FOUND);
}

/* Answers every open query of the study and stores trial @t after the first of them. */
static void
answer_open_with_trial (Fixture        *f,
                        const LkTrial  *t,
                        guint           salt)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) open = lk_answers_list_open (f->store, &error);

  g_assert_no_error (error);
  for (guint i = 0; i < open->len; i++)
    {
      g_autoptr(LkQuery) q = lk_answers_get_query (f->store, g_array_index (open, gint64, i),
                                                   NULL, &error);

      store_test_answer (q, 3, salt + i);
      g_assert_cmpint (lk_answers_save (f->store, g_array_index (open, gint64, i), q, f->session,
                                        0, 1, NULL, 0, &error), >, 0);
      g_assert_no_error (error);
      if (i == 0 && t != NULL)
        {
          g_assert_cmpint (lk_answers_save_trial (f->store, t, f->session, 1, 2, 3, &error), >, 0);
          g_assert_no_error (error);
        }
    }
}

static void
test_replay (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) trials = make_trials ();
  g_autoptr(LkRefiner) refiner = NULL;
  g_autoptr(LkRefiner) rebuilt = NULL;
  const GPtrArray *added;
  GArray *drawn;
  gboolean reproduced = FALSE;
  LkUpdateStats stats;

  /* A trial before any grid, one in each of two phases, one after the last answer. */
  g_assert_cmpint (lk_answers_save_trial (f->store, g_ptr_array_index (trials, 0), f->session, 0,
                                          0, 1, &error), >, 0);
  refiner = lk_answers_rebuild (f->store, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (lk_refiner_get_trials (refiner)->len, ==, 1);
  drawn = lk_answers_draw_queries (f->store, refiner, &error);
  g_assert_no_error (error);
  g_clear_pointer (&drawn, g_array_unref);
  answer_open_with_trial (f, g_ptr_array_index (trials, 1), 0);
  g_clear_pointer (&refiner, lk_refiner_free);
  refiner = lk_answers_rebuild (f->store, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (lk_answers_end_phase (f->store, refiner, &stats, &error));
  g_assert_no_error (error);
  drawn = lk_answers_draw_queries (f->store, refiner, &error);
  g_assert_no_error (error);
  g_clear_pointer (&drawn, g_array_unref);
  answer_open_with_trial (f, g_ptr_array_index (trials, 2), 5);
  g_assert_cmpint (lk_answers_save_trial (f->store, g_ptr_array_index (trials, 3), f->session, 2,
                                          0, 1, &error), >, 0);

  rebuilt = lk_answers_rebuild (f->store, &reproduced, &error);
  g_assert_no_error (error);
  g_assert_true (reproduced);
  added = lk_refiner_get_trials (rebuilt);
  g_assert_cmpuint (added->len, ==, 4);
  for (guint i = 0; i < added->len; i++)
    assert_trials_equal (g_ptr_array_index (added, i), g_ptr_array_index (trials, i));
  /* The sorting answers are all there, and no trial among them. */
  g_assert_cmpuint (lk_refiner_get_answers (rebuilt)->len, ==, 8);
}

static void
test_check_damaged (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) trials = make_trials ();
  g_autofree char *report = NULL;
  g_autofree char *expected = NULL;
  gint64 answer = 0, query;

  for (guint i = 0; i < trials->len; i++)
    {
      answer = lk_answers_save_trial (f->store, g_ptr_array_index (trials, i), f->session, 0, 0,
                                      1, &error);
      g_assert_no_error (error);
    }
  /* The intruder trial (the last) is given an answer position 8 of its 8 images. */
  g_assert_true (lk_store_query_int (f->store, "SELECT query FROM answer WHERE id = ?", answer,
                                     &query, &error));
  g_assert_true (lk_store_exec (f->store, "UPDATE answer SET choice = 8 WHERE id = "
                                "(SELECT max(id) FROM answer)", &error));
  g_assert_no_error (error);

  g_assert_false (lk_store_check (f->store, &report, &error));
  g_assert_error (error, LK_STORE_ERROR, LK_STORE_ERROR_DAMAGED);
  g_clear_error (&error);
  expected = g_strdup_printf ("Trial %" G_GINT64_FORMAT " is damaged: 8 is not an answer a "
                              "intruder trial can have", query);
  g_assert_nonnull (strstr (report, expected));

  g_assert_null (lk_answers_list_trials (f->store, &error));
  g_assert_error (error, LK_STORE_ERROR, LK_STORE_ERROR_DAMAGED);
}

/* Each kind's trial exported exactly: the rows worked out by hand from make_trials() and the
 * roles, sides, key and chosen columns the export's comment defines. */
static void
test_export (Fixture       *f,
             gconstpointer  data)
{
  static const char expected[] = LK_EXPORT_TRIALS_HEADER "\n"
  "1,P2,1,1,triplet,1,41,0,0,4,img4.png,query,top,0,0,4,1000000,1002385\n"
  "1,P2,1,1,triplet,1,41,0,1,17,img17.png,a,right,0,0,4,1000000,1002385\n"
  "1,P2,1,1,triplet,1,41,0,2,9,img9.png,b,left,0,1,4,1000000,1002385\n"
  "2,P2,1,2,choice5,2,0,0,0,2,img2.png,query,,0,0,2,1000010,1002395\n"
  "2,P2,1,2,choice5,2,0,0,1,11,img11.png,candidate,,0,0,2,1000010,1002395\n"
  "2,P2,1,2,choice5,2,0,0,2,25,img25.png,candidate,,0,1,2,1000010,1002395\n"
  "2,P2,1,2,choice5,2,0,0,3,3,img3.png,candidate,,0,0,2,1000010,1002395\n"
  "2,P2,1,2,choice5,2,0,0,4,8,img8.png,candidate,,1,0,2,1000010,1002395\n"
  "2,P2,1,2,choice5,2,0,0,5,19,img19.png,candidate,,0,0,2,1000010,1002395\n"
  "3,P2,1,3,match,3,0,0,0,6,img6.png,query,,0,0,none,1000020,1002405\n"
  "3,P2,1,3,match,3,0,0,1,1,img1.png,candidate,,0,0,none,1000020,1002405\n"
  "3,P2,1,3,match,3,0,0,2,14,img14.png,candidate,,0,0,none,1000020,1002405\n"
  "3,P2,1,3,match,3,0,0,3,27,img27.png,candidate,,1,0,none,1000020,1002405\n"
  "3,P2,1,3,match,3,0,0,4,12,img12.png,candidate,,0,0,none,1000020,1002405\n"
  "4,P2,1,4,intruder,4,7,0,0,20,img20.png,image,,0,0,5,1000030,1002415\n"
  "4,P2,1,4,intruder,4,7,0,1,21,img21.png,image,,0,0,5,1000030,1002415\n"
  "4,P2,1,4,intruder,4,7,0,2,22,img22.png,image,,0,0,5,1000030,1002415\n"
  "4,P2,1,4,intruder,4,7,0,3,29,img29.png,image,,1,0,5,1000030,1002415\n"
  "4,P2,1,4,intruder,4,7,0,4,23,img23.png,image,,0,0,5,1000030,1002415\n"
  "4,P2,1,4,intruder,4,7,0,5,24,img24.png,image,,0,1,5,1000030,1002415\n"
  "4,P2,1,4,intruder,4,7,0,6,26,img26.png,image,,0,0,5,1000030,1002415\n"
  "4,P2,1,4,intruder,4,7,0,7,28,img28.png,image,,0,0,5,1000030,1002415\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) trials = make_trials ();
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *csv_path = g_build_filename (f->dir, "trials.csv", NULL);
  g_autofree char *json_path = g_build_filename (f->dir, "trials.json", NULL);
  g_autofree char *names_path = g_build_filename (f->dir, "names.csv", NULL);
  g_autofree char *csv = NULL;
  g_autofree char *names = NULL;
  JsonArray *array;
  JsonObject *o;
  JsonArray *items;

  for (guint i = 0; i < trials->len; i++)
    {
      g_assert_cmpint (lk_answers_save_trial (f->store, g_ptr_array_index (trials, i), f->session,
                                              i + 1, 1000000 + 10 * i, 1002385 + 10 * i,
                                              &error), ==, i + 1);
      g_assert_no_error (error);
    }
  g_assert_cmpint (f->session, ==, 1);

  g_assert_true (lk_export_trials_csv (f->store, csv_path, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (csv_path, &csv, NULL, &error));
  g_assert_cmpstr (csv, ==, expected);

  g_assert_true (lk_export_trials_json (f->store, json_path, &error));
  g_assert_no_error (error);
  g_assert_true (json_parser_load_from_file (parser, json_path, &error));
  g_assert_no_error (error);
  array = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)),
                                        "trials");
  g_assert_cmpuint (json_array_get_length (array), ==, 4);
  o = json_array_get_object_element (array, 0);
  g_assert_cmpstr (json_object_get_string_member (o, "kind"), ==, "triplet");
  g_assert_cmpstr (json_object_get_string_member (o, "participant"), ==, "P2");
  g_assert_true (json_object_get_boolean_member (o, "swapped"));
  g_assert_true (json_object_get_null_member (o, "key"));
  g_assert_cmpint (json_object_get_int_member (o, "choice"), ==, 4);
  g_assert_cmpint (json_object_get_int_member (o, "group"), ==, 41);
  g_assert_cmpint (json_object_get_int_member (o, "block"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (o, "shown_us"), ==, 1000000);
  g_assert_cmpint (json_object_get_int_member (o, "submitted_us"), ==, 1002385);
  items = json_object_get_array_member (o, "items");
  g_assert_cmpuint (json_array_get_length (items), ==, 3);
  g_assert_cmpint (json_array_get_int_element (items, 1), ==, 17);
  g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (o, "paths"), 2),
                   ==, "img9.png");
  o = json_array_get_object_element (array, 2);
  g_assert_cmpstr (json_object_get_string_member (o, "kind"), ==, "match");
  g_assert_cmpstr (json_object_get_string_member (o, "choice"), ==, "none");
  g_assert_cmpint (json_object_get_int_member (o, "key"), ==, 3);
  o = json_array_get_object_element (array, 3);
  g_assert_cmpint (json_object_get_int_member (o, "choice"), ==, 5);
  g_assert_cmpint (json_array_get_int_element (json_object_get_array_member (o, "items"), 7),
                   ==, 28);

  /* No group names yet: the header alone. */
  g_assert_true (lk_export_group_names_csv (f->store, names_path, &error));
  g_assert_true (g_file_get_contents (names_path, &names, NULL, &error));
  g_assert_cmpstr (names, ==, "answer,participant,query,bin,name\n");
}

static void
test_plan_setting (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_auto(LkSessionSettings) settings = { 0 };
  g_auto(LkSessionSettings) loaded = { 0 };
  g_autofree char *text = NULL;
  LkPlan plan;

  /* Without a plan: one sort block of the budget (12, no limit per participant) after the
   * practice grids (1). */
  lk_session_settings_init (&settings);
  g_assert_true (lk_session_settings_get_plan (&settings, lk_store_get_params (f->store), &plan,
                                               &error));
  text = lk_plan_to_string (&plan);
  g_assert_cmpstr (text, ==, "sort:12:1");
  g_clear_pointer (&text, g_free);

  g_assert_true (lk_session_settings_set (&settings, "plan", " sort:3 , triplet:20:2", &error));
  g_assert_no_error (error);
  g_assert_true (lk_store_save_session_settings (f->store, &settings, &error));
  g_assert_no_error (error);
  g_assert_true (lk_store_load_session_settings (f->store, &loaded, &error));
  g_assert_true (lk_session_settings_get_plan (&loaded, lk_store_get_params (f->store), &plan,
                                               &error));
  g_assert_cmpuint (plan.n_blocks, ==, 2);
  g_assert_cmpint (plan.blocks[1].kind, ==, LK_TASK_TRIPLET);
  g_assert_cmpuint (plan.blocks[1].count, ==, 20);
  g_assert_cmpuint (plan.blocks[1].practice, ==, 2);

  /* A plan that does not parse names the block. */
  g_assert_false (lk_session_settings_set (&settings, "plan", "sort:3,triplets:20", &error));
  g_assert_error (error, LK_STORE_ERROR, LK_STORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "triplets"));
  g_clear_error (&error);

  /* Sorting more grids than the budget (12) is refused, with what to change; so is an intruder
   * block for a collection smaller than two clusters of seven. */
  g_assert_true (lk_session_settings_set (&settings, "plan", "sort:13", &error));
  g_assert_false (lk_store_save_session_settings (f->store, &settings, &error));
  g_assert_error (error, LK_STORE_ERROR, LK_STORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "budget is 12"));
  g_clear_error (&error);

  g_assert_false (lk_session_settings_check_plan (&(LkPlan) { .blocks = { { LK_TASK_INTRUDER, 5,
                                                                             0 } },
                                                              .n_blocks = 1 },
                                                  lk_store_get_params (f->store), 13, &error));
  g_assert_error (error, LK_STORE_ERROR, LK_STORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "needs at least 14 images and the collection has 13"));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(name, func) \
  g_test_add ("/lk/store/trials/" name, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("round-trip", test_round_trip);
  ADD ("refused", test_refused);
  ADD ("group-names", test_group_names);
  ADD ("replay", test_replay);
  ADD ("check-damaged", test_check_damaged);
  ADD ("export", test_export);
  ADD ("plan-setting", test_plan_setting);

#undef ADD

  return g_test_run ();
}
