/* lk-lab-journal.c — a station's local journal: answers kept on disk until the server has them
 *
 * A station writes each answer here before it submits it, and takes it out once the server
 * confirmed it; so an answer given while the server is away (or lost between the submit and
 * its acknowledgement) survives the station's crash, and is submitted again when the server
 * is back (lk_lab_journal_flush()). The answer's client id is made once and kept in the
 * journal, and the server takes an answer once per client id (lk_lab_submit()), so a flush
 * never doubles an answer the server already had.
 *
 * The file is JSON lines, one answer a line, under g_get_user_state_dir()/likeness/journal/,
 * one file per station name: appended and fsynced (with its folder, when it is new) before
 * lk_lab_journal_add() returns; a removal writes the remaining lines to a new file, fsyncs it
 * and renames it over the old one, so a crash at any point leaves either the old or the new
 * journal, never a mix (a removal undone by a crash only sends that answer once more, which
 * the server takes once). A last line cut short by a crash (its answer was never acknowledged
 * to the participant) is skipped on open, saying so.
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
};

static void
entry_free (LkLabJournalEntry *entry)
{
  g_free (entry->client_uuid);
  g_free (entry->lease_token);
  g_free (entry->participant);
  g_clear_pointer (&entry->answer, lk_query_free);
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
  copy->answer = lk_query_copy (entry->answer);
  copy->moves = entry->n_moves > 0 ? g_memdup2 (entry->moves, entry->n_moves * sizeof (LkMove))
                                   : NULL;

  return copy;
}

/* Returns the entry as one line of JSON, without the newline. */
static char *
entry_to_json (const LkLabJournalEntry *entry)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  guint n = lk_query_get_n_items (entry->answer);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "client_uuid");
  json_builder_add_string_value (b, entry->client_uuid);
  json_builder_set_member_name (b, "query");
  json_builder_add_int_value (b, entry->query);
  json_builder_set_member_name (b, "phase");
  json_builder_add_int_value (b, entry->phase);
  json_builder_set_member_name (b, "lease_token");
  if (entry->lease_token != NULL)
    json_builder_add_string_value (b, entry->lease_token);
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "participant");
  json_builder_add_string_value (b, entry->participant);
  json_builder_set_member_name (b, "pilot");
  json_builder_add_boolean_value (b, entry->pilot);
  json_builder_set_member_name (b, "session");
  json_builder_add_int_value (b, entry->session);
  json_builder_set_member_name (b, "nc");
  json_builder_add_int_value (b, entry->nc);
  json_builder_set_member_name (b, "shown_us");
  json_builder_add_int_value (b, entry->shown_us);
  json_builder_set_member_name (b, "submitted_us");
  json_builder_add_int_value (b, entry->submitted_us);
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
  json_builder_end_object (b);

  root = json_builder_get_root (b);
  json_generator_set_root (gen, root);

  return json_generator_to_data (gen, NULL);
}

