/* lk-study-scores.c — the scores of every metric a study has (the learned embedding of the last
 * phase, the colour and HOG descriptors of the feature table) on the study's stored trials,
 * with lk-scores' arithmetic (papers 002, 003, 004; src/core/lk-scores.h)
 *
 * One JSON object keyed by the task kinds present among the trials; each kind holds what
 * people's answers say (counts, agreement, unanimity) and `metrics`, keyed `learned`, `colour`,
 * `hog`, each holding that metric's scores. A metric the study does not have yet (no phase
 * completed; descriptors not computed) is left out of `metrics` and named in `unavailable` with
 * the reason. Numbers that are not defined (a rate without a denominator) are null.
 *
 * How trials become the scores' inputs:
 * - the raters of one triplet, forced choice or intruder HIT share the trial's group; a trial
 *   of group 0 stands alone;
 * - triplet: the unanimity filter with min_raters ratings per triplet (the paper's 3), then
 *   precision and score-at-top-K over the kept ones, with bootstrap intervals over triplets;
 * - choice5: the target is the candidate at the trial's key (the `pair` policy's collected
 *   match); without keys there is no target and people's accuracy is null. A metric's
 *   `accuracy` is its agreement with people (the share of answers that picked the candidate it
 *   puts nearest the query), the score that says whether it sees what people see whatever the
 *   policy; `target_accuracy` is its share of questions where it picks the target;
 * - match: each answer other than "none" is a collected pair (query, chosen); recall@k ranks
 *   every image the metric has, associative recall draws distractors from them;
 * - intruder: a HIT's clusters are the planted one (the image at the key) and the rest; the
 *   positions of its raters' answers are taken in the first rater's order, so that Dawid-Skene
 *   sees one label per image. Trials without a key are left out. Per-cluster accuracy
 *   (`clusters`, people's accuracy per HIT's main cluster) needs the clustering the HITs were
 *   drawn from, which the file does not keep; it is recovered from the HITs themselves: the
 *   seven majority images of a HIT are of one cluster, so the images joined through shared
 *   majorities (connected components) are one cluster each. A component is never more than one
 *   of the draw's clusters when every HIT was drawn from the same clustering; it may be a part
 *   of one when too few HITs overlap.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <math.h>

#include "lk-study-scores.h"

#include "lk-answers.h"
#include "lk-neighbours.h"
#include "lk-scores.h"
#include "lk-store-private.h"

/* The metrics, in the order they are reported, with the names the JSON keys them by. */
static const struct {
  const char  *name;
  LkSpaceKind  space;
} metric_kinds[] = {
  { "learned", LK_SPACE_LEARNED },
  { "colour", LK_SPACE_COLOR },
  { "hog", LK_SPACE_HOG },
};

#define N_METRICS G_N_ELEMENTS (metric_kinds)

typedef struct {
  LkSpace *spaces[N_METRICS];   /* NULL for a metric the study does not have */
  char    *missing[N_METRICS];  /* why, then */
} Metrics;

static void
metrics_clear (Metrics *m)
{
  for (guint i = 0; i < N_METRICS; i++)
    {
      g_clear_pointer (&m->spaces[i], lk_space_unref);
      g_clear_pointer (&m->missing[i], g_free);
    }
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Metrics, metrics_clear)

void
lk_study_score_options_init (LkStudyScoreOptions *options)
{
  g_return_if_fail (options != NULL);

  *options = (LkStudyScoreOptions) {
    .top_k = LK_SCORES_TOP_K,
    .min_raters = LK_SCORES_TRIPLET_RATERS,
    .n_resamples = LK_SCORES_BOOTSTRAP_RESAMPLES,
    .seed = 1,
  };
}

/* Loads every metric of @store into @m; one the study does not have gets its reason. */
static gboolean
load_metrics (LkStore  *store,
              Metrics  *m,
              GError  **error)
{
  for (guint i = 0; i < N_METRICS; i++)
    {
      g_autoptr(GError) local_error = NULL;

      m->spaces[i] = lk_space_load (store, metric_kinds[i].space, &local_error);
      if (m->spaces[i] != NULL)
        continue;
      if (!g_error_matches (local_error, LK_STORE_ERROR, LK_STORE_ERROR_NOT_FOUND))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      m->missing[i] = g_strdup (local_error->message);
    }

  return TRUE;
}

/* Adds @name: @value, or null when @value is not a finite number. */
static void
add_number (JsonBuilder *b,
            const char  *name,
            double       value)
{
  json_builder_set_member_name (b, name);
  if (isfinite (value))
    json_builder_add_double_value (b, value);
  else
    json_builder_add_null_value (b);
}

static void
add_int (JsonBuilder *b,
         const char  *name,
         gint64       value)
{
  json_builder_set_member_name (b, name);
  json_builder_add_int_value (b, value);
}

/* Adds @name: the estimate and @name_ci: [lower, upper] (nulls where undefined). */
static void
add_interval (JsonBuilder       *b,
              const char        *name,
              const LkInterval  *interval)
{
  g_autofree char *ci = g_strconcat (name, "_ci", NULL);

  add_number (b, name, interval->estimate);
  json_builder_set_member_name (b, ci);
  json_builder_begin_array (b);
  isfinite (interval->lower) ? json_builder_add_double_value (b, interval->lower)
                             : json_builder_add_null_value (b);
  isfinite (interval->upper) ? json_builder_add_double_value (b, interval->upper)
                             : json_builder_add_null_value (b);
  json_builder_end_array (b);
}

