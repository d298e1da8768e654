/* lk-dpmix.c — a variational Dirichlet-process Gaussian mixture with greedy splits, as the
 * Crowdclustering port's MB_VDP computes it (../shared/specs/crowdclustering.md §1.5)
 *
 * The port calls MB_VDP (Gomes, Welling and Perona, CVPR 2008) with the whole data set as its
 * first epoch, so its incremental parts (compression, clumps) never run. What runs is a batch
 * variational DP mixture (Kurihara, Welling and Vlassis's stick-breaking truncation, one "rest"
 * column standing for every component still at the prior) grown by greedy splits along each
 * cluster's principal direction, with no merge moves. Components have Normal-Wishart posteriors
 * (mean m, scale xi, degrees eta, inverse scale B) and Beta sticks (g1, g2).
 *
 * Choices of the port reproduced here, because parity with its clusters is the test:
 * - the prior comes from the data (generate_prior): m0 = mean, xi0 = 0.01, eta0 = D, alpha = 1,
 *   B0 = eta0 * lambda_max(cov) * xi0 * I with cov's divisor N - 1;
 * - eval_posterior counts N_k before it zeroes the rest column of q, and zeroes it in the
 *   caller's q (quirk Q7), so later memberships never pick the rest column;
 * - the free energy's convergence test is relative, 1e-5, and is false against -inf, so the
 *   first pass of a sorted run switches sorting on;
 * - split candidates are stored in a list only for components that pass both "empty" checks but
 *   are looked up by component number (quirk Q6); where the port would raise IndexError we fail
 *   with an error;
 * - column sorts are stable, as numpy's argsort is on fewer than 17 columns (insertion sort);
 * - a split's side is the sign of the projection on the principal eigenvector; GSL's symmetric
 *   eigensolver may return the opposite sign from LAPACK's dgeev, which only swaps which half
 *   keeps the old column number before the mixture is refitted.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "lk-dpmix.h"

#include <math.h>
#include <string.h>

#include <gsl/gsl_eigen.h>
#include <gsl/gsl_sf_gamma.h>
#include <gsl/gsl_sf_psi.h>

#include "lk-error.h"

#define MAXD LK_DPMIX_MAX_DIM

#define THRESHOLD_N      1.0e-200
#define CONVERGENCE      1.0e-5
#define NEW_COLUMN_MASS  1.0e-20
#define DROP_COLUMN_MASS 1.0e-10
#define SUB_ITERATIONS   10
#define SPLITS_PER_ROUND 5

typedef struct {
  guint  d;
  double m0[MAXD];
  double b0[MAXD * MAXD];
  double xi0, eta0, alpha;
  double logdet_b0;
  double rest;        /* -log(1 - exp(psi(alpha) - psi(1 + alpha))), added to the rest column */
} Prior;

typedef struct {
  guint   k;          /* columns, the last being the rest */
  double *nk, *m, *xi, *eta, *b, *binv, *logdet, *g1, *g2;
} Post;

struct _LkDpmix {
  guint   n, k, n_clusters;
  double *q;
  guint  *clusters;
  double  free_energy;
};

static Post *
post_new (guint k,
          guint d)
{
  Post *p = g_new0 (Post, 1);

  p->k = k;
  p->nk = g_new0 (double, k);
  p->m = g_new0 (double, (gsize) k * d);
  p->xi = g_new0 (double, k);
  p->eta = g_new0 (double, k);
  p->b = g_new0 (double, (gsize) k * d * d);
  p->binv = g_new0 (double, (gsize) k * d * d);
  p->logdet = g_new0 (double, k);
  p->g1 = g_new0 (double, k);
  p->g2 = g_new0 (double, k);

  return p;
}

static void
post_free (Post *p)
{
  if (p == NULL)
    return;
  g_free (p->nk);
  g_free (p->m);
  g_free (p->xi);
  g_free (p->eta);
  g_free (p->b);
  g_free (p->binv);
  g_free (p->logdet);
  g_free (p->g1);
  g_free (p->g2);
  g_free (p);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Post, post_free)

/* ln|A| of a symmetric positive definite matrix, from its Cholesky factor. */
static gboolean
chol_logdet (const double *a,
             guint         d,
             double       *out)
{
  double l[MAXD * MAXD] = { 0 };
  double sum = 0;

  for (guint j = 0; j < d; j++)
    {
      double s = a[j * d + j];

      for (guint k = 0; k < j; k++)
        s -= l[j * d + k] * l[j * d + k];
      if (!(s > 0))
        return FALSE;
      l[j * d + j] = sqrt (s);
      for (guint i = j + 1; i < d; i++)
        {
          double t = a[i * d + j];

          for (guint k = 0; k < j; k++)
            t -= l[i * d + k] * l[j * d + k];
          l[i * d + j] = t / l[j * d + j];
        }
      sum += log (l[j * d + j]);
    }
  *out = 2 * sum;

  return TRUE;
}

