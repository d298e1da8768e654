/* lk-cli-lab.c — likeness-cli on lab studies (PostgreSQL): pg-push, pg-pull, and info, check
 * and answer (`simulate --study`) given a postgresql:// URI
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>

#include "lk-cli.h"
#include "lk-image-features.h"
#include "lk-lab.h"
#include "lk-store.h"

/* Connects to the lab study at @uri (which must hold one unless @empty_ok). */
static LkLab *
connect_study (const char  *uri,
               const char  *station,
               gboolean     empty_ok,
               GError     **error)
{
  g_autoptr(LkLab) lab = lk_lab_connect (uri, station, error);

  if (lab == NULL || (!empty_ok && !lk_lab_open_study (lab, error)))
    return NULL;

  return g_steal_pointer (&lab);
}

int
lk_cli_pg_push (int    argc,
                char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(LkLab) lab = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *where = NULL;
  int status = 0;

  context = lk_cli_parse ("pg-push", "STUDY URI",
                          "Puts a study file into an empty PostgreSQL database (URI: "
                          "postgresql://USER@HOST/DATABASE, without a password: put it in "
                          "~/.pgpass), so that several lab computers can run it at once. The "
                          "study file is not changed.",
                          NULL, NULL, &argc, &argv, 2, &status);
  if (context == NULL)
    return status;
  if (lk_lab_is_uri (argv[1]) && !lk_lab_is_uri (argv[2]))
    return lk_cli_usage_error ("pg-push", "the study file comes first, then the URI");

  lab = connect_study (argv[2], "likeness-cli-pg-push", TRUE, &error);
  if (lab == NULL || !lk_lab_push (lab, argv[1], &error))
    return lk_cli_failure ("pg-push", error);
  where = lk_lab_describe (lab);
  printf ("pushed %s into %s\n", argv[1], where);
  return 0;
}

int
lk_cli_pg_pull (int    argc,
                char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(LkLab) lab = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;

  context = lk_cli_parse ("pg-pull", "URI OUT.likeness",
                          "Writes a lab study (in PostgreSQL) as a complete study file, so every "
                          "view, export and replay works on it. OUT must not exist.",
                          NULL, NULL, &argc, &argv, 2, &status);
  if (context == NULL)
    return status;
  if (!lk_lab_is_uri (argv[1]) && lk_lab_is_uri (argv[2]))
    return lk_cli_usage_error ("pg-pull", "the URI comes first, then the study file to write");

  lab = connect_study (argv[1], "likeness-cli-pg-pull", FALSE, &error);
  if (lab == NULL || !lk_lab_pull (lab, argv[2], &error))
    return lk_cli_failure ("pg-pull", error);
  printf ("pulled into %s\n", argv[2]);
  return 0;
}

int
lk_cli_lab_info (int    argc,
                 char **argv)
{
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "print one JSON object", NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(LkLab) lab = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *where = NULL, *method = NULL;
  LkLabCounts c;
  int status = 0;

  context = lk_cli_parse ("info", "URI", "Describes a lab study: its counts and stations.",
                          entries, NULL, &argc, &argv, 1, &status);
  if (context == NULL)
    return status;
  lab = connect_study (argv[1], "likeness-cli-info", FALSE, &error);
  if (lab == NULL || !lk_lab_get_counts (lab, &c, &error))
    return lk_cli_failure ("info", error);
  where = lk_lab_describe (lab);

  if (json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();
      g_autoptr(JsonGenerator) gen = json_generator_new ();
      g_autoptr(JsonNode) root = NULL;
      g_autofree char *text = NULL;
      const struct { const char *name; guint value; } fields[] = {
        { "images", c.images }, { "queries", c.queries }, { "pending", c.pending },
        { "leased", c.leased }, { "lease_expired", c.expired }, { "answered", c.answered },
        { "abandoned", c.abandoned }, { "answers", c.answers }, { "late_answers", c.late },
        { "participants", c.participants }, { "phases_done", c.phases_done },
        { "stations", c.stations },
      };

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "lab");
      json_builder_add_string_value (b, where);
      for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
        {
          json_builder_set_member_name (b, fields[i].name);
          json_builder_add_int_value (b, fields[i].value);
        }
      json_builder_end_object (b);
      root = json_builder_get_root (b);
      json_generator_set_root (gen, root);
      json_generator_set_pretty (gen, TRUE);
      text = json_generator_to_data (gen, NULL);
      printf ("%s\n", text);
      return 0;
    }

  printf ("lab study: %s\n", where);
  printf ("images: %u\n", c.images);
  printf ("grids: %u (never handed out %u, leased %u, lease expired %u, answered %u, "
          "abandoned %u)\n", c.queries, c.pending, c.leased, c.expired, c.answered, c.abandoned);
  printf ("answers: %u (late %u)\n", c.answers, c.late);
  printf ("participants: %u\n", c.participants);
  printf ("phases done: %u\n", c.phases_done);
  printf ("stations: %u\n", c.stations);
  return 0;
}