/* Reads one line back; NULL with @error when it is not a whole entry. */
static LkLabJournalEntry *
entry_from_json (const char  *line,
                 GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree guint *items = NULL;
  g_autofree gint *bins = NULL;
  LkLabJournalEntry *entry;
  JsonObject *o;
  JsonArray *a_items, *a_bins, *a_moves;
  guint n;

  if (!json_parser_load_from_data (parser, line, -1, error))
    return NULL;
  if (!JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    goto bad;
  o = json_node_get_object (json_parser_get_root (parser));
  if (!json_object_has_member (o, "client_uuid") || !json_object_has_member (o, "items") ||
      !json_object_has_member (o, "bins") || !json_object_has_member (o, "moves") ||
      !json_object_has_member (o, "participant"))
    goto bad;
  a_items = json_object_get_array_member (o, "items");
  a_bins = json_object_get_array_member (o, "bins");
  a_moves = json_object_get_array_member (o, "moves");
  if (a_items == NULL || a_bins == NULL || a_moves == NULL)
    goto bad;
  n = json_array_get_length (a_items);
  if (n == 0 || json_array_get_length (a_bins) != n)
    goto bad;
  items = g_new (guint, n);
  bins = g_new (gint, n);
  for (guint i = 0; i < n; i++)
    {
      items[i] = (guint) json_array_get_int_element (a_items, i);
      bins[i] = (gint) json_array_get_int_element (a_bins, i);
    }

  entry = g_new0 (LkLabJournalEntry, 1);
  entry->client_uuid = g_strdup (json_object_get_string_member (o, "client_uuid"));
  entry->query = json_object_get_int_member_with_default (o, "query", 0);
  entry->phase = (guint) json_object_get_int_member_with_default (o, "phase", 0);
  entry->lease_token = g_strdup (json_object_get_string_member_with_default (o, "lease_token",
                                                                             NULL));
  entry->participant = g_strdup (json_object_get_string_member (o, "participant"));
  entry->pilot = json_object_get_boolean_member_with_default (o, "pilot", FALSE);
  entry->session = json_object_get_int_member_with_default (o, "session", 0);
  entry->nc = (guint) json_object_get_int_member_with_default (o, "nc", 0);
  entry->shown_us = json_object_get_int_member_with_default (o, "shown_us", 0);
  entry->submitted_us = json_object_get_int_member_with_default (o, "submitted_us", 0);
  entry->answer = lk_query_new (items, n);
  entry->n_moves = json_array_get_length (a_moves);
  entry->moves = g_new0 (LkMove, MAX (entry->n_moves, 1));
  for (guint i = 0; i < entry->n_moves; i++)
    {
      JsonArray *m = json_array_get_array_element (a_moves, i);

      if (m == NULL || json_array_get_length (m) != 4)
        {
          entry_free (entry);
          goto bad;
        }
      entry->moves[i] = (LkMove) {
        .item = (guint) json_array_get_int_element (m, 0),
        .from = (gint) json_array_get_int_element (m, 1),
        .to = (gint) json_array_get_int_element (m, 2),
        .ms = (guint) json_array_get_int_element (m, 3),
      };
    }
  if (entry->client_uuid == NULL || !g_uuid_string_is_valid (entry->client_uuid) ||
      entry->participant == NULL ||
      !lk_query_set_answer (entry->answer, bins, entry->nc, error))
    {
      entry_free (entry);
      if (error != NULL && *error != NULL)
        return NULL;
      goto bad;
    }

  return entry;

bad:
  g_set_error_literal (error, LK_LAB_ERROR, LK_LAB_ERROR_FAILED,
                       "The line is not a journal entry");
  return NULL;
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

/**
 * lk_lab_journal_open:
 * @path: the journal's file (lk_lab_journal_default_path()); made with its folder when missing
 * @error: return location for a #GError
 *
 * Reads the answers a station journaled and the server has not confirmed.
 *
 * Returns: (transfer full): the journal, or %NULL with @error set
 */
LkLabJournal *
lk_lab_journal_open (const char  *path,
                     GError     **error)
{
  g_autoptr(LkLabJournal) self = g_new0 (LkLabJournal, 1);
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GError) local_error = NULL;

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
  if (!g_file_get_contents (path, &text, NULL, &local_error))
    {
      if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        return g_steal_pointer (&self);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autoptr(GError) line_error = NULL;
      LkLabJournalEntry *entry;

      if (lines[i][0] == '\0')
        continue;
      entry = entry_from_json (lines[i], &line_error);
      if (entry != NULL)
        {
          g_ptr_array_add (self->entries, entry);
          continue;
        }
      /* Only the last line can be cut short (a crash while appending): that answer was never
       * confirmed to anyone. Any other bad line is damage, and nothing is guessed. */
      if (lines[i + 1] == NULL || (lines[i + 1][0] == '\0' && lines[i + 2] == NULL))
        {
          g_warning ("%s: the last line is cut short and is skipped (%s)", path,
                     line_error->message);
          continue;
        }
      g_set_error (error, LK_LAB_ERROR, LK_LAB_ERROR_FAILED,
                   "The station's journal %s is damaged at line %u: %s", path, i + 1,
                   line_error->message);
      return NULL;
    }

  return g_steal_pointer (&self);
}

void
lk_lab_journal_free (LkLabJournal *self)
{
  if (self == NULL)
    return;
  g_clear_pointer (&self->entries, g_ptr_array_unref);
  g_free (self->path);
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

  g_return_val_if_fail (entry->client_uuid != NULL && entry->answer != NULL, FALSE);
  g_return_val_if_fail (lk_query_is_answered (entry->answer), FALSE);

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
  g_autoptr(GString) text = g_string_new (NULL);
  int fd;
  gboolean ok;

  for (guint i = 0; i < self->entries->len; i++)
    {
      g_autofree char *line = entry_to_json (g_ptr_array_index (self->entries, i));

      g_string_append (text, line);
      g_string_append_c (text, '\n');
    }
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
 * Submits every journaled answer, oldest first, with its own client id (so an answer the
 * server already had is not stored again), and takes each out of the journal once the server
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