/* Adds `unavailable` naming the metrics @m lacks, if any. */
static void
add_unavailable (JsonBuilder   *b,
                 const Metrics *m)
{
  gboolean any = FALSE;

  for (guint i = 0; i < N_METRICS; i++)
    any = any || m->spaces[i] == NULL;
  if (!any)
    return;
  json_builder_set_member_name (b, "unavailable");
  json_builder_begin_object (b);
  for (guint i = 0; i < N_METRICS; i++)
    if (m->spaces[i] == NULL)
      {
        json_builder_set_member_name (b, metric_kinds[i].name);
        json_builder_add_string_value (b, m->missing[i]);
      }
  json_builder_end_object (b);
}

/* The id of the raters' unit a trial belongs to: its group, or one of its own. */
static guint
unit_of (const LkTrial *t,
         guint          index)
{
  return t->group != 0 ? t->group : G_MAXUINT - index;
}

static gboolean
score_triplets (JsonBuilder                *b,
                GPtrArray                  *trials,
                const Metrics              *m,
                const LkStudyScoreOptions  *o,
                GError                    **error)
{
  g_autofree LkTripletRating *ratings = g_new (LkTripletRating, MAX (trials->len, 1));
  g_autoptr(LkTripletFilter) filter = NULL;

  for (guint i = 0; i < trials->len; i++)
    {
      const LkTrial *t = g_ptr_array_index (trials, i);

      ratings[i] = (LkTripletRating) { unit_of (t, i), t->items[0], t->items[1], t->items[2],
                                       (guint) t->choice };
    }
  filter = lk_scores_triplet_filter (ratings, trials->len, o->min_raters, error);
  if (filter == NULL)
    return FALSE;

  add_int (b, "ratings", filter->n_ratings);
  add_int (b, "triplets", filter->n_triplets);
  add_int (b, "min_raters", o->min_raters);
  add_int (b, "rated", filter->n_complete);
  add_int (b, "unanimous", filter->n_unanimous);
  add_int (b, "kept", filter->n_kept);
  add_number (b, "unanimity_rate", filter->unanimity_rate);
  add_number (b, "no_order_share", filter->no_order_share);
  add_int (b, "k", o->top_k);
  add_unavailable (b, m);
  json_builder_set_member_name (b, "metrics");
  json_builder_begin_object (b);
  for (guint i = 0; i < N_METRICS; i++)
    {
      g_autofree LkTripletEval *evals = NULL;
      LkInterval precision = { NAN, NAN, NAN }, score = { NAN, NAN, NAN };
      guint n_subset = 0;
      gint score_at_k = 0;

      if (m->spaces[i] == NULL)
        continue;
      evals = g_new (LkTripletEval, MAX (filter->n_kept, 1));
      if (filter->n_kept > 0)
        {
          lk_scores_triplet_evaluate (filter->kept, filter->n_kept,
                                      lk_space_get_n_items (m->spaces[i]), lk_space_distance,
                                      m->spaces[i], evals);
          lk_scores_triplet_bootstrap (evals, filter->n_kept, o->top_k, o->n_resamples, o->seed,
                                       &precision, &score);
          score_at_k = lk_scores_triplet_score_at_k (evals, filter->n_kept, o->top_k, &n_subset);
        }
      json_builder_set_member_name (b, metric_kinds[i].name);
      json_builder_begin_object (b);
      add_interval (b, "precision", &precision);
      add_int (b, "score_at_k", score_at_k);
      json_builder_set_member_name (b, "score_at_k_ci");
      json_builder_begin_array (b);
      isfinite (score.lower) ? json_builder_add_double_value (b, score.lower)
                             : json_builder_add_null_value (b);
      isfinite (score.upper) ? json_builder_add_double_value (b, score.upper)
                             : json_builder_add_null_value (b);
      json_builder_end_array (b);
      add_int (b, "n_subset", n_subset);
      json_builder_end_object (b);
    }
  json_builder_end_object (b);

  return TRUE;
}

