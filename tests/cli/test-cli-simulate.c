/* test-cli-simulate.c — `likeness-cli simulate` as a script or a person uses it
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <string.h>
#include <json-glib/json-glib.h>

#include "cli-test-utils.h"

static void
test_json_lines (void)
{
  g_auto(CliRun) r = { 0 };
  g_auto(GStrv) lines = NULL;
  const char *fields[] = { "phase", "queries", "recall10", "cluster_error",
                           "cooccurrence_locality", "stress", "seconds" };

  cli_run (&r, "simulate", "--dataset", "colors:200", "--budget", "100", "--phases", "2",
           "--json", NULL);
  g_assert_cmpint (r.status, ==, 0);

  lines = g_strsplit (g_strstrip (r.out), "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 2);
  for (guint l = 0; l < 2; l++)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autoptr(GError) error = NULL;
      JsonObject *o;

      g_assert_true (json_parser_load_from_data (parser, lines[l], -1, &error));
      g_assert_no_error (error);
      o = json_node_get_object (json_parser_get_root (parser));
      for (guint f = 0; f < G_N_ELEMENTS (fields); f++)
        g_assert_true (json_object_has_member (o, fields[f]));
      g_assert_cmpint (json_object_get_int_member (o, "phase"), ==, l + 1);
      g_assert_cmpint (json_object_get_int_member (o, "queries"), ==, 50 * (l + 1));
      /* colors has no labels, so no cluster error. */
      g_assert_true (json_object_get_null_member (o, "cluster_error"));
      g_assert_cmpfloat (json_object_get_double_member (o, "recall10"), >=, 0.0);
      g_assert_cmpfloat (json_object_get_double_member (o, "recall10"), <=, 1.0);
    }
}

static void
test_cluster_error_with_labels (void)
{
  g_auto(CliRun) r = { 0 };
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *err;

  cli_run (&r, "simulate", "--dataset", "blobs:200", "--budget", "60", "--phases", "1", "--json",
           NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_true (json_parser_load_from_data (parser, g_strstrip (r.out), -1, NULL));
  err = json_object_get_member (json_node_get_object (json_parser_get_root (parser)),
                                "cluster_error");
  g_assert_true (JSON_NODE_HOLDS_VALUE (err));
  g_assert_cmpfloat (json_node_get_double (err), >=, 0.0);
  g_assert_cmpfloat (json_node_get_double (err), <=, 1.0);
}

static void
test_table (void)
{
  g_auto(CliRun) r = { 0 };
  g_auto(GStrv) lines = NULL;
  guint rows = 0;

  cli_run (&r, "simulate", "--dataset", "points2d:150", "--budget", "60", "--phases", "3", NULL);
  g_assert_cmpint (r.status, ==, 0);
  lines = g_strsplit (r.out, "\n", -1);
  for (guint l = 0; lines[l] != NULL; l++)
    {
      g_auto(GStrv) cols = g_strsplit_set (g_strstrip (lines[l]), " ", -1);

      /* A data row starts with the seed (1) and the phase number. */
      if (cols[0] != NULL && g_str_equal (cols[0], "1"))
        rows++;
    }
  g_assert_cmpuint (rows, ==, 3);
  g_assert_nonnull (strstr (r.out, "recall10"));
}

static void
test_list_methods (void)
{
  g_auto(CliRun) r = { 0 };
  g_auto(GStrv) lines = NULL;
  gboolean paper = FALSE, random = FALSE;

  cli_run (&r, "simulate", "--list-methods", NULL);
  g_assert_cmpint (r.status, ==, 0);
  lines = g_strsplit (g_strstrip (r.out), "\n", -1);
  for (guint l = 0; lines[l] != NULL; l++)
    {
      /* The name at the start of its own line, then a description. */
      paper |= g_str_has_prefix (lines[l], "paper ");
      random |= g_str_has_prefix (lines[l], "random ");
      g_assert_cmpuint (strlen (lines[l]), >, 12);
    }
  g_assert_true (paper && random);
}

typedef struct {
  const char *args[6];
  const char *message;   /* a part of the message that must be on stderr */
} BadCase;

static void
test_bad_arguments (void)
{
  const BadCase cases[] = {
    { { "simulate", "--method", "nonsense" }, "paper" },
    { { "simulate", "--budget", "abc" }, "--budget" },
    { { "simulate", "--budget", "0" }, "--budget" },
    { { "simulate", "--beta", "1" }, "--beta" },
    { { "simulate", "--dataset", "foo" }, "colors:N" },
    { { "simulate", "--dataset", "csv:/nonexistent/x.csv" }, "/nonexistent/x.csv" },
    { { "simulate", "--dataset", "colors:10", "--nq", "20" }, "nq" },
    { { "simulate", "--triplet-rate", "0" }, "--triplet-rate" },
    { { "simulate", "--triplet-answers", "0" }, "--triplet-answers" },
    { { "simulate", "--triplet-iterations", "x" }, "--triplet-iterations" },
    { { "simulate", "--triplet-first-iterations", "0" }, "--triplet-first-iterations" },
    { { "simulate", "stray" }, "stray" },
    { { "simulate", "--plan", "bogus:3" }, "--plan" },
    { { "simulate", "--plan", "triplet:5" }, "sorting block" },
    { { "simulate", "--plan", "sort:5", "--choice5-policy", "best" }, "--choice5-policy" },
    { { "simulate", "--plan", "sort:5", "--choice5-policy", "pair" }, "collected pairs" },
    { { "simulate", "--random-share", "1.5" }, "--random-share" },
    { { "simulate", "--plan", "sort:5", "--qualify" }, "without --plan" },
    { { "frobnicate" }, "frobnicate" },
  };

  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      g_auto(CliRun) r = { 0 };
      const char *const *a = cases[c].args;

      cli_run (&r, a[0], a[1], a[2], a[3], a[4], a[5], NULL);
      g_test_message ("%s %s %s -> %d: %s", a[0], a[1] ? a[1] : "", a[2] ? a[2] : "", r.status, r.err);
      g_assert_cmpint (r.status, ==, 2);
      g_assert_nonnull (strstr (r.err, cases[c].message));
    }
}

