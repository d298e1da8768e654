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

#include "lk-grid-source.h"

struct _LkGrid
{
  LkQuery  *query;
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

LkGrid *
lk_grid_copy (const LkGrid *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return lk_grid_new (lk_query_copy (self->query), self->query_id, self->phase, self->drawn);
}

void
lk_grid_free (LkGrid *self)
{
  if (self == NULL)
    return;
  lk_query_free (self->query);
  g_free (self);
}

/**
 * lk_grid_get_query:
 *
 * Returns: (transfer none): the grid's images, in display order
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
