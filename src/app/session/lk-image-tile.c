/* lk-image-tile.c — one image of the grid, draggable and focusable
 *
 * The tile's texture is made at the size the tile is drawn at, in device pixels (its edge times
 * the scale factor), and made again when that changes (into a bin and out, another scale
 * factor): with the Cairo renderer a texture at its drawn size is copied on every frame, where a
 * larger one is filtered down on every frame. The image source hands over textures its decoder
 * made ahead, or decodes one on the spot.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <stdlib.h>

#include "lk-image-tile.h"

struct _LkImageTile
{
  GtkWidget    parent_instance;

  /* Template widgets */
  GtkPicture  *picture;

  /* Owned references */
  LkImageSource *source;
  GdkTexture  *texture;         /* at texture_size, NULL until the size is set */

  guint        position;
  guint        item;            /* the image in source */
  int          size;            /* the edge of the square, 0 until set */
  int          texture_size;    /* the texture's edge: size times the scale factor */
};

G_DEFINE_FINAL_TYPE (LkImageTile, lk_image_tile, GTK_TYPE_WIDGET)

enum {
  SIGNAL_PREVIEW,
  N_SIGNALS,
};

static guint signals[N_SIGNALS];

/* Takes the texture at the size drawn, unless the tile has it already. */
static void
update_texture (LkImageTile *self)
{
  int texture_size = self->size * gtk_widget_get_scale_factor (GTK_WIDGET (self));

  if (self->source == NULL || self->size <= 0 || texture_size == self->texture_size)
    return;
  texture_size = MIN (texture_size, LK_IMAGE_SOURCE_MAX_SIZE);
  g_clear_object (&self->texture);
  self->texture = lk_image_source_dup_texture_at_size (self->source, self->item, texture_size);
  self->texture_size = texture_size;
  gtk_picture_set_paintable (self->picture, GDK_PAINTABLE (self->texture));
}

static void
scale_factor_cb (LkImageTile *self)
{
  update_texture (self);
}

static GdkContentProvider *
drag_prepare_cb (LkImageTile   *self,
                 double         x,
                 double         y,
                 GtkDragSource *source)
{
  g_autofree char *text = lk_image_tile_format_drag (self->position);

  return gdk_content_provider_new_typed (G_TYPE_STRING, text);
}

static void
drag_begin_cb (LkImageTile   *self,
               GdkDrag       *drag,
               GtkDragSource *source)
{
  int size = gtk_widget_get_width (GTK_WIDGET (self));

  gtk_drag_source_set_icon (source, GDK_PAINTABLE (self->texture), size / 2, size / 2);
  gtk_widget_add_css_class (GTK_WIDGET (self), "dragged");
}

static void
drag_end_cb (LkImageTile   *self,
             GdkDrag       *drag,
             gboolean       delete_data,
             GtkDragSource *source)
{
  gtk_widget_remove_css_class (GTK_WIDGET (self), "dragged");
}

static void
enter_cb (LkImageTile              *self,
          double                    x,
          double                    y,
          GtkEventControllerMotion *motion)
{
  g_signal_emit (self, signals[SIGNAL_PREVIEW], 0, FALSE);
}

static void
long_pressed_cb (LkImageTile         *self,
                 double               x,
                 double               y,
                 GtkGestureLongPress *gesture)
{
  g_signal_emit (self, signals[SIGNAL_PREVIEW], 0, TRUE);
}

/* Exactly the size set, whatever the image's own size: the grid's places and the bins lay out
 * equal squares, and nothing moves when an image comes or goes. */
static void
lk_image_tile_measure (GtkWidget      *widget,
                       GtkOrientation  orientation,
                       int             for_size,
                       int            *minimum,
                       int            *natural,
                       int            *minimum_baseline,
                       int            *natural_baseline)
{
  LkImageTile *self = LK_IMAGE_TILE (widget);

  gtk_widget_measure (GTK_WIDGET (self->picture), orientation, -1, minimum, NULL, NULL, NULL);
  *minimum = MAX (*minimum, self->size);
  *natural = *minimum;
}

static void
lk_image_tile_size_allocate (GtkWidget *widget,
                             int        width,
                             int        height,
                             int        baseline)
{
  LkImageTile *self = LK_IMAGE_TILE (widget);

  gtk_widget_allocate (GTK_WIDGET (self->picture), width, height, -1, NULL);
}

static void
lk_image_tile_root (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (lk_image_tile_parent_class)->root (widget);

  update_texture (LK_IMAGE_TILE (widget));
}

static void
lk_image_tile_dispose (GObject *object)
{
  LkImageTile *self = (LkImageTile *)object;

  gtk_widget_dispose_template (GTK_WIDGET (self), LK_TYPE_IMAGE_TILE);
  g_clear_object (&self->texture);
  g_clear_object (&self->source);

  G_OBJECT_CLASS (lk_image_tile_parent_class)->dispose (object);
}

