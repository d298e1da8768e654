/* test-distance.c — the beta update of targets and the weights, worked by hand
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "lk-core.h"
#include "lk-method-private.h"
#include "lk-sammon-private.h"
#include "lk-evidence-private.h"

#define BETA    4.0
#define EPSILON 2.5e-3

/* Targets and weights are stored in single precision: relative error below 1.2e-7 each, so
 * 1e-6 relative separates a right value from any wrong one. */
#define REL 1e-6

static gint
compare_guint64 (gconstpointer a,
                         gconstpointer b)
{
  guint64 x = *(const guint64 *) a, y = *(const guint64 *) b;

  return x < y ? -1 : x > y;
}

/* Five points in 2-D, o = (0.35, -0.2) plus
 *   y0 = (0, 0), y1 = (0.9, 1.2), y2 = (1.8, 0), y3 = (1.8, -2.4), y4 = (-0.7, 2.4), so
 *   d01 = 1.5, d02 = 1.8, d03 = 3.0, d04 = 2.5, d12 = 1.5, d23 = 2.4. */
static const double points[] = {
  0.35, -0.2,
  1.25,  1.0,
  2.15, -0.2,
  2.15, -2.6,
  -0.35, 2.2,
};

static void
assert_pair (const LkSammon *sammon,
             guint           a,
             guint           b,
             double          target,
             double          weight)
{
  g_assert_cmpfloat_with_epsilon (lk_sammon_get_target (sammon, a, b), target, REL * target);
  g_assert_cmpfloat_with_epsilon (lk_sammon_get_weight (sammon, a, b), weight, REL * weight);
}

static void
assert_updated (LkEvidence *updated,
                guint       a,
                guint       b,
                guint       together,
                guint       apart)
{
  LkPairCounts c;

  g_assert_true (lk_evidence_lookup (updated, a, b, &c));
  g_assert_cmpuint (c.together, ==, together);
  g_assert_cmpuint (c.apart, ==, apart);
}

/* Before this phase, (0, 3) was lengthened once and (0, 4) shortened once. The batch:
 *   (0, 1) together 3, apart 1: positive majority   -> 1.5 / 4 = 0.375, weight 1
 *   (0, 2) together 1, apart 2: negative majority   -> 1.8 * 4 = 7.2,   weight 1
 *   (2, 3) together 2, apart 2: tie                 -> 2.4,             weight epsilon
 *   (1, 4) shared twice, no result: tie (0 = 0)     -> d14,             weight epsilon
 *   (0, 4) apart 3, also updated before             -> 2.5 * 4 = 10,    weight 1
 * Not in the batch: (0, 3), updated before          -> 3.0,             weight 1
 *   and the other four pairs                        -> their distance,  weight epsilon.
 * Three pairs were updated by this batch, two of them new to @updated. */
