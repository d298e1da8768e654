/* lk-cli-util.c — strict argument parsing with messages that say what is allowed, shared by
 * every command
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "lk-cli.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <math.h>

gboolean
lk_cli_parse_uint (const char  *option,
                   const char  *text,
                   guint64      min,
                   guint64      max,
                   guint64     *out,
                   GError     **error)
{
  if (!g_ascii_string_to_unsigned (text, 10, min, max, out, NULL))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "%s: '%s' is not a whole number from %" G_GUINT64_FORMAT " to %" G_GUINT64_FORMAT,
                   option, text, min, max);
      return FALSE;
    }

  return TRUE;
}

gboolean
lk_cli_parse_double (const char *option,
                     const char *text,
                     double      min,
                     double      max,
                     double     *out,
                     GError    **error)
{
  char *end = NULL;
  double v;

  errno = 0;
  v = g_ascii_strtod (text, &end);
  if (*text == '\0' || *end != '\0' || errno != 0 || !isfinite (v) || v < min || v > max)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "%s: '%s' is not a number from %g to %g", option, text, min, max);
      return FALSE;
    }

  *out = v;
  return TRUE;
}

/**
 * lk_cli_param_options_init:
 * @options: (out caller-allocates): options to set up
 *
 * Fills @options->entries (NULL-terminated) for g_option_context_add_main_entries(); the values
 * land in @options' string fields, parsed later by lk_cli_param_options_apply().
 */
void
lk_cli_param_options_init (LkCliParamOptions *options)
{
  const GOptionEntry entries[] = {
    { "method", 'm', 0, G_OPTION_ARG_STRING, &options->method,
      "embedding method (default paper; see simulate --list-methods)", "NAME" },
    { "budget", 'b', 0, G_OPTION_ARG_STRING, &options->budget, "total queries (default 1200)", "N" },
    { "phases", 'p', 0, G_OPTION_ARG_STRING, &options->phases, "refinement phases (default 5)", "N" },
    { "seed", 's', 0, G_OPTION_ARG_STRING, &options->seed, "random seed (default 1)", "N" },
    { "nq", 0, 0, G_OPTION_ARG_STRING, &options->nq, "images per grid (default 20)", "N" },
    { "nc", 0, 0, G_OPTION_ARG_STRING, &options->nc, "bins per grid (default 4)", "N" },
    { "k", 'k', 0, G_OPTION_ARG_STRING, &options->k,
      "neighbourhood size of local queries (default 40)", "N" },
    { "dim", 0, 0, G_OPTION_ARG_STRING, &options->dim, "embedding dimension (default 3)", "N" },
    { "beta", 0, 0, G_OPTION_ARG_STRING, &options->beta, "distance update factor (default 4)", "X" },
    { "epsilon", 0, 0, G_OPTION_ARG_STRING, &options->epsilon,
      "weight of unqueried pairs (default 0.001)", "X" },
    { "iterations", 0, 0, G_OPTION_ARG_STRING, &options->iterations,
      "Sammon iterations per phase (default 200)", "N" },
    { "triplet-alpha", 0, 0, G_OPTION_ARG_STRING, &options->triplet_alpha,
      "triplet method: degrees of freedom of the Student-t kernel (default 3)", "X" },
    { "triplet-guess", 0, 0, G_OPTION_ARG_STRING, &options->triplet_guess,
      "triplet method: share of each answer attributed to chance (default 0.9)", "X" },
    { "triplet-answers", 0, 0, G_OPTION_ARG_STRING, &options->triplet_answers,
      "triplet method: answers drawn per optimiser step (default 50)", "N" },
    { "triplet-iterations", 0, 0, G_OPTION_ARG_STRING, &options->triplet_iterations,
      "triplet method: optimiser steps per phase (default 3000)", "N" },
    { "triplet-first-iterations", 0, 0, G_OPTION_ARG_STRING, &options->triplet_first_iterations,
      "triplet method: optimiser steps of the first phase (default 3000)", "N" },
    { "triplet-rate", 0, 0, G_OPTION_ARG_STRING, &options->triplet_rate,
      "triplet method: Adam step size (default 0.1)", "X" },
    { NULL }
  };

  G_STATIC_ASSERT (G_N_ELEMENTS (entries) == G_N_ELEMENTS (options->entries));

  memset (options, 0, sizeof *options);
  memcpy (options->entries, entries, sizeof entries);
}

void
lk_cli_param_options_clear (LkCliParamOptions *options)
{
  char **fields[] = {
    &options->method, &options->budget, &options->phases, &options->seed, &options->nq,
    &options->nc, &options->k, &options->dim, &options->beta, &options->epsilon,
    &options->iterations, &options->triplet_alpha, &options->triplet_guess,
    &options->triplet_answers, &options->triplet_iterations, &options->triplet_first_iterations,
    &options->triplet_rate,
  };

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    g_clear_pointer (fields[i], g_free);
}

static gboolean
apply_uint (const char *option,
            const char *text,
            guint64     min,
            guint64     max,
            guint      *field,
            GError    **error)
{
  guint64 v;

  if (text == NULL)
    return TRUE;
  if (!lk_cli_parse_uint (option, text, min, max, &v, error))
    return FALSE;

  *field = (guint) v;
  return TRUE;
}

