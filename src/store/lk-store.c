/* lk-store.c — opening, creating and writing a study file
 *
 * Durability: the file is in WAL mode with synchronous=FULL, so a COMMIT returns only after the
 * write-ahead log is on disk; every write the store offers is one BEGIN IMMEDIATE … COMMIT, and
 * a failure rolls it back, so the file holds either all of a write or none of it.
 *
 * One writer: a writable open takes flock(LOCK_EX | LOCK_NB) on the study file itself, through a
 * descriptor kept open until after SQLite has closed (closing it earlier would drop SQLite's
 * own POSIX locks on the same file). flock locks are released by the kernel when the process
 * dies, so a crash never leaves a stale lock; the lock_owner row only names the holder for the
 * "already open by" message. flock does not interact with SQLite's fcntl locks on Linux, and it
 * is not reliable on some network file systems: keep studies on a local disk. Read-only opens
 * take no lock and read a consistent snapshot through the WAL.
 *
 * A file deleted or replaced while open would swallow every later write into an unlinked
 * inode, so each write first checks (again just before COMMIT) that the path still names the
 * inode that was opened, and fails with LK_STORE_ERROR_MOVED otherwise; lk_store_save_copy()
 * can then rescue the study from the open connection. After each COMMIT a passive checkpoint
 * copies the WAL into the main file, so the .likeness file alone is complete between writes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <stdarg.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lk-store.h"

#include "lk-store-private.h"

struct _LkStore {
  char               *path;
  sqlite3            *db;
  int                 lock_fd;
  dev_t               dev;
  ino_t               ino;
  gboolean            read_only;
  guint               opened_version;
  LkParams            params;
  const LkMethodType *method;
  GHashTable         *statements;   /* sql → sqlite3_stmt */
};

G_DEFINE_QUARK (lk-store-error-quark, lk_store_error)

/* Returns the current UTC time as ISO 8601 text. */
static char *
now_iso8601 (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  return g_date_time_format_iso8601 (now);
}

/* The same for the store's other files (lk-store-private.h). */
char *
lk_store_now_iso8601 (void)
{
  return now_iso8601 ();
}

sqlite3 *
lk_store_get_db (LkStore *self)
{
  return self->db;
}

/* Returns the LkStoreError code for a SQLite result code. */
static LkStoreError
code_for_rc (int rc)
{
  switch (rc & 0xff)
    {
    case SQLITE_FULL:
      return LK_STORE_ERROR_DISK_FULL;
    case SQLITE_READONLY:
      return rc == SQLITE_READONLY_DBMOVED ? LK_STORE_ERROR_MOVED : LK_STORE_ERROR_READ_ONLY;
    case SQLITE_PERM:
      return LK_STORE_ERROR_READ_ONLY;
    case SQLITE_IOERR:
    case SQLITE_CANTOPEN:
      return LK_STORE_ERROR_IO;
    case SQLITE_CORRUPT:
      return LK_STORE_ERROR_DAMAGED;
    case SQLITE_NOTADB:
      return LK_STORE_ERROR_NOT_A_STUDY;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return LK_STORE_ERROR_LOCKED;
    case SQLITE_CONSTRAINT:
    case SQLITE_MISMATCH:
      return LK_STORE_ERROR_INVALID;
    default:
      return LK_STORE_ERROR_FAILED;
    }
}

/* Sets @error for SQLite result @rc on @db, naming @doing, the cause and the file. */
static void
set_sqlite_error (sqlite3     *db,
                  const char  *path,
                  GError     **error,
                  int          rc,
                  const char  *doing)
{
  const char *cause = db != NULL ? sqlite3_errmsg (db) : sqlite3_errstr (rc);
  int sys = db != NULL ? sqlite3_system_errno (db) : 0;

  if ((rc & 0xff) == SQLITE_IOERR && sys != 0)
    g_set_error (error, LK_STORE_ERROR, code_for_rc (rc), "%s failed: %s (%s) - %s",
                 doing, cause, g_strerror (sys), path);
  else
    g_set_error (error, LK_STORE_ERROR, code_for_rc (rc), "%s failed: %s - %s",
                 doing, cause, path);
}

void
lk_store_set_error (LkStore    *self,
                    GError    **error,
                    int         rc,
                    const char *doing)
{
  set_sqlite_error (self->db, self->path, error, rc, doing);
}

