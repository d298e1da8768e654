/* lk-known-answers.h — a study's known answers: each grid's images by group; remove, import
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "lk-study.h"

G_BEGIN_DECLS

#define LK_TYPE_KNOWN_ANSWERS (lk_known_answers_get_type ())

G_DECLARE_FINAL_TYPE (LkKnownAnswers, lk_known_answers, LK, KNOWN_ANSWERS, AdwWindow)

LkKnownAnswers *lk_known_answers_new              (GtkWindow      *parent,
                                                   LkStudy        *study,
                                                   gboolean        editable);
void            lk_known_answers_import           (LkKnownAnswers *self,
                                                   const char     *path);
guint           lk_known_answers_get_n_grids      (LkKnownAnswers *self);
guint           lk_known_answers_get_n_thumbnails (LkKnownAnswers *self,
                                                   guint           index);
gint64          lk_known_answers_get_id           (LkKnownAnswers *self,
                                                   guint           index);

G_END_DECLS
