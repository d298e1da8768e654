/* lk-store-saver.c — answers written to the study file, and the study's queue of grids
 *
 * Each answer is one transaction (lk_answers_save) committed before save() returns, so the
 * session shows the next grid only once the answer is on disk. The queue is the file's: the
 * oldest query still open. So a study whose app was killed resumes at the next unanswered grid.
 *
 * Phase ends run on an LkRefineWorker (issue 5), never on the main thread. The refiner that
 * lk_answers_rebuild_and_repair() replayed from the file goes to a worker made with
 * lk_refine_worker_new_resumed(); every saved answer is added to it. When the file has no open
 * query left and the phase holds answers, the worker folds the phase in on its thread (it
 * starts by itself when the batch is complete; lk_refine_worker_fold_in() covers phases that
 * end with fewer answers, such as imported ones). Until its result is back, grids are drawn on
 * the spot from the current snapshot; their answers are saved with a query row of their own,
 * policy "spot" (lk_answers_save_spot()), in the phase they will be folded into. When a run is
 * swapped in ("notify::snapshot"), the phase's embedding and the next batch are stored in one
 * transaction (lk_answers_store_phase()) and served from the file as before. If that write
 * fails, it is tried again before the next grid, and the participant sees the error and Retry
 * in the meantime: nothing computed is lost, and nothing is served that the file lacks.
 *
 * Killed while a run was under way, the file holds the phase's answers (and maybe spot answers)
 * but no phase row; the next open replays the phase as the run did and stores it
 * (lk_answers_rebuild_and_repair()), so the study reaches the same embeddings. While a run is
 * under way the saver keeps itself alive, so a session that ends at the last grid still gets its
 * last phase stored.
 *
 * The participant and the session rows are written with the first answer, not before: a
 * participant who declines consent, or leaves before answering, leaves nothing in the study.
 * A failure there is a failed save like any other, and the session's Retry writes them again.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n.h>

#include "lk-answers.h"
#include "lk-refine-worker.h"
#include "lk-store-saver.h"

struct _LkStoreSaver
{
  GObject     parent_instance;

  /* Owned references */
  LkStudy        *study;
  LkRefineWorker *worker;
  char           *station;
  LkStoreSaver   *self_ref;     /* while a run is under way */
  GError         *store_error;  /* why the last run's result is not in the file yet */
  GPtrArray      *unstored_batch; /* LkQuery: that run's batch, while it is not */

  /* Rows written with the first answer */
  gint64      participant;
  gint64      session;
  guint       n_answered;   /* in the study when the saver was made */
};

