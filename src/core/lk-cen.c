/* lk-cen.c — "cen": Context Embedding Networks (`001_8b2652e81e38914a.txt`)
 *
 * The model. Each answer is a grid g sorted by a participant w. Every unordered pair {i, j} of
 * the grid with both items binned is a label l (1: same bin); pairs with a left-out item give
 * none (the CEN spec's reading of section 3). The distance of a pair under an attribute
 * weighting a is d = |a o (x_i - x_j)|_2 and the per-pair loss is paper 001's Eq. 8, both terms
 * weighted (as Eq. 7 has them):
 *   L = gamma l max(0, d - xi_p) + (1 - l) max(0, xi_n - d)
 *       + lambda1 |a|_1 + lambda2 |x_i|_2 + lambda2 |x_j|_2
 * with gamma 1 (the paper: 6; see "gamma" below), xi_p 1, xi_n 6, lambda1 5e-6, lambda2 1e-3
 * (Supplement A; lk-cen.h) and the
 * plain, not squared, norms. The mixed activation is a = a^w + a^g (+ v_g, below):
 *   - items: free vectors x_i in R^K, K = the embedding dimension. The paper's image encoder
 *     takes a one-hot input, so it is a free vector through a fixed non-linearity; these are
 *     what it trained (CEN spec section 3.5).
 *   - participant w: a^w = softplus(u_w), u_w in R^K free (the worker encoder also takes a
 *     one-hot input). softplus keeps a^w > 0 and smooth, so the finite-difference check holds.
 *   - context, two encoders (the spec's section 3.5):
 *     "cen": the spec's MLP on the S-hot grid, an embedding bag
 *       s1 = sum_{i in g} E_i + c1, h1 = relu (s1), h2 = relu (W2 h1 + c2), a^g = relu (W3 h2 + c3)
 *       with H = 64 hidden units, not the paper's 200: a step costs O(H^2 + S H), and on an
 *       earlier measurement (seed 1) H = 200 gave 0.780 against 0.778 for 64, in twice the
 *       time. He-normal weights, zero hidden biases, c3 = 1 so that a^g starts near 1. E has a
 *       row per item, and only the rows of the step's grid are updated (lazy, "sparse" Adam).
 *     "cen-variance" and "cen-synth": the parameter-free stand-in, sharpened. With V_c the
 *       variance of the grid's x along dimension c and r_c = V_c / mean_c' V_c',
 *       a^g = beta softmax (tau r), beta = softplus (b), tau = exp (t), two learned scalars
 *       (the spec's beta V_c / sum V is the first-order expansion at small tau). It reads a
 *       copy of x (refreshed before each step and after training) through which no gradient
 *       flows: when the gradient moved x, x was bent until each training grid's variances
 *       pointed at the attribute it was sorted by, which did not carry over to new grids
 *       (held-out retrieval 0.32, pair accuracy 0.652 at 1200, seed 1; with the copy 0.623 and
 *       0.741), and synthesized grids followed the bent dimensions (most varied true attribute
 *       the target's in 0.445 of them; with the copy 0.794, bench/cen-synth-examples).
 *   - each answer g: its own weighting v_g = softplus (r_g), r_g in R^K free, starting at
 *     softplus (-3) = 0.05, with an L1 penalty of 0.01 per answer. The paper's context encoder
 *     reads the S-hot grid, and for grids that share few items it can give each training grid
 *     its own output: that capacity, made explicit (the argument the spec makes for one-hot
 *     inputs). It lets the model say which attribute each answer was sorted by, which a
 *     function of (w, g) alone cannot (below), and it explains away a participant's grids
 *     sorted by another attribute, so that a^w keeps their own. A grid that is not a compiled
 *     answer (a held-out grid, a new one) has no v_g; it gets the participant's mean v over
 *     their answers (everyone's for a participant never seen), the expected weighting of a
 *     new answer: without it a^w shrank to near 0 (v_g did all the work) and held-out pair
 *     accuracy fell to 0.52. lk_cen_grid_attribute() of a compiled answer (same participant,
 *     same items) uses its v_g; lk_cen_pair_distance() never does (it predicts).
 *
 * What can be measured (bench/cen-oracle, 100,000 random grids of attributes:1000, rho 0.5):
 * a predictor that knows the participant's attribute and which of the grid's attributes vary
 * most names the attribute a grid was sorted by in 0.623 of grids (1 - rho + rho/4: with
 * probability 1 - rho their own, and "the most varied" of a random grid is any of the four, a
 * near 10/10 split each). That caps retrieval on held-out grids for any model. On the grids it
 * was trained on the answer is known, and the attribute that split them can be read off it
 * (an oracle that reads the bins: 1.000); paper 001 section 4.3 measures retrieval there
 * ("for each grid g clustered by worker w"), and the per-answer v_g is what reaches it. The
 * best held-out pair accuracy (the same oracle's Bayes rule) is 0.812.
 *
 * Item vectors at the start of each phase: the top K eigenvectors of the answers' signed pair
 * matrix M (M_ij = sum over the answers' pairs {i, j} of +1 for the same bin, -1 otherwise),
 * by orthogonal iteration (spectral_init), scaled to root mean square 3 per column, so that
 * two values of an attribute sit 6 = xi_n apart at weight 1. The expectation of M is
 * sum_c P(c) s_c s_c^T over the attributes' +-1 value vectors, so its top eigenvectors span
 * the attributes (up to a rotation, which training undoes: a weights the axes). The free
 * vectors' hinge loss has no term for pairs never asked together, and with few answers it
 * fitted each grid without any global structure: held-out same and different pairs ended at
 * the same mean distance (5.07 and 5.06 after 300 grids, seed 1), pair accuracy 0.51; from
 * the spectral start 0.645. Restarting x this way each phase (the rest warm-started) was
 * better than only in the first phase (seed 1, 300 grids: 0.626 against 0.581; scale 3
 * against 1: 0.645 against 0.626). Items in no answer keep x ~ N (0, 0.1^2).
 *
 * gamma. The paper's 6 made cen worse than the worker-blind triplet method here (0.620 against
 * 0.653 with the variance context, before the changes above). With the two hinges, the loss of
 * a pair is lowest with it predicted "same" as soon as P(same) > 1 / (1 + gamma): 1/7 for
 * gamma 6. In this crowd a participant's pair that differs on their attribute but agrees on
 * the other three is in one bin with probability 0.375 (the grids sorted by another
 * attribute), so gamma 6 pulls it together, and predicts it wrong. gamma 1 puts the line at
 * 1/2, where accuracy is best. The paper's gamma is there for workers who sort at different
 * levels of detail (section 3, Eq. 7), which the simulated crowd, splitting every grid in two,
 * does not have; its Table S1 shows gamma 1 within 1.3 points of 6 on its real data. cen uses
 * gamma 1 (LK_CEN_GAMMA; LK_CEN_GAMMA_PAPER is the paper's).
 *
 * Optimiser. Adam (beta1 0.9, beta2 0.999, eps 1e-8, as Supplement A) with step alpha 0.01
 * instead of the paper's 0.001 (the paper trains 20 epochs once on all its data, Likeness every
 * phase on what it has so far), and 0.1 for the answers' latents, each of which moves only
 * when its grid is the step's: at 0.01 a latent added in the last phase got 20 steps and moved
 * 0.2, and training retrieval stayed at 0.68-0.79 (1200 grids, seeds 1..3). A mini-batch is one grid's pairs (nq = 20 gives
 * 190; the paper used 100 random pairs), so the context is computed once per step and its
 * gradient is exact; the loss of a batch is the mean over its pairs. EPOCHS passes over all
 * answers so far per phase (the paper's 20), grids in a fresh seeded order each epoch. Moments
 * are reset each phase; everything but x (above) is warm-started from the last phase. Other
 * initialisation (not stated in the paper): u_w = softplus^-1(1) + N(0, 0.1), beta = 1,
 * tau = 1. Everything is drawn from the refiner's generator and summed in a fixed order, so a
 * run is reproducible bit for bit.
 *
 * Measured (`likeness-cli simulate --dataset attributes:1000 --dim 4 --budget B --phases 5
 * --holdout 0.15 --seeds 1..3 --method cen`, after phase 5, mean of the seeds; the README has
 * the table of every method): held-out pair accuracy 0.614 / 0.738 / 0.790 at B = 300 / 600 /
 * 1200 (triplet 0.561 / 0.631 / 0.656), attribute retrieval on the training grids 0.754 /
 * 0.876 / 0.972, on held-out grids 0.535 / 0.591 / 0.634 (the cap is 0.623 above). Before
 * (x ~ N (0, 1) warm-started, no latents, the crowd's float ties fixed): 0.655 at 1200 on
 * seed 1, 0.51 at 300.
 *
 * Participants are told apart by lk_query_get_participant(); answers without one share a single
 * "unknown" participant. A participant never seen in training (a held-out grid's, say) gets the
 * mean a^w of the known ones.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "lk-cen.h"
#include "lk-method-private.h"

#include <math.h>
#include <string.h>

#include <gsl/gsl_randist.h>

/* tau at the start: a soft context, near the spec's linear variance share. */
#define INITIAL_SHARPNESS 1.0
/* Hidden units of the MLP context (the spec: 200; see the header). */
#define CONTEXT_HIDDEN 64
#define EPOCHS 20
#define ADAM_ALPHA 0.01
#define ADAM_BETA1 0.9
#define ADAM_BETA2 0.999
#define ADAM_EPS 1e-8
/* Each answer's latent: v = softplus (r), r starting at LATENT_INIT (v 0.05), an L1 penalty of
 * LATENT_PENALTY per pair. */
