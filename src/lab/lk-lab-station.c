/* lk-lab-station.c — stations: handing out grids under leases, and taking answers
 *
 * A station claims the next grid with one statement: the first query (by phase, then id)
 * that was never handed out, or whose lease expired with fewer than LK_LAB_MAX_ATTEMPTS hand-
 * outs, is locked with FOR UPDATE SKIP LOCKED, so stations claiming at once get different
 * grids and never wait on each other, and is marked 'served' with the station, the
 * participant, a lease end (the server's clock, now() + the lease) and a new lease token. A
 * lease expired at its last attempt makes the grid 'abandoned' at the next claim, so a grid
 * that crashes stations cannot loop. While the grid is shown the station renews its lease
 * with the token; a renewal that finds another token has lost the grid.
 *
 * A submit carries an id the station made before its first try (client_uuid) and keeps for
 * its retries. It is one transaction: the answer is inserted with ON CONFLICT (client_uuid) DO
 * NOTHING, so a retry after a lost acknowledgement, or after the connection broke before the
 * COMMIT, never adds a second answer. An answer is kept whatever became of its lease: it is
 * marked late when its lease had expired (or been taken over) when it came. The study file
 * has one answer per query, so when the grid was already answered (its lease expired and the
 * next station answered it first) the late answer gets a copy of the grid as its own query
 * (drawn = 0, as for answers that come from elsewhere). When the grid's phase was already
 * folded in, that copy is in the current phase instead (lk-lab-refine.c says why); after the
 * study's last phase a late answer is refused, saying so.
 *
 * A grid handed to a crowd batch (crowd_grid) is never claimed: the platform's workers
 * answer it, as lk_answers_list_open() leaves it out of a study file's queue.
 *
 * When no grid is ready (the phase is being refined, or its last grids are leased elsewhere)
 * a station draws a grid on the spot from the latest stored embedding (lk_lab_draw_spot(), as
 * the app does for a study file) and submits its answer with lk_lab_submit_spot(): a query
 * row of its own, policy "spot", drawn = 0, in the phase it will be folded into, exactly as
 * lk_answers_save_spot() stores one in a study file. While the current phase still has grids
 * out, that is the current phase; once every grid of it is answered (the refiner is folding
 * it in), it is the next phase, and the replay then selects the next batch before adding
 * them, as it does for a study file whose app was killed during a phase's run.
 *
 * Every claim, submit and session is logged in the event table.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <unistd.h>

#include <gsl/gsl_randist.h>

#include "lk-gold.h"
#include "lk-knn.h"
#include "lk-lab-private.h"
#include "lk-rng.h"
#include "lk-store-private.h"
#include "lk-trial.h"

/* Gives up the grids whose last lease ran out. SKIP LOCKED: a grid another station is claiming
 * or answering right now is left to it. */
gboolean
lk_lab_sweep_expired (LkLab   *self,
                      GError **error)
{
  g_autofree char *attempts = g_strdup_printf ("%d", LK_LAB_MAX_ATTEMPTS);

  return lk_lab_run (self, "Giving up grids that failed too often", error,
                     "WITH a AS (UPDATE query SET state = 'abandoned' WHERE id IN ("
                     "  SELECT id FROM query WHERE state = 'served' AND lease_until < now() "
                     "  AND attempts >= $2::integer FOR UPDATE SKIP LOCKED) RETURNING id) "
                     "INSERT INTO event (station, kind, payload) SELECT $1, 'abandoned', "
                     "jsonb_build_object('query', id) FROM a", 2, self->station, attempts);
}

void
lk_lab_claim_clear (LkLabClaim *claim)
{
  g_clear_pointer (&claim->items, g_array_unref);
  claim->query = 0;
  claim->lease_token[0] = '\0';
}

/**
 * lk_lab_register_station:
 * @self: a connection to a lab study
 * @error: return location for a #GError
 *
 * Records this station (its name, host, process and version) and when it was last seen.
 *
 * Returns: %TRUE on success
 */
gboolean
lk_lab_register_station (LkLab   *self,
                         GError **error)
{
  g_autofree char *pid = g_strdup_printf ("%d", (int) getpid ());

  return lk_lab_run (self, "Registering the station", error,
                     "WITH s AS (INSERT INTO station (name, host, pid, app_version) "
                     "  VALUES ($1, $2, $3, $4) ON CONFLICT (name) DO UPDATE SET "
                     "  host = EXCLUDED.host, pid = EXCLUDED.pid, "
                     "  app_version = EXCLUDED.app_version, last_seen = now() RETURNING name) "
                     "INSERT INTO event (station, kind, payload) SELECT name, 'connected', "
                     "jsonb_build_object('host', $2::text, 'pid', $3::bigint) FROM s",
                     4, self->station, g_get_host_name (), pid, PACKAGE_VERSION);
}

/**
 * lk_lab_begin_session:
 * @self: a connection to a lab study
 * @participant: the participant's code (added when new)
 * @pilot: whether a new participant's answers are pilot data
 * @error: return location for a #GError
 *
 * Returns: the new session's id, or 0 with @error set
 */
gint64
lk_lab_begin_session (LkLab       *self,
                      const char  *participant,
                      gboolean     pilot,
                      GError     **error)
{
  g_autofree char *now = lk_store_now_iso8601 ();
  g_autoptr(PGresult) res =
    lk_lab_exec (self, "Starting the participant's session", error,
                 "WITH p AS (INSERT INTO participant (code, created, consent, pilot) "
                 "  VALUES ($1, $2, 1, $3) ON CONFLICT (code) DO UPDATE SET code = EXCLUDED.code "
                 "  RETURNING id), "
                 "s AS (INSERT INTO session (participant, station, started) "
                 "  SELECT id, $4, $2 FROM p RETURNING id, participant), "
                 "e AS (INSERT INTO event (station, kind, payload) SELECT $4, 'session', "
                 "  jsonb_build_object('session', id, 'participant', participant) FROM s) "
                 "SELECT id FROM s",
                 4, participant, now, pilot ? "1" : "0", self->station);

  if (res == NULL)
    return 0;

  return g_ascii_strtoll (PQgetvalue (res, 0, 0), NULL, 10);
}

/**
 * lk_lab_end_session:
 * @self: a connection to a lab study
 * @session: a session from lk_lab_begin_session()
 * @error: return location for a #GError
 *
 * Returns: %TRUE on success
 */
gboolean
lk_lab_end_session (LkLab    *self,
                    gint64    session,
                    GError  **error)
{
  g_autofree char *now = lk_store_now_iso8601 ();
  g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, session);

  return lk_lab_run (self, "Ending the participant's session", error,
                     "UPDATE session SET ended = $2 WHERE id = $1", 2, id, now);
}

