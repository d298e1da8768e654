/* test-refine-copy.c — lk_refiner_copy(): a copy refines exactly as its original
 *
 * The app runs a phase's update on a worker thread from a copy of the refiner, and
 * promises the same result as the synchronous path. So for every method: copy mid-run, drive
 * the copy and the original through the same answers, and compare embeddings bit for bit and
 * queries item for item.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <string.h>

#include "lk-core.h"

/* Asserts that two refiners are in the same state, as far as their results show. */
static void
assert_same (const LkRefiner *a,
             const LkRefiner *b)
{
  const LkEmbedding *ea = lk_refiner_get_embedding (a);
  const LkEmbedding *eb = lk_refiner_get_embedding (b);
  gsize size = sizeof (double) * lk_embedding_get_n_items (ea) * lk_embedding_get_dim (ea);

  g_assert_cmpuint (lk_refiner_get_phase (a), ==, lk_refiner_get_phase (b));
  g_assert_cmpuint (lk_refiner_get_n_batch_answers (a), ==, lk_refiner_get_n_batch_answers (b));
  g_assert_cmpuint (lk_refiner_get_answers (a)->len, ==, lk_refiner_get_answers (b)->len);
  g_assert_cmpuint (lk_evidence_get_n_pairs (lk_refiner_get_evidence (a)), ==,
                    lk_evidence_get_n_pairs (lk_refiner_get_evidence (b)));
  g_assert_true (ea != eb);
  g_assert_cmpint (memcmp (lk_embedding_get_data (ea), lk_embedding_get_data (eb), size), ==, 0);
}

static void
assert_same_queries (const GPtrArray *a,
                     const GPtrArray *b)
{
  g_assert_cmpuint (a->len, ==, b->len);
  for (guint q = 0; q < a->len; q++)
    {
      const LkQuery *qa = g_ptr_array_index (a, q);
      const LkQuery *qb = g_ptr_array_index (b, q);

      g_assert_cmpuint (lk_query_get_n_items (qa), ==, lk_query_get_n_items (qb));
      g_assert_cmpmem (lk_query_get_items (qa), sizeof (guint) * lk_query_get_n_items (qa),
                       lk_query_get_items (qb), sizeof (guint) * lk_query_get_n_items (qb));
    }
}

/* Runs @method over 4 phases on colors:150; at each phase, copies the refiner part-way through
 * the batch, then feeds both the rest of the batch and compares after the update. */
static void
check_method (gconstpointer data)
{
  const LkMethodType *method = data;
  g_autoptr(LkDataset) dataset = lk_dataset_new_from_spec ("colors:150", 7, NULL);
  g_autoptr(LkCrowd) crowd = lk_crowd_new (dataset, 4, NULL, 11);
  g_autoptr(LkRefiner) refiner = NULL;
  g_autoptr(GError) error = NULL;
  LkParams params;

  lk_params_init (&params);
  params.budget = 60;
  params.phases = 4;
  params.iterations = 15;
  params.triplet_iterations = 20;
  params.triplet_answers = 50;
  params.seed = 2385;
  refiner = lk_refiner_new (150, &params, method, &error);
  g_assert_no_error (error);

  while (!lk_refiner_is_done (refiner))
    {
      g_autoptr(GPtrArray) batch = lk_refiner_select_queries (refiner,
                                                              lk_refiner_get_batch_size (refiner));
      g_autoptr(LkRefiner) copy = NULL;
      g_autoptr(GPtrArray) next_a = NULL;
      g_autoptr(GPtrArray) next_b = NULL;
      LkUpdateStats sa = { 0 }, sb = { 0 };
      guint half = batch->len / 2;

      for (guint q = 0; q < batch->len; q++)
        lk_crowd_answer (crowd, g_ptr_array_index (batch, q));
      for (guint q = 0; q < half; q++)
        lk_refiner_add_answer (refiner, g_ptr_array_index (batch, q));

      copy = lk_refiner_copy (refiner);
      assert_same (refiner, copy);
      for (guint q = half; q < batch->len; q++)
        {
          lk_refiner_add_answer (refiner, g_ptr_array_index (batch, q));
          lk_refiner_add_answer (copy, g_ptr_array_index (batch, q));
        }

      lk_refiner_end_phase (refiner, &sa);
      lk_refiner_end_phase (copy, &sb);
      assert_same (refiner, copy);
      g_assert_cmpfloat (sa.stress, ==, sb.stress);

      /* The generators were copied too: the next queries agree. */
      next_a = lk_refiner_select_queries (refiner, 3);
      next_b = lk_refiner_select_queries (copy, 3);
      assert_same_queries (next_a, next_b);
    }
}

/* A copy is independent: refining it leaves the original as it was. */
static void
test_independent (void)
{
  g_autoptr(LkDataset) dataset = lk_dataset_new_from_spec ("colors:80", 3, NULL);
  g_autoptr(LkCrowd) crowd = lk_crowd_new (dataset, 4, NULL, 3);
  g_autoptr(LkRefiner) refiner = NULL;
  g_autoptr(LkRefiner) copy = NULL;
  g_autoptr(LkEmbedding) before = NULL;
  g_autoptr(GPtrArray) batch = NULL;
  LkParams params;

  lk_params_init (&params);
  params.budget = 40;
  params.phases = 2;
  params.iterations = 10;
  refiner = lk_refiner_new (80, &params, lk_method_paper, NULL);
  batch = lk_refiner_select_queries (refiner, lk_refiner_get_batch_size (refiner));
  for (guint q = 0; q < batch->len; q++)
    {
      lk_crowd_answer (crowd, g_ptr_array_index (batch, q));
      lk_refiner_add_answer (refiner, g_ptr_array_index (batch, q));
    }
  before = lk_embedding_copy (lk_refiner_get_embedding (refiner));

  copy = lk_refiner_copy (refiner);
  lk_refiner_end_phase (copy, NULL);

  g_assert_cmpuint (lk_refiner_get_phase (refiner), ==, 0);
  g_assert_cmpuint (lk_refiner_get_phase (copy), ==, 1);
  g_assert_cmpuint (lk_refiner_get_n_batch_answers (refiner), ==, batch->len);
  g_assert_cmpmem (lk_embedding_get_data (before), sizeof (double) * 80 * 3,
                   lk_embedding_get_data (lk_refiner_get_embedding (refiner)),
                   sizeof (double) * 80 * 3);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_data_func ("/lk/core/refine-copy/paper", lk_method_paper, check_method);
  g_test_add_data_func ("/lk/core/refine-copy/random", lk_method_random, check_method);
  g_test_add_data_func ("/lk/core/refine-copy/triplet", lk_method_triplet, check_method);
  g_test_add_func ("/lk/core/refine-copy/independent", test_independent);

  return g_test_run ();
}
