/* lk-collection.c — importing a folder of images into the study file
 *
 * One root: the collection has one folder (study.collection_root) and every image's path is
 * relative to it. Importing another folder makes it the root: images found there by SHA-256
 * are relinked to their new paths ("moved"), and those not found are marked missing. So a
 * collection copied to another disk is found again by hash, whatever its folder is now called.
 *
 * Each file is read once, hashed and decoded to a thumbnail (lk-collection-decode.c). A
 * re-import hashes only files whose size or mtime changed. New images can join only before the
 * first query is drawn: the refiner's items are fixed from then on; and from then on a file
 * whose content changed is reported, not re-imported, so that no answer given on the old
 * picture ends up pointing at a new one.
 *
 * Symbolic links are not followed into folders (so no loops); a link to a regular file is
 * imported as that file. Writes are committed in batches of 64 images, so a cancelled import
 * keeps what it finished and a re-import picks up the rest.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "lk-collection.h"

#include "lk-store-private.h"

#define BATCH_SIZE 64

typedef struct {
  char           *path;
  LkImportStatus  status;
  char           *reason;
} Entry;

struct _LkImportReport {
  GArray *entries;
  guint   counts[LK_IMPORT_N_STATUS];
};

typedef struct {
  char    *rel;
  GFile   *file;
  goffset  size;
  gint64   mtime_us;
} Candidate;

typedef struct {
  gint64  item;
  char   *sha256;
  goffset size;
  gint64  mtime_us;
  gboolean seen;
} Known;

static void
entry_clear (gpointer data)
{
  Entry *e = data;

  g_free (e->path);
  g_free (e->reason);
}

static void
candidate_free (gpointer data)
{
  Candidate *c = data;

  g_free (c->rel);
  g_object_unref (c->file);
  g_free (c);
}

static void
known_free (gpointer data)
{
  Known *k = data;

  g_free (k->sha256);
  g_free (k);
}

static void
report_add (LkImportReport *report,
            const char     *path,
            LkImportStatus  status,
            const char     *reason)
{
  Entry e = { g_strdup (path), status, g_strdup (reason) };

  g_array_append_val (report->entries, e);
  report->counts[status]++;
}

const char *
lk_import_status_to_string (LkImportStatus status)
{
  static const char *names[] = {
    "added", "unchanged", "updated", "moved", "duplicate", "skipped", "missing",
  };

  g_return_val_if_fail (status < LK_IMPORT_N_STATUS, NULL);

  return names[status];
}

void
lk_import_report_free (LkImportReport *report)
{
  if (report == NULL)
    return;

  g_array_unref (report->entries);
  g_free (report);
}

guint
lk_import_report_get_n_entries (const LkImportReport *report)
{
  g_return_val_if_fail (report != NULL, 0);

  return report->entries->len;
}

/**
 * lk_import_report_get_entry:
 * @report: an import report
 * @index: an entry, below lk_import_report_get_n_entries()
 * @status: (out) (optional): what happened to the file
 * @reason: (out) (optional) (transfer none): why, for skipped and duplicate files; else %NULL
 *
 * Returns: (transfer none): the file's path relative to the imported folder
 */
const char *
lk_import_report_get_entry (const LkImportReport  *report,
                            guint                  index,
                            LkImportStatus        *status,
                            const char           **reason)
{
  const Entry *e;

  g_return_val_if_fail (report != NULL && index < report->entries->len, NULL);

  e = &g_array_index (report->entries, Entry, index);
  if (status != NULL)
    *status = e->status;
  if (reason != NULL)
    *reason = e->reason;

  return e->path;
}

guint
lk_import_report_count (const LkImportReport *report,
                        LkImportStatus        status)
{
  g_return_val_if_fail (report != NULL && status < LK_IMPORT_N_STATUS, 0);

  return report->counts[status];
}

