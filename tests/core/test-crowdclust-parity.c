/* test-crowdclust-parity.c — Crowdclustering through the core API against the reference port's
 * runs: from labels.tsv and init_mu_x.tsv, 10 iterations give mu_x.tsv within 1e-8 and fe.txt
 * within 1e-6 relative, and the DP mixture gives clusters.tsv's partition and qz.tsv's
 * responsibilities within 1e-6 (both up to renaming).
 *
 * Argument: the fixtures folder (../shared/fixtures/crowdclust beside the checkout). Exits 77
 * (skip) with a message when it is absent.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <math.h>
#include <stdio.h>

#include "lk-crowdclust.h"
#include "lk-dpmix.h"

static int failures;

#define CHECK(cond, ...) \
  G_STMT_START { if (!(cond)) { failures++; printf ("FAIL: " __VA_ARGS__); printf ("\n"); } } G_STMT_END

/* The numbers of a TSV, row-major; *rows set from the count and the known width. */
static double *
read_numbers (const char *dir,
              const char *name,
              guint       cols,
              guint      *rows)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autofree char *text = NULL;
  g_autoptr(GArray) values = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GError) error = NULL;
  char *p, *end;

  if (!g_file_get_contents (path, &text, NULL, &error))
    g_error ("%s", error->message);
  for (p = text;; p = end)
    {
      double v = g_ascii_strtod (p, &end);

      if (end == p)
        break;
      g_array_append_val (values, v);
    }
  g_assert_cmpuint (values->len % cols, ==, 0);
  *rows = values->len / cols;

  return (double *) g_array_free (g_steal_pointer (&values), FALSE);
}

/* Same partition up to renaming: the map from one labelling to the other is a bijection. */
static gboolean
same_partition (const guint  *a,
                const double *b_rows,
                guint         n)
{
  g_autoptr(GHashTable) ab = g_hash_table_new (NULL, NULL);
  g_autoptr(GHashTable) ba = g_hash_table_new (NULL, NULL);

  for (guint i = 0; i < n; i++)
    {
      gpointer ka = GUINT_TO_POINTER (a[i] + 1);
      gpointer kb = GUINT_TO_POINTER ((guint) b_rows[2 * i + 1] + 1);
      gpointer va = g_hash_table_lookup (ab, ka), vb = g_hash_table_lookup (ba, kb);

      if ((va != NULL && va != kb) || (vb != NULL && vb != ka))
        return FALSE;
      g_hash_table_insert (ab, ka, kb);
      g_hash_table_insert (ba, kb, ka);
    }

  return TRUE;
}

