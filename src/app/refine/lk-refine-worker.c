/* lk-refine-worker.c — runs refinement phases on a worker thread and serves the query queue
 *
 * Data flows one way, answer -> store -> evidence -> worker -> snapshot -> views, and no widget
 * is touched from the worker: answers come in on the main thread; when a phase's batch is
 * complete (its queue served and as many answers in as the batch asked), a GTask thread copies
 * the refiner (lk_refiner_copy(); tens of megabytes at N = 2000, so not on the main thread,
 * which leaves its refiner alone until the copy is made: wait_copies()), runs the phase's
 * update, selects the next batch and builds an immutable LkSnapshot from its copy. Back on the
 * main loop the finished copy, the new queue and the snapshot are swapped in; nothing else is
 * touched, so the main loop never waits for the update.
 *
 * Participants never wait either. While the update runs, grids are served from the queue; when
 * it is empty, a grid is drawn at once from the current snapshot (a random item and nq - 1 of
 * its nearest neighbours, the local policy's rule; uniformly random before the first phase),
 * with a generator of its own so that the refiner's stream is untouched, and counted as drawn.
 * Answers that arrive during an update are held and added to the new refiner after the swap,
 * in the order they came, so the result equals the synchronous path's (lk_refiner_end_phase()
 * then lk_refiner_select_queries() on the same answers and seed); tests/ui/test-refine-worker.c
 * checks this bit for bit.
 *
 * A study file's run (lk-study-run.c) uses a worker made with lk_refine_worker_new_resumed():
 * its refiner is replayed from the file, perhaps mid-phase, so the first run only makes a
 * snapshot, and runs start only when the study run asks (lk_refine_worker_fold_in()), since the
 * file knows when its phase is complete; such a worker does not serve its batches but hands each
 * one over once, in serving order (lk_refine_worker_take_batch()), to be stored and served from
 * the file. Grids drawn on the spot are seeded by the number of answers so far, so a study
 * reopened after a crash draws what the first session would have drawn.
 *
 * The worker keeps the count of the study's answers (those of a replayed refiner included),
 * the grids drawn on the spot and the budget, for the runs and the views alike.
 *
 * Workers. Each answer goes into the model with its participant as a dense worker index
 * (lk_query_get_participant()), which Crowdclustering and cen model: a study file's run sets the
 * file's index (lk_participants_worker_index(), the order of the participant rows) before
 * handing the answer over; an answer that comes without one (an in-memory study) gets the index
 * of its participant code in the order the codes first came, which is the order the rows would
 * have in a file. The answers of a participant left out of the model
 * (lk_refine_worker_set_excluded()) are counted but not added to the model, as the replay skips
 * them.
 *
 * Cancellation: each run has its own GCancellable, cancelled by lk_refine_worker_cancel() and
 * on dispose. A cancelled or superseded run's result is dropped in _finish without touching the
 * worker's state, and the held answers are then added to the old refiner, which is as it was
 * before the run, so the state stays consistent.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <gsl/gsl_randist.h>

#include "lk-background.h"
#include "lk-refine-worker-private.h"
#include "lk-rng.h"

struct _LkRefineWorker
{
  GObject        parent_instance;

  /* Owned references */
  LkRefiner     *refiner;       /* main thread only; unchanged while a run is under way */
  LkTruth       *truth;         /* nullable */
  LkSnapshot    *snapshot;      /* nullable until the first run is back */
  GPtrArray     *snapshots;     /* LkSnapshot, one per completed run, in order */
  GPtrArray     *queue;         /* LkQuery: the phase's queries not yet served, in order */
  GPtrArray     *batch;         /* LkQuery: a manual worker's last batch, until taken */
  GPtrArray     *held;          /* LkQuery: answers that came in during a run */
  GPtrArray     *held_trials;   /* LkTrial: trials answered during a run */
  GCancellable  *cancellable;   /* the current run's */
  gsl_rng       *draw_rng;      /* for grids drawn while the queue is empty; reseeded each time */
  GHashTable    *participants;  /* code -> answers (GUINT_TO_POINTER) */
  GHashTable    *workers;       /* code -> worker index + 1, for answers that come without one */
  GHashTable    *excluded;      /* worker index + 1 of the participants left out */
  GArray        *grid_seconds;  /* double per answer */
  GPtrArray     *gates;         /* CopyGate of the runs that may still be copying the refiner */
  LkProgress    *progress;      /* the counters below as last published (publish_progress()) */

  /* State */
  gboolean       busy;
  gboolean       finishing;
  gboolean       resumed;       /* the first run only looks (lk_refine_worker_new_resumed()) */
  gboolean       manual;        /* runs start by lk_refine_worker_fold_in() only */
  gboolean       updated;       /* the last run folded a phase in, with last_stats */
  LkUpdateStats  last_stats;
  guint          n_answers;
  guint          n_drawn;
  guint          n_trials;      /* trials given live (lk_refine_worker_add_trial()) */
};

