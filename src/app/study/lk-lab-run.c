/* lk-lab-run.c — a lab study running at one station: grids claimed from PostgreSQL
 *
 * A lab study (src/lab) is opened as a private copy: lk_lab_study_open_async() pulls it into
 * a study file in a temporary folder (removed when the LkStudy goes), which gives the
 * overview, the session settings and the images (the thumbnails travel in the database, so a
 * station needs no shared folder). A session then runs on an LkLabRun, which takes its grids
 * from the database and gives its answers to it:
 *
 * - next_grid claims the next grid with a lease (lk_lab_claim(): never a grid another station
 *   holds, nor one handed to a crowd batch) and renews the lease on a timer while the grid is
 *   shown. When no grid is ready (the phase is being refined, or its last grids are out at
 *   other stations) it draws one on the spot from the latest stored embedding
 *   (lk_lab_draw_spot(), seeded by the study's seed, this station and its answers), so no
 *   participant waits. When the study's last phase has no grid left, the session ends.
 * - Each answer gets a client id when its grid or trial is served, kept for every retry. It is
 *   written to the station's journal (lk-lab-journal.c, fsynced) before it is submitted
 *   (lk_lab_submit(), lk_lab_submit_spot() for a grid drawn on the spot, lk_lab_submit_trial()
 *   for a trial of the plan's other tasks) and taken out of it once the server confirmed it;
 *   so neither a lost acknowledgement nor a crash loses it, and none is stored twice.
 * - If the server goes away, the station goes on offline: grids drawn on the spot and trials
 *   drawn from the last embedding it has, answers kept in the journal. Its worker thread
 *   tries to reach the server every LK_LAB_RUN_POLL_SECONDS and hands a new connection over,
 *   which the main loop takes (a one-second timer while offline) and flushes the journal
 *   with.
 * - The refiner: the same worker thread, with a connection of its own, competes for the
 *   refiner's advisory lock (lk_lab_try_refiner(), after a back-off of half the period so that
 *   a station that just started does not take it from the experimenter's) and, holding it,
 *   runs the refiner's step (lk_lab_refine()) every period, or at once when a claim found no
 *   grid. Never on the main loop: it pulls and replays the study.
 *
 * Training and exam blocks, repeats and catch grids are lk-lab-run-gold.c's.
 *
 * The LkRefineWorker it owns is the session's count and budget (the copy's answers, replayed
 * once when the run is made, and this station's); it never folds a phase in itself, the lab's
 * refiner does.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <gsl/gsl_rng.h>

#include "lk-answers.h"
#include "lk-background.h"
#include "lk-lab-journal.h"
#include "lk-lab-run-private.h"
#include "lk-lab.h"
#include "lk-refine-worker.h"
#include "lk-rng.h"
#include "lk-study-run-private.h"
#include "lk-trial-context.h"
#include "lk-trial-draw.h"

#define COPY_DIR_KEY "lk-lab-copy-dir"
#define URI_KEY "lk-lab-uri"
#define SUMMARY_KEY "lk-lab-summary"

struct _LkLabRun
{
  GObject         parent_instance;

  /* Main thread */
  LkStudy        *study;
  LkRefineWorker *worker;
  LkLab          *lab;            /* the station's connection; NULL while offline */
  LkLabJournal   *journal;
  char           *station;
  LkParams        params;
  guint           n_items;
  double          lease;

  GBytes         *embedding;      /* the latest stored phase's, or NULL before the first */
  guint           embedding_version;
  guint           embedding_dim;

  LkLabClaim      claim;          /* the grid on screen, when claimed */
  char           *client_uuid;    /* its answer's id, made when it was served */
  guint           renew_id;
  guint           pickup_id;      /* while offline: looks for the thread's new connection */
  guint           n_spot;

  gint64          session;
  char           *participant;

  /* Grids that check the participant (repeats, catch grids), per session (lk-lab-run-gold.c) */
  gboolean        checks_ready;
  LkCheckGrids   *checks;         /* NULL: none in this session */

  /* The plan's other tasks: drawn from the latest stored embedding */
  gsl_rng        *rng;
  guint          *clusters;       /* intruder: k-means of that embedding, or the folders */
  guint           n_clusters;
  guint           clusters_version; /* the embedding's version they were made for, +1; 0: none */
  gboolean        clusters_running; /* a ClustersJob is under way */

  /* Shared with the worker thread, under lock */
  GMutex          lock;
  GCond           cond;
  GThread        *thread;
  char           *conninfo;
  gboolean        stopping;
  gboolean        wake;
  gboolean        want_connection;
  LkLab          *fresh;          /* a connection the thread made for the main thread */
};

static void lk_lab_run_grid_source_init (LkGridSourceInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (LkLabRun, lk_lab_run, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (LK_TYPE_GRID_SOURCE,
                                                      lk_lab_run_grid_source_init))

/* ---- the private copy ------------------------------------------------------------------- */

static void
remove_copy_dir (gpointer data)
{
  char *dir = data;
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      g_unlink (path);
    }
  g_rmdir (dir);
  g_free (dir);
}

/**
 * lk_lab_station_name:
 *
 * Returns: (transfer full): this computer's station name, "likeness-HOST" (the same at every
 *   start, so its journal is found again; a URI's application_name takes precedence)
 */
char *
lk_lab_station_name (void)
{
  return g_strdup_printf ("likeness-%s", g_get_host_name ());
}

