/* lk-trial.c — task kinds, trials and the comparisons their answers imply
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "lk-trial.h"

#include "lk-error.h"
#include "lk-scores.h"

/* The names used in session plans, the study file's query.kind and the exports. */
static const char *const kind_names[LK_N_TASK_KINDS] = {
  [LK_TASK_SORT] = "sort",
  [LK_TASK_TRIPLET] = "triplet",
  [LK_TASK_CHOICE5] = "choice5",
  [LK_TASK_MATCH] = "match",
  [LK_TASK_INTRUDER] = "intruder",
  [LK_TASK_TRAINING] = "training",
  [LK_TASK_EXAM] = "exam",
};

const char *
lk_task_kind_to_string (LkTaskKind kind)
{
  g_return_val_if_fail ((guint) kind < LK_N_TASK_KINDS, NULL);

  return kind_names[kind];
}

/**
 * lk_task_kind_from_string:
 * @name: a kind's name, as lk_task_kind_to_string() gives it
 * @kind: (out): the kind
 *
 * Returns: %TRUE when @name is a kind's name
 */
gboolean
lk_task_kind_from_string (const char *name,
                          LkTaskKind *kind)
{
  g_return_val_if_fail (kind != NULL, FALSE);

  if (name == NULL)
    return FALSE;
  for (guint k = 0; k < LK_N_TASK_KINDS; k++)
    if (g_str_equal (name, kind_names[k]))
      {
        *kind = (LkTaskKind) k;
        return TRUE;
      }

  return FALSE;
}

/* Whether a block of @kind shows sorting grids (answered with bins, stored as queries). */
gboolean
lk_task_kind_is_sorting (LkTaskKind kind)
{
  return kind == LK_TASK_SORT || kind == LK_TASK_TRAINING || kind == LK_TASK_EXAM;
}

/**
 * lk_trial_new:
 * @kind: a kind that is not sorting
 * @items: (array length=n_items): the images, in the order lk-trial.h gives for @kind
 * @n_items: their number
 *
 * Returns: (transfer full): an unanswered trial, not swapped, without key or group
 */
LkTrial *
lk_trial_new (LkTaskKind   kind,
              const guint *items,
              guint        n_items)
{
  LkTrial *self;

  g_return_val_if_fail (!lk_task_kind_is_sorting (kind), NULL);
  g_return_val_if_fail (items != NULL || n_items == 0, NULL);

  self = g_new0 (LkTrial, 1);
  self->kind = kind;
  self->items = g_memdup2 (items, sizeof (guint) * n_items);
  self->n_items = n_items;
  self->key = -1;
  self->choice = LK_TRIAL_UNANSWERED;
  self->participant = LK_PARTICIPANT_UNKNOWN;

  return self;
}

LkTrial *
lk_trial_copy (const LkTrial *self)
{
  LkTrial *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = g_memdup2 (self, sizeof (LkTrial));
  copy->items = g_memdup2 (self->items, sizeof (guint) * self->n_items);

  return copy;
}

void
lk_trial_free (LkTrial *self)
{
  if (self == NULL)
    return;
  g_free (self->items);
  g_free (self);
}

gboolean
lk_trial_is_answered (const LkTrial *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return self->choice != LK_TRIAL_UNANSWERED;
}

/**
 * lk_trial_validate:
 * @self: a trial
 * @error: return location for a #GError
 *
 * Checks what a trial read from a file or built from a participant's keys must satisfy: its
 * number of images for its kind (a match page at least one candidate), distinct images, a key
 * inside the trial, an answer its kind allows (or none yet).
 *
 * Returns: %TRUE when @self is well formed
 */
