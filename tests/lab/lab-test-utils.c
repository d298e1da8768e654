/* lab-test-utils.c — what the lab tests share: a study file to push, databases, stations
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "lab-test-utils.h"
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
