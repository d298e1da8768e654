/* cen-oracle.c — how well can the attribute of a grid be named on attributes:N?
 *
 * The attribute crowd (lk-simulate.c): participant w prefers attribute w mod 4 and sorts a grid
 * by the grid's most varied attribute with probability rho, else by their own. For random grids
 * of 20 items of attributes:1000, answered by that crowd, this prints the attribute retrieval of
 * two oracles, against the attribute each grid was really sorted by:
 *   - "before the answer": knows the participant's attribute and the grid's most varied ones
 *     (the set M of ties), so P(a) = (1 - rho) [a = own] + rho [a in M] / |M|, and names the
 *     most probable. No model that predicts from the participant and the grid alone (held-out
 *     grids, or any function of (w, g)) can do better in expectation: 1 - rho + rho / 4 when
 *     every attribute is equally often the most varied.
 *   - "after the answer": reads the bins and names the attribute whose values split the grid
 *     that way (1 / ties when several do). A model fitted to the answers can approach it on the
 *     grids it was trained on; paper 001 section 4.3 measures retrieval on those.
 * and the held-out pair accuracy of the Bayes rule of the first oracle (same iff
 * P(the used attribute agrees) > 1/2).
 * Usage: cen-oracle [GRIDS [RHO [SEED]]] (defaults 100000, 0.5, 1)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdio.h>
#include <stdlib.h>

#include <gsl/gsl_randist.h>

#include "lk-core.h"

#define NQ 20

int
main (int    argc,
      char **argv)
{
  guint n_grids = argc > 1 ? (guint) atoi (argv[1]) : 100000;
  double rho = argc > 2 ? g_ascii_strtod (argv[2], NULL) : 0.5;
  guint seed = argc > 3 ? (guint) atoi (argv[3]) : 1;
  g_autoptr(GError) error = NULL;
  g_autoptr(LkDataset) data = lk_dataset_new_from_spec ("attributes:1000", seed, &error);
  g_autoptr(LkCrowd) crowd = NULL;
  g_autoptr(gsl_rng) rng = gsl_rng_alloc (gsl_rng_mt19937);
  const guint *v;
  guint n_attributes, n, pool[1000];
  double before = 0.0, after = 0.0;
  gsize pairs = 0, pairs_right = 0;

  if (data == NULL || n_grids == 0 || rho < 0.0 || rho > 1.0)
    g_error ("usage: cen-oracle [GRIDS [RHO [SEED]]]");
  v = lk_dataset_get_attributes (data, &n_attributes);
  n = lk_dataset_get_n_items (data);
  crowd = lk_crowd_new (data, 4, NULL, seed);
  lk_crowd_set_participants (crowd, 40, rho);
  gsl_rng_set (rng, seed);
  for (guint i = 0; i < n; i++)
    pool[i] = i;

  for (guint g = 0; g < n_grids; g++)
    {
      guint items[NQ], n_best = 0, n_fit = 0, own, best = 0;
      gint64 var[4], top = -1;
      double p[4];
      gint used;
      g_autoptr(LkQuery) q = NULL;

      gsl_ran_choose (rng, items, NQ, pool, n, sizeof (guint));
      gsl_ran_shuffle (rng, items, NQ, sizeof (guint));
      q = lk_query_new (items, NQ);
      lk_crowd_answer (crowd, q);
      used = lk_crowd_get_last_attribute (crowd);
      own = lk_query_get_participant (q) % n_attributes;

      for (guint a = 0; a < 4; a++)
        {
          gint64 sum = 0;

          for (guint i = 0; i < NQ; i++)
            sum += v[items[i] * n_attributes + a];
          var[a] = (gint64) NQ * sum - sum * sum;
          if (var[a] > top)
            {
              top = var[a];
              n_best = 1;
            }
          else if (var[a] == top)
            {
              n_best++;
            }
        }
      for (guint a = 0; a < 4; a++)
        {
          p[a] = (a == own ? 1.0 - rho : 0.0) + (var[a] == top ? rho / n_best : 0.0);
          if (p[a] > p[best])
            best = a;
        }
      before += best == (guint) used;

      /* After the answer: the attributes whose values give the bins, up to their names. */
      {
        gboolean fits[4];

        for (guint a = 0; a < 4; a++)
          {
            fits[a] = TRUE;
            for (guint i = 0; i < NQ && fits[a]; i++)
              for (guint j = i + 1; j < NQ && fits[a]; j++)
                fits[a] = (v[items[i] * n_attributes + a] == v[items[j] * n_attributes + a]) ==
                          (lk_query_get_bin (q, i) == lk_query_get_bin (q, j));
            n_fit += fits[a];
          }
        if (fits[used])
          after += 1.0 / n_fit;
      }

      for (guint i = 0; i < NQ; i++)
        for (guint j = i + 1; j < NQ; j++)
          {
            double same = 0.0;

            for (guint a = 0; a < 4; a++)
              if (v[items[i] * n_attributes + a] == v[items[j] * n_attributes + a])
                same += p[a];
            pairs_right += (same > 0.5) == (lk_query_get_bin (q, i) == lk_query_get_bin (q, j));
            pairs++;
          }
    }

  printf ("attributes:1000, %u random grids of %d, rho %.2f, seed %u\n", n_grids, NQ, rho, seed);
  printf ("retrieval before the answer (participant and most varied known): %.4f (1 - rho + rho/4 = %.4f)\n",
          before / n_grids, 1.0 - rho + rho / 4.0);
  printf ("retrieval after the answer (the bins read): %.4f\n", after / n_grids);
  printf ("pair accuracy of the first oracle's Bayes rule: %.4f\n", (double) pairs_right / pairs);

  return 0;
}
