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
 * visiting each pair once, but the loop vectorises, which made it three times faster than the
 * scalar loop with scattered writes. The coordinates are packed (x, y, z, 0) per item for it,
 * and on a CPU with AVX-512 a kernel in intrinsics loads 16 partners with 16 vector loads and
 * a transpose, and prefetches the rows' arrays 1 KB ahead (evaluate_rows_dim3_avx512()); the
 * loop GCC made of the per-coordinate arrays took three scalar loads per partner. Per pair
 * visit at N = 10,000 (bench-sammon --sampled, AMD EPYC, shared machine): 2.0 to 2.4 ns
 * before, 1.2 to 1.7 with the packed kernel, 0.95 to 1.3 with the prefetch; 1.6 ns at
 * N = 100,000 (2.3 without the prefetch). Other CPUs take the portable kernel over the same
 * layout (a test compares the two). The lanes sum in another order than the portable loop, so
 * the last digits of a sampled run depend on the CPU. (Storing the items in a Z-order of the
 * embedding, so that partners' coordinates share cache lines, gained nothing measurable at
 * N = 10,000, where the coordinates fit in the L2 cache; neither did the hardware gathers, 2.8
 * ns per visit, nor dropping the targets' and ratios' loads, which left the kernel bound by
 * the stream of partner indices until it was prefetched.)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "lk-sammon.h"
#include "lk-pair-key-private.h"
#include "lk-sammon-private.h"

#include "lk-knn.h"

#include <math.h>
#include <float.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include <gsl/gsl_rng.h>

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define LK_SAMMON_X86 1
#endif

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
  gsize    set_capacity; /* slots, at most 3/4 full; 0 before the first pair */
  gsize    n_set;
  /* The sampled rest, from lk_sammon_sample() to build_rows(): item i's near partners are
   * near_col[near_start[i] .. near_start[i + 1]), its kept far draws likewise, each pair once.
   * Only the partners are stored (4 bytes a pair, not a 16-byte Pair): targets and ratios
   * follow from the starting point and the weights, and build_rows() computes them. */
  guint   *near_start;   /* n + 1 */
  guint   *near_col;
  guint   *far_start;    /* n + 1 */
  guint   *far_col;
  double   far_weight;   /* a kept far draw's weight: epsilon (N - 1) / (2 m) */
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

  float  *packed;        /* 4 x n: the point as (x, y, z, 0) per item, for the rows' kernels
                          * (sampled, dim 3) */
  float  *row_coef;      /* n: per-row scratch */
  float  *row_q;
  float  *row_d2;

  double  stress;
  double  previous_stress;
  double  magic;
  double  growth;        /* the step factor's growth per accepted step */
  gboolean portable;     /* the portable rows' kernel even where the CPU has a faster one */
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

/* Returns @bytes of memory for the sampled minimiser's large tables (free with g_free()): from
 * 64 MB on, aligned to 2 MB and marked for transparent huge pages where the system has them.
 * (Not below: glibc serves blocks up to 32 MB from its heap once it has freed a mapped one, and
 * huge pages there stay resident after free(); from 4 MB on, the peak RSS at N = 10,000 rose
 * from 166 to 272 MB.)
 * Building the rows writes each pair to two random places of arrays of hundreds of megabytes
 * at N = 100,000, and the kernel's first touch of every 4 KB page was a page fault: with 2 MB
 * pages the writes miss the TLB far less and fault 512 times less often. */
static gpointer
alloc_large (gsize bytes)
{
  const gsize huge = 2 * 1024 * 1024;
  gpointer p = NULL;

  bytes = MAX (bytes, 1);
  if (bytes < 32 * huge)
    return g_malloc (bytes);
  bytes = (bytes + huge - 1) / huge * huge;
  if (posix_memalign (&p, huge, bytes) != 0)
    g_error ("%s: failed to allocate %" G_GSIZE_FORMAT " bytes", G_STRLOC, bytes);
#ifdef MADV_HUGEPAGE
  madvise (p, bytes, MADV_HUGEPAGE);
#endif

  return p;
}