gboolean
lk_trial_validate (const LkTrial  *self,
                   GError        **error)
{
  guint expected = 0;
  gboolean choice_ok;

  g_return_val_if_fail (self != NULL, FALSE);

  switch (self->kind)
    {
    case LK_TASK_TRIPLET:
      expected = LK_TRIPLET_N_ITEMS;
      break;
    case LK_TASK_CHOICE5:
      expected = LK_CHOICE5_N_ITEMS;
      break;
    case LK_TASK_INTRUDER:
      expected = LK_INTRUDER_N_ITEMS;
      break;
    case LK_TASK_MATCH:
      expected = MAX (self->n_items, 2);
      break;
    case LK_TASK_SORT:
    case LK_TASK_TRAINING:
    case LK_TASK_EXAM:
    default:
      g_set_error (error, LK_CORE_ERROR, LK_CORE_ERROR_INVALID_ARGUMENT,
                   "A %s task is answered with bins, not as a trial",
                   (guint) self->kind < LK_N_TASK_KINDS ? kind_names[self->kind] : "unknown");
      return FALSE;
    }

  if (self->n_items != expected)
    {
      g_set_error (error, LK_CORE_ERROR, LK_CORE_ERROR_INVALID_ARGUMENT,
                   "A %s trial shows %u images, not %u", kind_names[self->kind],
                   expected, self->n_items);
      return FALSE;
    }

  for (guint i = 0; i < self->n_items; i++)
    for (guint j = i + 1; j < self->n_items; j++)
      if (self->items[i] == self->items[j])
        {
          g_set_error (error, LK_CORE_ERROR, LK_CORE_ERROR_INVALID_ARGUMENT,
                       "A %s trial shows image %u twice (positions %u and %u)",
                       kind_names[self->kind], self->items[i], i, j);
          return FALSE;
        }

  if (self->key < -1 || self->key >= (gint) self->n_items ||
      ((self->kind == LK_TASK_CHOICE5 || self->kind == LK_TASK_MATCH) && self->key == 0))
    {
      g_set_error (error, LK_CORE_ERROR, LK_CORE_ERROR_INVALID_ARGUMENT,
                   "A %s trial's known answer %d is not one of its candidates",
                   kind_names[self->kind], self->key);
      return FALSE;
    }

  if (self->choice == LK_TRIAL_UNANSWERED)
    return TRUE;

  switch (self->kind)
    {
    case LK_TASK_TRIPLET:
      choice_ok = self->choice >= LK_TRIPLET_ANSWER_BOTH_SIMILAR &&
                  self->choice <= LK_TRIPLET_ANSWER_B_CLOSER;
      break;
    case LK_TASK_MATCH:
      choice_ok = self->choice == LK_TRIAL_NONE ||
                  (self->choice >= 1 && self->choice < (gint) self->n_items);
      break;
    case LK_TASK_CHOICE5:
      choice_ok = self->choice >= 1 && self->choice < (gint) self->n_items;
      break;
    case LK_TASK_INTRUDER:
    default:
      choice_ok = self->choice >= 0 && self->choice < (gint) self->n_items;
      break;
    }

  if (!choice_ok)
    {
      g_set_error (error, LK_CORE_ERROR, LK_CORE_ERROR_INVALID_ARGUMENT,
                   "%d is not an answer a %s trial can have", self->choice,
                   kind_names[self->kind]);
      return FALSE;
    }

  return TRUE;
}

static void
add (GArray *out,
     guint   anchor,
     guint   near,
     guint   far)
{
  LkTrialComparison c = { anchor, near, far };

  g_array_append_val (out, c);
}

/**
 * lk_trial_comparisons:
 * @self: an answered trial (an unanswered one implies nothing)
 * @out: an array of #LkTrialComparison the comparisons are appended to
 *
 * The comparisons "anchor is closer to near than to far" that the answer states:
 *
 * - triplet: "A closer" gives (Q, A, B), "B closer" (Q, B, A); "both similar" and "both
 *   dissimilar" order nothing (paper 004 leaves them out of its scores too);
 * - choice5: the chosen candidate c against each of the four others: (Q, c, o);
 * - match: the chosen candidate against every other candidate of the page; "none" gives
 *   nothing (the page only says none was like Q, not which was least unlike);
 * - intruder: the chosen image x is the odd one, so the other seven are closer to each other
 *   than to x. Of the 42 ordered pairs among the seven, one per image is kept: (s_i, s_i+1, x)
 *   with s the seven in the order shown, cyclically, so an intruder answer weighs 7
 *   comparisons, near a choice5 answer's 4, rather than 42. The participant's choice is used,
 *   not the planted intruder: it is their judgement that is learned.
 *
 * Returns: the number appended
 */
guint
lk_trial_comparisons (const LkTrial *self,
                      GArray        *out)
{
  guint before;

  g_return_val_if_fail (self != NULL, 0);
  g_return_val_if_fail (out != NULL, 0);
  g_return_val_if_fail (g_array_get_element_size (out) == sizeof (LkTrialComparison), 0);

  before = out->len;
  if (!lk_trial_is_answered (self) || self->choice == LK_TRIAL_NONE)
    return 0;

  switch (self->kind)
    {
    case LK_TASK_TRIPLET:
      if (self->n_items != LK_TRIPLET_N_ITEMS)
        break;
      if (self->choice == LK_TRIPLET_ANSWER_A_CLOSER)
        add (out, self->items[0], self->items[1], self->items[2]);
      else if (self->choice == LK_TRIPLET_ANSWER_B_CLOSER)
        add (out, self->items[0], self->items[2], self->items[1]);
      break;

    case LK_TASK_CHOICE5:
    case LK_TASK_MATCH:
      if (self->choice < 1 || self->choice >= (gint) self->n_items)
        break;
      for (guint i = 1; i < self->n_items; i++)
        if ((gint) i != self->choice)
          add (out, self->items[0], self->items[self->choice], self->items[i]);
      break;

    case LK_TASK_INTRUDER:
      {
        guint seven[LK_INTRUDER_N_ITEMS];
        guint n = 0;

        if (self->n_items != LK_INTRUDER_N_ITEMS || self->choice < 0 ||
            self->choice >= (gint) self->n_items)
          break;
        for (guint i = 0; i < self->n_items; i++)
          if ((gint) i != self->choice)
            seven[n++] = self->items[i];
        for (guint i = 0; i < n; i++)
          add (out, seven[i], seven[(i + 1) % n], self->items[self->choice]);
      }
      break;

    case LK_TASK_SORT:
    case LK_TASK_TRAINING:
    case LK_TASK_EXAM:
    default:
      break;
    }

  return out->len - before;
}
