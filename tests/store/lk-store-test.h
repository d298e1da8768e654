/* lk-store-test.h — fixtures shared by the store tests
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <glib/gstdio.h>

#include "lk-store-private.h"
#include "tests/lk-test-utils.h"

static inline char *
store_test_tmpdir (void)
{
  return lk_test_tmpdir ("lk-store-XXXXXX");
}

/* Adds @n placeholder images (no files, no thumbnails) so that queries can refer to items. */
static inline void
store_test_add_images (LkStore *store,
                       guint    n)
{
  g_autoptr(GError) error = NULL;
  sqlite3_stmt *stmt;

  g_assert_true (lk_store_write_begin (store, &error));
  g_assert_no_error (error);
  stmt = lk_store_prepare (store,
                           "INSERT INTO image (item, path, sha256, bytes, mtime_us, width, height, "
                           "format, imported) VALUES (?1, 'img' || ?1 || '.png', 'hash' || ?1, 1, "
                           "0, 1, 1, 'png', '2024-01-01T00:00:00Z')", &error);
  g_assert_no_error (error);
  for (guint i = 0; i < n; i++)
    {
      sqlite3_reset (stmt);
      sqlite3_bind_int (stmt, 1, i);
      g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
    }
  sqlite3_reset (stmt);
  g_assert_true (lk_store_write_commit (store, "test", &error));
  g_assert_no_error (error);
}

/* Returns small parameters for quick studies of @n_items items. */
static inline LkParams
store_test_params (void)
{
  LkParams params;

  lk_params_init (&params);
  params.nq = 8;
  params.nc = 3;
  params.knn_k = 10;
  params.budget = 12;
  params.phases = 3;
  params.iterations = 20;
  params.seed = 7;

  return params;
}

/* Answers @q deterministically: bin = (item * 7 + salt) mod (nc + 1) - 1, so some are left out. */
static inline void
store_test_answer (LkQuery *q,
                   guint    nc,
                   guint    salt)
{
  guint n = lk_query_get_n_items (q);
  g_autofree gint *bins = g_new (gint, n);

  for (guint i = 0; i < n; i++)
    bins[i] = (gint) ((lk_query_get_item (q, i) * 7 + salt) % (nc + 1)) - 1;
  g_assert_true (lk_query_set_answer (q, bins, nc, NULL));
}
