/* lk-plan.c — parsing and printing a session plan
 *
 * A plan is written as comma-separated blocks KIND:COUNT[:PRACTICE], for example
 * "sort:30,triplet:20" or "training:5,exam:5:0,sort:30:2". KIND is a task kind's name
 * (lk-trial.h), COUNT the block's grids or trials, PRACTICE the practice items before it
 * (default 0; a study's practice-grids setting applies to a plan that gives none, see
 * lk-session-settings.c). The form is the same on the command line (`--plan`), in the study
 * file's setting table (key "plan") and in the exports, so what a user types is what is kept.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "lk-plan.h"

#include <string.h>

#include "lk-error.h"

/* The largest count or practice a block takes: far more than a session can hold, small
 * enough that a plan's total cannot overflow a guint. */
#define MAX_COUNT 100000

/**
 * lk_plan_init_sort:
 * @plan: (out caller-allocates): the plan to set
 * @grids: sorting grids per participant (at least 1)
 * @practice: practice grids before them
 *
 * The plan of a study that gives none: one sorting block.
 */
void
lk_plan_init_sort (LkPlan *plan,
                   guint   grids,
                   guint   practice)
{
  g_return_if_fail (plan != NULL);

  memset (plan, 0, sizeof *plan);
  plan->n_blocks = 1;
  plan->blocks[0].kind = LK_TASK_SORT;
  plan->blocks[0].count = MAX (grids, 1);
  plan->blocks[0].practice = practice;
}

static gboolean
parse_number (const char  *text,
              const char  *what,
              const char  *block,
              guint        min,
              guint       *out,
              GError     **error)
{
  guint64 value;

  if (!g_ascii_string_to_unsigned (text, 10, min, MAX_COUNT, &value, NULL))
    {
      g_set_error (error, LK_CORE_ERROR, LK_CORE_ERROR_PARSE,
                   "The block \"%s\": its %s \"%s\" is not a whole number from %u to %u",
                   block, what, text, min, MAX_COUNT);
      return FALSE;
    }
  *out = (guint) value;

  return TRUE;
}

/**
 * lk_plan_parse:
 * @text: a plan, as the file comment says
 * @plan: (out caller-allocates): the plan read
 * @error: return location for a #GError
 *
 * Reads a plan; spaces around blocks and fields are allowed. Nothing is checked against a
 * study here (that a collection is large enough for a block's task is the study's rule).
 *
 * Returns: %TRUE on success; on failure @error names the block and what is wrong with it
 */
gboolean
lk_plan_parse (const char  *text,
               LkPlan      *plan,
               GError     **error)
{
  g_auto (GStrv) blocks = NULL;
  LkPlan parsed = { 0 };

  g_return_val_if_fail (plan != NULL, FALSE);

  if (text == NULL || text[strspn (text, " \t\n")] == '\0')
    {
      g_set_error (error, LK_CORE_ERROR, LK_CORE_ERROR_PARSE,
                   "The session plan is empty; give blocks such as sort:30,triplet:20");
      return FALSE;
    }

  blocks = g_strsplit (text, ",", -1);
  for (guint b = 0; blocks[b] != NULL; b++)
    {
      g_auto (GStrv) fields = NULL;
      LkPlanBlock *block;
      char *name = g_strstrip (blocks[b]);
      guint n_fields;

      if (parsed.n_blocks == LK_PLAN_MAX_BLOCKS)
        {
          g_set_error (error, LK_CORE_ERROR, LK_CORE_ERROR_PARSE,
                       "The session plan has more than %u blocks", LK_PLAN_MAX_BLOCKS);
          return FALSE;
        }

      fields = g_strsplit (name, ":", -1);
      n_fields = g_strv_length (fields);
      for (guint f = 0; f < n_fields; f++)
        g_strstrip (fields[f]);
      if (n_fields < 2 || n_fields > 3)
        {
          g_set_error (error, LK_CORE_ERROR, LK_CORE_ERROR_PARSE,
                       "The block \"%s\" is not KIND:COUNT or KIND:COUNT:PRACTICE", name);
          return FALSE;
        }

      block = &parsed.blocks[parsed.n_blocks];
      if (!lk_task_kind_from_string (fields[0], &block->kind))
        {
          g_set_error (error, LK_CORE_ERROR, LK_CORE_ERROR_PARSE,
                       "The block \"%s\": \"%s\" is not a task (sort, triplet, choice5, match, "
                       "intruder, training or exam)", name, fields[0]);
          return FALSE;
        }
      if (!parse_number (fields[1], "count", name, 1, &block->count, error) ||
          (n_fields == 3 &&
           !parse_number (fields[2], "number of practice items", name, 0, &block->practice, error)))
        return FALSE;

      parsed.n_blocks++;
    }

  *plan = parsed;

  return TRUE;
}

/**
 * lk_plan_to_string:
 * @plan: a plan
 *
 * Returns: (transfer full): @plan in the form lk_plan_parse() reads; the practice field only
 *   where it is not 0
 */
char *
lk_plan_to_string (const LkPlan *plan)
{
  GString *text = g_string_new (NULL);

  g_return_val_if_fail (plan != NULL, NULL);

  for (guint b = 0; b < plan->n_blocks; b++)
    {
      const LkPlanBlock *block = &plan->blocks[b];

      g_string_append_printf (text, "%s%s:%u", b > 0 ? "," : "",
                              lk_task_kind_to_string (block->kind), block->count);
      if (block->practice > 0)
        g_string_append_printf (text, ":%u", block->practice);
    }

  return g_string_free (text, FALSE);
}

/* The grids and trials of every block, practice not counted. */
guint
lk_plan_total (const LkPlan *plan)
{
  guint total = 0;

  g_return_val_if_fail (plan != NULL, 0);

  for (guint b = 0; b < plan->n_blocks; b++)
    total += plan->blocks[b].count;

  return total;
}

/* The grids or trials of the blocks of @kind. */
guint
lk_plan_count_kind (const LkPlan *plan,
                    LkTaskKind    kind)
{
  guint total = 0;

  g_return_val_if_fail (plan != NULL, 0);

  for (guint b = 0; b < plan->n_blocks; b++)
    if (plan->blocks[b].kind == kind)
      total += plan->blocks[b].count;

  return total;
}

/**
 * lk_plan_locate:
 * @plan: a plan
 * @done: how many grids and trials a participant has answered (practice not counted)
 * @block: (out) (optional): the block their next one belongs to
 * @index: (out) (optional): its 0-based position within that block
 *
 * Where a participant who has answered @done items goes on: a code coming back resumes in
 * the block it left.
 *
 * Returns: %FALSE when @done covers the whole plan
 */
gboolean
lk_plan_locate (const LkPlan *plan,
                guint         done,
                guint        *block,
                guint        *index)
{
  g_return_val_if_fail (plan != NULL, FALSE);

  for (guint b = 0; b < plan->n_blocks; b++)
    {
      if (done < plan->blocks[b].count)
        {
          if (block != NULL)
            *block = b;
          if (index != NULL)
            *index = done;
          return TRUE;
        }
      done -= plan->blocks[b].count;
    }

  return FALSE;
}
