/* test-metrics.c — k-NN recall, cluster matching and co-occurrence locality, worked by hand
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <gsl/gsl_randist.h>

#include "lk-core.h"
#include "lk-metrics-private.h"

/* Every metric here is a ratio of small integers computed in double: 1e-12 is rounding only. */
#define EXACT 1e-12

/* Four items, true neighbours in rows of 3 (only the first k count), learned ones in rows of 2:
 *   item  truth      learned   hits at k = 2     at k = 1
 *   0     1 2 (3)    2 1       2                 0 (1 vs 2)
 *   1     0 3 (2)    3 2       1 (3)             0 (0 vs 3)
 *   2     3 1 (0)    0 1       1 (1; 0 is third) 0 (3 vs 0)
 *   3     2 0 (1)    1 0       1 (0)             0 (2 vs 1)
 * k = 2: recall (2 + 1 + 1 + 1) / 8 = 0.625, histogram {0, 3, 1}; k = 1: recall 0, {4, 0}. */
static void
test_knn_recall (void)
{
  const guint truth[] = { 1, 2, 3,  0, 3, 2,  3, 1, 0,  2, 0, 1 };
  const guint learned[] = { 2, 1,  3, 2,  0, 1,  1, 0 };
  guint histogram[3] = { 99, 99, 99 };

  g_assert_cmpfloat_with_epsilon (lk_metrics_knn_recall (truth, 3, learned, 2, 4, 2, histogram),
                                  0.625, EXACT);
  g_assert_cmpuint (histogram[0], ==, 0);
  g_assert_cmpuint (histogram[1], ==, 3);
  g_assert_cmpuint (histogram[2], ==, 1);

  histogram[2] = 99;
  g_assert_cmpfloat_with_epsilon (lk_metrics_knn_recall (truth, 3, learned, 2, 4, 1, histogram),
                                  0.0, EXACT);
  g_assert_cmpuint (histogram[0], ==, 4);
  g_assert_cmpuint (histogram[1], ==, 0);
  /* Only k + 1 entries are written. */
  g_assert_cmpuint (histogram[2], ==, 99);

  /* The tables against themselves: perfect recall, and no histogram asked for. */
  g_assert_cmpfloat_with_epsilon (lk_metrics_knn_recall (truth, 3, truth, 3, 4, 3, NULL),
                                  1.0, EXACT);
}

/* Three clusters, two labels, and five unlabelled items. The labelled contingency is
 *              label 0   label 1
 *   cluster 0     5         4
 *   cluster 1     4         0
 *   cluster 2     1         0
 * Greedy matching takes the largest cell first, (0, 0) = 5, and is then left with 0 for
 * label 1: 5 of 14 agree. The optimum matches cluster 0 to label 1 and cluster 1 to label 0:
 * 4 + 4 = 8 of 14 agree, error 6 / 14 = 3 / 7. The unlabelled items sit in clusters 1 and 2
 * and change nothing (were they counted as labelled and wrong, the error would be 11 / 19). */
static void
test_matching_error (void)
{
  g_autofree guint *clusters = g_new (guint, 19);
  g_autofree gint *labels = g_new (gint, 19);
  const struct { guint cluster; gint label; guint times; } cells[] = {
    { 0, 0, 2 }, { 1, -1, 3 }, { 0, 1, 4 }, { 1, 0, 4 }, { 2, -1, 2 }, { 2, 0, 1 }, { 0, 0, 3 },
  };
  guint n = 0;

  for (guint c = 0; c < G_N_ELEMENTS (cells); c++)
    for (guint t = 0; t < cells[c].times; t++)
      {
        clusters[n] = cells[c].cluster;
        labels[n] = cells[c].label;
        n++;
      }
  g_assert_cmpuint (n, ==, 19);

  g_assert_cmpfloat_with_epsilon (lk_metrics_matching_error (clusters, labels, n, 3, 2),
                                  3.0 / 7.0, EXACT);
}

/* The matching itself, on the contingency of test_matching_error: label 0 goes to cluster 1
 * (4 agree) and label 1 to cluster 0 (4 agree), 8 in all. With one cluster only, it goes to
 * the label it shares most with, label 0 (5 + 4 + 1 = 10 against 4 of label 1), and label 1 is
 * left without one (-1). */
