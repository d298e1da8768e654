/* bench-save.c — how long a participant's submit waits for its answer to be on disk: the
 * latency of lk_answers_save (one transaction, WAL, synchronous=FULL, with a move log), over
 * several hundred answers. Not a test: run on demand.
 *
 *   build/bench/bench-save [--answers 400]
 *
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdio.h>
#include <stdlib.h>
#include <glib/gstdio.h>
#include <gdk-pixbuf/gdk-pixbuf.h>

#include "lk-answers.h"
#include "lk-collection.h"
#include "lk-core.h"
#include "lk-store.h"
#include "bench-clock.h"

int
main (int    argc,
      char **argv)
{
  guint target = 400, done = 0;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("lk-bench-save-XXXXXX", &error);
  g_autofree char *images = g_build_filename (dir, "images", NULL);
  g_autofree char *study = g_build_filename (dir, "bench.likeness", NULL);
  g_autoptr(LkStore) store = NULL;
  g_autoptr(LkImportReport) report = NULL;
  g_autoptr(LkRefiner) refiner = NULL;
  g_autofree double *ms = NULL;
  LkMove moves[10];
  LkParams params;

  for (int i = 1; i < argc; i++)
    if (g_str_equal (argv[i], "--answers") && i + 1 < argc)
      target = (guint) atoi (argv[++i]);
  ms = g_new (double, target);

  g_mkdir_with_parents (images, 0700);
  for (guint i = 0; i < 60; i++)
    {
      g_autoptr(GdkPixbuf) p = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 32, 32);
      g_autofree char *path = g_strdup_printf ("%s/c%02u.png", images, i);

      gdk_pixbuf_fill (p, (i * 0x0a1b2c3du) | 0xff);
      gdk_pixbuf_save (p, path, "png", NULL, NULL);
    }

  lk_params_init (&params);
  params.nq = 8;
  params.nc = 4;
  params.knn_k = 12;
  params.budget = target;
  params.phases = 1;
  store = lk_store_create (study, &params, lk_method_random, &error);
  report = lk_collection_import (store, images, NULL, NULL, NULL, &error);
  refiner = lk_answers_rebuild (store, NULL, &error);
  g_assert (refiner != NULL);

  for (guint m = 0; m < G_N_ELEMENTS (moves); m++)
    moves[m] = (LkMove) { m % 8, -1, (gint) (m % 4), 400 * (m + 1) };

  while (done < target)
    {
      g_autoptr(GArray) open = lk_answers_list_open (store, &error);

      if (open->len == 0)
        {
          g_autoptr(GArray) drawn = lk_answers_draw_queries (store, refiner, &error);
          g_assert (drawn != NULL && drawn->len > 0);
          continue;
        }
      for (guint i = 0; i < open->len && done < target; i++)
        {
          gint64 qid = g_array_index (open, gint64, i);
          g_autoptr(LkQuery) q = lk_answers_get_query (store, qid, NULL, &error);
          gint bins[8] = { 0, 1, 2, 3, 0, 1, LK_BIN_LEFT_OUT, 2 };
          gint64 t0;

          lk_query_set_answer (q, bins, 4, NULL);
          t0 = g_get_monotonic_time ();
          if (lk_answers_save (store, qid, q, 0, 1, 2, moves, G_N_ELEMENTS (moves), &error) == 0)
            g_error ("%s", error->message);
          ms[done++] = (g_get_monotonic_time () - t0) / 1000.0;
        }
    }

  qsort (ms, target, sizeof (double), bench_compare_double);
  printf ("# %u answers of 8 images with 10 moves each, one transaction each (WAL, synchronous=FULL)\n",
          target);
  printf ("save latency: median %.2f ms, p95 %.2f ms, max %.2f ms\n", ms[target / 2],
          ms[target * 95 / 100], ms[target - 1]);

  lk_store_close (g_steal_pointer (&store));
  for (guint i = 0; i < 60; i++)
    {
      g_autofree char *path = g_strdup_printf ("%s/c%02u.png", images, i);
      g_remove (path);
    }
  {
    g_autofree char *wal = g_strconcat (study, "-wal", NULL);
    g_autofree char *shm = g_strconcat (study, "-shm", NULL);
    g_remove (wal);
    g_remove (shm);
  }
  g_remove (study);
  g_remove (images);
  g_remove (dir);

  return 0;
}
