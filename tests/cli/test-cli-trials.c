/* test-cli-trials.c — likeness-cli create --plan, settings and info with a session plan;
 * import-trials, export --trials, score and check on a study's trials
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdlib.h>
#include <string.h>
#include <json-glib/json-glib.h>

#include "cli-test-utils.h"
#include "tests/lk-test-utils.h"

/* A triplet shown with A on the right and answered "A closer", and a match page answered with
 * its known partner; item numbers are 0 here (the import finds images by path). */
static const char trials_csv[] =
  "answer,participant,session,query,kind,block,group,phase,position,item,path,role,side,key,"
  "chosen,choice,shown_us,submitted_us\n"
  "1,P7,1,1,triplet,1,5,0,0,0,sub/c00.png,query,top,0,0,3,100,2500\n"
  "1,P7,1,1,triplet,1,5,0,1,0,c01.png,a,right,0,1,3,100,2500\n"
  "1,P7,1,1,triplet,1,5,0,2,0,c02.png,b,left,0,0,3,100,2500\n"
  "2,P7,1,2,match,2,0,0,0,0,c04.png,query,,0,0,2,3000,7000\n"
  "2,P7,1,2,match,2,0,0,1,0,c05.png,candidate,,0,0,2,3000,7000\n"
  "2,P7,1,2,match,2,0,0,2,0,sub/c06.png,candidate,,1,1,2,3000,7000\n"
  "2,P7,1,2,match,2,0,0,3,0,c07.png,candidate,,0,0,2,3000,7000\n";

/* Returns @csv with its item column (the tenth) emptied on every line. */
static char *
without_items (const char *csv)
{
  g_auto(GStrv) lines = g_strsplit (csv, "\n", -1);
  GString *out = g_string_new (NULL);

  for (guint l = 0; lines[l] != NULL; l++)
    {
      g_auto(GStrv) fields = g_strsplit (lines[l], ",", -1);

      if (l > 0 && g_strv_length (fields) > 9)
        {
          g_free (fields[9]);
          fields[9] = g_strdup ("");
        }
      if (l > 0)
        g_string_append_c (out, '\n');
      {
        g_autofree char *joined = g_strjoinv (",", fields);

        g_string_append (out, joined);
      }
    }

  return g_string_free (out, FALSE);
}

static JsonObject *
parse_object (JsonParser *parser,
              const char *text)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (json_parser_load_from_data (parser, text, -1, &error));
  g_assert_no_error (error);

  return json_node_get_object (json_parser_get_root (parser));
}

static void
test_plan (CliFixture    *f,
           gconstpointer  data)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *refused = g_build_filename (f->dir, "refused.likeness", NULL);
  CliRun r = { 0 };

  cli_run (&r, "create", f->study, "--images", f->images, "--nq", "8", "--budget", "10",
           "--plan", "sort:2, triplet:5", NULL);
  g_assert_cmpint (r.status, ==, 0);
  cli_run_clear (&r);

  cli_run (&r, "info", f->study, "--json", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_cmpstr (json_object_get_string_member (parse_object (parser, r.out), "plan"), ==,
                   "sort:2,triplet:5");
  cli_run_clear (&r);
  cli_run (&r, "settings", f->study, NULL);
  g_assert_nonnull (strstr (r.out, "\nplan                   sort:2,triplet:5\n"));
  cli_run_clear (&r);

  /* A plan that does not parse is a usage error naming the block; one the study cannot run
   * (more sorting grids than the budget) a failure saying what to change. */
  cli_run (&r, "settings", f->study, "--set", "plan=triplets:3", NULL);
  g_assert_cmpint (r.status, ==, 2);
  g_assert_nonnull (strstr (r.err, "triplets"));
  cli_run_clear (&r);
  cli_run (&r, "settings", f->study, "--set", "plan=sort:11", NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, "budget is 10"));
  cli_run_clear (&r);

  /* Back to the default: one sort block of the budget (no limit per participant) after the
   * one practice grid. */
  cli_run (&r, "settings", f->study, "--set", "plan=", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "\nplan                   (one sort block"));
  cli_run_clear (&r);
  cli_run (&r, "info", f->study, "--json", NULL);
  g_assert_cmpstr (json_object_get_string_member (parse_object (parser, r.out), "plan"), ==,
                   "sort:10:1");
  cli_run_clear (&r);

  /* create refuses such a plan and leaves no study behind. */
  cli_run (&r, "create", refused, "--images", f->images, "--nq", "8", "--budget", "10",
           "--plan", "sort:11", NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, "budget is 10"));
  g_assert_false (g_file_test (refused, G_FILE_TEST_EXISTS));
  cli_run_clear (&r);
}

