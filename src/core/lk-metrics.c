/* lk-metrics.c — the evaluation metrics of the paper (*Toward Semantic Image Similarity from
 * Crowdsourced Clustering*, `000_b28b33f9dbf275aa.txt`, section 4)
 *
 *  - k-NN recall (Fig. 5, Fig. 10): for each item |true k-NN ∩ learned k-NN| / k, averaged;
 *    the histogram of the intersection sizes is Fig. 5.
 *  - Cluster error (Fig. 6): k-means on the embedding with as many clusters as labels (10
 *    seeded restarts), clusters matched one-to-one to labels so as to maximise agreement
 *    (Hungarian method), error = share of labelled items outside their label's cluster.
 *  - Co-occurrence locality (Fig. 9, as a number): for each item, the share of its `top` most
 *    frequent grid-mates (ties broken by smaller id) that are among its `n_true` true nearest
 *    neighbours, averaged over items that shared a grid with anyone.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "lk-metrics.h"
#include "lk-metrics-private.h"

#include <stdlib.h>
#include <string.h>

#include "lk-kmeans.h"

/* k-means restarts for the cluster error and its table; the lowest inertia wins. */
#define CLUSTER_RESTARTS 10

/**
 * lk_metrics_knn_recall:
 * @truth: (array): true neighbour table, @truth_stride ids per item, nearest first
 * @truth_stride: row length of @truth, at least @k
 * @learned: (array): learned neighbour table, nearest first
 * @learned_stride: row length of @learned, at least @k
 * @n_items: number of items
 * @k: how many neighbours to compare
 * @histogram: (out caller-allocates) (optional) (array fixed-size=k+1): items per intersection size
 *
 * Returns: mean k-NN recall in [0, 1]
 */
double
lk_metrics_knn_recall (const guint *truth,
                       guint        truth_stride,
                       const guint *learned,
                       guint        learned_stride,
                       guint        n_items,
                       guint        k,
                       guint       *histogram)
{
  gsize hits_total = 0;

  g_return_val_if_fail (truth != NULL && learned != NULL, 0.0);
  g_return_val_if_fail (k >= 1 && k <= truth_stride && k <= learned_stride, 0.0);

  if (histogram != NULL)
    memset (histogram, 0, sizeof (guint) * (k + 1));

  for (guint i = 0; i < n_items; i++)
    {
      const guint *t = truth + (gsize) i * truth_stride;
      const guint *l = learned + (gsize) i * learned_stride;
      guint hits = 0;

      for (guint a = 0; a < k; a++)
        for (guint b = 0; b < k; b++)
          if (t[a] == l[b])
            {
              hits++;
              break;
            }

      hits_total += hits;
      if (histogram != NULL)
        histogram[hits]++;
    }

  return n_items > 0 ? (double) hits_total / ((double) n_items * k) : 0.0;
}

/* Returns the minimum total cost of an assignment of rows to columns of the m x m matrix @cost
 * (Hungarian method with potentials, O(m^3)); @row_of_col gets the row assigned to each column. */
