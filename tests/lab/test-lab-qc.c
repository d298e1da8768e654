/* test-lab-qc.c — training, exam, repeats and catch grids on a lab station (run inside
 * pg-cluster.sh, under Xvfb for the session's images): a study with two training and two exam
 * grids pushed to the database, whose gold tables the station reads as the file's; the plan
 * training:2,exam:2,sort:3 on an LkLabRun, once passed (the exam's answers stored with their
 * gold grids, three grids sorted) and once failed (not_qualified in the database, no sorting
 * answer, the code refused by a second station); repeats and catch grids (settings changed on
 * the database) stored with their marks, counted in the session's grids, and left out of the
 * phase the lab's refiner stores, which the pulled study's replay reproduces; an exam answer
 * whose acknowledgement was lost, retried by the session and stored once, and lk_lab_submit_marked()
 * retried after the connection died before its COMMIT; the pulled study's participants export
 * with the exam's score and status; and the journey in the app with real keys (xdotool): a
 * station opened from its URI, one participant failing the exam (the end page, the mark in the
 * database, the code refused in a dialog) and one passing it and sorting three grids.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "tests/cli/cli-test-utils.h"
#include "lab-test-utils.h"
#include "lk-gold.h"
#include "lk-keys-test.h"
#include "lk-lab-run-private.h"
#include "lk-session-view-private.h"
#include "lk-study-overview.h"
#include "lk-window-private.h"
#include "lk-session.h"
#include "lk-session-settings.h"
#include "lk-ui-test.h"
#include "tests/lk-test-utils.h"

#define PLAN "training:2,exam:2,sort:3"

static char *work_dir;

/* The known answers: two training pages (4 and 6 images) and two exam grids of 6 images (the
 * study's grid size, so that they also serve as catch grids), bins in display order. */
static const gint train_a[] = { 0, 0, 1, 1 };
static const gint train_b[] = { 0, 1, 2, 0, 1, 2 };
static const gint exam_a[] = { 0, 0, 1, 1, 2, 2 };
static const gint exam_b[] = { 1, 1, 0, 0, 2, 2 };

static void
got_result_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static gboolean
have_result (gpointer data)
{
  return *(GAsyncResult **) data != NULL;
}

static char *
uri_for (const char *station)
{
  return g_strdup_printf ("postgresql:///qc?host=%s&port=%s&application_name=%s",
                          g_getenv ("PGHOST"), g_getenv ("PGPORT"), station);
}

typedef struct {
  LkStudy  *study;
  LkLabRun *run;
} Station;