sqlite3_stmt *
lk_store_prepare (LkStore     *self,
                  const char  *sql,
                  GError     **error)
{
  sqlite3_stmt *stmt = g_hash_table_lookup (self->statements, sql);
  int rc;

  if (stmt != NULL)
    {
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
      return stmt;
    }

  rc = sqlite3_prepare_v3 (self->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      lk_store_set_error (self, error, rc, "Preparing a statement");
      return NULL;
    }
  g_hash_table_insert (self->statements, g_strdup (sql), stmt);

  return stmt;
}

gboolean
lk_store_exec (LkStore     *self,
               const char  *sql,
               GError     **error)
{
  int rc = sqlite3_exec (self->db, sql, NULL, NULL, NULL);

  if (rc != SQLITE_OK)
    {
      lk_store_set_error (self, error, rc, "Writing to the study");
      return FALSE;
    }

  return TRUE;
}

/* Returns TRUE if the path still names the file that was opened; otherwise sets @error. */
static gboolean
check_not_moved (LkStore  *self,
                 GError  **error)
{
  struct stat now, held;

  if (fstat (self->lock_fd, &held) == 0 && held.st_nlink == 0)
    {
      g_set_error (error, LK_STORE_ERROR, LK_STORE_ERROR_MOVED,
                   "The study file was deleted while open; nothing more can be saved to it - %s",
                   self->path);
      return FALSE;
    }
  if (g_stat (self->path, &now) != 0 || now.st_dev != self->dev || now.st_ino != self->ino)
    {
      g_set_error (error, LK_STORE_ERROR, LK_STORE_ERROR_MOVED,
                   "The study file was moved, deleted or replaced while open; nothing more can "
                   "be saved to it - %s", self->path);
      return FALSE;
    }

  return TRUE;
}

gboolean
lk_store_write_begin (LkStore  *self,
                      GError  **error)
{
  int rc;

  if (self->read_only)
    {
      g_set_error (error, LK_STORE_ERROR, LK_STORE_ERROR_READ_ONLY,
                   "The study is open read-only - %s", self->path);
      return FALSE;
    }
  if (!check_not_moved (self, error))
    return FALSE;

  rc = sqlite3_exec (self->db, "BEGIN IMMEDIATE;", NULL, NULL, NULL);
  if (rc != SQLITE_OK)
    {
      lk_store_set_error (self, error, rc, "Starting a write");
      return FALSE;
    }

  return TRUE;
}

void
lk_store_write_rollback (LkStore *self)
{
  if (!sqlite3_get_autocommit (self->db))
    sqlite3_exec (self->db, "ROLLBACK;", NULL, NULL, NULL);
}

gboolean
lk_store_write_commit (LkStore     *self,
                       const char  *doing,
                       GError     **error)
{
  int rc;

  if (!check_not_moved (self, error))
    {
      lk_store_write_rollback (self);
      return FALSE;
    }

  rc = sqlite3_exec (self->db, "COMMIT;", NULL, NULL, NULL);
  if (rc != SQLITE_OK)
    {
      lk_store_set_error (self, error, rc, doing);
      lk_store_write_rollback (self);
      return FALSE;
    }

  /* The write is durable in the WAL now. Copying it into the main file at once keeps the
   * .likeness file complete on its own, so a study copied or moved while open (leaving its
   * -wal behind) loses nothing. PASSIVE never waits; a busy reader only postpones it. */
  sqlite3_wal_checkpoint_v2 (self->db, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);

  return TRUE;
}

/* Binds the values of @args to @stmt, one per character of @types (see lk_store_write_row()). */
static void
bind_values (sqlite3_stmt *stmt,
             const char   *types,
             va_list      *args)
{
  for (int i = 0; types[i] != '\0'; i++)
    {
      const char *text;

      switch (types[i])
        {
        case 's':
          text = va_arg (*args, const char *);
          if (text != NULL)
            sqlite3_bind_text (stmt, i + 1, text, -1, SQLITE_TRANSIENT);
          else
            sqlite3_bind_null (stmt, i + 1);
          break;
        case 'i':
          sqlite3_bind_int (stmt, i + 1, va_arg (*args, int));
          break;
        case 'x':
          sqlite3_bind_int64 (stmt, i + 1, va_arg (*args, gint64));
          break;
        default:
          g_return_if_reached ();
        }
    }
}

