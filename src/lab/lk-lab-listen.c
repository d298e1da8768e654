/* lk-lab-listen.c — following a lab study's event log live (LISTEN/NOTIFY), across reconnects
 *
 * Every event appended to the study's log NOTIFYs LK_LAB_CHANNEL when its transaction commits
 * (the trigger made in lk-lab.c). A listener runs on a thread of its own with its own
 * connection, so no statement ever runs on the caller's main loop: it LISTENs, sleeps in
 * poll() on the connection's socket and a wake-up pipe, and on every notification reads the
 * log's new rows and hands them to the caller's GMainContext.
 *
 * Notifications are only wake-ups. Those sent while the listener was away are lost, so after
 * every (re)connection it LISTENs first and then reads the rows it has not delivered; a
 * notification's payload is never trusted to carry the event.
 *
 * Which rows are new. Event ids come from an identity sequence when the INSERT runs, but the
 * transactions commit in any order: id 6 may be visible while id 5 is still uncommitted, so
 * "every id above the last one seen" would lose 5. The listener keeps a low-water mark (every
 * id up to it was delivered or can never appear) and the set of ids above it already
 * delivered; each read asks for the ids above the mark and skips the delivered ones. A hole
 * below the highest delivered id is either a transaction still running or one rolled back
 * (its id is never used). The hole is given up once every transaction that was running when
 * it was seen has ended: the read that found it notes the current snapshot's xmax, and a later
 * read whose snapshot xmin has passed it, taken before that read's rows, has seen everything
 * those transactions committed. A transaction between its nextval() and its first write has
 * no xid yet, so a hole is also kept for at least LK_LAB_LISTEN_HOLE_SECONDS (a statement's
 * microseconds, many times over).
 *
 * Reconnecting: when the connection breaks (server restarted, backend terminated, network
 * gone) the listener says so to the caller and tries again after 0.5 s, doubling up to 30 s.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <errno.h>
#include <glib-unix.h>
#include <poll.h>
#include <string.h>
#include <unistd.h>

#include "lk-lab-listen-private.h"
#include "lk-lab-private.h"

#define LK_LAB_LISTEN_HOLE_SECONDS 5

struct _LkLabListen {
  /* Set once, read by both threads */
  char                  *conninfo;
  char                  *station;
  GMainContext          *context;
  LkLabListenFunc        func;
  LkLabListenStatusFunc  status_func;
  gpointer               user_data;
  GThread               *thread;
  int                    wake[2];

  /* Shared, under lock */
  GMutex                 lock;
  gboolean               stopping;
  gboolean               freed;
  gint                   ref_count;
  double                 backoff_first;
  double                 backoff_max;
  guint                  reconnects;
  guint                  backfilled;
  int                    backend_pid;

  /* The listener thread's own */
  LkLab                 *lab;
  gint64                 low;
  gboolean               low_known;
  GHashTable            *delivered;
  gint64                 hole_limit;
  guint64                hole_horizon;
  gint64                 hole_since;
};

static void
listen_unref (LkLabListen *self)
{
  gboolean last;

  g_mutex_lock (&self->lock);
  last = --self->ref_count == 0;
  g_mutex_unlock (&self->lock);
  if (!last)
    return;
  g_free (self->conninfo);
  g_free (self->station);
  g_main_context_unref (self->context);
  g_mutex_clear (&self->lock);
  g_free (self);
}

static LkLabListen *
listen_ref (LkLabListen *self)
{
  g_mutex_lock (&self->lock);
  self->ref_count++;
  g_mutex_unlock (&self->lock);
  return self;
}

static void
event_free (gpointer data)
{
  LkLabEvent *event = data;

  g_free (event->kind);
  g_free (event->station);
  g_free (event->payload);
  g_free (event);
}

/* What the thread hands to the main context. */
typedef struct {
  LkLabListen *self;
  GPtrArray   *events;
  gboolean     status;
  gboolean     connected;
  char        *message;
} Dispatch;

static void
dispatch_free (gpointer data)
{
  Dispatch *d = data;

  g_clear_pointer (&d->events, g_ptr_array_unref);
  g_free (d->message);
  listen_unref (d->self);
  g_free (d);
}

