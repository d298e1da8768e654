/* lk-cli-aggregate.c — likeness-cli aggregate: a crowd platform's results file through
 * Crowdclustering, written in the layout of the reference port's parity fixtures
 *
 * The Toloka results file (../shared/specs/crowd-pipeline.md §2.4) is a TSV whose cells may be
 * quoted ("..." with inner quotes doubled, tabs and newlines allowed inside). The columns read:
 * INPUT:images, the grid's images as JSON values joined by commas without brackets;
 * OUTPUT:result, JSON objects {"image": ..., "group": g} in image order, with or without outer
 * brackets (the k-th group belongs to the k-th image; the "image" key is not used, as in the
 * port); ASSIGNMENT:worker_id. Every row counts, whatever its status, as in the port.
 *
 * Images are numbered in order of first appearance (row order, then position in the grid) and
 * workers likewise, the deterministic order of the spec's parity protocol (§1.8).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "lk-cli.h"
#include "lk-crowdclust.h"
#include "lk-dpmix.h"

#define COMMAND "aggregate"

typedef struct {
  GPtrArray *cells;   /* char * */
  guint      line;    /* 1-based line where the record starts */
} Record;

static void
record_clear (Record *r)
{
  g_clear_pointer (&r->cells, g_ptr_array_unref);
}

/* Reads one TSV record at *pos (pandas' quoting: a cell that starts with a quote runs to the
 * next lone quote; "" inside is one quote). Returns FALSE at the end of the text. */
static gboolean
read_record (const char  *text,
             gsize        len,
             gsize       *pos,
             guint       *line,
             Record      *r,
             GError     **error)
{
  gsize p = *pos;
  GString *cell = g_string_new (NULL);

  if (p >= len)
    {
      g_string_free (cell, TRUE);
      return FALSE;
    }
  r->cells = g_ptr_array_new_with_free_func (g_free);
  r->line = *line;

  for (;;)
    {
      if (p < len && text[p] == '"')
        {
          guint start_line = *line;

          p++;
          for (;;)
            {
              if (p >= len)
                {
                  g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                               "line %u: a quoted cell is not closed (a '\"' is missing)", start_line);
                  g_string_free (cell, TRUE);
                  return FALSE;
                }
              if (text[p] == '"')
                {
                  if (p + 1 < len && text[p + 1] == '"')
                    {
                      g_string_append_c (cell, '"');
                      p += 2;
                      continue;
                    }
                  p++;
                  break;
                }
              if (text[p] == '\n')
                (*line)++;
              g_string_append_c (cell, text[p++]);
            }
        }
      while (p < len && text[p] != '\t' && text[p] != '\n')
        {
          if (!(text[p] == '\r' && (p + 1 == len || text[p + 1] == '\n')))
            g_string_append_c (cell, text[p]);
          p++;
        }
      g_ptr_array_add (r->cells, g_string_free (cell, FALSE));
      cell = g_string_new (NULL);
      if (p >= len || text[p] == '\n')
        {
          if (p < len)
            p++;
          (*line)++;
          break;
        }
      p++;   /* the tab */
    }
  g_string_free (cell, TRUE);
  *pos = p;

  return TRUE;
}

static JsonArray *
parse_json_array (const char  *text,
                  GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;

  if (!json_parser_load_from_data (parser, text, -1, error))
    return NULL;
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_ARRAY (root))
    {
      g_set_error (error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_INVALID_DATA, "not a JSON array");
      return NULL;
    }

  return json_array_ref (json_node_get_array (root));
}

/* A JSON value as a name: a string's text, any other value's JSON. */
static char *
value_name (JsonNode *node)
{
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    return g_strdup (json_node_get_string (node));

  return json_to_string (node, FALSE);
}

typedef struct {
  GPtrArray  *items;        /* image names in order of first appearance */
  GHashTable *item_index;   /* name -> index + 1 */
  GPtrArray  *workers;
  GHashTable *worker_index;
  GArray     *labels;       /* LkCcLabel */
  guint       n_assignments;
} Crowd;

