/* test-trial-draw.c — drawing trials of every kind, and the simulated participants' answers
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <math.h>
#include <string.h>

#include "lk-core.h"

/* A 1-D embedding with item i at i: the nearest of an item are those with the closest index. */
static LkEmbedding *
line_embedding (guint n)
{
  g_autofree double *x = g_new (double, n);

  for (guint i = 0; i < n; i++)
    x[i] = i;

  return lk_embedding_new_from_data (x, n, 1);
}

/* A second metric that disagrees with the line: items far apart on the line are close.
 * d(a, b) = |p(a) - p(b)| with p(i) = (i * 7) mod n (n = 200 is coprime to 7). */
static double
scrambled_distance (guint    a,
                    guint    b,
                    gpointer data)
{
  guint n = GPOINTER_TO_UINT (data);
  double pa = (a * 7) % n, pb = (b * 7) % n;

  return fabs (pa - pb);
}

static guint
udiff (guint a,
       guint b)
{
  return a > b ? a - b : b - a;
}

static double
line_distance (guint    a,
               guint    b,
               gpointer data)
{
  return udiff (a, b);
}

/* Whether @x is among @q's 50 nearest of 200 under @d (ties to the smaller index, as the
 * draw breaks them). */
static gboolean
among_nearest (LkScoreDistanceFunc d,
               guint               q,
               guint               x)
{
  double dx = d (q, x, GUINT_TO_POINTER (200));
  guint before = 0;

  for (guint y = 0; y < 200; y++)
    if (y != q && y != x)
      {
        double dy = d (q, y, GUINT_TO_POINTER (200));

        before += dy < dx || (dy == dx && y < x);
      }

  return before < LK_TRIAL_DRAW_NEIGHBOURS;
}

/* Q's 50 nearest on a line of 200 are within 25 of Q (50 at the ends). */
static gboolean
near_on_line (guint q,
              guint x)
{
  return among_nearest (line_distance, q, x);
}

static gboolean
near_scrambled (guint q,
                guint x)
{
  return among_nearest (scrambled_distance, q, x);
}

static void
test_triplet_neighbours (void)
{
  g_autoptr(LkEmbedding) line = line_embedding (200);
  g_autoptr(gsl_rng) rng = lk_rng_new (3);
  LkTrialDrawContext ctx = { 0 };
  guint swapped = 0, far = 0;

  ctx.n_items = 200;
  ctx.learned = line;
  for (guint i = 0; i < 400; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(LkTrial) t = lk_trial_draw (LK_TASK_TRIPLET, &ctx, rng, &error);

      g_assert_no_error (error);
      g_assert_true (lk_trial_validate (t, NULL));
      g_assert_cmpint (t->kind, ==, LK_TASK_TRIPLET);
      g_assert_cmpint (t->choice, ==, LK_TRIAL_UNANSWERED);
      g_assert_cmpint (t->group, ==, 0);
      /* Among the 50 nearest: at most 25 away in the middle, 50 at the ends. */
      g_assert_true (near_on_line (t->items[0], t->items[1]));
      g_assert_true (near_on_line (t->items[0], t->items[2]));
      if (t->items[0] >= 25 && t->items[0] < 175)
        {
          g_assert_cmpuint (udiff (t->items[0], t->items[1]), <=, 25);
          g_assert_cmpuint (udiff (t->items[0], t->items[2]), <=, 25);
        }
      swapped += t->swapped;
    }
  /* Sides are a fair coin: 400 draws, mean 200, sd 10. */
  g_assert_cmpuint (swapped, >, 150);
  g_assert_cmpuint (swapped, <, 250);

  /* All random: most pairs are far from Q on the line. */
  ctx.random_share = 1.0;
  for (guint i = 0; i < 400; i++)
    {
      g_autoptr(LkTrial) t = lk_trial_draw (LK_TASK_TRIPLET, &ctx, rng, NULL);

      far += !near_on_line (t->items[0], t->items[1]);
    }
  g_assert_cmpuint (far, >, 100);
}

/* The mix: half the triplets from the learned metric, half from the descriptor, and a
 * share random. */
