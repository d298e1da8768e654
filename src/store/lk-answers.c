/* lk-answers.c — each answer is one transaction, committed before lk_answers_save() returns
 *
 * The refinement's in-memory state is never saved as such: lk_answers_rebuild() (lk-replay.c)
 * replays the file. That is why a phase draws once: lk_answers_draw_queries() refuses a second
 * draw in a phase.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <math.h>
#include <string.h>

#include "lk-answers.h"

#include "lk-store-private.h"

static const char *state_names[] = { "pending", "served", "answered", "abandoned" };

static gint
compare_items (gconstpointer a,
               gconstpointer b)
{
  guint x = *(const guint *) a, y = *(const guint *) b;

  return x < y ? -1 : x > y;
}

/* Returns the query's items in display order (a GArray of guint), or NULL with @error. */
GArray *
lk_answers_load_items (LkStore  *store,
                       gint64    query,
                       GError  **error)
{
  sqlite3_stmt *stmt;
  GArray *items;
  int rc;

  stmt = lk_store_prepare (store,
                           "SELECT item FROM query_item WHERE query = ? ORDER BY position", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, query);
  items = g_array_new (FALSE, FALSE, sizeof (guint));
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      guint item = sqlite3_column_int (stmt, 0);

      g_array_append_val (items, item);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      lk_store_set_error (store, error, rc, "Reading a query");
      g_array_unref (items);
      return NULL;
    }

  /* A grid shows each image once; the evidence code cannot take one at two places. Checked here,
   * where every reader of a grid passes, rather than by a sort of every grid on open. */
  {
    g_autoptr(GArray) sorted = g_array_copy (items);

    g_array_sort (sorted, compare_items);
    for (guint i = 1; i < sorted->len; i++)
      if (g_array_index (sorted, guint, i) == g_array_index (sorted, guint, i - 1))
        {
          g_set_error (error, LK_STORE_ERROR, LK_STORE_ERROR_DAMAGED,
                       "Query %" G_GINT64_FORMAT " shows image %u at two positions (likeness-cli "
                       "check lists every such row) - %s", query,
                       g_array_index (sorted, guint, i), store->path);
          g_array_unref (items);
          return NULL;
        }
  }

  return items;
}

/* Returns the bins of @answer by position (a GArray of gint), or NULL with @error. */
static GArray *
load_bins (LkStore  *store,
           gint64    answer,
           GError  **error)
{
  sqlite3_stmt *stmt;
  GArray *bins;
  int rc;

  stmt = lk_store_prepare (store,
                           "SELECT bin FROM answer_bin WHERE answer = ? ORDER BY position", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, answer);
  bins = g_array_new (FALSE, FALSE, sizeof (gint));
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint bin = sqlite3_column_int (stmt, 0);

      g_array_append_val (bins, bin);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      lk_store_set_error (store, error, rc, "Reading an answer");
      g_array_unref (bins);
      return NULL;
    }

  return bins;
}

/* Returns the state of @query, or -1 with @error if there is no such query, its state is
 * unknown or the file could not be read. */
static gint
query_state (LkStore  *store,
             gint64    query,
             GError  **error)
{
  sqlite3_stmt *stmt = lk_store_prepare (store, "SELECT state FROM query WHERE id = ?", error);
  gint state = -1;
  int rc;

  if (stmt == NULL)
    return -1;
  sqlite3_bind_int64 (stmt, 1, query);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      const char *name = (const char *) sqlite3_column_text (stmt, 0);

      for (guint i = 0; i < G_N_ELEMENTS (state_names); i++)
        if (g_strcmp0 (name, state_names[i]) == 0)
          state = i;
      if (state < 0)
        g_set_error (error, LK_STORE_ERROR, LK_STORE_ERROR_DAMAGED,
                     "Query %" G_GINT64_FORMAT " has the unknown state '%s' (likeness-cli check "
                     "lists every such row) - %s", query, name ? name : "NULL", store->path);
    }
  else if (rc == SQLITE_DONE)
    g_set_error (error, LK_STORE_ERROR, LK_STORE_ERROR_NOT_FOUND,
                 "The study has no query %" G_GINT64_FORMAT, query);
  else
    lk_store_set_error (store, error, rc, "Reading a query");
  sqlite3_reset (stmt);

  return state;
}

