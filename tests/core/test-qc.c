/* test-qc.c — the exam's score and the consistency index on cases worked by hand
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <math.h>

#include "lk-core.h"

static LkQuery *
answered (const guint *items,
          const gint  *bins,
          guint        n,
          guint        nc)
{
  g_autoptr(GError) error = NULL;
  LkQuery *q = lk_query_new (items, n);

  g_assert_true (lk_query_set_answer (q, bins, nc, &error));
  g_assert_no_error (error);

  return q;
}

/* Paper 002's first exam suite, groups 1,3,2,3,4,5,6,2 over images 0..7: clusters {0},
 * {1,3}, {2,7}, {4}, {5}, {6}, six in all. */
static const guint exam_items[] = { 0, 1, 2, 3, 4, 5, 6, 7 };
static const gint exam_gold[] = { 0, 2, 1, 2, 3, 4, 5, 1 };

static double
exam (const gint *bins)
{
  g_autoptr(LkQuery) gold = answered (exam_items, exam_gold, 8, 6);
  g_autoptr(LkQuery) answer = answered (exam_items, bins, 8, 6);
  g_autoptr(GError) error = NULL;
  double score = lk_qc_exam_score (answer, gold, &error);

  g_assert_no_error (error);

  return score;
}

static void
test_exam_score (void)
{
  /* The same partition under other bin numbers: exact. */
  const gint renamed[] = { 5, 0, 1, 0, 2, 3, 4, 1 };
  /* {4} and {5} merged: {0}, {1,3}, {2,7} and {6} match, 4 of 6. */
  const gint merged[] = { 0, 2, 1, 2, 3, 3, 5, 1 };
  /* Everything in one bin: no cluster matches. */
  const gint one[] = { 0, 0, 0, 0, 0, 0, 0, 0 };
  /* Image 0 left out, the rest right: {0} is not matched, 5 of 6. */
  const gint left[] = { LK_BIN_LEFT_OUT, 2, 1, 2, 3, 4, 5, 1 };

  g_assert_cmpfloat (exam (exam_gold), ==, 100.0);
  g_assert_cmpfloat (exam (renamed), ==, 100.0);
  g_assert_cmpfloat_with_epsilon (exam (merged), 100.0 * 4 / 6, 1e-12);
  g_assert_cmpfloat (exam (one), ==, 0.0);
  g_assert_cmpfloat_with_epsilon (exam (left), 100.0 * 5 / 6, 1e-12);
}

/* The experimenter left image 6 out of the known answer: five gold clusters; a participant
 * who puts 6 in a bin of its own still matches all five. Another order of the same images
 * compares by image, not position. */
static void
test_exam_gold_left_out (void)
{
  const gint gold_bins[] = { 0, 2, 1, 2, 3, 4, LK_BIN_LEFT_OUT, 1 };
  const guint reversed_items[] = { 7, 6, 5, 4, 3, 2, 1, 0 };
  const gint reversed_bins[] = { 1, 5, 4, 3, 2, 1, 2, 0 };
  g_autoptr(LkQuery) gold = answered (exam_items, gold_bins, 8, 6);
  g_autoptr(LkQuery) answer = answered (reversed_items, reversed_bins, 8, 6);
  g_autoptr(LkQuery) other = NULL;
  g_autoptr(GError) error = NULL;
  const guint other_items[] = { 0, 1, 2, 3, 4, 5, 6, 99 };

  g_assert_cmpfloat (lk_qc_exam_score (answer, gold, &error), ==, 100.0);
  g_assert_no_error (error);

  other = answered (other_items, exam_gold, 8, 6);
  g_assert_cmpfloat (lk_qc_exam_score (other, gold, &error), ==, -1);
  g_assert_error (error, LK_CORE_ERROR, LK_CORE_ERROR_INVALID_ARGUMENT);
}