static void
lk_image_tile_class_init (LkImageTileClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = lk_image_tile_dispose;
  widget_class->measure = lk_image_tile_measure;
  widget_class->size_allocate = lk_image_tile_size_allocate;
  widget_class->root = lk_image_tile_root;

  /**
   * LkImageTile::preview:
   * @large: %TRUE when the participant pressed and held the image, %FALSE on hover
   *
   * The participant wants to see this image bigger.
   */
  signals[SIGNAL_PREVIEW] =
    g_signal_new ("preview", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_BOOLEAN);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/likeness/Likeness/ui/session/lk-image-tile.ui");
  gtk_widget_class_bind_template_child (widget_class, LkImageTile, picture);
  gtk_widget_class_bind_template_callback (widget_class, drag_prepare_cb);
  gtk_widget_class_bind_template_callback (widget_class, drag_begin_cb);
  gtk_widget_class_bind_template_callback (widget_class, drag_end_cb);
  gtk_widget_class_bind_template_callback (widget_class, enter_cb);
  gtk_widget_class_bind_template_callback (widget_class, long_pressed_cb);
  gtk_widget_class_set_css_name (widget_class, "lk-image-tile");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
lk_image_tile_init (LkImageTile *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_set_overflow (GTK_WIDGET (self), GTK_OVERFLOW_HIDDEN);
  g_signal_connect (self, "notify::scale-factor", G_CALLBACK (scale_factor_cb), NULL);
}

/**
 * lk_image_tile_new:
 * @position: the image's position in its grid
 * @source: where the image comes from
 * @item: the image in @source; its texture is taken once the tile's size is set
 * @title: (nullable): a short description, for screen readers
 */
GtkWidget *
lk_image_tile_new (guint          position,
                   LkImageSource *source,
                   guint          item,
                   const char    *title)
{
  LkImageTile *self;

  g_return_val_if_fail (LK_IS_IMAGE_SOURCE (source), NULL);

  self = g_object_new (LK_TYPE_IMAGE_TILE, NULL);
  self->position = position;
  self->source = g_object_ref (source);
  self->item = item;
  if (title != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);

  return GTK_WIDGET (self);
}

guint
lk_image_tile_get_position (LkImageTile *self)
{
  g_return_val_if_fail (LK_IS_IMAGE_TILE (self), 0);

  return self->position;
}

/**
 * lk_image_tile_set_item:
 * @item: another image of the same source
 * @title: (nullable): its short description, for screen readers
 *
 * Shows another image in the tile (a new grid in the same widgets), at the tile's size.
 */
void
lk_image_tile_set_item (LkImageTile *self,
                        guint        item,
                        const char  *title)
{
  g_return_if_fail (LK_IS_IMAGE_TILE (self));

  if (item != self->item)
    {
      self->item = item;
      self->texture_size = 0;
      update_texture (self);
    }
  if (title != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
  else
    gtk_accessible_reset_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL);
}

/**
 * lk_image_tile_get_item:
 *
 * Returns: the image's item in its source
 */
guint
lk_image_tile_get_item (LkImageTile *self)
{
  g_return_val_if_fail (LK_IS_IMAGE_TILE (self), 0);

  return self->item;
}

/**
 * lk_image_tile_get_texture:
 *
 * Returns: (transfer none) (nullable): the image, at the size the tile is drawn at in device
 *   pixels; %NULL until the tile's size is set
 */
GdkTexture *
lk_image_tile_get_texture (LkImageTile *self)
{
  g_return_val_if_fail (LK_IS_IMAGE_TILE (self), NULL);

  return self->texture;
}

/**
 * lk_image_tile_set_size:
 * @size: edge of the square tile, in pixels
 */
void
lk_image_tile_set_size (LkImageTile *self,
                        int          size)
{
  g_return_if_fail (LK_IS_IMAGE_TILE (self));

  self->size = size;
  update_texture (self);
  gtk_widget_set_halign (GTK_WIDGET (self), GTK_ALIGN_CENTER);
  gtk_widget_set_valign (GTK_WIDGET (self), GTK_ALIGN_CENTER);
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

/**
 * lk_image_tile_format_drag:
 *
 * Returns: (transfer full): what a drag of the image at @position carries, "tile-N"
 */
char *
lk_image_tile_format_drag (guint position)
{
  return g_strdup_printf ("tile-%u", position);
}

/**
 * lk_image_tile_parse_drag:
 * @text: what a drop delivered
 * @position: (out): the image's position
 *
 * Returns: %TRUE if @text came from lk_image_tile_format_drag()
 */
gboolean
lk_image_tile_parse_drag (const char *text,
                          guint      *position)
{
  guint64 value;

  g_return_val_if_fail (position != NULL, FALSE);

  if (text == NULL || !g_str_has_prefix (text, "tile-")
      || !g_ascii_string_to_unsigned (text + 5, 10, 0, G_MAXUINT, &value, NULL))
    return FALSE;

  *position = (guint) value;

  return TRUE;
}
