/* lk-export.c — exports for analysis: tidy answers, pairs, embedding, k-NN, JSON
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
 *   gold          the name of the known answer the grid showed (the `gold` column of the
 *                 known answers' CSV, lk-export-quality.c), empty for an ordinary grid
 *   repeat_of     for a repeated grid, the query id of its first showing; else empty
 * Importing it back is lk-export-import.c's (gold and repeat_of are not imported: a study
 * that imports answers has its own known answers and repeats).
 *
 * Pairs CSV: item_a, item_b, path_a, path_b, together, apart, shared — the pair evidence of
 * every stored answer (lk_evidence_add_answer), pairs seen at least once.
 * Embedding CSV: item, path, x1 .. xd of the last completed phase. k-NN CSV: item, path, rank,
 * neighbour, neighbour_path, distance, from that embedding.
 * Trials and group names: lk-export-trials.c.
 * JSON: every table except thumbnails and the lock row, each row an object keyed by column,
 * with phase embeddings as arrays of rows, and "participants_qc": each participant's QC
 * figures (lk-export-quality.c).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* O_TMPFILE and linkat() (write_replacing()) */
#define _GNU_SOURCE
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

/* The test seam of write_replacing(): called with the temporary's descriptor (and its name,
 * NULL while it has none) once the export is written and synced, before it is put in place;
 * returning FALSE fails the export there, as a failed write would. */
static LkExportWriteHook write_hook;
static gpointer write_hook_data;
static gboolean write_no_tmpfile;

void
_lk_export_set_write_hook (LkExportWriteHook hook,
                           gpointer          user_data,
                           gboolean          no_tmpfile)
{
  write_hook = hook;
  write_hook_data = user_data;
  write_no_tmpfile = no_tmpfile;
}

/* Returns the mode a new file gets here (0666 less the umask). The umask is read from
 * /proc/self/status rather than with umask() twice, which would open a window in which another
 * thread's new files get 0666; where it cannot be read, 0600. */
static mode_t
new_file_mode (void)
{
  g_autofree char *status = NULL;
  const char *line;

  if (g_file_get_contents ("/proc/self/status", &status, NULL, NULL) &&
      (line = strstr (status, "\nUmask:")) != NULL)
    return 0666 & ~(mode_t) g_ascii_strtoull (line + strlen ("\nUmask:"), NULL, 8);

  return 0600;
}

static gboolean
write_all (int          fd,
           const char  *data,
           gsize        len)
{
  while (len > 0)
    {
      gssize n = write (fd, data, MIN (len, (gsize) G_MAXSSIZE));

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        {
          if (n == 0)
            errno = EIO;
          return FALSE;
        }
      data += n;
      len -= n;
    }

  return TRUE;
}

/* Gives the anonymous (O_TMPFILE) file @fd the name @name, or fails with errno (EEXIST when
 * the name is taken: link never replaces). */
static gboolean
link_anonymous (int         fd,
                const char *name)
{
  g_autofree char *proc = g_strdup_printf ("/proc/self/fd/%d", fd);

  return linkat (AT_FDCWD, proc, AT_FDCWD, name, AT_SYMLINK_FOLLOW) == 0;
}

/* Writes @len bytes of @data to @path, replacing what is there, so that at no instant does
 * @path hold part of an export or does a file beside it hold the export readable by others.
 *
 * The export is written to a private (0600) temporary in @path's folder, synced, then put in
 * place; a failure at any step removes the temporary and leaves @path as it was.
 * - Where the file system allows it (ext4, tmpfs, xfs, btrfs), the temporary is an O_TMPFILE:
 *   it has no name until linked, so a kill leaves nothing. A new @path is linked straight into
 *   place; an existing one is replaced by linking the temporary as .NAME.XXXXXX and renaming
 *   that over @path.
 * - Elsewhere the temporary is made as .NAME.XXXXXX (0600) and renamed over @path.
 * So a kill can at worst leave a complete .NAME.XXXXXX, readable only by its owner.
 * g_file_set_contents() made its temporary 0666 less the umask (world-readable under the usual
 * 022), and g_file_replace() writes a new file in place under its final name (GLib 2.74), so a
 * kill left a partial export at @path; hence this.
 *
 * The file in place gets the mode of the file it replaces, or that of any new file (0666 less
 * the umask): the export is a file the user named, for other programs and often other people,
 * so it follows the user's own umask and permissions, as a saved document does; only the
 * temporary, which the user never asked for, is kept private. The mode is set once the file
 * is in place, so a kill just before leaves it 0600, never a temporary with a wider mode. */
static gboolean
write_replacing (const char  *path,
                 const char  *data,
                 gsize        len,
                 GError     **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *base = g_path_get_basename (path);
  g_autofree char *temp = NULL;   /* the temporary's name while it has one */
  g_autoptr(GRand) rand = NULL;
  gboolean anonymous = FALSE, placed = FALSE;
  struct stat st;
  mode_t mode;
  int fd = -1, dir_fd, saved;

  if (g_stat (path, &st) == 0 && S_ISREG (st.st_mode))
    mode = st.st_mode & 0777;
  else
    mode = new_file_mode ();

  dir_fd = g_open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);
  if (dir_fd < 0)
    goto failed;

