/* test-image-features.c — cached descriptors, their migration, and k-NN under each space
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <gdk-pixbuf/gdk-pixbuf.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "lk-collection.h"
#include "lk-features.h"
#include "lk-image-features.h"
#include "lk-knn.h"
#include "lk-neighbours.h"
#include "lk-store-test.h"

#define N_IMAGES 12

/* Writes a 300 x 200 PNG whose colours and stripes depend on @seed. */
static void
write_image (const char *path,
             guint       seed)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 300, 200);
  guint8 *pixels = gdk_pixbuf_get_pixels (pixbuf);
  int stride = gdk_pixbuf_get_rowstride (pixbuf);

  for (int y = 0; y < 200; y++)
    for (int x = 0; x < 300; x++)
      {
        guint8 *p = pixels + y * stride + x * 3;
        gboolean stripe = ((seed % 2 == 0 ? x : y) / (4 + seed % 5)) % 2 == 0;

        p[0] = (guint8) ((seed * 37 + x / 3) % 256);
        p[1] = stripe ? (guint8) ((seed * 91) % 256) : 20;
        p[2] = (guint8) ((seed * 53 + y) % 256);
      }
  g_assert_true (gdk_pixbuf_save (pixbuf, path, "png", &error, NULL));
  g_assert_no_error (error);
}

typedef struct {
  char    *dir;
  char    *images;
  char    *path;
  LkStore *store;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LkImportReport) report = NULL;
  LkParams params = store_test_params ();

  f->dir = store_test_tmpdir ();
  f->images = g_build_filename (f->dir, "images", NULL);
  f->path = g_build_filename (f->dir, "study.likeness", NULL);
  g_assert_cmpint (g_mkdir (f->images, 0700), ==, 0);
  for (guint i = 0; i < N_IMAGES; i++)
    {
      g_autofree char *name = g_strdup_printf ("%s/img-%02u.png", f->images, i);

      write_image (name, i);
    }
  f->store = lk_store_create (f->path, &params, lk_method_lookup ("paper"), &error);
  g_assert_no_error (error);
  report = lk_collection_import (f->store, f->images, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (lk_import_report_count (report, LK_IMPORT_ADDED), ==, N_IMAGES);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_pointer (&f->store, lk_store_close);
  lk_test_rmdir (f->dir);
  g_free (f->dir);
  g_free (f->images);
  g_free (f->path);
}

static void
progress_cb (guint    done,
             guint    total,
             gpointer user_data)
{
  guint *calls = user_data;

  g_assert_cmpuint (done, <=, total);
  calls[0]++;
  calls[1] = done;
  calls[2] = total;
}

/* Every image gets both descriptors, equal (to float precision) to the core's on the thumbnail;
 * a second run has nothing to do. */
