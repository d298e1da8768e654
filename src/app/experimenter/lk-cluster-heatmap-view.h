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
void       lk_cluster_heatmap_view_set_folder_tables (LkClusterHeatmapView *self,
                                                      GHashTable           *tables);

G_END_DECLS
