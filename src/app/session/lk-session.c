/* lk-session.c — one participant's session: consent, practice, grids, breaks, saving
 *
 * A session keeps only its pages' state: which page is shown, the grid on it (and the answer
 * kept after a failed save), the practice grids, when the grid was shown, and how many grids
 * its participant has sorted (the run counts their stored answers once, when the session
 * starts; from then on the session counts the answers it saves). That count, not the study's,
 * is the "Grid 3 of 30" a participant sees, and ends the session at the study's grids per
 * participant. Everything else is the run's (LkGridSource: a study file, or a study in memory):
 * the next grid, where the answer goes, the phase, the study's answer count and the budget,
 * which still bounds every participant. Neither waits for a phase update.
 *
 * A session given a plan (lk_session_set_plan()) goes through its blocks in order: each block
 * has its own instructions, its practice items (drawn here, never stored) and its count, the
 * "Item 3 of 20" being the block's; a break comes between two blocks. A sorting block takes its
 * grids from the run as above (and ends early when the budget is spent); the other kinds take
 * trials (lk_grid_source_next_trial()) and store their answers with
 * lk_grid_source_submit_trial(). Without a plan the session is one sorting block.
 *
 * A training block (paper 002's training) shows the study's gold grids kept for training, one
 * per page with step-by-step instructions, and after Submit their known answer and the page's
 * score (lk_qc_exam_score()) until lk_session_continue(); its answers are not stored. An exam
 * block shows the gold grids kept for the exam without feedback, stores each answer with its
 * gold grid (lk_grid_source_submit_gold()), and at its end compares the mean score with the
 * study's pass mark (lk_session_exam_passes()): below it, the participant is marked not
 * qualified and the session ends on LK_SESSION_NOT_QUALIFIED. A block of either kind shows as
 * many gold grids as the study has, up to its count; a study with none refuses the plan.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <math.h>

#include <gio/gio.h>
#include <glib/gi18n.h>

#include "lk-qc.h"
#include "lk-random-trial.h"
#include "lk-session.h"

G_DEFINE_QUARK (lk-session-error-quark, lk_session_error)

G_DEFINE_ENUM_TYPE (LkSessionState, lk_session_state,
  G_DEFINE_ENUM_VALUE (LK_SESSION_CONSENT, "consent"),
  G_DEFINE_ENUM_VALUE (LK_SESSION_INSTRUCTIONS, "instructions"),
  G_DEFINE_ENUM_VALUE (LK_SESSION_SORTING, "sorting"),
  G_DEFINE_ENUM_VALUE (LK_SESSION_PRACTICE_DONE, "practice-done"),
  G_DEFINE_ENUM_VALUE (LK_SESSION_BREAK, "break"),
  G_DEFINE_ENUM_VALUE (LK_SESSION_SAVE_FAILED, "save-failed"),
  G_DEFINE_ENUM_VALUE (LK_SESSION_DONE, "done"),
  G_DEFINE_ENUM_VALUE (LK_SESSION_DECLINED, "declined"),
  G_DEFINE_ENUM_VALUE (LK_SESSION_COMPLETE, "complete"),
  G_DEFINE_ENUM_VALUE (LK_SESSION_FEEDBACK, "feedback"),
  G_DEFINE_ENUM_VALUE (LK_SESSION_NOT_QUALIFIED, "not-qualified"))

struct _LkSession
{
  GObject         parent_instance;

  /* Owned references */
  LkImageSource  *source;
  LkGridSource   *run;
  LkGrid         *grid;         /* the recorded grid shown, or kept after a failed save */
  char           *error_message;
  LkSortModel    *model;        /* the grid shown, or kept after a failed save */
  GRand          *rand;

  /* Settings */
  LkSessionSetup  setup;
  char           *consent;
  char           *instructions;
  char           *participant;
  gboolean        pilot;

  /* Pages */
  LkSessionState  state;
  gboolean        need_next;    /* SAVE_FAILED after the answer was saved: fetch the next grid */
  guint           n_practice_done;
  guint           n_mine;       /* the participant's answers in the study, this session's too */
  gint64          shown_us;
  gint64          submitted_us;

  /* Plan (only with has_plan) */
  LkPlan          plan;
  gboolean        has_plan;
  guint           block;        /* the block under way */
  guint           n_in_block;   /* its recorded items answered */
  gboolean        between_blocks;  /* the break after a block: the next block's instructions follow */
  LkSessionState  pending_state;   /* the page to show once the next item could be fetched */
  LkTrial        *trial;        /* the trial shown (practice or recorded), or kept after a failed save */

  /* Training and exam blocks */
  GPtrArray      *training_gold;  /* LkGoldGrid, the pages of a training block */
  GPtrArray      *exam_gold;      /* LkGoldGrid, the grids of an exam block */
  GArray         *exam_scores;    /* double: this session's exam answers' scores */
  LkQuery        *feedback;       /* a training page's answer, while its feedback is shown */
  double          feedback_score;
  gboolean        need_verdict;   /* SAVE_FAILED while the failed exam could not be recorded */
};

G_DEFINE_FINAL_TYPE (LkSession, lk_session, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_STATE,
  PROP_MODEL,
  PROP_TRIAL,
  N_PROPS,
};

static GParamSpec *properties[N_PROPS];

static void
set_state (LkSession      *self,
           LkSessionState  state)
{
  if (self->state == state)
    return;

  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

static void
set_model (LkSession   *self,
           LkSortModel *model)
{
  if (g_set_object (&self->model, model))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODEL]);
  self->shown_us = g_get_real_time ();
}

/* Returns a practice grid: nq distinct images drawn at random, outside the refinement. */
static LkSortModel *
practice_model (LkSession *self)
{
  guint n = lk_image_source_get_n_items (self->source);
  guint nq = self->setup.params.nq;
  g_autofree guint *all = g_new (guint, n);

  for (guint i = 0; i < n; i++)
    all[i] = i;
  for (guint i = 0; i < nq; i++)
    {
      guint j = g_rand_int_range (self->rand, i, n);
      guint t = all[i];

      all[i] = all[j];
      all[j] = t;
    }

  return lk_sort_model_new (all, nq, self->setup.params.nc, self->setup.rule);
}

