/* test-store.c — opening and creating study files, and every way that can fail
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lk-answers.h"
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
  store_test_rmdir (f->dir);
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

  params.beta = 2.385;
  params.epsilon = 1.0 / 3.0;
  params.seed = G_GUINT64_CONSTANT (4294967295);
  store = lk_store_create (f->path, &params, lk_method_triplet, &error);
  g_assert_no_error (error);
  uuid = lk_store_get_uuid (store);
  g_assert_cmpuint (strlen (uuid), ==, 36);
  g_assert_cmpuint (lk_store_get_opened_version (store), ==, LK_STORE_SCHEMA_VERSION);
  lk_store_close (store);

  store = lk_store_open (f->path, LK_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  g_assert_true (lk_store_get_method (store) == lk_method_triplet);
  {
    const LkParams *back = lk_store_get_params (store);

    /* Field by field: the struct has padding. */
    g_assert_cmpuint (back->nq, ==, params.nq);
    g_assert_cmpuint (back->nc, ==, params.nc);
    g_assert_cmpuint (back->budget, ==, params.budget);
    g_assert_cmpuint (back->phases, ==, params.phases);
    g_assert_cmpuint (back->knn_k, ==, params.knn_k);
    g_assert_cmpuint (back->dim, ==, params.dim);
    g_assert_true (back->beta == params.beta);
    g_assert_true (back->epsilon == params.epsilon);
    g_assert_cmpuint (back->iterations, ==, params.iterations);
    g_assert_true (back->magic == params.magic);
    g_assert_true (back->triplet_alpha == params.triplet_alpha);
    g_assert_cmpuint (back->triplet_answers, ==, params.triplet_answers);
    g_assert_cmpuint (back->triplet_iterations, ==, params.triplet_iterations);
    g_assert_true (back->triplet_rate == params.triplet_rate);
    g_assert_cmpuint (back->seed, ==, params.seed);
  }
  uuid2 = lk_store_get_uuid (store);
  g_assert_cmpstr (uuid, ==, uuid2);
  g_assert_true (lk_store_get_counts (store, &counts, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (counts.images + counts.queries + counts.answers + counts.phases_done, ==, 0);
  g_assert_true (lk_store_check (store, NULL, &error));
  g_assert_no_error (error);
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
  ADD ("open-missing", test_open_missing);
  ADD ("not-a-study", test_not_a_study);
  ADD ("damaged", test_damaged);
  ADD ("too-new", test_too_new);
  ADD ("migrate", test_migrate);
  ADD ("settings", test_settings);
  ADD ("locked", test_locked);
  ADD ("read-only", test_read_only);
  ADD ("participants", test_participants);
#undef ADD

  return g_test_run ();
}
