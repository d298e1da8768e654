/* lk-study-run.c — a study file running: its queue of grids, its answers, its phases
 *
 * Each answer is one transaction (lk_answers_save) committed before submit returns, so the
 * session shows the next grid only once the answer is on disk. The queue is the file's: the
 * oldest query still open. So a study whose app was killed resumes at the next unanswered grid.
 *
 * Phase ends run on an LkRefineWorker, never on the main thread. The refiner that
 * lk_answers_rebuild_and_repair() replayed from the file goes to a worker made with
 * lk_refine_worker_new_resumed(); every saved answer is added to it, and it keeps the study's
 * answer count (the replayed answers included). When the file has no open query left and the
 * phase holds answers, the worker folds the phase in on its thread (lk_refine_worker_fold_in():
 * the file, not the worker, knows when its phase is complete). Until its result is back, grids
 * are drawn on the spot from the current snapshot; their answers are saved with a query row of
 * their own, policy "spot" (lk_answers_save_spot()), in the phase they will be folded into. When
 * a run is swapped in ("notify::snapshot"), the worker hands its batch over once, in serving
 * order (lk_refine_worker_take_batch()), and the phase's embedding and that batch are stored in
 * one transaction (lk_answers_store_phase()), then served from the file as before. The run knows
 * which phases the file holds (phases_stored, set by the replay and by each store), so it never
 * counts rows to find out. If that write fails, it is tried again before the next grid, and the
 * participant sees the error and Retry in the meantime: nothing computed is lost, and nothing is
 * served that the file lacks.
 *
 * Killed while a run was under way, the file holds the phase's answers (and maybe spot answers)
 * but no phase row; the next open replays the phase as the run did and stores it
 * (lk_answers_rebuild_and_repair()), so the study reaches the same embeddings. While a run is
 * under way the run object keeps itself alive, so a session that ends at the last grid still
 * gets its last phase stored.
 *
 * The participant and the session rows are written with the first answer, not before: a
 * participant who declines consent, or leaves before answering, leaves nothing in the study.
 * A failure there is a failed save like any other, and the session's Retry writes them again.
 * lk_grid_source_end_session() closes the session row; the next answer opens a new one.
 *
 * Each answer goes to the worker with its participant's worker index in the file
 * (lk_participants_worker_index()), the one the replay gives it, so that the methods that model
 * the workers compute live what the replay computes; the participants left out of the model are
 * told to the worker when the run is made (a change later is a new run: the replay leaves them
 * out).
 *
 * Trials of the other tasks of the study's plan are drawn here with lk_trial_draw() from the
 * worker's current embedding (the main thread's refiner, swapped in with each snapshot; none
 * before the first phase is folded in): triplets with the "mix" policy, the learned metric and
 * the study's colour descriptors when the file has them cached (each the reference half the
 * time, paper 004), one in ten of random pairs; an intruder's clusters are k-means of that
 * embedding (computed once per phase), or the collection's folders before the first phase.
 * Forced choices take the study's `choice5-policy` setting and match pages the study's
 * collected pairs (choice5_context()); a policy the study cannot serve yet draws at random.
 * The descriptors and the clusters are read and computed on a GTask thread with a read-only
 * connection of its own (PrepJob), started at the run's first trial and then as each phase is
 * swapped in, so the main loop never waits for them: a triplet drawn before the descriptors are
 * read goes without them, and an intruder takes the latest clusters the run has (an earlier
 * phase's, or the folders); only an intruder with none at all waits, running the main loop
 * meanwhile (wait_clusters()).
 *
 * Some of a session's sorting grids check the participant (next_check() says which): one of
 * their own grids shown again (session setting repeat-share) or one of the study's exam grids
 * (gold-share). They are served like any grid and count among the participant's grids, are
 * stored with lk_answers_save_check() (query.repeat_of, query.gold), and never go to the model,
 * as the replay leaves them out; the worker only counts them, for their participant and in the
 * budget (lk_refine_worker_add_check_answer()), as the file's counts do when it is opened.
 * An answered trial is one transaction (lk_answers_save_trial()) in the run's session, then
 * goes to the worker (lk_refine_worker_add_trial()), in answer order as the replay adds them,
 * so the triplet method, which learns from trials, folds the same phase in live as on replay.
 * One case differs: a trial answered while a phase is being folded in is held for the next
 * phase, where the replay puts it in the phase it was answered in (src/store/README.md).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n.h>

#include <gsl/gsl_rng.h>
#include <math.h>
#include <string.h>

#include "lk-answers.h"
#include "lk-background.h"
#include "lk-check-grids.h"
#include "lk-collection.h"
#include "lk-gold.h"
#include "lk-neighbours.h"
#include "lk-participants.h"
#include "lk-refine-worker.h"
#include "lk-session-settings.h"
#include "lk-study-run-private.h"
#include "lk-trial-context.h"
#include "lk-trial-draw.h"

/* clusters_phase before any clusters were made (G_MAXUINT is the folders'). */
#define CLUSTERS_NONE (G_MAXUINT - 1)

struct _LkStudyRun
{
  GObject         parent_instance;

  /* Owned references */
  LkStudy        *study;
  LkRefineWorker *worker;
  char           *station;
  LkStudyRun     *self_ref;       /* while a run is under way */
  GError         *store_error;    /* why the last run's result is not in the file yet */
  GPtrArray      *unstored_batch; /* LkQuery: that run's batch, while it is not */

  /* State */
  gint64          served;         /* the query served last, 0 for a grid drawn on the spot */
  guint           phases_stored;  /* phases the file holds */
  gboolean        finished;       /* the budget is spent and the last phase asked for */

