/* test-crowdclust.c — Crowdclustering's variational updates on a hand-worked case, the DP
 * mixture's split on a hand-made two-cluster input, pair labels from answers, Gomes' design and
 * the crowdcluster method in the refinement loop
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <math.h>

#include "lk-core.h"
#include "lk-crowdclust.h"
#include "lk-dpmix.h"
#include "lk-method-private.h"

static double
sigmoid (double z)
{
  return 1 / (1 + exp (-z));
}

static double
lambda_of (double delta)
{
  return (0.5 - sigmoid (delta)) / (2 * delta);
}

/* Two items, one worker, one "together" label, D = 1. In one dimension every update of the
 * spec's §1.4 is a scalar formula, written out here from the model, not from the C code:
 *   delta^2 = E[x_a^2] E[x_b^2] (M^2 + S) + 2 m mu_a M mu_b + m^2 + v
 *   item i (other b): c = l/2 + 2 lambda m,  s_i = 1 / (1/sig_x - 2 lambda E[x_b^2] (M^2 + S)),
 *                     mu_i = s_i c M mu_b
 *   worker:           S = 1 / (1/sig_w - 2 lambda E[x_a^2] E[x_b^2]),  M = S c mu_a mu_b
 *   bias:             v = 1 / (1/sig_tau - 2 lambda),  m = v (l/2 + 2 lambda mu_a M mu_b)
 * The first steps by hand: mu = (1, 2), s = 5, M = 1, S = 10, m = 0, v = 1, so
 * delta^2 = (1 + 5)(4 + 5)(1 + 10) + 1 = 595, delta = 24.3926, lambda = (1/2 - sigma(delta)) /
 * (2 delta) = -0.0102490; item 0: c = 1/2, s_0 = 1 / (0.2 + 0.0204980 * 9 * 11) = 0.448571 and
 * mu_0 = s_0 * 1/2 * 2 = 0.448571; item 1 then sees E[x_0^2] = 0.448571^2 + 0.448571 = 0.649789:
 * s_1 = 1 / (0.2 + 0.0204980 * 0.649789 * 11) = 2.88590, mu_1 = s_1 * 1/2 * 0.448571 = 0.647265. */
