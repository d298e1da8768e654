/* lk-embedding.c
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "lk-embedding.h"

#include <math.h>
#include <string.h>

struct _LkEmbedding {
  guint   n_items;
  guint   dim;
  double *data;
};

/**
 * lk_embedding_new:
 * @n_items: number of points
 * @dim: dimension
 *
 * Returns: (transfer full): an embedding with every point at the origin
 */
LkEmbedding *
lk_embedding_new (guint n_items,
                  guint dim)
{
  LkEmbedding *self;

  g_return_val_if_fail (dim > 0, NULL);

  self = g_new0 (LkEmbedding, 1);
  self->n_items = n_items;
  self->dim = dim;
  self->data = g_new0 (double, (gsize) n_items * dim);

  return self;
}

/**
 * lk_embedding_new_random:
 * @n_items: number of points
 * @dim: dimension
 * @rng: the random source
 *
 * The paper's starting point (`000_b28b33f9dbf275aa.txt`, section 3: "the images are embedded
 * into a Euclidian space using a uniform random distribution"): every coordinate uniform in [0, 1).
 *
 * Returns: (transfer full): a random embedding
 */
LkEmbedding *
lk_embedding_new_random (guint    n_items,
                         guint    dim,
                         gsl_rng *rng)
{
  LkEmbedding *self = lk_embedding_new (n_items, dim);

  for (gsize i = 0; i < (gsize) n_items * dim; i++)
    self->data[i] = gsl_rng_uniform (rng);

  return self;
}

LkEmbedding *
lk_embedding_new_from_data (const double *data,
                            guint         n_items,
                            guint         dim)
{
  LkEmbedding *self = lk_embedding_new (n_items, dim);

  memcpy (self->data, data, sizeof (double) * n_items * dim);

  return self;
}

LkEmbedding *
lk_embedding_copy (const LkEmbedding *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return lk_embedding_new_from_data (self->data, self->n_items, self->dim);
}

void
lk_embedding_free (LkEmbedding *self)
{
  if (self == NULL)
    return;

  g_free (self->data);
  g_free (self);
}

guint
lk_embedding_get_n_items (const LkEmbedding *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->n_items;
}

guint
lk_embedding_get_dim (const LkEmbedding *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->dim;
}

const double *
lk_embedding_get_data (const LkEmbedding *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->data;
}

double *
lk_embedding_get_data_mutable (LkEmbedding *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->data;
}

const double *
lk_embedding_get_point (const LkEmbedding *self,
                        guint              item)
{
  g_return_val_if_fail (self != NULL && item < self->n_items, NULL);

  return self->data + (gsize) item * self->dim;
}

/**
 * lk_embedding_distance:
 * @self: an embedding
 * @a: an item
 * @b: another item
 *
 * Returns: the Euclidean distance between @a and @b
 */
double
lk_embedding_distance (const LkEmbedding *self,
                       guint              a,
                       guint              b)
{
  const double *pa, *pb;
  double s = 0.0;

  g_return_val_if_fail (self != NULL && a < self->n_items && b < self->n_items, 0.0);

  pa = self->data + (gsize) a * self->dim;
  pb = self->data + (gsize) b * self->dim;
  for (guint k = 0; k < self->dim; k++)
    s += (pa[k] - pb[k]) * (pa[k] - pb[k]);

  return sqrt (s);
}

/**
 * lk_embedding_normalise:
 * @self: an embedding
 *
 * Centres the points and scales them to a root-mean-square distance of 1 from the centre.
 * Distances change by one common factor, so neighbourhoods, the beta update and the
 * scale-free Sammon stress are unchanged; this only keeps coordinates in a range where single
 * precision is exact enough after many multiplicative updates.
 */
void
lk_embedding_normalise (LkEmbedding *self)
{
  g_autofree double *mean = NULL;
  double ss = 0.0, scale;
  gsize n, d;

  g_return_if_fail (self != NULL);

  n = self->n_items;
  d = self->dim;
  if (n == 0)
    return;

  mean = g_new0 (double, d);
  for (gsize i = 0; i < n; i++)
    for (gsize k = 0; k < d; k++)
      mean[k] += self->data[i * d + k] / n;

  for (gsize i = 0; i < n; i++)
    for (gsize k = 0; k < d; k++)
      {
        self->data[i * d + k] -= mean[k];
        ss += self->data[i * d + k] * self->data[i * d + k];
      }

  if (ss <= 0.0)
    return;

  scale = 1.0 / sqrt (ss / n);
  for (gsize i = 0; i < n * d; i++)
    self->data[i] *= scale;
}
