/* test-kmeans.c — k-means on cases with known answers
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <gsl/gsl_randist.h>

#include "lk-core.h"

#define N_BLOBS   4
#define PER_BLOB  25

/* Blob centres at least 6 apart; spread 0.3 (sd), so no point is nearer another blob's centre
 * than its own by a margin of about 10 standard deviations. */
static const double blob_centres[N_BLOBS][2] = {
  { -7.3, 2.1 }, { 4.85, 3.6 }, { -1.2, -6.45 }, { 6.2, -3.3 },
};

/* Returns N_BLOBS * PER_BLOB points in 2-D, blob b at indices [b * PER_BLOB, (b + 1) * PER_BLOB). */
static double *
make_blobs (guint64 seed)
{
  g_autoptr(gsl_rng) rng = lk_rng_new (seed);
  double *points = g_new (double, N_BLOBS * PER_BLOB * 2);

  for (guint b = 0; b < N_BLOBS; b++)
    for (guint i = 0; i < PER_BLOB; i++)
      for (guint c = 0; c < 2; c++)
        points[(b * PER_BLOB + i) * 2 + c] = blob_centres[b][c] + gsl_ran_gaussian (rng, 0.3);

  return points;
}

/* Returns the sum of squared distances of the points to the mean of their label. */
static double
recomputed_inertia (const double *points,
                    guint         n,
                    guint         dim,
                    guint         k,
                    const guint  *labels)
{
  g_autofree double *centres = g_new0 (double, k * dim);
  g_autofree guint *counts = g_new0 (guint, k);
  double inertia = 0.0;

  for (guint i = 0; i < n; i++)
    {
      counts[labels[i]]++;
      for (guint c = 0; c < dim; c++)
        centres[labels[i] * dim + c] += points[i * dim + c];
    }
  for (guint l = 0; l < k; l++)
    for (guint c = 0; c < dim && counts[l] > 0; c++)
      centres[l * dim + c] /= counts[l];
  for (guint i = 0; i < n; i++)
    for (guint c = 0; c < dim; c++)
      {
        double delta = points[i * dim + c] - centres[labels[i] * dim + c];
        inertia += delta * delta;
      }

  return inertia;
}

/* Every blob gets one label of its own, whatever the numbering. */
static void
test_blobs (void)
{
  g_autofree double *points = make_blobs (5);
  g_autoptr(gsl_rng) rng = lk_rng_new (11);
  guint labels[N_BLOBS * PER_BLOB];
  gboolean seen[N_BLOBS] = { FALSE };
  double inertia;

  inertia = lk_kmeans (points, N_BLOBS * PER_BLOB, 2, N_BLOBS, 5, rng, labels);

  for (guint b = 0; b < N_BLOBS; b++)
    {
      guint l = labels[b * PER_BLOB];

      g_assert_cmpuint (l, <, N_BLOBS);
      g_assert_true (!seen[l]);
      seen[l] = TRUE;
      for (guint i = 0; i < PER_BLOB; i++)
        g_assert_cmpuint (labels[b * PER_BLOB + i], ==, l);
    }

  /* About 2 * 100 * 0.3^2 = 18 for the true partition; any merge of two blobs costs over 400. */
  g_assert_cmpfloat (inertia, <, 40.0);
  g_assert_cmpfloat_with_epsilon (inertia,
                                  recomputed_inertia (points, N_BLOBS * PER_BLOB, 2, N_BLOBS, labels),
                                  1e-9 * inertia);
}

/* The same seed gives the same labels and inertia, to the bit. */
static void
test_deterministic (void)
{
  const guint n = 150, dim = 3, k = 7;
  g_autoptr(gsl_rng) data_rng = lk_rng_new (23);
  g_autoptr(gsl_rng) rng1 = lk_rng_new (2385);
  g_autoptr(gsl_rng) rng2 = lk_rng_new (2385);
  g_autofree double *points = g_new (double, n * dim);
  g_autofree guint *labels1 = g_new (guint, n);
  g_autofree guint *labels2 = g_new (guint, n);
  double inertia1, inertia2;

  for (guint c = 0; c < n * dim; c++)
    points[c] = gsl_rng_uniform (data_rng);

  inertia1 = lk_kmeans (points, n, dim, k, 3, rng1, labels1);
  inertia2 = lk_kmeans (points, n, dim, k, 3, rng2, labels2);

  g_assert_cmpfloat (inertia1, ==, inertia2);
  for (guint i = 0; i < n; i++)
    g_assert_cmpuint (labels1[i], ==, labels2[i]);
}

