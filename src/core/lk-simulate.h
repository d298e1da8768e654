/* lk-simulate.h — simulated participants and whole simulated studies
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <gsl/gsl_rng.h>

#include "lk-dataset.h"
#include "lk-method.h"
#include "lk-params.h"
#include "lk-plan.h"
#include "lk-query.h"
#include "lk-scores.h"
#include "lk-trial.h"

G_BEGIN_DECLS

/**
 * LkNoise:
 * @random_bin: share of items a participant drops into a uniformly random bin
 * @left_out: share of items a participant leaves out
 */
typedef struct {
  double random_bin;
  double left_out;
} LkNoise;

typedef struct _LkCrowd LkCrowd;

LkCrowd *lk_crowd_new    (const LkDataset *dataset,
                          guint            nc,
                          const LkNoise   *noise,
                          guint64          seed) G_GNUC_WARN_UNUSED_RESULT;
void     lk_crowd_free   (LkCrowd         *self);
void     lk_crowd_answer (LkCrowd         *self,
                          LkQuery         *query);
void     lk_crowd_set_participants   (LkCrowd       *self,
                                      guint          n_participants,
                                      double         rho);
gint     lk_crowd_get_last_attribute (const LkCrowd *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LkCrowd, lk_crowd_free)

void     lk_simulate_answer_trial    (const LkDataset *truth,
                                      LkTrial         *trial,
                                      const LkNoise   *noise,
                                      gsl_rng         *rng);

/**
 * LkPhaseReport:
 * @phase: the phase just completed, from 1
 * @queries: queries answered so far
 * @recall10: mean 10-NN recall against the ground truth
 * @recall10_histogram: items per number of true 10-NN found (0..10), the paper's Fig. 5
 * @cluster_error: cluster error against the labels, or NAN without labels
 * @cooccurrence_locality: share of each item's 20 most frequent grid-mates among its true 40-NN
 * @stress: the method's final loss of the phase
 * @seconds: wall time of the phase (queries, answers, update), metrics excluded
 * @pair_accuracy: held-out same-group prediction accuracy, or NAN without held-out grids
 * @attribute_accuracy: cen on a set with attributes: share of training grids whose strongest
 *   attribute dimension is the one they were sorted by (dimensions matched to attributes by
 *   the Hungarian method); NAN otherwise
 * @attribute_accuracy_heldout: the same on the held-out grids, which the model's item vectors
 *   were not fitted to; NAN without them
 * @mcc: on a set with attributes and labels: multiclass MCC of k-means clusters of the
 *   embedding (as many as labels, matched to them); NAN otherwise
 * @trials: trials of the plan's other tasks answered so far (0 without a plan)
 * @qc_participants: participants who started a session so far (with quality control options;
 *   0 otherwise)
 * @qc_random: of them, those who sort at random
 * @qc_left_out: of them, those left out (failed the exam, or inconsistent on repeats)
 * @qc_random_left_out: of @qc_left_out, those who sort at random
 * @embedding: the embedding after the phase (borrowed, valid during the callback)
 */
typedef struct {
  guint              phase;
  guint              queries;
  double             recall10;
  guint              recall10_histogram[11];
  double             cluster_error;
  double             cooccurrence_locality;
  double             stress;
  double             seconds;
  const LkEmbedding *embedding;
  double             pair_accuracy;
  double             attribute_accuracy;
  double             attribute_accuracy_heldout;
  double             mcc;
  guint              trials;
  guint              qc_participants;
  guint              qc_random;
  guint              qc_left_out;
  guint              qc_random_left_out;
} LkPhaseReport;

typedef void (*LkPhaseFunc) (const LkPhaseReport *report,
                             gpointer             user_data);

gboolean lk_simulate_run (const LkDataset    *dataset,
                          const LkParams     *params,
                          const LkMethodType *method,
                          const LkNoise      *noise,
                          LkPhaseFunc         func,
                          gpointer            user_data,
                          GError            **error);

