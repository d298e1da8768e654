/* lk-scores-match.c — retrieval of collected pairs, as Totally Looks Like scores it
 * (`003_4446fcda06cfa565.txt`, sections 3.2 and 4): near-duplicate removal, recall@k and
 * associative recall within m random candidates. Ties count against the metric, as
 * everywhere in lk-scores.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "lk-scores.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "lk-rng.h"

const guint lk_scores_recall_ks[6] = { 1, 5, 10, 20, 50, 100 };
const guint lk_scores_associative_ms[8] = { 2, 3, 4, 5, 10, 20, 50, 100 };

/* Retrieval of collected pairs ----------------------------------------------------------- */

/* Orders guints for qsort. */
static int
compare_uint (const void *pa,
              const void *pb)
{
  guint a = *(const guint *) pa;
  guint b = *(const guint *) pb;

  return (a > b) - (a < b);
}

/* Returns the distinct ids of @pool, or of the pairs' matches when @pool is NULL, sorted;
 * @n_out gets their number. */
static guint *
distinct_pool (const LkMatchPair *pairs,
               gsize              n_pairs,
               const guint       *pool,
               gsize              n_pool,
               gsize             *n_out)
{
  gsize n = pool != NULL ? n_pool : n_pairs;
  guint *ids = g_new (guint, MAX (n, 1));
  gsize kept = 0;

  for (gsize i = 0; i < n; i++)
    ids[i] = pool != NULL ? pool[i] : pairs[i].match;
  qsort (ids, n, sizeof (guint), compare_uint);
  for (gsize i = 0; i < n; i++)
    if (kept == 0 || ids[i] != ids[kept - 1])
      ids[kept++] = ids[i];

  *n_out = kept;
  return ids;
}

/**
 * lk_scores_match_ranks:
 * @pairs: (array length=n_pairs): collected pairs
 * @n_pairs: how many
 * @pool: (array length=n_pool) (nullable): the candidates to rank, or %NULL for the paper's
 *   pool, the right images of all pairs
 * @n_pool: how many
 * @distance: the metric
 * @user_data: its data
 *
 * Totally Looks Like's retrieval (section 3.2): for each left image L, the right images are
 * ranked by their distance to L, and the match's rank is what recall@k counts. The match
 * competes with every other member of the pool (duplicates in @pool count once, L itself
 * never); a candidate exactly as far as the match ranks ahead of it.
 *
 * Returns: (transfer full) (array length=n_pairs): each match's rank, 1 = nearest
 */
guint *
lk_scores_match_ranks (const LkMatchPair   *pairs,
                       gsize                n_pairs,
                       const guint         *pool,
                       gsize                n_pool,
                       LkScoreDistanceFunc  distance,
                       gpointer             user_data)
{
  g_autofree guint *ids = NULL;
  guint *ranks;
  gsize n_ids;

  g_return_val_if_fail (pairs != NULL || n_pairs == 0, NULL);
  g_return_val_if_fail (pool != NULL || n_pool == 0, NULL);
  g_return_val_if_fail (distance != NULL, NULL);

  ids = distinct_pool (pairs, n_pairs, pool, n_pool, &n_ids);
  ranks = g_new (guint, MAX (n_pairs, 1));
  for (gsize i = 0; i < n_pairs; i++)
    {
      guint l = pairs[i].query, r = pairs[i].match;
      double d_match = distance (l, r, user_data);
      guint ahead = 0;

      for (gsize j = 0; j < n_ids; j++)
        if (ids[j] != l && ids[j] != r && distance (l, ids[j], user_data) <= d_match)
          ahead++;
      ranks[i] = ahead + 1;
    }

  return ranks;
}

/**
 * lk_scores_pairs_near_duplicates:
 * @pairs: (array length=n_pairs): collected pairs
 * @n_pairs: how many
 * @threshold: images closer than this are near duplicates (003: cosine distance 0.15 on
 *   DenseNet-121 features, 0.5 on face features)
 * @distance: the metric that judges duplicates (a descriptor, not the metric being scored)
 * @user_data: its data
 * @keep: (out caller-allocates) (array length=n_pairs): whether each pair survives
 *
 * Totally Looks Like's near-duplicate removal (section 4.1) before the retrieval scores: a
 * near duplicate makes retrieval ambiguous, so "we removed all pairs where either the left or
 * the right image was part of the duplicate", within the left images, within the right ones
 * and across pairs ("if L_i and R_j were found to be near-duplicates"). Here a pair is dropped
 * when its L or R is the same item as, or closer than @threshold to, the L or R of another
 * pair. A pair's own L and R may be near duplicates: that is a resemblance people chose.
 *
 * Returns: how many pairs are kept
 */
gsize
lk_scores_pairs_near_duplicates (const LkMatchPair   *pairs,
                                 gsize                n_pairs,
                                 double               threshold,
                                 LkScoreDistanceFunc  distance,
                                 gpointer             user_data,
                                 gboolean            *keep)
{
  gsize kept = 0;

  g_return_val_if_fail (pairs != NULL || n_pairs == 0, 0);
  g_return_val_if_fail (distance != NULL, 0);
  g_return_val_if_fail (keep != NULL || n_pairs == 0, 0);

  for (gsize i = 0; i < n_pairs; i++)
    keep[i] = TRUE;

  for (gsize i = 0; i < n_pairs; i++)
    for (gsize j = i + 1; j < n_pairs; j++)
      {
        const guint mine[2] = { pairs[i].query, pairs[i].match };
        const guint theirs[2] = { pairs[j].query, pairs[j].match };
        gboolean duplicate = FALSE;

        for (guint a = 0; a < 2 && !duplicate; a++)
          for (guint b = 0; b < 2 && !duplicate; b++)
            duplicate = mine[a] == theirs[b] ||
                        distance (mine[a], theirs[b], user_data) < threshold;
        if (duplicate)
          keep[i] = keep[j] = FALSE;
      }

  for (gsize i = 0; i < n_pairs; i++)
    kept += keep[i] ? 1 : 0;

  return kept;
}

