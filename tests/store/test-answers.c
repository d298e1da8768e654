/* test-answers.c — answers survive round trips, failed writes, deletion and SIGKILL
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lk-answers.h"
#include "lk-store.h"

#include "lk-store-test.h"

typedef struct {
  char    *dir;
  char    *path;
  LkStore *store;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  LkParams params = store_test_params ();

  f->dir = store_test_tmpdir ();
  f->path = g_build_filename (f->dir, "study.likeness", NULL);
  f->store = lk_store_create (f->path, &params, lk_method_paper, &error);
  g_assert_no_error (error);
  store_test_add_images (f->store, 30);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  lk_store_close (f->store);
  lk_test_rmdir (f->dir);
  g_free (f->path);
  g_free (f->dir);
}

/* Answers and saves every open query of @store, feeding @refiner; returns the answer ids. */
static GArray *
answer_open_queries (LkStore   *store,
                     LkRefiner *refiner,
                     gint64     session,
                     guint      salt)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) open = lk_answers_list_open (store, &error);
  GArray *answers = g_array_new (FALSE, FALSE, sizeof (gint64));

  g_assert_no_error (error);
  for (guint i = 0; i < open->len; i++)
    {
      gint64 qid = g_array_index (open, gint64, i);
      g_autoptr(LkQuery) q = lk_answers_get_query (store, qid, NULL, &error);
      LkMove moves[2] = {
        { lk_query_get_item (q, 0), LK_BIN_LEFT_OUT, 1, 1500 + i },
        { lk_query_get_item (q, 0), 1, 0, 2750 + i },
      };
      gint64 id;

      store_test_answer (q, lk_store_get_params (store)->nc, salt + i);
      id = lk_answers_save (store, qid, q, session, 1000 * i, 1000 * i + 999, moves, 2, &error);
      g_assert_no_error (error);
      g_assert_cmpint (id, >, 0);
      g_array_append_val (answers, id);
      if (refiner != NULL)
        lk_refiner_add_answer (refiner, q);
    }

  return answers;
}

static void
test_round_trip (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LkRefiner) refiner = NULL;
  g_autoptr(GArray) ids = NULL;
  g_autoptr(GArray) answers = NULL;
  g_autoptr(GArray) moves = NULL;
  g_autoptr(LkQuery) q = NULL;
  LkQueryState state;
  LkMove log[3] = { { 4, -1, 2, 812 }, { 4, 2, 0, 1930 }, { 9, -1, -1, 2385 } };
  gint64 p, s, id;
  sqlite3_stmt *stmt;

  refiner = lk_answers_rebuild (f->store, NULL, &error);
  g_assert_no_error (error);
  ids = lk_answers_draw_queries (f->store, refiner, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ids->len, ==, 4);

  /* A second draw in the same phase would break the replay. */
  g_assert_null (lk_answers_draw_queries (f->store, refiner, &error));
  g_assert_error (error, LK_STORE_ERROR, LK_STORE_ERROR_INVALID);
  g_clear_error (&error);

  p = lk_store_add_participant (f->store, "P1", TRUE, FALSE, NULL, &error);
  s = lk_store_begin_session (f->store, p, "station-a", &error);
  g_assert_true (lk_answers_set_state (f->store, g_array_index (ids, gint64, 0), LK_QUERY_SERVED,
                                       &error));
  q = lk_answers_get_query (f->store, g_array_index (ids, gint64, 0), &state, &error);
  g_assert_no_error (error);
  g_assert_cmpint (state, ==, LK_QUERY_SERVED);
  g_assert_cmpuint (lk_query_get_n_items (q), ==, 8);

  /* An incomplete answer, or one with a bin the study does not have, is refused. */
  g_assert_cmpint (lk_answers_save (f->store, g_array_index (ids, gint64, 0), q, s, 0, 1,
                                    NULL, 0, &error), ==, 0);
  g_assert_error (error, LK_STORE_ERROR, LK_STORE_ERROR_INVALID);
  g_clear_error (&error);

  store_test_answer (q, 3, 5);
  id = lk_answers_save (f->store, g_array_index (ids, gint64, 0), q, s,
                        G_GINT64_CONSTANT (1700000000000000), G_GINT64_CONSTANT (1700000012345678),
                        log, G_N_ELEMENTS (log), &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);

  /* Saving twice is refused, and the first answer is kept. */
  g_assert_cmpint (lk_answers_save (f->store, g_array_index (ids, gint64, 0), q, s, 0, 1,
                                    NULL, 0, &error), ==, 0);
  g_assert_error (error, LK_STORE_ERROR, LK_STORE_ERROR_INVALID);
  g_clear_error (&error);

  lk_store_close (f->store);
  f->store = lk_store_open (f->path, LK_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);

  {
    g_autoptr(LkQuery) back = lk_answers_get_query (f->store, g_array_index (ids, gint64, 0),
                                                    &state, &error);

    g_assert_no_error (error);
    g_assert_cmpint (state, ==, LK_QUERY_ANSWERED);
    for (guint i = 0; i < 8; i++)
      {
        g_assert_cmpuint (lk_query_get_item (back, i), ==, lk_query_get_item (q, i));
        g_assert_cmpint (lk_query_get_bin (back, i), ==, lk_query_get_bin (q, i));
      }
  }
  moves = lk_answers_get_moves (f->store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (moves->len, ==, 3);
  g_assert_true (memcmp (moves->data, log, sizeof log) == 0);

  stmt = lk_store_prepare (f->store, "SELECT participant, session, shown_us, submitted_us "
                           "FROM answer WHERE id = ?", &error);
  sqlite3_bind_int64 (stmt, 1, id);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_int64 (stmt, 0), ==, p);
  g_assert_cmpint (sqlite3_column_int64 (stmt, 1), ==, s);
  g_assert_cmpint (sqlite3_column_int64 (stmt, 2), ==, G_GINT64_CONSTANT (1700000000000000));
  g_assert_cmpint (sqlite3_column_int64 (stmt, 3), ==, G_GINT64_CONSTANT (1700000012345678));
  sqlite3_reset (stmt);

  answers = lk_answers_list_open (f->store, &error);
  g_assert_cmpuint (answers->len, ==, 3);
  g_assert_true (lk_answers_set_state (f->store, g_array_index (answers, gint64, 2),
                                       LK_QUERY_ABANDONED, &error));
  g_array_unref (answers);
  answers = lk_answers_list_open (f->store, &error);
  g_assert_cmpuint (answers->len, ==, 2);
  g_assert_true (lk_store_check (f->store, NULL, &error));
  g_assert_no_error (error);
}

