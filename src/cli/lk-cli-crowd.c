/* lk-cli-crowd.c — likeness-cli crowd-export and crowd-import: a batch of grids for Toloka or
 * Mechanical Turk, and its results file read back (src/store/lk-crowd.c)
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "lk-cli.h"
#include "lk-crowd.h"
#include "lk-store.h"

int
lk_cli_crowd_export (int    argc,
                     char **argv)
{
  g_autofree char *platform_text = NULL, *grids_text = NULL, *base_url = NULL, *out = NULL;
  const GOptionEntry entries[] = {
    { "platform", 0, 0, G_OPTION_ARG_STRING, &platform_text,
      "toloka (tasks.json, palette page) or mturk (input.csv)", "PLATFORM" },
    { "grids", 0, 0, G_OPTION_ARG_STRING, &grids_text, "how many of the study's next grids", "N" },
    { "base-url", 0, 0, G_OPTION_ARG_STRING, &base_url,
      "the address where the batch's images/ folder will be uploaded", "URL" },
    { "out", 'o', 0, G_OPTION_ARG_FILENAME, &out, "a new or empty folder for the batch", "DIR" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(LkStore) store = NULL;
  g_autoptr(GError) error = NULL;
  LkCrowdPlatform platform;
  LkCrowdExport result;
  guint64 n_grids;
  int status = 0;

  context = lk_cli_parse ("crowd-export", "STUDY",
                   "Writes the study's next grids as a batch for a crowd platform: the task "
                   "file, task.html, the images named by content hash in images/ and the "
                   "manifest batch.json. The grids are then no longer served in the lab.",
                   entries, NULL, &argc, &argv, 1, &status);
  if (context == NULL)
    return status;
  if (platform_text == NULL || !lk_crowd_platform_from_string (platform_text, &platform))
    return lk_cli_usage_error ("crowd-export", "--platform must be toloka or mturk");
  if (grids_text == NULL)
    return lk_cli_usage_error ("crowd-export", "--grids N is missing: how many grids the batch holds");
  if (!lk_cli_parse_uint ("--grids", grids_text, 1, 100000, &n_grids, &error))
    return lk_cli_usage_error ("crowd-export", error->message);
  if (base_url == NULL)
    return lk_cli_usage_error ("crowd-export", "--base-url URL is missing: where images/ will be "
                               "uploaded, e.g. https://example.org/batch1");
  if (out == NULL)
    return lk_cli_usage_error ("crowd-export", "--out DIR is missing: a new or empty folder");

  store = lk_store_open (argv[1], LK_STORE_OPEN_DEFAULT, &error);
  if (store == NULL)
    return lk_cli_failure ("crowd-export", error);
  if (!lk_crowd_export (store, platform, n_grids, base_url, out, &result, &error))
    return lk_cli_failure ("crowd-export", error);

  printf ("exported %u grids for %s to %s (batch %" G_GINT64_FORMAT "): %s, task.html, batch.json, "
          "images/; upload images/ to %s\n", result.n_grids, lk_crowd_platform_to_string (platform),
          out, result.batch, platform == LK_CROWD_TOLOKA ? "tasks.json" : "input.csv", base_url);
  return 0;
}

int
lk_cli_crowd_import (int    argc,
                     char **argv)
{
  g_autofree char *platform_text = NULL, *status_text = NULL;
  const GOptionEntry entries[] = {
    { "platform", 0, 0, G_OPTION_ARG_STRING, &platform_text,
      "toloka or mturk (default: told from the file's header)", "PLATFORM" },
    { "status", 0, 0, G_OPTION_ARG_STRING, &status_text,
      "approved (default: assignments not yet reviewed are left for a later import) or all; "
      "rejected ones are stored either way and left out of the model", "approved|all" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(LkStore) store = NULL;
  g_autoptr(GError) error = NULL;
  LkCrowdStatusFilter filter = LK_CROWD_STATUS_APPROVED;
  LkCrowdPlatform platform;
  LkCrowdImport result;
  int status = 0;

  context = lk_cli_parse ("crowd-import", "STUDY FILE",
                   "Adds the answers of a crowd batch from the platform's results file (Toloka's "
                   "TSV, or Mechanical Turk's batch results CSV), all or none. Workers become "
                   "participants toloka:ID or mturk:ID; an assignment already imported is not "
                   "added again.",
                   entries, NULL, &argc, &argv, 2, &status);
  if (context == NULL)
    return status;
  if (platform_text != NULL && !lk_crowd_platform_from_string (platform_text, &platform))
    return lk_cli_usage_error ("crowd-import", "--platform must be toloka or mturk");
  if (status_text != NULL && strcmp (status_text, "all") == 0)
    filter = LK_CROWD_STATUS_ALL;
  else if (status_text != NULL && strcmp (status_text, "approved") != 0)
    return lk_cli_usage_error ("crowd-import", "--status must be approved or all");

  store = lk_store_open (argv[1], LK_STORE_OPEN_DEFAULT, &error);
  if (store == NULL)
    return lk_cli_failure ("crowd-import", error);
  if (!lk_crowd_import (store, argv[2], platform_text != NULL ? &platform : NULL, filter, &result,
                        &error))
    return lk_cli_failure ("crowd-import", error);

  printf ("%u answers imported, %u already present", result.imported, result.present);
  if (result.rejected > 0)
    printf ("; %u of them rejected: stored, left out of the model", result.rejected);
  if (result.unreviewed > 0)
    printf ("; %u not yet reviewed left out (import again once reviewed, or use --status all)",
            result.unreviewed);
  printf ("\n");
  return 0;
}
