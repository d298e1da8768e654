/* lk-cli-participants.c — likeness-cli participants: who sorted how, and leaving a participant
 * out of the model and back in
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <math.h>
#include <stdio.h>

#include <json-glib/json-glib.h>

#include "lk-cli.h"
#include "lk-participants.h"
#include "lk-store.h"

static void
add_number (JsonBuilder *b,
            const char  *name,
            double       value)
{
  json_builder_set_member_name (b, name);
  if (isnan (value))
    json_builder_add_null_value (b);
  else
    json_builder_add_double_value (b, value);
}

static void
print_json (GPtrArray *list)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "participants");
  json_builder_begin_array (b);
  for (guint i = 0; i < list->len; i++)
    {
      const LkParticipantInfo *p = g_ptr_array_index (list, i);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "code");
      json_builder_add_string_value (b, p->code);
      json_builder_set_member_name (b, "worker");
      json_builder_add_int_value (b, p->worker);
      json_builder_set_member_name (b, "answers");
      json_builder_add_int_value (b, p->answers);
      add_number (b, "median_seconds", p->median_seconds);
      json_builder_set_member_name (b, "pilot");
      json_builder_add_boolean_value (b, p->pilot);
      json_builder_set_member_name (b, "excluded");
      json_builder_add_boolean_value (b, p->excluded);
      json_builder_set_member_name (b, "pairs");
      json_builder_add_int_value (b, p->pairs);
      add_number (b, "agreement", p->agreement);
      json_builder_set_member_name (b, "status");
      json_builder_add_string_value (b, p->not_qualified ? "not_qualified" : "active");
      json_builder_set_member_name (b, "repeats");
      json_builder_add_int_value (b, p->repeats);
      add_number (b, "consistency", p->consistency);
      json_builder_set_member_name (b, "gold_grids");
      json_builder_add_int_value (b, p->gold_grids);
      add_number (b, "gold_score", p->gold_score);
      json_builder_set_member_name (b, "flags");
      json_builder_begin_array (b);
      if (p->flags & LK_PARTICIPANT_FLAG_INCONSISTENT)
        json_builder_add_string_value (b, "inconsistent");
      if (p->flags & LK_PARTICIPANT_FLAG_LOW_GOLD)
        json_builder_add_string_value (b, "low-gold");
      json_builder_end_array (b);
      json_builder_set_member_name (b, "criterion");
      json_builder_add_string_value (b, lk_criterion_kind_to_string (p->criterion_kind));
      json_builder_set_member_name (b, "criterion_values");
      if (p->criterion == NULL)
        json_builder_add_null_value (b);
      else
        {
          json_builder_begin_array (b);
          for (guint c = 0; c < p->criterion->len; c++)
            json_builder_add_double_value (b, g_array_index (p->criterion, double, c));
          json_builder_end_array (b);
        }
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);

  root = json_builder_get_root (b);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  text = json_generator_to_data (generator, NULL);
  printf ("%s\n", text);
}

static void
print_text (GPtrArray *list)
{
  printf ("%-16s %7s %9s %5s %8s %9s %-13s %11s %6s %-21s  %s\n", "code", "answers", "median_s",
          "pilot", "excluded", "agreement", "status", "consistency", "gold", "flags",
          "criterion");
  for (guint i = 0; i < list->len; i++)
    {
      const LkParticipantInfo *p = g_ptr_array_index (list, i);
      g_autoptr(GString) criterion = g_string_new (NULL);
      g_autofree char *flags = lk_participant_flags_to_string (p->flags);
      char median[32], agreement[32], consistency[32], gold[32];

      if (isnan (p->median_seconds))
        g_strlcpy (median, "-", sizeof median);
      else
        g_snprintf (median, sizeof median, "%.1f", p->median_seconds);
      if (isnan (p->agreement))
        g_strlcpy (agreement, "-", sizeof agreement);
      else
        g_snprintf (agreement, sizeof agreement, "%.1f%%", 100 * p->agreement);
      if (isnan (p->consistency))
        g_strlcpy (consistency, "-", sizeof consistency);
      else
        g_snprintf (consistency, sizeof consistency, "%.2f", p->consistency);
      if (isnan (p->gold_score))
        g_strlcpy (gold, "-", sizeof gold);
      else
        g_snprintf (gold, sizeof gold, "%.1f", p->gold_score);
      if (p->criterion != NULL)
        {
          g_string_append_printf (criterion, "%s", lk_criterion_kind_to_string (p->criterion_kind));
          for (guint c = 0; c < p->criterion->len; c++)
            g_string_append_printf (criterion, "%s%.3f", c == 0 ? " " : ",",
                                    g_array_index (p->criterion, double, c));
        }
      else
        g_string_append_c (criterion, '-');
      printf ("%-16s %7u %9s %5s %8s %9s %-13s %11s %6s %-21s  %s\n", p->code, p->answers,
              median, p->pilot ? "yes" : "no", p->excluded ? "yes" : "no", agreement,
              p->not_qualified ? "not-qualified" : "active", consistency, gold,
              flags[0] != '\0' ? flags : "-", criterion->str);
    }
}

int
lk_cli_participants (int    argc,
                     char **argv)
{
  g_autofree char *exclude = NULL, *include = NULL;
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "exclude", 0, 0, G_OPTION_ARG_STRING, &exclude,
      "leave this participant out of the model (their answers stay stored)", "CODE" },
    { "include", 0, 0, G_OPTION_ARG_STRING, &include,
      "bring a participant left out back into the model", "CODE" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "print JSON", NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(LkStore) store = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;

  context = lk_cli_parse ("participants", "STUDY",
                          "Lists each participant of a study: answers, median seconds per grid, "
                          "pilot, left out of the model, agreement with the model (the share of "
                          "their pair results it predicts) and the model's criterion for them "
                          "(cen: attribute weights; crowdcluster: bias); status (active, or "
                          "not qualified: failed the exam, left out of the model), consistency "
                          "(mean adjusted Rand index between a repeated grid's two answers), "
                          "gold (mean score 0-100 on grids with a known answer) and the flags "
                          "they raise below the study's min-consistency and min-gold-score "
                          "settings (a flag leaves no one out). The model is the study's "
                          "replay, without the participants left out.",
                          entries, NULL, &argc, &argv, 1, &status);
  if (context == NULL)
    return status;
  if (exclude != NULL && include != NULL)
    return lk_cli_usage_error ("participants", "give --exclude or --include, not both");

  store = lk_store_open (argv[1], exclude != NULL || include != NULL ? LK_STORE_OPEN_DEFAULT
                                                                     : LK_STORE_OPEN_READ_ONLY,
                         &error);
  if (store == NULL)
    return lk_cli_failure ("participants", error);
  if ((exclude != NULL && !lk_participants_set_excluded (store, exclude, TRUE, &error)) ||
      (include != NULL && !lk_participants_set_excluded (store, include, FALSE, &error)))
    return lk_cli_failure ("participants", error);

  list = lk_participants_list (store, NULL, &error);
  if (list == NULL)
    return lk_cli_failure ("participants", error);
  if (json)
    print_json (list);
  else
    print_text (list);

  return 0;
}
