/* lk-refine.c — Algorithm 1 of `000_b28b33f9dbf275aa.txt` as a sequence of calls
 *
 * The loop is split so that the participant window can sit between its steps:
 *   lk_refiner_select_queries()  SelectQueries(E, batch size)   (line 4)
 *   lk_refiner_add_answer()      RunQueries: one answer at a time, from people or the simulator
 *   lk_refiner_end_phase()       lines 6-8, by the method's update
 * lk_simulate_run() drives it headlessly.
 *
 * The first phase asks uniformly random queries whatever the method's policy: the initial
 * embedding is random and carries no information ("at first ... one cannot do much better than
 * posing random queries"), and neighbourhoods of a random embedding measurably do worse.
 *
 * Randomness: the refiner owns one generator seeded from params->seed, used by the query
 * policies and the method, so a run is a function of the seed and the answers.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "lk-refine.h"

#include "lk-error.h"
#include "lk-rng.h"

struct _LkRefiner {
  LkParams            params;
  const LkMethodType *method;
  guint               n_items;
  guint               phase;
  guint               n_batch;       /* answers of the current phase */

  gsl_rng            *rng;
  LkEmbedding        *embedding;
  LkEvidence         *evidence;
  GPtrArray          *answers;       /* every answered LkQuery, in order */
  GPtrArray          *trials;        /* every answered LkTrial, in order */
  gpointer            state;
};

/**
 * lk_refiner_new:
 * @n_items: size of the collection
 * @params: the parameters, copied
 * @method: the embedding method
 * @error: return location for a #GError
 *
 * Starts a refinement with the paper's random uniform initial embedding.
 *
 * Returns: (transfer full) (nullable): a refiner, or %NULL if @params do not fit @n_items
 */
LkRefiner *
lk_refiner_new (guint               n_items,
                const LkParams     *params,
                const LkMethodType *method,
                GError            **error)
{
  LkRefiner *self;

  g_return_val_if_fail (params != NULL && method != NULL, NULL);

  if (!lk_params_validate (params, n_items, error))
    return NULL;

  self = g_new0 (LkRefiner, 1);
  self->params = *params;
  if (method->single_phase)
    self->params.phases = 1;
  self->method = method;
  self->n_items = n_items;
  self->rng = lk_rng_new (params->seed);
  self->embedding = lk_embedding_new_random (n_items, params->dim, self->rng);
  self->evidence = lk_evidence_new (n_items);
  self->answers = g_ptr_array_new_with_free_func ((GDestroyNotify) lk_query_free);
  self->trials = g_ptr_array_new_with_free_func ((GDestroyNotify) lk_trial_free);
  self->state = method->state_new (n_items, &self->params);

  return self;
}

/**
 * lk_refiner_copy:
 * @self: a refiner
 *
 * Copies everything a refinement depends on: parameters, phase, generator state, embedding,
 * evidence, answers, trials and the method's state. The copy and @self then give the same queries and
 * the same phase updates for the same answers, so the app can run a phase on a worker thread
 * from a copy while the original stays usable on the main thread.
 *
 * Returns: (transfer full): an independent copy
 */
LkRefiner *
lk_refiner_copy (const LkRefiner *self)
{
  LkRefiner *copy;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (self->method->state_copy != NULL, NULL);

  copy = g_new0 (LkRefiner, 1);
  copy->params = self->params;
  copy->method = self->method;
  copy->n_items = self->n_items;
  copy->phase = self->phase;
  copy->n_batch = self->n_batch;
  copy->rng = gsl_rng_clone (self->rng);
  copy->embedding = lk_embedding_copy (self->embedding);
  copy->evidence = lk_evidence_copy (self->evidence);
  copy->answers = g_ptr_array_new_full (self->answers->len, (GDestroyNotify) lk_query_free);
  for (guint i = 0; i < self->answers->len; i++)
    g_ptr_array_add (copy->answers, lk_query_copy (g_ptr_array_index (self->answers, i)));
  copy->trials = g_ptr_array_new_full (self->trials->len, (GDestroyNotify) lk_trial_free);
  for (guint i = 0; i < self->trials->len; i++)
    g_ptr_array_add (copy->trials, lk_trial_copy (g_ptr_array_index (self->trials, i)));
  copy->state = self->method->state_copy (self->state);

  return copy;
}

void
lk_refiner_free (LkRefiner *self)
{
  if (self == NULL)
    return;

  self->method->state_free (self->state);
  g_ptr_array_unref (self->answers);
  g_ptr_array_unref (self->trials);
  lk_evidence_free (self->evidence);
  lk_embedding_free (self->embedding);
  gsl_rng_free (self->rng);
  g_free (self);
}

const LkParams *
lk_refiner_get_params (const LkRefiner *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return &self->params;
}

const LkMethodType *
lk_refiner_get_method (const LkRefiner *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->method;
}

