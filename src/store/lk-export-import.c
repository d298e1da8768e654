/* lk-export-import.c — answers imported from the tidy CSV of lk-export.c
 *
 * Importing reads the same form: rows are grouped by "answer", items are matched by "path"
 * (so the file can come from another study of the same images), and each group becomes a new
 * answered query of the current phase with source "import:FILE". Every bad row is reported
 * with its line number, and either all answers are stored, in one transaction, or none.
 *
 * Memory does not grow with the file: inside the one write transaction the rows are streamed,
 * a line at a time, into TEMP tables of the study's connection, which SQLite keeps in a
 * temporary file behind a page cache of fixed size (temp_store is set to FILE for it). The
 * rows of one answer need not be next to each other (a CSV re-sorted in a spreadsheet still
 * imports): an index on (answer, line) lets one pass check and group them one answer at a
 * time; the problems found are kept in a temp table too and listed by line; the answers that
 * pass are inserted in the order of their first line, and the fingerprints of the study's
 * answers and of those added go into an indexed temp table instead of an in-memory set. Any
 * problem rolls the transaction back, temp tables included. So what is held in memory is one
 * answer, one line and SQLite's caches, whatever the number of answers.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "lk-export.h"

#include "lk-answers.h"
#include "lk-store-private.h"

/* The temp tables of one import: created (after any left over) inside its transaction, so a
 * rollback takes them away; dropped before its commit. */
#define IMPORT_TABLES_DROP \
  "DROP TABLE IF EXISTS temp.import_row; DROP TABLE IF EXISTS temp.import_problem; " \
  "DROP TABLE IF EXISTS temp.import_answer; DROP TABLE IF EXISTS temp.import_fingerprint; " \
  "DROP TABLE IF EXISTS temp.import_session;"
#define IMPORT_TABLES_CREATE \
  /* The rows that passed the checks of a single line; item is 0-based, bin may be -1. */ \
  "CREATE TEMP TABLE import_row (line INTEGER PRIMARY KEY, answer TEXT NOT NULL, " \
  "participant TEXT NOT NULL, session TEXT NOT NULL, position INTEGER NOT NULL, " \
  "item INTEGER NOT NULL, bin INTEGER NOT NULL, shown INTEGER NOT NULL, " \
  "submitted INTEGER NOT NULL);" \
  /* kind 0: a row's problem, listed first by line; kind 1: an answer's, after them in the \
   * order of the answers' first lines (seq orders two problems of one answer). */ \
  "CREATE TEMP TABLE import_problem (kind INTEGER NOT NULL, line INTEGER NOT NULL, " \
  "seq INTEGER NOT NULL, message TEXT NOT NULL);" \
  /* One row per good answer, keyed by its first line; items and bins are arrays by position \
   * (guint and gint in this machine's byte order). */ \
  "CREATE TEMP TABLE import_answer (first_line INTEGER PRIMARY KEY, answer TEXT NOT NULL, " \
  "participant TEXT NOT NULL, session TEXT NOT NULL, shown INTEGER NOT NULL, " \
  "submitted INTEGER NOT NULL, items BLOB NOT NULL, bins BLOB NOT NULL);" \
  "CREATE TEMP TABLE import_fingerprint (fingerprint TEXT PRIMARY KEY) WITHOUT ROWID;" \
  "CREATE TEMP TABLE import_session (participant TEXT NOT NULL, session TEXT NOT NULL, " \
  "id INTEGER NOT NULL, PRIMARY KEY (participant, session)) WITHOUT ROWID;"

/* Parses @text as a whole number in [@min, @max]. */
static gboolean
parse_int (const char *text,
           gint64      min,
           gint64      max,
           gint64     *out)
{
  return g_ascii_string_to_signed (text, 10, min, max, out, NULL);
}

/* Returns what identifies an answer whatever study or file it comes from: its participant's
 * code, its times, and the image and bin at each position, as a SHA-256 (so that a study's
 * worth of them stays small). */
static char *
answer_fingerprint (const char  *participant,
                    gint64       shown_us,
                    gint64       submitted_us,
                    const guint *items,
                    const gint  *bins,
                    guint        n)
{
  g_autoptr(GString) text = g_string_new (NULL);

  g_string_append_printf (text, "%s\x1f%" G_GINT64_FORMAT "\x1f%" G_GINT64_FORMAT,
                          participant != NULL ? participant : "", shown_us, submitted_us);
  for (guint i = 0; i < n; i++)
    g_string_append_printf (text, "\x1f%u:%d", items[i], bins[i]);

  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, text->str, text->len);
}