/* Returns the next recorded grid from the run, which never blocks on a phase update; NULL
 * when the budget is spent, or with @error set. */
static LkSortModel *
next_model (LkSession  *self,
            GError    **error)
{
  g_autoptr(LkGrid) grid = lk_grid_source_next_grid (self->run, error);
  const LkQuery *query;

  if (grid == NULL)
    return NULL;
  query = lk_grid_get_query (grid);
  g_clear_pointer (&self->grid, lk_grid_free);
  self->grid = g_steal_pointer (&grid);

  return lk_sort_model_new (lk_query_get_items (query), lk_query_get_n_items (query),
                            self->setup.params.nc, self->setup.rule);
}

/* Remembers why the next grid could not be prepared, and waits for a retry. Returns FALSE. */
static gboolean
fail_next (LkSession     *self,
           const GError  *error)
{
  g_free (self->error_message);
  self->error_message = g_strdup (error->message);
  self->need_next = TRUE;
  set_state (self, LK_SESSION_SAVE_FAILED);

  return FALSE;
}

/* Sets the state after the grid was fetched (@next may be NULL at the end). */
static void
show_next (LkSession      *self,
           LkSortModel    *next,
           LkSessionState  state)
{
  self->need_next = FALSE;
  set_model (self, next);
  if (next == NULL)
    set_state (self, LK_SESSION_DONE);
  else
    set_state (self, state);
  if (self->state == LK_SESSION_DONE)
    {
      g_autoptr(GError) error = NULL;

      if (!lk_grid_source_end_session (self->run, &error))
        g_debug ("could not record the end of the session: %s", error->message);
    }
}

/* After a practice or a saved grid: the next page and the next grid. Returns FALSE with @error
 * set if the next grid could not be prepared (the session then waits for lk_session_retry()). */
static gboolean
advance (LkSession  *self,
         GError    **error)
{
  g_autoptr(LkSortModel) next = NULL;
  g_autoptr(GError) local_error = NULL;

  if (self->n_practice_done < self->setup.n_practice)
    {
      self->n_practice_done++;
      if (self->n_practice_done < self->setup.n_practice)
        {
          next = practice_model (self);
          show_next (self, next, LK_SESSION_SORTING);
          return TRUE;
        }
      next = next_model (self, &local_error);
      if (next == NULL && local_error != NULL)
        {
          self->n_practice_done--;
          fail_next (self, local_error);
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      show_next (self, next, LK_SESSION_PRACTICE_DONE);
      return TRUE;
    }

  /* The participant's share is done: no grid is taken from the run (it would be marked served
   * and then left open). When the budget is spent too, the run is asked all the same, so that
   * it folds the last phase in. */
  if (self->setup.grids_per_participant > 0 && self->n_mine >= self->setup.grids_per_participant
      && !lk_grid_source_is_spent (self->run))
    {
      show_next (self, NULL, LK_SESSION_DONE);
      return TRUE;
    }

  /* NULL when the budget is spent: the run then folds in the last (maybe partial) phase. */
  next = next_model (self, &local_error);
  if (next == NULL && local_error != NULL)
    {
      fail_next (self, local_error);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (next == NULL)
    show_next (self, NULL, LK_SESSION_DONE);
  else if (self->setup.break_every > 0 && self->n_mine % self->setup.break_every == 0)
    show_next (self, next, LK_SESSION_BREAK);
  else
    show_next (self, next, LK_SESSION_SORTING);

  return TRUE;
}

static const LkPlanBlock *current_block (LkSession *self);

/* Returns the gold grid of the training or exam item shown (not practice), or NULL. */
static const LkGoldGrid *
current_gold (LkSession *self)
{
  const LkPlanBlock *block;
  GPtrArray *gold;

  if (!self->has_plan || self->between_blocks)
    return NULL;
  block = current_block (self);
  if (self->n_practice_done < block->practice)
    return NULL;
  gold = block->kind == LK_TASK_TRAINING ? self->training_gold
       : block->kind == LK_TASK_EXAM ? self->exam_gold : NULL;
  if (gold == NULL || self->n_in_block >= gold->len)
    return NULL;

  return g_ptr_array_index (gold, self->n_in_block);
}

/* Saves the current (recorded) grid: an exam's with its gold grid and score, any other with
 * the run's grid. Returns FALSE with @error set if the run could not. */
static gboolean
save_current (LkSession  *self,
              GError    **error)
{
  g_autoptr(LkQuery) answer = NULL;
  const LkGoldGrid *gold = current_gold (self);
  const LkSortMove *moves;
  LkAnswerRecord record;
  guint n_moves;

  answer = lk_sort_model_to_query (self->model, error);
  if (answer == NULL)
    return FALSE;
  moves = lk_sort_model_get_moves (self->model, &n_moves);

  record = (LkAnswerRecord) {
    .participant = self->participant,
    .pilot = self->pilot,
    .answer = answer,
    .moves = moves,
    .n_moves = n_moves,
    .shown_us = self->shown_us,
    .submitted_us = self->submitted_us,
    .group_names = lk_sort_model_get_group_names (self->model),
  };

  if (gold != NULL)
    {
      g_autoptr(GError) local_error = NULL;
      double score = lk_qc_exam_score (answer, gold->answer, &local_error);

      /* The page was made from the gold grid: its images are the same, in the same order. */
      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      if (!lk_grid_source_submit_gold (self->run, gold, LK_TASK_EXAM, &record, error))
        return FALSE;
      g_array_append_val (self->exam_scores, score);
      self->n_mine++;
      return TRUE;
    }

  if (!lk_grid_source_submit (self->run, self->grid, &record, error))
    return FALSE;
  self->n_mine++;

  return TRUE;
}


/* Plan ------------------------------------------------------------------------------------ */

static const LkPlanBlock *
current_block (LkSession *self)
{
  return &self->plan.blocks[self->block];
}

/* Returns how many practice items the block under way starts with. */
static guint
block_practice (LkSession *self)
{
  return self->has_plan ? current_block (self)->practice : self->setup.n_practice;
}

/* Returns the recorded items of the block under way: its count, or for a sorting block fewer
 * when the budget left does not allow as many. */
static guint
block_total (LkSession *self)
{
  const LkPlanBlock *block = current_block (self);
  guint budget, answered;

  if (block->kind != LK_TASK_SORT)
    return block->count;
  budget = lk_grid_source_get_budget (self->run);
  answered = lk_grid_source_get_n_answered (self->run);

  return MIN (block->count, self->n_in_block + (budget > answered ? budget - answered : 0));
}

/* Shows @model or @trial (transfer full; at most one of them) as the item on screen. */
static void
set_item (LkSession   *self,
          LkSortModel *model,
          LkTrial     *trial)
{
  gboolean trial_changed = self->trial != NULL || trial != NULL;

  g_clear_pointer (&self->trial, lk_trial_free);
  self->trial = trial;
  set_model (self, model);
  if (trial_changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TRIAL]);
}

/* Fetches the item at the session's place in its plan: a practice item while the block's
 * practice lasts (drawn here), else the run's next grid or trial, and shows it. *@none is set
 * when a sorting block's run has no grid left (the budget is spent). Returns FALSE with @error
 * set if the run could not give one. */
static gboolean
fetch_item (LkSession  *self,
            gboolean   *none,
            GError    **error)
{
  const LkPlanBlock *block = current_block (self);
  gboolean practice = self->n_practice_done < block->practice;
  g_autoptr(GError) local_error = NULL;

  *none = FALSE;
  if ((block->kind == LK_TASK_TRAINING || block->kind == LK_TASK_EXAM) && !practice)
    {
      const LkGoldGrid *gold = current_gold (self);
      g_autoptr(LkSortModel) model = NULL;

      /* set_plan() cut the block to the gold grids there are. */
      g_assert (gold != NULL);
      model = lk_sort_model_new (lk_query_get_items (gold->answer),
                                 lk_query_get_n_items (gold->answer), gold->nc,
                                 self->setup.rule);
      g_clear_pointer (&self->grid, lk_grid_free);
      set_item (self, model, NULL);
      return TRUE;
    }
  if (lk_task_kind_is_sorting (block->kind))
    {
      g_autoptr(LkSortModel) model = practice ? practice_model (self)
                                              : next_model (self, &local_error);

      if (model == NULL && local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      *none = model == NULL;
      set_item (self, model, NULL);
      return TRUE;
    }

  if (practice)
    {
      LkTrial *trial = lk_random_trial_new (block->kind, lk_image_source_get_n_items (self->source),
                                            LK_MATCH_DEFAULT_PAGE, NULL, 0, self->rand);

      if (trial == NULL)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       _("The collection has too few images for a “%s” task."),
                       lk_task_kind_to_string (block->kind));
          return FALSE;
        }
      set_item (self, NULL, trial);
    }
  else
    {
      g_autoptr(LkGrid) grid = lk_grid_source_next_trial (self->run, block->kind, error);

      if (grid == NULL)
        return FALSE;
      g_clear_pointer (&self->grid, lk_grid_free);
      self->grid = g_steal_pointer (&grid);
      set_item (self, NULL, lk_trial_copy (lk_grid_get_trial (self->grid)));
    }

  return TRUE;
}

