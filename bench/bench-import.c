/* bench-import.c — image import throughput (decode, SHA-256, thumbnail, store) on generated
 * JPEGs (3000 x 2000 unless --size says otherwise; 4000 x 3000 is a 12 MP camera's), against
 * vipsthumbnail (Debian's libvips-tools) on the same files in the same run, and feature
 * extraction throughput (the paper's colour descriptor and HOG from images decoded at most
 * 256 px) on the same files. Not a test: run on demand.
 *
 *   build/bench/bench-import [--count 200] [--size WxH] [--keep DIR]
 *
 * With --keep DIR the images stay in DIR/images and are reused by the next run with the same
 * DIR (files already there are not made again, whatever --size says), so that two builds can
 * be timed on the same files.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <glib/gstdio.h>
#include <gdk-pixbuf/gdk-pixbuf.h>

#include "lk-collection.h"
#include "lk-core.h"
#include "lk-store.h"

/* Writes a @w x @h JPEG with smooth gradients and some noise, so that it compresses like a
 * photograph rather than like a flat colour. */
static void
write_photo (const char *path,
             guint       seed,
             int         w,
             int         h)
{
  g_autoptr(GdkPixbuf) p = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, w, h);
  g_autoptr(GError) error = NULL;
  guint8 *px = gdk_pixbuf_get_pixels (p);
  int stride = gdk_pixbuf_get_rowstride (p);
  guint32 state = seed * 2654435761u + 1;

  for (int y = 0; y < h; y++)
    for (int x = 0; x < w; x++)
      {
        guint8 *q = px + y * stride + x * 3;

        state = state * 1664525u + 1013904223u;
        q[0] = (guint8) ((x * 255 / w + seed * 37) % 256) ^ (state >> 29);
        q[1] = (guint8) ((y * 255 / h + seed * 11) % 256) ^ ((state >> 26) & 7);
        q[2] = (guint8) (((x + y) * 255 / (w + h) + seed * 5) % 256);
      }

  if (!gdk_pixbuf_save (p, path, "jpeg", &error, "quality", "90", NULL))
    g_error ("%s", error->message);
}

static double
peak_rss_mib (void)
{
  struct rusage ru;

  getrusage (RUSAGE_SELF, &ru);
  return ru.ru_maxrss / 1024.0;
}

