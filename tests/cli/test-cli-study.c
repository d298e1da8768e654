/* test-cli-study.c — likeness-cli on study files as a user meets them: the simulated participant
 * (`answer`, `simulate --study`), export to standard output, `check`, all-or-none import of
 * answers into a study that already has some, and the message and exit code of each error
 * a user can cause
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <grp.h>
#include <sys/file.h>
#include <sys/inotify.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <unistd.h>
#include <glib/gstdio.h>
#include <gdk-pixbuf/gdk-pixbuf.h>
#include <json-glib/json-glib.h>
#include <sqlite3.h>

#include "cli-test-utils.h"
#include "tests/lk-test-utils.h"

#define N_IMAGES 24

typedef struct {
  char *dir;
  char *images;
  char *study;
} Fixture;

/* Returns the path of image @i relative to the images folder: a third in a subfolder. */
static char *
image_name (guint i)
{
  return g_strdup_printf ("%sc%02u.png", i % 3 == 0 ? "sub/" : "", i);
}

/* Returns image @i's colour: four families of six, so the simulated participant has clusters
 * to find. */
static void
image_colour (guint   i,
              guint8 *rgb)
{
  static const guint8 base[4][3] = { { 200, 30, 30 }, { 30, 200, 30 }, { 30, 30, 200 }, { 200, 200, 40 } };

  for (guint c = 0; c < 3; c++)
    rgb[c] = base[i % 4][c] + (guint8) (7 * (i / 4));
}

/* A folder of N_IMAGES PNGs (a third in a subfolder) and one truncated PNG. */
static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *sub = NULL;
  g_autofree char *broken = NULL;

  f->dir = g_dir_make_tmp ("lk-cli-study-XXXXXX", &error);
  g_assert_no_error (error);
  f->images = g_build_filename (f->dir, "images", NULL);
  f->study = g_build_filename (f->dir, "study.likeness", NULL);
  sub = g_build_filename (f->images, "sub", NULL);
  g_assert_cmpint (g_mkdir_with_parents (sub, 0700), ==, 0);

  for (guint i = 0; i < N_IMAGES; i++)
    {
      g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 20, 14);
      g_autofree char *name = image_name (i);
      g_autofree char *path = g_build_filename (f->images, name, NULL);
      guint8 rgb[3];

      image_colour (i, rgb);
      gdk_pixbuf_fill (pixbuf, ((guint32) rgb[0] << 24) | ((guint32) rgb[1] << 16) |
                               ((guint32) rgb[2] << 8) | 0xff);
      g_assert_true (gdk_pixbuf_save (pixbuf, path, "png", &error, NULL));
      g_assert_no_error (error);
    }

  /* The PNG signature and nothing after it. */
  broken = g_build_filename (f->images, "broken.png", NULL);
  g_assert_true (g_file_set_contents (broken, "\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16, NULL));
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_chmod (f->dir, 0700);
  lk_test_rmdir (f->dir);
  g_free (f->dir);
  g_free (f->images);
  g_free (f->study);
}

/* Creates the fixture's study: 12 answers in 3 phases, 8 images a grid. */
static void
create_study (Fixture    *f,
              const char *path)
{
  g_auto(CliRun) r = { 0 };

  cli_run (&r, "create", path, "--images", f->images, "--budget", "12", "--phases", "3",
           "--nq", "8", "--nc", "3", "--k", "8", "--seed", "2385", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "imported 24,"));
  g_assert_nonnull (strstr (r.out, "skipped 1"));
  g_assert_nonnull (strstr (r.out, "skipped: broken.png: "));
  /* stderr is not a terminal here: no progress line. */
  g_assert_cmpstr (r.err, ==, "");
}

/* Returns `info --json` of @study, parsed by @parser. */
static JsonObject *
info_json (const char *study,
           JsonParser *parser)
{
  g_auto(CliRun) r = { 0 };
  g_autoptr(GError) error = NULL;

  cli_run (&r, "info", study, "--json", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_true (json_parser_load_from_data (parser, r.out, -1, &error));
  g_assert_no_error (error);

  return json_node_get_object (json_parser_get_root (parser));
}

static gint64
info_answers (const char *study)
{
  g_autoptr(JsonParser) parser = json_parser_new ();

  return json_object_get_int_member (info_json (study, parser), "answers");
}

/* Returns the ids of the `saved ID` lines of @out, checking that there is no other line. */
static GArray *
saved_ids (const char *out)
{
  g_auto(GStrv) lines = g_strsplit (out, "\n", -1);
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (gint64));

  for (guint i = 0; lines[i] != NULL; i++)
    {
      gint64 id;

      if (lines[i][0] == '\0')
        continue;
      g_assert_true (g_str_has_prefix (lines[i], "saved "));
      id = g_ascii_strtoll (lines[i] + 6, NULL, 10);
      g_assert_cmpint (id, >, 0);
      g_array_append_val (ids, id);
    }

  return ids;
}