/* Returns the items of @query in display order. */
static GArray *
load_items (LkLab    *self,
            gint64    query,
            GError  **error)
{
  g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, query);
  g_autoptr(PGresult) res = lk_lab_exec (self, "Reading the grid's images", error,
                                         "SELECT item FROM query_item WHERE query = $1 "
                                         "ORDER BY position", 1, id);
  GArray *items;

  if (res == NULL)
    return NULL;
  items = g_array_sized_new (FALSE, FALSE, sizeof (guint), PQntuples (res));
  for (int r = 0; r < PQntuples (res); r++)
    {
      guint item = (guint) g_ascii_strtoull (PQgetvalue (res, r, 0), NULL, 10);

      g_array_append_val (items, item);
    }

  return items;
}

/**
 * lk_lab_claim:
 * @self: a connection to a lab study
 * @session: the participant's session (lk_lab_begin_session())
 * @lease_seconds: how long the grid stays this station's without a renewal
 *   (%LK_LAB_LEASE_SECONDS; the tests use short ones)
 * @claim: (out caller-allocates): the grid; its @query is 0 when no grid is ready
 * @error: return location for a #GError
 *
 * Hands the next grid to this station.
 *
 * Returns: %TRUE on success, whether or not a grid was ready
 */
gboolean
lk_lab_claim (LkLab       *self,
              gint64       session,
              double       lease_seconds,
              LkLabClaim  *claim,
              GError     **error)
{
  g_autofree char *session_text = g_strdup_printf ("%" G_GINT64_FORMAT, session);
  g_autofree char *attempts = g_strdup_printf ("%d", LK_LAB_MAX_ATTEMPTS);
  char lease[G_ASCII_DTOSTR_BUF_SIZE];
  g_autoptr(PGresult) res = NULL;

  g_return_val_if_fail (lease_seconds > 0, FALSE);

  memset (claim, 0, sizeof *claim);
  g_ascii_dtostr (lease, sizeof lease, lease_seconds);

  /* Grids whose last lease ran out are given up first, so the claim below never hands them
   * out again. */
  if (!lk_lab_sweep_expired (self, error))
    return FALSE;

  res = lk_lab_exec (self, "Claiming a grid", error,
                     "WITH c AS (UPDATE query SET state = 'served', station = $1, "
                     "  participant = (SELECT participant FROM session WHERE id = $2::bigint), "
                     "  lease_until = now() + make_interval(secs => $3::double precision), "
                     "  lease_token = gen_random_uuid(), attempts = attempts + 1 "
                     "  WHERE id = (SELECT id FROM query WHERE (state = 'pending' OR "
                     "    (state = 'served' AND (lease_until IS NULL OR lease_until < now()) "
                     "     AND attempts < $4::integer)) "
                     "    AND id NOT IN (SELECT query FROM crowd_grid) "
                     "    ORDER BY phase, id FOR UPDATE SKIP LOCKED LIMIT 1) "
                     "  RETURNING id, phase, lease_token, attempts), "
                     "e AS (INSERT INTO event (station, kind, payload) SELECT $1, 'claimed', "
                     "  jsonb_build_object('query', id, 'attempt', attempts) FROM c) "
                     "SELECT id, phase, lease_token FROM c",
                     4, self->station, session_text, lease, attempts);
  if (res == NULL)
    return FALSE;
  if (PQntuples (res) == 0)
    return TRUE;

  claim->query = g_ascii_strtoll (PQgetvalue (res, 0, 0), NULL, 10);
  claim->phase = (guint) g_ascii_strtoull (PQgetvalue (res, 0, 1), NULL, 10);
  g_strlcpy (claim->lease_token, PQgetvalue (res, 0, 2), sizeof claim->lease_token);
  claim->items = load_items (self, claim->query, error);
  if (claim->items == NULL)
    {
      lk_lab_claim_clear (claim);
      return FALSE;
    }

  return TRUE;
}

/**
 * lk_lab_renew:
 * @self: a connection to a lab study
 * @claim: a grid this station claimed
 * @lease_seconds: the new lease, from now (the server's clock)
 * @error: return location for a #GError
 *
 * Extends the lease while the grid is shown.
 *
 * Returns: %TRUE on success; %FALSE with %LK_LAB_ERROR_LEASE_LOST when the lease expired and
 *   another station claimed the grid, or it was answered (its answer is still taken)
 */
gboolean
lk_lab_renew (LkLab             *self,
              const LkLabClaim  *claim,
              double             lease_seconds,
              GError           **error)
{
  g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, claim->query);
  char lease[G_ASCII_DTOSTR_BUF_SIZE];
  g_autoptr(PGresult) res = NULL;

  g_ascii_dtostr (lease, sizeof lease, lease_seconds);
  res = lk_lab_exec (self, "Renewing the grid's lease", error,
                     "UPDATE query SET lease_until = now() + make_interval(secs => "
                     "$3::double precision) WHERE id = $1 AND lease_token = $2::uuid "
                     "AND state = 'served' RETURNING id", 3, id, claim->lease_token, lease);
  if (res == NULL)
    return FALSE;
  if (PQntuples (res) == 0)
    {
      g_set_error (error, LK_LAB_ERROR, LK_LAB_ERROR_LEASE_LOST,
                   "The grid %" G_GINT64_FORMAT " is no longer this station's: its lease "
                   "expired and it was handed out again or answered. Its answer is still "
                   "taken, marked late", claim->query);
      return FALSE;
    }

  return TRUE;
}

/* Returns "{a,b,c}", an array literal of @n values read by @get. */
static char *
array_literal (guint   n,
               gint64 (*get) (gconstpointer data, guint i),
               gconstpointer data)
{
  GString *text = g_string_new ("{");

  for (guint i = 0; i < n; i++)
    g_string_append_printf (text, "%s%" G_GINT64_FORMAT, i > 0 ? "," : "", get (data, i));
  g_string_append_c (text, '}');

  return g_string_free (text, FALSE);
}

static gint64 get_bin (gconstpointer d, guint i) { return lk_query_get_bin (d, i); }
static gint64 get_move_item (gconstpointer d, guint i) { return ((const LkMove *) d)[i].item; }
static gint64 get_move_from (gconstpointer d, guint i) { return ((const LkMove *) d)[i].from; }
static gint64 get_move_to (gconstpointer d, guint i) { return ((const LkMove *) d)[i].to; }
static gint64 get_move_ms (gconstpointer d, guint i) { return ((const LkMove *) d)[i].ms; }
static gint64 get_item (gconstpointer d, guint i) { return ((const guint *) d)[i]; }

