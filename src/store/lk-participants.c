/* lk-participants.c — who sorted how, and leaving a participant out of the model
 *
 * Workers. Every answered query read from the file carries its participant as a dense worker
 * index (lk_answers_get_query()): the participants numbered 0, 1, 2… by their row id, which is
 * the order they were added to the study (in a study the app runs, the order of their first
 * answer). The index of a participant never changes, since rows are only added. The app's live
 * path gives its answers the same index (lk_participants_worker_index()), so Crowdclustering and
 * cen see the same workers live and in the replay.
 *
 * Leaving out. A participant left out of the model has a row in participant_excluded (schema
 * version 8), or the status 'not_qualified' (failed the exam, schema version 7): both are left
 * out alike (LK_STORE_SQL_ANSWER_IN_MODEL). Their answers stay stored, counted in the budget
 * and exported with the answers; the replay (lk-replay.c) and the pair export skip them, and
 * the app's worker recomputes the model without them on its thread.
 *
 * Agreement with the consensus. For each of a participant's pair results (two images of one of
 * their grids, not both left out) the model predicts "close" or "apart"; the agreement is the
 * share of results where that prediction says what the participant did (same bin <-> close).
 * What "close" is depends on what the method has:
 *   - cen: its own pair distance under the grid's context and the participant's weights (the
 *     mean weights for a participant it does not know) below LK_CEN_THRESHOLD, the midpoint of
 *     its margins, as its held-out pair accuracy (paper 001 section 4.5);
 *   - crowdcluster: the two images in one of its Dirichlet-process clusters;
 *   - every other method (an embedding alone): the distance in the embedding below the midpoint
 *     of the mean distance of the model's together pairs and that of its apart pairs (the pair
 *     results of every answer in the model). A choice of ours: the embedding has no scale of
 *     its own, and this threshold is the one that separates the consensus' two kinds of pairs
 *     best when both are spread alike.
 * Before the first phase is folded in the model has nothing to say, and the agreement is NAN.
 *
 * Quality figures. A participant's consistency is the mean adjusted Rand index
 * (lk_qc_consistency()) between each repeated grid they answered (query.repeat_of) and their
 * answer to its first showing; their gold score the mean lk_qc_exam_score() of their answers to
 * grids that showed a known answer (query.gold: exam and catch grids, training pages too).
 * Below the study's session settings `min-consistency` (default 0.3) and `min-gold-score`
 * (default 80) they are flagged for the experimenter; a flag leaves no one out. Answers a crowd
 * platform rejected do not count.
 *
 * Criterion: cen's attribute weights a^w of the participant (one per dimension), and
 * Crowdclustering's worker bias (the posterior mean of tau: how readily they put images
 * together). Other methods have none.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <math.h>

#include "lk-answers.h"
#include "lk-cen.h"
#include "lk-method-private.h"
#include "lk-gold.h"
#include "lk-participants.h"
#include "lk-qc.h"
#include "lk-session-settings.h"

#include "lk-store-private.h"

/**
 * lk_participant_info_free:
 */
void
lk_participant_info_free (LkParticipantInfo *info)
{
  if (info == NULL)
    return;

  g_free (info->code);
  g_clear_pointer (&info->criterion, g_array_unref);
  g_free (info);
}

/**
 * lk_criterion_kind_to_string:
 *
 * Returns: "attribute-weights", "bias" or "none"
 */
const char *
lk_criterion_kind_to_string (LkCriterionKind kind)
{
  switch (kind)
    {
    case LK_CRITERION_ATTRIBUTE_WEIGHTS:
      return "attribute-weights";
    case LK_CRITERION_BIAS:
      return "bias";
    case LK_CRITERION_NONE:
    default:
      return "none";
    }
}

/**
 * lk_participant_flags_to_string:
 *
 * Returns: (transfer full): the flags as words joined by ',' ("inconsistent", "low-gold"), or
 *   "" for none
 */
