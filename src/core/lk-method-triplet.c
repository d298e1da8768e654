/* lk-method-triplet.c — "triplet": a probabilistic embedding of every comparison the answers imply
 *
 * What an answer says. A participant sorts a grid into bins; each bin holds items that belong
 * together. For a binned item x, the answer says that x is closer to its own bin than to every
 * other bin, and closer to its bin than to every left-out item (the paper's leftovers are "less
 * similar to the images within the bins", `000_b28b33f9dbf275aa.txt`, section 4). Two left-out
 * items say nothing about each other, and a left-out item is never the x of a comparison. These
 * are the comparisons lk_triplet_comparisons() lists: (x, own bin, rival) with the rival another
 * bin or a left-out item.
 *
 * The loss. Each comparison set of x in an answer is one softmax, in the spirit of t-STE (van der
 * Maaten and Weinberger 2012) with a bin's centre in place of a single item: with c_B the mean of
 * the embedded items of bin B (x included, as in k-means) and
 *   K(x, c) = (1 + |x - c|^2 / alpha)^(-(alpha + 1) / 2),
 * the term of x is
 *   -log K(x, c_own) / (K(x, c_own) + sum over rivals r of K(x, r)),
 * the rivals being the other bins' centres and the left-out items. The loss is the mean of these
 * terms over all binned items of all answers so far; the gradient flows through the centres to
 * every member of a bin. Answers that disagree pull the same points in opposite directions and
 * the softmax settles between them, less confident, instead of flipping distances back and forth.
 *
 * Sampling, so that the work per phase is bounded. Each of the triplet_iterations Adam
 * iterations takes the gradient of the terms of triplet_answers answers (more in collections
 * beyond a few thousand items: draws_per_iteration()), drawn from all answers
 * so far (old and new alike) in epochs: a fresh random permutation of all answers, used up in
 * order, then the next (LkTripletSampler). The work per phase is therefore iterations x answers
 * x nq x (bins + left-out) whatever the number of answers, for a given collection size:
 * 150,000 answer visits per phase up to N = 2000 (so at 2400 answers every answer is still
 * visited about 60 times per phase), and 75 N beyond.
 *
 * The optimiser. Adam (beta1 0.9, beta2 0.999), moments reset each phase, warm-started from the
 * current embedding rescaled to the radius the last phase ended at (the loss is not scale-free;
 * the stored embedding is normalised to RMS radius 1 like the paper method's). The first phase
 * starts from the paper's uniform random embedding. The step is in embedding units; the radius
 * grows from 1 to about 15 in the first phase and 40 by the fifth (600 queries; the loss rewards
 * separating the bins), so the steps get finer relative to the embedding as evidence accumulates.
 *
 * Robustness. People err: some items land in a bin by chance. Each term is therefore a mixture
 * of the softmax and a guess: -log (g / m + (1 - g) s), with s x's own-bin share and m the
 * number of choices (bins and left-out items). Its gradient is that of -log s times
 * (1 - g) s / (g / m + (1 - g) s), so an item the embedding finds far from its bin pulls less,
 * and answers that disagree lower the model's confidence instead of dragging points to and fro.
 *
 * Trials of the other tasks (lk_refiner_add_trial()). Each answered triplet, forced choice,
 * match or intruder trial states comparisons "anchor a is closer to n than to f"
 * (lk_trial_comparisons(): one for a triplet, four for a forced choice, up to m - 1 for a match
 * page, seven for an intruder). Each is one more term of the same kind, with the two items
 * themselves as the choices:
 *   -log (g / 2 + (1 - g) K(a, n) / (K(a, n) + K(a, f))),
 * t-STE's triplet term with the same kernel and guessing share. Weighting: one trial
 * comparison counts as much as one binned item's term of a grid (TRIAL_WEIGHT = 1), so the loss
 * is the mean over both kinds of term together. A sorted grid of 20 items thus weighs about as
 * much as 20 triplet answers, 5 forced choices or 3 intruder answers; per second of a
 * participant's time (about 4 s per triplet against about 60 s per grid, README "Task kinds")
 * a grid still says more, but each triplet term is a statement about three single items,
 * where a bin term compares an item with bin centres. Sampling: each iteration draws the
 * trial comparisons at the rate it draws answers (draws / answers of the comparisons, in their
 * own epochs), so every term of either kind is visited equally often in expectation and the
 * summed gradient is that of the mean loss; with trials but no grids, an iteration draws
 * max(triplet_answers x nq, N / 2) comparisons.
 *
 * Memory, in large collections. Beyond some tens of thousands of items the rows (coordinates,
 * gradient, Adam's moments) no longer fit in the caches, and every item of a drawn answer was a
 * cache miss of its own (the update was 3/4 of a phase at N = 30,000 under perf). Two changes
 * that leave every number as it was, the same arithmetic in the same order (checked: every
 * phase's recall and loss to the last printed digit at N = 1000, every phase's recall at
 * 10,000, the final recall at 100,000):
 * - prefetching (prefetch_answers()): the answer record, its items and bins, and their rows are
 *   asked for 6, 4 and 2 draws ahead, reading the sampler's order without drawing from it;
 * - a locality order (lk_triplet_locality_order()): each phase stores the rows along a Z-order
 *   curve of its starting embedding and renames the items of the compiled answers and trial
 *   comparisons to match (back after the phase). The later phases' grids are k-NN
 *   neighbourhoods of that embedding, so an answer's rows lie in a few cache lines.
 * Measured with bench/bench-scale (CPU time, one core, on a machine at load 10-18): the first
 * phase at N = 100,000 (`likeness-cli simulate --dataset colors:100000 --budget 24000
 * --phases 1 --method triplet`, whole process) 34.0 and 25.9 s without prefetching, 18.1 and
 * 17.1 s with the rows prefetched, 14.3 s with the three stages; README "Scaling" has the
 * whole runs.
 *
 * Why the loss compares items with bin centres rather than with items, how every default was
 * measured, and the variants tried and not kept (among them, for issue 19, steps scaled with
 * the evidence): docs/triplet-experiments.md.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "lk-method-private.h"

#include <math.h>
#include <string.h>

#include <gsl/gsl_randist.h>

#include "lk-triplet-private.h"

/* How much one trial comparison weighs against one binned item's term (see the header). */
#define TRIAL_WEIGHT 1.0

