/* lk-lab-copy.c — a study file into an empty lab database (pg-push), and a lab study back into
 * a study file (pg-pull)
 *
 * Both copy the study file's tables column by column, by name: the columns are the study
 * file's (PRAGMA table_info of the file written or read), so a column the database lacks
 * fails the copy instead of being dropped, and the lab's own columns (leases, client ids,
 * stations, events) stay behind on a pull. Values keep their SQLite storage class: integers
 * and text as text, doubles printed with %.17g (exact), blobs as binary parameters; back from
 * the database by column type (bigint, double precision, bytea, text).
 *
 * A push works on a private copy of the study (lk_store_save_copy()), opened for writing so
 * that an older file is migrated, a phase cut short is repaired, and the current phase's batch
 * is drawn when none is open: the lab then starts with grids to hand out, and the study file
 * given is never written. It runs in one transaction (DDL included), so a failed push leaves
 * the database empty. A pull reads one snapshot (REPEATABLE READ) into a new file beside the
 * target, which is linked into place only when complete, never over an existing file.
 *
 * Answers from stations keep their station in answer.source ('lab:STATION', or
 * 'lab-late:STATION' for one that came after its lease expired), so the mark survives a pull.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "lk-lab-private.h"
#include "lk-store-private.h"

/* PostgreSQL's type oids (catalog/pg_type_d.h, which is not in libpq-dev). */
#define OID_BOOL   16
#define OID_BYTEA  17
#define OID_INT8   20
#define OID_INT2   21
#define OID_INT4   23
#define OID_FLOAT4 700
#define OID_FLOAT8 701

/* The identity columns, moved past the pushed ids after a push. */
static const char *const identity_tables[] = {
  "participant", "session", "query", "answer", "judging_round",
};

/* Returns the column names of @table in the study file @db, in order. */
static GPtrArray *
sqlite_columns (sqlite3     *db,
                const char  *table,
                GError     **error)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *sql = g_strdup_printf ("PRAGMA table_info(%s)", table);
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      g_set_error (error, LK_LAB_ERROR, LK_LAB_ERROR_FAILED, "Reading the table %s: %s", table,
                   sqlite3_errmsg (db));
      return NULL;
    }
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (names, g_strdup ((const char *) sqlite3_column_text (stmt, 1)));
  sqlite3_finalize (stmt);
  if (names->len == 0)
    {
      g_set_error (error, LK_LAB_ERROR, LK_LAB_ERROR_FAILED,
                   "The study file has no table %s", table);
      return NULL;
    }

  return g_steal_pointer (&names);
}

static char *
join_columns (GPtrArray *names)
{
  g_ptr_array_add (names, NULL);
  {
    char *text = g_strjoinv (", ", (char **) names->pdata);

    g_ptr_array_remove_index (names, names->len - 1);
    return text;
  }
}

/* Copies the rows of @table from the study file @db that match @where (every row when NULL)
 * into the database, inside the caller's transaction. */
