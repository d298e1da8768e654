/* test-palette.c — the sorting page's palette way of working (paper 002), with real keys and
 * real pointer clicks: a number key or a click on a bin picks its colour, a click on an image
 * (or Space on the one focused) puts it there, and again takes it back out; without the
 * palette the keys work as before
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "lk-keys-test.h"
#include "lk-locale.h"
#include "lk-session-view-test.h"
#include "lk-sort-page-private.h"

typedef struct {
  LkSortModel *model;
  guint        position;
  gint         bin;
} BinIs;

static gboolean
bin_is (gpointer data)
{
  BinIs *want = data;

  return lk_sort_model_get_bin (want->model, want->position) == want->bin;
}

typedef struct {
  LkSortPage *page;
  gint        brush;
} BrushIs;

static gboolean
brush_is (gpointer data)
{
  BrushIs *want = data;

  return lk_sort_page_get_brush (want->page) == want->brush;
}

/* Clicks the middle of @widget with the real pointer. */
static void
click (GtkWindow *window,
       GtkWidget *widget)
{
  GdkSurface *surface = gtk_native_get_surface (GTK_NATIVE (window));
  g_autofree char *xid = g_strdup_printf ("%lu", gdk_x11_surface_get_xid (surface));
  graphene_point_t centre, at;
  double sx, sy;
  g_autofree char *x = NULL, *y = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  g_assert_true (gtk_widget_get_mapped (widget));
  centre = GRAPHENE_POINT_INIT (gtk_widget_get_width (widget) / 2.f,
                                gtk_widget_get_height (widget) / 2.f);
  g_assert_true (gtk_widget_compute_point (widget, GTK_WIDGET (window), &centre, &at));
  gtk_native_get_surface_transform (GTK_NATIVE (window), &sx, &sy);
  x = g_strdup_printf ("%d", (int) (at.x + sx));
  y = g_strdup_printf ("%d", (int) (at.y + sy));
  {
    const char *argv[] = { "xdotool", "windowfocus", "--sync", xid, "mousemove", "--sync",
                           "--window", xid, x, y, "click", "1", NULL };

    g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL,
                  &status, &error);
  }
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
}

static void
test_palette (void)
{
  SessionViewTest test;
  LkKeysTest keys;
  LkSessionSetup setup;
  LkSortPage *page;
  LkSortModel *model;
  BinIs want;
  BrushIs brush;

  session_test_setup (&setup);
  setup.consent = NULL;
  setup.n_practice = 0;
  session_view_test_show (&test, &setup, "P-PAINT");
  lk_keys_test_init (&keys, test.window);
  session_view_test_activate (&test, "session.begin");
  page = lk_session_view_get_sort_page (test.view);
  model = lk_sort_page_get_model (page);
  g_assert_nonnull (model);
  lk_ui_test_wait_painted (GTK_WIDGET (page));

  lk_sort_page_set_palette (page, TRUE);
  g_assert_cmpint (lk_sort_page_get_brush (page), ==, -1);

  /* A number key picks a colour and files nothing. */
  lk_keys_test_type (&keys, test.window, "2");
  g_assert_cmpint (lk_sort_page_get_brush (page), ==, 1);
  for (guint p = 0; p < lk_sort_model_get_n_items (model); p++)
    g_assert_cmpint (lk_sort_model_get_bin (model, p), ==, LK_BIN_LEFT_OUT);
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (lk_sort_page_get_bin (page, 1)), "brush"));

  /* A click puts the image in bin 2; a click on it there takes it back out. */
  want = (BinIs) { model, 0, 1 };
  click (test.window, GTK_WIDGET (lk_sort_page_get_tile (page, 0)));
  lk_ui_test_wait_for (bin_is, &want);
  lk_ui_test_wait_painted (GTK_WIDGET (page));
  want.bin = LK_BIN_LEFT_OUT;
  click (test.window, GTK_WIDGET (lk_sort_page_get_tile (page, 0)));
  lk_ui_test_wait_for (bin_is, &want);
  g_assert_cmpint (lk_sort_page_get_brush (page), ==, 1);

  /* A click on a bin picks its colour; Space puts the image focused there. */
  brush = (BrushIs) { page, 0 };
  click (test.window, GTK_WIDGET (lk_sort_page_get_bin (page, 0)));
  lk_ui_test_wait_for (brush_is, &brush);
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (lk_sort_page_get_bin (page, 1)), "brush"));
  g_assert_true (lk_sort_page_focus_image (page, 5));
  lk_keys_test_type (&keys, test.window, "space");
  g_assert_cmpint (lk_sort_model_get_bin (model, 5), ==, 0);
  lk_keys_test_type (&keys, test.window, "space");
  g_assert_cmpint (lk_sort_model_get_bin (model, 5), ==, LK_BIN_LEFT_OUT);

  /* Without the palette, a number key files the image focused, as before. */
  lk_sort_page_set_palette (page, FALSE);
  g_assert_cmpint (lk_sort_page_get_brush (page), ==, -1);
  g_assert_true (lk_sort_page_focus_image (page, 4));
  lk_keys_test_type (&keys, test.window, "3");
  g_assert_cmpint (lk_sort_model_get_bin (model, 4), ==, 2);

  session_view_test_free (&test);
}

int
main (int    argc,
      char **argv)
{
  if (!lk_ui_test_init (&argc, &argv))
    return 0;
  lk_locale_init ("C.UTF-8");
  if (!lk_keys_test_available ())
    {
      g_print ("1..0 # SKIP no xdotool or no X11 display\n");
      return 0;
    }

  g_test_add_func ("/lk/ui/palette/keys-and-pointer", test_palette);

  return g_test_run ();
}
