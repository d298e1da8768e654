/* lk-replay.c — the refinement rebuilt from the study file
 *
 * The refinement's in-memory state is never saved as such: lk_answers_rebuild() replays the file.
 * For each phase it draws the same number of queries the phase drew (so the refiner's generator
 * advances exactly as it did), adds the phase's answers in the order they were committed, and
 * ends the phases that were ended. Drawing and updating are deterministic under the study's
 * seed, so the replay reproduces the queries and embeddings of the original run; it checks
 * both against the file and reports whether they matched (a newer core may compute differently).
 * Trials (tasks other than sorting, lk-answers-trial.c) are added with lk_refiner_add_trial()
 * among the phase's sorting answers, all in the order the answers were committed; they are
 * not grids of the batch, so the draws and the phase ends do not count them.
 *
 * Each answer carries its participant as a dense worker index (lk_answers_get_query(): the
 * participants numbered in the order of their rows), for the methods that model the workers
 * (crowdcluster, cen). The answers of a participant left out of the model
 * (participant_excluded, lk-participants.c) are skipped as if they had never been given, but
 * the phase's grids are still drawn, so the result is exactly that of the same study file
 * without those answers; the stored embeddings, computed with them, then no longer match.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <math.h>
#include <string.h>

#include "lk-answers.h"

#include "lk-store-private.h"

/* Sets @matches to whether the stored embedding of @phase equals @embedding to 1e-9 (FALSE if
 * the file has none); returns FALSE with @error if it could not be read. */
static gboolean
embedding_matches (LkStore            *store,
                   guint               phase,
                   const LkEmbedding  *embedding,
                   gboolean           *matches,
                   GError            **error)
{
  sqlite3_stmt *stmt;
  int rc;

  *matches = FALSE;
  stmt = lk_store_prepare (store, "SELECT embedding FROM phase WHERE phase = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int (stmt, 1, phase);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      gsize n = (gsize) lk_embedding_get_n_items (embedding) * lk_embedding_get_dim (embedding);
      const guint64 *blob = sqlite3_column_blob (stmt, 0);
      gboolean same = (gsize) sqlite3_column_bytes (stmt, 0) == n * sizeof (guint64);

      for (gsize i = 0; same && i < n; i++)
        {
          union { double d; guint64 u; } v = { .u = GUINT64_FROM_LE (blob[i]) };

          same = fabs (v.d - lk_embedding_get_data (embedding)[i]) <= 1e-9;
        }
      *matches = same;
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      lk_store_set_error (store, error, rc, "Reading a phase's embedding");
      return FALSE;
    }

  return TRUE;
}

/* Draws @drawn queries from @refiner, as @phase did, and clears @same unless they are the
 * queries the file stored for it; returns FALSE with @error if the file could not be read. */
static gboolean
replay_draws (LkStore    *store,
              LkRefiner  *refiner,
              gint64      phase,
              gint64      drawn,
              gboolean   *same,
              GError    **error)
{
  g_autoptr(GPtrArray) queries = lk_refiner_select_queries (refiner, drawn);
  g_autoptr(GArray) ids = NULL;

  /* All the ids first, so that a failed step is told from the end of the rows. */
  ids = lk_store_query_ids (store, "SELECT id FROM query WHERE drawn = 1 AND phase = ? ORDER BY id",
                            phase, "Reading the queries", error);
  if (ids == NULL)
    return FALSE;
  for (guint i = 0; *same && i < ids->len && i < queries->len; i++)
    {
      g_autoptr(GArray) items = lk_answers_load_items (store, g_array_index (ids, gint64, i), error);
      const LkQuery *q = g_ptr_array_index (queries, i);

      if (items == NULL)
        return FALSE;
      *same = items->len == lk_query_get_n_items (q) &&
              memcmp (items->data, lk_query_get_items (q), items->len * sizeof (guint)) == 0;
    }

  return TRUE;
}

