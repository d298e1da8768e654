/* test-cen.c — "cen": its gradient, a planted crowd it must decode, determinism; the attribute
 * crowd and set it is measured on
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <math.h>
#include <string.h>

#include <gsl/gsl_randist.h>

#include "lk-core.h"

/* The attribute crowd with rho 0 sorts every grid by the participant's preferred attribute
 * (participant mod 4), bin = the item's value; the query carries the participant. */
static void
test_attribute_crowd (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LkDataset) data = lk_dataset_new_from_spec ("attributes:60", 3, &error);
  g_autoptr(LkCrowd) crowd = NULL;
  const guint *values;
  guint n_attributes = 0;

  g_assert_no_error (error);
  values = lk_dataset_get_attributes (data, &n_attributes);
  g_assert_nonnull (values);
  g_assert_cmpuint (n_attributes, ==, 4);
  g_assert_cmpuint (lk_dataset_get_n_labels (data), <=, 16);
  for (guint i = 0; i < 60; i++)
    {
      gint label = 0;

      for (guint a = 0; a < 4; a++)
        {
          g_assert_cmpuint (values[i * 4 + a], <=, 1);
          label |= values[i * 4 + a] << a;
        }
      g_assert_cmpint (lk_dataset_get_labels (data)[i], ==, label);
    }

  crowd = lk_crowd_new (data, 4, NULL, 5);
  lk_crowd_set_participants (crowd, 7, 0.0);
  for (guint round = 0; round < 20; round++)
    {
      guint items[12];
      g_autoptr(LkQuery) q = NULL;
      guint w, a;

      for (guint i = 0; i < 12; i++)
        items[i] = (round * 12 + i * 5) % 60;
      q = lk_query_new (items, 12);
      lk_crowd_answer (crowd, q);
      w = lk_query_get_participant (q);
      g_assert_cmpuint (w, <, 7);
      a = w % 4;
      g_assert_cmpint (lk_crowd_get_last_attribute (crowd), ==, (gint) a);
      for (guint i = 0; i < 12; i++)
        g_assert_cmpint (lk_query_get_bin (q, i), ==, (gint) values[items[i] * 4 + a]);
    }

  /* Sets without attributes keep the k-means crowd. */
  {
    g_autoptr(LkDataset) colors = lk_dataset_new_from_spec ("colors:30", 3, NULL);
    guint n = 9;

    g_assert_null (lk_dataset_get_attributes (colors, &n));
    g_assert_cmpuint (n, ==, 0);
  }
}

/* With rho 1 every grid is sorted by its most varied attribute: here attribute 2 is split 3/3
 * and the others 5/1 or 6/0, so the bins must follow attribute 2. */
static void
test_attribute_crowd_most_varied (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LkDataset) data = lk_dataset_new_from_spec ("attributes:400", 1, &error);
  g_autoptr(LkCrowd) crowd = lk_crowd_new (data, 4, NULL, 2);
  const guint *v;
  guint n_attributes, items[6], found = 0;

  g_assert_no_error (error);
  v = lk_dataset_get_attributes (data, &n_attributes);
  lk_crowd_set_participants (crowd, 4, 1.0);
  /* 5 items with attributes (0, 0, 0, *) and 1 with (1, *, 1, *), arranged so attribute 2 is
   * 3/3: pick 3 items of pattern (0,0,0,x) and 2 of (0,0,1,x)... simpler: search the set. */
  for (guint i = 0; i < 400 && found < 3; i++)
    if (v[i * 4] == 0 && v[i * 4 + 1] == 0 && v[i * 4 + 2] == 0 && v[i * 4 + 3] == 0)
      items[found++] = i;
  for (guint i = 0; i < 400 && found < 6; i++)
    if (v[i * 4] == 0 && v[i * 4 + 1] == 0 && v[i * 4 + 2] == 1 && v[i * 4 + 3] == 0)
      items[found++] = i;
  g_assert_cmpuint (found, ==, 6);

  for (guint round = 0; round < 10; round++)
    {
      g_autoptr(LkQuery) q = lk_query_new (items, 6);

      lk_crowd_answer (crowd, q);
      g_assert_cmpint (lk_crowd_get_last_attribute (crowd), ==, 2);
      for (guint i = 0; i < 6; i++)
        g_assert_cmpint (lk_query_get_bin (q, i), ==, (gint) v[items[i] * 4 + 2]);
    }
}