/* Returns the number of lines of @text after its header, which must be @header. */
static guint
csv_rows (const char *text,
          const char *header)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  guint n = 0;

  g_assert_nonnull (lines[0]);
  g_assert_cmpstr (lines[0], ==, header);
  for (guint i = 1; lines[i] != NULL; i++)
    if (lines[i][0] != '\0')
      n++;

  return n;
}

static void
test_answer (Fixture       *f,
             gconstpointer  data)
{
  g_auto(CliRun) r = { 0 };
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GArray) first = NULL, second = NULL;
  JsonObject *info, *states;

  create_study (f, f->study);

  /* Five answers, one line each, printed after the commit. */
  cli_run (&r, "answer", f->study, "--count", "5", "--participant", "P-7", NULL);
  g_assert_cmpint (r.status, ==, 0);
  first = saved_ids (r.out);
  g_assert_cmpuint (first->len, ==, 5);
  for (guint i = 1; i < first->len; i++)
    g_assert_cmpint (g_array_index (first, gint64, i), >, g_array_index (first, gint64, i - 1));

  info = info_json (f->study, parser);
  states = json_object_get_object_member (info, "query_states");
  g_assert_cmpint (json_object_get_int_member (info, "images"), ==, N_IMAGES);
  g_assert_cmpint (json_object_get_int_member (info, "answers"), ==, 5);
  g_assert_cmpint (json_object_get_int_member (states, "answered"), ==, 5);
  g_assert_cmpint (json_object_get_int_member (states, "abandoned"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (info, "counts"),
                                               "participants"), ==, 1);

  /* The other name of `answer`: it resumes where the first run stopped and spends the budget. */
  cli_run (&r, "simulate", "--study", f->study, NULL);
  g_assert_cmpint (r.status, ==, 0);
  second = saved_ids (r.out);
  g_assert_cmpuint (second->len, ==, 7);
  g_assert_cmpint (g_array_index (second, gint64, 0), >, g_array_index (first, gint64, 4));

  g_clear_object (&parser);
  parser = json_parser_new ();
  info = info_json (f->study, parser);
  g_assert_cmpint (json_object_get_int_member (info, "answers"), ==, 12);
  g_assert_cmpint (json_object_get_int_member (info, "phase"), ==, 3);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (info, "counts"),
                                               "phases_done"), ==, 3);

  /* The budget is spent: nothing more to answer, and that is not an error. */
  cli_run (&r, "answer", f->study, NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_cmpstr (r.out, ==, "");

  cli_run (&r, "check", f->study, NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, ": ok"));
}

static void
test_truth (Fixture       *f,
            gconstpointer  data)
{
  g_auto(CliRun) r = { 0 };
  g_autoptr(GString) csv = g_string_new ("id,r,g,b\n");
  g_autoptr(GArray) ids = NULL;
  g_autofree char *truth = g_build_filename (f->dir, "truth.csv", NULL);
  g_autofree char *partial = g_build_filename (f->dir, "partial.csv", NULL);

  create_study (f, f->study);
  for (guint i = 0; i < N_IMAGES; i++)
    {
      g_autofree char *name = image_name (i);
      guint8 rgb[3];

      /* The partial truth lacks the last image. */
      if (i == N_IMAGES - 1)
        g_assert_true (g_file_set_contents (partial, csv->str, -1, NULL));
      image_colour (i, rgb);
      g_string_append_printf (csv, "%s,%u,%u,%u\n", name, rgb[0], rgb[1], rgb[2]);
    }
  g_assert_true (g_file_set_contents (truth, csv->str, -1, NULL));

  cli_run (&r, "simulate", "--study", f->study, "--truth", partial, NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, "partial.csv"));
  g_assert_nonnull (strstr (r.err, "c23.png"));
  g_assert_cmpint (info_answers (f->study), ==, 0);

  cli_run (&r, "simulate", "--truth", truth, "--study", f->study, "--count", "3", NULL);
  g_assert_cmpint (r.status, ==, 0);
  ids = saved_ids (r.out);
  g_assert_cmpuint (ids->len, ==, 3);
  g_assert_cmpint (info_answers (f->study), ==, 3);
}

