/* lk-memory-run.c — a study kept in memory: the demo studies, simulated participants, tests
 *
 * The grids come from the refinement worker's queue, or are drawn on the spot while it folds a
 * phase in; answers are kept here (a demo leaves nothing behind on purpose) and handed to the
 * worker. When the budget is spent the worker folds the last, perhaps partial, phase in.
 *
 * Trials of the other tasks are drawn here by the core (lk_trial_draw()) from the worker's
 * current embedding, as a study file's are (lk-study-run.c): triplets with the "mix" policy
 * (the learned metric the only reference, one in ten of random pairs; all random before the
 * first phase is folded in), choice5 with "random", an intruder's clusters the collection's
 * groups when it was given them, else k-means of the learned embedding. What the core cannot
 * draw (an intruder before the first phase without groups) falls back to the "random" policy
 * (lk-random-trial.c: eight at random, no planted intruder). The draws are deterministic under
 * the study's seed. The trials are kept beside the answers with their block and times; they
 * do not count against the budget.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n.h>

#include "lk-memory-run-private.h"
#include "lk-random-trial.h"
#include "lk-trial-draw.h"

typedef struct {
  LkQuery  *answer;
  guint     n_moves;
  gboolean  pilot;
  gboolean  drawn;
} Saved;

typedef struct {
  LkTrial  *trial;
  char     *participant;
  guint     block;
  gint64    shown_us;
  gint64    submitted_us;
} SavedTrial;

struct _LkMemoryRun
{
  GObject         parent_instance;

  LkRefineWorker *worker;
  GArray         *saved;      /* Saved */
  GArray         *trials;     /* SavedTrial */
  GRand          *rand;       /* the trials' draws the core does not cover */
  gsl_rng        *rng;        /* the core's draws */
  guint          *labels;     /* nullable: the collection's groups, for intruder trials */
  guint           n_labels;
  guint           n_items;
  guint           match_page;
  gboolean        failing;
  gboolean        finished;   /* the worker was told the budget is spent */
};

static void lk_memory_run_grid_source_init (LkGridSourceInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (LkMemoryRun, lk_memory_run, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (LK_TYPE_GRID_SOURCE,
                                                      lk_memory_run_grid_source_init))

static LkGrid *
lk_memory_run_next_grid (LkGridSource  *source,
                         GError       **error)
{
  LkMemoryRun *self = LK_MEMORY_RUN (source);
  LkQuery *query;
  gboolean drawn;

  if (lk_grid_source_is_spent (source))
    {
      if (!self->finished)
        lk_refine_worker_finish (self->worker);
      self->finished = TRUE;
      return NULL;
    }

  query = lk_refine_worker_next_query (self->worker, &drawn);
  if (query == NULL)
    return NULL;

  return lk_grid_new (query, 0, lk_refine_worker_get_answer_phase (self->worker), drawn);
}

static gboolean
lk_memory_run_submit (LkGridSource          *source,
                      const LkGrid          *grid,
                      const LkAnswerRecord  *record,
                      GError               **error)
{
  LkMemoryRun *self = LK_MEMORY_RUN (source);
  Saved saved;

  if (self->failing)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE,
                           _("No space left on the device"));
      return FALSE;
    }

  saved.answer = lk_query_copy (record->answer);
  saved.n_moves = record->n_moves;
  saved.pilot = record->pilot;
  saved.drawn = lk_grid_get_drawn (grid);
  g_array_append_val (self->saved, saved);
  lk_refine_worker_add_answer (self->worker, record->answer, record->participant,
                               (record->submitted_us - record->shown_us)
                               / (double) G_USEC_PER_SEC);

  return TRUE;
}

static LkGrid *
lk_memory_run_next_trial (LkGridSource  *source,
                          LkTaskKind     kind,
                          GError       **error)
{
  LkMemoryRun *self = LK_MEMORY_RUN (source);
  const LkRefiner *refiner = lk_refine_worker_get_refiner (self->worker);
  LkTrialDrawContext ctx = {
    .n_items = self->n_items,
    /* Before the first phase the embedding is the refiner's random start: nothing learned. */
    .learned = lk_refiner_get_phase (refiner) > 0 ? lk_refiner_get_embedding (refiner) : NULL,
    .clusters = self->labels,
    .n_clusters = self->n_labels,
    .random_share = LK_TRIAL_DRAW_RANDOM_SHARE,
    .match_page = self->match_page,
  };
  g_autoptr(GError) local_error = NULL;
  LkTrial *trial;

  trial = lk_trial_draw (kind, &ctx, self->rng, &local_error);
  if (trial == NULL)
    {
      g_debug ("a random %s trial instead: %s", lk_task_kind_to_string (kind),
               local_error->message);
      trial = lk_random_trial_new (kind, self->n_items, self->match_page, self->labels,
                                   self->n_labels, self->rand);
    }
  if (trial == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("The collection has too few images for a “%s” task."),
                   lk_task_kind_to_string (kind));
      return NULL;
    }

  return lk_grid_new_trial (trial, 0);
}

