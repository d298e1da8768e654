/* lk-export-import.c — answers imported from the tidy CSV of lk-export.c
 *
 * Importing reads the same form: rows are grouped by "answer", items are matched by "path"
 * (so the file can come from another study of the same images), and each group becomes a new
 * answered query of the current phase with source "import:FILE". Every bad row is reported
 * with its line number, and either all answers are stored, in one transaction, or none.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "lk-export.h"

#include "lk-answers.h"
#include "lk-store-private.h"

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

static void
group_free (gpointer data)
{
  Group *g = data;

  g_free (g->key);
  g_free (g->participant);
  g_free (g->session);
  g_array_unref (g->items);
  g_array_unref (g->bins);
  g_array_unref (g->seen);
  g_free (g);
}

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

/* Returns the fingerprints of every answer in @store (answer_fingerprint()). */
static GHashTable *
stored_fingerprints (LkStore  *store,
                     GError  **error)
{
  g_autoptr(GHashTable) set = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
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
    return NULL;
  for (;;)
    {
      rc = sqlite3_step (stmt);
      if (items->len > 0 && (rc != SQLITE_ROW || sqlite3_column_int64 (stmt, 0) != answer))
        {
          g_hash_table_add (set, answer_fingerprint (participant, shown, submitted,
                                                     (const guint *) items->data,
                                                     (const gint *) bins->data, items->len));
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
      return NULL;
    }

  return g_steal_pointer (&set);
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
  g_autoptr(GString) problems = g_string_new (NULL);
  g_autoptr(GHashTable) items_by_path = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                               NULL);
  g_autoptr(GHashTable) groups = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) order = g_ptr_array_new_with_free_func (group_free);
  g_autoptr(GPtrArray) paths = NULL;
  g_autoptr(GHashTable) fingerprints = NULL;
  g_autoptr(GHashTable) sessions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFileInputStream) file_stream = NULL;
  g_autoptr(GDataInputStream) in = NULL;
  g_autofree char *header = NULL;
  g_autofree char *basename = NULL;
  g_autofree char *source = NULL;
  guint nc = lk_store_get_params (store)->nc;
  guint n_problems = 0, n_imported = 0, skipped = 0;
  GError *local_error = NULL;
  gint64 phase;
  sqlite3_stmt *stmt;

  /* Read a line at a time: memory grows with the answers, not with the file's size. */
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
  if (header == NULL ||
      strcmp (g_strchomp (header + (g_str_has_prefix (header, "\xEF\xBB\xBF") ? 3 : 0)),
              LK_EXPORT_TIDY_HEADER) != 0)
    {
      g_set_error (error, LK_STORE_ERROR, LK_STORE_ERROR_PARSE,
                   "%s: line 1: the header must be %s", path, LK_EXPORT_TIDY_HEADER);
      return 0;
    }

/* A plain block, not G_STMT_START: its continue must reach the loop over lines. */
#define BAD(...) \
  { \
    if (n_problems++ < 100) \
      { \
        g_string_append_printf (problems, "\nline %u: ", line_no); \
        g_string_append_printf (problems, __VA_ARGS__); \
      } \
    continue; \
  }

  for (guint line_no = 2;; line_no++)
    {
      g_autofree char *line = g_data_input_stream_read_line (in, NULL, NULL, &local_error);
      g_auto(GStrv) f = NULL;
      gint64 position, bin, shown, submitted;
      gpointer item;
      Group *g;
      gboolean yes = TRUE;

      if (line == NULL && local_error != NULL)
        goto read_failed;
      if (line == NULL)
        break;
      g_strchomp (line);
      if (line[0] == '\0')
        continue;
      f = lk_export_parse_csv_line (line, &local_error);
      if (f == NULL)
        {
          g_string_append_printf (problems, "\nline %u: %s", line_no, local_error->message);
          n_problems++;
          g_clear_error (&local_error);
          continue;
        }
      if (g_strv_length (f) != 11)
        BAD ("%u fields, expected 11", g_strv_length (f));
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

      g = g_hash_table_lookup (groups, f[0]);
      if (g == NULL)
        {
          g = g_new0 (Group, 1);
          g->key = g_strdup (f[0]);
          g->first_line = line_no;
          g->participant = g_strdup (f[1]);
          g->session = g_strdup (f[2]);
          g->shown_us = shown;
          g->submitted_us = submitted;
          g->items = g_array_new (FALSE, TRUE, sizeof (guint));
          g->bins = g_array_new (FALSE, TRUE, sizeof (gint));
          g->seen = g_array_new (FALSE, TRUE, sizeof (gboolean));
          g_hash_table_insert (groups, g->key, g);
          g_ptr_array_add (order, g);
        }
      else if (strcmp (g->participant, f[1]) != 0)
        BAD ("answer %s has two participants ('%s' and '%s')", f[0], g->participant, f[1]);
      if (position >= g->seen->len)
        {
          g_array_set_size (g->items, position + 1);
          g_array_set_size (g->bins, position + 1);
          g_array_set_size (g->seen, position + 1);
        }
      if (g_array_index (g->seen, gboolean, position))
        BAD ("answer %s has position %" G_GINT64_FORMAT " twice", f[0], position);
      /* A grid shows each image once; the evidence code cannot take one at two places. */
      for (guint p = 0; p < g->seen->len; p++)
        if (g_array_index (g->seen, gboolean, p) &&
            g_array_index (g->items, guint, p) == GPOINTER_TO_UINT (item) - 1)
          {
            yes = FALSE;
            break;
          }
      if (!yes)
        BAD ("answer %s shows the image '%s' at two positions", f[0], f[7]);
      g_array_index (g->seen, gboolean, position) = yes;
      g_array_index (g->items, guint, position) = GPOINTER_TO_UINT (item) - 1;
      g_array_index (g->bins, gint, position) = bin;
    }
