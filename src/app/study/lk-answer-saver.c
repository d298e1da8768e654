/* lk-answer-saver.c — where a submitted answer goes before the next grid is shown
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "lk-answer-saver.h"

G_DEFINE_INTERFACE (LkAnswerSaver, lk_answer_saver, G_TYPE_OBJECT)

static void
lk_answer_saver_default_init (LkAnswerSaverInterface *iface)
{
}

/**
 * lk_answer_saver_save:
 * @record: the answer and its move log
 *
 * Writes one answer durably. The session shows the next grid only after this returns %TRUE;
 * on failure it keeps the answer and offers to retry.
 *
 * Returns: %TRUE once the answer is stored
 */
gboolean
lk_answer_saver_save (LkAnswerSaver         *self,
                      const LkAnswerRecord  *record,
                      GError               **error)
{
  g_return_val_if_fail (LK_IS_ANSWER_SAVER (self), FALSE);
  g_return_val_if_fail (record != NULL && record->answer != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return LK_ANSWER_SAVER_GET_IFACE (self)->save (self, record, error);
}

/**
 * lk_answer_saver_has_queue:
 *
 * Returns: %TRUE if the saver hands out the study's queries (lk_answer_saver_next_query()), so
 *   that the session asks it for each grid instead of drawing its own
 */
gboolean
lk_answer_saver_has_queue (LkAnswerSaver *self)
{
  g_return_val_if_fail (LK_IS_ANSWER_SAVER (self), FALSE);

  return LK_ANSWER_SAVER_GET_IFACE (self)->next_query != NULL;
}

/**
 * lk_answer_saver_next_query:
 * @query_id: (out): the study's id of the query, for #LkAnswerRecord.query_id
 * @phase: (out): the refinement phase it belongs to
 *
 * The next unanswered grid of the study: the oldest one still open, or the first of a newly
 * drawn phase once the last phase is fully answered.
 *
 * Returns: (transfer full) (nullable): the query, or %NULL when the study is complete (@error
 *   unset) or the next grid could not be prepared (@error set)
 */
LkQuery *
lk_answer_saver_next_query (LkAnswerSaver  *self,
                            gint64         *query_id,
                            guint          *phase,
                            GError        **error)
{
  g_return_val_if_fail (lk_answer_saver_has_queue (self), NULL);
  g_return_val_if_fail (query_id != NULL && phase != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return LK_ANSWER_SAVER_GET_IFACE (self)->next_query (self, query_id, phase, error);
}

/**
 * lk_answer_saver_get_n_answered:
 *
 * Returns: how many answers the study held before this session (0 for a saver without a
 *   study behind it)
 */
guint
lk_answer_saver_get_n_answered (LkAnswerSaver *self)
{
  LkAnswerSaverInterface *iface;

  g_return_val_if_fail (LK_IS_ANSWER_SAVER (self), 0);

  iface = LK_ANSWER_SAVER_GET_IFACE (self);

  return iface->get_n_answered != NULL ? iface->get_n_answered (self) : 0;
}

/**
 * lk_answer_saver_end:
 *
 * Records that the session is over (finished, or left by the experimenter). A session that
 * never ends (the app was killed) stays open in the study, and its grids are served again.
 *
 * Returns: %FALSE with @error set if that could not be written
 */
gboolean
lk_answer_saver_end (LkAnswerSaver  *self,
                     GError        **error)
{
  LkAnswerSaverInterface *iface;

  g_return_val_if_fail (LK_IS_ANSWER_SAVER (self), FALSE);

  iface = LK_ANSWER_SAVER_GET_IFACE (self);

  return iface->end != NULL ? iface->end (self, error) : TRUE;
}

/**
 * lk_answer_saver_get_refine_worker:
 *
 * Returns: (transfer none) (nullable): the worker folding the study's phases in, for a saver
 *   that keeps the study's queue and has one
 */
LkRefineWorker *
lk_answer_saver_get_refine_worker (LkAnswerSaver *self)
{
  LkAnswerSaverInterface *iface;

  g_return_val_if_fail (LK_IS_ANSWER_SAVER (self), NULL);

  iface = LK_ANSWER_SAVER_GET_IFACE (self);

  return iface->get_refine_worker != NULL ? iface->get_refine_worker (self) : NULL;
}
