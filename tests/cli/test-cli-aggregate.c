/* test-cli-aggregate.c — likeness-cli aggregate: parity with the Crowdclustering port on its
 * reference runs (pair labels, positions, free energies, clusters), the cell formats Toloka
 * writes, and a clear message with the line for every malformed input.
 *
 * Argument: the fixtures folder (../shared/fixtures/crowdclust beside the checkout). Without it
 * the input checks still run, then the test exits 77 (skip) saying so.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "cli-test-utils.h"
#include "tests/lk-test-utils.h"

static int failures;

#define CHECK(cond, ...) \
  G_STMT_START { if (!(cond)) { failures++; printf ("FAIL: " __VA_ARGS__); printf ("\n"); } } G_STMT_END

static double *
read_numbers (const char *path,
              guint       cols,
              guint      *rows)
{
  g_autofree char *text = NULL;
  g_autoptr(GArray) values = g_array_new (FALSE, FALSE, sizeof (double));
  char *p, *end;

  if (!g_file_get_contents (path, &text, NULL, NULL))
    {
      *rows = 0;
      return NULL;
    }
  for (p = text;; p = end)
    {
      double v = g_ascii_strtod (p, &end);

      if (end == p)
        break;
      g_array_append_val (values, v);
    }
  *rows = values->len / cols;

  return (double *) g_array_free (g_steal_pointer (&values), FALSE);
}

static char *
read_text (const char *dir,
           const char *name)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  char *text = NULL;

  g_file_get_contents (path, &text, NULL, NULL);

  return text;
}

/* The labels of each assignment (a block of C(M,2) rows, in row order in both files) are the
 * same set of (pair, label), and one bijection maps the port's worker numbers to ours. */
static gboolean
same_labels (const double *ours,
             const double *port,
             guint         n,
             guint         block)
{
  g_autoptr(GHashTable) w_ours = g_hash_table_new (NULL, NULL);
  g_autoptr(GHashTable) w_port = g_hash_table_new (NULL, NULL);

  for (guint start = 0; start < n; start += block)
    for (guint t = start; t < MIN (n, start + block); t++)
      {
        guint a = MIN (ours[4 * t], ours[4 * t + 1]), b = MAX (ours[4 * t], ours[4 * t + 1]);
        gboolean found = FALSE;

        for (guint u = start; u < MIN (n, start + block) && !found; u++)
          {
            guint pa = MIN (port[4 * u], port[4 * u + 1]), pb = MAX (port[4 * u], port[4 * u + 1]);

            if (pa == a && pb == b && port[4 * u + 3] == ours[4 * t + 3])
              {
                gpointer ko = GUINT_TO_POINTER ((guint) ours[4 * t + 2] + 1);
                gpointer kp = GUINT_TO_POINTER ((guint) port[4 * u + 2] + 1);
                gpointer vo = g_hash_table_lookup (w_ours, ko), vp = g_hash_table_lookup (w_port, kp);

                if ((vo != NULL && vo != kp) || (vp != NULL && vp != ko))
                  return FALSE;
                g_hash_table_insert (w_ours, ko, kp);
                g_hash_table_insert (w_port, kp, ko);
                found = TRUE;
              }
          }
        if (!found)
          return FALSE;
      }

  return TRUE;
}

static gboolean
same_partition (const double *a,
                const double *b,
                guint         n)
{
  g_autoptr(GHashTable) ab = g_hash_table_new (NULL, NULL);
  g_autoptr(GHashTable) ba = g_hash_table_new (NULL, NULL);

  for (guint i = 0; i < n; i++)
    {
      gpointer ka = GUINT_TO_POINTER ((guint) a[2 * i + 1] + 1);
      gpointer kb = GUINT_TO_POINTER ((guint) b[2 * i + 1] + 1);
      gpointer va = g_hash_table_lookup (ab, ka), vb = g_hash_table_lookup (ba, kb);

      if ((va != NULL && va != kb) || (vb != NULL && vb != ka))
        return FALSE;
      g_hash_table_insert (ab, ka, kb);
      g_hash_table_insert (ba, kb, ka);
    }

  return TRUE;
}