#define LATENT_INIT (-3.0)
#define LATENT_PENALTY 0.01
#define LATENT_ALPHA 0.1
/* Item vectors of items in no answer yet: N (0, X_INIT^2); the others come from the answers'
 * signed pair matrix each phase (spectral_init), scaled to SPECTRAL_SCALE root mean square. */
#define X_INIT 0.1
#define SPECTRAL_SCALE 3.0

typedef struct {
  guint offset;        /* into items */
  guint n;             /* items in the grid */
  guint pairs_offset;  /* into pairs */
  guint n_pairs;
  guint worker;        /* index */
} Grid;

typedef struct {
  guint8 a, b;         /* positions in the grid */
  guint8 same;
} Pair;

typedef enum {
  CONTEXT_VARIANCE,
  CONTEXT_MLP,
} Context;

typedef struct {
  guint       n_items;
  guint       k;
  Context     context;
  guint       hidden;        /* MLP: H */
  gsize       ctx_offset;    /* into theta: the context's parameters */
  gsize       ctx_len;
  double      gamma;
  gint        target;        /* the synth policy's attribute, -1: each in turn */
  gboolean    initialised;
  guint       n_seen;        /* answers compiled so far */
  GArray     *theta;         /* x (n_items k), the context's, u (n_workers k) */
  GArray     *grad;
  GArray     *m;
  GArray     *v;
  GArray     *workers;       /* guint participant id per worker index */
  GHashTable *worker_index;  /* participant id -> index + 1 */
  GArray     *grids;
  GArray     *items;
  GArray     *pairs;
  guint       max_n;
  /* Each compiled answer's own attribute weighting: raw r (K per grid, v = softplus (r)), its
   * Adam moments and gradient; and the grid index + 1 of an answer, by answer_key(). */
  GArray     *latent;
  GArray     *latent_m;
  GArray     *latent_v;
  GArray     *latent_grad;
  GHashTable *grid_of_answer;
  GArray     *latent_mean;   /* K per participant, then K for all: the mean v of their answers */
  GArray     *context_x;     /* the variance context's copy of x (no gradient flows into it) */
} CenState;

static double
softplus (double u)
{
  return u > 30.0 ? u : log1p (exp (u));
}

static double
sigmoid (double u)
{
  return 1.0 / (1.0 + exp (-u));
}

/* softplus^-1 (1) */
#define SOFTPLUS_INV_1 0.5413248546129181

/* The variance context's two scalars: b (beta = softplus (b)), then t (tau = exp (t)). */
static gsize
beta_offset (const CenState *s)
{
  return s->ctx_offset;
}

/* The MLP context's parameters, in this order: E (n_items x H, row i is item i's), c1 (H),
 * W2 (H x H, row-major, out x in), c2 (H), W3 (K x H), c3 (K). */
static gsize
mlp_e (const CenState *s)
{
  return s->ctx_offset;
}

static gsize
mlp_c1 (const CenState *s)
{
  return mlp_e (s) + (gsize) s->n_items * s->hidden;
}

static gsize
mlp_w2 (const CenState *s)
{
  return mlp_c1 (s) + s->hidden;
}

static gsize
mlp_c2 (const CenState *s)
{
  return mlp_w2 (s) + (gsize) s->hidden * s->hidden;
}

static gsize
mlp_w3 (const CenState *s)
{
  return mlp_c2 (s) + s->hidden;
}

static gsize
mlp_c3 (const CenState *s)
{
  return mlp_w3 (s) + (gsize) s->k * s->hidden;
}

static gsize
worker_offset (const CenState *s,
               guint           w)
{
  return s->ctx_offset + s->ctx_len + (gsize) w * s->k;
}

/* Scratch for one grid's forward and backward pass. */
typedef struct {
  double *a;       /* a = a^w + a^g */
  double *ag;      /* a^g */
  double *ga;      /* dL/da */
  double *delta;
  double *mean;    /* variance context: the grid's mean x, */
  double *var;     /* its per-dimension variances V, */
  double *share;   /* softmax (tau r) */
  double  total;   /* and sum V */
  double *s1;      /* MLP: pre-activations of the two hidden layers and the output */
  double *s2;
  double *s3;
  double *d1;      /* and the backward pass's */
  double *d2;
  double *buffer;
} Work;

