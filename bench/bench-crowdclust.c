/* bench-crowdclust.c — time of Crowdclustering (10 iterations of the variational model, then
 * the DP mixture) on the parity fixtures and on synthetic crowds up to the paper's 2,000-image
 * scale. Not a test: run on demand.
 *
 *   build/bench/bench-crowdclust [--repeats 3] [--fixtures DIR] [--cli PATH] [--large N]
 *
 * Cases, each the median of --repeats runs (wall clock, and the thread's CPU time, which a
 * machine shared with other work does not inflate):
 * - the fixtures a and b (../shared/fixtures/crowdclust), from their labels and initial positions;
 *   with --cli, also the whole `likeness-cli aggregate` command on their results.tsv;
 * - "random-300": 300 images, 334 random grids of 8, 3 workers each (28,056 labels): the input
 *   on which the Python port took 27-52 s (the spec's §1.7);
 * - "gomes-N" (default N = 2000): Gomes' design, ceil(N V / 8) grids of 8 with 3 workers each
 *   (N = 2000: 10,000 grids, 840,000 labels).
 * The synthetic crowd follows the spec's generator: 6 true clusters, 30 workers, 70 % of them
 * with 5 % label noise and 30 % with 25 % (a noisy image gets a random group). ARI against the
 * truth is printed so that a fast wrong answer shows.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib/gstdio.h>
#include <gsl/gsl_randist.h>

#include "lk-core.h"
#include "lk-crowdclust.h"
#include "lk-dpmix.h"
#include "lk-method-private.h"
#include "bench-clock.h"

#define M        8
#define R        3
#define WORKERS  30
#define CLUSTERS 6

typedef struct {
  GArray *labels;
  guint   n, n_workers, n_hits;
  guint  *truth;
} Crowd;

/* Pair labels of one grid answered by a simulated worker. */
static void
answer (Crowd       *crowd,
        const guint *grid,
        guint        worker,
        gsl_rng     *rng)
{
  double noise = worker < WORKERS * 7 / 10 ? 0.05 : 0.25;
  guint group[M];

  for (guint p = 0; p < M; p++)
    group[p] = gsl_rng_uniform (rng) < noise ? gsl_rng_uniform_int (rng, CLUSTERS) : crowd->truth[grid[p]];
  for (guint p = 0; p < M; p++)
    for (guint q = p + 1; q < M; q++)
      {
        LkCcLabel l = { grid[p], grid[q], worker, group[p] == group[q] ? 1 : -1 };

        g_array_append_val (crowd->labels, l);
      }
}

static void
answer_grid (Crowd       *crowd,
             const guint *grid,
             gsl_rng     *rng)
{
  guint all[WORKERS], chosen[R];

  for (guint w = 0; w < WORKERS; w++)
    all[w] = w;
  gsl_ran_choose (rng, chosen, R, all, WORKERS, sizeof (guint));
  for (guint r = 0; r < R; r++)
    answer (crowd, grid, chosen[r], rng);
}

static Crowd
make_crowd (guint    n,
            gboolean gomes,
            guint64  seed)
{
  g_autoptr(gsl_rng) rng = lk_rng_new (seed);
  Crowd crowd = { g_array_new (FALSE, FALSE, sizeof (LkCcLabel)), n, WORKERS, 0, g_new (guint, n) };

  for (guint i = 0; i < n; i++)
    crowd.truth[i] = gsl_rng_uniform_int (rng, CLUSTERS);

  if (gomes)
    {
      g_autoptr(LkEmbedding) e = lk_embedding_new_random (n, 2, rng);
      g_autoptr(GPtrArray) grids = NULL;
      LkParams params;

      lk_params_init (&params);
      params.nq = M;
      crowd.n_hits = lk_crowdclust_design_hits (n, M);
      grids = lk_query_policy_select (&_lk_query_policy_gomes_type, e, &params, crowd.n_hits, rng);
      for (guint h = 0; h < grids->len; h++)
        answer_grid (&crowd, lk_query_get_items (g_ptr_array_index (grids, h)), rng);
    }
  else
    {
      g_autofree guint *all = g_new (guint, n);
      guint grid[M];

      for (guint i = 0; i < n; i++)
        all[i] = i;
      crowd.n_hits = (guint) (n * 10 / 9 + 1);   /* 334 for 300 images, as the spec's run */
      for (guint h = 0; h < crowd.n_hits; h++)
        {
          gsl_ran_choose (rng, grid, M, all, n, sizeof (guint));
          answer_grid (&crowd, grid, rng);
        }
    }

  return crowd;
}

