/* lk-export-trials.c — the trials of the tasks other than sorting, and sorting answers' group
 * names, as tidy CSV and JSON
 *
 * Trials CSV (RFC 4180 quoting; one row per trial x image shown, in answer order):
 *   answer, participant, session, query   as in the tidy answers CSV (lk-export.c)
 *   kind          triplet, choice5, match or intruder
 *   block         the session plan's block, from 0
 *   group         the trials that showed the same thing to several raters (0: alone)
 *   phase         the phases completed when it was answered
 *   position      the image's place in the trial (lk-trial.h: triplet Q, A, B; choice5 and match
 *                 Q then the candidates as shown; intruder the eight as shown)
 *   item, path    the image
 *   role          query, a, b, candidate or image
 *   side          a triplet's: top for Q, left or right for A and B as shown; empty otherwise
 *   key           1 at the draw's known answer (choice5 `pair` and match: the query's partner;
 *                 intruder: the planted intruder), else 0
 *   chosen        1 at the image the answer picked (a triplet's A for "A closer", B for "B
 *                 closer"), else 0
 *   choice        the answer as stored: a triplet's 1-4 (both similar, both dissimilar, A
 *                 closer, B closer), else the chosen position, or "none" (match)
 *   shown_us, submitted_us   µs since the Unix epoch
 * Trials JSON: {"trials": [one object per trial with the same fields, its images as arrays
 * "items" and "paths", "swapped" and "key" as positions]}.
 * Group names CSV: answer, participant, query, bin, name: the names a participant gave the
 * groups of a sorting answer, one row per named bin.
 * lk_export_import_trials() reads the trials CSV back (`likeness-cli import-trials`).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "lk-export.h"

#include "lk-scores.h"
#include "lk-store-private.h"

/* The columns every trial export reads, one row per trial x position, in answer order. */
#define TRIAL_ROWS_SQL \
  "SELECT a.id, p.code, a.session, q.id, q.kind, t.block, t.trial_group, q.phase, qi.position, " \
  "qi.item, i.path, t.swapped, t.key, a.choice, a.shown_us, a.submitted_us " \
  "FROM answer a JOIN query q ON q.id = a.query JOIN trial t ON t.query = q.id " \
  "JOIN query_item qi ON qi.query = q.id JOIN image i ON i.item = qi.item " \
  "LEFT JOIN participant p ON p.id = a.participant " \
  "WHERE " LK_STORE_SQL_IS_TRIAL " ORDER BY a.id, qi.position"

enum {
  COL_ANSWER, COL_CODE, COL_SESSION, COL_QUERY, COL_KIND, COL_BLOCK, COL_GROUP, COL_PHASE,
  COL_POSITION, COL_ITEM, COL_PATH, COL_SWAPPED, COL_KEY, COL_CHOICE, COL_SHOWN, COL_SUBMITTED,
};

/* Returns the role of @position in a trial of @kind. */
static const char *
role_of (LkTaskKind kind,
         int        position)
{
  switch (kind)
    {
    case LK_TASK_TRIPLET:
      return position == 0 ? "query" : position == 1 ? "a" : "b";
    case LK_TASK_CHOICE5:
    case LK_TASK_MATCH:
      return position == 0 ? "query" : "candidate";
    case LK_TASK_INTRUDER:
    case LK_TASK_SORT:
    case LK_TASK_TRAINING:
    case LK_TASK_EXAM:
    default:
      return "image";
    }
}

/* Returns the side a triplet's @position was shown on ("" for other kinds). */
static const char *
side_of (LkTaskKind kind,
         int        position,
         gboolean   swapped)
{
  if (kind != LK_TASK_TRIPLET)
    return "";
  if (position == 0)
    return "top";

  return (position == 1) != swapped ? "left" : "right";
}

