/* lk-lab-private.h — what the lab layer's own files (and its tests) share
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <libpq-fe.h>
#include <sqlite3.h>

#include "lk-lab.h"

G_BEGIN_DECLS

/* Called by lk_lab_submit() after its INSERTs and before its COMMIT; the tests use it to kill
 * the connection at the worst moment. */
typedef void (*LkLabSubmitHook) (LkLab    *lab,
                                 gpointer  user_data);

/* Advisory-lock keys reserved for Likeness (the second key is the study's lab.refiner_key, so
 * studies in one cluster never share a lock): "LKNS", the refiner's session lock; "LKNT", taken
 * shared by every submit and exclusively by the store of a phase, so that no answer lands in a
 * phase while it is being closed. */
#define LK_LAB_REFINER_LOCK 0x4C4B4E53
#define LK_LAB_PHASE_LOCK   0x4C4B4E54

struct _LkLab {
  char            *conninfo;
  char            *station;
  PGconn          *conn;
  LkLabSubmitHook  submit_hook;
  gpointer         submit_hook_data;
};

PGconn   *lk_lab_get_conn       (LkLab        *self);
PGresult *lk_lab_exec           (LkLab        *self,
                                 const char   *doing,
                                 GError      **error,
                                 const char   *sql,
                                 int           n_params,
                                 ...) G_GNUC_WARN_UNUSED_RESULT;
gboolean  lk_lab_run            (LkLab        *self,
                                 const char   *doing,
                                 GError      **error,
                                 const char   *sql,
                                 int           n_params,
                                 ...);
void      lk_lab_set_result_error (LkLab      *self,
                                   PGresult   *res,
                                   const char *doing,
                                   GError    **error);
void      lk_lab_rollback       (LkLab        *self);
gboolean  lk_lab_schema_create  (LkLab        *self,
                                 GError      **error);
gboolean  lk_lab_schema_notify  (LkLab        *self,
                                 GError      **error);
void      lk_lab_set_submit_hook (LkLab          *self,
                                  LkLabSubmitHook hook,
                                  gpointer        user_data);

/* lk-lab-station.c */
gboolean  lk_lab_sweep_expired  (LkLab        *self,
                                 GError      **error);

/* lk-lab-copy.c */
gboolean  lk_lab_push_rows      (LkLab        *self,
                                 sqlite3      *db,
                                 const char   *table,
                                 const char   *where,
                                 GError      **error);
gboolean  lk_lab_prepare_copy   (const char   *copy,
                                 GError      **error);
void      lk_lab_remove_tmpdir  (const char   *dir);

/* The study file's tables in an order that satisfies their foreign keys, and the ones whose id
 * the database makes for rows added by stations. */
extern const char *const lk_lab_study_tables[];
extern const guint lk_lab_n_study_tables;

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PGresult, PQclear)

G_END_DECLS