/* Opens the lab study as a station named @name does. */
static void
station_open (Station    *s,
              const char *name)
{
  g_autofree char *uri = uri_for (name);
  g_autofree char *journal_name = g_strconcat (name, ".jsonl", NULL);
  g_autofree char *journal = g_build_filename (work_dir, journal_name, NULL);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  lk_lab_study_open_async (uri, NULL, got_result_cb, &result);
  lk_ui_test_wait_for (have_result, &result);
  s->study = lk_lab_study_open_finish (result, &error);
  g_assert_no_error (error);
  g_clear_object (&result);
  lk_lab_run_new_async (s->study, journal, NULL, got_result_cb, &result);
  lk_ui_test_wait_for (have_result, &result);
  s->run = lk_lab_run_new_finish (result, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (lk_lab_run_get_station (s->run), ==, name);
}

/* Closes the station: the run and the study go (the copy's folder with it). */
static void
station_close (Station *s)
{
  g_assert_finalize_object (g_steal_pointer (&s->run));
  g_assert_finalize_object (g_steal_pointer (&s->study));
}

/* Returns a session of @code with the study's plan, or NULL with @error set. */
static LkSession *
new_session (Station     *s,
             const char  *code,
             GError     **error)
{
  g_auto(LkSessionSettings) settings = { 0 };
  g_autoptr(LkSession) session = NULL;
  LkSessionSetup setup;
  LkPlan plan;

  g_assert_true (lk_store_load_session_settings (lk_study_get_store (s->study), &settings,
                                                 NULL));
  lk_study_get_setup (s->study, &setup);
  setup.break_every = 0;
  setup.n_practice = 0;
  g_assert_true (lk_session_settings_get_plan (&settings, &setup.params, &plan, NULL));
  session = lk_session_new (LK_IMAGE_SOURCE (s->study), &setup, code, FALSE,
                            LK_GRID_SOURCE (s->run), error);
  if (session == NULL || !lk_session_set_plan (session, &plan, error))
    return NULL;

  return g_steal_pointer (&session);
}

/* Files the grid on screen as @bins (display order) and submits it. */
static gboolean
answer (LkSession   *session,
        const gint  *bins,
        GError     **error)
{
  LkSortModel *model = lk_session_get_model (session);

  for (guint p = 0; p < lk_sort_model_get_n_items (model); p++)
    lk_sort_model_move (model, p, bins[p]);

  return lk_session_submit (session, error);
}

/* Passes the pages between blocks. */
static void
pass_pages (LkSession *session)
{
  for (guint i = 0; i < 8; i++)
    {
      LkSessionState state = lk_session_get_state (session);

      if (state == LK_SESSION_CONSENT)
        lk_session_accept_consent (session);
      else if (state == LK_SESSION_INSTRUCTIONS || state == LK_SESSION_PRACTICE_DONE)
        lk_session_begin (session);
      else if (state == LK_SESSION_BREAK)
        lk_session_resume (session);
      else
        return;
    }
  g_assert_not_reached ();
}

/* The two training pages, answered right, with their feedback; nothing of them is stored. */
static void
do_training (LkSession *session)
{
  g_autoptr(GError) error = NULL;

  pass_pages (session);
  for (guint page = 0; page < 2; page++)
    {
      const LkGoldGrid *gold = lk_session_get_gold (session);

      g_assert_cmpint (lk_session_get_kind (session), ==, LK_TASK_TRAINING);
      g_assert_nonnull (gold);
      g_assert_true (answer (session, page == 0 ? train_a : train_b, &error));
      g_assert_no_error (error);
      g_assert_cmpint (lk_session_get_state (session), ==, LK_SESSION_FEEDBACK);
      g_assert_true (lk_session_continue (session, &error));
      g_assert_no_error (error);
    }
  pass_pages (session);
  g_assert_cmpint (lk_session_get_kind (session), ==, LK_TASK_EXAM);
}

/* The bins of the exam grid on screen as its known answer has them. */
static const gint *
exam_bins (LkSession *session)
{
  const LkGoldGrid *gold = lk_session_get_gold (session);

  g_assert_nonnull (gold);
  return g_str_equal (gold->name, "exam-a") ? exam_a : exam_b;
}

static guint64
count (const char *sql)
{
  return lab_test_count ("qc", sql);
}

/* The database holds the file's known answers, and the station reads them as the file's. */
static void
test_gold_pushed (void)
{
  g_autoptr(LkStore) store = NULL;
  g_autoptr(LkLab) lab = NULL;
  g_autoptr(GPtrArray) file = NULL;
  g_autoptr(GPtrArray) db = NULL;
  g_autoptr(GError) error = NULL;
  Station s = { 0 };

  g_assert_cmpuint (count ("SELECT count(*) FROM gold_grid"), ==, 4);
  g_assert_cmpuint (count ("SELECT count(*) FROM gold_item"), ==, 22);

  store = lk_store_open (lab_test_study_path, LK_STORE_OPEN_READ_ONLY, &error);
  g_assert_no_error (error);
  file = lk_gold_list (store, &error);
  g_assert_no_error (error);
  lab = lk_lab_connect ("dbname=qc", "check", &error);
  g_assert_no_error (error);
  db = lk_lab_list_gold (lab, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (db->len, ==, file->len);
  for (guint g = 0; g < db->len; g++)
    {
      const LkGoldGrid *a = g_ptr_array_index (file, g), *b = g_ptr_array_index (db, g);

      g_assert_cmpint (a->id, ==, b->id);
      g_assert_cmpstr (a->name, ==, b->name);
      g_assert_cmpint (a->use, ==, b->use);
      g_assert_cmpstr (a->instructions, ==, b->instructions);
      g_assert_cmpuint (a->nc, ==, b->nc);
      g_assert_cmpuint (lk_query_get_n_items (a->answer), ==, lk_query_get_n_items (b->answer));
      for (guint i = 0; i < lk_query_get_n_items (a->answer); i++)
        {
          g_assert_cmpuint (lk_query_get_items (a->answer)[i], ==,
                            lk_query_get_items (b->answer)[i]);
          g_assert_cmpint (lk_query_get_bin (a->answer, i), ==, lk_query_get_bin (b->answer, i));
        }
    }

  /* Through the run: the blocks' grids. */
  station_open (&s, "qc-a");
  {
    g_autoptr(GPtrArray) training = lk_grid_source_list_gold (LK_GRID_SOURCE (s.run),
                                                              LK_TASK_TRAINING, &error);
    g_autoptr(GPtrArray) exam = lk_grid_source_list_gold (LK_GRID_SOURCE (s.run), LK_TASK_EXAM,
                                                          &error);

    g_assert_no_error (error);
    g_assert_cmpuint (training->len, ==, 2);
    g_assert_cmpuint (exam->len, ==, 2);
    g_assert_cmpstr (((LkGoldGrid *) g_ptr_array_index (training, 0))->instructions, ==,
                     "Two pairs here.");
  }
  station_close (&s);
}

static void
test_pass (void)
{
  static const gint sorted[] = { 0, 1, 2, 0, 1, 2 };
  g_autoptr(LkSession) session = NULL;
  g_autoptr(GError) error = NULL;
  Station s = { 0 };

  station_open (&s, "qc-a");
  session = new_session (&s, "P-PASS", &error);
  g_assert_no_error (error);
  do_training (session);
  g_assert_cmpuint (count ("SELECT count(*) FROM answer"), ==, 0);

  for (guint g = 0; g < 2; g++)
    {
      g_assert_true (answer (session, exam_bins (session), &error));
      g_assert_no_error (error);
    }
  g_assert_cmpfloat_with_epsilon (lk_session_get_exam_mean (session), 100, 1e-9);
  pass_pages (session);
  for (guint g = 1; g <= 3; g++)
    {
      g_assert_cmpint (lk_session_get_kind (session), ==, LK_TASK_SORT);
      g_assert_cmpuint (lk_session_get_grid_number (session), ==, g);
      g_assert_true (answer (session, sorted, &error));
      g_assert_no_error (error);
    }
  g_assert_cmpint (lk_session_get_state (session), ==, LK_SESSION_DONE);
  g_assert_true (lk_session_end (session, &error));
  g_assert_no_error (error);

  /* The exam's answers with their gold grids, each once, from this station; three sorted. */
  g_assert_cmpuint (count ("SELECT count(*) FROM answer a JOIN query q ON q.id = a.query JOIN "
                           "participant p ON p.id = a.participant WHERE p.code = 'P-PASS' AND "
                           "q.kind = 'exam' AND q.policy = 'gold' AND q.drawn = 0 AND "
                           "q.state = 'answered' AND a.station = 'qc-a' AND a.source = "
                           "'lab:qc-a' AND a.client_uuid IS NOT NULL AND q.gold IN (SELECT id "
                           "FROM gold_grid WHERE use = 'exam')"), ==, 2);
  g_assert_cmpuint (count ("SELECT count(DISTINCT q.gold) FROM query q WHERE q.kind = 'exam'"),
                    ==, 2);
  g_assert_cmpuint (count ("SELECT count(*) FROM answer a JOIN query q ON q.id = a.query WHERE "
                           "q.kind = 'sort' AND q.gold IS NULL AND q.repeat_of IS NULL"), ==, 3);
  g_assert_cmpuint (count ("SELECT count(*) FROM answer_move m JOIN answer a ON a.id = m.answer "
                           "JOIN query q ON q.id = a.query WHERE q.kind = 'exam'"), ==, 12);
  g_assert_cmpuint (count ("SELECT count(*) FROM participant WHERE code = 'P-PASS' AND "
                           "status = 'active'"), ==, 1);
  g_assert_true (lk_grid_source_get_qualified (LK_GRID_SOURCE (s.run), "P-PASS"));
  g_clear_object (&session);
  station_close (&s);
}

static void
test_fail (void)
{
  static const gint one_bin[] = { 0, 0, 0, 0, 0, 0 };
  g_autoptr(LkSession) session = NULL;
  g_autoptr(LkSession) again = NULL;
  g_autoptr(GError) error = NULL;
  Station s = { 0 }, other = { 0 };

  station_open (&s, "qc-a");
  session = new_session (&s, "P-FAIL", &error);
  g_assert_no_error (error);
  do_training (session);
  g_assert_true (answer (session, one_bin, &error));
  g_assert_no_error (error);
  g_assert_true (answer (session, one_bin, &error));
  g_assert_no_error (error);
  g_assert_cmpfloat_with_epsilon (lk_session_get_exam_mean (session), 0, 1e-9);
  g_assert_cmpint (lk_session_get_state (session), ==, LK_SESSION_NOT_QUALIFIED);

  g_assert_cmpuint (count ("SELECT count(*) FROM participant WHERE code = 'P-FAIL' AND "
                           "status = 'not_qualified'"), ==, 1);
  g_assert_cmpuint (count ("SELECT count(*) FROM event WHERE kind = 'qualification' AND "
                           "station = 'qc-a' AND payload->>'status' = 'not_qualified'"), ==, 1);
  g_assert_cmpuint (count ("SELECT count(*) FROM answer a JOIN participant p ON p.id = "
                           "a.participant JOIN query q ON q.id = a.query WHERE p.code = "
                           "'P-FAIL' AND q.kind = 'exam'"), ==, 2);
  g_assert_cmpuint (count ("SELECT count(*) FROM answer a JOIN participant p ON p.id = "
                           "a.participant JOIN query q ON q.id = a.query WHERE p.code = "
                           "'P-FAIL' AND q.kind = 'sort'"), ==, 0);
  g_assert_cmpuint (count ("SELECT count(*) FROM session s JOIN participant p ON p.id = "
                           "s.participant WHERE p.code = 'P-FAIL' AND s.ended IS NOT NULL"), ==, 1);
  g_clear_object (&session);

  /* The same code on another station, opened after: refused before consent. */
  station_open (&other, "qc-b");
  again = new_session (&other, "P-FAIL", &error);
  g_assert_null (again);
  g_assert_error (error, LK_SESSION_ERROR, LK_SESSION_ERROR_NOT_QUALIFIED);
  g_clear_error (&error);
  /* And on the first station, whose copy was pulled before the exam. */
  again = new_session (&s, "P-FAIL", &error);
  g_assert_null (again);
  g_assert_error (error, LK_SESSION_ERROR, LK_SESSION_ERROR_NOT_QUALIFIED);
  station_close (&other);
  station_close (&s);
}

/* Kills @lab's connection on the server before its COMMIT: nothing is stored. */
static void
kill_backend_cb (LkLab    *lab,
                 gpointer  user_data)
{
  g_autofree char *sql = g_strdup_printf ("SELECT pg_terminate_backend(%d, 30000)",
                                          PQbackendPID (lk_lab_get_conn (lab)));
  g_autofree char *killed = lab_test_admin ("qc", sql);

  g_assert_cmpstr (killed, ==, "t");
}

/* Kills @lab's connection on the server once its transaction committed: the answer is stored,
 * but the station never hears so (a lost acknowledgement). */
static void
commit_then_kill_cb (LkLab    *lab,
                     gpointer  user_data)
{
  g_autofree char *sql = g_strdup_printf ("SELECT pg_terminate_backend(%d, 30000)",
                                          PQbackendPID (lk_lab_get_conn (lab)));
  g_autofree char *killed = NULL;

  PQclear (PQexec (lk_lab_get_conn (lab), "COMMIT"));
  killed = lab_test_admin ("qc", sql);
  g_assert_cmpstr (killed, ==, "t");
  *(gboolean *) user_data = TRUE;
}

static gboolean
online (gpointer run)
{
  return lk_lab_run_is_online (run);
}

/* An exam answer whose acknowledgement is lost: the session says so, and its Retry (once the
 * station is back online) stores nothing more. */
static void
test_retry (void)
{
  g_autoptr(LkSession) session = NULL;
  g_autoptr(GError) error = NULL;
  gboolean hooked = FALSE;
  Station s = { 0 };

  station_open (&s, "qc-a");
  session = new_session (&s, "P-RETRY", &error);
  g_assert_no_error (error);
  do_training (session);

  lk_lab_set_submit_hook (_lk_lab_run_get_lab (s.run), commit_then_kill_cb, &hooked);
  g_assert_false (answer (session, exam_bins (session), &error));
  g_assert_true (hooked);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED);
  g_clear_error (&error);
  g_assert_cmpint (lk_session_get_state (session), ==, LK_SESSION_SAVE_FAILED);
  g_assert_false (lk_lab_run_is_online (s.run));
  /* Stored, once, though the station does not know it. */
  g_assert_cmpuint (count ("SELECT count(*) FROM answer a JOIN participant p ON p.id = "
                           "a.participant WHERE p.code = 'P-RETRY'"), ==, 1);

  /* Back online (the station's thread reconnects): the retry finds the stored answer. */
  lk_ui_test_wait_for (online, s.run);
  g_assert_true (lk_session_retry (session, &error));
  g_assert_no_error (error);
  g_assert_cmpint (lk_session_get_state (session), ==, LK_SESSION_SORTING);
  g_assert_cmpuint (count ("SELECT count(*) FROM answer a JOIN participant p ON p.id = "
                           "a.participant WHERE p.code = 'P-RETRY'"), ==, 1);
  g_assert_true (answer (session, exam_bins (session), &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count ("SELECT count(*) FROM answer a JOIN participant p ON p.id = "
                           "a.participant JOIN query q ON q.id = a.query WHERE p.code = "
                           "'P-RETRY' AND q.kind = 'exam'"), ==, 2);
  g_assert_cmpuint (count ("SELECT count(DISTINCT q.gold) FROM answer a JOIN participant p ON "
                           "p.id = a.participant JOIN query q ON q.id = a.query WHERE p.code = "
                           "'P-RETRY'"), ==, 2);
  g_assert_true (lk_session_end (session, &error));
  g_clear_object (&session);
  station_close (&s);

  /* Underneath: the same client id twice is one answer; so is a retry after the connection
   * died before the COMMIT. A grid that does not show the known answer's images is refused. */
  {
    g_autofree char *uuid = g_uuid_string_random ();
    g_autofree char *gold_text = lab_test_admin ("qc", "SELECT min(id) FROM gold_grid WHERE "
                                                 "use = 'exam'");
    g_autofree char *items_text = NULL;
    gint64 gold = g_ascii_strtoll (gold_text, NULL, 10), session_id, id1, id2;
    g_autoptr(LkLab) lab = lab_test_station ("dbname=qc", "qc-raw", &session_id);
    g_autoptr(LkQuery) q = NULL;
    g_auto(GStrv) items = NULL;
    guint ids[6];
    guint64 before = count ("SELECT count(*) FROM answer");

    items_text = lab_test_admin ("qc", "SELECT string_agg(item::text, ',' ORDER BY position) "
                                 "FROM gold_item WHERE gold = (SELECT min(id) FROM gold_grid "
                                 "WHERE use = 'exam')");
    items = g_strsplit (items_text, ",", -1);
    g_assert_cmpuint (g_strv_length (items), ==, 6);
    for (guint i = 0; i < 6; i++)
      ids[i] = (guint) g_ascii_strtoull (items[i], NULL, 10);
    q = lk_query_new (ids, 6);
    g_assert_true (lk_query_set_answer (q, exam_a, 3, &error));

    id1 = lk_lab_submit_marked (lab, uuid, LK_TASK_EXAM, gold, 0, q, session_id, 1, 2, NULL, 0,
                                &error);
    g_assert_no_error (error);
    g_assert_cmpint (id1, >, 0);
    id2 = lk_lab_submit_marked (lab, uuid, LK_TASK_EXAM, gold, 0, q, session_id, 1, 2, NULL, 0,
                                &error);
    g_assert_no_error (error);
    g_assert_cmpint (id2, ==, id1);
    g_assert_cmpuint (count ("SELECT count(*) FROM answer"), ==, before + 1);

    /* The connection killed before the COMMIT (nothing stored), then after it (stored, not
     * acknowledged): each retry stores one answer in all. */
    for (guint k = 0; k < 2; k++)
      {
        g_autofree char *fresh = g_uuid_string_random ();
        gint64 id3;

        lk_lab_set_submit_hook (lab, k == 0 ? kill_backend_cb : commit_then_kill_cb, &hooked);
        g_assert_cmpint (lk_lab_submit_marked (lab, fresh, LK_TASK_EXAM, gold, 0, q, session_id,
                                               1, 2, NULL, 0, &error), ==, 0);
        g_assert_error (error, LK_LAB_ERROR, LK_LAB_ERROR_CONNECTION_LOST);
        g_clear_error (&error);
        lk_lab_set_submit_hook (lab, NULL, NULL);
        /* Stored only when the kill came after the COMMIT. */
        g_assert_cmpuint (count ("SELECT count(*) FROM answer"), ==, before + 1 + 2 * k);
        g_assert_true (lk_lab_reconnect (lab, &error));
        g_assert_no_error (error);
        id3 = lk_lab_submit_marked (lab, fresh, LK_TASK_EXAM, gold, 0, q, session_id, 1, 2, NULL,
                                    0, &error);
        g_assert_no_error (error);
        g_assert_cmpint (id3, >, id2);
        id2 = id3;
        g_assert_cmpuint (count ("SELECT count(*) FROM answer"), ==, before + 2 + k);
      }

    /* The other exam grid's id with these images: refused, saying why. */
    g_free (uuid);
    uuid = g_uuid_string_random ();
    g_free (gold_text);
    gold_text = lab_test_admin ("qc", "SELECT max(id) FROM gold_grid WHERE use = 'exam'");
    g_assert_cmpint (lk_lab_submit_marked (lab, uuid, LK_TASK_EXAM,
                                           g_ascii_strtoll (gold_text, NULL, 10), 0, q,
                                           session_id, 1, 2, NULL, 0, &error), ==, 0);
    g_assert_error (error, LK_LAB_ERROR, LK_LAB_ERROR_INVALID);
    g_assert_nonnull (strstr (error->message, "known answer"));
    g_assert_cmpuint (count ("SELECT count(*) FROM answer"), ==, before + 3);
    g_assert_true (lk_lab_end_session (lab, session_id, NULL));
  }
}

/* Stores an answer to the first exam grid, right, from @lab's session. */
static void
exam_answer (LkLab  *lab,
             gint64  session)
{
  g_autofree char *uuid = g_uuid_string_random ();
  g_autofree char *gold = lab_test_admin ("qc", "SELECT min(id) FROM gold_grid WHERE use = "
                                          "'exam'");
  g_autofree char *items_text = lab_test_admin ("qc", "SELECT string_agg(item::text, ',' "
                                                "ORDER BY position) FROM gold_item WHERE gold = "
                                                "(SELECT min(id) FROM gold_grid WHERE use = "
                                                "'exam')");
  g_auto(GStrv) items = g_strsplit (items_text, ",", -1);
  g_autoptr(LkQuery) q = NULL;
  g_autoptr(GError) error = NULL;
  guint ids[6];

  g_assert_cmpuint (g_strv_length (items), ==, 6);
  for (guint i = 0; i < 6; i++)
    ids[i] = (guint) g_ascii_strtoull (items[i], NULL, 10);
  q = lk_query_new (ids, 6);
  g_assert_true (lk_query_set_answer (q, exam_a, 3, &error));
  g_assert_cmpint (lk_lab_submit_marked (lab, uuid, LK_TASK_EXAM, g_ascii_strtoll (gold, NULL, 10),
                                         0, q, session, 1, 2, NULL, 0, &error), >, 0);
  g_assert_no_error (error);
}

/* Answers every grid of the current phase still open as a plain station, and has the refiner
 * compute the phase; an exam is answered while it does, which neither holds the phase's store
 * up nor goes into its model. */
static void
finish_phase (void)
{
  g_autoptr(GError) error = NULL;
  gint64 session;
  g_autoptr(LkLab) lab = lab_test_station ("dbname=qc", "qc-rest", &session);
  g_autoptr(LkLab) refiner = lk_lab_connect ("dbname=qc", "qc-refiner", &error);
  g_autoptr(LkLabPhase) phase = NULL;
  gboolean holder = FALSE, stored = FALSE;

  /* A grid a closed station left leased goes to the next claim. */
  g_free (lab_test_admin ("qc", "UPDATE query SET lease_until = now() - interval '1 second' "
                                "WHERE state = 'served'"));
  for (;;)
    {
      g_auto(LkLabClaim) claim = { 0 };
      g_autoptr(LkQuery) q = NULL;
      g_autofree char *uuid = g_uuid_string_random ();

      g_assert_true (lk_lab_claim (lab, session, 60, &claim, &error));
      g_assert_no_error (error);
      if (claim.query == 0)
        break;
      q = lab_test_answered (lab, &claim);
      g_assert_cmpint (lk_lab_submit (lab, &claim, uuid, q, session, 1, 2, NULL, 0, NULL, &error),
                       >, 0);
      g_assert_no_error (error);
    }
  g_assert_no_error (error);
  g_assert_true (lk_lab_try_refiner (refiner, &holder, &error));
  g_assert_true (holder);
  phase = lk_lab_phase_compute (refiner, &error);
  g_assert_no_error (error);
  g_assert_nonnull (phase);
  exam_answer (lab, session);
  g_assert_true (lk_lab_phase_store (refiner, phase, &stored, &error));
  g_assert_no_error (error);
  g_assert_true (stored);
  g_assert_true (lk_lab_end_session (lab, session, &error));
}

/* Repeats and catch grids, with the shares changed on the database: stored with their marks,
 * counted among the session's grids, and left out of the phase the refiner stores. */
static void
test_checks (void)
{
  static const gint sorted[] = { 2, 1, 0, 2, 1, 0 };
  g_autofree char *uri = g_strdup_printf ("postgresql:///qc?host=%s&port=%s",
                                          g_getenv ("PGHOST"), g_getenv ("PGPORT"));
  g_autoptr(LkSession) session = NULL;
  g_autoptr(GError) error = NULL;
  Station s = { 0 };

  {
    g_auto(CliRun) r = { 0 };

    /* p = 5 and 8 repeat (floor(0.25 p) passes the repeats served; the first repeat needs
     * 3 grids between), p = 6 is a catch grid (floor(0.2 p) = 1). */
    cli_run (&r, "settings", uri, "--set", "repeat-share=0.25", "--set", "gold-share=0.2",
             "--set", "plan=sort:8", NULL);
    g_assert_cmpint (r.status, ==, 0);
  }
  station_open (&s, "qc-a");
  session = new_session (&s, "P-CHECK", &error);
  g_assert_no_error (error);
  pass_pages (session);
  for (guint g = 1; g <= 8; g++)
    {
      g_assert_cmpint (lk_session_get_state (session), ==, LK_SESSION_SORTING);
      g_assert_cmpuint (lk_session_get_grid_number (session), ==, g);
      g_assert_cmpuint (lk_session_get_n_grids (session), ==, 8);
      g_assert_true (answer (session, sorted, &error));
      g_assert_no_error (error);
    }
  g_assert_cmpint (lk_session_get_state (session), ==, LK_SESSION_DONE);
  g_assert_true (lk_session_end (session, &error));
  g_clear_object (&session);
  station_close (&s);

#define P_CHECK "JOIN participant p ON p.id = a.participant AND p.code = 'P-CHECK' "
  g_assert_cmpuint (count ("SELECT count(*) FROM answer a " P_CHECK), ==, 8);
  g_assert_cmpuint (count ("SELECT count(*) FROM answer a " P_CHECK "JOIN query q ON q.id = "
                           "a.query WHERE q.gold IS NULL AND q.repeat_of IS NULL AND "
                           "q.drawn = 1"), ==, 5);
  /* Two repeats of the participant's own grids (the first of their first grid, 3 grids
   * between), their images those of the grid repeated, in another order or not. */
  g_assert_cmpuint (count ("SELECT count(*) FROM answer a " P_CHECK "JOIN query q ON q.id = "
                           "a.query WHERE q.policy = 'repeat' AND q.kind = 'sort' AND "
                           "q.drawn = 0 AND q.gold IS NULL AND (SELECT array_agg(item ORDER BY "
                           "item) FROM query_item WHERE query = q.id) = (SELECT array_agg(item "
                           "ORDER BY item) FROM query_item WHERE query = q.repeat_of) AND "
                           "EXISTS (SELECT 1 FROM answer b WHERE b.query = q.repeat_of AND "
                           "b.participant = a.participant AND b.id < a.id)"), ==, 2);
  g_assert_cmpuint (count ("SELECT count(DISTINCT q.repeat_of) FROM answer a " P_CHECK
                           "JOIN query q ON q.id = a.query"), ==, 2);
  g_assert_cmpuint (count ("SELECT q.repeat_of FROM answer a " P_CHECK "JOIN query q ON "
                           "q.id = a.query WHERE q.repeat_of IS NOT NULL ORDER BY a.id LIMIT 1"),
                    ==, count ("SELECT a.query FROM answer a " P_CHECK "ORDER BY a.id LIMIT 1"));
  /* One catch grid: an exam grid's images, with its gold mark. */
  g_assert_cmpuint (count ("SELECT count(*) FROM answer a " P_CHECK "JOIN query q ON q.id = "
                           "a.query WHERE q.policy = 'catch' AND q.kind = 'sort' AND "
                           "q.repeat_of IS NULL AND q.gold IN (SELECT id FROM gold_grid WHERE "
                           "use = 'exam') AND (SELECT array_agg(item ORDER BY item) FROM "
                           "query_item WHERE query = q.id) = (SELECT array_agg(item ORDER BY "
                           "item) FROM gold_item WHERE gold = q.gold)"), ==, 1);
  /* Positions 5, 6 and 8 of the session. */
  {
    g_autofree char *order = lab_test_admin ("qc", "SELECT string_agg(q.policy, ',' ORDER BY "
                                             "a.id) FROM answer a " P_CHECK "JOIN query q ON "
                                             "q.id = a.query WHERE q.drawn = 0");

    g_assert_cmpstr (order, ==, "repeat,catch,repeat");
  }
#undef P_CHECK

  /* The refiner stores the phase from the model's answers alone (no exam, no check), and the
   * pulled study's replay reproduces it. */
  finish_phase ();
  g_assert_cmpuint (count ("SELECT answers FROM phase WHERE phase = 0"), ==,
                    count ("SELECT count(*) FROM answer a JOIN query q ON q.id = a.query WHERE "
                           "q.phase = 0 AND q.kind = 'sort' AND q.gold IS NULL AND "
                           "q.repeat_of IS NULL"));
  g_assert_cmpuint (count ("SELECT answers FROM phase WHERE phase = 0"), <,
                    count ("SELECT count(*) FROM answer a JOIN query q ON q.id = a.query WHERE "
                           "q.phase = 0") - 6);
  {
    g_autoptr(LkLab) lab = lk_lab_connect ("dbname=qc", "check", &error);

    g_assert_no_error (error);
    g_assert_cmpuint (lab_test_pull_and_replay (lab), ==, 1);
  }

  /* The last phase too; an exam answered after it opens no phase of its own (the refiner's
   * step finds nothing to do, and fails on nothing). */
  finish_phase ();
  {
    gint64 late_session;
    g_autoptr(LkLab) lab = lab_test_station ("dbname=qc", "qc-late", &late_session);
    gboolean holder = FALSE, stored = TRUE;

    exam_answer (lab, late_session);
    /* In the last phase: a study file holds no query beyond its phases. */
    g_assert_cmpuint (count ("SELECT phase FROM query WHERE kind = 'exam' ORDER BY id DESC "
                             "LIMIT 1"), ==, 1);
    g_assert_cmpuint (count ("SELECT embedding_version FROM query WHERE kind = 'exam' ORDER BY "
                             "id DESC LIMIT 1"), ==, 2);
    g_assert_true (lk_lab_try_refiner (lab, &holder, &error));
    g_assert_true (holder);
    g_assert_true (lk_lab_refine (lab, &stored, &error));
    g_assert_no_error (error);
    g_assert_false (stored);
    g_assert_cmpuint (count ("SELECT count(*) FROM phase"), ==, 2);
    g_assert_cmpuint (lab_test_pull_and_replay (lab), ==, 2);
    g_assert_true (lk_lab_end_session (lab, late_session, &error));
  }
}

/* Splits the participants export's row of @code. */
static char **
export_row (const char *csv,
            const char *code)
{
  g_auto(GStrv) lines = g_strsplit (csv, "\n", -1);
  g_autofree char *prefix = g_strconcat (code, ",", NULL);

  for (guint i = 0; lines[i] != NULL; i++)
    if (g_str_has_prefix (lines[i], prefix))
      return g_strsplit (lines[i], ",", -1);
  g_error ("no row for %s in:\n%s", code, csv);
}

/* The pulled study's participants export shows the exam's outcome and the checks. */
static void
test_export (void)
{
  g_autofree char *pulled = g_build_filename (work_dir, "pulled.likeness", NULL);
  g_autofree char *csv_path = g_build_filename (work_dir, "participants.csv", NULL);
  g_autofree char *csv = NULL;
  g_autoptr(LkLab) lab = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) header = NULL;
  g_auto(GStrv) pass = NULL;
  g_auto(GStrv) fail = NULL;
  g_auto(GStrv) check = NULL;
  g_auto(CliRun) r = { 0 };

  lab = lk_lab_connect ("dbname=qc", "check", &error);
  g_assert_no_error (error);
  g_assert_true (lk_lab_pull (lab, pulled, &error));
  g_assert_no_error (error);
  cli_run (&r, "export", pulled, "--participants", csv_path, NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_true (g_file_get_contents (csv_path, &csv, NULL, NULL));

  header = g_strsplit (csv, "\n", 2);
  g_assert_true (g_str_has_prefix (header[0], "participant,pilot,status,excluded,answers,"
                                   "median_seconds,agreement,repeats,consistency,gold_grids,"
                                   "gold_score,"));
  pass = export_row (csv, "P-PASS");
  g_assert_cmpstr (pass[2], ==, "active");
  g_assert_cmpstr (pass[9], ==, "2");
  g_assert_cmpfloat_with_epsilon (g_ascii_strtod (pass[10], NULL), 100, 1e-9);
  fail = export_row (csv, "P-FAIL");
  g_assert_cmpstr (fail[2], ==, "not_qualified");
  g_assert_cmpstr (fail[9], ==, "2");
  g_assert_cmpfloat_with_epsilon (g_ascii_strtod (fail[10], NULL), 0, 1e-9);
  check = export_row (csv, "P-CHECK");
  g_assert_cmpstr (check[2], ==, "active");
  g_assert_cmpstr (check[7], ==, "2");
  /* The same bins for every grid, shuffled or not: the two answers agree exactly only if
   * shown in the same order; either way the repeats are counted. */
  g_assert_cmpstr (check[9], ==, "1");
  g_unlink (csv_path);
  g_unlink (pulled);
}

/* ---- the journey: the app as a station, real keys ----------------------------------------- */

static gboolean
is_null (gpointer data)
{
  return *(gpointer *) data == NULL;
}

static gboolean
prepared (gpointer window)
{
  return !lk_window_is_preparing (window);
}

static gboolean
feedback_ready (gpointer view)
{
  return lk_session_view_get_feedback_ready (view);
}

static gboolean
dialog_shown (gpointer data)
{
  return lk_ui_test_find_dialog () != NULL;
}

/* Returns TRUE if a label under @widget shows text containing @text. */
static gboolean
shows_text (GtkWidget  *widget,
            const char *text)
{
  if (GTK_IS_LABEL (widget) && strstr (gtk_label_get_label (GTK_LABEL (widget)), text) != NULL)
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (shows_text (child, text))
      return TRUE;

  return FALSE;
}

static void
assert_page (LkSessionView *view,
             const char    *page)
{
  lk_ui_test_flush ();
  g_assert_cmpstr (lk_session_view_get_page (view), ==, page);
}

/* Types the keys that file the grid on screen as @bins (display order) and submit it: the focus
 * to the first image, then each number key files the focused image and moves on. */
static void
type_grid (LkWindow   *window,
           LkKeysTest *keys,
           const gint *bins,
           guint       n)
{
  g_autoptr(GString) names = g_string_new ("Tab Home Home");

  lk_ui_test_wait_painted (GTK_WIDGET (lk_window_get_session_view (window)));
  for (guint i = 0; i < n; i++)
    g_string_append_printf (names, " %d", bins[i] + 1);
  g_string_append (names, " Return");
  lk_keys_test_type (keys, GTK_WINDOW (window), names->str);
}

/* Types the known answer of the gold grid on screen, or everything in the first bin. */
static void
type_gold (LkWindow   *window,
           LkKeysTest *keys,
           gboolean    right)
{
  LkSession *session = lk_session_view_get_session (lk_window_get_session_view (window));
  const LkGoldGrid *gold = lk_session_get_gold (session);
  guint n = lk_query_get_n_items (gold->answer);
  g_autofree gint *bins = g_new0 (gint, n);

  for (guint i = 0; right && i < n; i++)
    bins[i] = lk_query_get_bin (gold->answer, i);
  type_grid (window, keys, bins, n);
}

static void
activate (LkSessionView *view,
          const char    *action)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), action, NULL));
  lk_ui_test_flush ();
}

