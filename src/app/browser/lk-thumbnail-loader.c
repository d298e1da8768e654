/* lk-thumbnail-loader.c — a study's stored thumbnails as textures, decoded off the UI thread
 *
 * The grid asks for the thumbnail of each cell it binds (lk_thumbnail_loader_want()) and takes
 * the request back when the cell is recycled (lk_thumbnail_loader_unwant()). Requests go to a
 * pool of two threads, each with its own read-only connection to the study (read-only opens
 * take no lock and read through the WAL, so they run beside the window's writable handle;
 * a worker opens its connection at its first decode, so the window's construction opens none,
 * about a millisecond each on the main thread and three loaders of two); a
 * worker skips a request nobody wants any more, so flinging through 20,000 images does not
 * leave a queue of thousands of decodes behind. Decoded textures come back to the main thread
 * and go into a least-recently-used cache of a few hundred. Nothing here touches a widget from
 * a worker.
 *
 * What the main thread does per thumbnail is kept to handing over a ready texture (profiled
 * with bench/bench-browser, see the README):
 *   - the worker scales the stored thumbnail (at most 256 px) down to the size it is shown at
 *     (lk_thumbnail_loader_set_max_size(): 112 px for the grid, about 28 KiB a texture, so 600
 *     are under 20 MiB): the Cairo renderer converts a texture to its own format on the main
 *     thread on every frame it is drawn, and scales it, so a 256 px texture for a 112 px cell
 *     cost four times the pixels it showed, and GL uploaded them all;
 *   - results wait in one queue that a single idle source drains in slices of at most
 *     DELIVERY_BUDGET_US, instead of one idle source per result, so a burst of decodes never
 *     makes one long main-loop iteration, and frames (higher priority) go between slices.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "lk-background.h"
#include "lk-collection.h"
#include "lk-thumbnail-loader-private.h"

#define N_THREADS 2
#define DELIVERY_BUDGET_US 3000

typedef struct {
  LkThumbnailFunc func;
  gpointer        user_data;
  gboolean        owned;
} Waiter;

/* A waiter whose user_data is a GObject (a cell's picture) holds a reference on it, so a
 * widget destroyed without being unbound is never handed a texture after it is gone. */
static void
waiter_clear (gpointer data)
{
  Waiter *w = data;

  if (w->owned)
    g_object_unref (w->user_data);
}

static GArray *
waiters_new (void)
{
  GArray *a = g_array_new (FALSE, FALSE, sizeof (Waiter));

  g_array_set_clear_func (a, waiter_clear);

  return a;
}

typedef struct {
  GdkTexture *texture;
  GList      *link;
} CacheEntry;

struct _LkThumbnailLoader
{
  GObject       parent_instance;

  GMainContext *context;
  GThreadPool  *pool;
  char         *path;
  GAsyncQueue  *stores;     /* LkStore *, one per worker at a time, opened by the workers */
  guint         cache_size;
  guint         n_decoded;
  int           max_size;   /* 0: as stored; read by the workers, set before any request */
  GAsyncQueue  *results;    /* Result *, from the workers */
  int           delivering; /* atomic: an idle source is attached to drain results */

  /* Main thread only */
  GHashTable   *cache;      /* item + 1 → CacheEntry */
  GQueue        lru;        /* of item + 1, most recent first */
  GHashTable   *pending;    /* item + 1 → a job is queued or running */

  /* Shared with the workers, under lock */
  GMutex        lock;
  GHashTable   *waiters;    /* item + 1 → GArray of Waiter */
};

G_DEFINE_FINAL_TYPE (LkThumbnailLoader, lk_thumbnail_loader, G_TYPE_OBJECT)

typedef struct {
  LkThumbnailLoader *self;
  guint              item;
  GdkTexture        *texture;
} Result;

static void
cache_entry_free (gpointer data)
{
  CacheEntry *entry = data;

  g_clear_object (&entry->texture);
  g_free (entry);
}

static void
cache_insert (LkThumbnailLoader *self,
              guint              item,
              GdkTexture        *texture)
{
  CacheEntry *entry = g_hash_table_lookup (self->cache, GUINT_TO_POINTER (item + 1));

  if (entry != NULL)
    {
      g_set_object (&entry->texture, texture);
      g_queue_unlink (&self->lru, entry->link);
      g_queue_push_head_link (&self->lru, entry->link);
      return;
    }
  entry = g_new0 (CacheEntry, 1);

  g_queue_push_head (&self->lru, GUINT_TO_POINTER (item + 1));
  entry->link = self->lru.head;
  entry->texture = g_object_ref (texture);
  g_hash_table_replace (self->cache, GUINT_TO_POINTER (item + 1), entry);
  while (self->lru.length > self->cache_size)
    {
      gpointer old = g_queue_pop_tail (&self->lru);

      g_hash_table_remove (self->cache, old);
    }
}