static gboolean
lk_memory_run_submit_trial (LkGridSource         *source,
                            const LkGrid         *grid,
                            const LkTrialRecord  *record,
                            GError              **error)
{
  LkMemoryRun *self = LK_MEMORY_RUN (source);
  SavedTrial saved;

  if (self->failing)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE,
                           _("No space left on the device"));
      return FALSE;
    }

  saved.trial = lk_trial_copy (record->trial);
  saved.participant = g_strdup (record->participant);
  saved.block = record->block;
  saved.shown_us = record->shown_us;
  saved.submitted_us = record->submitted_us;
  g_array_append_val (self->trials, saved);
  /* The demo's model learns from trials as a study file's does. */
  lk_refine_worker_add_trial (self->worker, record->trial, record->participant);

  return TRUE;
}

static guint
lk_memory_run_count_trials (LkGridSource *source,
                            const char   *participant)
{
  LkMemoryRun *self = LK_MEMORY_RUN (source);
  guint n = 0;

  for (guint i = 0; i < self->trials->len; i++)
    if (g_strcmp0 (g_array_index (self->trials, SavedTrial, i).participant, participant) == 0)
      n++;

  return n;
}

static LkRefineWorker *
lk_memory_run_get_worker (LkGridSource *source)
{
  return LK_MEMORY_RUN (source)->worker;
}

static void
lk_memory_run_grid_source_init (LkGridSourceInterface *iface)
{
  iface->next_grid = lk_memory_run_next_grid;
  iface->submit = lk_memory_run_submit;
  iface->get_worker = lk_memory_run_get_worker;
  iface->next_trial = lk_memory_run_next_trial;
  iface->submit_trial = lk_memory_run_submit_trial;
  iface->count_trials = lk_memory_run_count_trials;
}

static void
clear_saved_trial (gpointer data)
{
  SavedTrial *saved = data;

  g_clear_pointer (&saved->trial, lk_trial_free);
  g_clear_pointer (&saved->participant, g_free);
}

static void
clear_saved (gpointer data)
{
  Saved *saved = data;

  g_clear_pointer (&saved->answer, lk_query_free);
}

static void
lk_memory_run_dispose (GObject *object)
{
  LkMemoryRun *self = (LkMemoryRun *)object;

  /* The run under way, if any, is dropped; its thread lets go of the worker when done. */
  if (self->worker != NULL)
    lk_refine_worker_cancel (self->worker);
  g_clear_object (&self->worker);

  G_OBJECT_CLASS (lk_memory_run_parent_class)->dispose (object);
}

static void
lk_memory_run_finalize (GObject *object)
{
  LkMemoryRun *self = (LkMemoryRun *)object;

  g_clear_pointer (&self->saved, g_array_unref);
  g_clear_pointer (&self->trials, g_array_unref);
  g_clear_pointer (&self->rand, g_rand_free);
  g_clear_pointer (&self->rng, gsl_rng_free);
  g_clear_pointer (&self->labels, g_free);

  G_OBJECT_CLASS (lk_memory_run_parent_class)->finalize (object);
}

static void
lk_memory_run_class_init (LkMemoryRunClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = lk_memory_run_dispose;
  G_OBJECT_CLASS (klass)->finalize = lk_memory_run_finalize;
}

static void
lk_memory_run_init (LkMemoryRun *self)
{
  self->saved = g_array_new (FALSE, FALSE, sizeof (Saved));
  g_array_set_clear_func (self->saved, clear_saved);
  self->trials = g_array_new (FALSE, FALSE, sizeof (SavedTrial));
  g_array_set_clear_func (self->trials, clear_saved_trial);
  self->match_page = LK_MATCH_DEFAULT_PAGE;
}

/**
 * lk_memory_run_new:
 * @n_items: the collection's size
 * @params: the study's parameters
 * @method: the method (paper, random, triplet…)
 * @truth: (nullable): ground truth, for recall and cluster error in the snapshots
 *
 * Starts the refinement worker at once: its first run selects the first batch, and grids asked
 * for before it is back are drawn on the spot.
 *
 * Returns: (transfer full): the run, or %NULL with @error set if @params do not fit @n_items
 */