/* Equally varied attributes tie, and ties are broken at random. Here attribute 1 has 8 ones
 * in 10 items and attribute 0 has 2 (8 x 2 = 2 x 8), the others none, so with rho 1 the grid
 * is sorted by attribute 0 or 1, each about half the time. Computed in floating point the two
 * variances differ in the last bit (1.6 and 1.6000000000000003 in this order of items), and
 * one of them won every time. */
static void
test_attribute_crowd_tie (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LkDataset) data = lk_dataset_new_from_spec ("attributes:400", 1, &error);
  g_autoptr(LkCrowd) crowd = lk_crowd_new (data, 4, NULL, 6);
  const guint *v;
  guint n_attributes, items[10], found = 0, used[4] = { 0 };

  g_assert_no_error (error);
  v = lk_dataset_get_attributes (data, &n_attributes);
  lk_crowd_set_participants (crowd, 4, 1.0);
  for (guint i = 0; i < 400 && found < 8; i++)
    if (v[i * 4] == 0 && v[i * 4 + 1] == 1 && v[i * 4 + 2] == 0 && v[i * 4 + 3] == 0)
      items[found++] = i;
  for (guint i = 0; i < 400 && found < 10; i++)
    if (v[i * 4] == 1 && v[i * 4 + 1] == 0 && v[i * 4 + 2] == 0 && v[i * 4 + 3] == 0)
      items[found++] = i;
  g_assert_cmpuint (found, ==, 10);

  for (guint round = 0; round < 200; round++)
    {
      g_autoptr(LkQuery) q = lk_query_new (items, 10);
      gint a;

      lk_crowd_answer (crowd, q);
      a = lk_crowd_get_last_attribute (crowd);
      g_assert_cmpint (a, >=, 0);
      g_assert_cmpint (a, <=, 1);
      used[a]++;
    }
  /* Binomial (200, 1/2): below 70 has probability about 1e-5; the seed is fixed anyway. */
  g_assert_cmpuint (used[0], >=, 70);
  g_assert_cmpuint (used[1], >=, 70);
}

static LkQuery *
answered (const guint *items,
          const gint  *bins,
          guint        n,
          guint        participant)
{
  g_autoptr(GError) error = NULL;
  LkQuery *q = lk_query_new (items, n);

  g_assert_true (lk_query_set_answer (q, bins, 3, &error));
  g_assert_no_error (error);
  lk_query_set_participant (q, participant);

  return q;
}

/* The analytic gradient of the whole loss against central differences, for every parameter
 * of @method_name ("cen": the MLP context; "cen-variance": the variance context): the item
 * vectors, the context's parameters group by group, and each participant's raw weights. The
 * points are random, so no pair sits on a hinge's kink and no hidden unit on its ReLU's
 * (checked: the difference quotient with two step sizes agrees). */
