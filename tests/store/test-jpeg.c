/* test-jpeg.c — the import's one-pass JPEG decode (lk-jpeg.c) against GdkPixbuf's
 *
 * JPEGs of several kinds are written here with libjpeg (4:2:0 and 4:4:4 colour, greyscale,
 * CMYK with and without an Adobe marker, progressive, EXIF orientation in either byte order)
 * and sizes that pick each DCT scale (1/1, 1/2, 1/4, 1/8). Each is read by
 * lk_collection_decode() and its thumbnail compared with two references:
 *
 * - today's: GdkPixbuf's loader asked for the thumbnail size in size-prepared (the import before
 *   the one-pass decode), then its EXIF orientation applied. Same libjpeg, same DCT scale, same
 *   bilinear scaling, same CMYK rule: the mean absolute difference must be at most 0.5 (of
 *   255), i.e. the same pixels but for rounding, and the colour descriptor and HOG computed
 *   from the thumbnail (lk-image-features.c reads the stored thumbnail) within 1 % (relative
 *   L2 distance). Measured: 0 and 0 in every case.
 * - a full decode: GdkPixbuf at full size, scaled to the thumbnail with gdk_pixbuf_scale_simple
 *   (bilinear), then oriented. A reduced IDCT (at 1/8 the mean of each 8 x 8 block) is not the
 *   same filter as bilinear scaling of the full image, and each keeps a different part of the
 *   detail finer than a thumbnail pixel, here the +-12 levels of noise of every pixel. Bounds:
 *   mean absolute difference 3 (of 255, about 1 %: a grey level step is visible at about 2 %),
 *   colour descriptor 6 %, HOG 15 % (gradient orientations are what noise changes most; the
 *   widest gap is on the 3000 x 500 image, which is reduced 12 times). Measured: at most 1.86,
 *   4.0 % and 11.3 %, exactly the gaps of today's import, which decoded at the same scale.
 *
 * And a progressive and a CMYK JPEG cut in half are refused as truncated, with an end marker
 * appended after the cut or without.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <jpeglib.h>

#include "lk-collection.h"
#include "lk-image-features.h"
#include "lk-jpeg.h"
#include "lk-jpeg.h"

#include "lk-store-test.h"

typedef enum { KIND_YCC420, KIND_YCC444, KIND_GREY, KIND_CMYK_ADOBE, KIND_CMYK_PLAIN } Kind;

typedef struct {
  const char *name;
  int         width;
  int         height;
  Kind        kind;
  gboolean    progressive;
  int         orientation;   /* 0: no EXIF */
  gboolean    big_endian;    /* EXIF byte order */
  guint       scale;         /* the DCT scale the decode should pick (1/scale) */
} Case;

static const Case cases[] = {
  { "ycc420-1-8.jpg",      2400, 1800, KIND_YCC420,     FALSE, 0, FALSE, 8 },
  { "ycc420-1-4.jpg",      1200,  900, KIND_YCC420,     FALSE, 0, FALSE, 4 },
  { "ycc444-1-2.jpg",       700, 1000, KIND_YCC444,     FALSE, 0, FALSE, 2 },
  { "small-1-1.jpg",        200,  150, KIND_YCC420,     FALSE, 0, FALSE, 1 },
  { "wide-1-8.jpg",        3000,  500, KIND_YCC420,     FALSE, 0, FALSE, 8 },
  { "grey.jpg",             800,  600, KIND_GREY,       FALSE, 0, FALSE, 2 },
  { "cmyk-adobe.jpg",       640,  480, KIND_CMYK_ADOBE, FALSE, 0, FALSE, 2 },
  { "cmyk-plain.jpg",       640,  480, KIND_CMYK_PLAIN, FALSE, 0, FALSE, 2 },
  { "cmyk-small.jpg",       200,  150, KIND_CMYK_PLAIN, FALSE, 0, FALSE, 1 },
  { "progressive.jpg",     1600, 1200, KIND_YCC420,     TRUE,  0, FALSE, 4 },
  { "exif-6-le.jpg",       1200,  800, KIND_YCC420,     FALSE, 6, FALSE, 4 },
  { "exif-8-be.jpg",       1200,  800, KIND_YCC420,     FALSE, 8, TRUE,  4 },
  { "exif-3-le-prog.jpg",   900,  600, KIND_YCC444,     TRUE,  3, FALSE, 2 },
};

