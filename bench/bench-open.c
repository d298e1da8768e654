/* bench-open.c — how long opening a study to go on takes: lk_answers_rebuild_and_repair()
 * replays the file (every stored phase's update again), which a session on a study file does
 * before its first grid. Not a test.
 *
 *   likeness-cli create study.likeness --images FOLDER --budget 600 --phases 5
 *   likeness-cli answer study.likeness --count 600
 *   build/bench/bench-open study.likeness [--repeats 3]
 *
 * Prints the median and the minimum of the repeats (the file is not changed: a whole study
 * needs no repair).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdio.h>
#include <stdlib.h>

#include "lk-answers.h"
#include "lk-store.h"
#include "bench-clock.h"

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree double *seconds = NULL;
  const char *path = NULL;
  guint repeats = 3;
  LkStoreCounts counts = { 0 };

  for (int i = 1; i < argc; i++)
    {
      if (g_str_equal (argv[i], "--repeats") && i + 1 < argc)
        {
          int n = atoi (argv[++i]);

          repeats = MAX (n, 1);
        }
      else
        path = argv[i];
    }
  if (path == NULL)
    {
      fprintf (stderr, "usage: bench-open STUDY.likeness [--repeats N]\n");
      return 2;
    }

  seconds = g_new (double, repeats);
  for (guint r = 0; r < repeats; r++)
    {
      g_autoptr(LkStore) store = lk_store_open (path, LK_STORE_OPEN_DEFAULT, &error);
      g_autoptr(LkRefiner) refiner = NULL;
      gint64 t0;

      if (store == NULL || !lk_store_get_counts (store, &counts, &error))
        {
          fprintf (stderr, "bench-open: %s\n", error->message);
          return 1;
        }
      t0 = g_get_monotonic_time ();
      refiner = lk_answers_rebuild_and_repair (store, NULL, NULL, NULL, &error);
      seconds[r] = (g_get_monotonic_time () - t0) / 1e6;
      if (refiner == NULL)
        {
          fprintf (stderr, "bench-open: %s\n", error->message);
          return 1;
        }
    }
  qsort (seconds, repeats, sizeof (double), bench_compare_double);
  printf ("# %u images, %u answers, %u phases done, %u repeats\n", counts.images, counts.answers,
          counts.phases_done, repeats);
  printf ("rebuild: median %.3f s, min %.3f s\n", seconds[repeats / 2], seconds[0]);

  return 0;
}
