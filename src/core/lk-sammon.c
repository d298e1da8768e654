/* lk-sammon.c — weighted Sammon stress and its minimisation
 *
 * The stress (Sammon 1969, as weighted in `000_b28b33f9dbf275aa.txt`, section 3) is
 *
 *   E(Y) = 1 / C * sum_{i<j} w_ij (T_ij - d_ij(Y))^2 / T_ij,   C = sum_{i<j} w_ij T_ij,
 *
 * with targets T, weights w (1 for pairs the crowd has updated, epsilon for all others) and
 * d_ij(Y) the Euclidean distances of the embedding Y. It is scale-free: scaling T and Y by one
 * factor leaves E unchanged.
 *
 * Optimiser (a choice the paper leaves open): Sammon's own pseudo-Newton step, which divides
 * each coordinate's gradient by the absolute value of its diagonal second derivative, times a
 * step factor ("magic factor", 0.3 in Sammon's paper). Because that step is scale-free, no
 * learning rate has to be tuned per collection. We add a monotone safeguard: a step that would
 * raise the stress is rejected and the factor halved; an accepted step grows it by 5 %, up to
 * 1. So the stress never increases (a test checks this) and one iteration is one evaluation
 * of the full O(N^2) stress, gradient and diagonal Hessian.
 *
 * Speed: targets and weight/target ratios are stored as packed upper triangles in single
 * precision and coordinates as one array per dimension, so that each row's loop over j runs
 * over contiguous floats that the compiler vectorises (this file is built with -O3,
 * -fno-math-errno and -fopenmp-simd; see src/core/meson.build). bench/bench-sammon reports
 * the time per N.
 *
 * Large collections (lk_sammon_new_sampled()). The full stress costs O(N^2) per iteration and
 * its packed triangles O(N^2) memory (400 MB at N = 10,000). But nearly all pairs carry no
 * information: their target is their distance in the starting embedding and their weight
 * epsilon. The sampled minimiser keeps the pairs set with lk_sammon_set_pair() in full and splits
 * the epsilon-weighted rest into two strata (lk_sammon_sample()):
 *
 *  - near: each item with its NEAR_PAIRS nearest items in the starting point, in full. These
 *    are the rest's heaviest terms (the weight per unit of error is epsilon / T), and sampling
 *    them made a few close pairs weigh hundreds of times their share: recall at N = 10,000 fell
 *    from 0.29 to 0.12 before this stratum existed;
 *  - far: negative sampling. For every item i, m partners j are drawn uniformly from the other
 *    N - 1 items (with replacement); draws that are set or near pairs are dropped (those are in
 *    the sum already), and each kept draw gets the weight epsilon (N - 1) / (2 m). An unordered
 *    pair can be drawn from either end, each end drawing it m / (N - 1) times in expectation, so
 *    the expectation of the sampled sum is the full sum over the far pairs.
 *
 * So the sampled stress, its gradient and its diagonal Hessian are unbiased estimates of the
 * full ones at any point (tests/core/test-sammon.c checks the stress and the gradient by
 * averaging over draws; this is the negative sampling of word2vec and of SGD-MDS, here with
 * the sample held fixed). The sample is drawn once per minimisation, so the minimiser minimises
 * one deterministic function and the monotone safeguard above still holds. Targets of the rest
 * come from the stored starting point, and the normaliser C uses the same sample for its
 * epsilon part, so memory is O(N (m + NEAR_PAIRS) + set pairs).
 *
 * The sampled minimiser's step factor grows by 1.2 per accepted step instead of 1.05. Each phase
 * starts at 0.3 and the first steps are rejected down to about 0.01; growing by 5 % it then
 * took some 90 steps to reach 1 again, and at N = 10,000 no phase had converged after the 200
 * iterations (the stress still falling by 0.1 % per step). Growing by 20 % the same phases
 * converge in 60 to 140 iterations, to a lower stress (phase 5: 0.1047 against 0.1057); the
 * run's recall (seed 1, 200 iterations) was 0.284 growing by 10 % and 0.286 by 20 % (0.198
 * by 5 % before the evidence table's hash was salted; not measured since). lk-method-paper.c
 * then stops on convergence (lk_sammon_minimise()). The exact minimiser keeps 1.05, so that
 * small studies are unchanged.
 *
 * The sampled evaluation visits each pair from both ends (a CSR table per item), so that a row
 * gathers its partners' coordinates and writes only its own gradient: twice the arithmetic of
 * visiting each pair once, but the loop vectorises (AVX2 gathers), which made it three times
 * faster than the scalar loop with scattered writes. On a CPU with AVX-512 (x86-64-v4) the loop
 * runs 16 pairs at a time: 7.0 ms per iteration at N = 10,000 instead of 8.5 with AVX2 (an AMD
 * EPYC, the paper's phase 5 of seed 1, 1.3 million set pairs). The lanes sum in another order,
 * so the last digits of a sampled run depend on the CPU (recall 0.2877 against 0.2858 there). (Storing the items in a Z-order of the
 * embedding, so that partners' coordinates share cache lines, gained nothing measurable at
 * N = 10,000, where the coordinates fit in the L2 cache: the loop is bound by its arithmetic.)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "lk-sammon.h"
#include "lk-pair-key-private.h"
#include "lk-sammon-private.h"

#include "lk-knn.h"

#include <math.h>
#include <float.h>
#include <string.h>

#include <gsl/gsl_rng.h>

/* The sampled minimiser's near stratum: each item's nearest in the starting point, whose pairs
 * enter in full (see the file's header). */
#define NEAR_PAIRS 10

/* The sampled minimiser's growth of the step factor per accepted step (the exact one's is 1.05;
 * see the file's header). */
#define SAMPLED_GROWTH 1.2

/* Distances below this (embeddings are normalised to unit RMS radius) count as this. */
#define MIN_DISTANCE 1e-6f

/* A pair of the sampled minimiser: a < b, its target and w / T. */
typedef struct {
  guint a;
  guint b;
  float target;
  float ratio;
} Pair;

struct _LkSammon {
  guint   n;
  guint   dim;
  gsize   n_pairs;