static void
test_match_clusters (void)
{
  const struct { guint cluster; gint label; guint times; } cells[] = {
    { 0, 0, 5 }, { 0, 1, 4 }, { 1, 0, 4 }, { 2, 0, 1 }, { 1, -1, 3 }, { 2, -1, 2 },
  };
  guint clusters[19], ones[19];
  gint labels[19], matched[2];
  guint n = 0;

  for (guint c = 0; c < G_N_ELEMENTS (cells); c++)
    for (guint t = 0; t < cells[c].times; t++)
      {
        clusters[n] = cells[c].cluster;
        ones[n] = 0;
        labels[n] = cells[c].label;
        n++;
      }
  g_assert_cmpuint (n, ==, 19);

  g_assert_cmpuint (lk_metrics_match_clusters (clusters, labels, n, 3, 2, matched), ==, 8);
  g_assert_cmpint (matched[0], ==, 1);
  g_assert_cmpint (matched[1], ==, 0);

  g_assert_cmpuint (lk_metrics_match_clusters (ones, labels, n, 1, 2, matched), ==, 10);
  g_assert_cmpint (matched[0], ==, 0);
  g_assert_cmpint (matched[1], ==, -1);
}

/* A relabelled copy of the labels is a perfect match; nothing labelled is no error. */
static void
test_matching_permutation (void)
{
  const gint labels[] = { 2, 0, 1, 1, -1, 3, 2, 0, 3, -1 };
  const guint perm[] = { 3, 1, 0, 2 };
  const gint none[] = { -1, -1, -1 };
  const guint zeros[] = { 0, 0, 0 };
  guint clusters[G_N_ELEMENTS (labels)];

  for (guint i = 0; i < G_N_ELEMENTS (labels); i++)
    clusters[i] = labels[i] >= 0 ? perm[labels[i]] : 1;

  g_assert_cmpfloat_with_epsilon (lk_metrics_matching_error (clusters, labels,
                                                             G_N_ELEMENTS (labels), 4, 4),
                                  0.0, EXACT);
  g_assert_cmpfloat_with_epsilon (lk_metrics_matching_error (zeros, none, 3, 1, 1), 0.0, EXACT);
}

/* Four well-separated blobs (centres 6 or more apart, sd 0.3) with labels that are a
 * permutation of the blob numbers, some items unlabelled: k-means recovers the blobs, so the
 * cluster error is 0. */
static void
test_cluster_error_blobs (void)
{
  const double centres[4][3] = {
    { -7.3, 2.1, 0.4 }, { 4.85, 3.6, -1.2 }, { -1.2, -6.45, 2.2 }, { 6.2, -3.3, 0.9 },
  };
  const gint blob_label[] = { 2, 0, 3, 1 };
  const guint per_blob = 30, n = 4 * per_blob;
  g_autoptr(gsl_rng) data_rng = lk_rng_new (13);
  g_autoptr(gsl_rng) rng = lk_rng_new (17);
  g_autofree double *points = g_new (double, n * 3);
  g_autofree gint *labels = g_new (gint, n);

  for (guint i = 0; i < n; i++)
    {
      guint b = i % 4;

      for (guint c = 0; c < 3; c++)
        points[i * 3 + c] = centres[b][c] + gsl_ran_gaussian (data_rng, 0.3);
      labels[i] = i % 7 == 0 ? -1 : blob_label[b];
    }

  g_assert_cmpfloat_with_epsilon (lk_metrics_cluster_error (points, n, 3, labels, 4, rng),
                                  0.0, EXACT);
}

/* Seven points in two groups far apart in the plane: A = items 0 to 2 near (0.6, 0.5), B =
 * items 3 to 6 near (9.8, 9.1). The labels name the groups the other way round (A is label 1,
 * B label 0), item 2 of A is mislabelled 0, and item 6 of B has no label. k-means (k = 2)
 * finds A and B, whatever their cluster numbers; the matching pairs label 0 with B (3 agree:
 * items 3, 4, 5) and label 1 with A (2 agree: items 0, 1), 5 of the 6 labelled, against 1 the
 * other way. Columns are in matched order, so
 *            column 0 (B)   column 1 (A)
 *   label 0       3              1          (items 3, 4, 5; item 2)
 *   label 1       0              2          (items 0, 1)
 * and the error is 1 / 6. The same with another seed of k-means, and the cluster error is
 * the table's. */