int
lk_cli_lab_check (int    argc,
                  char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(LkLab) lab = NULL;
  g_autoptr(LkStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) problems = g_string_new (NULL);
  g_autofree char *dir = NULL, *copy = NULL, *report = NULL;
  gboolean ok;
  int status = 0;

  context = lk_cli_parse ("check", "URI",
                          "Checks a lab study: every grid's state against its answers, then the "
                          "study's own invariants on a pulled copy (as for a study file). Exit "
                          "status 0 if sound, 1 if not.",
                          NULL, NULL, &argc, &argv, 1, &status);
  if (context == NULL)
    return status;
  lab = connect_study (argv[1], "likeness-cli-check", FALSE, &error);
  if (lab == NULL || !lk_lab_check_grids (lab, problems, &error))
    return lk_cli_failure ("check", error);

  dir = g_dir_make_tmp ("likeness-check-XXXXXX", &error);
  if (dir == NULL)
    return lk_cli_failure ("check", error);
  copy = g_build_filename (dir, "study.likeness", NULL);
  ok = lk_lab_pull (lab, copy, &error);
  if (ok)
    store = lk_store_open (copy, LK_STORE_OPEN_READ_ONLY | LK_STORE_OPEN_UNCHECKED, &error);
  ok = store != NULL && lk_store_check (store, &report, &error);
  g_clear_pointer (&store, lk_store_close);
  g_unlink (copy);
  g_rmdir (dir);
  fputs (problems->str, stdout);
  if (!ok)
    {
      if (report != NULL)
        fputs (report, stdout);
      return lk_cli_failure ("check", error);
    }
  if (problems->len > 0)
    {
      fprintf (stderr, "likeness-cli check: %s has the problems above\n", argv[1]);
      return LK_CLI_EXIT_FAILURE;
    }

  printf ("%s: ok\n", argv[1]);
  return 0;
}

/* Returns the colour descriptor of every image's thumbnail in the lab study: the simulated
 * participants' notion of similarity, as `answer` uses for a study file. */
static LkDataset *
lab_thumbnail_features (LkLab    *lab,
                        guint     n_items,
                        GError  **error)
{
  g_autofree double *features = g_new (double, (gsize) n_items * LK_COLOR_DESCRIPTOR_DIM);

  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr(GBytes) png = lk_lab_get_thumbnail (lab, i, error);
      g_autoptr(GdkPixbufLoader) loader = NULL;
      GdkPixbuf *thumb;

      if (png == NULL)
        return NULL;
      loader = gdk_pixbuf_loader_new_with_type ("png", error);
      if (loader == NULL ||
          !gdk_pixbuf_loader_write_bytes (loader, png, error) ||
          !gdk_pixbuf_loader_close (loader, error))
        return NULL;
      thumb = gdk_pixbuf_loader_get_pixbuf (loader);
      if (thumb == NULL)
        {
          g_set_error (error, LK_LAB_ERROR, LK_LAB_ERROR_FAILED,
                       "The thumbnail of image %u is not a PNG", i);
          return NULL;
        }
      if (!lk_image_features_compute (thumb, LK_FEATURE_COLOR,
                                      features + (gsize) i * LK_COLOR_DESCRIPTOR_DIM, error))
        return NULL;
    }

  return lk_dataset_new (n_items, LK_COLOR_DESCRIPTOR_DIM, features, NULL);
}

/* Reads the numeric parameter @name of the lab study. */
static gboolean
lab_param_uint (LkLab       *lab,
                const char  *name,
                guint64     *value,
                GError     **error)
{
  g_autofree char *text = lk_lab_get_param (lab, name, error);

  if (text == NULL)
    return FALSE;
  if (!g_ascii_string_to_unsigned (text, 10, 0, G_MAXUINT64, value, NULL))
    {
      g_set_error (error, LK_LAB_ERROR, LK_LAB_ERROR_FAILED,
                   "The lab study's parameter %s is not a number: '%s'", name, text);
      return FALSE;
    }

  return TRUE;
}