/* A live run through every phase, then a rebuild from the file, must agree exactly. */
static void
test_rebuild (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LkRefiner) live = NULL;
  g_autoptr(LkRefiner) rebuilt = NULL;
  gboolean reproduced = FALSE;
  guint n_answers = 0;

  live = lk_answers_rebuild (f->store, NULL, &error);
  g_assert_no_error (error);
  while (!lk_refiner_is_done (live))
    {
      g_autoptr(GArray) ids = lk_answers_draw_queries (f->store, live, &error);
      g_autoptr(GArray) answers = NULL;

      g_assert_no_error (error);
      answers = answer_open_queries (f->store, live, 0, lk_refiner_get_phase (live));
      n_answers += answers->len;

      /* Half-way through the last phase, stop: the rebuild must pick up mid-phase too. */
      if (lk_refiner_get_phase (live) == 2)
        break;
      g_assert_true (lk_answers_end_phase (f->store, live, NULL, &error));
      g_assert_no_error (error);
    }
  g_assert_cmpuint (n_answers, ==, 12);

  lk_store_close (f->store);
  f->store = lk_store_open (f->path, LK_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  rebuilt = lk_answers_rebuild (f->store, &reproduced, &error);
  g_assert_no_error (error);
  g_assert_true (reproduced);
  g_assert_cmpuint (lk_refiner_get_phase (rebuilt), ==, 2);
  g_assert_cmpuint (lk_refiner_get_answers (rebuilt)->len, ==, 12);
  g_assert_cmpuint (lk_refiner_get_n_batch_answers (rebuilt), ==,
                    lk_refiner_get_n_batch_answers (live));
  g_assert_cmpuint (lk_evidence_get_n_pairs (lk_refiner_get_evidence (rebuilt)), ==,
                    lk_evidence_get_n_pairs (lk_refiner_get_evidence (live)));
  g_assert_true (memcmp (lk_embedding_get_data (lk_refiner_get_embedding (rebuilt)),
                         lk_embedding_get_data (lk_refiner_get_embedding (live)),
                         30 * 3 * sizeof (double)) == 0);

  /* Both go on identically. */
  g_assert_true (lk_answers_end_phase (f->store, rebuilt, NULL, &error));
  lk_refiner_end_phase (live, NULL);
  g_assert_true (memcmp (lk_embedding_get_data (lk_refiner_get_embedding (rebuilt)),
                         lk_embedding_get_data (lk_refiner_get_embedding (live)),
                         30 * 3 * sizeof (double)) == 0);
  g_assert_true (lk_refiner_is_done (rebuilt));
}