/* A^-1 by Gauss-Jordan elimination with partial pivoting. */
static gboolean
invert (const double *a,
        guint         d,
        double       *inv)
{
  double w[MAXD * MAXD];

  memcpy (w, a, sizeof (double) * d * d);
  for (guint i = 0; i < d; i++)
    for (guint j = 0; j < d; j++)
      inv[i * d + j] = i == j;

  for (guint k = 0; k < d; k++)
    {
      guint piv = k;
      double f;

      for (guint r = k + 1; r < d; r++)
        if (fabs (w[r * d + k]) > fabs (w[piv * d + k]))
          piv = r;
      if (w[piv * d + k] == 0)
        return FALSE;
      if (piv != k)
        for (guint c = 0; c < d; c++)
          {
            double t = w[k * d + c];

            w[k * d + c] = w[piv * d + c];
            w[piv * d + c] = t;
            t = inv[k * d + c];
            inv[k * d + c] = inv[piv * d + c];
            inv[piv * d + c] = t;
          }
      f = 1.0 / w[k * d + k];
      for (guint c = 0; c < d; c++)
        {
          w[k * d + c] *= f;
          inv[k * d + c] *= f;
        }
      for (guint r = 0; r < d; r++)
        if (r != k && w[r * d + k] != 0)
          {
            double g = w[r * d + k];

            for (guint c = 0; c < d; c++)
              {
                w[r * d + c] -= g * w[k * d + c];
                inv[r * d + c] -= g * inv[k * d + c];
              }
          }
    }

  return TRUE;
}

static void
set_numeric_error (GError    **error,
                   const char *what)
{
  g_set_error (error, LK_CORE_ERROR, LK_CORE_ERROR_INVALID_ARGUMENT,
               "The clustering step failed: %s. The positions may be degenerate (all equal, or "
               "not finite).", what);
}

/* The posterior of every column of q (n x k, row-major). Zeroes q's last column (Q7). */
static Post *
eval_posterior (const Prior  *pr,
                const double *x,
                guint         n,
                double       *q,
                guint         k,
                GError      **error)
{
  guint d = pr->d;
  g_autoptr(Post) p = post_new (k, d);
  double total = 0, cum = 0;

  for (guint i = 0; i < n; i++)
    for (guint c = 0; c < k; c++)
      p->nk[c] += q[(gsize) i * k + c];
  for (guint i = 0; i < n; i++)
    q[(gsize) i * k + k - 1] = 0;

  for (guint c = 0; c < k; c++)
    {
      double sumx[MAXD] = { 0 }, mean[MAXD] = { 0 }, s[MAXD * MAXD] = { 0 }, v0[MAXD];
      double *b = p->b + (gsize) c * d * d;
      double nk = p->nk[c];

      for (guint i = 0; i < n; i++)
        {
          double w = q[(gsize) i * k + c];
          const double *xi = x + (gsize) i * d;

          if (w == 0)
            continue;
          for (guint a = 0; a < d; a++)
            {
              sumx[a] += xi[a] * w;
              for (guint bb = 0; bb < d; bb++)
                s[a * d + bb] += w * xi[a] * xi[bb];
            }
        }
      if (nk > THRESHOLD_N)
        for (guint a = 0; a < d; a++)
          mean[a] = sumx[a] * (1.0 / nk);
      p->eta[c] = pr->eta0 + nk;
      p->xi[c] = pr->xi0 + nk;
      for (guint a = 0; a < d; a++)
        v0[a] = mean[a] - pr->m0[a];
      for (guint a = 0; a < d; a++)
        for (guint bb = 0; bb < d; bb++)
          b[a * d + bb] = pr->b0[a * d + bb] + (s[a * d + bb] - nk * mean[a] * mean[bb])
                          + nk * pr->xi0 * v0[a] * v0[bb] / p->xi[c];
      for (guint a = 0; a < d; a++)
        p->m[(gsize) c * d + a] = (sumx[a] + pr->xi0 * pr->m0[a]) / (nk + pr->xi0);

      if (!invert (b, d, p->binv + (gsize) c * d * d))
        {
          set_numeric_error (error, "a component's scale matrix is singular");
          return NULL;
        }
      if (!chol_logdet (b, d, &p->logdet[c]))
        {
          set_numeric_error (error, "a component's scale matrix is not positive definite");
          return NULL;
        }
    }

  for (guint c = 0; c < k; c++)
    total += p->nk[c];
  for (guint c = 0; c < k; c++)
    {
      cum += p->nk[c];
      p->g1[c] = 1 + p->nk[c];
      p->g2[c] = pr->alpha + total - cum;
    }

  return g_steal_pointer (&p);
}

