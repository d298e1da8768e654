/* lk-embedding-view.c — the embedding on its first two principal axes, or one image's
 * co-occurrence map (Fig. 9), drawn with Cairo
 *
 * Embedding mode (the paper's Fig. 1 in spirit): every item as its thumbnail
 * at its place in the snapshot's projection (PCA, aligned to the previous phase by Procrustes
 * in the worker). Scroll to zoom about the pointer, drag to pan, hover to enlarge, click to
 * select. A new snapshot is not a jump: points move from where they were to where they are
 * over 0.45 s (ease-out cubic), driven by the frame clock.
 *
 * Co-occurrence mode (Fig. 9): for the selected image, every other image as a dot coloured by
 * how often it shared a grid with it, ranked over the collection: the top 5 % red, the next
 * 5 % orange, the rest grey (items that never shared a grid with it are always "the rest").
 *
 * When the images come from more than one folder (a study file's; folders are the collection's
 * natural labels), each thumbnail gets a frame in its folder's colour, with a legend.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <math.h>

#include "lk-embedding-view-private.h"

#define ANIMATION_US 450000

G_DEFINE_FINAL_TYPE (LkEmbeddingView, lk_embedding_view, LK_TYPE_CAIRO_VIEW)

enum {
  PROP_0,
  PROP_SELECTED,
  N_PROPS,
};

static GParamSpec *properties[N_PROPS];

/* Folder colours: the Tableau 10 palette, which stays distinguishable for most colour vision,
 * then repeated. */
static const double folder_palette[10][3] = {
  { 0.122, 0.467, 0.706 }, { 1.000, 0.498, 0.055 }, { 0.173, 0.627, 0.173 },
  { 0.839, 0.153, 0.157 }, { 0.580, 0.404, 0.741 }, { 0.549, 0.337, 0.294 },
  { 0.890, 0.467, 0.761 }, { 0.498, 0.498, 0.498 }, { 0.737, 0.741, 0.133 },
  { 0.090, 0.745, 0.812 },
};

/**
 * lk_embedding_view_folder_rgb:
 * @rgb: (out caller-allocates) (array fixed-size=3): the colour of @folder's points
 */
void
lk_embedding_view_folder_rgb (guint   folder,
                              double *rgb)
{
  for (guint c = 0; c < 3; c++)
    rgb[c] = folder_palette[folder % G_N_ELEMENTS (folder_palette)][c];
}

/* Returns each item's folder when the items come from more than one, else NULL. */
const guint *
_lk_embedding_view_get_folders (LkEmbeddingView *self,
                                guint           *n_folders)
{
  const guint *folders;

  *n_folders = 0;
  if (self->thumbs == NULL || self->cooccurrence)
    return NULL;
  folders = lk_thumbs_get_folders (self->thumbs, n_folders);

  return *n_folders > 1 && lk_thumbs_get_n_items (self->thumbs) == self->n ? folders : NULL;
}

LkEmbeddingTransform
_lk_embedding_view_get_transform (LkEmbeddingView *self,
                                  int              width,
                                  int              height)
{
  double minx = G_MAXDOUBLE, maxx = -G_MAXDOUBLE, miny = G_MAXDOUBLE, maxy = -G_MAXDOUBLE;
  double top = 28, margin = 24, sx, sy;
  LkEmbeddingTransform t;

  for (guint i = 0; i < self->n; i++)
    {
      minx = MIN (minx, self->pos[2 * i]);
      maxx = MAX (maxx, self->pos[2 * i]);
      miny = MIN (miny, self->pos[2 * i + 1]);
      maxy = MAX (maxy, self->pos[2 * i + 1]);
    }
  if (self->n == 0 || maxx - minx < 1e-12)
    {
      minx = -1;
      maxx = 1;
    }
  if (self->n == 0 || maxy - miny < 1e-12)
    {
      miny = -1;
      maxy = 1;
    }
  sx = (width - 2 * margin) / (maxx - minx);
  sy = (height - top - 2 * margin) / (maxy - miny);
  t.scale = MAX (MIN (sx, sy), 1e-6) * self->zoom;
  t.ox = width / 2.0 - t.scale * (minx + maxx) / 2 + self->pan_x;
  t.oy = top + (height - top) / 2.0 - t.scale * (miny + maxy) / 2 + self->pan_y;

  return t;
}

/* Returns the thumbnail edge for @n items in a @width x @height view. */
double
_lk_embedding_view_thumb_size (LkEmbeddingView *self,
                               int              width,
                               int              height)
{
  double s = sqrt ((double) width * height / MAX (self->n, 1)) * 0.42;

  return CLAMP (s * sqrt (self->zoom), 5.0, 64.0);
}

/**
 * lk_embedding_view_item_position:
 *
 * Where @item is drawn in a @width x @height rendering.
 *
 * Returns: %FALSE if there is no snapshot or @item is out of range
 */
