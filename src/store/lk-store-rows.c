/* lk-store-rows.c — the study's own rows: counts, the integrity check, session settings,
 * participants and sessions
 *
 * Every write here is a single row in its own transaction, through lk_store_write_row().
 *
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "lk-collection.h"
#include "lk-store-private.h"

/* A sorting grid (kind 'sort'): neither a trial of another task nor an exam's or a training's
 * known answer. The budget counts these answers, and they are the counts' answers. */
#define SORTING "NOT " LK_STORE_SQL_IS_TRIAL " AND NOT " LK_STORE_SQL_IS_GOLD_TASK

/**
 * lk_store_get_counts:
 * @self: a study
 * @counts: (out caller-allocates): filled with the study's counts
 * @error: return location for a #GError
 *
 * Returns: %TRUE on success
 */
gboolean
lk_store_get_counts (LkStore        *self,
                     LkStoreCounts  *counts,
                     GError        **error)
{
  static const char *queries[] = {
    "SELECT count(*) FROM image",
    "SELECT count(*) FROM image WHERE missing = 1",
    "SELECT count(*) FROM query q WHERE " SORTING,
    "SELECT count(*) FROM query WHERE state IN ('pending', 'served')",
    "SELECT count(*) FROM answer a JOIN query q ON q.id = a.query WHERE " SORTING,
    "SELECT count(*) FROM participant",
    "SELECT count(*) FROM session",
    "SELECT count(*) FROM phase",
    "SELECT count(*) FROM query WHERE state = 'served'",
    "SELECT count(*) FROM query q WHERE state = 'answered' AND " SORTING,
    "SELECT count(*) FROM query WHERE state = 'abandoned'",
    "SELECT count(*) FROM query q WHERE " LK_STORE_SQL_IS_TRIAL,
    "SELECT count(*) FROM answer a JOIN query q ON q.id = a.query WHERE "
    LK_STORE_SQL_IS_GOLD_TASK,
    "SELECT count(*) FROM answer a JOIN query q ON q.id = a.query WHERE " SORTING " AND "
    LK_STORE_SQL_IS_CHECK,
  };
  guint *fields[] = {
    &counts->images, &counts->missing_images, &counts->queries, &counts->pending,
    &counts->answers, &counts->participants, &counts->sessions, &counts->phases_done,
    &counts->served, &counts->answered, &counts->abandoned, &counts->trials,
    &counts->exam_answers, &counts->check_answers,
  };

  G_STATIC_ASSERT (G_N_ELEMENTS (queries) == G_N_ELEMENTS (fields));
  g_return_val_if_fail (self != NULL && counts != NULL, FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (queries); i++)
    {
      gint64 n;

      if (!lk_store_query_int (self, queries[i], 0, &n, error))
        return FALSE;
      *fields[i] = (guint) n;
    }

  return TRUE;
}

/**
 * lk_store_get_n_images:
 * @self: a study opened with lk_store_open()'s checks
 * @n_images: (out): the number of images, missing ones included (as #LkStoreCounts.images)
 * @error: return location for a #GError
 *
 * The count that lk_store_get_counts() gives, without reading the image table: at 100,000
 * images its count took a scan, on the main thread when Sort Grids opened.
 *
 * Returns: %TRUE on success
 */
gboolean
lk_store_get_n_images (LkStore  *self,
                       guint    *n_images,
                       GError  **error)
{
  gint64 n;

  g_return_val_if_fail (self != NULL && n_images != NULL, FALSE);

  if (!lk_store_query_int (self, LK_STORE_SQL_N_IMAGES, 0, &n, error))
    return FALSE;
  *n_images = (guint) n;

  return TRUE;
}

/* The study's values the code cannot use, each check one query whose rows are the lines to
 * report, naming the row. They run on every open (lk_store_open()) and in lk_store_check();
 * each is one scan of a table or an index, so a large study opens a few milliseconds later.
 * :nc and :phases are the study's parameters. */