static double
psi_sum (double eta,
         guint  d)
{
  double sum = 0;

  for (guint j = 1; j <= d; j++)
    sum += gsl_sf_psi ((eta + 1 - j) * 0.5);

  return sum;
}

/* ln Gamma_D(a) */
static double
lngamma_multi (double a,
               guint  d)
{
  double sum = d * (d - 1) * 0.25 * log (G_PI);

  for (guint j = 1; j <= d; j++)
    sum += gsl_sf_lngamma (a + 0.5 * (1.0 - j));

  return sum;
}

/* KL of one column's Normal-Wishart posterior from the prior. */
static double
component_kl (const Prior *pr,
              const Post  *p,
              guint        c)
{
  guint d = pr->d;
  const double *binv = p->binv + (gsize) c * d * d;
  double dm[MAXD], t0 = 0, t1 = 0, mean_term, cov_term;

  for (guint a = 0; a < d; a++)
    dm[a] = p->m[(gsize) c * d + a] - pr->m0[a];
  for (guint a = 0; a < d; a++)
    for (guint b = 0; b < d; b++)
      {
        t0 += binv[a * d + b] * (pr->xi0 * dm[a] * dm[b]);
        t1 += binv[a * d + b] * pr->b0[a * d + b];
      }
  t1 -= d;

  mean_term = 0.5 * d * (pr->xi0 / p->xi[c] - log (pr->xi0 / p->xi[c]) - 1) + 0.5 * p->eta[c] * t0;
  cov_term = 0.5 * pr->eta0 * (p->logdet[c] - pr->logdet_b0) + 0.5 * p->nk[c] * psi_sum (p->eta[c], d)
             + 0.5 * p->eta[c] * t1 + lngamma_multi (pr->eta0 * 0.5, d) - lngamma_multi (p->eta[c] * 0.5, d);

  return mean_term + cov_term;
}

static double
stick_kl (double g1,
          double g2,
          double alpha)
{
  double gs = g1 + g2;

  return gsl_sf_lngamma (gs) - gsl_sf_lngamma (1 + alpha) - (gsl_sf_lngamma (g1) + gsl_sf_lngamma (g2))
         + gsl_sf_lngamma (alpha) + (g1 - 1) * (gsl_sf_psi (g1) - gsl_sf_psi (gs))
         + (g2 - alpha) * (gsl_sf_psi (g2) - gsl_sf_psi (gs));
}

/* Log responsibilities S (n x nc). Local column c uses the posterior's component c and the stick
 * at position comps[c] of g1/g2 (comps NULL: position c); the last local column gets the rest
 * correction. */
static void
eval_s (const Prior  *pr,
        const Post   *p,
        const double *g1,
        const double *g2,
        const guint  *comps,
        guint         nc,
        const double *x,
        guint         n,
        double       *s)
{
  guint d = pr->d;

  for (guint c = 0; c < nc; c++)
    {
      guint gc = comps != NULL ? comps[c] : c;
      const double *binv = p->binv + (gsize) c * d * d;
      const double *m = p->m + (gsize) c * d;
      double elog = gsl_sf_psi (g1[gc]) - gsl_sf_psi (g1[gc] + g2[gc]);
      double before = 0, log_par, prec[MAXD * MAXD];

      for (guint l = 0; l < gc; l++)
        before += gsl_sf_psi (g2[l]) - gsl_sf_psi (g1[l] + g2[l]);
      elog += before;
      for (guint a = 0; a < d * d; a++)
        prec[a] = 0.5 * binv[a] * p->eta[c];
      log_par = -0.5 * d * log (G_PI) - 0.5 * p->logdet[c] + 0.5 * psi_sum (p->eta[c], d)
                - 0.5 * d / p->xi[c];

      for (guint i = 0; i < n; i++)
        {
          const double *xi = x + (gsize) i * d;
          double dx[MAXD], quad = 0;

          for (guint a = 0; a < d; a++)
            dx[a] = xi[a] - m[a];
          for (guint a = 0; a < d; a++)
            {
              double row = 0;

              for (guint b = 0; b < d; b++)
                row += prec[a * d + b] * dx[b];
              quad += dx[a] * row;
            }
          s[(gsize) i * nc + c] = -quad + log_par + elog;
        }
    }
  for (guint i = 0; i < n; i++)
    s[(gsize) i * nc + nc - 1] += pr->rest;
}

static double
row_lse (const double *row,
         guint         k)
{
  double mx = row[0], sum = 0;

  for (guint c = 1; c < k; c++)
    mx = MAX (mx, row[c]);
  for (guint c = 0; c < k; c++)
    sum += exp (row[c] - mx);

  return log (sum) + mx;
}

