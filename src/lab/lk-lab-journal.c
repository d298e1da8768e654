/* lk-lab-journal.c — a station's local journal: answers kept on disk until the server has them
 *
 * A station writes each answer here before it submits it, and takes it out once the server
 * confirmed it; so an answer given while the server is away (or lost between the submit and
 * its acknowledgement) survives the station's crash, and is submitted again when the server
 * is back (lk_lab_journal_flush()). The answer's client id is made once and kept in the
 * journal, and the server takes an answer once per client id (lk_lab_submit(),
 * lk_lab_submit_spot(), lk_lab_submit_trial()), so a flush never doubles an answer the server
 * already had. Sorted grids and the trials of the other tasks (triplet, choice5, match,
 * intruder) share the journal, so a flush sends them in the order they were given.
 *
 * The file is JSON lines, one answer a line, under g_get_user_state_dir()/likeness/journal/,
 * one file per station name: appended and fsynced (with its folder, when it is new) before
 * lk_lab_journal_add() returns; a removal writes the remaining lines to a new file, fsyncs it
 * and renames it over the old one, so a crash at any point leaves either the old or the new
 * journal, never a mix (a removal undone by a crash only sends that answer once more, which
 * the server takes once).
 *
 * A line has a "kind": "sort" for a sorted grid (its items, bins and moves), or a trial's
 * task (its items, sides, key, group, choice and block). Lines written before trials were
 * journaled have no kind and are sorted grids.
 *
 * A line that cannot be read back is never guessed at, and never dropped: opening the journal
 * names it (its line number and what is wrong), appends it as it was to PATH.damaged
 * (fsynced), and rewrites the journal without it, so the answers around it are flushed and a
 * new answer is never appended to a torn line. A last line cut short by a crash while it was
 * appended (its answer was never acknowledged to the participant) is set aside the same way.
 *
 * An answer the server refuses for good (a late answer after the study's last phase) is moved
 * to PATH.refused, in the same format, never dropped.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>
#include <unistd.h>

#include "lk-lab-journal.h"

struct _LkLabJournal {
  char      *path;
  GPtrArray *entries;  /* LkLabJournalEntry, oldest first */
  char      *problems; /* the lines set aside when it was opened, or NULL */
};

static void
entry_free (LkLabJournalEntry *entry)
{
  g_free (entry->client_uuid);
  g_free (entry->lease_token);
  g_free (entry->participant);
  g_clear_pointer (&entry->answer, lk_query_free);
  g_clear_pointer (&entry->trial, lk_trial_free);
  g_free (entry->moves);
  g_free (entry);
}

static LkLabJournalEntry *
entry_copy (const LkLabJournalEntry *entry)
{
  LkLabJournalEntry *copy = g_memdup2 (entry, sizeof *entry);

  copy->client_uuid = g_strdup (entry->client_uuid);
  copy->lease_token = g_strdup (entry->lease_token);
  copy->participant = g_strdup (entry->participant);
  copy->answer = entry->answer != NULL ? lk_query_copy (entry->answer) : NULL;
  copy->trial = entry->trial != NULL ? lk_trial_copy (entry->trial) : NULL;
  copy->moves = entry->n_moves > 0 ? g_memdup2 (entry->moves, entry->n_moves * sizeof (LkMove))
                                   : NULL;

  return copy;
}

/* The members every entry has. */
static void
add_common (JsonBuilder             *b,
            const LkLabJournalEntry *entry,
            LkTaskKind               kind)
{
  json_builder_set_member_name (b, "client_uuid");
  json_builder_add_string_value (b, entry->client_uuid);
  json_builder_set_member_name (b, "kind");
  json_builder_add_string_value (b, lk_task_kind_to_string (kind));
  json_builder_set_member_name (b, "participant");
  json_builder_add_string_value (b, entry->participant);
  json_builder_set_member_name (b, "pilot");
  json_builder_add_boolean_value (b, entry->pilot);
  json_builder_set_member_name (b, "session");
  json_builder_add_int_value (b, entry->session);
  json_builder_set_member_name (b, "shown_us");
  json_builder_add_int_value (b, entry->shown_us);
  json_builder_set_member_name (b, "submitted_us");
  json_builder_add_int_value (b, entry->submitted_us);
}