static void
test_triplet_mix (void)
{
  g_autoptr(LkEmbedding) line = line_embedding (200);
  g_autoptr(gsl_rng) rng = lk_rng_new (5);
  LkScoreDistanceFunc metrics[] = { scrambled_distance };
  gpointer data[] = { GUINT_TO_POINTER (200) };
  LkTrialDrawContext ctx = { 0 };
  guint learned = 0, descriptor = 0, neither = 0;

  ctx.n_items = 200;
  ctx.learned = line;
  ctx.metrics = metrics;
  ctx.metric_data = data;
  ctx.n_metrics = 1;
  ctx.random_share = 0.2;
  for (guint i = 0; i < 1000; i++)
    {
      g_autoptr(LkTrial) t = lk_trial_draw (LK_TASK_TRIPLET, &ctx, rng, NULL);
      guint q = t->items[0];
      gboolean l = near_on_line (q, t->items[1]) && near_on_line (q, t->items[2]);
      gboolean d = near_scrambled (q, t->items[1]) && near_scrambled (q, t->items[2]);

      learned += l;
      descriptor += d;
      neither += !l && !d;
    }
  /* Expected: 400 from each metric; 200 random, of which a share 1/16 is near under each
   * metric by chance (each of A and B is among Q's 50 nearest of 200 with probability
   * 1/4), 175 near under neither; a pair near under one metric is near under the other with
   * probability about (8/50)^2 = 0.03. So learned and descriptor about 400 + 12 + 12 = 424
   * (sd about 16), neither about 175 (sd 12). */
  g_test_message ("learned %u, descriptor %u, neither %u", learned, descriptor, neither);
  g_assert_cmpuint (learned, >, 360);
  g_assert_cmpuint (learned, <, 490);
  g_assert_cmpuint (descriptor, >, 360);
  g_assert_cmpuint (descriptor, <, 490);
  g_assert_cmpuint (neither, >, 130);
  g_assert_cmpuint (neither, <, 220);
}

/* Returns the draws of @n trials of @kind as one string, to compare runs. */
static char *
draw_sequence (LkTaskKind                kind,
               const LkTrialDrawContext *ctx,
               guint64                   seed,
               guint                     n)
{
  g_autoptr(gsl_rng) rng = lk_rng_new (seed);
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(LkTrial) t = lk_trial_draw (kind, ctx, rng, &error);

      g_assert_no_error (error);
      for (guint j = 0; j < t->n_items; j++)
        g_string_append_printf (s, "%u ", t->items[j]);
      g_string_append_printf (s, "s%d k%d;", t->swapped, t->key);
    }

  return g_string_free (s, FALSE);
}

static void
test_deterministic (void)
{
  g_autoptr(LkEmbedding) line = line_embedding (200);
  LkScoreDistanceFunc metrics[] = { scrambled_distance };
  gpointer data[] = { GUINT_TO_POINTER (200) };
  LkTrialDrawContext ctx = { 0 };
  const LkTaskKind kinds[] = { LK_TASK_TRIPLET, LK_TASK_CHOICE5, LK_TASK_MATCH, LK_TASK_INTRUDER };

  ctx.n_items = 200;
  ctx.learned = line;
  ctx.metrics = metrics;
  ctx.metric_data = data;
  ctx.n_metrics = 1;
  ctx.random_share = 0.1;
  for (guint k = 0; k < G_N_ELEMENTS (kinds); k++)
    {
      g_autofree char *a = draw_sequence (kinds[k], &ctx, 9, 30);
      g_autofree char *b = draw_sequence (kinds[k], &ctx, 9, 30);
      g_autofree char *c = draw_sequence (kinds[k], &ctx, 10, 30);

      g_assert_cmpstr (a, ==, b);
      g_assert_cmpstr (a, !=, c);
    }
}

