/* lk-knn-view.c — the selected image and its k nearest neighbours, with distances (Fig. 1, 8)
 *
 * As the paper's figures of query images and their neighbours: the query on the left, then its
 * k nearest neighbours in the snapshot's embedding, nearest first, each with its distance and a
 * bar whose length is the distance relative to the k-th. k is adjustable up to the snapshot's
 * stored table (at least 10, usually the study's knn_k).
 *
 * A neighbour can be followed: clicking it, or with the focus in the strip, Left and Right to
 * move among the neighbours and Enter, emits "neighbour-activated", and the experimenter
 * window makes it the selected image.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "lk-knn-view.h"
#include "lk-knn-view-private.h"

struct _LkKnnView
{
  LkCairoView  parent_instance;

  LkSnapshot  *snapshot;
  LkThumbs    *thumbs;
  int          item;
  guint        k;
  guint        cursor;   /* the neighbour the keyboard is on, 1..k */
};

G_DEFINE_FINAL_TYPE (LkKnnView, lk_knn_view, LK_TYPE_CAIRO_VIEW)

enum {
  SIGNAL_NEIGHBOUR_ACTIVATED,
  N_SIGNALS,
};

static guint signals[N_SIGNALS];

typedef struct {
  double query_size, query_x, query_y;
  double cell_w, cell_size, cells_x, cells_y;
  guint  k;
} Layout;

static Layout
get_layout (LkKnnView *self,
            int        width,
            int        height)
{
  Layout l;
  guint table_k = 0;

  if (self->snapshot != NULL)
    lk_snapshot_get_knn (self->snapshot, &table_k);
  l.k = MIN (self->k, table_k);
  l.query_size = MIN (height - 64, 0.22 * width);
  l.query_size = MAX (l.query_size, 16);
  l.query_x = 12 + l.query_size / 2;
  l.query_y = 30 + l.query_size / 2;
  l.cells_x = 12 + l.query_size + 20;
  l.cell_w = l.k > 0 ? (width - l.cells_x - 8) / l.k : 0;
  l.cell_size = MIN (l.cell_w - 6, l.query_size * 0.8);
  l.cell_size = MAX (l.cell_size, 4);
  l.cells_y = 30 + l.query_size * 0.1 + l.cell_size / 2;

  return l;
}

/**
 * lk_knn_view_cell_centre:
 * @rank: 0 for the query image, r for the r-th neighbour
 *
 * Returns: %FALSE if that cell is not drawn
 */
gboolean
lk_knn_view_cell_centre (LkKnnView *self,
                         guint      rank,
                         int        width,
                         int        height,
                         double    *x,
                         double    *y)
{
  Layout l = get_layout (self, width, height);

  if (self->snapshot == NULL || self->item < 0 || rank > l.k)
    return FALSE;
  if (rank == 0)
    {
      *x = l.query_x;
      *y = l.query_y;
    }
  else
    {
      *x = l.cells_x + (rank - 0.5) * l.cell_w;
      *y = l.cells_y;
    }

  return TRUE;
}

static void
paint_item (LkKnnView *self,
            cairo_t   *cr,
            guint      item,
            double     x,
            double     y,
            double     size)
{
  if (self->thumbs != NULL)
    lk_thumbs_paint (self->thumbs, cr, item, x, y, size);
  else
    {
      lk_cairo_view_set_ink (LK_CAIRO_VIEW (self), cr, LK_INK_MUTED);
      cairo_rectangle (cr, x - size / 2, y - size / 2, size, size);
      cairo_fill (cr);
    }
}

/**
 * lk_knn_view_dup_title:
 *
 * Returns: (transfer full) (nullable): the strip's title at @width x @height (the selected
 *   image by name), or %NULL when no image is selected
 */