static void
crowd_clear (Crowd *c)
{
  g_clear_pointer (&c->items, g_ptr_array_unref);
  g_clear_pointer (&c->item_index, g_hash_table_unref);
  g_clear_pointer (&c->workers, g_ptr_array_unref);
  g_clear_pointer (&c->worker_index, g_hash_table_unref);
  g_clear_pointer (&c->labels, g_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Crowd, crowd_clear)

static guint
intern (GPtrArray  *names,
        GHashTable *index,
        const char *name)
{
  guint i = GPOINTER_TO_UINT (g_hash_table_lookup (index, name));

  if (i == 0)
    {
      char *copy = g_strdup (name);

      g_ptr_array_add (names, copy);
      i = names->len;
      g_hash_table_insert (index, copy, GUINT_TO_POINTER (i));
    }

  return i - 1;
}

static int
column_of (const Record *header,
           const char   *name)
{
  for (guint c = 0; c < header->cells->len; c++)
    if (strcmp (g_ptr_array_index (header->cells, c), name) == 0)
      return (int) c;

  return -1;
}

/* One row: its images, its groups, its pair labels. */
static gboolean
read_assignment (Crowd        *crowd,
                 const Record *r,
                 int           col_images,
                 int           col_result,
                 int           col_worker,
                 const char   *path,
                 GError      **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(JsonArray) images = NULL;
  g_autoptr(JsonArray) result = NULL;
  g_autofree char *images_text = NULL;
  g_autofree guint *item = NULL;
  g_autofree char **group = NULL;
  g_autoptr(GPtrArray) group_names = g_ptr_array_new_with_free_func (g_free);
  GString *result_text;
  const char *cell;
  guint n, worker;

  if ((guint) MAX (MAX (col_images, col_result), col_worker) >= r->cells->len)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                   "%s, line %u: the row has %u cells, fewer than the header", path, r->line,
                   r->cells->len);
      return FALSE;
    }

  images_text = g_strdup_printf ("[%s]", (const char *) g_ptr_array_index (r->cells, col_images));
  images = parse_json_array (images_text, &local_error);
  if (images == NULL || json_array_get_length (images) < 2)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                   "%s, line %u: INPUT:images must hold at least two JSON values joined by commas "
                   "(\"a.jpg\",\"b.jpg\"): %s", path, r->line,
                   local_error ? local_error->message : "fewer than two images");
      return FALSE;
    }

  /* As the port: "" becomes ", backslashes go, and the brackets are optional. */
  cell = g_ptr_array_index (r->cells, col_result);
  result_text = g_string_new (NULL);
  for (const char *s = cell; *s != '\0'; s++)
    {
      if (*s == '\\')
        continue;
      if (s[0] == '"' && s[1] == '"')
        s++;
      g_string_append_c (result_text, *s);
    }
  g_strstrip (result_text->str);
  if (result_text->str[0] != '[')
    {
      g_string_prepend_c (result_text, '[');
      g_string_append_c (result_text, ']');
    }
  result = parse_json_array (result_text->str, &local_error);
  g_string_free (result_text, TRUE);
  if (result == NULL)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                   "%s, line %u: OUTPUT:result must hold JSON objects {\"image\": ..., \"group\": N} "
                   "joined by commas: %s", path, r->line, local_error->message);
      return FALSE;
    }

  n = json_array_get_length (images);
  if (json_array_get_length (result) != n)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                   "%s, line %u: OUTPUT:result has %u answers for the %u images of INPUT:images",
                   path, r->line, json_array_get_length (result), n);
      return FALSE;
    }

  worker = intern (crowd->workers, crowd->worker_index, g_ptr_array_index (r->cells, col_worker));
  item = g_new (guint, n);
  group = g_new0 (char *, n);
  for (guint k = 0; k < n; k++)
    {
      JsonNode *node = json_array_get_element (result, k);
      JsonObject *obj = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      g_autofree char *name = value_name (json_array_get_element (images, k));

      if (obj == NULL || !json_object_has_member (obj, "group")
          || JSON_NODE_HOLDS_NULL (json_object_get_member (obj, "group")))
        {
          g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                       "%s, line %u: answer %u of OUTPUT:result has no \"group\"", path, r->line, k + 1);
          return FALSE;
        }
      group[k] = value_name (json_object_get_member (obj, "group"));
      g_ptr_array_add (group_names, group[k]);
      item[k] = intern (crowd->items, crowd->item_index, name);
      for (guint p = 0; p < k; p++)
        if (item[p] == item[k])
          {
            g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                         "%s, line %u: the image '%s' is twice in INPUT:images", path, r->line, name);
            return FALSE;
          }
    }

  /* Every pair of the grid, in grid order: +1 in one group, -1 in different groups. */
  for (guint p = 0; p < n; p++)
    for (guint q = p + 1; q < n; q++)
      {
        LkCcLabel label = { item[p], item[q], worker, strcmp (group[p], group[q]) == 0 ? 1 : -1 };

        g_array_append_val (crowd->labels, label);
      }
  crowd->n_assignments++;

  return TRUE;
}

