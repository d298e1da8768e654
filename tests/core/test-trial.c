/* test-trial.c — task kinds, trials, the comparisons their answers imply, and session plans,
 * on cases worked by hand
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "lk-core.h"

static void
test_kind_names (void)
{
  const char *names[] = { "sort", "triplet", "choice5", "match", "intruder", "training", "exam" };

  for (guint k = 0; k < LK_N_TASK_KINDS; k++)
    {
      LkTaskKind kind;

      g_assert_cmpstr (lk_task_kind_to_string ((LkTaskKind) k), ==, names[k]);
      g_assert_true (lk_task_kind_from_string (names[k], &kind));
      g_assert_cmpint (kind, ==, k);
    }
  g_assert_false (lk_task_kind_from_string ("Sort", &(LkTaskKind) { 0 }));
  g_assert_false (lk_task_kind_from_string ("", &(LkTaskKind) { 0 }));
  g_assert_false (lk_task_kind_from_string (NULL, &(LkTaskKind) { 0 }));
  g_assert_true (lk_task_kind_is_sorting (LK_TASK_SORT));
  g_assert_true (lk_task_kind_is_sorting (LK_TASK_EXAM));
  g_assert_true (lk_task_kind_is_sorting (LK_TASK_TRAINING));
  g_assert_false (lk_task_kind_is_sorting (LK_TASK_TRIPLET));
  g_assert_false (lk_task_kind_is_sorting (LK_TASK_INTRUDER));
}

static GArray *
comparisons_of (const LkTrial *trial)
{
  GArray *out = g_array_new (FALSE, FALSE, sizeof (LkTrialComparison));

  lk_trial_comparisons (trial, out);

  return out;
}

static void
assert_comparison (GArray *all,
                   guint   i,
                   guint   anchor,
                   guint   near,
                   guint   far)
{
  LkTrialComparison *c;

  g_assert_cmpuint (i, <, all->len);
  c = &g_array_index (all, LkTrialComparison, i);
  g_assert_cmpuint (c->anchor, ==, anchor);
  g_assert_cmpuint (c->near, ==, near);
  g_assert_cmpuint (c->far, ==, far);
}

/* Q = 10, A = 20, B = 30: "A closer" says (10, 20, 30), "B closer" (10, 30, 20) whatever side
 * each was shown on; the two answers without an order say nothing. */
static void
test_triplet (void)
{
  const guint items[] = { 10, 20, 30 };
  g_autoptr(LkTrial) t = lk_trial_new (LK_TASK_TRIPLET, items, 3);
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) none = NULL;
  g_autoptr(GArray) a = NULL;
  g_autoptr(GArray) b = NULL;
  g_autoptr(GArray) similar = NULL;

  none = comparisons_of (t);
  g_assert_cmpuint (none->len, ==, 0);
  g_assert_false (lk_trial_is_answered (t));
  g_assert_true (lk_trial_validate (t, &error));

  t->swapped = TRUE;
  t->choice = LK_TRIPLET_ANSWER_A_CLOSER;
  a = comparisons_of (t);
  g_assert_cmpuint (a->len, ==, 1);
  assert_comparison (a, 0, 10, 20, 30);

  t->choice = LK_TRIPLET_ANSWER_B_CLOSER;
  b = comparisons_of (t);
  g_assert_cmpuint (b->len, ==, 1);
  assert_comparison (b, 0, 10, 30, 20);

  t->choice = LK_TRIPLET_ANSWER_BOTH_SIMILAR;
  similar = comparisons_of (t);
  g_assert_cmpuint (similar->len, ==, 0);
  g_assert_true (lk_trial_validate (t, &error));

  t->choice = 5;
  g_assert_false (lk_trial_validate (t, &error));
  g_assert_error (error, LK_CORE_ERROR, LK_CORE_ERROR_INVALID_ARGUMENT);
}

/* Q = 1, candidates 2..6 in positions 1..5, the third (position 3, image 4) chosen: four
 * comparisons, (1, 4, o) for o = 2, 3, 5, 6 in position order. */