/* Looks up the answer a retry of @client_uuid already stored: its id, 0 when there is none,
 * -1 on failure. */
static gint64
find_answer (LkLab       *self,
             const char  *client_uuid,
             gboolean    *late,
             GError     **error)
{
  g_autoptr(PGresult) res = lk_lab_exec (self, "Looking for the answer", error,
                                         "SELECT id, late, station FROM answer "
                                         "WHERE client_uuid = $1::uuid", 1, client_uuid);

  if (res == NULL)
    return -1;
  if (PQntuples (res) == 0)
    return 0;
  /* A retry comes from the station that made the id; another station's answer under the same
   * id means the ids are not unique (a station's random generator copied, as by fork()). */
  if (g_strcmp0 (PQgetvalue (res, 0, 2), self->station) != 0)
    {
      g_set_error (error, LK_LAB_ERROR, LK_LAB_ERROR_INVALID,
                   "The answer's id %s is already used by an answer of the station %s; each "
                   "answer needs an id of its own", client_uuid, PQgetvalue (res, 0, 2));
      return -1;
    }
  if (late != NULL)
    *late = PQgetvalue (res, 0, 1)[0] == 't';

  return g_ascii_strtoll (PQgetvalue (res, 0, 0), NULL, 10);
}

/* The start of every submit's transaction: takes the phase lock shared (submits never wait on
 * each other, only on a phase being stored) and looks up what a retry of @client_uuid already
 * stored. Returns FALSE on failure, else TRUE with @existing set to that answer's id (0: none,
 * this submit stores it). */
static gboolean
lock_and_find_answer (LkLab       *self,
                      const char  *what,
                      const char  *client_uuid,
                      gboolean    *late,
                      gint64      *existing,
                      GError     **error)
{
  g_autofree char *lock = g_strdup_printf ("%d", LK_LAB_PHASE_LOCK);

  if (!lk_lab_run (self, what, error,
                   "SELECT pg_advisory_xact_lock_shared($1::integer, refiner_key) FROM lab", 1,
                   lock))
    return FALSE;
  *existing = find_answer (self, client_uuid, late, error);

  return *existing >= 0;
}

/* Inserts the answer to the query @target (its bins, its moves) and marks the query answered,
 * inside the submit's transaction; returns the answer's id, or 0. */
static gint64
insert_answer (LkLab         *self,
               const char    *target,
               const char    *session_text,
               const char    *shown,
               const char    *submitted,
               const char    *source,
               const char    *client_uuid,
               gboolean       is_late,
               const char    *bins,
               const LkMove  *moves,
               guint          n_moves,
               gboolean      *late,
               GError       **error)
{
  g_autoptr(PGresult) inserted = NULL;
  g_autofree char *answer_id = NULL;
  gint64 existing, id;

  inserted = lk_lab_exec (self, "Saving the answer", error,
                          "INSERT INTO answer (query, participant, session, shown_us, "
                          "submitted_us, source, client_uuid, station, late) VALUES ($1, "
                          "(SELECT participant FROM session WHERE id = $2::bigint), $2, $3, $4, "
                          "$5, $6::uuid, $7, $8::boolean) "
                          "ON CONFLICT (client_uuid) DO NOTHING RETURNING id",
                          8, target, session_text, shown, submitted, source, client_uuid,
                          self->station, is_late ? "true" : "false");
  if (inserted == NULL)
    return 0;
  if (PQntuples (inserted) == 0)
    {
      /* The same answer, retried at the same time on another connection, came first: what
       * this transaction wrote (a grid's copy) goes, and the first one's id is the answer. */
      lk_lab_rollback (self);
      existing = find_answer (self, client_uuid, late, error);
      return existing > 0 ? existing : 0;
    }
  answer_id = g_strdup (PQgetvalue (inserted, 0, 0));
  id = g_ascii_strtoll (answer_id, NULL, 10);

  if (!lk_lab_run (self, "Saving the answer's bins", error,
                   "INSERT INTO answer_bin (answer, position, bin) SELECT $1, ord - 1, b "
                   "FROM unnest($2::bigint[]) WITH ORDINALITY AS t (b, ord)", 2, answer_id, bins))
    return 0;
  if (n_moves > 0)
    {
      g_autofree char *items = array_literal (n_moves, get_move_item, moves);
      g_autofree char *from = array_literal (n_moves, get_move_from, moves);
      g_autofree char *to = array_literal (n_moves, get_move_to, moves);
      g_autofree char *ms = array_literal (n_moves, get_move_ms, moves);

      if (!lk_lab_run (self, "Saving the answer's moves", error,
                       "INSERT INTO answer_move (answer, seq, item, from_bin, to_bin, ms) "
                       "SELECT $1, ord - 1, i, f, t, m FROM unnest($2::bigint[], $3::bigint[], "
                       "$4::bigint[], $5::bigint[]) WITH ORDINALITY AS u (i, f, t, m, ord)",
                       5, answer_id, items, from, to, ms))
        return 0;
    }
  if (!lk_lab_run (self, "Marking the grid answered", error,
                   "WITH u AS (UPDATE query SET state = 'answered' WHERE id = $1 RETURNING id) "
                   "INSERT INTO event (station, kind, payload) SELECT $3, 'answer', "
                   "jsonb_build_object('query', id, 'answer', $2::bigint, 'late', $4::boolean) "
                   "FROM u", 4, target, answer_id, self->station, is_late ? "true" : "false"))
    return 0;
  if (late != NULL)
    *late = is_late;

  return id;
}