static void
test_export_stdout (Fixture       *f,
                    gconstpointer  data)
{
  g_auto(CliRun) r = { 0 };
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *pairs = g_build_filename (f->dir, "pairs.csv", NULL);
  g_autofree char *text = NULL;

  create_study (f, f->study);
  cli_run (&r, "answer", f->study, NULL);
  g_assert_cmpint (r.status, ==, 0);

  cli_run (&r, "export", f->study, "--embedding", "-", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_cmpuint (csv_rows (r.out, "item,path,x1,x2,x3"), ==, N_IMAGES);

  cli_run (&r, "export", f->study, "--knn", "-", "--k", "4", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_cmpuint (csv_rows (r.out, "item,path,rank,neighbour,neighbour_path,distance"), ==,
                    N_IMAGES * 4);

  /* Every space the study has: the learned one first, with the same lists as --knn. */
  {
    g_autofree char *knn = g_strdup (r.out);
    g_auto(GStrv) knn_lines = g_strsplit (knn, "\n", -1);
    g_auto(GStrv) lines = NULL;
    guint learned = 0;

    cli_run (&r, "export", f->study, "--neighbours", "-", "--k", "4", NULL);
    g_assert_cmpint (r.status, ==, 0);
    g_assert_cmpuint (csv_rows (r.out, "space,item,path,rank,neighbour,neighbour_path,distance") %
                      (N_IMAGES * 4), ==, 0);
    lines = g_strsplit (r.out, "\n", -1);
    for (guint i = 1; lines[i] != NULL; i++)
      if (g_str_has_prefix (lines[i], "learned,"))
        {
          learned++;
          g_assert_cmpstr (lines[i] + strlen ("learned,"), ==, knn_lines[learned]);
        }
    g_assert_cmpuint (learned, ==, N_IMAGES * 4);
  }
  cli_run (&r, "export", f->study, "--neighbours-json", "-", "--k", "4", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_true (json_parser_load_from_data (parser, r.out, -1, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (
                      json_object_get_object_member (json_node_get_object (
                        json_parser_get_root (parser)), "spaces"), "learned")), ==, N_IMAGES);

  cli_run (&r, "export", f->study, "--answers", "-", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_cmpuint (csv_rows (r.out, "answer,participant,session,query,phase,position,item,"
                              "path,bin,shown_us,submitted_us,gold,repeat_of"), ==, 12 * 8);

  /* Standard output and a file in the same run. */
  cli_run (&r, "export", f->study, "--json", "-", "--pairs", pairs, NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_true (json_parser_load_from_data (parser, r.out, -1, &error));
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
  g_assert_true (g_file_get_contents (pairs, &text, NULL, NULL));
  g_assert_true (g_str_has_prefix (text, "item_a,"));

  cli_run (&r, "export", f->study, "--json", "-", "--pairs", "-", NULL);
  g_assert_cmpint (r.status, ==, 2);
  g_assert_nonnull (strstr (r.err, "standard output"));
}

/* Replaces the bin of the tidy CSV's data line @line (1 is the header) by "9x". */
static char *
spoil_line (const char *csv,
            guint       line)
{
  g_auto(GStrv) lines = g_strsplit (csv, "\n", -1);
  g_auto(GStrv) fields = g_strsplit (lines[line - 1], ",", -1);

  g_assert_cmpuint (g_strv_length (fields), ==, 13);
  g_free (fields[8]);
  fields[8] = g_strdup ("9x");
  g_free (lines[line - 1]);
  lines[line - 1] = g_strjoinv (",", fields);

  return g_strjoinv ("\n", lines);
}

static void
test_import_answers (Fixture       *f,
                     gconstpointer  data)
{
  g_auto(CliRun) r = { 0 };
  g_autofree char *other = g_build_filename (f->dir, "other.likeness", NULL);
  g_autofree char *good = g_build_filename (f->dir, "good.csv", NULL);
  g_autofree char *bad = g_build_filename (f->dir, "bad.csv", NULL);
  g_autofree char *text = NULL, *spoiled = NULL;
  g_autofree char *before = NULL;

  create_study (f, f->study);
  cli_run (&r, "answer", f->study, NULL);
  g_assert_cmpint (r.status, ==, 0);
  cli_run (&r, "export", f->study, "--answers", good, NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_true (g_file_get_contents (good, &text, NULL, NULL));

  /* Line 30 is bad; the 95 good rows around it are not applied either. */
  spoiled = spoil_line (text, 30);
  g_assert_true (g_file_set_contents (bad, spoiled, -1, NULL));

  create_study (f, other);
  cli_run (&r, "import-answers", other, bad, NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, "line 30"));
  g_assert_null (strstr (r.err, "line 31"));
  g_assert_cmpint (info_answers (other), ==, 0);

  cli_run (&r, "import-answers", other, good, NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_cmpstr (r.out, ==, "imported 12 answers\n");

  /* A study that has answers is left exactly as it was. */
  cli_run (&r, "info", other, "--json", NULL);
  before = g_steal_pointer (&r.out);
  cli_run (&r, "import-answers", other, bad, NULL);
  g_assert_cmpint (r.status, ==, 1);
  cli_run (&r, "info", other, "--json", NULL);
  g_assert_cmpstr (r.out, ==, before);

  cli_run (&r, "import-answers", other, "no-such.csv", NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, "no-such.csv"));
}

/* Sets the study's schema version as a newer Likeness would. */
static void
set_user_version (const char *path,
                  int         version)
{
  g_autofree char *sql = g_strdup_printf ("PRAGMA user_version = %d", version);
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
}

static void
test_errors (Fixture       *f,
             gconstpointer  data)
{
  g_auto(CliRun) r = { 0 };
  g_autofree char *text = g_build_filename (f->dir, "notes.likeness", NULL);
  g_autofree char *missing = g_build_filename (f->dir, "missing.likeness", NULL);
  g_autofree char *newer = g_build_filename (f->dir, "newer.likeness", NULL);
  g_autofree char *nowhere = g_build_filename (f->dir, "nowhere", NULL);
  int fd;

  g_assert_true (g_file_set_contents (text, "a text file\n", -1, NULL));

  /* Files that are not studies, for every command that opens one. */
  {
    const char *commands[][3] = {
      { "info", NULL }, { "check", NULL }, { "export", "--json=-" }, { "answer", NULL },
      { "import", f->images }, { "import-answers", text },
    };

    for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
      {
        cli_run (&r, commands[i][0], text, commands[i][1], NULL);
        g_assert_cmpint (r.status, ==, 1);
        g_assert_nonnull (strstr (r.err, "Not a Likeness study"));
        g_assert_nonnull (strstr (r.err, "notes.likeness"));
        g_assert_cmpstr (r.out, ==, "");

        cli_run (&r, commands[i][0], missing, commands[i][1], NULL);
        g_assert_cmpint (r.status, ==, 1);
        g_assert_nonnull (strstr (r.err, "missing.likeness"));
        g_assert_false (g_file_test (missing, G_FILE_TEST_EXISTS));
      }
  }

  /* A missing folder leaves no study behind. */
  cli_run (&r, "create", missing, "--images", nowhere, NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, "nowhere"));
  g_assert_false (g_file_test (missing, G_FILE_TEST_EXISTS));

  create_study (f, f->study);
  cli_run (&r, "create", f->study, "--images", f->images, NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, "already exists"));
  g_assert_cmpint (info_answers (f->study), ==, 0);

  /* Written by a newer Likeness: refused by every command, naming the version. */
  create_study (f, newer);
  set_user_version (newer, 99);
  cli_run (&r, "info", newer, NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, "newer version"));
  g_assert_nonnull (strstr (r.err, "99"));
  cli_run (&r, "answer", newer, NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, "99"));

  /* Another process holds the writer's lock: writers refuse, readers still work. */
  fd = open (f->study, O_RDONLY);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (flock (fd, LOCK_EX | LOCK_NB), ==, 0);
  cli_run (&r, "answer", f->study, NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, "already open"));
  g_assert_cmpstr (r.out, ==, "");
  cli_run (&r, "import", f->study, f->images, NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, "already open"));
  cli_run (&r, "info", f->study, NULL);
  g_assert_cmpint (r.status, ==, 0);
  close (fd);

  /* Bad option values: status 2, the option and what it allows. */
  {
    const struct {
      const char *args[6];
      const char *message;
    } cases[] = {
      { { "create", missing, "--nq", "abc" }, "--nq" },
      { { "create", missing, "--budget", "0" }, "--budget" },
      { { "create", missing, "--beta", "-1" }, "--beta" },
      { { "create", missing, "--method", "magic" }, "paper" },
      { { "create", missing, "extra", "args" }, "unexpected argument 'extra'" },
      { { "create" }, "expected STUDY" },
      { { "export", f->study, "--knn", "-", "--k", "0" }, "--k" },
      { { "export", f->study }, "nothing to export" },
      { { "answer", f->study, "--count", "0" }, "--count" },
      { { "answer", f->study, "--participant", "" }, "--participant" },
      { { "simulate", "--study" }, "--study" },
      { { "import-answers", f->study }, "expected STUDY CSV" },
      { { "check" }, "expected STUDY" },
      { { "no-such-command" }, "unknown command" },
    };

    for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
      {
        const char *const *a = cases[i].args;

        cli_run (&r, a[0], a[1], a[2], a[3], a[4], a[5], NULL);
        g_test_message ("%s %s: %s", a[0], a[1] ? a[1] : "", r.err);
        g_assert_cmpint (r.status, ==, 2);
        g_assert_nonnull (strstr (r.err, cases[i].message));
        g_assert_false (g_file_test (missing, G_FILE_TEST_EXISTS));
      }
  }
}

