/* lk-session-settings.c — a study's session settings, in the study file's `setting` table
 *
 * One table of settings, read and written by the app (the Create page, the session) and by
 * likeness-cli (`create`, `settings`, `info`) alike, so that both mean the same by every key and
 * default. Each is a row `session.KEY` → text; a setting at its default has no row, so a study
 * made before a setting existed reads as its default.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <stddef.h>
#include <string.h>

#include "lk-qc.h"
#include "lk-session-settings.h"
#include "lk-store-private.h"
#include "lk-trial-draw.h"

typedef enum {
  KIND_TEXT,
  KIND_UINT,
  KIND_BOOL,
  KIND_PLAN,
  KIND_DOUBLE,
  KIND_CHOICE5_POLICY,
} Kind;

/* Every setting: its name (the row is "session." + name), kind, field and, for numbers, the
 * largest value allowed (and for decimals the smallest). */
static const struct {
  const char *key;
  Kind        kind;
  gsize       offset;
  guint       max;
  double      dmin, dmax;
} fields[] = {
  { "consent", KIND_TEXT, offsetof (LkSessionSettings, consent), 0 },
  { "instructions", KIND_TEXT, offsetof (LkSessionSettings, instructions), 0 },
  { "break-every", KIND_UINT, offsetof (LkSessionSettings, break_every), 1000 },
  { "practice-grids", KIND_UINT, offsetof (LkSessionSettings, n_practice), 20 },
  { "all-placed", KIND_BOOL, offsetof (LkSessionSettings, all_placed), 0 },
  { "passphrase", KIND_TEXT, offsetof (LkSessionSettings, passphrase), 0 },
  { "grids-per-participant", KIND_UINT, offsetof (LkSessionSettings, grids_per_participant),
    10000000 },
  { "plan", KIND_PLAN, offsetof (LkSessionSettings, plan), 0 },
  /* The adjusted Rand index runs from -1 to 1; the exam score from 0 to 100. */
  { "min-consistency", KIND_DOUBLE, offsetof (LkSessionSettings, min_consistency), 0, -1, 1 },
  { "min-gold-score", KIND_DOUBLE, offsetof (LkSessionSettings, min_gold_score), 0, 0, 100 },
  { "choice5-policy", KIND_CHOICE5_POLICY, offsetof (LkSessionSettings, choice5_policy), 0 },
  { "pass-mark", KIND_DOUBLE, offsetof (LkSessionSettings, pass_mark), 0, 0, 100 },
  /* Shares of a session's grids; above a half the checks would outnumber the grids they check. */
  { "repeat-share", KIND_DOUBLE, offsetof (LkSessionSettings, repeat_share), 0, 0, 0.5 },
  { "gold-share", KIND_DOUBLE, offsetof (LkSessionSettings, gold_share), 0, 0, 0.5 },
  /* The extended sorting of papers 001 and 002 (lk-sort-page.c). */
  { "group-names", KIND_BOOL, offsetof (LkSessionSettings, group_names), 0 },
  { "palette", KIND_BOOL, offsetof (LkSessionSettings, palette), 0 },
};

static const char *const keys[] = {
  "consent", "instructions", "break-every", "practice-grids", "all-placed", "passphrase",
  "grids-per-participant", "plan", "min-consistency", "min-gold-score", "choice5-policy",
  "pass-mark", "repeat-share", "gold-share", "group-names", "palette", NULL,
};

G_STATIC_ASSERT (G_N_ELEMENTS (keys) == G_N_ELEMENTS (fields) + 1);

/**
 * lk_session_settings_init:
 * @settings: (out caller-allocates): settings to fill
 *
 * The defaults: the standard consent text and instructions, a break every 10 grids, one
 * practice grid, images may be left out, no passphrase, no limit per participant; a participant
 * is flagged below a consistency of 0.3 or a gold score of 80, and the exam's pass mark is 80
 * (LK_QC_PASS_MARK); 5 % of a participant's grids are shown again, no catch grids (a study has
 * no exam grids until the experimenter makes them, and each one costs the participant a grid); no group names
 * and no palette.
 */