/* Inserts one query (its row and items) in the transaction already begun; returns its id. */
gint64
lk_answers_insert_query (LkStore        *store,
              guint           phase,
              const char     *policy,
              guint           embedding_version,
              const char     *state,
              gboolean        drawn,
              const guint    *items,
              guint           n_items,
              GError        **error)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *created = g_date_time_format_iso8601 (now);
  sqlite3_stmt *stmt;
  gint64 id;
  int rc;

  stmt = lk_store_prepare (store,
                           "INSERT INTO query (phase, policy, embedding_version, state, drawn, "
                           "created) VALUES (?, ?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return 0;
  sqlite3_bind_int (stmt, 1, phase);
  sqlite3_bind_text (stmt, 2, policy, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 3, embedding_version);
  sqlite3_bind_text (stmt, 4, state, -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 5, drawn ? 1 : 0);
  sqlite3_bind_text (stmt, 6, created, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      lk_store_set_error (store, error, rc, "Storing a query");
      return 0;
    }
  id = sqlite3_last_insert_rowid (lk_store_get_db (store));

  stmt = lk_store_prepare (store,
                           "INSERT INTO query_item (query, position, item) VALUES (?, ?, ?)",
                           error);
  if (stmt == NULL)
    return 0;
  for (guint i = 0; i < n_items; i++)
    {
      sqlite3_reset (stmt);
      sqlite3_bind_int64 (stmt, 1, id);
      sqlite3_bind_int (stmt, 2, i);
      sqlite3_bind_int (stmt, 3, items[i]);
      rc = sqlite3_step (stmt);
      if (rc != SQLITE_DONE)
        {
          sqlite3_reset (stmt);
          lk_store_set_error (store, error, rc, "Storing a query's items");
          return 0;
        }
    }
  sqlite3_reset (stmt);

  return id;
}

/* Inserts @queries as the pending batch of @refiner's current phase, in the transaction already
 * begun, appending their ids to @ids (nullable). */
static gboolean
insert_batch (LkStore          *store,
              const LkRefiner  *refiner,
              GPtrArray        *queries,
              GArray           *ids,
              GError          **error)
{
  const LkMethodType *method = lk_refiner_get_method (refiner);
  guint phase = lk_refiner_get_phase (refiner);
  const LkQueryPolicyType *policy = phase == 0 ? method->first_policy : method->policy;

  for (guint i = 0; i < queries->len; i++)
    {
      const LkQuery *q = g_ptr_array_index (queries, i);
      gint64 id = lk_answers_insert_query (store, phase, policy->name, phase, "pending", TRUE,
                                           lk_query_get_items (q), lk_query_get_n_items (q),
                                           error);

      if (id == 0)
        return FALSE;
      if (ids != NULL)
        g_array_append_val (ids, id);
    }

  return TRUE;
}

/**
 * lk_answers_draw_queries:
 * @store: a study open for writing
 * @refiner: the study's refiner (from lk_answers_rebuild()), not yet drawn in this phase
 * @error: return location for a #GError
 *
 * Draws the current phase's batch of queries from @refiner and stores them, all in one
 * transaction, as pending.
 *
 * Returns: (transfer full) (element-type gint64): the new query ids in drawing order, or %NULL
 */
GArray *
lk_answers_draw_queries (LkStore    *store,
                         LkRefiner  *refiner,
                         GError    **error)
{
  g_autoptr(GPtrArray) queries = NULL;
  g_autoptr(GArray) ids = NULL;
  guint phase;
  gint64 drawn;

  g_return_val_if_fail (store != NULL && refiner != NULL, NULL);

  phase = lk_refiner_get_phase (refiner);
  if (lk_refiner_is_done (refiner))
    {
      g_set_error (error, LK_STORE_ERROR, LK_STORE_ERROR_INVALID,
                   "The study is complete: all %u phases are done", phase);
      return NULL;
    }
  if (!lk_store_query_int (store, "SELECT count(*) FROM query WHERE drawn = 1 AND phase = ?",
                           phase, &drawn, error))
    return NULL;
  if (drawn > 0)
    {
      g_set_error (error, LK_STORE_ERROR, LK_STORE_ERROR_INVALID,
                   "Phase %u already drew its %" G_GINT64_FORMAT " queries", phase + 1, drawn);
      return NULL;
    }

  queries = lk_refiner_select_queries (refiner, lk_refiner_get_batch_size (refiner));
  ids = g_array_new (FALSE, FALSE, sizeof (gint64));

  if (!lk_store_write_begin (store, error))
    return NULL;
  if (!insert_batch (store, refiner, queries, ids, error))
    {
      lk_store_write_rollback (store);
      return NULL;
    }
  if (!lk_store_write_commit (store, "Storing the phase's queries", error))
    return NULL;

  return g_steal_pointer (&ids);
}

