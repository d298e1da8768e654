/* test-dataset.c — the built-in synthetic collections and CSV ground truth
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <math.h>
#include <string.h>
#include <unistd.h>
#include <glib/gstdio.h>

#include "lk-core.h"

/* Uniform sets: N items of the right dimension, every coordinate in [0, 1), ids 0..N-1, no
 * labels, and coordinate means near 1/2. With N = 2000 the standard error of a mean is
 * sqrt(1/12) / sqrt(2000) = 0.0065, so a tolerance of 0.03 is more than 4 of them. */
static void
check_uniform (const char *spec,
               guint       n,
               guint       dim)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LkDataset) d = lk_dataset_new_from_spec (spec, 2385, &error);
  const double *f;

  g_assert_no_error (error);
  g_assert_cmpuint (lk_dataset_get_n_items (d), ==, n);
  g_assert_cmpuint (lk_dataset_get_dim (d), ==, dim);
  g_assert_true (lk_dataset_get_labels (d) == NULL);
  g_assert_cmpuint (lk_dataset_get_n_labels (d), ==, 0);
  g_assert_cmpstr (lk_dataset_get_id (d, 0), ==, "0");
  g_assert_cmpstr (lk_dataset_get_id (d, n - 1), ==, n == 2000 ? "1999" : "1");

  f = lk_dataset_get_features (d);
  for (guint c = 0; c < dim; c++)
    {
      double mean = 0.0;

      for (guint i = 0; i < n; i++)
        {
          g_assert_cmpfloat (f[i * dim + c], >=, 0.0);
          g_assert_cmpfloat (f[i * dim + c], <, 1.0);
          mean += f[i * dim + c] / n;
        }
      if (n == 2000)
        g_assert_cmpfloat_with_epsilon (mean, 0.5, 0.03);
    }
}

static void
test_colors (void)
{
  check_uniform ("colors:2000", 2000, 3);
  check_uniform ("colors:2", 2, 3);
}

static void
test_points2d (void)
{
  check_uniform ("points2d:2000", 2000, 2);
}

/* blobs:N: 10 labels, each used, each blob tight (sd 0.05 per coordinate) around a centre in
 * [0.15, 0.85]^3. Pooled over 1000 items the within-blob sd estimate has a relative standard
 * error near 1/sqrt(2 * 2970) = 1.3%, so [0.04, 0.06] is wide. */
static void
test_blobs (void)
{
  const guint n = 1000, dim = 3;
  g_autoptr(GError) error = NULL;
  g_autoptr(LkDataset) d = lk_dataset_new_from_spec ("blobs:1000", 7, &error);
  const double *f;
  const gint *labels;
  double mean[10][3] = { { 0 } }, ss = 0.0;
  guint count[10] = { 0 };

  g_assert_no_error (error);
  g_assert_cmpuint (lk_dataset_get_n_items (d), ==, n);
  g_assert_cmpuint (lk_dataset_get_dim (d), ==, dim);
  g_assert_cmpuint (lk_dataset_get_n_labels (d), ==, 10);
  labels = lk_dataset_get_labels (d);
  g_assert_true (labels != NULL);
  f = lk_dataset_get_features (d);

  for (guint i = 0; i < n; i++)
    {
      g_assert_cmpint (labels[i], >=, 0);
      g_assert_cmpint (labels[i], <, 10);
      count[labels[i]]++;
      for (guint c = 0; c < dim; c++)
        mean[labels[i]][c] += f[i * dim + c];
    }
  for (guint l = 0; l < 10; l++)
    {
      g_assert_cmpuint (count[l], >, 0);
      for (guint c = 0; c < dim; c++)
        {
          mean[l][c] /= count[l];
          /* Centres lie in [0.15, 0.85]; a blob mean of ~100 points is within 0.02 of it. */
          g_assert_cmpfloat (mean[l][c], >, 0.12);
          g_assert_cmpfloat (mean[l][c], <, 0.88);
        }
    }
  for (guint i = 0; i < n; i++)
    for (guint c = 0; c < dim; c++)
      ss += pow (f[i * dim + c] - mean[labels[i]][c], 2);
  g_assert_cmpfloat (sqrt (ss / (n * dim - 10 * dim)), >, 0.04);
  g_assert_cmpfloat (sqrt (ss / (n * dim - 10 * dim)), <, 0.06);
}

/* The same seed gives the same items bit for bit; another seed gives other items. */
static void
test_spec_deterministic (void)
{
  const char *specs[] = { "colors:50", "points2d:50", "blobs:50" };

  for (guint s = 0; s < G_N_ELEMENTS (specs); s++)
    {
      g_autoptr(LkDataset) a = lk_dataset_new_from_spec (specs[s], 3, NULL);
      g_autoptr(LkDataset) b = lk_dataset_new_from_spec (specs[s], 3, NULL);
      g_autoptr(LkDataset) c = lk_dataset_new_from_spec (specs[s], 4, NULL);
      gsize size = sizeof (double) * 50 * lk_dataset_get_dim (a);

      g_assert_cmpint (memcmp (lk_dataset_get_features (a), lk_dataset_get_features (b), size), ==, 0);
      g_assert_cmpint (memcmp (lk_dataset_get_features (a), lk_dataset_get_features (c), size), !=, 0);
    }
}

