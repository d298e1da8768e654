/* lk-session.h — one participant's session: consent, practice, grids, breaks, saving
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "lk-grid-source.h"
#include "lk-image-source.h"
#include "lk-params.h"
#include "lk-plan.h"
#include "lk-refine-worker.h"
#include "lk-sort-model.h"

G_BEGIN_DECLS

/**
 * LkSessionState:
 * @LK_SESSION_CONSENT: the consent text is shown; nothing is recorded before it is accepted
 * @LK_SESSION_INSTRUCTIONS: how to sort, before the practice grids
 * @LK_SESSION_SORTING: a grid is shown (practice or recorded)
 * @LK_SESSION_PRACTICE_DONE: practice over, the recorded grids come next
 * @LK_SESSION_BREAK: a pause every few grids
 * @LK_SESSION_SAVE_FAILED: the last answer could not be saved; it is kept for a retry
 * @LK_SESSION_DONE: every grid answered
 * @LK_SESSION_DECLINED: consent refused; nothing was recorded
 * @LK_SESSION_COMPLETE: the study's budget was spent before the session began: no grid to sort
 * @LK_SESSION_FEEDBACK: after a training page: its known answer and the page's score, until
 *   lk_session_continue()
 * @LK_SESSION_NOT_QUALIFIED: the exam's mean score was below the pass mark: the participant is
 *   thanked and the session has ended (they are marked not qualified in the study)
 */
typedef enum {
  LK_SESSION_CONSENT,
  LK_SESSION_INSTRUCTIONS,
  LK_SESSION_SORTING,
  LK_SESSION_PRACTICE_DONE,
  LK_SESSION_BREAK,
  LK_SESSION_SAVE_FAILED,
  LK_SESSION_DONE,
  LK_SESSION_DECLINED,
  LK_SESSION_COMPLETE,
  LK_SESSION_FEEDBACK,
  LK_SESSION_NOT_QUALIFIED,
} LkSessionState;

GType lk_session_state_get_type (void) G_GNUC_CONST;

#define LK_SESSION_ERROR (lk_session_error_quark ())

/**
 * LkSessionError:
 * @LK_SESSION_ERROR_PARTICIPANT_DONE: the participant has sorted the grids a participant sorts
 * @LK_SESSION_ERROR_NO_GOLD: the plan has a training or exam block and the study has no gold
 *   grid for it
 * @LK_SESSION_ERROR_NOT_QUALIFIED: the participant failed the study's exam before
 *
 * Why lk_session_new() starts no session on a study that could otherwise run one.
 */
typedef enum {
  LK_SESSION_ERROR_PARTICIPANT_DONE,
  LK_SESSION_ERROR_NO_GOLD,
  LK_SESSION_ERROR_NOT_QUALIFIED,
} LkSessionError;

GQuark lk_session_error_quark (void);
#define LK_TYPE_SESSION_STATE (lk_session_state_get_type ())

/**
 * LkSessionSetup:
 * @params: the method's parameters (nq images per grid, nc bins…; the budget is the run's)
 * @rule: what must hold before a grid can be submitted
 * @break_every: a break after every this many recorded grids (0: none)
 * @n_practice: practice grids before the recorded ones (not saved)
 * @consent: (nullable): consent text the participant must accept; %NULL skips consent
 * @instructions: (nullable): what to do, shown before the practice
 * @grids_per_participant: the grids one participant sorts, over all their sessions (0: no
 *   limit but the study's budget)
 * @group_names: the participant names each group of a grid (stored with the answer)
 * @palette: the sorting page works as a palette (lk_sort_page_set_palette())
 *
 * A study's settings for its sessions. Copied by lk_session_new().
 */
typedef struct {
  LkParams    params;
  LkSortRule  rule;
  guint       break_every;
  guint       n_practice;
  const char *consent;
  const char *instructions;
  guint       grids_per_participant;
  gboolean    group_names;
  gboolean    palette;
} LkSessionSetup;

#define LK_TYPE_SESSION (lk_session_get_type ())

G_DECLARE_FINAL_TYPE (LkSession, lk_session, LK, SESSION, GObject)

LkSession      *lk_session_new              (LkImageSource         *source,
                                             const LkSessionSetup  *setup,
                                             const char            *participant,
                                             gboolean               pilot,
                                             LkGridSource          *run,
                                             GError               **error) G_GNUC_WARN_UNUSED_RESULT;

gboolean        lk_session_set_plan         (LkSession             *self,
                                             const LkPlan          *plan,
                                             GError               **error);

const LkSessionSetup *lk_session_get_setup (LkSession             *self);
LkSessionState  lk_session_get_state        (LkSession             *self);
LkTaskKind      lk_session_get_kind         (LkSession             *self);
guint           lk_session_get_block        (LkSession             *self,
                                             guint                 *n_blocks);
gboolean        lk_session_get_between_blocks (LkSession           *self);
const LkTrial  *lk_session_get_trial        (LkSession             *self);
LkImageSource  *lk_session_get_source       (LkSession             *self);
const char     *lk_session_get_participant  (LkSession             *self);
gboolean        lk_session_get_pilot        (LkSession             *self);
const char     *lk_session_get_consent      (LkSession             *self);
const char     *lk_session_get_instructions (LkSession             *self);
LkSortModel    *lk_session_get_model        (LkSession             *self);
LkGridSource   *lk_session_get_run          (LkSession             *self);
LkRefineWorker *lk_session_get_refine_worker (LkSession            *self);
gboolean        lk_session_get_drawn        (LkSession             *self);
guint          *lk_session_dup_next_items   (LkSession             *self,
                                             guint                 *n_items) G_GNUC_WARN_UNUSED_RESULT;
gboolean        lk_session_is_practice      (LkSession             *self);
guint           lk_session_get_grid_number  (LkSession             *self);
guint           lk_session_get_n_grids      (LkSession             *self);
guint           lk_session_get_n_answered   (LkSession             *self);

void            lk_session_accept_consent   (LkSession             *self);
void            lk_session_decline_consent  (LkSession             *self);
void            lk_session_begin            (LkSession             *self);
gboolean        lk_session_submit           (LkSession             *self,
                                             GError               **error);
gboolean        lk_session_answer_trial     (LkSession             *self,
                                             gint                   choice,
                                             GError               **error);
gboolean        lk_session_retry            (LkSession             *self,
                                             GError               **error);
void            lk_session_resume           (LkSession             *self);
const char     *lk_session_get_error_message (LkSession            *self);

/* Training and exam blocks */
const LkGoldGrid *lk_session_get_gold       (LkSession             *self);
const LkQuery  *lk_session_get_feedback     (LkSession             *self,
                                             double                *score);
gboolean        lk_session_continue         (LkSession             *self,
                                             GError               **error);
guint           lk_session_get_n_gold       (LkSession             *self,
                                             LkTaskKind             kind);
double          lk_session_get_exam_mean    (LkSession             *self);
gboolean        lk_session_exam_passes      (const double          *scores,
                                             guint                  n_scores,
                                             double                 pass_mark);
gboolean        lk_session_end              (LkSession             *self,
                                             GError               **error);

G_END_DECLS
