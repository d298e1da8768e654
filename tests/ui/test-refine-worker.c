/* test-refine-worker.c — the refinement worker: same result as the synchronous path,
 * clean cancellation, and the snapshot swap
 *
 * No display needed: the worker is GLib only (it lives in the app library for its GObject).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "lk-core.h"
#include "lk-refine-worker-private.h"
#include "lk-snapshot-private.h"

static gboolean
timeout_cb (gpointer data)
{
  gboolean *timed_out = data;

  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

/* Iterates the main loop until the worker is idle, failing after 20 s. */
static void
wait_idle (LkRefineWorker *worker)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add_seconds (20, timeout_cb, &timed_out);

  while (lk_refine_worker_get_busy (worker) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (timed_out);
  g_source_remove (id);
}

static void
params_for_test (LkParams *params)
{
  lk_params_init (params);
  params->budget = 60;
  params->phases = 3;
  params->iterations = 30;
  params->seed = 2385;
}

static void
assert_same_items (const LkQuery *a,
                   const LkQuery *b)
{
  g_assert_cmpmem (lk_query_get_items (a), sizeof (guint) * lk_query_get_n_items (a),
                   lk_query_get_items (b), sizeof (guint) * lk_query_get_n_items (b));
}

static void
assert_same_embedding (const LkEmbedding *a,
                       const LkEmbedding *b)
{
  gsize size = sizeof (double) * lk_embedding_get_n_items (a) * lk_embedding_get_dim (a);

  g_assert_cmpuint (lk_embedding_get_n_items (a), ==, lk_embedding_get_n_items (b));
  g_assert_cmpint (memcmp (lk_embedding_get_data (a), lk_embedding_get_data (b), size), ==, 0);
}

/* One participant answers a whole study through the worker. At the end of each phase the
 * participant gets a grid drawn on the spot while the run is under way (the queue is empty), and
 * its answer is held. The same answers go, in the same order, to a refiner driven synchronously
 * (end_phase, select_queries). Queues and embeddings agree bit for bit at every phase. */
static void
test_same_as_sync (void)
{
  g_autoptr(LkDataset) dataset = lk_dataset_new_from_spec ("colors:200", 3, NULL);
  g_autoptr(LkCrowd) crowd = lk_crowd_new (dataset, 4, NULL, 9);
  g_autoptr(LkRefiner) reference = NULL;
  g_autoptr(LkRefineWorker) worker = NULL;
  g_autoptr(GPtrArray) batch = NULL;
  LkParams params;

  params_for_test (&params);
  reference = lk_refiner_new (200, &params, lk_method_paper, NULL);
  worker = lk_refine_worker_new (lk_refiner_new (200, &params, lk_method_paper, NULL), NULL);
  wait_idle (worker);
  g_assert_nonnull (lk_refine_worker_get_snapshot (worker));
  batch = lk_refiner_select_queries (reference, lk_refiner_get_batch_size (reference));

  for (guint phase = 0; phase < params.phases; phase++)
    {
      g_autoptr(LkQuery) extra = NULL;
      gboolean drawn = TRUE;

      g_assert_cmpuint (lk_refine_worker_get_queue_length (worker), ==, batch->len);
      for (guint i = 0; i < batch->len; i++)
        {
          g_autoptr(LkQuery) query = lk_refine_worker_next_query (worker, &drawn);

          g_assert_false (drawn);
          assert_same_items (query, g_ptr_array_index (batch, i));
          lk_crowd_answer (crowd, query);
          lk_refiner_add_answer (reference, query);
          g_assert_false (lk_refine_worker_get_busy (worker));
          lk_refine_worker_add_answer (worker, query, "P-1", 1.5);
        }
      /* The last answer completed the batch: the run is under way, the participant goes on. */
      g_assert_true (lk_refine_worker_get_busy (worker));
      extra = lk_refine_worker_next_query (worker, &drawn);
      g_assert_nonnull (extra);
      g_assert_true (drawn);
      lk_crowd_answer (crowd, extra);
      lk_refine_worker_add_answer (worker, extra, "P-1", 2.0);

      lk_refiner_end_phase (reference, NULL);
      g_clear_pointer (&batch, g_ptr_array_unref);
      batch = lk_refiner_is_done (reference)
              ? g_ptr_array_new ()
              : lk_refiner_select_queries (reference, lk_refiner_get_batch_size (reference));
      lk_refiner_add_answer (reference, extra);

      wait_idle (worker);
      g_assert_cmpuint (lk_snapshot_get_phase (lk_refine_worker_get_snapshot (worker)), ==,
                        phase + 1);
      assert_same_embedding (lk_refiner_get_embedding (reference),
                             lk_snapshot_get_embedding (lk_refine_worker_get_snapshot (worker)));
      assert_same_embedding (lk_refiner_get_embedding (reference),
                             lk_refiner_get_embedding (lk_refine_worker_get_refiner (worker)));
      g_assert_cmpuint (lk_refiner_get_answers (reference)->len, ==,
                        lk_refiner_get_answers (lk_refine_worker_get_refiner (worker))->len);
      g_assert_cmpuint (lk_refiner_get_n_batch_answers (reference), ==,
                        lk_refiner_get_n_batch_answers (lk_refine_worker_get_refiner (worker)));
    }

  g_assert_true (lk_refine_worker_is_done (worker));
  g_assert_cmpuint (lk_refine_worker_get_n_drawn (worker), ==, params.phases);
  g_assert_cmpuint (lk_refine_worker_get_n_answers (worker), ==,
                    lk_refiner_get_answers (reference)->len);
  g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (lk_refine_worker_get_participants (worker),
                                                           "P-1")), ==,
                    lk_refiner_get_answers (reference)->len);
  g_assert_cmpuint (lk_refine_worker_get_snapshots (worker)->len, ==, params.phases + 1);
}

