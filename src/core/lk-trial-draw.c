/* lk-trial-draw.c — drawing the trials of the tasks other than sorting
 *
 * Every draw takes its randomness from the caller's generator only, so a sequence of draws is
 * a function of the seed and the context. What each kind draws, and from which paper:
 *
 * - triplet (paper 004, section 6.3; spec judgement-tasks.md 4.1): with probability
 *   random_share (the spec's 10 % calibration and attention set) Q, A and B are uniform and
 *   distinct. Otherwise Q is uniform and A and B are two distinct items drawn uniformly from
 *   Q's 50 nearest (LK_TRIAL_DRAW_NEIGHBOURS; the paper's top 50 results of a text query)
 *   under a reference metric: the learned metric with probability 1/2 and one of the other
 *   metrics (uniformly) otherwise, "so that no metric is favoured"; when only one kind is
 *   given it is the reference, and with none the triplet is random. Which side A is shown on
 *   is a fair coin (@swapped).
 * - choice5 (paper 003, section 4.3): a query and five candidates in shuffled positions.
 *   `pair`: Q uniform among the items with a known partner, the partner the target, four
 *   uniform distractors (the paper's `random` distractors around a collected match);
 *   `model-vs-model`: Q uniform, the target the learned metric's nearest item, the
 *   distractors the first other metric's four nearest other than the target; `random`: five
 *   uniform candidates and no target. @key is the target's position (-1 without one).
 * - match (paper 003, spec 4.2): Q uniform over the collection and a shuffled page of m
 *   candidates; when Q has a known partner (@pairs) the page holds it, at @key. Our choice:
 *   the paper's pairs come from elsewhere, a study's are collected by these very pages, and
 *   drawing Q among the paired items only (as this did) made every page after the first
 *   answer show the same Q; a uniform Q goes on collecting pairs and re-asks a known one
 *   at the rate pairs cover the collection.
 * - known pairs for both (lk_trial_draw_match_pairs()): a study's collected pairs are its
 *   answered match pages, (Q, the candidate picked); when raters picked different ones for a
 *   Q, its partner is the one picked most often (the first picked on a tie), and a pair is
 *   directed as the paper's (left, right) are: the partner's own partner is not Q by that.
 * - intruder (paper 002, crowd-pipeline spec 2.3, `make_intruder_hits`): draw two distinct
 *   clusters uniformly (main, intruder), redraw both while main has fewer than 7 members; 7
 *   uniform members of main and 1 of the intruder cluster, shuffled; @key the intruder's
 *   position. Clusters are the caller's (folders, the study's clustering) or k-means of the
 *   learned embedding (lk_trial_draw_clusters(); callers drawing many should compute them
 *   once and pass them).
 *
 * Ties in "nearest" go to the smaller item index, so draws do not depend on sort stability.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "lk-trial-draw.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_randist.h>

#include "lk-error.h"
#include "lk-kmeans.h"

typedef struct {
  double d;
  guint  item;
} Ranked;

static int
compare_ranked (const void *a,
                const void *b)
{
  const Ranked *x = a, *y = b;

  if (x->d != y->d)
    return x->d < y->d ? -1 : 1;
  return (x->item > y->item) - (x->item < y->item);
}

/* The distance under metric @m: -1 is the learned embedding, 0.. the context's metrics. */
static double
metric_distance (const LkTrialDrawContext *ctx,
                 gint                      m,
                 guint                     a,
                 guint                     b)
{
  if (m < 0)
    return lk_embedding_distance (ctx->learned, a, b);

  return ctx->metrics[m] (a, b, ctx->metric_data != NULL ? ctx->metric_data[m] : NULL);
}

/* Fills @out with the @k items nearest @q under metric @m, leaving out @q and @skip
 * (G_MAXUINT for none), nearest first. Returns how many were found. */
static guint
nearest (const LkTrialDrawContext *ctx,
         gint                      m,
         guint                     q,
         guint                     skip,
         guint                     k,
         guint                    *out)
{
  g_autofree Ranked *r = g_new (Ranked, ctx->n_items);
  guint n = 0;

  for (guint i = 0; i < ctx->n_items; i++)
    if (i != q && i != skip)
      {
        r[n].d = metric_distance (ctx, m, q, i);
        r[n].item = i;
        n++;
      }
  qsort (r, n, sizeof (Ranked), compare_ranked);
  k = MIN (k, n);
  for (guint i = 0; i < k; i++)
    out[i] = r[i].item;

  return k;
}

