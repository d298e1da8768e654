/* lk-answers.h — queries and answers in the study file, and the refinement rebuilt from them
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "lk-query.h"
#include "lk-refine.h"
#include "lk-store.h"
#include "lk-trial.h"

G_BEGIN_DECLS

/**
 * LkMove:
 * @item: the item moved (a collection item id)
 * @from: the bin it left, or %LK_BIN_LEFT_OUT when it came from the grid
 * @to: the bin it went to, or %LK_BIN_LEFT_OUT when it went back to the grid
 * @ms: milliseconds since the grid was shown
 *
 * One drag of the participant, as kept in an answer's move log.
 */
typedef struct {
  guint item;
  gint  from;
  gint  to;
  guint ms;
} LkMove;

/**
 * LkQueryState:
 * @LK_QUERY_PENDING: drawn, not yet shown
 * @LK_QUERY_SERVED: shown to a participant
 * @LK_QUERY_ANSWERED: answered and stored
 * @LK_QUERY_ABANDONED: given up (the participant left); never answered
 */
typedef enum {
  LK_QUERY_PENDING,
  LK_QUERY_SERVED,
  LK_QUERY_ANSWERED,
  LK_QUERY_ABANDONED,
} LkQueryState;

/* The policy name of a grid drawn on the spot by the app while a refinement run was under way
 * (lk_answers_save_spot()). */
#define LK_ANSWERS_POLICY_SPOT "spot"

/* The policy name of a trial's query (lk_answers_save_trial()): drawn by the session, not by
 * the refiner. */
#define LK_ANSWERS_POLICY_TRIAL "trial"

/* The policy names of a sorting grid that checks its participant (lk_answers_save_check()): one
 * of their grids shown again, or a gold grid mixed in as a catch grid. */
#define LK_ANSWERS_POLICY_REPEAT "repeat"
#define LK_ANSWERS_POLICY_CATCH "catch"

/* The longest group name a participant can give, in characters. */
#define LK_ANSWERS_GROUP_NAME_MAX 40

/**
 * LkAnswersPending:
 * @phase_missing: the replay ended a phase the file has no row for
 * @stats: what that update did
 * @n_answers: the answers it folded in
 * @batch: (element-type LkQuery) (nullable): the next phase's batch the replay selected
 *
 * What a refinement run cut short left out of the file (lk_answers_replay()), for
 * lk_answers_repair() to store.
 */
typedef struct {
  gboolean       phase_missing;
  LkUpdateStats  stats;
  guint          n_answers;
  GPtrArray     *batch;
} LkAnswersPending;

GArray     *lk_answers_draw_queries  (LkStore         *store,
                                      LkRefiner       *refiner,
                                      GError         **error) G_GNUC_WARN_UNUSED_RESULT;
GArray     *lk_answers_list_open     (LkStore         *store,
                                      GError         **error) G_GNUC_WARN_UNUSED_RESULT;
LkQuery    *lk_answers_get_query     (LkStore         *store,
                                      gint64           query,
                                      LkQueryState    *state,
                                      GError         **error) G_GNUC_WARN_UNUSED_RESULT;
gboolean    lk_answers_set_state     (LkStore         *store,
                                      gint64           query,
                                      LkQueryState     state,
                                      GError         **error);
gint64      lk_answers_save          (LkStore         *store,
                                      gint64           query,
                                      const LkQuery   *answer,
                                      gint64           session,
                                      gint64           shown_us,
                                      gint64           submitted_us,
                                      const LkMove    *moves,
                                      guint            n_moves,
                                      GError         **error);
GArray     *lk_answers_get_moves     (LkStore         *store,
                                      gint64           answer,
                                      GError         **error) G_GNUC_WARN_UNUSED_RESULT;
gboolean    lk_answers_end_phase     (LkStore         *store,
                                      LkRefiner       *refiner,
                                      LkUpdateStats   *stats,
                                      GError         **error);
gboolean    lk_answers_store_phase   (LkStore              *store,
                                      const LkRefiner      *refiner,
                                      const LkUpdateStats  *stats,
                                      GPtrArray            *batch,
                                      GArray              **ids,
                                      GError              **error);
gint64      lk_answers_save_spot     (LkStore         *store,
                                      guint            phase,
                                      guint            embedding_version,
                                      const LkQuery   *answer,
                                      gint64           session,
                                      gint64           shown_us,
                                      gint64           submitted_us,
                                      const LkMove    *moves,
                                      guint            n_moves,
                                      GError         **error);
gint64      lk_answers_save_check    (LkStore         *store,
                                      guint            phase,
                                      guint            embedding_version,
                                      gint64           repeat_of,
                                      gint64           gold,
                                      const LkQuery   *answer,
                                      gint64           session,
                                      gint64           shown_us,
                                      gint64           submitted_us,
                                      const LkMove    *moves,
                                      guint            n_moves,
                                      GError         **error);
LkRefiner  *lk_answers_rebuild       (LkStore         *store,
                                      gboolean        *reproduced,
                                      GError         **error) G_GNUC_WARN_UNUSED_RESULT;
/**
 * LkAnswersPhaseFunc:
 * @refiner: the refiner right after a phase's update (read only)
 * @stats: what the update did
 *
 * Called by lk_answers_rebuild_and_repair() for each phase it ends.
 */
typedef void (*LkAnswersPhaseFunc) (const LkRefiner     *refiner,
                                    const LkUpdateStats *stats,
                                    gpointer             user_data);

LkRefiner  *lk_answers_replay        (LkStore            *store,
                                      LkAnswersPending   *pending,
                                      LkAnswersPhaseFunc  phase_func,
                                      gpointer            user_data,
                                      GError            **error) G_GNUC_WARN_UNUSED_RESULT;
gboolean    lk_answers_repair        (LkStore            *store,
                                      const LkRefiner    *refiner,
                                      LkAnswersPending   *pending,
                                      gboolean           *repaired,
                                      GError            **error);
void        lk_answers_pending_clear (LkAnswersPending   *pending);
LkRefiner  *lk_answers_rebuild_and_repair (LkStore            *store,
                                      gboolean            *repaired,
                                      LkAnswersPhaseFunc   phase_func,
                                      gpointer             user_data,
                                      GError             **error) G_GNUC_WARN_UNUSED_RESULT;

/* Trials and group names (lk-answers-trial.c) */
gint64      lk_answers_save_trial    (LkStore         *store,
                                      const LkTrial   *trial,
                                      gint64           session,
                                      guint            block,
                                      gint64           shown_us,
                                      gint64           submitted_us,
                                      GError         **error);
GPtrArray  *lk_answers_list_trials   (LkStore         *store,
                                      GError         **error) G_GNUC_WARN_UNUSED_RESULT;
LkTrial    *lk_answers_get_trial     (LkStore         *store,
                                      gint64           query,
                                      GError         **error) G_GNUC_WARN_UNUSED_RESULT;
gboolean    lk_answers_save_group_names (LkStore            *store,
                                      gint64              answer,
                                      const char * const *names,
                                      guint               n_names,
                                      GError            **error);
GStrv       lk_answers_get_group_names (LkStore       *store,
                                      gint64           answer,
                                      GError         **error) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