  /* The trials' draws */
  gsl_rng        *rng;
  guint          *clusters;       /* intruder: a cluster per item, or NULL */
  guint           n_clusters;
  guint           clusters_phase; /* the phase they are k-means of, G_MAXUINT for folders,
                                   * CLUSTERS_NONE before any */
  LkSpace        *colour;         /* the colour descriptors, when the file has them */
  gboolean        colour_tried;
  guint          *pairs;          /* choice5 and match: the collected pairs, NULL to read */
  guint           n_pairs;        /* items with a partner in them */
  char           *choice5_policy; /* the setting as read for the last draw */
  gboolean        trials_wanted;  /* a trial was drawn: each new phase's clusters are made */
  gboolean        prep_running;   /* a PrepJob is under way */

  /* Rows written with the session's first answer */
  gint64          participant;
  gint64          session;

  /* Grids that check the participant (repeats, catch grids), per session: see next_check() */
  gboolean        checks_ready;   /* the session's settings and gold grids are read */
  LkCheckGrids   *checks;         /* NULL: none in this session */
};

static void lk_study_run_grid_source_init (LkGridSourceInterface *iface);
static void start_prep (LkStudyRun *self);

G_DEFINE_FINAL_TYPE_WITH_CODE (LkStudyRun, lk_study_run, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (LK_TYPE_GRID_SOURCE,
                                                      lk_study_run_grid_source_init))

/* Returns TRUE once the participant and the session are in the study. */
static gboolean
ensure_session (LkStudyRun  *self,
                const char  *participant,
                gboolean     pilot,
                GError     **error)
{
  LkStore *store = lk_study_get_store (self->study);

  if (self->session > 0)
    return TRUE;

  /* A code already in the study is the same person coming back (or a resumed session). */
  if (self->participant == 0)
    self->participant = lk_store_find_participant (store, participant);
  if (self->participant == 0)
    self->participant = lk_store_add_participant (store, participant, TRUE, pilot, NULL, error);
  if (self->participant == 0)
    return FALSE;
  self->session = lk_store_begin_session (store, self->participant, self->station, error);

  return self->session > 0;
}

/* The moves of @record as the store keeps them (an undo is kept as the move it makes). */
static LkMove *
record_moves (const LkAnswerRecord *record)
{
  LkMove *moves = g_new0 (LkMove, MAX (record->n_moves, 1));

  for (guint i = 0; i < record->n_moves; i++)
    moves[i] = (LkMove) {
      .item = record->moves[i].item,
      .from = record->moves[i].from,
      .to = record->moves[i].to,
      .ms = (guint) CLAMP (record->moves[i].ms, 0, G_MAXUINT),
    };

  return moves;
}

/* Stores the answer to the check grid served last (lk_answers_save_check()) and counts it for
 * its participant; the model is not given it, as the replay does not give it. */
static gboolean
submit_check (LkStudyRun            *self,
              const LkGrid          *grid,
              const LkAnswerRecord  *record,
              GError               **error)
{
  LkStore *store = lk_study_get_store (self->study);
  g_autofree LkMove *moves = NULL;

  if (!lk_check_grids_is_served (self->checks, lk_grid_get_query (grid)))
    {
      g_set_error (error, LK_STORE_ERROR, LK_STORE_ERROR_INVALID,
                   _("The answer is to a grid the study did not serve"));
      return FALSE;
    }
  if (!ensure_session (self, record->participant, record->pilot, error))
    return FALSE;
  moves = record_moves (record);
  if (lk_answers_save_check (store, lk_grid_get_phase (grid), self->phases_stored,
                             lk_check_grids_get_repeat_of (self->checks),
                             lk_check_grids_get_gold (self->checks), record->answer,
                             self->session, record->shown_us, record->submitted_us, moves,
                             record->n_moves, error) == 0)
    return FALSE;
  lk_check_grids_check_done (self->checks);
  lk_refine_worker_add_check_answer (self->worker, record->participant,
                                     (record->submitted_us - record->shown_us)
                                     / (double) G_USEC_PER_SEC);

  return TRUE;
}

static gboolean
lk_study_run_submit (LkGridSource          *source,
                     const LkGrid          *grid,
                     const LkAnswerRecord  *record,
                     GError               **error)
{
  LkStudyRun *self = LK_STUDY_RUN (source);
  LkStore *store = lk_study_get_store (self->study);
  g_autofree LkMove *moves = NULL;
  gint64 query_id = lk_grid_get_query_id (grid);
  gint64 answer_id;

  g_return_val_if_fail (store != NULL, FALSE);

  if (query_id == 0 && !lk_grid_get_drawn (grid))
    return submit_check (self, grid, record, error);

  if (!ensure_session (self, record->participant, record->pilot, error))
    return FALSE;

  moves = record_moves (record);
  if (query_id > 0)
    {
      answer_id = lk_answers_save (store, query_id, record->answer, self->session,
                                   record->shown_us, record->submitted_us, moves, record->n_moves,
                                   error);
      if (answer_id == 0)
        return FALSE;
    }
  else
    {
      LkSnapshot *snapshot = lk_refine_worker_get_snapshot (self->worker);

      answer_id = lk_answers_save_spot (store, lk_grid_get_phase (grid),
                                        snapshot != NULL ? lk_snapshot_get_phase (snapshot) : 0,
                                        record->answer, self->session, record->shown_us,
                                        record->submitted_us, moves, record->n_moves, error);
      if (answer_id == 0)
        return FALSE;
    }
  /* The group names the participant typed (study setting group-names), right after their
   * answer. The page keeps them within LK_ANSWERS_GROUP_NAME_MAX characters; should the file
   * refuse them anyway, the answer itself is stored and counts, and the log says why. */
  if (record->group_names != NULL)
    {
      g_autoptr(GError) names_error = NULL;

      if (!lk_answers_save_group_names (store, answer_id, record->group_names,
                                        g_strv_length ((char **) record->group_names),
                                        &names_error))
        g_warning ("The group names of answer %" G_GINT64_FORMAT " were not stored: %s",
                   answer_id, names_error->message);
    }

  {
    g_autoptr(LkQuery) answer = lk_query_copy (record->answer);
    g_autoptr(GError) local_error = NULL;
    guint worker = lk_participants_worker_index (store, self->participant, &local_error);

    /* The answer is stored: a failed read only costs the model its worker. */
    if (worker == LK_PARTICIPANT_UNKNOWN)
      g_warning ("Reading the participant's worker index: %s", local_error->message);
    lk_query_set_participant (answer, worker);
    lk_refine_worker_add_answer (self->worker, answer, record->participant,
                                 (record->submitted_us - record->shown_us)
                                 / (double) G_USEC_PER_SEC);
  }
  if (self->checks != NULL)
    lk_check_grids_grid_done (self->checks, query_id, lk_grid_get_query (grid));

  return TRUE;
}