/**
 * lk_answers_list_open:
 * @store: a study
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (element-type gint64): ids of the queries still to answer
 *   (pending or served) that were not handed to a crowd batch (lk-crowd.c), oldest first, or
 *   %NULL with @error set
 */
GArray *
lk_answers_list_open (LkStore  *store,
                      GError  **error)
{
  g_return_val_if_fail (store != NULL, NULL);

  return lk_store_query_ids (store,
                             "SELECT id FROM query WHERE state IN ('pending', 'served') AND id NOT "
                             "IN (SELECT query FROM crowd_grid) ORDER BY id",
                             0, "Listing the queries", error);
}

/**
 * lk_answers_get_query:
 * @store: a study
 * @query: a query id
 * @state: (out) (optional): its state
 * @error: return location for a #GError
 *
 * An answered query carries its participant as a dense worker index
 * (lk_query_set_participant()): the number of participant rows with a smaller id, so the
 * participants are numbered 0, 1, 2… in the order they were added to the study, which is the
 * order of their first answer in a study run by the app; an answer with no participant gets
 * %LK_PARTICIPANT_UNKNOWN. Crowdclustering and cen take it as the worker.
 *
 * Returns: (transfer full) (nullable): the query with its items in display order, and its
 *   answer's bins if it was answered
 */
LkQuery *
lk_answers_get_query (LkStore       *store,
                      gint64         query,
                      LkQueryState  *state,
                      GError       **error)
{
  g_autoptr(GArray) items = NULL;
  g_autoptr(LkQuery) q = NULL;
  gint s;

  g_return_val_if_fail (store != NULL, NULL);

  s = query_state (store, query, error);
  if (s < 0)
    return NULL;
  items = lk_answers_load_items (store, query, error);
  if (items == NULL)
    return NULL;
  q = lk_query_new ((const guint *) items->data, items->len);

  if (s == LK_QUERY_ANSWERED)
    {
      g_autoptr(GArray) bins = NULL;
      gint64 answer, worker;

      if (!lk_store_query_int (store, "SELECT id FROM answer WHERE query = ?", query, &answer,
                               error) ||
          !lk_store_query_int (store, "SELECT CASE WHEN a.participant IS NULL THEN -1 ELSE "
                               "(SELECT count(*) FROM participant p WHERE p.id < a.participant) "
                               "END FROM answer a WHERE a.query = ?", query, &worker, error))
        return NULL;
      bins = load_bins (store, answer, error);
      if (bins == NULL)
        return NULL;
      if (bins->len != items->len ||
          !lk_query_set_answer (q, (const gint *) bins->data, lk_store_get_params (store)->nc,
                                NULL))
        {
          g_set_error (error, LK_STORE_ERROR, LK_STORE_ERROR_DAMAGED,
                       "The answer to query %" G_GINT64_FORMAT " does not fit its grid", query);
          return NULL;
        }
      lk_query_set_participant (q, worker < 0 ? LK_PARTICIPANT_UNKNOWN : (guint) worker);
    }

  if (state != NULL)
    *state = s;

  return g_steal_pointer (&q);
}

/**
 * lk_answers_set_state:
 * @store: a study open for writing
 * @query: a query that is not answered
 * @state: %LK_QUERY_SERVED, %LK_QUERY_PENDING or %LK_QUERY_ABANDONED
 * @error: return location for a #GError
 *
 * Returns: %TRUE on success
 */
gboolean
lk_answers_set_state (LkStore       *store,
                      gint64         query,
                      LkQueryState   state,
                      GError       **error)
{
  sqlite3_stmt *stmt;
  gint current;
  int rc;

  g_return_val_if_fail (store != NULL, FALSE);
  g_return_val_if_fail (state != LK_QUERY_ANSWERED && state <= LK_QUERY_ABANDONED, FALSE);

  if (!lk_store_write_begin (store, error))
    return FALSE;
  current = query_state (store, query, error);
  if (current < 0 || current == LK_QUERY_ANSWERED)
    {
      if (current == LK_QUERY_ANSWERED)
        g_set_error (error, LK_STORE_ERROR, LK_STORE_ERROR_INVALID,
                     "Query %" G_GINT64_FORMAT " is already answered", query);
      lk_store_write_rollback (store);
      return FALSE;
    }
  stmt = lk_store_prepare (store, "UPDATE query SET state = ? WHERE id = ?", error);
  if (stmt == NULL)
    {
      lk_store_write_rollback (store);
      return FALSE;
    }
  sqlite3_bind_text (stmt, 1, state_names[state], -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, query);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      lk_store_set_error (store, error, rc, "Updating a query");
      lk_store_write_rollback (store);
      return FALSE;
    }

  return lk_store_write_commit (store, "Updating a query", error);
}

