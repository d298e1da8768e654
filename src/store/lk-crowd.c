/* lk-crowd.c — crowd batches: a study's next grids written out for Toloka or Mechanical Turk, and
 * the platform's results file read back into the same answer tables as lab answers
 *
 * Export. The grids are the ones a lab session would be served next (the pending queries of the
 * current phase, drawn first if the phase has drawn nothing yet). They are recorded in
 * crowd_grid, and from then on lk_answers_list_open() leaves them out, so the lab does not also
 * serve them: an answer from the lab and three from the platform to one grid would weigh that grid
 * four times. The files are the platform's task file (Toloka: tasks.json; MTurk: input.csv with
 * grid_id, n_images and a '|'-separated images column), images/ named by SHA-256, batch.json
 * (the manifest) and task.html.
 *
 * Import. Every row is checked before anything is written (all or none, as import-answers): the
 * grid must be one this study handed out, and the images the row names (by the hash in their
 * URL) must be that grid's, in its order; otherwise the file is refused saying which rows do not
 * match. Each assignment becomes one answer with source 'toloka' or 'mturk', its participant the
 * worker ('toloka:ID', 'mturk:ID'), keyed by (platform, assignment id) in crowd_assignment, so a
 * second import of the file adds nothing. The first included answer to a grid whose query is
 * still open in the current phase answers that query (the batch the refiner drew gets its
 * answers, as in the lab); every other one comes with a query of its own (policy 'crowd', drawn 0)
 * in the current phase, like an imported tidy answer, so the replay of ended phases is unchanged.
 * Rejected assignments are stored with included = 0, which the replay skips.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <string.h>

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "lk-crowd.h"
#include "lk-crowd-resources.h"

#include "lk-answers.h"
#include "lk-collection.h"
#include "lk-store-private.h"

const char *
lk_crowd_platform_to_string (LkCrowdPlatform platform)
{
  return platform == LK_CROWD_TOLOKA ? "toloka" : "mturk";
}

gboolean
lk_crowd_platform_from_string (const char      *text,
                               LkCrowdPlatform *platform)
{
  if (g_strcmp0 (text, "toloka") == 0)
    *platform = LK_CROWD_TOLOKA;
  else if (g_strcmp0 (text, "mturk") == 0)
    *platform = LK_CROWD_MTURK;
  else
    return FALSE;
  return TRUE;
}


/* ---- export ---- */

typedef struct {
  gint64  query;
  char   *grid_id;
  GArray *items;      /* guint */
  GPtrArray *hashes;  /* char*, by position */
  GPtrArray *files;   /* char*, the name in images/ by position */
} Grid;

static void
grid_free (gpointer data)
{
  Grid *g = data;

  g_free (g->grid_id);
  g_clear_pointer (&g->items, g_array_unref);
  g_clear_pointer (&g->hashes, g_ptr_array_unref);
  g_clear_pointer (&g->files, g_ptr_array_unref);
  g_free (g);
}

/* Returns the lowercase extension of @path with its dot ("" when it has none). */
static char *
extension_of (const char *path)
{
  const char *base = strrchr (path, '/');
  const char *dot = strrchr (base != NULL ? base : path, '.');

  return dot != NULL && dot[1] != '\0' ? g_ascii_strdown (dot, -1) : g_strdup ("");
}

static gboolean
dir_usable (const char  *dir,
            GError     **error)
{
  g_autoptr(GDir) d = NULL;

  if (!g_file_test (dir, G_FILE_TEST_EXISTS))
    {
      if (g_mkdir_with_parents (dir, 0755) != 0)
        {
          int saved = errno;

          g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                       "Could not make the folder %s: %s", dir, g_strerror (saved));
          return FALSE;
        }
      return TRUE;
    }
  if (!g_file_test (dir, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_EXIST,
                   "%s exists and is not a folder; give --out a new or empty folder", dir);
      return FALSE;
    }
  d = g_dir_open (dir, 0, error);
  if (d == NULL)
    return FALSE;
  if (g_dir_read_name (d) != NULL)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_EXIST,
                   "%s is not empty; a batch goes into a new or empty folder, so that no file of "
                   "an earlier batch is uploaded with it", dir);
      return FALSE;
    }
  return TRUE;
}

