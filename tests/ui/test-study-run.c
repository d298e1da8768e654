/* test-study-run.c — sessions on a real study file, without a display: answers with their
 * move logs in the file, resume after a simulated crash, phases folded in on the worker with
 * grids drawn on the spot meanwhile, a crash during a phase's run, save failures and retry,
 * open errors, trials drawn, stored and counted per participant, forced choices drawn under
 * each choice5-policy
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <gio/gio.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "lk-answers.h"
#include "lk-gold.h"
#include "lk-image-features.h"
#include "lk-locale.h"
#include "lk-neighbours.h"
#include "lk-participants.h"
#include "lk-scores.h"
#include "lk-session.h"
#include "lk-session-settings.h"
#include "lk-store-private.h"
#include "lk-study-run-private.h"
#include "lk-study-private.h"
#include "lk-study-test.h"
#include "lk-ui-test.h"

typedef struct {
  char *dir;
  char *images;
  char *path;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->dir = study_test_tmpdir ();
  f->images = g_build_filename (f->dir, "images", NULL);
  f->path = g_build_filename (f->dir, "study.likeness", NULL);
  g_assert_cmpint (g_mkdir (f->images, 0700), ==, 0);
  study_test_create (f->path, f->images, 24);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  lk_test_rmdir (f->dir);
  g_free (f->dir);
  g_free (f->images);
  g_free (f->path);
}

/* Returns a session on @study for @code, past consent, instructions and practice, showing its
 * first recorded grid. */
static LkSession *
start_session (LkStudy    *study,
               const char *code,
               gboolean    pilot)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LkStudyRun) saver = NULL;
  LkSessionSetup setup;
  LkSession *session;

  lk_study_get_setup (study, &setup);
  setup.break_every = 0;
  saver = lk_study_run_new (study, "test-station", &error);
  g_assert_no_error (error);
  session = lk_session_new (LK_IMAGE_SOURCE (study), &setup, code, pilot,
                            LK_GRID_SOURCE (saver), &error);
  g_assert_no_error (error);

  lk_session_accept_consent (session);
  lk_session_begin (session);
  g_assert_true (lk_session_is_practice (session));
  for (guint p = 0; p < lk_sort_model_get_n_items (lk_session_get_model (session)); p++)
    lk_sort_model_move (lk_session_get_model (session), p, 0);
  g_assert_true (lk_session_submit (session, &error));
  g_assert_no_error (error);
  g_assert_cmpint (lk_session_get_state (session), ==, LK_SESSION_PRACTICE_DONE);
  lk_session_begin (session);
  g_assert_cmpint (lk_session_get_state (session), ==, LK_SESSION_SORTING);
  g_assert_false (lk_session_is_practice (session));

  return session;
}

/* Waits, as a participant looking at a grid gives the worker time, until the session's
 * refinement worker is idle and its last run is stored. */
static void
wait_worker (LkSession *session)
{
  g_assert_nonnull (lk_session_get_refine_worker (session));
  lk_ui_test_wait_worker (lk_session_get_refine_worker (session));
}

/* Waits until @run's refinement worker is idle and its last run is stored. */
static void
wait_worker_run (LkStudyRun *run)
{
  lk_ui_test_wait_worker (lk_grid_source_get_worker (LK_GRID_SOURCE (run)));
}

/* Sorts the grid shown: images alternate between the first two bins, with one move undone
 * (ten moves for a grid of eight). */
static void
sort_grid (LkSession *session)
{
  LkSortModel *model = lk_session_get_model (session);

  g_assert_nonnull (model);
  for (guint p = 0; p < lk_sort_model_get_n_items (model); p++)
    lk_sort_model_move (model, p, (gint) (p % 2));
  lk_sort_model_move (model, 0, 2);
  lk_sort_model_undo (model);
}

/* Returns the items of the grid shown, as a string. */
static char *
grid_items (LkSession *session)
{
  LkSortModel *model = lk_session_get_model (session);
  GString *s = g_string_new (NULL);

  for (guint p = 0; p < lk_sort_model_get_n_items (model); p++)
    g_string_append_printf (s, "%u ", lk_sort_model_get_item (model, p));

  return g_string_free (s, FALSE);
}

/* Returns the first column of the first row of @sql as text. */
static char *
query_text (LkStore    *store,
            const char *sql)
{
  g_autoptr(GError) error = NULL;
  sqlite3_stmt *stmt = lk_store_prepare (store, sql, &error);
  char *text = NULL;

  g_assert_no_error (error);
  if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_text (stmt, 0) != NULL)
    text = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);

  return text;
}

static void
test_round_trip (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LkStudy) study = lk_study_open (f->path, &error);
  g_autoptr(LkStore) store = NULL;
  g_autoptr(GArray) moves = NULL;
  g_autofree char *ended = NULL, *station = NULL, *pilot = NULL, *n_moves = NULL;
  LkSession *session;
  LkStoreCounts counts;
  gboolean reproduced = FALSE;

  g_assert_no_error (error);
  g_assert_cmpuint (lk_image_source_get_n_items (LK_IMAGE_SOURCE (study)), ==, 24);
  session = start_session (study, "P-RT234", TRUE);
  while (lk_session_get_state (session) != LK_SESSION_DONE)
    {
      guint n = lk_session_get_n_answered (session);

      g_assert_cmpint (lk_session_get_state (session), ==, LK_SESSION_SORTING);
      g_assert_cmpuint (lk_session_get_grid_number (session), ==, n + 1);
      g_assert_cmpuint (lk_session_get_n_grids (session), ==, 12);
      sort_grid (session);
      g_assert_true (lk_session_submit (session, &error));
      g_assert_no_error (error);

      /* On disk before the next grid is shown. */
      g_assert_true (lk_store_get_counts (lk_study_get_store (study), &counts, &error));
      g_assert_cmpuint (counts.answers, ==, n + 1);
      wait_worker (session);
    }
  g_assert_finalize_object (session);
  g_assert_finalize_object (study);
  study = NULL;

  /* Reopened: every answer with its move log, the session ended, all phases folded in. */
  store = lk_store_open (f->path, LK_STORE_OPEN_READ_ONLY, &error);
  g_assert_no_error (error);
  g_assert_true (lk_store_get_counts (store, &counts, &error));
  g_assert_cmpuint (counts.answers, ==, 12);
  g_assert_cmpuint (counts.pending, ==, 0);
  g_assert_cmpuint (counts.participants, ==, 1);
  g_assert_cmpuint (counts.sessions, ==, 1);
  g_assert_cmpuint (counts.phases_done, ==, 3);
  moves = lk_answers_get_moves (store, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (moves->len, ==, 10);
  g_assert_cmpint (g_array_index (moves, LkMove, 0).from, ==, LK_BIN_LEFT_OUT);
  g_assert_cmpint (g_array_index (moves, LkMove, 9).to, ==, 0);
  ended = query_text (store, "SELECT ended FROM session");
  station = query_text (store, "SELECT station FROM session");
  pilot = query_text (store, "SELECT pilot FROM participant WHERE code = 'P-RT234'");
  n_moves = query_text (store, "SELECT count(*) FROM answer_move");
  g_assert_nonnull (ended);
  g_assert_cmpstr (station, ==, "test-station");
  g_assert_cmpstr (pilot, ==, "1");
  g_assert_cmpstr (n_moves, ==, "120");
  g_clear_pointer (&store, lk_store_close);

  store = lk_store_open (f->path, LK_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  g_clear_pointer (&store, lk_store_close);
  {
    g_autoptr(LkStore) again = lk_store_open (f->path, LK_STORE_OPEN_DEFAULT, &error);
    g_autoptr(LkRefiner) refiner = lk_answers_rebuild (again, &reproduced, &error);

    g_assert_no_error (error);
    g_assert_true (reproduced);
    g_assert_true (lk_refiner_is_done (refiner));
  }
}

static void
test_declined (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LkStudy) study = lk_study_open (f->path, &error);
  g_autoptr(LkStudyRun) saver = lk_study_run_new (study, NULL, &error);
  g_autoptr(LkSession) session = NULL;
  LkSessionSetup setup;
  LkStoreCounts counts;

  g_assert_no_error (error);
  lk_study_get_setup (study, &setup);
  session = lk_session_new (LK_IMAGE_SOURCE (study), &setup, "P-NO", FALSE,
                            LK_GRID_SOURCE (saver), &error);
  g_assert_no_error (error);
  lk_session_decline_consent (session);
  g_assert_true (lk_session_end (session, &error));
  g_assert_true (lk_store_get_counts (lk_study_get_store (study), &counts, &error));
  g_assert_cmpuint (counts.participants, ==, 0);
  g_assert_cmpuint (counts.sessions, ==, 0);
  g_assert_cmpuint (counts.answers, ==, 0);
}

