/* test-thumb-cell.c — the browser's grid cell: a fixed size, and its thumbnail drawn at whole
 * pixels as it is, shrunk to fit but never enlarged
 *
 * The cell is 130 px wide (the grid gives a column more than the thumbnail's 112 px square), so
 * a texture of w x h is expected at x = (130 - w) / 2, y = (112 - h) / 2. Pixels are read from
 * the cell's own render nodes drawn by Cairo into a transparent image.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "lk-thumb-cell-private.h"
#include "lk-ui-test.h"

#define SIZE 112
#define WIDTH 130
#define RED 0xffff0000u

static GdkTexture *
solid_texture (int width,
               int height)
{
  g_autoptr(GBytes) bytes = NULL;
  guint8 *data = g_malloc ((gsize) width * height * 4);

  for (int i = 0; i < width * height; i++)
    {
      data[4 * i] = 255;
      data[4 * i + 1] = 0;
      data[4 * i + 2] = 0;
      data[4 * i + 3] = 255;
    }
  bytes = g_bytes_new_take (data, (gsize) width * height * 4);

  return gdk_memory_texture_new (width, height, GDK_MEMORY_R8G8B8A8, bytes, (gsize) width * 4);
}

/* Draws @cell as it is allocated into a new transparent ARGB32 image. */
static cairo_surface_t *
draw_cell (GtkWidget *cell)
{
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  GskRenderNode *node;
  cairo_surface_t *surface;
  cairo_t *cr;

  GTK_WIDGET_GET_CLASS (cell)->snapshot (cell, snapshot);
  node = gtk_snapshot_free_to_node (snapshot);
  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, gtk_widget_get_width (cell),
                                        gtk_widget_get_height (cell));
  cr = cairo_create (surface);
  if (node != NULL)
    gsk_render_node_draw (node, cr);
  cairo_destroy (cr);
  g_clear_pointer (&node, gsk_render_node_unref);
  cairo_surface_flush (surface);

  return surface;
}

static guint32
pixel (cairo_surface_t *surface,
       int              x,
       int              y)
{
  const guint8 *data = cairo_image_surface_get_data (surface);

  return *(const guint32 *) (data + y * cairo_image_surface_get_stride (surface) + 4 * x);
}

/* TRUE when some pixel in [x0, x1) x [y0, y1) is not transparent. */
static gboolean
any_drawn (cairo_surface_t *surface,
           int              x0,
           int              y0,
           int              x1,
           int              y1)
{
  for (int y = y0; y < y1; y++)
    for (int x = x0; x < x1; x++)
      if ((pixel (surface, x, y) >> 24) != 0)
        return TRUE;

  return FALSE;
}

static GtkWidget *
show_cell (GtkWindow **window)
{
  GtkWidget *cell = lk_thumb_cell_new (SIZE);
  GtkWidget *column = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);

  /* A column wider than the cell asks for, as the grid's are. */
  gtk_widget_set_size_request (column, WIDTH, -1);
  gtk_widget_set_halign (column, GTK_ALIGN_START);
  gtk_widget_set_valign (column, GTK_ALIGN_START);
  gtk_box_append (GTK_BOX (column), cell);
  *window = lk_ui_test_show (column);

  return cell;
}

/* The texture at @w x @h is drawn exactly over that rectangle, centred in the square. */
static void
check_drawn_at (GtkWidget *cell,
                int        w,
                int        h)
{
  cairo_surface_t *surface = draw_cell (cell);
  int x = (WIDTH - w) / 2, y = (SIZE - h) / 2;

  g_assert_cmphex (pixel (surface, x, y), ==, RED);
  g_assert_cmphex (pixel (surface, x + w - 1, y + h - 1), ==, RED);
  g_assert_cmphex (pixel (surface, x + w / 2, y + h / 2), ==, RED);
  g_assert_cmphex (pixel (surface, x - 1, y + h / 2), ==, 0);
  g_assert_cmphex (pixel (surface, x + w, y + h / 2), ==, 0);
  g_assert_cmphex (pixel (surface, x + w / 2, y + h), ==, 0);
  if (y > 0)
    g_assert_cmphex (pixel (surface, x + w / 2, y - 1), ==, 0);
  cairo_surface_destroy (surface);
}