gboolean
lk_embedding_view_item_position (LkEmbeddingView *self,
                                 guint            item,
                                 int              width,
                                 int              height,
                                 double          *x,
                                 double          *y)
{
  LkEmbeddingTransform t;

  g_return_val_if_fail (LK_IS_EMBEDDING_VIEW (self), FALSE);

  if (item >= self->n)
    return FALSE;
  t = _lk_embedding_view_get_transform (self, width, height);
  *x = t.ox + t.scale * self->pos[2 * item];
  *y = t.oy + t.scale * self->pos[2 * item + 1];

  return TRUE;
}

/* Orders items by descending count, ties by the smaller item. */
static gint
compare_count (gconstpointer a,
               gconstpointer b,
               gpointer      user_data)
{
  const guint *count = user_data;
  guint ia = *(const guint *) a, ib = *(const guint *) b;

  if (count[ia] != count[ib])
    return count[ia] > count[ib] ? -1 : 1;

  return ia < ib ? -1 : ia > ib;
}

/* Ranks every item by how often it shared a grid with the selected one. */
static void
update_ranks (LkEmbeddingView *self)
{
  g_autofree guint *count = NULL;
  g_autofree guint *order = NULL;
  guint n = self->n, top = MAX (1, (guint) ceil (0.05 * n));

  g_clear_pointer (&self->rank, g_free);
  if (self->snapshot == NULL || self->selected < 0)
    return;

  count = g_new0 (guint, n);
  order = g_new (guint, n);
  for (guint i = 0; i < n; i++)
    {
      count[i] = lk_snapshot_get_shared (self->snapshot, self->selected, i);
      order[i] = i;
    }
  g_qsort_with_data (order, n, sizeof (guint), compare_count, count);
  self->rank = g_new (guint8, n);
  for (guint r = 0; r < n; r++)
    {
      guint i = order[r];

      self->rank[i] = count[i] == 0 ? 2 : r < top ? 0 : r < 2 * top ? 1 : 2;
    }
}

void
_lk_embedding_view_invalidate_layer (LkEmbeddingView *self)
{
  self->layer_valid = FALSE;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/**
 * lk_embedding_view_set_view:
 * @zoom: 1 to fit every item, clamped to [0.5, 40]
 * @pan_x: shift in pixels, as a drag would
 *
 * Zooms and pans as the pointer would (keyboard, tests, benchmarks).
 */
void
lk_embedding_view_set_view (LkEmbeddingView *self,
                            double           zoom,
                            double           pan_x,
                            double           pan_y)
{
  g_return_if_fail (LK_IS_EMBEDDING_VIEW (self));

  self->zoom = CLAMP (zoom, 0.5, 40.0);
  self->pan_x = pan_x;
  self->pan_y = pan_y;
  _lk_embedding_view_invalidate_layer (self);
}

/**
 * lk_embedding_view_invalidate:
 *
 * Drops the on-screen layer, so that the next draw makes it again (benchmarks).
 */
void
lk_embedding_view_invalidate (LkEmbeddingView *self)
{
  g_return_if_fail (LK_IS_EMBEDDING_VIEW (self));

  _lk_embedding_view_invalidate_layer (self);
}

static gboolean
tick_cb (GtkWidget     *widget,
         GdkFrameClock *clock,
         gpointer       user_data)
{
  LkEmbeddingView *self = LK_EMBEDDING_VIEW (widget);
  const double *to = lk_snapshot_get_projection (self->snapshot);
  double p = (gdk_frame_clock_get_frame_time (clock) - self->anim_start) / (double) ANIMATION_US;
  double e;

  p = CLAMP (p, 0.0, 1.0);
  e = 1.0 - pow (1.0 - p, 3);
  for (guint k = 0; k < 2 * self->n; k++)
    self->pos[k] = self->from[k] + (to[k] - self->from[k]) * e;
  _lk_embedding_view_invalidate_layer (self);
  if (p >= 1.0)
    {
      self->tick_id = 0;
      return G_SOURCE_REMOVE;
    }

  return G_SOURCE_CONTINUE;
}

/**
 * lk_embedding_view_set_snapshot:
 * @snapshot: (nullable): what to draw
 * @animate: move the points from their drawn places instead of jumping
 */
void
lk_embedding_view_set_snapshot (LkEmbeddingView *self,
                                LkSnapshot      *snapshot,
                                gboolean         animate)
{
  guint n;

  g_return_if_fail (LK_IS_EMBEDDING_VIEW (self));

  if (snapshot == self->snapshot)
    return;
  if (snapshot != NULL)
    lk_snapshot_ref (snapshot);
  g_clear_pointer (&self->snapshot, lk_snapshot_unref);
  self->snapshot = snapshot;
  gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->tick_id);
  self->tick_id = 0;

  n = snapshot != NULL ? lk_snapshot_get_n_items (snapshot) : 0;
  if (n != self->n)
    {
      animate = FALSE;
      self->n = n;
      self->pos = g_renew (double, self->pos, 2 * (gsize) n + 1);
      self->from = g_renew (double, self->from, 2 * (gsize) n + 1);
      if (self->selected >= (int) n)
        self->selected = -1;
      self->hovered = -1;
    }
  if (snapshot != NULL)
    {
      if (animate && gtk_widget_get_mapped (GTK_WIDGET (self)))
        {
          memcpy (self->from, self->pos, sizeof (double) * 2 * n);
          self->anim_start = gdk_frame_clock_get_frame_time (gtk_widget_get_frame_clock (GTK_WIDGET (self)));
          self->tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (self), tick_cb, NULL, NULL);
        }
      else
        memcpy (self->pos, lk_snapshot_get_projection (snapshot), sizeof (double) * 2 * n);
    }
  update_ranks (self);
  _lk_embedding_view_invalidate_layer (self);
}

