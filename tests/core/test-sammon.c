/* test-sammon.c — the weighted Sammon stress, its gradient and its minimiser
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <math.h>

#include "lk-core.h"
#include "lk-sammon-private.h"

/* Targets, distances and coordinates are stored in single precision (lk-sammon.c), so a value
 * computed from them carries a relative error of a few float epsilons (1.2e-7) per operation;
 * with sums over at most a few hundred pairs, 1e-5 relative is an ample bound that still fails
 * on any wrong term (the smallest term of the hand-worked cases is 0.8 % of the total). */
#define FLOAT_TOLERANCE 1e-5

/* Asserts |x - expected| <= FLOAT_TOLERANCE * scale. */
#define assert_close(x, expected, scale) \
  g_assert_cmpfloat_with_epsilon ((x), (expected), FLOAT_TOLERANCE * (scale))

/* Three points in 2-D, the triangle (0, 0), (0.9, 1.2), (1.8, 0) shifted by (0.35, -0.2):
 *   d01 = 1.5, d02 = 1.8, d12 = 1.5.
 * Targets and weights, all three set with lk_sammon_set_pair():
 *   T01 = 1.2,   w01 = 1      w (T - d)^2 / T = 0.09 / 1.2          = 0.075
 *   T02 = 2.385, w02 = 0.0625                 = 0.0625 * 0.342225 / 2.385 = 0.0089681604
 *   T12 = 1.75,  w12 = 1.7                    = 1.7 * 0.0625 / 1.75  = 0.0607142857
 * C = sum w T = 1.2 + 0.1490625 + 2.975 = 4.3240625, sum = 0.1446824461,
 * E = 0.1446824461 / 4.3240625 = 0.0334598415.
 * Gradient: dE/dy_i = 1/C sum_j c_ij (y_i - y_j) with c_ij = 2 w / T (1 - T / d):
 *   c01 = 2 / 1.2 * (1 - 1.2 / 1.5) = 1/3, c02 = 0.125 / 2.385 * (1 - 2.385 / 1.8) = -0.0170335430,
 *   c12 = 3.4 / 1.75 * (1 - 1.75 / 1.5) = -0.3238095238;
 *   y0 - y1 = (-0.9, -1.2), y0 - y2 = (-1.8, 0), y1 - y2 = (-0.9, 1.2):
 *   g0 = (1/3 (-0.9) + (-0.0170335) (-1.8), 1/3 (-1.2)) / C = (-0.0622885591, -0.0925056009)
 *   g1 = (-1/3 (-0.9) + (-0.3238095) (-0.9), -1/3 (-1.2) + (-0.3238095) 1.2) / C
 *      = (0.1367761385, 0.0026430172)
 *   g2 = -(g0 + g1) = (-0.0744875794, 0.0898625838). */
static void
test_hand_worked_2d (void)
{
  const double y[] = { 0.35, -0.2,  1.25, 1.0,  2.15, -0.2 };
  const double expected_gradient[] = {
    -0.06228855911345166, -0.09250560092505605,
     0.13677613851061857,  0.0026430171692873204,
    -0.07448757939716691,  0.08986258375576874,
  };
  g_autoptr(LkEmbedding) at = lk_embedding_new_from_data (y, 3, 2);
  g_autoptr(LkSammon) sammon = lk_sammon_new (3, 2);
  double gradient[6];
  double stress;

  lk_sammon_set (sammon, at, 0.01, 0.3);
  lk_sammon_set_pair (sammon, 0, 1, 1.2, 1.0);
  lk_sammon_set_pair (sammon, 2, 0, 2.385, 0.0625);
  lk_sammon_set_pair (sammon, 1, 2, 1.75, 1.7);
  lk_sammon_start (sammon);

  stress = lk_sammon_evaluate (sammon, at, gradient);
  assert_close (stress, 0.03345984154753643, 0.0334598);
  /* The starting point is @at, so the minimiser's own stress is the same number. */
  assert_close (lk_sammon_get_stress (sammon), 0.03345984154753643, 0.0334598);
  for (guint p = 0; p < G_N_ELEMENTS (gradient); p++)
    assert_close (gradient[p], expected_gradient[p], 0.137);

  g_assert_cmpfloat_with_epsilon (lk_sammon_get_target (sammon, 0, 2), 2.385, 2.385 * 1e-7);
  g_assert_cmpfloat_with_epsilon (lk_sammon_get_weight (sammon, 2, 0), 0.0625, 0.0625 * 1e-6);
}