static void
test_same_seed_same_output (void)
{
  g_auto(CliRun) a = { 0 };
  g_auto(CliRun) b = { 0 };
  g_auto(CliRun) c = { 0 };

  cli_run (&a, "simulate", "--dataset", "colors:150", "--budget", "40", "--phases", "2",
           "--seed", "3", "--json", NULL);
  cli_run (&b, "simulate", "--dataset", "colors:150", "--budget", "40", "--phases", "2",
           "--seed", "3", "--json", NULL);
  cli_run (&c, "simulate", "--dataset", "colors:150", "--budget", "40", "--phases", "2",
           "--seed", "4", "--json", NULL);

  /* Everything but the timings must match. */
  {
    g_autoptr(GRegex) seconds = g_regex_new ("\"seconds\" *: *[0-9.e-]+", 0, 0, NULL);
    g_autofree char *sa = g_regex_replace_literal (seconds, a.out, -1, 0, "", 0, NULL);
    g_autofree char *sb = g_regex_replace_literal (seconds, b.out, -1, 0, "", 0, NULL);
    g_autofree char *sc = g_regex_replace_literal (seconds, c.out, -1, 0, "", 0, NULL);

    g_assert_cmpstr (sa, ==, sb);
    g_assert_cmpstr (sa, !=, sc);
  }
}

/* The triplet method's optimiser options reach the method: fewer steps, another result. */
static void
test_triplet_options (void)
{
  g_auto(CliRun) a = { 0 };
  g_auto(CliRun) b = { 0 };
  g_autoptr(GRegex) seconds = g_regex_new ("\"seconds\" *: *[0-9.e-]+", 0, 0, NULL);
  g_autofree char *sa = NULL, *sb = NULL;

  cli_run (&a, "simulate", "--dataset", "colors:150", "--budget", "40", "--phases", "2",
           "--method", "triplet", "--json", "--triplet-iterations", "5",
           "--triplet-first-iterations", "5", "--triplet-answers", "4", "--triplet-rate", "0.05",
           NULL);
  cli_run (&b, "simulate", "--dataset", "colors:150", "--budget", "40", "--phases", "2",
           "--method", "triplet", "--json", "--triplet-iterations", "6",
           "--triplet-first-iterations", "5", "--triplet-answers", "4", "--triplet-rate", "0.05",
           NULL);
  g_assert_cmpint (a.status, ==, 0);
  g_assert_cmpint (b.status, ==, 0);
  sa = g_regex_replace_literal (seconds, a.out, -1, 0, "", 0, NULL);
  sb = g_regex_replace_literal (seconds, b.out, -1, 0, "", 0, NULL);
  g_assert_cmpstr (sa, !=, sb);
}

/* The attribute crowd and the held-out measures: every phase of cen on attributes:N has the
 * three figures; a set without attributes has a pair accuracy but no attribute figures; bad
 * values of the new options are refused with their name. */