/* Adds @fingerprint to the import's set; *@added tells whether it was new. */
static gboolean
add_fingerprint (LkStore     *store,
                 const char  *fingerprint,
                 gboolean    *added,
                 GError     **error)
{
  sqlite3_stmt *stmt = lk_store_prepare (store, "INSERT OR IGNORE INTO temp.import_fingerprint "
                                         "(fingerprint) VALUES (?)", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, fingerprint, -1, SQLITE_TRANSIENT);
  if (!lk_store_step_done (store, stmt, "Noting an answer's fingerprint", error))
    return FALSE;
  *added = sqlite3_changes (lk_store_get_db (store)) > 0;

  return TRUE;
}

/* Adds the fingerprints of every answer in @store (answer_fingerprint()) to the import's set,
 * one answer at a time. */
static gboolean
add_stored_fingerprints (LkStore  *store,
                         GError  **error)
{
  g_autoptr(GArray) items = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GArray) bins = g_array_new (FALSE, FALSE, sizeof (gint));
  g_autofree char *participant = NULL;
  gint64 answer = 0, shown = 0, submitted = 0;
  sqlite3_stmt *stmt;
  int rc;

  stmt = lk_store_prepare (store,
                           "SELECT a.id, p.code, a.shown_us, a.submitted_us, qi.item, b.bin "
                           "FROM answer a JOIN answer_bin b ON b.answer = a.id "
                           "JOIN query_item qi ON qi.query = a.query AND qi.position = b.position "
                           "LEFT JOIN participant p ON p.id = a.participant "
                           "ORDER BY a.id, b.position", error);
  if (stmt == NULL)
    return FALSE;
  for (;;)
    {
      rc = sqlite3_step (stmt);
      if (items->len > 0 && (rc != SQLITE_ROW || sqlite3_column_int64 (stmt, 0) != answer))
        {
          g_autofree char *fingerprint = answer_fingerprint (participant, shown, submitted,
                                                             (const guint *) items->data,
                                                             (const gint *) bins->data,
                                                             items->len);
          gboolean added;

          /* A different statement: this one stays on its row. */
          if (!add_fingerprint (store, fingerprint, &added, error))
            {
              sqlite3_reset (stmt);
              return FALSE;
            }
          g_array_set_size (items, 0);
          g_array_set_size (bins, 0);
        }
      if (rc != SQLITE_ROW)
        break;
      if (items->len == 0)
        {
          answer = sqlite3_column_int64 (stmt, 0);
          g_free (participant);
          participant = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
          shown = sqlite3_column_int64 (stmt, 2);
          submitted = sqlite3_column_int64 (stmt, 3);
        }
      {
        guint item = (guint) sqlite3_column_int (stmt, 4);
        gint bin = sqlite3_column_int (stmt, 5);

        g_array_append_val (items, item);
        g_array_append_val (bins, bin);
      }
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      lk_store_set_error (store, error, rc, "Reading the study's answers");
      return FALSE;
    }

  return TRUE;
}

