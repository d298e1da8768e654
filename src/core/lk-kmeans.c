/* lk-kmeans.c — Lloyd's k-means with k-means++ seeding
 *
 * Used twice: as the simulated participant (the paper's section 4.3: "computed
 * by a k-means algorithm, which has split the 20 images in the query into 4 clusters") and for
 * the cluster error of an embedding. Seeding is k-means++ (Arthur and Vassilvitskii 2007);
 * Lloyd iterations run until no point changes cluster (at most 100); an empty cluster takes the
 * point farthest from its centre. With several restarts the lowest inertia wins.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "lk-kmeans.h"

#include <string.h>

#define MAX_ITERATIONS 100

static double
sq_dist (const double *a,
         const double *b,
         guint         dim)
{
  double s = 0.0;

  for (guint c = 0; c < dim; c++)
    s += (a[c] - b[c]) * (a[c] - b[c]);

  return s;
}

static void
seed_plus_plus (const double *points,
                guint         n,
                guint         dim,
                guint         k,
                gsl_rng      *rng,
                double       *centres,
                double       *d2)
{
  guint first = gsl_rng_uniform_int (rng, n);

  memcpy (centres, points + (gsize) first * dim, sizeof (double) * dim);
  for (guint i = 0; i < n; i++)
    d2[i] = sq_dist (points + (gsize) i * dim, centres, dim);

  for (guint c = 1; c < k; c++)
    {
      double total = 0.0, r;
      guint pick = n - 1;

      for (guint i = 0; i < n; i++)
        total += d2[i];

      if (total <= 0.0)
        {
          /* All points coincide with a centre: any choice is as good. */
          pick = c % n;
        }
      else
        {
          r = gsl_rng_uniform (rng) * total;
          for (guint i = 0; i < n; i++)
            {
              r -= d2[i];
              if (r < 0.0)
                {
                  pick = i;
                  break;
                }
            }
        }

      memcpy (centres + (gsize) c * dim, points + (gsize) pick * dim, sizeof (double) * dim);
      for (guint i = 0; i < n; i++)
        d2[i] = MIN (d2[i], sq_dist (points + (gsize) i * dim, centres + (gsize) c * dim, dim));
    }
}

/* Returns the inertia of one seeded Lloyd run, leaving its labels in @labels. */
static double
lloyd (const double *points,
       guint         n,
       guint         dim,
       guint         k,
       gsl_rng      *rng,
       guint        *labels,
       double       *centres,
       double       *d2,
       guint        *counts)
{
  double inertia = 0.0;

  seed_plus_plus (points, n, dim, k, rng, centres, d2);
  for (guint i = 0; i < n; i++)
    labels[i] = G_MAXUINT;

  for (guint it = 0; it < MAX_ITERATIONS; it++)
    {
      gboolean changed = FALSE;

      inertia = 0.0;
      for (guint i = 0; i < n; i++)
        {
          guint best = 0;
          double best_d = G_MAXDOUBLE;

          for (guint c = 0; c < k; c++)
            {
              double d = sq_dist (points + (gsize) i * dim, centres + (gsize) c * dim, dim);
              if (d < best_d)
                {
                  best_d = d;
                  best = c;
                }
            }
          if (labels[i] != best)
            changed = TRUE;
          labels[i] = best;
          d2[i] = best_d;
          inertia += best_d;
        }

      if (!changed)
        break;

      memset (centres, 0, sizeof (double) * k * dim);
      memset (counts, 0, sizeof (guint) * k);
      for (guint i = 0; i < n; i++)
        {
          counts[labels[i]]++;
          for (guint c = 0; c < dim; c++)
            centres[(gsize) labels[i] * dim + c] += points[(gsize) i * dim + c];
        }
      for (guint c = 0; c < k; c++)
        {
          if (counts[c] == 0)
            {
              guint far = 0;

              for (guint i = 1; i < n; i++)
                if (d2[i] > d2[far])
                  far = i;
              memcpy (centres + (gsize) c * dim, points + (gsize) far * dim, sizeof (double) * dim);
              d2[far] = 0.0;
              continue;
            }
          for (guint d = 0; d < dim; d++)
            centres[(gsize) c * dim + d] /= counts[c];
        }
    }

  return inertia;
}

/**
 * lk_kmeans:
 * @points: (array): @n_points x @dim row-major
 * @n_points: number of points
 * @dim: dimension
 * @k: number of clusters, 1..@n_points
 * @restarts: independent seeded runs, the best kept (at least 1)
 * @rng: the random source
 * @labels: (out caller-allocates) (array): a cluster 0..@k-1 per point
 *
 * Returns: the inertia (sum of squared distances to the centres) of the labels returned
 */
double
lk_kmeans (const double *points,
           guint         n_points,
           guint         dim,
           guint         k,
           guint         restarts,
           gsl_rng      *rng,
           guint        *labels)
{
  g_autofree double *centres = NULL;
  g_autofree double *d2 = NULL;
  g_autofree guint *counts = NULL;
  g_autofree guint *trial = NULL;
  double best = G_MAXDOUBLE;

  g_return_val_if_fail (points != NULL && labels != NULL && rng != NULL, 0.0);
  g_return_val_if_fail (k >= 1 && k <= n_points, 0.0);

  centres = g_new (double, (gsize) k * dim);
  d2 = g_new (double, n_points);
  counts = g_new (guint, k);
  trial = g_new (guint, n_points);

  for (guint r = 0; r < MAX (restarts, 1); r++)
    {
      double inertia = lloyd (points, n_points, dim, k, rng, trial, centres, d2, counts);

      if (inertia < best)
        {
          best = inertia;
          memcpy (labels, trial, sizeof (guint) * n_points);
        }
    }

  return best;
}
