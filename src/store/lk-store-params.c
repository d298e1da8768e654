/* lk-store-params.c — the study's LkParams, one row of the param table per field
 *
 * Each field is stored as text under its C name, so a file stays readable by hand and a field
 * added later is simply absent from older files (the reader keeps lk_params_init()'s default).
 * Doubles are written with 17 significant digits, which read back to the same bits.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <errno.h>
#include <stddef.h>
#include <string.h>

#include "lk-store-private.h"

/* Every LkParams field, by the name stored in the param table, with the values the code can
 * use (what the CLI's options allow: bounded, so that no replay spins on a damaged file). A
 * field missing here would not be saved, and a reopened study would silently fall back to its
 * default: add new ones. The round-trip test in tests/store/test-store.c walks this table. */
static const LkStoreParamField param_fields[] = {
  { "nq", LK_STORE_PARAM_UINT, offsetof (LkParams, nq), 2, 1000 },
  { "nc", LK_STORE_PARAM_UINT, offsetof (LkParams, nc), 2, 32 },
  { "budget", LK_STORE_PARAM_UINT, offsetof (LkParams, budget), 1, 10000000 },
  { "phases", LK_STORE_PARAM_UINT, offsetof (LkParams, phases), 1, 100000 },
  { "knn_k", LK_STORE_PARAM_UINT, offsetof (LkParams, knn_k), 1, 100000 },
  { "dim", LK_STORE_PARAM_UINT, offsetof (LkParams, dim), 1, 64 },
  { "beta", LK_STORE_PARAM_DOUBLE, offsetof (LkParams, beta), 1.000000001, 1e6 },
  { "epsilon", LK_STORE_PARAM_DOUBLE, offsetof (LkParams, epsilon), 1e-300, 1 },
  { "iterations", LK_STORE_PARAM_UINT, offsetof (LkParams, iterations), 1, 100000 },
  { "magic", LK_STORE_PARAM_DOUBLE, offsetof (LkParams, magic), 1e-300, 1 },
  { "triplet_alpha", LK_STORE_PARAM_DOUBLE, offsetof (LkParams, triplet_alpha), 1e-300, 1e6 },
  { "triplet_answers", LK_STORE_PARAM_UINT, offsetof (LkParams, triplet_answers), 1, 100000 },
  { "triplet_iterations", LK_STORE_PARAM_UINT, offsetof (LkParams, triplet_iterations), 1, 1000000 },
  { "triplet_rate", LK_STORE_PARAM_DOUBLE, offsetof (LkParams, triplet_rate), 1e-300, 1 },
  { "triplet_first_iterations", LK_STORE_PARAM_UINT, offsetof (LkParams, triplet_first_iterations), 1, 1000000 },
  { "triplet_guess", LK_STORE_PARAM_DOUBLE, offsetof (LkParams, triplet_guess), 0, 0.999999 },
  { "seed", LK_STORE_PARAM_UINT64, offsetof (LkParams, seed), 0, G_MAXUINT64 },
};

/* A guard against the mistake above: the build fails when LkParams changes size, to make
 * whoever adds a field add it to param_fields too (then update the size here). */
G_STATIC_ASSERT (sizeof (LkParams) == 104);

/**
 * lk_store_param_fields:
 * @n_fields: (out): the number of fields
 *
 * Returns: (array length=n_fields) (transfer none): every LkParams field the study saves
 */
const LkStoreParamField *
lk_store_param_fields (guint *n_fields)
{
  *n_fields = G_N_ELEMENTS (param_fields);

  return param_fields;
}

/* Returns the size in bytes of a field of @kind. */
gsize
lk_store_param_size (LkStoreParamKind kind)
{
  switch (kind)
    {
    case LK_STORE_PARAM_UINT:
      return sizeof (guint);
    case LK_STORE_PARAM_UINT64:
      return sizeof (guint64);
    case LK_STORE_PARAM_DOUBLE:
      return sizeof (double);
    default:
      g_return_val_if_reached (0);
    }
}