/* Adjusted Rand index of two labellings. */
static double
ari (const guint *a,
     const guint *b,
     guint        n)
{
  guint ka = 0, kb = 0;
  g_autofree double *table = NULL, *ra = NULL, *rb = NULL;
  double index = 0, sa = 0, sb = 0, expected, total = n * (n - 1.0) / 2;

  for (guint i = 0; i < n; i++)
    {
      ka = MAX (ka, a[i] + 1);
      kb = MAX (kb, b[i] + 1);
    }
  table = g_new0 (double, (gsize) ka * kb);
  ra = g_new0 (double, ka);
  rb = g_new0 (double, kb);
  for (guint i = 0; i < n; i++)
    {
      table[(gsize) a[i] * kb + b[i]]++;
      ra[a[i]]++;
      rb[b[i]]++;
    }
  for (gsize k = 0; k < (gsize) ka * kb; k++)
    index += table[k] * (table[k] - 1) / 2;
  for (guint k = 0; k < ka; k++)
    sa += ra[k] * (ra[k] - 1) / 2;
  for (guint k = 0; k < kb; k++)
    sb += rb[k] * (rb[k] - 1) / 2;
  expected = sa * sb / total;

  return (index - expected) / ((sa + sb) / 2 - expected);
}

typedef struct {
  double model, mixture, cpu;
  guint  clusters;
  double ari;
} Timing;

static Timing
run_once (const LkCcLabel *labels,
          guint            n_labels,
          guint            n,
          guint            n_workers,
          const double    *init,
          const guint     *truth)
{
  g_autoptr(gsl_rng) rng = lk_rng_new (1);
  g_autoptr(LkCrowdclust) cc = NULL;
  g_autoptr(LkDpmix) dp = NULL;
  g_autoptr(GError) error = NULL;
  Timing t = { 0 };
  gint64 cpu = bench_cpu_now ();
  gint64 start = g_get_monotonic_time ();

  cc = lk_crowdclust_new (labels, n_labels, n, n_workers, LK_CROWDCLUST_DIM, NULL, init, rng, &error);
  g_assert_no_error (error);
  for (guint it = 0; it < LK_CROWDCLUST_ITERATIONS; it++)
    lk_crowdclust_iterate (cc);
  t.model = (g_get_monotonic_time () - start) / 1e6;

  start = g_get_monotonic_time ();
  dp = lk_dpmix_fit (lk_crowdclust_get_mu (cc), n, LK_CROWDCLUST_DIM, &error);
  g_assert_no_error (error);
  t.mixture = (g_get_monotonic_time () - start) / 1e6;
  t.cpu = (bench_cpu_now () - cpu) / 1e6;
  t.clusters = lk_dpmix_get_n_clusters (dp);
  t.ari = truth != NULL ? ari (lk_dpmix_get_clusters (dp), truth, n) : NAN;

  return t;
}

static void
report (const char      *name,
        guint            n,
        const char      *grids,
        const LkCcLabel *labels,
        guint            n_labels,
        guint            n_workers,
        const double    *init,
        const guint     *truth,
        guint            repeats)
{
  g_autofree double *model = g_new (double, repeats), *mixture = g_new (double, repeats);
  g_autofree double *total = g_new (double, repeats), *cpu = g_new (double, repeats);
  Timing t = { 0 };

  for (guint r = 0; r < repeats; r++)
    {
      t = run_once (labels, n_labels, n, n_workers, init, truth);
      model[r] = t.model;
      mixture[r] = t.mixture;
      total[r] = t.model + t.mixture;
      cpu[r] = t.cpu;
    }
  qsort (model, repeats, sizeof (double), bench_compare_double);
  qsort (mixture, repeats, sizeof (double), bench_compare_double);
  qsort (total, repeats, sizeof (double), bench_compare_double);
  qsort (cpu, repeats, sizeof (double), bench_compare_double);
  printf ("%-12s %6u %14s %9u %10.3f %10.3f %10.3f %10.3f %4u %6.3f\n", name, n, grids, n_labels,
          model[repeats / 2], mixture[repeats / 2], total[repeats / 2], cpu[repeats / 2], t.clusters,
          t.ari);
}

static double *
read_numbers (const char *dir,
              const char *name,
              guint       cols,
              guint      *rows)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autofree char *text = NULL;
  g_autoptr(GArray) values = g_array_new (FALSE, FALSE, sizeof (double));
  char *p, *end;

  if (!g_file_get_contents (path, &text, NULL, NULL))
    return NULL;
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

