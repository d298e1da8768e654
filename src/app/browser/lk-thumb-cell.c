/* lk-thumb-cell.c — one cell of the browser's grid: a thumbnail, its name, a few-answers mark
 *
 * One widget that draws its thumbnail and its name itself, with the few-answers badge as its
 * only child, in place of a box of a picture, an overlay, an image and a label. What matters is
 * what binding costs: the grid rebinds a page of cells on every frame while the scrollbar is
 * dragged, and a GtkLabel's new text or a GtkPicture's new texture queues a resize, which
 * walks up to the window and has every widget on the way measured again. This cell's size is
 * fixed by its edge and its font, so a new name, texture or mark only queues a draw. (GTK
 * 4.8's GtkGridView still queues one resize of its own per scroll step, and on X11 a window
 * that is resized asks the X server for the monitor's work area, a few round trips a frame.)
 * bench/bench-browser, against the box of four widgets: GTK's layout phase 1.0 ms a frame at
 * the median instead of 2.0, the main thread's worst iteration 6-7.5 ms of CPU instead of 9-10,
 * the first screen 0.28 s instead of 0.39-0.45 s.
 *
 * The thumbnail is drawn inside a square of the cell's edge at its aspect, centred, at whole
 * pixels, never enlarged: a texture made at that edge is drawn as it is (with the Cairo
 * renderer a blit, where a scaled texture is filtered on every frame). The name is one line,
 * ellipsised in the middle, in the cell's own font (it has the "caption" style class).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "lk-thumb-cell-private.h"

#define SPACING 2
#define BADGE_SIZE 16

struct _LkThumbCell
{
  GtkWidget    parent_instance;

  /* Owned references */
  GdkTexture  *texture;
  PangoLayout *layout;      /* the name, at the width last allocated */
  PangoFontDescription *font; /* what line_height and layout were made with */
  char        *name;

  /* Children */
  GtkWidget   *badge;

  int          size;        /* edge of the thumbnail's square */
  int          line_height; /* of the name; 0 until measured with the current font */
  gboolean     few;
};

G_DEFINE_FINAL_TYPE (LkThumbCell, lk_thumb_cell, GTK_TYPE_WIDGET)

static int
line_height (LkThumbCell *self)
{
  if (self->line_height == 0)
    {
      g_autoptr(PangoLayout) probe = gtk_widget_create_pango_layout (GTK_WIDGET (self), "Ag");

      pango_layout_get_pixel_size (probe, NULL, &self->line_height);
    }

  return self->line_height;
}

static void
lk_thumb_cell_measure (GtkWidget      *widget,
                       GtkOrientation  orientation,
                       int             for_size,
                       int            *minimum,
                       int            *natural,
                       int            *minimum_baseline,
                       int            *natural_baseline)
{
  LkThumbCell *self = LK_THUMB_CELL (widget);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    *minimum = *natural = self->size;
  else
    *minimum = *natural = self->size + SPACING + line_height (self);
}

static void
lk_thumb_cell_size_allocate (GtkWidget *widget,
                             int        width,
                             int        height,
                             int        baseline)
{
  LkThumbCell *self = LK_THUMB_CELL (widget);
  int left = (width - self->size) / 2;

  gtk_widget_allocate (self->badge, BADGE_SIZE, BADGE_SIZE, -1,
                       gsk_transform_translate (NULL, &GRAPHENE_POINT_INIT (left + self->size -
                                                                            BADGE_SIZE, 0)));
  if (self->layout != NULL)
    pango_layout_set_width (self->layout, width * PANGO_SCALE);
}

static void
lk_thumb_cell_snapshot (GtkWidget   *widget,
                        GtkSnapshot *snapshot)
{
  LkThumbCell *self = LK_THUMB_CELL (widget);
  int width = gtk_widget_get_width (widget);

  if (self->texture != NULL)
    {
      int tw = gdk_texture_get_width (self->texture), th = gdk_texture_get_height (self->texture);
      double f = MIN (1.0, (double) self->size / MAX (MAX (tw, th), 1));
      int w = MAX ((int) (tw * f + 0.5), 1), h = MAX ((int) (th * f + 0.5), 1);

      gtk_snapshot_append_texture (snapshot, self->texture,
                                   &GRAPHENE_RECT_INIT ((width - w) / 2,
                                                        (self->size - h) / 2, w, h));
    }
  if (self->name != NULL && *self->name != '\0')
    {
      if (self->layout == NULL)
        {
          self->layout = gtk_widget_create_pango_layout (widget, self->name);
          pango_layout_set_ellipsize (self->layout, PANGO_ELLIPSIZE_MIDDLE);
          pango_layout_set_alignment (self->layout, PANGO_ALIGN_CENTER);
          pango_layout_set_width (self->layout, width * PANGO_SCALE);
        }
      /* GTK 4.8 has no gtk_widget_get_color() (4.10): the style context gives the CSS colour. */
      G_GNUC_BEGIN_IGNORE_DEPRECATIONS
      gtk_snapshot_render_layout (snapshot, gtk_widget_get_style_context (widget), 0,
                                  self->size + SPACING, self->layout);
      G_GNUC_END_IGNORE_DEPRECATIONS
    }
  gtk_widget_snapshot_child (widget, self->badge, snapshot);
}