static double
hungarian (const double *cost,
           guint         m,
           guint        *row_of_col)
{
  g_autofree double *u = g_new0 (double, m + 1);
  g_autofree double *v = g_new0 (double, m + 1);
  g_autofree guint *p = g_new0 (guint, m + 1);     /* p[j]: row (1-based) matched to column j */
  g_autofree guint *way = g_new0 (guint, m + 1);
  g_autofree double *minv = g_new (double, m + 1);
  g_autofree gboolean *used = g_new (gboolean, m + 1);
  double total = 0.0;

  for (guint i = 1; i <= m; i++)
    {
      guint j0 = 0;

      p[0] = i;
      for (guint j = 0; j <= m; j++)
        {
          minv[j] = G_MAXDOUBLE;
          used[j] = FALSE;
        }

      do
        {
          guint i0 = p[j0], j1 = 0;
          double delta = G_MAXDOUBLE;

          used[j0] = TRUE;
          for (guint j = 1; j <= m; j++)
            {
              if (used[j])
                continue;
              {
                double cur = cost[(gsize) (i0 - 1) * m + (j - 1)] - u[i0] - v[j];
                if (cur < minv[j])
                  {
                    minv[j] = cur;
                    way[j] = j0;
                  }
                if (minv[j] < delta)
                  {
                    delta = minv[j];
                    j1 = j;
                  }
              }
            }
          for (guint j = 0; j <= m; j++)
            {
              if (used[j])
                {
                  u[p[j]] += delta;
                  v[j] -= delta;
                }
              else
                {
                  minv[j] -= delta;
                }
            }
          j0 = j1;
        }
      while (p[j0] != 0);

      do
        {
          guint j1 = way[j0];
          p[j0] = p[j1];
          j0 = j1;
        }
      while (j0 != 0);
    }

  for (guint j = 1; j <= m; j++)
    {
      row_of_col[j - 1] = p[j] - 1;
      total += cost[(gsize) (p[j] - 1) * m + (j - 1)];
    }

  return total;
}

/**
 * lk_metrics_matching_error:
 * @clusters: (array): a cluster 0..@n_clusters-1 per item
 * @labels: (array): a label 0..@n_labels-1 per item, or -1 for none (not counted)
 * @n_items: number of items
 * @n_clusters: number of clusters
 * @n_labels: number of labels
 *
 * Matches clusters to labels one-to-one so that the most items agree.
 *
 * Returns: the share of labelled items whose cluster is not matched to their label
 */
double
lk_metrics_matching_error (const guint *clusters,
                           const gint  *labels,
                           guint        n_items,
                           guint        n_clusters,
                           guint        n_labels)
{
  g_autofree gint *cluster_of_label = NULL;
  guint n_labelled = 0, matched;

  g_return_val_if_fail (clusters != NULL && labels != NULL, 1.0);

  for (guint i = 0; i < n_items; i++)
    n_labelled += labels[i] >= 0;
  if (n_labelled == 0)
    return 0.0;

  cluster_of_label = g_new (gint, MAX (n_labels, 1));
  matched = lk_metrics_match_clusters (clusters, labels, n_items, n_clusters, n_labels,
                                       cluster_of_label);

  return 1.0 - (double) matched / n_labelled;
}

/**
 * lk_metrics_match_clusters:
 * @clusters: (array): a cluster 0..@n_clusters-1 per item
 * @labels: (array): a label 0..@n_labels-1 per item, or -1 for none (not counted)
 * @n_items: number of items
 * @n_clusters: number of clusters
 * @n_labels: number of labels
 * @cluster_of_label: (out caller-allocates) (array): @n_labels entries, each the cluster
 *   matched to that label, or -1 when the label is left unmatched (fewer clusters than labels)
 *
 * The one-to-one matching of lk_metrics_matching_error(), clusters to labels so that the most
 * labelled items agree.
 *
 * Returns: the number of labelled items whose cluster is matched to their label
 */
guint
lk_metrics_match_clusters (const guint *clusters,
                           const gint  *labels,
                           guint        n_items,
                           guint        n_clusters,
                           guint        n_labels,
                           gint        *cluster_of_label)
{
  guint m = MAX (n_clusters, n_labels);
  g_autofree double *cost = NULL;
  g_autofree guint *row_of_col = NULL;
  double matched;

  g_return_val_if_fail (clusters != NULL && labels != NULL && cluster_of_label != NULL, 0);

  for (guint j = 0; j < n_labels; j++)
    cluster_of_label[j] = -1;
  if (m == 0)
    return 0;
  cost = g_new0 (double, (gsize) m * m);
  row_of_col = g_new (guint, m);
  for (guint i = 0; i < n_items; i++)
    {
      if (labels[i] < 0)
        continue;
      g_return_val_if_fail ((guint) labels[i] < n_labels && clusters[i] < n_clusters, 0);
      cost[(gsize) clusters[i] * m + labels[i]] -= 1.0;
    }

  matched = -hungarian (cost, m, row_of_col);
  for (guint j = 0; j < n_labels; j++)
    if (row_of_col[j] < n_clusters)
      cluster_of_label[j] = (gint) row_of_col[j];

  return (guint) (matched + 0.5);
}

