/* test-params.c — the defaults, validation and the split of the budget into phases
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <math.h>
#include <string.h>

#include "lk-core.h"

/* The paper fixes nq = 20, nc = 4 and beta = 4; the others are the measured choices README.md
 * states ("Choices"). */
static void
test_defaults (void)
{
  LkParams p;
  g_autoptr(GError) error = NULL;

  memset (&p, 0xa5, sizeof p);
  lk_params_init (&p);
  g_assert_cmpuint (p.nq, ==, 20);
  g_assert_cmpuint (p.nc, ==, 4);
  g_assert_cmpfloat (p.beta, ==, 4.0);
  g_assert_cmpuint (p.knn_k, ==, 40);
  g_assert_cmpuint (p.dim, ==, 3);
  g_assert_cmpfloat (p.epsilon, ==, 1e-3);
  g_assert_cmpuint (p.iterations, ==, 200);
  g_assert_cmpuint (p.budget, ==, 1200);
  g_assert_cmpuint (p.phases, ==, 5);

  g_assert_true (lk_params_validate (&p, 1000, &error));
  g_assert_no_error (error);
}

typedef struct {
  const char *what;
  void      (*apply) (LkParams *p);
} Change;

#define CHANGE(name, body) \
  static void name (LkParams *p) { body; }

CHANGE (nq_1, p->nq = 1)
CHANGE (nq_above_n, p->nq = 101; p->knn_k = 99)
CHANGE (nc_1, p->nc = 1)
CHANGE (nc_33, p->nc = 33)
CHANGE (budget_0, p->budget = 0; p->phases = 0)
CHANGE (phases_0, p->phases = 0)
CHANGE (phases_above_budget, p->budget = 4; p->phases = 5)
CHANGE (k_below_nq, p->knn_k = 18)
CHANGE (k_n, p->knn_k = 100)
CHANGE (dim_0, p->dim = 0)
CHANGE (dim_65, p->dim = 65)
CHANGE (beta_1, p->beta = 1.0)
CHANGE (beta_nan, p->beta = NAN)
CHANGE (epsilon_0, p->epsilon = 0.0)
CHANGE (epsilon_above_1, p->epsilon = 1.5)
CHANGE (epsilon_nan, p->epsilon = NAN)
CHANGE (iterations_0, p->iterations = 0)
CHANGE (magic_0, p->magic = 0.0)
CHANGE (magic_above_1, p->magic = 1.25)
CHANGE (alpha_0, p->triplet_alpha = 0.0)
CHANGE (answers_0, p->triplet_answers = 0)
CHANGE (t_iterations_0, p->triplet_iterations = 0)
CHANGE (t_first_0, p->triplet_first_iterations = 0)
CHANGE (rate_0, p->triplet_rate = 0.0)
CHANGE (guess_1, p->triplet_guess = 1.0)
CHANGE (guess_negative, p->triplet_guess = -0.125)

/* Each bad value alone, on a collection of 100 items, is refused with INVALID_ARGUMENT. */
static void
test_validate_rejects (void)
{
  const Change bad[] = {
    { "nq = 1", nq_1 }, { "nq > n", nq_above_n }, { "nc = 1", nc_1 }, { "nc = 33", nc_33 },
    { "budget = 0", budget_0 }, { "phases = 0", phases_0 },
    { "phases > budget", phases_above_budget }, { "k < nq - 1", k_below_nq },
    { "k = n", k_n }, { "dim = 0", dim_0 }, { "dim = 65", dim_65 }, { "beta = 1", beta_1 },
    { "beta = nan", beta_nan }, { "epsilon = 0", epsilon_0 }, { "epsilon > 1", epsilon_above_1 },
    { "epsilon = nan", epsilon_nan }, { "iterations = 0", iterations_0 },
    { "magic = 0", magic_0 }, { "magic > 1", magic_above_1 }, { "alpha = 0", alpha_0 },
    { "triplet answers = 0", answers_0 }, { "triplet iterations = 0", t_iterations_0 },
    { "triplet first iterations = 0", t_first_0 }, { "triplet rate = 0", rate_0 },
    { "triplet guess = 1", guess_1 }, { "triplet guess < 0", guess_negative },
  };

  for (guint c = 0; c < G_N_ELEMENTS (bad); c++)
    {
      g_autoptr(GError) error = NULL;
      LkParams p;

      lk_params_init (&p);
      bad[c].apply (&p);
      g_test_message ("%s", bad[c].what);
      g_assert_true (!lk_params_validate (&p, 100, &error));
      g_assert_error (error, LK_CORE_ERROR, LK_CORE_ERROR_INVALID_ARGUMENT);
      g_test_message ("%s", error->message);
    }
}

