/* lk-cli.h — the subcommands of likeness-cli
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include <json-glib/json-glib.h>

#include "lk-core.h"
#include "lk-session-settings.h"

G_BEGIN_DECLS

/* Exit codes: 0 success, 1 failure while running, 2 bad arguments (so that a script can tell a
 * misuse from a failure). */
#define LK_CLI_EXIT_FAILURE 1
#define LK_CLI_EXIT_USAGE   2

int      lk_cli_simulate   (int          argc,
                            char       **argv);
int      lk_cli_create     (int          argc,
                            char       **argv);
int      lk_cli_import     (int          argc,
                            char       **argv);
int      lk_cli_info       (int          argc,
                            char       **argv);
int      lk_cli_participants (int        argc,
                             char     **argv);
int      lk_cli_export     (int          argc,
                            char       **argv);
int      lk_cli_import_answers (int      argc,
                                char   **argv);
int      lk_cli_import_trials (int       argc,
                               char    **argv);
int      lk_cli_answer     (int          argc,
                            char       **argv);
int      lk_cli_simulate_study (int      argc,
                                char   **argv);
int      lk_cli_judge      (int          argc,
                            char       **argv);
int      lk_cli_copy       (int          argc,
                            char       **argv);
int      lk_cli_check      (int          argc,
                            char       **argv);
int      lk_cli_settings   (int          argc,
                            char       **argv);
int      lk_cli_score      (int          argc,
                            char       **argv);
int      lk_cli_aggregate  (int          argc,
                            char       **argv);
int      lk_cli_crowd_export (int        argc,
                              char     **argv);
int      lk_cli_crowd_import (int        argc,
                              char     **argv);
int      lk_cli_gold       (int          argc,
                            char       **argv);

/* Lab studies in PostgreSQL (lk-cli-lab.c; built when libpq is found, LK_HAVE_LAB). */
int      lk_cli_pg_push    (int          argc,
                            char       **argv);
int      lk_cli_pg_pull    (int          argc,
                            char       **argv);
int      lk_cli_lab_info   (int          argc,
                            char       **argv);
int      lk_cli_lab_check  (int          argc,
                            char       **argv);
int      lk_cli_lab_answer_command (int  argc,
                                    char **argv);
int      lk_cli_lab_export (int          argc,
                            char       **argv);
int      lk_cli_lab_settings (int        argc,
                              char     **argv);

/* The method and its parameters, as options shared by `simulate` and `create`. */
typedef struct {
  char *method;
  char *budget, *phases, *seed, *nq, *nc, *k, *dim, *beta, *epsilon, *iterations;
  char *triplet_alpha, *triplet_guess, *triplet_answers, *triplet_iterations;
  char *triplet_first_iterations, *triplet_rate;
  GOptionEntry entries[18];
} LkCliParamOptions;

void     lk_cli_param_options_init  (LkCliParamOptions        *options);
void     lk_cli_param_options_clear (LkCliParamOptions        *options);
gboolean lk_cli_param_options_apply (const LkCliParamOptions  *options,
                                     LkParams                 *params,
                                     const LkMethodType      **method,
                                     GError                  **error);

int             lk_cli_usage_error (const char          *command,
                                    const char          *message);
int             lk_cli_failure     (const char          *command,
                                    const GError        *error);
GOptionContext *lk_cli_parse       (const char          *command,
                                    const char          *parameters,
                                    const char          *summary,
                                    const GOptionEntry  *entries,
                                    const GOptionEntry  *extra_entries,
                                    int                 *argc,
                                    char              ***argv,
                                    int                  n_args,
                                    int                 *status);

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

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (LkCliParamOptions, lk_cli_param_options_clear)

/* The session settings, as options of `create` (lk-cli-settings.c). */
typedef struct {
  char     *grids, *practice, *break_every;
  gboolean  all_placed;
  char     *consent_file, *instructions_file, *passphrase_file, *plan;
  GOptionEntry entries[9];
} LkCliSettingOptions;

void     lk_cli_setting_options_init  (LkCliSettingOptions        *options);
void     lk_cli_setting_options_clear (LkCliSettingOptions        *options);
gboolean lk_cli_setting_options_apply (const LkCliSettingOptions  *options,
                                       LkSessionSettings          *settings,
                                       GError                    **error);
/* The session settings' keys, for the help of `settings` on a study file and on a lab study. */
#define LK_CLI_SETTINGS_KEYS \
  "grids-per-participant, practice-grids, break-every, all-placed, consent, instructions, " \
  "passphrase, plan (blocks KIND:COUNT[:PRACTICE], e.g. sort:30,triplet:20 or " \
  "training:5,exam:3,sort:30), min-consistency and min-gold-score (below these a participant " \
  "is flagged; defaults 0.3 and 80), pass-mark (the exam's, default 80), choice5-policy " \
  "(random, pair or model-vs-model: the forced choices' candidates), repeat-share and " \
  "gold-share (the shares of a participant's grids shown again and of exam grids mixed in; " \
  "defaults 0.05 and 0), group-names (participants name each group they sort) and palette " \
  "(sort by picking a bin's colour, then clicking images)."

gboolean lk_cli_setting_assign        (LkSessionSettings          *settings,
                                       const char                 *assignment,
                                       GError                    **error);
void     lk_cli_print_settings        (const LkSessionSettings    *settings,
                                       const char                 *indent,
                                       JsonBuilder                *b);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (LkCliSettingOptions, lk_cli_setting_options_clear)

G_END_DECLS