static void
test_cluster_table (void)
{
  const double points[] = {
    0.3, 0.2,  0.5, 0.9,  1.1, 0.4,  9.7, 8.4,  10.2, 9.1,  9.4, 9.8,  9.9, 9.05,
  };
  const gint labels[] = { 1, 1, 0, 0, 0, 0, -1 };
  const guint expected[] = { 3, 1, 0, 2 };
  const guint64 seeds[] = { 3, 11 };

  for (guint s = 0; s < G_N_ELEMENTS (seeds); s++)
    {
      g_autoptr(gsl_rng) rng = lk_rng_new (seeds[s]);
      g_autoptr(gsl_rng) rng2 = lk_rng_new (seeds[s]);
      g_autoptr(LkClusterTable) table = lk_metrics_cluster_table (points, 7, 2, labels, 2, rng);
      g_autoptr(LkClusterTable) copy = lk_cluster_table_copy (table);

      g_assert_cmpuint (table->n_labels, ==, 2);
      g_assert_cmpuint (table->n_labelled, ==, 6);
      g_assert_cmpmem (table->counts, sizeof expected, expected, sizeof expected);
      g_assert_cmpfloat_with_epsilon (table->error, 1.0 / 6.0, EXACT);
      g_assert_cmpfloat (lk_metrics_cluster_error (points, 7, 2, labels, 2, rng2), ==,
                         table->error);
      g_assert_true (copy->counts != table->counts);
      g_assert_cmpmem (copy->counts, sizeof expected, expected, sizeof expected);
      g_assert_cmpfloat (copy->error, ==, table->error);
    }
}

/* Six items; the grid-mate counts (shared) are
 *   (0, 2) 5, (0, 1) 3, (0, 3) 1 + 2 = 3 (two calls), (0, 4) 1, (1, 2) 2, (2, 3) 2;
 * item 5 never shared a grid. The together counts disagree with shared on purpose: (0, 4)
 * has the most positives but the fewest co-occurrences.
 * Top 2 grid-mates, ties by smaller id:
 *   0: 2 (5), then 1 and 3 tie at 3 -> 2 1      1: 0 2      2: 0, then 1 and 3 tie -> 0 1
 *   3: 0 2                                        4: 0 (only one)
 * True neighbours (first 2 of rows of 3) and the share of top mates among them:
 *   0: 4 5 (1)  -> 0 / 2      1: 2 5 (0) -> 1 / 2      2: 1 0 (3) -> 2 / 2
 *   3: 2 5 (0)  -> 1 / 2      4: 0 1 (2) -> 1 / 1      5: no grid-mates, not counted
 * Locality = (0 + 0.5 + 1 + 0.5 + 1) / 5 = 0.6. Breaking item 2's tie the other way (0 3)
 * would give 0.5, and so would counting item 5. */
static LkEvidence *
hand_built_evidence (void)
{
  LkEvidence *ev = lk_evidence_new (6);

  lk_evidence_add_counts (ev, 1, 0, 0, 3, 3);
  lk_evidence_add_counts (ev, 0, 2, 1, 4, 5);
  lk_evidence_add_counts (ev, 3, 0, 1, 0, 1);
  lk_evidence_add_counts (ev, 0, 3, 1, 1, 2);
  lk_evidence_add_counts (ev, 4, 0, 7, 0, 1);
  lk_evidence_add_counts (ev, 1, 2, 0, 2, 2);
  lk_evidence_add_counts (ev, 2, 3, 2, 0, 2);

  return ev;
}

static void
test_cooccurrence_locality (void)
{
  const guint truth[] = { 4, 5, 1,  2, 5, 0,  1, 0, 3,  2, 5, 0,  0, 1, 2,  0, 1, 2 };
  g_autoptr(LkEvidence) ev = hand_built_evidence ();
  g_autoptr(LkEvidence) empty = lk_evidence_new (6);

  g_assert_cmpfloat_with_epsilon (lk_metrics_cooccurrence_locality (ev, truth, 3, 2, 2),
                                  0.6, EXACT);
  /* With all three true neighbours near: 0 -> 1/2, 1 -> 2/2, 2 -> 2/2, 3 -> 2/2, 4 -> 1/1. */
  g_assert_cmpfloat_with_epsilon (lk_metrics_cooccurrence_locality (ev, truth, 3, 3, 2),
                                  0.9, EXACT);
  /* Top 1: 0 -> 2 (no), 1 -> 0 (no), 2 -> 0 (yes), 3 -> 0 (no), 4 -> 0 (yes). */
  g_assert_cmpfloat_with_epsilon (lk_metrics_cooccurrence_locality (ev, truth, 3, 2, 1),
                                  0.4, EXACT);
  g_assert_cmpfloat_with_epsilon (lk_metrics_cooccurrence_locality (empty, truth, 3, 2, 2),
                                  0.0, EXACT);
}