/* The app dies half-way (nothing ends the session, the store is not closed cleanly by the
 * session): the study opened again serves the next unanswered grid, then the rest. */
static void
test_resume (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *sixth = NULL, *resumed = NULL, *ended = NULL;
  LkStudy *study;
  LkSession *session;
  LkStoreCounts counts;

  study = lk_study_open (f->path, &error);
  g_assert_no_error (error);
  session = start_session (study, "P-CR4SH", FALSE);
  for (guint i = 0; i < 5; i++)
    {
      sort_grid (session);
      g_assert_true (lk_session_submit (session, &error));
      g_assert_no_error (error);
      wait_worker (session);
    }
  /* Grid 6 is shown (the second of phase 2) when the power goes. */
  g_assert_cmpuint (lk_session_get_grid_number (session), ==, 6);
  sixth = grid_items (session);
  sort_grid (session);
  g_object_unref (session);
  g_object_unref (study);

  study = lk_study_open (f->path, &error);
  g_assert_no_error (error);
  g_assert_true (lk_store_get_counts (lk_study_get_store (study), &counts, &error));
  g_assert_cmpuint (counts.answers, ==, 5);
  ended = query_text (lk_study_get_store (study), "SELECT ended FROM session");
  g_assert_null (ended);

  session = start_session (study, "P-CR4SH", FALSE);
  g_assert_cmpuint (lk_session_get_grid_number (session), ==, 6);
  g_assert_cmpuint (lk_session_get_n_grids (session), ==, 12);
  resumed = grid_items (session);
  g_assert_cmpstr (resumed, ==, sixth);
  while (lk_session_get_state (session) != LK_SESSION_DONE)
    {
      sort_grid (session);
      g_assert_true (lk_session_submit (session, &error));
      g_assert_no_error (error);
      wait_worker (session);
    }
  g_assert_true (lk_store_get_counts (lk_study_get_store (study), &counts, &error));
  g_assert_cmpuint (counts.answers, ==, 12);
  g_assert_cmpuint (counts.participants, ==, 1);
  g_assert_cmpuint (counts.sessions, ==, 2);
  g_assert_cmpuint (counts.phases_done, ==, 3);
  g_assert_finalize_object (session);
  g_assert_finalize_object (study);
}

/* Saves that fail (the file moved away under the app, then a full disk) keep the answer; the
 * retry saves that very answer once the cause is gone. */
static void
test_save_failure (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *away = g_build_filename (f->dir, "away.likeness", NULL);
  g_autofree char *limit = NULL, *bins = NULL;
  LkStudy *study;
  LkSession *session;
  LkSortModel *kept;
  LkStore *store;
  LkStoreCounts counts;
  sqlite3_stmt *stmt;
  gint64 pages;

  study = lk_study_open (f->path, &error);
  g_assert_no_error (error);
  store = lk_study_get_store (study);
  session = start_session (study, "P-F41L", FALSE);
  for (guint i = 0; i < 2; i++)
    {
      sort_grid (session);
      g_assert_true (lk_session_submit (session, &error));
      wait_worker (session);
    }

  /* Moved away: MOVED, the answer kept. */
  sort_grid (session);
  kept = lk_session_get_model (session);
  g_assert_cmpint (g_rename (f->path, away), ==, 0);
  g_assert_false (lk_session_submit (session, &error));
  g_assert_error (error, LK_STORE_ERROR, LK_STORE_ERROR_MOVED);
  g_assert_cmpstr (lk_study_error_heading (error), ==, "The Study File Was Moved or Deleted");
  g_clear_error (&error);
  g_assert_cmpint (lk_session_get_state (session), ==, LK_SESSION_SAVE_FAILED);
  g_assert_true (lk_session_get_model (session) == kept);
  g_assert_false (lk_session_retry (session, &error));
  g_assert_error (error, LK_STORE_ERROR, LK_STORE_ERROR_MOVED);
  g_clear_error (&error);

  /* Put back: the retry saves it and the next grid comes. */
  g_assert_cmpint (g_rename (away, f->path), ==, 0);
  g_assert_true (lk_session_retry (session, &error));
  g_assert_no_error (error);
  g_assert_cmpint (lk_session_get_state (session), ==, LK_SESSION_SORTING);
  g_assert_cmpuint (lk_session_get_grid_number (session), ==, 4);
  g_assert_true (lk_store_get_counts (store, &counts, &error));
  g_assert_cmpuint (counts.answers, ==, 3);

  /* A full disk (the page limit at the file's size): DISK_FULL, nothing half-written. A
   * hesitant participant's long move log needs new pages. */
  for (guint i = 0; i < 3000; i++)
    lk_sort_model_move (lk_session_get_model (session), i % 8, (gint) (i % 3));
  sort_grid (session);
  kept = lk_session_get_model (session);
  stmt = lk_store_prepare (store, "PRAGMA page_count", &error);
  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  pages = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  limit = g_strdup_printf ("PRAGMA max_page_count = %" G_GINT64_FORMAT ";", pages);
  g_assert_true (lk_store_exec (store, limit, &error));
  g_assert_false (lk_session_submit (session, &error));
  g_assert_error (error, LK_STORE_ERROR, LK_STORE_ERROR_DISK_FULL);
  g_clear_error (&error);
  g_assert_true (lk_session_get_model (session) == kept);
  g_assert_true (lk_store_get_counts (store, &counts, &error));
  g_assert_cmpuint (counts.answers, ==, 3);

  g_assert_true (lk_store_exec (store, "PRAGMA max_page_count = 1073741823;", &error));
  g_assert_true (lk_session_retry (session, &error));
  g_assert_no_error (error);
  g_assert_true (lk_store_get_counts (store, &counts, &error));
  g_assert_cmpuint (counts.answers, ==, 4);
  bins = query_text (store, "SELECT group_concat(bin, ',') FROM "
                            "(SELECT bin FROM answer_bin WHERE answer = 4 ORDER BY position)");
  g_assert_cmpstr (bins, ==, "0,1,0,1,0,1,0,1");

  wait_worker (session);
  g_assert_finalize_object (session);
  g_assert_finalize_object (study);
}

/* Answers the first phase and two grids drawn on the spot while the worker folds it in; then,
 * with @crash, the app dies before the run is back (its result is never stored), else the
 * experimenter leaves once it is stored. The study, opened again, is answered to the end with
 * time for each run to come back. */
static void
run_interrupted (const char *path,
                 gboolean    crash)
{
  g_autoptr(GError) error = NULL;
  LkRefineWorker *worker;
  LkStoreCounts counts;
  LkSession *session;
  LkStudy *study;

  study = lk_study_open (path, &error);
  g_assert_no_error (error);
  session = start_session (study, "P-RUN", FALSE);
  worker = lk_session_get_refine_worker (session);
  for (guint i = 0; i < 4; i++)
    {
      g_assert_false (lk_session_get_drawn (session));
      sort_grid (session);
      g_assert_true (lk_session_submit (session, &error));
      g_assert_no_error (error);
      if (i < 3)
        wait_worker (session);
    }

  /* The phase is complete: the worker runs, and the participant goes on at once with grids
   * drawn on the spot; submit does not iterate the main loop, so the run cannot be back. */
  for (guint i = 0; i < 2; i++)
    {
      g_assert_true (lk_refine_worker_get_busy (worker));
      g_assert_true (lk_session_get_drawn (session));
      sort_grid (session);
      g_assert_true (lk_session_submit (session, &error));
      g_assert_no_error (error);
    }
  g_assert_true (lk_store_get_counts (lk_study_get_store (study), &counts, &error));
  g_assert_cmpuint (counts.answers, ==, 6);
  g_assert_cmpuint (counts.phases_done, ==, 0);

  if (crash)
    lk_refine_worker_cancel (worker);
  else
    g_assert_true (lk_session_end (session, &error));
  wait_worker (session);
  g_assert_true (lk_store_get_counts (lk_study_get_store (study), &counts, &error));
  g_assert_cmpuint (counts.phases_done, ==, crash ? 0 : 1);
  g_assert_finalize_object (session);
  g_assert_finalize_object (study);

  /* Opened again: the phase cut short is stored as the run would have stored it. */
  study = lk_study_open (path, &error);
  g_assert_no_error (error);
  session = start_session (study, "P-RUN", FALSE);
  g_assert_true (lk_store_get_counts (lk_study_get_store (study), &counts, &error));
  g_assert_cmpuint (counts.phases_done, ==, 1);
  g_assert_cmpuint (counts.answers, ==, 6);
  while (lk_session_get_state (session) != LK_SESSION_DONE)
    {
      sort_grid (session);
      g_assert_true (lk_session_submit (session, &error));
      g_assert_no_error (error);
      wait_worker (session);
    }
  wait_worker (session);
  g_assert_true (lk_store_get_counts (lk_study_get_store (study), &counts, &error));
  g_assert_cmpuint (counts.answers, ==, 12);
  g_assert_cmpuint (counts.phases_done, ==, 3);
  g_assert_cmpuint (counts.pending, ==, 0);
  g_assert_finalize_object (session);
  g_assert_finalize_object (study);
}