/* Draws @k distinct items uniformly from 0..n-1 other than those in @avoid. */
static void
draw_distinct (gsl_rng     *rng,
               guint        n,
               const guint *avoid,
               guint        n_avoid,
               guint        k,
               guint       *out)
{
  for (guint i = 0; i < k; i++)
    {
      gboolean taken;
      guint x;

      do
        {
          x = gsl_rng_uniform_int (rng, n);
          taken = FALSE;
          for (guint j = 0; j < n_avoid && !taken; j++)
            taken = avoid[j] == x;
          for (guint j = 0; j < i && !taken; j++)
            taken = out[j] == x;
        }
      while (taken);
      out[i] = x;
    }
}

static gboolean
need_items (const LkTrialDrawContext *ctx,
            guint                     n,
            const char               *what,
            GError                  **error)
{
  if (ctx->n_items >= n)
    return TRUE;

  g_set_error (error, LK_CORE_ERROR, LK_CORE_ERROR_INVALID_ARGUMENT,
               "A %s trial needs at least %u images; the collection has %u", what, n,
               ctx->n_items);
  return FALSE;
}

static LkTrial *
draw_triplet (const LkTrialDrawContext *ctx,
              gsl_rng                  *rng,
              GError                  **error)
{
  guint items[3], neighbours[LK_TRIAL_DRAW_NEIGHBOURS];
  gboolean random = FALSE;
  LkTrial *trial;

  if (!need_items (ctx, 3, "triplet", error))
    return NULL;
  if (ctx->policy != NULL && strcmp (ctx->policy, "mix") != 0)
    {
      if (strcmp (ctx->policy, "random") != 0)
        {
          g_set_error (error, LK_CORE_ERROR, LK_CORE_ERROR_INVALID_ARGUMENT,
                       "Unknown triplet policy '%s'; use mix or random", ctx->policy);
          return NULL;
        }
      random = TRUE;
    }
  if (ctx->learned == NULL && ctx->n_metrics == 0)
    random = TRUE;

  items[0] = gsl_rng_uniform_int (rng, ctx->n_items);
  if (!random && ctx->random_share > 0.0 && gsl_rng_uniform (rng) < ctx->random_share)
    random = TRUE;

  if (random)
    {
      draw_distinct (rng, ctx->n_items, items, 1, 2, items + 1);
    }
  else
    {
      gint m;
      guint k, pick[2];

      if (ctx->learned != NULL && ctx->n_metrics > 0)
        m = gsl_rng_uniform (rng) < 0.5 ? -1 : (gint) gsl_rng_uniform_int (rng, ctx->n_metrics);
      else if (ctx->learned != NULL)
        m = -1;
      else
        m = (gint) gsl_rng_uniform_int (rng, ctx->n_metrics);
      k = nearest (ctx, m, items[0], G_MAXUINT, LK_TRIAL_DRAW_NEIGHBOURS, neighbours);
      draw_distinct (rng, k, NULL, 0, 2, pick);
      items[1] = neighbours[pick[0]];
      items[2] = neighbours[pick[1]];
    }

  trial = lk_trial_new (LK_TASK_TRIPLET, items, 3);
  trial->swapped = gsl_rng_uniform (rng) < 0.5;

  return trial;
}

/* Q uniform among the items with a known partner; FALSE if none has one. */
static gboolean
draw_paired_query (const LkTrialDrawContext *ctx,
                   gsl_rng                  *rng,
                   guint                    *query,
                   guint                    *partner)
{
  g_autofree guint *with = g_new (guint, MAX (ctx->n_pairs, 1));
  guint n = 0;

  for (guint i = 0; i < MIN (ctx->n_pairs, ctx->n_items); i++)
    if (ctx->pairs[i] != G_MAXUINT && ctx->pairs[i] < ctx->n_items && ctx->pairs[i] != i)
      with[n++] = i;
  if (n == 0)
    return FALSE;
  *query = with[gsl_rng_uniform_int (rng, n)];
  *partner = ctx->pairs[*query];

  return TRUE;
}

