/* lk-study-scores.h — the scores of every metric a study has on its stored trials
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

#include "lk-store.h"

G_BEGIN_DECLS

/**
 * LkStudyScoreOptions:
 * @top_k: K of score-at-top-K (%LK_SCORES_TOP_K, 30)
 * @min_raters: ratings a triplet needs to be scored (%LK_SCORES_TRIPLET_RATERS, 3)
 * @n_resamples: bootstrap resamples of the 95 % intervals
 * @seed: the seed of the bootstrap and of the associative-recall draws
 */
typedef struct {
  guint   top_k;
  guint   min_raters;
  guint   n_resamples;
  guint64 seed;
} LkStudyScoreOptions;

void      lk_study_score_options_init (LkStudyScoreOptions       *options);
JsonNode *lk_study_scores_compute     (LkStore                   *store,
                                       const LkStudyScoreOptions *options,
                                       GError                   **error) G_GNUC_WARN_UNUSED_RESULT;
char     *lk_study_scores_to_csv      (JsonNode                  *scores) G_GNUC_WARN_UNUSED_RESULT;
char     *lk_study_scores_to_text     (JsonNode                  *scores) G_GNUC_WARN_UNUSED_RESULT;
gboolean  lk_export_scores            (LkStore                   *store,
                                       gboolean                   json,
                                       const char                *path,
                                       GError                   **error);

G_END_DECLS