/* Runs the study of @store live through its first two phases, each drawn, answered, ended and
 * stored. */
static void
run_two_phases (LkStore *store)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LkRefiner) live = lk_answers_rebuild (store, NULL, &error);

  g_assert_no_error (error);
  for (guint phase = 0; phase < 2; phase++)
    {
      g_autoptr(GArray) ids = lk_answers_draw_queries (store, live, &error);
      g_autoptr(GArray) answers = NULL;

      g_assert_no_error (error);
      answers = answer_open_queries (store, live, 0, phase);
      g_assert_true (lk_answers_end_phase (store, live, NULL, &error));
      g_assert_no_error (error);
    }
}

/* Adds @delta to value @index of the embedding stored for @phase, through SQLite directly
 * (the study must be closed). Values are little-endian doubles. */
static void
alter_stored_embedding (const char *path,
                        guint       phase,
                        guint       index,
                        double      delta)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  g_autofree guint64 *blob = NULL;
  union { double d; guint64 u; } v;
  int bytes;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT embedding FROM phase WHERE phase = ?", -1,
                                       &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_int (stmt, 1, phase);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  bytes = sqlite3_column_bytes (stmt, 0);
  g_assert_cmpuint (index * sizeof (guint64), <, bytes);
  blob = g_memdup2 (sqlite3_column_blob (stmt, 0), bytes);
  sqlite3_finalize (stmt);

  v.u = GUINT64_FROM_LE (blob[index]);
  v.d += delta;
  blob[index] = GUINT64_TO_LE (v.u);

  g_assert_cmpint (sqlite3_prepare_v2 (db, "UPDATE phase SET embedding = ? WHERE phase = ?", -1,
                                       &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_blob (stmt, 1, blob, bytes, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 2, phase);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
  g_assert_cmpint (sqlite3_changes (db), ==, 1);
  sqlite3_finalize (stmt);
  g_assert_cmpint (sqlite3_close (db), ==, SQLITE_OK);
}

/* The replay compares what it computes with what the file stored: one stored embedding value
 * off by 1e-6 (a thousand times the tolerance) makes it report that the file was not
 * reproduced, while the unaltered file is. */
static void
test_rebuild_altered (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LkRefiner) before = NULL, after = NULL;
  gboolean reproduced = FALSE;

  run_two_phases (f->store);
  before = lk_answers_rebuild (f->store, &reproduced, &error);
  g_assert_no_error (error);
  g_assert_true (reproduced);

  lk_store_close (f->store);
  alter_stored_embedding (f->path, 1, 31, 1e-6);
  f->store = lk_store_open (f->path, LK_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);

  reproduced = TRUE;
  after = lk_answers_rebuild (f->store, &reproduced, &error);
  g_assert_no_error (error);
  g_assert_nonnull (after);
  g_assert_false (reproduced);
  /* The replay still goes on from what it computed, not from the altered file. */
  g_assert_cmpuint (lk_refiner_get_phase (after), ==, 2);
  g_assert_cmpmem (lk_embedding_get_data (lk_refiner_get_embedding (after)),
                   sizeof (double) * 30 * 3,
                   lk_embedding_get_data (lk_refiner_get_embedding (before)),
                   sizeof (double) * 30 * 3);
}

/* Renames the tables @tables (NULL-terminated) of the closed study at @path to "<name>_gone",
 * so that reading them fails. */
static void
hide_tables (const char         *path,
             const char * const *tables)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
  for (guint i = 0; tables[i] != NULL; i++)
    {
      g_autofree char *sql = g_strdup_printf ("ALTER TABLE %s RENAME TO %s_gone",
                                              tables[i], tables[i]);

      g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
    }
  g_assert_cmpint (sqlite3_close (db), ==, SQLITE_OK);
}

/* A replay whose reads fail returns NULL with one error that names the failure: whether the
 * first of its opening queries fails, the last (whose -1 is also a valid answer, "no query
 * yet"), or several (each failure must not be set over the last, which GLib warns about). */
