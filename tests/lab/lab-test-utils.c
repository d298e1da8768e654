/* lab-test-utils.c — what the lab tests share: a study file to push, databases, stations
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <unistd.h>

#include "lab-test-utils.h"
#include "lk-store.h"
#include "tests/cli/cli-test-utils.h"
#include "tests/lk-test-utils.h"

char *lab_test_study_path;

/* Runs @sql on the database @db as the server's superuser; returns the first value of the
 * first row (or NULL when there is none). */
char *
lab_test_admin (const char *db,
       const char *sql)
{
  g_autofree char *conninfo = g_strdup_printf ("dbname=%s", db);
  PGconn *conn = PQconnectdb (conninfo);
  PGresult *res;
  char *value = NULL;

  g_assert_cmpint (PQstatus (conn), ==, CONNECTION_OK);
  res = PQexec (conn, sql);
  if (PQresultStatus (res) != PGRES_TUPLES_OK && PQresultStatus (res) != PGRES_COMMAND_OK)
    g_error ("%s: %s", sql, PQresultErrorMessage (res));
  if (PQresultStatus (res) == PGRES_TUPLES_OK && PQntuples (res) > 0)
    value = g_strdup (PQgetvalue (res, 0, 0));
  PQclear (res);
  PQfinish (conn);

  return value;
}

guint64
lab_test_count (const char *db,
             const char *sql)
{
  g_autofree char *value = lab_test_admin (db, sql);

  g_assert_nonnull (value);
  return g_ascii_strtoull (value, NULL, 10);
}

/* Makes the database @db and pushes the test study into it; returns its conninfo. */
char *
lab_test_study (const char *db)
{
  g_autofree char *create = g_strdup_printf ("CREATE DATABASE %s", db);
  char *conninfo = g_strdup_printf ("dbname=%s", db);
  g_autoptr(LkLab) lab = NULL;
  g_autoptr(GError) error = NULL;

  g_free (lab_test_admin ("postgres", create));
  lab = lk_lab_connect (conninfo, "setup", &error);
  g_assert_no_error (error);
  g_assert_true (lk_lab_push (lab, lab_test_study_path, &error));
  g_assert_no_error (error);

  return conninfo;
}

/* Leaves one grid claimable (the first pending one) and returns its id. */
gint64
lab_test_one_grid (const char *db)
{
  g_autofree char *id = lab_test_admin (db, "SELECT min(id) FROM query WHERE state = 'pending'");

  g_assert_nonnull (id);
  g_free (lab_test_admin (db, "UPDATE query SET state = 'abandoned' WHERE state IN ('pending', 'served') "
                     "AND id <> (SELECT min(id) FROM query WHERE state = 'pending')"));
  return g_ascii_strtoll (id, NULL, 10);
}

LkLab *
lab_test_station (const char *conninfo,
         const char *name,
         gint64     *session)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *participant = g_strdup_printf ("P-%s", name);
  LkLab *lab = lk_lab_connect (conninfo, name, &error);

  g_assert_no_error (error);
  g_assert_true (lk_lab_open_study (lab, &error));
  g_assert_true (lk_lab_register_station (lab, &error));
  *session = lk_lab_begin_session (lab, participant, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpint (*session, >, 0);

  return lab;
}

/* Claims with @lease until a grid comes (polling the server, whose clock runs the leases),
 * for at most 60 s. */
void
lab_test_claim_polling (LkLab      *lab,
               gint64      session,
               double      lease,
               LkLabClaim *claim)
{
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  g_autoptr(GError) error = NULL;

  for (;;)
    {
      g_assert_true (lk_lab_claim (lab, session, lease, claim, &error));
      g_assert_no_error (error);
      if (claim->query != 0)
        return;
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (20000);
    }
}

/* The grid of @claim, answered: item i in bin i mod nc. */
LkQuery *
lab_test_answered (LkLab            *lab,
          const LkLabClaim *claim)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *nc_text = lk_lab_get_param (lab, "nc", &error);
  guint nc = (guint) g_ascii_strtoull (nc_text, NULL, 10);
  LkQuery *q = lk_query_new ((const guint *) claim->items->data, claim->items->len);
  g_autofree gint *bins = g_new (gint, claim->items->len);

  for (guint i = 0; i < claim->items->len; i++)
    bins[i] = (gint) (i % nc);
  g_assert_true (lk_query_set_answer (q, bins, nc, &error));
  g_assert_no_error (error);

  return q;
}