char *
lk_participant_flags_to_string (LkParticipantFlags flags)
{
  GString *s = g_string_new (NULL);

  if (flags & LK_PARTICIPANT_FLAG_INCONSISTENT)
    g_string_append (s, "inconsistent");
  if (flags & LK_PARTICIPANT_FLAG_LOW_GOLD)
    g_string_append_printf (s, "%slow-gold", s->len > 0 ? "," : "");

  return g_string_free (s, FALSE);
}

/**
 * lk_participants_worker_index:
 * @store: a study
 * @participant: a participant's row id
 * @error: return location for a #GError
 *
 * Returns: the dense worker index the answers of @participant carry (the number of participant
 *   rows before it), or %LK_PARTICIPANT_UNKNOWN with @error set
 */
guint
lk_participants_worker_index (LkStore  *store,
                              gint64    participant,
                              GError  **error)
{
  gint64 index;

  g_return_val_if_fail (store != NULL, LK_PARTICIPANT_UNKNOWN);

  if (!lk_store_query_int (store, "SELECT count(*) FROM participant WHERE id < ?", participant,
                           &index, error))
    return LK_PARTICIPANT_UNKNOWN;

  return (guint) index;
}

/**
 * lk_participants_excluded_workers:
 * @store: a study
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (element-type guint): the worker indices of the participants left
 *   out of the model, ascending, or %NULL with @error set
 */
GArray *
lk_participants_excluded_workers (LkStore  *store,
                                  GError  **error)
{
  g_autoptr(GArray) ids = NULL;
  GArray *workers;

  g_return_val_if_fail (store != NULL, NULL);

  ids = lk_store_query_ids (store, "SELECT (SELECT count(*) FROM participant p WHERE p.id < "
                            "e.participant) FROM " LK_STORE_SQL_PARTICIPANTS_LEFT_OUT " e "
                            "ORDER BY e.participant", 0, "Reading the participants left out",
                            error);
  if (ids == NULL)
    return NULL;
  workers = g_array_sized_new (FALSE, FALSE, sizeof (guint), ids->len);
  for (guint i = 0; i < ids->len; i++)
    {
      guint w = (guint) g_array_index (ids, gint64, i);

      g_array_append_val (workers, w);
    }

  return workers;
}

/**
 * lk_participants_count_left_out:
 * @store: a study
 * @n_answers: (out): the sorting answers that count (in the budget) but are not in the model,
 *   being those of participants left out and those to grids that check their participant
 *   (repeats, catch grids); an exam's answers and the trials are not in the budget
 * @error: return location for a #GError
 *
 * Returns: %TRUE on success
 */
gboolean
lk_participants_count_left_out (LkStore  *store,
                                guint    *n_answers,
                                GError  **error)
{
  gint64 n;

  g_return_val_if_fail (store != NULL && n_answers != NULL, FALSE);

  /* A check grid's answer (lk_answers_save_check()) is one such too: in the budget, never in
   * the model. Only sorting grids count in the budget: an exam's answers (whose query.gold
   * makes them checks too) and the trials never did while a session ran, so on replay they
   * must not either. */
  if (!lk_store_query_int (store, "SELECT count(*) FROM answer a JOIN query q ON q.id = a.query "
                           "WHERE " LK_STORE_SQL_ANSWER_COUNTS " AND NOT " LK_STORE_SQL_IS_TRIAL
                           " AND NOT " LK_STORE_SQL_IS_GOLD_TASK " AND (" LK_STORE_SQL_IS_CHECK
                           " OR NOT " LK_STORE_SQL_ANSWER_IN_MODEL ")",
                           0, &n, error))
    return FALSE;
  *n_answers = (guint) n;

  return TRUE;
}

