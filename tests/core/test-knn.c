/* test-knn.c — exact k-NN against a full sort, ties included
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <math.h>
#include <stdlib.h>

#include <gsl/gsl_randist.h>

#include "lk-core.h"
#include "lk-knn-private.h"

typedef struct {
  double d2;
  guint  id;
} Candidate;

static int
compare_candidates (const void *a,
                    const void *b)
{
  const Candidate *x = a, *y = b;

  if (x->d2 != y->d2)
    return x->d2 < y->d2 ? -1 : 1;

  return x->id < y->id ? -1 : x->id > y->id;
}

/* Checks lk_knn_compute() against sorting all other points by (squared distance, id). The
 * squared distances are summed in the same order as lk-knn.c, so equal ones are bitwise equal
 * in both and ids must match exactly; distances are square roots of the same numbers, so
 * 1e-12 relative is generous. */
static void
check_against_sort (const double *points,
                    guint         n,
                    guint         dim,
                    guint         k)
{
  g_autofree double *distances = g_new (double, (gsize) n * k);
  g_autofree guint *ids = lk_knn_compute (points, n, dim, k, distances);
  g_autofree Candidate *all = g_new (Candidate, n - 1);
  g_autofree guint *ids_only = lk_knn_compute (points, n, dim, k, NULL);

  for (guint i = 0; i < n; i++)
    {
      guint m = 0;

      for (guint j = 0; j < n; j++)
        {
          double d2 = 0.0;

          if (j == i)
            continue;
          for (guint c = 0; c < dim; c++)
            d2 += (points[i * dim + c] - points[j * dim + c]) * (points[i * dim + c] - points[j * dim + c]);
          all[m++] = (Candidate) { d2, j };
        }
      qsort (all, n - 1, sizeof (Candidate), compare_candidates);

      for (guint r = 0; r < k; r++)
        {
          double d = sqrt (all[r].d2);

          g_assert_cmpuint (ids[i * k + r], ==, all[r].id);
          g_assert_cmpuint (ids_only[i * k + r], ==, all[r].id);
          g_assert_cmpfloat_with_epsilon (distances[i * k + r], d, 1e-12 * MAX (d, 1.0));
        }
    }
}

/* Random points in [-2.385, 2.385)^dim for several sizes, including k = n - 1. */
static void
test_random (void)
{
  const struct { guint n, dim, k; } cases[] = {
    { 2, 1, 1 }, { 17, 2, 5 }, { 40, 3, 39 }, { 64, 5, 10 }, { 200, 3, 20 },
  };
  g_autoptr(gsl_rng) rng = lk_rng_new (20240611);

  for (guint t = 0; t < G_N_ELEMENTS (cases); t++)
    {
      guint n = cases[t].n, dim = cases[t].dim;
      g_autofree double *points = g_new (double, n * dim);

      for (guint c = 0; c < n * dim; c++)
        points[c] = 4.77 * gsl_rng_uniform (rng) - 2.385;
      check_against_sort (points, n, dim, cases[t].k);
    }
}

/* Fills an @side x @side grid with spacing 0.375 and offset (1.25, -0.625); both are exact in
 * binary, so every difference and square is exact and equal distances are exact ties. */
static double *
grid (guint side)
{
  double *points = g_new (double, side * side * 2);

  for (guint r = 0; r < side; r++)
    for (guint c = 0; c < side; c++)
      {
        points[(r * side + c) * 2] = 1.25 + 0.375 * c;
        points[(r * side + c) * 2 + 1] = -0.625 + 0.375 * r;
      }

  return points;
}

/* Items of a 3 x 3 grid, numbered row by row:
 *   0 1 2
 *   3 4 5
 *   6 7 8
 * The centre 4 has 1, 3, 5, 7 at 0.375 and 0, 2, 6, 8 at 0.375 sqrt 2: with the smaller id
 * first among equals its 6 nearest are 1 3 5 7 0 2. Corner 8 has 5 and 7 at 0.375, then 4,
 * then 2 and 6 at 0.75. */
