/* lk-check-grids.c — which of a session's grids check its participant: repeats and catch grids
 *
 * A study file's run (lk-study-run.c) and a lab station's run (lk-lab-run.c) mix the same checks
 * into a session's sorting grids, by the same rule (lk_check_grids_next()); each run only stores
 * their answers its own way (lk_answers_save_check() in a file, lk_lab_submit_marked() in the
 * lab) and counts them, never giving them to the model. One LkCheckGrids lives for one session:
 * the settings and the gold grids are read when it is made.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <math.h>
#include <string.h>

#include "lk-check-grids.h"

/* One grid the session answered: its query (0 for a check grid or one drawn on the spot, which
 * are never repeated), its images as shown, and whether it was shown again already. */
typedef struct {
  gint64    query;
  guint    *items;
  guint     n_items;
  gboolean  repeated;
} Answered;

struct _LkCheckGrids
{
  double      repeat_share;
  double      gold_share;
  GPtrArray  *gold;       /* LkGoldGrid: exam grids that fit the study's page, not shown yet */
  GArray     *answered;   /* Answered: the session's sorting grids, in answer order */
  guint       n_repeats;
  guint       n_catches;
  LkQuery    *check;      /* the check grid served last, unanswered, or NULL */
  gint64      repeat_of;
  gint64      gold_id;
};

static void
answered_clear (gpointer data)
{
  g_free (((Answered *) data)->items);
}

/**
 * lk_check_grids_new:
 * @repeat_share: the study's setting repeat-share (0 for no repeats)
 * @gold_share: its setting gold-share (0 for no catch grids)
 * @gold: (transfer full) (nullable) (element-type LkGoldGrid): the study's gold grids
 * @params: the study's parameters
 *
 * Only the exam's gold grids of nq images in at most nc bins serve as catch grids: a grid of
 * another size would give itself away, and a training grid is one the participant was shown
 * with its answer.
 *
 * Returns: (transfer full): the session's checks
 */
LkCheckGrids *
lk_check_grids_new (double          repeat_share,
                    double          gold_share,
                    GPtrArray      *gold,
                    const LkParams *params)
{
  LkCheckGrids *self = g_new0 (LkCheckGrids, 1);

  self->repeat_share = MAX (repeat_share, 0);
  self->gold_share = MAX (gold_share, 0);
  self->answered = g_array_new (FALSE, FALSE, sizeof (Answered));
  g_array_set_clear_func (self->answered, answered_clear);
  self->gold = gold;
  for (guint i = self->gold != NULL ? self->gold->len : 0; i-- > 0;)
    {
      const LkGoldGrid *grid = g_ptr_array_index (self->gold, i);

      if (grid->use != LK_GOLD_USE_EXAM || grid->nc > params->nc
          || lk_query_get_n_items (grid->answer) != params->nq)
        g_ptr_array_remove_index (self->gold, i);
    }

  return self;
}

void
lk_check_grids_free (LkCheckGrids *self)
{
  if (self == NULL)
    return;
  g_clear_pointer (&self->gold, g_ptr_array_unref);
  g_array_unref (self->answered);
  g_clear_pointer (&self->check, lk_query_free);
  g_free (self);
}

/* Returns @items (n of them) in an order shuffled with @rng, as a grid. */
static LkQuery *
shuffled_grid (gsl_rng     *rng,
               const guint *items,
               guint        n)
{
  g_autofree guint *order = g_memdup2 (items, n * sizeof (guint));

  for (guint i = n; i > 1; i--)
    {
      guint j = (guint) gsl_rng_uniform_int (rng, i), t = order[i - 1];

      order[i - 1] = order[j];
      order[j] = t;
    }

  return lk_query_new (order, n);
}

/**
 * lk_check_grids_next:
 * @rng: the run's generator
 *
 * The session's next grid when it is to be a check. The rule, with p the position the grid
 * would have among the session's answered grids (1-based, checks included):
 * - a repeat when floor(repeat-share x p) exceeds the repeats served and one of the session's
 *   own grids was answered at least %LK_CHECK_GRIDS_REPEAT_GAP grids before p and not repeated
 *   yet: one of those, drawn at random, its images in a new order (so it is never the grid just
 *   answered, and a participant has no order to recognise);
 * - else a catch grid when floor(gold-share x p) exceeds the catch grids served: an exam grid
 *   the session has not shown, drawn at random, in a random order.
 * A grid drawn on the spot is never repeated (its query row is made with its answer). The
 * checks count as any grid among the participant's grids (the session's counter,
 * grids-per-participant) and in the study's budget, so the counter's "of N" never moves; the
 * model is never given them.
 *
 * Returns: (transfer none) (nullable): the check grid to serve (its query id is 0; say which
 *   check with lk_check_grids_get_repeat_of() and lk_check_grids_get_gold()), or %NULL for a
 *   grid of the study's own
 */