/* One answer, compiled for the loss: its binned items grouped by bin, then the left-out ones. */
typedef struct {
  guint offset;        /* into Tables.items */
  guint n;             /* items in the grid */
  guint n_binned;      /* items in a bin */
  guint n_bins;        /* non-empty bins */
  guint bins_offset;   /* into Tables.bins: n_bins (start, size, bin) triples */
} Answer;

typedef struct {
  GArray *answers;     /* Answer, one per answer that implies at least one comparison */
  GArray *items;       /* guint */
  GArray *bins;        /* guint */
  guint   max_n;       /* largest grid */
} Tables;

typedef struct {
  guint   n_items;
  double  scale;       /* RMS radius the last phase ended at */
  guint   n_seen;      /* answers compiled so far */
  Tables  tables;
  GArray *trial_cmps;  /* LkTrialComparison of every trial added */
  gboolean trained;    /* an update has run on something */
  double *grad;
  double *m;
  double *v;
  double *work;        /* centres, their gradients, kernel values: (2 dim + 2) max_n */
} TripletState;

static void
tables_init (Tables *t)
{
  t->answers = g_array_new (FALSE, FALSE, sizeof (Answer));
  t->items = g_array_new (FALSE, FALSE, sizeof (guint));
  t->bins = g_array_new (FALSE, FALSE, sizeof (guint));
  t->max_n = 0;
}

static void
tables_clear (Tables *t)
{
  g_clear_pointer (&t->answers, g_array_unref);
  g_clear_pointer (&t->items, g_array_unref);
  g_clear_pointer (&t->bins, g_array_unref);
}

/* Returns TRUE if @query implies a comparison, and then adds it to @t. */
static gboolean
tables_add (Tables        *t,
            const LkQuery *query)
{
  Answer a = { 0 };
  guint n = lk_query_get_n_items (query);

  a.offset = t->items->len;
  a.n = n;
  a.bins_offset = t->bins->len;
  for (guint b = 0; b < 32; b++)
    {
      guint start = t->items->len - a.offset, size = 0;

      for (guint p = 0; p < n; p++)
        if (lk_query_get_bin (query, p) == (gint) b)
          {
            guint item = lk_query_get_item (query, p);
            g_array_append_val (t->items, item);
            size++;
          }
      if (size == 0)
        continue;
      g_array_append_val (t->bins, start);
      g_array_append_val (t->bins, size);
      g_array_append_val (t->bins, b);
      a.n_bins++;
      a.n_binned += size;
    }
  for (guint p = 0; p < n; p++)
    if (lk_query_get_bin (query, p) == LK_BIN_LEFT_OUT)
      {
        guint item = lk_query_get_item (query, p);
        g_array_append_val (t->items, item);
      }

  /* x needs a bin and at least one rival: another bin or a left-out item. */
  if (a.n_bins == 0 || a.n_bins + (n - a.n_binned) < 2)
    {
      g_array_set_size (t->items, a.offset);
      g_array_set_size (t->bins, a.bins_offset);
      return FALSE;
    }

  g_array_append_val (t->answers, a);
  t->max_n = MAX (t->max_n, n);

  return TRUE;
}

/* Returns q^e, as plain products for the small integer powers of odd alpha. */
static inline double
kernel_pow (double q,
            double e)
{
  if (e == 1.0)
    return q;
  if (e == 2.0)
    return q * q;
  if (e == 3.0)
    return q * q * q;

  return pow (q, e);
}

/* The body of answer_loss() for a given dimension; inlined with dim = 3 (the default) so that
 * the coordinate loops unroll. One division per (x, choice): K = (1 / q)^e. */