/* The free energy of a posterior; fills S (n x k). */
static double
free_energy (const Prior  *pr,
             const Post   *p,
             const double *x,
             guint         n,
             double       *s)
{
  double kl = 0, sticks = 0, lse = 0;

  for (guint c = 0; c < p->k; c++)
    kl += component_kl (pr, p, c);
  eval_s (pr, p, p->g1, p->g2, NULL, p->k, x, n, s);
  for (guint c = 0; c < p->k; c++)
    sticks += stick_kl (p->g1[c], p->g2[c], pr->alpha);
  for (guint i = 0; i < n; i++)
    lse += row_lse (s + (gsize) i * p->k, p->k);

  return -kl - sticks + lse;
}

/* q = exp(S - logsumexp(S)), row-wise, in place. */
static void
normalise (double *s,
           guint   n,
           guint   k)
{
  for (guint i = 0; i < n; i++)
    {
      double *row = s + (gsize) i * k;
      double l = row_lse (row, k);

      for (guint c = 0; c < k; c++)
        row[c] = exp (row[c] - l);
    }
}

static gboolean
improved (double f,
          double f_new)
{
  double diff = f_new - f;

  /* Against -inf the ratio is NaN, which compares false, as in the port. */
  return fabs (diff / f) > CONVERGENCE && diff > 0;
}

static double
column_sum (const double *q,
            guint         n,
            guint         k,
            guint         c)
{
  double sum = 0;

  for (guint i = 0; i < n; i++)
    sum += q[(gsize) i * k + c];

  return sum;
}

/* Stable descending order of values (ties keep index order). */
static void
order_descending (const double *values,
                  guint         k,
                  guint        *order)
{
  for (guint c = 0; c < k; c++)
    order[c] = c;
  for (guint c = 1; c < k; c++)
    {
      guint v = order[c], j = c;

      while (j > 0 && values[order[j - 1]] < values[v])
        {
          order[j] = order[j - 1];
          j--;
        }
      order[j] = v;
    }
}

/* The port's iterate_posterior: max_iter 0 runs to convergence. Takes *post; returns the new
 * posterior in *post and its q (n x *k_out, last column zeroed) in *q_out. */
static gboolean
iterate_posterior (const Prior  *pr,
                   const double *x,
                   guint         n,
                   Post        **post,
                   guint         max_iter,
                   gboolean      sort,
                   double      **q_out,
                   guint        *k_out,
                   double       *f_out,
                   GError      **error)
{
  double f = -INFINITY;
  gboolean sorting = FALSE;
  g_autofree double *q = NULL;
  guint kq = 0;

  for (guint it = 1;; it++)
    {
      guint k = (*post)->k;
      g_autofree double *s = g_new (double, (gsize) n * k);
      double f_new = free_energy (pr, *post, x, n, s);
      Post *next;

      if ((max_iter == 0 && !improved (f, f_new)) || (max_iter > 0 && it >= max_iter))
        {
          f = f_new;
          if (sort && !sorting)
            sorting = TRUE;
          else
            break;
        }
      f = f_new;
      normalise (s, n, k);

      if (column_sum (s, n, k, k - 1) > NEW_COLUMN_MASS)
        {
          double *wider = g_new0 (double, (gsize) n * (k + 1));

          for (guint i = 0; i < n; i++)
            memcpy (wider + (gsize) i * (k + 1), s + (gsize) i * k, sizeof (double) * k);
          g_free (s);
          s = wider;
          k++;
        }
      if (sorting)
        {
          g_autofree double *sums = g_new (double, k);
          g_autofree guint *order = g_new (guint, k);
          g_autofree double *row = g_new (double, k);

          for (guint c = 0; c < k; c++)
            sums[c] = column_sum (s, n, k, c);
          order_descending (sums, k, order);
          for (guint i = 0; i < n; i++)
            {
              for (guint c = 0; c < k; c++)
                row[c] = s[(gsize) i * k + order[c]];
              memcpy (s + (gsize) i * k, row, sizeof (double) * k);
            }
        }
      if (k >= 2 && column_sum (s, n, k, k - 2) < DROP_COLUMN_MASS)
        {
          double *narrower = g_new (double, (gsize) n * (k - 1));

          for (guint i = 0; i < n; i++)
            {
              memcpy (narrower + (gsize) i * (k - 1), s + (gsize) i * k, sizeof (double) * (k - 2));
              narrower[(gsize) i * (k - 1) + k - 2] = s[(gsize) i * k + k - 1];
            }
          g_free (s);
          s = narrower;
          k--;
        }

      next = eval_posterior (pr, x, n, s, k, error);
      if (next == NULL)
        return FALSE;
      post_free (*post);
      *post = next;
      g_free (q);
      q = g_steal_pointer (&s);
      kq = k;
    }

  if (q == NULL)
    {
      set_numeric_error (error, "the mixture stopped before its first update");
      return FALSE;
    }
  *q_out = g_steal_pointer (&q);
  *k_out = kq;
  *f_out = f;

  return TRUE;
}