/* Drops to the unprivileged user nobody in the child, for a root test run. */
static void
become_nobody (gpointer user_data)
{
  if (setgroups (0, NULL) != 0 || setgid (65534) != 0 || setuid (65534) != 0)
    _exit (127);
}

/* Copies likeness-cli into @f's folder, for nobody to run: the build tree may sit where only
 * its owner may enter (a checkout inside a mode 0700 folder), and the copy works on its own
 * because the project's libraries are linked in statically. */
static void
copy_cli (Fixture *f)
{
  g_autofree char *copy = g_build_filename (f->dir, "likeness-cli", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  gsize length;

  g_assert_true (g_file_get_contents (g_getenv ("LIKENESS_CLI"), &contents, &length, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_set_contents (copy, contents, length, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_chmod (copy, 0755), ==, 0);
}

/* Runs the copy of likeness-cli (copy_cli()) as COMMAND STUDY, as a user who cannot write @f's
 * study, from @f's folder; returns its status and fills @err. */
static int
run_without_write (Fixture     *f,
                   const char  *command,
                   char       **out,
                   char       **err)
{
  g_autofree char *cli = g_build_filename (f->dir, "likeness-cli", NULL);
  const char *argv[] = { cli, command, f->study, NULL };
  g_autoptr(GError) error = NULL;
  int wait_status = 0;

  g_assert_true (g_spawn_sync (f->dir, (char **) argv, NULL, G_SPAWN_DEFAULT,
                               geteuid () == 0 ? become_nobody : NULL, NULL, out, err,
                               &wait_status, &error));
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (wait_status));

  return WEXITSTATUS (wait_status);
}

static void
test_read_only (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *out = NULL, *err = NULL;
  g_autofree char *wal = g_strconcat (f->study, "-wal", NULL);
  g_autofree char *shm = g_strconcat (f->study, "-shm", NULL);

  /* Root ignores file modes, so as root the command runs as nobody instead. */
  create_study (f, f->study);
  g_remove (wal);
  g_remove (shm);
  copy_cli (f);
  g_assert_cmpint (g_chmod (f->study, 0444), ==, 0);
  g_assert_cmpint (g_chmod (f->dir, 0555), ==, 0);

  g_assert_cmpint (run_without_write (f, "answer", &out, &err), ==, 1);
  g_assert_nonnull (strstr (err, "cannot be written"));
  g_assert_nonnull (strstr (err, "study.likeness"));
  g_assert_cmpstr (out, ==, "");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run_without_write (f, "import", &out, &err), ==, 2);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* Reading needs no write access. */
  g_assert_cmpint (run_without_write (f, "info", &out, &err), ==, 0);
  g_assert_nonnull (strstr (out, "images       24"));
}

static void
test_kill (Fixture       *f,
           gconstpointer  data)
{
  g_auto(CliRun) r = { 0 };
  g_autoptr(GRand) rand = g_rand_new_with_seed (2385);
  g_autoptr(GHashTable) acknowledged = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  guint rounds = 0;

  cli_run (&r, "create", f->study, "--images", f->images, "--budget", "150", "--phases", "3",
           "--nq", "8", "--nc", "3", "--k", "8", "--seed", "2385", NULL);
  g_assert_cmpint (r.status, ==, 0);

  /* SIGKILL `answer` after a random number of acknowledgements (0 included: during opening
   * and rebuilding), until the budget is spent. */
  for (;;)
    {
      const char *argv[] = { g_getenv ("LIKENESS_CLI"), "answer", f->study, NULL };
      g_autoptr(GError) error = NULL;
      g_autoptr(GHashTable) stored = NULL;
      GHashTableIter iter;
      gpointer id;
      guint kill_after = g_rand_int_range (rand, 0, 40);
      guint seen = 0;
      char line[64];
      int out_fd = -1, wait_status = 0;
      gboolean killed = FALSE;
      GPid pid;
      FILE *out;

      g_assert_true (g_spawn_async_with_pipes (NULL, (char **) argv, NULL,
                                               G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDERR_TO_DEV_NULL,
                                               NULL, NULL, &pid, NULL, &out_fd, NULL, &error));
      g_assert_no_error (error);
      out = fdopen (out_fd, "r");
      if (kill_after == 0)
        {
          kill (pid, SIGKILL);
          killed = TRUE;
        }
      /* Read to the end even after the kill: a line written just before it still counts. */
      while (fgets (line, sizeof line, out) != NULL)
        {
          g_assert_true (g_str_has_prefix (line, "saved "));
          g_strchomp (line);
          g_hash_table_add (acknowledged, g_strdup (line + 6));
          if (!killed && ++seen >= kill_after)
            {
              kill (pid, SIGKILL);
              killed = TRUE;
            }
        }
      fclose (out);
      g_assert_cmpint (waitpid (pid, &wait_status, 0), ==, pid);
      g_spawn_close_pid (pid);
      rounds++;

      /* Sound, and holding every answer acknowledged before the kill. */
      cli_run (&r, "check", f->study, NULL);
      g_assert_cmpint (r.status, ==, 0);
      stored = cli_answer_ids (f->study);
      g_hash_table_iter_init (&iter, acknowledged);
      while (g_hash_table_iter_next (&iter, &id, NULL))
        g_assert_true (g_hash_table_contains (stored, id));

      if (!killed || (WIFEXITED (wait_status) && WEXITSTATUS (wait_status) == 0))
        {
          g_assert_true (WIFEXITED (wait_status));
          g_assert_cmpint (WEXITSTATUS (wait_status), ==, 0);
          break;
        }
      g_assert_cmpuint (rounds, <, 200);
    }

  g_test_message ("%u runs, %u answers acknowledged", rounds, g_hash_table_size (acknowledged));
  /* An answer committed just before a kill, its line unprinted, is stored but unacknowledged. */
  g_assert_cmpuint (g_hash_table_size (acknowledged), <=, 150);
  g_assert_cmpuint (g_hash_table_size (acknowledged), >=, 150 - rounds);
  g_assert_cmpint (info_answers (f->study), ==, 150);
}

/* Returns a new folder @name in the fixture's directory with @n distinct PNGs. */
static char *
make_folder (Fixture    *f,
             const char *name,
             guint       n)
{
  g_autoptr(GError) error = NULL;
  char *folder = g_build_filename (f->dir, name, NULL);

  g_assert_cmpint (g_mkdir_with_parents (folder, 0700), ==, 0);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 12, 10);
      g_autofree char *base = g_strdup_printf ("i%03u.png", i);
      g_autofree char *path = g_build_filename (folder, base, NULL);

      gdk_pixbuf_fill (pixbuf, ((guint32) i << 24) | ((guint32) (255 - i) << 16) |
                               ((guint32) ((i * 7) % 256) << 8) | 0xff);
      g_assert_true (gdk_pixbuf_save (pixbuf, path, "png", &error, NULL));
      g_assert_no_error (error);
    }

  return folder;
}

