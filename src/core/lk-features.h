/* lk-features.h — image descriptors from raw RGB buffers
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * LkImage:
 * @pixels: 8-bit samples, row by row, RGB first in each pixel
 * @width: width in pixels, at least 1
 * @height: height in pixels, at least 1
 * @rowstride: bytes from one row to the next
 * @n_channels: 3 (RGB) or 4 (RGBA; alpha is ignored)
 *
 * A borrowed view of a decoded image, as GdkPixbuf hands it out, so the core needs no GTK.
 */
typedef struct {
  const guint8 *pixels;
  guint         width;
  guint         height;
  guint         rowstride;
  guint         n_channels;
} LkImage;

#define LK_COLOR_HISTOGRAM_BINS 64
#define LK_COLOR_THUMBNAIL_VALUES 48
#define LK_COLOR_DESCRIPTOR_DIM (LK_COLOR_HISTOGRAM_BINS + LK_COLOR_THUMBNAIL_VALUES)

/**
 * LkHogParams:
 * @cells: cells per image side (the image is divided into @cells x @cells cells)
 * @bins: orientation bins over 0..180 degrees
 * @block: cells per block side (blocks overlap with a stride of one cell)
 * @clip: L2-Hys clipping threshold
 */
typedef struct {
  guint  cells;
  guint  bins;
  guint  block;
  double clip;
} LkHogParams;

gboolean lk_features_color         (const LkImage     *image,
                                    double            *out,
                                    GError           **error);

void     lk_hog_params_init        (LkHogParams       *params);
guint    lk_features_hog_dim       (const LkHogParams *params);
gboolean lk_features_hog           (const LkImage     *image,
                                    const LkHogParams *params,
                                    double            *out,
                                    GError           **error);
gboolean lk_features_hog_cells     (const LkImage     *image,
                                    const LkHogParams *params,
                                    double            *cells,
                                    GError           **error);

G_END_DECLS