static guint
row_argmax (const double *row,
            guint         k)
{
  guint best = 0;

  for (guint c = 1; c < k; c++)
    if (row[c] > row[best])
      best = c;

  return best;
}

/* The rows of x listed in members. */
static double *
gather (const double *x,
        guint         d,
        const guint  *members,
        guint         m)
{
  double *out = g_new (double, (gsize) m * d);

  for (guint i = 0; i < m; i++)
    memcpy (out + (gsize) i * d, x + (gsize) members[i] * d, sizeof (double) * d);

  return out;
}

/* The principal eigenvector of a symmetric d x d matrix. */
static void
principal_direction (const double *a,
                     guint         d,
                     double       *u)
{
  gsl_matrix *m = gsl_matrix_alloc (d, d);
  gsl_vector *eval = gsl_vector_alloc (d);
  gsl_matrix *evec = gsl_matrix_alloc (d, d);
  gsl_eigen_symmv_workspace *w = gsl_eigen_symmv_alloc (d);
  size_t best = 0;

  for (guint i = 0; i < d; i++)
    for (guint j = 0; j < d; j++)
      gsl_matrix_set (m, i, j, a[i * d + j]);
  gsl_eigen_symmv (m, eval, evec, w);
  for (size_t i = 1; i < d; i++)
    if (gsl_vector_get (eval, i) > gsl_vector_get (eval, best))
      best = i;
  for (guint i = 0; i < d; i++)
    u[i] = gsl_matrix_get (evec, i, best);

  gsl_eigen_symmv_free (w);
  gsl_matrix_free (evec);
  gsl_vector_free (eval);
  gsl_matrix_free (m);
}

typedef struct {
  GArray *s1, *s2;   /* guint, global point indices */
} Partition;

static void
partition_clear (gpointer data)
{
  Partition *p = data;

  g_array_unref (p->s1);
  g_array_unref (p->s2);
}

/* eval_delta_fe: the change of free energy, on the cluster's points only, if component c of
 * K splits into sub's components 0 (kept as c) and 1 (new, K). */
static double
delta_free_energy (const Prior  *pr,
                   const double *xc,
                   guint         nc,
                   const Post   *sub,
                   const Post   *pre,
                   const double *pre_nk,
                   const double *post_nk,
                   guint         kk,
                   guint         c,
                   GError      **error)
{
  g_autofree guint *pre_idx = g_new (guint, kk);
  g_autofree guint *post_idx = g_new (guint, kk + 1);
  g_autofree double *pre_g1 = g_new (double, kk + 1), *pre_g2 = g_new (double, kk + 1);
  g_autofree double *post_g1 = g_new (double, kk + 2), *post_g2 = g_new (double, kk + 2);
  g_autofree double *s_pre = NULL, *s_post = NULL;
  double post_kl = 0, pre_kl = 0, pre_stick = 0, post_stick = 0, lse_pre = 0, lse_post = 0;
  double total, cum;
  guint pre_comps[2], post_comps[3];

  if (sub->k < 3)
    {
      /* The port would index a third column that is not there. */
      set_numeric_error (error, "a split's sub-problem lost its empty column");
      return NAN;
    }

  for (guint j = 0; j < sub->k; j++)
    post_kl += component_kl (pr, sub, j);
  for (guint j = 0; j < pre->k; j++)
    pre_kl += component_kl (pr, pre, j);

  order_descending (pre_nk, kk, pre_idx);
  order_descending (post_nk, kk + 1, post_idx);

  total = 0;
  for (guint j = 0; j < kk; j++)
    total += pre_nk[j];
  cum = 0;
  for (guint j = 0; j <= kk; j++)
    {
      double v = j < kk ? pre_nk[pre_idx[j]] : 0;

      cum += v;
      pre_g1[j] = 1 + v;
      pre_g2[j] = pr->alpha + total - cum;
      pre_stick += stick_kl (pre_g1[j], pre_g2[j], pr->alpha);
    }
  total = 0;
  for (guint j = 0; j <= kk; j++)
    total += post_nk[j];
  cum = 0;
  for (guint j = 0; j <= kk + 1; j++)
    {
      double v = j <= kk ? post_nk[post_idx[j]] : 0;

      cum += v;
      post_g1[j] = 1 + v;
      post_g2[j] = pr->alpha + total - cum;
      post_stick += stick_kl (post_g1[j], post_g2[j], pr->alpha);
    }

  for (guint j = 0; j < kk; j++)
    if (pre_idx[j] == c)
      pre_comps[0] = j;
  pre_comps[1] = kk;
  for (guint j = 0; j <= kk; j++)
    {
      if (post_idx[j] == c)
        post_comps[0] = j;
      if (post_idx[j] == kk)
        post_comps[1] = j;
    }
  post_comps[2] = kk + 1;

  s_pre = g_new (double, (gsize) nc * 2);
  s_post = g_new (double, (gsize) nc * 3);
  eval_s (pr, pre, pre_g1, pre_g2, pre_comps, 2, xc, nc, s_pre);
  eval_s (pr, sub, post_g1, post_g2, post_comps, 3, xc, nc, s_post);
  for (guint i = 0; i < nc; i++)
    {
      lse_pre += row_lse (s_pre + (gsize) i * 2, 2);
      lse_post += row_lse (s_post + (gsize) i * 3, 3);
    }

  return -post_kl + pre_kl - post_stick + pre_stick + lse_post - lse_pre;
}