const LkQuery *
lk_check_grids_next (LkCheckGrids *self,
                     gsl_rng      *rng)
{
  guint p;

  g_return_val_if_fail (self != NULL && rng != NULL, NULL);

  g_clear_pointer (&self->check, lk_query_free);
  self->repeat_of = self->gold_id = 0;
  p = self->answered->len + 1;

  if ((guint) floor (self->repeat_share * p + 1e-9) > self->n_repeats
      && p > LK_CHECK_GRIDS_REPEAT_GAP + 1)
    {
      g_autoptr(GArray) eligible = g_array_new (FALSE, FALSE, sizeof (guint));

      for (guint i = 0; i + 1 + LK_CHECK_GRIDS_REPEAT_GAP < p; i++)
        if (g_array_index (self->answered, Answered, i).query > 0
            && !g_array_index (self->answered, Answered, i).repeated)
          g_array_append_val (eligible, i);
      if (eligible->len > 0)
        {
          guint pick = g_array_index (eligible, guint,
                                      gsl_rng_uniform_int (rng, eligible->len));
          Answered *first = &g_array_index (self->answered, Answered, pick);

          first->repeated = TRUE;
          self->repeat_of = first->query;
          self->check = shuffled_grid (rng, first->items, first->n_items);
          return self->check;
        }
    }

  if ((guint) floor (self->gold_share * p + 1e-9) > self->n_catches
      && self->gold != NULL && self->gold->len > 0)
    {
      guint pick = (guint) gsl_rng_uniform_int (rng, self->gold->len);
      g_autoptr(LkGoldGrid) gold = g_ptr_array_steal_index (self->gold, pick);

      self->gold_id = gold->id;
      self->check = shuffled_grid (rng, lk_query_get_items (gold->answer),
                                   lk_query_get_n_items (gold->answer));
      return self->check;
    }

  return NULL;
}

/* Returns: the query the check served last shows again, or 0 */
gint64
lk_check_grids_get_repeat_of (const LkCheckGrids *self)
{
  return self->check != NULL ? self->repeat_of : 0;
}

/* Returns: the gold grid the check served last shows, or 0 */
gint64
lk_check_grids_get_gold (const LkCheckGrids *self)
{
  return self->check != NULL ? self->gold_id : 0;
}

/**
 * lk_check_grids_is_served:
 * @shown: the images of an answer, in display order
 *
 * Returns: whether @shown is the check grid served last and not answered yet
 */
gboolean
lk_check_grids_is_served (const LkCheckGrids *self,
                          const LkQuery      *shown)
{
  return self != NULL && self->check != NULL && shown != NULL
         && lk_query_get_n_items (shown) == lk_query_get_n_items (self->check)
         && memcmp (lk_query_get_items (shown), lk_query_get_items (self->check),
                    lk_query_get_n_items (shown) * sizeof (guint)) == 0;
}

/* The check served last is stored: it counts among the session's grids, and is never shown
 * again itself. */
void
lk_check_grids_check_done (LkCheckGrids *self)
{
  Answered done = { 0 };

  g_return_if_fail (self != NULL && self->check != NULL);

  if (self->repeat_of > 0)
    self->n_repeats++;
  else
    self->n_catches++;
  g_clear_pointer (&self->check, lk_query_free);
  self->repeat_of = self->gold_id = 0;
  g_array_append_val (self->answered, done);
}

/**
 * lk_check_grids_grid_done:
 * @query: the query answered, or 0 for one that is never repeated (drawn on the spot)
 * @shown: its images, in display order
 *
 * A grid of the study's own is stored: it counts among the session's grids, and may be shown
 * again later.
 */
void
lk_check_grids_grid_done (LkCheckGrids  *self,
                          gint64         query,
                          const LkQuery *shown)
{
  Answered done = { .query = query };

  g_return_if_fail (self != NULL);

  if (query > 0 && shown != NULL)
    {
      done.n_items = lk_query_get_n_items (shown);
      done.items = g_memdup2 (lk_query_get_items (shown), done.n_items * sizeof (guint));
    }
  else
    done.query = 0;
  g_array_append_val (self->answered, done);
}

guint
lk_check_grids_get_n_repeats (const LkCheckGrids *self)
{
  return self->n_repeats;
}

guint
lk_check_grids_get_n_catches (const LkCheckGrids *self)
{
  return self->n_catches;
}
