/* lk-crowd-private.h — what lk-crowd.c and lk-crowd-import.c share
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "lk-store-private.h"

G_BEGIN_DECLS

gboolean lk_crowd_insert_row (LkStore     *store,
                              gint64      *rowid,
                              const char  *doing,
                              GError     **error,
                              const char  *sql,
                              const char  *types,
                              ...);

G_END_DECLS
