/* lk-judgements.c — judging rounds of the paper's manual protocol, stored in the study
 *
 * `000_b28b33f9dbf275aa.txt`, section 4.2: "based on 50 random 'seed' images sampled from each
 * of the datasets. For each seed image, we took its 10 NN images from the dataset according to
 * both our algorithm and the feature-based baseline. Each of the images was labeled 'very
 * similar', 'similar' and 'unrelated' with respect to its seed image." Table 1 scores that
 * (lk_judging_score() in the core). Here a round is one judge's pass over such a sample:
 *
 * - Seeds: drawn without replacement, by a partial Fisher-Yates shuffle under lk_rng_new() of
 *   the round's sample seed, from the items that have a vector in both spaces (ascending ids),
 *   so the same study, spaces and seed give the same round. Fewer eligible items than asked
 *   for give a round of all of them.
 * - Lists: each seed's k-NN under the learned embedding and under the baseline descriptor,
 *   exactly as the browser shows them (lk_space_query()).
 * - Duplicates: the paper does not say what it did when both lists hold the same image. Ours:
 *   it is shown, and marked, once, and that mark counts in both lists. Showing it twice would
 *   tell the judge that both metrics found it (the display must not reveal which metric gave
 *   what), and could get it two different marks. Each list is still scored over its own k.
 * - Display: the distinct images of both lists, shuffled by the same generator (after the
 *   sample, seed by seed), without labels or distances; the order is stored, so a resumed
 *   round shows the same screen.
 * - Marks: each one is its own write transaction (lk_judging_round_mark()), committed before
 *   the call returns, so a killed app loses at most the mark being given.
 * - Score: over the seeds whose every shown image is marked (the paper judged whole lists).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "lk-judgements.h"

#include "lk-rng.h"
#include "lk-store-private.h"

static const char *mark_names[] = { "unrelated", "similar", "very_similar" };

G_STATIC_ASSERT (LK_JUDGEMENT_UNRELATED == 0 && LK_JUDGEMENT_SIMILAR == 1 &&

                 LK_JUDGEMENT_VERY_SIMILAR == 2);

/**
 * lk_judgement_to_string:
 * @mark: an #LkJudgement or %LK_JUDGEMENT_NONE
 *
 * Returns: "very_similar", "similar", "unrelated", or %NULL for no mark
 */
const char *
lk_judgement_to_string (gint mark)
{
  return mark >= 0 && mark < (gint) G_N_ELEMENTS (mark_names) ? mark_names[mark] : NULL;
}

gboolean
lk_judgement_from_string (const char *text,
                          gint       *mark)
{
  if (text == NULL || *text == '\0')
    {
      *mark = LK_JUDGEMENT_NONE;
      return TRUE;
    }
  for (guint i = 0; i < G_N_ELEMENTS (mark_names); i++)
    if (strcmp (text, mark_names[i]) == 0)
      {
        *mark = i;
        return TRUE;
      }

  return FALSE;
}

static void
seed_clear (LkJudgingSeed *seed)
{
  g_free (seed->learned);
  g_free (seed->baseline);
  g_free (seed->shown);
}

void
lk_judging_round_free (LkJudgingRound *round)
{
  if (round == NULL)
    return;
  for (guint s = 0; s < round->n_seeds; s++)
    seed_clear (&round->seeds[s]);
  g_free (round->seeds);
  g_free (round->created);
  g_free (round->judge);
  g_free (round);
}

void
lk_judging_round_info_free (LkJudgingRoundInfo *info)
{
  if (info == NULL)
    return;
  g_free (info->created);
  g_free (info->judge);
  g_free (info);
}

/* Fills the shown images' ranks from the two lists. */
static void
seed_link_ranks (LkJudgingSeed *seed)
{
  for (guint p = 0; p < seed->n_shown; p++)
    {
      LkJudgingShown *sh = &seed->shown[p];

      sh->learned_rank = sh->baseline_rank = 0;
      for (guint r = 0; r < seed->n_learned; r++)
        if (seed->learned[r].item == sh->item)
          sh->learned_rank = r + 1;
      for (guint r = 0; r < seed->n_baseline; r++)
        if (seed->baseline[r].item == sh->item)
          sh->baseline_rank = r + 1;
    }
}

