/* lk-qc.c — the exam's score and the consistency index
 *
 * Both compare two answers to the same images, matched by image id (a repeat may show them in
 * another order). Choices the papers leave open:
 * - Left-out images. Paper 002's grouping task has no leftovers; Likeness's does. In the exam
 *   score a left-out image belongs to no cluster, so a gold cluster holding an image the
 *   participant left out cannot be matched, and the experimenter's own left-outs are not a
 *   cluster to match. In the consistency index each left-out image is a cluster of its own:
 *   leaving an image out twice agrees, leaving it out once disagrees with every pair it would
 *   have made.
 * - An exam score is a real number (100 x 1/3 is 33.33...); the demo's scorer rounds nothing.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "lk-qc.h"

#include <math.h>

#include "lk-error.h"

/* Positions in @b of the items of @a, or FALSE when the two do not show the same images. */
static gboolean
match_items (const LkQuery *a,
             const LkQuery *b,
             guint         *position_in_b,
             GError       **error)
{
  guint n = lk_query_get_n_items (a);

  if (!lk_query_is_answered (a) || !lk_query_is_answered (b))
    {
      g_set_error (error, LK_CORE_ERROR, LK_CORE_ERROR_INVALID_ARGUMENT,
                   "Both grids must be answered to be compared");
      return FALSE;
    }
  if (lk_query_get_n_items (b) != n)
    {
      g_set_error (error, LK_CORE_ERROR, LK_CORE_ERROR_INVALID_ARGUMENT,
                   "The two grids show %u and %u images", n, lk_query_get_n_items (b));
      return FALSE;
    }
  for (guint i = 0; i < n; i++)
    {
      guint item = lk_query_get_item (a, i);
      gboolean found = FALSE;

      for (guint j = 0; j < n && !found; j++)
        if (lk_query_get_item (b, j) == item)
          {
            position_in_b[i] = j;
            found = TRUE;
          }
      if (!found)
        {
          g_set_error (error, LK_CORE_ERROR, LK_CORE_ERROR_INVALID_ARGUMENT,
                       "Image %u is in one grid and not in the other", item);
          return FALSE;
        }
    }

  return TRUE;
}

/* Whether the items at positions @members (in @a) form exactly one bin of @b: the same
 * non-left-out bin for all, and no other item of @b in it. */
static gboolean
is_cluster_of (const LkQuery *a,
               gint           bin_a,
               const LkQuery *b,
               const guint   *position_in_b)
{
  guint n = lk_query_get_n_items (a);
  gint bin_b = LK_BIN_UNANSWERED;
  guint size_a = 0, size_b = 0;

  for (guint i = 0; i < n; i++)
    {
      gint other;

      if (lk_query_get_bin (a, i) != bin_a)
        continue;
      size_a++;
      other = lk_query_get_bin (b, position_in_b[i]);
      if (other < 0 || (bin_b != LK_BIN_UNANSWERED && other != bin_b))
        return FALSE;
      bin_b = other;
    }
  if (size_a == 0)
    return FALSE;
  for (guint j = 0; j < n; j++)
    if (lk_query_get_bin (b, j) == bin_b)
      size_b++;

  return size_a == size_b;
}

/**
 * lk_qc_exam_score:
 * @answer: a participant's answer to a gold grid
 * @gold: the known answer: the same images, in any order
 * @error: return location for a #GError
 *
 * Paper 002's exam scorer: the two answers as partitions (sets of clusters, so bin numbers do
 * not matter); with G the gold clusters and "correct" the participant's clusters equal to one
 * of them as sets: 100 when the partitions are equal, 0 when none is correct, else
 * 100 x correct / |G|.
 *
 * Returns: the score, 0 to 100, or -1 when the two cannot be compared (@error says why)
 */
double
lk_qc_exam_score (const LkQuery  *answer,
                  const LkQuery  *gold,
                  GError        **error)
{
  g_autofree guint *in_answer = NULL;
  guint n, n_gold = 0, correct = 0, n_answer = 0;
  gint max_bin = -1;

  g_return_val_if_fail (answer != NULL && gold != NULL, -1);

  n = lk_query_get_n_items (gold);
  in_answer = g_new (guint, MAX (n, 1));
  if (!match_items (gold, answer, in_answer, error))
    return -1;

  for (guint i = 0; i < n; i++)
    max_bin = MAX (max_bin, MAX (lk_query_get_bin (gold, i), lk_query_get_bin (answer, i)));

  for (gint bin = 0; bin <= max_bin; bin++)
    {
      gboolean in_gold = FALSE, in_ans = FALSE;

      for (guint i = 0; i < n; i++)
        {
          in_gold |= lk_query_get_bin (gold, i) == bin;
          in_ans |= lk_query_get_bin (answer, i) == bin;
        }
      n_gold += in_gold;
      n_answer += in_ans;
      if (in_gold && is_cluster_of (gold, bin, answer, in_answer))
        correct++;
    }

  if (n_gold == 0)
    {
      g_set_error (error, LK_CORE_ERROR, LK_CORE_ERROR_INVALID_ARGUMENT,
                   "The known answer puts no image in a bin");
      return -1;
    }
  if (correct == n_gold && n_answer == n_gold)
    return 100.0;

  return 100.0 * correct / n_gold;
}