/* An APP1 "Exif" segment's data with one IFD0 entry: orientation @value, in @big byte order. */
static GByteArray *
exif_segment (int      value,
              gboolean big)
{
  GByteArray *b = g_byte_array_new ();
  guint8 le[] = { 'I', 'I', 0x2a, 0, 8, 0, 0, 0,  1, 0,
                  0x12, 0x01, 3, 0, 1, 0, 0, 0, (guint8) value, 0, 0, 0,  0, 0, 0, 0 };
  guint8 be[] = { 'M', 'M', 0, 0x2a, 0, 0, 0, 8,  0, 1,
                  0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, (guint8) value, 0, 0,  0, 0, 0, 0 };

  g_byte_array_append (b, (const guint8 *) "Exif\0\0", 6);
  g_byte_array_append (b, big ? be : le, sizeof le);

  return b;
}

/* Writes @c as a photo-like JPEG: smooth gradients, a few hard edges and noise of +-12 levels
 * from a seeded GRand, quality 90. */
static void
write_jpeg (const char *path,
            const Case *c)
{
  struct jpeg_compress_struct cinfo;
  struct jpeg_error_mgr jerr;
  g_autoptr(GRand) rand = g_rand_new_with_seed (4711 + c->width + c->kind);
  int components = c->kind == KIND_GREY ? 1 : c->kind >= KIND_CMYK_ADOBE ? 4 : 3;
  g_autofree guint8 *row = g_malloc ((gsize) c->width * components);
  FILE *f = fopen (path, "wb");

  g_assert_nonnull (f);
  cinfo.err = jpeg_std_error (&jerr);
  jpeg_create_compress (&cinfo);
  jpeg_stdio_dest (&cinfo, f);
  cinfo.image_width = c->width;
  cinfo.image_height = c->height;
  cinfo.input_components = components;
  cinfo.in_color_space = components == 1 ? JCS_GRAYSCALE : components == 4 ? JCS_CMYK : JCS_RGB;
  jpeg_set_defaults (&cinfo);
  jpeg_set_quality (&cinfo, 90, TRUE);
  if (c->kind == KIND_YCC444)
    for (int i = 0; i < cinfo.num_components; i++)
      cinfo.comp_info[i].h_samp_factor = cinfo.comp_info[i].v_samp_factor = 1;
  if (c->kind == KIND_CMYK_PLAIN)
    cinfo.write_Adobe_marker = FALSE;
  if (c->progressive)
    jpeg_simple_progression (&cinfo);
  jpeg_start_compress (&cinfo, TRUE);
  if (c->orientation != 0)
    {
      g_autoptr(GByteArray) exif = exif_segment (c->orientation, c->big_endian);

      jpeg_write_marker (&cinfo, JPEG_APP0 + 1, exif->data, exif->len);
    }
  for (int y = 0; y < c->height; y++)
    {
      for (int x = 0; x < c->width; x++)
        for (int k = 0; k < components; k++)
          {
            double v = 40 + 150.0 * (x + (k + 1) * y) / (c->width + (k + 1) * c->height);

            if (((x / 97) + (y / 61) + k) % 3 == 0)
              v += 50;                                      /* edges, for HOG */
            v += g_rand_int_range (rand, -12, 13);
            row[x * components + k] = (guint8) CLAMP (v, 0, 255);
          }
      jpeg_write_scanlines (&cinfo, (JSAMPROW[]) { row }, 1);
    }
  jpeg_finish_compress (&cinfo);
  jpeg_destroy_compress (&cinfo);
  fclose (f);
}

static void
size_prepared_cb (GdkPixbufLoader *loader,
                  int              width,
                  int              height,
                  gpointer         user_data)
{
  int longest = MAX (width, height);

  if (longest > LK_COLLECTION_THUMBNAIL_SIZE)
    gdk_pixbuf_loader_set_size (loader, MAX (1, width * LK_COLLECTION_THUMBNAIL_SIZE / longest),
                                MAX (1, height * LK_COLLECTION_THUMBNAIL_SIZE / longest));
}

/* The thumbnail as the import made it before the one-pass decode. */
static GdkPixbuf *
reference_loader (const char *path)
{
  g_autoptr(GdkPixbufLoader) loader = gdk_pixbuf_loader_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize len = 0;

  g_signal_connect (loader, "size-prepared", G_CALLBACK (size_prepared_cb), NULL);
  g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
  g_assert_true (gdk_pixbuf_loader_write (loader, (const guchar *) contents, len, &error));
  g_assert_true (gdk_pixbuf_loader_close (loader, &error));
  g_assert_no_error (error);

  return gdk_pixbuf_apply_embedded_orientation (gdk_pixbuf_loader_get_pixbuf (loader));
}

/* Full decode, bilinear scaling to the thumbnail's size, orientation (@orientation, set here
 * so that this reference does not depend on GdkPixbuf's reading of EXIF). */
