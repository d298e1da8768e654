/* lk-embedding-view-draw.c — drawing the embedding view: the layer of every item, the
 * selected and hovered items over it, titles and the folders' legend
 *
 * Nothing here decodes an image: thumbnails are small surfaces made once (LkThumbs).
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

#include "lk-embedding-view-private.h"

static void
draw_title (LkCairoView *view,
            cairo_t     *cr,
            const char  *title,
            const char  *subtitle,
            int          width)
{
  lk_cairo_view_set_ink (view, cr, LK_INK_TITLE);
  lk_cairo_view_text (cr, 10, 6, 13, 0, title);
  /* A narrow view (1280x800 at 2x) has no room for both: the phase also shows on the slider. */
  if (10 + lk_cairo_view_text_width (cr, 13, title) + 16
      + lk_cairo_view_text_width (cr, 11, subtitle) > width - 10)
    return;
  lk_cairo_view_set_ink (view, cr, LK_INK_DIM_TEXT);
  lk_cairo_view_text (cr, width - 10, 8, 11, 1, subtitle);
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
              const LkEmbeddingTransform *t,
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
      const guint *folders = _lk_embedding_view_get_folders (self, &n_folders);

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

void
_lk_embedding_view_draw (LkCairoView *view,
                         cairo_t     *cr,
                         int          width,
                         int          height)
{
  LkEmbeddingView *self = LK_EMBEDDING_VIEW (view);
  g_autofree char *subtitle = NULL;
  double size = _lk_embedding_view_thumb_size (self, width, height);
  int screen = lk_cairo_view_get_screen_scale (view);
  guint n_folders;
  const guint *folders = _lk_embedding_view_get_folders (self, &n_folders);
  LkEmbeddingTransform t;

  if (self->snapshot == NULL)
    {
      draw_title (view, cr, self->cooccurrence ? _("Co-occurrence") : _("Embedding"), "", width);
      lk_cairo_view_set_ink (view, cr, LK_INK_DIM_TEXT);
      lk_cairo_view_text (cr, width / 2.0, height / 2.0, 12, 0.5, _("Waiting for the first phase…"));
      return;
    }

  subtitle = g_strdup_printf (_("phase %u of %u · %u answers"), lk_snapshot_get_phase (self->snapshot),
                              lk_snapshot_get_n_phases (self->snapshot),
                              lk_snapshot_get_n_answers (self->snapshot));
  t = _lk_embedding_view_get_transform (self, width, height);

  if (screen > 0)
    {
      draw_title (view, cr, self->cooccurrence ? _("Co-occurrence with the selected image")
                                         : _("Embedding (PCA)"), subtitle, width);
      cairo_set_source_surface (cr, ensure_layer (self, &t, size, width, height, screen), 0, 0);
      cairo_paint (cr);
    }
  else if (!self->cooccurrence)
    {
      draw_title (view, cr, _("Embedding (PCA)"), subtitle, width);
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
      draw_title (view, cr, _("Co-occurrence with the selected image"), subtitle, width);
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
            lk_cairo_view_set_ink (view, cr, LK_INK_TEXT);
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
          lk_cairo_view_set_ink (view, cr, LK_INK_TEXT);
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
