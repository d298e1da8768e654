/* lk-image-features.c — the colour and HOG descriptors of a study's images, cached in the file
 *
 * Each image is decoded with GdkPixbuf at most LK_IMAGE_FEATURES_SIZE (256) pixels on its long
 * side and its pixels handed to the core's lk_features_color() and lk_features_hog() (their
 * normalisation is described at the top of src/core/lk-features.c). The stored thumbnail has
 * exactly that bound, so when it was made from the image's current content (same SHA-256) it is
 * the source and the original file is not read at all; otherwise the file is decoded again.
 * Computing from the same 256 px version also makes the descriptors independent of the size the
 * photo happened to be taken at.
 *
 * The vectors are cached in the `feature` table (schema version 3, lk-store-schema.c): one row
 * per (item, kind) with the SHA-256 of the content and a parameter string they were computed
 * from, and the values as little-endian 32-bit floats (the HOG vector has 1764 values; as
 * doubles a 20,000-image study would carry 280 MB of it, as floats half that, and float
 * precision is far below any difference a distance between descriptors can show). A row whose
 * SHA-256 or parameters differ from the image's current ones is stale and recomputed by
 * lk_image_features_update(): an image whose content changed on re-import gets new
 * descriptors. Writes are batched, one transaction per 32 images, so a cancelled or crashed run
 * keeps what it finished.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "lk-image-features.h"

#include <string.h>

#include "lk-collection.h"
#include "lk-features.h"
#include "lk-store-private.h"

#define BATCH 32

static const char *kind_names[LK_FEATURE_N_KINDS] = { "color", "hog" };

const char *
lk_feature_kind_to_string (LkFeatureKind kind)
{
  g_return_val_if_fail (kind < LK_FEATURE_N_KINDS, NULL);

  return kind_names[kind];
}

gboolean
lk_feature_kind_from_string (const char    *name,
                             LkFeatureKind *kind)
{
  for (guint k = 0; k < LK_FEATURE_N_KINDS; k++)
    if (g_strcmp0 (name, kind_names[k]) == 0)
      {
        *kind = k;
        return TRUE;
      }

  return FALSE;
}

/* Returns the parameter string stored beside each vector: a change recomputes the cache. */
static char *
kind_params (LkFeatureKind kind)
{
  LkHogParams hog;
  char clip[G_ASCII_DTOSTR_BUF_SIZE];

  if (kind == LK_FEATURE_COLOR)
    return g_strdup_printf ("size=%d", LK_IMAGE_FEATURES_SIZE);
  lk_hog_params_init (&hog);

  return g_strdup_printf ("size=%d cells=%u bins=%u block=%u clip=%s", LK_IMAGE_FEATURES_SIZE,
                          hog.cells, hog.bins, hog.block,
                          g_ascii_formatd (clip, sizeof clip, "%g", hog.clip));
}

/**
 * lk_feature_kind_get_dim:
 * @kind: a descriptor
 *
 * Returns: the length of @kind's vector
 */
guint
lk_feature_kind_get_dim (LkFeatureKind kind)
{
  LkHogParams hog;

  if (kind == LK_FEATURE_COLOR)
    return LK_COLOR_DESCRIPTOR_DIM;
  lk_hog_params_init (&hog);

  return lk_features_hog_dim (&hog);
}

static void
size_prepared_cb (GdkPixbufLoader *loader,
                  int              width,
                  int              height,
                  gpointer         user_data)
{
  GdkPixbufFormat *format = gdk_pixbuf_loader_get_format (loader);
  gboolean jpeg = format != NULL && g_strcmp0 (gdk_pixbuf_format_get_name (format), "jpeg") == 0;
  gint64 limit = jpeg ? LK_COLLECTION_MAX_PIXELS_JPEG : LK_COLLECTION_MAX_PIXELS;
  int longest = MAX (width, height);

  if (width <= 0 || height <= 0 || (gint64) width * height > limit)
    {
      *(gboolean *) user_data = TRUE;
      gdk_pixbuf_loader_set_size (loader, 0, 0);
      return;
    }
  if (longest > LK_IMAGE_FEATURES_SIZE)
    gdk_pixbuf_loader_set_size (loader,
                                MAX (1, (gint64) width * LK_IMAGE_FEATURES_SIZE / longest),
                                MAX (1, (gint64) height * LK_IMAGE_FEATURES_SIZE / longest));
}

/**
 * lk_image_features_decode_file:
 * @path: an image file
 * @error: return location for a #GError
 *
 * Decodes @path at most %LK_IMAGE_FEATURES_SIZE pixels on its long side (JPEG at a reduced
 * scale, so a large photo costs little), refusing images over the import's pixel limits.
 *
 * Returns: (transfer full) (nullable): the decoded image
 */