/**
 * lk_judging_round_plan:
 * @learned: the learned space
 * @baseline: the baseline space (colour or HOG)
 * @judge: the judge's code
 * @k: neighbours per list (the paper: 10)
 * @n_seeds: seeds wanted (the paper: 50)
 * @sample_seed: the seed of the sample and the shuffles
 * @error: return location for a #GError; %LK_STORE_ERROR_INVALID when no image has a vector
 *   in both spaces or an argument is out of range
 *
 * Draws a round as described at the top of this file, without touching any study, so a worker
 * thread can do it. lk_judging_round_save() stores it.
 *
 * Returns: (transfer full) (nullable): the round, with no marks and id 0
 */
LkJudgingRound *
lk_judging_round_plan (const LkSpace  *learned,
                       const LkSpace  *baseline,
                       const char     *judge,
                       guint           k,
                       guint           n_seeds,
                       guint64         sample_seed,
                       GError        **error)
{
  g_autoptr(LkJudgingRound) round = NULL;
  g_autoptr(gsl_rng) rng = NULL;
  g_autoptr(GArray) eligible = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autofree guint *ids = NULL;
  g_autofree double *dist = NULL;
  guint n;

  g_return_val_if_fail (learned != NULL && baseline != NULL, NULL);
  g_return_val_if_fail (lk_space_get_kind (learned) == LK_SPACE_LEARNED, NULL);

  if (k == 0 || n_seeds == 0)
    {
      g_set_error (error, LK_STORE_ERROR, LK_STORE_ERROR_INVALID,
                   "A judging round needs at least one seed and one neighbour per list");
      return NULL;
    }
  if (judge == NULL || *judge == '\0')
    {
      g_set_error (error, LK_STORE_ERROR, LK_STORE_ERROR_INVALID,
                   "A judging round needs the judge's code");
      return NULL;
    }

  n = MIN (lk_space_get_n_items (learned), lk_space_get_n_items (baseline));
  for (guint i = 0; i < n; i++)
    if (lk_space_has_item (learned, i) && lk_space_has_item (baseline, i))
      g_array_append_val (eligible, i);
  if (eligible->len < 2)
    {
      g_set_error (error, LK_STORE_ERROR, LK_STORE_ERROR_INVALID,
                   "Too few images have both the learned embedding and the %s descriptor "
                   "to judge their neighbours",
                   lk_space_kind_to_string (lk_space_get_kind (baseline)));
      return NULL;
    }

  round = g_new0 (LkJudgingRound, 1);
  round->judge = g_strdup (judge);
  round->baseline = lk_space_get_kind (baseline);
  round->k = k;
  round->sample_seed = sample_seed;
  round->phase = -1;
  round->n_seeds = MIN (n_seeds, eligible->len);
  round->seeds = g_new0 (LkJudgingSeed, round->n_seeds);

  /* The sample: the first n_seeds places of a Fisher-Yates shuffle. */
  rng = lk_rng_new (sample_seed);
  for (guint i = 0; i < round->n_seeds; i++)
    {
      guint j = i + (guint) gsl_rng_uniform_int (rng, eligible->len - i);
      guint tmp = g_array_index (eligible, guint, i);

      g_array_index (eligible, guint, i) = g_array_index (eligible, guint, j);
      g_array_index (eligible, guint, j) = tmp;
    }

  ids = g_new (guint, k);
  dist = g_new (double, k);
  for (guint s = 0; s < round->n_seeds; s++)
    {
      LkJudgingSeed *seed = &round->seeds[s];
      guint found;

      seed->item = g_array_index (eligible, guint, s);
      found = lk_space_query (learned, seed->item, k, ids, dist);
      seed->learned = g_new (LkJudgingNeighbour, MAX (found, 1));
      seed->n_learned = found;
      for (guint r = 0; r < found; r++)
        seed->learned[r] = (LkJudgingNeighbour) { ids[r], dist[r] };
      found = lk_space_query (baseline, seed->item, k, ids, dist);
      seed->baseline = g_new (LkJudgingNeighbour, MAX (found, 1));
      seed->n_baseline = found;
      for (guint r = 0; r < found; r++)
        seed->baseline[r] = (LkJudgingNeighbour) { ids[r], dist[r] };

      /* Merge: the learned list, then the baseline's images not already in it. */
      seed->shown = g_new0 (LkJudgingShown, seed->n_learned + seed->n_baseline);
      for (guint r = 0; r < seed->n_learned; r++)
        seed->shown[seed->n_shown++].item = seed->learned[r].item;
      for (guint r = 0; r < seed->n_baseline; r++)
        {
          gboolean dup = FALSE;

          for (guint p = 0; p < seed->n_learned && !dup; p++)
            dup = seed->shown[p].item == seed->baseline[r].item;
          if (!dup)
            seed->shown[seed->n_shown++].item = seed->baseline[r].item;
        }
      /* Shuffle, so the position says nothing of the list or the rank. */
      for (guint p = seed->n_shown; p > 1; p--)
        {
          guint j = (guint) gsl_rng_uniform_int (rng, p);
          LkJudgingShown tmp = seed->shown[p - 1];

          seed->shown[p - 1] = seed->shown[j];
          seed->shown[j] = tmp;
        }
      for (guint p = 0; p < seed->n_shown; p++)
        seed->shown[p].mark = LK_JUDGEMENT_NONE;
      seed_link_ranks (seed);
    }

  return g_steal_pointer (&round);
}