/* Returns whether the answer @choice to a trial of @kind picked @position. */
static gboolean
chosen (LkTaskKind kind,
        int        choice,
        int        position)
{
  if (kind == LK_TASK_TRIPLET)
    return (choice == LK_TRIPLET_ANSWER_A_CLOSER && position == 1) ||
           (choice == LK_TRIPLET_ANSWER_B_CLOSER && position == 2);

  return choice == position;
}

/* Returns the kind named in column COL_KIND, sorting when it is none (the SQL leaves those out). */
static LkTaskKind
row_kind (sqlite3_stmt *stmt)
{
  LkTaskKind kind = LK_TASK_SORT;

  lk_task_kind_from_string ((const char *) sqlite3_column_text (stmt, COL_KIND), &kind);

  return kind;
}

/**
 * lk_export_trials_csv:
 * @store: a study
 * @path: the CSV file to write ("-": standard output)
 * @error: return location for a #GError
 *
 * Writes the trials CSV described at the top of this file.
 *
 * Returns: %TRUE on success
 */
gboolean
lk_export_trials_csv (LkStore     *store,
                      const char  *path,
                      GError     **error)
{
  g_autoptr(GString) out = g_string_new (LK_EXPORT_TRIALS_HEADER "\n");
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (store != NULL && path != NULL, FALSE);

  stmt = lk_store_prepare (store, TRIAL_ROWS_SQL, error);
  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      LkTaskKind kind = row_kind (stmt);
      int position = sqlite3_column_int (stmt, COL_POSITION);
      int choice = sqlite3_column_int (stmt, COL_CHOICE);

      g_string_append_printf (out, "%lld,", (long long) sqlite3_column_int64 (stmt, COL_ANSWER));
      lk_export_append_field (out, (const char *) sqlite3_column_text (stmt, COL_CODE));
      g_string_append_c (out, ',');
      if (sqlite3_column_type (stmt, COL_SESSION) != SQLITE_NULL)
        g_string_append_printf (out, "%lld", (long long) sqlite3_column_int64 (stmt, COL_SESSION));
      g_string_append_printf (out, ",%lld,%s,%d,%lld,%d,%d,%d,",
                              (long long) sqlite3_column_int64 (stmt, COL_QUERY),
                              lk_task_kind_to_string (kind), sqlite3_column_int (stmt, COL_BLOCK),
                              (long long) sqlite3_column_int64 (stmt, COL_GROUP),
                              sqlite3_column_int (stmt, COL_PHASE), position,
                              sqlite3_column_int (stmt, COL_ITEM));
      lk_export_append_field (out, (const char *) sqlite3_column_text (stmt, COL_PATH));
      g_string_append_printf (out, ",%s,%s,%d,%d,", role_of (kind, position),
                              side_of (kind, position, sqlite3_column_int (stmt, COL_SWAPPED)),
                              sqlite3_column_int (stmt, COL_KEY) == position,
                              chosen (kind, choice, position));
      if (choice == LK_TRIAL_NONE && kind == LK_TASK_MATCH)
        g_string_append (out, "none");
      else
        g_string_append_printf (out, "%d", choice);
      g_string_append_printf (out, ",%lld,%lld\n",
                              (long long) sqlite3_column_int64 (stmt, COL_SHOWN),
                              (long long) sqlite3_column_int64 (stmt, COL_SUBMITTED));
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      lk_store_set_error (store, error, rc, "Reading the trials");
      return FALSE;
    }

  return lk_export_write_file (out, path, error);
}

/* Ends the trial object open in @b with its images, and empties @items and @paths. */
static void
end_trial (JsonBuilder *b,
           GArray      *items,
           GPtrArray   *paths)
{
  json_builder_set_member_name (b, "items");
  json_builder_begin_array (b);
  for (guint i = 0; i < items->len; i++)
    json_builder_add_int_value (b, g_array_index (items, guint, i));
  json_builder_end_array (b);
  json_builder_set_member_name (b, "paths");
  json_builder_begin_array (b);
  for (guint i = 0; i < paths->len; i++)
    json_builder_add_string_value (b, g_ptr_array_index (paths, i));
  json_builder_end_array (b);
  json_builder_end_object (b);
  g_array_set_size (items, 0);
  g_ptr_array_set_size (paths, 0);
}