/* Returns the URL an image named @file in the batch's images/ will have. */
static char *
image_url (const char *base_url,
           const char *file)
{
  return g_strdup_printf ("%s/images/%s", base_url, file);
}

static gboolean
write_text (const char  *dir,
            const char  *name,
            const char  *text,
            GError     **error)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);

  return g_file_set_contents_full (path, text, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0644, error);
}

static void
csv_field (GString    *out,
           const char *text)
{
  if (strpbrk (text, ",\"\r\n") == NULL)
    {
      g_string_append (out, text);
      return;
    }
  g_string_append_c (out, '"');
  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

static char *
json_text (JsonBuilder *b)
{
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) root = json_builder_get_root (b);
  char *text;

  json_generator_set_pretty (gen, TRUE);
  json_generator_set_root (gen, root);
  text = json_generator_to_data (gen, NULL);
  return text;
}

static char *
tasks_json (GPtrArray  *grids,
            const char *base_url)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_array (b);
  for (guint i = 0; i < grids->len; i++)
    {
      Grid *g = g_ptr_array_index (grids, i);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "input_values");
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "grid_id");
      json_builder_add_string_value (b, g->grid_id);
      json_builder_set_member_name (b, "images");
      json_builder_begin_array (b);
      for (guint p = 0; p < g->files->len; p++)
        {
          g_autofree char *url = image_url (base_url, g_ptr_array_index (g->files, p));

          json_builder_add_string_value (b, url);
        }
      json_builder_end_array (b);
      json_builder_end_object (b);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  return json_text (b);
}

static char *
input_csv (GPtrArray  *grids,
           const char *base_url)
{
  GString *out = g_string_new ("grid_id,n_images,images\r\n");

  for (guint i = 0; i < grids->len; i++)
    {
      Grid *g = g_ptr_array_index (grids, i);
      g_autoptr(GString) images = g_string_new (NULL);

      for (guint p = 0; p < g->files->len; p++)
        {
          g_autofree char *url = image_url (base_url, g_ptr_array_index (g->files, p));

          if (p > 0)
            g_string_append_c (images, '|');
          g_string_append (images, url);
        }
      csv_field (out, g->grid_id);
      g_string_append_printf (out, ",%u,", g->items->len);
      csv_field (out, images->str);
      g_string_append (out, "\r\n");
    }
  return g_string_free (out, FALSE);
}

static char *
manifest_json (LkStore         *store,
               GPtrArray       *grids,
               LkCrowdPlatform  platform,
               gint64           batch,
               const char      *base_url,
               const char      *policy)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autofree char *uuid = lk_store_get_uuid (store);
  const LkParams *params = lk_store_get_params (store);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "format");
  json_builder_add_string_value (b, "likeness-crowd-batch");
  json_builder_set_member_name (b, "version");
  json_builder_add_int_value (b, 1);
  json_builder_set_member_name (b, "study");
  json_builder_add_string_value (b, uuid != NULL ? uuid : "");
  json_builder_set_member_name (b, "batch");
  json_builder_add_int_value (b, batch);
  json_builder_set_member_name (b, "platform");
  json_builder_add_string_value (b, lk_crowd_platform_to_string (platform));
  json_builder_set_member_name (b, "base_url");
  json_builder_add_string_value (b, base_url);
  json_builder_set_member_name (b, "policy");
  json_builder_add_string_value (b, policy);
  json_builder_set_member_name (b, "seed");
  json_builder_add_int_value (b, (gint64) params->seed);
  json_builder_set_member_name (b, "nq");
  json_builder_add_int_value (b, params->nq);
  json_builder_set_member_name (b, "nc");
  json_builder_add_int_value (b, params->nc);
  json_builder_set_member_name (b, "grids");
  json_builder_begin_array (b);
  for (guint i = 0; i < grids->len; i++)
    {
      Grid *g = g_ptr_array_index (grids, i);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "grid_id");
      json_builder_add_string_value (b, g->grid_id);
      json_builder_set_member_name (b, "query");
      json_builder_add_int_value (b, g->query);
      json_builder_set_member_name (b, "items");
      json_builder_begin_array (b);
      for (guint p = 0; p < g->items->len; p++)
        {
          g_autofree char *url = image_url (base_url, g_ptr_array_index (g->files, p));

          json_builder_begin_object (b);
          json_builder_set_member_name (b, "item");
          json_builder_add_int_value (b, g_array_index (g->items, guint, p));
          json_builder_set_member_name (b, "sha256");
          json_builder_add_string_value (b, g_ptr_array_index (g->hashes, p));
          json_builder_set_member_name (b, "url");
          json_builder_add_string_value (b, url);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  return json_text (b);
}