static void
test_rebuild_read_fails (Fixture       *f,
                         gconstpointer  data)
{
  static const char *query_only[] = { "query", NULL };
  static const char *image_and_query[] = { "image", "query", NULL };
  static const char *phase_only[] = { "phase", NULL };
  const char * const *cases[] = { query_only, image_and_query, phase_only };

  run_two_phases (f->store);
  lk_store_close (f->store);
  f->store = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *copy = g_strdup_printf ("%s.%u", f->path, i);
      g_autofree char *contents = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(LkStore) store = NULL;
      g_autoptr(LkRefiner) refiner = NULL;
      gboolean reproduced = TRUE;
      gsize length;

      g_assert_true (g_file_get_contents (f->path, &contents, &length, NULL));
      g_assert_true (g_file_set_contents (copy, contents, length, NULL));
      hide_tables (copy, cases[i]);
      /* Unchecked: the open's own checks would refuse the file before the replay reads it. */
      store = lk_store_open (copy, LK_STORE_OPEN_READ_ONLY | LK_STORE_OPEN_UNCHECKED, &error);
      g_assert_no_error (error);

      refiner = lk_answers_rebuild (store, &reproduced, &error);
      g_assert_null (refiner);
      g_assert_error (error, LK_STORE_ERROR, LK_STORE_ERROR_FAILED);
      g_assert_nonnull (strstr (error->message, "no such table"));
    }
}

/* A full disk: the save fails with DISK_FULL, nothing changes, and a retry succeeds. */
static void
test_disk_full (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LkRefiner) refiner = NULL;
  g_autoptr(GArray) ids = NULL;
  g_autoptr(LkQuery) q = NULL;
  g_autofree LkMove *moves = g_new0 (LkMove, 5000);
  LkStoreCounts before, after;
  LkQueryState state;
  gint64 pages = 0, id;
  sqlite3_stmt *stmt;
  g_autofree char *limit = NULL;

  refiner = lk_answers_rebuild (f->store, NULL, &error);
  ids = lk_answers_draw_queries (f->store, refiner, &error);
  g_assert_no_error (error);
  g_assert_true (lk_store_get_counts (f->store, &before, &error));

  stmt = lk_store_prepare (f->store, "PRAGMA page_count", &error);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  pages = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  limit = g_strdup_printf ("PRAGMA max_page_count = %" G_GINT64_FORMAT ";", pages);
  g_assert_true (lk_store_exec (f->store, limit, &error));

  q = lk_answers_get_query (f->store, g_array_index (ids, gint64, 0), NULL, &error);
  store_test_answer (q, 3, 1);
  for (guint i = 0; i < 5000; i++)
    moves[i] = (LkMove) { lk_query_get_item (q, i % 8), -1, i % 3, i * 10 };
  id = lk_answers_save (f->store, g_array_index (ids, gint64, 0), q, 0, 1, 2, moves, 5000, &error);
  g_assert_cmpint (id, ==, 0);
  g_assert_error (error, LK_STORE_ERROR, LK_STORE_ERROR_DISK_FULL);
  g_assert_nonnull (strstr (error->message, "full"));
  g_assert_nonnull (strstr (error->message, f->path));
  g_clear_error (&error);

  g_assert_true (lk_store_get_counts (f->store, &after, &error));
  g_assert_cmpuint (after.answers, ==, before.answers);
  g_assert_cmpuint (after.pending, ==, before.pending);
  g_clear_pointer (&q, lk_query_free);
  q = lk_answers_get_query (f->store, g_array_index (ids, gint64, 0), &state, &error);
  g_assert_cmpint (state, ==, LK_QUERY_PENDING);
  store_test_answer (q, 3, 1);

  g_assert_true (lk_store_exec (f->store, "PRAGMA max_page_count = 1073741823;", &error));
  id = lk_answers_save (f->store, g_array_index (ids, gint64, 0), q, 0, 1, 2, moves, 5000, &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  g_assert_true (lk_store_check (f->store, NULL, &error));
}