static void
work_init (Work           *w,
           const CenState *s)
{
  guint k = s->k, h = s->hidden;

  w->buffer = g_new0 (double, 8 * (gsize) k + 4 * (gsize) h);
  w->a = w->buffer;
  w->ag = w->a + k;
  w->ga = w->ag + k;
  w->delta = w->ga + k;
  w->mean = w->delta + k;
  w->var = w->mean + k;
  w->share = w->var + k;
  w->s3 = w->share + k;
  w->s1 = w->s3 + k;
  w->s2 = w->s1 + h;
  w->d1 = w->s2 + h;
  w->d2 = w->d1 + h;
}

static void
work_clear (Work *w)
{
  g_clear_pointer (&w->buffer, g_free);
}

static gpointer
state_new (guint           n_items,
           const LkParams *params,
           Context         context)
{
  CenState *s = g_new0 (CenState, 1);

  s->n_items = n_items;
  s->k = params->dim;
  s->context = context;
  s->gamma = LK_CEN_GAMMA;
  s->target = -1;
  s->ctx_offset = (gsize) n_items * s->k;
  if (context == CONTEXT_MLP)
    {
      s->hidden = CONTEXT_HIDDEN;
      s->ctx_len = mlp_c3 (s) + s->k - s->ctx_offset;
    }
  else
    {
      s->ctx_len = 2;
    }
  s->theta = g_array_new (FALSE, TRUE, sizeof (double));
  s->grad = g_array_new (FALSE, TRUE, sizeof (double));
  s->m = g_array_new (FALSE, TRUE, sizeof (double));
  s->v = g_array_new (FALSE, TRUE, sizeof (double));
  s->workers = g_array_new (FALSE, FALSE, sizeof (guint));
  s->worker_index = g_hash_table_new (g_direct_hash, g_direct_equal);
  s->grids = g_array_new (FALSE, FALSE, sizeof (Grid));
  s->items = g_array_new (FALSE, FALSE, sizeof (guint));
  s->pairs = g_array_new (FALSE, FALSE, sizeof (Pair));
  s->latent = g_array_new (FALSE, TRUE, sizeof (double));
  s->latent_m = g_array_new (FALSE, TRUE, sizeof (double));
  s->latent_v = g_array_new (FALSE, TRUE, sizeof (double));
  s->latent_grad = g_array_new (FALSE, TRUE, sizeof (double));
  s->grid_of_answer = g_hash_table_new_full (g_bytes_hash, g_bytes_equal,
                                             (GDestroyNotify) g_bytes_unref, NULL);
  s->latent_mean = g_array_new (FALSE, TRUE, sizeof (double));
  s->context_x = g_array_new (FALSE, TRUE, sizeof (double));

  return s;
}

static gpointer
cen_variance_state_new (guint           n_items,
                        const LkParams *params)
{
  return state_new (n_items, params, CONTEXT_VARIANCE);
}

static gpointer
cen_mlp_state_new (guint           n_items,
                   const LkParams *params)
{
  return state_new (n_items, params, CONTEXT_MLP);
}

static void
cen_state_free (gpointer data)
{
  CenState *s = data;

  if (s == NULL)
    return;

  g_array_unref (s->theta);
  g_array_unref (s->grad);
  g_array_unref (s->m);
  g_array_unref (s->v);
  g_array_unref (s->workers);
  g_hash_table_unref (s->worker_index);
  g_array_unref (s->grids);
  g_array_unref (s->items);
  g_array_unref (s->pairs);
  g_array_unref (s->latent);
  g_array_unref (s->latent_m);
  g_array_unref (s->latent_v);
  g_array_unref (s->latent_grad);
  g_hash_table_unref (s->grid_of_answer);
  g_array_unref (s->latent_mean);
  g_array_unref (s->context_x);
  g_free (s);
}

static GArray *
copy_array (GArray *a)
{
  GArray *c = g_array_sized_new (FALSE, TRUE, g_array_get_element_size (a), a->len);

  g_array_append_vals (c, a->data, a->len);
  return c;
}

static gpointer
cen_state_copy (gconstpointer data)
{
  const CenState *s = data;
  CenState *c = g_memdup2 (s, sizeof *s);
  GHashTableIter iter;
  gpointer key, value;

  c->theta = copy_array (s->theta);
  c->grad = copy_array (s->grad);
  c->m = copy_array (s->m);
  c->v = copy_array (s->v);
  c->workers = copy_array (s->workers);
  c->grids = copy_array (s->grids);
  c->items = copy_array (s->items);
  c->pairs = copy_array (s->pairs);
  c->latent = copy_array (s->latent);
  c->latent_m = copy_array (s->latent_m);
  c->latent_v = copy_array (s->latent_v);
  c->latent_grad = copy_array (s->latent_grad);
  c->latent_mean = copy_array (s->latent_mean);
  c->context_x = copy_array (s->context_x);
  c->grid_of_answer = g_hash_table_new_full (g_bytes_hash, g_bytes_equal,
                                             (GDestroyNotify) g_bytes_unref, NULL);
  g_hash_table_iter_init (&iter, s->grid_of_answer);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_hash_table_insert (c->grid_of_answer, g_bytes_ref (key), value);
  c->worker_index = g_hash_table_new (g_direct_hash, g_direct_equal);
  g_hash_table_iter_init (&iter, s->worker_index);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_hash_table_insert (c->worker_index, key, value);

  return c;
}

static void
resize (CenState *s,
        gsize     len)
{
  g_array_set_size (s->theta, len);
  g_array_set_size (s->grad, len);
  g_array_set_size (s->m, len);
  g_array_set_size (s->v, len);
}

/* The index of @participant, adding it (with its initial weights) if new; -1 if unknown and
 * @rng is NULL. */
static gint
worker_lookup (CenState *s,
               guint     participant,
               gsl_rng  *rng)
{
  gpointer value;
  guint w;

  if (g_hash_table_lookup_extended (s->worker_index, GUINT_TO_POINTER (participant), NULL, &value))
    return GPOINTER_TO_INT (value) - 1;
  if (rng == NULL)
    return -1;

  w = s->workers->len;
  g_array_append_val (s->workers, participant);
  g_hash_table_insert (s->worker_index, GUINT_TO_POINTER (participant), GINT_TO_POINTER (w + 1));
  resize (s, worker_offset (s, w + 1));
  for (guint k = 0; k < s->k; k++)
    g_array_index (s->theta, double, worker_offset (s, w) + k) =
      SOFTPLUS_INV_1 + gsl_ran_gaussian (rng, 0.1);

  return (gint) w;
}

