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

G_END_DECLS