#undef BAD

  for (guint i = 0; i < order->len; i++)
    {
      Group *g = g_ptr_array_index (order, i);

      for (guint p = 0; p < g->seen->len; p++)
        if (!g_array_index (g->seen, gboolean, p))
          {
            g_string_append_printf (problems, "\nline %u: answer %s has no position %u",
                                    g->first_line, g->key, p);
            n_problems++;
            break;
          }
      if (g->seen->len < 2)
        {
          g_string_append_printf (problems, "\nline %u: answer %s has fewer than 2 items",
                                  g->first_line, g->key);
          n_problems++;
        }
    }

  if (n_problems > 0)
    {
      g_set_error (error, LK_STORE_ERROR, LK_STORE_ERROR_PARSE,
                   "%s: %u problem%s, nothing imported:%s%s", path, n_problems,
                   n_problems == 1 ? "" : "s", problems->str,
                   n_problems > 100 ? "\n(only the first 100 are listed)" : "");
      return 0;
    }
  if (order->len == 0)
    {
      g_set_error (error, LK_STORE_ERROR, LK_STORE_ERROR_PARSE, "%s: no answers", path);
      return 0;
    }

  basename = g_path_get_basename (path);
  source = g_strconcat ("import:", basename, NULL);
  if (!lk_store_write_begin (store, error))
    return 0;
  phase = 0;
  stmt = lk_store_prepare (store, "SELECT count(*) FROM phase", error);
  if (stmt == NULL)
    goto fail;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    phase = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);

  fingerprints = stored_fingerprints (store, error);
  if (fingerprints == NULL)
    goto fail;

  for (guint i = 0; i < order->len; i++)
    {
      Group *g = g_ptr_array_index (order, i);
      g_autoptr(LkQuery) q = lk_query_new ((const guint *) g->items->data, g->items->len);
      char *fingerprint = answer_fingerprint (g->participant, g->shown_us, g->submitted_us,
                                              (const guint *) g->items->data,
                                              (const gint *) g->bins->data, g->items->len);
      gint64 query, session = 0;

      /* Already in the study, or earlier in this file: not added again. */
      if (!g_hash_table_add (fingerprints, fingerprint))
        {
          skipped++;
          continue;
        }

      if (!lk_query_set_answer (q, (const gint *) g->bins->data, nc, &local_error))
        {
          g_set_error (error, LK_STORE_ERROR, LK_STORE_ERROR_PARSE,
                       "%s: line %u: answer %s: %s; nothing imported", path, g->first_line,
                       g->key, local_error->message);
          g_error_free (local_error);
          goto fail;
        }
      if (g->participant[0] != '\0')
        {
          gint64 participant = lk_store_find_participant (store, g->participant);

          if (participant == 0)
            {
              g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
              g_autofree char *created = g_date_time_format_iso8601 (now);

              stmt = lk_store_prepare (store, "INSERT INTO participant (code, created, notes) "
                                       "VALUES (?, ?, ?)", error);
              if (stmt == NULL)
                goto fail;
              sqlite3_bind_text (stmt, 1, g->participant, -1, SQLITE_TRANSIENT);
              sqlite3_bind_text (stmt, 2, created, -1, SQLITE_TRANSIENT);
              sqlite3_bind_text (stmt, 3, source, -1, SQLITE_TRANSIENT);
              if (sqlite3_step (stmt) != SQLITE_DONE)
                {
                  lk_store_set_error (store, error, sqlite3_errcode (lk_store_get_db (store)),
                                      "Adding a participant");
                  sqlite3_reset (stmt);
                  goto fail;
                }
              sqlite3_reset (stmt);
              participant = sqlite3_last_insert_rowid (lk_store_get_db (store));
            }
          /* Answers carry their participant through a session: one per participant and
           * session of the file. */
          {
            g_autofree char *key = g_strdup_printf ("%s\x1f%s", g->participant, g->session);

            session = GPOINTER_TO_SIZE (g_hash_table_lookup (sessions, key));
            if (session == 0)
              {
                session = insert_import_session (store, participant, source, error);
                if (session == 0)
                  goto fail;
                g_hash_table_insert (sessions, g_steal_pointer (&key), GSIZE_TO_POINTER (session));
              }
          }
        }

      query = lk_answers_insert_query (store, phase, "imported", phase, "answered", FALSE,
                                       (const guint *) g->items->data, g->items->len, error);
      if (query == 0 ||
          lk_answers_insert_answer (store, query, q, session, g->shown_us, g->submitted_us,
                                    source, NULL, 0, error) == 0)
        goto fail;
      n_imported++;
    }

  if (n_imported == 0)
    lk_store_write_rollback (store);
  else if (!lk_store_write_commit (store, "Importing answers", error))
    return 0;
  if (n_skipped != NULL)
    *n_skipped = skipped;

  return n_imported;

fail:
  lk_store_write_rollback (store);
  return 0;

read_failed:
  g_set_error (error, LK_STORE_ERROR, LK_STORE_ERROR_IO, "Could not read %s: %s", path,
               local_error->message);
  g_error_free (local_error);
  return 0;
}