char *
lk_knn_view_dup_title (LkKnnView *self,
                       int        width,
                       int        height)
{
  Layout l = get_layout (self, width, height);
  g_autofree char *name = NULL;

  if (self->snapshot == NULL || self->item < 0)
    return NULL;
  name = lk_thumbs_dup_title (self->thumbs, self->item);

  /* Translators: %s is an image's file name */
  return g_strdup_printf (_("%s and its %u nearest neighbours (phase %u)"), name, l.k,
                          lk_snapshot_get_phase (self->snapshot));
}

/* Names the image under the pointer, with its rank and distance for a neighbour. */
static gboolean
query_tooltip_cb (GtkWidget  *widget,
                  int         x,
                  int         y,
                  gboolean    keyboard,
                  GtkTooltip *tooltip,
                  LkKnnView  *self)
{
  int width = gtk_widget_get_width (widget), height = gtk_widget_get_height (widget);
  Layout l = get_layout (self, width, height);
  const guint *knn;
  guint table_k;

  if (self->snapshot == NULL || self->item < 0)
    return FALSE;
  knn = lk_snapshot_get_knn (self->snapshot, &table_k) + (gsize) self->item * table_k;
  for (guint rank = 0; rank <= l.k; rank++)
    {
      double cx, cy, half = (rank == 0 ? l.query_size : l.cell_size) / 2;
      guint item = rank == 0 ? (guint) self->item : knn[rank - 1];

      lk_knn_view_cell_centre (self, rank, width, height, &cx, &cy);
      if (fabs (x - cx) <= half && fabs (y - cy) <= half)
        {
          g_autofree char *name = lk_thumbs_dup_title (self->thumbs, item);
          const char *path = self->thumbs != NULL ? lk_thumbs_get_name (self->thumbs, item) : NULL;
          g_autofree char *text = NULL;

          if (rank == 0)
            text = g_strdup (path != NULL ? path : name);
          else
            /* Translators: neighbour rank, image path, distance in the embedding */
            text = g_strdup_printf (_("%u. %s (distance %.3f)"), rank, path != NULL ? path : name,
                                    lk_snapshot_get_knn_distances (self->snapshot)
                                    [(gsize) self->item * table_k + rank - 1]);
          gtk_tooltip_set_text (tooltip, text);
          return TRUE;
        }
    }

  return FALSE;
}

static void
lk_knn_view_draw (LkCairoView *view,
                  cairo_t     *cr,
                  int          width,
                  int          height)
{
  LkKnnView *self = LK_KNN_VIEW (view);
  Layout l = get_layout (self, width, height);
  g_autofree char *title = NULL;
  const guint *knn;
  const double *dist;
  guint table_k;
  double far;

  lk_cairo_view_set_ink (view, cr, LK_INK_TITLE);
  if (self->snapshot == NULL || self->item < 0
      || (guint) self->item >= lk_snapshot_get_n_items (self->snapshot))
    {
      lk_cairo_view_text (cr, 10, 6, 13, 0, _("Nearest neighbours"));
      lk_cairo_view_set_ink (view, cr, LK_INK_DIM_TEXT);
      lk_cairo_view_text (cr, width / 2.0, height / 2.0, 12, 0.5,
                          _("Click an image in the embedding"));
      return;
    }

  title = lk_knn_view_dup_title (self, width, height);
  lk_cairo_view_text (cr, 10, 6, 13, 0, title);

  knn = lk_snapshot_get_knn (self->snapshot, &table_k) + (gsize) self->item * table_k;
  dist = lk_snapshot_get_knn_distances (self->snapshot) + (gsize) self->item * table_k;
  far = l.k > 0 ? MAX (dist[l.k - 1], 1e-12) : 1;

  cairo_set_source_rgb (cr, 0.878, 0.106, 0.141);
  cairo_rectangle (cr, l.query_x - l.query_size / 2 - 3, l.query_y - l.query_size / 2 - 3,
                   l.query_size + 6, l.query_size + 6);
  cairo_fill (cr);
  paint_item (self, cr, self->item, l.query_x, l.query_y, l.query_size);

  for (guint r = 0; r < l.k; r++)
    {
      double x = l.cells_x + (r + 0.5) * l.cell_w, y = l.cells_y;
      double bar = (l.cell_w - 8) * dist[r] / far;
      char text[32];

      paint_item (self, cr, knn[r], x, y, l.cell_size);
      if (lk_cairo_view_is_dark (view))
        cairo_set_source_rgb (cr, 0.38, 0.63, 0.92);
      else
        cairo_set_source_rgb (cr, 0.11, 0.44, 0.85);
      cairo_rectangle (cr, x - (l.cell_w - 8) / 2, y + l.cell_size / 2 + 6, bar, 4);
      cairo_fill (cr);
      lk_cairo_view_set_ink (view, cr, LK_INK_TEXT);
      g_snprintf (text, sizeof text, "%.3f", dist[r]);
      if (l.cell_w > 34)
        lk_cairo_view_text (cr, x, y + l.cell_size / 2 + 12, MIN (11, l.cell_w / 4), 0.5, text);
      g_snprintf (text, sizeof text, "%u", r + 1);
      lk_cairo_view_text (cr, x, y - l.cell_size / 2 - 14, 10, 0.5, text);
      if (r + 1 == self->cursor && gtk_widget_has_focus (GTK_WIDGET (self)))
        {
          cairo_set_source_rgb (cr, 0.21, 0.52, 0.89);
          cairo_set_line_width (cr, 2);
          cairo_rectangle (cr, x - l.cell_size / 2 - 3, y - l.cell_size / 2 - 3,
                           l.cell_size + 6, l.cell_size + 6);
          cairo_stroke (cr);
        }
    }
}