static void
check_gradient (const char *method_name)
{
  LkParams params;
  g_autoptr(gsl_rng) rng = gsl_rng_alloc (gsl_rng_mt19937);
  g_autoptr(GPtrArray) answers = g_ptr_array_new_with_free_func ((GDestroyNotify) lk_query_free);
  const guint g1[] = { 0, 1, 2, 3, 4, 5 }, g2[] = { 6, 2, 7, 0, 5 }, g3[] = { 1, 3, 5, 7, 6, 4 };
  const gint b1[] = { 0, 0, 1, 1, 2, LK_BIN_LEFT_OUT }, b2[] = { 1, 0, 1, 0, 0 };
  const gint b3[] = { 2, 2, 0, 1, 0, 1 };
  const LkMethodType *cen = lk_method_lookup (method_name);
  gboolean mlp = strcmp (method_name, "cen") == 0;
  /* Group boundaries: x; the context's groups (variance: beta, tau; MLP: E, c1, W2, c2, W3,
   * c3 with H hidden units); the participants. */
  const guint h = 64, n = 8, k = 3;
  gsize bounds[9];
  guint n_groups, groups[8] = { 0 };
  gpointer state;
  double *theta, *grad, *numeric;
  gsize n_params;

  g_assert_nonnull (cen);
  bounds[0] = 0;
  bounds[1] = n * k;
  if (mlp)
    {
      bounds[2] = bounds[1] + n * h;
      bounds[3] = bounds[2] + h;
      bounds[4] = bounds[3] + h * h;
      bounds[5] = bounds[4] + h;
      bounds[6] = bounds[5] + k * h;
      bounds[7] = bounds[6] + k;
      n_groups = 8;
    }
  else
    {
      bounds[2] = bounds[1] + 1;
      bounds[3] = bounds[2] + 1;
      n_groups = 4;
    }
  bounds[n_groups] = bounds[n_groups - 1] + 2 * k;

  lk_params_init (&params);
  params.dim = k;
  gsl_rng_set (rng, 7);
  g_ptr_array_add (answers, answered (g1, b1, 6, 10));
  g_ptr_array_add (answers, answered (g2, b2, 5, 11));
  g_ptr_array_add (answers, answered (g3, b3, 6, 10));

  state = cen->state_new (n, &params);
  _lk_cen_prepare (state, answers, rng);
  theta = _lk_cen_parameters (state, &n_params);
  /* The item coordinates, the context's, 2 participants x 3. */
  g_assert_cmpuint (n_params, ==, bounds[n_groups]);
  /* Spread the points so that both hinges are active for some pairs and not for others;
   * move every context parameter off its initial value (the hidden biases start at 0). */
  for (gsize p = 0; p < bounds[1]; p++)
    theta[p] *= 2.5;
  for (gsize p = bounds[1]; p < n_params; p++)
    theta[p] += gsl_ran_gaussian (rng, mlp && p < bounds[n_groups - 1] ? 0.1 : 0.5);

  grad = g_new (double, n_params);
  numeric = g_new (double, n_params);
  _lk_cen_loss (state, grad, NULL);
  for (gsize p = 0; p < n_params; p++)
    {
      double keep = theta[p], step = 1e-6, up, down, up2, down2;
      guint group = 0;

      theta[p] = keep + step;
      up = _lk_cen_loss (state, NULL, NULL);
      theta[p] = keep - step;
      down = _lk_cen_loss (state, NULL, NULL);
      theta[p] = keep + 2 * step;
      up2 = _lk_cen_loss (state, NULL, NULL);
      theta[p] = keep - 2 * step;
      down2 = _lk_cen_loss (state, NULL, NULL);
      theta[p] = keep;
      numeric[p] = (up - down) / (2 * step);
      g_assert_cmpfloat_with_epsilon (numeric[p], (up2 - down2) / (4 * step), 1e-6);
      g_assert_cmpfloat_with_epsilon (grad[p], numeric[p], 1e-6 * MAX (1.0, fabs (numeric[p])));
      while (p >= bounds[group + 1])
        group++;
      if (fabs (grad[p]) > 1e-4)
        groups[group]++;
    }
  /* Every group has a gradient that is not zero, so each was really checked. */
  for (guint g = 0; g < n_groups; g++)
    g_assert_cmpuint (groups[g], >, 0);

  /* Each answer's latent weighting (3 answers x K), moved off its start so that its penalty
   * and the pairs both pull. */
  {
    gsize n_latent;
    double *latent = _lk_cen_latent (state, &n_latent);
    g_autofree double *lgrad = NULL;
    guint nonzero = 0;

    g_assert_cmpuint (n_latent, ==, 3 * k);
    lgrad = g_new (double, n_latent);
    for (gsize p = 0; p < n_latent; p++)
      latent[p] += 2.0 + gsl_ran_gaussian (rng, 0.5);
    _lk_cen_loss (state, grad, lgrad);
    for (gsize p = 0; p < n_latent; p++)
      {
        double keep = latent[p], step = 1e-6, up, down;

        latent[p] = keep + step;
        up = _lk_cen_loss (state, NULL, NULL);
        latent[p] = keep - step;
        down = _lk_cen_loss (state, NULL, NULL);
        latent[p] = keep;
        g_assert_cmpfloat_with_epsilon (lgrad[p], (up - down) / (2 * step),
                                        1e-6 * MAX (1.0, fabs (lgrad[p])));
        nonzero += fabs (lgrad[p]) > 1e-4;
      }
    g_assert_cmpuint (nonzero, >, 0);
  }

  g_free (grad);
  g_free (numeric);
  cen->state_free (state);
}