static void
add_sorting (JsonBuilder             *b,
             const LkLabJournalEntry *entry)
{
  guint n = lk_query_get_n_items (entry->answer);

  json_builder_set_member_name (b, "query");
  json_builder_add_int_value (b, entry->query);
  json_builder_set_member_name (b, "phase");
  json_builder_add_int_value (b, entry->phase);
  json_builder_set_member_name (b, "lease_token");
  if (entry->lease_token != NULL)
    json_builder_add_string_value (b, entry->lease_token);
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "nc");
  json_builder_add_int_value (b, entry->nc);
  json_builder_set_member_name (b, "items");
  json_builder_begin_array (b);
  for (guint i = 0; i < n; i++)
    json_builder_add_int_value (b, lk_query_get_items (entry->answer)[i]);
  json_builder_end_array (b);
  json_builder_set_member_name (b, "bins");
  json_builder_begin_array (b);
  for (guint i = 0; i < n; i++)
    json_builder_add_int_value (b, lk_query_get_bin (entry->answer, i));
  json_builder_end_array (b);
  json_builder_set_member_name (b, "moves");
  json_builder_begin_array (b);
  for (guint i = 0; i < entry->n_moves; i++)
    {
      json_builder_begin_array (b);
      json_builder_add_int_value (b, entry->moves[i].item);
      json_builder_add_int_value (b, entry->moves[i].from);
      json_builder_add_int_value (b, entry->moves[i].to);
      json_builder_add_int_value (b, entry->moves[i].ms);
      json_builder_end_array (b);
    }
  json_builder_end_array (b);
}

static void
add_trial (JsonBuilder             *b,
           const LkLabJournalEntry *entry)
{
  const LkTrial *trial = entry->trial;

  json_builder_set_member_name (b, "block");
  json_builder_add_int_value (b, entry->block);
  json_builder_set_member_name (b, "items");
  json_builder_begin_array (b);
  for (guint i = 0; i < trial->n_items; i++)
    json_builder_add_int_value (b, trial->items[i]);
  json_builder_end_array (b);
  json_builder_set_member_name (b, "swapped");
  json_builder_add_boolean_value (b, trial->swapped);
  json_builder_set_member_name (b, "key");
  json_builder_add_int_value (b, trial->key);
  json_builder_set_member_name (b, "group");
  json_builder_add_int_value (b, trial->group);
  json_builder_set_member_name (b, "choice");
  json_builder_add_int_value (b, trial->choice);
}

/* Returns the entry as one line of JSON, without the newline. */
static char *
entry_to_json (const LkLabJournalEntry *entry)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (b);
  add_common (b, entry, entry->trial != NULL ? entry->trial->kind : LK_TASK_SORT);
  if (entry->trial != NULL)
    add_trial (b, entry);
  else
    add_sorting (b, entry);
  json_builder_end_object (b);

  root = json_builder_get_root (b);
  json_generator_set_root (gen, root);

  return json_generator_to_data (gen, NULL);
}

/* Reading a line back: every member is checked for its type and range before it is used (a
 * damaged line is named, never read as something else). */

static gboolean
node_int (JsonNode *node,
          gint64    lo,
          gint64    hi,
          gint64   *out)
{
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_INT64)
    return FALSE;
  *out = json_node_get_int (node);

  return *out >= lo && *out <= hi;
}

/* An optional number: @fallback when missing or null. */
static gboolean
member_int (JsonObject  *o,
            const char  *name,
            gint64       lo,
            gint64       hi,
            gint64       fallback,
            gint64      *out)
{
  JsonNode *node = json_object_get_member (o, name);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      *out = fallback;
      return TRUE;
    }

  return node_int (node, lo, hi, out);
}

static gboolean
member_bool (JsonObject  *o,
             const char  *name,
             gboolean    *out)
{
  JsonNode *node = json_object_get_member (o, name);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      *out = FALSE;
      return TRUE;
    }
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return FALSE;
  *out = json_node_get_boolean (node);

  return TRUE;
}

