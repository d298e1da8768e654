/* lk-knn-strip.c — one image's nearest neighbours in a row, with their distances
 *
 * A title, then up to k cells: the neighbour's thumbnail (from the shared LkThumbnailLoader),
 * its rank and its distance. Distances of different spaces have different scales, so the
 * threshold is relative: a neighbour whose distance is above threshold x the space's scale
 * (the browser passes the mean distance to the k-th neighbour over a sample of images) is
 * dimmed and counted as outside. Clicking a cell emits "neighbour-activated" with its item.
 * The experimenter's k-NN view (lk-knn-view.c) shows neighbours too, of a live embedding;
 * this strip is kept small on purpose so that the two can merge.
 *
 * lk_knn_strip_export() saves the strip as drawn (title, thumbnails, ranks and distances, the
 * dimming) as PNG, SVG or PDF: the widget's render nodes are drawn by Cairo onto the file's
 * surface, so an SVG or PDF stays vector, with the thumbnails embedded as images.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "lk-knn-strip-private.h"
#include "lk-screenshot.h"

#define MAX_CELLS 10
#define CELL_SIZE LK_KNN_STRIP_CELL_SIZE

typedef struct {
  LkKnnStrip *strip;
  GtkWidget  *box;
  GtkWidget  *picture;
  GtkWidget  *label;
  guint       item;
  double      distance;
  gboolean    wanted;
} Cell;

struct _LkKnnStrip
{
  GtkWidget          parent_instance;

  /* Owned references */
  LkThumbnailLoader *loader;

  /* Children */
  GtkWidget         *box;
  GtkWidget         *title;
  GtkWidget         *row;
  GtkWidget         *message;

  Cell               cells[MAX_CELLS];
  guint              n;
  double             scale;
  double             threshold;
};

enum {
  SIGNAL_NEIGHBOUR_ACTIVATED,
  N_SIGNALS,
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (LkKnnStrip, lk_knn_strip, GTK_TYPE_WIDGET)

static void
thumbnail_cb (guint       item,
              GdkTexture *texture,
              gpointer    user_data)
{
  Cell *cell = user_data;

  cell->wanted = FALSE;
  if (cell->item == item)
    gtk_picture_set_paintable (GTK_PICTURE (cell->picture), GDK_PAINTABLE (texture));
}

static void
cell_release (Cell *cell)
{
  if (cell->wanted)
    lk_thumbnail_loader_unwant (cell->strip->loader, cell->item, cell);
  cell->wanted = FALSE;
}

static void
update_dimming (LkKnnStrip *self)
{
  for (guint i = 0; i < self->n; i++)
    {
      Cell *cell = &self->cells[i];
      gboolean outside = self->scale > 0 && cell->distance > self->threshold * self->scale;

      if (outside)
        gtk_widget_add_css_class (cell->box, "knn-outside");
      else
        gtk_widget_remove_css_class (cell->box, "knn-outside");
      gtk_widget_set_opacity (cell->box, outside ? 0.3 : 1.0);
    }
}

static void
pressed_cb (GtkGestureClick *gesture,
            int              n_press,
            double           x,
            double           y,
            gpointer         user_data)
{
  Cell *cell = user_data;

  g_signal_emit (cell->strip, signals[SIGNAL_NEIGHBOUR_ACTIVATED], 0, cell->item);
}

/* Asked for when shown, rather than set on each update (which queries the pointer from the
 * display server for every cell). */
static gboolean
query_tooltip_cb (GtkWidget  *widget,
                  int         x,
                  int         y,
                  gboolean    keyboard,
                  GtkTooltip *tooltip,
                  gpointer    user_data)
{
  Cell *cell = user_data;
  guint rank = cell - cell->strip->cells;
  g_autofree char *tip = NULL;

  if (rank >= cell->strip->n)
    return FALSE;
  tip = g_strdup_printf (_("Neighbour %u, distance %g"), rank + 1, cell->distance);
  gtk_tooltip_set_text (tooltip, tip);

  return TRUE;
}

static void
lk_knn_strip_dispose (GObject *object)
{
  LkKnnStrip *self = (LkKnnStrip *)object;

  g_assert (LK_IS_KNN_STRIP (self));

  for (guint i = 0; i < MAX_CELLS; i++)
    if (self->loader != NULL)
      cell_release (&self->cells[i]);
  g_clear_pointer (&self->box, gtk_widget_unparent);
  g_clear_object (&self->loader);

  G_OBJECT_CLASS (lk_knn_strip_parent_class)->dispose (object);
}

static void
lk_knn_strip_class_init (LkKnnStripClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = lk_knn_strip_dispose;

  /**
   * LkKnnStrip::neighbour-activated:
   * @item: the neighbour's item id
   */
  signals[SIGNAL_NEIGHBOUR_ACTIVATED] =
    g_signal_new ("neighbour-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_UINT);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "knnstrip");
}

static void
lk_knn_strip_init (LkKnnStrip *self)
{
  self->box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  gtk_widget_set_parent (self->box, GTK_WIDGET (self));
  self->title = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (self->title), 0.0);
  gtk_widget_add_css_class (self->title, "heading");
  gtk_box_append (GTK_BOX (self->box), self->title);
  self->row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  gtk_box_append (GTK_BOX (self->box), self->row);
  self->message = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (self->message), 0.0);
  gtk_label_set_wrap (GTK_LABEL (self->message), TRUE);
  gtk_widget_add_css_class (self->message, "dim-label");
  gtk_widget_set_size_request (self->message, -1, CELL_SIZE);
  gtk_widget_set_visible (self->message, FALSE);
  gtk_box_append (GTK_BOX (self->box), self->message);
  self->threshold = G_MAXDOUBLE;

