/* lk-lab-run-gold.c — a lab station's training and exam blocks, and the grids that check its
 * participants (repeats and catch grids)
 *
 * As a study file's run does (lk-study-run-gold.c, lk-study-run.c), on the lab database:
 * - The training and exam blocks show the study's gold grids, read from the database
 *   (lk_lab_list_gold(); the private copy's while the station is offline). Training answers
 *   are not stored. An exam's answer is stored with its gold grid (lk_lab_submit_marked():
 *   a query of kind exam with query.gold, in the phase under way), counted among the
 *   participant's answers and never given to the model: the lab's refiner replays a snapshot
 *   with the study file's code, which leaves it out, and leaves it out of the phase's count.
 * - A participant below the pass mark is marked not_qualified in the database
 *   (lk_lab_set_qualified()), so every station refuses the code for a plan with an exam.
 * - Repeats and catch grids (repeat-share, gold-share) are chosen by lk_check_grids_next(), as
 *   in a study file, served only while the station is online, and stored with
 *   lk_lab_submit_marked() (query.repeat_of, query.gold); they count among the participant's
 *   grids and in the budget (lk_refine_worker_add_check_answer()), so the counter's "of N"
 *   does not move, and are never given to the model.
 * Each answer carries the client id made for its grid and kept for every retry, so one
 * submitted twice (a lost acknowledgement, a connection that broke before the COMMIT) is stored
 * once. These answers are not journaled: offline, the participant is told and can try again
 * once the server is back, as with a trial.
 * The settings (pass-mark, repeat-share, gold-share) are the database's, read when needed (the
 * copy's offline), so a change with `likeness-cli settings URI` holds for the next session.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n.h>

#include "lk-gold.h"
#include "lk-lab-run-private.h"
#include "lk-participants.h"
#include "lk-qc.h"
#include "lk-session-settings.h"

/* Reads the study's session settings: the database's, or the private copy's offline. */
static gboolean
load_settings (LkLabRun          *self,
               LkSessionSettings *settings,
               GError           **error)
{
  LkLab *lab = _lk_lab_run_get_lab (self);
  g_autoptr(GError) local_error = NULL;

  if (lab != NULL && lk_lab_load_session_settings (lab, settings, &local_error))
    return TRUE;
  if (local_error != NULL)
    {
      g_debug ("the copy's settings stand in: %s", local_error->message);
      lk_session_settings_clear (settings);
    }

  return lk_store_load_session_settings (lk_study_get_store (_lk_lab_run_get_study (self)),
                                         settings, error);
}

/* Returns all the study's gold grids: the database's, or the private copy's offline. */
static GPtrArray *
all_gold (LkLabRun  *self,
          GError   **error)
{
  LkLab *lab = _lk_lab_run_get_lab (self);
  g_autoptr(GError) local_error = NULL;
  GPtrArray *gold;

  if (lab != NULL && (gold = lk_lab_list_gold (lab, &local_error)) != NULL)
    return gold;
  if (local_error != NULL)
    g_debug ("the copy's known answers stand in: %s", local_error->message);

  return lk_gold_list (lk_study_get_store (_lk_lab_run_get_study (self)), error);
}

static GPtrArray *
list_gold (LkGridSource  *source,
           LkTaskKind     kind,
           GError       **error)
{
  LkGoldUse use = kind == LK_TASK_TRAINING ? LK_GOLD_USE_TRAINING : LK_GOLD_USE_EXAM;
  g_autoptr(GPtrArray) all = all_gold (LK_LAB_RUN (source), error);
  GPtrArray *some;

  if (all == NULL)
    return NULL;
  some = g_ptr_array_new_with_free_func ((GDestroyNotify) lk_gold_grid_free);
  for (guint i = 0; i < all->len; i++)
    if (((LkGoldGrid *) g_ptr_array_index (all, i))->use == use)
      g_ptr_array_add (some, g_ptr_array_steal_index (all, i--));

  return some;
}

/* The moves of @record as the lab keeps them. */
static LkMove *
record_moves (const LkAnswerRecord *record)
{
  LkMove *moves = g_new0 (LkMove, MAX (record->n_moves, 1));

  for (guint i = 0; i < record->n_moves; i++)
    moves[i] = (LkMove) {
      .item = record->moves[i].item,
      .from = record->moves[i].from,
      .to = record->moves[i].to,
      .ms = (guint) CLAMP (record->moves[i].ms, 0, G_MAXUINT),
    };

  return moves;
}

