/* bench-clock.h — the main thread's CPU time and sorting of times, for the benchmarks
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <math.h>
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

/* The @q quantile (0 to 1; 1 is the worst) of @us, an array of gint64 microseconds, in
 * milliseconds; sorts @us in place. NAN when it is empty. */
static inline double
bench_percentile_ms (GArray *us,
                     double  q)
{
  if (us->len == 0)
    return NAN;
  g_array_sort (us, bench_compare_gint64);

  return g_array_index (us, gint64, (guint) ((us->len - 1) * q)) / 1000.0;
}