/* The replay of lk_answers_rebuild(). A run that ended a phase in the app (on its worker
 * thread) stores the phase and the next batch in one transaction (lk_answers_store_phase());
 * if the app was killed before that, the file holds the phase's answers, maybe answers to grids
 * drawn on the spot for the next phase, and no phase row. The replay then does what the run
 * did: it ends the phase, and when spot answers follow, it selects the next batch before adding
 * them, so the generator advances as it did in the run. @pending (nullable) receives what the
 * file is missing. Every read that fails ends the replay with its error, and only that one. */
static LkRefiner *
rebuild (LkStore             *store,
         gboolean            *reproduced,
         LkAnswersPending    *pending,
         LkAnswersPhaseFunc   phase_func,
         gpointer             user_data,
         GError             **error)
{
  g_autoptr(LkRefiner) refiner = NULL;
  gboolean same = TRUE, ended_unstored = FALSE;
  gint64 n_items, phases_done, last_phase, last_trial_phase;
  GError *local_error = NULL;

  g_return_val_if_fail (store != NULL, NULL);

  /* last_phase is -1 when no query was drawn yet, so it cannot also mean a failed read. */
  if (!lk_store_query_int (store, "SELECT count(*) FROM image", 0, &n_items, error) ||
      !lk_store_query_int (store, "SELECT count(*) FROM phase", 0, &phases_done, error) ||
      !lk_store_query_int (store, "SELECT coalesce(max(phase), -1) FROM query q WHERE NOT "
                           LK_STORE_SQL_IS_TRIAL, 0, &last_phase, error) ||
      !lk_store_query_int (store, "SELECT coalesce(max(phase), -1) FROM query q WHERE "
                           LK_STORE_SQL_IS_TRIAL, 0, &last_trial_phase, error))
    return NULL;

  refiner = lk_refiner_new (n_items, lk_store_get_params (store), lk_store_get_method (store),
                            &local_error);
  if (refiner == NULL)
    {
      g_set_error (error, LK_STORE_ERROR, LK_STORE_ERROR_INVALID,
                   "The study's parameters do not fit its %" G_GINT64_FORMAT " images: %s",
                   n_items, local_error->message);
      g_error_free (local_error);
      return NULL;
    }

  /* A trial answered after the last phase ended, or before any grid was drawn, has a phase of
   * its own past the sorting ones: nothing is drawn or ended there. */
  for (gint64 phase = 0; phase <= MAX (MAX (last_phase, phases_done - 1), last_trial_phase);
       phase++)
    {
      g_autoptr(GArray) answered = NULL;
      g_autoptr(GArray) trials = NULL;
      gint64 drawn, spot;

      if (!lk_store_query_int (store, "SELECT count(*) FROM query WHERE drawn = 1 AND phase = ?",
                               phase, &drawn, error) ||
          !lk_store_query_int (store, "SELECT count(*) FROM query WHERE policy = '"
                               LK_ANSWERS_POLICY_SPOT "' AND phase = ?", phase, &spot, error))
        return NULL;

      if (drawn == 0 && spot > 0 && ended_unstored && !lk_refiner_is_done (refiner))
        {
          GPtrArray *batch = lk_refiner_select_queries (refiner,
                                                        lk_refiner_get_batch_size (refiner));

          if (pending != NULL)
            pending->batch = batch;
          else
            g_ptr_array_unref (batch);
        }
      else if (drawn > 0 && !replay_draws (store, refiner, phase, drawn, &same, error))
        return NULL;

      /* The phase's answered queries, in the order their answers were committed; answers
       * stored but left out of the model (a crowd platform's rejected assignments, a
       * participant left out, a grid that checks its participant: a repeat, a catch grid or
       * the answers to a training or exam block's gold grids) are not. */
      answered = lk_store_query_ids (store, "SELECT a.query FROM answer a JOIN query q "
                                     "ON q.id = a.query WHERE q.phase = ? AND NOT "
                                     LK_STORE_SQL_IS_CHECK " AND NOT "
                                     LK_STORE_SQL_IS_GOLD_TASK " AND "
                                     LK_STORE_SQL_ANSWER_COUNTS " AND "
                                     LK_STORE_SQL_ANSWER_IN_MODEL " ORDER BY a.id", phase,
                                     "Reading the answers", error);
      if (answered == NULL)
        return NULL;
      /* The same condition as the answers, so that the trials are a sublist of them. */
      trials = lk_store_query_ids (store, "SELECT a.query FROM answer a JOIN query q "
                                   "ON q.id = a.query WHERE q.phase = ? AND "
                                   LK_STORE_SQL_IS_TRIAL " AND " LK_STORE_SQL_ANSWER_COUNTS
                                   " AND " LK_STORE_SQL_ANSWER_IN_MODEL
                                   " ORDER BY a.id", phase, "Reading the trials", error);
      if (trials == NULL)
        return NULL;
      for (guint i = 0, t = 0; i < answered->len; i++)
        {
          gint64 query = g_array_index (answered, gint64, i);

          /* Both lists are in answer order and the trials are a sublist of the answers. */
          if (t < trials->len && g_array_index (trials, gint64, t) == query)
            {
              g_autoptr(LkTrial) trial = lk_answers_get_trial (store, query, error);

              if (trial == NULL)
                return NULL;
              lk_refiner_add_trial (refiner, trial);
              t++;
            }
          else
            {
              g_autoptr(LkQuery) q = lk_answers_get_query (store, query, NULL, error);

              if (q == NULL)
                return NULL;
              lk_refiner_add_answer (refiner, q);
            }
        }

      ended_unstored = FALSE;
      if (phase < phases_done)
        {
          LkUpdateStats stats = { 0 };
          gboolean matches;

          lk_refiner_end_phase (refiner, &stats);
          if (!embedding_matches (store, phase, lk_refiner_get_embedding (refiner), &matches,
                                  error))
            return NULL;
          same = same && matches;
          if (phase_func != NULL)
            phase_func (refiner, &stats, user_data);
        }
      else if (phase < last_phase && !lk_refiner_is_done (refiner))
        {
          LkUpdateStats stats = { 0 };

          /* Later grids exist, so this phase was ended, but its row never made it. */
          lk_refiner_end_phase (refiner, &stats);
          ended_unstored = TRUE;
          if (pending != NULL)
            {
              pending->phase_missing = TRUE;
              pending->stats = stats;
              pending->n_answers = lk_refiner_get_answers (refiner)->len;
            }
          if (phase_func != NULL)
            phase_func (refiner, &stats, user_data);
        }
    }

  if (reproduced != NULL)
    *reproduced = same;

  return g_steal_pointer (&refiner);
}