G_ALWAYS_INLINE static inline double
answer_loss_dim (const Tables *t,
                 const Answer *a,
                 const double *points,
                 guint         dim,
                 double        alpha,
                 double        guess,
                 double        gscale,
                 double       *work,
                 double       *grad,
                 gboolean      want_loss)
{
  const guint *items = (const guint *) t->items->data + a->offset;
  const guint *bins = (const guint *) t->bins->data + a->bins_offset;
  guint n_out = a->n - a->n_binned, n_c = a->n_bins + n_out;
  double *cent = work, *gcent = work + (gsize) a->n * dim;
  double *kern = gcent + (gsize) a->n * dim, *inv_q = kern + a->n;
  double expo = (alpha + 1.0) / 2.0, grad_factor = (alpha + 1.0) / alpha, loss = 0.0;
  double inv_alpha = 1.0 / alpha, g_m = guess / n_c;

  /* Rivals 0..n_bins-1 are the bin centres, then the left-out items themselves. */
  for (guint b = 0; b < a->n_bins; b++)
    {
      guint start = bins[3 * b], size = bins[3 * b + 1];
      double *c = cent + (gsize) b * dim, inv_size = 1.0 / size;

      for (guint k = 0; k < dim; k++)
        c[k] = 0.0;
      for (guint i = start; i < start + size; i++)
        for (guint k = 0; k < dim; k++)
          c[k] += points[(gsize) items[i] * dim + k];
      for (guint k = 0; k < dim; k++)
        c[k] *= inv_size;
    }
  for (guint i = 0; i < n_out; i++)
    for (guint k = 0; k < dim; k++)
      cent[(gsize) (a->n_bins + i) * dim + k] = points[(gsize) items[a->n_binned + i] * dim + k];
  if (grad != NULL)
    for (gsize k = 0; k < (gsize) n_c * dim; k++)
      gcent[k] = 0.0;

  for (guint b = 0; b < a->n_bins; b++)
    for (guint i = bins[3 * b]; i < bins[3 * b] + bins[3 * b + 1]; i++)
      {
        const double *x = points + (gsize) items[i] * dim;
        double sum = 0.0, share, p, robust, inv_sum;

        for (guint c = 0; c < n_c; c++)
          {
            const double *cc = cent + (gsize) c * dim;
            double dd = 0.0;

            for (guint k = 0; k < dim; k++)
              dd += (x[k] - cc[k]) * (x[k] - cc[k]);
            inv_q[c] = 1.0 / (1.0 + dd * inv_alpha);
            kern[c] = kernel_pow (inv_q[c], expo);
            sum += kern[c];
          }

        /* With the guessing share g the term is -log (g / m + (1 - g) s), s = kern[b] / sum,
         * m = the number of choices; its gradient is that of -log s times
         * robust = (1 - g) s / (g / m + (1 - g) s), which fades for items the embedding finds
         * misplaced. */
        inv_sum = 1.0 / sum;
        share = kern[b] * inv_sum;
        p = g_m + (1.0 - guess) * share;
        if (want_loss)
          loss -= log (p);
        if (grad == NULL)
          continue;
        robust = (1.0 - guess) * share / p;

        /* d(-log K(x, c)) / dx = (alpha + 1) / alpha / q (x - c); the softmax weighs each rival
         * by its share of the sum. */
        {
          double *gx = grad + (gsize) items[i] * dim, f = gscale * robust * grad_factor;

          for (guint c = 0; c < n_c; c++)
            {
              double w = f * inv_q[c] * ((c == b ? 1.0 : 0.0) - kern[c] * inv_sum);
              const double *cc = cent + (gsize) c * dim;
              double *gc = gcent + (gsize) c * dim;

              for (guint k = 0; k < dim; k++)
                {
                  double u = w * (x[k] - cc[k]);
                  gx[k] += u;
                  gc[k] -= u;
                }
            }
        }
      }

  if (grad != NULL)
    {
      for (guint b = 0; b < a->n_bins; b++)
        {
          double inv_size = 1.0 / bins[3 * b + 1];

          for (guint i = bins[3 * b]; i < bins[3 * b] + bins[3 * b + 1]; i++)
            for (guint k = 0; k < dim; k++)
              grad[(gsize) items[i] * dim + k] += gcent[(gsize) b * dim + k] * inv_size;
        }
      for (guint i = 0; i < n_out; i++)
        for (guint k = 0; k < dim; k++)
          grad[(gsize) items[a->n_binned + i] * dim + k] += gcent[(gsize) (a->n_bins + i) * dim + k];
    }

  return loss;
}

/* How many draws ahead an iteration asks the memory for what an answer's terms read
 * (prefetch_answers()). */
#define PREFETCH_AHEAD 2