/* Four points in 3-D (the dim == 3 kernel): o = (0.35, -0.2, 0.6) plus (0, 0, 0), (0.3, 0, 0),
 * (0, 0.4, 0), (0.3, 0.4, 1.2), so
 *   d01 = 0.3, d02 = 0.4, d03 = 1.3, d12 = 0.5, d13 = sqrt 1.6 = 1.2649111, d23 = sqrt 1.53 = 1.2369317.
 * Five pairs are set by hand; (2, 3) keeps what lk_sammon_set() gives it: its distance in the
 * start, where y3 = o + (0.6, 0.4, 0.8) so T23 = |(0.6, 0, 0.8)| = 1, and weight epsilon = 0.0125.
 *   pair   T       w        w (T - d)^2 / T    c = 2 w / T (1 - T / d)
 *   0 1    0.45    1        0.05               -2.2222222
 *   0 2    0.2625  1        0.0720238095        2.6190476
 *   0 3    1.05    0.35     0.0208333333        0.1282051
 *   1 2    0.6     2.2      0.0366666667       -1.4666667
 *   1 3    1.9     1        0.2122831350       -0.5285073
 *   2 3    1       0.0125   0.0007017078        0.0047887
 * C = 0.45 + 0.2625 + 0.3675 + 1.32 + 1.9 + 0.0125 = 4.3125, sum = 0.3925086524,
 * E = 0.0910164991; gradient g_i = 1/C sum_j c_ij (y_i - y_j), e.g.
 *   g0 = (-2.2222 (-0.3) + 0.1282 (-0.3), 2.6190 (-0.4) + 0.1282 (-0.4), 0.1282 (-1.2)) / C
 *      = (0.1456707544, -0.2548176461, -0.0356744705). */
static void
test_hand_worked_3d (void)
{
  const double y[] = {
    0.35, -0.2, 0.6,
    0.65, -0.2, 0.6,
    0.35,  0.2, 0.6,
    0.65,  0.2, 1.8,
  };
  const double start[] = {
    0.35, -0.2, 0.6,
    0.65, -0.2, 0.6,
    0.35,  0.2, 0.6,
    0.95,  0.2, 1.4,
  };
  const double expected_gradient[] = {
     0.1456707543664066,  -0.2548176461219939,  -0.03567447045707911,
    -0.2566183574879227,   0.18505960976728,     0.14706288727285455,
     0.10169585869586276,  0.10688750862663905, -0.0013325072455343063,
     0.009251744425653354, -0.03712947227192516, -0.11005590957024114,
  };
  g_autoptr(LkEmbedding) at = lk_embedding_new_from_data (y, 4, 3);
  g_autoptr(LkEmbedding) from = lk_embedding_new_from_data (start, 4, 3);
  g_autoptr(LkSammon) sammon = lk_sammon_new (4, 3);
  double gradient[12];
  double stress;

  lk_sammon_set (sammon, from, 0.0125, 0.3);
  lk_sammon_set_pair (sammon, 0, 1, 0.45, 1.0);
  lk_sammon_set_pair (sammon, 0, 2, 0.2625, 1.0);
  lk_sammon_set_pair (sammon, 3, 0, 1.05, 0.35);
  lk_sammon_set_pair (sammon, 1, 2, 0.6, 2.2);
  lk_sammon_set_pair (sammon, 1, 3, 1.9, 1.0);
  lk_sammon_start (sammon);

  stress = lk_sammon_evaluate (sammon, at, gradient);
  assert_close (stress, 0.09101649909678107, 0.091);
  for (guint p = 0; p < G_N_ELEMENTS (gradient); p++)
    assert_close (gradient[p], expected_gradient[p], 0.257);

  g_assert_cmpfloat_with_epsilon (lk_sammon_get_target (sammon, 2, 3), 1.0, 1e-6);
  g_assert_cmpfloat_with_epsilon (lk_sammon_get_weight (sammon, 3, 2), 0.0125, 0.0125 * 1e-6);
}

/* Returns a started minimiser over a random start in which about a third of the pairs have
 * their distance in another random configuration as target, with weights 0.3 .. 3, and the
 * others their start distance with weight 2.5e-3. */
