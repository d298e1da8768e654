/* lk-study-run-gold.c — a study file's training and exam blocks: its gold grids, the exam's
 * answers stored with the gold grid they showed, and the participants who failed
 *
 * A training block shows the study's gold grids kept for training, an exam block those kept
 * for the exam, each in the order they were added. An exam answer is one transaction
 * (lk_gold_save_answer()): a query of kind 'exam' with query.gold, answered, so that the
 * participants' quality figures (lk_participants_list()) count it; it is not given to the
 * model, and the replay leaves it out too, so the live model and the replayed one agree. The
 * worker counts it among the participant's answers, as the file's count does.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "lk-gold.h"
#include "lk-participants.h"
#include "lk-qc.h"
#include "lk-session-settings.h"
#include "lk-study-run-private.h"

static GPtrArray *
list_gold (LkGridSource  *source,
           LkTaskKind     kind,
           GError       **error)
{
  LkStore *store = lk_study_get_store (lk_study_run_get_study (LK_STUDY_RUN (source)));
  LkGoldUse use = kind == LK_TASK_TRAINING ? LK_GOLD_USE_TRAINING : LK_GOLD_USE_EXAM;
  g_autoptr(GPtrArray) all = lk_gold_list (store, error);
  GPtrArray *some;

  if (all == NULL)
    return NULL;
  some = g_ptr_array_new_with_free_func ((GDestroyNotify) lk_gold_grid_free);
  for (guint i = 0; i < all->len; i++)
    {
      LkGoldGrid *gold = g_ptr_array_index (all, i);

      if (gold->use == use)
        g_ptr_array_add (some, g_ptr_array_steal_index (all, i--));
    }

  return some;
}

static gboolean
submit_gold (LkGridSource          *source,
             const LkGoldGrid      *gold,
             LkTaskKind             kind,
             const LkAnswerRecord  *record,
             GError               **error)
{
  LkStudyRun *self = LK_STUDY_RUN (source);
  LkStore *store = lk_study_get_store (lk_study_run_get_study (self));
  g_autofree LkMove *moves = g_new0 (LkMove, MAX (record->n_moves, 1));

  if (!_lk_study_run_ensure_session (self, record->participant, record->pilot, error))
    return FALSE;
  for (guint i = 0; i < record->n_moves; i++)
    moves[i] = (LkMove) {
      .item = record->moves[i].item,
      .from = record->moves[i].from,
      .to = record->moves[i].to,
      .ms = (guint) CLAMP (record->moves[i].ms, 0, G_MAXUINT),
    };

  if (lk_gold_save_answer (store, gold->id, kind, record->answer,
                           lk_study_run_get_session_id (self), record->shown_us,
                           record->submitted_us, moves, record->n_moves, error) == 0)
    return FALSE;

  /* Counted with the participant's answers, as a run made later counts it from the file (a
   * code coming back goes on after its exam), but not given to the model. */
  {
    g_autoptr(GHashTable) one = g_hash_table_new (g_str_hash, g_str_equal);

    g_hash_table_insert (one, (gpointer) record->participant, GUINT_TO_POINTER (1));
    lk_refine_worker_add_past_answers (lk_grid_source_get_worker (source), one, NULL, 0);
  }

  return TRUE;
}

static gboolean
set_qualified (LkGridSource  *source,
               const char    *participant,
               gboolean       qualified,
               GError       **error)
{
  LkStore *store = lk_study_get_store (lk_study_run_get_study (LK_STUDY_RUN (source)));

  return lk_participants_set_qualified (store, participant, qualified, error);
}

static gboolean
get_qualified (LkGridSource *source,
               const char   *participant)
{
  LkStore *store = lk_study_get_store (lk_study_run_get_study (LK_STUDY_RUN (source)));

  return lk_participants_get_qualified (store, participant);
}

/* Returns the study's pass mark, read when asked (a session asks once, at its exam's end). */
static double
get_pass_mark (LkGridSource *source)
{
  LkStore *store = lk_study_get_store (lk_study_run_get_study (LK_STUDY_RUN (source)));
  g_auto(LkSessionSettings) settings = { 0 };
  g_autoptr(GError) error = NULL;

  if (!lk_store_load_session_settings (store, &settings, &error))
    {
      g_warning ("Reading the pass mark, %g stands in: %s", LK_QC_PASS_MARK, error->message);
      return LK_QC_PASS_MARK;
    }

  return settings.pass_mark;
}

void
_lk_study_run_gold_init (LkGridSourceInterface *iface)
{
  iface->list_gold = list_gold;
  iface->submit_gold = submit_gold;
  iface->set_qualified = set_qualified;
  iface->get_qualified = get_qualified;
  iface->get_pass_mark = get_pass_mark;
}