void
lk_session_settings_init (LkSessionSettings *settings)
{
  g_return_if_fail (settings != NULL);

  *settings = (LkSessionSettings) {
    .break_every = 10,
    .n_practice = 1,
    .min_consistency = 0.3,
    .min_gold_score = 80,
    .pass_mark = LK_QC_PASS_MARK,
    .repeat_share = 0.05,
  };
}

void
lk_session_settings_clear (LkSessionSettings *settings)
{
  g_return_if_fail (settings != NULL);

  g_clear_pointer (&settings->consent, g_free);
  g_clear_pointer (&settings->instructions, g_free);
  g_clear_pointer (&settings->passphrase, g_free);
  g_clear_pointer (&settings->plan, g_free);
  g_clear_pointer (&settings->choice5_policy, g_free);
}

/**
 * lk_session_settings_keys:
 *
 * Returns: (transfer none): the names of every setting, in the order `settings` shows them
 */
const char *const *
lk_session_settings_keys (void)
{
  return keys;
}

/* Returns the index of @key in fields, or -1. */
static int
find (const char *key)
{
  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    if (g_strcmp0 (fields[i].key, key) == 0)
      return (int) i;

  return -1;
}

/**
 * lk_session_settings_set:
 * @key: a name from lk_session_settings_keys()
 * @value: (nullable): its value as text ("" or %NULL: the default); a number for counts,
 *   "true"/"false" (or 1/0, yes/no) for all-placed, group-names and palette; a decimal (with a
 *   '.') for min-consistency, min-gold-score, pass-mark, repeat-share and gold-share
 *
 * Returns: %TRUE if @key exists and @value is allowed; otherwise %FALSE with @error
 *   (%LK_STORE_ERROR_INVALID) naming the key and what it allows
 */
gboolean
lk_session_settings_set (LkSessionSettings  *settings,
                         const char         *key,
                         const char         *value,
                         GError            **error)
{
  LkSessionSettings defaults;
  int i = find (key);
  guint8 *field;

  g_return_val_if_fail (settings != NULL && key != NULL, FALSE);

  if (i < 0)
    {
      g_autofree char *all = g_strjoinv (", ", (char **) keys);

      g_set_error (error, LK_STORE_ERROR, LK_STORE_ERROR_INVALID,
                   "No session setting '%s'; the settings are %s", key, all);
      return FALSE;
    }
  field = (guint8 *) settings + fields[i].offset;
  lk_session_settings_init (&defaults);

  switch (fields[i].kind)
    {
    case KIND_TEXT:
      g_free (*(char **) field);
      *(char **) field = value != NULL && value[0] != '\0' ? g_strdup (value) : NULL;
      return TRUE;

    case KIND_UINT:
      {
        guint64 n;

        if (value == NULL || value[0] == '\0')
          n = *(guint *) ((guint8 *) &defaults + fields[i].offset);
        else if (!g_ascii_string_to_unsigned (value, 10, 0, fields[i].max, &n, NULL))
          {
            g_set_error (error, LK_STORE_ERROR, LK_STORE_ERROR_INVALID,
                         "%s must be a whole number from 0 to %u, not '%s'", key,
                         fields[i].max, value);
            return FALSE;
          }
        *(guint *) field = (guint) n;
        return TRUE;
      }

    case KIND_BOOL:
      if (value == NULL || value[0] == '\0')
        *(gboolean *) field = *(gboolean *) ((guint8 *) &defaults + fields[i].offset);
      else if (g_strv_contains ((const char *[]) { "1", "true", "yes", "on", NULL }, value))
        *(gboolean *) field = TRUE;
      else if (g_strv_contains ((const char *[]) { "0", "false", "no", "off", NULL }, value))
        *(gboolean *) field = FALSE;
      else
        {
          g_set_error (error, LK_STORE_ERROR, LK_STORE_ERROR_INVALID,
                       "%s must be true or false, not '%s'", key, value);
          return FALSE;
        }
      return TRUE;

    case KIND_PLAN:
      {
        g_autoptr(GError) local_error = NULL;
        LkPlan plan;

        if (value == NULL || value[0] == '\0')
          {
            g_clear_pointer ((char **) field, g_free);
            return TRUE;
          }
        if (!lk_plan_parse (value, &plan, &local_error))
          {
            g_set_error (error, LK_STORE_ERROR, LK_STORE_ERROR_INVALID,
                         "plan: %s (a plan is blocks KIND:COUNT[:PRACTICE] such as "
                         "sort:30,triplet:20)", local_error->message);
            return FALSE;
          }
        g_free (*(char **) field);
        *(char **) field = lk_plan_to_string (&plan);
        return TRUE;
      }

    case KIND_DOUBLE:
      {
        char *end = NULL;
        double x;

        if (value == NULL || value[0] == '\0')
          {
            *(double *) field = *(double *) ((guint8 *) &defaults + fields[i].offset);
            return TRUE;
          }
        x = g_ascii_strtod (value, &end);
        if (end == value || *end != '\0' || !(x >= fields[i].dmin && x <= fields[i].dmax))
          {
            g_set_error (error, LK_STORE_ERROR, LK_STORE_ERROR_INVALID,
                         "%s must be a number from %g to %g, not '%s'", key, fields[i].dmin,
                         fields[i].dmax, value);
            return FALSE;
          }
        *(double *) field = x;
        return TRUE;
      }

    case KIND_CHOICE5_POLICY:
      /* The default (random) has no row, like every default. */
      if (value == NULL || value[0] == '\0'
          || g_str_equal (value, lk_trial_draw_choice5_policies[0]))
        {
          g_clear_pointer ((char **) field, g_free);
          return TRUE;
        }
      if (!g_strv_contains (lk_trial_draw_choice5_policies, value))
        {
          g_autofree char *all = g_strjoinv (", ", (char **) lk_trial_draw_choice5_policies);

          g_set_error (error, LK_STORE_ERROR, LK_STORE_ERROR_INVALID,
                       "%s must be one of %s, not '%s'", key, all, value);
          return FALSE;
        }
      g_free (*(char **) field);
      *(char **) field = g_strdup (value);
      return TRUE;

    default:
      g_return_val_if_reached (FALSE);
    }
}

