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