static void
test_cache (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  guint calls[3] = { 0 };
  guint computed = 0;

  g_assert_cmpuint (lk_image_features_count_stale (f->store, &error), ==, N_IMAGES);
  g_assert_true (lk_image_features_update (f->store, NULL, progress_cb, calls, &computed, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (computed, ==, N_IMAGES);
  g_assert_cmpuint (calls[0], ==, N_IMAGES + 1);
  g_assert_cmpuint (calls[1], ==, N_IMAGES);
  g_assert_cmpuint (lk_image_features_count_stale (f->store, &error), ==, 0);

  for (guint kind = 0; kind < LK_FEATURE_N_KINDS; kind++)
    {
      g_autofree guint8 *present = NULL;
      g_autofree float *values = NULL;
      guint n = 0, dim = 0;

      values = lk_image_features_load (f->store, kind, &n, &dim, &present, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (n, ==, N_IMAGES);
      g_assert_cmpuint (dim, ==, lk_feature_kind_get_dim (kind));
      g_assert_cmpuint (dim, ==, kind == LK_FEATURE_COLOR ? 112 : 1764);
      for (guint i = 0; i < N_IMAGES; i++)
        {
          g_autoptr(GdkPixbuf) thumb = lk_collection_get_thumbnail (f->store, i, &error);
          g_autofree double *expected = g_new (double, dim);

          g_assert_true (present[i]);
          g_assert_true (lk_image_features_compute (thumb, kind, expected, &error));
          g_assert_no_error (error);
          for (guint d = 0; d < dim; d++)
            g_assert_cmpfloat_with_epsilon (values[(gsize) i * dim + d], expected[d], 1e-6);
        }
    }

  g_assert_true (lk_image_features_update (f->store, NULL, NULL, NULL, &computed, &error));
  g_assert_cmpuint (computed, ==, 0);
}

/* A file whose content changed is re-imported with a new hash: its descriptors are stale and
 * recomputed from the new content; the others are kept. */
static void
test_rehash (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LkImportReport) report = NULL;
  g_autofree char *name = g_build_filename (f->images, "img-03.png", NULL);
  g_autofree float *before = NULL;
  g_autofree float *after = NULL;
  guint n, dim, computed = 0;

  g_assert_true (lk_image_features_update (f->store, NULL, NULL, NULL, NULL, &error));
  before = lk_image_features_load (f->store, LK_FEATURE_COLOR, &n, &dim, NULL, &error);
  write_image (name, 100);
  report = lk_collection_import (f->store, f->images, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (lk_import_report_count (report, LK_IMPORT_UPDATED), ==, 1);
  g_assert_cmpuint (lk_image_features_count_stale (f->store, &error), ==, 1);

  /* A stale row is not handed out as if it were current. */
  {
    g_autofree guint8 *present = NULL;
    g_autofree float *stale = lk_image_features_load (f->store, LK_FEATURE_COLOR, &n, &dim,
                                                      &present, &error);
    g_assert_false (present[3]);
    g_assert_true (present[4]);
  }

  g_assert_true (lk_image_features_update (f->store, NULL, NULL, NULL, &computed, &error));
  g_assert_cmpuint (computed, ==, 1);
  after = lk_image_features_load (f->store, LK_FEATURE_COLOR, &n, &dim, NULL, &error);
  g_assert_true (memcmp (before + 4 * dim, after + 4 * dim, dim * sizeof (float)) == 0);
  g_assert_false (memcmp (before + 3 * dim, after + 3 * dim, dim * sizeof (float)) == 0);
}

static void
cancel_cb (guint    done,
           guint    total,
           gpointer user_data)
{
  if (done == 5)
    g_cancellable_cancel (user_data);
}

/* Cancelling stops between images and keeps what was finished. */
static void
test_cancel (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  guint computed = 0;

  g_assert_false (lk_image_features_update (f->store, cancellable, cancel_cb, cancellable,
                                            &computed, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (computed, ==, 5);
  g_clear_error (&error);
  g_assert_cmpuint (lk_image_features_count_stale (f->store, &error), ==, N_IMAGES - 5);
}

/* A version-2 file (before the feature table) is migrated on open, keeping its images. */
static void
test_migrate (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  LkStoreCounts counts;
  sqlite3 *db;

  g_clear_pointer (&f->store, lk_store_close);
  g_assert_cmpint (sqlite3_open (f->path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db,
                                 "DROP TABLE answer_group_name; DROP TABLE trial;"
                                 "ALTER TABLE answer DROP COLUMN choice;"
                                 "ALTER TABLE query DROP COLUMN kind;"
                                 "DROP TABLE participant_excluded;"
                                 "DROP TABLE gold_item; DROP TABLE gold_grid;"
                                 "ALTER TABLE query DROP COLUMN gold;"
                                 "ALTER TABLE query DROP COLUMN repeat_of;"
                                 "ALTER TABLE participant DROP COLUMN status;"
                                 "DROP TABLE crowd_assignment; DROP TABLE crowd_grid;"
                                 "DROP TABLE crowd_batch;"
                                 "DROP TABLE judging_shown; DROP TABLE judging_neighbour;"
                                 "DROP TABLE judging_seed; DROP TABLE judging_round;"
                                 "DROP TABLE setting; DROP TABLE feature; PRAGMA user_version = 2;",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_close (db), ==, SQLITE_OK);

  /* Read-only opens of older files are refused, not read with the wrong schema. */
  g_assert_null (lk_store_open (f->path, LK_STORE_OPEN_READ_ONLY, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);

  f->store = lk_store_open (f->path, LK_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (lk_store_get_opened_version (f->store), ==, 2);
  g_assert_true (lk_store_get_counts (f->store, &counts, &error));
  g_assert_cmpuint (counts.images, ==, N_IMAGES);
  g_assert_cmpuint (lk_image_features_count_stale (f->store, &error), ==, N_IMAGES);
  g_assert_true (lk_image_features_update (f->store, NULL, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (lk_store_check (f->store, NULL, &error));
  g_assert_no_error (error);
  g_clear_pointer (&f->store, lk_store_close);

  f->store = lk_store_open (f->path, LK_STORE_OPEN_READ_ONLY, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (lk_store_get_opened_version (f->store), ==, LK_STORE_SCHEMA_VERSION);
  g_assert_cmpuint (lk_image_features_count_stale (f->store, &error), ==, 0);
}

/* Stores a 2-D "embedding" as the last phase, as lk_answers_end_phase() would. */
static void
add_phase (LkStore      *store,
           const double *points,
           guint         n)
{
  g_autoptr(GError) error = NULL;
  sqlite3_stmt *stmt;

  g_assert_true (lk_store_write_begin (store, &error));
  stmt = lk_store_prepare (store, "INSERT INTO phase (phase, ended, answers, n_items, dim, "
                           "embedding) VALUES (0, '2024-01-01T00:00:00Z', 0, ?, 2, ?)", &error);
  g_assert_no_error (error);
  sqlite3_bind_int (stmt, 1, n);
  sqlite3_bind_blob (stmt, 2, points, n * 2 * sizeof (double), SQLITE_STATIC);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
  sqlite3_reset (stmt);
  g_assert_true (lk_store_write_commit (store, "test", &error));
}

/* The one-item query gives exactly lk_knn_compute()'s lists under every space, ties included,
 * and the CSV and JSON exports carry them. */
static void
test_knn (Fixture       *f,
          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  double embedding[N_IMAGES * 2];
  g_autofree char *csv_path = g_build_filename (f->dir, "knn.csv", NULL);
  g_autofree char *json_path = g_build_filename (f->dir, "knn.json", NULL);
  g_autofree char *csv = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *spaces;
  const guint k = 4;

  g_assert_true (G_BYTE_ORDER == G_LITTLE_ENDIAN);
  for (guint i = 0; i < N_IMAGES; i++)
    {
      /* A grid with many equal distances, to exercise the tie rule. */
      embedding[2 * i] = i % 4;
      embedding[2 * i + 1] = i / 4;
    }
  add_phase (f->store, embedding, N_IMAGES);
  g_assert_true (lk_image_features_update (f->store, NULL, NULL, NULL, NULL, &error));

  for (guint s = 0; s < LK_SPACE_N_KINDS; s++)
    {
      g_autoptr(LkSpace) space = lk_space_load (f->store, s, &error);
      g_autoptr(LkSpace) compact = lk_space_load_compact (f->store, s, &error);
      g_autofree double *points = NULL;
      g_autofree double *dist = g_new (double, N_IMAGES * k);
      g_autofree guint *knn = NULL;
      guint dim;

      g_assert_no_error (error);
      dim = lk_space_get_dim (space);
      g_assert_cmpuint (lk_space_get_n_items (space), ==, N_IMAGES);
      points = g_new (double, N_IMAGES * dim);
      if (s == LK_SPACE_LEARNED)
        memcpy (points, embedding, sizeof embedding);
      else
        {
          g_autofree float *values = NULL;
          guint n;

          values = lk_image_features_load (f->store, s == LK_SPACE_COLOR ? LK_FEATURE_COLOR
                                                                         : LK_FEATURE_HOG,
                                           &n, &dim, NULL, &error);
          for (guint i = 0; i < N_IMAGES * dim; i++)
            points[i] = values[i];
        }
      knn = lk_knn_compute (points, N_IMAGES, dim, k, dist);
      for (guint i = 0; i < N_IMAGES; i++)
        {
          guint ids[4];
          double d[4];

          g_assert_cmpuint (lk_space_query (space, i, k, ids, d), ==, k);
          for (guint r = 0; r < k; r++)
            {
              g_assert_cmpuint (ids[r], ==, knn[i * k + r]);
              g_assert_cmpfloat (d[r], ==, dist[i * k + r]);
            }
          g_assert_cmpuint (lk_space_query (compact, i, k, ids, d), ==, k);
          for (guint r = 0; r < k; r++)
            {
              g_assert_cmpuint (ids[r], ==, knn[i * k + r]);
              g_assert_cmpfloat (d[r], ==, dist[i * k + r]);
            }
        }
    }

  g_assert_true (lk_neighbours_export_csv (f->store, k, csv_path, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (csv_path, &csv, NULL, NULL));
  g_assert_true (g_str_has_prefix (csv, "space,item,path,rank,neighbour,neighbour_path,distance\n"
                                        "learned,0,img-00.png,1,1,img-01.png,1\n"
                                        "learned,0,img-00.png,2,4,img-04.png,1\n"));
  {
    g_auto(GStrv) lines = g_strsplit (csv, "\n", -1);
    g_assert_cmpuint (g_strv_length (lines), ==, 1 + 3 * N_IMAGES * k + 1);
  }

  g_assert_true (lk_neighbours_export_json (f->store, k, json_path, &error));
  g_assert_no_error (error);
  g_assert_true (json_parser_load_from_file (parser, json_path, &error));
  spaces = json_object_get_object_member (json_node_get_object (json_parser_get_root (parser)),
                                          "spaces");
  for (guint s = 0; s < LK_SPACE_N_KINDS; s++)
    {
      JsonArray *items = json_object_get_array_member (spaces, lk_space_kind_to_string (s));
      JsonObject *first = json_array_get_object_element (items, 0);
      JsonArray *nb = json_object_get_array_member (first, "neighbours");

      g_assert_cmpuint (json_array_get_length (items), ==, N_IMAGES);
      g_assert_cmpuint (json_array_get_length (nb), ==, k);
    }
}

/* HOG vectors are kept a byte per value, the exact floats read back for a query's few
 * candidates: the lists must still be exactly lk_knn_compute()'s on the floats. 300 vectors in
 * 12 tight clusters (their spread far below a byte's step), exact copies (ties) and copies
 * differing in one value by 1e-6 (near-ties no byte can tell apart). */
static void
test_knn_quantised (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = store_test_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "q.likeness", NULL);
  g_autofree char *params = lk_image_features_params (LK_FEATURE_HOG);
  const guint n = 300, k = 10, dim = lk_feature_kind_get_dim (LK_FEATURE_HOG);
  g_autofree float *values = g_new (float, (gsize) n * dim);
  g_autofree double *points = g_new (double, (gsize) n * dim);
  g_autofree double *dist = g_new (double, n * k);
  g_autofree guint32 *le = g_new (guint32, dim);
  g_autofree guint *knn = NULL;
  g_autoptr(LkSpace) space = NULL;
  g_autoptr(LkSpace) exact = NULL;
  LkParams params_study = store_test_params ();
  GRand *rand = g_rand_new_with_seed (11);
  LkStore *store;
  sqlite3_stmt *stmt;

  for (guint i = 0; i < n; i++)
    for (guint c = 0; c < dim; c++)
      {
        float *v = &values[(gsize) i * dim + c];

        if (i >= 240 && i < 270)
          *v = values[(gsize) (i - 240) * dim + c];              /* a copy: ties */
        else if (i >= 270)
          *v = values[(gsize) (i - 270) * dim + c] + (c == 7 ? 1e-6f : 0.0f);
        else if (i < 12)
          *v = (float) g_rand_double_range (rand, 0.0, 0.4);     /* a cluster's centre */
        else
          *v = values[(gsize) (i % 12) * dim + c] + (float) g_rand_double_range (rand, 0, 1e-4);
      }
  g_rand_free (rand);

  store = lk_store_create (path, &params_study, lk_method_lookup ("paper"), &error);
  g_assert_no_error (error);
  g_assert_true (lk_store_exec (store,
    "BEGIN;"
    "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 299)"
    " INSERT INTO image (item, path, sha256, bytes, mtime_us, width, height, format, imported)"
    " SELECT i, 'img' || i || '.png', 'hash' || i, 10, 0, 4, 4, 'png', 'x' FROM n;"
    "COMMIT;", &error));
  g_assert_no_error (error);
  g_assert_true (lk_store_write_begin (store, &error));
  stmt = lk_store_prepare (store, "INSERT INTO feature (item, kind, sha256, params, dim, vector) "
                                  "VALUES (?1, 'hog', 'hash' || ?1, ?2, ?3, ?4)", &error);
  g_assert_no_error (error);
  for (guint i = 0; i < n; i++)
    {
      memcpy (le, values + (gsize) i * dim, dim * 4);
      for (guint c = 0; c < dim; c++)
        le[c] = GUINT32_TO_LE (le[c]);
      sqlite3_reset (stmt);
      sqlite3_bind_int (stmt, 1, i);
      sqlite3_bind_text (stmt, 2, params, -1, SQLITE_STATIC);
      sqlite3_bind_int (stmt, 3, dim);
      sqlite3_bind_blob (stmt, 4, le, dim * 4, SQLITE_TRANSIENT);
      g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
    }
  sqlite3_reset (stmt);
  g_assert_true (lk_store_write_commit (store, "test", &error));

  space = lk_space_load_compact (store, LK_SPACE_HOG, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (lk_space_get_n_present (space), ==, n);
  exact = lk_space_load (store, LK_SPACE_HOG, &error);
  g_assert_no_error (error);
  /* A pair's distance is the exact one too (the scores measure pairs). */
  for (guint i = 0; i < n; i += 7)
    g_assert_cmpfloat (lk_space_distance (i, (i * 13 + 5) % n, space), ==,
                       lk_space_distance (i, (i * 13 + 5) % n, exact));
  for (gsize i = 0; i < (gsize) n * dim; i++)
    points[i] = values[i];
  knn = lk_knn_compute (points, n, dim, k, dist);
  for (guint i = 0; i < n; i++)
    {
      guint ids[10];
      double d[10];

      g_assert_cmpuint (lk_space_query (space, i, k, ids, d), ==, k);
      for (guint r = 0; r < k; r++)
        {
          g_assert_cmpuint (ids[r], ==, knn[i * k + r]);
          g_assert_cmpfloat (d[r], ==, dist[i * k + r]);
        }
    }
  lk_store_close (store);
  g_clear_pointer (&space, lk_space_unref);
  g_clear_pointer (&exact, lk_space_unref);
  lk_test_rmdir (dir);
}

typedef struct {
  guint    calls, last_done, total;
  gboolean monotone;
  GCancellable *cancel_at_second; /* cancelled on the second call */
} Progress;

static void
knn_progress_cb (guint    done,
                 guint    total,
                 gpointer data)
{
  Progress *p = data;

  p->monotone = p->monotone && done >= p->last_done && done <= total;
  p->last_done = done;
  p->total = total;
  if (++p->calls == 2 && p->cancel_at_second != NULL)
    g_cancellable_cancel (p->cancel_at_second);
}

/* lk_neighbours_export() reports its progress over every space's images, and when cancelled
 * stops, says so, and leaves the file it would have replaced as it was. */
static void
test_knn_progress (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autofree char *path = g_build_filename (f->dir, "knn.json", NULL);
  g_autofree char *text = NULL;
  double embedding[N_IMAGES * 2];
  Progress p = { .monotone = TRUE };

  for (guint i = 0; i < N_IMAGES * 2; i++)
    embedding[i] = i * 0.37;
  add_phase (f->store, embedding, N_IMAGES);
  g_assert_true (lk_image_features_update (f->store, NULL, NULL, NULL, NULL, &error));

  g_assert_true (lk_neighbours_export (f->store, 3, LK_NEIGHBOURS_JSON, path, knn_progress_cb, &p,
                                       NULL, &error));
  g_assert_no_error (error);
  g_assert_true (p.monotone);
  g_assert_cmpuint (p.total, ==, 3 * N_IMAGES);
  g_assert_cmpuint (p.last_done, ==, p.total);
  g_assert_cmpuint (p.calls, >=, 2);

  /* An earlier file stays whole when a new export is cancelled part-way. */
  g_assert_true (g_file_set_contents (path, "earlier", -1, NULL));
  p = (Progress) { .monotone = TRUE, .cancel_at_second = cancellable };
  g_assert_false (lk_neighbours_export (f->store, 3, LK_NEIGHBOURS_CSV, path, knn_progress_cb, &p,
                                        cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (p.calls, ==, 2);
  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  g_assert_cmpstr (text, ==, "earlier");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(name, func) \
  g_test_add ("/lk/store/image-features/" name, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("cache", test_cache);
  ADD ("rehash", test_rehash);
  ADD ("cancel", test_cancel);
  ADD ("migrate", test_migrate);
  ADD ("knn", test_knn);
  ADD ("knn-progress", test_knn_progress);
#undef ADD
  g_test_add_func ("/lk/store/image-features/knn-quantised", test_knn_quantised);

  return g_test_run ();
}