/**
 * lk_session_settings_dup:
 * @key: a name from lk_session_settings_keys()
 *
 * Returns: (transfer full) (nullable): @key's value as text, as lk_session_settings_set()
 *   reads it; %NULL for a text at its default (the standard text, or no passphrase)
 */
char *
lk_session_settings_dup (const LkSessionSettings *settings,
                         const char              *key)
{
  int i = find (key);
  const guint8 *field;

  g_return_val_if_fail (settings != NULL, NULL);
  g_return_val_if_fail (i >= 0, NULL);

  field = (const guint8 *) settings + fields[i].offset;
  switch (fields[i].kind)
    {
    case KIND_TEXT:
    case KIND_PLAN:
      return g_strdup (*(char *const *) field);
    case KIND_CHOICE5_POLICY:
      return g_strdup (*(char *const *) field != NULL ? *(char *const *) field
                                                      : lk_trial_draw_choice5_policies[0]);
    case KIND_UINT:
      return g_strdup_printf ("%u", *(const guint *) field);
    case KIND_BOOL:
      return g_strdup (*(const gboolean *) field ? "true" : "false");
    case KIND_DOUBLE:
      {
        char buffer[G_ASCII_DTOSTR_BUF_SIZE];

        return g_strdup (g_ascii_formatd (buffer, sizeof buffer, "%g",
                                          *(const double *) field));
      }
    default:
      g_return_val_if_reached (NULL);
    }
}

/**
 * lk_session_settings_validate:
 * @params: the study's parameters
 *
 * Returns: %TRUE if the settings fit the study; else %FALSE with @error saying what to change
 */
gboolean
lk_session_settings_validate (const LkSessionSettings  *settings,
                              const LkParams           *params,
                              GError                  **error)
{
  g_return_val_if_fail (settings != NULL && params != NULL, FALSE);

  if (settings->grids_per_participant > params->budget)
    {
      g_set_error (error, LK_STORE_ERROR, LK_STORE_ERROR_INVALID,
                   "A participant cannot sort more grids (%u) than the study has (its budget, "
                   "%u): choose grids-per-participant from 0 (no limit) to %u",
                   settings->grids_per_participant, params->budget, params->budget);
      return FALSE;
    }

  return TRUE;
}