/* Writes the answer rows in the transaction already begun; returns the answer id or 0. */
gint64
lk_answers_insert_answer (LkStore        *store,
               gint64          query,
               const LkQuery  *answer,
               gint64          session,
               gint64          shown_us,
               gint64          submitted_us,
               const char     *source,
               const LkMove   *moves,
               guint           n_moves,
               GError        **error)
{
  sqlite3_stmt *stmt;
  gint64 id;
  int rc;

  stmt = lk_store_prepare (store,
                           "INSERT INTO answer (query, participant, session, shown_us, "
                           "submitted_us, source) VALUES (?1, (SELECT participant FROM session "
                           "WHERE id = ?2), ?3, ?4, ?5, ?6)", error);
  if (stmt == NULL)
    return 0;
  sqlite3_bind_int64 (stmt, 1, query);
  sqlite3_bind_int64 (stmt, 2, session);
  if (session > 0)
    sqlite3_bind_int64 (stmt, 3, session);
  else
    sqlite3_bind_null (stmt, 3);
  sqlite3_bind_int64 (stmt, 4, shown_us);
  sqlite3_bind_int64 (stmt, 5, submitted_us);
  sqlite3_bind_text (stmt, 6, source, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      lk_store_set_error (store, error, rc, "Saving the answer");
      return 0;
    }
  id = sqlite3_last_insert_rowid (lk_store_get_db (store));

  stmt = lk_store_prepare (store,
                           "INSERT INTO answer_bin (answer, position, bin) VALUES (?, ?, ?)",
                           error);
  if (stmt == NULL)
    return 0;
  for (guint i = 0; i < lk_query_get_n_items (answer); i++)
    {
      sqlite3_reset (stmt);
      sqlite3_bind_int64 (stmt, 1, id);
      sqlite3_bind_int (stmt, 2, i);
      sqlite3_bind_int (stmt, 3, lk_query_get_bin (answer, i));
      rc = sqlite3_step (stmt);
      if (rc != SQLITE_DONE)
        {
          sqlite3_reset (stmt);
          lk_store_set_error (store, error, rc, "Saving the answer's bins");
          return 0;
        }
    }
  sqlite3_reset (stmt);

  if (n_moves > 0)
    {
      stmt = lk_store_prepare (store,
                               "INSERT INTO answer_move (answer, seq, item, from_bin, to_bin, ms) "
                               "VALUES (?, ?, ?, ?, ?, ?)", error);
      if (stmt == NULL)
        return 0;
      for (guint i = 0; i < n_moves; i++)
        {
          sqlite3_reset (stmt);
          sqlite3_bind_int64 (stmt, 1, id);
          sqlite3_bind_int (stmt, 2, i);
          sqlite3_bind_int (stmt, 3, moves[i].item);
          sqlite3_bind_int (stmt, 4, moves[i].from);
          sqlite3_bind_int (stmt, 5, moves[i].to);
          sqlite3_bind_int64 (stmt, 6, moves[i].ms);
          rc = sqlite3_step (stmt);
          if (rc != SQLITE_DONE)
            {
              sqlite3_reset (stmt);
              lk_store_set_error (store, error, rc, "Saving the answer's moves");
              return 0;
            }
        }
      sqlite3_reset (stmt);
    }

  stmt = lk_store_prepare (store, "UPDATE query SET state = 'answered' WHERE id = ?", error);
  if (stmt == NULL)
    return 0;
  sqlite3_bind_int64 (stmt, 1, query);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      lk_store_set_error (store, error, rc, "Marking the query answered");
      return 0;
    }

  return id;
}

