/* test-scores.c — the judgement tasks' scores (triplets, forced choice, retrieval of pairs,
 * intruders with Dawid-Skene), each on a case worked by hand
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <math.h>

#include "lk-core.h"
#include "lk-scores.h"

/* The scores are ratios of small integers or short sums in double: 1e-12 is rounding only. */
#define EXACT 1e-12

/* Points on a line, so that every distance is a difference worked in the head. */
static LkEmbedding *
line (const double *x,
      guint         n)
{
  return lk_embedding_new_from_data (x, n, 1);
}

/* Six triplets with their answers, shuffled, and the counts the filter must give:
 *   id  ratings (min 3)   unanimous  kept
 *   1   3 3 3             yes        yes, P+ = A = 11, P- = B = 12
 *   2   4 4 4             yes        yes, P+ = B = 14, P- = A = 13
 *   3   1 1 1             yes        no (no order)
 *   4   3 3 4             no         no
 *   5   3 3               incomplete
 *   6   2 2 2 2           yes        no (no order)
 * 18 ratings, 6 triplets, 5 complete, 4 unanimous, 2 kept: rate 2/5; answers 1 or 2: 3 + 4 = 7,
 * share 7/18. With 2 raters enough, triplet 5 is complete and kept: 3 of 6. */
static void
test_triplet_filter (void)
{
  const LkTripletRating ratings[] = {
    { 4, 10, 15, 16, 3 }, { 1, 10, 11, 12, 3 }, { 6, 17, 18, 19, 2 }, { 2, 10, 13, 14, 4 },
    { 3, 10, 12, 13, 1 }, { 5, 17, 11, 18, 3 }, { 1, 10, 11, 12, 3 }, { 6, 17, 18, 19, 2 },
    { 4, 10, 15, 16, 4 }, { 2, 10, 13, 14, 4 }, { 3, 10, 12, 13, 1 }, { 6, 17, 18, 19, 2 },
    { 5, 17, 11, 18, 3 }, { 4, 10, 15, 16, 3 }, { 2, 10, 13, 14, 4 }, { 1, 10, 11, 12, 3 },
    { 3, 10, 12, 13, 1 }, { 6, 17, 18, 19, 2 },
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(LkTripletFilter) f = NULL;
  g_autoptr(LkTripletFilter) two = NULL;

  f = lk_scores_triplet_filter (ratings, G_N_ELEMENTS (ratings), LK_SCORES_TRIPLET_RATERS, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (f->n_ratings, ==, 18);
  g_assert_cmpuint (f->n_triplets, ==, 6);
  g_assert_cmpuint (f->n_complete, ==, 5);
  g_assert_cmpuint (f->n_unanimous, ==, 4);
  g_assert_cmpuint (f->n_kept, ==, 2);
  g_assert_cmpuint (f->n_no_order, ==, 7);
  g_assert_cmpfloat_with_epsilon (f->unanimity_rate, 2.0 / 5.0, EXACT);
  g_assert_cmpfloat_with_epsilon (f->no_order_share, 7.0 / 18.0, EXACT);

  g_assert_cmpuint (f->kept[0].triplet, ==, 1);
  g_assert_cmpuint (f->kept[0].query, ==, 10);
  g_assert_cmpuint (f->kept[0].positive, ==, 11);
  g_assert_cmpuint (f->kept[0].negative, ==, 12);
  g_assert_cmpuint (f->kept[1].triplet, ==, 2);
  g_assert_cmpuint (f->kept[1].positive, ==, 14);
  g_assert_cmpuint (f->kept[1].negative, ==, 13);

  two = lk_scores_triplet_filter (ratings, G_N_ELEMENTS (ratings), 2, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (two->n_complete, ==, 6);
  g_assert_cmpuint (two->n_kept, ==, 3);
  g_assert_cmpfloat_with_epsilon (two->unanimity_rate, 0.5, EXACT);
  g_assert_cmpuint (two->kept[2].triplet, ==, 5);
  g_assert_cmpuint (two->kept[2].positive, ==, 11);
  g_assert_cmpuint (two->kept[2].negative, ==, 18);
}

/* Nothing to filter gives zero counts and NaN rates, not a division by zero. */
static void
test_triplet_filter_empty (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LkTripletFilter) f = lk_scores_triplet_filter (NULL, 0, 3, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (f->n_kept, ==, 0);
  g_assert_true (isnan (f->unanimity_rate));
  g_assert_true (isnan (f->no_order_share));
}

/* Each kind of bad rating is refused with a message that names the triplet. */
static void
test_triplet_filter_errors (void)
{
  const LkTripletRating bad_answer[] = { { 7, 1, 2, 3, 5 } };
  const LkTripletRating bad_items[] = { { 7, 1, 2, 3, 3 }, { 7, 1, 3, 2, 3 } };
  const LkTripletRating same_item[] = { { 7, 1, 2, 2, 3 } };
  const LkTripletRating zero_answer[] = { { 7, 1, 2, 3, 0 } };
  struct { const LkTripletRating *r; gsize n; } cases[] = {
    { bad_answer, 1 }, { bad_items, 2 }, { same_item, 1 }, { zero_answer, 1 },
  };

  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(LkTripletFilter) f = lk_scores_triplet_filter (cases[c].r, cases[c].n, 1, &error);

      g_assert_null (f);
      g_assert_error (error, LK_CORE_ERROR, LK_CORE_ERROR_INVALID_ARGUMENT);
      g_assert_nonnull (strstr (error->message, "Triplet 7"));
    }
}

/* Items on a line: 0 at 0, 1 at 1.25, 2 at -2.5, 3 at 3.75, 4 at 6, 5 at -8.5.
 *   triplet (Q; P+, P-)  D+     D-     correct  rank P+  rank P-   (ranks among the 5 others)
 *   t0 (0; 1, 3)         1.25   3.75   yes      1        3         from 0: 1 2 3 4 5
 *   t1 (0; 4, 2)         6      2.5    no       4        2
 *   t2 (0; 5, 4)         8.5    6      no       5        4
 *   t3 (3; 4, 1)         2.25   2.5    yes      1        2         from 3: 4 1 0 2 5
 *   t4 (2; 5, 0)         6      2.5    no       3        1         from 2: 0 1 5 3 4
 *   t5 (2; 1, 3)         3.75   6.25   yes      2        4
 *   t6 (5; 2, 0)         6      8.5    yes      1        2         from 5: 2 0 1 3 4
 * Precision 4/7. Score-at-top-K: K = 1 takes t0, t3, t4, t6: 3 - 1 = 2 of 4; K = 3 takes all
 * but t2: 4 - 2 = 2 of 6; K = 4 (and 30) takes all: 4 - 3 = 1. */
static void
test_triplet_precision_and_score (void)
{
  const double x[] = { 0.0, 1.25, -2.5, 3.75, 6.0, -8.5 };
  const LkTriplet t[] = {
    { 0, 0, 1, 3 }, { 1, 0, 4, 2 }, { 2, 0, 5, 4 }, { 3, 3, 4, 1 }, { 4, 2, 5, 0 },
    { 5, 2, 1, 3 }, { 6, 5, 2, 0 },
  };
  const guint rank_pos[] = { 1, 4, 5, 1, 3, 2, 1 };
  const guint rank_neg[] = { 3, 2, 4, 2, 1, 4, 2 };
  const gboolean correct[] = { TRUE, FALSE, FALSE, TRUE, FALSE, TRUE, TRUE };
  g_autoptr(LkEmbedding) emb = line (x, G_N_ELEMENTS (x));
  LkTripletEval e[G_N_ELEMENTS (t)];
  guint subset = 99;

  lk_scores_triplet_evaluate (t, G_N_ELEMENTS (t), G_N_ELEMENTS (x),
                              lk_scores_embedding_distance, emb, e);
  for (guint i = 0; i < G_N_ELEMENTS (t); i++)
    {
      g_assert_cmpuint (e[i].rank_positive, ==, rank_pos[i]);
      g_assert_cmpuint (e[i].rank_negative, ==, rank_neg[i]);
      g_assert_cmpint (e[i].correct, ==, correct[i]);
    }
  g_assert_cmpfloat_with_epsilon (e[3].d_positive, 2.25, EXACT);
  g_assert_cmpfloat_with_epsilon (e[3].d_negative, 2.5, EXACT);

  g_assert_cmpfloat_with_epsilon (lk_scores_triplet_precision (e, G_N_ELEMENTS (t)), 4.0 / 7.0,
                                  EXACT);
  g_assert_cmpint (lk_scores_triplet_score_at_k (e, G_N_ELEMENTS (t), 1, &subset), ==, 2);
  g_assert_cmpuint (subset, ==, 4);
  g_assert_cmpint (lk_scores_triplet_score_at_k (e, G_N_ELEMENTS (t), 3, &subset), ==, 2);
  g_assert_cmpuint (subset, ==, 6);
  g_assert_cmpint (lk_scores_triplet_score_at_k (e, G_N_ELEMENTS (t), 4, &subset), ==, 1);
  g_assert_cmpuint (subset, ==, 7);
  g_assert_cmpint (lk_scores_triplet_score_at_k (e, G_N_ELEMENTS (t), LK_SCORES_TOP_K, NULL),
                   ==, 1);
  g_assert_true (isnan (lk_scores_triplet_precision (e, 0)));
}

/* Ties count against the metric. From item 0: D(0,1) = D(0,2) = 1.5 and D(0,3) = 0.75. The
 * triplet (0; 1, 2) is a tie, so not correct; 1 has 2 (as far) and 3 (nearer) ahead of it,
 * rank 3, and so has 2. K = 2 leaves it out (score 0); K = 3 counts it wrong (score -1). */
static void
test_triplet_ties (void)
{
  const double d[] = {
    0.0,  1.5,  1.5,  0.75,
    1.5,  0.0,  2.0,  1.0,
    1.5,  2.0,  0.0,  1.0,
    0.75, 1.0,  1.0,  0.0,
  };
  LkScoreMatrix m = { d, 4 };
  const LkTriplet t = { 0, 0, 1, 2 };
  LkTripletEval e;
  guint subset = 99;

  lk_scores_triplet_evaluate (&t, 1, 4, lk_scores_matrix_distance, &m, &e);
  g_assert_false (e.correct);
  g_assert_cmpuint (e.rank_positive, ==, 3);
  g_assert_cmpuint (e.rank_negative, ==, 3);
  g_assert_cmpfloat_with_epsilon (lk_scores_triplet_precision (&e, 1), 0.0, EXACT);
  g_assert_cmpint (lk_scores_triplet_score_at_k (&e, 1, 2, &subset), ==, 0);
  g_assert_cmpuint (subset, ==, 0);
  g_assert_cmpint (lk_scores_triplet_score_at_k (&e, 1, 3, &subset), ==, -1);
  g_assert_cmpuint (subset, ==, 1);
}

/* 200 triplets, 140 correct, all in the top K. The percentile bootstrap of a proportion is
 * close to the normal interval 0.7 ± 1.96 sqrt(0.7 · 0.3 / 200) = [0.6365, 0.7635]; 0.012 allows
 * for the 1/200 steps and 2000 resamples' noise (about 0.002). Since every triplet is in the
 * subset, score = 2 · correct - 200, and the score's bounds must be the precision's mapped the
 * same way, from the same resamples. The same seed gives the same figures, another seed others. */
static void
test_triplet_bootstrap (void)
{
  LkTripletEval e[200];
  LkInterval p, s, p2, s2, p3;
  const double half = 1.96 * sqrt (0.7 * 0.3 / 200.0);

  for (guint i = 0; i < G_N_ELEMENTS (e); i++)
    {
      /* Correct triplets spread through the array, 7 of every 10. */
      e[i].correct = i % 10 < 7;
      e[i].d_positive = 1.0;
      e[i].d_negative = 2.0;
      e[i].rank_positive = 1 + i % 5;
      e[i].rank_negative = 2 + i % 7;
    }
  g_assert_cmpfloat_with_epsilon (lk_scores_triplet_precision (e, 200), 0.7, EXACT);

  lk_scores_triplet_bootstrap (e, 200, LK_SCORES_TOP_K, LK_SCORES_BOOTSTRAP_RESAMPLES, 2385,
                               &p, &s);
  g_assert_cmpfloat_with_epsilon (p.estimate, 0.7, EXACT);
  g_assert_cmpfloat_with_epsilon (s.estimate, 80.0, EXACT);
  g_assert_cmpfloat_with_epsilon (p.lower, 0.7 - half, 0.012);
  g_assert_cmpfloat_with_epsilon (p.upper, 0.7 + half, 0.012);
  g_assert_cmpfloat_with_epsilon (s.lower, 200.0 * (2.0 * p.lower - 1.0), 1e-9);
  g_assert_cmpfloat_with_epsilon (s.upper, 200.0 * (2.0 * p.upper - 1.0), 1e-9);

  lk_scores_triplet_bootstrap (e, 200, LK_SCORES_TOP_K, LK_SCORES_BOOTSTRAP_RESAMPLES, 2385,
                               &p2, &s2);
  g_assert_true (p2.lower == p.lower && p2.upper == p.upper);
  g_assert_true (s2.lower == s.lower && s2.upper == s.upper);

  lk_scores_triplet_bootstrap (e, 200, LK_SCORES_TOP_K, LK_SCORES_BOOTSTRAP_RESAMPLES, 2386,
                               &p3, NULL);
  g_assert_true (p3.lower != p.lower || p3.upper != p.upper);

  /* Now 80 correct and 40 wrong in the subset, 60 correct and 20 wrong outside it: precision
   * still 0.7, score 40. A resample's score n0 - n1 has variance 200 (p0 q0 + p1 q1 + 2 p0 p1)
   * = 200 (.24 + .16 + .16) = 112, so the interval is close to 40 ± 1.96 sqrt(112) = 40 ± 20.7;
   * 2.5 allows for whole counts and the resamples' noise (about 0.6). */
  for (guint i = 0; i < G_N_ELEMENTS (e); i++)
    {
      gboolean in_subset = i % 10 < 6;

      e[i].correct = in_subset ? i % 10 < 4 : i % 10 < 9;
      e[i].rank_positive = in_subset ? 1 + i % 30 : 31 + i % 7;
      e[i].rank_negative = in_subset ? 40 : 31 + i % 3;
    }
  lk_scores_triplet_bootstrap (e, 200, LK_SCORES_TOP_K, LK_SCORES_BOOTSTRAP_RESAMPLES, 2385,
                               &p, &s);
  g_assert_cmpfloat_with_epsilon (p.estimate, 0.7, EXACT);
  g_assert_cmpfloat_with_epsilon (s.estimate, 40.0, EXACT);
  g_assert_cmpfloat_with_epsilon (s.lower, 40.0 - 1.96 * sqrt (112.0), 2.5);
  g_assert_cmpfloat_with_epsilon (s.upper, 40.0 + 1.96 * sqrt (112.0), 2.5);
  g_assert_cmpfloat_with_epsilon (p.lower, 0.7 - half, 0.012);

  /* One triplet: every resample is that triplet. None: nothing to say. */
  lk_scores_triplet_bootstrap (e, 1, 30, 50, 1, &p, &s);
  g_assert_cmpfloat (p.lower, ==, 1.0);
  g_assert_cmpfloat (p.upper, ==, 1.0);
  g_assert_cmpfloat (s.lower, ==, 1.0);
  lk_scores_triplet_bootstrap (e, 0, 30, 50, 1, &p, &s);
  g_assert_true (isnan (p.estimate) && isnan (p.lower) && isnan (s.upper));
}

/* Returns the negated distance of an embedding: a metric that orders everything backwards. */
static double
reversed_distance (guint    a,
                   guint    b,
                   gpointer embedding)
{
  return -lk_embedding_distance (embedding, a, b);
}

/* Judgements made by a known metric: that metric scores perfectly, its reverse scores zero,
 * and an unrelated one scores near chance. 60 random points in 2-D; 300 random triplets
 * labelled by them (P⁺ the nearer); pairs from each point to its nearest neighbour. Under the
 * truth: precision 1, score-at-K = the subset's size, recall@1 = 1, associative recall 1 for
 * every m. Reversed: precision 0, recall@1 = 0. Another random embedding: precision
 * 0.5 ± 0.1 (about 3.5 standard deviations of a binomial share of 300; the seeds are fixed). */
static void
test_scores_of_the_truth (void)
{
  g_autoptr(gsl_rng) rng = lk_rng_new (2385);
  g_autoptr(LkEmbedding) truth = lk_embedding_new_random (60, 2, rng);
  g_autoptr(LkEmbedding) other = lk_embedding_new_random (60, 2, rng);
  LkTriplet t[300];
  LkTripletEval e[300];
  LkMatchPair pairs[60];
  guint all[60];
  double acc[8];
  guint subset;
  g_autofree guint *ranks = NULL;
  g_autofree guint *reversed = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (t); i++)
    {
      guint q = gsl_rng_uniform_int (rng, 60), a, b;

      do
        a = gsl_rng_uniform_int (rng, 60);
      while (a == q);
      do
        b = gsl_rng_uniform_int (rng, 60);
      while (b == q || b == a);
      if (lk_embedding_distance (truth, q, a) < lk_embedding_distance (truth, q, b))
        t[i] = (LkTriplet) { i, q, a, b };
      else
        t[i] = (LkTriplet) { i, q, b, a };
    }
  lk_scores_triplet_evaluate (t, 300, 60, lk_scores_embedding_distance, truth, e);
  g_assert_cmpfloat_with_epsilon (lk_scores_triplet_precision (e, 300), 1.0, EXACT);
  g_assert_cmpint (lk_scores_triplet_score_at_k (e, 300, LK_SCORES_TOP_K, &subset), ==, subset);
  g_assert_cmpuint (subset, >, 0);
  lk_scores_triplet_evaluate (t, 300, 60, reversed_distance, truth, e);
  g_assert_cmpfloat_with_epsilon (lk_scores_triplet_precision (e, 300), 0.0, EXACT);
  lk_scores_triplet_evaluate (t, 300, 60, lk_scores_embedding_distance, other, e);
  g_assert_cmpfloat_with_epsilon (lk_scores_triplet_precision (e, 300), 0.5, 0.1);

  for (guint i = 0; i < 60; i++)
    {
      guint best = i == 0 ? 1 : 0;

      for (guint j = 0; j < 60; j++)
        if (j != i && lk_embedding_distance (truth, i, j) < lk_embedding_distance (truth, i, best))
          best = j;
      pairs[i] = (LkMatchPair) { i, best };
    }
  for (guint i = 0; i < 60; i++)
    all[i] = i;
  ranks = lk_scores_match_ranks (pairs, 60, all, 60, lk_scores_embedding_distance, truth);
  reversed = lk_scores_match_ranks (pairs, 60, all, 60, reversed_distance, truth);
  g_assert_cmpfloat_with_epsilon (lk_scores_recall_at_k (ranks, 60, 1), 1.0, EXACT);
  g_assert_cmpfloat_with_epsilon (lk_scores_recall_at_k (reversed, 60, 1), 0.0, EXACT);
  lk_scores_associative_recall (pairs, 60, all, 60, lk_scores_associative_ms, 8,
                                LK_SCORES_ASSOCIATIVE_REPETITIONS, 1,
                                lk_scores_embedding_distance, truth, acc);
  /* m = 2 to 50 are all won; m = 100 needs 99 distractors among 58. */
  for (guint m = 0; m < 7; m++)
    g_assert_cmpfloat_with_epsilon (acc[m], 1.0, EXACT);
  g_assert_true (isnan (acc[7]));
}

/* The ratio bootstrap over units. 100 single trials with 30 successes: close to the normal
 * interval 0.3 ± 1.96 sqrt(0.21 / 100) = 0.3 ± 0.090 (0.02 for steps of 0.01 and noise). The
 * same 30 successes as 3 units of 10 among 10 units of 10 answers: the units, not the answers,
 * are resampled, so the interval is the spread of Binomial(10, 0.3) / 10, whose 2.5th
 * percentile is 0 and 97.5th is 0.6 — much wider, as it must be when answers come in blocks. */
static void
test_ratio_bootstrap (void)
{
  guint single[100], blocks[10], tens[10];
  const guint none[] = { 0, 0 };
  LkInterval a, b, c;

  for (guint i = 0; i < 100; i++)
    single[i] = i % 10 < 3;
  for (guint i = 0; i < 10; i++)
    {
      blocks[i] = i < 3 ? 10 : 0;
      tens[i] = 10;
    }

  lk_scores_ratio_bootstrap (single, NULL, 100, LK_SCORES_BOOTSTRAP_RESAMPLES, 2385, &a);
  g_assert_cmpfloat_with_epsilon (a.estimate, 0.3, EXACT);
  g_assert_cmpfloat_with_epsilon (a.lower, 0.3 - 1.96 * sqrt (0.0021), 0.02);
  g_assert_cmpfloat_with_epsilon (a.upper, 0.3 + 1.96 * sqrt (0.0021), 0.02);
  lk_scores_ratio_bootstrap (single, NULL, 100, LK_SCORES_BOOTSTRAP_RESAMPLES, 2385, &b);
  g_assert_true (a.lower == b.lower && a.upper == b.upper);

  lk_scores_ratio_bootstrap (blocks, tens, 10, LK_SCORES_BOOTSTRAP_RESAMPLES, 2385, &c);
  g_assert_cmpfloat_with_epsilon (c.estimate, 0.3, EXACT);
  g_assert_cmpfloat_with_epsilon (c.lower, 0.0, 0.05);
  g_assert_cmpfloat_with_epsilon (c.upper, 0.6, 0.05);

  lk_scores_ratio_bootstrap (none, none, 2, 10, 1, &c);
  g_assert_true (isnan (c.estimate) && isnan (c.lower) && isnan (c.upper));
  lk_scores_ratio_bootstrap (single, NULL, 1, 10, 1, &c);
  g_assert_cmpfloat (c.lower, ==, 1.0);
  g_assert_cmpfloat (c.upper, ==, 1.0);
}

/* With 4 degrees of freedom the χ² tail has a closed form, Q(x) = e^(-x/2) (1 + x/2).
 * Counts 12, 8, 10, 6, 14 (E = 10): χ² = (4 + 4 + 0 + 16 + 16) / 10 = 4, p = 3 e^-2.
 * The paper's counts 627, 522, 465, 395, 391 (E = 480):
 * χ² = (147² + 42² + 15² + 85² + 89²) / 480 = 38744 / 480, far beyond chance. Uniform counts
 * give 0 and p = 1. */
static void
test_chi_squared (void)
{
  const guint small[] = { 12, 8, 10, 6, 14 };
  const guint paper[] = { 627, 522, 465, 395, 391 };
  const guint even[] = { 7, 7, 7 };
  const guint none[] = { 0, 0, 0 };
  double p = -1.0, x;

  g_assert_cmpfloat_with_epsilon (lk_scores_chi_squared_uniform (small, 5, &p), 4.0, EXACT);
  g_assert_cmpfloat_with_epsilon (p, 3.0 * exp (-2.0), 1e-12);

  x = lk_scores_chi_squared_uniform (paper, 5, &p);
  g_assert_cmpfloat_with_epsilon (x, 38744.0 / 480.0, 1e-10);
  g_assert_cmpfloat_with_epsilon (p, exp (-x / 2.0) * (1.0 + x / 2.0), 1e-25);
  g_assert_cmpfloat (p, <, 1e-15);
  /* "Option 1 selected 30% more times than the expected probability." */
  g_assert_cmpfloat_with_epsilon (627.0 / 480.0, 1.30, 0.01);

  g_assert_cmpfloat_with_epsilon (lk_scores_chi_squared_uniform (even, 3, &p), 0.0, EXACT);
  g_assert_cmpfloat_with_epsilon (p, 1.0, EXACT);
  g_assert_cmpfloat_with_epsilon (lk_scores_chi_squared_uniform (none, 3, &p), 0.0, EXACT);
  g_assert_cmpfloat_with_epsilon (p, 1.0, EXACT);
}

/* Four questions of a 5-way forced choice:
 *   question  target  picks            modal  agreement  correct share  majority  unanimous
 *   1         10      10 10 10 11      3      3/4        3/4            yes       no
 *   2         20      21 21 21         3      1          0              yes       yes
 *   3         30      30 31 32 33      1      1/4        1/4            no        no
 *   4         40      40 41            1      1/2        1/2            no (1/2)  no
 * Accuracy 5/13; majority 2/4; unanimous 1/4. Pearson r: agreement (.75, 1, .25, .5) has mean
 * .625, correct share (.75, 0, .25, .5) mean .375; Sxy = -.0625, Sxx = Syy = .3125, r = -0.2.
 * Positions 4, 3, 2, 2, 2: E = 13/5, χ² = (1.4² + .4² + 3 · .6²) / 2.6 = 3.2 / 2.6. */
static void
test_choice (void)
{
  const LkChoiceAnswer a[] = {
    { 3, 30, 30, 0 }, { 1, 10, 10, 0 }, { 2, 21, 20, 1 }, { 4, 41, 40, 2 }, { 1, 11, 10, 3 },
    { 3, 32, 30, 4 }, { 2, 21, 20, 0 }, { 1, 10, 10, 1 }, { 3, 33, 30, 2 }, { 4, 40, 40, 3 },
    { 1, 10, 10, 4 }, { 3, 31, 30, 0 }, { 2, 21, 20, 1 },
  };
  const guint modal[] = { 3, 3, 1, 1 };
  const guint correct[] = { 3, 0, 1, 1 };
  const gboolean majority[] = { TRUE, TRUE, FALSE, FALSE };
  const gboolean unanimous[] = { FALSE, TRUE, FALSE, FALSE };
  const guint positions[] = { 4, 3, 2, 2, 2 };
  g_autoptr(GError) error = NULL;
  g_autoptr(LkChoiceScores) s = lk_scores_choice (a, G_N_ELEMENTS (a), 5, &error);
  double x = 3.2 / 2.6;

  g_assert_no_error (error);
  g_assert_cmpuint (s->n_answers, ==, 13);
  g_assert_cmpuint (s->n_correct, ==, 5);
  g_assert_cmpfloat_with_epsilon (s->accuracy, 5.0 / 13.0, EXACT);
  g_assert_cmpuint (s->n_questions, ==, 4);
  for (guint q = 0; q < 4; q++)
    {
      g_assert_cmpuint (s->questions[q].question, ==, q + 1);
      g_assert_cmpuint (s->questions[q].modal_count, ==, modal[q]);
      g_assert_cmpuint (s->questions[q].n_correct, ==, correct[q]);
      g_assert_cmpint (s->questions[q].majority, ==, majority[q]);
      g_assert_cmpint (s->questions[q].unanimous, ==, unanimous[q]);
    }
  g_assert_cmpfloat_with_epsilon (s->questions[0].agreement, 0.75, EXACT);
  g_assert_cmpfloat_with_epsilon (s->questions[3].correct_share, 0.5, EXACT);
  g_assert_cmpfloat_with_epsilon (s->majority_share, 0.5, EXACT);
  g_assert_cmpfloat_with_epsilon (s->unanimous_share, 0.25, EXACT);
  g_assert_cmpfloat_with_epsilon (s->agreement_r, -0.2, EXACT);

  for (guint i = 0; i < 5; i++)
    g_assert_cmpuint (s->position_counts[i], ==, positions[i]);
  g_assert_cmpuint (s->degrees_of_freedom, ==, 4);
  g_assert_cmpfloat_with_epsilon (s->chi_squared, x, EXACT);
  g_assert_cmpfloat_with_epsilon (s->p_value, exp (-x / 2.0) * (1.0 + x / 2.0), 1e-12);
}

/* A metric answering the forced choice. Items on a line: 0 at 0, 1 at 1, 2 at 2.5, 3 at -4,
 * 4 at 10, 5 at 6.5, 6 at 12.5, 7 at 8, 8 at -1.
 *   question  query  candidates  target  distances        metric picks
 *   1         0      2 1 3       2       2.5 1 4          1 (not the target)
 *   2         4      5 6 7       7       3.5 2.5 2        7 (the target)
 *   3         0      1 8 3       3       1 1 4            none: 1 and 8 tie
 * Target accuracy 1/3. People: question 1 picks 1 1 2 (2 agree), question 2 picks 7 6 (1),
 * question 3 picks 1 1 (0, the metric has no pick): agreement 3/7. Resampling whole questions,
 * the agreement of a resample lies between 0 (only question 3) and 2/3 (only question 1). */
static void
test_choice_metric (void)
{
  const double x[] = { 0.0, 1.0, 2.5, -4.0, 10.0, 6.5, 12.5, 8.0, -1.0 };
  const LkChoiceSet sets[] = { { 2, 4, 7 }, { 1, 0, 2 }, { 3, 0, 3 } };
  const guint candidates[] = { 5, 6, 7,  2, 1, 3,  1, 8, 3 };
  const LkChoiceAnswer a[] = {
    { 1, 1, 2, 0 }, { 2, 7, 7, 1 }, { 1, 1, 2, 2 }, { 3, 1, 3, 0 }, { 1, 2, 2, 1 },
    { 2, 6, 7, 2 }, { 3, 1, 3, 1 },
  };
  const LkChoiceAnswer stranger[] = { { 9, 1, 2, 0 } };
  const LkChoiceAnswer not_offered[] = { { 1, 4, 2, 0 } };
  g_autoptr(LkEmbedding) emb = line (x, G_N_ELEMENTS (x));
  g_autoptr(GError) error = NULL;
  g_autoptr(LkChoiceMetric) m = NULL;
  g_autoptr(LkChoiceMetric) again = NULL;
  g_autoptr(LkChoiceMetric) bad = NULL;

  m = lk_scores_choice_metric (sets, 3, candidates, 3, a, G_N_ELEMENTS (a),
                               lk_scores_embedding_distance, emb,
                               LK_SCORES_BOOTSTRAP_RESAMPLES, 7, &error);
  g_assert_no_error (error);
  g_assert_cmpint (m->picks[0], ==, 7);
  g_assert_cmpint (m->picks[1], ==, 1);
  g_assert_cmpint (m->picks[2], ==, -1);
  g_assert_cmpfloat_with_epsilon (m->target_accuracy.estimate, 1.0 / 3.0, EXACT);
  g_assert_cmpuint (m->n_answers, ==, 7);
  g_assert_cmpuint (m->n_agreeing, ==, 3);
  g_assert_cmpfloat_with_epsilon (m->agreement.estimate, 3.0 / 7.0, EXACT);
  g_assert_cmpfloat (m->agreement.lower, >=, 0.0);
  g_assert_cmpfloat (m->agreement.lower, <, 3.0 / 7.0);
  g_assert_cmpfloat (m->agreement.upper, >, 3.0 / 7.0);
  g_assert_cmpfloat (m->agreement.upper, <=, 2.0 / 3.0 + EXACT);
  g_assert_cmpfloat (m->target_accuracy.lower, >=, 0.0);
  g_assert_cmpfloat (m->target_accuracy.upper, <=, 1.0);

  again = lk_scores_choice_metric (sets, 3, candidates, 3, a, G_N_ELEMENTS (a),
                                   lk_scores_embedding_distance, emb,
                                   LK_SCORES_BOOTSTRAP_RESAMPLES, 7, &error);
  g_assert_no_error (error);
  g_assert_true (again->agreement.lower == m->agreement.lower);
  g_assert_true (again->agreement.upper == m->agreement.upper);
  g_assert_true (again->target_accuracy.lower == m->target_accuracy.lower);

  bad = lk_scores_choice_metric (sets, 3, candidates, 3, stranger, 1,
                                 lk_scores_embedding_distance, emb, 10, 7, &error);
  g_assert_null (bad);
  g_assert_error (error, LK_CORE_ERROR, LK_CORE_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  bad = lk_scores_choice_metric (sets, 3, candidates, 3, not_offered, 1,
                                 lk_scores_embedding_distance, emb, 10, 7, &error);
  g_assert_null (bad);
  g_assert_error (error, LK_CORE_ERROR, LK_CORE_ERROR_INVALID_ARGUMENT);
}

/* Pearson r on a case with r = 1, one with r undefined (a constant), and too few points. */
static void
test_pearson (void)
{
  const double x[] = { 1.5, 2.5, 4.0 };
  const double y[] = { 3.0, 5.0, 8.0 };
  const double c[] = { 2.0, 2.0, 2.0 };

  g_assert_cmpfloat_with_epsilon (lk_scores_pearson (x, y, 3), 1.0, EXACT);
  g_assert_true (isnan (lk_scores_pearson (x, c, 3)));
  g_assert_true (isnan (lk_scores_pearson (x, y, 1)));
}

/* A position off the screen and a question with two targets are refused. */
static void
test_choice_errors (void)
{
  const LkChoiceAnswer off_screen[] = { { 1, 10, 10, 5 } };
  const LkChoiceAnswer two_targets[] = { { 1, 10, 10, 0 }, { 1, 10, 11, 1 } };
  g_autoptr(GError) error = NULL;
  g_autoptr(LkChoiceScores) s = lk_scores_choice (off_screen, 1, 5, &error);

  g_assert_null (s);
  g_assert_error (error, LK_CORE_ERROR, LK_CORE_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  s = lk_scores_choice (two_targets, 2, 5, &error);
  g_assert_null (s);
  g_assert_error (error, LK_CORE_ERROR, LK_CORE_ERROR_INVALID_ARGUMENT);
}

/* Items on a line: 0 at 0, 1 at 0.5, 2 at 3, 3 at -1.25, 4 at 7.5, 5 at 3.5, 6 at 10.
 * Pairs (L -> R): 0->1, 2->5, 4->3, 6->2; the paper's pool is the matches {1, 5, 3, 2}.
 *   0->1: 1 at 0.5; 3 at 1.25, 5 at 3.5, 2 at 3: rank 1
 *   2->5: 5 at 0.5; 1 at 2.5, 3 at 4.25 (2 is L itself): rank 1
 *   4->3: 3 at 8.75; 5 at 4, 2 at 4.5, 1 at 7: rank 4
 *   6->2: 2 at 7; 5 at 6.5 is nearer, 1 at 9.5, 3 at 11.25: rank 2
 * recall@1 = 2/4, @2 = @3 = 3/4, @4 = 1. With every item in the pool (given twice over in
 * part), 4->3 has 0, 1, 2, 5 and 6 ahead: rank 6; 0->1 stays first. */
static void
test_recall_at_k (void)
{
  const double x[] = { 0.0, 0.5, 3.0, -1.25, 7.5, 3.5, 10.0 };
  const LkMatchPair pairs[] = { { 0, 1 }, { 2, 5 }, { 4, 3 }, { 6, 2 } };
  const guint expected[] = { 1, 1, 4, 2 };
  const guint pool[] = { 6, 5, 4, 3, 2, 1, 0, 3, 5 };
  g_autoptr(LkEmbedding) emb = line (x, G_N_ELEMENTS (x));
  g_autofree guint *ranks = lk_scores_match_ranks (pairs, 4, NULL, 0,
                                                   lk_scores_embedding_distance, emb);
  g_autofree guint *all = lk_scores_match_ranks (pairs, 4, pool, G_N_ELEMENTS (pool),
                                                 lk_scores_embedding_distance, emb);

  for (guint i = 0; i < 4; i++)
    g_assert_cmpuint (ranks[i], ==, expected[i]);
  g_assert_cmpfloat_with_epsilon (lk_scores_recall_at_k (ranks, 4, 1), 0.5, EXACT);
  g_assert_cmpfloat_with_epsilon (lk_scores_recall_at_k (ranks, 4, 2), 0.75, EXACT);
  g_assert_cmpfloat_with_epsilon (lk_scores_recall_at_k (ranks, 4, 3), 0.75, EXACT);
  g_assert_cmpfloat_with_epsilon (lk_scores_recall_at_k (ranks, 4, 4), 1.0, EXACT);
  g_assert_cmpfloat_with_epsilon (lk_scores_recall_at_k (ranks, 4, lk_scores_recall_ks[5]), 1.0,
                                  EXACT);
  g_assert_true (isnan (lk_scores_recall_at_k (ranks, 0, 1)));

  g_assert_cmpuint (all[0], ==, 1);
  g_assert_cmpuint (all[2], ==, 6);
}

/* Near duplicates across pairs, on a line. Pairs (L -> R): P0 0->1, P1 2->3, P2 4->5, P3 6->7,
 * P4 8->9, with 0 at 0, 1 at 5, 2 at 20, 3 at 25, 4 at 40, 5 at 40.1, 6 at 5.1, 7 at 60, 8 at
 * 25.12, 9 at 100. At threshold 0.15: 6 is 0.1 from 1 (P0, P3 go) and 8 is 0.12 from 3 (P1, P4
 * go); P2's own L and R are 0.1 apart, which is allowed: only P2 is kept. At 0.11 only P0 and
 * P3 go. The same item in two pairs is a duplicate at any threshold. */
static void
test_near_duplicates (void)
{
  const double x[] = { 0.0, 5.0, 20.0, 25.0, 40.0, 40.1, 5.1, 60.0, 25.12, 100.0 };
  const LkMatchPair pairs[] = { { 0, 1 }, { 2, 3 }, { 4, 5 }, { 6, 7 }, { 8, 9 } };
  const LkMatchPair shared[] = { { 0, 1 }, { 1, 2 }, { 7, 9 } };
  const gboolean at_15[] = { FALSE, FALSE, TRUE, FALSE, FALSE };
  const gboolean at_11[] = { FALSE, TRUE, TRUE, FALSE, TRUE };
  g_autoptr(LkEmbedding) emb = line (x, G_N_ELEMENTS (x));
  gboolean keep[5];

  g_assert_cmpuint (lk_scores_pairs_near_duplicates (pairs, 5, 0.15, lk_scores_embedding_distance,
                                                     emb, keep), ==, 1);
  for (guint i = 0; i < 5; i++)
    g_assert_cmpint (keep[i], ==, at_15[i]);
  g_assert_cmpuint (lk_scores_pairs_near_duplicates (pairs, 5, 0.11, lk_scores_embedding_distance,
                                                     emb, keep), ==, 3);
  for (guint i = 0; i < 5; i++)
    g_assert_cmpint (keep[i], ==, at_11[i]);

  g_assert_cmpuint (lk_scores_pairs_near_duplicates (shared, 3, -1.0, lk_scores_embedding_distance,
                                                     emb, keep), ==, 1);
  g_assert_false (keep[0]);
  g_assert_false (keep[1]);
  g_assert_true (keep[2]);
}

/* The pairs of test_recall_at_k. Candidates besides L and R, and how many are nearer than R:
 *   0->1: {5, 3, 2}, none nearer: always first
 *   2->5: {1, 3}, none nearer: always first
 *   4->3: {1, 5, 2}, all nearer: never first
 *   6->2: {1, 5, 3}, only 5 nearer: first iff 5 is not drawn; m = 2: 2/3,
 *         m = 3: C(2,2)/C(3,2) = 1/3
 * Expected accuracy: m = 2: (1 + 1 + 0 + 2/3) / 4 = 2/3; m = 3: (1 + 1 + 0 + 1/3) / 4 = 7/12.
 * m = 1 is trivially 1; m = 4 needs 3 distractors where 2->5 has 2: NaN. Only 6->2 is random,
 * so with 3000 repetitions the figure's standard deviation is sqrt(2/9 / 3000) / 4 = 0.0022
 * (m = 2); 0.01 is 4.5 of those, and the seed is fixed. */
static void
test_associative_recall (void)
{
  const double x[] = { 0.0, 0.5, 3.0, -1.25, 7.5, 3.5, 10.0 };
  const LkMatchPair pairs[] = { { 0, 1 }, { 2, 5 }, { 4, 3 }, { 6, 2 } };
  const guint ms[] = { 1, 2, 3, 4 };
  const guint only_three[] = { 3 };
  g_autoptr(LkEmbedding) emb = line (x, G_N_ELEMENTS (x));
  double acc[4], again[4], alone[1], one_rep[4];

  lk_scores_associative_recall (pairs, 4, NULL, 0, ms, 4, 3000, 17,
                                lk_scores_embedding_distance, emb, acc);
  g_assert_cmpfloat_with_epsilon (acc[0], 1.0, EXACT);
  g_assert_cmpfloat_with_epsilon (acc[1], 2.0 / 3.0, 0.01);
  g_assert_cmpfloat_with_epsilon (acc[2], 7.0 / 12.0, 0.01);
  g_assert_true (isnan (acc[3]));

  /* The same seed gives the same figures, and each m has its own stream. */
  lk_scores_associative_recall (pairs, 4, NULL, 0, ms, 4, 3000, 17,
                                lk_scores_embedding_distance, emb, again);
  lk_scores_associative_recall (pairs, 4, NULL, 0, only_three, 1, 3000, 17,
                                lk_scores_embedding_distance, emb, alone);
  g_assert_true (again[1] == acc[1] && again[2] == acc[2]);
  g_assert_true (alone[0] == acc[2]);

  /* With one repetition each pair contributes 0 or 1: the figures are quarters, and the three
   * fixed pairs give at least 2/4 and at most 3/4. */
  lk_scores_associative_recall (pairs, 4, NULL, 0, ms, 4, 1, 17,
                                lk_scores_embedding_distance, emb, one_rep);
  for (guint i = 1; i < 3; i++)
    {
      g_assert_cmpfloat_with_epsilon (fmod (one_rep[i] * 4.0, 1.0), 0.0, EXACT);
      g_assert_cmpfloat (one_rep[i], >=, 0.5);
      g_assert_cmpfloat (one_rep[i], <=, 0.75);
    }
}

/* A distractor exactly as far as the match beats it. From L = 0: R = 1 and 2 are both at 2,
 * 3 at 5. m = 2 draws 2 or 3, so about half the draws are won; m = 3 always draws 2: never. */
static void
test_associative_recall_ties (void)
{
  const double d[] = {
    0.0, 2.0, 2.0, 5.0,
    2.0, 0.0, 1.0, 1.0,
    2.0, 1.0, 0.0, 1.0,
    5.0, 1.0, 1.0, 0.0,
  };
  LkScoreMatrix m = { d, 4 };
  const LkMatchPair pair = { 0, 1 };
  const guint pool[] = { 1, 2, 3 };
  const guint ms[] = { 2, 3 };
  double acc[2];

  lk_scores_associative_recall (&pair, 1, pool, 3, ms, 2, 400, 5, lk_scores_matrix_distance, &m,
                                acc);
  g_assert_cmpfloat_with_epsilon (acc[0], 0.5, 0.1);
  g_assert_cmpfloat_with_epsilon (acc[1], 0.0, EXACT);
}

/* Three raters, four binary items with true labels 0 1 0 1; raters 0 and 1 are always right,
 * rater 2 always wrong. Majority vote starts every item at P(truth) = 2/3, and by symmetry
 * every item keeps one P = p: the M-step gives the right raters e[t, t] = p and the wrong one
 * e[1 - t, t] = p, π = (1/2, 1/2), and the E-step gives p' = p³ / (p³ + (1 - p)³). So after one
 * iteration P = 8/9, after two 512/513. The ELBO per answer after one iteration is
 * (2/3)(8/9 ln 8/9 + 1/9 ln 1/9) - ln 2: every answer adds 8/9 ln 8/9 + 1/9 ln 1/9 + ln 1/2,
 * and each of the 4 items' entropy is -(8/9 ln 8/9 + 1/9 ln 1/9), over 12 answers. */
static void
test_dawid_skene (void)
{
  const guint truth[] = { 0, 1, 0, 1 };
  LkLabelAnswer a[12];
  g_autoptr(GError) error = NULL;
  g_autoptr(LkDawidSkene) one = NULL;
  g_autoptr(LkDawidSkene) two = NULL;
  g_autoptr(LkDawidSkene) full = NULL;
  const double h = 8.0 / 9.0 * log (8.0 / 9.0) + 1.0 / 9.0 * log (1.0 / 9.0);

  for (guint j = 0; j < 4; j++)
    for (guint w = 0; w < 3; w++)
      a[j * 3 + w] = (LkLabelAnswer) { j, w, w == 2 ? 1 - truth[j] : truth[j] };

  one = lk_scores_dawid_skene (a, 12, 4, 3, 2, 1, LK_SCORES_DS_TOLERANCE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (one->n_iterations, ==, 1);
  g_assert_false (one->converged);
  for (guint j = 0; j < 4; j++)
    {
      g_assert_cmpint (one->labels[j], ==, truth[j]);
      g_assert_cmpfloat_with_epsilon (one->posteriors[j * 2 + truth[j]], 8.0 / 9.0, EXACT);
    }
  g_assert_cmpfloat_with_epsilon (one->priors[0], 0.5, EXACT);
  /* errors[w][k][c]: rater 0 answers 0 for a true 0 with 8/9, rater 2 answers 1 for it. */
  g_assert_cmpfloat_with_epsilon (one->errors[(0 * 2 + 0) * 2 + 0], 8.0 / 9.0, EXACT);
  g_assert_cmpfloat_with_epsilon (one->errors[(0 * 2 + 1) * 2 + 0], 1.0 / 9.0, EXACT);
  g_assert_cmpfloat_with_epsilon (one->errors[(2 * 2 + 1) * 2 + 0], 8.0 / 9.0, EXACT);
  g_assert_cmpfloat_with_epsilon (one->errors[(2 * 2 + 0) * 2 + 1], 8.0 / 9.0, EXACT);
  g_assert_cmpfloat_with_epsilon (one->elbo, 2.0 / 3.0 * h - log (2.0), EXACT);

  two = lk_scores_dawid_skene (a, 12, 4, 3, 2, 2, LK_SCORES_DS_TOLERANCE, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat_with_epsilon (two->posteriors[1 * 2 + 1], 512.0 / 513.0, EXACT);

  /* Left to converge, it stops within the paper's 10 iterations with every label right. */
  full = lk_scores_dawid_skene (a, 12, 4, 3, 2, LK_SCORES_DS_ITERATIONS, LK_SCORES_DS_TOLERANCE,
                                &error);
  g_assert_no_error (error);
  g_assert_true (full->converged);
  g_assert_cmpuint (full->n_iterations, <, LK_SCORES_DS_ITERATIONS);
  for (guint j = 0; j < 4; j++)
    g_assert_cmpint (full->labels[j], ==, truth[j]);
}

/* Where Dawid-Skene and majority vote part: 6 tasks, 4 workers, 3 labels; workers 0 and 1 are
 * reliable, 2 and 3 mostly guess. Task 4 is answered 2, 2, 1, 1: majority vote ties and takes
 * label 1; Dawid-Skene trusts workers 0 and 1 and says 2, the truth. The figures come from a
 * plain-Python transcription of crowd-kit's DawidSkene (fit, _m_step, _e_step and
 * _evidence_lower_bound, without numpy), written apart from this C code; the two agree to
 * 1e-15 on random cases too. */
static void
test_dawid_skene_reference (void)
{
  const guint y[6][4] = {
    { 1, 1, 1, 0 }, { 1, 1, 2, 2 }, { 2, 1, 0, 0 }, { 1, 1, 1, 2 }, { 2, 2, 1, 1 }, { 1, 0, 1, 2 },
  };
  const gint truth[] = { 1, 1, 0, 1, 2, 1 };
  LkLabelAnswer a[24];
  g_autoptr(GError) error = NULL;
  g_autoptr(LkDawidSkene) one = NULL;
  g_autoptr(LkDawidSkene) full = NULL;

  for (guint j = 0; j < 6; j++)
    for (guint w = 0; w < 4; w++)
      a[j * 4 + w] = (LkLabelAnswer) { j, w, y[j][w] };

  one = lk_scores_dawid_skene (a, 24, 6, 4, 3, 1, LK_SCORES_DS_TOLERANCE, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat_with_epsilon (one->elbo, -1.507685695223304, 1e-12);
  g_assert_cmpfloat_with_epsilon (one->posteriors[4 * 3 + 1], 0.28073334424619395, 1e-12);
  g_assert_cmpfloat_with_epsilon (one->posteriors[4 * 3 + 2], 0.7192666557538061, 1e-12);
  g_assert_cmpfloat_with_epsilon (one->posteriors[2 * 3 + 0], 0.8698767049734515, 1e-12);
  g_assert_cmpfloat_with_epsilon (one->posteriors[2 * 3 + 1], 0.07602017633364025, 1e-12);
  g_assert_cmpfloat_with_epsilon (one->posteriors[2 * 3 + 2], 0.054103118692908174, 1e-12);

  full = lk_scores_dawid_skene (a, 24, 6, 4, 3, LK_SCORES_DS_ITERATIONS, LK_SCORES_DS_TOLERANCE,
                                &error);
  g_assert_no_error (error);
  g_assert_true (full->converged);
  g_assert_cmpuint (full->n_iterations, ==, 7);
  g_assert_cmpfloat_with_epsilon (full->elbo, -1.1487308008658672, 1e-12);
  for (guint j = 0; j < 6; j++)
    g_assert_cmpint (full->labels[j], ==, truth[j]);
}

/* Labels that nobody gave take no part, a tie goes to the smaller label, and a task without
 * answers gets none. Task 0: worker 0 says 5, worker 1 says 2 (of 8 labels); task 1 is empty.
 * Each worker used one label, so its confusion row is 1 whatever the truth, and the posterior
 * stays at the prior, 1/2 each: label 2. */
static void
test_dawid_skene_ties (void)
{
  const LkLabelAnswer a[] = { { 0, 0, 5 }, { 0, 1, 2 } };
  g_autoptr(GError) error = NULL;
  g_autoptr(LkDawidSkene) ds = lk_scores_dawid_skene (a, 2, 2, 2, 8, LK_SCORES_DS_ITERATIONS,
                                                      LK_SCORES_DS_TOLERANCE, &error);

  g_assert_no_error (error);
  g_assert_cmpint (ds->labels[0], ==, 2);
  g_assert_cmpint (ds->labels[1], ==, -1);
  g_assert_cmpfloat_with_epsilon (ds->posteriors[2], 0.5, EXACT);
  g_assert_cmpfloat_with_epsilon (ds->posteriors[5], 0.5, EXACT);
  g_assert_cmpfloat_with_epsilon (ds->posteriors[0], 0.0, EXACT);
  g_assert_cmpfloat_with_epsilon (ds->errors[(0 * 8 + 5) * 8 + 2], 1.0, EXACT);
}

/* An answer naming a worker that does not exist is refused. */
static void
test_dawid_skene_errors (void)
{
  const LkLabelAnswer a[] = { { 0, 3, 1 } };
  g_autoptr(GError) error = NULL;
  g_autoptr(LkDawidSkene) ds = lk_scores_dawid_skene (a, 1, 1, 3, 2, 10, 1e-5, &error);

  g_assert_null (ds);
  g_assert_error (error, LK_CORE_ERROR, LK_CORE_ERROR_INVALID_ARGUMENT);
}

/* Four HITs of 8 (the cluster shown at each position):
 *   HIT 0: 0 0 0 2 0 0 0 0   main 0, intruder 2 (position 3); raters 0, 1, 2 pick 3, 3, 5
 *   HIT 1: 1 1 0 1 1 1 1 1   main 1, intruder 0 (position 2); rater 0 picks 2
 *   HIT 2: 0 0 0 0 0 0 0 1   main 0, intruder 1 (position 7); raters 1, 2 pick 7, 7
 *   HIT 3: 2 2 2 2 2 2 2 2   main 2 and, alone, intruder 2: any pick is right; rater 0 picks 4
 * Raw: 6 of 7 answers right; main cluster 0: 4 of 5, 1: 1 of 1, 2: 1 of 1.
 * Dawid-Skene: HIT 2 is unanimous, position 7. In HIT 0 every worker's confusion entry for
 * its own answer is ≈ 1 under both candidate truths (3 and 5), because each label a worker used
 * elsewhere has a different true label; so the posterior stays at the prior, π_3 = (2/3) / 4
 * against π_5 = (1/3) / 4: 2/3 for position 3, right. HITs 0 and 2 have two raters or more:
 * 2 of 2 right, both with main cluster 0; HITs 1 and 3 are not aggregated. */
static void
test_intruder (void)
{
  const guint clusters[] = {
    0, 0, 0, 2, 0, 0, 0, 0,
    1, 1, 0, 1, 1, 1, 1, 1,
    0, 0, 0, 0, 0, 0, 0, 1,
    2, 2, 2, 2, 2, 2, 2, 2,
  };
  const LkIntruderAnswer a[] = {
    { 2, 2, 7 }, { 0, 0, 3 }, { 3, 0, 4 }, { 0, 2, 5 }, { 1, 0, 2 }, { 2, 1, 7 }, { 0, 1, 3 },
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(LkIntruderScores) s = lk_scores_intruder (clusters, 4, 8, a, G_N_ELEMENTS (a),
                                                      &error);
  g_autoptr(LkDawidSkene) ds = NULL;
  LkLabelAnswer la[G_N_ELEMENTS (a)];

  g_assert_no_error (error);
  g_assert_cmpint (s->main_cluster[0], ==, 0);
  g_assert_cmpint (s->intruder_cluster[0], ==, 2);
  g_assert_cmpint (s->main_cluster[1], ==, 1);
  g_assert_cmpint (s->intruder_cluster[1], ==, 0);
  g_assert_cmpint (s->intruder_cluster[2], ==, 1);
  g_assert_cmpint (s->main_cluster[3], ==, 2);
  g_assert_cmpint (s->intruder_cluster[3], ==, 2);

  g_assert_cmpuint (s->n_answers, ==, 7);
  g_assert_cmpuint (s->n_correct, ==, 6);
  g_assert_cmpfloat_with_epsilon (s->accuracy, 6.0 / 7.0, EXACT);
  g_assert_cmpuint (s->n_clusters, ==, 3);
  g_assert_cmpuint (s->cluster_answers[0], ==, 5);
  g_assert_cmpfloat_with_epsilon (s->cluster_accuracy[0], 0.8, EXACT);
  g_assert_cmpfloat_with_epsilon (s->cluster_accuracy[1], 1.0, EXACT);
  g_assert_cmpfloat_with_epsilon (s->cluster_accuracy[2], 1.0, EXACT);

  g_assert_cmpint (s->aggregated[0], ==, 3);
  g_assert_cmpint (s->aggregated[1], ==, -1);
  g_assert_cmpint (s->aggregated[2], ==, 7);
  g_assert_cmpint (s->aggregated[3], ==, -1);
  g_assert_cmpuint (s->n_aggregated, ==, 2);
  g_assert_cmpuint (s->n_aggregated_correct, ==, 2);
  g_assert_cmpfloat_with_epsilon (s->aggregated_accuracy, 1.0, EXACT);
  g_assert_cmpuint (s->cluster_hits[0], ==, 2);
  g_assert_cmpfloat_with_epsilon (s->cluster_aggregated_accuracy[0], 1.0, EXACT);
  g_assert_true (isnan (s->cluster_aggregated_accuracy[1]));
  g_assert_true (isnan (s->cluster_aggregated_accuracy[2]));

  /* The posterior of HIT 0 behind that label, to within the ε = 1e-10 floor. */
  for (guint i = 0; i < G_N_ELEMENTS (a); i++)
    la[i] = (LkLabelAnswer) { a[i].hit, a[i].rater, a[i].position };
  ds = lk_scores_dawid_skene (la, G_N_ELEMENTS (a), 4, 3, 8, LK_SCORES_DS_ITERATIONS,
                              LK_SCORES_DS_TOLERANCE, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat_with_epsilon (ds->posteriors[0 * 8 + 3], 2.0 / 3.0, 1e-8);
  g_assert_cmpfloat_with_epsilon (ds->posteriors[0 * 8 + 5], 1.0 / 3.0, 1e-8);
}

/* One rater per HIT: raw accuracy only, and no aggregated figure. Rater ids are whatever the
 * study uses, here near the top of the range, and cost nothing for it. */
static void
test_intruder_one_rater (void)
{
  const guint clusters[] = { 0, 0, 1, 0,  1, 1, 1, 0 };
  const LkIntruderAnswer a[] = { { 0, 4000000000u, 2 }, { 1, 4000000000u, 1 } };
  g_autoptr(GError) error = NULL;
  g_autoptr(LkIntruderScores) s = lk_scores_intruder (clusters, 2, 4, a, 2, &error);

  g_assert_no_error (error);
  g_assert_cmpfloat_with_epsilon (s->accuracy, 0.5, EXACT);
  g_assert_cmpfloat_with_epsilon (s->cluster_accuracy[0], 1.0, EXACT);
  g_assert_cmpfloat_with_epsilon (s->cluster_accuracy[1], 0.0, EXACT);
  g_assert_cmpuint (s->n_aggregated, ==, 0);
  g_assert_true (isnan (s->aggregated_accuracy));
}

/* A metric answering the intruder task, on HITs of 4 items on a line:
 *   HIT 0: items at 0, 0.5, 1.25, 9 (clusters 0 0 0 1): summed distances 10.75, 9.75, 9.75,
 *          25.25: it picks position 3, in the intruder cluster: right
 *   HIT 1: items at 20, 21, 30, 22.5 (clusters 1 1 1 0): sums 13.5, 11.5, 26.5, 11.5: it picks
 *          position 2, in the main cluster: wrong
 *   HIT 2: items at 40, 41, 42, 43 (clusters 0 0 0 2): sums 6, 4, 4, 6, a tie: no pick, wrong
 * Accuracy 1/3. People: HIT 0 picks 3, 3 (both agree), HIT 1 picks 3, HIT 2 picks 3: 2 of 4. */
static void
test_intruder_metric (void)
{
  const double x[] = { 0.0, 0.5, 1.25, 9.0, 20.0, 21.0, 30.0, 22.5, 40.0, 41.0, 42.0, 43.0 };
  const guint items[] = { 0, 1, 2, 3,  4, 5, 6, 7,  8, 9, 10, 11 };
  const guint clusters[] = { 0, 0, 0, 1,  1, 1, 1, 0,  0, 0, 0, 2 };
  const LkIntruderAnswer a[] = { { 0, 5, 3 }, { 1, 5, 3 }, { 0, 6, 3 }, { 2, 6, 3 } };
  const LkIntruderAnswer off[] = { { 3, 5, 0 } };
  g_autoptr(LkEmbedding) emb = line (x, G_N_ELEMENTS (x));
  g_autoptr(GError) error = NULL;
  g_autoptr(LkIntruderMetric) m = NULL;
  g_autoptr(LkIntruderMetric) bad = NULL;

  m = lk_scores_intruder_metric (items, clusters, 3, 4, a, G_N_ELEMENTS (a),
                                 lk_scores_embedding_distance, emb,
                                 LK_SCORES_BOOTSTRAP_RESAMPLES, 3, &error);
  g_assert_no_error (error);
  g_assert_cmpint (m->picks[0], ==, 3);
  g_assert_cmpint (m->picks[1], ==, 2);
  g_assert_cmpint (m->picks[2], ==, -1);
  g_assert_cmpfloat_with_epsilon (m->accuracy.estimate, 1.0 / 3.0, EXACT);
  g_assert_cmpuint (m->n_agreeing, ==, 2);
  g_assert_cmpfloat_with_epsilon (m->agreement.estimate, 0.5, EXACT);
  g_assert_cmpfloat (m->accuracy.lower, >=, 0.0);
  g_assert_cmpfloat (m->accuracy.upper, <=, 1.0);

  bad = lk_scores_intruder_metric (items, clusters, 3, 4, off, 1, lk_scores_embedding_distance,
                                   emb, 10, 3, &error);
  g_assert_null (bad);
  g_assert_error (error, LK_CORE_ERROR, LK_CORE_ERROR_INVALID_ARGUMENT);
}

/* A position beyond the HIT and a HIT beyond the table are refused, with both in the message. */
static void
test_intruder_errors (void)
{
  const guint clusters[] = { 0, 0, 1, 0 };
  const LkIntruderAnswer off_hit[] = { { 0, 0, 4 } };
  const LkIntruderAnswer no_hit[] = { { 1, 0, 0 } };
  g_autoptr(GError) error = NULL;
  g_autoptr(LkIntruderScores) s = lk_scores_intruder (clusters, 1, 4, off_hit, 1, &error);

  g_assert_null (s);
  g_assert_error (error, LK_CORE_ERROR, LK_CORE_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "position 5 of HIT 1"));
  g_clear_error (&error);

  s = lk_scores_intruder (clusters, 1, 4, no_hit, 1, &error);
  g_assert_null (s);
  g_assert_error (error, LK_CORE_ERROR, LK_CORE_ERROR_INVALID_ARGUMENT);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/lk/core/scores/triplet-filter", test_triplet_filter);
  g_test_add_func ("/lk/core/scores/triplet-filter-empty", test_triplet_filter_empty);
  g_test_add_func ("/lk/core/scores/triplet-filter-errors", test_triplet_filter_errors);
  g_test_add_func ("/lk/core/scores/triplet-precision-score", test_triplet_precision_and_score);
  g_test_add_func ("/lk/core/scores/triplet-ties", test_triplet_ties);
  g_test_add_func ("/lk/core/scores/triplet-bootstrap", test_triplet_bootstrap);
  g_test_add_func ("/lk/core/scores/truth", test_scores_of_the_truth);
  g_test_add_func ("/lk/core/scores/ratio-bootstrap", test_ratio_bootstrap);
  g_test_add_func ("/lk/core/scores/chi-squared", test_chi_squared);
  g_test_add_func ("/lk/core/scores/choice", test_choice);
  g_test_add_func ("/lk/core/scores/pearson", test_pearson);
  g_test_add_func ("/lk/core/scores/choice-errors", test_choice_errors);
  g_test_add_func ("/lk/core/scores/choice-metric", test_choice_metric);
  g_test_add_func ("/lk/core/scores/recall-at-k", test_recall_at_k);
  g_test_add_func ("/lk/core/scores/near-duplicates", test_near_duplicates);
  g_test_add_func ("/lk/core/scores/associative-recall", test_associative_recall);
  g_test_add_func ("/lk/core/scores/associative-recall-ties", test_associative_recall_ties);
  g_test_add_func ("/lk/core/scores/dawid-skene", test_dawid_skene);
  g_test_add_func ("/lk/core/scores/dawid-skene-reference", test_dawid_skene_reference);
  g_test_add_func ("/lk/core/scores/dawid-skene-ties", test_dawid_skene_ties);
  g_test_add_func ("/lk/core/scores/dawid-skene-errors", test_dawid_skene_errors);
  g_test_add_func ("/lk/core/scores/intruder", test_intruder);
  g_test_add_func ("/lk/core/scores/intruder-one-rater", test_intruder_one_rater);
  g_test_add_func ("/lk/core/scores/intruder-metric", test_intruder_metric);
  g_test_add_func ("/lk/core/scores/intruder-errors", test_intruder_errors);

  return g_test_run ();
}