/* Stores @record with its mark (lk_lab_submit_marked()) under the grid's client id. */
static gboolean
submit_marked (LkLabRun              *self,
               LkTaskKind             kind,
               gint64                 gold,
               gint64                 repeat_of,
               const LkAnswerRecord  *record,
               GError               **error)
{
  g_autofree LkMove *moves = record_moves (record);
  g_autoptr(GError) local_error = NULL;
  LkLab *lab = _lk_lab_run_get_lab (self);

  if (lab != NULL &&
      _lk_lab_run_ensure_session (self, record->participant, record->pilot, &local_error) &&
      lk_lab_submit_marked (lab, _lk_lab_run_get_client_uuid (self), kind, gold, repeat_of,
                            record->answer, _lk_lab_run_get_session (self), record->shown_us,
                            record->submitted_us, moves, record->n_moves, &local_error) > 0)
    {
      _lk_lab_run_answer_stored (self);
      return TRUE;
    }

  return _lk_lab_run_failed (self, g_steal_pointer (&local_error), error);
}

static gboolean
submit_gold (LkGridSource          *source,
             const LkGoldGrid      *gold,
             LkTaskKind             kind,
             const LkAnswerRecord  *record,
             GError               **error)
{
  LkLabRun *self = LK_LAB_RUN (source);

  if (!submit_marked (self, LK_TASK_EXAM, gold->id, 0, record, error))
    return FALSE;

  /* Counted with the participant's answers, as a study file counts it, but not given to the
   * model. */
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
  LkLabRun *self = LK_LAB_RUN (source);
  g_autoptr(GError) local_error = NULL;
  LkLab *lab = _lk_lab_run_get_lab (self);

  if (lab != NULL && lk_lab_set_qualified (lab, participant, qualified, &local_error))
    return TRUE;

  return _lk_lab_run_failed (self, g_steal_pointer (&local_error), error);
}

/* Whether @participant has not failed the exam: the database says, or offline the copy. */
static gboolean
get_qualified (LkGridSource *source,
               const char   *participant)
{
  LkLabRun *self = LK_LAB_RUN (source);
  g_autoptr(GError) error = NULL;
  LkLab *lab = _lk_lab_run_get_lab (self);
  gboolean qualified = TRUE;

  if (lab != NULL && lk_lab_get_qualified (lab, participant, &qualified, &error))
    return qualified;
  if (error != NULL)
    g_debug ("the copy's participants stand in: %s", error->message);

  return lk_participants_get_qualified (lk_study_get_store (_lk_lab_run_get_study (self)),
                                        participant);
}

/* Returns the study's pass mark, read when asked (a session asks once, at its exam's end). */
static double
get_pass_mark (LkGridSource *source)
{
  g_auto(LkSessionSettings) settings = { 0 };
  g_autoptr(GError) error = NULL;

  if (!load_settings (LK_LAB_RUN (source), &settings, &error))
    {
      g_warning ("Reading the pass mark, %g stands in: %s", LK_QC_PASS_MARK, error->message);
      return LK_QC_PASS_MARK;
    }

  return settings.pass_mark;
}

/* Reads what a session's checks need: the shares from the study's settings and its gold grids.
 * Returns (transfer full) (nullable): the checks, or NULL for none (said in the log). */
LkCheckGrids *
_lk_lab_run_read_checks (LkLabRun *self)
{
  g_auto(LkSessionSettings) settings = { 0 };
  g_autoptr(GError) error = NULL;
  GPtrArray *gold = NULL;

  if (!load_settings (self, &settings, &error))
    {
      g_warning ("No repeated or catch grids in this session: %s", error->message);
      return NULL;
    }
  if (settings.gold_share > 0)
    {
      gold = all_gold (self, &error);
      if (gold == NULL)
        g_warning ("No catch grids in this session: %s", error->message);
    }

  return lk_check_grids_new (settings.repeat_share, settings.gold_share, gold,
                             _lk_lab_run_get_params (self));
}

/* Stores the answer to the check grid served last and counts it for its participant; the
 * model is not given it. */
gboolean
_lk_lab_run_submit_check (LkLabRun              *self,
                          const LkGrid          *grid,
                          const LkAnswerRecord  *record,
                          GError               **error)
{
  LkCheckGrids *checks = _lk_lab_run_get_checks (self);

  if (!lk_check_grids_is_served (checks, lk_grid_get_query (grid)))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("The answer is to a grid the study did not serve"));
      return FALSE;
    }
  if (!submit_marked (self, LK_TASK_SORT, lk_check_grids_get_gold (checks),
                      lk_check_grids_get_repeat_of (checks), record, error))
    return FALSE;
  lk_check_grids_check_done (checks);
  lk_refine_worker_add_check_answer (lk_grid_source_get_worker (LK_GRID_SOURCE (self)),
                                     record->participant,
                                     (record->submitted_us - record->shown_us)
                                     / (double) G_USEC_PER_SEC);

  return TRUE;
}

void
_lk_lab_run_gold_init (LkGridSourceInterface *iface)
{
  iface->list_gold = list_gold;
  iface->submit_gold = submit_gold;
  iface->set_qualified = set_qualified;
  iface->get_qualified = get_qualified;
  iface->get_pass_mark = get_pass_mark;
}