static gboolean
dispatch_cb (gpointer data)
{
  Dispatch *d = data;
  LkLabListen *self = d->self;

  /* lk_lab_listen_free() runs in this context too, so nothing is called after it. */
  if (self->freed)
    return G_SOURCE_REMOVE;
  if (d->status)
    {
      if (self->status_func != NULL)
        self->status_func (self, d->connected, d->message, self->user_data);
      return G_SOURCE_REMOVE;
    }
  for (guint i = 0; i < d->events->len && !self->freed; i++)
    self->func (self, g_ptr_array_index (d->events, i), self->user_data);

  return G_SOURCE_REMOVE;
}

/* Always through a source attached to the context, never g_main_context_invoke(): from this
 * thread that would call the callback right here whenever the context is the global default
 * one and nobody is iterating it at that moment (bench-lab-listen caught it). */
static void
post (LkLabListen *self,
      Dispatch    *d)
{
  GSource *source = g_idle_source_new ();

  d->self = listen_ref (self);
  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, dispatch_cb, d, dispatch_free);
  g_source_set_static_name (source, "[likeness] lab listener");
  g_source_attach (source, self->context);
  g_source_unref (source);
}

static void
post_status (LkLabListen *self,
             gboolean     connected,
             const char  *message)
{
  Dispatch *d = g_new0 (Dispatch, 1);

  d->status = TRUE;
  d->connected = connected;
  d->message = g_strdup (message);
  post (self, d);
}

/* Sleeps @seconds or until lk_lab_listen_free(); returns FALSE when stopping. */
static gboolean
wait_or_stop (LkLabListen *self,
              double       seconds)
{
  struct pollfd fd = { self->wake[0], POLLIN, 0 };
  int rc;

  do
    rc = poll (&fd, 1, (int) (seconds * 1000));
  while (rc < 0 && errno == EINTR);

  return rc == 0;
}

static guint64
parse_u64 (const char *text)
{
  return g_ascii_strtoull (text, NULL, 10);
}

/* The current snapshot's xmin (or xmax). */
static gboolean
snapshot_bound (LkLabListen *self,
                const char  *which,
                guint64     *value,
                GError     **error)
{
  g_autofree char *sql = g_strdup_printf ("SELECT pg_snapshot_%s (pg_current_snapshot ())::text",
                                          which);
  g_autoptr(PGresult) res = lk_lab_exec (self->lab, "Reading the server's snapshot", error,
                                         sql, 0);

  if (res == NULL)
    return FALSE;
  *value = parse_u64 (PQgetvalue (res, 0, 0));
  return TRUE;
}

/* Moves the low-water mark over the delivered ids that follow it. */
static void
advance_low (LkLabListen *self)
{
  while (g_hash_table_remove (self->delivered, &(gint64) { self->low + 1 }))
    self->low++;
}

/* Reads the log's rows not delivered yet and posts them; @after_reconnect counts them as
 * backfilled. */