/* The body of lk_lab_submit(), inside its transaction: returns the answer's id, or 0. */
static gint64
submit_in_transaction (LkLab             *self,
                       const LkLabClaim  *claim,
                       const char        *client_uuid,
                       const LkQuery     *answer,
                       gint64             session,
                       gint64             shown_us,
                       gint64             submitted_us,
                       const LkMove      *moves,
                       guint              n_moves,
                       gboolean          *late,
                       GError           **error)
{
  g_autofree char *query_id = g_strdup_printf ("%" G_GINT64_FORMAT, claim->query);
  g_autofree char *session_text = g_strdup_printf ("%" G_GINT64_FORMAT, session);
  g_autofree char *shown = g_strdup_printf ("%" G_GINT64_FORMAT, shown_us);
  g_autofree char *submitted = g_strdup_printf ("%" G_GINT64_FORMAT, submitted_us);
  g_autofree char *bins = array_literal (lk_query_get_n_items (answer), get_bin, answer);
  g_autofree char *source = NULL, *target = NULL;
  const char *copy_phase = NULL;
  g_autoptr(PGresult) query = NULL;
  gint64 existing;
  gboolean is_late;

  if (!lock_and_find_answer (self, "Saving the answer", client_uuid, late, &existing, error))
    return 0;
  if (existing != 0)
    return existing;

  query = lk_lab_exec (self, "Reading the grid", error,
                       "SELECT state, coalesce(lease_token = $2::uuid, false), "
                       "coalesce(lease_until >= now(), false), "
                       "(SELECT count(*) FROM query_item WHERE query = $1), "
                       "EXISTS (SELECT 1 FROM phase p WHERE p.phase = query.phase), "
                       "(SELECT count(*) FROM phase), "
                       "(SELECT value FROM param WHERE name = 'phases') "
                       "FROM query WHERE id = $1 FOR UPDATE", 2, query_id,
                       claim->lease_token[0] != '\0' ? claim->lease_token : NULL);
  if (query == NULL)
    return 0;
  if (PQntuples (query) == 0)
    {
      g_set_error (error, LK_LAB_ERROR, LK_LAB_ERROR_INVALID,
                   "The lab study has no grid %" G_GINT64_FORMAT, claim->query);
      return 0;
    }
  if (g_ascii_strtoull (PQgetvalue (query, 0, 3), NULL, 10) != lk_query_get_n_items (answer))
    {
      g_set_error (error, LK_LAB_ERROR, LK_LAB_ERROR_INVALID,
                   "The answer has %u images but the grid %" G_GINT64_FORMAT " has %s",
                   lk_query_get_n_items (answer), claim->query, PQgetvalue (query, 0, 3));
      return 0;
    }
  /* Late: the lease was not this submit's any more, or had run out. */
  is_late = !(PQgetvalue (query, 0, 1)[0] == 't' && PQgetvalue (query, 0, 2)[0] == 't');
  source = g_strdup_printf ("%s:%s", is_late ? "lab-late" : "lab", self->station);

  if (PQgetvalue (query, 0, 4)[0] == 't')
    {
      /* The grid's phase is closed (folded in without this answer): the answer goes into the
       * current phase, as an imported answer does, so the stored phases stay what the
       * replay computes. After the last phase there is no phase to take it. */
      if (g_ascii_strtoull (PQgetvalue (query, 0, 5), NULL, 10) >=
          g_ascii_strtoull (PQgetvalue (query, 0, 6), NULL, 10))
        {
          g_set_error (error, LK_LAB_ERROR, LK_LAB_ERROR_INVALID,
                       "The answer to grid %" G_GINT64_FORMAT " came after the study's last "
                       "phase was folded in; no phase can take it", claim->query);
          return 0;
        }
      copy_phase = PQgetvalue (query, 0, 5);
    }
  if (copy_phase != NULL || strcmp (PQgetvalue (query, 0, 0), "answered") == 0)
    {
      /* The grid was answered by the station that got it after this lease ran out, or its
       * phase is closed: this answer gets a copy of the grid, as its own query. */
      g_autofree char *now = lk_store_now_iso8601 ();
      g_autoptr(PGresult) copy =
        lk_lab_exec (self, "Copying the grid for a late answer", error,
                     "WITH q AS (INSERT INTO query (phase, policy, embedding_version, state, "
                     "  drawn, created, station, participant) SELECT "
                     "  coalesce($5::bigint, phase), policy, "
                     "  embedding_version, 'answered', 0, $2, $3, "
                     "  (SELECT participant FROM session WHERE id = $4::bigint) "
                     "  FROM query WHERE id = $1 RETURNING id), "
                     "i AS (INSERT INTO query_item (query, position, item) SELECT q.id, "
                     "  position, item FROM q, query_item WHERE query_item.query = $1) "
                     "SELECT id FROM q", 5, query_id, now, self->station, session_text,
                     copy_phase);

      if (copy == NULL)
        return 0;
      target = g_strdup (PQgetvalue (copy, 0, 0));
    }
  else
    target = g_strdup (query_id);

  return insert_answer (self, target, session_text, shown, submitted, source, client_uuid,
                        is_late, bins, moves, n_moves, late, error);
}

/* Ends a submit's transaction once its body ran: rolls back when the body failed (@id 0),
 * returns @id as it is when the body already ended the transaction (the answer was stored
 * before), else runs the tests' hook and commits. */
static gint64
end_submit (LkLab   *self,
            gint64   id,
            GError **error)
{
  if (id == 0)
    {
      lk_lab_rollback (self);
      return 0;
    }
  if (PQtransactionStatus (self->conn) != PQTRANS_INTRANS)
    return id;
  if (self->submit_hook != NULL)
    self->submit_hook (self, self->submit_hook_data);
  if (!lk_lab_run (self, "Committing the answer", error, "COMMIT", 0))
    {
      lk_lab_rollback (self);
      return 0;
    }

  return id;
}

/**
 * lk_lab_submit:
 * @self: a connection to a lab study
 * @claim: the grid answered (lk_lab_claim())
 * @client_uuid: the answer's own id, made by the station before the first try and kept for
 *   every retry (g_uuid_string_random())
 * @answer: the grid with its bins set
 * @session: the participant's session
 * @shown_us: when the grid was shown (µs since the epoch)
 * @submitted_us: when it was submitted
 * @moves: (array length=n_moves) (nullable): the participant's moves
 * @n_moves: their number
 * @late: (out) (optional): set to whether the answer came after its lease had expired
 * @error: return location for a #GError
 *
 * Stores the answer in one transaction. Retrying with the same @client_uuid, after any
 * failure, never stores it twice: a retry returns the id stored first.
 *
 * Returns: the answer's id, or 0 with @error set (%LK_LAB_ERROR_CONNECTION_LOST: reconnect
 *   with lk_lab_reconnect() and submit again)
 */
gint64
lk_lab_submit (LkLab             *self,
               const LkLabClaim  *claim,
               const char        *client_uuid,
               const LkQuery     *answer,
               gint64             session,
               gint64             shown_us,
               gint64             submitted_us,
               const LkMove      *moves,
               guint              n_moves,
               gboolean          *late,
               GError           **error)
{
  gint64 id;

  g_return_val_if_fail (client_uuid != NULL && g_uuid_string_is_valid (client_uuid), 0);
  g_return_val_if_fail (answer != NULL && lk_query_is_answered (answer), 0);

  if (!lk_lab_run (self, "Saving the answer", error, "BEGIN", 0))
    return 0;
  id = submit_in_transaction (self, claim, client_uuid, answer, session, shown_us, submitted_us,
                              moves, n_moves, late, error);
  return end_submit (self, id, error);
}