/**
 * lk_store_write_row:
 * @self: a study open for writing
 * @rowid: (out) (optional): the rowid of the row @sql inserted
 * @missing: (nullable): when set, @sql must change exactly one row, and the write fails with
 *   %LK_STORE_ERROR_NOT_FOUND and this message when it changes none
 * @doing: what the write is, for error messages ("Adding the participant")
 * @error: return location for a #GError
 * @sql: one INSERT, UPDATE or DELETE
 * @types: one character per parameter of @sql: 's' a const char * (%NULL binds NULL), 'i' an
 *   int (gboolean and guint too), 'x' a gint64
 * @...: the parameters' values, in order
 *
 * Runs one statement in its own transaction, which lk_store_write_begin() and
 * lk_store_write_commit() bracket with their checks that the file was not moved. Every write
 * of a single row goes through here, so that none can forget a check or the rollback.
 *
 * Returns: %TRUE once committed; %FALSE with @error set and the file unchanged
 */
gboolean
lk_store_write_row (LkStore     *self,
                    gint64      *rowid,
                    const char  *missing,
                    const char  *doing,
                    GError     **error,
                    const char  *sql,
                    const char  *types,
                    ...)
{
  sqlite3_stmt *stmt;
  va_list args;
  gint64 id;
  int rc;

  if (!lk_store_write_begin (self, error))
    return FALSE;
  stmt = lk_store_prepare (self, sql, error);
  if (stmt == NULL)
    {
      lk_store_write_rollback (self);
      return FALSE;
    }
  g_return_val_if_fail ((int) strlen (types) == sqlite3_bind_parameter_count (stmt), FALSE);

  va_start (args, types);
  bind_values (stmt, types, &args);
  va_end (args);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  if (rc != SQLITE_DONE)
    {
      lk_store_set_error (self, error, rc, doing);
      lk_store_write_rollback (self);
      return FALSE;
    }
  if (missing != NULL && sqlite3_changes (self->db) != 1)
    {
      g_set_error_literal (error, LK_STORE_ERROR, LK_STORE_ERROR_NOT_FOUND, missing);
      lk_store_write_rollback (self);
      return FALSE;
    }
  id = sqlite3_last_insert_rowid (self->db);
  if (!lk_store_write_commit (self, doing, error))
    return FALSE;
  if (rowid != NULL)
    *rowid = id;

  return TRUE;
}

/* Frees @self; the lock descriptor is closed only after SQLite has let go of the file. */
static void
store_free (LkStore *self)
{
  g_clear_pointer (&self->statements, g_hash_table_unref);
  if (self->db != NULL)
    sqlite3_close_v2 (self->db);
  if (self->lock_fd >= 0)
    close (self->lock_fd);
  g_free (self->path);
  g_free (self);
}

/* Returns a description of who holds the lock on @path, read without taking it. */
static char *
describe_lock_owner (const char *path)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  char *owner = NULL;

  if (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
      sqlite3_prepare_v2 (db, "SELECT host, pid, since FROM lock_owner WHERE id = 1",
                          -1, &stmt, NULL) == SQLITE_OK &&
      sqlite3_step (stmt) == SQLITE_ROW)
    owner = g_strdup_printf ("%s, process %lld, since %s",
                             (const char *) sqlite3_column_text (stmt, 0),
                             (long long) sqlite3_column_int64 (stmt, 1),
                             (const char *) sqlite3_column_text (stmt, 2));
  sqlite3_finalize (stmt);
  sqlite3_close_v2 (db);

  return owner != NULL ? owner : g_strdup ("another process");
}