static void
test_holdout (void)
{
  g_auto(CliRun) r = { 0 };
  g_auto(CliRun) colors = { 0 };
  g_auto(GStrv) lines = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *o;
  const char *bad[][2] = {
    { "--holdout", "1" }, { "--holdout", "-0.1" }, { "--rho", "1.5" }, { "--participants", "0" },
  };

  cli_run (&r, "simulate", "--dataset", "attributes:120", "--method", "cen", "--dim", "4",
           "--budget", "40", "--phases", "2", "--nq", "12", "--holdout", "0.15", "--json", NULL);
  g_assert_cmpint (r.status, ==, 0);
  lines = g_strsplit (g_strstrip (r.out), "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 2);
  for (guint l = 0; l < 2; l++)
    {
      g_autoptr(JsonParser) p = json_parser_new ();

      g_assert_true (json_parser_load_from_data (p, lines[l], -1, NULL));
      o = json_node_get_object (json_parser_get_root (p));
      g_assert_cmpfloat (json_object_get_double_member (o, "pair_accuracy"), >, 0.0);
      g_assert_cmpfloat (json_object_get_double_member (o, "pair_accuracy"), <=, 1.0);
      g_assert_cmpfloat (json_object_get_double_member (o, "attribute_accuracy"), >, 0.0);
      g_assert_cmpfloat (json_object_get_double_member (o, "attribute_accuracy_heldout"), >, 0.0);
      g_assert_cmpfloat (json_object_get_double_member (o, "mcc"), <=, 1.0);
    }

  cli_run (&colors, "simulate", "--dataset", "colors:120", "--budget", "40", "--phases", "1",
           "--holdout", "0.15", "--json", NULL);
  g_assert_cmpint (colors.status, ==, 0);
  g_assert_true (json_parser_load_from_data (parser, g_strstrip (colors.out), -1, NULL));
  o = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpfloat (json_object_get_double_member (o, "pair_accuracy"), >, 0.0);
  g_assert_true (json_object_get_null_member (o, "attribute_accuracy"));
  g_assert_true (json_object_get_null_member (o, "mcc"));

  for (guint c = 0; c < G_N_ELEMENTS (bad); c++)
    {
      g_auto(CliRun) b = { 0 };

      cli_run (&b, "simulate", bad[c][0], bad[c][1], NULL);
      g_assert_cmpint (b.status, ==, 2);
      g_assert_nonnull (strstr (b.err, bad[c][0]));
    }
}

/* Returns the JSON objects of @out, one per line. */
static GPtrArray *
json_lines (const char *out)
{
  g_auto(GStrv) lines = g_strsplit (out, "\n", -1);
  GPtrArray *objects = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);

  for (guint l = 0; lines[l] != NULL; l++)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autoptr(GError) error = NULL;

      if (*g_strstrip (lines[l]) == '\0')
        continue;
      g_assert_true (json_parser_load_from_data (parser, lines[l], -1, &error));
      g_assert_no_error (error);
      g_ptr_array_add (objects, json_object_ref (json_node_get_object (json_parser_get_root (parser))));
    }

  return objects;
}

/* The last phase's JSON object of a paper run on colors:300 (300 grids in 3 phases, seed 1)
 * with @a and @b as extra arguments (either NULL). */
static JsonObject *
qc_run (const char *a,
        const char *b)
{
  g_auto(CliRun) r = { 0 };
  g_autoptr(GPtrArray) objects = NULL;

  cli_run (&r, "simulate", "--dataset", "colors:300", "--budget", "300", "--phases", "3",
           "--seed", "1", "--json", "--random-share", "0.5", a, b, NULL);
  g_assert_cmpint (r.status, ==, 0);
  objects = json_lines (r.out);
  g_assert_cmpuint (objects->len, ==, 3);

  return json_object_ref (g_ptr_array_index (objects, 2));
}

/* --random-share, --qualify, --catch where the effect is large: half the participants sort at
 * random. Without controls the recall drops far below the clean crowd's; the exam leaves out
 * every random participant and no honest one (noise 0: they give the known answers), and the
 * honest answers are then those of the clean run, so the recall is the clean recall exactly;
 * catch grids alone leave out random participants (and perhaps a few honest ones whose
 * k-means differs on the repeat) and bring the recall back near the clean one. */
