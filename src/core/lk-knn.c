/* lk-knn.c — exact k-NN: brute force for small or high-dimensional inputs, a k-d tree otherwise
 *
 * Brute force is O(N^2 d) time: milliseconds at a few thousand items, but 0.3 s at 10,000 and
 * half a minute at 100,000, and the refinement asks for a table every phase (query selection,
 * recall). Embeddings and colour features are low-dimensional (3 by default), where a k-d tree
 * answers all N queries in about O(N log N). Both paths give exactly the same table:
 *
 *  - squared distances are summed over the coordinates in order, in double, by the same
 *    expression, so a pair gets bitwise the same number on either path;
 *  - candidates are ordered by (squared distance, id), the brute force's tie rule;
 *  - a subtree is skipped only if the squared distance to its bounding box, summed the same way,
 *    is above the k-th best, or equal to it with every id in the subtree above the k-th best's
 *    id. Rounding is monotone, so the box distance never exceeds the computed distance of a
 *    point inside the box, and nothing that could enter the list is skipped.
 *
 * Non-finite coordinates (which no embedding should have) take the brute-force path, whose
 * comparisons define what happens to them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "lk-knn.h"
#include "lk-knn-private.h"

#include <math.h>

/* Below this many items brute force costs a few milliseconds (k = 40, d = 3, one core: 3.8 ms
 * at 512 items against the tree's 1.9 ms; 0.45 s against 0.054 s at 10,000, and the tree takes
 * 1.4 s at 100,000). Above this dimension a k-d tree prunes little. */
#define TREE_MIN_ITEMS 512
#define TREE_MAX_DIM 8
/* Points per leaf. */
#define LEAF_SIZE 12

/**
 * lk_knn_push:
 * @ids: (array length=k): the neighbour ids found so far, nearest first
 * @best: (array length=k): their squared distances
 * @k: capacity of @ids and @best
 * @filled: (inout): how many entries are in use
 * @id: a candidate
 * @d2: its squared distance
 *
 * Inserts a candidate into a sorted top-k list if it belongs there. Candidates offered in
 * increasing id order keep equal distances ordered by the smaller id, the tie rule of
 * lk_knn_compute(); every k-NN in Likeness goes through here so that they all agree.
 */
void
lk_knn_push (guint  *ids,
             double *best,
             guint   k,
             guint  *filled,
             guint   id,
             double  d2)
{
  guint pos;

  if (*filled == k && d2 >= best[k - 1])
    return;

  pos = *filled < k ? (*filled)++ : k - 1;
  while (pos > 0 && best[pos - 1] > d2)
    {
      best[pos] = best[pos - 1];
      ids[pos] = ids[pos - 1];
      pos--;
    }
  best[pos] = d2;
  ids[pos] = id;
}

/* As lk_knn_push(), for candidates offered in any order: the list is kept sorted by
 * (squared distance, id). */
static inline void
push_any_order (guint  *ids,
                double *best,
                guint   k,
                guint  *filled,
                guint   id,
                double  d2)
{
  guint pos;

  if (*filled == k && (d2 > best[k - 1] || (d2 == best[k - 1] && id > ids[k - 1])))
    return;

  pos = *filled < k ? (*filled)++ : k - 1;
  while (pos > 0 && (best[pos - 1] > d2 || (best[pos - 1] == d2 && ids[pos - 1] > id)))
    {
      best[pos] = best[pos - 1];
      ids[pos] = ids[pos - 1];
      pos--;
    }
  best[pos] = d2;
  ids[pos] = id;
}

static inline double
squared_distance (const double *a,
                  const double *b,
                  guint         dim)
{
  double d2 = 0.0;

  for (guint c = 0; c < dim; c++)
    d2 += (a[c] - b[c]) * (a[c] - b[c]);

  return d2;
}

/**
 * lk_knn_compute_brute:
 *
 * lk_knn_compute() by comparing every pair; the reference the tree is tested against.
 */
guint *
lk_knn_compute_brute (const double *points,
                      guint         n_items,
                      guint         dim,
                      guint         k,
                      double       *distances)
{
  g_autofree double *best = NULL;
  guint *result;

  g_return_val_if_fail (points != NULL, NULL);
  g_return_val_if_fail (k > 0 && k < n_items, NULL);

  result = g_new (guint, (gsize) n_items * k);
  best = g_new (double, k);

  for (guint i = 0; i < n_items; i++)
    {
      const double *pi = points + (gsize) i * dim;
      guint *ids = result + (gsize) i * k;
      guint filled = 0;

      for (guint j = 0; j < n_items; j++)
        {
          if (j == i)
            continue;

          lk_knn_push (ids, best, k, &filled, j, squared_distance (pi, points + (gsize) j * dim, dim));
        }

      if (distances != NULL)
        for (guint c = 0; c < k; c++)
          distances[(gsize) i * k + c] = sqrt (best[c]);
    }

  return result;
}