/* Returns why the relative path @rel cannot be a study's image path, or NULL if it can. */
static const char *
name_problem (const char *rel)
{
  if (!g_utf8_validate (rel, -1, NULL))
    return "its name is not valid UTF-8, which the exports (CSV, JSON) must be; rename the file";
  for (const char *p = rel; *p != '\0'; p++)
    if ((guchar) *p < 0x20 || *p == 0x7f)
      return "its name holds a line break or another control character, which would break "
             "the CSV exports; rename the file";

  return NULL;
}

/* Returns @rel as text that can be shown and printed: invalid UTF-8 replaced, control characters
 * written as escapes (\n, \x01). */
static char *
displayable (const char *rel)
{
  g_autofree char *valid = g_utf8_make_valid (rel, -1);
  GString *out = g_string_new (NULL);

  for (const char *p = valid; *p != '\0'; p++)
    {
      if (*p == '\n')
        g_string_append (out, "\\n");
      else if ((guchar) *p < 0x20 || *p == 0x7f)
        g_string_append_printf (out, "\\x%02x", (guchar) *p);
      else
        g_string_append_c (out, *p);
    }

  return g_string_free (out, FALSE);
}

/* Adds the regular files under @dir to @out (recursively, not following links to folders). */
static gboolean
enumerate (GFile         *root,
           GFile         *dir,
           GPtrArray     *out,
           GHashTable    *visited,
           LkImportReport *report,
           GCancellable  *cancellable,
           GError       **error)
{
  g_autoptr(GFileEnumerator) children = NULL;
  g_autoptr(GFileInfo) dir_info = NULL;
  g_autofree char *dir_key = NULL;
  GError *local_error = NULL;

  dir_info = g_file_query_info (dir, G_FILE_ATTRIBUTE_ID_FILE, G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS,
                                cancellable, error);
  if (dir_info == NULL)
    return FALSE;
  dir_key = g_strdup (g_file_info_get_attribute_string (dir_info, G_FILE_ATTRIBUTE_ID_FILE));
  if (dir_key != NULL && !g_hash_table_add (visited, g_steal_pointer (&dir_key)))
    return TRUE;

  children = g_file_enumerate_children (dir,
                                        G_FILE_ATTRIBUTE_STANDARD_NAME ","
                                        G_FILE_ATTRIBUTE_STANDARD_TYPE ","
                                        G_FILE_ATTRIBUTE_STANDARD_IS_SYMLINK ","
                                        G_FILE_ATTRIBUTE_STANDARD_SIZE ","
                                        G_FILE_ATTRIBUTE_TIME_MODIFIED ","
                                        G_FILE_ATTRIBUTE_TIME_MODIFIED_USEC,
                                        G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, cancellable, error);
  if (children == NULL)
    return FALSE;

  for (;;)
    {
      GFileInfo *info;
      GFile *child;
      g_autofree char *rel = NULL;
      GFileType type;

      if (!g_file_enumerator_iterate (children, &info, &child, cancellable, error))
        return FALSE;
      if (info == NULL)
        break;

      rel = g_file_get_relative_path (root, child);
      type = g_file_info_get_file_type (info);

      /* Paths go into every export (CSV, JSON) and come back through import-answers, one row a
       * line: a name that is not UTF-8 or holds a line break would break them. */
      {
        const char *why = name_problem (rel);

        if (why != NULL)
          {
            g_autofree char *shown = displayable (rel);

            report_add (report, shown, LK_IMPORT_SKIPPED, why);
            continue;
          }
      }

      if (g_file_info_get_is_symlink (info))
        {
          g_autoptr(GFileInfo) target = g_file_query_info (child,
                                                           G_FILE_ATTRIBUTE_STANDARD_TYPE ","
                                                           G_FILE_ATTRIBUTE_STANDARD_SIZE ","
                                                           G_FILE_ATTRIBUTE_TIME_MODIFIED ","
                                                           G_FILE_ATTRIBUTE_TIME_MODIFIED_USEC,
                                                           G_FILE_QUERY_INFO_NONE, cancellable,
                                                           &local_error);

          if (target == NULL)
            {
              g_autofree char *why = g_strdup_printf ("broken symbolic link (%s)",
                                                      local_error->message);

              g_clear_error (&local_error);
              report_add (report, rel, LK_IMPORT_SKIPPED, why);
              continue;
            }
          /* GIO describes a link it cannot follow (dangling, or a loop) as the link itself. */
          switch (g_file_info_get_file_type (target))
            {
            case G_FILE_TYPE_REGULAR:
              break;
            case G_FILE_TYPE_DIRECTORY:
              report_add (report, rel, LK_IMPORT_SKIPPED,
                          "symbolic link to a folder (not followed)");
              continue;
            case G_FILE_TYPE_SYMBOLIC_LINK:
              report_add (report, rel, LK_IMPORT_SKIPPED,
                          "broken symbolic link (its target does not exist, or the links form "
                          "a loop)");
              continue;
            case G_FILE_TYPE_SPECIAL:
              report_add (report, rel, LK_IMPORT_SKIPPED,
                          "symbolic link to a device, pipe or socket, not to a file");
              continue;
            case G_FILE_TYPE_UNKNOWN:
            case G_FILE_TYPE_SHORTCUT:
            case G_FILE_TYPE_MOUNTABLE:
            default:
              report_add (report, rel, LK_IMPORT_SKIPPED,
                          "symbolic link to something that is not a file");
              continue;
            }
          {
            Candidate *c = g_new0 (Candidate, 1);

            c->rel = g_steal_pointer (&rel);
            c->file = g_object_ref (child);
            c->size = g_file_info_get_size (target);
            c->mtime_us = g_file_info_get_attribute_uint64 (target, G_FILE_ATTRIBUTE_TIME_MODIFIED) *
                          G_USEC_PER_SEC +
                          g_file_info_get_attribute_uint32 (target, G_FILE_ATTRIBUTE_TIME_MODIFIED_USEC);
            g_ptr_array_add (out, c);
          }
          continue;
        }

      if (type == G_FILE_TYPE_DIRECTORY)
        {
          if (!enumerate (root, child, out, visited, report, cancellable, &local_error))
            {
              if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
                {
                  g_propagate_error (error, local_error);
                  return FALSE;
                }
              report_add (report, rel, LK_IMPORT_SKIPPED, local_error->message);
              g_clear_error (&local_error);
            }
        }
      else if (type == G_FILE_TYPE_REGULAR)
        {
          Candidate *c = g_new0 (Candidate, 1);

          c->rel = g_steal_pointer (&rel);
          c->file = g_object_ref (child);
          c->size = g_file_info_get_size (info);
          c->mtime_us = g_file_info_get_attribute_uint64 (info, G_FILE_ATTRIBUTE_TIME_MODIFIED) *
                        G_USEC_PER_SEC +
                        g_file_info_get_attribute_uint32 (info, G_FILE_ATTRIBUTE_TIME_MODIFIED_USEC);
          g_ptr_array_add (out, c);
        }
      else
        report_add (report, rel, LK_IMPORT_SKIPPED, "not a regular file");
    }

  return TRUE;
}

