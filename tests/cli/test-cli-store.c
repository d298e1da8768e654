/* test-cli-store.c — likeness-cli create, import, info, export and import-answers on a study
 * made from a generated folder of images
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <string.h>
#include <glib/gstdio.h>
#include <gdk-pixbuf/gdk-pixbuf.h>
#include <json-glib/json-glib.h>

#include "cli-test-utils.h"
#include "tests/lk-test-utils.h"

typedef struct {
  char *dir;
  char *images;
  char *study;
} Fixture;

/* Writes a w x h PNG of one colour. */
static void
write_png (const char *path,
           guint8      r,
           guint8      g,
           guint8      b)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 24, 16);
  g_autoptr(GError) error = NULL;

  gdk_pixbuf_fill (pixbuf, ((guint32) r << 24) | ((guint32) g << 16) | ((guint32) b << 8) | 0xff);
  g_assert_true (gdk_pixbuf_save (pixbuf, path, "png", &error, NULL));
  g_assert_no_error (error);
}

/* A folder of 12 good images (4 in a subfolder), a text file and a zero-byte .png. */
static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *sub = NULL;

  f->dir = g_dir_make_tmp ("lk-cli-store-XXXXXX", &error);
  g_assert_no_error (error);
  f->images = g_build_filename (f->dir, "images", NULL);
  f->study = g_build_filename (f->dir, "study.likeness", NULL);
  sub = g_build_filename (f->images, "sub", NULL);
  g_assert_cmpint (g_mkdir_with_parents (sub, 0700), ==, 0);

  for (guint i = 0; i < 12; i++)
    {
      g_autofree char *name = g_strdup_printf ("c%02u.png", i);
      g_autofree char *path = g_build_filename (i < 4 ? sub : f->images, name, NULL);

      write_png (path, 20 * i, 255 - 20 * i, (i * 77) % 256);
    }
  {
    g_autofree char *text = g_build_filename (f->images, "notes.txt", NULL);
    g_autofree char *empty = g_build_filename (f->images, "empty.png", NULL);

    g_assert_true (g_file_set_contents (text, "not an image", -1, NULL));
    g_assert_true (g_file_set_contents (empty, "", 0, NULL));
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
}

static JsonObject *
info_json (Fixture    *f,
           JsonParser *parser)
{
  g_auto(CliRun) r = { 0 };
  g_autoptr(GError) error = NULL;

  cli_run (&r, "info", f->study, "--json", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_true (json_parser_load_from_data (parser, r.out, -1, &error));
  g_assert_no_error (error);

  return json_node_get_object (json_parser_get_root (parser));
}

static void
test_create_and_info (Fixture       *f,
                      gconstpointer  data)
{
  g_auto(CliRun) r = { 0 };
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *info, *params, *counts;

  cli_run (&r, "create", f->study, "--images", f->images, "--method", "triplet", "--budget", "37",
           "--phases", "3", "--nq", "6", "--nc", "3", "--k", "8", "--seed", "2385", NULL);
  g_assert_cmpint (r.status, ==, 0);
  /* 12 images in, two files skipped with their reasons. */
  g_assert_nonnull (strstr (r.out, "imported 12"));
  g_assert_nonnull (strstr (r.out, "skipped 2"));
  g_assert_nonnull (strstr (r.out, "skipped: notes.txt: "));
  g_assert_nonnull (strstr (r.out, "skipped: empty.png: "));
  /* The browser's descriptors are computed with the import. */
  g_assert_nonnull (strstr (r.out, "descriptors computed for 12 images"));

  info = info_json (f, parser);
  params = json_object_get_object_member (info, "params");
  counts = json_object_get_object_member (info, "counts");
  g_assert_cmpstr (json_object_get_string_member (info, "method"), ==, "triplet");
  g_assert_cmpint (json_object_get_int_member (params, "budget"), ==, 37);
  g_assert_cmpint (json_object_get_int_member (params, "phases"), ==, 3);
  g_assert_cmpint (json_object_get_int_member (params, "nq"), ==, 6);
  g_assert_cmpint (json_object_get_int_member (params, "nc"), ==, 3);
  g_assert_cmpint (json_object_get_int_member (params, "k"), ==, 8);
  g_assert_cmpint (json_object_get_int_member (params, "seed"), ==, 2385);
  g_assert_cmpint (json_object_get_int_member (counts, "images"), ==, 12);
  g_assert_cmpint (json_object_get_int_member (counts, "answers"), ==, 0);

  /* Importing the same folder again adds nothing. */
  cli_run (&r, "import", f->study, f->images, NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "imported 0, unchanged 12"));
  g_assert_nonnull (strstr (r.out, "descriptors computed for 0 images"));
}