static GdkPixbuf *
reference_full (const char *path,
                int         orientation)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkPixbuf) full = gdk_pixbuf_new_from_file (path, &error);
  g_autoptr(GdkPixbuf) scaled = NULL;
  int w, h, longest;

  g_assert_no_error (error);
  w = gdk_pixbuf_get_width (full);
  h = gdk_pixbuf_get_height (full);
  longest = MAX (w, h);
  if (longest > LK_COLLECTION_THUMBNAIL_SIZE)
    scaled = gdk_pixbuf_scale_simple (full, MAX (1, w * LK_COLLECTION_THUMBNAIL_SIZE / longest),
                                      MAX (1, h * LK_COLLECTION_THUMBNAIL_SIZE / longest),
                                      GDK_INTERP_BILINEAR);
  else
    scaled = g_object_ref (full);
  if (orientation > 1)
    {
      g_autofree char *value = g_strdup_printf ("%d", orientation);
      g_autoptr(GdkPixbuf) copy = gdk_pixbuf_copy (scaled);

      gdk_pixbuf_set_option (copy, "orientation", value);
      return gdk_pixbuf_apply_embedded_orientation (copy);
    }

  return g_steal_pointer (&scaled);
}

/* Mean absolute difference over the RGB channels (either image may carry alpha: GdkPixbuf's
 * loader gives CMYK files an opaque alpha channel). */
static double
mean_abs_diff (GdkPixbuf *a,
               GdkPixbuf *b)
{
  const guint8 *pa = gdk_pixbuf_read_pixels (a), *pb = gdk_pixbuf_read_pixels (b);
  int na = gdk_pixbuf_get_n_channels (a), nb = gdk_pixbuf_get_n_channels (b);
  int w = gdk_pixbuf_get_width (a), h = gdk_pixbuf_get_height (a);
  double sum = 0;

  g_assert_cmpint (w, ==, gdk_pixbuf_get_width (b));
  g_assert_cmpint (h, ==, gdk_pixbuf_get_height (b));
  for (int y = 0; y < h; y++)
    for (int x = 0; x < w; x++)
      for (int k = 0; k < 3; k++)
        sum += fabs ((double) pa[y * gdk_pixbuf_get_rowstride (a) + x * na + k] -
                     pb[y * gdk_pixbuf_get_rowstride (b) + x * nb + k]);

  return sum / ((double) w * h * 3);
}

/* Relative L2 distance between the @kind descriptors of @a and of @reference. */
static double
feature_distance (GdkPixbuf     *a,
                  GdkPixbuf     *reference,
                  LkFeatureKind  kind)
{
  guint dim = lk_feature_kind_get_dim (kind);
  g_autofree double *fa = g_new (double, dim);
  g_autofree double *fr = g_new (double, dim);
  g_autoptr(GError) error = NULL;
  double d = 0, n = 0;

  g_assert_true (lk_image_features_compute (a, kind, fa, &error));
  g_assert_true (lk_image_features_compute (reference, kind, fr, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < dim; i++)
    {
      d += (fa[i] - fr[i]) * (fa[i] - fr[i]);
      n += fr[i] * fr[i];
    }

  return sqrt (d) / MAX (sqrt (n), 1e-12);
}

static gssize
read_file_cb (guint8   *buffer,
              gsize     size,
              gpointer  user_data)
{
  return (gssize) fread (buffer, 1, size, user_data);
}

/* Returns the DCT scale lk_jpeg_decode_thumbnail() picks for @path. */
static guint
scale_of (const char *path)
{
  FILE *f = fopen (path, "rb");
  g_autoptr(GdkPixbuf) thumb = NULL;
  LkJpegInfo info;

  g_assert_nonnull (f);
  g_assert_cmpint (lk_jpeg_decode_thumbnail (read_file_cb, f, LK_COLLECTION_THUMBNAIL_SIZE,
                                             LK_COLLECTION_MAX_PIXELS_JPEG, &info, &thumb),
                   ==, LK_JPEG_DECODED);
  fclose (f);
  g_free (info.message);

  return info.scale_denom;
}

static void
test_thumbnails (void)
{
  g_autofree char *dir = store_test_tmpdir ();

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const Case *c = &cases[i];
      g_autofree char *path = g_build_filename (dir, c->name, NULL);
      g_autoptr(GFile) file = g_file_new_for_path (path);
      g_autoptr(GError) error = NULL;
      g_autoptr(GdkPixbufLoader) png = gdk_pixbuf_loader_new_with_type ("png", NULL);
      g_autoptr(GdkPixbuf) today = NULL;
      g_autoptr(GdkPixbuf) full = NULL;
      g_autofree char *reason = NULL;
      LkDecodedImage d = { 0 };
      GdkPixbuf *thumb;
      double mae_today, mae_full, color, hog;

      write_jpeg (path, c);
      /* The largest reduction that covers the thumbnail (1/scale; each case made for one). */
      g_assert_cmpuint (scale_of (path), ==, c->scale);
      /* The largest reduction that covers the thumbnail (1/scale, each case made for one). */
      g_assert_cmpuint (scale_of (path), ==, c->scale);
      if (!lk_collection_decode (file, &d, &reason, NULL, &error))
        g_error ("%s: %s", c->name, reason != NULL ? reason : error->message);
      g_assert_cmpstr (d.format, ==, "jpeg");
      g_assert_cmpint (d.width, ==, c->width);
      g_assert_cmpint (d.height, ==, c->height);
      g_assert_true (gdk_pixbuf_loader_write_bytes (png, d.png, &error));
      g_assert_true (gdk_pixbuf_loader_close (png, &error));
      thumb = gdk_pixbuf_loader_get_pixbuf (png);
      g_assert_cmpint (gdk_pixbuf_get_width (thumb), ==, d.thumb_width);
      g_assert_cmpint (gdk_pixbuf_get_height (thumb), ==, d.thumb_height);
      /* Orientations 5..8 swap the sides. */
      g_assert_cmpint (MAX (d.thumb_width, d.thumb_height), ==,
                       MIN (MAX (c->width, c->height), LK_COLLECTION_THUMBNAIL_SIZE));
      if (c->orientation >= 5)
        g_assert_cmpint (d.thumb_width < d.thumb_height, ==, c->width > c->height);
      else
        g_assert_cmpint (d.thumb_width < d.thumb_height, ==, c->width < c->height);

      today = reference_loader (path);
      mae_today = mean_abs_diff (thumb, today);
      color = feature_distance (thumb, today, LK_FEATURE_COLOR);
      hog = feature_distance (thumb, today, LK_FEATURE_HOG);
      g_test_message ("%s: to GdkPixbuf's loader: mean abs diff %.3f, colour %.5f, HOG %.5f",
                      c->name, mae_today, color, hog);
      if (mae_today > 0.5 || color > 0.01 || hog > 0.01)
        g_error ("%s: to GdkPixbuf's loader: mean abs diff %.3f, colour %.5f, HOG %.5f",
                 c->name, mae_today, color, hog);

      full = reference_full (path, c->orientation);
      mae_full = mean_abs_diff (thumb, full);
      color = feature_distance (thumb, full, LK_FEATURE_COLOR);
      hog = feature_distance (thumb, full, LK_FEATURE_HOG);
      g_test_message ("%s: to a full decode: mean abs diff %.3f, colour %.4f, HOG %.4f",
                      c->name, mae_full, color, hog);
      if (mae_full > 3.0 || color > 0.06 || hog > 0.15)
        g_error ("%s: to a full decode: mean abs diff %.3f, colour %.4f, HOG %.4f",
                 c->name, mae_full, color, hog);
      lk_collection_decoded_clear (&d);
      g_remove (path);
    }
  lk_test_rmdir (dir);
}

