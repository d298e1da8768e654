/* test-instructions.c — the instructions page shows its worked example, drawn in the sorting
 * screen's bin colours, with the study's number keys
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "lk-instructions-example-private.h"
#include "lk-locale.h"
#include "lk-session-test.h"
#include "lk-session-view-private.h"
#include "lk-ui-test.h"

typedef struct {
  guint8 r, g, b;
} Rgb;

typedef struct {
  LkDemoCollection *source;
  LkMemoryRun    *saver;
  LkSession        *session;
  GtkWindow        *window;
  LkSessionView    *view;
  GtkCssProvider   *css;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  LkSessionSetup setup;

  session_test_setup (&setup);
  setup.params.budget = 4;
  setup.params.phases = 1;
  setup.break_every = 0;
  setup.n_practice = 1;
  setup.consent = NULL;            /* straight to the instructions */
  fixture->session = session_test_new (&setup, "P-EXMPL", FALSE, &fixture->source,
                                       &fixture->saver);

  /* A window without the application gets no style.css by itself: the application loads it
   * at startup, so a test that has none loads it here. */
  fixture->css = gtk_css_provider_new ();
  gtk_css_provider_load_from_resource (fixture->css, "/io/github/likeness/Likeness/style.css");
  gtk_style_context_add_provider_for_display (gdk_display_get_default (),
                                              GTK_STYLE_PROVIDER (fixture->css),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);

  fixture->view = LK_SESSION_VIEW (lk_session_view_new ());
  lk_session_view_set_n_bins (fixture->view, setup.params.nc);
  lk_session_view_set_session (fixture->view, fixture->session);
  fixture->window = lk_ui_test_show (GTK_WIDGET (fixture->view));
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  gtk_window_destroy (fixture->window);
  lk_ui_test_flush ();
  gtk_style_context_remove_provider_for_display (gdk_display_get_default (),
                                                 GTK_STYLE_PROVIDER (fixture->css));
  g_clear_object (&fixture->css);
  session_test_free (fixture->session, fixture->saver, fixture->source);
}

static void
painted_cb (GdkFrameClock *clock,
            gboolean      *painted)
{
  *painted = TRUE;
}

/* Waits until @widget's window has painted a frame after now, or fails after 10 s. */
static void
wait_painted (GtkWidget *widget)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (widget);
  gint64 end = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  gboolean painted = FALSE;
  gulong id = g_signal_connect (clock, "after-paint", G_CALLBACK (painted_cb), &painted);
  guint awake = g_timeout_add (20, lk_ui_test_timeout_cb, NULL);

  gtk_widget_queue_draw (widget);
  while (!painted)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, end);
      g_main_context_iteration (NULL, TRUE);
    }
  g_source_remove (awake);
  g_signal_handler_disconnect (clock, id);
}

/* Renders @widget as GTK draws it, and returns its pixels as RGBA rows of 4 * *width bytes. */
static guint8 *
render (GtkWidget *widget,
        int       *width,
        int       *height)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  guint8 *data;

  *width = gtk_widget_get_width (widget);
  *height = gtk_widget_get_height (widget);
  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), *width, *height);
  node = gtk_snapshot_free_to_node (snapshot);
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (gtk_widget_get_native (widget)),
                                         node, &GRAPHENE_RECT_INIT (0, 0, *width, *height));
  data = g_malloc ((gsize) *width * *height * 4);
  /* GDK_MEMORY_DEFAULT is B8G8R8A8 premultiplied; the pixels counted here are opaque. */
  gdk_texture_download (texture, data, (gsize) *width * 4);

  return data;
}

/* Counts the pixels within 4 of @c in every channel (opaque ones; BGRA order). */
static guint
count_colour (const guint8 *data,
              int           width,
              int           height,
              Rgb           c)
{
  guint n = 0;

  for (int i = 0; i < width * height; i++)
    {
      const guint8 *p = data + 4 * i;

      if (p[3] == 255 && ABS (p[2] - c.r) <= 4 && ABS (p[1] - c.g) <= 4 && ABS (p[0] - c.b) <= 4)
        n++;
    }

  return n;
}

/* Reads "lk-bin.bin-N { border-color: #rrggbb" (or, with @number, "lk-bin.bin-N .bin-number
 * { background-color: #rrggbb") from the source tree's style.css: the sorting screen's colours. */
