/* test-cli-damage.c — likeness-cli on study files damaged by hand (issue 14, items 6 to 9):
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

#include "tests/lk-test-utils.h"

#define N_IMAGES 24

typedef struct {
  char *dir;
  char *images;
  char *study;
  char *damaged;
} Fixture;

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

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *sub = NULL;

  f->dir = lk_test_tmpdir ("lk-cli-damage-XXXXXX");
  f->images = g_build_filename (f->dir, "images", NULL);
  f->study = g_build_filename (f->dir, "study.likeness", NULL);
  f->damaged = g_build_filename (f->dir, "damaged.likeness", NULL);
  sub = g_build_filename (f->images, "sub", NULL);
  g_assert_cmpint (g_mkdir_with_parents (sub, 0700), ==, 0);

  for (guint i = 0; i < N_IMAGES; i++)
    {
      g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 20, 14);
      g_autofree char *name = g_strdup_printf ("%sc%02u.png", i % 3 == 0 ? "sub/" : "", i);
      g_autofree char *path = g_build_filename (f->images, name, NULL);
      g_autoptr(GError) error = NULL;

      gdk_pixbuf_fill (pixbuf, ((guint32) (i * 37 % 256) << 24) | ((guint32) (i * 91 % 256) << 16) |
                               ((guint32) (i * 13 % 256) << 8) | 0xff);
      g_assert_true (gdk_pixbuf_save (pixbuf, path, "png", &error, NULL));
      g_assert_no_error (error);
    }
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  lk_test_rmdir (f->dir);
  g_free (f->dir);
  g_free (f->images);
  g_free (f->study);
  g_free (f->damaged);
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

/* Runs every command on f->damaged; each must end with status 1 and a message on stderr
 * containing @needle (the row), within the time bound. */
static void
assert_refused (Fixture    *f,
                const char *needle)
{
  for (guint c = 0; c < G_N_ELEMENTS (commands); c++)
    {
      g_autoptr(GPtrArray) args = g_ptr_array_new ();
      g_auto(Run) r = { 0 };

      g_ptr_array_add (args, (gpointer) commands[c][0]);
      g_ptr_array_add (args, f->damaged);
      for (guint i = 1; commands[c][i] != NULL; i++)
        g_ptr_array_add (args, (gpointer) commands[c][i]);
      g_ptr_array_add (args, NULL);
      run_cli (&r, (const char **) args->pdata);
      if (r.status != 1 || strstr (r.err, needle) == NULL)
        g_error ("%s on a study with '%s': status %d, stdout '%.200s', stderr '%.300s'",
                 commands[c][0], needle, r.status, r.out, r.err);
    }
}

static const struct {
  const char *sql;
  const char *needle;
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
    " WHERE query = 4 AND position = 1", "query 4: image" },
  /* 8: phases beyond the study's, and parameters that would spin */
  { "UPDATE query SET phase = 2147483648 WHERE id = (SELECT max(id) FROM query)",
    "phase 2147483648" },
  { "UPDATE phase SET phase = 7", "phase 7" },
  { "UPDATE param SET value = '-1' WHERE name = 'iterations'", "param iterations = -1" },
  { "UPDATE param SET value = '4294967295' WHERE name = 'iterations'",
    "param iterations = 4294967295" },
  { "UPDATE param SET value = 'many' WHERE name = 'nq'", "param nq = many" },
  { "UPDATE param SET value = '1e308' WHERE name = 'beta'", "param beta = 1e308" },
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

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_bug ("14");

  g_test_add ("/lk/cli/damage/values", Fixture, NULL, fixture_setup, test_values,
              fixture_teardown);
  g_test_add ("/lk/cli/damage/fifo", Fixture, NULL, fixture_setup, test_fifo, fixture_teardown);

  return g_test_run ();
}