static void
test_choice5_policies (void)
{
  g_autoptr(LkEmbedding) line = line_embedding (200);
  g_autoptr(gsl_rng) rng = lk_rng_new (8);
  LkScoreDistanceFunc metrics[] = { scrambled_distance };
  gpointer data[] = { GUINT_TO_POINTER (200) };
  guint pairs[200];
  LkTrialDrawContext ctx = { 0 };
  guint at_position[6] = { 0 };

  for (guint i = 0; i < 200; i++)
    pairs[i] = G_MAXUINT;
  pairs[10] = 150;
  pairs[20] = 21;
  pairs[30] = 30;    /* an item paired with itself is no pair */
  ctx.n_items = 200;
  ctx.learned = line;
  ctx.metrics = metrics;
  ctx.metric_data = data;
  ctx.n_metrics = 1;
  ctx.pairs = pairs;
  ctx.n_pairs = 200;

  /* pair: Q is 10 or 20, its partner at the key, shown at every position over the draws. */
  ctx.policy = "pair";
  for (guint i = 0; i < 300; i++)
    {
      g_autoptr(LkTrial) t = lk_trial_draw (LK_TASK_CHOICE5, &ctx, rng, NULL);

      g_assert_true (lk_trial_validate (t, NULL));
      g_assert_cmpuint (t->n_items, ==, 6);
      g_assert_true (t->items[0] == 10 || t->items[0] == 20);
      g_assert_cmpint (t->key, >=, 1);
      g_assert_cmpuint (t->items[t->key], ==, pairs[t->items[0]]);
      at_position[t->key]++;
    }
  for (guint p = 1; p <= 5; p++)
    g_assert_cmpuint (at_position[p], >, 30);

  /* model-vs-model: the target is Q's neighbour on the line (1-NN, ties to the smaller
   * index), the distractors the scrambled metric's four nearest, none of them the target. */
  ctx.policy = "model-vs-model";
  for (guint i = 0; i < 50; i++)
    {
      g_autoptr(LkTrial) t = lk_trial_draw (LK_TASK_CHOICE5, &ctx, rng, NULL);
      guint q = t->items[0], target = q == 0 ? 1 : q - 1;
      guint pq = (q * 7) % 200, found = 0;

      g_assert_true (lk_trial_validate (t, NULL));
      g_assert_cmpuint (t->items[t->key], ==, target);
      /* Under the scrambled metric the four nearest of Q other than the target are at
       * positions p(Q) -2, -1, +1, +2 (when inside 0..199). */
      for (guint j = 1; j <= 5; j++)
        if ((gint) j != t->key)
          {
            guint pj = (t->items[j] * 7) % 200;

            g_assert_cmpuint (t->items[j], !=, target);
            found += udiff (pq, pj) <= 4;
          }
      g_assert_cmpuint (found, ==, 4);
      if (pq >= 3 && pq <= 196)
        for (guint j = 1; j <= 5; j++)
          if ((gint) j != t->key)
            g_assert_cmpuint (udiff (pq, (t->items[j] * 7) % 200), <=, 3);
    }

  /* random: no target. */
  ctx.policy = "random";
  {
    g_autoptr(LkTrial) t = lk_trial_draw (LK_TASK_CHOICE5, &ctx, rng, NULL);

    g_assert_true (lk_trial_validate (t, NULL));
    g_assert_cmpint (t->key, ==, -1);
  }
}

/* Returns an answered trial of @kind over @items (@n of them) with @choice. */
static LkTrial *
answered (LkTaskKind   kind,
          const guint *items,
          guint        n,
          gint         choice)
{
  LkTrial *t = lk_trial_new (kind, items, n);

  t->choice = choice;

  return t;
}

/* The known pairs a study collects with match pages, worked by hand on 6 items: Q 0's page
 * answers pick 4, then 3, then 3 (3 has the most votes; 4 and 3 tie after two, where the
 * first picked stands); Q 2 picks 0; "none", other kinds and unanswered pages add nothing; a pair is directed (4 gets no partner from 0's). */
