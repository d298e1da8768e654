/* lk-scores.c — scores of a metric against people's judgements, from three papers:
 *
 *  - Deep Ranking (`004_7e3d54f1820a2d67.txt`, section 6.2-6.3): triplets rated by three people
 *    with four answers; only unanimous triplets answered "A closer" or "B closer" are kept;
 *    similarity precision and score-at-top-K (K = 30) on those.
 *  - Totally Looks Like (`003_4446fcda06cfa565.txt`, sections 3.2 and 4): retrieval of collected
 *    pairs as recall@k and associative recall within m random candidates; a 5-way forced choice
 *    scored as accuracy, per-query agreement, Pearson r of agreement and correctness, and the
 *    counts per screen position (the retrieval scores are in lk-scores-match.c).
 *  - The Toloka crowd-clustering demo (`002_be200730eb88e724.txt`, its quality evaluation):
 *    intruder HITs aggregated with Dawid-Skene as crowd-kit does it, accuracy overall and per
 *    main cluster (in lk-scores-intruder.c).
 *
 * Ties are not covered by the papers. Here a tie always counts against the metric: a
 * triplet with D(Q, P⁺) = D(Q, P⁻) is not correct, an item as far as the target ranks ahead
 * of it, and a distractor as far as the match beats it. A metric that puts everything at one
 * distance thus scores zero rather than perfectly.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "lk-scores.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>

#include "lk-error.h"
#include "lk-rng.h"

/**
 * lk_scores_embedding_distance:
 * @a: an item
 * @b: another item
 * @embedding: (type LkEmbedding): the embedding
 *
 * An #LkScoreDistanceFunc over an #LkEmbedding.
 *
 * Returns: the Euclidean distance between @a and @b in @embedding
 */
double
lk_scores_embedding_distance (guint    a,
                              guint    b,
                              gpointer embedding)
{
  return lk_embedding_distance (embedding, a, b);
}

/**
 * lk_scores_matrix_distance:
 * @a: an item
 * @b: another item
 * @matrix: (type LkScoreMatrix): the matrix
 *
 * An #LkScoreDistanceFunc over an #LkScoreMatrix.
 *
 * Returns: the entry (@a, @b)
 */
double
lk_scores_matrix_distance (guint    a,
                           guint    b,
                           gpointer matrix)
{
  const LkScoreMatrix *m = matrix;

  g_assert (a < m->n_items && b < m->n_items);

  return m->distances[(gsize) a * m->n_items + b];
}

/* Triplets ------------------------------------------------------------------------------- */

/* Orders ratings by triplet id for qsort; equal ids keep no particular order. */
static int
compare_rating_by_triplet (const void *pa,
                           const void *pb)
{
  const LkTripletRating *a = *(const LkTripletRating * const *) pa;
  const LkTripletRating *b = *(const LkTripletRating * const *) pb;

  return (a->triplet > b->triplet) - (a->triplet < b->triplet);
}

/**
 * lk_triplet_filter_free:
 * @filter: (transfer full) (nullable): a filter result
 */
void
lk_triplet_filter_free (LkTripletFilter *filter)
{
  if (filter == NULL)
    return;

  g_free (filter->kept);
  g_free (filter);
}

/**
 * lk_scores_triplet_filter:
 * @ratings: (array length=n_ratings): every rating, in any order
 * @n_ratings: how many
 * @min_raters: ratings a triplet needs to count as rated (the paper's 3); at least 1
 * @error: an error, when a rating is out of range or disagrees with its triplet's items
 *
 * Deep Ranking's unanimity filter (section 6.3): "only the triplets with unanimous answers
 * from all three raters are kept", and of those the answers "both similar" and "both
 * dissimilar" are dropped because they give no order. A triplet with fewer than @min_raters
 * ratings is still being rated: it is neither kept nor counted in the unanimity rate, whose
 * denominator is the rated (complete) triplets. A triplet with more ratings must have all of
 * them agree.
 *
 * Returns: (transfer full): the kept triplets (A or B as P⁺ by the answer) and the counts, or
 *   %NULL with @error set
 */
