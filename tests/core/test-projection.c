/* test-projection.c — PCA and orthogonal Procrustes on cases worked by hand
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <math.h>

#include "lk-core.h"

/* Four points on the diagonal cross of the (x, y) plane, shifted by (1.25, -0.5, 2.385):
 * (3, 3), (-3, -3), (1, -1), (-1, 1) around the shift, z constant. The covariance is
 * [[5, 4, 0], [4, 5, 0], [0, 0, 0]]: eigenvalues 9 along (1, 1, 0) / sqrt 2 and 1 along
 * (1, -1, 0) / sqrt 2 (sign: the largest coefficient positive, the first on a tie), so the
 * projections are (+-3 sqrt 2, 0) and (0, +-sqrt 2). */
static void
test_pca_diagonal (void)
{
  const double shift[3] = { 1.25, -0.5, 2.385 };
  const double base[4][2] = { { 3, 3 }, { -3, -3 }, { 1, -1 }, { -1, 1 } };
  const double expected[4][2] = { { 3 * M_SQRT2, 0 }, { -3 * M_SQRT2, 0 },
                                  { 0, M_SQRT2 }, { 0, -M_SQRT2 } };
  double points[4 * 3], variances[2];
  g_autofree double *out = NULL;

  for (guint i = 0; i < 4; i++)
    {
      points[i * 3 + 0] = base[i][0] + shift[0];
      points[i * 3 + 1] = base[i][1] + shift[1];
      points[i * 3 + 2] = shift[2];
    }
  out = lk_projection_pca (points, 4, 3, 2, variances);

  g_assert_cmpfloat_with_epsilon (variances[0], 9.0, 1e-12);
  g_assert_cmpfloat_with_epsilon (variances[1], 1.0, 1e-12);
  for (guint i = 0; i < 4; i++)
    for (guint c = 0; c < 2; c++)
      g_assert_cmpfloat_with_epsilon (out[i * 2 + c], expected[i][c], 1e-12);
}

/* One component of points on a horizontal line at y = 0.7: the projection is x minus its mean. */
static void
test_pca_one_component (void)
{
  const double points[] = { 2.385, 0.7, -1.5, 0.7, 0.615, 0.7 };
  g_autofree double *out = lk_projection_pca (points, 3, 2, 1, NULL);
  double mean = (2.385 - 1.5 + 0.615) / 3;

  g_assert_cmpfloat_with_epsilon (out[0], 2.385 - mean, 1e-12);
  g_assert_cmpfloat_with_epsilon (out[1], -1.5 - mean, 1e-12);
  g_assert_cmpfloat_with_epsilon (out[2], 0.615 - mean, 1e-12);
}

/* A square turned by a quarter and moved by (5, -2.385) comes back exactly; the rotation found
 * is the inverse quarter turn, [[0, -1], [1, 0]] for row vectors. */
static void
test_procrustes_rotation (void)
{
  const double reference[] = { 1, 0, 0, 1, -1, 0, 0, -1 };
  double points[8], rotation[4];

  for (guint i = 0; i < 4; i++)
    {
      /* (x, y) -> (-y, x), a quarter turn, then the shift. */
      points[2 * i] = -reference[2 * i + 1] + 5.0;
      points[2 * i + 1] = reference[2 * i] - 2.385;
    }
  lk_projection_procrustes (reference, points, 4, 2, rotation);

  for (guint k = 0; k < 8; k++)
    g_assert_cmpfloat_with_epsilon (points[k], reference[k], 1e-12);
  g_assert_cmpfloat_with_epsilon (rotation[0], 0.0, 1e-12);
  g_assert_cmpfloat_with_epsilon (rotation[1], -1.0, 1e-12);
  g_assert_cmpfloat_with_epsilon (rotation[2], 1.0, 1e-12);
  g_assert_cmpfloat_with_epsilon (rotation[3], 0.0, 1e-12);
}

/* A mirror image (x -> -x) of an asymmetric triangle is reflected back. */
static void
test_procrustes_reflection (void)
{
  const double reference[] = { 0, 0, 2.385, 0, 0, 1.5 };
  double points[] = { 0, 0, -2.385, 0, 0, 1.5 };

  lk_projection_procrustes (reference, points, 3, 2, NULL);
  for (guint k = 0; k < 6; k++)
    g_assert_cmpfloat_with_epsilon (points[k], reference[k], 1e-12);
}

/* With noise the fit is the least-squares one: a small perturbation stays small, and aligning
 * a configuration to itself changes nothing. */
static void
test_procrustes_identity (void)
{
  const double reference[] = { 0.3, -1.2, 2.385, 0.4, -0.7, 1.9, 1.1, 1.1 };
  double points[8];

  for (guint k = 0; k < 8; k++)
    points[k] = reference[k];
  lk_projection_procrustes (reference, points, 4, 2, NULL);
  for (guint k = 0; k < 8; k++)
    g_assert_cmpfloat_with_epsilon (points[k], reference[k], 1e-12);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/lk/core/projection/pca-diagonal", test_pca_diagonal);
  g_test_add_func ("/lk/core/projection/pca-one-component", test_pca_one_component);
  g_test_add_func ("/lk/core/projection/procrustes-rotation", test_procrustes_rotation);
  g_test_add_func ("/lk/core/projection/procrustes-reflection", test_procrustes_reflection);
  g_test_add_func ("/lk/core/projection/procrustes-identity", test_procrustes_identity);

  return g_test_run ();
}
