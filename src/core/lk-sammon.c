/* lk-sammon.c — weighted Sammon stress and its minimisation
 *
 * The stress (Sammon 1969, as weighted in `000_b28b33f9dbf275aa.txt`, section 3) is
 *
 *   E(Y) = 1 / C * sum_{i<j} w_ij (T_ij - d_ij(Y))^2 / T_ij,   C = sum_{i<j} w_ij T_ij,
 *
 * with targets T, weights w (1 for pairs the crowd has updated, epsilon for all others) and
 * d_ij(Y) the Euclidean distances of the embedding Y. It is scale-free: scaling T and Y by one
 * factor leaves E unchanged.
 *
 * Optimiser (a choice the paper leaves open): Sammon's own pseudo-Newton step, which divides
 * each coordinate's gradient by the absolute value of its diagonal second derivative, times a
 * step factor ("magic factor", 0.3 in Sammon's paper). Because that step is scale-free, no
 * learning rate has to be tuned per collection. We add a monotone safeguard: a step that would
 * raise the stress is rejected and the factor halved; an accepted step grows it by 5 %, up to
 * 1. So the stress never increases (a test checks this) and one iteration is one evaluation
 * of the full O(N^2) stress, gradient and diagonal Hessian.
 *
 * Speed: targets and weight/target ratios are stored as packed upper triangles in single
 * precision and coordinates as one array per dimension, so that each row's loop over j runs
 * over contiguous floats that the compiler vectorises (this file is built with -O3,
 * -fno-math-errno and -fopenmp-simd; see src/core/meson.build). bench/bench-sammon reports
 * the time per N.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "lk-sammon.h"
#include "lk-sammon-private.h"

#include <math.h>
#include <float.h>
#include <string.h>

/* Distances below this (embeddings are normalised to unit RMS radius) count as this. */
#define MIN_DISTANCE 1e-6f

struct _LkSammon {
  guint   n;
  guint   dim;
  gsize   n_pairs;

  float  *target;        /* packed upper triangle: T_ij */
  float  *ratio;         /* packed upper triangle: w_ij / T_ij */
  double  normaliser;    /* C */

  float  *y;             /* dim x n, current point */
  float  *grad;          /* dim x n */
  float  *hess;          /* dim x n, diagonal */
  float  *trial_y;
  float  *trial_grad;
  float  *trial_hess;

  float  *row_coef;      /* n: per-row scratch */
  float  *row_q;
  float  *row_d2;

  double  stress;
  double  previous_stress;
  double  magic;
};

static inline gsize
row_offset (const LkSammon *self,
            guint           i)
{
  /* Start of row i in the packed triangle, shifted so that row[j] addresses pair (i, j). */
  return (gsize) i * self->n - (gsize) i * (i + 1) / 2 - (i + 1);
}

static inline gsize
pair_index (const LkSammon *self,
            guint           a,
            guint           b)
{
  guint i = MIN (a, b), j = MAX (a, b);

  return row_offset (self, i) + j;
}

/**
 * lk_sammon_new:
 * @n_items: number of points
 * @dim: embedding dimension
 *
 * Allocates the workspace: two packed triangles of N (N - 1) / 2 floats (4 MB at N = 1000,
 * 256 MB at N = 8000) and a few N x d arrays, so that iterations never allocate.
 *
 * Returns: (transfer full): a new minimiser
 */
LkSammon *
lk_sammon_new (guint n_items,
               guint dim)
{
  LkSammon *self;

  g_return_val_if_fail (n_items >= 2 && dim >= 1, NULL);

  self = g_new0 (LkSammon, 1);
  self->n = n_items;
  self->dim = dim;
  self->n_pairs = (gsize) n_items * (n_items - 1) / 2;
  self->target = g_new (float, self->n_pairs);
  self->ratio = g_new (float, self->n_pairs);
  self->y = g_new0 (float, (gsize) dim * n_items);
  self->grad = g_new0 (float, (gsize) dim * n_items);
  self->hess = g_new0 (float, (gsize) dim * n_items);
  self->trial_y = g_new0 (float, (gsize) dim * n_items);
  self->trial_grad = g_new0 (float, (gsize) dim * n_items);
  self->trial_hess = g_new0 (float, (gsize) dim * n_items);
  self->row_coef = g_new0 (float, n_items);
  self->row_q = g_new0 (float, n_items);
  self->row_d2 = g_new0 (float, n_items);
  self->magic = 0.3;

  return self;
}