#ifdef O_TMPFILE
  /* Naming it later goes through /proc/self/fd (linkat's AT_EMPTY_PATH needs a capability). */
  if (!write_no_tmpfile && g_file_test ("/proc/self/fd", G_FILE_TEST_IS_DIR))
    {
      fd = openat (dir_fd, ".", O_TMPFILE | O_WRONLY | O_CLOEXEC, 0600);
      anonymous = fd >= 0;
    }
#endif
  if (fd < 0)
    {
      temp = g_strdup_printf ("%s/.%s.XXXXXX", dir, base);
      fd = g_mkstemp_full (temp, O_WRONLY | O_CLOEXEC, 0600);
      if (fd < 0)
        {
          saved = errno;
          g_clear_pointer (&temp, g_free);
          errno = saved;
          goto failed;
        }
    }
  if (!write_all (fd, data, len) || fsync (fd) != 0)
    goto failed;
  if (write_hook != NULL && !write_hook (fd, temp, write_hook_data))
    {
      errno = EIO;
      goto failed;
    }

  if (anonymous)
    {
      /* A new name: link it there, which never replaces a file made meanwhile (EEXIST). */
      if (!g_file_test (path, G_FILE_TEST_EXISTS) && !g_file_test (path, G_FILE_TEST_IS_SYMLINK))
        {
          if (link_anonymous (fd, path))
            placed = TRUE;
          else if (errno != EEXIST)
            goto failed;
        }
      /* Replacing: name the temporary, then rename it over @path. Its own GRand: the global
       * one may be seeded by a caller that wants its draws reproducible. */
      if (!placed)
        rand = g_rand_new ();
      for (guint attempt = 0; !placed && temp == NULL && attempt < 100; attempt++)
        {
          temp = g_strdup_printf ("%s/.%s.%06X", dir, base, g_rand_int_range (rand, 0, 0x1000000));
          if (!link_anonymous (fd, temp))
            {
              saved = errno;
              g_clear_pointer (&temp, g_free);
              errno = saved;
              if (saved != EEXIST)
                goto failed;
            }
        }
      if (!placed && temp == NULL)
        goto failed;
    }
  if (!placed)
    {
      if (g_rename (temp, path) != 0)
        goto failed;
      g_clear_pointer (&temp, g_free);
    }

  /* In place, its data synced: now its mode, and the new name itself on disk. Best effort:
   * the export is complete whatever these say, and some file systems (FAT) keep no modes. */
  if (fchmod (fd, mode) == 0)
    fsync (fd);
  close (fd);
  fsync (dir_fd);
  close (dir_fd);

  return TRUE;

failed:
  saved = errno;
  if (temp != NULL)
    g_unlink (temp);
  if (fd >= 0)
    close (fd);
  if (dir_fd >= 0)
    close (dir_fd);
  g_set_error (error, LK_STORE_ERROR, LK_STORE_ERROR_IO, "Could not write %s: %s", path,
               g_strerror (saved));

  return FALSE;
}

/* Writes @out to @path atomically and privately (write_replacing()), never over an SQLite file
 * (check_export_target()); "-" is standard output, written only once the whole export is made
 * (so a failed export prints nothing) and with no temporary file. A failure is
 * LK_STORE_ERROR_IO naming the file. */
gboolean
lk_export_write_file (GString     *out,
                      const char  *path,
                      GError     **error)
{
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

  return write_replacing (path, out->str, out->len, error);
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
                           "i.path, b.bin, a.shown_us, a.submitted_us, g.name, q.repeat_of "
                           "FROM answer a JOIN query q ON q.id = a.query "
                           "JOIN answer_bin b ON b.answer = a.id "
                           "JOIN query_item qi ON qi.query = q.id AND qi.position = b.position "
                           "JOIN image i ON i.item = qi.item "
                           "LEFT JOIN participant p ON p.id = a.participant "
                           "LEFT JOIN gold_grid g ON g.id = q.gold "
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
      g_string_append_printf (out, ",%lld,%lld,", (long long) sqlite3_column_int64 (stmt, 9),
                              (long long) sqlite3_column_int64 (stmt, 10));
      lk_export_append_field (out, (const char *) sqlite3_column_text (stmt, 11));
      g_string_append_c (out, ',');
      if (sqlite3_column_type (stmt, 12) != SQLITE_NULL)
        g_string_append_printf (out, "%lld", (long long) sqlite3_column_int64 (stmt, 12));
      g_string_append_c (out, '\n');
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

  queries = lk_store_query_ids (store, "SELECT a.query FROM answer a JOIN query q ON "
                                "q.id = a.query WHERE NOT " LK_STORE_SQL_IS_TRIAL " AND NOT "
                                LK_STORE_SQL_IS_CHECK " AND " LK_STORE_SQL_ANSWER_COUNTS " AND "
                                LK_STORE_SQL_ANSWER_IN_MODEL
                                " ORDER BY a.id", 0,
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
 * Writes the whole study as JSON (every table but thumbnails and the lock row), and the
 * participants' QC figures.
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
    "judging_neighbour", "judging_shown", "participant_excluded", "trial",
    "answer_group_name", "gold_grid", "gold_item",
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
  if (!lk_export_add_participants_json (store, builder, error))
    return FALSE;
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  text = json_generator_to_data (generator, NULL);
  out = g_string_new (text);

  return lk_export_write_file (out, path, error);
}