/* Opens the descriptor that carries the lock, and takes the lock when writing. */
static gboolean
open_lock (LkStore   *self,
           gboolean   create,
           GError   **error)
{
  int flags = self->read_only ? O_RDONLY : O_RDWR;
  struct stat st;
  int saved;

  if (create)
    flags |= O_CREAT | O_EXCL;
  self->lock_fd = g_open (self->path, flags | O_CLOEXEC, 0666);
  if (self->lock_fd < 0)
    {
      saved = errno;
      if (saved == EEXIST)
        g_set_error (error, LK_STORE_ERROR, LK_STORE_ERROR_EXISTS,
                     "A file already exists at %s; choose another name", self->path);
      else if (saved == ENOENT && !create)
        g_set_error (error, LK_STORE_ERROR, LK_STORE_ERROR_NOT_FOUND,
                     "No study file at %s", self->path);
      else if (saved == EACCES || saved == EROFS || saved == EPERM)
        g_set_error (error, LK_STORE_ERROR, LK_STORE_ERROR_READ_ONLY,
                     "The study file cannot be %s (%s) - %s",
                     self->read_only ? "read" : "written", g_strerror (saved), self->path);
      else
        g_set_error (error, LK_STORE_ERROR, LK_STORE_ERROR_IO,
                     "Could not open the study file: %s - %s", g_strerror (saved), self->path);
      return FALSE;
    }

  if (fstat (self->lock_fd, &st) != 0 || !S_ISREG (st.st_mode))
    {
      g_set_error (error, LK_STORE_ERROR, LK_STORE_ERROR_NOT_A_STUDY,
                   "Not a regular file, so not a study - %s", self->path);
      return FALSE;
    }
  self->dev = st.st_dev;
  self->ino = st.st_ino;

  if (self->read_only)
    return TRUE;

  if (flock (self->lock_fd, LOCK_EX | LOCK_NB) != 0)
    {
      saved = errno;
      if (saved == EWOULDBLOCK)
        {
          g_autofree char *owner = describe_lock_owner (self->path);

          g_set_error (error, LK_STORE_ERROR, LK_STORE_ERROR_LOCKED,
                       "The study is already open by %s; close it there, or open it read-only "
                       "— %s", owner, self->path);
        }
      else
        g_set_error (error, LK_STORE_ERROR, LK_STORE_ERROR_IO,
                     "Could not lock the study file: %s - %s", g_strerror (saved), self->path);
      return FALSE;
    }

  /* SQLite creates the -wal and -shm files beside the study; a folder we cannot write would
   * only fail at the first answer, so say it now. */
  {
    g_autofree char *dir = g_path_get_dirname (self->path);

    if (access (dir, W_OK | X_OK) != 0)
      {
        saved = errno;
        g_set_error (error, LK_STORE_ERROR, LK_STORE_ERROR_READ_ONLY,
                     "The folder of the study cannot be written (%s), and the study needs to "
                     "keep its journal beside it; open it read-only - %s",
                     g_strerror (saved), self->path);
        return FALSE;
      }
  }

  return TRUE;
}

/* Returns TRUE if the file starts with the SQLite header; FALSE with @error otherwise. */
static gboolean
check_header (LkStore  *self,
              GError  **error)
{
  static const char magic[16] = "SQLite format 3";
  char header[16];
  gssize n = pread (self->lock_fd, header, sizeof header, 0);

  if (n == 0)
    {
      g_set_error (error, LK_STORE_ERROR, LK_STORE_ERROR_NOT_A_STUDY,
                   "The file is empty, not a study - %s", self->path);
      return FALSE;
    }
  if (n != sizeof header || memcmp (header, magic, sizeof magic) != 0)
    {
      g_set_error (error, LK_STORE_ERROR, LK_STORE_ERROR_NOT_A_STUDY,
                   "Not a Likeness study (not an SQLite file) - %s", self->path);
      return FALSE;
    }

  return TRUE;
}

/* Runs a one-integer pragma query; returns FALSE with @error if the file cannot be read. */
static gboolean
pragma_int (LkStore     *self,
            const char  *sql,
            gint64      *out,
            GError     **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc = sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL);

  if (rc == SQLITE_OK)
    rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      *out = sqlite3_column_int64 (stmt, 0);
      sqlite3_finalize (stmt);
      return TRUE;
    }
  sqlite3_finalize (stmt);

  if ((rc & 0xff) == SQLITE_NOTADB || (rc & 0xff) == SQLITE_CORRUPT)
    g_set_error (error, LK_STORE_ERROR, LK_STORE_ERROR_DAMAGED,
                 "The study file is damaged (%s) - %s", sqlite3_errstr (rc), self->path);
  else
    lk_store_set_error (self, error, rc, "Reading the study");

  return FALSE;
}

