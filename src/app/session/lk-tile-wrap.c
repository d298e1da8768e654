/* lk-tile-wrap.c — equal tiles in rows that wrap to the width given, with no cursor of its own
 *
 * A bin's images. GtkFlowBox did this before, but GTK 4.8's gtk_flow_box_remove() leaves the
 * box's cursor on a removed child, and the next arrow key or Tab into the box reads freed
 * memory. The sorting page moves the keyboard focus itself, so a bin needs only the
 * layout: children in order, as many to a row as the width takes, the rows as tall as the
 * tallest child.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "lk-tile-wrap.h"

/* How many to a row when no width is given: a bin asks for room for three. */
#define NATURAL_PER_ROW 3

struct _LkTileWrap
{
  GtkWidget  parent_instance;

  int        spacing;
};

G_DEFINE_FINAL_TYPE (LkTileWrap, lk_tile_wrap, GTK_TYPE_WIDGET)

/* The smallest size of the largest child, in each direction, and how many children are visible. */
static guint
cell_size (LkTileWrap *self,
           int        *width,
           int        *height)
{
  guint n = 0;

  *width = *height = 0;
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      int w, h;

      if (!gtk_widget_should_layout (child))
        continue;
      gtk_widget_measure (child, GTK_ORIENTATION_HORIZONTAL, -1, &w, NULL, NULL, NULL);
      gtk_widget_measure (child, GTK_ORIENTATION_VERTICAL, -1, &h, NULL, NULL, NULL);
      *width = MAX (*width, w);
      *height = MAX (*height, h);
      n++;
    }

  return n;
}

static guint
per_row (LkTileWrap *self,
         int         width,
         int         cell_width)
{
  if (width < 0)
    return NATURAL_PER_ROW;

  return MAX (1, (width + self->spacing) / MAX (1, cell_width + self->spacing));
}

static void
lk_tile_wrap_measure (GtkWidget      *widget,
                      GtkOrientation  orientation,
                      int             for_size,
                      int            *minimum,
                      int            *natural,
                      int            *minimum_baseline,
                      int            *natural_baseline)
{
  LkTileWrap *self = LK_TILE_WRAP (widget);
  int cell_width, cell_height;
  guint n = cell_size (self, &cell_width, &cell_height);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      guint columns = MIN (n, NATURAL_PER_ROW);

      /* One tile wide at least, so that many bins never widen the window. */
      *minimum = n > 0 ? cell_width : 0;
      *natural = columns > 0 ? (int) columns * (cell_width + self->spacing) - self->spacing : 0;
    }
  else
    {
      guint columns = per_row (self, for_size, cell_width);
      guint rows = (n + columns - 1) / columns;

      *minimum = *natural = rows > 0 ? (int) rows * (cell_height + self->spacing) - self->spacing : 0;
    }
}

static GtkSizeRequestMode
lk_tile_wrap_get_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

static void
lk_tile_wrap_size_allocate (GtkWidget *widget,
                            int        width,
                            int        height,
                            int        baseline)
{
  LkTileWrap *self = LK_TILE_WRAP (widget);
  int cell_width, cell_height;
  guint columns, i = 0;

  cell_size (self, &cell_width, &cell_height);
  columns = per_row (self, width, cell_width);
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkAllocation box;

      if (!gtk_widget_should_layout (child))
        continue;
      box.x = (int) (i % columns) * (cell_width + self->spacing);
      box.y = (int) (i / columns) * (cell_height + self->spacing);
      box.width = cell_width;
      box.height = cell_height;
      gtk_widget_size_allocate (child, &box, -1);
      i++;
    }
}

static void
lk_tile_wrap_dispose (GObject *object)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (lk_tile_wrap_parent_class)->dispose (object);
}

static void
lk_tile_wrap_class_init (LkTileWrapClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = lk_tile_wrap_dispose;
  widget_class->measure = lk_tile_wrap_measure;
  widget_class->get_request_mode = lk_tile_wrap_get_request_mode;
  widget_class->size_allocate = lk_tile_wrap_size_allocate;
  gtk_widget_class_set_css_name (widget_class, "lk-tile-wrap");
}

static void
lk_tile_wrap_init (LkTileWrap *self)
{
}

/**
 * lk_tile_wrap_new:
 * @spacing: pixels between tiles, across and down
 */
GtkWidget *
lk_tile_wrap_new (int spacing)
{
  LkTileWrap *self = g_object_new (LK_TYPE_TILE_WRAP, NULL);

  self->spacing = MAX (0, spacing);

  return GTK_WIDGET (self);
}

/* Adds @child after the others. */
void
lk_tile_wrap_append (LkTileWrap *self,
                     GtkWidget  *child)
{
  g_return_if_fail (LK_IS_TILE_WRAP (self));
  g_return_if_fail (gtk_widget_get_parent (child) == NULL);

  gtk_widget_insert_before (child, GTK_WIDGET (self), NULL);
}

void
lk_tile_wrap_remove (LkTileWrap *self,
                     GtkWidget  *child)
{
  g_return_if_fail (LK_IS_TILE_WRAP (self));
  g_return_if_fail (gtk_widget_get_parent (child) == GTK_WIDGET (self));

  gtk_widget_unparent (child);
}