/* A study that could not run is refused at creation with what to change
 * (status 1, no file left), and one that is created runs: `simulate --study` answers all its
 * grids. For small collections k is chosen and said. */
static void
test_create_fits (Fixture       *f,
                  gconstpointer  data)
{
  g_auto(CliRun) r = { 0 };
  g_autofree char *thirty = make_folder (f, "thirty", 30);
  g_autofree char *hundred = make_folder (f, "hundred", 100);
  g_autofree char *empty = make_folder (f, "empty", 0);
  g_autofree char *a = g_build_filename (f->dir, "thirty.likeness", NULL);
  g_autofree char *b = g_build_filename (f->dir, "sixty.likeness", NULL);
  g_autofree char *refused = g_build_filename (f->dir, "refused.likeness", NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *info;

  /* 30 images with the default k = 40: k becomes 29, and the study runs to its end. */
  cli_run (&r, "create", a, "--images", thirty, "--budget", "30", "--phases", "3", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "k 29, chosen for the collection"));
  cli_run (&r, "simulate", "--study", a, NULL);
  g_assert_cmpint (r.status, ==, 0);
  info = info_json (a, parser);
  g_assert_cmpint (json_object_get_int_member (info, "answers"), ==, 30);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (info, "params"),
                                               "k"), ==, 29);

  /* 60 images a grid on 100: k becomes nq - 1, and it runs. */
  cli_run (&r, "create", b, "--images", hundred, "--nq", "60", "--budget", "12", "--phases",
           "2", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "60 images a grid, 4 bins, k 59"));
  cli_run (&r, "simulate", "--study", b, NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_cmpint (info_answers (b), ==, 12);

  /* Refused, each with what to change, and nothing left behind. */
  {
    const struct {
      const char *args[4];
      const char *says;
    } cases[] = {
      { { "--images", thirty, "--nc", "11" }, "choose nc from 2 to 10, not 11" },
      { { "--images", thirty, "--k", "35" }, "choose k from 19 to 29" },
      { { "--images", thirty, "--nq", "31" }, "choose nq of at most 30" },
      { { "--images", hundred, "--nq", "61" }, "choose nq from 2 to 60" },
      { { "--images", empty }, "no images: import a folder with at least 20 images" },
    };

    for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
      {
        const char *const *o = cases[i].args;

        cli_run (&r, "create", refused, o[0], o[1], o[2], o[3], NULL);
        g_test_message ("%s", r.err);
        g_assert_cmpint (r.status, ==, 1);
        g_assert_nonnull (strstr (r.err, cases[i].says));
        g_assert_false (g_file_test (refused, G_FILE_TEST_EXISTS));
      }
  }

  /* No folder at all: a usage error that says what is missing. */
  cli_run (&r, "create", refused, NULL);
  g_assert_cmpint (r.status, ==, 2);
  g_assert_nonnull (strstr (r.err, "--images DIR is required"));
  g_assert_false (g_file_test (refused, G_FILE_TEST_EXISTS));
}