/* Asks the memory, in three stages, for what the iteration's next draws will read: the answer
 * record PREFETCH_AHEAD x 3 draws ahead, its items and bins PREFETCH_AHEAD x 2 draws ahead
 * (their record has arrived by then), and the coordinates and gradient rows of its items
 * PREFETCH_AHEAD draws ahead (a row of 3 doubles may straddle two cache lines, so both ends).
 * Issued ahead, the misses overlap with the work on the answers before. The sampler's order is
 * read, not drawn from, so the random stream and every result are the same. Within an epoch
 * only: the first draws of the next one are not known before its shuffle. The file's header
 * has the measurements. */
static inline void
prefetch_answers (const Tables           *t,
                  const LkTripletSampler *sampler,
                  const double           *points,
                  const double           *grad,
                  guint                   dim)
{
  const Answer *answers = (const Answer *) t->answers->data;
  guint next = sampler->next;

  if (next + 3 * PREFETCH_AHEAD < sampler->n)
    __builtin_prefetch (&answers[sampler->order[next + 3 * PREFETCH_AHEAD]], 0, 3);
  if (next + 2 * PREFETCH_AHEAD < sampler->n)
    {
      const Answer *a = &answers[sampler->order[next + 2 * PREFETCH_AHEAD]];
      const guint *items = (const guint *) t->items->data + a->offset;
      const guint *bins = (const guint *) t->bins->data + a->bins_offset;

      __builtin_prefetch (items, 0, 3);
      __builtin_prefetch (items + a->n - 1, 0, 3);
      __builtin_prefetch (bins, 0, 3);
      __builtin_prefetch (bins + 3 * a->n_bins - 1, 0, 3);
    }
  if (next + PREFETCH_AHEAD < sampler->n)
    {
      const Answer *a = &answers[sampler->order[next + PREFETCH_AHEAD]];
      const guint *items = (const guint *) t->items->data + a->offset;

      for (guint i = 0; i < a->n; i++)
        {
          const double *p = points + (gsize) items[i] * dim, *g = grad + (gsize) items[i] * dim;

          __builtin_prefetch (p, 0, 3);
          __builtin_prefetch (p + dim - 1, 0, 3);
          __builtin_prefetch (g, 1, 3);
          __builtin_prefetch (g + dim - 1, 1, 3);
        }
    }
}

/* Returns the summed loss terms of answer @a (0 unless @want_loss) and, if @grad is not NULL,
 * adds @gscale times their gradient to it. @work holds (2 dim + 2) x the answer's grid size
 * doubles. */
static double
answer_loss (const Tables *t,
             const Answer *a,
             const double *points,
             guint         dim,
             double        alpha,
             double        guess,
             double        gscale,
             double       *work,
             double       *grad,
             gboolean      want_loss)
{
  if (dim == 3)
    return answer_loss_dim (t, a, points, 3, alpha, guess, gscale, work, grad, want_loss);

  return answer_loss_dim (t, a, points, dim, alpha, guess, gscale, work, grad, want_loss);
}

/* Returns the loss term of the trial comparison @c (0 unless @want_loss) and, if @grad is not
 * NULL, adds @gscale times its gradient: -log (g / 2 + (1 - g) s), s = K(a, n) / (K(a, n) +
 * K(a, f)). As in answer_loss_dim() with the two items as the choices, d(-log s)/da =
 * sum over c of w_c (a - c) with w_c = (alpha + 1) / alpha / q_c (delta(c = n) - K_c / sum),
 * and the opposite for the item c itself. */
static double
comparison_loss (const LkTrialComparison *c,
                 const double            *points,
                 guint                    dim,
                 double                   alpha,
                 double                   guess,
                 double                   gscale,
                 double                  *grad,
                 gboolean                 want_loss)
{
  const double *x = points + (gsize) c->anchor * dim;
  const guint other[2] = { c->near, c->far };
  double inv_q[2], kern[2], sum = 0.0, share, p, robust, loss = 0.0;
  double expo = (alpha + 1.0) / 2.0;

  for (guint j = 0; j < 2; j++)
    {
      const double *y = points + (gsize) other[j] * dim;
      double dd = 0.0;

      for (guint k = 0; k < dim; k++)
        dd += (x[k] - y[k]) * (x[k] - y[k]);
      inv_q[j] = 1.0 / (1.0 + dd / alpha);
      kern[j] = kernel_pow (inv_q[j], expo);
      sum += kern[j];
    }
  share = kern[0] / sum;
  p = guess / 2.0 + (1.0 - guess) * share;
  if (want_loss)
    loss = -log (p);
  if (grad == NULL)
    return loss;

  robust = (1.0 - guess) * share / p;
  for (guint j = 0; j < 2; j++)
    {
      const double *y = points + (gsize) other[j] * dim;
      double w = gscale * robust * (alpha + 1.0) / alpha * inv_q[j] *
                 ((j == 0 ? 1.0 : 0.0) - kern[j] / sum);
      double *gx = grad + (gsize) c->anchor * dim, *gy = grad + (gsize) other[j] * dim;

      for (guint k = 0; k < dim; k++)
        {
          double u = w * (x[k] - y[k]);
          gx[k] += u;
          gy[k] -= u;
        }
    }

  return loss;
}