typedef struct {
  char        *uri;
  char        *dir;
  char        *path;
  LkLabCounts  counts;
} OpenJob;

static void
open_job_free (gpointer data)
{
  OpenJob *job = data;

  g_free (job->uri);
  if (job->dir != NULL)
    remove_copy_dir (g_steal_pointer (&job->dir));
  g_free (job->path);
  g_free (job);
}

static void
open_job_run (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  OpenJob *job = task_data;
  g_autofree char *station = lk_lab_station_name ();
  g_autoptr(LkLab) lab = NULL;
  GError *error = NULL;

  lab = lk_lab_connect (job->uri, station, &error);
  if (lab == NULL || !lk_lab_open_study (lab, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  job->dir = g_dir_make_tmp ("likeness-lab-XXXXXX", &error);
  if (job->dir == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  job->path = g_build_filename (job->dir, "study.likeness", NULL);
  if (!lk_lab_get_counts (lab, &job->counts, &error) || !lk_lab_pull (lab, job->path, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_return_boolean (task, TRUE);
}

/**
 * lk_lab_study_open_async:
 * @uri: a lab study's connection URI (postgresql://USER@HOST/DATABASE, no password)
 * @cancellable: (nullable): drops the result
 *
 * Connects to the lab study and pulls it into a private study file, on a worker thread.
 */
void
lk_lab_study_open_async (const char          *uri,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  OpenJob *job = g_new0 (OpenJob, 1);

  g_task_set_source_tag (task, lk_lab_study_open_async);
  g_task_set_check_cancellable (task, TRUE);
  job->uri = g_strdup (uri);
  g_task_set_task_data (task, job, open_job_free);
  g_task_run_in_thread (task, open_job_run);
}

/**
 * lk_lab_study_open_finish:
 *
 * Returns: (transfer full): the lab study's private copy as a study (its folder is removed
 *   with it; lk_lab_study_get_uri() gives the URI), or %NULL with @error set
 */
LkStudy *
lk_lab_study_open_finish (GAsyncResult  *result,
                          GError       **error)
{
  OpenJob *job;
  LkStudy *study;

  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == lk_lab_study_open_async,
                        NULL);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return NULL;
  job = g_task_get_task_data (G_TASK (result));
  study = lk_study_open (job->path, error);
  if (study == NULL)
    return NULL;
  g_object_set_data_full (G_OBJECT (study), COPY_DIR_KEY, g_steal_pointer (&job->dir),
                          remove_copy_dir);
  g_object_set_data_full (G_OBJECT (study), URI_KEY, g_strdup (job->uri), g_free);
  /* Translators: said when a lab study was opened; the numbers are the lab study's answers,
   * the stations that have connected to it, and the grids out at stations now */
  g_object_set_data_full (G_OBJECT (study), SUMMARY_KEY,
                          g_strdup_printf (_("Connected to the lab study: %u answers, %u "
                                             "stations, %u grids out"),
                                           job->counts.answers, job->counts.stations,
                                           job->counts.leased),
                          g_free);

  return study;
}

/**
 * lk_lab_study_get_summary:
 *
 * Returns: (nullable): the lab study's counts when it was opened (lk_lab_get_counts()), in a
 *   sentence for the experimenter, or %NULL for a study file
 */
const char *
lk_lab_study_get_summary (LkStudy *study)
{
  g_return_val_if_fail (LK_IS_STUDY (study), NULL);

  return g_object_get_data (G_OBJECT (study), SUMMARY_KEY);
}

/**
 * lk_lab_study_get_uri:
 *
 * Returns: (nullable): the URI of the lab study @study is a copy of, or %NULL for a study file
 */
const char *
lk_lab_study_get_uri (LkStudy *study)
{
  g_return_val_if_fail (LK_IS_STUDY (study), NULL);

  return g_object_get_data (G_OBJECT (study), URI_KEY);
}

/* ---- the worker thread: reconnecting and refining ---------------------------------------- */

static gpointer
thread_main (gpointer data)
{
  LkLabRun *self = data;
  g_autoptr(LkLab) refiner = NULL;
  gboolean holder = FALSE, first = TRUE;

  lk_background_lower_priority ();
  g_mutex_lock (&self->lock);
  while (!self->stopping)
    {
      gint64 until = g_get_monotonic_time ()
                     + (first ? LK_LAB_RUN_POLL_SECONDS / 2 : LK_LAB_RUN_POLL_SECONDS)
                       * G_USEC_PER_SEC;
      gboolean want;

      while (!self->stopping && !self->wake &&
             g_cond_wait_until (&self->cond, &self->lock, until))
        ;
      if (self->stopping)
        break;
      self->wake = FALSE;
      first = FALSE;
      want = self->want_connection;
      g_mutex_unlock (&self->lock);

      if (want)
        {
          g_autoptr(GError) error = NULL;
          LkLab *lab = lk_lab_connect (self->conninfo, self->station, &error);

          if (lab != NULL)
            {
              g_mutex_lock (&self->lock);
              if (self->fresh != NULL)
                lk_lab_close (self->fresh);
              self->fresh = lab;
              self->want_connection = FALSE;
              g_mutex_unlock (&self->lock);
            }
          else
            g_debug ("the lab study's server is still away: %s", error->message);
        }

      {
        g_autoptr(GError) error = NULL;
        gboolean stored = FALSE;

        if (refiner == NULL)
          refiner = lk_lab_connect (self->conninfo, self->station, NULL);
        if (refiner != NULL && !holder && !lk_lab_try_refiner (refiner, &holder, &error))
          g_clear_pointer (&refiner, lk_lab_close);
        else if (holder && !lk_lab_refine (refiner, &stored, &error))
          {
            g_message ("the refiner's step failed: %s", error->message);
            if (g_error_matches (error, LK_LAB_ERROR, LK_LAB_ERROR_CONNECTION_LOST))
              {
                g_clear_pointer (&refiner, lk_lab_close);
                holder = FALSE;
              }
          }
        if (stored)
          g_debug ("this station stored a phase as the refiner");
      }

      g_mutex_lock (&self->lock);
    }
  g_mutex_unlock (&self->lock);

  return NULL;
}

static void
wake_thread (LkLabRun *self)
{
  g_mutex_lock (&self->lock);
  self->wake = TRUE;
  g_cond_signal (&self->cond);
  g_mutex_unlock (&self->lock);
}

static void pick_up_connection (LkLabRun *self);

/* While offline: takes the connection the thread made as soon as there is one, and flushes
 * the journal, without waiting for the participant's next grid. */
static gboolean
pickup_cb (gpointer data)
{
  LkLabRun *self = data;

  pick_up_connection (self);
  if (self->lab == NULL)
    return G_SOURCE_CONTINUE;
  self->pickup_id = 0;

  return G_SOURCE_REMOVE;
}

/* The server went away: the station goes on offline, and its thread tries to reach it. */
static void
go_offline (LkLabRun     *self,
            const GError *error)
{
  if (self->lab == NULL)
    return;
  if (self->pickup_id == 0)
    self->pickup_id = g_timeout_add_seconds (1, pickup_cb, self);
  g_message ("the lab study's server is away, the station goes on offline: %s",
             error->message);
  g_clear_pointer (&self->lab, lk_lab_close);
  g_mutex_lock (&self->lock);
  self->want_connection = TRUE;
  self->wake = TRUE;
  g_cond_signal (&self->cond);
  g_mutex_unlock (&self->lock);
}

static gboolean
is_offline_error (const GError *error)
{
  return g_error_matches (error, LK_LAB_ERROR, LK_LAB_ERROR_CONNECTION_LOST) ||
         g_error_matches (error, LK_LAB_ERROR, LK_LAB_ERROR_CONNECT);
}

/* Takes a connection the thread made, and flushes the journal with it. */
static void
pick_up_connection (LkLabRun *self)
{
  g_autoptr(GError) error = NULL;
  guint flushed = 0;

  if (self->lab == NULL)
    {
      g_mutex_lock (&self->lock);
      self->lab = g_steal_pointer (&self->fresh);
      g_mutex_unlock (&self->lock);
      if (self->lab == NULL)
        return;
      self->session = 0;
      g_message ("the lab study's server is back");
    }
  if (lk_lab_journal_get_length (self->journal) == 0)
    return;
  if (!lk_lab_journal_flush (self->journal, self->lab, &flushed, &error))
    {
      if (is_offline_error (error))
        go_offline (self, error);
      else
        g_warning ("the station's journal could not be flushed: %s", error->message);
    }
  g_debug ("flushed %u journaled answers", flushed);
}

/* ---- the grid source --------------------------------------------------------------------- */

static gboolean
renew_cb (gpointer data)
{
  LkLabRun *self = data;
  g_autoptr(GError) error = NULL;

  if (self->lab == NULL || self->claim.query == 0)
    return G_SOURCE_CONTINUE;
  if (!lk_lab_renew (self->lab, &self->claim, self->lease, &error))
    {
      if (is_offline_error (error))
        go_offline (self, error);
      else
        g_debug ("%s", error->message);
    }

  return G_SOURCE_CONTINUE;
}

static void
forget_grid (LkLabRun *self)
{
  g_clear_handle_id (&self->renew_id, g_source_remove);
  lk_lab_claim_clear (&self->claim);
  self->claim.phase = 0;
  g_clear_pointer (&self->client_uuid, g_free);
}

/* Reads the latest stored embedding when a newer phase is stored. */
static void
refresh_embedding (LkLabRun *self)
{
  g_autoptr(GError) error = NULL;
  guint version = 0, n = 0, dim = 0;
  GBytes *bytes;

  if (self->lab == NULL)
    return;
  bytes = lk_lab_get_embedding (self->lab, self->embedding_version, &version, &n, &dim, &error);
  if (bytes != NULL && n == self->n_items)
    {
      g_clear_pointer (&self->embedding, g_bytes_unref);
      self->embedding = bytes;
      self->embedding_version = version;
      self->embedding_dim = dim;
    }
  else if (bytes != NULL)
    g_bytes_unref (bytes);
  else if (error != NULL && is_offline_error (error))
    go_offline (self, error);
}

static LkGrid *
draw_spot (LkLabRun *self)
{
  g_autofree guint *items = g_new (guint, self->params.nq);
  guint64 seed = lk_rng_derive (lk_rng_derive (self->params.seed, 5),
                                g_str_hash (self->station) * 1000003u
                                + lk_refine_worker_get_n_answers (self->worker)
                                + self->n_spot++);

  lk_lab_draw_spot (self->embedding != NULL ? g_bytes_get_data (self->embedding, NULL) : NULL,
                    self->n_items, self->embedding_dim, self->params.nq,
                    MIN (MAX (self->params.knn_k, 10), self->n_items - 1), seed, items);
  self->client_uuid = g_uuid_string_random ();

  return lk_grid_new (lk_query_new (items, self->params.nq), 0, self->embedding_version, TRUE);
}

static LkGrid *
lk_lab_run_next_grid (LkGridSource  *source,
                      GError       **error)
{
  LkLabRun *self = LK_LAB_RUN (source);
  g_autoptr(GError) local_error = NULL;

  forget_grid (self);
  pick_up_connection (self);

  /* A repeat or a catch grid, while online (their answers are not journaled) and the study
   * has grids left to sort. */
  if (self->lab != NULL && self->embedding_version < self->params.phases
      && !lk_grid_source_is_spent (source))
    {
      const LkQuery *check;

      if (!self->checks_ready)
        {
          self->checks = _lk_lab_run_read_checks (self);
          self->checks_ready = TRUE;
        }
      check = self->checks != NULL ? lk_check_grids_next (self->checks, self->rng) : NULL;
      if (check != NULL)
        {
          self->client_uuid = g_uuid_string_random ();
          return lk_grid_new (lk_query_copy (check), 0, self->embedding_version, FALSE);
        }
    }

  if (self->lab != NULL)
    {
      if (lk_lab_claim (self->lab, self->session, self->lease, &self->claim, &local_error))
        {
          if (self->claim.query != 0)
            {
              LkQuery *query = lk_query_new ((const guint *) self->claim.items->data,
                                             self->claim.items->len);

              self->client_uuid = g_uuid_string_random ();
              self->renew_id = g_timeout_add_seconds (MAX (1, (guint) (self->lease / 4)),
                                                      renew_cb, self);
              return lk_grid_new (query, self->claim.query, self->claim.phase, FALSE);
            }
          /* No grid ready: the refiner may have a complete phase to fold in. */
          wake_thread (self);
          refresh_embedding (self);
          /* The last phase with nothing left to hand out: the study is ending. */
          if (self->lab != NULL && self->embedding_version + 1 >= self->params.phases)
            return NULL;
        }
      else if (is_offline_error (local_error))
        go_offline (self, local_error);
      else
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
    }

  if (self->embedding_version >= self->params.phases)
    return NULL;

  return draw_spot (self);
}

/* Opens the participant's session row with their first answer, as a study file does. */
static gboolean
ensure_session (LkLabRun              *self,
                const LkAnswerRecord  *record,
                GError               **error)
{
  if (self->session > 0 && g_strcmp0 (self->participant, record->participant) == 0)
    return TRUE;
  self->session = lk_lab_begin_session (self->lab, record->participant, record->pilot, error);
  g_free (self->participant);
  self->participant = g_strdup (record->participant);

  return self->session > 0;
}

/* ---- what lk-lab-run-gold.c sees ---------------------------------------------------------- */

/* Returns the station's connection, picked up from the thread if it made one; NULL offline. */
LkLab *
_lk_lab_run_get_lab (LkLabRun *self)
{
  pick_up_connection (self);

  return self->lab;
}

gboolean
_lk_lab_run_ensure_session (LkLabRun    *self,
                            const char  *participant,
                            gboolean     pilot,
                            GError     **error)
{
  LkAnswerRecord who = { .participant = participant, .pilot = pilot };

  return ensure_session (self, &who, error);
}

/* Returns the id of the answer to the grid on screen: made with its first submit (or when the
 * grid was served) and kept for every retry until the answer is stored. */
const char *
_lk_lab_run_get_client_uuid (LkLabRun *self)
{
  if (self->client_uuid == NULL)
    self->client_uuid = g_uuid_string_random ();

  return self->client_uuid;
}

/* The answer to the grid on screen is stored: the next one gets an id of its own. */
void
_lk_lab_run_answer_stored (LkLabRun *self)
{
  forget_grid (self);
}

/* A submit that did not store its answer: offline (or the connection lost now, the station
 * then going offline), the participant is told to try again once the server is back; else the
 * server's refusal is said. Takes @local_error (nullable: offline). Returns FALSE. */
gboolean
_lk_lab_run_failed (LkLabRun  *self,
                    GError    *local_error,
                    GError   **error)
{
  if (local_error != NULL && is_offline_error (local_error))
    go_offline (self, local_error);
  if (local_error == NULL || is_offline_error (local_error))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED,
                           _("The answer could not be sent: the station has lost its "
                             "connection to the lab study. Try again when it is back."));
      g_clear_error (&local_error);
    }
  else
    g_propagate_error (error, local_error);

  return FALSE;
}

LkStudy *
_lk_lab_run_get_study (LkLabRun *self)
{
  return self->study;
}

gint64
_lk_lab_run_get_session (LkLabRun *self)
{
  return self->session;
}

const LkParams *
_lk_lab_run_get_params (LkLabRun *self)
{
  return &self->params;
}

LkCheckGrids *
_lk_lab_run_get_checks (LkLabRun *self)
{
  return self->checks;
}

static gboolean
lk_lab_run_submit (LkGridSource          *source,
                   const LkGrid          *grid,
                   const LkAnswerRecord  *record,
                   GError               **error)
{
  LkLabRun *self = LK_LAB_RUN (source);
  g_autofree LkMove *moves = g_new0 (LkMove, MAX (record->n_moves, 1));
  g_autoptr(GError) local_error = NULL;
  gboolean spot = lk_grid_get_drawn (grid);
  LkLabJournalEntry entry;
  gboolean late = FALSE;
  gint64 id = 0;

  if (lk_grid_get_query_id (grid) == 0 && !spot)
    return _lk_lab_run_submit_check (self, grid, record, error);

  /* A grid served before this run lost track of it (cannot happen in a session). */
  if (self->client_uuid == NULL)
    self->client_uuid = g_uuid_string_random ();
  for (guint i = 0; i < record->n_moves; i++)
    moves[i] = (LkMove) {
      .item = record->moves[i].item,
      .from = record->moves[i].from,
      .to = record->moves[i].to,
      .ms = (guint) CLAMP (record->moves[i].ms, 0, G_MAXUINT),
    };
  entry = (LkLabJournalEntry) {
    .client_uuid = self->client_uuid,
    .query = spot ? 0 : lk_grid_get_query_id (grid),
    .phase = lk_grid_get_phase (grid),
    .lease_token = !spot && self->claim.query == lk_grid_get_query_id (grid)
                   ? self->claim.lease_token : NULL,
    .participant = (char *) record->participant,
    .pilot = record->pilot,
    .session = self->participant != NULL &&
               g_strcmp0 (self->participant, record->participant) == 0 ? self->session : 0,
    .nc = self->params.nc,
    .answer = (LkQuery *) record->answer,
    .shown_us = record->shown_us,
    .submitted_us = record->submitted_us,
    .moves = moves,
    .n_moves = record->n_moves,
  };

  /* On disk before anything else. */
  if (!lk_lab_journal_add (self->journal, &entry, error))
    return FALSE;

  if (self->lab != NULL && ensure_session (self, record, &local_error))
    {
      entry.session = self->session;
      if (spot)
        id = lk_lab_submit_spot (self->lab, entry.client_uuid, record->answer, entry.phase,
                                 self->session, record->shown_us, record->submitted_us, moves,
                                 record->n_moves, &local_error);
      else
        {
          LkLabClaim claim = { .query = entry.query, .phase = entry.phase };

          if (entry.lease_token != NULL)
            g_strlcpy (claim.lease_token, entry.lease_token, sizeof claim.lease_token);
          id = lk_lab_submit (self->lab, &claim, entry.client_uuid, record->answer,
                              self->session, record->shown_us, record->submitted_us, moves,
                              record->n_moves, &late, &local_error);
        }
    }

  if (id > 0)
    {
      if (!lk_lab_journal_remove (self->journal, entry.client_uuid, &local_error))
        g_warning ("%s", local_error->message);
    }
  else if (local_error != NULL && is_offline_error (local_error))
    go_offline (self, local_error);
  else if (local_error != NULL)
    {
      /* Refused (not a lost connection): said, and kept in the journal for Retry. */
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  /* A grid answered late may be another participant's answer too: never repeated. */
  if (self->checks != NULL)
    lk_check_grids_grid_done (self->checks, spot || late ? 0 : lk_grid_get_query_id (grid),
                              lk_grid_get_query (grid));
  forget_grid (self);
  lk_refine_worker_add_answer (self->worker, record->answer, record->participant,
                               (record->submitted_us - record->shown_us)
                               / (double) G_USEC_PER_SEC);

  return TRUE;
}

static gboolean
lk_lab_run_end_session (LkGridSource  *source,
                        GError       **error)
{
  LkLabRun *self = LK_LAB_RUN (source);
  g_autoptr(GError) local_error = NULL;

  forget_grid (self);
  if (self->lab != NULL && self->session > 0 &&
      !lk_lab_end_session (self->lab, self->session, &local_error))
    {
      if (!is_offline_error (local_error))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      go_offline (self, local_error);
    }
  self->session = 0;
  g_clear_pointer (&self->participant, g_free);
  /* The next session reads its settings afresh. */
  g_clear_pointer (&self->checks, lk_check_grids_free);
  self->checks_ready = FALSE;

  return TRUE;
}

/* An intruder's clusters for one stored phase: k-means of its embedding, or the copy's folders
 * before the first phase (read with a connection of its own), made on a GTask thread. */
typedef struct {
  char        *path;
  LkEmbedding *learned;      /* nullable: the folders */
  guint        n_items;
  gulong       seed;
  guint        version;      /* the clusters_version they are */
  guint       *clusters;     /* out, nullable */
  guint        n_clusters;   /* out */
} ClustersJob;

static void
clusters_job_free (gpointer data)
{
  ClustersJob *job = data;

  g_free (job->path);
  g_clear_pointer (&job->learned, lk_embedding_free);
  g_free (job->clusters);
  g_free (job);
}

static void
clusters_job_run (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  ClustersJob *job = task_data;
  g_autoptr(LkStore) store = NULL;
  g_autoptr(GError) error = NULL;

  if (job->learned == NULL)
    {
      store = lk_store_open (job->path, LK_STORE_OPEN_READ_ONLY, &error);
      if (store == NULL)
        g_debug ("intruders without the folders: %s", error->message);
    }
  if (job->learned != NULL || store != NULL)
    job->clusters = lk_study_run_prep_clusters (store, job->learned, job->n_items, job->seed,
                                                &job->n_clusters);
  g_task_return_boolean (task, TRUE);
}

static void start_clusters (LkLabRun *self);

static void
clusters_done_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  LkLabRun *self = LK_LAB_RUN (object);
  ClustersJob *job = g_task_get_task_data (G_TASK (result));

  self->clusters_running = FALSE;
  g_clear_pointer (&self->clusters, g_free);
  self->clusters = g_steal_pointer (&job->clusters);
  self->n_clusters = job->n_clusters;
  self->clusters_version = job->version;
  /* A newer phase came meanwhile. */
  start_clusters (self);
}

/* Starts making the clusters of the latest stored embedding this station has, unless they are
 * made or being made. */
static void
start_clusters (LkLabRun *self)
{
  g_autoptr(GTask) task = NULL;
  ClustersJob *job;

  if (self->clusters_running || self->clusters_version == self->embedding_version + 1)
    return;
  job = g_new0 (ClustersJob, 1);
  job->path = g_strdup (lk_store_get_path (lk_study_get_store (self->study)));
  if (self->embedding != NULL)
    job->learned = lk_embedding_new_from_data (g_bytes_get_data (self->embedding, NULL),
                                               self->n_items, self->embedding_dim);
  job->n_items = self->n_items;
  job->seed = gsl_rng_get (self->rng);
  job->version = self->embedding_version + 1;
  self->clusters_running = TRUE;
  task = g_task_new (self, NULL, clusters_done_cb, NULL);
  g_task_set_source_tag (task, start_clusters);
  g_task_set_task_data (task, job, clusters_job_free);
  g_task_run_in_thread (task, clusters_job_run);
}

/* An intruder takes the latest clusters the station has; only with none at all does it wait
 * for them, running the main loop meanwhile, as a study file's run does. */
static void
wait_clusters (LkLabRun *self)
{
  start_clusters (self);
  while (self->clusters == NULL && self->clusters_version != self->embedding_version + 1)
    {
      if (!self->clusters_running)
        start_clusters (self);
      g_main_context_iteration (NULL, TRUE);
    }
}

/* The next trial of the plan's block of @kind, drawn as a study file's run draws it
 * (lk_trial_draw(), "mix" policy) from the latest stored embedding this station has; none
 * before the first phase, so then at random. */
static LkGrid *
lk_lab_run_next_trial (LkGridSource  *source,
                       LkTaskKind     kind,
                       GError       **error)
{
  LkLabRun *self = LK_LAB_RUN (source);
  g_autoptr(LkEmbedding) learned = NULL;
  LkTrialContext context;
  LkGrid *grid;

  pick_up_connection (self);
  refresh_embedding (self);
  if (self->embedding != NULL)
    learned = lk_embedding_new_from_data (g_bytes_get_data (self->embedding, NULL),
                                          self->n_items, self->embedding_dim);
  lk_trial_context_init (&context, self->n_items, learned);
  /* Made ahead for the session's intruders, whatever this trial's task. */
  start_clusters (self);
  if (kind == LK_TASK_INTRUDER)
    wait_clusters (self);
  grid = lk_trial_context_draw (&context, kind, self->clusters, self->n_clusters, self->rng,
                                error);
  if (grid != NULL)
    self->client_uuid = g_uuid_string_random ();

  return grid;
}

/* Stores a trial's answer as a sorted grid's: written to the station's journal (fsynced)
 * first, then submitted (lk_lab_submit_trial(), idempotent by its client id) and taken out of
 * the journal once the server confirmed it. Offline, it stays in the journal and the
 * participant goes on (the next trial is drawn from the last embedding the station has); the
 * journal is flushed, in order with the sorted grids, when the server is back. */
static gboolean
lk_lab_run_submit_trial (LkGridSource         *source,
                         const LkGrid         *grid,
                         const LkTrialRecord  *record,
                         GError              **error)
{
  LkLabRun *self = LK_LAB_RUN (source);
  g_autoptr(GError) local_error = NULL;
  LkAnswerRecord who = { .participant = record->participant, .pilot = record->pilot };
  LkLabJournalEntry entry;
  gint64 id = 0;

  /* What the journal holds from before goes first, so the server gets the answers in order. */
  pick_up_connection (self);
  if (self->client_uuid == NULL)
    self->client_uuid = g_uuid_string_random ();
  entry = (LkLabJournalEntry) {
    .client_uuid = self->client_uuid,
    .participant = (char *) record->participant,
    .pilot = record->pilot,
    .session = self->participant != NULL &&
               g_strcmp0 (self->participant, record->participant) == 0 ? self->session : 0,
    .shown_us = record->shown_us,
    .submitted_us = record->submitted_us,
    .trial = (LkTrial *) record->trial,
    .block = record->block,
  };

  /* On disk before anything else. */
  if (!lk_lab_journal_add (self->journal, &entry, error))
    return FALSE;

  if (self->lab != NULL && ensure_session (self, &who, &local_error))
    id = lk_lab_submit_trial (self->lab, entry.client_uuid, record->trial, record->block,
                              self->session, record->shown_us, record->submitted_us,
                              &local_error);
  if (id > 0)
    {
      if (!lk_lab_journal_remove (self->journal, entry.client_uuid, &local_error))
        g_warning ("%s", local_error->message);
    }
  else if (local_error != NULL && is_offline_error (local_error))
    go_offline (self, local_error);
  else if (local_error != NULL)
    {
      /* Refused (not a lost connection): said, and kept in the journal for Retry. */
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  g_clear_pointer (&self->client_uuid, g_free);

  return TRUE;
}

/* The trials the lab study holds from @participant, the journal flushed first; offline, those
 * the journal holds (the server's are out of reach). */
static guint
lk_lab_run_count_trials (LkGridSource *source,
                         const char   *participant)
{
  LkLabRun *self = LK_LAB_RUN (source);
  g_autoptr(GError) error = NULL;
  guint n = 0;

  pick_up_connection (self);
  if (self->lab == NULL)
    return lk_lab_journal_count_trials (self->journal, participant);
  if (!lk_lab_count_trials (self->lab, participant, &n, &error))
    {
      if (is_offline_error (error))
        {
          go_offline (self, error);
          return lk_lab_journal_count_trials (self->journal, participant);
        }
      g_warning ("Counting the participant's trials: %s", error->message);
      n = 0;
    }

  return n;
}

static LkRefineWorker *
lk_lab_run_get_worker (LkGridSource *source)
{
  return LK_LAB_RUN (source)->worker;
}

static void
lk_lab_run_grid_source_init (LkGridSourceInterface *iface)
{
  iface->next_grid = lk_lab_run_next_grid;
  iface->submit = lk_lab_run_submit;
  iface->end_session = lk_lab_run_end_session;
  iface->get_worker = lk_lab_run_get_worker;
  iface->next_trial = lk_lab_run_next_trial;
  iface->submit_trial = lk_lab_run_submit_trial;
  iface->count_trials = lk_lab_run_count_trials;
  _lk_lab_run_gold_init (iface);
}

static void
lk_lab_run_dispose (GObject *object)
{
  LkLabRun *self = (LkLabRun *) object;

  if (self->thread != NULL)
    {
      g_mutex_lock (&self->lock);
      self->stopping = TRUE;
      g_cond_signal (&self->cond);
      g_mutex_unlock (&self->lock);
      g_thread_join (g_steal_pointer (&self->thread));
    }
  forget_grid (self);
  g_clear_handle_id (&self->pickup_id, g_source_remove);

  G_OBJECT_CLASS (lk_lab_run_parent_class)->dispose (object);
}

static void
lk_lab_run_finalize (GObject *object)
{
  LkLabRun *self = (LkLabRun *) object;

  g_clear_object (&self->worker);
  g_clear_object (&self->study);
  g_clear_pointer (&self->lab, lk_lab_close);
  g_clear_pointer (&self->fresh, lk_lab_close);
  g_clear_pointer (&self->journal, lk_lab_journal_free);
  g_clear_pointer (&self->embedding, g_bytes_unref);
  g_clear_pointer (&self->rng, gsl_rng_free);
  g_clear_pointer (&self->clusters, g_free);
  g_clear_pointer (&self->checks, lk_check_grids_free);
  g_free (self->station);
  g_free (self->conninfo);
  g_free (self->participant);
  g_mutex_clear (&self->lock);
  g_cond_clear (&self->cond);

  G_OBJECT_CLASS (lk_lab_run_parent_class)->finalize (object);
}

static void
lk_lab_run_class_init (LkLabRunClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = lk_lab_run_dispose;
  G_OBJECT_CLASS (klass)->finalize = lk_lab_run_finalize;
}

static void
lk_lab_run_init (LkLabRun *self)
{
  g_mutex_init (&self->lock);
  g_cond_init (&self->cond);
  self->lease = LK_LAB_LEASE_SECONDS;
  /* The trials' draws are the participants' own, as in a study file's run. */
  self->rng = gsl_rng_alloc (gsl_rng_mt19937);
  gsl_rng_set (self->rng, g_random_int ());
}

/* ---- making a run ------------------------------------------------------------------------ */

typedef struct {
  LkStudy     *study;
  char        *uri;
  char        *path;
  char        *journal_path;
  LkLab       *lab;           /* out */
  LkLabJournal *journal;      /* out */
  LkRefiner   *refiner;       /* out */
  GPtrArray   *history;       /* out: LkSnapshot */
  GHashTable  *participants;  /* out */
  GArray      *seconds;       /* out */
  GBytes      *embedding;     /* out, nullable */
  guint        version, n, dim;
} NewJob;

static void
new_job_free (gpointer data)
{
  NewJob *job = data;

  g_clear_object (&job->study);
  g_free (job->uri);
  g_free (job->path);
  g_free (job->journal_path);
  g_clear_pointer (&job->lab, lk_lab_close);
  g_clear_pointer (&job->journal, lk_lab_journal_free);
  g_clear_pointer (&job->refiner, lk_refiner_free);
  g_clear_pointer (&job->history, g_ptr_array_unref);
  g_clear_pointer (&job->participants, g_hash_table_unref);
  g_clear_pointer (&job->seconds, g_array_unref);
  g_clear_pointer (&job->embedding, g_bytes_unref);
  g_free (job);
}

static void
collect_snapshot (const LkRefiner     *refiner,
                  const LkUpdateStats *stats,
                  gpointer             user_data)
{
  GPtrArray *history = user_data;
  LkSnapshot *previous = history->len > 0 ? g_ptr_array_index (history, history->len - 1) : NULL;

  g_ptr_array_add (history, lk_snapshot_new (refiner, stats, previous, NULL));
}

static void
new_job_run (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  NewJob *job = task_data;
  g_autofree char *station = lk_lab_station_name ();
  g_autofree char *journal_path = NULL;
  g_autoptr(LkStore) store = NULL;
  LkAnswersPending pending = { 0 };
  GError *error = NULL;
  guint flushed = 0;

  job->lab = lk_lab_connect (job->uri, station, &error);
  if (job->lab == NULL || !lk_lab_open_study (job->lab, &error) ||
      !lk_lab_register_station (job->lab, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  journal_path = job->journal_path != NULL
                 ? g_strdup (job->journal_path)
                 : lk_lab_journal_default_path (lk_lab_get_station (job->lab));
  job->journal = lk_lab_journal_open (journal_path, &error);
  /* What an earlier session of this station left: the server gets it first. */
  if (job->journal == NULL || !lk_lab_journal_flush (job->journal, job->lab, &flushed, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  if (flushed > 0)
    g_message ("%u answers left in the station's journal were saved", flushed);

  store = lk_store_open (job->path, LK_STORE_OPEN_READ_ONLY, &error);
  if (store != NULL)
    job->refiner = lk_answers_replay (store, &pending, collect_snapshot, job->history, &error);
  lk_answers_pending_clear (&pending);
  if (job->refiner != NULL &&
      !lk_store_get_answer_times (store, &job->participants, &job->seconds, &error))
    g_clear_pointer (&job->refiner, lk_refiner_free);
  if (job->refiner != NULL)
    job->embedding = lk_lab_get_embedding (job->lab, 0, &job->version, &job->n, &job->dim,
                                           &error);
  if (job->refiner == NULL || error != NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_return_boolean (task, TRUE);
}

/**
 * lk_lab_run_new_async:
 * @study: a lab study's private copy (lk_lab_study_open_finish())
 * @journal_path: (nullable): where the station journals its answers; %NULL for
 *   lk_lab_journal_default_path() of the station's name
 * @cancellable: (nullable): drops the result
 *
 * Connects the station, flushes what its journal holds, and replays the copy for the
 * session's counts, on a worker thread.
 */
void
lk_lab_run_new_async (LkStudy             *study,
                      const char          *journal_path,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  NewJob *job;

  g_return_if_fail (LK_IS_STUDY (study));
  g_return_if_fail (lk_lab_study_get_uri (study) != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, lk_lab_run_new_async);
  g_task_set_check_cancellable (task, TRUE);
  job = g_new0 (NewJob, 1);
  job->study = g_object_ref (study);
  job->uri = g_strdup (lk_lab_study_get_uri (study));
  job->path = g_strdup (lk_store_get_path (lk_study_get_store (study)));
  job->journal_path = g_strdup (journal_path);
  job->history = g_ptr_array_new_with_free_func ((GDestroyNotify) lk_snapshot_unref);
  g_task_set_task_data (task, job, new_job_free);
  g_task_run_in_thread (task, new_job_run);
}

/**
 * lk_lab_run_new_finish:
 *
 * Returns: (transfer full): the run, or %NULL with @error set (the server could not be
 *   reached, the database holds no lab study, the journal could not be read)
 */
LkLabRun *
lk_lab_run_new_finish (GAsyncResult  *result,
                       GError       **error)
{
  NewJob *job;
  LkLabRun *self;

  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == lk_lab_run_new_async, NULL);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return NULL;
  job = g_task_get_task_data (G_TASK (result));

  self = g_object_new (LK_TYPE_LAB_RUN, NULL);
  self->study = g_object_ref (job->study);
  self->conninfo = g_strdup (job->uri);
  self->lab = g_steal_pointer (&job->lab);
  self->station = g_strdup (lk_lab_get_station (self->lab));
  self->journal = g_steal_pointer (&job->journal);
  self->params = *lk_store_get_params (lk_study_get_store (job->study));
  self->n_items = lk_refiner_get_n_items (job->refiner);
  if (job->embedding != NULL && job->n == self->n_items)
    {
      self->embedding = g_steal_pointer (&job->embedding);
      self->embedding_version = job->version;
      self->embedding_dim = job->dim;
    }
  self->worker = lk_refine_worker_new_resumed (g_steal_pointer (&job->refiner), job->history,
                                               NULL);
  lk_refine_worker_add_past_answers (self->worker, job->participants,
                                     (const double *) (gpointer) job->seconds->data,
                                     job->seconds->len);
  self->thread = g_thread_new ("lk-lab-station", thread_main, self);

  return self;
}

/**
 * lk_lab_run_is_online:
 *
 * Returns: whether the station has its server (else it goes on offline, journaling answers)
 */
gboolean
lk_lab_run_is_online (LkLabRun *self)
{
  g_return_val_if_fail (LK_IS_LAB_RUN (self), FALSE);

  return self->lab != NULL;
}

/**
 * lk_lab_run_get_journal_length:
 *
 * Returns: the answers the station's journal holds (not yet confirmed by the server)
 */
guint
lk_lab_run_get_journal_length (LkLabRun *self)
{
  g_return_val_if_fail (LK_IS_LAB_RUN (self), 0);

  return lk_lab_journal_get_length (self->journal);
}

/**
 * lk_lab_run_get_station:
 *
 * Returns: the station's name, as the lab study records it with each answer
 */
const char *
lk_lab_run_get_station (LkLabRun *self)
{
  g_return_val_if_fail (LK_IS_LAB_RUN (self), NULL);

  return self->station;
}