/**
 * lk_session_settings_get_plan:
 * @params: the study's parameters (the budget is the default plan's length when a participant
 *   has no limit)
 * @plan: (out caller-allocates): the plan
 *
 * The study's session plan: the stored one, or one sorting block of grids-per-participant
 * grids (the budget when that is 0, no limit) after practice-grids practice grids.
 *
 * Returns: %FALSE with @error (%LK_STORE_ERROR_INVALID) if the stored plan does not parse;
 *   @plan is then the default
 */
gboolean
lk_session_settings_get_plan (const LkSessionSettings  *settings,
                              const LkParams           *params,
                              LkPlan                   *plan,
                              GError                  **error)
{
  g_autoptr(GError) local_error = NULL;
  guint grids;

  g_return_val_if_fail (settings != NULL && params != NULL && plan != NULL, FALSE);

  grids = settings->grids_per_participant > 0 ? settings->grids_per_participant : params->budget;
  lk_plan_init_sort (plan, grids, settings->n_practice);
  if (settings->plan == NULL)
    return TRUE;
  if (!lk_plan_parse (settings->plan, plan, &local_error))
    {
      lk_plan_init_sort (plan, grids, settings->n_practice);
      g_set_error (error, LK_STORE_ERROR, LK_STORE_ERROR_INVALID, "The study's plan '%s': %s",
                   settings->plan, local_error->message);
      return FALSE;
    }

  return TRUE;
}

/**
 * lk_session_settings_check_plan:
 * @plan: a session plan
 * @params: the study's parameters
 * @n_images: the images of its collection
 *
 * The study's rule for a plan: each block's task needs images enough to show one trial (a
 * sorting grid nq, a triplet 3, a forced choice 6, an intruder trial two clusters of 7, a
 * match page its query and %LK_MATCH_DEFAULT_PAGE candidates), and a participant
 * cannot sort more grids than the study's budget.
 *
 * Returns: %TRUE if @plan fits; else %FALSE with @error (%LK_STORE_ERROR_INVALID) saying what
 *   to change
 */
gboolean
lk_session_settings_check_plan (const LkPlan    *plan,
                                const LkParams  *params,
                                guint            n_images,
                                GError         **error)
{
  guint sorting = 0;

  g_return_val_if_fail (plan != NULL && params != NULL, FALSE);

  for (guint b = 0; b < plan->n_blocks; b++)
    {
      LkTaskKind kind = plan->blocks[b].kind;
      guint needed;

      switch (kind)
        {
        case LK_TASK_TRIPLET:
          needed = LK_TRIPLET_N_ITEMS;
          break;
        case LK_TASK_CHOICE5:
          needed = LK_CHOICE5_N_ITEMS;
          break;
        case LK_TASK_MATCH:
          needed = LK_MATCH_DEFAULT_PAGE + 1;
          break;
        case LK_TASK_INTRUDER:
          /* Seven from one cluster and one from another; two clusters of seven at least, so
           * that the draw can take the seven from either. */
          needed = 2 * (LK_INTRUDER_N_ITEMS - 1);
          break;
        case LK_TASK_SORT:
        case LK_TASK_TRAINING:
        case LK_TASK_EXAM:
        default:
          needed = params->nq;
          sorting += plan->blocks[b].count;
          break;
        }
      if (n_images < needed)
        {
          g_set_error (error, LK_STORE_ERROR, LK_STORE_ERROR_INVALID,
                       "Block %u of the plan (%s) needs at least %u images and the collection "
                       "has %u: import more images, or leave the block out of the plan", b + 1,
                       lk_task_kind_to_string (kind), needed, n_images);
          return FALSE;
        }
    }
  if (sorting > params->budget)
    {
      g_set_error (error, LK_STORE_ERROR, LK_STORE_ERROR_INVALID,
                   "The plan has %u sorting grids and the study's budget is %u: make the "
                   "sorting blocks shorter", sorting, params->budget);
      return FALSE;
    }

  return TRUE;
}

/* Returns the row name of setting @i. */
static char *
row_key (guint i)
{
  return g_strconcat ("session.", fields[i].key, NULL);
}

