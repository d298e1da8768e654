/* lk-features.c — the paper's colour descriptor and a HOG descriptor
 *
 * Colour (`000_b28b33f9dbf275aa.txt`, section 4.2): "a color histogram with 64 bins, four bins
 * for each of the RGB channels. Second, an image thumbnail of four by four pixels, or a total of
 * 16 RGB values, i.e. a vector of length 48. The two descriptors were concatenated". Our
 * reading and normalisation:
 *   - the 64 bins are the joint 4 x 4 x 4 histogram (bin = 16 r' + 4 g' + b', with c' = c / 64
 *     for 8-bit c), holding the fraction of pixels in each bin (they sum to 1);
 *   - the thumbnail is the mean of each channel over each cell of a 4 x 4 grid (cell of pixel x
 *     = floor(4 x / width); an image narrower than 4 pixels repeats its pixels), in [0, 1],
 *     row by row, R G B per cell, then divided by sqrt(48);
 *   so that each block has a Euclidean norm of at most 1 and neither dominates distances by its
 *   length alone (the paper does not say how it weighed them).
 *
 * HOG (Dalal and Triggs 2005; the paper's chair baseline): luma Y = 0.299 R + 0.587 G + 0.114 B
 * in [0, 1]; gradients by centred differences [-1, 0, 1] (at the border the one-sided difference,
 * doubled so that its scale matches); unsigned
 * orientation in [0, 180) degrees; each pixel votes its gradient magnitude into the two nearest
 * orientation bins (bin centres at (b + 0.5) 180 / bins, linear interpolation, wrapping around)
 * of its cell (cells x cells grid over the whole image, cell of pixel x = floor(cells x / width),
 * so the descriptor length does not depend on the image size); blocks of block x block cells
 * with a stride of one cell, each normalised L2-Hys (L2 norm, values clipped at @clip, L2 norm
 * again, with 1e-12 added under each root). Defaults: 8 x 8 cells, 9 bins, 2 x 2 blocks, clip
 * 0.2 (Dalal and Triggs' values); the store decodes images at a bounded size before this.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "lk-features.h"

#include <math.h>
#include <string.h>

#include "lk-error.h"

static gboolean
check_image (const LkImage *image,
             GError       **error)
{
  if (image->pixels == NULL || image->width == 0 || image->height == 0 ||
      (image->n_channels != 3 && image->n_channels != 4) ||
      image->rowstride < image->width * image->n_channels)
    {
      g_set_error (error, LK_CORE_ERROR, LK_CORE_ERROR_INVALID_ARGUMENT,
                   "not an RGB or RGBA image of at least 1 x 1 pixels");
      return FALSE;
    }

  return TRUE;
}

/* Returns the first pixel index of cell @c of @n cells over @size pixels. */
static inline guint
cell_start (guint c,
            guint n,
            guint size)
{
  return (guint) ((guint64) c * size / n);
}

/* Returns one past the last pixel index of cell @c: at least one pixel even when @size < @n. */
static inline guint
cell_end (guint c,
          guint n,
          guint size)
{
  guint start = cell_start (c, n, size);
  guint end = (guint) ((guint64) (c + 1) * size / n);

  return MAX (end, start + 1);
}

/**
 * lk_features_color:
 * @image: an image
 * @out: (out caller-allocates) (array fixed-size=112): the descriptor
 * @error: return location for a #GError
 *
 * Computes the paper's colour descriptor: the 64-bin joint RGB histogram followed by the 4 x 4
 * thumbnail (48 values), normalised as the file comment says.
 *
 * Returns: %TRUE on success
 */
gboolean
lk_features_color (const LkImage *image,
                   double        *out,
                   GError       **error)
{
  const double scale = 1.0 / (255.0 * sqrt (LK_COLOR_THUMBNAIL_VALUES));
  double n_pixels;

  g_return_val_if_fail (image != NULL && out != NULL, FALSE);

  if (!check_image (image, error))
    return FALSE;

  memset (out, 0, sizeof (double) * LK_COLOR_DESCRIPTOR_DIM);
  n_pixels = (double) image->width * image->height;

  for (guint y = 0; y < image->height; y++)
    {
      const guint8 *row = image->pixels + (gsize) y * image->rowstride;

      for (guint x = 0; x < image->width; x++)
        {
          const guint8 *p = row + (gsize) x * image->n_channels;

          out[16 * (p[0] >> 6) + 4 * (p[1] >> 6) + (p[2] >> 6)] += 1.0 / n_pixels;
        }
    }

  for (guint cy = 0; cy < 4; cy++)
    for (guint cx = 0; cx < 4; cx++)
      {
        guint y0 = cell_start (cy, 4, image->height), y1 = cell_end (cy, 4, image->height);
        guint x0 = cell_start (cx, 4, image->width), x1 = cell_end (cx, 4, image->width);
        double sum[3] = { 0.0, 0.0, 0.0 };
        double *cell = out + LK_COLOR_HISTOGRAM_BINS + 3 * (4 * cy + cx);

        for (guint y = y0; y < y1; y++)
          for (guint x = x0; x < x1; x++)
            {
              const guint8 *p = image->pixels + (gsize) y * image->rowstride
                                + (gsize) x * image->n_channels;
              sum[0] += p[0];
              sum[1] += p[1];
              sum[2] += p[2];
            }

        for (guint c = 0; c < 3; c++)
          cell[c] = sum[c] / ((double) (y1 - y0) * (x1 - x0)) * scale;
      }

  return TRUE;
}