/* Writes the image record and thumbnail for @item (insert or replace). */
static gboolean
write_image (LkStore        *store,
             gint64          item,
             const Candidate *c,
             const LkDecodedImage *d,
             GError        **error)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *imported = g_date_time_format_iso8601 (now);
  sqlite3_stmt *stmt;

  stmt = lk_store_prepare (store,
                           "INSERT INTO image (item, path, sha256, bytes, mtime_us, width, height, "
                           "format, missing, imported) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 0, ?9) "
                           "ON CONFLICT (item) DO UPDATE SET path = ?2, sha256 = ?3, bytes = ?4, "
                           "mtime_us = ?5, width = ?6, height = ?7, format = ?8, missing = 0, "
                           "imported = ?9", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, item);
  sqlite3_bind_text (stmt, 2, c->rel, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, d->sha256, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 4, c->size);
  sqlite3_bind_int64 (stmt, 5, c->mtime_us);
  sqlite3_bind_int (stmt, 6, d->width);
  sqlite3_bind_int (stmt, 7, d->height);
  sqlite3_bind_text (stmt, 8, d->format, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 9, imported, -1, SQLITE_TRANSIENT);
  if (!lk_store_step_done (store, stmt, "Storing an image", error))
    return FALSE;

  stmt = lk_store_prepare (store,
                           "INSERT OR REPLACE INTO thumbnail (item, sha256, width, height, png) "
                           "VALUES (?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, item);
  sqlite3_bind_text (stmt, 2, d->sha256, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 3, d->thumb_width);
  sqlite3_bind_int (stmt, 4, d->thumb_height);
  sqlite3_bind_blob64 (stmt, 5, g_bytes_get_data (d->png, NULL), g_bytes_get_size (d->png),
                       SQLITE_STATIC);

  return lk_store_step_done (store, stmt, "Storing a thumbnail", error);
}