/**
 * lk_triplet_comparisons:
 * @query: an answered query
 *
 * Lists the comparisons @query implies, in the order the loss visits them: binned items by bin
 * (bins in increasing order, items in grid order), and for each the other non-empty bins in
 * increasing order, then the left-out items in grid order.
 *
 * Returns: (transfer full) (element-type LkComparison): the comparisons, possibly none
 */
GArray *
lk_triplet_comparisons (const LkQuery *query)
{
  GArray *out = g_array_new (FALSE, FALSE, sizeof (LkComparison));
  Tables t;

  g_return_val_if_fail (query != NULL && lk_query_is_answered (query), out);

  tables_init (&t);
  if (tables_add (&t, query))
    {
      const Answer *a = &g_array_index (t.answers, Answer, 0);
      const guint *items = (const guint *) t.items->data;
      const guint *bins = (const guint *) t.bins->data;

      for (guint b = 0; b < a->n_bins; b++)
        for (guint i = bins[3 * b]; i < bins[3 * b] + bins[3 * b + 1]; i++)
          {
            for (guint r = 0; r < a->n_bins; r++)
              if (r != b)
                {
                  LkComparison c = { items[i], bins[3 * b + 2], bins[3 * r + 2], 0 };
                  g_array_append_val (out, c);
                }
            for (guint o = a->n_binned; o < a->n; o++)
              {
                LkComparison c = { items[i], bins[3 * b + 2], LK_BIN_LEFT_OUT, items[o] };
                g_array_append_val (out, c);
              }
          }
    }
  tables_clear (&t);

  return out;
}

/**
 * lk_triplet_loss:
 * @points: (array): row-major @n_items x @dim coordinates
 * @n_items: number of points
 * @dim: dimension
 * @answers: (element-type LkQuery): answered queries over items below @n_items
 * @alpha: degrees of freedom of the Student-t kernel, > 0
 * @guess: the guessing share g in [0, 1): how much of each answer the model attributes to chance
 * @gradient: (out caller-allocates) (nullable): @n_items x @dim, overwritten with the gradient
 *
 * lk_triplet_loss_full() without trial comparisons.
 *
 * Returns: the loss, 0 if the answers imply no comparison
 */
double
lk_triplet_loss (const double    *points,
                 guint            n_items,
                 guint            dim,
                 const GPtrArray *answers,
                 double           alpha,
                 double           guess,
                 double          *gradient)
{
  return lk_triplet_loss_full (points, n_items, dim, answers, NULL, alpha, guess, gradient);
}

/**
 * lk_triplet_loss_full:
 * @points: (array): row-major @n_items x @dim coordinates
 * @n_items: number of points
 * @dim: dimension
 * @answers: (element-type LkQuery): answered queries over items below @n_items
 * @comparisons: (element-type LkTrialComparison) (nullable): the comparisons of trials
 * @alpha: degrees of freedom of the Student-t kernel, > 0
 * @guess: the guessing share g in [0, 1): how much of each answer the model attributes to chance
 * @gradient: (out caller-allocates) (nullable): @n_items x @dim, overwritten with the gradient
 *
 * The "triplet" method's loss over every comparison of @answers and @comparisons, as the
 * file's header defines it: the weighted mean over the binned items of all answers (-log of
 * x's own bin's share of the kernel) and the trial comparisons (-log of the near item's
 * share), each trial comparison weighing TRIAL_WEIGHT.
 *
 * Returns: the loss, 0 if there is no comparison
 */
double
lk_triplet_loss_full (const double    *points,
                      guint            n_items,
                      guint            dim,
                      const GPtrArray *answers,
                      const GArray    *comparisons,
                      double           alpha,
                      double           guess,
                      double          *gradient)
{
  g_autofree double *work = NULL;
  gsize n_terms = 0, n_cmp = comparisons != NULL ? comparisons->len : 0;
  double loss = 0.0, total;
  Tables t;

  g_return_val_if_fail (points != NULL && answers != NULL && dim > 0 && alpha > 0.0, NAN);

  if (gradient != NULL)
    memset (gradient, 0, sizeof (double) * n_items * dim);

  tables_init (&t);
  for (guint q = 0; q < answers->len; q++)
    tables_add (&t, g_ptr_array_index (answers, q));
  for (guint i = 0; i < t.answers->len; i++)
    n_terms += g_array_index (t.answers, Answer, i).n_binned;
  total = n_terms + TRIAL_WEIGHT * n_cmp;

  if (total > 0.0)
    {
      work = g_new (double, (2 * (gsize) dim + 2) * MAX (t.max_n, 1));
      for (guint i = 0; i < t.answers->len; i++)
        loss += answer_loss (&t, &g_array_index (t.answers, Answer, i), points, dim, alpha, guess,
                             1.0 / total, work, gradient, TRUE);
      for (gsize i = 0; i < n_cmp; i++)
        loss += TRIAL_WEIGHT *
                comparison_loss (&g_array_index (comparisons, LkTrialComparison, i), points, dim,
                                 alpha, guess, TRIAL_WEIGHT / total, gradient, TRUE);
      loss /= total;
    }
  tables_clear (&t);

  return loss;
}