static gboolean
catch_up (LkLabListen *self,
          gboolean     after_reconnect,
          GError     **error)
{
  g_autoptr(PGresult) res = NULL;
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func (event_free);
  g_autofree char *low = NULL;
  guint64 xmin_before, xmax_after;
  gint64 highest;

  if (!self->low_known)
    {
      g_autoptr(PGresult) max = lk_lab_exec (self->lab, "Reading the event log", error,
                                             "SELECT coalesce (max (id), 0) FROM event", 0);

      if (max == NULL)
        return FALSE;
      self->low = g_ascii_strtoll (PQgetvalue (max, 0, 0), NULL, 10);
      self->low_known = TRUE;
      return TRUE;
    }

  if (!snapshot_bound (self, "xmin", &xmin_before, error))
    return FALSE;
  /* The hole found earlier: every transaction that could fill it has ended before this read. */
  if (self->hole_limit > self->low && xmin_before >= self->hole_horizon &&
      g_get_monotonic_time () - self->hole_since >= LK_LAB_LISTEN_HOLE_SECONDS * G_USEC_PER_SEC)
    {
      for (gint64 id = self->low + 1; id <= self->hole_limit; id++)
        g_hash_table_remove (self->delivered, &id);
      self->low = self->hole_limit;
      advance_low (self);
      self->hole_limit = 0;
    }

  low = g_strdup_printf ("%" G_GINT64_FORMAT, self->low);
  res = lk_lab_exec (self->lab, "Reading the event log", error,
                     "SELECT id, kind, station, (extract (epoch FROM at) * 1e6)::bigint, "
                     "payload::text FROM event WHERE id > $1::bigint ORDER BY id", 1, low);
  if (res == NULL)
    return FALSE;
  for (int r = 0; r < PQntuples (res); r++)
    {
      gint64 id = g_ascii_strtoll (PQgetvalue (res, r, 0), NULL, 10);
      LkLabEvent *event;

      if (g_hash_table_contains (self->delivered, &id))
        continue;
      event = g_new0 (LkLabEvent, 1);
      event->id = id;
      event->kind = g_strdup (PQgetvalue (res, r, 1));
      event->station = PQgetisnull (res, r, 2) ? NULL : g_strdup (PQgetvalue (res, r, 2));
      event->at_us = g_ascii_strtoll (PQgetvalue (res, r, 3), NULL, 10);
      event->payload = g_strdup (PQgetvalue (res, r, 4));
      g_ptr_array_add (events, event);
      g_hash_table_add (self->delivered, g_memdup2 (&id, sizeof id));
    }
  advance_low (self);

  /* A hole left below the highest delivered id: note which transactions could still fill it. */
  highest = self->low;
  {
    GHashTableIter iter;
    gpointer key;

    g_hash_table_iter_init (&iter, self->delivered);
    while (g_hash_table_iter_next (&iter, &key, NULL))
      highest = MAX (highest, *(gint64 *) key);
  }
  if (highest > self->low && self->hole_limit <= self->low)
    {
      if (!snapshot_bound (self, "xmax", &xmax_after, error))
        return FALSE;
      self->hole_limit = highest;
      self->hole_horizon = xmax_after;
      self->hole_since = g_get_monotonic_time ();
    }

  if (events->len > 0)
    {
      Dispatch *d = g_new0 (Dispatch, 1);

      if (after_reconnect)
        {
          g_mutex_lock (&self->lock);
          self->backfilled += events->len;
          g_mutex_unlock (&self->lock);
        }
      d->events = g_steal_pointer (&events);
      post (self, d);
    }

  return TRUE;
}

/* Connects (or reconnects), makes sure the trigger is there, LISTENs. */
static gboolean
connect_listen (LkLabListen *self,
                GError     **error)
{
  g_autoptr(PGresult) trigger = NULL;

  if (self->lab == NULL)
    {
      self->lab = lk_lab_connect (self->conninfo, self->station, error);
      if (self->lab == NULL)
        return FALSE;
    }
  else if (!lk_lab_reconnect (self->lab, error))
    return FALSE;
  if (!lk_lab_open_study (self->lab, error))
    return FALSE;

  trigger = lk_lab_exec (self->lab, "Looking for the event log's trigger", error,
                         "SELECT count(*) FROM pg_trigger WHERE tgname = 'event_notify' "
                         "AND tgrelid = 'event'::regclass", 0);
  if (trigger == NULL ||
      (strcmp (PQgetvalue (trigger, 0, 0), "0") == 0 && !lk_lab_schema_notify (self->lab, error)))
    return FALSE;
  if (!lk_lab_run (self->lab, "Listening for the study's events", error,
                   "LISTEN " LK_LAB_CHANNEL, 0))
    return FALSE;

  g_mutex_lock (&self->lock);
  self->backend_pid = PQbackendPID (lk_lab_get_conn (self->lab));
  g_mutex_unlock (&self->lock);

  return TRUE;
}

