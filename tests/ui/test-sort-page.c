/* test-sort-page.c — the sorting screen driven through its own drop targets and actions
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <unistd.h>

#include "lk-demo-collection.h"
#include "lk-keys-test.h"
#include "lk-locale.h"
#include "lk-screenshot.h"
#include "lk-sort-page-private.h"
#include "lk-ui-test.h"
#include "lk-bin-private.h"

typedef struct {
  GtkWindow        *window;
  LkSortPage       *page;
  LkSortModel      *model;
  LkDemoCollection *source;
  guint             submitted;
} Fixture;

static void
submit_cb (LkSortPage *page,
           Fixture    *fixture)
{
  fixture->submitted++;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  guint items[20];

  for (guint i = 0; i < G_N_ELEMENTS (items); i++)
    items[i] = 100 - 3 * i;

  fixture->source = lk_demo_collection_new ("colours", &error);
  g_assert_no_error (error);
  fixture->model = lk_sort_model_new (items, G_N_ELEMENTS (items), 4,
                                      GPOINTER_TO_INT (data));
  fixture->page = LK_SORT_PAGE (lk_sort_page_new ());
  g_signal_connect (fixture->page, "submit", G_CALLBACK (submit_cb), fixture);
  lk_sort_page_set_model (fixture->page, fixture->model, LK_IMAGE_SOURCE (fixture->source));
  lk_sort_page_set_participant (fixture->page, "P-TEST7");
  lk_sort_page_set_progress (fixture->page, 7, 30, FALSE);

  fixture->window = lk_ui_test_show (GTK_WIDGET (fixture->page));
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  gtk_window_destroy (fixture->window);
  lk_ui_test_flush ();
  g_assert_finalize_object (fixture->model);
  g_assert_finalize_object (fixture->source);
}

/* Delivers a drop of the image at @position to @target, as GTK does at the end of a drag. */
static gboolean
drop (GtkDropTarget *target,
      guint          position)
{
  g_auto(GValue) value = G_VALUE_INIT;
  g_autofree char *text = g_strdup_printf ("tile-%u", position);
  gboolean accepted = FALSE;

  g_value_init (&value, G_TYPE_STRING);
  g_value_set_string (&value, text);
  g_signal_emit_by_name (target, "drop", &value, 10.0, 10.0, &accepted);
  lk_ui_test_flush ();

  return accepted;
}

static GtkDropTarget *
bin_target (Fixture *fixture,
            guint    bin)
{
  return lk_bin_get_drop_target (lk_sort_page_get_bin (fixture->page, bin));
}

static void
test_layout (Fixture       *fixture,
             gconstpointer  data)
{
  for (guint b = 0; b < 4; b++)
    {
      LkBin *bin = lk_sort_page_get_bin (fixture->page, b);

      g_assert_nonnull (bin);
      g_assert_cmpuint (lk_bin_get_index (bin), ==, b);
      g_assert_cmpuint (lk_bin_get_n_tiles (bin), ==, 0);
    }
  g_assert_null (lk_sort_page_get_bin (fixture->page, 4));
  g_assert_cmpstr (lk_sort_page_get_progress_text (fixture->page), ==, "Grid 7 of 30");
  g_assert_false (gtk_widget_get_sensitive (lk_sort_page_get_submit_button (fixture->page)));
  g_assert_cmpstr (lk_sort_page_get_status (fixture->page), ==, "Put at least one image into a bin");

  lk_sort_page_set_progress (fixture->page, 1, 2, TRUE);
  g_assert_cmpstr (lk_sort_page_get_progress_text (fixture->page), ==, "Practice grid 1 of 2");
}