/* choose_split_merge: a split and its gain for every component but the rest. */
static gboolean
choose_splits (const Prior  *pr,
               const double *x,
               guint         n,
               const double *q,
               guint         k,
               double       *gain,
               GArray      **members,
               GArray       *partitions,
               GError      **error)
{
  guint d = pr->d, kk = k - 1;
  g_autofree double *nk = g_new0 (double, kk);

  for (guint c = 0; c < kk; c++)
    members[c] = g_array_new (FALSE, FALSE, sizeof (guint));
  for (guint i = 0; i < n; i++)
    {
      guint top = row_argmax (q + (gsize) i * k, k);

      if (top < kk)
        g_array_append_val (members[top], i);
    }
  for (guint c = 0; c < kk; c++)
    {
      nk[c] = members[c]->len;
      gain[c] = -INFINITY;
    }

  for (guint c = 0; c < kk; c++)
    {
      guint m = members[c]->len;
      g_autofree double *xc = NULL, *q_pre = NULL, *q_split = NULL, *q_sub = NULL;
      g_autofree double *post_nk = NULL;
      g_autoptr(Post) pre = NULL;
      g_autoptr(Post) sub = NULL;
      double cov[MAXD * MAXD], u[MAXD], sum0 = 0, sum1 = 0, f_sub;
      guint k_sub;
      Partition part;

      if (m == 0)
        continue;
      xc = gather (x, d, (const guint *) members[c]->data, m);
      q_pre = g_new0 (double, (gsize) m * 2);
      for (guint i = 0; i < m; i++)
        q_pre[(gsize) i * 2] = 1;
      pre = eval_posterior (pr, xc, m, q_pre, 2, error);
      if (pre == NULL)
        return FALSE;

      for (guint a = 0; a < d * d; a++)
        cov[a] = pre->b[a] / pre->eta[0];
      principal_direction (cov, d, u);
      q_split = g_new0 (double, (gsize) m * 3);
      for (guint i = 0; i < m; i++)
        {
          double proj = 0;

          for (guint a = 0; a < d; a++)
            proj += (xc[(gsize) i * d + a] - pre->m[a]) * u[a];
          if (proj >= 0)
            q_split[(gsize) i * 3] = q_pre[(gsize) i * 2];
          else
            q_split[(gsize) i * 3 + 1] = q_pre[(gsize) i * 2];
          sum0 += q_split[(gsize) i * 3];
          sum1 += q_split[(gsize) i * 3 + 1];
        }
      if (sum0 < DROP_COLUMN_MASS || sum1 < DROP_COLUMN_MASS)
        continue;

      sub = eval_posterior (pr, xc, m, q_split, 3, error);
      if (sub == NULL)
        return FALSE;
      if (!iterate_posterior (pr, xc, m, &sub, SUB_ITERATIONS, FALSE, &q_sub, &k_sub, &f_sub, error))
        return FALSE;

      part.s1 = g_array_new (FALSE, FALSE, sizeof (guint));
      part.s2 = g_array_new (FALSE, FALSE, sizeof (guint));
      for (guint i = 0; i < m; i++)
        {
          guint top = row_argmax (q_sub + (gsize) i * k_sub, k_sub);

          if (top == 0)
            g_array_append_val (part.s1, g_array_index (members[c], guint, i));
          else if (top == 1)
            g_array_append_val (part.s2, g_array_index (members[c], guint, i));
        }
      post_nk = g_new (double, kk + 1);
      memcpy (post_nk, nk, sizeof (double) * kk);
      post_nk[c] = part.s1->len;
      post_nk[kk] = part.s2->len;
      g_array_append_val (partitions, part);
      if (part.s1->len == 0 || part.s2->len == 0)
        continue;

      gain[c] = delta_free_energy (pr, xc, m, sub, pre, nk, post_nk, kk, c, error);
      if (isnan (gain[c]))
        return FALSE;
    }

  return TRUE;
}

