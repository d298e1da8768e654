/* bench-phase.c — the time a participant waits between phases: one method update at N items
 * after 4 phases of simulated answers (the 5th phase of a 1200-query run at N = 1000, budget
 * scaled with N), median of repeated runs, for each method. Not a test: run on demand.
 *
 *   build/bench/bench-phase [--repeats 5] [N ...]          (default N: 1000 2000)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdio.h>
#include <stdlib.h>

#include "lk-core.h"
#include "bench-clock.h"

/* Returns the seconds of the last phase's update of @method at @n items. */
static double
time_last_update (const LkMethodType *method,
                  guint               n,
                  guint64             seed)
{
  g_autofree char *spec = g_strdup_printf ("colors:%u", n);
  g_autoptr(LkDataset) dataset = lk_dataset_new_from_spec (spec, seed, NULL);
  g_autoptr(LkRefiner) refiner = NULL;
  g_autoptr(LkCrowd) crowd = NULL;
  LkNoise noise = { 0 };
  LkParams params;
  double seconds = 0.0;

  lk_params_init (&params);
  params.seed = seed;
  params.budget = 1200 * n / 1000;
  refiner = lk_refiner_new (n, &params, method, NULL);
  crowd = lk_crowd_new (dataset, params.nc, &noise, lk_rng_derive (seed, 1));

  while (!lk_refiner_is_done (refiner))
    {
      g_autoptr(GPtrArray) batch = lk_refiner_select_queries (refiner,
                                                              lk_refiner_get_batch_size (refiner));
      gint64 start;

      for (guint q = 0; q < batch->len; q++)
        {
          lk_crowd_answer (crowd, g_ptr_array_index (batch, q));
          lk_refiner_add_answer (refiner, g_ptr_array_index (batch, q));
        }
      start = g_get_monotonic_time ();
      lk_refiner_end_phase (refiner, NULL);
      seconds = (g_get_monotonic_time () - start) / 1e6;
    }

  return seconds;
}

int
main (int    argc,
      char **argv)
{
  const char *names[] = { "paper", "triplet" };
  guint repeats = 5;
  g_autoptr(GArray) sizes = g_array_new (FALSE, FALSE, sizeof (guint));

  for (int i = 1; i < argc; i++)
    {
      if (g_str_equal (argv[i], "--repeats") && i + 1 < argc)
        {
          /* Not MAX (atoi (argv[++i]), 1): the macro evaluates its argument twice, so i moved
           * on twice and --repeats 3 1000 meant 1000 repeats. */
          int r = atoi (argv[++i]);

          repeats = MAX (r, 1);
        }
      else
        {
          guint n = atoi (argv[i]);
          if (n >= 100)
            g_array_append_val (sizes, n);
        }
    }
  if (sizes->len == 0)
    {
      guint defaults[] = { 1000, 2000 };
      g_array_append_vals (sizes, defaults, G_N_ELEMENTS (defaults));
    }

  printf ("# seconds of the last of 5 phases' update (budget 1.2 N), median of %u runs\n", repeats);
  printf ("%6s %10s %10s %8s\n", "N", "paper", "triplet", "ratio");
  for (guint s = 0; s < sizes->len; s++)
    {
      guint n = g_array_index (sizes, guint, s);
      double median[2];

      for (guint m = 0; m < 2; m++)
        {
          g_autofree double *t = g_new (double, repeats);

          for (guint r = 0; r < repeats; r++)
            t[r] = time_last_update (lk_method_lookup (names[m]), n, r + 1);
          qsort (t, repeats, sizeof (double), bench_compare_double);
          median[m] = t[repeats / 2];
        }
      printf ("%6u %10.4f %10.4f %8.2f\n", n, median[0], median[1], median[1] / median[0]);
    }

  return 0;
}