CHANGE (nq_2, p->nq = 2)
CHANGE (nc_2, p->nc = 2)
CHANGE (nc_32, p->nc = 32)
CHANGE (phases_budget, p->budget = 7; p->phases = 7)
CHANGE (k_nq_minus_1, p->knn_k = 19)
CHANGE (k_n_minus_1, p->knn_k = 99)
CHANGE (nq_n, p->nq = 100; p->knn_k = 99)
CHANGE (dim_1, p->dim = 1)
CHANGE (dim_64, p->dim = 64)
CHANGE (beta_above_1, p->beta = 1.0625)
CHANGE (epsilon_1, p->epsilon = 1.0)
CHANGE (iterations_1, p->iterations = 1)
CHANGE (magic_1, p->magic = 1.0)
CHANGE (guess_0, p->triplet_guess = 0.0)

/* The edges of the allowed ranges are allowed, so validation is not stricter than documented. */
static void
test_validate_accepts_edges (void)
{
  const Change good[] = {
    { "nq = 2", nq_2 }, { "nc = 2", nc_2 }, { "nc = 32", nc_32 },
    { "phases = budget", phases_budget }, { "k = nq - 1", k_nq_minus_1 },
    { "k = n - 1", k_n_minus_1 }, { "nq = n", nq_n }, { "dim = 1", dim_1 },
    { "dim = 64", dim_64 }, { "beta slightly above 1", beta_above_1 },
    { "epsilon = 1", epsilon_1 }, { "iterations = 1", iterations_1 }, { "magic = 1", magic_1 },
    { "triplet guess = 0", guess_0 },
  };

  for (guint c = 0; c < G_N_ELEMENTS (good); c++)
    {
      g_autoptr(GError) error = NULL;
      LkParams p;

      lk_params_init (&p);
      good[c].apply (&p);
      g_test_message ("%s", good[c].what);
      g_assert_true (lk_params_validate (&p, 100, &error));
      g_assert_no_error (error);
    }
}

/* Hand-worked splits: the remainder goes to the first phases; past the last phase it is 0. */
static void
test_batch_size_examples (void)
{
  const struct {
    guint budget, phases;
    guint sizes[6];
  } cases[] = {
    { 103, 5, { 21, 21, 21, 20, 20, 0 } },
    { 1200, 5, { 240, 240, 240, 240, 240, 0 } },
    { 7, 3, { 3, 2, 2, 0 } },
    { 5, 5, { 1, 1, 1, 1, 1, 0 } },
    { 9, 1, { 9, 0 } },
  };

  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      LkParams p;

      lk_params_init (&p);
      p.budget = cases[c].budget;
      p.phases = cases[c].phases;
      for (guint ph = 0; ph <= cases[c].phases; ph++)
        g_assert_cmpuint (lk_params_batch_size (&p, ph), ==, cases[c].sizes[ph]);
      g_assert_cmpuint (lk_params_batch_size (&p, cases[c].phases + 10), ==, 0);
    }
}

/* For every budget up to 80 and every number of phases it allows: the batches sum to the
 * budget, none is empty, they never grow, and they differ by at most one. */
static void
test_batch_size_sums (void)
{
  for (guint budget = 1; budget <= 80; budget++)
    for (guint phases = 1; phases <= budget; phases++)
      {
        LkParams p;
        guint sum = 0, prev = G_MAXUINT, first, last;

        lk_params_init (&p);
        p.budget = budget;
        p.phases = phases;
        first = lk_params_batch_size (&p, 0);
        last = lk_params_batch_size (&p, phases - 1);
        for (guint ph = 0; ph < phases; ph++)
          {
            guint b = lk_params_batch_size (&p, ph);

            g_assert_cmpuint (b, >=, 1);
            g_assert_cmpuint (b, <=, prev);
            sum += b;
            prev = b;
          }
        g_assert_cmpuint (sum, ==, budget);
        g_assert_cmpuint (first - last, <=, 1);
      }
}