/**
 * lk_embedding_view_get_snapshot:
 *
 * Returns: (transfer none) (nullable): the snapshot drawn
 */
LkSnapshot *
lk_embedding_view_get_snapshot (LkEmbeddingView *self)
{
  g_return_val_if_fail (LK_IS_EMBEDDING_VIEW (self), NULL);

  return self->snapshot;
}

void
lk_embedding_view_set_thumbs (LkEmbeddingView *self,
                              LkThumbs        *thumbs)
{
  g_return_if_fail (LK_IS_EMBEDDING_VIEW (self));

  if (thumbs != NULL)
    lk_thumbs_ref (thumbs);
  g_clear_pointer (&self->thumbs, lk_thumbs_unref);
  self->thumbs = thumbs;
  _lk_embedding_view_invalidate_layer (self);
}

void
lk_embedding_view_set_selected (LkEmbeddingView *self,
                                int              item)
{
  g_return_if_fail (LK_IS_EMBEDDING_VIEW (self));

  if (item >= (int) self->n)
    item = -1;
  if (item == self->selected)
    return;
  self->selected = item;
  update_ranks (self);
  if (self->cooccurrence)
    _lk_embedding_view_invalidate_layer (self);
  else
    gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED]);
}

int
lk_embedding_view_get_selected (LkEmbeddingView *self)
{
  g_return_val_if_fail (LK_IS_EMBEDDING_VIEW (self), -1);

  return self->selected;
}

static void
lk_embedding_view_dispose (GObject *object)
{
  LkEmbeddingView *self = (LkEmbeddingView *)object;

  if (self->tick_id != 0)
    gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->tick_id);
  self->tick_id = 0;
  g_clear_pointer (&self->snapshot, lk_snapshot_unref);
  g_clear_pointer (&self->thumbs, lk_thumbs_unref);
  g_clear_pointer (&self->layer, cairo_surface_destroy);
  for (int c = 0; c < 3; c++)
    g_clear_pointer (&self->dots[c], cairo_surface_destroy);

  G_OBJECT_CLASS (lk_embedding_view_parent_class)->dispose (object);
}

static void
lk_embedding_view_finalize (GObject *object)
{
  LkEmbeddingView *self = (LkEmbeddingView *)object;

  g_free (self->pos);
  g_free (self->from);
  g_free (self->rank);

  G_OBJECT_CLASS (lk_embedding_view_parent_class)->finalize (object);
}

static void
lk_embedding_view_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  LkEmbeddingView *self = LK_EMBEDDING_VIEW (object);

  switch (prop_id)
    {
    case PROP_SELECTED:
      g_value_set_int (value, self->selected);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lk_embedding_view_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  LkEmbeddingView *self = LK_EMBEDDING_VIEW (object);

  switch (prop_id)
    {
    case PROP_SELECTED:
      lk_embedding_view_set_selected (self, g_value_get_int (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lk_embedding_view_class_init (LkEmbeddingViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = lk_embedding_view_dispose;
  object_class->finalize = lk_embedding_view_finalize;
  object_class->get_property = lk_embedding_view_get_property;
  object_class->set_property = lk_embedding_view_set_property;
  LK_CAIRO_VIEW_CLASS (klass)->draw = _lk_embedding_view_draw;

  properties[PROP_SELECTED] =
    g_param_spec_int ("selected", NULL, NULL, -1, G_MAXINT, -1,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "lk-embedding-view");
}

static void
lk_embedding_view_init (LkEmbeddingView *self)
{
  self->selected = -1;
  self->hovered = -1;
  self->zoom = 1.0;

  /* Two of these stack in the experimenter's window: at 130 px each it fits a 1280x800 screen
   * at 2x (400 logical pixels high). */
  gtk_widget_set_size_request (GTK_WIDGET (self), 240, 130);
  _lk_embedding_view_input_init (self);
}

/**
 * lk_embedding_view_new:
 * @cooccurrence: draw the selected image's co-occurrence map instead of thumbnails
 */
GtkWidget *
lk_embedding_view_new (gboolean cooccurrence)
{
  LkEmbeddingView *self = g_object_new (LK_TYPE_EMBEDDING_VIEW, NULL);

  self->cooccurrence = cooccurrence;

  return GTK_WIDGET (self);
}