  for (guint i = 0; i < MAX_CELLS; i++)
    {
      Cell *cell = &self->cells[i];
      GtkGesture *click = gtk_gesture_click_new ();

      cell->strip = self;
      cell->box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
      gtk_widget_add_css_class (cell->box, "knn-cell");
      cell->picture = gtk_picture_new ();
      gtk_picture_set_can_shrink (GTK_PICTURE (cell->picture), TRUE);
      gtk_widget_set_size_request (cell->picture, CELL_SIZE, CELL_SIZE);
      gtk_widget_add_css_class (cell->picture, "thumbnail-frame");
      cell->label = gtk_label_new (NULL);
      gtk_widget_add_css_class (cell->label, "caption");
      gtk_widget_add_css_class (cell->label, "numeric");
      gtk_box_append (GTK_BOX (cell->box), cell->picture);
      gtk_box_append (GTK_BOX (cell->box), cell->label);
      g_signal_connect (click, "pressed", G_CALLBACK (pressed_cb), cell);
      gtk_widget_add_controller (cell->box, GTK_EVENT_CONTROLLER (click));
      gtk_widget_set_has_tooltip (cell->box, TRUE);
      g_signal_connect (cell->box, "query-tooltip", G_CALLBACK (query_tooltip_cb), cell);
      gtk_widget_set_visible (cell->box, FALSE);
      gtk_box_append (GTK_BOX (self->row), cell->box);
    }
}

/**
 * lk_knn_strip_new:
 * @title: the space's name, shown above the row
 * @loader: where thumbnails come from
 */
GtkWidget *
lk_knn_strip_new (const char        *title,
                  LkThumbnailLoader *loader)
{
  LkKnnStrip *self = g_object_new (LK_TYPE_KNN_STRIP, NULL);

  gtk_label_set_text (GTK_LABEL (self->title), title);
  self->loader = g_object_ref (loader);

  return GTK_WIDGET (self);
}

/**
 * lk_knn_strip_set_neighbours:
 * @ids: (array length=n): neighbour ids, nearest first
 * @distances: (array length=n): their distances
 * @n: how many (at most 10 are shown)
 * @scale: the space's typical distance, for the relative threshold (0: no threshold)
 */
void
lk_knn_strip_set_neighbours (LkKnnStrip   *self,
                             const guint  *ids,
                             const double *distances,
                             guint         n,
                             double        scale)
{
  g_return_if_fail (LK_IS_KNN_STRIP (self));

  self->n = MIN (n, MAX_CELLS);
  self->scale = scale;
  for (guint i = 0; i < MAX_CELLS; i++)
    {
      Cell *cell = &self->cells[i];

      cell_release (cell);
      gtk_widget_set_visible (cell->box, i < self->n);
      if (i >= self->n)
        continue;
      if (cell->item != ids[i])
        gtk_picture_set_paintable (GTK_PICTURE (cell->picture), NULL);
      cell->item = ids[i];
      cell->distance = distances[i];
      {
        g_autofree char *text = g_strdup_printf ("%u · %.3g", i + 1, distances[i]);

        gtk_label_set_text (GTK_LABEL (cell->label), text);
      }
      cell->wanted = TRUE;
      lk_thumbnail_loader_want (self->loader, cell->item, thumbnail_cb, cell);
    }
  gtk_widget_set_visible (self->row, self->n > 0);
  gtk_widget_set_visible (self->message, self->n == 0);
  update_dimming (self);
}

/**
 * lk_knn_strip_is_loaded:
 *
 * Returns: %TRUE when no neighbour shown still waits for its thumbnail
 */
gboolean
lk_knn_strip_is_loaded (LkKnnStrip *self)
{
  g_return_val_if_fail (LK_IS_KNN_STRIP (self), FALSE);

  for (guint i = 0; i < self->n; i++)
    if (self->cells[i].wanted)
      return FALSE;

  return TRUE;
}

/**
 * lk_knn_strip_set_message:
 * @message: why there are no neighbours to show; clears the row
 */
void
lk_knn_strip_set_message (LkKnnStrip *self,
                          const char *message)
{
  g_return_if_fail (LK_IS_KNN_STRIP (self));

  lk_knn_strip_set_neighbours (self, NULL, NULL, 0, 0.0);
  gtk_label_set_text (GTK_LABEL (self->message), message);
}

