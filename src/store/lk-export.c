/* lk-export.c — exports for analysis, and import of answers in the tidy form
 *
 * Tidy CSV (RFC 4180 quoting; one row per answer x grid position):
 *   answer        the answer's id in the study it was exported from
 *   participant   the participant's pseudonymous code, empty if none
 *   session       the session id, empty if none
 *   query         the query id
 *   phase         the phase the query belongs to, from 0
 *   position      the item's place in the grid's display order, from 0
 *   item          the collection item id
 *   path          the image's path relative to the collection's folder
 *   bin           0 .. nc-1, or "left_out"
 *   shown_us, submitted_us   µs since the Unix epoch
 * Importing reads the same form: rows are grouped by "answer", items are matched by "path"
 * (so the file can come from another study of the same images), and each group becomes a new
 * answered query of the current phase with source "import:FILE". Every bad row is reported
 * with its line number, and either all answers are stored, in one transaction, or none.
 *
 * Pairs CSV: item_a, item_b, path_a, path_b, together, apart, shared — the pair evidence of
 * every stored answer (lk_evidence_add_answer), pairs seen at least once.
 * Embedding CSV: item, path, x1 .. xd of the last completed phase. k-NN CSV: item, path, rank,
 * neighbour, neighbour_path, distance, from that embedding.
 * JSON: every table except thumbnails and the lock row, each row an object keyed by column,
 * with phase embeddings as arrays of rows.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <gio/gio.h>
#include <stdio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lk-export.h"

#include "lk-answers.h"
#include "lk-evidence.h"
#include "lk-knn.h"
#include "lk-store-private.h"

/* Appends @text to @out as a CSV field, quoted when it needs to be (RFC 4180). */
void
lk_export_append_field (GString    *out,
                        const char *text)
{
  if (text == NULL)
    return;
  if (strpbrk (text, ",\"\r\n") == NULL)
    {
      g_string_append (out, text);
      return;
    }
  g_string_append_c (out, '"');
  for (const char *p = text; *p; p++)
    {
      if (*p == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

/* Returns whether the regular file at @path starts like an SQLite database or its WAL. */
static gboolean
starts_like_sqlite (const char *path)
{
  static const char magic[16] = "SQLite format 3";
  static const guint8 wal[2][4] = { { 0x37, 0x7f, 0x06, 0x82 }, { 0x37, 0x7f, 0x06, 0x83 } };
  char head[16] = { 0 };
  struct stat st;
  gssize n = -1;
  int fd;

  /* O_NONBLOCK: a FIFO is not waited for (and not a database). */
  fd = g_open (path, O_RDONLY | O_NONBLOCK | O_CLOEXEC, 0);
  if (fd < 0)
    return FALSE;
  if (fstat (fd, &st) == 0 && S_ISREG (st.st_mode))
    n = read (fd, head, sizeof head);
  close (fd);

  return (n == sizeof head && memcmp (head, magic, sizeof magic) == 0) ||
         (n >= 4 && (memcmp (head, wal[0], 4) == 0 || memcmp (head, wal[1], 4) == 0));
}

/* Refuses @path as the target of an export if it is an SQLite file (a study: this one, given
 * by mistake as --answers, or any other), or the -wal, -shm or -journal beside one: the export
 * would replace it, and with it every answer. */
static gboolean
check_export_target (const char  *path,
                     GError     **error)
{
  static const char *suffixes[] = { "-wal", "-shm", "-journal" };
  g_autofree char *base = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (suffixes) && base == NULL; i++)
    if (g_str_has_suffix (path, suffixes[i]))
      base = g_strndup (path, strlen (path) - strlen (suffixes[i]));

  if (starts_like_sqlite (path) || (base != NULL && starts_like_sqlite (base)))
    {
      g_set_error (error, LK_STORE_ERROR, LK_STORE_ERROR_EXISTS,
                   "Not writing the export over %s: it is %s SQLite file (a study, or another "
                   "program's database), which the export would replace; give the export "
                   "another file name", path, base != NULL ? "the journal of an" : "an");
      return FALSE;
    }

  return TRUE;
}

/* Writes @out to @path atomically, never over an SQLite file (check_export_target()); "-" is
 * standard output, written only once the whole export is made (so a failed export prints
 * nothing) and with no temporary file. A failure is LK_STORE_ERROR_IO naming the file. */
gboolean
lk_export_write_file (GString     *out,
                      const char  *path,
                      GError     **error)
{
  GError *local_error = NULL;

  if (g_strcmp0 (path, "-") == 0)
    {
      if (fwrite (out->str, 1, out->len, stdout) != out->len || fflush (stdout) != 0)
        {
          int saved = errno;

          g_set_error (error, LK_STORE_ERROR, LK_STORE_ERROR_IO,
                       "Could not write to standard output: %s", g_strerror (saved));
          return FALSE;
        }
      return TRUE;
    }
  if (!check_export_target (path, error))
    return FALSE;
  if (!g_file_set_contents (path, out->str, out->len, &local_error))
    {
      g_set_error (error, LK_STORE_ERROR, LK_STORE_ERROR_IO, "Could not write %s: %s", path,
                   local_error->message);
      g_error_free (local_error);
      return FALSE;
    }

  return TRUE;
}

/**
 * lk_export_parse_csv_line:
 * @line: one CSV record without its line end
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the fields, unquoted, or %NULL if a quote is not closed
 */
char **
lk_export_parse_csv_line (const char  *line,
                          GError     **error)
{
  g_autoptr(GPtrArray) fields = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) field = g_string_new (NULL);
  const char *p = line;

  for (;;)
    {
      g_string_truncate (field, 0);
      if (*p == '"')
        {
          p++;
          for (;;)
            {
              if (*p == '\0')
                {
                  g_set_error (error, LK_STORE_ERROR, LK_STORE_ERROR_PARSE, "unclosed quote");
                  return NULL;
                }
              if (*p == '"' && p[1] == '"')
                {
                  g_string_append_c (field, '"');
                  p += 2;
                }
              else if (*p == '"')
                {
                  p++;
                  break;
                }
              else
                g_string_append_c (field, *p++);
            }
          if (*p != ',' && *p != '\0')
            {
              g_set_error (error, LK_STORE_ERROR, LK_STORE_ERROR_PARSE,
                           "text after a closing quote");
              return NULL;
            }
        }
      else
        {
          while (*p != ',' && *p != '\0')
            g_string_append_c (field, *p++);
        }
      g_ptr_array_add (fields, g_strdup (field->str));
      if (*p == '\0')
        break;
      p++;
    }
  g_ptr_array_add (fields, NULL);

  return (char **) g_ptr_array_free (g_steal_pointer (&fields), FALSE);
}

/**
 * lk_export_answers_csv:
 * @store: a study
 * @path: the CSV file to write
 * @error: return location for a #GError
 *
 * Writes the tidy CSV described at the top of this file.
 *
 * Returns: %TRUE on success
 */
gboolean
lk_export_answers_csv (LkStore     *store,
                       const char  *path,
                       GError     **error)
{
  g_autoptr(GString) out = g_string_new (LK_EXPORT_TIDY_HEADER "\n");
  sqlite3_stmt *stmt;
  int rc;

  stmt = lk_store_prepare (store,
                           "SELECT a.id, p.code, a.session, q.id, q.phase, b.position, qi.item, "
                           "i.path, b.bin, a.shown_us, a.submitted_us "
                           "FROM answer a JOIN query q ON q.id = a.query "
                           "JOIN answer_bin b ON b.answer = a.id "
                           "JOIN query_item qi ON qi.query = q.id AND qi.position = b.position "
                           "JOIN image i ON i.item = qi.item "
                           "LEFT JOIN participant p ON p.id = a.participant "
                           "ORDER BY a.id, b.position", error);
  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      int bin = sqlite3_column_int (stmt, 8);

      g_string_append_printf (out, "%lld,", (long long) sqlite3_column_int64 (stmt, 0));
      lk_export_append_field (out, (const char *) sqlite3_column_text (stmt, 1));
      g_string_append_c (out, ',');
      if (sqlite3_column_type (stmt, 2) != SQLITE_NULL)
        g_string_append_printf (out, "%lld", (long long) sqlite3_column_int64 (stmt, 2));
      g_string_append_printf (out, ",%lld,%d,%d,%d,", (long long) sqlite3_column_int64 (stmt, 3),
                              sqlite3_column_int (stmt, 4), sqlite3_column_int (stmt, 5),
                              sqlite3_column_int (stmt, 6));
      lk_export_append_field (out, (const char *) sqlite3_column_text (stmt, 7));
      if (bin == LK_BIN_LEFT_OUT)
        g_string_append (out, ",left_out");
      else
        g_string_append_printf (out, ",%d", bin);
      g_string_append_printf (out, ",%lld,%lld\n", (long long) sqlite3_column_int64 (stmt, 9),
                              (long long) sqlite3_column_int64 (stmt, 10));
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      lk_store_set_error (store, error, rc, "Reading the answers");
      return FALSE;
    }

  return lk_export_write_file (out, path, error);
}


