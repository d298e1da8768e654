/* lk-participants.h — who sorted how: each participant's answers, times, agreement with the
 * model and criterion, and leaving a participant out of the model
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "lk-refine.h"
#include "lk-store.h"

G_BEGIN_DECLS

/**
 * LkCriterionKind:
 * @LK_CRITERION_NONE: the method has no per-participant parameters
 * @LK_CRITERION_ATTRIBUTE_WEIGHTS: cen's attribute weights a^w, one per dimension
 * @LK_CRITERION_BIAS: Crowdclustering's worker bias (the posterior mean of tau)
 */
typedef enum {
  LK_CRITERION_NONE,
  LK_CRITERION_ATTRIBUTE_WEIGHTS,
  LK_CRITERION_BIAS,
} LkCriterionKind;

/**
 * LkParticipantInfo:
 * @id: the participant's row id
 * @code: their code
 * @worker: the dense worker index their answers carry (lk_query_get_participant())
 * @pilot: pilot data
 * @excluded: left out of the model
 * @answers: answers stored (counted ones: a crowd platform's rejected assignments are not)
 * @median_seconds: median seconds from showing a grid to its submission, NAN without answers
 * @pairs: pair results compared with the model
 * @agreement: share of @pairs the model predicts (same bin <-> close), NAN when the model has
 *   no phase yet or @pairs is 0
 * @criterion_kind: what @criterion holds
 * @criterion: (element-type double) (nullable): the model's parameters of this participant,
 *   %NULL when the model has none for them (no such method, or left out)
 */
typedef struct {
  gint64           id;
  char            *code;
  guint            worker;
  gboolean         pilot;
  gboolean         excluded;
  guint            answers;
  double           median_seconds;
  guint            pairs;
  double           agreement;
  LkCriterionKind  criterion_kind;
  GArray          *criterion;
} LkParticipantInfo;

void         lk_participant_info_free     (LkParticipantInfo *info);

GPtrArray   *lk_participants_list         (LkStore          *store,
                                           const LkRefiner  *refiner,
                                           GError          **error) G_GNUC_WARN_UNUSED_RESULT;
gboolean     lk_participants_set_excluded (LkStore          *store,
                                           const char       *code,
                                           gboolean          excluded,
                                           GError          **error);
guint        lk_participants_worker_index (LkStore          *store,
                                           gint64            participant,
                                           GError          **error);
GArray      *lk_participants_excluded_workers (LkStore      *store,
                                           GError          **error) G_GNUC_WARN_UNUSED_RESULT;
gboolean     lk_participants_count_left_out (LkStore        *store,
                                           guint            *n_answers,
                                           GError          **error);
const char  *lk_criterion_kind_to_string  (LkCriterionKind   kind);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LkParticipantInfo, lk_participant_info_free)

G_END_DECLS