/* Keeps a problem of the file for the report (see import_problem). */
static gboolean
record_problem (LkStore     *store,
                gint         kind,
                guint        line,
                gint         seq,
                const char  *message,
                GError     **error)
{
  sqlite3_stmt *stmt = lk_store_prepare (store, "INSERT INTO temp.import_problem (kind, line, "
                                         "seq, message) VALUES (?, ?, ?, ?)", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int (stmt, 1, kind);
  sqlite3_bind_int64 (stmt, 2, line);
  sqlite3_bind_int (stmt, 3, seq);
  sqlite3_bind_text (stmt, 4, message, -1, SQLITE_TRANSIENT);

  return lk_store_step_done (store, stmt, "Noting a problem of the file", error);
}

/* The answer being checked by check_answers(), built from its rows in the order of their
 * lines, as the import has always read them. */
typedef struct {
  char    *key;          /* the "answer" column */
  guint    first_line;
  char    *participant;
  char    *session;      /* the "session" column: one session per participant and this */
  gint64   shown_us;
  gint64   submitted_us;
  GArray  *items;        /* by position */
  GArray  *bins;
  GArray  *seen;         /* gboolean by position */
} Group;

/* Checks @g as a whole (every position from 0, at least 2 of them); if it and the file so
 * far (*@n_problems) are good, keeps it in import_answer. */
static gboolean
finish_group (LkStore  *store,
              Group    *g,
              guint    *n_problems,
              GError  **error)
{
  gboolean good = TRUE;
  sqlite3_stmt *stmt;

  for (guint p = 0; p < g->seen->len; p++)
    if (!g_array_index (g->seen, gboolean, p))
      {
        g_autofree char *message = g_strdup_printf ("answer %s has no position %u", g->key, p);

        if (!record_problem (store, 1, g->first_line, 0, message, error))
          return FALSE;
        (*n_problems)++;
        good = FALSE;
        break;
      }
  if (g->seen->len < 2)
    {
      g_autofree char *message = g_strdup_printf ("answer %s has fewer than 2 items", g->key);

      if (!record_problem (store, 1, g->first_line, 1, message, error))
        return FALSE;
      (*n_problems)++;
      good = FALSE;
    }
  if (!good || *n_problems > 0)
    return TRUE;

  stmt = lk_store_prepare (store, "INSERT INTO temp.import_answer (first_line, answer, "
                           "participant, session, shown, submitted, items, bins) "
                           "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, g->first_line);
  sqlite3_bind_text (stmt, 2, g->key, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, g->participant, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, g->session, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 5, g->shown_us);
  sqlite3_bind_int64 (stmt, 6, g->submitted_us);
  sqlite3_bind_blob (stmt, 7, g->items->data, g->items->len * sizeof (guint), SQLITE_TRANSIENT);
  sqlite3_bind_blob (stmt, 8, g->bins->data, g->bins->len * sizeof (gint), SQLITE_TRANSIENT);

  return lk_store_step_done (store, stmt, "Keeping an answer of the file", error);
}

/* Groups the rows of import_row by answer, one answer at a time (ordered by answer, then
 * line), with the checks that need the answer's other rows, and counts the problems in
 * *@n_problems; @paths are the study's, by item. */
static gboolean
check_answers (LkStore    *store,
               GPtrArray  *paths,
               guint      *n_problems,
               GError    **error)
{
  Group g = { 0 };
  gboolean ok = FALSE, open = FALSE;
  sqlite3_stmt *stmt;
  int rc;

  g.items = g_array_new (FALSE, TRUE, sizeof (guint));
  g.bins = g_array_new (FALSE, TRUE, sizeof (gint));
  g.seen = g_array_new (FALSE, TRUE, sizeof (gboolean));
  stmt = lk_store_prepare (store, "SELECT line, answer, participant, session, position, item, "
                           "bin, shown, submitted FROM temp.import_row ORDER BY answer, line",
                           error);
  if (stmt == NULL)
    goto out;
  for (;;)
    {
      const char *key, *participant;
      g_autofree char *message = NULL;
      guint line, item;
      gint64 position;
      gboolean twice = FALSE;

      rc = sqlite3_step (stmt);
      if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        {
          lk_store_set_error (store, error, rc, "Reading the file's rows");
          goto out;
        }
      key = rc == SQLITE_ROW ? (const char *) sqlite3_column_text (stmt, 1) : NULL;
      if (open && (key == NULL || strcmp (key, g.key) != 0))
        {
          if (!finish_group (store, &g, n_problems, error))
            goto out;
          open = FALSE;
        }
      if (key == NULL)
        break;

      line = (guint) sqlite3_column_int64 (stmt, 0);
      participant = (const char *) sqlite3_column_text (stmt, 2);
      position = sqlite3_column_int64 (stmt, 4);
      item = (guint) sqlite3_column_int64 (stmt, 5);
      if (!open)
        {
          g_free (g.key);
          g_free (g.participant);
          g_free (g.session);
          g.key = g_strdup (key);
          g.first_line = line;
          g.participant = g_strdup (participant);
          g.session = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
          g.shown_us = sqlite3_column_int64 (stmt, 7);
          g.submitted_us = sqlite3_column_int64 (stmt, 8);
          g_array_set_size (g.items, 0);
          g_array_set_size (g.bins, 0);
          g_array_set_size (g.seen, 0);
          open = TRUE;
        }
      else if (strcmp (g.participant, participant) != 0)
        {
          message = g_strdup_printf ("answer %s has two participants ('%s' and '%s')", key,
                                     g.participant, participant);
          goto problem;
        }
      if (position >= g.seen->len)
        {
          g_array_set_size (g.items, position + 1);
          g_array_set_size (g.bins, position + 1);
          g_array_set_size (g.seen, position + 1);
        }
      if (g_array_index (g.seen, gboolean, position))
        {
          message = g_strdup_printf ("answer %s has position %" G_GINT64_FORMAT " twice", key,
                                     position);
          goto problem;
        }
      /* A grid shows each image once; the evidence code cannot take one at two places. */
      for (guint p = 0; p < g.seen->len && !twice; p++)
        twice = g_array_index (g.seen, gboolean, p) && g_array_index (g.items, guint, p) == item;
      if (twice)
        {
          /* The file named the image by this very path (items are found by it). */
          message = g_strdup_printf ("answer %s shows the image '%s' at two positions", key,
                                     (const char *) g_ptr_array_index (paths, item));
          goto problem;
        }
      g_array_index (g.seen, gboolean, position) = TRUE;
      g_array_index (g.items, guint, position) = item;
      g_array_index (g.bins, gint, position) = sqlite3_column_int (stmt, 6);
      continue;

    problem:
      if (!record_problem (store, 0, line, 0, message, error))
        goto out;
      (*n_problems)++;
    }
  ok = TRUE;

out:
  if (stmt != NULL)
    sqlite3_reset (stmt);
  g_free (g.key);
  g_free (g.participant);
  g_free (g.session);
  g_array_unref (g.items);
  g_array_unref (g.bins);
  g_array_unref (g.seen);

  return ok;
}
/* Inserts a session of @participant for answers imported from @source; returns its id, or 0
 * with @error. */
static gint64
insert_import_session (LkStore     *store,
                       gint64       participant,
                       const char  *source,
                       GError     **error)
{
  sqlite3_stmt *stmt = lk_store_prepare (store, "INSERT INTO session (participant, station, "
                                         "started) VALUES (?, ?, ?)", error);

  if (stmt == NULL)
    return 0;
  sqlite3_bind_int64 (stmt, 1, participant);
  sqlite3_bind_text (stmt, 2, source, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, "imported", -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      lk_store_set_error (store, error, sqlite3_errcode (lk_store_get_db (store)),
                          "Adding a session");
      sqlite3_reset (stmt);
      return 0;
    }
  sqlite3_reset (stmt);

  return sqlite3_last_insert_rowid (lk_store_get_db (store));
}

/* Inserts the answers kept in import_answer, in the order of their first lines, leaving out
 * those whose fingerprint is already in import_fingerprint; counts both. */
static gboolean
insert_answers (LkStore     *store,
                const char  *path,
                const char  *source,
                guint       *n_imported,
                guint       *n_skipped,
                GError     **error)
{
  guint nc = lk_store_get_params (store)->nc;
  gboolean ok = FALSE;
  gint64 phase = 0;
  sqlite3_stmt *stmt, *answers;

  stmt = lk_store_prepare (store, "SELECT count(*) FROM phase", error);
  if (stmt == NULL)
    return FALSE;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    phase = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);

  answers = lk_store_prepare (store, "SELECT first_line, answer, participant, session, shown, "
                              "submitted, items, bins FROM temp.import_answer "
                              "ORDER BY first_line", error);
  if (answers == NULL)
    return FALSE;
  for (;;)
    {
      g_autoptr(LkQuery) q = NULL;
      g_autofree char *fingerprint = NULL;
      g_autofree guint *items = NULL;
      g_autofree gint *bins = NULL;
      GError *local_error = NULL;
      const char *participant_code, *key;
      gint64 shown, submitted, query, session = 0;
      guint first_line, n;
      gboolean added;
      int rc = sqlite3_step (answers);

      if (rc == SQLITE_DONE)
        break;
      if (rc != SQLITE_ROW)
        {
          lk_store_set_error (store, error, rc, "Reading the file's answers");
          goto out;
        }
      first_line = (guint) sqlite3_column_int64 (answers, 0);
      key = (const char *) sqlite3_column_text (answers, 1);
      participant_code = (const char *) sqlite3_column_text (answers, 2);
      shown = sqlite3_column_int64 (answers, 4);
      submitted = sqlite3_column_int64 (answers, 5);
      n = (guint) (sqlite3_column_bytes (answers, 6) / sizeof (guint));
      items = g_memdup2 (sqlite3_column_blob (answers, 6), n * sizeof (guint));
      bins = g_memdup2 (sqlite3_column_blob (answers, 7), n * sizeof (gint));
      fingerprint = answer_fingerprint (participant_code, shown, submitted, items, bins, n);

      /* Already in the study, or earlier in this file: not added again. */
      if (!add_fingerprint (store, fingerprint, &added, error))
        goto out;
      if (!added)
        {
          (*n_skipped)++;
          continue;
        }

      q = lk_query_new (items, n);
      if (!lk_query_set_answer (q, bins, nc, &local_error))
        {
          g_set_error (error, LK_STORE_ERROR, LK_STORE_ERROR_PARSE,
                       "%s: line %u: answer %s: %s; nothing imported", path, first_line, key,
                       local_error->message);
          g_error_free (local_error);
          goto out;
        }
      if (participant_code[0] != '\0')
        {
          gint64 participant = lk_store_find_participant (store, participant_code);

          if (participant == 0)
            {
              g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
              g_autofree char *created = g_date_time_format_iso8601 (now);

              stmt = lk_store_prepare (store, "INSERT INTO participant (code, created, notes) "
                                       "VALUES (?, ?, ?)", error);
              if (stmt == NULL)
                goto out;
              sqlite3_bind_text (stmt, 1, participant_code, -1, SQLITE_TRANSIENT);
              sqlite3_bind_text (stmt, 2, created, -1, SQLITE_TRANSIENT);
              sqlite3_bind_text (stmt, 3, source, -1, SQLITE_TRANSIENT);
              if (sqlite3_step (stmt) != SQLITE_DONE)
                {
                  lk_store_set_error (store, error, sqlite3_errcode (lk_store_get_db (store)),
                                      "Adding a participant");
                  sqlite3_reset (stmt);
                  goto out;
                }
              sqlite3_reset (stmt);
              participant = sqlite3_last_insert_rowid (lk_store_get_db (store));
            }
          /* Answers carry their participant through a session: one per participant and
           * session of the file. */
          stmt = lk_store_prepare (store, "SELECT id FROM temp.import_session "
                                   "WHERE participant = ? AND session = ?", error);
          if (stmt == NULL)
            goto out;
          sqlite3_bind_text (stmt, 1, participant_code, -1, SQLITE_TRANSIENT);
          sqlite3_bind_value (stmt, 2, sqlite3_column_value (answers, 3));
          if (sqlite3_step (stmt) == SQLITE_ROW)
            session = sqlite3_column_int64 (stmt, 0);
          sqlite3_reset (stmt);
          if (session == 0)
            {
              session = insert_import_session (store, participant, source, error);
              if (session == 0)
                goto out;
              stmt = lk_store_prepare (store, "INSERT INTO temp.import_session (participant, "
                                       "session, id) VALUES (?, ?, ?)", error);
              if (stmt == NULL)
                goto out;
              sqlite3_bind_text (stmt, 1, participant_code, -1, SQLITE_TRANSIENT);
              sqlite3_bind_value (stmt, 2, sqlite3_column_value (answers, 3));
              sqlite3_bind_int64 (stmt, 3, session);
              if (!lk_store_step_done (store, stmt, "Noting a session", error))
                goto out;
            }
        }

      query = lk_answers_insert_query (store, phase, "imported", phase, "answered", FALSE,
                                       items, n, error);
      if (query == 0 ||
          lk_answers_insert_answer (store, query, q, session, shown, submitted, source, NULL, 0,
                                    error) == 0)
        goto out;
      (*n_imported)++;
    }
  ok = TRUE;

out:
  sqlite3_reset (answers);

  return ok;
}

/**
 * lk_export_import_answers:
 * @store: a study open for writing
 * @path: a tidy CSV (see the top of this file); a UTF-8 byte order mark and CRLF line ends
 *   (what Excel writes) are accepted
 * @n_skipped: (out) (optional): the answers left out because the study already has them
 * @error: return location for a #GError
 *
 * Imports answers from a tidy CSV, in one transaction. If any row is bad, nothing is stored
 * and @error (%LK_STORE_ERROR_PARSE) lists every bad row by line number. An answer the study
 * already holds (the same participant, times, images and bins: from an earlier import of any
 * file, or the study's own export) is recognised and skipped, so importing a file twice adds
 * nothing. The answers of one participant and session of the file share one new session.
 * Memory does not grow with the file's size (see the top of this file).
 *
 * Returns: the number of answers imported (0 with @error unset when all were skipped), or 0
 *   with @error set
 */
guint
lk_export_import_answers (LkStore     *store,
                          const char  *path,
                          guint       *n_skipped,
                          GError     **error)
{
  g_autoptr(GHashTable) items_by_path = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                               NULL);
  g_autoptr(GPtrArray) paths = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFileInputStream) file_stream = NULL;
  g_autoptr(GDataInputStream) in = NULL;
  g_autofree char *header = NULL;
  g_autofree char *basename = NULL;
  g_autofree char *source = NULL;
  guint nc = lk_store_get_params (store)->nc;
  guint n_problems = 0, n_imported = 0, skipped = 0, n_rows = 0, n_fields = 0;
  GError *local_error = NULL;
  sqlite3_stmt *stmt;

  file = g_file_new_for_path (path);
  file_stream = g_file_read (file, NULL, &local_error);
  if (file_stream == NULL)
    {
      g_set_error (error, LK_STORE_ERROR, LK_STORE_ERROR_IO, "Could not read %s: %s", path,
                   local_error->message);
      g_error_free (local_error);
      return 0;
    }
  in = g_data_input_stream_new (G_INPUT_STREAM (file_stream));
  g_data_input_stream_set_newline_type (in, G_DATA_STREAM_NEWLINE_TYPE_LF);
  paths = lk_collection_load_paths (store, error);
  if (paths == NULL)
    return 0;
  for (guint i = 0; i < paths->len; i++)
    if (g_ptr_array_index (paths, i) != NULL)
      g_hash_table_insert (items_by_path, g_strdup (g_ptr_array_index (paths, i)),
                           GUINT_TO_POINTER (i + 1));

  if (n_skipped != NULL)
    *n_skipped = 0;
  /* Excel starts its UTF-8 CSV with a byte order mark; g_strchomp() takes the \r of CRLF
   * line ends. */
  header = g_data_input_stream_read_line (in, NULL, NULL, &local_error);
  if (header == NULL && local_error != NULL)
    goto read_failed;
  /* The header written before the gold and repeat_of columns is read too. */
  if (header != NULL)
    {
      const char *text = g_strchomp (header + (g_str_has_prefix (header, "\xEF\xBB\xBF") ? 3 : 0));

      n_fields = strcmp (text, LK_EXPORT_TIDY_HEADER) == 0 ? 13
                 : strcmp (text, LK_EXPORT_TIDY_HEADER_V1) == 0 ? 11 : 0;
    }
  if (n_fields == 0)
    {
      g_set_error (error, LK_STORE_ERROR, LK_STORE_ERROR_PARSE,
                   "%s: line 1: the header must be %s", path, LK_EXPORT_TIDY_HEADER);
      return 0;
    }

  /* The temp tables must live in a file, not in memory; the store does not set temp_store,
   * and it cannot change inside a transaction. */
  if (!lk_store_exec (store, "PRAGMA temp_store = FILE;", error) ||
      !lk_store_write_begin (store, error))
    return 0;
  if (!lk_store_exec (store, IMPORT_TABLES_DROP IMPORT_TABLES_CREATE, error))
    goto fail;