static void
test_choice5 (void)
{
  const guint items[] = { 1, 2, 3, 4, 5, 6 };
  g_autoptr(LkTrial) t = lk_trial_new (LK_TASK_CHOICE5, items, 6);
  g_autoptr(GArray) c = NULL;
  g_autoptr(GError) error = NULL;

  t->choice = 3;
  c = comparisons_of (t);
  g_assert_cmpuint (c->len, ==, 4);
  assert_comparison (c, 0, 1, 4, 2);
  assert_comparison (c, 1, 1, 4, 3);
  assert_comparison (c, 2, 1, 4, 5);
  assert_comparison (c, 3, 1, 4, 6);
  g_assert_true (lk_trial_validate (t, &error));

  /* The query itself is not an answer, nor is "none". */
  t->choice = 0;
  g_assert_false (lk_trial_validate (t, &error));
  g_clear_error (&error);
  t->choice = LK_TRIAL_NONE;
  g_assert_false (lk_trial_validate (t, &error));
  g_clear_error (&error);

  /* A key must be a candidate. */
  t->choice = 1;
  t->key = 0;
  g_assert_false (lk_trial_validate (t, &error));
  g_clear_error (&error);
  t->key = 5;
  g_assert_true (lk_trial_validate (t, &error));
}

/* A match page of three candidates: "none" says nothing; a choice orders it above the rest. */
static void
test_match (void)
{
  const guint items[] = { 40, 41, 42, 43 };
  g_autoptr(LkTrial) t = lk_trial_new (LK_TASK_MATCH, items, 4);
  g_autoptr(GArray) none = NULL;
  g_autoptr(GArray) c = NULL;
  g_autoptr(GError) error = NULL;

  t->choice = LK_TRIAL_NONE;
  g_assert_true (lk_trial_validate (t, &error));
  none = comparisons_of (t);
  g_assert_cmpuint (none->len, ==, 0);

  t->choice = 1;
  c = comparisons_of (t);
  g_assert_cmpuint (c->len, ==, 2);
  assert_comparison (c, 0, 40, 41, 42);
  assert_comparison (c, 1, 40, 41, 43);
}

/* Eight images 100..107, the one at position 2 (102) chosen as the odd one: the seven others
 * in shown order are 100, 101, 103, 104, 105, 106, 107, and each is paired with the next,
 * cyclically, against 102. */
static void
test_intruder (void)
{
  const guint items[] = { 100, 101, 102, 103, 104, 105, 106, 107 };
  const guint seven[] = { 100, 101, 103, 104, 105, 106, 107 };
  g_autoptr(LkTrial) t = lk_trial_new (LK_TASK_INTRUDER, items, 8);
  g_autoptr(GArray) c = NULL;
  g_autoptr(GError) error = NULL;

  t->key = 5;
  t->choice = 2;
  g_assert_true (lk_trial_validate (t, &error));
  c = comparisons_of (t);
  g_assert_cmpuint (c->len, ==, 7);
  for (guint i = 0; i < 7; i++)
    assert_comparison (c, i, seven[i], seven[(i + 1) % 7], 102);
}

static void
test_validate_shape (void)
{
  const guint twice[] = { 1, 2, 1 };
  const guint four[] = { 1, 2, 3, 4 };
  const guint one[] = { 9 };
  g_autoptr(LkTrial) dup = lk_trial_new (LK_TASK_TRIPLET, twice, 3);
  g_autoptr(LkTrial) wrong = lk_trial_new (LK_TASK_TRIPLET, four, 4);
  g_autoptr(LkTrial) lonely = lk_trial_new (LK_TASK_MATCH, one, 1);
  g_autoptr(LkTrial) copy = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_false (lk_trial_validate (dup, &error));
  g_assert_nonnull (strstr (error->message, "twice"));
  g_clear_error (&error);
  g_assert_false (lk_trial_validate (wrong, &error));
  g_assert_nonnull (strstr (error->message, "3 images, not 4"));
  g_clear_error (&error);
  g_assert_false (lk_trial_validate (lonely, &error));
  g_clear_error (&error);

  wrong->group = 7;
  wrong->choice = 2;
  copy = lk_trial_copy (wrong);
  g_assert_true (copy->items != wrong->items);
  g_assert_cmpmem (copy->items, 4 * sizeof (guint), four, sizeof four);
  g_assert_cmpuint (copy->group, ==, 7);
  g_assert_cmpint (copy->choice, ==, 2);
}

