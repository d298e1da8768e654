/* lk-store.h — a study file (.likeness, SQLite): open, create, participants, sessions
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "lk-method.h"
#include "lk-params.h"

G_BEGIN_DECLS

#define LK_STORE_ERROR (lk_store_error_quark ())

/**
 * LkStoreError:
 * @LK_STORE_ERROR_FAILED: anything else; the message says what
 * @LK_STORE_ERROR_NOT_FOUND: the file (or a row asked for) does not exist
 * @LK_STORE_ERROR_EXISTS: creating a study over an existing file
 * @LK_STORE_ERROR_NOT_A_STUDY: the file is not a Likeness study
 * @LK_STORE_ERROR_DAMAGED: the file is a study but its content is corrupt
 * @LK_STORE_ERROR_TOO_NEW: written by a newer Likeness; left untouched
 * @LK_STORE_ERROR_LOCKED: another process (or handle) has the study open for writing
 * @LK_STORE_ERROR_READ_ONLY: the file, its folder or the handle cannot be written
 * @LK_STORE_ERROR_MOVED: the file was deleted or replaced while open
 * @LK_STORE_ERROR_DISK_FULL: no space left for the write
 * @LK_STORE_ERROR_IO: the operating system reported an I/O error
 * @LK_STORE_ERROR_INVALID: the request does not fit the study (unknown query, already answered…)
 * @LK_STORE_ERROR_PARSE: an imported file has bad rows
 * @LK_STORE_ERROR_UNFINISHED: the study's creation was interrupted before all its images were
 *   imported; the message says how to finish it
 */
typedef enum {
  LK_STORE_ERROR_FAILED,
  LK_STORE_ERROR_NOT_FOUND,
  LK_STORE_ERROR_EXISTS,
  LK_STORE_ERROR_NOT_A_STUDY,
  LK_STORE_ERROR_DAMAGED,
  LK_STORE_ERROR_TOO_NEW,
  LK_STORE_ERROR_LOCKED,
  LK_STORE_ERROR_READ_ONLY,
  LK_STORE_ERROR_MOVED,
  LK_STORE_ERROR_DISK_FULL,
  LK_STORE_ERROR_IO,
  LK_STORE_ERROR_INVALID,
  LK_STORE_ERROR_PARSE,
  LK_STORE_ERROR_UNFINISHED,
} LkStoreError;

/**
 * LkStoreOpenFlags:
 * @LK_STORE_OPEN_DEFAULT: open for writing, taking the study's lock
 * @LK_STORE_OPEN_READ_ONLY: open for reading only, without the lock (info, export, check)
 * @LK_STORE_OPEN_UNCHECKED: open a file even if it holds values the code cannot use, only to
 *   run lk_store_check() on it (every other open refuses such a file with %LK_STORE_ERROR_DAMAGED)
 * @LK_STORE_OPEN_UNFINISHED: open a study whose creation was not finished (to finish it with an
 *   import, or to describe it); every other open refuses it with %LK_STORE_ERROR_UNFINISHED
 */
typedef enum {
  LK_STORE_OPEN_DEFAULT   = 0,
  LK_STORE_OPEN_READ_ONLY = 1 << 0,
  LK_STORE_OPEN_UNCHECKED = 1 << 1,
  LK_STORE_OPEN_UNFINISHED = 1 << 2,
} LkStoreOpenFlags;

/**
 * LkStoreCounts:
 * @images: images in the collection
 * @missing_images: images whose file was not found at the last import
 * @queries: sorting grids stored (drawn, or with an imported answer)
 * @pending: queries drawn and not yet answered or abandoned
 * @answers: sorting answers stored
 * @participants: participants
 * @sessions: sessions
 * @phases_done: completed phases (each with a stored embedding)
 * @served: queries shown to a participant and not yet answered (a part of @pending)
 * @answered: queries answered
 * @abandoned: queries given up
 * @trials: answered trials of the tasks other than sorting (schema 7)
 * @exam_answers: answers to the known answers of an exam block (query kind `exam`; a training
 *   block's are not stored): not in @answers, nor in the budget
 * @check_answers: the part of @answers that checks its participant (a grid shown again, a
 *   catch grid: LK_STORE_SQL_IS_CHECK), in the budget but never in the model
 */
