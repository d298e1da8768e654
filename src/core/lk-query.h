/* lk-query.h — a clustering query and its answer
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A bin index of an answer: 0..nc-1, or one of these. */
#define LK_BIN_LEFT_OUT   (-1)
#define LK_BIN_UNANSWERED (-2)

/* The participant of a query nobody said who answered. */
#define LK_PARTICIPANT_UNKNOWN G_MAXUINT

/**
 * LkPairResult:
 * @LK_PAIR_NONE: the pair tells nothing (both items left out)
 * @LK_PAIR_POSITIVE: put together in one bin
 * @LK_PAIR_NEGATIVE: split: in different bins, or one binned and one left out
 */
typedef enum {
  LK_PAIR_NONE,
  LK_PAIR_POSITIVE,
  LK_PAIR_NEGATIVE,
} LkPairResult;

typedef struct _LkQuery LkQuery;

LkQuery     *lk_query_new          (const guint   *items,
                                    guint          n_items) G_GNUC_WARN_UNUSED_RESULT;
LkQuery     *lk_query_copy         (const LkQuery *self) G_GNUC_WARN_UNUSED_RESULT;
void         lk_query_free         (LkQuery       *self);

guint        lk_query_get_n_items  (const LkQuery *self);
guint        lk_query_get_item     (const LkQuery *self,
                                    guint          position);
const guint *lk_query_get_items    (const LkQuery *self);

gboolean     lk_query_set_answer   (LkQuery       *self,
                                    const gint    *bins,
                                    guint          nc,
                                    GError       **error);
gboolean     lk_query_is_answered  (const LkQuery *self);
gint         lk_query_get_bin      (const LkQuery *self,
                                    guint          position);

LkPairResult lk_query_pair_result  (const LkQuery *self,
                                    guint          position_a,
                                    guint          position_b);
void         lk_query_set_participant (LkQuery *self,
                                       guint    participant);
guint        lk_query_get_participant (const LkQuery *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LkQuery, lk_query_free)

G_END_DECLS