/* The file deleted under the app: saves fail with MOVED, and a copy rescues everything. */
static void
test_deleted (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LkRefiner) refiner = NULL;
  g_autoptr(GArray) ids = NULL;
  g_autoptr(LkQuery) q0 = NULL;
  g_autoptr(LkQuery) q1 = NULL;
  LkStoreCounts counts;
  gint64 id;

  refiner = lk_answers_rebuild (f->store, NULL, &error);
  ids = lk_answers_draw_queries (f->store, refiner, &error);
  q0 = lk_answers_get_query (f->store, g_array_index (ids, gint64, 0), NULL, &error);
  q1 = lk_answers_get_query (f->store, g_array_index (ids, gint64, 1), NULL, &error);
  store_test_answer (q0, 3, 0);
  store_test_answer (q1, 3, 1);
  id = lk_answers_save (f->store, g_array_index (ids, gint64, 0), q0, 0, 1, 2, NULL, 0, &error);
  g_assert_no_error (error);

  g_assert_cmpint (g_unlink (f->path), ==, 0);
  id = lk_answers_save (f->store, g_array_index (ids, gint64, 1), q1, 0, 1, 2, NULL, 0, &error);
  g_assert_cmpint (id, ==, 0);
  g_assert_error (error, LK_STORE_ERROR, LK_STORE_ERROR_MOVED);
  g_assert_nonnull (strstr (error->message, "deleted"));
  g_clear_error (&error);

  g_assert_true (lk_store_save_copy (f->store, f->path, &error));
  g_assert_no_error (error);
  lk_store_close (f->store);
  f->store = lk_store_open (f->path, LK_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  g_assert_true (lk_store_get_counts (f->store, &counts, &error));
  g_assert_cmpuint (counts.answers, ==, 1);
  g_assert_cmpuint (counts.images, ==, 30);
  id = lk_answers_save (f->store, g_array_index (ids, gint64, 1), q1, 0, 1, 2, NULL, 0, &error);
  g_assert_no_error (error);
  g_assert_true (lk_store_check (f->store, NULL, &error));
  g_assert_no_error (error);
}

/* The file renamed under the app: saves fail, and the renamed file has every saved answer. */
static void
test_moved (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LkRefiner) refiner = NULL;
  g_autoptr(GArray) ids = NULL;
  g_autoptr(GArray) answers = NULL;
  g_autofree char *moved = g_build_filename (f->dir, "renamed.likeness", NULL);
  g_autoptr(LkQuery) q = NULL;
  LkStoreCounts counts;
  LkStore *store;

  refiner = lk_answers_rebuild (f->store, NULL, &error);
  ids = lk_answers_draw_queries (f->store, refiner, &error);
  answers = answer_open_queries (f->store, NULL, 0, 0);
  g_assert_cmpint (g_rename (f->path, moved), ==, 0);
  g_assert_false (lk_answers_set_state (f->store, g_array_index (ids, gint64, 0),
                                        LK_QUERY_ABANDONED, &error));
  g_assert_error (error, LK_STORE_ERROR, LK_STORE_ERROR_MOVED);
  g_clear_error (&error);

  store = lk_store_open (moved, LK_STORE_OPEN_READ_ONLY, &error);
  g_assert_no_error (error);
  g_assert_true (lk_store_get_counts (store, &counts, &error));
  g_assert_cmpuint (counts.answers, ==, answers->len);
  lk_store_close (store);
}

/* Returns the number of participants in the study at @path, read through its own connection. */
static guint
count_participants (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LkStore) store = lk_store_open (path, LK_STORE_OPEN_READ_ONLY, &error);
  LkStoreCounts counts;

  g_assert_no_error (error);
  g_assert_true (lk_store_get_counts (store, &counts, &error));
  g_assert_no_error (error);

  return counts.participants;
}

/* The file replaced between BEGIN and COMMIT (the check before BEGIN passed): the commit fails
 * with MOVED and a message that says so, rolls back, and writes nothing, neither to the moved
 * original nor to the file that now has its name. */
