/* lk-params.c
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "lk-params.h"

#include "lk-error.h"

/* Sets @error to a validation message and returns FALSE, in the two validation functions. */
#define FAIL(...) \
  G_STMT_START { \
    g_set_error (error, LK_CORE_ERROR, LK_CORE_ERROR_INVALID_ARGUMENT, __VA_ARGS__); \
    return FALSE; \
  } G_STMT_END

/**
 * lk_params_init:
 * @params: (out caller-allocates): parameters to fill
 *
 * Fills @params with the defaults. The paper fixes nq, nc and beta; the rest were chosen by
 * measurement on `colors:1000` (README.md, "Choices"): d = 2 collapses, d = 3 is the best of
 * 2..6, k = 40 leaves room to sample 19 neighbours without making the grid global, and 200
 * Sammon iterations reach a stress plateau.
 */
void
lk_params_init (LkParams *params)
{
  g_return_if_fail (params != NULL);

  *params = (LkParams) {
    .nq = 20,
    .nc = 4,
    .budget = 1200,
    .phases = 5,
    .knn_k = 40,
    .dim = 3,
    .beta = 4.0,
    .epsilon = 1e-3,
    .iterations = 200,
    .magic = 0.3,
    .triplet_alpha = 3.0,
    .triplet_answers = 50,
    .triplet_iterations = 3000,
    .triplet_first_iterations = 3000,
    .triplet_rate = 0.1,
    .triplet_guess = 0.9,
    .seed = 1,
  };
}

/**
 * lk_params_validate:
 * @params: parameters
 * @n_items: size of the collection they will be used on
 * @error: return location for a #GError
 *
 * Checks that @params make sense for a collection of @n_items items.
 *
 * Returns: %TRUE if they do; otherwise %FALSE with @error saying what is wrong and what is allowed.
 */
gboolean
lk_params_validate (const LkParams *params,
                    guint           n_items,
                    GError        **error)
{
  g_return_val_if_fail (params != NULL, FALSE);

  if (params->nq < 2)
    FAIL ("images per grid (nq) must be at least 2, got %u", params->nq);
  if (params->nq > n_items)
    FAIL ("images per grid (nq = %u) cannot exceed the collection size (%u)", params->nq, n_items);
  if (params->nc < 2 || params->nc > 32)
    FAIL ("bins per grid (nc) must be between 2 and 32, got %u", params->nc);
  if (params->budget < 1)
    FAIL ("the budget must be at least 1 query");
  if (params->phases < 1 || params->phases > params->budget)
    FAIL ("phases must be between 1 and the budget (%u), got %u", params->budget, params->phases);
  if (params->knn_k + 1 < params->nq || params->knn_k >= n_items)
    FAIL ("the neighbourhood size k must be at least nq - 1 (%u) and below the collection size "
          "(%u), got %u", params->nq - 1, n_items, params->knn_k);
  if (params->dim < 1 || params->dim > 64)
    FAIL ("the embedding dimension must be between 1 and 64, got %u", params->dim);
  if (!(params->beta > 1.0))
    FAIL ("beta must be greater than 1, got %g", params->beta);
  if (!(params->epsilon > 0.0 && params->epsilon <= 1.0))
    FAIL ("epsilon must be in (0, 1], got %g", params->epsilon);
  if (params->iterations < 1)
    FAIL ("the number of iterations must be at least 1");
  if (!(params->magic > 0.0 && params->magic <= 1.0))
    FAIL ("the Sammon step factor must be in (0, 1], got %g", params->magic);
  if (!(params->triplet_alpha > 0.0 && params->triplet_alpha <= 1e6))
    FAIL ("the triplet kernel's degrees of freedom must be in (0, 1e6], got %g",
          params->triplet_alpha);
  if (params->triplet_answers < 1 || params->triplet_iterations < 1 ||
      params->triplet_first_iterations < 1)
    FAIL ("the triplet method needs at least 1 answer per iteration and 1 iteration");
  if (!(params->triplet_rate > 0.0 && params->triplet_rate <= 1.0))
    FAIL ("the triplet step size must be in (0, 1], got %g", params->triplet_rate);
  if (!(params->triplet_guess >= 0.0 && params->triplet_guess < 1.0))
    FAIL ("the triplet guessing share must be in [0, 1), got %g", params->triplet_guess);

  return TRUE;
}

