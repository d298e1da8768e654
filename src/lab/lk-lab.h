/* lk-lab.h — a lab study: one study in a PostgreSQL database, shared by several computers
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "lk-answers.h"
#include "lk-session-settings.h"

G_BEGIN_DECLS

#define LK_LAB_ERROR (lk_lab_error_quark ())

/**
 * LkLabError:
 * @LK_LAB_ERROR_FAILED: anything else; the message says what
 * @LK_LAB_ERROR_CONNECT: the server could not be reached or refused the connection
 * @LK_LAB_ERROR_PASSWORD: the connection string holds a password (refused: passwords belong in
 *   ~/.pgpass or a service file, never in a command line or a setting)
 * @LK_LAB_ERROR_NOT_EMPTY: pg-push into a database that already holds tables
 * @LK_LAB_ERROR_NOT_A_STUDY: the database holds no lab study
 * @LK_LAB_ERROR_VERSION: the lab study was written by another Likeness version
 * @LK_LAB_ERROR_EXISTS: pg-pull over an existing file
 * @LK_LAB_ERROR_CONNECTION_LOST: the connection broke during a statement; reconnect and retry
 * @LK_LAB_ERROR_LEASE_LOST: the grid's lease is gone (expired and claimed by another station)
 * @LK_LAB_ERROR_INVALID: the request does not fit the study
 * @LK_LAB_ERROR_CONFLICT: another connection stored the same row first (a unique key)
 */
typedef enum {
  LK_LAB_ERROR_FAILED,
  LK_LAB_ERROR_CONNECT,
  LK_LAB_ERROR_PASSWORD,
  LK_LAB_ERROR_NOT_EMPTY,
  LK_LAB_ERROR_NOT_A_STUDY,
  LK_LAB_ERROR_VERSION,
  LK_LAB_ERROR_EXISTS,
  LK_LAB_ERROR_CONNECTION_LOST,
  LK_LAB_ERROR_LEASE_LOST,
  LK_LAB_ERROR_INVALID,
  LK_LAB_ERROR_CONFLICT,
} LkLabError;

/* The version of the lab tables (lab, station, event and the lease columns) this build writes. */
#define LK_LAB_SCHEMA_VERSION 1

/* The channel every event appended to the lab study's log is NOTIFYed on (payload: a JSON
 * object with the event's id and kind); lk-lab-listen.h listens on it. One database holds one
 * study, so the name is fixed. */
#define LK_LAB_CHANNEL "likeness_events"

/* The default lease of a claimed grid, in seconds: long enough for a participant to sort one
 * grid, renewed while it is shown (lk_lab_renew()). */
#define LK_LAB_LEASE_SECONDS 120.0

/* A grid handed out this many times without an answer is abandoned rather than handed out
 * again, so a grid that crashes stations cannot loop. */
#define LK_LAB_MAX_ATTEMPTS 3

typedef struct _LkLab LkLab;

/**
 * LkLabCounts:
 * @images: images in the collection
 * @queries: queries drawn
 * @pending: queries never handed out
 * @leased: queries handed out under a live lease
 * @expired: queries whose lease expired (handed out again on the next claim)
 * @answered: queries answered
 * @abandoned: queries given up
 * @answers: answers stored
 * @late: answers that arrived after their lease had expired
 * @participants: participants
 * @phases_done: completed phases
 * @stations: stations that have connected
 */
typedef struct {
  guint images;
  guint queries;
  guint pending;
  guint leased;
  guint expired;
  guint answered;
  guint abandoned;
  guint answers;
  guint late;
  guint participants;
  guint phases_done;
  guint stations;
} LkLabCounts;

/**
 * LkLabClaim:
 * @query: the claimed query's id; 0 when no grid was ready
 * @phase: its phase
 * @lease_token: the lease's token (a UUID), which renewals and the submit present
 * @items: the grid's items in display order
 *
 * A grid handed to a station by lk_lab_claim().
 */
typedef struct {
  gint64  query;
  guint   phase;
  char    lease_token[40];
  GArray *items;
} LkLabClaim;

GQuark    lk_lab_error_quark   (void);
gboolean  lk_lab_is_uri        (const char   *text);
gboolean  lk_lab_check_conninfo (const char  *conninfo,
                                 GError     **error);
LkLab    *lk_lab_connect       (const char   *conninfo,
                                const char   *station,
                                GError      **error) G_GNUC_WARN_UNUSED_RESULT;
void      lk_lab_close         (LkLab        *self);
gboolean  lk_lab_reconnect     (LkLab        *self,
                                GError      **error);
const char *lk_lab_get_station (const LkLab  *self);
char     *lk_lab_describe      (const LkLab  *self) G_GNUC_WARN_UNUSED_RESULT;
gboolean  lk_lab_get_setting   (LkLab        *self,
                                const char   *key,
                                char        **value,
                                GError      **error);
gboolean  lk_lab_set_settings  (LkLab        *self,
                                const char *const *rows,
                                guint         n_rows,
                                GError      **error);

/* lk-lab-copy.c: a study file into an empty database, and back */
gboolean  lk_lab_push          (LkLab        *self,
                                const char   *study_path,
                                GError      **error);