/**
 * LkSimulateOptions:
 * @noise: the crowd's noise
 * @participants: participants of the attribute crowd (sets with attributes; 40)
 * @rho: probability that such a participant sorts by the grid's most varied attribute (0.5)
 * @holdout: share of grids kept out of training for the held-out pair accuracy (0; < 1)
 * @plan: (nullable): each participant's session plan; %NULL: sorting only. Needs a sorting
 *   block (the budget counts grids)
 * @choice5_policy: (nullable): the plan's choice5 trials' candidate policy ("random")
 * @cen_attribute: the CEN methods: the attribute dimension the `synth` policy's grids point at
 *   (lk_cen_set_target_attribute()), or -1 (the default) for each in turn
 * @random_share: share of simulated participants who sort at random (0)
 * @qualify: each participant first takes an exam of gold grids; below the pass mark they are
 *   left out before they sort
 * @catch_repeats: a share of each participant's grids is shown again; below the minimum mean
 *   consistency their answers are left out
 */
typedef struct {
  LkNoise       noise;
  guint         participants;
  double        rho;
  double        holdout;
  const LkPlan *plan;
  const char   *choice5_policy;
  gint          cen_attribute;
  double        random_share;
  gboolean      qualify;
  gboolean      catch_repeats;
} LkSimulateOptions;

/* Quality control in simulation (lk-simulate.c): grids per participant's session, exam grids,
 * the share of repeated grids and the consistency below which a participant is left out. */
#define LK_SIMULATE_QC_SESSION 20
#define LK_SIMULATE_QC_EXAM 3
#define LK_SIMULATE_QC_REPEAT_SHARE 0.05
#define LK_SIMULATE_QC_MIN_CONSISTENCY 0.3

void     lk_simulate_options_init     (LkSimulateOptions       *options);
gboolean lk_simulate_run_with_options (const LkDataset         *dataset,
                                       const LkParams          *params,
                                       const LkMethodType      *method,
                                       const LkSimulateOptions *options,
                                       LkPhaseFunc              func,
                                       gpointer                 user_data,
                                       GError                 **error);
double   lk_simulate_descriptor_distance (guint                a,
                                          guint                b,
                                          gpointer             dataset);
double   lk_simulate_mcc              (const guint             *counts,
                                       guint                    n);

/* What lk_simulate_score() draws (lk-simulate-score.c). */
#define LK_SIMULATE_SCORE_TRIPLETS 500
#define LK_SIMULATE_SCORE_QUESTIONS 100
#define LK_SIMULATE_SCORE_CHOICE_RATERS 5
#define LK_SIMULATE_SCORE_HITS 100
#define LK_SIMULATE_N_METRICS 2

/**
 * LkSimulateMetricScores:
 * @triplet_precision: similarity precision on the unanimous triplets
 * @triplet_score_at_k: score-at-30 on them
 * @choice_agreement: forced choice: share of people's answers the metric picks too
 * @choice_target: forced choice: share of questions where the metric picks the target
 * @intruder_accuracy: share of HITs where the metric's odd one is the intruder
 * @intruder_agreement: share of people's intruder answers the metric picks too
 *
 * One metric's scores, each with its bootstrap 95 % interval.
 */
typedef struct {
  LkInterval triplet_precision;
  LkInterval triplet_score_at_k;
  LkInterval choice_agreement;
  LkInterval choice_target;
  LkInterval intruder_accuracy;
  LkInterval intruder_agreement;
} LkSimulateMetricScores;

/**
 * LkSimulateScores:
 * @n_triplets: triplets rated
 * @n_kept: unanimous triplets with an order (the scored ones)
 * @unanimity_rate: @n_kept / @n_triplets
 * @n_questions: forced-choice questions
 * @n_hits: intruder HITs
 * @metric_names: "learned", "colour"
 * @metrics: the scores of each
 */
typedef struct {
  guint                  n_triplets;
  guint                  n_kept;
  double                 unanimity_rate;
  guint                  n_questions;
  guint                  n_hits;
  const char            *metric_names[LK_SIMULATE_N_METRICS];
  LkSimulateMetricScores metrics[LK_SIMULATE_N_METRICS];
} LkSimulateScores;

gboolean lk_simulate_score (const LkDataset   *truth,
                            const LkEmbedding *learned,
                            const LkNoise     *noise,
                            guint64            seed,
                            LkSimulateScores  *out,
                            GError           **error);

G_END_DECLS