typedef struct {
  GString   *out;
  GPtrArray *paths;
} PairsData;

static void
pair_cb (const LkPairCounts *c,
         gpointer            user_data)
{
  PairsData *d = user_data;

  g_string_append_printf (d->out, "%u,%u,", c->a, c->b);
  lk_export_append_field (d->out, g_ptr_array_index (d->paths, c->a));
  g_string_append_c (d->out, ',');
  lk_export_append_field (d->out, g_ptr_array_index (d->paths, c->b));
  g_string_append_printf (d->out, ",%u,%u,%u\n", c->together, c->apart, c->shared);
}

/**
 * lk_export_pairs_csv:
 * @store: a study
 * @path: the CSV file to write
 * @error: return location for a #GError
 *
 * Writes the pair evidence of every stored answer, one row per pair seen.
 *
 * Returns: %TRUE on success
 */
gboolean
lk_export_pairs_csv (LkStore     *store,
                     const char  *path,
                     GError     **error)
{
  g_autoptr(GString) out = g_string_new ("item_a,item_b,path_a,path_b,together,apart,shared\n");
  g_autoptr(GPtrArray) paths = lk_collection_load_paths (store, error);
  g_autoptr(LkEvidence) evidence = NULL;
  g_autoptr(GArray) queries = NULL;
  PairsData data;

  if (paths == NULL)
    return FALSE;
  evidence = lk_evidence_new (paths->len);

  queries = lk_store_query_ids (store, "SELECT query FROM answer ORDER BY id", 0,
                                "Reading the answers", error);
  if (queries == NULL)
    return FALSE;
  for (guint i = 0; i < queries->len; i++)
    {
      g_autoptr(LkQuery) q = lk_answers_get_query (store, g_array_index (queries, gint64, i),
                                                   NULL, error);

      if (q == NULL)
        return FALSE;
      lk_evidence_add_answer (evidence, q);
    }

  data.out = out;
  data.paths = paths;
  lk_evidence_foreach (evidence, pair_cb, &data);

  return lk_export_write_file (out, path, error);
}