/* Sets the connection up for durable writes, or for reading only. */
static gboolean
configure (LkStore  *self,
           GError  **error)
{
  sqlite3_stmt *stmt = NULL;
  gboolean wal;

  sqlite3_extended_result_codes (self->db, 1);
  sqlite3_busy_timeout (self->db, 5000);

  if (self->read_only)
    return lk_store_exec (self, "PRAGMA query_only = ON;", error);

  if (sqlite3_prepare_v2 (self->db, "PRAGMA journal_mode = WAL;", -1, &stmt, NULL) != SQLITE_OK ||
      sqlite3_step (stmt) != SQLITE_ROW)
    {
      lk_store_set_error (self, error, sqlite3_errcode (self->db), "Switching to WAL journaling");
      sqlite3_finalize (stmt);
      return FALSE;
    }
  wal = g_ascii_strcasecmp ((const char *) sqlite3_column_text (stmt, 0), "wal") == 0;
  sqlite3_finalize (stmt);
  if (!wal)
    {
      g_set_error (error, LK_STORE_ERROR, LK_STORE_ERROR_FAILED,
                   "The study's file system does not support WAL journaling - %s", self->path);
      return FALSE;
    }

  return lk_store_exec (self,
                        "PRAGMA synchronous = FULL;"
                        "PRAGMA foreign_keys = ON;",
                        error);
}

/* Reads the study row and its parameters into @self. */
static gboolean
load_study (LkStore  *self,
            GError  **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = lk_store_prepare (self, "SELECT method FROM study WHERE id = 1", error);
  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      if (rc == SQLITE_DONE)
        g_set_error (error, LK_STORE_ERROR, LK_STORE_ERROR_DAMAGED,
                     "The study file has no study record - %s", self->path);
      else
        lk_store_set_error (self, error, rc, "Reading the study record");
      return FALSE;
    }
  self->method = lk_method_lookup ((const char *) sqlite3_column_text (stmt, 0));
  if (self->method == NULL)
    {
      g_set_error (error, LK_STORE_ERROR, LK_STORE_ERROR_TOO_NEW,
                   "The study uses the method '%s', which this version of Likeness does not "
                   "know - %s", sqlite3_column_text (stmt, 0), self->path);
      return FALSE;
    }
  sqlite3_reset (stmt);

  return lk_store_params_load (self, &self->params, error);
}

/* Records this process as the holder of the lock (informational only). */
static gboolean
write_lock_owner (LkStore  *self,
                  GError  **error)
{
  g_autofree char *since = now_iso8601 ();

  return lk_store_write_row (self, NULL, NULL, "Recording the lock owner", error,
                             "INSERT OR REPLACE INTO lock_owner (id, host, pid, since) "
                             "VALUES (1, ?, ?, ?)", "sxs",
                             g_get_host_name (), (gint64) getpid (), since);
}

static void
finalize_statement (gpointer stmt)
{
  sqlite3_finalize (stmt);
}

static LkStore *
store_new (const char *path,
           gboolean    read_only)
{
  LkStore *self = g_new0 (LkStore, 1);

  self->path = g_canonicalize_filename (path, NULL);
  self->read_only = read_only;
  self->lock_fd = -1;
  self->statements = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                            finalize_statement);

  return self;
}

/* Opens the SQLite connection on self->path. */
static gboolean
open_db (LkStore  *self,
         GError  **error)
{
  int flags = self->read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE;
  g_autofree char *dir = g_path_get_dirname (self->path);
  g_autofree char *wal = g_strconcat (self->path, "-wal", NULL);
  g_autofree char *uri = NULL;
  int rc;

  /* Reading a WAL study needs its -shm file; in a folder we cannot write, with no -wal file,
   * nobody can be writing the study, so it is safe to read it as immutable. */
  if (self->read_only && access (dir, W_OK) != 0 && !g_file_test (wal, G_FILE_TEST_EXISTS))
    {
      g_autofree char *escaped = g_uri_escape_string (self->path, "/", FALSE);

      uri = g_strconcat ("file:", escaped, "?immutable=1", NULL);
      flags |= SQLITE_OPEN_URI;
    }

  rc = sqlite3_open_v2 (uri != NULL ? uri : self->path, &self->db,
                        flags | SQLITE_OPEN_FULLMUTEX, NULL);

  if (rc != SQLITE_OK)
    {
      lk_store_set_error (self, error, rc, "Opening the study");
      return FALSE;
    }

  return TRUE;
}

/**
 * lk_store_open:
 * @path: a .likeness file
 * @flags: how to open it
 * @error: return location for a #GError
 *
 * Opens a study. A writable open takes the study's lock, upgrades an older file to
 * %LK_STORE_SCHEMA_VERSION (keeping every row) and records this process as the lock's owner.
 * A file from a newer version is refused with %LK_STORE_ERROR_TOO_NEW before anything is
 * written to it.
 *
 * Returns: (transfer full) (nullable): the study, or %NULL with @error set
 */
