/* lk-rng.c
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "lk-rng.h"

/**
 * lk_rng_new:
 * @seed: the seed
 *
 * Returns: (transfer full): a Mersenne Twister (gsl_rng_mt19937) seeded with @seed
 */
gsl_rng *
lk_rng_new (guint64 seed)
{
  gsl_rng *rng = gsl_rng_alloc (gsl_rng_mt19937);

  /* mt19937 takes 32 bits of seed; fold the high half in so that no two seeds collide early. */
  gsl_rng_set (rng, (unsigned long) ((seed ^ (seed >> 32)) & G_MAXUINT32));

  return rng;
}

/**
 * lk_rng_derive:
 * @seed: a seed
 * @stream: which independent stream
 *
 * Derives the seed of an independent stream (the crowd, the metrics) from a run's seed, so
 * that adding random draws to one part of a run does not shift another part's draws.
 *
 * Returns: the derived seed
 */
guint64
lk_rng_derive (guint64 seed,
               guint64 stream)
{
  guint64 z = seed + G_GUINT64_CONSTANT (0x9e3779b97f4a7c15) * (stream + 1);

  /* splitmix64's finaliser */
  z = (z ^ (z >> 30)) * G_GUINT64_CONSTANT (0xbf58476d1ce4e5b9);
  z = (z ^ (z >> 27)) * G_GUINT64_CONSTANT (0x94d049bb133111eb);

  return z ^ (z >> 31);
}
