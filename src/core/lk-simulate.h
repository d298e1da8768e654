/* lk-simulate.h — simulated participants and whole simulated studies
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "lk-dataset.h"
#include "lk-method.h"
#include "lk-params.h"
#include "lk-query.h"

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
 * @cen_attribute: the CEN methods: the attribute dimension the `synth` policy's grids point at
 *   (lk_cen_set_target_attribute()), or -1 (the default) for each in turn
 */
typedef struct {
  LkNoise noise;
  guint   participants;
  double  rho;
  double  holdout;
  gint    cen_attribute;
} LkSimulateOptions;

void     lk_simulate_options_init     (LkSimulateOptions       *options);
gboolean lk_simulate_run_with_options (const LkDataset         *dataset,
                                       const LkParams          *params,
                                       const LkMethodType      *method,
                                       const LkSimulateOptions *options,
                                       LkPhaseFunc              func,
                                       gpointer                 user_data,
                                       GError                 **error);
double   lk_simulate_mcc              (const guint             *counts,
                                       guint                    n);

G_END_DECLS