/* Writes every field of @params into the param table, in the transaction already begun. */
gboolean
lk_store_params_write (LkStore         *store,
                       const LkParams  *params,
                       GError         **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = lk_store_prepare (store, "INSERT INTO param (name, value) VALUES (?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (param_fields); i++)
    {
      const guint8 *field = (const guint8 *) params + param_fields[i].offset;
      char text[G_ASCII_DTOSTR_BUF_SIZE];

      if (param_fields[i].kind == LK_STORE_PARAM_DOUBLE)
        g_ascii_formatd (text, sizeof text, "%.17g", *(const double *) field);
      else if (param_fields[i].kind == LK_STORE_PARAM_UINT64)
        g_snprintf (text, sizeof text, "%" G_GUINT64_FORMAT, *(const guint64 *) field);
      else
        g_snprintf (text, sizeof text, "%u", *(const guint *) field);

      sqlite3_reset (stmt);
      sqlite3_bind_text (stmt, 1, param_fields[i].name, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, text, -1, SQLITE_TRANSIENT);
      rc = sqlite3_step (stmt);
      if (rc != SQLITE_DONE)
        {
          sqlite3_reset (stmt);
          lk_store_set_error (store, error, rc, "Writing the study's parameters");
          return FALSE;
        }
    }
  sqlite3_reset (stmt);

  return TRUE;
}

/* Returns whether @value is a number @field can hold: not text, not negative for a count, not
 * beyond the field's bounds (4294967295 iterations would spin for hours), finite. */
static gboolean
value_usable (const LkStoreParamField *field,
              const char              *value)
{
  char *end = NULL;

  if (value == NULL || *value == '\0')
    return FALSE;
  if (field->kind == LK_STORE_PARAM_DOUBLE)
    {
      double v = g_ascii_strtod (value, &end);

      return *end == '\0' && v >= field->min && v <= field->max;
    }
  else
    {
      guint64 v;

      errno = 0;
      v = g_ascii_strtoull (value, &end, 10);
      return g_ascii_isdigit (value[0]) && *end == '\0' && errno == 0 &&
             (double) v >= field->min && (double) v <= field->max;
    }
}

/* Fills @params with the defaults, then with every field the param table has; with @problems,
 * also appends a line for each value the code cannot use (value_usable()). */
static gboolean
read_params (LkStore   *store,
             LkParams  *params,
             GString   *problems,
             GError   **error)
{
  sqlite3_stmt *stmt;
  int rc;

  lk_params_init (params);
  stmt = lk_store_prepare (store, "SELECT name, value FROM param ORDER BY name", error);
  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *name = (const char *) sqlite3_column_text (stmt, 0);
      const char *value = (const char *) sqlite3_column_text (stmt, 1);

      for (guint i = 0; i < G_N_ELEMENTS (param_fields); i++)
        {
          const LkStoreParamField *f = &param_fields[i];
          guint8 *field = (guint8 *) params + f->offset;

          if (g_strcmp0 (name, f->name) != 0)
            continue;
          if (problems != NULL && !value_usable (f, value))
            g_string_append_printf (problems, "param %s = %s: not a value Likeness can use "
                                    "(%s from %.10g to %.10g)\n", name, value ? value : "NULL",
                                    f->kind == LK_STORE_PARAM_DOUBLE ? "a number" :
                                    "a whole number", f->min, f->max);
          if (value == NULL)
            continue;
          if (f->kind == LK_STORE_PARAM_DOUBLE)
            *(double *) field = g_ascii_strtod (value, NULL);
          else if (f->kind == LK_STORE_PARAM_UINT64)
            *(guint64 *) field = g_ascii_strtoull (value, NULL, 10);
          else
            *(guint *) field = (guint) g_ascii_strtoull (value, NULL, 10);
        }
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      lk_store_set_error (store, error, rc, "Reading the study's parameters");
      return FALSE;
    }

  return TRUE;
}