static void
test_drops (Fixture       *fixture,
            gconstpointer  data)
{
  /* Grid to bin. */
  g_assert_true (drop (bin_target (fixture, 2), 3));
  g_assert_cmpint (lk_sort_model_get_bin (fixture->model, 3), ==, 2);
  g_assert_cmpuint (lk_bin_get_n_tiles (lk_sort_page_get_bin (fixture->page, 2)), ==, 1);
  g_assert_true (gtk_widget_get_sensitive (lk_sort_page_get_submit_button (fixture->page)));
  g_assert_cmpstr (lk_sort_page_get_status (fixture->page), ==, "Done? Press Enter or Submit");

  /* Bin to bin. */
  g_assert_true (drop (bin_target (fixture, 0), 3));
  g_assert_cmpint (lk_sort_model_get_bin (fixture->model, 3), ==, 0);
  g_assert_cmpuint (lk_bin_get_n_tiles (lk_sort_page_get_bin (fixture->page, 2)), ==, 0);
  g_assert_cmpuint (lk_bin_get_n_tiles (lk_sort_page_get_bin (fixture->page, 0)), ==, 1);

  /* Bin back to the grid. */
  g_assert_true (drop (lk_sort_page_get_grid_drop_target (fixture->page), 3));
  g_assert_cmpint (lk_sort_model_get_bin (fixture->model, 3), ==, LK_BIN_LEFT_OUT);
  g_assert_cmpuint (lk_bin_get_n_tiles (lk_sort_page_get_bin (fixture->page, 0)), ==, 0);
  g_assert_false (gtk_widget_get_sensitive (lk_sort_page_get_submit_button (fixture->page)));

  /* Junk is refused. */
  {
    g_auto(GValue) value = G_VALUE_INIT;
    gboolean accepted = TRUE;

    g_value_init (&value, G_TYPE_STRING);
    g_value_set_string (&value, "tile-99");
    g_signal_emit_by_name (bin_target (fixture, 1), "drop", &value, 1.0, 1.0, &accepted);
    g_assert_false (accepted);
  }
  g_assert_cmpuint (lk_sort_model_get_n_in_bin (fixture->model, LK_BIN_LEFT_OUT), ==, 20);
}

static void
test_keys (Fixture       *fixture,
           gconstpointer  data)
{
  GtkWidget *page = GTK_WIDGET (fixture->page);
  const LkSortMove *moves;
  guint n_moves;

  /* Key 2 files the focused image into bin 2, and the focus moves on to the next image. */
  g_assert_true (lk_sort_page_focus_image (fixture->page, 5));
  g_assert_true (gtk_widget_activate_action (page, "sort.place", "i", 1));
  lk_ui_test_flush ();
  g_assert_cmpint (lk_sort_model_get_bin (fixture->model, 5), ==, 1);
  g_assert_cmpuint (lk_bin_get_n_tiles (lk_sort_page_get_bin (fixture->page, 1)), ==, 1);

  g_assert_true (gtk_widget_activate_action (page, "sort.place", "i", 3));
  lk_ui_test_flush ();
  g_assert_cmpint (lk_sort_model_get_bin (fixture->model, 6), ==, 3);

  /* A key beyond the last bin does nothing. */
  g_assert_true (gtk_widget_activate_action (page, "sort.place", "i", 6));
  g_assert_cmpint (lk_sort_model_get_bin (fixture->model, 7), ==, LK_BIN_LEFT_OUT);

  /* 0 (or Backspace) puts the focused image back, even from a bin. */
  g_assert_true (lk_sort_page_focus_image (fixture->page, 5));
  g_assert_true (gtk_widget_activate_action (page, "sort.place", "i", -1));
  lk_ui_test_flush ();
  g_assert_cmpint (lk_sort_model_get_bin (fixture->model, 5), ==, LK_BIN_LEFT_OUT);
  g_assert_cmpuint (lk_bin_get_n_tiles (lk_sort_page_get_bin (fixture->page, 1)), ==, 0);

  /* Ctrl+Z undoes the last move: image 5 goes back into bin 2. */
  g_assert_true (gtk_widget_activate_action (page, "sort.undo", NULL));
  lk_ui_test_flush ();
  g_assert_cmpint (lk_sort_model_get_bin (fixture->model, 5), ==, 1);
  g_assert_cmpuint (lk_bin_get_n_tiles (lk_sort_page_get_bin (fixture->page, 1)), ==, 1);

  moves = lk_sort_model_get_moves (fixture->model, &n_moves);
  g_assert_cmpuint (n_moves, ==, 4);
  g_assert_true (moves[3].undo);

  /* Enter submits. */
  g_assert_true (gtk_widget_activate_action (page, "sort.submit", NULL));
  g_assert_cmpuint (fixture->submitted, ==, 1);
}

