/* lk-pair-key-private.h — the key of an unordered pair of items, and its hash, for the
 * open-addressing tables of lk-evidence.c and lk-sammon.c
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The pair {a, b} as one 64-bit key, the smaller id in the high half. */
static inline guint64
lk_pair_key (guint a,
             guint b)
{
  return a < b ? ((guint64) a << 32) | b : ((guint64) b << 32) | a;
}

/* Returns a well-mixed hash of a key (the 64-bit finaliser of MurmurHash3). */
static inline guint64
lk_pair_key_mix (guint64 k)
{
  k ^= k >> 33;
  k *= G_GUINT64_CONSTANT (0xff51afd7ed558ccd);
  k ^= k >> 33;
  k *= G_GUINT64_CONSTANT (0xc4ceb9fe1a85ec53);
  k ^= k >> 33;
  return k;
}

G_END_DECLS
