/* lk-session-settings.h — a study's session settings: consent, instructions, breaks, practice,
 * the submit rule, the passphrase, the grids each participant sorts and the quality flags
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "lk-plan.h"
#include "lk-store.h"

G_BEGIN_DECLS

/**
 * LkSessionSettings:
 * @consent: (nullable): the consent text; %NULL for the app's standard text
 * @instructions: (nullable): the instructions; %NULL for the app's standard text
 * @break_every: a break after every this many of a participant's grids (0: none)
 * @n_practice: practice grids before the recorded ones (not saved)
 * @all_placed: every image must be in a bin before a grid can be submitted
 * @passphrase: (nullable): what the experimenter types to leave study mode; %NULL for none
 * @grids_per_participant: the grids one participant sorts (0: no limit but the budget)
 * @plan: (nullable): the session plan as lk_plan_to_string() writes it; %NULL for the default,
 *   one sorting block of @grids_per_participant grids after @n_practice practice grids
 *   (lk_session_settings_get_plan())
 * @min_consistency: a participant whose mean consistency over their repeated grids (adjusted
 *   Rand index, lk_qc_consistency()) is below this is flagged (default 0.3)
 * @min_gold_score: a participant whose mean score on gold grids (lk_qc_exam_score(), 0 to 100)
 *   is below this is flagged (default 80); flags never leave anyone out
 * @choice5_policy: (nullable): how forced-choice trials draw their candidates: "pair" (the
 *   target a collected match pair), "model-vs-model" (the learned metric's nearest against a
 *   descriptor's four nearest) or %NULL for "random" (lk_trial_draw_choice5_policies)
 * @pass_mark: the exam block's pass mark (0 to 100, default %LK_QC_PASS_MARK): a participant
 *   whose mean lk_qc_exam_score() over the exam's grids is below it ends the session there and
 *   is marked not qualified (paper 002: "at least 80")
 * @repeat_share: the share of a participant's sorting grids that are one of their earlier grids
 *   shown again, for their consistency (default 0.05, at most 0.5)
 * @gold_share: the share of a participant's sorting grids that are the study's exam grids
 *   mixed in as catch grids, for their gold score (default 0: none; at most 0.5)
 * @group_names: the participant types a short name for each group of a grid (papers 001 and
 *   002's sorting; stored with lk_answers_save_group_names()); off by default
 * @palette: the sorting page works as a palette (paper 002): pick a bin's colour by its key or a
 *   click, then click images; off by default
 *
 * What a study's sessions are like, stored in the study file (table `setting`, schema 4) with
 * one row per setting that differs from its default. The strings are owned.
 */
typedef struct {
  char     *consent;
  char     *instructions;
  guint     break_every;
  guint     n_practice;
  gboolean  all_placed;
  char     *passphrase;
  guint     grids_per_participant;
  char     *plan;
  double    min_consistency;
  double    min_gold_score;
  char     *choice5_policy;
  double    pass_mark;
  double    repeat_share;
  double    gold_share;
  gboolean  group_names;
  gboolean  palette;
} LkSessionSettings;

void         lk_session_settings_init   (LkSessionSettings        *settings);
void         lk_session_settings_clear  (LkSessionSettings        *settings);
const char *const *lk_session_settings_keys (void);
gboolean     lk_session_settings_set    (LkSessionSettings        *settings,
                                         const char               *key,
                                         const char               *value,
                                         GError                  **error);
char        *lk_session_settings_dup    (const LkSessionSettings  *settings,
                                         const char               *key) G_GNUC_WARN_UNUSED_RESULT;
gboolean     lk_session_settings_validate (const LkSessionSettings *settings,
                                           const LkParams         *params,
                                           GError                **error);

gboolean     lk_session_settings_get_plan (const LkSessionSettings *settings,
                                          const LkParams          *params,
                                          LkPlan                  *plan,
                                          GError                 **error);
gboolean     lk_session_settings_check_plan (const LkPlan         *plan,
                                            const LkParams       *params,
                                            guint                 n_images,
                                            GError              **error);

gboolean     lk_store_load_session_settings (LkStore              *store,
                                             LkSessionSettings    *settings,
                                             GError              **error);
gboolean     lk_store_save_session_settings (LkStore              *store,
                                             const LkSessionSettings *settings,
                                             GError              **error);
guint        lk_store_count_participant_answers (LkStore          *store,
                                                 const char       *code,
                                                 GError          **error);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (LkSessionSettings, lk_session_settings_clear)

G_END_DECLS