/**
 * lk_cli_param_options_apply:
 * @options: parsed options
 * @params: parameters to change where an option was given
 * @method: (inout): the method, replaced if --method was given
 * @error: return location for a #GError naming the option and what is allowed
 *
 * Returns: %TRUE if every given option was valid
 */
gboolean
lk_cli_param_options_apply (const LkCliParamOptions  *options,
                            LkParams                 *params,
                            const LkMethodType      **method,
                            GError                  **error)
{
  guint64 seed;

  if (!apply_uint ("--budget", options->budget, 1, 10000000, &params->budget, error) ||
      !apply_uint ("--phases", options->phases, 1, 100000, &params->phases, error) ||
      !apply_uint ("--nq", options->nq, 2, 1000, &params->nq, error) ||
      !apply_uint ("--nc", options->nc, 2, 32, &params->nc, error) ||
      !apply_uint ("--k", options->k, 1, 100000, &params->knn_k, error) ||
      !apply_uint ("--dim", options->dim, 1, 64, &params->dim, error) ||
      !apply_uint ("--iterations", options->iterations, 1, 100000, &params->iterations, error) ||
      !apply_uint ("--triplet-answers", options->triplet_answers, 1, 100000,
                   &params->triplet_answers, error) ||
      !apply_uint ("--triplet-iterations", options->triplet_iterations, 1, 1000000,
                   &params->triplet_iterations, error) ||
      !apply_uint ("--triplet-first-iterations", options->triplet_first_iterations, 1, 1000000,
                   &params->triplet_first_iterations, error))
    return FALSE;

  if (options->seed != NULL)
    {
      if (!lk_cli_parse_uint ("--seed", options->seed, 0, G_MAXUINT32, &seed, error))
        return FALSE;
      params->seed = seed;
    }

  if ((options->beta != NULL &&
       !lk_cli_parse_double ("--beta", options->beta, 1.0 + 1e-9, 1e6, &params->beta, error)) ||
      (options->epsilon != NULL &&
       !lk_cli_parse_double ("--epsilon", options->epsilon, 1e-12, 1.0, &params->epsilon, error)) ||
      (options->triplet_alpha != NULL &&
       !lk_cli_parse_double ("--triplet-alpha", options->triplet_alpha, 1e-3, 1e6,
                             &params->triplet_alpha, error)) ||
      (options->triplet_guess != NULL &&
       !lk_cli_parse_double ("--triplet-guess", options->triplet_guess, 0.0, 0.99,
                             &params->triplet_guess, error)) ||
      (options->triplet_rate != NULL &&
       !lk_cli_parse_double ("--triplet-rate", options->triplet_rate, 1e-6, 1.0,
                             &params->triplet_rate, error)))
    return FALSE;

  if (options->method != NULL)
    {
      const LkMethodType *found = lk_method_lookup (options->method);

      if (found == NULL)
        {
          g_autoptr(GString) msg = g_string_new (NULL);
          const LkMethodType **methods;
          guint n;

          methods = lk_method_list (&n);
          for (guint i = 0; i < n; i++)
            g_string_append_printf (msg, "%s %s", i ? "," : "", methods[i]->name);
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       "--method: unknown method '%s'; available:%s", options->method, msg->str);
          return FALSE;
        }
      *method = found;
    }

  return TRUE;
}

/* Prints a usage error for @command; returns the exit status for it. */
int
lk_cli_usage_error (const char *command,
                    const char *message)
{
  fprintf (stderr, "likeness-cli %s: %s\n", command, message);
  fprintf (stderr, "Run 'likeness-cli %s --help' for the options.\n", command);
  return LK_CLI_EXIT_USAGE;
}

/* Prints @error for @command; returns the exit status for a failure. */
int
lk_cli_failure (const char   *command,
                const GError *error)
{
  fprintf (stderr, "likeness-cli %s: %s\n", command, error->message);
  return LK_CLI_EXIT_FAILURE;
}

/* Parses @argv with @entries plus @extra_entries and checks that exactly @n_args positional
 * arguments remain; returns a GOptionContext on success, NULL after printing a usage error. */
GOptionContext *
lk_cli_parse (const char         *command,
              const char         *parameters,
              const char         *summary,
              const GOptionEntry *entries,
              const GOptionEntry *extra_entries,
              int                *argc,
              char             ***argv,
              int                 n_args,
              int                *status)
{
  g_autoptr(GOptionContext) context = g_option_context_new (parameters);
  g_autoptr(GError) error = NULL;

  g_option_context_set_summary (context, summary);
  if (entries != NULL)
    g_option_context_add_main_entries (context, entries, NULL);
  if (extra_entries != NULL)
    g_option_context_add_main_entries (context, extra_entries, NULL);

  if (!g_option_context_parse (context, argc, argv, &error))
    {
      *status = lk_cli_usage_error (command, error->message);
      return NULL;
    }
  if (*argc - 1 != n_args)
    {
      g_autofree char *msg = NULL;

      if (*argc - 1 < n_args)
        msg = g_strdup_printf ("expected %s", parameters);
      else
        msg = g_strdup_printf ("unexpected argument '%s'; expected %s", (*argv)[n_args + 1],
                               parameters);
      *status = lk_cli_usage_error (command, msg);
      return NULL;
    }

  return g_steal_pointer (&context);
}
