/* test-dark-style.c — the experimenter's views and the practice badge in the dark style: the
 * views' inks keep their contrast, on screen they draw dark under AdwStyleManager's dark style
 * (exports stay light, being figures for papers), and the badge's text, as GTK draws it, is
 * at least 4.5:1 on its fill in both styles
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <math.h>

#include "lk-cairo-view.h"
#include "lk-charts.h"
#include "lk-cluster-heatmap-view.h"
#include "lk-embedding-view.h"
#include "lk-knn-view.h"
#include "lk-locale.h"
#include "lk-ui-test.h"

static void
set_dark (gboolean dark)
{
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      dark ? ADW_COLOR_SCHEME_FORCE_DARK
                                           : ADW_COLOR_SCHEME_FORCE_LIGHT);
  lk_ui_test_flush ();
  g_assert_cmpint (adw_style_manager_get_dark (adw_style_manager_get_default ()), ==, dark);
}

/* Text inks against the background: 7:1 for titles and text, 4.5:1 for dim text. */
static void
test_inks (void)
{
  for (int dark = 0; dark <= 1; dark++)
    {
      double bg[3], ink[3];

      lk_cairo_view_get_ink_rgb (dark, LK_INK_BACKGROUND, bg);
      lk_cairo_view_get_ink_rgb (dark, LK_INK_TITLE, ink);
      g_assert_cmpfloat (lk_contrast_ratio (ink, bg), >=, 7.0);
      lk_cairo_view_get_ink_rgb (dark, LK_INK_TEXT, ink);
      g_assert_cmpfloat (lk_contrast_ratio (ink, bg), >=, 7.0);
      lk_cairo_view_get_ink_rgb (dark, LK_INK_DIM_TEXT, ink);
      g_assert_cmpfloat (lk_contrast_ratio (ink, bg), >=, 4.5);
    }

  /* The formula against a hand-worked case: black on white is 21:1, and #777777 on white
   * 4.48:1 (luminance 0.1845, (1.05) / (0.2345)). */
  g_assert_cmpfloat_with_epsilon (lk_contrast_ratio ((double[3]) { 0, 0, 0 },
                                                     (double[3]) { 1, 1, 1 }), 21.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (lk_contrast_ratio ((double[3]) { 0x77 / 255.0, 0x77 / 255.0,
                                                                   0x77 / 255.0 },
                                                     (double[3]) { 1, 1, 1 }), 4.48, 0.01);
}

static void
pixel_rgb (cairo_surface_t *surface,
           int              x,
           int              y,
           double           rgb[3])
{
  const guint8 *data = cairo_image_surface_get_data (surface);
  guint32 v = *(const guint32 *) (gconstpointer) (data + (gsize) y * cairo_image_surface_get_stride (surface)
                                                  + 4 * (gsize) x);

  rgb[0] = ((v >> 16) & 0xff) / 255.0;
  rgb[1] = ((v >> 8) & 0xff) / 255.0;
  rgb[2] = (v & 0xff) / 255.0;
}

/* Draws @view (@screen: as on screen, else as an export) and returns the background's colour
 * (a corner) and the best contrast any pixel of the title has on it. */
static double
draw_view (GtkWidget *view,
           gboolean   screen,
           double     corner[3])
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 480, 240);
  cairo_t *cr = cairo_create (surface);
  double best = 1;

  if (screen)
    lk_cairo_view_render_screen (LK_CAIRO_VIEW (view), cr, 480, 240, 1);
  else
    lk_cairo_view_render (LK_CAIRO_VIEW (view), cr, 480, 240);
  cairo_destroy (cr);
  cairo_surface_flush (surface);
  pixel_rgb (surface, 479, 239, corner);
  for (int y = 4; y < 24; y++)
    for (int x = 8; x < 160; x++)
      {
        double rgb[3];

        pixel_rgb (surface, x, y, rgb);
        best = MAX (best, lk_contrast_ratio (rgb, corner));
      }
  cairo_surface_destroy (surface);

  return best;
}

static double
luminance_of (const double rgb[3])
{
  /* Its contrast on black gives it back: (L + 0.05) / 0.05. */
  return lk_contrast_ratio (rgb, (double[3]) { 0, 0, 0 }) * 0.05 - 0.05;
}

static void
test_views (void)
{
  GtkWidget *views[] = {
    lk_convergence_view_new (), lk_progress_view_new (), lk_cluster_heatmap_view_new (),
    lk_embedding_view_new (FALSE), lk_embedding_view_new (TRUE), lk_knn_view_new (),
  };

  for (guint i = 0; i < G_N_ELEMENTS (views); i++)
    {
      double corner[3], contrast;

      g_object_ref_sink (views[i]);

      set_dark (TRUE);
      contrast = draw_view (views[i], TRUE, corner);
      g_assert_cmpfloat (luminance_of (corner), <, 0.02);
      g_assert_cmpfloat (contrast, >=, 7.0);
      /* An export is a figure for a paper: light, whatever the style. */
      contrast = draw_view (views[i], FALSE, corner);
      g_assert_cmpfloat (luminance_of (corner), >, 0.99);
      g_assert_cmpfloat (contrast, >=, 7.0);

      set_dark (FALSE);
      contrast = draw_view (views[i], TRUE, corner);
      g_assert_cmpfloat (luminance_of (corner), >, 0.99);
      g_assert_cmpfloat (contrast, >=, 7.0);

      g_object_unref (views[i]);
    }
}