static void
test_hand_worked (void)
{
  g_autoptr(LkEmbedding) e = lk_embedding_new_from_data (points, 5, 2);
  g_autoptr(LkSammon) sammon = lk_sammon_new (5, 2);
  g_autoptr(LkEvidence) updated = lk_evidence_new (5);
  g_autoptr(LkEvidence) batch = lk_evidence_new (5);
  gsize n;

  lk_evidence_add_counts (updated, 3, 0, 0, 1, 1);
  lk_evidence_add_counts (updated, 0, 4, 1, 0, 1);

  lk_evidence_add_counts (batch, 0, 1, 3, 1, 4);
  lk_evidence_add_counts (batch, 2, 0, 1, 2, 3);
  lk_evidence_add_counts (batch, 2, 3, 2, 2, 4);
  lk_evidence_add_counts (batch, 4, 1, 0, 0, 2);
  lk_evidence_add_counts (batch, 0, 4, 0, 3, 3);

  /* Leftovers of an earlier phase must not survive: every target is reset. */
  lk_sammon_set_pair (sammon, 0, 3, 9.87, 3.3);
  lk_sammon_set_pair (sammon, 2, 3, 0.123, 2.0);
  lk_sammon_set_pair (sammon, 1, 2, 5.5, 1.0);

  n = lk_distance_update (sammon, e, updated, batch, BETA, EPSILON, 0.3);
  g_assert_cmpuint (n, ==, 3);

  assert_pair (sammon, 0, 1, 0.375, 1.0);
  assert_pair (sammon, 0, 2, 7.2, 1.0);
  assert_pair (sammon, 2, 3, 2.4, EPSILON);
  assert_pair (sammon, 1, 4, lk_embedding_distance (e, 1, 4), EPSILON);
  assert_pair (sammon, 0, 4, 10.0, 1.0);
  assert_pair (sammon, 0, 3, 3.0, 1.0);
  assert_pair (sammon, 1, 2, 1.5, EPSILON);
  assert_pair (sammon, 1, 3, lk_embedding_distance (e, 1, 3), EPSILON);
  assert_pair (sammon, 2, 4, lk_embedding_distance (e, 2, 4), EPSILON);
  assert_pair (sammon, 3, 4, lk_embedding_distance (e, 3, 4), EPSILON);

  /* The step factor is the one passed. */
  g_assert_cmpfloat_with_epsilon (lk_sammon_get_step_factor (sammon), 0.3, 1e-15);

  g_assert_cmpuint (lk_evidence_get_n_pairs (updated), ==, 4);
  assert_updated (updated, 0, 1, 1, 0);
  assert_updated (updated, 0, 2, 0, 1);
  assert_updated (updated, 0, 3, 0, 1);
  assert_updated (updated, 0, 4, 1, 1);
  g_assert_true (!lk_evidence_lookup (updated, 2, 3, NULL));
  g_assert_true (!lk_evidence_lookup (updated, 1, 4, NULL));
}

/* The next phase, with an empty batch and a moved embedding: the four pairs updated so far
 * keep weight 1 at their new current distance, every other pair gets epsilon, nothing is
 * counted and @updated does not change. */
static void
test_next_phase (void)
{
  g_autoptr(LkEmbedding) e = lk_embedding_new_from_data (points, 5, 2);
  g_autoptr(LkEmbedding) moved = lk_embedding_copy (e);
  g_autoptr(LkSammon) sammon = lk_sammon_new (5, 2);
  g_autoptr(LkEvidence) updated = lk_evidence_new (5);
  g_autoptr(LkEvidence) batch = lk_evidence_new (5);
  g_autoptr(LkEvidence) empty = lk_evidence_new (5);
  gboolean ever[5][5] = { { FALSE } };

  lk_evidence_add_counts (updated, 3, 0, 0, 1, 1);
  lk_evidence_add_counts (batch, 0, 1, 3, 1, 4);
  lk_evidence_add_counts (batch, 2, 0, 1, 2, 3);
  lk_evidence_add_counts (batch, 2, 3, 2, 2, 4);
  lk_evidence_add_counts (batch, 0, 4, 0, 3, 3);
  g_assert_cmpuint (lk_distance_update (sammon, e, updated, batch, BETA, EPSILON, 0.3), ==, 3);
  ever[0][1] = ever[0][2] = ever[0][3] = ever[0][4] = TRUE;

  /* Item 2 moves by (0.6, 0.8): d02 becomes |(2.4, 0.8)| = 2.5298221. */
  lk_embedding_get_data_mutable (moved)[4] += 0.6;
  lk_embedding_get_data_mutable (moved)[5] += 0.8;

  g_assert_cmpuint (lk_distance_update (sammon, moved, updated, empty, BETA, EPSILON, 0.3), ==, 0);
  g_assert_cmpuint (lk_evidence_get_n_pairs (updated), ==, 4);
  assert_pair (sammon, 0, 2, 2.5298221281347035, 1.0);
  for (guint a = 0; a < 5; a++)
    for (guint b = a + 1; b < 5; b++)
      assert_pair (sammon, a, b, lk_embedding_distance (moved, a, b), ever[a][b] ? 1.0 : EPSILON);
}

/* A sampled minimiser that keeps its set pairs from one phase to the next
 * (lk_distance_update_keeping()) ends with the targets and weights that setting them all again
 * gives (lk_distance_update()): after the first phase of test_next_phase()'s, the moved
 * embedding and a second batch that shortens (0, 2), lengthens (3, 4) (new) and ties (1, 4):
 *   (0, 2) -> 2.5298221 / 4, (3, 4) -> d34 * 4, the other updated pairs their distance, weight 1;
 *   the rest their distance, weight epsilon. */