static gpointer
listen_thread (gpointer data)
{
  LkLabListen *self = data;
  gboolean connected = FALSE, ever = FALSE;
  double backoff = 0;

  for (;;)
    {
      g_autoptr(GError) error = NULL;
      struct pollfd fds[2];
      gboolean notified = FALSE;
      PGnotify *note;
      int rc;

      g_mutex_lock (&self->lock);
      if (self->stopping)
        {
          g_mutex_unlock (&self->lock);
          break;
        }
      g_mutex_unlock (&self->lock);

      if (!connected)
        {
          if (backoff > 0 && !wait_or_stop (self, backoff))
            break;
          /* LISTEN first, then read: an event committed in between is both read and
           * notified, and delivered once. */
          if (!connect_listen (self, &error) || !catch_up (self, ever, &error))
            {
              g_mutex_lock (&self->lock);
              backoff = backoff == 0 ? self->backoff_first
                                     : MIN (backoff * 2, self->backoff_max);
              g_mutex_unlock (&self->lock);
              post_status (self, FALSE, error->message);
              continue;
            }
          g_mutex_lock (&self->lock);
          if (ever)
            self->reconnects++;
          g_mutex_unlock (&self->lock);
          connected = ever = TRUE;
          backoff = 0;
          post_status (self, TRUE, NULL);
        }

      fds[0] = (struct pollfd) { PQsocket (lk_lab_get_conn (self->lab)), POLLIN, 0 };
      fds[1] = (struct pollfd) { self->wake[0], POLLIN, 0 };
      /* While a hole is open, look again now and then so that it is given up. */
      rc = poll (fds, 2, self->hole_limit > self->low ? 2000 : -1);
      if (rc < 0 && errno != EINTR)
        g_error ("poll: %s", g_strerror (errno));
      if (fds[1].revents != 0)
        break;
      if (fds[0].revents != 0)
        {
          PGconn *conn = lk_lab_get_conn (self->lab);

          if (!PQconsumeInput (conn) || PQstatus (conn) != CONNECTION_OK)
            {
              g_autofree char *message = g_strdup (PQerrorMessage (conn));

              g_strstrip (message);
              connected = FALSE;
              g_mutex_lock (&self->lock);
              backoff = self->backoff_first;
              self->backend_pid = 0;
              g_mutex_unlock (&self->lock);
              post_status (self, FALSE, message[0] != '\0' ? message
                                                           : "the server closed the connection");
              continue;
            }
          while ((note = PQnotifies (conn)) != NULL)
            {
              notified = TRUE;
              PQfreemem (note);
            }
        }
      if ((notified || rc == 0) && !catch_up (self, FALSE, &error))
        {
          connected = FALSE;
          g_mutex_lock (&self->lock);
          backoff = self->backoff_first;
          g_mutex_unlock (&self->lock);
          post_status (self, FALSE, error->message);
        }
    }

  g_clear_pointer (&self->lab, lk_lab_close);
  return NULL;
}

/**
 * lk_lab_listen_new:
 * @conninfo: the lab study's connection URI or key=value string (no password)
 * @station: (nullable): the listener's application_name
 * @after_id: deliver the events after this id; -1 for those after the log's end at the first
 *   connection
 * @context: (nullable): where @func and @status_func are called (default: the thread-default
 *   context)
 * @func: called for every event, in id order within a read, each exactly once
 * @status_func: (nullable): called when the connection comes up or goes away
 * @user_data: for @func and @status_func
 *
 * Starts following a lab study's event log on a thread of its own. Errors (a server not
 * reachable, no study) come through @status_func; the listener keeps trying.
 *
 * Returns: (transfer full): the listener; stop it with lk_lab_listen_free() in @context
 */
LkLabListen *
lk_lab_listen_new (const char            *conninfo,
                   const char            *station,
                   gint64                 after_id,
                   GMainContext          *context,
                   LkLabListenFunc        func,
                   LkLabListenStatusFunc  status_func,
                   gpointer               user_data)
{
  LkLabListen *self;
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (conninfo != NULL, NULL);
  g_return_val_if_fail (func != NULL, NULL);

  self = g_new0 (LkLabListen, 1);
  self->ref_count = 1;
  g_mutex_init (&self->lock);
  self->conninfo = g_strdup (conninfo);
  self->station = g_strdup (station);
  self->context = context != NULL ? g_main_context_ref (context)
                                  : g_main_context_ref_thread_default ();
  self->func = func;
  self->status_func = status_func;
  self->user_data = user_data;
  self->backoff_first = 0.5;
  self->backoff_max = 30;
  self->low = MAX (after_id, 0);
  self->low_known = after_id >= 0;
  self->delivered = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  if (!g_unix_open_pipe (self->wake, FD_CLOEXEC, &error))
    g_error ("Could not make the listener's pipe: %s", error->message);
  self->thread = g_thread_new ("lk-lab-listen", listen_thread, self);

  return self;
}

/**
 * lk_lab_listen_free:
 * @self: a listener
 *
 * Stops the listener and closes its connection. Call it in the listener's context: no
 * callback runs after it.
 */
