/* lk-method-paper.c — Algorithm 1 of `000_b28b33f9dbf275aa.txt`, as the paper states it
 *
 * Per phase (lines 6-8 of Algorithm 1):
 *   D = DistanceFromEmbedding(E)        every target is the pair's current distance;
 *   D = UpdateDistances(D, R)           for each pair of this batch: D / beta if its positive
 *                                       results outnumber its negative ones, D * beta if the
 *                                       reverse, unchanged on a tie (counts matter only
 *                                       through the majority, as the paper says);
 *   E = EmbedData(D)                    weighted Sammon from the current E, weight 1 for every
 *                                       pair ever updated (in this or an earlier phase) and
 *                                       epsilon for the others.
 * So a pair updated in an earlier phase keeps weight 1, but its target is its distance in the
 * current embedding unless this batch updates it again. Keeping old targets instead made
 * recall fall after phase 3, in a measurement whose simulations started at the ground truth
 * (README.md, "A correction"); not measured again since.
 *
 * The "random" baseline is the same update after one phase of uniformly random queries (the
 * paper's "Random: ... equivalent to executing our algorithm in a single phase").
 *
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "lk-method-private.h"

#include "lk-distance.h"
#include "lk-sammon.h"

/* Up to this many items the stress is the paper's, in full over all N (N - 1) / 2 pairs; above
 * it the epsilon-weighted pairs nobody has updated enter by negative sampling, SAMPLES_PER_ITEM
 * partners per item (lk-sammon.c). See the README's scaling section for the measurements. */
#define EXACT_MAX_ITEMS 3000
#define SAMPLES_PER_ITEM 64

/* The sampled stress stops early, when the last 10 accepted steps lowered it by no more than this
 * share of itself (lk_sammon_minimise()); the full stress runs all iterations, as before. At
 * N = 10,000 (seed 1) 1e-4 and 1e-5 end at recall 0.286 and 0.285, 1e-4 in fewer iterations;
 * 3e-4 then ran 22 % fewer iterations than 1e-4 over a run (seeds 2 and 3: 878 against 1125)
 * and ended at 0.2764 against 0.2788 (mean of the two); 1e-3 (seeds 1 and 2) at 0.278 against
 * 0.285. */
#define CONVERGENCE_TOLERANCE 3e-4

typedef struct {
  guint       n_items;
  gboolean    exact;     /* the full stress at any size (_lk_method_paper_exact_type) */
  LkSammon   *sammon;
  /* Every pair ever updated: together = times shortened, apart = lengthened. NULL while
   * sammon_holds_updated: a sampled minimiser's set pairs are then the record of the updated
   * pairs (at N = 100,000 a second table of the 20 million of them took 670 MB), and the
   * counts are not kept. */
  LkEvidence *updated;
  gboolean    sammon_holds_updated;
} PaperState;

static gpointer
paper_state_new (guint           n_items,
                 const LkParams *params)
{
  PaperState *state = g_new0 (PaperState, 1);

  state->n_items = n_items;
  state->updated = lk_evidence_new (n_items);

  return state;
}

static gpointer
paper_exact_state_new (guint           n_items,
                       const LkParams *params)
{
  PaperState *state = paper_state_new (n_items, params);

  state->exact = TRUE;

  return state;
}

static void
paper_state_free (gpointer data)
{
  PaperState *state = data;

  g_clear_pointer (&state->sammon, lk_sammon_free);
  g_clear_pointer (&state->updated, lk_evidence_free);
  g_free (state);
}

/* Returns a copy of the state: the pairs updated so far. The Sammon minimiser is a workspace
 * that lk_distance_update() resets every phase, so the copy makes its own on first use. */
static gpointer
paper_state_copy (gconstpointer data)
{
  const PaperState *state = data;
  PaperState *copy = g_new0 (PaperState, 1);

  copy->n_items = state->n_items;
  copy->exact = state->exact;
  if (state->updated != NULL)
    copy->updated = lk_evidence_copy (state->updated);
  else
    {
      gsize n_pairs = 0;
      g_autofree guint *pairs = lk_sammon_get_set_pairs (state->sammon, &n_pairs);

      copy->updated = lk_evidence_new (state->n_items);
      for (gsize p = 0; p < n_pairs; p++)
        lk_evidence_add_counts (copy->updated, pairs[2 * p], pairs[2 * p + 1], 0, 0, 1);
    }

  return copy;
}

