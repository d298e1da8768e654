/* lk-demo-run.c — simulated participants answering a demo study at a set pace
 *
 * Demo mode: the engine's crowd (LkCrowd: each participant sorts a grid by k-means of the items'
 * ground-truth features) answers a study kept in memory (LkMemoryRun), through the very calls
 * a participant's session makes, so the experimenter's views show convergence live. Five simulated
 * participants take turns; each grid "takes" a few seconds of simulated time for the progress
 * view. The pace (grids per second of wall time) is adjustable; the main loop answers the grids
 * that are due on a 16 ms timer, never more than a frame's worth at once.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "lk-demo-run.h"
#include "lk-memory-run.h"
#include "lk-rng.h"
#include "lk-simulate.h"

#define N_PARTICIPANTS 5

struct _LkDemoRun
{
  GObject          parent_instance;

  LkDataset       *dataset;
  LkCrowd         *crowd;
  LkMemoryRun     *run;
  LkThumbs        *thumbs;
  GRand           *rand;

  double           pace;
  double           due;
  gint64           last_us;
  guint            timer_id;
  guint            turn;
  gboolean         finished;
};

G_DEFINE_FINAL_TYPE (LkDemoRun, lk_demo_run, G_TYPE_OBJECT)

static void
lk_demo_run_dispose (GObject *object)
{
  LkDemoRun *self = (LkDemoRun *)object;

  g_clear_handle_id (&self->timer_id, g_source_remove);
  g_clear_object (&self->run);

  G_OBJECT_CLASS (lk_demo_run_parent_class)->dispose (object);
}

static void
lk_demo_run_finalize (GObject *object)
{
  LkDemoRun *self = (LkDemoRun *)object;

  g_clear_pointer (&self->crowd, lk_crowd_free);
  g_clear_pointer (&self->dataset, lk_dataset_free);
  g_clear_pointer (&self->thumbs, lk_thumbs_unref);
  g_clear_pointer (&self->rand, g_rand_free);

  G_OBJECT_CLASS (lk_demo_run_parent_class)->finalize (object);
}

static void
lk_demo_run_class_init (LkDemoRunClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = lk_demo_run_dispose;
  G_OBJECT_CLASS (klass)->finalize = lk_demo_run_finalize;
}

static void
lk_demo_run_init (LkDemoRun *self)
{
  self->pace = 20;
}

/**
 * lk_demo_run_new:
 * @spec: a dataset spec, as likeness-cli's (`colors:N`, `blobs:N`…)
 * @params: the study's parameters
 * @method: the method (paper, random…)
 *
 * Returns: (transfer full): a demo run, not started, or %NULL with @error set
 */
LkDemoRun *
lk_demo_run_new (const char         *spec,
                 const LkParams     *params,
                 const LkMethodType *method,
                 GError            **error)
{
  g_autoptr(LkDemoRun) self = g_object_new (LK_TYPE_DEMO_RUN, NULL);
  g_autoptr(LkTruth) truth = NULL;
  g_autofree double *rgb = NULL;
  guint n, dim;

  /* A stream of its own: with the refiner's seed, colors:N would be the very uniform draw the
   * refiner starts from, and phase 0 would already be perfect. */
  self->dataset = lk_dataset_new_from_spec (spec, lk_rng_derive (params->seed, 11), error);
  if (self->dataset == NULL)
    return NULL;
  n = lk_dataset_get_n_items (self->dataset);
  truth = lk_truth_new (self->dataset);
  self->run = lk_memory_run_new (n, params, method, truth, error);
  if (self->run == NULL)
    return NULL;
  self->crowd = lk_crowd_new (self->dataset, params->nc, NULL,
                              lk_rng_derive (params->seed, 3));
  self->rand = g_rand_new_with_seed ((guint32) params->seed);

  /* Colour datasets are their own thumbnails; others get a colour from their first three
   * features, squashed into [0, 1]. */
  dim = lk_dataset_get_dim (self->dataset);
  rgb = g_new0 (double, 3 * n);
  for (guint i = 0; i < n; i++)
    for (guint c = 0; c < 3 && c < dim; c++)
      {
        double v = lk_dataset_get_features (self->dataset)[(gsize) i * dim + c];

        rgb[3 * i + c] = g_str_has_prefix (spec, "colors:") ? v : 0.5 + 0.5 * v / (1 + ABS (v));
      }
  self->thumbs = lk_thumbs_new_from_colours (rgb, n);

  return g_steal_pointer (&self);
}

