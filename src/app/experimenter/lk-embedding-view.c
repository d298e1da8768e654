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
 * Nothing here decodes an image: thumbnails are small surfaces made once (LkThumbs).
 *
 * When the images come from more than one folder (a study file's; folders are the collection's
 * natural labels), each thumbnail gets a frame in its folder's colour, with a legend. Hovering
 * names the image (its path, as a tooltip and under the enlarged thumbnail). The view takes
 * the keyboard focus (Tab): the arrow keys move the selection to the nearest image in that
 * direction, + and - zoom, 0 resets the view.
 *
 * On screen, the items are drawn into a layer of whole pixels (lk_thumbs_blit(), and a dot
 * sprite per class for the co-occurrence map), kept until the positions, zoom, pan, size or
 * ranks change; the selected and hovered items are drawn over it with Cairo. Drawing 2000
 * items one Cairo fill at a time took 3 ms a frame as thumbnails and 20 ms as dots
 * (bench-ui-stall): during a transition both views redraw every frame, so that alone was the
 * main loop's worst stall. Exports (and lk_cairo_view_render()) keep the vector drawing.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <math.h>
#include <glib/gi18n.h>

#include "lk-embedding-view.h"
#include "lk-embedding-view-private.h"

#define ANIMATION_US 450000

struct _LkEmbeddingView
{
  LkCairoView  parent_instance;

  /* Owned references */
  LkSnapshot  *snapshot;
  LkThumbs    *thumbs;
  double      *from;          /* n x 2: positions when the animation started */
  double      *pos;           /* n x 2: positions drawn */
  guint8      *rank;          /* co-occurrence class per item: 0 top, 1 next, 2 rest */

  /* State */
  gboolean     cooccurrence;
  guint        n;
  int          selected;
  int          hovered;
  double       zoom;
  double       pan_x, pan_y;
  double       drag_pan_x, drag_pan_y;
  gint64       anim_start;
  guint        tick_id;

  /* The on-screen layer of all items (see the top of the file) */
  cairo_surface_t *layer;
  gboolean     layer_valid;
  cairo_surface_t *dots[3];    /* a dot per co-occurrence class, at the layer's scale */
  int          dots_scale;
};

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
static const guint *
get_folders (LkEmbeddingView *self,
             guint           *n_folders)
{
  const guint *folders;

  *n_folders = 0;
  if (self->thumbs == NULL || self->cooccurrence)
    return NULL;
  folders = lk_thumbs_get_folders (self->thumbs, n_folders);

  return *n_folders > 1 && lk_thumbs_get_n_items (self->thumbs) == self->n ? folders : NULL;
}

/* The affine map from projection to widget coordinates: fit the points' bounds with a margin,
 * then the user's zoom about the centre and pan. */
typedef struct {
  double scale, ox, oy;
} Transform;

