/* test-lab-journal.c — a station without its server, against a real PostgreSQL server (run
 * inside pg-cluster.sh): answers journaled while the server is stopped are flushed when it is
 * back, once each (an answer the server already had included, and a flush repeated); a grid
 * drawn on the spot goes into the phase that will fold it in, and the refiner and the replay
 * agree with it; a claim never hands out a grid given to a crowd batch; the journal's file
 * survives a reopen, and a torn or damaged line is set aside and named, the rest kept; trials
 * of the other tasks journaled and flushed with the sorted grids, in order, once each; a
 * journal written before trials were journaled; the spot draw on a hand-worked embedding.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <string.h>

#include "lab-test-utils.h"
#include "lk-lab-journal.h"
#include "lk-scores.h"
#include "tests/lk-test-utils.h"

/* A journal entry for @answer (taken). */
static LkLabJournalEntry
entry_for (LkQuery     *answer,
           const char  *participant,
           gint64       session,
           gint64       query,
           guint        phase,
           const char  *lease_token)
{
  static LkMove move = { .item = 0, .from = -1, .to = 1, .ms = 850 };

  return (LkLabJournalEntry) {
    .client_uuid = g_uuid_string_random (),
    .query = query,
    .phase = phase,
    .lease_token = g_strdup (lease_token),
    .participant = g_strdup (participant),
    .session = session,
    .nc = 4,
    .answer = answer,
    .shown_us = g_get_real_time () - 5 * G_USEC_PER_SEC,
    .submitted_us = g_get_real_time (),
    .moves = &move,
    .n_moves = 1,
  };
}

static void
entry_clear (LkLabJournalEntry *e)
{
  g_free (e->client_uuid);
  g_free (e->lease_token);
  g_free (e->participant);
  g_clear_pointer (&e->answer, lk_query_free);
}

/* A grid drawn on the spot (before any phase: at random), answered. */
static LkQuery *
spot_answered (guint64 seed)
{
  guint items[6];
  gint bins[6];
  LkQuery *q;

  lk_lab_draw_spot (NULL, 24, 0, 6, 10, seed, items);
  q = lk_query_new (items, 6);
  for (guint i = 0; i < 6; i++)
    bins[i] = (gint) (i % 3);
  g_assert_true (lk_query_set_answer (q, bins, 4, NULL));

  return q;
}

static guint64
count_uuid (const char *db,
            const char *uuid)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM answer WHERE client_uuid = '%s'",
                                          uuid);

  return lab_test_count (db, sql);
}

