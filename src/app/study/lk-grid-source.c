/* lk-grid-source.c — a running study as a session sees it: the next grid, and where its answer goes
 *
 * A session keeps only what is on its pages; everything about the study's progress has one
 * owner. The grid handed out carries what the run needs back with its answer (the study's
 * query id, the phase the answer belongs to, whether it was drawn on the spot), so the
 * session never keeps those itself. The study's answer count and the budget are the
 * refinement worker's: it counts every answer it is given, those a study file replayed on
 * opening too. A participant's own count is the session's, started from
 * lk_grid_source_count_answers().
 *
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n.h>

#include "lk-grid-source.h"

struct _LkGrid
{
  LkQuery  *query;      /* a sorting grid's, or NULL for a trial */
  LkTrial  *trial;      /* a trial's, or NULL for a sorting grid */
  gint64    query_id;
  guint     phase;
  gboolean  drawn;
};

G_DEFINE_BOXED_TYPE (LkGrid, lk_grid, lk_grid_copy, lk_grid_free)

/**
 * lk_grid_new:
 * @query: (transfer full): the grid's images, in display order
 * @query_id: the study's id of the query, or 0 when it has none (in memory, or drawn on the
 *   spot before it was stored)
 * @phase: the phase an answer to it belongs to
 * @drawn: %TRUE if it was drawn on the spot while the worker folded a phase in
 *
 * Returns: (transfer full): the grid
 */
LkGrid *
lk_grid_new (LkQuery  *query,
             gint64    query_id,
             guint     phase,
             gboolean  drawn)
{
  LkGrid *self;

  g_return_val_if_fail (query != NULL, NULL);

  self = g_new0 (LkGrid, 1);
  self->query = query;
  self->query_id = query_id;
  self->phase = phase;
  self->drawn = drawn;

  return self;
}

/**
 * lk_grid_new_trial:
 * @trial: (transfer full): the trial to show, unanswered
 * @query_id: the study's id of the trial, or 0 when it has none yet
 *
 * A grid of a task other than sorting: it carries a trial instead of a query.
 *
 * Returns: (transfer full): the grid
 */
LkGrid *
lk_grid_new_trial (LkTrial *trial,
                   gint64   query_id)
{
  LkGrid *self;

  g_return_val_if_fail (trial != NULL, NULL);

  self = g_new0 (LkGrid, 1);
  self->trial = trial;
  self->query_id = query_id;

  return self;
}

LkGrid *
lk_grid_copy (const LkGrid *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  if (self->trial != NULL)
    return lk_grid_new_trial (lk_trial_copy (self->trial), self->query_id);

  return lk_grid_new (lk_query_copy (self->query), self->query_id, self->phase, self->drawn);
}

void
lk_grid_free (LkGrid *self)
{
  if (self == NULL)
    return;
  g_clear_pointer (&self->query, lk_query_free);
  g_clear_pointer (&self->trial, lk_trial_free);
  g_free (self);
}

/**
 * lk_grid_get_query:
 *
 * Returns: (transfer none) (nullable): the grid's images, in display order; %NULL for a
 *   trial's grid
 */
const LkQuery *
lk_grid_get_query (const LkGrid *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->query;
}

gint64
lk_grid_get_query_id (const LkGrid *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->query_id;
}

guint
lk_grid_get_phase (const LkGrid *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->phase;
}

gboolean
lk_grid_get_drawn (const LkGrid *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return self->drawn;
}

/**
 * lk_grid_get_trial:
 *
 * Returns: (transfer none) (nullable): the trial of a grid of a task other than sorting, or
 *   %NULL for a sorting grid
 */
const LkTrial *
lk_grid_get_trial (const LkGrid *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->trial;
}

G_DEFINE_INTERFACE (LkGridSource, lk_grid_source, G_TYPE_OBJECT)

static void
lk_grid_source_default_init (LkGridSourceInterface *iface)
{
}