static void
test_plan_parse (void)
{
  LkPlan plan;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *again = NULL;
  guint block = 99, index = 99;

  g_assert_true (lk_plan_parse (" training:5 , exam:5:0,sort:30:2 ,triplet:20", &plan, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (plan.n_blocks, ==, 4);
  g_assert_cmpint (plan.blocks[0].kind, ==, LK_TASK_TRAINING);
  g_assert_cmpuint (plan.blocks[0].count, ==, 5);
  g_assert_cmpuint (plan.blocks[0].practice, ==, 0);
  g_assert_cmpint (plan.blocks[2].kind, ==, LK_TASK_SORT);
  g_assert_cmpuint (plan.blocks[2].count, ==, 30);
  g_assert_cmpuint (plan.blocks[2].practice, ==, 2);
  g_assert_cmpint (plan.blocks[3].kind, ==, LK_TASK_TRIPLET);
  g_assert_cmpuint (lk_plan_total (&plan), ==, 60);
  g_assert_cmpuint (lk_plan_count_kind (&plan, LK_TASK_SORT), ==, 30);
  g_assert_cmpuint (lk_plan_count_kind (&plan, LK_TASK_MATCH), ==, 0);

  text = lk_plan_to_string (&plan);
  g_assert_cmpstr (text, ==, "training:5,exam:5,sort:30:2,triplet:20");
  g_assert_true (lk_plan_parse (text, &plan, &error));
  again = lk_plan_to_string (&plan);
  g_assert_cmpstr (again, ==, text);

  /* 0..4 training, 5..9 exam, 10..39 sorting, 40..59 triplets. */
  g_assert_true (lk_plan_locate (&plan, 0, &block, &index));
  g_assert_cmpuint (block, ==, 0);
  g_assert_cmpuint (index, ==, 0);
  g_assert_true (lk_plan_locate (&plan, 10, &block, &index));
  g_assert_cmpuint (block, ==, 2);
  g_assert_cmpuint (index, ==, 0);
  g_assert_true (lk_plan_locate (&plan, 59, &block, &index));
  g_assert_cmpuint (block, ==, 3);
  g_assert_cmpuint (index, ==, 19);
  g_assert_false (lk_plan_locate (&plan, 60, &block, &index));

  lk_plan_init_sort (&plan, 30, 2);
  g_free (text);
  text = lk_plan_to_string (&plan);
  g_assert_cmpstr (text, ==, "sort:30:2");
}

static void
test_plan_errors (void)
{
  const char *bad[] = {
    "", "   ", "sort", "sort:", "sort:0", "sort:-3", "sort:3x", "rank:5", "sort:5:1:2",
    "sort:5,,triplet:3", "sort:100001", "sort:5:abc",
    "sort:1,sort:1,sort:1,sort:1,sort:1,sort:1,sort:1,sort:1,"
    "sort:1,sort:1,sort:1,sort:1,sort:1,sort:1,sort:1,sort:1,sort:1",
  };
  LkPlan plan;

  lk_plan_init_sort (&plan, 7, 0);
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;

      g_test_message ("plan \"%s\"", bad[i]);
      g_assert_false (lk_plan_parse (bad[i], &plan, &error));
      g_assert_error (error, LK_CORE_ERROR, LK_CORE_ERROR_PARSE);
    }
  /* A failed parse leaves the plan as it was. */
  g_assert_cmpuint (plan.n_blocks, ==, 1);
  g_assert_cmpuint (plan.blocks[0].count, ==, 7);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/lk/trial/kinds", test_kind_names);
  g_test_add_func ("/lk/trial/triplet", test_triplet);
  g_test_add_func ("/lk/trial/choice5", test_choice5);
  g_test_add_func ("/lk/trial/match", test_match);
  g_test_add_func ("/lk/trial/intruder", test_intruder);
  g_test_add_func ("/lk/trial/validate", test_validate_shape);
  g_test_add_func ("/lk/plan/parse", test_plan_parse);
  g_test_add_func ("/lk/plan/errors", test_plan_errors);

  return g_test_run ();
}