/* Builds a trial of Q and the candidates, shuffling the candidates; @key_item is the item
 * whose position becomes the key (G_MAXUINT for none). */
static LkTrial *
shuffled_trial (LkTaskKind kind,
                guint      query,
                guint     *candidates,
                guint      n,
                guint      key_item,
                gsl_rng   *rng)
{
  g_autofree guint *items = g_new (guint, n + 1);
  LkTrial *trial;

  gsl_ran_shuffle (rng, candidates, n, sizeof (guint));
  items[0] = query;
  memcpy (items + 1, candidates, sizeof (guint) * n);
  trial = lk_trial_new (kind, items, n + 1);
  for (guint i = 1; i <= n; i++)
    if (items[i] == key_item)
      trial->key = (gint) i;

  return trial;
}

static LkTrial *
draw_choice5 (const LkTrialDrawContext *ctx,
              gsl_rng                  *rng,
              GError                  **error)
{
  const char *policy = ctx->policy != NULL ? ctx->policy : "random";
  guint query, cand[5], target = G_MAXUINT;

  if (!need_items (ctx, LK_CHOICE5_N_ITEMS, "choice5", error))
    return NULL;

  if (strcmp (policy, "pair") == 0)
    {
      guint avoid[2];

      if (ctx->pairs == NULL || !draw_paired_query (ctx, rng, &query, &target))
        {
          g_set_error (error, LK_CORE_ERROR, LK_CORE_ERROR_INVALID_ARGUMENT,
                       "The pair policy needs collected pairs, and there are none");
          return NULL;
        }
      avoid[0] = query;
      avoid[1] = target;
      cand[0] = target;
      draw_distinct (rng, ctx->n_items, avoid, 2, 4, cand + 1);
    }
  else if (strcmp (policy, "model-vs-model") == 0)
    {
      if (ctx->learned == NULL || ctx->n_metrics == 0)
        {
          g_set_error (error, LK_CORE_ERROR, LK_CORE_ERROR_INVALID_ARGUMENT,
                       "The model-vs-model policy needs the learned metric and a descriptor");
          return NULL;
        }
      query = gsl_rng_uniform_int (rng, ctx->n_items);
      nearest (ctx, -1, query, G_MAXUINT, 1, &target);
      cand[0] = target;
      nearest (ctx, 0, query, target, 4, cand + 1);
    }
  else if (strcmp (policy, "random") == 0)
    {
      query = gsl_rng_uniform_int (rng, ctx->n_items);
      draw_distinct (rng, ctx->n_items, &query, 1, 5, cand);
    }
  else
    {
      g_set_error (error, LK_CORE_ERROR, LK_CORE_ERROR_INVALID_ARGUMENT,
                   "Unknown choice5 policy '%s'; use pair, model-vs-model or random", policy);
      return NULL;
    }

  return shuffled_trial (LK_TASK_CHOICE5, query, cand, 5, target, rng);
}

static LkTrial *
draw_match (const LkTrialDrawContext *ctx,
            gsl_rng                  *rng,
            GError                  **error)
{
  guint m = ctx->match_page > 0 ? ctx->match_page : LK_MATCH_DEFAULT_PAGE;
  guint query, partner = G_MAXUINT;
  g_autofree guint *cand = NULL;

  if (!need_items (ctx, 2, "match", error))
    return NULL;
  m = MIN (m, ctx->n_items - 1);
  cand = g_new (guint, m);

  query = gsl_rng_uniform_int (rng, ctx->n_items);
  if (ctx->pairs != NULL && query < ctx->n_pairs && ctx->pairs[query] < ctx->n_items
      && ctx->pairs[query] != query)
    partner = ctx->pairs[query];
  if (partner != G_MAXUINT)
    {
      guint avoid[2] = { query, partner };

      cand[0] = partner;
      draw_distinct (rng, ctx->n_items, avoid, 2, m - 1, cand + 1);
    }
  else
    draw_distinct (rng, ctx->n_items, &query, 1, m, cand);

  return shuffled_trial (LK_TASK_MATCH, query, cand, m, partner, rng);
}

