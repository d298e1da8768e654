/* lk-query.c
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "lk-query.h"

#include <string.h>

#include "lk-error.h"

struct _LkQuery {
  guint  n_items;
  guint *items;
  gint  *bins;
  guint  participant;
};

/**
 * lk_query_new:
 * @items: (array length=n_items): item ids in display order, all distinct
 * @n_items: number of items in the grid (nq)
 *
 * Creates an unanswered clustering query.
 *
 * Returns: (transfer full): a new query
 */
LkQuery *
lk_query_new (const guint *items,
              guint        n_items)
{
  LkQuery *self;

  g_return_val_if_fail (items != NULL || n_items == 0, NULL);

  self = g_new0 (LkQuery, 1);
  self->n_items = n_items;
  self->items = g_memdup2 (items, sizeof (guint) * n_items);
  self->bins = g_new (gint, n_items);
  self->participant = LK_PARTICIPANT_UNKNOWN;
  for (guint i = 0; i < n_items; i++)
    self->bins[i] = LK_BIN_UNANSWERED;

  return self;
}

LkQuery *
lk_query_copy (const LkQuery *self)
{
  LkQuery *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = lk_query_new (self->items, self->n_items);
  memcpy (copy->bins, self->bins, sizeof (gint) * self->n_items);
  copy->participant = self->participant;

  return copy;
}

void
lk_query_free (LkQuery *self)
{
  if (self == NULL)
    return;

  g_free (self->items);
  g_free (self->bins);
  g_free (self);
}

guint
lk_query_get_n_items (const LkQuery *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->n_items;
}

guint
lk_query_get_item (const LkQuery *self,
                   guint          position)
{
  g_return_val_if_fail (self != NULL, 0);
  g_return_val_if_fail (position < self->n_items, 0);

  return self->items[position];
}

const guint *
lk_query_get_items (const LkQuery *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->items;
}

/**
 * lk_query_set_answer:
 * @self: a query
 * @bins: (array): one bin per item in display order: 0..@nc-1 or %LK_BIN_LEFT_OUT
 * @nc: number of bins of the grid
 * @error: return location for a #GError
 *
 * Records the participant's sorting. The query is left unchanged on error.
 *
 * Returns: %TRUE if @bins is a valid answer
 */
gboolean
lk_query_set_answer (LkQuery    *self,
                     const gint *bins,
                     guint       nc,
                     GError    **error)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (bins != NULL, FALSE);

  for (guint i = 0; i < self->n_items; i++)
    {
      if (bins[i] != LK_BIN_LEFT_OUT && (bins[i] < 0 || (guint) bins[i] >= nc))
        {
          g_set_error (error, LK_CORE_ERROR, LK_CORE_ERROR_INVALID_ARGUMENT,
                       "bin %d of item %u is neither a bin 0..%u nor left out",
                       bins[i], self->items[i], nc - 1);
          return FALSE;
        }
    }

  memcpy (self->bins, bins, sizeof (gint) * self->n_items);

  return TRUE;
}

gboolean
lk_query_is_answered (const LkQuery *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return self->n_items == 0 || self->bins[0] != LK_BIN_UNANSWERED;
}

gint
lk_query_get_bin (const LkQuery *self,
                  guint          position)
{
  g_return_val_if_fail (self != NULL, LK_BIN_UNANSWERED);
  g_return_val_if_fail (position < self->n_items, LK_BIN_UNANSWERED);

  return self->bins[position];
}

/**
 * lk_query_pair_result:
 * @self: an answered query
 * @position_a: position of one item in the grid
 * @position_b: position of another
 *
 * What the answer says about a pair. Two items in one bin are a positive result, two in
 * different bins a negative one. A left-out item is negative against every binned item and
 * tells nothing against other left-out items: the paper (`000_b28b33f9dbf275aa.txt`, section 4)
 * infers only that "the leftover images are less similar to the images within the bins".
 *
 * Returns: the pair result
 */
LkPairResult
lk_query_pair_result (const LkQuery *self,
                      guint          position_a,
                      guint          position_b)
{
  gint a, b;

  g_return_val_if_fail (self != NULL, LK_PAIR_NONE);
  g_return_val_if_fail (position_a < self->n_items && position_b < self->n_items, LK_PAIR_NONE);

  a = self->bins[position_a];
  b = self->bins[position_b];

  if (position_a == position_b || a == LK_BIN_UNANSWERED || b == LK_BIN_UNANSWERED)
    return LK_PAIR_NONE;
  if (a == LK_BIN_LEFT_OUT && b == LK_BIN_LEFT_OUT)
    return LK_PAIR_NONE;
  if (a == b)
    return LK_PAIR_POSITIVE;

  return LK_PAIR_NEGATIVE;
}

/**
 * lk_query_set_participant:
 * @self: a query
 * @participant: who answers it: a number that is the same for every answer of one person, or
 *   %LK_PARTICIPANT_UNKNOWN
 *
 * Methods that model each participant (cen) read it; the others ignore it.
 */
void
lk_query_set_participant (LkQuery *self,
                          guint    participant)
{
  g_return_if_fail (self != NULL);

  self->participant = participant;
}

guint
lk_query_get_participant (const LkQuery *self)
{
  g_return_val_if_fail (self != NULL, LK_PARTICIPANT_UNKNOWN);

  return self->participant;
}