gboolean
lk_lab_push_rows (LkLab       *self,
                  sqlite3     *db,
                  const char  *table,
                  const char  *where,
                  GError     **error)
{
  g_autoptr(GPtrArray) names = sqlite_columns (db, table, error);
  g_autoptr(GString) insert = NULL;
  g_autofree char *columns = NULL, *select = NULL, *doing = NULL;
  g_autoptr(PGresult) prepared = NULL;
  sqlite3_stmt *stmt = NULL;
  guint n;
  int rc;

  if (names == NULL)
    return FALSE;
  n = names->len;
  columns = join_columns (names);
  select = g_strdup_printf ("SELECT %s FROM %s%s%s", columns, table, where ? " WHERE " : "",
                            where ? where : "");
  insert = g_string_new (NULL);
  g_string_printf (insert, "INSERT INTO %s (%s) VALUES (", table, columns);
  for (guint i = 0; i < n; i++)
    g_string_append_printf (insert, "%s$%u", i > 0 ? ", " : "", i + 1);
  g_string_append_c (insert, ')');
  doing = g_strdup_printf ("Copying the table %s into the database", table);

  prepared = PQprepare (self->conn, "", insert->str, (int) n, NULL);
  if (PQresultStatus (prepared) != PGRES_COMMAND_OK)
    {
      lk_lab_set_result_error (self, prepared, doing, error);
      return FALSE;
    }
  if (sqlite3_prepare_v2 (db, select, -1, &stmt, NULL) != SQLITE_OK)
    {
      g_set_error (error, LK_LAB_ERROR, LK_LAB_ERROR_FAILED, "Reading the table %s: %s", table,
                   sqlite3_errmsg (db));
      return FALSE;
    }

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autofree const char **values = g_new0 (const char *, n);
      g_autofree int *lengths = g_new0 (int, n);
      g_autofree int *formats = g_new0 (int, n);
      g_autoptr(GPtrArray) owned = g_ptr_array_new_with_free_func (g_free);
      PGresult *res;
      gboolean ok;

      for (guint i = 0; i < n; i++)
        switch (sqlite3_column_type (stmt, (int) i))
          {
          case SQLITE_NULL:
            values[i] = NULL;
            break;
          case SQLITE_INTEGER:
            values[i] = g_strdup_printf ("%lld", (long long) sqlite3_column_int64 (stmt, (int) i));
            g_ptr_array_add (owned, (gpointer) values[i]);
            break;
          case SQLITE_FLOAT:
            {
              char *text = g_new (char, G_ASCII_DTOSTR_BUF_SIZE);

              values[i] = g_ascii_formatd (text, G_ASCII_DTOSTR_BUF_SIZE, "%.17g",
                                           sqlite3_column_double (stmt, (int) i));
              g_ptr_array_add (owned, text);
            }
            break;
          case SQLITE_BLOB:
            values[i] = sqlite3_column_blob (stmt, (int) i);
            lengths[i] = sqlite3_column_bytes (stmt, (int) i);
            formats[i] = 1;
            if (values[i] == NULL)
              values[i] = "";
            break;
          case SQLITE_TEXT:
          default:
            values[i] = (const char *) sqlite3_column_text (stmt, (int) i);
            break;
          }
      res = PQexecPrepared (self->conn, "", (int) n, values, lengths, formats, 0);
      ok = PQresultStatus (res) == PGRES_COMMAND_OK;
      if (!ok)
        lk_lab_set_result_error (self, res, doing, error);
      PQclear (res);
      if (!ok)
        {
          sqlite3_finalize (stmt);
          return FALSE;
        }
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      g_set_error (error, LK_LAB_ERROR, LK_LAB_ERROR_FAILED, "Reading the table %s: %s", table,
                   sqlite3_errstr (rc));
      return FALSE;
    }

  return TRUE;
}

/* Fails unless the current schema of the database holds no table, sequence or view. */
static gboolean
check_empty (LkLab   *self,
             GError **error)
{
  g_autoptr(PGresult) res = lk_lab_exec (self, "Looking into the database", error,
                                         "SELECT count(*) FROM pg_class c JOIN pg_namespace n "
                                         "ON n.oid = c.relnamespace WHERE n.nspname = "
                                         "current_schema() AND c.relkind IN "
                                         "('r', 'p', 'v', 'm', 'S', 'f')", 0);
  g_autofree char *where = NULL;
  long n;

  if (res == NULL)
    return FALSE;
  n = strtol (PQgetvalue (res, 0, 0), NULL, 10);
  if (n == 0)
    return TRUE;
  where = lk_lab_describe (self);
  g_set_error (error, LK_LAB_ERROR, LK_LAB_ERROR_NOT_EMPTY,
               "%s is not empty (it holds %ld tables, sequences or views); pg-push puts a study "
               "only into an empty database, so that it never mixes two studies. Create a new "
               "one (createdb NAME) and push into that", where, n);
  return FALSE;
}