static void
test_trials (CliFixture    *f,
             gconstpointer  data)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *csv = g_build_filename (f->dir, "trials.csv", NULL);
  g_autofree char *expected = without_items (trials_csv);
  g_autofree char *exported = NULL;
  JsonObject *scores;
  CliRun r = { 0 };

  g_assert_true (g_file_set_contents (csv, trials_csv, -1, NULL));
  cli_run (&r, "create", f->study, "--images", f->images, "--nq", "8", NULL);
  g_assert_cmpint (r.status, ==, 0);
  cli_run_clear (&r);

  cli_run (&r, "import-trials", f->study, csv, NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_cmpstr (r.out, ==, "imported 2 trials; skipped 0 already in the study\n");
  cli_run_clear (&r);
  cli_run (&r, "import-trials", f->study, csv, NULL);
  g_assert_cmpstr (r.out, ==, "imported 0 trials; skipped 2 already in the study\n");
  cli_run_clear (&r);

  /* Exported as imported: positions, sides, key, chosen, choice, times. */
  cli_run (&r, "export", f->study, "--trials", "-", NULL);
  g_assert_cmpint (r.status, ==, 0);
  exported = without_items (r.out);
  g_assert_cmpstr (exported, ==, expected);
  cli_run_clear (&r);

  cli_run (&r, "info", f->study, "--json", NULL);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (
                     parse_object (parser, r.out), "counts"), "trials"), ==, 2);
  cli_run_clear (&r);

  /* No phase yet: the learned metric is unavailable and says why. */
  cli_run (&r, "score", f->study, "--json", NULL);
  g_assert_cmpint (r.status, ==, 0);
  scores = parse_object (parser, r.out);
  g_assert_true (json_object_has_member (scores, "triplet"));
  g_assert_true (json_object_has_member (scores, "match"));
  g_assert_false (json_object_has_member (scores, "choice5"));
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (scores, "match"),
                                               "pairs"), ==, 1);
  g_assert_true (json_object_has_member (
                   json_object_get_object_member (json_object_get_object_member (scores,
                                                                                 "triplet"),
                                                  "unavailable"), "learned"));
  cli_run_clear (&r);

  cli_run (&r, "check", f->study, NULL);
  g_assert_cmpint (r.status, ==, 0);
  cli_run_clear (&r);

  /* A CSV naming an image the study lacks adds nothing, and says which line. */
  {
    g_autofree char *bad = g_build_filename (f->dir, "bad.csv", NULL);
    g_autofree char *text = g_strdup (trials_csv);
    char *at = strstr (text, "c05.png");

    at[1] = '9';
    at[2] = '9';
    g_assert_true (g_file_set_contents (bad, text, -1, NULL));
    cli_run (&r, "import-trials", f->study, bad, NULL);
    g_assert_cmpint (r.status, ==, 1);
    g_assert_nonnull (strstr (r.err, "line 6: the study has no image 'c99.png'"));
    cli_run_clear (&r);
  }
}

/* Returns the index i of the fixture's image named by @path ("sub/c00.png", "c01.png"). */
static guint
image_index (const char *path)
{
  const char *base = strrchr (path, '/') != NULL ? strrchr (path, '/') + 1 : path;

  g_assert_true (base[0] == 'c');
  return (guint) g_ascii_strtoull (base + 1, NULL, 10);
}

/* answer --trials: the study sorted to its budget, then trials of every kind drawn from its
 * embedding and answered by simulated raters judging by a ground truth in which image i sits
 * at i on a line, so that each stored triplet answer can be checked by hand. */