static void
test_keeping (void)
{
  g_autoptr(LkEmbedding) e = lk_embedding_new_from_data (points, 5, 2);
  g_autoptr(LkEmbedding) moved = lk_embedding_copy (e);
  g_autoptr(LkSammon) full = lk_sammon_new_sampled (5, 2, 4);
  g_autoptr(LkSammon) kept = lk_sammon_new_sampled (5, 2, 4);
  g_autoptr(LkEvidence) updated_full = lk_evidence_new (5);
  g_autoptr(LkEvidence) updated_kept = lk_evidence_new (5);
  g_autoptr(LkEvidence) batch = lk_evidence_new (5);
  g_autoptr(LkEvidence) batch2 = lk_evidence_new (5);
  gboolean ever[5][5] = { { FALSE } };
  double d34;

  lk_evidence_add_counts (updated_full, 3, 0, 0, 1, 1);
  lk_evidence_add_counts (updated_kept, 3, 0, 0, 1, 1);
  lk_evidence_add_counts (batch, 0, 1, 3, 1, 4);
  lk_evidence_add_counts (batch, 2, 0, 1, 2, 3);
  lk_evidence_add_counts (batch, 2, 3, 2, 2, 4);
  lk_evidence_add_counts (batch, 0, 4, 0, 3, 3);
  lk_evidence_add_counts (batch2, 0, 2, 2, 0, 2);
  lk_evidence_add_counts (batch2, 4, 3, 0, 1, 1);
  lk_evidence_add_counts (batch2, 1, 4, 1, 1, 2);
  g_assert_cmpuint (lk_distance_update (full, e, updated_full, batch, BETA, EPSILON, 0.3), ==, 3);
  g_assert_cmpuint (lk_distance_update (kept, e, updated_kept, batch, BETA, EPSILON, 0.3), ==, 3);
  ever[0][1] = ever[0][2] = ever[0][3] = ever[0][4] = ever[3][4] = TRUE;

  lk_embedding_get_data_mutable (moved)[4] += 0.6;
  lk_embedding_get_data_mutable (moved)[5] += 0.8;
  d34 = lk_embedding_distance (moved, 3, 4);

  g_assert_cmpuint (lk_distance_update (full, moved, updated_full, batch2, BETA, EPSILON, 0.25),
                    ==, 2);
  g_assert_cmpuint (lk_distance_update_keeping (kept, moved, updated_kept, batch2, BETA, EPSILON,
                                                0.25), ==, 2);
  assert_pair (kept, 0, 2, 2.5298221281347035 / BETA, 1.0);
  assert_pair (kept, 3, 4, d34 * BETA, 1.0);
  for (guint a = 0; a < 5; a++)
    for (guint b = a + 1; b < 5; b++)
      {
        assert_pair (full, a, b, lk_sammon_get_target (kept, a, b),
                     ever[a][b] ? 1.0 : EPSILON);
        assert_pair (kept, a, b, lk_sammon_get_target (full, a, b),
                     ever[a][b] ? 1.0 : EPSILON);
        if (!(a == 0 && b == 2) && !(a == 3 && b == 4))
          assert_pair (kept, a, b, lk_embedding_distance (moved, a, b),
                       ever[a][b] ? 1.0 : EPSILON);
      }
  g_assert_cmpfloat_with_epsilon (lk_sammon_get_step_factor (kept), 0.25, 1e-15);
  g_assert_cmpuint (lk_evidence_get_n_pairs (updated_kept), ==, 5);
  assert_updated (updated_kept, 0, 2, 1, 1);
  assert_updated (updated_kept, 3, 4, 0, 1);
}

/* Five points in 2-D, already centred with a root-mean-square norm of 1, so that the update's
 * lk_embedding_normalise() leaves them (and their distances) as they are:
 *   p0 = (1, 1), p1 = (-1, 0), p2 = (0, -1), p3 = (0.5, 0.5), p4 = (-0.5, -0.5);
 *   the sum is (0, 0) and the squared norms add up to 2 + 1 + 1 + 0.5 + 0.5 = 5 = n. */
static const double centred[] = {
  1.0, 1.0,
  -1.0, 0.0,
  0.0, -1.0,
  0.5, 0.5,
  -0.5, -0.5,
};

