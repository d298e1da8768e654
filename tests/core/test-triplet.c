/* test-triplet.c — the "triplet" method: its comparisons, its gradient, a 1-D recovery
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <math.h>
#include <string.h>

#include <gsl/gsl_randist.h>

#include "lk-core.h"
#include "lk-triplet-private.h"

/* Returns a new answered query of @n items with the given bins. */
static LkQuery *
answered (const guint *items,
          const gint  *bins,
          guint        n,
          guint        nc)
{
  g_autoptr(GError) error = NULL;
  LkQuery *q = lk_query_new (items, n);

  g_assert_true (lk_query_set_answer (q, bins, nc, &error));
  g_assert_no_error (error);

  return q;
}

static void
test_comparisons_by_hand (void)
{
  /* Grid 10 11 12 13 14; bins: 10 -> 1, 11 -> 0, 12 -> 1, 13 left out, 14 -> 0.
   * Bin 0 = {11, 14}, bin 1 = {10, 12}, left out = {13}. Every binned x is closer to its own
   * bin than to the other bin and than to 13; 13 is never an x (two left-out items say nothing,
   * and it has no bin of its own). In the documented order (bins ascending, grid order within,
   * rival bins first, then left-out items):
   *   (11, 0 | bin 1) (11, 0 | left-out 13) (14, 0 | bin 1) (14, 0 | left-out 13)
   *   (10, 1 | bin 0) (10, 1 | left-out 13) (12, 1 | bin 0) (12, 1 | left-out 13)
   */
  const guint items[] = { 10, 11, 12, 13, 14 };
  const gint bins[] = { 1, 0, 1, LK_BIN_LEFT_OUT, 0 };
  const LkComparison expected[] = {
    { 11, 0, 1, 0 }, { 11, 0, LK_BIN_LEFT_OUT, 13 },
    { 14, 0, 1, 0 }, { 14, 0, LK_BIN_LEFT_OUT, 13 },
    { 10, 1, 0, 0 }, { 10, 1, LK_BIN_LEFT_OUT, 13 },
    { 12, 1, 0, 0 }, { 12, 1, LK_BIN_LEFT_OUT, 13 },
  };
  g_autoptr(LkQuery) q = answered (items, bins, 5, 4);
  g_autoptr(GArray) got = lk_triplet_comparisons (q);

  g_assert_cmpuint (got->len, ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < got->len; i++)
    {
      const LkComparison *c = &g_array_index (got, LkComparison, i);

      g_assert_cmpuint (c->item, ==, expected[i].item);
      g_assert_cmpint (c->bin, ==, expected[i].bin);
      g_assert_cmpint (c->rival_bin, ==, expected[i].rival_bin);
      g_assert_cmpuint (c->rival_item, ==, expected[i].rival_item);
    }
}

static void
test_comparisons_none (void)
{
  const guint items[] = { 0, 1, 2 };
  const gint all_out[] = { LK_BIN_LEFT_OUT, LK_BIN_LEFT_OUT, LK_BIN_LEFT_OUT };
  const gint one_bin[] = { 2, 2, 2 };
  const gint one_and_out[] = { LK_BIN_LEFT_OUT, 3, LK_BIN_LEFT_OUT };
  g_autoptr(LkQuery) a = answered (items, all_out, 3, 4);
  g_autoptr(LkQuery) b = answered (items, one_bin, 3, 4);
  g_autoptr(LkQuery) c = answered (items, one_and_out, 3, 4);
  g_autoptr(GArray) ca = lk_triplet_comparisons (a);
  g_autoptr(GArray) cb = lk_triplet_comparisons (b);
  g_autoptr(GArray) cc = lk_triplet_comparisons (c);

  /* Nothing to compare against: everything left out, or everything in one bin. */
  g_assert_cmpuint (ca->len, ==, 0);
  g_assert_cmpuint (cb->len, ==, 0);
  /* One binned item against two left-out ones: two comparisons. */
  g_assert_cmpuint (cc->len, ==, 2);
  g_assert_cmpuint (g_array_index (cc, LkComparison, 0).rival_item, ==, 0);
  g_assert_cmpuint (g_array_index (cc, LkComparison, 1).rival_item, ==, 2);
}

