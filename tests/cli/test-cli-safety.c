/* test-cli-safety.c — the ways likeness-cli could lose answers: an
 * export over its own study or another SQLite file, import-answers taking the same rows twice,
 * and `simulate --study` on a study deleted while it runs
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <glib/gstdio.h>
#include <gdk-pixbuf/gdk-pixbuf.h>
#include <json-glib/json-glib.h>
#include <sqlite3.h>

#include "cli-test-utils.h"
#include "tests/lk-test-utils.h"

typedef CliFixture Fixture;

static void
create_study (Fixture    *f,
              const char *path,
              const char *budget)
{
  g_auto(CliRun) r = { 0 };

  cli_run (&r, "create", path, "--images", f->images, "--budget", budget, "--phases", "2",
           "--nq", "8", "--nc", "3", "--k", "8", "--seed", "2385", NULL);
  g_assert_cmpint (r.status, ==, 0);
}

/* Returns a count of `info --json` ("answers" at the top, else under "counts"). */
static gint64
info_count (const char *study,
            const char *name)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_auto(CliRun) r = { 0 };
  JsonObject *info;

  cli_run (&r, "info", study, "--json", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_true (json_parser_load_from_data (parser, r.out, -1, NULL));
  info = json_node_get_object (json_parser_get_root (parser));
  if (json_object_has_member (info, name))
    return json_object_get_int_member (info, name);

  return json_object_get_int_member (json_object_get_object_member (info, "counts"), name);
}