/* A progressive JPEG (its cut shows while libjpeg reads every scan, before any output) and a
 * CMYK one, cut in the middle: with an end marker appended they are reported as truncated
 * (libjpeg's warning), without one as ending early (the end marker missing). */
static void
test_cut (void)
{
  static const Case cut_cases[] = {
    { "progressive.jpg", 1600, 1200, KIND_YCC420,     TRUE,  0, FALSE, 4 },
    { "cmyk.jpg",         640,  480, KIND_CMYK_ADOBE, FALSE, 0, FALSE, 2 },
  };
  g_autofree char *dir = store_test_tmpdir ();

  for (guint i = 0; i < G_N_ELEMENTS (cut_cases); i++)
    for (guint with_eoi = 0; with_eoi < 2; with_eoi++)
      {
        g_autofree char *path = g_build_filename (dir, cut_cases[i].name, NULL);
        g_autoptr(GFile) file = g_file_new_for_path (path);
        g_autoptr(GError) error = NULL;
        g_autofree char *contents = NULL;
        g_autofree char *reason = NULL;
        LkDecodedImage d = { 0 };
        gsize len = 0;

        write_jpeg (path, &cut_cases[i]);
        g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
        contents[len / 2] = (char) 0xff;
        contents[len / 2 + 1] = (char) 0xd9;
        g_assert_true (g_file_set_contents (path, contents, len / 2 + (with_eoi ? 2 : 0), NULL));
        g_assert_false (lk_collection_decode (file, &d, &reason, NULL, &error));
        g_assert_no_error (error);
        g_assert_nonnull (reason);
        if (strstr (reason, with_eoi ? "truncated image (the JPEG data stops"
                                     : "damaged or truncated image (the jpeg data ends early)")
            == NULL)
          g_error ("%s%s: %s", cut_cases[i].name, with_eoi ? " with EOI" : "", reason);
        g_remove (path);
      }
  lk_test_rmdir (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/lk/store/jpeg/thumbnails", test_thumbnails);
  g_test_add_func ("/lk/store/jpeg/cut", test_cut);

  return g_test_run ();
}
