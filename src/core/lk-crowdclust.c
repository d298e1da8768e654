/* lk-crowdclust.c — Crowdclustering (Gomes, Welinder, Krause, Perona, NIPS 2011), as the Toloka
 * Python port computes it
 *
 * The model (../shared/specs/crowdclustering.md §1.2): items x_i ~ N(0, sig_x I) in R^D, each
 * worker j a symmetric matrix W_j (entries N(0, sig_w)) and a bias tau_j ~ N(0, sig_tau); a pair
 * label l in {+1, -1} on items (a, b) by worker j has likelihood sigma(l (x_a' W_j x_b + tau_j)).
 * The logistic is bounded below by Jaakkola and Jordan's quadratic bound with one variational
 * parameter delta_t per label, and the posterior is a fully factorised Gaussian.
 *
 * One iteration is the port's update order (§1.4): every item in index order (Gauss-Seidel, each
 * item sees the newest positions of the others), then every worker matrix, then every worker
 * bias, then every delta. The port's choices we reproduce, because parity with its numbers is
 * the test:
 * - the item update uses E[W x_b x_b' W] under the factorised q(W) as the sum of the port's
 *   three terms: the mean part M E M, the off-diagonal covariance S o E, and the diagonal
 *   covariance sum_q S_pq E_qq;
 * - the worker matrix is solved as a D^2 x D^2 system over both triangles (quirk Q4), not the
 *   D(D+1)/2 system of a symmetric matrix; the solution stays symmetric but the couplings differ;
 * - both linear systems are solved in the port's form (I - U) m = V, where the port calls lstsq;
 *   we use Gaussian elimination with partial pivoting, which agrees to rounding;
 * - the free energy adds N inside the item term (quirk Q5); it is a diagnostic only;
 * - deltas start at 0.01 and are updated once before the first iteration.
 *
 * Work per iteration is O(T D^4) for T labels.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "lk-crowdclust.h"

#include <math.h>
#include <string.h>

#include <gsl/gsl_randist.h>

#include "lk-dpmix.h"
#include "lk-error.h"

struct _LkCrowdclust {
  guint      n_items, n_workers, dim;
  gsize      n_labels;
  LkCcLabel *labels;
  LkCcPrior  prior;

  /* Posterior: positions and variances (row i = item i), worker matrices (D x D each, row-major)
   * and their variances, worker biases. */
  double *mu, *sig_x;
  double *w_mean, *w_var;
  double *tau_mean, *tau_var;
  double *delta, *lambda;
  double *second;   /* E[x_i x_i'] = mu_i mu_i' + diag(s_i) of every item, D x D each */

  /* Labels by item (those with the item as a, then as b, as the port lists them) and by worker. */
  guint *item_start, *item_labels;
  guint *worker_start, *worker_labels;

  double free_energy;
};

/**
 * lk_cc_prior_init:
 * @prior: (out): the priors both of the port's notebooks use
 */
void
lk_cc_prior_init (LkCcPrior *prior)
{
  prior->sig_x = 5;
  prior->sig_w = 10;
  prior->sig_tau = 1;
}

/**
 * lk_cc_labels_add_query:
 * @labels: (element-type LkCcLabel): where to append
 * @query: an answered query
 * @worker: the participant who answered it
 *
 * Appends the query's pair labels as the port builds them from one assignment: every pair of the
 * grid, +1 if in one bin and -1 if in different bins. An image left out (or not answered) gives no
 * pairs: the port has no such answers, and a left-out image says nothing about where it belongs.
 *
 * Returns: (transfer none): @labels
 */
GArray *
lk_cc_labels_add_query (GArray        *labels,
                        const LkQuery *query,
                        guint          worker)
{
  guint m = lk_query_get_n_items (query);

  if (!lk_query_is_answered (query))
    return labels;

  for (guint p = 0; p < m; p++)
    {
      gint bp = lk_query_get_bin (query, p);

      if (bp < 0)
        continue;
      for (guint q = p + 1; q < m; q++)
        {
          gint bq = lk_query_get_bin (query, q);
          LkCcLabel label;

          if (bq < 0)
            continue;
          label.a = lk_query_get_item (query, p);
          label.b = lk_query_get_item (query, q);
          label.worker = worker;
          label.label = bp == bq ? 1 : -1;
          g_array_append_val (labels, label);
        }
    }

  return labels;
}