/* Removes @dir and the files directly in it (the study copy and its journals). */
void
lk_lab_remove_tmpdir (const char *dir)
{
  GDir *d = g_dir_open (dir, 0, NULL);
  const char *name;

  if (d != NULL)
    {
      while ((name = g_dir_read_name (d)) != NULL)
        {
          g_autofree char *path = g_build_filename (dir, name, NULL);

          g_unlink (path);
        }
      g_dir_close (d);
    }
  g_rmdir (dir);
}

/* Makes @copy ready to push: migrated, repaired, and with the current phase's batch drawn
 * when no grid is open, as a station needs; a batch that is answered is folded in first, with
 * the next batch drawn (the refiner's step, lk-lab-refine.c). */
gboolean
lk_lab_prepare_copy (const char  *copy,
              GError     **error)
{
  g_autoptr(LkStore) store = lk_store_open (copy, LK_STORE_OPEN_DEFAULT, error);
  g_autoptr(LkRefiner) refiner = NULL;

  if (store == NULL)
    return FALSE;
  refiner = lk_answers_rebuild_and_repair (store, NULL, NULL, NULL, error);
  if (refiner == NULL)
    return FALSE;
  for (guint round = 0; round < 2 && !lk_refiner_is_done (refiner); round++)
    {
      g_autoptr(GArray) open = lk_answers_list_open (store, error);

      if (open == NULL)
        return FALSE;
      if (open->len > 0)
        break;
      if (lk_refiner_get_n_batch_answers (refiner) > 0)
        {
          /* The batch is answered but not folded in: as the CLI's answering loop does. */
          g_autoptr(GPtrArray) batch = NULL;
          LkUpdateStats stats;

          lk_refiner_end_phase (refiner, &stats);
          if (!lk_refiner_is_done (refiner))
            batch = lk_refiner_select_queries (refiner, lk_refiner_get_batch_size (refiner));
          if (!lk_answers_store_phase (store, refiner, &stats, batch, NULL, error))
            return FALSE;
        }
      else
        {
          g_autoptr(GArray) drawn = lk_answers_draw_queries (store, refiner, error);

          if (drawn == NULL)
            return FALSE;
        }
    }

  return TRUE;
}