/**
 * lk_participants_set_excluded:
 * @store: a study open for writing
 * @code: a participant's code
 * @excluded: %TRUE to leave them out of the model, %FALSE to bring them back in
 * @error: return location for a #GError
 *
 * Changes nothing but the flag: the answers stay stored. Setting the flag it already has is
 * not an error. An unknown code fails with %LK_STORE_ERROR_INVALID.
 *
 * Returns: %TRUE on success
 */
gboolean
lk_participants_set_excluded (LkStore     *store,
                              const char  *code,
                              gboolean     excluded,
                              GError     **error)
{
  g_autofree char *since = lk_store_now_iso8601 ();
  gint64 id;

  g_return_val_if_fail (store != NULL && code != NULL, FALSE);

  id = lk_store_find_participant (store, code);
  if (id == 0)
    {
      g_set_error (error, LK_STORE_ERROR, LK_STORE_ERROR_INVALID,
                   "The study has no participant with the code %s", code);
      return FALSE;
    }
  if (excluded)
    return lk_store_write_row (store, NULL, NULL, "Leaving the participant out", error,
                               "INSERT OR IGNORE INTO participant_excluded (participant, since) "
                               "VALUES (?, ?)", "xs", id, since);

  return lk_store_write_row (store, NULL, NULL, "Bringing the participant back in", error,
                             "DELETE FROM participant_excluded WHERE participant = ?", "x", id);
}

/**
 * lk_participants_set_qualified:
 * @store: a study open for writing
 * @code: a participant's code
 * @qualified: %FALSE when they failed the exam (status 'not_qualified'), %TRUE for 'active'
 * @error: return location for a #GError
 *
 * A participant not qualified is left out of the model as one the experimenter left out is;
 * their answers stay stored. An unknown code fails with %LK_STORE_ERROR_INVALID.
 *
 * Returns: %TRUE on success
 */
gboolean
lk_participants_set_qualified (LkStore     *store,
                               const char  *code,
                               gboolean     qualified,
                               GError     **error)
{
  gint64 id;

  g_return_val_if_fail (store != NULL && code != NULL, FALSE);

  id = lk_store_find_participant (store, code);
  if (id == 0)
    {
      g_set_error (error, LK_STORE_ERROR, LK_STORE_ERROR_INVALID,
                   "The study has no participant with the code %s", code);
      return FALSE;
    }

  return lk_store_write_row (store, NULL, NULL, "Writing whether the participant qualified",
                             error, "UPDATE participant SET status = ? WHERE id = ?", "sx",
                             qualified ? "active" : "not_qualified", id);
}

/**
 * lk_participants_get_qualified:
 * @store: a study
 * @code: a participant's code
 *
 * Returns: %FALSE if the participant failed the exam (status 'not_qualified'); %TRUE for
 *   'active', for a code the study does not know, and when the status cannot be read (the
 *   session then lets them in: their exam answers decide again)
 */
