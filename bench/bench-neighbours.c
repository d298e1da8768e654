/* bench-neighbours.c — exporting every image's k-NN under every space (lk_neighbours_export)
 *
 *   build/bench/bench-neighbours STUDY [--k 10] [--clusters 200]
 *
 * STUDY is any study with an embedding and cached descriptors, for instance the 20,000-image
 * one `bench-browser --study=FILE` makes. It is not changed: the benchmark works on a copy in a
 * temporary folder. Two runs, each timed from the call to the file written:
 *   as it is     the study's own vectors (bench-browser's study is 100 pictures repeated 200
 *                times, so most neighbours are at distance 0: the easiest case for the exact
 *                early stop of the distance sums);
 *   clustered    every descriptor replaced by a distinct vector: one of --clusters centres
 *                (uniform in the unit cube) plus uniform noise of a tenth of that, as similar
 *                pictures in a real collection are; seeded, so the same each run.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gstdio.h>

#include "lk-neighbours.h"
#include "lk-store-private.h"

static double
export_seconds (LkStore    *store,
                guint       k,
                const char *path)
{
  g_autoptr(GError) error = NULL;
  gint64 t0 = g_get_monotonic_time ();

  if (!lk_neighbours_export (store, k, LK_NEIGHBOURS_CSV, path, NULL, NULL, NULL, &error))
    g_error ("%s", error->message);

  return (g_get_monotonic_time () - t0) / 1e6;
}

/* Replaces each descriptor with a centre of @n_clusters plus noise, in one transaction. */
static void
cluster_descriptors (LkStore *store,
                     guint    n_clusters)
{
  g_autoptr(GError) error = NULL;
  GRand *rand = g_rand_new_with_seed (11);
  sqlite3_stmt *select, *update;
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (g_free);
  GHashTable *centres = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL, g_free);

  select = lk_store_prepare (store, "SELECT item, kind, dim FROM feature", &error);
  if (select == NULL)
    g_error ("%s", error->message);
  while (sqlite3_step (select) == SQLITE_ROW)
    {
      gint64 *row = g_new (gint64, 3);

      for (int c = 0; c < 3; c++)
        row[c] = sqlite3_column_int64 (select, c);
      g_ptr_array_add (rows, row);
    }
  sqlite3_reset (select);
  if (!lk_store_write_begin (store, &error))
    g_error ("%s", error->message);
  update = lk_store_prepare (store, "UPDATE feature SET vector = ? WHERE item = ? AND kind = ?",
                             &error);
  for (guint r = 0; r < rows->len; r++)
    {
      const gint64 *row = g_ptr_array_index (rows, r);
      guint dim = (guint) row[2], cluster = g_rand_int_range (rand, 0, (gint32) n_clusters);
      gpointer key = GUINT_TO_POINTER ((guint) row[1] * 100000 + cluster + 1);
      float *centre = g_hash_table_lookup (centres, key);
      g_autofree float *v = g_new (float, dim);

      if (centre == NULL)
        {
          centre = g_new (float, dim);
          for (guint c = 0; c < dim; c++)
            centre[c] = (float) g_rand_double (rand);
          g_hash_table_insert (centres, key, centre);
        }
      for (guint c = 0; c < dim; c++)
        v[c] = centre[c] + (float) (0.1 * g_rand_double (rand));
      sqlite3_bind_blob (update, 1, v, dim * sizeof (float), SQLITE_TRANSIENT);
      sqlite3_bind_int64 (update, 2, row[0]);
      sqlite3_bind_int64 (update, 3, row[1]);
      if (sqlite3_step (update) != SQLITE_DONE)
        g_error ("could not replace a descriptor");
      sqlite3_reset (update);
    }
  if (!lk_store_write_commit (store, "bench-neighbours", &error))
    g_error ("%s", error->message);
  g_hash_table_unref (centres);
  g_rand_free (rand);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GOptionContext) context = g_option_context_new ("STUDY — every image's neighbours");
  g_autofree char *dir = g_dir_make_tmp ("lk-bench-neighbours-XXXXXX", NULL);
  g_autofree char *copy = g_build_filename (dir, "copy.likeness", NULL);
  g_autofree char *csv = g_build_filename (dir, "neighbours.csv", NULL);
  g_autoptr(GFile) from = NULL;
  g_autoptr(GFile) to = NULL;
  int k = 10, clusters = 200;
  GOptionEntry entries[] = {
    { "k", 0, 0, G_OPTION_ARG_INT, &k, "Neighbours per image (default 10)", "N" },
    { "clusters", 0, 0, G_OPTION_ARG_INT, &clusters, "Centres of the clustered run (200)", "N" },
    { NULL }
  };
  const char *suffixes[] = { "-wal", "-shm", "-journal" };
  LkStore *store;
  double as_is, clustered;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || argc != 2 || k < 1 ||
      clusters < 1)
    g_error ("usage: bench-neighbours STUDY [--k N] [--clusters N]");
  from = g_file_new_for_path (argv[1]);
  to = g_file_new_for_path (copy);
  if (!g_file_copy (from, to, G_FILE_COPY_NONE, NULL, NULL, NULL, &error))
    g_error ("%s", error->message);
  store = lk_store_open (copy, LK_STORE_OPEN_DEFAULT, &error);
  if (store == NULL)
    g_error ("%s", error->message);

  as_is = export_seconds (store, (guint) k, csv);
  cluster_descriptors (store, (guint) clusters);
  clustered = export_seconds (store, (guint) k, csv);
  g_print ("every image's %d neighbours under every space, as CSV: %.1f s as it is, %.1f s "
           "with distinct clustered descriptors (%d centres)\n", k, as_is, clustered, clusters);

  lk_store_close (store);
  g_remove (csv);
  g_remove (copy);
  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *name = g_strconcat (copy, suffixes[i], NULL);

      g_remove (name);
    }
  g_rmdir (dir);

  return 0;
}