/* A string member, or NULL when it is missing or not a string. */
static const char *
member_string (JsonObject *o,
               const char *name)
{
  JsonNode *node = json_object_get_member (o, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  return json_node_get_string (node);
}

static JsonArray *
member_array (JsonObject *o,
              const char *name)
{
  JsonNode *node = json_object_get_member (o, name);

  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

/* The numbers of @a, each in [@lo, @hi]; NULL when it is not such a list. */
static gint64 *
array_ints (JsonArray *a,
            gint64     lo,
            gint64     hi)
{
  guint n = json_array_get_length (a);
  g_autofree gint64 *values = g_new (gint64, MAX (n, 1));

  for (guint i = 0; i < n; i++)
    if (!node_int (json_array_get_element (a, i), lo, hi, &values[i]))
      return NULL;

  return g_steal_pointer (&values);
}

static gboolean G_GNUC_PRINTF (2, 3)
bad (GError     **error,
     const char  *format,
     ...)
{
  va_list args;
  g_autofree char *message = NULL;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error_literal (error, LK_LAB_ERROR, LK_LAB_ERROR_FAILED, message);

  return FALSE;
}

/* Reads a sorted grid's members into @entry. */
static gboolean
sorting_from_json (JsonObject         *o,
                   LkLabJournalEntry  *entry,
                   GError            **error)
{
  JsonArray *a_items = member_array (o, "items");
  JsonArray *a_bins = member_array (o, "bins");
  JsonArray *a_moves = member_array (o, "moves");
  const char *lease_token = member_string (o, "lease_token");
  g_autofree gint64 *items64 = NULL, *bins64 = NULL;
  g_autofree guint *items = NULL;
  g_autofree gint *bins = NULL;
  gint64 query, phase, nc;
  guint n;

  if (!member_int (o, "query", 0, G_MAXINT64, 0, &query) ||
      !member_int (o, "phase", 0, G_MAXUINT, 0, &phase) ||
      !member_int (o, "nc", 0, G_MAXUINT, 0, &nc))
    return bad (error, "its grid, phase or number of bins is not a number");
  if (lease_token == NULL && json_object_has_member (o, "lease_token") &&
      !JSON_NODE_HOLDS_NULL (json_object_get_member (o, "lease_token")))
    return bad (error, "its lease token is not text");
  if (a_items == NULL || a_bins == NULL || a_moves == NULL)
    return bad (error, "it lacks its images, bins or moves");
  n = json_array_get_length (a_items);
  if (n == 0 || json_array_get_length (a_bins) != n)
    return bad (error, "it has %u images and %u bins", n, json_array_get_length (a_bins));
  items64 = array_ints (a_items, 0, G_MAXINT);
  bins64 = array_ints (a_bins, G_MININT, G_MAXINT);
  if (items64 == NULL || bins64 == NULL)
    return bad (error, "its images or bins are not whole numbers");
  items = g_new (guint, n);
  bins = g_new (gint, n);
  for (guint i = 0; i < n; i++)
    {
      items[i] = (guint) items64[i];
      bins[i] = (gint) bins64[i];
    }

  entry->query = query;
  entry->phase = (guint) phase;
  entry->nc = (guint) nc;
  entry->lease_token = g_strdup (lease_token);
  entry->answer = lk_query_new (items, n);
  if (!lk_query_set_answer (entry->answer, bins, entry->nc, error))
    return FALSE;
  entry->n_moves = json_array_get_length (a_moves);
  entry->moves = g_new0 (LkMove, MAX (entry->n_moves, 1));
  for (guint i = 0; i < entry->n_moves; i++)
    {
      JsonNode *node = json_array_get_element (a_moves, i);
      JsonArray *m = JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
      g_autofree gint64 *v = m != NULL && json_array_get_length (m) == 4
                             ? array_ints (m, G_MININT, G_MAXUINT) : NULL;

      if (v == NULL || v[0] < 0)
        return bad (error, "its move %u is not four whole numbers", i + 1);
      entry->moves[i] = (LkMove) {
        .item = (guint) v[0],
        .from = (gint) CLAMP (v[1], G_MININT, G_MAXINT),
        .to = (gint) CLAMP (v[2], G_MININT, G_MAXINT),
        .ms = (guint) CLAMP (v[3], 0, G_MAXUINT),
      };
    }

  return TRUE;
}

/* Reads a trial's members into @entry. */
static gboolean
trial_from_json (JsonObject         *o,
                 LkTaskKind          kind,
                 LkLabJournalEntry  *entry,
                 GError            **error)
{
  JsonArray *a_items = member_array (o, "items");
  g_autofree gint64 *items64 = NULL;
  g_autofree guint *items = NULL;
  g_autoptr(GError) invalid = NULL;
  gint64 block, key, group, choice;
  gboolean swapped;
  guint n;

  if (a_items == NULL || json_array_get_length (a_items) == 0)
    return bad (error, "it lacks the trial's images");
  n = json_array_get_length (a_items);
  items64 = array_ints (a_items, 0, G_MAXINT);
  if (items64 == NULL)
    return bad (error, "the trial's images are not whole numbers");
  if (!member_int (o, "block", 0, G_MAXUINT, 0, &block) ||
      !member_int (o, "key", -1, G_MAXINT, -1, &key) ||
      !member_int (o, "group", 0, G_MAXUINT, 0, &group) ||
      !member_int (o, "choice", G_MININT, G_MAXINT, LK_TRIAL_UNANSWERED, &choice) ||
      !member_bool (o, "swapped", &swapped))
    return bad (error, "the trial's block, key, group, choice or sides are not valid");
  items = g_new (guint, n);
  for (guint i = 0; i < n; i++)
    items[i] = (guint) items64[i];

  entry->block = (guint) block;
  entry->trial = lk_trial_new (kind, items, n);
  entry->trial->swapped = swapped;
  entry->trial->key = (gint) key;
  entry->trial->group = (guint) group;
  entry->trial->choice = (gint) choice;
  if (!lk_trial_is_answered (entry->trial))
    return bad (error, "the trial has no answer");
  if (!lk_trial_validate (entry->trial, &invalid))
    return bad (error, "%s", invalid->message);

  return TRUE;
}

/* Reads one line back; NULL with @error (saying what is wrong) when it is not a whole entry. */
static LkLabJournalEntry *
entry_from_json (const char  *line,
                 GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) parse_error = NULL;
  LkLabJournalEntry *entry;
  LkTaskKind kind = LK_TASK_SORT;
  const char *uuid, *participant, *kind_name;
  JsonObject *o;
  gint64 session, shown, submitted;
  gboolean ok;

  if (!json_parser_load_from_data (parser, line, -1, &parse_error))
    {
      bad (error, "it is not JSON (%s)", parse_error->message);
      return NULL;
    }
  if (!JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      bad (error, "it is not a JSON object");
      return NULL;
    }
  o = json_node_get_object (json_parser_get_root (parser));
  uuid = member_string (o, "client_uuid");
  participant = member_string (o, "participant");
  kind_name = member_string (o, "kind");
  if (uuid == NULL || !g_uuid_string_is_valid (uuid))
    {
      bad (error, "it has no valid client id");
      return NULL;
    }
  if (participant == NULL)
    {
      bad (error, "it names no participant");
      return NULL;
    }
  /* Lines from before trials were journaled have no kind: they are sorted grids. */
  if (json_object_has_member (o, "kind") &&
      (kind_name == NULL || !lk_task_kind_from_string (kind_name, &kind) ||
       (lk_task_kind_is_sorting (kind) && kind != LK_TASK_SORT)))
    {
      bad (error, "its kind of task is not one the journal keeps");
      return NULL;
    }
  if (!member_int (o, "session", 0, G_MAXINT64, 0, &session) ||
      !member_int (o, "shown_us", G_MININT64, G_MAXINT64, 0, &shown) ||
      !member_int (o, "submitted_us", G_MININT64, G_MAXINT64, 0, &submitted))
    {
      bad (error, "its session or times are not numbers");
      return NULL;
    }

  entry = g_new0 (LkLabJournalEntry, 1);
  entry->client_uuid = g_strdup (uuid);
  entry->participant = g_strdup (participant);
  entry->session = session;
  entry->shown_us = shown;
  entry->submitted_us = submitted;
  ok = member_bool (o, "pilot", &entry->pilot);
  if (!ok)
    bad (error, "its pilot mark is not true or false");
  else if (kind == LK_TASK_SORT)
    ok = sorting_from_json (o, entry, error);
  else
    ok = trial_from_json (o, kind, entry, error);
  if (!ok)
    {
      entry_free (entry);
      return NULL;
    }

  return entry;
}

/* Writes all of @text to @fd and fsyncs it. */
static gboolean
write_all_sync (int          fd,
                const char  *text,
                gsize        len,
                const char  *path,
                GError     **error)
{
  while (len > 0)
    {
      gssize n = write (fd, text, len);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        goto failed;
      text += n;
      len -= (gsize) n;
    }
  if (fsync (fd) == 0)
    return TRUE;

failed:
  {
    int saved = errno;

    g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                 "Could not write the station's journal %s: %s", path, g_strerror (saved));
    return FALSE;
  }
}