  /* Sampled minimiser only (target and ratio are NULL). */
  gboolean sampled;
  guint    n_samples;    /* m: partners drawn per item */
  gboolean drawn;        /* lk_sammon_sample() ran since lk_sammon_set() */
  double   epsilon;
  float   *start_y;      /* dim x n: the starting point, whose distances are the rest's targets */
  Pair    *set_table;    /* open addressing: the pairs set with lk_sammon_set_pair() (a < b);
                          * a = EMPTY_ITEM in an empty slot */
  gsize    set_capacity; /* a power of two, at most 3/4 full; 0 before the first pair */
  gsize    n_set;
  GArray  *drawn_pairs;  /* Pair: the sampled rest, weighted */
  guint   *row_start;    /* n + 1: every pair in the rows of both its items (CSR) */
  guint   *row_col;
  float   *row_target;
  float   *row_ratio;

  float  *target;        /* packed upper triangle: T_ij */
  float  *ratio;         /* packed upper triangle: w_ij / T_ij */
  double  normaliser;    /* C */

  float  *y;             /* dim x n, current point */
  float  *grad;          /* dim x n */
  float  *hess;          /* dim x n, diagonal */
  float  *trial_y;
  float  *trial_grad;
  float  *trial_hess;

  float  *row_coef;      /* n: per-row scratch */
  float  *row_q;
  float  *row_d2;

  double  stress;
  double  previous_stress;
  double  magic;
  double  growth;        /* the step factor's growth per accepted step */
};

static inline gsize
row_offset (const LkSammon *self,
            guint           i)
{
  /* Start of row i in the packed triangle, shifted so that row[j] addresses pair (i, j). */
  return (gsize) i * self->n - (gsize) i * (i + 1) / 2 - (i + 1);
}

static inline gsize
pair_index (const LkSammon *self,
            guint           a,
            guint           b)
{
  guint i = MIN (a, b), j = MAX (a, b);

  return row_offset (self, i) + j;
}

static void alloc_points (LkSammon *self);

/**
 * lk_sammon_new:
 * @n_items: number of points
 * @dim: embedding dimension
 *
 * Allocates the workspace: two packed triangles of N (N - 1) / 2 floats (4 MB at N = 1000,
 * 256 MB at N = 8000) and a few N x d arrays, so that iterations never allocate.
 *
 * Returns: (transfer full): a new minimiser
 */
LkSammon *
lk_sammon_new (guint n_items,
               guint dim)
{
  LkSammon *self;

  g_return_val_if_fail (n_items >= 2 && dim >= 1, NULL);

  self = g_new0 (LkSammon, 1);
  self->n = n_items;
  self->dim = dim;
  self->n_pairs = (gsize) n_items * (n_items - 1) / 2;
  self->target = g_new (float, self->n_pairs);
  self->ratio = g_new (float, self->n_pairs);
  alloc_points (self);

  return self;
}

/**
 * lk_sammon_new_sampled:
 * @n_items: number of points
 * @dim: embedding dimension
 * @n_samples: partners drawn per item for the epsilon-weighted rest, >= 1
 *
 * Allocates a minimiser of the sampled stress (see the file's header): memory and time per
 * iteration grow with N @n_samples plus the number of set pairs, not with N^2. Call
 * lk_sammon_sample() after the lk_sammon_set_pair() calls and before lk_sammon_start().
 *
 * Returns: (transfer full): a new minimiser
 */
LkSammon *
lk_sammon_new_sampled (guint n_items,
                       guint dim,
                       guint n_samples)
{
  LkSammon *self;

  g_return_val_if_fail (n_items >= 2 && dim >= 1 && n_samples >= 1, NULL);

  self = g_new0 (LkSammon, 1);
  self->n = n_items;
  self->dim = dim;
  self->n_pairs = (gsize) n_items * (n_items - 1) / 2;
  self->sampled = TRUE;
  self->n_samples = n_samples;
  self->start_y = g_new0 (float, (gsize) dim * n_items);
  self->drawn_pairs = g_array_new (FALSE, FALSE, sizeof (Pair));
  self->row_start = g_new0 (guint, (gsize) n_items + 1);
  alloc_points (self);
  self->growth = SAMPLED_GROWTH;

  return self;
}

/* Allocates the N x d arrays both minimisers iterate on. */
static void
alloc_points (LkSammon *self)
{
  const guint dim = self->dim, n_items = self->n;

  self->y = g_new0 (float, (gsize) dim * n_items);
  self->grad = g_new0 (float, (gsize) dim * n_items);
  self->hess = g_new0 (float, (gsize) dim * n_items);
  self->trial_y = g_new0 (float, (gsize) dim * n_items);
  self->trial_grad = g_new0 (float, (gsize) dim * n_items);
  self->trial_hess = g_new0 (float, (gsize) dim * n_items);
  self->row_coef = g_new0 (float, n_items);
  self->row_q = g_new0 (float, n_items);
  self->row_d2 = g_new0 (float, n_items);
  self->magic = 0.3;
  self->growth = 1.05;
}

void
lk_sammon_free (LkSammon *self)
{
  if (self == NULL)
    return;

  g_free (self->target);
  g_free (self->ratio);
  g_free (self->y);
  g_free (self->grad);
  g_free (self->hess);
  g_free (self->trial_y);
  g_free (self->trial_grad);
  g_free (self->trial_hess);
  g_free (self->row_coef);
  g_free (self->row_q);
  g_free (self->row_d2);
  g_free (self->start_y);
  g_clear_pointer (&self->drawn_pairs, g_array_unref);
  g_free (self->set_table);
  g_free (self->row_start);
  g_free (self->row_col);
  g_free (self->row_target);
  g_free (self->row_ratio);
  g_free (self);
}

static void
load_coordinates (LkSammon          *self,
                  const LkEmbedding *e,
                  float             *y)
{
  const double *data = lk_embedding_get_data (e);

  for (guint i = 0; i < self->n; i++)
    for (guint k = 0; k < self->dim; k++)
      y[(gsize) k * self->n + i] = (float) data[(gsize) i * self->dim + k];
}

