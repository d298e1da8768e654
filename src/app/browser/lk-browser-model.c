/* lk-browser-model.c — the collection as a list model for the browser's grid
 *
 * One small LkBrowserItem per present image (item id, path relative to the
 * collection's root, file name, folder, answers that placed it in a bin), in path order. At
 * 20,000 images this is a few MiB and about 40 ms to load (212 ms of CPU at 100,000), so the
 * window loads it on a worker thread (lk_browser_model_load_async()) through a read-only
 * connection of its own; the grid only makes widgets for the rows on screen. Filtering (folder and name) is a GtkCustomFilter over
 * lk_browser_item_matches(), which tests call without a display.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "lk-browser-model.h"
#include "lk-neighbours.h"
#include "lk-store-private.h"

struct _LkBrowserItem
{
  GObject  parent_instance;

  guint    item;
  guint    position;   /* in the loaded list */
  guint    answers;
  char    *path;
  char    *name_casefold;
  const char *name;    /* in path */
  char    *folder;
};

G_DEFINE_FINAL_TYPE (LkBrowserItem, lk_browser_item, G_TYPE_OBJECT)

static void
lk_browser_item_finalize (GObject *object)
{
  LkBrowserItem *self = (LkBrowserItem *)object;

  g_free (self->path);
  g_free (self->folder);
  g_free (self->name_casefold);

  G_OBJECT_CLASS (lk_browser_item_parent_class)->finalize (object);
}

static void
lk_browser_item_class_init (LkBrowserItemClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = lk_browser_item_finalize;
}

static void
lk_browser_item_init (LkBrowserItem *self)
{
}

static LkBrowserItem *
item_new (guint       item,
          guint       position,
          const char *path,
          guint       answers)
{
  LkBrowserItem *self = g_object_new (LK_TYPE_BROWSER_ITEM, NULL);
  const char *slash = strrchr (path, '/');

  self->item = item;
  self->position = position;
  self->answers = answers;
  self->path = g_strdup (path);
  self->name = slash != NULL ? self->path + (slash - path) + 1 : self->path;
  self->folder = slash != NULL ? g_strndup (path, slash - path) : g_strdup ("");
  self->name_casefold = g_utf8_casefold (self->name, -1);

  return self;
}

guint
lk_browser_item_get_item (LkBrowserItem *self)
{
  return self->item;
}

/* Returns the item's place in the list lk_browser_model_load() made (items never move). */
guint
lk_browser_item_get_position (LkBrowserItem *self)
{
  return self->position;
}

/* Returns the path relative to the collection's root, '/'-separated. */
const char *
lk_browser_item_get_path (LkBrowserItem *self)
{
  return self->path;
}

const char *
lk_browser_item_get_name (LkBrowserItem *self)
{
  return self->name;
}

/* Returns the folder relative to the root ("" for the root itself). */
const char *
lk_browser_item_get_folder (LkBrowserItem *self)
{
  return self->folder;
}

guint
lk_browser_item_get_answers (LkBrowserItem *self)
{
  return self->answers;
}

/* The answer count changes when the curator sorts grids from the browser; the rest of an item
 * never changes. */
void
lk_browser_item_set_answers (LkBrowserItem *self,
                             guint          answers)
{
  self->answers = answers;
}

/**
 * lk_browser_item_matches:
 * @folder: (nullable): show only this folder and the folders under it (%NULL: all)
 * @needle: (nullable): case-folded text the file name must contain (%NULL or "": any)
 */
gboolean
lk_browser_item_matches (LkBrowserItem *self,
                         const char    *folder,
                         const char    *needle)
{
  if (folder != NULL && *folder != '\0')
    {
      gsize len = strlen (folder);

      if (strncmp (self->folder, folder, len) != 0 ||
          (self->folder[len] != '\0' && self->folder[len] != '/'))
        return FALSE;
    }

  return needle == NULL || *needle == '\0' || strstr (self->name_casefold, needle) != NULL;
}

static gint
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/**
 * lk_browser_model_load:
 * @store: a study
 * @folders: (out) (optional) (transfer full): the folders that hold images, sorted, "" first
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): a list of #LkBrowserItem, present images in path order
 */
GListStore *
lk_browser_model_load (LkStore  *store,
                       GStrv    *folders,
                       GError  **error)
{
  g_autoptr(GListStore) model = g_list_store_new (LK_TYPE_BROWSER_ITEM);
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  g_autofree guint *support = NULL;
  guint n_support = 0;
  sqlite3_stmt *stmt;
  int rc;

  support = lk_neighbours_load_support (store, &n_support, error);
  if (support == NULL)
    return NULL;
  stmt = lk_store_prepare (store, "SELECT item, path FROM image WHERE missing = 0 ORDER BY path",
                           error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      guint item = sqlite3_column_int (stmt, 0);

      g_ptr_array_add (items, item_new (item, items->len,
                                        (const char *) sqlite3_column_text (stmt, 1),
                                        item < n_support ? support[item] : 0));
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      lk_store_set_error (store, error, rc, "Reading the collection");
      return NULL;
    }
  g_list_store_splice (model, 0, 0, items->pdata, items->len);

  if (folders != NULL)
    {
      for (guint i = 0; i < items->len; i++)
        {
          LkBrowserItem *it = g_ptr_array_index (items, i);

          if (g_hash_table_add (seen, it->folder))
            g_ptr_array_add (names, g_strdup (it->folder));
        }
      g_ptr_array_sort (names, compare_strings);
      g_ptr_array_add (names, NULL);
      *folders = (GStrv) g_ptr_array_free (g_steal_pointer (&names), FALSE);
    }

  return g_steal_pointer (&model);
}