static void
test_submit_rule (Fixture       *fixture,
                  gconstpointer  data)
{
  GtkWidget *page = GTK_WIDGET (fixture->page);
  GtkWidget *submit = lk_sort_page_get_submit_button (fixture->page);

  /* Every image must be placed: Submit stays off, and says how many are left. */
  gtk_widget_activate_action (page, "sort.submit", NULL);
  g_assert_cmpuint (fixture->submitted, ==, 0);
  g_assert_cmpstr (lk_sort_page_get_status (fixture->page), ==,
                   "Put the 20 remaining images into bins");

  for (guint p = 0; p < 19; p++)
    g_assert_true (drop (bin_target (fixture, p % 4), p));
  g_assert_false (gtk_widget_get_sensitive (submit));
  g_assert_cmpstr (lk_sort_page_get_status (fixture->page), ==, "Put the last image into a bin");

  g_assert_true (drop (bin_target (fixture, 1), 19));
  g_assert_true (gtk_widget_get_sensitive (submit));
  g_assert_true (gtk_widget_activate_action (page, "sort.submit", NULL));
  g_assert_cmpuint (fixture->submitted, ==, 1);

  g_assert_true (gtk_widget_activate_action (page, "sort.undo", NULL));
  lk_ui_test_flush ();
  g_assert_false (gtk_widget_get_sensitive (submit));
}

/* Returns the position of the place that has the keyboard focus, or -1. */
static int
focused_place (Fixture *fixture)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (fixture->window));

  for (guint p = 0; focus != NULL && p < lk_sort_model_get_n_items (fixture->model); p++)
    {
      GtkWidget *place = lk_sort_page_get_place (fixture->page, p);

      if (focus == place || gtk_widget_is_ancestor (focus, place))
        return (int) p;
    }

  return -1;
}

/* The arrows move the focus from the start of a grid, after a number key and
 * from a button, in two dimensions (five images to a row); real keys through GTK. */
static void
test_arrows (Fixture       *fixture,
             gconstpointer  data)
{
  LkKeysTest keys;

  if (!lk_keys_test_available ())
    {
      g_test_skip ("no xdotool or no X11 display");
      return;
    }
  lk_keys_test_init (&keys, fixture->window);
  lk_ui_test_flush ();
  g_assert_cmpint (focused_place (fixture), ==, 0);

  lk_keys_test_type (&keys, fixture->window, "Right");
  g_assert_cmpint (focused_place (fixture), ==, 1);
  lk_keys_test_type (&keys, fixture->window, "Down");
  g_assert_cmpint (focused_place (fixture), ==, 6);

  /* 1 files image 6 into bin 1 and moves on to image 7; the arrows go on from there, and the
   * empty place of image 6 still takes the focus. */
  lk_keys_test_type (&keys, fixture->window, "1");
  g_assert_cmpint (lk_sort_model_get_bin (fixture->model, 6), ==, 0);
  g_assert_cmpint (focused_place (fixture), ==, 7);
  lk_keys_test_type (&keys, fixture->window, "Left");
  g_assert_cmpint (focused_place (fixture), ==, 6);
  lk_keys_test_type (&keys, fixture->window, "Up Left");
  g_assert_cmpint (focused_place (fixture), ==, 0);

  /* The focus stops at the edges; Home and End go to the first and last image. */
  lk_keys_test_type (&keys, fixture->window, "Up Left");
  g_assert_cmpint (focused_place (fixture), ==, 0);
  lk_keys_test_type (&keys, fixture->window, "End Down Right");
  g_assert_cmpint (focused_place (fixture), ==, 19);
  lk_keys_test_type (&keys, fixture->window, "Home");
  g_assert_cmpint (focused_place (fixture), ==, 0);

  /* From a button (Tab leaves the grid after the last place), an arrow comes back. */
  lk_keys_test_type (&keys, fixture->window, "End Tab");
  g_assert_cmpint (focused_place (fixture), ==, -1);
  g_assert_nonnull (gtk_root_get_focus (GTK_ROOT (fixture->window)));
  lk_keys_test_type (&keys, fixture->window, "Left");
  g_assert_cmpint (focused_place (fixture), ==, 19);
}

/* Returns the colour (0xRRGGBB) of the pixel at @x, @y of @widget's window as GTK draws it. */
static guint32
pixel_at (GtkWidget *widget,
          double     x,
          double     y)
{
  GtkWidget *window = GTK_WIDGET (gtk_widget_get_root (widget));
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree guchar *data = NULL;
  g_autofree char *path = NULL;
  int fd = g_file_open_tmp ("lk-sort-page-XXXXXX.png", &path, &error);
  int width;
  guint32 argb;

  g_assert_no_error (error);
  close (fd);
  g_assert_true (lk_widget_save_png (window, path));
  texture = gdk_texture_new_from_filename (path, &error);
  g_assert_no_error (error);
  g_unlink (path);

  width = gdk_texture_get_width (texture);
  g_assert_true (x >= 0 && x < width && y >= 0 && y < gdk_texture_get_height (texture));
  data = g_malloc (width * gdk_texture_get_height (texture) * 4);
  gdk_texture_download (texture, data, width * 4);
  memcpy (&argb, data + (int) y * width * 4 + (int) x * 4, 4);

  return argb & 0xffffff;
}

