/* lk-store-private.h — what the store's own files share: the connection, statements, writes
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <sqlite3.h>
#include <sys/types.h>

#include "lk-answers.h"
#include "lk-image-features.h"
#include "lk-judgements.h"
#include "lk-store.h"

G_BEGIN_DECLS

/* The application id in the SQLite header: "LkSt". Files with another id are not studies. */
#define LK_STORE_APPLICATION_ID 0x4C6B5374

/* An open study, shared by lk-store.c, lk-store-sql.c and lk-store-rows.c. */
struct _LkStore {
  char               *path;
  sqlite3            *db;
  int                 lock_fd;
  dev_t               dev;
  ino_t               ino;
  gboolean            read_only;
  guint               opened_version;
  LkParams            params;
  const LkMethodType *method;
  GHashTable         *statements;   /* sql → sqlite3_stmt */
  char               *unfinished;   /* the folder of a creation not finished, or NULL */
  gboolean            unfinished_choose_k;
};

/* The setting rows that mark a creation under way (lk_store_create_unfinished()): the folder
 * being imported, and whether k is to be chosen for it; lk_store_fit_params() removes them. */
/* The answers that teach the model, as an SQL condition on `answer a`: every stored answer but
 * those left out of it (a crowd platform's rejected assignments). The replay and the pair export
 * both use it, so the evidence exported is the evidence the model was given. */
#define LK_STORE_SQL_ANSWER_COUNTS \
  "a.id NOT IN (SELECT answer FROM crowd_assignment WHERE included = 0)"
/* ...and is not one of a participant left out of the model (lk-participants.c): left out by
 * the experimenter, or not qualified (failed the exam) */
#define LK_STORE_SQL_PARTICIPANTS_LEFT_OUT \
  "(SELECT participant FROM participant_excluded UNION " \
  "SELECT id FROM participant WHERE status = 'not_qualified')"
#define LK_STORE_SQL_ANSWER_IN_MODEL \
  "(a.participant IS NULL OR a.participant NOT IN " LK_STORE_SQL_PARTICIPANTS_LEFT_OUT ")"

/* Whether the query `q` is a trial of a task other than sorting (schema 7), as an SQL
 * condition: the readers of grids and bins leave trials out with it. */
/* The number of images, read from the end of the image table's rowid tree instead of a count
 * of its rows: lk_store_open()'s checks refuse a study whose items do not run from 0 to
 * n - 1 (and item is the INTEGER PRIMARY KEY). */
#define LK_STORE_SQL_N_IMAGES "SELECT COALESCE(MAX(item) + 1, 0) FROM image"

#define LK_STORE_SQL_IS_TRIAL "q.kind NOT IN ('sort', 'training', 'exam')"
/* Whether the query `q` is a participant's answer to a gold grid in a training or exam block
 * (lk_gold_save_answer()): stored and scored, but left out of the model. */
#define LK_STORE_SQL_IS_GOLD_TASK "q.kind IN ('training', 'exam')"

/* Whether the query `q` checks its participant rather than teaching the model: a grid shown
 * again (repeat_of) or one with a known answer (gold: catch, exam and training grids). Their
 * answers are the quality figures' (lk-participants.c), never evidence: a repeat would count
 * its grid twice, and a known answer is the experimenter's choice of grid, not the refiner's. */
#define LK_STORE_SQL_IS_CHECK "(q.repeat_of IS NOT NULL OR q.gold IS NOT NULL)"

#define LK_STORE_UNFINISHED_FOLDER "creation.unfinished"
#define LK_STORE_UNFINISHED_CHOOSE_K "creation.choose_k"

sqlite3      *lk_store_get_db           (LkStore      *self);
/* lk-store.c: the study's UUID, which only the tests read so far */
char         *lk_store_get_uuid         (LkStore      *self) G_GNUC_WARN_UNUSED_RESULT;
sqlite3_stmt *lk_store_prepare          (LkStore      *self,
                                         const char   *sql,
                                         GError      **error);