void
lk_sammon_free (LkSammon *self)
{
  if (self == NULL)
    return;

  g_free (self->target);
  g_free (self->ratio);
  g_free (self->y);
  g_free (self->grad);
  g_free (self->hess);
  g_free (self->trial_y);
  g_free (self->trial_grad);
  g_free (self->trial_hess);
  g_free (self->row_coef);
  g_free (self->row_q);
  g_free (self->row_d2);
  g_free (self);
}

static void
load_coordinates (LkSammon          *self,
                  const LkEmbedding *e,
                  float             *y)
{
  const double *data = lk_embedding_get_data (e);

  for (guint i = 0; i < self->n; i++)
    for (guint k = 0; k < self->dim; k++)
      y[(gsize) k * self->n + i] = (float) data[(gsize) i * self->dim + k];
}

/**
 * lk_sammon_set:
 * @self: a minimiser
 * @start: the starting embedding, normalised (lk_embedding_normalise()), of the same size
 * @epsilon: the weight of every pair not set with lk_sammon_set_pair()
 * @magic: the initial step factor
 *
 * Sets every target to the pair's distance in @start with weight @epsilon (lines 6 and 8 of
 * Algorithm 1: D = DistanceFromEmbedding(E)), and starts the minimisation from @start.
 */
void
lk_sammon_set (LkSammon          *self,
               const LkEmbedding *start,
               double             epsilon,
               double             magic)
{
  g_return_if_fail (self != NULL && start != NULL);
  g_return_if_fail (lk_embedding_get_n_items (start) == self->n);
  g_return_if_fail (lk_embedding_get_dim (start) == self->dim);

  load_coordinates (self, start, self->y);
  self->magic = magic;

  for (guint i = 0; i < self->n; i++)
    {
      float *t = self->target + row_offset (self, i);
      float *r = self->ratio + row_offset (self, i);

      for (guint j = i + 1; j < self->n; j++)
        {
          float d2 = 0.0f, d;

          for (guint k = 0; k < self->dim; k++)
            {
              float delta = self->y[(gsize) k * self->n + i] - self->y[(gsize) k * self->n + j];
              d2 += delta * delta;
            }
          d = MAX (sqrtf (d2), MIN_DISTANCE);
          t[j] = d;
          r[j] = (float) epsilon / d;
        }
    }
}

/**
 * lk_sammon_set_pair:
 * @self: a minimiser
 * @a: an item
 * @b: another item
 * @target: the pair's target distance, > 0
 * @weight: the pair's weight, > 0
 */
void
lk_sammon_set_pair (LkSammon *self,
                    guint     a,
                    guint     b,
                    double    target,
                    double    weight)
{
  gsize p;

  g_return_if_fail (self != NULL);
  g_return_if_fail (a != b && a < self->n && b < self->n);
  g_return_if_fail (weight > 0.0);

  p = pair_index (self, a, b);
  self->target[p] = MAX ((float) target, MIN_DISTANCE);
  self->ratio[p] = (float) weight / self->target[p];
}

double
lk_sammon_get_target (const LkSammon *self,
                      guint           a,
                      guint           b)
{
  g_return_val_if_fail (self != NULL && a != b && a < self->n && b < self->n, 0.0);

  return self->target[pair_index (self, a, b)];
}

double
lk_sammon_get_weight (const LkSammon *self,
                      guint           a,
                      guint           b)
{
  gsize p;

  g_return_val_if_fail (self != NULL && a != b && a < self->n && b < self->n, 0.0);

  p = pair_index (self, a, b);
  return (double) self->ratio[p] * self->target[p];
}

