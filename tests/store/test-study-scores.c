/* test-study-scores.c — a study's scores on hand-made trials, worked out by hand
 *
 * The learned embedding is one-dimensional with item i at x = i, so D(i, j) = |i - j|; colour
 * and HOG are not computed, so they are reported unavailable.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <math.h>
#include <string.h>

#include "lk-answers.h"
#include "lk-scores.h"
#include "lk-store.h"
#include "lk-study-scores.h"

#include "lk-store-test.h"

#define N_IMAGES 30

typedef struct {
  char    *dir;
  char    *path;
  LkStore *store;
  gint64   sessions[3];
} Fixture;

/* Stores phase 0 with the embedding x_i = i. */
static void
store_line_embedding (LkStore *store)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) sql = g_string_new ("INSERT INTO phase (phase, ended, answers, n_items, dim, "
                                         "embedding) VALUES (0, '2026-01-01T00:00:00Z', 0, ");

  g_string_append_printf (sql, "%u, 1, x'", N_IMAGES);
  for (guint i = 0; i < N_IMAGES; i++)
    {
      union { double d; guint64 u; } v = { .d = i };
      guint64 le = GUINT64_TO_LE (v.u);
      const guint8 *bytes = (const guint8 *) &le;

      for (guint b = 0; b < 8; b++)
        g_string_append_printf (sql, "%02x", bytes[b]);
    }
  g_string_append (sql, "')");
  g_assert_true (lk_store_exec (store, sql->str, &error));
  g_assert_no_error (error);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  LkParams params = store_test_params ();

  f->dir = store_test_tmpdir ();
  f->path = g_build_filename (f->dir, "study.likeness", NULL);
  f->store = lk_store_create (f->path, &params, lk_method_paper, &error);
  g_assert_no_error (error);
  store_test_add_images (f->store, N_IMAGES);
  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *code = g_strdup_printf ("P%u", i + 1);
      gint64 p = lk_store_add_participant (f->store, code, TRUE, FALSE, NULL, &error);

      g_assert_no_error (error);
      f->sessions[i] = lk_store_begin_session (f->store, p, "station", &error);
      g_assert_no_error (error);
    }
  store_line_embedding (f->store);
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

/* Stores one answered trial of @kind showing @items (@n) with @key and @group, answered @choice
 * by rater @rater (0 to 2). */
static void
save (Fixture     *f,
      LkTaskKind   kind,
      const guint *items,
      guint        n,
      gint         key,
      guint        group,
      gint         choice,
      guint        rater)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LkTrial) t = lk_trial_new (kind, items, n);

  t->key = key;
  t->group = group;
  t->choice = choice;
  g_assert_cmpint (lk_answers_save_trial (f->store, t, f->sessions[rater], 0, 0, 1, &error), >, 0);
  g_assert_no_error (error);
}

static void
save_triplet (Fixture *f,
              guint    q,
              guint    a,
              guint    b,
              guint    group,
              gint     choice,
              guint    rater)
{
  save (f, LK_TASK_TRIPLET, (const guint[]) { q, a, b }, 3, -1, group, choice, rater);
}

static JsonObject *
member (JsonObject *o,
        const char *path)
{
  g_auto(GStrv) parts = g_strsplit (path, ".", -1);

  for (guint i = 0; parts[i] != NULL; i++)
    o = json_object_get_object_member (o, parts[i]);

  return o;
}