/* Every session setting is an option of `create`, texts from files; `info`
 * (and its JSON) prints them, the passphrase only as set or not; `settings` shows them and
 * changes them with --set KEY=VALUE, refusing unknown keys, bad values and unreadable files. */
static void
test_settings (Fixture       *f,
               gconstpointer  data)
{
  g_auto(CliRun) r = { 0 };
  g_autofree char *consent = g_build_filename (f->dir, "consent.txt", NULL);
  g_autofree char *words = g_build_filename (f->dir, "instructions.txt", NULL);
  g_autofree char *secret = g_build_filename (f->dir, "passphrase.txt", NULL);
  g_autofree char *at_words = g_strconcat ("instructions=@", words, NULL);
  g_autofree char *other = g_build_filename (f->dir, "other.likeness", NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *settings;

  g_assert_true (g_file_set_contents (consent, "Bitte stimmen Sie zu.\n\nJa?\n", -1, NULL));
  g_assert_true (g_file_set_contents (words, "Ordnen Sie die Bilder.", -1, NULL));
  g_assert_true (g_file_set_contents (secret, "open sesame\nsecond line\n", -1, NULL));

  cli_run (&r, "create", f->study, "--images", f->images, "--budget", "12", "--phases", "3",
           "--nq", "8", "--nc", "3", "--grids-per-participant", "3", "--practice-grids", "2",
           "--break-every", "4", "--all-placed", "--consent-file", consent,
           "--passphrase-file", secret, NULL);
  g_assert_cmpint (r.status, ==, 0);

  settings = json_object_get_object_member (info_json (f->study, parser), "settings");
  g_assert_cmpint (json_object_get_int_member (settings, "grids_per_participant"), ==, 3);
  g_assert_cmpint (json_object_get_int_member (settings, "practice_grids"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (settings, "break_every"), ==, 4);
  g_assert_true (json_object_get_boolean_member (settings, "all_placed"));
  g_assert_true (json_object_get_boolean_member (settings, "passphrase_set"));
  g_assert_false (json_object_has_member (settings, "passphrase"));
  g_assert_cmpstr (json_object_get_string_member (settings, "consent"), ==,
                   "Bitte stimmen Sie zu.\n\nJa?");
  g_assert_true (json_object_get_null_member (settings, "instructions"));

  cli_run (&r, "info", f->study, NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "grids-per-participant  3\n"));
  g_assert_nonnull (strstr (r.out, "passphrase             set\n"));
  g_assert_null (strstr (r.out, "open sesame"));

  /* Changed later: a text from a file, a count, a text back to the standard one. */
  cli_run (&r, "settings", f->study, "--set", at_words, "--set", "grids-per-participant=5",
           "--set", "consent=", "--set", "all-placed=false", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "instructions           Ordnen Sie die Bilder.\n"));
  g_assert_nonnull (strstr (r.out, "consent                (the standard text)\n"));
  cli_run (&r, "settings", f->study, NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "grids-per-participant  5\n"));
  g_assert_nonnull (strstr (r.out, "all-placed             false\n"));
  g_assert_nonnull (strstr (r.out, "passphrase             set\n"));
  /* Papers 001 and 002's ways of sorting: off by default, on when set. */
  g_assert_nonnull (strstr (r.out, "group-names            false\n"));
  g_assert_nonnull (strstr (r.out, "palette                false\n"));
  cli_run (&r, "settings", f->study, "--set", "group-names=true", "--set", "palette=yes", NULL);
  g_assert_cmpint (r.status, ==, 0);
  settings = json_object_get_object_member (info_json (f->study, parser), "settings");
  g_assert_true (json_object_get_boolean_member (settings, "group_names"));
  g_assert_true (json_object_get_boolean_member (settings, "palette"));
  cli_run (&r, "settings", f->study, "--set", "palette=sometimes", NULL);
  g_assert_cmpint (r.status, ==, 2);
  g_assert_nonnull (strstr (r.err, "palette must be true or false"));

  /* The forced choices' policy: a word, random by default, shown as a string in JSON. */
  cli_run (&r, "settings", f->study, NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "choice5-policy         random\n"));
  cli_run (&r, "settings", f->study, "--set", "choice5-policy=pair", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "choice5-policy         pair\n"));
  settings = json_object_get_object_member (info_json (f->study, parser), "settings");
  g_assert_cmpstr (json_object_get_string_member (settings, "choice5_policy"), ==, "pair");
  cli_run (&r, "settings", f->study, "--set", "choice5-policy=best", NULL);
  g_assert_cmpint (r.status, ==, 2);
  g_assert_nonnull (strstr (r.err, "choice5-policy must be one of random, pair, model-vs-model"));

  /* Refused, the file unchanged: a limit above the budget (what to change), an unknown key or
   * a bad value (status 2), a file that cannot be read. */
  cli_run (&r, "settings", f->study, "--set", "grids-per-participant=13", NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, "choose grids-per-participant from 0 (no limit) to 12"));
  cli_run (&r, "settings", f->study, "--set", "colour=red", NULL);
  g_assert_cmpint (r.status, ==, 2);
  g_assert_nonnull (strstr (r.err, "No session setting 'colour'"));
  cli_run (&r, "settings", f->study, "--set", "break-every=often", NULL);
  g_assert_cmpint (r.status, ==, 2);
  g_assert_nonnull (strstr (r.err, "break-every must be a whole number"));
  cli_run (&r, "settings", f->study, "--set", "passphrase=@/nonexistent/pw", NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, "passphrase"));
  cli_run (&r, "settings", f->study, NULL);
  g_assert_nonnull (strstr (r.out, "grids-per-participant  5\n"));

  cli_run (&r, "create", other, "--images", f->images, "--budget", "12", "--nq", "8",
           "--grids-per-participant", "13", NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, "choose grids-per-participant from 0 (no limit) to 12"));
  g_assert_false (g_file_test (other, G_FILE_TEST_EXISTS));
  cli_run (&r, "create", other, "--images", f->images, "--nq", "8", "--practice-grids", "21",
           NULL);
  g_assert_cmpint (r.status, ==, 2);
  g_assert_nonnull (strstr (r.err, "practice-grids must be a whole number from 0 to 20"));
}

