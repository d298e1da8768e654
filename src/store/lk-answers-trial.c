/* lk-answers-trial.c — trials of the tasks other than sorting, and the group names of a sorting
 * answer, in the study file (schema 7)
 *
 * A trial is stored as a query of its kind (query.kind), its images in query_item in the order
 * lk-trial.h gives for the kind, a `trial` row with what the draw logged (swapped, key, group,
 * block) and an answer row whose `choice` is the participant's answer: all in the one
 * transaction that saves it, as a sorting answer is. Its query has drawn = 0 (the refiner's
 * generator did not draw it) and policy 'trial', so the replay's draws and the crowd batches,
 * which count drawn queries, never see it; its phase is the number of phases completed when it
 * was answered, so the replay adds it to the refiner where it came among the sorting answers.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "lk-answers.h"

#include "lk-store-private.h"

/* Returns whether every image of @trial is in the collection of @n_images; else sets @error. */
static gboolean
trial_in_collection (const LkTrial  *trial,
                     gint64          n_images,
                     GError        **error)
{
  for (guint i = 0; i < trial->n_items; i++)
    if ((gint64) trial->items[i] >= n_images)
      {
        g_set_error (error, LK_STORE_ERROR, LK_STORE_ERROR_INVALID,
                     "The trial shows image %u; the collection has %" G_GINT64_FORMAT " images",
                     trial->items[i], n_images);
        return FALSE;
      }

  return TRUE;
}

/* Checks @trial for storing; returns FALSE with @error (INVALID) if it cannot be. */
static gboolean
trial_storable (const LkTrial  *trial,
                guint           block,
                GError        **error)
{
  g_autoptr(GError) local_error = NULL;

  if (!lk_trial_validate (trial, &local_error))
    {
      g_set_error (error, LK_STORE_ERROR, LK_STORE_ERROR_INVALID, "The trial cannot be stored: %s",
                   local_error->message);
      return FALSE;
    }
  if (!lk_trial_is_answered (trial))
    {
      g_set_error_literal (error, LK_STORE_ERROR, LK_STORE_ERROR_INVALID,
                           "The trial cannot be stored: it has no answer");
      return FALSE;
    }
  if (block > G_MAXINT)
    {
      g_set_error (error, LK_STORE_ERROR, LK_STORE_ERROR_INVALID,
                   "The trial cannot be stored: block %u is out of range", block);
      return FALSE;
    }

  return TRUE;
}

/* Writes the rows of @trial and its answer (with @source) in the transaction already begun;
 * returns the answer's id, or 0 with @error. */