G_DEFINE_FINAL_TYPE (LkRefineWorker, lk_refine_worker, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_SNAPSHOT,
  PROP_BUSY,
  PROP_N_ANSWERS,
  PROP_PROGRESS,
  PROP_N_TRIALS,
  N_PROPS,
};

static GParamSpec *properties[N_PROPS];

/* Says when a run's thread has finished copying the main thread's refiner, which must not
 * change or go away before then. Shared by the run and the worker, so reference counted. */
typedef struct {
  GMutex   lock;
  GCond    cond;
  gboolean copied;
} CopyGate;

static void
copy_gate_clear (gpointer data)
{
  CopyGate *gate = data;

  g_mutex_clear (&gate->lock);
  g_cond_clear (&gate->cond);
}

static void
copy_gate_unref (CopyGate *gate)
{
  g_atomic_rc_box_release_full (gate, copy_gate_clear);
}

/* What a run works on and hands back; owned by its GTask. */
typedef struct {
  const LkRefiner *source;    /* the main thread's, read until the gate opens */
  CopyGate    *gate;
  LkRefiner   *refiner;       /* the copy; changed on the worker thread only */
  gboolean     snapshot_only; /* a resumed refiner: neither update nor select, only look */
  LkSnapshot  *previous;      /* nullable */
  LkTruth     *truth;         /* nullable */
  GPtrArray   *queries;       /* out, nullable */
  LkSnapshot  *snapshot;      /* out */
  gboolean     updated;       /* out: a phase was folded in */
  LkUpdateStats stats;        /* out: what its update did */
} PhaseJob;

static void
phase_job_free (gpointer data)
{
  PhaseJob *job = data;

  g_clear_pointer (&job->gate, copy_gate_unref);
  g_clear_pointer (&job->refiner, lk_refiner_free);
  g_clear_pointer (&job->previous, lk_snapshot_unref);
  g_clear_pointer (&job->truth, lk_truth_unref);
  g_clear_pointer (&job->queries, g_ptr_array_unref);
  g_clear_pointer (&job->snapshot, lk_snapshot_unref);
  g_free (job);
}

/* The worker thread: the copy, the phase's update, the next batch, the snapshot. Reads the main
 * thread's refiner until the gate opens, and touches nothing but @job after that. */
static void
phase_job_run (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  PhaseJob *job = task_data;

  lk_background_lower_priority ();

  /* First of all, even when cancelled: the main thread may be waiting for the gate. */
  job->refiner = lk_refiner_copy (job->source);
  job->source = NULL;
  g_mutex_lock (&job->gate->lock);
  job->gate->copied = TRUE;
  g_cond_broadcast (&job->gate->cond);
  g_mutex_unlock (&job->gate->lock);

  if (g_task_return_error_if_cancelled (task))
    return;

  if (!job->snapshot_only && lk_refiner_get_n_batch_answers (job->refiner) > 0)
    {
      lk_refiner_end_phase (job->refiner, &job->stats);
      job->updated = TRUE;
    }
  if (g_task_return_error_if_cancelled (task))
    return;

  if (!job->snapshot_only && !lk_refiner_is_done (job->refiner))
    job->queries = lk_refiner_select_queries (job->refiner,
                                              lk_refiner_get_batch_size (job->refiner));
  job->snapshot = lk_snapshot_new (job->refiner, job->updated ? &job->stats : NULL,
                                   job->previous, job->truth);

  if (g_task_return_error_if_cancelled (task))
    return;
  g_task_return_boolean (task, TRUE);
}

/* Replaces the progress record by a new one of the counters as they are now, and notifies
 * it. Called on the main thread wherever a counter the record holds changes; the record
 * handed out before is left as it was. */
static void
publish_progress (LkRefineWorker *self)
{
  const LkParams *params = lk_refiner_get_params (self->refiner);
  LkProgressCounts counts = {
    .n_answers = self->n_answers,
    .n_drawn = self->n_drawn,
    .busy = self->busy,
    .phase = lk_refiner_get_phase (self->refiner),
    .n_phases = lk_refiner_get_n_phases (self->refiner),
    .budget = params->budget,
    .n_items = lk_refiner_get_n_items (self->refiner),
    .nq = params->nq,
  };

  g_clear_pointer (&self->progress, lk_progress_unref);
  self->progress = lk_progress_new (&counts, self->participants,
                                    (const double *) (gpointer) self->grid_seconds->data,
                                    self->grid_seconds->len);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROGRESS]);
}

static void
set_busy (LkRefineWorker *self,
          gboolean        busy)
{
  if (self->busy == busy)
    return;

  self->busy = busy;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
  publish_progress (self);
}

/* Waits until every run started has copied the refiner (a copy takes milliseconds and began
 * earlier, so this seldom waits); call before changing or freeing self->refiner. */
static void
wait_copies (LkRefineWorker *self)
{
  for (guint i = 0; i < self->gates->len; i++)
    {
      CopyGate *gate = g_ptr_array_index (self->gates, i);

      g_mutex_lock (&gate->lock);
      while (!gate->copied)
        g_cond_wait (&gate->cond, &gate->lock);
      g_mutex_unlock (&gate->lock);
    }
  g_ptr_array_set_size (self->gates, 0);
}