static void
deliver_one (Result *result)
{
  LkThumbnailLoader *self = result->self;
  g_autoptr(GArray) waiters = NULL;
  gpointer key = GUINT_TO_POINTER (result->item + 1);

  g_hash_table_remove (self->pending, key);
  if (result->texture != NULL)
    cache_insert (self, result->item, result->texture);

  g_mutex_lock (&self->lock);
  g_hash_table_steal_extended (self->waiters, key, NULL, (gpointer *) &waiters);
  g_mutex_unlock (&self->lock);
  for (guint i = 0; waiters != NULL && i < waiters->len; i++)
    {
      Waiter *w = &g_array_index (waiters, Waiter, i);

      w->func (result->item, result->texture, w->user_data);
    }
}

static void
result_free (gpointer data)
{
  Result *result = data;

  g_clear_object (&result->texture);
  g_free (result);
}

/* Hands over queued results for at most DELIVERY_BUDGET_US, then lets the loop go on. */
static gboolean
drain_cb (gpointer data)
{
  LkThumbnailLoader *self = data;
  gint64 end = g_get_monotonic_time () + DELIVERY_BUDGET_US;
  Result *result;

  while ((result = g_async_queue_try_pop (self->results)) != NULL)
    {
      deliver_one (result);
      result_free (result);
      if (g_get_monotonic_time () >= end)
        return G_SOURCE_CONTINUE;
    }
  g_atomic_int_set (&self->delivering, FALSE);
  /* A worker may have pushed after the last pop but seen the flag still set. */
  if (g_async_queue_length (self->results) > 0 &&
      g_atomic_int_compare_and_exchange (&self->delivering, FALSE, TRUE))
    return G_SOURCE_CONTINUE;

  return G_SOURCE_REMOVE;
}

/* Returns @pixbuf scaled to fit @max_size (0: as it is) as a texture. It stays in the pixbuf's
 * own format (R8G8B8, or R8G8B8A8 with alpha): GTK 4.8 converts those to what the renderers
 * use (Cairo's premultiplied ARGB32 on every frame, GL's at upload) by a direct loop, where a
 * texture already in GDK_MEMORY_DEFAULT goes through floats in gdk_memory_convert() (measured:
 * the Cairo renderer's worst frame was slower with it). */
static GdkTexture *
texture_for_display (GdkPixbuf *pixbuf,
                     int        max_size)
{
  g_autoptr(GdkPixbuf) scaled = NULL;
  int w = gdk_pixbuf_get_width (pixbuf), h = gdk_pixbuf_get_height (pixbuf);

  if (max_size > 0 && MAX (w, h) > max_size)
    {
      double f = (double) max_size / MAX (w, h);

      scaled = gdk_pixbuf_scale_simple (pixbuf, MAX ((int) (w * f + 0.5), 1),
                                        MAX ((int) (h * f + 0.5), 1), GDK_INTERP_BILINEAR);
      if (scaled == NULL)
        return NULL;
      pixbuf = scaled;
    }

  return gdk_texture_new_for_pixbuf (pixbuf);
}

static void
worker (gpointer data,
        gpointer user_data)
{
  LkThumbnailLoader *self = user_data;
  guint item = GPOINTER_TO_UINT (data) - 1;
  Result *result = g_new0 (Result, 1);
  gboolean wanted;

  /* Decoding the next page must not take the core the frame showing this one needs. */
  lk_background_lower_priority ();
  g_mutex_lock (&self->lock);
  wanted = g_hash_table_contains (self->waiters, data);
  g_mutex_unlock (&self->lock);

  if (wanted)
    {
      /* At most N_THREADS workers run at once, each holding one store while it decodes, so
       * there are never more than N_THREADS. A study that cannot be opened any more (removed
       * meantime) gives no thumbnail, as a row that cannot be read does. */
      LkStore *store = g_async_queue_try_pop (self->stores);
      g_autoptr(GdkPixbuf) pixbuf = NULL;

      if (store == NULL)
        store = lk_store_open (self->path, LK_STORE_OPEN_READ_ONLY | LK_STORE_OPEN_UNCHECKED,
                               NULL);
      if (store != NULL)
        {
          pixbuf = lk_collection_get_thumbnail (store, item, NULL);
          g_async_queue_push (self->stores, store);
        }
      if (pixbuf != NULL)
        result->texture = texture_for_display (pixbuf, g_atomic_int_get (&self->max_size));
      g_atomic_int_inc (&self->n_decoded);
    }
  result->self = self;
  result->item = item;
  g_async_queue_push (self->results, result);

  /* Not g_main_context_invoke(): from a pool thread it runs the callback right there whenever
   * it can acquire the context (the main thread is between iterations), and the cache and its
   * LRU list are main-thread only. An idle source always runs where the context is iterated.
   * The source holds a reference on the loader; dispose waits for the workers, so none pushes
   * after the last drain. */
  if (g_atomic_int_compare_and_exchange (&self->delivering, FALSE, TRUE))
    {
      GSource *source = g_idle_source_new ();

      g_source_set_priority (source, G_PRIORITY_DEFAULT_IDLE);
      g_source_set_callback (source, drain_cb, g_object_ref (self), g_object_unref);
      g_source_set_static_name (source, "[likeness] thumbnail delivery");
      g_source_attach (source, self->context);
      g_source_unref (source);
    }
}