/* split_merge: grow the mixture by the best of up to five splits while the free energy improves. */
static gboolean
split_merge (const Prior  *pr,
             const double *x,
             guint         n,
             Post        **post,
             double       *f_out,
             GError      **error)
{
  g_autofree double *q = NULL;
  double f;
  guint k;

  if (!iterate_posterior (pr, x, n, post, 0, TRUE, &q, &k, &f, error))
    return FALSE;

  for (;;)
    {
      guint kk = k - 1, n_try = MIN (SPLITS_PER_ROUND, kk);
      g_autofree double *gain = g_new (double, kk);
      g_autofree guint *order = g_new (guint, kk);
      g_autofree GArray **members = g_new0 (GArray *, kk);
      g_autoptr(GArray) partitions = g_array_new (FALSE, FALSE, sizeof (Partition));
      gboolean accepted = FALSE, ok;

      g_array_set_clear_func (partitions, partition_clear);
      ok = choose_splits (pr, x, n, q, k, gain, members, partitions, error);
      if (ok)
        order_descending (gain, kk, order);

      for (guint i = 0; ok && i < n_try; i++)
        {
          guint c = order[i];
          const Partition *part;
          g_autofree double *q_new = NULL, *q_it = NULL;
          g_autoptr(Post) trial = NULL;
          double f_new;
          guint k_new;

          if (c >= partitions->len)
            {
              /* Q6: the port looks the partition up by component number in a list that skipped
               * components, and raises IndexError past its end. */
              g_set_error (error, LK_CORE_ERROR, LK_CORE_ERROR_INVALID_ARGUMENT,
                           "The clustering step failed: split candidate %u has no stored partition "
                           "(only %u were stored); the reference implementation fails here too",
                           c, partitions->len);
              ok = FALSE;
              break;
            }
          part = &g_array_index (partitions, Partition, c);

          q_new = g_new0 (double, (gsize) n * (k + 1));
          for (guint r = 0; r < n; r++)
            memcpy (q_new + (gsize) r * (k + 1), q + (gsize) r * k, sizeof (double) * k);
          for (guint j = 0; j < members[c]->len; j++)
            memset (q_new + (gsize) g_array_index (members[c], guint, j) * (k + 1), 0,
                    sizeof (double) * (k + 1));
          for (guint j = 0; j < part->s1->len; j++)
            q_new[(gsize) g_array_index (part->s1, guint, j) * (k + 1) + c] = 1;
          for (guint j = 0; j < part->s2->len; j++)
            q_new[(gsize) g_array_index (part->s2, guint, j) * (k + 1) + kk] = 1;

          trial = eval_posterior (pr, x, n, q_new, k + 1, error);
          if (trial == NULL
              || !iterate_posterior (pr, x, n, &trial, 0, TRUE, &q_it, &k_new, &f_new, error))
            {
              ok = FALSE;
              break;
            }
          if (improved (f, f_new))
            {
              f = f_new;
              post_free (*post);
              *post = g_steal_pointer (&trial);
              g_free (q);
              q = g_steal_pointer (&q_it);
              k = k_new;
              accepted = TRUE;
              break;
            }
        }

      for (guint c = 0; c < kk; c++)
        if (members[c] != NULL)
          g_array_unref (members[c]);
      if (!ok)
        return FALSE;
      if (!accepted)
        break;
    }

  *f_out = f;

  return TRUE;
}

/* generate_prior: centred on the data, with a scale from its largest variance. */
static gboolean
make_prior (const double *x,
            guint         n,
            guint         d,
            Prior        *pr,
            GError      **error)
{
  gsl_matrix *cov = gsl_matrix_alloc (d, d);
  gsl_vector *eval = gsl_vector_alloc (d);
  gsl_eigen_symm_workspace *w = gsl_eigen_symm_alloc (d);
  double lmax = -INFINITY;

  memset (pr, 0, sizeof *pr);
  pr->d = d;
  for (guint a = 0; a < d; a++)
    {
      for (guint i = 0; i < n; i++)
        pr->m0[a] += x[(gsize) i * d + a];
      pr->m0[a] /= n;
    }
  for (guint a = 0; a < d; a++)
    for (guint b = 0; b < d; b++)
      {
        double sum = 0;

        for (guint i = 0; i < n; i++)
          sum += (x[(gsize) i * d + a] - pr->m0[a]) * (x[(gsize) i * d + b] - pr->m0[b]);
        gsl_matrix_set (cov, a, b, sum / (n - 1));
      }
  gsl_eigen_symm (cov, eval, w);
  for (guint a = 0; a < d; a++)
    lmax = MAX (lmax, gsl_vector_get (eval, a));
  gsl_eigen_symm_free (w);
  gsl_vector_free (eval);
  gsl_matrix_free (cov);

  pr->xi0 = 0.01;
  pr->eta0 = d;
  pr->alpha = 1;
  for (guint a = 0; a < d; a++)
    pr->b0[a * d + a] = pr->eta0 * lmax * pr->xi0;
  pr->rest = -log (1 - exp (gsl_sf_psi (pr->alpha) - gsl_sf_psi (1 + pr->alpha)));

  if (!(lmax > 0) || !isfinite (lmax) || !chol_logdet (pr->b0, d, &pr->logdet_b0))
    {
      set_numeric_error (error, "the points have no spread");
      return FALSE;
    }

  return TRUE;
}