gboolean
lk_participants_get_qualified (LkStore    *store,
                               const char *code)
{
  gint64 id, not_qualified = 0;
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (store != NULL && code != NULL, TRUE);

  id = lk_store_find_participant (store, code);
  if (id == 0)
    return TRUE;
  if (!lk_store_query_int (store, "SELECT count(*) FROM participant WHERE id = ? AND "
                           "status = 'not_qualified'", id, &not_qualified, &error))
    g_debug ("reading whether %s qualified: %s", code, error->message);

  return not_qualified == 0;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

/* What the model predicts of pairs, built once per list. */
typedef struct {
  const LkRefiner *refiner;
  const LkMethodType *method;
  gconstpointer    state;
  const guint     *clusters;   /* crowdcluster's, or NULL */
  double           threshold;  /* for an embedding alone */
} Predictor;

/* The midpoint of the mean embedding distance of the together and of the apart pair results
 * of every answer in the model; NAN if either kind has none. */
static double
embedding_threshold (const LkRefiner *refiner)
{
  const LkEmbedding *embedding = lk_refiner_get_embedding (refiner);
  const GPtrArray *answers = lk_refiner_get_answers (refiner);
  double sum[2] = { 0, 0 };
  guint64 n[2] = { 0, 0 };

  for (guint q = 0; q < answers->len; q++)
    {
      const LkQuery *query = g_ptr_array_index (answers, q);
      guint m = lk_query_get_n_items (query);

      for (guint a = 0; a < m; a++)
        for (guint b = a + 1; b < m; b++)
          {
            LkPairResult r = lk_query_pair_result (query, a, b);
            double d;

            if (r == LK_PAIR_NONE)
              continue;
            d = lk_embedding_distance (embedding, lk_query_get_item (query, a),
                                       lk_query_get_item (query, b));
            sum[r == LK_PAIR_POSITIVE] += d;
            n[r == LK_PAIR_POSITIVE]++;
          }
    }
  if (n[0] == 0 || n[1] == 0)
    return NAN;

  return (sum[0] / n[0] + sum[1] / n[1]) / 2;
}

static gboolean
predicts_close (const Predictor *p,
                const LkQuery   *query,
                guint            a,
                guint            b)
{
  guint i = lk_query_get_item (query, a), j = lk_query_get_item (query, b);

  if (p->method == lk_method_cen)
    return lk_cen_pair_distance (p->state, query, a, b) < LK_CEN_THRESHOLD;
  if (p->clusters != NULL)
    return p->clusters[i] == p->clusters[j];

  return lk_embedding_distance (lk_refiner_get_embedding (p->refiner), i, j) < p->threshold;
}

/* The model's parameters of worker @worker, or NULL. */
static GArray *
criterion_of (const Predictor *p,
              guint            worker,
              LkCriterionKind *kind)
{
  *kind = LK_CRITERION_NONE;
  if (p->method == lk_method_cen)
    {
      guint dim = lk_refiner_get_params (p->refiner)->dim;

      *kind = LK_CRITERION_ATTRIBUTE_WEIGHTS;
      for (guint w = 0; w < lk_cen_get_n_participants (p->state); w++)
        {
          guint participant;

          lk_cen_get_participant_weights (p->state, w, &participant, NULL);
          if (participant == worker)
            {
              GArray *weights = g_array_sized_new (FALSE, TRUE, sizeof (double), dim);

              g_array_set_size (weights, dim);
              lk_cen_get_participant_weights (p->state, w, NULL, (double *) weights->data);
              return weights;
            }
        }
    }
  else if (p->method == &_lk_method_crowdcluster_type)
    {
      guint participant;
      double bias;

      *kind = LK_CRITERION_BIAS;
      for (guint w = 0; _lk_method_crowdcluster_get_worker (p->state, w, &participant, &bias); w++)
        if (participant == worker)
          {
            GArray *value = g_array_sized_new (FALSE, FALSE, sizeof (double), 1);

            g_array_append_val (value, bias);
            return value;
          }
    }

  return NULL;
}

/* The answered query @query, or NULL with @error set. */
static LkQuery *
answered_query (LkStore  *store,
                gint64    query,
                GError  **error)
{
  LkQuery *q = lk_answers_get_query (store, query, NULL, error);

  if (q != NULL && !lk_query_is_answered (q))
    {
      g_set_error (error, LK_STORE_ERROR, LK_STORE_ERROR_INVALID,
                   "Query %" G_GINT64_FORMAT " has an answer row but no answer", query);
      g_clear_pointer (&q, lk_query_free);
    }

  return q;
}

/* Reads rows of three ids (participant, query, other) from @sql into a flat GArray of gint64. */
static GArray *
query_triples (LkStore     *store,
               const char  *sql,
               GError     **error)
{
  g_autoptr(GArray) rows = g_array_new (FALSE, FALSE, sizeof (gint64));
  sqlite3_stmt *stmt = lk_store_prepare (store, sql, error);
  int rc;

  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    for (int c = 0; c < 3; c++)
      {
        gint64 v = sqlite3_column_int64 (stmt, c);

        g_array_append_val (rows, v);
      }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      lk_store_set_error (store, error, rc, "Reading the repeated and gold grids");
      return NULL;
    }

  return g_steal_pointer (&rows);
}