static void lk_store_saver_answer_saver_init (LkAnswerSaverInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (LkStoreSaver, lk_store_saver, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (LK_TYPE_ANSWER_SAVER,
                                                      lk_store_saver_answer_saver_init))

/* Returns TRUE once the participant and the session are in the study. */
static gboolean
ensure_session (LkStoreSaver          *self,
                const LkAnswerRecord  *record,
                GError               **error)
{
  LkStore *store = lk_study_get_store (self->study);

  if (self->session > 0)
    return TRUE;

  /* A code already in the study is the same person coming back (or a resumed session). */
  if (self->participant == 0)
    self->participant = lk_store_find_participant (store, record->participant);
  if (self->participant == 0)
    self->participant = lk_store_add_participant (store, record->participant, TRUE,
                                                  record->pilot, NULL, error);
  if (self->participant == 0)
    return FALSE;
  self->session = lk_store_begin_session (store, self->participant, self->station, error);

  return self->session > 0;
}

static gboolean
lk_store_saver_save (LkAnswerSaver         *saver,
                     const LkAnswerRecord  *record,
                     GError               **error)
{
  LkStoreSaver *self = LK_STORE_SAVER (saver);
  LkStore *store = lk_study_get_store (self->study);
  g_autofree LkMove *moves = g_new0 (LkMove, MAX (record->n_moves, 1));

  g_return_val_if_fail (store != NULL, FALSE);
  g_return_val_if_fail (record->query_id > 0 || record->drawn, FALSE);

  if (!ensure_session (self, record, error))
    return FALSE;

  /* An undo is kept as the move it makes (back to where the image was). */
  for (guint i = 0; i < record->n_moves; i++)
    moves[i] = (LkMove) {
      .item = record->moves[i].item,
      .from = record->moves[i].from,
      .to = record->moves[i].to,
      .ms = (guint) CLAMP (record->moves[i].ms, 0, G_MAXUINT),
    };
  if (record->query_id > 0)
    {
      if (lk_answers_save (store, record->query_id, record->answer, self->session,
                           record->shown_us, record->submitted_us, moves, record->n_moves,
                           error) == 0)
        return FALSE;
    }
  else
    {
      LkSnapshot *snapshot = lk_refine_worker_get_snapshot (self->worker);

      if (lk_answers_save_spot (store, record->phase,
                                snapshot != NULL ? lk_snapshot_get_phase (snapshot) : 0,
                                record->answer, self->session, record->shown_us,
                                record->submitted_us, moves, record->n_moves, error) == 0)
        return FALSE;
    }

  lk_refine_worker_add_answer (self->worker, record->answer, record->participant,
                               (record->submitted_us - record->shown_us)
                               / (double) G_USEC_PER_SEC);

  return TRUE;
}

/* Stores the run swapped in last, if the file does not have it yet. */
static gboolean
store_run (LkStoreSaver  *self,
           GError       **error)
{
  LkStore *store = lk_study_get_store (self->study);
  const LkRefiner *refiner = lk_refine_worker_get_refiner (self->worker);
  LkStoreCounts counts;
  LkUpdateStats stats;

  if (!lk_refine_worker_get_last_stats (self->worker, &stats))
    return TRUE;
  if (!lk_store_get_counts (store, &counts, error))
    return FALSE;
  if (counts.phases_done >= lk_refiner_get_phase (refiner))
    return TRUE;

  /* Kept until the file has it: it is the only copy of the batch. */
  if (self->unstored_batch == NULL)
    self->unstored_batch = lk_refine_worker_take_queue (self->worker);
  if (!lk_answers_store_phase (store, refiner, &stats, self->unstored_batch, NULL, error))
    return FALSE;
  g_clear_pointer (&self->unstored_batch, g_ptr_array_unref);

  return TRUE;
}

static void
snapshot_cb (LkRefineWorker *worker,
             GParamSpec     *pspec,
             LkStoreSaver   *self)
{
  g_clear_error (&self->store_error);
  if (!store_run (self, &self->store_error))
    g_warning ("could not store the phase: %s", self->store_error->message);
}

static gboolean
release_cb (gpointer data)
{
  g_object_unref (data);

  return G_SOURCE_REMOVE;
}

static void
busy_cb (LkRefineWorker *worker,
         GParamSpec     *pspec,
         LkStoreSaver   *self)
{
  if (lk_refine_worker_get_busy (worker) && self->self_ref == NULL)
    self->self_ref = g_object_ref (self);
  else if (!lk_refine_worker_get_busy (worker) && self->self_ref != NULL)
    /* Not now: the worker is still notifying, and this may be the last reference. */
    g_idle_add_full (G_PRIORITY_DEFAULT, release_cb, g_steal_pointer (&self->self_ref), NULL);
}

/* Returns a grid drawn on the spot while the worker folds the phase in (query id 0). */
static LkQuery *
spot_query (LkStoreSaver  *self,
            gint64        *query_id,
            guint         *phase)
{
  *query_id = 0;
  *phase = lk_refine_worker_get_answer_phase (self->worker);

  return lk_refine_worker_next_query (self->worker, NULL);
}

static LkQuery *
lk_store_saver_next_query (LkAnswerSaver  *saver,
                           gint64         *query_id,
                           guint          *phase,
                           GError        **error)
{
  LkStoreSaver *self = LK_STORE_SAVER (saver);
  LkStore *store = lk_study_get_store (self->study);
  const LkRefiner *refiner = lk_refine_worker_get_refiner (self->worker);
  g_autoptr(GArray) open = NULL;

  /* A run's result the file could not take: nothing is served until it has it. */
  if (self->store_error != NULL && !lk_refine_worker_get_busy (self->worker))
    {
      g_clear_error (&self->store_error);
      if (!store_run (self, error))
        return NULL;
    }

  open = lk_answers_list_open (store, error);
  if (open == NULL)
    return NULL;
  if (open->len > 0)
    {
      g_autoptr(GError) local_error = NULL;
      gint64 id = g_array_index (open, gint64, 0);
      LkQuery *query = lk_answers_get_query (store, id, NULL, error);

      if (query == NULL)
        return NULL;
      /* Only a mark for the analysis: a failure here must not stop the participant. */
      if (!lk_answers_set_state (store, id, LK_QUERY_SERVED, &local_error))
        g_debug ("could not mark query %" G_GINT64_FORMAT " served: %s", id,
                 local_error->message);
      *query_id = id;
      *phase = lk_refiner_get_phase (refiner);
      return query;
    }

  /* The phase is fully answered: the worker folds it in (if it has not started by itself),
   * and the participant gets a grid drawn on the spot meanwhile. */
  if (lk_refine_worker_is_done (self->worker))
    return NULL;
  lk_refine_worker_fold_in (self->worker);
  if (lk_refine_worker_get_busy (self->worker))
    return spot_query (self, query_id, phase);

  g_set_error (error, LK_STORE_ERROR, LK_STORE_ERROR_INVALID,
               _("The study has no grid to show: phase %u has no queries"),
               lk_refiner_get_phase (refiner) + 1);
  return NULL;
}

static guint
lk_store_saver_get_n_answered (LkAnswerSaver *saver)
{
  return LK_STORE_SAVER (saver)->n_answered;
}

static gboolean
lk_store_saver_end (LkAnswerSaver  *saver,
                    GError        **error)
{
  LkStoreSaver *self = LK_STORE_SAVER (saver);
  LkStore *store = lk_study_get_store (self->study);

  LkStoreCounts counts;

  if (store == NULL)
    return TRUE;
  if (self->session > 0)
    {
      if (!lk_store_end_session (store, self->session, error))
        return FALSE;
      self->session = 0;
    }

  /* The budget is spent (grids drawn on the spot count too): the queries still open are given
   * up, and the last phase is folded in with the answers it has. */
  if (!lk_store_get_counts (store, &counts, error))
    return FALSE;
  if (counts.answers >= lk_store_get_params (store)->budget
      && !lk_refine_worker_is_done (self->worker))
    {
      g_autoptr(GArray) open = lk_answers_list_open (store, error);

      if (open == NULL)
        return FALSE;
      for (guint i = 0; i < open->len; i++)
        if (!lk_answers_set_state (store, g_array_index (open, gint64, i), LK_QUERY_ABANDONED,
                                   error))
          return FALSE;
      lk_refine_worker_fold_in (self->worker);
    }

  return TRUE;
}

static LkRefineWorker *
lk_store_saver_get_worker (LkAnswerSaver *saver)
{
  return LK_STORE_SAVER (saver)->worker;
}

static void
lk_store_saver_answer_saver_init (LkAnswerSaverInterface *iface)
{
  iface->get_refine_worker = lk_store_saver_get_worker;
  iface->save = lk_store_saver_save;
  iface->next_query = lk_store_saver_next_query;
  iface->get_n_answered = lk_store_saver_get_n_answered;
  iface->end = lk_store_saver_end;
}

static void
lk_store_saver_finalize (GObject *object)
{
  LkStoreSaver *self = (LkStoreSaver *)object;

  if (self->worker != NULL)
    g_signal_handlers_disconnect_by_data (self->worker, self);
  g_clear_object (&self->worker);
  g_clear_error (&self->store_error);
  g_clear_pointer (&self->unstored_batch, g_ptr_array_unref);
  g_clear_object (&self->study);
  g_clear_pointer (&self->station, g_free);

  G_OBJECT_CLASS (lk_store_saver_parent_class)->finalize (object);
}

static void
lk_store_saver_class_init (LkStoreSaverClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = lk_store_saver_finalize;
}

static void
lk_store_saver_init (LkStoreSaver *self)
{
}

/* The replay's phases, as snapshots for the views (LkAnswersPhaseFunc). */
static void
collect_snapshot (const LkRefiner     *refiner,
                  const LkUpdateStats *stats,
                  gpointer             user_data)
{
  GPtrArray *history = user_data;
  LkSnapshot *previous = history->len > 0 ? g_ptr_array_index (history, history->len - 1) : NULL;

  g_ptr_array_add (history, lk_snapshot_new (refiner, stats, previous, NULL));
}

/* Replays @store and makes it ready to serve (see lk_store_saver_new()), with a snapshot of
 * each phase in @history; on the calling thread, which must be the only one using @store
 * meanwhile. */
static LkRefiner *
prepare_refiner (LkStore    *store,
                 GPtrArray  *history,
                 GError    **error)
{
  g_autoptr(LkRefiner) refiner = NULL;
  LkStoreCounts counts;

  refiner = lk_answers_rebuild_and_repair (store, NULL, collect_snapshot, history, error);
  if (refiner == NULL || !lk_store_get_counts (store, &counts, error))
    return NULL;

  /* A study that has not drawn its current phase yet (a new study, or one the command line
   * left between a phase and its batch): drawn here, once. The first phase is random, so this
   * is quick; later ones come from the worker with their phase. */
  if (!lk_refiner_is_done (refiner) && lk_refiner_get_n_batch_answers (refiner) == 0
      && counts.pending == 0)
    {
      g_autoptr(GArray) drawn = lk_answers_draw_queries (store, refiner, error);

      if (drawn == NULL)
        return NULL;
    }

  return g_steal_pointer (&refiner);
}

/* Returns a saver of @study with @refiner (taken) going on. */
static LkStoreSaver *
saver_new (LkStudy     *study,
           const char  *station,
           guint        n_answered,
           LkRefiner   *refiner,
           GPtrArray   *history)
{
  LkStoreSaver *self = g_object_new (LK_TYPE_STORE_SAVER, NULL);

  self->study = g_object_ref (study);
  self->station = g_strdup (station != NULL ? station : g_get_host_name ());
  self->n_answered = n_answered;
  self->worker = lk_refine_worker_new_resumed (refiner, history, NULL);
  g_signal_connect (self->worker, "notify::snapshot", G_CALLBACK (snapshot_cb), self);
  g_signal_connect (self->worker, "notify::busy", G_CALLBACK (busy_cb), self);
  busy_cb (self->worker, NULL, self);

  return self;
}

/**
 * lk_store_saver_new:
 * @study: an open study
 * @station: (nullable): the name of the machine or room, recorded with the session; %NULL
 *   for the host name
 *
 * Rebuilds the study's refinement from the file (repairing a phase a crash cut short), ready
 * to serve its next unanswered grid. The replay runs every stored phase's update again, on the
 * calling thread: lk_store_saver_new_async() runs it on a worker thread.
 *
 * Returns: (transfer full): the saver, or %NULL with @error set if the study cannot be replayed
 *   (for example, it has fewer images than a grid shows)
 */
LkStoreSaver *
lk_store_saver_new (LkStudy     *study,
                    const char  *station,
                    GError     **error)
{
  g_autoptr(GPtrArray) history = g_ptr_array_new_with_free_func ((GDestroyNotify) lk_snapshot_unref);
  LkStore *store;
  LkStoreCounts counts;
  LkRefiner *refiner;

  g_return_val_if_fail (LK_IS_STUDY (study), NULL);
  g_return_val_if_fail (lk_study_get_store (study) != NULL, NULL);

  store = lk_study_get_store (study);
  if (!lk_store_get_counts (store, &counts, error))
    return NULL;
  refiner = prepare_refiner (store, history, error);
  if (refiner == NULL)
    return NULL;

  return saver_new (study, station, counts.answers, refiner, history);
}

typedef struct {
  LkStudy   *study;
  char      *station;
  guint      n_answered;
  LkRefiner *refiner;   /* out */
  GPtrArray *history;   /* out: LkSnapshot */
} NewJob;

static void
new_job_free (gpointer data)
{
  NewJob *job = data;

  g_clear_object (&job->study);
  g_free (job->station);
  g_clear_pointer (&job->refiner, lk_refiner_free);
  g_clear_pointer (&job->history, g_ptr_array_unref);
  g_free (job);
}

static void
new_job_run (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  NewJob *job = task_data;
  GError *error = NULL;

  job->refiner = prepare_refiner (lk_study_get_store (job->study), job->history, &error);
  if (job->refiner == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

/**
 * lk_store_saver_new_async:
 * @study: an open study, not to be used by anyone else until the callback has run (the
 *   replay reads and may write the file on a worker thread; the task keeps @study alive)
 * @station: (nullable): as for lk_store_saver_new()
 * @cancellable: (nullable): drops the result (the replay itself runs to its end)
 *
 * lk_store_saver_new() with the replay on a worker thread, so that opening a large study does
 * not freeze the window.
 */
void
lk_store_saver_new_async (LkStudy             *study,
                          const char          *station,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  LkStoreCounts counts;
  NewJob *job;

  g_return_if_fail (LK_IS_STUDY (study));
  g_return_if_fail (lk_study_get_store (study) != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, lk_store_saver_new_async);
  g_task_set_check_cancellable (task, TRUE);
  if (!lk_store_get_counts (lk_study_get_store (study), &counts, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  job = g_new0 (NewJob, 1);
  job->study = g_object_ref (study);
  job->station = g_strdup (station);
  job->n_answered = counts.answers;
  job->history = g_ptr_array_new_with_free_func ((GDestroyNotify) lk_snapshot_unref);
  g_task_set_task_data (task, job, new_job_free);
  g_task_run_in_thread (task, new_job_run);
}

/**
 * lk_store_saver_new_finish:
 *
 * Returns: (transfer full): the saver, or %NULL with @error set
 */
LkStoreSaver *
lk_store_saver_new_finish (GAsyncResult  *result,
                           GError       **error)
{
  NewJob *job;

  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == lk_store_saver_new_async,
                        NULL);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return NULL;
  job = g_task_get_task_data (G_TASK (result));

  return saver_new (job->study, job->station, job->n_answered, g_steal_pointer (&job->refiner),
                    job->history);
}

/**
 * lk_store_saver_get_study:
 *
 * Returns: (transfer none): the study written to
 */
LkStudy *
lk_store_saver_get_study (LkStoreSaver *self)
{
  g_return_val_if_fail (LK_IS_STORE_SAVER (self), NULL);

  return self->study;
}

/**
 * lk_store_saver_get_session_id:
 *
 * Returns: the session's row in the study, or 0 before the first answer and after the end
 */
gint64
lk_store_saver_get_session_id (LkStoreSaver *self)
{
  g_return_val_if_fail (LK_IS_STORE_SAVER (self), 0);

  return self->session;
}

/**
 * lk_store_saver_get_refine_worker:
 *
 * Returns: (transfer none): the worker that folds the study's phases in
 */
LkRefineWorker *
lk_store_saver_get_refine_worker (LkStoreSaver *self)
{
  g_return_val_if_fail (LK_IS_STORE_SAVER (self), NULL);

  return self->worker;
}