/**
 * lk_metrics_cluster_table:
 * @points: (array): @n_items x @dim embedding
 * @n_items: number of items
 * @dim: dimension
 * @labels: (array): a label 0..@n_labels-1 per item, -1 for none
 * @n_labels: number of labels (and of k-means clusters), 1 to @n_items
 * @rng: the random source of k-means
 *
 * Splits @points by k-means (ten restarts) into @n_labels clusters, matches clusters one-to-one
 * to labels (Hungarian method, lk_metrics_match_clusters()) and counts labels x matched
 * clusters: column j holds the cluster matched to label j, so the diagonal holds the items
 * clustered correctly (the paper's Fig. 6), and the error is the cluster error.
 *
 * Returns: (transfer full): the table
 */
LkClusterTable *
lk_metrics_cluster_table (const double *points,
                          guint         n_items,
                          guint         dim,
                          const gint   *labels,
                          guint         n_labels,
                          gsl_rng      *rng)
{
  g_autofree guint *clusters = NULL;
  g_autofree gint *cluster_of_label = NULL;
  g_autofree guint *column = NULL;
  LkClusterTable *table;
  guint matched;

  g_return_val_if_fail (points != NULL && labels != NULL && rng != NULL, NULL);
  g_return_val_if_fail (n_labels >= 1 && n_labels <= n_items, NULL);

  clusters = g_new (guint, n_items);
  lk_kmeans (points, n_items, dim, n_labels, CLUSTER_RESTARTS, rng, clusters);
  cluster_of_label = g_new (gint, n_labels);
  matched = lk_metrics_match_clusters (clusters, labels, n_items, n_labels, n_labels,
                                       cluster_of_label);

  /* column[cluster] = the column it is counted in: that of its matched label. With as many
   * clusters as labels every cluster is matched. */
  column = g_new (guint, n_labels);
  for (guint j = 0; j < n_labels; j++)
    column[j] = j;
  for (guint j = 0; j < n_labels; j++)
    if (cluster_of_label[j] >= 0)
      column[cluster_of_label[j]] = j;

  table = g_new0 (LkClusterTable, 1);
  table->n_labels = n_labels;
  table->counts = g_new0 (guint, (gsize) n_labels * n_labels);
  for (guint i = 0; i < n_items; i++)
    if (labels[i] >= 0 && (guint) labels[i] < n_labels)
      {
        table->counts[(gsize) labels[i] * n_labels + column[clusters[i]]]++;
        table->n_labelled++;
      }
  table->error = table->n_labelled > 0 ? 1.0 - (double) matched / table->n_labelled : 0.0;

  return table;
}

LkClusterTable *
lk_cluster_table_copy (const LkClusterTable *table)
{
  LkClusterTable *copy;

  g_return_val_if_fail (table != NULL, NULL);

  copy = g_memdup2 (table, sizeof *table);
  copy->counts = g_memdup2 (table->counts,
                            sizeof (guint) * table->n_labels * table->n_labels);

  return copy;
}

void
lk_cluster_table_free (LkClusterTable *table)
{
  if (table == NULL)
    return;

  g_free (table->counts);
  g_free (table);
}

/**
 * lk_metrics_cluster_error:
 * @points: (array): @n_items x @dim embedding
 * @n_items: number of items
 * @dim: dimension
 * @labels: (array): a label per item, -1 for none
 * @n_labels: number of labels (and of k-means clusters)
 * @rng: the random source of k-means
 *
 * The error of lk_metrics_cluster_table(), for callers that need no table.
 *
 * Returns: the cluster error in [0, 1]
 */
