/* lk-image-features.h — the colour and HOG descriptors of a study's images, cached in the file
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <gio/gio.h>

#include "lk-store.h"

G_BEGIN_DECLS

/* Images are decoded at most this many pixels on their long side before their descriptors are
 * computed (the stored thumbnails have exactly this bound, so they are used when current). */
#define LK_IMAGE_FEATURES_SIZE 256

/**
 * LkFeatureKind:
 * @LK_FEATURE_COLOR: the paper's colour descriptor (lk_features_color(), 112 values)
 * @LK_FEATURE_HOG: HOG with lk_hog_params_init()'s defaults (lk_features_hog())
 */
typedef enum {
  LK_FEATURE_COLOR,
  LK_FEATURE_HOG,
} LkFeatureKind;

#define LK_FEATURE_N_KINDS (LK_FEATURE_HOG + 1)

/**
 * LkFeaturesProgressFunc:
 * @done: images computed so far
 * @total: images that needed computing
 * @user_data: the data given to lk_image_features_update()
 *
 * Called on the computing thread after each image (and once with @done = 0 at the start).
 */
typedef void (*LkFeaturesProgressFunc) (guint    done,
                                        guint    total,
                                        gpointer user_data);

const char *lk_feature_kind_to_string      (LkFeatureKind            kind);
gboolean    lk_feature_kind_from_string    (const char              *name,
                                            LkFeatureKind           *kind);
guint       lk_feature_kind_get_dim        (LkFeatureKind            kind);

GdkPixbuf  *lk_image_features_decode_file  (const char              *path,
                                            GError                 **error) G_GNUC_WARN_UNUSED_RESULT;
gboolean    lk_image_features_compute      (GdkPixbuf               *pixbuf,
                                            LkFeatureKind            kind,
                                            double                  *out,
                                            GError                 **error);

guint       lk_image_features_count_stale  (LkStore                 *store,
                                            GError                 **error);
gboolean    lk_image_features_update       (LkStore                 *store,
                                            GCancellable            *cancellable,
                                            LkFeaturesProgressFunc   progress,
                                            gpointer                 user_data,
                                            guint                   *n_computed,
                                            GError                 **error);
float      *lk_image_features_load         (LkStore                 *store,
                                            LkFeatureKind            kind,
                                            guint                   *n_items,
                                            guint                   *dim,
                                            guint8                 **present,
                                            GError                 **error) G_GNUC_WARN_UNUSED_RESULT;

/**
 * LkFeatureRowFunc:
 * @item: an image with a current descriptor
 * @values: its lk_feature_kind_get_dim() values, valid during the call
 * @n_items: the collection's item count (the largest item id + 1)
 * @user_data: data given to lk_image_features_scan()
 */
typedef void (*LkFeatureRowFunc) (guint        item,
                                  const float *values,
                                  guint        n_items,
                                  gpointer     user_data);

gboolean    lk_image_features_scan         (LkStore                 *store,
                                            LkFeatureKind            kind,
                                            LkFeatureRowFunc         func,
                                            gpointer                 user_data,
                                            guint                   *n_items,
                                            GError                 **error);
gboolean    lk_image_features_get          (LkStore                 *store,
                                            LkFeatureKind            kind,
                                            guint                    item,
                                            float                   *values,
                                            GError                 **error);

G_END_DECLS
