/* test-policy.c — seed rounds and query policies on cases whose answers are known by hand
 *
 * test-loop.c checks the first round of seeds and the queries on random points; here the whole
 * sequence of rounds is checked against an independent statement of the rule, and the
 * policies run on embeddings whose k-NN are known without computing them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later */
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

/* Returns whether @c may join a round whose seeds are @round: it is none of them, is not among
 * their k-NN, and has none of them among its own. */
static gboolean
admissible (const guint *knn,
            guint        k,
            const guint *round,
            guint        n_round,
            guint        c)
{
  for (guint s = 0; s < n_round; s++)
    if (round[s] == c ||
        contains (knn + (gsize) round[s] * k, k, c) ||
        contains (knn + (gsize) c * k, k, round[s]))
      return FALSE;
  return TRUE;
}

/* Replays @seeds against the rule of lk-query-policy-local.c: a seed that is admissible for the
 * current round joins it; one that is not may only start a new round once no item of the
 * collection is admissible any more. (If a seed is admissible it cannot be the first of a new
 * round, since a round only ends when nothing is admissible.) Returns the number of rounds
 * that were completed and stores the size of the smallest and largest of them. */
static guint
check_rounds (const guint *knn,
              guint        n,
              guint        k,
              const guint *seeds,
              guint        n_seeds,
              guint       *min_size,
              guint       *max_size)
{
  g_autofree guint *round = g_new (guint, n);
  guint n_round = 0, completed = 0;

  *min_size = G_MAXUINT;
  *max_size = 0;
  for (guint s = 0; s < n_seeds; s++)
    {
      g_assert_cmpuint (seeds[s], <, n);
      if (!admissible (knn, k, round, n_round, seeds[s]))
        {
          for (guint c = 0; c < n; c++)
            g_assert_true (!admissible (knn, k, round, n_round, c));
          *min_size = MIN (*min_size, n_round);
          *max_size = MAX (*max_size, n_round);
          completed++;
          n_round = 0;
        }
      round[n_round++] = seeds[s];
    }

  return completed;
}

/* Random points, with the asymmetric k-NN tables real embeddings have, over many rounds. */
static void
test_seed_rounds_random_points (void)
{
  const guint n = 80, k = 6, dim = 2, n_seeds = 400;

  for (guint64 seed = 1; seed <= 4; seed++)
    {
      g_autoptr(gsl_rng) rng = lk_rng_new (seed);
      g_autoptr(LkEmbedding) e = lk_embedding_new_random (n, dim, rng);
      g_autofree guint *knn = lk_knn_compute (lk_embedding_get_data (e), n, dim, k, NULL);
      g_autofree guint *seeds = lk_query_policy_local_seeds (knn, n, k, n_seeds, rng);
      guint lo, hi, rounds;

      rounds = check_rounds (knn, n, k, seeds, n_seeds, &lo, &hi);
      /* A round holds at most n - k = 74 seeds (the first seed's neighbours are excluded), so
       * 400 seeds span at least 5 rounds. One seed excludes itself, its 6 neighbours and the
       * items that have it among theirs (at most 6 * 6 in the plane), fewer than 80, so every
       * round holds at least 2. */
      g_test_message ("seed %" G_GUINT64_FORMAT ": %u rounds of %u..%u seeds", seed, rounds, lo, hi);
      g_assert_cmpuint (rounds, >=, 5);
      g_assert_cmpuint (lo, >=, 2);
    }
}

/* Items on a ring of 12, each with its two ring neighbours as k-NN (k = 2). A round is a
 * maximal set of pairwise non-adjacent items, so it holds between ceil(12 / 3) = 4 and
 * 12 / 2 = 6 seeds; seeding never stalls. */