/* Returns @widget's bounds in its window. */
static graphene_rect_t
bounds (GtkWidget *widget)
{
  graphene_rect_t rect;

  g_assert_true (gtk_widget_compute_bounds (widget, GTK_WIDGET (gtk_widget_get_root (widget)),
                                            &rect));

  return rect;
}

/* The focused image's place has a ring in the accent colour (@accent_color, #1c71d8 in libadwaita 1.2), drawn outside the place,
 * from the start of a grid without any key pressed; the other places have none. */
static void
test_focus_ring (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(GtkCssProvider) css = gtk_css_provider_new ();
  graphene_rect_t rect;

  gtk_css_provider_load_from_resource (css, "/io/github/likeness/Likeness/style.css");
  gtk_style_context_add_provider_for_display (gdk_display_get_default (),
                                              GTK_STYLE_PROVIDER (css),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  g_assert_true (lk_sort_page_focus_image (fixture->page, 7));
  lk_ui_test_wait_painted (GTK_WIDGET (fixture->page));

  /* 3 px out from the left edge, half-way down: in the ring (3 px wide, 2 px away). */
  rect = bounds (lk_sort_page_get_place (fixture->page, 7));
  g_assert_cmphex (pixel_at (GTK_WIDGET (fixture->page), rect.origin.x - 3.5,
                             rect.origin.y + rect.size.height / 2), ==, 0x1c71d8);

  g_assert_true (lk_sort_page_focus_image (fixture->page, 12));
  lk_ui_test_wait_painted (GTK_WIDGET (fixture->page));
  g_assert_cmphex (pixel_at (GTK_WIDGET (fixture->page), rect.origin.x - 3.5,
                             rect.origin.y + rect.size.height / 2), !=, 0x1c71d8);

  /* Image 12 in bin 3: its empty place keeps the focus and the ring, and the image has one in
   * the bin (3 px wide, 1 px away). */
  g_assert_true (drop (bin_target (fixture, 2), 12));
  lk_ui_test_wait_painted (GTK_WIDGET (fixture->page));
  rect = bounds (lk_sort_page_get_place (fixture->page, 12));
  g_assert_cmphex (pixel_at (GTK_WIDGET (fixture->page), rect.origin.x - 3.5,
                             rect.origin.y + rect.size.height / 2), ==, 0x1c71d8);
  rect = bounds (GTK_WIDGET (lk_sort_page_get_tile (fixture->page, 12)));
  g_assert_cmphex (pixel_at (GTK_WIDGET (fixture->page), rect.origin.x - 2.5,
                             rect.origin.y + rect.size.height / 2), ==, 0x1c71d8);

  gtk_style_context_remove_provider_for_display (gdk_display_get_default (),
                                                 GTK_STYLE_PROVIDER (css));
}

/* Placing images, taking them out and filling a bin move no image of the grid
 * and no place, and do not resize the window, with 4 bins and with 6. */
static void
assert_nothing_moves (Fixture *fixture)
{
  GtkWidget *window = GTK_WIDGET (fixture->window);
  LkSortModel *model = lk_sort_page_get_model (fixture->page);
  guint n = lk_sort_model_get_n_items (model);
  g_autofree graphene_rect_t *before = g_new (graphene_rect_t, n);
  int width, height;

  lk_ui_test_wait_painted (window);
  width = gtk_widget_get_width (window);
  height = gtk_widget_get_height (window);
  for (guint p = 0; p < n; p++)
    before[p] = bounds (GTK_WIDGET (lk_sort_page_get_tile (fixture->page, p)));

  /* The first image placed, then every other one, then one taken out again, then all but one
   * into one bin. */
  for (guint round = 0; round < 4; round++)
    {
      if (round == 0)
        g_assert_true (drop (bin_target (fixture, 1), 0));
      else if (round == 1)
        for (guint p = 2; p < n; p += 2)
          g_assert_true (drop (bin_target (fixture, p % lk_sort_model_get_nc (model)), p));
      else if (round == 2)
        g_assert_true (drop (lk_sort_page_get_grid_drop_target (fixture->page), 4));
      else
        for (guint p = 0; p + 1 < n; p++)
          g_assert_true (drop (bin_target (fixture, lk_sort_model_get_nc (model) - 1), p));
      lk_ui_test_wait_painted (window);

      g_assert_cmpint (gtk_widget_get_width (window), ==, width);
      g_assert_cmpint (gtk_widget_get_height (window), ==, height);
      for (guint p = 0; p < n; p++)
        {
          graphene_rect_t place = bounds (lk_sort_page_get_place (fixture->page, p));

          /* Each place where its image was at the start; the images left in the grid in it. */
          g_assert_true (graphene_rect_equal (&place, &before[p]));
          if (lk_sort_model_get_bin (model, p) == LK_BIN_LEFT_OUT)
            {
              graphene_rect_t tile = bounds (GTK_WIDGET (lk_sort_page_get_tile (fixture->page, p)));

              g_assert_true (graphene_rect_equal (&tile, &before[p]));
            }
        }
    }
}

static void
test_places (Fixture       *fixture,
             gconstpointer  data)
{
  assert_nothing_moves (fixture);
}

static void
test_places_six_bins (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(LkSortModel) six = NULL;
  guint items[20];

  for (guint i = 0; i < G_N_ELEMENTS (items); i++)
    items[i] = 7 + 5 * i;
  six = lk_sort_model_new (items, G_N_ELEMENTS (items), 6, LK_SORT_RULE_ANY_PLACED);
  lk_ui_test_wait_painted (GTK_WIDGET (fixture->window));
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (fixture->window)), ==, 1100);
  lk_sort_page_set_model (fixture->page, six, LK_IMAGE_SOURCE (fixture->source));
  assert_nothing_moves (fixture);
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (fixture->window)), ==, 1100);
  lk_sort_page_set_model (fixture->page, NULL, NULL);
}