/**
 * lk_export_trials_json:
 * @store: a study
 * @path: the JSON file to write ("-": standard output)
 * @error: return location for a #GError
 *
 * Writes every trial as one JSON object (the file comment says which fields).
 *
 * Returns: %TRUE on success
 */
gboolean
lk_export_trials_json (LkStore     *store,
                       const char  *path,
                       GError     **error)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GArray) items = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *text = NULL;
  sqlite3_stmt *stmt;
  gint64 current = 0;
  int rc;

  g_return_val_if_fail (store != NULL && path != NULL, FALSE);

  stmt = lk_store_prepare (store, TRIAL_ROWS_SQL, error);
  if (stmt == NULL)
    return FALSE;
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "trials");
  json_builder_begin_array (b);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 answer = sqlite3_column_int64 (stmt, COL_ANSWER);
      guint item = sqlite3_column_int (stmt, COL_ITEM);

      if (answer != current)
        {
          LkTaskKind kind = row_kind (stmt);
          int choice = sqlite3_column_int (stmt, COL_CHOICE);

          if (current != 0)
            end_trial (b, items, paths);
          current = answer;
          json_builder_begin_object (b);
          json_builder_set_member_name (b, "answer");
          json_builder_add_int_value (b, answer);
          json_builder_set_member_name (b, "participant");
          if (sqlite3_column_type (stmt, COL_CODE) == SQLITE_NULL)
            json_builder_add_null_value (b);
          else
            json_builder_add_string_value (b, (const char *) sqlite3_column_text (stmt, COL_CODE));
          json_builder_set_member_name (b, "session");
          if (sqlite3_column_type (stmt, COL_SESSION) == SQLITE_NULL)
            json_builder_add_null_value (b);
          else
            json_builder_add_int_value (b, sqlite3_column_int64 (stmt, COL_SESSION));
          json_builder_set_member_name (b, "query");
          json_builder_add_int_value (b, sqlite3_column_int64 (stmt, COL_QUERY));
          json_builder_set_member_name (b, "kind");
          json_builder_add_string_value (b, lk_task_kind_to_string (kind));
          json_builder_set_member_name (b, "block");
          json_builder_add_int_value (b, sqlite3_column_int (stmt, COL_BLOCK));
          json_builder_set_member_name (b, "group");
          json_builder_add_int_value (b, sqlite3_column_int64 (stmt, COL_GROUP));
          json_builder_set_member_name (b, "phase");
          json_builder_add_int_value (b, sqlite3_column_int (stmt, COL_PHASE));
          json_builder_set_member_name (b, "swapped");
          json_builder_add_boolean_value (b, sqlite3_column_int (stmt, COL_SWAPPED) != 0);
          json_builder_set_member_name (b, "key");
          if (sqlite3_column_int (stmt, COL_KEY) < 0)
            json_builder_add_null_value (b);
          else
            json_builder_add_int_value (b, sqlite3_column_int (stmt, COL_KEY));
          json_builder_set_member_name (b, "choice");
          if (choice == LK_TRIAL_NONE && kind == LK_TASK_MATCH)
            json_builder_add_string_value (b, "none");
          else
            json_builder_add_int_value (b, choice);
          json_builder_set_member_name (b, "shown_us");
          json_builder_add_int_value (b, sqlite3_column_int64 (stmt, COL_SHOWN));
          json_builder_set_member_name (b, "submitted_us");
          json_builder_add_int_value (b, sqlite3_column_int64 (stmt, COL_SUBMITTED));
        }
      g_array_append_val (items, item);
      g_ptr_array_add (paths, g_strdup ((const char *) sqlite3_column_text (stmt, COL_PATH)));
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      lk_store_set_error (store, error, rc, "Reading the trials");
      return FALSE;
    }
  if (current != 0)
    end_trial (b, items, paths);
  json_builder_end_array (b);
  json_builder_end_object (b);

  root = json_builder_get_root (b);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  text = json_generator_to_data (generator, NULL);
  {
    g_autoptr(GString) out = g_string_new (text);

    g_string_append_c (out, '\n');
    return lk_export_write_file (out, path, error);
  }
}