static void
check_fixture (const char *dir)
{
  guint n_labels, n, n_mu, n_fe, n_cl, n_workers = 0;
  g_autofree double *raw = read_numbers (dir, "labels.tsv", 4, &n_labels);
  g_autofree double *init = read_numbers (dir, "init_mu_x.tsv", LK_CROWDCLUST_DIM, &n);
  g_autofree double *mu_ref = read_numbers (dir, "mu_x.tsv", LK_CROWDCLUST_DIM, &n_mu);
  g_autofree double *fe_ref = read_numbers (dir, "fe.txt", 1, &n_fe);
  g_autofree double *cl_ref = read_numbers (dir, "clusters.tsv", 2, &n_cl);
  g_autofree LkCcLabel *labels = g_new (LkCcLabel, n_labels);
  g_autoptr(LkCrowdclust) cc = NULL;
  g_autoptr(LkDpmix) dp = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) ref_clusters = g_hash_table_new (NULL, NULL);
  double worst_mu = 0, worst_fe = 0;

  for (guint t = 0; t < n_labels; t++)
    {
      labels[t] = (LkCcLabel) { (guint) raw[4 * t], (guint) raw[4 * t + 1], (guint) raw[4 * t + 2],
                                (gint) raw[4 * t + 3] };
      n_workers = MAX (n_workers, labels[t].worker + 1);
    }
  CHECK (n_mu == n && n_cl == n && n_fe == LK_CROWDCLUST_ITERATIONS, "%s: fixture sizes disagree", dir);
  if (failures > 0)
    return;

  cc = lk_crowdclust_new (labels, n_labels, n, n_workers, LK_CROWDCLUST_DIM, NULL, init, NULL, &error);
  g_assert_no_error (error);
  for (guint it = 0; it < LK_CROWDCLUST_ITERATIONS; it++)
    {
      double f = lk_crowdclust_iterate (cc);

      worst_fe = MAX (worst_fe, fabs (f - fe_ref[it]) / fabs (fe_ref[it]));
    }
  for (guint k = 0; k < n * LK_CROWDCLUST_DIM; k++)
    worst_mu = MAX (worst_mu, fabs (lk_crowdclust_get_mu (cc)[k] - mu_ref[k]));
  printf ("%s: %u items, %u workers, %u labels; largest |mu - port| %.3g, free energy relative "
          "difference %.3g\n", dir, n, n_workers, n_labels, worst_mu, worst_fe);
  CHECK (worst_mu <= 1e-8, "%s: mu differs from mu_x.tsv by %g", dir, worst_mu);
  CHECK (worst_fe <= 1e-6, "%s: free energy differs from fe.txt by %g relative", dir, worst_fe);

  dp = lk_dpmix_fit (lk_crowdclust_get_mu (cc), n, LK_CROWDCLUST_DIM, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < n; i++)
    g_hash_table_add (ref_clusters, GUINT_TO_POINTER ((guint) cl_ref[2 * i + 1] + 1));
  printf ("%s: %u clusters (port: %u)\n", dir, lk_dpmix_get_n_clusters (dp),
          g_hash_table_size (ref_clusters));
  CHECK (lk_dpmix_get_n_clusters (dp) == g_hash_table_size (ref_clusters),
         "%s: %u clusters, the port has %u", dir, lk_dpmix_get_n_clusters (dp),
         g_hash_table_size (ref_clusters));
  CHECK (same_partition (lk_dpmix_get_clusters (dp), cl_ref, n),
         "%s: the partition differs from clusters.tsv", dir);

  /* The responsibilities too, with the columns renamed as the clusters are; the last column
   * (the rest) is the last in both. */
  {
    guint k = lk_dpmix_get_n_columns (dp), n_qz = 0;
    g_autofree double *qz_ref = read_numbers (dir, "qz.tsv", k, &n_qz);
    g_autofree guint *column = g_new (guint, k);
    const double *q = lk_dpmix_get_q (dp);
    double worst_q = 0;

    CHECK (n_qz == n, "%s: qz.tsv has another number of columns than our %u", dir, k);
    if (n_qz == n)
      {
        for (guint c = 0; c < k; c++)
          column[c] = c;
        for (guint i = 0; i < n; i++)
          column[(guint) cl_ref[2 * i + 1]] = lk_dpmix_get_clusters (dp)[i];
        for (guint i = 0; i < n; i++)
          for (guint c = 0; c < k; c++)
            worst_q = MAX (worst_q, fabs (q[(gsize) i * k + column[c]] - qz_ref[(gsize) i * k + c]));
        printf ("%s: largest |q - port| %.3g\n", dir, worst_q);
        CHECK (worst_q <= 1e-6, "%s: q differs from qz.tsv by %g", dir, worst_q);
      }
  }
}

int
main (int    argc,
      char **argv)
{
  const char *names[] = { "a", "b" };

  if (argc != 2)
    {
      fprintf (stderr, "usage: %s FIXTURES-FOLDER\n", argv[0]);
      return 2;
    }
  if (!g_file_test (argv[1], G_FILE_TEST_IS_DIR))
    {
      printf ("SKIP: the Crowdclustering fixtures are not at %s (they live in ../shared/fixtures "
              "beside the checkout)\n", argv[1]);
      return 77;
    }

  for (guint f = 0; f < G_N_ELEMENTS (names); f++)
    {
      g_autofree char *dir = g_build_filename (argv[1], names[f], NULL);

      check_fixture (dir);
    }

  printf ("%s\n", failures == 0 ? "PASS" : "FAILED");

  return failures == 0 ? 0 : 1;
}
