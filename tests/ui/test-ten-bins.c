/* test-ten-bins.c — the sorting page as papers 001 and 002 use it: ten groups with the keys 1 to 9
 * and 0 (0 the tenth), typed with real keys (xdotool), and a grid of 24 images
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <math.h>

#include "lk-bin-private.h"
#include "lk-demo-collection.h"
#include "lk-keys-test.h"
#include "lk-locale.h"
#include "lk-screenshot.h"
#include "lk-sort-page-private.h"

typedef struct {
  GtkWindow        *window;
  LkSortPage       *page;
  LkSortModel      *model;
  LkDemoCollection *source;
  LkKeysTest        keys;
} Fixture;

/* A page of @n_items images and @nc bins in a window of @width x @height. */
static void
fixture_show (Fixture *f,
              guint    n_items,
              guint    nc,
              int      width,
              int      height)
{
  g_autoptr(GError) error = NULL;
  guint items[60];

  g_assert_cmpuint (n_items, <=, G_N_ELEMENTS (items));
  for (guint i = 0; i < n_items; i++)
    items[i] = 3 + 4 * i;
  f->source = lk_demo_collection_new ("colours", &error);
  g_assert_no_error (error);
  f->model = lk_sort_model_new (items, n_items, nc, LK_SORT_RULE_ANY_PLACED);
  f->page = LK_SORT_PAGE (lk_sort_page_new ());
  lk_sort_page_set_model (f->page, f->model, LK_IMAGE_SOURCE (f->source));
  lk_sort_page_set_participant (f->page, "P-TEN");
  lk_sort_page_set_progress (f->page, 3, 30, FALSE);
  /* The app's style, as the application loads it: the bins' borders and sizes. */
  if (g_object_get_data (G_OBJECT (gdk_display_get_default ()), "test-css") == NULL)
    {
      GtkCssProvider *css = gtk_css_provider_new ();

      gtk_css_provider_load_from_resource (css, "/io/github/likeness/Likeness/style.css");
      gtk_style_context_add_provider_for_display (gdk_display_get_default (),
                                                  GTK_STYLE_PROVIDER (css),
                                                  GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
      g_object_set_data_full (G_OBJECT (gdk_display_get_default ()), "test-css", css,
                              g_object_unref);
    }
  f->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (f->window, width, height);
  gtk_window_set_child (f->window, GTK_WIDGET (f->page));
  gtk_window_present (f->window);
  lk_ui_test_wait_mapped (GTK_WIDGET (f->page));
  lk_ui_test_wait_painted (GTK_WIDGET (f->page));
  lk_keys_test_init (&f->keys, f->window);
}

static void
fixture_free (Fixture *f)
{
  gtk_window_destroy (f->window);
  lk_ui_test_flush ();
  g_assert_finalize_object (f->model);
  g_assert_finalize_object (f->source);
}

/* Returns the text of the number badge of bin @index. */
static const char *
badge (Fixture *f,
       guint    index)
{
  GtkWidget *widget = GTK_WIDGET (lk_sort_page_get_bin (f->page, index));
  GPtrArray *todo = g_ptr_array_new ();
  const char *text = NULL;

  g_ptr_array_add (todo, widget);
  while (todo->len > 0 && text == NULL)
    {
      GtkWidget *w = g_ptr_array_steal_index (todo, todo->len - 1);

      if (GTK_IS_LABEL (w) && gtk_widget_has_css_class (w, "bin-number"))
        text = gtk_label_get_label (GTK_LABEL (w));
      for (GtkWidget *c = gtk_widget_get_first_child (w); c != NULL; c = gtk_widget_get_next_sibling (c))
        g_ptr_array_add (todo, c);
    }
  g_ptr_array_unref (todo);
  g_assert_nonnull (text);

  return text;
}

/* Ten bins: 1 to 9 file into the first nine, 0 into the tenth; Backspace takes out. */
static void
test_ten_keys (void)
{
  Fixture f;

  fixture_show (&f, 24, 10, 1100, 760);
  g_assert_nonnull (lk_sort_page_get_bin (f.page, 9));
  g_assert_null (lk_sort_page_get_bin (f.page, 10));
  g_assert_cmpstr (badge (&f, 0), ==, "1");
  g_assert_cmpstr (badge (&f, 8), ==, "9");
  g_assert_cmpstr (badge (&f, 9), ==, "0");
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (lk_sort_page_get_bin (f.page, 9)),
                                           "bin-10"));

  /* Each key files the image focused, and the focus goes on to the next image. */
  g_assert_true (lk_sort_page_focus_image (f.page, 0));
  lk_keys_test_type (&f.keys, f.window, "1 2 3 4 5 6 7 8 9 0");
  for (guint p = 0; p < 10; p++)
    g_assert_cmpint (lk_sort_model_get_bin (f.model, p), ==, (gint) p);
  g_assert_cmpuint (lk_bin_get_n_tiles (lk_sort_page_get_bin (f.page, 9)), ==, 1);
  /* The keypad's 0 too. */
  lk_keys_test_type (&f.keys, f.window, "KP_0");
  g_assert_cmpint (lk_sort_model_get_bin (f.model, 10), ==, 9);

  /* Backspace takes the image focused back out of the tenth bin; 0 files it there again. */
  g_assert_true (lk_sort_page_focus_image (f.page, 9));
  lk_keys_test_type (&f.keys, f.window, "BackSpace");
  g_assert_cmpint (lk_sort_model_get_bin (f.model, 9), ==, LK_BIN_LEFT_OUT);
  g_assert_cmpuint (lk_bin_get_n_tiles (lk_sort_page_get_bin (f.page, 9)), ==, 1);
  g_assert_true (lk_sort_page_focus_image (f.page, 9));
  lk_keys_test_type (&f.keys, f.window, "0");
  g_assert_cmpint (lk_sort_model_get_bin (f.model, 9), ==, 9);

  /* The palette: 0 picks the tenth bin's colour. */
  lk_sort_page_set_palette (f.page, TRUE);
  lk_keys_test_type (&f.keys, f.window, "0");
  g_assert_cmpint (lk_sort_page_get_brush (f.page), ==, 9);
  g_assert_true (lk_sort_page_focus_image (f.page, 20));
  lk_keys_test_type (&f.keys, f.window, "space");
  g_assert_cmpint (lk_sort_model_get_bin (f.model, 20), ==, 9);

  fixture_free (&f);
}

