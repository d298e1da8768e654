/* lk-snapshot.h — the immutable result of a refinement phase, shared between threads
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "lk-dataset.h"
#include "lk-embedding.h"
#include "lk-evidence.h"
#include "lk-method.h"
#include "lk-metrics.h"
#include "lk-refine.h"

G_BEGIN_DECLS

#define LK_TYPE_SNAPSHOT (lk_snapshot_get_type ())

typedef struct _LkSnapshot LkSnapshot;
typedef struct _LkTruth LkTruth;

GType              lk_snapshot_get_type           (void) G_GNUC_CONST;

LkTruth           *lk_truth_new                   (const LkDataset     *dataset) G_GNUC_WARN_UNUSED_RESULT;
LkTruth           *lk_truth_ref                   (LkTruth             *truth);
void               lk_truth_unref                 (LkTruth             *truth);

LkSnapshot        *lk_snapshot_new                (const LkRefiner     *refiner,
                                                   const LkUpdateStats *stats,
                                                   LkSnapshot          *previous,
                                                   LkTruth             *truth) G_GNUC_WARN_UNUSED_RESULT;
LkSnapshot        *lk_snapshot_ref                (LkSnapshot          *self);
void               lk_snapshot_unref              (LkSnapshot          *self);

guint              lk_snapshot_get_phase          (const LkSnapshot    *self);
guint              lk_snapshot_get_n_phases       (const LkSnapshot    *self);
guint              lk_snapshot_get_n_items        (const LkSnapshot    *self);
guint              lk_snapshot_get_n_answers      (const LkSnapshot    *self);
guint              lk_snapshot_get_budget         (const LkSnapshot    *self);
const double      *lk_snapshot_get_projection     (const LkSnapshot    *self);
const guint       *lk_snapshot_get_knn            (const LkSnapshot    *self,
                                                   guint               *k);
const double      *lk_snapshot_get_knn_distances  (const LkSnapshot    *self);
double             lk_snapshot_get_stress         (const LkSnapshot    *self);
double             lk_snapshot_get_pairs_observed (const LkSnapshot    *self);
double             lk_snapshot_get_recall10       (const LkSnapshot    *self);
double             lk_snapshot_get_cluster_error  (const LkSnapshot    *self);
const gint        *lk_snapshot_get_labels         (const LkSnapshot    *self);
guint              lk_snapshot_get_shared         (const LkSnapshot    *self,
                                                   guint                a,
                                                   guint                b);
const LkClusterTable *lk_snapshot_get_cluster_table (const LkSnapshot  *self);
LkClusterTable    *lk_snapshot_cluster_labels     (const LkSnapshot    *self,
                                                   const gint          *labels,
                                                   guint                n_labels) G_GNUC_WARN_UNUSED_RESULT;

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LkSnapshot, lk_snapshot_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LkTruth, lk_truth_unref)

G_END_DECLS