/**
 * lk_browser_model_index:
 * @model: a list of #LkBrowserItem (lk_browser_model_load())
 *
 * The browser finds an image by its id on every selection and every refresh; a walk of the
 * list (g_list_model_get_item() on each) was O(N) on the main thread each time.
 *
 * Returns: (transfer container): @model's items by item id (borrowed from @model; %NULL for
 *   an id with no item)
 */
GPtrArray *
lk_browser_model_index (GListModel *model)
{
  guint n = g_list_model_get_n_items (model), max_id = 0;
  g_autoptr(GPtrArray) items = g_ptr_array_new_full (n, g_object_unref);
  GPtrArray *index;

  for (guint i = 0; i < n; i++)
    {
      LkBrowserItem *it = g_list_model_get_item (model, i);

      max_id = MAX (max_id, it->item);
      g_ptr_array_add (items, it);
    }
  index = g_ptr_array_sized_new (n > 0 ? max_id + 1 : 0);
  g_ptr_array_set_size (index, n > 0 ? max_id + 1 : 0);
  for (guint i = 0; i < n; i++)
    {
      LkBrowserItem *it = g_ptr_array_index (items, i);

      g_ptr_array_index (index, it->item) = it;
    }

  return index;
}

/* ---- loading on a worker thread ---------------------------------------------------------- */

typedef struct {
  GListStore *items;
  GPtrArray  *by_id;
  GStrv       folders;
} Loaded;

static void
loaded_free (gpointer data)
{
  Loaded *loaded = data;

  g_clear_pointer (&loaded->by_id, g_ptr_array_unref);
  g_clear_object (&loaded->items);
  g_clear_pointer (&loaded->folders, g_strfreev);
  g_free (loaded);
}

static void
load_thread (GTask        *task,
             gpointer      source,
             gpointer      task_data,
             GCancellable *cancellable)
{
  const char *path = task_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(LkStore) store = NULL;
  Loaded *loaded;

  /* With lk_store_open()'s checks: the window opened the study without them, to keep them off
   * the main thread, and uses it only once this list is in. */
  store = lk_store_open (path, LK_STORE_OPEN_READ_ONLY, &error);
  if (store == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  loaded = g_new0 (Loaded, 1);
  loaded->items = lk_browser_model_load (store, &loaded->folders, &error);
  if (loaded->items == NULL)
    {
      loaded_free (loaded);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  loaded->by_id = lk_browser_model_index (G_LIST_MODEL (loaded->items));
  g_task_return_pointer (task, loaded, loaded_free);
}

/**
 * lk_browser_model_load_async:
 * @study_path: a study file (opened here with lk_store_open()'s checks: a damaged study is an
 *   error of the load)
 * @cancellable: (nullable): a #GCancellable
 * @callback: called on the caller's thread-default main context once the list is loaded
 * @user_data: data for @callback
 *
 * Loads the list of lk_browser_model_load() and its lk_browser_model_index() on a worker
 * thread, through a read-only connection of its own (the caller may go on using or lending its
 * own connection meanwhile). Nothing the caller's thread uses is touched until @callback.
 */
void
lk_browser_model_load_async (const char          *study_path,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (study_path != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, lk_browser_model_load_async);
  g_task_set_task_data (task, g_strdup (study_path), g_free);
  g_task_run_in_thread (task, load_thread);
}

/**
 * lk_browser_model_load_finish:
 * @result: the result given to the callback
 * @folders: (out) (optional) (transfer full): as for lk_browser_model_load()
 * @by_id: (out) (optional) (transfer full): as lk_browser_model_index() gives
 * @error: return location for a #GError (%G_IO_ERROR_CANCELLED once cancelled)
 *
 * Returns: (transfer full) (nullable): the list, as lk_browser_model_load() returns it
 */
GListStore *
lk_browser_model_load_finish (GAsyncResult  *result,
                              GStrv         *folders,
                              GPtrArray    **by_id,
                              GError       **error)
{
  Loaded *loaded;
  GListStore *items;

  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == lk_browser_model_load_async,
                        NULL);

  loaded = g_task_propagate_pointer (G_TASK (result), error);
  if (loaded == NULL)
    return NULL;
  items = g_steal_pointer (&loaded->items);
  if (folders != NULL)
    *folders = g_steal_pointer (&loaded->folders);
  if (by_id != NULL)
    *by_id = g_steal_pointer (&loaded->by_id);
  loaded_free (loaded);

  return items;
}
