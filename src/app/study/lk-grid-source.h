/* lk-grid-source.h — a running study as a session sees it: the next grid, and where its answer goes
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "lk-gold.h"
#include "lk-query.h"
#include "lk-refine-worker.h"
#include "lk-sort-model.h"
#include "lk-trial.h"

G_BEGIN_DECLS

/**
 * LkAnswerRecord:
 * @participant: the participant code
 * @pilot: %TRUE for pilot data
 * @answer: the answered query (items in display order, bins)
 * @moves: (array length=n_moves): the move log, undos included
 * @n_moves: its length
 * @shown_us: wall-clock time the grid was shown (g_get_real_time())
 * @submitted_us: wall-clock time it was submitted
 * @group_names: (nullable) (array zero-terminated=1): the names the participant typed for the
 *   bins, by bin ("" for none), or %NULL for none at all; a study file stores them
 *   (lk_answers_save_group_names()), the memory and lab runs do not
 *
 * What a participant did with one grid. Everything about the grid itself (which query, which
 * phase, drawn on the spot or not) is the run's, in the #LkGrid it handed out. Borrowed for the
 * duration of the submit call.
 */
typedef struct {
  const char       *participant;
  gboolean          pilot;
  const LkQuery    *answer;
  const LkSortMove *moves;
  guint             n_moves;
  gint64            shown_us;
  gint64            submitted_us;
  const char *const *group_names;
} LkAnswerRecord;

/**
 * LkTrialRecord:
 * @participant: the participant code
 * @pilot: %TRUE for pilot data
 * @trial: the answered trial (its @choice set)
 * @block: the block of the session plan it belongs to (0-based)
 * @shown_us: wall-clock time the trial was shown (g_get_real_time())
 * @submitted_us: wall-clock time it was answered
 *
 * What a participant did with one trial of a task other than sorting. Borrowed for the
 * duration of the submit call.
 */
typedef struct {
  const char    *participant;
  gboolean       pilot;
  const LkTrial *trial;
  guint          block;
  gint64         shown_us;
  gint64         submitted_us;
} LkTrialRecord;

typedef struct _LkGrid LkGrid;

#define LK_TYPE_GRID (lk_grid_get_type ())

GType          lk_grid_get_type     (void) G_GNUC_CONST;
LkGrid        *lk_grid_new          (LkQuery       *query,
                                     gint64         query_id,
                                     guint          phase,
                                     gboolean       drawn) G_GNUC_WARN_UNUSED_RESULT;
LkGrid        *lk_grid_new_trial    (LkTrial       *trial,
                                     gint64         query_id) G_GNUC_WARN_UNUSED_RESULT;
LkGrid        *lk_grid_copy         (const LkGrid  *self) G_GNUC_WARN_UNUSED_RESULT;
void           lk_grid_free         (LkGrid        *self);
const LkQuery *lk_grid_get_query    (const LkGrid  *self);
gint64         lk_grid_get_query_id (const LkGrid  *self);
guint          lk_grid_get_phase    (const LkGrid  *self);
gboolean       lk_grid_get_drawn    (const LkGrid  *self);
const LkTrial *lk_grid_get_trial    (const LkGrid  *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LkGrid, lk_grid_free)

#define LK_TYPE_GRID_SOURCE (lk_grid_source_get_type ())

G_DECLARE_INTERFACE (LkGridSource, lk_grid_source, LK, GRID_SOURCE, GObject)

/**
 * LkGridSourceInterface:
 * @next_grid: the next grid to show, or %NULL without an error when the budget is spent (the
 *   source then folds the last phase in)
 * @submit: stores the answer to @grid durably, then hands it to the refinement worker
 * @end_session: records that the participant has left
 * @get_worker: the refinement worker; it owns the answer count, the phase and the budget
 * @dup_next_items: (nullable): the images of the grid @next_grid would serve now, without
 *   serving it, when they are known ahead (not for a grid drawn on the spot)
 * @next_trial: (nullable): the next trial of a task other than sorting, in an #LkGrid that
 *   carries an #LkTrial; without it the run serves no such task
 * @submit_trial: (nullable): stores the answer to a trial durably (and hands it to the
 *   refinement where the method learns from trials)
 * @count_trials: (nullable): the trials the study holds from a participant
 * @list_gold: (nullable): the study's gold grids for a training or an exam block (#LkGoldGrid);
 *   without it the run has none
 * @submit_gold: (nullable): stores the answer to an exam's gold grid durably, with the gold grid
 *   it showed (query.gold); it is not given to the refinement
 * @set_qualified: (nullable): marks a participant as having passed or failed the exam
 * @get_qualified: (nullable): whether a participant has not failed the exam
 * @get_pass_mark: (nullable): the exam's pass mark, 0 to 100 (%LK_QC_PASS_MARK without it)
 *
 * One running study: #LkStudyRun (a study file), #LkLabRun (a lab study in PostgreSQL) and
 * #LkMemoryRun (a demo study kept in memory).
 */