/* Returns the embedding of the last completed phase (n x dim doubles), or NULL with @error. */
static double *
load_embedding (LkStore  *store,
                guint    *n_items,
                guint    *dim,
                GError  **error)
{
  sqlite3_stmt *stmt = lk_store_prepare (store,
                                         "SELECT n_items, dim, embedding FROM phase "
                                         "ORDER BY phase DESC LIMIT 1", error);
  double *data = NULL;
  int rc;

  if (stmt == NULL)
    return NULL;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      const guint64 *blob = sqlite3_column_blob (stmt, 2);
      gsize n;

      *n_items = sqlite3_column_int (stmt, 0);
      *dim = sqlite3_column_int (stmt, 1);
      n = (gsize) *n_items * *dim;
      if ((gsize) sqlite3_column_bytes (stmt, 2) == n * sizeof (guint64))
        {
          data = g_new (double, n);
          for (gsize i = 0; i < n; i++)
            {
              union { double d; guint64 u; } v = { .u = GUINT64_FROM_LE (blob[i]) };

              data[i] = v.d;
            }
        }
      else
        g_set_error (error, LK_STORE_ERROR, LK_STORE_ERROR_DAMAGED,
                     "The stored embedding has the wrong size");
    }
  else if (rc == SQLITE_DONE)
    g_set_error (error, LK_STORE_ERROR, LK_STORE_ERROR_NOT_FOUND,
                 "No phase is complete yet, so there is no embedding to export");
  else
    lk_store_set_error (store, error, rc, "Reading the embedding");
  sqlite3_reset (stmt);

  return data;
}