double
lk_metrics_cluster_error (const double *points,
                          guint         n_items,
                          guint         dim,
                          const gint   *labels,
                          guint         n_labels,
                          gsl_rng      *rng)
{
  g_autoptr(LkClusterTable) table = NULL;

  g_return_val_if_fail (points != NULL && labels != NULL && rng != NULL, 1.0);
  g_return_val_if_fail (n_labels >= 1 && n_labels <= n_items, 1.0);

  table = lk_metrics_cluster_table (points, n_items, dim, labels, n_labels, rng);

  return table->error;
}

typedef struct {
  guint  *offsets;      /* n + 1 */
  guint  *partner;
  guint  *count;
  guint  *fill;
} Adjacency;

static void
count_degree_cb (const LkPairCounts *c,
                 gpointer            user_data)
{
  Adjacency *adj = user_data;

  adj->offsets[c->a + 1]++;
  adj->offsets[c->b + 1]++;
}

static void
fill_cb (const LkPairCounts *c,
         gpointer            user_data)
{
  Adjacency *adj = user_data;
  guint pa = adj->offsets[c->a] + adj->fill[c->a]++;
  guint pb = adj->offsets[c->b] + adj->fill[c->b]++;

  adj->partner[pa] = c->b;
  adj->count[pa] = c->shared;
  adj->partner[pb] = c->a;
  adj->count[pb] = c->shared;
}

typedef struct {
  guint partner;
  guint count;
} Mate;

static int
compare_mates (const void *a,
               const void *b)
{
  const Mate *x = a, *y = b;

  if (x->count != y->count)
    return x->count > y->count ? -1 : 1;

  return x->partner < y->partner ? -1 : x->partner > y->partner;
}

/* Returns the sorted grid-mates of @item (most frequent first) from @adj, in @buf. */
static guint
sorted_mates (const Adjacency *adj,
              guint            item,
              Mate            *buf)
{
  guint deg = adj->offsets[item + 1] - adj->offsets[item];

  for (guint e = 0; e < deg; e++)
    {
      buf[e].partner = adj->partner[adj->offsets[item] + e];
      buf[e].count = adj->count[adj->offsets[item] + e];
    }
  qsort (buf, deg, sizeof (Mate), compare_mates);

  return deg;
}

/* Returns TRUE if mate x ranks before mate y in sorted_mates()'s order. */
static inline gboolean
mate_before (guint       x_partner,
             guint       x_count,
             const Mate *y)
{
  return x_count > y->count || (x_count == y->count && x_partner < y->partner);
}

/* Every item's first @top grid-mates in sorted_mates()'s order, kept as they arrive. */
typedef struct {
  guint  top;
  Mate  *mates;         /* n x top */
  guint *len;           /* n */
} TopMates;

/* Offers @partner, met @count times, to @item's list: inserted in order if it ranks among the
 * first @top, so that the lists end as sorting each item's grid-mates and keeping the first
 * @top would leave them (the order is total: ties by partner). */
static inline void
top_mates_offer (TopMates *tm,
                 guint     item,
                 guint     partner,
                 guint     count)
{
  Mate *buf = tm->mates + (gsize) item * tm->top;
  guint len = tm->len[item], at;

  if (len == tm->top && !mate_before (partner, count, &buf[len - 1]))
    return;
  at = len < tm->top ? len : tm->top - 1;
  tm->len[item] = MAX (len, at + 1);
  while (at > 0 && mate_before (partner, count, &buf[at - 1]))
    {
      buf[at] = buf[at - 1];
      at--;
    }
  buf[at].partner = partner;
  buf[at].count = count;
}

static void
top_mates_cb (const LkPairCounts *c,
              gpointer            user_data)
{
  top_mates_offer (user_data, c->a, c->b, c->shared);
  top_mates_offer (user_data, c->b, c->a, c->shared);
}

