/* lk-knn.c — exact k-NN by brute force
 *
 * O(N^2 d) time and O(N k) memory. At the collection sizes a study can afford to have sorted by
 * people (a few thousand images) this is milliseconds; the benchmark reports it per N.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "lk-knn.h"

#include <math.h>

/**
 * lk_knn_push:
 * @ids: (array length=k): the neighbour ids found so far, nearest first
 * @best: (array length=k): their squared distances
 * @k: capacity of @ids and @best
 * @filled: (inout): how many entries are in use
 * @id: a candidate
 * @d2: its squared distance
 *
 * Inserts a candidate into a sorted top-k list if it belongs there. Candidates offered in
 * increasing id order keep equal distances ordered by the smaller id, the tie rule of
 * lk_knn_compute(); every k-NN in Likeness goes through here so that they all agree.
 */
void
lk_knn_push (guint  *ids,
             double *best,
             guint   k,
             guint  *filled,
             guint   id,
             double  d2)
{
  guint pos;

  if (*filled == k && d2 >= best[k - 1])
    return;

  pos = *filled < k ? (*filled)++ : k - 1;
  while (pos > 0 && best[pos - 1] > d2)
    {
      best[pos] = best[pos - 1];
      ids[pos] = ids[pos - 1];
      pos--;
    }
  best[pos] = d2;
  ids[pos] = id;
}

/**
 * lk_knn_compute:
 * @points: (array): @n_items x @dim row-major coordinates
 * @n_items: number of points
 * @dim: dimension
 * @k: neighbours per point, at most @n_items - 1
 * @distances: (out caller-allocates) (optional) (array): @n_items x @k Euclidean distances
 *
 * Finds each point's @k nearest other points, nearest first; equal distances are ordered by
 * the smaller item id, so the result does not depend on anything but the input.
 *
 * Returns: (transfer full): @n_items x @k neighbour ids, row-major
 */
guint *
lk_knn_compute (const double *points,
                guint         n_items,
                guint         dim,
                guint         k,
                double       *distances)
{
  g_autofree double *best = NULL;
  guint *result;

  g_return_val_if_fail (points != NULL, NULL);
  g_return_val_if_fail (k > 0 && k < n_items, NULL);

  result = g_new (guint, (gsize) n_items * k);
  best = g_new (double, k);

  for (guint i = 0; i < n_items; i++)
    {
      const double *pi = points + (gsize) i * dim;
      guint *ids = result + (gsize) i * k;
      guint filled = 0;

      for (guint j = 0; j < n_items; j++)
        {
          const double *pj = points + (gsize) j * dim;
          double d2 = 0.0;

          if (j == i)
            continue;

          for (guint c = 0; c < dim; c++)
            d2 += (pi[c] - pj[c]) * (pi[c] - pj[c]);

          lk_knn_push (ids, best, k, &filled, j, d2);
        }

      if (distances != NULL)
        for (guint c = 0; c < k; c++)
          distances[(gsize) i * k + c] = sqrt (best[c]);
    }

  return result;
}