/* Returns TRUE if @answer answers the stored @items with bins in 0..nc-1 or left out. */
static gboolean
answer_fits (const LkQuery  *answer,
             GArray         *items,
             guint           nc,
             gint64          query,
             GError        **error)
{
  if (!lk_query_is_answered (answer) || lk_query_get_n_items (answer) != items->len ||
      memcmp (lk_query_get_items (answer), items->data, items->len * sizeof (guint)) != 0)
    {
      g_set_error (error, LK_STORE_ERROR, LK_STORE_ERROR_INVALID,
                   "The answer does not fit query %" G_GINT64_FORMAT " (other items, or not "
                   "every item placed)", query);
      return FALSE;
    }
  for (guint i = 0; i < items->len; i++)
    {
      gint bin = lk_query_get_bin (answer, i);

      if (bin != LK_BIN_LEFT_OUT && (bin < 0 || bin >= (gint) nc))
        {
          g_set_error (error, LK_STORE_ERROR, LK_STORE_ERROR_INVALID,
                       "The answer puts an item in bin %d; the study has %u bins", bin, nc);
          return FALSE;
        }
    }

  return TRUE;
}

/**
 * lk_answers_save:
 * @store: a study open for writing
 * @query: the id of the query answered (pending or served)
 * @answer: the answered query: the same items in the same order, every bin set
 * @session: the session it was given in, or 0 for none
 * @shown_us: when the grid was shown, µs since the Unix epoch
 * @submitted_us: when it was submitted, µs since the Unix epoch
 * @moves: (array length=n_moves) (nullable): the participant's moves in order
 * @n_moves: number of moves
 * @error: return location for a #GError
 *
 * Saves one answer in one transaction. When this returns an id, the answer is on disk (the
 * WAL is synced at COMMIT); when it fails, the study is exactly as before and the caller may
 * keep the answer and retry.
 *
 * Returns: the answer's id (> 0), or 0 with @error set
 */
gint64
lk_answers_save (LkStore        *store,
                 gint64          query,
                 const LkQuery  *answer,
                 gint64          session,
                 gint64          shown_us,
                 gint64          submitted_us,
                 const LkMove   *moves,
                 guint           n_moves,
                 GError        **error)
{
  g_autoptr(GArray) items = NULL;
  gint64 id;
  gint state;

  g_return_val_if_fail (store != NULL && answer != NULL, 0);
  g_return_val_if_fail (moves != NULL || n_moves == 0, 0);

  if (!lk_store_write_begin (store, error))
    return 0;

  state = query_state (store, query, error);
  if (state != LK_QUERY_PENDING && state != LK_QUERY_SERVED)
    {
      if (state >= 0)
        g_set_error (error, LK_STORE_ERROR, LK_STORE_ERROR_INVALID,
                     "Query %" G_GINT64_FORMAT " is already %s", query, state_names[state]);
      lk_store_write_rollback (store);
      return 0;
    }
  items = lk_answers_load_items (store, query, error);
  if (items == NULL || !answer_fits (answer, items, lk_store_get_params (store)->nc, query, error))
    {
      lk_store_write_rollback (store);
      return 0;
    }

  id = lk_answers_insert_answer (store, query, answer, session, shown_us, submitted_us, "local",
                      moves, n_moves, error);
  if (id == 0)
    {
      lk_store_write_rollback (store);
      return 0;
    }
  if (!lk_store_write_commit (store, "Saving the answer", error))
    return 0;

  return id;
}

/**
 * lk_answers_get_moves:
 * @store: a study
 * @answer: an answer id
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (element-type LkMove): the answer's move log in order, or %NULL
 */
GArray *
lk_answers_get_moves (LkStore  *store,
                      gint64    answer,
                      GError  **error)
{
  g_autoptr(GArray) moves = g_array_new (FALSE, FALSE, sizeof (LkMove));
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (store != NULL, NULL);

  stmt = lk_store_prepare (store,
                           "SELECT item, from_bin, to_bin, ms FROM answer_move WHERE answer = ? "
                           "ORDER BY seq", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, answer);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      LkMove m = {
        .item = sqlite3_column_int (stmt, 0),
        .from = sqlite3_column_int (stmt, 1),
        .to = sqlite3_column_int (stmt, 2),
        .ms = sqlite3_column_int64 (stmt, 3),
      };

      g_array_append_val (moves, m);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      lk_store_set_error (store, error, rc, "Reading the moves");
      return NULL;
    }

  return g_steal_pointer (&moves);
}

/* Checks that the file has exactly @phase phases done. */
static gboolean
phases_done_are (LkStore  *store,
                 guint     phase,
                 GError  **error)
{
  gint64 done;

  if (!lk_store_query_int (store, "SELECT count(*) FROM phase", 0, &done, error))
    return FALSE;
  if (done != phase)
    {
      g_set_error (error, LK_STORE_ERROR, LK_STORE_ERROR_INVALID,
                   "The refiner is at phase %u but the study has %" G_GINT64_FORMAT " phases "
                   "done", phase, done);
      return FALSE;
    }

  return TRUE;
}