static void
test_moved_before_commit (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *moved = g_build_filename (f->dir, "renamed.likeness", NULL);
  g_autofree char *contents = NULL, *replacement = NULL;
  gsize length;

  g_assert_true (lk_store_write_begin (f->store, &error));
  g_assert_no_error (error);
  g_assert_true (lk_store_exec (f->store, "INSERT INTO participant (code, created, consent, "
                                "pilot, notes) VALUES ('P-LOST', '2024-01-01T00:00:00Z', 1, 0, "
                                "'')", &error));
  g_assert_no_error (error);

  /* A copy of the study takes its place: a study a commit could wrongly land in. */
  g_assert_cmpint (g_rename (f->path, moved), ==, 0);
  g_assert_true (g_file_get_contents (moved, &contents, &length, NULL));
  g_assert_true (g_file_set_contents (f->path, contents, length, NULL));

  g_assert_false (lk_store_write_commit (f->store, "Adding the participant", &error));
  g_assert_error (error, LK_STORE_ERROR, LK_STORE_ERROR_MOVED);
  g_assert_nonnull (strstr (error->message, "replaced"));
  g_assert_nonnull (strstr (error->message, f->path));
  g_clear_error (&error);
  g_assert_true (sqlite3_get_autocommit (lk_store_get_db (f->store)));

  lk_store_close (f->store);
  f->store = NULL;
  g_assert_true (g_file_get_contents (f->path, &replacement, NULL, NULL));
  g_assert_cmpmem (replacement, length, contents, length);
  g_assert_cmpuint (count_participants (f->path), ==, 0);
  g_assert_cmpuint (count_participants (moved), ==, 0);
}

/* The child of the crash test: answers and ends phases forever, reporting each saved id. */
static void G_GNUC_NORETURN
crash_child (const char *path,
             int         fd,
             guint       salt)
{
  g_autoptr(GError) error = NULL;
  LkStore *store = lk_store_open (path, LK_STORE_OPEN_DEFAULT, &error);
  LkRefiner *refiner;

  if (store == NULL)
    {
      g_printerr ("child: %s\n", error->message);
      _exit (3);
    }
  refiner = lk_answers_rebuild (store, NULL, &error);
  if (refiner == NULL)
    _exit (4);

  while (!lk_refiner_is_done (refiner))
    {
      g_autoptr(GArray) open = lk_answers_list_open (store, &error);

      if (open == NULL)
        _exit (5);
      if (open->len == 0)
        {
          g_autoptr(GArray) ids = NULL;

          if (lk_refiner_get_n_batch_answers (refiner) > 0 &&
              !lk_answers_end_phase (store, refiner, NULL, &error))
            _exit (6);
          if (lk_refiner_is_done (refiner))
            break;
          ids = lk_answers_draw_queries (store, refiner, &error);
          if (ids == NULL)
            _exit (7);
          continue;
        }
      for (guint i = 0; i < open->len; i++)
        {
          gint64 qid = g_array_index (open, gint64, i);
          g_autoptr(LkQuery) q = lk_answers_get_query (store, qid, NULL, &error);
          LkMove moves[3] = { { 0, -1, 0, 10 }, { 1, -1, 1, 20 }, { 0, 0, 1, 30 } };
          gint64 id;

          store_test_answer (q, lk_store_get_params (store)->nc, salt + qid);
          id = lk_answers_save (store, qid, q, 0, qid, qid + 1, moves, 3, &error);
          if (id == 0)
            _exit (8);
          lk_refiner_add_answer (refiner, q);
          if (write (fd, &id, sizeof id) != sizeof id)
            _exit (9);
        }
    }
  _exit (0);
}

/* Kills a child writing answers with SIGKILL at varying moments, many times; after each kill
 * the study must be sound and hold every answer whose save had returned. The moment is set by
 * progress, not by the clock, so that a loaded machine changes nothing: the parent waits for
 * a random number of acknowledgements, then a random few milliseconds (usually landing inside
 * the next save), then kills. */