static void
test_match_pairs (void)
{
  g_autoptr(GPtrArray) trials = g_ptr_array_new_with_free_func ((GDestroyNotify) lk_trial_free);
  const guint expected[6] = { 3, G_MAXUINT, 0, G_MAXUINT, G_MAXUINT, G_MAXUINT };
  g_autofree guint *pairs = NULL;
  guint n_pairs = 99;

  g_ptr_array_add (trials, answered (LK_TASK_MATCH, (guint[]) { 0, 3, 4, 5 }, 4, 2));
  g_ptr_array_add (trials, answered (LK_TASK_MATCH, (guint[]) { 0, 4, 3, 5 }, 4, 2));
  pairs = lk_trial_draw_match_pairs (trials, 6, &n_pairs);
  g_assert_cmpuint (pairs[0], ==, 4);
  g_assert_cmpuint (n_pairs, ==, 1);
  g_clear_pointer (&pairs, g_free);

  g_ptr_array_add (trials, answered (LK_TASK_MATCH, (guint[]) { 0, 3, 1, 2 }, 4, 1));
  g_ptr_array_add (trials, answered (LK_TASK_MATCH, (guint[]) { 1, 2, 5 }, 3, LK_TRIAL_NONE));
  g_ptr_array_add (trials, answered (LK_TASK_MATCH, (guint[]) { 1, 2, 5 }, 3,
                                     LK_TRIAL_UNANSWERED));
  g_ptr_array_add (trials, answered (LK_TASK_TRIPLET, (guint[]) { 1, 2, 5 }, 3, 3));
  g_ptr_array_add (trials, answered (LK_TASK_CHOICE5, (guint[]) { 5, 1, 2, 3, 4, 0 }, 6, 1));
  g_ptr_array_add (trials, answered (LK_TASK_MATCH, (guint[]) { 2, 1, 0 }, 3, 2));
  pairs = lk_trial_draw_match_pairs (trials, 6, &n_pairs);
  g_assert_cmpmem (pairs, sizeof expected, expected, sizeof expected);
  g_assert_cmpuint (n_pairs, ==, 2);
  g_clear_pointer (&pairs, g_free);

  /* No trials: no pairs. */
  g_ptr_array_set_size (trials, 0);
  pairs = lk_trial_draw_match_pairs (trials, 6, &n_pairs);
  g_assert_cmpuint (n_pairs, ==, 0);
  for (guint i = 0; i < 6; i++)
    g_assert_cmpuint (pairs[i], ==, G_MAXUINT);
}

static void
test_match_pages (void)
{
  g_autoptr(gsl_rng) rng = lk_rng_new (4);
  guint pairs[30], n_paired = 0, n_unpaired = 0, queries = 0;
  LkTrialDrawContext ctx = { 0 };

  for (guint i = 0; i < 30; i++)
    pairs[i] = i % 2 == 0 ? i + 1 : G_MAXUINT;
  ctx.n_items = 30;
  ctx.pairs = pairs;
  ctx.n_pairs = 30;
  /* Q is uniform over the collection: a page of a Q with a partner holds it at @key, a page
   * of any other Q has no key. Over 200 pages both kinds come up. */
  for (guint i = 0; i < 200; i++)
    {
      g_autoptr(LkTrial) t = lk_trial_draw (LK_TASK_MATCH, &ctx, rng, NULL);

      g_assert_true (lk_trial_validate (t, NULL));
      g_assert_cmpuint (t->n_items, ==, 1 + LK_MATCH_DEFAULT_PAGE);
      if (t->items[0] % 2 == 0)
        {
          g_assert_cmpint (t->key, >, 0);
          g_assert_cmpuint (t->items[t->key], ==, t->items[0] + 1);
          n_paired++;
        }
      else
        {
          g_assert_cmpint (t->key, ==, -1);
          n_unpaired++;
        }
    }
  g_assert_cmpuint (n_paired, >, 50);
  g_assert_cmpuint (n_unpaired, >, 50);

  /* One known pair does not make every page that pair's: the pages a study shows go on
   * collecting new pairs (they all showed Q 0 once it had a partner, bench-scores found). */
  for (guint i = 0; i < 30; i++)
    pairs[i] = G_MAXUINT;
  pairs[0] = 1;
  for (guint i = 0; i < 50; i++)
    {
      g_autoptr(LkTrial) t = lk_trial_draw (LK_TASK_MATCH, &ctx, rng, NULL);

      queries |= 1u << t->items[0];
    }
  g_assert_cmpuint (__builtin_popcount (queries), >, 15);

  /* A page larger than the collection is the whole collection but Q. */
  ctx.match_page = 100;
  {
    g_autoptr(LkTrial) t = lk_trial_draw (LK_TASK_MATCH, &ctx, rng, NULL);

    g_assert_true (lk_trial_validate (t, NULL));
    g_assert_cmpuint (t->n_items, ==, 30);
  }

  /* Without pairs: no key. */
  ctx.pairs = NULL;
  ctx.match_page = 5;
  {
    g_autoptr(LkTrial) t = lk_trial_draw (LK_TASK_MATCH, &ctx, rng, NULL);

    g_assert_true (lk_trial_validate (t, NULL));
    g_assert_cmpuint (t->n_items, ==, 6);
    g_assert_cmpint (t->key, ==, -1);
  }
}

