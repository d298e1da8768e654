/* lk-scores.h — how well a metric agrees with people's judgements: triplets, forced choice,
 * retrieval of collected pairs and intruders (papers 002, 003 and 004)
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "lk-embedding.h"

G_BEGIN_DECLS

/**
 * LkScoreDistanceFunc:
 * @a: an item
 * @b: another item
 * @user_data: the metric
 *
 * Any metric scored here: learned embedding, colour or HOG descriptor, a distance matrix.
 *
 * Returns: the distance between @a and @b; smaller is more alike
 */
typedef double (*LkScoreDistanceFunc) (guint    a,
                                       guint    b,
                                       gpointer user_data);

/**
 * LkScoreMatrix:
 * @distances: @n_items x @n_items, row-major
 * @n_items: the matrix's side
 *
 * A dense distance matrix, for lk_scores_matrix_distance().
 */
typedef struct {
  const double *distances;
  guint         n_items;
} LkScoreMatrix;

/**
 * LkInterval:
 * @estimate: the statistic on the whole sample
 * @lower: 2.5th percentile of the bootstrap distribution
 * @upper: 97.5th percentile
 */
typedef struct {
  double estimate;
  double lower;
  double upper;
} LkInterval;

double lk_scores_embedding_distance (guint    a,
                                     guint    b,
                                     gpointer embedding);
double lk_scores_matrix_distance    (guint    a,
                                     guint    b,
                                     gpointer matrix);

/* Triplet rating (paper 004) ------------------------------------------------------------- */

/* Deep Ranking's four answers, in the paper's order and numbering. */
typedef enum {
  LK_TRIPLET_ANSWER_BOTH_SIMILAR = 1,
  LK_TRIPLET_ANSWER_BOTH_DISSIMILAR = 2,
  LK_TRIPLET_ANSWER_A_CLOSER = 3,
  LK_TRIPLET_ANSWER_B_CLOSER = 4,
} LkTripletAnswer;

/* The default K of score-at-top-K and raters per triplet (paper 004, section 6.3). */
#define LK_SCORES_TOP_K 30
#define LK_SCORES_TRIPLET_RATERS 3
/* Bootstrap resamples for the 95 % intervals. */
#define LK_SCORES_BOOTSTRAP_RESAMPLES 2000

/**
 * LkTripletRating:
 * @triplet: the triplet's id; every rating of one triplet carries the same @query, @a, @b
 * @query: Q
 * @a: A, as the answer names it (whatever side it was shown on)
 * @b: B
 * @answer: an #LkTripletAnswer, 1 to 4
 */
typedef struct {
  guint triplet;
  guint query;
  guint a;
  guint b;
  guint answer;
} LkTripletRating;

/**
 * LkTriplet:
 * @triplet: its id
 * @query: Q
 * @positive: P⁺, the item the raters found closer to Q
 * @negative: P⁻
 */
typedef struct {
  guint triplet;
  guint query;
  guint positive;
  guint negative;
} LkTriplet;

/**
 * LkTripletFilter:
 * @n_ratings: ratings read
 * @n_triplets: distinct triplets rated
 * @n_complete: triplets with at least the required number of raters ("rated")
 * @n_unanimous: complete triplets whose raters all gave the same answer, whichever
 * @n_kept: unanimous triplets whose answer was 3 or 4: the ones scored
 * @n_no_order: ratings that were answer 1 or 2
 * @unanimity_rate: @n_kept / @n_complete (NaN without complete triplets)
 * @no_order_share: @n_no_order / @n_ratings (NaN without ratings)
 * @kept: (array length=n_kept): the kept triplets, by triplet id
 */
typedef struct {
  guint      n_ratings;
  guint      n_triplets;
  guint      n_complete;
  guint      n_unanimous;
  guint      n_kept;
  guint      n_no_order;
  double     unanimity_rate;
  double     no_order_share;
  LkTriplet *kept;
} LkTripletFilter;

/**
 * LkTripletEval:
 * @d_positive: D(Q, P⁺)
 * @d_negative: D(Q, P⁻)
 * @rank_positive: P⁺'s rank among all items but Q, 1 = nearest; ties rank behind
 * @rank_negative: P⁻'s rank
 * @correct: D(Q, P⁺) < D(Q, P⁻); a tie is not correct
 */
typedef struct {
  double   d_positive;
  double   d_negative;
  guint    rank_positive;
  guint    rank_negative;
  gboolean correct;
} LkTripletEval;