LkStore *
lk_store_open (const char        *path,
               LkStoreOpenFlags   flags,
               GError           **error)
{
  g_autoptr(LkStore) self = NULL;
  gint64 app_id = 0, version = 0, tables = 0;

  g_return_val_if_fail (path != NULL, NULL);

  self = store_new (path, (flags & LK_STORE_OPEN_READ_ONLY) != 0);

  if (!open_lock (self, FALSE, error) || !check_header (self, error) || !open_db (self, error))
    return NULL;

  sqlite3_extended_result_codes (self->db, 1);
  if (!pragma_int (self, "PRAGMA application_id", &app_id, error) ||
      !pragma_int (self, "PRAGMA user_version", &version, error) ||
      !pragma_int (self, "SELECT count(*) FROM sqlite_schema", &tables, error))
    return NULL;

  if (app_id != LK_STORE_APPLICATION_ID)
    {
      g_set_error (error, LK_STORE_ERROR, LK_STORE_ERROR_NOT_A_STUDY,
                   "Not a Likeness study (an SQLite file of another application) - %s",
                   self->path);
      return NULL;
    }
  if (version > LK_STORE_SCHEMA_VERSION)
    {
      g_set_error (error, LK_STORE_ERROR, LK_STORE_ERROR_TOO_NEW,
                   "The study was written by a newer version of Likeness (file version %"
                   G_GINT64_FORMAT "; this version reads up to %d); it was left untouched. Open "
                   "it with a newer Likeness - %s", version, LK_STORE_SCHEMA_VERSION, self->path);
      return NULL;
    }
  if (version < 1)
    {
      g_set_error (error, LK_STORE_ERROR, LK_STORE_ERROR_DAMAGED,
                   "The study file has no schema (was its creation interrupted?) - %s",
                   self->path);
      return NULL;
    }
  self->opened_version = version;

  if (self->read_only && version < LK_STORE_SCHEMA_VERSION)
    {
      g_set_error (error, LK_STORE_ERROR, LK_STORE_ERROR_READ_ONLY,
                   "The study has the older file version %" G_GINT64_FORMAT " and must be "
                   "upgraded to %d, which needs it open for writing once - %s",
                   version, LK_STORE_SCHEMA_VERSION, self->path);
      return NULL;
    }

  if (!configure (self, error))
    return NULL;

  if (version < LK_STORE_SCHEMA_VERSION &&
      !lk_store_schema_upgrade (self->db, version, LK_STORE_SCHEMA_VERSION, error))
    return NULL;

  if (!load_study (self, error))
    return NULL;

  if (!self->read_only && !write_lock_owner (self, error))
    return NULL;

  return g_steal_pointer (&self);
}

/* Writes the study row and its parameters in the transaction already begun. */
static gboolean
insert_study (LkStore             *self,
              const LkParams      *params,
              const LkMethodType  *method,
              GError             **error)
{
  g_autofree char *uuid = g_uuid_string_random ();
  g_autofree char *created = now_iso8601 ();
  sqlite3_stmt *stmt;
  int rc;

  stmt = lk_store_prepare (self,
                           "INSERT INTO study (id, uuid, created, method, app_version) "
                           "VALUES (1, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, uuid, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, created, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, method->name, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, PACKAGE_VERSION, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      lk_store_set_error (self, error, rc, "Writing the study record");
      return FALSE;
    }

  return lk_store_params_write (self, params, error);
}

/**
 * lk_store_create:
 * @path: where to create the .likeness file; must not exist
 * @params: the method's parameters, stored with the study
 * @method: the embedding method
 * @error: return location for a #GError
 *
 * Creates a new, empty study and opens it for writing. Nothing is left behind on failure.
 *
 * Returns: (transfer full) (nullable): the study, or %NULL with @error set
 */
