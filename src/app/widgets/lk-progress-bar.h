/* lk-progress-bar.h — a worker's progress with a Cancel button, revealed while it runs
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* What a worker reports its progress into: a thread-safe pair of counts. */
typedef struct _LkProgressCounter LkProgressCounter;

LkProgressCounter *lk_progress_counter_ref    (LkProgressCounter *self);
void               lk_progress_counter_unref  (LkProgressCounter *self);
void               lk_progress_counter_report (guint              done,
                                               guint              total,
                                               gpointer           progress);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LkProgressCounter, lk_progress_counter_unref)

/**
 * LkProgressTextFunc:
 * @done: how much is done
 * @total: of how much (more than 0)
 *
 * Returns: (transfer full): the bar's text
 */
typedef char *(*LkProgressTextFunc) (guint done,
                                     guint total);

#define LK_TYPE_PROGRESS_BAR (lk_progress_bar_get_type ())

G_DECLARE_FINAL_TYPE (LkProgressBar, lk_progress_bar, LK, PROGRESS_BAR, GtkWidget)

GtkWidget         *lk_progress_bar_new          (void);
GCancellable      *lk_progress_bar_start        (LkProgressBar      *self,
                                                 GCancellable       *parent,
                                                 const char         *text,
                                                 LkProgressTextFunc  text_func);
LkProgressCounter *lk_progress_bar_get_counter  (LkProgressBar      *self);
void               lk_progress_bar_stop         (LkProgressBar      *self);
gboolean           lk_progress_bar_is_running   (LkProgressBar      *self);

void               lk_progress_bar_show_count   (GtkProgressBar     *bar,
                                                 guint               done,
                                                 guint               total,
                                                 const char         *text);

G_END_DECLS