static void
test_triplet (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) scores = NULL;
  JsonObject *root, *t, *learned;

  /* T1: Q 10, A 11, B 20, three "A closer": kept, 11 is nearer, correct.
   * T2: Q 5, A 9, B 6, three "A closer": kept, but 6 is nearer, wrong.
   * T3: Q 0, A 1, B 2, answers 3, 3, 4: not unanimous.
   * T4: Q 3, A 4, B 7, three "both similar": unanimous, no order, not kept.
   * T5: Q 15, A 29, B 14, three "B closer": kept, correct.
   * T6: two raters only: not rated yet. */
  for (guint r = 0; r < 3; r++)
    {
      save_triplet (f, 10, 11, 20, 1, LK_TRIPLET_ANSWER_A_CLOSER, r);
      save_triplet (f, 5, 9, 6, 2, LK_TRIPLET_ANSWER_A_CLOSER, r);
      save_triplet (f, 0, 1, 2, 3, r < 2 ? LK_TRIPLET_ANSWER_A_CLOSER : LK_TRIPLET_ANSWER_B_CLOSER,
                    r);
      save_triplet (f, 3, 4, 7, 4, LK_TRIPLET_ANSWER_BOTH_SIMILAR, r);
      save_triplet (f, 15, 29, 14, 5, LK_TRIPLET_ANSWER_B_CLOSER, r);
      if (r < 2)
        save_triplet (f, 20, 21, 28, 6, LK_TRIPLET_ANSWER_A_CLOSER, r);
    }

  scores = lk_study_scores_compute (f->store, NULL, &error);
  g_assert_no_error (error);
  root = json_node_get_object (scores);
  g_assert_cmpuint (json_object_get_size (root), ==, 1);
  t = member (root, "triplet");
  g_assert_cmpint (json_object_get_int_member (t, "ratings"), ==, 17);
  g_assert_cmpint (json_object_get_int_member (t, "triplets"), ==, 6);
  g_assert_cmpint (json_object_get_int_member (t, "rated"), ==, 5);
  g_assert_cmpint (json_object_get_int_member (t, "unanimous"), ==, 4);
  g_assert_cmpint (json_object_get_int_member (t, "kept"), ==, 3);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (t, "unanimity_rate"), 0.6, 1e-12);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (t, "no_order_share"), 3.0 / 17,
                                  1e-12);
  learned = member (t, "metrics.learned");
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (learned, "precision"), 2.0 / 3,
                                  1e-12);
  /* All three triplets' items rank within 30 of their query: 2 correct - 1 wrong. */
  g_assert_cmpint (json_object_get_int_member (learned, "score_at_k"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (learned, "n_subset"), ==, 3);
  g_assert_false (json_object_has_member (member (t, "metrics"), "colour"));
  g_assert_true (json_object_has_member (member (t, "unavailable"), "colour"));
  g_assert_true (json_object_has_member (member (t, "unavailable"), "hog"));
}