static void
test_answer_trials (CliFixture    *f,
                    gconstpointer  data)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *truth = g_build_filename (f->dir, "truth.csv", NULL);
  g_autoptr(GString) csv = g_string_new ("id,x\n");
  g_auto(GStrv) lines = NULL;
  JsonObject *scores;
  guint saved = 0, triplet_rows = 0, checked = 0;
  CliRun r = { 0 };

  for (guint i = 0; i < CLI_FIXTURE_IMAGES; i++)
    g_string_append_printf (csv, "%sc%02u.png,%u\n", i % 3 == 0 ? "sub/" : "", i, i);
  g_assert_true (g_file_set_contents (truth, csv->str, -1, NULL));
  cli_run (&r, "create", f->study, "--images", f->images, "--nq", "8", "--nc", "2", "--budget",
           "6", "--phases", "2", "--seed", "3", NULL);
  g_assert_cmpint (r.status, ==, 0);
  cli_run_clear (&r);

  /* Misuse is a usage error; an intruder HIT before any phase has no clusters to come from. */
  cli_run (&r, "answer", f->study, "--trials", "sort:3", NULL);
  g_assert_cmpint (r.status, ==, 2);
  g_assert_nonnull (strstr (r.err, "'sort:3' is not KIND:N"));
  cli_run_clear (&r);
  cli_run (&r, "answer", f->study, "--raters", "2", NULL);
  g_assert_cmpint (r.status, ==, 2);
  cli_run_clear (&r);
  cli_run (&r, "answer", f->study, "--truth", truth, "--count", "1", "--trials", "intruder:1",
           NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, "needs clusters or a learned embedding"));
  cli_run_clear (&r);

  cli_run (&r, "answer", f->study, "--truth", truth, "--trials",
           "triplet:5,choice5:3,match:4,intruder:2", "--raters", "2", NULL);
  g_assert_cmpint (r.status, ==, 0);
  lines = g_strsplit (r.out, "\n", -1);
  for (guint l = 0; lines[l] != NULL; l++)
    saved += g_str_has_prefix (lines[l], "saved ");
  /* 5 more grids to the budget of 6, then 14 trials twice. */
  g_assert_cmpuint (saved, ==, 5 + 14 * 2);
  cli_run_clear (&r);

  cli_run (&r, "score", f->study, "--json", NULL);
  g_assert_cmpint (r.status, ==, 0);
  scores = parse_object (parser, r.out);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (scores, "triplet"),
                                               "ratings"), ==, 10);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (scores, "triplet"),
                                               "triplets"), ==, 5);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (scores, "intruder"),
                                               "hits"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (scores, "intruder"),
                                               "answers"), ==, 4);
  g_assert_true (json_object_has_member (scores, "choice5"));
  g_assert_true (json_object_has_member (scores, "match"));
  g_assert_true (json_object_has_member (json_object_get_object_member (
                   json_object_get_object_member (scores, "triplet"), "metrics"), "learned"));
  cli_run_clear (&r);

  /* Every triplet answer is the truth's: A closer (3) when |q - a| < |q - b|, B closer (4) when
   * greater, both similar (1) on a tie (no noise was asked for). */
  cli_run (&r, "export", f->study, "--trials", "-", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_strfreev (lines);
  lines = g_strsplit (r.out, "\n", -1);
  for (guint l = 1; lines[l] != NULL && lines[l][0] != '\0'; l++)
    {
      g_auto(GStrv) q = g_strsplit (lines[l], ",", -1);
      g_auto(GStrv) a = NULL, b = NULL;
      int dq, expected;

      if (g_strcmp0 (q[4], "triplet") != 0)
        continue;
      triplet_rows++;
      if (g_strcmp0 (q[11], "query") != 0)
        continue;
      a = g_strsplit (lines[l + 1], ",", -1);
      b = g_strsplit (lines[l + 2], ",", -1);
      g_assert_cmpstr (a[11], ==, "a");
      g_assert_cmpstr (b[11], ==, "b");
      dq = abs ((int) image_index (q[10]) - (int) image_index (a[10])) -
           abs ((int) image_index (q[10]) - (int) image_index (b[10]));
      expected = dq < 0 ? 3 : dq > 0 ? 4 : 1;
      g_assert_cmpint (atoi (q[15]), ==, expected);
      checked++;
    }
  g_assert_cmpuint (triplet_rows, ==, 10 * 3);
  g_assert_cmpuint (checked, ==, 10);
  cli_run_clear (&r);

  cli_run (&r, "check", f->study, NULL);
  g_assert_cmpint (r.status, ==, 0);
  cli_run_clear (&r);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/lk/cli/trials/plan", CliFixture, "lk-cli-trials-XXXXXX", cli_fixture_setup,
              test_plan, cli_fixture_teardown);
  g_test_add ("/lk/cli/trials/import-export-score", CliFixture, "lk-cli-trials-XXXXXX",
              cli_fixture_setup, test_trials, cli_fixture_teardown);
  g_test_add ("/lk/cli/trials/answer", CliFixture, "lk-cli-trials-XXXXXX", cli_fixture_setup,
              test_answer_trials, cli_fixture_teardown);

  return g_test_run ();
}
