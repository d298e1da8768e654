/* lk-judgements-export.c — judging rounds written out: every mark as CSV, every round as JSON
 *
 * Both list, for each seed, the learned and the baseline k-NN with their ranks and marks, so
 * that Table 1 of `000_b28b33f9dbf275aa.txt` can be recomputed from the export alone.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <json-glib/json-glib.h>

#include "lk-judgements.h"

#include "lk-store-private.h"

/**
 * lk_judgements_export_csv:
 * @store: a study
 * @round: one round, or 0 for all
 * @path: the CSV file to write
 * @error: return location for a #GError
 *
 * Writes %LK_JUDGEMENTS_CSV_HEADER and one row per round x seed x listed neighbour: seed is
 * the seed's place in the round (from 0), source "learned" or "baseline" (the baseline column
 * says which descriptor), rank from 1, position the display position (from 0), mark
 * "very_similar", "similar", "unrelated" or empty when not given yet.
 *
 * Returns: %TRUE on success
 */
gboolean
lk_judgements_export_csv (LkStore     *store,
                          gint64       round,
                          const char  *path,
                          GError     **error)
{
  g_autoptr(GString) out = g_string_new (LK_JUDGEMENTS_CSV_HEADER "\n");
  sqlite3_stmt *stmt;
  int rc;

  stmt = lk_store_prepare (store,
                           "SELECT r.id, r.judge, r.baseline, s.seq, s.item, si.path, n.item, "
                           "ni.path, n.source, n.rank, n.distance, h.position, h.mark "
                           "FROM judging_round r "
                           "JOIN judging_seed s ON s.round = r.id "
                           "JOIN judging_neighbour n ON n.round = s.round AND n.seq = s.seq "
                           "JOIN judging_shown h ON h.round = n.round AND h.seq = n.seq "
                           "AND h.item = n.item "
                           "JOIN image si ON si.item = s.item JOIN image ni ON ni.item = n.item "
                           "WHERE ?1 = 0 OR r.id = ?1 "
                           "ORDER BY r.id, s.seq, n.source DESC, n.rank", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, round);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      char buf[G_ASCII_DTOSTR_BUF_SIZE];

      g_string_append_printf (out, "%lld,", (long long) sqlite3_column_int64 (stmt, 0));
      lk_export_append_field (out, (const char *) sqlite3_column_text (stmt, 1));
      g_string_append_printf (out, ",%s,%d,%d,", sqlite3_column_text (stmt, 2),
                              sqlite3_column_int (stmt, 3), sqlite3_column_int (stmt, 4));
      lk_export_append_field (out, (const char *) sqlite3_column_text (stmt, 5));
      g_string_append_printf (out, ",%d,", sqlite3_column_int (stmt, 6));
      lk_export_append_field (out, (const char *) sqlite3_column_text (stmt, 7));
      g_string_append_printf (out, ",%s,%d,%s,%d,", sqlite3_column_text (stmt, 8),
                              sqlite3_column_int (stmt, 9),
                              g_ascii_formatd (buf, sizeof buf, "%.17g",
                                               sqlite3_column_double (stmt, 10)),
                              sqlite3_column_int (stmt, 11));
      lk_export_append_field (out, (const char *) sqlite3_column_text (stmt, 12));
      g_string_append_c (out, '\n');
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      lk_store_set_error (store, error, rc, "Reading the judgements");
      return FALSE;
    }

  return lk_export_write_file (out, path, error);
}

/* Adds member @name with integer @value. */
static void
add_int (JsonBuilder *b,
         const char  *name,
         gint64       value)
{
  json_builder_set_member_name (b, name);
  json_builder_add_int_value (b, value);
}