static void
test_choice (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) scores = NULL;
  g_autofree char *csv = NULL;
  const guint q1[] = { 10, 12, 20, 25, 3, 11 };
  const guint q2[] = { 0, 8, 2, 27, 14, 20 };
  JsonObject *c, *learned;
  JsonArray *counts;

  /* Q1: target 11 at position 5, the metric's pick too (D = 1); picks 11, 11, 11, 12.
   * Q2: target 8 at position 1; the metric picks 2 (D = 2); picks 8, 8, 2. */
  save (f, LK_TASK_CHOICE5, q1, 6, 5, 10, 5, 0);
  save (f, LK_TASK_CHOICE5, q1, 6, 5, 10, 5, 1);
  save (f, LK_TASK_CHOICE5, q1, 6, 5, 10, 5, 2);
  save (f, LK_TASK_CHOICE5, q1, 6, 5, 10, 1, 0);
  save (f, LK_TASK_CHOICE5, q2, 6, 1, 11, 1, 0);
  save (f, LK_TASK_CHOICE5, q2, 6, 1, 11, 1, 1);
  save (f, LK_TASK_CHOICE5, q2, 6, 1, 11, 2, 2);

  scores = lk_study_scores_compute (f->store, NULL, &error);
  g_assert_no_error (error);
  c = member (json_node_get_object (scores), "choice5");
  g_assert_cmpint (json_object_get_int_member (c, "answers"), ==, 7);
  g_assert_cmpint (json_object_get_int_member (c, "questions"), ==, 2);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (c, "accuracy"), 5.0 / 7, 1e-12);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (c, "majority_share"), 1.0, 1e-12);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (c, "unanimous_share"), 0.0, 1e-12);
  /* Agreement (3/4, 2/3) equals the correct share (3/4, 2/3) question by question. */
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (c, "agreement_r"), 1.0, 1e-12);
  counts = json_object_get_array_member (c, "position_counts");
  g_assert_cmpint (json_array_get_int_element (counts, 0), ==, 3);
  g_assert_cmpint (json_array_get_int_element (counts, 1), ==, 1);
  g_assert_cmpint (json_array_get_int_element (counts, 2), ==, 0);
  g_assert_cmpint (json_array_get_int_element (counts, 3), ==, 0);
  g_assert_cmpint (json_array_get_int_element (counts, 4), ==, 3);
  /* Expected 7/5 = 1.4 a cell: 2 x 1.6²/1.4 + 0.4²/1.4 + 2 x 1.4 = 46/7. */
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (c, "chi_squared"), 46.0 / 7,
                                  1e-12);
  g_assert_cmpint (json_object_get_int_member (c, "degrees_of_freedom"), ==, 4);
  learned = member (c, "metrics.learned");
  /* The metric's picks (11, 2) were picked by 3 + 1 of the 7 answers. */
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (learned, "accuracy"), 4.0 / 7,
                                  1e-12);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (learned, "target_accuracy"), 0.5,
                                  1e-12);

  /* The CSV carries the same figures. */
  csv = lk_study_scores_to_csv (scores);
  g_assert_true (g_str_has_prefix (csv, "kind,metric,score,value,lower,upper\n"));
  g_assert_nonnull (strstr (csv, "\nchoice5,people,accuracy,0.7142857142857143,,\n"));
  g_assert_nonnull (strstr (csv, "\nchoice5,people,position_counts_5,3,,\n"));
  g_assert_nonnull (strstr (csv, "\nchoice5,learned,target_accuracy,0.5,"));
}

static void
test_match_and_intruder (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) scores = NULL;
  const guint page1[] = { 0, 5, 1, 20 };
  const guint page2[] = { 10, 13, 25, 12 };
  const guint page3[] = { 4, 7, 9 };
  const guint hit[] = { 0, 1, 2, 3, 4, 5, 6, 25 };
  JsonObject *m, *recall, *in, *learned;

  /* Pairs (0, 1): rank 1. (10, 12): 9 and 11 are nearer, 8 as near and ranked ahead: rank 4.
   * The third page is answered "none". */
  save (f, LK_TASK_MATCH, page1, 4, -1, 0, 2, 0);
  save (f, LK_TASK_MATCH, page2, 4, -1, 0, 3, 1);
  save (f, LK_TASK_MATCH, page3, 3, -1, 0, LK_TRIAL_NONE, 2);
  /* One HIT, intruder 25 at position 7, three raters: 7, 7, 0. */
  save (f, LK_TASK_INTRUDER, hit, 8, 7, 30, 7, 0);
  save (f, LK_TASK_INTRUDER, hit, 8, 7, 30, 7, 1);
  save (f, LK_TASK_INTRUDER, hit, 8, 7, 30, 0, 2);

  scores = lk_study_scores_compute (f->store, NULL, &error);
  g_assert_no_error (error);
  m = member (json_node_get_object (scores), "match");
  g_assert_cmpint (json_object_get_int_member (m, "pairs"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (m, "none"), ==, 1);
  recall = member (m, "metrics.learned.recall_at_k");
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (recall, "1"), 0.5, 1e-12);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (recall, "5"), 1.0, 1e-12);
  g_assert_true (json_object_has_member (member (m, "metrics.learned"), "associative_recall"));

  in = member (json_node_get_object (scores), "intruder");
  g_assert_cmpint (json_object_get_int_member (in, "hits"), ==, 1);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (in, "accuracy"), 2.0 / 3, 1e-12);
  g_assert_cmpint (json_object_get_int_member (in, "aggregated_hits"), ==, 1);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (in, "aggregated_accuracy"), 1.0,
                                  1e-12);
  learned = member (in, "metrics.learned");
  /* 25 is far from 0..6, the largest summed distance: the metric finds it. */
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (learned, "accuracy"), 1.0, 1e-12);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (learned, "agreement"), 2.0 / 3,
                                  1e-12);
}