#define EMPTY_ITEM G_MAXUINT

/* Returns the slot of the set pair {a, b} (a < b), or the empty slot where it would go.
 *
 * The set pairs arrive in the order of an LkEvidence's slots. Hashed by the same function into
 * a table of another capacity, they came in sweeps that built long runs of occupied slots, and
 * linear probing then walked them: the first phase at N = 30,000 spent 64 % of its 32 s in this
 * index. Salting the key with the capacity makes the two orders unrelated. The pairs themselves
 * live in the slots (16 bytes), so that a look-up costs one cache miss, not two (a key table
 * pointing into an array of pairs was 12 % of the paper's run at N = 10,000). */
static inline gsize
set_home (const LkSammon *self,
          guint           a,
          guint           b)
{
  return lk_pair_key_mix (lk_pair_key (a, b)
                          ^ (self->set_capacity * G_GUINT64_CONSTANT (0x9e3779b97f4a7c15)))
         & (self->set_capacity - 1);
}

static gsize
set_slot (const LkSammon *self,
          guint           a,
          guint           b)
{
  const gsize mask = self->set_capacity - 1;
  gsize i = set_home (self, a, b);

  while (self->set_table[i].a != EMPTY_ITEM
         && (self->set_table[i].a != a || self->set_table[i].b != b))
    i = (i + 1) & mask;

  return i;
}

/* Returns the set pair {a, b} of a sampled minimiser, or NULL. */
static Pair *
find_set_pair (const LkSammon *self,
               guint           a,
               guint           b)
{
  gsize slot;

  if (self->n_set == 0)
    return NULL;
  slot = set_slot (self, MIN (a, b), MAX (a, b));

  return self->set_table[slot].a != EMPTY_ITEM ? &self->set_table[slot] : NULL;
}

/* Empties the set pairs' table, giving it @capacity slots. */
static void
set_table_reset (LkSammon *self,
                 gsize     capacity)
{
  g_free (self->set_table);
  self->set_capacity = capacity;
  self->set_table = g_new (Pair, capacity);
  self->n_set = 0;
  for (gsize i = 0; i < capacity; i++)
    self->set_table[i].a = EMPTY_ITEM;
}

/* Makes room for one more set pair, doubling the table past 3/4 full. */
static void
set_table_reserve (LkSammon *self)
{
  Pair *old = self->set_table;
  gsize old_capacity = self->set_capacity, n_set = self->n_set;

  if (4 * (n_set + 1) <= 3 * old_capacity)
    return;

  self->set_table = NULL;
  set_table_reset (self, MAX (2 * old_capacity, 1024));
  for (gsize p = 0; p < old_capacity; p++)
    if (old[p].a != EMPTY_ITEM)
      self->set_table[set_slot (self, old[p].a, old[p].b)] = old[p];
  self->n_set = n_set;
  g_free (old);
}

/* Returns the distance of items a and b in the starting point of a sampled minimiser, computed
 * as lk_sammon_set() computes the exact minimiser's targets. */
static float
start_distance (const LkSammon *self,
                guint           a,
                guint           b)
{
  float d2 = 0.0f;

  for (guint k = 0; k < self->dim; k++)
    {
      float delta = self->start_y[(gsize) k * self->n + a] - self->start_y[(gsize) k * self->n + b];
      d2 += delta * delta;
    }

  return MAX (sqrtf (d2), MIN_DISTANCE);
}

/* Frees a sampled minimiser's rows (build_rows()), stale once the pairs are set again; they
 * are the largest part of its memory (12 bytes per pair and end), so they are not kept while
 * the next phase's pairs are set and drawn. */
static void
free_rows (LkSammon *self)
{
  g_clear_pointer (&self->row_col, g_free);
  g_clear_pointer (&self->row_target, g_free);
  g_clear_pointer (&self->row_ratio, g_free);
  memset (self->row_start, 0, sizeof (guint) * (self->n + 1));
}

/**
 * lk_sammon_set:
 * @self: a minimiser
 * @start: the starting embedding, normalised (lk_embedding_normalise()), of the same size
 * @epsilon: the weight of every pair not set with lk_sammon_set_pair()
 * @magic: the initial step factor
 *
 * Sets every target to the pair's distance in @start with weight @epsilon (lines 6 and 8 of
 * Algorithm 1: D = DistanceFromEmbedding(E)), and starts the minimisation from @start.
 */
void
lk_sammon_set (LkSammon          *self,
               const LkEmbedding *start,
               double             epsilon,
               double             magic)
{
  g_return_if_fail (self != NULL && start != NULL);
  g_return_if_fail (lk_embedding_get_n_items (start) == self->n);
  g_return_if_fail (lk_embedding_get_dim (start) == self->dim);

  load_coordinates (self, start, self->y);
  self->magic = magic;

  if (self->sampled)
    {
      /* The starting point: the targets of the rest. */
      memcpy (self->start_y, self->y, sizeof (float) * self->dim * self->n);
      self->epsilon = epsilon;
      self->drawn = FALSE;
      g_array_set_size (self->drawn_pairs, 0);
      free_rows (self);
      if (self->n_set > 0)
        set_table_reset (self, self->set_capacity);
      return;
    }

  for (guint i = 0; i < self->n; i++)
    {
      float *t = self->target + row_offset (self, i);
      float *r = self->ratio + row_offset (self, i);

      for (guint j = i + 1; j < self->n; j++)
        {
          float d2 = 0.0f, d;

          for (guint k = 0; k < self->dim; k++)
            {
              float delta = self->y[(gsize) k * self->n + i] - self->y[(gsize) k * self->n + j];
              d2 += delta * delta;
            }
          d = MAX (sqrtf (d2), MIN_DISTANCE);
          t[j] = d;
          r[j] = (float) epsilon / d;
        }
    }
}