static void
test_seed_rounds_ring (void)
{
  const guint n = 12, k = 2, n_seeds = 300;
  guint knn[12 * 2];
  g_autoptr(gsl_rng) rng = lk_rng_new (2385);
  g_autofree guint *seeds = NULL;
  guint lo, hi, counts[12] = { 0 };

  for (guint i = 0; i < n; i++)
    {
      knn[i * k] = (i + 1) % n;
      knn[i * k + 1] = (i + n - 1) % n;
    }
  seeds = lk_query_policy_local_seeds (knn, n, k, n_seeds, rng);
  g_assert_cmpuint (check_rounds (knn, n, k, seeds, n_seeds, &lo, &hi), >=, 300 / 6 - 1);
  g_assert_cmpuint (lo, >=, 4);
  g_assert_cmpuint (hi, <=, 6);

  /* Rounds start from a uniformly random item: over 300 seeds each of 12 items is a seed about
   * 25 times; 5 is far in the tail. */
  for (guint s = 0; s < n_seeds; s++)
    counts[seeds[s]]++;
  for (guint i = 0; i < n; i++)
    g_assert_cmpuint (counts[i], >=, 5);
}

/* When every item is every other's neighbour (k = n - 1) each round has one seed. */
static void
test_seed_rounds_complete (void)
{
  const guint n = 5, k = 4, n_seeds = 40;
  guint knn[5 * 4];
  g_autoptr(gsl_rng) rng = lk_rng_new (3);
  g_autofree guint *seeds = NULL;
  guint lo, hi;

  for (guint i = 0; i < n; i++)
    for (guint j = 0, m = 0; j < n; j++)
      if (j != i)
        knn[i * k + m++] = j;
  seeds = lk_query_policy_local_seeds (knn, n, k, n_seeds, rng);
  g_assert_cmpuint (check_rounds (knn, n, k, seeds, n_seeds, &lo, &hi), ==, n_seeds - 1);
  g_assert_cmpuint (lo, ==, 1);
  g_assert_cmpuint (hi, ==, 1);
}

/* Returns 10 clusters of 21 points, one per 10 units along the first axis and within 0.1 of
 * their centre, so that an item's 20 nearest neighbours are exactly the rest of its cluster. */
static LkEmbedding *
clusters_new (gsl_rng *rng)
{
  const guint n = 210, dim = 3;
  g_autofree double *x = g_new (double, n * dim);

  for (guint i = 0; i < n; i++)
    for (guint c = 0; c < dim; c++)
      x[i * dim + c] = (c == 0 ? 10.0 * (i / 21) : 0.0) + 0.05 * gsl_rng_uniform (rng);

  return lk_embedding_new_from_data (x, n, dim);
}

/* With k = 20 and nq = 20 a local query is a seed and 19 of its cluster-mates, so every query
 * lies inside one cluster; random queries of 20 out of 210 items almost never do. */
static void
test_queries_on_clusters (void)
{
  g_autoptr(gsl_rng) rng = lk_rng_new (11);
  g_autoptr(LkEmbedding) e = clusters_new (rng);
  g_autoptr(GPtrArray) local = NULL, random = NULL;
  LkParams params;
  guint seeds_per_cluster[4][10] = { { 0 } };

  lk_params_init (&params);
  params.knn_k = 20;

  /* A seed excludes exactly its own cluster, so each round of seeds is one per cluster, and 40
   * queries are 4 rounds of 10 that each visit every cluster once. */
  local = lk_query_policy_select (lk_query_policy_local, e, &params, 40, rng);
  g_assert_cmpuint (local->len, ==, 40);
  for (guint q = 0; q < local->len; q++)
    {
      LkQuery *query = g_ptr_array_index (local, q);
      const guint *items = lk_query_get_items (query);
      guint cluster = items[0] / 21;

      g_assert_cmpuint (lk_query_get_n_items (query), ==, 20);
      for (guint i = 0; i < 20; i++)
        {
          g_assert_cmpuint (items[i] / 21, ==, cluster);
          for (guint j = i + 1; j < 20; j++)
            g_assert_cmpuint (items[i], !=, items[j]);
        }
      seeds_per_cluster[q / 10][cluster]++;
    }
  for (guint r = 0; r < 4; r++)
    for (guint c = 0; c < 10; c++)
      g_assert_cmpuint (seeds_per_cluster[r][c], ==, 1);

  random = lk_query_policy_select (lk_query_policy_random, e, &params, 40, rng);
  g_assert_cmpuint (random->len, ==, 40);
  for (guint q = 0; q < random->len; q++)
    {
      LkQuery *query = g_ptr_array_index (random, q);
      const guint *items = lk_query_get_items (query);
      gboolean spread = FALSE;

      g_assert_cmpuint (lk_query_get_n_items (query), ==, 20);
      for (guint i = 0; i < 20; i++)
        {
          g_assert_cmpuint (items[i], <, 210);
          spread |= items[i] / 21 != items[0] / 21;
          for (guint j = i + 1; j < 20; j++)
            g_assert_cmpuint (items[i], !=, items[j]);
        }
      g_assert_true (spread);
    }
}