LkTripletFilter *lk_scores_triplet_filter     (const LkTripletRating *ratings,
                                               gsize                  n_ratings,
                                               guint                  min_raters,
                                               GError               **error)
                                               G_GNUC_WARN_UNUSED_RESULT;
void             lk_triplet_filter_free       (LkTripletFilter       *filter);
void             lk_scores_triplet_evaluate   (const LkTriplet       *triplets,
                                               gsize                  n_triplets,
                                               guint                  n_items,
                                               LkScoreDistanceFunc    distance,
                                               gpointer               user_data,
                                               LkTripletEval         *evals);
double           lk_scores_triplet_precision  (const LkTripletEval   *evals,
                                               gsize                  n_triplets);
gint             lk_scores_triplet_score_at_k (const LkTripletEval   *evals,
                                               gsize                  n_triplets,
                                               guint                  k,
                                               guint                 *n_subset);
void             lk_scores_triplet_bootstrap  (const LkTripletEval   *evals,
                                               gsize                  n_triplets,
                                               guint                  k,
                                               guint                  n_resamples,
                                               guint64                seed,
                                               LkInterval            *precision,
                                               LkInterval            *score_at_k);

void             lk_scores_ratio_bootstrap    (const guint           *numerators,
                                               const guint           *denominators,
                                               gsize                  n_units,
                                               guint                  n_resamples,
                                               guint64                seed,
                                               LkInterval            *interval);

/* Forced choice among candidates (paper 003, section 4.3) --------------------------------- */

/**
 * LkChoiceAnswer:
 * @question: groups the answers to one query with one candidate set
 * @chosen: the item picked
 * @target: the question's target (its collected match); the same for all its answers
 * @position: where the picked item was shown, 0-based
 */
typedef struct {
  guint question;
  guint chosen;
  guint target;
  guint position;
} LkChoiceAnswer;

/**
 * LkChoiceQuestion:
 * @question: its id
 * @n_answers: answers to it
 * @modal_count: answers that picked its most picked item
 * @n_correct: answers that picked the target
 * @agreement: @modal_count / @n_answers
 * @correct_share: @n_correct / @n_answers
 * @majority: @modal_count > @n_answers / 2 (11 of 20)
 * @unanimous: every answer picked the same item (with at least 2 answers)
 */
typedef struct {
  guint    question;
  guint    n_answers;
  guint    modal_count;
  guint    n_correct;
  double   agreement;
  double   correct_share;
  gboolean majority;
  gboolean unanimous;
} LkChoiceQuestion;

/**
 * LkChoiceScores:
 * @n_answers: answers read
 * @n_correct: answers that picked the target
 * @accuracy: @n_correct / @n_answers
 * @n_questions: distinct questions
 * @questions: (array length=n_questions): per question, by question id
 * @majority_share: share of questions with a majority
 * @unanimous_share: share of questions answered unanimously
 * @agreement_r: Pearson r over questions of agreement and correct share (NaN when either is
 *   constant or there are fewer than 2 questions)
 * @n_positions: candidates per screen
 * @position_counts: (array length=n_positions): answers per position
 * @chi_squared: Pearson's χ² of @position_counts against the uniform distribution
 * @degrees_of_freedom: @n_positions - 1
 * @p_value: P(χ² ≥ @chi_squared) under uniform choice
 */
typedef struct {
  guint             n_answers;
  guint             n_correct;
  double            accuracy;
  guint             n_questions;
  LkChoiceQuestion *questions;
  double            majority_share;
  double            unanimous_share;
  double            agreement_r;
  guint             n_positions;
  guint            *position_counts;
  double            chi_squared;
  guint             degrees_of_freedom;
  double            p_value;
} LkChoiceScores;

LkChoiceScores *lk_scores_choice              (const LkChoiceAnswer *answers,
                                               gsize                 n_answers,
                                               guint                 n_positions,
                                               GError              **error)
                                               G_GNUC_WARN_UNUSED_RESULT;
void            lk_choice_scores_free         (LkChoiceScores       *scores);
double          lk_scores_chi_squared_uniform (const guint          *counts,
                                               guint                 n_cells,
                                               double               *p_value);
double          lk_scores_pearson             (const double         *x,
                                               const double         *y,
                                               gsize                 n);

/**
 * LkChoiceSet:
 * @question: the question's id, as in #LkChoiceAnswer
 * @query: the query item shown above the candidates
 * @target: its target
 */
typedef struct {
  guint question;
  guint query;
  guint target;
} LkChoiceSet;

