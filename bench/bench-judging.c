/* bench-judging.c — the judging window's two waits on a large study: drawing a round (loading
 * the learned and HOG spaces, each seed's 10-NN in both: the window does it in a worker while a
 * spinner turns, then stores the round in one transaction) and saving one mark (one
 * transaction, WAL, synchronous=FULL, on the main thread as the judge presses a key). The
 * study is records only: N images with random 3-D embeddings and random HOG vectors. Not a
 * test: run on demand.
 *
 *   build/bench/bench-judging [--images 20000] [--seeds 50] [--marks 300]
 *
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <glib/gstdio.h>

#include "lk-core.h"
#include "tests/lk-judging-test.h"
#include "bench-clock.h"

/* Stores @n images, a 3-D embedding as phase 0 and a HOG vector for each, all random. */
static void
fill (LkStore *store,
      guint    n)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (5);
  guint dim = lk_feature_kind_get_dim (LK_FEATURE_HOG);
  g_autofree double *embedding = g_new (double, (gsize) n * 3);
  g_autofree float *hog = g_new (float, (gsize) n * dim);
  g_autofree char *images = g_strdup_printf (
    "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < %u)"
    " INSERT INTO image (item, path, sha256, bytes, mtime_us, width, height, format, imported)"
    " SELECT i, printf('IMG_%%05d.jpg', i), 'hash' || i, 1, 0, 1, 1, 'jpeg', 'x' FROM n;", n - 1);

  g_assert_true (lk_store_exec (store, images, &error));
  for (gsize i = 0; i < (gsize) n * 3; i++)
    embedding[i] = g_rand_double (rand);
  for (gsize i = 0; i < (gsize) n * dim; i++)
    hog[i] = (float) g_rand_double (rand);
  lk_judging_test_put_embedding (store, embedding, n, 3);
  lk_judging_test_put_features (store, LK_FEATURE_HOG, hog, n, FALSE);
}

int
main (int    argc,
      char **argv)
{
  guint n = 20000, n_seeds = 50, n_marks = 300;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("lk-bench-judging-XXXXXX", &error);
  g_autofree char *study = g_build_filename (dir, "bench.likeness", NULL);
  g_autoptr(LkJudgingRound) round = NULL;
  g_autofree double *ms = NULL;
  LkParams params;
  LkStore *store;
  gint64 t0;
  guint done = 0;

  for (int i = 1; i + 1 < argc; i += 2)
    {
      if (strcmp (argv[i], "--images") == 0)
        n = atoi (argv[i + 1]);
      else if (strcmp (argv[i], "--seeds") == 0)
        n_seeds = atoi (argv[i + 1]);
      else if (strcmp (argv[i], "--marks") == 0)
        n_marks = atoi (argv[i + 1]);
    }

  lk_params_init (&params);
  store = lk_store_create (study, &params, lk_method_lookup ("paper"), &error);
  g_assert_no_error (error);
  fill (store, n);

  t0 = g_get_monotonic_time ();
  round = lk_judging_round_create (store, "BENCH", LK_SPACE_HOG, LK_JUDGING_DEFAULT_K, n_seeds, 1,
                                   &error);
  g_assert_no_error (error);
  printf ("draw a round: %u images, HOG (%u values), %u seeds x 10-NN in both spaces, stored: "
          "%.2f s\n", n, lk_feature_kind_get_dim (LK_FEATURE_HOG), round->n_seeds,
          (g_get_monotonic_time () - t0) / 1e6);

  ms = g_new (double, n_marks);
  for (guint s = 0; s < round->n_seeds && done < n_marks; s++)
    for (guint p = 0; p < round->seeds[s].n_shown && done < n_marks; p++)
      {
        t0 = g_get_monotonic_time ();
        g_assert_true (lk_judging_round_mark (store, round, s, p, (gint) (p % 3), &error));
        ms[done++] = (g_get_monotonic_time () - t0) / 1e3;
      }
  qsort (ms, done, sizeof *ms, bench_compare_double);
  printf ("save a mark: median %.2f ms, p95 %.2f ms, max %.2f ms over %u marks\n", ms[done / 2],
          ms[(guint) (done * 0.95)], ms[done - 1], done);

  lk_store_close (store);
  {
    g_autofree char *wal = g_strconcat (study, "-wal", NULL);
    g_autofree char *shm = g_strconcat (study, "-shm", NULL);

    g_unlink (wal);
    g_unlink (shm);
  }
  g_unlink (study);
  g_rmdir (dir);

  return 0;
}