static double
logistic (double z)
{
  return 1.0 / (1.0 + exp (-z));
}

/* lambda(delta) = (1/2 - sigma(delta)) / (2 delta), negative for delta > 0. */
static double
jj_lambda (double delta)
{
  return (0.5 - logistic (delta)) / (2 * delta);
}

/* E = mu mu' + diag(s), the second moment of a factorised Gaussian. */
static void
second_moment (const double *mu,
               const double *s,
               guint         d,
               double       *e)
{
  for (guint p = 0; p < d; p++)
    for (guint q = 0; q < d; q++)
      e[p * d + q] = mu[p] * mu[q] + (p == q ? s[p] : 0);
}

/* C = A B for d x d row-major matrices. The port's D = 4 gets constant bounds, which the
 * compiler unrolls; the sums run in the same order either way. */
static inline void
mat_mul (const double *a,
         const double *b,
         guint         d,
         double       *c)
{
  if (d == 4)
    {
      for (guint p = 0; p < 4; p++)
        for (guint q = 0; q < 4; q++)
          {
            double sum = 0;

            for (guint r = 0; r < 4; r++)
              sum += a[p * 4 + r] * b[r * 4 + q];
            c[p * 4 + q] = sum;
          }
      return;
    }
  for (guint p = 0; p < d; p++)
    for (guint q = 0; q < d; q++)
      {
        double sum = 0;

        for (guint r = 0; r < d; r++)
          sum += a[p * d + r] * b[r * d + q];
        c[p * d + q] = sum;
      }
}

/* a' M b */
static double
bilinear (const double *a,
          const double *m,
          const double *b,
          guint         d)
{
  double sum = 0;

  for (guint p = 0; p < d; p++)
    for (guint q = 0; q < d; q++)
      sum += a[p] * m[p * d + q] * b[q];

  return sum;
}

/* Solves A x = b in place (A n x n row-major, destroyed; b becomes x) by Gaussian elimination
 * with partial pivoting. The systems here are small (4 or 16) and well conditioned. */
static void
solve_small (double *a,
             double *b,
             guint   n)
{
  for (guint k = 0; k < n; k++)
    {
      guint piv = k;

      for (guint r = k + 1; r < n; r++)
        if (fabs (a[r * n + k]) > fabs (a[piv * n + k]))
          piv = r;
      if (piv != k)
        {
          double t = b[k];

          b[k] = b[piv];
          b[piv] = t;
          for (guint c = 0; c < n; c++)
            {
              t = a[k * n + c];
              a[k * n + c] = a[piv * n + c];
              a[piv * n + c] = t;
            }
        }
      for (guint r = k + 1; r < n; r++)
        {
          double f = a[r * n + k] / a[k * n + k];

          if (f == 0)
            continue;
          for (guint c = k; c < n; c++)
            a[r * n + c] -= f * a[k * n + c];
          b[r] -= f * b[k];
        }
    }
  for (guint k = n; k-- > 0;)
    {
      double sum = b[k];

      for (guint c = k + 1; c < n; c++)
        sum -= a[k * n + c] * b[c];
      b[k] = sum / a[k * n + k];
    }
}

static void
refresh_second_moment (LkCrowdclust *self,
                       guint         i)
{
  guint d = self->dim;

  second_moment (self->mu + (gsize) i * d, self->sig_x + (gsize) i * d, d,
                 self->second + (gsize) i * d * d);
}

/* delta_t^2 = E[A_t^2] for every label (spec §1.4, step 4), then lambda_t. */
static void
update_delta (LkCrowdclust *self)
{
  guint d = self->dim;
  double bm[LK_DPMIX_MAX_DIM * LK_DPMIX_MAX_DIM], am[LK_DPMIX_MAX_DIM * LK_DPMIX_MAX_DIM];

  for (gsize t = 0; t < self->n_labels; t++)
    {
      const LkCcLabel *l = &self->labels[t];
      const double *mu_a = self->mu + (gsize) l->a * d, *mu_b = self->mu + (gsize) l->b * d;
      const double *m = self->w_mean + (gsize) l->worker * d * d;
      const double *s = self->w_var + (gsize) l->worker * d * d;
      const double *eaa = self->second + (gsize) l->a * d * d;
      const double *ebb = self->second + (gsize) l->b * d * d;
      double tm = self->tau_mean[l->worker], e2 = 0, sq;

      mat_mul (ebb, m, d, bm);
      mat_mul (eaa, m, d, am);
      /* tr(E_bb M E_aa M) */
      for (guint p = 0; p < d; p++)
        for (guint q = 0; q < d; q++)
          e2 += bm[p * d + q] * am[q * d + p];
      for (guint p = 0; p < d; p++)
        for (guint q = 0; q < d; q++)
          {
            e2 += eaa[p * d + p] * ebb[q * d + q] * s[p * d + q];
            if (p != q)
              e2 += eaa[p * d + q] * ebb[p * d + q] * s[p * d + q];
          }
      sq = e2 + 2 * tm * bilinear (mu_a, m, mu_b, d) + tm * tm + self->tau_var[l->worker];
      self->delta[t] = sqrt (sq);
      self->lambda[t] = jj_lambda (self->delta[t]);
    }
}