struct _LkGridSourceInterface
{
  GTypeInterface parent_iface;

  LkGrid         *(*next_grid)   (LkGridSource          *self,
                                  GError               **error);
  gboolean        (*submit)      (LkGridSource          *self,
                                  const LkGrid          *grid,
                                  const LkAnswerRecord  *record,
                                  GError               **error);
  gboolean        (*end_session) (LkGridSource          *self,
                                  GError               **error);
  LkRefineWorker *(*get_worker)  (LkGridSource          *self);
  guint          *(*dup_next_items) (LkGridSource        *self,
                                     guint               *n_items);
  LkGrid         *(*next_trial)  (LkGridSource          *self,
                                  LkTaskKind             kind,
                                  GError               **error);
  gboolean        (*submit_trial) (LkGridSource         *self,
                                   const LkGrid         *grid,
                                   const LkTrialRecord  *record,
                                   GError              **error);
  guint           (*count_trials) (LkGridSource         *self,
                                   const char           *participant);
  GPtrArray      *(*list_gold)   (LkGridSource          *self,
                                  LkTaskKind             kind,
                                  GError               **error);
  gboolean        (*submit_gold) (LkGridSource          *self,
                                  const LkGoldGrid      *gold,
                                  LkTaskKind             kind,
                                  const LkAnswerRecord  *record,
                                  GError               **error);
  gboolean        (*set_qualified) (LkGridSource        *self,
                                    const char          *participant,
                                    gboolean             qualified,
                                    GError             **error);
  gboolean        (*get_qualified) (LkGridSource        *self,
                                    const char          *participant);
  double          (*get_pass_mark) (LkGridSource        *self);
};

LkGrid         *lk_grid_source_next_grid      (LkGridSource          *self,
                                               GError               **error) G_GNUC_WARN_UNUSED_RESULT;
gboolean        lk_grid_source_submit         (LkGridSource          *self,
                                               const LkGrid          *grid,
                                               const LkAnswerRecord  *record,
                                               GError               **error);
gboolean        lk_grid_source_end_session    (LkGridSource          *self,
                                               GError               **error);
guint           lk_grid_source_count_answers  (LkGridSource          *self,
                                               const char            *participant);
LkRefineWorker *lk_grid_source_get_worker     (LkGridSource          *self);
guint          *lk_grid_source_dup_next_items (LkGridSource          *self,
                                               guint                 *n_items) G_GNUC_WARN_UNUSED_RESULT;
guint           lk_grid_source_get_n_answered (LkGridSource          *self);
guint           lk_grid_source_get_budget     (LkGridSource          *self);
gboolean        lk_grid_source_is_spent       (LkGridSource          *self);
LkGrid         *lk_grid_source_next_trial     (LkGridSource          *self,
                                               LkTaskKind             kind,
                                               GError               **error) G_GNUC_WARN_UNUSED_RESULT;
gboolean        lk_grid_source_submit_trial   (LkGridSource          *self,
                                               const LkGrid          *grid,
                                               const LkTrialRecord   *record,
                                               GError               **error);
guint           lk_grid_source_count_trials   (LkGridSource          *self,
                                               const char            *participant);

/* Training and exam blocks (lk-grid-source-gold.c) */
GPtrArray      *lk_grid_source_list_gold      (LkGridSource          *self,
                                               LkTaskKind             kind,
                                               GError               **error) G_GNUC_WARN_UNUSED_RESULT;
gboolean        lk_grid_source_submit_gold    (LkGridSource          *self,
                                               const LkGoldGrid      *gold,
                                               LkTaskKind             kind,
                                               const LkAnswerRecord  *record,
                                               GError               **error);
gboolean        lk_grid_source_set_qualified  (LkGridSource          *self,
                                               const char            *participant,
                                               gboolean               qualified,
                                               GError               **error);
gboolean        lk_grid_source_get_qualified  (LkGridSource          *self,
                                               const char            *participant);
double          lk_grid_source_get_pass_mark  (LkGridSource          *self);

G_END_DECLS
