/* lk-lab-listen.h — following a lab study's event log live (LISTEN/NOTIFY), across reconnects
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "lk-lab.h"

G_BEGIN_DECLS

/**
 * LkLabEvent:
 * @id: the event's id in the study's log
 * @kind: what happened: "answer", "claimed", "session", "connected", "abandoned", "phase",
 *   "pushed"
 * @station: (nullable): the station that logged it
 * @at_us: when, in microseconds since the epoch (the server's clock)
 * @payload: its details, a JSON object as text
 */
typedef struct {
  gint64  id;
  char   *kind;
  char   *station;
  gint64  at_us;
  char   *payload;
} LkLabEvent;

typedef struct _LkLabListen LkLabListen;

/* Called in the listener's main context for every event, each exactly once. */
typedef void (*LkLabListenFunc)       (LkLabListen      *listen,
                                       const LkLabEvent *event,
                                       gpointer          user_data);
/* Called in the listener's main context when the connection comes up (@message NULL) or goes
 * away (@message says why; the listener is already trying again). */
typedef void (*LkLabListenStatusFunc) (LkLabListen      *listen,
                                       gboolean          connected,
                                       const char       *message,
                                       gpointer          user_data);

LkLabListen *lk_lab_listen_new        (const char            *conninfo,
                                       const char            *station,
                                       gint64                 after_id,
                                       GMainContext          *context,
                                       LkLabListenFunc        func,
                                       LkLabListenStatusFunc  status_func,
                                       gpointer               user_data) G_GNUC_WARN_UNUSED_RESULT;
void         lk_lab_listen_free       (LkLabListen           *self);
guint        lk_lab_listen_get_reconnects (LkLabListen       *self);
int          lk_lab_listen_get_backend_pid (LkLabListen      *self);

/**
 * LkLabLiveStation:
 * @name: the station's name (its application_name)
 * @host: its computer
 * @role: "station" or "experimenter"
 * @seen_ago: seconds since it was last seen
 * @query: the grid it holds under a live lease, 0 for none
 * @lease_age: seconds since that grid was claimed
 * @lease_left: seconds left on the lease
 * @participant: (nullable): the participant sorting that grid
 * @answers: the answers it submitted
 */
typedef struct {
  char   *name;
  char   *host;
  char   *role;
  double  seen_ago;
  gint64  query;
  double  lease_age;
  double  lease_left;
  char   *participant;
  guint   answers;
} LkLabLiveStation;

/**
 * LkLabLiveAnswer:
 * @id: the answer's id
 * @query: its grid
 * @station: (nullable): the station it came from
 * @participant: (nullable): the participant's code
 * @ago: seconds since it was submitted
 * @late: it came after its lease expired
 */
typedef struct {
  gint64    id;
  gint64    query;
  char     *station;
  char     *participant;
  double    ago;
  gboolean  late;
} LkLabLiveAnswer;

/**
 * LkLabLive:
 * @counts: the study's counts
 * @stations: (element-type LkLabLiveStation): every station, by name
 * @answers: (element-type LkLabLiveAnswer): the latest answers, newest first
 * @refiner: (nullable): the name of the station holding the refiner's lock
 * @last_event: the newest event's id when read
 *
 * What the experimenter's live view shows of a lab study, read in one snapshot.
 */
typedef struct {
  LkLabCounts  counts;
  GPtrArray   *stations;
  GPtrArray   *answers;
  char        *refiner;
  gint64       last_event;
} LkLabLive;

LkLabLive   *lk_lab_live_read         (LkLab                 *lab,
                                       guint                  n_answers,
                                       GError               **error) G_GNUC_WARN_UNUSED_RESULT;
void         lk_lab_live_free         (LkLabLive             *live);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LkLabListen, lk_lab_listen_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LkLabLive, lk_lab_live_free)

G_END_DECLS
