/* lk-crowd-import.c — a crowd platform's results file read back into the study (lk-crowd.c
 * describes the mapping)
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include <json-glib/json-glib.h>

#include "lk-crowd.h"

#include "lk-answers.h"
#include "lk-store-private.h"

#define CROWD_POLICY "crowd"

/* Splits @text (CSV, or TSV when @sep is a tab) into rows of fields; quotes as RFC 4180 (a
 * quoted field may hold separators, line ends and doubled quotes). Returns a GPtrArray of GStrv. */
static GPtrArray *
parse_table (const char *text,
             char        sep)
{
  GPtrArray *rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  g_autoptr(GPtrArray) row = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) field = g_string_new (NULL);
  const char *p = text;
  gboolean quoted = FALSE, any = FALSE;

  if (g_str_has_prefix (p, "\xEF\xBB\xBF"))
    p += 3;
  for (; ; p++)
    {
      char c = *p;

      if (quoted)
        {
          if (c == '\0')
            quoted = FALSE;
          else if (c == '"' && p[1] == '"')
            {
              g_string_append_c (field, '"');
              p++;
              continue;
            }
          else if (c == '"')
            {
              quoted = FALSE;
              continue;
            }
          else
            {
              g_string_append_c (field, c);
              continue;
            }
        }
      if (c == '"' && field->len == 0)
        {
          quoted = TRUE;
          any = TRUE;
        }
      else if (c == sep)
        {
          g_ptr_array_add (row, g_strdup (field->str));
          g_string_truncate (field, 0);
          any = TRUE;
        }
      else if (c == '\n' || c == '\0' || (c == '\r' && p[1] == '\n'))
        {
          if (c == '\r')
            p++;
          if (any || field->len > 0)
            {
              g_ptr_array_add (row, g_strdup (field->str));
              g_ptr_array_add (row, NULL);
              g_ptr_array_add (rows, g_ptr_array_steal (row, NULL));
              g_ptr_array_set_size (row, 0);
            }
          g_string_truncate (field, 0);
          any = FALSE;
          if (*p == '\0')
            break;
        }
      else
        {
          g_string_append_c (field, c);
          any = TRUE;
        }
    }
  return rows;
}

static gint
column_of (char      **header,
           const char *name)
{
  for (gint i = 0; header[i] != NULL; i++)
    if (strcmp (header[i], name) == 0)
      return i;
  return -1;
}

static const char *
cell (char **row,
      gint   column)
{
  if (column < 0)
    return NULL;
  for (gint i = 0; i <= column; i++)
    if (row[i] == NULL)
      return NULL;
  return row[column];
}

/* Parses a JSON list the platforms may write without its brackets or with doubled quotes. */
static JsonArray *
parse_list (const char *text)
{
  g_autofree char *trimmed = g_strstrip (g_strdup (text));
  g_autoptr(JsonParser) parser = json_parser_new ();

  for (guint attempt = 0; attempt < 2; attempt++)
    {
      g_autofree char *t = NULL;
      JsonNode *root;

      if (attempt == 1)
        {
          g_auto(GStrv) parts = g_strsplit (trimmed, "\"\"", -1);

          t = g_strjoinv ("\"", parts);
        }
      else
        t = g_strdup (trimmed);
      if (t[0] != '[')
        {
          char *wrapped = g_strconcat ("[", t, "]", NULL);

          g_free (t);
          t = wrapped;
        }
      if (json_parser_load_from_data (parser, t, -1, NULL) &&
          (root = json_parser_get_root (parser)) != NULL && JSON_NODE_HOLDS_ARRAY (root))
        return json_array_ref (json_node_get_array (root));
    }
  return NULL;
}

static JsonObject *
parse_object (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;

  if (text == NULL || !json_parser_load_from_data (parser, text, -1, NULL))
    return NULL;
  root = json_parser_get_root (parser);
  return root != NULL && JSON_NODE_HOLDS_OBJECT (root) ? json_object_ref (json_node_get_object (root))
                                                       : NULL;
}

/* Returns the SHA-256 in an image URL: its file name without the extension. */
static char *
hash_of_url (const char *url)
{
  const char *base = strrchr (url, '/');
  char *hash = g_strdup (base != NULL ? base + 1 : url);
  char *dot = strchr (hash, '.');

  if (dot != NULL)
    *dot = '\0';
  return hash;
}