/**
 * lk_export_embedding_csv:
 * @store: a study
 * @path: the CSV file to write
 * @error: return location for a #GError
 *
 * Writes the embedding of the last completed phase, one row per item.
 *
 * Returns: %TRUE on success
 */
gboolean
lk_export_embedding_csv (LkStore     *store,
                         const char  *path,
                         GError     **error)
{
  g_autoptr(GString) out = g_string_new ("item,path");
  g_autoptr(GPtrArray) paths = lk_collection_load_paths (store, error);
  g_autofree double *data = NULL;
  guint n = 0, dim = 0;

  if (paths == NULL)
    return FALSE;
  data = load_embedding (store, &n, &dim, error);
  if (data == NULL)
    return FALSE;
  for (guint j = 0; j < dim; j++)
    g_string_append_printf (out, ",x%u", j + 1);
  g_string_append_c (out, '\n');
  for (guint i = 0; i < n; i++)
    {
      g_string_append_printf (out, "%u,", i);
      lk_export_append_field (out, i < paths->len ? g_ptr_array_index (paths, i) : NULL);
      for (guint j = 0; j < dim; j++)
        {
          char buf[G_ASCII_DTOSTR_BUF_SIZE];

          g_string_append_c (out, ',');
          g_string_append (out, g_ascii_formatd (buf, sizeof buf, "%.17g", data[i * dim + j]));
        }
      g_string_append_c (out, '\n');
    }

  return lk_export_write_file (out, path, error);
}

/**
 * lk_export_knn_csv:
 * @store: a study
 * @k: neighbours per item
 * @path: the CSV file to write
 * @error: return location for a #GError
 *
 * Writes each item's @k nearest neighbours in the last completed phase's embedding.
 *
 * Returns: %TRUE on success
 */
gboolean
lk_export_knn_csv (LkStore     *store,
                   guint        k,
                   const char  *path,
                   GError     **error)
{
  g_autoptr(GString) out = g_string_new ("item,path,rank,neighbour,neighbour_path,distance\n");
  g_autoptr(GPtrArray) paths = lk_collection_load_paths (store, error);
  g_autofree double *data = NULL;
  g_autofree double *distances = NULL;
  g_autofree guint *knn = NULL;
  guint n = 0, dim = 0;

  if (paths == NULL)
    return FALSE;
  data = load_embedding (store, &n, &dim, error);
  if (data == NULL)
    return FALSE;
  if (k < 1 || k >= n)
    {
      g_set_error (error, LK_STORE_ERROR, LK_STORE_ERROR_INVALID,
                   "k must be between 1 and %u, got %u", n - 1, k);
      return FALSE;
    }
  distances = g_new (double, (gsize) n * k);
  knn = lk_knn_compute (data, n, dim, k, distances);
  for (guint i = 0; i < n; i++)
    for (guint r = 0; r < k; r++)
      {
        guint j = knn[(gsize) i * k + r];
        char buf[G_ASCII_DTOSTR_BUF_SIZE];

        g_string_append_printf (out, "%u,", i);
        lk_export_append_field (out, g_ptr_array_index (paths, i));
        g_string_append_printf (out, ",%u,%u,", r + 1, j);
        lk_export_append_field (out, g_ptr_array_index (paths, j));
        g_string_append_printf (out, ",%s\n", g_ascii_formatd (buf, sizeof buf, "%.17g",
                                                               distances[(gsize) i * k + r]));
      }

  return lk_export_write_file (out, path, error);
}