static void
lk_thumb_cell_css_changed (GtkWidget         *widget,
                           GtkCssStyleChange *change)
{
  LkThumbCell *self = LK_THUMB_CELL (widget);
  const PangoFontDescription *font;

  GTK_WIDGET_CLASS (lk_thumb_cell_parent_class)->css_changed (widget, change);

  /* Most changes are states (hover, selected) that leave the font alone; only a new font needs
   * the line measured again and the name laid out anew, and only that may queue a resize. */
  font = pango_context_get_font_description (gtk_widget_get_pango_context (widget));
  if (self->font != NULL && font != NULL && pango_font_description_equal (self->font, font))
    return;
  g_clear_pointer (&self->font, pango_font_description_free);
  self->font = font != NULL ? pango_font_description_copy (font) : NULL;
  self->line_height = 0;
  g_clear_object (&self->layout);
  gtk_widget_queue_resize (widget);
}

static void
lk_thumb_cell_dispose (GObject *object)
{
  LkThumbCell *self = (LkThumbCell *)object;

  g_clear_pointer (&self->badge, gtk_widget_unparent);
  g_clear_object (&self->texture);
  g_clear_object (&self->layout);
  g_clear_pointer (&self->font, pango_font_description_free);
  g_clear_pointer (&self->name, g_free);

  G_OBJECT_CLASS (lk_thumb_cell_parent_class)->dispose (object);
}

static void
lk_thumb_cell_class_init (LkThumbCellClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = lk_thumb_cell_dispose;
  widget_class->measure = lk_thumb_cell_measure;
  widget_class->size_allocate = lk_thumb_cell_size_allocate;
  widget_class->snapshot = lk_thumb_cell_snapshot;
  widget_class->css_changed = lk_thumb_cell_css_changed;

  gtk_widget_class_set_css_name (widget_class, "thumbcell");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
lk_thumb_cell_init (LkThumbCell *self)
{
  self->size = 112;
  self->badge = gtk_image_new_from_icon_name ("dialog-question-symbolic");
  gtk_image_set_pixel_size (GTK_IMAGE (self->badge), BADGE_SIZE);
  gtk_widget_add_css_class (self->badge, "warning");
  /* Shown by opacity, so that marking a cell only queues a draw; the cell's tooltip says why. */
  gtk_widget_set_opacity (self->badge, 0.0);
  gtk_widget_set_can_target (self->badge, FALSE);
  gtk_widget_set_parent (self->badge, GTK_WIDGET (self));
  gtk_widget_add_css_class (GTK_WIDGET (self), "caption");
}

/**
 * lk_thumb_cell_new:
 * @size: edge of the square the thumbnail is drawn in, in pixels
 */
GtkWidget *
lk_thumb_cell_new (int size)
{
  LkThumbCell *self = g_object_new (LK_TYPE_THUMB_CELL, NULL);

  g_return_val_if_fail (size > 0, GTK_WIDGET (self));

  self->size = size;

  return GTK_WIDGET (self);
}

/**
 * lk_thumb_cell_set_texture:
 * @texture: (nullable): the thumbnail, or %NULL while it loads
 */
void
lk_thumb_cell_set_texture (LkThumbCell *self,
                           GdkTexture  *texture)
{
  g_return_if_fail (LK_IS_THUMB_CELL (self));
  g_return_if_fail (texture == NULL || GDK_IS_TEXTURE (texture));

  if (g_set_object (&self->texture, texture))
    gtk_widget_queue_draw (GTK_WIDGET (self));
}

/**
 * lk_thumb_cell_get_texture:
 *
 * Returns: (transfer none) (nullable): the thumbnail shown
 */
GdkTexture *
lk_thumb_cell_get_texture (LkThumbCell *self)
{
  g_return_val_if_fail (LK_IS_THUMB_CELL (self), NULL);

  return self->texture;
}

/**
 * lk_thumb_cell_set_name:
 * @name: (nullable): shown under the thumbnail, and the cell's accessible label
 */
void
lk_thumb_cell_set_name (LkThumbCell *self,
                        const char  *name)
{
  g_return_if_fail (LK_IS_THUMB_CELL (self));

  if (g_strcmp0 (self->name, name) == 0)
    return;
  g_free (self->name);
  self->name = g_strdup (name);
  if (self->layout != NULL)
    pango_layout_set_text (self->layout, name != NULL ? name : "", -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  name != NULL ? name : "", -1);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

const char *
lk_thumb_cell_get_name (LkThumbCell *self)
{
  g_return_val_if_fail (LK_IS_THUMB_CELL (self), NULL);

  return self->name;
}

/**
 * lk_thumb_cell_set_few_answers:
 * @few: whether to show the mark of an image the learned metric knows too little about
 */
void
lk_thumb_cell_set_few_answers (LkThumbCell *self,
                               gboolean     few)
{
  g_return_if_fail (LK_IS_THUMB_CELL (self));

  few = !!few;
  if (self->few == few)
    return;
  self->few = few;
  gtk_widget_set_opacity (self->badge, few ? 1.0 : 0.0);
}

gboolean
lk_thumb_cell_get_few_answers (LkThumbCell *self)
{
  g_return_val_if_fail (LK_IS_THUMB_CELL (self), FALSE);

  return self->few;
}