/**
 * lk_dpmix_fit:
 * @x: (array): @n points of @dim coordinates, row-major
 * @n: how many points (at least 2)
 * @dim: their dimension, 1 to %LK_DPMIX_MAX_DIM
 * @error: a message if the points are degenerate
 *
 * Clusters the points with the port's MB_VDP: the prior from the data, everything in one
 * component at first, then greedy splits. Deterministic.
 *
 * Returns: (transfer full) (nullable): the mixture, or %NULL with @error set
 */
LkDpmix *
lk_dpmix_fit (const double *x,
              guint         n,
              guint         dim,
              GError      **error)
{
  Prior pr;
  g_autoptr(Post) post = NULL;
  g_autofree double *q = NULL, *s = NULL;
  LkDpmix *self;
  double f;
  guint k;

  g_return_val_if_fail (x != NULL, NULL);

  if (n < 2 || dim < 1 || dim > MAXD)
    {
      g_set_error (error, LK_CORE_ERROR, LK_CORE_ERROR_INVALID_ARGUMENT,
                   "The clustering step needs at least 2 points of dimension 1 to %d (got %u of "
                   "dimension %u)", MAXD, n, dim);
      return NULL;
    }
  for (gsize i = 0; i < (gsize) n * dim; i++)
    if (!isfinite (x[i]))
      {
        set_numeric_error (error, "a position is not a finite number");
        return NULL;
      }
  if (!make_prior (x, n, dim, &pr, error))
    return NULL;

  q = g_new0 (double, (gsize) n * 2);
  for (guint i = 0; i < n; i++)
    q[(gsize) i * 2] = 1;
  post = eval_posterior (&pr, x, n, q, 2, error);
  if (post == NULL || !split_merge (&pr, x, n, &post, &f, error))
    return NULL;

  k = post->k;
  s = g_new (double, (gsize) n * k);
  eval_s (&pr, post, post->g1, post->g2, NULL, k, x, n, s);
  normalise (s, n, k);

  self = g_new0 (LkDpmix, 1);
  self->n = n;
  self->k = k;
  self->q = g_steal_pointer (&s);
  self->free_energy = f;
  self->clusters = g_new (guint, n);
  {
    g_autofree gboolean *used = g_new0 (gboolean, k);

    for (guint i = 0; i < n; i++)
      {
        self->clusters[i] = row_argmax (self->q + (gsize) i * k, k);
        if (!used[self->clusters[i]])
          self->n_clusters++;
        used[self->clusters[i]] = TRUE;
      }
  }

  return self;
}

void
lk_dpmix_free (LkDpmix *self)
{
  if (self == NULL)
    return;
  g_free (self->q);
  g_free (self->clusters);
  g_free (self);
}

/**
 * lk_dpmix_get_n_columns:
 * @self: a mixture
 *
 * Returns: the columns of q: the components, the last standing for all the unused ones
 */
guint
lk_dpmix_get_n_columns (const LkDpmix *self)
{
  return self->k;
}

/**
 * lk_dpmix_get_q:
 * @self: a mixture
 *
 * Returns: (transfer none): the responsibilities, one row of lk_dpmix_get_n_columns() per point
 */
const double *
lk_dpmix_get_q (const LkDpmix *self)
{
  return self->q;
}

/**
 * lk_dpmix_get_clusters:
 * @self: a mixture
 *
 * Returns: (transfer none): each point's cluster: the column of its largest responsibility
 *   (column numbers, not necessarily contiguous)
 */
const guint *
lk_dpmix_get_clusters (const LkDpmix *self)
{
  return self->clusters;
}

guint
lk_dpmix_get_n_clusters (const LkDpmix *self)
{
  return self->n_clusters;
}

double
lk_dpmix_get_free_energy (const LkDpmix *self)
{
  return self->free_energy;
}