/* Per-cluster intruder accuracy: clusters recovered from the HITs' majorities. HITs A and B
 * share image 6 among their majorities, so 0..12 are one cluster (13 images, 2 HITs); HIT C's
 * majority 20..26 is another (7 images, 1 HIT). Answers: A right and wrong, B right (its
 * intruder at position 0), C right three times: cluster 1 is 2 of 3, cluster 2 is 3 of 3. */
static void
test_intruder_clusters (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) scores = NULL;
  g_autofree char *text = NULL;
  g_autofree char *csv = NULL;
  const guint hit_a[] = { 0, 1, 2, 3, 4, 5, 6, 20 };
  const guint hit_b[] = { 21, 6, 7, 8, 9, 10, 11, 12 };
  const guint hit_c[] = { 20, 21, 22, 23, 24, 25, 26, 3 };
  JsonArray *clusters;
  JsonObject *c1, *c2;

  save (f, LK_TASK_INTRUDER, hit_a, 8, 7, 40, 7, 0);
  save (f, LK_TASK_INTRUDER, hit_a, 8, 7, 40, 0, 1);
  save (f, LK_TASK_INTRUDER, hit_b, 8, 0, 41, 0, 0);
  for (guint r = 0; r < 3; r++)
    save (f, LK_TASK_INTRUDER, hit_c, 8, 7, 42, 7, r);

  scores = lk_study_scores_compute (f->store, NULL, &error);
  g_assert_no_error (error);
  clusters = json_object_get_array_member (member (json_node_get_object (scores), "intruder"),
                                           "clusters");
  g_assert_cmpuint (json_array_get_length (clusters), ==, 2);
  c1 = json_array_get_object_element (clusters, 0);
  c2 = json_array_get_object_element (clusters, 1);
  g_assert_cmpint (json_object_get_int_member (c1, "cluster"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (c1, "images"), ==, 13);
  g_assert_cmpint (json_object_get_int_member (c1, "hits"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (c1, "answers"), ==, 3);
  g_assert_cmpint (json_object_get_int_member (c1, "correct"), ==, 2);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (c1, "accuracy"), 2.0 / 3, 1e-12);
  g_assert_cmpint (json_object_get_int_member (c2, "images"), ==, 7);
  g_assert_cmpint (json_object_get_int_member (c2, "hits"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (c2, "answers"), ==, 3);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (c2, "accuracy"), 1.0, 1e-12);

  text = lk_study_scores_to_text (scores);
  g_assert_nonnull (strstr (text,
                            "people per cluster (accuracy, HITs): C1 0.67 (2) C2 1.00 (1)\n"));
  csv = lk_study_scores_to_csv (scores);
  g_assert_nonnull (strstr (csv, "\nintruder,people,clusters_1_hits,2,,\n"));
  g_assert_nonnull (strstr (csv, "\nintruder,people,clusters_2_accuracy,1,,\n"));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(name, func) \
  g_test_add ("/lk/store/study-scores/" name, Fixture, NULL, fixture_setup, func, \
              fixture_teardown)

  ADD ("triplet", test_triplet);
  ADD ("choice", test_choice);
  ADD ("match-and-intruder", test_match_and_intruder);
  ADD ("intruder-clusters", test_intruder_clusters);

#undef ADD

  return g_test_run ();
}