LkMemoryRun *
lk_memory_run_new (guint               n_items,
                   const LkParams     *params,
                   const LkMethodType *method,
                   LkTruth            *truth,
                   GError            **error)
{
  LkMemoryRun *self;
  LkRefiner *refiner;

  g_return_val_if_fail (params != NULL && method != NULL, NULL);

  refiner = lk_refiner_new (n_items, params, method, error);
  if (refiner == NULL)
    return NULL;
  self = g_object_new (LK_TYPE_MEMORY_RUN, NULL);
  self->worker = lk_refine_worker_new (refiner, truth);
  self->n_items = n_items;
  self->rand = g_rand_new_with_seed ((guint32) (params->seed ^ 0x7249a1u));
  self->rng = gsl_rng_alloc (gsl_rng_mt19937);
  gsl_rng_set (self->rng, (unsigned long) (params->seed ^ 0x7249a1u));

  return self;
}

/**
 * lk_memory_run_set_labels:
 * @labels: (nullable) (array length=n_items): each image's group (copied), for intruder
 *   trials: seven of one group and one of another
 * @n_labels: the number of groups
 */
void
lk_memory_run_set_labels (LkMemoryRun *self,
                          const guint *labels,
                          guint        n_labels)
{
  g_return_if_fail (LK_IS_MEMORY_RUN (self));

  g_clear_pointer (&self->labels, g_free);
  self->labels = labels != NULL ? g_memdup2 (labels, sizeof (guint) * self->n_items) : NULL;
  self->n_labels = labels != NULL ? n_labels : 0;
}

/**
 * lk_memory_run_set_match_page:
 * @match_page: the match task's candidates per page (2 or more)
 */
void
lk_memory_run_set_match_page (LkMemoryRun *self,
                              guint        match_page)
{
  g_return_if_fail (LK_IS_MEMORY_RUN (self));
  g_return_if_fail (match_page >= 2);

  self->match_page = match_page;
}

guint
lk_memory_run_get_n_trials (LkMemoryRun *self)
{
  g_return_val_if_fail (LK_IS_MEMORY_RUN (self), 0);

  return self->trials->len;
}

/**
 * lk_memory_run_get_trial:
 * @block: (out) (optional): the block of the session plan it was answered in
 * @response_us: (out) (optional): the time from shown to answered
 *
 * Returns: (transfer none): the trial answered @index-th, with its answer
 */
const LkTrial *
lk_memory_run_get_trial (LkMemoryRun *self,
                         guint        index,
                         guint       *block,
                         gint64      *response_us)
{
  const SavedTrial *saved;

  g_return_val_if_fail (LK_IS_MEMORY_RUN (self), NULL);
  g_return_val_if_fail (index < self->trials->len, NULL);

  saved = &g_array_index (self->trials, SavedTrial, index);
  if (block != NULL)
    *block = saved->block;
  if (response_us != NULL)
    *response_us = saved->submitted_us - saved->shown_us;

  return saved->trial;
}

guint
lk_memory_run_get_n_saved (LkMemoryRun *self)
{
  g_return_val_if_fail (LK_IS_MEMORY_RUN (self), 0);

  return self->saved->len;
}

/**
 * lk_memory_run_get_answer:
 *
 * Returns: (transfer none): the answer saved @index-th
 */
const LkQuery *
lk_memory_run_get_answer (LkMemoryRun *self,
                          guint        index)
{
  g_return_val_if_fail (LK_IS_MEMORY_RUN (self), NULL);
  g_return_val_if_fail (index < self->saved->len, NULL);

  return g_array_index (self->saved, Saved, index).answer;
}

guint
lk_memory_run_get_n_moves (LkMemoryRun *self,
                           guint        index)
{
  g_return_val_if_fail (LK_IS_MEMORY_RUN (self), 0);
  g_return_val_if_fail (index < self->saved->len, 0);

  return g_array_index (self->saved, Saved, index).n_moves;
}

gboolean
lk_memory_run_get_pilot (LkMemoryRun *self,
                         guint        index)
{
  g_return_val_if_fail (LK_IS_MEMORY_RUN (self), FALSE);
  g_return_val_if_fail (index < self->saved->len, FALSE);

  return g_array_index (self->saved, Saved, index).pilot;
}

/**
 * lk_memory_run_get_drawn:
 *
 * Returns: %TRUE if the @index-th answer's grid was drawn on the spot (the phase's queue was
 *   empty while the refinement worker ran)
 */
gboolean
lk_memory_run_get_drawn (LkMemoryRun *self,
                         guint        index)
{
  g_return_val_if_fail (LK_IS_MEMORY_RUN (self), FALSE);
  g_return_val_if_fail (index < self->saved->len, FALSE);

  return g_array_index (self->saved, Saved, index).drawn;
}

/**
 * lk_memory_run_set_failing:
 * @failing: make every submit fail as a full disk does, until set back
 */
void
lk_memory_run_set_failing (LkMemoryRun *self,
                           gboolean     failing)
{
  g_return_if_fail (LK_IS_MEMORY_RUN (self));

  self->failing = failing;
}