static void
paper_update (gpointer          data,
              LkEmbedding      *embedding,
              const GPtrArray  *answers,
              guint             n_batch,
              const LkEvidence *evidence,
              const LkParams   *params,
              gsl_rng          *rng,
              LkUpdateStats    *stats)
{
  PaperState *state = data;
  g_autoptr(LkEvidence) batch = NULL;
  gboolean sampled;
  gsize n_updated, n_batch_pairs = 0;
  guint it;

  sampled = !state->exact && state->n_items > EXACT_MAX_ITEMS;
  /* Above EXACT_MAX_ITEMS the batch's table is sized for all its answers' pairs at once (at
   * most nq (nq - 1) / 2 per answer); the full stress's path keeps the growing table, so that
   * small studies stay number for number what they were. */
  for (guint q = answers->len - n_batch; sampled && q < answers->len; q++)
    {
      guint m = lk_query_get_n_items (g_ptr_array_index (answers, q));

      n_batch_pairs += (gsize) m * (m - 1) / 2;
    }
  batch = sampled ? lk_evidence_new_sized (state->n_items, n_batch_pairs)
                  : lk_evidence_new (state->n_items);
  for (guint q = answers->len - n_batch; q < answers->len; q++)
    lk_evidence_add_answer (batch, g_ptr_array_index (answers, q));

  if (state->sammon == NULL && !sampled)
    state->sammon = lk_sammon_new (state->n_items, lk_embedding_get_dim (embedding));
  else if (state->sammon == NULL)
    state->sammon = lk_sammon_new_sampled (state->n_items, lk_embedding_get_dim (embedding),
                                           SAMPLES_PER_ITEM);

  lk_embedding_normalise (embedding);
  /* The sampled minimiser keeps the pairs updated in earlier phases from one phase to the next
   * (lk_distance_update_keeping()), and in the first phase it has none to keep; a copied state
   * starts a new minimiser, set up in full from the updated pairs, which the copy took from the
   * original's minimiser. */
  if (state->sammon_holds_updated
      || (sampled && lk_evidence_get_n_pairs (state->updated) == 0))
    n_updated = lk_distance_update_keeping (state->sammon, embedding, NULL, batch,
                                            params->beta, params->epsilon, params->magic);
  else
    n_updated = lk_distance_update (state->sammon, embedding, state->updated, batch,
                                    params->beta, params->epsilon, params->magic);
  if (sampled)
    {
      state->sammon_holds_updated = TRUE;
      g_clear_pointer (&state->updated, lk_evidence_free);
    }
  /* The batch's table is not needed any more: free it before the minimiser's rows are built,
   * which is when the memory of a large study peaks. */
  g_clear_pointer (&batch, lk_evidence_free);

  /* Draws nothing from rng on the exact path, so small studies are unchanged. */
  lk_sammon_sample (state->sammon, rng);
  lk_sammon_start (state->sammon);
  it = lk_sammon_minimise (state->sammon, params->iterations,
                           sampled ? CONVERGENCE_TOLERANCE : 0.0);

  lk_sammon_get_embedding (state->sammon, embedding);
  lk_embedding_normalise (embedding);

  stats->stress = lk_sammon_get_stress (state->sammon);
  stats->iterations = it;
  stats->pairs_updated = n_updated;
}

const LkSammon *
_lk_method_paper_get_sammon (gconstpointer data)
{
  const PaperState *state = data;

  return state->sammon;
}

const LkMethodType _lk_method_paper_type = {
  .name = "paper",
  .description = "Algorithm 1 of the paper: local k-NN queries, beta update, weighted Sammon",
  .single_phase = FALSE,
  .first_policy = &_lk_query_policy_random_type,
  .policy = &_lk_query_policy_local_type,
  .state_new = paper_state_new,
  .state_free = paper_state_free,
  .update = paper_update,
  .state_copy = paper_state_copy,
};

const LkMethodType _lk_method_random_type = {
  .name = "random",
  .description = "baseline: the whole budget as uniformly random grids in one phase, then the paper's update",
  .single_phase = TRUE,
  .first_policy = &_lk_query_policy_random_type,
  .policy = &_lk_query_policy_random_type,
  .state_new = paper_state_new,
  .state_free = paper_state_free,
  .update = paper_update,
  .state_copy = paper_state_copy,
};

/* The paper's method with the full stress at any size, to measure what the sampled stress
 * changes (bench/bench-scale --methods paper-exact); not offered to users. */
const LkMethodType _lk_method_paper_exact_type = {
  .name = "paper-exact",
  .description = "Algorithm 1 of the paper with the full O(N^2) stress at any size",
  .single_phase = FALSE,
  .first_policy = &_lk_query_policy_random_type,
  .policy = &_lk_query_policy_local_type,
  .state_new = paper_exact_state_new,
  .state_free = paper_state_free,
  .update = paper_update,
  .state_copy = paper_state_copy,
};

const LkMethodType *lk_method_paper = &_lk_method_paper_type;
const LkMethodType *lk_method_random = &_lk_method_random_type;