GdkPixbuf *
lk_image_features_decode_file (const char  *path,
                               GError     **error)
{
  g_autoptr(GdkPixbufLoader) loader = gdk_pixbuf_loader_new ();
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileInputStream) in = g_file_read (file, NULL, error);
  gboolean too_large = FALSE;
  guint8 buffer[65536];
  gssize got;

  if (in == NULL)
    return NULL;
  g_signal_connect (loader, "size-prepared", G_CALLBACK (size_prepared_cb), &too_large);
  while ((got = g_input_stream_read (G_INPUT_STREAM (in), buffer, sizeof buffer, NULL, error)) > 0)
    {
      g_autoptr(GError) write_error = NULL;

      if (!gdk_pixbuf_loader_write (loader, buffer, got, &write_error) || too_large)
        {
          gdk_pixbuf_loader_close (loader, NULL);
          if (too_large)
            g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                         "%s has too many pixels to decode", path);
          else
            g_propagate_error (error, g_steal_pointer (&write_error));
          return NULL;
        }
    }
  if (got < 0)
    {
      gdk_pixbuf_loader_close (loader, NULL);
      return NULL;
    }
  if (!gdk_pixbuf_loader_close (loader, error))
    return NULL;
  if (too_large || gdk_pixbuf_loader_get_pixbuf (loader) == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, "could not decode %s", path);
      return NULL;
    }

  return g_object_ref (gdk_pixbuf_loader_get_pixbuf (loader));
}

/**
 * lk_image_features_compute:
 * @pixbuf: a decoded 8-bit RGB or RGBA image
 * @kind: the descriptor
 * @out: (out caller-allocates): lk_feature_kind_get_dim() values
 * @error: return location for a #GError
 *
 * Returns: %TRUE on success
 */
gboolean
lk_image_features_compute (GdkPixbuf      *pixbuf,
                           LkFeatureKind   kind,
                           double         *out,
                           GError        **error)
{
  LkImage image;
  LkHogParams hog;

  g_return_val_if_fail (GDK_IS_PIXBUF (pixbuf), FALSE);

  if (gdk_pixbuf_get_bits_per_sample (pixbuf) != 8 ||
      gdk_pixbuf_get_colorspace (pixbuf) != GDK_COLORSPACE_RGB)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, "not an 8-bit RGB image");
      return FALSE;
    }
  image.pixels = gdk_pixbuf_read_pixels (pixbuf);
  image.width = gdk_pixbuf_get_width (pixbuf);
  image.height = gdk_pixbuf_get_height (pixbuf);
  image.rowstride = gdk_pixbuf_get_rowstride (pixbuf);
  image.n_channels = gdk_pixbuf_get_n_channels (pixbuf);
  if (kind == LK_FEATURE_COLOR)
    return lk_features_color (&image, out, error);
  lk_hog_params_init (&hog);

  return lk_features_hog (&image, &hog, out, error);
}

#define STALE_WHERE \
  "FROM image i WHERE i.missing = 0 AND (" \
  " NOT EXISTS (SELECT 1 FROM feature f WHERE f.item = i.item AND f.kind = 'color'" \
  "             AND f.sha256 = i.sha256 AND f.params = ?1) OR" \
  " NOT EXISTS (SELECT 1 FROM feature f WHERE f.item = i.item AND f.kind = 'hog'" \
  "             AND f.sha256 = i.sha256 AND f.params = ?2))"

static void
bind_params (sqlite3_stmt *stmt)
{
  sqlite3_bind_text (stmt, 1, kind_params (LK_FEATURE_COLOR), -1, g_free);
  sqlite3_bind_text (stmt, 2, kind_params (LK_FEATURE_HOG), -1, g_free);
}

/**
 * lk_image_features_count_stale:
 * @store: a study
 * @error: return location for a #GError
 *
 * Returns: how many present images lack a current descriptor (0 with @error set on failure)
 */
guint
lk_image_features_count_stale (LkStore  *store,
                               GError  **error)
{
  sqlite3_stmt *stmt = lk_store_prepare (store, "SELECT COUNT(*) " STALE_WHERE, error);
  guint n = 0;
  int rc;

  if (stmt == NULL)
    return 0;
  bind_params (stmt);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    n = sqlite3_column_int (stmt, 0);
  else
    lk_store_set_error (store, error, rc, "Counting images without descriptors");
  sqlite3_reset (stmt);

  return n;
}

typedef struct {
  guint   item;
  char   *sha256;
  float  *vectors[LK_FEATURE_N_KINDS];
} Computed;