guint
lk_refiner_get_n_items (const LkRefiner *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->n_items;
}

/**
 * lk_refiner_get_phase:
 * @self: a refiner
 *
 * Returns: the number of completed phases (0 before the first lk_refiner_end_phase())
 */
guint
lk_refiner_get_phase (const LkRefiner *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->phase;
}

guint
lk_refiner_get_n_phases (const LkRefiner *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->params.phases;
}

/**
 * lk_refiner_get_batch_size:
 * @self: a refiner
 *
 * Returns: the number of queries the current phase asks (0 when the budget is spent)
 */
guint
lk_refiner_get_batch_size (const LkRefiner *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return lk_params_batch_size (&self->params, self->phase);
}

gboolean
lk_refiner_is_done (const LkRefiner *self)
{
  g_return_val_if_fail (self != NULL, TRUE);

  return self->phase >= self->params.phases;
}

const LkEmbedding *
lk_refiner_get_embedding (const LkRefiner *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->embedding;
}

const LkEvidence *
lk_refiner_get_evidence (const LkRefiner *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->evidence;
}

/**
 * lk_refiner_get_state:
 * @self: a refiner
 *
 * Returns: (transfer none): the method's state, for functions of that method that read it
 *   (lk_cen_pair_distance(), for one)
 */
gconstpointer
lk_refiner_get_state (const LkRefiner *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->state;
}

/**
 * lk_refiner_get_answers:
 * @self: a refiner
 *
 * Returns: (transfer none) (element-type LkQuery): every answer so far, in the order added
 */
const GPtrArray *
lk_refiner_get_answers (const LkRefiner *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->answers;
}

guint
lk_refiner_get_n_batch_answers (const LkRefiner *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->n_batch;
}

/**
 * lk_refiner_select_queries:
 * @self: a refiner
 * @n_queries: how many queries
 *
 * Draws queries from the current embedding with the phase's policy (uniformly random in the
 * first phase, the method's policy after it).
 *
 * Returns: (transfer full) (element-type LkQuery): @n_queries unanswered queries
 */
GPtrArray *
lk_refiner_select_queries (LkRefiner *self,
                           guint      n_queries)
{
  const LkQueryPolicyType *policy;

  g_return_val_if_fail (self != NULL, NULL);

  policy = self->phase == 0 ? self->method->first_policy : self->method->policy;

  return lk_query_policy_select_with_state (policy, self->state, self->embedding, &self->params,
                                            n_queries, self->rng);
}

/**
 * lk_refiner_add_answer:
 * @self: a refiner
 * @query: an answered query, copied
 *
 * Adds one answer to the current phase's batch and to the evidence.
 */
void
lk_refiner_add_answer (LkRefiner     *self,
                       const LkQuery *query)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (query != NULL && lk_query_is_answered (query));

  g_ptr_array_add (self->answers, lk_query_copy (query));
  lk_evidence_add_answer (self->evidence, query);
  self->n_batch++;
}

/**
 * lk_refiner_add_trial:
 * @self: a refiner
 * @trial: an answered trial of a task other than sorting, copied
 *
 * Adds the answer of a triplet, forced choice, match or intruder trial. Trials are not grids:
 * they count neither towards the phase's batch (lk_refiner_get_n_batch_answers()) nor towards
 * the budget, and they add no pair evidence. Methods that learn from comparisons (the method's
 * @add_trial, "triplet") use them in every later update; the others ignore them.
 */
void
lk_refiner_add_trial (LkRefiner     *self,
                      const LkTrial *trial)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (trial != NULL && lk_trial_is_answered (trial));
  g_return_if_fail (lk_trial_validate (trial, NULL));
  for (guint i = 0; i < trial->n_items; i++)
    g_return_if_fail (trial->items[i] < self->n_items);

  g_ptr_array_add (self->trials, lk_trial_copy (trial));
  if (self->method->add_trial != NULL)
    self->method->add_trial (self->state, trial);
}

/**
 * lk_refiner_get_trials:
 * @self: a refiner
 *
 * Returns: (transfer none) (element-type LkTrial): every trial added, in the order added
 */
const GPtrArray *
lk_refiner_get_trials (const LkRefiner *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->trials;
}

/**
 * lk_refiner_end_phase:
 * @self: a refiner
 * @stats: (out caller-allocates) (optional): what the update did
 *
 * Folds the current batch of answers into the embedding and starts the next phase.
 */
void
lk_refiner_end_phase (LkRefiner     *self,
                      LkUpdateStats *stats)
{
  LkUpdateStats local = { 0 };

  g_return_if_fail (self != NULL);

  self->method->update (self->state, self->embedding, self->answers, self->n_batch,
                        self->evidence, &self->params, self->rng, &local);
  self->n_batch = 0;
  self->phase++;

  if (stats != NULL)
    *stats = local;
}