static const char *const value_checks[] = {
  /* Ids: the code uses 0 as "none" and the core numbers images from 0 to n - 1. */
  "SELECT 'participant ' || id || ': ids must be positive' FROM participant WHERE id <= 0 "
  "UNION ALL SELECT 'session ' || id || ': ids must be positive' FROM session WHERE id <= 0 "
  "UNION ALL SELECT 'query ' || id || ': ids must be positive' FROM query WHERE id <= 0 "
  "UNION ALL SELECT 'answer ' || id || ': ids must be positive' FROM answer WHERE id <= 0 "
  "UNION ALL SELECT 'judging_round ' || id || ': ids must be positive' FROM judging_round "
  "  WHERE id <= 0",
  "SELECT 'image ' || item || ': image numbers must run from 0 to the number of images - 1 ('"
  "  || ((SELECT count(*) FROM image) - 1) || ')' FROM image"
  "  WHERE item < 0 OR item >= (SELECT count(*) FROM image)",
  "SELECT 'query ' || id || ': state ''' || state || ''' is none of pending, served,"
  " answered, abandoned' FROM query WHERE state NOT IN ('pending', 'served', 'answered', 'abandoned')",
  /* Phases: a replay walks every phase number up to the largest stored. */
  "SELECT 'query ' || id || ': phase ' || phase || ' is beyond the study''s phases (' || :phases"
  "  || ', ' || (SELECT count(*) FROM phase) || ' done)' FROM query q WHERE phase < 0"
  "  OR (phase >= :phases AND NOT " LK_STORE_SQL_IS_TRIAL ")"
  "  OR phase > (SELECT count(*) FROM phase) + 1",
  "SELECT 'phase ' || phase || ': phases must run from 0 to the number of phases done - 1 ('"
  "  || ((SELECT count(*) FROM phase) - 1) || ') and stay below the study''s ' || :phases"
  "  FROM phase WHERE phase < 0 OR phase >= :phases OR phase >= (SELECT count(*) FROM phase)",
  /* Grids and bins */
  "SELECT 'query ' || query || ': image ' || item || ' at position ' || position || ' is not in"
  " the collection' FROM query_item WHERE position < 0 OR item < 0"
  "  OR item >= (SELECT count(*) FROM image)",
  "SELECT 'answer ' || answer || ': bin ' || bin || ' at position ' || position || ' is outside -1"
  " (left out) to ' || (:nc - 1) FROM answer_bin WHERE bin < -1 OR bin >= :nc"
  "  OR position < 0",
  /* Judging rounds */
  "SELECT 'judging_round ' || id || ': k = ' || k || ' is outside 1 to '"
  "  || min(1000, (SELECT count(*) FROM image) - 1) FROM judging_round"
  "  WHERE k < 1 OR k > min(1000, (SELECT count(*) FROM image) - 1)",
  "SELECT 'judging_round ' || id || ': phase ' || phase || ' is not a phase done'"
  "  FROM judging_round WHERE phase IS NOT NULL"
  "  AND (phase < 0 OR phase >= (SELECT count(*) FROM phase))",
};

/* Values that do not make the code crash or spin, and cost more to find (a sort of every grid
 * position: 0.25 s for 50,000 answers; a read of every thumbnail): lk_store_check() alone. */
static const char *const slow_value_checks[] = {
  /* Thumbnails: reading the start of each one reads a page per image (20,000 reads on a
   * collection of 20,000, on every open by every thread); a thumbnail that does not decode is
   * reported where it is shown, naming the image, so only check looks for them all. */
  "SELECT 'thumbnail ' || item || ': not a PNG (re-import the images to remake it)'"
  "  FROM thumbnail WHERE substr(png, 1, 8) != x'89504e470d0a1a0a'",
  "SELECT 'query ' || query || ': image ' || item || ' is shown at ' || count(*) || ' positions'"
  "  FROM query_item GROUP BY query, item HAVING count(*) > 1",
};

/* At most this many lines per check: enough to find the rows, bounded for a wrecked file. */
#define MAX_LINES_PER_CHECK 8