/* Makes the entry's name durable in its folder. */
static void
sync_folder (const char *path)
{
  g_autofree char *dir = g_path_get_dirname (path);
  int fd = open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

  if (fd >= 0)
    {
      fsync (fd);
      close (fd);
    }
}

/* Appends @line and a newline to the file at @path, fsynced. */
static gboolean
append_line (const char  *path,
             const char  *line,
             GError     **error)
{
  g_autofree char *text = g_strconcat (line, "\n", NULL);
  gboolean is_new = !g_file_test (path, G_FILE_TEST_EXISTS);
  int fd = open (path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
  gboolean ok;

  if (fd < 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   "Could not open the station's journal %s: %s", path, g_strerror (saved));
      return FALSE;
    }
  ok = write_all_sync (fd, text, strlen (text), path, error);
  close (fd);
  if (ok && is_new)
    sync_folder (path);

  return ok;
}

/**
 * lk_lab_journal_default_path:
 * @station: the station's name
 *
 * Returns: (transfer full): where the station @station keeps its journal:
 *   g_get_user_state_dir()/likeness/journal/STATION.jsonl (the name made safe for a file)
 */
char *
lk_lab_journal_default_path (const char *station)
{
  g_autofree char *safe = g_strdup (station);
  g_autofree char *name = NULL;

  g_strcanon (safe, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.", '_');
  if (safe[0] == '.' || safe[0] == '\0')
    safe[0] = '_';
  name = g_strconcat (safe[0] != '\0' ? safe : "_", ".jsonl", NULL);

  return g_build_filename (g_get_user_state_dir (), "likeness", "journal", name, NULL);
}

/* The journal's entries, one line each. */
static GString *
entries_text (const LkLabJournal *self)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < self->entries->len; i++)
    {
      g_autofree char *line = entry_to_json (g_ptr_array_index (self->entries, i));

      g_string_append (text, line);
      g_string_append_c (text, '\n');
    }

  return text;
}

