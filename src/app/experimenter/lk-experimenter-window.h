/* lk-experimenter-window.h — the experimenter's live views of a study, on a second window
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "lk-demo-run.h"
#include "lk-refine-worker.h"
#include "lk-study.h"
#include "lk-thumbs.h"

G_BEGIN_DECLS

#define LK_TYPE_EXPERIMENTER_WINDOW (lk_experimenter_window_get_type ())

G_DECLARE_FINAL_TYPE (LkExperimenterWindow, lk_experimenter_window, LK, EXPERIMENTER_WINDOW, AdwWindow)

LkExperimenterWindow *lk_experimenter_window_new          (void);
LkExperimenterWindow *lk_experimenter_window_new_demo     (GtkApplication       *application,
                                                           const char           *spec,
                                                           GError              **error);
LkExperimenterWindow *lk_experimenter_window_new_for_path (GtkApplication       *application,
                                                           const char           *path,
                                                           GError              **error);
void                  lk_experimenter_window_show_study   (LkExperimenterWindow *self,
                                                           LkStudy              *study);
void                  lk_experimenter_window_show_lab     (LkExperimenterWindow *self,
                                                           const char           *uri);
void                  lk_experimenter_window_load_thumbs  (LkExperimenterWindow *self,
                                                           const char           *path);
void                  lk_experimenter_window_save_screenshot (LkExperimenterWindow *self,
                                                              const char           *path);
void                  lk_experimenter_window_set_run      (LkExperimenterWindow *self,
                                                           LkGridSource         *run,
                                                           LkThumbs             *thumbs);
void                  lk_experimenter_window_set_demo     (LkExperimenterWindow *self,
                                                           LkDemoRun            *demo,
                                                           LkDemoRun            *comparison);
gboolean              lk_experimenter_window_show_view    (LkExperimenterWindow *self,
                                                           const char           *name);
void                  lk_experimenter_window_select       (LkExperimenterWindow *self,
                                                           int                   item);
gboolean              lk_experimenter_window_export       (LkExperimenterWindow *self,
                                                           const char           *directory,
                                                           const char           *format,
                                                           GError              **error);
gboolean              lk_experimenter_window_save_view    (LkExperimenterWindow *self,
                                                           const char           *name,
                                                           GFile                *file,
                                                           const char           *format,
                                                           GFile               **saved,
                                                           GError              **error);

G_END_DECLS