static gboolean
score_choice (JsonBuilder                *b,
              GPtrArray                  *trials,
              const Metrics              *m,
              const LkStudyScoreOptions  *o,
              GError                    **error)
{
  const guint n_candidates = LK_CHOICE5_N_ITEMS - 1;
  g_autofree LkChoiceAnswer *answers = g_new (LkChoiceAnswer, MAX (trials->len, 1));
  g_autoptr(GArray) sets = g_array_new (FALSE, FALSE, sizeof (LkChoiceSet));
  g_autoptr(GArray) candidates = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GHashTable) seen = g_hash_table_new (NULL, NULL);
  g_autoptr(LkChoiceScores) scores = NULL;
  gboolean have_targets = TRUE;

  for (guint i = 0; i < trials->len; i++)
    {
      const LkTrial *t = g_ptr_array_index (trials, i);
      guint question = unit_of (t, i);
      guint target = t->key >= 1 ? t->items[t->key] : G_MAXUINT;

      have_targets = have_targets && t->key >= 1;
      answers[i] = (LkChoiceAnswer) { question, t->items[t->choice], target,
                                      (guint) t->choice - 1 };
      if (!g_hash_table_add (seen, GUINT_TO_POINTER (question)))
        continue;
      g_array_append_val (sets, ((LkChoiceSet) { question, t->items[0], target }));
      g_array_append_vals (candidates, t->items + 1, n_candidates);
    }
  scores = lk_scores_choice (answers, trials->len, n_candidates, error);
  if (scores == NULL)
    return FALSE;

  add_int (b, "answers", scores->n_answers);
  add_int (b, "questions", scores->n_questions);
  add_number (b, "accuracy", have_targets ? scores->accuracy : NAN);
  add_number (b, "majority_share", scores->majority_share);
  add_number (b, "unanimous_share", scores->unanimous_share);
  add_number (b, "agreement_r", have_targets ? scores->agreement_r : NAN);
  json_builder_set_member_name (b, "position_counts");
  json_builder_begin_array (b);
  for (guint p = 0; p < scores->n_positions; p++)
    json_builder_add_int_value (b, scores->position_counts[p]);
  json_builder_end_array (b);
  add_number (b, "chi_squared", scores->chi_squared);
  add_int (b, "degrees_of_freedom", scores->degrees_of_freedom);
  add_number (b, "p_value", scores->p_value);
  json_builder_set_member_name (b, "per_query");
  json_builder_begin_array (b);
  for (guint q = 0; q < scores->n_questions; q++)
    {
      const LkChoiceQuestion *cq = &scores->questions[q];

      json_builder_begin_object (b);
      add_int (b, "answers", cq->n_answers);
      add_number (b, "agreement", cq->agreement);
      add_number (b, "correct_share", have_targets ? cq->correct_share : NAN);
      json_builder_set_member_name (b, "majority");
      json_builder_add_boolean_value (b, cq->majority);
      json_builder_set_member_name (b, "unanimous");
      json_builder_add_boolean_value (b, cq->unanimous);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  add_unavailable (b, m);
  json_builder_set_member_name (b, "metrics");
  json_builder_begin_object (b);
  for (guint i = 0; i < N_METRICS; i++)
    {
      g_autoptr(LkChoiceMetric) metric = NULL;

      if (m->spaces[i] == NULL)
        continue;
      metric = lk_scores_choice_metric ((const LkChoiceSet *) sets->data, sets->len,
                                        (const guint *) candidates->data, n_candidates, answers,
                                        trials->len, lk_space_distance, m->spaces[i],
                                        o->n_resamples, o->seed, error);
      if (metric == NULL)
        return FALSE;
      json_builder_set_member_name (b, metric_kinds[i].name);
      json_builder_begin_object (b);
      add_interval (b, "accuracy", &metric->agreement);
      if (have_targets)
        add_interval (b, "target_accuracy", &metric->target_accuracy);
      json_builder_end_object (b);
    }
  json_builder_end_object (b);

  return TRUE;
}

/* Returns the items @space has a vector for (a GArray of guint). */
static GArray *
space_pool (const LkSpace *space)
{
  GArray *pool = g_array_new (FALSE, FALSE, sizeof (guint));

  for (guint i = 0; i < lk_space_get_n_items (space); i++)
    if (lk_space_has_item (space, i))
      g_array_append_val (pool, i);

  return pool;
}

static gboolean
score_match (JsonBuilder                *b,
             GPtrArray                  *trials,
             const Metrics              *m,
             const LkStudyScoreOptions  *o,
             GError                    **error)
{
  g_autoptr(GArray) pairs = g_array_new (FALSE, FALSE, sizeof (LkMatchPair));

  for (guint i = 0; i < trials->len; i++)
    {
      const LkTrial *t = g_ptr_array_index (trials, i);

      if (t->choice >= 1)
        g_array_append_val (pairs, ((LkMatchPair) { t->items[0], t->items[t->choice] }));
    }
  add_int (b, "answers", trials->len);
  add_int (b, "pairs", pairs->len);
  add_int (b, "none", trials->len - pairs->len);
  add_unavailable (b, m);
  json_builder_set_member_name (b, "metrics");
  json_builder_begin_object (b);
  for (guint i = 0; i < N_METRICS && pairs->len > 0; i++)
    {
      g_autoptr(GArray) pool = NULL;
      g_autofree guint *ranks = NULL;
      double accuracy[G_N_ELEMENTS (lk_scores_associative_ms)];

      if (m->spaces[i] == NULL)
        continue;
      pool = space_pool (m->spaces[i]);
      ranks = lk_scores_match_ranks ((const LkMatchPair *) pairs->data, pairs->len,
                                     (const guint *) pool->data, pool->len, lk_space_distance,
                                     m->spaces[i]);
      lk_scores_associative_recall ((const LkMatchPair *) pairs->data, pairs->len,
                                    (const guint *) pool->data, pool->len,
                                    lk_scores_associative_ms,
                                    G_N_ELEMENTS (lk_scores_associative_ms),
                                    LK_SCORES_ASSOCIATIVE_REPETITIONS, o->seed, lk_space_distance,
                                    m->spaces[i], accuracy);
      json_builder_set_member_name (b, metric_kinds[i].name);
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "recall_at_k");
      json_builder_begin_object (b);
      for (guint k = 0; k < G_N_ELEMENTS (lk_scores_recall_ks); k++)
        {
          char name[16];

          g_snprintf (name, sizeof name, "%u", lk_scores_recall_ks[k]);
          add_number (b, name, lk_scores_recall_at_k (ranks, pairs->len, lk_scores_recall_ks[k]));
        }
      json_builder_end_object (b);
      json_builder_set_member_name (b, "associative_recall");
      json_builder_begin_object (b);
      for (guint j = 0; j < G_N_ELEMENTS (lk_scores_associative_ms); j++)
        {
          char name[16];

          g_snprintf (name, sizeof name, "%u", lk_scores_associative_ms[j]);
          add_number (b, name, accuracy[j]);
        }
      json_builder_end_object (b);
      json_builder_end_object (b);
    }
  json_builder_end_object (b);

  return TRUE;
}