/* The tree: nodes in an array, children of node v at 2v + 1 and 2v + 2 (a complete split
 * down to leaves of at most LEAF_SIZE points), each with its bounding box and smallest id. */
typedef struct {
  const double *points;
  guint         dim;
  guint        *order;      /* item ids, each node owning the range [start, end) */
  guint        *start;
  guint        *end;
  double       *lo;         /* dim per node */
  double       *hi;
  guint        *min_id;
  guint         n_nodes;
} Tree;

/* Partially sorts order[from, to) so that the element at @nth is in place by (coordinate @axis,
 * id), none before it greater and none after it smaller (quickselect, middle pivot). The keys
 * are distinct, so the split does not depend on how the sort treats equal ones. */
static void
select_nth (const double *points,
            guint         dim,
            guint        *order,
            guint         from,
            guint         to,
            guint         nth,
            guint         axis)
{
#define KEY_LESS(a, b) (points[(gsize) (a) * dim + axis] < points[(gsize) (b) * dim + axis] || \
                        (points[(gsize) (a) * dim + axis] == points[(gsize) (b) * dim + axis] && (a) < (b)))
  while (to - from > 1)
    {
      guint mid = from + (to - from) / 2, pivot = order[mid], store = from, t;

      order[mid] = order[to - 1];
      order[to - 1] = pivot;
      for (guint p = from; p + 1 < to; p++)
        if (KEY_LESS (order[p], pivot))
          {
            t = order[p]; order[p] = order[store]; order[store] = t;
            store++;
          }
      order[to - 1] = order[store];
      order[store] = pivot;

      if (nth == store)
        return;
      if (nth < store)
        to = store;
      else
        from = store + 1;
    }
#undef KEY_LESS
}

static void
tree_build_node (Tree  *tree,
                 guint  v,
                 guint  from,
                 guint  to)
{
  const guint dim = tree->dim;
  double *lo = tree->lo + (gsize) v * dim, *hi = tree->hi + (gsize) v * dim;
  guint min_id = G_MAXUINT, axis = 0;
  double widest = -1.0;

  tree->start[v] = from;
  tree->end[v] = to;
  for (guint c = 0; c < dim; c++)
    {
      lo[c] = INFINITY;
      hi[c] = -INFINITY;
    }
  for (guint p = from; p < to; p++)
    {
      const double *x = tree->points + (gsize) tree->order[p] * dim;

      for (guint c = 0; c < dim; c++)
        {
          lo[c] = MIN (lo[c], x[c]);
          hi[c] = MAX (hi[c], x[c]);
        }
      min_id = MIN (min_id, tree->order[p]);
    }
  tree->min_id[v] = min_id;

  if (2 * v + 2 >= tree->n_nodes)
    return;

  for (guint c = 0; c < dim; c++)
    if (hi[c] - lo[c] > widest)
      {
        widest = hi[c] - lo[c];
        axis = c;
      }
  select_nth (tree->points, dim, tree->order, from, to, from + (to - from) / 2, axis);
  tree_build_node (tree, 2 * v + 1, from, from + (to - from) / 2);
  tree_build_node (tree, 2 * v + 2, from + (to - from) / 2, to);
}

static void
tree_init (Tree         *tree,
           const double *points,
           guint         n_items,
           guint         dim)
{
  guint leaves = 1;

  while ((gsize) leaves * LEAF_SIZE < n_items)
    leaves *= 2;

  tree->points = points;
  tree->dim = dim;
  tree->n_nodes = 2 * leaves - 1;
  tree->order = g_new (guint, n_items);
  tree->start = g_new (guint, tree->n_nodes);
  tree->end = g_new (guint, tree->n_nodes);
  tree->lo = g_new (double, (gsize) tree->n_nodes * dim);
  tree->hi = g_new (double, (gsize) tree->n_nodes * dim);
  tree->min_id = g_new (guint, tree->n_nodes);
  for (guint i = 0; i < n_items; i++)
    tree->order[i] = i;

  tree_build_node (tree, 0, 0, n_items);
}

static void
tree_clear (Tree *tree)
{
  g_free (tree->order);
  g_free (tree->start);
  g_free (tree->end);
  g_free (tree->lo);
  g_free (tree->hi);
  g_free (tree->min_id);
}