/**
 * lk_export_group_names_csv:
 * @store: a study
 * @path: the CSV file to write ("-": standard output)
 * @error: return location for a #GError
 *
 * Writes the group names of every sorting answer, one row per named bin.
 *
 * Returns: %TRUE on success
 */
gboolean
lk_export_group_names_csv (LkStore     *store,
                           const char  *path,
                           GError     **error)
{
  g_autoptr(GString) out = g_string_new ("answer,participant,query,bin,name\n");
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (store != NULL && path != NULL, FALSE);

  stmt = lk_store_prepare (store, "SELECT g.answer, p.code, a.query, g.bin, g.name "
                           "FROM answer_group_name g JOIN answer a ON a.id = g.answer "
                           "LEFT JOIN participant p ON p.id = a.participant "
                           "ORDER BY g.answer, g.bin", error);
  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_string_append_printf (out, "%lld,", (long long) sqlite3_column_int64 (stmt, 0));
      lk_export_append_field (out, (const char *) sqlite3_column_text (stmt, 1));
      g_string_append_printf (out, ",%lld,%d,", (long long) sqlite3_column_int64 (stmt, 2),
                              sqlite3_column_int (stmt, 3));
      lk_export_append_field (out, (const char *) sqlite3_column_text (stmt, 4));
      g_string_append_c (out, '\n');
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      lk_store_set_error (store, error, rc, "Reading the group names");
      return FALSE;
    }

  return lk_export_write_file (out, path, error);
}

/* The trials CSV's columns, as LK_EXPORT_TRIALS_HEADER names them. */
enum {
  CSV_ANSWER, CSV_PARTICIPANT, CSV_SESSION, CSV_QUERY, CSV_KIND, CSV_BLOCK, CSV_GROUP, CSV_PHASE,
  CSV_POSITION, CSV_ITEM, CSV_PATH, CSV_ROLE, CSV_SIDE, CSV_KEY, CSV_CHOSEN, CSV_CHOICE,
  CSV_SHOWN, CSV_SUBMITTED, CSV_N_COLUMNS,
};

/* One trial read from the CSV, before it is stored. */
typedef struct {
  char     *answer;        /* the file's answer column, which groups its rows */
  char     *participant;   /* code, or "" */
  LkTaskKind kind;
  GArray   *items;
  gboolean  swapped;
  gint      key;
  guint     group;
  guint     block;
  gint      choice;
  gint64    shown_us;
  gint64    submitted_us;
  guint     line;          /* its first line */
} ReadTrial;

static void
read_trial_clear (ReadTrial *t)
{
  g_clear_pointer (&t->answer, g_free);
  g_clear_pointer (&t->participant, g_free);
  g_clear_pointer (&t->items, g_array_unref);
}

/* Parses @text as a number from @min to @max into @out; FALSE if it is not one. */
static gboolean
parse_int (const char *text,
           gint64      min,
           gint64      max,
           gint64     *out)
{
  return g_ascii_string_to_signed (text, 10, min, max, out, NULL);
}

/* Adds row @fields (line @line) to @t, starting it when it is the trial's first row; FALSE with
 * @error naming the line when a field cannot be read. */