static void
add_held (LkRefineWorker *self)
{
  wait_copies (self);
  for (guint i = 0; i < self->held->len; i++)
    lk_refiner_add_answer (self->refiner, g_ptr_array_index (self->held, i));
  g_ptr_array_set_size (self->held, 0);
  for (guint i = 0; i < self->held_trials->len; i++)
    lk_refiner_add_trial (self->refiner, g_ptr_array_index (self->held_trials, i));
  g_ptr_array_set_size (self->held_trials, 0);
}

static void run_done_cb (GObject      *object,
                         GAsyncResult *result,
                         gpointer      user_data);

/* Starts a run when the phase's batch is complete: its queue served and at least as many
 * answers in as it asked (grids drawn while the queue was empty count too), or when the study
 * is finishing and answers wait to be folded in. */
static void
maybe_start (LkRefineWorker *self)
{
  guint n_batch, batch_size;

  if (self->manual || self->busy || self->queue->len > 0 || lk_refiner_is_done (self->refiner))
    return;

  n_batch = lk_refiner_get_n_batch_answers (self->refiner);
  batch_size = lk_refiner_get_batch_size (self->refiner);
  if (n_batch == 0 || (n_batch < batch_size && !self->finishing))
    return;

  lk_refine_worker_run_phase_async (self, NULL, run_done_cb, NULL);
}

static void
run_done_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  LkRefineWorker *self = LK_REFINE_WORKER (object);
  g_autoptr(LkSnapshot) snapshot = NULL;
  g_autoptr(GError) error = NULL;

  snapshot = lk_refine_worker_run_phase_finish (self, result, &error);
  if (snapshot == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("refinement run cancelled");
      else
        g_warning ("refinement run failed: %s", error->message);
      return;
    }

  maybe_start (self);
}

static void
lk_refine_worker_dispose (GObject *object)
{
  LkRefineWorker *self = (LkRefineWorker *)object;

  g_cancellable_cancel (self->cancellable);

  G_OBJECT_CLASS (lk_refine_worker_parent_class)->dispose (object);
}

static void
lk_refine_worker_finalize (GObject *object)
{
  LkRefineWorker *self = (LkRefineWorker *)object;

  g_clear_object (&self->cancellable);
  wait_copies (self);
  g_clear_pointer (&self->gates, g_ptr_array_unref);
  g_clear_pointer (&self->refiner, lk_refiner_free);
  g_clear_pointer (&self->truth, lk_truth_unref);
  g_clear_pointer (&self->snapshot, lk_snapshot_unref);
  g_clear_pointer (&self->snapshots, g_ptr_array_unref);
  g_clear_pointer (&self->queue, g_ptr_array_unref);
  g_clear_pointer (&self->batch, g_ptr_array_unref);
  g_clear_pointer (&self->held, g_ptr_array_unref);
  g_clear_pointer (&self->held_trials, g_ptr_array_unref);
  g_clear_pointer (&self->draw_rng, gsl_rng_free);
  g_clear_pointer (&self->participants, g_hash_table_unref);
  g_clear_pointer (&self->workers, g_hash_table_unref);
  g_clear_pointer (&self->excluded, g_hash_table_unref);
  g_clear_pointer (&self->grid_seconds, g_array_unref);
  g_clear_pointer (&self->progress, lk_progress_unref);

  G_OBJECT_CLASS (lk_refine_worker_parent_class)->finalize (object);
}