/* Fewer than ten bins: 0 takes an image out, as before, and the badges read 1 to 4. */
static void
test_zero_takes_out (void)
{
  Fixture f;

  fixture_show (&f, 20, 4, 1100, 760);
  g_assert_cmpstr (badge (&f, 3), ==, "4");
  g_assert_true (lk_sort_page_focus_image (f.page, 2));
  lk_keys_test_type (&f.keys, f.window, "4");
  g_assert_cmpint (lk_sort_model_get_bin (f.model, 2), ==, 3);
  g_assert_true (lk_sort_page_focus_image (f.page, 2));
  lk_keys_test_type (&f.keys, f.window, "0");
  g_assert_cmpint (lk_sort_model_get_bin (f.model, 2), ==, LK_BIN_LEFT_OUT);
  /* 5 is no bin's key here. */
  lk_keys_test_type (&f.keys, f.window, "5");
  for (guint p = 0; p < 20; p++)
    g_assert_cmpint (lk_sort_model_get_bin (f.model, p), ==, LK_BIN_LEFT_OUT);

  fixture_free (&f);
}

/* Fails unless @widget lies wholly inside @window. */
static void
assert_inside (GtkWidget  *widget,
               GtkWindow  *window,
               const char *what)
{
  graphene_rect_t bounds;

  g_assert_true (gtk_widget_compute_bounds (widget, GTK_WIDGET (window), &bounds));
  if (bounds.origin.x < -0.5 || bounds.origin.y < -0.5
      || bounds.origin.x + bounds.size.width > gtk_widget_get_width (GTK_WIDGET (window)) + 0.5
      || bounds.origin.y + bounds.size.height > gtk_widget_get_height (GTK_WIDGET (window)) + 0.5)
    g_error ("%s lies at %g,%g %gx%g, not inside the window's %dx%d", what, bounds.origin.x,
             bounds.origin.y, bounds.size.width, bounds.size.height,
             gtk_widget_get_width (GTK_WIDGET (window)),
             gtk_widget_get_height (GTK_WIDGET (window)));
}