static gboolean
add_row (ReadTrial   *t,
         char       **fields,
         guint        line,
         GHashTable  *items_by_path,
         GError     **error)
{
  const char *bad = NULL;
  gpointer item;
  gint64 n;

  if (t->items == NULL)
    {
      gint64 block, group, shown, submitted;

      t->answer = g_strdup (fields[CSV_ANSWER]);
      t->participant = g_strdup (fields[CSV_PARTICIPANT]);
      t->items = g_array_new (FALSE, FALSE, sizeof (guint));
      t->key = -1;
      t->line = line;
      if (!lk_task_kind_from_string (fields[CSV_KIND], &t->kind) ||
          lk_task_kind_is_sorting (t->kind))
        bad = "kind";
      else if (!parse_int (fields[CSV_BLOCK], 0, G_MAXINT, &block))
        bad = "block";
      else if (!parse_int (fields[CSV_GROUP], 0, G_MAXUINT, &group))
        bad = "group";
      else if (!parse_int (fields[CSV_SHOWN], G_MININT64, G_MAXINT64, &shown))
        bad = "shown_us";
      else if (!parse_int (fields[CSV_SUBMITTED], G_MININT64, G_MAXINT64, &submitted))
        bad = "submitted_us";
      else if (g_str_equal (fields[CSV_CHOICE], "none"))
        t->choice = LK_TRIAL_NONE;
      else if (!parse_int (fields[CSV_CHOICE], 0, 1000, &n))
        bad = "choice";
      else
        t->choice = (gint) n;
      if (bad == NULL)
        {
          t->block = (guint) block;
          t->group = (guint) group;
          t->shown_us = shown;
          t->submitted_us = submitted;
        }
    }
  else if (!g_str_equal (fields[CSV_KIND], lk_task_kind_to_string (t->kind)) ||
           !g_str_equal (fields[CSV_PARTICIPANT], t->participant))
    bad = "kind or participant (they differ from the trial's first row)";

  if (bad == NULL && (!parse_int (fields[CSV_POSITION], 0, G_MAXINT, &n) ||
                      (guint) n != t->items->len))
    bad = "position (a trial's rows give its positions from 0 in order)";
  if (bad == NULL && !g_hash_table_lookup_extended (items_by_path, fields[CSV_PATH], NULL, &item))
    {
      g_set_error (error, LK_STORE_ERROR, LK_STORE_ERROR_PARSE,
                   "line %u: the study has no image '%s'", line, fields[CSV_PATH]);
      return FALSE;
    }
  if (bad != NULL)
    {
      g_set_error (error, LK_STORE_ERROR, LK_STORE_ERROR_PARSE, "line %u: the %s cannot be read",
                   line, bad);
      return FALSE;
    }
  if (g_str_equal (fields[CSV_KEY], "1"))
    t->key = (gint) t->items->len;
  if (g_str_equal (fields[CSV_ROLE], "a") && g_str_equal (fields[CSV_SIDE], "right"))
    t->swapped = TRUE;
  g_array_append_val (t->items, (guint) { GPOINTER_TO_UINT (item) });

  return TRUE;
}

/* Returns the session of @code for this import (made, with the participant if new, on first
 * use, inside the transaction), 0 for no participant, or -1 with @error. */
static gint64
import_session (LkStore     *store,
                GHashTable  *sessions,
                const char  *code,
                const char  *source,
                GError     **error)
{
  g_autofree char *created = lk_store_now_iso8601 ();
  sqlite3_stmt *stmt;
  gint64 participant, session;

  if (code[0] == '\0')
    return 0;
  if (g_hash_table_contains (sessions, code))
    return GPOINTER_TO_SIZE (g_hash_table_lookup (sessions, code));

  stmt = lk_store_prepare (store, "INSERT OR IGNORE INTO participant (code, created, notes) "
                           "VALUES (?, ?, ?)", error);
  if (stmt == NULL)
    return -1;
  sqlite3_bind_text (stmt, 1, code, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, created, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, source, -1, SQLITE_TRANSIENT);
  if (!lk_store_step_done (store, stmt, "Adding a participant", error))
    return -1;
  participant = lk_store_find_participant (store, code);
  stmt = lk_store_prepare (store, "INSERT INTO session (participant, station, started) "
                           "VALUES (?, ?, ?)", error);
  if (stmt == NULL)
    return -1;
  sqlite3_bind_int64 (stmt, 1, participant);
  sqlite3_bind_text (stmt, 2, source, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, created, -1, SQLITE_TRANSIENT);
  if (!lk_store_step_done (store, stmt, "Adding a session", error))
    return -1;
  session = sqlite3_last_insert_rowid (lk_store_get_db (store));
  g_hash_table_insert (sessions, g_strdup (code), GSIZE_TO_POINTER ((gsize) session));

  return session;
}

