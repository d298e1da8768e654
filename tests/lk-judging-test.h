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

/* Stores the hand-made embedding (phase 0) and colour descriptors in @store. */
static inline void
lk_judging_test_add_vectors (LkStore *store)
{
  g_autoptr(GError) error = NULL;
  guint dim = lk_feature_kind_get_dim (LK_FEATURE_COLOR);
  g_autofree char *params = lk_image_features_params (LK_FEATURE_COLOR);
  guint64 embedding[LK_JUDGING_TEST_N];
  sqlite3_stmt *stmt;

  for (guint i = 0; i < LK_JUDGING_TEST_N; i++)
    {
      double x = i;

      memcpy (&embedding[i], &x, 8);
      embedding[i] = GUINT64_TO_LE (embedding[i]);
    }
  g_assert_true (lk_store_write_begin (store, &error));
  stmt = lk_store_prepare (store, "INSERT INTO phase (phase, ended, answers, n_items, dim, embedding) "
                                  "VALUES (0, '2024-01-01T00:00:00Z', 0, ?, 1, ?)", &error);
  g_assert_no_error (error);
  sqlite3_bind_int (stmt, 1, LK_JUDGING_TEST_N);
  sqlite3_bind_blob (stmt, 2, embedding, sizeof embedding, SQLITE_TRANSIENT);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
  sqlite3_reset (stmt);
  stmt = lk_store_prepare (store, "INSERT INTO feature (item, kind, sha256, params, dim, vector) "
                                  "VALUES (?, 'color', 'hash' || ?1, ?, ?, ?)", &error);
  g_assert_no_error (error);
  for (guint i = 0; i < LK_JUDGING_TEST_N; i++)
    {
      g_autofree guint32 *v = g_new0 (guint32, dim);
      guint32 bits;

      memcpy (&bits, &lk_judging_test_colour[i], 4);
      v[0] = GUINT32_TO_LE (bits);
      sqlite3_reset (stmt);
      sqlite3_bind_int (stmt, 1, i);
      sqlite3_bind_text (stmt, 2, params, -1, SQLITE_STATIC);
      sqlite3_bind_int (stmt, 3, dim);
      sqlite3_bind_blob (stmt, 4, v, dim * 4, SQLITE_TRANSIENT);
      g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
    }
  sqlite3_reset (stmt);
  g_assert_true (lk_store_write_commit (store, "test", &error));
  g_assert_no_error (error);
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