/**
 * lk_knn_strip_set_threshold:
 * @threshold: relative distance above which neighbours are dimmed
 */
void
lk_knn_strip_set_threshold (LkKnnStrip *self,
                            double      threshold)
{
  g_return_if_fail (LK_IS_KNN_STRIP (self));

  self->threshold = threshold;
  update_dimming (self);
}

/* Paints what the theme puts behind the strip: white under dark text, dark under light text. */
static void
paint_background (LkKnnStrip *self,
                  cairo_t    *cr)
{
  GdkRGBA fg;

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_style_context_get_color (gtk_widget_get_style_context (GTK_WIDGET (self)), &fg);
  G_GNUC_END_IGNORE_DEPRECATIONS
  if (0.2126 * fg.red + 0.7152 * fg.green + 0.0722 * fg.blue > 0.5)
    cairo_set_source_rgb (cr, 0x24 / 255.0, 0x24 / 255.0, 0x24 / 255.0);
  else
    cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
}

/**
 * lk_knn_strip_get_export_size:
 * @width: (out): width of the exported image, in points (pixels at scale 1)
 * @height: (out): its height
 *
 * The strip as allocated, but only as wide as its content (the row of cells, or the title if
 * that is wider), with a margin of LK_KNN_STRIP_EXPORT_MARGIN all round.
 */
void
lk_knn_strip_get_export_size (LkKnnStrip *self,
                              int        *width,
                              int        *height)
{
  int natural = 0;

  g_return_if_fail (LK_IS_KNN_STRIP (self));

  gtk_widget_measure (self->box, GTK_ORIENTATION_HORIZONTAL, -1, NULL, &natural, NULL, NULL);
  *width = MAX (MIN (natural, gtk_widget_get_width (GTK_WIDGET (self))), 1) +
           2 * LK_KNN_STRIP_EXPORT_MARGIN;
  *height = MAX (gtk_widget_get_height (GTK_WIDGET (self)), 1) + 2 * LK_KNN_STRIP_EXPORT_MARGIN;
}

typedef struct {
  LkKnnStrip    *strip;
  GskRenderNode *node;
} ExportData;

static void
export_draw (cairo_t  *cr,
             int       width,
             int       height,
             gpointer  user_data)
{
  ExportData *e = user_data;

  paint_background (e->strip, cr);
  cairo_rectangle (cr, LK_KNN_STRIP_EXPORT_MARGIN, LK_KNN_STRIP_EXPORT_MARGIN,
                   width - 2 * LK_KNN_STRIP_EXPORT_MARGIN, height - 2 * LK_KNN_STRIP_EXPORT_MARGIN);
  cairo_clip (cr);
  cairo_translate (cr, LK_KNN_STRIP_EXPORT_MARGIN, LK_KNN_STRIP_EXPORT_MARGIN);
  gsk_render_node_draw (e->node, cr);
}

/**
 * lk_knn_strip_export:
 * @path: ends in .png (drawn at twice the size, for sharpness), .svg or .pdf
 *
 * Saves the strip as it is drawn. It must be shown in a window.
 *
 * Returns: %FALSE with @error set if the format is unknown, the strip was never drawn, or the
 *   file could not be written
 */
gboolean
lk_knn_strip_export (LkKnnStrip  *self,
                     const char  *path,
                     GError     **error)
{
  g_autoptr(GskRenderNode) node = NULL;
  GtkSnapshot *snapshot;
  ExportData e;
  int width, height;

  g_return_val_if_fail (LK_IS_KNN_STRIP (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  /* The children drawn afresh, as the strip's parent would: a GtkWidgetPaintable would only
   * give the node of the last frame, none at all just after the neighbours changed. */
  snapshot = gtk_snapshot_new ();
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    GTK_WIDGET_GET_CLASS (self)->snapshot (GTK_WIDGET (self), snapshot);
  node = gtk_snapshot_free_to_node (snapshot);
  if (node == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   _("The neighbours are not shown yet, so there is nothing to save"));
      return FALSE;
    }
  lk_knn_strip_get_export_size (self, &width, &height);
  e.strip = self;
  e.node = node;

  return lk_save_drawing (path, width, height, export_draw, &e, error);
}

guint
lk_knn_strip_get_n_neighbours (LkKnnStrip *self)
{
  return self->n;
}

/**
 * lk_knn_strip_get_neighbour:
 * @distance: (out) (optional): its distance
 *
 * Returns: the item id of the neighbour at @index (0 = nearest)
 */
guint
lk_knn_strip_get_neighbour (LkKnnStrip *self,
                            guint       index,
                            double     *distance)
{
  g_return_val_if_fail (index < self->n, 0);

  if (distance != NULL)
    *distance = self->cells[index].distance;

  return self->cells[index].item;
}

/* Returns how many neighbours are within the threshold. */
guint
lk_knn_strip_get_n_within (LkKnnStrip *self)
{
  guint n = 0;

  for (guint i = 0; i < self->n; i++)
    n += !gtk_widget_has_css_class (self->cells[i].box, "knn-outside");

  return n;
}
