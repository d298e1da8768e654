/* lk-trial-context.c — what a study's run gives lk_trial_draw(), set up once for both runs
 *
 * A study file's run (lk-study-run.c) and a lab station's run (lk-lab-run.c) draw the trials of
 * their plan's other tasks alike: the "mix" policy at LK_TRIAL_DRAW_RANDOM_SHARE from what the
 * run has learned (NULL before the first phase), the colour descriptors as the one metric when
 * the run has them, an intruder's clusters, and the same error when the draw fails. Each run
 * keeps only what it reads differently (the file's or the lab's embedding, the forced-choice
 * policy of a study file).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "lk-trial-context.h"

/* Sets @self up to draw "mix" among @n_items from @learned (nullable: nothing learned yet). */
void
lk_trial_context_init (LkTrialContext    *self,
                       guint              n_items,
                       const LkEmbedding *learned)
{
  g_return_if_fail (self != NULL);

  *self = (LkTrialContext) {
    .draw = {
      .n_items = n_items,
      .learned = learned,
      .policy = "mix",
      .random_share = LK_TRIAL_DRAW_RANDOM_SHARE,
    },
  };
}

/* Makes @colour (the colour descriptors) the draw's one metric; @self must not move after. */
void
lk_trial_context_use_colour (LkTrialContext *self,
                             LkSpace        *colour)
{
  g_return_if_fail (self != NULL && colour != NULL);

  self->metrics[0] = lk_space_distance;
  self->metric_data[0] = colour;
  self->draw.metrics = self->metrics;
  self->draw.metric_data = self->metric_data;
  self->draw.n_metrics = 1;
}

/* Draws the next trial of @kind as a grid; an intruder is given @clusters (nullable, then none).
 * On failure, NULL and @error says which task could not be drawn and why. */
LkGrid *
lk_trial_context_draw (LkTrialContext  *self,
                       LkTaskKind       kind,
                       const guint     *clusters,
                       guint            n_clusters,
                       gsl_rng         *rng,
                       GError         **error)
{
  g_autoptr(GError) local_error = NULL;
  LkTrial *trial;

  g_return_val_if_fail (self != NULL, NULL);

  if (kind == LK_TASK_INTRUDER)
    {
      self->draw.clusters = clusters;
      self->draw.n_clusters = clusters != NULL ? n_clusters : 0;
    }
  trial = lk_trial_draw (kind, &self->draw, rng, &local_error);
  if (trial == NULL)
    {
      /* Translators: the first placeholder is a task's name, the second the reason */
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("The next “%s” trial could not be drawn: %s"),
                   lk_task_kind_to_string (kind), local_error->message);
      return NULL;
    }

  return lk_grid_new_trial (trial, 0);
}