/* Copies the image at @relative under @root into @images_dir as @file, unless an earlier
 * grid of the batch did. */
static gboolean
copy_image (const char  *root,
            const char  *relative,
            const char  *images_dir,
            const char  *file,
            GError     **error)
{
  g_autofree char *from_path = g_build_filename (root, relative, NULL);
  g_autofree char *to_path = g_build_filename (images_dir, file, NULL);
  g_autoptr(GFile) from = g_file_new_for_path (from_path);
  g_autoptr(GFile) to = g_file_new_for_path (to_path);
  g_autoptr(GError) local_error = NULL;

  if (g_file_test (to_path, G_FILE_TEST_EXISTS))
    return TRUE;
  if (!g_file_copy (from, to, G_FILE_COPY_NONE, NULL, NULL, NULL, &local_error))
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_FAILED,
                   "Could not copy the image %s into the batch: %s (relink the collection with "
                   "likeness-cli import if it moved)", from_path, local_error->message);
      return FALSE;
    }
  return TRUE;
}

/* Returns the pending queries a lab session would be served next, drawing the current phase's
 * batch first if it has drawn nothing yet. */
static GArray *
ready_queries (LkStore  *store,
               GError  **error)
{
  g_autoptr(LkRefiner) refiner = NULL;
  g_autoptr(GArray) open = NULL;
  GArray *ready = g_array_new (FALSE, FALSE, sizeof (gint64));
  gint64 drawn;

  refiner = lk_answers_rebuild_and_repair (store, NULL, NULL, NULL, error);
  if (refiner == NULL)
    goto fail;
  if (!lk_refiner_is_done (refiner) &&
      !lk_store_query_int (store, "SELECT count(*) FROM query WHERE drawn = 1 AND phase = ?",
                           lk_refiner_get_phase (refiner), &drawn, error))
    goto fail;
  if (!lk_refiner_is_done (refiner) && drawn == 0)
    {
      g_autoptr(GArray) ids = lk_answers_draw_queries (store, refiner, error);

      if (ids == NULL)
        goto fail;
    }
  open = lk_store_query_ids (store, "SELECT id FROM query WHERE state = 'pending' AND id NOT IN "
                             "(SELECT query FROM crowd_grid) ORDER BY id", 0,
                             "Listing the queries", error);
  if (open == NULL)
    goto fail;
  g_array_append_vals (ready, open->data, open->len);
  return ready;

fail:
  g_array_unref (ready);
  return NULL;
}

/**
 * lk_crowd_export:
 * @store: a study open for writing
 * @platform: the platform the batch is for
 * @n_grids: how many grids
 * @base_url: where the experimenter will put images/ (no trailing slash needed)
 * @dir: a new or empty folder
 * @result: (out caller-allocates) (optional): what was written
 * @error: return location for a #GError
 *
 * Writes a batch of the study's next @n_grids grids to @dir (see the top of this file) and
 * records them as handed out, so the lab does not also serve them.
 *
 * Returns: %TRUE on success
 */