static void
test_gradient (void)
{
  check_gradient ("cen");
  check_gradient ("cen-variance");
}

/* The item vectors' start each phase (lk-cen.c, spectral_init), on a case worked by hand: 8
 * items with two orthogonal +-1 attributes s1 (i odd) and s2 (i / 2 odd), and two answers, the
 * 8 items sorted by s1 and by s2. The signed pair matrix is then s1 s1^T + s2 s2^T - 2 I, whose
 * top eigenvalue 6 (twice) has the eigenvectors s1 and s2, the others -2. So each attribute
 * vector lies in the span of the two columns of x (the orthogonal iteration converges at a
 * rate (12 / 20) per step), and each column has root mean square SPECTRAL_SCALE, 3. */
static void
test_spectral_start (void)
{
  const guint n = 8, k = 2;
  LkParams params;
  g_autoptr(gsl_rng) rng = gsl_rng_alloc (gsl_rng_mt19937);
  g_autoptr(GPtrArray) answers = g_ptr_array_new_with_free_func ((GDestroyNotify) lk_query_free);
  const LkMethodType *cen = lk_method_lookup ("cen");
  const guint items[] = { 0, 1, 2, 3, 4, 5, 6, 7 };
  gint bins[2][8];
  double attr[2][8];
  gpointer state;
  double *x;
  gsize n_params;

  for (guint i = 0; i < n; i++)
    {
      attr[0][i] = (i % 2) ? 1.0 : -1.0;
      attr[1][i] = ((i / 2) % 2) ? 1.0 : -1.0;
      bins[0][i] = attr[0][i] > 0;
      bins[1][i] = attr[1][i] > 0;
    }
  g_ptr_array_add (answers, answered (items, bins[0], n, 1));
  g_ptr_array_add (answers, answered (items, bins[1], n, 2));

  lk_params_init (&params);
  params.dim = k;
  gsl_rng_set (rng, 4);
  state = cen->state_new (n, &params);
  _lk_cen_prepare (state, answers, rng);
  _lk_cen_spectral_start (state, rng);
  x = _lk_cen_parameters (state, &n_params);

  for (guint c = 0; c < k; c++)
    {
      double rms = 0.0;

      for (guint i = 0; i < n; i++)
        rms += x[i * k + c] * x[i * k + c];
      g_assert_cmpfloat_with_epsilon (sqrt (rms / n), 3.0, 1e-9);
    }
  for (guint a = 0; a < 2; a++)
    {
      /* The columns are orthogonal with norm 3 sqrt (n): the share of |s_a|^2 = n in their
       * span. */
      double in_span = 0.0;

      for (guint c = 0; c < k; c++)
        {
          double dot = 0.0;

          for (guint i = 0; i < n; i++)
            dot += attr[a][i] * x[i * k + c];
          in_span += dot * dot / (9.0 * n);
        }
      g_assert_cmpfloat_with_epsilon (in_span / n, 1.0, 1e-9);
    }
  cen->state_free (state);
}