static void
test_new_grid (Fixture       *fixture,
               gconstpointer  data)
{
  static const guint items[] = { 1, 2, 3, 4, 5, 6 };
  LkSortModel *next = lk_sort_model_new (items, G_N_ELEMENTS (items), 3, LK_SORT_RULE_ANY_PLACED);

  drop (bin_target (fixture, 1), 0);
  lk_sort_model_move (next, 4, 2);
  lk_sort_page_set_model (fixture->page, next, LK_IMAGE_SOURCE (fixture->source));
  lk_ui_test_flush ();

  g_assert_null (lk_sort_page_get_bin (fixture->page, 3));
  g_assert_cmpuint (lk_bin_get_n_tiles (lk_sort_page_get_bin (fixture->page, 2)), ==, 1);
  g_assert_true (gtk_widget_get_sensitive (lk_sort_page_get_submit_button (fixture->page)));

  lk_sort_page_set_model (fixture->page, NULL, NULL);
  g_assert_finalize_object (next);
}

int
main (int   argc,
      char *argv[])
{
  if (!lk_ui_test_init (&argc, &argv))
    return 0;
  lk_locale_init ("C.UTF-8");

#define ADD(path, rule, func) \
  g_test_add (path, Fixture, GINT_TO_POINTER (rule), fixture_set_up, func, fixture_tear_down)
  ADD ("/lk/ui/sort-page/layout", LK_SORT_RULE_ANY_PLACED, test_layout);
  ADD ("/lk/ui/sort-page/drops", LK_SORT_RULE_ANY_PLACED, test_drops);
  ADD ("/lk/ui/sort-page/keys", LK_SORT_RULE_ANY_PLACED, test_keys);
  ADD ("/lk/ui/sort-page/submit-rule", LK_SORT_RULE_ALL_PLACED, test_submit_rule);
  ADD ("/lk/ui/sort-page/new-grid", LK_SORT_RULE_ANY_PLACED, test_new_grid);
  ADD ("/lk/ui/sort-page/arrows", LK_SORT_RULE_ANY_PLACED, test_arrows);
  ADD ("/lk/ui/sort-page/focus-ring", LK_SORT_RULE_ANY_PLACED, test_focus_ring);
  ADD ("/lk/ui/sort-page/places", LK_SORT_RULE_ANY_PLACED, test_places);
  ADD ("/lk/ui/sort-page/places-six-bins", LK_SORT_RULE_ANY_PLACED, test_places_six_bins);
#undef ADD

  return g_test_run ();
}