/* Points @item at @c's path (found again there), clearing its missing flag. */
static gboolean
relink_image (LkStore          *store,
              gint64            item,
              const Candidate  *c,
              GError          **error)
{
  sqlite3_stmt *stmt = lk_store_prepare (store,
                                         "UPDATE image SET path = ?, bytes = ?, mtime_us = ?, "
                                         "missing = 0 WHERE item = ?", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, c->rel, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, c->size);
  sqlite3_bind_int64 (stmt, 3, c->mtime_us);
  sqlite3_bind_int64 (stmt, 4, item);

  return lk_store_step_done (store, stmt, "Relinking an image", error);
}

/* Loads the collection's images into @by_path and @by_hash (Known, owned by @by_path). */
static gboolean
load_known (LkStore     *store,
            GHashTable  *by_path,
            GHashTable  *by_hash,
            GError     **error)
{
  sqlite3_stmt *stmt = lk_store_prepare (store,
                                         "SELECT item, path, sha256, bytes, mtime_us FROM image",
                                         error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      Known *k = g_new0 (Known, 1);

      k->item = sqlite3_column_int64 (stmt, 0);
      k->sha256 = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
      k->size = sqlite3_column_int64 (stmt, 3);
      k->mtime_us = sqlite3_column_int64 (stmt, 4);
      g_hash_table_insert (by_path, g_strdup ((const char *) sqlite3_column_text (stmt, 1)), k);
      g_hash_table_insert (by_hash, k->sha256, k);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      lk_store_set_error (store, error, rc, "Reading the collection");
      return FALSE;
    }

  return TRUE;
}

static gint
compare_candidates (gconstpointer a,
                    gconstpointer b)
{
  const Candidate *ca = *(const Candidate **) a;
  const Candidate *cb = *(const Candidate **) b;

  return strcmp (ca->rel, cb->rel);
}

/**
 * lk_collection_import:
 * @store: a study open for writing
 * @folder: the folder to import, recursively
 * @cancellable: (nullable): a #GCancellable
 * @progress: (nullable) (scope call): called before each file
 * @user_data: data for @progress
 * @error: return location for a #GError
 *
 * Imports every image under @folder that is not yet in the collection, with its SHA-256, size,
 * format and a thumbnail, and makes @folder the collection's root (see the top of this file).
 * Files that are not images, or cannot be read or decoded, are skipped and listed in the
 * report with the reason. Runs synchronously: call it from a worker thread in the app.
 *
 * Returns: (transfer full) (nullable): the report, or %NULL with @error set (on cancellation,
 *   %G_IO_ERROR_CANCELLED; the images finished before it are kept)
 */