/* Each answer has its own latent weighting, which says which attribute it was sorted by:
 * lk_cen_grid_attribute() of a compiled answer follows it, the same grid asked of another
 * participant does not, and lk_cen_pair_distance() of a new grid uses the participant's mean
 * latent (here v = softplus (r) set by hand; a^w and the context as they start). */
static void
test_answer_latent (void)
{
  const guint k = 3;
  LkParams params;
  g_autoptr(gsl_rng) rng = gsl_rng_alloc (gsl_rng_mt19937);
  g_autoptr(GPtrArray) answers = g_ptr_array_new_with_free_func ((GDestroyNotify) lk_query_free);
  const LkMethodType *cen = lk_method_lookup ("cen-variance");
  const guint g1[] = { 0, 1, 2, 3 }, g2[] = { 4, 5, 6, 7 };
  const gint b[] = { 0, 0, 1, 1 };
  g_autoptr(LkQuery) other = NULL;
  g_autoptr(LkQuery) fresh = NULL;
  gpointer state;
  double *latent, *theta, ag[3], d2 = 0.0;
  gsize n_latent, n_params;
  double a[3];

  lk_params_init (&params);
  params.dim = k;
  gsl_rng_set (rng, 2);
  g_ptr_array_add (answers, answered (g1, b, 4, 7));
  g_ptr_array_add (answers, answered (g2, b, 4, 7));
  state = cen->state_new (8, &params);
  _lk_cen_prepare (state, answers, rng);
  latent = _lk_cen_latent (state, &n_latent);
  g_assert_cmpuint (n_latent, ==, 2 * k);
  /* Answer 1: a large latent on dimension 2; answer 2 on dimension 0. */
  for (guint c = 0; c < k; c++)
    {
      latent[c] = c == 2 ? 5.0 : -30.0;
      latent[k + c] = c == 0 ? 5.0 : -30.0;
    }
  _lk_cen_refresh_means (state);
  g_assert_cmpuint (lk_cen_grid_attribute (state, g_ptr_array_index (answers, 0)), ==, 2);
  g_assert_cmpuint (lk_cen_grid_attribute (state, g_ptr_array_index (answers, 1)), ==, 0);

  /* The same items asked of participant 8, whom the model never saw: no latent of its own, the
   * mean of everyone's instead, a tie between 0 and 2 broken by a^w and the context. */
  other = lk_query_copy (g_ptr_array_index (answers, 0));
  lk_query_set_participant (other, 8);
  g_assert_cmpuint (lk_cen_grid_attribute (state, other), !=, 1);

  /* A new grid of participant 7: a = a^w + a^g + the mean of the two latents, by hand. */
  fresh = lk_query_new ((const guint[]) { 0, 4, 2, 6 }, 4);
  lk_query_set_participant (fresh, 7);
  lk_cen_context_activation (state, lk_query_get_items (fresh), 4, ag);
  theta = _lk_cen_parameters (state, &n_params);
  for (guint c = 0; c < k; c++)
    {
      double u = theta[n_params - k + c];
      double aw = u > 30.0 ? u : log1p (exp (u));
      double mean = (log1p (exp (latent[c])) + log1p (exp (latent[k + c]))) / 2.0;
      double dc;

      a[c] = aw + ag[c] + mean;
      dc = a[c] * (theta[0 * k + c] - theta[4 * k + c]);
      d2 += dc * dc;
    }
  g_assert_cmpfloat_with_epsilon (lk_cen_pair_distance (state, fresh, 0, 1), sqrt (d2), 1e-9);
  cen->state_free (state);
}

typedef struct {
  double attribute_accuracy;
  double attribute_accuracy_heldout;
  double mcc;
  double pair_accuracy;
  GArray *embedding;
  guint phases;
} Last;

