/* test-refine.c — the refiner's phases and the simulation's reports
 *
 * test-loop.c checks batch sizes, determinism and the directions of the paper's Fig. 9 and 10;
 * here the refiner's bookkeeping is followed call by call, the first phase is compared with
 * the random policy run by hand, and every figure of a phase report is recomputed
 * independently from the embedding it comes with.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <math.h>
#include <stdlib.h>

#include "lk-core.h"

/* The phase counter, the batch size and the answer counts through a whole run of 103 queries
 * in 5 phases (21, 21, 21, 20, 20). */
static void
test_lifecycle (void)
{
  const guint n = 120, expected[] = { 21, 21, 21, 20, 20 };
  g_autoptr(LkDataset) data = lk_dataset_new_from_spec ("colors:120", 1, NULL);
  g_autoptr(LkCrowd) crowd = lk_crowd_new (data, 4, NULL, 5);
  g_autoptr(LkRefiner) refiner = NULL;
  g_autoptr(GError) error = NULL;
  LkParams params;
  guint total = 0;

  lk_params_init (&params);
  params.budget = 103;
  params.iterations = 10;
  refiner = lk_refiner_new (n, &params, lk_method_paper, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (lk_refiner_get_n_items (refiner), ==, n);
  g_assert_cmpuint (lk_refiner_get_n_phases (refiner), ==, 5);
  g_assert_true (lk_refiner_get_method (refiner) == lk_method_paper);
  g_assert_cmpuint (lk_embedding_get_n_items (lk_refiner_get_embedding (refiner)), ==, n);
  g_assert_cmpuint (lk_embedding_get_dim (lk_refiner_get_embedding (refiner)), ==, 3);

  for (guint p = 0; p < 5; p++)
    {
      g_autoptr(GPtrArray) batch = NULL;
      LkUpdateStats stats = { 0 };

      g_assert_true (!lk_refiner_is_done (refiner));
      g_assert_cmpuint (lk_refiner_get_phase (refiner), ==, p);
      g_assert_cmpuint (lk_refiner_get_batch_size (refiner), ==, expected[p]);
      batch = lk_refiner_select_queries (refiner, lk_refiner_get_batch_size (refiner));
      g_assert_cmpuint (batch->len, ==, expected[p]);
      for (guint q = 0; q < batch->len; q++)
        {
          lk_crowd_answer (crowd, g_ptr_array_index (batch, q));
          lk_refiner_add_answer (refiner, g_ptr_array_index (batch, q));
          g_assert_cmpuint (lk_refiner_get_n_batch_answers (refiner), ==, q + 1);
        }
      total += batch->len;
      g_assert_cmpuint (lk_refiner_get_answers (refiner)->len, ==, total);
      lk_refiner_end_phase (refiner, &stats);
      g_assert_cmpuint (lk_refiner_get_n_batch_answers (refiner), ==, 0);
      g_assert_cmpuint (stats.iterations, >=, 1);
      g_assert_cmpuint (stats.iterations, <=, params.iterations);
      g_assert_true (isfinite (stats.stress));
    }
  g_assert_true (lk_refiner_is_done (refiner));
  g_assert_cmpuint (lk_refiner_get_phase (refiner), ==, 5);
  g_assert_cmpuint (lk_refiner_get_batch_size (refiner), ==, 0);
  g_assert_cmpuint (total, ==, 103);
}

/* The refiner copies its parameters: changing the caller's afterwards changes nothing. */
static void
test_params_copied (void)
{
  LkParams params;
  g_autoptr(LkRefiner) refiner = NULL;

  lk_params_init (&params);
  params.budget = 50;
  refiner = lk_refiner_new (100, &params, lk_method_paper, NULL);
  params.budget = 7;
  params.nq = 3;
  g_assert_cmpuint (lk_refiner_get_params (refiner)->budget, ==, 50);
  g_assert_cmpuint (lk_refiner_get_params (refiner)->nq, ==, 20);
}

/* Parameters that do not fit the collection are refused with an error, not a crash. */
static void
test_new_rejects (void)
{
  LkParams params;
  g_autoptr(GError) error = NULL;
  g_autoptr(LkRefiner) small = NULL;
  g_autoptr(LkRefiner) beta = NULL;
  g_autoptr(GError) beta_error = NULL;

  lk_params_init (&params);
  /* 30 items cannot hold k = 40 neighbours. */
  small = lk_refiner_new (30, &params, lk_method_paper, &error);
  g_assert_true (small == NULL);
  g_assert_error (error, LK_CORE_ERROR, LK_CORE_ERROR_INVALID_ARGUMENT);

  params.beta = 0.5;
  beta = lk_refiner_new (300, &params, lk_method_paper, &beta_error);
  g_assert_true (beta == NULL);
  g_assert_error (beta_error, LK_CORE_ERROR, LK_CORE_ERROR_INVALID_ARGUMENT);
}

/* The first phase's queries are exactly what the random policy draws on the initial random
 * embedding from the same seed, for the paper's method as for the random baseline. (The
 * refiner seeds one generator, draws the embedding from it, then the queries.) */
static void
test_first_phase_is_random_policy (void)
{
  const LkMethodType *methods[] = { lk_method_paper, lk_method_random };
  const guint n = 150;

  for (guint m = 0; m < G_N_ELEMENTS (methods); m++)
    {
      LkParams params;
      g_autoptr(LkRefiner) refiner = NULL;
      g_autoptr(gsl_rng) rng = NULL;
      g_autoptr(LkEmbedding) e = NULL;
      g_autoptr(GPtrArray) got = NULL, want = NULL, local = NULL;
      gboolean differs_from_local = FALSE;

      lk_params_init (&params);
      params.seed = 2385;
      refiner = lk_refiner_new (n, &params, methods[m], NULL);
      got = lk_refiner_select_queries (refiner, 12);

      rng = lk_rng_new (2385);
      e = lk_embedding_new_random (n, params.dim, rng);
      g_assert_cmpmem (lk_embedding_get_data (e), sizeof (double) * n * params.dim,
                       lk_embedding_get_data (lk_refiner_get_embedding (refiner)),
                       sizeof (double) * n * params.dim);
      want = lk_query_policy_select (lk_query_policy_random, e, &params, 12, rng);

      g_clear_pointer (&rng, gsl_rng_free);
      rng = lk_rng_new (2385);
      lk_embedding_free (lk_embedding_new_random (n, params.dim, rng));
      local = lk_query_policy_select (lk_query_policy_local, e, &params, 12, rng);

      for (guint q = 0; q < 12; q++)
        {
          const guint *a = lk_query_get_items (g_ptr_array_index (got, q));
          const guint *b = lk_query_get_items (g_ptr_array_index (want, q));
          const guint *c = lk_query_get_items (g_ptr_array_index (local, q));

          g_assert_cmpmem (a, sizeof (guint) * params.nq, b, sizeof (guint) * params.nq);
          for (guint i = 0; i < params.nq; i++)
            differs_from_local |= a[i] != c[i];
        }
      /* The check can tell the two policies apart. */
      g_assert_true (differs_from_local);
    }
}

/* The random baseline asks its whole budget in one phase whatever params.phases says. */
static void
test_random_single_phase (void)
{
  LkParams params;
  g_autoptr(LkRefiner) refiner = NULL;

  lk_params_init (&params);
  params.budget = 77;
  params.phases = 7;
  refiner = lk_refiner_new (100, &params, lk_method_random, NULL);
  g_assert_cmpuint (lk_refiner_get_n_phases (refiner), ==, 1);
  g_assert_cmpuint (lk_refiner_get_batch_size (refiner), ==, 77);
}

typedef struct {
  const LkDataset *data;
  GArray          *reports;
  gboolean         checked_recall;
} Collect;

static int
compare_double (const void *a,
                const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

/* Stores in @out the 10 nearest other rows of @x (n x dim) to row @i, by sorting all distances. */
static void
brute_nn10 (const double *x,
            guint         n,
            guint         dim,
            guint         i,
            guint        *out)
{
  g_autofree double *pairs = g_new (double, 2 * n);
  guint m = 0;

  for (guint j = 0; j < n; j++)
    {
      double d = 0.0;

      if (j == i)
        continue;
      for (guint c = 0; c < dim; c++)
        d += (x[i * dim + c] - x[j * dim + c]) * (x[i * dim + c] - x[j * dim + c]);
      pairs[2 * m] = d;
      pairs[2 * m + 1] = j;
      m++;
    }
  qsort (pairs, m, 2 * sizeof (double), compare_double);
  for (guint r = 0; r < 10; r++)
    out[r] = (guint) pairs[2 * r + 1];
}

/* Recomputes recall10 and its histogram from the report's embedding and the dataset's
 * features, by brute force: the share of each item's true 10-NN among its embedded 10-NN. */
static void
collect_cb (const LkPhaseReport *r,
            gpointer             user_data)
{
  Collect *c = user_data;
  guint n = lk_dataset_get_n_items (c->data);
  guint hist[11] = { 0 }, sum = 0, hits_total = 0;

  g_array_append_vals (c->reports, r, 1);
  g_assert_true (r->embedding != NULL);
  for (guint i = 0; i < n; i++)
    {
      guint t[10], l[10], hits = 0;

      brute_nn10 (lk_dataset_get_features (c->data), n, lk_dataset_get_dim (c->data), i, t);
      brute_nn10 (lk_embedding_get_data (r->embedding), n, lk_embedding_get_dim (r->embedding),
                  i, l);
      for (guint a = 0; a < 10; a++)
        for (guint b = 0; b < 10; b++)
          hits += t[a] == l[b];
      hist[hits]++;
      hits_total += hits;
    }
  g_assert_cmpfloat_with_epsilon (r->recall10, hits_total / (10.0 * n), 1e-12);
  for (guint h = 0; h <= 10; h++)
    {
      g_assert_cmpuint (r->recall10_histogram[h], ==, hist[h]);
      sum += r->recall10_histogram[h];
    }
  g_assert_cmpuint (sum, ==, n);
  c->checked_recall = TRUE;
}

/* One report per phase, numbered from 1, with the queries answered so far, a recall that
 * matches a brute-force recount, and a cluster error only where there are labels. */
static void
test_reports (void)
{
  const char *specs[] = { "colors:120", "blobs:120" };
  const guint cumulative[] = { 21, 42, 63, 83, 103 };

  for (guint s = 0; s < G_N_ELEMENTS (specs); s++)
    {
      g_autoptr(LkDataset) data = lk_dataset_new_from_spec (specs[s], 3, NULL);
      g_autoptr(GArray) reports = g_array_new (FALSE, FALSE, sizeof (LkPhaseReport));
      g_autoptr(GError) error = NULL;
      Collect c = { data, reports, FALSE };
      LkParams params;

      lk_params_init (&params);
      params.budget = 103;
      params.iterations = 30;
      params.seed = 3;
      g_assert_true (lk_simulate_run (data, &params, lk_method_paper, NULL, collect_cb, &c, &error));
      g_assert_no_error (error);
      g_assert_true (c.checked_recall);
      g_assert_cmpuint (reports->len, ==, 5);
      for (guint p = 0; p < 5; p++)
        {
          const LkPhaseReport *r = &g_array_index (reports, LkPhaseReport, p);

          g_assert_cmpuint (r->phase, ==, p + 1);
          g_assert_cmpuint (r->queries, ==, cumulative[p]);
          g_assert_cmpfloat (r->cooccurrence_locality, >=, 0.0);
          g_assert_cmpfloat (r->cooccurrence_locality, <=, 1.0);
          g_assert_cmpfloat (r->seconds, >=, 0.0);
          if (s == 0)
            {
              g_assert_true (isnan (r->cluster_error));
            }
          else
            {
              g_assert_cmpfloat (r->cluster_error, >=, 0.0);
              g_assert_cmpfloat (r->cluster_error, <=, 1.0);
            }
        }
    }
}

/* The random baseline reports once, with the whole budget answered. */
static void
test_reports_random (void)
{
  g_autoptr(LkDataset) data = lk_dataset_new_from_spec ("colors:100", 1, NULL);
  g_autoptr(GArray) reports = g_array_new (FALSE, FALSE, sizeof (LkPhaseReport));
  Collect c = { data, reports, FALSE };
  LkParams params;

  lk_params_init (&params);
  params.budget = 60;
  params.iterations = 30;
  g_assert_true (lk_simulate_run (data, &params, lk_method_random, NULL, collect_cb, &c, NULL));
  g_assert_cmpuint (reports->len, ==, 1);
  g_assert_cmpuint (g_array_index (reports, LkPhaseReport, 0).phase, ==, 1);
  g_assert_cmpuint (g_array_index (reports, LkPhaseReport, 0).queries, ==, 60);
}

/* A simulation refuses a collection too small for 10-NN recall and parameters that do not fit. */
static void
test_simulate_rejects (void)
{
  const double x[] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9 };
  g_autoptr(LkDataset) ten = lk_dataset_new (10, 1, x, NULL);
  g_autoptr(LkDataset) data = lk_dataset_new_from_spec ("colors:100", 1, NULL);
  g_autoptr(GError) small_error = NULL;
  g_autoptr(GError) nc_error = NULL;
  LkParams params;

  lk_params_init (&params);
  params.nq = 4;
  params.knn_k = 5;
  g_assert_true (!lk_simulate_run (ten, &params, lk_method_paper, NULL, NULL, NULL, &small_error));
  g_assert_error (small_error, LK_CORE_ERROR, LK_CORE_ERROR_INVALID_ARGUMENT);

  lk_params_init (&params);
  params.nc = 1;
  g_assert_true (!lk_simulate_run (data, &params, lk_method_paper, NULL, NULL, NULL, &nc_error));
  g_assert_error (nc_error, LK_CORE_ERROR, LK_CORE_ERROR_INVALID_ARGUMENT);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/lk/core/refine/lifecycle", test_lifecycle);
  g_test_add_func ("/lk/core/refine/params-copied", test_params_copied);
  g_test_add_func ("/lk/core/refine/new-rejects", test_new_rejects);
  g_test_add_func ("/lk/core/refine/first-phase-is-random-policy", test_first_phase_is_random_policy);
  g_test_add_func ("/lk/core/refine/random-single-phase", test_random_single_phase);
  g_test_add_func ("/lk/core/simulate/reports", test_reports);
  g_test_add_func ("/lk/core/simulate/reports-random", test_reports_random);
  g_test_add_func ("/lk/core/simulate/rejects", test_simulate_rejects);

  return g_test_run ();
}