static void
test_two_items (void)
{
  LkCcLabel label = { 0, 1, 0, 1 };
  const double init[2] = { 1.0, 2.0 };
  g_autoptr(LkCrowdclust) cc = NULL;
  g_autoptr(GError) error = NULL;
  double mu[2] = { 1.0, 2.0 }, s[2] = { 5, 5 }, wm = 1, ws = 10, tm = 0, tv = 1, delta, lam;

  cc = lk_crowdclust_new (&label, 1, 2, 1, 1, NULL, init, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat_with_epsilon (lk_crowdclust_get_delta (cc, 0), sqrt (595.0), 1e-12);
  delta = sqrt (595.0);
  lam = lambda_of (delta);

  for (guint it = 0; it < 3; it++)
    {
      double eaa, ebb, c;

      for (guint i = 0; i < 2; i++)
        {
          guint b = 1 - i;
          double eb = mu[b] * mu[b] + s[b];

          c = 0.5 + 2 * lam * tm;
          s[i] = 1 / (1.0 / 5 - 2 * lam * eb * (wm * wm + ws));
          mu[i] = s[i] * c * wm * mu[b];
        }
      eaa = mu[0] * mu[0] + s[0];
      ebb = mu[1] * mu[1] + s[1];
      c = 0.5 + 2 * lam * tm;
      ws = 1 / (1.0 / 10 - 2 * lam * eaa * ebb);
      wm = ws * c * mu[0] * mu[1];
      tv = 1 / (1.0 - 2 * lam);
      tm = tv * (0.5 + 2 * lam * mu[0] * wm * mu[1]);
      delta = sqrt (eaa * ebb * (wm * wm + ws) + 2 * tm * mu[0] * wm * mu[1] + tm * tm + tv);
      lam = lambda_of (delta);

      lk_crowdclust_iterate (cc);
      if (it == 0)
        {
          g_assert_cmpfloat_with_epsilon (lk_crowdclust_get_mu (cc)[0], 0.448571, 1e-6);
          g_assert_cmpfloat_with_epsilon (lk_crowdclust_get_sig_x (cc)[1], 2.88590, 1e-5);
          g_assert_cmpfloat_with_epsilon (lk_crowdclust_get_mu (cc)[1], 0.647265, 1e-6);
        }
      for (guint i = 0; i < 2; i++)
        {
          g_assert_cmpfloat_with_epsilon (lk_crowdclust_get_mu (cc)[i], mu[i], 1e-12);
          g_assert_cmpfloat_with_epsilon (lk_crowdclust_get_sig_x (cc)[i], s[i], 1e-12);
        }
      g_assert_cmpfloat_with_epsilon (lk_crowdclust_get_worker_mean (cc, 0)[0], wm, 1e-12);
      g_assert_cmpfloat_with_epsilon (lk_crowdclust_get_worker_variance (cc, 0)[0], ws, 1e-12);
      g_assert_cmpfloat_with_epsilon (lk_crowdclust_get_bias_mean (cc, 0), tm, 1e-12);
      g_assert_cmpfloat_with_epsilon (lk_crowdclust_get_bias_variance (cc, 0), tv, 1e-12);
      g_assert_cmpfloat_with_epsilon (lk_crowdclust_get_delta (cc, 0), delta, 1e-12);
    }
  /* "Together" pulls the two positions to the same side: their product is positive. */
  g_assert_cmpfloat (lk_crowdclust_get_mu (cc)[0] * lk_crowdclust_get_mu (cc)[1], >, 0);
}

/* With D = 2 the worker matrix stays symmetric although the port solves for both triangles. */
static void
test_worker_matrix_symmetric (void)
{
  const LkCcLabel labels[] = {
    { 0, 1, 0, 1 }, { 0, 2, 0, -1 }, { 1, 2, 0, -1 }, { 2, 3, 0, 1 }, { 0, 3, 0, -1 },
  };
  const double init[8] = { 0.3, -1.1, 0.7, 0.25, -0.9, 1.4, -0.35, 0.6 };
  g_autoptr(LkCrowdclust) cc = NULL;
  g_autoptr(GError) error = NULL;
  const double *m;

  cc = lk_crowdclust_new (labels, G_N_ELEMENTS (labels), 4, 1, 2, NULL, init, NULL, &error);
  g_assert_no_error (error);
  for (guint it = 0; it < 10; it++)
    g_assert_true (isfinite (lk_crowdclust_iterate (cc)));
  m = lk_crowdclust_get_worker_mean (cc, 0);
  g_assert_cmpfloat_with_epsilon (m[1], m[2], 1e-12);
}

static void
test_invalid_labels (void)
{
  LkCcLabel bad = { 0, 0, 0, 1 };
  const double init[2] = { 0, 0 };
  g_autoptr(GError) error = NULL;
  LkCrowdclust *cc = lk_crowdclust_new (&bad, 1, 2, 1, 1, NULL, init, NULL, &error);

  g_assert_null (cc);
  g_assert_error (error, LK_CORE_ERROR, LK_CORE_ERROR_INVALID_ARGUMENT);
}

/* Two hand-placed groups of 12 points in 2-D, centres 10 apart, spread 0.5: one split. A single
 * group of 24 stays one cluster. */
static void
test_dp_split (void)
{
  const double offsets[12][2] = {
    { 0.31, -0.12 }, { -0.45, 0.27 }, { 0.08, 0.52 }, { -0.21, -0.38 }, { 0.47, 0.19 },
    { -0.06, -0.49 }, { 0.36, 0.41 }, { -0.52, 0.03 }, { 0.14, -0.27 }, { -0.33, 0.46 },
    { 0.22, 0.09 }, { -0.17, -0.11 },
  };
  double two[24 * 2], one[24 * 2];
  g_autoptr(LkDpmix) dp = NULL;
  g_autoptr(LkDpmix) single = NULL;
  g_autoptr(GError) error = NULL;
  const guint *cl;

  for (guint i = 0; i < 24; i++)
    {
      guint g = i % 2;

      two[i * 2] = (g == 0 ? -5.0 : 5.0) + offsets[i / 2][0];
      two[i * 2 + 1] = 1.5 + offsets[i / 2][1];
      one[i * 2] = offsets[i / 2][0] * (g == 0 ? 1 : -1.3);
      one[i * 2 + 1] = offsets[i / 2][1] * (g == 0 ? 1 : 0.7);
    }

  dp = lk_dpmix_fit (two, 24, 2, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (lk_dpmix_get_n_clusters (dp), ==, 2);
  cl = lk_dpmix_get_clusters (dp);
  for (guint i = 0; i < 24; i++)
    g_assert_cmpuint (cl[i] == cl[0], ==, i % 2 == 0);
  for (guint i = 0; i < 24; i++)
    {
      const double *row = lk_dpmix_get_q (dp) + (gsize) i * lk_dpmix_get_n_columns (dp);
      double sum = 0;

      for (guint c = 0; c < lk_dpmix_get_n_columns (dp); c++)
        sum += row[c];
      g_assert_cmpfloat_with_epsilon (sum, 1.0, 1e-12);
    }

  single = lk_dpmix_fit (one, 24, 2, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (lk_dpmix_get_n_clusters (single), ==, 1);
}

static void
test_dp_degenerate (void)
{
  const double same[6] = { 1, 2, 1, 2, 1, 2 };
  g_autoptr(GError) error = NULL;
  LkDpmix *dp = lk_dpmix_fit (same, 3, 2, &error);

  g_assert_null (dp);
  g_assert_error (error, LK_CORE_ERROR, LK_CORE_ERROR_INVALID_ARGUMENT);
}

/* All pairs of a grid, +1 in one bin, -1 apart; a left-out image gives no pairs. */
static void
test_labels_from_answer (void)
{
  const guint items[4] = { 7, 3, 9, 1 };
  const gint bins[4] = { 0, 1, LK_BIN_LEFT_OUT, 0 };
  g_autoptr(LkQuery) q = lk_query_new (items, 4);
  g_autoptr(GArray) labels = g_array_new (FALSE, FALSE, sizeof (LkCcLabel));
  g_autoptr(GError) error = NULL;
  const LkCcLabel *l;

  lk_cc_labels_add_query (labels, q, 2);
  g_assert_cmpuint (labels->len, ==, 0);   /* not answered */
  g_assert_true (lk_query_set_answer (q, bins, 2, &error));
  lk_cc_labels_add_query (labels, q, 2);
  g_assert_cmpuint (labels->len, ==, 3);
  l = (const LkCcLabel *) labels->data;
  g_assert_cmpuint (l[0].a, ==, 7);
  g_assert_cmpuint (l[0].b, ==, 3);
  g_assert_cmpint (l[0].label, ==, -1);
  g_assert_cmpuint (l[1].a, ==, 7);
  g_assert_cmpuint (l[1].b, ==, 1);
  g_assert_cmpint (l[1].label, ==, 1);
  g_assert_cmpuint (l[2].a, ==, 3);
  g_assert_cmpuint (l[2].b, ==, 1);
  g_assert_cmpint (l[2].label, ==, -1);
  g_assert_cmpuint (l[2].worker, ==, 2);
}

/* The design counts of the spec's table. */
static void
test_design_hits (void)
{
  g_assert_cmpuint (lk_crowdclust_design_hits (100, 8), ==, 175);
  g_assert_cmpuint (lk_crowdclust_design_hits (300, 8), ==, 825);
  g_assert_cmpuint (lk_crowdclust_design_hits (2000, 8), ==, 10000);
  g_assert_cmpuint (lk_crowdclust_design_hits (300, 4), ==, 2475);
}

/* The method in the loop: one phase of Gomes' grids, each image a seed in turn, answered by the
 * simulated crowd; the same seed gives the same embedding. */
static void
test_method (void)
{
  const LkMethodType *method = lk_method_lookup ("crowdcluster");
  g_autoptr(LkDataset) data = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree double *first = NULL;
  LkParams params;

  g_assert_nonnull (method);
  g_assert_true (method->single_phase);
  data = lk_dataset_new_from_spec ("blobs:60", 1, &error);
  g_assert_no_error (error);
  lk_params_init (&params);
  params.nq = 8;
  params.budget = 60;
  params.dim = 4;

  for (guint run = 0; run < 2; run++)
    {
      g_autoptr(LkRefiner) refiner = lk_refiner_new (60, &params, method, &error);
      g_autoptr(LkCrowd) crowd = lk_crowd_new (data, params.nc, NULL, 7);
      g_autoptr(GPtrArray) queries = NULL;
      g_autofree guint *seen = g_new0 (guint, 60);
      const double *e;
      LkUpdateStats stats = { 0 };

      g_assert_no_error (error);
      queries = lk_refiner_select_queries (refiner, lk_refiner_get_batch_size (refiner));
      g_assert_cmpuint (queries->len, ==, 60);
      for (guint q = 0; q < queries->len; q++)
        {
          LkQuery *query = g_ptr_array_index (queries, q);

          for (guint p = 0; p < 8; p++)
            seen[lk_query_get_item (query, p)]++;
          lk_crowd_answer (crowd, query);
          lk_refiner_add_answer (refiner, query);
        }
      /* Each grid has ceil(8 / V) = 1 seed, dealt in turn: every image is shown. */
      for (guint i = 0; i < 60; i++)
        g_assert_cmpuint (seen[i], >=, 1);
      lk_refiner_end_phase (refiner, &stats);
      g_assert_true (lk_refiner_is_done (refiner));
      g_assert_cmpuint (stats.iterations, ==, LK_CROWDCLUST_ITERATIONS);
      g_assert_cmpuint (stats.pairs_updated, >, 0);

      e = lk_embedding_get_data (lk_refiner_get_embedding (refiner));
      if (run == 0)
        first = g_memdup2 (e, sizeof (double) * 60 * 4);
      else
        for (guint k = 0; k < 60 * 4; k++)
          g_assert_cmpfloat (e[k], ==, first[k]);
    }
}

/* Each participant of the answers is a worker of the model (numbered in order of first
 * appearance); answers without one are one worker between them. */
static void
test_method_workers (void)
{
  const LkMethodType *method = lk_method_lookup ("crowdcluster");
  g_autoptr(LkDataset) data = lk_dataset_new_from_spec ("blobs:40", 1, NULL);
  LkParams params;

  lk_params_init (&params);
  params.nq = 8;
  params.budget = 30;
  params.dim = 4;
  params.knn_k = 10;
  for (guint n_participants = 0; n_participants <= 3; n_participants++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(LkRefiner) refiner = lk_refiner_new (40, &params, method, &error);
      g_autoptr(LkCrowd) crowd = lk_crowd_new (data, params.nc, NULL, 3);
      g_autoptr(GPtrArray) queries = NULL;
      LkUpdateStats stats = { 0 };

      g_assert_no_error (error);
      queries = lk_refiner_select_queries (refiner, lk_refiner_get_batch_size (refiner));
      for (guint q = 0; q < queries->len; q++)
        {
          LkQuery *query = g_ptr_array_index (queries, q);

          if (n_participants > 0)
            lk_query_set_participant (query, 100 + q % n_participants);
          lk_crowd_answer (crowd, query);
          lk_refiner_add_answer (refiner, query);
        }
      lk_refiner_end_phase (refiner, &stats);
      g_assert_cmpuint (_lk_method_crowdcluster_get_n_workers (lk_refiner_get_state (refiner)),
                        ==, MAX (n_participants, 1));
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/crowdclust/two-items", test_two_items);
  g_test_add_func ("/crowdclust/method-workers", test_method_workers);
  g_test_add_func ("/crowdclust/worker-matrix-symmetric", test_worker_matrix_symmetric);
  g_test_add_func ("/crowdclust/invalid-labels", test_invalid_labels);
  g_test_add_func ("/crowdclust/labels-from-answer", test_labels_from_answer);
  g_test_add_func ("/crowdclust/design-hits", test_design_hits);
  g_test_add_func ("/dpmix/split", test_dp_split);
  g_test_add_func ("/dpmix/degenerate", test_dp_degenerate);
  g_test_add_func ("/crowdclust/method", test_method);

  return g_test_run ();
}
