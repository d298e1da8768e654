/* lk-neighbours.h — k-NN of a study's images under the learned embedding and each descriptor
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "lk-image-features.h"
#include "lk-store.h"

G_BEGIN_DECLS

/**
 * LkSpaceKind:
 * @LK_SPACE_LEARNED: the last completed phase's embedding
 * @LK_SPACE_COLOR: the colour descriptor
 * @LK_SPACE_HOG: the HOG descriptor
 */
typedef enum {
  LK_SPACE_LEARNED,
  LK_SPACE_COLOR,
  LK_SPACE_HOG,
} LkSpaceKind;

#define LK_SPACE_N_KINDS (LK_SPACE_HOG + 1)

/* Items placed in fewer answers than this are "known too little" to the learned metric. */
#define LK_NEIGHBOURS_FEW_ANSWERS 3

typedef struct _LkSpace LkSpace;

/**
 * LkNeighboursFormat:
 * @LK_NEIGHBOURS_CSV: one row per image, space and rank
 * @LK_NEIGHBOURS_JSON: one object per space, an array of images with their neighbours
 */
typedef enum {
  LK_NEIGHBOURS_CSV,
  LK_NEIGHBOURS_JSON,
} LkNeighboursFormat;

typedef void (*LkNeighboursProgress) (guint    done,
                                      guint    total,
                                      gpointer data);

const char *lk_space_kind_to_string       (LkSpaceKind     kind);
gboolean    lk_space_kind_from_string     (const char     *name,
                                           LkSpaceKind    *kind);

LkSpace    *lk_space_load                 (LkStore        *store,
                                           LkSpaceKind     kind,
                                           GError        **error) G_GNUC_WARN_UNUSED_RESULT;
LkSpace    *lk_space_load_compact         (LkStore        *store,
                                           LkSpaceKind     kind,
                                           GError        **error) G_GNUC_WARN_UNUSED_RESULT;
LkSpace    *lk_space_ref                  (LkSpace        *self);
void        lk_space_unref                (LkSpace        *self);
LkSpaceKind lk_space_get_kind             (const LkSpace  *self);
guint       lk_space_get_n_items          (const LkSpace  *self);
guint       lk_space_get_dim              (const LkSpace  *self);
guint       lk_space_get_n_present        (const LkSpace  *self);
gboolean    lk_space_has_item             (const LkSpace  *self,
                                           guint           item);
guint       lk_space_query                (const LkSpace  *self,
                                           guint           item,
                                           guint           k,
                                           guint          *ids,
                                           double         *distances);

double      lk_space_distance             (guint           a,
                                           guint           b,
                                           gpointer        space);

guint      *lk_neighbours_load_support    (LkStore        *store,
                                           guint          *n_items,
                                           GError        **error) G_GNUC_WARN_UNUSED_RESULT;
gboolean    lk_neighbours_export          (LkStore               *store,
                                           guint                  k,
                                           LkNeighboursFormat     format,
                                           const char            *path,
                                           LkNeighboursProgress   progress,
                                           gpointer               data,
                                           GCancellable          *cancellable,
                                           GError               **error);
gboolean    lk_neighbours_export_csv      (LkStore        *store,
                                           guint           k,
                                           const char     *path,
                                           GError        **error);
gboolean    lk_neighbours_export_json     (LkStore        *store,
                                           guint           k,
                                           const char     *path,
                                           GError        **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LkSpace, lk_space_unref)

G_END_DECLS