static void
computed_clear (gpointer data)
{
  Computed *c = data;

  g_free (c->sha256);
  for (guint k = 0; k < LK_FEATURE_N_KINDS; k++)
    g_free (c->vectors[k]);
}

/* Writes @batch in one transaction and empties it. */
static gboolean
flush (LkStore  *store,
       GArray   *batch,
       GError  **error)
{
  g_autofree char *params[LK_FEATURE_N_KINDS] = { kind_params (0), kind_params (1) };
  sqlite3_stmt *stmt;

  if (batch->len == 0)
    return TRUE;
  if (!lk_store_write_begin (store, error))
    return FALSE;
  stmt = lk_store_prepare (store,
                           "INSERT OR REPLACE INTO feature (item, kind, sha256, params, dim, vector) "
                           "VALUES (?, ?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    {
      lk_store_write_rollback (store);
      return FALSE;
    }
  for (guint i = 0; i < batch->len; i++)
    {
      Computed *c = &g_array_index (batch, Computed, i);

      for (guint k = 0; k < LK_FEATURE_N_KINDS; k++)
        {
          guint dim = lk_feature_kind_get_dim (k);
          int rc;

          sqlite3_reset (stmt);
          sqlite3_bind_int64 (stmt, 1, c->item);
          sqlite3_bind_text (stmt, 2, kind_names[k], -1, SQLITE_STATIC);
          sqlite3_bind_text (stmt, 3, c->sha256, -1, SQLITE_STATIC);
          sqlite3_bind_text (stmt, 4, params[k], -1, SQLITE_STATIC);
          sqlite3_bind_int (stmt, 5, dim);
          sqlite3_bind_blob (stmt, 6, c->vectors[k], dim * sizeof (float), SQLITE_STATIC);
          rc = sqlite3_step (stmt);
          if (rc != SQLITE_DONE)
            {
              lk_store_set_error (store, error, rc, "Storing image descriptors");
              sqlite3_reset (stmt);
              lk_store_write_rollback (store);
              return FALSE;
            }
        }
    }
  sqlite3_reset (stmt);
  if (!lk_store_write_commit (store, "Storing image descriptors", error))
    return FALSE;
  g_array_set_size (batch, 0);

  return TRUE;
}

/* Decodes @item: its thumbnail when it was made from @sha256, else the file under @root. */
static GdkPixbuf *
decode_item (LkStore     *store,
             guint        item,
             const char  *sha256,
             const char  *root,
             const char  *path,
             GError     **error)
{
  sqlite3_stmt *stmt = lk_store_prepare (store, "SELECT sha256 FROM thumbnail WHERE item = ?",
                                         error);
  gboolean current = FALSE;
  g_autofree char *full = NULL;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, item);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    current = g_strcmp0 ((const char *) sqlite3_column_text (stmt, 0), sha256) == 0;
  sqlite3_reset (stmt);
  if (current)
    return lk_collection_get_thumbnail (store, item, error);
  if (root == NULL)
    {
      g_set_error (error, LK_STORE_ERROR, LK_STORE_ERROR_NOT_FOUND,
                   "Item %u has no current thumbnail and the study has no folder", item);
      return NULL;
    }
  full = g_build_filename (root, path, NULL);

  return lk_image_features_decode_file (full, error);
}

/**
 * lk_image_features_update:
 * @store: a writable study, used by this thread alone until the call returns
 * @cancellable: (nullable): stops between images; what was finished is kept
 * @progress: (nullable): called after each image
 * @user_data: data for @progress
 * @n_computed: (out) (optional): images whose descriptors were computed and stored
 * @error: return location for a #GError
 *
 * Computes and stores the colour and HOG descriptors of every present image that has none, or
 * has ones made from other content or other parameters. An image that cannot be decoded is
 * skipped with a warning (it keeps no descriptor) rather than failing the whole run.
 *
 * Returns: %TRUE when every image was handled; %FALSE on a store error or when cancelled
 */
