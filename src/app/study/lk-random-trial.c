/* lk-random-trial.c — trials drawn at random: the "random" policy of the demos and of practice
 *
 * The study's own draws (neighbours under a mix of metrics, known pairs, the current
 * clustering) are the core's; these are the calibration draws of the specs' "random" policy
 * (paper 003's random distractors, paper 004's random-pair triplets), which also serve practice
 * items and the in-memory demo studies. An intruder trial needs groups: with labels it takes
 * seven images of one group and one of another (paper 002); without, eight at random and no
 * planted intruder.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "lk-random-trial.h"

/* Fills @out with @n distinct images of 0..@n_items-1 other than those in @out[0..@first-1],
 * from position @first on, drawn uniformly (a partial Fisher–Yates shuffle). */
static void
draw_distinct (guint    n_items,
               guint   *out,
               guint    first,
               guint    n,
               GRand   *rand)
{
  g_autofree guint *all = g_new (guint, n_items);
  guint n_all = 0;

  for (guint i = 0; i < n_items; i++)
    {
      gboolean taken = FALSE;

      for (guint j = 0; j < first && !taken; j++)
        taken = out[j] == i;
      if (!taken)
        all[n_all++] = i;
    }
  g_assert (n <= n_all);
  for (guint i = 0; i < n; i++)
    {
      guint j = (guint) g_rand_int_range (rand, (gint32) i, (gint32) n_all);
      guint t = all[i];

      all[i] = all[j];
      all[j] = t;
      out[first + i] = all[i];
    }
}

/* Returns a random member of group @label, or G_MAXUINT if it has none left out of @used. */
static guint
draw_from_group (const guint *labels,
                 guint        n_items,
                 guint        label,
                 const guint *used,
                 guint        n_used,
                 GRand       *rand)
{
  g_autofree guint *members = g_new (guint, n_items);
  guint n = 0;

  for (guint i = 0; i < n_items; i++)
    {
      gboolean taken = FALSE;

      for (guint j = 0; j < n_used && !taken; j++)
        taken = used[j] == i;
      if (labels[i] == label && !taken)
        members[n++] = i;
    }

  return n > 0 ? members[g_rand_int_range (rand, 0, (gint32) n)] : G_MAXUINT;
}

/* Draws an intruder trial's eight images from groups: seven of one with at least seven
 * members, one of another. Returns FALSE if no two groups allow it. */
static gboolean
draw_intruder (const guint *labels,
               guint        n_items,
               guint        n_labels,
               guint       *items,
               gint        *key,
               GRand       *rand)
{
  g_autofree guint *sizes = g_new0 (guint, n_labels);
  g_autofree guint *big = g_new (guint, n_labels);
  guint n_big = 0, n_nonempty = 0, group, other, intruder, position;

  for (guint i = 0; i < n_items; i++)
    if (labels[i] < n_labels)
      sizes[labels[i]]++;
  for (guint l = 0; l < n_labels; l++)
    {
      if (sizes[l] >= LK_INTRUDER_N_ITEMS - 1)
        big[n_big++] = l;
      if (sizes[l] > 0)
        n_nonempty++;
    }
  if (n_big == 0 || n_nonempty < 2)
    return FALSE;

  group = big[g_rand_int_range (rand, 0, (gint32) n_big)];
  do
    other = (guint) g_rand_int_range (rand, 0, (gint32) n_labels);
  while (other == group || sizes[other] == 0);

  for (guint i = 0; i < LK_INTRUDER_N_ITEMS - 1; i++)
    items[i] = draw_from_group (labels, n_items, group, items, i, rand);
  intruder = draw_from_group (labels, n_items, other, items, 0, rand);
  /* The intruder goes to a random position; the one there moves to the end. */
  position = (guint) g_rand_int_range (rand, 0, LK_INTRUDER_N_ITEMS);
  items[LK_INTRUDER_N_ITEMS - 1] = items[position];
  items[position] = intruder;
  *key = (gint) position;

  return TRUE;
}

/**
 * lk_random_trial_new:
 * @kind: a task kind that is not sorting
 * @n_items: the collection's size (at least the trial's images)
 * @match_page: the match task's candidates per page (the page is smaller on a small collection)
 * @labels: (nullable) (array length=n_items): each image's group, for intruder trials
 * @n_labels: the number of groups
 * @rand: where the draws come from
 *
 * A trial of distinct images drawn uniformly: a triplet with its sides drawn too, five
 * candidates, a page of match candidates, or an intruder trial (planted, with its position in
 * @key, when @labels allow it). No known partner: @key is -1 but for a planted intruder.
 *
 * Returns: (transfer full) (nullable): the trial, or %NULL when the collection is too small
 */
LkTrial *
lk_random_trial_new (LkTaskKind   kind,
                     guint        n_items,
                     guint        match_page,
                     const guint *labels,
                     guint        n_labels,
                     GRand       *rand)
{
  guint items[LK_INTRUDER_N_ITEMS + 64];
  guint n = 0;
  gint key = -1;
  gboolean swapped = FALSE;
  LkTrial *trial;

  g_return_val_if_fail (!lk_task_kind_is_sorting (kind), NULL);
  g_return_val_if_fail (rand != NULL, NULL);

  switch (kind)
    {
    case LK_TASK_TRIPLET:
      n = LK_TRIPLET_N_ITEMS;
      break;
    case LK_TASK_CHOICE5:
      n = LK_CHOICE5_N_ITEMS;
      break;
    case LK_TASK_MATCH:
      n = 1 + CLAMP (match_page, 2, 64);
      n = MIN (n, n_items);
      break;
    case LK_TASK_INTRUDER:
      n = LK_INTRUDER_N_ITEMS;
      break;
    case LK_TASK_SORT:
    case LK_TASK_TRAINING:
    case LK_TASK_EXAM:
    default:
      g_return_val_if_reached (NULL);
    }
  if (n_items < n || n < 3)
    return NULL;

  if (kind != LK_TASK_INTRUDER || labels == NULL
      || !draw_intruder (labels, n_items, n_labels, items, &key, rand))
    draw_distinct (n_items, items, 0, n, rand);
  if (kind == LK_TASK_TRIPLET)
    swapped = g_rand_boolean (rand);

  trial = lk_trial_new (kind, items, n);
  trial->key = key;
  trial->swapped = swapped;

  return trial;
}
