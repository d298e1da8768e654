/* test-tile-texture.c — the sorting page draws every image from a texture made at the size it
 * is drawn, and takes the next grid's from the study's decoder
 *
 * A tile's texture must be its edge times the scale factor, in the grid (96 px, less in the
 * compact layout of a small screen) and in a bin (56 px, or 40), and the tile's render nodes
 * must draw it over exactly that many logical pixels: with the Cairo renderer anything else is
 * filtered on every frame. The footer's preview is made at its own size, and the press-and-hold
 * preview (420 px) from the image file, not from the 256 px thumbnail. Run once as it is and once at a scale factor of 2 (the argument "2x", which sets
 * GDK_SCALE=2; tests/ui/meson.build).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "lk-locale.h"
#include "lk-sort-page-private.h"
#include "lk-study-private.h"
#include "lk-study-test.h"
#include "lk-ui-test.h"

#define N_IMAGES 50
/* The sizes the page shows its images at: at 2x the window is the screen's 640x400 logical
 * pixels, where the page is compact, with smaller images. */
#define GRID_SIZE (lk_sort_page_get_grid_tile_size (f->page))
#define BIN_SIZE (lk_bin_get_tile_size (lk_sort_page_get_bin (f->page, 0)))
#define PREVIEW_SIZE 88
#define LARGE_SIZE 420

typedef struct {
  char        *dir;
  LkStudy     *study;
  GtkWindow   *window;
  LkSortPage  *page;
  LkSortModel *model;
} Fixture;

/* Images larger than a thumbnail (so that their thumbnails are 256 px wide, and not square). */
static void
make_images (const char *folder)
{
  for (guint i = 0; i < N_IMAGES; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 480, 320);
      g_autofree char *name = g_strdup_printf ("img-%03u.png", i);
      g_autofree char *path = g_build_filename (folder, name, NULL);

      gdk_pixbuf_fill (pixbuf, ((i * 2654435761u) & 0xffffff) << 8 | 0xff);
      g_assert_true (gdk_pixbuf_save (pixbuf, path, "png", &error, NULL));
      g_assert_no_error (error);
    }
}

static LkSortModel *
model_from (guint first)
{
  guint items[20];

  for (guint i = 0; i < G_N_ELEMENTS (items); i++)
    items[i] = first + i;

  return lk_sort_model_new (items, G_N_ELEMENTS (items), 4, LK_SORT_RULE_ANY_PLACED);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *images = NULL;
  g_autofree char *path = NULL;
  LkParams params = study_test_params ();

  f->dir = study_test_tmpdir ();
  images = g_build_filename (f->dir, "images", NULL);
  path = g_build_filename (f->dir, "tiles.likeness", NULL);
  g_assert_cmpint (g_mkdir_with_parents (images, 0700), ==, 0);
  make_images (images);
  params.nq = 20;
  params.nc = 4;
  {
    g_autoptr(LkStore) store = lk_store_create (path, &params, lk_method_paper, &error);
    g_autoptr(LkImportReport) report = NULL;

    g_assert_no_error (error);
    report = lk_collection_import (store, images, NULL, NULL, NULL, &error);
    g_assert_no_error (error);
  }
  f->study = lk_study_open (path, &error);
  g_assert_no_error (error);

  f->model = model_from (0);
  f->page = LK_SORT_PAGE (lk_sort_page_new ());
  f->window = lk_ui_test_show (GTK_WIDGET (f->page));
  lk_sort_page_set_model (f->page, f->model, LK_IMAGE_SOURCE (f->study));
  lk_ui_test_wait_painted (GTK_WIDGET (f->page));
}

/* The large preview's GTask keeps the study (its source object) until its thread lets go of
 * it, which may come just after the callback ran on the main thread. */
static gboolean
only_ours (gpointer object)
{
  return g_atomic_int_get (&G_OBJECT (object)->ref_count) == 1;
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  gtk_window_destroy (f->window);
  lk_ui_test_flush ();
  g_clear_object (&f->model);
  lk_ui_test_wait_for (only_ours, f->study);
  g_assert_finalize_object (f->study);
  lk_test_rmdir (f->dir);
  g_free (f->dir);
}