/* Adds every row of @table to @builder as an array of objects. */
static gboolean
dump_table (LkStore      *store,
            JsonBuilder  *builder,
            const char   *table,
            GError      **error)
{
  g_autofree char *sql = g_strdup_printf ("SELECT * FROM %s ORDER BY 1", table);
  sqlite3_stmt *stmt = NULL;
  int rc = sqlite3_prepare_v2 (lk_store_get_db (store), sql, -1, &stmt, NULL);

  if (rc != SQLITE_OK)
    {
      lk_store_set_error (store, error, rc, "Reading the study");
      return FALSE;
    }
  json_builder_set_member_name (builder, table);
  json_builder_begin_array (builder);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      json_builder_begin_object (builder);
      for (int c = 0; c < sqlite3_column_count (stmt); c++)
        {
          const char *name = sqlite3_column_name (stmt, c);

          json_builder_set_member_name (builder, name);
          switch (sqlite3_column_type (stmt, c))
            {
            case SQLITE_INTEGER:
              json_builder_add_int_value (builder, sqlite3_column_int64 (stmt, c));
              break;
            case SQLITE_FLOAT:
              json_builder_add_double_value (builder, sqlite3_column_double (stmt, c));
              break;
            case SQLITE_TEXT:
              json_builder_add_string_value (builder, (const char *) sqlite3_column_text (stmt, c));
              break;
            case SQLITE_BLOB:
              {
                /* The only blob left is phase.embedding: n_items rows of dim doubles. */
                const guint64 *blob = sqlite3_column_blob (stmt, c);
                gsize n = sqlite3_column_bytes (stmt, c) / sizeof (guint64);

                json_builder_begin_array (builder);
                for (gsize i = 0; i < n; i++)
                  {
                    union { double d; guint64 u; } v = { .u = GUINT64_FROM_LE (blob[i]) };

                    json_builder_add_double_value (builder, v.d);
                  }
                json_builder_end_array (builder);
              }
              break;
            default:
              json_builder_add_null_value (builder);
            }
        }
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      lk_store_set_error (store, error, rc, "Reading the study");
      return FALSE;
    }

  return TRUE;
}

/**
 * lk_export_json:
 * @store: a study
 * @path: the JSON file to write
 * @error: return location for a #GError
 *
 * Writes the whole study as JSON (every table but thumbnails and the lock row).
 *
 * Returns: %TRUE on success
 */
gboolean
lk_export_json (LkStore     *store,
                const char  *path,
                GError     **error)
{
  static const char *tables[] = {
    "study", "param", "image", "participant", "session", "query", "query_item", "answer",
    "answer_bin", "answer_move", "phase", "phase_metric", "judging_round", "judging_seed",
    "judging_neighbour", "judging_shown",
  };
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GString) out = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "schema_version");
  json_builder_add_int_value (builder, LK_STORE_SCHEMA_VERSION);
  for (guint i = 0; i < G_N_ELEMENTS (tables); i++)
    if (!dump_table (store, builder, tables[i], error))
      return FALSE;
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  text = json_generator_to_data (generator, NULL);
  out = g_string_new (text);

  return lk_export_write_file (out, path, error);
}

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