static void
test_drawn (void)
{
  GtkWindow *window;
  GtkWidget *cell = show_cell (&window);
  g_autoptr(GdkTexture) exact = solid_texture (SIZE, 84);
  g_autoptr(GdkTexture) large = solid_texture (2 * SIZE, 168);
  g_autoptr(GdkTexture) small = solid_texture (56, 42);
  g_autoptr(GdkTexture) tall = solid_texture (60, SIZE);

  g_assert_cmpint (gtk_widget_get_width (cell), ==, WIDTH);
  lk_thumb_cell_set_texture (LK_THUMB_CELL (cell), exact);
  g_assert_true (lk_thumb_cell_get_texture (LK_THUMB_CELL (cell)) == exact);
  check_drawn_at (cell, SIZE, 84);
  lk_thumb_cell_set_texture (LK_THUMB_CELL (cell), large);
  check_drawn_at (cell, SIZE, 84);
  lk_thumb_cell_set_texture (LK_THUMB_CELL (cell), small);
  check_drawn_at (cell, 56, 42);
  lk_thumb_cell_set_texture (LK_THUMB_CELL (cell), tall);
  check_drawn_at (cell, 60, SIZE);

  /* No texture: nothing in the square. */
  lk_thumb_cell_set_texture (LK_THUMB_CELL (cell), NULL);
  {
    cairo_surface_t *surface = draw_cell (cell);

    g_assert_false (any_drawn (surface, 0, 0, WIDTH, SIZE));
    cairo_surface_destroy (surface);
  }

  gtk_window_destroy (window);
  lk_ui_test_flush ();
}

/* The cell's size depends on its edge and font only: a name, a texture or a mark never change
 * it (so binding a cell only needs a draw). The name is drawn under the square; the mark at
 * the square's top right. */
static void
test_size_and_parts (void)
{
  GtkWindow *window;
  GtkWidget *cell = show_cell (&window);
  g_autoptr(GdkTexture) texture = solid_texture (SIZE, 84);
  int min_w, nat_w, min_h, nat_h, height;
  cairo_surface_t *surface;

  gtk_widget_measure (cell, GTK_ORIENTATION_HORIZONTAL, -1, &min_w, &nat_w, NULL, NULL);
  gtk_widget_measure (cell, GTK_ORIENTATION_VERTICAL, -1, &min_h, &nat_h, NULL, NULL);
  g_assert_cmpint (min_w, ==, SIZE);
  g_assert_cmpint (nat_w, ==, SIZE);
  g_assert_cmpint (min_h, ==, nat_h);
  g_assert_cmpint (min_h, >, SIZE + 2);
  height = gtk_widget_get_height (cell);
  g_assert_cmpint (height, ==, min_h);

  surface = draw_cell (cell);
  g_assert_false (any_drawn (surface, 0, 0, WIDTH, height));
  cairo_surface_destroy (surface);

  lk_thumb_cell_set_name (LK_THUMB_CELL (cell), "a-rather-long-file-name-for-one-cell.png");
  lk_thumb_cell_set_texture (LK_THUMB_CELL (cell), texture);
  lk_thumb_cell_set_few_answers (LK_THUMB_CELL (cell), TRUE);
  g_assert_cmpstr (lk_thumb_cell_get_name (LK_THUMB_CELL (cell)), ==,
                   "a-rather-long-file-name-for-one-cell.png");
  g_assert_true (lk_thumb_cell_get_few_answers (LK_THUMB_CELL (cell)));
  gtk_widget_measure (cell, GTK_ORIENTATION_HORIZONTAL, -1, &min_w, &nat_w, NULL, NULL);
  g_assert_cmpint (min_w, ==, SIZE);
  g_assert_cmpint (nat_w, ==, SIZE);
  gtk_widget_measure (cell, GTK_ORIENTATION_VERTICAL, -1, &min_h, &nat_h, NULL, NULL);
  g_assert_cmpint (min_h, ==, height);
  g_assert_cmpint (nat_h, ==, height);

  /* The name under the square, ellipsised within the cell; the mark above the texture (which
   * starts at y = 14) at the square's right edge. */
  surface = draw_cell (cell);
  g_assert_true (any_drawn (surface, 0, SIZE + 2, WIDTH, height));
  g_assert_true (any_drawn (surface, (WIDTH + SIZE) / 2 - 16, 0, (WIDTH + SIZE) / 2, 14));
  g_assert_false (any_drawn (surface, (WIDTH - SIZE) / 2, 0, (WIDTH + SIZE) / 2 - 16, 14));
  cairo_surface_destroy (surface);

  lk_thumb_cell_set_few_answers (LK_THUMB_CELL (cell), FALSE);
  lk_thumb_cell_set_name (LK_THUMB_CELL (cell), NULL);
  surface = draw_cell (cell);
  g_assert_false (any_drawn (surface, 0, SIZE + 2, WIDTH, height));
  g_assert_false (any_drawn (surface, 0, 0, WIDTH, 14));
  cairo_surface_destroy (surface);

  gtk_window_destroy (window);
  lk_ui_test_flush ();
}

int
main (int    argc,
      char **argv)
{
  if (!lk_ui_test_init (&argc, &argv))
    return 0;

  g_test_add_func ("/lk/thumb-cell/drawn", test_drawn);
  g_test_add_func ("/lk/thumb-cell/size-and-parts", test_size_and_parts);

  return g_test_run ();
}