/* Returns the first texture node under @node, with its offset from @node's origin added to *@x
 * and *@y, or NULL. */
static GskRenderNode *
find_texture_node (GskRenderNode *node,
                   float         *x,
                   float         *y)
{
  switch (gsk_render_node_get_node_type (node))
    {
    case GSK_TEXTURE_NODE:
      return node;

    case GSK_CONTAINER_NODE:
      for (guint i = 0; i < gsk_container_node_get_n_children (node); i++)
        {
          GskRenderNode *found = find_texture_node (gsk_container_node_get_child (node, i), x, y);

          if (found != NULL)
            return found;
        }
      return NULL;

    case GSK_TRANSFORM_NODE:
      {
        GskTransform *transform = gsk_transform_node_get_transform (node);
        float dx = 0, dy = 0;

        /* A widget's own offset; anything else (a scale) would be a failure in itself. */
        g_assert_cmpint (gsk_transform_get_category (transform), >=,
                         GSK_TRANSFORM_CATEGORY_2D_TRANSLATE);
        gsk_transform_to_translate (transform, &dx, &dy);
        *x += dx;
        *y += dy;
        return find_texture_node (gsk_transform_node_get_child (node), x, y);
      }

    case GSK_CLIP_NODE:
      return find_texture_node (gsk_clip_node_get_child (node), x, y);
    case GSK_ROUNDED_CLIP_NODE:
      return find_texture_node (gsk_rounded_clip_node_get_child (node), x, y);
    case GSK_OPACITY_NODE:
      return find_texture_node (gsk_opacity_node_get_child (node), x, y);
    case GSK_DEBUG_NODE:
      return find_texture_node (gsk_debug_node_get_child (node), x, y);
    case GSK_SHADOW_NODE:
      return find_texture_node (gsk_shadow_node_get_child (node), x, y);

    case GSK_NOT_A_RENDER_NODE:
    case GSK_CAIRO_NODE:
    case GSK_COLOR_NODE:
    case GSK_LINEAR_GRADIENT_NODE:
    case GSK_REPEATING_LINEAR_GRADIENT_NODE:
    case GSK_RADIAL_GRADIENT_NODE:
    case GSK_REPEATING_RADIAL_GRADIENT_NODE:
    case GSK_CONIC_GRADIENT_NODE:
    case GSK_BORDER_NODE:
    case GSK_INSET_SHADOW_NODE:
    case GSK_OUTSET_SHADOW_NODE:
    case GSK_COLOR_MATRIX_NODE:
    case GSK_REPEAT_NODE:
    case GSK_BLEND_NODE:
    case GSK_CROSS_FADE_NODE:
    case GSK_TEXT_NODE:
    case GSK_BLUR_NODE:
    case GSK_GL_SHADER_NODE:
    default:
      return NULL;
    }
}

/* @tile's texture is its edge times the scale factor, and is drawn over the whole tile, not
 * scaled: as many device pixels as the texture has. */
static void
check_drawn_at_size (LkImageTile *tile,
                     int          size)
{
  GtkWidget *widget = GTK_WIDGET (tile);
  int scale = gtk_widget_get_scale_factor (widget);
  GdkTexture *texture = lk_image_tile_get_texture (tile);
  GtkSnapshot *snapshot;
  GskRenderNode *root, *node;
  graphene_rect_t bounds;
  float x = 0, y = 0;

  g_assert_cmpint (gtk_widget_get_width (widget), ==, size);
  g_assert_cmpint (gtk_widget_get_height (widget), ==, size);
  g_assert_nonnull (texture);
  g_assert_cmpint (gdk_texture_get_width (texture), ==, size * scale);
  g_assert_cmpint (gdk_texture_get_height (texture), ==, size * scale);

  snapshot = gtk_snapshot_new ();
  GTK_WIDGET_GET_CLASS (widget)->snapshot (widget, snapshot);
  root = gtk_snapshot_free_to_node (snapshot);
  g_assert_nonnull (root);
  node = find_texture_node (root, &x, &y);
  g_assert_nonnull (node);
  g_assert_true (gsk_texture_node_get_texture (node) == texture);
  gsk_render_node_get_bounds (node, &bounds);
  g_assert_cmpfloat_with_epsilon (bounds.origin.x + x, 0, 0.001);
  g_assert_cmpfloat_with_epsilon (bounds.origin.y + y, 0, 0.001);
  g_assert_cmpfloat_with_epsilon (bounds.size.width, size, 0.001);
  g_assert_cmpfloat_with_epsilon (bounds.size.height, size, 0.001);
  gsk_render_node_unref (root);
}

