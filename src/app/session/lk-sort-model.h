/* lk-sort-model.h — one grid being sorted: where each image is, the move log, the submit rule
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "lk-query.h"

G_BEGIN_DECLS

/**
 * LkSortRule:
 * @LK_SORT_RULE_ANY_PLACED: images may be left out, but at least one must be in a bin
 * @LK_SORT_RULE_ALL_PLACED: every image must be in a bin before submitting
 *
 * What a study asks before a grid can be submitted.
 */
typedef enum {
  LK_SORT_RULE_ANY_PLACED,
  LK_SORT_RULE_ALL_PLACED,
} LkSortRule;

/**
 * LkSortMove:
 * @position: the image's position in the grid (display order)
 * @item: the image's item id in the collection
 * @from: the bin it left (0..nc-1, or %LK_BIN_LEFT_OUT for the grid)
 * @to: the bin it went to
 * @ms: milliseconds since the grid was shown
 * @undo: %TRUE if this move reverted an earlier one (Ctrl+Z)
 */
typedef struct {
  guint    position;
  guint    item;
  gint     from;
  gint     to;
  gint64   ms;
  gboolean undo;
} LkSortMove;

#define LK_TYPE_SORT_MODEL (lk_sort_model_get_type ())

G_DECLARE_FINAL_TYPE (LkSortModel, lk_sort_model, LK, SORT_MODEL, GObject)

LkSortModel  *lk_sort_model_new            (const guint  *items,
                                            guint         n_items,
                                            guint         nc,
                                            LkSortRule    rule) G_GNUC_WARN_UNUSED_RESULT;

guint         lk_sort_model_get_n_items    (LkSortModel  *self);
guint         lk_sort_model_get_nc         (LkSortModel  *self);
LkSortRule    lk_sort_model_get_rule       (LkSortModel  *self);
guint         lk_sort_model_get_item       (LkSortModel  *self,
                                            guint         position);
gint          lk_sort_model_get_bin        (LkSortModel  *self,
                                            guint         position);
guint         lk_sort_model_get_n_in_bin   (LkSortModel  *self,
                                            gint          bin);
gboolean      lk_sort_model_get_can_undo   (LkSortModel  *self);
gboolean      lk_sort_model_get_can_submit (LkSortModel  *self);
const char   *lk_sort_model_get_reason     (LkSortModel  *self);
const LkSortMove *lk_sort_model_get_moves      (LkSortModel  *self,
                                            guint        *n_moves);
const gint   *lk_sort_model_get_answer     (LkSortModel  *self);
gint64        lk_sort_model_get_elapsed_ms (LkSortModel  *self);

void          lk_sort_model_restart_clock  (LkSortModel  *self);
gboolean      lk_sort_model_move           (LkSortModel  *self,
                                            guint         position,
                                            gint          bin);
gboolean      lk_sort_model_undo           (LkSortModel  *self);
LkQuery      *lk_sort_model_to_query       (LkSortModel  *self,
                                            GError      **error) G_GNUC_WARN_UNUSED_RESULT;

void          lk_sort_model_set_group_name (LkSortModel  *self,
                                            guint         bin,
                                            const char   *name);
const char   *lk_sort_model_get_group_name (LkSortModel  *self,
                                            guint         bin);
const char *const *lk_sort_model_get_group_names (LkSortModel *self);

G_END_DECLS