/**
 * lk_store_load_session_settings:
 * @settings: (out caller-allocates): filled with the study's settings (clear them after)
 *
 * A setting without a row, or whose row cannot be read as its kind, is its default.
 *
 * Returns: %FALSE with @error set if the file could not be read (@settings then holds the
 *   defaults)
 */
gboolean
lk_store_load_session_settings (LkStore            *store,
                                LkSessionSettings  *settings,
                                GError            **error)
{
  g_return_val_if_fail (store != NULL && settings != NULL, FALSE);

  lk_session_settings_init (settings);
  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      g_autofree char *key = row_key (i);
      g_autofree char *value = NULL;
      g_autoptr(GError) local_error = NULL;

      value = lk_store_get_setting (store, key, &local_error);
      if (local_error != NULL)
        {
          lk_session_settings_clear (settings);
          lk_session_settings_init (settings);
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      if (value != NULL && !lk_session_settings_set (settings, fields[i].key, value,
                                                     &local_error))
        g_debug ("setting %s: %s", key, local_error->message);
    }

  return TRUE;
}

/**
 * lk_store_save_session_settings:
 * @store: a study open for writing
 * @settings: its session settings from now on (checked with lk_session_settings_validate())
 *
 * Writes every setting in one transaction; those at their default lose their row.
 *
 * Returns: %TRUE once committed; %FALSE with @error set and the file unchanged
 */
gboolean
lk_store_save_session_settings (LkStore                  *store,
                                const LkSessionSettings  *settings,
                                GError                  **error)
{
  LkSessionSettings defaults;
  sqlite3_stmt *put, *drop;

  g_return_val_if_fail (store != NULL && settings != NULL, FALSE);

  if (!lk_session_settings_validate (settings, lk_store_get_params (store), error))
    return FALSE;
  if (settings->plan != NULL)
    {
      gint64 n_images;
      LkPlan plan;

      if (!lk_session_settings_get_plan (settings, lk_store_get_params (store), &plan, error) ||
          !lk_store_query_int (store, "SELECT count(*) FROM image", 0, &n_images, error) ||
          !lk_session_settings_check_plan (&plan, lk_store_get_params (store), (guint) n_images,
                                           error))
        return FALSE;
    }
  if (!lk_store_write_begin (store, error))
    return FALSE;
  put = lk_store_prepare (store, "INSERT OR REPLACE INTO setting (key, value) VALUES (?, ?)",
                          error);
  drop = put != NULL ? lk_store_prepare (store, "DELETE FROM setting WHERE key = ?", error) : NULL;
  if (drop == NULL)
    {
      lk_store_write_rollback (store);
      return FALSE;
    }
  lk_session_settings_init (&defaults);
  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      g_autofree char *key = row_key (i);
      g_autofree char *value = lk_session_settings_dup (settings, fields[i].key);
      g_autofree char *fallback = lk_session_settings_dup (&defaults, fields[i].key);
      gboolean is_default = value == NULL || g_strcmp0 (value, fallback) == 0;
      sqlite3_stmt *stmt = is_default ? drop : put;

      sqlite3_bind_text (stmt, 1, key, -1, SQLITE_TRANSIENT);
      if (!is_default)
        sqlite3_bind_text (stmt, 2, value, -1, SQLITE_TRANSIENT);
      if (!lk_store_step_done (store, stmt, "Writing the session settings", error))
        {
          lk_store_write_rollback (store);
          return FALSE;
        }
    }

  return lk_store_write_commit (store, "Writing the session settings", error);
}

/**
 * lk_store_count_participant_answers:
 * @code: a participant code
 *
 * Returns: how many answers the study holds from the participant @code (0 for a code it does
 *   not know), or 0 with @error set if the file could not be read
 */
guint
lk_store_count_participant_answers (LkStore     *store,
                                    const char  *code,
                                    GError     **error)
{
  gint64 participant, n = 0;

  g_return_val_if_fail (store != NULL && code != NULL, 0);

  participant = lk_store_find_participant (store, code);
  if (participant == 0)
    return 0;
  if (!lk_store_query_int (store,
                           "SELECT count(*) FROM answer a LEFT JOIN session s ON s.id = a.session "
                           "WHERE coalesce(a.participant, s.participant) = ?",
                           participant, &n, error))
    return 0;

  return (guint) n;
}