static void
test_quality_control (void)
{
  g_auto(CliRun) clean = { 0 };
  g_autoptr(GPtrArray) clean_objects = NULL;
  g_autoptr(JsonObject) noisy = NULL, qualified = NULL, caught = NULL, both = NULL;
  double r_clean, r_noisy;

  cli_run (&clean, "simulate", "--dataset", "colors:300", "--budget", "300", "--phases", "3",
           "--seed", "1", "--json", NULL);
  g_assert_cmpint (clean.status, ==, 0);
  clean_objects = json_lines (clean.out);
  r_clean = json_object_get_double_member (g_ptr_array_index (clean_objects, 2), "recall10");
  /* Without quality control there are no participant columns. */
  g_assert_false (json_object_has_member (g_ptr_array_index (clean_objects, 2), "left_out"));

  noisy = qc_run (NULL, NULL);
  r_noisy = json_object_get_double_member (noisy, "recall10");
  g_assert_cmpfloat (r_noisy, <, r_clean - 0.15);
  /* 300 grids in sessions of 20, nobody left out. */
  g_assert_cmpint (json_object_get_int_member (noisy, "participants"), ==, 15);
  g_assert_cmpint (json_object_get_int_member (noisy, "left_out"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (noisy, "random_participants"), >, 0);

  qualified = qc_run ("--qualify", NULL);
  g_assert_cmpfloat (json_object_get_double_member (qualified, "recall10"), ==, r_clean);
  g_assert_cmpint (json_object_get_int_member (qualified, "random_participants"), >, 0);
  g_assert_cmpint (json_object_get_int_member (qualified, "random_left_out"), ==,
                   json_object_get_int_member (qualified, "random_participants"));
  g_assert_cmpint (json_object_get_int_member (qualified, "left_out"), ==,
                   json_object_get_int_member (qualified, "random_left_out"));

  caught = qc_run ("--catch", NULL);
  g_assert_cmpfloat (json_object_get_double_member (caught, "recall10"), >, r_noisy + 0.15);
  g_assert_cmpint (json_object_get_int_member (caught, "random_left_out"), >, 0);

  both = qc_run ("--qualify", "--catch");
  g_assert_cmpfloat (json_object_get_double_member (both, "recall10"), >, r_noisy + 0.15);
  g_assert_cmpfloat (json_object_get_double_member (both, "recall10"), >, r_clean - 0.05);
}

/* Everybody sorts at random and everybody fails the exam: the run stops with a message. */
static void
test_quality_control_nobody_passes (void)
{
  g_auto(CliRun) r = { 0 };

  cli_run (&r, "simulate", "--dataset", "colors:100", "--budget", "20", "--phases", "1",
           "--random-share", "1", "--qualify", NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, "in a row were left out"));
}

/* --plan: participants do their blocks in order. With sort:10,triplet:20 and 30 grids a phase,
 * three participants finish a phase, each answering 20 triplets after their tenth grid: 60
 * trials after phase 1, 120 after phase 2. With triplet:5,sort:10 the triplets come before
 * each participant's grids: 15, then 30. The triplet method learns from the trials (the
 * recall differs from a run without them); the paper method ignores them (the same recall). */
static void
test_plan (void)
{
  const struct {
    const char *method;
    const char *plan;
    guint       trials[2];
  } cases[] = {
    { "triplet", "sort:10,triplet:20", { 60, 120 } },
    { "triplet", "triplet:5,sort:10", { 15, 30 } },
    { "paper", "sort:10,triplet:20", { 60, 120 } },
  };

  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      g_auto(CliRun) with = { 0 };
      g_auto(CliRun) without = { 0 };
      g_autoptr(GPtrArray) a = NULL;
      g_autoptr(GPtrArray) b = NULL;
      double ra, rb;

      cli_run (&with, "simulate", "--dataset", "colors:200", "--method", cases[c].method,
               "--budget", "60", "--phases", "2", "--triplet-iterations", "300",
               "--triplet-first-iterations", "300", "--plan", cases[c].plan, "--json", NULL);
      cli_run (&without, "simulate", "--dataset", "colors:200", "--method", cases[c].method,
               "--budget", "60", "--phases", "2", "--triplet-iterations", "300",
               "--triplet-first-iterations", "300", "--json", NULL);
      g_assert_cmpint (with.status, ==, 0);
      g_assert_cmpint (without.status, ==, 0);
      a = json_lines (with.out);
      b = json_lines (without.out);
      g_assert_cmpuint (a->len, ==, 2);
      g_assert_cmpuint (b->len, ==, 2);
      for (guint p = 0; p < 2; p++)
        {
          g_assert_cmpint (json_object_get_int_member (g_ptr_array_index (a, p), "trials"), ==,
                           cases[c].trials[p]);
          g_assert_cmpint (json_object_get_int_member (g_ptr_array_index (a, p), "queries"), ==,
                           30 * (p + 1));
          g_assert_false (json_object_has_member (g_ptr_array_index (b, p), "trials"));
        }
      ra = json_object_get_double_member (g_ptr_array_index (a, 1), "recall10");
      rb = json_object_get_double_member (g_ptr_array_index (b, 1), "recall10");
      g_test_message ("%s %s: recall %g with the plan, %g without", cases[c].method,
                      cases[c].plan, ra, rb);
      if (g_str_equal (cases[c].method, "paper"))
        g_assert_cmpfloat (ra, ==, rb);
      else
        g_assert_cmpfloat (ra, !=, rb);
    }
}