static void
test_adjusted_rand (void)
{
  const gint a[] = { 0, 0, 1, 1 };
  const gint b[] = { 0, 1, 0, 1 };
  const gint c[] = { 0, 0, 0, 1, 1, 1 };
  const gint d[] = { 0, 0, 1, 1, 2, 2 };
  const gint e[] = { 7, 7, 3, 3 };
  const gint singles[] = { -1, -1, -1 };
  const gint together[] = { 4, 4, 4 };

  g_assert_cmpfloat_with_epsilon (lk_qc_adjusted_rand (a, a, 4), 1.0, 1e-12);
  g_assert_cmpfloat_with_epsilon (lk_qc_adjusted_rand (a, e, 4), 1.0, 1e-12);
  /* Contingency all ones: index 0, sums 2 and 2, expected 2*2/6, max 2: -0.5. */
  g_assert_cmpfloat_with_epsilon (lk_qc_adjusted_rand (a, b, 4), -0.5, 1e-12);
  /* Index 2, sums 6 and 3, expected 18/15 = 1.2, max 4.5: 0.8 / 3.3. */
  g_assert_cmpfloat_with_epsilon (lk_qc_adjusted_rand (c, d, 6), 0.8 / 3.3, 1e-12);
  g_assert_cmpfloat_with_epsilon (lk_qc_adjusted_rand (d, c, 6), 0.8 / 3.3, 1e-12);
  /* The same trivial partitions: 0/0, taken as full agreement. */
  g_assert_cmpfloat (lk_qc_adjusted_rand (singles, singles, 3), ==, 1.0);
  g_assert_cmpfloat (lk_qc_adjusted_rand (together, together, 3), ==, 1.0);
  /* All together against all apart: index 0, sums 3 and 0, expected 0, max 1.5: 0. */
  g_assert_cmpfloat_with_epsilon (lk_qc_adjusted_rand (together, singles, 3), 0.0, 1e-12);
}

/* A grid of images 5, 6, 7, 8 and its repeat in another order. */
static void
test_consistency (void)
{
  const guint items[] = { 5, 6, 7, 8 };
  const gint bins[] = { 0, 0, 1, 1 };
  const guint reversed[] = { 8, 7, 6, 5 };
  const guint shuffled[] = { 8, 6, 7, 5 };
  const gint left_bins[] = { 0, 0, LK_BIN_LEFT_OUT, 1 };
  const gint left_bins_reversed[] = { 1, LK_BIN_LEFT_OUT, 0, 0 };
  g_autoptr(LkQuery) first = answered (items, bins, 4, 2);
  g_autoptr(LkQuery) same = answered (reversed, bins, 4, 2);
  g_autoptr(LkQuery) crossed = answered (shuffled, bins, 4, 2);
  g_autoptr(LkQuery) left = answered (items, left_bins, 4, 2);
  g_autoptr(LkQuery) left_again = answered (reversed, left_bins_reversed, 4, 2);
  g_autoptr(GError) error = NULL;

  /* {5,6},{7,8} both times. */
  g_assert_cmpfloat_with_epsilon (lk_qc_consistency (first, same, &error), 1.0, 1e-12);
  /* {5,6},{7,8} then {6,8},{5,7}: the -0.5 of the hand case above. */
  g_assert_cmpfloat_with_epsilon (lk_qc_consistency (first, crossed, &error), -0.5, 1e-12);
  /* 7 left out both times. */
  g_assert_cmpfloat_with_epsilon (lk_qc_consistency (left, left_again, &error), 1.0, 1e-12);
  g_assert_no_error (error);
  /* {5,6},{7},{8} against {5,6},{7,8}: index 1, sums 1 and 2, expected 2/6, max 1.5:
   * (1 - 1/3) / (1.5 - 1/3) = 4/7. */
  g_assert_cmpfloat_with_epsilon (lk_qc_consistency (left, first, &error), 4.0 / 7, 1e-12);

  {
    const guint three[] = { 5, 6, 7 };
    const gint three_bins[] = { 0, 0, 1 };
    g_autoptr(LkQuery) smaller = answered (three, three_bins, 3, 2);

    g_assert_true (isnan (lk_qc_consistency (first, smaller, &error)));
    g_assert_error (error, LK_CORE_ERROR, LK_CORE_ERROR_INVALID_ARGUMENT);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/lk/qc/exam-score", test_exam_score);
  g_test_add_func ("/lk/qc/exam-gold-left-out", test_exam_gold_left_out);
  g_test_add_func ("/lk/qc/adjusted-rand", test_adjusted_rand);
  g_test_add_func ("/lk/qc/consistency", test_consistency);

  return g_test_run ();
}