static void
check_fixture (const char *fixture,
               const char *tmp)
{
  g_autofree char *results = g_build_filename (fixture, "results.tsv", NULL);
  g_autofree char *init = g_build_filename (fixture, "init_mu_x.tsv", NULL);
  g_autofree char *out = g_build_filename (tmp, "out", NULL);
  g_auto(CliRun) r = { 0 };
  const char *files[] = { "labels.tsv", "mu_x.tsv", "fe.txt", "clusters.tsv" };
  const guint cols[] = { 4, 4, 1, 2 };
  double *ours[4], *port[4];
  guint rows_ours[4], rows_port[4];
  g_autofree char *items_ours = NULL, *items_port = NULL;
  double worst_mu = 0, worst_fe = 0;

  cli_run (&r, "aggregate", results, "--format", "toloka", "--method", "crowdcluster", "--init-mu",
           init, "--out", out, NULL);
  CHECK (r.status == 0, "%s: aggregate exited %d: %s", fixture, r.status, r.err);
  if (r.status != 0)
    return;
  printf ("%s: %s", fixture, r.out);

  items_ours = read_text (out, "items.txt");
  items_port = read_text (fixture, "items.txt");
  CHECK (g_strcmp0 (items_ours, items_port) == 0, "%s: items.txt differs", fixture);

  for (guint f = 0; f < G_N_ELEMENTS (files); f++)
    {
      g_autofree char *po = g_build_filename (out, files[f], NULL);
      g_autofree char *pp = g_build_filename (fixture, files[f], NULL);

      ours[f] = read_numbers (po, cols[f], &rows_ours[f]);
      port[f] = read_numbers (pp, cols[f], &rows_port[f]);
      CHECK (rows_ours[f] == rows_port[f] && rows_ours[f] > 0, "%s: %s has %u rows, the port's %u",
             fixture, files[f], rows_ours[f], rows_port[f]);
    }
  if (failures == 0)
    {
      /* Every fixture grid has 8 images: 28 labels per assignment. */
      CHECK (same_labels (ours[0], port[0], rows_ours[0], 28),
             "%s: the pair labels differ from labels.tsv", fixture);
      for (guint k = 0; k < rows_ours[1] * 4; k++)
        worst_mu = MAX (worst_mu, fabs (ours[1][k] - port[1][k]));
      for (guint k = 0; k < rows_ours[2]; k++)
        worst_fe = MAX (worst_fe, fabs (ours[2][k] - port[2][k]) / fabs (port[2][k]));
      printf ("%s: largest |mu - port| %.3g, free energy relative difference %.3g\n", fixture,
              worst_mu, worst_fe);
      CHECK (worst_mu <= 1e-8, "%s: mu differs by %g", fixture, worst_mu);
      CHECK (worst_fe <= 1e-6, "%s: free energy differs by %g relative", fixture, worst_fe);
      CHECK (same_partition (ours[3], port[3], rows_ours[3]), "%s: the clusters differ", fixture);
    }
  for (guint f = 0; f < G_N_ELEMENTS (files); f++)
    {
      g_free (ours[f]);
      g_free (port[f]);
    }
  lk_test_rmdir (out);
}

static char *
write_file (const char *dir,
            const char *name,
            const char *text)
{
  char *path = g_build_filename (dir, name, NULL);

  g_assert_true (g_file_set_contents (path, text, -1, NULL));

  return path;
}

#define HEADER "INPUT:images\tOUTPUT:result\tGOLDEN:result\tASSIGNMENT:worker_id\n"
/* Three images, the result with brackets, and Toloka's quoting. */
#define ROW(imgs, res, worker) imgs "\t" res "\t\t" worker "\n"
#define IMGS "\"\"\"x\"\",\"\"y\"\",\"\"z\"\"\""
#define RES(g1, g2, g3) "\"[{\"\"image\"\": \"\"x\"\", \"\"group\"\": " #g1 "},{\"\"image\"\": \"\"y\"\", \"\"group\"\": " #g2 "},{\"\"image\"\": \"\"z\"\", \"\"group\"\": " #g3 "}]\""