/* Runs @code's session in the window up to the end of the exam, answered right or not. */
static void
keys_to_exam_end (LkWindow   *window,
                  LkKeysTest *keys,
                  LkStudy    *study,
                  const char *code,
                  gboolean    pass)
{
  LkSessionView *view = lk_window_get_session_view (window);

  lk_window_start_study (window, study, code, FALSE);
  lk_ui_test_wait_for (prepared, window);
  g_assert_null (lk_ui_test_find_dialog ());
  assert_page (view, "consent");
  activate (view, "session.accept");
  assert_page (view, "instructions");
  activate (view, "session.begin");
  for (guint page = 1; page <= 2; page++)
    {
      assert_page (view, "sort");
      g_assert_nonnull (strstr (lk_session_view_get_gold_text (view), page == 1
                                ? "Training page 1 of 2" : "Training page 2 of 2"));
      type_gold (window, keys, TRUE);
      assert_page (view, "feedback");
      g_assert_cmpstr (lk_session_view_get_feedback_title (view), ==, "Your Score: 100 of 100");
      lk_ui_test_wait_for (feedback_ready, view);
      lk_keys_test_type (keys, GTK_WINDOW (window), "Return");
    }
  assert_page (view, "break");
  activate (view, "session.resume");
  assert_page (view, "instructions");
  activate (view, "session.begin");
  for (guint g = 1; g <= 2; g++)
    {
      assert_page (view, "sort");
      g_assert_nonnull (strstr (lk_session_view_get_gold_text (view), g == 1
                                ? "Test grid 1 of 2" : "Test grid 2 of 2"));
      type_gold (window, keys, pass);
    }
}