/* Frees the sampled rest drawn by lk_sammon_sample(), if any. */
static void
free_drawn (LkSammon *self)
{
  g_clear_pointer (&self->near_start, g_free);
  g_clear_pointer (&self->near_col, g_free);
  g_clear_pointer (&self->far_start, g_free);
  g_clear_pointer (&self->far_col, g_free);
}

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
  self->row_start = g_new0 (guint, (gsize) n_items + 1);
  alloc_points (self);
  self->growth = SAMPLED_GROWTH;
  if (dim == 3)
    self->packed = g_new0 (float, (gsize) 4 * n_items);

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
  g_free (self->packed);
  g_free (self->start_y);
  free_drawn (self);
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
 * pointing into an array of pairs was 12 % of the paper's run at N = 10,000).
 *
 * The capacity is any number of slots, not a power of two: the home slot is the hash's high
 * bits scaled to it (a multiply and a shift). Sized to 4/3 of the pairs a phase may set
 * (lk_sammon_reserve()), the table at N = 100,000 took some 430 MB in the fifth phase, where the
 * power of two above took 537 MB, at the run's peak of memory. */
static inline gsize
set_home (const LkSammon *self,
          guint           a,
          guint           b)
{
  guint64 h = lk_pair_key_mix (lk_pair_key (a, b)
                               ^ (self->set_capacity * G_GUINT64_CONSTANT (0x9e3779b97f4a7c15)));

  return (gsize) (((unsigned __int128) h * self->set_capacity) >> 64);
}