/* The chosen k: the default where the collection allows it, else the largest valid value
 * below it; nq - 1 for grids larger than the default; 0 when a grid does not fit. */
static void
test_choose_k (void)
{
  const struct {
    guint nq, n, k;
  } cases[] = {
    { 20, 1000, 40 }, { 20, 41, 40 }, { 20, 40, 39 }, { 20, 30, 29 }, { 20, 20, 19 },
    { 20, 19, 0 }, { 20, 0, 0 }, { 60, 100, 59 }, { 42, 43, 41 }, { 3, 7, 6 },
  };

  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      g_autoptr(GError) error = NULL;
      LkParams p;

      lk_params_init (&p);
      p.nq = cases[c].nq;
      g_assert_cmpuint (lk_params_choose_k (&p, cases[c].n), ==, cases[c].k);
      if (cases[c].k == 0)
        continue;
      /* A chosen k always passes the study's rule. */
      p.knn_k = cases[c].k;
      g_assert_true (lk_params_validate_study (&p, cases[c].n, &error));
      g_assert_no_error (error);
    }
}

/* The study's rule: what a session cannot run is refused, and the message names what to
 * change; before the import (n = G_MAXUINT) only what does not depend on the collection. */
static void
test_validate_study (void)
{
  const struct {
    guint nq, nc, k, budget, phases, n;
    const char *says;   /* NULL: accepted */
  } cases[] = {
    { 20, 4, 40, 1200, 5, 1000, NULL },
    { 20, 9, 40, 1200, 5, 1000, NULL },
    { 24, 10, 40, 1200, 5, 1000, NULL },
    { 20, 11, 40, 1200, 5, 1000, "choose nc from 2 to 10" },
    { 20, 11, 40, 1200, 5, G_MAXUINT, "choose nc from 2 to 10" },
    { 20, 4, 40, 1200, 5, G_MAXUINT, NULL },
    { 60, 4, 59, 1200, 5, 100, NULL },
    { 61, 4, 60, 1200, 5, 100, "choose nq from 2 to 60" },
    { 60, 4, 40, 1200, 5, 100, "choose k from 59 to 99" },
    { 20, 4, 40, 1200, 5, 30, "choose k from 19 to 29, or leave it out to have it chosen (29)" },
    { 20, 4, 40, 1200, 5, 0, "no images" },
    { 20, 4, 9, 1200, 5, 10, "choose nq of at most 10" },
    { 20, 4, 40, 4, 5, 1000, "choose phases from 1 to the budget (4)" },
    { 20, 4, 40, 1200, 5, 40, "choose k from 19 to 39" },
    { 20, 4, 12, 1200, 5, G_MAXUINT, "choose k of at least 19" },
  };

  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      g_autoptr(GError) error = NULL;
      LkParams p;

      lk_params_init (&p);
      p.nq = cases[c].nq;
      p.nc = cases[c].nc;
      p.knn_k = cases[c].k;
      p.budget = cases[c].budget;
      p.phases = cases[c].phases;
      g_test_message ("case %u", c);
      if (cases[c].says == NULL)
        {
          g_assert_true (lk_params_validate_study (&p, cases[c].n, &error));
          g_assert_no_error (error);
          continue;
        }
      g_assert_false (lk_params_validate_study (&p, cases[c].n, &error));
      g_assert_error (error, LK_CORE_ERROR, LK_CORE_ERROR_INVALID_ARGUMENT);
      g_test_message ("%s", error->message);
      g_assert_nonnull (strstr (error->message, cases[c].says));
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/lk/core/params/defaults", test_defaults);
  g_test_add_func ("/lk/core/params/validate-rejects", test_validate_rejects);
  g_test_add_func ("/lk/core/params/validate-accepts-edges", test_validate_accepts_edges);
  g_test_add_func ("/lk/core/params/choose-k", test_choose_k);
  g_test_add_func ("/lk/core/params/validate-study", test_validate_study);
  g_test_add_func ("/lk/core/params/batch-size-examples", test_batch_size_examples);
  g_test_add_func ("/lk/core/params/batch-size-sums", test_batch_size_sums);

  return g_test_run ();
}