/* Step 1: every item in index order, each with the newest positions of the others. */
static void
update_items (LkCrowdclust *self)
{
  guint d = self->dim;
  double me[LK_DPMIX_MAX_DIM * LK_DPMIX_MAX_DIM];
  double mem[LK_DPMIX_MAX_DIM * LK_DPMIX_MAX_DIM], h[LK_DPMIX_MAX_DIM * LK_DPMIX_MAX_DIM];
  double f[LK_DPMIX_MAX_DIM], a[LK_DPMIX_MAX_DIM * LK_DPMIX_MAX_DIM];

  for (guint i = 0; i < self->n_items; i++)
    {
      double *s_i = self->sig_x + (gsize) i * d, *mu_i = self->mu + (gsize) i * d;

      memset (f, 0, sizeof f);
      memset (h, 0, sizeof h);
      for (guint k = self->item_start[i]; k < self->item_start[i + 1]; k++)
        {
          guint t = self->item_labels[k];
          const LkCcLabel *l = &self->labels[t];
          guint other = l->a == i ? l->b : l->a;
          const double *mu_b = self->mu + (gsize) other * d;
          const double *m = self->w_mean + (gsize) l->worker * d * d;
          const double *s = self->w_var + (gsize) l->worker * d * d;
          const double *ebb = self->second + (gsize) other * d * d;
          double lam = self->lambda[t];
          double c = l->label / 2.0 + 2 * lam * self->tau_mean[l->worker];

          for (guint p = 0; p < d; p++)
            {
              double sum = 0;

              for (guint q = 0; q < d; q++)
                sum += m[p * d + q] * mu_b[q];
              f[p] += c * sum;
            }

          mat_mul (m, ebb, d, me);
          mat_mul (me, m, d, mem);
          for (guint p = 0; p < d; p++)
            for (guint q = 0; q < d; q++)
              {
                double qt = mem[p * d + q];

                if (p != q)
                  qt += ebb[p * d + q] * s[p * d + q];
                else
                  for (guint r = 0; r < d; r++)
                    qt += s[p * d + r] * ebb[r * d + r];
                h[p * d + q] += 2 * lam * qt;
              }
        }

      /* The port's system: s_d = 1 / (1/sig_x - H_dd), then (I - U) mu = V with V = s o F and
       * U = H scaled by s row-wise, zero diagonal. */
      for (guint p = 0; p < d; p++)
        s_i[p] = 1.0 / (1.0 / self->prior.sig_x - h[p * d + p]);
      for (guint p = 0; p < d; p++)
        {
          for (guint q = 0; q < d; q++)
            a[p * d + q] = p == q ? 1.0 : -s_i[p] * h[p * d + q];
          mu_i[p] = s_i[p] * f[p];
        }
      solve_small (a, mu_i, d);
      refresh_second_moment (self, i);
    }
}

