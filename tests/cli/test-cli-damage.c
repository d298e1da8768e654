/* test-cli-damage.c — likeness-cli on study files damaged by hand:
 * values the code cannot use, written with SQLite behind the study's back, and a FIFO named
 * like a study. `check` must name the row, and every other command must refuse the file with
 * status 1 and a message, never by a signal and never by spinning (each run is bounded by
 * timeout(1) with SIGKILL, which the test reports as a failure).
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <glib/gstdio.h>
#include <gdk-pixbuf/gdk-pixbuf.h>
#include <sqlite3.h>

#include "cli-test-utils.h"
#include "tests/lk-test-utils.h"

typedef CliFixture Fixture;

typedef struct {
  char *out;
  char *err;
  int   status;   /* exit status, or -1 when killed by a signal (the time bound included) */
} Run;

static void
run_clear (Run *r)
{
  g_clear_pointer (&r->out, g_free);
  g_clear_pointer (&r->err, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, run_clear)

/* Runs likeness-cli with the arguments of @args (NULL-terminated), killed after 60 s. */
static void
run_cli (Run         *r,
         const char **args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  int wait_status = 0;

  run_clear (r);
  g_ptr_array_add (argv, (gpointer) "timeout");
  g_ptr_array_add (argv, (gpointer) "--signal=KILL");
  g_ptr_array_add (argv, (gpointer) "60");
  g_ptr_array_add (argv, (gpointer) g_getenv ("LIKENESS_CLI"));
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  g_assert_true (g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                               &r->out, &r->err, &wait_status, &error));
  g_assert_no_error (error);
  /* timeout(1) exits with 128 + 9 when it had to kill; a crash of the CLI is 128 + signal. */
  r->status = WIFEXITED (wait_status) && WEXITSTATUS (wait_status) < 128
              ? WEXITSTATUS (wait_status) : -1;
}

/* A study with its first phase done, a second under way and one judging round. */
static void
make_study (Fixture *f)
{
  g_auto(Run) r = { 0 };

  run_cli (&r, (const char *[]) { "create", f->study, "--images", f->images, "--budget", "40",
                                  "--phases", "2", "--nq", "8", "--nc", "3", "--k", "8",
                                  "--seed", "2385", NULL });
  g_assert_cmpint (r.status, ==, 0);
  run_cli (&r, (const char *[]) { "answer", f->study, "--count", "25", NULL });
  g_assert_cmpint (r.status, ==, 0);
  run_cli (&r, (const char *[]) { "judge", f->study, "--judge", "J1", "--seeds", "3", NULL });
  g_assert_cmpint (r.status, ==, 0);
  run_cli (&r, (const char *[]) { "check", f->study, NULL });
  g_assert_cmpint (r.status, ==, 0);
}

/* Copies the study to f->damaged and runs @sql on the copy, as a person with the sqlite3 shell
 * would: no foreign keys, CHECK constraints ignored. */
static void
damage (Fixture    *f,
        const char *sql)
{
  g_autofree char *contents = NULL;
  sqlite3 *db = NULL;
  char *message = NULL;
  gsize len = 0;

  g_assert_true (g_file_get_contents (f->study, &contents, &len, NULL));
  g_assert_true (g_file_set_contents (f->damaged, contents, len, NULL));
  g_assert_cmpint (sqlite3_open (f->damaged, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "PRAGMA ignore_check_constraints = ON;", NULL, NULL, NULL),
                   ==, SQLITE_OK);
  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", sql, message);
  g_assert_cmpint (sqlite3_close (db), ==, SQLITE_OK);
}

