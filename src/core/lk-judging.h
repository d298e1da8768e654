/* lk-judging.h — the paper's manual k-NN judging protocol (Table 1)
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * LkJudgement:
 * @LK_JUDGEMENT_UNRELATED: unrelated to the seed image
 * @LK_JUDGEMENT_SIMILAR: similar
 * @LK_JUDGEMENT_VERY_SIMILAR: very similar
 */
typedef enum {
  LK_JUDGEMENT_UNRELATED,
  LK_JUDGEMENT_SIMILAR,
  LK_JUDGEMENT_VERY_SIMILAR,
} LkJudgement;

/**
 * LkSeedJudgements:
 * @learned: judgements of the seed's neighbours under the learned metric
 * @n_learned: how many (10 in the paper)
 * @baseline: judgements of its neighbours under the feature baseline
 * @n_baseline: how many
 */
typedef struct {
  const LkJudgement *learned;
  guint              n_learned;
  const LkJudgement *baseline;
  guint              n_baseline;
} LkSeedJudgements;

void lk_judging_score (const LkSeedJudgements *seeds,
                       guint                   n_seeds,
                       double                 *success_percent,
                       double                 *avg_diff);

G_END_DECLS
