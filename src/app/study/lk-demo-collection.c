/* lk-demo-collection.c — built-in image collections, generated: colours and letters
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <pango/pangocairo.h>

#include "lk-demo-collection.h"

/* Images are square; tiles scale them down, the preview up to about this size. */
#define IMAGE_SIZE 192

#define N_COLOURS 120

/* The letters demo crosses shape (the letter) with style (the face): people may sort by either.
 * Faces come from fonts-dejavu-core, fonts-liberation2 and fonts-cantarell
 * (build-aux/install-deps.sh); fontconfig substitutes a face that is missing. */
static const char *const letter_fonts[] = {
  "DejaVu Sans",
  "DejaVu Serif Bold",
  "DejaVu Sans Mono",
  "Liberation Serif Italic",
  "Cantarell Bold",
};
static const char letters[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
#define N_LETTERS (sizeof letters - 1)

typedef enum {
  KIND_COLOURS,
  KIND_LETTERS,
} Kind;

struct _LkDemoCollection
{
  GObject     parent_instance;

  Kind        kind;
  guint       n_items;
  guint8     *rgb;         /* colours: 3 bytes per item */
  GPtrArray  *textures;    /* made on first use */
};

static void lk_demo_collection_image_source_init (LkImageSourceInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (LkDemoCollection, lk_demo_collection, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (LK_TYPE_IMAGE_SOURCE,
                                                      lk_demo_collection_image_source_init))

/* Returns a texture of one solid colour. */
static GdkTexture *
make_colour (const guint8 *rgb)
{
  gsize stride = IMAGE_SIZE * 3;
  guint8 *data = g_malloc (stride * IMAGE_SIZE);
  g_autoptr(GBytes) bytes = NULL;

  for (gsize i = 0; i < (gsize) IMAGE_SIZE * IMAGE_SIZE; i++)
    memcpy (data + 3 * i, rgb, 3);
  bytes = g_bytes_new_take (data, stride * IMAGE_SIZE);

  return gdk_memory_texture_new (IMAGE_SIZE, IMAGE_SIZE, GDK_MEMORY_R8G8B8, bytes, stride);
}

/* Returns a texture of @letter drawn in @font, dark on a light card, centred on its ink. */
static GdkTexture *
make_letter (char        letter,
             const char *font)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32,
                                                         IMAGE_SIZE, IMAGE_SIZE);
  cairo_t *cr = cairo_create (surface);
  PangoLayout *layout = pango_cairo_create_layout (cr);
  g_autoptr(PangoFontDescription) desc = pango_font_description_from_string (font);
  char text[2] = { letter, '\0' };
  PangoRectangle ink;
  g_autoptr(GBytes) bytes = NULL;
  GdkTexture *texture;

  cairo_set_source_rgb (cr, 0.98, 0.98, 0.97);
  cairo_paint (cr);

  pango_font_description_set_absolute_size (desc, IMAGE_SIZE * 0.62 * PANGO_SCALE);
  pango_layout_set_font_description (layout, desc);
  pango_layout_set_text (layout, text, 1);
  pango_layout_get_pixel_extents (layout, &ink, NULL);
  cairo_move_to (cr, (IMAGE_SIZE - ink.width) / 2.0 - ink.x, (IMAGE_SIZE - ink.height) / 2.0 - ink.y);
  cairo_set_source_rgb (cr, 0.13, 0.13, 0.15);
  pango_cairo_show_layout (cr, layout);

  g_object_unref (layout);
  cairo_destroy (cr);
  cairo_surface_flush (surface);

  bytes = g_bytes_new (cairo_image_surface_get_data (surface),
                       (gsize) cairo_image_surface_get_stride (surface) * IMAGE_SIZE);
  texture = gdk_memory_texture_new (IMAGE_SIZE, IMAGE_SIZE, GDK_MEMORY_DEFAULT, bytes,
                                    cairo_image_surface_get_stride (surface));
  cairo_surface_destroy (surface);

  return texture;
}

static void
texture_unref0 (gpointer texture)
{
  if (texture != NULL)
    g_object_unref (texture);
}

static guint
lk_demo_collection_get_n_items (LkImageSource *source)
{
  return LK_DEMO_COLLECTION (source)->n_items;
}

static GdkTexture *
lk_demo_collection_dup_texture (LkImageSource *source,
                                guint          item)
{
  LkDemoCollection *self = LK_DEMO_COLLECTION (source);
  GdkTexture *texture = g_ptr_array_index (self->textures, item);

  if (texture == NULL)
    {
      if (self->kind == KIND_COLOURS)
        texture = make_colour (self->rgb + 3 * item);
      else
        texture = make_letter (letters[item % N_LETTERS], letter_fonts[item / N_LETTERS]);
      g_ptr_array_index (self->textures, item) = texture;
    }

  return g_object_ref (texture);
}

