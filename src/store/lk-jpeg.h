/* lk-jpeg.h — one JPEG decoded once, with libjpeg, to its thumbnail (private to the store)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gdk-pixbuf/gdk-pixbuf.h>

G_BEGIN_DECLS

/* What libjpeg may allocate for one image (its max_memory_to_use, the value GdkPixbuf's JPEG
 * loader sets; above it libjpeg fails with "Backing store not supported"), and the room left
 * under it for libjpeg's other, small allocations when a progressive JPEG's coefficients are
 * checked against it before decoding (lk-jpeg.c, the top). */
#define LK_JPEG_MEMORY ((gint64) 1 << 30)
#define LK_JPEG_MARGIN ((gint64) 4 << 20)

/* Reads up to @size bytes into @buffer: returns how many, 0 at the end, -1 on an error (which
 * the reader keeps: libjpeg only learns that the data stopped). */
typedef gssize (*LkJpegReadFunc) (guint8   *buffer,
                                  gsize     size,
                                  gpointer  user_data);

typedef enum {
  LK_JPEG_DECODED,
  LK_JPEG_TOO_MANY_PIXELS,   /* width x height over the limit asked for; nothing allocated */
  LK_JPEG_TOO_MUCH_MEMORY,   /* progressive, its coefficients over LK_JPEG_MEMORY - margin */
  LK_JPEG_CUT,               /* libjpeg warned that the data ends early */
  LK_JPEG_FAILED,            /* libjpeg refused it: LkJpegInfo.message says why */
  LK_JPEG_READ_FAILED,       /* the read function returned -1 */
} LkJpegStatus;

typedef struct {
  int      width;            /* the image's, from its frame header (0 before it is read) */
  int      height;
  gboolean progressive;
  gint64   coefficients;     /* bytes of DCT coefficients a progressive decode holds, or 0 */
  guint    scale_denom;      /* the DCT scale used: 1/1, 1/2, 1/4 or 1/8 */
  int      orientation;      /* EXIF orientation 1..8, 0 when there is none */
  char    *message;          /* libjpeg's error when FAILED (owned; g_free) */
} LkJpegInfo;

LkJpegStatus  lk_jpeg_decode_thumbnail  (LkJpegReadFunc   read,
                                         gpointer         user_data,
                                         int              size,
                                         gint64           max_pixels,
                                         LkJpegInfo      *info,
                                         GdkPixbuf      **thumbnail);

G_END_DECLS