/* Makes a temporary folder with images and a study (24 images, budget 24 in 2 phases, 6 per
 * grid) made by likeness-cli; returns the folder. */
char *
lab_test_make_study (const char *template)
{
  char *dir = lk_test_tmpdir (template);
  g_autofree char *images = g_build_filename (dir, "images", NULL);
  g_auto(CliRun) r = { 0 };

  lab_test_study_path = g_build_filename (dir, "study.likeness", NULL);
  cli_make_images (images, CLI_FIXTURE_IMAGES);
  cli_run (&r, "create", lab_test_study_path, "--images", images, "--budget", "24", "--phases",
           "2", "--nq", "6", "--seed", "3", NULL);
  g_assert_cmpint (r.status, ==, 0);

  return dir;
}

void
lab_test_remove_study (const char *dir)
{
  lk_test_rmdir (dir);
  g_clear_pointer (&lab_test_study_path, g_free);
}

/* Runs the server's pg_ctl with @args (as the server's user when run as root), on the cluster
 * pg-cluster.sh started. */
static void
server_ctl (const char *const *args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  const char *dir = g_getenv ("PGHOST");
  g_autofree char *data = g_build_filename (dir, "data", NULL);
  g_autoptr(GError) error = NULL;
  int status = -1;

  g_assert_nonnull (g_getenv ("LK_PG_BIN"));
  if (getuid () == 0)
    {
      g_ptr_array_add (argv, g_strdup ("runuser"));
      g_ptr_array_add (argv, g_strdup ("-u"));
      g_ptr_array_add (argv, g_strdup ("postgres"));
      g_ptr_array_add (argv, g_strdup ("--"));
    }
  g_ptr_array_add (argv, g_build_filename (g_getenv ("LK_PG_BIN"), "pg_ctl", NULL));
  g_ptr_array_add (argv, g_strdup ("-D"));
  g_ptr_array_add (argv, g_strdup (data));
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, g_strdup (args[i]));
  g_ptr_array_add (argv, NULL);
  g_assert_true (g_spawn_sync (NULL, (char **) argv->pdata, NULL,
                               G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL,
                               NULL, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, &error));
  g_assert_no_error (error);
}

/* Stops the server (-m fast: every connection ends, as when the server goes away). */
void
lab_test_server_stop (void)
{
  const char *args[] = { "-w", "-t", "60", "-m", "fast", "stop", NULL };

  server_ctl (args);
}

/* Starts it again, as pg-cluster.sh did. */
void
lab_test_server_start (void)
{
  g_autofree char *log = g_build_filename (g_getenv ("PGHOST"), "server.log", NULL);
  g_autofree char *options = g_strdup_printf ("-c listen_addresses= -k %s -p %s -c fsync=off "
                                              "-c max_connections=40", g_getenv ("PGHOST"),
                                              g_getenv ("PGPORT"));
  const char *args[] = { "-l", log, "-w", "-t", "60", "-o", options, "start", NULL };

  server_ctl (args);
}

/* Pulls the lab study into a temporary file and replays it: asserts that the file is sound
 * and the replay reproduces every stored query and embedding; returns the phases done. */
guint
lab_test_pull_and_replay (LkLab *lab)
{
  g_autofree char *dir = lk_test_tmpdir ("lk-lab-pull-XXXXXX");
  g_autofree char *path = g_build_filename (dir, "pulled.likeness", NULL);
  g_autoptr(LkStore) store = NULL;
  g_autoptr(LkRefiner) refiner = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *report = NULL;
  gboolean reproduced = FALSE;
  LkStoreCounts counts;

  g_assert_true (lk_lab_pull (lab, path, &error));
  g_assert_no_error (error);
  store = lk_store_open (path, LK_STORE_OPEN_READ_ONLY, &error);
  g_assert_no_error (error);
  g_assert_true (lk_store_check (store, &report, &error));
  g_assert_no_error (error);
  refiner = lk_answers_rebuild (store, &reproduced, &error);
  g_assert_no_error (error);
  g_assert_true (reproduced);
  g_assert_true (lk_store_get_counts (store, &counts, &error));
  g_clear_pointer (&store, lk_store_close);
  lk_test_rmdir (dir);

  return counts.phases_done;
}