/* Inserts @round's rows; inside a transaction. */
static gboolean
insert_round (LkStore         *store,
              LkJudgingRound  *round,
              const char      *created,
              GError         **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = lk_store_prepare (store, "SELECT MAX(phase) FROM phase", error);
  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  round->phase = rc == SQLITE_ROW && sqlite3_column_type (stmt, 0) != SQLITE_NULL
                 ? sqlite3_column_int (stmt, 0) : -1;
  sqlite3_reset (stmt);

  stmt = lk_store_prepare (store,
                           "INSERT INTO judging_round (created, judge, baseline, k, sample_seed, "
                           "phase) VALUES (?, ?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, created, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, round->judge, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, lk_space_kind_to_string (round->baseline), -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 4, round->k);
  sqlite3_bind_int64 (stmt, 5, (sqlite3_int64) round->sample_seed);
  if (round->phase >= 0)
    sqlite3_bind_int (stmt, 6, round->phase);
  if (!lk_store_step_done (store, stmt, "Saving the judging round", error))
    return FALSE;
  round->id = sqlite3_last_insert_rowid (lk_store_get_db (store));

  for (guint s = 0; s < round->n_seeds; s++)
    {
      const LkJudgingSeed *seed = &round->seeds[s];
      const LkJudgingNeighbour *lists[2] = { seed->learned, seed->baseline };
      guint n_lists[2] = { seed->n_learned, seed->n_baseline };
      static const char *sources[2] = { "learned", "baseline" };

      stmt = lk_store_prepare (store, "INSERT INTO judging_seed (round, seq, item) VALUES (?, ?, ?)",
                               error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, round->id);
      sqlite3_bind_int (stmt, 2, s);
      sqlite3_bind_int (stmt, 3, seed->item);
      if (!lk_store_step_done (store, stmt, "Saving the judging round", error))
        return FALSE;

      for (guint l = 0; l < 2; l++)
        for (guint r = 0; r < n_lists[l]; r++)
          {
            stmt = lk_store_prepare (store,
                                     "INSERT INTO judging_neighbour (round, seq, source, rank, "
                                     "item, distance) VALUES (?, ?, ?, ?, ?, ?)", error);
            if (stmt == NULL)
              return FALSE;
            sqlite3_bind_int64 (stmt, 1, round->id);
            sqlite3_bind_int (stmt, 2, s);
            sqlite3_bind_text (stmt, 3, sources[l], -1, SQLITE_STATIC);
            sqlite3_bind_int (stmt, 4, r + 1);
            sqlite3_bind_int (stmt, 5, lists[l][r].item);
            sqlite3_bind_double (stmt, 6, lists[l][r].distance);
            if (!lk_store_step_done (store, stmt, "Saving the judging round", error))
              return FALSE;
          }

      for (guint p = 0; p < seed->n_shown; p++)
        {
          stmt = lk_store_prepare (store,
                                   "INSERT INTO judging_shown (round, seq, position, item, mark) "
                                   "VALUES (?, ?, ?, ?, ?)", error);
          if (stmt == NULL)
            return FALSE;
          sqlite3_bind_int64 (stmt, 1, round->id);
          sqlite3_bind_int (stmt, 2, s);
          sqlite3_bind_int (stmt, 3, p);
          sqlite3_bind_int (stmt, 4, seed->shown[p].item);
          if (seed->shown[p].mark != LK_JUDGEMENT_NONE)
            sqlite3_bind_text (stmt, 5, lk_judgement_to_string (seed->shown[p].mark), -1,
                               SQLITE_STATIC);
          if (!lk_store_step_done (store, stmt, "Saving the judging round", error))
            return FALSE;
        }
    }

  return TRUE;
}

/**
 * lk_judging_round_save:
 * @store: a writable study, the one whose spaces planned @round
 * @round: a planned round (id 0)
 * @error: return location for a #GError
 *
 * Stores @round in one transaction and sets its id, creation time and phase.
 *
 * Returns: %TRUE once committed
 */
gboolean
lk_judging_round_save (LkStore         *store,
                       LkJudgingRound  *round,
                       GError         **error)
{
  g_autofree char *created = lk_store_now_iso8601 ();

  g_return_val_if_fail (round != NULL && round->id == 0, FALSE);

  if (!lk_store_write_begin (store, error))
    return FALSE;
  if (!insert_round (store, round, created, error))
    {
      lk_store_write_rollback (store);
      round->id = 0;
      return FALSE;
    }
  if (!lk_store_write_commit (store, "Saving the judging round", error))
    {
      round->id = 0;
      return FALSE;
    }
  g_free (round->created);
  round->created = g_steal_pointer (&created);

  return TRUE;
}

/**
 * lk_judging_round_create:
 * @store: a writable study with a completed phase and the baseline's descriptors
 * @judge: the judge's code
 * @baseline: %LK_SPACE_COLOR or %LK_SPACE_HOG
 * @k: neighbours per list
 * @n_seeds: seeds wanted
 * @sample_seed: the seed of the sample and the shuffles
 * @error: return location for a #GError; %LK_STORE_ERROR_NOT_FOUND when the study has no
 *   embedding or no descriptors yet
 *
 * Loads both spaces from @store, plans a round and saves it.
 *
 * Returns: (transfer full) (nullable): the stored round
 */
LkJudgingRound *
lk_judging_round_create (LkStore      *store,
                         const char   *judge,
                         LkSpaceKind   baseline,
                         guint         k,
                         guint         n_seeds,
                         guint64       sample_seed,
                         GError      **error)
{
  g_autoptr(LkSpace) learned = NULL;
  g_autoptr(LkSpace) base = NULL;
  g_autoptr(LkJudgingRound) round = NULL;

  g_return_val_if_fail (baseline == LK_SPACE_COLOR || baseline == LK_SPACE_HOG, NULL);

  if ((learned = lk_space_load (store, LK_SPACE_LEARNED, error)) == NULL ||
      (base = lk_space_load (store, baseline, error)) == NULL ||
      (round = lk_judging_round_plan (learned, base, judge, k, n_seeds, sample_seed,
                                      error)) == NULL ||
      !lk_judging_round_save (store, round, error))
    return NULL;

  return g_steal_pointer (&round);
}

/* Finds seed @seq of @round, or NULL. */
static LkJudgingSeed *
find_seed (LkJudgingRound *round,
           guint           seq)
{
  return seq < round->n_seeds ? &round->seeds[seq] : NULL;
}

/**
 * lk_judging_round_load:
 * @store: a study
 * @id: a round's id
 * @error: return location for a #GError; %LK_STORE_ERROR_NOT_FOUND for an unknown round
 *
 * Returns: (transfer full) (nullable): the round with every mark given so far
 */
LkJudgingRound *
lk_judging_round_load (LkStore  *store,
                       gint64    id,
                       GError  **error)
{
  g_autoptr(LkJudgingRound) round = g_new0 (LkJudgingRound, 1);
  g_autoptr(GArray) seeds = g_array_new (FALSE, TRUE, sizeof (LkJudgingSeed));
  sqlite3_stmt *stmt;
  int rc;

  stmt = lk_store_prepare (store,
                           "SELECT created, judge, baseline, k, sample_seed, phase "
                           "FROM judging_round WHERE id = ?", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      round->id = id;
      round->created = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      round->judge = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      if (!lk_space_kind_from_string ((const char *) sqlite3_column_text (stmt, 2),
                                      &round->baseline))
        round->baseline = LK_SPACE_COLOR;
      round->k = sqlite3_column_int (stmt, 3);
      round->sample_seed = (guint64) sqlite3_column_int64 (stmt, 4);
      round->phase = sqlite3_column_type (stmt, 5) == SQLITE_NULL ? -1
                                                                  : sqlite3_column_int (stmt, 5);
    }
  sqlite3_reset (stmt);
  if (rc == SQLITE_DONE)
    {
      g_set_error (error, LK_STORE_ERROR, LK_STORE_ERROR_NOT_FOUND,
                   "The study has no judging round %" G_GINT64_FORMAT, id);
      return NULL;
    }
  if (rc != SQLITE_ROW)
    {
      lk_store_set_error (store, error, rc, "Reading the judging round");
      return NULL;
    }

  /* Seeds, then the lists and the shown images of each, appended in order. */
  stmt = lk_store_prepare (store, "SELECT seq, item FROM judging_seed WHERE round = ? ORDER BY seq",
                           error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      LkJudgingSeed seed = { 0 };

      if ((guint) sqlite3_column_int (stmt, 0) != seeds->len)
        {
          sqlite3_reset (stmt);
          g_set_error (error, LK_STORE_ERROR, LK_STORE_ERROR_DAMAGED,
                       "Judging round %" G_GINT64_FORMAT " has a gap in its seeds", id);
          goto fail;
        }
      seed.item = sqlite3_column_int (stmt, 1);
      seed.learned = g_new (LkJudgingNeighbour, MAX (round->k, 1));
      seed.baseline = g_new (LkJudgingNeighbour, MAX (round->k, 1));
      seed.shown = g_new0 (LkJudgingShown, 2 * MAX (round->k, 1));
      g_array_append_val (seeds, seed);
    }
  sqlite3_reset (stmt);
  round->n_seeds = seeds->len;
  round->seeds = (LkJudgingSeed *) (void *) seeds->data;
  if (rc != SQLITE_DONE)
    {
      lk_store_set_error (store, error, rc, "Reading the judging round");
      goto fail;
    }

  stmt = lk_store_prepare (store,
                           "SELECT seq, source, rank, item, distance FROM judging_neighbour "
                           "WHERE round = ? ORDER BY seq, source, rank", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      LkJudgingSeed *seed = find_seed (round, sqlite3_column_int (stmt, 0));
      gboolean learned = g_strcmp0 ((const char *) sqlite3_column_text (stmt, 1), "learned") == 0;
      guint rank = sqlite3_column_int (stmt, 2);
      guint *n;

      if (seed == NULL)
        continue;
      n = learned ? &seed->n_learned : &seed->n_baseline;
      if (rank != *n + 1 || *n >= round->k)
        {
          sqlite3_reset (stmt);
          g_set_error (error, LK_STORE_ERROR, LK_STORE_ERROR_DAMAGED,
                       "Judging round %" G_GINT64_FORMAT " has a gap in its neighbour lists", id);
          goto fail;
        }
      (learned ? seed->learned : seed->baseline)[(*n)++] = (LkJudgingNeighbour) {
        sqlite3_column_int (stmt, 3), sqlite3_column_double (stmt, 4) };
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      lk_store_set_error (store, error, rc, "Reading the judging round");
      goto fail;
    }

  stmt = lk_store_prepare (store,
                           "SELECT seq, position, item, mark FROM judging_shown "
                           "WHERE round = ? ORDER BY seq, position", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      LkJudgingSeed *seed = find_seed (round, sqlite3_column_int (stmt, 0));
      LkJudgingShown *sh;

      if (seed == NULL)
        continue;
      if ((guint) sqlite3_column_int (stmt, 1) != seed->n_shown || seed->n_shown >= 2 * round->k)
        {
          sqlite3_reset (stmt);
          g_set_error (error, LK_STORE_ERROR, LK_STORE_ERROR_DAMAGED,
                       "Judging round %" G_GINT64_FORMAT " has a gap in its shown images", id);
          goto fail;
        }
      sh = &seed->shown[seed->n_shown++];
      sh->item = sqlite3_column_int (stmt, 2);
      if (!lk_judgement_from_string ((const char *) sqlite3_column_text (stmt, 3), &sh->mark))
        sh->mark = LK_JUDGEMENT_NONE;
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      lk_store_set_error (store, error, rc, "Reading the judging round");
      goto fail;
    }
  for (guint s = 0; s < round->n_seeds; s++)
    seed_link_ranks (&round->seeds[s]);
  g_array_free (g_steal_pointer (&seeds), FALSE);

  return g_steal_pointer (&round);

fail:
  /* The seeds belong to @round now; @seeds only frees its own block. */
  round->seeds = NULL;
  for (guint s = 0; s < seeds->len; s++)
    seed_clear (&g_array_index (seeds, LkJudgingSeed, s));
  round->n_seeds = 0;
  return NULL;
}

/**
 * lk_judging_round_mark:
 * @store: the writable study holding @round
 * @round: a stored round
 * @seed: the seed's index in @round
 * @position: the shown image's display position
 * @mark: an #LkJudgement, or %LK_JUDGEMENT_NONE to take a mark back
 * @error: return location for a #GError
 *
 * Stores one mark in its own transaction; @round changes only once it is committed.
 *
 * Returns: %TRUE once committed
 */
gboolean
lk_judging_round_mark (LkStore         *store,
                       LkJudgingRound  *round,
                       guint            seed,
                       guint            position,
                       gint             mark,
                       GError         **error)
{
  g_autofree char *now = NULL;

  g_return_val_if_fail (round != NULL, FALSE);

  if (round->id == 0 || seed >= round->n_seeds || position >= round->seeds[seed].n_shown ||
      (mark != LK_JUDGEMENT_NONE && lk_judgement_to_string (mark) == NULL))
    {
      g_set_error (error, LK_STORE_ERROR, LK_STORE_ERROR_INVALID,
                   "No such image to mark in the judging round");
      return FALSE;
    }

  /* No mark clears both columns. */
  if (mark != LK_JUDGEMENT_NONE)
    now = lk_store_now_iso8601 ();
  if (!lk_store_write_row (store, NULL, "The judging round is not in the study any more",
                           "Saving the mark", error,
                           "UPDATE judging_shown SET mark = ?, marked = ? "
                           "WHERE round = ? AND seq = ? AND position = ? AND item = ?", "ssxiii",
                           mark != LK_JUDGEMENT_NONE ? lk_judgement_to_string (mark) : NULL, now,
                           round->id, seed, position, round->seeds[seed].shown[position].item))
    return FALSE;
  round->seeds[seed].shown[position].mark = mark;

  return TRUE;
}

/**
 * lk_judging_seed_is_complete:
 * @seed: a seed
 *
 * Returns: whether every image shown for @seed is marked
 */
gboolean
lk_judging_seed_is_complete (const LkJudgingSeed *seed)
{
  for (guint p = 0; p < seed->n_shown; p++)
    if (seed->shown[p].mark == LK_JUDGEMENT_NONE)
      return FALSE;

  return TRUE;
}

/**
 * lk_judging_round_count_marked:
 * @round: a round
 * @n_shown: (out) (optional): images shown over all seeds
 *
 * Returns: how many of them are marked
 */
guint
lk_judging_round_count_marked (const LkJudgingRound *round,
                               guint                *n_shown)
{
  guint marked = 0, shown = 0;

  for (guint s = 0; s < round->n_seeds; s++)
    for (guint p = 0; p < round->seeds[s].n_shown; p++)
      {
        shown++;
        marked += round->seeds[s].shown[p].mark != LK_JUDGEMENT_NONE;
      }
  if (n_shown != NULL)
    *n_shown = shown;

  return marked;
}

/**
 * lk_judging_round_first_open:
 * @round: a round
 *
 * Returns: the index of the first seed not completely marked, or n_seeds when all are
 */
guint
lk_judging_round_first_open (const LkJudgingRound *round)
{
  for (guint s = 0; s < round->n_seeds; s++)
    if (!lk_judging_seed_is_complete (&round->seeds[s]))
      return s;

  return round->n_seeds;
}

/* Returns the mark given to @item in @seed's shown images. */
gint
lk_judging_seed_mark_of (const LkJudgingSeed *seed,
                         guint                item)
{
  for (guint p = 0; p < seed->n_shown; p++)
    if (seed->shown[p].item == item)
      return seed->shown[p].mark;

  return LK_JUDGEMENT_NONE;
}

/**
 * lk_judging_round_score:
 * @round: a round
 * @success_percent: (out): Table 1's Success %
 * @avg_diff: (out): Table 1's Avg. Diff.
 *
 * Scores the completely marked seeds with lk_judging_score(): each list by the marks of its
 * own images (an image in both lists counts in both).
 *
 * Returns: how many seeds were scored (0 gives 0 and 0)
 */
guint
lk_judging_round_score (const LkJudgingRound *round,
                        double               *success_percent,
                        double               *avg_diff)
{
  g_autofree LkSeedJudgements *seeds = g_new0 (LkSeedJudgements, MAX (round->n_seeds, 1));
  g_autoptr(GPtrArray) blocks = g_ptr_array_new_with_free_func (g_free);
  guint n = 0;

  for (guint s = 0; s < round->n_seeds; s++)
    {
      const LkJudgingSeed *seed = &round->seeds[s];
      LkJudgement *learned, *baseline;

      if (!lk_judging_seed_is_complete (seed))
        continue;
      learned = g_new (LkJudgement, MAX (seed->n_learned, 1));
      baseline = g_new (LkJudgement, MAX (seed->n_baseline, 1));
      g_ptr_array_add (blocks, learned);
      g_ptr_array_add (blocks, baseline);
      for (guint r = 0; r < seed->n_learned; r++)
        learned[r] = (LkJudgement) lk_judging_seed_mark_of (seed, seed->learned[r].item);
      for (guint r = 0; r < seed->n_baseline; r++)
        baseline[r] = (LkJudgement) lk_judging_seed_mark_of (seed, seed->baseline[r].item);
      seeds[n++] = (LkSeedJudgements) { learned, seed->n_learned, baseline, seed->n_baseline };
    }
  lk_judging_score (seeds, n, success_percent, avg_diff);

  return n;
}

/**
 * lk_judgements_list_rounds:
 * @store: a study
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (element-type LkJudgingRoundInfo): every round, oldest first
 */
GPtrArray *
lk_judgements_list_rounds (LkStore  *store,
                           GError  **error)
{
  g_autoptr(GPtrArray) rounds =
    g_ptr_array_new_with_free_func ((GDestroyNotify) lk_judging_round_info_free);
  sqlite3_stmt *stmt;
  int rc;

  stmt = lk_store_prepare (store,
                           "SELECT r.id, r.created, r.judge, r.baseline, r.k, "
                           "(SELECT COUNT(*) FROM judging_seed s WHERE s.round = r.id), "
                           "(SELECT COUNT(*) FROM judging_shown h WHERE h.round = r.id), "
                           "(SELECT COUNT(*) FROM judging_shown h WHERE h.round = r.id "
                           "AND h.mark IS NOT NULL) FROM judging_round r ORDER BY r.id", error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      LkJudgingRoundInfo *info = g_new0 (LkJudgingRoundInfo, 1);

      info->id = sqlite3_column_int64 (stmt, 0);
      info->created = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      info->judge = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
      if (!lk_space_kind_from_string ((const char *) sqlite3_column_text (stmt, 3),
                                      &info->baseline))
        info->baseline = LK_SPACE_COLOR;
      info->k = sqlite3_column_int (stmt, 4);
      info->n_seeds = sqlite3_column_int (stmt, 5);
      info->n_shown = sqlite3_column_int (stmt, 6);
      info->n_marked = sqlite3_column_int (stmt, 7);
      g_ptr_array_add (rounds, info);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      lk_store_set_error (store, error, rc, "Listing the judging rounds");
      return NULL;
    }

  return g_steal_pointer (&rounds);
}
