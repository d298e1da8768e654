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
void           lk_sort_page_prepare_next         (LkSortPage    *self,
                                                  const guint   *items,
                                                  guint          n_items);
void           lk_sort_page_set_participant      (LkSortPage    *self,
                                                  const char    *code);
void           lk_sort_page_set_progress         (LkSortPage    *self,
                                                  guint          grid,
                                                  guint          n_grids,
                                                  gboolean       practice);

void           lk_sort_page_set_palette          (LkSortPage    *self,
                                                  gboolean       palette);
gint           lk_sort_page_get_brush            (LkSortPage    *self);
void           lk_sort_page_set_group_names      (LkSortPage    *self,
                                                  gboolean       naming);
void           lk_sort_page_append_centres       (LkSortPage    *self,
                                                  GString       *line);

G_END_DECLS
