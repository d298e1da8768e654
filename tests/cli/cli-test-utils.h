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

/* A temporary folder with a folder of images (cli_make_images()) and the paths of a study and
 * of a copy to damage in it; the test data of g_test_add() is the folder's name template. */
typedef struct {
  char *dir;
  char *images;
  char *study;
  char *damaged;
} CliFixture;

#define CLI_FIXTURE_IMAGES 24

void        cli_fixture_setup    (CliFixture    *f,
                                  gconstpointer  data);
void        cli_fixture_teardown (CliFixture    *f,
                                  gconstpointer  data);

GHashTable *cli_answer_ids  (const char *study);
void        cli_make_images (const char *images,
                             guint       n);

G_END_DECLS