/**
 * lk_demo_run_get_run:
 *
 * Returns: (transfer none): the study the simulated participants answer
 */
LkGridSource *
lk_demo_run_get_run (LkDemoRun *self)
{
  g_return_val_if_fail (LK_IS_DEMO_RUN (self), NULL);

  return LK_GRID_SOURCE (self->run);
}

/**
 * lk_demo_run_get_worker:
 *
 * Returns: (transfer none): the run's refinement worker
 */
LkRefineWorker *
lk_demo_run_get_worker (LkDemoRun *self)
{
  g_return_val_if_fail (LK_IS_DEMO_RUN (self), NULL);

  return lk_grid_source_get_worker (LK_GRID_SOURCE (self->run));
}

LkThumbs *
lk_demo_run_get_thumbs (LkDemoRun *self)
{
  g_return_val_if_fail (LK_IS_DEMO_RUN (self), NULL);

  return self->thumbs;
}

/**
 * lk_demo_run_step:
 * @n_grids: how many grids to answer now
 *
 * Returns: how many were answered (fewer at the end of the study)
 */
guint
lk_demo_run_step (LkDemoRun *self,
                  guint      n_grids)
{
  guint done = 0;

  g_return_val_if_fail (LK_IS_DEMO_RUN (self), 0);

  for (; done < n_grids; done++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(LkGrid) grid = NULL;
      g_autoptr(LkQuery) answer = NULL;
      LkAnswerRecord record;
      char code[16];

      grid = lk_grid_source_next_grid (LK_GRID_SOURCE (self->run), NULL);
      if (grid == NULL)
        {
          self->finished = TRUE;
          break;
        }
      answer = lk_query_copy (lk_grid_get_query (grid));
      lk_crowd_answer (self->crowd, answer);
      g_snprintf (code, sizeof code, "sim-%u", self->turn % N_PARTICIPANTS + 1);
      self->turn++;
      /* Simulated time for the progress view: the grid "took" 6 to 30 seconds. */
      record = (LkAnswerRecord) {
        .participant = code,
        .answer = answer,
        .shown_us = 0,
        .submitted_us = (gint64) (g_rand_double_range (self->rand, 6.0, 30.0) * G_USEC_PER_SEC),
      };
      if (!lk_grid_source_submit (LK_GRID_SOURCE (self->run), grid, &record, &error))
        {
          g_warning ("the demo study refused an answer: %s", error->message);
          break;
        }
    }

  return done;
}

static gboolean
timer_cb (gpointer user_data)
{
  LkDemoRun *self = user_data;
  gint64 now = g_get_monotonic_time ();
  guint n;

  self->due += self->pace * (now - self->last_us) / 1e6;
  self->last_us = now;
  n = (guint) MIN (self->due, 4.0);
  self->due -= n;
  if (n > 0)
    lk_demo_run_step (self, n);
  if (lk_demo_run_is_done (self))
    {
      self->timer_id = 0;
      return G_SOURCE_REMOVE;
    }

  return G_SOURCE_CONTINUE;
}

void
lk_demo_run_set_pace (LkDemoRun *self,
                      double     grids_per_second)
{
  g_return_if_fail (LK_IS_DEMO_RUN (self));

  self->pace = CLAMP (grids_per_second, 0.1, 1000);
}

double
lk_demo_run_get_pace (LkDemoRun *self)
{
  g_return_val_if_fail (LK_IS_DEMO_RUN (self), 0);

  return self->pace;
}

void
lk_demo_run_start (LkDemoRun *self)
{
  g_return_if_fail (LK_IS_DEMO_RUN (self));

  if (self->timer_id != 0)
    return;
  self->last_us = g_get_monotonic_time ();
  self->due = 0;
  self->timer_id = g_timeout_add (16, timer_cb, self);
}

void
lk_demo_run_stop (LkDemoRun *self)
{
  g_return_if_fail (LK_IS_DEMO_RUN (self));

  g_clear_handle_id (&self->timer_id, g_source_remove);
}

/**
 * lk_demo_run_is_done:
 *
 * Returns: %TRUE when the budget is answered and the last phase folded in
 */
gboolean
lk_demo_run_is_done (LkDemoRun *self)
{
  g_return_val_if_fail (LK_IS_DEMO_RUN (self), TRUE);

  return self->finished && !lk_refine_worker_get_busy (lk_demo_run_get_worker (self));
}