/* A small well-formed file: items in order of first appearance, labels, every output file. */
static void
check_small (const char *tmp)
{
  g_autofree char *in = write_file (tmp, "small.tsv",
                                    HEADER
                                    ROW (IMGS, RES (1, 1, 2), "w1")
                                    ROW ("\"\"\"w\"\",\"\"z\"\",\"\"x\"\"\"", RES (3, 1, 3), "w2")
                                    ROW (IMGS, RES (2, 1, 1), "w2")
                                    "\n");
  g_autofree char *out = g_build_filename (tmp, "small-out", NULL);
  g_autofree char *items = NULL, *labels = NULL;
  g_auto(CliRun) r = { 0 };
  const char *names[] = { "items.txt", "workers.txt", "labels.tsv", "mu_x.tsv", "sig_x.tsv",
                          "mu_tau.tsv", "fe.txt", "qz.tsv", "clusters.tsv" };

  cli_run (&r, "aggregate", in, "--iterations", "3", "--out", out, NULL);
  CHECK (r.status == 0, "small: exit %d: %s", r.status, r.err);
  items = read_text (out, "items.txt");
  labels = read_text (out, "labels.tsv");
  CHECK (g_strcmp0 (items, "x\ny\nz\nw\n") == 0, "small: items.txt is '%s'", items);
  CHECK (g_strcmp0 (labels, "0\t1\t0\t1\n0\t2\t0\t-1\n1\t2\t0\t-1\n"
                            "3\t2\t1\t-1\n3\t0\t1\t1\n2\t0\t1\t-1\n"
                            "0\t1\t1\t-1\n0\t2\t1\t-1\n1\t2\t1\t1\n") == 0,
         "small: labels.tsv is '%s'", labels);
  for (guint f = 0; f < G_N_ELEMENTS (names); f++)
    {
      g_autofree char *p = g_build_filename (out, names[f], NULL);

      CHECK (g_file_test (p, G_FILE_TEST_IS_REGULAR), "small: %s not written", names[f]);
    }
  lk_test_rmdir (out);
}

