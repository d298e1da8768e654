/* lk-answer-saver.h — where a submitted answer goes before the next grid is shown
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "lk-query.h"
#include "lk-sort-model.h"

G_BEGIN_DECLS

/**
 * LkAnswerRecord:
 * @participant: the participant code
 * @pilot: %TRUE for pilot data
 * @grid: 0-based number of the recorded grid in this session
 * @phase: the refinement phase the query belongs to
 * @answer: the answered query (items in display order, bins)
 * @moves: (array length=n_moves): the move log, undos included
 * @n_moves: its length
 * @shown_us: wall-clock time the grid was shown (g_get_real_time())
 * @submitted_us: wall-clock time it was submitted
 *
 * Everything a study keeps about one answer. Borrowed for the duration of the save call.
 */
typedef struct {
  const char       *participant;
  gboolean          pilot;
  guint             grid;
  guint             phase;
  const LkQuery    *answer;
  const LkSortMove *moves;
  guint             n_moves;
  gint64            shown_us;
  gint64            submitted_us;
} LkAnswerRecord;

#define LK_TYPE_ANSWER_SAVER (lk_answer_saver_get_type ())

G_DECLARE_INTERFACE (LkAnswerSaver, lk_answer_saver, LK, ANSWER_SAVER, GObject)

struct _LkAnswerSaverInterface
{
  GTypeInterface parent_iface;

  gboolean (*save) (LkAnswerSaver         *self,
                    const LkAnswerRecord  *record,
                    GError               **error);
};

gboolean lk_answer_saver_save (LkAnswerSaver         *self,
                               const LkAnswerRecord  *record,
                               GError               **error);

G_END_DECLS