static void
test_export (Fixture       *f,
             gconstpointer  data)
{
  g_auto(CliRun) r = { 0 };
  g_autofree char *answers = g_build_filename (f->dir, "answers.csv", NULL);
  g_autofree char *json = g_build_filename (f->dir, "study.json", NULL);
  g_autofree char *text = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();

  cli_run (&r, "create", f->study, "--images", f->images, "--nq", "8", NULL);
  g_assert_cmpint (r.status, ==, 0);

  cli_run (&r, "export", f->study, "--answers", answers, "--json", json, NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_true (g_file_get_contents (answers, &text, NULL, NULL));
  g_assert_true (g_str_has_prefix (text, "answer,participant,session,query,phase"));
  g_assert_true (json_parser_load_from_file (parser, json, NULL));
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));

  /* No judging round yet: the header alone, an empty list, and a clear error for a round asked
   * for by id. */
  cli_run (&r, "export", f->study, "--judgements", "-", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_cmpstr (r.out, ==, "round,judge,baseline,seed,seed_item,seed_path,neighbour,"
                   "neighbour_path,source,rank,distance,position,mark\n");
  cli_run (&r, "export", f->study, "--judgements-json", "-", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_true (json_parser_load_from_data (parser, r.out, -1, NULL));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (
                      json_node_get_object (json_parser_get_root (parser)), "rounds")), ==, 0);
  cli_run (&r, "export", f->study, "--judgements-json", json, "--round", "3", NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, "no judging round 3"));
  cli_run (&r, "info", f->study, "--json", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_true (json_parser_load_from_data (parser, r.out, -1, NULL));
  g_assert_true (json_object_has_member (json_node_get_object (json_parser_get_root (parser)),
                                         "judging"));

  /* Before any phase there is no embedding: a clear message and status 1, not a crash. */
  cli_run (&r, "export", f->study, "--embedding", answers, NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, "embedding"));
}

static void
test_import_answers_all_or_none (Fixture       *f,
                                 gconstpointer  data)
{
  g_auto(CliRun) r = { 0 };
  g_autofree char *csv = g_build_filename (f->dir, "bad.csv", NULL);
  g_autoptr(JsonParser) before = json_parser_new ();
  g_autoptr(JsonParser) after = json_parser_new ();

  cli_run (&r, "create", f->study, "--images", f->images, "--nq", "8", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_true (g_file_set_contents (csv,
    "answer,participant,session,query,phase,position,item,path,bin,shown_us,submitted_us\n"
    "1,P1,1,1,1,0,1,nowhere.png,0,10,20\n", -1, NULL));

  info_json (f, before);
  cli_run (&r, "import-answers", f->study, csv, NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, "line 2"));
  info_json (f, after);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (
                     json_node_get_object (json_parser_get_root (after)), "counts"), "answers"),
                   ==, 0);
}