/* Every command that reads or writes a study, on @path. */
static const char *const *commands[] = {
  (const char *[]) { "check", NULL },
  (const char *[]) { "info", NULL },
  (const char *[]) { "info", "--json", NULL },
  (const char *[]) { "answer", "--count", "3", NULL },
  (const char *[]) { "export", "--answers", "-", NULL },
  (const char *[]) { "export", "--pairs", "-", NULL },
  (const char *[]) { "export", "--json", "-", NULL },
  (const char *[]) { "export", "--embedding", "-", NULL },
  (const char *[]) { "export", "--knn", "-", NULL },
  (const char *[]) { "export", "--neighbours", "-", NULL },
  (const char *[]) { "export", "--judgements-json", "-", NULL },
  (const char *[]) { "judge", "--judge", "J2", "--seeds", "2", NULL },
};

/* Runs commands[@c] on f->damaged. */
static void
run_command (Fixture *f,
             guint    c,
             Run     *r)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();

  g_ptr_array_add (args, (gpointer) commands[c][0]);
  g_ptr_array_add (args, f->damaged);
  for (guint i = 1; commands[c][i] != NULL; i++)
    g_ptr_array_add (args, (gpointer) commands[c][i]);
  g_ptr_array_add (args, NULL);
  run_cli (r, (const char **) args->pdata);
}

/* Runs every command on f->damaged; each must end with status 1 and a message on stderr
 * containing @needle (the row), within the time bound. */
static void
assert_refused (Fixture    *f,
                const char *needle)
{
  for (guint c = 0; c < G_N_ELEMENTS (commands); c++)
    {
      g_auto(Run) r = { 0 };

      run_command (f, c, &r);
      if (r.status != 1 || strstr (r.err, needle) == NULL)
        g_error ("%s on a study with '%s': status %d, stdout '%.200s', stderr '%.300s'",
                 commands[c][0], needle, r.status, r.out, r.err);
    }
}

/* Runs every command on f->damaged; each must end with status 0, or 1 with a message, within
 * the time bound. Returns how many exited 0. */
static guint
assert_no_crash (Fixture *f)
{
  guint ok = 0;

  for (guint c = 0; c < G_N_ELEMENTS (commands); c++)
    {
      g_auto(Run) r = { 0 };

      run_command (f, c, &r);
      if (r.status == 0)
        ok++;
      else if (r.status != 1 || r.err[0] == '\0')
        g_error ("%s: status %d, stderr '%.300s'", commands[c][0], r.status, r.err);
    }

  return ok;
}

static const struct {
  const char *sql;
  const char *needle;
  gboolean    check_only;   /* wrong results, not a crash: check names it, commands may run */
} damages[] = {
  /* 6: a state no code knows */
  { "UPDATE query SET state = 'weird' WHERE id = 3", "query 3: state 'weird'" },
  /* 7: absurd judging k, ids the core cannot index, ids that are not ids */
  { "UPDATE judging_round SET k = 2147483647", "judging_round 1: k = 2147483647" },
  { "UPDATE judging_round SET k = -1", "judging_round 1: k = -1" },
  { "UPDATE image SET item = -1 WHERE item = 2", "image -1:" },
  { "UPDATE image SET item = 99 WHERE item = 2", "image 99:" },
  { "UPDATE session SET id = -1", "session -1:" },
  { "UPDATE participant SET id = 0", "participant 0:" },
  { "UPDATE answer_bin SET bin = 7 WHERE answer = 2 AND position = 1", "answer 2: bin 7" },
  { "UPDATE query_item SET item = (SELECT item FROM query_item WHERE query = 4 AND position = 0)"
    " WHERE query = 4 AND position = 1", "query 4: image", TRUE },
  /* 8: phases beyond the study's, and parameters that would spin */
  { "UPDATE query SET phase = 2147483648 WHERE id = (SELECT max(id) FROM query)",
    "phase 2147483648" },
  { "UPDATE phase SET phase = 7", "phase 7" },
  { "UPDATE param SET value = '-1' WHERE name = 'iterations'", "param iterations = -1" },
  { "UPDATE param SET value = '4294967295' WHERE name = 'iterations'",
    "param iterations = 4294967295" },
  { "UPDATE param SET value = 'many' WHERE name = 'nq'", "param nq = many" },
  { "UPDATE param SET value = '1e308' WHERE name = 'beta'", "param beta = 1e308" },
  /* 10: a thumbnail that is not a PNG at all: check names it; the commands that show it say
   * which image (test_thumbnail), the others need not read every thumbnail on opening */
  { "UPDATE thumbnail SET png = x'00' WHERE item = 3", "thumbnail 3:", TRUE },
};