gboolean  lk_lab_pull          (LkLab        *self,
                                const char   *out_path,
                                GError      **error);
gboolean  lk_lab_open_study    (LkLab        *self,
                                GError      **error);
gboolean  lk_lab_get_counts    (LkLab        *self,
                                LkLabCounts  *counts,
                                GError      **error);
char     *lk_lab_get_param     (LkLab        *self,
                                const char   *name,
                                GError      **error) G_GNUC_WARN_UNUSED_RESULT;
GBytes   *lk_lab_get_thumbnail (LkLab        *self,
                                guint         item,
                                GError      **error) G_GNUC_WARN_UNUSED_RESULT;

/* lk-lab-station.c: handing out grids under leases, and taking answers */
gboolean  lk_lab_register_station (LkLab     *self,
                                   GError   **error);
gint64    lk_lab_begin_session (LkLab        *self,
                                const char   *participant,
                                gboolean      pilot,
                                GError      **error);
gboolean  lk_lab_end_session   (LkLab        *self,
                                gint64        session,
                                GError      **error);
gboolean  lk_lab_claim         (LkLab        *self,
                                gint64        session,
                                double        lease_seconds,
                                LkLabClaim   *claim,
                                GError      **error);
gboolean  lk_lab_renew         (LkLab        *self,
                                const LkLabClaim *claim,
                                double        lease_seconds,
                                GError      **error);
gint64    lk_lab_submit        (LkLab        *self,
                                const LkLabClaim *claim,
                                const char   *client_uuid,
                                const LkQuery *answer,
                                gint64        session,
                                gint64        shown_us,
                                gint64        submitted_us,
                                const LkMove *moves,
                                guint         n_moves,
                                gboolean     *late,
                                GError      **error);
void      lk_lab_claim_clear   (LkLabClaim   *claim);
gboolean  lk_lab_check_grids   (LkLab        *self,
                                GString      *problems,
                                GError      **error);
gint64    lk_lab_submit_spot   (LkLab        *self,
                                const char   *client_uuid,
                                const LkQuery *answer,
                                guint         embedding_version,
                                gint64        session,
                                gint64        shown_us,
                                gint64        submitted_us,
                                const LkMove *moves,
                                guint         n_moves,
                                GError      **error);
gint64    lk_lab_submit_trial  (LkLab        *self,
                                const char   *client_uuid,
                                const LkTrial *trial,
                                guint         block,
                                gint64        session,
                                gint64        shown_us,
                                gint64        submitted_us,
                                GError      **error);
gint64    lk_lab_submit_marked (LkLab        *self,
                                const char   *client_uuid,
                                LkTaskKind    kind,
                                gint64        gold,
                                gint64        repeat_of,
                                const LkQuery *answer,
                                gint64        session,
                                gint64        shown_us,
                                gint64        submitted_us,
                                const LkMove *moves,
                                guint         n_moves,
                                GError      **error);
gboolean  lk_lab_count_trials  (LkLab        *self,
                                const char   *participant,
                                guint        *n_trials,
                                GError      **error);
GBytes   *lk_lab_get_embedding (LkLab        *self,
                                guint         newer_than,
                                guint        *phases,
                                guint        *n_items,
                                guint        *dim,
                                GError      **error) G_GNUC_WARN_UNUSED_RESULT;
void      lk_lab_draw_spot     (const double *embedding,
                                guint         n_items,
                                guint         dim,
                                guint         nq,
                                guint         k,
                                guint64       seed,
                                guint        *items);

/* lk-lab-gold.c: the study's known answers, the exam's outcome, the session settings */
GPtrArray *lk_lab_list_gold    (LkLab        *self,
                                GError      **error) G_GNUC_WARN_UNUSED_RESULT;
gboolean  lk_lab_set_qualified (LkLab        *self,
                                const char   *participant,
                                gboolean      qualified,
                                GError      **error);
gboolean  lk_lab_get_qualified (LkLab        *self,
                                const char   *participant,
                                gboolean     *qualified,
                                GError      **error);
gboolean  lk_lab_load_session_settings (LkLab             *self,
                                        LkSessionSettings *settings,
                                        GError           **error);

/* lk-lab-refine.c: one refiner at a time, elected with an advisory lock */
typedef struct _LkLabPhase LkLabPhase;

gboolean    lk_lab_try_refiner     (LkLab       *self,
                                    gboolean    *holder,
                                    GError     **error);
LkLabPhase *lk_lab_phase_compute   (LkLab       *self,
                                    GError     **error) G_GNUC_WARN_UNUSED_RESULT;
gboolean    lk_lab_phase_store     (LkLab       *self,
                                    LkLabPhase  *phase,
                                    gboolean    *stored,
                                    GError     **error);
guint       lk_lab_phase_get_number (const LkLabPhase *phase);
GBytes     *lk_lab_phase_get_embedding (const LkLabPhase *phase);
void        lk_lab_phase_free      (LkLabPhase  *phase);
gboolean    lk_lab_refine          (LkLab       *self,
                                    gboolean    *stored,
                                    GError     **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LkLab, lk_lab_close)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LkLabPhase, lk_lab_phase_free)
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (LkLabClaim, lk_lab_claim_clear)

G_END_DECLS