/* An answer's grid as a key: its participant, then its items in order. */
static GBytes *
answer_key (const LkQuery *q)
{
  guint n = lk_query_get_n_items (q);
  guint *key = g_new (guint, n + 1);

  key[0] = lk_query_get_participant (q);
  memcpy (key + 1, lk_query_get_items (q), sizeof (guint) * n);

  return g_bytes_new_take (key, sizeof (guint) * (n + 1));
}

/* Copies the coordinates of @items (all items if NULL) into the variance context's copy of x. */
static void
refresh_context_x (CenState    *s,
                   const guint *items,
                   guint        n)
{
  const double *x = (const double *) s->theta->data;
  double *copy;

  g_array_set_size (s->context_x, s->ctx_offset);
  copy = (double *) s->context_x->data;
  if (items == NULL)
    {
      memcpy (copy, x, sizeof (double) * s->ctx_offset);
      return;
    }
  for (guint i = 0; i < n; i++)
    memcpy (copy + (gsize) items[i] * s->k, x + (gsize) items[i] * s->k, sizeof (double) * s->k);
}

/* Initialises the parameters on first use and compiles the answers not seen yet. */
static void
prepare (CenState        *s,
         const GPtrArray *answers,
         gsl_rng         *rng)
{
  if (!s->initialised)
    {
      double *theta;

      resize (s, s->ctx_offset + s->ctx_len);
      theta = (double *) s->theta->data;
      for (gsize i = 0; i < s->ctx_offset; i++)
        theta[i] = gsl_ran_gaussian (rng, X_INIT);
      if (s->context == CONTEXT_MLP)
        {
          /* He-normal weights (the S-hot input has fan-in n_items), zero hidden biases, and
           * c3 = 1 so that a^g starts near 1 (the spec's advice). */
          for (gsize i = mlp_e (s); i < mlp_c1 (s); i++)
            theta[i] = gsl_ran_gaussian (rng, sqrt (2.0 / s->n_items));
          for (gsize i = mlp_w2 (s); i < mlp_c2 (s); i++)
            theta[i] = gsl_ran_gaussian (rng, sqrt (2.0 / s->hidden));
          for (gsize i = mlp_w3 (s); i < mlp_c3 (s); i++)
            theta[i] = gsl_ran_gaussian (rng, sqrt (2.0 / s->hidden));
          for (guint c = 0; c < s->k; c++)
            theta[mlp_c3 (s) + c] = 1.0;
        }
      else
        {
          theta[beta_offset (s)] = SOFTPLUS_INV_1;
          theta[beta_offset (s) + 1] = log (INITIAL_SHARPNESS);
        }
      refresh_context_x (s, NULL, 0);
      s->initialised = TRUE;
    }

  for (; s->n_seen < answers->len; s->n_seen++)
    {
      const LkQuery *q = g_ptr_array_index (answers, s->n_seen);
      Grid g = { 0 };

      g.n = lk_query_get_n_items (q);
      if (g.n > 255)
        continue;
      g.offset = s->items->len;
      g.pairs_offset = s->pairs->len;
      for (guint a = 0; a < g.n; a++)
        for (guint b = a + 1; b < g.n; b++)
          {
            gint ba = lk_query_get_bin (q, a), bb = lk_query_get_bin (q, b);
            Pair p = { (guint8) a, (guint8) b, ba == bb };

            if (ba < 0 || bb < 0)
              continue;
            g_array_append_val (s->pairs, p);
          }
      g.n_pairs = s->pairs->len - g.pairs_offset;
      if (g.n_pairs == 0)
        continue;
      g_array_append_vals (s->items, lk_query_get_items (q), g.n);
      g.worker = worker_lookup (s, lk_query_get_participant (q), rng);
      s->max_n = MAX (s->max_n, g.n);
      g_array_append_val (s->grids, g);
      g_array_set_size (s->latent, (gsize) s->grids->len * s->k);
      g_array_set_size (s->latent_m, s->latent->len);
      g_array_set_size (s->latent_v, s->latent->len);
      g_array_set_size (s->latent_grad, s->latent->len);
      for (guint c = 0; c < s->k; c++)
        g_array_index (s->latent, double, (gsize) (s->grids->len - 1) * s->k + c) = LATENT_INIT;
      {
        GBytes *key = answer_key (q);

        if (!g_hash_table_contains (s->grid_of_answer, key))
          g_hash_table_insert (s->grid_of_answer, key, GUINT_TO_POINTER (s->grids->len));
        else
          g_bytes_unref (key);
      }
    }
}

/* The variance context: a^g = beta softmax (tau r), r_c = K V_c / S. */
static void
variance_forward (const CenState *s,
                  const guint    *items,
                  guint           n,
                  Work           *w)
{
  const double *theta = (const double *) s->theta->data;
  const double *x = (const double *) s->context_x->data;
  double beta = softplus (theta[beta_offset (s)]), tau = exp (theta[beta_offset (s) + 1]);
  double top = -INFINITY, z = 0.0;
  guint k = s->k;

  w->total = 1e-12;
  for (guint c = 0; c < k; c++)
    {
      w->mean[c] = 0.0;
      w->var[c] = 0.0;
    }
  for (guint i = 0; i < n; i++)
    for (guint c = 0; c < k; c++)
      w->mean[c] += x[(gsize) items[i] * k + c];
  for (guint c = 0; c < k; c++)
    w->mean[c] /= n;
  for (guint i = 0; i < n; i++)
    for (guint c = 0; c < k; c++)
      {
        double dv = x[(gsize) items[i] * k + c] - w->mean[c];
        w->var[c] += dv * dv;
      }
  for (guint c = 0; c < k; c++)
    {
      w->var[c] /= n;
      w->total += w->var[c];
    }
  for (guint c = 0; c < k; c++)
    {
      w->share[c] = tau * k * w->var[c] / w->total;
      top = MAX (top, w->share[c]);
    }
  for (guint c = 0; c < k; c++)
    {
      w->share[c] = exp (w->share[c] - top);
      z += w->share[c];
    }
  for (guint c = 0; c < k; c++)
    {
      w->share[c] /= z;
      w->ag[c] = beta * w->share[c];
    }
}

/* The MLP context on the S-hot grid: s1 = sum_i E_i + c1, s2 = W2 relu (s1) + c2,
 * s3 = W3 relu (s2) + c3, a^g = relu (s3). */
static void
mlp_forward (const CenState *s,
             const guint    *items,
             guint           n,
             Work           *w)
{
  const double *theta = (const double *) s->theta->data;
  const double *e = theta + mlp_e (s), *w2 = theta + mlp_w2 (s), *w3 = theta + mlp_w3 (s);
  guint h = s->hidden, k = s->k;

  memcpy (w->s1, theta + mlp_c1 (s), sizeof (double) * h);
  for (guint i = 0; i < n; i++)
    for (guint u = 0; u < h; u++)
      w->s1[u] += e[(gsize) items[i] * h + u];
  for (guint o = 0; o < h; o++)
    {
      double sum = theta[mlp_c2 (s) + o];

      for (guint u = 0; u < h; u++)
        sum += w2[(gsize) o * h + u] * MAX (w->s1[u], 0.0);
      w->s2[o] = sum;
    }
  for (guint c = 0; c < k; c++)
    {
      double sum = theta[mlp_c3 (s) + c];

      for (guint u = 0; u < h; u++)
        sum += w3[(gsize) c * h + u] * MAX (w->s2[u], 0.0);
      w->s3[c] = sum;
      w->ag[c] = MAX (sum, 0.0);
    }
}

