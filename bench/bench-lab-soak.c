/* bench-lab-soak.c — the lab study under stress: N station processes claim and submit grids as
 * fast as they can while the bench SIGKILLs one of them at random moments (and starts a new
 * one in its place). Prints answers per second, submit latency (median, p99), and what must be
 * 0: acknowledged answers missing from the database, and answers stored twice. Not a test: run
 * on demand, inside a throwaway server:
 *
 *   tests/lab/pg-cluster.sh _build/bench/bench-lab-soak STUDY.likeness [--stations 8]
 *       [--seconds 120] [--seed 1]
 *
 * STUDY is any study file (its images and parameters; 50,000 grids are added in the database
 * so the stations never run dry). A station acknowledges an answer (a line in a file shared by
 * the stations, written with O_APPEND) only after lk_lab_submit() returned, as the app shows
 * the next grid only then; a kill between the submit and that line leaves an answer stored but
 * not acknowledged, which is counted apart and is not a loss.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <glib/gstdio.h>

#include "lk-lab-private.h"

#define DB "soak"

static int
compare_double (const void *a,
                const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

/* One station, until @deadline_us (real time): never returns. */
static void G_GNUC_NORETURN
station_main (const char *ack_path,
              guint       index,
              guint64     seed,
              gint64      deadline_us)
{
  g_autofree char *name = g_strdup_printf ("soak-%u-%d", index, (int) getpid ());
  g_autofree char *code = g_strdup_printf ("P-%u-%d", index, (int) getpid ());
  g_autoptr(GError) error = NULL;
  g_autoptr(LkLab) lab = lk_lab_connect ("dbname=" DB, name, &error);
  g_autofree char *nc_text = NULL;
  GRand *rand = g_rand_new_with_seed ((guint32) (seed * 7919 + index + (guint64) getpid ()));
  int fd = open (ack_path, O_WRONLY | O_APPEND | O_CLOEXEC);
  gint64 session;
  guint nc;

  /* A forked child inherits GLib's random state, from which g_uuid_string_random() draws the
   * answers' client ids: without a seed of its own, every station would make the same ids, and
   * the submit would take the second station's answers for retries of the first's. */
  g_random_set_seed ((guint32) getpid () * 2654435761u ^ (guint32) g_get_real_time ());
  if (lab == NULL || fd < 0 || (nc_text = lk_lab_get_param (lab, "nc", &error)) == NULL ||
      (session = lk_lab_begin_session (lab, code, FALSE, &error)) == 0)
    {
      fprintf (stderr, "station %u: %s\n", index, error ? error->message : "no ack file");
      _exit (1);
    }
  nc = (guint) atoi (nc_text);

  while (g_get_real_time () < deadline_us)
    {
      g_auto(LkLabClaim) claim = { 0 };
      g_autoptr(LkQuery) q = NULL;
      g_autofree char *uuid = g_uuid_string_random ();
      g_autofree gint *bins = NULL;
      gint64 t0, id = 0;
      char line[128];
      int len;

      if (!lk_lab_claim (lab, session, 5, &claim, &error))
        {
          fprintf (stderr, "station %u: %s\n", index, error->message);
          g_clear_error (&error);
          if (!lk_lab_reconnect (lab, &error))
            _exit (1);
          continue;
        }
      if (claim.query == 0)
        break;
      q = lk_query_new ((const guint *) claim.items->data, claim.items->len);
      bins = g_new (gint, claim.items->len);
      for (guint i = 0; i < claim.items->len; i++)
        bins[i] = g_rand_int_range (rand, -1, (gint32) nc);
      if (!lk_query_set_answer (q, bins, nc, &error))
        {
          fprintf (stderr, "station %u: %s\n", index, error->message);
          _exit (1);
        }
      t0 = g_get_monotonic_time ();
      for (guint attempt = 0; id == 0 && attempt < 5; attempt++)
        {
          id = lk_lab_submit (lab, &claim, uuid, q, session, g_get_real_time (),
                              g_get_real_time (), NULL, 0, NULL, &error);
          if (id == 0 && attempt < 4)
            {
              fprintf (stderr, "station %u: %s; retrying\n", index, error->message);
              g_clear_error (&error);
              lk_lab_reconnect (lab, NULL);
            }
        }
      if (id == 0)
        {
          fprintf (stderr, "station %u: %s\n", index, error->message);
          _exit (1);
        }
      len = g_snprintf (line, sizeof line, "%s %" G_GINT64_FORMAT " %" G_GINT64_FORMAT "\n", uuid,
                        id, g_get_monotonic_time () - t0);
      if (write (fd, line, (size_t) len) != len)
        {
          fprintf (stderr, "station %u: the acknowledgement could not be written\n", index);
          _exit (1);
        }
    }
  _exit (0);
}

