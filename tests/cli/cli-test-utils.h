/* cli-test-utils.h — running the built likeness-cli from a test
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  char *out;
  char *err;
  int   status;
} CliRun;

void cli_run_clear (CliRun     *r);
void cli_run       (CliRun     *r,
                    const char *first,
                    ...) G_GNUC_NULL_TERMINATED;

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CliRun, cli_run_clear)

GHashTable *cli_answer_ids  (const char *study);
void        cli_make_images (const char *images,
                             guint       n);

G_END_DECLS