static void
adjacency_build (Adjacency        *adj,
                 const LkEvidence *evidence)
{
  guint n = lk_evidence_get_n_items (evidence);
  gsize n_pairs = lk_evidence_get_n_pairs (evidence);

  adj->offsets = g_new0 (guint, n + 1);
  adj->partner = g_new (guint, 2 * n_pairs);
  adj->count = g_new (guint, 2 * n_pairs);
  adj->fill = g_new0 (guint, n);

  lk_evidence_foreach (evidence, count_degree_cb, adj);
  for (guint i = 0; i < n; i++)
    adj->offsets[i + 1] += adj->offsets[i];
  lk_evidence_foreach (evidence, fill_cb, adj);
}

static void
adjacency_clear (Adjacency *adj)
{
  g_free (adj->offsets);
  g_free (adj->partner);
  g_free (adj->count);
  g_free (adj->fill);
}

/**
 * lk_metrics_top_grid_mates:
 * @evidence: pair evidence
 * @item: an item
 * @top: how many grid-mates at most
 * @n_out: (out): how many were returned
 *
 * Returns: (transfer full) (array length=n_out): the items that most often shared a grid with
 *   @item, most frequent first, ties by smaller id
 */
guint *
lk_metrics_top_grid_mates (const LkEvidence *evidence,
                           guint             item,
                           guint             top,
                           guint            *n_out)
{
  Adjacency adj = { 0 };
  g_autofree Mate *buf = NULL;
  guint deg, n;
  guint *result;

  g_return_val_if_fail (evidence != NULL && n_out != NULL, NULL);
  g_return_val_if_fail (item < lk_evidence_get_n_items (evidence), NULL);

  adjacency_build (&adj, evidence);
  buf = g_new (Mate, MAX (adj.offsets[item + 1] - adj.offsets[item], 1));
  deg = sorted_mates (&adj, item, buf);
  n = MIN (deg, top);
  result = g_new (guint, MAX (n, 1));
  for (guint e = 0; e < n; e++)
    result[e] = buf[e].partner;
  adjacency_clear (&adj);

  *n_out = n;
  return result;
}

/**
 * lk_metrics_cooccurrence_locality:
 * @evidence: pair evidence
 * @truth: (array): true neighbour table, @truth_stride per item
 * @truth_stride: row length of @truth, at least @n_true
 * @n_true: how many true neighbours count as near (the simulation's reports use 40,
 *   lk-simulate.c)
 * @top: how many most frequent grid-mates to look at (the reports use 20, one grid's images)
 *
 * Returns: the mean share of top grid-mates that are true neighbours, or 0 with no evidence
 */
double
lk_metrics_cooccurrence_locality (const LkEvidence *evidence,
                                  const guint      *truth,
                                  guint             truth_stride,
                                  guint             n_true,
                                  guint             top)
{
  TopMates tm = { 0 };
  guint n, counted = 0;
  double sum = 0.0;

  g_return_val_if_fail (evidence != NULL && truth != NULL, 0.0);
  g_return_val_if_fail (n_true <= truth_stride && top > 0, 0.0);

  n = lk_evidence_get_n_items (evidence);

  /* Each item's first @top grid-mates, offered pair by pair: memory N x @top, where listing
   * every item's grid-mates and sorting them took 16 bytes per pair (320 MB for the 20 million
   * pairs of 120,000 grids of 100,000 images) and O(degree log degree) per item. */
  tm.top = top;
  tm.mates = g_new (Mate, (gsize) n * top);
  tm.len = g_new0 (guint, n);
  lk_evidence_foreach (evidence, top_mates_cb, &tm);

  for (guint i = 0; i < n; i++)
    {
      const Mate *buf = tm.mates + (gsize) i * top;
      guint take = tm.len[i], hits = 0;
      const guint *t = truth + (gsize) i * truth_stride;

      if (take == 0)
        continue;

      for (guint e = 0; e < take; e++)
        for (guint c = 0; c < n_true; c++)
          if (t[c] == buf[e].partner)
            {
              hits++;
              break;
            }

      sum += (double) hits / take;
      counted++;
    }

  g_free (tm.mates);
  g_free (tm.len);

  return counted > 0 ? sum / counted : 0.0;
}