/* The body of lk_lab_submit_spot(), inside its transaction: returns the answer's id, or 0. */
static gint64
submit_spot_in_transaction (LkLab          *self,
                            const char     *client_uuid,
                            const LkQuery  *answer,
                            guint           embedding_version,
                            gint64          session,
                            gint64          shown_us,
                            gint64          submitted_us,
                            const LkMove   *moves,
                            guint           n_moves,
                            GError        **error)
{
  g_autofree char *session_text = g_strdup_printf ("%" G_GINT64_FORMAT, session);
  g_autofree char *shown = g_strdup_printf ("%" G_GINT64_FORMAT, shown_us);
  g_autofree char *submitted = g_strdup_printf ("%" G_GINT64_FORMAT, submitted_us);
  g_autofree char *version = g_strdup_printf ("%u", embedding_version);
  g_autofree char *bins = array_literal (lk_query_get_n_items (answer), get_bin, answer);
  g_autofree char *source = g_strdup_printf ("lab:%s", self->station);
  g_autofree char *now = lk_store_now_iso8601 ();
  g_autofree char *phase = NULL, *items = NULL;
  g_autoptr(PGresult) state = NULL;
  g_autoptr(PGresult) query = NULL;
  guint64 stored, phases;
  gboolean open;
  gint64 existing;

  if (!lock_and_find_answer (self, "Saving the answer", client_uuid, NULL, &existing, error))
    return 0;
  if (existing != 0)
    return existing;

  /* Under the phase lock, so no phase is being stored while this looks. */
  state = lk_lab_exec (self, "Looking at the phase", error,
                       "SELECT (SELECT count(*) FROM phase), "
                       "(SELECT value FROM param WHERE name = 'phases'), "
                       "EXISTS (SELECT 1 FROM query WHERE state IN ('pending', 'served') AND "
                       "  phase = (SELECT count(*) FROM phase)), "
                       "(SELECT value FROM param WHERE name = 'nq')", 0);
  if (state == NULL)
    return 0;
  stored = g_ascii_strtoull (PQgetvalue (state, 0, 0), NULL, 10);
  phases = g_ascii_strtoull (PQgetvalue (state, 0, 1), NULL, 10);
  open = PQgetvalue (state, 0, 2)[0] == 't';
  if (g_ascii_strtoull (PQgetvalue (state, 0, 3), NULL, 10) != lk_query_get_n_items (answer))
    {
      g_set_error (error, LK_LAB_ERROR, LK_LAB_ERROR_INVALID,
                   "The answer has %u images but the study's grids have %s",
                   lk_query_get_n_items (answer), PQgetvalue (state, 0, 3));
      return 0;
    }
  /* The current phase while it has grids out; once they are all answered it is being folded
   * in, and the answer belongs to the next one. */
  if (!open)
    stored++;
  if (stored >= phases)
    {
      g_set_error (error, LK_LAB_ERROR, LK_LAB_ERROR_INVALID,
                   "The study's last phase is complete; an answer to a grid drawn on the spot "
                   "has no phase to go into");
      return 0;
    }
  phase = g_strdup_printf ("%" G_GUINT64_FORMAT, stored);
  items = array_literal (lk_query_get_n_items (answer), get_item, lk_query_get_items (answer));
  query = lk_lab_exec (self, "Storing the grid drawn on the spot", error,
                       "WITH q AS (INSERT INTO query (phase, policy, embedding_version, state, "
                       "  drawn, created, station, participant) VALUES ($1::bigint, $2, "
                       "  $3::bigint, 'answered', 0, $4, $5, "
                       "  (SELECT participant FROM session WHERE id = $6::bigint)) RETURNING id), "
                       "i AS (INSERT INTO query_item (query, position, item) SELECT q.id, "
                       "  ord - 1, it FROM q, unnest($7::bigint[]) WITH ORDINALITY AS u (it, ord)) "
                       "SELECT id FROM q", 7, phase, LK_ANSWERS_POLICY_SPOT, version, now,
                       self->station, session_text, items);
  if (query == NULL)
    return 0;

  return insert_answer (self, PQgetvalue (query, 0, 0), session_text, shown, submitted, source,
                        client_uuid, FALSE, bins, moves, n_moves, NULL, error);
}

/**
 * lk_lab_submit_spot:
 * @self: a connection to a lab study
 * @client_uuid: the answer's own id, made before the first try and kept for every retry
 * @answer: the grid drawn on the spot (lk_lab_draw_spot()), with its bins set
 * @embedding_version: the phases of the embedding it was drawn from
 * @session: the participant's session
 * @shown_us: when the grid was shown (µs since the epoch)
 * @submitted_us: when it was submitted
 * @moves: (array length=n_moves) (nullable): the participant's moves
 * @n_moves: their number
 * @error: return location for a #GError
 *
 * Stores the answer to a grid drawn on the spot, with a query row of its own (policy "spot",
 * drawn = 0) in the phase it will be folded into (the top of this file says which), in one
 * transaction. As lk_lab_submit(), a retry with the same @client_uuid never stores it twice.
 *
 * Returns: the answer's id, or 0 with @error set
 */
gint64
lk_lab_submit_spot (LkLab          *self,
                    const char     *client_uuid,
                    const LkQuery  *answer,
                    guint           embedding_version,
                    gint64          session,
                    gint64          shown_us,
                    gint64          submitted_us,
                    const LkMove   *moves,
                    guint           n_moves,
                    GError        **error)
{
  gint64 id;

  g_return_val_if_fail (client_uuid != NULL && g_uuid_string_is_valid (client_uuid), 0);
  g_return_val_if_fail (answer != NULL && lk_query_is_answered (answer), 0);

  if (!lk_lab_run (self, "Saving the answer", error, "BEGIN", 0))
    return 0;
  id = submit_spot_in_transaction (self, client_uuid, answer, embedding_version, session,
                                   shown_us, submitted_us, moves, n_moves, error);
  return end_submit (self, id, error);
}