/* Returns the squared distance from @x to node @v's box, summed as squared_distance() sums. */
static inline double
box_distance (const Tree   *tree,
              guint         v,
              const double *x)
{
  const double *lo = tree->lo + (gsize) v * tree->dim, *hi = tree->hi + (gsize) v * tree->dim;
  double d2 = 0.0;

  for (guint c = 0; c < tree->dim; c++)
    {
      double gap = 0.0;

      if (x[c] < lo[c])
        gap = lo[c] - x[c];
      else if (x[c] > hi[c])
        gap = x[c] - hi[c];
      d2 += gap * gap;
    }

  return d2;
}

typedef struct {
  guint   self;
  guint   k;
  guint   filled;
  guint  *ids;
  double *best;
} Search;

static void
tree_search (const Tree   *tree,
             guint         v,
             const double *x,
             Search       *s)
{
  if (2 * v + 2 >= tree->n_nodes)
    {
      for (guint p = tree->start[v]; p < tree->end[v]; p++)
        {
          guint j = tree->order[p];

          if (j != s->self)
            push_any_order (s->ids, s->best, s->k, &s->filled, j,
                            squared_distance (x, tree->points + (gsize) j * tree->dim, tree->dim));
        }
      return;
    }

  {
    guint a = 2 * v + 1, b = 2 * v + 2;
    double da = box_distance (tree, a, x), db = box_distance (tree, b, x);

    if (db < da)
      {
        guint t = a;
        double td = da;

        a = b;
        b = t;
        da = db;
        db = td;
      }

    /* A subtree is visited unless it provably holds nothing that outranks the k-th best. */
#define WORTH(node, d) (s->filled < s->k || (d) < s->best[s->k - 1] || \
                        ((d) == s->best[s->k - 1] && tree->min_id[node] < s->ids[s->k - 1]))
    if (WORTH (a, da))
      tree_search (tree, a, x, s);
    if (WORTH (b, db))
      tree_search (tree, b, x, s);
#undef WORTH
  }
}

/**
 * lk_knn_compute_tree:
 *
 * lk_knn_compute() with a k-d tree, for finite coordinates; the same result as
 * lk_knn_compute_brute().
 */
guint *
lk_knn_compute_tree (const double *points,
                     guint         n_items,
                     guint         dim,
                     guint         k,
                     double       *distances)
{
  g_autofree double *best = NULL;
  Tree tree;
  guint *result;

  g_return_val_if_fail (points != NULL && dim > 0, NULL);
  g_return_val_if_fail (k > 0 && k < n_items, NULL);

  result = g_new (guint, (gsize) n_items * k);
  best = g_new (double, k);
  tree_init (&tree, points, n_items, dim);

  for (guint i = 0; i < n_items; i++)
    {
      Search s = { .self = i, .k = k, .ids = result + (gsize) i * k, .best = best };

      tree_search (&tree, 0, points + (gsize) i * dim, &s);

      if (distances != NULL)
        for (guint c = 0; c < k; c++)
          distances[(gsize) i * k + c] = sqrt (best[c]);
    }

  tree_clear (&tree);

  return result;
}

/**
 * lk_knn_compute:
 * @points: (array): @n_items x @dim row-major coordinates
 * @n_items: number of points
 * @dim: dimension
 * @k: neighbours per point, at most @n_items - 1
 * @distances: (out caller-allocates) (optional) (array): @n_items x @k Euclidean distances
 *
 * Finds each point's @k nearest other points, nearest first; equal distances are ordered by
 * the smaller item id, so the result does not depend on anything but the input.
 *
 * Returns: (transfer full): @n_items x @k neighbour ids, row-major
 */
guint *
lk_knn_compute (const double *points,
                guint         n_items,
                guint         dim,
                guint         k,
                double       *distances)
{
  gboolean finite = TRUE;

  g_return_val_if_fail (points != NULL, NULL);
  g_return_val_if_fail (k > 0 && k < n_items, NULL);

  if (n_items < TREE_MIN_ITEMS || dim == 0 || dim > TREE_MAX_DIM)
    return lk_knn_compute_brute (points, n_items, dim, k, distances);

  for (gsize p = 0; finite && p < (gsize) n_items * dim; p++)
    finite = isfinite (points[p]);
  if (!finite)
    return lk_knn_compute_brute (points, n_items, dim, k, distances);

  return lk_knn_compute_tree (points, n_items, dim, k, distances);
}