/* Checks the analytic gradient against central differences for one kernel and guessing share. */
static void
check_gradient (double alpha,
                double guess)
{
  const guint n = 9, dim = 3;
  const guint g1[] = { 0, 1, 2, 3, 4, 5 };
  const gint b1[] = { 0, 0, 1, LK_BIN_LEFT_OUT, 1, 2 };
  const guint g2[] = { 8, 6, 7, 0, 3 };
  const gint b2[] = { 1, 1, 0, LK_BIN_LEFT_OUT, LK_BIN_LEFT_OUT };
  const guint g3[] = { 2, 5, 8, 1 };
  const gint b3[] = { 3, 0, 3, 3 };
  g_autoptr(GPtrArray) answers = g_ptr_array_new_with_free_func ((GDestroyNotify) lk_query_free);
  g_autoptr(gsl_rng) rng = lk_rng_new (7);
  double x[9 * 3], grad[9 * 3], loss;

  g_ptr_array_add (answers, answered (g1, b1, G_N_ELEMENTS (g1), 4));
  g_ptr_array_add (answers, answered (g2, b2, G_N_ELEMENTS (g2), 4));
  g_ptr_array_add (answers, answered (g3, b3, G_N_ELEMENTS (g3), 4));
  for (guint i = 0; i < n * dim; i++)
    x[i] = 2.0 * gsl_rng_uniform (rng) - 1.0;

  loss = lk_triplet_loss (x, n, dim, answers, alpha, guess, grad);
  g_assert_true (isfinite (loss) && loss > 0.0);
  g_assert_cmpfloat_with_epsilon (lk_triplet_loss (x, n, dim, answers, alpha, guess, NULL), loss, 1e-15);

  for (guint i = 0; i < n * dim; i++)
    {
      const double h = 1e-5;
      double keep = x[i], up, down;

      x[i] = keep + h;
      up = lk_triplet_loss (x, n, dim, answers, alpha, guess, NULL);
      x[i] = keep - h;
      down = lk_triplet_loss (x, n, dim, answers, alpha, guess, NULL);
      x[i] = keep;

      g_assert_cmpfloat_with_epsilon (grad[i], (up - down) / (2 * h), 1e-7);
    }

  /* The gradient is not trivially zero: some coordinates really move the loss. */
  {
    double norm = 0.0;
    for (guint i = 0; i < n * dim; i++)
      norm += grad[i] * grad[i];
    g_assert_cmpfloat (norm, >, 1e-4);
  }
}

static void
test_gradient (void)
{
  check_gradient (5.0, 0.0);    /* a cube of q */
  check_gradient (1.0, 0.0);    /* Cauchy */
  check_gradient (2.5, 0.0);    /* the pow() path */
  check_gradient (3.0, 0.9);    /* the defaults: a square of q, mostly guessing */
  check_gradient (2.5, 0.35);
}

/* Returns an answered trial of @kind over @items with @choice. */
static LkTrial *
trial_answered (LkTaskKind   kind,
                const guint *items,
                guint        n,
                gint         choice)
{
  LkTrial *t = lk_trial_new (kind, items, n);

  t->choice = choice;
  g_assert_true (lk_trial_validate (t, NULL));

  return t;
}

/* The gradient of the loss over grids and trial comparisons together against central
 * differences, and with trial comparisons alone (no grid). */
