/* lk-model-export.c — every method's output per phase, as CSV and JSON
 *
 * The output is the model's: the study replayed from the file (lk_answers_replay(), without the
 * participants left out of the model), read right after each phase's update:
 *   - the positions: each item's coordinates in the embedding;
 *   - the clusters, for a method that makes them (crowdcluster's Dirichlet-process mixture);
 *   - the worker parameters, for a method that models the participants (cen's attribute
 *     weights a^w, crowdcluster's bias), each named by the participant's code.
 * Doubles are written with 17 significant digits, so they read back to the same bits.
 *
 * CSV, long form (one value a row, for R's tidyr or pandas' pivot):
 *   phase,what,item,path,participant,index,value
 *   what = position (item, path, index = the dimension), cluster (item, path, index 0, value =
 *   the cluster), attribute_weight or bias (participant, index = the attribute).
 * JSON: { "method", "phases": [ { "phase", "positions": [[…] per item],
 *   "clusters": [… per item] or null, "workers": [ { "participant", "worker", "criterion",
 *   "values": […] } ] } ] }
 *
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <json-glib/json-glib.h>

#include "lk-answers.h"
#include "lk-cen.h"
#include "lk-export.h"
#include "lk-method-private.h"
#include "lk-participants.h"

#include "lk-store-private.h"

typedef struct {
  guint            worker;
  LkCriterionKind  kind;
  GArray          *values;   /* double */
} ModelWorker;

typedef struct {
  guint      phase;
  guint      n_items;
  guint      dim;
  double    *positions;
  guint     *clusters;       /* nullable */
  GArray    *workers;        /* ModelWorker */
} ModelPhase;

static void
model_worker_clear (gpointer data)
{
  g_clear_pointer (&((ModelWorker *) data)->values, g_array_unref);
}

static void
model_phase_free (gpointer data)
{
  ModelPhase *phase = data;

  g_free (phase->positions);
  g_free (phase->clusters);
  g_clear_pointer (&phase->workers, g_array_unref);
  g_free (phase);
}

/* The phase_func of the replay: a copy of what the model holds right after the update. */
static void
collect_phase (const LkRefiner     *refiner,
               const LkUpdateStats *stats,
               gpointer             user_data)
{
  GPtrArray *phases = user_data;
  const LkEmbedding *embedding = lk_refiner_get_embedding (refiner);
  const LkMethodType *method = lk_refiner_get_method (refiner);
  gconstpointer state = lk_refiner_get_state (refiner);
  ModelPhase *phase = g_new0 (ModelPhase, 1);

  phase->phase = phases->len;
  phase->n_items = lk_embedding_get_n_items (embedding);
  phase->dim = lk_embedding_get_dim (embedding);
  phase->positions = g_memdup2 (lk_embedding_get_data (embedding),
                                sizeof (double) * phase->n_items * phase->dim);
  phase->workers = g_array_new (FALSE, TRUE, sizeof (ModelWorker));
  g_array_set_clear_func (phase->workers, model_worker_clear);

  if (method == &_lk_method_crowdcluster_type)
    {
      const guint *clusters = _lk_method_crowdcluster_get_clusters (state, NULL);
      ModelWorker w = { .kind = LK_CRITERION_BIAS };
      double bias;

      if (clusters != NULL)
        phase->clusters = g_memdup2 (clusters, sizeof (guint) * phase->n_items);
      for (guint i = 0; _lk_method_crowdcluster_get_worker (state, i, &w.worker, &bias); i++)
        {
          w.values = g_array_new (FALSE, FALSE, sizeof (double));
          g_array_append_val (w.values, bias);
          g_array_append_val (phase->workers, w);
        }
    }
  else if (method == lk_method_cen)
    {
      guint k = lk_refiner_get_params (refiner)->dim;

      for (guint i = 0; i < lk_cen_get_n_participants (state); i++)
        {
          ModelWorker w = { .kind = LK_CRITERION_ATTRIBUTE_WEIGHTS };

          w.values = g_array_sized_new (FALSE, TRUE, sizeof (double), k);
          g_array_set_size (w.values, k);
          lk_cen_get_participant_weights (state, i, &w.worker,
                                          (double *) (gpointer) w.values->data);
          g_array_append_val (phase->workers, w);
        }
    }

  g_ptr_array_add (phases, phase);
}

/* Replays @store and returns its phases (ModelPhase), the participants' codes by worker index
 * and the method's name. */
static GPtrArray *
collect (LkStore     *store,
         GPtrArray  **codes,
         const char **method,
         GError     **error)
{
  g_autoptr(GPtrArray) phases = g_ptr_array_new_with_free_func (model_phase_free);
  g_autoptr(LkRefiner) refiner = NULL;
  LkAnswersPending pending;
  sqlite3_stmt *stmt;
  int rc;

  refiner = lk_answers_replay (store, &pending, collect_phase, phases, error);
  lk_answers_pending_clear (&pending);
  if (refiner == NULL)
    return NULL;
  *method = lk_refiner_get_method (refiner)->name;

  *codes = g_ptr_array_new_with_free_func (g_free);
  stmt = lk_store_prepare (store, "SELECT code FROM participant ORDER BY id", error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (*codes, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      lk_store_set_error (store, error, rc, "Reading the participants");
      return NULL;
    }

  return g_steal_pointer (&phases);
}

static const char *
code_of (GPtrArray *codes,
         guint      worker)
{
  return worker < codes->len ? g_ptr_array_index (codes, worker) : "";
}

static void
append_double (GString *out,
               double   value)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  g_string_append (out, g_ascii_formatd (buf, sizeof buf, "%.17g", value));
}