gboolean
lk_image_features_update (LkStore                *store,
                          GCancellable           *cancellable,
                          LkFeaturesProgressFunc  progress,
                          gpointer                user_data,
                          guint                  *n_computed,
                          GError                **error)
{
  g_autoptr(GArray) todo_items = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GPtrArray) todo_sha = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) todo_path = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) batch = g_array_new (FALSE, TRUE, sizeof (Computed));
  g_autofree char *root = lk_collection_get_root (store);
  sqlite3_stmt *stmt;
  guint done = 0;
  int rc;

  if (n_computed != NULL)
    *n_computed = 0;
  g_array_set_clear_func (batch, computed_clear);
  stmt = lk_store_prepare (store, "SELECT i.item, i.sha256, i.path " STALE_WHERE " ORDER BY i.item",
                           error);
  if (stmt == NULL)
    return FALSE;
  bind_params (stmt);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      guint item = sqlite3_column_int (stmt, 0);

      g_array_append_val (todo_items, item);
      g_ptr_array_add (todo_sha, g_strdup ((const char *) sqlite3_column_text (stmt, 1)));
      g_ptr_array_add (todo_path, g_strdup ((const char *) sqlite3_column_text (stmt, 2)));
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      lk_store_set_error (store, error, rc, "Finding images without descriptors");
      return FALSE;
    }

  if (progress != NULL)
    progress (0, todo_items->len, user_data);
  for (guint i = 0; i < todo_items->len; i++)
    {
      guint item = g_array_index (todo_items, guint, i);
      g_autoptr(GError) local_error = NULL;
      g_autoptr(GdkPixbuf) pixbuf = NULL;
      Computed c = { item, NULL, { NULL, NULL } };
      gboolean ok = TRUE;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        {
          if (!flush (store, batch, NULL))
            g_warning ("could not keep the descriptors computed before cancelling");
          return FALSE;
        }
      pixbuf = decode_item (store, item, g_ptr_array_index (todo_sha, i), root,
                            g_ptr_array_index (todo_path, i), &local_error);
      for (guint k = 0; pixbuf != NULL && ok && k < LK_FEATURE_N_KINDS; k++)
        {
          guint dim = lk_feature_kind_get_dim (k);
          g_autofree double *values = g_new (double, dim);

          ok = lk_image_features_compute (pixbuf, k, values, &local_error);
          c.vectors[k] = g_new (float, dim);
          for (guint d = 0; d < dim; d++)
            {
              float f = (float) values[d];
              guint32 bits;

              memcpy (&bits, &f, sizeof bits);
              bits = GUINT32_TO_LE (bits);
              memcpy (&c.vectors[k][d], &bits, sizeof bits);
            }
        }
      if (pixbuf == NULL || !ok)
        {
          g_warning ("no descriptors for item %u (%s): %s", item,
                     (const char *) g_ptr_array_index (todo_path, i), local_error->message);
          computed_clear (&c);
        }
      else
        {
          c.sha256 = g_strdup (g_ptr_array_index (todo_sha, i));
          g_array_append_val (batch, c);
          if (n_computed != NULL)
            (*n_computed)++;
        }
      done++;
      if (batch->len >= BATCH && !flush (store, batch, error))
        return FALSE;
      if (progress != NULL)
        progress (done, todo_items->len, user_data);
    }

  return flush (store, batch, error);
}

/* Reads the little-endian floats of a stored vector. */
static void
read_vector (const guint8 *blob,
             guint         d,
             float        *out)
{
  for (guint c = 0; c < d; c++)
    {
      guint32 bits;

      memcpy (&bits, blob + c * sizeof bits, sizeof bits);
      bits = GUINT32_FROM_LE (bits);
      memcpy (&out[c], &bits, sizeof bits);
    }
}

/* The current descriptors of @kind: those of the image's present content (its sha256), made
 * with today's parameters. */
#define CURRENT_FEATURE_SQL \
  "SELECT f.item, f.vector FROM feature f JOIN image i ON i.item = f.item " \
  "WHERE f.kind = ? AND f.params = ? AND f.sha256 = i.sha256 AND f.dim = ?"

static sqlite3_stmt *
prepare_current (LkStore        *store,
                 const char     *sql,
                 LkFeatureKind   kind,
                 GError        **error)
{
  sqlite3_stmt *stmt = lk_store_prepare (store, sql, error);

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, kind_names[kind], -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, kind_params (kind), -1, g_free);
  sqlite3_bind_int (stmt, 3, lk_feature_kind_get_dim (kind));

  return stmt;
}

/**
 * lk_image_features_scan:
 * @store: a study
 * @kind: the descriptor
 * @func: called for each image with a current descriptor, in no particular order
 * @user_data: data for @func
 * @n_items: (out): items in the collection (the largest item id + 1)
 * @error: return location for a #GError
 *
 * Reads the descriptors one row at a time, so that a caller can keep them in a form of its
 * own without holding them all as floats (HOG at 100,000 images is 700 MB of them).
 *
 * Returns: %FALSE with @error set when the study could not be read
 */