/* Sets @found to whether the study holds @t already (same participant, kind, times, answer and
 * images); FALSE with @error if it could not be read. */
static gboolean
already_stored (LkStore          *store,
                const ReadTrial  *t,
                gboolean         *found,
                GError          **error)
{
  g_autoptr(GArray) queries = g_array_new (FALSE, FALSE, sizeof (gint64));
  sqlite3_stmt *stmt;
  int rc;

  *found = FALSE;
  stmt = lk_store_prepare (store, "SELECT a.query FROM answer a JOIN query q ON q.id = a.query "
                           "LEFT JOIN participant p ON p.id = a.participant WHERE q.kind = ? AND "
                           "a.shown_us = ? AND a.submitted_us = ? AND a.choice = ? AND "
                           "coalesce(p.code, '') = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, lk_task_kind_to_string (t->kind), -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, t->shown_us);
  sqlite3_bind_int64 (stmt, 3, t->submitted_us);
  sqlite3_bind_int (stmt, 4, t->choice);
  sqlite3_bind_text (stmt, 5, t->participant, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 q = sqlite3_column_int64 (stmt, 0);

      g_array_append_val (queries, q);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      lk_store_set_error (store, error, rc, "Reading the trials");
      return FALSE;
    }
  for (guint i = 0; i < queries->len && !*found; i++)
    {
      g_autoptr(GArray) items = lk_answers_load_items (store, g_array_index (queries, gint64, i),
                                                       error);

      if (items == NULL)
        return FALSE;
      *found = items->len == t->items->len &&
               memcmp (items->data, t->items->data, items->len * sizeof (guint)) == 0;
    }

  return TRUE;
}

/* Stores @t (unless the study has it; then counts it in @n_skipped); FALSE with @error. */
static gboolean
import_one (LkStore     *store,
            ReadTrial   *t,
            GHashTable  *sessions,
            const char  *source,
            guint       *n_added,
            guint       *n_skipped,
            GError     **error)
{
  g_autoptr(LkTrial) trial = NULL;
  g_autoptr(GError) local_error = NULL;
  gboolean found;
  gint64 session;

  trial = lk_trial_new (t->kind, (const guint *) t->items->data, t->items->len);
  trial->swapped = t->swapped;
  trial->key = t->key;
  trial->group = t->group;
  trial->choice = t->choice;
  if (!already_stored (store, t, &found, error))
    return FALSE;
  if (found)
    {
      (*n_skipped)++;
      return TRUE;
    }
  session = import_session (store, sessions, t->participant, source, error);
  if (session < 0)
    return FALSE;
  if (lk_answers_insert_trial (store, trial, session, t->block, t->shown_us, t->submitted_us,
                               source, &local_error) == 0)
    {
      g_set_error (error, LK_STORE_ERROR, LK_STORE_ERROR_PARSE, "line %u (answer %s): %s",
                   t->line, t->answer, local_error->message);
      return FALSE;
    }
  (*n_added)++;

  return TRUE;
}

/**
 * lk_export_import_trials:
 * @store: a study open for writing
 * @path: a trials CSV as lk_export_trials_csv() writes it (from this study or another with
 *   the same images: images are found by path)
 * @n_skipped: (out) (optional): trials the study already held, not added again
 * @error: return location for a #GError
 *
 * Adds the trials of @path, all or none, in one transaction: each participant code gets one
 * session for the import (and a participant row if new); each trial's answer has the source
 * "import:FILE". A trial the study already holds (same participant, kind, times, answer and
 * images) is skipped, so importing a file twice adds nothing. The file is read whole: a trials
 * CSV is small beside a sorting export (a row per image shown, 3 to 8 a trial).
 *
 * Returns: the trials added, or 0 with @error set (%LK_STORE_ERROR_PARSE naming the line)
 */
guint
lk_export_import_trials (LkStore     *store,
                         const char  *path,
                         guint       *n_skipped,
                         GError     **error)
{
  g_autofree char *text = NULL;
  g_autofree char *base = g_path_get_basename (path);
  g_autofree char *source = g_strconcat ("import:", base, NULL);
  g_autoptr(GHashTable) items_by_path = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) sessions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) paths = NULL;
  g_auto(GStrv) lines = NULL;
  ReadTrial current = { 0 };
  guint added = 0, skipped = 0;
  GError *local_error = NULL;
  char *start;

  g_return_val_if_fail (store != NULL && path != NULL, 0);

  if (n_skipped != NULL)
    *n_skipped = 0;
  if (!g_file_get_contents (path, &text, NULL, &local_error))
    {
      g_set_error (error, LK_STORE_ERROR, LK_STORE_ERROR_NOT_FOUND, "%s", local_error->message);
      g_error_free (local_error);
      return 0;
    }
  start = g_str_has_prefix (text, "\xEF\xBB\xBF") ? text + 3 : text;
  lines = g_strsplit (start, "\n", -1);
  if (lines[0] == NULL || !g_str_equal (g_strchomp (lines[0]), LK_EXPORT_TRIALS_HEADER))
    {
      g_set_error (error, LK_STORE_ERROR, LK_STORE_ERROR_PARSE,
                   "%s is not a trials CSV: its first line must be " LK_EXPORT_TRIALS_HEADER,
                   path);
      return 0;
    }
  paths = lk_collection_load_paths (store, error);
  if (paths == NULL)
    return 0;
  for (guint i = 0; i < paths->len; i++)
    g_hash_table_insert (items_by_path, g_ptr_array_index (paths, i), GUINT_TO_POINTER (i));

  if (!lk_store_write_begin (store, error))
    return 0;
  for (guint l = 1; lines[l] != NULL; l++)
    {
      g_auto(GStrv) fields = NULL;

      g_strchomp (lines[l]);
      if (lines[l][0] == '\0')
        continue;
      fields = lk_export_parse_csv_line (lines[l], &local_error);
      if (fields == NULL || g_strv_length (fields) != CSV_N_COLUMNS)
        {
          g_set_error (error, LK_STORE_ERROR, LK_STORE_ERROR_PARSE, "line %u: %s", l + 1,
                       local_error != NULL ? local_error->message
                                           : "not the " G_STRINGIFY (CSV_N_COLUMNS) " columns of "
                                             "the header");
          g_clear_error (&local_error);
          goto fail;
        }
      if (current.items != NULL && !g_str_equal (fields[CSV_ANSWER], current.answer))
        {
          if (!import_one (store, &current, sessions, source, &added, &skipped, error))
            goto fail;
          read_trial_clear (&current);
          current = (ReadTrial) { 0 };
        }
      if (!add_row (&current, fields, l + 1, items_by_path, error))
        goto fail;
    }
  if (current.items != NULL &&
      !import_one (store, &current, sessions, source, &added, &skipped, error))
    goto fail;
  read_trial_clear (&current);
  if (!lk_store_write_commit (store, "Importing the trials", error))
    return 0;
  if (n_skipped != NULL)
    *n_skipped = skipped;

  return added;

fail:
  read_trial_clear (&current);
  lk_store_write_rollback (store);
  return 0;
}