/* Phases fold in on the worker, with grids drawn on the spot meanwhile and saved as such; a
 * crash while a run is under way loses nothing: opened again, the study reaches the very
 * queries, answers and embeddings of a study whose run was stored. */
static void
test_crash_during_run (Fixture       *f,
                       gconstpointer  data)
{
  static const char *columns[] = {
    "SELECT group_concat(hex(embedding), ' ') FROM (SELECT embedding FROM phase ORDER BY phase)",
    "SELECT group_concat(policy || ':' || phase || ':' || state || ':' || items, ' ') FROM "
    "(SELECT q.policy, q.phase, q.state, (SELECT group_concat(item, ',') FROM "
    "(SELECT item FROM query_item WHERE query = q.id ORDER BY position)) AS items "
    "FROM query q ORDER BY q.id)",
    "SELECT group_concat(bins, ' ') FROM (SELECT (SELECT group_concat(bin, ',') FROM "
    "(SELECT bin FROM answer_bin WHERE answer = a.id ORDER BY position)) AS bins "
    "FROM answer a ORDER BY a.id)",
    "SELECT count(*) FROM query WHERE policy = 'spot' AND drawn = 0",
  };
  g_autoptr(GError) error = NULL;
  g_autofree char *other = g_build_filename (f->dir, "other.likeness", NULL);
  g_autoptr(GFile) from = g_file_new_for_path (f->path);
  g_autoptr(GFile) to = g_file_new_for_path (other);

  g_assert_true (g_file_copy (from, to, G_FILE_COPY_NONE, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  run_interrupted (f->path, TRUE);
  run_interrupted (other, FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (columns); i++)
    {
      g_autoptr(LkStore) a = lk_store_open (f->path, LK_STORE_OPEN_READ_ONLY, &error);
      g_autoptr(LkStore) b = lk_store_open (other, LK_STORE_OPEN_READ_ONLY, &error);
      g_autofree char *in_a = query_text (a, columns[i]);
      g_autofree char *in_b = query_text (b, columns[i]);

      g_assert_no_error (error);
      g_assert_nonnull (in_a);
      g_assert_cmpstr (in_a, ==, in_b);
    }
  {
    g_autoptr(LkStore) a = lk_store_open (f->path, LK_STORE_OPEN_READ_ONLY, &error);
    g_autofree char *spot = query_text (a, columns[3]);
    g_autoptr(LkRefiner) refiner = NULL;
    gboolean reproduced = FALSE;

    /* Two spot grids in the first boundary, at least one at the second. */
    g_assert_cmpint (atoi (spot), >=, 3);
    refiner = lk_answers_rebuild (a, &reproduced, &error);
    g_assert_no_error (error);
    g_assert_true (reproduced);
    g_assert_true (lk_refiner_is_done (refiner));
  }
}

static void
test_open_errors (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = g_build_filename (f->dir, "notes.likeness", NULL);
  g_autofree char *newer = g_build_filename (f->dir, "newer.likeness", NULL);
  g_autofree char *missing = g_build_filename (f->dir, "missing.likeness", NULL);
  g_autoptr(LkStudy) first = NULL;
  LkParams params = study_test_params ();
  LkStudy *second;

  g_assert_true (g_file_set_contents (text, "Just some notes, not a study.\n", -1, NULL));
  g_assert_null (lk_study_open (text, &error));
  g_assert_error (error, LK_STORE_ERROR, LK_STORE_ERROR_NOT_A_STUDY);
  g_assert_cmpstr (lk_study_error_heading (error), ==, "This Is Not a Likeness Study");
  g_clear_error (&error);

  {
    g_autoptr(LkStore) store = lk_store_create (newer, &params, lk_method_paper, &error);

    g_assert_no_error (error);
    g_assert_true (lk_store_exec (store, "PRAGMA user_version = 99;", &error));
    g_assert_no_error (error);
  }
  g_assert_null (lk_study_open (newer, &error));
  g_assert_error (error, LK_STORE_ERROR, LK_STORE_ERROR_TOO_NEW);
  g_assert_nonnull (strstr (error->message, "99"));
  g_assert_cmpstr (lk_study_error_heading (error), ==, "The Study Needs a Newer Likeness");
  g_clear_error (&error);

  g_assert_null (lk_study_open (missing, &error));
  g_assert_error (error, LK_STORE_ERROR, LK_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  first = lk_study_open (f->path, &error);
  g_assert_no_error (error);
  second = lk_study_open (f->path, &error);
  g_assert_null (second);
  g_assert_error (error, LK_STORE_ERROR, LK_STORE_ERROR_LOCKED);
  g_assert_cmpstr (lk_study_error_heading (error), ==, "The Study Is Already Open");
  g_clear_error (&error);

  /* Closed, the lock is gone at once. */
  lk_study_close (first);
  second = lk_study_open (f->path, &error);
  g_assert_no_error (error);
  g_assert_finalize_object (second);
}

/* Returns the number of rows @sql counts in @store. */
static guint
count_rows (LkStore    *store,
            const char *sql)
{
  g_autofree char *text = query_text (store, sql);

  g_assert_nonnull (text);
  return (guint) g_ascii_strtoull (text, NULL, 10);
}

/* One run serves two sessions in turn, as the window does when participants follow each
 * other: the study's count and the budget are the run's, each session gets its own row and
 * participant and counts its participant's grids, and a run made anew counts the answers it
 * replayed. */
static void
test_sessions_share_run (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LkStudy) study = lk_study_open (f->path, &error);
  g_autoptr(LkStudyRun) run = NULL;
  g_autoptr(LkStudyRun) again = NULL;
  LkGridSource *source;
  LkSessionSetup setup;
  LkStore *store;

  g_assert_no_error (error);
  lk_study_get_setup (study, &setup);
  setup.break_every = 0;
  setup.n_practice = 0;
  setup.consent = NULL;
  run = lk_study_run_new (study, "test-station", &error);
  g_assert_no_error (error);
  source = LK_GRID_SOURCE (run);
  g_assert_cmpuint (lk_grid_source_get_n_answered (source), ==, 0);
  g_assert_cmpuint (lk_grid_source_get_budget (source), ==, study_test_params ().budget);

  for (guint s = 0; s < 2; s++)
    {
      g_autoptr(LkSession) session = NULL;
      guint n_grids = s == 0 ? 3 : 2;

      session = lk_session_new (LK_IMAGE_SOURCE (study), &setup, s == 0 ? "P-0NE" : "P-TW0",
                                FALSE, source, &error);
      g_assert_no_error (error);
      lk_session_begin (session);
      /* The second participant's first grid is their first, of the 9 the
       * budget has left (it was "Grid 4 of 12", the study's count). */
      g_assert_cmpuint (lk_session_get_grid_number (session), ==, 1);
      g_assert_cmpuint (lk_session_get_n_grids (session), ==, s == 0 ? 12 : 9);
      for (guint g = 0; g < n_grids; g++)
        {
          sort_grid (session);
          g_assert_true (lk_session_submit (session, &error));
          g_assert_no_error (error);
        }
      g_assert_true (lk_session_end (session, &error));
      g_assert_no_error (error);
      g_assert_cmpint (lk_study_run_get_session_id (run), ==, 0);
    }
  g_assert_cmpuint (lk_grid_source_get_n_answered (source), ==, 5);

  store = lk_study_get_store (study);
  g_assert_cmpuint (count_rows (store, "SELECT count(*) FROM session WHERE ended IS NOT NULL"),
                    ==, 2);
  g_assert_cmpuint (count_rows (store, "SELECT count(*) FROM answer a JOIN session s ON "
                                       "a.session = s.id JOIN participant p ON s.participant = "
                                       "p.id WHERE p.code = 'P-TW0'"), ==, 2);

  wait_worker_run (run);
  again = lk_study_run_new (study, "test-station", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (lk_grid_source_get_n_answered (LK_GRID_SOURCE (again)), ==, 5);
}

/* Stores session settings of @grids_per_participant and @break_every in @study, and returns a
 * run of it. */
static LkStudyRun *
run_with_settings (LkStudy *study,
                   guint    grids_per_participant,
                   guint    break_every)
{
  g_autoptr(GError) error = NULL;
  g_auto(LkSessionSettings) settings = { 0 };
  LkStudyRun *run;

  lk_session_settings_init (&settings);
  settings.grids_per_participant = grids_per_participant;
  settings.break_every = break_every;
  g_assert_true (lk_study_set_session_settings (study, &settings, &error));
  g_assert_no_error (error);
  run = lk_study_run_new (study, "test-station", &error);
  g_assert_no_error (error);

  return run;
}

/* Returns a session of @code on @run, at its first recorded grid (no consent, no practice), or
 * NULL with @error set. */
static LkSession *
begin_session (LkStudy       *study,
               LkGridSource  *run,
               const char    *code,
               GError       **error)
{
  LkSessionSetup setup;
  LkSession *session;

  lk_study_get_setup (study, &setup);
  setup.n_practice = 0;
  setup.consent = NULL;
  session = lk_session_new (LK_IMAGE_SOURCE (study), &setup, code, FALSE, run, error);
  if (session != NULL)
    lk_session_begin (session);

  return session;
}

/* Sorts and submits @n grids of @session, checking "Grid i of @of" on each. */
static void
answer_grids (LkSession *session,
              guint      first,
              guint      n,
              guint      of)
{
  for (guint g = 0; g < n; g++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_cmpint (lk_session_get_state (session), ==, LK_SESSION_SORTING);
      g_assert_cmpuint (lk_session_get_grid_number (session), ==, first + g);
      g_assert_cmpuint (lk_session_get_n_grids (session), ==, of);
      sort_grid (session);
      g_assert_true (lk_session_submit (session, &error));
      g_assert_no_error (error);
    }
}

static guint
answers_of (LkStore    *store,
            const char *code)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM answer a JOIN session s ON "
                                          "a.session = s.id JOIN participant p ON "
                                          "s.participant = p.id WHERE p.code = '%s'", code);

  return count_rows (store, sql);
}

/* Sessions of their own length. With 5 grids per participant on a
 * budget of 12, a session ends on the thank-you page after its participant's 5th grid; a code
 * coming back goes on from its stored answers; the budget still bounds the last participant;
 * and a complete study, or a participant who is done, starts no session at all. */
static void
test_grids_per_participant (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LkStudy) study = lk_study_open (f->path, &error);
  g_autoptr(LkStudyRun) run = run_with_settings (study, 5, 0);
  g_autoptr(LkSession) a = NULL;
  g_autoptr(LkSession) again = NULL;
  g_autoptr(LkSession) b = NULL;
  g_autoptr(LkSession) c = NULL;
  g_autoptr(LkSession) late = NULL;
  LkStore *store = lk_study_get_store (study);
  LkGridSource *source = LK_GRID_SOURCE (run);

  g_assert_no_error (error);

  a = begin_session (study, source, "P-A", &error);
  g_assert_no_error (error);
  answer_grids (a, 1, 5, 5);
  g_assert_cmpint (lk_session_get_state (a), ==, LK_SESSION_DONE);
  g_assert_null (lk_session_get_model (a));
  g_assert_cmpuint (answers_of (store, "P-A"), ==, 5);
  /* No sixth grid was taken from the study's queue and left served. */
  g_assert_cmpuint (count_rows (store, "SELECT count(*) FROM query WHERE state = 'served'"), ==, 0);

  again = begin_session (study, source, "P-A", &error);
  g_assert_error (error, LK_SESSION_ERROR, LK_SESSION_ERROR_PARTICIPANT_DONE);
  g_assert_null (again);
  g_clear_error (&error);

  /* B leaves after 2 grids and comes back for the other 3. */
  b = begin_session (study, source, "P-B", &error);
  g_assert_no_error (error);
  answer_grids (b, 1, 2, 5);
  g_assert_true (lk_session_end (b, &error));
  g_assert_no_error (error);
  g_clear_object (&b);
  b = begin_session (study, source, "P-B", &error);
  g_assert_no_error (error);
  answer_grids (b, 3, 3, 5);
  g_assert_cmpint (lk_session_get_state (b), ==, LK_SESSION_DONE);
  g_assert_cmpuint (answers_of (store, "P-B"), ==, 5);

  /* Two grids are left in the budget: C sorts those and the study is complete. */
  c = begin_session (study, source, "P-C", &error);
  g_assert_no_error (error);
  answer_grids (c, 1, 2, 2);
  g_assert_cmpint (lk_session_get_state (c), ==, LK_SESSION_DONE);
  g_assert_cmpuint (lk_grid_source_get_n_answered (source), ==, 12);

  /* A fourth participant gets the page that says the study is complete, and no grid. */
  {
    LkSessionSetup setup;

    lk_study_get_setup (study, &setup);
    late = lk_session_new (LK_IMAGE_SOURCE (study), &setup, "P-D", FALSE, source, &error);
    g_assert_no_error (error);
    g_assert_cmpint (lk_session_get_state (late), ==, LK_SESSION_COMPLETE);
    g_assert_cmpuint (lk_grid_source_get_n_answered (source), ==, 12);
  }
  wait_worker_run (run);
}

