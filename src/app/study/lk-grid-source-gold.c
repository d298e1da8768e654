/* lk-grid-source-gold.c — what a run gives a session's training and exam blocks: the study's
 * gold grids (known answers), where an exam answer goes, and who failed the exam
 *
 * A run without gold grids (an in-memory demo) leaves the vfuncs unset: it has
 * none to list, stores no exam answer and keeps nobody's qualification; the session then
 * refuses a plan with a training or exam block (lk_session_set_plan()).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n.h>

#include "lk-grid-source.h"
#include "lk-qc.h"

/**
 * lk_grid_source_list_gold:
 * @kind: %LK_TASK_TRAINING or %LK_TASK_EXAM
 *
 * Returns: (transfer full) (element-type LkGoldGrid): the study's gold grids kept for @kind's
 *   blocks, in the order a block shows them (empty for a run that has none), or %NULL with
 *   @error set if they could not be read
 */
GPtrArray *
lk_grid_source_list_gold (LkGridSource  *self,
                          LkTaskKind     kind,
                          GError       **error)
{
  LkGridSourceInterface *iface;

  g_return_val_if_fail (LK_IS_GRID_SOURCE (self), NULL);
  g_return_val_if_fail (kind == LK_TASK_TRAINING || kind == LK_TASK_EXAM, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  iface = LK_GRID_SOURCE_GET_IFACE (self);
  if (iface->list_gold == NULL)
    return g_ptr_array_new_with_free_func ((GDestroyNotify) lk_gold_grid_free);

  return iface->list_gold (self, kind, error);
}

/**
 * lk_grid_source_submit_gold:
 * @gold: the gold grid shown
 * @kind: the block it was shown in (%LK_TASK_EXAM)
 * @record: the answer, its images in @gold's display order, and its move log
 *
 * Stores an exam answer durably with the gold grid it showed, so that the participants'
 * quality figures count it. It does not go to the refinement. As with lk_grid_source_submit(),
 * the session goes on only once this returns %TRUE.
 *
 * Returns: %TRUE once the answer is stored
 */
gboolean
lk_grid_source_submit_gold (LkGridSource          *self,
                            const LkGoldGrid      *gold,
                            LkTaskKind             kind,
                            const LkAnswerRecord  *record,
                            GError               **error)
{
  LkGridSourceInterface *iface;

  g_return_val_if_fail (LK_IS_GRID_SOURCE (self), FALSE);
  g_return_val_if_fail (gold != NULL, FALSE);
  g_return_val_if_fail (record != NULL && record->answer != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  iface = LK_GRID_SOURCE_GET_IFACE (self);
  if (iface->submit_gold == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                           _("This study cannot store the answers of an exam."));
      return FALSE;
    }

  return iface->submit_gold (self, gold, kind, record, error);
}

/**
 * lk_grid_source_set_qualified:
 * @participant: a participant code
 * @qualified: %FALSE when they failed the exam
 *
 * Records the exam's outcome: a participant who failed is left out of the model, their
 * answers kept. A run that keeps no qualification does nothing.
 *
 * Returns: %FALSE with @error set if it could not be written
 */
gboolean
lk_grid_source_set_qualified (LkGridSource  *self,
                              const char    *participant,
                              gboolean       qualified,
                              GError       **error)
{
  LkGridSourceInterface *iface;

  g_return_val_if_fail (LK_IS_GRID_SOURCE (self), FALSE);
  g_return_val_if_fail (participant != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  iface = LK_GRID_SOURCE_GET_IFACE (self);
  if (iface->set_qualified == NULL)
    return TRUE;

  return iface->set_qualified (self, participant, qualified, error);
}

/**
 * lk_grid_source_get_qualified:
 * @participant: a participant code
 *
 * Returns: %FALSE if @participant failed the study's exam; %TRUE otherwise (new codes too)
 */
gboolean
lk_grid_source_get_qualified (LkGridSource *self,
                              const char   *participant)
{
  LkGridSourceInterface *iface;

  g_return_val_if_fail (LK_IS_GRID_SOURCE (self), TRUE);
  g_return_val_if_fail (participant != NULL, TRUE);

  iface = LK_GRID_SOURCE_GET_IFACE (self);

  return iface->get_qualified == NULL || iface->get_qualified (self, participant);
}

/**
 * lk_grid_source_get_pass_mark:
 *
 * Returns: the exam's pass mark (0 to 100): the study's setting `pass-mark`, or
 *   %LK_QC_PASS_MARK for a run without settings
 */
double
lk_grid_source_get_pass_mark (LkGridSource *self)
{
  LkGridSourceInterface *iface;

  g_return_val_if_fail (LK_IS_GRID_SOURCE (self), LK_QC_PASS_MARK);

  iface = LK_GRID_SOURCE_GET_IFACE (self);

  return iface->get_pass_mark != NULL ? iface->get_pass_mark (self) : LK_QC_PASS_MARK;
}