/* Clusters given: cluster c holds items 10 c .. 10 c + 9 of 3 clusters, plus a cluster of 3.
 * Every HIT has 7 of one big cluster and its key at the one from another cluster. */
static void
test_intruder_clusters (void)
{
  g_autoptr(gsl_rng) rng = lk_rng_new (6);
  guint clusters[33];
  LkTrialDrawContext ctx = { 0 };
  guint small_main = 0, small_intruder = 0;

  for (guint i = 0; i < 33; i++)
    clusters[i] = i / 10;
  ctx.n_items = 33;
  ctx.clusters = clusters;
  ctx.n_clusters = 4;
  for (guint i = 0; i < 300; i++)
    {
      g_autoptr(LkTrial) t = lk_trial_draw (LK_TASK_INTRUDER, &ctx, rng, NULL);
      guint odd, main_c = G_MAXUINT;

      g_assert_true (lk_trial_validate (t, NULL));
      g_assert_cmpint (t->key, >=, 0);
      odd = clusters[t->items[t->key]];
      for (guint j = 0; j < 8; j++)
        if ((gint) j != t->key)
          {
            if (main_c == G_MAXUINT)
              main_c = clusters[t->items[j]];
            g_assert_cmpuint (clusters[t->items[j]], ==, main_c);
          }
      g_assert_cmpuint (odd, !=, main_c);
      small_main += main_c == 3;
      small_intruder += odd == 3;
    }
  /* The cluster of 3 is never the main one, but can be the intruder's. */
  g_assert_cmpuint (small_main, ==, 0);
  g_assert_cmpuint (small_intruder, >, 0);

  /* From k-means of the learned embedding: two groups far apart on a line. */
  {
    g_autofree double *x = g_new (double, 20);
    g_autoptr(LkEmbedding) e = NULL;
    g_autoptr(LkTrial) t = NULL;
    guint low = 0;

    for (guint i = 0; i < 20; i++)
      x[i] = i < 10 ? i * 0.01 : 100.0 + i * 0.01;
    e = lk_embedding_new_from_data (x, 20, 1);
    memset (&ctx, 0, sizeof ctx);
    ctx.n_items = 20;
    ctx.learned = e;
    ctx.n_clusters = 2;
    t = lk_trial_draw (LK_TASK_INTRUDER, &ctx, rng, NULL);
    g_assert_true (lk_trial_validate (t, NULL));
    for (guint j = 0; j < 8; j++)
      low += t->items[j] < 10;
    /* 7 from one group, the key from the other. */
    g_assert_true (low == 7 || low == 1);
    g_assert_cmpint (t->items[t->key] < 10, ==, low == 1);
  }
}

static void
test_errors (void)
{
  g_autoptr(gsl_rng) rng = lk_rng_new (1);
  guint clusters[20] = { 0 };
  LkTrialDrawContext ctx = { 0 };
  struct {
    LkTaskKind  kind;
    const char *policy;
    guint       n_items;
    const char *message;
  } cases[] = {
    { LK_TASK_SORT, NULL, 20, "grid" },
    { LK_TASK_CHOICE5, "pair", 20, "pairs" },
    { LK_TASK_CHOICE5, "model-vs-model", 20, "learned" },
    { LK_TASK_CHOICE5, "best", 20, "Unknown" },
    { LK_TASK_TRIPLET, "best", 20, "Unknown" },
    { LK_TASK_TRIPLET, NULL, 2, "at least 3" },
    { LK_TASK_CHOICE5, NULL, 5, "at least 6" },
    { LK_TASK_INTRUDER, NULL, 20, "two clusters" },
  };

  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(LkTrial) t = NULL;

      memset (&ctx, 0, sizeof ctx);
      ctx.n_items = cases[c].n_items;
      ctx.policy = cases[c].policy;
      ctx.clusters = clusters;    /* all in one cluster: no intruder */
      t = lk_trial_draw (cases[c].kind, &ctx, rng, &error);
      g_assert_null (t);
      g_assert_error (error, LK_CORE_ERROR, LK_CORE_ERROR_INVALID_ARGUMENT);
      g_assert_nonnull (strstr (error->message, cases[c].message));
    }
}

