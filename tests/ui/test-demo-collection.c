/* test-demo-collection.c — the generated demo images, without a display
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "lk-demo-collection.h"
#include "lk-locale.h"

/* Returns the RGBA bytes of @texture's pixel at (@x, @y). */
static void
pixel (GdkTexture *texture,
       int         x,
       int         y,
       guint8      rgba[4])
{
  int w = gdk_texture_get_width (texture);
  int h = gdk_texture_get_height (texture);
  g_autofree guint8 *data = g_malloc ((gsize) w * h * 4);
  guint8 *p = data + ((gsize) y * w + x) * 4;

  /* gdk_texture_download gives premultiplied B8G8R8A8 on little-endian machines (cairo's). */
  gdk_texture_download (texture, data, (gsize) w * 4);
  rgba[0] = p[2];
  rgba[1] = p[1];
  rgba[2] = p[0];
  rgba[3] = p[3];
}

static void
test_colours (void)
{
  g_autoptr(GError) error = NULL;
  LkDemoCollection *demo = lk_demo_collection_new ("colours", &error);
  LkImageSource *source = LK_IMAGE_SOURCE (demo);
  g_autoptr(GdkTexture) a = NULL;
  g_autoptr(GdkTexture) again = NULL;
  g_autofree char *title = NULL;
  guint8 corner[4], centre[4];
  unsigned r, g, b;

  g_assert_no_error (error);
  g_assert_cmpstr (lk_demo_collection_get_name (demo), ==, "colours");
  g_assert_cmpuint (lk_image_source_get_n_items (source), ==, 120);

  a = lk_image_source_dup_texture (source, 17);
  again = lk_image_source_dup_texture (source, 17);
  g_assert_true (a == again);
  g_assert_cmpint (gdk_texture_get_width (a), ==, 192);

  /* Solid: the same colour everywhere, and the one the title names. */
  pixel (a, 0, 0, corner);
  pixel (a, 96, 96, centre);
  g_assert_cmpmem (corner, 4, centre, 4);
  title = lk_image_source_dup_title (source, 17);
  g_assert_cmpint (sscanf (title, "Colour #%02x%02x%02x", &r, &g, &b), ==, 3);
  g_assert_cmpuint (r, ==, centre[0]);
  g_assert_cmpuint (g, ==, centre[1]);
  g_assert_cmpuint (b, ==, centre[2]);

  g_clear_object (&a);
  g_clear_object (&again);
  g_assert_finalize_object (demo);
}

static void
test_letters (void)
{
  g_autoptr(GError) error = NULL;
  LkDemoCollection *demo = lk_demo_collection_new ("letters", &error);
  LkImageSource *source = LK_IMAGE_SOURCE (demo);
  g_autoptr(GdkTexture) letter = NULL;
  g_autofree char *title = NULL;
  guint8 corner[4];
  guint dark = 0;
  int w;
  g_autofree guint8 *data = NULL;

  g_assert_no_error (error);
  g_assert_cmpuint (lk_image_source_get_n_items (source), ==, 26 * 5);
  title = lk_image_source_dup_title (source, 26 + 7);
  g_assert_cmpstr (title, ==, "Letter H in DejaVu Serif Bold");

  /* A light card with dark ink on it. */
  letter = lk_image_source_dup_texture (source, 26 + 7);
  pixel (letter, 1, 1, corner);
  g_assert_cmpuint (corner[0], >, 240);
  w = gdk_texture_get_width (letter);
  data = g_malloc ((gsize) w * w * 4);
  gdk_texture_download (letter, data, (gsize) w * 4);
  for (gsize i = 0; i < (gsize) w * w; i++)
    dark += data[4 * i + 1] < 100;
  g_assert_cmpuint (dark, >, w * w / 50);
  g_assert_cmpuint (dark, <, w * w / 2);

  g_clear_object (&letter);
  g_assert_finalize_object (demo);
}

static void
test_unknown (void)
{
  g_autoptr(GError) error = NULL;
  LkDemoCollection *demo = lk_demo_collection_new ("planets", &error);

  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_null (demo);
}

int
main (int   argc,
      char *argv[])
{
  lk_locale_init ("C.UTF-8");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/lk/ui/demo-collection/colours", test_colours);
  g_test_add_func ("/lk/ui/demo-collection/letters", test_letters);
  g_test_add_func ("/lk/ui/demo-collection/unknown", test_unknown);

  return g_test_run ();
}