/* Breaks come after every K of the participant's own grids, not of the study's. */
static void
test_breaks_per_participant (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LkStudy) study = lk_study_open (f->path, &error);
  g_autoptr(LkStudyRun) run = NULL;
  g_autoptr(LkSession) first = NULL;
  g_autoptr(LkSession) second = NULL;

  g_assert_no_error (error);
  run = run_with_settings (study, 0, 2);
  first = begin_session (study, LK_GRID_SOURCE (run), "P-1", &error);
  g_assert_no_error (error);
  answer_grids (first, 1, 1, 12);
  g_assert_true (lk_session_end (first, &error));
  g_assert_no_error (error);

  second = begin_session (study, LK_GRID_SOURCE (run), "P-2", &error);
  g_assert_no_error (error);
  answer_grids (second, 1, 1, 11);
  g_assert_cmpint (lk_session_get_state (second), ==, LK_SESSION_SORTING);
  sort_grid (second);
  g_assert_true (lk_session_submit (second, &error));
  g_assert_no_error (error);
  g_assert_cmpint (lk_session_get_state (second), ==, LK_SESSION_BREAK);
  g_assert_cmpuint (lk_session_get_n_answered (second), ==, 2);
  wait_worker_run (run);
}

/* The last participant's share ends where the budget does: the run still folds the last phase
 * in, as when a session ends at the budget alone. */
static void
test_limit_meets_budget (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LkStudy) study = lk_study_open (f->path, &error);
  g_autoptr(LkStudyRun) run = run_with_settings (study, 6, 0);
  LkStoreCounts counts;

  g_assert_no_error (error);
  for (guint p = 0; p < 2; p++)
    {
      g_autoptr(LkSession) session = begin_session (study, LK_GRID_SOURCE (run),
                                                    p == 0 ? "P-X" : "P-Y", &error);

      g_assert_no_error (error);
      /* The worker's runs come back between grids, as in the app's main loop. */
      for (guint g = 1; g <= 6; g++)
        {
          answer_grids (session, g, 1, 6);
          wait_worker_run (run);
        }
      g_assert_cmpint (lk_session_get_state (session), ==, LK_SESSION_DONE);
    }
  wait_worker_run (run);
  g_assert_true (lk_store_get_counts (lk_study_get_store (study), &counts, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (counts.answers, ==, 12);
  g_assert_cmpuint (counts.phases_done, ==, 3);
}

/* The study keeps textures for the images shown last only, so that a study open through a lab
 * day does not keep one per image ever shown; a texture used again is the same one, and one
 * let go is made again. */
static void
test_texture_cache (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LkStudy) study = lk_study_open (f->path, &error);
  g_autoptr(GdkTexture) first = NULL;
  g_autoptr(GdkTexture) ninth = NULL;
  g_autoptr(GdkTexture) again = NULL;

  g_assert_no_error (error);
  lk_study_set_texture_cache_size (study, 5);
  first = lk_image_source_dup_texture (LK_IMAGE_SOURCE (study), 0);
  for (guint item = 1; item < 10; item++)
    {
      g_autoptr(GdkTexture) texture = lk_image_source_dup_texture (LK_IMAGE_SOURCE (study), item);

      g_assert_true (GDK_IS_TEXTURE (texture));
      g_assert_cmpuint (lk_study_get_n_textures (study), ==, MIN (item + 1, 5));
      if (item == 9)
        ninth = g_object_ref (texture);
    }

  /* Item 9 was used last: kept. */
  again = lk_image_source_dup_texture (LK_IMAGE_SOURCE (study), 9);
  g_assert_true (again == ninth);
  g_clear_object (&again);
  /* Item 0 was let go (its tile, here the test, still holds it): made again. */
  again = lk_image_source_dup_texture (LK_IMAGE_SOURCE (study), 0);
  g_assert_true (again != first);
  g_assert_cmpint (gdk_texture_get_width (again), ==, gdk_texture_get_width (first));
  g_assert_cmpuint (lk_study_get_n_textures (study), ==, 5);
}