static void
test_offline_flush (void)
{
  g_autofree char *conninfo = lab_test_study ("journal");
  g_autofree char *dir = lk_test_tmpdir ("lk-lab-journal-XXXXXX");
  g_autofree char *path = g_build_filename (dir, "state", "journal", "J1.jsonl", NULL);
  g_autoptr(LkLabJournal) journal = NULL;
  g_autoptr(LkLab) lab = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) problems = g_string_new (NULL);
  g_auto(LkLabClaim) a = { 0 };
  g_auto(LkLabClaim) b = { 0 };
  LkLabJournalEntry e[4];
  gint64 session, id;
  guint flushed = 0;
  char *text = NULL;

  lab = lab_test_station (conninfo, "J1", &session);
  journal = lk_lab_journal_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (lk_lab_journal_get_length (journal), ==, 0);

  /* A: journaled, stored, but the acknowledgement "lost": it stays in the journal. */
  g_assert_true (lk_lab_claim (lab, session, 120, &a, &error));
  g_assert_cmpint (a.query, >, 0);
  e[0] = entry_for (lab_test_answered (lab, &a), "P-J1", session, a.query, a.phase,
                    a.lease_token);
  g_assert_true (lk_lab_journal_add (journal, &e[0], &error));
  id = lk_lab_submit (lab, &a, e[0].client_uuid, e[0].answer, session, e[0].shown_us,
                      e[0].submitted_us, e[0].moves, e[0].n_moves, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);

  /* B: claimed, then the server goes away before its submit. */
  g_assert_true (lk_lab_claim (lab, session, 120, &b, &error));
  g_assert_cmpint (b.query, >, 0);
  e[1] = entry_for (lab_test_answered (lab, &b), "P-J1", session, b.query, b.phase,
                    b.lease_token);
  lab_test_server_stop ();
  g_assert_cmpint (lk_lab_submit (lab, &b, e[1].client_uuid, e[1].answer, session,
                                  e[1].shown_us, e[1].submitted_us, NULL, 0, NULL, &error),
                   ==, 0);
  g_assert_error (error, LK_LAB_ERROR, LK_LAB_ERROR_CONNECTION_LOST);
  g_clear_error (&error);
  g_assert_true (lk_lab_journal_add (journal, &e[1], &error));

  /* C: the participant goes on with a grid drawn on the spot; D: a participant who started
   * while the server was away (no session row yet). */
  e[2] = entry_for (spot_answered (11), "P-J1", session, 0, 0, NULL);
  e[3] = entry_for (spot_answered (12), "P-OFFLINE", 0, 0, 0, NULL);
  g_assert_true (lk_lab_journal_add (journal, &e[2], &error));
  g_assert_true (lk_lab_journal_add (journal, &e[3], &error));
  /* Adding the same answer again keeps it once. */
  g_assert_true (lk_lab_journal_add (journal, &e[3], &error));
  g_assert_no_error (error);
  g_assert_cmpuint (lk_lab_journal_get_length (journal), ==, 4);
  g_assert_false (lk_lab_reconnect (lab, &error));
  g_assert_error (error, LK_LAB_ERROR, LK_LAB_ERROR_CONNECT);
  g_clear_error (&error);

  /* The station "crashes": the journal is read back from its file. */
  g_clear_pointer (&journal, lk_lab_journal_free);
  journal = lk_lab_journal_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (lk_lab_journal_get_length (journal), ==, 4);
  g_assert_cmpstr (lk_lab_journal_get_entry (journal, 1)->client_uuid, ==, e[1].client_uuid);
  g_assert_cmpuint (lk_lab_journal_get_entry (journal, 0)->n_moves, ==, 1);
  g_assert_cmpuint (lk_lab_journal_get_entry (journal, 0)->moves[0].ms, ==, 850);

  lab_test_server_start ();
  g_assert_true (lk_lab_reconnect (lab, &error));
  g_assert_no_error (error);
  g_assert_true (lk_lab_journal_flush (journal, lab, &flushed, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (flushed, ==, 4);
  g_assert_cmpuint (lk_lab_journal_get_length (journal), ==, 0);
  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  g_assert_cmpstr (text, ==, "");
  g_free (text);

  for (guint i = 0; i < 4; i++)
    g_assert_cmpuint (count_uuid ("journal", e[i].client_uuid), ==, 1);
  g_assert_cmpuint (lab_test_count ("journal", "SELECT count(*) FROM answer"), ==, 4);
  g_assert_cmpuint (lab_test_count ("journal", "SELECT count(*) FROM answer WHERE "
                                    "station = 'J1'"), ==, 4);
  g_assert_cmpuint (lab_test_count ("journal", "SELECT count(*) FROM query WHERE policy = "
                                    "'spot' AND drawn = 0 AND state = 'answered'"), ==, 2);
  g_assert_cmpuint (lab_test_count ("journal", "SELECT count(*) FROM answer a JOIN "
                                    "participant p ON p.id = a.participant WHERE "
                                    "p.code = 'P-OFFLINE'"), ==, 1);
  g_assert_cmpuint (lab_test_count ("journal", "SELECT count(*) FROM answer_move"), ==, 4);

  /* The journal's rewrite lost (a crash before the rename): every answer is flushed again,
   * and the server still has each once. */
  for (guint i = 0; i < 4; i++)
    g_assert_true (lk_lab_journal_add (journal, &e[i], &error));
  g_assert_true (lk_lab_journal_flush (journal, lab, &flushed, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (lab_test_count ("journal", "SELECT count(*) FROM answer"), ==, 4);
  g_assert_true (lk_lab_check_grids (lab, problems, &error));
  g_assert_cmpstr (problems->str, ==, "");

  for (guint i = 0; i < 4; i++)
    entry_clear (&e[i]);
  g_clear_pointer (&journal, lk_lab_journal_free);
  lk_test_rmdir (dir);
}

/* The spot answers' phase: the current one while it has grids out, the next one while it is
 * folded in; the refiner is not held up by the latter, and the pulled study's replay
 * reproduces the stored phases with them. */
static void
test_spot_phase (void)
{
  g_autofree char *conninfo = lab_test_study ("spotphase");
  g_autoptr(LkLab) lab = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *phase = NULL;
  gint64 session, id;
  gboolean holder = FALSE, stored = FALSE;
  guint n_items, dim, version;
  g_autoptr(GBytes) embedding = NULL;
  g_autoptr(LkQuery) early = NULL;
  g_autoptr(LkQuery) during = NULL;
  g_autofree char *u1 = g_uuid_string_random (), *u2 = g_uuid_string_random ();

  lab = lab_test_station (conninfo, "S1", &session);

  /* Phase 1 has grids out: a spot answer goes into it. */
  early = spot_answered (21);
  id = lk_lab_submit_spot (lab, u1, early, 0, session, 1, 2, NULL, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  phase = lab_test_admin ("spotphase", "SELECT q.phase FROM answer a JOIN query q ON "
                          "q.id = a.query ORDER BY a.id DESC LIMIT 1");
  g_assert_cmpstr (phase, ==, "0");
  g_clear_pointer (&phase, g_free);
  /* A retry of it stores nothing new. */
  g_assert_cmpint (lk_lab_submit_spot (lab, u1, early, 0, session, 1, 2, NULL, 0, &error), ==,
                   id);

  /* Every grid of phase 1 answered: it is complete, and a spot answer goes into phase 2. */
  for (;;)
    {
      g_auto(LkLabClaim) claim = { 0 };
      g_autoptr(LkQuery) q = NULL;
      g_autofree char *uuid = g_uuid_string_random ();

      g_assert_true (lk_lab_claim (lab, session, 120, &claim, &error));
      if (claim.query == 0)
        break;
      q = lab_test_answered (lab, &claim);
      g_assert_cmpint (lk_lab_submit (lab, &claim, uuid, q, session, 1, 2, NULL, 0, NULL,
                                      &error), >, 0);
    }
  during = spot_answered (22);
  g_assert_cmpint (lk_lab_submit_spot (lab, u2, during, 0, session, 1, 2, NULL, 0, &error), >,
                   0);
  g_assert_no_error (error);
  phase = lab_test_admin ("spotphase", "SELECT q.phase FROM answer a JOIN query q ON "
                          "q.id = a.query ORDER BY a.id DESC LIMIT 1");
  g_assert_cmpstr (phase, ==, "1");

  /* No embedding before the first phase is stored. */
  g_assert_null (lk_lab_get_embedding (lab, 0, &version, &n_items, &dim, &error));
  g_assert_no_error (error);
  g_assert_true (lk_lab_try_refiner (lab, &holder, &error));
  g_assert_true (holder);
  g_assert_true (lk_lab_refine (lab, &stored, &error));
  g_assert_no_error (error);
  g_assert_true (stored);
  g_assert_cmpuint (lab_test_count ("spotphase", "SELECT count(*) FROM phase"), ==, 1);
  embedding = lk_lab_get_embedding (lab, 0, &version, &n_items, &dim, &error);
  g_assert_no_error (error);
  g_assert_nonnull (embedding);
  g_assert_cmpuint (version, ==, 1);
  g_assert_cmpuint (n_items, ==, 24);
  g_assert_cmpuint (g_bytes_get_size (embedding), ==, (gsize) n_items * dim * sizeof (double));
  g_assert_null (lk_lab_get_embedding (lab, 1, &version, &n_items, &dim, &error));
  g_assert_cmpuint (lab_test_pull_and_replay (lab), ==, 1);
}

/* A grid handed to a crowd batch is never claimed by a station. */
static void
test_claim_skips_crowd (void)
{
  g_autofree char *conninfo = lab_test_study ("crowdskip");
  g_autofree char *first = lab_test_admin ("crowdskip", "SELECT min(id) FROM query WHERE "
                                           "state = 'pending'");
  g_autofree char *batch = NULL;
  g_autoptr(LkLab) lab = NULL;
  g_autoptr(GError) error = NULL;
  guint64 pending = lab_test_count ("crowdskip", "SELECT count(*) FROM query WHERE "
                                    "state = 'pending'");
  gint64 session;
  guint claimed = 0;

  batch = g_strdup_printf ("INSERT INTO crowd_batch VALUES (1, 'toloka', 'now', 'x', 1); "
                           "INSERT INTO crowd_grid VALUES ('g1', 1, %s)", first);
  g_free (lab_test_admin ("crowdskip", batch));
  lab = lab_test_station (conninfo, "C1", &session);
  for (;;)
    {
      g_auto(LkLabClaim) claim = { 0 };

      g_assert_true (lk_lab_claim (lab, session, 120, &claim, &error));
      g_assert_no_error (error);
      if (claim.query == 0)
        break;
      g_assert_cmpint (claim.query, !=, g_ascii_strtoll (first, NULL, 10));
      claimed++;
    }
  g_assert_cmpuint (claimed, ==, pending - 1);
}

/* Spot draws on a hand-worked embedding: two groups of three on a line, nq 3 and k 2, so a
 * grid is always one whole group (an image's two nearest neighbours are the rest of its
 * group); the same seed gives the same grid, and both groups come up over 40 seeds. */
static void
test_draw_spot (void)
{
  const double line[6] = { 0, 1, 2, 10, 11, 12 };
  gboolean seen_low = FALSE, seen_high = FALSE;

  for (guint64 seed = 0; seed < 40; seed++)
    {
      guint g[3], again[3], sorted[3];

      lk_lab_draw_spot (line, 6, 1, 3, 2, seed, g);
      lk_lab_draw_spot (line, 6, 1, 3, 2, seed, again);
      g_assert_cmpmem (g, sizeof g, again, sizeof again);
      memcpy (sorted, g, sizeof g);
      for (guint i = 0; i < 3; i++)
        for (guint j = i + 1; j < 3; j++)
          if (sorted[j] < sorted[i])
            {
              guint t = sorted[i];

              sorted[i] = sorted[j];
              sorted[j] = t;
            }
      if (sorted[0] == 0)
        {
          g_assert_true (sorted[1] == 1 && sorted[2] == 2);
          seen_low = TRUE;
        }
      else
        {
          g_assert_true (sorted[0] == 3 && sorted[1] == 4 && sorted[2] == 5);
          seen_high = TRUE;
        }
    }
  g_assert_true (seen_low && seen_high);

  /* Without an embedding: distinct images, at random. */
  {
    guint g[6];

    lk_lab_draw_spot (NULL, 24, 0, 6, 10, 5, g);
    for (guint i = 0; i < 6; i++)
      {
        g_assert_cmpuint (g[i], <, 24);
        for (guint j = 0; j < i; j++)
          g_assert_cmpuint (g[i], !=, g[j]);
      }
  }
}

/* A torn last line (a crash while appending) and a damaged line are set aside in PATH.damaged
 * and named; the journal is rewritten without them, so an answer added afterwards is not
 * appended to the torn line (it used to be, and the next open dropped both). */
static void
test_torn_journal (void)
{
  g_autofree char *dir = lk_test_tmpdir ("lk-lab-journal-torn-XXXXXX");
  g_autofree char *path = g_build_filename (dir, "j.jsonl", NULL);
  g_autofree char *aside_path = g_strconcat (path, ".damaged", NULL);
  g_autoptr(LkLabJournal) journal = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL, *torn = NULL, *damaged = NULL, *aside = NULL, *now = NULL;
  LkLabJournalEntry e = entry_for (spot_answered (3), "P", 0, 0, 0, NULL);
  LkLabJournalEntry f = entry_for (spot_answered (4), "P", 0, 0, 0, NULL);

  journal = lk_lab_journal_open (path, &error);
  g_assert_true (lk_lab_journal_add (journal, &e, &error));
  g_assert_no_error (error);
  g_assert_null (lk_lab_journal_get_problems (journal));
  g_clear_pointer (&journal, lk_lab_journal_free);
  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));

  torn = g_strconcat (text, "{\"client_uuid\": \"12", NULL);
  g_assert_true (g_file_set_contents (path, torn, -1, NULL));
  g_test_expect_message ("lk-lab", G_LOG_LEVEL_WARNING, "*line 2 is cut short*");
  journal = lk_lab_journal_open (path, &error);
  g_test_assert_expected_messages ();
  g_assert_no_error (error);
  g_assert_cmpuint (lk_lab_journal_get_length (journal), ==, 1);
  g_assert_nonnull (strstr (lk_lab_journal_get_problems (journal), "line 2 is cut short"));
  g_assert_true (g_file_get_contents (aside_path, &aside, NULL, NULL));
  g_assert_cmpstr (aside, ==, "{\"client_uuid\": \"12\n");
  g_clear_pointer (&aside, g_free);
  /* The next answer goes on a line of its own, and both are read back. */
  g_assert_true (lk_lab_journal_add (journal, &f, &error));
  g_assert_no_error (error);
  g_clear_pointer (&journal, lk_lab_journal_free);
  journal = lk_lab_journal_open (path, &error);
  g_assert_no_error (error);
  g_assert_null (lk_lab_journal_get_problems (journal));
  g_assert_cmpuint (lk_lab_journal_get_length (journal), ==, 2);
  g_assert_cmpstr (lk_lab_journal_get_entry (journal, 1)->client_uuid, ==, f.client_uuid);
  g_clear_pointer (&journal, lk_lab_journal_free);

  /* A block of zeros between two answers (what a crash can leave): that line is set aside,
   * and the answer after it is still read. */
  {
    g_autofree char *both = NULL;
    g_autoptr(GString) zeros = g_string_new (text);
    gsize length;

    g_assert_true (g_file_get_contents (path, &both, NULL, NULL));
    g_assert_true (g_str_has_prefix (both, text));
    g_string_append_len (zeros, "\0\0\0\0\n", 5);
    g_string_append (zeros, both + strlen (text));
    g_assert_true (g_file_set_contents (path, zeros->str, (gssize) zeros->len, NULL));
    g_unlink (aside_path);
    g_test_expect_message ("lk-lab", G_LOG_LEVEL_WARNING, "*line 2 is damaged (it holds NUL*");
    journal = lk_lab_journal_open (path, &error);
    g_test_assert_expected_messages ();
    g_assert_no_error (error);
    g_assert_cmpuint (lk_lab_journal_get_length (journal), ==, 2);
    g_assert_cmpstr (lk_lab_journal_get_entry (journal, 1)->client_uuid, ==, f.client_uuid);
    g_assert_true (g_file_get_contents (aside_path, &aside, &length, NULL));
    g_assert_cmpmem (aside, length, "\0\0\0\0\n", 5);
    g_clear_pointer (&aside, g_free);
    g_clear_pointer (&journal, lk_lab_journal_free);
  }

  /* A damaged line before a good one: named, set aside, the good one kept. */
  damaged = g_strconcat ("{\"client_uuid\": \"12\n", text, NULL);
  g_assert_true (g_file_set_contents (path, damaged, -1, NULL));
  g_unlink (aside_path);
  g_test_expect_message ("lk-lab", G_LOG_LEVEL_WARNING, "*line 1 is damaged (it is not JSON*");
  journal = lk_lab_journal_open (path, &error);
  g_test_assert_expected_messages ();
  g_assert_no_error (error);
  g_assert_cmpuint (lk_lab_journal_get_length (journal), ==, 1);
  g_assert_cmpstr (lk_lab_journal_get_entry (journal, 0)->client_uuid, ==, e.client_uuid);
  g_assert_true (g_file_get_contents (aside_path, &aside, NULL, NULL));
  g_assert_cmpstr (aside, ==, "{\"client_uuid\": \"12\n");
  g_assert_true (g_file_get_contents (path, &now, NULL, NULL));
  g_assert_cmpstr (now, ==, text);

  entry_clear (&e);
  entry_clear (&f);
  lk_test_rmdir (dir);
}

/* A line written by lk_lab_journal_add() as of commit 90e80db, before trials were journaled
 * (no "kind"): a participant's answer to a grid drawn on the spot, made offline. */
static const char old_line[] =
  "{\"client_uuid\":\"0d3f6c2e-5b1a-4c8e-9f27-6a4b2c1d8e90\",\"query\":0,\"phase\":0,"
  "\"lease_token\":null,\"participant\":\"P-OLD\",\"pilot\":false,\"session\":0,\"nc\":4,"
  "\"shown_us\":1796680000000000,\"submitted_us\":1796680012500000,"
  "\"items\":[3,17,8,22,0,11],\"bins\":[0,1,2,0,3,1],"
  "\"moves\":[[3,-1,0,640],[17,-1,1,910]]}";

/* An answered trial of @kind (taken by the entry). */
static LkTrial *
trial_answered (LkTaskKind kind,
                guint      first,
                gint       choice)
{
  guint items[LK_CHOICE5_N_ITEMS];
  guint n = kind == LK_TASK_TRIPLET ? LK_TRIPLET_N_ITEMS : LK_CHOICE5_N_ITEMS;
  LkTrial *trial;

  for (guint i = 0; i < n; i++)
    items[i] = (first + 5 * i) % 24;
  trial = lk_trial_new (kind, items, n);
  trial->choice = choice;
  trial->swapped = kind == LK_TASK_TRIPLET && choice == LK_TRIPLET_ANSWER_B_CLOSER;

  return trial;
}

static LkLabJournalEntry
trial_entry_for (LkTrial     *trial,
                 const char  *participant,
                 gint64       session,
                 guint        block)
{
  return (LkLabJournalEntry) {
    .client_uuid = g_uuid_string_random (),
    .participant = g_strdup (participant),
    .session = session,
    .shown_us = g_get_real_time () - 3 * G_USEC_PER_SEC,
    .submitted_us = g_get_real_time (),
    .trial = trial,
    .block = block,
  };
}

static void
trial_entry_clear (LkLabJournalEntry *e)
{
  entry_clear (e);
  g_clear_pointer (&e->trial, lk_trial_free);
}

/* The server's answer id of @uuid (0 when it has none). */
static gint64
answer_id (const char *db,
           const char *uuid)
{
  g_autofree char *sql = g_strdup_printf ("SELECT coalesce(max(id), 0) FROM answer WHERE "
                                          "client_uuid = '%s'", uuid);

  return (gint64) lab_test_count (db, sql);
}

/* Trials share the journal with sorted grids: journaled while the server is stopped (one of
 * them already stored, its acknowledgement lost; one from a participant who began offline),
 * read back after a crash-style reopen, flushed once the server is back, in the order given,
 * each once; a second flush adds nothing. */
static void
test_offline_trials (void)
{
  g_autofree char *conninfo = lab_test_study ("trials");
  g_autofree char *dir = lk_test_tmpdir ("lk-lab-journal-trials-XXXXXX");
  g_autofree char *path = g_build_filename (dir, "T1.jsonl", NULL);
  g_autoptr(LkLabJournal) journal = NULL;
  g_autoptr(LkLab) lab = NULL;
  g_autoptr(GError) error = NULL;
  LkLabJournalEntry e[5];
  gint64 session, stored, previous = 0;
  guint flushed = 0;

  lab = lab_test_station (conninfo, "T1", &session);
  journal = lk_lab_journal_open (path, &error);
  g_assert_no_error (error);

  e[0] = entry_for (spot_answered (31), "P-T1", session, 0, 0, NULL);
  e[1] = trial_entry_for (trial_answered (LK_TASK_TRIPLET, 1, LK_TRIPLET_ANSWER_A_CLOSER),
                          "P-T1", session, 1);
  e[2] = trial_entry_for (trial_answered (LK_TASK_TRIPLET, 2, LK_TRIPLET_ANSWER_B_CLOSER),
                          "P-T1", session, 1);
  e[3] = entry_for (spot_answered (32), "P-T1", session, 0, 0, NULL);
  e[4] = trial_entry_for (trial_answered (LK_TASK_CHOICE5, 3, 4), "P-T2", 0, 2);

  /* e[2]: journaled and stored, the acknowledgement lost. */
  g_assert_true (lk_lab_journal_add (journal, &e[2], &error));
  stored = lk_lab_submit_trial (lab, e[2].client_uuid, e[2].trial, e[2].block, session,
                                e[2].shown_us, e[2].submitted_us, &error);
  g_assert_no_error (error);
  g_assert_cmpint (stored, >, 0);

  /* The server goes away; the rest is journaled (e[2] again: kept once). */
  lab_test_server_stop ();
  g_assert_cmpint (lk_lab_submit_trial (lab, e[1].client_uuid, e[1].trial, e[1].block, session,
                                        e[1].shown_us, e[1].submitted_us, &error), ==, 0);
  g_assert_error (error, LK_LAB_ERROR, LK_LAB_ERROR_CONNECTION_LOST);
  g_clear_error (&error);
  for (guint i = 0; i < 5; i++)
    g_assert_true (lk_lab_journal_add (journal, &e[i], &error));
  g_assert_no_error (error);
  g_assert_cmpuint (lk_lab_journal_get_length (journal), ==, 5);
  g_assert_cmpuint (lk_lab_journal_count_trials (journal, "P-T1"), ==, 2);
  g_assert_cmpuint (lk_lab_journal_count_trials (journal, "P-T2"), ==, 1);

  /* The station "crashes": everything is read back from the file, trials whole. */
  g_clear_pointer (&journal, lk_lab_journal_free);
  journal = lk_lab_journal_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (lk_lab_journal_get_length (journal), ==, 5);
  {
    const LkLabJournalEntry *t = lk_lab_journal_get_entry (journal, 0);

    g_assert_cmpstr (t->client_uuid, ==, e[2].client_uuid);
    g_assert_null (t->answer);
    g_assert_nonnull (t->trial);
    g_assert_cmpint (t->trial->kind, ==, LK_TASK_TRIPLET);
    g_assert_cmpmem (t->trial->items, 3 * sizeof (guint), e[2].trial->items,
                     3 * sizeof (guint));
    g_assert_cmpint (t->trial->choice, ==, LK_TRIPLET_ANSWER_B_CLOSER);
    g_assert_true (t->trial->swapped);
    g_assert_cmpuint (t->block, ==, 1);
    g_assert_cmpint (t->shown_us, ==, e[2].shown_us);
    t = lk_lab_journal_get_entry (journal, 4);
    g_assert_cmpint (t->trial->kind, ==, LK_TASK_CHOICE5);
    g_assert_cmpint (t->trial->choice, ==, 4);
    g_assert_cmpuint (t->block, ==, 2);
    g_assert_nonnull (lk_lab_journal_get_entry (journal, 1)->answer);
    g_assert_null (lk_lab_journal_get_entry (journal, 1)->trial);
  }

  lab_test_server_start ();
  g_assert_true (lk_lab_reconnect (lab, &error));
  g_assert_no_error (error);
  g_assert_true (lk_lab_journal_flush (journal, lab, &flushed, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (flushed, ==, 5);
  g_assert_cmpuint (lk_lab_journal_get_length (journal), ==, 0);

  /* Each once; the one stored before keeps its id; the others in the order given. */
  for (guint i = 0; i < 5; i++)
    g_assert_cmpuint (count_uuid ("trials", e[i].client_uuid), ==, 1);
  g_assert_cmpint (answer_id ("trials", e[2].client_uuid), ==, stored);
  for (guint i = 0; i < 5; i++)
    if (i != 2)
      {
        gint64 id = answer_id ("trials", e[i].client_uuid);

        g_assert_cmpint (id, >, previous);
        previous = id;
      }
  g_assert_cmpuint (lab_test_count ("trials", "SELECT count(*) FROM answer"), ==, 5);
  g_assert_cmpuint (lab_test_count ("trials", "SELECT count(*) FROM answer a JOIN query q ON "
                                    "q.id = a.query JOIN trial t ON t.query = q.id JOIN "
                                    "participant p ON p.id = a.participant WHERE "
                                    "q.kind = 'triplet' AND t.block = 1 AND p.code = 'P-T1' "
                                    "AND a.station = 'T1'"), ==, 2);
  g_assert_cmpuint (lab_test_count ("trials", "SELECT count(*) FROM answer a JOIN query q ON "
                                    "q.id = a.query JOIN trial t ON t.query = q.id JOIN "
                                    "participant p ON p.id = a.participant WHERE "
                                    "q.kind = 'choice5' AND t.block = 2 AND a.choice = 4 AND "
                                    "p.code = 'P-T2' AND a.session IS NOT NULL"), ==, 1);
  {
    g_autofree char *sides = lab_test_admin ("trials", "SELECT string_agg(t.swapped::text || "
                                             "':' || a.choice::text, ',' ORDER BY a.id) FROM "
                                             "answer a JOIN trial t ON t.query = a.query "
                                             "WHERE a.query IN (SELECT id FROM query "
                                             "WHERE kind = 'triplet')");
    g_autofree char *expected = g_strdup_printf ("1:%d,0:%d", LK_TRIPLET_ANSWER_B_CLOSER,
                                                 LK_TRIPLET_ANSWER_A_CLOSER);

    g_assert_cmpstr (sides, ==, expected);
  }

  /* The journal's rewrite undone by a crash: a flush again stores nothing new. */
  for (guint i = 0; i < 5; i++)
    g_assert_true (lk_lab_journal_add (journal, &e[i], &error));
  g_assert_true (lk_lab_journal_flush (journal, lab, &flushed, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (lab_test_count ("trials", "SELECT count(*) FROM answer"), ==, 5);
  g_assert_cmpuint (lab_test_count ("trials", "SELECT count(*) FROM trial"), ==, 3);

  for (guint i = 0; i < 5; i++)
    trial_entry_clear (&e[i]);
  g_clear_pointer (&journal, lk_lab_journal_free);
  lk_test_rmdir (dir);
}

/* A journal written before trials were journaled, with a damaged line and a trial after it:
 * the old line is read as the sorted grid it is, the damaged one named and set aside, and
 * both answers reach the server. */
static void
test_old_journal (void)
{
  g_autofree char *conninfo = lab_test_study ("oldjournal");
  g_autofree char *dir = lk_test_tmpdir ("lk-lab-journal-old-XXXXXX");
  g_autofree char *path = g_build_filename (dir, "O1.jsonl", NULL);
  g_autofree char *aside_path = g_strconcat (path, ".damaged", NULL);
  g_autofree char *aside = NULL, *text = NULL;
  g_autoptr(LkLabJournal) journal = NULL;
  g_autoptr(LkLab) lab = NULL;
  g_autoptr(GError) error = NULL;
  LkLabJournalEntry t = trial_entry_for (trial_answered (LK_TASK_TRIPLET, 7,
                                                         LK_TRIPLET_ANSWER_BOTH_SIMILAR),
                                         "P-OLD", 0, 1);
  const char *bad_line = "{\"client_uuid\":\"4a1f0c77-2d35-4e09-b1a8-93c5e6f2d104\","
                         "\"kind\":\"triplet\",\"participant\":\"P-OLD\",\"items\":[1,2],"
                         "\"choice\":3}";
  const LkLabJournalEntry *old;
  gint64 session;
  guint flushed = 0;

  /* The trial's line, as this build writes it. */
  journal = lk_lab_journal_open (path, &error);
  g_assert_true (lk_lab_journal_add (journal, &t, &error));
  g_assert_no_error (error);
  g_clear_pointer (&journal, lk_lab_journal_free);
  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  {
    g_autofree char *mixed = g_strconcat (old_line, "\n", bad_line, "\n", text, NULL);

    g_assert_true (g_file_set_contents (path, mixed, -1, NULL));
  }

  g_test_expect_message ("lk-lab", G_LOG_LEVEL_WARNING,
                         "*line 2 is damaged (A triplet trial shows *images*");
  journal = lk_lab_journal_open (path, &error);
  g_test_assert_expected_messages ();
  g_assert_no_error (error);
  g_assert_cmpuint (lk_lab_journal_get_length (journal), ==, 2);
  g_assert_true (g_file_get_contents (aside_path, &aside, NULL, NULL));
  g_assert_true (g_str_has_prefix (aside, bad_line));
  old = lk_lab_journal_get_entry (journal, 0);
  g_assert_cmpstr (old->client_uuid, ==, "0d3f6c2e-5b1a-4c8e-9f27-6a4b2c1d8e90");
  g_assert_null (old->trial);
  g_assert_cmpstr (old->participant, ==, "P-OLD");
  g_assert_cmpuint (lk_query_get_n_items (old->answer), ==, 6);
  g_assert_cmpint (lk_query_get_bin (old->answer, 4), ==, 3);
  g_assert_cmpuint (old->n_moves, ==, 2);
  g_assert_cmpuint (old->moves[1].ms, ==, 910);
  g_assert_nonnull (lk_lab_journal_get_entry (journal, 1)->trial);

  g_clear_pointer (&lab, lk_lab_close);
  lab = lab_test_station (conninfo, "O1", &session);
  g_assert_true (lk_lab_journal_flush (journal, lab, &flushed, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (flushed, ==, 2);
  g_assert_cmpuint (count_uuid ("oldjournal", "0d3f6c2e-5b1a-4c8e-9f27-6a4b2c1d8e90"), ==, 1);
  g_assert_cmpuint (count_uuid ("oldjournal", t.client_uuid), ==, 1);
  g_assert_cmpuint (lab_test_count ("oldjournal", "SELECT count(*) FROM answer_move m JOIN "
                                    "answer a ON a.id = m.answer JOIN participant p ON "
                                    "p.id = a.participant WHERE p.code = 'P-OLD'"), ==, 2);
  /* The damaged line stays where it was set aside, for a person to look at. */
  g_assert_true (g_file_test (aside_path, G_FILE_TEST_EXISTS));

  trial_entry_clear (&t);
  g_clear_pointer (&journal, lk_lab_journal_free);
  lk_test_rmdir (dir);
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *dir = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);

  dir = lab_test_make_study ("lk-lab-journal-XXXXXX");

  g_test_add_func ("/lab/spot-draw", test_draw_spot);
  g_test_add_func ("/lab/journal-torn", test_torn_journal);
  g_test_add_func ("/lab/claim-skips-crowd", test_claim_skips_crowd);
  g_test_add_func ("/lab/spot-phase", test_spot_phase);
  g_test_add_func ("/lab/offline-flush", test_offline_flush);
  g_test_add_func ("/lab/journal-trials", test_offline_trials);
  g_test_add_func ("/lab/journal-old-format", test_old_journal);
  status = g_test_run ();

  lab_test_remove_study (dir);
  return status;
}