/* Submits one answer, reconnecting and retrying with the same client id when the connection
 * breaks (a few times), so a lost acknowledgement never loses or doubles the answer. */
static gint64
submit_with_retries (LkLab             *lab,
                     const LkLabClaim  *claim,
                     const LkQuery     *q,
                     gint64             session,
                     gint64             shown,
                     gboolean          *late,
                     GError           **error)
{
  g_autofree char *client_uuid = g_uuid_string_random ();
  gint64 submitted = g_get_real_time ();

  for (guint attempt = 0; ; attempt++)
    {
      g_autoptr(GError) local_error = NULL;
      gint64 id = lk_lab_submit (lab, claim, client_uuid, q, session, shown, submitted, NULL, 0,
                                 late, &local_error);

      if (id > 0)
        return id;
      if (attempt >= 3 ||
          !g_error_matches (local_error, LK_LAB_ERROR, LK_LAB_ERROR_CONNECTION_LOST))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return 0;
        }
      fprintf (stderr, "likeness-cli answer: %s; reconnecting to submit again\n",
               local_error->message);
      g_clear_error (&local_error);
      if (!lk_lab_reconnect (lab, &local_error))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return 0;
        }
    }
}

/* `answer URI` and `simulate --study URI`: a simulated station answering @count grids through
 * the lease path. */
static int
lab_answer (const char *command,
                   const char *uri,
                   const char *participant,
                   const char *station,
                   double      lease_seconds,
                   guint64     count)
{
  g_autoptr(LkLab) lab = NULL;
  g_autoptr(LkDataset) truth = NULL;
  g_autoptr(LkCrowd) crowd = NULL;
  g_autoptr(GError) error = NULL;
  guint64 nc = 0, nq = 0, seed = 0, phases = 0, answered = 0;
  gboolean refiner = FALSE, complete = FALSE;
  gint64 session, waited_since;
  LkLabCounts counts;

  lab = connect_study (uri, station, FALSE, &error);
  if (lab == NULL || !lk_lab_register_station (lab, &error) ||
      !lk_lab_get_counts (lab, &counts, &error) ||
      !lab_param_uint (lab, "nc", &nc, &error) || !lab_param_uint (lab, "nq", &nq, &error) ||
      !lab_param_uint (lab, "seed", &seed, &error) ||
      !lab_param_uint (lab, "phases", &phases, &error))
    return lk_cli_failure (command, error);
  if (counts.images < nq)
    {
      g_set_error (&error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "the lab study holds %u images, fewer than the %u a grid shows",
                   counts.images, (guint) nq);
      return lk_cli_failure (command, error);
    }
  truth = lab_thumbnail_features (lab, counts.images, &error);
  if (truth == NULL)
    return lk_cli_failure (command, error);
  /* Each station's crowd draws its own noise: the station's name is in the seed. */
  crowd = lk_crowd_new (truth, (guint) nc, NULL,
                        lk_rng_derive (seed, 7 + counts.answers + g_str_hash (lk_lab_get_station (lab))));
  session = lk_lab_begin_session (lab, participant, FALSE, &error);
  if (session == 0)
    return lk_cli_failure (command, error);

  waited_since = g_get_monotonic_time ();
  while (answered < count)
    {
      g_auto(LkLabClaim) claim = { 0 };
      g_autoptr(LkQuery) q = NULL;
      gboolean late = FALSE;
      gint64 shown, id;

      if (!lk_lab_claim (lab, session, lease_seconds, &claim, &error))
        return lk_cli_failure (command, error);
      if (claim.query == 0)
        {
          gboolean stored = FALSE;

          /* No grid ready: the phase is complete, or its last grids are leased. The refiner
           * (whichever station holds the lock) folds a complete phase in and draws the next
           * batch; the others wait for it, or for the leases to end. */
          if (!refiner && !lk_lab_try_refiner (lab, &refiner, &error))
            return lk_cli_failure (command, error);
          if (refiner && !lk_lab_refine (lab, &stored, &error))
            return lk_cli_failure (command, error);
          if (!lk_lab_get_counts (lab, &counts, &error))
            return lk_cli_failure (command, error);
          if (stored)
            {
              printf ("stored phase %u\n", counts.phases_done);
              fflush (stdout);
              waited_since = g_get_monotonic_time ();
              continue;
            }
          if (counts.phases_done >= phases)
            {
              complete = TRUE;
              break;
            }
          /* Polled, not waited for by a fixed time: a lease ends on the server's clock. */
          if (g_get_monotonic_time () - waited_since <
              (gint64) ((lease_seconds + 30) * G_USEC_PER_SEC))
            {
              g_usleep (100 * 1000);
              continue;
            }
          break;
        }
      shown = g_get_real_time ();
      q = lk_query_new ((const guint *) claim.items->data, claim.items->len);
      lk_crowd_answer (crowd, q);
      id = submit_with_retries (lab, &claim, q, session, shown, &late, &error);
      if (id == 0)
        return lk_cli_failure (command, error);
      answered++;
      waited_since = g_get_monotonic_time ();
      printf ("saved %" G_GINT64_FORMAT "%s\n", id, late ? " late" : "");
      fflush (stdout);
    }

  if (!lk_lab_end_session (lab, session, &error))
    return lk_cli_failure (command, error);
  if (answered < count && count != G_MAXUINT32 && !complete)
    fprintf (stderr, "likeness-cli %s: answered %" G_GUINT64_FORMAT " of %" G_GUINT64_FORMAT
             " grids: no grid came for %.0f s (the refiner is another station that did not "
             "store the next phase, or grids stay leased); run it again later\n", command,
             answered, count, lease_seconds + 30);
  return 0;
}