/* Step 2: every worker matrix, a D^2 x D^2 system over both triangles (Q4). */
static void
update_worker_matrices (LkCrowdclust *self)
{
  guint d = self->dim, d2 = d * d, d3 = d2 * d;
  g_autofree double *g = g_new (double, (gsize) d2 * d2);
  g_autofree double *hm = g_new (double, (gsize) d2 * d2);
  double e[LK_DPMIX_MAX_DIM * LK_DPMIX_MAX_DIM], v[LK_DPMIX_MAX_DIM * LK_DPMIX_MAX_DIM];

  for (guint j = 0; j < self->n_workers; j++)
    {
      double *m = self->w_mean + (gsize) j * d2, *s = self->w_var + (gsize) j * d2;

      memset (g, 0, sizeof (double) * d2 * d2);
      memset (e, 0, sizeof e);
      for (guint k = self->worker_start[j]; k < self->worker_start[j + 1]; k++)
        {
          guint t = self->worker_labels[k];
          const LkCcLabel *l = &self->labels[t];
          const double *mu_a = self->mu + (gsize) l->a * d, *mu_b = self->mu + (gsize) l->b * d;
          const double *eaa = self->second + (gsize) l->a * d * d;
          const double *ebb = self->second + (gsize) l->b * d * d;
          double lam = self->lambda[t];
          double c = l->label / 2.0 + 2 * lam * self->tau_mean[j];

          for (guint p = 0; p < d; p++)
            for (guint q = 0; q < d; q++)
              e[p * d + q] += c * mu_a[p] * mu_b[q];

          /* G[p,q,r,s] = sum_t lambda_t E_aa[p,q] E_bb[r,s]; both factors are symmetric, so
           * only p <= q, r <= s are summed here (the products are the same numbers). */
          for (guint p = 0; p < d; p++)
            for (guint q = p; q < d; q++)
              {
                double w = lam * eaa[p * d + q];
                double *row = g + (gsize) (p * d + q) * d2;

                for (guint r = 0; r < d; r++)
                  for (guint s_ = r; s_ < d; s_++)
                    row[r * d + s_] += w * ebb[r * d + s_];
              }
        }
      for (guint p = 0; p < d; p++)
        for (guint q = 0; q < d; q++)
          for (guint r = 0; r < d; r++)
            for (guint s_ = 0; s_ < d; s_++)
              g[(p * d + q) * d2 + r * d + s_] = g[(MIN (p, q) * d + MAX (p, q)) * d2 + MIN (r, s_) * d + MAX (r, s_)];

#define G(p, q, r, s_) g[(p) * d3 + (q) * d2 + (r) * d + (s_)]
      /* H[(ab),(cd)] = 2 sum_t lambda_t E[phi_ab phi_cd], phi_ab = x_a[b] x_b[a] + [a!=b] x_a[a] x_b[b] */
      for (guint al = 0; al < d; al++)
        for (guint be = 0; be < d; be++)
          for (guint ga = 0; ga < d; ga++)
            for (guint de = 0; de < d; de++)
              {
                double sum = G (be, de, al, ga);

                if (al != be && ga != de)
                  sum += G (al, ga, be, de);
                if (al != be)
                  sum += G (al, de, be, ga);
                if (ga != de)
                  sum += G (be, ga, al, de);
                hm[(al * d + be) * d2 + ga * d + de] = 2 * sum;
              }
#undef G

      /* F = E + E' - diag(E) */
      for (guint p = 0; p < d; p++)
        for (guint q = 0; q < d; q++)
          v[p * d + q] = p == q ? e[p * d + p] : e[p * d + q] + e[q * d + p];

      for (guint r = 0; r < d2; r++)
        s[r] = 1.0 / (1.0 / self->prior.sig_w - hm[r * d2 + r]);
      for (guint r = 0; r < d2; r++)
        {
          for (guint c = 0; c < d2; c++)
            hm[r * d2 + c] = r == c ? 1.0 : -s[r] * hm[r * d2 + c];
          m[r] = s[r] * v[r];
        }
      solve_small (hm, m, d2);
    }
}

/* Step 3: every worker bias, with the new positions and matrices. */
static void
update_worker_biases (LkCrowdclust *self)
{
  guint d = self->dim;

  for (guint j = 0; j < self->n_workers; j++)
    {
      const double *m = self->w_mean + (gsize) j * d * d;
      double sum_lambda = 0, sum_label = 0, sum_cross = 0;

      for (guint k = self->worker_start[j]; k < self->worker_start[j + 1]; k++)
        {
          guint t = self->worker_labels[k];
          const LkCcLabel *l = &self->labels[t];

          sum_lambda += self->lambda[t];
          sum_label += l->label;
          sum_cross += self->lambda[t] * bilinear (self->mu + (gsize) l->a * d, m,
                                                   self->mu + (gsize) l->b * d, d);
        }
      self->tau_var[j] = 1.0 / (1.0 / self->prior.sig_tau - 2 * sum_lambda);
      self->tau_mean[j] = self->tau_var[j] * (sum_label / 2 + 2 * sum_cross);
    }
}