LkStore *
lk_store_create (const char          *path,
                 const LkParams      *params,
                 const LkMethodType  *method,
                 GError             **error)
{
  g_autoptr(LkStore) self = NULL;
  gboolean ok;

  g_return_val_if_fail (path != NULL && params != NULL && method != NULL, NULL);

  self = store_new (path, FALSE);
  if (!open_lock (self, TRUE, error))
    {
      /* The file was never ours unless it was created by this call. */
      if (!g_error_matches (*error, LK_STORE_ERROR, LK_STORE_ERROR_EXISTS) && self->lock_fd >= 0)
        g_unlink (self->path);
      return NULL;
    }

  ok = open_db (self, error) &&
       configure (self, error) &&
       lk_store_schema_upgrade (self->db, 0, LK_STORE_SCHEMA_VERSION, error) &&
       lk_store_write_begin (self, error);
  if (ok)
    {
      ok = insert_study (self, params, method, error) &&
           lk_store_write_commit (self, "Creating the study", error);
      if (!ok)
        lk_store_write_rollback (self);
    }
  ok = ok && load_study (self, error) && write_lock_owner (self, error);
  self->opened_version = LK_STORE_SCHEMA_VERSION;

  if (!ok)
    {
      g_autofree char *wal = g_strconcat (self->path, "-wal", NULL);
      g_autofree char *shm = g_strconcat (self->path, "-shm", NULL);

      g_clear_pointer (&self->statements, g_hash_table_unref);
      g_clear_pointer (&self->db, sqlite3_close_v2);
      g_unlink (self->path);
      g_unlink (wal);
      g_unlink (shm);
      return NULL;
    }

  return g_steal_pointer (&self);
}

/**
 * lk_store_close:
 * @self: (transfer full) (nullable): a study
 *
 * Closes the study, checkpointing the WAL into the file and releasing the lock. Every write
 * was committed when it returned, so closing loses nothing.
 */
void
lk_store_close (LkStore *self)
{
  if (self == NULL)
    return;

  if (self->db != NULL && !self->read_only && self->lock_fd >= 0)
    {
      g_autoptr(GError) ignored = NULL;

      /* Best effort: a stale row is harmless, the flock is what counts. */
      if (lk_store_write_begin (self, &ignored))
        {
          if (lk_store_exec (self, "DELETE FROM lock_owner;", &ignored))
            lk_store_write_commit (self, "Releasing the lock", &ignored);
          else
            lk_store_write_rollback (self);
        }
    }

  store_free (self);
}

const char *
lk_store_get_path (const LkStore *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->path;
}

gboolean
lk_store_is_read_only (const LkStore *self)
{
  g_return_val_if_fail (self != NULL, TRUE);

  return self->read_only;
}

/**
 * lk_store_get_opened_version:
 * @self: a study
 *
 * Returns: the schema version the file had when it was opened (before any upgrade)
 */
guint
lk_store_get_opened_version (const LkStore *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->opened_version;
}

const LkParams *
lk_store_get_params (const LkStore *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return &self->params;
}

const LkMethodType *
lk_store_get_method (const LkStore *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->method;
}

char *
lk_store_get_uuid (LkStore *self)
{
  sqlite3_stmt *stmt;
  char *uuid = NULL;

  g_return_val_if_fail (self != NULL, NULL);

  stmt = lk_store_prepare (self, "SELECT uuid FROM study WHERE id = 1", NULL);
  if (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW)
    uuid = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  if (stmt != NULL)
    sqlite3_reset (stmt);

  return uuid;
}

/**
 * lk_store_query_int:
 * @self: a study
 * @sql: a query whose first row's first column is an integer
 * @arg: bound to the query's parameter, if it has one
 * @value: (out): the integer
 * @error: return location for a #GError
 *
 * The value comes back through @value so that every integer, -1 included, can be a result.
 *
 * Returns: %TRUE on success; %FALSE with @error set if the query failed or returned no row
 */