static void
count_notify_cb (GObject    *object,
                 GParamSpec *pspec,
                 gpointer    user_data)
{
  guint *count = user_data;

  (*count)++;
}

static void
weak_notify_cb (gpointer  data,
                GObject  *where_the_object_was)
{
  gint *finalized = data;

  /* The last reference may go in the task's pool thread, after the main loop has dispatched
   * the task's callback: set the flag atomically and wake the main loop, which may be waiting
   * in poll() with nothing else to do. */
  g_atomic_int_set (finalized, TRUE);
  g_main_context_wakeup (NULL);
}

/* Completes the first batch of @worker with crowd answers, which starts a run. */
static void
complete_batch (LkRefineWorker *worker,
                LkCrowd        *crowd)
{
  while (lk_refine_worker_get_queue_length (worker) > 0)
    {
      g_autoptr(LkQuery) query = lk_refine_worker_next_query (worker, NULL);

      lk_crowd_answer (crowd, query);
      lk_refine_worker_add_answer (worker, query, NULL, -1);
    }
}

/* A run cancelled while it is under way fires nothing: no snapshot is swapped in, no notify,
 * the refiner keeps its phase and every answer (those held during the run included), and the
 * worker is freed once the thread is done. */
static void
test_cancel (void)
{
  g_autoptr(LkDataset) dataset = lk_dataset_new_from_spec ("colors:700", 3, NULL);
  g_autoptr(LkCrowd) crowd = lk_crowd_new (dataset, 4, NULL, 9);
  LkRefineWorker *worker;
  g_autoptr(LkQuery) extra = NULL;
  LkSnapshot *before;
  LkParams params;
  guint n_notify = 0, batch_size;
  gint finalized = FALSE;
  gboolean timed_out = FALSE;
  guint id;

  params_for_test (&params);
  params.iterations = 400;
  worker = lk_refine_worker_new (lk_refiner_new (700, &params, lk_method_paper, NULL), NULL);
  wait_idle (worker);
  before = lk_refine_worker_get_snapshot (worker);
  batch_size = lk_refine_worker_get_queue_length (worker);
  g_signal_connect (worker, "notify::snapshot", G_CALLBACK (count_notify_cb), &n_notify);

  complete_batch (worker, crowd);
  g_assert_true (lk_refine_worker_get_busy (worker));
  extra = lk_refine_worker_next_query (worker, NULL);
  lk_crowd_answer (crowd, extra);
  lk_refine_worker_add_answer (worker, extra, NULL, -1);
  lk_refine_worker_cancel (worker);

  g_assert_false (lk_refine_worker_get_busy (worker));
  g_assert_true (lk_refine_worker_get_snapshot (worker) == before);
  g_assert_cmpuint (lk_refine_worker_get_phase (worker), ==, 0);
  g_assert_cmpuint (lk_refiner_get_n_batch_answers (lk_refine_worker_get_refiner (worker)), ==,
                    batch_size + 1);

  /* Drop our reference: the task holds the last one until its thread is done. */
  g_object_weak_ref (G_OBJECT (worker), weak_notify_cb, &finalized);
  g_object_unref (worker);
  id = g_timeout_add_seconds (20, timeout_cb, &timed_out);
  while (!g_atomic_int_get (&finalized) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (timed_out);
  g_source_remove (id);
  g_assert_cmpuint (n_notify, ==, 0);
}

/* Each run swaps one new snapshot in, notified once; the old one stays valid for whoever
 * holds it, and the history keeps every phase. */
static void
test_swap (void)
{
  g_autoptr(LkDataset) dataset = lk_dataset_new_from_spec ("colors:150", 3, NULL);
  g_autoptr(LkCrowd) crowd = lk_crowd_new (dataset, 4, NULL, 9);
  g_autoptr(LkTruth) truth = lk_truth_new (dataset);
  g_autoptr(LkRefineWorker) worker = NULL;
  g_autoptr(LkSnapshot) first = NULL;
  LkSnapshot *second;
  LkParams params;
  guint n_notify = 0;

  params_for_test (&params);
  worker = lk_refine_worker_new (lk_refiner_new (150, &params, lk_method_paper, NULL), truth);
  g_assert_null (lk_refine_worker_get_snapshot (worker));
  g_signal_connect (worker, "notify::snapshot", G_CALLBACK (count_notify_cb), &n_notify);
  wait_idle (worker);
  g_assert_cmpuint (n_notify, ==, 1);
  first = lk_snapshot_ref (lk_refine_worker_get_snapshot (worker));
  g_assert_cmpuint (lk_snapshot_get_phase (first), ==, 0);
  g_assert_cmpuint (lk_snapshot_get_n_answers (first), ==, 0);

  complete_batch (worker, crowd);
  wait_idle (worker);
  g_assert_cmpuint (n_notify, ==, 2);
  second = lk_refine_worker_get_snapshot (worker);
  g_assert_true (second != first);
  g_assert_cmpuint (lk_snapshot_get_phase (second), ==, 1);
  g_assert_cmpuint (lk_snapshot_get_n_answers (second), ==, 20);
  g_assert_cmpuint (lk_snapshot_get_phase (first), ==, 0);
  g_assert_cmpuint (lk_refine_worker_get_snapshots (worker)->len, ==, 2);
  g_assert_true (g_ptr_array_index (lk_refine_worker_get_snapshots (worker), 1) == second);

  /* With ground truth, the metrics are there, and within range. */
  g_assert_cmpfloat (lk_snapshot_get_recall10 (second), >=, 0.0);
  g_assert_cmpfloat (lk_snapshot_get_recall10 (second), <=, 1.0);
  g_assert_cmpfloat (lk_snapshot_get_pairs_observed (second), >,
                     lk_snapshot_get_pairs_observed (first));
}

/* A study file's worker (made resumed, from a replayed refiner) serves no batch itself: it hands
 * each one over once, in the order the synchronous refiner selected it, and counts the answers
 * the replay gave it as the study's. */
static void
test_batch_handed_over (void)
{
  g_autoptr(LkDataset) dataset = lk_dataset_new_from_spec ("colors:200", 3, NULL);
  g_autoptr(LkCrowd) crowd = lk_crowd_new (dataset, 4, NULL, 9);
  g_autoptr(LkRefiner) reference = NULL;
  g_autoptr(LkRefiner) replayed = NULL;
  g_autoptr(LkRefineWorker) worker = NULL;
  g_autoptr(GPtrArray) first = NULL;
  g_autoptr(GPtrArray) second = NULL;
  g_autoptr(GPtrArray) taken = NULL;
  LkParams params;

  params_for_test (&params);
  reference = lk_refiner_new (200, &params, lk_method_paper, NULL);
  replayed = lk_refiner_new (200, &params, lk_method_paper, NULL);
  first = lk_refiner_select_queries (reference, lk_refiner_get_batch_size (reference));
  g_clear_pointer (&first, g_ptr_array_unref);
  first = lk_refiner_select_queries (replayed, lk_refiner_get_batch_size (replayed));
  /* Both refiners drew the first batch; the replayed one holds three answers of it. */
  for (guint i = 0; i < 3; i++)
    {
      LkQuery *query = g_ptr_array_index (first, i);

      lk_crowd_answer (crowd, query);
      lk_refiner_add_answer (reference, query);
      lk_refiner_add_answer (replayed, query);
    }

  worker = lk_refine_worker_new_resumed (g_steal_pointer (&replayed), NULL, NULL);
  g_assert_cmpuint (lk_refine_worker_get_n_answers (worker), ==, 3);
  wait_idle (worker);
  g_assert_null (lk_refine_worker_take_batch (worker));

  for (guint i = 3; i < first->len; i++)
    {
      LkQuery *query = g_ptr_array_index (first, i);

      lk_crowd_answer (crowd, query);
      lk_refiner_add_answer (reference, query);
      lk_refine_worker_add_answer (worker, query, "P-1", 1.0);
    }
  /* The file decides when its phase is complete: nothing runs until it says so. */
  g_assert_false (lk_refine_worker_get_busy (worker));
  lk_refine_worker_fold_in (worker);
  g_assert_true (lk_refine_worker_get_busy (worker));
  wait_idle (worker);

  lk_refiner_end_phase (reference, NULL);
  second = lk_refiner_select_queries (reference, lk_refiner_get_batch_size (reference));
  taken = lk_refine_worker_take_batch (worker);
  g_assert_nonnull (taken);
  g_assert_cmpuint (taken->len, ==, second->len);
  for (guint i = 0; i < second->len; i++)
    assert_same_items (g_ptr_array_index (taken, i), g_ptr_array_index (second, i));
  g_assert_null (lk_refine_worker_take_batch (worker));
  g_assert_cmpuint (lk_refine_worker_get_queue_length (worker), ==, 0);
  g_assert_cmpuint (lk_refine_worker_get_n_answers (worker), ==, first->len);
}

/* The worker publishes a new progress record when an answer comes in, a grid is drawn on the
 * spot or a run starts or ends; a record already handed out never changes. */
static void
test_progress (void)
{
  g_autoptr(LkDataset) dataset = lk_dataset_new_from_spec ("colors:150", 3, NULL);
  g_autoptr(LkCrowd) crowd = lk_crowd_new (dataset, 4, NULL, 9);
  g_autoptr(LkRefineWorker) worker = NULL;
  g_autoptr(LkProgress) before = NULL;
  g_autoptr(LkProgress) held = NULL;
  g_autoptr(LkQuery) query = NULL;
  const LkProgressCounts *counts;
  LkProgress *after;
  LkParams params;
  guint n_notify = 0, n_answers, n_seconds;
  const double *seconds;
  gboolean drawn = TRUE;

  params_for_test (&params);
  worker = lk_refine_worker_new (lk_refiner_new (150, &params, lk_method_paper, NULL), NULL);
  wait_idle (worker);
  g_signal_connect (worker, "notify::progress", G_CALLBACK (count_notify_cb), &n_notify);
  before = lk_progress_ref (lk_refine_worker_get_progress (worker));
  counts = lk_progress_get_counts (before);
  g_assert_cmpuint (counts->n_answers, ==, 0);
  g_assert_false (counts->busy);
  g_assert_cmpuint (counts->phase, ==, 0);
  g_assert_cmpuint (counts->n_phases, ==, params.phases);
  g_assert_cmpuint (counts->budget, ==, params.budget);
  g_assert_cmpuint (counts->n_items, ==, 150);
  g_assert_cmpuint (counts->nq, ==, params.nq);
  g_assert_cmpuint (lk_progress_get_n_participants (before), ==, 0);

  query = lk_refine_worker_next_query (worker, &drawn);
  g_assert_false (drawn);
  lk_crowd_answer (crowd, query);
  lk_refine_worker_add_answer (worker, query, "P-7", 4.25);
  g_assert_cmpuint (n_notify, ==, 1);
  after = lk_refine_worker_get_progress (worker);
  g_assert_true (after != before);
  g_assert_cmpuint (lk_progress_get_counts (after)->n_answers, ==, 1);
  g_assert_cmpuint (lk_progress_get_n_participants (after), ==, 1);
  g_assert_cmpstr (lk_progress_get_participant (after, 0, &n_answers), ==, "P-7");
  g_assert_cmpuint (n_answers, ==, 1);
  seconds = lk_progress_get_grid_seconds (after, &n_seconds);
  g_assert_cmpuint (n_seconds, ==, 1);
  g_assert_cmpfloat (seconds[0], ==, 4.25);
  g_object_get (worker, "progress", &held, NULL);
  g_assert_true (held == after);

  /* The old record is as it was. */
  g_assert_cmpuint (lk_progress_get_counts (before)->n_answers, ==, 0);
  g_assert_cmpuint (lk_progress_get_n_participants (before), ==, 0);
  g_assert_null (lk_progress_get_grid_seconds (before, &n_seconds));
  g_assert_cmpuint (n_seconds, ==, 0);

  /* The rest of the batch starts a run: busy, then the new phase once it is back. */
  complete_batch (worker, crowd);
  g_assert_true (lk_progress_get_counts (lk_refine_worker_get_progress (worker))->busy);
  /* The queue is empty while the run is under way: a grid drawn on the spot is counted. */
  g_clear_pointer (&query, lk_query_free);
  query = lk_refine_worker_next_query (worker, &drawn);
  g_assert_true (drawn);
  g_assert_cmpuint (lk_progress_get_counts (lk_refine_worker_get_progress (worker))->n_drawn, ==, 1);
  wait_idle (worker);
  counts = lk_progress_get_counts (lk_refine_worker_get_progress (worker));
  g_assert_false (counts->busy);
  g_assert_cmpuint (counts->phase, ==, 1);
  g_assert_cmpuint (counts->n_answers, ==, lk_refine_worker_get_n_answers (worker));
  g_assert_cmpuint (counts->n_drawn, ==, 1);
  g_assert_cmpuint (lk_progress_get_counts (held)->n_answers, ==, 1);
  g_assert_cmpuint (lk_progress_get_counts (held)->n_drawn, ==, 0);
  g_assert_cmpuint (lk_progress_get_counts (held)->phase, ==, 0);
}

/* Answers that come without a worker index get their code's, in the order the codes first came
 * (as a study file numbers its participant rows); one that comes with an index keeps it; a
 * participant left out is counted but not added to the model. */
static void
test_workers (void)
{
  g_autoptr(LkDataset) dataset = lk_dataset_new_from_spec ("colors:150", 3, NULL);
  g_autoptr(LkCrowd) crowd = lk_crowd_new (dataset, 4, NULL, 9);
  g_autoptr(LkRefineWorker) worker = NULL;
  static const char *const order[] = { "P-B", "P-A", "P-B", "P-C", "P-A" };
  static const guint expected[] = { 0, 1, 0, 2, 1 };
  static const guint left_out[] = { 1 };
  const GPtrArray *answers;
  LkParams params;

  params_for_test (&params);
  worker = lk_refine_worker_new (lk_refiner_new (150, &params, lk_method_paper, NULL), NULL);
  wait_idle (worker);
  for (guint i = 0; i < G_N_ELEMENTS (order); i++)
    {
      g_autoptr(LkQuery) query = lk_refine_worker_next_query (worker, NULL);

      lk_crowd_answer (crowd, query);
      lk_refine_worker_add_answer (worker, query, order[i], 1.0);
    }
  answers = lk_refiner_get_answers (lk_refine_worker_get_refiner (worker));
  g_assert_cmpuint (answers->len, ==, G_N_ELEMENTS (order));
  for (guint i = 0; i < answers->len; i++)
    g_assert_cmpuint (lk_query_get_participant (g_ptr_array_index (answers, i)), ==, expected[i]);

  /* P-A (worker 1) left out: their next answer counts, but the model does not get it. */
  lk_refine_worker_set_excluded (worker, left_out, 1);
  {
    g_autoptr(LkQuery) query = lk_refine_worker_next_query (worker, NULL);
    g_autoptr(LkQuery) given = NULL;

    lk_crowd_answer (crowd, query);
    lk_refine_worker_add_answer (worker, query, "P-A", 1.0);
    g_assert_cmpuint (lk_refine_worker_get_n_answers (worker), ==, 6);
    g_assert_cmpuint (answers->len, ==, 5);

    /* An answer that carries its index keeps it, whatever its code. */
    given = lk_refine_worker_next_query (worker, NULL);
    lk_crowd_answer (crowd, given);
    lk_query_set_participant (given, 7);
    lk_refine_worker_add_answer (worker, given, "P-A", 1.0);
    g_assert_cmpuint (answers->len, ==, 6);
    g_assert_cmpuint (lk_query_get_participant (g_ptr_array_index (answers, 5)), ==, 7);
  }
  lk_refine_worker_add_left_out_answers (worker, 3);
  g_assert_cmpuint (lk_refine_worker_get_n_answers (worker), ==, 10);
  g_assert_cmpuint (lk_progress_get_counts (lk_refine_worker_get_progress (worker))->n_answers,
                    ==, 10);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/lk/app/refine-worker/same-as-sync", test_same_as_sync);
  g_test_add_func ("/lk/app/refine-worker/cancel", test_cancel);
  g_test_add_func ("/lk/app/refine-worker/swap", test_swap);
  g_test_add_func ("/lk/app/refine-worker/batch-handed-over", test_batch_handed_over);
  g_test_add_func ("/lk/app/refine-worker/progress", test_progress);
  g_test_add_func ("/lk/app/refine-worker/workers", test_workers);

  return g_test_run ();
}