/* Stores the run swapped in last, if it folded a phase in that the file does not have yet. */
static gboolean
store_run (LkStudyRun  *self,
           GError     **error)
{
  LkStore *store = lk_study_get_store (self->study);
  const LkRefiner *refiner = lk_refine_worker_get_refiner (self->worker);
  guint phase = lk_refiner_get_phase (refiner);
  LkUpdateStats stats;

  if (!lk_refine_worker_get_last_stats (self->worker, &stats) || phase <= self->phases_stored)
    return TRUE;

  /* Kept until the file has it: it is the only copy of the batch. */
  if (self->unstored_batch == NULL)
    self->unstored_batch = lk_refine_worker_take_batch (self->worker);
  if (!lk_answers_store_phase (store, refiner, &stats, self->unstored_batch, NULL, error))
    return FALSE;
  g_clear_pointer (&self->unstored_batch, g_ptr_array_unref);
  self->phases_stored = phase;

  return TRUE;
}

static void
snapshot_cb (LkRefineWorker *worker,
             GParamSpec     *pspec,
             LkStudyRun     *self)
{
  gint64 start = g_get_monotonic_time ();

  g_clear_error (&self->store_error);
  if (!store_run (self, &self->store_error))
    g_warning ("could not store the phase: %s", self->store_error->message);
  g_debug ("the phase's result stored in %.1f ms",
           (g_get_monotonic_time () - start) / 1000.0);
  /* A study whose sessions draw trials gets the new phase's clusters made right away. */
  if (self->trials_wanted)
    start_prep (self);
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
         LkStudyRun     *self)
{
  if (lk_refine_worker_get_busy (worker) && self->self_ref == NULL)
    self->self_ref = g_object_ref (self);
  else if (!lk_refine_worker_get_busy (worker) && self->self_ref != NULL)
    /* Not now: the worker is still notifying, and this may be the last reference. */
    g_idle_add_full (G_PRIORITY_DEFAULT, release_cb, g_steal_pointer (&self->self_ref), NULL);
}

/* The budget is spent (grids drawn on the spot count too): the queries still open are given
 * up, and the last phase is folded in with the answers it has. Returns FALSE with @error set
 * if the file could not say so. */
static gboolean
finish (LkStudyRun  *self,
        GError     **error)
{
  LkStore *store = lk_study_get_store (self->study);
  g_autoptr(GArray) open = NULL;

  if (self->finished || lk_refine_worker_is_done (self->worker))
    return TRUE;
  open = lk_answers_list_open (store, error);
  if (open == NULL)
    return FALSE;
  for (guint i = 0; i < open->len; i++)
    if (!lk_answers_set_state (store, g_array_index (open, gint64, i), LK_QUERY_ABANDONED,
                               error))
      return FALSE;
  lk_refine_worker_fold_in (self->worker);
  self->finished = TRUE;

  return TRUE;
}

/* Reads what the session's checks need: the shares from the study's settings and its gold
 * grids (lk_check_grids_new() keeps those that can pass for a grid of the study). Failing, the
 * session goes on without checks. */
static void
prepare_checks (LkStudyRun *self)
{
  LkStore *store = lk_study_get_store (self->study);
  g_auto(LkSessionSettings) settings = { 0 };
  g_autoptr(GError) error = NULL;
  GPtrArray *gold = NULL;

  self->checks_ready = TRUE;
  if (!lk_store_load_session_settings (store, &settings, &error))
    {
      g_warning ("No repeated or catch grids in this session: %s", error->message);
      return;
    }
  if (settings.gold_share > 0)
    {
      gold = lk_gold_list (store, &error);
      if (gold == NULL)
        g_warning ("No catch grids in this session: %s", error->message);
    }
  self->checks = lk_check_grids_new (settings.repeat_share, settings.gold_share, gold,
                                     lk_store_get_params (store));
}

/* Forgets the session's checks: the next session reads its settings afresh. */
static void
clear_checks (LkStudyRun *self)
{
  self->checks_ready = FALSE;
  g_clear_pointer (&self->checks, lk_check_grids_free);
}

/* The session's next grid when it is to be a check (lk_check_grids_next() says which), else
 * NULL. */
static LkGrid *
next_check (LkStudyRun *self,
            guint       phase)
{
  const LkQuery *check;

  if (!self->checks_ready)
    prepare_checks (self);
  if (self->checks == NULL)
    return NULL;
  check = lk_check_grids_next (self->checks, self->rng);

  return check != NULL ? lk_grid_new (lk_query_copy (check), 0, phase, FALSE) : NULL;
}

