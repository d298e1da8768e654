/* lk-projection.c — 2-D views of an embedding: principal components and Procrustes alignment
 *
 * The experimenter's embedding view (src/app) draws the d-dimensional embedding on its first
 * principal components. Each phase's embedding is normalised afresh and its components come out
 * in any rotation or reflection, so successive phases are aligned to the previous phase's view
 * by orthogonal Procrustes (Schönemann 1966): the orthogonal R minimising |A - (B - b) R - a|,
 * with a and b the centroids, is U V^T for the SVD U S V^T of (B - b)^T (A - a). Reflections are
 * allowed, since the sign of a principal axis carries no meaning. There is no scaling: both
 * sides are normalised embeddings.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "lk-projection.h"

#include <math.h>
#include <gsl/gsl_eigen.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_matrix.h>

/* Returns the centroid of @points in a new array of @dim doubles. */
static double *
centroid (const double *points,
          guint         n,
          guint         dim)
{
  double *mean = g_new0 (double, dim);

  for (guint i = 0; i < n; i++)
    for (guint k = 0; k < dim; k++)
      mean[k] += points[(gsize) i * dim + k];
  for (guint k = 0; k < dim && n > 0; k++)
    mean[k] /= n;

  return mean;
}

/**
 * lk_projection_pca:
 * @points: (array): @n_items x @dim row-major coordinates
 * @n_items: number of points
 * @dim: their dimension
 * @out_dim: how many components to keep (at most @dim; the view uses 2)
 * @variances: (out caller-allocates) (optional) (array): the variance along each kept
 *   component (population variance, largest first)
 *
 * Projects centred points on their principal axes. Each axis is signed so that its largest
 * coefficient (in absolute value, the first on a tie) is positive, so the result does not
 * depend on the eigensolver's choice of sign.
 *
 * Returns: (transfer full): @n_items x @out_dim row-major coordinates, centred on 0
 */
double *
lk_projection_pca (const double *points,
                   guint         n_items,
                   guint         dim,
                   guint         out_dim,
                   double       *variances)
{
  g_autofree double *mean = NULL;
  gsl_matrix *cov, *vectors;
  gsl_vector *values;
  gsl_eigen_symmv_workspace *work;
  double *out;

  g_return_val_if_fail (points != NULL || n_items == 0, NULL);
  g_return_val_if_fail (dim > 0 && out_dim > 0 && out_dim <= dim, NULL);

  mean = centroid (points, n_items, dim);
  cov = gsl_matrix_calloc (dim, dim);
  for (guint i = 0; i < n_items; i++)
    for (guint a = 0; a < dim; a++)
      for (guint b = a; b < dim; b++)
        *gsl_matrix_ptr (cov, a, b) += (points[(gsize) i * dim + a] - mean[a])
                                       * (points[(gsize) i * dim + b] - mean[b]);
  for (guint a = 0; a < dim; a++)
    for (guint b = a; b < dim; b++)
      {
        double v = n_items > 0 ? gsl_matrix_get (cov, a, b) / n_items : 0.0;

        gsl_matrix_set (cov, a, b, v);
        gsl_matrix_set (cov, b, a, v);
      }

  values = gsl_vector_alloc (dim);
  vectors = gsl_matrix_alloc (dim, dim);
  work = gsl_eigen_symmv_alloc (dim);
  gsl_eigen_symmv (cov, values, vectors, work);
  gsl_eigen_symmv_sort (values, vectors, GSL_EIGEN_SORT_VAL_DESC);

  for (guint c = 0; c < out_dim; c++)
    {
      guint arg = 0;

      for (guint k = 1; k < dim; k++)
        if (fabs (gsl_matrix_get (vectors, k, c)) > fabs (gsl_matrix_get (vectors, arg, c)) + 1e-12)
          arg = k;
      if (gsl_matrix_get (vectors, arg, c) < 0.0)
        for (guint k = 0; k < dim; k++)
          gsl_matrix_set (vectors, k, c, -gsl_matrix_get (vectors, k, c));
      if (variances != NULL)
        variances[c] = MAX (gsl_vector_get (values, c), 0.0);
    }

  out = g_new0 (double, (gsize) n_items * out_dim + 1);
  for (guint i = 0; i < n_items; i++)
    for (guint c = 0; c < out_dim; c++)
      {
        double s = 0.0;

        for (guint k = 0; k < dim; k++)
          s += (points[(gsize) i * dim + k] - mean[k]) * gsl_matrix_get (vectors, k, c);
        out[(gsize) i * out_dim + c] = s;
      }

  gsl_eigen_symmv_free (work);
  gsl_matrix_free (vectors);
  gsl_vector_free (values);
  gsl_matrix_free (cov);

  return out;
}

