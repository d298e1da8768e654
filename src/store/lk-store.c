/* lk-store.c — opening, creating, closing and copying a study file
 *
 * One writer: a writable open takes flock(LOCK_EX | LOCK_NB) on the study file itself, through a
 * descriptor kept open until after SQLite has closed (closing it earlier would drop SQLite's
 * own POSIX locks on the same file). flock locks are released by the kernel when the process
 * dies, so a crash never leaves a stale lock; the lock_owner row only names the holder for the
 * "already open by" message. flock does not interact with SQLite's fcntl locks on Linux, and it
 * is not reliable on some network file systems: keep studies on a local disk. Read-only opens
 * take no lock and read a consistent snapshot through the WAL.
 *
 * The statements, errors and write transactions are in lk-store-sql.c, the study's own rows
 * (participants, sessions, settings, counts, the check) in lk-store-rows.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lk-store.h"

#include "lk-store-private.h"

G_DEFINE_QUARK (lk-store-error-quark, lk_store_error)

/* Frees @self; the lock descriptor is closed only after SQLite has let go of the file. */
static void
store_free (LkStore *self)
{
  g_clear_pointer (&self->statements, g_hash_table_unref);
  if (self->db != NULL)
    sqlite3_close_v2 (self->db);
  if (self->lock_fd >= 0)
    close (self->lock_fd);
  g_free (self->unfinished);
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
  /* O_NONBLOCK: opening a FIFO named like a study would otherwise wait for a writer forever;
   * it is refused below as not a regular file, and a regular file gets blocking I/O back. */
  self->lock_fd = g_open (self->path, flags | O_CLOEXEC | O_NONBLOCK, 0666);
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

  if (fstat (self->lock_fd, &st) != 0 || !S_ISREG (st.st_mode) ||
      fcntl (self->lock_fd, F_SETFL, fcntl (self->lock_fd, F_GETFL) & ~O_NONBLOCK) != 0)
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
  g_autofree char *since = lk_store_now_iso8601 ();

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

/* Replaces @error with the reason when a read-only open failed because the study's -wal holds
 * writes and its folder cannot be written: SQLite must make the -shm beside the study to read
 * the -wal, and says only "unable to open database file". */
static void
explain_unreadable_wal (LkStore  *self,
                        GError  **error)
{
  g_autofree char *dir = g_path_get_dirname (self->path);
  g_autofree char *wal = g_strconcat (self->path, "-wal", NULL);
  struct stat st;

  if (!self->read_only || access (dir, W_OK) == 0 || g_stat (wal, &st) != 0 || st.st_size == 0)
    return;
  g_clear_error (error);
  g_set_error (error, LK_STORE_ERROR, LK_STORE_ERROR_READ_ONLY,
               "The study's -wal file holds answers or changes not yet in the study file, and "
               "reading them needs the study's folder to be writable, which it is not (a "
               "read-only disk or folder). Copy the study with its -wal file to a folder you "
               "can write and open it there, or open it once where it was written - %s",
               self->path);
}

/* Refuses a study holding values the code cannot use (an unknown state, a negative id, a phase
 * beyond the study's, absurd parameters): read as they are, they would crash a command or make
 * a replay spin. The message names the rows, as `likeness-cli check` does. */
static gboolean
refuse_unusable (LkStore  *self,
                 GError  **error)
{
  g_autoptr(GString) problems = g_string_new (NULL);

  if (!lk_store_validate (self, problems, error))
    return FALSE;
  if (problems->len == 0)
    return TRUE;

  g_set_error (error, LK_STORE_ERROR, LK_STORE_ERROR_DAMAGED,
               "The study file holds values Likeness cannot use, written by something other "
               "than Likeness or damaged; restore a backup, or repair these rows (likeness-cli "
               "check lists them):\n%s- %s", problems->str, self->path);
  return FALSE;
}

/* Reads the rows that mark a creation not finished (lk_store_create_unfinished()). */
static gboolean
read_unfinished (LkStore  *self,
                 GError  **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *choose_k = NULL;

  g_clear_pointer (&self->unfinished, g_free);
  self->unfinished = lk_store_get_setting (self, LK_STORE_UNFINISHED_FOLDER, &local_error);
  if (local_error == NULL && self->unfinished != NULL)
    choose_k = lk_store_get_setting (self, LK_STORE_UNFINISHED_CHOOSE_K, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  self->unfinished_choose_k = g_strcmp0 (choose_k, "1") == 0;

  return TRUE;
}

/**
 * lk_store_unfinished_message:
 * @path: a study whose creation was not finished
 * @folder: the folder it was being created from
 *
 * Returns: (transfer full): what happened to the study at @path and the command that finishes
 *   it, for every place that meets such a study (opening it, info, check, create again)
 */
char *
lk_store_unfinished_message (const char *path,
                             const char *folder)
{
  g_autofree char *quoted_path = g_shell_quote (path);
  g_autofree char *quoted_folder = g_shell_quote (folder);

  return g_strdup_printf ("This study was not finished being created: it was stopped before "
                          "every image of %s was imported. Run `likeness-cli import %s %s` to "
                          "finish it (only what is missing is imported), or delete the file and "
                          "create the study again - %s", folder, quoted_path, quoted_folder, path);
}

/**
 * lk_store_get_unfinished:
 * @self: a study
 * @choose_k: (out) (optional): whether k is to be chosen for the images when it is finished
 *
 * Returns: (nullable): the folder of images a study whose creation was not finished was being
 *   created from (see lk_store_create_unfinished()), or %NULL for a finished study
 */
const char *
lk_store_get_unfinished (const LkStore *self,
                         gboolean      *choose_k)
{
  g_return_val_if_fail (self != NULL, NULL);

  if (choose_k != NULL)
    *choose_k = self->unfinished_choose_k;

  return self->unfinished;
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
 * written to it, and a file holding values the code cannot use with %LK_STORE_ERROR_DAMAGED
 * naming the rows (unless @flags has %LK_STORE_OPEN_UNCHECKED).
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
    {
      explain_unreadable_wal (self, error);
      return NULL;
    }

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

  if ((flags & LK_STORE_OPEN_UNCHECKED) == 0 && !refuse_unusable (self, error))
    return NULL;

  if (!read_unfinished (self, error))
    return NULL;
  if (self->unfinished != NULL && (flags & LK_STORE_OPEN_UNFINISHED) == 0)
    {
      g_autofree char *message = lk_store_unfinished_message (self->path, self->unfinished);

      g_set_error_literal (error, LK_STORE_ERROR, LK_STORE_ERROR_UNFINISHED, message);
      return NULL;
    }

  if (!self->read_only && !write_lock_owner (self, error))
    return NULL;

  return g_steal_pointer (&self);
}

/* Writes the study row and its parameters in the transaction already begun. */
static gboolean
insert_study (LkStore             *self,
              const LkParams      *params,
              const LkMethodType  *method,
              const char          *folder,
              gboolean             choose_k,
              GError             **error)
{
  g_autofree char *uuid = g_uuid_string_random ();
  g_autofree char *created = lk_store_now_iso8601 ();
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
  if (folder != NULL)
    {
      /* Absolute, so that the command the message gives works from any folder. */
      g_autofree char *absolute = g_canonicalize_filename (folder, NULL);

      stmt = lk_store_prepare (self, "INSERT INTO setting (key, value) VALUES (?, ?), (?, ?)",
                               error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, LK_STORE_UNFINISHED_FOLDER, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, absolute, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 3, LK_STORE_UNFINISHED_CHOOSE_K, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 4, choose_k ? "1" : "0", -1, SQLITE_STATIC);
      rc = sqlite3_step (stmt);
      sqlite3_reset (stmt);
      if (rc != SQLITE_DONE)
        {
          lk_store_set_error (self, error, rc, "Marking the study as being created");
          return FALSE;
        }
      self->unfinished = g_steal_pointer (&absolute);
      self->unfinished_choose_k = choose_k;
    }

  return lk_store_params_write (self, params, error);
}

static LkStore *
create_study (const char          *path,
              const LkParams      *params,
              const LkMethodType  *method,
              const char          *folder,
              gboolean             choose_k,
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
      ok = insert_study (self, params, method, folder, choose_k, error) &&
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
  return create_study (path, params, method, NULL, FALSE, error);
}

/**
 * lk_store_create_unfinished:
 * @path: where to create the .likeness file; must not exist
 * @params: the method's parameters, stored with the study
 * @method: the embedding method
 * @folder: the folder of images the study is made from
 * @choose_k: whether k is to be chosen for the images imported (lk_store_fit_params())
 * @error: return location for a #GError
 *
 * Creates a study as lk_store_create() does, marked as not finished in the same transaction
 * that makes it: until lk_store_fit_params() ends the creation, every open but one with
 * %LK_STORE_OPEN_UNFINISHED refuses it with %LK_STORE_ERROR_UNFINISHED, whose message names
 * @folder and the import that finishes it. So a creation killed or failed part-way through the
 * import is never taken for a study with all its images.
 *
 * Returns: (transfer full) (nullable): the study, or %NULL with @error set
 */
LkStore *
lk_store_create_unfinished (const char          *path,
                            const LkParams      *params,
                            const LkMethodType  *method,
                            const char          *folder,
                            gboolean             choose_k,
                            GError             **error)
{
  g_return_val_if_fail (folder != NULL, NULL);

  return create_study (path, params, method, folder, choose_k, error);
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
 * lk_store_save_copy:
 * @self: a study
 * @path: where to write the copy; must not exist
 * @error: return location for a #GError
 *
 * Writes a complete, consistent copy of the open study to @path as one file (no -wal beside
 * it), with SQLite's backup API reading through this connection: every answer committed before
 * the call is in it, whatever other readers hold and whatever the -wal of the study holds. The
 * copy is written under a temporary name beside @path, synced, and only then linked to @path,
 * so a copy killed half-way never leaves a partial study at @path. The copy is readable by its
 * owner only (0600): it holds every participant's answers.
 *
 * A study whose file was deleted while open still lives in the unlinked inode this connection
 * holds, so this also rescues it (lk_store_rescue()).
 *
 * Returns: %TRUE on success; on failure nothing is left at @path
 */
gboolean
lk_store_save_copy (LkStore     *self,
                    const char  *path,
                    GError     **error)
{
  g_autofree char *tmp = NULL;
  g_autofree char *dir = NULL;
  sqlite3 *dest = NULL;
  sqlite3_backup *backup;
  int fd, rc, saved = 0;

  g_return_val_if_fail (self != NULL && path != NULL, FALSE);

  if (g_file_test (path, G_FILE_TEST_EXISTS) || g_file_test (path, G_FILE_TEST_IS_SYMLINK))
    {
      g_set_error (error, LK_STORE_ERROR, LK_STORE_ERROR_EXISTS,
                   "A file already exists at %s; choose another name for the copy", path);
      return FALSE;
    }
  tmp = g_strconcat (path, ".partial-XXXXXX", NULL);
  fd = g_mkstemp_full (tmp, O_RDWR | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      saved = errno;
      g_set_error (error, LK_STORE_ERROR, LK_STORE_ERROR_IO,
                   "Could not create the copy: %s - %s", g_strerror (saved), path);
      return FALSE;
    }

  rc = sqlite3_open_v2 (tmp, &dest, SQLITE_OPEN_READWRITE, NULL);
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
  /* The copy is a study like any other (WAL); closing its only connection folds the WAL in
   * and removes it, so what is linked below is one complete file. */
  if (rc == SQLITE_OK)
    rc = sqlite3_exec (dest, "PRAGMA journal_mode = WAL;", NULL, NULL, NULL);
  if (rc != SQLITE_OK)
    lk_store_set_sqlite_error (dest, path, error, rc, "Copying the study");
  if (sqlite3_close (dest) != SQLITE_OK && rc == SQLITE_OK)
    {
      rc = SQLITE_IOERR;
      g_set_error (error, LK_STORE_ERROR, LK_STORE_ERROR_IO,
                   "Copying the study failed: it could not be closed - %s", path);
    }
  if (rc == SQLITE_OK && fsync (fd) != 0)
    {
      saved = errno;
      rc = SQLITE_IOERR;
      g_set_error (error, LK_STORE_ERROR, LK_STORE_ERROR_IO,
                   "Copying the study failed: %s - %s", g_strerror (saved), path);
    }
  close (fd);
  /* link() never replaces: a file that appeared at @path meanwhile is kept. */
  if (rc == SQLITE_OK && link (tmp, path) != 0)
    {
      saved = errno;
      rc = SQLITE_IOERR;
      g_set_error (error, LK_STORE_ERROR,
                   saved == EEXIST ? LK_STORE_ERROR_EXISTS : LK_STORE_ERROR_IO,
                   "Could not create the copy: %s - %s", g_strerror (saved), path);
    }
  g_unlink (tmp);
  if (rc != SQLITE_OK)
    return FALSE;

  /* The new name itself on disk too. */
  dir = g_path_get_dirname (path);
  fd = g_open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);
  if (fd >= 0)
    {
      fsync (fd);
      close (fd);
    }

  return TRUE;
}

/**
 * lk_store_rescue:
 * @self: a study whose file was deleted, moved or replaced while open (a write failed with
 *   %LK_STORE_ERROR_MOVED)
 * @error: return location for a #GError
 *
 * Writes the open study out again beside the path it was opened from, as NAME-recovered.likeness
 * (NAME-recovered-2.likeness and so on when taken), with lk_store_save_copy(): every committed
 * answer is in the copy. Never at the old path itself, where a -wal left from the old file
 * could be taken for the copy's.
 *
 * Returns: (transfer full) (nullable): the copy's path, or %NULL with @error set
 */
char *
lk_store_rescue (LkStore  *self,
                 GError  **error)
{
  g_autofree char *stem = NULL;

  g_return_val_if_fail (self != NULL, NULL);

  stem = g_str_has_suffix (self->path, ".likeness")
         ? g_strndup (self->path, strlen (self->path) - strlen (".likeness"))
         : g_strdup (self->path);
  /* A copy rescued again is numbered beside the first: x-recovered-2, not x-recovered-recovered. */
  {
    char *mark = g_strrstr (stem, "-recovered");

    if (mark != NULL && (mark[10] == '\0' || (mark[10] == '-' && mark[11] != '\0' &&
                                               strspn (mark + 11, "0123456789") ==
                                               strlen (mark + 11))))
      *mark = '\0';
  }
  for (guint n = 1; n <= 100; n++)
    {
      g_autofree char *copy = n == 1 ? g_strconcat (stem, "-recovered.likeness", NULL)
                                     : g_strdup_printf ("%s-recovered-%u.likeness", stem, n);
      g_autofree char *wal = g_strconcat (copy, "-wal", NULL);
      GError *local_error = NULL;

      /* Not the path this study was opened from, nor one with a journal left beside it. */
      if (g_strcmp0 (copy, self->path) == 0 || g_file_test (wal, G_FILE_TEST_EXISTS))
        continue;
      if (lk_store_save_copy (self, copy, &local_error))
        return g_steal_pointer (&copy);
      if (!g_error_matches (local_error, LK_STORE_ERROR, LK_STORE_ERROR_EXISTS))
        {
          g_propagate_error (error, local_error);
          return NULL;
        }
      g_error_free (local_error);
    }

  g_set_error (error, LK_STORE_ERROR, LK_STORE_ERROR_EXISTS,
               "Could not write the study out again: %s-recovered.likeness to "
               "%s-recovered-100.likeness all exist", stem, stem);
  return NULL;
}