/* Returns the rank (1..k) of the neighbour drawn at (@x, @y), or 0. */
static guint
neighbour_at (LkKnnView *self,
              double     x,
              double     y)
{
  int width = gtk_widget_get_width (GTK_WIDGET (self));
  int height = gtk_widget_get_height (GTK_WIDGET (self));
  Layout l = get_layout (self, width, height);

  for (guint rank = 1; rank <= l.k; rank++)
    {
      double cx, cy;

      if (lk_knn_view_cell_centre (self, rank, width, height, &cx, &cy)
          && fabs (x - cx) <= l.cell_size / 2 && fabs (y - cy) <= l.cell_size / 2)
        return rank;
    }

  return 0;
}

/**
 * lk_knn_view_activate:
 * @rank: a neighbour, 1..k
 *
 * Emits "neighbour-activated" with that neighbour (what a click or Enter does).
 *
 * Returns: %FALSE if there is no such neighbour
 */
gboolean
lk_knn_view_activate (LkKnnView *self,
                      guint      rank)
{
  const guint *knn;
  guint table_k;

  g_return_val_if_fail (LK_IS_KNN_VIEW (self), FALSE);

  if (self->snapshot == NULL || self->item < 0)
    return FALSE;
  knn = lk_snapshot_get_knn (self->snapshot, &table_k);
  if (rank < 1 || rank > MIN (self->k, table_k))
    return FALSE;
  g_signal_emit (self, signals[SIGNAL_NEIGHBOUR_ACTIVATED], 0,
                 (int) knn[(gsize) self->item * table_k + rank - 1]);

  return TRUE;
}

/**
 * lk_knn_view_move_cursor:
 * @delta: -1 (Left) or 1 (Right)
 *
 * Returns: the neighbour the keyboard is on now (1..k), 0 without neighbours
 */
guint
lk_knn_view_move_cursor (LkKnnView *self,
                         int        delta)
{
  guint k;

  g_return_val_if_fail (LK_IS_KNN_VIEW (self), 0);

  if (self->snapshot == NULL || self->item < 0)
    return 0;
  lk_snapshot_get_knn (self->snapshot, &k);
  k = MIN (self->k, k);
  self->cursor = (guint) CLAMP ((int) self->cursor + delta, 1, (int) k);
  gtk_widget_queue_draw (GTK_WIDGET (self));

  return self->cursor;
}

