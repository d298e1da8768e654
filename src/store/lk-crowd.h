/* lk-crowd.h — crowd batches: grids handed to Toloka or Mechanical Turk, and their answers read back
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "lk-store.h"

G_BEGIN_DECLS

typedef enum {
  LK_CROWD_TOLOKA,
  LK_CROWD_MTURK,
} LkCrowdPlatform;

/* Which assignments an import stores: approved ones only (what a platform pays for), or every
 * reviewed and unreviewed one. Rejected assignments are stored either way, left out of the model. */
typedef enum {
  LK_CROWD_STATUS_APPROVED,
  LK_CROWD_STATUS_ALL,
} LkCrowdStatusFilter;

typedef struct {
  guint       n_grids;
  gint64      batch;
} LkCrowdExport;

typedef struct {
  LkCrowdPlatform platform;
  guint           imported;     /* new answers stored, rejected ones included */
  guint           present;      /* assignments the study already held */
  guint           rejected;     /* of @imported: stored but left out of the model */
  guint           unreviewed;   /* submitted, not yet approved: left out under the default filter */
} LkCrowdImport;

const char *lk_crowd_platform_to_string   (LkCrowdPlatform      platform);
gboolean    lk_crowd_platform_from_string (const char          *text,
                                           LkCrowdPlatform     *platform);

gboolean    lk_crowd_export               (LkStore             *store,
                                           LkCrowdPlatform      platform,
                                           guint                n_grids,
                                           const char          *base_url,
                                           const char          *dir,
                                           LkCrowdExport       *result,
                                           GError             **error);
gboolean    lk_crowd_import               (LkStore             *store,
                                           const char          *path,
                                           const LkCrowdPlatform *platform,
                                           LkCrowdStatusFilter  filter,
                                           LkCrowdImport       *result,
                                           GError             **error);


G_END_DECLS