typedef struct {
  guint   line;
  char   *assignment;
  char   *worker;
  char   *grid_id;
  char   *status;      /* 'submitted', 'approved' or 'rejected' */
  gint64  query;       /* the grid's query */
  GArray *items;
  GArray *bins;        /* gint by position */
  gint64  shown_us, submitted_us;
} Row;

static void
row_free (gpointer data)
{
  Row *r = data;

  g_free (r->assignment);
  g_free (r->worker);
  g_free (r->grid_id);
  g_free (r->status);
  g_clear_pointer (&r->items, g_array_unref);
  g_clear_pointer (&r->bins, g_array_unref);
  g_free (r);
}

/* Looks up @grid_id among the study's batches: its query, items and their hashes. */
static gboolean
find_grid (LkStore     *store,
           const char  *grid_id,
           gint64      *query,
           GArray     **items,
           GPtrArray  **hashes,
           GError     **error)
{
  sqlite3_stmt *stmt = lk_store_prepare (store, "SELECT query FROM crowd_grid WHERE grid_id = ?",
                                         error);
  gboolean found;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, grid_id, -1, SQLITE_TRANSIENT);
  found = sqlite3_step (stmt) == SQLITE_ROW;
  if (found)
    *query = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  if (!found)
    return TRUE;
  *items = lk_answers_load_items (store, *query, error);
  if (*items == NULL)
    return FALSE;
  *hashes = g_ptr_array_new_with_free_func (g_free);
  stmt = lk_store_prepare (store, "SELECT sha256 FROM image WHERE item = ?", error);
  if (stmt == NULL)
    return FALSE;
  for (guint p = 0; p < (*items)->len; p++)
    {
      sqlite3_bind_int64 (stmt, 1, g_array_index (*items, guint, p));
      g_ptr_array_add (*hashes, sqlite3_step (stmt) == SQLITE_ROW ?
                       g_strdup ((const char *) sqlite3_column_text (stmt, 0)) : g_strdup (""));
      sqlite3_reset (stmt);
    }
  return TRUE;
}

/* Reads the bins of a Likeness answer payload ({"grid_id", "bins": [[positions]], "leftover"}). */
static gboolean
payload_bins (JsonObject  *payload,
              guint        n,
              guint        nc,
              GArray      *bins,
              GString     *why)
{
  JsonNode *node = json_object_get_member (payload, "bins");
  JsonArray *list;

  g_array_set_size (bins, n);
  for (guint p = 0; p < n; p++)
    g_array_index (bins, gint, p) = G_MININT;
  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    {
      g_string_append (why, "the answer has no \"bins\" list");
      return FALSE;
    }
  list = json_node_get_array (node);
  if (json_array_get_length (list) > nc)
    {
      g_string_append_printf (why, "the answer uses %u bins; the study has %u",
                              json_array_get_length (list), nc);
      return FALSE;
    }
  for (guint b = 0; b <= json_array_get_length (list); b++)
    {
      JsonNode *bn = b < json_array_get_length (list) ? json_array_get_element (list, b) :
                     json_object_get_member (payload, "leftover");
      JsonArray *members;

      if (bn == NULL || JSON_NODE_HOLDS_NULL (bn))
        continue;
      if (!JSON_NODE_HOLDS_ARRAY (bn))
        {
          g_string_append (why, "a bin is not a list of positions");
          return FALSE;
        }
      members = json_node_get_array (bn);
      for (guint m = 0; m < json_array_get_length (members); m++)
        {
          JsonNode *pn = json_array_get_element (members, m);
          gint64 pos = JSON_NODE_HOLDS_VALUE (pn) ? json_node_get_int (pn) : -1;

          if (pos < 0 || pos >= n || g_array_index (bins, gint, pos) != G_MININT)
            {
              g_string_append_printf (why, "position %" G_GINT64_FORMAT " is outside the grid "
                                      "of %u images or placed twice", pos, n);
              return FALSE;
            }
          g_array_index (bins, gint, pos) = b < json_array_get_length (list) ? (gint) b
                                                                           : LK_BIN_LEFT_OUT;
        }
    }
  for (guint p = 0; p < n; p++)
    if (g_array_index (bins, gint, p) == G_MININT)
      {
        g_string_append_printf (why, "position %u is in no bin", p);
        return FALSE;
      }
  return TRUE;
}