static void
lk_thumbnail_loader_dispose (GObject *object)
{
  LkThumbnailLoader *self = (LkThumbnailLoader *)object;

  g_assert (LK_IS_THUMBNAIL_LOADER (self));

  /* Waits for running decodes; queued ones are dropped. */
  if (self->pool != NULL)
    g_thread_pool_free (g_steal_pointer (&self->pool), TRUE, TRUE);

  G_OBJECT_CLASS (lk_thumbnail_loader_parent_class)->dispose (object);
}

static void
lk_thumbnail_loader_finalize (GObject *object)
{
  LkThumbnailLoader *self = (LkThumbnailLoader *)object;
  LkStore *store;

  while (self->stores != NULL && (store = g_async_queue_try_pop (self->stores)) != NULL)
    lk_store_close (store);
  g_clear_pointer (&self->stores, g_async_queue_unref);
  g_free (self->path);
  g_clear_pointer (&self->results, g_async_queue_unref);
  g_clear_pointer (&self->cache, g_hash_table_unref);
  g_queue_clear (&self->lru);
  g_clear_pointer (&self->pending, g_hash_table_unref);
  g_clear_pointer (&self->waiters, g_hash_table_unref);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (lk_thumbnail_loader_parent_class)->finalize (object);
}

static void
lk_thumbnail_loader_class_init (LkThumbnailLoaderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = lk_thumbnail_loader_dispose;
  object_class->finalize = lk_thumbnail_loader_finalize;
}

static void
lk_thumbnail_loader_init (LkThumbnailLoader *self)
{
  g_mutex_init (&self->lock);
  self->cache = g_hash_table_new_full (NULL, NULL, NULL, cache_entry_free);
  self->pending = g_hash_table_new (NULL, NULL);
  self->waiters = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) g_array_unref);
  self->stores = g_async_queue_new ();
  self->results = g_async_queue_new_full (result_free);
  self->context = g_main_context_ref_thread_default ();
}

/**
 * lk_thumbnail_loader_new:
 * @study_path: the study file, which the caller has opened (with lk_store_open()'s checks)
 * @cache_size: textures kept in memory
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): a loader with its own read-only connections
 */
LkThumbnailLoader *
lk_thumbnail_loader_new (const char  *study_path,
                         guint        cache_size,
                         GError     **error)
{
  g_autoptr(LkThumbnailLoader) self = g_object_new (LK_TYPE_THUMBNAIL_LOADER, NULL);

  self->cache_size = MAX (cache_size, 1);
  /* Unchecked, by the workers: the window opened the study with its checks (or runs them off
   * the main thread before it shows an image), and they read every image row. */
  self->path = g_strdup (study_path);
  self->pool = g_thread_pool_new (worker, self, N_THREADS, FALSE, error);
  if (self->pool == NULL)
    return NULL;

  return g_steal_pointer (&self);
}

/**
 * lk_thumbnail_loader_set_max_size:
 * @max_size: the largest edge a texture is made at, in pixels (0: as stored, at most 256)
 *
 * Call before the first request: textures already cached keep their size.
 */
void
lk_thumbnail_loader_set_max_size (LkThumbnailLoader *self,
                                  int                max_size)
{
  g_return_if_fail (LK_IS_THUMBNAIL_LOADER (self));

  g_atomic_int_set (&self->max_size, MAX (max_size, 0));
}

/**
 * lk_thumbnail_loader_lookup:
 *
 * Returns: (transfer none) (nullable): the cached texture of @item, if any
 */
GdkTexture *
lk_thumbnail_loader_lookup (LkThumbnailLoader *self,
                            guint              item)
{
  CacheEntry *entry = g_hash_table_lookup (self->cache, GUINT_TO_POINTER (item + 1));

  if (entry == NULL)
    return NULL;
  /* Most recently used first. */
  g_queue_unlink (&self->lru, entry->link);
  g_queue_push_head_link (&self->lru, entry->link);

  return entry->texture;
}

