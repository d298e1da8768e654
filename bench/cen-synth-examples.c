/* cen-synth-examples.c — example grids of cen's grid synthesis (paper 001 section 4.6)
 *
 * Trains `cen-synth` on attributes:1000 with the attribute crowd (40 participants, rho 0.5;
 * seed 1, the budget in 5 phases), then prints one synthesized grid per target attribute and
 * one random grid: each item's four attribute values, how many of the grid's items have value 1
 * for each attribute, the context activation a^g and the entropy of softmax (a^g).
 * Usage: cen-synth-examples [BUDGET] (default 1200)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdio.h>
#include <stdlib.h>

#include "lk-core.h"

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
  params.seed = 1;
  refiner = lk_refiner_new (1000, &params, lk_method_lookup ("cen-synth"), &error);
  if (refiner == NULL)
    g_error ("%s", error->message);
  crowd = lk_crowd_new (data, params.nc, NULL, 1);
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
  printf ("cen-synth on attributes:1000, seed 1, budget %u in 5 phases, nq %u\n", budget, params.nq);
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

  return 0;
}