static void
last_cb (const LkPhaseReport *r,
         gpointer             user_data)
{
  Last *last = user_data;
  guint n = lk_embedding_get_n_items (r->embedding) * lk_embedding_get_dim (r->embedding);

  last->attribute_accuracy = r->attribute_accuracy;
  last->attribute_accuracy_heldout = r->attribute_accuracy_heldout;
  last->mcc = r->mcc;
  last->pair_accuracy = r->pair_accuracy;
  g_array_set_size (last->embedding, 0);
  g_array_append_vals (last->embedding, lk_embedding_get_data (r->embedding), n);
  last->phases++;
}

static void
run_planted (guint64  seed,
             Last    *last)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LkDataset) data = lk_dataset_new_from_spec ("attributes:160", seed, &error);
  LkSimulateOptions options;
  LkParams params;

  g_assert_no_error (error);
  lk_params_init (&params);
  params.dim = 4;
  params.nq = 16;
  params.nc = 2;
  params.budget = 320;
  params.phases = 2;
  params.seed = seed;
  lk_simulate_options_init (&options);
  options.participants = 8;
  options.rho = 0.0;
  options.holdout = 0.15;
  last->embedding = g_array_new (FALSE, FALSE, sizeof (double));
  g_assert_true (lk_simulate_run_with_options (data, &params, lk_method_cen, &options, last_cb,
                                               last, &error));
  g_assert_no_error (error);
}

/* A noise-free planted crowd: each participant sorts every grid by their own attribute (rho 0).
 * cen must name the attribute of every grid exactly, trained on or held out (after matching
 * dimensions to attributes), and predict the held-out pairs. k-means of the embedding into the
 * 16 combinations is near clean: with gamma 6 it was exactly clean, with gamma 1 (lk-cen.c's
 * header) the same-bin pairs are pulled together less hard, and the items of one combination
 * are not one point (MCC 0.95; no single dimension separates an attribute's two values: the
 * weighting a mixes dimensions). */
static void
test_planted_crowd (void)
{
  Last last = { 0 };

  run_planted (4, &last);
  g_assert_cmpuint (last.phases, ==, 2);
  g_assert_cmpfloat (last.attribute_accuracy, ==, 1.0);
  g_assert_cmpfloat (last.attribute_accuracy_heldout, ==, 1.0);
  g_assert_cmpfloat (last.pair_accuracy, >, 0.99);
  g_assert_cmpfloat (last.mcc, >, 0.9);
  g_array_unref (last.embedding);
}

/* The same seed gives the same embedding bit for bit; another seed does not. */
static void
test_deterministic (void)
{
  Last a = { 0 }, b = { 0 }, c = { 0 };

  run_planted (9, &a);
  run_planted (9, &b);
  run_planted (10, &c);
  g_assert_cmpuint (a.embedding->len, ==, b.embedding->len);
  g_assert_true (memcmp (a.embedding->data, b.embedding->data,
                         sizeof (double) * a.embedding->len) == 0);
  g_assert_cmpfloat (a.pair_accuracy, ==, b.pair_accuracy);
  g_assert_false (memcmp (a.embedding->data, c.embedding->data,
                          sizeof (double) * a.embedding->len) == 0);
  g_array_unref (a.embedding);
  g_array_unref (b.embedding);
  g_array_unref (c.embedding);
}

/* lk_refiner_copy() copies cen's state: after the copy both refiners, fed the same answers,
 * end every phase with the same embedding, loss and participants. */
