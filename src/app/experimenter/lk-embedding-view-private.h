/* lk-embedding-view-private.h — the embedding view's state, shared by its files, and what tests
 * and benchmarks reach inside it
 *
 * lk-embedding-view.c        the class, the snapshot and its animation, selection, zoom and pan
 * lk-embedding-view-draw.c   drawing: the layer of every item, then the selected and hovered
 * lk-embedding-view-input.c  the pointer and the keys: hover, click, scroll, drag, arrows, zoom
 *
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "lk-embedding-view.h"

G_BEGIN_DECLS

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

  /* The on-screen layer of all items (see lk-embedding-view-draw.c) */
  cairo_surface_t *layer;
  gboolean     layer_valid;
  cairo_surface_t *dots[3];    /* a dot per co-occurrence class, at the layer's scale */
  int          dots_scale;
};

/* The affine map from projection to widget coordinates: fit the points' bounds with a margin,
 * then the user's zoom about the centre and pan. */
typedef struct {
  double scale, ox, oy;
} LkEmbeddingTransform;

/* lk-embedding-view.c */
const guint          *_lk_embedding_view_get_folders      (LkEmbeddingView *self,
                                                           guint           *n_folders);
LkEmbeddingTransform  _lk_embedding_view_get_transform    (LkEmbeddingView *self,
                                                           int              width,
                                                           int              height);
double                _lk_embedding_view_thumb_size       (LkEmbeddingView *self,
                                                           int              width,
                                                           int              height);
void                  _lk_embedding_view_invalidate_layer (LkEmbeddingView *self);

/* lk-embedding-view-draw.c */
void                  _lk_embedding_view_draw             (LkCairoView     *view,
                                                           cairo_t         *cr,
                                                           int              width,
                                                           int              height);

/* lk-embedding-view-input.c */
void                  _lk_embedding_view_input_init       (LkEmbeddingView *self);

/* For tests and benchmarks. */
LkSnapshot *lk_embedding_view_get_snapshot   (LkEmbeddingView  *self);
gboolean    lk_embedding_view_item_position  (LkEmbeddingView  *self,
                                              guint             item,
                                              int               width,
                                              int               height,
                                              double           *x,
                                              double           *y);
void        lk_embedding_view_set_view       (LkEmbeddingView  *self,
                                              double            zoom,
                                              double            pan_x,
                                              double            pan_y);
int         lk_embedding_view_hover_at       (LkEmbeddingView  *self,
                                              double            x,
                                              double            y);
void        lk_embedding_view_invalidate     (LkEmbeddingView  *self);

G_END_DECLS