static void
test_errors (Fixture       *f,
             gconstpointer  data)
{
  g_auto(CliRun) r = { 0 };
  g_autofree char *text = g_build_filename (f->dir, "text.likeness", NULL);
  g_autofree char *missing = g_build_filename (f->dir, "missing.likeness", NULL);

  g_assert_true (g_file_set_contents (text, "hello", -1, NULL));

  cli_run (&r, "info", text, NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, "Not a Likeness study"));

  cli_run (&r, "info", missing, NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, "missing.likeness"));

  cli_run (&r, "create", f->study, "--images", f->images, "--nq", "8", NULL);
  g_assert_cmpint (r.status, ==, 0);
  cli_run (&r, "create", f->study, "--images", f->images, "--nq", "8", NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, "already exists"));

  cli_run (&r, "create", missing, "--budget", "-3", NULL);
  g_assert_cmpint (r.status, ==, 2);
  g_assert_nonnull (strstr (r.err, "--budget"));
  g_assert_true (!g_file_test (missing, G_FILE_TEST_EXISTS));

  cli_run (&r, "create", missing, "--method", "magic", NULL);
  g_assert_cmpint (r.status, ==, 2);
  g_assert_nonnull (strstr (r.err, "triplet"));

  cli_run (&r, "export", f->study, NULL);
  g_assert_cmpint (r.status, ==, 2);
  cli_run (&r, "info", NULL);
  g_assert_cmpint (r.status, ==, 2);
  cli_run (&r, "import", f->study, NULL);
  g_assert_cmpint (r.status, ==, 2);
}

/* `judge` draws a round once a phase is complete; export and info show it. */
static void
test_judge (Fixture       *f,
            gconstpointer  data)
{
  g_auto(CliRun) r = { 0 };
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_auto(GStrv) lines = NULL;
  JsonArray *rounds;

  cli_run (&r, "create", f->study, "--images", f->images, "--budget", "10", "--phases", "2",
           "--nq", "4", "--nc", "2", "--k", "5", NULL);
  g_assert_cmpint (r.status, ==, 0);

  /* No phase is complete: nothing learned to judge. */
  cli_run (&r, "judge", f->study, "--judge", "J1", NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, "No phase is complete"));
  cli_run (&r, "judge", f->study, NULL);
  g_assert_cmpint (r.status, ==, 2);
  cli_run (&r, "judge", f->study, "--judge", "J1", "--baseline", "learned", NULL);
  g_assert_cmpint (r.status, ==, 2);

  cli_run (&r, "answer", f->study, "-n", "5", NULL);
  g_assert_cmpint (r.status, ==, 0);
  cli_run (&r, "judge", f->study, "--judge", "J1", "--seeds", "4", "-k", "3", "--sample-seed",
           "9", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_true (g_str_has_prefix (r.out, "round 1: 4 seeds, "));

  /* Four seeds, three neighbours from each metric: 24 rows, no mark yet. */
  cli_run (&r, "export", f->study, "--judgements", "-", "--round", "1", NULL);
  g_assert_cmpint (r.status, ==, 0);
  lines = g_strsplit (r.out, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 1 + 24 + 1);
  g_assert_true (g_str_has_prefix (lines[1], "1,J1,color,0,"));
  g_assert_true (g_str_has_suffix (lines[1], ","));

  cli_run (&r, "info", f->study, "--json", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_true (json_parser_load_from_data (parser, r.out, -1, NULL));
  rounds = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)),
                                         "judging");
  g_assert_cmpuint (json_array_get_length (rounds), ==, 1);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (rounds, 0), "seeds"),
                   ==, 4);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (rounds, 0), "marked"),
                   ==, 0);
  cli_run (&r, "info", f->study, NULL);
  g_assert_nonnull (strstr (r.out, "judging      round 1 by J1 against color, 4 seeds, 0 of "));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/lk/cli/store/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("create-and-info", test_create_and_info);
  ADD ("export", test_export);
  ADD ("import-answers-all-or-none", test_import_answers_all_or_none);
  ADD ("errors", test_errors);
  ADD ("judge", test_judge);
#undef ADD

  return g_test_run ();
}
