/* lk-sort-page-private.h — what only tests and benchmarks reach in lk-sort-page
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "lk-sort-page.h"

G_BEGIN_DECLS

gboolean       lk_sort_page_focus_image          (LkSortPage    *self,
                                                  guint          position);
LkBin         *lk_sort_page_get_bin              (LkSortPage    *self,
                                                  guint          index);
LkImageTile   *lk_sort_page_get_tile             (LkSortPage    *self,
                                                  guint          position);
GtkWidget     *lk_sort_page_get_place            (LkSortPage    *self,
                                                  guint          position);
GtkDropTarget *lk_sort_page_get_grid_drop_target (LkSortPage    *self);
GtkWidget     *lk_sort_page_get_submit_button    (LkSortPage    *self);
const char    *lk_sort_page_get_status           (LkSortPage    *self);
const char    *lk_sort_page_get_progress_text    (LkSortPage    *self);
GtkPicture    *lk_sort_page_get_preview          (LkSortPage    *self);
GtkPicture    *lk_sort_page_get_large_preview    (LkSortPage    *self);
int            lk_sort_page_get_grid_tile_size   (LkSortPage    *self);
gboolean       lk_sort_page_get_compact          (LkSortPage    *self);
guint          lk_sort_page_get_columns          (LkSortPage    *self);

G_END_DECLS
