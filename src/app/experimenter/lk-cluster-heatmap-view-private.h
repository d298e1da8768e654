/* lk-cluster-heatmap-view-private.h — what the tests reach of the cluster heatmap
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "lk-cluster-heatmap-view.h"

G_BEGIN_DECLS

void       lk_cluster_heatmap_view_add_table     (LkClusterHeatmapView *self,
                                                  guint                 phase,
                                                  const LkClusterTable *table);
guint      lk_cluster_heatmap_view_get_n_panels  (LkClusterHeatmapView *self);
double     lk_cluster_heatmap_view_get_error     (LkClusterHeatmapView *self,
                                                  guint                 panel);
gboolean   lk_cluster_heatmap_view_cell_rect     (LkClusterHeatmapView *self,
                                                  guint                 panel,
                                                  guint                 label,
                                                  guint                 cluster,
                                                  int                   width,
                                                  int                   height,
                                                  double               *x,
                                                  double               *y,
                                                  double               *size);

G_END_DECLS