/* Reads Toloka's OUTPUT:result ([{"image": URL, "group": g}], g from 1, null or 0 = left out). */
static gboolean
toloka_bins (const char *text,
             GPtrArray  *hashes,
             guint       nc,
             GArray     *bins,
             GString    *why)
{
  g_autoptr(JsonArray) list = parse_list (text);
  guint n = hashes->len;

  if (list == NULL || json_array_get_length (list) != n)
    {
      g_string_append_printf (why, "OUTPUT:result is not a list of %u {\"image\", \"group\"} "
                              "objects", n);
      return FALSE;
    }
  g_array_set_size (bins, n);
  for (guint p = 0; p < n; p++)
    g_array_index (bins, gint, p) = G_MININT;
  for (guint i = 0; i < n; i++)
    {
      JsonNode *en = json_array_get_element (list, i);
      JsonObject *o = JSON_NODE_HOLDS_OBJECT (en) ? json_node_get_object (en) : NULL;
      const char *url = o != NULL ? json_object_get_string_member_with_default (o, "image", NULL)
                                  : NULL;
      JsonNode *gn = o != NULL ? json_object_get_member (o, "group") : NULL;
      g_autofree char *hash = url != NULL ? hash_of_url (url) : NULL;
      gint64 group;
      guint pos = G_MAXUINT;

      for (guint p = 0; hash != NULL && p < n; p++)
        if (strcmp (g_ptr_array_index (hashes, p), hash) == 0)
          pos = p;
      if (pos == G_MAXUINT)
        {
          g_string_append_printf (why, "OUTPUT:result names the image '%s', which is not in "
                                  "the grid", url != NULL ? url : "?");
          return FALSE;
        }
      group = gn == NULL || JSON_NODE_HOLDS_NULL (gn) ? 0 : json_node_get_int (gn);
      if (group < 0 || group > nc)
        {
          g_string_append_printf (why, "group %" G_GINT64_FORMAT " is outside 1..%u", group, nc);
          return FALSE;
        }
      g_array_index (bins, gint, pos) = group == 0 ? LK_BIN_LEFT_OUT : (gint) group - 1;
    }
  for (guint p = 0; p < n; p++)
    if (g_array_index (bins, gint, p) == G_MININT)
      {
        g_string_append_printf (why, "image %u of the grid is missing from OUTPUT:result", p + 1);
        return FALSE;
      }
  return TRUE;
}

/* Checks the image URLs a row names against the grid's hashes, in order. */
static gboolean
images_match (JsonArray  *urls,
              GPtrArray  *hashes,
              GString    *why)
{
  if (json_array_get_length (urls) != hashes->len)
    {
      g_string_append_printf (why, "it lists %u images; the study's grid has %u",
                              json_array_get_length (urls), hashes->len);
      return FALSE;
    }
  for (guint p = 0; p < hashes->len; p++)
    {
      JsonNode *un = json_array_get_element (urls, p);
      const char *url = JSON_NODE_HOLDS_VALUE (un) ? json_node_get_string (un) : NULL;
      g_autofree char *hash = url != NULL ? hash_of_url (url) : NULL;

      if (hash == NULL || strcmp (hash, g_ptr_array_index (hashes, p)) != 0)
        {
          g_string_append_printf (why, "image %u is '%s'; the study's grid has the image with "
                                  "hash %s there", p + 1, url != NULL ? url : "?",
                                  (const char *) g_ptr_array_index (hashes, p));
          return FALSE;
        }
    }
  return TRUE;
}

static gint64
parse_time_us (const char *text)
{
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr(GDateTime) t = NULL;

  if (text == NULL || *text == '\0')
    return 0;
  t = g_date_time_new_from_iso8601 (text, utc);
  return t != NULL ? g_date_time_to_unix (t) * G_USEC_PER_SEC + g_date_time_get_microsecond (t) : 0;
}

/* Returns MTurk's "Mon Dec 07 10:01:00 PST 2026" in µs since the epoch, or 0 if it is not in
 * that form or names a zone other than the ones MTurk writes (Pacific time, UTC, GMT). */