/**
 * lk_sammon_set_keeping_pairs:
 * @self: a sampled minimiser (lk_sammon_new_sampled())
 * @start: the starting embedding, normalised, of the same size
 * @epsilon: the weight of every pair not set
 * @magic: the initial step factor
 * @weight: the weight every pair set so far keeps
 *
 * As lk_sammon_set(), except that the pairs set with lk_sammon_set_pair() since the last
 * lk_sammon_set() stay set: each gets its distance in @start as its target and @weight as its
 * weight. The same as lk_sammon_set() followed by lk_sammon_set_pair (a, b, distance, @weight)
 * for each of them, without re-inserting them one by one: one sweep over the table instead of
 * a hash insertion per pair (at N = 10,000 the paper's method holds 1.3 million such pairs by
 * its fifth phase, and re-inserting them took a fifth of its update).
 */
void
lk_sammon_set_keeping_pairs (LkSammon          *self,
                             const LkEmbedding *start,
                             double             epsilon,
                             double             magic,
                             double             weight)
{
  g_return_if_fail (self != NULL && start != NULL && self->sampled);
  g_return_if_fail (lk_embedding_get_n_items (start) == self->n);
  g_return_if_fail (lk_embedding_get_dim (start) == self->dim);
  g_return_if_fail (weight > 0.0);

  load_coordinates (self, start, self->y);
  self->magic = magic;
  memcpy (self->start_y, self->y, sizeof (float) * self->dim * self->n);
  self->epsilon = epsilon;
  self->drawn = FALSE;
  g_array_set_size (self->drawn_pairs, 0);
  free_rows (self);

  for (gsize p = 0; p < self->set_capacity; p++)
    {
      Pair *pair = &self->set_table[p];

      if (pair->a == EMPTY_ITEM)
        continue;
      pair->target = start_distance (self, pair->a, pair->b);
      pair->ratio = (float) weight / pair->target;
    }
}

/**
 * lk_sammon_get_set_pairs:
 * @self: a sampled minimiser
 * @n_pairs: (out): the number of pairs
 *
 * Returns: (transfer full) (array): the pairs set with lk_sammon_set_pair() and kept since,
 *   as 2 x @n_pairs items (a < b), in the order of the table's slots
 */
guint *
lk_sammon_get_set_pairs (const LkSammon *self,
                         gsize          *n_pairs)
{
  guint *out;
  gsize at = 0;

  g_return_val_if_fail (self != NULL && self->sampled && n_pairs != NULL, NULL);

  out = g_new (guint, 2 * MAX (self->n_set, 1));
  for (gsize p = 0; p < self->set_capacity; p++)
    if (self->set_table[p].a != EMPTY_ITEM)
      {
        out[at++] = self->set_table[p].a;
        out[at++] = self->set_table[p].b;
      }
  *n_pairs = self->n_set;

  return out;
}

/**
 * lk_sammon_reserve:
 * @self: a sampled minimiser
 * @n_more: how many more pairs may be set
 *
 * Sizes the set pairs' table for those set and @n_more at once, so that setting them does not double it step
 * by step (the first phase of the paper's method at N = 10,000 sets 450,000 pairs). Does
 * nothing if the table is large enough.
 */
void
lk_sammon_reserve (LkSammon *self,
                   gsize     n_more)
{
  Pair *old;
  gsize old_capacity, capacity = 1024;

  g_return_if_fail (self != NULL && self->sampled);

  while (3 * capacity < 4 * (self->n_set + n_more))
    capacity *= 2;
  if (capacity <= self->set_capacity)
    return;

  old = self->set_table;
  old_capacity = self->set_capacity;
  self->set_table = NULL;
  set_table_reset (self, capacity);
  for (gsize p = 0; p < old_capacity; p++)
    if (old[p].a != EMPTY_ITEM)
      {
        self->set_table[set_slot (self, old[p].a, old[p].b)] = old[p];
        self->n_set++;
      }
  g_free (old);
}

/**
 * lk_sammon_is_sampled:
 * @self: a minimiser
 *
 * Returns: %TRUE for a sampled minimiser (lk_sammon_new_sampled())
 */
gboolean
lk_sammon_is_sampled (const LkSammon *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return self->sampled;
}

/**
 * lk_sammon_set_pair:
 * @self: a minimiser
 * @a: an item
 * @b: another item
 * @target: the pair's target distance, > 0
 * @weight: the pair's weight, > 0
 */
void
lk_sammon_set_pair (LkSammon *self,
                    guint     a,
                    guint     b,
                    double    target,
                    double    weight)
{
  gsize p;

  g_return_if_fail (self != NULL);
  g_return_if_fail (a != b && a < self->n && b < self->n);
  g_return_if_fail (weight > 0.0);

  if (self->sampled)
    {
      Pair *pair;

      set_table_reserve (self);
      pair = &self->set_table[set_slot (self, MIN (a, b), MAX (a, b))];
      if (pair->a == EMPTY_ITEM)
        {
          pair->a = MIN (a, b);
          pair->b = MAX (a, b);
          self->n_set++;
        }
      pair->target = MAX ((float) target, MIN_DISTANCE);
      pair->ratio = (float) weight / pair->target;
      return;
    }

  p = pair_index (self, a, b);
  self->target[p] = MAX ((float) target, MIN_DISTANCE);
  self->ratio[p] = (float) weight / self->target[p];
}

double
lk_sammon_get_target (const LkSammon *self,
                      guint           a,
                      guint           b)
{
  g_return_val_if_fail (self != NULL && a != b && a < self->n && b < self->n, 0.0);

  if (self->sampled)
    {
      const Pair *pair = find_set_pair (self, a, b);

      return pair != NULL ? pair->target : start_distance (self, a, b);
    }

  return self->target[pair_index (self, a, b)];
}

double
lk_sammon_get_weight (const LkSammon *self,
                      guint           a,
                      guint           b)
{
  gsize p;

  g_return_val_if_fail (self != NULL && a != b && a < self->n && b < self->n, 0.0);

  if (self->sampled)
    {
      const Pair *pair = find_set_pair (self, a, b);

      return pair != NULL ? (double) pair->ratio * pair->target : self->epsilon;
    }

  p = pair_index (self, a, b);
  return (double) self->ratio[p] * self->target[p];
}

