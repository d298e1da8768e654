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
           "  simulate    run a study with simulated participants and print metrics per phase\n"
           "\n"
           "Run 'likeness-cli COMMAND --help' for a command's options.\n");
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
  if (strcmp (argv[1], "simulate") == 0)
    return lk_cli_simulate (argc - 1, argv + 1);

  fprintf (stderr, "likeness-cli: unknown command '%s'\n\n", argv[1]);
  print_usage (stderr);
  return LK_CLI_EXIT_USAGE;
}