/* Copies the prepared study file at @copy into the database, in one transaction. */
static gboolean
push_copy (LkLab       *self,
           const char  *copy,
           const char  *study_path,
           GError     **error)
{
  g_autofree char *version = g_strdup_printf ("%d", LK_LAB_SCHEMA_VERSION);
  g_autofree char *study_version = g_strdup_printf ("%d", LK_STORE_SCHEMA_VERSION);
  g_autofree char *key = g_strdup_printf ("%d", (int) (g_random_int () & 0x7fffffff));
  g_autofree char *from = g_strdup_printf ("%s:%s", g_get_host_name (), study_path);
  sqlite3 *db = NULL;
  gboolean ok;

  if (sqlite3_open_v2 (copy, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
    {
      g_set_error (error, LK_LAB_ERROR, LK_LAB_ERROR_FAILED, "Reading the study's copy: %s",
                   db != NULL ? sqlite3_errmsg (db) : "out of memory");
      sqlite3_close_v2 (db);
      return FALSE;
    }

  ok = lk_lab_run (self, "Starting the push", error, "BEGIN", 0) &&
       lk_lab_schema_create (self, error) &&
       lk_lab_run (self, "Writing the lab's version", error,
                   "INSERT INTO lab (id, schema_version, study_schema, refiner_key, pushed_from) "
                   "VALUES (1, $1, $2, $3, $4)", 4, version, study_version, key, from);
  for (guint i = 0; ok && i < lk_lab_n_study_tables; i++)
    ok = lk_lab_push_rows (self, db, lk_lab_study_tables[i], NULL, error);
  for (guint i = 0; ok && i < G_N_ELEMENTS (identity_tables); i++)
    {
      g_autofree char *sql =
        g_strdup_printf ("SELECT setval(pg_get_serial_sequence('%s', 'id'), "
                         "coalesce(max(id), 0) + 1, false) FROM %s",
                         identity_tables[i], identity_tables[i]);

      ok = lk_lab_run (self, "Moving the ids past the pushed rows", error, sql, 0);
    }
  ok = ok &&
       lk_lab_run (self, "Logging the push", error,
                   "INSERT INTO event (kind, payload) VALUES ('pushed', "
                   "jsonb_build_object('from', $1::text))", 1, from) &&
       lk_lab_run (self, "Committing the push", error, "COMMIT", 0);
  if (!ok)
    lk_lab_rollback (self);
  sqlite3_close_v2 (db);

  return ok;
}

/**
 * lk_lab_push:
 * @self: a connection to an empty database
 * @study_path: a study file (left unchanged)
 * @error: return location for a #GError
 *
 * Puts the study at @study_path into the database: every table of the study file, plus the
 * lab's own (empty) tables, with the current phase's batch of grids drawn when none is open.
 *
 * Returns: %TRUE on success; on failure the database is left as it was
 */
gboolean
lk_lab_push (LkLab       *self,
             const char  *study_path,
             GError     **error)
{
  g_autoptr(LkStore) store = NULL;
  g_autofree char *dir = NULL, *copy = NULL;
  gboolean ok;

  if (!check_empty (self, error))
    return FALSE;
  store = lk_store_open (study_path, LK_STORE_OPEN_READ_ONLY, error);
  if (store == NULL)
    return FALSE;
  dir = g_dir_make_tmp ("likeness-push-XXXXXX", error);
  if (dir == NULL)
    return FALSE;
  copy = g_build_filename (dir, "study.likeness", NULL);
  ok = lk_store_save_copy (store, copy, error);
  g_clear_pointer (&store, lk_store_close);
  ok = ok && lk_lab_prepare_copy (copy, error) && push_copy (self, copy, study_path, error);
  lk_lab_remove_tmpdir (dir);

  return ok;
}

/**
 * lk_lab_open_study:
 * @self: a lab connection
 * @error: return location for a #GError
 *
 * Checks that the database holds a lab study this build can use.
 *
 * Returns: %TRUE when it does
 */
gboolean
lk_lab_open_study (LkLab   *self,
                   GError **error)
{
  g_autoptr(PGresult) res = lk_lab_exec (self, "Looking for the lab study", error,
                                         "SELECT to_regclass('lab') IS NOT NULL", 0);
  g_autoptr(PGresult) version = NULL;
  g_autofree char *where = NULL;
  int lab, study;

  if (res == NULL)
    return FALSE;
  where = lk_lab_describe (self);
  if (strcmp (PQgetvalue (res, 0, 0), "t") != 0)
    {
      g_set_error (error, LK_LAB_ERROR, LK_LAB_ERROR_NOT_A_STUDY,
                   "%s holds no Likeness lab study; put one there with "
                   "likeness-cli pg-push STUDY.likeness URI", where);
      return FALSE;
    }
  version = lk_lab_exec (self, "Reading the lab study's version", error,
                         "SELECT schema_version, study_schema FROM lab WHERE id = 1", 0);
  if (version == NULL)
    return FALSE;
  if (PQntuples (version) != 1)
    {
      g_set_error (error, LK_LAB_ERROR, LK_LAB_ERROR_NOT_A_STUDY,
                   "%s has a damaged lab study: its table 'lab' has no row", where);
      return FALSE;
    }
  lab = atoi (PQgetvalue (version, 0, 0));
  study = atoi (PQgetvalue (version, 0, 1));
  if (lab != LK_LAB_SCHEMA_VERSION || study != LK_STORE_SCHEMA_VERSION)
    {
      g_set_error (error, LK_LAB_ERROR, LK_LAB_ERROR_VERSION,
                   "The lab study in %s has lab version %d and study version %d; this Likeness "
                   "uses %d and %d. Use the Likeness it was pushed with", where, lab, study,
                   LK_LAB_SCHEMA_VERSION, LK_STORE_SCHEMA_VERSION);
      return FALSE;
    }

  return TRUE;
}

/* Binds @value, of the database's type @type, to @stmt's parameter @i. */
static int
bind_value (sqlite3_stmt *stmt,
            int           i,
            Oid           type,
            const char   *value,
            gboolean      null)
{
  if (null)
    return sqlite3_bind_null (stmt, i);
  switch (type)
    {
    case OID_INT8:
    case OID_INT4:
    case OID_INT2:
      return sqlite3_bind_int64 (stmt, i, g_ascii_strtoll (value, NULL, 10));
    case OID_BOOL:
      return sqlite3_bind_int (stmt, i, value[0] == 't');
    case OID_FLOAT4:
    case OID_FLOAT8:
      return sqlite3_bind_double (stmt, i, g_ascii_strtod (value, NULL));
    case OID_BYTEA:
      {
        size_t len = 0;
        unsigned char *bytes = PQunescapeBytea ((const unsigned char *) value, &len);
        int rc;

        if (bytes == NULL)
          return SQLITE_NOMEM;
        rc = sqlite3_bind_blob64 (stmt, i, bytes, len, SQLITE_TRANSIENT);
        PQfreemem (bytes);
        return rc;
      }
    default:
      return sqlite3_bind_text (stmt, i, value, -1, SQLITE_TRANSIENT);
    }
}

/* Copies @table from the database into the new study file @db, a row at a time. */
static gboolean
pull_table (LkLab       *self,
            sqlite3     *db,
            const char  *table,
            GError     **error)
{
  g_autoptr(GPtrArray) names = sqlite_columns (db, table, error);
  g_autoptr(GString) insert = NULL;
  g_autofree char *columns = NULL, *select = NULL, *doing = NULL;
  sqlite3_stmt *stmt = NULL;
  PGresult *res;
  gboolean ok = TRUE;
  guint n;

  if (names == NULL)
    return FALSE;
  n = names->len;
  columns = join_columns (names);
  select = g_strdup_printf ("SELECT %s FROM %s ORDER BY 1", columns, table);
  insert = g_string_new (NULL);
  g_string_printf (insert, "INSERT INTO %s (%s) VALUES (", table, columns);
  for (guint i = 0; i < n; i++)
    g_string_append_printf (insert, "%s?", i > 0 ? ", " : "");
  g_string_append_c (insert, ')');
  doing = g_strdup_printf ("Copying the table %s out of the database", table);

  if (sqlite3_prepare_v2 (db, insert->str, -1, &stmt, NULL) != SQLITE_OK)
    {
      g_set_error (error, LK_LAB_ERROR, LK_LAB_ERROR_FAILED, "%s: %s", doing, sqlite3_errmsg (db));
      return FALSE;
    }
  /* One row at a time: the thumbnails of a large collection need not fit in memory at once. */
  if (!PQsendQueryParams (self->conn, select, 0, NULL, NULL, NULL, NULL, 0) ||
      !PQsetSingleRowMode (self->conn))
    {
      lk_lab_set_result_error (self, NULL, doing, error);
      sqlite3_finalize (stmt);
      return FALSE;
    }
  while ((res = PQgetResult (self->conn)) != NULL)
    {
      ExecStatusType status = PQresultStatus (res);

      if (status == PGRES_SINGLE_TUPLE && ok)
        {
          int rc = SQLITE_OK;

          sqlite3_reset (stmt);
          for (guint i = 0; i < n && rc == SQLITE_OK; i++)
            rc = bind_value (stmt, (int) i + 1, PQftype (res, (int) i),
                             PQgetvalue (res, 0, (int) i), PQgetisnull (res, 0, (int) i));
          if (rc == SQLITE_OK)
            rc = sqlite3_step (stmt);
          if (rc != SQLITE_DONE)
            {
              g_set_error (error, LK_LAB_ERROR, LK_LAB_ERROR_FAILED, "%s: %s", doing,
                           sqlite3_errmsg (db));
              ok = FALSE;
            }
        }
      else if (status != PGRES_SINGLE_TUPLE && status != PGRES_TUPLES_OK && ok)
        {
          lk_lab_set_result_error (self, res, doing, error);
          ok = FALSE;
        }
      PQclear (res);
    }
  sqlite3_finalize (stmt);

  return ok;
}

/* Writes the lab study into the new, empty file @tmp. */
static gboolean
pull_into (LkLab       *self,
           const char  *tmp,
           GError     **error)
{
  sqlite3 *db = NULL;
  gboolean ok;

  if (sqlite3_open_v2 (tmp, &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK)
    {
      g_set_error (error, LK_LAB_ERROR, LK_LAB_ERROR_FAILED, "Writing %s: %s", tmp,
                   db != NULL ? sqlite3_errmsg (db) : "out of memory");
      sqlite3_close_v2 (db);
      return FALSE;
    }
  ok = lk_store_schema_upgrade (db, 0, LK_STORE_SCHEMA_VERSION, error) &&
       lk_lab_run (self, "Starting the pull", error,
                   "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", 0);
  if (ok && sqlite3_exec (db, "PRAGMA synchronous = FULL; BEGIN IMMEDIATE;", NULL, NULL,
                          NULL) != SQLITE_OK)
    {
      g_set_error (error, LK_LAB_ERROR, LK_LAB_ERROR_FAILED, "Writing %s: %s", tmp,
                   sqlite3_errmsg (db));
      ok = FALSE;
    }
  for (guint i = 0; ok && i < lk_lab_n_study_tables; i++)
    ok = pull_table (self, db, lk_lab_study_tables[i], error);
  if (ok && sqlite3_exec (db, "COMMIT;", NULL, NULL, NULL) != SQLITE_OK)
    {
      g_set_error (error, LK_LAB_ERROR, LK_LAB_ERROR_FAILED, "Writing %s: %s", tmp,
                   sqlite3_errmsg (db));
      ok = FALSE;
    }
  lk_lab_rollback (self);
  if (sqlite3_close (db) != SQLITE_OK)
    {
      if (ok)
        g_set_error (error, LK_LAB_ERROR, LK_LAB_ERROR_FAILED, "Closing %s: %s", tmp,
                     sqlite3_errmsg (db));
      sqlite3_close_v2 (db);
      ok = FALSE;
    }

  return ok;
}

/**
 * lk_lab_pull:
 * @self: a connection to a lab study
 * @out_path: the study file to write; must not exist
 * @error: return location for a #GError
 *
 * Writes the lab study as a complete study file: images, thumbnails, parameters, settings,
 * participants, sessions, every query and answer, phases and judging rounds, as one snapshot.
 *
 * Returns: %TRUE on success; on failure nothing is left at @out_path
 */
gboolean
lk_lab_pull (LkLab       *self,
             const char  *out_path,
             GError     **error)
{
  g_autofree char *tmp = NULL;
  gboolean ok;
  int fd;

  if (!lk_lab_open_study (self, error))
    return FALSE;
  if (g_file_test (out_path, G_FILE_TEST_EXISTS) || g_file_test (out_path, G_FILE_TEST_IS_SYMLINK))
    {
      g_set_error (error, LK_LAB_ERROR, LK_LAB_ERROR_EXISTS,
                   "A file already exists at %s; choose another name for the study", out_path);
      return FALSE;
    }
  tmp = g_strconcat (out_path, ".partial-XXXXXX", NULL);
  fd = g_mkstemp_full (tmp, O_RDWR | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      int saved = errno;

      g_set_error (error, LK_LAB_ERROR, LK_LAB_ERROR_FAILED, "Could not create %s: %s",
                   out_path, g_strerror (saved));
      return FALSE;
    }
  close (fd);

  ok = pull_into (self, tmp, error);
  if (ok && link (tmp, out_path) != 0)
    {
      int saved = errno;

      g_set_error (error, LK_LAB_ERROR, saved == EEXIST ? LK_LAB_ERROR_EXISTS : LK_LAB_ERROR_FAILED,
                   "Could not write %s: %s", out_path, g_strerror (saved));
      ok = FALSE;
    }
  g_unlink (tmp);
  {
    g_autofree char *journal = g_strconcat (tmp, "-journal", NULL);

    g_unlink (journal);
  }

  return ok;
}

/**
 * lk_lab_get_counts:
 * @self: a connection to a lab study
 * @counts: (out caller-allocates): filled with the study's counts
 * @error: return location for a #GError
 *
 * Returns: %TRUE on success
 */
gboolean
lk_lab_get_counts (LkLab        *self,
                   LkLabCounts  *counts,
                   GError      **error)
{
  g_autoptr(PGresult) res =
    lk_lab_exec (self, "Counting the lab study's rows", error,
                 "SELECT (SELECT count(*) FROM image),"
                 " (SELECT count(*) FROM query WHERE kind IN ('sort', 'training', 'exam')),"
                 " (SELECT count(*) FROM query WHERE state = 'pending'),"
                 " (SELECT count(*) FROM query WHERE state = 'served'"
                 "   AND lease_until >= now()),"
                 " (SELECT count(*) FROM query WHERE state = 'served'"
                 "   AND (lease_until IS NULL OR lease_until < now())),"
                 " (SELECT count(*) FROM query WHERE state = 'answered'"
                 "   AND kind IN ('sort', 'training', 'exam')),"
                 " (SELECT count(*) FROM query WHERE state = 'abandoned'),"
                 " (SELECT count(*) FROM answer a JOIN query q ON q.id = a.query"
                 "   WHERE q.kind IN ('sort', 'training', 'exam')),"
                 " (SELECT count(*) FROM answer WHERE late),"
                 " (SELECT count(*) FROM participant),"
                 " (SELECT count(*) FROM phase),"
                 " (SELECT count(*) FROM station)", 0);
  guint *fields[] = {
    &counts->images, &counts->queries, &counts->pending, &counts->leased, &counts->expired,
    &counts->answered, &counts->abandoned, &counts->answers, &counts->late,
    &counts->participants, &counts->phases_done, &counts->stations,
  };

  if (res == NULL)
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    *fields[i] = (guint) g_ascii_strtoull (PQgetvalue (res, 0, (int) i), NULL, 10);

  return TRUE;
}

/**
 * lk_lab_get_param:
 * @self: a connection to a lab study
 * @name: a parameter's name (a field of LkParams)
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the parameter's stored text, or %NULL with @error set
 */
char *
lk_lab_get_param (LkLab       *self,
                  const char  *name,
                  GError     **error)
{
  g_autoptr(PGresult) res = lk_lab_exec (self, "Reading the study's parameters", error,
                                         "SELECT value FROM param WHERE name = $1", 1, name);

  if (res == NULL)
    return NULL;
  if (PQntuples (res) != 1)
    {
      g_set_error (error, LK_LAB_ERROR, LK_LAB_ERROR_NOT_A_STUDY,
                   "The lab study has no parameter '%s'", name);
      return NULL;
    }

  return g_strdup (PQgetvalue (res, 0, 0));
}

/**
 * lk_lab_get_thumbnail:
 * @self: a connection to a lab study
 * @item: an image's item id
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the PNG of the image's thumbnail (stations need no shared folder)
 */
GBytes *
lk_lab_get_thumbnail (LkLab    *self,
                      guint     item,
                      GError  **error)
{
  g_autofree char *text = g_strdup_printf ("%u", item);
  const char *params[] = { text };
  g_autoptr(PGresult) res = PQexecParams (self->conn, "SELECT png FROM thumbnail WHERE item = $1",
                                          1, NULL, params, NULL, NULL, 1);

  if (PQresultStatus (res) != PGRES_TUPLES_OK)
    {
      lk_lab_set_result_error (self, res, "Reading a thumbnail", error);
      return NULL;
    }
  if (PQntuples (res) != 1)
    {
      g_set_error (error, LK_LAB_ERROR, LK_LAB_ERROR_INVALID,
                   "The lab study has no thumbnail of image %u", item);
      return NULL;
    }

  return g_bytes_new (PQgetvalue (res, 0, 0), (gsize) PQgetlength (res, 0, 0));
}