/**
 * lk_hog_params_init:
 * @params: (out caller-allocates): parameters to fill with Dalal and Triggs' defaults
 */
void
lk_hog_params_init (LkHogParams *params)
{
  g_return_if_fail (params != NULL);

  *params = (LkHogParams) { .cells = 8, .bins = 9, .block = 2, .clip = 0.2 };
}

/**
 * lk_features_hog_dim:
 * @params: HOG parameters
 *
 * Returns: the length of the HOG descriptor: blocks x block cells x bins
 */
guint
lk_features_hog_dim (const LkHogParams *params)
{
  guint blocks;

  g_return_val_if_fail (params != NULL && params->block >= 1 && params->block <= params->cells, 0);

  blocks = params->cells - params->block + 1;

  return blocks * blocks * params->block * params->block * params->bins;
}

static inline double
luma (const LkImage *image,
      guint          x,
      guint          y)
{
  const guint8 *p = image->pixels + (gsize) y * image->rowstride + (gsize) x * image->n_channels;

  return (0.299 * p[0] + 0.587 * p[1] + 0.114 * p[2]) / 255.0;
}

/**
 * lk_features_hog_cells:
 * @image: an image
 * @params: HOG parameters
 * @cells: (out caller-allocates) (array): cells x cells x bins orientation histograms, before
 *   block normalisation, row by row
 * @error: return location for a #GError
 *
 * Returns: %TRUE on success
 */
gboolean
lk_features_hog_cells (const LkImage     *image,
                       const LkHogParams *params,
                       double            *cells,
                       GError           **error)
{
  const double bin_width = G_PI / params->bins;

  g_return_val_if_fail (image != NULL && params != NULL && cells != NULL, FALSE);
  g_return_val_if_fail (params->cells >= 1 && params->bins >= 1, FALSE);

  if (!check_image (image, error))
    return FALSE;

  memset (cells, 0, sizeof (double) * params->cells * params->cells * params->bins);

  for (guint y = 0; y < image->height; y++)
    {
      guint cy = (guint) ((guint64) y * params->cells / image->height);

      for (guint x = 0; x < image->width; x++)
        {
          guint cx = (guint) ((guint64) x * params->cells / image->width);
          guint xl = x > 0 ? x - 1 : x, xr = x + 1 < image->width ? x + 1 : x;
          guint yu = y > 0 ? y - 1 : y, yd = y + 1 < image->height ? y + 1 : y;
          double gx = xr > xl ? (luma (image, xr, y) - luma (image, xl, y)) / (xr - xl) * 2.0 : 0.0;
          double gy = yd > yu ? (luma (image, x, yd) - luma (image, x, yu)) / (yd - yu) * 2.0 : 0.0;
          double mag = sqrt (gx * gx + gy * gy), angle, pos, frac;
          double *hist = cells + ((gsize) cy * params->cells + cx) * params->bins;
          gint b0;

          if (mag == 0.0)
            continue;

          angle = atan2 (gy, gx);
          if (angle < 0.0)
            angle += G_PI;
          if (angle >= G_PI)
            angle -= G_PI;

          /* Bin b is centred at (b + 0.5) * bin_width; split the vote between the two nearest. */
          pos = angle / bin_width - 0.5;
          b0 = (gint) floor (pos);
          frac = pos - b0;
          hist[(b0 + params->bins) % params->bins] += mag * (1.0 - frac);
          hist[(b0 + 1) % params->bins] += mag * frac;
        }
    }

  return TRUE;
}

/**
 * lk_features_hog:
 * @image: an image
 * @params: HOG parameters
 * @out: (out caller-allocates) (array): lk_features_hog_dim() values
 * @error: return location for a #GError
 *
 * Returns: %TRUE on success
 */
gboolean
lk_features_hog (const LkImage     *image,
                 const LkHogParams *params,
                 double            *out,
                 GError           **error)
{
  g_autofree double *cells = NULL;
  guint blocks, per_block;
  double *o = out;

  g_return_val_if_fail (image != NULL && params != NULL && out != NULL, FALSE);
  g_return_val_if_fail (params->block >= 1 && params->block <= params->cells, FALSE);

  cells = g_new (double, params->cells * params->cells * params->bins);
  if (!lk_features_hog_cells (image, params, cells, error))
    return FALSE;

  blocks = params->cells - params->block + 1;
  per_block = params->block * params->block * params->bins;

  for (guint by = 0; by < blocks; by++)
    for (guint bx = 0; bx < blocks; bx++)
      {
        double ss = 0.0;

        for (guint cy = 0; cy < params->block; cy++)
          for (guint cx = 0; cx < params->block; cx++)
            {
              const double *hist = cells + ((gsize) (by + cy) * params->cells + bx + cx) * params->bins;

              memcpy (o + (cy * params->block + cx) * params->bins, hist, sizeof (double) * params->bins);
            }

        /* L2-Hys: normalise, clip, normalise again. */
        for (guint i = 0; i < per_block; i++)
          ss += o[i] * o[i];
        for (guint i = 0; i < per_block; i++)
          o[i] = MIN (o[i] / sqrt (ss + 1e-12), params->clip);
        ss = 0.0;
        for (guint i = 0; i < per_block; i++)
          ss += o[i] * o[i];
        for (guint i = 0; i < per_block; i++)
          o[i] /= sqrt (ss + 1e-12);

        o += per_block;
      }

  return TRUE;
}