static Transform
get_transform (LkEmbeddingView *self,
               int              width,
               int              height)
{
  double minx = G_MAXDOUBLE, maxx = -G_MAXDOUBLE, miny = G_MAXDOUBLE, maxy = -G_MAXDOUBLE;
  double top = 28, margin = 24, sx, sy;
  Transform t;

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
static double
thumb_size (LkEmbeddingView *self,
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
  Transform t;

  g_return_val_if_fail (LK_IS_EMBEDDING_VIEW (self), FALSE);

  if (item >= self->n)
    return FALSE;
  t = get_transform (self, width, height);
  *x = t.ox + t.scale * self->pos[2 * item];
  *y = t.oy + t.scale * self->pos[2 * item + 1];

  return TRUE;
}

static int
hit_test (LkEmbeddingView *self,
          double           x,
          double           y)
{
  int w = gtk_widget_get_width (GTK_WIDGET (self));
  int h = gtk_widget_get_height (GTK_WIDGET (self));
  Transform t = get_transform (self, w, h);
  double best = G_MAXDOUBLE, radius = MAX (thumb_size (self, w, h) / 2, 6);
  int found = -1;

  for (guint i = 0; i < self->n; i++)
    {
      double dx = t.ox + t.scale * self->pos[2 * i] - x;
      double dy = t.oy + t.scale * self->pos[2 * i + 1] - y;
      double d = dx * dx + dy * dy;

      if (d < best && d <= radius * radius)
        {
          best = d;
          found = i;
        }
    }

  return found;
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

static void
draw_title (cairo_t    *cr,
            const char *title,
            const char *subtitle,
            int         width)
{
  cairo_set_source_rgb (cr, 0.15, 0.15, 0.17);
  lk_cairo_view_text (cr, 10, 6, 13, 0, title);
  cairo_set_source_rgb (cr, 0.4, 0.4, 0.42);
  lk_cairo_view_text (cr, width - 10, 8, 11, 1, subtitle);
}

static void
invalidate_layer (LkEmbeddingView *self)
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
  invalidate_layer (self);
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

  invalidate_layer (self);
}

static const double cooccurrence_rgb[3][3] = {
  { LK_COOCCURRENCE_TOP_RGB }, { LK_COOCCURRENCE_NEXT_RGB }, { LK_COOCCURRENCE_REST_RGB }
};

static double
dot_radius (int cls)
{
  return cls == 2 ? 2.5 : 4.0;
}

/* Draws @sprite (ARGB32) over @data with its top left at (@x, @y), clipped. */
static void
blit_over (cairo_surface_t *sprite,
           guint8          *data,
           int              stride,
           int              width,
           int              height,
           int              x,
           int              y)
{
  const guint8 *src = cairo_image_surface_get_data (sprite);
  int sw = cairo_image_surface_get_width (sprite), sh = cairo_image_surface_get_height (sprite);
  int ss = cairo_image_surface_get_stride (sprite);

  for (int r = MAX (y, 0); r < MIN (y + sh, height); r++)
    {
      const guint32 *s = (const guint32 *) (gconstpointer) (src + (gsize) (r - y) * ss);
      guint32 *d = (guint32 *) (gpointer) (data + (gsize) r * stride);

      for (int c = MAX (x, 0); c < MIN (x + sw, width); c++)
        {
          guint32 v = s[c - x], dv = d[c];
          guint a = v >> 24, inv = 255 - a;
          guint32 rb, ag;

          if (a == 0)
            continue;
          if (a == 255)
            {
              d[c] = v;
              continue;
            }
          /* Two channels at a time, x / 255 as (x + 128 + ((x + 128) >> 8)) >> 8. */
          rb = (dv & 0x00ff00ffu) * inv + 0x00800080u;
          rb = ((rb + ((rb >> 8) & 0x00ff00ffu)) >> 8) & 0x00ff00ffu;
          ag = ((dv >> 8) & 0x00ff00ffu) * inv + 0x00800080u;
          ag = (ag + ((ag >> 8) & 0x00ff00ffu)) & 0xff00ff00u;
          d[c] = v + (rb | ag);
        }
    }
}

static void
ensure_dots (LkEmbeddingView *self,
             int              scale)
{
  if (self->dots_scale == scale && self->dots[0] != NULL)
    return;
  for (int cls = 0; cls < 3; cls++)
    {
      double r = dot_radius (cls) * scale;
      int edge = (int) ceil (2 * r) + 2;
      cairo_t *cr;

      g_clear_pointer (&self->dots[cls], cairo_surface_destroy);
      self->dots[cls] = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, edge, edge);
      cr = cairo_create (self->dots[cls]);
      cairo_set_source_rgb (cr, cooccurrence_rgb[cls][0], cooccurrence_rgb[cls][1],
                            cooccurrence_rgb[cls][2]);
      cairo_arc (cr, edge / 2.0, edge / 2.0, r, 0, 2 * G_PI);
      cairo_fill (cr);
      cairo_destroy (cr);
      cairo_surface_flush (self->dots[cls]);
    }
  self->dots_scale = scale;
}