LkImportReport *
lk_collection_import (LkStore               *store,
                      const char            *folder,
                      GCancellable          *cancellable,
                      LkImportProgressFunc   progress,
                      gpointer               user_data,
                      GError               **error)
{
  g_autoptr(LkImportReport) report = g_new0 (LkImportReport, 1);
  g_autoptr(GFile) root = g_file_new_for_path (folder);
  g_autoptr(GPtrArray) candidates = g_ptr_array_new_with_free_func (candidate_free);
  g_autoptr(GHashTable) visited = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) by_path = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                         known_free);
  g_autoptr(GHashTable) by_hash = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) present = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *root_path = NULL;
  gint64 next_item, queries;
  guint in_batch = 0;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (store != NULL && folder != NULL, NULL);

  report->entries = g_array_new (FALSE, FALSE, sizeof (Entry));
  g_array_set_clear_func (report->entries, entry_clear);

  if (!g_file_query_exists (root, cancellable) ||
      g_file_query_file_type (root, G_FILE_QUERY_INFO_NONE, cancellable) != G_FILE_TYPE_DIRECTORY)
    {
      g_set_error (error, LK_STORE_ERROR, LK_STORE_ERROR_NOT_FOUND, "No folder at %s", folder);
      return NULL;
    }
  root_path = g_file_get_path (root);

  if (!enumerate (root, root, candidates, visited, report, cancellable, error))
    return NULL;
  g_ptr_array_sort (candidates, compare_candidates);
  for (guint i = 0; i < candidates->len; i++)
    {
      Candidate *c = g_ptr_array_index (candidates, i);

      g_hash_table_add (present, c->rel);
    }

  if (!load_known (store, by_path, by_hash, error))
    return NULL;
  if (!lk_store_query_int (store, "SELECT coalesce(max(item) + 1, 0) FROM image", 0, &next_item,
                           error) ||
      !lk_store_query_int (store, "SELECT count(*) FROM query", 0, &queries, error))
    return NULL;

  if (!lk_store_write_begin (store, error))
    return NULL;
  stmt = lk_store_prepare (store, "UPDATE study SET collection_root = ? WHERE id = 1", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_text (stmt, 1, root_path, -1, SQLITE_TRANSIENT);
  if (!lk_store_step_done (store, stmt, "Storing the collection's folder", error))
    goto fail;

  for (guint i = 0; i < candidates->len; i++)
    {
      Candidate *c = g_ptr_array_index (candidates, i);
      Known *at_path = g_hash_table_lookup (by_path, c->rel);
      g_autofree char *reason = NULL;
      LkDecodedImage d = { 0 };
      Known *same;

      if (progress != NULL)
        progress (i, candidates->len, c->rel, user_data);
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        goto cancelled;

      if (at_path != NULL && at_path->size == c->size && at_path->mtime_us == c->mtime_us)
        {
          if (!at_path->seen)
            {
              at_path->seen = TRUE;
              report_add (report, c->rel, LK_IMPORT_UNCHANGED, NULL);
              /* It may have been missing before. */
              if (!relink_image (store, at_path->item, c, error))
                goto fail;
              continue;
            }
        }

      if (c->size == 0)
        {
          report_add (report, c->rel, LK_IMPORT_SKIPPED, "empty file (0 bytes)");
          continue;
        }

      if (!lk_collection_decode (c->file, &d, &reason, cancellable, error))
        {
          if (reason == NULL)
            goto cancelled;
          report_add (report, c->rel, LK_IMPORT_SKIPPED, reason);
          continue;
        }

      same = g_hash_table_lookup (by_hash, d.sha256);
      if (same != NULL)
        {
          /* Find the path the existing image is known by, for the report. */
          GHashTableIter iter;
          gpointer key, value;
          const char *known_path = NULL;

          g_hash_table_iter_init (&iter, by_path);
          while (g_hash_table_iter_next (&iter, &key, &value))
            if (value == same)
              known_path = key;

          if (same->seen || (at_path != same && known_path != NULL &&
                             g_hash_table_contains (present, known_path)))
            {
              g_autofree char *why = g_strdup_printf ("same content as %s", known_path);

              report_add (report, c->rel, LK_IMPORT_DUPLICATE, why);
            }
          else
            {
              same->seen = TRUE;
              if (!relink_image (store, same->item, c, error))
                {
                  lk_collection_decoded_clear (&d);
                  goto fail;
                }
              report_add (report, c->rel,
                          g_strcmp0 (known_path, c->rel) == 0 ? LK_IMPORT_UNCHANGED
                                                               : LK_IMPORT_MOVED,
                          NULL);
            }
          lk_collection_decoded_clear (&d);
          continue;
        }

      if (at_path != NULL && !at_path->seen && queries > 0)
        {
          /* Same place, new content, after the first grid was drawn: answers were given on the
           * old picture, so its record and thumbnail stay (the sessions show the thumbnail). */
          at_path->seen = TRUE;
          report_add (report, c->rel, LK_IMPORT_SKIPPED,
                      "its content changed after the study started; the study keeps the "
                      "picture its answers were given on (put the old file back, or give the "
                      "new picture a new study)");
        }
      else if (at_path != NULL && !at_path->seen)
        {
          /* Same place, new content: remake its record and thumbnail. */
          at_path->seen = TRUE;
          g_hash_table_remove (by_hash, at_path->sha256);
          g_free (at_path->sha256);
          at_path->sha256 = g_strdup (d.sha256);
          g_hash_table_insert (by_hash, at_path->sha256, at_path);
          if (!write_image (store, at_path->item, c, &d, error))
            {
              lk_collection_decoded_clear (&d);
              goto fail;
            }
          report_add (report, c->rel, LK_IMPORT_UPDATED, "the file's content changed");
        }
      else if (queries > 0)
        report_add (report, c->rel, LK_IMPORT_SKIPPED,
                    "new image, but the study has started: its set of images is fixed");
      else
        {
          Known *k = g_new0 (Known, 1);

          if (!write_image (store, next_item, c, &d, error))
            {
              lk_collection_decoded_clear (&d);
              known_free (k);
              goto fail;
            }
          k->item = next_item++;
          k->sha256 = g_strdup (d.sha256);
          k->seen = TRUE;
          g_hash_table_insert (by_path, g_strdup (c->rel), k);
          g_hash_table_insert (by_hash, k->sha256, k);
          report_add (report, c->rel, LK_IMPORT_ADDED, NULL);
        }
      lk_collection_decoded_clear (&d);

      if (++in_batch == BATCH_SIZE)
        {
          if (!lk_store_write_commit (store, "Importing images", error) ||
              !lk_store_write_begin (store, error))
            return NULL;
          in_batch = 0;
        }
    }

  /* Whatever the collection holds that was not found here is missing now. */
  {
    GHashTableIter iter;
    gpointer key, value;

    stmt = lk_store_prepare (store, "UPDATE image SET missing = 1 WHERE item = ?", error);
    if (stmt == NULL)
      goto fail;
    g_hash_table_iter_init (&iter, by_path);
    while (g_hash_table_iter_next (&iter, &key, &value))
      {
        Known *k = value;

        if (k->seen)
          continue;
        sqlite3_bind_int64 (stmt, 1, k->item);
        if (!lk_store_step_done (store, stmt, "Marking an image missing", error))
          goto fail;
        report_add (report, key, LK_IMPORT_MISSING, "not found in the folder");
      }
  }

  if (!lk_store_write_commit (store, "Importing images", error))
    return NULL;
  if (progress != NULL)
    progress (candidates->len, candidates->len, NULL, user_data);

  return g_steal_pointer (&report);

cancelled:
  {
    g_autoptr(GError) ignored = NULL;

    lk_store_write_commit (store, "Importing images", &ignored);
  }
  return NULL;

fail:
  lk_store_write_rollback (store);
  return NULL;
}