/**
 * lk_projection_procrustes:
 * @reference: (array): @n_items x @dim row-major coordinates to align to
 * @points: (array) (inout): @n_items x @dim row-major coordinates, aligned in place
 * @n_items: number of points
 * @dim: their dimension
 * @rotation: (out caller-allocates) (optional) (array): the @dim x @dim orthogonal matrix applied
 *   to the centred @points (row vectors times @rotation)
 *
 * Moves @points by the rotation or reflection, plus translation, that brings them closest to
 * @reference in the least-squares sense (orthogonal Procrustes). Point i of both arrays is the
 * same item.
 */
void
lk_projection_procrustes (const double *reference,
                          double       *points,
                          guint         n_items,
                          guint         dim,
                          double       *rotation)
{
  g_autofree double *ma = NULL;
  g_autofree double *mb = NULL;
  g_autofree double *row = NULL;
  gsl_matrix *m, *v, *r;
  gsl_vector *s, *work;

  g_return_if_fail (reference != NULL && points != NULL);
  g_return_if_fail (dim > 0);

  ma = centroid (reference, n_items, dim);
  mb = centroid (points, n_items, dim);

  /* M = (B - b)^T (A - a), then M = U S V^T, and R = U V^T. */
  m = gsl_matrix_calloc (dim, dim);
  for (guint i = 0; i < n_items; i++)
    for (guint p = 0; p < dim; p++)
      for (guint q = 0; q < dim; q++)
        *gsl_matrix_ptr (m, p, q) += (points[(gsize) i * dim + p] - mb[p])
                                     * (reference[(gsize) i * dim + q] - ma[q]);
  v = gsl_matrix_alloc (dim, dim);
  s = gsl_vector_alloc (dim);
  work = gsl_vector_alloc (dim);
  gsl_linalg_SV_decomp (m, v, s, work);   /* m becomes U */
  r = gsl_matrix_alloc (dim, dim);
  for (guint p = 0; p < dim; p++)
    for (guint q = 0; q < dim; q++)
      {
        double sum = 0.0;

        for (guint k = 0; k < dim; k++)
          sum += gsl_matrix_get (m, p, k) * gsl_matrix_get (v, q, k);
        gsl_matrix_set (r, p, q, sum);
      }

  row = g_new (double, dim);
  for (guint i = 0; i < n_items; i++)
    {
      double *x = points + (gsize) i * dim;

      for (guint q = 0; q < dim; q++)
        {
          double sum = 0.0;

          for (guint p = 0; p < dim; p++)
            sum += (x[p] - mb[p]) * gsl_matrix_get (r, p, q);
          row[q] = sum + ma[q];
        }
      for (guint q = 0; q < dim; q++)
        x[q] = row[q];
    }

  if (rotation != NULL)
    for (guint p = 0; p < dim; p++)
      for (guint q = 0; q < dim; q++)
        rotation[p * dim + q] = gsl_matrix_get (r, p, q);

  gsl_matrix_free (r);
  gsl_vector_free (work);
  gsl_vector_free (s);
  gsl_matrix_free (v);
  gsl_matrix_free (m);
}
