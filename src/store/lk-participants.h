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
 * LkParticipantFlags:
 * @LK_PARTICIPANT_FLAG_NONE: nothing to look at
 * @LK_PARTICIPANT_FLAG_INCONSISTENT: their mean consistency is below the study's
 *   `min-consistency`
 * @LK_PARTICIPANT_FLAG_LOW_GOLD: their mean gold score is below the study's `min-gold-score`
 *
 * What the quality figures flag for the experimenter; a flag leaves no one out.
 */
typedef enum {
  LK_PARTICIPANT_FLAG_NONE = 0,
  LK_PARTICIPANT_FLAG_INCONSISTENT = 1 << 0,
  LK_PARTICIPANT_FLAG_LOW_GOLD = 1 << 1,
} LkParticipantFlags;

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
 * @not_qualified: failed the exam (status 'not_qualified'): left out of the model
 * @repeats: their answered repeated grids whose first showing they answered too
 * @consistency: the mean lk_qc_consistency() over @repeats, NAN when 0
 * @gold_grids: their answered grids that showed a known answer (query.gold)
 * @gold_score: the mean lk_qc_exam_score() over @gold_grids (0 to 100), NAN when 0
 * @flags: what the study's thresholds flag
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
  gboolean         not_qualified;
  guint            repeats;
  double           consistency;
  guint            gold_grids;
  double           gold_score;
  LkParticipantFlags flags;
} LkParticipantInfo;

void         lk_participant_info_free     (LkParticipantInfo *info);

GPtrArray   *lk_participants_list         (LkStore          *store,
                                           const LkRefiner  *refiner,
                                           GError          **error) G_GNUC_WARN_UNUSED_RESULT;
gboolean     lk_participants_set_excluded (LkStore          *store,
                                           const char       *code,
                                           gboolean          excluded,
                                           GError          **error);
gboolean     lk_participants_set_qualified (LkStore        *store,
                                           const char       *code,
                                           gboolean          qualified,
                                           GError          **error);
gboolean     lk_participants_get_qualified (LkStore        *store,
                                           const char       *code);
guint        lk_participants_worker_index (LkStore          *store,
                                           gint64            participant,
                                           GError          **error);
GArray      *lk_participants_excluded_workers (LkStore      *store,
                                           GError          **error) G_GNUC_WARN_UNUSED_RESULT;
gboolean     lk_participants_count_left_out (LkStore        *store,
                                           guint            *n_answers,
                                           GError          **error);
const char  *lk_criterion_kind_to_string  (LkCriterionKind   kind);
char        *lk_participant_flags_to_string (LkParticipantFlags flags) G_GNUC_WARN_UNUSED_RESULT;

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LkParticipantInfo, lk_participant_info_free)

G_END_DECLS