static double
choose2 (guint64 n)
{
  return n * (n - 1) / 2.0;
}

/**
 * lk_qc_adjusted_rand:
 * @labels_a: (array length=n): a cluster label per element, any non-negative integers below
 *   @n, or a negative label for "a cluster of its own"
 * @labels_b: (array length=n): another labelling of the same elements
 * @n: the number of elements
 *
 * Hubert and Arabie's adjusted Rand index. When both labellings are the same trivial
 * partition (one cluster, or all singletons) the index is undefined (0/0); it is 1 then, as
 * the two agree perfectly.
 *
 * Returns: the index, at most 1; 0 is what chance gives
 */
double
lk_qc_adjusted_rand (const gint *labels_a,
                     const gint *labels_b,
                     guint       n)
{
  g_autofree guint *table = NULL;
  g_autofree guint *rows = NULL;
  g_autofree guint *cols = NULL;
  g_autofree gint *a = NULL;
  g_autofree gint *b = NULL;
  double index = 0, sum_a = 0, sum_b = 0, expected, max_index;
  guint ka = 0, kb = 0;

  g_return_val_if_fail (n == 0 || (labels_a != NULL && labels_b != NULL), NAN);

  if (n < 2)
    return 1.0;

  /* Relabel densely: labels < 0 become singletons. */
  a = g_new (gint, n);
  b = g_new (gint, n);
  {
    g_autoptr(GHashTable) ma = g_hash_table_new (g_direct_hash, g_direct_equal);
    g_autoptr(GHashTable) mb = g_hash_table_new (g_direct_hash, g_direct_equal);

    for (guint i = 0; i < n; i++)
      {
        gpointer value;

        if (labels_a[i] < 0)
          a[i] = ka++;
        else if (g_hash_table_lookup_extended (ma, GINT_TO_POINTER (labels_a[i]), NULL, &value))
          a[i] = GPOINTER_TO_INT (value);
        else
          {
            a[i] = ka++;
            g_hash_table_insert (ma, GINT_TO_POINTER (labels_a[i]), GINT_TO_POINTER (a[i]));
          }
        if (labels_b[i] < 0)
          b[i] = kb++;
        else if (g_hash_table_lookup_extended (mb, GINT_TO_POINTER (labels_b[i]), NULL, &value))
          b[i] = GPOINTER_TO_INT (value);
        else
          {
            b[i] = kb++;
            g_hash_table_insert (mb, GINT_TO_POINTER (labels_b[i]), GINT_TO_POINTER (b[i]));
          }
      }
  }

  table = g_new0 (guint, (gsize) ka * kb);
  rows = g_new0 (guint, ka);
  cols = g_new0 (guint, kb);
  for (guint i = 0; i < n; i++)
    {
      table[(gsize) a[i] * kb + b[i]]++;
      rows[a[i]]++;
      cols[b[i]]++;
    }
  for (gsize c = 0; c < (gsize) ka * kb; c++)
    index += choose2 (table[c]);
  for (guint r = 0; r < ka; r++)
    sum_a += choose2 (rows[r]);
  for (guint c = 0; c < kb; c++)
    sum_b += choose2 (cols[c]);

  expected = sum_a * sum_b / choose2 (n);
  max_index = 0.5 * (sum_a + sum_b);
  if (max_index == expected)
    return 1.0;

  return (index - expected) / (max_index - expected);
}

/**
 * lk_qc_consistency:
 * @first: a participant's answer to a grid
 * @repeat: their answer to the same grid shown again (the same images, in any order)
 * @error: return location for a #GError
 *
 * The adjusted Rand index between the two answers, left-out images each a cluster of its own.
 *
 * Returns: the index, or NaN when the two cannot be compared (@error says why)
 */
double
lk_qc_consistency (const LkQuery  *first,
                   const LkQuery  *repeat,
                   GError        **error)
{
  g_autofree guint *in_repeat = NULL;
  g_autofree gint *la = NULL;
  g_autofree gint *lb = NULL;
  guint n;

  g_return_val_if_fail (first != NULL && repeat != NULL, NAN);

  n = lk_query_get_n_items (first);
  in_repeat = g_new (guint, MAX (n, 1));
  if (!match_items (first, repeat, in_repeat, error))
    return NAN;

  la = g_new (gint, MAX (n, 1));
  lb = g_new (gint, MAX (n, 1));
  for (guint i = 0; i < n; i++)
    {
      la[i] = lk_query_get_bin (first, i);
      lb[i] = lk_query_get_bin (repeat, in_repeat[i]);
    }

  return lk_qc_adjusted_rand (la, lb, n);
}