/* Union-find over the items of the HITs, for the clusters the majorities join. */
static guint
find_root (GHashTable *parent,
           guint       item)
{
  guint root = item, next;

  while ((next = GPOINTER_TO_UINT (g_hash_table_lookup (parent, GUINT_TO_POINTER (root))))
         != root + 1 && next != 0)
    root = next - 1;

  return root;
}

/* Adds `clusters`: for each cluster the HITs' majorities join (file comment), numbered from 1
 * in the order of the first HIT showing it, its images seen as majority, HITs, answers, correct
 * answers and people's accuracy. @items: @n_hits x @size; @keys: the intruder position of
 * each. */
static void
add_intruder_clusters (JsonBuilder            *b,
                       const guint            *items,
                       const guint            *keys,
                       guint                   n_hits,
                       guint                   size,
                       const LkIntruderAnswer *answers,
                       guint                   n_answers)
{
  /* item -> parent + 1 (0: not a majority image) */
  g_autoptr(GHashTable) parent = g_hash_table_new (NULL, NULL);
  g_autoptr(GHashTable) number = g_hash_table_new (NULL, NULL);   /* root -> cluster + 1 */
  g_autofree guint *hit_cluster = g_new (guint, MAX (n_hits, 1));
  g_autoptr(GArray) images = g_array_new (FALSE, TRUE, sizeof (guint));
  g_autoptr(GArray) hits = g_array_new (FALSE, TRUE, sizeof (guint));
  g_autoptr(GArray) asked = g_array_new (FALSE, TRUE, sizeof (guint));
  g_autoptr(GArray) right = g_array_new (FALSE, TRUE, sizeof (guint));
  GHashTableIter iter;
  gpointer key;

  for (guint h = 0; h < n_hits; h++)
    for (guint p = 0; p < size; p++)
      if (p != keys[h] && !g_hash_table_contains (parent, GUINT_TO_POINTER (items[h * size + p])))
        g_hash_table_insert (parent, GUINT_TO_POINTER (items[h * size + p]),
                             GUINT_TO_POINTER (items[h * size + p] + 1));
  for (guint h = 0; h < n_hits; h++)
    {
      guint first = keys[h] == 0 ? 1 : 0;

      for (guint p = 0; p < size; p++)
        {
          guint a, c;

          if (p == keys[h] || p == first)
            continue;
          a = find_root (parent, items[h * size + first]);
          c = find_root (parent, items[h * size + p]);
          if (a != c)
            g_hash_table_insert (parent, GUINT_TO_POINTER (c), GUINT_TO_POINTER (a + 1));
        }
    }
  for (guint h = 0; h < n_hits; h++)
    {
      guint root = find_root (parent, items[h * size + (keys[h] == 0 ? 1 : 0)]);
      guint c = GPOINTER_TO_UINT (g_hash_table_lookup (number, GUINT_TO_POINTER (root)));

      if (c == 0)
        {
          c = g_hash_table_size (number) + 1;
          g_hash_table_insert (number, GUINT_TO_POINTER (root), GUINT_TO_POINTER (c));
          g_array_set_size (images, c);
          g_array_set_size (hits, c);
          g_array_set_size (asked, c);
          g_array_set_size (right, c);
        }
      hit_cluster[h] = c - 1;
      g_array_index (hits, guint, c - 1)++;
    }
  g_hash_table_iter_init (&iter, parent);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      guint c = GPOINTER_TO_UINT (g_hash_table_lookup (number, GUINT_TO_POINTER (
                                    find_root (parent, GPOINTER_TO_UINT (key)))));

      if (c > 0)
        g_array_index (images, guint, c - 1)++;
    }
  for (guint i = 0; i < n_answers; i++)
    {
      guint c = hit_cluster[answers[i].hit];

      g_array_index (asked, guint, c)++;
      if (answers[i].position == keys[answers[i].hit])
        g_array_index (right, guint, c)++;
    }

  json_builder_set_member_name (b, "clusters");
  json_builder_begin_array (b);
  for (guint c = 0; c < hits->len; c++)
    {
      guint n = g_array_index (asked, guint, c);

      json_builder_begin_object (b);
      add_int (b, "cluster", c + 1);
      add_int (b, "images", g_array_index (images, guint, c));
      add_int (b, "hits", g_array_index (hits, guint, c));
      add_int (b, "answers", n);
      add_int (b, "correct", g_array_index (right, guint, c));
      add_number (b, "accuracy", n > 0 ? (double) g_array_index (right, guint, c) / n : NAN);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
}

