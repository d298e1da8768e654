/* lk-neighbour-spaces.h — a study's neighbour spaces (learned, colour, HOG), loaded off the
 * main thread, and k-NN queries on them
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "lk-neighbours.h"

G_BEGIN_DECLS

/**
 * LkNeighbourSpacesFlags:
 * @LK_NEIGHBOUR_SPACES_LEARNED: the learned embedding
 * @LK_NEIGHBOUR_SPACES_COLOR: the colour descriptor
 * @LK_NEIGHBOUR_SPACES_HOG: the HOG descriptor
 * @LK_NEIGHBOUR_SPACES_ALL: the three spaces
 * @LK_NEIGHBOUR_SPACES_SCALES: also each loaded space's typical distance to a k-th neighbour
 * @LK_NEIGHBOUR_SPACES_SUPPORT: also how many answers placed each image
 *
 * What a load reads; what it does not name keeps its earlier value.
 */
typedef enum {
  LK_NEIGHBOUR_SPACES_LEARNED = 1 << LK_SPACE_LEARNED,
  LK_NEIGHBOUR_SPACES_COLOR   = 1 << LK_SPACE_COLOR,
  LK_NEIGHBOUR_SPACES_HOG     = 1 << LK_SPACE_HOG,
  LK_NEIGHBOUR_SPACES_ALL     = (1 << LK_SPACE_N_KINDS) - 1,
  LK_NEIGHBOUR_SPACES_SCALES  = 1 << 8,
  LK_NEIGHBOUR_SPACES_SUPPORT = 1 << 9,
} LkNeighbourSpacesFlags;

/**
 * LkNeighbourLists:
 * @item: the image whose neighbours these are
 * @k: how many were asked for
 * @loaded: whether each space was loaded when asked (else see lk_neighbour_spaces_get_error())
 * @n: how many each space found (0: the image has no vector there)
 * @ids: each space's neighbours, nearest first (@k per space)
 * @distances: their distances
 */
typedef struct {
  guint     item;
  guint     k;
  gboolean  loaded[LK_SPACE_N_KINDS];
  guint     n[LK_SPACE_N_KINDS];
  guint    *ids[LK_SPACE_N_KINDS];
  double   *distances[LK_SPACE_N_KINDS];
} LkNeighbourLists;

void lk_neighbour_lists_free (LkNeighbourLists *lists);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LkNeighbourLists, lk_neighbour_lists_free)

#define LK_TYPE_NEIGHBOUR_SPACES (lk_neighbour_spaces_get_type ())

G_DECLARE_FINAL_TYPE (LkNeighbourSpaces, lk_neighbour_spaces, LK, NEIGHBOUR_SPACES, GObject)

LkNeighbourSpaces *lk_neighbour_spaces_new         (const char             *study_path) G_GNUC_WARN_UNUSED_RESULT;
void               lk_neighbour_spaces_load_async  (LkNeighbourSpaces      *self,
                                                    LkNeighbourSpacesFlags  flags,
                                                    GCancellable           *cancellable,
                                                    GAsyncReadyCallback     callback,
                                                    gpointer                user_data);
gboolean           lk_neighbour_spaces_load_finish (LkNeighbourSpaces      *self,
                                                    GAsyncResult           *result,
                                                    GError                **error);
gboolean           lk_neighbour_spaces_is_loaded   (LkNeighbourSpaces      *self);
LkSpace           *lk_neighbour_spaces_get_space   (LkNeighbourSpaces      *self,
                                                    LkSpaceKind             kind);
const GError      *lk_neighbour_spaces_get_error   (LkNeighbourSpaces      *self,
                                                    LkSpaceKind             kind);
double             lk_neighbour_spaces_get_scale   (LkNeighbourSpaces      *self,
                                                    LkSpaceKind             kind);
const guint       *lk_neighbour_spaces_get_support (LkNeighbourSpaces      *self,
                                                    guint                  *n_items);
void               lk_neighbour_spaces_query_async (LkNeighbourSpaces      *self,
                                                    guint                   item,
                                                    guint                   k,
                                                    GCancellable           *cancellable,
                                                    GAsyncReadyCallback     callback,
                                                    gpointer                user_data);
LkNeighbourLists  *lk_neighbour_spaces_query_finish (LkNeighbourSpaces     *self,
                                                     GAsyncResult          *result,
                                                     GError               **error) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