gboolean
lk_image_features_scan (LkStore          *store,
                        LkFeatureKind     kind,
                        LkFeatureRowFunc  func,
                        gpointer          user_data,
                        guint            *n_items,
                        GError          **error)
{
  guint d = lk_feature_kind_get_dim (kind);
  g_autofree float *values = g_new (float, d);
  sqlite3_stmt *stmt;
  guint n;
  int rc;

  stmt = lk_store_prepare (store, "SELECT COALESCE(MAX(item) + 1, 0) FROM image", error);
  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  n = rc == SQLITE_ROW ? (guint) sqlite3_column_int (stmt, 0) : 0;
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW)
    {
      lk_store_set_error (store, error, rc, "Counting images");
      return FALSE;
    }

  stmt = prepare_current (store, CURRENT_FEATURE_SQL, kind, error);
  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      guint item = sqlite3_column_int (stmt, 0);

      if (item >= n || (gsize) sqlite3_column_bytes (stmt, 1) != d * sizeof (float))
        continue;
      read_vector (sqlite3_column_blob (stmt, 1), d, values);
      func (item, values, n, user_data);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      lk_store_set_error (store, error, rc, "Reading image descriptors");
      return FALSE;
    }
  *n_items = n;

  return TRUE;
}

/**
 * lk_image_features_get:
 * @store: a study
 * @kind: the descriptor
 * @item: an image
 * @values: (out caller-allocates) (array): lk_feature_kind_get_dim() values
 * @error: return location for a #GError; %LK_STORE_ERROR_NOT_FOUND when @item has no current
 *   descriptor
 *
 * Reads one image's current descriptor, as lk_image_features_scan() gives it.
 *
 * Returns: %FALSE with @error set when there is none or the study could not be read
 */
gboolean
lk_image_features_get (LkStore        *store,
                       LkFeatureKind   kind,
                       guint           item,
                       float          *values,
                       GError        **error)
{
  guint d = lk_feature_kind_get_dim (kind);
  sqlite3_stmt *stmt = prepare_current (store, CURRENT_FEATURE_SQL " AND f.item = ?4", kind,
                                        error);
  gboolean ok = FALSE;
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 4, item);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW && (gsize) sqlite3_column_bytes (stmt, 1) == d * sizeof (float))
    {
      read_vector (sqlite3_column_blob (stmt, 1), d, values);
      ok = TRUE;
    }
  else if (rc == SQLITE_ROW || rc == SQLITE_DONE)
    g_set_error (error, LK_STORE_ERROR, LK_STORE_ERROR_NOT_FOUND,
                 "Image %u has no current %s descriptor", item, kind_names[kind]);
  else
    lk_store_set_error (store, error, rc, "Reading an image descriptor");
  sqlite3_reset (stmt);

  return ok;
}

typedef struct {
  float  *data;
  guint8 *have;
  guint   d;
} LoadAll;

static void
load_row (guint        item,
          const float *values,
          guint        n_items,
          gpointer     user_data)
{
  LoadAll *l = user_data;

  if (l->data == NULL)
    {
      l->data = g_new0 (float, MAX ((gsize) n_items * l->d, 1));
      l->have = g_new0 (guint8, MAX (n_items, 1));
    }
  memcpy (l->data + (gsize) item * l->d, values, l->d * sizeof (float));
  l->have[item] = 1;
}

/**
 * lk_image_features_load:
 * @store: a study
 * @kind: the descriptor
 * @n_items: (out): items in the collection (the largest item id + 1)
 * @dim: (out): values per item
 * @present: (out) (transfer full) (optional): @n_items flags, 1 where the item has a current
 *   descriptor (rows of items without one are zeros)
 * @error: return location for a #GError
 *
 * Returns: (transfer full): @n_items x @dim row-major values, in host byte order
 */
float *
lk_image_features_load (LkStore        *store,
                        LkFeatureKind   kind,
                        guint          *n_items,
                        guint          *dim,
                        guint8        **present,
                        GError        **error)
{
  LoadAll l = { NULL, NULL, lk_feature_kind_get_dim (kind) };
  guint n;

  if (!lk_image_features_scan (store, kind, load_row, &l, &n, error))
    {
      g_free (l.data);
      g_free (l.have);
      return NULL;
    }
  if (l.data == NULL)
    {
      l.data = g_new0 (float, MAX ((gsize) n * l.d, 1));
      l.have = g_new0 (guint8, MAX (n, 1));
    }
  *n_items = n;
  *dim = l.d;
  if (present != NULL)
    *present = l.have;
  else
    g_free (l.have);

  return l.data;
}

/* The parameters string stored with @kind's vectors (lk-store-private.h; tests and benchmarks
 * that write vectors of their own use it). */
char *
lk_image_features_params (LkFeatureKind kind)
{
  return kind_params (kind);
}