gboolean
lk_crowd_export (LkStore          *store,
                 LkCrowdPlatform   platform,
                 guint             n_grids,
                 const char       *base_url,
                 const char       *dir,
                 LkCrowdExport    *result,
                 GError          **error)
{
  g_autoptr(GPtrArray) grids = g_ptr_array_new_with_free_func (grid_free);
  g_autoptr(GArray) ready = NULL;
  g_autofree char *root = NULL, *uuid = NULL, *images_dir = NULL, *base = NULL;
  g_autofree char *policy = NULL, *page = NULL, *tasks = NULL, *manifest = NULL;
  g_autofree char *nc_text = NULL;
  g_autoptr(GBytes) template = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *created = g_date_time_format_iso8601 (now);
  sqlite3_stmt *stmt;
  gint64 batch = 0;

  g_return_val_if_fail (store != NULL && base_url != NULL && dir != NULL, FALSE);

  if (n_grids == 0)
    {
      g_set_error (error, LK_STORE_ERROR, LK_STORE_ERROR_INVALID, "A batch needs at least one grid");
      return FALSE;
    }
  if (!g_str_has_prefix (base_url, "https://") && !g_str_has_prefix (base_url, "http://") &&
      !g_str_has_prefix (base_url, "file://"))
    {
      g_set_error (error, LK_STORE_ERROR, LK_STORE_ERROR_INVALID,
                   "The base URL '%s' does not start with https://, http:// or file://; give the "
                   "address where images/ will be uploaded", base_url);
      return FALSE;
    }
  base = g_strdup (base_url);
  while (g_str_has_suffix (base, "/"))
    base[strlen (base) - 1] = '\0';

  root = lk_collection_get_root (store);
  if (root == NULL)
    {
      g_set_error (error, LK_STORE_ERROR, LK_STORE_ERROR_INVALID,
                   "%s has no images yet; import a folder of images first", store->path);
      return FALSE;
    }
  if (!dir_usable (dir, error))
    return FALSE;
  ready = ready_queries (store, error);
  if (ready == NULL)
    return FALSE;
  if (ready->len == 0)
    {
      g_set_error (error, LK_STORE_ERROR, LK_STORE_ERROR_INVALID,
                   "%s has no grids ready: the current phase's grids are answered or handed to "
                   "batches already (or the study is complete); import the batches' answers and "
                   "fold the phase in (likeness-cli answer, or the app) before the next batch",
                   store->path);
      return FALSE;
    }
  if (ready->len < n_grids)
    {
      g_set_error (error, LK_STORE_ERROR, LK_STORE_ERROR_INVALID,
                   "%s has %u grids ready, fewer than the %u asked for; ask for --grids %u or "
                   "fewer", store->path, ready->len, n_grids, ready->len);
      return FALSE;
    }
  uuid = lk_store_get_uuid (store);
  images_dir = g_build_filename (dir, "images", NULL);
  if (g_mkdir_with_parents (images_dir, 0755) != 0)
    {
      int saved = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                   "Could not make the folder %s: %s", images_dir, g_strerror (saved));
      return FALSE;
    }

  stmt = lk_store_prepare (store, "SELECT sha256, path FROM image WHERE item = ?", error);
  for (guint i = 0; i < n_grids && stmt != NULL; i++)
    {
      gint64 query = g_array_index (ready, gint64, i);
      Grid *g = g_new0 (Grid, 1);

      g_ptr_array_add (grids, g);
      g->query = query;
      g->grid_id = g_strdup_printf ("lk-%.8s-%04" G_GINT64_FORMAT, uuid != NULL ? uuid : "study",
                                    query);
      g->items = lk_answers_load_items (store, query, error);
      if (g->items == NULL)
        return FALSE;
      g->hashes = g_ptr_array_new_with_free_func (g_free);
      g->files = g_ptr_array_new_with_free_func (g_free);
      for (guint p = 0; p < g->items->len; p++)
        {
          g_autofree char *ext = NULL, *relative = NULL;
          char *sha;

          sqlite3_bind_int64 (stmt, 1, g_array_index (g->items, guint, p));
          if (sqlite3_step (stmt) != SQLITE_ROW)
            {
              lk_store_set_error (store, error, sqlite3_errcode (lk_store_get_db (store)),
                                  "Reading an image's hash");
              sqlite3_reset (stmt);
              return FALSE;
            }
          sha = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
          relative = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
          sqlite3_reset (stmt);
          ext = extension_of (relative);
          g_ptr_array_add (g->hashes, sha);
          g_ptr_array_add (g->files, g_strconcat (sha, ext, NULL));
          if (!copy_image (root, relative, images_dir, g_ptr_array_index (g->files, p), error))
            return FALSE;
        }
    }
  if (stmt == NULL)
    return FALSE;
  {
    Grid *first = g_ptr_array_index (grids, 0);
    stmt = lk_store_prepare (store, "SELECT policy FROM query WHERE id = ?", error);
    if (stmt == NULL)
      return FALSE;
    sqlite3_bind_int64 (stmt, 1, first->query);
    if (sqlite3_step (stmt) == SQLITE_ROW)
      policy = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
    sqlite3_reset (stmt);
  }

  /* Recorded before the files that name the grids are written: a batch whose files failed is
   * only grids the lab no longer serves, never files whose answers the study would refuse. */
  if (!lk_store_write_begin (store, error))
    return FALSE;
  if (!lk_store_insert_row (store, &batch, "Recording the batch", error,
                           "INSERT INTO crowd_batch (platform, created, base_url, seed) "
                           "VALUES (?, ?, ?, ?)", "sssx",
                           lk_crowd_platform_to_string (platform), created, base,
                           (gint64) lk_store_get_params (store)->seed))
    goto fail;
  for (guint i = 0; i < grids->len; i++)
    {
      Grid *g = g_ptr_array_index (grids, i);

      if (!lk_store_insert_row (store, NULL, "Recording the batch's grids", error,
                               "INSERT INTO crowd_grid (grid_id, batch, query) VALUES (?, ?, ?)",
                               "sxx", g->grid_id, batch, g->query))
        goto fail;
    }
  if (!lk_store_write_commit (store, "Recording the batch", error))
    return FALSE;

  tasks = platform == LK_CROWD_TOLOKA ? tasks_json (grids, base) : input_csv (grids, base);
  manifest = manifest_json (store, grids, platform, batch, base, policy ? policy : "");
  nc_text = g_strdup_printf ("%u", lk_store_get_params (store)->nc);
  template = g_resource_lookup_data (lk_crowd_get_resource (),
                                     "/io/github/likeness/crowd/task.html", 0, error);
  if (template == NULL)
    return FALSE;
  {
    g_auto(GStrv) parts = g_strsplit (g_bytes_get_data (template, NULL), "@PLATFORM@", -1);
    g_autofree char *joined = g_strjoinv (lk_crowd_platform_to_string (platform), parts);
    g_auto(GStrv) parts2 = g_strsplit (joined, "@NC@", -1);

    page = g_strjoinv (nc_text, parts2);
  }
  if (!write_text (dir, platform == LK_CROWD_TOLOKA ? "tasks.json" : "input.csv", tasks, error) ||
      !write_text (dir, "batch.json", manifest, error) ||
      !write_text (dir, "task.html", page, error))
    return FALSE;

  if (result != NULL)
    *result = (LkCrowdExport) { grids->len, batch };
  return TRUE;

fail:
  lk_store_write_rollback (store);
  return FALSE;
}
