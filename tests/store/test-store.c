/* test-store.c — opening and creating study files, and every way that can fail
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lk-answers.h"
#include "lk-error.h"
#include "lk-session-settings.h"
#include "lk-store.h"

#include "lk-store-test.h"

typedef struct {
  char *dir;
  char *path;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->dir = store_test_tmpdir ();
  f->path = g_build_filename (f->dir, "study.likeness", NULL);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  lk_test_rmdir (f->dir);
  g_free (f->path);
  g_free (f->dir);
}

/* Returns the SHA-256 of the file at @path. */
static char *
file_sha256 (const char *path)
{
  g_autofree char *contents = NULL;
  gsize length;

  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));

  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) contents, length);
}

static void
test_create_open (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *uuid = NULL, *uuid2 = NULL;
  LkParams params = store_test_params ();
  LkStoreCounts counts;
  LkStore *store;

  store = lk_store_create (f->path, &params, lk_method_triplet, &error);
  g_assert_no_error (error);
  uuid = lk_store_get_uuid (store);
  g_assert_cmpuint (strlen (uuid), ==, 36);
  g_assert_cmpuint (lk_store_get_opened_version (store), ==, LK_STORE_SCHEMA_VERSION);
  lk_store_close (store);

  store = lk_store_open (f->path, LK_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  g_assert_true (lk_store_get_method (store) == lk_method_triplet);
  uuid2 = lk_store_get_uuid (store);
  g_assert_cmpstr (uuid, ==, uuid2);
  g_assert_true (lk_store_get_counts (store, &counts, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (counts.images + counts.queries + counts.answers + counts.phases_done, ==, 0);
  g_assert_true (lk_store_check (store, NULL, &error));
  g_assert_no_error (error);
  lk_store_close (store);
}

/* Returns TRUE when SQLite's plan for @sql reads a table or index from end to end. */
static gboolean
plan_scans (LkStore    *store,
            const char *sql)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *explain = g_strconcat ("EXPLAIN QUERY PLAN ", sql, NULL);
  sqlite3_stmt *stmt = lk_store_prepare (store, explain, &error);
  gboolean scans = FALSE;

  g_assert_no_error (error);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *detail = (const char *) sqlite3_column_text (stmt, 3);

      g_test_message ("%s: %s", sql, detail);
      scans = scans || g_str_has_prefix (detail, "SCAN");
    }
  sqlite3_reset (stmt);

  return scans;
}

/* The number of images without a scan of the image table (opening Sort Grids asks for it on
 * the main thread), the same as lk_store_get_counts() gives, missing images included. */
static void
test_n_images (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  LkParams params = store_test_params ();
  LkStoreCounts counts;
  guint n = 99;
  LkStore *store;

  store = lk_store_create (f->path, &params, lk_method_lookup ("paper"), &error);
  g_assert_no_error (error);
  g_assert_true (lk_store_get_n_images (store, &n, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 0);
  store_test_add_images (store, 37);
  g_assert_true (lk_store_exec (store, "UPDATE image SET missing = 1 WHERE item IN (0, 36)",
                                &error));
  g_assert_true (lk_store_get_n_images (store, &n, &error));
  g_assert_true (lk_store_get_counts (store, &counts, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 37);
  g_assert_cmpuint (counts.images, ==, n);
  g_assert_false (plan_scans (store, LK_STORE_SQL_N_IMAGES));
  /* What the counts ask, which the plan check must catch. */
  g_assert_true (plan_scans (store, "SELECT count(*) FROM image"));
  lk_store_close (store);
}

static void
test_create_exists (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  LkParams params = store_test_params ();
  g_autofree char *before = NULL, *after = NULL;

  g_assert_true (g_file_set_contents (f->path, "precious", -1, NULL));
  before = file_sha256 (f->path);
  g_assert_null (lk_store_create (f->path, &params, lk_method_paper, &error));
  g_assert_error (error, LK_STORE_ERROR, LK_STORE_ERROR_EXISTS);
  after = file_sha256 (f->path);
  g_assert_cmpstr (before, ==, after);
}

static void
test_open_missing (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  g_assert_null (lk_store_open (f->path, LK_STORE_OPEN_DEFAULT, &error));
  g_assert_error (error, LK_STORE_ERROR, LK_STORE_ERROR_NOT_FOUND);
  g_assert_false (g_file_test (f->path, G_FILE_TEST_EXISTS));
}

static void
test_not_a_study (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  sqlite3 *db = NULL;

  /* Text, an empty file, and an SQLite file of another application. */
  g_assert_true (g_file_set_contents (f->path, "item,bin\n1,2\n", -1, NULL));
  g_assert_null (lk_store_open (f->path, LK_STORE_OPEN_DEFAULT, &error));
  g_assert_error (error, LK_STORE_ERROR, LK_STORE_ERROR_NOT_A_STUDY);
  g_clear_error (&error);

  g_assert_true (g_file_set_contents (f->path, "", 0, NULL));
  g_assert_null (lk_store_open (f->path, LK_STORE_OPEN_READ_ONLY, &error));
  g_assert_error (error, LK_STORE_ERROR, LK_STORE_ERROR_NOT_A_STUDY);
  g_clear_error (&error);

  g_unlink (f->path);
  g_assert_cmpint (sqlite3_open (f->path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "CREATE TABLE t (x); INSERT INTO t VALUES (1);", NULL, NULL,
                                 NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  g_assert_null (lk_store_open (f->path, LK_STORE_OPEN_DEFAULT, &error));
  g_assert_error (error, LK_STORE_ERROR, LK_STORE_ERROR_NOT_A_STUDY);
  g_assert_nonnull (strstr (error->message, "another application"));
}

static void
test_damaged (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  LkParams params = store_test_params ();
  LkStore *store;
  struct stat st;
  guint8 garbage[4096];
  int fd;

  store = lk_store_create (f->path, &params, lk_method_paper, &error);
  g_assert_no_error (error);
  store_test_add_images (store, 2000);
  lk_store_close (store);

  /* Overwrite the middle pages (b-tree pages of image) with a repeating pattern. */
  g_assert_cmpint (g_stat (f->path, &st), ==, 0);
  g_assert_cmpint (st.st_size, >, 16 * 4096);
  memset (garbage, 0x5a, sizeof garbage);
  fd = g_open (f->path, O_WRONLY, 0);
  g_assert_cmpint (fd, >=, 0);
  for (off_t off = 4 * 4096; off < st.st_size - 4096; off += 2 * 4096)
    g_assert_cmpint (pwrite (fd, garbage, sizeof garbage, off), ==, sizeof garbage);
  close (fd);

  store = lk_store_open (f->path, LK_STORE_OPEN_READ_ONLY, &error);
  if (store != NULL)
    {
      g_autofree char *report = NULL;

      g_assert_false (lk_store_check (store, &report, &error));
      g_assert_nonnull (report);
      g_test_message ("check report: %s", report);
      lk_store_close (store);
    }
  g_assert_error (error, LK_STORE_ERROR, LK_STORE_ERROR_DAMAGED);
  g_assert_nonnull (strstr (error->message, "damaged"));
}

static void
test_too_new (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL, *after = NULL;
  LkParams params = store_test_params ();
  LkStore *store;
  sqlite3 *db = NULL;
  g_autofree char *wal = g_strconcat (f->path, "-wal", NULL);

  store = lk_store_create (f->path, &params, lk_method_paper, &error);
  g_assert_no_error (error);
  lk_store_close (store);
  g_assert_cmpint (sqlite3_open (f->path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "PRAGMA user_version = 99;", NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_close (db), ==, SQLITE_OK);
  g_assert_false (g_file_test (wal, G_FILE_TEST_EXISTS));
  before = file_sha256 (f->path);

  for (guint ro = 0; ro < 2; ro++)
    {
      store = lk_store_open (f->path, ro ? LK_STORE_OPEN_READ_ONLY : LK_STORE_OPEN_DEFAULT, &error);
      g_assert_null (store);
      g_assert_error (error, LK_STORE_ERROR, LK_STORE_ERROR_TOO_NEW);
      g_assert_nonnull (strstr (error->message, "version 99"));
      {
        g_autofree char *up_to = g_strdup_printf ("up to %d", LK_STORE_SCHEMA_VERSION);

        g_assert_nonnull (strstr (error->message, up_to));
      }
      g_clear_error (&error);
    }

  after = file_sha256 (f->path);
  g_assert_cmpstr (before, ==, after);
}

static void
test_migrate (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LkQuery) q = NULL;
  g_autoptr(LkRefiner) refiner = NULL;
  LkStoreCounts counts;
  LkQueryState state;
  LkStore *store;
  sqlite3 *db = NULL;
  gint64 version = 0;
  sqlite3_stmt *stmt = NULL;

  /* A version-1 file as the first release wrote it: one answered query of 8 items. */
  g_assert_cmpint (sqlite3_open (f->path, &db), ==, SQLITE_OK);
  g_assert_true (lk_store_schema_upgrade (db, 0, 1, &error));
  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_exec (db,
    "INSERT INTO study VALUES (1, 'e0b0c4b2-0000-4000-8000-000000000001', '2020-01-01T00:00:00Z',"
    " 'paper', '0.0.1', NULL);"
    "INSERT INTO param VALUES ('nq', '8'), ('nc', '3'), ('knn_k', '10'), ('budget', '12'),"
    " ('phases', '3'), ('seed', '7');"
    "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 29)"
    " INSERT INTO image (item, path, sha256, bytes, mtime_us, width, height, format, imported)"
    " SELECT i, 'a/' || i || '.png', 'h' || i, 10, 0, 4, 4, 'png', '2020' FROM n;"
    "INSERT INTO query VALUES (1, 0, 'random', 0, 'answered', 0, '2020');"
    "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 7)"
    " INSERT INTO query_item SELECT 1, i, i * 3 FROM n;"
    "INSERT INTO answer VALUES (1, 1, NULL, NULL, 1000, 2000);"
    "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 7)"
    " INSERT INTO answer_bin SELECT 1, i, (i % 4) - 1 FROM n;"
    "INSERT INTO answer_move VALUES (1, 0, 3, -1, 0, 1234);",
    NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_close (db), ==, SQLITE_OK);

  store = lk_store_open (f->path, LK_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (lk_store_get_opened_version (store), ==, 1);
  g_assert_cmpuint (lk_store_get_params (store)->nq, ==, 8);
  g_assert_cmpuint (lk_store_get_params (store)->seed, ==, 7);
  g_assert_true (lk_store_get_counts (store, &counts, &error));
  g_assert_cmpuint (counts.answers, ==, 1);
  g_assert_cmpuint (counts.images, ==, 30);

  q = lk_answers_get_query (store, 1, &state, &error);
  g_assert_no_error (error);
  g_assert_cmpint (state, ==, LK_QUERY_ANSWERED);
  g_assert_cmpuint (lk_query_get_item (q, 5), ==, 15);
  g_assert_cmpint (lk_query_get_bin (q, 5), ==, 0);
  g_assert_cmpint (lk_query_get_bin (q, 4), ==, LK_BIN_LEFT_OUT);

  refiner = lk_answers_rebuild (store, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (lk_evidence_get_n_answers (lk_refiner_get_evidence (refiner)), ==, 1);

  stmt = lk_store_prepare (store, "SELECT source FROM answer WHERE id = 1", &error);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, "local");
  sqlite3_reset (stmt);
  g_assert_true (lk_store_check (store, NULL, &error));
  g_assert_no_error (error);
  lk_store_close (store);

  g_assert_cmpint (sqlite3_open (f->path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA user_version", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  version = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  g_assert_cmpint (version, ==, LK_STORE_SCHEMA_VERSION);
}

/* A version-3 file (the last without settings) migrates to the current schema, reads no
 * settings (the application's defaults apply), and settings written afterwards round-trip
 * through closing and reopening, including removal. */
static void
test_settings (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *absent = NULL, *value = NULL, *replaced = NULL, *removed = NULL;
  LkStore *store;
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (f->path, &db), ==, SQLITE_OK);
  g_assert_true (lk_store_schema_upgrade (db, 0, 3, &error));
  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_exec (db,
    "INSERT INTO study VALUES (1, 'e0b0c4b2-0000-4000-8000-000000000003', '2024-01-01T00:00:00Z',"
    " 'paper', '0.0.3', NULL);"
    "INSERT INTO param VALUES ('nq', '8'), ('nc', '3'), ('knn_k', '10'), ('budget', '12'),"
    " ('phases', '3'), ('seed', '7');",
    NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "SELECT * FROM setting", NULL, NULL, NULL), !=, SQLITE_OK);
  g_assert_cmpint (sqlite3_close (db), ==, SQLITE_OK);

  /* A read-only open of the older file is refused rather than read with the wrong schema. */
  store = lk_store_open (f->path, LK_STORE_OPEN_READ_ONLY, &error);
  g_assert_null (store);
  g_clear_error (&error);

  store = lk_store_open (f->path, LK_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (lk_store_get_opened_version (store), ==, 3);
  absent = lk_store_get_setting (store, "consent", &error);
  g_assert_no_error (error);
  g_assert_null (absent);

  g_assert_true (lk_store_set_setting (store, "consent", "Agree? \u00e9 'quoted'", &error));
  g_assert_no_error (error);
  g_assert_true (lk_store_set_setting (store, "break-every", "5", &error));
  g_assert_true (lk_store_set_setting (store, "break-every", "7", &error));
  g_assert_true (lk_store_set_setting (store, "passphrase", "secret", &error));
  g_assert_true (lk_store_set_setting (store, "passphrase", NULL, &error));
  g_assert_no_error (error);
  lk_store_close (store);

  store = lk_store_open (f->path, LK_STORE_OPEN_READ_ONLY, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (lk_store_get_opened_version (store), ==, LK_STORE_SCHEMA_VERSION);
  value = lk_store_get_setting (store, "consent", &error);
  g_assert_cmpstr (value, ==, "Agree? \u00e9 'quoted'");
  replaced = lk_store_get_setting (store, "break-every", &error);
  g_assert_cmpstr (replaced, ==, "7");
  removed = lk_store_get_setting (store, "passphrase", &error);
  g_assert_no_error (error);
  g_assert_null (removed);

  /* Writes need a writable handle. */
  g_assert_false (lk_store_set_setting (store, "consent", "x", &error));
  g_assert_error (error, LK_STORE_ERROR, LK_STORE_ERROR_READ_ONLY);
  g_clear_error (&error);
  g_assert_true (lk_store_check (store, NULL, &error));
  g_assert_no_error (error);
  lk_store_close (store);
}

static void
test_locked (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  LkParams params = store_test_params ();
  LkStore *store, *second, *reader;

  store = lk_store_create (f->path, &params, lk_method_paper, &error);
  g_assert_no_error (error);

  second = lk_store_open (f->path, LK_STORE_OPEN_DEFAULT, &error);
  g_assert_null (second);
  g_assert_error (error, LK_STORE_ERROR, LK_STORE_ERROR_LOCKED);
  g_assert_nonnull (strstr (error->message, "already open by"));
  g_assert_nonnull (strstr (error->message, g_get_host_name ()));
  g_clear_error (&error);

  /* Readers need no lock and see what the writer committed. */
  store_test_add_images (store, 3);
  reader = lk_store_open (f->path, LK_STORE_OPEN_READ_ONLY, &error);
  g_assert_no_error (error);
  {
    LkStoreCounts counts;

    g_assert_true (lk_store_get_counts (reader, &counts, &error));
    g_assert_cmpuint (counts.images, ==, 3);
  }
  g_assert_cmpint (lk_store_add_participant (reader, "P1", TRUE, FALSE, NULL, &error), ==, 0);
  g_assert_error (error, LK_STORE_ERROR, LK_STORE_ERROR_READ_ONLY);
  g_clear_error (&error);
  lk_store_close (reader);

  lk_store_close (store);
  second = lk_store_open (f->path, LK_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  lk_store_close (second);
}

/* In a subprocess: as an unprivileged user (root reads and writes anything), a read-only study
 * in a read-only folder refuses a writable open, opens read-only, and refuses writes. */
static void
test_read_only (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  LkParams params = store_test_params ();
  LkStore *store;

  if (g_test_subprocess ())
    {
      LkStoreCounts counts;
      const char *path = g_getenv ("LK_TEST_STUDY");

      /* This process's fixture made a folder of its own, which it does not use; remove it
       * while still root, since nobody could not remove it in the teardown. */
      lk_test_rmdir (f->dir);
      if (geteuid () == 0)
        {
          g_assert_cmpint (setgid (65534), ==, 0);
          g_assert_cmpint (setuid (65534), ==, 0);
        }
      store = lk_store_open (path, LK_STORE_OPEN_DEFAULT, &error);
      g_assert_null (store);
      g_assert_error (error, LK_STORE_ERROR, LK_STORE_ERROR_READ_ONLY);
      g_assert_nonnull (strstr (error->message, path));
      g_clear_error (&error);

      store = lk_store_open (path, LK_STORE_OPEN_READ_ONLY, &error);
      g_assert_no_error (error);
      g_assert_true (lk_store_get_counts (store, &counts, &error));
      g_assert_cmpuint (counts.images, ==, 5);
      g_assert_cmpint (lk_store_add_participant (store, "P1", TRUE, FALSE, NULL, &error), ==, 0);
      g_assert_error (error, LK_STORE_ERROR, LK_STORE_ERROR_READ_ONLY);
      lk_store_close (store);
      return;
    }

  store = lk_store_create (f->path, &params, lk_method_paper, &error);
  g_assert_no_error (error);
  store_test_add_images (store, 5);
  lk_store_close (store);
  g_assert_cmpint (g_chmod (f->path, 0444), ==, 0);
  g_assert_cmpint (g_chmod (f->dir, 0555), ==, 0);

  g_setenv ("LK_TEST_STUDY", f->path, TRUE);
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_chmod (f->dir, 0700);
  g_test_trap_assert_passed ();
}

static void
test_participants (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  LkParams params = store_test_params ();
  sqlite3_stmt *stmt;
  LkStore *store;
  gint64 p, s;

  store = lk_store_create (f->path, &params, lk_method_paper, &error);
  g_assert_no_error (error);
  p = lk_store_add_participant (store, "P-017", TRUE, TRUE, "left-handed", &error);
  g_assert_no_error (error);
  g_assert_cmpint (p, >, 0);
  g_assert_cmpint (lk_store_find_participant (store, "P-017"), ==, p);
  g_assert_cmpint (lk_store_find_participant (store, "P-018"), ==, 0);
  g_assert_cmpint (lk_store_add_participant (store, "P-017", TRUE, FALSE, NULL, &error), ==, 0);
  g_assert_error (error, LK_STORE_ERROR, LK_STORE_ERROR_INVALID);
  g_clear_error (&error);

  s = lk_store_begin_session (store, p, "lab-2", &error);
  g_assert_no_error (error);
  g_assert_true (lk_store_end_session (store, s, &error));
  g_assert_no_error (error);
  g_assert_false (lk_store_end_session (store, s + 10, &error));
  g_assert_error (error, LK_STORE_ERROR, LK_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_cmpint (lk_store_begin_session (store, p + 10, "lab-2", &error), ==, 0);
  g_assert_error (error, LK_STORE_ERROR, LK_STORE_ERROR_INVALID);
  g_clear_error (&error);

  /* Every value landed in its column. */
  stmt = lk_store_prepare (store, "SELECT code, consent, pilot, notes, length (created) "
                           "FROM participant WHERE id = ?", &error);
  g_assert_no_error (error);
  sqlite3_bind_int64 (stmt, 1, p);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, "P-017");
  g_assert_cmpint (sqlite3_column_int (stmt, 1), ==, 1);
  g_assert_cmpint (sqlite3_column_int (stmt, 2), ==, 1);
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 3), ==, "left-handed");
  g_assert_cmpint (sqlite3_column_int (stmt, 4), >, 0);
  sqlite3_reset (stmt);
  stmt = lk_store_prepare (store, "SELECT participant, station, started < ended OR started = ended "
                           "FROM session WHERE id = ?", &error);
  g_assert_no_error (error);
  sqlite3_bind_int64 (stmt, 1, s);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_int64 (stmt, 0), ==, p);
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 1), ==, "lab-2");
  g_assert_cmpint (sqlite3_column_int (stmt, 2), ==, 1);
  sqlite3_reset (stmt);
  stmt = lk_store_prepare (store, "SELECT host, pid FROM lock_owner WHERE id = 1", &error);
  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, g_get_host_name ());
  g_assert_cmpint (sqlite3_column_int64 (stmt, 1), ==, getpid ());
  sqlite3_reset (stmt);
  lk_store_close (store);
}

/* Sets the field @f of @params to a value that depends on @i, is not its default, lies in the
 * field's bounds (a file with any other value is refused on open) and needs every digit to
 * survive a round trip: uints above any default, doubles that are not short decimals, and a
 * seed above 2^53 (which a detour through a double would round). */
static void
set_param (LkParams                *params,
           const LkStoreParamField *f,
           guint                    i)
{
  guint8 *field = (guint8 *) params + f->offset;

  switch (f->kind)
    {
    case LK_STORE_PARAM_UINT:
      *(guint *) field = (guint) (f->min + (f->max - f->min) / 2) + i;
      break;
    case LK_STORE_PARAM_UINT64:
      *(guint64 *) field = G_MAXUINT64 - 2 * i - 1;
      break;
    case LK_STORE_PARAM_DOUBLE:
      *(double *) field = f->min + (f->max - f->min) * (0.2385 + i / 97.0);
      break;
    default:
      g_assert_not_reached ();
    }
}

/* The session settings as one table: defaults without rows, a round trip through closing and
 * opening read-only, a row only for what differs from its default, the limit per participant
 * checked against the budget (the file unchanged), and text values as `settings` prints them. */
static void
test_session_settings (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_auto(LkSessionSettings) settings = { 0 };
  g_auto(LkSessionSettings) back = { 0 };
  g_autofree char *row = NULL, *text = NULL;
  LkParams params;
  LkStore *store;

  lk_params_init (&params);
  params.budget = 12;
  params.phases = 3;
  store = lk_store_create (f->path, &params, lk_method_paper, &error);
  g_assert_no_error (error);
  g_assert_true (lk_store_load_session_settings (store, &settings, &error));
  g_assert_no_error (error);
  g_assert_null (settings.consent);
  g_assert_cmpuint (settings.break_every, ==, 10);
  g_assert_cmpuint (settings.n_practice, ==, 1);
  g_assert_cmpuint (settings.grids_per_participant, ==, 0);

  g_assert_true (lk_session_settings_set (&settings, "grids-per-participant", "5", &error));
  g_assert_true (lk_session_settings_set (&settings, "instructions", "Sortez \u00e9.", &error));
  g_assert_true (lk_session_settings_set (&settings, "all-placed", "yes", &error));
  g_assert_true (lk_session_settings_set (&settings, "break-every", "10", &error));
  g_assert_false (settings.group_names);
  g_assert_false (settings.palette);
  g_assert_true (lk_session_settings_set (&settings, "group-names", "on", &error));
  g_assert_true (lk_session_settings_set (&settings, "palette", "1", &error));
  g_assert_no_error (error);
  g_assert_false (lk_session_settings_set (&settings, "practice-grids", "21", &error));
  g_assert_error (error, LK_STORE_ERROR, LK_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_true (lk_store_save_session_settings (store, &settings, &error));
  g_assert_no_error (error);
  row = lk_store_get_setting (store, "session.break-every", &error);
  g_assert_null (row);
  g_assert_cmpuint (lk_store_count_participant_answers (store, "P-NONE", &error), ==, 0);
  g_assert_no_error (error);

  g_assert_true (lk_session_settings_set (&settings, "grids-per-participant", "13", &error));
  g_assert_false (lk_store_save_session_settings (store, &settings, &error));
  g_assert_error (error, LK_STORE_ERROR, LK_STORE_ERROR_INVALID);
  g_clear_error (&error);
  lk_store_close (store);

  store = lk_store_open (f->path, LK_STORE_OPEN_READ_ONLY, &error);
  g_assert_no_error (error);
  g_assert_true (lk_store_load_session_settings (store, &back, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (back.grids_per_participant, ==, 5);
  g_assert_true (back.all_placed);
  g_assert_cmpstr (back.instructions, ==, "Sortez \u00e9.");
  text = lk_session_settings_dup (&back, "all-placed");
  g_assert_cmpstr (text, ==, "true");
  g_assert_true (back.group_names);
  g_assert_true (back.palette);
  lk_store_close (store);
}

/* Creating ends with the k chosen for the images and the study's rule; parameters are fixed
 * once a query is drawn. */
static void
test_fit_params (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LkStore) store = NULL;
  g_autoptr(GArray) drawn = NULL;
  g_autoptr(LkRefiner) refiner = NULL;
  LkParams params;

  lk_params_init (&params);
  params.nq = 8;
  params.budget = 12;
  params.phases = 3;
  store = lk_store_create (f->path, &params, lk_method_paper, &error);
  g_assert_no_error (error);

  /* No images: refused, saying so. */
  g_assert_false (lk_store_fit_params (store, TRUE, &error));
  g_assert_error (error, LK_CORE_ERROR, LK_CORE_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "no images"));
  g_clear_error (&error);

  params.knn_k = 9;
  g_assert_true (lk_store_set_params (store, &params, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (lk_store_get_params (store)->knn_k, ==, 9);

  store_test_add_images (store, 12);
  g_assert_true (lk_store_fit_params (store, TRUE, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (lk_store_get_params (store)->knn_k, ==, 11);

  refiner = lk_answers_rebuild (store, NULL, &error);
  g_assert_no_error (error);
  drawn = lk_answers_draw_queries (store, refiner, &error);
  g_assert_no_error (error);
  g_assert_false (lk_store_set_params (store, &params, &error));
  g_assert_error (error, LK_STORE_ERROR, LK_STORE_ERROR_INVALID);
}

/* Every stored study setting survives create, close and open: the method, and every LkParams
 * field, each set to a value other than its default. The values come from the store's own
 * table of fields, so a field added to the table is covered at once; the check below catches
 * a field added to LkParams but forgotten in the table. */
static void
test_params_round_trip (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  const LkStoreParamField *fields;
  LkParams params, defaults;
  const LkParams *back;
  LkStore *store;
  guint n_fields;

  fields = lk_store_param_fields (&n_fields);
  lk_params_init (&defaults);
  lk_params_init (&params);
  for (guint i = 0; i < n_fields; i++)
    {
      set_param (&params, &fields[i], i);
      g_assert_true (memcmp ((guint8 *) &params + fields[i].offset,
                             (guint8 *) &defaults + fields[i].offset,
                             lk_store_param_size (fields[i].kind)) != 0);
    }

  /* "random" is not the default method of any caller, so it must come from the file. */
  store = lk_store_create (f->path, &params, lk_method_random, &error);
  g_assert_no_error (error);
  lk_store_close (store);
  store = lk_store_open (f->path, LK_STORE_OPEN_READ_ONLY, &error);
  g_assert_no_error (error);
  g_assert_true (lk_store_get_method (store) == lk_method_random);
  back = lk_store_get_params (store);
  for (guint i = 0; i < n_fields; i++)
    {
      gsize offset = fields[i].offset;

      g_test_message ("field %s", fields[i].name);
      g_assert_cmpmem ((const guint8 *) back + offset, lk_store_param_size (fields[i].kind),
                       (const guint8 *) &params + offset, lk_store_param_size (fields[i].kind));
    }
  lk_store_close (store);
}

/* A field of LkParams missing from the store's table would not be saved. The bytes the table
 * covers must therefore be every byte of LkParams but alignment padding: the fields may not
 * overlap, and a gap may only be the few bytes before an 8-byte aligned field or at the end.
 * A gap could still hide a new 4-byte field in a hole of the current layout, so lk_params_init()
 * must also leave every uncovered byte as padding is left (untouched or zeroed): a forgotten
 * field whose default is not 0 writes something else there. */
static void
test_params_table_complete (void)
{
  const LkStoreParamField *fields;
  guint8 covered[sizeof (LkParams)] = { 0 };
  guint8 pattern[sizeof (LkParams)];
  gsize n_covered = 0, gap = 0;
  LkParams params;
  guint n_fields;

  fields = lk_store_param_fields (&n_fields);
  for (guint i = 0; i < n_fields; i++)
    {
      gsize size = lk_store_param_size (fields[i].kind);

      g_assert_cmpuint (fields[i].offset + size, <=, sizeof (LkParams));
      for (gsize b = fields[i].offset; b < fields[i].offset + size; b++)
        {
          g_assert_cmpuint (covered[b], ==, 0);
          covered[b] = 1;
          n_covered++;
        }
    }

  for (gsize b = 0; b <= sizeof (LkParams); b++)
    {
      if (b < sizeof (LkParams) && !covered[b])
        {
          gap++;
          continue;
        }
      if (gap > 0)
        {
          g_test_message ("%" G_GSIZE_FORMAT " uncovered bytes before byte %" G_GSIZE_FORMAT,
                          gap, b);
          g_assert_cmpuint (gap, <, 8);
          g_assert_cmpuint (b % 8, ==, 0);
        }
      gap = 0;
    }
  g_assert_cmpuint (n_covered, >, 0);

  memset (&params, 0x5a, sizeof params);
  lk_params_init (&params);
  memcpy (pattern, &params, sizeof params);
  for (gsize b = 0; b < sizeof (LkParams); b++)
    if (!covered[b] && pattern[b] != 0x5a && pattern[b] != 0)
      g_error ("byte %" G_GSIZE_FORMAT " of LkParams is set by lk_params_init() but is in no "
               "field of the store's param table", b);
}

/* In a folder nobody may write, a study whose -wal still holds writes (copied
 * while open, or left by a crash) cannot be read (SQLite needs to make its -shm beside it); the
 * message says so and what to do, rather than "unable to open database file". */
static void
test_read_only_wal (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  LkParams params = store_test_params ();
  g_autofree char *ro = g_build_filename (f->dir, "ro", NULL);
  g_autofree char *copy = g_build_filename (ro, "copied.likeness", NULL);
  g_autofree char *copy_wal = g_strconcat (copy, "-wal", NULL);
  g_autofree char *wal = g_strconcat (f->path, "-wal", NULL);
  g_autofree char *contents = NULL;
  LkStore *store;
  gsize len = 0;

  if (g_test_subprocess ())
    {
      const char *path = g_getenv ("LK_TEST_STUDY");

      lk_test_rmdir (f->dir);
      if (geteuid () == 0)
        {
          g_assert_cmpint (setgid (65534), ==, 0);
          g_assert_cmpint (setuid (65534), ==, 0);
        }
      store = lk_store_open (path, LK_STORE_OPEN_READ_ONLY, &error);
      g_assert_null (store);
      g_assert_error (error, LK_STORE_ERROR, LK_STORE_ERROR_READ_ONLY);
      if (strstr (error->message, "-wal") == NULL || strstr (error->message, path) == NULL)
        g_error ("%s", error->message);
      return;
    }

  g_assert_cmpint (g_mkdir (ro, 0700), ==, 0);
  store = lk_store_create (f->path, &params, lk_method_paper, &error);
  g_assert_no_error (error);
  store_test_add_images (store, 5);
  /* Copied while open: the -wal still holds the images. */
  g_assert_true (g_file_get_contents (f->path, &contents, &len, NULL));
  g_assert_true (g_file_set_contents (copy, contents, len, NULL));
  g_clear_pointer (&contents, g_free);
  g_assert_true (g_file_get_contents (wal, &contents, &len, NULL));
  g_assert_cmpuint (len, >, 0);
  g_assert_true (g_file_set_contents (copy_wal, contents, len, NULL));
  lk_store_close (store);
  g_assert_cmpint (g_chmod (copy, 0444), ==, 0);
  g_assert_cmpint (g_chmod (copy_wal, 0444), ==, 0);
  g_assert_cmpint (g_chmod (ro, 0555), ==, 0);
  g_assert_cmpint (g_chmod (f->dir, 0755), ==, 0);

  g_setenv ("LK_TEST_STUDY", copy, TRUE);
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_chmod (ro, 0700);
  g_chmod (f->dir, 0700);
  g_test_trap_assert_passed ();
}

/* A study made by lk_store_create_unfinished() is refused by every open (the app's included)
 * with LK_STORE_ERROR_UNFINISHED naming its folder and the import that finishes it, until
 * lk_store_fit_params() ends the creation; a failed fit leaves it unfinished. */
static void
test_unfinished (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *folder = g_build_filename (f->dir, "my images", NULL);
  LkParams params;
  LkStore *store;
  gboolean choose_k = FALSE;

  lk_params_init (&params);
  params.nq = 8;
  params.budget = 12;
  params.phases = 3;
  store = lk_store_create_unfinished (f->path, &params, lk_method_paper, folder, TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (lk_store_get_unfinished (store, &choose_k), ==, folder);
  g_assert_true (choose_k);
  lk_store_close (store);

  for (guint i = 0; i < 2; i++)
    {
      g_assert_null (lk_store_open (f->path, i == 0 ? LK_STORE_OPEN_DEFAULT
                                                    : LK_STORE_OPEN_READ_ONLY, &error));
      g_assert_error (error, LK_STORE_ERROR, LK_STORE_ERROR_UNFINISHED);
      g_assert_nonnull (strstr (error->message, "not finished being created"));
      g_assert_nonnull (strstr (error->message, "likeness-cli import"));
      g_assert_nonnull (strstr (error->message, "/my images'"));
      g_clear_error (&error);
    }

  store = lk_store_open (f->path, LK_STORE_OPEN_UNFINISHED, &error);
  g_assert_no_error (error);
  g_assert_false (lk_store_check (store, NULL, &error));
  g_assert_error (error, LK_STORE_ERROR, LK_STORE_ERROR_UNFINISHED);
  g_clear_error (&error);
  /* No images yet: the fit fails and the study stays unfinished. */
  g_assert_false (lk_store_fit_params (store, TRUE, &error));
  g_clear_error (&error);
  g_assert_nonnull (lk_store_get_unfinished (store, NULL));
  store_test_add_images (store, 12);
  g_assert_true (lk_store_fit_params (store, TRUE, &error));
  g_assert_no_error (error);
  g_assert_null (lk_store_get_unfinished (store, NULL));
  lk_store_close (store);

  store = lk_store_open (f->path, LK_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  g_assert_true (lk_store_check (store, NULL, &error));
  g_assert_cmpuint (lk_store_get_params (store)->knn_k, ==, 11);
  lk_store_close (store);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/lk/store/store/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("create-open", test_create_open);
  ADD ("create-exists", test_create_exists);
  ADD ("n-images", test_n_images);
  ADD ("open-missing", test_open_missing);
  ADD ("not-a-study", test_not_a_study);
  ADD ("damaged", test_damaged);
  ADD ("too-new", test_too_new);
  ADD ("migrate", test_migrate);
  ADD ("settings", test_settings);
  ADD ("session-settings", test_session_settings);
  ADD ("fit-params", test_fit_params);
  ADD ("unfinished", test_unfinished);
  ADD ("locked", test_locked);
  ADD ("read-only", test_read_only);
  ADD ("read-only-wal", test_read_only_wal);
  ADD ("participants", test_participants);
  ADD ("params-round-trip", test_params_round_trip);
#undef ADD
  g_test_add_func ("/lk/store/store/params-table-complete", test_params_table_complete);

  return g_test_run ();
}