/**
 * lk_collection_get_root:
 * @store: a study
 *
 * Returns: (transfer full) (nullable): the collection's folder, or %NULL before any import
 */
char *
lk_collection_get_root (LkStore *store)
{
  sqlite3_stmt *stmt = lk_store_prepare (store, "SELECT collection_root FROM study", NULL);
  char *root = NULL;

  if (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_text (stmt, 0) != NULL)
    root = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  if (stmt != NULL)
    sqlite3_reset (stmt);

  return root;
}

/**
 * lk_collection_get_image_path:
 * @store: a study
 * @item: an item id
 *
 * Returns: (transfer full) (nullable): the image's path relative to the collection's folder
 */
char *
lk_collection_get_image_path (LkStore *store,
                              guint    item)
{
  sqlite3_stmt *stmt = lk_store_prepare (store, "SELECT path FROM image WHERE item = ?", NULL);
  char *path = NULL;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, item);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    path = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);

  return path;
}

/**
 * lk_collection_get_thumbnail:
 * @store: a study
 * @item: an item id
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the stored thumbnail, at most
 *   %LK_COLLECTION_THUMBNAIL_SIZE pixels on its long side
 */
GdkPixbuf *
lk_collection_get_thumbnail (LkStore  *store,
                             guint     item,
                             GError  **error)
{
  g_autoptr(GdkPixbufLoader) loader = NULL;
  g_autoptr(GError) local_error = NULL;
  sqlite3_stmt *stmt;
  GdkPixbuf *pixbuf = NULL;
  int rc;

  stmt = lk_store_prepare (store, "SELECT png FROM thumbnail WHERE item = ?", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, item);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      if (rc == SQLITE_DONE)
        g_set_error (error, LK_STORE_ERROR, LK_STORE_ERROR_NOT_FOUND,
                     "Item %u has no thumbnail", item);
      else
        lk_store_set_error (store, error, rc, "Reading a thumbnail");
      sqlite3_reset (stmt);
      return NULL;
    }
  loader = gdk_pixbuf_loader_new_with_type ("png", &local_error);
  if (loader != NULL &&
      gdk_pixbuf_loader_write (loader, sqlite3_column_blob (stmt, 0),
                               sqlite3_column_bytes (stmt, 0), &local_error) &&
      gdk_pixbuf_loader_close (loader, &local_error))
    pixbuf = g_object_ref (gdk_pixbuf_loader_get_pixbuf (loader));
  else if (loader != NULL)
    gdk_pixbuf_loader_close (loader, NULL);
  sqlite3_reset (stmt);
  if (pixbuf == NULL)
    {
      g_autofree char *path = lk_collection_get_image_path (store, item);

      g_set_error (error, LK_STORE_ERROR, LK_STORE_ERROR_DAMAGED,
                   "The thumbnail of image %u (%s) is damaged (%s); import the images again to "
                   "remake it - %s", item, path != NULL ? path : "?",
                   local_error != NULL ? local_error->message : "no image", store->path);
    }

  return pixbuf;
}

/* Returns every item's relative path, indexed by item id (NULL where an id is unused), or NULL
 * with @error. Shared by the exports and the neighbour lists (lk-store-private.h). */
GPtrArray *
lk_collection_load_paths (LkStore  *store,
                          GError  **error)
{
  g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt = lk_store_prepare (store, "SELECT item, path FROM image ORDER BY item", error);
  int rc;

  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      guint item = sqlite3_column_int (stmt, 0);

      if (item >= paths->len)
        g_ptr_array_set_size (paths, item + 1);
      g_ptr_array_index (paths, item) = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      lk_store_set_error (store, error, rc, "Reading the collection");
      return NULL;
    }

  return g_steal_pointer (&paths);
}