/* Renders @widget as GTK draws it and returns its pixels (ARGB32, premultiplied). */
static guint8 *
render_widget (GtkWidget *widget,
               int       *width,
               int       *height)
{
  GdkPaintable *paintable = gtk_widget_paintable_new (widget);
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  GskRenderNode *node;
  GdkTexture *texture;
  guint8 *data;

  *width = gtk_widget_get_width (widget);
  *height = gtk_widget_get_height (widget);
  gdk_paintable_snapshot (paintable, snapshot, *width, *height);
  node = gtk_snapshot_free_to_node (snapshot);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (gtk_widget_get_native (widget)),
                                         node, &GRAPHENE_RECT_INIT (0, 0, *width, *height));
  data = g_malloc ((gsize) *width * *height * 4);
  gdk_texture_download (texture, data, (gsize) *width * 4);
  g_object_unref (texture);
  gsk_render_node_unref (node);
  g_object_unref (paintable);

  return data;
}

/* The badge inside a header as the sorting page has it, drawn with the header (a fill that lets
 * the header through counts as it shows); returns the contrast of its text on its fill: the
 * fill is the commonest colour unlike the header's (a corner), the text the pixel most unlike
 * the fill. */
static double
badge_contrast (GtkWidget *header)
{
  int width, height;
  g_autofree guint8 *data = render_widget (header, &width, &height);
  g_autoptr(GHashTable) counts = g_hash_table_new (NULL, NULL);
  const guint32 *pixels = (const guint32 *) (gconstpointer) data;
  guint32 fill_pixel = pixels[0];
  guint most = 0;
  double fill[3], best = 1;

  for (int i = 0; i < width * height; i++)
    {
      guint n = GPOINTER_TO_UINT (g_hash_table_lookup (counts, GUINT_TO_POINTER (pixels[i]))) + 1;

      g_assert_cmpuint (pixels[i] >> 24, ==, 255);
      g_hash_table_insert (counts, GUINT_TO_POINTER (pixels[i]), GUINT_TO_POINTER (n));
      if (pixels[i] != pixels[0] && n > most)
        {
          most = n;
          fill_pixel = pixels[i];
        }
    }
  fill[0] = ((fill_pixel >> 16) & 0xff) / 255.0;
  fill[1] = ((fill_pixel >> 8) & 0xff) / 255.0;
  fill[2] = (fill_pixel & 0xff) / 255.0;
  for (int i = 0; i < width * height; i++)
    {
      double rgb[3] = { ((pixels[i] >> 16) & 0xff) / 255.0, ((pixels[i] >> 8) & 0xff) / 255.0,
                        (pixels[i] & 0xff) / 255.0 };

      best = MAX (best, lk_contrast_ratio (rgb, fill));
    }

  return best;
}

static void
test_practice_badge (void)
{
  g_autoptr(GtkCssProvider) css = gtk_css_provider_new ();
  GtkWidget *window = gtk_window_new ();
  GtkWidget *header = gtk_center_box_new ();
  GtkWidget *badge = gtk_label_new ("Practice: not recorded");

  /* Without an AdwApplication the app's stylesheet is not loaded by itself. */
  gtk_css_provider_load_from_resource (css, "/io/github/likeness/Likeness/style.css");
  gtk_style_context_add_provider_for_display (gdk_display_get_default (),
                                              GTK_STYLE_PROVIDER (css),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  gtk_widget_add_css_class (header, "sort-header");
  gtk_widget_add_css_class (badge, "practice-tag");
  gtk_center_box_set_center_widget (GTK_CENTER_BOX (header), badge);
  gtk_window_set_child (GTK_WINDOW (window), header);
  gtk_window_present (GTK_WINDOW (window));
  lk_ui_test_wait_mapped (badge);

  for (int dark = 1; dark >= 0; dark--)
    {
      double contrast;

      set_dark (dark);
      lk_ui_test_wait_mapped (badge);
      contrast = badge_contrast (header);
      g_test_message ("practice badge, %s style: %.2f:1", dark ? "dark" : "light", contrast);
      g_assert_cmpfloat (contrast, >=, 4.5);
    }

  gtk_style_context_remove_provider_for_display (gdk_display_get_default (),
                                                 GTK_STYLE_PROVIDER (css));
  gtk_window_destroy (GTK_WINDOW (window));
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      ADW_COLOR_SCHEME_DEFAULT);
  lk_ui_test_flush ();
}

int
main (int   argc,
      char *argv[])
{
  lk_locale_init ("C.UTF-8");
  if (!lk_ui_test_init (&argc, &argv))
    return 0;

  g_test_add_func ("/lk/ui/dark-style/inks", test_inks);
  g_test_add_func ("/lk/ui/dark-style/views", test_views);
  g_test_add_func ("/lk/ui/dark-style/practice-badge", test_practice_badge);

  return g_test_run ();
}