LkTripletFilter *
lk_scores_triplet_filter (const LkTripletRating *ratings,
                          gsize                  n_ratings,
                          guint                  min_raters,
                          GError               **error)
{
  g_autoptr(LkTripletFilter) filter = g_new0 (LkTripletFilter, 1);
  g_autofree const LkTripletRating **sorted = NULL;
  gsize start = 0;

  g_return_val_if_fail (ratings != NULL || n_ratings == 0, NULL);
  g_return_val_if_fail (min_raters >= 1, NULL);
  g_return_val_if_fail (n_ratings <= G_MAXUINT, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  sorted = g_new (const LkTripletRating *, MAX (n_ratings, 1));
  for (gsize i = 0; i < n_ratings; i++)
    {
      const LkTripletRating *r = ratings + i;

      if (r->answer < LK_TRIPLET_ANSWER_BOTH_SIMILAR || r->answer > LK_TRIPLET_ANSWER_B_CLOSER)
        {
          g_set_error (error, LK_CORE_ERROR, LK_CORE_ERROR_INVALID_ARGUMENT,
                       "Triplet %u has the answer %u; answers are 1 to 4 (both similar, both "
                       "dissimilar, A closer, B closer). Correct or remove that rating.",
                       r->triplet, r->answer);
          return NULL;
        }
      if (r->a == r->b || r->query == r->a || r->query == r->b)
        {
          g_set_error (error, LK_CORE_ERROR, LK_CORE_ERROR_INVALID_ARGUMENT,
                       "Triplet %u shows item %u twice; a triplet needs three different items.",
                       r->triplet, r->a == r->b ? r->a : r->query);
          return NULL;
        }
      sorted[i] = r;
    }
  qsort (sorted, n_ratings, sizeof (sorted[0]), compare_rating_by_triplet);

  filter->n_ratings = (guint) n_ratings;
  filter->kept = g_new (LkTriplet, MAX (n_ratings / min_raters, 1));

  while (start < n_ratings)
    {
      const LkTripletRating *first = sorted[start];
      gsize end = start + 1;
      gboolean unanimous = TRUE;

      for (; end < n_ratings && sorted[end]->triplet == first->triplet; end++)
        {
          const LkTripletRating *r = sorted[end];

          if (r->query != first->query || r->a != first->a || r->b != first->b)
            {
              g_set_error (error, LK_CORE_ERROR, LK_CORE_ERROR_INVALID_ARGUMENT,
                           "Triplet %u is rated once as (%u; %u, %u) and once as (%u; %u, %u); "
                           "each triplet id must name the same query, A and B in every rating.",
                           first->triplet, first->query, first->a, first->b,
                           r->query, r->a, r->b);
              return NULL;
            }
          if (r->answer != first->answer)
            unanimous = FALSE;
        }

      for (gsize i = start; i < end; i++)
        if (sorted[i]->answer == LK_TRIPLET_ANSWER_BOTH_SIMILAR ||
            sorted[i]->answer == LK_TRIPLET_ANSWER_BOTH_DISSIMILAR)
          filter->n_no_order++;

      filter->n_triplets++;
      if (end - start >= min_raters)
        {
          filter->n_complete++;
          if (unanimous)
            filter->n_unanimous++;
          if (unanimous && (first->answer == LK_TRIPLET_ANSWER_A_CLOSER ||
                            first->answer == LK_TRIPLET_ANSWER_B_CLOSER))
            {
              LkTriplet *t = filter->kept + filter->n_kept++;
              gboolean a_closer = first->answer == LK_TRIPLET_ANSWER_A_CLOSER;

              t->triplet = first->triplet;
              t->query = first->query;
              t->positive = a_closer ? first->a : first->b;
              t->negative = a_closer ? first->b : first->a;
            }
        }
      start = end;
    }

  filter->unanimity_rate = filter->n_complete > 0
    ? (double) filter->n_kept / filter->n_complete : NAN;
  filter->no_order_share = n_ratings > 0 ? (double) filter->n_no_order / n_ratings : NAN;

  return g_steal_pointer (&filter);
}

/**
 * lk_scores_triplet_evaluate:
 * @triplets: (array length=n_triplets): kept triplets
 * @n_triplets: how many
 * @n_items: the collection's size; every id is below it
 * @distance: the metric
 * @user_data: its data
 * @evals: (out caller-allocates) (array length=n_triplets): per triplet, D(Q, P⁺), D(Q, P⁻),
 *   their ranks and whether the triplet is correctly ordered
 *
 * Scores one metric on each triplet, for lk_scores_triplet_precision(),
 * lk_scores_triplet_score_at_k() and the export. The paper ranks P⁺ and P⁻ among the 1,000
 * images of Q's text query; Likeness has no text queries and ranks them among the whole
 * collection but Q. An item exactly as far from Q as P ranks ahead of P. Each triplet costs
 * @n_items distance evaluations.
 */
void
lk_scores_triplet_evaluate (const LkTriplet     *triplets,
                            gsize                n_triplets,
                            guint                n_items,
                            LkScoreDistanceFunc  distance,
                            gpointer             user_data,
                            LkTripletEval       *evals)
{
  g_return_if_fail (triplets != NULL || n_triplets == 0);
  g_return_if_fail (evals != NULL || n_triplets == 0);
  g_return_if_fail (distance != NULL);

  for (gsize t = 0; t < n_triplets; t++)
    {
      const LkTriplet *tr = triplets + t;
      LkTripletEval *e = evals + t;
      guint ahead_pos = 0;
      guint ahead_neg = 0;

      g_return_if_fail (tr->query < n_items && tr->positive < n_items && tr->negative < n_items);

      e->d_positive = distance (tr->query, tr->positive, user_data);
      e->d_negative = distance (tr->query, tr->negative, user_data);
      e->correct = e->d_positive < e->d_negative;

      for (guint j = 0; j < n_items; j++)
        {
          double d;

          if (j == tr->query)
            continue;
          d = distance (tr->query, j, user_data);
          if (j != tr->positive && d <= e->d_positive)
            ahead_pos++;
          if (j != tr->negative && d <= e->d_negative)
            ahead_neg++;
        }
      e->rank_positive = ahead_pos + 1;
      e->rank_negative = ahead_neg + 1;
    }
}

/**
 * lk_scores_triplet_precision:
 * @evals: (array length=n_triplets): from lk_scores_triplet_evaluate()
 * @n_triplets: how many
 *
 * Deep Ranking's similarity precision: "the percentage of triplets being correctly ranked",
 * here as a fraction.
 *
 * Returns: the share of triplets with D(Q, P⁺) < D(Q, P⁻), NaN without triplets
 */
double
lk_scores_triplet_precision (const LkTripletEval *evals,
                             gsize                n_triplets)
{
  gsize correct = 0;

  g_return_val_if_fail (evals != NULL || n_triplets == 0, NAN);

  for (gsize t = 0; t < n_triplets; t++)
    correct += evals[t].correct ? 1 : 0;

  return n_triplets > 0 ? (double) correct / n_triplets : NAN;
}

/**
 * lk_scores_triplet_score_at_k:
 * @evals: (array length=n_triplets): from lk_scores_triplet_evaluate()
 * @n_triplets: how many
 * @k: K, 30 in the paper
 * @n_subset: (out) (optional): how many triplets were in the subset
 *
 * Deep Ranking's score-at-top-K: on the triplets whose P⁺ or P⁻ "is among the top K nearest
 * neighbors of the query image", the number correctly ordered minus the number wrongly
 * ordered (a tie counting as wrong). It is a count, so it grows with the number of triplets.
 *
 * Returns: the score
 */
gint
lk_scores_triplet_score_at_k (const LkTripletEval *evals,
                              gsize                n_triplets,
                              guint                k,
                              guint               *n_subset)
{
  gint score = 0;
  guint subset = 0;

  g_return_val_if_fail (evals != NULL || n_triplets == 0, 0);

  for (gsize t = 0; t < n_triplets; t++)
    if (evals[t].rank_positive <= k || evals[t].rank_negative <= k)
      {
        subset++;
        score += evals[t].correct ? 1 : -1;
      }

  if (n_subset != NULL)
    *n_subset = subset;

  return score;
}

/* Returns the 2.5th and 97.5th percentiles of @values (sorted in place) in @out. */
static void
percentile_interval (double     *values,
                     gsize       n,
                     LkInterval *out)
{
  gsl_sort (values, 1, n);
  out->lower = gsl_stats_quantile_from_sorted_data (values, 1, n, 0.025);
  out->upper = gsl_stats_quantile_from_sorted_data (values, 1, n, 0.975);
}

/**
 * lk_scores_triplet_bootstrap:
 * @evals: (array length=n_triplets): from lk_scores_triplet_evaluate()
 * @n_triplets: how many
 * @k: K of score-at-top-K
 * @n_resamples: bootstrap resamples (%LK_SCORES_BOOTSTRAP_RESAMPLES)
 * @seed: the seed; the same seed gives the same interval
 * @precision: (out) (optional): precision with its interval
 * @score_at_k: (out) (optional): score-at-top-K with its interval
 *
 * 95 % intervals by the nonparametric percentile bootstrap (Efron): @n_resamples samples of
 * @n_triplets triplets drawn with replacement, the statistic computed on each, and the
 * interval from the 2.5th to the 97.5th percentile of those values (GSL's quantile, linear
 * between order statistics). Both statistics are computed on the same resamples.
 *
 * Both depend only on how many triplets of each of four kinds a resample holds (correct or
 * not, in the top-K subset or not), and those counts of a resample drawn with replacement are
 * multinomial with the sample's shares as probabilities. So each resample is one multinomial
 * draw (gsl_ran_multinomial, from a Mersenne Twister seeded with @seed): the same
 * distribution as drawing the triplets one by one, at a cost that does not grow with
 * @n_triplets.
 *
 * Triplets are resampled independently, which ignores that one query may appear in several
 * triplets; with few queries the interval is then too narrow. Without triplets every figure
 * is NaN.
 */
void
lk_scores_triplet_bootstrap (const LkTripletEval *evals,
                             gsize                n_triplets,
                             guint                k,
                             guint                n_resamples,
                             guint64              seed,
                             LkInterval          *precision,
                             LkInterval          *score_at_k)
{
  g_autoptr(gsl_rng) rng = NULL;
  g_autofree double *precisions = NULL;
  g_autofree double *scores = NULL;
  LkInterval p = { NAN, NAN, NAN };
  LkInterval s = { NAN, NAN, NAN };
  /* The four kinds: correct in the subset, wrong in it, correct outside, wrong outside. */
  double share[4] = { 0.0, 0.0, 0.0, 0.0 };
  unsigned int drawn[4];

  g_return_if_fail (evals != NULL || n_triplets == 0);
  g_return_if_fail (n_resamples >= 1);
  g_return_if_fail (n_triplets <= G_MAXUINT);

  if (n_triplets == 0)
    goto out;

  p.estimate = lk_scores_triplet_precision (evals, n_triplets);
  s.estimate = lk_scores_triplet_score_at_k (evals, n_triplets, k, NULL);

  rng = lk_rng_new (seed);
  precisions = g_new (double, n_resamples);
  scores = g_new (double, n_resamples);
  for (gsize i = 0; i < n_triplets; i++)
    {
      gboolean in_subset = evals[i].rank_positive <= k || evals[i].rank_negative <= k;

      share[(in_subset ? 0 : 2) + (evals[i].correct ? 0 : 1)] += 1.0;
    }
  for (guint r = 0; r < n_resamples; r++)
    {
      gsl_ran_multinomial (rng, 4, (unsigned int) n_triplets, share, drawn);
      precisions[r] = (double) (drawn[0] + drawn[2]) / n_triplets;
      scores[r] = (double) drawn[0] - (double) drawn[1];
    }
  percentile_interval (precisions, n_resamples, &p);
  percentile_interval (scores, n_resamples, &s);

out:
  if (precision != NULL)
    *precision = p;
  if (score_at_k != NULL)
    *score_at_k = s;
}

/**
 * lk_scores_ratio_bootstrap:
 * @numerators: (array length=n_units): per unit, the successes (correct answers, hits)
 * @denominators: (array length=n_units) (nullable): per unit, the trials; %NULL for one each
 * @n_units: units (questions, HITs)
 * @n_resamples: bootstrap resamples (%LK_SCORES_BOOTSTRAP_RESAMPLES)
 * @seed: the seed; the same seed and @n_units draw the same resamples
 * @interval: (out): Σ numerators / Σ denominators with its 95 % interval
 *
 * A percentile bootstrap that resamples whole units with replacement (a cluster bootstrap),
 * for shares whose trials come in groups that are not independent, such as the answers to one
 * question. Each resample's share is its successes over its trials; a resample without trials
 * says nothing and is left out. NaN throughout when there are no trials.
 */
void
lk_scores_ratio_bootstrap (const guint *numerators,
                           const guint *denominators,
                           gsize        n_units,
                           guint        n_resamples,
                           guint64      seed,
                           LkInterval  *interval)
{
  g_autoptr(gsl_rng) rng = NULL;
  g_autofree double *shares = NULL;
  guint64 num = 0, den = 0;
  guint kept = 0;

  g_return_if_fail (numerators != NULL || n_units == 0);
  g_return_if_fail (n_resamples >= 1);
  g_return_if_fail (interval != NULL);

  *interval = (LkInterval) { NAN, NAN, NAN };
  for (gsize u = 0; u < n_units; u++)
    {
      num += numerators[u];
      den += denominators != NULL ? denominators[u] : 1;
    }
  if (den == 0)
    return;
  interval->estimate = (double) num / den;

  rng = lk_rng_new (seed);
  shares = g_new (double, n_resamples);
  for (guint r = 0; r < n_resamples; r++)
    {
      guint64 r_num = 0, r_den = 0;

      for (gsize i = 0; i < n_units; i++)
        {
          gsize u = gsl_rng_uniform_int (rng, n_units);

          r_num += numerators[u];
          r_den += denominators != NULL ? denominators[u] : 1;
        }
      if (r_den > 0)
        shares[kept++] = (double) r_num / r_den;
    }
  if (kept > 0)
    percentile_interval (shares, kept, interval);
}

/* Forced choice -------------------------------------------------------------------------- */

/**
 * lk_scores_chi_squared_uniform:
 * @counts: (array length=n_cells): observed counts
 * @n_cells: cells, at least 2
 * @p_value: (out) (optional): P(X ≥ χ²) for X ~ χ² with @n_cells - 1 degrees of freedom
 *
 * Pearson's χ² goodness-of-fit test against the uniform distribution: with N answers and
 * E = N / @n_cells expected per cell, χ² = Σ (O - E)² / E. Totally Looks Like reports only
 * the counts (627, 522, 465, 395, 391 for positions 1-5); the test is ours. Without answers
 * χ² = 0 and p = 1.
 *
 * Returns: χ²
 */
double
lk_scores_chi_squared_uniform (const guint *counts,
                               guint        n_cells,
                               double      *p_value)
{
  double total = 0.0;
  double chi2 = 0.0;

  g_return_val_if_fail (counts != NULL, NAN);
  g_return_val_if_fail (n_cells >= 2, NAN);

  for (guint c = 0; c < n_cells; c++)
    total += counts[c];

  if (total > 0.0)
    {
      double expected = total / n_cells;

      for (guint c = 0; c < n_cells; c++)
        chi2 += (counts[c] - expected) * (counts[c] - expected) / expected;
    }

  if (p_value != NULL)
    *p_value = gsl_cdf_chisq_Q (chi2, n_cells - 1);

  return chi2;
}

/**
 * lk_scores_pearson:
 * @x: (array length=n): one variable
 * @y: (array length=n): the other
 * @n: observations
 *
 * Returns: Pearson's r, or NaN when @n < 2 or either variable is constant
 */
double
lk_scores_pearson (const double *x,
                   const double *y,
                   gsize         n)
{
  double mx, my, sxx = 0.0, syy = 0.0, sxy = 0.0;

  g_return_val_if_fail ((x != NULL && y != NULL) || n == 0, NAN);

  if (n < 2)
    return NAN;

  mx = gsl_stats_mean (x, 1, n);
  my = gsl_stats_mean (y, 1, n);
  for (gsize i = 0; i < n; i++)
    {
      sxx += (x[i] - mx) * (x[i] - mx);
      syy += (y[i] - my) * (y[i] - my);
      sxy += (x[i] - mx) * (y[i] - my);
    }

  if (sxx <= 0.0 || syy <= 0.0)
    return NAN;

  return sxy / sqrt (sxx * syy);
}

/* Orders answers by question, then by chosen item, for qsort. */
static int
compare_choice (const void *pa,
                const void *pb)
{
  const LkChoiceAnswer *a = pa;
  const LkChoiceAnswer *b = pb;

  if (a->question != b->question)
    return (a->question > b->question) - (a->question < b->question);
  return (a->chosen > b->chosen) - (a->chosen < b->chosen);
}

/**
 * lk_choice_scores_free:
 * @scores: (transfer full) (nullable): forced-choice scores
 */
void
lk_choice_scores_free (LkChoiceScores *scores)
{
  if (scores == NULL)
    return;

  g_free (scores->questions);
  g_free (scores->position_counts);
  g_free (scores);
}

/**
 * lk_scores_choice:
 * @answers: (array length=n_answers): every answer, in any order
 * @n_answers: how many
 * @n_positions: candidates per screen (5 in the paper), at least 2
 * @error: an error, when a position is out of range or a question has two targets
 *
 * Totally Looks Like's forced-choice scores (section 4.3):
 *  - accuracy, the share of answers that picked the target;
 *  - per question, "the frequency of each answer": agreement is the share of the modal
 *    answer; a majority is more than half ("at least 11 out of 20"); unanimity is "20 out of
 *    20 identical answers";
 *  - "the Pearson correlation coefficient between user agreement and a correct matching"
 *    (0.94 in the paper), here over questions, between agreement and the share of the
 *    question's answers that picked the target (the paper does not say which correctness it
 *    correlated; a share, unlike "the modal answer is the target", needs no rule for ties);
 *  - the answers per screen position, with the χ² test of lk_scores_chi_squared_uniform().
 *
 * Returns: (transfer full): the scores, or %NULL with @error set
 */
LkChoiceScores *
lk_scores_choice (const LkChoiceAnswer *answers,
                  gsize                 n_answers,
                  guint                 n_positions,
                  GError              **error)
{
  g_autoptr(LkChoiceScores) scores = g_new0 (LkChoiceScores, 1);
  g_autofree LkChoiceAnswer *sorted = NULL;
  g_autofree double *agreement = NULL;
  g_autofree double *correct = NULL;
  guint n_majority = 0, n_unanimous = 0;
  gsize start = 0;

  g_return_val_if_fail (answers != NULL || n_answers == 0, NULL);
  g_return_val_if_fail (n_positions >= 2, NULL);
  g_return_val_if_fail (n_answers <= G_MAXUINT, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  scores->n_answers = (guint) n_answers;
  scores->n_positions = n_positions;
  scores->position_counts = g_new0 (guint, n_positions);
  for (gsize i = 0; i < n_answers; i++)
    {
      if (answers[i].position >= n_positions)
        {
          g_set_error (error, LK_CORE_ERROR, LK_CORE_ERROR_INVALID_ARGUMENT,
                       "An answer to question %u was given at position %u, but the screen "
                       "shows %u candidates (positions 1 to %u).",
                       answers[i].question, answers[i].position + 1, n_positions, n_positions);
          return NULL;
        }
      scores->position_counts[answers[i].position]++;
      if (answers[i].chosen == answers[i].target)
        scores->n_correct++;
    }
  scores->accuracy = n_answers > 0 ? (double) scores->n_correct / n_answers : NAN;
  scores->chi_squared = lk_scores_chi_squared_uniform (scores->position_counts, n_positions,
                                                       &scores->p_value);
  scores->degrees_of_freedom = n_positions - 1;

  sorted = g_memdup2 (answers, sizeof (LkChoiceAnswer) * n_answers);
  qsort (sorted, n_answers, sizeof (LkChoiceAnswer), compare_choice);
  scores->questions = g_new0 (LkChoiceQuestion, MAX (n_answers, 1));
  agreement = g_new (double, MAX (n_answers, 1));
  correct = g_new (double, MAX (n_answers, 1));

  while (start < n_answers)
    {
      LkChoiceQuestion *q = scores->questions + scores->n_questions;
      gsize end = start;
      guint run = 0;

      q->question = sorted[start].question;
      for (; end < n_answers && sorted[end].question == q->question; end++)
        {
          if (sorted[end].target != sorted[start].target)
            {
              g_set_error (error, LK_CORE_ERROR, LK_CORE_ERROR_INVALID_ARGUMENT,
                           "Question %u has two targets, items %u and %u; every answer to one "
                           "question must name the same target.",
                           q->question, sorted[start].target, sorted[end].target);
              return NULL;
            }
          /* Answers are sorted by chosen item within the question, so equal picks are runs. */
          run = (end > start && sorted[end].chosen == sorted[end - 1].chosen) ? run + 1 : 1;
          q->modal_count = MAX (q->modal_count, run);
          if (sorted[end].chosen == sorted[end].target)
            q->n_correct++;
        }
      q->n_answers = (guint) (end - start);
      q->agreement = (double) q->modal_count / q->n_answers;
      q->correct_share = (double) q->n_correct / q->n_answers;
      q->majority = q->modal_count > q->n_answers / 2.0;
      q->unanimous = q->n_answers >= 2 && q->modal_count == q->n_answers;
      n_majority += q->majority ? 1 : 0;
      n_unanimous += q->unanimous ? 1 : 0;
      agreement[scores->n_questions] = q->agreement;
      correct[scores->n_questions] = q->correct_share;
      scores->n_questions++;
      start = end;
    }

  scores->majority_share = scores->n_questions > 0
    ? (double) n_majority / scores->n_questions : NAN;
  scores->unanimous_share = scores->n_questions > 0
    ? (double) n_unanimous / scores->n_questions : NAN;
  scores->agreement_r = lk_scores_pearson (agreement, correct, scores->n_questions);

  return g_steal_pointer (&scores);
}

/**
 * lk_choice_metric_free:
 * @metric: (transfer full) (nullable): a metric's forced-choice scores
 */
void
lk_choice_metric_free (LkChoiceMetric *metric)
{
  if (metric == NULL)
    return;

  g_free (metric->picks);
  g_free (metric);
}

/* A question id and where its set is, sorted by id to find answers' sets. */
typedef struct {
  guint question;
  guint index;
} SetKey;

/* Orders #SetKey by question id for qsort. */
static int
compare_set_key (const void *pa,
                 const void *pb)
{
  guint a = ((const SetKey *) pa)->question;
  guint b = ((const SetKey *) pb)->question;

  return (a > b) - (a < b);
}

/* Returns the index of the set of @question in @keys (sorted), or -1. */
static gssize
find_set (const SetKey *keys,
          gsize         n_sets,
          guint         question)
{
  gsize lo = 0, hi = n_sets;

  while (lo < hi)
    {
      gsize mid = lo + (hi - lo) / 2;

      if (keys[mid].question < question)
        lo = mid + 1;
      else
        hi = mid;
    }

  return lo < n_sets && keys[lo].question == question ? (gssize) keys[lo].index : -1;
}

/**
 * lk_scores_choice_metric:
 * @sets: (array length=n_sets): the questions asked, one per question id
 * @n_sets: how many
 * @candidates: @n_sets x @n_candidates, each question's candidates in any fixed order
 * @n_candidates: candidates per question (5 in the paper), at least 2
 * @answers: (array length=n_answers): people's answers, as for lk_scores_choice()
 * @n_answers: how many
 * @distance: the metric
 * @user_data: its data
 * @n_resamples: bootstrap resamples (%LK_SCORES_BOOTSTRAP_RESAMPLES)
 * @seed: the seed; the same seed gives the same intervals
 * @error: an error, when an answer's question is not in @sets or its pick not a candidate
 *
 * A metric answering the forced choice: it picks the candidate nearest the query (a tie for
 * nearest is no pick, which matches nothing). Two scores:
 *  - target accuracy, the share of questions where it picks the target: Totally Looks Like's
 *    machine rows of Table 2b, where the target is the collected match;
 *  - agreement with people, the share of people's answers that picked what the metric picks.
 *    This is the score that says whether a metric sees what people see, whatever the target
 *    policy (under `model-vs-model` the learned metric picks its own target by construction).
 *
 * 95 % intervals: lk_scores_ratio_bootstrap() over questions, because the answers to one
 * question are not independent.
 *
 * Returns: (transfer full): the scores, or %NULL with @error set
 */
LkChoiceMetric *
lk_scores_choice_metric (const LkChoiceSet    *sets,
                         gsize                 n_sets,
                         const guint          *candidates,
                         guint                 n_candidates,
                         const LkChoiceAnswer *answers,
                         gsize                 n_answers,
                         LkScoreDistanceFunc   distance,
                         gpointer              user_data,
                         guint                 n_resamples,
                         guint64               seed,
                         GError              **error)
{
  g_autoptr(LkChoiceMetric) m = g_new0 (LkChoiceMetric, 1);
  g_autofree SetKey *keys = NULL;
  g_autofree guint *asked = NULL;
  g_autofree guint *agreeing = NULL;
  g_autofree guint *hit = NULL;

  g_return_val_if_fail (sets != NULL || n_sets == 0, NULL);
  g_return_val_if_fail (candidates != NULL || n_sets == 0, NULL);
  g_return_val_if_fail (n_candidates >= 2, NULL);
  g_return_val_if_fail (answers != NULL || n_answers == 0, NULL);
  g_return_val_if_fail (n_sets <= G_MAXUINT && n_answers <= G_MAXUINT, NULL);
  g_return_val_if_fail (distance != NULL, NULL);
  g_return_val_if_fail (n_resamples >= 1, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  m->n_questions = (guint) n_sets;
  m->n_answers = (guint) n_answers;
  m->picks = g_new (gint, MAX (n_sets, 1));
  for (gsize q = 0; q < n_sets; q++)
    {
      const guint *c = candidates + q * n_candidates;
      double best = INFINITY;

      m->picks[q] = -1;
      for (guint i = 0; i < n_candidates; i++)
        {
          double d = distance (sets[q].query, c[i], user_data);

          if (d < best)
            {
              best = d;
              m->picks[q] = (gint) c[i];
            }
          else if (d == best)
            {
              m->picks[q] = -1;
            }
        }
    }

  keys = g_new (SetKey, MAX (n_sets, 1));
  for (guint q = 0; q < n_sets; q++)
    keys[q] = (SetKey) { sets[q].question, q };
  qsort (keys, n_sets, sizeof (SetKey), compare_set_key);

  asked = g_new0 (guint, MAX (n_sets, 1));
  agreeing = g_new0 (guint, MAX (n_sets, 1));
  for (gsize a = 0; a < n_answers; a++)
    {
      gssize q = find_set (keys, n_sets, answers[a].question);
      gboolean offered = FALSE;

      if (q < 0)
        {
          g_set_error (error, LK_CORE_ERROR, LK_CORE_ERROR_INVALID_ARGUMENT,
                       "An answer is to question %u, which is not among the questions given.",
                       answers[a].question);
          return NULL;
        }
      for (guint i = 0; i < n_candidates; i++)
        offered = offered || candidates[q * n_candidates + i] == answers[a].chosen;
      if (!offered)
        {
          g_set_error (error, LK_CORE_ERROR, LK_CORE_ERROR_INVALID_ARGUMENT,
                       "An answer to question %u picks item %u, which was not among its "
                       "candidates.",
                       answers[a].question, answers[a].chosen);
          return NULL;
        }
      asked[q]++;
      if (m->picks[q] == (gint) answers[a].chosen)
        {
          agreeing[q]++;
          m->n_agreeing++;
        }
    }

  hit = g_new (guint, MAX (n_sets, 1));
  for (gsize q = 0; q < n_sets; q++)
    hit[q] = m->picks[q] == (gint) sets[q].target ? 1 : 0;
  /* The same seed and number of units draw the same resamples for both figures. */
  lk_scores_ratio_bootstrap (hit, NULL, n_sets, n_resamples, seed, &m->target_accuracy);
  lk_scores_ratio_bootstrap (agreeing, asked, n_sets, n_resamples, seed, &m->agreement);

  return g_steal_pointer (&m);
}
