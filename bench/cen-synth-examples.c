/* cen-synth-examples.c — example grids of cen's grid synthesis (paper 001 section 4.6)
 *
 * Trains `cen-synth` on attributes:1000 with the attribute crowd (40 participants, rho 0.5;
 * seed 1, the budget in 5 phases), then prints one synthesized grid per target attribute and
 * one random grid: each item's four attribute values, how many of the grid's items have value 1
 * for each attribute, the context activation a^g and the entropy of softmax (a^g).
 * Then it measures whether the synthesized grids point at true attributes: each model dimension
 * is matched to the attribute its item coordinate follows (the one-to-one matching with the
 * largest sum of |correlation| between x_t and the attribute's values, of the 24), and of
 * SYNTH_GRIDS grids synthesized per target dimension it prints the share whose most varied true
 * attribute (the crowd's rule, lk-simulate.c: largest variance, a tie counting 1/ties) is the
 * target's; the same share for random grids is the baseline (about 1/4).
 * Usage: cen-synth-examples [BUDGET [SEED]] (defaults 1200 and 1)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lk-core.h"

#define SYNTH_GRIDS 100

/* The share (0, 1/ties or 1) of @q's most varied attributes that is @attribute. */
static double
most_varied_share (const LkDataset *data,
                   const LkQuery   *q,
                   guint            attribute)
{
  guint n_attributes, n = lk_query_get_n_items (q), n_best = 0;
  const guint *v = lk_dataset_get_attributes (data, &n_attributes);
  gint64 best = -1, var_of[8] = { 0 };

  for (guint a = 0; a < n_attributes && a < 8; a++)
    {
      gint64 sum = 0, sum2 = 0;

      for (guint i = 0; i < n; i++)
        {
          gint64 x = v[(gsize) lk_query_get_item (q, i) * n_attributes + a];

          sum += x;
          sum2 += x * x;
        }
      var_of[a] = (gint64) n * sum2 - sum * sum;
      if (var_of[a] > best)
        {
          best = var_of[a];
          n_best = 1;
        }
      else if (var_of[a] == best)
        {
          n_best++;
        }
    }

  return var_of[attribute] == best ? 1.0 / n_best : 0.0;
}

/* attribute_of[t]: the attribute matched to dimension t of the item vectors (4 x 4, the best of
 * the 24 one-to-one matchings by the sum of |correlation|). */
static void
match_dimensions (const LkDataset   *data,
                  const LkEmbedding *e,
                  guint             *attribute_of)
{
  guint n_attributes, n = lk_embedding_get_n_items (e), dim = lk_embedding_get_dim (e);
  const guint *v = lk_dataset_get_attributes (data, &n_attributes);
  const double *x = lk_embedding_get_data (e);
  double corr[4][4], best = -1.0;
  guint perm[4] = { 0, 1, 2, 3 };

  g_assert (dim == 4 && n_attributes == 4);
  for (guint t = 0; t < 4; t++)
    for (guint a = 0; a < 4; a++)
      {
        double mx = 0, mv = 0, sxx = 0, svv = 0, sxv = 0;

        for (guint i = 0; i < n; i++)
          {
            mx += x[(gsize) i * dim + t];
            mv += v[(gsize) i * n_attributes + a];
          }
        mx /= n;
        mv /= n;
        for (guint i = 0; i < n; i++)
          {
            double dx = x[(gsize) i * dim + t] - mx, dv = v[(gsize) i * n_attributes + a] - mv;

            sxx += dx * dx;
            svv += dv * dv;
            sxv += dx * dv;
          }
        corr[t][a] = fabs (sxv) / sqrt (sxx * svv + 1e-300);
      }
  /* The 24 permutations, by Heap's algorithm's plain cousin: all 4^4 tuples, distinct only. */
  for (guint p = 0; p < 256; p++)
    {
      guint t4[4] = { p & 3, (p >> 2) & 3, (p >> 4) & 3, (p >> 6) & 3 };
      double sum = 0.0;

      if (t4[0] == t4[1] || t4[0] == t4[2] || t4[0] == t4[3] || t4[1] == t4[2] ||
          t4[1] == t4[3] || t4[2] == t4[3])
        continue;
      for (guint t = 0; t < 4; t++)
        sum += corr[t][t4[t]];
      if (sum > best)
        {
          best = sum;
          memcpy (perm, t4, sizeof perm);
        }
    }
  memcpy (attribute_of, perm, sizeof perm);
  printf ("dimension -> attribute (|correlation|):");
  for (guint t = 0; t < 4; t++)
    printf (" %u -> %u (%.2f)", t, perm[t], corr[t][perm[t]]);
  printf ("\n");
}