/* After the last item of a block: the break before the next block, or the end. */
static void
end_block (LkSession *self)
{
  /* The budget spent in a sorting block: asked once more, the run folds its last phase in. */
  if (current_block (self)->kind == LK_TASK_SORT && lk_grid_source_is_spent (self->run))
    {
      g_autoptr(LkGrid) none = lk_grid_source_next_grid (self->run, NULL);
    }

  g_clear_pointer (&self->grid, lk_grid_free);
  if (self->block + 1 >= self->plan.n_blocks)
    {
      set_item (self, NULL, NULL);
      show_next (self, NULL, LK_SESSION_DONE);
      return;
    }
  self->block++;
  self->n_in_block = 0;
  self->n_practice_done = 0;
  self->between_blocks = TRUE;
  self->need_next = FALSE;
  set_item (self, NULL, NULL);
  set_state (self, LK_SESSION_BREAK);
}

/* Fetches the item at the session's place and shows it with self->pending_state, or ends the
 * block when a sorting block has no grid left. Returns FALSE with @error set (the session then
 * waits for lk_session_retry()). */
static gboolean
show_pending (LkSession  *self,
              GError    **error)
{
  g_autoptr(GError) local_error = NULL;
  gboolean none;

  if (!fetch_item (self, &none, &local_error))
    {
      fail_next (self, local_error);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (none)
    {
      end_block (self);
      return TRUE;
    }
  self->need_next = FALSE;
  set_state (self, self->pending_state);

  return TRUE;
}

/**
 * lk_session_exam_passes:
 * @scores: (array length=n_scores): the exam's scores (lk_qc_exam_score(), 0 to 100)
 * @n_scores: their number
 * @pass_mark: the study's pass mark, 0 to 100
 *
 * The exam's decision: the mean score must be at least @pass_mark (paper 002: "at least 80";
 * its demo accepts a skill of 80 with one page of five wrong). An exam with no score passes:
 * a participant whose exam answers are all from an earlier session was not failed then.
 *
 * Returns: %TRUE if the participant passes
 */
gboolean
lk_session_exam_passes (const double *scores,
                        guint         n_scores,
                        double        pass_mark)
{
  double sum = 0;

  g_return_val_if_fail (scores != NULL || n_scores == 0, FALSE);

  if (n_scores == 0)
    return TRUE;
  for (guint i = 0; i < n_scores; i++)
    sum += scores[i];

  /* Compared as sum >= mark x n, so that a mean of exactly the mark is not lost to rounding. */
  return sum >= pass_mark * n_scores - 1e-9;
}

/* At the end of an exam block: below the pass mark the participant is marked not qualified and
 * the session ends; else the next block comes. Returns FALSE with @error set if the mark could
 * not be written (the session then waits for lk_session_retry()). */
static gboolean
exam_verdict (LkSession  *self,
              GError    **error)
{
  g_autoptr(GError) local_error = NULL;

  self->need_verdict = FALSE;
  if (lk_session_exam_passes ((const double *) self->exam_scores->data, self->exam_scores->len,
                              lk_grid_source_get_pass_mark (self->run)))
    {
      end_block (self);
      return TRUE;
    }

  if (!lk_grid_source_set_qualified (self->run, self->participant, FALSE, &local_error))
    {
      g_free (self->error_message);
      self->error_message = g_strdup (local_error->message);
      self->need_verdict = TRUE;
      set_state (self, LK_SESSION_SAVE_FAILED);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  g_clear_pointer (&self->grid, lk_grid_free);
  set_item (self, NULL, NULL);
  set_state (self, LK_SESSION_NOT_QUALIFIED);
  if (!lk_grid_source_end_session (self->run, &local_error))
    g_debug ("could not record the end of the session: %s", local_error->message);

  return TRUE;
}

/* advance() of a session with a plan: after a practice item or a stored answer. */
static gboolean
plan_advance (LkSession  *self,
              GError    **error)
{
  const LkPlanBlock *block = current_block (self);

  self->pending_state = LK_SESSION_SORTING;
  if (self->n_practice_done < block->practice)
    {
      self->n_practice_done++;
      if (self->n_practice_done == block->practice)
        self->pending_state = LK_SESSION_PRACTICE_DONE;
    }
  else
    {
      self->n_in_block++;
      if (self->n_in_block >= block_total (self))
        {
          if (block->kind == LK_TASK_EXAM)
            return exam_verdict (self, error);
          end_block (self);
          return TRUE;
        }
      if (self->setup.break_every > 0 && self->n_in_block % self->setup.break_every == 0)
        self->pending_state = LK_SESSION_BREAK;
    }

  return show_pending (self, error);
}

/* Stores the trial shown, answered. Returns FALSE with @error set if the run could not. */
static gboolean
save_trial (LkSession  *self,
            GError    **error)
{
  LkTrialRecord record = {
    .participant = self->participant,
    .pilot = self->pilot,
    .trial = self->trial,
    .block = self->block,
    .shown_us = self->shown_us,
    .submitted_us = self->submitted_us,
  };

  if (!lk_grid_source_submit_trial (self->run, self->grid, &record, error))
    return FALSE;
  self->n_mine++;

  return TRUE;
}

static void
lk_session_finalize (GObject *object)
{
  LkSession *self = (LkSession *)object;

  g_clear_object (&self->source);
  g_clear_object (&self->run);
  g_clear_pointer (&self->grid, lk_grid_free);
  g_clear_object (&self->model);
  g_clear_pointer (&self->trial, lk_trial_free);
  g_clear_pointer (&self->rand, g_rand_free);
  g_clear_pointer (&self->consent, g_free);
  g_clear_pointer (&self->instructions, g_free);
  g_clear_pointer (&self->participant, g_free);
  g_clear_pointer (&self->error_message, g_free);
  g_clear_pointer (&self->training_gold, g_ptr_array_unref);
  g_clear_pointer (&self->exam_gold, g_ptr_array_unref);
  g_clear_pointer (&self->exam_scores, g_array_unref);
  g_clear_pointer (&self->feedback, lk_query_free);

  G_OBJECT_CLASS (lk_session_parent_class)->finalize (object);
}

static void
lk_session_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  LkSession *self = LK_SESSION (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;

    case PROP_MODEL:
      g_value_set_object (value, self->model);
      break;

    case PROP_TRIAL:
      g_value_set_pointer (value, self->trial);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lk_session_class_init (LkSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = lk_session_finalize;
  object_class->get_property = lk_session_get_property;

  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, LK_TYPE_SESSION_STATE, LK_SESSION_CONSENT,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MODEL] =
    g_param_spec_object ("model", NULL, NULL, LK_TYPE_SORT_MODEL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* The trial shown (an LkTrial, borrowed), for the pages of the tasks other than sorting. */
  properties[PROP_TRIAL] =
    g_param_spec_pointer ("trial", NULL, NULL,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
lk_session_init (LkSession *self)
{
  self->exam_scores = g_array_new (FALSE, FALSE, sizeof (double));
}

/**
 * lk_session_new:
 * @source: the study's images
 * @setup: the study's session settings (copied)
 * @participant: the participant code
 * @pilot: tag the answers as pilot data
 * @run: the running study: where grids come from and answers go
 *
 * Returns: (transfer full): a session waiting for consent (or for the instructions when the
 *   study has no consent text; %LK_SESSION_COMPLETE when @run's budget is already spent), or
 *   %NULL with @error set: %LK_CORE_ERROR if the parameters do not fit @source
 *   (lk_params_validate_study(), which says what to change), %LK_SESSION_ERROR if the
 *   participant has already sorted their grids
 */
LkSession *
lk_session_new (LkImageSource         *source,
                const LkSessionSetup  *setup,
                const char            *participant,
                gboolean               pilot,
                LkGridSource          *run,
                GError               **error)
{
  g_autoptr(LkSession) self = NULL;
  guint n_items, n_mine;

  g_return_val_if_fail (LK_IS_IMAGE_SOURCE (source), NULL);
  g_return_val_if_fail (setup != NULL, NULL);
  g_return_val_if_fail (participant != NULL, NULL);
  g_return_val_if_fail (LK_IS_GRID_SOURCE (run), NULL);

  n_items = lk_image_source_get_n_items (source);
  if (!lk_params_validate_study (&setup->params, n_items, error))
    return NULL;
  n_mine = lk_grid_source_count_answers (run, participant);
  /* Said before consent, so that nobody is taken through the session's pages for nothing. A
   * spent study is a page of its own (LK_SESSION_COMPLETE, below), for whoever sits there. */
  if (!lk_grid_source_is_spent (run) && setup->grids_per_participant > 0
      && n_mine >= setup->grids_per_participant)
    {
      g_set_error (error, LK_SESSION_ERROR, LK_SESSION_ERROR_PARTICIPANT_DONE,
                   _("Participant %s has already sorted their %u grids. Start the session "
                     "with another participant code."), participant,
                   setup->grids_per_participant);
      return NULL;
    }

  self = g_object_new (LK_TYPE_SESSION, NULL);
  self->source = g_object_ref (source);
  self->run = g_object_ref (run);
  self->setup = *setup;
  self->consent = g_strdup (setup->consent);
  self->instructions = g_strdup (setup->instructions);
  self->setup.consent = NULL;
  self->setup.instructions = NULL;
  self->participant = g_strdup (participant);
  self->pilot = pilot;
  self->n_mine = n_mine;
  self->rand = g_rand_new_with_seed ((guint32) setup->params.seed);
  /* A spent study would take the participant through consent, the instructions and the
   * practice to a thank-you after no grid at all: say so at once instead. */
  if (lk_grid_source_is_spent (run))
    self->state = LK_SESSION_COMPLETE;
  else
    self->state = self->consent != NULL ? LK_SESSION_CONSENT : LK_SESSION_INSTRUCTIONS;

  return g_steal_pointer (&self);
}

/* Loads the gold grids of @plan's training and exam blocks and cuts each such block to the
 * grids there are. Returns FALSE with @error set if a block has none, or they cannot be read. */
static gboolean
load_gold (LkSession  *self,
           LkPlan     *plan,
           GError    **error)
{
  for (guint b = 0; b < plan->n_blocks; b++)
    {
      LkPlanBlock *block = &plan->blocks[b];
      GPtrArray **gold = block->kind == LK_TASK_TRAINING ? &self->training_gold
                       : block->kind == LK_TASK_EXAM ? &self->exam_gold : NULL;

      if (gold == NULL)
        continue;
      if (*gold == NULL)
        {
          *gold = lk_grid_source_list_gold (self->run, block->kind, error);
          if (*gold == NULL)
            return FALSE;
        }
      if ((*gold)->len == 0)
        {
          g_set_error (error, LK_SESSION_ERROR, LK_SESSION_ERROR_NO_GOLD,
                       block->kind == LK_TASK_TRAINING
                       ? _("The session plan has training pages, but this study has no known "
                           "answers kept for training. Import some with “likeness-cli gold "
                           "--import” (use “training”), or take the training block out of "
                           "the plan.")
                       : _("The session plan has an exam, but this study has no known answers "
                           "kept for the exam. Import some with “likeness-cli gold --import” "
                           "(use “exam”), or take the exam block out of the plan."));
          return FALSE;
        }
      /* Fewer gold grids than the block asks for: it shows those there are. */
      block->count = MIN (block->count, (*gold)->len);
    }

  return TRUE;
}

/* Where @done stored items end in @plan (lk_plan_locate()). Training pages are not stored: a
 * participant with nothing stored starts at the beginning, one with stored items goes on from
 * them as if the training blocks were not in the plan (they have had their training). */
static gboolean
locate (const LkPlan *plan,
        guint         done,
        guint        *block,
        guint        *index)
{
  LkPlan stored = { .n_blocks = 0 };
  guint map[LK_PLAN_MAX_BLOCKS];
  guint b;

  if (done == 0 || lk_plan_count_kind (plan, LK_TASK_TRAINING) == 0)
    return lk_plan_locate (plan, done, block, index);
  for (b = 0; b < plan->n_blocks; b++)
    if (plan->blocks[b].kind != LK_TASK_TRAINING)
      {
        map[stored.n_blocks] = b;
        stored.blocks[stored.n_blocks++] = plan->blocks[b];
      }
  if (stored.n_blocks == 0 || !lk_plan_locate (&stored, done, &b, index))
    return FALSE;
  *block = map[b];

  return TRUE;
}

/**
 * lk_session_set_plan:
 * @plan: the study's session plan (copied)
 *
 * Makes the session go through @plan's blocks, before it has begun. A participant coming
 * back goes on where their stored answers (grids and trials) end in the plan.
 *
 * A training or exam block shows the study's gold grids kept for it
 * (lk_grid_source_list_gold()), as many as there are up to its count.
 *
 * Returns: %FALSE with @error set (%LK_SESSION_ERROR) if the participant has already done
 *   the whole plan, if a training or exam block has no gold grid to show, or if the plan has
 *   an exam the participant has failed before
 */
gboolean
lk_session_set_plan (LkSession     *self,
                     const LkPlan  *plan,
                     GError       **error)
{
  guint done, block, index;
  gboolean sorting_only = TRUE;
  LkPlan cut;

  g_return_val_if_fail (LK_IS_SESSION (self), FALSE);
  g_return_val_if_fail (plan != NULL && plan->n_blocks > 0, FALSE);
  g_return_val_if_fail (self->state == LK_SESSION_CONSENT
                        || self->state == LK_SESSION_INSTRUCTIONS
                        || self->state == LK_SESSION_COMPLETE, FALSE);

  cut = *plan;
  if (!load_gold (self, &cut, error))
    return FALSE;
  plan = &cut;
  if (lk_plan_count_kind (plan, LK_TASK_EXAM) > 0
      && !lk_grid_source_get_qualified (self->run, self->participant))
    {
      g_set_error (error, LK_SESSION_ERROR, LK_SESSION_ERROR_NOT_QUALIFIED,
                   _("Participant %s did not pass this study’s exam and cannot take part "
                     "again. Thank them for their time."), self->participant);
      return FALSE;
    }

  done = self->n_mine + lk_grid_source_count_trials (self->run, self->participant);
  if (!locate (plan, done, &block, &index))
    {
      g_set_error (error, LK_SESSION_ERROR, LK_SESSION_ERROR_PARTICIPANT_DONE,
                   _("Participant %s has already done all %u items of the session. Start the "
                     "session with another participant code."), self->participant,
                   lk_plan_total (plan));
      return FALSE;
    }

  self->plan = *plan;
  self->has_plan = TRUE;
  self->block = block;
  self->n_in_block = index;
  /* A participant coming back part-way through a block has had its practice. */
  self->n_practice_done = index > 0 ? plan->blocks[block].practice : 0;
  self->n_mine = done;
  for (guint b = block; b < plan->n_blocks; b++)
    if (!lk_task_kind_is_sorting (plan->blocks[b].kind))
      sorting_only = FALSE;
  /* A spent budget ends only the sorting: trials of other kinds can still be given. */
  if (self->state == LK_SESSION_COMPLETE && !sorting_only)
    self->state = self->consent != NULL ? LK_SESSION_CONSENT : LK_SESSION_INSTRUCTIONS;

  return TRUE;
}

/**
 * lk_session_get_setup:
 *
 * Returns: (transfer none): the study's settings for this session (its texts are
 *   lk_session_get_consent() and lk_session_get_instructions())
 */
const LkSessionSetup *
lk_session_get_setup (LkSession *self)
{
  g_return_val_if_fail (LK_IS_SESSION (self), NULL);

  return &self->setup;
}

LkSessionState
lk_session_get_state (LkSession *self)
{
  g_return_val_if_fail (LK_IS_SESSION (self), LK_SESSION_DONE);

  return self->state;
}

/**
 * lk_session_get_kind:
 *
 * Returns: the task of the block under way (%LK_TASK_SORT without a plan)
 */
LkTaskKind
lk_session_get_kind (LkSession *self)
{
  g_return_val_if_fail (LK_IS_SESSION (self), LK_TASK_SORT);

  return self->has_plan ? current_block (self)->kind : LK_TASK_SORT;
}

/**
 * lk_session_get_block:
 * @n_blocks: (out) (optional): how many blocks the plan has (1 without a plan)
 *
 * Returns: the 0-based block under way (the next one during the break between two)
 */
guint
lk_session_get_block (LkSession *self,
                      guint     *n_blocks)
{
  g_return_val_if_fail (LK_IS_SESSION (self), 0);

  if (n_blocks != NULL)
    *n_blocks = self->has_plan ? self->plan.n_blocks : 1;

  return self->has_plan ? self->block : 0;
}

/**
 * lk_session_get_between_blocks:
 *
 * Returns: %TRUE during the break after a block, before the next block's instructions
 */
gboolean
lk_session_get_between_blocks (LkSession *self)
{
  g_return_val_if_fail (LK_IS_SESSION (self), FALSE);

  return self->between_blocks;
}

/**
 * lk_session_get_trial:
 *
 * Returns: (transfer none) (nullable): the trial shown (practice or recorded) in a block of a
 *   task other than sorting, or kept after a failed save; %NULL otherwise
 */
const LkTrial *
lk_session_get_trial (LkSession *self)
{
  g_return_val_if_fail (LK_IS_SESSION (self), NULL);

  return self->trial;
}

/**
 * lk_session_get_source:
 *
 * Returns: (transfer none): the study's images
 */
LkImageSource *
lk_session_get_source (LkSession *self)
{
  g_return_val_if_fail (LK_IS_SESSION (self), NULL);

  return self->source;
}

const char *
lk_session_get_participant (LkSession *self)
{
  g_return_val_if_fail (LK_IS_SESSION (self), NULL);

  return self->participant;
}

gboolean
lk_session_get_pilot (LkSession *self)
{
  g_return_val_if_fail (LK_IS_SESSION (self), FALSE);

  return self->pilot;
}

const char *
lk_session_get_consent (LkSession *self)
{
  g_return_val_if_fail (LK_IS_SESSION (self), NULL);

  return self->consent;
}

const char *
lk_session_get_instructions (LkSession *self)
{
  g_return_val_if_fail (LK_IS_SESSION (self), NULL);

  return self->instructions;
}

/**
 * lk_session_get_model:
 *
 * Returns: (transfer none) (nullable): the grid to show, the one kept after a failed save, or
 *   %NULL before the first and after the last
 */
LkSortModel *
lk_session_get_model (LkSession *self)
{
  g_return_val_if_fail (LK_IS_SESSION (self), NULL);

  return self->model;
}

/**
 * lk_session_get_run:
 *
 * Returns: (transfer none): the running study the session takes its grids from
 */
LkGridSource *
lk_session_get_run (LkSession *self)
{
  g_return_val_if_fail (LK_IS_SESSION (self), NULL);

  return self->run;
}

/**
 * lk_session_get_refine_worker:
 *
 * Returns: (transfer none): the worker refining the study's answers (the run's)
 */
LkRefineWorker *
lk_session_get_refine_worker (LkSession *self)
{
  g_return_val_if_fail (LK_IS_SESSION (self), NULL);

  return lk_grid_source_get_worker (self->run);
}

/**
 * lk_session_dup_next_items:
 * @n_items: (out): how many
 *
 * For decoding ahead: what the grid after the one shown will show, when that is known. It is
 * not for a practice grid (drawn when it comes), after the participant's last grid, or when the
 * run cannot tell (lk_grid_source_dup_next_items()).
 *
 * Returns: (transfer full) (nullable) (array length=n_items): the images, or %NULL
 */
guint *
lk_session_dup_next_items (LkSession *self,
                           guint     *n_items)
{
  g_return_val_if_fail (LK_IS_SESSION (self), NULL);
  g_return_val_if_fail (n_items != NULL, NULL);

  *n_items = 0;
  if (self->state != LK_SESSION_SORTING && self->state != LK_SESSION_BREAK)
    return NULL;
  if (lk_session_is_practice (self) && self->n_practice_done + 1 < block_practice (self))
    return NULL;
  if (self->has_plan)
    {
      if (current_block (self)->kind != LK_TASK_SORT || self->between_blocks
          || self->n_in_block + 1 >= block_total (self))
        return NULL;
      return lk_grid_source_dup_next_items (self->run, n_items);
    }
  if (!lk_session_is_practice (self) && self->setup.grids_per_participant > 0
      && self->n_mine + 1 >= self->setup.grids_per_participant)
    return NULL;

  return lk_grid_source_dup_next_items (self->run, n_items);
}

/**
 * lk_session_get_drawn:
 *
 * Returns: %TRUE if the recorded grid shown was drawn on the spot, because the phase's queue
 *   had run dry while the worker was updating
 */
gboolean
lk_session_get_drawn (LkSession *self)
{
  g_return_val_if_fail (LK_IS_SESSION (self), FALSE);

  return !lk_session_is_practice (self) && self->grid != NULL && lk_grid_get_drawn (self->grid);
}

/**
 * lk_session_is_practice:
 *
 * Returns: %TRUE while the grid shown is a practice grid (not recorded)
 */
gboolean
lk_session_is_practice (LkSession *self)
{
  g_return_val_if_fail (LK_IS_SESSION (self), FALSE);

  return self->n_practice_done < block_practice (self);
}

/**
 * lk_session_get_grid_number:
 *
 * Returns: the 1-based number of the grid shown, counted among practice grids, or among the
 *   participant's recorded ones (their earlier sessions' included)
 */
guint
lk_session_get_grid_number (LkSession *self)
{
  g_return_val_if_fail (LK_IS_SESSION (self), 0);

  if (self->has_plan && !lk_session_is_practice (self))
    return self->n_in_block + 1;

  return lk_session_is_practice (self) ? self->n_practice_done + 1 : self->n_mine + 1;
}

/**
 * lk_session_get_n_grids:
 *
 * Returns: how many practice grids there are while practising; else how many recorded grids
 *   the participant sorts: the study's grids per participant, or fewer when the budget left
 *   does not allow as many (all that is left when there is no limit)
 */
guint
lk_session_get_n_grids (LkSession *self)
{
  guint budget, answered, total;

  g_return_val_if_fail (LK_IS_SESSION (self), 0);

  if (lk_session_is_practice (self))
    return block_practice (self);
  if (self->has_plan)
    return block_total (self);
  budget = lk_grid_source_get_budget (self->run);
  answered = lk_grid_source_get_n_answered (self->run);
  total = self->n_mine + (budget > answered ? budget - answered : 0);
  if (self->setup.grids_per_participant > 0)
    total = MIN (total, self->setup.grids_per_participant);

  return total;
}

/**
 * lk_session_get_n_answered:
 *
 * Returns: the recorded grids the participant has sorted, their earlier sessions' included
 */
guint
lk_session_get_n_answered (LkSession *self)
{
  g_return_val_if_fail (LK_IS_SESSION (self), 0);

  return self->n_mine;
}

void
lk_session_accept_consent (LkSession *self)
{
  g_return_if_fail (LK_IS_SESSION (self));
  g_return_if_fail (self->state == LK_SESSION_CONSENT);

  set_state (self, LK_SESSION_INSTRUCTIONS);
}

/**
 * lk_session_decline_consent:
 *
 * Ends the session. Nothing has been, or will be, saved.
 */
void
lk_session_decline_consent (LkSession *self)
{
  g_return_if_fail (LK_IS_SESSION (self));
  g_return_if_fail (self->state == LK_SESSION_CONSENT);

  set_state (self, LK_SESSION_DECLINED);
}

/**
 * lk_session_begin:
 *
 * After the instructions: shows the first practice grid, or the first recorded one.
 */
void
lk_session_begin (LkSession *self)
{
  g_autoptr(LkSortModel) first = NULL;

  g_return_if_fail (LK_IS_SESSION (self));
  g_return_if_fail (self->state == LK_SESSION_INSTRUCTIONS
                    || self->state == LK_SESSION_PRACTICE_DONE);

  if (self->has_plan)
    {
      if (self->state == LK_SESSION_PRACTICE_DONE)
        {
          self->shown_us = g_get_real_time ();
          set_state (self, LK_SESSION_SORTING);
          return;
        }
      self->pending_state = LK_SESSION_SORTING;
      show_pending (self, NULL);
      return;
    }

  if (self->state == LK_SESSION_INSTRUCTIONS)
    {
      g_autoptr(GError) error = NULL;

      if (self->setup.n_practice > 0)
        first = practice_model (self);
      else
        first = next_model (self, &error);
      if (first == NULL && error != NULL)
        {
          fail_next (self, error);
          return;
        }
      set_model (self, first);
    }
  show_next (self, self->model, LK_SESSION_SORTING);
}

/* After a training page's Submit: its answer and score, kept for the feedback page (nothing is
 * stored). Returns FALSE with @error set if the answer cannot be read. */
static gboolean
show_feedback (LkSession  *self,
               GError    **error)
{
  const LkGoldGrid *gold = current_gold (self);
  g_autoptr(LkQuery) answer = lk_sort_model_to_query (self->model, error);
  g_autoptr(GError) local_error = NULL;
  double score;

  if (answer == NULL)
    return FALSE;
  score = lk_qc_exam_score (answer, gold->answer, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  g_clear_pointer (&self->feedback, lk_query_free);
  self->feedback = g_steal_pointer (&answer);
  self->feedback_score = score;
  set_state (self, LK_SESSION_FEEDBACK);

  return TRUE;
}

/**
 * lk_session_submit:
 *
 * Takes the grid shown as answered. A recorded grid is saved first; only then does the next
 * grid come. If saving fails the session goes to %LK_SESSION_SAVE_FAILED and keeps the answer
 * for lk_session_retry().
 *
 * Returns: %FALSE with @error set if the answer could not be saved
 */
gboolean
lk_session_submit (LkSession  *self,
                   GError    **error)
{
  g_return_val_if_fail (LK_IS_SESSION (self), FALSE);
  g_return_val_if_fail (self->state == LK_SESSION_SORTING, FALSE);
  g_return_val_if_fail (lk_sort_model_get_can_submit (self->model), FALSE);

  self->submitted_us = g_get_real_time ();
  if (self->has_plan && current_block (self)->kind == LK_TASK_TRAINING
      && !lk_session_is_practice (self))
    return show_feedback (self, error);
  if (!lk_session_is_practice (self) && !save_current (self, error))
    {
      set_state (self, LK_SESSION_SAVE_FAILED);
      return FALSE;
    }

  return self->has_plan ? plan_advance (self, error) : advance (self, error);
}

/**
 * lk_session_answer_trial:
 * @choice: the answer: for a triplet an #LkTripletAnswer in terms of the trial's A and B; for
 *   the others a position in the trial's items, or %LK_TRIAL_NONE for "none of these"
 *
 * Answers the trial shown, as lk_session_submit() does a grid: a recorded trial is stored
 * first (with the time from shown to answered), and only then does the next item come.
 *
 * Returns: %FALSE with @error set if the answer could not be stored
 */
gboolean
lk_session_answer_trial (LkSession  *self,
                         gint        choice,
                         GError    **error)
{
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (LK_IS_SESSION (self), FALSE);
  g_return_val_if_fail (self->state == LK_SESSION_SORTING, FALSE);
  g_return_val_if_fail (self->trial != NULL, FALSE);

  self->submitted_us = g_get_real_time ();
  self->trial->choice = choice;
  if (!lk_trial_validate (self->trial, &local_error))
    {
      /* A page gives only answers its trial allows; this is a programmer error, said once. */
      self->trial->choice = LK_TRIAL_UNANSWERED;
      g_critical ("invalid answer %d: %s", choice, local_error->message);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (!lk_session_is_practice (self) && !save_trial (self, error))
    {
      set_state (self, LK_SESSION_SAVE_FAILED);
      return FALSE;
    }

  return plan_advance (self, error);
}

/**
 * lk_session_retry:
 *
 * Saves the kept answer again, after a failure.
 *
 * Returns: %FALSE with @error set if it failed again
 */
gboolean
lk_session_retry (LkSession  *self,
                  GError    **error)
{
  g_return_val_if_fail (LK_IS_SESSION (self), FALSE);
  g_return_val_if_fail (self->state == LK_SESSION_SAVE_FAILED, FALSE);

  if (self->has_plan)
    {
      if (self->need_verdict)
        return exam_verdict (self, error);
      if (self->need_next)
        return show_pending (self, error);
      if (self->trial != NULL ? !save_trial (self, error) : !save_current (self, error))
        return FALSE;
      return plan_advance (self, error);
    }

  if (self->need_next)
    {
      g_autoptr(LkSortModel) first = NULL;

      /* The answer is stored (or none was given yet): only the next grid is missing. */
      if (self->model != NULL)
        return advance (self, error);
      first = next_model (self, error);
      if (first == NULL && error != NULL && *error != NULL)
        return fail_next (self, *error);
      show_next (self, first, LK_SESSION_SORTING);
      return TRUE;
    }

  if (!save_current (self, error))
    return FALSE;

  return advance (self, error);
}

/**
 * lk_session_get_error_message:
 *
 * Returns: (nullable): why the next grid could not be prepared, while the session is in
 *   %LK_SESSION_SAVE_FAILED for that reason
 */
const char *
lk_session_get_error_message (LkSession *self)
{
  g_return_val_if_fail (LK_IS_SESSION (self), NULL);

  return self->need_next || self->need_verdict ? self->error_message : NULL;
}

/**
 * lk_session_end:
 *
 * Records the end of the session in the study, when the experimenter leaves it before the
 * last grid. (A finished session records it by itself.)
 *
 * Returns: %FALSE with @error set if that could not be written
 */
gboolean
lk_session_end (LkSession  *self,
                GError    **error)
{
  g_return_val_if_fail (LK_IS_SESSION (self), FALSE);

  if (self->state == LK_SESSION_DONE || self->state == LK_SESSION_NOT_QUALIFIED)
    return TRUE;

  return lk_grid_source_end_session (self->run, error);
}

/**
 * lk_session_resume:
 *
 * Ends a break.
 */
void
lk_session_resume (LkSession *self)
{
  g_return_if_fail (LK_IS_SESSION (self));
  g_return_if_fail (self->state == LK_SESSION_BREAK);

  if (self->between_blocks)
    {
      self->between_blocks = FALSE;
      set_state (self, LK_SESSION_INSTRUCTIONS);
      return;
    }
  self->shown_us = g_get_real_time ();
  set_state (self, LK_SESSION_SORTING);
}

/**
 * lk_session_get_gold:
 *
 * Returns: (transfer none) (nullable): the gold grid of the training page or exam grid shown
 *   (or whose feedback is shown); %NULL for any other item
 */
const LkGoldGrid *
lk_session_get_gold (LkSession *self)
{
  g_return_val_if_fail (LK_IS_SESSION (self), NULL);

  if (self->state != LK_SESSION_SORTING && self->state != LK_SESSION_FEEDBACK)
    return NULL;

  return current_gold (self);
}

/**
 * lk_session_get_feedback:
 * @score: (out) (optional): the page's score against its known answer (lk_qc_exam_score(),
 *   0 to 100)
 *
 * Returns: (transfer none) (nullable): the answer to the training page whose feedback is shown
 *   (%LK_SESSION_FEEDBACK), its images in the gold grid's order; %NULL in any other state
 */
const LkQuery *
lk_session_get_feedback (LkSession *self,
                         double    *score)
{
  g_return_val_if_fail (LK_IS_SESSION (self), NULL);

  if (self->state != LK_SESSION_FEEDBACK)
    return NULL;
  if (score != NULL)
    *score = self->feedback_score;

  return self->feedback;
}

/**
 * lk_session_continue:
 *
 * Leaves a training page's feedback for the next page (or the next block).
 *
 * Returns: %FALSE with @error set if the next item could not be prepared (the session then
 *   waits for lk_session_retry())
 */
gboolean
lk_session_continue (LkSession  *self,
                     GError    **error)
{
  g_return_val_if_fail (LK_IS_SESSION (self), FALSE);
  g_return_val_if_fail (self->state == LK_SESSION_FEEDBACK, FALSE);

  g_clear_pointer (&self->feedback, lk_query_free);

  return plan_advance (self, error);
}

/**
 * lk_session_get_n_gold:
 * @kind: %LK_TASK_TRAINING or %LK_TASK_EXAM
 *
 * Returns: how many gold grids the study has for @kind's blocks (0 when the plan has none)
 */
guint
lk_session_get_n_gold (LkSession  *self,
                       LkTaskKind  kind)
{
  GPtrArray *gold;

  g_return_val_if_fail (LK_IS_SESSION (self), 0);

  gold = kind == LK_TASK_TRAINING ? self->training_gold
       : kind == LK_TASK_EXAM ? self->exam_gold : NULL;

  return gold != NULL ? gold->len : 0;
}

/**
 * lk_session_get_exam_mean:
 *
 * Returns: the mean score of the exam answers given in this session, or NAN before the first
 */
double
lk_session_get_exam_mean (LkSession *self)
{
  double sum = 0;

  g_return_val_if_fail (LK_IS_SESSION (self), NAN);

  if (self->exam_scores->len == 0)
    return NAN;
  for (guint i = 0; i < self->exam_scores->len; i++)
    sum += g_array_index (self->exam_scores, double, i);

  return sum / self->exam_scores->len;
}