static LkSammon *
random_case (guint        n,
             guint        dim,
             guint64      seed,
             LkEmbedding **start_out)
{
  g_autoptr(gsl_rng) rng = lk_rng_new (seed);
  LkEmbedding *start = lk_embedding_new_random (n, dim, rng);
  LkSammon *sammon = lk_sammon_new (n, dim);
  g_autoptr(LkEmbedding) hidden = lk_embedding_new_random (n, dim, rng);

  lk_embedding_normalise (start);
  lk_embedding_normalise (hidden);
  lk_sammon_set (sammon, start, 2.5e-3, 0.3);
  for (guint a = 0; a < n; a++)
    for (guint b = a + 1; b < n; b++)
      if (gsl_rng_uniform (rng) < 0.35)
        lk_sammon_set_pair (sammon, a, b,
                            lk_embedding_distance (hidden, a, b),
                            0.3 + 2.7 * gsl_rng_uniform (rng));
  lk_sammon_start (sammon);

  *start_out = start;
  return sammon;
}

/* The gradient against central differences (E(y + h) - E(y - h)) / 2h with h = 1e-3. The
 * stress is summed in single precision: its absolute error is about 1e-7 E sqrt(pairs) < 1e-7
 * here, which the difference divides by 2h, so up to 1e-4; the truncation error h^2 E''' / 6
 * is about 1e-6. A tolerance of 1e-3 times the largest gradient component (0.07 to 0.9 for
 * these seeds; observed differences are below 1.5e-4 of it) is well above both and far below
 * any wrong term. */
static void
check_finite_differences (guint   dim,
                          guint64 seed)
{
  const guint n = 7;
  const double h = 1e-3;
  g_autoptr(LkEmbedding) start = NULL;
  g_autoptr(LkSammon) sammon = random_case (n, dim, seed, &start);
  g_autoptr(gsl_rng) rng = lk_rng_new (seed + 1);
  g_autoptr(LkEmbedding) at = lk_embedding_new_random (n, dim, rng);
  g_autoptr(LkEmbedding) probe = NULL;
  g_autofree double *gradient = g_new (double, n * dim);
  double *p;
  double gmax = 0.0;

  lk_embedding_normalise (at);
  probe = lk_embedding_copy (at);
  p = lk_embedding_get_data_mutable (probe);

  lk_sammon_evaluate (sammon, at, gradient);
  for (guint c = 0; c < n * dim; c++)
    gmax = MAX (gmax, fabs (gradient[c]));
  g_assert_cmpfloat (gmax, >, 1e-2);

  for (guint c = 0; c < n * dim; c++)
    {
      double x = p[c], plus, minus;

      p[c] = x + h;
      plus = lk_sammon_evaluate (sammon, probe, NULL);
      p[c] = x - h;
      minus = lk_sammon_evaluate (sammon, probe, NULL);
      p[c] = x;

      g_assert_cmpfloat_with_epsilon (gradient[c], (plus - minus) / (2.0 * h), 1e-3 * gmax);
    }
}

static void
test_gradient_2d (void)
{
  check_finite_differences (2, 31);
}

static void
test_gradient_3d (void)
{
  check_finite_differences (3, 47);
}

static void
test_gradient_5d (void)
{
  check_finite_differences (5, 59);
}

/* 30 points with mixed targets: every accepted or rejected step leaves the stress at or below
 * the previous value, and 100 steps take it below a tenth of where it started (seeds 71 and 83
 * reach 0.045 and 0.013 of it; the floor is above 0 because the epsilon-weighted pairs pull
 * towards the start). */
static void
check_monotone (guint   dim,
                guint64 seed)
{
  g_autoptr(LkEmbedding) start = NULL;
  g_autoptr(LkSammon) sammon = random_case (30, dim, seed, &start);
  g_autoptr(LkEmbedding) end = lk_embedding_new (30, dim);
  double first = lk_sammon_get_stress (sammon), last = first;

  g_assert_cmpfloat (first, >, 1e-3);
  for (guint it = 0; it < 100; it++)
    {
      double s;

      lk_sammon_iterate (sammon);
      s = lk_sammon_get_stress (sammon);
      g_assert_cmpfloat (s, <=, last);
      last = s;
    }
  g_assert_cmpfloat (last, <, 0.1 * first);

  /* The reported stress is that of the point the minimiser hands out. */
  lk_sammon_get_embedding (sammon, end);
  assert_close (lk_sammon_evaluate (sammon, end, NULL), last, last);
}