/* The locality's top grid-mates are chosen by insertion into a buffer of @top, the top mates
 * list by a full sort: on random evidence with many ties (counts 1 to 3, 40 items, about half
 * the pairs), the locality equals the one computed here from lk_metrics_top_grid_mates(), for
 * buffers smaller than, near and larger than an item's number of grid-mates. */
static void
test_cooccurrence_locality_random (void)
{
  const guint n = 40, stride = 6;
  g_autoptr(LkEvidence) ev = lk_evidence_new (n);
  g_autofree guint *truth = g_new (guint, n * stride);
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  const guint tops[] = { 1, 3, 7, 19, 20, 21, 50 };

  for (guint a = 0; a < n; a++)
    for (guint b = a + 1; b < n; b++)
      if (g_rand_boolean (rand))
        lk_evidence_add_counts (ev, b, a, 0, 0, g_rand_int_range (rand, 1, 4));
  for (guint i = 0; i < n; i++)
    for (guint c = 0; c < stride; c++)
      truth[i * stride + c] = (i + 1 + g_rand_int_range (rand, 0, n - 1)) % n;

  for (guint t = 0; t < G_N_ELEMENTS (tops); t++)
    for (guint n_true = 1; n_true <= stride; n_true += stride - 1)
      {
        double sum = 0.0;
        guint counted = 0;

        for (guint i = 0; i < n; i++)
          {
            guint n_mates = 0, hits = 0;
            g_autofree guint *mates = lk_metrics_top_grid_mates (ev, i, tops[t], &n_mates);

            if (n_mates == 0)
              continue;
            for (guint e = 0; e < n_mates; e++)
              for (guint c = 0; c < n_true; c++)
                if (truth[i * stride + c] == mates[e])
                  {
                    hits++;
                    break;
                  }
            sum += (double) hits / n_mates;
            counted++;
          }
        g_assert_cmpuint (counted, >, 0);
        g_assert_cmpfloat_with_epsilon (lk_metrics_cooccurrence_locality (ev, truth, stride, n_true,
                                                                          tops[t]),
                                        sum / counted, EXACT);
      }
}

static void
assert_mates (LkEvidence  *ev,
              guint        item,
              guint        top,
              const guint *expected,
              guint        n_expected)
{
  guint n = G_MAXUINT;
  g_autofree guint *mates = lk_metrics_top_grid_mates (ev, item, top, &n);

  g_assert_cmpuint (n, ==, n_expected);
  for (guint e = 0; e < n_expected; e++)
    g_assert_cmpuint (mates[e], ==, expected[e]);
}

static void
test_top_grid_mates (void)
{
  g_autoptr(LkEvidence) ev = hand_built_evidence ();

  assert_mates (ev, 0, 2, (const guint[]) { 2, 1 }, 2);
  assert_mates (ev, 0, 3, (const guint[]) { 2, 1, 3 }, 3);
  assert_mates (ev, 0, 10, (const guint[]) { 2, 1, 3, 4 }, 4);
  assert_mates (ev, 2, 2, (const guint[]) { 0, 1 }, 2);
  assert_mates (ev, 2, 3, (const guint[]) { 0, 1, 3 }, 3);
  assert_mates (ev, 3, 5, (const guint[]) { 0, 2 }, 2);
  assert_mates (ev, 4, 2, (const guint[]) { 0 }, 1);
  assert_mates (ev, 5, 2, NULL, 0);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/lk/core/metrics/knn-recall", test_knn_recall);
  g_test_add_func ("/lk/core/metrics/matching-error", test_matching_error);
  g_test_add_func ("/lk/core/metrics/matching-permutation", test_matching_permutation);
  g_test_add_func ("/lk/core/metrics/match-clusters", test_match_clusters);
  g_test_add_func ("/lk/core/metrics/cluster-error-blobs", test_cluster_error_blobs);
  g_test_add_func ("/lk/core/metrics/cluster-table", test_cluster_table);
  g_test_add_func ("/lk/core/metrics/cooccurrence-locality", test_cooccurrence_locality);
  g_test_add_func ("/lk/core/metrics/cooccurrence-locality-random",
                   test_cooccurrence_locality_random);
  g_test_add_func ("/lk/core/metrics/top-grid-mates", test_top_grid_mates);

  return g_test_run ();
}
