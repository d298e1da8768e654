/* lk-lab-gold.c — a lab study's known answers, the exam's outcome and the session settings
 *
 * The gold grids (gold_grid, gold_item) travel with the study: pg-push copies them as every
 * table, and a station reads them from the database (lk_lab_list_gold()) as a study file's run
 * reads lk_gold_list(). A participant who fails the exam is marked in participant.status, as
 * in a study file (lk_participants_set_qualified()), so that every station refuses the code
 * afterwards and a pull carries the mark. The session settings are the setting table's
 * session.* rows, kept as a study file keeps them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "lk-gold.h"
#include "lk-lab-private.h"
#include "lk-store-private.h"

/**
 * lk_lab_list_gold:
 * @self: a connection to a lab study
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (element-type LkGoldGrid): the study's known answers in the order
 *   they were added (as lk_gold_list()), or %NULL with @error set
 */
GPtrArray *
lk_lab_list_gold (LkLab   *self,
                  GError **error)
{
  g_autoptr(GPtrArray) grids = g_ptr_array_new_with_free_func ((GDestroyNotify) lk_gold_grid_free);
  g_autoptr(PGresult) res = NULL;

  res = lk_lab_exec (self, "Reading the known answers", error,
                     "SELECT g.id, g.name, g.use, g.instructions, g.source, g.created, g.nc, "
                     "  string_agg(i.item::text, ',' ORDER BY i.position), "
                     "  string_agg(i.bin::text, ',' ORDER BY i.position) "
                     "FROM gold_grid g JOIN gold_item i ON i.gold = g.id "
                     "GROUP BY g.id ORDER BY g.id", 0);
  if (res == NULL)
    return NULL;
  for (int r = 0; r < PQntuples (res); r++)
    {
      g_autoptr(LkGoldGrid) grid = g_new0 (LkGoldGrid, 1);
      g_auto(GStrv) items = g_strsplit (PQgetvalue (res, r, 7), ",", -1);
      g_auto(GStrv) bins = g_strsplit (PQgetvalue (res, r, 8), ",", -1);
      guint n = g_strv_length (items);
      g_autofree guint *item_ids = g_new (guint, MAX (n, 1));
      g_autofree gint *bin_ids = g_new (gint, MAX (n, 1));

      grid->id = g_ascii_strtoll (PQgetvalue (res, r, 0), NULL, 10);
      grid->name = g_strdup (PQgetvalue (res, r, 1));
      grid->instructions = PQgetisnull (res, r, 3) ? NULL : g_strdup (PQgetvalue (res, r, 3));
      grid->source = g_strdup (PQgetvalue (res, r, 4));
      grid->created = g_strdup (PQgetvalue (res, r, 5));
      grid->nc = (guint) g_ascii_strtoull (PQgetvalue (res, r, 6), NULL, 10);
      for (guint i = 0; i < n; i++)
        {
          item_ids[i] = (guint) g_ascii_strtoull (items[i], NULL, 10);
          bin_ids[i] = bins[i] != NULL ? (gint) g_ascii_strtoll (bins[i], NULL, 10) : -2;
        }
      grid->answer = lk_query_new (item_ids, n);
      if (!lk_gold_use_from_string (PQgetvalue (res, r, 2), &grid->use) ||
          g_strv_length (bins) != n ||
          !lk_query_set_answer (grid->answer, bin_ids, MAX (grid->nc, 1), NULL))
        {
          g_set_error (error, LK_LAB_ERROR, LK_LAB_ERROR_FAILED,
                       "The lab study's known answer “%s” is damaged", grid->name);
          return NULL;
        }
      g_ptr_array_add (grids, g_steal_pointer (&grid));
    }

  return g_steal_pointer (&grids);
}

/**
 * lk_lab_set_qualified:
 * @self: a connection to a lab study
 * @participant: a participant code
 * @qualified: %FALSE when they failed the exam
 * @error: return location for a #GError
 *
 * Records the exam's outcome for every station (participant.status), and logs it.
 *
 * Returns: %TRUE once committed
 */
gboolean
lk_lab_set_qualified (LkLab       *self,
                      const char  *participant,
                      gboolean     qualified,
                      GError     **error)
{
  g_autofree char *now = lk_store_now_iso8601 ();
  const char *status = qualified ? "active" : "not_qualified";

  return lk_lab_run (self, "Recording the exam's outcome", error,
                     "WITH p AS (INSERT INTO participant (code, created, consent, status) "
                     "  VALUES ($1, $2, 1, $3) ON CONFLICT (code) DO UPDATE SET "
                     "  status = EXCLUDED.status RETURNING id) "
                     "INSERT INTO event (station, kind, payload) SELECT $4, 'qualification', "
                     "jsonb_build_object('participant', id, 'status', $3::text) FROM p",
                     4, participant, now, status, self->station);
}

/**
 * lk_lab_get_qualified:
 * @self: a connection to a lab study
 * @participant: a participant code
 * @qualified: (out): %FALSE if @participant failed the study's exam (%TRUE for a new code)
 * @error: return location for a #GError
 *
 * Returns: %TRUE when read
 */
gboolean
lk_lab_get_qualified (LkLab       *self,
                      const char  *participant,
                      gboolean    *qualified,
                      GError     **error)
{
  g_autoptr(PGresult) res = lk_lab_exec (self, "Reading the participant's status", error,
                                         "SELECT status FROM participant WHERE code = $1", 1,
                                         participant);

  if (res == NULL)
    return FALSE;
  *qualified = PQntuples (res) == 0 || g_strcmp0 (PQgetvalue (res, 0, 0), "not_qualified") != 0;

  return TRUE;
}

/**
 * lk_lab_load_session_settings:
 * @self: a connection to a lab study
 * @settings: (out caller-allocates): the settings, initialised here
 * @error: return location for a #GError
 *
 * Reads the lab study's session settings: the setting table's session.* rows, as a study file
 * keeps them; a row that does not read as its kind is the default, as in a study file.
 *
 * Returns: %TRUE when read
 */
gboolean
lk_lab_load_session_settings (LkLab              *self,
                              LkSessionSettings  *settings,
                              GError            **error)
{
  const char *const *keys = lk_session_settings_keys ();

  lk_session_settings_init (settings);
  for (guint i = 0; keys[i] != NULL; i++)
    {
      g_autofree char *row = g_strconcat ("session.", keys[i], NULL);
      g_autofree char *value = NULL;
      g_autoptr(GError) local_error = NULL;

      if (!lk_lab_get_setting (self, row, &value, error))
        return FALSE;
      if (value != NULL && !lk_session_settings_set (settings, keys[i], value, &local_error))
        g_debug ("setting %s: %s", row, local_error->message);
    }

  return TRUE;
}