/* Returns TRUE if j is among i's nearest. */
static gboolean
lists_near (const guint *near,
            guint        k,
            guint        i,
            guint        j)
{
  for (guint c = 0; c < k; c++)
    if (near[(gsize) i * k + c] == j)
      return TRUE;

  return FALSE;
}

/* Returns TRUE if {i, j} is in the near stratum: j among i's NEAR_PAIRS nearest in the starting
 * point, or i among j's. */
static gboolean
is_near (const guint *near,
         guint        k,
         guint        i,
         guint        j)
{
  return lists_near (near, k, i, j) || lists_near (near, k, j, i);
}

/**
 * lk_sammon_sample:
 * @self: a minimiser
 * @rng: (nullable): the random source; may be %NULL for the exact minimiser
 *
 * Draws the sampled rest of a sampled minimiser (see the file's header): call after the
 * lk_sammon_set_pair() calls, before lk_sammon_start(). Does nothing, and draws nothing from
 * @rng, for the exact minimiser.
 */
void
lk_sammon_sample (LkSammon *self,
                  gsl_rng  *rng)
{
  const guint n = self->n, m = self->n_samples, dim = self->dim;
  const guint k = MIN (NEAR_PAIRS, n - 1);
  g_autofree double *start = NULL;
  g_autofree guint *near = NULL;
  g_autofree guint *partners = NULL;
  double scale;

  g_return_if_fail (self != NULL);

  if (!self->sampled)
    return;
  g_return_if_fail (rng != NULL);

  g_array_set_size (self->drawn_pairs, 0);

  /* The near stratum, in full with weight epsilon. */
  start = g_new (double, (gsize) n * dim);
  for (guint i = 0; i < n; i++)
    for (guint c = 0; c < dim; c++)
      start[(gsize) i * dim + c] = self->start_y[(gsize) c * n + i];
  near = lk_knn_compute (start, n, dim, k, NULL);
  g_clear_pointer (&start, g_free);
  for (guint i = 0; i < n; i++)
    for (guint c = 0; c < k; c++)
      {
        guint j = near[(gsize) i * k + c];
        Pair pair;

        /* Once per pair: from i if i < j or i is not among j's nearest. */
        if ((j < i && lists_near (near, k, j, i)) || find_set_pair (self, i, j) != NULL)
          continue;
        pair.a = MIN (i, j);
        pair.b = MAX (i, j);
        pair.target = start_distance (self, i, j);
        pair.ratio = (float) self->epsilon / pair.target;
        g_array_append_val (self->drawn_pairs, pair);
      }

  /* The far stratum, sampled: draws that land on a set or near pair are dropped. */
  scale = self->epsilon * (n - 1) / (2.0 * m);
  partners = g_new (guint, m);
  for (guint i = 0; i < n; i++)
    {
      /* An item's draws first, so that the look-ups of their slots in the set pairs' table
       * (far larger than the caches) can overlap. */
      for (guint s = 0; s < m; s++)
        {
          partners[s] = gsl_rng_uniform_int (rng, n - 1);
          partners[s] += partners[s] >= i;
          if (self->n_set > 0)
            __builtin_prefetch (&self->set_table[set_home (self, MIN (i, partners[s]),
                                                           MAX (i, partners[s]))]);
        }
      for (guint s = 0; s < m; s++)
        {
          guint j = partners[s];
          Pair pair;

          if (is_near (near, k, i, j) || find_set_pair (self, i, j) != NULL)
            continue;
          pair.a = MIN (i, j);
          pair.b = MAX (i, j);
          pair.target = start_distance (self, i, j);
          pair.ratio = (float) scale / pair.target;
          g_array_append_val (self->drawn_pairs, pair);
        }
    }
  self->drawn = TRUE;
}

/* Puts @pair in the rows of both its items. */
static inline void
add_to_rows (LkSammon   *self,
             guint      *fill,
             const Pair *pair)
{
  guint at = fill[pair->a]++;

  self->row_col[at] = pair->b;
  self->row_target[at] = pair->target;
  self->row_ratio[at] = pair->ratio;
  at = fill[pair->b]++;
  self->row_col[at] = pair->a;
  self->row_target[at] = pair->target;
  self->row_ratio[at] = pair->ratio;
}

/* Lays the set and drawn pairs of a sampled minimiser out by item, each pair in the rows of
 * both its items, so that the evaluation of a row gathers the partners' coordinates and writes
 * only its own item's gradient: twice the arithmetic of visiting each pair once, but no
 * scattered writes, and the loop vectorises. */
static void
build_rows (LkSammon *self)
{
  const Pair *drawn = (const Pair *) self->drawn_pairs->data;
  gsize total = 2 * ((gsize) self->n_set + self->drawn_pairs->len);
  g_autofree guint *fill = NULL;

  g_return_if_fail (total < G_MAXUINT);

  g_free (self->row_col);
  g_free (self->row_target);
  g_free (self->row_ratio);
  self->row_col = g_new (guint, MAX (total, 1));
  self->row_target = g_new (float, MAX (total, 1));
  self->row_ratio = g_new (float, MAX (total, 1));

  memset (self->row_start, 0, sizeof (guint) * (self->n + 1));
  for (gsize p = 0; p < self->set_capacity; p++)
    if (self->set_table[p].a != EMPTY_ITEM)
      {
        self->row_start[self->set_table[p].a + 1]++;
        self->row_start[self->set_table[p].b + 1]++;
      }
  for (guint p = 0; p < self->drawn_pairs->len; p++)
    {
      self->row_start[drawn[p].a + 1]++;
      self->row_start[drawn[p].b + 1]++;
    }
  for (guint i = 0; i < self->n; i++)
    self->row_start[i + 1] += self->row_start[i];

  fill = g_memdup2 (self->row_start, sizeof (guint) * self->n);
  for (gsize p = 0; p < self->set_capacity; p++)
    if (self->set_table[p].a != EMPTY_ITEM)
      add_to_rows (self, fill, &self->set_table[p]);
  for (guint p = 0; p < self->drawn_pairs->len; p++)
    add_to_rows (self, fill, &drawn[p]);

  /* The drawn pairs are in the rows now: give their memory back (a GArray does not shrink). */
  g_array_unref (self->drawn_pairs);
  self->drawn_pairs = g_array_new (FALSE, FALSE, sizeof (Pair));
}