typedef struct {
  const char *spec;
  const char *in_message;
} BadSpec;

static void
test_bad_specs (void)
{
  const BadSpec cases[] = {
    { "colors", "':'" },
    { "colors300", "':'" },
    { "squares:10", "squares" },
    { ":10", "unknown" },
    { "colors:0", "'0'" },
    { "colors:1", "'1'" },
    { "colors:abc", "'abc'" },
    { "colors:", "''" },
    { "colors:-5", "'-5'" },
    { "points2d:2.5", "'2.5'" },
    { "blobs:10x", "'10x'" },
    { "colors:1000001", "'1000001'" },
  };

  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(LkDataset) d = lk_dataset_new_from_spec (cases[c].spec, 1, &error);

      g_test_message ("%s: %s", cases[c].spec, error ? error->message : "(no error)");
      g_assert_true (d == NULL);
      g_assert_error (error, LK_CORE_ERROR, LK_CORE_ERROR_INVALID_ARGUMENT);
      g_assert_true (strstr (error->message, cases[c].in_message) != NULL);
    }
}

static void
test_csv_file (void)
{
  const char *text = "id,label,x\nfirst,a,0.25\nsecond,b,-2\n";
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *spec = NULL;
  g_autoptr(LkDataset) d = NULL;
  g_autoptr(LkDataset) missing = NULL;
  int fd;

  fd = g_file_open_tmp ("lk-dataset-XXXXXX.csv", &path, &error);
  g_assert_no_error (error);
  close (fd);
  g_assert_true (g_file_set_contents (path, text, -1, &error));
  g_assert_no_error (error);

  spec = g_strconcat ("csv:", path, NULL);
  d = lk_dataset_new_from_spec (spec, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (lk_dataset_get_n_items (d), ==, 2);
  g_assert_cmpstr (lk_dataset_get_id (d, 1), ==, "second");
  g_assert_cmpfloat (lk_dataset_get_features (d)[1], ==, -2.0);
  g_unlink (path);

  missing = lk_dataset_new_from_spec ("csv:/nonexistent/lk-test.csv", 1, &error);
  g_assert_true (missing == NULL);
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
}

/* A header in any column order: features keep their column order, labels are numbered in order
 * of first appearance, and fields are trimmed. */
static void
test_csv_labels (void)
{
  const char *text =
    "r, id ,label,g\n"
    "0.5,apple,fruit,1\n"
    " 2.5e-1 ,leek,vegetable,-3\n"
    "0,pear,fruit,7.125\n";
  const double features[] = { 0.5, 1, 0.25, -3, 0, 7.125 };
  const gint labels[] = { 0, 1, 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(LkDataset) d = lk_dataset_new_from_csv_data (text, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (lk_dataset_get_n_items (d), ==, 3);
  g_assert_cmpuint (lk_dataset_get_dim (d), ==, 2);
  g_assert_cmpstr (lk_dataset_get_id (d, 0), ==, "apple");
  g_assert_cmpstr (lk_dataset_get_id (d, 1), ==, "leek");
  g_assert_cmpstr (lk_dataset_get_id (d, 2), ==, "pear");
  for (guint i = 0; i < G_N_ELEMENTS (features); i++)
    g_assert_cmpfloat (lk_dataset_get_features (d)[i], ==, features[i]);
  g_assert_cmpuint (lk_dataset_get_n_labels (d), ==, 2);
  for (guint i = 0; i < 3; i++)
    g_assert_cmpint (lk_dataset_get_labels (d)[i], ==, labels[i]);
  g_assert_cmpstr (lk_dataset_get_label_name (d, 0), ==, "fruit");
  g_assert_cmpstr (lk_dataset_get_label_name (d, 1), ==, "vegetable");
  g_assert_true (lk_dataset_get_label_name (d, 2) == NULL);
}

static void
test_csv_no_labels (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LkDataset) d = lk_dataset_new_from_csv_data ("id,x,y,z\n1,1,2,3\n2,4,5,6\n", &error);

  g_assert_no_error (error);
  g_assert_cmpuint (lk_dataset_get_n_items (d), ==, 2);
  g_assert_cmpuint (lk_dataset_get_dim (d), ==, 3);
  g_assert_true (lk_dataset_get_labels (d) == NULL);
  g_assert_cmpuint (lk_dataset_get_n_labels (d), ==, 0);
  g_assert_cmpfloat (lk_dataset_get_features (d)[5], ==, 6.0);
}

/* An empty label means "no label" (-1) for that item only; a blank line is skipped. */
static void
test_csv_empty_labels (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) error_none = NULL;
  g_autoptr(LkDataset) d =
    lk_dataset_new_from_csv_data ("id,label,x\na,,1\nb,p,2\n\nc, ,3\nd,q,4\n", &error);
  g_autoptr(LkDataset) none =
    lk_dataset_new_from_csv_data ("id,label,x\na,,1\nb,,2\n", &error_none);
  const gint labels[] = { -1, 0, -1, 1 };

  g_assert_no_error (error);
  g_assert_no_error (error_none);
  g_assert_cmpuint (lk_dataset_get_n_items (d), ==, 4);
  g_assert_cmpuint (lk_dataset_get_n_labels (d), ==, 2);
  for (guint i = 0; i < 4; i++)
    g_assert_cmpint (lk_dataset_get_labels (d)[i], ==, labels[i]);
  g_assert_cmpstr (lk_dataset_get_id (d, 3), ==, "d");

  /* With no label at all there is nothing to measure a cluster error against. */
  g_assert_cmpuint (lk_dataset_get_n_labels (none), ==, 0);
}

/* Windows line endings, with and without a final one, leave no '\r' in ids, labels or numbers. */
static void
test_csv_crlf (void)
{
  const char *texts[] = {
    "id,label,x\r\na,p,1\r\nb,q,2\r\n",
    "id,label,x\r\na,p,1\r\nb,q,2",
  };

  for (guint t = 0; t < G_N_ELEMENTS (texts); t++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(LkDataset) d = lk_dataset_new_from_csv_data (texts[t], &error);

      g_assert_no_error (error);
      g_assert_cmpuint (lk_dataset_get_n_items (d), ==, 2);
      g_assert_cmpstr (lk_dataset_get_id (d, 1), ==, "b");
      g_assert_cmpstr (lk_dataset_get_label_name (d, 1), ==, "q");
      g_assert_cmpfloat (lk_dataset_get_features (d)[1], ==, 2.0);
    }
}

typedef struct {
  const char *text;
  const char *in_message;
} BadCsv;

/* Every way a file can be wrong, each with the line it is on. */
static void
test_csv_errors (void)
{
  const BadCsv cases[] = {
    { "id,label,x\na,p,1\nb,q\n", "line 3: 2 fields, but the header has 3" },
    { "id,x\na,1\nb,2,3\n", "line 3: 3 fields" },
    { "id,x\na,1\nb,abc\n", "line 3: 'abc'" },
    { "id,x\na,1.5.2\nb,2\n", "line 2: '1.5.2'" },
    { "id,x\na,\nb,2\n", "line 2: ''" },
    { "id,x\na,nan\nb,2\n", "line 2: 'nan'" },
    { "id,x\na,1e999\nb,2\n", "line 2: '1e999'" },
    { "id,x\na,1\nb,2\na,3\n", "line 4: the id 'a' appeared before" },
    { "id,x\na,1\n,2\n", "line 3: the id is empty" },
    { "id,x\na,1\n\n\nb,zz\n", "line 5: 'zz'" },
    { "name,x\na,1\nb,2\n", "line 1: the header has no 'id' column" },
    { "id,label\na,p\nb,q\n", "line 1: the header has no feature columns" },
    { "id,x\na,1\n", "1 item rows" },
    { "id,x\n", "0 item rows" },
    { "", "empty" },
  };

  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(LkDataset) d = lk_dataset_new_from_csv_data (cases[c].text, &error);

      g_test_message ("case %u: %s", c, error ? error->message : "(no error)");
      g_assert_true (d == NULL);
      g_assert_error (error, LK_CORE_ERROR, LK_CORE_ERROR_PARSE);
      g_assert_true (strstr (error->message, cases[c].in_message) != NULL);
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/lk/core/dataset/colors", test_colors);
  g_test_add_func ("/lk/core/dataset/points2d", test_points2d);
  g_test_add_func ("/lk/core/dataset/blobs", test_blobs);
  g_test_add_func ("/lk/core/dataset/deterministic", test_spec_deterministic);
  g_test_add_func ("/lk/core/dataset/bad-specs", test_bad_specs);
  g_test_add_func ("/lk/core/dataset/csv-file", test_csv_file);
  g_test_add_func ("/lk/core/dataset/csv-labels", test_csv_labels);
  g_test_add_func ("/lk/core/dataset/csv-no-labels", test_csv_no_labels);
  g_test_add_func ("/lk/core/dataset/csv-empty-labels", test_csv_empty_labels);
  g_test_add_func ("/lk/core/dataset/csv-crlf", test_csv_crlf);
  g_test_add_func ("/lk/core/dataset/csv-errors", test_csv_errors);

  return g_test_run ();
}
