/* lab-test-utils.h — what the lab tests share (run inside pg-cluster.sh)
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "lk-lab-private.h"

G_BEGIN_DECLS

extern char *lab_test_study_path;

char    *lab_test_make_study    (const char       *template);
void     lab_test_remove_study  (const char       *dir);
char    *lab_test_admin         (const char       *db,
                                 const char       *sql);
guint64  lab_test_count         (const char       *db,
                                 const char       *sql);
char    *lab_test_study         (const char       *db);
gint64   lab_test_one_grid      (const char       *db);
LkLab   *lab_test_station       (const char       *conninfo,
                                 const char       *name,
                                 gint64           *session);
void     lab_test_claim_polling (LkLab            *lab,
                                 gint64            session,
                                 double            lease,
                                 LkLabClaim       *claim);
LkQuery *lab_test_answered      (LkLab            *lab,
                                 const LkLabClaim *claim);
void     lab_test_server_stop   (void);
void     lab_test_server_start  (void);
guint    lab_test_pull_and_replay (LkLab          *lab);

G_END_DECLS