static void
lk_refine_worker_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  LkRefineWorker *self = LK_REFINE_WORKER (object);

  switch (prop_id)
    {
    case PROP_SNAPSHOT:
      g_value_set_boxed (value, self->snapshot);
      break;

    case PROP_BUSY:
      g_value_set_boolean (value, self->busy);
      break;

    case PROP_N_ANSWERS:
      g_value_set_uint (value, self->n_answers);
      break;

    case PROP_PROGRESS:
      g_value_set_boxed (value, self->progress);
      break;

    case PROP_N_TRIALS:
      g_value_set_uint (value, self->n_trials);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lk_refine_worker_class_init (LkRefineWorkerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = lk_refine_worker_dispose;
  object_class->finalize = lk_refine_worker_finalize;
  object_class->get_property = lk_refine_worker_get_property;

  properties[PROP_SNAPSHOT] =
    g_param_spec_boxed ("snapshot", NULL, NULL, LK_TYPE_SNAPSHOT,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_ANSWERS] =
    g_param_spec_uint ("n-answers", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PROGRESS] =
    g_param_spec_boxed ("progress", NULL, NULL, LK_TYPE_PROGRESS,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* Trials given as they are answered, for views that follow them (the experimenter's
   * scores); a replayed study's are not counted. */
  properties[PROP_N_TRIALS] =
    g_param_spec_uint ("n-trials", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
lk_refine_worker_init (LkRefineWorker *self)
{
  self->snapshots = g_ptr_array_new_with_free_func ((GDestroyNotify) lk_snapshot_unref);
  self->queue = g_ptr_array_new_with_free_func ((GDestroyNotify) lk_query_free);
  self->held = g_ptr_array_new_with_free_func ((GDestroyNotify) lk_query_free);
  self->held_trials = g_ptr_array_new_with_free_func ((GDestroyNotify) lk_trial_free);
  self->participants = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->workers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->excluded = g_hash_table_new (NULL, NULL);
  self->grid_seconds = g_array_new (FALSE, FALSE, sizeof (double));
  self->gates = g_ptr_array_new_with_free_func ((GDestroyNotify) copy_gate_unref);
}

/* Takes @refiner and starts the first run (only a look at it, when @resumed), unless @history
 * (LkSnapshot of the phases done, oldest first; nullable) already holds the current one. */
static LkRefineWorker *
worker_new (LkRefiner *refiner,
            GPtrArray *history,
            LkTruth   *truth,
            gboolean   resumed)
{
  LkRefineWorker *self = g_object_new (LK_TYPE_REFINE_WORKER, NULL);

  self->refiner = refiner;
  /* The worker keeps the study's answer count: a replayed refiner holds the earlier ones. */
  self->n_answers = lk_refiner_get_answers (refiner)->len;
  self->truth = truth != NULL ? lk_truth_ref (truth) : NULL;
  self->resumed = resumed;
  self->manual = resumed;
  publish_progress (self);
  for (guint i = 0; history != NULL && i < history->len; i++)
    g_ptr_array_add (self->snapshots, lk_snapshot_ref (g_ptr_array_index (history, i)));
  if (self->snapshots->len > 0)
    {
      /* The last phase's snapshot is the current one: no first run is needed. */
      self->snapshot = lk_snapshot_ref (g_ptr_array_index (self->snapshots,
                                                           self->snapshots->len - 1));
      self->resumed = FALSE;
      return self;
    }
  lk_refine_worker_run_phase_async (self, NULL, run_done_cb, NULL);

  return self;
}

/**
 * lk_refine_worker_new:
 * @refiner: (transfer full): a refiner, usually fresh
 * @truth: (nullable): ground truth, for recall and cluster error in the snapshots
 *
 * Starts the first run at once: it selects the first batch and makes the first snapshot.
 *
 * Returns: (transfer full): the worker
 */
LkRefineWorker *
lk_refine_worker_new (LkRefiner *refiner,
                      LkTruth   *truth)
{
  g_return_val_if_fail (refiner != NULL, NULL);

  return worker_new (refiner, NULL, truth, FALSE);
}

/**
 * lk_refine_worker_new_resumed:
 * @refiner: (transfer full): a refiner rebuilt from a study file, perhaps mid-phase
 * @history: (nullable) (element-type LkSnapshot): a snapshot of each phase the replay ended,
 *   oldest first (referenced), so that the views can go back through the study's phases; the
 *   last one is the current snapshot
 * @truth: (nullable): ground truth, for recall and cluster error in the snapshots
 *
 * A worker that goes on where @refiner is. Without @history, its first run neither folds in the
 * answers of the phase under way nor selects a batch (the study file holds the phase's queries),
 * it only makes the first snapshot. Later runs start only when lk_refine_worker_fold_in() is called (the study
 * file knows when its phase is complete), and are as lk_refine_worker_new()'s.
 *
 * Returns: (transfer full): the worker
 */
LkRefineWorker *
lk_refine_worker_new_resumed (LkRefiner *refiner,
                              GPtrArray *history,
                              LkTruth   *truth)
{
  g_return_val_if_fail (refiner != NULL, NULL);

  return worker_new (refiner, history, truth, TRUE);
}

/**
 * lk_refine_worker_get_last_stats:
 * @stats: (out caller-allocates): what the last run's update did
 *
 * Returns: %TRUE if the last run swapped in folded a phase in (then @stats is set)
 */
gboolean
lk_refine_worker_get_last_stats (LkRefineWorker *self,
                                 LkUpdateStats  *stats)
{
  g_return_val_if_fail (LK_IS_REFINE_WORKER (self), FALSE);

  if (self->updated)
    *stats = self->last_stats;

  return self->updated;
}

/**
 * lk_refine_worker_take_batch:
 *
 * Takes the batch of queries that the last run selected, for a study file to store and serve
 * itself. Only a worker made with lk_refine_worker_new_resumed() keeps its batch for this; any
 * other serves it from its own queue.
 *
 * Returns: (transfer full) (element-type LkQuery) (nullable): the queries, in serving order, or
 *   %NULL if there is none to take
 */
GPtrArray *
lk_refine_worker_take_batch (LkRefineWorker *self)
{
  g_return_val_if_fail (LK_IS_REFINE_WORKER (self), NULL);

  return g_steal_pointer (&self->batch);
}

/**
 * lk_refine_worker_fold_in:
 *
 * Starts a run now if none is under way and the phase holds answers, whether or not as many
 * as its batch asked (a study file decides when its phase is complete: every query of the
 * phase answered).
 */
void
lk_refine_worker_fold_in (LkRefineWorker *self)
{
  g_return_if_fail (LK_IS_REFINE_WORKER (self));

  if (self->busy || lk_refiner_is_done (self->refiner)
      || lk_refiner_get_n_batch_answers (self->refiner) == 0)
    return;

  lk_refine_worker_run_phase_async (self, NULL, run_done_cb, NULL);
}

/**
 * lk_refine_worker_get_snapshot:
 *
 * Returns: (transfer none) (nullable): the latest snapshot, %NULL until the first run is back
 */
LkSnapshot *
lk_refine_worker_get_snapshot (LkRefineWorker *self)
{
  g_return_val_if_fail (LK_IS_REFINE_WORKER (self), NULL);

  return self->snapshot;
}

/**
 * lk_refine_worker_get_snapshots:
 *
 * Returns: (transfer none) (element-type LkSnapshot): every snapshot so far, oldest first
 */
GPtrArray *
lk_refine_worker_get_snapshots (LkRefineWorker *self)
{
  g_return_val_if_fail (LK_IS_REFINE_WORKER (self), NULL);

  return self->snapshots;
}

/**
 * lk_refine_worker_get_progress:
 *
 * Returns: (transfer none): the current progress record (a new one replaces it, notified as
 *   "progress", whenever a counter changes; a record never changes)
 */
LkProgress *
lk_refine_worker_get_progress (LkRefineWorker *self)
{
  g_return_val_if_fail (LK_IS_REFINE_WORKER (self), NULL);

  return self->progress;
}

/**
 * lk_refine_worker_get_refiner:
 *
 * Returns: (transfer none): the main thread's refiner (read only)
 */
const LkRefiner *
lk_refine_worker_get_refiner (LkRefineWorker *self)
{
  g_return_val_if_fail (LK_IS_REFINE_WORKER (self), NULL);

  return self->refiner;
}

gboolean
lk_refine_worker_get_busy (LkRefineWorker *self)
{
  g_return_val_if_fail (LK_IS_REFINE_WORKER (self), FALSE);

  return self->busy;
}

/**
 * lk_refine_worker_get_phase:
 *
 * Returns: the phase answers are being collected for (completed phases of the refiner)
 */
guint
lk_refine_worker_get_phase (LkRefineWorker *self)
{
  g_return_val_if_fail (LK_IS_REFINE_WORKER (self), 0);

  return lk_refiner_get_phase (self->refiner);
}

/**
 * lk_refine_worker_get_answer_phase:
 *
 * Returns: the phase an answer given now belongs to: the one answers are collected for, or,
 *   while a run folds that phase in, the next one (the worker holds the answer and adds it to
 *   the updated refiner)
 */
guint
lk_refine_worker_get_answer_phase (LkRefineWorker *self)
{
  g_return_val_if_fail (LK_IS_REFINE_WORKER (self), 0);

  return lk_refiner_get_phase (self->refiner)
         + (self->busy && lk_refiner_get_n_batch_answers (self->refiner) > 0);
}

guint
lk_refine_worker_get_queue_length (LkRefineWorker *self)
{
  g_return_val_if_fail (LK_IS_REFINE_WORKER (self), 0);

  return self->queue->len;
}

guint
lk_refine_worker_get_n_answers (LkRefineWorker *self)
{
  g_return_val_if_fail (LK_IS_REFINE_WORKER (self), 0);

  return self->n_answers;
}

/**
 * lk_refine_worker_get_n_drawn:
 *
 * Returns: how many grids were drawn on the spot because the queue was empty
 */
guint
lk_refine_worker_get_n_drawn (LkRefineWorker *self)
{
  g_return_val_if_fail (LK_IS_REFINE_WORKER (self), 0);

  return self->n_drawn;
}

guint
lk_refine_worker_get_budget (LkRefineWorker *self)
{
  g_return_val_if_fail (LK_IS_REFINE_WORKER (self), 0);

  return lk_refiner_get_params (self->refiner)->budget;
}

/**
 * lk_refine_worker_count_answers_of:
 * @participant: a participant code
 *
 * Returns: the answers given under @participant, those of the study a run replayed included
 *   (lk_refine_worker_add_past_answers())
 */
guint
lk_refine_worker_count_answers_of (LkRefineWorker *self,
                                   const char     *participant)
{
  g_return_val_if_fail (LK_IS_REFINE_WORKER (self), 0);
  g_return_val_if_fail (participant != NULL, 0);

  return GPOINTER_TO_UINT (g_hash_table_lookup (self->participants, participant));
}

/**
 * lk_refine_worker_is_done:
 *
 * Returns: %TRUE when every phase has been folded in and no run is under way
 */
gboolean
lk_refine_worker_is_done (LkRefineWorker *self)
{
  g_return_val_if_fail (LK_IS_REFINE_WORKER (self), TRUE);

  return !self->busy && lk_refiner_is_done (self->refiner);
}

/**
 * lk_refine_worker_get_participants:
 *
 * Returns: (transfer none): participant code -> number of answers (GUINT_TO_POINTER)
 */
GHashTable *
lk_refine_worker_get_participants (LkRefineWorker *self)
{
  g_return_val_if_fail (LK_IS_REFINE_WORKER (self), NULL);

  return self->participants;
}

/* Returns a grid drawn now from the latest snapshot, without the refiner's generator. */
static LkQuery *
draw_query (LkRefineWorker *self)
{
  const LkParams *params = lk_refiner_get_params (self->refiner);
  guint n = lk_refiner_get_n_items (self->refiner);
  g_autofree guint *pick = g_new (guint, params->nq);
  const guint *knn;
  guint k;

  /* Seeded by how many answers there are, not by a running stream: a study file reopened
   * after a crash draws the grid the first session would have drawn at that point. */
  g_clear_pointer (&self->draw_rng, gsl_rng_free);
  self->draw_rng = lk_rng_new (lk_rng_derive (lk_rng_derive (params->seed, 5),
                                              lk_refiner_get_answers (self->refiner)->len
                                              + self->held->len));
  if (self->snapshot == NULL || lk_snapshot_get_phase (self->snapshot) == 0
      || (knn = lk_snapshot_get_knn (self->snapshot, &k), k + 1 < params->nq))
    {
      g_autofree guint *all = g_new (guint, n);

      for (guint i = 0; i < n; i++)
        all[i] = i;
      gsl_ran_choose (self->draw_rng, pick, params->nq, all, n, sizeof (guint));
    }
  else
    {
      pick[0] = gsl_rng_uniform_int (self->draw_rng, n);
      gsl_ran_choose (self->draw_rng, pick + 1, params->nq - 1,
                      (void *) (knn + (gsize) pick[0] * k), k,
                      sizeof (guint));
    }
  gsl_ran_shuffle (self->draw_rng, pick, params->nq, sizeof (guint));

  return lk_query_new (pick, params->nq);
}

/**
 * lk_refine_worker_next_query:
 * @drawn: (out) (optional): set to %TRUE if the grid was drawn on the spot (the queue was empty)
 *
 * Returns: (transfer full) (nullable): the next grid to show, %NULL when the study is done
 */
LkQuery *
lk_refine_worker_next_query (LkRefineWorker *self,
                             gboolean       *drawn)
{
  g_return_val_if_fail (LK_IS_REFINE_WORKER (self), NULL);

  if (drawn != NULL)
    *drawn = FALSE;
  if (self->queue->len > 0)
    return g_ptr_array_steal_index (self->queue, 0);
  if (lk_refine_worker_is_done (self))
    return NULL;

  if (drawn != NULL)
    *drawn = TRUE;
  self->n_drawn++;
  publish_progress (self);

  return draw_query (self);
}

/* The dense worker index of @participant: the order in which codes first answered. */
static guint
worker_index (LkRefineWorker *self,
              const char     *participant)
{
  gpointer value = g_hash_table_lookup (self->workers, participant);

  if (value == NULL)
    {
      value = GUINT_TO_POINTER (g_hash_table_size (self->workers) + 1);
      g_hash_table_insert (self->workers, g_strdup (participant), value);
    }

  return GPOINTER_TO_UINT (value) - 1;
}

/**
 * lk_refine_worker_add_trial:
 * @trial: an answered trial, copied
 * @participant: (nullable): who answered
 *
 * Gives the model a trial as it is answered (held until the run under way is back, if any),
 * with its participant as a worker index as lk_refine_worker_add_answer() gives answers theirs,
 * and in the order they come, which is the order the replay of a study file adds them in. A
 * trial does not count towards the phase's batch; a left-out participant's is not given.
 */
void
lk_refine_worker_add_trial (LkRefineWorker *self,
                            const LkTrial  *trial,
                            const char     *participant)
{
  g_autoptr(LkTrial) copy = NULL;

  g_return_if_fail (LK_IS_REFINE_WORKER (self));
  g_return_if_fail (trial != NULL && lk_trial_is_answered (trial));

  copy = lk_trial_copy (trial);
  if (copy->participant == LK_PARTICIPANT_UNKNOWN && participant != NULL)
    copy->participant = worker_index (self, participant);
  if (copy->participant == LK_PARTICIPANT_UNKNOWN
      || !g_hash_table_contains (self->excluded, GUINT_TO_POINTER (copy->participant + 1)))
    {
      if (self->busy)
        g_ptr_array_add (self->held_trials, g_steal_pointer (&copy));
      else
        {
          wait_copies (self);
          lk_refiner_add_trial (self->refiner, copy);
        }
    }
  self->n_trials++;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_TRIALS]);
}

/**
 * lk_refine_worker_add_answer:
 * @answer: an answered query, copied
 * @participant: (nullable): who answered
 * @seconds: how long the grid took, or a negative number if unknown
 *
 * Adds an answer (held until the run under way is back, if any), and starts a run when it
 * completes the phase's batch.
 */
void
lk_refine_worker_add_answer (LkRefineWorker *self,
                             const LkQuery  *answer,
                             const char     *participant,
                             double          seconds)
{
  g_autoptr(LkQuery) copy = NULL;
  guint worker;

  g_return_if_fail (LK_IS_REFINE_WORKER (self));
  g_return_if_fail (answer != NULL && lk_query_is_answered (answer));

  worker = lk_query_get_participant (answer);
  if (worker == LK_PARTICIPANT_UNKNOWN && participant != NULL)
    {
      worker = worker_index (self, participant);
      copy = lk_query_copy (answer);
      lk_query_set_participant (copy, worker);
      answer = copy;
    }

  if (worker != LK_PARTICIPANT_UNKNOWN
      && g_hash_table_contains (self->excluded, GUINT_TO_POINTER (worker + 1)))
    ; /* counted below, but left out of the model */
  else if (self->busy)
    g_ptr_array_add (self->held, lk_query_copy (answer));
  else
    {
      wait_copies (self);
      lk_refiner_add_answer (self->refiner, answer);
    }

  if (participant != NULL)
    {
      guint count = GPOINTER_TO_UINT (g_hash_table_lookup (self->participants, participant));

      g_hash_table_replace (self->participants, g_strdup (participant),
                            GUINT_TO_POINTER (count + 1));
    }
  if (seconds >= 0)
    g_array_append_val (self->grid_seconds, seconds);
  self->n_answers++;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ANSWERS]);
  publish_progress (self);

  maybe_start (self);
}