/* The port's free energy (spec §1.4), including its "+ N" in the item term. */
static double
compute_free_energy (const LkCrowdclust *self)
{
  guint d = self->dim, n = self->n_items, nj = self->n_workers;
  const LkCcPrior *pr = &self->prior;
  double x_sum = 0, log_s = 0, w_term = 0, tau_sum = 0, log_v = 0, label_term = 0, cross = 0;
  double x_term, tau_term;

  for (gsize k = 0; k < (gsize) n * d; k++)
    {
      x_sum += self->mu[k] * self->mu[k] + self->sig_x[k];
      log_s += log (self->sig_x[k]);
    }
  x_term = -(x_sum + n) / (2 * pr->sig_x) - (n * d / 2.0) * log (2 * G_PI * pr->sig_x)
           + (n * d / 2.0) * log (2 * G_PI * G_E) + 0.5 * log_s;

  for (guint j = 0; j < nj; j++)
    {
      const double *m = self->w_mean + (gsize) j * d * d, *s = self->w_var + (gsize) j * d * d;
      double sq = 0, ls = 0;

      for (guint p = 0; p < d; p++)
        for (guint q = p; q < d; q++)
          {
            sq += m[p * d + q] * m[p * d + q] + s[p * d + q];
            if (s[p * d + q] > 0)
              ls += log (s[p * d + q]);
          }
      w_term += -sq / (2 * pr->sig_w) + 0.5 * ls;
    }
  w_term -= nj * ((d * d + d) / 4.0) * (log (2 * G_PI * pr->sig_w) - log (2 * G_PI * G_E));

  for (guint j = 0; j < nj; j++)
    {
      tau_sum += self->tau_mean[j] * self->tau_mean[j] + self->tau_var[j];
      log_v += log (self->tau_var[j]);
    }
  tau_term = -tau_sum / (2 * pr->sig_tau) - (nj / 2.0) * log (2 * G_PI * pr->sig_tau)
             + (nj / 2.0) * log (2 * G_PI * G_E) + 0.5 * log_v;

  for (gsize t = 0; t < self->n_labels; t++)
    {
      const LkCcLabel *l = &self->labels[t];
      double dl = self->delta[t];

      label_term += log (logistic (dl)) - dl / 2;
      cross += l->label * (bilinear (self->mu + (gsize) l->a * d, self->w_mean + (gsize) l->worker * d * d,
                                     self->mu + (gsize) l->b * d, d)
                           + self->tau_mean[l->worker]);
    }
  label_term += cross / 2;

  return x_term + w_term + tau_term + label_term;
}

/* CSR lists: the labels of each item (as a first, then as b, each in label order) and of each
 * worker. */
static void
index_labels (LkCrowdclust *self)
{
  g_autofree guint *fill = NULL;

  self->item_start = g_new0 (guint, self->n_items + 1);
  self->item_labels = g_new (guint, 2 * self->n_labels);
  self->worker_start = g_new0 (guint, self->n_workers + 1);
  self->worker_labels = g_new (guint, self->n_labels);

  for (gsize t = 0; t < self->n_labels; t++)
    {
      self->item_start[self->labels[t].a + 1]++;
      self->item_start[self->labels[t].b + 1]++;
      self->worker_start[self->labels[t].worker + 1]++;
    }
  for (guint i = 0; i < self->n_items; i++)
    self->item_start[i + 1] += self->item_start[i];
  for (guint j = 0; j < self->n_workers; j++)
    self->worker_start[j + 1] += self->worker_start[j];

  fill = g_new (guint, MAX (self->n_items, self->n_workers));
  memcpy (fill, self->item_start, sizeof (guint) * self->n_items);
  for (gsize t = 0; t < self->n_labels; t++)
    self->item_labels[fill[self->labels[t].a]++] = t;
  for (gsize t = 0; t < self->n_labels; t++)
    self->item_labels[fill[self->labels[t].b]++] = t;
  memcpy (fill, self->worker_start, sizeof (guint) * self->n_workers);
  for (gsize t = 0; t < self->n_labels; t++)
    self->worker_labels[fill[self->labels[t].worker]++] = t;
}

