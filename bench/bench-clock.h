/* bench-clock.h — the main thread's CPU time and sorting of times, for the benchmarks
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <time.h>
#include <glib.h>

/* The calling thread's CPU time, in microseconds: a stall with little CPU time in it was the
 * scheduler's (the machine is shared), not the app's. */
static inline gint64
bench_cpu_now (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec * G_GINT64_CONSTANT (1000000) + ts.tv_nsec / 1000;
}

static inline int
bench_compare_gint64 (gconstpointer a,
                      gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

static inline int
bench_compare_double (const void *a,
                      const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}