/* Runs @sqls, appending their rows to @problems. */
static gboolean
run_value_checks (LkStore            *self,
                  const char * const *sqls,
                  guint               n_sqls,
                  GString            *problems,
                  GError            **error)
{
  for (guint i = 0; i < n_sqls; i++)
    {
      sqlite3_stmt *stmt = lk_store_prepare (self, sqls[i], error);
      guint n = 0;
      int rc, index;

      if (stmt == NULL)
        return FALSE;
      if ((index = sqlite3_bind_parameter_index (stmt, ":nc")) > 0)
        sqlite3_bind_int64 (stmt, index, self->params.nc);
      if ((index = sqlite3_bind_parameter_index (stmt, ":phases")) > 0)
        sqlite3_bind_int64 (stmt, index, self->params.phases);
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          if (++n > MAX_LINES_PER_CHECK)
            {
              g_string_append (problems, "… and more of the same\n");
              rc = SQLITE_DONE;
              break;
            }
          g_string_append_printf (problems, "%s\n", sqlite3_column_text (stmt, 0));
        }
      sqlite3_reset (stmt);
      if (rc != SQLITE_DONE)
        {
          lk_store_set_error (self, error, rc, "Checking the study's values");
          return FALSE;
        }
    }

  return TRUE;
}

/**
 * lk_store_validate:
 * @self: a study
 * @problems: where to append one line per value the code cannot use
 * @error: return location for a #GError, set only when the file could not be read
 *
 * Returns: %TRUE if the checks ran (@problems says whether they found anything)
 */
gboolean
lk_store_validate (LkStore  *self,
                   GString  *problems,
                   GError  **error)
{
  return lk_store_params_check (self, problems, error) &&
         run_value_checks (self, value_checks, G_N_ELEMENTS (value_checks), problems, error);
}

/* Appends a line for each thumbnail that does not decode (at most MAX_LINES_PER_CHECK). */
static gboolean
check_thumbnails (LkStore  *self,
                  GString  *problems,
                  GError  **error)
{
  g_autoptr(GArray) items = lk_store_query_ids (self, "SELECT item FROM thumbnail WHERE ? = 0"
                                                " ORDER BY item", 0, "Reading the thumbnails",
                                                error);
  guint n = 0;

  if (items == NULL)
    return FALSE;
  for (guint i = 0; i < items->len && n <= MAX_LINES_PER_CHECK; i++)
    {
      gint64 item = g_array_index (items, gint64, i);
      g_autoptr(GError) local_error = NULL;
      g_autoptr(GdkPixbuf) thumb = lk_collection_get_thumbnail (self, (guint) item,
                                                                &local_error);

      if (thumb != NULL)
        continue;
      if (++n > MAX_LINES_PER_CHECK)
        g_string_append (problems, "… and more of the same\n");
      else
        g_string_append_printf (problems, "thumbnail %" G_GINT64_FORMAT ": does not decode "
                                "(re-import the images to remake it)\n", item);
    }

  return TRUE;
}

/**
 * lk_store_check:
 * @self: a study
 * @report: (out) (optional) (transfer full): one line per problem found, or "ok"
 * @error: return location for a #GError
 *
 * Runs SQLite's integrity_check and foreign_key_check, then the study's own invariants: every
 * answer has one bin per grid position, every answered query has its answer, and every stored
 * value is one the code can use (lk_store_validate(): ids, states, phases, bins, parameters).
 * A study whose creation was not finished is reported too, with how to finish it.
 *
 * Returns: %TRUE if the study is sound; otherwise %FALSE with %LK_STORE_ERROR_DAMAGED, or
 *   %LK_STORE_ERROR_UNFINISHED when that is the only problem
 */