gboolean      lk_store_exec             (LkStore      *self,
                                         const char   *sql,
                                         GError      **error);
void          lk_store_set_sqlite_error (sqlite3      *db,
                                         const char   *path,
                                         GError      **error,
                                         int           rc,
                                         const char   *doing);
void          lk_store_set_error        (LkStore      *self,
                                         GError      **error,
                                         int           rc,
                                         const char   *doing);
gboolean      lk_store_query_int        (LkStore      *self,
                                         const char   *sql,
                                         gint64        arg,
                                         gint64       *value,
                                         GError      **error);
GArray       *lk_store_query_ids        (LkStore      *self,
                                         const char   *sql,
                                         gint64        arg,
                                         const char   *doing,
                                         GError      **error) G_GNUC_WARN_UNUSED_RESULT;
gboolean      lk_store_write_begin      (LkStore      *self,
                                         GError      **error);
gboolean      lk_store_write_commit     (LkStore      *self,
                                         const char   *doing,
                                         GError      **error);
void          lk_store_write_rollback   (LkStore      *self);
gboolean      lk_store_write_row        (LkStore      *self,
                                         gint64       *rowid,
                                         const char   *missing,
                                         const char   *doing,
                                         GError      **error,
                                         const char   *sql,
                                         const char   *types,
                                         ...);
gboolean      lk_store_insert_row       (LkStore      *store,
                                         gint64       *rowid,
                                         const char   *doing,
                                         GError      **error,
                                         const char   *sql,
                                         const char   *types,
                                         ...);
char         *lk_store_now_iso8601      (void) G_GNUC_WARN_UNUSED_RESULT;
gboolean      lk_store_step_done        (LkStore      *store,
                                         sqlite3_stmt *stmt,
                                         const char   *doing,
                                         GError      **error);
GPtrArray    *lk_collection_load_paths  (LkStore      *store,
                                         GError      **error);

/* lk-answers.c, for the replay in lk-replay.c */
GArray       *lk_answers_load_items     (LkStore      *store,
                                         gint64        query,
                                         GError      **error) G_GNUC_WARN_UNUSED_RESULT;
gboolean      lk_answers_store_phase_counted (LkStore             *store,
                                         const LkRefiner     *refiner,
                                         const LkUpdateStats *stats,
                                         guint                n_answers,
                                         GPtrArray           *batch,
                                         GArray             **ids,
                                         GError             **error);

/* lk-answers-trial.c, for lk_store_check() */
gboolean      lk_answers_check_trials   (LkStore      *store,
                                         GString      *problems,
                                         guint         max_lines,
                                         GError      **error);

/* lk-answers-trial.c, inside a transaction already begun */
gint64        lk_answers_insert_trial   (LkStore      *store,
                                         const LkTrial *trial,
                                         gint64        session,
                                         guint         block,
                                         gint64        shown_us,
                                         gint64        submitted_us,
                                         const char   *source,
                                         GError      **error);

/* lk-answers.c, inside a transaction already begun */
gint64        lk_answers_insert_query   (LkStore      *store,
                                         guint         phase,
                                         const char   *policy,
                                         guint         embedding_version,
                                         const char   *state,
                                         gboolean      drawn,
                                         const guint  *items,
                                         guint         n_items,
                                         GError      **error);
gint64        lk_answers_insert_answer  (LkStore      *store,
                                         gint64        query,
                                         const LkQuery *answer,
                                         gint64        session,
                                         gint64        shown_us,
                                         gint64        submitted_us,
                                         const char   *source,
                                         const LkMove *moves,
                                         guint         n_moves,
                                         GError      **error);

