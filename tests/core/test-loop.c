/* test-loop.c — the refinement loop: seed selection, query policies, batches, determinism,
 * and the directions the paper's Fig. 9 and 10 show, on small cases
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <math.h>

#include "lk-core.h"

static gboolean
contains (const guint *list,
          guint        n,
          guint        value)
{
  for (guint i = 0; i < n; i++)
    if (list[i] == value)
      return TRUE;
  return FALSE;
}

/* Within one round no seed may be among another seed's k-NN, either way. A round ends when no
 * admissible item remains; asking for fewer seeds than one round can hold keeps us inside the
 * first round, and checking every pair of seeds then covers the rule. */
static void
test_seeds_not_neighbours (void)
{
  const guint n = 300, k = 12, dim = 2;
  g_autoptr(gsl_rng) rng = lk_rng_new (2385);
  g_autoptr(LkEmbedding) e = lk_embedding_new_random (n, dim, rng);
  g_autofree guint *knn = lk_knn_compute (lk_embedding_get_data (e), n, dim, k, NULL);

  for (guint64 seed = 1; seed <= 5; seed++)
    {
      g_autoptr(gsl_rng) r = lk_rng_new (seed);
      /* Each seed blocks itself and its 12 neighbours: 10 seeds block at most 130 of 300. */
      g_autofree guint *seeds = lk_query_policy_local_seeds (knn, n, k, 10, r);

      for (guint a = 0; a < 10; a++)
        for (guint b = 0; b < 10; b++)
          {
            if (a == b)
              continue;
            g_assert_cmpuint (seeds[a], !=, seeds[b]);
            g_assert_true (!contains (knn + (gsize) seeds[a] * k, k, seeds[b]));
          }
    }
}

/* Asking for many more seeds than a round holds starts new rounds: all seeds are valid items,
 * and every item comes up before any item comes up a third time (rounds cover the set). */
static void
test_seeds_many_rounds (void)
{
  const guint n = 60, k = 8, dim = 2;
  g_autoptr(gsl_rng) rng = lk_rng_new (7);
  g_autoptr(LkEmbedding) e = lk_embedding_new_random (n, dim, rng);
  g_autofree guint *knn = lk_knn_compute (lk_embedding_get_data (e), n, dim, k, NULL);
  g_autofree guint *seeds = lk_query_policy_local_seeds (knn, n, k, 500, rng);
  guint counts[60] = { 0 };

  for (guint s = 0; s < 500; s++)
    {
      g_assert_cmpuint (seeds[s], <, n);
      counts[seeds[s]]++;
    }
  /* 500 seeds over 60 items: no item may be starved. */
  for (guint i = 0; i < n; i++)
    g_assert_cmpuint (counts[i], >, 0);
}

static void
check_queries (GPtrArray         *queries,
               guint              n_queries,
               guint              nq,
               guint              n_items,
               const guint       *knn,
               guint              k)
{
  g_assert_cmpuint (queries->len, ==, n_queries);
  for (guint q = 0; q < queries->len; q++)
    {
      LkQuery *query = g_ptr_array_index (queries, q);
      const guint *items = lk_query_get_items (query);
      gboolean has_centre = knn == NULL;

      g_assert_cmpuint (lk_query_get_n_items (query), ==, nq);
      g_assert_true (!lk_query_is_answered (query));
      for (guint i = 0; i < nq; i++)
        {
          g_assert_cmpuint (items[i], <, n_items);
          for (guint j = i + 1; j < nq; j++)
            g_assert_cmpuint (items[i], !=, items[j]);
        }

      /* A local query is a seed with nq - 1 of its k-NN: some item has all others as neighbours. */
      for (guint c = 0; c < nq && !has_centre; c++)
        {
          gboolean all = TRUE;

          for (guint i = 0; i < nq && all; i++)
            if (i != c)
              all = contains (knn + (gsize) items[c] * k, k, items[i]);
          has_centre = all;
        }
      g_assert_true (has_centre);
    }
}