static gint64
parse_mturk_time_us (const char *text)
{
  static const char *months[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep",
                                  "Oct", "Nov", "Dec" };
  g_auto(GStrv) f = text != NULL ? g_strsplit (text, " ", -1) : NULL;
  g_autoptr(GTimeZone) zone = NULL;
  g_autoptr(GDateTime) t = NULL;
  const char *offset = NULL;
  int month = 0, day, hour, minute, second, year;

  if (f == NULL || g_strv_length (f) != 6 ||
      sscanf (f[2], "%d", &day) != 1 || sscanf (f[5], "%d", &year) != 1 ||
      sscanf (f[3], "%d:%d:%d", &hour, &minute, &second) != 3)
    return 0;
  for (guint i = 0; i < G_N_ELEMENTS (months); i++)
    if (strcmp (f[1], months[i]) == 0)
      month = i + 1;
  if (strcmp (f[4], "PST") == 0)
    offset = "-08:00";
  else if (strcmp (f[4], "PDT") == 0)
    offset = "-07:00";
  else if (strcmp (f[4], "UTC") == 0 || strcmp (f[4], "GMT") == 0)
    offset = "+00:00";
  if (month == 0 || offset == NULL || (zone = g_time_zone_new_identifier (offset)) == NULL)
    return 0;
  t = g_date_time_new (zone, year, month, day, hour, minute, second);
  return t != NULL ? g_date_time_to_unix (t) * G_USEC_PER_SEC : 0;
}

static const char *
normal_status (const char *text)
{
  if (text == NULL || *text == '\0')
    return "approved";    /* Toloka's default download holds approved assignments only */
  if (g_ascii_strcasecmp (text, "approved") == 0 || g_ascii_strcasecmp (text, "accepted") == 0)
    return "approved";
  if (g_ascii_strcasecmp (text, "rejected") == 0)
    return "rejected";
  if (g_ascii_strcasecmp (text, "submitted") == 0)
    return "submitted";
  return NULL;
}