/* Returns the number of images committed to the study at @path, read without a lock (a
 * read-only SQLite connection sees the last commit through the WAL), or -1 if unreadable yet. */
static int
committed_images (const char *path)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  int n = -1;

  if (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
      sqlite3_prepare_v2 (db, "SELECT count(*) FROM image", -1, &stmt, NULL) == SQLITE_OK &&
      sqlite3_step (stmt) == SQLITE_ROW)
    n = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  return n;
}

/* A create killed part-way through its import (SIGKILL once the study holds some images, seen
 * by waiting on inotify for the file's writes, no sleeps) leaves a study that says so: info
 * (status 0, on standard error), check (status 1), answer and export refuse it, and create
 * again names the import that finishes it; that import does, and the study is then whole. */
static void
test_create_killed (Fixture       *f,
                    gconstpointer  data)
{
  g_auto(CliRun) r = { 0 };
  g_autofree char *many = make_folder (f, "many", 0);
  g_autofree char *study = g_build_filename (f->dir, "killed.likeness", NULL);
  const char *argv[] = { g_getenv ("LIKENESS_CLI"), "create", study, "--images", many,
                         "--budget", "30", "--phases", "2", NULL };
  const char *says = "not finished being created";
  g_autofree char *finish = NULL;
  g_autoptr(GError) error = NULL;
  char events[4096];
  int watch_fd, wait_status = 0, images = -1;
  GPid pid;

  /* 600 distinct PNGs (make_folder()'s colours repeat after 256). */
  for (guint i = 0; i < 600; i++)
    {
      g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 12, 10);
      g_autofree char *base = g_strdup_printf ("m%03u.png", i);
      g_autofree char *path = g_build_filename (many, base, NULL);
      guint8 *pixels = gdk_pixbuf_get_pixels (pixbuf);

      gdk_pixbuf_fill (pixbuf, 0x808080ff);
      pixels[0] = i & 0xff;
      pixels[1] = i >> 8;
      g_assert_true (gdk_pixbuf_save (pixbuf, path, "png", &error, NULL));
      g_assert_no_error (error);
    }

  watch_fd = inotify_init1 (IN_CLOEXEC);
  g_assert_cmpint (watch_fd, >=, 0);
  g_assert_cmpint (inotify_add_watch (watch_fd, f->dir, IN_MODIFY | IN_CREATE), >=, 0);
  g_assert_true (g_spawn_async (NULL, (char **) argv, NULL,
                                G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL |
                                G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, &pid, &error));
  g_assert_no_error (error);
  /* Each write to the study or its -wal wakes the read; the first commit of images ends it
   * (the import commits every 64 images of the 600). */
  while (images <= 0)
    {
      g_assert_cmpint (read (watch_fd, events, sizeof events), >, 0);
      images = committed_images (study);
    }
  kill (pid, SIGKILL);
  g_assert_cmpint (waitpid (pid, &wait_status, 0), ==, pid);
  g_spawn_close_pid (pid);
  close (watch_fd);
  g_assert_true (WIFSIGNALED (wait_status));
  images = committed_images (study);
  g_test_message ("killed with %d of 600 images imported", images);
  g_assert_cmpint (images, >, 0);
  g_assert_cmpint (images, <, 600);

  finish = g_strdup_printf ("likeness-cli import '%s' '%s'", study, many);
  cli_run (&r, "info", study, NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "creation not finished"));
  g_assert_nonnull (strstr (r.err, says));
  g_assert_nonnull (strstr (r.err, finish));
  cli_run (&r, "check", study, NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, says));
  g_assert_nonnull (strstr (r.err, finish));
  cli_run (&r, "answer", study, "--count", "1", NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, finish));
  cli_run (&r, "export", study, "--answers", "-", NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, finish));
  cli_run (&r, "create", study, "--images", many, NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, says));
  g_assert_nonnull (strstr (r.err, finish));

  /* The import finishes it, as create would have: every image, k chosen, and it runs. */
  cli_run (&r, "import", study, many, NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "finished creating"));
  cli_run (&r, "check", study, NULL);
  g_assert_cmpint (r.status, ==, 0);
  cli_run (&r, "info", study, NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_null (strstr (r.err, says));
  g_assert_nonnull (strstr (r.out, "images       600"));
  cli_run (&r, "answer", study, "--count", "2", NULL);
  g_assert_cmpint (r.status, ==, 0);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_bug ("3");

#define ADD(path, func) \
  g_test_add ("/lk/cli/study/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("answer", test_answer);
  ADD ("truth", test_truth);
  ADD ("export-stdout", test_export_stdout);
  ADD ("import-answers", test_import_answers);
  ADD ("errors", test_errors);
  ADD ("read-only", test_read_only);
  ADD ("kill", test_kill);
  ADD ("create-fits", test_create_fits);
  ADD ("create-killed", test_create_killed);
  ADD ("settings", test_settings);
#undef ADD

  return g_test_run ();
}