static void
print_grid (const char      *title,
            gconstpointer    state,
            const LkDataset *data,
            const LkQuery   *q)
{
  guint n_attributes, n = lk_query_get_n_items (q), top, ones[4] = { 0 };
  const guint *v = lk_dataset_get_attributes (data, &n_attributes);
  double ag[4], h;

  lk_cen_context_activation (state, lk_query_get_items (q), n, ag);
  h = lk_query_policy_synth_entropy (state, lk_query_get_items (q), n, &top);
  printf ("%s\n  items (attributes 0123):", title);
  for (guint i = 0; i < n; i++)
    {
      guint item = lk_query_get_item (q, i);

      printf (" ");
      for (guint a = 0; a < 4; a++)
        {
          printf ("%u", v[item * n_attributes + a]);
          ones[a] += v[item * n_attributes + a];
        }
    }
  printf ("\n  value 1 per attribute: %u %u %u %u of %u; a^g %.2f %.2f %.2f %.2f; argmax %u, "
          "entropy %.3f\n", ones[0], ones[1], ones[2], ones[3], n, ag[0], ag[1], ag[2], ag[3],
          top, h);
}

int
main (int    argc,
      char **argv)
{
  guint budget = argc > 1 ? (guint) atoi (argv[1]) : 1200;
  guint seed = argc > 2 ? (guint) atoi (argv[2]) : 1;
  guint attribute_of[4];
  double share_all = 0.0, share_random = 0.0;
  g_autoptr(GError) error = NULL;
  g_autoptr(LkDataset) data = lk_dataset_new_from_spec ("attributes:1000", 1, &error);
  g_autoptr(LkCrowd) crowd = NULL;
  g_autoptr(LkRefiner) refiner = NULL;
  g_autoptr(GPtrArray) random = NULL;
  g_autoptr(gsl_rng) rng = gsl_rng_alloc (gsl_rng_mt19937);
  LkParams params;
  gpointer state;

  if (data == NULL || budget < 5)
    g_error ("usage: cen-synth-examples [BUDGET >= 5]");
  lk_params_init (&params);
  params.dim = 4;
  params.budget = budget;
  params.phases = 5;
  params.seed = seed;
  refiner = lk_refiner_new (1000, &params, lk_method_lookup ("cen-synth"), &error);
  if (refiner == NULL)
    g_error ("%s", error->message);
  crowd = lk_crowd_new (data, params.nc, NULL, seed);
  lk_crowd_set_participants (crowd, 40, 0.5);

  while (!lk_refiner_is_done (refiner))
    {
      g_autoptr(GPtrArray) batch = lk_refiner_select_queries (refiner,
                                                              lk_refiner_get_batch_size (refiner));
      LkUpdateStats stats;

      for (guint q = 0; q < batch->len; q++)
        {
          lk_crowd_answer (crowd, g_ptr_array_index (batch, q));
          lk_refiner_add_answer (refiner, g_ptr_array_index (batch, q));
        }
      lk_refiner_end_phase (refiner, &stats);
    }

  state = (gpointer) lk_refiner_get_state (refiner);
  printf ("cen-synth on attributes:1000, seed %u, budget %u in 5 phases, nq %u\n", seed, budget,
          params.nq);
  for (gint t = 0; t < 4; t++)
    {
      g_autoptr(GPtrArray) grids = NULL;
      char title[64];

      lk_cen_set_target_attribute (state, t);
      grids = lk_refiner_select_queries (refiner, 1);
      g_snprintf (title, sizeof title, "synthesized, target dimension %d:", t);
      print_grid (title, state, data, g_ptr_array_index (grids, 0));
    }
  gsl_rng_set (rng, 1);
  random = lk_query_policy_select (lk_query_policy_random, lk_refiner_get_embedding (refiner),
                                   &params, 1, rng);
  print_grid ("random:", state, data, g_ptr_array_index (random, 0));

  match_dimensions (data, lk_refiner_get_embedding (refiner), attribute_of);
  for (gint t = 0; t < 4; t++)
    {
      g_autoptr(GPtrArray) grids = NULL;
      double share = 0.0;

      lk_cen_set_target_attribute (state, t);
      grids = lk_refiner_select_queries (refiner, SYNTH_GRIDS);
      for (guint q = 0; q < grids->len; q++)
        share += most_varied_share (data, g_ptr_array_index (grids, q), attribute_of[t]);
      share /= grids->len;
      share_all += share / 4;
      printf ("target dimension %d (attribute %u): most varied in %.3f of %u synthesized grids\n",
              t, attribute_of[t], share, grids->len);
    }
  g_ptr_array_unref (random);
  random = lk_query_policy_select (lk_query_policy_random, lk_refiner_get_embedding (refiner),
                                   &params, 4 * SYNTH_GRIDS, rng);
  for (guint q = 0; q < random->len; q++)
    share_random += most_varied_share (data, g_ptr_array_index (random, q),
                                       attribute_of[q % 4]) / random->len;
  printf ("synthesized grids whose most varied attribute is the target's: %.3f (random grids %.3f)\n",
          share_all, share_random);

  return 0;
}