static void
test_policies (void)
{
  const guint n = 200;
  LkParams params;
  g_autoptr(gsl_rng) rng = lk_rng_new (11);
  g_autoptr(LkEmbedding) e = lk_embedding_new_random (n, 3, rng);
  g_autofree guint *knn = NULL;
  g_autoptr(GPtrArray) local = NULL, random = NULL;

  lk_params_init (&params);
  params.knn_k = 30;
  knn = lk_knn_compute (lk_embedding_get_data (e), n, 3, params.knn_k, NULL);

  local = lk_query_policy_select (lk_query_policy_local, e, &params, 25, rng);
  check_queries (local, 25, params.nq, n, knn, params.knn_k);

  random = lk_query_policy_select (lk_query_policy_random, e, &params, 25, rng);
  check_queries (random, 25, params.nq, n, NULL, 0);
}

/* The same seed gives the same queries; another seed gives others. */
static void
test_policies_deterministic (void)
{
  const LkQueryPolicyType *types[] = { lk_query_policy_local, lk_query_policy_random };
  LkParams params;

  lk_params_init (&params);
  for (guint t = 0; t < G_N_ELEMENTS (types); t++)
    {
      g_autoptr(gsl_rng) r1 = lk_rng_new (5), r2 = lk_rng_new (5), r3 = lk_rng_new (6);
      g_autoptr(LkEmbedding) e = lk_embedding_new_random (150, 3, r1);
      g_autoptr(GPtrArray) a = NULL, b = NULL, c = NULL;
      gboolean differ = FALSE;

      lk_embedding_free (lk_embedding_new_random (150, 3, r2));
      lk_embedding_free (lk_embedding_new_random (150, 3, r3));
      a = lk_query_policy_select (types[t], e, &params, 10, r1);
      b = lk_query_policy_select (types[t], e, &params, 10, r2);
      c = lk_query_policy_select (types[t], e, &params, 10, r3);
      for (guint q = 0; q < 10; q++)
        for (guint i = 0; i < params.nq; i++)
          {
            g_assert_cmpuint (lk_query_get_item (g_ptr_array_index (a, q), i), ==,
                              lk_query_get_item (g_ptr_array_index (b, q), i));
            differ |= lk_query_get_item (g_ptr_array_index (a, q), i) !=
                      lk_query_get_item (g_ptr_array_index (c, q), i);
          }
      g_assert_true (differ);
    }
}

/* Budget 103 in 5 phases: 21, 21, 21, 20, 20 (the remainder to the first phases). The random
 * method asks everything in one phase. */