static void
add_list (JsonBuilder              *b,
          const char               *name,
          const LkJudgingSeed      *seed,
          const LkJudgingNeighbour *list,
          guint                     n,
          GPtrArray                *paths)
{
  json_builder_set_member_name (b, name);
  json_builder_begin_array (b);
  for (guint r = 0; r < n; r++)
    {
      const char *mark = lk_judgement_to_string (lk_judging_seed_mark_of (seed, list[r].item));

      json_builder_begin_object (b);
      add_int (b, "rank", r + 1);
      add_int (b, "item", list[r].item);
      json_builder_set_member_name (b, "path");
      json_builder_add_string_value (b, list[r].item < paths->len
                                        ? g_ptr_array_index (paths, list[r].item) : NULL);
      json_builder_set_member_name (b, "distance");
      json_builder_add_double_value (b, list[r].distance);
      json_builder_set_member_name (b, "mark");
      if (mark != NULL)
        json_builder_add_string_value (b, mark);
      else
        json_builder_add_null_value (b);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
}

/**
 * lk_judging_round_build_json:
 * @round: a stored round
 * @b: a builder, where a value is expected
 * @paths: (nullable) (element-type utf8): the collection's paths by item, or %NULL to leave
 *   out the seed images and their lists
 *
 * Adds @round as the object lk_judgements_export_json() writes for it, with the scores of
 * lk_judging_round_score(); `likeness-cli info --json` shows it without the seed images.
 */
void
lk_judging_round_build_json (const LkJudgingRound *round,
                             JsonBuilder          *b,
                             GPtrArray            *paths)
{
  double success = 0.0, avg = 0.0;
  guint scored = lk_judging_round_score (round, &success, &avg);
  guint shown = 0, marked = lk_judging_round_count_marked (round, &shown);

  json_builder_begin_object (b);
  add_int (b, "round", round->id);
  json_builder_set_member_name (b, "created");
  json_builder_add_string_value (b, round->created);
  json_builder_set_member_name (b, "judge");
  json_builder_add_string_value (b, round->judge);
  json_builder_set_member_name (b, "baseline");
  json_builder_add_string_value (b, lk_space_kind_to_string (round->baseline));
  add_int (b, "k", round->k);
  add_int (b, "sample_seed", (gint64) round->sample_seed);
  json_builder_set_member_name (b, "phase");
  if (round->phase >= 0)
    json_builder_add_int_value (b, round->phase);
  else
    json_builder_add_null_value (b);
  add_int (b, "seeds", round->n_seeds);
  add_int (b, "shown", shown);
  add_int (b, "marked", marked);
  add_int (b, "scored_seeds", scored);
  json_builder_set_member_name (b, "success_percent");
  json_builder_add_double_value (b, success);
  json_builder_set_member_name (b, "avg_diff");
  json_builder_add_double_value (b, avg);
  if (paths != NULL)
    {
      json_builder_set_member_name (b, "seed_images");
      json_builder_begin_array (b);
      for (guint s = 0; s < round->n_seeds; s++)
        {
          const LkJudgingSeed *seed = &round->seeds[s];

          json_builder_begin_object (b);
          add_int (b, "seed", s);
          add_int (b, "item", seed->item);
          json_builder_set_member_name (b, "path");
          json_builder_add_string_value (b, seed->item < paths->len
                                            ? g_ptr_array_index (paths, seed->item) : NULL);
          json_builder_set_member_name (b, "complete");
          json_builder_add_boolean_value (b, lk_judging_seed_is_complete (seed));
          add_list (b, "learned", seed, seed->learned, seed->n_learned, paths);
          add_list (b, "baseline", seed, seed->baseline, seed->n_baseline, paths);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
    }
  json_builder_end_object (b);
}

/**
 * lk_judgements_export_json:
 * @store: a study
 * @round: one round, or 0 for all
 * @path: the JSON file to write
 * @error: return location for a #GError
 *
 * Writes `{"rounds": [{"round", "created", "judge", "baseline", "k", "sample_seed", "phase",
 * "seeds", "shown", "marked", "scored_seeds", "success_percent", "avg_diff", "seed_images":
 * [{"seed", "item", "path", "complete", "learned": [{"rank", "item", "path", "distance",
 * "mark"}…], "baseline": […]}…]}…]}`, the scores as lk_judging_round_score() gives them.
 *
 * Returns: %TRUE on success
 */
gboolean
lk_judgements_export_json (LkStore     *store,
                           gint64       round,
                           const char  *path,
                           GError     **error)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GPtrArray) rounds = NULL;
  g_autoptr(GPtrArray) paths = NULL;
  g_autoptr(GString) out = NULL;
  g_autofree char *text = NULL;
  gboolean found = round == 0;

  if ((rounds = lk_judgements_list_rounds (store, error)) == NULL ||
      (paths = lk_collection_load_paths (store, error)) == NULL)
    return FALSE;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "rounds");
  json_builder_begin_array (b);
  for (guint i = 0; i < rounds->len; i++)
    {
      const LkJudgingRoundInfo *info = g_ptr_array_index (rounds, i);
      g_autoptr(LkJudgingRound) r = NULL;

      if (round != 0 && info->id != round)
        continue;
      found = TRUE;
      if ((r = lk_judging_round_load (store, info->id, error)) == NULL)
        return FALSE;
      lk_judging_round_build_json (r, b, paths);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  if (!found)
    {
      g_set_error (error, LK_STORE_ERROR, LK_STORE_ERROR_NOT_FOUND,
                   "The study has no judging round %" G_GINT64_FORMAT, round);
      return FALSE;
    }

  root = json_builder_get_root (b);
  json_generator_set_root (gen, root);
  json_generator_set_pretty (gen, TRUE);
  text = json_generator_to_data (gen, NULL);
  out = g_string_new (text);

  return lk_export_write_file (out, path, error);
}
