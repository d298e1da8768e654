/* lk-trial.h — the tasks a participant can be given, one trial of a task other than sorting,
 * and the comparisons each answer implies
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "lk-query.h"

G_BEGIN_DECLS

/**
 * LkTaskKind:
 * @LK_TASK_SORT: sort a grid into bins (paper 000; with names and a palette, papers 001, 002)
 * @LK_TASK_TRIPLET: a query Q, two images A and B; which is closer, or neither (paper 004)
 * @LK_TASK_CHOICE5: a query and five candidates; pick the most similar (paper 003)
 * @LK_TASK_MATCH: a query and a page of candidates; pick the one like it, or none (paper 003)
 * @LK_TASK_INTRUDER: eight images, seven from one cluster; pick the odd one (paper 002)
 * @LK_TASK_TRAINING: sorting pages with a known answer and feedback (paper 002's training)
 * @LK_TASK_EXAM: sorting grids with a known answer, scored, with a pass mark (paper 002's exam)
 *
 * The kind of a block of a session plan and of a stored query. The last two are sorting too
 * (lk_task_kind_is_sorting()); they differ in what is done with the answer.
 */
typedef enum {
  LK_TASK_SORT,
  LK_TASK_TRIPLET,
  LK_TASK_CHOICE5,
  LK_TASK_MATCH,
  LK_TASK_INTRUDER,
  LK_TASK_TRAINING,
  LK_TASK_EXAM,
} LkTaskKind;

#define LK_N_TASK_KINDS 7

const char *lk_task_kind_to_string   (LkTaskKind   kind);
gboolean    lk_task_kind_from_string (const char  *name,
                                      LkTaskKind  *kind);
gboolean    lk_task_kind_is_sorting  (LkTaskKind   kind);

/* The number of images a trial of each kind shows (the match task's page is a parameter). */
#define LK_TRIPLET_N_ITEMS  3
#define LK_CHOICE5_N_ITEMS  6
#define LK_INTRUDER_N_ITEMS 8
#define LK_MATCH_DEFAULT_PAGE 10

/* An LkTrial's @choice before it is answered, and the match task's "none of these". */
#define LK_TRIAL_UNANSWERED (-2)
#define LK_TRIAL_NONE       (-1)

/**
 * LkTrial:
 * @kind: not a sorting kind
 * @items: (array length=n_items): the images in a fixed, kind-specific order:
 *   - triplet: Q, A, B (A and B as drawn; which side each was shown on is @swapped)
 *   - choice5: Q, then the five candidates in the order they were shown (left to right)
 *   - match: Q, then the page's candidates in the order shown
 *   - intruder: the eight images in the order shown
 * @n_items: their number
 * @swapped: triplet only: %TRUE when A was shown on the right and B on the left
 * @key: what the draw knows, as a position in @items, or -1: for choice5 with the `pair`
 *   policy and for match, the position of the query's known partner; for choice5 with the
 *   `model-vs-model` policy, the learned metric's nearest item (the target); for intruder,
 *   the position of the planted intruder
 * @group: trials that show the same thing to several raters share a group (a triplet's id);
 *   0 when the trial stands alone
 * @choice: the answer: for a triplet an #LkTripletAnswer (1 to 4, in terms of A and B, not
 *   of sides); for the others the position in @items chosen, or %LK_TRIAL_NONE (match only);
 *   %LK_TRIAL_UNANSWERED until answered
 * @participant: who answered (a dense index, as lk_query_get_participant()), or
 *   %LK_PARTICIPANT_UNKNOWN
 *
 * One trial of a task other than sorting, and its answer. Positions are those of @items.
 */
typedef struct {
  LkTaskKind kind;
  guint     *items;
  guint      n_items;
  gboolean   swapped;
  gint       key;
  guint      group;
  gint       choice;
  guint      participant;
} LkTrial;

LkTrial  *lk_trial_new        (LkTaskKind      kind,
                               const guint    *items,
                               guint           n_items) G_GNUC_WARN_UNUSED_RESULT;
LkTrial  *lk_trial_copy       (const LkTrial  *self) G_GNUC_WARN_UNUSED_RESULT;
void      lk_trial_free       (LkTrial        *self);
gboolean  lk_trial_validate   (const LkTrial  *self,
                               GError        **error);
gboolean  lk_trial_is_answered (const LkTrial *self);

/**
 * LkTrialComparison:
 * @anchor: an image
 * @near: an image the answer says is more like @anchor
 * @far: an image the answer says is less like @anchor
 *
 * "@anchor is closer to @near than to @far": the common currency in which the triplet
 * method learns from every task's answers (lk_trial_comparisons()).
 */
typedef struct {
  guint anchor;
  guint near;
  guint far;
} LkTrialComparison;

guint     lk_trial_comparisons (const LkTrial *self,
                                GArray        *out);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LkTrial, lk_trial_free)

G_END_DECLS
