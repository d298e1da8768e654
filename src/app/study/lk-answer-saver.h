/* lk-answer-saver.h — where a submitted answer goes before the next grid is shown
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "lk-query.h"
#include "lk-refine-worker.h"
#include "lk-sort-model.h"

G_BEGIN_DECLS

/**
 * LkAnswerRecord:
 * @participant: the participant code
 * @pilot: %TRUE for pilot data
 * @grid: 0-based number of the recorded grid in this session
 * @phase: the refinement phase the query belongs to
 * @query_id: the study's id of the query answered (from lk_answer_saver_next_query()), or 0
 * @drawn: %TRUE if the grid was drawn on the spot because the phase's queue had run dry while
 *   the refinement worker was updating (then @query_id is 0 for a study file)
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
  gint64            query_id;
  gboolean          drawn;
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

  gboolean (*save)           (LkAnswerSaver         *self,
                              const LkAnswerRecord  *record,
                              GError               **error);

  /* Optional: a saver that is a study file also keeps the study's queue of queries. */
  LkQuery *(*next_query)     (LkAnswerSaver         *self,
                              gint64                *query_id,
                              guint                 *phase,
                              GError               **error);
  guint    (*get_n_answered) (LkAnswerSaver         *self);
  gboolean (*end)            (LkAnswerSaver         *self,
                              GError               **error);
  /* Optional: a saver that keeps the queue may fold phases in on a refinement worker. */
  LkRefineWorker *(*get_refine_worker) (LkAnswerSaver *self);
};

gboolean lk_answer_saver_save           (LkAnswerSaver         *self,
                                         const LkAnswerRecord  *record,
                                         GError               **error);
gboolean lk_answer_saver_has_queue      (LkAnswerSaver         *self);
LkQuery *lk_answer_saver_next_query     (LkAnswerSaver         *self,
                                         gint64                *query_id,
                                         guint                 *phase,
                                         GError               **error) G_GNUC_WARN_UNUSED_RESULT;
guint    lk_answer_saver_get_n_answered (LkAnswerSaver         *self);
gboolean lk_answer_saver_end            (LkAnswerSaver         *self,
                                         GError               **error);
LkRefineWorker *lk_answer_saver_get_refine_worker (LkAnswerSaver *self);

G_END_DECLS
