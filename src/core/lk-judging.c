/* lk-judging.c — Success % and Avg. Diff. of `000_b28b33f9dbf275aa.txt`, Table 1
 *
 * Section 4.2: each of a seed's 10-NN under both metrics is labelled "very similar", "similar"
 * or "unrelated". "We have first counted the number of seed images for which our algorithm
 * succeeds to find a greater number of similar images than the baseline, breaking ties by the
 * number of 'very similar' images" (Success %), and "the average difference between the
 * number of similar images our algorithm has discovered and the baseline" (Avg. Diff.).
 * Our reading: an image counts as similar when it is judged similar or very similar; a seed
 * is a success when the learned list has more similar images, or as many and more very similar
 * ones; a full tie is not a success; Avg. Diff. is the mean over seeds of learned minus
 * baseline similar counts (it can be negative).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "lk-judging.h"

static void
count (const LkJudgement *j,
       guint              n,
       guint             *similar,
       guint             *very)
{
  *similar = *very = 0;
  for (guint i = 0; i < n; i++)
    {
      if (j[i] != LK_JUDGEMENT_UNRELATED)
        (*similar)++;
      if (j[i] == LK_JUDGEMENT_VERY_SIMILAR)
        (*very)++;
    }
}

/**
 * lk_judging_score:
 * @seeds: (array length=n_seeds): the judgements per seed image
 * @n_seeds: number of seeds
 * @success_percent: (out): share of seeds where the learned metric wins, in percent
 * @avg_diff: (out): mean of (learned - baseline) similar images per seed
 *
 * Scores a judging session as the paper's Table 1 does. With no seeds both are 0.
 */
void
lk_judging_score (const LkSeedJudgements *seeds,
                  guint                   n_seeds,
                  double                 *success_percent,
                  double                 *avg_diff)
{
  guint wins = 0;
  gint64 diff = 0;

  g_return_if_fail (seeds != NULL || n_seeds == 0);
  g_return_if_fail (success_percent != NULL && avg_diff != NULL);

  for (guint s = 0; s < n_seeds; s++)
    {
      guint ls, lv, bs, bv;

      count (seeds[s].learned, seeds[s].n_learned, &ls, &lv);
      count (seeds[s].baseline, seeds[s].n_baseline, &bs, &bv);

      if (ls > bs || (ls == bs && lv > bv))
        wins++;
      diff += (gint64) ls - (gint64) bs;
    }

  *success_percent = n_seeds > 0 ? 100.0 * wins / n_seeds : 0.0;
  *avg_diff = n_seeds > 0 ? (double) diff / n_seeds : 0.0;
}
