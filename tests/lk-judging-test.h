/* lk-judging-test.h — the hand-made judging case shared by the store and UI tests
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <string.h>

#include "lk-image-features.h"
#include "lk-judgements.h"
#include "lk-store-private.h"

/* The hand-made case: six images; the learned embedding is the line x = item; the colour
 * descriptor's first value is the number below (the rest are 0), so evens sit near 0..2 and
 * odds near 10..12. With k = 2 the lists are (nearest first; equal distances by smaller id):
 *
 *   seed  learned  colour
 *   0     1 2      2 4
 *   1     0 2      3 5
 *   2     1 3      0 4
 *   3     2 4      1 5
 *   4     3 5      2 0
 *   5     4 3      3 1
 */
#define LK_JUDGING_TEST_N 6
G_GNUC_UNUSED static const float lk_judging_test_colour[LK_JUDGING_TEST_N] = { 0, 10, 1, 11, 2, 12 };
G_GNUC_UNUSED static const guint lk_judging_test_learned[LK_JUDGING_TEST_N][2] = { { 1, 2 }, { 0, 2 }, { 1, 3 }, { 2, 4 }, { 3, 5 }, { 4, 3 } };
G_GNUC_UNUSED static const guint lk_judging_test_colour_nn[LK_JUDGING_TEST_N][2] = { { 2, 4 }, { 3, 5 }, { 0, 4 }, { 1, 5 }, { 2, 0 }, { 3, 1 } };

/* Stores @n_items x @dim values (row by row) as the completed phase 0's embedding. */
static inline void
lk_judging_test_put_embedding (LkStore      *store,
                               const double *points,
                               guint         n_items,
                               guint         dim)
{
  g_autoptr(GError) error = NULL;
  g_autofree guint64 *blob = g_new (guint64, (gsize) n_items * dim);
  sqlite3_stmt *stmt;

  for (gsize i = 0; i < (gsize) n_items * dim; i++)
    {
      memcpy (&blob[i], &points[i], 8);
      blob[i] = GUINT64_TO_LE (blob[i]);
    }
  g_assert_true (lk_store_write_begin (store, &error));
  stmt = lk_store_prepare (store, "INSERT INTO phase (phase, ended, answers, n_items, dim, embedding) "
                                  "VALUES (0, '2024-01-01T00:00:00Z', 0, ?, ?, ?)", &error);
  g_assert_no_error (error);
  sqlite3_bind_int (stmt, 1, n_items);
  sqlite3_bind_int (stmt, 2, dim);
  sqlite3_bind_blob (stmt, 3, blob, n_items * dim * 8, SQLITE_TRANSIENT);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
  sqlite3_reset (stmt);
  g_assert_true (lk_store_write_commit (store, "test", &error));
  g_assert_no_error (error);
}

/* Stores @kind's descriptor of items 0 .. @n_items - 1 (images whose sha256 is 'hash' || item):
 * @values holds @n_items x the kind's dimension, row by row, or, when @first is set, only the
 * first value of each (the others are 0). */
static inline void
lk_judging_test_put_features (LkStore       *store,
                              LkFeatureKind  kind,
                              const float   *values,
                              guint          n_items,
                              gboolean       first)
{
  g_autoptr(GError) error = NULL;
  guint dim = lk_feature_kind_get_dim (kind);
  g_autofree char *params = lk_image_features_params (kind);
  g_autofree guint32 *v = g_new0 (guint32, dim);
  sqlite3_stmt *stmt;

  g_assert_true (lk_store_write_begin (store, &error));
  stmt = lk_store_prepare (store, "INSERT INTO feature (item, kind, sha256, params, dim, vector) "
                                  "VALUES (?1, ?2, 'hash' || ?1, ?3, ?4, ?5)", &error);
  g_assert_no_error (error);
  for (guint i = 0; i < n_items; i++)
    {
      for (guint c = 0; c < (first ? 1 : dim); c++)
        {
          memcpy (&v[c], &values[first ? i : (gsize) i * dim + c], 4);
          v[c] = GUINT32_TO_LE (v[c]);
        }
      sqlite3_reset (stmt);
      sqlite3_bind_int (stmt, 1, i);
      sqlite3_bind_text (stmt, 2, lk_feature_kind_to_string (kind), -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 3, params, -1, SQLITE_STATIC);
      sqlite3_bind_int (stmt, 4, dim);
      sqlite3_bind_blob (stmt, 5, v, dim * 4, SQLITE_TRANSIENT);
      g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
    }
  sqlite3_reset (stmt);
  g_assert_true (lk_store_write_commit (store, "test", &error));
  g_assert_no_error (error);
}

/* Stores the hand-made embedding (phase 0) and colour descriptors in @store. */
static inline void
lk_judging_test_add_vectors (LkStore *store)
{
  double line[LK_JUDGING_TEST_N];

  for (guint i = 0; i < LK_JUDGING_TEST_N; i++)
    line[i] = i;
  lk_judging_test_put_embedding (store, line, LK_JUDGING_TEST_N, 1);
  lk_judging_test_put_features (store, LK_FEATURE_COLOR, lk_judging_test_colour,
                                LK_JUDGING_TEST_N, TRUE);
}

/* The hand judge: images 0-2 and 3-5 are two kinds; same kind and next to each other is very
 * similar, same kind otherwise similar, another kind unrelated. */
static inline gint
lk_judging_test_mark (guint seed,
                      guint item)
{
  if (seed / 3 != item / 3)
    return LK_JUDGEMENT_UNRELATED;

  return (seed > item ? seed - item : item - seed) == 1 ? LK_JUDGEMENT_VERY_SIMILAR
                                                        : LK_JUDGEMENT_SIMILAR;
}

/* Adds LK_JUDGING_TEST_N placeholder images (img0.png …, no files) and the vectors. */
static inline void
lk_judging_test_fill (LkStore *store)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (lk_store_exec (store,
    "BEGIN;"
    "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 5)"
    " INSERT INTO image (item, path, sha256, bytes, mtime_us, width, height, format, imported)"
    " SELECT i, 'img' || i || '.png', 'hash' || i, 1, 0, 1, 1, 'png', '2024-01-01T00:00:00Z' FROM n;"
    "COMMIT;", &error));
  g_assert_no_error (error);
  lk_judging_test_add_vectors (store);
}