static void
check_gradient_trials (double   alpha,
                       double   guess,
                       gboolean with_grids)
{
  const guint n = 9, dim = 3;
  const guint g1[] = { 0, 1, 2, 3, 4, 5 };
  const gint b1[] = { 0, 0, 1, LK_BIN_LEFT_OUT, 1, 2 };
  const guint t1[] = { 4, 7, 2 };
  const guint c1[] = { 8, 0, 1, 2, 3, 6 };
  const guint i1[] = { 0, 1, 2, 3, 4, 5, 6, 7 };
  g_autoptr(GPtrArray) answers = g_ptr_array_new_with_free_func ((GDestroyNotify) lk_query_free);
  g_autoptr(GArray) cmps = g_array_new (FALSE, FALSE, sizeof (LkTrialComparison));
  g_autoptr(gsl_rng) rng = lk_rng_new (11);
  g_autoptr(LkTrial) triplet = trial_answered (LK_TASK_TRIPLET, t1, 3, LK_TRIPLET_ANSWER_B_CLOSER);
  g_autoptr(LkTrial) choice = trial_answered (LK_TASK_CHOICE5, c1, 6, 3);
  g_autoptr(LkTrial) intruder = trial_answered (LK_TASK_INTRUDER, i1, 8, 6);
  double x[9 * 3], grad[9 * 3], loss, norm = 0.0;

  if (with_grids)
    g_ptr_array_add (answers, answered (g1, b1, G_N_ELEMENTS (g1), 4));
  g_assert_cmpuint (lk_trial_comparisons (triplet, cmps), ==, 1);
  g_assert_cmpuint (lk_trial_comparisons (choice, cmps), ==, 4);
  g_assert_cmpuint (lk_trial_comparisons (intruder, cmps), ==, 7);
  for (guint i = 0; i < n * dim; i++)
    x[i] = 2.0 * gsl_rng_uniform (rng) - 1.0;

  loss = lk_triplet_loss_full (x, n, dim, answers, cmps, alpha, guess, grad);
  g_assert_true (isfinite (loss) && loss > 0.0);
  for (guint i = 0; i < n * dim; i++)
    {
      const double h = 1e-5;
      double keep = x[i], up, down;

      x[i] = keep + h;
      up = lk_triplet_loss_full (x, n, dim, answers, cmps, alpha, guess, NULL);
      x[i] = keep - h;
      down = lk_triplet_loss_full (x, n, dim, answers, cmps, alpha, guess, NULL);
      x[i] = keep;

      g_assert_cmpfloat_with_epsilon (grad[i], (up - down) / (2 * h), 1e-7);
      norm += grad[i] * grad[i];
    }
  g_assert_cmpfloat (norm, >, 1e-4);
}

static void
test_gradient_trials (void)
{
  check_gradient_trials (5.0, 0.0, TRUE);
  check_gradient_trials (1.0, 0.0, TRUE);
  check_gradient_trials (2.5, 0.35, TRUE);
  check_gradient_trials (3.0, 0.9, TRUE);
  check_gradient_trials (3.0, 0.0, FALSE);
  check_gradient_trials (2.5, 0.9, FALSE);
}

/* One trial comparison and one grid in 1-D, alpha = 1 (K = 1 / (1 + d^2)). Grid: items 0, 1
 * in bin 0 at 0 and 1, item 2 alone in bin 1 at 3 (the terms of test_loss_by_hand(), shares
 * 0.8 / 0.9, 0.8 and 1 / (1 + 1 / 7.25)). Trial: "0 is closer to 2 than to 1", items at 0, 1,
 * 3: K(0, 2) = 1 / 10, K(0, 1) = 1 / 2, share 0.1 / 0.6 = 1 / 6. With guessing share g the
 * trial's term is -log (g / 2 + (1 - g) / 6), and the loss the mean of the four terms (one
 * trial comparison weighs as one binned item). */
static void
test_loss_trials_by_hand (void)
{
  const guint items[] = { 0, 1, 2 };
  const gint bins[] = { 0, 0, 1 };
  const double x[] = { 0.0, 1.0, 3.0 };
  const double s[] = { 0.8 / 0.9, 0.8, 1.0 / (1.0 + 1.0 / 7.25), 1.0 / 6.0 };
  const double guesses[] = { 0.0, 0.5, 0.9 };
  const LkTrialComparison c = { 0, 2, 1 };
  g_autoptr(GPtrArray) answers = g_ptr_array_new_with_free_func ((GDestroyNotify) lk_query_free);
  g_autoptr(GPtrArray) none = g_ptr_array_new ();
  g_autoptr(GArray) cmps = g_array_new (FALSE, FALSE, sizeof (LkTrialComparison));

  g_ptr_array_add (answers, answered (items, bins, 3, 2));
  g_array_append_val (cmps, c);
  for (guint k = 0; k < G_N_ELEMENTS (guesses); k++)
    {
      double g = guesses[k], expected = 0.0;

      for (guint i = 0; i < 4; i++)
        expected -= log (g / 2.0 + (1.0 - g) * s[i]) / 4.0;
      g_assert_cmpfloat_with_epsilon (lk_triplet_loss_full (x, 3, 1, answers, cmps, 1.0, g, NULL),
                                      expected, 1e-12);
      /* The trial alone. */
      g_assert_cmpfloat_with_epsilon (lk_triplet_loss_full (x, 3, 1, none, cmps, 1.0, g, NULL),
                                      -log (g / 2.0 + (1.0 - g) * s[3]), 1e-12);
    }
}