static LkGrid *
lk_study_run_next_grid (LkGridSource  *source,
                        GError       **error)
{
  LkStudyRun *self = LK_STUDY_RUN (source);
  LkStore *store = lk_study_get_store (self->study);
  const LkRefiner *refiner = lk_refine_worker_get_refiner (self->worker);
  g_autoptr(GArray) open = NULL;

  if (lk_grid_source_is_spent (source))
    {
      g_autoptr(GError) local_error = NULL;

      /* Every answer is in the file already: what fails here is only bookkeeping. */
      if (!finish (self, &local_error))
        g_warning ("could not close the study's last phase: %s", local_error->message);
      return NULL;
    }

  /* A run's result the file could not take: nothing is served until it has it. */
  if (self->store_error != NULL && !lk_refine_worker_get_busy (self->worker))
    {
      g_clear_error (&self->store_error);
      if (!store_run (self, error))
        return NULL;
    }

  {
    LkGrid *check = next_check (self, lk_refiner_get_phase (refiner));

    if (check != NULL)
      {
        self->served = 0;
        return check;
      }
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
      self->served = id;
      return lk_grid_new (query, id, lk_refiner_get_phase (refiner), FALSE);
    }

  /* The phase is fully answered: the worker folds it in (if it has not started by itself),
   * and the participant gets a grid drawn on the spot meanwhile. */
  if (lk_refine_worker_is_done (self->worker))
    return NULL;
  lk_refine_worker_fold_in (self->worker);
  if (lk_refine_worker_get_busy (self->worker))
    {
      guint phase = lk_refine_worker_get_answer_phase (self->worker);

      self->served = 0;
      return lk_grid_new (lk_refine_worker_next_query (self->worker, NULL), 0, phase, TRUE);
    }

  g_set_error (error, LK_STORE_ERROR, LK_STORE_ERROR_INVALID,
               _("The study has no grid to show: phase %u has no queries"),
               lk_refiner_get_phase (refiner) + 1);
  return NULL;
}

/* The oldest open query but the one on screen (open until it is answered), which
 * lk_study_run_next_grid() serves next; nothing while a run's result waits to be stored, or when
 * the phase has no other open query (the next grid is then drawn on the spot). */
static guint *
lk_study_run_dup_next_items (LkGridSource *source,
                             guint        *n_items)
{
  LkStudyRun *self = LK_STUDY_RUN (source);
  LkStore *store = lk_study_get_store (self->study);
  g_autoptr(GArray) open = NULL;
  g_autoptr(LkQuery) query = NULL;
  g_autoptr(GError) error = NULL;

  if (store == NULL || lk_grid_source_is_spent (source) || self->store_error != NULL)
    return NULL;
  open = lk_answers_list_open (store, &error);
  for (guint i = 0; open != NULL && i < open->len && query == NULL && error == NULL; i++)
    if (g_array_index (open, gint64, i) != self->served)
      query = lk_answers_get_query (store, g_array_index (open, gint64, i), NULL, &error);
  if (error != NULL)
    g_debug ("the next grid is not known: %s", error->message);
  if (query == NULL)
    return NULL;
  *n_items = lk_query_get_n_items (query);

  return g_memdup2 (lk_query_get_items (query), *n_items * sizeof (guint));
}

static gboolean
lk_study_run_end_session (LkGridSource  *source,
                          GError       **error)
{
  LkStudyRun *self = LK_STUDY_RUN (source);
  LkStore *store = lk_study_get_store (self->study);

  clear_checks (self);
  if (store == NULL || self->session == 0)
    return TRUE;
  if (!lk_store_end_session (store, self->session, error))
    return FALSE;
  self->session = 0;
  self->participant = 0;

  return TRUE;
}

/* The collection's folders as clusters for intruder trials (the image paths' folders); NULL
 * when the images are all in one folder. */
static guint *
folder_clusters (LkStore *store,
                 guint    n_items,
                 guint   *n_clusters)
{
  g_autoptr(GHashTable) folders = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree guint *clusters = g_new (guint, n_items);

  for (guint i = 0; i < n_items; i++)
    {
      g_autofree char *path = lk_collection_get_image_path (store, i);
      g_autofree char *folder = g_path_get_dirname (path != NULL ? path : "");
      gpointer index;

      if (!g_hash_table_lookup_extended (folders, folder, NULL, &index))
        {
          index = GUINT_TO_POINTER (g_hash_table_size (folders));
          g_hash_table_insert (folders, g_steal_pointer (&folder), index);
        }
      clusters[i] = GPOINTER_TO_UINT (index);
    }
  *n_clusters = g_hash_table_size (folders);

  return *n_clusters >= 2 ? g_steal_pointer (&clusters) : NULL;
}

/* What a trial needs read or computed off the main thread: the colour descriptors (read once
 * a run) and an intruder's clusters for one phase (k-means of its embedding, or the folders
 * before the first phase), with a read-only connection of its own to the study file. */
typedef struct {
  char        *path;
  LkEmbedding *learned;      /* a copy, or NULL for the folders */
  guint        phase;        /* as clusters_phase */
  guint        n_items;
  gulong       seed;         /* of the k-means' generator, drawn from the run's */
  gboolean     load_colour;
  gboolean     clusters_made; /* out */
  guint       *clusters;      /* out: nullable */
  guint        n_clusters;    /* out */
  LkSpace     *colour;        /* out: nullable */
} PrepJob;

static void
prep_job_free (gpointer data)
{
  PrepJob *job = data;

  g_free (job->path);
  g_clear_pointer (&job->learned, lk_embedding_free);
  g_free (job->clusters);
  g_clear_pointer (&job->colour, lk_space_unref);
  g_free (job);
}

