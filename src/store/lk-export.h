/* lk-export.h — the study as files for R or pandas: tidy answers, pairs, JSON, embedding, k-NN
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "lk-store.h"

G_BEGIN_DECLS

/* The tidy CSV's header: one row per answer x grid position. */
#define LK_EXPORT_TIDY_HEADER \
  "answer,participant,session,query,phase,position,item,path,bin,shown_us,submitted_us," \
  "gold,repeat_of"

/* The tidy CSV's header as written before the gold and repeat_of columns; the import reads
 * either. */
#define LK_EXPORT_TIDY_HEADER_V1 \
  "answer,participant,session,query,phase,position,item,path,bin,shown_us,submitted_us"

/* The trials CSV's header: one row per trial x image shown (lk-export-trials.c). */
#define LK_EXPORT_TRIALS_HEADER \
  "answer,participant,session,query,kind,block,group,phase,position,item,path,role,side,key," \
  "chosen,choice,shown_us,submitted_us"

gboolean    lk_export_answers_csv   (LkStore      *store,
                                     const char   *path,
                                     GError      **error);
gboolean    lk_export_pairs_csv     (LkStore      *store,
                                     const char   *path,
                                     GError      **error);
gboolean    lk_export_json          (LkStore      *store,
                                     const char   *path,
                                     GError      **error);
gboolean    lk_export_embedding_csv (LkStore      *store,
                                     const char   *path,
                                     GError      **error);
gboolean    lk_export_knn_csv       (LkStore      *store,
                                     guint         k,
                                     const char   *path,
                                     GError      **error);
gboolean    lk_export_model_csv     (LkStore      *store,
                                     const char   *path,
                                     GError      **error);
gboolean    lk_export_model_json    (LkStore      *store,
                                     const char   *path,
                                     GError      **error);
gboolean    lk_export_trials_csv    (LkStore      *store,
                                     const char   *path,
                                     GError      **error);
gboolean    lk_export_trials_json   (LkStore      *store,
                                     const char   *path,
                                     GError      **error);
gboolean    lk_export_participants_csv (LkStore   *store,
                                     const char   *path,
                                     GError      **error);
gboolean    lk_export_gold_csv      (LkStore      *store,
                                     const char   *path,
                                     GError      **error);
gboolean    lk_export_group_names_csv (LkStore    *store,
                                     const char   *path,
                                     GError      **error);
guint       lk_export_import_trials (LkStore      *store,
                                     const char   *path,
                                     guint        *n_skipped,
                                     GError      **error);
guint       lk_export_import_answers (LkStore     *store,
                                      const char  *path,
                                      guint       *n_skipped,
                                      GError     **error);

char      **lk_export_parse_csv_line (const char  *line,
                                      GError     **error) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