static gint find_entry (const LkLabJournal *self, const char *client_uuid);
static gboolean rewrite (LkLabJournal *self, GError **error);

/**
 * lk_lab_journal_open:
 * @path: the journal's file (lk_lab_journal_default_path()); made with its folder when missing
 * @error: return location for a #GError
 *
 * Reads the answers a station journaled and the server has not confirmed. A line that cannot
 * be read back (damaged, or the last one cut short by a crash) is named in a warning and in
 * lk_lab_journal_get_problems(), appended as it was to PATH.damaged, and the journal is
 * rewritten without it; the other answers are kept.
 *
 * Returns: (transfer full): the journal, or %NULL with @error set (the file could not be read,
 *   or a line could not be set aside)
 */
LkLabJournal *
lk_lab_journal_open (const char  *path,
                     GError     **error)
{
  g_autoptr(LkLabJournal) self = g_new0 (LkLabJournal, 1);
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *text = NULL;
  g_autofree char *damaged_path = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GString) aside = NULL;
  g_autoptr(GString) problems = NULL;
  gsize length = 0;
  guint number = 1;

  self->path = g_strdup (path);
  self->entries = g_ptr_array_new_with_free_func ((GDestroyNotify) entry_free);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   "Could not make the folder of the station's journal %s: %s", dir,
                   g_strerror (saved));
      return NULL;
    }
  if (!g_file_get_contents (path, &text, &length, &local_error))
    {
      if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        return g_steal_pointer (&self);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  /* Split by hand rather than as a C string: a NUL byte (a crash can leave a block of zeros)
   * must not hide the lines after it. */
  damaged_path = g_strconcat (path, ".damaged", NULL);
  for (const char *p = text, *end = text + length; p < end; number++)
    {
      const char *nl = memchr (p, '\n', (gsize) (end - p));
      gsize n = (gsize) ((nl != NULL ? nl : end) - p);
      g_autofree char *line = g_strndup (p, n);
      g_autoptr(GError) line_error = NULL;
      LkLabJournalEntry *entry = NULL;
      const char *start = p;

      p = nl != NULL ? nl + 1 : end;
      if (n == 0)
        continue;
      if (memchr (start, '\0', n) != NULL)
        g_set_error_literal (&line_error, LK_LAB_ERROR, LK_LAB_ERROR_FAILED,
                             "it holds NUL bytes");
      else
        entry = entry_from_json (line, &line_error);
      if (entry != NULL)
        {
          /* The same answer twice (it cannot happen, but it costs nothing): kept once. */
          if (find_entry (self, entry->client_uuid) >= 0)
            entry_free (entry);
          else
            g_ptr_array_add (self->entries, entry);
          continue;
        }
      /* Nothing is guessed: the line goes, as it was, beside the journal. */
      if (aside == NULL)
        {
          aside = g_string_new (NULL);
          problems = g_string_new (NULL);
        }
      g_string_append_len (aside, start, (gssize) n);
      g_string_append_c (aside, '\n');
      if (problems->len > 0)
        g_string_append_c (problems, '\n');
      /* Only the last line, without its newline, can be cut short by a crash while it was
       * appended; its answer was never confirmed to anyone. */
      if (nl == NULL)
        g_string_append_printf (problems, "%s: line %u is cut short (the station stopped "
                                "while writing it) and was set aside in %s", path, number,
                                damaged_path);
      else
        g_string_append_printf (problems, "%s: line %u is damaged (%s) and was set aside in "
                                "%s", path, number, line_error->message, damaged_path);
    }

  if (aside != NULL)
    {
      int fd = open (damaged_path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
      gboolean ok;

      if (fd < 0)
        {
          int saved = errno;

          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                       "The station's journal %s has lines that cannot be read, and they "
                       "could not be set aside in %s: %s", path, damaged_path,
                       g_strerror (saved));
          return NULL;
        }
      ok = write_all_sync (fd, aside->str, aside->len, damaged_path, error);
      close (fd);
      if (!ok)
        return NULL;
      g_warning ("%s", problems->str);
      self->problems = g_string_free (g_steal_pointer (&problems), FALSE);
    }
  /* Without the lines set aside, and never ending in a torn line that the next answer would
   * be appended to. A crash before this rewrite only sets those lines aside twice. */
  if ((aside != NULL || (length > 0 && text[length - 1] != '\n')) && !rewrite (self, error))
    return NULL;

  return g_steal_pointer (&self);
}

