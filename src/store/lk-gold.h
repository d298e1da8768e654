/* lk-gold.h — a study's known answers: gold grids for training, the exam and catch grids
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "lk-answers.h"
#include "lk-store.h"

G_BEGIN_DECLS

/**
 * LkGoldUse:
 * @LK_GOLD_USE_TRAINING: a training page: shown with its instructions and feedback
 * @LK_GOLD_USE_EXAM: scored in the exam, and mixed into the main block as a catch grid
 *
 * What a known answer is for.
 */
typedef enum {
  LK_GOLD_USE_TRAINING,
  LK_GOLD_USE_EXAM,
} LkGoldUse;

const char *lk_gold_use_to_string   (LkGoldUse    use);
gboolean    lk_gold_use_from_string (const char  *text,
                                     LkGoldUse   *use);

/**
 * LkGoldGrid:
 * @id: its row id
 * @name: a name unique in the study (the CSV's `gold` column)
 * @use: training or exam
 * @instructions: (nullable): a training page's own instructions
 * @source: where it came from: "overview", "curator" or "import:FILE"
 * @created: when, UTC ISO 8601
 * @answer: the images in display order with their known bins (%LK_BIN_LEFT_OUT allowed)
 * @nc: the number of bins the grid is shown with
 */
typedef struct {
  gint64     id;
  char      *name;
  LkGoldUse  use;
  char      *instructions;
  char      *source;
  char      *created;
  LkQuery   *answer;
  guint      nc;
} LkGoldGrid;

void        lk_gold_grid_free (LkGoldGrid *grid);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LkGoldGrid, lk_gold_grid_free)

gint64      lk_gold_add        (LkStore        *store,
                                const char     *name,
                                LkGoldUse       use,
                                const char     *instructions,
                                const char     *source,
                                const LkQuery  *answer,
                                guint           nc,
                                GError        **error);
GPtrArray  *lk_gold_list       (LkStore        *store,
                                GError        **error) G_GNUC_WARN_UNUSED_RESULT;
LkGoldGrid *lk_gold_get        (LkStore        *store,
                                gint64          id,
                                GError        **error) G_GNUC_WARN_UNUSED_RESULT;
gboolean    lk_gold_remove     (LkStore        *store,
                                gint64          id,
                                GError        **error);
gboolean    lk_gold_import_csv (LkStore        *store,
                                const char     *path,
                                guint          *n_added,
                                guint          *n_present,
                                GError        **error);
char       *lk_gold_to_csv     (GPtrArray      *grids,
                                GPtrArray      *paths) G_GNUC_WARN_UNUSED_RESULT;
gboolean    lk_gold_count      (LkStore        *store,
                                guint          *n,
                                GError        **error);
gboolean    lk_gold_find_same  (LkStore        *store,
                                const LkQuery  *answer,
                                char          **name,
                                GError        **error);
gboolean    lk_gold_last_sorted (LkStore       *store,
                                const char     *participant,
                                gint64         *query,
                                GError        **error);

gboolean    lk_gold_count_uses (LkStore        *store,
                                guint           counts[2],
                                GError        **error);

/* The policy name of the query a participant's answer to a gold grid is stored with
 * (lk_gold_save_answer()). */
#define LK_GOLD_POLICY "gold"

gint64      lk_gold_save_answer (LkStore       *store,
                                 gint64         gold,
                                 LkTaskKind     kind,
                                 const LkQuery *answer,
                                 gint64         session,
                                 gint64         shown_us,
                                 gint64         submitted_us,
                                 const LkMove  *moves,
                                 guint          n_moves,
                                 GError       **error);

G_END_DECLS