/**
 * lk_refine_worker_add_check_answer:
 * @participant: (nullable): who answered
 * @seconds: how long the grid took, or a negative number if unknown
 *
 * Counts the answer to a grid that checks its participant (a repeat or a catch grid) among
 * @participant's answers, the grids' times and the study's answers (the budget: a participant's
 * time), as the file's rows are counted when a study is opened (lk_store_get_answer_times(),
 * lk_participants_count_left_out()); the model never sees it, as the replay does not.
 */
void
lk_refine_worker_add_check_answer (LkRefineWorker *self,
                                   const char     *participant,
                                   double          seconds)
{
  g_return_if_fail (LK_IS_REFINE_WORKER (self));

  if (participant != NULL)
    {
      guint count = GPOINTER_TO_UINT (g_hash_table_lookup (self->participants, participant));

      g_hash_table_replace (self->participants, g_strdup (participant),
                            GUINT_TO_POINTER (count + 1));
    }
  if (seconds >= 0)
    g_array_append_val (self->grid_seconds, seconds);
  self->n_answers++;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ANSWERS]);
  publish_progress (self);
}

/**
 * lk_refine_worker_set_excluded:
 * @workers: (array length=n_workers) (nullable): worker indices of the participants left out
 * @n_workers: their number
 *
 * Answers that come from now on from these participants are counted but not added to the
 * model. The model made so far is not recomputed here: a study file's run is replayed from the
 * file for that (lk_study_run_new_async()).
 */