/* a = a^w + a^g for a grid of @n items into w->a (a^g into w->ag); a^w is the mean over
 * participants if @worker < 0. */
static void
activation (const CenState *s,
            const guint    *items,
            guint           n,
            gint            worker,
            gint            grid,
            Work           *w)
{
  const double *theta = (const double *) s->theta->data;
  const double *latent = grid >= 0 ?
    &g_array_index (s->latent, double, (gsize) grid * s->k) : NULL;
  const double *mean = NULL;

  /* Not an answer of the training set: its latent is unknown, and the expected one is the mean
   * of the participant's (of everyone's for a participant never seen). */
  if (grid < 0 && s->latent_mean->len > 0)
    mean = &g_array_index (s->latent_mean, double,
                           (gsize) (worker >= 0 ? (guint) worker : s->workers->len) * s->k);

  if (s->context == CONTEXT_MLP)
    mlp_forward (s, items, n, w);
  else
    variance_forward (s, items, n, w);

  for (guint c = 0; c < s->k; c++)
    {
      double aw = 0.0;

      if (worker >= 0)
        {
          aw = softplus (theta[worker_offset (s, worker) + c]);
        }
      else if (s->workers->len > 0)
        {
          for (guint v = 0; v < s->workers->len; v++)
            aw += softplus (theta[worker_offset (s, v) + c]);
          aw /= s->workers->len;
        }
      w->a[c] = aw + w->ag[c] + (latent != NULL ? softplus (latent[c]) : 0.0) +
                (mean != NULL ? mean[c] : 0.0);
    }
}

/* Adds the gradient of the loss through the variance context, given w->ga = dL/da^g:
 * dL/dbeta = sum_c ga_c share_c; dL/dz_c = h_c = beta share_c (ga_c - sum_j ga_j share_j);
 * dL/dtau = sum_c h_c r_c. None flows into x: the context reads a copy of it. */
static void
variance_backward (const CenState *s,
                   Work           *w,
                   double         *grad)
{
  const double *theta = (const double *) s->theta->data;
  double b = theta[beta_offset (s)], beta = softplus (b);
  double tau = exp (theta[beta_offset (s) + 1]), gs = 0.0, hr = 0.0;
  double *hz = w->delta, total = w->total;
  guint k = s->k;

  for (guint c = 0; c < k; c++)
    gs += w->ga[c] * w->share[c];
  grad[beta_offset (s)] += gs * sigmoid (b);
  for (guint c = 0; c < k; c++)
    {
      hz[c] = beta * w->share[c] * (w->ga[c] - gs);
      hr += hz[c] * k * w->var[c] / total;
    }
  grad[beta_offset (s) + 1] += hr * tau;
}

/* Adds the gradient through the MLP context, given w->ga = dL/da^g. */
static void
mlp_backward (const CenState *s,
              const guint    *items,
              guint           n,
              Work           *w,
              double         *grad)
{
  const double *theta = (const double *) s->theta->data;
  const double *w2 = theta + mlp_w2 (s), *w3 = theta + mlp_w3 (s);
  double *gw2 = grad + mlp_w2 (s), *gw3 = grad + mlp_w3 (s);
  double *ds3 = w->delta;
  guint h = s->hidden, k = s->k;
  gboolean any = FALSE;

  for (guint c = 0; c < k; c++)
    {
      ds3[c] = w->s3[c] > 0.0 ? w->ga[c] : 0.0;
      any |= ds3[c] != 0.0;
    }
  if (!any)
    return;

  for (guint u = 0; u < h; u++)
    w->d2[u] = 0.0;
  for (guint c = 0; c < k; c++)
    {
      grad[mlp_c3 (s) + c] += ds3[c];
      for (guint u = 0; u < h; u++)
        {
          gw3[(gsize) c * h + u] += ds3[c] * MAX (w->s2[u], 0.0);
          w->d2[u] += w3[(gsize) c * h + u] * ds3[c];
        }
    }
  for (guint u = 0; u < h; u++)
    {
      if (w->s2[u] <= 0.0)
        w->d2[u] = 0.0;
      w->d1[u] = 0.0;
    }
  for (guint o = 0; o < h; o++)
    {
      if (w->d2[o] == 0.0)
        continue;
      grad[mlp_c2 (s) + o] += w->d2[o];
      for (guint u = 0; u < h; u++)
        {
          gw2[(gsize) o * h + u] += w->d2[o] * MAX (w->s1[u], 0.0);
          w->d1[u] += w2[(gsize) o * h + u] * w->d2[o];
        }
    }
  for (guint u = 0; u < h; u++)
    {
      if (w->s1[u] <= 0.0)
        continue;
      grad[mlp_c1 (s) + u] += w->d1[u];
      for (guint i = 0; i < n; i++)
        grad[mlp_e (s) + (gsize) items[i] * h + u] += w->d1[u];
    }
}

/* The mean loss of grid @index's pairs, plus its latent's penalty; adds its gradient to @grad
 * and that of its latent to @latent_grad if not NULL. */