static void
test_grid_ties (void)
{
  const guint k = 6;
  g_autofree double *points = grid (3);
  g_autofree double *distances = g_new (double, 9 * k);
  g_autofree guint *ids = lk_knn_compute (points, 9, 2, k, distances);
  const guint centre[] = { 1, 3, 5, 7, 0, 2 };
  const guint corner[] = { 5, 7, 4, 2, 6, 1 };
  const double corner_d[] = { 0.375, 0.375, 0.375 * G_SQRT2, 0.75, 0.75, 0.375 * sqrt (5.0) };

  for (guint r = 0; r < k; r++)
    {
      g_assert_cmpuint (ids[4 * k + r], ==, centre[r]);
      g_assert_cmpuint (ids[8 * k + r], ==, corner[r]);
      g_assert_cmpfloat_with_epsilon (distances[8 * k + r], corner_d[r], 1e-15);
    }
  g_assert_cmpfloat_with_epsilon (distances[4 * k + 3], 0.375, 1e-15);
  g_assert_cmpfloat_with_epsilon (distances[4 * k + 4], 0.375 * G_SQRT2, 1e-15);
}

/* Larger grids, where many neighbours tie at the k-th place. */
static void
test_grid_against_sort (void)
{
  for (guint side = 2; side <= 7; side++)
    {
      g_autofree double *points = grid (side);

      check_against_sort (points, side * side, 2, 1);
      check_against_sort (points, side * side, 2, MIN (5, side * side - 1));
      check_against_sort (points, side * side, 2, side * side - 1);
    }
}

/* Coincident points are at distance 0 from each other, ordered by id. */
static void
test_duplicates (void)
{
  const double points[] = { 2.385, 2.385, 0.5, 2.385, 2.385, 2.385 };
  g_autofree double *distances = g_new (double, 6 * 2);
  g_autofree guint *ids = lk_knn_compute (points, 6, 1, 2, distances);

  /* Item 2 is alone at 0.5; the others coincide. */
  g_assert_cmpuint (ids[0 * 2 + 0], ==, 1);
  g_assert_cmpuint (ids[0 * 2 + 1], ==, 3);
  g_assert_cmpuint (ids[5 * 2 + 0], ==, 0);
  g_assert_cmpuint (ids[5 * 2 + 1], ==, 1);
  g_assert_cmpuint (ids[2 * 2 + 0], ==, 0);
  g_assert_cmpuint (ids[2 * 2 + 1], ==, 1);
  g_assert_cmpfloat (distances[5 * 2 + 1], ==, 0.0);
  g_assert_cmpfloat_with_epsilon (distances[2 * 2 + 0], 1.885, 1e-15);
  check_against_sort (points, 6, 1, 5);
}

/* Checks that the k-d tree's table (ids and distances) is bitwise the brute force's, and that
 * lk_knn_compute() gives it too. */
static void
check_tree_against_brute (const double *points,
                          guint         n,
                          guint         dim,
                          guint         k)
{
  g_autofree double *d_tree = g_new (double, (gsize) n * k);
  g_autofree double *d_brute = g_new (double, (gsize) n * k);
  g_autofree guint *tree = lk_knn_compute_tree (points, n, dim, k, d_tree);
  g_autofree guint *brute = lk_knn_compute_brute (points, n, dim, k, d_brute);
  g_autofree guint *chosen = lk_knn_compute (points, n, dim, k, NULL);

  for (gsize p = 0; p < (gsize) n * k; p++)
    {
      g_assert_cmpuint (tree[p], ==, brute[p]);
      g_assert_cmpuint (chosen[p], ==, brute[p]);
      g_assert_cmpfloat (d_tree[p], ==, d_brute[p]);
    }
}

/* Random points, uniform and clustered, in 1 to 8 dimensions, from tiny to past the size where
 * lk_knn_compute() switches to the tree. */