/* Returns an answered query of @n items in @bins (nc = 2). */
static LkQuery *
answered (const guint *items,
          const gint  *bins,
          guint        n)
{
  LkQuery *q = lk_query_new (items, n);

  g_assert_true (lk_query_set_answer (q, bins, 2, NULL));

  return q;
}

/* The paper method's update (Algorithm 1, lines 6-8) on three answers, the last two of which
 * are this phase's batch (n_batch = 2):
 *   a0 (an earlier phase): items 3, 4 in one bin          -> (3, 4) together, not in the batch
 *   a1: items 0, 1 in bin 0 and 2 in bin 1                -> (0, 1) together; (0, 2), (1, 2) apart
 *   a2: items 1, 2 in bin 0 and 3 in bin 1                -> (1, 2) together; (1, 3), (2, 3) apart
 * With beta = 4, from the distances of the points above:
 *   (0, 1): positive majority, sqrt(2^2 + 1^2)   = sqrt 5   -> sqrt(5) / 4   = 0.5590170, weight 1
 *   (0, 2): negative majority, sqrt(1^2 + 2^2)   = sqrt 5   -> sqrt(5) * 4   = 8.9442719, weight 1
 *   (1, 2): one of each, a tie, sqrt(1 + 1)      = sqrt 2   -> sqrt 2        = 1.4142136, epsilon
 *   (1, 3): negative, sqrt(1.5^2 + 0.5^2)        = sqrt 2.5 -> sqrt(2.5) * 4 = 6.3245553, weight 1
 *   (2, 3): negative, sqrt(0.5^2 + 1.5^2)        = sqrt 2.5 -> sqrt(2.5) * 4 = 6.3245553, weight 1
 *   (3, 4): only in a0, so unchanged, sqrt(1 + 1) = sqrt 2  -> sqrt 2,                   epsilon
 *   the other four pairs keep their distance with weight epsilon.
 * Four pairs moved. With iterations = 0 the minimiser holds the targets as the update set them
 * and the embedding comes back as it went in. Dropping a1 would leave (0, 1) and (0, 2) alone
 * and shorten (1, 2); counting a0 would shorten (3, 4). */
static void
test_paper_update (void)
{
  static const guint items1[] = { 0, 1, 2 }, items2[] = { 1, 2, 3 }, items0[] = { 3, 4 };
  static const gint bins1[] = { 0, 0, 1 }, bins2[] = { 0, 0, 1 }, bins0[] = { 0, 0 };
  const LkMethodType *paper = lk_method_paper;
  g_autoptr(LkEmbedding) e = lk_embedding_new_from_data (centred, 5, 2);
  g_autoptr(GPtrArray) answers = g_ptr_array_new_with_free_func ((GDestroyNotify) lk_query_free);
  g_autoptr(LkEvidence) evidence = lk_evidence_new (5);
  LkUpdateStats stats = { 0 };
  const LkSammon *sammon;
  gpointer state;
  LkParams params;

  lk_params_init (&params);
  params.dim = 2;
  params.iterations = 0;
  params.epsilon = EPSILON;
  g_assert_cmpfloat (params.beta, ==, BETA);

  g_ptr_array_add (answers, answered (items0, bins0, 2));
  g_ptr_array_add (answers, answered (items1, bins1, 3));
  g_ptr_array_add (answers, answered (items2, bins2, 3));
  for (guint i = 0; i < answers->len; i++)
    lk_evidence_add_answer (evidence, g_ptr_array_index (answers, i));

  state = paper->state_new (5, &params);
  paper->update (state, e, answers, 2, evidence, &params, NULL, &stats);
  sammon = _lk_method_paper_get_sammon (state);
  g_assert_nonnull (sammon);

  g_assert_cmpuint (stats.pairs_updated, ==, 4);
  assert_pair (sammon, 0, 1, 0.55901699437494742, 1.0);
  assert_pair (sammon, 0, 2, 8.9442719099991588, 1.0);
  assert_pair (sammon, 1, 2, 1.4142135623730951, EPSILON);
  assert_pair (sammon, 1, 3, 6.3245553203367590, 1.0);
  assert_pair (sammon, 2, 3, 6.3245553203367590, 1.0);
  assert_pair (sammon, 3, 4, 1.4142135623730951, EPSILON);
  /* (0, 3) = sqrt(0.5), (0, 4) = sqrt(4.5), (1, 4) = sqrt(0.5), (2, 4) = sqrt(0.5). */
  assert_pair (sammon, 0, 3, 0.70710678118654752, EPSILON);
  assert_pair (sammon, 0, 4, 2.1213203435596426, EPSILON);
  assert_pair (sammon, 1, 4, 0.70710678118654752, EPSILON);
  assert_pair (sammon, 2, 4, 0.70710678118654752, EPSILON);

  for (guint i = 0; i < G_N_ELEMENTS (centred); i++)
    g_assert_cmpfloat_with_epsilon (lk_embedding_get_data (e)[i], centred[i], 1e-6);

  paper->state_free (state);
}