/**
 * lk_params_choose_k:
 * @params: parameters (nq is read)
 * @n_items: size of the collection
 *
 * The neighbourhood size k for a study whose experimenter did not choose one: the default (40)
 * when the collection allows it, else the largest valid value below it, n_items - 1. A grid's
 * nq - 1 neighbours must fit in k, so for grids of more than 41 images it is nq - 1, the
 * smallest valid value.
 *
 * Returns: k, or 0 when no k is valid (the collection is smaller than a grid)
 */
guint
lk_params_choose_k (const LkParams *params,
                    guint           n_items)
{
  LkParams defaults;

  g_return_val_if_fail (params != NULL, 0);

  if (params->nq < 2 || n_items < params->nq)
    return 0;
  lk_params_init (&defaults);

  return MAX (MIN (defaults.knn_k, n_items - 1), params->nq - 1);
}

/**
 * lk_params_validate_study:
 * @params: a study's parameters
 * @n_items: the size of its collection; G_MAXUINT before the images are imported checks
 *   everything that does not depend on it
 * @error: return location for a #GError
 *
 * The one rule for a study, used when it is created (by the command line and the Create page)
 * and when it is opened: lk_params_validate() plus what a participant's session needs, at most
 * %LK_PARAMS_STUDY_MAX_NC bins (one number key each) and %LK_PARAMS_STUDY_MAX_NQ images per
 * grid. The messages name what to change.
 *
 * Returns: %TRUE if a study with @params on @n_items images can run
 */
gboolean
lk_params_validate_study (const LkParams *params,
                          guint           n_items,
                          GError        **error)
{
  g_return_val_if_fail (params != NULL, FALSE);

  if (n_items == 0)
    FAIL ("The collection has no images: import a folder with at least %u images (one grid, "
          "nq)", MAX (params->nq, 2));
  if (params->nc < 2 || params->nc > LK_PARAMS_STUDY_MAX_NC)
    FAIL ("A grid has between 2 and %u bins (nc), one number key each: choose nc from 2 to %u, "
          "not %u", LK_PARAMS_STUDY_MAX_NC, LK_PARAMS_STUDY_MAX_NC, params->nc);
  if (params->nq < 2 || params->nq > LK_PARAMS_STUDY_MAX_NQ)
    FAIL ("A grid shows between 2 and %u images (nq): choose nq from 2 to %u, not %u",
          LK_PARAMS_STUDY_MAX_NQ, LK_PARAMS_STUDY_MAX_NQ, params->nq);
  if (params->nq > n_items)
    FAIL ("The collection has %u images, fewer than one grid shows (nq = %u): choose nq of at "
          "most %u, or import more images", n_items, params->nq, n_items);
  if (params->knn_k + 1 < params->nq && n_items == G_MAXUINT)
    FAIL ("The neighbourhood size k = %u must be at least nq - 1 = %u: choose k of at least %u, "
          "or leave it out to have it chosen", params->knn_k, params->nq - 1, params->nq - 1);
  if (params->knn_k + 1 < params->nq || params->knn_k >= n_items)
    FAIL ("The neighbourhood size k = %u must be at least nq - 1 = %u and below the number of "
          "images (%u): choose k from %u to %u, or leave it out to have it chosen (%u)",
          params->knn_k, params->nq - 1, n_items, params->nq - 1, n_items - 1,
          lk_params_choose_k (params, n_items));
  if (params->budget < 1 || params->phases < 1 || params->phases > params->budget)
    FAIL ("A study needs a budget of at least 1 grid and from 1 phase to one phase per grid: "
          "choose phases from 1 to the budget (%u), not %u", params->budget, params->phases);

  return lk_params_validate (params, n_items, error);
}

/**
 * lk_params_batch_size:
 * @params: parameters
 * @phase: phase index, from 0
 *
 * The number of queries asked in @phase: the budget split evenly over the phases, the
 * remainder going to the first phases.
 *
 * Returns: the batch size, 0 for a phase past the last one
 */
guint
lk_params_batch_size (const LkParams *params,
                      guint           phase)
{
  guint base, extra;

  g_return_val_if_fail (params != NULL && params->phases > 0, 0);

  if (phase >= params->phases)
    return 0;

  base = params->budget / params->phases;
  extra = params->budget % params->phases;

  return base + (phase < extra ? 1 : 0);
}
