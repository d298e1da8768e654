/* bench-features.c — feature extraction throughput, in images per second
 *
 * Generates N (default 200) 1024 x 768 JPEG photos-like images (gradients, stripes and noise),
 * then times, on one thread:
 *   decode+features  lk_image_features_decode_file() (JPEG decoded at reduced scale to at most
 *                    256 px) and both descriptors, the path of an image without a current thumbnail;
 *   features only    the colour descriptor and HOG on the decoded 256 x 192 pixels, the path of
 *                    lk_image_features_update() when the stored thumbnail is current.
 * Usage: bench-features [N]
 *
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gstdio.h>
#include <stdlib.h>

#include "lk-image-features.h"

#define WIDTH 1024
#define HEIGHT 768

static void
write_image (const char *path,
             guint       seed)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, WIDTH, HEIGHT);
  guint8 *pixels = gdk_pixbuf_get_pixels (pixbuf);
  int stride = gdk_pixbuf_get_rowstride (pixbuf);
  GRand *rand = g_rand_new_with_seed (seed);

  for (int y = 0; y < HEIGHT; y++)
    for (int x = 0; x < WIDTH; x++)
      {
        guint8 *p = pixels + y * stride + x * 3;
        int noise = g_rand_int_range (rand, -12, 13);
        gboolean stripe = ((x + y * (seed % 3)) / (8 + seed % 23)) % 2 == 0;

        p[0] = CLAMP ((int) ((seed * 37 + x / 4) % 256) + noise, 0, 255);
        p[1] = CLAMP ((stripe ? (int) ((seed * 91) % 256) : 40) + noise, 0, 255);
        p[2] = CLAMP ((int) ((seed * 53 + y / 3) % 256) + noise, 0, 255);
      }
  g_rand_free (rand);
  if (!gdk_pixbuf_save (pixbuf, path, "jpeg", &error, "quality", "90", NULL))
    g_error ("%s", error->message);
}

int
main (int    argc,
      char **argv)
{
  guint n = argc > 1 ? (guint) atoi (argv[1]) : 200;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("lk-bench-features-XXXXXX", &error);
  g_autoptr(GPtrArray) decoded = g_ptr_array_new_with_free_func (g_object_unref);
  double color[112];
  g_autofree double *hog = g_new (double, lk_feature_kind_get_dim (LK_FEATURE_HOG));
  gint64 t0, t1, t2;

  if (dir == NULL || n == 0)
    g_error ("usage: bench-features [N]");
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *path = g_strdup_printf ("%s/img-%04u.jpg", dir, i);

      write_image (path, i);
    }

  t0 = g_get_monotonic_time ();
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *path = g_strdup_printf ("%s/img-%04u.jpg", dir, i);
      GdkPixbuf *pixbuf = lk_image_features_decode_file (path, &error);

      if (pixbuf == NULL ||
          !lk_image_features_compute (pixbuf, LK_FEATURE_COLOR, color, &error) ||
          !lk_image_features_compute (pixbuf, LK_FEATURE_HOG, hog, &error))
        g_error ("%s", error->message);
      g_ptr_array_add (decoded, pixbuf);
    }
  t1 = g_get_monotonic_time ();
  for (guint i = 0; i < n; i++)
    {
      GdkPixbuf *pixbuf = g_ptr_array_index (decoded, i);

      if (!lk_image_features_compute (pixbuf, LK_FEATURE_COLOR, color, &error) ||
          !lk_image_features_compute (pixbuf, LK_FEATURE_HOG, hog, &error))
        g_error ("%s", error->message);
    }
  t2 = g_get_monotonic_time ();

  g_print ("images: %u generated %dx%d JPEG (quality 90), decoded to %dx%d\n", n, WIDTH, HEIGHT,
           gdk_pixbuf_get_width (g_ptr_array_index (decoded, 0)),
           gdk_pixbuf_get_height (g_ptr_array_index (decoded, 0)));
  g_print ("decode+features (colour 112 + HOG %u): %.1f images/s\n",
           lk_feature_kind_get_dim (LK_FEATURE_HOG), n / ((t1 - t0) / 1e6));
  g_print ("features only (on the 256 px pixels):  %.1f images/s\n", n / ((t2 - t1) / 1e6));

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *path = g_strdup_printf ("%s/img-%04u.jpg", dir, i);

      g_unlink (path);
    }
  g_rmdir (dir);

  return 0;
}