static double
grid_loss (const CenState *s,
           guint           index,
           double         *grad,
           double         *latent_grad,
           Work           *w)
{
  const Grid *g = &g_array_index (s->grids, Grid, index);
  const double *theta = (const double *) s->theta->data;
  const guint *items = &g_array_index (s->items, guint, g->offset);
  const Pair *pairs = &g_array_index (s->pairs, Pair, g->pairs_offset);
  guint k = s->k;
  double *a = w->a, *ga = w->ga, *delta = w->delta;
  double inv = 1.0 / g->n_pairs, loss = 0.0, l1 = 0.0;

  activation (s, items, g->n, g->worker, (gint) index, w);
  for (guint c = 0; c < k; c++)
    {
      ga[c] = 0.0;
      l1 += fabs (a[c]);
    }

  for (guint p = 0; p < g->n_pairs; p++)
    {
      guint i = items[pairs[p].a], j = items[pairs[p].b];
      const double *xi = theta + (gsize) i * k, *xj = theta + (gsize) j * k;
      double d2 = 1e-12, d, gd = 0.0, ni = 0.0, nj = 0.0;

      for (guint c = 0; c < k; c++)
        {
          delta[c] = xi[c] - xj[c];
          d2 += a[c] * a[c] * delta[c] * delta[c];
          ni += xi[c] * xi[c];
          nj += xj[c] * xj[c];
        }
      d = sqrt (d2);
      ni = sqrt (ni);
      nj = sqrt (nj);

      if (pairs[p].same)
        {
          if (d > LK_CEN_XI_P)
            {
              loss += s->gamma * (d - LK_CEN_XI_P);
              gd = s->gamma;
            }
        }
      else if (d < LK_CEN_XI_N)
        {
          loss += LK_CEN_XI_N - d;
          gd = -1.0;
        }
      loss += LK_CEN_LAMBDA1 * l1 + LK_CEN_LAMBDA2 * (ni + nj);

      if (grad == NULL)
        continue;
      for (guint c = 0; c < k; c++)
        {
          double gx = gd * a[c] * a[c] * delta[c] / d;

          grad[(gsize) i * k + c] += inv * (gx + (ni > 0.0 ? LK_CEN_LAMBDA2 * xi[c] / ni : 0.0));
          grad[(gsize) j * k + c] += inv * (-gx + (nj > 0.0 ? LK_CEN_LAMBDA2 * xj[c] / nj : 0.0));
          ga[c] += inv * (gd * a[c] * delta[c] * delta[c] / d + LK_CEN_LAMBDA1 * (a[c] > 0 ? 1.0 : -1.0));
        }
    }

  /* The answer's latent: its penalty, and dL/dr = (dL/da + penalty) sigmoid (r). */
  for (guint c = 0; c < k; c++)
    {
      const double *r = &g_array_index (s->latent, double, (gsize) index * k);

      loss += g->n_pairs * LATENT_PENALTY * softplus (r[c]);
      if (latent_grad != NULL)
        latent_grad[(gsize) index * k + c] += (ga[c] + LATENT_PENALTY) * sigmoid (r[c]);
    }

  if (grad != NULL)
    {
      /* Through a^w = softplus (u_w). */
      for (guint c = 0; c < k; c++)
        grad[worker_offset (s, g->worker) + c] += ga[c] * sigmoid (theta[worker_offset (s, g->worker) + c]);

      if (s->context == CONTEXT_MLP)
        mlp_backward (s, items, g->n, w, grad);
      else
        variance_backward (s, w, grad);
    }

  return loss * inv;
}

/* Each participant's mean latent v over their answers, and everyone's, into s->latent_mean. */
static void
latent_means (CenState *s)
{
  guint k = s->k, n_workers = s->workers->len;
  g_autofree guint *count = g_new0 (guint, n_workers + 1);
  double *mean;

  g_array_set_size (s->latent_mean, (gsize) (n_workers + 1) * k);
  mean = (double *) s->latent_mean->data;
  memset (mean, 0, sizeof (double) * s->latent_mean->len);
  for (guint g = 0; g < s->grids->len; g++)
    {
      guint w = g_array_index (s->grids, Grid, g).worker;

      for (guint c = 0; c < k; c++)
        {
          double v = softplus (g_array_index (s->latent, double, (gsize) g * k + c));

          mean[(gsize) w * k + c] += v;
          mean[(gsize) n_workers * k + c] += v;
        }
      count[w]++;
      count[n_workers]++;
    }
  for (guint w = 0; w <= n_workers; w++)
    for (guint c = 0; c < k && count[w] > 0; c++)
      mean[(gsize) w * k + c] /= count[w];
}

/* The item vectors from the signed pair matrix of the answers so far: M_ij = sum over their
 * pairs of +1 (same bin) or -1, whose expectation is sum_c P(c) s_c s_c^T for the attributes'
 * +-1 value vectors s_c, so its top K eigenvectors span the attributes (up to a rotation, which
 * training undoes: the weighting a is along the axes). Orthogonal iteration on M + shift I
 * (shift: the largest absolute row sum, so that the top of the spectrum dominates), ITERS
 * steps, columns then scaled to unit root mean square. Items in no pair keep their x. */
#define SPECTRAL_ITERS 150
static void
spectral_init (CenState *s,
               gsl_rng  *rng)
{
  guint n = s->n_items, k = s->k;
  g_autofree double *q = g_new (double, (gsize) n * k);
  g_autofree double *z = g_new (double, (gsize) n * k);
  g_autofree double *row = g_new0 (double, n);
  double *theta = (double *) s->theta->data, shift = 0.0;

  for (guint g = 0; g < s->grids->len; g++)
    {
      const Grid *gr = &g_array_index (s->grids, Grid, g);
      const guint *items = &g_array_index (s->items, guint, gr->offset);
      const Pair *pairs = &g_array_index (s->pairs, Pair, gr->pairs_offset);

      for (guint p = 0; p < gr->n_pairs; p++)
        {
          row[items[pairs[p].a]] += 1.0;
          row[items[pairs[p].b]] += 1.0;
        }
    }
  for (guint i = 0; i < n; i++)
    shift = MAX (shift, row[i]);
  for (gsize i = 0; i < (gsize) n * k; i++)
    q[i] = gsl_ran_gaussian (rng, 1.0);

  for (guint it = 0; it <= SPECTRAL_ITERS; it++)
    {
      /* Gram-Schmidt on the columns of q. */
      for (guint c = 0; c < k; c++)
        {
          double norm = 0.0;

          for (guint d = 0; d < c; d++)
            {
              double dot = 0.0;

              for (guint i = 0; i < n; i++)
                dot += q[(gsize) i * k + c] * q[(gsize) i * k + d];
              for (guint i = 0; i < n; i++)
                q[(gsize) i * k + c] -= dot * q[(gsize) i * k + d];
            }
          for (guint i = 0; i < n; i++)
            norm += q[(gsize) i * k + c] * q[(gsize) i * k + c];
          norm = sqrt (norm) + 1e-300;
          for (guint i = 0; i < n; i++)
            q[(gsize) i * k + c] /= norm;
        }
      if (it == SPECTRAL_ITERS)
        break;

      for (gsize i = 0; i < (gsize) n * k; i++)
        z[i] = shift * q[i];
      for (guint g = 0; g < s->grids->len; g++)
        {
          const Grid *gr = &g_array_index (s->grids, Grid, g);
          const guint *items = &g_array_index (s->items, guint, gr->offset);
          const Pair *pairs = &g_array_index (s->pairs, Pair, gr->pairs_offset);

          for (guint p = 0; p < gr->n_pairs; p++)
            {
              guint i = items[pairs[p].a], j = items[pairs[p].b];
              double m = pairs[p].same ? 1.0 : -1.0;

              for (guint c = 0; c < k; c++)
                {
                  z[(gsize) i * k + c] += m * q[(gsize) j * k + c];
                  z[(gsize) j * k + c] += m * q[(gsize) i * k + c];
                }
            }
        }
      memcpy (q, z, sizeof (double) * n * k);
    }

  for (guint i = 0; i < n; i++)
    if (row[i] > 0.0)
      for (guint c = 0; c < k; c++)
        theta[(gsize) i * k + c] = q[(gsize) i * k + c] * sqrt ((double) n) * SPECTRAL_SCALE;
}