gboolean
lk_store_check (LkStore  *self,
                char    **report,
                GError  **error)
{
  static const struct {
    const char *sql;
    const char *what;
  } checks[] = {
    { "PRAGMA integrity_check", NULL },
    { "SELECT \"table\" || ' ' || coalesce(rowid, '') || ': refers to a missing row of ' || parent"
      " FROM pragma_foreign_key_check", "foreign key violation:" },
    { "SELECT a.id FROM answer a JOIN query q ON q.id = a.query WHERE NOT " LK_STORE_SQL_IS_TRIAL
      " AND (SELECT count(*) FROM answer_bin b WHERE b.answer = a.id)"
      " != (SELECT count(*) FROM query_item qi WHERE qi.query = a.query)",
      "answer without one bin per grid position:" },
    { "SELECT a.id FROM answer a JOIN query q ON q.id = a.query WHERE " LK_STORE_SQL_IS_TRIAL
      " AND (a.choice IS NULL OR EXISTS (SELECT 1 FROM answer_bin b WHERE b.answer = a.id))",
      "trial answer without a choice, or with bins:" },
    { "SELECT q.id FROM query q WHERE " LK_STORE_SQL_IS_TRIAL
      " AND NOT EXISTS (SELECT 1 FROM trial t WHERE t.query = q.id)",
      "trial without its trial row:" },
    { "SELECT a.answer FROM answer_group_name a JOIN answer x ON x.id = a.answer"
      " JOIN query q ON q.id = x.query WHERE " LK_STORE_SQL_IS_TRIAL,
      "group names on a trial's answer:" },
    { "SELECT q.id FROM query q WHERE q.state = 'answered' AND NOT EXISTS"
      " (SELECT 1 FROM answer a WHERE a.query = q.id)",
      "answered query without an answer:" },
  };
  g_autoptr(GString) problems = g_string_new (NULL);
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (self != NULL, FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (checks); i++)
    {
      sqlite3_stmt *stmt = NULL;
      int rc = sqlite3_prepare_v2 (self->db, checks[i].sql, -1, &stmt, NULL);

      if (rc == SQLITE_OK)
        {
          while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
            {
              const char *first = (const char *) sqlite3_column_text (stmt, 0);

              if (checks[i].what == NULL && g_strcmp0 (first, "ok") == 0)
                continue;
              g_string_append_printf (problems, "%s%s%s\n",
                                      checks[i].what ? checks[i].what : "",
                                      checks[i].what ? " " : "", first ? first : "");
            }
        }
      sqlite3_finalize (stmt);
      if (rc != SQLITE_DONE)
        g_string_append_printf (problems, "%s\n", sqlite3_errstr (rc));
    }
  if (!lk_store_validate (self, problems, &local_error) ||
      !lk_answers_check_trials (self, problems, MAX_LINES_PER_CHECK, &local_error) ||
      !run_value_checks (self, slow_value_checks, G_N_ELEMENTS (slow_value_checks), problems,
                         &local_error) ||
      !check_thumbnails (self, problems, &local_error))
    g_string_append_printf (problems, "%s\n", local_error->message);

  /* Not damage, but not a study to run either: said on its own when it is the only problem. */
  if (self->unfinished != NULL)
    {
      g_autofree char *message = lk_store_unfinished_message (self->path, self->unfinished);

      if (problems->len > 0)
        g_string_append_printf (problems, "%s\n", message);
      else
        {
          g_set_error_literal (error, LK_STORE_ERROR, LK_STORE_ERROR_UNFINISHED, message);
          if (report != NULL)
            *report = g_strconcat (message, "\n", NULL);
          return FALSE;
        }
    }

  if (problems->len > 0)
    {
      g_set_error (error, LK_STORE_ERROR, LK_STORE_ERROR_DAMAGED,
                   "The study file is damaged: %s - %s", problems->str, self->path);
      if (report != NULL)
        *report = g_string_free (g_steal_pointer (&problems), FALSE);
      return FALSE;
    }

  if (report != NULL)
    *report = g_strdup ("ok");

  return TRUE;
}

