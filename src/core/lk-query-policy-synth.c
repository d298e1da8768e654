/* lk-query-policy-synth.c — grids that point at one attribute: grid synthesis of
 * `001_8b2652e81e38914a.txt`, section 4.6
 *
 * The paper draws ten million random grids, passes each through the context encoder, takes
 * softmax (a^g) and keeps, for a target attribute k, the grids whose argmax is k with the lowest
 * entropy H = -sum softmax log softmax: "the contained items should be similar in all but one
 * high variance attribute". Here each served grid is the best of CANDIDATES random grids of nq
 * items (drawn by a partial Fisher-Yates shuffle, so distinct items): among the candidates whose
 * argmax is the target, the one of lowest entropy; if none points at the target, the one with
 * the largest softmax share of it. The target is cen's (lk_cen_set_target_attribute(); the
 * simulator's --cen-attribute), or, when unset, the attribute dimensions in turn, grid by grid.
 * Without a trained cen state (the first phase, or another method's) the grids are random.
 *
 * CANDIDATES is 1000 per grid, not the paper's 10^7 in all: a phase of 240 grids evaluates
 * 240,000 candidates, milliseconds with the variance context; more candidates lower the entropy
 * further but slowly (it is a minimum of random draws).
 *
 * Do the grids point at a true attribute? bench/cen-synth-examples matches each dimension to
 * the attribute its item coordinate follows and counts the synthesized grids whose most varied
 * attribute (the crowd's rule) is the target's: on attributes:1000 after 1200 grids of
 * cen-synth (seed 1) 0.794 of them, against 0.249 of random grids. It was 0.509 (0.445 with
 * the per-answer latents of lk-cen.c) while the variance context could move x: x was bent to
 * fit each training grid, and the grids followed the bent dimensions. A local search after
 * the draws (swap an item for one outside the grid while the entropy falls) made the grids
 * constant in two or three attributes, as the paper's Fig. 10, but cen-synth learns from the
 * grids it serves, and on such grids a participant who sorts by a constant attribute says
 * nothing: x lost the attributes (|correlation| 0.15 to 0.44 for three of them) and the share
 * was 0.828 of grids that vary in the wrong attributes. Not kept.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "lk-query-policy.h"
#include "lk-method-private.h"
#include "lk-cen.h"

#include <math.h>
#include <string.h>

#include <gsl/gsl_randist.h>

#define CANDIDATES 1000

/* The softmax of @ag (K entries) into @p; returns its entropy. */
static double
softmax_entropy (const double *ag,
                 guint         k,
                 double       *p)
{
  double top = -INFINITY, z = 0.0, h = 0.0;

  for (guint c = 0; c < k; c++)
    top = MAX (top, ag[c]);
  for (guint c = 0; c < k; c++)
    {
      p[c] = exp (ag[c] - top);
      z += p[c];
    }
  for (guint c = 0; c < k; c++)
    {
      p[c] /= z;
      if (p[c] > 0.0)
        h -= p[c] * log (p[c]);
    }

  return h;
}

/**
 * lk_query_policy_synth_entropy:
 * @state: a trained cen state
 * @items: (array length=n): a grid
 * @n: its size
 * @argmax: (out) (optional): the dimension softmax (a^g) is largest on
 *
 * Returns: the entropy of softmax (a^g) of the grid, the quantity synthesis minimises
 */
double
lk_query_policy_synth_entropy (gconstpointer  state,
                               const guint   *items,
                               guint          n,
                               guint         *argmax)
{
  guint k = lk_cen_get_dim (state), best = 0;
  g_autofree double *ag = g_new (double, k);
  g_autofree double *p = g_new (double, k);
  double h;

  lk_cen_context_activation (state, items, n, ag);
  h = softmax_entropy (ag, k, p);
  for (guint c = 1; c < k; c++)
    if (p[c] > p[best])
      best = c;
  if (argmax != NULL)
    *argmax = best;

  return h;
}

static GPtrArray *
synth_select_with_state (gconstpointer      state,
                         const LkEmbedding *embedding,
                         const LkParams    *params,
                         guint              n_queries,
                         gsl_rng           *rng)
{
  guint n = lk_embedding_get_n_items (embedding), nq = params->nq, k;
  gint target;
  g_autofree guint *pool = NULL;
  g_autofree guint *best = NULL;
  g_autofree double *ag = NULL;
  g_autofree double *p = NULL;
  GPtrArray *queries;

  if (lk_cen_get_n_participants (state) == 0)
    return _lk_query_policy_random_type.select (embedding, params, n_queries, rng);

  k = lk_cen_get_dim (state);
  target = lk_cen_get_target_attribute (state);
  pool = g_new (guint, n);
  best = g_new (guint, nq);
  ag = g_new (double, k);
  p = g_new (double, k);
  for (guint i = 0; i < n; i++)
    pool[i] = i;
  queries = g_ptr_array_new_with_free_func ((GDestroyNotify) lk_query_free);

  for (guint q = 0; q < n_queries; q++)
    {
      guint t = target >= 0 ? (guint) target % k : q % k;
      gboolean matched = FALSE;
      double best_entropy = INFINITY, best_share = -1.0;

      for (guint c = 0; c < CANDIDATES; c++)
        {
          guint top = 0;
          double h;

          /* Partial Fisher-Yates: pool[0..nq) is a uniform draw. */
          for (guint i = 0; i < nq; i++)
            {
              guint j = i + gsl_rng_uniform_int (rng, n - i), x = pool[i];

              pool[i] = pool[j];
              pool[j] = x;
            }
          lk_cen_context_activation (state, pool, nq, ag);
          h = softmax_entropy (ag, k, p);
          for (guint d = 1; d < k; d++)
            if (p[d] > p[top])
              top = d;

          if (top == t ? (!matched || h < best_entropy) : (!matched && p[t] > best_share))
            {
              matched = top == t;
              best_entropy = h;
              best_share = p[t];
              memcpy (best, pool, sizeof (guint) * nq);
            }
        }

      gsl_ran_shuffle (rng, best, nq, sizeof (guint));
      g_ptr_array_add (queries, lk_query_new (best, nq));
    }

  return queries;
}

static GPtrArray *
synth_select (const LkEmbedding *embedding,
              const LkParams    *params,
              guint              n_queries,
              gsl_rng           *rng)
{
  return _lk_query_policy_random_type.select (embedding, params, n_queries, rng);
}

const LkQueryPolicyType _lk_query_policy_synth_type = {
  .name = "synth",
  .description = "cen's synthesized grids: of many random grids, those whose context points at one attribute with the lowest entropy",
  .select = synth_select,
  .select_with_state = synth_select_with_state,
};