/* The body of lk_lab_submit_marked(), inside its transaction: returns the answer's id, or 0. */
static gint64
submit_marked_in_transaction (LkLab          *self,
                              const char     *client_uuid,
                              const char     *policy,
                              const char     *kind,
                              gint64          gold,
                              gint64          repeat_of,
                              const LkQuery  *answer,
                              gint64          session,
                              gint64          shown_us,
                              gint64          submitted_us,
                              const LkMove   *moves,
                              guint           n_moves,
                              GError        **error)
{
  g_autofree char *session_text = g_strdup_printf ("%" G_GINT64_FORMAT, session);
  g_autofree char *shown = g_strdup_printf ("%" G_GINT64_FORMAT, shown_us);
  g_autofree char *submitted = g_strdup_printf ("%" G_GINT64_FORMAT, submitted_us);
  g_autofree char *bins = array_literal (lk_query_get_n_items (answer), get_bin, answer);
  g_autofree char *items = array_literal (lk_query_get_n_items (answer), get_item,
                                          lk_query_get_items (answer));
  g_autofree char *source = g_strdup_printf ("lab:%s", self->station);
  g_autofree char *now = lk_store_now_iso8601 ();
  g_autofree char *gold_text = gold > 0 ? g_strdup_printf ("%" G_GINT64_FORMAT, gold) : NULL;
  g_autofree char *repeat_text = repeat_of > 0 ? g_strdup_printf ("%" G_GINT64_FORMAT,
                                                                  repeat_of) : NULL;
  g_autofree char *n_text = g_strdup_printf ("%u", lk_query_get_n_items (answer));
  g_autoptr(PGresult) shows = NULL;
  g_autoptr(PGresult) query = NULL;
  gint64 existing;

  if (!lock_and_find_answer (self, "Saving the answer", client_uuid, NULL, &existing, error))
    return 0;
  if (existing != 0)
    return existing;

  /* The answer shows exactly the images of the known answer, or of the grid it repeats. */
  shows = lk_lab_exec (self, "Reading the grid it shows", error,
                       "WITH shown AS (SELECT item FROM gold_item WHERE gold = $1::bigint "
                       "  UNION ALL SELECT item FROM query_item WHERE query = $2::bigint) "
                       "SELECT count(*) = $4::bigint AND count(*) FILTER (WHERE item = "
                       "ANY ($3::bigint[])) = $4::bigint FROM shown",
                       4, gold_text, repeat_text, items, n_text);
  if (shows == NULL)
    return 0;
  if (PQgetvalue (shows, 0, 0)[0] != 't')
    {
      if (repeat_of > 0)
        g_set_error (error, LK_LAB_ERROR, LK_LAB_ERROR_INVALID,
                     "The answer does not show the images of grid %" G_GINT64_FORMAT
                     ", which it repeats", repeat_of);
      else
        g_set_error (error, LK_LAB_ERROR, LK_LAB_ERROR_INVALID,
                     "The answer does not show the images of known answer %" G_GINT64_FORMAT,
                     gold);
      return 0;
    }

  /* In the phase under way (its number: the phases stored, read under the phase lock), as a
   * study file stores a gold grid's answer; the replay and the refiner leave it out. After the
   * last phase (a session that began before the study's end) in the last one: a file holds no
   * query beyond its phases. */
  query = lk_lab_exec (self, "Storing the grid", error,
                       "WITH n AS (SELECT count(*) AS done, greatest(least(count(*), "
                       "  (SELECT value::bigint FROM param WHERE name = 'phases') - 1), 0) AS phase "
                       "  FROM phase), "
                       "q AS (INSERT INTO query (phase, policy, embedding_version, state, drawn, "
                       "  created, station, participant, kind, gold, repeat_of) SELECT n.phase, "
                       "  $1, n.done, 'answered', 0, $2, $3, "
                       "  (SELECT participant FROM session WHERE id = $4::bigint), $5, "
                       "  $6::bigint, $7::bigint FROM n RETURNING id), "
                       "i AS (INSERT INTO query_item (query, position, item) SELECT q.id, "
                       "  ord - 1, it FROM q, unnest($8::bigint[]) WITH ORDINALITY AS u (it, ord)) "
                       "SELECT id FROM q", 8, policy, now, self->station, session_text, kind,
                       gold_text, repeat_text, items);
  if (query == NULL)
    return 0;

  return insert_answer (self, PQgetvalue (query, 0, 0), session_text, shown, submitted, source,
                        client_uuid, FALSE, bins, moves, n_moves, NULL, error);
}

/**
 * lk_lab_submit_marked:
 * @self: a connection to a lab study
 * @client_uuid: the answer's own id, made before the first try and kept for every retry
 * @kind: %LK_TASK_EXAM for an exam's answer, %LK_TASK_SORT for a grid that checks its
 *   participant in a sorting block
 * @gold: the known answer (gold_grid) the grid shows, or 0
 * @repeat_of: the query the grid shows again, or 0; a sorting check has exactly one of the two,
 *   an exam's answer @gold only
 * @answer: the grid as shown, with its bins set
 * @session: the participant's session
 * @shown_us: when the grid was shown (µs since the epoch)
 * @submitted_us: when it was submitted
 * @moves: (array length=n_moves) (nullable): the participant's moves
 * @n_moves: their number
 * @error: return location for a #GError
 *
 * Stores the answer to a grid the refiner did not draw and the model is not given, as a study
 * file stores it (lk_gold_save_answer(), lk_answers_save_check()): its query row (policy
 * "gold" of kind exam, or "catch" or "repeat"; query.gold or query.repeat_of set; drawn = 0,
 * answered) in the phase under way, and the answer, in one transaction. As lk_lab_submit(), a
 * retry with the same @client_uuid never stores it twice.
 *
 * Returns: the answer's id, or 0 with @error set (%LK_LAB_ERROR_INVALID: the answer does not
 *   show the grid's images)
 */
gint64
lk_lab_submit_marked (LkLab          *self,
                      const char     *client_uuid,
                      LkTaskKind      kind,
                      gint64          gold,
                      gint64          repeat_of,
                      const LkQuery  *answer,
                      gint64          session,
                      gint64          shown_us,
                      gint64          submitted_us,
                      const LkMove   *moves,
                      guint           n_moves,
                      GError        **error)
{
  const char *policy;
  gint64 id;

  g_return_val_if_fail (client_uuid != NULL && g_uuid_string_is_valid (client_uuid), 0);
  g_return_val_if_fail (answer != NULL && lk_query_is_answered (answer), 0);
  g_return_val_if_fail (kind == LK_TASK_EXAM || kind == LK_TASK_SORT, 0);
  g_return_val_if_fail (kind == LK_TASK_SORT ? (gold > 0) != (repeat_of > 0)
                                             : gold > 0 && repeat_of == 0, 0);

  policy = kind == LK_TASK_EXAM ? LK_GOLD_POLICY
           : repeat_of > 0 ? LK_ANSWERS_POLICY_REPEAT : LK_ANSWERS_POLICY_CATCH;
  if (!lk_lab_run (self, "Saving the answer", error, "BEGIN", 0))
    return 0;
  id = submit_marked_in_transaction (self, client_uuid, policy, lk_task_kind_to_string (kind),
                                     gold, repeat_of, answer, session, shown_us, submitted_us,
                                     moves, n_moves, error);
  return end_submit (self, id, error);
}