static void
test_values (Fixture       *f,
             gconstpointer  data)
{
  make_study (f);
  for (guint i = 0; i < G_N_ELEMENTS (damages); i++)
    {
      g_auto(Run) r = { 0 };

      damage (f, damages[i].sql);
      /* check lists the row on standard output too. */
      run_cli (&r, (const char *[]) { "check", f->damaged, NULL });
      g_assert_cmpint (r.status, ==, 1);
      if (strstr (r.out, damages[i].needle) == NULL)
        g_error ("check on '%s' printed '%s'", damages[i].sql, r.out);
      if (damages[i].check_only)
        assert_no_crash (f);
      else
        assert_refused (f, damages[i].needle);
    }
}

/* 9: a FIFO named like a study is refused at once, not read. */
static void
test_fifo (Fixture       *f,
           gconstpointer  data)
{
  g_assert_cmpint (mkfifo (f->damaged, 0600), ==, 0);
  assert_refused (f, "Not a regular file");
}

/* The corruption fuzzer: seeded single-byte damage of the study file and single-field damage of
 * one of its rows, then every command on the result; each must end with status 0 or 1 (with a
 * message when 1) within the time bound, never by a signal. LIKENESS_FUZZ_TRIALS sets the
 * number of trials (default 12, a few seconds) and LIKENESS_FUZZ_SEED the seed (default 2385),
 * for a long run on demand:
 *   LIKENESS_FUZZ_TRIALS=500 meson test -C build test-cli-damage --test-args '-p /lk/cli/damage/fuzz'
 * The outcomes are counted in the test's log. */
static const char *const fuzz_values[] = {
  "-1", "0", "1", "2147483647", "2147483648", "-2147483649", "9223372036854775807",
  "-9223372036854775808", "1e308", "-0.0", "'x'", "''", "NULL", "x'00ff'", "'pending'",
  "'left_out'", "'answered'", "3.5",
};