/* Trials through the run: drawn (a triplet before any phase: random, three distinct images),
 * stored in the participant's session with block and times, counted per participant by this
 * run and by one made anew; an odd one out before the first phase, with the images in one
 * folder, has no clusters and says so. */
static void
test_trials (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LkStudy) study = lk_study_open (f->path, &error);
  g_autoptr(LkStudyRun) run = NULL;
  g_autoptr(LkStudyRun) again = NULL;
  g_autoptr(GPtrArray) stored = NULL;
  g_autoptr(LkGrid) intruder = NULL;
  LkGridSource *source;

  g_assert_no_error (error);
  run = lk_study_run_new (study, "test-station", &error);
  g_assert_no_error (error);
  source = LK_GRID_SOURCE (run);
  g_assert_cmpuint (lk_grid_source_count_trials (source, "P-T"), ==, 0);

  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(LkGrid) grid = lk_grid_source_next_trial (source, LK_TASK_TRIPLET, &error);
      g_autoptr(LkTrial) answered = NULL;
      LkTrialRecord record = { .participant = "P-T", .block = 1, .shown_us = 1000 + i,
                               .submitted_us = 2000 + i };

      g_assert_no_error (error);
      answered = lk_trial_copy (lk_grid_get_trial (grid));
      g_assert_cmpint (answered->kind, ==, LK_TASK_TRIPLET);
      g_assert_cmpuint (answered->n_items, ==, 3);
      g_assert_cmpuint (answered->items[0], !=, answered->items[1]);
      g_assert_cmpuint (answered->items[1], !=, answered->items[2]);
      g_assert_cmpuint (answered->items[0], !=, answered->items[2]);
      answered->choice = LK_TRIPLET_ANSWER_A_CLOSER + (gint) i;
      record.trial = answered;
      g_assert_true (lk_grid_source_submit_trial (source, grid, &record, &error));
      g_assert_no_error (error);
    }
  g_assert_cmpint (lk_study_run_get_session_id (run), >, 0);
  g_assert_cmpuint (lk_grid_source_count_trials (source, "P-T"), ==, 2);
  g_assert_cmpuint (lk_grid_source_count_trials (source, "P-OTHER"), ==, 0);
  stored = lk_answers_list_trials (lk_study_get_store (study), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (stored->len, ==, 2);
  g_assert_cmpint (((LkTrial *) g_ptr_array_index (stored, 1))->choice, ==,
                   LK_TRIPLET_ANSWER_B_CLOSER);
  /* The worker's model is given the trials as they are answered, as the replay of the file
   * gives them, in the same order: the phase folded in live is the phase the replay computes. */
  {
    LkRefineWorker *worker = lk_grid_source_get_worker (source);
    const GPtrArray *live;

    /* Trials answered while a phase is folded in are held until it is back. */
    while (lk_refine_worker_get_busy (worker))
      g_main_context_iteration (NULL, TRUE);
    live = lk_refiner_get_trials (lk_refine_worker_get_refiner (worker));
    g_assert_cmpuint (live->len, ==, 2);
    for (guint i = 0; i < 2; i++)
      {
        const LkTrial *a = g_ptr_array_index (live, i);
        const LkTrial *b = g_ptr_array_index (stored, i);

        g_assert_cmpint (a->choice, ==, b->choice);
        g_assert_cmpmem (a->items, a->n_items * sizeof (guint), b->items, b->n_items * sizeof (guint));
      }
  }

  intruder = lk_grid_source_next_trial (source, LK_TASK_INTRUDER, &error);
  g_assert_null (intruder);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "intruder"));
  g_clear_error (&error);

  g_assert_true (lk_grid_source_end_session (source, &error));
  again = lk_study_run_new (study, "test-station", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (lk_grid_source_count_trials (LK_GRID_SOURCE (again), "P-T"), ==, 2);
}

/* Returns a forced choice drawn by @run, checked to be valid. */
static LkTrial *
draw_choice5 (LkStudyRun *run)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LkGrid) grid = lk_grid_source_next_trial (LK_GRID_SOURCE (run), LK_TASK_CHOICE5,
                                                      &error);
  LkTrial *trial;

  g_assert_no_error (error);
  trial = lk_trial_copy (lk_grid_get_trial (grid));
  g_assert_true (lk_trial_validate (trial, NULL));
  g_assert_cmpint (trial->kind, ==, LK_TASK_CHOICE5);
  g_assert_cmpuint (trial->n_items, ==, 6);

  return trial;
}

/* Sets the study's choice5-policy to @policy. */
static void
set_policy (LkStudy    *study,
            const char *policy)
{
  g_autoptr(GError) error = NULL;
  g_auto(LkSessionSettings) settings = { 0 };

  lk_session_settings_init (&settings);
  g_assert_true (lk_store_load_session_settings (lk_study_get_store (study), &settings, &error));
  g_assert_true (lk_session_settings_set (&settings, "choice5-policy", policy, &error));
  g_assert_no_error (error);
  g_assert_true (lk_study_set_session_settings (study, &settings, &error));
  g_assert_no_error (error);
}

/* Returns the item nearest to @q other than those in @skip (@n_skip) under @distance, ties to
 * the smaller index. */
static guint
nearest_other (double      (*distance) (guint, guint, gpointer),
               gpointer      data,
               guint         n_items,
               guint         q,
               const guint  *skip,
               guint         n_skip)
{
  guint best = G_MAXUINT;
  double best_d = INFINITY;

  for (guint i = 0; i < n_items; i++)
    {
      gboolean skipped = i == q;
      double d;

      for (guint j = 0; j < n_skip; j++)
        skipped = skipped || skip[j] == i;
      if (skipped)
        continue;
      d = distance (q, i, data);
      if (d < best_d)
        {
          best = i;
          best_d = d;
        }
    }

  return best;
}

static double
learned_distance (guint    a,
                  guint    b,
                  gpointer embedding)
{
  return lk_embedding_distance (embedding, a, b);
}

/* The study's choice5-policy in the app's draws (spec 4.2, paper 003): the setting takes the
 * three policies and refuses others; `random` (the default) has no target; `pair` draws at
 * random until the study has collected a pair, then asks for the query of a match answered
 * with its pick as the target, and match pages then hold that pick; `model-vs-model` draws at
 * random before a phase, then the target is the learned metric's nearest and the distractors
 * the colour descriptor's four nearest, checked by brute force. */