/* Makes the layer of every item at whole pixels, for a @width x @height view at @scale. */
static cairo_surface_t *
ensure_layer (LkEmbeddingView *self,
              const Transform *t,
              double           size,
              int              width,
              int              height,
              int              scale)
{
  int pw = width * scale, ph = height * scale, stride;
  guint8 *data;

  if (self->layer != NULL && self->layer_valid
      && cairo_image_surface_get_width (self->layer) == pw
      && cairo_image_surface_get_height (self->layer) == ph)
    return self->layer;

  if (self->layer == NULL || cairo_image_surface_get_width (self->layer) != pw
      || cairo_image_surface_get_height (self->layer) != ph)
    {
      g_clear_pointer (&self->layer, cairo_surface_destroy);
      self->layer = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, pw, ph);
      cairo_surface_set_device_scale (self->layer, scale, scale);
    }
  cairo_surface_flush (self->layer);
  data = cairo_image_surface_get_data (self->layer);
  stride = cairo_image_surface_get_stride (self->layer);
  memset (data, 0, (gsize) stride * ph);

  if (!self->cooccurrence)
    {
      int edge = MAX ((int) (size * scale + 0.5), 1), frame = 2 * scale;
      guint n_folders;
      const guint *folders = get_folders (self, &n_folders);

      for (guint i = 0; i < self->n; i++)
        {
          double x = (t->ox + t->scale * self->pos[2 * i]) * scale;
          double y = (t->oy + t->scale * self->pos[2 * i + 1]) * scale;
          int x0 = (int) floor (x - edge / 2.0 + 0.5), y0 = (int) floor (y - edge / 2.0 + 0.5);

          if (x0 >= pw || y0 >= ph || x0 + edge <= 0 || y0 + edge <= 0)
            continue;
          if (folders != NULL)
            {
              double rgb[3];
              guint32 v;

              lk_embedding_view_folder_rgb (folders[i], rgb);
              v = 0xff000000u | (guint32) (rgb[0] * 255 + 0.5) << 16
                  | (guint32) (rgb[1] * 255 + 0.5) << 8 | (guint32) (rgb[2] * 255 + 0.5);
              for (int r = MAX (y0 - frame, 0); r < MIN (y0 + edge + frame, ph); r++)
                for (int c = MAX (x0 - frame, 0); c < MIN (x0 + edge + frame, pw); c++)
                  ((guint32 *) (gpointer) (data + (gsize) r * stride))[c] = v;
            }
          if (self->thumbs != NULL)
            lk_thumbs_blit (self->thumbs, i, data, stride, pw, ph, x0, y0, edge);
          else
            {
              if (self->dots_scale != scale || self->dots[0] == NULL)
                ensure_dots (self, scale);
              blit_over (self->dots[2], data, stride, pw, ph,
                         (int) floor (x - cairo_image_surface_get_width (self->dots[2]) / 2.0 + 0.5),
                         (int) floor (y - cairo_image_surface_get_height (self->dots[2]) / 2.0 + 0.5));
            }
        }
    }
  else
    {
      ensure_dots (self, scale);
      for (int cls = 2; cls >= 0; cls--)
        {
          int edge = cairo_image_surface_get_width (self->dots[cls]);

          for (guint i = 0; i < self->n; i++)
            {
              int c = self->rank != NULL ? self->rank[i] : 2;
              double x, y;

              if (c != cls || (int) i == self->selected)
                continue;
              x = (t->ox + t->scale * self->pos[2 * i]) * scale;
              y = (t->oy + t->scale * self->pos[2 * i + 1]) * scale;
              blit_over (self->dots[cls], data, stride, pw, ph, (int) floor (x - edge / 2.0 + 0.5),
                         (int) floor (y - edge / 2.0 + 0.5));
            }
        }
    }
  cairo_surface_mark_dirty (self->layer);
  self->layer_valid = TRUE;

  return self->layer;
}

