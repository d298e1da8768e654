/* lk-trial-draw.h — drawing the trials of the tasks other than sorting
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <gsl/gsl_rng.h>

#include "lk-embedding.h"
#include "lk-scores.h"
#include "lk-trial.h"

G_BEGIN_DECLS

/* Paper 004's neighbourhood of Q for triplets, and its share of random-pair triplets. */
#define LK_TRIAL_DRAW_NEIGHBOURS 50
#define LK_TRIAL_DRAW_RANDOM_SHARE 0.1

/**
 * LkTrialDrawContext:
 * @n_items: the collection's size
 * @learned: (nullable): the study's current embedding (the learned metric)
 * @metrics: (array length=n_metrics) (nullable): other metrics (descriptors) for the mix
 * @metric_data: (array length=n_metrics) (nullable): their user data
 * @n_metrics: their number
 * @clusters: (array) (nullable): intruder: a cluster per item (from folders, or the study's
 *   clustering); without it the clusters are k-means of @learned
 * @n_clusters: intruder: the number of clusters of @clusters, or of the k-means (0: N / 20,
 *   at least 2)
 * @pairs: (array length=n_pairs) (nullable): a known partner per item (G_MAXUINT for none),
 *   for choice5's `pair` policy and for match
 * @n_pairs: the length of @pairs (@n_items)
 * @policy: (nullable): choice5: "pair", "model-vs-model" or "random" (the default); triplet:
 *   "mix" (the default) or "random"
 * @random_share: triplet: the share of random-pair triplets (paper 004: 0.1,
 *   %LK_TRIAL_DRAW_RANDOM_SHARE)
 * @match_page: match: candidates per page (0: %LK_MATCH_DEFAULT_PAGE)
 *
 * What a draw may use. Only @n_items is needed by every kind.
 */
typedef struct {
  guint                n_items;
  const LkEmbedding   *learned;
  LkScoreDistanceFunc *metrics;
  gpointer            *metric_data;
  guint                n_metrics;
  const guint         *clusters;
  guint                n_clusters;
  const guint         *pairs;
  guint                n_pairs;
  const char          *policy;
  double               random_share;
  guint                match_page;
} LkTrialDrawContext;

/* choice5's candidate policies, the default first. */
extern const char *const lk_trial_draw_choice5_policies[];

LkTrial *lk_trial_draw          (LkTaskKind                kind,
                                 const LkTrialDrawContext *ctx,
                                 gsl_rng                  *rng,
                                 GError                  **error) G_GNUC_WARN_UNUSED_RESULT;
guint   *lk_trial_draw_clusters (const LkEmbedding        *embedding,
                                 guint                     k,
                                 gsl_rng                  *rng) G_GNUC_WARN_UNUSED_RESULT;
guint   *lk_trial_draw_match_pairs (const GPtrArray       *trials,
                                    guint                  n_items,
                                    guint                 *n_pairs) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
