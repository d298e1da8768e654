/* lk-cluster-heatmap-view.h — labels x matched clusters per phase, as the paper's Fig. 6
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "lk-cairo-view.h"
#include "lk-snapshot.h"

G_BEGIN_DECLS

#define LK_TYPE_CLUSTER_HEATMAP_VIEW (lk_cluster_heatmap_view_get_type ())

G_DECLARE_FINAL_TYPE (LkClusterHeatmapView, lk_cluster_heatmap_view, LK, CLUSTER_HEATMAP_VIEW,
                      LkCairoView)

GtkWidget *lk_cluster_heatmap_view_new           (void);
void       lk_cluster_heatmap_view_set_snapshots (LkClusterHeatmapView *self,
                                                  GPtrArray            *snapshots,
                                                  guint                 current);
void       lk_cluster_heatmap_view_add_phase     (LkClusterHeatmapView *self,
                                                  guint                 phase,
                                                  const double         *points,
                                                  guint                 n_items,
                                                  guint                 dim,
                                                  const gint           *labels);
void       lk_cluster_heatmap_view_clear         (LkClusterHeatmapView *self);
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