static gboolean
key_pressed_cb (GtkEventControllerKey *key,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                LkKnnView             *self)
{
  switch (keyval)
    {
    case GDK_KEY_Left:
    case GDK_KEY_KP_Left:
      lk_knn_view_move_cursor (self, -1);
      return TRUE;
    case GDK_KEY_Right:
    case GDK_KEY_KP_Right:
      lk_knn_view_move_cursor (self, 1);
      return TRUE;
    case GDK_KEY_Return:
    case GDK_KEY_KP_Enter:
    case GDK_KEY_space:
      return lk_knn_view_activate (self, MAX (self->cursor, 1));
    default:
      return FALSE;
    }
}

static void
pressed_cb (GtkGestureClick *click,
            int              n_press,
            double           x,
            double           y,
            LkKnnView       *self)
{
  guint rank = neighbour_at (self, x, y);

  if (rank > 0)
    lk_knn_view_activate (self, rank);
}

static void
focus_cb (LkKnnView *self)
{
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
lk_knn_view_dispose (GObject *object)
{
  LkKnnView *self = (LkKnnView *)object;

  g_clear_pointer (&self->snapshot, lk_snapshot_unref);
  g_clear_pointer (&self->thumbs, lk_thumbs_unref);

  G_OBJECT_CLASS (lk_knn_view_parent_class)->dispose (object);
}

static void
lk_knn_view_class_init (LkKnnViewClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = lk_knn_view_dispose;
  LK_CAIRO_VIEW_CLASS (klass)->draw = lk_knn_view_draw;
  gtk_widget_class_set_css_name (GTK_WIDGET_CLASS (klass), "lk-knn-view");

  /**
   * LkKnnView::neighbour-activated:
   * @item: the neighbour clicked, or chosen with the keyboard
   */
  signals[SIGNAL_NEIGHBOUR_ACTIVATED] =
    g_signal_new ("neighbour-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT);
}

static void
lk_knn_view_init (LkKnnView *self)
{
  GtkEventController *key = gtk_event_controller_key_new ();
  GtkEventController *focus = gtk_event_controller_focus_new ();
  GtkGesture *click = gtk_gesture_click_new ();

  self->item = -1;
  self->k = 8;
  gtk_widget_set_size_request (GTK_WIDGET (self), 300, 130);
  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
  g_signal_connect (self, "query-tooltip", G_CALLBACK (query_tooltip_cb), self);
  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  g_signal_connect (key, "key-pressed", G_CALLBACK (key_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), key);
  g_signal_connect_swapped (focus, "enter", G_CALLBACK (focus_cb), self);
  g_signal_connect_swapped (focus, "leave", G_CALLBACK (focus_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), focus);
  g_signal_connect (click, "pressed", G_CALLBACK (pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));
}

GtkWidget *
lk_knn_view_new (void)
{
  return g_object_new (LK_TYPE_KNN_VIEW, NULL);
}

void
lk_knn_view_set_snapshot (LkKnnView  *self,
                          LkSnapshot *snapshot)
{
  g_return_if_fail (LK_IS_KNN_VIEW (self));

  if (snapshot != NULL)
    lk_snapshot_ref (snapshot);
  g_clear_pointer (&self->snapshot, lk_snapshot_unref);
  self->snapshot = snapshot;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
lk_knn_view_set_thumbs (LkKnnView *self,
                        LkThumbs  *thumbs)
{
  g_return_if_fail (LK_IS_KNN_VIEW (self));

  if (thumbs != NULL)
    lk_thumbs_ref (thumbs);
  g_clear_pointer (&self->thumbs, lk_thumbs_unref);
  self->thumbs = thumbs;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
lk_knn_view_set_item (LkKnnView *self,
                      int        item)
{
  g_return_if_fail (LK_IS_KNN_VIEW (self));

  self->item = item;
  self->cursor = 1;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
lk_knn_view_set_k (LkKnnView *self,
                   guint      k)
{
  g_return_if_fail (LK_IS_KNN_VIEW (self));

  self->k = CLAMP (k, 1, 40);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}