/**
 * lk_trial_draw_clusters:
 * @embedding: the learned embedding
 * @k: the number of clusters (0: N / 20, at least 2)
 * @rng: the random source
 *
 * The clusters the intruder task draws from when the study has none of its own: k-means
 * (k-means++ seeding, 3 restarts) of the embedding.
 *
 * Returns: (transfer full): a cluster per item, 0 to k - 1
 */
guint *
lk_trial_draw_clusters (const LkEmbedding *embedding,
                        guint              k,
                        gsl_rng           *rng)
{
  guint n = lk_embedding_get_n_items (embedding);
  guint *labels = g_new (guint, n);

  if (k == 0)
    k = MAX (2, n / 20);
  k = MIN (k, n);
  lk_kmeans (lk_embedding_get_data (embedding), n, lk_embedding_get_dim (embedding), k, 3, rng,
             labels);

  return labels;
}

static LkTrial *
draw_intruder (const LkTrialDrawContext *ctx,
               gsl_rng                  *rng,
               GError                  **error)
{
  g_autofree guint *own = NULL, *sizes = NULL, *keys = NULL, *members = NULL;
  const guint *clusters = ctx->clusters;
  guint n_clusters = ctx->n_clusters, n_keys = 0, big = 0, main_c, intr, n_main = 0;
  guint cand[LK_INTRUDER_N_ITEMS], pick[7], intruder = 0;
  LkTrial *trial;

  if (!need_items (ctx, LK_INTRUDER_N_ITEMS, "intruder", error))
    return NULL;
  if (clusters == NULL)
    {
      if (ctx->learned == NULL)
        {
          g_set_error (error, LK_CORE_ERROR, LK_CORE_ERROR_INVALID_ARGUMENT,
                       "An intruder trial needs clusters or a learned embedding");
          return NULL;
        }
      own = lk_trial_draw_clusters (ctx->learned, n_clusters, rng);
      clusters = own;
      n_clusters = 0;
    }
  if (n_clusters == 0)
    for (guint i = 0; i < ctx->n_items; i++)
      n_clusters = MAX (n_clusters, clusters[i] + 1);

  sizes = g_new0 (guint, n_clusters);
  for (guint i = 0; i < ctx->n_items; i++)
    if (clusters[i] < n_clusters)
      sizes[clusters[i]]++;
  keys = g_new (guint, n_clusters);
  for (guint c = 0; c < n_clusters; c++)
    if (sizes[c] > 0)
      {
        keys[n_keys++] = c;
        big += sizes[c] >= 7;
      }
  if (n_keys < 2 || big == 0)
    {
      g_set_error (error, LK_CORE_ERROR, LK_CORE_ERROR_INVALID_ARGUMENT,
                   "An intruder trial needs two clusters, one of at least 7 images");
      return NULL;
    }

  /* make_intruder_hits: two distinct keys, both redrawn while main is too small. */
  do
    {
      guint two[2];

      draw_distinct (rng, n_keys, NULL, 0, 2, two);
      main_c = keys[two[0]];
      intr = keys[two[1]];
    }
  while (sizes[main_c] < 7);

  members = g_new (guint, sizes[main_c]);
  for (guint i = 0; i < ctx->n_items; i++)
    if (clusters[i] == main_c)
      members[n_main++] = i;
  draw_distinct (rng, n_main, NULL, 0, 7, pick);
  for (guint i = 0; i < 7; i++)
    cand[i] = members[pick[i]];
  {
    guint r = gsl_rng_uniform_int (rng, sizes[intr]), seen = 0;

    for (guint i = 0; i < ctx->n_items; i++)
      if (clusters[i] == intr && seen++ == r)
        {
          intruder = i;
          break;
        }
  }
  cand[7] = intruder;

  gsl_ran_shuffle (rng, cand, LK_INTRUDER_N_ITEMS, sizeof (guint));
  trial = lk_trial_new (LK_TASK_INTRUDER, cand, LK_INTRUDER_N_ITEMS);
  for (guint i = 0; i < LK_INTRUDER_N_ITEMS; i++)
    if (cand[i] == intruder)
      trial->key = (gint) i;

  return trial;
}