static gpointer
triplet_state_new (guint           n_items,
                   const LkParams *params)
{
  TripletState *state = g_new0 (TripletState, 1);

  state->n_items = n_items;
  state->scale = 1.0;
  tables_init (&state->tables);
  state->trial_cmps = g_array_new (FALSE, FALSE, sizeof (LkTrialComparison));

  return state;
}

static void
triplet_state_free (gpointer data)
{
  TripletState *state = data;

  tables_clear (&state->tables);
  g_array_unref (state->trial_cmps);
  g_free (state->grad);
  g_free (state->m);
  g_free (state->v);
  g_free (state->work);
  g_free (state);
}

static void
triplet_add_trial (gpointer       data,
                   const LkTrial *trial)
{
  TripletState *state = data;

  lk_trial_comparisons (trial, state->trial_cmps);
}

/* Returns a copy of the state: the compiled answers, trial comparisons and the radius. The gradient and Adam
 * buffers are workspaces, zeroed or overwritten at the start of every update. */
static gpointer
triplet_state_copy (gconstpointer data)
{
  const TripletState *state = data;
  TripletState *copy = g_new0 (TripletState, 1);

  copy->n_items = state->n_items;
  copy->scale = state->scale;
  copy->n_seen = state->n_seen;
  copy->tables.answers = g_array_copy (state->tables.answers);
  copy->tables.items = g_array_copy (state->tables.items);
  copy->tables.bins = g_array_copy (state->tables.bins);
  copy->tables.max_n = state->tables.max_n;
  copy->trial_cmps = g_array_copy (state->trial_cmps);
  copy->trained = state->trained;

  return copy;
}

/* Returns the RMS distance of the points of @x from their mean. */
static double
rms_radius (const double *x,
            guint         n,
            guint         dim)
{
  double ss = 0.0;

  for (guint k = 0; k < dim; k++)
    {
      double mean = 0.0;

      for (guint i = 0; i < n; i++)
        mean += x[(gsize) i * dim + k] / n;
      for (guint i = 0; i < n; i++)
        ss += (x[(gsize) i * dim + k] - mean) * (x[(gsize) i * dim + k] - mean);
    }

  return n > 0 ? sqrt (ss / n) : 0.0;
}

/**
 * lk_triplet_sampler_init:
 * @sampler: a sampler to set up
 * @n: the number of answers to draw from, > 0
 *
 * Sets up drawing answer indices in epochs: every epoch is a fresh random permutation of
 * 0..@n-1, used up in order before the next one is shuffled. Each answer is visited once per
 * epoch, so no answer waits long for its turn as it could when drawing with replacement.
 */
void
lk_triplet_sampler_init (LkTripletSampler *sampler,
                         guint             n)
{
  g_return_if_fail (sampler != NULL && n > 0);

  sampler->n = n;
  sampler->order = g_new (guint, n);
  for (guint i = 0; i < n; i++)
    sampler->order[i] = i;
  sampler->next = n;
}

/**
 * lk_triplet_sampler_next:
 * @sampler: a sampler
 * @rng: the random source, used when an epoch starts
 *
 * Returns: the next answer index
 */
guint
lk_triplet_sampler_next (LkTripletSampler *sampler,
                         gsl_rng          *rng)
{
  if (sampler->next >= sampler->n)
    {
      gsl_ran_shuffle (rng, sampler->order, sampler->n, sizeof (guint));
      sampler->next = 0;
    }

  return sampler->order[sampler->next++];
}

void
lk_triplet_sampler_clear (LkTripletSampler *sampler)
{
  g_clear_pointer (&sampler->order, g_free);
  sampler->n = 0;
  sampler->next = 0;
}

/* Returns the 10 low bits of @v spread to every third bit (bit i to bit 3 i). */
static inline guint32
spread_bits (guint32 v)
{
  v &= 0x3ff;
  v = (v | v << 16) & 0x30000ff;
  v = (v | v << 8) & 0x300f00f;
  v = (v | v << 4) & 0x30c30c3;
  v = (v | v << 2) & 0x9249249;

  return v;
}

typedef struct {
  guint32 code;
  guint   item;
} LocalityKey;

static int
locality_key_compare (const void *a,
                      const void *b)
{
  const LocalityKey *ka = a, *kb = b;

  if (ka->code != kb->code)
    return ka->code < kb->code ? -1 : 1;

  return ka->item < kb->item ? -1 : ka->item > kb->item;
}

/**
 * lk_triplet_locality_order:
 * @points: (array): row-major @n x @dim coordinates
 * @n: number of points
 * @dim: dimension, > 0
 * @order: (out caller-allocates) (array length=n): the items in their new order
 * @rank: (out caller-allocates) (array length=n): each item's place in @order
 *
 * Orders the items along a Z-order (Morton) curve of their first three coordinates, each cut
 * into 1024 steps between its minimum and maximum, ties by item: items near each other come
 * out near each other. triplet_update() stores its rows in this order for a phase (the file's
 * header says why); @order and @rank are inverse permutations.
 */