/**
 * lk_answers_rebuild:
 * @store: a study
 * @reproduced: (out) (optional): whether the replay drew the stored queries and computed the
 *   stored embeddings
 * @error: return location for a #GError
 *
 * Rebuilds the refinement from the file: a refiner for the collection and the study's method
 * and parameters, with every stored answer added phase by phase and the completed phases
 * ended, ready to go on where the last stored answer left off. A phase whose run was cut short
 * is ended in the replay as the run would have (see lk_answers_rebuild_and_repair(), which also
 * stores it).
 *
 * Returns: (transfer full) (nullable): the refiner, or %NULL with @error set
 */
LkRefiner *
lk_answers_rebuild (LkStore   *store,
                    gboolean  *reproduced,
                    GError   **error)
{
  g_return_val_if_fail (store != NULL, NULL);

  return rebuild (store, reproduced, NULL, NULL, NULL, error);
}

/**
 * lk_answers_replay:
 * @store: a study, open read-only or for writing; only read
 * @pending: (out caller-allocates): what a refinement run cut short left out of the file; free
 *   its batch with lk_answers_pending_clear()
 * @phase_func: (nullable) (scope call): called right after each phase the replay ends, with
 *   the refiner as it is then (for the app's per-phase snapshots)
 * @user_data: for @phase_func
 * @error: return location for a #GError
 *
 * The reading half of lk_answers_rebuild_and_repair(): it writes nothing, so it can run on a
 * worker thread with a read-only connection of its own while the study's writer goes on being
 * used; lk_answers_repair() then writes what @pending says is missing, with the writer.
 *
 * Returns: (transfer full) (nullable): the refiner, or %NULL with @error set
 */