/* One Adam step on parameters [@from, @to). */
static inline void
adam_range (double *theta,
            double *grad,
            double *m,
            double *v,
            gsize   from,
            gsize   to,
            double  step,
            double  b2t)
{
  for (gsize p = from; p < to; p++)
    {
      m[p] = ADAM_BETA1 * m[p] + (1.0 - ADAM_BETA1) * grad[p];
      v[p] = ADAM_BETA2 * v[p] + (1.0 - ADAM_BETA2) * grad[p] * grad[p];
      theta[p] -= step * m[p] / (sqrt (v[p] / (1.0 - b2t)) + ADAM_EPS);
      grad[p] = 0.0;
    }
}

static void
cen_update (gpointer          data,
            LkEmbedding      *embedding,
            const GPtrArray  *answers,
            guint             n_batch,
            const LkEvidence *evidence,
            const LkParams   *params,
            gsl_rng          *rng,
            LkUpdateStats    *stats)
{
  CenState *s = data;
  g_autofree guint *order = NULL;
  double b1t = 1.0, b2t = 1.0, loss = 0.0;
  guint steps = 0;
  gsize len, sparse_from, sparse_to;
  Work w;

  (void) n_batch;
  (void) evidence;
  (void) params;
  prepare (s, answers, rng);
  spectral_init (s, rng);
  len = s->theta->len;
  memset (s->m->data, 0, sizeof (double) * len);
  memset (s->v->data, 0, sizeof (double) * len);
  memset (s->grad->data, 0, sizeof (double) * len);
  memset (s->latent_m->data, 0, sizeof (double) * s->latent->len);
  memset (s->latent_v->data, 0, sizeof (double) * s->latent->len);
  memset (s->latent_grad->data, 0, sizeof (double) * s->latent->len);
  work_init (&w, s);
  order = g_new (guint, MAX (s->grids->len, 1));
  for (guint g = 0; g < s->grids->len; g++)
    order[g] = g;
  /* The MLP's E has one row per item, and a grid touches only its items' rows: those are
   * updated lazily (only the rows with a gradient, as sparse Adam does; the others keep their
   * moments), which makes a step cost O(H^2 + S H) instead of O(N H). */
  sparse_from = sparse_to = s->ctx_offset;
  if (s->context == CONTEXT_MLP)
    sparse_to = mlp_c1 (s);

  for (guint epoch = 0; epoch < EPOCHS && s->grids->len > 0; epoch++)
    {
      gsl_ran_shuffle (rng, order, s->grids->len, sizeof (guint));
      loss = 0.0;
      for (guint o = 0; o < s->grids->len; o++)
        {
          double *theta = (double *) s->theta->data, *grad = (double *) s->grad->data;
          double *m = (double *) s->m->data, *v = (double *) s->v->data;
          double *lr = (double *) s->latent->data, *lg = (double *) s->latent_grad->data;
          double *lm = (double *) s->latent_m->data, *lv = (double *) s->latent_v->data;
          const Grid *g = &g_array_index (s->grids, Grid, order[o]);
          gsize row = (gsize) order[o] * s->k;
          double step;

          if (s->context == CONTEXT_VARIANCE)
            refresh_context_x (s, &g_array_index (s->items, guint, g->offset), g->n);
          loss += grid_loss (s, order[o], grad, lg, &w);

          b1t *= ADAM_BETA1;
          b2t *= ADAM_BETA2;
          step = ADAM_ALPHA / (1.0 - b1t);
          adam_range (theta, grad, m, v, 0, sparse_from, step, b2t);
          adam_range (theta, grad, m, v, sparse_to, len, step, b2t);
          for (guint i = 0; i < g->n && sparse_to > sparse_from; i++)
            {
              gsize e_row = sparse_from + (gsize) g_array_index (s->items, guint, g->offset + i) * s->hidden;

              adam_range (theta, grad, m, v, e_row, e_row + s->hidden, step, b2t);
            }
          adam_range (lr, lg, lm, lv, row, row + s->k, step * LATENT_ALPHA / ADAM_ALPHA, b2t);
          steps++;
        }
      loss /= s->grids->len;
    }
  work_clear (&w);
  latent_means (s);
  refresh_context_x (s, NULL, 0);

  memcpy (lk_embedding_get_data_mutable (embedding), s->theta->data,
          sizeof (double) * s->n_items * s->k);

  stats->stress = loss;
  stats->iterations = steps;
  stats->pairs_updated = s->pairs->len;
}

/* The grid index of @query if it is one of the compiled answers (same participant and
 * items), else -1. */
static gint
answer_grid (const CenState *s,
             const LkQuery  *query)
{
  g_autoptr(GBytes) key = answer_key (query);

  return GPOINTER_TO_INT (g_hash_table_lookup (s->grid_of_answer, key)) - 1;
}

/* The activation of @query's grid and participant into @a (K entries), with the answer's own
 * latent if @with_latent and @query is a compiled answer. */
static void
query_activation (const CenState *s,
                  const LkQuery  *query,
                  gboolean        with_latent,
                  double         *a)
{
  Work w;

  work_init (&w, s);
  activation (s, lk_query_get_items (query), lk_query_get_n_items (query),
              worker_lookup ((CenState *) s, lk_query_get_participant (query), NULL),
              with_latent ? answer_grid (s, query) : -1, &w);
  memcpy (a, w.a, sizeof (double) * s->k);
  work_clear (&w);
}

/**
 * lk_cen_pair_distance:
 * @state: a cen state (lk_refiner_get_state())
 * @query: a grid, with its participant
 * @position_a: a position in @query
 * @position_b: another
 *
 * Returns: the weighted distance of the two items under @query's context and participant;
 *   below %LK_CEN_THRESHOLD the model says "same group"
 */
double
lk_cen_pair_distance (gconstpointer  state,
                      const LkQuery *query,
                      guint          position_a,
                      guint          position_b)
{
  const CenState *s = state;
  g_autofree double *a = NULL;
  const double *theta;
  guint i, j;
  double d2 = 0.0;

  g_return_val_if_fail (s != NULL && query != NULL && s->initialised, INFINITY);

  a = g_new (double, s->k);
  query_activation (s, query, FALSE, a);
  theta = (const double *) s->theta->data;
  i = lk_query_get_item (query, position_a);
  j = lk_query_get_item (query, position_b);
  for (guint c = 0; c < s->k; c++)
    {
      double dc = a[c] * (theta[(gsize) i * s->k + c] - theta[(gsize) j * s->k + c]);
      d2 += dc * dc;
    }

  return sqrt (d2);
}

/**
 * lk_cen_grid_attribute:
 * @state: a cen state
 * @query: a grid, with its participant
 *
 * Returns: the attribute dimension the model thinks @query was sorted by: argmax of its
 *   activation (paper 001 section 4.3)
 */