/* Each malformed input: the exit code and words of the message. */
static void
check_errors (const char *tmp)
{
  struct {
    const char *name, *text, *words[2];
  } cases[] = {
    { "no-column.tsv", "INPUT:images\tOUTPUT:result\n" ROW (IMGS, RES (1, 1, 2), ""),
      { "line 1", "ASSIGNMENT:worker_id is missing" } },
    { "bad-json.tsv", HEADER ROW (IMGS, RES (1, 1, 2), "w1") ROW (IMGS, "\"{\"\"group\"\": 1,\"", "w2"),
      { "line 3", "OUTPUT:result must hold JSON objects" } },
    { "count.tsv", HEADER ROW (IMGS, "\"{\"\"group\"\": 1},{\"\"group\"\": 2}\"", "w1"),
      { "line 2", "2 answers for the 3 images" } },
    { "no-group.tsv", HEADER ROW (IMGS, "\"{\"\"group\"\": 1},{\"\"g\"\": 2},{\"\"group\"\": 2}\"", "w1"),
      { "line 2", "answer 2 of OUTPUT:result has no \"group\"" } },
    { "images.tsv", HEADER ROW ("\"\"\"x\"\"\"", "\"{\"\"group\"\": 1}\"", "w1"),
      { "line 2", "at least two" } },
    { "twice.tsv", HEADER ROW ("\"\"\"x\"\",\"\"x\"\"\"", "\"{\"\"group\"\": 1},{\"\"group\"\": 1}\"", "w1"),
      { "line 2", "twice" } },
    { "quote.tsv", HEADER ROW (IMGS, RES (1, 1, 2), "w1") "\"\"\"x\"\",\"\"y\"\"\"\t\"open\n\n",
      { "line 3", "not closed" } },
    { "short.tsv", HEADER "\"\"\"x\"\",\"\"y\"\"\"\n", { "line 2", "fewer than the header" } },
    { "empty.tsv", "", { "empty", NULL } },
    { "none.tsv", HEADER, { "no assignments", NULL } },
  };
  g_autofree char *good = write_file (tmp, "good.tsv", HEADER ROW (IMGS, RES (1, 1, 2), "w1"));
  g_autofree char *init = write_file (tmp, "init.tsv", "1\t2\t3\t4\n5\t6\t7\t8\n");
  g_autofree char *init_bad = write_file (tmp, "init-bad.tsv", "1\t2\t3\t4\n5\t6\tx\t8\n1\t2\t3\t4\n");
  g_autofree char *out = g_build_filename (tmp, "err-out", NULL);
  g_autofree char *missing = g_build_filename (tmp, "missing.tsv", NULL);

  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      g_autofree char *in = write_file (tmp, cases[c].name, cases[c].text);
      g_auto(CliRun) r = { 0 };

      cli_run (&r, "aggregate", in, "--out", out, NULL);
      CHECK (r.status == 1, "%s: exit %d, expected 1", cases[c].name, r.status);
      for (guint w = 0; w < 2 && cases[c].words[w] != NULL; w++)
        CHECK (strstr (r.err, cases[c].words[w]) != NULL, "%s: message '%s' lacks '%s'",
               cases[c].name, r.err, cases[c].words[w]);
      CHECK (strstr (r.err, cases[c].name) != NULL, "%s: the message does not name the file: %s",
             cases[c].name, r.err);
      CHECK (!g_file_test (out, G_FILE_TEST_EXISTS), "%s: wrote results", cases[c].name);
    }

  {
    g_auto(CliRun) r = { 0 };

    cli_run (&r, "aggregate", good, "--init-mu", init, "--out", out, NULL);
    CHECK (r.status == 1 && strstr (r.err, "2 rows for 3 images") != NULL, "init rows: %d %s",
           r.status, r.err);
    cli_run (&r, "aggregate", good, "--init-mu", init_bad, "--out", out, NULL);
    CHECK (r.status == 1 && strstr (r.err, "line 2") != NULL, "init number: %d %s", r.status, r.err);
    cli_run (&r, "aggregate", missing, "--out", out, NULL);
    CHECK (r.status == 1 && strstr (r.err, "cannot read") != NULL, "missing: %d %s", r.status, r.err);
    cli_run (&r, "aggregate", good, NULL);
    CHECK (r.status == 2 && strstr (r.err, "--out") != NULL, "no --out: %d %s", r.status, r.err);
    cli_run (&r, "aggregate", good, "--method", "paper", "--out", out, NULL);
    CHECK (r.status == 2, "--method paper: %d %s", r.status, r.err);
    cli_run (&r, "aggregate", good, "--format", "mturk", "--out", out, NULL);
    CHECK (r.status == 2, "--format mturk: %d %s", r.status, r.err);
    cli_run (&r, "aggregate", good, "--iterations", "0", "--out", out, NULL);
    CHECK (r.status == 2, "--iterations 0: %d %s", r.status, r.err);
  }
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *tmp = lk_test_tmpdir ("lk-aggregate-XXXXXX");
  gboolean have_fixtures = argc == 2 && g_file_test (argv[1], G_FILE_TEST_IS_DIR);

  check_small (tmp);
  check_errors (tmp);
  if (have_fixtures)
    {
      const char *names[] = { "a", "b" };

      for (guint f = 0; f < G_N_ELEMENTS (names); f++)
        {
          g_autofree char *dir = g_build_filename (argv[1], names[f], NULL);

          check_fixture (dir, tmp);
        }
    }
  lk_test_rmdir (tmp);

  if (failures > 0)
    {
      printf ("FAILED: %d checks\n", failures);
      return 1;
    }
  if (!have_fixtures)
    {
      printf ("SKIP: parity not checked: the Crowdclustering fixtures are not at %s (they live in "
              "../shared/fixtures beside the checkout)\n", argc == 2 ? argv[1] : "(no folder given)");
      return 77;
    }
  printf ("PASS\n");

  return 0;
}