static void
test_journey (void)
{
  static const gint sorted[] = { 0, 1, 2, 0, 1, 2 };
  g_autofree char *uri = g_strdup_printf ("postgresql:///qckeys?host=%s&port=%s",
                                          g_getenv ("PGHOST"), g_getenv ("PGPORT"));
  g_autofree char *station = lk_lab_station_name ();
  g_autoptr(GFile) file = g_file_new_for_uri (uri);
  LkWindow *window;
  LkSessionView *view;
  LkStudy *study;
  LkKeysTest keys;

  if (!lk_keys_test_available ())
    {
      g_test_skip ("no xdotool or no X11 display");
      return;
    }
  window = lk_window_new (NULL);
  gtk_window_present (GTK_WINDOW (window));
  lk_ui_test_wait_mapped (GTK_WIDGET (window));
  lk_keys_test_init (&keys, GTK_WINDOW (window));
  view = lk_window_get_session_view (window);

  lk_window_open_study (window, file);
  lk_ui_test_wait_for (prepared, window);
  g_assert_null (lk_ui_test_find_dialog ());
  study = lk_study_overview_get_study (lk_window_get_overview (window));
  g_assert_nonnull (study);
  g_assert_cmpstr (lk_lab_study_get_uri (study), ==, uri);

  /* Failed: the friendly end page; not qualified in the database. */
  keys_to_exam_end (window, &keys, study, "P-KEYFAIL", FALSE);
  assert_page (view, "not-qualified");
  g_assert_cmpuint (lab_test_count ("qckeys", "SELECT count(*) FROM participant WHERE code = "
                                    "'P-KEYFAIL' AND status = 'not_qualified'"), ==, 1);
  g_assert_cmpuint (lab_test_count ("qckeys", "SELECT count(*) FROM answer a JOIN query q ON "
                                    "q.id = a.query JOIN participant p ON p.id = a.participant "
                                    "WHERE p.code = 'P-KEYFAIL' AND q.kind = 'exam' AND "
                                    "a.station IS NOT NULL"), ==, 2);
  lk_window_end_session (window);
  lk_ui_test_flush ();

  /* The same code again: refused, in plain words. */
  lk_window_start_study (window, study, "P-KEYFAIL", FALSE);
  lk_ui_test_wait_for (prepared, window);
  lk_ui_test_wait_for (dialog_shown, NULL);
  {
    AdwMessageDialog *dialog = lk_ui_test_find_dialog ();

    g_assert_true (shows_text (GTK_WIDGET (dialog), "did not pass this study’s exam"));
    gtk_window_destroy (GTK_WINDOW (dialog));
    lk_ui_test_flush ();
  }

  /* Passed: the three grids of the sorting block, then the end. */
  keys_to_exam_end (window, &keys, study, "P-KEYPASS", TRUE);
  assert_page (view, "break");
  activate (view, "session.resume");
  assert_page (view, "instructions");
  activate (view, "session.begin");
  for (guint g = 1; g <= 3; g++)
    {
      assert_page (view, "sort");
      g_assert_null (lk_session_view_get_gold_text (view));
      type_grid (window, &keys, sorted, G_N_ELEMENTS (sorted));
    }
  assert_page (view, "done");
  {
    g_autofree char *sql = g_strdup_printf ("SELECT string_agg(q.kind, ',' ORDER BY a.id) FROM "
                                            "answer a JOIN query q ON q.id = a.query JOIN "
                                            "participant p ON p.id = a.participant WHERE "
                                            "p.code = 'P-KEYPASS' AND a.station = '%s'",
                                            station);
    g_autofree char *kinds = lab_test_admin ("qckeys", sql);

    g_assert_cmpstr (kinds, ==, "exam,exam,sort,sort,sort");
  }
  g_assert_cmpuint (lab_test_count ("qckeys", "SELECT count(*) FROM participant WHERE code = "
                                    "'P-KEYPASS' AND status = 'active'"), ==, 1);
  lk_window_end_session (window);
  /* The study's copy goes with the window (a job reading it on a thread may hold it a while):
   * its folder is removed then. */
  {
    gpointer gone = study;

    g_object_add_weak_pointer (G_OBJECT (study), &gone);
    gtk_window_destroy (GTK_WINDOW (window));
    lk_ui_test_wait_for (is_null, &gone);
  }
}