void
lk_lab_journal_free (LkLabJournal *self)
{
  if (self == NULL)
    return;
  g_clear_pointer (&self->entries, g_ptr_array_unref);
  g_free (self->path);
  g_free (self->problems);
  g_free (self);
}

const char *
lk_lab_journal_get_path (const LkLabJournal *self)
{
  return self->path;
}

/**
 * lk_lab_journal_get_length:
 *
 * Returns: the answers the journal holds (not yet confirmed by the server)
 */
guint
lk_lab_journal_get_length (const LkLabJournal *self)
{
  return self->entries->len;
}

/**
 * lk_lab_journal_count_trials:
 * @self: a journal
 * @participant: a participant's code
 *
 * Returns: the trials (tasks other than sorting) of @participant the journal holds
 */
guint
lk_lab_journal_count_trials (const LkLabJournal *self,
                             const char         *participant)
{
  guint n = 0;

  for (guint i = 0; i < self->entries->len; i++)
    {
      const LkLabJournalEntry *entry = g_ptr_array_index (self->entries, i);

      n += entry->trial != NULL && g_strcmp0 (entry->participant, participant) == 0;
    }

  return n;
}

/**
 * lk_lab_journal_get_problems:
 *
 * Returns: (nullable): the lines set aside when the journal was opened, one sentence each
 *   (the file, the line's number, what is wrong, where it went), or %NULL when there were none
 */