/**
 * LkChoiceMetric:
 * @n_questions: questions scored
 * @picks: (array length=n_questions): per set, in the order given, the candidate the metric puts
 *   nearest the query, -1 when two or more are nearest
 * @target_accuracy: share of questions whose pick is the target, with a 95 % interval
 * @n_answers: answers scored
 * @n_agreeing: answers that picked what the metric picks
 * @agreement: @n_agreeing / @n_answers, with a 95 % interval
 */
typedef struct {
  guint       n_questions;
  gint       *picks;
  LkInterval  target_accuracy;
  guint       n_answers;
  guint       n_agreeing;
  LkInterval  agreement;
} LkChoiceMetric;

LkChoiceMetric *lk_scores_choice_metric       (const LkChoiceSet    *sets,
                                               gsize                 n_sets,
                                               const guint          *candidates,
                                               guint                 n_candidates,
                                               const LkChoiceAnswer *answers,
                                               gsize                 n_answers,
                                               LkScoreDistanceFunc   distance,
                                               gpointer              user_data,
                                               guint                 n_resamples,
                                               guint64               seed,
                                               GError              **error)
                                               G_GNUC_WARN_UNUSED_RESULT;
void            lk_choice_metric_free         (LkChoiceMetric       *metric);

/* Retrieval of collected pairs (paper 003, sections 3.2 and 4.2) ------------------------- */

/**
 * LkMatchPair:
 * @query: the left image L
 * @match: the right image R that a person matched to it
 */
typedef struct {
  guint query;
  guint match;
} LkMatchPair;

/* The paper's k for recall@k and m for associative recall, and its repetitions. */
extern const guint lk_scores_recall_ks[6];
extern const guint lk_scores_associative_ms[8];
#define LK_SCORES_ASSOCIATIVE_REPETITIONS 10

guint  *lk_scores_match_ranks        (const LkMatchPair   *pairs,
                                      gsize                n_pairs,
                                      const guint         *pool,
                                      gsize                n_pool,
                                      LkScoreDistanceFunc  distance,
                                      gpointer             user_data) G_GNUC_WARN_UNUSED_RESULT;
gsize   lk_scores_pairs_near_duplicates (const LkMatchPair   *pairs,
                                         gsize                n_pairs,
                                         double               threshold,
                                         LkScoreDistanceFunc  distance,
                                         gpointer             user_data,
                                         gboolean            *keep);
double  lk_scores_recall_at_k        (const guint         *ranks,
                                      gsize                n_pairs,
                                      guint                k);
void    lk_scores_associative_recall (const LkMatchPair   *pairs,
                                      gsize                n_pairs,
                                      const guint         *pool,
                                      gsize                n_pool,
                                      const guint         *ms,
                                      guint                n_ms,
                                      guint                repetitions,
                                      guint64              seed,
                                      LkScoreDistanceFunc  distance,
                                      gpointer             user_data,
                                      double              *accuracy);

/* Dawid–Skene aggregation and the intruder task (paper 002) ------------------------------ */

/* crowd-kit's defaults as paper 002 ran them: DawidSkene(n_iter=10), tol 1e-5. */
#define LK_SCORES_DS_ITERATIONS 10
#define LK_SCORES_DS_TOLERANCE 1e-5

/**
 * LkLabelAnswer:
 * @task: what was asked (an intruder HIT)
 * @worker: who answered
 * @label: the answer (an intruder position)
 */
typedef struct {
  guint task;
  guint worker;
  guint label;
} LkLabelAnswer;

/**
 * LkDawidSkene:
 * @n_tasks: tasks
 * @n_workers: workers
 * @n_labels: labels (only those that occur in the answers take part)
 * @labels: (array length=n_tasks): the aggregated label per task, -1 for a task without answers
 * @posteriors: @n_tasks x @n_labels, P(true label = c | answers); zero rows without answers
 * @priors: (array length=n_labels): π_c
 * @errors: @n_workers x @n_labels x @n_labels, [w][k][c] = P(w answers k | true label c);
 *   rows k that worker w never answered are zero
 * @n_iterations: EM iterations run
 * @elbo: the evidence lower bound per answer after the last iteration
 * @converged: whether the ELBO gained less than the tolerance before the iterations ran out
 */
typedef struct {
  guint     n_tasks;
  guint     n_workers;
  guint     n_labels;
  gint     *labels;
  double   *posteriors;
  double   *priors;
  double   *errors;
  guint     n_iterations;
  double    elbo;
  gboolean  converged;
} LkDawidSkene;