/* Reads one results row into @r; on a mismatch appends why to @why and returns FALSE. */
static gboolean
read_row (LkStore          *store,
          LkCrowdPlatform   platform,
          char            **header,
          char            **row,
          Row              *r,
          GString          *why,
          GError          **error)
{
  guint nc = lk_store_get_params (store)->nc;
  g_autoptr(JsonObject) payload = NULL;
  g_autoptr(GPtrArray) hashes = NULL;
  const char *grid, *status, *images;

  if (platform == LK_CROWD_TOLOKA)
    {
      r->assignment = g_strdup (cell (row, column_of (header, "ASSIGNMENT:assignment_id")));
      r->worker = g_strdup (cell (row, column_of (header, "ASSIGNMENT:worker_id")));
      status = cell (row, column_of (header, "ASSIGNMENT:status"));
      grid = cell (row, column_of (header, "INPUT:grid_id"));
      images = cell (row, column_of (header, "INPUT:images"));
      r->shown_us = parse_time_us (cell (row, column_of (header, "ASSIGNMENT:started")));
      r->submitted_us = parse_time_us (cell (row, column_of (header, "ASSIGNMENT:submitted")));
    }
  else
    {
      const char *answer = cell (row, column_of (header, "Answer.sorting"));

      r->assignment = g_strdup (cell (row, column_of (header, "AssignmentId")));
      r->worker = g_strdup (cell (row, column_of (header, "WorkerId")));
      status = cell (row, column_of (header, "AssignmentStatus"));
      images = cell (row, column_of (header, "Input.images"));
      if (answer == NULL)
        {
          /* Crowd HTML Elements: one JSON array whose first element maps fields to values. */
          g_autoptr(JsonArray) all = NULL;
          const char *task = cell (row, column_of (header, "Answer.taskAnswers"));

          if (task != NULL && (all = parse_list (task)) != NULL && json_array_get_length (all) > 0)
            {
              JsonNode *first = json_array_get_element (all, 0);
              JsonObject *fields = JSON_NODE_HOLDS_OBJECT (first) ? json_node_get_object (first)
                                                                  : NULL;
              JsonNode *sorting = fields ? json_object_get_member (fields, "sorting") : NULL;

              if (sorting != NULL && JSON_NODE_HOLDS_OBJECT (sorting))
                payload = json_object_ref (json_node_get_object (sorting));
              else if (sorting != NULL && JSON_NODE_HOLDS_VALUE (sorting))
                payload = parse_object (json_node_get_string (sorting));
            }
        }
      else
        payload = parse_object (answer);
      if (payload == NULL)
        {
          g_string_append (why, "no answer: Answer.sorting (or \"sorting\" in Answer.taskAnswers) "
                           "is missing or not JSON");
          return FALSE;
        }
      grid = json_object_get_string_member_with_default (payload, "grid_id", NULL);
      if (grid == NULL)
        grid = cell (row, column_of (header, "Input.grid_id"));
      /* The page's own rt_ms gives the time the grid was shown. */
      r->submitted_us = parse_mturk_time_us (cell (row, column_of (header, "SubmitTime")));
      if (r->submitted_us > 0 && json_object_has_member (payload, "rt_ms"))
        r->shown_us = r->submitted_us - json_object_get_int_member (payload, "rt_ms") * 1000;
    }

  /* Times the file lacks: the one it has, else the time of the import, so that no answer is
   * dated 1970 in the participants view and the exports. */
  if (r->submitted_us <= 0)
    r->submitted_us = r->shown_us > 0 ? r->shown_us : g_get_real_time ();
  if (r->shown_us <= 0 || r->shown_us > r->submitted_us)
    r->shown_us = r->submitted_us;

  if (r->assignment == NULL || *r->assignment == '\0' || r->worker == NULL || *r->worker == '\0')
    {
      g_string_append (why, "no assignment id or worker id");
      return FALSE;
    }
  r->status = g_strdup (normal_status (status));
  if (r->status == NULL)
    {
      g_string_append_printf (why, "the assignment status '%s' is none of approved, rejected, "
                              "submitted", status);
      return FALSE;
    }
  if (grid == NULL || *grid == '\0')
    {
      g_string_append (why, "no grid id");
      return FALSE;
    }
  r->grid_id = g_strdup (grid);
  if (!find_grid (store, grid, &r->query, &r->items, &hashes, error))
    return FALSE;
  if (r->items == NULL)
    {
      g_string_append_printf (why, "the grid '%s' is not one this study handed to a batch", grid);
      return FALSE;
    }
  if (images != NULL && *images != '\0')
    {
      g_autoptr(JsonArray) urls = NULL;

      if (strchr (images, '|') != NULL || (images[0] != '"' && images[0] != '['))
        {
          g_auto(GStrv) parts = g_strsplit (images, "|", -1);

          urls = json_array_new ();
          for (guint i = 0; parts[i] != NULL; i++)
            json_array_add_string_element (urls, parts[i]);
        }
      else
        urls = parse_list (images);
      if (urls == NULL || !images_match (urls, hashes, why))
        {
          if (urls == NULL)
            g_string_append (why, "its images column is not a list of URLs");
          return FALSE;
        }
    }
  r->bins = g_array_new (FALSE, FALSE, sizeof (gint));
  if (platform == LK_CROWD_TOLOKA)
    {
      const char *output = cell (row, column_of (header, "OUTPUT:result"));

      if (output == NULL || !toloka_bins (output, hashes, nc, r->bins, why))
        {
          if (output == NULL)
            g_string_append (why, "no OUTPUT:result");
          return FALSE;
        }
    }
  else if (!payload_bins (payload, r->items->len, nc, r->bins, why))
    return FALSE;
  return TRUE;
}

/* Returns the participant id of @code, adding it (in the transaction begun) if new. */
static gint64
participant_for (LkStore     *store,
                 const char  *code,
                 const char  *notes,
                 GError     **error)
{
  g_autofree char *created = lk_store_now_iso8601 ();
  gint64 id = lk_store_find_participant (store, code);

  if (id == 0 &&
      !lk_store_insert_row (store, &id, "Adding a participant", error,
                           "INSERT INTO participant (code, created, consent, notes) VALUES "
                           "(?, ?, 1, ?)", "sss", code, created, notes))
    return 0;
  return id;
}

/**
 * lk_crowd_import:
 * @store: a study open for writing
 * @path: the platform's results file (Toloka's TSV, or MTurk's batch results CSV)
 * @platform: (nullable): the platform, or %NULL to tell it from the header
 * @filter: which assignments to store besides the rejected ones
 * @result: (out caller-allocates): the counts
 * @error: return location for a #GError
 *
 * Imports a batch's answers (see the top of this file), all or none.
 *
 * Returns: %TRUE on success, also when every assignment was already present
 */
