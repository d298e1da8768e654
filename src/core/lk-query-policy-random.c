/* lk-query-policy-random.c — the baseline: grids of uniformly random images
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "lk-query-policy.h"

#include <gsl/gsl_randist.h>

/* From this many items on, a grid's images are drawn by Floyd's algorithm, in O(nq^2), instead
 * of gsl_ran_choose(), which walks the N items drawing a random number for each until it has
 * nq: with a first phase of 0.24 N grids that is O(N^2), 2.4 billion steps at N = 100,000.
 * Below it the walk costs little (about 0.1 s for the 2400 grids of N = 10,000), and keeping
 * it keeps every smaller study's random stream, and so its results, as they were. */
#define FLOYD_MIN_ITEMS 16384

/* Fills @pick with @k distinct items of 0..@n-1, each k-subset equally likely (Floyd's
 * algorithm: for j = n - k .. n - 1 take a uniform t in 0..j, or j itself if t is taken). */
static void
choose_floyd (gsl_rng *rng,
              guint   *pick,
              guint    k,
              guint    n)
{
  for (guint j = n - k, got = 0; j < n; j++)
    {
      guint t = gsl_rng_uniform_int (rng, j + 1);
      gboolean taken = FALSE;

      for (guint c = 0; c < got && !taken; c++)
        taken = pick[c] == t;
      pick[got++] = taken ? j : t;
    }
}

static GPtrArray *
random_select (const LkEmbedding *embedding,
               const LkParams    *params,
               guint              n_queries,
               gsl_rng           *rng)
{
  guint n = lk_embedding_get_n_items (embedding);
  g_autofree guint *all = NULL;
  g_autofree guint *pick = g_new (guint, params->nq);
  GPtrArray *queries = g_ptr_array_new_with_free_func ((GDestroyNotify) lk_query_free);

  if (n < FLOYD_MIN_ITEMS)
    {
      all = g_new (guint, n);
      for (guint i = 0; i < n; i++)
        all[i] = i;
    }

  for (guint q = 0; q < n_queries; q++)
    {
      /* Both keep no useful order; shuffle so the display order is random too. */
      if (all != NULL)
        gsl_ran_choose (rng, pick, params->nq, all, n, sizeof (guint));
      else
        choose_floyd (rng, pick, params->nq, n);
      gsl_ran_shuffle (rng, pick, params->nq, sizeof (guint));
      g_ptr_array_add (queries, lk_query_new (pick, params->nq));
    }

  return queries;
}

const LkQueryPolicyType _lk_query_policy_random_type = {
  .name = "random",
  .description = "grids of uniformly random images",
  .select = random_select,
};

const LkQueryPolicyType *lk_query_policy_random = &_lk_query_policy_random_type;