/* A plain block, not G_STMT_START: its continue must reach the loop over lines. */
#define BAD(...) \
  { \
    g_autofree char *message_ = g_strdup_printf (__VA_ARGS__); \
    if (!record_problem (store, 0, line_no, 0, message_, error)) \
      goto fail; \
    n_problems++; \
    continue; \
  }

  /* Each line is checked on its own and kept in import_row. */
  for (guint line_no = 2;; line_no++)
    {
      g_autofree char *line = g_data_input_stream_read_line (in, NULL, NULL, &local_error);
      g_auto(GStrv) f = NULL;
      gint64 position, bin, shown, submitted;
      gpointer item;

      if (line == NULL && local_error != NULL)
        goto read_failed_in_write;
      if (line == NULL)
        break;
      g_strchomp (line);
      if (line[0] == '\0')
        continue;
      f = lk_export_parse_csv_line (line, &local_error);
      if (f == NULL)
        {
          g_autofree char *message = g_strdup (local_error->message);

          g_clear_error (&local_error);
          BAD ("%s", message);
        }
      if (g_strv_length (f) != n_fields)
        BAD ("%u fields, expected %u", g_strv_length (f), n_fields);
      if (f[0][0] == '\0')
        BAD ("the answer column is empty");
      if (!parse_int (f[5], 0, 10000, &position))
        BAD ("position '%s' is not a whole number from 0", f[5]);
      item = g_hash_table_lookup (items_by_path, f[7]);
      if (item == NULL)
        BAD ("no image '%s' in the study's collection", f[7]);
      if (strcmp (f[8], "left_out") == 0)
        bin = LK_BIN_LEFT_OUT;
      else if (!parse_int (f[8], 0, nc - 1, &bin))
        BAD ("bin '%s' is neither 0..%u nor left_out", f[8], nc - 1);
      if (!parse_int (f[9], 0, G_MAXINT64, &shown) || !parse_int (f[10], 0, G_MAXINT64, &submitted))
        BAD ("shown_us and submitted_us must be whole numbers of microseconds");

      stmt = lk_store_prepare (store, "INSERT INTO temp.import_row (line, answer, participant, "
                               "session, position, item, bin, shown, submitted) "
                               "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", error);
      if (stmt == NULL)
        goto fail;
      sqlite3_bind_int64 (stmt, 1, line_no);
      sqlite3_bind_text (stmt, 2, f[0], -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 3, f[1], -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 4, f[2], -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 5, position);
      sqlite3_bind_int64 (stmt, 6, GPOINTER_TO_UINT (item) - 1);
      sqlite3_bind_int64 (stmt, 7, bin);
      sqlite3_bind_int64 (stmt, 8, shown);
      sqlite3_bind_int64 (stmt, 9, submitted);
      if (!lk_store_step_done (store, stmt, "Keeping a row of the file", error))
        goto fail;
      sqlite3_clear_bindings (stmt);
      n_rows++;
    }