static Rgb
css_colour (guint    bin,
            gboolean number)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "..", "..", "resources", "style.css",
                                                 NULL);
  g_autofree char *css = NULL;
  g_autofree char *key = number ? g_strdup_printf ("lk-bin.bin-%u .bin-number {", bin)
                                : g_strdup_printf ("lk-bin.bin-%u {", bin);
  g_autoptr(GError) error = NULL;
  const char *at, *hash;
  unsigned r, g, b;

  g_assert_true (g_file_get_contents (path, &css, NULL, &error));
  g_assert_no_error (error);
  at = strstr (css, key);
  g_assert_nonnull (at);
  hash = strchr (at, '#');
  g_assert_nonnull (hash);
  g_assert_cmpint (sscanf (hash, "#%02x%02x%02x", &r, &g, &b), ==, 3);

  return (Rgb) { r, g, b };
}

static void
test_shown (Fixture       *fixture,
            gconstpointer  data)
{
  LkInstructionsExample *example = LK_INSTRUCTIONS_EXAMPLE (lk_session_view_get_example (fixture->view));
  GtkWidget *drawing = lk_instructions_example_get_drawing (example);
  g_autofree guint8 *pixels = NULL;
  graphene_rect_t bounds;
  int width, height;

  g_assert_cmpstr (lk_session_view_get_page (fixture->view), ==, "instructions");
  g_assert_true (gtk_widget_get_mapped (drawing));
  g_assert_cmpstr (lk_instructions_example_get_bin_keys (example), ==, "1...3");

  /* Not cut off: all of it inside the 760 px window, above the Start button. */
  g_assert_true (gtk_widget_compute_bounds (drawing, GTK_WIDGET (fixture->window), &bounds));
  g_assert_cmpfloat (bounds.origin.y, >=, 0);
  g_assert_cmpfloat (bounds.origin.y + bounds.size.height, <=,
                     gtk_widget_get_height (GTK_WIDGET (fixture->window)));
  g_assert_cmpfloat (bounds.size.width, >=, 500);

  wait_painted (drawing);
  pixels = render (drawing, &width, &height);
  for (guint bin = 1; bin <= 3; bin++)
    {
      guint border = count_colour (pixels, width, height, css_colour (bin, FALSE));
      guint number = count_colour (pixels, width, height, css_colour (bin, TRUE));

      /* A 3 px border around a 112x104 bin, and a number disc of radius 13. */
      if (g_test_verbose ())
        g_printerr ("bin %u: %u border pixels, %u number pixels\n", bin, border, number);
      g_assert_cmpuint (border, >, 300);
      g_assert_cmpuint (number, >, 200);
    }
  /* Three bins in the example: no fourth one's colour. */
  g_assert_cmpuint (count_colour (pixels, width, height, css_colour (4, FALSE)), <, 10);
}

static void
test_keys (Fixture       *fixture,
           gconstpointer  data)
{
  LkInstructionsExample *example = LK_INSTRUCTIONS_EXAMPLE (lk_session_view_get_example (fixture->view));

  lk_session_view_set_n_bins (fixture->view, 5);
  g_assert_cmpstr (lk_instructions_example_get_bin_keys (example), ==, "1...5");
  g_assert_cmpuint (lk_instructions_example_get_n_bins (example), ==, 5);
  g_assert_cmpstr (lk_instructions_example_get_take_out_keys (example), ==, "0 BackSpace");
  lk_session_view_set_n_bins (fixture->view, 9);
  g_assert_cmpstr (lk_instructions_example_get_bin_keys (example), ==, "1...9");
  g_assert_cmpstr (lk_instructions_example_get_take_out_keys (example), ==, "0 BackSpace");
  /* Ten bins: 0 is the tenth's key, and only Backspace takes an image out. */
  lk_session_view_set_n_bins (fixture->view, 10);
  g_assert_cmpstr (lk_instructions_example_get_bin_keys (example), ==, "1...9 0");
  g_assert_cmpstr (lk_instructions_example_get_take_out_keys (example), ==, "BackSpace");
  /* Only 1 to 9 and 0 are keys on the sorting screen. */
  lk_session_view_set_n_bins (fixture->view, 12);
  g_assert_cmpstr (lk_instructions_example_get_bin_keys (example), ==, "1...9 0");
}

int
main (int   argc,
      char *argv[])
{
  lk_locale_init ("C.UTF-8");
  if (!lk_ui_test_init (&argc, &argv))
    return 0;

  g_test_add ("/lk/ui/instructions/example-shown", Fixture, NULL, fixture_set_up, test_shown,
              fixture_tear_down);
  g_test_add ("/lk/ui/instructions/keys", Fixture, NULL, fixture_set_up, test_keys,
              fixture_tear_down);

  return g_test_run ();
}