static char *
lk_demo_collection_dup_title (LkImageSource *source,
                              guint          item)
{
  LkDemoCollection *self = LK_DEMO_COLLECTION (source);

  if (self->kind == KIND_COLOURS)
    {
      const guint8 *rgb = self->rgb + 3 * item;

      /* Translators: a solid colour image, as #rrggbb */
      return g_strdup_printf (_("Colour #%02x%02x%02x"), rgb[0], rgb[1], rgb[2]);
    }

  /* Translators: "Letter A in DejaVu Sans" */
  return g_strdup_printf (_("Letter %c in %s"), letters[item % N_LETTERS],
                          letter_fonts[item / N_LETTERS]);
}

static void
lk_demo_collection_image_source_init (LkImageSourceInterface *iface)
{
  iface->get_n_items = lk_demo_collection_get_n_items;
  iface->dup_texture = lk_demo_collection_dup_texture;
  iface->dup_title = lk_demo_collection_dup_title;
}

static void
lk_demo_collection_finalize (GObject *object)
{
  LkDemoCollection *self = (LkDemoCollection *)object;

  g_clear_pointer (&self->rgb, g_free);
  g_clear_pointer (&self->textures, g_ptr_array_unref);

  G_OBJECT_CLASS (lk_demo_collection_parent_class)->finalize (object);
}

static void
lk_demo_collection_class_init (LkDemoCollectionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = lk_demo_collection_finalize;
}

static void
lk_demo_collection_init (LkDemoCollection *self)
{
}

/**
 * lk_demo_collection_new:
 * @name: "colours" (120 colours uniform in the RGB cube, as the paper's colour study, with a
 *   fixed seed) or "letters" (26 letters in 5 typefaces)
 *
 * Returns: (transfer full): the collection, or %NULL with @error set for an unknown @name
 */
LkDemoCollection *
lk_demo_collection_new (const char  *name,
                        GError     **error)
{
  g_autoptr(LkDemoCollection) self = NULL;

  g_return_val_if_fail (name != NULL, NULL);

  self = g_object_new (LK_TYPE_DEMO_COLLECTION, NULL);
  if (g_str_equal (name, "colours"))
    {
      g_autoptr(GRand) rand = g_rand_new_with_seed (1);

      self->kind = KIND_COLOURS;
      self->n_items = N_COLOURS;
      self->rgb = g_new (guint8, 3 * N_COLOURS);
      for (guint i = 0; i < 3 * N_COLOURS; i++)
        self->rgb[i] = (guint8) g_rand_int_range (rand, 0, 256);
    }
  else if (g_str_equal (name, "letters"))
    {
      self->kind = KIND_LETTERS;
      self->n_items = N_LETTERS * G_N_ELEMENTS (letter_fonts);
    }
  else
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   _("There is no demo collection called “%s”"), name);
      return NULL;
    }

  self->textures = g_ptr_array_new_full (self->n_items, texture_unref0);
  g_ptr_array_set_size (self->textures, self->n_items);

  return g_steal_pointer (&self);
}

/**
 * lk_demo_collection_get_name:
 *
 * Returns: "colours" or "letters"
 */
const char *
lk_demo_collection_get_name (LkDemoCollection *self)
{
  g_return_val_if_fail (LK_IS_DEMO_COLLECTION (self), NULL);

  return self->kind == KIND_COLOURS ? "colours" : "letters";
}

/**
 * lk_demo_collection_dup_labels:
 * @n_labels: (out): how many labels there are (labels run from 0 to @n_labels - 1)
 *
 * Groups of the collection that an intruder trial can take its seven and its one from:
 * colours by their strongest channel, dark ones apart (four groups); letters by their face
 * (five groups of 26), since a letter has only five images.
 *
 * Returns: (transfer full) (array length=n_items): each image's group
 */
guint *
lk_demo_collection_dup_labels (LkDemoCollection *self,
                               guint            *n_labels)
{
  guint *labels;

  g_return_val_if_fail (LK_IS_DEMO_COLLECTION (self), NULL);
  g_return_val_if_fail (n_labels != NULL, NULL);

  labels = g_new (guint, self->n_items);
  if (self->kind == KIND_LETTERS)
    {
      for (guint i = 0; i < self->n_items; i++)
        labels[i] = i / N_LETTERS;
      *n_labels = G_N_ELEMENTS (letter_fonts);
      return labels;
    }

  for (guint i = 0; i < self->n_items; i++)
    {
      const guint8 *rgb = self->rgb + 3 * i;

      if (rgb[0] + rgb[1] + rgb[2] < 200)
        labels[i] = 3;
      else
        labels[i] = rgb[0] >= rgb[1] && rgb[0] >= rgb[2] ? 0 : rgb[1] >= rgb[2] ? 1 : 2;
    }
  *n_labels = 4;

  return labels;
}
