/* lk-query-policy-gomes.c — Gomes' sampling scheme for Crowdclustering: random grids in which
 * every image appears about equally often
 *
 * As the Gomes thesis (ch. 5.4) describes it: each grid of M images gets ceil(M / V) "seed"
 * images dealt out in turn over all N images, so every image is a seed equally often, and its
 * other places are drawn without replacement from the images not yet in it. With the design's
 * ceil(N V / M) grids (lk_crowdclust_design_hits()), each image appears about V times. The
 * thesis asks for unique grids; with random fill a repeat is improbable and harmless, so it is
 * not checked.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "lk-method-private.h"

#include <math.h>

#include <gsl/gsl_randist.h>

#include "lk-crowdclust.h"

/* V = floor(log2 N * log_M N) appearances per image, as the port's notebooks compute it, and at
 * least 1. */
static guint
appearances (guint n_items,
             guint m)
{
  double v;

  if (n_items < 2 || m < 2)
    return 1;
  v = floor (log2 ((double) n_items) * (log ((double) n_items) / log ((double) m)));

  return v < 1 ? 1 : (guint) v;
}

/**
 * lk_crowdclust_design_hits:
 * @n_items: images N
 * @m: images per grid M
 *
 * The number of grids of Gomes' design: ceil(N V / M) with V = floor(log2 N * log_M N), so that
 * each image appears about V times (N = 100, M = 8: 175; N = 2000, M = 8: 10,000).
 *
 * Returns: the number of grids
 */
guint
lk_crowdclust_design_hits (guint n_items,
                           guint m)
{
  guint64 v = appearances (n_items, m);

  g_return_val_if_fail (m > 0, 0);

  return (guint) ((n_items * v + m - 1) / m);
}

static GPtrArray *
gomes_select (const LkEmbedding *embedding,
              const LkParams    *params,
              guint              n_queries,
              gsl_rng           *rng)
{
  guint n = lk_embedding_get_n_items (embedding), m = params->nq;
  guint seeds = MIN (m, (m + appearances (n, m) - 1) / appearances (n, m));
  g_autofree guint *grid = g_new (guint, m);
  g_autofree guint *rest = g_new (guint, n);
  g_autofree gboolean *in_grid = g_new0 (gboolean, n);
  GPtrArray *queries = g_ptr_array_new_with_free_func ((GDestroyNotify) lk_query_free);
  guint next_seed = 0;

  for (guint q = 0; q < n_queries; q++)
    {
      guint n_rest = 0;

      for (guint s = 0; s < seeds; s++)
        {
          grid[s] = next_seed;
          in_grid[next_seed] = TRUE;
          next_seed = (next_seed + 1) % n;
        }
      for (guint i = 0; i < n; i++)
        if (!in_grid[i])
          rest[n_rest++] = i;
      gsl_ran_choose (rng, grid + seeds, m - seeds, rest, n_rest, sizeof (guint));
      for (guint s = 0; s < seeds; s++)
        in_grid[grid[s]] = FALSE;
      gsl_ran_shuffle (rng, grid, m, sizeof (guint));
      g_ptr_array_add (queries, lk_query_new (grid, m));
    }

  return queries;
}

const LkQueryPolicyType _lk_query_policy_gomes_type = {
  .name = "gomes",
  .description = "Gomes' scheme: random grids, each image a seed in turn, about V appearances each",
  .select = gomes_select,
};