/* Returns the unnormalised stress at y for dim = 3 (the default), with grad and hess: the same
 * sums as evaluate_any_dim() in one pass per row, which halves the loads and stores. */
__attribute__ ((target_clones ("default", "arch=x86-64-v3")))
static double
evaluate_dim3 (LkSammon    *self,
               const float *y,
               float       *grad,
               float       *hess)
{
  const gsize n = self->n;
  const float *packed_t = self->target;
  const float *packed_r = self->ratio;
  double stress = 0.0;

  memset (grad, 0, sizeof (float) * 3 * n);
  memset (hess, 0, sizeof (float) * 3 * n);

  for (gsize i = 0; i + 1 < n; i++)
    {
      const gsize m = n - i - 1;
      const float *restrict t = packed_t;
      const float *restrict r = packed_r;
      const float *restrict xj = y + i + 1;
      const float *restrict yj = y + n + i + 1;
      const float *restrict zj = y + 2 * n + i + 1;
      float *restrict gxj = grad + i + 1;
      float *restrict gyj = grad + n + i + 1;
      float *restrict gzj = grad + 2 * n + i + 1;
      float *restrict hxj = hess + i + 1;
      float *restrict hyj = hess + n + i + 1;
      float *restrict hzj = hess + 2 * n + i + 1;
      const float xi = y[i], yi = y[n + i], zi = y[2 * n + i];
      float row_stress = 0.0f, gx = 0.0f, gy = 0.0f, gz = 0.0f, hx = 0.0f, hy = 0.0f, hz = 0.0f;

      packed_t += m;
      packed_r += m;

#pragma omp simd reduction(+:row_stress, gx, gy, gz, hx, hy, hz)
      for (gsize c = 0; c < m; c++)
        {
          float dx = xi - xj[c], dy = yi - yj[c], dz = zi - zj[c];
          float sq = dx * dx + dy * dy + dz * dz;
          float d, inv_d, res, two_a, cf, qq, h;

          sq = sq > MIN_DISTANCE * MIN_DISTANCE ? sq : MIN_DISTANCE * MIN_DISTANCE;
          d = sqrtf (sq);
          inv_d = 1.0f / d;
          res = t[c] - d;
          two_a = 2.0f * r[c];
          row_stress += r[c] * res * res;
          cf = two_a - two_a * t[c] * inv_d;
          qq = two_a * t[c] * inv_d * inv_d * inv_d;

          gx += cf * dx;
          gxj[c] -= cf * dx;
          gy += cf * dy;
          gyj[c] -= cf * dy;
          gz += cf * dz;
          gzj[c] -= cf * dz;
          h = cf + qq * dx * dx;
          hx += h;
          hxj[c] += h;
          h = cf + qq * dy * dy;
          hy += h;
          hyj[c] += h;
          h = cf + qq * dz * dz;
          hz += h;
          hzj[c] += h;
        }

      grad[i] += gx;
      grad[n + i] += gy;
      grad[2 * n + i] += gz;
      hess[i] += hx;
      hess[n + i] += hy;
      hess[2 * n + i] += hz;
      stress += row_stress;
    }

  return stress;
}

/* Returns the unnormalised stress at y, and fills grad and hess (unnormalised).
 *
 * Row i covers the pairs (i, j > i); every inner loop runs over c = j - i - 1 from 0 so that
 * the compiler sees plain contiguous arrays. The x86-64-v3 clone (AVX2 + FMA) is picked at load
 * time on CPUs that have it; other machines run the baseline clone. */