static void
test_refiner_copy (void)
{
  g_autoptr(LkDataset) data = lk_dataset_new_from_spec ("attributes:80", 2, NULL);
  g_autoptr(LkCrowd) crowd = lk_crowd_new (data, 2, NULL, 3);
  g_autoptr(LkRefiner) refiner = NULL;
  g_autoptr(GError) error = NULL;
  LkParams params;

  lk_params_init (&params);
  params.dim = 4;
  params.nq = 10;
  params.nc = 2;
  params.budget = 40;
  params.phases = 2;
  params.seed = 6;
  refiner = lk_refiner_new (80, &params, lk_method_cen, &error);
  g_assert_no_error (error);

  while (!lk_refiner_is_done (refiner))
    {
      g_autoptr(GPtrArray) batch = lk_refiner_select_queries (refiner,
                                                              lk_refiner_get_batch_size (refiner));
      g_autoptr(LkRefiner) copy = NULL;
      LkUpdateStats sa = { 0 }, sb = { 0 };

      for (guint q = 0; q < batch->len; q++)
        {
          lk_crowd_answer (crowd, g_ptr_array_index (batch, q));
          lk_refiner_add_answer (refiner, g_ptr_array_index (batch, q));
        }
      copy = lk_refiner_copy (refiner);
      lk_refiner_end_phase (refiner, &sa);
      lk_refiner_end_phase (copy, &sb);
      g_assert_cmpfloat (sa.stress, ==, sb.stress);
      g_assert_cmpmem (lk_embedding_get_data (lk_refiner_get_embedding (refiner)),
                       sizeof (double) * 80 * 4,
                       lk_embedding_get_data (lk_refiner_get_embedding (copy)),
                       sizeof (double) * 80 * 4);
      g_assert_cmpuint (lk_cen_get_n_participants (lk_refiner_get_state (refiner)), ==,
                        lk_cen_get_n_participants (lk_refiner_get_state (copy)));
    }
}

/* Grid synthesis (paper 001 section 4.6): after a phase of training, cen-synth's grids for
 * target attribute t all have a context whose argmax is t, and their context entropy is lower
 * than that of random grids, for each of the four attributes. */
static void
test_synth (void)
{
  g_autoptr(LkDataset) data = lk_dataset_new_from_spec ("attributes:200", 5, NULL);
  g_autoptr(LkCrowd) crowd = lk_crowd_new (data, 2, NULL, 8);
  const LkMethodType *method = lk_method_lookup ("cen-synth");
  g_autoptr(LkRefiner) refiner = NULL;
  g_autoptr(GPtrArray) batch = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(gsl_rng) rng = gsl_rng_alloc (gsl_rng_mt19937);
  LkUpdateStats stats;
  LkParams params;
  gpointer state;

  g_assert_nonnull (method);
  lk_params_init (&params);
  params.dim = 4;
  params.nq = 12;
  params.nc = 2;
  params.budget = 240;
  params.phases = 2;
  params.seed = 3;
  refiner = lk_refiner_new (200, &params, method, &error);
  g_assert_no_error (error);
  lk_crowd_set_participants (crowd, 8, 0.5);

  batch = lk_refiner_select_queries (refiner, lk_refiner_get_batch_size (refiner));
  for (guint q = 0; q < batch->len; q++)
    {
      lk_crowd_answer (crowd, g_ptr_array_index (batch, q));
      lk_refiner_add_answer (refiner, g_ptr_array_index (batch, q));
    }
  lk_refiner_end_phase (refiner, &stats);
  state = (gpointer) lk_refiner_get_state (refiner);
  gsl_rng_set (rng, 11);

  for (gint t = 0; t < 4; t++)
    {
      g_autoptr(GPtrArray) synth = NULL;
      g_autoptr(GPtrArray) random = NULL;
      double h_synth = 0.0, h_random = 0.0;

      lk_cen_set_target_attribute (state, t);
      g_assert_cmpint (lk_cen_get_target_attribute (state), ==, t);
      synth = lk_refiner_select_queries (refiner, 10);
      random = lk_query_policy_select (lk_query_policy_random,
                                       lk_refiner_get_embedding (refiner), &params, 10, rng);
      g_assert_cmpuint (synth->len, ==, 10);
      for (guint q = 0; q < 10; q++)
        {
          const LkQuery *a = g_ptr_array_index (synth, q), *b = g_ptr_array_index (random, q);
          guint top;

          g_assert_cmpuint (lk_query_get_n_items (a), ==, 12);
          h_synth += lk_query_policy_synth_entropy (state, lk_query_get_items (a), 12, &top);
          g_assert_cmpuint (top, ==, (guint) t);
          h_random += lk_query_policy_synth_entropy (state, lk_query_get_items (b), 12, NULL);
        }
      g_assert_cmpfloat (h_synth, <, h_random);
    }
}