const char *
lk_lab_journal_get_problems (const LkLabJournal *self)
{
  return self->problems;
}

/**
 * lk_lab_journal_get_entry:
 *
 * Returns: (transfer none): the entry at @index, oldest first
 */
const LkLabJournalEntry *
lk_lab_journal_get_entry (const LkLabJournal *self,
                          guint               index)
{
  g_return_val_if_fail (index < self->entries->len, NULL);

  return g_ptr_array_index (self->entries, index);
}

static gint
find_entry (const LkLabJournal *self,
            const char         *client_uuid)
{
  for (guint i = 0; i < self->entries->len; i++)
    if (g_strcmp0 (((LkLabJournalEntry *) g_ptr_array_index (self->entries, i))->client_uuid,
                   client_uuid) == 0)
      return (gint) i;

  return -1;
}

/**
 * lk_lab_journal_add:
 * @self: a journal
 * @entry: the answer (copied); an entry with the same client id is kept once
 * @error: return location for a #GError
 *
 * Appends the answer and fsyncs the file before returning.
 *
 * Returns: %TRUE once it is on disk
 */
gboolean
lk_lab_journal_add (LkLabJournal             *self,
                    const LkLabJournalEntry  *entry,
                    GError                  **error)
{
  g_autofree char *line = NULL;

  g_return_val_if_fail (entry->client_uuid != NULL, FALSE);
  g_return_val_if_fail ((entry->answer != NULL) != (entry->trial != NULL), FALSE);
  g_return_val_if_fail (entry->answer == NULL || lk_query_is_answered (entry->answer), FALSE);
  g_return_val_if_fail (entry->trial == NULL || lk_trial_is_answered (entry->trial), FALSE);

  if (find_entry (self, entry->client_uuid) >= 0)
    return TRUE;
  line = entry_to_json (entry);
  if (!append_line (self->path, line, error))
    return FALSE;
  g_ptr_array_add (self->entries, entry_copy (entry));

  return TRUE;
}

/* Writes the journal's entries to a new file and renames it over the journal. */
static gboolean
rewrite (LkLabJournal  *self,
         GError       **error)
{
  g_autofree char *tmp = g_strconcat (self->path, ".new", NULL);
  g_autoptr(GString) text = entries_text (self);
  int fd;
  gboolean ok;

  fd = open (tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   "Could not write the station's journal %s: %s", tmp, g_strerror (saved));
      return FALSE;
    }
  ok = write_all_sync (fd, text->str, text->len, tmp, error);
  close (fd);
  if (ok && g_rename (tmp, self->path) != 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   "Could not replace the station's journal %s: %s", self->path,
                   g_strerror (saved));
      ok = FALSE;
    }
  /* The new file's data is synced before the rename, so a crash leaves the old or the new
   * journal whole. The rename itself is not synced (the folder's fsync was two thirds of a
   * removal's time): a removal a crash undoes only flushes that answer once more, which the
   * server takes once per client id. */
  if (!ok)
    g_unlink (tmp);

  return ok;
}

/**
 * lk_lab_journal_remove:
 * @self: a journal
 * @client_uuid: the answer the server confirmed
 * @error: return location for a #GError
 *
 * Takes the answer out of the journal (nothing happens when it is not in it).
 *
 * Returns: %TRUE once the journal on disk is without it
 */