/* A triplet answer moves the embedding the right way: six items on a line at 0, 1, ..., 5
 * (the refiner's random start replaced by them), no grid, one trial "0 is closer to 3 than
 * to 1" answered by 20 raters. After a phase of the triplet method, d(0, 3) / d(0, 1) has
 * fallen from 3 (the answer pulls 3 towards 0 and pushes 1 away); a refiner without the
 * trials keeps the embedding as it was, and a method without add_trial ignores them. */
static void
test_trial_moves_embedding (void)
{
  const guint items[] = { 0, 1, 3 };
  const double line[] = { 0, 0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(LkRefiner) refiner = NULL;
  g_autoptr(LkRefiner) copy = NULL;
  LkEmbedding *e;
  LkParams params;
  double before, after;

  lk_params_init (&params);
  params.nq = 4;
  params.nc = 2;
  params.dim = 2;
  params.knn_k = 3;
  params.budget = 10;
  params.phases = 1;
  params.triplet_iterations = 200;
  params.triplet_first_iterations = 200;
  params.triplet_answers = 1;
  refiner = lk_refiner_new (6, &params, lk_method_triplet, &error);
  g_assert_no_error (error);
  e = (LkEmbedding *) lk_refiner_get_embedding (refiner);
  memcpy (lk_embedding_get_data_mutable (e), line, sizeof line);
  before = lk_embedding_distance (e, 0, 3) / lk_embedding_distance (e, 0, 1);
  g_assert_cmpfloat_with_epsilon (before, 3.0, 1e-12);

  for (guint r = 0; r < 20; r++)
    {
      g_autoptr(LkTrial) t = trial_answered (LK_TASK_TRIPLET, items, 3,
                                             LK_TRIPLET_ANSWER_B_CLOSER);

      t->participant = r;
      t->group = 1;
      lk_refiner_add_trial (refiner, t);
    }
  g_assert_cmpuint (lk_refiner_get_trials (refiner)->len, ==, 20);
  /* Trials are not grids of the batch. */
  g_assert_cmpuint (lk_refiner_get_n_batch_answers (refiner), ==, 0);
  copy = lk_refiner_copy (refiner);
  g_assert_cmpuint (lk_refiner_get_trials (copy)->len, ==, 20);
  g_assert_cmpint (((const LkTrial *) g_ptr_array_index (lk_refiner_get_trials (copy), 19))->participant, ==, 19);

  lk_refiner_end_phase (refiner, NULL);
  lk_refiner_end_phase (copy, NULL);
  e = (LkEmbedding *) lk_refiner_get_embedding (refiner);
  after = lk_embedding_distance (e, 0, 3) / lk_embedding_distance (e, 0, 1);
  g_test_message ("d(0,3)/d(0,1): %g before, %g after", before, after);
  g_assert_cmpfloat (after, <, 1.0);
  /* The copy learns the same. */
  g_assert_cmpmem (lk_embedding_get_data (e), sizeof line,
                   lk_embedding_get_data (lk_refiner_get_embedding (copy)), sizeof line);
}

/* Methods without add_trial keep the trials but do not learn from them. */
static void
test_trial_ignored_by_paper (void)
{
  const guint items[] = { 0, 1, 3 };
  g_autoptr(GError) error = NULL;
  g_autoptr(LkRefiner) refiner = NULL;
  g_autoptr(LkTrial) t = trial_answered (LK_TASK_TRIPLET, items, 3, LK_TRIPLET_ANSWER_A_CLOSER);
  LkParams params;

  lk_params_init (&params);
  params.nq = 4;
  params.nc = 2;
  params.knn_k = 3;
  params.budget = 10;
  refiner = lk_refiner_new (12, &params, lk_method_paper, &error);
  g_assert_no_error (error);
  g_assert_null (lk_method_paper->add_trial);
  lk_refiner_add_trial (refiner, t);
  g_assert_cmpuint (lk_refiner_get_trials (refiner)->len, ==, 1);
  g_assert_cmpuint (lk_refiner_get_n_batch_answers (refiner), ==, 0);
}

/* One answer in 1-D, alpha = 1 (K = 1 / (1 + d^2)): items 0 and 1 in bin 0 at 0 and 1, item 2
 * alone in bin 1 at 3. Centres 0.5 and 3. By hand:
 *   x = 0: K(own) = 1 / 1.25 = 0.8, K(rival) = 1 / 10 = 0.1,   share s = 0.8 / 0.9
 *   x = 1: K(own) = 0.8,            K(rival) = 1 / 5 = 0.2,    s = 0.8 / 1.0
 *   x = 3: K(own) = 1 (its own centre), K(rival) = 1 / 7.25,  s = 1 / (1 + 1 / 7.25)
 * With 2 choices and guessing share g each term is -log (g / 2 + (1 - g) s); the loss is
 * their mean. */
static void
test_loss_by_hand (void)
{
  const guint items[] = { 0, 1, 2 };
  const gint bins[] = { 0, 0, 1 };
  const double x[] = { 0.0, 1.0, 3.0 };
  const double s[] = { 0.8 / 0.9, 0.8, 1.0 / (1.0 + 1.0 / 7.25) };
  const double guesses[] = { 0.0, 0.5, 0.9 };
  g_autoptr(GPtrArray) answers = g_ptr_array_new_with_free_func ((GDestroyNotify) lk_query_free);

  g_ptr_array_add (answers, answered (items, bins, 3, 2));
  for (guint k = 0; k < G_N_ELEMENTS (guesses); k++)
    {
      double g = guesses[k], expected = 0.0;

      for (guint i = 0; i < 3; i++)
        expected -= log (g / 2.0 + (1.0 - g) * s[i]) / 3.0;
      g_assert_cmpfloat_with_epsilon (lk_triplet_loss (x, 3, 1, answers, 1.0, g, NULL), expected,
                                      1e-12);
    }
}

/* Returns the final embedding of @n_phases phases over exact 1-D answers. */
static LkEmbedding *
recover_line (guint    n_items,
              guint    n_phases,
              guint64  seed)
{
  const guint nq = 8, nc = 3, per_phase = 40;
  g_autoptr(GPtrArray) answers = g_ptr_array_new_with_free_func ((GDestroyNotify) lk_query_free);
  g_autoptr(gsl_rng) rng = lk_rng_new (seed);
  g_autofree guint *all = g_new (guint, n_items);
  g_autofree double *positions = g_new (double, n_items);
  g_autoptr(LkDataset) line = NULL;
  g_autoptr(LkCrowd) crowd = NULL;
  LkEmbedding *e;
  LkParams params;
  gpointer state;

  for (guint i = 0; i < n_items; i++)
    positions[i] = i;
  line = lk_dataset_new (n_items, 1, positions, NULL);
  crowd = lk_crowd_new (line, nc, NULL, seed + 100);

  lk_params_init (&params);
  params.dim = 2;
  params.nq = nq;
  params.nc = nc;
  e = lk_embedding_new_random (n_items, 2, rng);
  state = lk_method_triplet->state_new (n_items, &params);
  for (guint i = 0; i < n_items; i++)
    all[i] = i;

  for (guint phase = 0; phase < n_phases; phase++)
    {
      LkUpdateStats stats = { 0 };

      /* Item i sits at position i. The simulated participant sorts each grid by k-means of
       * the positions (the paper's section 4.3): an exact, noiseless answer. */
      for (guint q = 0; q < per_phase; q++)
        {
          guint pick[8];
          LkQuery *query;

          gsl_ran_choose (rng, pick, nq, all, n_items, sizeof (guint));
          gsl_ran_shuffle (rng, pick, nq, sizeof (guint));
          query = lk_query_new (pick, nq);
          lk_crowd_answer (crowd, query);
          g_ptr_array_add (answers, query);
        }
      lk_method_triplet->update (state, e, answers, per_phase, NULL, &params, rng, &stats);
      g_assert_true (isfinite (stats.stress));
    }

  lk_method_triplet->state_free (state);

  return e;
}

/* Returns the coordinates of @e (2-D) along its principal axis. */
static double *
principal_coordinates (const LkEmbedding *e)
{
  guint n = lk_embedding_get_n_items (e);
  const double *p = lk_embedding_get_data (e);
  double mx = 0.0, my = 0.0, sxx = 0.0, sxy = 0.0, syy = 0.0, angle;
  double *out = g_new (double, n);

  for (guint i = 0; i < n; i++)
    {
      mx += p[2 * i] / n;
      my += p[2 * i + 1] / n;
    }
  for (guint i = 0; i < n; i++)
    {
      double dx = p[2 * i] - mx, dy = p[2 * i + 1] - my;
      sxx += dx * dx;
      sxy += dx * dy;
      syy += dy * dy;
    }
  /* The leading eigenvector of [[sxx, sxy], [sxy, syy]] is at this angle. */
  angle = 0.5 * atan2 (2.0 * sxy, sxx - syy);
  for (guint i = 0; i < n; i++)
    out[i] = (p[2 * i] - mx) * cos (angle) + (p[2 * i + 1] - my) * sin (angle);

  return out;
}

static void
test_recovers_line (gconstpointer data)
{
  const guint n = 12;
  guint64 seed = GPOINTER_TO_UINT (data);
  g_autoptr(LkEmbedding) e = recover_line (n, 6, seed);
  g_autoptr(LkEmbedding) again = recover_line (n, 6, seed);
  g_autofree double *x = principal_coordinates (e);
  gboolean increasing = x[1] > x[0];

  /* Items 0..11 sit on a line; the answers are exact k-means clusterings of grids of 8. Embedded
   * in 2-D (in 1-D a random start folds the line, and gradient steps cannot pass a point
   * through another), the items must come out in exactly the true order along the embedding's
   * principal axis, up to reversal, for every seed. */
  for (guint i = 1; i < n; i++)
    {
      if (increasing)
        g_assert_cmpfloat (x[i], >, x[i - 1]);
      else
        g_assert_cmpfloat (x[i], <, x[i - 1]);
    }

  /* Deterministic under the seed. */
  for (guint i = 0; i < 2 * n; i++)
    g_assert_cmpfloat (lk_embedding_get_data (again)[i], ==, lk_embedding_get_data (e)[i]);
}

/* Answers are drawn in epochs: each run of n draws is a permutation of 0..n-1 (drawing with
 * replacement would repeat some and miss others), the epochs are shuffled afresh, and the
 * order is a function of the seed. */
static void
test_sampler_epochs (void)
{
  const guint n = 7, n_epochs = 4;
  g_autoptr(gsl_rng) rng = lk_rng_new (11);
  g_autoptr(gsl_rng) again = lk_rng_new (11);
  guint draws[4][7];
  gboolean differ = FALSE;
  LkTripletSampler s, t;

  lk_triplet_sampler_init (&s, n);
  lk_triplet_sampler_init (&t, n);
  for (guint e = 0; e < n_epochs; e++)
    {
      guint seen[7] = { 0 };

      for (guint i = 0; i < n; i++)
        {
          draws[e][i] = lk_triplet_sampler_next (&s, rng);
          g_assert_cmpuint (draws[e][i], <, n);
          seen[draws[e][i]]++;
          g_assert_cmpuint (lk_triplet_sampler_next (&t, again), ==, draws[e][i]);
        }
      for (guint i = 0; i < n; i++)
        g_assert_cmpuint (seen[i], ==, 1);
      if (e > 0 && memcmp (draws[e], draws[e - 1], sizeof draws[e]) != 0)
        differ = TRUE;
    }
  g_assert_true (differ);
  lk_triplet_sampler_clear (&s);
  lk_triplet_sampler_clear (&t);
  g_assert_null (s.order);

  /* One answer: always it. */
  lk_triplet_sampler_init (&s, 1);
  for (guint i = 0; i < 3; i++)
    g_assert_cmpuint (lk_triplet_sampler_next (&s, rng), ==, 0);
  lk_triplet_sampler_clear (&s);
}

/* The locality order: a permutation and its inverse; on a line (1-D) it is the order along the
 * line, ties by item; in 3-D, points of two far-apart clusters each come out together, and
 * points of a sub-box of the Z-curve (x, y, z all below the middle) before all others. */
static void
test_locality_order (void)
{
  const double line[] = { 0.5, -2.0, 3.0, 0.5, 1.0, -1.0 };
  const guint line_order[] = { 1, 5, 0, 3, 4, 2 };
  const guint n = 200;
  g_autofree double *pts = g_new (double, 3 * n);
  g_autofree guint *order = g_new (guint, n), *rank = g_new (guint, n);
  g_autoptr(gsl_rng) rng = lk_rng_new (3);
  guint runs = 1;

  lk_triplet_locality_order (line, 6, 1, order, rank);
  for (guint i = 0; i < 6; i++)
    {
      g_assert_cmpuint (order[i], ==, line_order[i]);
      g_assert_cmpuint (rank[order[i]], ==, i);
    }

  /* Items alternate between a cluster near (0, 0, 0) and one near (10, 10, 10). */
  for (guint i = 0; i < n; i++)
    for (guint k = 0; k < 3; k++)
      pts[3 * i + k] = (i % 2 == 0 ? 0.0 : 10.0) + gsl_rng_uniform (rng);
  lk_triplet_locality_order (pts, n, 3, order, rank);
  for (guint i = 0; i < n; i++)
    g_assert_cmpuint (rank[order[i]], ==, i);
  for (guint i = 1; i < n; i++)
    if (order[i] % 2 != order[i - 1] % 2)
      runs++;
  g_assert_cmpuint (runs, ==, 2);
  g_assert_cmpuint (order[0] % 2, ==, 0);
}

static void
collect_cb (const LkPhaseReport *report,
            gpointer             user_data)
{
  g_array_append_vals (user_data, report, 1);
}

/* Returns the phase reports of the small case: colors:1000, 1.2 grids per image, 5
 * phases, seed 1 (`likeness-cli simulate --dataset colors:1000 --budget 1200 --phases 5
 * --method triplet`). */
static GArray *
simulate_colors_1000 (void)
{
  g_autoptr(LkDataset) data = lk_dataset_new_from_spec ("colors:1000", 1, NULL);
  g_autoptr(GError) error = NULL;
  GArray *reports = g_array_new (FALSE, FALSE, sizeof (LkPhaseReport));
  LkParams params;

  lk_params_init (&params);
  params.budget = 1200;
  params.phases = 5;
  params.seed = 1;
  g_assert_true (lk_simulate_run (data, &params, lk_method_triplet, NULL, collect_cb, reports,
                                  &error));
  g_assert_no_error (error);
  g_assert_cmpuint (reports->len, ==, 5);

  return reports;
}

/* The learning on the N = 1,000 case keeps its recall: 0.772 (README "Scaling"); issue
 * 19 asks for 0.75 or more. (Determinism under the seed, with the prefetching and the locality
 * order in the update, is checked by /lk/core/triplet/recovers-line.) */
static void
test_recall_colors_1000 (void)
{
  g_autoptr(GArray) a = simulate_colors_1000 ();

  g_assert_cmpfloat (g_array_index (a, LkPhaseReport, 4).recall10, >=, 0.75);
  /* Each phase learns: recall rises phase by phase (0.146, 0.447, 0.645, 0.732, 0.772). */
  for (guint p = 1; p < a->len; p++)
    g_assert_cmpfloat (g_array_index (a, LkPhaseReport, p).recall10, >,
                       g_array_index (a, LkPhaseReport, p - 1).recall10);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/lk/core/triplet/comparisons-by-hand", test_comparisons_by_hand);
  g_test_add_func ("/lk/core/triplet/comparisons-none", test_comparisons_none);
  g_test_add_func ("/lk/core/triplet/loss-by-hand", test_loss_by_hand);
  g_test_add_func ("/lk/core/triplet/gradient", test_gradient);
  g_test_add_func ("/lk/core/triplet/gradient-trials", test_gradient_trials);
  g_test_add_func ("/lk/core/triplet/loss-trials-by-hand", test_loss_trials_by_hand);
  g_test_add_func ("/lk/core/triplet/trial-moves-embedding", test_trial_moves_embedding);
  g_test_add_func ("/lk/core/triplet/trial-ignored-by-paper", test_trial_ignored_by_paper);
  g_test_add_func ("/lk/core/triplet/sampler-epochs", test_sampler_epochs);
  g_test_add_func ("/lk/core/triplet/locality-order", test_locality_order);
  g_test_add_func ("/lk/core/triplet/recall-colors-1000", test_recall_colors_1000);
  for (guint seed = 1; seed <= 6; seed++)
    {
      g_autofree char *path = g_strdup_printf ("/lk/core/triplet/recovers-line/%u", seed);
      g_test_add_data_func (path, GUINT_TO_POINTER (seed), test_recovers_line);
    }

  return g_test_run ();
}
