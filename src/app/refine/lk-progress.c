/* lk-progress.c — an immutable record of a study's progress, pushed to the views
 *
 * The refinement worker makes a new record on the main thread whenever one of its counters
 * changes (an answer, a grid drawn on the spot, a run starting or ending) and notifies it as
 * its "progress" property; the experimenter window hands it to the progress view. The view
 * keeps a reference and draws from it alone, so it never reads the worker, and a record it
 * holds never changes under it. Reference counts are atomic, like a snapshot's, so a record may
 * be dropped last on any thread.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <glib/gi18n.h>

#include "lk-progress.h"

typedef struct {
  char  *code;
  guint  n_answers;
} Participant;

struct _LkProgress
{
  LkProgressCounts  counts;
  Participant      *participants;   /* sorted by code */
  guint             n_participants;
  double           *grid_seconds;
  guint             n_grid_seconds;
};

G_DEFINE_BOXED_TYPE (LkProgress, lk_progress, lk_progress_ref, lk_progress_unref)

static int
compare_participants (const void *a,
                      const void *b)
{
  return strcmp (((const Participant *) a)->code, ((const Participant *) b)->code);
}

static void
progress_clear (gpointer data)
{
  LkProgress *self = data;

  for (guint i = 0; i < self->n_participants; i++)
    g_free (self->participants[i].code);
  g_free (self->participants);
  g_free (self->grid_seconds);
}

/**
 * lk_progress_new:
 * @counts: the counts, copied
 * @participants: (nullable) (element-type utf8 guint): participant code -> number of answers
 *   (GUINT_TO_POINTER), copied
 * @grid_seconds: (nullable) (array length=n_grid_seconds): seconds spent on each answered
 *   grid, in order, copied
 *
 * Returns: (transfer full): the record
 */
LkProgress *
lk_progress_new (const LkProgressCounts *counts,
                 GHashTable             *participants,
                 const double           *grid_seconds,
                 guint                   n_grid_seconds)
{
  LkProgress *self;

  g_return_val_if_fail (counts != NULL, NULL);
  g_return_val_if_fail (grid_seconds != NULL || n_grid_seconds == 0, NULL);

  self = g_atomic_rc_box_new0 (LkProgress);
  self->counts = *counts;
  if (participants != NULL && g_hash_table_size (participants) > 0)
    {
      GHashTableIter iter;
      gpointer key, value;
      guint i = 0;

      self->n_participants = g_hash_table_size (participants);
      self->participants = g_new (Participant, self->n_participants);
      g_hash_table_iter_init (&iter, participants);
      while (g_hash_table_iter_next (&iter, &key, &value))
        {
          self->participants[i].code = g_strdup (key);
          self->participants[i].n_answers = GPOINTER_TO_UINT (value);
          i++;
        }
      qsort (self->participants, self->n_participants, sizeof (Participant),
             compare_participants);
    }
  if (n_grid_seconds > 0)
    self->grid_seconds = g_memdup2 (grid_seconds, sizeof (double) * n_grid_seconds);
  self->n_grid_seconds = n_grid_seconds;

  return self;
}

LkProgress *
lk_progress_ref (LkProgress *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return g_atomic_rc_box_acquire (self);
}

void
lk_progress_unref (LkProgress *self)
{
  g_return_if_fail (self != NULL);

  g_atomic_rc_box_release_full (self, progress_clear);
}

/**
 * lk_progress_get_counts:
 *
 * Returns: (transfer none): the counts of the record
 */
const LkProgressCounts *
lk_progress_get_counts (const LkProgress *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return &self->counts;
}

guint
lk_progress_get_n_participants (const LkProgress *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->n_participants;
}

/**
 * lk_progress_get_participant:
 * @index: below lk_progress_get_n_participants(); participants are sorted by code
 * @n_answers: (out) (optional): how many grids they answered
 *
 * Returns: (transfer none): the participant's code
 */
const char *
lk_progress_get_participant (const LkProgress *self,
                             guint             index,
                             guint            *n_answers)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (index < self->n_participants, NULL);

  if (n_answers != NULL)
    *n_answers = self->participants[index].n_answers;

  return self->participants[index].code;
}

/**
 * lk_progress_get_grid_seconds:
 * @n: (out): how many
 *
 * Returns: (array length=n) (nullable): seconds spent on each answered grid, in order
 */
const double *
lk_progress_get_grid_seconds (const LkProgress *self,
                              guint            *n)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (n != NULL, NULL);

  *n = self->n_grid_seconds;

  return self->grid_seconds;
}

/**
 * lk_progress_dup_summary:
 *
 * The progress view's first line. Phases are counted as everywhere in the experimenter's
 * views (the phase slider, the embedding's title, the heatmaps): phases folded in.
 *
 * Returns: (transfer full): answers of the budget, phases folded in, grids drawn on the spot
 */
char *
lk_progress_dup_summary (const LkProgress *self)
{
  const LkProgressCounts *c;

  g_return_val_if_fail (self != NULL, NULL);

  c = &self->counts;
  /* Translators: answers of the budget · phases folded in, then " (refining…)" while a phase
   * is being folded in · grids drawn on the spot */
  return g_strdup_printf (_("%u of %u grids answered · %u of %u phases folded in%s · %u drawn "
                            "on the spot"),
                          c->n_answers, MAX (c->budget, 1), MIN (c->phase, c->n_phases),
                          c->n_phases, c->busy ? _(" (refining…)") : "", c->n_drawn);
}