/* With as many clusters as (distinct) points, every point is its own cluster. */
static void
test_k_equals_n (void)
{
  const double points[] = {
    0.35, -0.2,  1.25, 1.0,  2.15, -0.2,  2.15, -2.6,  -0.35, 2.2,  0.41, -0.17,  3.9, 3.85,
  };
  const guint n = G_N_ELEMENTS (points) / 2;
  g_autoptr(gsl_rng) rng = lk_rng_new (3);
  guint labels[G_N_ELEMENTS (points) / 2];
  gboolean seen[G_N_ELEMENTS (points) / 2] = { FALSE };
  double inertia;

  inertia = lk_kmeans (points, n, 2, n, 1, rng, labels);

  g_assert_cmpfloat (inertia, ==, 0.0);
  for (guint i = 0; i < n; i++)
    {
      g_assert_cmpuint (labels[i], <, n);
      g_assert_true (!seen[labels[i]]);
      seen[labels[i]] = TRUE;
    }
}

/* All points identical: nothing to split, but the labels are still valid and the inertia 0. */
static void
test_identical (void)
{
  const guint n = 12, dim = 3, k = 4;
  g_autoptr(gsl_rng) rng = lk_rng_new (41);
  g_autofree double *points = g_new (double, n * dim);
  g_autofree guint *labels = g_new (guint, n);
  double inertia;

  for (guint i = 0; i < n; i++)
    {
      points[i * dim] = 2.385;
      points[i * dim + 1] = -0.71;
      points[i * dim + 2] = 1.5e3;
    }

  inertia = lk_kmeans (points, n, dim, k, 3, rng, labels);

  g_assert_cmpfloat (inertia, ==, 0.0);
  for (guint i = 0; i < n; i++)
    g_assert_cmpuint (labels[i], <, k);
}

/* On unstructured data, where Lloyd needs several iterations and restarts disagree, the
 * returned inertia is that of the returned labels with their means as centres (Lloyd stops
 * when no label changes, so its centres are those means). Relative 1e-9 allows for the
 * summation order. */
static void
test_inertia_matches_labels (void)
{
  const struct { guint n, dim, k, restarts; } cases[] = {
    { 60, 2, 5, 1 }, { 200, 3, 9, 4 }, { 33, 5, 2, 2 }, { 80, 1, 6, 3 }, { 10, 2, 1, 1 },
  };
  g_autoptr(gsl_rng) data_rng = lk_rng_new (77);
  g_autoptr(gsl_rng) rng = lk_rng_new (78);

  for (guint t = 0; t < G_N_ELEMENTS (cases); t++)
    {
      guint n = cases[t].n, dim = cases[t].dim, k = cases[t].k;
      g_autofree double *points = g_new (double, n * dim);
      g_autofree guint *labels = g_new (guint, n);
      double inertia;

      for (guint c = 0; c < n * dim; c++)
        points[c] = 2.385 * gsl_rng_uniform (data_rng);

      inertia = lk_kmeans (points, n, dim, k, cases[t].restarts, rng, labels);
      for (guint i = 0; i < n; i++)
        g_assert_cmpuint (labels[i], <, k);
      g_assert_cmpfloat (inertia, >, 0.0);
      g_assert_cmpfloat_with_epsilon (inertia, recomputed_inertia (points, n, dim, k, labels),
                                      1e-9 * inertia);
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/lk/core/kmeans/blobs", test_blobs);
  g_test_add_func ("/lk/core/kmeans/deterministic", test_deterministic);
  g_test_add_func ("/lk/core/kmeans/k-equals-n", test_k_equals_n);
  g_test_add_func ("/lk/core/kmeans/identical", test_identical);
  g_test_add_func ("/lk/core/kmeans/inertia-matches-labels", test_inertia_matches_labels);

  return g_test_run ();
}