gboolean
lk_lab_journal_remove (LkLabJournal  *self,
                       const char    *client_uuid,
                       GError       **error)
{
  gint index = find_entry (self, client_uuid);
  LkLabJournalEntry *entry;

  if (index < 0)
    return TRUE;
  entry = g_ptr_array_steal_index (self->entries, (guint) index);
  if (!rewrite (self, error))
    {
      g_ptr_array_insert (self->entries, index, entry);
      return FALSE;
    }
  entry_free (entry);

  return TRUE;
}

/* Submits one journaled answer; @sessions maps participant codes to sessions opened by this
 * flush. Returns the answer's id, or 0 with @error set. */
static gint64
flush_one (LkLab                    *lab,
           const LkLabJournalEntry  *entry,
           GHashTable               *sessions,
           GError                  **error)
{
  gint64 session = entry->session;

  if (session <= 0)
    {
      session = GPOINTER_TO_SIZE (g_hash_table_lookup (sessions, entry->participant));
      if (session <= 0)
        {
          session = lk_lab_begin_session (lab, entry->participant, entry->pilot, error);
          if (session <= 0)
            return 0;
          g_hash_table_insert (sessions, g_strdup (entry->participant),
                               GSIZE_TO_POINTER ((gsize) session));
        }
    }

  if (entry->trial != NULL)
    return lk_lab_submit_trial (lab, entry->client_uuid, entry->trial, entry->block, session,
                                entry->shown_us, entry->submitted_us, error);
  if (entry->query > 0)
    {
      LkLabClaim claim = { .query = entry->query, .phase = entry->phase };

      if (entry->lease_token != NULL)
        g_strlcpy (claim.lease_token, entry->lease_token, sizeof claim.lease_token);
      return lk_lab_submit (lab, &claim, entry->client_uuid, entry->answer, session,
                            entry->shown_us, entry->submitted_us, entry->moves,
                            entry->n_moves, NULL, error);
    }

  return lk_lab_submit_spot (lab, entry->client_uuid, entry->answer, entry->phase, session,
                             entry->shown_us, entry->submitted_us, entry->moves,
                             entry->n_moves, error);
}

/**
 * lk_lab_journal_flush:
 * @self: a journal
 * @lab: a connection to the lab study the answers belong to
 * @n_flushed: (out) (optional): the answers the server now has from this flush
 * @error: return location for a #GError
 *
 * Submits every journaled answer, sorted grids and trials alike, oldest first, with its own
 * client id (so an answer the server already had is not stored again), and takes each out of the journal once the server
 * confirmed it. An answer the server refuses for good (%LK_LAB_ERROR_INVALID) is moved to
 * PATH.refused. Stops at the first other failure (the server went away again), keeping the
 * rest.
 *
 * Returns: %TRUE when the journal is empty
 */
gboolean
lk_lab_journal_flush (LkLabJournal  *self,
                      LkLab         *lab,
                      guint         *n_flushed,
                      GError       **error)
{
  g_autoptr(GHashTable) sessions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  guint flushed = 0;

  if (n_flushed != NULL)
    *n_flushed = 0;
  while (self->entries->len > 0)
    {
      const LkLabJournalEntry *entry = g_ptr_array_index (self->entries, 0);
      g_autofree char *uuid = g_strdup (entry->client_uuid);
      g_autoptr(GError) local_error = NULL;

      if (flush_one (lab, entry, sessions, &local_error) == 0)
        {
          g_autofree char *refused = NULL, *line = NULL;

          if (!g_error_matches (local_error, LK_LAB_ERROR, LK_LAB_ERROR_INVALID))
            {
              g_propagate_error (error, g_steal_pointer (&local_error));
              return FALSE;
            }
          g_warning ("a journaled answer was refused and is kept in %s.refused: %s",
                     self->path, local_error->message);
          refused = g_strconcat (self->path, ".refused", NULL);
          line = entry_to_json (entry);
          if (!append_line (refused, line, error))
            return FALSE;
        }
      else
        flushed++;
      if (!lk_lab_journal_remove (self, uuid, error))
        return FALSE;
      if (n_flushed != NULL)
        *n_flushed = flushed;
    }

  return TRUE;
}