/* Returns the unnormalised sampled stress at y for dim = 3, with grad and hess: the terms of
 * evaluate_dim3() over the rows of build_rows(). Each pair is met twice, so the stress is
 * halved. */
__attribute__ ((target_clones ("default", "arch=x86-64-v3", "arch=x86-64-v4")))
static double
evaluate_rows_dim3 (LkSammon    *self,
                    const float *y,
                    float       *grad,
                    float       *hess)
{
  const gsize n = self->n;
  const guint *restrict col = self->row_col;
  const float *restrict tt = self->row_target;
  const float *restrict rr = self->row_ratio;
  const float *restrict xs = y, *restrict ys = y + n, *restrict zs = y + 2 * n;
  double stress = 0.0;

  for (gsize i = 0; i < n; i++)
    {
      const float xi = xs[i], yi = ys[i], zi = zs[i];
      float row_stress = 0.0f, gx = 0.0f, gy = 0.0f, gz = 0.0f, hx = 0.0f, hy = 0.0f, hz = 0.0f;
      const guint from = self->row_start[i], to = self->row_start[i + 1];

#pragma omp simd reduction(+:row_stress, gx, gy, gz, hx, hy, hz)
      for (guint p = from; p < to; p++)
        {
          const guint j = col[p];
          float dx = xi - xs[j], dy = yi - ys[j], dz = zi - zs[j];
          float sq = dx * dx + dy * dy + dz * dz;
          float d, inv_d, res, two_a, cf, qq;

          sq = sq > MIN_DISTANCE * MIN_DISTANCE ? sq : MIN_DISTANCE * MIN_DISTANCE;
          d = sqrtf (sq);
          inv_d = 1.0f / d;
          res = tt[p] - d;
          two_a = 2.0f * rr[p];
          row_stress += rr[p] * res * res;
          cf = two_a - two_a * tt[p] * inv_d;
          qq = two_a * tt[p] * inv_d * inv_d * inv_d;
          gx += cf * dx;
          gy += cf * dy;
          gz += cf * dz;
          hx += cf + qq * dx * dx;
          hy += cf + qq * dy * dy;
          hz += cf + qq * dz * dz;
        }

      grad[i] = gx;
      grad[n + i] = gy;
      grad[2 * n + i] = gz;
      hess[i] = hx;
      hess[n + i] = hy;
      hess[2 * n + i] = hz;
      stress += row_stress;
    }

  return 0.5 * stress;
}

/* As evaluate_rows_dim3(), for any dimension. */
static double
evaluate_rows (LkSammon    *self,
               const float *y,
               float       *grad,
               float       *hess)
{
  const gsize n = self->n;
  const guint dim = self->dim;
  double stress = 0.0;

  memset (grad, 0, sizeof (float) * dim * n);
  memset (hess, 0, sizeof (float) * dim * n);

  for (gsize i = 0; i < n; i++)
    {
      float row_stress = 0.0f;

      for (guint p = self->row_start[i]; p < self->row_start[i + 1]; p++)
        {
          const gsize j = self->row_col[p];
          const float t = self->row_target[p], r = self->row_ratio[p];
          float sq = 0.0f, d, inv_d, res, cf, qq;

          for (guint k = 0; k < dim; k++)
            {
              float delta = y[k * n + i] - y[k * n + j];

              sq += delta * delta;
            }
          sq = sq > MIN_DISTANCE * MIN_DISTANCE ? sq : MIN_DISTANCE * MIN_DISTANCE;
          d = sqrtf (sq);
          inv_d = 1.0f / d;
          res = t - d;
          row_stress += r * res * res;
          cf = 2.0f * r - 2.0f * r * t * inv_d;
          qq = 2.0f * r * t * inv_d * inv_d * inv_d;

          for (guint k = 0; k < dim; k++)
            {
              float delta = y[k * n + i] - y[k * n + j];

              grad[k * n + i] += cf * delta;
              hess[k * n + i] += cf + qq * delta * delta;
            }
        }

      stress += row_stress;
    }

  return 0.5 * stress;
}

/* Returns the unnormalised stress at y for dim = 3 (the default), with grad and hess: the same
 * sums as evaluate_any_dim() in one pass per row, which halves the loads and stores. */
__attribute__ ((target_clones ("default", "arch=x86-64-v3")))
static double
evaluate_dim3 (LkSammon    *self,
               const float *y,
               float       *grad,
               float       *hess)
{
  const gsize n = self->n;
  const float *packed_t = self->target;
  const float *packed_r = self->ratio;
  double stress = 0.0;

  memset (grad, 0, sizeof (float) * 3 * n);
  memset (hess, 0, sizeof (float) * 3 * n);

  for (gsize i = 0; i + 1 < n; i++)
    {
      const gsize m = n - i - 1;
      const float *restrict t = packed_t;
      const float *restrict r = packed_r;
      const float *restrict xj = y + i + 1;
      const float *restrict yj = y + n + i + 1;
      const float *restrict zj = y + 2 * n + i + 1;
      float *restrict gxj = grad + i + 1;
      float *restrict gyj = grad + n + i + 1;
      float *restrict gzj = grad + 2 * n + i + 1;
      float *restrict hxj = hess + i + 1;
      float *restrict hyj = hess + n + i + 1;
      float *restrict hzj = hess + 2 * n + i + 1;
      const float xi = y[i], yi = y[n + i], zi = y[2 * n + i];
      float row_stress = 0.0f, gx = 0.0f, gy = 0.0f, gz = 0.0f, hx = 0.0f, hy = 0.0f, hz = 0.0f;

      packed_t += m;
      packed_r += m;

#pragma omp simd reduction(+:row_stress, gx, gy, gz, hx, hy, hz)
      for (gsize c = 0; c < m; c++)
        {
          float dx = xi - xj[c], dy = yi - yj[c], dz = zi - zj[c];
          float sq = dx * dx + dy * dy + dz * dz;
          float d, inv_d, res, two_a, cf, qq, h;

          sq = sq > MIN_DISTANCE * MIN_DISTANCE ? sq : MIN_DISTANCE * MIN_DISTANCE;
          d = sqrtf (sq);
          inv_d = 1.0f / d;
          res = t[c] - d;
          two_a = 2.0f * r[c];
          row_stress += r[c] * res * res;
          cf = two_a - two_a * t[c] * inv_d;
          qq = two_a * t[c] * inv_d * inv_d * inv_d;

          gx += cf * dx;
          gxj[c] -= cf * dx;
          gy += cf * dy;
          gyj[c] -= cf * dy;
          gz += cf * dz;
          gzj[c] -= cf * dz;
          h = cf + qq * dx * dx;
          hx += h;
          hxj[c] += h;
          h = cf + qq * dy * dy;
          hy += h;
          hyj[c] += h;
          h = cf + qq * dz * dz;
          hz += h;
          hzj[c] += h;
        }

      grad[i] += gx;
      grad[n + i] += gy;
      grad[2 * n + i] += gz;
      hess[i] += hx;
      hess[n + i] += hy;
      hess[2 * n + i] += hz;
      stress += row_stress;
    }

  return stress;
}