static gboolean
score_intruder (JsonBuilder                *b,
                GPtrArray                  *trials,
                const Metrics              *m,
                const LkStudyScoreOptions  *o,
                GError                    **error)
{
  const guint size = LK_INTRUDER_N_ITEMS;
  g_autoptr(GHashTable) hit_of = g_hash_table_new (NULL, NULL);
  g_autoptr(GArray) items = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GArray) clusters = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GArray) answers = g_array_new (FALSE, FALSE, sizeof (LkIntruderAnswer));
  g_autoptr(GArray) keys = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(LkIntruderScores) scores = NULL;
  guint n_hits = 0, without_key = 0;

  for (guint i = 0; i < trials->len; i++)
    {
      const LkTrial *t = g_ptr_array_index (trials, i);
      gpointer found;
      guint hit, position = G_MAXUINT;

      if (t->key < 0)
        {
          without_key++;
          continue;
        }
      if (g_hash_table_lookup_extended (hit_of, GUINT_TO_POINTER (unit_of (t, i)), NULL, &found))
        hit = GPOINTER_TO_UINT (found);
      else
        {
          guint key = (guint) t->key;

          hit = n_hits++;
          g_hash_table_insert (hit_of, GUINT_TO_POINTER (unit_of (t, i)), GUINT_TO_POINTER (hit));
          g_array_append_vals (items, t->items, size);
          g_array_append_val (keys, key);
          for (guint p = 0; p < size; p++)
            {
              guint c = (gint) p == t->key;

              g_array_append_val (clusters, c);
            }
        }
      for (guint p = 0; p < size; p++)
        if (g_array_index (items, guint, hit * size + p) == t->items[t->choice])
          position = p;
      if (position == G_MAXUINT)
        {
          g_set_error (error, LK_STORE_ERROR, LK_STORE_ERROR_DAMAGED,
                       "Two intruder trials of group %u show different images", t->group);
          return FALSE;
        }
      g_array_append_val (answers, ((LkIntruderAnswer) { hit, t->participant, position }));
    }
  scores = lk_scores_intruder ((const guint *) clusters->data, n_hits, size,
                               (const LkIntruderAnswer *) answers->data, answers->len, error);
  if (scores == NULL)
    return FALSE;

  add_int (b, "answers", answers->len);
  add_int (b, "without_key", without_key);
  add_int (b, "hits", n_hits);
  add_number (b, "accuracy", scores->accuracy);
  add_int (b, "aggregated_hits", scores->n_aggregated);
  add_number (b, "aggregated_accuracy", scores->aggregated_accuracy);
  add_intruder_clusters (b, (const guint *) items->data, (const guint *) keys->data, n_hits,
                         size, (const LkIntruderAnswer *) answers->data, answers->len);
  add_unavailable (b, m);
  json_builder_set_member_name (b, "metrics");
  json_builder_begin_object (b);
  for (guint i = 0; i < N_METRICS && n_hits > 0; i++)
    {
      g_autoptr(LkIntruderMetric) metric = NULL;

      if (m->spaces[i] == NULL)
        continue;
      metric = lk_scores_intruder_metric ((const guint *) items->data,
                                          (const guint *) clusters->data, n_hits, size,
                                          (const LkIntruderAnswer *) answers->data, answers->len,
                                          lk_space_distance, m->spaces[i], o->n_resamples,
                                          o->seed, error);
      if (metric == NULL)
        return FALSE;
      json_builder_set_member_name (b, metric_kinds[i].name);
      json_builder_begin_object (b);
      add_interval (b, "accuracy", &metric->accuracy);
      add_interval (b, "agreement", &metric->agreement);
      json_builder_end_object (b);
    }
  json_builder_end_object (b);

  return TRUE;
}

/**
 * lk_study_scores_compute:
 * @store: a study
 * @options: (nullable): K, raters, resamples and seed; %NULL for the defaults
 * @error: return location for a #GError
 *
 * Scores every metric the study has on its stored trials, as the file comment says.
 *
 * Returns: (transfer full): an object keyed by the task kinds present (empty without trials),
 *   or %NULL with @error set
 */
JsonNode *
lk_study_scores_compute (LkStore                    *store,
                         const LkStudyScoreOptions  *options,
                         GError                    **error)
{
  typedef gboolean (*ScoreFunc) (JsonBuilder *, GPtrArray *, const Metrics *,
                                 const LkStudyScoreOptions *, GError **);
  static const struct {
    LkTaskKind kind;
    ScoreFunc  func;
  } kinds[] = {
    { LK_TASK_TRIPLET, score_triplets },
    { LK_TASK_CHOICE5, score_choice },
    { LK_TASK_MATCH, score_match },
    { LK_TASK_INTRUDER, score_intruder },
  };
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(GPtrArray) trials = NULL;
  g_auto(Metrics) metrics = { 0 };
  LkStudyScoreOptions defaults;

  g_return_val_if_fail (store != NULL, NULL);

  if (options == NULL)
    {
      lk_study_score_options_init (&defaults);
      options = &defaults;
    }
  trials = lk_answers_list_trials (store, error);
  if (trials == NULL || !load_metrics (store, &metrics, error))
    return NULL;

  json_builder_begin_object (b);
  for (guint k = 0; k < G_N_ELEMENTS (kinds); k++)
    {
      g_autoptr(GPtrArray) of_kind = g_ptr_array_new ();

      for (guint i = 0; i < trials->len; i++)
        if (((const LkTrial *) g_ptr_array_index (trials, i))->kind == kinds[k].kind)
          g_ptr_array_add (of_kind, g_ptr_array_index (trials, i));
      if (of_kind->len == 0)
        continue;
      json_builder_set_member_name (b, lk_task_kind_to_string (kinds[k].kind));
      json_builder_begin_object (b);
      if (!kinds[k].func (b, of_kind, &metrics, options, error))
        return NULL;
      json_builder_end_object (b);
    }
  json_builder_end_object (b);

  return json_builder_get_root (b);
}