/* Returns @n_answers answered queries of 20 distinct random items of @n, in 4 bins. */
static GPtrArray *
random_answers (GRand *rand,
                guint  n,
                guint  n_answers)
{
  GPtrArray *answers = g_ptr_array_new_with_free_func ((GDestroyNotify) lk_query_free);

  for (guint q = 0; q < n_answers; q++)
    {
      guint items[20];
      gint bins[20];
      LkQuery *query;

      for (guint i = 0; i < 20; i++)
        {
          gboolean again;

          do
            {
              items[i] = g_rand_int_range (rand, 0, n);
              again = FALSE;
              for (guint j = 0; j < i; j++)
                again = again || items[j] == items[i];
            }
          while (again);
          bins[i] = g_rand_int_range (rand, 0, 4);
        }
      query = lk_query_new (items, 20);
      g_assert_true (lk_query_set_answer (query, bins, 4, NULL));
      g_ptr_array_add (answers, query);
    }

  return answers;
}

/* Returns the set pairs of @sammon as sorted keys. */
static GArray *
sorted_set_pairs (const LkSammon *sammon)
{
  gsize n_pairs = 0;
  g_autofree guint *pairs = lk_sammon_get_set_pairs (sammon, &n_pairs);
  GArray *keys = g_array_sized_new (FALSE, FALSE, sizeof (guint64), n_pairs);

  for (gsize p = 0; p < n_pairs; p++)
    {
      guint64 key = ((guint64) pairs[2 * p] << 32) | pairs[2 * p + 1];

      g_assert_cmpuint (pairs[2 * p], <, pairs[2 * p + 1]);
      g_array_append_val (keys, key);
    }
  g_array_sort (keys, (GCompareFunc) compare_guint64);

  return keys;
}

/* Above 3000 items the paper's method keeps its minimiser's set pairs from phase to phase and
 * no table of updated pairs beside them; a copy of its state takes the updated pairs from the
 * minimiser. Two phases on 3001 items: the original's second phase (keeping its pairs) and the
 * copy's (setting them all up again) set the same pairs, each with the same target and weight
 * 1. Without the copy taking the pairs, the copy's second phase would hold only the second
 * batch's. */