static void
test_choice5_policy (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LkStudy) study = NULL;
  g_autoptr(LkStudyRun) run = NULL;
  g_autoptr(LkSpace) colour = NULL;
  g_autofree char *shown = NULL;
  g_auto(LkSessionSettings) settings = { 0 };
  guint query, partner;
  LkSession *session;

  /* The setting. */
  lk_session_settings_init (&settings);
  shown = lk_session_settings_dup (&settings, "choice5-policy");
  g_assert_cmpstr (shown, ==, "random");
  g_assert_false (lk_session_settings_set (&settings, "choice5-policy", "pairs", &error));
  g_assert_error (error, LK_STORE_ERROR, LK_STORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "random, pair, model-vs-model"));
  g_clear_error (&error);
  g_assert_true (lk_session_settings_set (&settings, "choice5-policy", "model-vs-model", &error));
  g_assert_cmpstr (settings.choice5_policy, ==, "model-vs-model");
  g_assert_true (lk_session_settings_set (&settings, "choice5-policy", "random", &error));
  g_assert_null (settings.choice5_policy);

  /* The colour descriptors, as likeness-cli computes them on import. */
  {
    g_autoptr(LkStore) store = lk_store_open (f->path, LK_STORE_OPEN_DEFAULT, &error);

    g_assert_no_error (error);
    g_assert_true (lk_image_features_update (store, NULL, NULL, NULL, NULL, &error));
    g_assert_no_error (error);
  }

  study = lk_study_open (f->path, &error);
  g_assert_no_error (error);
  run = lk_study_run_new (study, "test-station", &error);
  g_assert_no_error (error);

  /* random, the default: no target. */
  for (guint i = 0; i < 5; i++)
    {
      g_autoptr(LkTrial) t = draw_choice5 (run);

      g_assert_cmpint (t->key, ==, -1);
    }

  /* pair, before any pair is collected: random. */
  set_policy (study, "pair");
  {
    g_autoptr(LkTrial) t = draw_choice5 (run);

    g_assert_cmpint (t->key, ==, -1);
  }
  /* A match page answered with its third candidate: that pair is the target from now on. */
  {
    g_autoptr(LkGrid) grid = lk_grid_source_next_trial (LK_GRID_SOURCE (run), LK_TASK_MATCH,
                                                        &error);
    g_autoptr(LkTrial) answered = NULL;
    LkTrialRecord record = { .participant = "P-PAIR", .shown_us = 1, .submitted_us = 2 };

    g_assert_no_error (error);
    answered = lk_trial_copy (lk_grid_get_trial (grid));
    answered->choice = 3;
    query = answered->items[0];
    partner = answered->items[3];
    record.trial = answered;
    g_assert_true (lk_grid_source_submit_trial (LK_GRID_SOURCE (run), grid, &record, &error));
    g_assert_no_error (error);
  }
  for (guint i = 0; i < 10; i++)
    {
      g_autoptr(LkTrial) t = draw_choice5 (run);

      g_assert_cmpuint (t->items[0], ==, query);
      g_assert_cmpint (t->key, >=, 1);
      g_assert_cmpuint (t->items[t->key], ==, partner);
    }
  /* The next match pages go on over the collection (they all showed the paired query before
   * this was fixed); a page of that query holds its partner. */
  {
    g_autoptr(GHashTable) queries = g_hash_table_new (NULL, NULL);

    for (guint i = 0; i < 20; i++)
      {
        g_autoptr(LkGrid) grid = lk_grid_source_next_trial (LK_GRID_SOURCE (run),
                                                            LK_TASK_MATCH, &error);
        const LkTrial *t = lk_grid_get_trial (grid);

        g_assert_no_error (error);
        g_hash_table_add (queries, GUINT_TO_POINTER (t->items[0] + 1));
        if (t->items[0] == query)
          g_assert_cmpuint (t->items[t->key], ==, partner);
        else
          g_assert_cmpint (t->key, ==, -1);
      }
    g_assert_cmpuint (g_hash_table_size (queries), >, 5);
  }

  /* model-vs-model, before a phase: random. */
  set_policy (study, "model-vs-model");
  {
    g_autoptr(LkTrial) t = draw_choice5 (run);

    g_assert_cmpint (t->key, ==, -1);
  }
  g_assert_true (lk_grid_source_end_session (LK_GRID_SOURCE (run), &error));
  g_clear_object (&run);

  /* One phase of four grids sorted in a session. */
  session = start_session (study, "P-MVM", FALSE);
  for (guint i = 0; i < 4; i++)
    {
      sort_grid (session);
      g_assert_true (lk_session_submit (session, &error));
      g_assert_no_error (error);
      wait_worker (session);
    }
  run = g_object_ref (LK_STUDY_RUN (lk_session_get_run (session)));
  g_assert_cmpuint (lk_refiner_get_phase (lk_refine_worker_get_refiner (
                      lk_grid_source_get_worker (LK_GRID_SOURCE (run)))), >=, 1);
  colour = lk_space_load (lk_study_get_store (study), LK_SPACE_COLOR, &error);
  g_assert_no_error (error);
  /* The run reads its descriptors on a thread, from its first trial on: until they are there a
   * forced choice is random, as a triplet goes without them. */
  lk_trial_free (draw_choice5 (run));
  while (lk_study_run_is_preparing (run))
    g_main_context_iteration (NULL, TRUE);
  for (guint i = 0; i < 10; i++)
    {
      g_autoptr(LkTrial) t = draw_choice5 (run);
      const LkEmbedding *learned = lk_refiner_get_embedding (lk_refine_worker_get_refiner (
                                     lk_grid_source_get_worker (LK_GRID_SOURCE (run))));
      guint q = t->items[0], target, distractors[5];

      g_assert_cmpint (t->key, >=, 1);
      target = nearest_other (learned_distance, (gpointer) learned, 24, q, NULL, 0);
      g_assert_cmpuint (t->items[t->key], ==, target);
      /* The colour descriptor's four nearest other than the target, in the other places. */
      distractors[0] = target;
      for (guint j = 1; j <= 4; j++)
        distractors[j] = nearest_other (lk_space_distance, colour, 24, q, distractors, j);
      for (guint j = 1; j <= 5; j++)
        if ((gint) j != t->key)
          {
            gboolean found = FALSE;

            for (guint k = 1; k <= 4; k++)
              found = found || distractors[k] == t->items[j];
            g_assert_true (found);
          }
    }
  g_object_unref (session);
}

static int
compare_strings (const void *a,
                 const void *b)
{
  return strcmp (*(char *const *) a, *(char *const *) b);
}

/* Sorts the grid shown by its images, not their places (bin = image % 3), so that a grid shown
 * again in another order is sorted the same. */
static void
sort_by_item (LkSession *session)
{
  LkSortModel *model = lk_session_get_model (session);

  g_assert_nonnull (model);
  for (guint p = 0; p < lk_sort_model_get_n_items (model); p++)
    lk_sort_model_move (model, p, (gint) (lk_sort_model_get_item (model, p) % 3));
}

/* Repeated grids with repeat-share 0.5 and a participant's 10 grids. The rule (next_check() in
 * lk-study-run.c) worked by hand for the grid at position p (1-based): a repeat is due when
 * floor(p / 2) exceeds the repeats so far, and a grid can be repeated once 3 grids lie between
 * it and p. Grid 1 can come back at 5 at the earliest; 5, 6, 7 and 8 repeat grids 1 to 4 (in
 * a random order); at 9 and 10 one is due but none is old enough (grid 9 could come back at
 * 13). So: 4 repeat rows, each with the images of one of the first 4 grids, 10 answers in the
 * budget (6 in the model), the participant's count 10, consistency 1 over 4 repeats (each image is put in the
 * same bin both times), in likeness-cli participants too; and the model live is the model of
 * the replay, which leaves the repeats out. */