/* The body of lk_lab_submit_trial(), inside its transaction: returns the answer's id, or 0. */
static gint64
submit_trial_in_transaction (LkLab          *self,
                             const char     *client_uuid,
                             const LkTrial  *trial,
                             guint           block,
                             gint64          session,
                             gint64          shown_us,
                             gint64          submitted_us,
                             GError        **error)
{
  g_autofree char *session_text = g_strdup_printf ("%" G_GINT64_FORMAT, session);
  g_autofree char *shown = g_strdup_printf ("%" G_GINT64_FORMAT, shown_us);
  g_autofree char *submitted = g_strdup_printf ("%" G_GINT64_FORMAT, submitted_us);
  g_autofree char *source = g_strdup_printf ("lab:%s", self->station);
  g_autofree char *now = lk_store_now_iso8601 ();
  g_autofree char *swapped = g_strdup_printf ("%d", trial->swapped ? 1 : 0);
  g_autofree char *key = g_strdup_printf ("%d", trial->key);
  g_autofree char *group = g_strdup_printf ("%u", trial->group);
  g_autofree char *block_text = g_strdup_printf ("%u", block);
  g_autofree char *choice = g_strdup_printf ("%d", trial->choice);
  g_autofree char *items = NULL;
  g_autoptr(PGresult) query = NULL;
  g_autoptr(PGresult) inserted = NULL;
  gint64 existing;

  /* Under the phase lock, as a grid drawn on the spot: no phase is stored while this counts
   * them, so the trial is in the phase the replay adds it to. */
  if (!lock_and_find_answer (self, "Saving the trial's answer", client_uuid, NULL, &existing,
                             error))
    return 0;
  if (existing != 0)
    return existing;
  items = array_literal (trial->n_items, get_item, trial->items);
  /* As lk_answers_save_trial() stores one in a study file: a query of the trial's kind, policy
   * "trial", in the phase the study is in (its completed phases), answered. */
  query = lk_lab_exec (self, "Storing the trial", error,
                       "WITH q AS (INSERT INTO query (phase, policy, embedding_version, state, "
                       "  drawn, created, station, participant, kind) VALUES ("
                       "  (SELECT count(*) FROM phase), $1, (SELECT count(*) FROM phase), "
                       "  'answered', 0, $2, $3, "
                       "  (SELECT participant FROM session WHERE id = $4::bigint), $5) "
                       "  RETURNING id), "
                       "i AS (INSERT INTO query_item (query, position, item) SELECT q.id, "
                       "  ord - 1, it FROM q, unnest($6::bigint[]) WITH ORDINALITY AS u (it, ord)), "
                       "t AS (INSERT INTO trial (query, swapped, key, trial_group, block) SELECT "
                       "  q.id, $7::bigint, $8::bigint, $9::bigint, $10::bigint FROM q) "
                       "SELECT id FROM q", 10, LK_ANSWERS_POLICY_TRIAL, now, self->station,
                       session_text, lk_task_kind_to_string (trial->kind), items, swapped, key,
                       group, block_text);
  if (query == NULL)
    return 0;
  inserted = lk_lab_exec (self, "Saving the trial's answer", error,
                          "INSERT INTO answer (query, participant, session, shown_us, "
                          "submitted_us, source, client_uuid, station, choice) VALUES ($1, "
                          "(SELECT participant FROM session WHERE id = $2::bigint), $2, $3, $4, "
                          "$5, $6::uuid, $7, $8::bigint) "
                          "ON CONFLICT (client_uuid) DO NOTHING RETURNING id",
                          8, PQgetvalue (query, 0, 0), session_text, shown, submitted, source,
                          client_uuid, self->station, choice);
  if (inserted == NULL)
    return 0;
  if (PQntuples (inserted) == 0)
    {
      /* The same answer, retried at once on another connection, came first. */
      lk_lab_rollback (self);
      existing = find_answer (self, client_uuid, NULL, error);
      return existing > 0 ? existing : 0;
    }
  if (!lk_lab_run (self, "Saving the trial's answer", error,
                   "INSERT INTO event (station, kind, payload) VALUES ($1, 'answer', "
                   "jsonb_build_object('query', $2::bigint, 'answer', $3::bigint, 'late', false))",
                   3, self->station, PQgetvalue (query, 0, 0), PQgetvalue (inserted, 0, 0)))
    return 0;

  return g_ascii_strtoll (PQgetvalue (inserted, 0, 0), NULL, 10);
}

/**
 * lk_lab_submit_trial:
 * @self: a connection to a lab study
 * @client_uuid: the answer's own id, made before the first try and kept for every retry
 * @trial: an answered trial (lk_trial_validate() accepts it)
 * @block: the session plan's block it belongs to, from 0
 * @session: the participant's session
 * @shown_us: when the trial was shown (µs since the epoch)
 * @submitted_us: when it was answered
 * @error: return location for a #GError
 *
 * Stores a trial of a task other than sorting (the table `trial`, mirrored from the study
 * file's schema) and its answer, in one transaction, as lk_answers_save_trial() does in a study
 * file; as lk_lab_submit(), a retry with the same @client_uuid never stores it twice.
 *
 * Returns: the answer's id, or 0 with @error set
 */
gint64
lk_lab_submit_trial (LkLab          *self,
                     const char     *client_uuid,
                     const LkTrial  *trial,
                     guint           block,
                     gint64          session,
                     gint64          shown_us,
                     gint64          submitted_us,
                     GError        **error)
{
  g_autoptr(GError) invalid = NULL;
  gint64 id;

  g_return_val_if_fail (client_uuid != NULL && g_uuid_string_is_valid (client_uuid), 0);
  g_return_val_if_fail (trial != NULL, 0);

  if (lk_task_kind_is_sorting (trial->kind) || !lk_trial_is_answered (trial)
      || !lk_trial_validate (trial, &invalid))
    {
      g_set_error (error, LK_LAB_ERROR, LK_LAB_ERROR_INVALID,
                   "The trial cannot be stored: %s",
                   invalid != NULL ? invalid->message : "it is not an answered trial");
      return 0;
    }
  if (!lk_lab_run (self, "Saving the trial's answer", error, "BEGIN", 0))
    return 0;
  id = submit_trial_in_transaction (self, client_uuid, trial, block, session, shown_us,
                                    submitted_us, error);
  return end_submit (self, id, error);
}

/**
 * lk_lab_count_trials:
 * @self: a connection to a lab study
 * @participant: a participant's code
 * @n_trials: (out): their answered trials
 * @error: return location for a #GError
 *
 * Returns: %TRUE on success
 */