static void
test_paper_sampled_copy (void)
{
  const guint n = 3001;
  const LkMethodType *paper = lk_method_paper;
  g_autoptr(GRand) rand = g_rand_new_with_seed (23);
  g_autoptr(GPtrArray) answers = random_answers (rand, n, 60);
  g_autoptr(GPtrArray) more = random_answers (rand, n, 60);
  gsl_rng *rng = lk_rng_new (5), *rng_a = NULL, *rng_b = NULL;
  g_autoptr(LkEmbedding) e = lk_embedding_new_random (n, 3, rng);
  g_autoptr(LkEmbedding) ea = NULL;
  g_autoptr(LkEmbedding) eb = NULL;
  g_autoptr(GArray) keys_a = NULL;
  g_autoptr(GArray) keys_b = NULL;
  g_autoptr(GArray) keys_first = NULL;
  LkUpdateStats stats = { 0 };
  const LkSammon *sa, *sb;
  gpointer state, copy;
  LkParams params;

  lk_params_init (&params);
  params.iterations = 3;

  state = paper->state_new (n, &params);
  paper->update (state, e, answers, answers->len, NULL, &params, rng, &stats);
  g_assert_cmpuint (stats.pairs_updated, >, 1000);
  keys_first = sorted_set_pairs (_lk_method_paper_get_sammon (state));
  g_assert_cmpuint (keys_first->len, ==, stats.pairs_updated);
  copy = paper->state_copy (state);

  for (guint i = 0; i < more->len; i++)
    g_ptr_array_add (answers, g_ptr_array_steal_index (more, 0));
  ea = lk_embedding_copy (e);
  eb = lk_embedding_copy (e);
  rng_a = lk_rng_new (9);
  rng_b = lk_rng_new (9);
  paper->update (state, ea, answers, 60, NULL, &params, rng_a, &stats);
  paper->update (copy, eb, answers, 60, NULL, &params, rng_b, &stats);
  sa = _lk_method_paper_get_sammon (state);
  sb = _lk_method_paper_get_sammon (copy);

  keys_a = sorted_set_pairs (sa);
  keys_b = sorted_set_pairs (sb);
  g_assert_cmpuint (keys_a->len, ==, keys_b->len);
  g_assert_cmpuint (keys_a->len, >, keys_first->len);
  for (guint p = 0; p < keys_a->len; p++)
    {
      guint64 key = g_array_index (keys_a, guint64, p);
      guint a = key >> 32, b = key & G_MAXUINT32;

      g_assert_cmpuint (key, ==, g_array_index (keys_b, guint64, p));
      g_assert_cmpfloat (lk_sammon_get_target (sa, a, b), ==, lk_sammon_get_target (sb, a, b));
      g_assert_cmpfloat (lk_sammon_get_weight (sa, a, b), ==, lk_sammon_get_weight (sb, a, b));
      g_assert_cmpfloat_with_epsilon (lk_sammon_get_weight (sa, a, b), 1.0, 1e-6);
    }

  paper->state_free (state);
  paper->state_free (copy);
  gsl_rng_free (rng);
  gsl_rng_free (rng_a);
  gsl_rng_free (rng_b);
}

static void
copy_cb (const LkPairCounts *c,
         gpointer            user_data)
{
  lk_evidence_add_counts (user_data, c->a, c->b, c->together, c->apart, c->shared);
}

/* A phase's evidence reaches the table of all updated pairs through lk_evidence_foreach(), in
 * the order of the batch table's slots. Inserting pairs in a random order into a table that
 * doubles at a load of 3/4 costs about 3 probes per pair (an insertion at load a visits about
 * (1 + 1 / (1 - a)^2) / 2 slots, 8.5 at 3/4, 2.5 at 1/2; here 3.07). When every table hashed
 * alike, the pairs of a source table 3/4 full arrived with their home slots crowded into the
 * low part of the growing copy, which then held more than it could, and probing walked long
 * runs: 14.3 probes per pair. */
static void
test_evidence_copy_probes (void)
{
  const guint n = 30000, n_pairs = 390000;
  g_autoptr(LkEvidence) source = lk_evidence_new (n);
  g_autoptr(LkEvidence) copy = lk_evidence_new (n);
  g_autoptr(GRand) rand = g_rand_new_with_seed (19);
  double probes_per_pair;

  while (lk_evidence_get_n_pairs (source) < n_pairs)
    {
      guint a = g_rand_int_range (rand, 0, n), b = g_rand_int_range (rand, 0, n);

      if (a != b)
        lk_evidence_add_counts (source, a, b, 1, 0, 1);
    }
  lk_evidence_foreach (source, copy_cb, copy);

  g_assert_cmpuint (lk_evidence_get_n_pairs (copy), ==, n_pairs);
  probes_per_pair = (double) lk_evidence_get_n_probes (copy) / n_pairs;
  g_test_message ("%.2f probes per pair copied", probes_per_pair);
  g_assert_cmpfloat (probes_per_pair, <, 4.0);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/lk/core/distance/hand-worked", test_hand_worked);
  g_test_add_func ("/lk/core/distance/next-phase", test_next_phase);
  g_test_add_func ("/lk/core/distance/keeping", test_keeping);
  g_test_add_func ("/lk/core/distance/paper-update", test_paper_update);
  g_test_add_func ("/lk/core/distance/paper-sampled-copy", test_paper_sampled_copy);
  g_test_add_func ("/lk/core/distance/evidence-copy-probes", test_evidence_copy_probes);

  return g_test_run ();
}