static void
test_monotone_2d (void)
{
  check_monotone (2, 71);
}

static void
test_monotone_3d (void)
{
  check_monotone (3, 83);
}

/* Targets that are the distances of a known configuration, all weights 1: the configuration
 * has stress 0, and the minimiser started from a perturbed copy finds a point whose stress is
 * near 0 and whose distances are the targets. */
static void
check_exact (guint   dim,
             guint64 seed)
{
  const guint n = 12;
  g_autoptr(gsl_rng) rng = lk_rng_new (seed);
  g_autoptr(LkEmbedding) truth = lk_embedding_new_random (n, dim, rng);
  g_autoptr(LkEmbedding) start = lk_embedding_copy (truth);
  g_autoptr(LkEmbedding) end = lk_embedding_new (n, dim);
  g_autoptr(LkSammon) sammon = lk_sammon_new (n, dim);
  double *s = lk_embedding_get_data_mutable (start);
  double first;

  lk_embedding_normalise (truth);
  for (guint c = 0; c < n * dim; c++)
    s[c] = lk_embedding_get_data (truth)[c] + 0.3 * (gsl_rng_uniform (rng) - 0.5);

  lk_sammon_set (sammon, start, 2.5e-3, 0.3);
  for (guint a = 0; a < n; a++)
    for (guint b = a + 1; b < n; b++)
      lk_sammon_set_pair (sammon, a, b, lk_embedding_distance (truth, a, b), 1.0);
  lk_sammon_start (sammon);
  first = lk_sammon_get_stress (sammon);

  g_assert_cmpfloat (lk_sammon_evaluate (sammon, truth, NULL), <, 1e-12);
  g_assert_cmpfloat (first, >, 1e-3);

  for (guint it = 0; it < 1000; it++)
    lk_sammon_iterate (sammon);

  /* Single-precision distances (relative error ~1e-7) bound how low the stress can go, at
   * about (1e-7)^2; seeds 97 and 101 reach 1e-14. 1e-10 allows residuals of 1e-5. */
  g_assert_cmpfloat (lk_sammon_get_stress (sammon), <, 1e-10);
  lk_sammon_get_embedding (sammon, end);
  for (guint a = 0; a < n; a++)
    for (guint b = a + 1; b < n; b++)
      g_assert_cmpfloat_with_epsilon (lk_embedding_distance (end, a, b),
                                      lk_embedding_distance (truth, a, b), 1e-4);
}

static void
test_exact_2d (void)
{
  check_exact (2, 97);
}

static void
test_exact_3d (void)
{
  check_exact (3, 101);
}

/* Sets up @sammon (exact or sampled) for the unbiasedness test: start @start, epsilon 0.05,
 * the pairs (a, a + 1) and (a, a + 7) set to their distance in @hidden with weight 1.3. */
static void
set_sparse_case (LkSammon          *sammon,
                 const LkEmbedding *start,
                 const LkEmbedding *hidden,
                 guint              n)
{
  lk_sammon_set (sammon, start, 0.05, 0.3);
  for (guint a = 0; a + 7 < n; a++)
    {
      lk_sammon_set_pair (sammon, a, a + 1, lk_embedding_distance (hidden, a, a + 1), 1.3);
      lk_sammon_set_pair (sammon, a, a + 7, lk_embedding_distance (hidden, a, a + 7), 1.3);
    }
}

/* The sampled stress (lk_sammon_new_sampled()) and its gradient are unbiased estimates of the
 * full ones: averaged over many draws of the sample, they come out at the exact minimiser's.
 * 60 items, 3 partners drawn per item, evaluated at a point away from the start (where every
 * rest term and its gradient would be 0). Both are compared unnormalised (times C), since C is
 * itself estimated from the sample. Each coordinate's mean over S = 3000 draws must lie within
 * 4.5 standard errors (the sample's standard deviation / sqrt S) of the exact value, plus float
 * rounding (1e-5 relative): a chance failure has probability below 1e-5 per coordinate, while
 * a weight off by a factor (1/m instead of 1/(2m), say) or a dropped stratum is off by many
 * standard errors. */