/* Returns the unnormalised stress at y, and fills grad and hess (unnormalised).
 *
 * Row i covers the pairs (i, j > i); every inner loop runs over c = j - i - 1 from 0 so that
 * the compiler sees plain contiguous arrays. The x86-64-v3 clone (AVX2 + FMA) is picked at load
 * time on CPUs that have it; other machines run the baseline clone. */
__attribute__ ((target_clones ("default", "arch=x86-64-v3")))
static double
evaluate_any_dim (LkSammon    *self,
                  const float *y,
                  float       *grad,
                  float       *hess)
{
  const gsize n = self->n;
  const guint dim = self->dim;
  float *restrict coef = self->row_coef;
  float *restrict q = self->row_q;
  float *restrict d2 = self->row_d2;
  const float *packed_t = self->target;
  const float *packed_r = self->ratio;
  double stress = 0.0;

  memset (grad, 0, sizeof (float) * dim * n);
  memset (hess, 0, sizeof (float) * dim * n);

  for (gsize i = 0; i + 1 < n; i++)
    {
      const gsize m = n - i - 1;
      const float *restrict t = packed_t;
      const float *restrict r = packed_r;
      float row_stress = 0.0f;

      packed_t += m;
      packed_r += m;

      memset (d2, 0, sizeof (float) * m);
      for (guint k = 0; k < dim; k++)
        {
          const float *restrict yj = y + k * n + i + 1;
          const float yik = y[k * n + i];

#pragma omp simd
          for (gsize c = 0; c < m; c++)
            {
              float delta = yik - yj[c];
              d2[c] += delta * delta;
            }
        }

      /* For the term a (T - d)^2 with a = w / T: dE/dy_i = c (y_i - y_j) with
       * c = 2 a (1 - T / d), and the diagonal second derivative is c + 2 a T delta^2 / d^3. */
#pragma omp simd reduction(+:row_stress)
      for (gsize c = 0; c < m; c++)
        {
          float sq = d2[c] > MIN_DISTANCE * MIN_DISTANCE ? d2[c] : MIN_DISTANCE * MIN_DISTANCE;
          float d = sqrtf (sq);
          float inv_d = 1.0f / d;
          float res = t[c] - d;
          float two_a = 2.0f * r[c];

          row_stress += r[c] * res * res;
          coef[c] = two_a - two_a * t[c] * inv_d;
          q[c] = two_a * t[c] * inv_d * inv_d * inv_d;
        }

      for (guint k = 0; k < dim; k++)
        {
          const float *restrict yj = y + k * n + i + 1;
          float *restrict gj = grad + k * n + i + 1;
          float *restrict hj = hess + k * n + i + 1;
          const float yik = y[k * n + i];
          float gi = 0.0f, hi = 0.0f;

#pragma omp simd reduction(+:gi, hi)
          for (gsize c = 0; c < m; c++)
            {
              float delta = yik - yj[c];
              float h = coef[c] + q[c] * delta * delta;

              gi += coef[c] * delta;
              gj[c] -= coef[c] * delta;
              hi += h;
              hj[c] += h;
            }

          grad[k * n + i] += gi;
          hess[k * n + i] += hi;
        }

      stress += row_stress;
    }

  return stress;
}

/* Returns the unnormalised stress at y, with grad and hess. */
static double
evaluate (LkSammon    *self,
          const float *y,
          float       *grad,
          float       *hess)
{
  if (self->sampled && self->dim == 3)
    return evaluate_rows_dim3 (self, y, grad, hess);
  if (self->sampled)
    return evaluate_rows (self, y, grad, hess);
  if (self->dim == 3)
    return evaluate_dim3 (self, y, grad, hess);

  return evaluate_any_dim (self, y, grad, hess);
}

/**
 * lk_sammon_start:
 * @self: a minimiser whose targets are set
 *
 * Computes the normaliser C and the stress, gradient and Hessian at the starting point. Call
 * after lk_sammon_set() and the lk_sammon_set_pair() calls, before lk_sammon_iterate(). A
 * sampled minimiser moves its drawn pairs into its rows here, so each lk_sammon_sample() serves
 * one start.
 */
void
lk_sammon_start (LkSammon *self)
{
  double c = 0.0;

  g_return_if_fail (self != NULL);
  g_return_if_fail (!self->sampled || self->drawn);

  if (self->sampled)
    {
      build_rows (self);
      self->drawn = FALSE;
      for (gsize p = 0; p < self->row_start[self->n]; p++)
        c += 0.5 * self->row_ratio[p] * self->row_target[p] * self->row_target[p];
    }
  else
    for (gsize p = 0; p < self->n_pairs; p++)
      c += (double) self->ratio[p] * self->target[p] * self->target[p];
  self->normaliser = c > 0.0 ? c : 1.0;

  self->stress = evaluate (self, self->y, self->grad, self->hess) / self->normaliser;
  self->previous_stress = G_MAXDOUBLE;
}