void
lk_refine_worker_set_excluded (LkRefineWorker *self,
                               const guint    *workers,
                               guint           n_workers)
{
  g_return_if_fail (LK_IS_REFINE_WORKER (self));
  g_return_if_fail (workers != NULL || n_workers == 0);

  g_hash_table_remove_all (self->excluded);
  for (guint i = 0; i < n_workers; i++)
    g_hash_table_add (self->excluded, GUINT_TO_POINTER (workers[i] + 1));
}

/**
 * lk_refine_worker_add_left_out_answers:
 * @n_answers: answers stored but left out of the model (a study file's participants left out)
 *
 * Counts them with the study's answers (the budget counts every stored answer); the replayed
 * refiner the worker was made with does not hold them.
 */
void
lk_refine_worker_add_left_out_answers (LkRefineWorker *self,
                                       guint           n_answers)
{
  g_return_if_fail (LK_IS_REFINE_WORKER (self));

  if (n_answers == 0)
    return;
  self->n_answers += n_answers;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ANSWERS]);
  publish_progress (self);
}

/**
 * lk_refine_worker_finish:
 *
 * The study is over: folds the answers of an unfinished phase in (one more run, if needed).
 */
void
lk_refine_worker_finish (LkRefineWorker *self)
{
  g_return_if_fail (LK_IS_REFINE_WORKER (self));

  self->finishing = TRUE;
  g_ptr_array_set_size (self->queue, 0);
  maybe_start (self);
}