/* Item 2: no export writes over its study or any other SQLite file; the study is untouched. */
static void
test_export_over_study (Fixture       *f,
                        gconstpointer  data)
{
  g_auto(CliRun) r = { 0 };
  g_autofree char *other = g_build_filename (f->dir, "other.likeness", NULL);
  const char *options[] = { "--answers", "--json", "--pairs", "--knn", "--neighbours",
                            "--judgements" };

  create_study (f, f->study, "30");
  create_study (f, other, "30");
  /* A phase done, so that every export gets as far as writing. */
  cli_run (&r, "answer", f->study, "--count", "17", NULL);
  g_assert_cmpint (r.status, ==, 0);

  for (guint i = 0; i < G_N_ELEMENTS (options); i++)
    {
      cli_run (&r, "export", f->study, options[i], f->study, NULL);
      g_assert_cmpint (r.status, ==, 1);
      g_assert_nonnull (strstr (r.err, f->study));
      g_assert_nonnull (strstr (r.err, "SQLite"));
      cli_run (&r, "export", f->study, options[i], other, NULL);
      g_assert_cmpint (r.status, ==, 1);
      g_assert_nonnull (strstr (r.err, other));
    }
  cli_run (&r, "check", f->study, NULL);
  g_assert_cmpint (r.status, ==, 0);
  cli_run (&r, "check", other, NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_cmpint (info_count (f->study, "answers"), ==, 17);
}

/* Item 5: import-answers recognises rows already in the study (from an earlier import, or the
 * study's own export) and says how many it skipped; one session per source participant and
 * session; a BOM and CRLF line ends (Excel) are accepted. */
static void
test_import_idempotent (Fixture       *f,
                        gconstpointer  data)
{
  g_auto(CliRun) r = { 0 };
  g_autofree char *other = g_build_filename (f->dir, "other.likeness", NULL);
  g_autofree char *third = g_build_filename (f->dir, "third.likeness", NULL);
  g_autofree char *csv = g_build_filename (f->dir, "answers.csv", NULL);
  g_autofree char *excel = g_build_filename (f->dir, "excel.csv", NULL);
  g_autofree char *text = NULL;
  g_autoptr(GString) crlf = g_string_new ("\xEF\xBB\xBF");

  create_study (f, f->study, "30");
  create_study (f, other, "30");
  create_study (f, third, "30");
  /* Two sessions of SIM-1 and one of SIM-2. */
  cli_run (&r, "answer", f->study, "--count", "4", NULL);
  g_assert_cmpint (r.status, ==, 0);
  cli_run (&r, "answer", f->study, "--count", "3", NULL);
  g_assert_cmpint (r.status, ==, 0);
  cli_run (&r, "answer", f->study, "--count", "5", "--participant", "SIM-2", NULL);
  g_assert_cmpint (r.status, ==, 0);
  cli_run (&r, "export", f->study, "--answers", csv, NULL);
  g_assert_cmpint (r.status, ==, 0);

  cli_run (&r, "import-answers", other, csv, NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_cmpstr (r.out, ==, "imported 12 answers\n");
  g_assert_cmpint (info_count (other, "sessions"), ==, 3);
  g_assert_cmpint (info_count (other, "participants"), ==, 2);

  cli_run (&r, "import-answers", other, csv, NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_cmpstr (r.out, ==, "imported 0 answers; skipped 12 already in the study\n");
  g_assert_cmpint (info_count (other, "answers"), ==, 12);
  g_assert_cmpint (info_count (other, "sessions"), ==, 3);

  /* The study's own export, imported back into it. */
  cli_run (&r, "import-answers", f->study, csv, NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_cmpstr (r.out, ==, "imported 0 answers; skipped 12 already in the study\n");
  g_assert_cmpint (info_count (f->study, "answers"), ==, 12);

  /* Excel's form of the same file. */
  g_assert_true (g_file_get_contents (csv, &text, NULL, NULL));
  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '\n')
        g_string_append_c (crlf, '\r');
      g_string_append_c (crlf, *p);
    }
  g_assert_true (g_file_set_contents (excel, crlf->str, crlf->len, NULL));
  cli_run (&r, "import-answers", third, excel, NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_cmpstr (r.out, ==, "imported 12 answers\n");
  cli_run (&r, "import-answers", third, csv, NULL);
  g_assert_cmpstr (r.out, ==, "imported 0 answers; skipped 12 already in the study\n");
  cli_run (&r, "check", third, NULL);
  g_assert_cmpint (r.status, ==, 0);
}

/* Item 1: a study deleted while `simulate --study` answers it is written out again beside the
 * old path, with every acknowledged answer, and the command says where. */
static void
test_deleted_while_open (Fixture       *f,
                         gconstpointer  data)
{
  const char *argv[] = { g_getenv ("LIKENESS_CLI"), "simulate", "--study", f->study, NULL };
  g_autofree char *rescued = g_build_filename (f->dir, "study-recovered.likeness", NULL);
  g_autoptr(GHashTable) acknowledged = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                              NULL);
  g_autoptr(GHashTable) stored = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *err_text = NULL;
  g_auto(CliRun) r = { 0 };
  GHashTableIter iter;
  gpointer id;
  int out_fd = -1, err_fd = -1, wait_status = 0;
  char line[64];
  GPid pid;
  FILE *out;

  create_study (f, f->study, "4000");
  g_assert_true (g_spawn_async_with_pipes (NULL, (char **) argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD,
                                           NULL, NULL, &pid, NULL, &out_fd, &err_fd, &error));
  g_assert_no_error (error);
  out = fdopen (out_fd, "r");
  while (fgets (line, sizeof line, out) != NULL)
    {
      g_assert_true (g_str_has_prefix (line, "saved "));
      g_strchomp (line);
      g_hash_table_add (acknowledged, g_strdup (line + 6));
      if (g_hash_table_size (acknowledged) == 5)
        g_assert_cmpint (g_unlink (f->study), ==, 0);
    }
  fclose (out);
  g_assert_cmpint (waitpid (pid, &wait_status, 0), ==, pid);
  g_spawn_close_pid (pid);
  {
    GIOChannel *channel = g_io_channel_unix_new (err_fd);

    g_io_channel_set_close_on_unref (channel, TRUE);
    g_io_channel_read_to_end (channel, &err_text, NULL, NULL);
    g_io_channel_unref (channel);
  }

  /* Stopped with status 1, naming the copy; far fewer than the budget's answers. */
  g_assert_true (WIFEXITED (wait_status));
  g_assert_cmpint (WEXITSTATUS (wait_status), ==, 1);
  g_assert_cmpuint (g_hash_table_size (acknowledged), <, 4000);
  if (strstr (err_text, rescued) == NULL)
    g_error ("no mention of %s in: %s", rescued, err_text);
  g_assert_false (g_file_test (f->study, G_FILE_TEST_EXISTS));

  cli_run (&r, "check", rescued, NULL);
  g_assert_cmpint (r.status, ==, 0);
  stored = cli_answer_ids (rescued);
  g_hash_table_iter_init (&iter, acknowledged);
  while (g_hash_table_iter_next (&iter, &id, NULL))
    g_assert_true (g_hash_table_contains (stored, id));
}

/* Item 3: while a reader holds a read transaction (a sqlite3 shell, DB Browser, a long export),
 * no checkpoint can bring the latest answers into the main file, so copying the main file alone
 * misses them; `copy` gives one complete file through the open study (SQLite's backup API). */
static void
test_copy_with_reader (Fixture       *f,
                       gconstpointer  data)
{
  g_auto(CliRun) r = { 0 };
  g_autofree char *copy = g_build_filename (f->dir, "copy.likeness", NULL);
  g_autofree char *copy_wal = g_strconcat (copy, "-wal", NULL);
  g_autofree char *main_only = g_build_filename (f->dir, "main-only.likeness", NULL);
  g_autofree char *contents = NULL;
  sqlite3 *reader = NULL;
  sqlite3_stmt *stmt = NULL;
  gsize len = 0;

  create_study (f, f->study, "30");
  cli_run (&r, "answer", f->study, "--count", "3", NULL);
  g_assert_cmpint (r.status, ==, 0);

  /* A reader inside a read transaction, as long as the rest of the test. */
  g_assert_cmpint (sqlite3_open_v2 (f->study, &reader, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (reader, "BEGIN", NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (reader, "SELECT count(*) FROM answer", -1, &stmt, NULL),
                   ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, 3);

  cli_run (&r, "answer", f->study, "--count", "20", NULL);
  g_assert_cmpint (r.status, ==, 0);

  /* The main file alone, copied now, lacks answers only its -wal holds. */
  g_assert_true (g_file_get_contents (f->study, &contents, &len, NULL));
  g_assert_true (g_file_set_contents (main_only, contents, len, NULL));
  g_test_message ("the main file alone holds %" G_GINT64_FORMAT " of 23 answers",
                  info_count (main_only, "answers"));

  cli_run (&r, "copy", f->study, copy, NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, copy));
  /* One file: no journal beside it (until something opens it). */
  g_assert_false (g_file_test (copy_wal, G_FILE_TEST_EXISTS));
  g_assert_cmpint (info_count (copy, "answers"), ==, 23);
  cli_run (&r, "check", copy, NULL);
  g_assert_cmpint (r.status, ==, 0);

  /* Never over an existing file. */
  cli_run (&r, "copy", f->study, main_only, NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, main_only));

  sqlite3_finalize (stmt);
  sqlite3_close (reader);
}

/* Item 11: an export to standard output writes no temporary file (one was left world-readable
 * in the temporary folder, and behind after a kill): it works with no temporary folder at all. */
static void
test_export_stdout_no_tmp (Fixture       *f,
                           gconstpointer  data)
{
  const char *argv[] = { g_getenv ("LIKENESS_CLI"), "export", f->study, "--json", "-", NULL };
  g_autofree char *missing = g_build_filename (f->dir, "no-such-tmp", NULL);
  g_auto(GStrv) envp = g_environ_setenv (g_get_environ (), "TMPDIR", missing, TRUE);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL, *err = NULL;
  int wait_status = 0;

  create_study (f, f->study, "30");
  g_assert_true (g_spawn_sync (NULL, (char **) argv, envp, G_SPAWN_DEFAULT, NULL, NULL, &out,
                               &err, &wait_status, &error));
  g_assert_no_error (error);
  if (!WIFEXITED (wait_status) || WEXITSTATUS (wait_status) != 0)
    g_error ("export --json - with TMPDIR=%s: %s", missing, err);
  g_assert_true (json_parser_load_from_data (parser, out, -1, &error));
  g_assert_no_error (error);
  g_assert_false (g_file_test (missing, G_FILE_TEST_EXISTS));
}

/* Returns the sha256 the study at @path holds for the image @rel. */
static char *
stored_hash (const char *path,
             const char *rel)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  char *hash = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT sha256 FROM image WHERE path = ?", -1, &stmt,
                                       NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, rel, -1, SQLITE_STATIC);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  hash = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  return hash;
}

