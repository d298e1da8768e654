/* lk-plan.h — a study's session plan: the ordered blocks of tasks each participant does
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "lk-trial.h"

G_BEGIN_DECLS

/**
 * LkPlanBlock:
 * @kind: the task of the block
 * @count: how many grids or trials the block has (at least 1)
 * @practice: practice items shown before the block's first (not stored as answers, not
 *   counted), 0 for none
 *
 * One block of a session plan.
 */
typedef struct {
  LkTaskKind kind;
  guint      count;
  guint      practice;
} LkPlanBlock;

/* At most this many blocks; a plan is typed by people, and each block has its own screen. */
#define LK_PLAN_MAX_BLOCKS 16

/**
 * LkPlan:
 * @blocks: (array length=n_blocks): the blocks, in the order a participant does them
 * @n_blocks: their number, 1 to %LK_PLAN_MAX_BLOCKS
 */
typedef struct {
  LkPlanBlock blocks[LK_PLAN_MAX_BLOCKS];
  guint       n_blocks;
} LkPlan;

void      lk_plan_init_sort    (LkPlan       *plan,
                                guint         grids,
                                guint         practice);
gboolean  lk_plan_parse        (const char   *text,
                                LkPlan       *plan,
                                GError      **error);
char     *lk_plan_to_string    (const LkPlan *plan) G_GNUC_WARN_UNUSED_RESULT;
guint     lk_plan_total        (const LkPlan *plan);
guint     lk_plan_count_kind   (const LkPlan *plan,
                                LkTaskKind    kind);
gboolean  lk_plan_locate       (const LkPlan *plan,
                                guint         done,
                                guint        *block,
                                guint        *index);

G_END_DECLS