/* Fills each participant's quality figures and flags (see the top of this file); @by_id maps a
 * participant's row id to their LkParticipantInfo. */
static gboolean
add_quality (LkStore     *store,
             GHashTable  *by_id,
             GError     **error)
{
  g_auto(LkSessionSettings) settings = { 0 };
  g_autoptr(GHashTable) golds = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                                       (GDestroyNotify) lk_gold_grid_free);
  g_autoptr(GArray) repeats = NULL, gold_rows = NULL;
  GHashTableIter iter;
  gpointer value;

  if (!lk_store_load_session_settings (store, &settings, error))
    return FALSE;
  /* A repeat answered, and its first showing answered by the same participant. */
  repeats = query_triples (store, "SELECT a.participant, a.query, q.repeat_of FROM answer a "
                           "JOIN query q ON q.id = a.query WHERE q.repeat_of IS NOT NULL AND "
                           "a.participant IS NOT NULL AND " LK_STORE_SQL_ANSWER_COUNTS " AND "
                           "EXISTS (SELECT 1 FROM answer b WHERE b.query = q.repeat_of AND "
                           "b.participant = a.participant) ORDER BY a.id", error);
  if (repeats == NULL)
    return FALSE;
  gold_rows = query_triples (store, "SELECT a.participant, a.query, q.gold FROM answer a "
                             "JOIN query q ON q.id = a.query WHERE q.gold IS NOT NULL AND "
                             "a.participant IS NOT NULL AND " LK_STORE_SQL_ANSWER_COUNTS
                             " ORDER BY a.id", error);
  if (gold_rows == NULL)
    return FALSE;

  g_hash_table_iter_init (&iter, by_id);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      LkParticipantInfo *info = value;

      info->consistency = 0;
      info->gold_score = 0;
    }
  for (guint r = 0; r < repeats->len; r += 3)
    {
      const gint64 *row = &g_array_index (repeats, gint64, r);
      LkParticipantInfo *info = g_hash_table_lookup (by_id, &row[0]);
      g_autoptr(LkQuery) repeat = NULL, first = NULL;
      g_autoptr(GError) local_error = NULL;
      double ari;

      if (info == NULL)
        continue;
      repeat = answered_query (store, row[1], error);
      first = repeat != NULL ? answered_query (store, row[2], error) : NULL;
      if (first == NULL)
        return FALSE;
      ari = lk_qc_consistency (first, repeat, &local_error);
      if (isnan (ari) || local_error != NULL)
        {
          g_set_error (error, LK_STORE_ERROR, LK_STORE_ERROR_INVALID,
                       "Query %" G_GINT64_FORMAT " repeats query %" G_GINT64_FORMAT ": %s",
                       row[1], row[2], local_error != NULL ? local_error->message
                                                           : "no consistency");
          return FALSE;
        }
      info->consistency += ari;
      info->repeats++;
    }
  for (guint r = 0; r < gold_rows->len; r += 3)
    {
      const gint64 *row = &g_array_index (gold_rows, gint64, r);
      LkParticipantInfo *info = g_hash_table_lookup (by_id, &row[0]);
      g_autoptr(LkQuery) answer = NULL;
      g_autoptr(GError) local_error = NULL;
      LkGoldGrid *gold;
      double score;

      if (info == NULL)
        continue;
      gold = g_hash_table_lookup (golds, &row[2]);
      if (gold == NULL)
        {
          gold = lk_gold_get (store, row[2], error);
          if (gold == NULL)
            return FALSE;
          g_hash_table_insert (golds, g_memdup2 (&row[2], sizeof (gint64)), gold);
        }
      answer = answered_query (store, row[1], error);
      if (answer == NULL)
        return FALSE;
      score = lk_qc_exam_score (answer, gold->answer, &local_error);
      if (local_error != NULL)
        {
          g_set_error (error, LK_STORE_ERROR, LK_STORE_ERROR_INVALID,
                       "Query %" G_GINT64_FORMAT " showing the known answer %s: %s", row[1],
                       gold->name, local_error->message);
          return FALSE;
        }
      info->gold_score += score;
      info->gold_grids++;
    }

  g_hash_table_iter_init (&iter, by_id);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      LkParticipantInfo *info = value;

      info->consistency = info->repeats > 0 ? info->consistency / info->repeats : NAN;
      info->gold_score = info->gold_grids > 0 ? info->gold_score / info->gold_grids : NAN;
      if (!isnan (info->consistency) && info->consistency < settings.min_consistency)
        info->flags |= LK_PARTICIPANT_FLAG_INCONSISTENT;
      if (!isnan (info->gold_score) && info->gold_score < settings.min_gold_score)
        info->flags |= LK_PARTICIPANT_FLAG_LOW_GOLD;
    }

  return TRUE;
}