static void
test_batch_sizes (void)
{
  const guint expected[] = { 21, 21, 21, 20, 20 };
  LkParams params;
  g_autoptr(LkRefiner) paper = NULL, random = NULL;
  g_autoptr(GError) error = NULL;

  lk_params_init (&params);
  params.budget = 103;
  paper = lk_refiner_new (100, &params, lk_method_paper, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (lk_refiner_get_n_phases (paper), ==, 5);
  for (guint p = 0; p < 5; p++)
    g_assert_cmpuint (lk_params_batch_size (lk_refiner_get_params (paper), p), ==, expected[p]);
  g_assert_cmpuint (lk_params_batch_size (lk_refiner_get_params (paper), 5), ==, 0);

  random = lk_refiner_new (100, &params, lk_method_random, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (lk_refiner_get_n_phases (random), ==, 1);
  g_assert_cmpuint (lk_refiner_get_batch_size (random), ==, 103);
}

/* The first phase asks random queries even for the paper's method: its grids are not k-NN
 * neighbourhoods of the (random) embedding, while the second phase's are. */
static void
test_first_phase_random (void)
{
  const guint n = 400;
  g_autoptr(LkDataset) data = lk_dataset_new_from_spec ("colors:400", 3, NULL);
  g_autoptr(LkCrowd) crowd = lk_crowd_new (data, 4, NULL, 9);
  g_autoptr(LkRefiner) refiner = NULL;
  g_autoptr(GPtrArray) first = NULL, second = NULL;
  g_autofree guint *knn = NULL;
  const LkEmbedding *e;
  LkParams params;
  guint local_first = 0;

  lk_params_init (&params);
  params.budget = 40;
  params.phases = 2;
  params.iterations = 20;
  refiner = lk_refiner_new (n, &params, lk_method_paper, NULL);

  e = lk_refiner_get_embedding (refiner);
  knn = lk_knn_compute (lk_embedding_get_data (e), n, 3, params.knn_k, NULL);
  first = lk_refiner_select_queries (refiner, 20);
  for (guint q = 0; q < first->len; q++)
    {
      const guint *items = lk_query_get_items (g_ptr_array_index (first, q));
      guint inside = 0;

      for (guint i = 1; i < params.nq; i++)
        inside += contains (knn + (gsize) items[0] * params.knn_k, params.knn_k, items[i]);
      /* A random grid has on average 19 * 40 / 399 < 2 of its items among one item's 40-NN. */
      local_first += inside == params.nq - 1;
    }
  g_assert_cmpuint (local_first, ==, 0);

  for (guint q = 0; q < first->len; q++)
    {
      lk_crowd_answer (crowd, g_ptr_array_index (first, q));
      lk_refiner_add_answer (refiner, g_ptr_array_index (first, q));
    }
  lk_refiner_end_phase (refiner, NULL);

  e = lk_refiner_get_embedding (refiner);
  g_free (knn);
  knn = lk_knn_compute (lk_embedding_get_data (e), n, 3, params.knn_k, NULL);
  second = lk_refiner_select_queries (refiner, 20);
  check_queries (second, 20, params.nq, n, knn, params.knn_k);
}

typedef struct {
  GArray *reports;
} Collect;

static void
collect_cb (const LkPhaseReport *r,
            gpointer             user_data)
{
  Collect *c = user_data;

  g_array_append_vals (c->reports, r, 1);
}

/* Returns the phase reports of a simulation. */
static GArray *
simulate (const char         *spec,
          const LkMethodType *method,
          guint               budget,
          guint               phases,
          guint               iterations,
          guint64             seed)
{
  g_autoptr(LkDataset) data = lk_dataset_new_from_spec (spec, seed, NULL);
  g_autoptr(GError) error = NULL;
  Collect c = { g_array_new (FALSE, FALSE, sizeof (LkPhaseReport)) };
  LkParams params;

  lk_params_init (&params);
  params.budget = budget;
  params.phases = phases;
  params.seed = seed;
  params.iterations = iterations;
  g_assert_true (lk_simulate_run (data, &params, method, NULL, collect_cb, &c, &error));
  g_assert_no_error (error);

  return c.reports;
}

static double
final_recall (GArray *reports)
{
  return g_array_index (reports, LkPhaseReport, reports->len - 1).recall10;
}

/* The same seed gives bit-identical figures; another seed does not. */
static void
test_simulation_deterministic (void)
{
  g_autoptr(GArray) a = simulate ("colors:200", lk_method_paper, 100, 3, 60, 4);
  g_autoptr(GArray) b = simulate ("colors:200", lk_method_paper, 100, 3, 60, 4);
  g_autoptr(GArray) c = simulate ("colors:200", lk_method_paper, 100, 3, 60, 5);

  /* 100 queries in 3 phases: 34, 33, 33, so 34, 67 and 100 answered after each. */
  const guint cumulative[] = { 34, 67, 100 };

  g_assert_cmpuint (a->len, ==, 3);
  for (guint p = 0; p < a->len; p++)
    {
      g_assert_cmpfloat (g_array_index (a, LkPhaseReport, p).recall10, ==,
                         g_array_index (b, LkPhaseReport, p).recall10);
      g_assert_cmpfloat (g_array_index (a, LkPhaseReport, p).stress, ==,
                         g_array_index (b, LkPhaseReport, p).stress);
      g_assert_cmpuint (g_array_index (a, LkPhaseReport, p).queries, ==, cumulative[p]);
    }
  g_assert_cmpfloat (final_recall (a), !=, final_recall (c));
}

/* A simulation must not start at the answer. The refiner draws the paper's uniform random
 * initial embedding from lk_rng_new (seed); colors:N for the same seed once came from the same
 * generator and was that embedding bit for bit, so 10-NN recall was 1 before any answer. Now
 * the start must be no better than chance (10 / 199 = 0.05 on colors:200) for every seed. */
static void
test_start_not_truth (void)
{
  for (guint64 seed = 1; seed <= 5; seed++)
    {
      g_autoptr(LkDataset) data = lk_dataset_new_from_spec ("colors:200", seed, NULL);
      g_autoptr(LkRefiner) refiner = NULL;
      g_autofree guint *truth = NULL, *learned = NULL;
      const LkEmbedding *e;
      LkParams params;
      double recall;

      lk_params_init (&params);
      params.seed = seed;
      params.budget = 100;
      refiner = lk_refiner_new (200, &params, lk_method_paper, NULL);
      e = lk_refiner_get_embedding (refiner);
      truth = lk_knn_compute (lk_dataset_get_features (data), 200, 3, 10, NULL);
      learned = lk_knn_compute (lk_embedding_get_data (e), 200, 3, 10, NULL);
      recall = lk_metrics_knn_recall (truth, 10, learned, 10, 200, 10, NULL);
      g_assert_cmpfloat (recall, <, 0.12);
    }
}

/* Fig. 10's directions on a small case (colors:300, mean over 2 seeds): recall after the last
 * phase is above recall after the first, and a larger budget ends higher. Measured when
 * written: 0.37 after phase 1 and 0.62 after phase 5 at budget 300; 0.48 at budget 100; since
 * runs no longer start at the truth (test_start_not_truth): 0.21, 0.62 and 0.39. */
static void
test_recall_grows (void)
{
  double first = 0.0, last = 0.0, small = 0.0;

  for (guint64 seed = 1; seed <= 2; seed++)
    {
      g_autoptr(GArray) big = simulate ("colors:300", lk_method_paper, 300, 5, 200, seed);
      g_autoptr(GArray) few = simulate ("colors:300", lk_method_paper, 100, 5, 200, seed);

      first += g_array_index (big, LkPhaseReport, 0).recall10 / 2;
      last += final_recall (big) / 2;
      small += final_recall (few) / 2;
    }

  g_test_message ("recall: phase 1 %.3f, phase 5 %.3f; budget 100: %.3f", first, last, small);
  g_assert_cmpfloat (last, >, first + 0.1);
  g_assert_cmpfloat (last, >, small + 0.05);
}

/* Fig. 9 as a number: on points2d:400 with 400 queries the paper's local queries make an item's
 * most frequent grid-mates its true neighbours (0.6-0.7 was expected before it was measured;
 * 0.77 measured when written), random queries do not (about 40 / 400 = 0.1; 0.10 measured). */
static void
test_locality (void)
{
  g_autoptr(GArray) paper = simulate ("points2d:400", lk_method_paper, 400, 5, 200, 1);
  g_autoptr(GArray) random = simulate ("points2d:400", lk_method_random, 400, 5, 200, 1);
  double lp = g_array_index (paper, LkPhaseReport, paper->len - 1).cooccurrence_locality;
  double lr = g_array_index (random, LkPhaseReport, random->len - 1).cooccurrence_locality;

  g_test_message ("co-occurrence locality: paper %.3f, random %.3f", lp, lr);
  g_assert_cmpfloat (lp, >, 0.5);
  g_assert_cmpfloat (lr, <, 0.2);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/lk/core/policy/seeds-not-neighbours", test_seeds_not_neighbours);
  g_test_add_func ("/lk/core/policy/seeds-many-rounds", test_seeds_many_rounds);
  g_test_add_func ("/lk/core/policy/queries", test_policies);
  g_test_add_func ("/lk/core/policy/deterministic", test_policies_deterministic);
  g_test_add_func ("/lk/core/refine/batch-sizes", test_batch_sizes);
  g_test_add_func ("/lk/core/refine/first-phase-random", test_first_phase_random);
  g_test_add_func ("/lk/core/simulate/start-not-truth", test_start_not_truth);
  g_test_add_func ("/lk/core/simulate/deterministic", test_simulation_deterministic);
  g_test_add_func ("/lk/core/simulate/recall-grows", test_recall_grows);
  g_test_add_func ("/lk/core/simulate/locality", test_locality);

  return g_test_run ();
}