void
lk_lab_listen_free (LkLabListen *self)
{
  if (self == NULL)
    return;
  g_mutex_lock (&self->lock);
  self->stopping = TRUE;
  g_mutex_unlock (&self->lock);
  if (write (self->wake[1], "x", 1) != 1)
    g_warning ("Could not wake the lab listener: %s", g_strerror (errno));
  g_thread_join (self->thread);
  close (self->wake[0]);
  close (self->wake[1]);
  g_hash_table_unref (self->delivered);
  self->freed = TRUE;
  listen_unref (self);
}

guint
lk_lab_listen_get_reconnects (LkLabListen *self)
{
  guint n;

  g_mutex_lock (&self->lock);
  n = self->reconnects;
  g_mutex_unlock (&self->lock);
  return n;
}

/* The server process serving the listener (0 while disconnected), for pg_terminate_backend in
 * the tests and pg_stat_activity. */
int
lk_lab_listen_get_backend_pid (LkLabListen *self)
{
  int pid;

  g_mutex_lock (&self->lock);
  pid = self->backend_pid;
  g_mutex_unlock (&self->lock);
  return pid;
}

void
lk_lab_listen_set_backoff (LkLabListen *self,
                           double       first_seconds,
                           double       max_seconds)
{
  g_mutex_lock (&self->lock);
  self->backoff_first = first_seconds;
  self->backoff_max = max_seconds;
  g_mutex_unlock (&self->lock);
}

guint
lk_lab_listen_get_backfilled (LkLabListen *self)
{
  guint n;

  g_mutex_lock (&self->lock);
  n = self->backfilled;
  g_mutex_unlock (&self->lock);
  return n;
}

static void
live_station_free (gpointer data)
{
  LkLabLiveStation *s = data;

  g_free (s->name);
  g_free (s->host);
  g_free (s->role);
  g_free (s->participant);
  g_free (s);
}

static void
live_answer_free (gpointer data)
{
  LkLabLiveAnswer *a = data;

  g_free (a->station);
  g_free (a->participant);
  g_free (a);
}

void
lk_lab_live_free (LkLabLive *live)
{
  if (live == NULL)
    return;
  g_clear_pointer (&live->stations, g_ptr_array_unref);
  g_clear_pointer (&live->answers, g_ptr_array_unref);
  g_free (live->refiner);
  g_free (live);
}

static char *
dup_value (PGresult *res,
           int       row,
           int       column)
{
  return PQgetisnull (res, row, column) ? NULL : g_strdup (PQgetvalue (res, row, column));
}

static double
double_value (PGresult *res,
              int       row,
              int       column)
{
  return PQgetisnull (res, row, column) ? 0 : g_ascii_strtod (PQgetvalue (res, row, column), NULL);
}