/**
 * lk_participants_list:
 * @store: a study; only read
 * @refiner: (nullable): the study's model as it is now (a worker's); %NULL to replay the file
 * @error: return location for a #GError
 *
 * Every participant in the order of their rows (their worker index), with their answers and
 * times, whether they are pilots, left out or not qualified, their agreement with the model,
 * the model's criterion for them and their quality figures and flags (see the top of this
 * file). Reads every answer once; run it off the main
 * thread.
 *
 * Returns: (transfer full) (element-type LkParticipantInfo): the participants, or %NULL with
 *   @error set
 */
GPtrArray *
lk_participants_list (LkStore          *store,
                      const LkRefiner  *refiner,
                      GError          **error)
{
  g_autoptr(GPtrArray) list =
    g_ptr_array_new_with_free_func ((GDestroyNotify) lk_participant_info_free);
  g_autoptr(LkRefiner) replayed = NULL;
  g_autoptr(GPtrArray) seconds = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);
  g_autoptr(GArray) agree = NULL, compared = NULL;
  g_autoptr(GHashTable) by_id = g_hash_table_new (g_int64_hash, g_int64_equal);
  Predictor p = { 0 };
  gboolean model_speaks;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (store != NULL, NULL);

  if (refiner == NULL)
    {
      replayed = lk_answers_rebuild (store, NULL, error);
      if (replayed == NULL)
        return NULL;
      refiner = replayed;
    }
  p.refiner = refiner;
  p.method = lk_refiner_get_method (refiner);
  p.state = lk_refiner_get_state (refiner);
  if (p.method == &_lk_method_crowdcluster_type)
    p.clusters = _lk_method_crowdcluster_get_clusters (p.state, NULL);
  p.threshold = embedding_threshold (refiner);
  model_speaks = lk_refiner_get_phase (refiner) > 0 &&
                 (p.method == lk_method_cen || p.clusters != NULL || !isnan (p.threshold));

  stmt = lk_store_prepare (store, "SELECT p.id, p.code, p.pilot, p.id IN (SELECT participant "
                           "FROM participant_excluded), p.status = 'not_qualified' "
                           "FROM participant p ORDER BY p.id", error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      LkParticipantInfo *info = g_new0 (LkParticipantInfo, 1);

      info->id = sqlite3_column_int64 (stmt, 0);
      info->code = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      info->pilot = sqlite3_column_int (stmt, 2) != 0;
      info->excluded = sqlite3_column_int (stmt, 3) != 0;
      info->not_qualified = sqlite3_column_int (stmt, 4) != 0;
      info->worker = list->len;
      info->median_seconds = NAN;
      info->agreement = NAN;
      g_ptr_array_add (list, info);
      g_ptr_array_add (seconds, g_array_new (FALSE, FALSE, sizeof (double)));
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      lk_store_set_error (store, error, rc, "Reading the participants");
      return NULL;
    }
  for (guint i = 0; i < list->len; i++)
    {
      LkParticipantInfo *info = g_ptr_array_index (list, i);

      g_hash_table_insert (by_id, &info->id, info);
    }
  if (!add_quality (store, by_id, error))
    return NULL;

  agree = g_array_new (FALSE, TRUE, sizeof (guint64));
  compared = g_array_new (FALSE, TRUE, sizeof (guint64));
  g_array_set_size (agree, list->len);
  g_array_set_size (compared, list->len);

  /* Every counted answer with a participant, excluded ones included: their agreement is with
   * the model made without them. */
  {
    g_autoptr(GArray) answers = NULL;

    answers = lk_store_query_ids (store, "SELECT a.id FROM answer a WHERE a.participant IS NOT "
                                  "NULL AND " LK_STORE_SQL_ANSWER_COUNTS
                                  " ORDER BY a.id", 0, "Reading the answers", error);
    if (answers == NULL)
      return NULL;
    for (guint i = 0; i < answers->len; i++)
      {
        gint64 answer = g_array_index (answers, gint64, i), query, us, trial, worker;
        g_autoptr(LkQuery) q = NULL;
        guint w, m;
        double s;

        /* A trial of another task (a triplet…) has no bins to compare with the model: it
         * counts, with its time, and only a sorting answer is read as a grid. */
        if (!lk_store_query_int (store, "SELECT query FROM answer WHERE id = ?", answer, &query,
                                 error) ||
            !lk_store_query_int (store, "SELECT submitted_us - shown_us FROM answer WHERE id = ?",
                                 answer, &us, error) ||
            !lk_store_query_int (store, "SELECT " LK_STORE_SQL_IS_TRIAL " FROM query q "
                                 "WHERE q.id = ?", query, &trial, error) ||
            !lk_store_query_int (store, "SELECT (SELECT count(*) FROM participant p WHERE p.id < "
                                 "a.participant) FROM answer a WHERE a.id = ?", answer, &worker,
                                 error))
          return NULL;
        if (!trial)
          {
            q = lk_answers_get_query (store, query, NULL, error);
            if (q == NULL)
              return NULL;
          }
        w = (guint) worker;
        if (w >= list->len)
          continue;
        ((LkParticipantInfo *) g_ptr_array_index (list, w))->answers++;
        s = us / (double) G_USEC_PER_SEC;
        g_array_append_val (g_ptr_array_index (seconds, w), s);
        if (!model_speaks || q == NULL)
          continue;
        m = lk_query_get_n_items (q);
        for (guint a = 0; a < m; a++)
          for (guint b = a + 1; b < m; b++)
            {
              LkPairResult r = lk_query_pair_result (q, a, b);

              if (r == LK_PAIR_NONE)
                continue;
              g_array_index (compared, guint64, w)++;
              if (predicts_close (&p, q, a, b) == (r == LK_PAIR_POSITIVE))
                g_array_index (agree, guint64, w)++;
            }
      }
  }

  for (guint w = 0; w < list->len; w++)
    {
      LkParticipantInfo *info = g_ptr_array_index (list, w);
      GArray *times = g_ptr_array_index (seconds, w);
      guint64 n = g_array_index (compared, guint64, w);

      if (times->len > 0)
        {
          double *t = (double *) (gpointer) times->data;

          g_array_sort (times, compare_doubles);
          info->median_seconds = times->len % 2 == 1 ? t[times->len / 2]
                                 : (t[times->len / 2 - 1] + t[times->len / 2]) / 2;
        }
      info->pairs = (guint) n;
      if (n > 0)
        info->agreement = g_array_index (agree, guint64, w) / (double) n;
      info->criterion = criterion_of (&p, w, &info->criterion_kind);
    }

  return g_steal_pointer (&list);
}