static void
damage_field (Fixture *f,
              GRand   *rand)
{
  static const char *tables[] = { "query", "query_item", "answer", "answer_bin", "answer_move",
                                  "image", "phase", "param", "session", "participant",
                                  "judging_round", "judging_seed", "judging_shown", "thumbnail",
                                  "study", "setting", "feature" };
  const char *table = tables[g_rand_int_range (rand, 0, G_N_ELEMENTS (tables))];
  const char *value = fuzz_values[g_rand_int_range (rand, 0, G_N_ELEMENTS (fuzz_values))];
  g_autofree char *columns_sql = g_strdup_printf ("SELECT name FROM pragma_table_info('%s')",
                                                  table);
  g_autoptr(GPtrArray) columns = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *sql = NULL;
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_open (f->damaged, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, columns_sql, -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (columns, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  sqlite3_finalize (stmt);
  if (columns->len > 0)
    {
      const char *column = g_ptr_array_index (columns, g_rand_int_range (rand, 0, columns->len));

      /* The field's value in one row of the table, picked by its place (and so every row with
       * that value: WITHOUT ROWID tables have no rowid to pick one by); constraints off, as a
       * hand edit would be. */
      sql = g_strdup_printf ("PRAGMA ignore_check_constraints = ON;"
                             "UPDATE OR IGNORE \"%s\" SET \"%s\" = %s WHERE \"%s\" IS (SELECT"
                             " \"%s\" FROM \"%s\" LIMIT 1 OFFSET %d %% max(1, (SELECT count(*)"
                             " FROM \"%s\")))", table, column, value, column, column, table,
                             g_rand_int (rand) & 0xffff, table);
      g_test_message ("damage: %s.%s = %s", table, column, value);
      sqlite3_exec (db, sql, NULL, NULL, NULL);
    }
  g_assert_cmpint (sqlite3_close (db), ==, SQLITE_OK);
}

static void
damage_byte (Fixture *f,
             GRand   *rand)
{
  g_autofree char *contents = NULL;
  gsize len = 0, at;

  g_assert_true (g_file_get_contents (f->damaged, &contents, &len, NULL));
  at = g_rand_int_range (rand, 0, (gint32) len);
  g_test_message ("damage: byte %" G_GSIZE_FORMAT " of %" G_GSIZE_FORMAT, at, len);
  contents[at] ^= (char) g_rand_int_range (rand, 1, 256);
  g_assert_true (g_file_set_contents (f->damaged, contents, len, NULL));
}

static void
test_fuzz (Fixture       *f,
           gconstpointer  data)
{
  const char *trials_text = g_getenv ("LIKENESS_FUZZ_TRIALS");
  const char *seed_text = g_getenv ("LIKENESS_FUZZ_SEED");
  guint trials = trials_text != NULL ? (guint) g_ascii_strtoull (trials_text, NULL, 10) : 12;
  guint32 seed = seed_text != NULL ? (guint32) g_ascii_strtoull (seed_text, NULL, 10) : 2385;
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  guint ok = 0, refused = 0, n_ok;

  make_study (f);
  for (guint t = 0; t < trials; t++)
    {
      g_autofree char *contents = NULL;
      gsize len = 0;

      g_assert_true (g_file_get_contents (f->study, &contents, &len, NULL));
      g_assert_true (g_file_set_contents (f->damaged, contents, len, NULL));
      if (g_rand_boolean (rand))
        damage_byte (f, rand);
      else
        damage_field (f, rand);

      g_test_message ("trial %u (seed %u)", t, seed);
      n_ok = assert_no_crash (f);
      ok += n_ok;
      refused += G_N_ELEMENTS (commands) - n_ok;
      /* The next trial starts from the undamaged study; answer may have left a -wal. */
      {
        g_autofree char *wal = g_strconcat (f->damaged, "-wal", NULL);
        g_autofree char *shm = g_strconcat (f->damaged, "-shm", NULL);

        g_unlink (wal);
        g_unlink (shm);
      }
    }
  g_test_message ("%u trials (seed %u): %u runs exited 0, %u refused with a message, none by "
                  "a signal or the time bound", trials, seed, ok, refused);
}

/* 10: a thumbnail that starts like a PNG but does not decode: check names it, and answer, which
 * needs it, says which image and which study. */
static void
test_thumbnail (Fixture       *f,
                gconstpointer  data)
{
  g_auto(Run) r = { 0 };

  make_study (f);
  damage (f, "UPDATE thumbnail SET png = x'89504e470d0a1a0a0000000d49484452ffff' WHERE item = 3");
  run_cli (&r, (const char *[]) { "check", f->damaged, NULL });
  g_assert_cmpint (r.status, ==, 1);
  if (strstr (r.out, "thumbnail 3:") == NULL)
    g_error ("check printed: %s", r.out);
  run_cli (&r, (const char *[]) { "answer", f->damaged, "--count", "3", NULL });
  g_assert_cmpint (r.status, ==, 1);
  if (strstr (r.err, "image 3 (") == NULL || strstr (r.err, f->damaged) == NULL)
    g_error ("answer said: %s", r.err);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_bug ("14");

#define ADD(path, func) \
  g_test_add ("/lk/cli/damage/" path, Fixture, "lk-cli-damage-XXXXXX", cli_fixture_setup, func, \
              cli_fixture_teardown)
  ADD ("values", test_values);
  ADD ("thumbnail", test_thumbnail);
  ADD ("fifo", test_fifo);
  ADD ("fuzz", test_fuzz);
#undef ADD

  return g_test_run ();
}