/* Random queries cover the collection evenly: 500 grids of 20 over 100 items show each item
 * 100 times on average (binomial sd about 9.7), so every count lies within 50..150. */
static void
test_random_coverage (void)
{
  const guint n = 100;
  g_autoptr(gsl_rng) rng = lk_rng_new (8);
  g_autoptr(LkEmbedding) e = lk_embedding_new_random (n, 3, rng);
  g_autoptr(GPtrArray) queries = NULL;
  LkParams params;
  guint counts[100] = { 0 };

  lk_params_init (&params);
  queries = lk_query_policy_select (lk_query_policy_random, e, &params, 500, rng);
  for (guint q = 0; q < queries->len; q++)
    for (guint i = 0; i < params.nq; i++)
      counts[lk_query_get_item (g_ptr_array_index (queries, q), i)]++;
  for (guint i = 0; i < n; i++)
    {
      g_assert_cmpuint (counts[i], >=, 50);
      g_assert_cmpuint (counts[i], <=, 150);
    }
}

/* Past 16,384 items grids are drawn by Floyd's algorithm: still nq distinct items in range,
 * and still even: 2000 grids of 20 over 20,000 items show each item 2 times on average, so the
 * 10 blocks of 2000 items get 4000 places each (binomial sd about 60): within 3700..4300. */
static void
test_random_large (void)
{
  const guint n = 20000;
  g_autoptr(gsl_rng) rng = lk_rng_new (81);
  g_autoptr(LkEmbedding) e = lk_embedding_new_random (n, 3, rng);
  g_autoptr(GPtrArray) queries = NULL;
  LkParams params;
  guint blocks[10] = { 0 };

  lk_params_init (&params);
  queries = lk_query_policy_select (lk_query_policy_random, e, &params, 2000, rng);
  g_assert_cmpuint (queries->len, ==, 2000);
  for (guint q = 0; q < queries->len; q++)
    {
      LkQuery *query = g_ptr_array_index (queries, q);

      g_assert_cmpuint (lk_query_get_n_items (query), ==, params.nq);
      for (guint i = 0; i < params.nq; i++)
        {
          guint item = lk_query_get_item (query, i);

          g_assert_cmpuint (item, <, n);
          for (guint j = 0; j < i; j++)
            g_assert_cmpuint (lk_query_get_item (query, j), !=, item);
          blocks[item / 2000]++;
        }
    }
  for (guint b = 0; b < 10; b++)
    {
      g_assert_cmpuint (blocks[b], >=, 3700);
      g_assert_cmpuint (blocks[b], <=, 4300);
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/lk/core/policy/seed-rounds/random-points", test_seed_rounds_random_points);
  g_test_add_func ("/lk/core/policy/seed-rounds/ring", test_seed_rounds_ring);
  g_test_add_func ("/lk/core/policy/seed-rounds/complete", test_seed_rounds_complete);
  g_test_add_func ("/lk/core/policy/clusters", test_queries_on_clusters);
  g_test_add_func ("/lk/core/policy/random-coverage", test_random_coverage);
  g_test_add_func ("/lk/core/policy/random-large", test_random_large);

  return g_test_run ();
}
