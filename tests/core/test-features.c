/* test-features.c — colour and HOG descriptors, and the judging scores, worked by hand
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <math.h>
#include <string.h>

#include "lk-core.h"

#define EPS 1e-12

/* Writes an RGB(A) pixel into a buffer with a padded row stride. */
static void
put (guint8 *buf,
     guint   rowstride,
     guint   n_channels,
     guint   x,
     guint   y,
     guint8  r,
     guint8  g,
     guint8  b)
{
  guint8 *p = buf + y * rowstride + x * n_channels;

  p[0] = r;
  p[1] = g;
  p[2] = b;
  if (n_channels == 4)
    p[3] = 17;                  /* alpha must be ignored */
}

/* A 4 x 4 image in quadrants: red top-left, green top-right, blue bottom-left and
 * (128, 64, 200) bottom-right. By hand:
 *   histogram bins (16 r/64 + 4 g/64 + b/64): red -> 48, green -> 12, blue -> 3,
 *   (128, 64, 200) -> 16*2 + 4*1 + 3 = 39; each holds 4 of 16 pixels = 0.25;
 *   thumbnail: 4 x 4 cells of one pixel each, value = channel / 255 / sqrt(48). */
static void
test_color_hand_worked (gconstpointer data)
{
  guint n_channels = GPOINTER_TO_UINT (data);
  guint rowstride = 4 * n_channels + 5;
  g_autofree guint8 *buf = g_new0 (guint8, rowstride * 4);
  LkImage image = { buf, 4, 4, rowstride, n_channels };
  double out[LK_COLOR_DESCRIPTOR_DIM];
  double expected[LK_COLOR_DESCRIPTOR_DIM] = { 0 };
  const double s = 1.0 / (255.0 * sqrt (48.0));
  g_autoptr(GError) error = NULL;

  for (guint y = 0; y < 4; y++)
    for (guint x = 0; x < 4; x++)
      {
        guint8 r, g, b;
        double *cell = expected + 64 + 3 * (4 * y + x);

        if (y < 2 && x < 2)
          r = 255, g = 0, b = 0;
        else if (y < 2)
          r = 0, g = 255, b = 0;
        else if (x < 2)
          r = 0, g = 0, b = 255;
        else
          r = 128, g = 64, b = 200;
        put (buf, rowstride, n_channels, x, y, r, g, b);
        cell[0] = r * s;
        cell[1] = g * s;
        cell[2] = b * s;
      }
  expected[48] = expected[12] = expected[3] = expected[39] = 0.25;

  g_assert_true (lk_features_color (&image, out, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < LK_COLOR_DESCRIPTOR_DIM; i++)
    g_assert_cmpfloat_with_epsilon (out[i], expected[i], EPS);
}

/* A 2 x 1 image is narrower than the 4 x 4 thumbnail: cells repeat its two pixels, so the left
 * two columns of cells hold (10, 20, 30) and the right two (250, 240, 230) in every row. */
static void
test_color_tiny_image (void)
{
  const guint8 px[] = { 10, 20, 30, 250, 240, 230 };
  LkImage image = { px, 2, 1, 6, 3 };
  double out[LK_COLOR_DESCRIPTOR_DIM];
  const double s = 1.0 / (255.0 * sqrt (48.0));

  g_assert_true (lk_features_color (&image, out, NULL));
  g_assert_cmpfloat_with_epsilon (out[0], 0.5, EPS);                 /* (0,0,0) bin */
  g_assert_cmpfloat_with_epsilon (out[63], 0.5, EPS);                /* (3,3,3) bin */
  for (guint row = 0; row < 4; row++)
    {
      const double *cells = out + 64 + 12 * row;

      g_assert_cmpfloat_with_epsilon (cells[0], 10 * s, EPS);
      g_assert_cmpfloat_with_epsilon (cells[3 + 1], 20 * s, EPS);
      g_assert_cmpfloat_with_epsilon (cells[6 + 2], 230 * s, EPS);
      g_assert_cmpfloat_with_epsilon (cells[9], 250 * s, EPS);
    }
}

static void
test_bad_image (void)
{
  const guint8 px[3] = { 0 };
  LkImage empty = { px, 0, 1, 3, 3 };
  LkImage two_channels = { px, 1, 1, 2, 2 };
  double out[LK_COLOR_DESCRIPTOR_DIM];
  LkHogParams hp;
  g_autofree double *hog = NULL;
  g_autoptr(GError) error = NULL;

  lk_hog_params_init (&hp);
  hog = g_new (double, lk_features_hog_dim (&hp));

  g_assert_true (!lk_features_color (&empty, out, &error));
  g_assert_error (error, LK_CORE_ERROR, LK_CORE_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_true (!lk_features_hog (&two_channels, &hp, hog, &error));
  g_assert_error (error, LK_CORE_ERROR, LK_CORE_ERROR_INVALID_ARGUMENT);
}

/* A 4 x 4 image, left half black, right half white; 2 x 2 cells, 4 bins (centres at 22.5,
 * 67.5, 112.5 and 157.5 degrees), one 2 x 2 block. By hand: gy = 0 everywhere; gx = 0 at x = 0
 * and x = 3 (one-sided differences of equal neighbours) and 1 at x = 1 and x = 2 (centred:
 * 1 - 0). Angle 0 lies halfway between the centres of bins 3 and 0 (wrapping), so each such
 * pixel gives 0.5 to both. Every cell holds one edge column of 2 pixels: [1, 0, 0, 1]. The
 * block (16 values, eight 1s) normalises to 1/sqrt(8) = 0.354, is clipped to 0.2 and normalised
 * again: eight values of 1/sqrt(8). */
static void
test_hog_vertical_edge (void)
{
  guint8 buf[4 * 4 * 3];
  LkImage image = { buf, 4, 4, 12, 3 };
  LkHogParams hp = { .cells = 2, .bins = 4, .block = 2, .clip = 0.2 };
  double cells[2 * 2 * 4], out[16];

  for (guint y = 0; y < 4; y++)
    for (guint x = 0; x < 4; x++)
      put (buf, 12, 3, x, y, x < 2 ? 0 : 255, x < 2 ? 0 : 255, x < 2 ? 0 : 255);

  g_assert_cmpuint (lk_features_hog_dim (&hp), ==, 16);
  g_assert_true (lk_features_hog_cells (&image, &hp, cells, NULL));
  for (guint c = 0; c < 4; c++)
    {
      g_assert_cmpfloat_with_epsilon (cells[4 * c + 0], 1.0, EPS);
      g_assert_cmpfloat_with_epsilon (cells[4 * c + 1], 0.0, EPS);
      g_assert_cmpfloat_with_epsilon (cells[4 * c + 2], 0.0, EPS);
      g_assert_cmpfloat_with_epsilon (cells[4 * c + 3], 1.0, EPS);
    }

  g_assert_true (lk_features_hog (&image, &hp, out, NULL));
  for (guint i = 0; i < 16; i++)
    g_assert_cmpfloat_with_epsilon (out[i], (i % 4 == 0 || i % 4 == 3) ? 1.0 / sqrt (8.0) : 0.0, 1e-9);
}

/* A diagonal ramp I = 20 (x + y) / 255 on 4 x 4: every pixel has gx = gy = 40/255 (centred
 * differences inside, doubled one-sided ones at the border), magnitude 40 sqrt(2) / 255 at 45
 * degrees, halfway between the centres of bins 0 and 1. Each 2 x 2 cell: 4 pixels x magnitude
 * / 2 in each of bins 0 and 1. */
static void
test_hog_ramp (void)
{
  guint8 buf[4 * 4 * 3];
  LkImage image = { buf, 4, 4, 12, 3 };
  LkHogParams hp = { .cells = 2, .bins = 4, .block = 2, .clip = 0.2 };
  double cells[2 * 2 * 4];
  const double mag = 40.0 * sqrt (2.0) / 255.0;

  for (guint y = 0; y < 4; y++)
    for (guint x = 0; x < 4; x++)
      put (buf, 12, 3, x, y, 20 * (x + y), 20 * (x + y), 20 * (x + y));

  g_assert_true (lk_features_hog_cells (&image, &hp, cells, NULL));
  for (guint c = 0; c < 4; c++)
    {
      g_assert_cmpfloat_with_epsilon (cells[4 * c + 0], 2.0 * mag, 1e-9);
      g_assert_cmpfloat_with_epsilon (cells[4 * c + 1], 2.0 * mag, 1e-9);
      g_assert_cmpfloat_with_epsilon (cells[4 * c + 2], 0.0, 1e-9);
      g_assert_cmpfloat_with_epsilon (cells[4 * c + 3], 0.0, 1e-9);
    }
}

/* Five seeds, worked by hand (U unrelated, S similar, V very similar):
 *   A  learned V V S S (4 similar), baseline S S U U (2): win, +2
 *   B  learned S S U U (2, 0 very), baseline V U S U (2, 1 very): tie broken against, 0
 *   C  learned V S U U (2, 1), baseline S V U U (2, 1): full tie, not a success, 0
 *   D  learned U U U U (0), baseline S U U U (1): loss, -1
 *   E  learned V S U (2, 1), baseline S S U (2, 0): tie broken for, 0
 * Success = 2 of 5 = 40 %; Avg. Diff. = (2 + 0 + 0 - 1 + 0) / 5 = 0.2. */
static void
test_judging_hand_worked (void)
{
#define U LK_JUDGEMENT_UNRELATED
#define S LK_JUDGEMENT_SIMILAR
#define V LK_JUDGEMENT_VERY_SIMILAR
  const LkJudgement al[] = { V, V, S, S }, ab[] = { S, S, U, U };
  const LkJudgement bl[] = { S, S, U, U }, bb[] = { V, U, S, U };
  const LkJudgement cl[] = { V, S, U, U }, cb[] = { S, V, U, U };
  const LkJudgement dl[] = { U, U, U, U }, db[] = { S, U, U, U };
  const LkJudgement el[] = { V, S, U }, eb[] = { S, S, U };
  const LkSeedJudgements seeds[] = {
    { al, 4, ab, 4 }, { bl, 4, bb, 4 }, { cl, 4, cb, 4 }, { dl, 4, db, 4 }, { el, 3, eb, 3 },
  };
  double success = -1.0, diff = -1.0;

#undef U
#undef S
#undef V

  lk_judging_score (seeds, G_N_ELEMENTS (seeds), &success, &diff);
  g_assert_cmpfloat_with_epsilon (success, 40.0, EPS);
  g_assert_cmpfloat_with_epsilon (diff, 0.2, EPS);

  lk_judging_score (seeds, 0, &success, &diff);
  g_assert_cmpfloat_with_epsilon (success, 0.0, EPS);
  g_assert_cmpfloat_with_epsilon (diff, 0.0, EPS);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_data_func ("/lk/core/features/color-rgb", GUINT_TO_POINTER (3), test_color_hand_worked);
  g_test_add_data_func ("/lk/core/features/color-rgba", GUINT_TO_POINTER (4), test_color_hand_worked);
  g_test_add_func ("/lk/core/features/color-tiny-image", test_color_tiny_image);
  g_test_add_func ("/lk/core/features/bad-image", test_bad_image);
  g_test_add_func ("/lk/core/features/hog-vertical-edge", test_hog_vertical_edge);
  g_test_add_func ("/lk/core/features/hog-ramp", test_hog_ramp);
  g_test_add_func ("/lk/core/judging/hand-worked", test_judging_hand_worked);

  return g_test_run ();
}