/**
 * lk_study_run_prep_clusters:
 * @learned: (nullable): the embedding of a completed phase; %NULL for @store's folders
 * @n_items: the collection's size
 * @seed: the seed of the k-means' generator
 * @n_clusters: (out): their number
 *
 * An intruder's clusters as the run makes them on its worker thread: k-means of @learned into
 * N / 20 clusters (at least 2, lk_trial_draw_context's default) under a generator seeded with
 * @seed, or the folders of @store's images when @learned is %NULL.
 *
 * Returns: (transfer full) (nullable): a cluster per item, or %NULL when the folders are one
 */
guint *
lk_study_run_prep_clusters (LkStore           *store,
                            const LkEmbedding *learned,
                            guint              n_items,
                            gulong             seed,
                            guint             *n_clusters)
{
  gsl_rng *rng;
  guint *clusters;

  if (learned == NULL)
    return folder_clusters (store, n_items, n_clusters);
  rng = gsl_rng_alloc (gsl_rng_mt19937);
  gsl_rng_set (rng, seed);
  *n_clusters = MAX (2, n_items / 20);
  clusters = lk_trial_draw_clusters (learned, *n_clusters, rng);
  gsl_rng_free (rng);

  return clusters;
}

static void
prep_job_run (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  PrepJob *job = task_data;
  g_autoptr(LkStore) store = NULL;
  g_autoptr(GError) error = NULL;

  store = lk_store_open (job->path, LK_STORE_OPEN_READ_ONLY, &error);
  if (store == NULL)
    {
      /* Then the trials go without: the folders and the descriptors are extras, k-means not. */
      g_debug ("trials: the study file could not be read: %s", error->message);
      g_clear_error (&error);
    }
  if (job->load_colour && store != NULL)
    {
      job->colour = lk_space_load (store, LK_SPACE_COLOR, &error);
      if (job->colour == NULL)
        g_debug ("triplets without the colour descriptors: %s", error->message);
      g_clear_error (&error);
    }
  if (job->learned != NULL || store != NULL)
    {
      job->clusters = lk_study_run_prep_clusters (store, job->learned, job->n_items, job->seed,
                                                  &job->n_clusters);
      job->clusters_made = TRUE;
    }
  g_task_return_boolean (task, TRUE);
}

static void
prep_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  LkStudyRun *self = LK_STUDY_RUN (object);
  PrepJob *job = g_task_get_task_data (G_TASK (result));

  self->prep_running = FALSE;
  if (job->load_colour)
    {
      g_clear_pointer (&self->colour, lk_space_unref);
      self->colour = g_steal_pointer (&job->colour);
      self->colour_tried = TRUE;
    }
  g_clear_pointer (&self->clusters, g_free);
  self->clusters = g_steal_pointer (&job->clusters);
  self->n_clusters = job->n_clusters;
  self->clusters_phase = job->phase;
  /* A phase folded in meanwhile wants its own. */
  start_prep (self);
}

/* The phase whose clusters the trials want now: the refiner's, G_MAXUINT before the first. */
static guint
wanted_phase (LkStudyRun *self)
{
  guint phase = lk_refiner_get_phase (lk_refine_worker_get_refiner (self->worker));

  return phase > 0 ? phase : G_MAXUINT;
}

/* Starts a PrepJob for what the trials lack (the descriptors, the current phase's clusters),
 * unless one is under way or nothing is lacking. */
static void
start_prep (LkStudyRun *self)
{
  const LkRefiner *refiner = lk_refine_worker_get_refiner (self->worker);
  guint wanted = wanted_phase (self);
  g_autoptr(GTask) task = NULL;
  PrepJob *job;

  if (self->prep_running || (self->colour_tried && self->clusters_phase == wanted))
    return;
  job = g_new0 (PrepJob, 1);
  job->path = g_strdup (lk_store_get_path (lk_study_get_store (self->study)));
  job->phase = wanted;
  job->n_items = lk_embedding_get_n_items (lk_refiner_get_embedding (refiner));
  if (wanted != G_MAXUINT)
    job->learned = lk_embedding_copy (lk_refiner_get_embedding (refiner));
  job->seed = gsl_rng_get (self->rng);
  job->load_colour = !self->colour_tried;
  self->prep_running = TRUE;
  /* The task holds the run until it is back. */
  task = g_task_new (self, NULL, prep_done_cb, NULL);
  g_task_set_source_tag (task, start_prep);
  g_task_set_task_data (task, job, prep_job_free);
  g_task_run_in_thread (task, prep_job_run);
}

/* An intruder needs clusters: those of an earlier phase do (the draw only needs groups that
 * look alike), so this waits only when the run has none yet, running the main loop meanwhile
 * (the window goes on drawing, and what is queued on it runs). */
static void
wait_clusters (LkStudyRun *self)
{
  start_prep (self);
  while (self->clusters == NULL && self->clusters_phase != wanted_phase (self))
    {
      if (!self->prep_running)
        start_prep (self);
      g_main_context_iteration (NULL, TRUE);
    }
}

/* Gives a forced choice or a match page the study's collected pairs (read once, and again
 * after a match page is answered), and a forced choice the study's choice5-policy: "pair"
 * needs collected pairs and "model-vs-model" a phase and the colour descriptors, without
 * which the draw is random (key -1, as the scores expect of a random trial). */