/* The statements of lk_lab_live_read(), inside its read-only snapshot. */
static LkLabLive *
live_read (LkLab   *lab,
           guint    n_answers,
           GError **error)
{
  g_autoptr(LkLabLive) live = g_new0 (LkLabLive, 1);
  g_autoptr(PGresult) stations = NULL;
  g_autoptr(PGresult) answers = NULL;
  g_autoptr(PGresult) refiner = NULL;
  g_autofree char *limit = g_strdup_printf ("%u", n_answers);
  g_autofree char *key = g_strdup_printf ("%d", LK_LAB_REFINER_LOCK);

  live->stations = g_ptr_array_new_with_free_func (live_station_free);
  live->answers = g_ptr_array_new_with_free_func (live_answer_free);
  if (!lk_lab_get_counts (lab, &live->counts, error))
    return NULL;

  /* Each station with the grid it holds under a live lease (the newest), since when (its
   * claim in the log) and its answers. */
  stations = lk_lab_exec (lab, "Reading the stations", error,
                          "SELECT s.name, s.host, s.role, "
                          "  extract (epoch FROM now () - s.last_seen), q.id, "
                          "  extract (epoch FROM now () - c.at), "
                          "  extract (epoch FROM q.lease_until - now ()), p.code, "
                          "  (SELECT count(*) FROM answer a WHERE a.station = s.name) "
                          "FROM station s "
                          "LEFT JOIN LATERAL (SELECT id, lease_until, participant FROM query "
                          "  WHERE station = s.name AND state = 'served' AND lease_until > now () "
                          "  ORDER BY lease_until DESC LIMIT 1) q ON true "
                          "LEFT JOIN participant p ON p.id = q.participant "
                          "LEFT JOIN LATERAL (SELECT at FROM event WHERE kind = 'claimed' "
                          "  AND station = s.name AND (payload ->> 'query')::bigint = q.id "
                          "  ORDER BY id DESC LIMIT 1) c ON true "
                          "ORDER BY s.name", 0);
  if (stations == NULL)
    return NULL;
  for (int r = 0; r < PQntuples (stations); r++)
    {
      LkLabLiveStation *s = g_new0 (LkLabLiveStation, 1);

      s->name = dup_value (stations, r, 0);
      s->host = dup_value (stations, r, 1);
      s->role = dup_value (stations, r, 2);
      s->seen_ago = double_value (stations, r, 3);
      s->query = PQgetisnull (stations, r, 4) ? 0
                                              : g_ascii_strtoll (PQgetvalue (stations, r, 4),
                                                                 NULL, 10);
      s->lease_age = double_value (stations, r, 5);
      s->lease_left = double_value (stations, r, 6);
      s->participant = dup_value (stations, r, 7);
      s->answers = (guint) g_ascii_strtoull (PQgetvalue (stations, r, 8), NULL, 10);
      g_ptr_array_add (live->stations, s);
    }

  answers = lk_lab_exec (lab, "Reading the latest answers", error,
                         "SELECT a.id, a.query, a.station, p.code, "
                         "  extract (epoch FROM now ()) - a.submitted_us / 1e6, a.late "
                         "FROM answer a LEFT JOIN participant p ON p.id = a.participant "
                         "ORDER BY a.id DESC LIMIT $1::integer", 1, limit);
  if (answers == NULL)
    return NULL;
  for (int r = 0; r < PQntuples (answers); r++)
    {
      LkLabLiveAnswer *a = g_new0 (LkLabLiveAnswer, 1);

      a->id = g_ascii_strtoll (PQgetvalue (answers, r, 0), NULL, 10);
      a->query = g_ascii_strtoll (PQgetvalue (answers, r, 1), NULL, 10);
      a->station = dup_value (answers, r, 2);
      a->participant = dup_value (answers, r, 3);
      a->ago = double_value (answers, r, 4);
      a->late = strcmp (PQgetvalue (answers, r, 5), "t") == 0;
      g_ptr_array_add (live->answers, a);
    }

  /* The refiner: whoever holds its session-level advisory lock (two int4 keys: classid is
   * the first, objid the second as an unsigned oid, objsubid 2). */
  refiner = lk_lab_exec (lab, "Looking for the refiner", error,
                         "SELECT a.application_name, (SELECT coalesce (max (id), 0) FROM event) "
                         "FROM lab LEFT JOIN pg_locks l ON l.locktype = 'advisory' AND l.granted "
                         "  AND l.objsubid = 2 AND l.database = (SELECT oid FROM pg_database "
                         "    WHERE datname = current_database ()) "
                         "  AND l.classid::text::bigint = $1::bigint "
                         "  AND l.objid::text::bigint = (lab.refiner_key::bigint & 4294967295) "
                         "LEFT JOIN pg_stat_activity a ON a.pid = l.pid "
                         "LIMIT 1", 1, key);
  if (refiner == NULL)
    return NULL;
  if (PQntuples (refiner) == 1)
    {
      live->refiner = dup_value (refiner, 0, 0);
      live->last_event = g_ascii_strtoll (PQgetvalue (refiner, 0, 1), NULL, 10);
    }

  return g_steal_pointer (&live);
}

/**
 * lk_lab_live_read:
 * @lab: a connection to a lab study
 * @n_answers: how many of the latest answers to read
 * @error: return location for a #GError
 *
 * Reads what the experimenter's live view shows, in one read-only snapshot. Blocking: call it
 * on a worker thread.
 *
 * Returns: (transfer full): the live state, or %NULL with @error set
 */
LkLabLive *
lk_lab_live_read (LkLab   *lab,
                  guint    n_answers,
                  GError **error)
{
  LkLabLive *live;

  if (!lk_lab_run (lab, "Reading the lab study", error,
                   "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", 0))
    return NULL;
  live = live_read (lab, n_answers, error);
  if (live == NULL)
    {
      lk_lab_rollback (lab);
      return NULL;
    }
  if (!lk_lab_run (lab, "Reading the lab study", error, "COMMIT", 0))
    g_clear_pointer (&live, lk_lab_live_free);

  return live;
}