__attribute__ ((target_clones ("default", "arch=x86-64-v3")))
static double
evaluate_any_dim (LkSammon    *self,
                  const float *y,
                  float       *grad,
                  float       *hess)
{
  const gsize n = self->n;
  const guint dim = self->dim;
  float *restrict coef = self->row_coef;
  float *restrict q = self->row_q;
  float *restrict d2 = self->row_d2;
  const float *packed_t = self->target;
  const float *packed_r = self->ratio;
  double stress = 0.0;

  memset (grad, 0, sizeof (float) * dim * n);
  memset (hess, 0, sizeof (float) * dim * n);

  for (gsize i = 0; i + 1 < n; i++)
    {
      const gsize m = n - i - 1;
      const float *restrict t = packed_t;
      const float *restrict r = packed_r;
      float row_stress = 0.0f;

      packed_t += m;
      packed_r += m;

      memset (d2, 0, sizeof (float) * m);
      for (guint k = 0; k < dim; k++)
        {
          const float *restrict yj = y + k * n + i + 1;
          const float yik = y[k * n + i];

#pragma omp simd
          for (gsize c = 0; c < m; c++)
            {
              float delta = yik - yj[c];
              d2[c] += delta * delta;
            }
        }

      /* For the term a (T - d)^2 with a = w / T: dE/dy_i = c (y_i - y_j) with
       * c = 2 a (1 - T / d), and the diagonal second derivative is c + 2 a T delta^2 / d^3. */
#pragma omp simd reduction(+:row_stress)
      for (gsize c = 0; c < m; c++)
        {
          float sq = d2[c] > MIN_DISTANCE * MIN_DISTANCE ? d2[c] : MIN_DISTANCE * MIN_DISTANCE;
          float d = sqrtf (sq);
          float inv_d = 1.0f / d;
          float res = t[c] - d;
          float two_a = 2.0f * r[c];

          row_stress += r[c] * res * res;
          coef[c] = two_a - two_a * t[c] * inv_d;
          q[c] = two_a * t[c] * inv_d * inv_d * inv_d;
        }

      for (guint k = 0; k < dim; k++)
        {
          const float *restrict yj = y + k * n + i + 1;
          float *restrict gj = grad + k * n + i + 1;
          float *restrict hj = hess + k * n + i + 1;
          const float yik = y[k * n + i];
          float gi = 0.0f, hi = 0.0f;

#pragma omp simd reduction(+:gi, hi)
          for (gsize c = 0; c < m; c++)
            {
              float delta = yik - yj[c];
              float h = coef[c] + q[c] * delta * delta;

              gi += coef[c] * delta;
              gj[c] -= coef[c] * delta;
              hi += h;
              hj[c] += h;
            }

          grad[k * n + i] += gi;
          hess[k * n + i] += hi;
        }

      stress += row_stress;
    }

  return stress;
}

/* Returns the unnormalised stress at y, with grad and hess. */
static double
evaluate (LkSammon    *self,
          const float *y,
          float       *grad,
          float       *hess)
{
  if (self->dim == 3)
    return evaluate_dim3 (self, y, grad, hess);

  return evaluate_any_dim (self, y, grad, hess);
}

/**
 * lk_sammon_start:
 * @self: a minimiser whose targets are set
 *
 * Computes the normaliser C and the stress, gradient and Hessian at the starting point. Call
 * after lk_sammon_set() and the lk_sammon_set_pair() calls, before lk_sammon_iterate().
 */
void
lk_sammon_start (LkSammon *self)
{
  double c = 0.0;

  g_return_if_fail (self != NULL);

  for (gsize p = 0; p < self->n_pairs; p++)
    c += (double) self->ratio[p] * self->target[p] * self->target[p];
  self->normaliser = c > 0.0 ? c : 1.0;

  self->stress = evaluate (self, self->y, self->grad, self->hess) / self->normaliser;
  self->previous_stress = G_MAXDOUBLE;
}

/**
 * lk_sammon_iterate:
 * @self: a started minimiser
 *
 * Tries one pseudo-Newton step and keeps it if the stress went down; otherwise halves the step
 * factor for the next try.
 *
 * Returns: %TRUE if the step was accepted
 */