/* Adds a known answer of @n images starting at image @first. */
static void
add_gold (LkStore    *store,
          const char *name,
          LkGoldUse   use,
          const char *instructions,
          guint       first,
          const gint *bins,
          guint       n,
          guint       nc)
{
  g_autoptr(GError) error = NULL;
  g_autofree guint *items = g_new (guint, n);
  g_autoptr(LkQuery) answer = NULL;

  for (guint i = 0; i < n; i++)
    items[i] = first + i;
  answer = lk_query_new (items, n);
  g_assert_true (lk_query_set_answer (answer, bins, nc, &error));
  g_assert_no_error (error);
  g_assert_cmpint (lk_gold_add (store, name, use, instructions, "overview", answer, nc, &error),
                   >, 0);
  g_assert_no_error (error);
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *dir = NULL;
  g_autofree char *conninfo = NULL;
  int status;

  if (!lk_ui_test_init (&argc, &argv))
    return 77;
  work_dir = lk_test_tmpdir ("lk-lab-qc-work-XXXXXX");
  g_setenv ("XDG_STATE_HOME", work_dir, TRUE);
  dir = lab_test_make_study ("lk-lab-qc-XXXXXX");
  {
    g_auto(CliRun) r = { 0 };
    g_autoptr(LkStore) store = NULL;
    g_autoptr(GError) error = NULL;

    cli_run (&r, "settings", lab_test_study_path, "--set", "plan=" PLAN, NULL);
    g_assert_cmpint (r.status, ==, 0);
    store = lk_store_open (lab_test_study_path, LK_STORE_OPEN_DEFAULT, &error);
    g_assert_no_error (error);
    add_gold (store, "train-a", LK_GOLD_USE_TRAINING, "Two pairs here.", 0, train_a, 4, 2);
    add_gold (store, "train-b", LK_GOLD_USE_TRAINING, NULL, 4, train_b, 6, 3);
    add_gold (store, "exam-a", LK_GOLD_USE_EXAM, NULL, 10, exam_a, 6, 3);
    add_gold (store, "exam-b", LK_GOLD_USE_EXAM, NULL, 18, exam_b, 6, 3);
  }
  conninfo = lab_test_study ("qc");
  g_free (lab_test_study ("qckeys"));

  /* In this order: each goes on with the study the one before left. */
  g_test_add_func ("/lab/qc/gold-pushed", test_gold_pushed);
  g_test_add_func ("/lab/qc/pass", test_pass);
  g_test_add_func ("/lab/qc/fail", test_fail);
  g_test_add_func ("/lab/qc/retry", test_retry);
  g_test_add_func ("/lab/qc/checks", test_checks);
  g_test_add_func ("/lab/qc/export", test_export);
  g_test_add_func ("/lab/qc/journey", test_journey);
  status = g_test_run ();

  lab_test_remove_study (dir);
  lk_test_rmdir (work_dir);
  g_free (work_dir);

  return status;
}