static void
check_scale (Fixture *f)
{
  /* The 2x run must run at 2x, or it would test nothing more than the 1x one. */
  if (g_strcmp0 (g_getenv ("GDK_SCALE"), "2") == 0)
    g_assert_cmpint (gtk_widget_get_scale_factor (GTK_WIDGET (f->page)), ==, 2);
  /* The regular layout where the window has room for it, the compact one (smaller images, in
   * the grid and in the bins) where it does not. */
  if (!lk_sort_page_get_compact (f->page))
    {
      g_assert_cmpint (GRID_SIZE, ==, 96);
      g_assert_cmpint (BIN_SIZE, ==, LK_BIN_TILE_SIZE);
    }
  else
    {
      g_assert_cmpint (GRID_SIZE, <, 96);
      g_assert_cmpint (BIN_SIZE, ==, LK_BIN_COMPACT_TILE_SIZE);
    }
  g_test_message ("images of %d px in the grid, %d px in a bin", GRID_SIZE, BIN_SIZE);
}

/* In the grid, into a bin and back: always a texture of the size drawn. */
static void
test_grid_and_bins (Fixture       *f,
                    gconstpointer  data)
{
  check_scale (f);
  for (guint p = 0; p < 20; p++)
    check_drawn_at_size (lk_sort_page_get_tile (f->page, p), GRID_SIZE);

  for (guint p = 0; p < 20; p += 3)
    lk_sort_model_move (f->model, p, (gint) (p % 4));
  lk_ui_test_wait_painted (GTK_WIDGET (f->page));
  for (guint p = 0; p < 20; p++)
    check_drawn_at_size (lk_sort_page_get_tile (f->page, p),
                         p % 3 == 0 ? BIN_SIZE : GRID_SIZE);

  lk_sort_model_move (f->model, 0, LK_BIN_LEFT_OUT);
  lk_ui_test_wait_painted (GTK_WIDGET (f->page));
  check_drawn_at_size (lk_sort_page_get_tile (f->page, 0), GRID_SIZE);
}

/* The next grid's textures are decoded by the study's decoder while this one is sorted; showing
 * it then decodes nothing on the main thread, and its tiles are drawn at their size too. */