/**
 * lk_export_model_csv:
 * @store: a study; only read
 * @path: the CSV file to write, or "-"
 * @error: return location for a #GError
 *
 * Writes the model's output in every phase (positions, clusters, worker parameters), one value
 * a row; see the top of lk-model-export.c.
 *
 * Returns: %TRUE on success
 */
gboolean
lk_export_model_csv (LkStore     *store,
                     const char  *path,
                     GError     **error)
{
  g_autoptr(GString) out = g_string_new ("phase,what,item,path,participant,index,value\n");
  g_autoptr(GPtrArray) paths = NULL, codes = NULL, phases = NULL;
  const char *method = NULL;

  g_return_val_if_fail (store != NULL && path != NULL, FALSE);

  paths = lk_collection_load_paths (store, error);
  if (paths == NULL)
    return FALSE;
  phases = collect (store, &codes, &method, error);
  if (phases == NULL)
    return FALSE;

  for (guint p = 0; p < phases->len; p++)
    {
      const ModelPhase *phase = g_ptr_array_index (phases, p);

      for (guint i = 0; i < phase->n_items; i++)
        for (guint d = 0; d < phase->dim; d++)
          {
            g_string_append_printf (out, "%u,position,%u,", phase->phase, i);
            lk_export_append_field (out, i < paths->len ? g_ptr_array_index (paths, i) : NULL);
            g_string_append_printf (out, ",,%u,", d);
            append_double (out, phase->positions[(gsize) i * phase->dim + d]);
            g_string_append_c (out, '\n');
          }
      for (guint i = 0; phase->clusters != NULL && i < phase->n_items; i++)
        {
          g_string_append_printf (out, "%u,cluster,%u,", phase->phase, i);
          lk_export_append_field (out, i < paths->len ? g_ptr_array_index (paths, i) : NULL);
          g_string_append_printf (out, ",,0,%u\n", phase->clusters[i]);
        }
      for (guint w = 0; w < phase->workers->len; w++)
        {
          const ModelWorker *worker = &g_array_index (phase->workers, ModelWorker, w);

          for (guint v = 0; v < worker->values->len; v++)
            {
              g_string_append_printf (out, "%u,%s,,,", phase->phase,
                                      worker->kind == LK_CRITERION_BIAS ? "bias"
                                                                        : "attribute_weight");
              lk_export_append_field (out, code_of (codes, worker->worker));
              g_string_append_printf (out, ",%u,", v);
              append_double (out, g_array_index (worker->values, double, v));
              g_string_append_c (out, '\n');
            }
        }
    }

  return lk_export_write_file (out, path, error);
}

/**
 * lk_export_model_json:
 * @store: a study; only read
 * @path: the JSON file to write, or "-"
 * @error: return location for a #GError
 *
 * As lk_export_model_csv(), as one JSON document; see the top of lk-model-export.c.
 *
 * Returns: %TRUE on success
 */
gboolean
lk_export_model_json (LkStore     *store,
                      const char  *path,
                      GError     **error)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GPtrArray) codes = NULL, phases = NULL;
  g_autoptr(GString) out = NULL;
  g_autofree char *text = NULL;
  const char *method = NULL;

  g_return_val_if_fail (store != NULL && path != NULL, FALSE);

  phases = collect (store, &codes, &method, error);
  if (phases == NULL)
    return FALSE;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "method");
  json_builder_add_string_value (b, method);
  json_builder_set_member_name (b, "phases");
  json_builder_begin_array (b);
  for (guint p = 0; p < phases->len; p++)
    {
      const ModelPhase *phase = g_ptr_array_index (phases, p);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "phase");
      json_builder_add_int_value (b, phase->phase);
      json_builder_set_member_name (b, "positions");
      json_builder_begin_array (b);
      for (guint i = 0; i < phase->n_items; i++)
        {
          json_builder_begin_array (b);
          for (guint d = 0; d < phase->dim; d++)
            json_builder_add_double_value (b, phase->positions[(gsize) i * phase->dim + d]);
          json_builder_end_array (b);
        }
      json_builder_end_array (b);
      json_builder_set_member_name (b, "clusters");
      if (phase->clusters == NULL)
        json_builder_add_null_value (b);
      else
        {
          json_builder_begin_array (b);
          for (guint i = 0; i < phase->n_items; i++)
            json_builder_add_int_value (b, phase->clusters[i]);
          json_builder_end_array (b);
        }
      json_builder_set_member_name (b, "workers");
      json_builder_begin_array (b);
      for (guint w = 0; w < phase->workers->len; w++)
        {
          const ModelWorker *worker = &g_array_index (phase->workers, ModelWorker, w);

          json_builder_begin_object (b);
          json_builder_set_member_name (b, "participant");
          json_builder_add_string_value (b, code_of (codes, worker->worker));
          json_builder_set_member_name (b, "worker");
          if (worker->worker == LK_PARTICIPANT_UNKNOWN)
            json_builder_add_null_value (b);
          else
            json_builder_add_int_value (b, worker->worker);
          json_builder_set_member_name (b, "criterion");
          json_builder_add_string_value (b, lk_criterion_kind_to_string (worker->kind));
          json_builder_set_member_name (b, "values");
          json_builder_begin_array (b);
          for (guint v = 0; v < worker->values->len; v++)
            json_builder_add_double_value (b, g_array_index (worker->values, double, v));
          json_builder_end_array (b);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);

  root = json_builder_get_root (b);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  text = json_generator_to_data (generator, NULL);
  out = g_string_new (text);
  g_string_append_c (out, '\n');

  return lk_export_write_file (out, path, error);
}