/* lk-answers.c: how lk_answers_save_marked() marks its query row */
typedef struct {
  const char *policy;
  gboolean    in_current_phase; /* embedding version: the completed phases; phase: the same, at most the last */
  const char *kind;             /* nullable: the query keeps its default kind */
  gint64      repeat_of;        /* 0: none */
  gint64      gold;             /* 0: none */
  const char *doing;            /* what marking it does, for its error */
} LkAnswersMark;

gint64        lk_answers_save_marked    (LkStore             *store,
                                         guint                phase,
                                         guint                embedding_version,
                                         const LkAnswersMark *mark,
                                         const LkQuery       *answer,
                                         gint64               session,
                                         gint64               shown_us,
                                         gint64               submitted_us,
                                         const LkMove        *moves,
                                         guint                n_moves,
                                         GError             **error);

/* lk-collection-decode.c: one image file read for the import */
typedef struct {
  char      *sha256;
  int        width;
  int        height;
  char      *format;
  GBytes    *png;
  int        thumb_width;
  int        thumb_height;
} LkDecodedImage;

gboolean      lk_collection_decode      (GFile           *file,
                                         LkDecodedImage  *out,
                                         char           **reason,
                                         GCancellable    *cancellable,
                                         GError         **error);
void          lk_collection_decoded_clear (LkDecodedImage *d);

/* lk-judgements.c, for the export in lk-judgements-export.c */
gint          lk_judging_seed_mark_of   (const LkJudgingSeed *seed,
                                         guint                item);

/* lk-image-features.c */
char         *lk_image_features_params  (LkFeatureKind kind) G_GNUC_WARN_UNUSED_RESULT;

/* lk-export.c: CSV fields and files, shared by every export */
void          lk_export_append_field    (GString      *out,
                                         const char   *text);
gboolean      lk_export_write_file      (GString      *out,
                                         const char   *path,
                                         GError      **error);
/* lk-export-quality.c: the participants' QC figures in the JSON export */
gboolean      lk_export_add_participants_json (LkStore             *store,
                                               struct _JsonBuilder *builder,
                                               GError             **error);
/* For the tests: @hook sees each export's private temporary before it is put in place
 * (temp_name is NULL while it has none) and fails the export by returning FALSE; @no_tmpfile
 * makes the export use a named temporary as where O_TMPFILE is not supported. */
typedef gboolean (*LkExportWriteHook) (int         fd,
                                       const char *temp_name,
                                       gpointer    user_data);
void          _lk_export_set_write_hook (LkExportWriteHook hook,
                                         gpointer          user_data,
                                         gboolean          no_tmpfile);

/* lk-store-params.c: the study's parameters, one param row per LkParams field */
typedef enum {
  LK_STORE_PARAM_UINT,
  LK_STORE_PARAM_UINT64,
  LK_STORE_PARAM_DOUBLE,
} LkStoreParamKind;

typedef struct {
  const char       *name;
  LkStoreParamKind  kind;
  gsize             offset;
  double            min;      /* the values the code can use, bounds included: anything else */
  double            max;      /* in a file is reported by lk_store_params_check() */
} LkStoreParamField;

const LkStoreParamField *lk_store_param_fields (guint      *n_fields);
gsize         lk_store_param_size       (LkStoreParamKind kind);
gboolean      lk_store_params_write     (LkStore      *store,
                                         const LkParams *params,
                                         GError      **error);
gboolean      lk_store_params_load      (LkStore      *store,
                                         LkParams     *params,
                                         GError      **error);
gboolean      lk_store_params_check     (LkStore      *store,
                                         GString      *problems,
                                         GError      **error);

/* lk-store-rows.c: every stored value the code cannot use, one line per row, appended to
 * @problems (bounded: a few lines per kind of problem) */
gboolean      lk_store_validate         (LkStore      *self,
                                         GString      *problems,
                                         GError      **error);

/* lk-store-schema.c */
gboolean      lk_store_schema_upgrade   (sqlite3      *db,
                                         guint         from,
                                         guint         to,
                                         GError      **error);

G_END_DECLS