int
main (int    argc,
      char **argv)
{
  guint count = 200;
  int width = 3000, height = 2000;
  const char *keep = NULL;
  g_autofree char *dir = NULL, *images = NULL, *study = NULL, *vips = NULL, *out = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(LkStore) store = NULL;
  g_autoptr(LkImportReport) report = NULL;
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_free);
  LkParams params;
  gint64 t0;
  double import_s, vips_s = 0.0, features_s, rss_after_import;
  LkHogParams hog;
  g_autofree double *hog_out = NULL;
  double color_out[LK_COLOR_DESCRIPTOR_DIM];

  for (int i = 1; i < argc; i++)
    {
      if (g_str_equal (argv[i], "--count") && i + 1 < argc)
        count = (guint) atoi (argv[++i]);
      else if (g_str_equal (argv[i], "--keep") && i + 1 < argc)
        keep = argv[++i];
      else if (g_str_equal (argv[i], "--size") && i + 1 < argc &&
               sscanf (argv[i + 1], "%dx%d", &width, &height) == 2 && width > 0 && height > 0)
        i++;
      else
        {
          fprintf (stderr, "Usage: %s [--count N] [--size WxH] [--keep DIR]\n"
                           "Times the import of N generated WxH JPEGs (default 200, 3000x2000)."
                           "\n", argv[0]);
          return g_str_equal (argv[i], "--help") ? 0 : 2;
        }
    }

  dir = keep != NULL ? g_strdup (keep) : g_dir_make_tmp ("lk-bench-import-XXXXXX", &error);
  g_assert (dir != NULL);
  images = g_build_filename (dir, "images", NULL);
  study = g_build_filename (dir, "bench.likeness", NULL);
  out = g_build_filename (dir, "vips", NULL);
  g_mkdir_with_parents (images, 0700);
  g_mkdir_with_parents (out, 0700);
  g_remove (study);

  printf ("# generating %u %dx%d JPEGs in %s (files already there are kept)\n", count, width,
          height, images);
  for (guint i = 0; i < count; i++)
    {
      char *path = g_strdup_printf ("%s/photo-%04u.jpg", images, i);

      if (!g_file_test (path, G_FILE_TEST_EXISTS))
        write_photo (path, i, width, height);
      g_ptr_array_add (files, path);
    }

  lk_params_init (&params);
  store = lk_store_create (study, &params, lk_method_paper, &error);
  g_assert (store != NULL);
  t0 = g_get_monotonic_time ();
  report = lk_collection_import (store, images, NULL, NULL, NULL, &error);
  import_s = (g_get_monotonic_time () - t0) / 1e6;
  g_assert (report != NULL);
  rss_after_import = peak_rss_mib ();

  printf ("%-34s %8s %10s\n", "step", "seconds", "images/s");
  printf ("%-34s %8.2f %10.1f   (imported %u, peak RSS %.0f MiB)\n", "likeness import (1 thread)",
          import_s, count / import_s, lk_import_report_count (report, LK_IMPORT_ADDED),
          rss_after_import);

  vips = g_find_program_in_path ("vipsthumbnail");
  if (vips != NULL)
    {
      g_autoptr(GPtrArray) args = g_ptr_array_new ();
      g_autofree char *pattern = g_build_filename (out, "%s.jpg", NULL);
      int status = 0;

      g_ptr_array_add (args, vips);
      g_ptr_array_add (args, "--size=256");
      g_ptr_array_add (args, "-o");
      g_ptr_array_add (args, pattern);
      for (guint i = 0; i < files->len; i++)
        g_ptr_array_add (args, files->pdata[i]);
      g_ptr_array_add (args, NULL);

      /* One vipsthumbnail process over all files, with libvips' own threading left on. */
      t0 = g_get_monotonic_time ();
      g_spawn_sync (NULL, (char **) args->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL, NULL, NULL,
                    &status, &error);
      vips_s = (g_get_monotonic_time () - t0) / 1e6;
      printf ("%-34s %8.2f %10.1f   (thumbnails only; likeness / vips time ratio %.2f)\n",
              "vipsthumbnail --size=256", vips_s, count / vips_s, import_s / vips_s);
    }
  else
    {
      printf ("%-34s   not installed (apt-get install libvips-tools for the comparison)\n",
              "vipsthumbnail");
    }

  lk_hog_params_init (&hog);
  hog_out = g_new (double, lk_features_hog_dim (&hog));
  t0 = g_get_monotonic_time ();
  for (guint i = 0; i < files->len; i++)
    {
      g_autoptr(GdkPixbuf) p = gdk_pixbuf_new_from_file_at_scale (files->pdata[i], 256, 256, TRUE,
                                                                   &error);
      LkImage image;

      g_assert (p != NULL);
      image = (LkImage) { gdk_pixbuf_read_pixels (p), gdk_pixbuf_get_width (p),
                          gdk_pixbuf_get_height (p), gdk_pixbuf_get_rowstride (p),
                          gdk_pixbuf_get_n_channels (p) };
      lk_features_color (&image, color_out, NULL);
      lk_features_hog (&image, &hog, hog_out, NULL);
    }
  features_s = (g_get_monotonic_time () - t0) / 1e6;
  printf ("%-34s %8.2f %10.1f   (decode at <= 256 px, colour + HOG %u values)\n",
          "features (1 thread)", features_s, count / features_s,
          LK_COLOR_DESCRIPTOR_DIM + lk_features_hog_dim (&hog));

  if (keep == NULL)
    {
      for (guint i = 0; i < files->len; i++)
        {
          g_autofree char *base = g_path_get_basename (files->pdata[i]);
          g_autofree char *thumb = g_build_filename (out, base, NULL);

          g_remove (files->pdata[i]);
          g_remove (thumb);
        }
      lk_store_close (g_steal_pointer (&store));
      g_remove (study);
      g_remove (images);
      g_remove (out);
      g_remove (dir);
    }

  return 0;
}