/**
 * lk_crowdclust_new:
 * @labels: (array length=n_labels): the pair labels
 * @n_labels: how many
 * @n_items: items (every label's @a and @b below this)
 * @n_workers: workers (every label's worker below this)
 * @dim: dimension D of the item space (the port: 4), at most %LK_DPMIX_MAX_DIM
 * @prior: (nullable): priors, or %NULL for lk_cc_prior_init()'s
 * @init_mu: (nullable): initial positions, @n_items rows of @dim, or %NULL to draw them N(0, 1)
 *   from @rng (the port draws them unseeded, coordinate-major; see the spec's §1.8)
 * @rng: (nullable): the generator when @init_mu is %NULL
 * @error: a message for invalid labels
 *
 * Sets up the posterior as the port's create_post does (s = sig_x, M_j = I, S_j = sig_w,
 * m_j = 0, v_j = sig_tau) and runs its one update of delta. Run lk_crowdclust_iterate() for each
 * iteration (the port: %LK_CROWDCLUST_ITERATIONS).
 *
 * Returns: (transfer full) (nullable): the model, or %NULL with @error set
 */
LkCrowdclust *
lk_crowdclust_new (const LkCcLabel *labels,
                   gsize            n_labels,
                   guint            n_items,
                   guint            n_workers,
                   guint            dim,
                   const LkCcPrior *prior,
                   const double    *init_mu,
                   gsl_rng         *rng,
                   GError         **error)
{
  LkCrowdclust *self;

  g_return_val_if_fail (labels != NULL || n_labels == 0, NULL);
  g_return_val_if_fail (init_mu != NULL || rng != NULL, NULL);

  if (dim < 1 || dim > LK_DPMIX_MAX_DIM)
    {
      g_set_error (error, LK_CORE_ERROR, LK_CORE_ERROR_INVALID_ARGUMENT,
                   "Crowdclustering needs a dimension between 1 and %d, not %u",
                   LK_DPMIX_MAX_DIM, dim);
      return NULL;
    }
  if (n_items == 0 || n_workers == 0 || n_labels > G_MAXUINT / 2)
    {
      g_set_error (error, LK_CORE_ERROR, LK_CORE_ERROR_INVALID_ARGUMENT,
                   "Crowdclustering needs at least one item and one worker, and at most %u labels",
                   G_MAXUINT / 2);
      return NULL;
    }
  for (gsize t = 0; t < n_labels; t++)
    if (labels[t].a >= n_items || labels[t].b >= n_items || labels[t].a == labels[t].b
        || labels[t].worker >= n_workers || (labels[t].label != 1 && labels[t].label != -1))
      {
        g_set_error (error, LK_CORE_ERROR, LK_CORE_ERROR_INVALID_ARGUMENT,
                     "Pair label %" G_GSIZE_FORMAT " (%u, %u, worker %u, label %d) is not a label "
                     "on two different items of %u by one of %u workers",
                     t + 1, labels[t].a, labels[t].b, labels[t].worker, labels[t].label,
                     n_items, n_workers);
        return NULL;
      }

  self = g_new0 (LkCrowdclust, 1);
  self->n_items = n_items;
  self->n_workers = n_workers;
  self->dim = dim;
  self->n_labels = n_labels;
  self->labels = g_memdup2 (labels, sizeof (LkCcLabel) * n_labels);
  if (prior != NULL)
    self->prior = *prior;
  else
    lk_cc_prior_init (&self->prior);

  self->mu = g_new (double, (gsize) n_items * dim);
  self->sig_x = g_new (double, (gsize) n_items * dim);
  self->w_mean = g_new0 (double, (gsize) n_workers * dim * dim);
  self->w_var = g_new (double, (gsize) n_workers * dim * dim);
  self->tau_mean = g_new0 (double, n_workers);
  self->tau_var = g_new (double, n_workers);
  self->delta = g_new (double, MAX (n_labels, 1));
  self->lambda = g_new (double, MAX (n_labels, 1));
  self->second = g_new (double, (gsize) n_items * dim * dim);

  if (init_mu != NULL)
    memcpy (self->mu, init_mu, sizeof (double) * n_items * dim);
  else
    /* The port's draw is randn(D, N): coordinate-major. */
    for (guint d = 0; d < dim; d++)
      for (guint i = 0; i < n_items; i++)
        self->mu[(gsize) i * dim + d] = gsl_ran_gaussian_ziggurat (rng, 1.0);
  for (gsize k = 0; k < (gsize) n_items * dim; k++)
    self->sig_x[k] = self->prior.sig_x;
  for (guint j = 0; j < n_workers; j++)
    {
      for (guint p = 0; p < dim; p++)
        self->w_mean[(gsize) j * dim * dim + p * dim + p] = 1;
      for (guint k = 0; k < dim * dim; k++)
        self->w_var[(gsize) j * dim * dim + k] = self->prior.sig_w;
      self->tau_var[j] = self->prior.sig_tau;
    }

  for (guint i = 0; i < n_items; i++)
    refresh_second_moment (self, i);
  index_labels (self);
  update_delta (self);
  self->free_energy = -INFINITY;

  return self;
}