static void
lk_embedding_view_draw (LkCairoView *view,
                        cairo_t     *cr,
                        int          width,
                        int          height)
{
  LkEmbeddingView *self = LK_EMBEDDING_VIEW (view);
  g_autofree char *subtitle = NULL;
  double size = thumb_size (self, width, height);
  int screen = lk_cairo_view_get_screen_scale (view);
  guint n_folders;
  const guint *folders = get_folders (self, &n_folders);
  Transform t;

  if (self->snapshot == NULL)
    {
      draw_title (cr, self->cooccurrence ? _("Co-occurrence") : _("Embedding"), "", width);
      cairo_set_source_rgb (cr, 0.5, 0.5, 0.5);
      lk_cairo_view_text (cr, width / 2.0, height / 2.0, 12, 0.5, _("Waiting for the first phase…"));
      return;
    }

  subtitle = g_strdup_printf (_("phase %u of %u · %u answers"), lk_snapshot_get_phase (self->snapshot),
                              lk_snapshot_get_n_phases (self->snapshot),
                              lk_snapshot_get_n_answers (self->snapshot));
  t = get_transform (self, width, height);

  if (screen > 0)
    {
      draw_title (cr, self->cooccurrence ? _("Co-occurrence with the selected image")
                                         : _("Embedding (PCA)"), subtitle, width);
      cairo_set_source_surface (cr, ensure_layer (self, &t, size, width, height, screen), 0, 0);
      cairo_paint (cr);
    }
  else if (!self->cooccurrence)
    {
      draw_title (cr, _("Embedding (PCA)"), subtitle, width);
      for (guint i = 0; i < self->n; i++)
        {
          double x = t.ox + t.scale * self->pos[2 * i], y = t.oy + t.scale * self->pos[2 * i + 1];

          if ((int) i == self->selected || (int) i == self->hovered)
            continue;
          if (folders != NULL)
            {
              double rgb[3];

              lk_embedding_view_folder_rgb (folders[i], rgb);
              cairo_set_source_rgb (cr, rgb[0], rgb[1], rgb[2]);
              cairo_rectangle (cr, x - size / 2 - 2, y - size / 2 - 2, size + 4, size + 4);
              cairo_fill (cr);
            }
          if (self->thumbs != NULL)
            lk_thumbs_paint (self->thumbs, cr, i, x, y, size);
          else
            {
              /* As the layer's dots on screen. */
              cairo_set_source_rgb (cr, cooccurrence_rgb[2][0], cooccurrence_rgb[2][1],
                                    cooccurrence_rgb[2][2]);
              cairo_arc (cr, x, y, dot_radius (2), 0, 2 * G_PI);
              cairo_fill (cr);
            }
        }
    }
  else
    {
      draw_title (cr, _("Co-occurrence with the selected image"), subtitle, width);
      /* One path and one fill per class; dots off the view are left out. */
      for (int cls = 2; cls >= 0; cls--)
        {
          double r = dot_radius (cls);

          cairo_new_path (cr);
          for (guint i = 0; i < self->n; i++)
            {
              double x = t.ox + t.scale * self->pos[2 * i], y = t.oy + t.scale * self->pos[2 * i + 1];
              int c = self->rank != NULL ? self->rank[i] : 2;

              if (c != cls || (int) i == self->selected
                  || x < -r || y < -r || x > width + r || y > height + r)
                continue;
              cairo_new_sub_path (cr);
              cairo_arc (cr, x, y, r, 0, 2 * G_PI);
            }
          cairo_set_source_rgb (cr, cooccurrence_rgb[cls][0], cooccurrence_rgb[cls][1],
                                cooccurrence_rgb[cls][2]);
          cairo_fill (cr);
        }
    }

  if (self->cooccurrence)
    {
      /* Legend. */
      {
        const char *labels[3] = { _("top 5 %"), _("next 5 %"), _("rest") };

        for (int c = 0; c < 3; c++)
          {
            cairo_set_source_rgb (cr, cooccurrence_rgb[c][0], cooccurrence_rgb[c][1],
                                  cooccurrence_rgb[c][2]);
            cairo_arc (cr, 16 + c * 80, height - 14, 4, 0, 2 * G_PI);
            cairo_fill (cr);
            cairo_set_source_rgb (cr, 0.3, 0.3, 0.3);
            lk_cairo_view_text (cr, 24 + c * 80, height - 21, 11, 0, labels[c]);
          }
        if (self->selected < 0)
          lk_cairo_view_text (cr, width / 2.0, 30, 11, 0.5, _("Click an image in the embedding to choose it"));
      }
    }

  if (self->selected >= 0 && (guint) self->selected < self->n)
    {
      double x = t.ox + t.scale * self->pos[2 * self->selected];
      double y = t.oy + t.scale * self->pos[2 * self->selected + 1];
      double s = MAX (size * 1.6, 14);

      cairo_set_source_rgb (cr, LK_EMBEDDING_VIEW_HIGHLIGHT_RGB);
      cairo_rectangle (cr, x - s / 2 - 3, y - s / 2 - 3, s + 6, s + 6);
      cairo_fill (cr);
      if (self->thumbs != NULL)
        lk_thumbs_paint (self->thumbs, cr, self->selected, x, y, s);
    }

  if (folders != NULL)
    {
      /* Legend: each folder's colour and name, along the bottom, as far as they fit. */
      double lx = 12;

      for (guint f = 0; f < n_folders && lx < width - 60; f++)
        {
          const char *name = lk_thumbs_get_folder_name (self->thumbs, f);
          double rgb[3];

          lk_embedding_view_folder_rgb (f, rgb);
          cairo_set_source_rgb (cr, rgb[0], rgb[1], rgb[2]);
          cairo_rectangle (cr, lx, height - 18, 10, 10);
          cairo_fill (cr);
          cairo_set_source_rgb (cr, 0.3, 0.3, 0.3);
          lk_cairo_view_text (cr, lx + 14, height - 21, 11, 0, name[0] != '\0' ? name : "/");
          lx += 24 + 7 * MIN (g_utf8_strlen (name[0] != '\0' ? name : "/", -1), 20);
        }
    }

  if (self->hovered >= 0 && (guint) self->hovered < self->n && self->thumbs != NULL
      && self->hovered != self->selected)
    {
      double x = t.ox + t.scale * self->pos[2 * self->hovered];
      double y = t.oy + t.scale * self->pos[2 * self->hovered + 1];
      double s = MAX (size * 3, 48);
      g_autofree char *title = lk_thumbs_dup_title (self->thumbs, self->hovered);

      cairo_set_source_rgb (cr, 0.2, 0.2, 0.2);
      cairo_rectangle (cr, x - s / 2 - 1.5, y - s / 2 - 1.5, s + 3, s + 3);
      cairo_fill (cr);
      lk_thumbs_paint (self->thumbs, cr, self->hovered, x, y, s);
      cairo_set_source_rgba (cr, 1, 1, 1, 0.85);
      cairo_rectangle (cr, x - s / 2 - 1.5, y + s / 2 + 1.5, s + 3, 16);
      cairo_fill (cr);
      cairo_set_source_rgb (cr, 0.1, 0.1, 0.1);
      lk_cairo_view_text (cr, x, y + s / 2 + 2, 11, 0.5, title);
    }
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
  invalidate_layer (self);
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
  invalidate_layer (self);
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
  invalidate_layer (self);
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
    invalidate_layer (self);
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
motion_cb (GtkEventControllerMotion *motion,
           double                    x,
           double                    y,
           LkEmbeddingView          *self)
{
  lk_embedding_view_hover_at (self, x, y);
}

/**
 * lk_embedding_view_hover_at:
 *
 * What the pointer does at (@x, @y): the image there is enlarged and named (its path as the
 * tooltip).
 *
 * Returns: the image hovered, or -1
 */
int
lk_embedding_view_hover_at (LkEmbeddingView *self,
                            double           x,
                            double           y)
{
  int hit = hit_test (self, x, y);

  if (hit != self->hovered)
    {
      const char *path = hit >= 0 && self->thumbs != NULL
                         ? lk_thumbs_get_name (self->thumbs, hit) : NULL;
      g_autofree char *title = hit >= 0 ? lk_thumbs_dup_title (self->thumbs, hit) : NULL;

      self->hovered = hit;
      gtk_widget_set_tooltip_text (GTK_WIDGET (self), path != NULL ? path : title);
      gtk_widget_queue_draw (GTK_WIDGET (self));
    }

  return hit;
}

static void
leave_cb (GtkEventControllerMotion *motion,
          LkEmbeddingView          *self)
{
  self->hovered = -1;
  gtk_widget_set_tooltip_text (GTK_WIDGET (self), NULL);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
pressed_cb (GtkGestureClick *click,
            int              n_press,
            double           x,
            double           y,
            LkEmbeddingView *self)
{
  int hit = hit_test (self, x, y);

  if (hit >= 0)
    lk_embedding_view_set_selected (self, hit);
  if (n_press == 2)
    {
      self->zoom = 1.0;
      self->pan_x = self->pan_y = 0;
      invalidate_layer (self);
    }
}

static gboolean
scroll_cb (GtkEventControllerScroll *scroll,
           double                    dx,
           double                    dy,
           LkEmbeddingView          *self)
{
  double factor = pow (1.15, -dy);
  double zoom = CLAMP (self->zoom * factor, 0.5, 40.0);

  factor = zoom / self->zoom;
  self->zoom = zoom;
  self->pan_x *= factor;
  self->pan_y *= factor;
  invalidate_layer (self);

  return TRUE;
}

static void
drag_begin_cb (GtkGestureDrag  *drag,
               double           x,
               double           y,
               LkEmbeddingView *self)
{
  self->drag_pan_x = self->pan_x;
  self->drag_pan_y = self->pan_y;
}

static void
drag_update_cb (GtkGestureDrag  *drag,
                double           dx,
                double           dy,
                LkEmbeddingView *self)
{
  self->pan_x = self->drag_pan_x + dx;
  self->pan_y = self->drag_pan_y + dy;
  invalidate_layer (self);
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

/* Returns the image nearest to @from in the direction (@dx, @dy) on screen (within 60° of it),
 * or the one nearest the view's centre when nothing is selected; -1 if there is none. */
static int
nearest_in_direction (LkEmbeddingView *self,
                      int              from,
                      double           dx,
                      double           dy)
{
  double best = G_MAXDOUBLE, fx, fy;
  int found = -1;

  if (self->n == 0)
    return -1;
  if (from < 0 || (guint) from >= self->n)
    {
      Transform t = get_transform (self, gtk_widget_get_width (GTK_WIDGET (self)),
                                   gtk_widget_get_height (GTK_WIDGET (self)));

      fx = (gtk_widget_get_width (GTK_WIDGET (self)) / 2.0 - t.ox) / t.scale;
      fy = (gtk_widget_get_height (GTK_WIDGET (self)) / 2.0 - t.oy) / t.scale;
      dx = dy = 0;
    }
  else
    {
      fx = self->pos[2 * from];
      fy = self->pos[2 * from + 1];
    }
  for (guint i = 0; i < self->n; i++)
    {
      double vx = self->pos[2 * i] - fx, vy = self->pos[2 * i + 1] - fy;
      double d = vx * vx + vy * vy, along = vx * dx + vy * dy;

      if ((int) i == from || ((dx != 0 || dy != 0) && along <= 0.5 * sqrt (d)))
        continue;
      /* Nearest first, but straight ahead beats off to the side. */
      if (dx != 0 || dy != 0)
        d = d / MAX (along * along / d, 1e-6);
      if (d < best)
        {
          best = d;
          found = (int) i;
        }
    }

  return found;
}

/**
 * lk_embedding_view_move_selection:
 * @dx: -1, 0 or 1: left or right on screen
 * @dy: -1, 0 or 1: up or down on screen
 *
 * What the arrow keys do: selects the nearest image in that direction (the image nearest the
 * centre if none is selected).
 *
 * Returns: %TRUE if the selection moved
 */
gboolean
lk_embedding_view_move_selection (LkEmbeddingView *self,
                                  int              dx,
                                  int              dy)
{
  int next;

  g_return_val_if_fail (LK_IS_EMBEDDING_VIEW (self), FALSE);

  next = nearest_in_direction (self, self->selected, dx, dy);
  if (next < 0)
    return FALSE;
  lk_embedding_view_set_selected (self, next);

  return TRUE;
}

static gboolean
key_pressed_cb (GtkEventControllerKey *key,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                LkEmbeddingView       *self)
{
  switch (keyval)
    {
    case GDK_KEY_Left:
    case GDK_KEY_KP_Left:
      lk_embedding_view_move_selection (self, -1, 0);
      return TRUE;
    case GDK_KEY_Right:
    case GDK_KEY_KP_Right:
      lk_embedding_view_move_selection (self, 1, 0);
      return TRUE;
    case GDK_KEY_Up:
    case GDK_KEY_KP_Up:
      lk_embedding_view_move_selection (self, 0, -1);
      return TRUE;
    case GDK_KEY_Down:
    case GDK_KEY_KP_Down:
      lk_embedding_view_move_selection (self, 0, 1);
      return TRUE;
    case GDK_KEY_plus:
    case GDK_KEY_equal:
    case GDK_KEY_KP_Add:
      lk_embedding_view_set_view (self, self->zoom * 1.25, self->pan_x * 1.25, self->pan_y * 1.25);
      return TRUE;
    case GDK_KEY_minus:
    case GDK_KEY_KP_Subtract:
      lk_embedding_view_set_view (self, self->zoom / 1.25, self->pan_x / 1.25, self->pan_y / 1.25);
      return TRUE;
    case GDK_KEY_0:
    case GDK_KEY_KP_0:
      lk_embedding_view_set_view (self, 1.0, 0, 0);
      return TRUE;
    default:
      return FALSE;
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
  LK_CAIRO_VIEW_CLASS (klass)->draw = lk_embedding_view_draw;

  properties[PROP_SELECTED] =
    g_param_spec_int ("selected", NULL, NULL, -1, G_MAXINT, -1,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "lk-embedding-view");
}

static void
lk_embedding_view_init (LkEmbeddingView *self)
{
  GtkEventController *motion = gtk_event_controller_motion_new ();
  GtkGesture *click = gtk_gesture_click_new ();
  GtkEventController *scroll = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_VERTICAL);
  GtkGesture *drag = gtk_gesture_drag_new ();
  GtkEventController *key;

  self->selected = -1;
  self->hovered = -1;
  self->zoom = 1.0;

  g_signal_connect (motion, "motion", G_CALLBACK (motion_cb), self);
  g_signal_connect (motion, "leave", G_CALLBACK (leave_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), motion);
  g_signal_connect (click, "pressed", G_CALLBACK (pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));
  g_signal_connect (scroll, "scroll", G_CALLBACK (scroll_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), scroll);
  g_signal_connect (drag, "drag-begin", G_CALLBACK (drag_begin_cb), self);
  g_signal_connect (drag, "drag-update", G_CALLBACK (drag_update_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drag));
  gtk_widget_set_size_request (GTK_WIDGET (self), 240, 200);

  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  key = gtk_event_controller_key_new ();
  g_signal_connect (key, "key-pressed", G_CALLBACK (key_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), key);
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