/**
 * lk_sammon_iterate:
 * @self: a started minimiser
 *
 * Tries one pseudo-Newton step and keeps it if the stress went down; otherwise halves the step
 * factor for the next try.
 *
 * Returns: %TRUE if the step was accepted
 */
gboolean
lk_sammon_iterate (LkSammon *self)
{
  const gsize size = (gsize) self->dim * self->n;
  float hmax = 0.0f, hfloor;
  double trial_stress;
  float *swap;

  g_return_val_if_fail (self != NULL, FALSE);

  for (gsize p = 0; p < size; p++)
    hmax = MAX (hmax, fabsf (self->hess[p]));
  /* A nearly flat coordinate would get an enormous step: bound |H| from below. */
  hfloor = MAX (hmax * 1e-4f, FLT_MIN);

  for (gsize p = 0; p < size; p++)
    self->trial_y[p] = self->y[p] - (float) self->magic * self->grad[p]
                                    / MAX (fabsf (self->hess[p]), hfloor);

  trial_stress = evaluate (self, self->trial_y, self->trial_grad, self->trial_hess)
                 / self->normaliser;

  if (trial_stress <= self->stress)
    {
      swap = self->y; self->y = self->trial_y; self->trial_y = swap;
      swap = self->grad; self->grad = self->trial_grad; self->trial_grad = swap;
      swap = self->hess; self->hess = self->trial_hess; self->trial_hess = swap;
      self->previous_stress = self->stress;
      self->stress = trial_stress;
      self->magic = MIN (self->magic * self->growth, 1.0);
      return TRUE;
    }

  self->magic *= 0.5;
  return FALSE;
}

/* lk_sammon_minimise()'s window: the accepted steps over which the stress must fall by the
 * tolerance. A window, because a single step right after a rejected one is short however far the
 * minimum is; accepted steps, because each phase starts with a few rejected ones that leave the
 * stress where it was. */
#define CONVERGENCE_WINDOW 10

/**
 * lk_sammon_minimise:
 * @self: a started minimiser
 * @max_iterations: the most iterations to run
 * @tolerance: stop once the last CONVERGENCE_WINDOW (10) accepted steps lowered the stress by
 *   no more than @tolerance times the stress; 0 to run all @max_iterations
 *
 * Returns: the iterations run (accepted and rejected)
 */
guint
lk_sammon_minimise (LkSammon *self,
                    guint     max_iterations,
                    double    tolerance)
{
  double window[CONVERGENCE_WINDOW];
  guint n_accepted = 0, it;

  g_return_val_if_fail (self != NULL, 0);

  for (it = 0; it < max_iterations; it++)
    {
      if (!lk_sammon_iterate (self) || tolerance <= 0.0)
        continue;
      if (n_accepted >= CONVERGENCE_WINDOW
          && window[n_accepted % CONVERGENCE_WINDOW] - self->stress <= tolerance * self->stress)
        return it + 1;
      window[n_accepted++ % CONVERGENCE_WINDOW] = self->stress;
    }

  return it;
}

/**
 * lk_sammon_test_converged:
 * @self: a minimiser
 * @tolerance: relative decrease below which the last accepted step counts as no progress
 *
 * Returns: %TRUE if the last accepted step lowered the stress by less than @tolerance times
 *   the stress, or the step factor has shrunk below 1e-6
 */
gboolean
lk_sammon_test_converged (const LkSammon *self,
                          double          tolerance)
{
  g_return_val_if_fail (self != NULL, TRUE);

  if (self->magic < 1e-6)
    return TRUE;
  if (self->previous_stress == G_MAXDOUBLE)
    return FALSE;

  return self->previous_stress - self->stress <= tolerance * self->stress;
}

double
lk_sammon_get_stress (const LkSammon *self)
{
  g_return_val_if_fail (self != NULL, 0.0);

  return self->stress;
}

double
lk_sammon_get_step_factor (const LkSammon *self)
{
  g_return_val_if_fail (self != NULL, 0.0);

  return self->magic;
}

/**
 * lk_sammon_get_embedding:
 * @self: a minimiser
 * @out: an embedding of the same size, overwritten with the current point
 */
void
lk_sammon_get_embedding (const LkSammon *self,
                         LkEmbedding    *out)
{
  double *data;

  g_return_if_fail (self != NULL && out != NULL);
  g_return_if_fail (lk_embedding_get_n_items (out) == self->n);
  g_return_if_fail (lk_embedding_get_dim (out) == self->dim);

  data = lk_embedding_get_data_mutable (out);
  for (guint i = 0; i < self->n; i++)
    for (guint k = 0; k < self->dim; k++)
      data[(gsize) i * self->dim + k] = self->y[(gsize) k * self->n + i];
}

/**
 * lk_sammon_evaluate:
 * @self: a started minimiser (lk_sammon_start())
 * @at: the point to evaluate at
 * @gradient: (out caller-allocates) (optional): n x dim row-major gradient of the stress
 *
 * Evaluates the normalised stress at any point without moving the minimiser; for tests.
 *
 * Returns: the stress at @at
 */
double
lk_sammon_evaluate (LkSammon          *self,
                    const LkEmbedding *at,
                    double            *gradient)
{
  double stress;

  g_return_val_if_fail (self != NULL && at != NULL, 0.0);

  load_coordinates (self, at, self->trial_y);
  stress = evaluate (self, self->trial_y, self->trial_grad, self->trial_hess) / self->normaliser;

  if (gradient != NULL)
    for (guint i = 0; i < self->n; i++)
      for (guint k = 0; k < self->dim; k++)
        gradient[(gsize) i * self->dim + k] =
          self->trial_grad[(gsize) k * self->n + i] / self->normaliser;

  return stress;
}

/**
 * lk_sammon_get_normaliser:
 * @self: a started minimiser
 *
 * Returns: C, the sum of w T over all pairs (the sampled estimate of it for a sampled minimiser)
 */
double
lk_sammon_get_normaliser (const LkSammon *self)
{
  g_return_val_if_fail (self != NULL, 0.0);

  return self->normaliser;
}