static void
check_sampled_unbiased (guint dim)
{
  const guint n = 60, n_draws = 3000;
  g_autoptr(gsl_rng) rng = lk_rng_new (4242);
  g_autoptr(LkEmbedding) start = lk_embedding_new_random (n, dim, rng);
  g_autoptr(LkEmbedding) hidden = lk_embedding_new_random (n, dim, rng);
  g_autoptr(LkEmbedding) at = lk_embedding_new_random (n, dim, rng);
  g_autoptr(LkSammon) exact = lk_sammon_new (n, dim);
  g_autoptr(LkSammon) sampled = lk_sammon_new_sampled (n, dim, 3);
  g_autofree double *full = g_new (double, n * dim);
  g_autofree double *g = g_new (double, n * dim);
  g_autofree double *sum = g_new0 (double, n * dim);
  g_autofree double *sum2 = g_new0 (double, n * dim);
  double full_stress, c, s_sum = 0.0, s_sum2 = 0.0, mean, se, rest = 0.0;
  double *y = lk_embedding_get_data_mutable (at);
  const double *y0 = lk_embedding_get_data (start);

  lk_embedding_normalise (start);
  lk_embedding_normalise (hidden);
  /* The evaluation point: the start moved by up to 0.3 per coordinate. */
  for (guint p = 0; p < n * dim; p++)
    y[p] = y0[p] + 0.6 * (gsl_rng_uniform (rng) - 0.5);

  set_sparse_case (exact, start, hidden, n);
  lk_sammon_start (exact);
  c = lk_sammon_get_normaliser (exact);
  full_stress = lk_sammon_evaluate (exact, at, full) * c;
  for (guint p = 0; p < n * dim; p++)
    full[p] *= c;

  for (guint d = 0; d < n_draws; d++)
    {
      double stress;

      set_sparse_case (sampled, start, hidden, n);
      lk_sammon_sample (sampled, rng);
      lk_sammon_start (sampled);
      c = lk_sammon_get_normaliser (sampled);
      stress = lk_sammon_evaluate (sampled, at, g) * c;
      s_sum += stress;
      s_sum2 += stress * stress;
      for (guint p = 0; p < n * dim; p++)
        {
          sum[p] += g[p] * c;
          sum2[p] += g[p] * c * g[p] * c;
        }
    }

  mean = s_sum / n_draws;
  se = sqrt (MAX (s_sum2 / n_draws - mean * mean, 0.0) / n_draws);
  g_assert_cmpfloat (se, >, 0.0);
  g_assert_cmpfloat (fabs (mean - full_stress), <=, 4.5 * se + 1e-5 * full_stress);

  for (guint p = 0; p < n * dim; p++)
    {
      double gmean = sum[p] / n_draws;
      double gse = sqrt (MAX (sum2[p] / n_draws - gmean * gmean, 0.0) / n_draws);

      g_assert_cmpfloat (fabs (gmean - full[p]), <=, 4.5 * gse + 1e-5 * fabs (full[p]) + 1e-12);
      rest += fabs (full[p]);
    }
  g_assert_cmpfloat (rest, >, 0.0);
}

/* d = 3 has its own vectorised evaluation; d = 5 takes the general one. */
static void
test_sampled_unbiased_3d (void)
{
  check_sampled_unbiased (3);
}

static void
test_sampled_unbiased_5d (void)
{
  check_sampled_unbiased (5);
}

/* The sampled minimiser's rows at d = 3 have an AVX-512 kernel (lk-sammon.c) and a portable
 * one; both must give the same stress and gradient, to float rounding. 203 items, so that the
 * rows' lengths are rarely multiples of the 16 lanes and the padding of a row's last partners
 * is exercised; set pairs of several weights and targets, and the near and far strata. (On a
 * CPU without AVX-512 both evaluations take the portable kernel.) */
