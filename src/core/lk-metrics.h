/* lk-metrics.h — how good an embedding is, and how local the queries were
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <gsl/gsl_rng.h>

#include "lk-evidence.h"

G_BEGIN_DECLS

/* Labels x matched clusters, as the paper's Fig. 6 (lk_metrics_cluster_table()). */
typedef struct {
  guint   n_labels;
  guint   n_labelled;
  guint  *counts;      /* n_labels x n_labels: row = label, column j = the cluster matched to
                        * label j */
  double  error;       /* 1 - matched / n_labelled; 0 without labelled items */
} LkClusterTable;

double lk_metrics_knn_recall             (const guint      *truth,
                                          guint             truth_stride,
                                          const guint      *learned,
                                          guint             learned_stride,
                                          guint             n_items,
                                          guint             k,
                                          guint            *histogram);
double lk_metrics_cluster_error          (const double     *points,
                                          guint             n_items,
                                          guint             dim,
                                          const gint       *labels,
                                          guint             n_labels,
                                          gsl_rng          *rng);
LkClusterTable *lk_metrics_cluster_table (const double   *points,
                                          guint           n_items,
                                          guint           dim,
                                          const gint     *labels,
                                          guint           n_labels,
                                          gsl_rng        *rng) G_GNUC_WARN_UNUSED_RESULT;
LkClusterTable *lk_cluster_table_copy    (const LkClusterTable *table) G_GNUC_WARN_UNUSED_RESULT;
void   lk_cluster_table_free             (LkClusterTable   *table);
guint  lk_metrics_match_clusters          (const guint      *clusters,
                                          const gint       *labels,
                                          guint             n_items,
                                          guint             n_clusters,
                                          guint             n_labels,
                                          gint             *cluster_of_label);
double lk_metrics_cooccurrence_locality  (const LkEvidence *evidence,
                                          const guint      *truth,
                                          guint             truth_stride,
                                          guint             n_true,
                                          guint             top);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LkClusterTable, lk_cluster_table_free)

G_END_DECLS