/* classes:12x15 (paper 000's 180 letters of 12 fonts): 180 items, 15 of each class, every item
 * nearer its own class's mean than any other's; a malformed size is an error. */
static void
test_classes_dataset (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LkDataset) data = lk_dataset_new_from_spec ("classes:12x15", 2, &error);
  double mean[12 * 3] = { 0 };
  guint count[12] = { 0 };
  const double *f;
  const gint *labels;

  g_assert_no_error (error);
  g_assert_cmpuint (lk_dataset_get_n_items (data), ==, 180);
  g_assert_cmpuint (lk_dataset_get_dim (data), ==, 3);
  g_assert_cmpuint (lk_dataset_get_n_labels (data), ==, 12);
  f = lk_dataset_get_features (data);
  labels = lk_dataset_get_labels (data);
  for (guint i = 0; i < 180; i++)
    {
      g_assert_cmpint (labels[i], >=, 0);
      g_assert_cmpint (labels[i], <, 12);
      count[labels[i]]++;
      for (guint k = 0; k < 3; k++)
        mean[labels[i] * 3 + k] += f[i * 3 + k] / 15.0;
    }
  for (guint c = 0; c < 12; c++)
    g_assert_cmpuint (count[c], ==, 15);
  for (guint i = 0; i < 180; i++)
    {
      guint nearest = 0;
      double best = INFINITY;

      for (guint c = 0; c < 12; c++)
        {
          double d2 = 0.0;

          for (guint k = 0; k < 3; k++)
            d2 += (f[i * 3 + k] - mean[c * 3 + k]) * (f[i * 3 + k] - mean[c * 3 + k]);
          if (d2 < best)
            {
              best = d2;
              nearest = c;
            }
        }
      g_assert_cmpuint (nearest, ==, (guint) labels[i]);
    }

  for (guint b = 0; b < 4; b++)
    {
      const char *bad[] = { "classes:12", "classes:1x15", "classes:12x0", "classes:ax3" };
      g_autoptr(GError) e = NULL;

      g_assert_null (lk_dataset_new_from_spec (bad[b], 1, &e));
      g_assert_error (e, LK_CORE_ERROR, LK_CORE_ERROR_INVALID_ARGUMENT);
    }
}

/* MCC's closed form on a hand-worked table: [[3, 1], [1, 3]]: s = 8, c = 6, p = t = (4, 4):
 * (6 * 8 - 32) / sqrt ((64 - 32) (64 - 32)) = 16 / 32 = 0.5; a perfect table gives 1. */
static void
test_mcc (void)
{
  const guint table[] = { 3, 1, 1, 3 }, perfect[] = { 5, 0, 0, 2 };

  g_assert_cmpfloat_with_epsilon (lk_simulate_mcc (table, 2), 0.5, 1e-12);
  g_assert_cmpfloat_with_epsilon (lk_simulate_mcc (perfect, 2), 1.0, 1e-12);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cen/attribute-crowd", test_attribute_crowd);
  g_test_add_func ("/cen/attribute-crowd-most-varied", test_attribute_crowd_most_varied);
  g_test_add_func ("/cen/attribute-crowd-tie", test_attribute_crowd_tie);
  g_test_add_func ("/cen/gradient", test_gradient);
  g_test_add_func ("/cen/spectral-start", test_spectral_start);
  g_test_add_func ("/cen/answer-latent", test_answer_latent);
  g_test_add_func ("/cen/planted-crowd", test_planted_crowd);
  g_test_add_func ("/cen/deterministic", test_deterministic);
  g_test_add_func ("/cen/mcc", test_mcc);
  g_test_add_func ("/cen/synth", test_synth);
  g_test_add_func ("/cen/classes-dataset", test_classes_dataset);
  g_test_add_func ("/cen/refiner-copy", test_refiner_copy);

  return g_test_run ();
}