static void
test_repeats (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LkStudy) study = lk_study_open (f->path, &error);
  g_auto(LkSessionSettings) settings = { 0 };
  g_autoptr(LkStudyRun) run = NULL;
  g_autoptr(LkSession) session = NULL;
  g_autoptr(GPtrArray) first_items = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(LkRefiner) replayed = NULL;
  g_autoptr(GPtrArray) people = NULL;
  LkStore *store;
  LkRefineWorker *worker;

  g_assert_no_error (error);
  store = lk_study_get_store (study);
  lk_session_settings_init (&settings);
  g_assert_cmpfloat (settings.repeat_share, ==, 0.05);
  settings.grids_per_participant = 10;
  settings.break_every = 0;
  settings.repeat_share = 0.5;
  g_assert_true (lk_study_set_session_settings (study, &settings, &error));
  g_assert_no_error (error);
  run = lk_study_run_new (study, "test-station", &error);
  g_assert_no_error (error);
  /* The worker's first look at the study, as while a participant reads the instructions. */
  wait_worker_run (run);
  session = begin_session (study, LK_GRID_SOURCE (run), "P-R", &error);
  g_assert_no_error (error);

  for (guint g = 1; g <= 10; g++)
    {
      g_autofree char *items = NULL;
      char **words;

      g_assert_cmpint (lk_session_get_state (session), ==, LK_SESSION_SORTING);
      /* The counter goes on as for any grid. */
      g_assert_cmpuint (lk_session_get_grid_number (session), ==, g);
      g_assert_cmpuint (lk_session_get_n_grids (session), ==, 10);
      items = grid_items (session);
      words = g_strsplit (g_strstrip (items), " ", -1);
      qsort (words, g_strv_length (words), sizeof (char *), compare_strings);
      g_ptr_array_add (first_items, g_strjoinv (" ", words));
      g_strfreev (words);
      sort_by_item (session);
      g_assert_true (lk_session_submit (session, &error));
      g_assert_no_error (error);
    }
  g_assert_cmpint (lk_session_get_state (session), ==, LK_SESSION_DONE);

  g_assert_cmpuint (count_rows (store, "SELECT count(*) FROM query WHERE repeat_of IS NOT NULL"),
                    ==, 4);
  g_assert_cmpuint (count_rows (store, "SELECT count(*) FROM query WHERE policy = 'repeat' AND "
                                "state = 'answered' AND drawn = 0"), ==, 4);
  /* Grids 1 to 4 are each repeated once, at 5 to 8; every answer is the one session's. */
  g_assert_cmpuint (count_rows (store, "SELECT count(DISTINCT repeat_of) FROM query WHERE "
                                "repeat_of IN (SELECT query FROM answer ORDER BY id LIMIT 4)"),
                    ==, 4);
  g_assert_cmpuint (count_rows (store, "SELECT count(*) FROM answer a JOIN query q ON q.id = "
                                "a.query WHERE q.repeat_of IS NOT NULL AND a.id IN (SELECT id "
                                "FROM answer ORDER BY id LIMIT 4 OFFSET 4)"), ==, 4);
  g_assert_cmpuint (count_rows (store, "SELECT count(DISTINCT session) FROM answer"), ==, 1);
  for (guint g = 4; g < 8; g++)
    {
      gboolean found = FALSE;

      for (guint h = 0; h < 4; h++)
        found |= g_str_equal (g_ptr_array_index (first_items, g),
                              g_ptr_array_index (first_items, h));
      g_assert_true (found);
    }
  /* The repeat rows hold the images of the grid they repeat. */
  g_assert_cmpuint (count_rows (store, "SELECT count(*) FROM query q WHERE q.repeat_of IS NOT "
                                "NULL AND (SELECT group_concat(item) FROM (SELECT item FROM "
                                "query_item WHERE query = q.id ORDER BY item)) = (SELECT "
                                "group_concat(item) FROM (SELECT item FROM query_item WHERE "
                                "query = q.repeat_of ORDER BY item))"), ==, 4);

  worker = lk_grid_source_get_worker (LK_GRID_SOURCE (run));
  wait_worker_run (run);
  /* The budget counts the grids sorted, repeats too, as does a run made anew from the file. */
  g_assert_cmpuint (lk_grid_source_get_n_answered (LK_GRID_SOURCE (run)), ==, 10);
  g_assert_cmpuint (lk_grid_source_count_answers (LK_GRID_SOURCE (run), "P-R"), ==, 10);
  {
    g_autoptr(LkStudyRun) again = lk_study_run_new (study, "test-station", &error);

    g_assert_no_error (error);
    g_assert_cmpuint (lk_grid_source_get_n_answered (LK_GRID_SOURCE (again)), ==, 10);
    g_assert_cmpuint (lk_grid_source_count_answers (LK_GRID_SOURCE (again), "P-R"), ==, 10);
  }

  /* Live == replay: the same answers, the same phase folded in. */
  replayed = lk_answers_rebuild (store, NULL, &error);
  g_assert_no_error (error);
  {
    const LkRefiner *live = lk_refine_worker_get_refiner (worker);
    const LkEmbedding *a = lk_refiner_get_embedding (live);
    const LkEmbedding *b = lk_refiner_get_embedding (replayed);

    g_assert_cmpuint (lk_refiner_get_answers (live)->len, ==, 6);
    g_assert_cmpuint (lk_refiner_get_answers (replayed)->len, ==, 6);
    g_assert_cmpuint (lk_refiner_get_phase (live), ==, lk_refiner_get_phase (replayed));
    g_assert_cmpuint (lk_refiner_get_phase (live), >=, 1);
    g_assert_cmpmem (lk_embedding_get_data (a),
                     lk_embedding_get_n_items (a) * lk_embedding_get_dim (a) * sizeof (double),
                     lk_embedding_get_data (b),
                     lk_embedding_get_n_items (b) * lk_embedding_get_dim (b) * sizeof (double));
  }

  people = lk_participants_list (store, lk_refine_worker_get_refiner (worker), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (people->len, ==, 1);
  {
    const LkParticipantInfo *p = g_ptr_array_index (people, 0);

    g_assert_cmpuint (p->answers, ==, 10);
    g_assert_cmpuint (p->repeats, ==, 4);
    g_assert_cmpfloat (p->consistency, ==, 1.0);
  }

  /* The command line shows the same figure. */
  if (g_getenv ("LK_TEST_CLI") != NULL)
    {
      const char *argv[] = { g_getenv ("LK_TEST_CLI"), "participants", f->path, NULL };
      g_autofree char *out = NULL;
      g_auto(GStrv) lines = NULL;
      g_auto(GStrv) heading = NULL;
      g_auto(GStrv) row = NULL;
      int status;
      guint column = 0;

      g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL,
                                   NULL, &out, NULL, &status, &error));
      g_assert_no_error (error);
      g_assert_true (g_spawn_check_wait_status (status, &error));
      g_assert_no_error (error);
      lines = g_strsplit (out, "\n", -1);
      g_assert_cmpuint (g_strv_length (lines), >=, 2);
      heading = g_regex_split_simple ("\\s+", g_strstrip (lines[0]), 0, 0);
      row = g_regex_split_simple ("\\s+", g_strstrip (lines[1]), 0, 0);
      while (heading[column] != NULL && !g_str_equal (heading[column], "consistency"))
        column++;
      g_assert_nonnull (heading[column]);
      g_assert_cmpstr (row[0], ==, "P-R");
      g_assert_cmpuint (g_strv_length (row), >, column);
      g_assert_cmpstr (row[column], ==, "1.00");
    }
  else
    g_test_message ("LK_TEST_CLI is not set: likeness-cli participants not run");
}


/* Without a limit per participant the counter's "of N" is the budget left; repeats spend it as
 * any grid does, so it stays "of 12" through grids 5 to 8, which are repeats. */
static void
test_repeats_counter (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LkStudy) study = lk_study_open (f->path, &error);
  g_auto(LkSessionSettings) settings = { 0 };
  g_autoptr(LkStudyRun) run = NULL;
  g_autoptr(LkSession) session = NULL;

  g_assert_no_error (error);
  lk_session_settings_init (&settings);
  settings.break_every = 0;
  settings.repeat_share = 0.5;
  g_assert_true (lk_study_set_session_settings (study, &settings, &error));
  g_assert_no_error (error);
  run = lk_study_run_new (study, "test-station", &error);
  g_assert_no_error (error);
  wait_worker_run (run);
  session = begin_session (study, LK_GRID_SOURCE (run), "P-N", &error);
  g_assert_no_error (error);
  answer_grids (session, 1, 8, 12);
  g_assert_cmpuint (count_rows (lk_study_get_store (study),
                                "SELECT count(*) FROM query WHERE repeat_of IS NOT NULL"), ==, 4);
  g_assert_cmpuint (lk_session_get_grid_number (session), ==, 9);
  g_assert_cmpuint (lk_session_get_n_grids (session), ==, 12);
  wait_worker_run (run);
}

/* Catch grids with gold-share 0.5 and 4 grids: at position 2, floor(2 / 2) = 1 exceeds the 0
 * catch grids served, so grid 2 is the study's one exam grid (images 0 to 7 in bins image % 3)
 * in some order, stored with query.gold and scored 100 (sorted by image % 3 too); at 4 one is
 * due again but the session has shown the only one. A training grid, and an exam grid of
 * another size, are never mixed in. The budget counts 4 grids; the model gets the 3 others. */