/* The options of `answer URI` and `simulate --study URI`. */
int
lk_cli_lab_answer_command (int    argc,
                           char **argv)
{
  g_autofree char *participant = NULL, *count_text = NULL, *study = NULL, *station = NULL;
  g_autofree char *lease_text = NULL;
  gboolean study_option = strcmp (argv[0], "simulate") == 0;
  const char *command = study_option ? "simulate" : "answer";
  const GOptionEntry entries[] = {
    { "participant", 0, 0, G_OPTION_ARG_STRING, &participant,
      "the simulated participant's code (default SIM-1)", "CODE" },
    { "count", 'n', 0, G_OPTION_ARG_STRING, &count_text,
      "answer at most N grids (default: while grids are ready)", "N" },
    { "station", 0, 0, G_OPTION_ARG_STRING, &station,
      "this station's name, shown to the experimenter (default likeness-HOST-PID; the URI's "
      "application_name wins)", "NAME" },
    { "lease", 0, 0, G_OPTION_ARG_STRING, &lease_text,
      "how long a claimed grid stays this station's, in seconds (default 120)", "SECONDS" },
    { study_option ? "study" : NULL, 0, 0, G_OPTION_ARG_STRING, &study,
      "the lab study to answer", "URI" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  guint64 count = G_MAXUINT32;
  double lease = LK_LAB_LEASE_SECONDS;
  int status = 0;

  context = lk_cli_parse (command, study_option ? "--study URI" : "URI",
                          "Answers a lab study's grids as one station with a simulated "
                          "participant: each grid is claimed under a lease, sorted by k-means "
                          "of its images' colour descriptors, and submitted; 'saved ID' is "
                          "printed once the answer is committed ('late' when its lease had "
                          "expired). When no grid is ready the station tries to become the "
                          "study's refiner, which folds a complete phase in ('stored phase N'), "
                          "and otherwise waits for the refiner or the leases.",
                          entries, NULL, &argc, &argv, study_option ? 0 : 1, &status);
  if (context == NULL)
    return status;
  if (study_option && study == NULL)
    return lk_cli_usage_error (command, "--study URI is missing: the lab study to answer");
  if (count_text != NULL &&
      !lk_cli_parse_uint ("--count", count_text, 1, G_MAXUINT32, &count, &error))
    return lk_cli_usage_error (command, error->message);
  if (lease_text != NULL &&
      !lk_cli_parse_double ("--lease", lease_text, 0.1, 86400, &lease, &error))
    return lk_cli_usage_error (command, error->message);
  if (participant != NULL && (*participant == '\0' || !g_utf8_validate (participant, -1, NULL)))
    return lk_cli_usage_error (command, "--participant: the code must be non-empty UTF-8 text");
  if (station != NULL && (*station == '\0' || !g_utf8_validate (station, -1, NULL)))
    return lk_cli_usage_error (command, "--station: the name must be non-empty UTF-8 text");

  return lab_answer (command, study_option ? study : argv[1],
                            participant != NULL ? participant : "SIM-1", station, lease, count);
}

/* Removes the temporary folder @dir of a pulled copy and the files in it. */
static void
remove_copy_dir (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      g_unlink (path);
    }
  g_rmdir (dir);
}

/**
 * lk_cli_lab_export:
 *
 * `export URI --answers FILE …`: pulls the lab study into a private temporary file and runs
 * the study file's own export on it, so a lab study exports exactly as its pulled file would.
 */
int
lk_cli_lab_export (int    argc,
                   char **argv)
{
  g_autoptr(LkLab) lab = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL, *copy = NULL;
  g_autofree char **args = NULL;
  int uri = 0, status;

  for (int i = 1; i < argc && uri == 0; i++)
    if (lk_lab_is_uri (argv[i]))
      uri = i;
  if (uri == 0)
    return lk_cli_usage_error ("export", "give the lab study's URI");

  lab = connect_study (argv[uri], "likeness-cli-export", FALSE, &error);
  if (lab == NULL)
    return lk_cli_failure ("export", error);
  dir = g_dir_make_tmp ("likeness-export-XXXXXX", &error);
  if (dir == NULL)
    return lk_cli_failure ("export", error);
  copy = g_build_filename (dir, "study.likeness", NULL);
  if (!lk_lab_pull (lab, copy, &error))
    {
      remove_copy_dir (dir);
      return lk_cli_failure ("export", error);
    }
  g_clear_pointer (&lab, lk_lab_close);

  args = g_new0 (char *, argc + 1);
  memcpy (args, argv, sizeof (char *) * argc);
  args[uri] = copy;
  status = lk_cli_export (argc, args);
  remove_copy_dir (dir);

  return status;
}

/**
 * lk_cli_lab_settings:
 *
 * `settings URI [--set KEY=VALUE …]`: shows or changes a lab study's session settings, kept
 * in its setting table as a study file keeps them (so a pull carries them). A change is one
 * transaction, logged as a "settings" event, and holds for the sessions started after it.
 */
int
lk_cli_lab_settings (int    argc,
                     char **argv)
{
  g_auto(GStrv) assignments = NULL;
  const GOptionEntry entries[] = {
    { "set", 0, 0, G_OPTION_ARG_STRING_ARRAY, &assignments,
      "change a setting (repeatable; VALUE '' is the default, @FILE reads a text from FILE)",
      "KEY=VALUE" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(LkLab) lab = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(LkSessionSettings) settings = { 0 };
  int status = 0;

  context = lk_cli_parse ("settings", "URI",
                          "Shows a lab study's session settings, or changes them with --set: "
                          LK_CLI_SETTINGS_KEYS " A change holds for the sessions started after "
                          "it, on every station.",
                          entries, NULL, &argc, &argv, 1, &status);
  if (context == NULL)
    return status;

  lab = connect_study (argv[1], "likeness-cli-settings", FALSE, &error);
  if (lab == NULL || !lk_lab_load_session_settings (lab, &settings, &error))
    return lk_cli_failure ("settings", error);
  for (guint i = 0; assignments != NULL && assignments[i] != NULL; i++)
    if (!lk_cli_setting_assign (&settings, assignments[i], &error))
      return error->domain == G_OPTION_ERROR ? lk_cli_usage_error ("settings", error->message)
                                             : lk_cli_failure ("settings", error);
  if (assignments != NULL)
    {
      g_auto(LkSessionSettings) defaults = { 0 };
      const char *const *keys = lk_session_settings_keys ();
      g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (g_free);
      guint64 budget;
      LkParams params = { 0 };

      if (!lab_param_uint (lab, "budget", &budget, &error))
        return lk_cli_failure ("settings", error);
      params.budget = (guint) budget;
      if (!lk_session_settings_validate (&settings, &params, &error))
        return lk_cli_failure ("settings", error);
      /* As in a study file: a setting at its default has no row. */
      lk_session_settings_init (&defaults);
      for (guint i = 0; keys[i] != NULL; i++)
        {
          g_autofree char *value = lk_session_settings_dup (&settings, keys[i]);
          g_autofree char *fallback = lk_session_settings_dup (&defaults, keys[i]);

          g_ptr_array_add (rows, g_strconcat ("session.", keys[i], NULL));
          g_ptr_array_add (rows, value == NULL || g_strcmp0 (value, fallback) == 0
                                 ? NULL : g_steal_pointer (&value));
        }
      if (!lk_lab_set_settings (lab, (const char *const *) rows->pdata, rows->len / 2, &error))
        return lk_cli_failure ("settings", error);
    }

  lk_cli_print_settings (&settings, "", NULL);
  /* A station keeps no group names (LkLabRun stores none), so its sessions ask for none: said
   * here, where the setting is changed, rather than ignored in silence. */
  if (settings.group_names)
    fprintf (stderr, "likeness-cli settings: group-names is on, but lab stations keep no group "
             "names and ask for none: their sessions sort without them (--set group-names=false "
             "turns it off)\n");

  return 0;
}