/* --score on colors:N, whose colour descriptor is the ground truth itself: noise-free people
 * agree with each other on every triplet (unanimity 1) and the descriptor orders every kept
 * triplet as they do (precision exactly 1) and picks what they pick in every forced choice
 * (accuracy 1). The learned metric after 60 grids is below that. */
static void
test_score (void)
{
  g_auto(CliRun) r = { 0 };
  g_auto(CliRun) text = { 0 };
  g_autoptr(GPtrArray) lines = NULL;
  JsonObject *scores, *triplet, *m;

  cli_run (&r, "simulate", "--dataset", "colors:300", "--method", "triplet", "--budget", "60",
           "--phases", "1", "--triplet-first-iterations", "300", "--score", "--json", NULL);
  g_assert_cmpint (r.status, ==, 0);
  lines = json_lines (r.out);
  g_assert_cmpuint (lines->len, ==, 2);
  scores = json_object_get_object_member (g_ptr_array_index (lines, 1), "scores");
  triplet = json_object_get_object_member (scores, "triplet");
  g_assert_cmpint (json_object_get_int_member (triplet, "rated"), ==, 500);
  g_assert_cmpint (json_object_get_int_member (triplet, "kept"), ==, 500);
  g_assert_cmpfloat (json_object_get_double_member (triplet, "unanimity_rate"), ==, 1.0);
  m = json_object_get_object_member (json_object_get_object_member (triplet, "metrics"), "colour");
  g_assert_cmpfloat (json_object_get_double_member (json_object_get_object_member (m, "precision"),
                                                    "estimate"), ==, 1.0);
  m = json_object_get_object_member (json_object_get_object_member (triplet, "metrics"), "learned");
  g_assert_cmpfloat (json_object_get_double_member (json_object_get_object_member (m, "precision"),
                                                    "estimate"), <, 1.0);
  g_assert_cmpfloat (json_object_get_double_member (json_object_get_object_member (m, "precision"),
                                                    "estimate"), >, 0.5);
  m = json_object_get_object_member (json_object_get_object_member (
        json_object_get_object_member (scores, "choice5"), "metrics"), "colour");
  g_assert_cmpfloat (json_object_get_double_member (json_object_get_object_member (m, "accuracy"),
                                                    "estimate"), ==, 1.0);
  g_assert_true (json_object_has_member (json_object_get_object_member (
    json_object_get_object_member (scores, "intruder"), "metrics"), "learned"));

  cli_run (&text, "simulate", "--dataset", "colors:300", "--method", "triplet", "--budget", "60",
           "--phases", "1", "--triplet-first-iterations", "300", "--score", NULL);
  g_assert_cmpint (text.status, ==, 0);
  g_assert_nonnull (strstr (text.out, "# scores, seed 1: 500 triplets"));
  g_assert_nonnull (strstr (text.out, "\ncolour    triplet_precision    1.000 [1.000, 1.000]"));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/lk/cli/simulate/json-lines", test_json_lines);
  g_test_add_func ("/lk/cli/simulate/cluster-error", test_cluster_error_with_labels);
  g_test_add_func ("/lk/cli/simulate/table", test_table);
  g_test_add_func ("/lk/cli/simulate/list-methods", test_list_methods);
  g_test_add_func ("/lk/cli/simulate/bad-arguments", test_bad_arguments);
  g_test_add_func ("/lk/cli/simulate/triplet-options", test_triplet_options);
  g_test_add_func ("/lk/cli/simulate/same-seed", test_same_seed_same_output);
  g_test_add_func ("/lk/cli/simulate/holdout", test_holdout);
  g_test_add_func ("/lk/cli/simulate/plan", test_plan);
  g_test_add_func ("/lk/cli/simulate/score", test_score);
  g_test_add_func ("/lk/cli/simulate/quality-control", test_quality_control);
  g_test_add_func ("/lk/cli/simulate/quality-control-nobody-passes",
                   test_quality_control_nobody_passes);

  return g_test_run ();
}