static void
choice5_context (LkStudyRun     *self,
                 LkTaskKind      kind,
                 LkTrialContext *context)
{
  LkStore *store = lk_study_get_store (self->study);
  LkTrialDrawContext *ctx = &context->draw;
  g_auto(LkSessionSettings) settings = { 0 };
  g_autoptr(GError) error = NULL;

  if (self->pairs == NULL)
    {
      g_autoptr(GPtrArray) trials = lk_answers_list_trials (store, &error);

      if (trials == NULL)
        {
          g_warning ("Reading the collected pairs: %s", error->message);
          trials = g_ptr_array_new ();
        }
      self->pairs = lk_trial_draw_match_pairs (trials, ctx->n_items, &self->n_pairs);
      g_clear_error (&error);
    }
  if (self->n_pairs > 0)
    {
      ctx->pairs = self->pairs;
      ctx->n_pairs = ctx->n_items;
    }
  if (kind != LK_TASK_CHOICE5)
    return;

  lk_session_settings_init (&settings);
  if (!lk_store_load_session_settings (store, &settings, &error))
    g_warning ("Reading the forced-choice policy: %s", error->message);
  g_free (self->choice5_policy);
  self->choice5_policy = g_strdup (settings.choice5_policy != NULL ? settings.choice5_policy
                                                                   : "random");
  ctx->policy = self->choice5_policy;
  if (g_str_equal (ctx->policy, "model-vs-model") && self->colour != NULL)
    lk_trial_context_use_colour (context, self->colour);
  if ((g_str_equal (ctx->policy, "pair") && ctx->pairs == NULL)
      || (g_str_equal (ctx->policy, "model-vs-model")
          && (ctx->learned == NULL || ctx->n_metrics == 0)))
    {
      g_debug ("a random forced choice: the study cannot serve %s yet", ctx->policy);
      ctx->policy = "random";
    }
}

static LkGrid *
lk_study_run_next_trial (LkGridSource  *source,
                         LkTaskKind     kind,
                         GError       **error)
{
  LkStudyRun *self = LK_STUDY_RUN (source);
  const LkRefiner *refiner = lk_refine_worker_get_refiner (self->worker);
  const LkEmbedding *embedding = lk_refiner_get_embedding (refiner);
  LkTrialContext context;

  /* Before the first phase the embedding is the refiner's random start: nothing learned. */
  lk_trial_context_init (&context, lk_embedding_get_n_items (embedding),
                         lk_refiner_get_phase (refiner) > 0 ? embedding : NULL);
  /* The descriptors and clusters are made on a thread: a triplet drawn before the descriptors
   * are read is drawn without them, as in a file that has none. */
  self->trials_wanted = TRUE;
  start_prep (self);
  if (self->colour != NULL && kind == LK_TASK_TRIPLET)
    lk_trial_context_use_colour (&context, self->colour);
  if (kind == LK_TASK_CHOICE5 || kind == LK_TASK_MATCH)
    choice5_context (self, kind, &context);
  if (kind == LK_TASK_INTRUDER)
    wait_clusters (self);

  return lk_trial_context_draw (&context, kind, self->clusters, self->n_clusters, self->rng,
                                error);
}

static gboolean
lk_study_run_submit_trial (LkGridSource         *source,
                           const LkGrid         *grid,
                           const LkTrialRecord  *record,
                           GError              **error)
{
  LkStudyRun *self = LK_STUDY_RUN (source);
  LkStore *store = lk_study_get_store (self->study);

  g_return_val_if_fail (store != NULL, FALSE);

  if (!ensure_session (self, record->participant, record->pilot, error))
    return FALSE;

  if (lk_answers_save_trial (store, record->trial, self->session, record->block,
                             record->shown_us, record->submitted_us, error) <= 0)
    return FALSE;
  /* Stored first, then given to the model, as an answer is. */
  lk_refine_worker_add_trial (self->worker, record->trial, record->participant);
  if (record->trial->kind == LK_TASK_MATCH)
    g_clear_pointer (&self->pairs, g_free);

  return TRUE;
}

/* The trials in the file given by @participant's code (the answered ones the model is given). */
static guint
lk_study_run_count_trials (LkGridSource *source,
                           const char   *participant)
{
  LkStudyRun *self = LK_STUDY_RUN (source);
  LkStore *store = lk_study_get_store (self->study);
  g_autoptr(GPtrArray) trials = NULL;
  g_autoptr(GError) error = NULL;
  gint64 row = lk_store_find_participant (store, participant);
  guint index, n = 0;

  if (row == 0)
    return 0;
  index = lk_participants_worker_index (store, row, &error);
  if (index != LK_PARTICIPANT_UNKNOWN)
    trials = lk_answers_list_trials (store, &error);
  if (trials == NULL)
    {
      /* The session then starts the plan from the participant's grids alone. */
      g_warning ("Counting the participant's trials: %s", error->message);
      return 0;
    }
  for (guint i = 0; i < trials->len; i++)
    if (((const LkTrial *) g_ptr_array_index (trials, i))->participant == index)
      n++;

  return n;
}

static LkRefineWorker *
lk_study_run_get_worker (LkGridSource *source)
{
  return LK_STUDY_RUN (source)->worker;
}

static void
lk_study_run_grid_source_init (LkGridSourceInterface *iface)
{
  iface->next_grid = lk_study_run_next_grid;
  iface->submit = lk_study_run_submit;
  iface->end_session = lk_study_run_end_session;
  iface->get_worker = lk_study_run_get_worker;
  iface->dup_next_items = lk_study_run_dup_next_items;
  iface->next_trial = lk_study_run_next_trial;
  iface->submit_trial = lk_study_run_submit_trial;
  iface->count_trials = lk_study_run_count_trials;
  _lk_study_run_gold_init (iface);
}

static void
lk_study_run_finalize (GObject *object)
{
  LkStudyRun *self = (LkStudyRun *)object;

  if (self->worker != NULL)
    g_signal_handlers_disconnect_by_data (self->worker, self);
  g_clear_object (&self->worker);
  g_clear_error (&self->store_error);
  g_clear_pointer (&self->unstored_batch, g_ptr_array_unref);
  g_clear_object (&self->study);
  g_clear_pointer (&self->station, g_free);
  g_clear_pointer (&self->rng, gsl_rng_free);
  g_clear_pointer (&self->clusters, g_free);
  g_clear_pointer (&self->colour, lk_space_unref);
  g_clear_pointer (&self->pairs, g_free);
  g_clear_pointer (&self->choice5_policy, g_free);
  clear_checks (self);

  G_OBJECT_CLASS (lk_study_run_parent_class)->finalize (object);
}

