/* bench-scale.c — how the learning scales with the collection: for each N and method, a whole
 * simulated study on `colors:N` with a budget of 1.2 grids per image and 5 phases (what
 * `likeness-cli simulate --dataset colors:N --budget 1.2N --phases 5` runs), reporting the phase
 * times (median and last: selection, simulated answers, the method's update and the phase's
 * metrics, in CPU time),
 * the whole run (phases plus the per-phase metrics, in CPU and wall time), the peak resident
 * memory and the final 10-NN recall.
 * Not a test: run on demand, on a release build.
 *
 *   build/bench/bench-scale [--methods paper,triplet] [--seed S] [N ...]
 *                                              (default N: 1000 4000 10000; try 100000 too)
 *
 * The method "paper-exact" is the paper's method with the full stress at any N, the reference
 * for its sampled stress above 3000 items (slow: 70 s at N = 10,000).
 *
 * Each run's phase times, one by one, and its user and system time go to stderr.
 *
 * Each (N, method) runs in its own child process so that its peak RSS (getrusage of the child,
 * ru_maxrss) is its own; everything runs on one thread.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lk-core.h"
#include "lk-method-private.h"
#include "bench-clock.h"

typedef struct {
  double phase_seconds[16];
  guint  n_phases;
  double recall;
  gint64 last_exit;    /* CPU time when the previous report was done */
} RunResult;

/* A phase's time is the CPU time from the end of the previous report to this report: selection,
 * the simulated answers and the method's update, and also the phase's metrics, which
 * lk_simulate_run() computes before it reports (a k-NN table, recall and locality: about 0.1 s
 * at N = 10,000). CPU time, not wall time, so that other work on a shared machine does not
 * count. */
static void
phase_cb (const LkPhaseReport *report,
          gpointer             user_data)
{
  RunResult *r = user_data;

  if (r->n_phases < G_N_ELEMENTS (r->phase_seconds))
    r->phase_seconds[r->n_phases++] = (bench_cpu_now () - r->last_exit) / 1e6;
  r->recall = report->recall10;
  r->last_exit = bench_cpu_now ();
}

/* Runs one study and writes its result to @fd; returns the exit status of the child. */
static int
run_child (guint       n,
           const char *method_name,
           guint64     seed,
           int         fd,
           double     *whole)
{
  g_autofree char *spec = g_strdup_printf ("colors:%u", n);
  g_autoptr(GError) error = NULL;
  g_autoptr(LkDataset) dataset = lk_dataset_new_from_spec (spec, seed, &error);
  const LkMethodType *method = g_str_equal (method_name, "paper-exact")
                               ? &_lk_method_paper_exact_type : lk_method_lookup (method_name);
  RunResult r = { 0 };
  LkParams params;
  gint64 start;

  if (dataset == NULL || method == NULL)
    {
      g_printerr ("bench-scale: %s\n", error != NULL ? error->message : "unknown method");
      return 1;
    }

  lk_params_init (&params);
  params.seed = seed;
  params.budget = (guint) ((guint64) n * 12 / 10);
  params.phases = 5;

  start = g_get_monotonic_time ();
  r.last_exit = bench_cpu_now ();
  if (!lk_simulate_run (dataset, &params, method, NULL, phase_cb, &r, &error))
    {
      g_printerr ("bench-scale: %s\n", error->message);
      return 1;
    }
  *whole = (g_get_monotonic_time () - start) / 1e6;

  if (write (fd, &r, sizeof r) != sizeof r || write (fd, whole, sizeof *whole) != sizeof *whole)
    return 1;

  return 0;
}

static void
run_one (guint       n,
         const char *method,
         guint64     seed)
{
  RunResult r = { 0 };
  double whole = 0.0, cpu, sorted[16];
  struct rusage usage;
  int fds[2], status;
  pid_t pid;

  if (pipe (fds) != 0)
    g_error ("pipe failed");

  fflush (stdout);
  pid = fork ();
  if (pid == 0)
    {
      close (fds[0]);
      _exit (run_child (n, method, seed, fds[1], &whole));
    }
  close (fds[1]);

  if (read (fds[0], &r, sizeof r) != sizeof r || read (fds[0], &whole, sizeof whole) != sizeof whole)
    r.n_phases = 0;
  close (fds[0]);
  if (wait4 (pid, &status, 0, &usage) < 0 || !WIFEXITED (status) || WEXITSTATUS (status) != 0
      || r.n_phases == 0)
    {
      printf ("| %u | %s | failed | | | | | |\n", n, method);
      return;
    }

  g_printerr ("N = %u, %s: phases", n, method);
  for (guint p = 0; p < r.n_phases; p++)
    g_printerr (" %.2f", r.phase_seconds[p]);
  g_printerr (" s of CPU; whole run %.1f s user, %.1f s system\n",
              usage.ru_utime.tv_sec + usage.ru_utime.tv_usec / 1e6,
              usage.ru_stime.tv_sec + usage.ru_stime.tv_usec / 1e6);

  memcpy (sorted, r.phase_seconds, sizeof (double) * r.n_phases);
  qsort (sorted, r.n_phases, sizeof (double), bench_compare_double);
  cpu = usage.ru_utime.tv_sec + usage.ru_utime.tv_usec / 1e6
        + usage.ru_stime.tv_sec + usage.ru_stime.tv_usec / 1e6;
  printf ("| %u | %s | %.2f s | %.2f s | %.2f s | %.2f s | %.0f MB | %.3f |\n", n, method, cpu,
          whole, sorted[r.n_phases / 2], r.phase_seconds[r.n_phases - 1],
          usage.ru_maxrss / 1024.0, r.recall);
  fflush (stdout);
}

int
main (int    argc,
      char **argv)
{
  g_auto(GStrv) methods = g_strsplit ("paper,triplet", ",", -1);
  g_autoptr(GArray) sizes = g_array_new (FALSE, FALSE, sizeof (guint));
  LkParams defaults;
  guint64 seed;

  lk_params_init (&defaults);
  seed = defaults.seed;
  for (int i = 1; i < argc; i++)
    {
      if (g_str_equal (argv[i], "--methods") && i + 1 < argc)
        {
          g_strfreev (methods);
          methods = g_strsplit (argv[++i], ",", -1);
        }
      else if (g_str_equal (argv[i], "--seed") && i + 1 < argc)
        seed = g_ascii_strtoull (argv[++i], NULL, 10);
      else
        {
          guint n = atoi (argv[i]);

          if (n >= 100)
            g_array_append_val (sizes, n);
        }
    }
  if (sizes->len == 0)
    {
      guint default_sizes[] = { 1000, 4000, 10000 };

      g_array_append_vals (sizes, default_sizes, G_N_ELEMENTS (default_sizes));
    }

  printf ("colors:N, budget 1.2 N, 5 phases, seed %" G_GUINT64_FORMAT ", one thread\n\n", seed);
  printf ("| N | method | whole run (CPU) | whole run (wall) | phase (median) | last phase | peak RSS | 10-NN recall |\n");
  printf ("| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |\n");
  for (guint s = 0; s < sizes->len; s++)
    for (guint m = 0; methods[m] != NULL; m++)
      run_one (g_array_index (sizes, guint, s), methods[m], seed);

  return 0;
}