static void
test_tree_random (void)
{
  const struct { guint n, dim, k; } cases[] = {
    { 2, 1, 1 }, { 13, 2, 12 }, { 300, 1, 7 }, { 700, 2, 10 }, { 1500, 3, 40 }, { 900, 5, 10 },
    { 600, 8, 3 },
  };
  g_autoptr(gsl_rng) rng = lk_rng_new (1871);

  for (guint t = 0; t < G_N_ELEMENTS (cases); t++)
    for (guint clustered = 0; clustered < 2; clustered++)
      {
        guint n = cases[t].n, dim = cases[t].dim;
        g_autofree double *points = g_new (double, (gsize) n * dim);

        for (guint i = 0; i < n; i++)
          for (guint c = 0; c < dim; c++)
            points[(gsize) i * dim + c] = clustered
              ? 3.1 * (i % 5) + 0.01 * gsl_ran_gaussian (rng, 1.0)
              : 4.77 * gsl_rng_uniform (rng) - 2.385;
        check_tree_against_brute (points, n, dim, cases[t].k);
      }
}

/* Degenerate inputs: all points equal, a few distinct values many times over, a line, a lattice
 * (exact ties at every distance), and points that differ in one coordinate only. */
static void
test_tree_degenerate (void)
{
  const guint n = 640, dim = 3;
  g_autofree double *points = g_new (double, (gsize) n * dim);
  g_autoptr(gsl_rng) rng = lk_rng_new (77);

  for (gsize p = 0; p < (gsize) n * dim; p++)
    points[p] = 0.625;
  check_tree_against_brute (points, n, dim, 1);
  check_tree_against_brute (points, n, dim, 25);

  for (guint i = 0; i < n; i++)
    for (guint c = 0; c < dim; c++)
      points[(gsize) i * dim + c] = 0.5 * gsl_rng_uniform_int (rng, 3);
  check_tree_against_brute (points, n, dim, 30);

  for (guint i = 0; i < n; i++)
    for (guint c = 0; c < dim; c++)
      points[(gsize) i * dim + c] = c == 1 ? 0.125 * (n - i) : -1.5;
  check_tree_against_brute (points, n, dim, 9);

  for (guint i = 0; i < n; i++)
    {
      points[(gsize) i * dim] = 0.375 * (i % 8);
      points[(gsize) i * dim + 1] = 0.375 * ((i / 8) % 8);
      points[(gsize) i * dim + 2] = 0.375 * (i / 64);
    }
  check_tree_against_brute (points, n, dim, 26);
  check_tree_against_brute (points, n, dim, n - 1);

  {
    g_autofree double *grid_points = grid (25);

    check_tree_against_brute (grid_points, 625, 2, 8);
  }
}

/* k must be 1 .. n - 1: anything else is a programmer error and returns NULL. */
static void
test_invalid_k (void)
{
  const double points[] = { 0.35, -0.2, 1.25, 1.0, 2.15, -0.2 };
  guint *ids;

  g_test_expect_message ("lk-core", G_LOG_LEVEL_CRITICAL, "*k > 0 && k < n_items*");
  ids = lk_knn_compute (points, 3, 2, 3, NULL);
  g_test_assert_expected_messages ();
  g_assert_true (ids == NULL);

  g_test_expect_message ("lk-core", G_LOG_LEVEL_CRITICAL, "*k > 0 && k < n_items*");
  ids = lk_knn_compute (points, 3, 2, 0, NULL);
  g_test_assert_expected_messages ();
  g_assert_true (ids == NULL);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/lk/core/knn/random", test_random);
  g_test_add_func ("/lk/core/knn/grid-ties", test_grid_ties);
  g_test_add_func ("/lk/core/knn/grid-against-sort", test_grid_against_sort);
  g_test_add_func ("/lk/core/knn/duplicates", test_duplicates);
  g_test_add_func ("/lk/core/knn/tree-random", test_tree_random);
  g_test_add_func ("/lk/core/knn/tree-degenerate", test_tree_degenerate);
  g_test_add_func ("/lk/core/knn/invalid-k", test_invalid_k);

  return g_test_run ();
}