/**
 * lk_store_get_setting:
 * @self: a study
 * @key: a setting's name
 * @error: return location for a #GError
 *
 * Reads one of the study's session settings (schema 4).
 *
 * Returns: (transfer full) (nullable): the value; %NULL without @error when the study has no
 *   such setting (the caller's default applies), or %NULL with @error set when reading failed
 */
char *
lk_store_get_setting (LkStore     *self,
                      const char  *key,
                      GError     **error)
{
  sqlite3_stmt *stmt;
  char *value = NULL;
  int rc;

  g_return_val_if_fail (self != NULL && key != NULL, NULL);

  stmt = lk_store_prepare (self, "SELECT value FROM setting WHERE key = ?", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  else if (rc != SQLITE_DONE)
    lk_store_set_error (self, error, rc, "Reading a setting");
  sqlite3_reset (stmt);

  return value;
}

/**
 * lk_store_set_setting:
 * @self: a study open for writing
 * @key: a setting's name
 * @value: (nullable): its value; %NULL removes the setting (the default applies again)
 * @error: return location for a #GError
 *
 * Writes one session setting in its own transaction.
 *
 * Returns: %TRUE once committed; %FALSE with @error set, the file unchanged
 */
gboolean
lk_store_set_setting (LkStore     *self,
                      const char  *key,
                      const char  *value,
                      GError     **error)
{
  g_return_val_if_fail (self != NULL && key != NULL, FALSE);

  if (value == NULL)
    return lk_store_write_row (self, NULL, NULL, "Writing a setting", error,
                               "DELETE FROM setting WHERE key = ?", "s", key);

  return lk_store_write_row (self, NULL, NULL, "Writing a setting", error,
                             "INSERT OR REPLACE INTO setting (key, value) VALUES (?, ?)", "ss",
                             key, value);
}

/**
 * lk_store_add_participant:
 * @self: a study
 * @code: a pseudonymous code, unique in the study
 * @consent: whether consent was given
 * @pilot: whether this is a pilot participant (excluded from analyses that ask)
 * @notes: (nullable): free text
 * @error: return location for a #GError
 *
 * Returns: the participant's id (> 0), or 0 with @error set
 */
gint64
lk_store_add_participant (LkStore     *self,
                          const char  *code,
                          gboolean     consent,
                          gboolean     pilot,
                          const char  *notes,
                          GError     **error)
{
  g_autofree char *created = lk_store_now_iso8601 ();
  gint64 id = 0;

  g_return_val_if_fail (self != NULL && code != NULL, 0);

  if (!lk_store_write_row (self, &id, NULL, "Adding the participant", error,
                           "INSERT INTO participant (code, created, consent, pilot, notes) "
                           "VALUES (?, ?, ?, ?, ?)", "ssiis",
                           code, created, consent ? 1 : 0, pilot ? 1 : 0,
                           notes != NULL ? notes : ""))
    return 0;

  return id;
}

/**
 * lk_store_find_participant:
 * @self: a study
 * @code: a participant code
 *
 * Returns: the participant's id, or 0 if there is none with @code
 */
gint64
lk_store_find_participant (LkStore    *self,
                           const char *code)
{
  sqlite3_stmt *stmt;
  gint64 id = 0;

  g_return_val_if_fail (self != NULL && code != NULL, 0);

  stmt = lk_store_prepare (self, "SELECT id FROM participant WHERE code = ?", NULL);
  if (stmt == NULL)
    return 0;
  sqlite3_bind_text (stmt, 1, code, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    id = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);

  return id;
}

/**
 * lk_store_list_participants:
 * @self: a study
 * @error: return location for a #GError
 *
 * Reads only: every participant in the order they were added, with their pilot flag and how
 * many answers they gave (for the study's overview).
 *
 * Returns: (transfer full) (element-type LkStoreParticipant): the participants, or %NULL on
 *   error; the array frees each code
 */
GArray *
lk_store_list_participants (LkStore  *self,
                            GError  **error)
{
  g_autoptr(GArray) list = g_array_new (FALSE, TRUE, sizeof (LkStoreParticipant));
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (self != NULL, NULL);

  g_array_set_clear_func (list, lk_store_participant_clear);
  stmt = lk_store_prepare (self, "SELECT p.code, p.pilot, (SELECT count(*) FROM answer a "
                           "WHERE a.participant = p.id) FROM participant p ORDER BY p.id", error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      LkStoreParticipant p = {
        .code = g_strdup ((const char *) sqlite3_column_text (stmt, 0)),
        .pilot = sqlite3_column_int (stmt, 1) != 0,
        .answers = (guint) sqlite3_column_int64 (stmt, 2),
      };

      g_array_append_val (list, p);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      lk_store_set_error (self, error, rc, "Reading the participants");
      return NULL;
    }

  return g_steal_pointer (&list);
}

/**
 * lk_store_participant_clear:
 * @participant: (type LkStoreParticipant): a row of lk_store_list_participants()
 */
void
lk_store_participant_clear (gpointer participant)
{
  g_clear_pointer (&((LkStoreParticipant *) participant)->code, g_free);
}

/**
 * lk_store_begin_session:
 * @self: a study
 * @participant: a participant id
 * @station: the name of the machine or room
 * @error: return location for a #GError
 *
 * Returns: the session's id (> 0), or 0 with @error set
 */
gint64
lk_store_begin_session (LkStore     *self,
                        gint64       participant,
                        const char  *station,
                        GError     **error)
{
  g_autofree char *started = lk_store_now_iso8601 ();
  gint64 id = 0;

  g_return_val_if_fail (self != NULL && station != NULL, 0);

  if (!lk_store_write_row (self, &id, NULL, "Starting the session", error,
                           "INSERT INTO session (participant, station, started) VALUES (?, ?, ?)",
                           "xss", participant, station, started))
    return 0;

  return id;
}

gboolean
lk_store_end_session (LkStore  *self,
                      gint64    session,
                      GError  **error)
{
  g_autofree char *ended = lk_store_now_iso8601 ();
  g_autofree char *missing = g_strdup_printf ("No session %" G_GINT64_FORMAT, session);

  g_return_val_if_fail (self != NULL, FALSE);

  return lk_store_write_row (self, NULL, missing, "Ending the session", error,
                             "UPDATE session SET ended = ? WHERE id = ?", "sx", ended, session);
}

/**
 * lk_store_get_answer_times:
 * @self: a study
 * @participants: (out) (transfer full) (element-type utf8 guint): participant code -> number of
 *   answers (GUINT_TO_POINTER); answers without a participant are not in it
 * @seconds: (out) (transfer full) (element-type double): seconds from showing each answered
 *   grid to its submission, in the order the answers were committed
 * @error: return location for a #GError
 *
 * Reads only: for the progress of a whole study (the experimenter's views).
 *
 * Returns: %TRUE on success
 */
gboolean
lk_store_get_answer_times (LkStore     *self,
                           GHashTable **participants,
                           GArray     **seconds,
                           GError     **error)
{
  g_autoptr(GHashTable) counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (double));
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (self != NULL && participants != NULL && seconds != NULL, FALSE);

  stmt = lk_store_prepare (self, "SELECT p.code, a.submitted_us - a.shown_us FROM answer a "
                           "LEFT JOIN participant p ON p.id = a.participant ORDER BY a.id", error);
  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *code = (const char *) sqlite3_column_text (stmt, 0);
      double s = sqlite3_column_int64 (stmt, 1) / (double) G_USEC_PER_SEC;

      if (code != NULL)
        {
          guint n = GPOINTER_TO_UINT (g_hash_table_lookup (counts, code));

          g_hash_table_replace (counts, g_strdup (code), GUINT_TO_POINTER (n + 1));
        }
      if (s >= 0)
        g_array_append_val (times, s);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      lk_store_set_error (self, error, rc, "Reading the answers' participants");
      return FALSE;
    }
  *participants = g_steal_pointer (&counts);
  *seconds = g_steal_pointer (&times);

  return TRUE;
}