/* Item 4: once the first grids are drawn, an image whose file got new content is not swapped
 * under the answers given on the old one: the import reports it, naming the file. */
static void
test_changed_image (Fixture       *f,
                    gconstpointer  data)
{
  g_auto(CliRun) r = { 0 };
  g_autofree char *image = g_build_filename (f->images, "c05.png", NULL);
  g_autofree char *before = NULL, *after = NULL;
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 20, 14);

  create_study (f, f->study, "30");
  cli_run (&r, "answer", f->study, "--count", "3", NULL);
  g_assert_cmpint (r.status, ==, 0);
  before = stored_hash (f->study, "c05.png");

  gdk_pixbuf_fill (pixbuf, 0x10203040);
  g_assert_true (gdk_pixbuf_save (pixbuf, image, "png", NULL, NULL));
  cli_run (&r, "import", f->study, f->images, NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "updated 0,"));
  if (strstr (r.out, "skipped: c05.png: its content changed after the study started") == NULL)
    g_error ("import printed: %s", r.out);
  after = stored_hash (f->study, "c05.png");
  g_assert_cmpstr (after, ==, before);
  cli_run (&r, "check", f->study, NULL);
  g_assert_cmpint (r.status, ==, 0);
}

/* Item 12: an answer with the same image at two positions is refused by line, not stored. */
static void
test_import_same_image_twice (Fixture       *f,
                              gconstpointer  data)
{
  g_auto(CliRun) r = { 0 };
  g_autofree char *other = g_build_filename (f->dir, "other.likeness", NULL);
  g_autofree char *csv = g_build_filename (f->dir, "answers.csv", NULL);
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  g_auto(GStrv) first = NULL;
  g_auto(GStrv) second = NULL;
  g_autofree char *joined = NULL;

  create_study (f, f->study, "30");
  create_study (f, other, "30");
  cli_run (&r, "answer", f->study, "--count", "2", NULL);
  g_assert_cmpint (r.status, ==, 0);
  cli_run (&r, "export", f->study, "--answers", csv, NULL);
  g_assert_cmpint (r.status, ==, 0);

  /* Line 3 (answer 1, position 1) gets the image of line 2 (position 0). */
  g_assert_true (g_file_get_contents (csv, &text, NULL, NULL));
  lines = g_strsplit (text, "\n", -1);
  first = g_strsplit (lines[1], ",", -1);
  second = g_strsplit (lines[2], ",", -1);
  g_free (second[6]);
  second[6] = g_strdup (first[6]);
  g_free (second[7]);
  second[7] = g_strdup (first[7]);
  g_free (lines[2]);
  lines[2] = g_strjoinv (",", second);
  joined = g_strjoinv ("\n", lines);
  g_assert_true (g_file_set_contents (csv, joined, -1, NULL));

  cli_run (&r, "import-answers", other, csv, NULL);
  g_assert_cmpint (r.status, ==, 1);
  if (strstr (r.err, "line 3: ") == NULL || strstr (r.err, first[7]) == NULL)
    g_error ("import-answers said: %s", r.err);
  g_assert_cmpint (info_count (other, "answers"), ==, 0);
}