void
lk_triplet_locality_order (const double *points,
                           guint         n,
                           guint         dim,
                           guint        *order,
                           guint        *rank)
{
  g_autofree LocalityKey *keys = g_new (LocalityKey, MAX (n, 1));
  double lo[3] = { 0.0, 0.0, 0.0 }, span[3] = { 0.0, 0.0, 0.0 };
  guint dims = MIN (dim, 3);

  for (guint k = 0; k < dims && n > 0; k++)
    {
      double mn = points[k], mx = points[k];

      for (guint i = 1; i < n; i++)
        {
          mn = MIN (mn, points[(gsize) i * dim + k]);
          mx = MAX (mx, points[(gsize) i * dim + k]);
        }
      lo[k] = mn;
      span[k] = mx > mn ? 1023.999 / (mx - mn) : 0.0;
    }
  for (guint i = 0; i < n; i++)
    {
      guint32 code = 0;

      for (guint k = 0; k < dims; k++)
        {
          double c = (points[(gsize) i * dim + k] - lo[k]) * span[k];

          code |= spread_bits ((guint32) CLAMP (c, 0.0, 1023.0)) << k;
        }
      keys[i].code = code;
      keys[i].item = i;
    }
  qsort (keys, n, sizeof (LocalityKey), locality_key_compare);
  for (guint i = 0; i < n; i++)
    {
      order[i] = keys[i].item;
      rank[keys[i].item] = i;
    }
}

/* Renames every item of the compiled answers and of the trial comparisons through @map. */
static void
rename_items (Tables      *t,
              GArray      *trial_cmps,
              const guint *map)
{
  guint *items = (guint *) t->items->data;

  for (guint i = 0; i < t->items->len; i++)
    items[i] = map[items[i]];
  for (guint i = 0; i < trial_cmps->len; i++)
    {
      LkTrialComparison *c = &g_array_index (trial_cmps, LkTrialComparison, i);

      c->anchor = map[c->anchor];
      c->near = map[c->near];
      c->far = map[c->far];
    }
}

/* Returns how many answers each iteration draws: triplet_answers, or more in a collection so
 * large that those answers would show less than half of the items per iteration. With a fixed
 * number, the share of items an iteration moves, and with it what the fixed number of
 * iterations learns per item, falls as 1 / N: recall 0.772 at N = 1000 but 0.438 at 10,000
 * (colors:N, 1.2 grids per image, 5 phases). Drawing enough answers to place N / 2 items keeps
 * each item's share of the steps, so the work per phase grows linearly with N; at N = 1000
 * (50 answers of 20 place every item once) nothing changes. Measured at N = 10,000: placing
 * N / 2 items per iteration gives recall 0.679 at 1.2 s per phase, N items 0.686 at 2.3 s,
 * 2 N items 0.689 at 3.5 s; neither twice the iterations nor twice the step size gets past
 * 0.69 (bench/bench-scale, README "Scaling"). */
static guint
draws_per_iteration (const Tables   *t,
                     guint           n_items,
                     const LkParams *params)
{
  double mean_grid;

  if (t->answers->len == 0)
    return 0;
  mean_grid = (double) t->items->len / t->answers->len;

  return MAX (params->triplet_answers, (guint) ceil (0.5 * n_items / mean_grid));
}

