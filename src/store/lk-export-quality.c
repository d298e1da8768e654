/* lk-export-quality.c — the quality-control side of a study for analysis: each participant's
 * QC figures and flags, and the study's known answers
 *
 * Participants CSV (RFC 4180; one row per participant, in the order they joined the study):
 *   participant        their pseudonymous code
 *   pilot              1 for pilot data, else 0
 *   status             active, or not_qualified (failed the exam; left out of the model)
 *   excluded           1 when the experimenter left them out of the model, else 0
 *   answers            answers stored that count (a crowd platform's rejected ones do not)
 *   median_seconds     median seconds from showing a grid to its submission; empty without any
 *   agreement          share of their pair results the model predicts (0 to 1); empty when the
 *                      model has no phase yet or they have no pair results
 *   repeats            their repeated grids answered both times
 *   consistency        mean adjusted Rand index between a repeated grid's two answers (-1 to 1);
 *                      empty without repeats
 *   gold_grids         their answered grids that showed a known answer
 *   gold_score         mean exam score on those (0 to 100, lk_qc_exam_score()); empty without
 *   flag_inconsistent  1 when consistency is below the study's min-consistency, else 0
 *   flag_low_gold      1 when gold_score is below the study's min-gold-score, else 0
 * A flag leaves no one out: it is there for the experimenter to look at. Numbers are written
 * with a '.' whatever the locale, to 6 significant digits.
 *
 * Known answers CSV: lk_gold_to_csv()'s layout (gold,use,position,image,bin,instructions),
 * which `likeness-cli gold --import` reads back.
 *
 * The JSON export (lk-export.c) carries the same participants' figures under
 * "participants_qc" and the known answers' tables (gold_grid, gold_item).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <json-glib/json-glib.h>
#include <math.h>

#include "lk-export.h"
#include "lk-gold.h"
#include "lk-participants.h"
#include "lk-store-private.h"

#define PARTICIPANTS_HEADER \
  "participant,pilot,status,excluded,answers,median_seconds,agreement,repeats,consistency," \
  "gold_grids,gold_score,flag_inconsistent,flag_low_gold"

/* Appends ",VALUE" to @out, or "," alone when @value is NAN. */
static void
append_number (GString *out,
               double   value)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  g_string_append_c (out, ',');
  if (!isnan (value))
    g_string_append (out, g_ascii_formatd (buf, sizeof buf, "%.6g", value));
}

/**
 * lk_export_participants_csv:
 * @store: a study
 * @path: the CSV file to write, or "-"
 * @error: return location for a #GError
 *
 * Writes the participants' QC figures described at the top of this file. The agreement needs
 * the model: the study is replayed (as `likeness-cli participants` does).
 *
 * Returns: %TRUE on success
 */
gboolean
lk_export_participants_csv (LkStore     *store,
                            const char  *path,
                            GError     **error)
{
  g_autoptr(GString) out = g_string_new (PARTICIPANTS_HEADER "\n");
  g_autoptr(GPtrArray) list = NULL;

  g_return_val_if_fail (store != NULL && path != NULL, FALSE);

  list = lk_participants_list (store, NULL, error);
  if (list == NULL)
    return FALSE;
  for (guint i = 0; i < list->len; i++)
    {
      const LkParticipantInfo *p = g_ptr_array_index (list, i);

      lk_export_append_field (out, p->code);
      g_string_append_printf (out, ",%d,%s,%d,%u", p->pilot ? 1 : 0,
                              p->not_qualified ? "not_qualified" : "active",
                              p->excluded ? 1 : 0, p->answers);
      append_number (out, p->median_seconds);
      append_number (out, p->agreement);
      g_string_append_printf (out, ",%u", p->repeats);
      append_number (out, p->consistency);
      g_string_append_printf (out, ",%u", p->gold_grids);
      append_number (out, p->gold_score);
      g_string_append_printf (out, ",%d,%d\n",
                              (p->flags & LK_PARTICIPANT_FLAG_INCONSISTENT) ? 1 : 0,
                              (p->flags & LK_PARTICIPANT_FLAG_LOW_GOLD) ? 1 : 0);
    }

  return lk_export_write_file (out, path, error);
}

/**
 * lk_export_gold_csv:
 * @store: a study
 * @path: the CSV file to write, or "-"
 * @error: return location for a #GError
 *
 * Writes the study's known answers as lk_gold_to_csv() does (a header alone when there are
 * none).
 *
 * Returns: %TRUE on success
 */
gboolean
lk_export_gold_csv (LkStore     *store,
                    const char  *path,
                    GError     **error)
{
  g_autoptr(GPtrArray) grids = NULL;
  g_autoptr(GPtrArray) paths = NULL;
  g_autofree char *csv = NULL;
  g_autoptr(GString) out = NULL;

  g_return_val_if_fail (store != NULL && path != NULL, FALSE);

  grids = lk_gold_list (store, error);
  if (grids == NULL)
    return FALSE;
  paths = lk_collection_load_paths (store, error);
  if (paths == NULL)
    return FALSE;
  csv = lk_gold_to_csv (grids, paths);
  out = g_string_new (csv);

  return lk_export_write_file (out, path, error);
}

static void
add_number_member (JsonBuilder *b,
                   const char  *name,
                   double       value)
{
  json_builder_set_member_name (b, name);
  if (isnan (value))
    json_builder_add_null_value (b);
  else
    json_builder_add_double_value (b, value);
}

/* Adds the "participants_qc" member: the participants CSV's rows as objects, with the flags
 * as booleans and empty numbers as null. */
gboolean
lk_export_add_participants_json (LkStore      *store,
                                 JsonBuilder  *b,
                                 GError      **error)
{
  g_autoptr(GPtrArray) list = lk_participants_list (store, NULL, error);

  if (list == NULL)
    return FALSE;
  json_builder_set_member_name (b, "participants_qc");
  json_builder_begin_array (b);
  for (guint i = 0; i < list->len; i++)
    {
      const LkParticipantInfo *p = g_ptr_array_index (list, i);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "participant");
      json_builder_add_string_value (b, p->code);
      json_builder_set_member_name (b, "pilot");
      json_builder_add_boolean_value (b, p->pilot);
      json_builder_set_member_name (b, "status");
      json_builder_add_string_value (b, p->not_qualified ? "not_qualified" : "active");
      json_builder_set_member_name (b, "excluded");
      json_builder_add_boolean_value (b, p->excluded);
      json_builder_set_member_name (b, "answers");
      json_builder_add_int_value (b, p->answers);
      add_number_member (b, "median_seconds", p->median_seconds);
      add_number_member (b, "agreement", p->agreement);
      json_builder_set_member_name (b, "repeats");
      json_builder_add_int_value (b, p->repeats);
      add_number_member (b, "consistency", p->consistency);
      json_builder_set_member_name (b, "gold_grids");
      json_builder_add_int_value (b, p->gold_grids);
      add_number_member (b, "gold_score", p->gold_score);
      json_builder_set_member_name (b, "flag_inconsistent");
      json_builder_add_boolean_value (b, (p->flags & LK_PARTICIPANT_FLAG_INCONSISTENT) != 0);
      json_builder_set_member_name (b, "flag_low_gold");
      json_builder_add_boolean_value (b, (p->flags & LK_PARTICIPANT_FLAG_LOW_GOLD) != 0);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);

  return TRUE;
}