/* Inserts the row of the phase @refiner has just ended (its embedding and @stats), in the
 * transaction already begun. */
static gboolean
insert_phase_row (LkStore              *store,
                  const LkRefiner      *refiner,
                  const LkUpdateStats  *stats,
                  guint                 n_answers,
                  GError              **error)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *ended = g_date_time_format_iso8601 (now);
  g_autofree guint64 *blob = NULL;
  const LkEmbedding *embedding = lk_refiner_get_embedding (refiner);
  sqlite3_stmt *stmt;
  gsize n_values;
  int rc;

  n_values = (gsize) lk_embedding_get_n_items (embedding) * lk_embedding_get_dim (embedding);
  blob = g_new (guint64, n_values);
  for (gsize i = 0; i < n_values; i++)
    {
      union { double d; guint64 u; } v = { .d = lk_embedding_get_data (embedding)[i] };

      blob[i] = GUINT64_TO_LE (v.u);
    }

  stmt = lk_store_prepare (store,
                           "INSERT INTO phase (phase, ended, answers, stress, iterations, "
                           "pairs_updated, n_items, dim, embedding) "
                           "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int (stmt, 1, lk_refiner_get_phase (refiner) - 1);
  sqlite3_bind_text (stmt, 2, ended, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 3, n_answers);
  if (isfinite (stats->stress))
    sqlite3_bind_double (stmt, 4, stats->stress);
  else
    sqlite3_bind_null (stmt, 4);
  sqlite3_bind_int (stmt, 5, stats->iterations);
  sqlite3_bind_int64 (stmt, 6, stats->pairs_updated);
  sqlite3_bind_int (stmt, 7, lk_embedding_get_n_items (embedding));
  sqlite3_bind_int (stmt, 8, lk_embedding_get_dim (embedding));
  sqlite3_bind_blob64 (stmt, 9, blob, n_values * sizeof (guint64), SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  if (rc != SQLITE_DONE)
    {
      lk_store_set_error (store, error, rc, "Storing the phase's embedding");
      return FALSE;
    }

  return TRUE;
}

/**
 * lk_answers_end_phase:
 * @store: a study open for writing
 * @refiner: the study's refiner, with the phase's answers added
 * @stats: (out caller-allocates) (optional): what the update did
 * @error: return location for a #GError
 *
 * Runs the method's update for the current phase and stores the new embedding as the phase's
 * snapshot. If the write fails, @refiner is one phase ahead of the file: rebuild it with
 * lk_answers_rebuild() before going on.
 *
 * Returns: %TRUE on success
 */
gboolean
lk_answers_end_phase (LkStore        *store,
                      LkRefiner      *refiner,
                      LkUpdateStats  *stats,
                      GError        **error)
{
  LkUpdateStats local = { 0 };

  g_return_val_if_fail (store != NULL && refiner != NULL, FALSE);

  if (lk_refiner_is_done (refiner))
    {
      g_set_error (error, LK_STORE_ERROR, LK_STORE_ERROR_INVALID,
                   "The study is complete: all %u phases are done",
                   lk_refiner_get_phase (refiner));
      return FALSE;
    }
  if (!phases_done_are (store, lk_refiner_get_phase (refiner), error))
    return FALSE;

  lk_refiner_end_phase (refiner, &local);
  if (stats != NULL)
    *stats = local;

  if (!lk_store_write_begin (store, error))
    return FALSE;
  if (!insert_phase_row (store, refiner, &local, lk_refiner_get_answers (refiner)->len, error))
    {
      lk_store_write_rollback (store);
      return FALSE;
    }

  return lk_store_write_commit (store, "Storing the phase's embedding", error);
}

/* lk_answers_store_phase(), with the number of answers the phase folded in. */
gboolean
lk_answers_store_phase_counted (LkStore              *store,
                                const LkRefiner      *refiner,
                                const LkUpdateStats  *stats,
                                guint                 n_answers,
                                GPtrArray            *batch,
                                GArray              **ids,
                                GError              **error)
{
  g_autoptr(GArray) stored = g_array_new (FALSE, FALSE, sizeof (gint64));

  g_return_val_if_fail (lk_refiner_get_phase (refiner) > 0, FALSE);

  if (!phases_done_are (store, lk_refiner_get_phase (refiner) - 1, error))
    return FALSE;
  if (!lk_store_write_begin (store, error))
    return FALSE;
  if (!insert_phase_row (store, refiner, stats, n_answers, error)
      || (batch != NULL && !insert_batch (store, refiner, batch, stored, error)))
    {
      lk_store_write_rollback (store);
      return FALSE;
    }
  if (!lk_store_write_commit (store, "Storing the phase's embedding", error))
    return FALSE;
  if (ids != NULL)
    *ids = g_steal_pointer (&stored);

  return TRUE;
}

/**
 * lk_answers_store_phase:
 * @store: a study open for writing
 * @refiner: a refiner that has just ended a phase the file does not have yet (on a worker
 *   thread, say) and, unless it is done, selected the next phase's batch
 * @stats: what that phase's update did
 * @batch: (element-type LkQuery) (nullable): the next phase's queries, in serving order
 * @ids: (out) (optional) (transfer full) (element-type gint64): the stored queries' ids
 * @error: return location for a #GError
 *
 * Stores what a refinement run computed, the phase's embedding and the next batch of queries,
 * in one transaction: a file never holds a phase without the batch that followed it, which the
 * replay of lk_answers_rebuild() relies on.
 *
 * Returns: %TRUE on success; on failure the file is as it was
 */
gboolean
lk_answers_store_phase (LkStore              *store,
                        const LkRefiner      *refiner,
                        const LkUpdateStats  *stats,
                        GPtrArray            *batch,
                        GArray              **ids,
                        GError              **error)
{
  g_return_val_if_fail (store != NULL && refiner != NULL && stats != NULL, FALSE);

  return lk_answers_store_phase_counted (store, refiner, stats,
                                         lk_refiner_get_answers (refiner)->len, batch, ids, error);
}

/**
 * lk_answers_save_spot:
 * @store: a study open for writing
 * @phase: the phase the answer belongs to
 * @embedding_version: the completed phases of the embedding the grid was drawn from
 * @answer: the answered grid
 * @session: the session it was given in, or 0 for none
 * @shown_us: when the grid was shown, µs since the Unix epoch
 * @submitted_us: when it was submitted
 * @moves: (array length=n_moves) (nullable): the participant's moves in order
 * @n_moves: number of moves
 * @error: return location for a #GError
 *
 * Saves the answer to a grid drawn on the spot (while a refinement run was under way and the
 * file had no open query): its query row, with policy "spot" and drawn = 0 since the refiner's
 * generator did not draw it, and the answer, in one transaction.
 *
 * Returns: the answer's id (> 0), or 0 with @error set
 */
gint64
lk_answers_save_spot (LkStore        *store,
                      guint           phase,
                      guint           embedding_version,
                      const LkQuery  *answer,
                      gint64          session,
                      gint64          shown_us,
                      gint64          submitted_us,
                      const LkMove   *moves,
                      guint           n_moves,
                      GError        **error)
{
  static const LkAnswersMark spot = { .policy = LK_ANSWERS_POLICY_SPOT };
  g_autoptr(GArray) items = NULL;

  g_return_val_if_fail (store != NULL && answer != NULL, 0);
  g_return_val_if_fail (moves != NULL || n_moves == 0, 0);

  items = g_array_new (FALSE, FALSE, sizeof (guint));
  g_array_append_vals (items, lk_query_get_items (answer), lk_query_get_n_items (answer));
  if (!answer_fits (answer, items, lk_store_get_params (store)->nc, 0, error))
    return 0;


  return lk_answers_save_marked (store, phase, embedding_version, &spot, answer, session,
                                 shown_us, submitted_us, moves, n_moves, error);
}

/* Saves the answer to a grid shown outside the refiner's draws, in one transaction: its query
 * row (policy @mark->policy, served then answered, drawn = 0) marked as @mark says (a mark with
 * no kind, repeat or gold writes nothing more), and the answer. Grids drawn on the spot
 * (lk_answers_save_spot()), the checks (lk_answers_save_check()) and the gold grids
 * (lk_gold_save_answer()) store theirs so. */
gint64
lk_answers_save_marked (LkStore              *store,
                        guint                 phase,
                        guint                 embedding_version,
                        const LkAnswersMark  *mark,
                        const LkQuery        *answer,
                        gint64                session,
                        gint64                shown_us,
                        gint64                submitted_us,
                        const LkMove         *moves,
                        guint                 n_moves,
                        GError              **error)
{
  sqlite3_stmt *stmt;
  gboolean marked;
  gint64 query, id;

  if (!lk_store_write_begin (store, error))
    return 0;
  if (mark->in_current_phase)
    {
      gint64 phases_done;

      if (!lk_store_query_int (store, "SELECT count(*) FROM phase", 0, &phases_done, error))
        {
          lk_store_write_rollback (store);
          return 0;
        }
      /* After the last phase (a session begun before the study's end) in the last one, as a
       * lab study stores it: a file holds no query beyond its phases. */
      embedding_version = (guint) phases_done;
      phase = MIN (embedding_version, MAX (lk_store_get_params (store)->phases, 1) - 1);
    }
  query = lk_answers_insert_query (store, phase, mark->policy, embedding_version, "served", FALSE,
                                   lk_query_get_items (answer), lk_query_get_n_items (answer),
                                   error);
  marked = mark->kind != NULL || mark->repeat_of > 0 || mark->gold > 0;
  stmt = query == 0 || !marked
         ? NULL
         : lk_store_prepare (store, "UPDATE query SET kind = coalesce(?, kind), "
                             "repeat_of = ?, gold = ? WHERE id = ?", error);
  if (stmt != NULL)
    {
      if (mark->kind != NULL)
        sqlite3_bind_text (stmt, 1, mark->kind, -1, SQLITE_STATIC);
      else
        sqlite3_bind_null (stmt, 1);
      if (mark->repeat_of > 0)
        sqlite3_bind_int64 (stmt, 2, mark->repeat_of);
      else
        sqlite3_bind_null (stmt, 2);
      if (mark->gold > 0)
        sqlite3_bind_int64 (stmt, 3, mark->gold);
      else
        sqlite3_bind_null (stmt, 3);
      sqlite3_bind_int64 (stmt, 4, query);
    }
  id = query != 0 && (!marked || (stmt != NULL && lk_store_step_done (store, stmt, mark->doing,
                                                                     error)))
       ? lk_answers_insert_answer (store, query, answer, session, shown_us, submitted_us, "local",
                                   moves, n_moves, error)
       : 0;
  if (id == 0)
    {
      lk_store_write_rollback (store);
      return 0;
    }
  if (!lk_store_write_commit (store, "Saving the answer", error))
    return 0;

  return id;
}

/**
 * lk_answers_save_check:
 * @store: a study open for writing
 * @phase: the phase it was shown in (for the analysis: it is no answer of the phase's batch)
 * @embedding_version: the completed phases when it was shown
 * @repeat_of: the query it shows again, or 0
 * @gold: the gold grid (lk-gold.c) whose images it shows, or 0; exactly one of the two is set
 * @answer: the answered grid
 * @session: the session it was given in, or 0 for none
 * @shown_us: when the grid was shown, µs since the Unix epoch
 * @submitted_us: when it was submitted
 * @moves: (array length=n_moves) (nullable): the participant's moves in order
 * @n_moves: number of moves
 * @error: return location for a #GError
 *
 * Saves the answer to a grid that checks its participant: a repeated grid (query.repeat_of,
 * policy "repeat") or a catch grid (query.gold, policy "catch"); its query row, drawn = 0, and
 * the answer in one transaction. The replay and the pair export leave such answers out
 * (LK_STORE_SQL_IS_CHECK); lk_participants_list() scores them.
 *
 * Returns: the answer's id (> 0), or 0 with @error set
 */
gint64
lk_answers_save_check (LkStore        *store,
                       guint           phase,
                       guint           embedding_version,
                       gint64          repeat_of,
                       gint64          gold,
                       const LkQuery  *answer,
                       gint64          session,
                       gint64          shown_us,
                       gint64          submitted_us,
                       const LkMove   *moves,
                       guint           n_moves,
                       GError        **error)
{
  g_autoptr(GArray) items = NULL;
  LkAnswersMark mark = {
    .policy = repeat_of > 0 ? LK_ANSWERS_POLICY_REPEAT : LK_ANSWERS_POLICY_CATCH,
    .repeat_of = repeat_of,
    .gold = gold,
    .doing = "Marking a check grid",
  };

  g_return_val_if_fail (store != NULL && answer != NULL, 0);
  g_return_val_if_fail ((repeat_of > 0) != (gold > 0), 0);
  g_return_val_if_fail (moves != NULL || n_moves == 0, 0);

  items = g_array_new (FALSE, FALSE, sizeof (guint));
  g_array_append_vals (items, lk_query_get_items (answer), lk_query_get_n_items (answer));
  if (!answer_fits (answer, items, lk_store_get_params (store)->nc, 0, error))
    return 0;

  return lk_answers_save_marked (store, phase, embedding_version, &mark, answer, session,
                                 shown_us, submitted_us, moves, n_moves, error);
}
