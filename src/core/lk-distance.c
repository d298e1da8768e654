/* lk-distance.c — D = DistanceFromEmbedding(E); D = UpdateDistances(D, R)
 *
 * `000_b28b33f9dbf275aa.txt`, section 3, "Updating the distance": a pair of the batch whose
 * positive results outnumber its negative ones gets D / beta, the reverse D * beta; ties and
 * pairs not in the batch keep D. "All weights are initialized to a very small value epsilon.
 * In each phase, we set the weight for each updated distance to 1. Distances that were updated
 * in previous phases maintain a weight of value 1". D is always the distance in the current
 * embedding, so an earlier-updated pair that this batch does not touch is held at its current
 * distance with weight 1.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "lk-distance.h"

typedef struct {
  LkSammon   *sammon;
  LkEvidence *updated;
  double      beta;
  gsize       n_updated;
} UpdateData;

static void
keep_weight_cb (const LkPairCounts *c,
                gpointer            user_data)
{
  LkSammon *sammon = user_data;

  lk_sammon_set_pair (sammon, c->a, c->b, lk_sammon_get_target (sammon, c->a, c->b), 1.0);
}

static void
apply_majority_cb (const LkPairCounts *c,
                   gpointer            user_data)
{
  UpdateData *u = user_data;

  if (c->together == c->apart)
    return;

  /* The pair's current target, divided or multiplied by beta, in one look-up. */
  if (c->together > c->apart)
    lk_sammon_scale_pair (u->sammon, c->a, c->b, 1.0, u->beta, 1.0);
  else
    lk_sammon_scale_pair (u->sammon, c->a, c->b, u->beta, 1.0, 1.0);

  if (u->updated != NULL)
    lk_evidence_add_counts (u->updated, c->a, c->b, c->together > c->apart,
                            c->together < c->apart, 1);
  u->n_updated++;
}

/**
 * lk_distance_update:
 * @sammon: the minimiser to set up
 * @current: the current embedding E (normalised)
 * @updated: every pair updated so far (together = times shortened, apart = times lengthened);
 *   this batch's updates are added to it
 * @batch: the pair evidence of this phase's answers only
 * @beta: the update factor (> 1)
 * @epsilon: the weight of pairs never updated
 * @magic: the initial Sammon step factor
 *
 * Sets every target of @sammon to the distance in @current, with weight @epsilon; gives weight 1
 * to every pair in @updated; then applies the majority rule of @batch. Call lk_sammon_start()
 * next.
 *
 * Returns: the number of pairs this batch updated (ties excluded)
 */
gsize
lk_distance_update (LkSammon          *sammon,
                    const LkEmbedding *current,
                    LkEvidence        *updated,
                    const LkEvidence  *batch,
                    double             beta,
                    double             epsilon,
                    double             magic)
{
  UpdateData u = { .sammon = sammon, .updated = updated, .beta = beta };

  g_return_val_if_fail (sammon != NULL && current != NULL, 0);
  g_return_val_if_fail (updated != NULL && batch != NULL, 0);
  g_return_val_if_fail (beta > 1.0, 0);

  lk_sammon_set (sammon, current, epsilon, magic);
  lk_evidence_foreach (updated, keep_weight_cb, sammon);
  lk_evidence_foreach (batch, apply_majority_cb, &u);

  return u.n_updated;
}

/**
 * lk_distance_update_keeping:
 * @sammon: a sampled minimiser whose set pairs are exactly the pairs updated so far: the one
 *   the previous lk_distance_update() or lk_distance_update_keeping() set up
 * @current: the current embedding E (normalised)
 * @updated: (nullable): every pair updated so far, to which this batch's updates are added; or
 *   %NULL when @sammon's set pairs are the only record kept of them
 * @batch: the pair evidence of this phase's answers only
 * @beta: the update factor (> 1)
 * @epsilon: the weight of pairs never updated
 * @magic: the initial Sammon step factor
 *
 * The same targets and weights as lk_distance_update(), but the pairs updated before keep
 * their places in @sammon (lk_sammon_set_keeping_pairs()) instead of being set again one by one.
 *
 * Returns: the number of pairs this batch updated (ties excluded)
 */
gsize
lk_distance_update_keeping (LkSammon          *sammon,
                            const LkEmbedding *current,
                            LkEvidence        *updated,
                            const LkEvidence  *batch,
                            double             beta,
                            double             epsilon,
                            double             magic)
{
  UpdateData u = { .sammon = sammon, .updated = updated, .beta = beta };

  g_return_val_if_fail (sammon != NULL && current != NULL, 0);
  g_return_val_if_fail (lk_sammon_is_sampled (sammon), 0);
  g_return_val_if_fail (batch != NULL, 0);
  g_return_val_if_fail (beta > 1.0, 0);

  lk_sammon_set_keeping_pairs (sammon, current, epsilon, magic, 1.0);
  lk_sammon_reserve (sammon, lk_evidence_get_n_pairs (batch));
  lk_evidence_foreach (batch, apply_majority_cb, &u);

  return u.n_updated;
}