static void
lk_study_run_class_init (LkStudyRunClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = lk_study_run_finalize;
}

static void
lk_study_run_init (LkStudyRun *self)
{
  /* The trials' draws are the participants' own: no seed to keep, unlike the refiner's. */
  self->rng = gsl_rng_alloc (gsl_rng_mt19937);
  gsl_rng_set (self->rng, g_random_int ());
  self->clusters_phase = CLUSTERS_NONE;
}

/**
 * lk_study_run_set_trial_seed:
 * @seed: a seed
 *
 * Seeds the generator the run draws its trials with (and the seeds of its k-means), which is
 * otherwise the participants' own: for tests.
 */
void
lk_study_run_set_trial_seed (LkStudyRun *self,
                             gulong      seed)
{
  g_return_if_fail (LK_IS_STUDY_RUN (self));

  gsl_rng_set (self->rng, seed);
}

/**
 * lk_study_run_is_preparing:
 *
 * Returns: %TRUE while the run reads the colour descriptors or makes an intruder's clusters on
 *   its worker thread (a trial drawn meanwhile goes without what is not there yet)
 */
gboolean
lk_study_run_is_preparing (LkStudyRun *self)
{
  g_return_val_if_fail (LK_IS_STUDY_RUN (self), FALSE);

  return self->prep_running;
}

/**
 * lk_study_run_get_clusters:
 * @n_clusters: (out) (optional): their number
 * @phase: (out) (optional): the phase they are k-means of, G_MAXUINT for the folders
 *
 * Returns: (transfer none) (nullable): the clusters an intruder is drawn from now, a cluster
 *   per item, or %NULL when the run has none (yet)
 */
const guint *
lk_study_run_get_clusters (LkStudyRun *self,
                           guint      *n_clusters,
                           guint      *phase)
{
  g_return_val_if_fail (LK_IS_STUDY_RUN (self), NULL);

  if (n_clusters != NULL)
    *n_clusters = self->n_clusters;
  if (phase != NULL)
    *phase = self->clusters_phase;

  return self->clusters;
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

/* Draws the current phase's batch if the study has not drawn it yet (a new study, or one the
 * command line left between a phase and its batch). The first phase is random, so this is
 * quick; later ones come from the worker with their phase. Returns FALSE with @error set if the
 * file could not be read or written. */
static gboolean
draw_if_needed (LkStore    *store,
                LkRefiner  *refiner,
                GError    **error)
{
  g_autoptr(GArray) open = NULL;
  g_autoptr(GArray) drawn = NULL;

  if (lk_refiner_is_done (refiner) || lk_refiner_get_n_batch_answers (refiner) > 0)
    return TRUE;
  open = lk_answers_list_open (store, error);
  if (open == NULL)
    return FALSE;
  if (open->len > 0)
    return TRUE;
  drawn = lk_answers_draw_queries (store, refiner, error);

  return drawn != NULL;
}

/* Makes @refiner, replayed from @store, ready to serve: stores what a run cut short and draws
 * the current batch if needed. Returns FALSE with @error set if the file could not take it. */
static gboolean
make_ready (LkStore           *store,
            LkRefiner         *refiner,
            LkAnswersPending  *pending,
            GError           **error)
{
  return lk_answers_repair (store, refiner, pending, NULL, error)
         && draw_if_needed (store, refiner, error);
}

/* Returns a run of @study with @refiner (taken) going on; the replay left the file holding
 * every phase @refiner has ended. @participants and @seconds (nullable) are the file's answers
 * per participant and times per grid, for the worker's progress record. */
static LkStudyRun *
run_new (LkStudy     *study,
         const char  *station,
         LkRefiner   *refiner,
         GPtrArray   *history,
         GHashTable  *participants,
         GArray      *seconds)
{
  LkStudyRun *self = g_object_new (LK_TYPE_STUDY_RUN, NULL);

  self->study = g_object_ref (study);
  self->station = g_strdup (station != NULL ? station : g_get_host_name ());
  self->phases_stored = lk_refiner_get_phase (refiner);
  self->worker = lk_refine_worker_new_resumed (refiner, history, NULL);
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GArray) excluded = lk_participants_excluded_workers (lk_study_get_store (study),
                                                                   &error);
    guint n_left_out = 0;

    /* The replayed refiner lacks their answers, which the budget counts all the same. */
    if (excluded != NULL
        && lk_participants_count_left_out (lk_study_get_store (study), &n_left_out, &error))
      {
        lk_refine_worker_set_excluded (self->worker, (const guint *) (gpointer) excluded->data,
                                       excluded->len);
        lk_refine_worker_add_left_out_answers (self->worker, n_left_out);
      }
    else
      g_warning ("Reading the participants left out: %s", error->message);
  }
  if (participants != NULL)
    lk_refine_worker_add_past_answers (self->worker, participants,
                                       (const double *) (gpointer) seconds->data, seconds->len);
  g_signal_connect (self->worker, "notify::snapshot", G_CALLBACK (snapshot_cb), self);
  g_signal_connect (self->worker, "notify::busy", G_CALLBACK (busy_cb), self);
  busy_cb (self->worker, NULL, self);

  return self;
}

/**
 * lk_study_run_new:
 * @study: an open study
 * @station: (nullable): the name of the machine or room, recorded with each session; %NULL
 *   for the host name
 *
 * Rebuilds the study's refinement from the file (repairing a phase a crash cut short), ready
 * to serve its next unanswered grid. The replay runs every stored phase's update again, on the
 * calling thread: lk_study_run_new_async() runs it on a worker thread.
 *
 * Returns: (transfer full): the run, or %NULL with @error set if the study cannot be replayed
 *   (for example, it has fewer images than a grid shows)
 */