#undef BAD

  /* Built after the rows are in: one sort, which SQLite spills to its temporary file. */
  if (!lk_store_exec (store, "CREATE INDEX temp.import_row_by_answer "
                      "ON import_row (answer, line);", error) ||
      !check_answers (store, paths, &n_problems, error))
    goto fail;

  if (n_problems > 0)
    {
      g_autoptr(GString) problems = g_string_new (NULL);
      int rc;

      stmt = lk_store_prepare (store, "SELECT line, message FROM temp.import_problem "
                               "ORDER BY kind, line, seq LIMIT 100", error);
      if (stmt == NULL)
        goto fail;
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        g_string_append_printf (problems, "\nline %" G_GINT64_FORMAT ": %s",
                                (gint64) sqlite3_column_int64 (stmt, 0),
                                (const char *) sqlite3_column_text (stmt, 1));
      sqlite3_reset (stmt);
      if (rc != SQLITE_DONE)
        {
          lk_store_set_error (store, error, rc, "Reading the file's problems");
          goto fail;
        }
      g_set_error (error, LK_STORE_ERROR, LK_STORE_ERROR_PARSE,
                   "%s: %u problem%s, nothing imported:%s%s", path, n_problems,
                   n_problems == 1 ? "" : "s", problems->str,
                   n_problems > 100 ? "\n(only the first 100 are listed)" : "");
      goto fail;
    }
  if (n_rows == 0)
    {
      g_set_error (error, LK_STORE_ERROR, LK_STORE_ERROR_PARSE, "%s: no answers", path);
      goto fail;
    }

  basename = g_path_get_basename (path);
  source = g_strconcat ("import:", basename, NULL);
  if (!add_stored_fingerprints (store, error) ||
      !insert_answers (store, path, source, &n_imported, &skipped, error))
    goto fail;

  if (n_imported == 0)
    lk_store_write_rollback (store);
  else if (!lk_store_exec (store, IMPORT_TABLES_DROP, error) ||
           !lk_store_write_commit (store, "Importing answers", error))
    {
      /* A failed commit has rolled back already; a failed drop has not. */
      if (sqlite3_get_autocommit (lk_store_get_db (store)) == 0)
        lk_store_write_rollback (store);
      return 0;
    }
  if (n_skipped != NULL)
    *n_skipped = skipped;

  return n_imported;

read_failed_in_write:
  lk_store_write_rollback (store);
read_failed:
  g_set_error (error, LK_STORE_ERROR, LK_STORE_ERROR_IO, "Could not read %s: %s", path,
               local_error->message);
  g_error_free (local_error);
  return 0;

fail:
  lk_store_write_rollback (store);
  return 0;
}