static gboolean
read_toloka (const char  *path,
             Crowd       *crowd,
             GError     **error)
{
  g_autofree char *text = NULL;
  g_autoptr(GError) local_error = NULL;
  gsize len, pos = 0;
  guint line = 1;
  Record header = { 0 };
  int col_images, col_result, col_worker;
  gboolean ok = TRUE;

  if (!g_file_get_contents (path, &text, &len, &local_error))
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_FAILED, "cannot read the results file: %s",
                   local_error->message);
      return FALSE;
    }
  if (!g_utf8_validate (text, len, NULL))
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL, "%s is not UTF-8 text", path);
      return FALSE;
    }

  crowd->items = g_ptr_array_new ();
  crowd->item_index = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  crowd->workers = g_ptr_array_new ();
  crowd->worker_index = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  crowd->labels = g_array_new (FALSE, FALSE, sizeof (LkCcLabel));

  if (!read_record (text, len, &pos, &line, &header, error))
    {
      if (error != NULL && *error == NULL)
        g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL, "%s is empty", path);
      return FALSE;
    }
  col_images = column_of (&header, "INPUT:images");
  col_result = column_of (&header, "OUTPUT:result");
  col_worker = column_of (&header, "ASSIGNMENT:worker_id");
  record_clear (&header);
  if (col_images < 0 || col_result < 0 || col_worker < 0)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                   "%s, line 1: a Toloka results file needs the columns INPUT:images, OUTPUT:result "
                   "and ASSIGNMENT:worker_id; %s is missing", path,
                   col_images < 0 ? "INPUT:images" : col_result < 0 ? "OUTPUT:result"
                                                                    : "ASSIGNMENT:worker_id");
      return FALSE;
    }

  for (;;)
    {
      Record r = { 0 };

      if (!read_record (text, len, &pos, &line, &r, &local_error))
        {
          if (local_error != NULL)
            {
              g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL, "%s, %s", path, local_error->message);
              ok = FALSE;
            }
          break;
        }
      /* A blank line (often the last) holds no assignment. */
      if (!(r.cells->len == 1 && *(const char *) g_ptr_array_index (r.cells, 0) == '\0'))
        ok = read_assignment (crowd, &r, col_images, col_result, col_worker, path, error);
      record_clear (&r);
      if (!ok)
        break;
    }
  if (ok && crowd->n_assignments == 0)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL, "%s has no assignments", path);
      ok = FALSE;
    }
  if (ok && crowd->items->len < 2)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL, "%s shows fewer than two images", path);
      ok = FALSE;
    }

  return ok;
}

/* A TSV of numbers: exactly rows x cols, else an error naming the line. */
static double *
read_matrix (const char  *path,
             guint        rows,
             guint        cols,
             GError     **error)
{
  g_autofree char *text = NULL;
  g_autofree double *out = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GError) local_error = NULL;
  guint row = 0;

  if (!g_file_get_contents (path, &text, NULL, &local_error))
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_FAILED, "--init-mu: %s", local_error->message);
      return NULL;
    }
  out = g_new (double, (gsize) rows * cols);
  lines = g_strsplit (text, "\n", -1);
  for (guint l = 0; lines[l] != NULL; l++)
    {
      g_auto(GStrv) fields = NULL;
      guint n = 0;

      g_strstrip (lines[l]);
      if (lines[l][0] == '\0')
        continue;
      fields = g_strsplit_set (lines[l], "\t ", -1);
      if (row >= rows)
        {
          g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                       "--init-mu %s, line %u: more rows than the %u images", path, l + 1, rows);
          return NULL;
        }
      for (guint f = 0; fields[f] != NULL; f++)
        {
          char *end;
          double v;

          if (fields[f][0] == '\0')
            continue;
          errno = 0;
          v = g_ascii_strtod (fields[f], &end);
          if (*end != '\0' || errno != 0 || !isfinite (v) || n >= cols)
            {
              g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                           "--init-mu %s, line %u: expected %u numbers separated by tabs", path,
                           l + 1, cols);
              return NULL;
            }
          out[(gsize) row * cols + n++] = v;
        }
      if (n != cols)
        {
          g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                       "--init-mu %s, line %u: expected %u numbers, found %u", path, l + 1, cols, n);
          return NULL;
        }
      row++;
    }
  if (row != rows)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                   "--init-mu %s: %u rows for %u images (one row per image, in order of first "
                   "appearance)", path, row, rows);
      return NULL;
    }

  return g_steal_pointer (&out);
}

