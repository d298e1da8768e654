/* lk-lab-refine.c — one refinement at a time: the refiner's election and its step
 *
 * Every station may try to become the refiner: pg_try_advisory_lock(LK_LAB_REFINER_LOCK,
 * lab.refiner_key) is a session-level lock, held until the session ends, so when the refiner's
 * process dies (or its connection is terminated) the server frees the lock and the next
 * station that tries takes over.
 *
 * The refiner's step runs when the current phase is complete: no grid is waiting or leased (a
 * grid whose last lease ran out is abandoned first), and the phase has answers. It computes
 * the phase exactly as the study file's replay does, by running the study file's own code on
 * a snapshot: the lab study is pulled into a private file (one REPEATABLE READ snapshot), the
 * file is opened for writing, which replays every stored answer in commit order from the
 * study's seed, and the phase is ended and the next batch drawn as the CLI's answering loop
 * does (lk_lab_prepare_copy()). What that added to the file, the phase's row, its metrics and
 * the new batch, is then written to the database in one transaction. phase is the primary key
 * of the phase table, so a second refiner that computed the same phase (a takeover while the
 * first was storing) gets a unique violation and stores nothing: the phase is stored once.
 * That transaction first takes the phase lock (LK_LAB_PHASE_LOCK) exclusively, which every
 * submit takes shared, and stores nothing if the phase has more answers than the snapshot (a
 * late answer came meanwhile); after it, a late answer to a closed phase goes into the current
 * phase (lk-lab-station.c), so the stored phases stay exactly what the replay computes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "lk-lab-private.h"
#include "lk-store-private.h"

/* A sorting query whose answer the replay may fold in: not a trial, not a grid that checks its
 * participant (query.repeat_of, query.gold) nor a gold grid's answer (an exam's has query.gold
 * too): those are stored in the phase under way and left out of the model, so an exam answered
 * while a phase is computed neither holds the phase's store up nor opens a phase of its own. */
#define LAB_SQL_IN_MODEL \
  "q.kind IN ('sort', 'training', 'exam') AND q.gold IS NULL AND q.repeat_of IS NULL"

struct _LkLabPhase {
  char   *dir;
  char   *path;
  guint   phase;
  gint64  max_query;
  gint64  n_answers;
  GBytes *embedding;
};

/**
 * lk_lab_try_refiner:
 * @self: a connection to a lab study
 * @holder: (out): whether this connection holds the refiner's lock now
 * @error: return location for a #GError
 *
 * Tries to become the study's refiner, without waiting. The lock is held until this
 * connection ends.
 *
 * Returns: %TRUE when the server answered
 */
gboolean
lk_lab_try_refiner (LkLab     *self,
                    gboolean  *holder,
                    GError   **error)
{
  g_autofree char *key = g_strdup_printf ("%d", LK_LAB_REFINER_LOCK);
  g_autoptr(PGresult) res = lk_lab_exec (self, "Trying to become the refiner", error,
                                         "SELECT pg_try_advisory_lock($1::integer, refiner_key) "
                                         "FROM lab WHERE id = 1", 1, key);

  if (res == NULL)
    return FALSE;
  *holder = PQntuples (res) == 1 && PQgetvalue (res, 0, 0)[0] == 't';

  return TRUE;
}

void
lk_lab_phase_free (LkLabPhase *phase)
{
  if (phase == NULL)
    return;
  if (phase->dir != NULL)
    lk_lab_remove_tmpdir (phase->dir);
  g_free (phase->dir);
  g_free (phase->path);
  g_clear_pointer (&phase->embedding, g_bytes_unref);
  g_free (phase);
}

guint
lk_lab_phase_get_number (const LkLabPhase *phase)
{
  return phase->phase;
}

/* Returns: (transfer none): the phase's embedding as stored (n_items x dim little-endian
 * doubles) */
GBytes *
lk_lab_phase_get_embedding (const LkLabPhase *phase)
{
  return phase->embedding;
}

