/* test-query.c — pair results of an answer, worked by hand
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "lk-core.h"

/* Items 7, 3, 9, 4, 12 in display order. Bins: 7 -> 0, 3 -> 0, 9 -> 1, 4 -> left out,
 * 12 -> left out. By hand, with the rules of lk_query_pair_result() (a left-out item is
 * negative against every binned item and tells nothing against another left-out item):
 *   (7,3) together: positive          (7,9), (3,9) different bins: negative
 *   (7,4), (3,4), (9,4), (7,12), (3,12), (9,12): binned vs left out: negative
 *   (4,12): both left out: nothing */
static LkQuery *
hand_worked_query (void)
{
  const guint items[] = { 7, 3, 9, 4, 12 };
  const gint bins[] = { 0, 0, 1, LK_BIN_LEFT_OUT, LK_BIN_LEFT_OUT };
  g_autoptr(GError) error = NULL;
  LkQuery *q = lk_query_new (items, G_N_ELEMENTS (items));

  g_assert_true (lk_query_set_answer (q, bins, 4, &error));
  g_assert_no_error (error);

  return q;
}

static void
test_pair_results (void)
{
  g_autoptr(LkQuery) q = hand_worked_query ();

  g_assert_cmpint (lk_query_pair_result (q, 0, 1), ==, LK_PAIR_POSITIVE);
  g_assert_cmpint (lk_query_pair_result (q, 1, 0), ==, LK_PAIR_POSITIVE);
  g_assert_cmpint (lk_query_pair_result (q, 0, 2), ==, LK_PAIR_NEGATIVE);
  g_assert_cmpint (lk_query_pair_result (q, 1, 2), ==, LK_PAIR_NEGATIVE);
  for (guint binned = 0; binned < 3; binned++)
    {
      g_assert_cmpint (lk_query_pair_result (q, binned, 3), ==, LK_PAIR_NEGATIVE);
      g_assert_cmpint (lk_query_pair_result (q, binned, 4), ==, LK_PAIR_NEGATIVE);
    }
  g_assert_cmpint (lk_query_pair_result (q, 3, 4), ==, LK_PAIR_NONE);
}

static void
test_evidence_from_answer (void)
{
  g_autoptr(LkQuery) q = hand_worked_query ();
  g_autoptr(LkEvidence) ev = lk_evidence_new (20);
  LkPairCounts c;

  lk_evidence_add_answer (ev, q);
  lk_evidence_add_answer (ev, q);

  /* 5 items: 10 pairs, every one co-occurs (twice). */
  g_assert_cmpuint (lk_evidence_get_n_pairs (ev), ==, 10);
  g_assert_cmpuint (lk_evidence_get_n_answers (ev), ==, 2);

  g_assert_true (lk_evidence_lookup (ev, 3, 7, &c));
  g_assert_cmpuint (c.a, ==, 3);
  g_assert_cmpuint (c.b, ==, 7);
  g_assert_cmpuint (c.together, ==, 2);
  g_assert_cmpuint (c.apart, ==, 0);
  g_assert_cmpuint (c.shared, ==, 2);

  g_assert_true (lk_evidence_lookup (ev, 12, 9, &c));
  g_assert_cmpuint (c.together, ==, 0);
  g_assert_cmpuint (c.apart, ==, 2);

  g_assert_true (lk_evidence_lookup (ev, 4, 12, &c));
  g_assert_cmpuint (c.together, ==, 0);
  g_assert_cmpuint (c.apart, ==, 0);
  g_assert_cmpuint (c.shared, ==, 2);

  g_assert_false (lk_evidence_lookup (ev, 0, 1, &c));
  g_assert_cmpuint (c.shared, ==, 0);
}

static void
test_invalid_answer (void)
{
  const guint items[] = { 1, 2, 3 };
  const gint bad[] = { 0, 4, 1 };
  g_autoptr(LkQuery) q = lk_query_new (items, 3);
  g_autoptr(GError) error = NULL;

  g_assert_false (lk_query_set_answer (q, bad, 4, &error));
  g_assert_error (error, LK_CORE_ERROR, LK_CORE_ERROR_INVALID_ARGUMENT);
  g_assert_false (lk_query_is_answered (q));
  g_assert_cmpint (lk_query_get_bin (q, 0), ==, LK_BIN_UNANSWERED);
}

static void
test_evidence_grows (void)
{
  g_autoptr(LkEvidence) ev = lk_evidence_new (3000);
  LkPairCounts c;

  /* Far more pairs than the initial table holds: every count must survive the rehashes. */
  for (guint a = 0; a < 3000; a += 3)
    for (guint b = a + 1; b < a + 4 && b < 3000; b++)
      lk_evidence_add_counts (ev, b, a, a % 5, b % 7, 1);

  /* 1000 values of a with 3 partners each, except a = 2997 which has only 2998 and 2999. */
  g_assert_cmpuint (lk_evidence_get_n_pairs (ev), ==, 2999);
  for (guint a = 0; a < 3000; a += 3)
    for (guint b = a + 1; b < a + 4 && b < 3000; b++)
      {
        g_assert_true (lk_evidence_lookup (ev, a, b, &c));
        g_assert_cmpuint (c.together, ==, a % 5);
        g_assert_cmpuint (c.apart, ==, b % 7);
      }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/lk/core/query/pair-results", test_pair_results);
  g_test_add_func ("/lk/core/query/evidence-from-answer", test_evidence_from_answer);
  g_test_add_func ("/lk/core/query/invalid-answer", test_invalid_answer);
  g_test_add_func ("/lk/core/evidence/grows", test_evidence_grows);

  return g_test_run ();
}