static void
test_next_grid_ahead (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(LkSortModel) next = model_from (25);
  guint items[20];
  guint decoded_here;

  for (guint p = 0; p < 20; p++)
    items[p] = lk_sort_model_get_item (next, p);
  lk_sort_page_prepare_next (f->page, items, G_N_ELEMENTS (items));
  lk_study_wait_decoded (f->study);
  g_assert_cmpuint (lk_study_get_n_decoded (f->study), >=, 20);

  decoded_here = lk_study_get_n_decoded_here (f->study);
  lk_sort_page_set_model (f->page, next, LK_IMAGE_SOURCE (f->study));
  lk_ui_test_wait_painted (GTK_WIDGET (f->page));
  for (guint p = 0; p < 20; p++)
    {
      LkImageTile *tile = lk_sort_page_get_tile (f->page, p);

      g_assert_cmpuint (lk_image_tile_get_item (tile), ==, 25 + p);
      check_drawn_at_size (tile, GRID_SIZE);
    }
  /* Into a bin: the bin's size was made ahead too. */
  lk_sort_model_move (next, 4, 2);
  lk_ui_test_wait_painted (GTK_WIDGET (f->page));
  check_drawn_at_size (lk_sort_page_get_tile (f->page, 4), BIN_SIZE);
  g_assert_cmpuint (lk_study_get_n_decoded_here (f->study), ==, decoded_here);

  /* The focus stayed on the first place: the footer's preview shows its new image (or, when
   * the pointer happens to rest on a tile, that tile's), not the last grid's or none. */
  {
    int scale = gtk_widget_get_scale_factor (GTK_WIDGET (f->page));
    GdkPaintable *shown = gtk_picture_get_paintable (lk_sort_page_get_preview (f->page));
    gboolean found = FALSE;

    for (guint item = 25; item < 45; item++)
      {
        g_autoptr(GdkTexture) texture =
          lk_image_source_dup_texture_at_size (LK_IMAGE_SOURCE (f->study), item,
                                               PREVIEW_SIZE * scale);

        found |= shown == GDK_PAINTABLE (texture);
      }
    g_assert_true (found);
  }

  /* The texture cache stays bounded all the while. */
  g_assert_cmpuint (lk_study_get_n_textures (f->study), <=, 720);
}

static void
flag_cb (GObject    *object,
         GParamSpec *pspec,
         gpointer    flag)
{
  *(gboolean *) flag = TRUE;
}

/* The footer's preview at its size; the press-and-hold one at 420 px, from the image file. */
static void
test_previews (Fixture       *f,
               gconstpointer  data)
{
  int scale = gtk_widget_get_scale_factor (GTK_WIDGET (f->page));
  LkImageTile *tile = lk_sort_page_get_tile (f->page, 3);
  GtkPicture *preview = lk_sort_page_get_preview (f->page);
  GtkPicture *large = lk_sort_page_get_large_preview (f->page);
  GdkPaintable *paintable;
  gboolean changed = FALSE;

  lk_sort_page_focus_image (f->page, 3);
  paintable = gtk_picture_get_paintable (preview);
  g_assert_true (GDK_IS_TEXTURE (paintable));
  g_assert_cmpint (gdk_texture_get_width (GDK_TEXTURE (paintable)), ==, PREVIEW_SIZE * scale);

  g_signal_connect (large, "notify::paintable", G_CALLBACK (flag_cb), &changed);
  g_signal_emit_by_name (tile, "preview", TRUE);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (large)));
  /* The tile's own texture stands in until the image file is read. */
  g_assert_true (gtk_picture_get_paintable (large) == GDK_PAINTABLE (lk_image_tile_get_texture (tile)));
  changed = FALSE;
  lk_ui_test_wait_for (lk_ui_test_flag_set, &changed);
  paintable = gtk_picture_get_paintable (large);
  g_assert_true (GDK_IS_TEXTURE (paintable));
  g_assert_cmpint (gdk_texture_get_width (GDK_TEXTURE (paintable)), ==, LARGE_SIZE * scale);
  g_assert_cmpint (gdk_texture_get_height (GDK_TEXTURE (paintable)), ==, LARGE_SIZE * scale);
  g_signal_handlers_disconnect_by_func (large, flag_cb, &changed);
}

int
main (int   argc,
      char *argv[])
{
  lk_locale_init ("C.UTF-8");
  if (argc > 1 && g_str_equal (argv[argc - 1], "2x"))
    {
      g_setenv ("GDK_SCALE", "2", TRUE);
      argc--;
    }
  if (!lk_ui_test_init (&argc, &argv))
    return 0;

  g_test_add ("/lk/ui/tile-texture/grid-and-bins", Fixture, NULL, fixture_set_up,
              test_grid_and_bins, fixture_tear_down);
  g_test_add ("/lk/ui/tile-texture/next-grid-ahead", Fixture, NULL, fixture_set_up,
              test_next_grid_ahead, fixture_tear_down);
  g_test_add ("/lk/ui/tile-texture/previews", Fixture, NULL, fixture_set_up, test_previews,
              fixture_tear_down);

  return g_test_run ();
}