/**
 * lk_store_set_params:
 * @self: a study open for writing, with no query drawn yet
 * @params: its parameters from now on
 * @error: return location for a #GError
 *
 * Replaces the study's parameters, in one transaction. Only a study that has drawn no query may
 * change them: its first draw fixes the refinement (which k, which batches). Creating a study
 * uses this once its images are imported, to store the k chosen for their number.
 *
 * Returns: %TRUE once committed; %FALSE with @error set and the file unchanged
 */
gboolean
lk_store_set_params (LkStore         *self,
                     const LkParams  *params,
                     GError         **error)
{
  sqlite3_stmt *stmt;
  gint64 n_queries;

  g_return_val_if_fail (self != NULL && params != NULL, FALSE);

  if (!lk_store_query_int (self, "SELECT count(*) FROM query", 0, &n_queries, error))
    return FALSE;
  if (n_queries > 0)
    {
      g_set_error (error, LK_STORE_ERROR, LK_STORE_ERROR_INVALID,
                   "The study's parameters are fixed once its first grids are drawn - %s",
                   self->path);
      return FALSE;
    }

  if (!lk_store_write_begin (self, error))
    return FALSE;
  stmt = lk_store_prepare (self, "DELETE FROM param", error);
  if (stmt == NULL || !lk_store_step_done (self, stmt, "Writing the study's parameters", error) ||
      !lk_store_params_write (self, params, error))
    {
      lk_store_write_rollback (self);
      return FALSE;
    }
  if (!lk_store_write_commit (self, "Writing the study's parameters", error))
    return FALSE;
  self->params = *params;

  return TRUE;
}

/**
 * lk_store_fit_params:
 * @self: a study open for writing, its images imported and no query drawn yet
 * @choose_k: %TRUE when the experimenter left k to be chosen for the collection
 * @error: return location for a #GError
 *
 * The end of creating a study: chooses k for the number of images imported if asked
 * (lk_params_choose_k()) and stores it, then checks the parameters with the study's rule
 * (lk_params_validate_study()), whose message says what to change. A study made by
 * lk_store_create_unfinished() is marked finished once this succeeds (and stays unfinished
 * when it fails, so that the import can be run again).
 *
 * Returns: %TRUE if the study can run; %FALSE with @error set (%LK_CORE_ERROR when the
 *   parameters do not fit the collection, %LK_STORE_ERROR when the file could not be written)
 */
gboolean
lk_store_fit_params (LkStore   *self,
                     gboolean   choose_k,
                     GError   **error)
{
  LkParams params;
  gint64 n_images;

  g_return_val_if_fail (self != NULL, FALSE);

  if (!lk_store_query_int (self, "SELECT count(*) FROM image", 0, &n_images, error))
    return FALSE;
  params = self->params;
  if (choose_k && lk_params_choose_k (&params, (guint) n_images) > 0)
    params.knn_k = lk_params_choose_k (&params, (guint) n_images);
  if (!lk_params_validate_study (&params, (guint) n_images, error))
    return FALSE;
  if (params.knn_k != self->params.knn_k && !lk_store_set_params (self, &params, error))
    return FALSE;
  /* After the parameters: killed in between, the study is still unfinished, and finishing it
   * again chooses the same k. */
  if (self->unfinished != NULL)
    {
      if (!lk_store_write_row (self, NULL, NULL, "Marking the study as created", error,
                               "DELETE FROM setting WHERE key IN (?, ?)", "ss",
                               LK_STORE_UNFINISHED_FOLDER, LK_STORE_UNFINISHED_CHOOSE_K))
        return FALSE;
      g_clear_pointer (&self->unfinished, g_free);
    }

  return TRUE;
}

/* Fills @params with the defaults, then with every field the param table has. */
gboolean
lk_store_params_load (LkStore   *store,
                      LkParams  *params,
                      GError   **error)
{
  return read_params (store, params, NULL, error);
}

/* Appends to @problems one line for each param row whose value the code cannot use. */
gboolean
lk_store_params_check (LkStore   *store,
                       GString   *problems,
                       GError   **error)
{
  LkParams scratch;

  return read_params (store, &scratch, problems, error);
}
