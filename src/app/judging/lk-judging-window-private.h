/* lk-judging-window-private.h — the judging window's state, shared by its files, and what
 * tests reach inside it
 *
 * lk-judging-window.c          the class, the pages, the start and scores pages
 * lk-judging-window-judge.c    the judge page: one seed, its neighbours and their marks
 * lk-judging-window-actions.c  the judging.* actions, the marking keys, making a round, export
 *
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "lk-judging-window.h"
#include "lk-neighbour-spaces.h"
#include "lk-thumbnail-loader.h"

G_BEGIN_DECLS

/* One neighbour on the judge page. */
typedef struct {
  GtkWidget *child;      /* GtkFlowBoxChild */
  GtkWidget *picture;
  GtkWidget *toggles[3]; /* very similar, similar, unrelated */
  guint      item;
} LkJudgingCell;

struct _LkJudgingWindow
{
  AdwApplicationWindow parent_instance;

  /* Template widgets */
  AdwToastOverlay    *toasts;
  AdwWindowTitle     *window_title;
  GtkStack           *stack;
  GtkLabel           *start_error;
  AdwEntryRow        *judge_row;
  AdwComboRow        *baseline_row;
  GtkSpinButton      *seeds_spin;
  GtkSpinButton      *k_spin;
  GtkSpinButton      *sample_seed_spin;
  AdwPreferencesGroup *rounds_group;
  GtkListBox         *rounds_list;
  GtkSpinner         *spinner;
  GtkLabel           *seed_label;
  GtkPicture         *seed_picture;
  GtkLabel           *progress_label;
  GtkButton          *next_button;
  GtkFlowBox         *neighbours;
  AdwStatusPage      *scores_page;
  GtkLabel           *success_label;
  GtkLabel           *avg_diff_label;

  /* Owned references */
  LkStore            *store;        /* owned unless store_owner is set */
  GObject            *store_owner;
  char               *path;
  LkThumbnailLoader  *loader;
  LkNeighbourSpaces  *spaces;
  LkJudgingRound     *round;
  GCancellable       *cancellable;
  GtkEventController *keys;
  GArray             *cells;        /* of LkJudgingCell, by display position */

  /* State */
  guint               seed;
  guint               seed_generation;
  gboolean            busy;
  gboolean            updating;
};

/* Tasks point back at the window through a weak reference, never as their source object: a
 * task's last reference can go on its worker thread, and the window (which closes the store,
 * and so the study's lock) must be finalized on the main thread, when it is closed. */
typedef struct _LkJudgingTaskOwner LkJudgingTaskOwner;

LkJudgingTaskOwner *_lk_judging_task_owner_new   (LkJudgingWindow    *self,
                                                  guint               generation);
LkJudgingWindow    *_lk_judging_task_owner_steal (LkJudgingTaskOwner *owner,
                                                  guint              *generation);

/* lk-judging-window.c */
void     _lk_judging_window_update_actions    (LkJudgingWindow *self);
void     _lk_judging_window_show_page         (LkJudgingWindow *self,
                                               const char      *name);
void     _lk_judging_window_toast             (LkJudgingWindow *self,
                                               const char      *message);
void     _lk_judging_window_show_start_error  (LkJudgingWindow *self,
                                               const char      *message);
gint64   _lk_judging_window_refresh_rounds    (LkJudgingWindow *self);
void     _lk_judging_window_show_scores       (LkJudgingWindow *self);

/* lk-judging-window-judge.c */
void     _lk_judging_window_show_seed         (LkJudgingWindow *self,
                                               guint            seed);
void     _lk_judging_window_set_round         (LkJudgingWindow *self,
                                               LkJudgingRound  *round);
gboolean _lk_judging_window_set_mark          (LkJudgingWindow *self,
                                               guint            position,
                                               gint             mark);
void     _lk_judging_window_focus_cell        (LkJudgingWindow *self,
                                               guint            position);
void     _lk_judging_window_clear_cells       (LkJudgingWindow *self);

/* lk-judging-window-actions.c */
void     _lk_judging_window_class_actions_init (GtkWidgetClass  *widget_class);
void     _lk_judging_window_keys_init          (LkJudgingWindow *self);

/* For tests. */
void                  lk_judging_window_start_round        (LkJudgingWindow  *self,
                                                            const char       *judge,
                                                            LkSpaceKind       baseline,
                                                            guint             k,
                                                            guint             n_seeds,
                                                            guint             sample_seed);
gboolean              lk_judging_window_is_busy            (LkJudgingWindow  *self);
const char           *lk_judging_window_get_page           (LkJudgingWindow  *self);
const char           *lk_judging_window_get_error          (LkJudgingWindow  *self);
const LkJudgingRound *lk_judging_window_get_round          (LkJudgingWindow  *self);
guint                 lk_judging_window_get_seed_index     (LkJudgingWindow  *self);
GtkWidget            *lk_judging_window_get_neighbour      (LkJudgingWindow  *self,
                                                            guint             position);
GtkEventController   *lk_judging_window_get_key_controller (LkJudgingWindow  *self);
const char           *lk_judging_window_get_success_text   (LkJudgingWindow  *self);
const char           *lk_judging_window_get_avg_diff_text  (LkJudgingWindow  *self);
gboolean              lk_judging_window_export             (LkJudgingWindow  *self,
                                                            const char       *path,
                                                            gboolean          json,
                                                            GError          **error);

G_END_DECLS