static gsize
set_slot (const LkSammon *self,
          guint           a,
          guint           b)
{
  const gsize capacity = self->set_capacity;
  gsize i = set_home (self, a, b);

  while (self->set_table[i].a != EMPTY_ITEM
         && (self->set_table[i].a != a || self->set_table[i].b != b))
    i = i + 1 < capacity ? i + 1 : 0;

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
  self->set_table = alloc_large (sizeof (Pair) * capacity);
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
      free_drawn (self);
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
  free_drawn (self);
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
  gsize old_capacity, capacity;

  g_return_if_fail (self != NULL && self->sampled);

  /* At most 3/4 full once all are set. */
  capacity = MAX ((4 * (self->n_set + n_more) + 2) / 3, 1024);
  if (4 * (self->n_set + n_more) <= 3 * self->set_capacity)
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

/**
 * lk_sammon_scale_pair:
 * @self: a minimiser
 * @a: an item
 * @b: another item
 * @multiply: the factor to multiply the pair's target by, > 0
 * @divide: the divisor, > 0
 * @weight: the pair's weight, > 0
 *
 * Sets the pair's target to (lk_sammon_get_target() x @multiply) / @divide, with @weight: the
 * same as lk_sammon_set_pair (a, b, lk_sammon_get_target (a, b) * @multiply / @divide,
 * @weight), number for number, but a sampled minimiser finds the pair's slot once instead of
 * twice (each of a phase's updated pairs is a cache miss in a table far larger than the caches:
 * the look-ups were 3 to 4 % of the paper's run at N = 10,000 and 100,000).
 */
void
lk_sammon_scale_pair (LkSammon *self,
                      guint     a,
                      guint     b,
                      double    multiply,
                      double    divide,
                      double    weight)
{
  Pair *pair;
  double d;

  g_return_if_fail (self != NULL);
  g_return_if_fail (a != b && a < self->n && b < self->n);
  g_return_if_fail (multiply > 0.0 && divide > 0.0 && weight > 0.0);

  if (!self->sampled)
    {
      lk_sammon_set_pair (self, a, b, lk_sammon_get_target (self, a, b) * multiply / divide,
                          weight);
      return;
    }

  set_table_reserve (self);
  pair = &self->set_table[set_slot (self, MIN (a, b), MAX (a, b))];
  if (pair->a == EMPTY_ITEM)
    {
      d = start_distance (self, a, b);
      pair->a = MIN (a, b);
      pair->b = MAX (a, b);
      self->n_set++;
    }
  else
    d = pair->target;
  pair->target = MAX ((float) (d * multiply / divide), MIN_DISTANCE);
  pair->ratio = (float) weight / pair->target;
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

  g_return_if_fail (self != NULL);

  if (!self->sampled)
    return;
  g_return_if_fail (rng != NULL);

  free_drawn (self);

  /* The near stratum, in full with weight epsilon. */
  start = g_new (double, (gsize) n * dim);
  for (guint i = 0; i < n; i++)
    for (guint c = 0; c < dim; c++)
      start[(gsize) i * dim + c] = self->start_y[(gsize) c * n + i];
  near = lk_knn_compute (start, n, dim, k, NULL);
  g_clear_pointer (&start, g_free);
  self->near_start = g_new (guint, (gsize) n + 1);
  self->near_col = g_new (guint, MAX ((gsize) n * k, 1));
  self->near_start[0] = 0;
  for (guint i = 0, at = 0; i < n; i++)
    {
      for (guint c = 0; c < k; c++)
        {
          guint j = near[(gsize) i * k + c];

          /* Once per pair: from i if i < j or i is not among j's nearest. */
          if ((j < i && lists_near (near, k, j, i)) || find_set_pair (self, i, j) != NULL)
            continue;
          self->near_col[at++] = j;
        }
      self->near_start[i + 1] = at;
    }

  /* The far stratum, sampled: draws that land on a set or near pair are dropped. */
  self->far_weight = self->epsilon * (n - 1) / (2.0 * m);
  self->far_start = g_new (guint, (gsize) n + 1);
  self->far_col = g_new (guint, (gsize) n * m);
  self->far_start[0] = 0;
  partners = g_new (guint, m);
  for (guint i = 0, at = 0; i < n; i++)
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

          if (is_near (near, k, i, j) || find_set_pair (self, i, j) != NULL)
            continue;
          self->far_col[at++] = j;
        }
      self->far_start[i + 1] = at;
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

/* How many slots of the set pairs' table ahead build_rows() prefetches the rows' places. */
#define BUILD_AHEAD 8

/* Lays the set and drawn pairs of a sampled minimiser out by item, each pair in the rows of
 * both its items, so that the evaluation of a row gathers the partners' coordinates and writes
 * only its own item's gradient: twice the arithmetic of visiting each pair once, but no
 * scattered writes, and the loop vectorises. */
static void
build_rows (LkSammon *self)
{
  const guint n = self->n;
  const float near_weight = (float) self->epsilon, far_weight = (float) self->far_weight;
  gsize total = 2 * ((gsize) self->n_set + self->near_start[n] + self->far_start[n]);
  g_autofree guint *fill = NULL;

  g_return_if_fail (total < G_MAXUINT);

  g_free (self->row_col);
  g_free (self->row_target);
  g_free (self->row_ratio);
  self->row_col = alloc_large (sizeof (guint) * total);
  self->row_target = alloc_large (sizeof (float) * total);
  self->row_ratio = alloc_large (sizeof (float) * total);

  memset (self->row_start, 0, sizeof (guint) * (n + 1));
  for (gsize p = 0; p < self->set_capacity; p++)
    if (self->set_table[p].a != EMPTY_ITEM)
      {
        self->row_start[self->set_table[p].a + 1]++;
        self->row_start[self->set_table[p].b + 1]++;
      }
  for (guint i = 0; i < n; i++)
    {
      self->row_start[i + 1] += (self->near_start[i + 1] - self->near_start[i])
                                + (self->far_start[i + 1] - self->far_start[i]);
      for (guint p = self->near_start[i]; p < self->near_start[i + 1]; p++)
        self->row_start[self->near_col[p] + 1]++;
      for (guint p = self->far_start[i]; p < self->far_start[i + 1]; p++)
        self->row_start[self->far_col[p] + 1]++;
    }
  for (guint i = 0; i < n; i++)
    self->row_start[i + 1] += self->row_start[i];

  /* The set pairs, then the near ones, then the far ones, each pair in both its rows. */
  fill = g_memdup2 (self->row_start, sizeof (guint) * n);
  for (gsize p = 0; p < self->set_capacity; p++)
    {
      /* The rows' places of the pair a few slots on, asked for now so that the cache misses
       * of these scattered writes overlap. */
      if (p + BUILD_AHEAD < self->set_capacity && self->set_table[p + BUILD_AHEAD].a != EMPTY_ITEM)
        {
          const Pair *next = &self->set_table[p + BUILD_AHEAD];

          __builtin_prefetch (&self->row_col[fill[next->a]], 1);
          __builtin_prefetch (&self->row_target[fill[next->a]], 1);
          __builtin_prefetch (&self->row_ratio[fill[next->a]], 1);
          __builtin_prefetch (&self->row_col[fill[next->b]], 1);
          __builtin_prefetch (&self->row_target[fill[next->b]], 1);
          __builtin_prefetch (&self->row_ratio[fill[next->b]], 1);
        }
      if (self->set_table[p].a != EMPTY_ITEM)
        add_to_rows (self, fill, &self->set_table[p]);
    }
  for (guint i = 0; i < n; i++)
    for (guint p = self->near_start[i]; p < self->near_start[i + 1]; p++)
      {
        guint j = self->near_col[p];
        Pair pair = { .a = MIN (i, j), .b = MAX (i, j), .target = start_distance (self, i, j) };

        pair.ratio = near_weight / pair.target;
        add_to_rows (self, fill, &pair);
      }
  for (guint i = 0; i < n; i++)
    for (guint p = self->far_start[i]; p < self->far_start[i + 1]; p++)
      {
        guint j = self->far_col[p];
        Pair pair = { .a = MIN (i, j), .b = MAX (i, j), .target = start_distance (self, i, j) };

        pair.ratio = far_weight / pair.target;
        add_to_rows (self, fill, &pair);
      }

  /* The drawn pairs are in the rows now. */
  free_drawn (self);
}

/* The rows' kernels for dim = 3 (evaluate_rows_dim3()). Each returns the unnormalised sampled
 * stress at the point packed in self->packed, with grad and hess (dim x n): the terms of
 * evaluate_dim3() over the rows of build_rows(). Each pair is met twice, so the stress is halved.
 *
 * A row gathers its partners' coordinates. Stored one array per coordinate, that was three
 * scalar loads and inserts per partner (GCC does not use the hardware gathers for generic
 * tuning, and on the AMD EPYC measured here they were slower still: 2.8 ns per pair visit
 * against 2.0); packed as (x, y, z, 0) per item it is one 16-byte load per partner, four of
 * which a 4 x 4 transpose turns into x, y and z vectors. The x86 kernels do that with
 * intrinsics; the portable one reads the same packed layout (with an AVX2 clone). */
__attribute__ ((target_clones ("default", "arch=x86-64-v3")))
static double
evaluate_rows_dim3_portable (LkSammon *self,
                             float    *grad,
                             float    *hess)
{
  const gsize n = self->n;
  const float *restrict pk = self->packed;
  double stress = 0.0;

  for (gsize i = 0; i < n; i++)
    {
      const float xi = pk[4 * i], yi = pk[4 * i + 1], zi = pk[4 * i + 2];
      float row_stress = 0.0f, gx = 0.0f, gy = 0.0f, gz = 0.0f, hx = 0.0f, hy = 0.0f, hz = 0.0f;
      const guint from = self->row_start[i], to = self->row_start[i + 1];

#pragma omp simd reduction(+:row_stress, gx, gy, gz, hx, hy, hz)
      for (guint p = from; p < to; p++)
        {
          const gsize j = self->row_col[p];
          const float t = self->row_target[p], r = self->row_ratio[p];
          float dx = xi - pk[4 * j], dy = yi - pk[4 * j + 1], dz = zi - pk[4 * j + 2];
          float sq = dx * dx + dy * dy + dz * dz;
          float d, inv_d, res, two_a, cf, qq;

          sq = sq > MIN_DISTANCE * MIN_DISTANCE ? sq : MIN_DISTANCE * MIN_DISTANCE;
          d = sqrtf (sq);
          inv_d = 1.0f / d;
          res = t - d;
          two_a = 2.0f * r;
          row_stress += r * res * res;
          cf = two_a - two_a * t * inv_d;
          qq = two_a * t * inv_d * inv_d * inv_d;
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

#ifdef LK_SAMMON_X86
/* How far ahead, in pair visits, the AVX-512 kernel prefetches its rows' arrays. */
#define PREFETCH_AHEAD 256

/* 16 partners at a time: lane b of block k of a_c holds partner 4 k + c, so the in-lane 4 x 4
 * transpose leaves x, y and z with partner l in lane l. A row's last partners are padded with
 * the row's own item at target and ratio 0, whose terms are 0. */
__attribute__ ((target ("avx512f")))
static double
evaluate_rows_dim3_avx512 (LkSammon *self,
                           float    *grad,
                           float    *hess)
{
  const gsize n = self->n;
  const float *restrict pk = self->packed;
  const guint *restrict col = self->row_col;
  const float *restrict tt = self->row_target;
  const float *restrict rr = self->row_ratio;
  const __m512 min_sq = _mm512_set1_ps (MIN_DISTANCE * MIN_DISTANCE);
  const __m512 one = _mm512_set1_ps (1.0f);
  double stress = 0.0;

  for (gsize i = 0; i < n; i++)
    {
      const __m512 xi = _mm512_set1_ps (pk[4 * i]);
      const __m512 yi = _mm512_set1_ps (pk[4 * i + 1]);
      const __m512 zi = _mm512_set1_ps (pk[4 * i + 2]);
      __m512 s_acc = _mm512_setzero_ps ();
      __m512 gx = _mm512_setzero_ps (), gy = _mm512_setzero_ps (), gz = _mm512_setzero_ps ();
      __m512 hx = _mm512_setzero_ps (), hy = _mm512_setzero_ps (), hz = _mm512_setzero_ps ();
      const guint from = self->row_start[i], to = self->row_start[i + 1];

      for (guint p = from; p < to; p += 16)
        {
          guint idx[16];
          const guint *c;
          __m512 a0, a1, a2, a3, t0, t1, t2, t3, x, y, z, t, r;
          __m512 dx, dy, dz, sq, d, inv_d, res, two_a, cf, qq;

          /* The rows' arrays stream from memory: asking for them 1 KB ahead took the kernel
           * from 1.3-1.65 to 0.95-1.3 ns per visit at N = 10,000 (bench-sammon --sampled,
           * alternating; 512 bytes and 2 KB ahead were in between). */
          _mm_prefetch ((const char *) (col + p + PREFETCH_AHEAD), _MM_HINT_T0);
          _mm_prefetch ((const char *) (tt + p + PREFETCH_AHEAD), _MM_HINT_T0);
          _mm_prefetch ((const char *) (rr + p + PREFETCH_AHEAD), _MM_HINT_T0);
          if (p + 16 <= to)
            {
              c = col + p;
              t = _mm512_loadu_ps (tt + p);
              r = _mm512_loadu_ps (rr + p);
            }
          else
            {
              const __mmask16 mask = (__mmask16) ((1u << (to - p)) - 1);

              for (guint l = 0; l < 16; l++)
                idx[l] = p + l < to ? col[p + l] : (guint) i;
              c = idx;
              t = _mm512_maskz_loadu_ps (mask, tt + p);
              r = _mm512_maskz_loadu_ps (mask, rr + p);
            }

#define LK_LOAD4(k0, k1, k2, k3)                                                            \
  _mm512_insertf32x4 (_mm512_insertf32x4 (_mm512_insertf32x4 (                              \
    _mm512_castps128_ps512 (_mm_loadu_ps (pk + 4 * (gsize) c[k0])),                         \
    _mm_loadu_ps (pk + 4 * (gsize) c[k1]), 1), _mm_loadu_ps (pk + 4 * (gsize) c[k2]), 2),   \
    _mm_loadu_ps (pk + 4 * (gsize) c[k3]), 3)
          a0 = LK_LOAD4 (0, 4, 8, 12);
          a1 = LK_LOAD4 (1, 5, 9, 13);
          a2 = LK_LOAD4 (2, 6, 10, 14);
          a3 = LK_LOAD4 (3, 7, 11, 15);
#undef LK_LOAD4
          t0 = _mm512_unpacklo_ps (a0, a1);   /* x0 x1 y0 y1 per block */
          t1 = _mm512_unpackhi_ps (a0, a1);   /* z0 z1 w0 w1 */
          t2 = _mm512_unpacklo_ps (a2, a3);   /* x2 x3 y2 y3 */
          t3 = _mm512_unpackhi_ps (a2, a3);   /* z2 z3 w2 w3 */
          x = _mm512_castpd_ps (_mm512_unpacklo_pd (_mm512_castps_pd (t0), _mm512_castps_pd (t2)));
          y = _mm512_castpd_ps (_mm512_unpackhi_pd (_mm512_castps_pd (t0), _mm512_castps_pd (t2)));
          z = _mm512_castpd_ps (_mm512_unpacklo_pd (_mm512_castps_pd (t1), _mm512_castps_pd (t3)));

          dx = _mm512_sub_ps (xi, x);
          dy = _mm512_sub_ps (yi, y);
          dz = _mm512_sub_ps (zi, z);
          sq = _mm512_fmadd_ps (dz, dz, _mm512_fmadd_ps (dy, dy, _mm512_mul_ps (dx, dx)));
          sq = _mm512_max_ps (sq, min_sq);
          d = _mm512_sqrt_ps (sq);
          inv_d = _mm512_div_ps (one, d);
          res = _mm512_sub_ps (t, d);
          two_a = _mm512_add_ps (r, r);
          s_acc = _mm512_fmadd_ps (_mm512_mul_ps (r, res), res, s_acc);
          /* cf = 2a - 2a T / d; qq = 2a T / d^3 */
          qq = _mm512_mul_ps (_mm512_mul_ps (two_a, t), inv_d);
          cf = _mm512_sub_ps (two_a, qq);
          qq = _mm512_mul_ps (qq, _mm512_mul_ps (inv_d, inv_d));
          gx = _mm512_fmadd_ps (cf, dx, gx);
          gy = _mm512_fmadd_ps (cf, dy, gy);
          gz = _mm512_fmadd_ps (cf, dz, gz);
          hx = _mm512_add_ps (hx, _mm512_fmadd_ps (_mm512_mul_ps (qq, dx), dx, cf));
          hy = _mm512_add_ps (hy, _mm512_fmadd_ps (_mm512_mul_ps (qq, dy), dy, cf));
          hz = _mm512_add_ps (hz, _mm512_fmadd_ps (_mm512_mul_ps (qq, dz), dz, cf));
        }

      grad[i] = _mm512_reduce_add_ps (gx);
      grad[n + i] = _mm512_reduce_add_ps (gy);
      grad[2 * n + i] = _mm512_reduce_add_ps (gz);
      hess[i] = _mm512_reduce_add_ps (hx);
      hess[n + i] = _mm512_reduce_add_ps (hy);
      hess[2 * n + i] = _mm512_reduce_add_ps (hz);
      stress += _mm512_reduce_add_ps (s_acc);
    }

  return 0.5 * stress;
}
#endif

/* Returns the unnormalised sampled stress at y for dim = 3, with grad and hess: packs y and
 * runs the fastest kernel the CPU has. */
static double
evaluate_rows_dim3 (LkSammon    *self,
                    const float *y,
                    float       *grad,
                    float       *hess)
{
  const gsize n = self->n;
  float *restrict pk = self->packed;

  for (gsize i = 0; i < n; i++)
    {
      pk[4 * i] = y[i];
      pk[4 * i + 1] = y[n + i];
      pk[4 * i + 2] = y[2 * n + i];
      pk[4 * i + 3] = 0.0f;
    }

#ifdef LK_SAMMON_X86
  if (!self->portable && __builtin_cpu_supports ("avx512f"))
    return evaluate_rows_dim3_avx512 (self, grad, hess);
#endif

  return evaluate_rows_dim3_portable (self, grad, hess);
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
 * lk_sammon_set_portable:
 * @self: a minimiser
 * @portable: %TRUE to evaluate a sampled minimiser's rows (dim 3) with the portable kernel even
 *   on a CPU with AVX-512; for tests, which compare the two
 */
void
lk_sammon_set_portable (LkSammon *self,
                        gboolean  portable)
{
  g_return_if_fail (self != NULL);

  self->portable = portable;
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