gboolean
lk_store_query_int (LkStore     *self,
                    const char  *sql,
                    gint64       arg,
                    gint64      *value,
                    GError     **error)
{
  sqlite3_stmt *stmt = lk_store_prepare (self, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  if (sqlite3_bind_parameter_count (stmt) > 0)
    sqlite3_bind_int64 (stmt, 1, arg);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    *value = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW)
    {
      if (rc == SQLITE_DONE)
        g_set_error (error, LK_STORE_ERROR, LK_STORE_ERROR_DAMAGED,
                     "Reading the study found no row - %s", self->path);
      else
        lk_store_set_error (self, error, rc, "Reading the study");
      return FALSE;
    }

  return TRUE;
}

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
    "SELECT count(*) FROM query",
    "SELECT count(*) FROM query WHERE state IN ('pending', 'served')",
    "SELECT count(*) FROM answer",
    "SELECT count(*) FROM participant",
    "SELECT count(*) FROM session",
    "SELECT count(*) FROM phase",
    "SELECT count(*) FROM query WHERE state = 'served'",
    "SELECT count(*) FROM query WHERE state = 'answered'",
    "SELECT count(*) FROM query WHERE state = 'abandoned'",
  };
  guint *fields[] = {
    &counts->images, &counts->missing_images, &counts->queries, &counts->pending,
    &counts->answers, &counts->participants, &counts->sessions, &counts->phases_done,
    &counts->served, &counts->answered, &counts->abandoned,
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
 * lk_store_check:
 * @self: a study
 * @report: (out) (optional) (transfer full): one line per problem found, or "ok"
 * @error: return location for a #GError
 *
 * Runs SQLite's integrity_check and foreign_key_check, then the study's own invariants: every
 * answer has one bin per grid position, and every answered query has its answer.
 *
 * Returns: %TRUE if the study is sound; otherwise %FALSE with %LK_STORE_ERROR_DAMAGED
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
    { "PRAGMA foreign_key_check", "foreign key violation in table" },
    { "SELECT a.id FROM answer a WHERE (SELECT count(*) FROM answer_bin b WHERE b.answer = a.id)"
      " != (SELECT count(*) FROM query_item q WHERE q.query = a.query)",
      "answer without one bin per grid position:" },
    { "SELECT q.id FROM query q WHERE q.state = 'answered' AND NOT EXISTS"
      " (SELECT 1 FROM answer a WHERE a.query = q.id)",
      "answered query without an answer:" },
  };
  g_autoptr(GString) problems = g_string_new (NULL);

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
 * lk_store_save_copy:
 * @self: a study
 * @path: where to write the copy; must not exist
 * @error: return location for a #GError
 *
 * Writes a consistent copy of the open study to @path with SQLite's backup API, reading
 * through this connection. A study whose file was deleted while open still lives in the
 * unlinked inode this connection holds, so this rescues it: save a copy, reopen it, and retry
 * the write that failed with %LK_STORE_ERROR_MOVED.
 *
 * Returns: %TRUE on success; on failure nothing is left at @path
 */
gboolean
lk_store_save_copy (LkStore     *self,
                    const char  *path,
                    GError     **error)
{
  sqlite3 *dest = NULL;
  sqlite3_backup *backup;
  int fd, rc;

  g_return_val_if_fail (self != NULL && path != NULL, FALSE);

  fd = g_open (path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
  if (fd < 0)
    {
      int saved = errno;

      g_set_error (error, LK_STORE_ERROR,
                   saved == EEXIST ? LK_STORE_ERROR_EXISTS : LK_STORE_ERROR_IO,
                   "Could not create the copy: %s - %s", g_strerror (saved), path);
      return FALSE;
    }

  rc = sqlite3_open_v2 (path, &dest, SQLITE_OPEN_READWRITE, NULL);
  if (rc == SQLITE_OK)
    {
      backup = sqlite3_backup_init (dest, "main", self->db, "main");
      if (backup != NULL)
        {
          sqlite3_backup_step (backup, -1);
          rc = sqlite3_backup_finish (backup);
        }
      else
        rc = sqlite3_errcode (dest);
    }
  if (rc == SQLITE_OK)
    rc = sqlite3_exec (dest, "PRAGMA journal_mode = WAL;", NULL, NULL, NULL);
  if (rc != SQLITE_OK)
    set_sqlite_error (dest, path, error, rc, "Copying the study");
  sqlite3_close_v2 (dest);
  if (rc == SQLITE_OK && fsync (fd) != 0)
    {
      int saved = errno;

      rc = SQLITE_IOERR;
      g_set_error (error, LK_STORE_ERROR, LK_STORE_ERROR_IO,
                   "Copying the study failed: %s - %s", g_strerror (saved), path);
    }
  close (fd);
  if (rc != SQLITE_OK)
    {
      g_unlink (path);
      return FALSE;
    }

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
  g_autofree char *created = now_iso8601 ();
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
  g_autofree char *started = now_iso8601 ();
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
  g_autofree char *ended = now_iso8601 ();
  g_autofree char *missing = g_strdup_printf ("No session %" G_GINT64_FORMAT, session);

  g_return_val_if_fail (self != NULL, FALSE);

  return lk_store_write_row (self, NULL, missing, "Ending the session", error,
                             "UPDATE session SET ended = ? WHERE id = ?", "sx", ended, session);
}
