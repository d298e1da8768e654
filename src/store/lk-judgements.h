/* lk-judgements.h — judging rounds of the paper's manual protocol, stored in the study
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "lk-judging.h"
#include "lk-neighbours.h"
#include "lk-store.h"

G_BEGIN_DECLS

/* A shown neighbour the judge has not marked yet. */
#define LK_JUDGEMENT_NONE (-1)

/* The paper's protocol: 10-NN from each metric (section 4.2). */
#define LK_JUDGING_DEFAULT_K 10

/**
 * LkJudgingNeighbour:
 * @item: the neighbour
 * @distance: its Euclidean distance to the seed in its space
 */
typedef struct {
  guint  item;
  double distance;
} LkJudgingNeighbour;

/**
 * LkJudgingShown:
 * @item: the image shown, at this display position (after shuffling)
 * @mark: an #LkJudgement, or %LK_JUDGEMENT_NONE
 * @learned_rank: its rank in the learned list (1 = nearest), 0 when not in it
 * @baseline_rank: its rank in the baseline list, 0 when not in it
 */
typedef struct {
  guint item;
  gint  mark;
  guint learned_rank;
  guint baseline_rank;
} LkJudgingShown;

/**
 * LkJudgingSeed:
 * @item: the seed image
 * @learned: (array length=n_learned): its k-NN under the learned metric, nearest first
 * @baseline: (array length=n_baseline): its k-NN under the baseline descriptor
 * @shown: (array length=n_shown): the distinct images of both lists in display order
 */
typedef struct {
  guint               item;
  LkJudgingNeighbour *learned;
  guint               n_learned;
  LkJudgingNeighbour *baseline;
  guint               n_baseline;
  LkJudgingShown     *shown;
  guint               n_shown;
} LkJudgingSeed;

/**
 * LkJudgingRound:
 * @id: the round's id in the study, 0 until saved
 * @created: UTC ISO 8601, %NULL until saved
 * @judge: the judge's code
 * @baseline: %LK_SPACE_COLOR or %LK_SPACE_HOG
 * @k: neighbours per list
 * @sample_seed: the seed of the sample and of the shuffles
 * @phase: the completed phase whose embedding gave the learned lists, -1 if unknown
 * @seeds: (array length=n_seeds): the seeds in judging order
 */
typedef struct {
  gint64         id;
  char          *created;
  char          *judge;
  LkSpaceKind    baseline;
  guint          k;
  guint64        sample_seed;
  gint           phase;
  LkJudgingSeed *seeds;
  guint          n_seeds;
} LkJudgingRound;

/**
 * LkJudgingRoundInfo:
 * @id: the round
 * @created: UTC ISO 8601
 * @judge: the judge's code
 * @baseline: the baseline space
 * @k: neighbours per list
 * @n_seeds: seeds
 * @n_shown: images shown over all seeds
 * @n_marked: of those, marked
 */
typedef struct {
  gint64      id;
  char       *created;
  char       *judge;
  LkSpaceKind baseline;
  guint       k;
  guint       n_seeds;
  guint       n_shown;
  guint       n_marked;
} LkJudgingRoundInfo;

const char     *lk_judgement_to_string         (gint                  mark);
gboolean        lk_judgement_from_string       (const char           *text,
                                                gint                 *mark);

LkJudgingRound *lk_judging_round_plan          (const LkSpace        *learned,
                                                const LkSpace        *baseline,
                                                const char           *judge,
                                                guint                 k,
                                                guint                 n_seeds,
                                                guint64               sample_seed,
                                                GError              **error) G_GNUC_WARN_UNUSED_RESULT;
gboolean        lk_judging_round_save          (LkStore              *store,
                                                LkJudgingRound       *round,
                                                GError              **error);
LkJudgingRound *lk_judging_round_create        (LkStore              *store,
                                                const char           *judge,
                                                LkSpaceKind           baseline,
                                                guint                 k,
                                                guint                 n_seeds,
                                                guint64               sample_seed,
                                                GError              **error) G_GNUC_WARN_UNUSED_RESULT;
LkJudgingRound *lk_judging_round_load          (LkStore              *store,
                                                gint64                id,
                                                GError              **error) G_GNUC_WARN_UNUSED_RESULT;
void            lk_judging_round_free          (LkJudgingRound       *round);
gboolean        lk_judging_round_mark          (LkStore              *store,
                                                LkJudgingRound       *round,
                                                guint                 seed,
                                                guint                 position,
                                                gint                  mark,
                                                GError              **error);
gboolean        lk_judging_seed_is_complete    (const LkJudgingSeed  *seed);
guint           lk_judging_round_count_marked  (const LkJudgingRound *round,
                                                guint                *n_shown);
guint           lk_judging_round_first_open    (const LkJudgingRound *round);
guint           lk_judging_round_score         (const LkJudgingRound *round,
                                                double               *success_percent,
                                                double               *avg_diff);

void            lk_judging_round_build_json    (const LkJudgingRound *round,
                                                JsonBuilder          *builder,
                                                GPtrArray            *paths);

GPtrArray      *lk_judgements_list_rounds      (LkStore              *store,
                                                GError              **error) G_GNUC_WARN_UNUSED_RESULT;
void            lk_judging_round_info_free     (LkJudgingRoundInfo   *info);

/* The CSV's header: one row per round x seed x listed neighbour (a neighbour in both lists has
 * a row under each source, with the same mark). */
#define LK_JUDGEMENTS_CSV_HEADER \
  "round,judge,baseline,seed,seed_item,seed_path,neighbour,neighbour_path,source,rank," \
  "distance,position,mark"

gboolean        lk_judgements_export_csv       (LkStore              *store,
                                                gint64                round,
                                                const char           *path,
                                                GError              **error);
gboolean        lk_judgements_export_json      (LkStore              *store,
                                                gint64                round,
                                                const char           *path,
                                                GError              **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LkJudgingRound, lk_judging_round_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LkJudgingRoundInfo, lk_judging_round_info_free)

G_END_DECLS