/* Item 10: file names that are not UTF-8 or hold a line break are left out, saying why (every
 * export stays valid UTF-8 and reads back), WebP and HEIF files are named as unsupported
 * formats rather than "not an image", and each kind of symbolic link that is not followed is
 * named as such (all were "symbolic link to a folder"). */
static void
test_odd_files (Fixture       *f,
                gconstpointer  data)
{
  static const char webp[] = "RIFF\x1a\0\0\0WEBPVP8L\x0d\0\0\0/\0\0\0\x10\x07\x10\x11\x11\x88\x88\xfe\x07\0";
  static const char heic[] = "\0\0\0\x18" "ftypheic\0\0\0\0mif1heic";
  g_auto(CliRun) r = { 0 };
  g_autofree char *good = g_build_filename (f->images, "c01.png", NULL);
  g_autofree char *latin1 = g_build_filename (f->images, "caf\xe9.png", NULL);
  g_autofree char *newline = g_build_filename (f->images, "two\nlines.png", NULL);
  g_autofree char *webp_path = g_build_filename (f->images, "photo.webp", NULL);
  g_autofree char *heic_path = g_build_filename (f->images, "photo.heic", NULL);
  g_autofree char *dangling = g_build_filename (f->images, "dangling.png", NULL);
  g_autofree char *loop_a = g_build_filename (f->images, "loop-a.png", NULL);
  g_autofree char *loop_b = g_build_filename (f->images, "loop-b.png", NULL);
  g_autofree char *zero = g_build_filename (f->images, "zero.png", NULL);
  g_autofree char *folder = g_build_filename (f->images, "folder-link", NULL);
  g_autofree char *png = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  gsize len = 0;

  g_assert_true (g_file_get_contents (good, &png, &len, NULL));
  g_assert_true (g_file_set_contents (latin1, png, len, NULL));
  g_assert_true (g_file_set_contents (newline, png, len, NULL));
  g_assert_true (g_file_set_contents (webp_path, webp, sizeof webp - 1, NULL));
  g_assert_true (g_file_set_contents (heic_path, heic, sizeof heic - 1, NULL));
  /* Links: to nowhere, in a loop, to a device, to a folder. */
  g_assert_cmpint (symlink ("no-such-file.png", dangling), ==, 0);
  g_assert_cmpint (symlink ("loop-b.png", loop_a), ==, 0);
  g_assert_cmpint (symlink ("loop-a.png", loop_b), ==, 0);
  g_assert_cmpint (symlink ("/dev/zero", zero), ==, 0);
  g_assert_cmpint (symlink ("sub", folder), ==, 0);

  cli_run (&r, "create", f->study, "--images", f->images, "--budget", "30", "--phases", "2",
           "--nq", "8", "--nc", "3", "--k", "8", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_true (g_utf8_validate (r.out, -1, NULL));
  if (strstr (r.out, "its name is not valid UTF-8") == NULL ||
      strstr (r.out, "two\\nlines.png: its name holds a line break") == NULL ||
      strstr (r.out, "photo.webp: unsupported format (WebP)") == NULL ||
      strstr (r.out, "photo.heic: unsupported format (HEIF)") == NULL ||
      strstr (r.out, "dangling.png: broken symbolic link") == NULL ||
      strstr (r.out, "loop-a.png: broken symbolic link") == NULL ||
      strstr (r.out, "zero.png: symbolic link to a device") == NULL ||
      strstr (r.out, "folder-link: symbolic link to a folder") == NULL)
    g_error ("create printed: %s", r.out);
  g_assert_nonnull (strstr (r.out, "imported 24,"));

  cli_run (&r, "answer", f->study, "--count", "2", NULL);
  g_assert_cmpint (r.status, ==, 0);
  cli_run (&r, "export", f->study, "--json", "-", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_true (g_utf8_validate (r.out, -1, NULL));
  g_assert_true (json_parser_load_from_data (parser, r.out, -1, &error));
  g_assert_no_error (error);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_bug ("14");

#define ADD(path, func) \
  g_test_add ("/lk/cli/safety/" path, Fixture, "lk-cli-safety-XXXXXX", cli_fixture_setup, func, \
              cli_fixture_teardown)
  ADD ("export-over-study", test_export_over_study);
  ADD ("import-idempotent", test_import_idempotent);
  ADD ("deleted-while-open", test_deleted_while_open);
  ADD ("copy-with-reader", test_copy_with_reader);
  ADD ("export-stdout-no-tmp", test_export_stdout_no_tmp);
  ADD ("changed-image", test_changed_image);
  ADD ("import-same-image-twice", test_import_same_image_twice);
  ADD ("odd-files", test_odd_files);
#undef ADD

  return g_test_run ();
}
