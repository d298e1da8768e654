/* main.c — likeness-cli: the engine, headless
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "lk-cli.h"

static void
print_usage (FILE *out)
{
  fprintf (out,
           "Usage: likeness-cli COMMAND [OPTIONS]\n"
           "\n"
           "Commands:\n"
           "  simulate        run a study with simulated participants, print metrics per phase;\n"
           "                  with --study STUDY, answer that study's grids (as 'answer')\n"
           "  create, new     create a study file and import a folder of images into it\n"
           "  import, import-images\n"
           "                  import a folder of images into a study (again)\n"
           "  info            describe a study: method, parameters, counts, session settings\n"
           "  settings        show or change a study's session settings (--set KEY=VALUE)\n"
           "  export          answers, trials, pairs, JSON, embedding, k-NN, the model or\n"
           "                  scores, for R or pandas\n"
           "  import-answers  add answers from a tidy CSV, all or none\n"
           "  import-trials   add trials (triplet, choice5, match, intruder) from a trials CSV\n"
           "  participants    who sorted how; leave a participant out of the model (--exclude)\n"
           "  answer          answer a study's grids (and --trials) with simulated participants\n"
           "  score           score every metric of a study on its trials (triplet, choice5,\n"
           "                  match, intruder), with 95 %% intervals\n"
           "  check           check a study's integrity\n"
           "  copy            write one complete file of a study, even while it is open\n"
           "  judge           draw a round of the paper's manual judging (seeds and their k-NN)\n"
           "  aggregate       fit Crowdclustering to a crowd platform's results file (Toloka TSV)\n"
           "  crowd-export    write the next grids as a batch for Toloka or Mechanical Turk\n"
           "  crowd-import    add a crowd batch's answers from the platform's results file\n"
           "  gold            list, import, export or remove a study's known answers\n"
           "  pg-push         put a study file into an empty PostgreSQL database (a lab study)\n"
           "  pg-pull         write a lab study back as a study file\n"
           "\n"
           "info, check, answer, simulate --study, export and settings also take a lab\n"
           "study's URI, "
           "postgresql://USER@HOST/DATABASE (no password: it goes in ~/.pgpass).\n"
           "\n"
           "Run 'likeness-cli COMMAND --help' for a command's options.\n");
}

/* Whether an argument after the command names a lab study (a PostgreSQL URI). */
static gboolean
names_lab_study (int    argc,
                 char **argv)
{
  for (int i = 2; i < argc && strcmp (argv[i], "--") != 0; i++)
    {
      const char *arg = g_str_has_prefix (argv[i], "--study=") ? argv[i] + 8 : argv[i];

      if (g_str_has_prefix (arg, "postgresql://") || g_str_has_prefix (arg, "postgres://"))
        return TRUE;
    }

  return FALSE;
}

/* Runs a command on a lab study, or says that this build cannot. */
static int
lab_command (const char *command,
             int         argc,
             char      **argv)
{
#ifdef LK_HAVE_LAB
  if (strcmp (command, "pg-push") == 0)
    return lk_cli_pg_push (argc, argv);
  if (strcmp (command, "pg-pull") == 0)
    return lk_cli_pg_pull (argc, argv);
  if (strcmp (command, "info") == 0)
    return lk_cli_lab_info (argc, argv);
  if (strcmp (command, "check") == 0)
    return lk_cli_lab_check (argc, argv);
  if (strcmp (command, "answer") == 0 || strcmp (command, "simulate") == 0)
    return lk_cli_lab_answer_command (argc, argv);
  if (strcmp (command, "export") == 0)
    return lk_cli_lab_export (argc, argv);
  if (strcmp (command, "settings") == 0)
    return lk_cli_lab_settings (argc, argv);
  fprintf (stderr, "likeness-cli %s: lab studies (postgresql:// URIs) are not supported by this "
           "command yet; pull the study into a file first (likeness-cli pg-pull URI FILE)\n",
           command);
  return LK_CLI_EXIT_USAGE;
#else
  (void) argc;
  (void) argv;
  fprintf (stderr, "likeness-cli %s: this likeness-cli was built without lab studies "
           "(PostgreSQL): install libpq-dev and build it again\n", command);
  return LK_CLI_EXIT_FAILURE;
#endif
}