/**
 * lk_crowdclust_free:
 * @self: (nullable): a model
 */
void
lk_crowdclust_free (LkCrowdclust *self)
{
  if (self == NULL)
    return;

  g_free (self->labels);
  g_free (self->mu);
  g_free (self->sig_x);
  g_free (self->w_mean);
  g_free (self->w_var);
  g_free (self->tau_mean);
  g_free (self->tau_var);
  g_free (self->delta);
  g_free (self->lambda);
  g_free (self->second);
  g_free (self->item_start);
  g_free (self->item_labels);
  g_free (self->worker_start);
  g_free (self->worker_labels);
  g_free (self);
}

/**
 * lk_crowdclust_iterate:
 * @self: a model
 *
 * One iteration of the port's update_post: items, worker matrices, worker biases, deltas.
 *
 * Returns: the free energy after it
 */
double
lk_crowdclust_iterate (LkCrowdclust *self)
{
  update_items (self);
  update_worker_matrices (self);
  update_worker_biases (self);
  update_delta (self);
  self->free_energy = compute_free_energy (self);

  return self->free_energy;
}

guint
lk_crowdclust_get_n_items (const LkCrowdclust *self)
{
  return self->n_items;
}

guint
lk_crowdclust_get_n_workers (const LkCrowdclust *self)
{
  return self->n_workers;
}

guint
lk_crowdclust_get_dim (const LkCrowdclust *self)
{
  return self->dim;
}

/**
 * lk_crowdclust_get_mu:
 * @self: a model
 *
 * Returns: (transfer none): the posterior means of the item positions, one row of D per item
 */
const double *
lk_crowdclust_get_mu (const LkCrowdclust *self)
{
  return self->mu;
}

/**
 * lk_crowdclust_get_sig_x:
 * @self: a model
 *
 * Returns: (transfer none): the posterior variances of the item positions, one row per item
 */
const double *
lk_crowdclust_get_sig_x (const LkCrowdclust *self)
{
  return self->sig_x;
}

/**
 * lk_crowdclust_get_worker_mean:
 * @self: a model
 * @worker: a worker
 *
 * Returns: (transfer none): the posterior mean of the worker's matrix, D x D row-major
 */
const double *
lk_crowdclust_get_worker_mean (const LkCrowdclust *self,
                               guint               worker)
{
  g_return_val_if_fail (worker < self->n_workers, NULL);

  return self->w_mean + (gsize) worker * self->dim * self->dim;
}

/**
 * lk_crowdclust_get_worker_variance:
 * @self: a model
 * @worker: a worker
 *
 * Returns: (transfer none): the posterior variances of the worker's matrix, D x D row-major
 */
const double *
lk_crowdclust_get_worker_variance (const LkCrowdclust *self,
                                   guint               worker)
{
  g_return_val_if_fail (worker < self->n_workers, NULL);

  return self->w_var + (gsize) worker * self->dim * self->dim;
}

double
lk_crowdclust_get_bias_mean (const LkCrowdclust *self,
                             guint               worker)
{
  g_return_val_if_fail (worker < self->n_workers, NAN);

  return self->tau_mean[worker];
}

double
lk_crowdclust_get_bias_variance (const LkCrowdclust *self,
                                 guint               worker)
{
  g_return_val_if_fail (worker < self->n_workers, NAN);

  return self->tau_var[worker];
}

double
lk_crowdclust_get_delta (const LkCrowdclust *self,
                         gsize               label)
{
  g_return_val_if_fail (label < self->n_labels, NAN);

  return self->delta[label];
}

/**
 * lk_crowdclust_free_energy:
 * @self: a model
 *
 * Returns: the free energy after the last iteration (-inf before the first)
 */
double
lk_crowdclust_free_energy (const LkCrowdclust *self)
{
  return self->free_energy;
}