/**
 * lk_grid_source_next_grid:
 *
 * Never waits for a phase update: while one runs, the grid is drawn on the spot.
 *
 * Returns: (transfer full) (nullable): the next grid, or %NULL when the budget is spent (with
 *   @error unset), or %NULL with @error set if the study could not give one
 */
LkGrid *
lk_grid_source_next_grid (LkGridSource  *self,
                          GError       **error)
{
  g_return_val_if_fail (LK_IS_GRID_SOURCE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return LK_GRID_SOURCE_GET_IFACE (self)->next_grid (self, error);
}

/**
 * lk_grid_source_submit:
 * @grid: the grid answered, as lk_grid_source_next_grid() gave it
 * @record: the answer and its move log
 *
 * Stores one answer durably, then gives it to the refinement worker. The session shows the
 * next grid only after this returns %TRUE; on failure it keeps the answer and offers to retry,
 * and nothing has changed.
 *
 * Returns: %TRUE once the answer is stored
 */
gboolean
lk_grid_source_submit (LkGridSource          *self,
                       const LkGrid          *grid,
                       const LkAnswerRecord  *record,
                       GError               **error)
{
  g_return_val_if_fail (LK_IS_GRID_SOURCE (self), FALSE);
  g_return_val_if_fail (grid != NULL, FALSE);
  g_return_val_if_fail (record != NULL && record->answer != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return LK_GRID_SOURCE_GET_IFACE (self)->submit (self, grid, record, error);
}

/**
 * lk_grid_source_end_session:
 *
 * Records that the participant of the session under way has left (at the end, or before).
 * The next answer submitted starts a new session.
 *
 * Returns: %FALSE with @error set if that could not be written
 */
gboolean
lk_grid_source_end_session (LkGridSource  *self,
                            GError       **error)
{
  LkGridSourceInterface *iface;

  g_return_val_if_fail (LK_IS_GRID_SOURCE (self), FALSE);

  iface = LK_GRID_SOURCE_GET_IFACE (self);
  if (iface->end_session == NULL)
    return TRUE;

  return iface->end_session (self, error);
}

/**
 * lk_grid_source_count_answers:
 * @participant: a participant code
 *
 * What a session starts its participant's count from: a code coming back continues where its
 * earlier sessions left off. Asked once, when the session starts; from then on the session
 * counts its own answers (src/app/README.md, "One owner for a run's data").
 *
 * The worker keeps every participant's count for the progress view (a study file's from the
 * file, read with the replay), so this asks it rather than the store.
 *
 * Returns: the answers the study holds from @participant
 */
guint
lk_grid_source_count_answers (LkGridSource *self,
                              const char   *participant)
{
  g_return_val_if_fail (LK_IS_GRID_SOURCE (self), 0);
  g_return_val_if_fail (participant != NULL, 0);

  return lk_refine_worker_count_answers_of (lk_grid_source_get_worker (self), participant);
}

/**
 * lk_grid_source_get_worker:
 *
 * Returns: (transfer none): the worker folding the study's phases in, whose snapshots and
 *   progress the views follow
 */
LkRefineWorker *
lk_grid_source_get_worker (LkGridSource *self)
{
  g_return_val_if_fail (LK_IS_GRID_SOURCE (self), NULL);

  return LK_GRID_SOURCE_GET_IFACE (self)->get_worker (self);
}

/**
 * lk_grid_source_dup_next_items:
 * @n_items: (out): how many
 *
 * What the next grid will show, for decoding its images ahead: a hint, which a source that
 * cannot tell (a grid drawn on the spot, an in-memory study) does not give.
 *
 * Returns: (transfer full) (nullable) (array length=n_items): the images of the grid
 *   lk_grid_source_next_grid() would serve now, or %NULL when that is not known
 */
guint *
lk_grid_source_dup_next_items (LkGridSource *self,
                               guint        *n_items)
{
  LkGridSourceInterface *iface;

  g_return_val_if_fail (LK_IS_GRID_SOURCE (self), NULL);
  g_return_val_if_fail (n_items != NULL, NULL);

  *n_items = 0;
  iface = LK_GRID_SOURCE_GET_IFACE (self);

  return iface->dup_next_items != NULL ? iface->dup_next_items (self, n_items) : NULL;
}

/**
 * lk_grid_source_get_n_answered:
 *
 * Returns: the study's answers so far, every session's
 */
guint
lk_grid_source_get_n_answered (LkGridSource *self)
{
  g_return_val_if_fail (LK_IS_GRID_SOURCE (self), 0);

  return lk_refine_worker_get_n_answers (lk_grid_source_get_worker (self));
}

/**
 * lk_grid_source_get_budget:
 *
 * Returns: how many answers the study asks for in all
 */
guint
lk_grid_source_get_budget (LkGridSource *self)
{
  g_return_val_if_fail (LK_IS_GRID_SOURCE (self), 0);

  return lk_refine_worker_get_budget (lk_grid_source_get_worker (self));
}

/**
 * lk_grid_source_is_spent:
 *
 * Returns: %TRUE once the study has as many answers as its budget
 */
gboolean
lk_grid_source_is_spent (LkGridSource *self)
{
  return lk_grid_source_get_n_answered (self) >= lk_grid_source_get_budget (self);
}

/**
 * lk_grid_source_next_trial:
 * @kind: a task kind that is not sorting
 *
 * The next trial of @kind for the session's block of that kind. Trials do not count against
 * the sorting budget.
 *
 * Returns: (transfer full) (nullable): a grid carrying the trial (lk_grid_get_trial()), or
 *   %NULL with @error set if the run cannot give one (a run that serves no such task says so)
 */
LkGrid *
lk_grid_source_next_trial (LkGridSource  *self,
                           LkTaskKind     kind,
                           GError       **error)
{
  LkGridSourceInterface *iface;

  g_return_val_if_fail (LK_IS_GRID_SOURCE (self), NULL);
  g_return_val_if_fail (!lk_task_kind_is_sorting (kind), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  iface = LK_GRID_SOURCE_GET_IFACE (self);
  if (iface->next_trial == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   _("This study cannot give “%s” tasks yet. Change its session plan to "
                     "sorting only."), lk_task_kind_to_string (kind));
      return NULL;
    }

  return iface->next_trial (self, kind, error);
}

/**
 * lk_grid_source_submit_trial:
 * @grid: the grid answered, as lk_grid_source_next_trial() gave it
 * @record: the answered trial and its times
 *
 * Stores one trial's answer durably. As with lk_grid_source_submit(), the session goes on
 * only after this returns %TRUE, and keeps the answer for a retry otherwise.
 *
 * Returns: %TRUE once the answer is stored
 */
gboolean
lk_grid_source_submit_trial (LkGridSource         *self,
                             const LkGrid         *grid,
                             const LkTrialRecord  *record,
                             GError              **error)
{
  LkGridSourceInterface *iface;

  g_return_val_if_fail (LK_IS_GRID_SOURCE (self), FALSE);
  g_return_val_if_fail (grid != NULL && lk_grid_get_trial (grid) != NULL, FALSE);
  g_return_val_if_fail (record != NULL && record->trial != NULL, FALSE);
  g_return_val_if_fail (lk_trial_is_answered (record->trial), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  iface = LK_GRID_SOURCE_GET_IFACE (self);
  if (iface->submit_trial == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                           _("This study cannot store the answers of this task."));
      return FALSE;
    }

  return iface->submit_trial (self, grid, record, error);
}

/**
 * lk_grid_source_count_trials:
 * @participant: a participant code
 *
 * Returns: the trials (of tasks other than sorting) the study holds from @participant; 0 for
 *   a run that keeps none
 */
guint
lk_grid_source_count_trials (LkGridSource *self,
                             const char   *participant)
{
  LkGridSourceInterface *iface;

  g_return_val_if_fail (LK_IS_GRID_SOURCE (self), 0);
  g_return_val_if_fail (participant != NULL, 0);

  iface = LK_GRID_SOURCE_GET_IFACE (self);

  return iface->count_trials != NULL ? iface->count_trials (self, participant) : 0;
}
