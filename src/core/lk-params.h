/* lk-params.h — every parameter of a refinement run, with documented defaults
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * LkParams:
 *
 * The parameters of one study or simulation. Everything needed to re-run the analysis exactly is
 * here; the store saves it with the study. Defaults come from lk_params_init(); the values the
 * paper (`000_b28b33f9dbf275aa.txt`, section 3) fixes are nq = 20, nc = 4 and beta = 4, and the
 * others are choices the paper leaves open, each measured (see README.md, "Choices").
 */
typedef struct {
  /* Queries */
  guint   nq;               /* images per grid (paper: 20) */
  guint   nc;               /* bins per grid (paper: 4) */
  guint   budget;           /* total queries */
  guint   phases;           /* refinement phases; batch = budget / phases */
  guint   knn_k;            /* neighbourhood size for local queries (open; 40) */

  /* Embedding */
  guint   dim;              /* embedding dimension (open; 3) */
  double  beta;             /* distance update factor (paper: 4) */
  double  epsilon;          /* weight of pairs never updated (open; 1e-3) */
  guint   iterations;       /* Sammon iterations per phase (open; 200) */
  double  magic;            /* initial step factor of Sammon's diagonal Newton step (0.3) */

  /* The triplet method (lk-method-triplet.c), which goes beyond the paper */
  double  triplet_alpha;      /* degrees of freedom of the Student-t kernel (3) */
  guint   triplet_answers;    /* answers drawn per optimiser iteration, in epochs (50) */
  guint   triplet_iterations; /* Adam iterations per phase (3000) */
  guint   triplet_first_iterations; /* Adam iterations of the first, random-query phase (3000) */
  double  triplet_rate;       /* Adam step size, in embedding units (0.1) */
  double  triplet_guess;      /* share of each answer attributed to chance (0.9) */

  guint64 seed;             /* every random choice derives from this */
} LkParams;

/* A study's limits beyond the method's: one number key per bin (1 to 9, then 0: paper 001's
 * ten groups), and a grid that fits the sorting screen (the Create page's range). */
#define LK_PARAMS_STUDY_MAX_NC 10
#define LK_PARAMS_STUDY_MAX_NQ 60

void     lk_params_init      (LkParams       *params);
gboolean lk_params_validate  (const LkParams *params,
                              guint           n_items,
                              GError        **error);
gboolean lk_params_validate_study (const LkParams *params,
                                   guint           n_items,
                                   GError        **error);
guint    lk_params_choose_k  (const LkParams *params,
                              guint           n_items);
guint    lk_params_batch_size (const LkParams *params,
                               guint           phase);

G_END_DECLS