/* Appends a CSV row kind,metric,score,value,lower,upper for @node (a number, or null). */
static void
append_row (GString     *out,
            const char  *kind,
            const char  *metric,
            const char  *score,
            JsonNode    *node,
            JsonArray   *ci)
{
  g_string_append_printf (out, "%s,%s,%s,", kind, metric, score);
  if (node != NULL && !JSON_NODE_HOLDS_NULL (node))
    g_string_append_printf (out, "%.17g", json_node_get_double (node));
  for (guint i = 0; i < 2; i++)
    {
      g_string_append_c (out, ',');
      if (ci != NULL && !json_array_get_null_element (ci, i))
        g_string_append_printf (out, "%.17g", json_array_get_double_element (ci, i));
    }
  g_string_append_c (out, '\n');
}

/* Appends the rows of the scores object @o under @kind and @metric ("people" for the kind's
 * own figures): each number, with its `_ci`; the members of an object as NAME_MEMBER. */
static void
append_object_rows (GString     *out,
                    const char  *kind,
                    const char  *metric,
                    JsonObject  *o)
{
  g_autoptr(GList) members = json_object_get_members (o);

  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *name = l->data;
      JsonNode *node = json_object_get_member (o, name);
      g_autofree char *ci_name = g_strconcat (name, "_ci", NULL);

      if (g_str_has_suffix (name, "_ci") || g_str_equal (name, "per_query") ||
          g_str_equal (name, "metrics") || g_str_equal (name, "unavailable"))
        continue;
      if (JSON_NODE_HOLDS_OBJECT (node))
        {
          JsonObject *inner = json_node_get_object (node);
          g_autoptr(GList) keys = json_object_get_members (inner);

          for (GList *k = keys; k != NULL; k = k->next)
            {
              g_autofree char *score = g_strdup_printf ("%s_%s", name, (const char *) k->data);

              append_row (out, kind, metric, score, json_object_get_member (inner, k->data),
                          NULL);
            }
        }
      else if (JSON_NODE_HOLDS_ARRAY (node))
        {
          JsonArray *array = json_node_get_array (node);

          for (guint i = 0; i < json_array_get_length (array); i++)
            {
              JsonNode *element = json_array_get_element (array, i);
              g_autofree char *score = g_strdup_printf ("%s_%u", name, i + 1);

              /* An array of objects (the intruder's clusters): NAME_N_MEMBER per member. */
              if (JSON_NODE_HOLDS_OBJECT (element))
                {
                  JsonObject *inner = json_node_get_object (element);
                  g_autoptr(GList) keys = json_object_get_members (inner);

                  for (GList *k = keys; k != NULL; k = k->next)
                    {
                      g_autofree char *member = g_strdup_printf ("%s_%s", score,
                                                                 (const char *) k->data);

                      append_row (out, kind, metric, member,
                                  json_object_get_member (inner, k->data), NULL);
                    }
                }
              else
                append_row (out, kind, metric, score, element, NULL);
            }
        }
      else if (JSON_NODE_HOLDS_NULL (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
        append_row (out, kind, metric, name, node,
                    json_object_has_member (o, ci_name)
                    ? json_object_get_array_member (o, ci_name) : NULL);
    }
}

/**
 * lk_study_scores_to_csv:
 * @scores: what lk_study_scores_compute() returned
 *
 * The scores as tidy CSV: kind, metric ("people" for what the answers themselves say), score,
 * value, lower, upper (the 95 % interval, where there is one). A member holding numbers by k or
 * m gives one row each, named SCORE_K (recall_at_k_10); the position counts position_counts_1
 * to _5.
 *
 * Returns: (transfer full): the CSV text
 */
char *
lk_study_scores_to_csv (JsonNode *scores)
{
  GString *out = g_string_new ("kind,metric,score,value,lower,upper\n");
  JsonObject *root;
  g_autoptr(GList) kinds = NULL;

  g_return_val_if_fail (scores != NULL && JSON_NODE_HOLDS_OBJECT (scores), NULL);

  root = json_node_get_object (scores);
  kinds = json_object_get_members (root);
  for (GList *l = kinds; l != NULL; l = l->next)
    {
      JsonObject *kind = json_object_get_object_member (root, l->data);
      JsonObject *metrics = json_object_get_object_member (kind, "metrics");
      g_autoptr(GList) names = json_object_get_members (metrics);

      append_object_rows (out, l->data, "people", kind);
      for (GList *n = names; n != NULL; n = n->next)
        append_object_rows (out, l->data, n->data, json_object_get_object_member (metrics,
                                                                                   n->data));
    }

  return g_string_free (out, FALSE);
}

/* Returns @value as text with @digits decimals, or 3 significant digits when @digits < 0; a
 * per cent sign when @scale is 100. */
static char *
format_value (double value,
              int    digits,
              double scale)
{
  const char *unit = scale == 100 ? " %" : "";

  if (digits < 0)
    return g_strdup_printf ("%.3g%s", value * scale, unit);

  return g_strdup_printf ("%.*f%s", digits, value * scale, unit);
}

/* Returns @name's number in @o as format_value() writes it ("-" for null or absent). */
static char *
number (JsonObject  *o,
        const char  *name,
        int          digits,
        double       scale)
{
  JsonNode *node = o != NULL ? json_object_get_member (o, name) : NULL;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return g_strdup ("-");

  return format_value (json_node_get_double (node), digits, scale);
}

/* Returns "x (lo to hi)" for @name and @name_ci in @o, in per cent when @scale is 100. */
static char *
with_interval (JsonObject  *o,
               const char  *name,
               int          digits,
               double       scale)
{
  g_autofree char *ci_name = g_strconcat (name, "_ci", NULL);
  g_autofree char *value = number (o, name, digits, scale);
  JsonArray *ci;
  g_autofree char *lo = NULL;
  g_autofree char *hi = NULL;

  if (!json_object_has_member (o, ci_name))
    return g_steal_pointer (&value);
  ci = json_object_get_array_member (o, ci_name);
  lo = json_array_get_null_element (ci, 0) ? g_strdup ("-")
       : format_value (json_array_get_double_element (ci, 0), digits, 1);
  hi = json_array_get_null_element (ci, 1) ? g_strdup ("-")
       : format_value (json_array_get_double_element (ci, 1), digits, 1);

  return g_strdup_printf ("%s (%s to %s)", value, lo, hi);
}

/**
 * lk_study_scores_to_text:
 * @scores: what lk_study_scores_compute() returned
 *
 * The scores as a table per task kind, for `likeness-cli score`.
 *
 * Returns: (transfer full): the text
 */
char *
lk_study_scores_to_text (JsonNode *scores)
{
  GString *out = g_string_new (NULL);
  JsonObject *root;

  g_return_val_if_fail (scores != NULL && JSON_NODE_HOLDS_OBJECT (scores), NULL);

  root = json_node_get_object (scores);
  if (json_object_get_size (root) == 0)
    g_string_append (out, "The study has no trials of the tasks other than sorting yet.\n");
  for (guint k = 0; k < 4; k++)
    {
      static const char *const names[] = { "triplet", "choice5", "match", "intruder" };
      JsonObject *kind, *metrics;

      if (!json_object_has_member (root, names[k]))
        continue;
      kind = json_object_get_object_member (root, names[k]);
      metrics = json_object_get_object_member (kind, "metrics");
      if (k == 0)
        {
          g_autofree char *rate = number (kind, "unanimity_rate", 1, 100);
          g_autofree char *no_order = number (kind, "no_order_share", 1, 100);

          g_string_append_printf (out, "triplet: %" G_GINT64_FORMAT " ratings of %" G_GINT64_FORMAT
                                  " triplets, %" G_GINT64_FORMAT " rated by %" G_GINT64_FORMAT
                                  " or more, %" G_GINT64_FORMAT " kept (unanimity %s); answers "
                                  "1-2: %s\n",
                                  json_object_get_int_member (kind, "ratings"),
                                  json_object_get_int_member (kind, "triplets"),
                                  json_object_get_int_member (kind, "rated"),
                                  json_object_get_int_member (kind, "min_raters"),
                                  json_object_get_int_member (kind, "kept"), rate, no_order);
          g_string_append_printf (out, "  %-8s %-28s %s\n", "metric", "precision (95 % CI)",
                                  "score-at-top-K (95 % CI)");
        }
      else if (k == 1)
        {
          g_autofree char *accuracy = number (kind, "accuracy", 1, 100);
          g_autofree char *majority = number (kind, "majority_share", 1, 100);
          g_autofree char *r = number (kind, "agreement_r", 3, 1);
          g_autofree char *chi = number (kind, "chi_squared", 2, 1);
          g_autofree char *p = number (kind, "p_value", -1, 1);

          g_string_append_printf (out, "choice5: %" G_GINT64_FORMAT " answers to %" G_GINT64_FORMAT
                                  " queries; people chose the target %s; majority %s; r(agreement, "
                                  "correct) %s; position bias chi2 %s (p %s)\n",
                                  json_object_get_int_member (kind, "answers"),
                                  json_object_get_int_member (kind, "questions"), accuracy,
                                  majority, r, chi, p);
          g_string_append_printf (out, "  %-8s %-28s %s\n", "metric",
                                  "accuracy (agrees with people)", "target accuracy");
        }
      else if (k == 2)
        {
          g_string_append_printf (out, "match: %" G_GINT64_FORMAT " answers, %" G_GINT64_FORMAT
                                  " pairs\n", json_object_get_int_member (kind, "answers"),
                                  json_object_get_int_member (kind, "pairs"));
          g_string_append_printf (out, "  %-8s %-36s %s\n", "metric", "recall@1/5/10/20/50/100",
                                  "associative recall m=2/5/10/20");
        }
      else
        {
          g_autofree char *accuracy = number (kind, "accuracy", 1, 100);
          g_autofree char *aggregated = number (kind, "aggregated_accuracy", 1, 100);

          g_string_append_printf (out, "intruder: %" G_GINT64_FORMAT " answers to %" G_GINT64_FORMAT
                                  " HITs; people found the intruder %s; Dawid-Skene %s over %"
                                  G_GINT64_FORMAT " HITs of 2+ raters\n",
                                  json_object_get_int_member (kind, "answers"),
                                  json_object_get_int_member (kind, "hits"), accuracy, aggregated,
                                  json_object_get_int_member (kind, "aggregated_hits"));
          if (json_object_has_member (kind, "clusters"))
            {
              JsonArray *clusters = json_object_get_array_member (kind, "clusters");

              g_string_append (out, "  people per cluster (accuracy, HITs):");
              for (guint c = 0; c < json_array_get_length (clusters); c++)
                {
                  JsonObject *o = json_array_get_object_element (clusters, c);
                  g_autofree char *a = number (o, "accuracy", 2, 1);

                  g_string_append_printf (out, " C%" G_GINT64_FORMAT " %s (%" G_GINT64_FORMAT ")",
                                          json_object_get_int_member (o, "cluster"), a,
                                          json_object_get_int_member (o, "hits"));
                }
              g_string_append_c (out, '\n');
            }
          g_string_append_printf (out, "  %-8s %-28s %s\n", "metric", "accuracy (95 % CI)",
                                  "agreement with people");
        }
      for (guint i = 0; i < N_METRICS; i++)
        {
          const char *name = metric_kinds[i].name;
          JsonObject *o;
          g_autofree char *first = NULL;
          g_autofree char *second = NULL;

          if (!json_object_has_member (metrics, name))
            continue;
          o = json_object_get_object_member (metrics, name);
          if (k == 0)
            {
              first = with_interval (o, "precision", 3, 1);
              second = with_interval (o, "score_at_k", 0, 1);
            }
          else if (k == 1)
            {
              first = with_interval (o, "accuracy", 3, 1);
              second = json_object_has_member (o, "target_accuracy")
                       ? with_interval (o, "target_accuracy", 3, 1) : g_strdup ("-");
            }
          else if (k == 2)
            {
              JsonObject *r = json_object_get_object_member (o, "recall_at_k");
              JsonObject *a = json_object_get_object_member (o, "associative_recall");
              g_autofree char *r1 = number (r, "1", 2, 1), *r5 = number (r, "5", 2, 1);
              g_autofree char *r10 = number (r, "10", 2, 1), *r20 = number (r, "20", 2, 1);
              g_autofree char *r50 = number (r, "50", 2, 1);
              g_autofree char *r100 = number (r, "100", 2, 1);
              g_autofree char *a2 = number (a, "2", 2, 1), *a5 = number (a, "5", 2, 1);
              g_autofree char *a10 = number (a, "10", 2, 1), *a20 = number (a, "20", 2, 1);

              first = g_strdup_printf ("%s/%s/%s/%s/%s/%s", r1, r5, r10, r20, r50, r100);
              second = g_strdup_printf ("%s/%s/%s/%s", a2, a5, a10, a20);
              g_string_append_printf (out, "  %-8s %-36s %s\n", name, first, second);
              continue;
            }
          else
            {
              first = with_interval (o, "accuracy", 3, 1);
              second = with_interval (o, "agreement", 3, 1);
            }
          g_string_append_printf (out, "  %-8s %-28s %s\n", name, first, second);
        }
      if (json_object_has_member (kind, "unavailable"))
        {
          JsonObject *u = json_object_get_object_member (kind, "unavailable");
          g_autoptr(GList) missing = json_object_get_members (u);

          for (GList *l = missing; l != NULL; l = l->next)
            g_string_append_printf (out, "  %-8s (%s)\n", (const char *) l->data,
                                    json_object_get_string_member (u, l->data));
        }
    }

  return g_string_free (out, FALSE);
}

/**
 * lk_export_scores:
 * @store: a study
 * @json: %TRUE for the JSON object of lk_study_scores_compute(), %FALSE for its CSV
 * @path: the file to write ("-": standard output)
 * @error: return location for a #GError
 *
 * Writes the study's scores with the default options.
 *
 * Returns: %TRUE on success
 */
gboolean
lk_export_scores (LkStore     *store,
                  gboolean     json,
                  const char  *path,
                  GError     **error)
{
  g_autoptr(JsonNode) scores = NULL;
  g_autoptr(GString) out = NULL;

  g_return_val_if_fail (store != NULL && path != NULL, FALSE);

  scores = lk_study_scores_compute (store, NULL, error);
  if (scores == NULL)
    return FALSE;
  if (json)
    {
      g_autoptr(JsonGenerator) generator = json_generator_new ();
      g_autofree char *text = NULL;

      json_generator_set_root (generator, scores);
      json_generator_set_pretty (generator, TRUE);
      text = json_generator_to_data (generator, NULL);
      out = g_string_new (text);
      g_string_append_c (out, '\n');
    }
  else
    {
      g_autofree char *text = lk_study_scores_to_csv (scores);

      out = g_string_new (text);
    }

  return lk_export_write_file (out, path, error);
}