/* Paper 001's grid: 24 images in four rows of six, with ten bins (named or not), on a 1024x600
 * screen: every image, bin, name and Submit on it. With LK_TEST_SCREENSHOT set, the page with
 * names is saved there, in the app's style (the README's screenshot). */
static void
test_grid_24 (gconstpointer data)
{
  const int *size = data;

  for (guint naming = 0; naming < 2; naming++)
    {
      Fixture f;
      graphene_rect_t first, place, last;

      fixture_show (&f, 24, 10, size[0], size[1]);
      if (naming)
        {
          lk_sort_page_set_group_names (f.page, TRUE);
          lk_ui_test_wait_painted (GTK_WIDGET (f.page));
          lk_ui_test_wait_painted (GTK_WIDGET (f.page));
        }
      g_test_message ("24 images, 10 bins%s at %dx%d: %s, images of %d px",
                      naming ? ", named" : "", size[0], size[1],
                      lk_sort_page_get_compact (f.page) ? "compact" : "regular",
                      lk_sort_page_get_grid_tile_size (f.page));
      g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (f.window)), ==, size[0]);
      g_assert_cmpint (gtk_widget_get_height (GTK_WIDGET (f.window)), ==, size[1]);
      g_assert_cmpuint (lk_sort_page_get_columns (f.page), ==, 6);
      g_assert_true (gtk_widget_compute_bounds (lk_sort_page_get_place (f.page, 0),
                                                GTK_WIDGET (f.window), &first));
      last = first;
      for (guint p = 0; p < 24; p++)
        {
          g_assert_true (gtk_widget_compute_bounds (lk_sort_page_get_place (f.page, p),
                                                    GTK_WIDGET (f.window), &place));
          /* Row p / 6, column p % 6: a row starts under the last, at the first's left. */
          if (p % 6 == 0)
            {
              g_assert_cmpfloat (fabs (place.origin.x - first.origin.x), <, 0.5);
              if (p > 0)
                g_assert_cmpfloat (place.origin.y, >, last.origin.y + last.size.height - 0.5);
            }
          else
            {
              g_assert_cmpfloat (fabs (place.origin.y - last.origin.y), <, 0.5);
              g_assert_cmpfloat (place.origin.x, >, last.origin.x + last.size.width - 0.5);
            }
          assert_inside (lk_sort_page_get_place (f.page, p), f.window, "an image's place");
          last = place;
        }
      for (guint b = 0; b < 10; b++)
        {
          assert_inside (GTK_WIDGET (lk_sort_page_get_bin (f.page, b)), f.window, "a bin");
          if (naming)
            assert_inside (GTK_WIDGET (lk_bin_get_name_entry (lk_sort_page_get_bin (f.page, b))),
                           f.window, "a group's name");
        }
      assert_inside (lk_sort_page_get_submit_button (f.page), f.window, "Submit");
      if (naming && size[0] == 1024 && g_getenv ("LK_TEST_SCREENSHOT") != NULL)
        {
          /* Some images sorted and named, as a participant half-way would have them. */
          for (guint p = 0; p < 24; p += 3)
            lk_sort_model_move (f.model, p, (gint) ((p / 3) % 10));
          gtk_editable_set_text (GTK_EDITABLE (lk_bin_get_name_entry (lk_sort_page_get_bin (f.page, 0))), "reds");
          gtk_editable_set_text (GTK_EDITABLE (lk_bin_get_name_entry (lk_sort_page_get_bin (f.page, 1))), "greens");
          lk_ui_test_wait_painted (GTK_WIDGET (f.page));
          lk_ui_test_wait_painted (GTK_WIDGET (f.page));
          g_assert_true (lk_widget_save_png (GTK_WIDGET (f.window), g_getenv ("LK_TEST_SCREENSHOT")));
        }
      fixture_free (&f);
    }
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

  g_test_add_func ("/lk/ui/ten-bins/keys", test_ten_keys);
  g_test_add_func ("/lk/ui/ten-bins/zero-takes-out", test_zero_takes_out);
  g_test_add_data_func ("/lk/ui/ten-bins/grid-24/1024x600", (const int[]) { 1024, 600 },
                        test_grid_24);


  return g_test_run ();
}