static void
append_number (GString *s,
               double   v)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  g_string_append (s, g_ascii_formatd (buf, sizeof buf, "%.17g", v));
}

static gboolean
write_rows (const char   *dir,
            const char   *name,
            const double *values,
            guint         rows,
            guint         cols,
            GError      **error)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GString) s = g_string_new (NULL);

  for (guint r = 0; r < rows; r++)
    {
      for (guint c = 0; c < cols; c++)
        {
          if (c > 0)
            g_string_append_c (s, '\t');
          append_number (s, values[(gsize) r * cols + c]);
        }
      g_string_append_c (s, '\n');
    }

  return g_file_set_contents (path, s->str, s->len, error);
}

static gboolean
write_text (const char *dir,
            const char *name,
            GString    *s,
            GError    **error)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);

  return g_file_set_contents (path, s->str, s->len, error);
}

int
lk_cli_aggregate (int    argc,
                  char **argv)
{
  g_autofree char *format = NULL, *method = NULL, *init_mu_path = NULL, *out_dir = NULL;
  g_autofree char *iterations_text = NULL, *seed_text = NULL;
  GOptionEntry entries[] = {
    { "format", 0, 0, G_OPTION_ARG_STRING, &format, "results file layout: toloka (default)", "FORMAT" },
    { "method", 'm', 0, G_OPTION_ARG_STRING, &method, "aggregation: crowdcluster (default)", "NAME" },
    { "init-mu", 0, 0, G_OPTION_ARG_FILENAME, &init_mu_path,
      "initial positions: a TSV, one row of 4 per image in order of first appearance", "FILE" },
    { "iterations", 0, 0, G_OPTION_ARG_STRING, &iterations_text, "iterations of the model (default 10)", "N" },
    { "seed", 's', 0, G_OPTION_ARG_STRING, &seed_text,
      "seed of the initial positions without --init-mu (default 1)", "N" },
    { "out", 'o', 0, G_OPTION_ARG_FILENAME, &out_dir, "folder to write the results into (required)", "DIR" },
    { NULL },
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(Crowd) crowd = { 0 };
  g_autofree double *init_mu = NULL;
  g_autofree double *fe = NULL;
  g_autoptr(gsl_rng) rng = NULL;
  g_autoptr(LkCrowdclust) model = NULL;
  g_autoptr(LkDpmix) mixture = NULL;
  guint64 iterations = LK_CROWDCLUST_ITERATIONS, seed = 1;
  guint n, nj, dim = LK_CROWDCLUST_DIM;
  int status = 0;

  context = lk_cli_parse (COMMAND, "RESULTS.tsv",
                          "Reads a crowd platform's results file (Toloka's TSV), fits Crowdclustering "
                          "(Gomes et al. 2011) as the reference port does, and writes items.txt, "
                          "workers.txt, labels.tsv, mu_x.tsv, sig_x.tsv, mu_tau.tsv, fe.txt, qz.tsv "
                          "and clusters.tsv into --out.",
                          entries, NULL, &argc, &argv, 1, &status);
  if (context == NULL)
    return status;

  if (format != NULL && strcmp (format, "toloka") != 0)
    return lk_cli_usage_error (COMMAND, "--format: only 'toloka' is supported");
  if (method != NULL && strcmp (method, "crowdcluster") != 0)
    return lk_cli_usage_error (COMMAND, "--method: only 'crowdcluster' aggregates a results file");
  if (out_dir == NULL)
    return lk_cli_usage_error (COMMAND, "--out DIR is required");
  if (iterations_text != NULL && !lk_cli_parse_uint ("--iterations", iterations_text, 1, 100000, &iterations, &error))
    return lk_cli_usage_error (COMMAND, error->message);
  if (seed_text != NULL && !lk_cli_parse_uint ("--seed", seed_text, 0, G_MAXUINT64, &seed, &error))
    return lk_cli_usage_error (COMMAND, error->message);

  if (!read_toloka (argv[1], &crowd, &error))
    return lk_cli_failure (COMMAND, error);
  n = crowd.items->len;
  nj = crowd.workers->len;

  if (init_mu_path != NULL && (init_mu = read_matrix (init_mu_path, n, dim, &error)) == NULL)
    return lk_cli_failure (COMMAND, error);
  if (init_mu == NULL)
    rng = lk_rng_new (seed);

  model = lk_crowdclust_new ((const LkCcLabel *) crowd.labels->data, crowd.labels->len, n, nj, dim,
                             NULL, init_mu, rng, &error);
  if (model == NULL)
    return lk_cli_failure (COMMAND, error);
  fe = g_new (double, iterations);
  for (guint it = 0; it < iterations; it++)
    fe[it] = lk_crowdclust_iterate (model);

  mixture = lk_dpmix_fit (lk_crowdclust_get_mu (model), n, dim, &error);
  if (mixture == NULL)
    return lk_cli_failure (COMMAND, error);

  if (g_mkdir_with_parents (out_dir, 0755) != 0)
    {
      int saved = errno;

      fprintf (stderr, "likeness-cli %s: cannot create the folder %s: %s\n", COMMAND, out_dir,
               g_strerror (saved));
      return LK_CLI_EXIT_FAILURE;
    }

  {
    g_autoptr(GString) items = g_string_new (NULL), workers = g_string_new (NULL);
    g_autoptr(GString) labels = g_string_new (NULL), clusters = g_string_new (NULL);
    g_autofree double *tau = g_new (double, nj);
    const guint *cl = lk_dpmix_get_clusters (mixture);

    for (guint i = 0; i < n; i++)
      g_string_append_printf (items, "%s\n", (const char *) g_ptr_array_index (crowd.items, i));
    for (guint j = 0; j < nj; j++)
      {
        g_string_append_printf (workers, "%s\n", (const char *) g_ptr_array_index (crowd.workers, j));
        tau[j] = lk_crowdclust_get_bias_mean (model, j);
      }
    for (guint t = 0; t < crowd.labels->len; t++)
      {
        const LkCcLabel *l = &g_array_index (crowd.labels, LkCcLabel, t);

        g_string_append_printf (labels, "%u\t%u\t%u\t%d\n", l->a, l->b, l->worker, l->label);
      }
    for (guint i = 0; i < n; i++)
      g_string_append_printf (clusters, "%u\t%u\n", i, cl[i]);

    if (!write_text (out_dir, "items.txt", items, &error)
        || !write_text (out_dir, "workers.txt", workers, &error)
        || !write_text (out_dir, "labels.tsv", labels, &error)
        || !write_rows (out_dir, "mu_x.tsv", lk_crowdclust_get_mu (model), n, dim, &error)
        || !write_rows (out_dir, "sig_x.tsv", lk_crowdclust_get_sig_x (model), n, dim, &error)
        || !write_rows (out_dir, "mu_tau.tsv", tau, nj, 1, &error)
        || !write_rows (out_dir, "fe.txt", fe, iterations, 1, &error)
        || !write_rows (out_dir, "qz.tsv", lk_dpmix_get_q (mixture), n, lk_dpmix_get_n_columns (mixture), &error)
        || !write_text (out_dir, "clusters.tsv", clusters, &error))
      return lk_cli_failure (COMMAND, error);
  }

  printf ("%u images, %u workers, %u assignments, %u pair labels; %" G_GUINT64_FORMAT
          " iterations, free energy %.6f; %u clusters; written to %s\n",
          n, nj, crowd.n_assignments, crowd.labels->len, iterations, fe[iterations - 1],
          lk_dpmix_get_n_clusters (mixture), out_dir);

  return 0;
}