gint64
lk_answers_insert_trial (LkStore        *store,
                         const LkTrial  *trial,
                         gint64          session,
                         guint           block,
                         gint64          shown_us,
                         gint64          submitted_us,
                         const char     *source,
                         GError        **error)
{
  gint64 n_images, phases_done, query;
  sqlite3_stmt *stmt;

  if (!trial_storable (trial, block, error) ||
      !lk_store_query_int (store, "SELECT count(*) FROM image", 0, &n_images, error) ||
      !trial_in_collection (trial, n_images, error) ||
      !lk_store_query_int (store, "SELECT count(*) FROM phase", 0, &phases_done, error))
    return 0;

  query = lk_answers_insert_query (store, (guint) phases_done, LK_ANSWERS_POLICY_TRIAL,
                                   (guint) phases_done, "answered", FALSE, trial->items,
                                   trial->n_items, error);
  if (query == 0)
    return 0;

  stmt = lk_store_prepare (store, "UPDATE query SET kind = ? WHERE id = ?", error);
  if (stmt == NULL)
    return 0;
  sqlite3_bind_text (stmt, 1, lk_task_kind_to_string (trial->kind), -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, query);
  if (!lk_store_step_done (store, stmt, "Storing the trial", error))
    return 0;

  stmt = lk_store_prepare (store, "INSERT INTO trial (query, swapped, key, trial_group, block) "
                           "VALUES (?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return 0;
  sqlite3_bind_int64 (stmt, 1, query);
  sqlite3_bind_int (stmt, 2, trial->swapped ? 1 : 0);
  sqlite3_bind_int (stmt, 3, trial->key);
  sqlite3_bind_int64 (stmt, 4, trial->group);
  sqlite3_bind_int (stmt, 5, (int) block);
  if (!lk_store_step_done (store, stmt, "Storing the trial", error))
    return 0;

  stmt = lk_store_prepare (store,
                           "INSERT INTO answer (query, participant, session, shown_us, "
                           "submitted_us, choice, source) VALUES (?1, (SELECT participant FROM "
                           "session WHERE id = ?2), ?3, ?4, ?5, ?6, ?7)", error);
  if (stmt == NULL)
    return 0;
  sqlite3_bind_int64 (stmt, 1, query);
  sqlite3_bind_int64 (stmt, 2, session);
  if (session > 0)
    sqlite3_bind_int64 (stmt, 3, session);
  else
    sqlite3_bind_null (stmt, 3);
  sqlite3_bind_int64 (stmt, 4, shown_us);
  sqlite3_bind_int64 (stmt, 5, submitted_us);
  sqlite3_bind_int (stmt, 6, trial->choice);
  sqlite3_bind_text (stmt, 7, source, -1, SQLITE_TRANSIENT);
  if (!lk_store_step_done (store, stmt, "Saving the trial's answer", error))
    return 0;

  return sqlite3_last_insert_rowid (lk_store_get_db (store));
}

/**
 * lk_answers_save_trial:
 * @store: a study open for writing
 * @trial: an answered trial (lk_trial_validate() must accept it)
 * @session: the session it was given in, or 0 for none
 * @block: the session plan's block it belongs to, from 0
 * @shown_us: when the trial was shown, µs since the Unix epoch
 * @submitted_us: when it was answered
 * @error: return location for a #GError
 *
 * Stores the trial (a query of its kind with its images in order, swapped, key and group) and
 * its answer with the times, in one transaction. As with lk_answers_save(), when this returns
 * an id the answer is on disk; when it fails the study is as before and the caller may retry.
 *
 * Returns: the answer's id (> 0), or 0 with @error set (%LK_STORE_ERROR_INVALID for a trial
 *   that is not answered or not well formed)
 */
gint64
lk_answers_save_trial (LkStore        *store,
                       const LkTrial  *trial,
                       gint64          session,
                       guint           block,
                       gint64          shown_us,
                       gint64          submitted_us,
                       GError        **error)
{
  gint64 id;

  g_return_val_if_fail (store != NULL && trial != NULL, 0);

  if (!trial_storable (trial, block, error) || !lk_store_write_begin (store, error))
    return 0;
  id = lk_answers_insert_trial (store, trial, session, block, shown_us, submitted_us, "local",
                                error);
  if (id == 0)
    {
      lk_store_write_rollback (store);
      return 0;
    }
  if (!lk_store_write_commit (store, "Saving the trial's answer", error))
    return 0;

  return id;
}

/* The columns read_trial() takes, after `q.id`, from `answer a JOIN query q JOIN trial t`: the
 * participant as a dense index (its rank among the participants by id). */
#define TRIAL_COLUMNS \
  "q.kind, t.swapped, t.key, t.trial_group, a.choice, " \
  "(SELECT count(*) FROM participant p WHERE p.id < a.participant), a.participant IS NULL"

/* Returns the trial of the row @stmt is on (q.id then TRIAL_COLUMNS), with its images, checked
 * with lk_trial_validate(); NULL with @error (DAMAGED, naming the query) otherwise. */
static LkTrial *
read_trial (LkStore       *store,
            sqlite3_stmt  *stmt,
            GError       **error)
{
  gint64 query = sqlite3_column_int64 (stmt, 0);
  const char *kind_name = (const char *) sqlite3_column_text (stmt, 1);
  g_autoptr(GArray) items = NULL;
  g_autoptr(LkTrial) trial = NULL;
  g_autoptr(GError) local_error = NULL;
  LkTaskKind kind;

  if (!lk_task_kind_from_string (kind_name, &kind) || lk_task_kind_is_sorting (kind))
    {
      g_set_error (error, LK_STORE_ERROR, LK_STORE_ERROR_DAMAGED,
                   "Trial %" G_GINT64_FORMAT " has the kind '%s', which is not a trial's - %s",
                   query, kind_name != NULL ? kind_name : "", store->path);
      return NULL;
    }
  items = lk_answers_load_items (store, query, error);
  if (items == NULL)
    return NULL;
  trial = lk_trial_new (kind, (const guint *) items->data, items->len);
  trial->swapped = sqlite3_column_int (stmt, 2) != 0;
  trial->key = sqlite3_column_int (stmt, 3);
  trial->group = (guint) sqlite3_column_int64 (stmt, 4);
  trial->choice = sqlite3_column_type (stmt, 5) == SQLITE_NULL ? LK_TRIAL_UNANSWERED
                                                               : sqlite3_column_int (stmt, 5);
  trial->participant = sqlite3_column_int (stmt, 7) ? LK_PARTICIPANT_UNKNOWN
                                                    : (guint) sqlite3_column_int64 (stmt, 6);
  if (!lk_trial_validate (trial, &local_error) || !lk_trial_is_answered (trial))
    {
      g_set_error (error, LK_STORE_ERROR, LK_STORE_ERROR_DAMAGED,
                   "Trial %" G_GINT64_FORMAT " is damaged: %s - %s", query,
                   local_error != NULL ? local_error->message : "it has no answer", store->path);
      return NULL;
    }

  return g_steal_pointer (&trial);
}

/* Returns the answered trials whose query ids @sql selects (one bound @arg, or none), in the
 * order it gives, or NULL with @error. */
static GPtrArray *
list_trials (LkStore     *store,
             const char  *sql,
             gint64       arg,
             GError     **error)
{
  g_autoptr(GPtrArray) trials = g_ptr_array_new_with_free_func ((GDestroyNotify) lk_trial_free);
  g_autoptr(GArray) ids = NULL;
  sqlite3_stmt *stmt;

  /* The ids first: read_trial() reads each trial's images with statements of its own. */
  ids = lk_store_query_ids (store, sql, arg, "Reading the trials", error);
  if (ids == NULL)
    return NULL;
  stmt = lk_store_prepare (store, "SELECT q.id, " TRIAL_COLUMNS " FROM answer a "
                           "JOIN query q ON q.id = a.query JOIN trial t ON t.query = q.id "
                           "WHERE q.id = ?", error);
  if (stmt == NULL)
    return NULL;
  for (guint i = 0; i < ids->len; i++)
    {
      gint64 query = g_array_index (ids, gint64, i);
      LkTrial *trial = NULL;
      int rc;

      sqlite3_bind_int64 (stmt, 1, query);
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        trial = read_trial (store, stmt, error);
      else if (rc == SQLITE_DONE)
        g_set_error (error, LK_STORE_ERROR, LK_STORE_ERROR_DAMAGED,
                     "Trial %" G_GINT64_FORMAT " has no trial row or no answer - %s", query,
                     store->path);
      else
        lk_store_set_error (store, error, rc, "Reading the trials");
      sqlite3_reset (stmt);
      if (trial == NULL)
        return NULL;
      g_ptr_array_add (trials, trial);
    }

  return g_steal_pointer (&trials);
}

/**
 * lk_answers_list_trials:
 * @store: a study
 * @error: return location for a #GError
 *
 * Every answered trial the model is given (not a crowd platform's rejected ones), in the order
 * the answers were committed, each with its participant as a dense index (the rank of the
 * participant's row among the study's participants).
 *
 * Returns: (transfer full) (element-type LkTrial): the trials, or %NULL with @error set
 *   (%LK_STORE_ERROR_DAMAGED naming a trial whose rows lk_trial_validate() refuses)
 */
GPtrArray *
lk_answers_list_trials (LkStore  *store,
                        GError  **error)
{
  g_return_val_if_fail (store != NULL, NULL);

  return list_trials (store, "SELECT a.query FROM answer a JOIN query q ON q.id = a.query "
                      "WHERE " LK_STORE_SQL_IS_TRIAL " AND " LK_STORE_SQL_ANSWER_COUNTS
                      " ORDER BY a.id", 0, error);
}

/**
 * lk_answers_get_trial:
 * @store: a study
 * @query: a trial's query id
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the answered trial, or %NULL with @error set
 */
LkTrial *
lk_answers_get_trial (LkStore  *store,
                      gint64    query,
                      GError  **error)
{
  g_autoptr(GPtrArray) trials = NULL;

  g_return_val_if_fail (store != NULL, NULL);

  trials = list_trials (store, "SELECT q.id FROM query q WHERE q.id = ? AND "
                        LK_STORE_SQL_IS_TRIAL, query, error);
  if (trials == NULL)
    return NULL;
  if (trials->len == 0)
    {
      g_set_error (error, LK_STORE_ERROR, LK_STORE_ERROR_NOT_FOUND,
                   "The study has no trial %" G_GINT64_FORMAT, query);
      return NULL;
    }

  return lk_trial_copy (g_ptr_array_index (trials, 0));
}

/* lk_store_check()'s look at every trial: appends a line naming each one that cannot be read
 * back as a well-formed answered trial (at most @max_lines). */
gboolean
lk_answers_check_trials (LkStore  *store,
                         GString  *problems,
                         guint     max_lines,
                         GError  **error)
{
  g_autoptr(GArray) ids = NULL;
  guint n = 0;

  ids = lk_store_query_ids (store, "SELECT q.id FROM query q WHERE " LK_STORE_SQL_IS_TRIAL
                            " ORDER BY q.id", 0, "Reading the trials", error);
  if (ids == NULL)
    return FALSE;
  for (guint i = 0; i < ids->len && n < max_lines; i++)
    {
      g_autoptr(LkTrial) trial = NULL;
      g_autoptr(GError) local_error = NULL;

      trial = lk_answers_get_trial (store, g_array_index (ids, gint64, i), &local_error);
      if (trial != NULL)
        continue;
      if (!g_error_matches (local_error, LK_STORE_ERROR, LK_STORE_ERROR_DAMAGED))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      g_string_append_printf (problems, "%s\n", local_error->message);
      n++;
    }

  return TRUE;
}

/**
 * lk_answers_save_group_names:
 * @store: a study open for writing
 * @answer: a sorting answer's id (lk_answers_save() returned it)
 * @names: (array length=n_names) (nullable): the name of each bin, by bin; %NULL or "" for a
 *   bin left unnamed
 * @n_names: at most the study's number of bins
 * @error: return location for a #GError
 *
 * Stores the short names a participant gave the groups of a sorting answer (the extended
 * sorting task of papers 001 and 002), in one transaction, replacing any the answer had. The
 * session calls it right after lk_answers_save(); names are text, trimmed, at most
 * %LK_ANSWERS_GROUP_NAME_MAX characters.
 *
 * Returns: %TRUE once committed; %FALSE with @error set and the file unchanged
 */
gboolean
lk_answers_save_group_names (LkStore            *store,
                             gint64              answer,
                             const char * const *names,
                             guint               n_names,
                             GError            **error)
{
  sqlite3_stmt *stmt;
  gint64 found;

  g_return_val_if_fail (store != NULL && (names != NULL || n_names == 0), FALSE);

  if (n_names > lk_store_get_params (store)->nc)
    {
      g_set_error (error, LK_STORE_ERROR, LK_STORE_ERROR_INVALID,
                   "%u group names for a study with %u bins", n_names,
                   lk_store_get_params (store)->nc);
      return FALSE;
    }
  for (guint i = 0; i < n_names; i++)
    if (names[i] != NULL && (!g_utf8_validate (names[i], -1, NULL) ||
                             g_utf8_strlen (names[i], -1) > LK_ANSWERS_GROUP_NAME_MAX))
      {
        g_set_error (error, LK_STORE_ERROR, LK_STORE_ERROR_INVALID,
                     "The name of group %u is not text of at most %d characters", i + 1,
                     LK_ANSWERS_GROUP_NAME_MAX);
        return FALSE;
      }

  if (!lk_store_write_begin (store, error))
    return FALSE;
  if (!lk_store_query_int (store, "SELECT count(*) FROM answer a JOIN query q ON q.id = a.query "
                           "WHERE a.id = ? AND NOT " LK_STORE_SQL_IS_TRIAL, answer, &found,
                           error))
    goto fail;
  if (found == 0)
    {
      g_set_error (error, LK_STORE_ERROR, LK_STORE_ERROR_NOT_FOUND,
                   "The study has no sorting answer %" G_GINT64_FORMAT, answer);
      goto fail;
    }
  stmt = lk_store_prepare (store, "DELETE FROM answer_group_name WHERE answer = ?", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, answer);
  if (!lk_store_step_done (store, stmt, "Saving the group names", error))
    goto fail;
  stmt = lk_store_prepare (store, "INSERT INTO answer_group_name (answer, bin, name) "
                           "VALUES (?, ?, ?)", error);
  if (stmt == NULL)
    goto fail;
  for (guint i = 0; i < n_names; i++)
    {
      g_autofree char *name = names[i] != NULL ? g_strstrip (g_strdup (names[i])) : NULL;

      if (name == NULL || name[0] == '\0')
        continue;
      sqlite3_bind_int64 (stmt, 1, answer);
      sqlite3_bind_int (stmt, 2, (int) i);
      sqlite3_bind_text (stmt, 3, name, -1, SQLITE_TRANSIENT);
      if (!lk_store_step_done (store, stmt, "Saving the group names", error))
        goto fail;
    }

  return lk_store_write_commit (store, "Saving the group names", error);

fail:
  lk_store_write_rollback (store);
  return FALSE;
}

/**
 * lk_answers_get_group_names:
 * @store: a study
 * @answer: a sorting answer's id
 * @error: return location for a #GError
 *
 * Returns: (transfer full): one string per bin of the study (nc), "" for a bin left unnamed,
 *   or %NULL with @error set
 */
GStrv
lk_answers_get_group_names (LkStore  *store,
                            gint64    answer,
                            GError  **error)
{
  guint nc;
  g_auto(GStrv) names = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (store != NULL, NULL);

  nc = lk_store_get_params (store)->nc;
  names = g_new0 (char *, nc + 1);
  for (guint i = 0; i < nc; i++)
    names[i] = g_strdup ("");
  stmt = lk_store_prepare (store, "SELECT bin, name FROM answer_group_name WHERE answer = ?",
                           error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, answer);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      int bin = sqlite3_column_int (stmt, 0);

      if (bin >= 0 && (guint) bin < nc)
        {
          g_free (names[bin]);
          names[bin] = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
        }
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      lk_store_set_error (store, error, rc, "Reading the group names");
      return NULL;
    }

  return g_steal_pointer (&names);
}
