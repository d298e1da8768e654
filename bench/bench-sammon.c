/* bench-sammon.c — time of one re-embedding (N items, 200 iterations of the full weighted
 * stress) for several N, median of repeated runs. Not a test: run on demand.
 *
 *   build/bench/bench-sammon [--iterations 200] [--repeats 5] [N ...]
 *   build/bench/bench-sammon --sampled [--iterations 100] [--repeats 5] [N ...]
 *
 * --sampled times the iterations of the sampled stress (lk_sammon_new_sampled(), 64 draws per
 * item) with 130 weight-1 pairs per item, about what the paper's method holds in its fifth
 * phase at N = 10,000 (1.3 million), in CPU time and per pair visit (each pair is visited from
 * both its items).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdio.h>
#include <stdlib.h>

#include "lk-core.h"
#include "bench-clock.h"

/* Returns the seconds of one set-up plus @iterations iterations at @n items. */
static double
run_once (guint    n,
          guint    iterations,
          guint64  seed,
          double  *stress)
{
  g_autoptr(gsl_rng) rng = lk_rng_new (seed);
  g_autoptr(LkEmbedding) e = lk_embedding_new_random (n, 3, rng);
  g_autoptr(LkSammon) sammon = lk_sammon_new (n, 3);
  gint64 start;

  lk_embedding_normalise (e);
  start = g_get_monotonic_time ();
  lk_sammon_set (sammon, e, 1e-3, 0.3);

  /* About as many weight-1 pairs as a 1200-query study on 1000 items updates. */
  for (guint p = 0; p < 228 * n; p++)
    {
      guint a = gsl_rng_uniform_int (rng, n), b = gsl_rng_uniform_int (rng, n);
      double d;

      if (a == b)
        continue;
      d = lk_sammon_get_target (sammon, a, b);
      lk_sammon_set_pair (sammon, a, b, gsl_rng_uniform (rng) < 0.3 ? d / 4 : d * 4, 1.0);
    }

  lk_sammon_start (sammon);
  for (guint it = 0; it < iterations; it++)
    lk_sammon_iterate (sammon);
  *stress = lk_sammon_get_stress (sammon);

  return (g_get_monotonic_time () - start) / 1e6;
}

/* Returns the CPU seconds of @iterations iterations of a sampled minimiser at @n items, and the
 * pair visits per iteration in @visits. */
static double
run_sampled (guint    n,
             guint    iterations,
             guint64  seed,
             double  *stress,
             double  *visits)
{
  g_autoptr(gsl_rng) rng = lk_rng_new (seed);
  g_autoptr(LkEmbedding) e = lk_embedding_new_random (n, 3, rng);
  g_autoptr(LkSammon) sammon = lk_sammon_new_sampled (n, 3, 64);
  g_autoptr(LkEmbedding) out = lk_embedding_new (n, 3);
  gsize n_set = 0;
  gint64 start;

  lk_embedding_normalise (e);
  lk_sammon_set (sammon, e, 1e-3, 0.3);
  lk_sammon_reserve (sammon, (gsize) 130 * n);
  for (guint p = 0; p < 130 * n; p++)
    {
      guint a = gsl_rng_uniform_int (rng, n), b = gsl_rng_uniform_int (rng, n);
      double d;

      if (a == b)
        continue;
      d = lk_sammon_get_target (sammon, a, b);
      lk_sammon_set_pair (sammon, a, b, gsl_rng_uniform (rng) < 0.3 ? d / 4 : d * 4, 1.0);
    }
  lk_sammon_sample (sammon, rng);
  lk_sammon_start (sammon);
  g_free (lk_sammon_get_set_pairs (sammon, &n_set));

  start = bench_cpu_now ();
  for (guint it = 0; it < iterations; it++)
    lk_sammon_iterate (sammon);
  *stress = lk_sammon_get_stress (sammon);
  lk_sammon_get_embedding (sammon, out);
  /* Set pairs and about n (64 + 10) drawn ones, each visited twice. */
  *visits = 2.0 * ((double) n_set + 74.0 * n);

  return (bench_cpu_now () - start) / 1e6;
}

int
main (int    argc,
      char **argv)
{
  guint iterations = 200, repeats = 5;
  g_autoptr(GArray) sizes = g_array_new (FALSE, FALSE, sizeof (guint));
  double previous = 0.0;
  gboolean sampled = FALSE;
  char ratio[16];

  for (int i = 1; i < argc; i++)
    {
      if (g_str_equal (argv[i], "--iterations") && i + 1 < argc)
        iterations = atoi (argv[++i]);
      else if (g_str_equal (argv[i], "--sampled"))
        sampled = TRUE;
      else if (g_str_equal (argv[i], "--repeats") && i + 1 < argc)
        repeats = atoi (argv[++i]);
      else
        {
          guint n = atoi (argv[i]);
          if (n >= 2)
            g_array_append_val (sizes, n);
        }
    }
  repeats = MAX (repeats, 1);
  if (sampled)
    {
      if (sizes->len == 0)
        {
          guint defaults[] = { 10000, 100000 };
          g_array_append_vals (sizes, defaults, G_N_ELEMENTS (defaults));
        }
      printf ("# sampled stress: %u iterations, 130 set pairs per item, 64 draws, d = 3, CPU time\n",
              iterations);
      printf ("%7s %10s %10s %12s %10s\n", "N", "median_s", "min_s", "ns_per_visit", "stress");
      for (guint s = 0; s < sizes->len; s++)
        {
          guint n = g_array_index (sizes, guint, s);
          g_autofree double *t = g_new (double, repeats);
          double stress = 0.0, visits = 0.0;

          for (guint r = 0; r < repeats; r++)
            t[r] = run_sampled (n, iterations, r + 1, &stress, &visits);
          qsort (t, repeats, sizeof (double), bench_compare_double);
          printf ("%7u %10.4f %10.4f %12.3f %10.5f\n", n, t[repeats / 2], t[0],
                  t[repeats / 2] / (visits * iterations) * 1e9, stress);
          fflush (stdout);
        }
      return 0;
    }
  if (sizes->len == 0)
    {
      guint defaults[] = { 500, 1000, 2000, 4000, 8000 };
      g_array_append_vals (sizes, defaults, G_N_ELEMENTS (defaults));
    }

  printf ("# one re-embedding: set-up + %u iterations of the full weighted Sammon stress, d = 3\n",
          iterations);
  printf ("%6s %10s %10s %12s %10s %8s\n", "N", "median_s", "min_s", "ns_per_pair", "stress",
          "x_prev");
  for (guint s = 0; s < sizes->len; s++)
    {
      guint n = g_array_index (sizes, guint, s);
      g_autofree double *t = g_new (double, repeats);
      double stress = 0.0, median, pairs = (double) n * (n - 1) / 2;

      for (guint r = 0; r < repeats; r++)
        t[r] = run_once (n, iterations, r + 1, &stress);
      qsort (t, repeats, sizeof (double), bench_compare_double);
      median = t[repeats / 2];

      if (previous > 0)
        g_snprintf (ratio, sizeof ratio, "%.2f", median / previous);
      else
        g_strlcpy (ratio, "-", sizeof ratio);
      printf ("%6u %10.4f %10.4f %12.2f %10.5f %8s\n", n, median, t[0],
              median / (pairs * (iterations + 1)) * 1e9, stress, ratio);
      fflush (stdout);
      previous = median;
    }

  return 0;
}