/* Simulated answers on a line: item i at i (features), so every answer is known by hand. */
static void
test_simulated_answers (void)
{
  double f[12];
  g_autoptr(LkDataset) truth = NULL;
  g_autoptr(gsl_rng) rng = lk_rng_new (2);
  const guint tq[] = { 5, 6, 9 }, tb[] = { 5, 9, 6 }, tie[] = { 5, 4, 6 };
  const guint c5[] = { 0, 9, 7, 3, 11, 5 };
  const guint m[] = { 6, 1, 9, 2, 8 };
  const guint in[] = { 0, 1, 2, 11, 3, 4, 5, 6 };
  const struct {
    LkTaskKind   kind;
    const guint *items;
    guint        n;
    gint         expected;
  } cases[] = {
    { LK_TASK_TRIPLET, tq, 3, LK_TRIPLET_ANSWER_A_CLOSER },   /* |5-6| < |5-9| */
    { LK_TASK_TRIPLET, tb, 3, LK_TRIPLET_ANSWER_B_CLOSER },
    { LK_TASK_TRIPLET, tie, 3, LK_TRIPLET_ANSWER_BOTH_SIMILAR },
    { LK_TASK_CHOICE5, c5, 6, 3 },                            /* 3 is nearest 0 */
    { LK_TASK_MATCH, m, 5, 4 },                               /* 8 is nearest 6 (7 absent) */
    { LK_TASK_INTRUDER, in, 8, 3 },                           /* 11 is far from 0..6 */
  };

  for (guint i = 0; i < 12; i++)
    f[i] = i;
  truth = lk_dataset_new (12, 1, f, NULL);

  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      g_autoptr(LkTrial) t = lk_trial_new (cases[c].kind, cases[c].items, cases[c].n);

      lk_simulate_answer_trial (truth, t, NULL, rng);
      g_assert_cmpint (t->choice, ==, cases[c].expected);
      g_assert_true (lk_trial_validate (t, NULL));
    }

  /* The side a triplet was shown on does not change the answer, which is about A and B. */
  {
    g_autoptr(LkTrial) t = lk_trial_new (LK_TASK_TRIPLET, tq, 3);

    t->swapped = TRUE;
    lk_simulate_answer_trial (truth, t, NULL, rng);
    g_assert_cmpint (t->choice, ==, LK_TRIPLET_ANSWER_A_CLOSER);
  }

  /* Noise: everything "left out": triplets order nothing, a match page is "none", a forced
   * choice is a guess; everything random: every answer of the kind occurs. */
  {
    LkNoise out = { 0.0, 1.0 }, random = { 1.0, 0.0 };
    guint seen[5] = { 0 }, seen_c5[6] = { 0 };

    for (guint i = 0; i < 200; i++)
      {
        g_autoptr(LkTrial) t = lk_trial_new (LK_TASK_TRIPLET, tq, 3);
        g_autoptr(LkTrial) mt = lk_trial_new (LK_TASK_MATCH, m, 5);
        g_autoptr(LkTrial) r = lk_trial_new (LK_TASK_TRIPLET, tq, 3);
        g_autoptr(LkTrial) c = lk_trial_new (LK_TASK_CHOICE5, c5, 6);

        lk_simulate_answer_trial (truth, t, &out, rng);
        g_assert_true (t->choice == LK_TRIPLET_ANSWER_BOTH_SIMILAR ||
                       t->choice == LK_TRIPLET_ANSWER_BOTH_DISSIMILAR);
        lk_simulate_answer_trial (truth, mt, &out, rng);
        g_assert_cmpint (mt->choice, ==, LK_TRIAL_NONE);
        lk_simulate_answer_trial (truth, r, &random, rng);
        seen[r->choice]++;
        lk_simulate_answer_trial (truth, c, &random, rng);
        g_assert_true (lk_trial_validate (c, NULL));
        seen_c5[c->choice]++;
      }
    for (guint a = 1; a <= 4; a++)
      g_assert_cmpuint (seen[a], >, 20);
    for (guint p = 1; p <= 5; p++)
      g_assert_cmpuint (seen_c5[p], >, 15);
  }
}