/**
 * lk_refine_worker_cancel:
 *
 * Cancels the run under way, if any. Its result is dropped; answers held for it are added to
 * the refiner, which is as it was before the run.
 */
void
lk_refine_worker_cancel (LkRefineWorker *self)
{
  g_return_if_fail (LK_IS_REFINE_WORKER (self));

  g_cancellable_cancel (self->cancellable);
  if (self->busy)
    {
      add_held (self);
      set_busy (self, FALSE);
    }
}

/**
 * lk_refine_worker_run_phase_async:
 * @cancellable: (nullable): cancels the run (the worker's own cancellable is always chained)
 *
 * Copies the refiner and runs, both on a worker thread, the phase update (if the refiner holds
 * answers of the phase), the next batch's selection and a snapshot. Only one run at a time:
 * a new one supersedes the one under way, whose result is then dropped.
 */
void
lk_refine_worker_run_phase_async (LkRefineWorker      *self,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  PhaseJob *job;

  g_return_if_fail (LK_IS_REFINE_WORKER (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = cancellable != NULL ? g_object_ref (cancellable) : g_cancellable_new ();

  job = g_new0 (PhaseJob, 1);
  /* Copied on the run's thread: the copy of a large refiner takes milliseconds. While a run
   * is under way the refiner does not change (answers are held), and whatever would change or
   * free it first waits for the copy (wait_copies()). */
  job->source = self->refiner;
  job->gate = g_atomic_rc_box_new0 (CopyGate);
  g_mutex_init (&job->gate->lock);
  g_cond_init (&job->gate->cond);
  g_ptr_array_add (self->gates, g_atomic_rc_box_acquire (job->gate));
  job->snapshot_only = self->resumed;
  self->resumed = FALSE;
  job->previous = self->snapshot != NULL ? lk_snapshot_ref (self->snapshot) : NULL;
  job->truth = self->truth != NULL ? lk_truth_ref (self->truth) : NULL;

  task = g_task_new (self, self->cancellable, callback, user_data);
  g_task_set_source_tag (task, lk_refine_worker_run_phase_async);
  g_task_set_task_data (task, job, phase_job_free);
  set_busy (self, TRUE);
  g_task_run_in_thread (task, phase_job_run);
}

/**
 * lk_refine_worker_run_phase_finish:
 *
 * Swaps the run's result in: the updated refiner, the next batch as the queue, and the new
 * snapshot (notified as "snapshot"); then adds the answers held during the run. A cancelled or
 * superseded run changes nothing and fails with %G_IO_ERROR_CANCELLED.
 *
 * Returns: (transfer full): the new snapshot, or %NULL with @error set
 */
LkSnapshot *
lk_refine_worker_run_phase_finish (LkRefineWorker  *self,
                                   GAsyncResult    *result,
                                   GError         **error)
{
  GTask *task = G_TASK (result);
  PhaseJob *job;

  g_return_val_if_fail (LK_IS_REFINE_WORKER (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (task) == lk_refine_worker_run_phase_async, NULL);

  if (!g_task_propagate_boolean (task, error))
    return NULL;

  /* Superseded or cancelled after the thread returned: drop it. */
  if (g_task_get_cancellable (task) != self->cancellable
      || g_cancellable_is_cancelled (self->cancellable))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, "superseded");
      return NULL;
    }

  job = g_task_get_task_data (task);
  wait_copies (self);
  g_clear_pointer (&self->refiner, lk_refiner_free);
  self->refiner = g_steal_pointer (&job->refiner);
  /* The batch changes hands once, in serving order: to the queue, or to whoever takes it. */
  g_ptr_array_set_size (self->queue, 0);
  g_clear_pointer (&self->batch, g_ptr_array_unref);
  if (job->queries != NULL && self->manual)
    self->batch = g_steal_pointer (&job->queries);
  else if (job->queries != NULL && !self->finishing)
    {
      g_ptr_array_unref (self->queue);
      self->queue = g_steal_pointer (&job->queries);
    }
  self->updated = job->updated;
  self->last_stats = job->stats;
  g_clear_pointer (&self->snapshot, lk_snapshot_unref);
  self->snapshot = g_steal_pointer (&job->snapshot);
  g_ptr_array_add (self->snapshots, lk_snapshot_ref (self->snapshot));
  add_held (self);
  set_busy (self, FALSE);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SNAPSHOT]);

  return lk_snapshot_ref (self->snapshot);
}

/**
 * lk_refine_worker_add_past_answers:
 * @participants: (element-type utf8 guint): participant code -> answers (GUINT_TO_POINTER)
 *   stored before the worker was made (a study file's), added to the counts per participant
 * @seconds: (nullable) (array length=n_seconds): those answers' time per grid
 *
 * A replayed refiner brings its answers but not who gave them: a study run reads that from
 * the file once, when the run is made, so that the progress record covers the whole study.
 */
void
lk_refine_worker_add_past_answers (LkRefineWorker *self,
                                   GHashTable     *participants,
                                   const double   *seconds,
                                   guint           n_seconds)
{
  GHashTableIter iter;
  gpointer key, value;

  g_return_if_fail (LK_IS_REFINE_WORKER (self));
  g_return_if_fail (participants != NULL);
  g_return_if_fail (seconds != NULL || n_seconds == 0);

  g_hash_table_iter_init (&iter, participants);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      guint count = GPOINTER_TO_UINT (g_hash_table_lookup (self->participants, key));

      g_hash_table_replace (self->participants, g_strdup (key),
                            GUINT_TO_POINTER (count + GPOINTER_TO_UINT (value)));
    }
  g_array_append_vals (self->grid_seconds, seconds, n_seconds);
  publish_progress (self);
}
