/* lk-progress.h — an immutable record of a study's progress, pushed to the views
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define LK_TYPE_PROGRESS (lk_progress_get_type ())

typedef struct _LkProgress LkProgress;

/* The plain counts of a record, as lk_progress_new() takes them. */
typedef struct {
  guint    n_answers;   /* grids answered */
  guint    n_drawn;     /* grids drawn on the spot because the queue was empty */
  gboolean busy;        /* a phase is being folded in */
  guint    phase;       /* phases folded in */
  guint    n_phases;
  guint    budget;      /* answers the study asks for */
  guint    n_items;     /* images in the collection */
  guint    nq;          /* images per grid */
} LkProgressCounts;

GType                   lk_progress_get_type            (void) G_GNUC_CONST;

LkProgress             *lk_progress_new                 (const LkProgressCounts *counts,
                                                         GHashTable             *participants,
                                                         const double           *grid_seconds,
                                                         guint                   n_grid_seconds) G_GNUC_WARN_UNUSED_RESULT;
LkProgress             *lk_progress_ref                 (LkProgress             *self);
void                    lk_progress_unref               (LkProgress             *self);

const LkProgressCounts *lk_progress_get_counts          (const LkProgress       *self);
guint                   lk_progress_get_n_participants  (const LkProgress       *self);
const char             *lk_progress_get_participant     (const LkProgress       *self,
                                                         guint                   index,
                                                         guint                  *n_answers);
char                   *lk_progress_dup_summary         (const LkProgress       *self) G_GNUC_WARN_UNUSED_RESULT;
const double           *lk_progress_get_grid_seconds    (const LkProgress       *self,
                                                         guint                  *n);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LkProgress, lk_progress_unref)

G_END_DECLS