/**
 * LkIntruderAnswer:
 * @hit: index of the HIT (8 images, one an intruder)
 * @rater: who answered
 * @position: the image picked as the odd one out, 0-based
 */
typedef struct {
  guint hit;
  guint rater;
  guint position;
} LkIntruderAnswer;

/**
 * LkIntruderScores:
 * @n_hits: HITs
 * @main_cluster: (array length=n_hits): the most common cluster among each HIT's images
 * @intruder_cluster: (array length=n_hits): the second most common (the main one if alone)
 * @n_answers: answers read
 * @n_correct: answers that picked an image of the intruder cluster
 * @accuracy: @n_correct / @n_answers, the raw per-answer accuracy
 * @n_clusters: clusters (1 + the largest cluster id)
 * @cluster_answers: (array length=n_clusters): answers to HITs with this main cluster
 * @cluster_correct: (array length=n_clusters): of those, correct
 * @cluster_accuracy: (array length=n_clusters): their ratio, NaN without answers
 * @aggregated: (array length=n_hits): the Dawid–Skene position for HITs with two or more
 *   raters, else -1
 * @n_aggregated: HITs with two or more raters
 * @n_aggregated_correct: of those, HITs whose aggregated answer is in the intruder cluster
 * @aggregated_accuracy: their ratio, NaN when no HIT has two raters
 * @cluster_hits: (array length=n_clusters): aggregated HITs per main cluster
 * @cluster_hits_correct: (array length=n_clusters): of those, correct
 * @cluster_aggregated_accuracy: (array length=n_clusters): their ratio, NaN without HITs
 */
typedef struct {
  guint   n_hits;
  gint   *main_cluster;
  gint   *intruder_cluster;
  guint   n_answers;
  guint   n_correct;
  double  accuracy;
  guint   n_clusters;
  guint  *cluster_answers;
  guint  *cluster_correct;
  double *cluster_accuracy;
  gint   *aggregated;
  guint   n_aggregated;
  guint   n_aggregated_correct;
  double  aggregated_accuracy;
  guint  *cluster_hits;
  guint  *cluster_hits_correct;
  double *cluster_aggregated_accuracy;
} LkIntruderScores;

/**
 * LkIntruderMetric:
 * @n_hits: HITs
 * @picks: (array length=n_hits): per HIT, the position the metric calls the odd one out, -1 on
 *   a tie
 * @accuracy: share of HITs where the pick is in the intruder cluster, with a 95 % interval
 * @n_answers: people's answers
 * @n_agreeing: answers that picked the metric's position
 * @agreement: @n_agreeing / @n_answers, with a 95 % interval
 */
typedef struct {
  guint       n_hits;
  gint       *picks;
  LkInterval  accuracy;
  guint       n_answers;
  guint       n_agreeing;
  LkInterval  agreement;
} LkIntruderMetric;

LkDawidSkene     *lk_scores_dawid_skene   (const LkLabelAnswer    *answers,
                                           gsize                   n_answers,
                                           guint                   n_tasks,
                                           guint                   n_workers,
                                           guint                   n_labels,
                                           guint                   max_iterations,
                                           double                  tolerance,
                                           GError                **error)
                                           G_GNUC_WARN_UNUSED_RESULT;
void              lk_dawid_skene_free     (LkDawidSkene           *ds);
LkIntruderScores *lk_scores_intruder      (const guint            *clusters,
                                           guint                   n_hits,
                                           guint                   hit_size,
                                           const LkIntruderAnswer *answers,
                                           gsize                   n_answers,
                                           GError                **error)
                                           G_GNUC_WARN_UNUSED_RESULT;
void              lk_intruder_scores_free (LkIntruderScores       *scores);
LkIntruderMetric *lk_scores_intruder_metric (const guint            *items,
                                             const guint            *clusters,
                                             guint                   n_hits,
                                             guint                   hit_size,
                                             const LkIntruderAnswer *answers,
                                             gsize                   n_answers,
                                             LkScoreDistanceFunc     distance,
                                             gpointer                user_data,
                                             guint                   n_resamples,
                                             guint64                 seed,
                                             GError                **error)
                                             G_GNUC_WARN_UNUSED_RESULT;
void              lk_intruder_metric_free   (LkIntruderMetric       *metric);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LkTripletFilter, lk_triplet_filter_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LkChoiceScores, lk_choice_scores_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LkChoiceMetric, lk_choice_metric_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LkDawidSkene, lk_dawid_skene_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LkIntruderScores, lk_intruder_scores_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LkIntruderMetric, lk_intruder_metric_free)

G_END_DECLS