gboolean
lk_lab_count_trials (LkLab       *self,
                     const char  *participant,
                     guint       *n_trials,
                     GError     **error)
{
  g_autoptr(PGresult) res = lk_lab_exec (self, "Counting the participant's trials", error,
                                         "SELECT count(*) FROM answer a JOIN query q ON q.id = "
                                         "a.query JOIN participant p ON p.id = a.participant "
                                         "WHERE p.code = $1 AND " LK_STORE_SQL_IS_TRIAL, 1,
                                         participant);

  if (res == NULL)
    return FALSE;
  *n_trials = (guint) g_ascii_strtoull (PQgetvalue (res, 0, 0), NULL, 10);

  return TRUE;
}

/**
 * lk_lab_get_embedding:
 * @self: a connection to a lab study
 * @newer_than: the phases the caller's embedding already has
 * @phases: (out): the phases stored (the returned embedding's version)
 * @n_items: (out): its rows
 * @dim: (out): its columns
 * @error: return location for a #GError
 *
 * Reads the latest stored phase's embedding, when more than @newer_than phases are stored.
 *
 * Returns: (transfer full) (nullable): n_items x dim doubles as stored, or %NULL (without
 *   @error when there is no newer phase)
 */
GBytes *
lk_lab_get_embedding (LkLab    *self,
                      guint     newer_than,
                      guint    *phases,
                      guint    *n_items,
                      guint    *dim,
                      GError  **error)
{
  g_autofree char *after = g_strdup_printf ("%u", newer_than);
  g_autoptr(PGresult) res = NULL;
  const char *hex;
  gsize len = 0;
  guchar *data;
  GBytes *bytes;

  res = lk_lab_exec (self, "Reading the latest embedding", error,
                     "SELECT phase + 1, n_items, dim, embedding FROM phase "
                     "WHERE phase + 1 > $1::bigint ORDER BY phase DESC LIMIT 1", 1, after);
  if (res == NULL || PQntuples (res) == 0)
    return NULL;
  hex = PQgetvalue (res, 0, 3);
  data = PQunescapeBytea ((const unsigned char *) hex, &len);
  *phases = (guint) g_ascii_strtoull (PQgetvalue (res, 0, 0), NULL, 10);
  *n_items = (guint) g_ascii_strtoull (PQgetvalue (res, 0, 1), NULL, 10);
  *dim = (guint) g_ascii_strtoull (PQgetvalue (res, 0, 2), NULL, 10);
  if (data == NULL || len != (gsize) *n_items * *dim * sizeof (double))
    {
      g_set_error (error, LK_LAB_ERROR, LK_LAB_ERROR_FAILED,
                   "The embedding of phase %u has %" G_GSIZE_FORMAT " bytes, not %u x %u "
                   "numbers", *phases, len, *n_items, *dim);
      PQfreemem (data);
      return NULL;
    }
  bytes = g_bytes_new (data, len);
  PQfreemem (data);

  return bytes;
}

/**
 * lk_lab_draw_spot:
 * @embedding: (nullable): n_items x dim doubles, row by row; %NULL before the first phase
 * @n_items: the images
 * @dim: the embedding's columns
 * @nq: images per grid (at most @n_items)
 * @k: the neighbours to choose among (the study's knn_k, at least 10, as the app's snapshot)
 * @seed: the draw's seed (the study's seed with the answers so far and the station mixed in)
 * @items: (out caller-allocates) (array fixed-size=nq): the grid, in display order
 *
 * Draws a grid on the spot, as the app does for a study file while a phase is folded in
 * (lk-refine-worker.c): a random image and @nq - 1 images chosen at random among its @k
 * nearest neighbours in the embedding, shuffled; before the first phase (no embedding), or
 * when the neighbours are too few, @nq images at random. Deterministic under @seed.
 */
void
lk_lab_draw_spot (const double *embedding,
                  guint         n_items,
                  guint         dim,
                  guint         nq,
                  guint         k,
                  guint64       seed,
                  guint        *items)
{
  g_autoptr(gsl_rng) rng = lk_rng_new (seed);

  g_return_if_fail (nq >= 2 && nq <= n_items);

  k = MIN (k, n_items - 1);
  if (embedding == NULL || k + 1 < nq)
    {
      g_autofree guint *all = g_new (guint, n_items);

      for (guint i = 0; i < n_items; i++)
        all[i] = i;
      gsl_ran_choose (rng, items, nq, all, n_items, sizeof (guint));
    }
  else
    {
      g_autofree guint *knn = lk_knn_compute (embedding, n_items, dim, k, NULL);

      items[0] = (guint) gsl_rng_uniform_int (rng, n_items);
      gsl_ran_choose (rng, items + 1, nq - 1, knn + (gsize) items[0] * k, k, sizeof (guint));
    }
  gsl_ran_shuffle (rng, items, nq, sizeof (guint));
}

/**
 * lk_lab_check_grids:
 * @self: a connection to a lab study
 * @problems: a line is appended for each problem found (a few of each kind)
 * @error: return location for a #GError
 *
 * Checks what only a lab study can get wrong: a grid marked answered without an answer, or
 * answered while not marked so, or handed out more often than %LK_LAB_MAX_ATTEMPTS.
 *
 * Returns: %TRUE when the check ran (whether or not it found problems)
 */
gboolean
lk_lab_check_grids (LkLab    *self,
                    GString  *problems,
                    GError  **error)
{
  g_autofree char *attempts = g_strdup_printf ("%d", LK_LAB_MAX_ATTEMPTS);
  g_autoptr(PGresult) res =
    lk_lab_exec (self, "Checking the grids", error,
                 "(SELECT q.id, q.state, a.id IS NOT NULL, q.attempts FROM query q "
                 "  LEFT JOIN answer a ON a.query = q.id "
                 "  WHERE (q.state = 'answered') <> (a.id IS NOT NULL) ORDER BY q.id LIMIT 10) "
                 "UNION ALL (SELECT id, state, NULL, attempts FROM query "
                 "  WHERE attempts > $1::integer ORDER BY id LIMIT 10)", 1, attempts);

  if (res == NULL)
    return FALSE;
  for (int r = 0; r < PQntuples (res); r++)
    {
      const char *id = PQgetvalue (res, r, 0), *state = PQgetvalue (res, r, 1);

      if (PQgetisnull (res, r, 2))
        g_string_append_printf (problems, "grid %s was handed out %s times (at most %d)\n", id,
                                PQgetvalue (res, r, 3), LK_LAB_MAX_ATTEMPTS);
      else if (PQgetvalue (res, r, 2)[0] == 't')
        g_string_append_printf (problems, "grid %s has an answer but is marked %s\n", id, state);
      else
        g_string_append_printf (problems, "grid %s is marked answered but has no answer\n", id);
    }

  return TRUE;
}