gboolean
lk_crowd_import (LkStore                *store,
                 const char             *path,
                 const LkCrowdPlatform  *platform,
                 LkCrowdStatusFilter     filter,
                 LkCrowdImport          *result,
                 GError                **error)
{
  g_autofree char *text = NULL;
  g_autoptr(GPtrArray) table = NULL;
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (row_free);
  g_autoptr(GString) problems = g_string_new (NULL);
  g_autoptr(GHashTable) sessions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) taken = g_hash_table_new (g_int64_hash, g_int64_equal);
  g_autoptr(GError) local_error = NULL;
  char **header;
  LkCrowdPlatform detected;
  guint n_problems = 0;
  gint64 phase;

  g_return_val_if_fail (store != NULL && path != NULL && result != NULL, FALSE);
  memset (result, 0, sizeof *result);

  if (!g_file_get_contents (path, &text, NULL, &local_error))
    {
      g_set_error (error, LK_STORE_ERROR, LK_STORE_ERROR_IO, "Could not read %s: %s", path,
                   local_error->message);
      return FALSE;
    }
  if (!g_utf8_validate (text, -1, NULL))
    {
      g_set_error (error, LK_STORE_ERROR, LK_STORE_ERROR_PARSE,
                   "%s is not UTF-8 text; download the results file again", path);
      return FALSE;
    }
  {
    const char *eol = strchr (text, '\n');
    g_autofree char *first = eol != NULL ? g_strndup (text, eol - text) : g_strdup (text);

    table = parse_table (text, strchr (first, '\t') != NULL ? '\t' : ',');
  }
  header = table->len > 0 ? g_ptr_array_index (table, 0) : NULL;
  if (header != NULL && column_of (header, "ASSIGNMENT:assignment_id") >= 0)
    detected = LK_CROWD_TOLOKA;
  else if (header != NULL && column_of (header, "AssignmentId") >= 0 &&
           column_of (header, "WorkerId") >= 0)
    detected = LK_CROWD_MTURK;
  else
    {
      g_set_error (error, LK_STORE_ERROR, LK_STORE_ERROR_PARSE,
                   "%s is neither a Toloka results file (no ASSIGNMENT:assignment_id column) nor "
                   "a Mechanical Turk batch results file (no AssignmentId and WorkerId columns)",
                   path);
      return FALSE;
    }
  if (platform != NULL && *platform != detected)
    {
      g_set_error (error, LK_STORE_ERROR, LK_STORE_ERROR_PARSE,
                   "%s is a %s results file, not %s as --platform says", path,
                   detected == LK_CROWD_TOLOKA ? "Toloka" : "Mechanical Turk",
                   *platform == LK_CROWD_TOLOKA ? "Toloka" : "Mechanical Turk");
      return FALSE;
    }
  result->platform = detected;

  for (guint i = 1; i < table->len; i++)
    {
      Row *r = g_new0 (Row, 1);
      g_autoptr(GString) why = g_string_new (NULL);

      r->line = i + 1;
      if (!read_row (store, detected, header, g_ptr_array_index (table, i), r, why, error))
        {
          row_free (r);
          if (why->len == 0)
            return FALSE;
          if (++n_problems <= 20)
            g_string_append_printf (problems, "\n  row %u: %s", i + 1, why->str);
          continue;
        }
      if (!g_hash_table_add (seen, r->assignment))
        {
          if (++n_problems <= 20)
            g_string_append_printf (problems, "\n  row %u: the assignment %s is there twice",
                                    i + 1, r->assignment);
          row_free (r);
          continue;
        }
      g_ptr_array_add (rows, r);
    }
  if (n_problems > 0)
    {
      g_set_error (error, LK_STORE_ERROR, LK_STORE_ERROR_PARSE,
                   "%s does not fit this study (%u row%s), nothing imported:%s%s", path,
                   n_problems, n_problems == 1 ? "" : "s", problems->str,
                   n_problems > 20 ? "\n  (only the first 20 are listed)" : "");
      return FALSE;
    }
  if (rows->len == 0)
    {
      g_set_error (error, LK_STORE_ERROR, LK_STORE_ERROR_PARSE, "%s holds no assignments", path);
      return FALSE;
    }

  if (!lk_store_write_begin (store, error))
    return FALSE;
  if (!lk_store_query_int (store, "SELECT count(*) FROM phase", 0, &phase, error))
    goto fail;
  for (guint i = 0; i < rows->len; i++)
    {
      Row *r = g_ptr_array_index (rows, i);
      const char *source = lk_crowd_platform_to_string (detected);
      g_autofree char *code = g_strdup_printf ("%s:%s", source, r->worker);
      g_autoptr(LkQuery) q = lk_query_new ((const guint *) r->items->data, r->items->len);
      gboolean included = strcmp (r->status, "rejected") != 0;
      gint64 present, person, session, query = 0, answer, query_phase, open;

      {
        sqlite3_stmt *stmt = lk_store_prepare (store, "SELECT count(*) FROM crowd_assignment "
                                               "WHERE platform = ? AND assignment = ?", error);

        if (stmt == NULL)
          goto fail;
        sqlite3_bind_text (stmt, 1, source, -1, SQLITE_STATIC);
        sqlite3_bind_text (stmt, 2, r->assignment, -1, SQLITE_TRANSIENT);
        present = sqlite3_step (stmt) == SQLITE_ROW ? sqlite3_column_int64 (stmt, 0) : -1;
        sqlite3_reset (stmt);
        if (present < 0)
          {
            lk_store_set_error (store, error, sqlite3_errcode (lk_store_get_db (store)),
                                "Reading the imported assignments");
            goto fail;
          }
      }
      if (present > 0)
        {
          result->present++;
          continue;
        }
      if (strcmp (r->status, "submitted") == 0 && filter == LK_CROWD_STATUS_APPROVED)
        {
          result->unreviewed++;
          continue;
        }
      if (!lk_query_set_answer (q, (const gint *) r->bins->data,
                                lk_store_get_params (store)->nc, &local_error))
        {
          g_set_error (error, LK_STORE_ERROR, LK_STORE_ERROR_PARSE,
                       "%s: row %u: %s; nothing imported", path, r->line, local_error->message);
          goto fail;
        }

      person = participant_for (store, code, source, error);
      if (person == 0)
        goto fail;
      session = GPOINTER_TO_SIZE (g_hash_table_lookup (sessions, code));
      if (session == 0)
        {
          g_autofree char *started = lk_store_now_iso8601 ();

          if (!lk_store_insert_row (store, &session, "Adding a session", error,
                                   "INSERT INTO session (participant, station, started, ended) "
                                   "VALUES (?, ?, ?, ?)", "xsss", person, source, started,
                                   started))
            goto fail;
          g_hash_table_insert (sessions, g_strdup (code), GSIZE_TO_POINTER (session));
        }

      /* The grid's own query takes the first answer that counts, if it is still open in the
       * current phase; see the top of this file. */
      if (included && !g_hash_table_contains (taken, &r->query))
        {
          if (!lk_store_query_int (store, "SELECT phase FROM query WHERE id = ?", r->query,
                                   &query_phase, error) ||
              !lk_store_query_int (store, "SELECT count(*) FROM query WHERE id = ? AND state IN "
                                   "('pending', 'served')", r->query, &open, error))
            goto fail;
          if (open > 0 && query_phase == phase)
            {
              query = r->query;
              g_hash_table_add (taken, &r->query);
            }
        }
      if (query == 0)
        query = lk_answers_insert_query (store, phase, CROWD_POLICY, phase, "answered", FALSE,
                                         (const guint *) r->items->data, r->items->len, error);
      if (query == 0)
        goto fail;
      answer = lk_answers_insert_answer (store, query, q, session, r->shown_us, r->submitted_us,
                                         source, NULL, 0, error);
      if (answer == 0 ||
          !lk_store_insert_row (store, NULL, "Recording the assignment", error,
                               "INSERT INTO crowd_assignment (platform, assignment, answer, "
                               "grid_id, worker, status, included) VALUES (?, ?, ?, ?, ?, ?, ?)",
                               "ssxsssi", source, r->assignment, answer, r->grid_id, r->worker,
                               r->status, included ? 1 : 0))
        goto fail;
      result->imported++;
      if (!included)
        result->rejected++;
    }

  if (result->imported == 0)
    lk_store_write_rollback (store);
  else if (!lk_store_write_commit (store, "Importing the batch's answers", error))
    return FALSE;
  return TRUE;

fail:
  lk_store_write_rollback (store);
  return FALSE;
}