LkRefiner *
lk_answers_replay (LkStore             *store,
                   LkAnswersPending    *pending,
                   LkAnswersPhaseFunc   phase_func,
                   gpointer             user_data,
                   GError             **error)
{
  g_return_val_if_fail (store != NULL && pending != NULL, NULL);

  *pending = (LkAnswersPending) { 0 };

  return rebuild (store, NULL, pending, phase_func, user_data, error);
}

/**
 * lk_answers_repair:
 * @store: the study lk_answers_replay() read, open for writing
 * @refiner: the refiner the replay returned
 * @pending: what the replay found missing
 * @repaired: (out) (optional): set to %TRUE if a phase cut short was stored
 * @error: return location for a #GError
 *
 * The writing half of lk_answers_rebuild_and_repair(): stores the phase a run cut short, with
 * the batch that followed it, in one transaction; does nothing if none was.
 *
 * Returns: %TRUE on success
 */
gboolean
lk_answers_repair (LkStore           *store,
                   const LkRefiner   *refiner,
                   LkAnswersPending  *pending,
                   gboolean          *repaired,
                   GError           **error)
{
  g_return_val_if_fail (store != NULL && refiner != NULL && pending != NULL, FALSE);

  if (repaired != NULL)
    *repaired = FALSE;
  if (!pending->phase_missing)
    return TRUE;

  /* The refiner is past the missing phase and may hold spot answers of the next one; the
   * phase row wants the embedding right after the update, which adding answers leaves as is. */
  if (!lk_answers_store_phase_counted (store, refiner, &pending->stats, pending->n_answers,
                                       pending->batch, NULL, error))
    return FALSE;
  pending->phase_missing = FALSE;
  if (repaired != NULL)
    *repaired = TRUE;

  return TRUE;
}

/**
 * lk_answers_pending_clear:
 *
 * Frees what @pending holds, and empties it.
 */
void
lk_answers_pending_clear (LkAnswersPending *pending)
{
  g_return_if_fail (pending != NULL);

  g_clear_pointer (&pending->batch, g_ptr_array_unref);
  *pending = (LkAnswersPending) { 0 };
}

/**
 * lk_answers_rebuild_and_repair:
 * @store: a study open for writing
 * @repaired: (out) (optional): set to %TRUE if a phase cut short was stored
 * @phase_func: (nullable) (scope call): called right after each phase the replay ends, with
 *   the refiner as it is then (for the app's per-phase snapshots)
 * @user_data: for @phase_func
 * @error: return location for a #GError
 *
 * As lk_answers_rebuild(); and when the app was killed while a refinement run was ending a
 * phase, stores what that run would have stored (the phase's embedding and the next batch, in
 * one transaction), so the file is whole again and the study goes on as if the run had ended.
 * lk_answers_replay() then lk_answers_repair().
 *
 * Returns: (transfer full) (nullable): the refiner, or %NULL with @error set
 */
LkRefiner *
lk_answers_rebuild_and_repair (LkStore             *store,
                               gboolean            *repaired,
                               LkAnswersPhaseFunc   phase_func,
                               gpointer             user_data,
                               GError             **error)
{
  LkAnswersPending pending;
  g_autoptr(LkRefiner) refiner = NULL;
  gboolean ok;

  g_return_val_if_fail (store != NULL, NULL);

  if (repaired != NULL)
    *repaired = FALSE;
  refiner = lk_answers_replay (store, &pending, phase_func, user_data, error);
  if (refiner == NULL)
    {
      lk_answers_pending_clear (&pending);
      return NULL;
    }
  ok = lk_answers_repair (store, refiner, &pending, repaired, error);
  lk_answers_pending_clear (&pending);

  return ok ? g_steal_pointer (&refiner) : NULL;
}
