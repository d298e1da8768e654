/* lk-sort-page.h — the participant's sorting screen: a grid of images and numbered bins
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "lk-bin.h"
#include "lk-image-source.h"
#include "lk-image-tile.h"
#include "lk-sort-model.h"

G_BEGIN_DECLS

#define LK_TYPE_SORT_PAGE (lk_sort_page_get_type ())

G_DECLARE_FINAL_TYPE (LkSortPage, lk_sort_page, LK, SORT_PAGE, AdwBin)

GtkWidget     *lk_sort_page_new                  (void) G_GNUC_WARN_UNUSED_RESULT;

LkSortModel   *lk_sort_page_get_model            (LkSortPage    *self);
void           lk_sort_page_set_model            (LkSortPage    *self,
                                                  LkSortModel   *model,
                                                  LkImageSource *source);
void           lk_sort_page_set_participant      (LkSortPage    *self,
                                                  const char    *code);
void           lk_sort_page_set_progress         (LkSortPage    *self,
                                                  guint          grid,
                                                  guint          n_grids,
                                                  gboolean       practice);

gboolean       lk_sort_page_focus_image          (LkSortPage    *self,
                                                  guint          position);
LkBin         *lk_sort_page_get_bin              (LkSortPage    *self,
                                                  guint          index);
LkImageTile   *lk_sort_page_get_tile             (LkSortPage    *self,
                                                  guint          position);
GtkDropTarget *lk_sort_page_get_grid_drop_target (LkSortPage    *self);
GtkWidget     *lk_sort_page_get_submit_button    (LkSortPage    *self);
const char    *lk_sort_page_get_status           (LkSortPage    *self);
const char    *lk_sort_page_get_progress_text    (LkSortPage    *self);
void           lk_sort_page_append_centres       (LkSortPage    *self,
                                                  GString       *line);

G_END_DECLS