static void
test_sampled_kernels (void)
{
  const guint n = 203, dim = 3;
  g_autoptr(gsl_rng) rng = lk_rng_new (777);
  g_autoptr(LkEmbedding) start = lk_embedding_new_random (n, dim, rng);
  g_autoptr(LkEmbedding) at = lk_embedding_new_random (n, dim, rng);
  g_autoptr(LkSammon) sampled = lk_sammon_new_sampled (n, dim, 9);
  g_autofree double *fast = g_new (double, n * dim);
  g_autofree double *portable = g_new (double, n * dim);
  double s_fast, s_portable, scale = 0.0;

  lk_embedding_normalise (start);
  lk_embedding_normalise (at);
  lk_sammon_set (sampled, start, 1e-3, 0.3);
  for (guint p = 0; p < 5 * n; p++)
    {
      guint a = gsl_rng_uniform_int (rng, n), b = gsl_rng_uniform_int (rng, n);

      if (a != b)
        lk_sammon_set_pair (sampled, a, b, 0.05 + 2.0 * gsl_rng_uniform (rng),
                            0.5 + gsl_rng_uniform (rng));
    }
  lk_sammon_sample (sampled, rng);
  lk_sammon_start (sampled);

  s_fast = lk_sammon_evaluate (sampled, at, fast);
  lk_sammon_set_portable (sampled, TRUE);
  s_portable = lk_sammon_evaluate (sampled, at, portable);

  g_assert_cmpfloat (s_portable, >, 0.0);
  g_assert_cmpfloat (fabs (s_fast - s_portable), <=, 1e-5 * s_portable);
  for (guint p = 0; p < n * dim; p++)
    scale = MAX (scale, fabs (portable[p]));
  g_assert_cmpfloat (scale, >, 0.0);
  for (guint p = 0; p < n * dim; p++)
    g_assert_cmpfloat (fabs (fast[p] - portable[p]), <=, 1e-5 * scale);
}

/* lk_sammon_scale_pair() sets what lk_sammon_get_target() then lk_sammon_set_pair() set, on a
 * pair set before and on one that was not, in the sampled and the exact minimiser. */
static void
test_scale_pair (void)
{
  const guint n = 12, dim = 3;
  g_autoptr(gsl_rng) rng = lk_rng_new (31);
  g_autoptr(LkEmbedding) start = lk_embedding_new_random (n, dim, rng);

  lk_embedding_normalise (start);
  for (guint kind = 0; kind < 2; kind++)
    {
      g_autoptr(LkSammon) one = kind == 0 ? lk_sammon_new_sampled (n, dim, 4)
                                          : lk_sammon_new (n, dim);
      g_autoptr(LkSammon) two = kind == 0 ? lk_sammon_new_sampled (n, dim, 4)
                                          : lk_sammon_new (n, dim);

      lk_sammon_set (one, start, 1e-3, 0.3);
      lk_sammon_set (two, start, 1e-3, 0.3);
      lk_sammon_set_pair (one, 2, 7, 0.8, 1.0);
      lk_sammon_set_pair (two, 2, 7, 0.8, 1.0);

      lk_sammon_scale_pair (one, 7, 2, 1.0, 4.0, 1.5);
      lk_sammon_set_pair (two, 7, 2, lk_sammon_get_target (two, 7, 2) / 4.0, 1.5);
      lk_sammon_scale_pair (one, 3, 9, 4.0, 1.0, 1.0);
      lk_sammon_set_pair (two, 3, 9, lk_sammon_get_target (two, 3, 9) * 4.0, 1.0);

      g_assert_cmpfloat (lk_sammon_get_target (one, 2, 7), ==, 0.2f);
      for (guint a = 0; a < n; a++)
        for (guint b = a + 1; b < n; b++)
          {
            g_assert_cmpfloat (lk_sammon_get_target (one, a, b), ==, lk_sammon_get_target (two, a, b));
            g_assert_cmpfloat (lk_sammon_get_weight (one, a, b), ==, lk_sammon_get_weight (two, a, b));
          }
      g_assert_cmpfloat (fabs (lk_sammon_get_weight (one, 3, 9) - 1.0), <, 1e-6);
    }
}

/* The sampled minimiser keeps what lk_sammon_set_pair() sets, gives the others their start
 * distance and epsilon, and, like the exact one, never raises its stress. */
