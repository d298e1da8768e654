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
 *
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <json-glib/json-glib.h>

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