const char *const lk_trial_draw_choice5_policies[] = { "random", "pair", "model-vs-model", NULL };

/**
 * lk_trial_draw_match_pairs:
 * @trials: (element-type LkTrial): trials of any kind; the answered match pages are read
 * @n_items: the collection's size
 * @n_pairs: (out) (optional): the items given a partner
 *
 * The known pairs of a study that collects them with the match task, as the file's header
 * says, for #LkTrialDrawContext's @pairs.
 *
 * Returns: (transfer full) (array length=n_items): a partner per item, G_MAXUINT for none
 */
guint *
lk_trial_draw_match_pairs (const GPtrArray *trials,
                           guint            n_items,
                           guint           *n_pairs)
{
  g_autoptr(GHashTable) votes = g_hash_table_new (g_int64_hash, g_int64_equal);
  g_autofree gint64 *keys = NULL;
  g_autofree guint *best = g_new0 (guint, MAX (n_items, 1));
  guint *pairs = g_new (guint, MAX (n_items, 1));
  guint n = 0, n_keys = 0;

  g_return_val_if_fail (trials != NULL, pairs);

  for (guint i = 0; i < n_items; i++)
    pairs[i] = G_MAXUINT;
  /* The votes live in one array, keyed by query x n_items + partner in the table. */
  keys = g_new (gint64, MAX (trials->len, 1));
  for (guint i = 0; i < trials->len; i++)
    {
      const LkTrial *t = g_ptr_array_index ((GPtrArray *) trials, i);
      guint query, partner, count;

      if (t->kind != LK_TASK_MATCH || t->choice < 1 || (guint) t->choice >= t->n_items)
        continue;
      query = t->items[0];
      partner = t->items[t->choice];
      if (query >= n_items || partner >= n_items || query == partner)
        continue;
      keys[n_keys] = (gint64) query * n_items + partner;
      count = GPOINTER_TO_UINT (g_hash_table_lookup (votes, &keys[n_keys])) + 1;
      g_hash_table_insert (votes, &keys[n_keys], GUINT_TO_POINTER (count));
      n_keys++;
      if (pairs[query] == G_MAXUINT)
        n++;
      if (pairs[query] == G_MAXUINT || count > best[query])
        {
          pairs[query] = partner;
          best[query] = count;
        }
    }
  if (n_pairs != NULL)
    *n_pairs = n;

  return pairs;
}

/**
 * lk_trial_draw:
 * @kind: a task kind other than the sorting ones
 * @ctx: what the draw may use
 * @rng: the random source
 * @error: return location for a #GError
 *
 * Draws one unanswered trial of @kind, as the file's header describes for each kind.
 * Positions and sides are randomised here and recorded in the trial. The trial stands alone
 * (@group 0): to have several raters answer it, copy it and give the copies one group.
 *
 * Returns: (transfer full) (nullable): the trial, or %NULL with @error set when @ctx cannot
 *   give one (too few images, no pairs for `pair`, no clusters, an unknown policy)
 */
LkTrial *
lk_trial_draw (LkTaskKind                kind,
               const LkTrialDrawContext *ctx,
               gsl_rng                  *rng,
               GError                  **error)
{
  g_return_val_if_fail (ctx != NULL && rng != NULL, NULL);
  g_return_val_if_fail (ctx->n_metrics == 0 || ctx->metrics != NULL, NULL);
  g_return_val_if_fail (ctx->learned == NULL ||
                        lk_embedding_get_n_items (ctx->learned) == ctx->n_items, NULL);

  switch (kind)
    {
    case LK_TASK_TRIPLET:
      return draw_triplet (ctx, rng, error);
    case LK_TASK_CHOICE5:
      return draw_choice5 (ctx, rng, error);
    case LK_TASK_MATCH:
      return draw_match (ctx, rng, error);
    case LK_TASK_INTRUDER:
      return draw_intruder (ctx, rng, error);
    case LK_TASK_SORT:
    case LK_TASK_TRAINING:
    case LK_TASK_EXAM:
    default:
      g_set_error (error, LK_CORE_ERROR, LK_CORE_ERROR_INVALID_ARGUMENT,
                   "A %s task is a grid, not a trial", lk_task_kind_to_string (kind));
      return NULL;
    }
}