static void
test_sampled_minimiser (void)
{
  const guint n = 80, dim = 3;
  g_autoptr(gsl_rng) rng = lk_rng_new (99);
  g_autoptr(LkEmbedding) start = lk_embedding_new_random (n, dim, rng);
  g_autoptr(LkEmbedding) hidden = lk_embedding_new_random (n, dim, rng);
  g_autoptr(LkSammon) sampled = lk_sammon_new_sampled (n, dim, 8);
  double previous;

  lk_embedding_normalise (start);
  lk_embedding_normalise (hidden);
  set_sparse_case (sampled, start, hidden, n);
  lk_sammon_set_pair (sampled, 5, 4, 0.75, 2.5);

  g_assert_cmpfloat_with_epsilon (lk_sammon_get_target (sampled, 4, 5), 0.75, 1e-6);
  g_assert_cmpfloat_with_epsilon (lk_sammon_get_weight (sampled, 4, 5), 2.5, 1e-5);
  g_assert_cmpfloat_with_epsilon (lk_sammon_get_target (sampled, 17, 3),
                                  lk_embedding_distance (start, 3, 17), 1e-6);
  g_assert_cmpfloat_with_epsilon (lk_sammon_get_weight (sampled, 17, 3), 0.05, 1e-9);

  lk_sammon_sample (sampled, rng);
  lk_sammon_start (sampled);
  previous = lk_sammon_get_stress (sampled);
  g_assert_cmpfloat (previous, >, 0.0);
  for (guint it = 0; it < 60; it++)
    {
      lk_sammon_iterate (sampled);
      g_assert_cmpfloat (lk_sammon_get_stress (sampled), <=, previous);
      previous = lk_sammon_get_stress (sampled);
    }
  g_assert_cmpfloat (previous, <, 0.5 * lk_sammon_evaluate (sampled, start, NULL));
}

/* lk_sammon_minimise() stops once ten accepted steps have lowered the stress by less than the
 * tolerance; then it is at the minimum for that tolerance: 200 more iterations lower the stress
 * by far less than the 10 % a stop in mid-descent would leave (this case falls to below half
 * its starting stress). Without a tolerance it runs every iteration. */
static void
test_sampled_minimise (void)
{
  const guint n = 80, dim = 3;
  g_autoptr(gsl_rng) rng = lk_rng_new (7);
  g_autoptr(LkEmbedding) start = lk_embedding_new_random (n, dim, rng);
  g_autoptr(LkEmbedding) hidden = lk_embedding_new_random (n, dim, rng);
  g_autoptr(LkSammon) sampled = lk_sammon_new_sampled (n, dim, 8);
  double first, stopped;
  guint run;

  lk_embedding_normalise (start);
  lk_embedding_normalise (hidden);
  set_sparse_case (sampled, start, hidden, n);
  lk_sammon_sample (sampled, rng);
  lk_sammon_start (sampled);
  first = lk_sammon_get_stress (sampled);

  run = lk_sammon_minimise (sampled, 400, 1e-4);
  stopped = lk_sammon_get_stress (sampled);
  g_test_message ("stopped after %u iterations, stress %.6f of %.6f", run, stopped, first);
  g_assert_cmpuint (run, >, 10);
  g_assert_cmpuint (run, <, 400);
  g_assert_cmpfloat (stopped, <, 0.5 * first);

  g_assert_cmpuint (lk_sammon_minimise (sampled, 200, 0.0), ==, 200);
  g_assert_cmpfloat (lk_sammon_get_stress (sampled), <=, stopped);
  g_assert_cmpfloat (lk_sammon_get_stress (sampled), >, (1.0 - 1e-2) * stopped);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/lk/core/sammon/hand-worked-2d", test_hand_worked_2d);
  g_test_add_func ("/lk/core/sammon/hand-worked-3d", test_hand_worked_3d);
  g_test_add_func ("/lk/core/sammon/gradient-2d", test_gradient_2d);
  g_test_add_func ("/lk/core/sammon/gradient-3d", test_gradient_3d);
  g_test_add_func ("/lk/core/sammon/gradient-5d", test_gradient_5d);
  g_test_add_func ("/lk/core/sammon/monotone-2d", test_monotone_2d);
  g_test_add_func ("/lk/core/sammon/monotone-3d", test_monotone_3d);
  g_test_add_func ("/lk/core/sammon/exact-2d", test_exact_2d);
  g_test_add_func ("/lk/core/sammon/exact-3d", test_exact_3d);
  g_test_add_func ("/lk/core/sammon/sampled-unbiased-3d", test_sampled_unbiased_3d);
  g_test_add_func ("/lk/core/sammon/sampled-unbiased-5d", test_sampled_unbiased_5d);
  g_test_add_func ("/lk/core/sammon/sampled-kernels", test_sampled_kernels);
  g_test_add_func ("/lk/core/sammon/scale-pair", test_scale_pair);
  g_test_add_func ("/lk/core/sammon/sampled-minimiser", test_sampled_minimiser);
  g_test_add_func ("/lk/core/sammon/sampled-minimise", test_sampled_minimise);

  return g_test_run ();
}