static void
fixture (const char *dir,
         const char *name,
         const char *cli,
         guint       repeats)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  guint n_labels = 0, n = 0, n_workers = 0;
  g_autofree double *raw = read_numbers (path, "labels.tsv", 4, &n_labels);
  g_autofree double *init = read_numbers (path, "init_mu_x.tsv", 4, &n);
  g_autofree LkCcLabel *labels = NULL;
  g_autofree char *label = g_strdup_printf ("fixture-%s", name);

  if (raw == NULL || init == NULL)
    {
      printf ("%-12s (no fixture at %s)\n", label, path);
      return;
    }
  labels = g_new (LkCcLabel, n_labels);
  for (guint t = 0; t < n_labels; t++)
    {
      labels[t] = (LkCcLabel) { (guint) raw[4 * t], (guint) raw[4 * t + 1], (guint) raw[4 * t + 2],
                                (gint) raw[4 * t + 3] };
      n_workers = MAX (n_workers, labels[t].worker + 1);
    }
  report (label, n, "-", labels, n_labels, n_workers, init, NULL, repeats);

  if (cli != NULL)
    {
      g_autofree char *results = g_build_filename (path, "results.tsv", NULL);
      g_autofree char *init_path = g_build_filename (path, "init_mu_x.tsv", NULL);
      g_autofree char *out = g_dir_make_tmp ("lk-bench-cc-XXXXXX", NULL);
      g_autofree double *secs = g_new (double, repeats);
      const char *argv[] = { cli, "aggregate", results, "--init-mu", init_path, "--out", out, NULL };

      for (guint r = 0; r < repeats; r++)
        {
          gint64 start = g_get_monotonic_time ();
          int status = 0;

          g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL,
                                       NULL, NULL, NULL, &status, NULL));
          secs[r] = (g_get_monotonic_time () - start) / 1e6;
        }
      qsort (secs, repeats, sizeof (double), bench_compare_double);
      printf ("%-12s whole `likeness-cli aggregate` command: %.3f s\n", label, secs[repeats / 2]);
      {
        const char *names[] = { "items.txt", "workers.txt", "labels.tsv", "mu_x.tsv", "sig_x.tsv",
                                "mu_tau.tsv", "fe.txt", "qz.tsv", "clusters.tsv" };

        for (guint f = 0; f < G_N_ELEMENTS (names); f++)
          {
            g_autofree char *p = g_build_filename (out, names[f], NULL);

            g_unlink (p);
          }
        g_rmdir (out);
      }
    }
}

int
main (int    argc,
      char **argv)
{
  guint repeats = 3, large = 2000;
  const char *fixtures = "../shared/fixtures/crowdclust", *cli = NULL;

  for (int i = 1; i < argc; i++)
    {
      if (strcmp (argv[i], "--repeats") == 0 && i + 1 < argc)
        repeats = (guint) MAX (1, atoi (argv[i + 1])), i++;
      else if (strcmp (argv[i], "--fixtures") == 0 && i + 1 < argc)
        fixtures = argv[++i];
      else if (strcmp (argv[i], "--cli") == 0 && i + 1 < argc)
        cli = argv[++i];
      else if (strcmp (argv[i], "--large") == 0 && i + 1 < argc)
        large = (guint) MAX (10, atoi (argv[i + 1])), i++;
      else
        {
          fprintf (stderr, "usage: %s [--repeats N] [--fixtures DIR] [--cli PATH] [--large N]\n", argv[0]);
          return 2;
        }
    }

  printf ("# Crowdclustering: 10 iterations of the model, then the DP mixture; median of %u runs, seconds\n",
          repeats);
  printf ("%-12s %6s %14s %9s %10s %10s %10s %10s %4s %6s\n", "case", "images", "grids x R", "labels",
          "model", "mixture", "total", "total CPU", "K", "ARI");
  fixture (fixtures, "a", cli, repeats);
  fixture (fixtures, "b", cli, repeats);

  {
    Crowd crowd = make_crowd (300, FALSE, 1);
    g_autofree char *grids = g_strdup_printf ("%u x %u", crowd.n_hits, R);

    report ("random-300", 300, grids, (const LkCcLabel *) crowd.labels->data, crowd.labels->len,
            WORKERS, NULL, crowd.truth, repeats);
    g_array_unref (crowd.labels);
    g_free (crowd.truth);
  }
  {
    Crowd crowd = make_crowd (large, TRUE, 2);
    g_autofree char *grids = g_strdup_printf ("%u x %u", crowd.n_hits, R);
    g_autofree char *name = g_strdup_printf ("gomes-%u", large);

    report (name, large, grids, (const LkCcLabel *) crowd.labels->data, crowd.labels->len, WORKERS,
            NULL, crowd.truth, repeats);
    g_array_unref (crowd.labels);
    g_free (crowd.truth);
  }

  return 0;
}