static void
test_crash (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) acked = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  g_autoptr(GRand) rand = g_rand_new_with_seed (2385);
  LkParams params = store_test_params ();
  guint rounds = 0, killed = 0;
  gboolean finished = FALSE;

  /* A long study: 2400 answers of 8 items in 4 phases. */
  lk_store_close (f->store);
  g_unlink (f->path);
  params.budget = 2400;
  params.phases = 4;
  params.iterations = 10;
  f->store = lk_store_create (f->path, &params, lk_method_paper, &error);
  g_assert_no_error (error);
  store_test_add_images (f->store, 40);
  lk_store_close (f->store);
  f->store = NULL;

  while (!finished && rounds < 50)
    {
      int fds[2];
      pid_t pid;
      gint64 id;
      int status;
      guint wait_acks = g_rand_int_range (rand, 1, 21);
      guint delay_us = g_rand_int_range (rand, 0, 3000);
      LkStore *store;
      LkStoreCounts counts;
      sqlite3_stmt *stmt;

      g_assert_cmpint (pipe (fds), ==, 0);
      pid = fork ();
      g_assert_cmpint (pid, >=, 0);
      if (pid == 0)
        {
          close (fds[0]);
          crash_child (f->path, fds[1], rounds);
        }
      close (fds[1]);
      rounds++;

      for (guint a = 0; a < wait_acks && read (fds[0], &id, sizeof id) == sizeof id; a++)
        g_hash_table_add (acked, g_memdup2 (&id, sizeof id));
      g_usleep (delay_us);
      kill (pid, SIGKILL);
      g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
      if (WIFSIGNALED (status))
        killed++;
      if (WIFEXITED (status))
        {
          g_assert_cmpint (WEXITSTATUS (status), ==, 0);
          finished = TRUE;
        }

      /* Whatever reached the pipe was acknowledged before the kill. */
      while (read (fds[0], &id, sizeof id) == sizeof id)
        g_hash_table_add (acked, g_memdup2 (&id, sizeof id));
      close (fds[0]);

      store = lk_store_open (f->path, LK_STORE_OPEN_DEFAULT, &error);
      g_assert_no_error (error);
      g_assert_true (lk_store_check (store, NULL, &error));
      g_assert_no_error (error);
      g_assert_true (lk_store_get_counts (store, &counts, &error));
      g_assert_cmpuint (counts.answers, >=, g_hash_table_size (acked));
      stmt = lk_store_prepare (store, "SELECT count(*) FROM answer_bin WHERE answer = ?", &error);
      {
        GHashTableIter iter;
        gint64 *key;

        g_hash_table_iter_init (&iter, acked);
        while (g_hash_table_iter_next (&iter, (gpointer *) &key, NULL))
          {
            sqlite3_reset (stmt);
            sqlite3_bind_int64 (stmt, 1, *key);
            g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
            g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, 8);
          }
      }
      sqlite3_reset (stmt);
      lk_store_close (store);
    }

  g_test_message ("%u rounds, %u killed, %u answers acknowledged", rounds, killed,
                  g_hash_table_size (acked));
  g_assert_cmpuint (killed, >=, 20);
  g_assert_cmpuint (g_hash_table_size (acked), >=, 200);
}

/* A phase folded in elsewhere (the app's worker), with grids drawn on the spot meanwhile: the
 * app is killed before the run is stored. The replay computes the run's embedding, and the
 * repair stores it with the run's next batch, as the run would have. */