int
main (int    argc,
      char **argv)
{
  setlocale (LC_ALL, "");

  if (argc < 2)
    {
      print_usage (stderr);
      return LK_CLI_EXIT_USAGE;
    }

  if (strcmp (argv[1], "--help") == 0 || strcmp (argv[1], "-h") == 0 || strcmp (argv[1], "help") == 0)
    {
      print_usage (stdout);
      return 0;
    }
  if (strcmp (argv[1], "--version") == 0)
    {
      printf ("likeness-cli %s\n", PACKAGE_VERSION);
      return 0;
    }
  if (strcmp (argv[1], "pg-push") == 0 || strcmp (argv[1], "pg-pull") == 0 ||
      names_lab_study (argc, argv))
    return lab_command (argv[1], argc - 1, argv + 1);
  if (strcmp (argv[1], "simulate") == 0)
    {
      /* `simulate --study STUDY` answers a study file (another name for `answer`, as the
       * README documents); without --study, simulate runs a whole simulated study in memory. */
      for (int i = 2; i < argc && strcmp (argv[i], "--") != 0; i++)
        if (strcmp (argv[i], "--study") == 0 || g_str_has_prefix (argv[i], "--study="))
          return lk_cli_simulate_study (argc - 1, argv + 1);
      return lk_cli_simulate (argc - 1, argv + 1);
    }
  if (strcmp (argv[1], "create") == 0 || strcmp (argv[1], "new") == 0)
    return lk_cli_create (argc - 1, argv + 1);
  if (strcmp (argv[1], "import") == 0 || strcmp (argv[1], "import-images") == 0)
    return lk_cli_import (argc - 1, argv + 1);
  if (strcmp (argv[1], "info") == 0)
    return lk_cli_info (argc - 1, argv + 1);
  if (strcmp (argv[1], "settings") == 0)
    return lk_cli_settings (argc - 1, argv + 1);
  if (strcmp (argv[1], "participants") == 0)
    return lk_cli_participants (argc - 1, argv + 1);
  if (strcmp (argv[1], "export") == 0)
    return lk_cli_export (argc - 1, argv + 1);
  if (strcmp (argv[1], "import-answers") == 0)
    return lk_cli_import_answers (argc - 1, argv + 1);
  if (strcmp (argv[1], "import-trials") == 0)
    return lk_cli_import_trials (argc - 1, argv + 1);
  if (strcmp (argv[1], "answer") == 0)
    return lk_cli_answer (argc - 1, argv + 1);
  if (strcmp (argv[1], "check") == 0)
    return lk_cli_check (argc - 1, argv + 1);
  if (strcmp (argv[1], "score") == 0)
    return lk_cli_score (argc - 1, argv + 1);
  if (strcmp (argv[1], "copy") == 0)
    return lk_cli_copy (argc - 1, argv + 1);
  if (strcmp (argv[1], "judge") == 0)
    return lk_cli_judge (argc - 1, argv + 1);
  if (strcmp (argv[1], "aggregate") == 0)
    return lk_cli_aggregate (argc - 1, argv + 1);
  if (strcmp (argv[1], "crowd-export") == 0)
    return lk_cli_crowd_export (argc - 1, argv + 1);
  if (strcmp (argv[1], "crowd-import") == 0)
    return lk_cli_crowd_import (argc - 1, argv + 1);
  if (strcmp (argv[1], "gold") == 0)
    return lk_cli_gold (argc - 1, argv + 1);

  fprintf (stderr, "likeness-cli: unknown command '%s'\n\n", argv[1]);
  print_usage (stderr);
  return LK_CLI_EXIT_USAGE;
}