/* Reads one integer from the study file @db. */
static gboolean
file_int (sqlite3     *db,
          const char  *sql,
          gint64      *value,
          GError     **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc = sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL);

  if (rc == SQLITE_OK && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      *value = sqlite3_column_int64 (stmt, 0);
      sqlite3_finalize (stmt);
      return TRUE;
    }
  g_set_error (error, LK_LAB_ERROR, LK_LAB_ERROR_FAILED, "Reading the snapshot: %s",
               sqlite3_errmsg (db));
  sqlite3_finalize (stmt);
  return FALSE;
}

/* Opens the snapshot at @path read-only. */
static sqlite3 *
open_file (const char  *path,
           GError     **error)
{
  sqlite3 *db = NULL;

  if (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
    {
      g_set_error (error, LK_LAB_ERROR, LK_LAB_ERROR_FAILED, "Reading the snapshot: %s",
                   db != NULL ? sqlite3_errmsg (db) : "out of memory");
      sqlite3_close_v2 (db);
      return NULL;
    }

  return db;
}

/* Reads what the snapshot says about its current phase: whether it is complete (no open grid,
 * some answers, not yet ended) and its number, and the largest query id. */
static gboolean
snapshot_state (const char  *path,
                gboolean    *complete,
                guint       *phase,
                gint64      *max_query,
                gint64      *n_answers,
                GError     **error)
{
  sqlite3 *db = open_file (path, error);
  gint64 open_grids = 0, done = 0, last = -1, answers = 0;
  gboolean ok;

  if (db == NULL)
    return FALSE;
  ok = file_int (db, "SELECT count(*) FROM query WHERE state IN ('pending', 'served')",
                 &open_grids, error) &&
       file_int (db, "SELECT count(*) FROM phase", &done, error) &&
       /* A grid drawn on the spot while the phase is folded in is in the next phase
        * (lk-lab-station.c): the phase under way is the last one with drawn grids. Trials are
        * not grids: only sorting queries make a phase; nor are the grids the model is never
        * given (an exam's, a repeat, a catch grid: LAB_SQL_IN_MODEL). */
       file_int (db, "SELECT coalesce(max(phase), -1) FROM query q WHERE (policy <> '"
                     LK_ANSWERS_POLICY_SPOT "' OR drawn = 1) AND " LAB_SQL_IN_MODEL,
                     &last, error) &&
       file_int (db, "SELECT count(*) FROM answer a JOIN query q ON q.id = a.query "
                     "WHERE " LAB_SQL_IN_MODEL " AND q.phase = (SELECT "
                     "max(phase) FROM query q WHERE (policy <> '" LK_ANSWERS_POLICY_SPOT "' OR "
                     "drawn = 1) AND " LAB_SQL_IN_MODEL ")", &answers, error) &&
       file_int (db, "SELECT coalesce(max(id), 0) FROM query", max_query, error);
  sqlite3_close_v2 (db);
  *complete = ok && open_grids == 0 && last >= 0 && done == last && answers > 0;
  *phase = (guint) MAX (last, 0);
  *n_answers = answers;

  return ok;
}

/* Reads the stored embedding of @phase from the file at @path. */
static GBytes *
file_embedding (const char  *path,
                guint        phase,
                GError     **error)
{
  sqlite3 *db = open_file (path, error);
  sqlite3_stmt *stmt = NULL;
  GBytes *bytes = NULL;

  if (db == NULL)
    return NULL;
  if (sqlite3_prepare_v2 (db, "SELECT embedding FROM phase WHERE phase = ?", -1, &stmt,
                          NULL) == SQLITE_OK)
    {
      sqlite3_bind_int64 (stmt, 1, phase);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        bytes = g_bytes_new (sqlite3_column_blob (stmt, 0),
                             (gsize) sqlite3_column_bytes (stmt, 0));
    }
  sqlite3_finalize (stmt);
  sqlite3_close_v2 (db);
  if (bytes == NULL)
    g_set_error (error, LK_LAB_ERROR, LK_LAB_ERROR_FAILED,
                 "The replay did not end phase %u of the lab study", phase + 1);

  return bytes;
}

/**
 * lk_lab_phase_compute:
 * @self: a connection to a lab study
 * @error: return location for a #GError
 *
 * Computes the current phase, when it is complete, on a snapshot of the study (see the top of
 * this file); lk_lab_phase_store() then stores it. Nothing is written to the database but the
 * giving up of grids whose last lease ran out.
 *
 * Returns: (transfer full) (nullable): the computed phase; %NULL without @error when the phase
 *   is not complete (grids are waiting or leased) or the study is done
 */
LkLabPhase *
lk_lab_phase_compute (LkLab   *self,
                      GError **error)
{
  g_autoptr(LkLabPhase) phase = NULL;
  g_autoptr(PGresult) open = NULL;
  gboolean complete;

  if (!lk_lab_sweep_expired (self, error))
    return NULL;
  open = lk_lab_exec (self, "Looking at the phase", error,
                      "SELECT count(*) FROM query WHERE state IN ('pending', 'served')", 0);
  if (open == NULL || strcmp (PQgetvalue (open, 0, 0), "0") != 0)
    return NULL;

  phase = g_new0 (LkLabPhase, 1);
  phase->dir = g_dir_make_tmp ("likeness-refine-XXXXXX", error);
  if (phase->dir == NULL)
    return NULL;
  phase->path = g_build_filename (phase->dir, "study.likeness", NULL);
  if (!lk_lab_pull (self, phase->path, error) ||
      !snapshot_state (phase->path, &complete, &phase->phase, &phase->max_query,
                       &phase->n_answers, error))
    return NULL;
  if (!complete)
    return NULL;
  if (!lk_lab_prepare_copy (phase->path, error))
    return NULL;
  phase->embedding = file_embedding (phase->path, phase->phase, error);
  if (phase->embedding == NULL)
    return NULL;

  return g_steal_pointer (&phase);
}

/* Copies the queries the refiner's step added to the file @db (ids above @max_query) into the
 * database under new ids, with their items. */
static gboolean
push_new_queries (LkLab    *self,
                  sqlite3  *db,
                  gint64    max_query,
                  GError  **error)
{
  sqlite3_stmt *stmt = NULL, *items = NULL;
  gboolean ok = TRUE;

  if (sqlite3_prepare_v2 (db, "SELECT id, phase, policy, embedding_version, state, drawn, "
                          "created FROM query WHERE id > ? ORDER BY id", -1, &stmt,
                          NULL) != SQLITE_OK ||
      sqlite3_prepare_v2 (db, "SELECT group_concat(item, ',') FROM (SELECT item FROM "
                          "query_item WHERE query = ? ORDER BY position)", -1, &items,
                          NULL) != SQLITE_OK)
    {
      g_set_error (error, LK_LAB_ERROR, LK_LAB_ERROR_FAILED, "Reading the new grids: %s",
                   sqlite3_errmsg (db));
      sqlite3_finalize (stmt);
      return FALSE;
    }
  sqlite3_bind_int64 (stmt, 1, max_query);
  while (ok && sqlite3_step (stmt) == SQLITE_ROW)
    {
      g_autofree char *phase = g_strdup_printf ("%lld", (long long) sqlite3_column_int64 (stmt, 1));
      g_autofree char *version = g_strdup_printf ("%lld",
                                                  (long long) sqlite3_column_int64 (stmt, 3));
      g_autofree char *drawn = g_strdup_printf ("%lld", (long long) sqlite3_column_int64 (stmt, 5));
      g_autofree char *array = NULL;

      sqlite3_reset (items);
      sqlite3_bind_int64 (items, 1, sqlite3_column_int64 (stmt, 0));
      if (sqlite3_step (items) != SQLITE_ROW || sqlite3_column_text (items, 0) == NULL)
        {
          g_set_error (error, LK_LAB_ERROR, LK_LAB_ERROR_FAILED, "A new grid has no images");
          ok = FALSE;
          break;
        }
      array = g_strdup_printf ("{%s}", (const char *) sqlite3_column_text (items, 0));
      ok = lk_lab_run (self, "Storing the next batch", error,
                       "WITH q AS (INSERT INTO query (phase, policy, embedding_version, state, "
                       "  drawn, created) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id) "
                       "INSERT INTO query_item (query, position, item) SELECT q.id, ord - 1, i "
                       "FROM q, unnest($7::bigint[]) WITH ORDINALITY AS u (i, ord)",
                       7, phase, (const char *) sqlite3_column_text (stmt, 2), version,
                       (const char *) sqlite3_column_text (stmt, 4), drawn,
                       (const char *) sqlite3_column_text (stmt, 6), array);
    }
  sqlite3_finalize (items);
  sqlite3_finalize (stmt);

  return ok;
}

/* Fails with %LK_LAB_ERROR_CONFLICT when the phase has answers the snapshot has not (late ones
 * that came while the phase was computed): the phase is computed again on the next step. */
static gboolean
check_answers (LkLab       *self,
               LkLabPhase  *phase,
               GError     **error)
{
  g_autofree char *number = g_strdup_printf ("%u", phase->phase);
  g_autoptr(PGresult) res = lk_lab_exec (self, "Counting the phase's answers", error,
                                         "SELECT count(*) FROM answer a JOIN query q ON "
                                         "q.id = a.query WHERE q.phase = $1 AND "
                                         LAB_SQL_IN_MODEL, 1, number);

  if (res == NULL)
    return FALSE;
  if (g_ascii_strtoll (PQgetvalue (res, 0, 0), NULL, 10) != phase->n_answers)
    {
      g_set_error (error, LK_LAB_ERROR, LK_LAB_ERROR_CONFLICT,
                   "Phase %u got answers while it was computed", phase->phase + 1);
      return FALSE;
    }

  return TRUE;
}

/**
 * lk_lab_phase_store:
 * @self: a connection to a lab study
 * @phase: a phase from lk_lab_phase_compute()
 * @stored: (out): whether this call stored it (%FALSE: another refiner stored it first, or a
 *   late answer came for the phase while it was computed; compute it again)
 * @error: return location for a #GError
 *
 * Stores the phase's row, its metrics and the next batch in one transaction.
 *
 * Returns: %TRUE on success, stored or not
 */
gboolean
lk_lab_phase_store (LkLab       *self,
                    LkLabPhase  *phase,
                    gboolean    *stored,
                    GError     **error)
{
  g_autofree char *where = g_strdup_printf ("phase >= %u", phase->phase);
  g_autofree char *number = g_strdup_printf ("%u", phase->phase);
  g_autofree char *lock = g_strdup_printf ("%d", LK_LAB_PHASE_LOCK);
  g_autoptr(GError) local_error = NULL;
  sqlite3 *db = open_file (phase->path, error);
  gboolean ok;

  *stored = FALSE;
  if (db == NULL)
    return FALSE;
  ok = lk_lab_run (self, "Storing the phase", &local_error, "BEGIN", 0) &&
       lk_lab_run (self, "Closing the phase", &local_error,
                   "SELECT pg_advisory_xact_lock($1::integer, refiner_key) FROM lab", 1,
                   lock) &&
       check_answers (self, phase, &local_error) &&
       lk_lab_push_rows (self, db, "phase", where, &local_error) &&
       lk_lab_push_rows (self, db, "phase_metric", where, &local_error) &&
       push_new_queries (self, db, phase->max_query, &local_error) &&
       lk_lab_run (self, "Logging the phase", &local_error,
                   "INSERT INTO event (station, kind, payload) VALUES ($1, 'phase', "
                   "jsonb_build_object('phase', $2::integer))", 2, self->station, number) &&
       lk_lab_run (self, "Committing the phase", &local_error, "COMMIT", 0);
  sqlite3_close_v2 (db);
  if (ok)
    {
      *stored = TRUE;
      return TRUE;
    }
  lk_lab_rollback (self);
  if (g_error_matches (local_error, LK_LAB_ERROR, LK_LAB_ERROR_CONFLICT))
    return TRUE;
  g_propagate_error (error, g_steal_pointer (&local_error));

  return FALSE;
}

/**
 * lk_lab_refine:
 * @self: a connection to a lab study (the refiner's)
 * @stored: (out): whether a phase was stored
 * @error: return location for a #GError
 *
 * The refiner's step: computes and stores the current phase when it is complete.
 *
 * Returns: %TRUE on success, whether or not there was a phase to store
 */
gboolean
lk_lab_refine (LkLab     *self,
               gboolean  *stored,
               GError   **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(LkLabPhase) phase = lk_lab_phase_compute (self, &local_error);

  *stored = FALSE;
  if (phase == NULL)
    {
      if (local_error == NULL)
        return TRUE;
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  return lk_lab_phase_store (self, phase, stored, error);
}
