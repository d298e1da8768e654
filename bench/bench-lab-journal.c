/* bench-lab-journal.c — what a lab station's journal costs per answer (no server needed)
 *
 * A station writes each answer to its journal, fsynced, before it submits it, and takes it
 * out (the file rewritten and renamed over, fsynced) once the server confirmed it; offline,
 * the journal grows by one answer per grid or trial. This times lk_lab_journal_add() and
 * lk_lab_journal_remove() for answers of a 20-image grid with 30 moves, then for triplet
 * trials, the journal holding 0 or --backlog answers (an offline stretch: grids, or trials),
 * in a temporary folder under TMPDIR (the fsyncs go to that file system), and prints medians
 * and p99s; and the time to open (read back) a journal of --backlog answers of each kind.
 *
 *   _build/bench/bench-lab-journal [--rounds 200] [--backlog 100]
 *
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <stdio.h>

#include "bench-clock.h"
#include "lk-lab-journal.h"

static LkLabJournalEntry
make_entry (GRand *rand)
{
  static LkMove moves[30];
  guint items[20];
  gint bins[20];
  LkLabJournalEntry e;

  for (guint i = 0; i < 20; i++)
    {
      items[i] = i * 7 + (guint) g_rand_int_range (rand, 0, 7);
      bins[i] = g_rand_int_range (rand, 0, 4);
    }
  for (guint i = 0; i < G_N_ELEMENTS (moves); i++)
    moves[i] = (LkMove) { .item = i % 20, .from = -1, .to = (gint) (i % 4), .ms = 400 + i };
  e = (LkLabJournalEntry) {
    .client_uuid = g_uuid_string_random (),
    .query = 1000 + g_rand_int_range (rand, 0, 1000),
    .phase = 2,
    .lease_token = g_uuid_string_random (),
    .participant = g_strdup ("P-BENCH"),
    .session = 7,
    .nc = 4,
    .answer = lk_query_new (items, 20),
    .shown_us = g_get_real_time (),
    .submitted_us = g_get_real_time () + 30 * G_USEC_PER_SEC,
    .moves = moves,
    .n_moves = G_N_ELEMENTS (moves),
  };
  g_assert_true (lk_query_set_answer (e.answer, bins, 4, NULL));

  return e;
}

/* A triplet trial, answered. */
static LkLabJournalEntry
make_trial_entry (GRand *rand)
{
  guint items[3];
  LkTrial *trial;

  for (guint i = 0; i < 3; i++)
    items[i] = i * 50 + (guint) g_rand_int_range (rand, 0, 50);
  trial = lk_trial_new (LK_TASK_TRIPLET, items, 3);
  trial->choice = g_rand_int_range (rand, 1, 5);
  trial->swapped = g_rand_boolean (rand);

  return (LkLabJournalEntry) {
    .client_uuid = g_uuid_string_random (),
    .participant = g_strdup ("P-BENCH"),
    .session = 7,
    .shown_us = g_get_real_time (),
    .submitted_us = g_get_real_time () + 4 * G_USEC_PER_SEC,
    .trial = trial,
    .block = 1,
  };
}

static void
clear_entry (LkLabJournalEntry *e)
{
  g_free (e->client_uuid);
  g_free (e->lease_token);
  g_free (e->participant);
  g_clear_pointer (&e->answer, lk_query_free);
  g_clear_pointer (&e->trial, lk_trial_free);
}

typedef LkLabJournalEntry (*MakeEntry) (GRand *rand);

/* Times @rounds add + remove pairs of @make's answers with @backlog of them already in the
 * journal; with a backlog, also opening it @rounds times. */
static void
run (const char *dir,
     const char *what,
     MakeEntry   make,
     guint       rounds,
     guint       backlog)
{
  g_autofree char *path = g_build_filename (dir, "station.jsonl", NULL);
  g_autoptr(LkLabJournal) journal = lk_lab_journal_open (path, NULL);
  g_autoptr(GArray) add_us = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) remove_us = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) open_us = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GRand) rand = g_rand_new_with_seed (1);

  g_assert_nonnull (journal);
  for (guint i = 0; i < backlog; i++)
    {
      LkLabJournalEntry e = make (rand);

      g_assert_true (lk_lab_journal_add (journal, &e, NULL));
      clear_entry (&e);
    }
  for (guint r = 0; r < rounds; r++)
    {
      LkLabJournalEntry e = make (rand);
      gint64 t0 = g_get_monotonic_time (), t1, t2;

      g_assert_true (lk_lab_journal_add (journal, &e, NULL));
      t1 = g_get_monotonic_time ();
      g_assert_true (lk_lab_journal_remove (journal, e.client_uuid, NULL));
      t2 = g_get_monotonic_time ();
      g_array_append_vals (add_us, (gint64[]) { t1 - t0 }, 1);
      g_array_append_vals (remove_us, (gint64[]) { t2 - t1 }, 1);
      clear_entry (&e);
    }
  printf ("%-7s backlog %4u: add (append + fsync) median %.2f ms p99 %.2f ms; "
          "remove (rewrite + fsync + rename) median %.2f ms p99 %.2f ms\n", what, backlog,
          bench_percentile_ms (add_us, 0.5), bench_percentile_ms (add_us, 0.99),
          bench_percentile_ms (remove_us, 0.5), bench_percentile_ms (remove_us, 0.99));
  g_clear_pointer (&journal, lk_lab_journal_free);
  if (backlog > 0)
    {
      for (guint r = 0; r < rounds; r++)
        {
          gint64 t0 = g_get_monotonic_time ();

          journal = lk_lab_journal_open (path, NULL);
          g_array_append_vals (open_us, (gint64[]) { g_get_monotonic_time () - t0 }, 1);
          g_assert_nonnull (journal);
          g_assert_cmpuint (lk_lab_journal_get_length (journal), ==, backlog);
          g_clear_pointer (&journal, lk_lab_journal_free);
        }
      printf ("%-7s backlog %4u: open (read back) median %.2f ms p99 %.2f ms\n", what, backlog,
              bench_percentile_ms (open_us, 0.5), bench_percentile_ms (open_us, 0.99));
    }
  g_unlink (path);
}

int
main (int    argc,
      char **argv)
{
  guint rounds = 200, backlog = 100;
  const GOptionEntry entries[] = {
    { "rounds", 0, 0, G_OPTION_ARG_INT, &rounds, "add/remove pairs timed", "N" },
    { "backlog", 0, 0, G_OPTION_ARG_INT, &backlog, "answers already journaled", "N" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      fprintf (stderr, "%s\n", error->message);
      return 2;
    }
  dir = g_dir_make_tmp ("lk-bench-journal-XXXXXX", &error);
  if (dir == NULL)
    {
      fprintf (stderr, "%s\n", error->message);
      return 1;
    }
  printf ("journal in %s, %u rounds\n", dir, rounds);
  run (dir, "grid", make_entry, rounds, 0);
  run (dir, "grid", make_entry, rounds, backlog);
  run (dir, "triplet", make_trial_entry, rounds, 0);
  run (dir, "triplet", make_trial_entry, rounds, backlog);
  g_rmdir (dir);

  return 0;
}