static void
test_catch_grids (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LkStudy) study = lk_study_open (f->path, &error);
  g_auto(LkSessionSettings) settings = { 0 };
  g_autoptr(LkStudyRun) run = NULL;
  g_autoptr(LkSession) session = NULL;
  g_autoptr(GPtrArray) people = NULL;
  g_autofree char *shown = NULL;
  LkStore *store;
  gint64 exam;

  g_assert_no_error (error);
  store = lk_study_get_store (study);
  {
    guint items[8] = { 0, 1, 2, 3, 4, 5, 6, 7 };
    gint bins[8];
    guint small[4] = { 8, 9, 10, 11 };
    gint small_bins[4] = { 0, 0, 1, 1 };
    g_autoptr(LkQuery) answer = lk_query_new (items, 8);
    g_autoptr(LkQuery) training = lk_query_new (items, 8);
    g_autoptr(LkQuery) other = lk_query_new (small, 4);

    for (guint i = 0; i < 8; i++)
      bins[i] = (gint) (items[i] % 3);
    g_assert_true (lk_query_set_answer (answer, bins, 3, NULL));
    g_assert_true (lk_query_set_answer (training, bins, 3, NULL));
    g_assert_true (lk_query_set_answer (other, small_bins, 2, NULL));
    exam = lk_gold_add (store, "exam-a", LK_GOLD_USE_EXAM, NULL, "overview", answer, 3, &error);
    g_assert_no_error (error);
    lk_gold_add (store, "train-a", LK_GOLD_USE_TRAINING, NULL, "overview", training, 3, &error);
    g_assert_no_error (error);
    lk_gold_add (store, "exam-small", LK_GOLD_USE_EXAM, NULL, "overview", other, 2, &error);
    g_assert_no_error (error);
  }
  lk_session_settings_init (&settings);
  g_assert_cmpfloat (settings.gold_share, ==, 0);
  settings.grids_per_participant = 4;
  settings.break_every = 0;
  settings.repeat_share = 0;
  settings.gold_share = 0.5;
  g_assert_true (lk_study_set_session_settings (study, &settings, &error));
  g_assert_no_error (error);
  run = lk_study_run_new (study, "test-station", &error);
  g_assert_no_error (error);
  wait_worker_run (run);
  session = begin_session (study, LK_GRID_SOURCE (run), "P-C", &error);
  g_assert_no_error (error);
  for (guint g = 1; g <= 4; g++)
    {
      g_assert_cmpuint (lk_session_get_grid_number (session), ==, g);
      g_assert_cmpuint (lk_session_get_n_grids (session), ==, 4);
      if (g == 2)
        {
          g_autofree char *items = grid_items (session);
          char **words = g_strsplit (g_strstrip (items), " ", -1);

          qsort (words, g_strv_length (words), sizeof (char *), compare_strings);
          shown = g_strjoinv (" ", words);
          g_strfreev (words);
        }
      sort_by_item (session);
      g_assert_true (lk_session_submit (session, &error));
      g_assert_no_error (error);
    }
  g_assert_cmpint (lk_session_get_state (session), ==, LK_SESSION_DONE);
  g_assert_cmpstr (shown, ==, "0 1 2 3 4 5 6 7");

  {
    g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM query WHERE gold = %"
                                            G_GINT64_FORMAT " AND policy = 'catch' AND state = "
                                            "'answered' AND id = (SELECT query FROM answer "
                                            "ORDER BY id LIMIT 1 OFFSET 1)", exam);

    g_assert_cmpuint (count_rows (store, sql), ==, 1);
  }
  g_assert_cmpuint (count_rows (store, "SELECT count(*) FROM query WHERE gold IS NOT NULL"), ==, 1);
  wait_worker_run (run);
  g_assert_cmpuint (lk_grid_source_get_n_answered (LK_GRID_SOURCE (run)), ==, 4);
  g_assert_cmpuint (lk_refiner_get_answers (lk_refine_worker_get_refiner (
                      lk_grid_source_get_worker (LK_GRID_SOURCE (run))))->len, ==, 3);
  people = lk_participants_list (store, NULL, &error);
  g_assert_no_error (error);
  {
    const LkParticipantInfo *p = g_ptr_array_index (people, 0);

    g_assert_cmpuint (p->answers, ==, 4);
    g_assert_cmpuint (p->gold_grids, ==, 1);
    g_assert_cmpfloat (p->gold_score, ==, 100.0);
  }
}

static gboolean
set_flag_cb (gpointer data)
{
  *(gboolean *) data = TRUE;

  return G_SOURCE_REMOVE;
}

/* An intruder's clusters are k-means of the phase's embedding, made on a thread: the main loop
 * runs while they are computed (an idle queued before the draw has run when it returns), and
 * they are the clusters made directly from the same embedding under the same seed. */
static void
test_clusters_off_main (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LkStudy) study = lk_study_open (f->path, &error);
  g_autoptr(LkStudyRun) run = NULL;
  g_autoptr(LkSession) session = NULL;
  g_autoptr(LkGrid) grid = NULL;
  g_autofree guint *expected = NULL;
  const guint *clusters;
  guint n_expected = 0, n_clusters = 0, phase = 0;
  gboolean idle_ran = FALSE;
  gulong seed;

  g_assert_no_error (error);
  run = run_with_settings (study, 0, 0);
  wait_worker_run (run);
  session = begin_session (study, LK_GRID_SOURCE (run), "P-K", &error);
  g_assert_no_error (error);
  /* The first phase's 4 grids: the worker folds it in. */
  answer_grids (session, 1, 4, 12);
  wait_worker_run (run);
  g_assert_cmpuint (lk_refiner_get_phase (lk_refine_worker_get_refiner (
                      lk_grid_source_get_worker (LK_GRID_SOURCE (run)))), ==, 1);
  g_assert_null (lk_study_run_get_clusters (run, NULL, NULL));

  /* The run's k-means generator is seeded with the first number of its own. */
  lk_study_run_set_trial_seed (run, 2385);
  {
    gsl_rng *rng = gsl_rng_alloc (gsl_rng_mt19937);

    gsl_rng_set (rng, 2385);
    seed = gsl_rng_get (rng);
    gsl_rng_free (rng);
  }
  expected = lk_study_run_prep_clusters (lk_study_get_store (study),
                                         lk_refiner_get_embedding (lk_refine_worker_get_refiner (
                                           lk_grid_source_get_worker (LK_GRID_SOURCE (run)))),
                                         24, seed, &n_expected);

  g_idle_add (set_flag_cb, &idle_ran);
  grid = lk_grid_source_next_trial (LK_GRID_SOURCE (run), LK_TASK_INTRUDER, &error);
  g_assert_no_error (error);
  g_assert_true (idle_ran);
  g_assert_cmpuint (lk_grid_get_trial (grid)->n_items, ==, 8);

  clusters = lk_study_run_get_clusters (run, &n_clusters, &phase);
  g_assert_nonnull (clusters);
  g_assert_cmpuint (phase, ==, 1);
  g_assert_cmpuint (n_clusters, ==, n_expected);
  g_assert_cmpuint (n_clusters, ==, 2);
  g_assert_cmpmem (clusters, 24 * sizeof (guint), expected, 24 * sizeof (guint));
}

int
main (int   argc,
      char *argv[])
{
  lk_locale_init ("C.UTF-8");
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/lk/ui/study-run/round-trip", Fixture, NULL, fixture_set_up, test_round_trip,
              fixture_tear_down);
  g_test_add ("/lk/ui/study-run/choice5-policy", Fixture, NULL, fixture_set_up,
              test_choice5_policy, fixture_tear_down);
  g_test_add ("/lk/ui/study-run/trials", Fixture, NULL, fixture_set_up, test_trials,
              fixture_tear_down);
  g_test_add ("/lk/ui/study-run/declined", Fixture, NULL, fixture_set_up, test_declined,
              fixture_tear_down);
  g_test_add ("/lk/ui/study-run/resume", Fixture, NULL, fixture_set_up, test_resume,
              fixture_tear_down);
  g_test_add ("/lk/ui/study-run/crash-during-run", Fixture, NULL, fixture_set_up,
              test_crash_during_run, fixture_tear_down);
  g_test_add ("/lk/ui/study-run/save-failure", Fixture, NULL, fixture_set_up,
              test_save_failure, fixture_tear_down);
  g_test_add ("/lk/ui/study-run/sessions-share-run", Fixture, NULL, fixture_set_up,
              test_sessions_share_run, fixture_tear_down);
  g_test_add ("/lk/ui/study-run/texture-cache", Fixture, NULL, fixture_set_up, test_texture_cache,
              fixture_tear_down);
  g_test_add ("/lk/ui/study-run/open-errors", Fixture, NULL, fixture_set_up, test_open_errors,
              fixture_tear_down);
  g_test_add ("/lk/ui/study-run/grids-per-participant", Fixture, NULL, fixture_set_up,
              test_grids_per_participant, fixture_tear_down);
  g_test_add ("/lk/ui/study-run/breaks-per-participant", Fixture, NULL, fixture_set_up,
              test_breaks_per_participant, fixture_tear_down);
  g_test_add ("/lk/ui/study-run/repeats", Fixture, NULL, fixture_set_up, test_repeats,
              fixture_tear_down);
  g_test_add ("/lk/ui/study-run/repeats-counter", Fixture, NULL, fixture_set_up,
              test_repeats_counter, fixture_tear_down);
  g_test_add ("/lk/ui/study-run/catch-grids", Fixture, NULL, fixture_set_up, test_catch_grids,
              fixture_tear_down);
  g_test_add ("/lk/ui/study-run/clusters-off-main", Fixture, NULL, fixture_set_up,
              test_clusters_off_main, fixture_tear_down);
  g_test_add ("/lk/ui/study-run/limit-meets-budget", Fixture, NULL, fixture_set_up,
              test_limit_meets_budget, fixture_tear_down);

  return g_test_run ();
}