static pid_t
start_station (const char *ack_path,
               guint       index,
               guint64     seed,
               gint64      deadline_us)
{
  pid_t pid = fork ();

  if (pid == 0)
    station_main (ack_path, index, seed, deadline_us);
  g_assert (pid > 0);
  return pid;
}

int
main (int    argc,
      char **argv)
{
  guint stations = 8, seconds = 120, kills = 0;
  guint64 seed = 1;
  g_autoptr(GError) error = NULL;
  g_autoptr(LkLab) lab = NULL;
  g_autofree char *dir = NULL, *ack_path = NULL, *contents = NULL;
  g_autoptr(GHashTable) acked = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GArray) latency = g_array_new (FALSE, FALSE, sizeof (double));
  g_auto(GStrv) lines = NULL;
  g_autofree pid_t *pids = NULL;
  g_autoptr(PGresult) stored = NULL;
  GRand *rand;
  gint64 start, deadline;
  guint lost = 0, unacked = 0, n_acks;
  PGresult *res;
  int fd;

  if (argc < 2)
    {
      fprintf (stderr, "Usage: pg-cluster.sh %s STUDY.likeness [--stations N] [--seconds S] "
               "[--seed N]\n", argv[0]);
      return 2;
    }
  for (int i = 2; i + 1 < argc; i += 2)
    if (g_str_equal (argv[i], "--stations"))
      stations = (guint) atoi (argv[i + 1]);
    else if (g_str_equal (argv[i], "--seconds"))
      seconds = (guint) atoi (argv[i + 1]);
    else if (g_str_equal (argv[i], "--seed"))
      seed = g_ascii_strtoull (argv[i + 1], NULL, 10);
  rand = g_rand_new_with_seed ((guint32) seed);

  /* The study, with grids enough for the whole run. */
  {
    PGconn *admin = PQconnectdb ("dbname=postgres");

    PQclear (PQexec (admin, "CREATE DATABASE " DB));
    PQfinish (admin);
  }
  lab = lk_lab_connect ("dbname=" DB, "soak-setup", &error);
  if (lab == NULL || !lk_lab_push (lab, argv[1], &error) ||
      !lk_lab_run (lab, "Adding grids", &error, "SET statement_timeout = 0", 0) ||
      !lk_lab_run (lab, "Adding grids", &error,
                   "INSERT INTO query (phase, policy, embedding_version, created) "
                   "SELECT 0, 'soak', 0, 'now' FROM generate_series(1, 50000)", 0) ||
      !lk_lab_run (lab, "Adding grids", &error,
                   "INSERT INTO query_item (query, position, item) "
                   "SELECT q.id, p, (q.id * 7 + p) % (SELECT count(*) FROM image) "
                   "FROM query q, generate_series(0, (SELECT value::int - 1 FROM param "
                   "WHERE name = 'nq')) p WHERE q.policy = 'soak'", 0) ||
      !lk_lab_run (lab, "Analysing", &error, "ANALYZE", 0))
    {
      fprintf (stderr, "bench-lab-soak: %s\n", error->message);
      return 1;
    }
  g_clear_pointer (&lab, lk_lab_close);

  dir = g_dir_make_tmp ("lk-bench-soak-XXXXXX", &error);
  ack_path = g_build_filename (dir, "acks", NULL);
  fd = g_open (ack_path, O_CREAT | O_WRONLY | O_CLOEXEC, 0600);
  close (fd);

  start = g_get_real_time ();
  deadline = start + (gint64) seconds * G_USEC_PER_SEC;
  pids = g_new (pid_t, stations);
  for (guint i = 0; i < stations; i++)
    pids[i] = start_station (ack_path, i, seed, deadline);

  /* A station killed every 0.5 to 3 s, at a random moment of whatever it was doing. */
  while (g_get_real_time () < deadline - 3 * G_USEC_PER_SEC)
    {
      guint victim = (guint) g_rand_int_range (rand, 0, (gint32) stations);

      g_usleep ((gulong) g_rand_int_range (rand, 500000, 3000000));
      kill (pids[victim], SIGKILL);
      waitpid (pids[victim], NULL, 0);
      kills++;
      pids[victim] = start_station (ack_path, victim, seed + kills, deadline);
    }
  for (guint i = 0; i < stations; i++)
    waitpid (pids[i], NULL, 0);

  /* What the stations acknowledged against what the database holds. */
  g_file_get_contents (ack_path, &contents, NULL, NULL);
  lines = g_strsplit (contents != NULL ? contents : "", "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) f = g_strsplit (lines[i], " ", 3);

      if (g_strv_length (f) != 3)
        continue;
      g_hash_table_add (acked, g_strdup (f[0]));
      g_array_append_vals (latency, &(double) { g_ascii_strtod (f[2], NULL) / 1000.0 }, 1);
    }
  n_acks = latency->len;
  lab = lk_lab_connect ("dbname=" DB, "soak-check", &error);
  g_assert_no_error (error);
  stored = PQexec (lk_lab_get_conn (lab), "SELECT client_uuid::text FROM answer "
                                          "WHERE client_uuid IS NOT NULL");
  {
    g_autoptr(GHashTable) in_db = g_hash_table_new (g_str_hash, g_str_equal);
    GHashTableIter iter;
    gpointer key;

    for (int r = 0; r < PQntuples (stored); r++)
      g_hash_table_add (in_db, PQgetvalue (stored, r, 0));
    g_hash_table_iter_init (&iter, acked);
    while (g_hash_table_iter_next (&iter, &key, NULL))
      lost += !g_hash_table_contains (in_db, key);
    unacked = g_hash_table_size (in_db) - (g_hash_table_size (acked) - lost);
  }
  res = PQexec (lk_lab_get_conn (lab),
                "SELECT (SELECT count(*) - count(DISTINCT client_uuid) FROM answer), "
                "(SELECT count(*) FROM answer WHERE late), "
                "(SELECT count(*) FROM query WHERE attempts > 1)");
  qsort (latency->data, latency->len, sizeof (double), compare_double);

  printf ("stations %u, %u s, %u SIGKILLs (seed %" G_GUINT64_FORMAT ")\n", stations, seconds, kills,
          seed);
  printf ("acknowledged answers: %u (%.1f per second)\n", latency->len,
          latency->len / (double) seconds);
  if (latency->len > 0)
    printf ("submit latency: median %.2f ms, p99 %.2f ms, max %.2f ms\n",
            g_array_index (latency, double, latency->len / 2),
            g_array_index (latency, double, (guint) (latency->len * 0.99)),
            g_array_index (latency, double, latency->len - 1));
  printf ("acknowledged but missing (must be 0): %u\n", lost);
  printf ("client ids acknowledged twice (must be 0): %u\n", n_acks - g_hash_table_size (acked));
  printf ("stored twice, same client id (must be 0): %s\n", PQgetvalue (res, 0, 0));
  printf ("stored but not acknowledged (killed after the commit): %u\n", unacked);
  printf ("late answers: %s; grids handed out again after a kill: %s\n", PQgetvalue (res, 0, 1),
          PQgetvalue (res, 0, 2));
  PQclear (res);
  g_unlink (ack_path);
  g_rmdir (dir);
  g_rand_free (rand);

  return lost == 0 && n_acks == g_hash_table_size (acked) ? 0 : 1;
}