/**
 * lk_scores_recall_at_k:
 * @ranks: (array length=n_pairs): from lk_scores_match_ranks()
 * @n_pairs: how many
 * @k: k
 *
 * Totally Looks Like's recall@k: "the average number of times the correct match was in the
 * top-k ranked images".
 *
 * Returns: the share of pairs whose match ranks k or better, NaN without pairs
 */
double
lk_scores_recall_at_k (const guint *ranks,
                       gsize        n_pairs,
                       guint        k)
{
  gsize hits = 0;

  g_return_val_if_fail (ranks != NULL || n_pairs == 0, NAN);

  for (gsize i = 0; i < n_pairs; i++)
    hits += ranks[i] <= k ? 1 : 0;

  return n_pairs > 0 ? (double) hits / n_pairs : NAN;
}

/**
 * lk_scores_associative_recall:
 * @pairs: (array length=n_pairs): collected pairs
 * @n_pairs: how many
 * @pool: (array length=n_pool) (nullable): where distractors come from, or %NULL for the right
 *   images of all pairs
 * @n_pool: how many
 * @ms: (array length=n_ms): set sizes m (lk_scores_associative_ms), each at least 1
 * @n_ms: how many
 * @repetitions: draws per pair and m (%LK_SCORES_ASSOCIATIVE_REPETITIONS)
 * @seed: the seed; the same seed gives the same figures
 * @distance: the metric
 * @user_data: its data
 * @accuracy: (out caller-allocates) (array length=n_ms): per m, the share of draws in which the
 *   match was nearer to L than every distractor; NaN when the pool has fewer than m - 1
 *   candidates besides L and its match, or without pairs
 *
 * Totally Looks Like's "simulating associative recall" (section 4.2, Table 2a): "for each left
 * image L_i a random set R(L_i) of size m which includes the correct right image R_i and an
 * additional m − 1 images", with 10 repetitions, scored as the share with R_i ranked first.
 * The m − 1 distractors are drawn uniformly without replacement from the pool minus L_i and
 * R_i (a partial Fisher-Yates shuffle), independently for each repetition. A distractor exactly
 * as far as the match beats it. Each m draws from its own stream derived from @seed and m, so
 * asking for more or fewer m leaves the others' figures unchanged.
 */
void
lk_scores_associative_recall (const LkMatchPair   *pairs,
                              gsize                n_pairs,
                              const guint         *pool,
                              gsize                n_pool,
                              const guint         *ms,
                              guint                n_ms,
                              guint                repetitions,
                              guint64              seed,
                              LkScoreDistanceFunc  distance,
                              gpointer             user_data,
                              double              *accuracy)
{
  g_autofree guint *ids = NULL;
  g_autofree double *base = NULL;
  g_autofree double *cand = NULL;
  g_autofree gsize *successes = NULL;
  g_autofree gsl_rng **rngs = NULL;
  g_autofree gboolean *too_few = NULL;
  gsize n_ids;

  g_return_if_fail (pairs != NULL || n_pairs == 0);
  g_return_if_fail (pool != NULL || n_pool == 0);
  g_return_if_fail (ms != NULL && accuracy != NULL);
  g_return_if_fail (repetitions >= 1);
  g_return_if_fail (distance != NULL);

  for (guint mi = 0; mi < n_ms; mi++)
    g_return_if_fail (ms[mi] >= 1);

  ids = distinct_pool (pairs, n_pairs, pool, n_pool, &n_ids);
  base = g_new (double, MAX (n_ids, 1));
  cand = g_new (double, MAX (n_ids, 1));
  successes = g_new0 (gsize, MAX (n_ms, 1));
  rngs = g_new0 (gsl_rng *, MAX (n_ms, 1));
  too_few = g_new0 (gboolean, MAX (n_ms, 1));
  for (guint mi = 0; mi < n_ms; mi++)
    rngs[mi] = lk_rng_new (lk_rng_derive (seed, ms[mi]));

  for (gsize i = 0; i < n_pairs; i++)
    {
      guint l = pairs[i].query, r = pairs[i].match;
      double d_match = distance (l, r, user_data);
      gsize n_cand = 0;

      /* Only the candidates' distances matter to who wins, so draw among those. */
      for (gsize j = 0; j < n_ids; j++)
        if (ids[j] != l && ids[j] != r)
          base[n_cand++] = distance (l, ids[j], user_data);

      for (guint mi = 0; mi < n_ms; mi++)
        {
          guint need = ms[mi] - 1;

          if (need > n_cand)
            {
              too_few[mi] = TRUE;
              continue;
            }
          /* Each m shuffles from the same order, so one m's draws never shift another's. */
          memcpy (cand, base, sizeof (double) * n_cand);
          for (guint rep = 0; rep < repetitions; rep++)
            {
              gboolean first = TRUE;

              for (guint t = 0; t < need; t++)
                {
                  gsize pick = t + gsl_rng_uniform_int (rngs[mi], n_cand - t);
                  double swap = cand[t];

                  cand[t] = cand[pick];
                  cand[pick] = swap;
                  if (cand[t] <= d_match)
                    first = FALSE;
                }
              successes[mi] += first ? 1 : 0;
            }
        }
    }

  for (guint mi = 0; mi < n_ms; mi++)
    {
      accuracy[mi] = n_pairs > 0 && !too_few[mi]
        ? (double) successes[mi] / ((double) n_pairs * repetitions) : NAN;
      gsl_rng_free (rngs[mi]);
    }
}
