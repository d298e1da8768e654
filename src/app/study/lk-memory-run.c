/* lk-memory-run.c — a study kept in memory: the demo studies, simulated participants, tests
 *
 * The grids come from the refinement worker's queue, or are drawn on the spot while it folds a
 * phase in; answers are kept here (a demo leaves nothing behind on purpose) and handed to the
 * worker. When the budget is spent the worker folds the last, perhaps partial, phase in.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n.h>

#include "lk-memory-run-private.h"

typedef struct {
  LkQuery  *answer;
  guint     n_moves;
  gboolean  pilot;
  gboolean  drawn;
} Saved;

struct _LkMemoryRun
{
  GObject         parent_instance;

  LkRefineWorker *worker;
  GArray         *saved;      /* Saved */
  gboolean        failing;
  gboolean        finished;   /* the worker was told the budget is spent */
};

static void lk_memory_run_grid_source_init (LkGridSourceInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (LkMemoryRun, lk_memory_run, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (LK_TYPE_GRID_SOURCE,
                                                      lk_memory_run_grid_source_init))

static LkGrid *
lk_memory_run_next_grid (LkGridSource  *source,
                         GError       **error)
{
  LkMemoryRun *self = LK_MEMORY_RUN (source);
  LkQuery *query;
  gboolean drawn;

  if (lk_grid_source_is_spent (source))
    {
      if (!self->finished)
        lk_refine_worker_finish (self->worker);
      self->finished = TRUE;
      return NULL;
    }

  query = lk_refine_worker_next_query (self->worker, &drawn);
  if (query == NULL)
    return NULL;

  return lk_grid_new (query, 0, lk_refine_worker_get_answer_phase (self->worker), drawn);
}

static gboolean
lk_memory_run_submit (LkGridSource          *source,
                      const LkGrid          *grid,
                      const LkAnswerRecord  *record,
                      GError               **error)
{
  LkMemoryRun *self = LK_MEMORY_RUN (source);
  Saved saved;

  if (self->failing)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE,
                           _("No space left on the device"));
      return FALSE;
    }

  saved.answer = lk_query_copy (record->answer);
  saved.n_moves = record->n_moves;
  saved.pilot = record->pilot;
  saved.drawn = lk_grid_get_drawn (grid);
  g_array_append_val (self->saved, saved);
  lk_refine_worker_add_answer (self->worker, record->answer, record->participant,
                               (record->submitted_us - record->shown_us)
                               / (double) G_USEC_PER_SEC);

  return TRUE;
}

static LkRefineWorker *
lk_memory_run_get_worker (LkGridSource *source)
{
  return LK_MEMORY_RUN (source)->worker;
}

static void
lk_memory_run_grid_source_init (LkGridSourceInterface *iface)
{
  iface->next_grid = lk_memory_run_next_grid;
  iface->submit = lk_memory_run_submit;
  iface->get_worker = lk_memory_run_get_worker;
}

static void
clear_saved (gpointer data)
{
  Saved *saved = data;

  g_clear_pointer (&saved->answer, lk_query_free);
}

static void
lk_memory_run_dispose (GObject *object)
{
  LkMemoryRun *self = (LkMemoryRun *)object;

  /* The run under way, if any, is dropped; its thread lets go of the worker when done. */
  if (self->worker != NULL)
    lk_refine_worker_cancel (self->worker);
  g_clear_object (&self->worker);

  G_OBJECT_CLASS (lk_memory_run_parent_class)->dispose (object);
}

static void
lk_memory_run_finalize (GObject *object)
{
  LkMemoryRun *self = (LkMemoryRun *)object;

  g_clear_pointer (&self->saved, g_array_unref);

  G_OBJECT_CLASS (lk_memory_run_parent_class)->finalize (object);
}

static void
lk_memory_run_class_init (LkMemoryRunClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = lk_memory_run_dispose;
  G_OBJECT_CLASS (klass)->finalize = lk_memory_run_finalize;
}

static void
lk_memory_run_init (LkMemoryRun *self)
{
  self->saved = g_array_new (FALSE, FALSE, sizeof (Saved));
  g_array_set_clear_func (self->saved, clear_saved);
}

/**
 * lk_memory_run_new:
 * @n_items: the collection's size
 * @params: the study's parameters
 * @method: the method (paper, random, triplet…)
 * @truth: (nullable): ground truth, for recall and cluster error in the snapshots
 *
 * Starts the refinement worker at once: its first run selects the first batch, and grids asked
 * for before it is back are drawn on the spot.
 *
 * Returns: (transfer full): the run, or %NULL with @error set if @params do not fit @n_items
 */
LkMemoryRun *
lk_memory_run_new (guint               n_items,
                   const LkParams     *params,
                   const LkMethodType *method,
                   LkTruth            *truth,
                   GError            **error)
{
  LkMemoryRun *self;
  LkRefiner *refiner;

  g_return_val_if_fail (params != NULL && method != NULL, NULL);

  refiner = lk_refiner_new (n_items, params, method, error);
  if (refiner == NULL)
    return NULL;
  self = g_object_new (LK_TYPE_MEMORY_RUN, NULL);
  self->worker = lk_refine_worker_new (refiner, truth);

  return self;
}

guint
lk_memory_run_get_n_saved (LkMemoryRun *self)
{
  g_return_val_if_fail (LK_IS_MEMORY_RUN (self), 0);

  return self->saved->len;
}

/**
 * lk_memory_run_get_answer:
 *
 * Returns: (transfer none): the answer saved @index-th
 */
const LkQuery *
lk_memory_run_get_answer (LkMemoryRun *self,
                          guint        index)
{
  g_return_val_if_fail (LK_IS_MEMORY_RUN (self), NULL);
  g_return_val_if_fail (index < self->saved->len, NULL);

  return g_array_index (self->saved, Saved, index).answer;
}

guint
lk_memory_run_get_n_moves (LkMemoryRun *self,
                           guint        index)
{
  g_return_val_if_fail (LK_IS_MEMORY_RUN (self), 0);
  g_return_val_if_fail (index < self->saved->len, 0);

  return g_array_index (self->saved, Saved, index).n_moves;
}

gboolean
lk_memory_run_get_pilot (LkMemoryRun *self,
                         guint        index)
{
  g_return_val_if_fail (LK_IS_MEMORY_RUN (self), FALSE);
  g_return_val_if_fail (index < self->saved->len, FALSE);

  return g_array_index (self->saved, Saved, index).pilot;
}

/**
 * lk_memory_run_get_drawn:
 *
 * Returns: %TRUE if the @index-th answer's grid was drawn on the spot (the phase's queue was
 *   empty while the refinement worker ran)
 */
gboolean
lk_memory_run_get_drawn (LkMemoryRun *self,
                         guint        index)
{
  g_return_val_if_fail (LK_IS_MEMORY_RUN (self), FALSE);
  g_return_val_if_fail (index < self->saved->len, FALSE);

  return g_array_index (self->saved, Saved, index).drawn;
}

/**
 * lk_memory_run_set_failing:
 * @failing: make every submit fail as a full disk does, until set back
 */
void
lk_memory_run_set_failing (LkMemoryRun *self,
                           gboolean     failing)
{
  g_return_if_fail (LK_IS_MEMORY_RUN (self));

  self->failing = failing;
}