LkStudyRun *
lk_study_run_new (LkStudy     *study,
                  const char  *station,
                  GError     **error)
{
  g_autoptr(GPtrArray) history = g_ptr_array_new_with_free_func ((GDestroyNotify) lk_snapshot_unref);
  g_autoptr(LkRefiner) refiner = NULL;
  g_autoptr(GHashTable) participants = NULL;
  g_autoptr(GArray) seconds = NULL;
  LkAnswersPending pending;
  gboolean ready;

  g_return_val_if_fail (LK_IS_STUDY (study), NULL);
  g_return_val_if_fail (lk_study_get_store (study) != NULL, NULL);

  refiner = lk_answers_replay (lk_study_get_store (study), &pending, collect_snapshot, history,
                               error);
  ready = refiner != NULL && make_ready (lk_study_get_store (study), refiner, &pending, error)
          && lk_store_get_answer_times (lk_study_get_store (study), &participants, &seconds,
                                        error);
  lk_answers_pending_clear (&pending);
  if (!ready)
    return NULL;

  return run_new (study, station, g_steal_pointer (&refiner), history, participants, seconds);
}

typedef struct {
  LkStudy          *study;
  char             *path;
  char             *station;
  LkRefiner        *refiner;   /* out */
  GPtrArray        *history;   /* out: LkSnapshot */
  LkAnswersPending  pending;   /* out */
  GHashTable       *participants; /* out: the file's answers per participant */
  GArray           *seconds;      /* out: their times per grid */
} NewJob;

static void
new_job_free (gpointer data)
{
  NewJob *job = data;

  g_clear_object (&job->study);
  g_free (job->path);
  g_free (job->station);
  g_clear_pointer (&job->refiner, lk_refiner_free);
  g_clear_pointer (&job->history, g_ptr_array_unref);
  lk_answers_pending_clear (&job->pending);
  g_clear_pointer (&job->participants, g_hash_table_unref);
  g_clear_pointer (&job->seconds, g_array_unref);
  g_free (job);
}

static void
new_job_run (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  NewJob *job = task_data;
  g_autoptr(LkStore) store = NULL;
  GError *error = NULL;

  /* A connection of its own, read-only: the study's writer stays free for its owner (the
   * browser, say) while the replay runs, and nothing is written from this thread. */
  lk_background_lower_priority ();
  store = lk_store_open (job->path, LK_STORE_OPEN_READ_ONLY, &error);
  if (store != NULL)
    job->refiner = lk_answers_replay (store, &job->pending, collect_snapshot, job->history,
                                      &error);
  if (job->refiner != NULL
      && !lk_store_get_answer_times (store, &job->participants, &job->seconds, &error))
    g_clear_pointer (&job->refiner, lk_refiner_free);
  if (job->refiner == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

/**
 * lk_study_run_new_async:
 * @study: an open study (the task keeps it alive; the replay reads the file through a
 *   read-only connection of its own on a worker thread, so @study can go on being used)
 * @station: (nullable): as for lk_study_run_new()
 * @cancellable: (nullable): drops the result (the replay itself runs to its end)
 *
 * lk_study_run_new() with the replay on a worker thread, so that opening a large study does
 * not freeze the window. What the replay finds missing (a phase a crash cut short, the current
 * batch of a new study) is written by lk_study_run_new_finish(), with @study's writer.
 */
void
lk_study_run_new_async (LkStudy             *study,
                        const char          *station,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  NewJob *job;

  g_return_if_fail (LK_IS_STUDY (study));
  g_return_if_fail (lk_study_get_store (study) != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, lk_study_run_new_async);
  g_task_set_check_cancellable (task, TRUE);
  job = g_new0 (NewJob, 1);
  job->study = g_object_ref (study);
  job->path = g_strdup (lk_store_get_path (lk_study_get_store (study)));
  job->station = g_strdup (station);
  job->history = g_ptr_array_new_with_free_func ((GDestroyNotify) lk_snapshot_unref);
  g_task_set_task_data (task, job, new_job_free);
  g_task_run_in_thread (task, new_job_run);
}

/**
 * lk_study_run_new_finish:
 *
 * Returns: (transfer full): the run, or %NULL with @error set
 */
LkStudyRun *
lk_study_run_new_finish (GAsyncResult  *result,
                         GError       **error)
{
  NewJob *job;

  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == lk_study_run_new_async,
                        NULL);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return NULL;
  job = g_task_get_task_data (G_TASK (result));
  if (!make_ready (lk_study_get_store (job->study), job->refiner, &job->pending, error))
    return NULL;

  return run_new (job->study, job->station, g_steal_pointer (&job->refiner), job->history,
                  job->participants, job->seconds);
}

/**
 * lk_study_run_get_study:
 *
 * Returns: (transfer none): the study written to
 */
LkStudy *
lk_study_run_get_study (LkStudyRun *self)
{
  g_return_val_if_fail (LK_IS_STUDY_RUN (self), NULL);

  return self->study;
}

/**
 * lk_study_run_get_session_id:
 *
 * Returns: the session's row in the study, or 0 before its first answer and after its end
 */
gint64
lk_study_run_get_session_id (LkStudyRun *self)
{
  g_return_val_if_fail (LK_IS_STUDY_RUN (self), 0);

  return self->session;
}

/* For lk-study-run-gold.c: writes the participant and session rows with the first answer. */
gboolean
_lk_study_run_ensure_session (LkStudyRun  *self,
                              const char  *participant,
                              gboolean     pilot,
                              GError     **error)
{
  return ensure_session (self, participant, pilot, error);
}
