/* lk-cli.h — the subcommands of likeness-cli
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Exit codes: 0 success, 1 failure while running, 2 bad arguments (as the issue asks). */
#define LK_CLI_EXIT_FAILURE 1
#define LK_CLI_EXIT_USAGE   2

int      lk_cli_simulate   (int          argc,
                            char       **argv);

gboolean lk_cli_parse_uint (const char  *option,
                            const char  *text,
                            guint64      min,
                            guint64      max,
                            guint64     *out,
                            GError     **error);
gboolean lk_cli_parse_double (const char *option,
                              const char *text,
                              double      min,
                              double      max,
                              double     *out,
                              GError    **error);

G_END_DECLS