guint
lk_cen_grid_attribute (gconstpointer  state,
                       const LkQuery *query)
{
  const CenState *s = state;
  g_autofree double *a = NULL;
  guint best = 0;

  g_return_val_if_fail (s != NULL && query != NULL && s->initialised, 0);

  a = g_new (double, s->k);
  query_activation (s, query, TRUE, a);
  for (guint c = 1; c < s->k; c++)
    if (a[c] > a[best])
      best = c;

  return best;
}

/**
 * lk_cen_get_n_participants:
 * @state: a cen state
 *
 * Returns: the number of participants the model knows
 */
guint
lk_cen_get_n_participants (gconstpointer state)
{
  const CenState *s = state;

  g_return_val_if_fail (s != NULL, 0);

  return s->workers->len;
}

/**
 * lk_cen_get_participant_weights:
 * @state: a cen state
 * @index: a participant index, below lk_cen_get_n_participants()
 * @participant: (out) (optional): the participant's id
 * @weights: (out caller-allocates) (array) (optional): K entries, the participant's bias a^w
 *   towards each attribute dimension
 */
void
lk_cen_get_participant_weights (gconstpointer  state,
                                guint          index,
                                guint         *participant,
                                double        *weights)
{
  const CenState *s = state;

  g_return_if_fail (s != NULL && index < s->workers->len);

  if (participant != NULL)
    *participant = g_array_index (s->workers, guint, index);
  if (weights != NULL)
    for (guint c = 0; c < s->k; c++)
      weights[c] = softplus (g_array_index (s->theta, double, worker_offset (s, index) + c));
}

void
_lk_cen_prepare (gpointer         state,
                 const GPtrArray *answers,
                 gsl_rng         *rng)
{
  prepare (state, answers, rng);
}

void
_lk_cen_spectral_start (gpointer  state,
                        gsl_rng  *rng)
{
  spectral_init (state, rng);
}

void
_lk_cen_refresh_means (gpointer state)
{
  latent_means (state);
}

double *
_lk_cen_latent (gpointer  state,
                gsize    *n_parameters)
{
  CenState *s = state;

  *n_parameters = s->latent->len;
  return (double *) s->latent->data;
}

double *
_lk_cen_parameters (gpointer  state,
                    gsize    *n_parameters)
{
  CenState *s = state;

  *n_parameters = s->theta->len;
  return (double *) s->theta->data;
}

/* The sum over compiled grids of their mean pair loss and latent penalty, and its gradient if
 * @gradient is not NULL (overwritten, _lk_cen_parameters()'s length), that of the answers'
 * latents in @latent_gradient (_lk_cen_latent()'s length). */
double
_lk_cen_loss (gpointer  state,
              double   *gradient,
              double   *latent_gradient)
{
  CenState *s = state;
  double loss = 0.0;
  Work w;

  work_init (&w, s);
  if (gradient != NULL)
    memset (gradient, 0, sizeof (double) * s->theta->len);
  if (latent_gradient != NULL)
    memset (latent_gradient, 0, sizeof (double) * s->latent->len);
  for (guint g = 0; g < s->grids->len; g++)
    loss += grid_loss (s, g, gradient, latent_gradient, &w);
  work_clear (&w);

  return loss;
}

/**
 * lk_cen_context_activation:
 * @state: a cen state that has been updated at least once
 * @items: (array length=n): a grid
 * @n: its size
 * @activation: (out caller-allocates) (array): K entries, the grid's context a^g
 *
 * The context encoder alone (no participant): which attributes the model thinks the grid makes
 * salient (paper 001 section 4.6).
 */
void
lk_cen_context_activation (gconstpointer  state,
                           const guint   *items,
                           guint          n,
                           double        *activation)
{
  const CenState *s = state;
  Work w;

  g_return_if_fail (s != NULL && items != NULL && n > 0 && activation != NULL && s->initialised);

  work_init (&w, s);
  if (s->context == CONTEXT_MLP)
    mlp_forward (s, items, n, &w);
  else
    variance_forward (s, items, n, &w);
  memcpy (activation, w.ag, sizeof (double) * s->k);
  work_clear (&w);
}

/**
 * lk_cen_get_dim:
 * @state: a cen state
 *
 * Returns: K, the number of attribute dimensions
 */
guint
lk_cen_get_dim (gconstpointer state)
{
  const CenState *s = state;

  g_return_val_if_fail (s != NULL, 0);

  return s->k;
}

/**
 * lk_cen_get_target_attribute:
 * @state: a cen state
 *
 * Returns: the attribute dimension the `synth` policy's grids point at, or -1 for each in turn
 */
gint
lk_cen_get_target_attribute (gconstpointer state)
{
  const CenState *s = state;

  g_return_val_if_fail (s != NULL, -1);

  return s->target;
}

/**
 * lk_cen_set_target_attribute:
 * @state: a cen state
 * @attribute: an attribute dimension below K, or -1 for each in turn
 */
void
lk_cen_set_target_attribute (gpointer state,
                             gint     attribute)
{
  CenState *s = state;

  g_return_if_fail (s != NULL && attribute >= -1 && attribute < (gint) s->k);

  s->target = attribute;
}

/**
 * lk_cen_is_method:
 * @method: a method
 *
 * Returns: whether @method is one of the CEN methods (its state is a cen state)
 */
gboolean
lk_cen_is_method (const LkMethodType *method)
{
  return method == &_lk_method_cen_type || method == &_lk_method_cen_variance_type ||
         method == &_lk_method_cen_synth_type;
}

const LkMethodType _lk_method_cen_type = {
  .name = "cen",
  .description = "Context Embedding Networks (paper 001): item vectors, per-participant attribute weights, MLP grid context, dual-margin loss",
  .single_phase = FALSE,
  .first_policy = &_lk_query_policy_random_type,
  .policy = &_lk_query_policy_random_type,
  .state_new = cen_mlp_state_new,
  .state_free = cen_state_free,
  .update = cen_update,
  .state_copy = cen_state_copy,
};

const LkMethodType _lk_method_cen_variance_type = {
  .name = "cen-variance",
  .description = "cen with the spec's parameter-free variance context instead of the MLP (its stand-in, measured against it)",
  .single_phase = FALSE,
  .first_policy = &_lk_query_policy_random_type,
  .policy = &_lk_query_policy_random_type,
  .state_new = cen_variance_state_new,
  .state_free = cen_state_free,
  .update = cen_update,
  .state_copy = cen_state_copy,
};

const LkMethodType _lk_method_cen_synth_type = {
  .name = "cen-synth",
  .description = "cen-variance asking synthesized grids (paper 001 section 4.6) that point at one attribute at a time",
  .single_phase = FALSE,
  .first_policy = &_lk_query_policy_random_type,
  .policy = &_lk_query_policy_synth_type,
  .state_new = cen_variance_state_new,
  .state_free = cen_state_free,
  .update = cen_update,
  .state_copy = cen_state_copy,
};

const LkMethodType *lk_method_cen = &_lk_method_cen_type;