static void
test_spot_repair (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LkRefiner) live = NULL, run = NULL, replayed = NULL, repaired = NULL, again = NULL;
  g_autoptr(GPtrArray) batch = NULL;
  g_autoptr(GArray) ids = NULL, answers = NULL, open = NULL;
  guint nc = lk_store_get_params (f->store)->nc;
  LkStoreCounts counts;
  LkUpdateStats stats;
  gboolean was_repaired = TRUE, reproduced = FALSE;
  gint64 p, s;
  sqlite3_stmt *stmt;

  live = lk_answers_rebuild (f->store, NULL, &error);
  g_assert_no_error (error);
  ids = lk_answers_draw_queries (f->store, live, &error);
  g_assert_no_error (error);
  p = lk_store_add_participant (f->store, "P-SPOT", TRUE, FALSE, NULL, &error);
  s = lk_store_begin_session (f->store, p, "station-a", &error);
  answers = answer_open_queries (f->store, live, s, 3);
  g_assert_cmpuint (answers->len, ==, 4);

  /* What the worker computes on its copy. */
  run = lk_refiner_copy (live);
  lk_refiner_end_phase (run, &stats);
  batch = lk_refiner_select_queries (run, lk_refiner_get_batch_size (run));

  /* Two grids drawn on the spot, answered in phase 1 while the run is under way; a bin the
   * study does not have is refused, and leaves nothing behind. */
  for (guint i = 0; i < 3; i++)
    {
      guint items[8] = { i, i + 1, i + 2, i + 3, i + 4, i + 5, i + 6, i + 7 };
      gint bins[8] = { 0, 0, 1, 1, 2, 2, LK_BIN_LEFT_OUT, 0 };
      g_autoptr(LkQuery) q = lk_query_new (items, 8);
      gint64 id;

      if (i == 2)
        {
          /* Sorted into one bin more than the study has. */
          bins[7] = (gint) nc;
          g_assert_true (lk_query_set_answer (q, bins, nc + 1, &error));
        }
      else
        g_assert_true (lk_query_set_answer (q, bins, nc, &error));
      id = lk_answers_save_spot (f->store, 1, 1, q, s, 10, 20, NULL, 0, &error);
      if (i == 2)
        {
          g_assert_error (error, LK_STORE_ERROR, LK_STORE_ERROR_INVALID);
          g_assert_cmpint (id, ==, 0);
        }
      else
        {
          g_assert_no_error (error);
          g_assert_cmpint (id, >, 0);
        }
    }
  g_clear_error (&error);
  g_assert_true (lk_store_get_counts (f->store, &counts, &error));
  g_assert_cmpuint (counts.queries, ==, 6);
  g_assert_cmpuint (counts.answers, ==, 6);
  g_assert_cmpuint (counts.phases_done, ==, 0);

  /* Killed here. The replay ends phase 0 as the run did and holds the spot answers in phase 1. */
  replayed = lk_answers_rebuild (f->store, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (lk_refiner_get_phase (replayed), ==, 1);
  g_assert_cmpuint (lk_refiner_get_n_batch_answers (replayed), ==, 2);
  g_assert_cmpmem (lk_embedding_get_data (lk_refiner_get_embedding (replayed)),
                   sizeof (double) * 30 * lk_embedding_get_dim (lk_refiner_get_embedding (run)),
                   lk_embedding_get_data (lk_refiner_get_embedding (run)),
                   sizeof (double) * 30 * lk_embedding_get_dim (lk_refiner_get_embedding (run)));
  g_assert_true (lk_store_get_counts (f->store, &counts, &error));
  g_assert_cmpuint (counts.phases_done, ==, 0);

  /* The replay reads through a read-only connection of its own (as the app's worker thread
   * does, while the writer stays with its owner); the repair then stores, with the writer, the
   * phase (with the 4 answers it folded in) and the run's batch. */
  {
    g_autoptr(LkStore) reader = lk_store_open (lk_store_get_path (f->store),
                                               LK_STORE_OPEN_READ_ONLY, &error);
    LkAnswersPending pending;

    g_assert_no_error (error);
    repaired = lk_answers_replay (reader, &pending, NULL, NULL, &error);
    g_assert_no_error (error);
    g_assert_true (pending.phase_missing);
    g_assert_cmpuint (pending.n_answers, ==, 4);
    g_assert_true (lk_answers_repair (f->store, repaired, &pending, &was_repaired, &error));
    g_assert_no_error (error);
    g_assert_true (was_repaired);
    g_assert_false (pending.phase_missing);
    lk_answers_pending_clear (&pending);
  }
  g_assert_true (lk_store_get_counts (f->store, &counts, &error));
  g_assert_cmpuint (counts.phases_done, ==, 1);
  g_assert_cmpuint (counts.pending, ==, batch->len);
  stmt = lk_store_prepare (f->store, "SELECT answers FROM phase WHERE phase = 0", &error);
  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, 4);
  sqlite3_reset (stmt);
  open = lk_answers_list_open (f->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (open->len, ==, batch->len);
  for (guint i = 0; i < open->len; i++)
    {
      g_autoptr(LkQuery) stored = lk_answers_get_query (f->store, g_array_index (open, gint64, i),
                                                        NULL, &error);
      const LkQuery *expected = g_ptr_array_index (batch, i);

      g_assert_no_error (error);
      g_assert_cmpmem (lk_query_get_items (stored), sizeof (guint) * lk_query_get_n_items (stored),
                       lk_query_get_items (expected),
                       sizeof (guint) * lk_query_get_n_items (expected));
    }

  /* Whole again: nothing more to repair, and the replay reproduces the file. */
  again = lk_answers_rebuild_and_repair (f->store, &was_repaired, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (was_repaired);
  g_clear_pointer (&again, lk_refiner_free);
  again = lk_answers_rebuild (f->store, &reproduced, &error);
  g_assert_no_error (error);
  g_assert_true (reproduced);
  g_assert_cmpuint (lk_refiner_get_n_batch_answers (again), ==, 2);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/lk/store/answers/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("round-trip", test_round_trip);
  ADD ("rebuild", test_rebuild);
  ADD ("rebuild-altered", test_rebuild_altered);
  ADD ("rebuild-read-fails", test_rebuild_read_fails);
  ADD ("disk-full", test_disk_full);
  ADD ("deleted", test_deleted);
  ADD ("moved", test_moved);
  ADD ("moved-before-commit", test_moved_before_commit);
  ADD ("crash", test_crash);
  ADD ("spot-repair", test_spot_repair);
#undef ADD

  return g_test_run ();
}