/* Drawn triplets answered by the noise-free crowd imply comparisons the truth agrees with. */
static void
test_draw_answer_comparisons (void)
{
  g_autoptr(LkDataset) truth = lk_dataset_new_from_spec ("colors:300", 4, NULL);
  g_autoptr(LkEmbedding) e = lk_embedding_new_from_data (lk_dataset_get_features (truth), 300, 3);
  g_autoptr(gsl_rng) rng = lk_rng_new (12);
  g_autoptr(GArray) cmps = g_array_new (FALSE, FALSE, sizeof (LkTrialComparison));
  LkTrialDrawContext ctx = { 0 };

  ctx.n_items = 300;
  ctx.learned = e;
  ctx.random_share = LK_TRIAL_DRAW_RANDOM_SHARE;
  for (guint i = 0; i < 100; i++)
    {
      g_autoptr(LkTrial) t = lk_trial_draw (LK_TASK_TRIPLET, &ctx, rng, NULL);

      lk_simulate_answer_trial (truth, t, NULL, rng);
      lk_trial_comparisons (t, cmps);
    }
  g_assert_cmpuint (cmps->len, ==, 100);
  for (guint i = 0; i < cmps->len; i++)
    {
      const LkTrialComparison *c = &g_array_index (cmps, LkTrialComparison, i);

      g_assert_cmpfloat (lk_embedding_distance (e, c->anchor, c->near), <,
                         lk_embedding_distance (e, c->anchor, c->far));
    }
}

/* attributes:N's descriptor shows the first attribute in its first channel and nothing else;
 * the other sets' descriptor is their features. */
static void
test_descriptor (void)
{
  g_autoptr(LkDataset) a = lk_dataset_new_from_spec ("attributes:200", 3, NULL);
  g_autoptr(LkDataset) c = lk_dataset_new_from_spec ("colors:50", 3, NULL);
  guint n_attr, dim;
  const guint *values = lk_dataset_get_attributes (a, &n_attr);
  const double *d = lk_dataset_get_descriptor (a, &dim);

  g_assert_cmpuint (dim, ==, 3);
  for (guint i = 0; i < 200; i++)
    {
      g_assert_cmpint (d[i * 3] >= 0.5, ==, values[i * n_attr] == 1);
      for (guint k = 0; k < 3; k++)
        g_assert_true (d[i * 3 + k] >= 0.0 && d[i * 3 + k] < 1.0);
    }
  g_assert_true (lk_dataset_get_descriptor (c, &dim) == lk_dataset_get_features (c));
  g_assert_cmpuint (dim, ==, 3);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/lk/core/trial-draw/triplet-neighbours", test_triplet_neighbours);
  g_test_add_func ("/lk/core/trial-draw/triplet-mix", test_triplet_mix);
  g_test_add_func ("/lk/core/trial-draw/deterministic", test_deterministic);
  g_test_add_func ("/lk/core/trial-draw/choice5-policies", test_choice5_policies);
  g_test_add_func ("/lk/core/trial-draw/match-pages", test_match_pages);
  g_test_add_func ("/lk/core/trial-draw/match-pairs", test_match_pairs);
  g_test_add_func ("/lk/core/trial-draw/intruder-clusters", test_intruder_clusters);
  g_test_add_func ("/lk/core/trial-draw/errors", test_errors);
  g_test_add_func ("/lk/core/trial-draw/simulated-answers", test_simulated_answers);
  g_test_add_func ("/lk/core/trial-draw/draw-answer-comparisons", test_draw_answer_comparisons);
  g_test_add_func ("/lk/core/trial-draw/descriptor", test_descriptor);

  return g_test_run ();
}