/**
 * lk_thumbnail_loader_want:
 * @func: called with the texture: at once when cached, else later on the main thread (unless
 *   lk_thumbnail_loader_unwant() is called first)
 */
static void
want (LkThumbnailLoader *self,
      guint              item,
      LkThumbnailFunc    func,
      gpointer           user_data,
      gboolean           owned)
{
  gpointer key = GUINT_TO_POINTER (item + 1);
  GdkTexture *texture = lk_thumbnail_loader_lookup (self, item);
  Waiter w = { func, user_data, owned };
  GArray *waiters;

  g_return_if_fail (LK_IS_THUMBNAIL_LOADER (self));

  if (texture != NULL)
    {
      func (item, texture, user_data);
      return;
    }
  if (owned)
    g_object_ref (user_data);
  g_mutex_lock (&self->lock);
  waiters = g_hash_table_lookup (self->waiters, key);
  if (waiters == NULL)
    {
      waiters = waiters_new ();
      g_hash_table_insert (self->waiters, key, waiters);
    }
  g_array_append_val (waiters, w);
  g_mutex_unlock (&self->lock);

  if (!g_hash_table_contains (self->pending, key) && self->pool != NULL)
    {
      g_hash_table_add (self->pending, key);
      g_thread_pool_push (self->pool, key, NULL);
    }
}

void
lk_thumbnail_loader_want (LkThumbnailLoader *self,
                          guint              item,
                          LkThumbnailFunc    func,
                          gpointer           user_data)
{
  want (self, item, func, user_data, FALSE);
}

/* As lk_thumbnail_loader_want(), holding a reference on @object (passed as user_data) while
 * waiting. */
void
lk_thumbnail_loader_want_object (LkThumbnailLoader *self,
                                 guint              item,
                                 LkThumbnailFunc    func,
                                 GObject           *object)
{
  want (self, item, func, object, TRUE);
}

void
lk_thumbnail_loader_unwant (LkThumbnailLoader *self,
                            guint              item,
                            gpointer           user_data)
{
  gpointer key = GUINT_TO_POINTER (item + 1);
  GArray *waiters;

  g_mutex_lock (&self->lock);
  waiters = g_hash_table_lookup (self->waiters, key);
  for (guint i = 0; waiters != NULL && i < waiters->len; i++)
    if (g_array_index (waiters, Waiter, i).user_data == user_data)
      {
        g_array_remove_index_fast (waiters, i);
        break;
      }
  if (waiters != NULL && waiters->len == 0)
    g_hash_table_remove (self->waiters, key);
  g_mutex_unlock (&self->lock);
}

guint
lk_thumbnail_loader_get_n_cached (LkThumbnailLoader *self)
{
  return g_hash_table_size (self->cache);
}

guint
lk_thumbnail_loader_get_n_decoded (LkThumbnailLoader *self)
{
  return g_atomic_int_get (&self->n_decoded);
}

/* Drops every waiting request: their widgets are being destroyed. */
void
lk_thumbnail_loader_forget_all (LkThumbnailLoader *self)
{
  g_mutex_lock (&self->lock);
  g_hash_table_remove_all (self->waiters);
  g_mutex_unlock (&self->lock);
}

static void
picture_cb (guint       item,
            GdkTexture *texture,
            gpointer    user_data)
{
  GtkPicture *picture = user_data;

  if (GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (picture), "lk-thumbnail-item")) == item + 1)
    gtk_picture_set_paintable (picture, GDK_PAINTABLE (texture));
}

/**
 * lk_thumbnail_loader_want_picture:
 * @picture: where the thumbnail goes
 * @item: the image
 *
 * Shows @item's thumbnail in @picture once it is decoded (at once when cached), unless
 * @picture is given another item or lk_thumbnail_loader_unwant_picture() is called first.
 */
void
lk_thumbnail_loader_want_picture (LkThumbnailLoader *self,
                                  GtkPicture        *picture,
                                  guint              item)
{
  lk_thumbnail_loader_unwant_picture (self, picture);
  g_object_set_data (G_OBJECT (picture), "lk-thumbnail-item", GUINT_TO_POINTER (item + 1));
  want (self, item, picture_cb, picture, TRUE);
}

/* Takes back @picture's request, if any; a thumbnail decoded later is not shown in it. */
void
lk_thumbnail_loader_unwant_picture (LkThumbnailLoader *self,
                                    GtkPicture        *picture)
{
  guint id1 = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (picture), "lk-thumbnail-item"));

  if (id1 != 0)
    lk_thumbnail_loader_unwant (self, id1 - 1, picture);
  g_object_set_data (G_OBJECT (picture), "lk-thumbnail-item", NULL);
}