static void
triplet_update (gpointer          data,
                LkEmbedding      *embedding,
                const GPtrArray  *answers,
                guint             n_batch,
                const LkEvidence *evidence,
                const LkParams   *params,
                gsl_rng          *rng,
                LkUpdateStats    *stats)
{
  const double beta1 = 0.9, beta2 = 0.999;
  TripletState *state = data;
  Tables *t = &state->tables;
  guint n = state->n_items, d = lk_embedding_get_dim (embedding);
  guint n_draws, n_cmp = state->trial_cmps->len, n_cmp_draws = 0;
  gsize nd = (gsize) n * d;
  double *x = lk_embedding_get_data_mutable (embedding);
  double loss = 0.0, n_terms = 0.0, b1t = 1.0, b2t = 1.0;
  LkTripletSampler sampler = { 0 }, cmp_sampler = { 0 };
  gboolean first_phase;
  guint it, n_iterations;
  g_autofree guint *order = NULL, *rank = NULL;
  g_autofree double *xs = NULL;

  /* The first update that has something to learn from (answers or trials). */
  first_phase = state->n_seen == 0 && !state->trained;
  for (; state->n_seen < answers->len; state->n_seen++)
    tables_add (t, g_ptr_array_index (answers, state->n_seen));
  if (t->answers->len == 0 && n_cmp == 0)
    return;
  state->trained = TRUE;
  n_draws = draws_per_iteration (t, n, params);
  /* Trial comparisons at the rate of the answers (the file's header). */
  if (n_cmp > 0)
    n_cmp_draws = t->answers->len > 0 ?
      (guint) ceil ((double) n_cmp * n_draws / t->answers->len) :
      MAX (params->triplet_answers * params->nq, (n + 1) / 2);

  state->grad = g_renew (double, state->grad, nd);
  state->m = g_renew (double, state->m, nd);
  state->v = g_renew (double, state->v, nd);
  state->work = g_renew (double, state->work, (2 * (gsize) d + 2) * MAX (t->max_n, 1));
  memset (state->m, 0, sizeof (double) * nd);
  memset (state->v, 0, sizeof (double) * nd);
  memset (state->grad, 0, sizeof (double) * nd);

  lk_embedding_normalise (embedding);
  for (gsize i = 0; i < nd; i++)
    x[i] *= state->scale;

  /* The phase works on the rows in the locality order of its starting embedding (the file's
   * header): the items are renamed in the tables for the phase, and back after it. */
  order = g_new (guint, n);
  rank = g_new (guint, n);
  lk_triplet_locality_order (x, n, d, order, rank);
  xs = g_new (double, MAX (nd, 1));
  for (guint i = 0; i < n; i++)
    memcpy (xs + (gsize) i * d, x + (gsize) order[i] * d, sizeof (double) * d);
  rename_items (t, state->trial_cmps, rank);
  x = xs;

  /* Epochs over all answers so far, old and new alike, and over the trial comparisons. */
  if (t->answers->len > 0)
    lk_triplet_sampler_init (&sampler, t->answers->len);
  if (n_cmp > 0)
    lk_triplet_sampler_init (&cmp_sampler, n_cmp);

  n_iterations = first_phase ? params->triplet_first_iterations : params->triplet_iterations;
  for (it = 0; it < n_iterations; it++)
    {
      gboolean last = it + 1 == n_iterations;
      double step;

      /* Adam is invariant to the gradient's scale, so the sum over the drawn answers serves. */
      loss = 0.0;
      n_terms = 0.0;
      for (guint s = 0; s < n_cmp_draws; s++)
        {
          const LkTrialComparison *c = &g_array_index (state->trial_cmps, LkTrialComparison,
                                                       lk_triplet_sampler_next (&cmp_sampler, rng));

          loss += TRIAL_WEIGHT * comparison_loss (c, x, d, params->triplet_alpha,
                                                  params->triplet_guess, TRIAL_WEIGHT,
                                                  state->grad, last);
          n_terms += TRIAL_WEIGHT;
        }
      for (guint s = 0; s < n_draws; s++)
        {
          const Answer *a = &g_array_index (t->answers, Answer,
                                            lk_triplet_sampler_next (&sampler, rng));

          prefetch_answers (t, &sampler, x, state->grad, d);

          /* The loss is only reported, for the last iteration: skip the logarithms before. */
          loss += answer_loss (t, a, x, d, params->triplet_alpha, params->triplet_guess, 1.0,
                               state->work, state->grad, last);
          n_terms += a->n_binned;
        }

      b1t *= beta1;
      b2t *= beta2;
      step = params->triplet_rate * sqrt (1.0 - b2t) / (1.0 - b1t);
      for (gsize i = 0; i < nd; i++)
        {
          double g = state->grad[i];

          state->m[i] = beta1 * state->m[i] + (1.0 - beta1) * g;
          state->v[i] = beta2 * state->v[i] + (1.0 - beta2) * g * g;
          x[i] -= step * state->m[i] / (sqrt (state->v[i]) + 1e-12);
          state->grad[i] = 0.0;   /* for the next iteration, while the row is at hand */
        }
    }
  lk_triplet_sampler_clear (&sampler);
  lk_triplet_sampler_clear (&cmp_sampler);

  rename_items (t, state->trial_cmps, order);
  x = lk_embedding_get_data_mutable (embedding);
  for (guint i = 0; i < n; i++)
    memcpy (x + (gsize) order[i] * d, xs + (gsize) i * d, sizeof (double) * d);

  state->scale = rms_radius (x, n, d);
  lk_embedding_normalise (embedding);

  /* The loss of the last iteration's draw, at the point before its step. */
  stats->stress = n_terms > 0.0 ? loss / n_terms : 0.0;
  stats->iterations = it;
  stats->pairs_updated = 0;
}

const LkMethodType _lk_method_triplet_type = {
  .name = "triplet",
  .description = "t-STE-style softmax: each item nearer its own bin than other bins or left-out items, all answers, Adam",
  .single_phase = FALSE,
  .first_policy = &_lk_query_policy_random_type,
  .policy = &_lk_query_policy_local_type,
  .state_new = triplet_state_new,
  .state_free = triplet_state_free,
  .update = triplet_update,
  .state_copy = triplet_state_copy,
  .add_trial = triplet_add_trial,
};

const LkMethodType *lk_method_triplet = &_lk_method_triplet_type;
