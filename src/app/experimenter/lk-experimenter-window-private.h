/* lk-experimenter-window-private.h — the experimenter window's state, shared by its files, and
 * what tests and benchmarks reach inside it
 *
 * lk-experimenter-window.c        the class, following a run, the phase slider, search
 * lk-experimenter-window-study.c  a study file: its replay, thumbnails, folder tables, opening one
 * lk-experimenter-window-save.c   saving one view or all of them, the screenshot
 * lk-experimenter-window-lab.c    a lab study followed live (built with libpq only)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "lk-charts.h"
#include "lk-cluster-heatmap-view.h"
#include "lk-embedding-view.h"
#include "lk-experimenter-window.h"
#include "lk-knn-view.h"
#include "lk-participants-view.h"
#include "lk-scores-view.h"

G_BEGIN_DECLS

/* The views, by the names lk_experimenter_window_get_view() takes, in the order Tab reaches
 * them. */
#define LK_EXPERIMENTER_N_VIEWS 6
extern const char *const _lk_experimenter_window_view_names[LK_EXPERIMENTER_N_VIEWS];

/* A lab study followed live (lk-experimenter-window-lab.c). */
typedef struct _LkExperimenterLab LkExperimenterLab;

struct _LkExperimenterWindow
{
  AdwWindow          parent_instance;

  /* Template widgets */
  AdwToastOverlay   *toast_overlay;
  GtkWidget         *demo_controls;   /* shown in demo mode only */
  GtkToggleButton   *run_button;
  GtkSpinButton     *pace_spin;
  GtkPaned          *columns;
  GtkBox            *left_box;
  GtkBox            *right_box;
  GtkScale          *phase_scale;
  GtkAdjustment     *phase_adjustment;
  GtkSpinButton     *k_spin;
  GtkSearchEntry    *search_entry;

  /* Views, made in code (custom-drawn, no templates) */
  LkEmbeddingView   *embedding_view;
  LkEmbeddingView   *cooccurrence_view;
  LkKnnView         *knn_view;
  LkConvergenceView *convergence_view;
  LkProgressView    *progress_view;
  LkClusterHeatmapView *heatmap_view;
  LkParticipantsView *participants_view;
  LkScoresView      *scores_view;         /* a study file's scores */

  /* Owned references */
  LkGridSource      *run;                 /* the study shown */
  LkRefineWorker    *worker;              /* the run's, listened to by follow_workers() */
  LkRefineWorker    *comparison_worker;   /* nullable: the comparison demo run's */
  LkThumbs          *thumbs;
  LkDemoRun         *demo;
  LkDemoRun         *comparison;
  GCancellable      *loading;             /* nullable: a study file's replay and thumbnails */
  GHashTable        *folder_tables;       /* LkSnapshot -> LkClusterTable against the folders */
  char              *undo_code;           /* nullable: the participant the last toast can undo */
  LkExperimenterLab *lab;                 /* nullable: the lab study followed */
  char              *shown_view;          /* nullable: lk_experimenter_window_show_view()'s */
  char              *asked_view;          /* nullable: the view last asked for, kept after */
  guint              shown_view_tick;
  guint              shown_view_frames;   /* frames in a row it has been in sight, unmoved */
  double             shown_view_bottom;   /* where its bottom was on the last frame */
  double             shown_view_value;    /* where its column was scrolled to then */

  gboolean           following;
  gboolean           replaying;
  gboolean           tabling;             /* folder tables are being made */
  gboolean           thumbs_pending;      /* a study file's thumbnails are being read */
  gboolean           screenshot_selected;
  gboolean           undo_excluded;       /* what Undo sets undo_code's flag back to */
  gboolean           exporting_model;
};

/* lk-experimenter-window.c */
void                  _lk_experimenter_window_show_toast        (LkExperimenterWindow *self,
                                                                 const char           *message);
void                  _lk_experimenter_window_show_slider_phase (LkExperimenterWindow *self);
void                  _lk_experimenter_window_set_thumbs        (LkExperimenterWindow *self,
                                                                 LkThumbs             *thumbs);

/* lk-experimenter-window-study.c */
void                  _lk_experimenter_window_update_folder_tables (LkExperimenterWindow *self);
void                  _lk_experimenter_window_recompute         (LkExperimenterWindow *self,
                                                                 LkStudy              *study);
void                  _lk_experimenter_window_open_action       (GtkWidget            *widget,
                                                                 const char           *action_name,
                                                                 GVariant             *parameter);

/* lk-experimenter-window-save.c */
void                  _lk_experimenter_window_save_view_action  (GtkWidget            *widget,
                                                                 const char           *action_name,
                                                                 GVariant             *parameter);
void                  _lk_experimenter_window_save_all_action   (GtkWidget            *widget,
                                                                 const char           *action_name,
                                                                 GVariant             *parameter);
void                  _lk_experimenter_window_export_model_action (GtkWidget          *widget,
                                                                 const char           *action_name,
                                                                 GVariant             *parameter);

/* lk-experimenter-window-lab.c (a no-op without libpq) */
void                  _lk_experimenter_window_lab_stop          (LkExperimenterWindow *self);

/* For tests and benchmarks. */
GtkWidget            *lk_experimenter_window_get_lab_view (LkExperimenterWindow *self);
GtkWidget            *lk_experimenter_window_get_view     (LkExperimenterWindow *self,
                                                           const char           *name);
gboolean              lk_experimenter_window_is_replaying (LkExperimenterWindow *self);
LkRefineWorker       *lk_experimenter_window_get_worker   (LkExperimenterWindow *self);
GtkAdjustment        *lk_experimenter_window_get_phase_adjustment (LkExperimenterWindow *self);
GtkWidget            *lk_experimenter_window_get_search_entry (LkExperimenterWindow *self);
gboolean              lk_experimenter_window_export_model (LkExperimenterWindow *self,
                                                           const char           *path,
                                                           gboolean              json);
gboolean              lk_experimenter_window_is_exporting_model (LkExperimenterWindow *self);
gboolean              lk_experimenter_window_is_showing_view (LkExperimenterWindow *self);

G_END_DECLS
