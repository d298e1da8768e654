/* lk-metrics-private.h — what the tests reach of the metrics
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "lk-metrics.h"

G_BEGIN_DECLS

double lk_metrics_matching_error         (const guint      *clusters,
                                          const gint       *labels,
                                          guint             n_items,
                                          guint             n_clusters,
                                          guint             n_labels);
guint *lk_metrics_top_grid_mates         (const LkEvidence *evidence,
                                          guint             item,
                                          guint             top,
                                          guint            *n_out) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