gboolean
lk_sammon_iterate (LkSammon *self)
{
  const gsize size = (gsize) self->dim * self->n;
  float hmax = 0.0f, hfloor;
  double trial_stress;
  float *swap;

  g_return_val_if_fail (self != NULL, FALSE);

  for (gsize p = 0; p < size; p++)
    hmax = MAX (hmax, fabsf (self->hess[p]));
  /* A nearly flat coordinate would get an enormous step: bound |H| from below. */
  hfloor = MAX (hmax * 1e-4f, FLT_MIN);

  for (gsize p = 0; p < size; p++)
    self->trial_y[p] = self->y[p] - (float) self->magic * self->grad[p]
                                    / MAX (fabsf (self->hess[p]), hfloor);

  trial_stress = evaluate (self, self->trial_y, self->trial_grad, self->trial_hess)
                 / self->normaliser;

  if (trial_stress <= self->stress)
    {
      swap = self->y; self->y = self->trial_y; self->trial_y = swap;
      swap = self->grad; self->grad = self->trial_grad; self->trial_grad = swap;
      swap = self->hess; self->hess = self->trial_hess; self->trial_hess = swap;
      self->previous_stress = self->stress;
      self->stress = trial_stress;
      self->magic = MIN (self->magic * 1.05, 1.0);
      return TRUE;
    }

  self->magic *= 0.5;
  return FALSE;
}

/**
 * lk_sammon_test_converged:
 * @self: a minimiser
 * @tolerance: relative decrease below which the last accepted step counts as no progress
 *
 * Returns: %TRUE if the last accepted step lowered the stress by less than @tolerance times
 *   the stress, or the step factor has shrunk below 1e-6
 */
gboolean
lk_sammon_test_converged (const LkSammon *self,
                          double          tolerance)
{
  g_return_val_if_fail (self != NULL, TRUE);

  if (self->magic < 1e-6)
    return TRUE;
  if (self->previous_stress == G_MAXDOUBLE)
    return FALSE;

  return self->previous_stress - self->stress <= tolerance * self->stress;
}

double
lk_sammon_get_stress (const LkSammon *self)
{
  g_return_val_if_fail (self != NULL, 0.0);

  return self->stress;
}

double
lk_sammon_get_step_factor (const LkSammon *self)
{
  g_return_val_if_fail (self != NULL, 0.0);

  return self->magic;
}

/**
 * lk_sammon_get_embedding:
 * @self: a minimiser
 * @out: an embedding of the same size, overwritten with the current point
 */
void
lk_sammon_get_embedding (const LkSammon *self,
                         LkEmbedding    *out)
{
  double *data;

  g_return_if_fail (self != NULL && out != NULL);
  g_return_if_fail (lk_embedding_get_n_items (out) == self->n);
  g_return_if_fail (lk_embedding_get_dim (out) == self->dim);

  data = lk_embedding_get_data_mutable (out);
  for (guint i = 0; i < self->n; i++)
    for (guint k = 0; k < self->dim; k++)
      data[(gsize) i * self->dim + k] = self->y[(gsize) k * self->n + i];
}

/**
 * lk_sammon_evaluate:
 * @self: a started minimiser (lk_sammon_start())
 * @at: the point to evaluate at
 * @gradient: (out caller-allocates) (optional): n x dim row-major gradient of the stress
 *
 * Evaluates the normalised stress at any point without moving the minimiser; for tests.
 *
 * Returns: the stress at @at
 */
double
lk_sammon_evaluate (LkSammon          *self,
                    const LkEmbedding *at,
                    double            *gradient)
{
  double stress;

  g_return_val_if_fail (self != NULL && at != NULL, 0.0);

  load_coordinates (self, at, self->trial_y);
  stress = evaluate (self, self->trial_y, self->trial_grad, self->trial_hess) / self->normaliser;

  if (gradient != NULL)
    for (guint i = 0; i < self->n; i++)
      for (guint k = 0; k < self->dim; k++)
        gradient[(gsize) i * self->dim + k] =
          self->trial_grad[(gsize) k * self->n + i] / self->normaliser;

  return stress;
}