typedef struct {
  guint images;
  guint missing_images;
  guint queries;
  guint pending;
  guint answers;
  guint participants;
  guint sessions;
  guint phases_done;
  guint served;
  guint answered;
  guint abandoned;
  guint trials;
  guint exam_answers;
  guint check_answers;
} LkStoreCounts;

/**
 * LkStoreParticipant:
 * @code: the participant's pseudonymous code
 * @pilot: whether their answers are pilot data
 * @answers: answers they gave
 */
typedef struct {
  char     *code;
  gboolean  pilot;
  guint     answers;
} LkStoreParticipant;

typedef struct _LkStore LkStore;

/* The schema version this build writes; files with a higher PRAGMA user_version are refused. */
#define LK_STORE_SCHEMA_VERSION 9

GQuark              lk_store_error_quark     (void);

LkStore            *lk_store_create          (const char         *path,
                                              const LkParams     *params,
                                              const LkMethodType *method,
                                              GError            **error) G_GNUC_WARN_UNUSED_RESULT;
LkStore            *lk_store_create_unfinished (const char         *path,
                                                const LkParams     *params,
                                                const LkMethodType *method,
                                                const char         *folder,
                                                gboolean            choose_k,
                                                GError            **error) G_GNUC_WARN_UNUSED_RESULT;
const char         *lk_store_get_unfinished  (const LkStore      *self,
                                              gboolean           *choose_k);
char               *lk_store_unfinished_message (const char      *path,
                                                 const char      *folder) G_GNUC_WARN_UNUSED_RESULT;
LkStore            *lk_store_open            (const char         *path,
                                              LkStoreOpenFlags    flags,
                                              GError            **error) G_GNUC_WARN_UNUSED_RESULT;
void                lk_store_close           (LkStore            *self);

const char         *lk_store_get_path        (const LkStore      *self);
gboolean            lk_store_is_read_only    (const LkStore      *self);
guint               lk_store_get_opened_version (const LkStore   *self);
const LkParams     *lk_store_get_params      (const LkStore      *self);
const LkMethodType *lk_store_get_method      (const LkStore      *self);
gboolean            lk_store_set_params      (LkStore            *self,
                                              const LkParams     *params,
                                              GError            **error);
gboolean            lk_store_fit_params      (LkStore            *self,
                                              gboolean            choose_k,
                                              GError            **error);
gboolean            lk_store_get_counts      (LkStore            *self,
                                              LkStoreCounts      *counts,
                                              GError            **error);
gboolean            lk_store_get_n_images    (LkStore            *self,
                                              guint              *n_images,
                                              GError            **error);
gboolean            lk_store_check           (LkStore            *self,
                                              char              **report,
                                              GError            **error);
gboolean            lk_store_save_copy       (LkStore            *self,
                                              const char         *path,
                                              GError            **error);
gboolean            lk_store_is_moved        (LkStore            *self);
char               *lk_store_rescue          (LkStore            *self,
                                              GError            **error) G_GNUC_WARN_UNUSED_RESULT;

char               *lk_store_get_setting     (LkStore            *self,
                                              const char         *key,
                                              GError            **error) G_GNUC_WARN_UNUSED_RESULT;
gboolean            lk_store_set_setting     (LkStore            *self,
                                              const char         *key,
                                              const char         *value,
                                              GError            **error);

gint64              lk_store_add_participant (LkStore            *self,
                                              const char         *code,
                                              gboolean            consent,
                                              gboolean            pilot,
                                              const char         *notes,
                                              GError            **error);
gint64              lk_store_find_participant (LkStore           *self,
                                               const char        *code);
GArray             *lk_store_list_participants (LkStore          *self,
                                                GError          **error) G_GNUC_WARN_UNUSED_RESULT;
void                lk_store_participant_clear (gpointer          participant);
gint64              lk_store_begin_session   (LkStore            *self,
                                              gint64              participant,
                                              const char         *station,
                                              GError            **error);
gboolean            lk_store_end_session     (LkStore            *self,
                                              gint64              session,
                                              GError            **error);
gboolean            lk_store_get_answer_times (LkStore           *self,
                                               GHashTable       **participants,
                                               GArray           **seconds,
                                               GError           **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LkStore, lk_store_close)

G_END_DECLS
