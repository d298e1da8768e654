/* lk-study.c — an open study file: its images for the sorting screen, and its settings
 *
 * The study owns the LkStore (and with it the study's writer lock) for as long as a window
 * shows it; sessions and savers hold a reference to the study, never to the store alone.
 * Thumbnails (at most 256 px, made at import) are what the grid shows, so the sorting screen
 * never decodes a full-size image; only the press-and-hold preview, larger than a thumbnail,
 * reads the image file, on a worker thread (lk_image_source_load_large_async()). The sorting
 * page asks for each image at the size it draws it (lk_image_source_dup_texture_at_size()), and
 * tells beforehand which images come next (lk_image_source_prepare()): one decoder thread, at
 * background priority and with a read-only connection of its own (read-only opens take no lock
 * and read through the WAL, beside the window's writer), makes those textures while the
 * participant sorts, and the main thread only takes them. What it has not made is decoded on
 * the main thread when asked for (a grid drawn on the spot, which nobody could know ahead); when
 * the decoder is on that very image, the main thread waits for it rather than decoding it twice.
 *
 * The textures are kept for the images shown last only (TEXTURE_CACHE of them, one per image
 * and size): a study stays open across a lab's sessions, and one texture per image ever shown
 * would grow without bound on a large collection. A tile keeps its own reference, so an image on
 * screen never loses its texture.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "lk-background.h"
#include "lk-collection.h"
#include "lk-error.h"
#include "lk-study-private.h"

/* Textures kept: a dozen grids of 20, at the three sizes the sorting page draws (the grid's
 * tiles, the bins' and the footer's preview): at 1x about 17 MB, at 2x four times that. */
#define TEXTURE_CACHE 720

/* Cache keys: an item and a size (0 for the thumbnail as stored) in one pointer. */
#define SIZE_BITS 12
#define KEY(item, size) GSIZE_TO_POINTER (((gsize) (item) << SIZE_BITS) | (gsize) (size))
G_STATIC_ASSERT (LK_IMAGE_SOURCE_MAX_SIZE < (1 << SIZE_BITS));
G_STATIC_ASSERT (sizeof (gpointer) >= 8);

struct _LkStudy
{
  GObject     parent_instance;

  LkStore    *store;
  char       *path;
  guint       n_items;
  GHashTable *textures;    /* KEY -> GdkTexture, for the keys in recent; main thread only */
  GQueue      recent;      /* keys, most recently used first */
  guint       cache_size;  /* at most this many textures are kept */
  LkSessionSettings settings; /* as lk_study_get_setup() read them last: its strings */

  /* The decoder: a thread made at the first lk_image_source_prepare() */
  GThreadPool *decoder;
  LkStore    *decoder_store; /* its read-only connection; the decoder's thread only */
  guint       n_decoded;     /* images the decoder made textures of, for tests (atomic) */
  guint       n_decoded_here; /* textures decoded on the main thread, for tests */

  /* Shared with the decoder, under lock */
  GMutex      lock;
  GCond       done;        /* the decoder finished an image */
  GHashTable *wanted;      /* KEY -> itself: asked for by the last prepare, not made yet */
  GHashTable *ready;       /* KEY -> GdkTexture: made by the decoder, not yet in the cache */
  GArray     *sizes;       /* int: the sizes the last prepare asked for */
  guint       decoding;    /* the item + 1 the decoder is on, 0 when it is idle */
  guint       n_queued;    /* images handed to the decoder and not finished */
};

static void lk_study_image_source_init (LkImageSourceInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (LkStudy, lk_study, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (LK_TYPE_IMAGE_SOURCE,
                                                      lk_study_image_source_init))

static guint
study_get_n_items (LkImageSource *source)
{
  return LK_STUDY (source)->n_items;
}

/* Returns a grey placeholder, for an image whose thumbnail cannot be read. */
static GdkTexture *
placeholder (void)
{
  enum { SIZE = 16 };
  g_autoptr(GBytes) bytes = NULL;
  guint8 *data = g_malloc (SIZE * SIZE * 3);

  memset (data, 0x80, SIZE * SIZE * 3);
  bytes = g_bytes_new_take (data, SIZE * SIZE * 3);

  return gdk_memory_texture_new (SIZE, SIZE, GDK_MEMORY_R8G8B8, bytes, SIZE * 3);
}

/* Returns the texture of @key from the cache (moved to the front), or NULL. */
static GdkTexture *
cache_lookup (LkStudy  *self,
              gpointer  key)
{
  GdkTexture *texture = g_hash_table_lookup (self->textures, key);

  if (texture != NULL)
    {
      g_queue_remove (&self->recent, key);
      g_queue_push_head (&self->recent, key);
    }

  return texture;
}

/* Keeps @texture (taken) for @key, letting go of the least recently used beyond the bound. */
static void
cache_insert (LkStudy    *self,
              gpointer    key,
              GdkTexture *texture)
{
  if (g_hash_table_contains (self->textures, key))
    g_queue_remove (&self->recent, key);
  g_hash_table_replace (self->textures, key, texture);
  g_queue_push_head (&self->recent, key);
  while (self->recent.length > self->cache_size)
    g_hash_table_remove (self->textures, g_queue_pop_tail (&self->recent));
}

/* Moves what the decoder made into the cache. Main thread. */
static void
take_ready (LkStudy *self)
{
  g_autoptr(GHashTable) ready = NULL;
  GHashTableIter iter;
  gpointer key, texture;

  g_mutex_lock (&self->lock);
  if (g_hash_table_size (self->ready) > 0)
    {
      ready = g_steal_pointer (&self->ready);
      self->ready = g_hash_table_new_full (NULL, NULL, NULL, g_object_unref);
    }
  g_mutex_unlock (&self->lock);
  if (ready == NULL)
    return;
  g_hash_table_iter_init (&iter, ready);
  while (g_hash_table_iter_next (&iter, &key, &texture))
    {
      g_hash_table_iter_steal (&iter);
      cache_insert (self, key, texture);
    }
}

/* Returns @item's texture at @size (0: as stored) from @store, on the calling thread. */
static GdkTexture *
decode (LkStore *store,
        guint    item,
        int      size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkPixbuf) pixbuf = NULL;

  if (store != NULL)
    pixbuf = lk_collection_get_thumbnail (store, item, &error);
  if (pixbuf == NULL)
    {
      g_debug ("no thumbnail for item %u: %s", item, error != NULL ? error->message : "closed");
      return placeholder ();
    }

  return size > 0 ? lk_image_source_cover_texture (pixbuf, size)
                  : gdk_texture_new_for_pixbuf (pixbuf);
}

/* The cache's texture of @item at @size (0: as stored), else the decoder's, else one decoded
 * here (the main thread). */
static GdkTexture *
dup_texture_keyed (LkStudy *self,
                   guint    item,
                   int      size)
{
  gpointer key = KEY (item, size);
  GdkTexture *texture;

  take_ready (self);
  texture = cache_lookup (self, key);
  if (texture != NULL)
    return g_object_ref (texture);

  g_mutex_lock (&self->lock);
  /* On it now: a few milliseconds at most, less than decoding it again. */
  while (self->decoding == item + 1 && g_hash_table_contains (self->wanted, key))
    g_cond_wait (&self->done, &self->lock);
  g_hash_table_steal_extended (self->ready, key, NULL, (gpointer *) &texture);
  g_hash_table_remove (self->wanted, key);
  g_mutex_unlock (&self->lock);

  if (texture == NULL)
    {
      texture = decode (self->store, item, size);
      self->n_decoded_here++;
    }
  cache_insert (self, key, texture);

  return g_object_ref (texture);
}

static GdkTexture *
study_dup_texture (LkImageSource *source,
                   guint          item)
{
  return dup_texture_keyed (LK_STUDY (source), item, 0);
}

static GdkTexture *
study_dup_texture_at_size (LkImageSource *source,
                           guint          item,
                           int            size)
{
  return dup_texture_keyed (LK_STUDY (source), item, size);
}

/* The decoder's thread: makes the textures still wanted of one image, at every size asked. */
static void
decode_cb (gpointer data,
           gpointer user_data)
{
  LkStudy *self = user_data;
  guint item = GPOINTER_TO_UINT (data) - 1;
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  int sizes[8];
  GdkTexture *textures[8] = { NULL };
  guint n = 0;

  /* Decoding the next grid must not take the core the frame showing this one needs. */
  lk_background_lower_priority ();
  g_mutex_lock (&self->lock);
  for (guint i = 0; i < self->sizes->len && n < G_N_ELEMENTS (sizes); i++)
    {
      int size = g_array_index (self->sizes, int, i);

      if (g_hash_table_contains (self->wanted, KEY (item, size)))
        sizes[n++] = size;
    }
  if (n == 0)
    {
      self->n_queued--;
      g_cond_broadcast (&self->done);
      g_mutex_unlock (&self->lock);
      return;
    }
  self->decoding = item + 1;
  g_mutex_unlock (&self->lock);

  if (self->decoder_store == NULL)
    {
      g_autoptr(GError) error = NULL;

      self->decoder_store = lk_store_open (self->path, LK_STORE_OPEN_READ_ONLY, &error);
      if (self->decoder_store == NULL)
        g_debug ("the decoder cannot read the study: %s", error->message);
    }
  if (self->decoder_store != NULL)
    pixbuf = lk_collection_get_thumbnail (self->decoder_store, item, NULL);
  /* Without its thumbnail, the image is left to the main thread, which says why. */
  for (guint i = 0; pixbuf != NULL && i < n; i++)
    textures[i] = lk_image_source_cover_texture (pixbuf, sizes[i]);
  if (pixbuf != NULL)
    g_atomic_int_inc (&self->n_decoded);

  g_mutex_lock (&self->lock);
  for (guint i = 0; i < n; i++)
    {
      gpointer key = KEY (item, sizes[i]);

      if (textures[i] != NULL && g_hash_table_remove (self->wanted, key))
        g_hash_table_replace (self->ready, key, g_steal_pointer (&textures[i]));
      g_clear_object (&textures[i]);
    }
  self->decoding = 0;
  self->n_queued--;
  g_cond_broadcast (&self->done);
  g_mutex_unlock (&self->lock);
}

static void
study_prepare (LkImageSource *source,
               const guint   *items,
               guint          n_items,
               const int     *sizes,
               guint          n_sizes)
{
  LkStudy *self = LK_STUDY (source);
  g_autoptr(GArray) jobs = g_array_new (FALSE, FALSE, sizeof (guint));

  if (self->store == NULL)
    return;
  take_ready (self);

  g_mutex_lock (&self->lock);
  g_hash_table_remove_all (self->wanted);
  g_array_set_size (self->sizes, 0);
  g_array_append_vals (self->sizes, sizes, n_sizes);
  for (guint i = 0; i < n_items; i++)
    {
      gboolean missing = FALSE;

      if (items[i] >= self->n_items)
        continue;
      for (guint j = 0; j < n_sizes; j++)
        {
          gpointer key = KEY (items[i], sizes[j]);

          if (sizes[j] > 0 && sizes[j] <= LK_IMAGE_SOURCE_MAX_SIZE
              && !g_hash_table_contains (self->textures, key))
            {
              g_hash_table_add (self->wanted, key);
              missing = TRUE;
            }
        }
      if (missing)
        g_array_append_val (jobs, items[i]);
    }
  g_mutex_unlock (&self->lock);

  if (jobs->len > 0 && self->decoder == NULL)
    {
      g_autoptr(GError) error = NULL;

      self->decoder = g_thread_pool_new (decode_cb, self, 1, FALSE, &error);
      if (self->decoder == NULL)
        {
          g_debug ("no decoder thread: %s", error->message);
          return;
        }
    }
  g_mutex_lock (&self->lock);
  self->n_queued += jobs->len;
  g_mutex_unlock (&self->lock);
  for (guint i = 0; i < jobs->len; i++)
    g_thread_pool_push (self->decoder, GUINT_TO_POINTER (g_array_index (jobs, guint, i) + 1),
                        NULL);
}

typedef struct {
  char *path;
  int   size;
} LargeJob;

static void
large_job_free (gpointer data)
{
  LargeJob *job = data;

  g_free (job->path);
  g_free (job);
}

static void
large_job_run (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  LargeJob *job = task_data;
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  g_autoptr(GdkPixbuf) oriented = NULL;
  GError *error = NULL;
  int w = 0, h = 0;

  lk_background_lower_priority ();
  if (gdk_pixbuf_get_file_info (job->path, &w, &h) == NULL || w <= 0 || h <= 0)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                               "Not a readable image - %s", job->path);
      return;
    }
  /* Decoded at the size needed, not larger: JPEG decodes at 1/2, 1/4 or 1/8 by itself. */
  if (MIN (w, h) > job->size)
    {
      double scale = (double) job->size / MIN (w, h);

      pixbuf = gdk_pixbuf_new_from_file_at_scale (job->path, (int) ceil (w * scale),
                                                  (int) ceil (h * scale), TRUE, &error);
    }
  else
    pixbuf = gdk_pixbuf_new_from_file (job->path, &error);
  if (pixbuf == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  /* As the thumbnail was made at import. */
  oriented = gdk_pixbuf_apply_embedded_orientation (pixbuf);
  g_task_return_pointer (task, lk_image_source_cover_texture (oriented, job->size),
                         g_object_unref);
}

static void
study_load_large_async (LkImageSource       *source,
                        guint                item,
                        int                  size,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  LkStudy *self = LK_STUDY (source);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autofree char *root = self->store != NULL ? lk_collection_get_root (self->store) : NULL;
  g_autofree char *relative = self->store != NULL ? lk_collection_get_image_path (self->store, item)
                                                  : NULL;
  LargeJob *job;

  g_task_set_source_tag (task, study_load_large_async);
  if (root == NULL || relative == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                               "Image %u has no file in the study", item);
      return;
    }
  job = g_new0 (LargeJob, 1);
  job->path = g_build_filename (root, relative, NULL);
  job->size = size;
  g_task_set_task_data (task, job, large_job_free);
  g_task_run_in_thread (task, large_job_run);
}

static GdkTexture *
study_load_large_finish (LkImageSource  *source,
                         GAsyncResult   *result,
                         GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, source), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static char *
study_dup_item_title (LkImageSource *source,
                      guint          item)
{
  LkStudy *self = LK_STUDY (source);
  char *path = lk_collection_get_image_path (self->store, item);

  return path != NULL ? path : g_strdup_printf (_("Image %u"), item + 1);
}

static void
lk_study_image_source_init (LkImageSourceInterface *iface)
{
  iface->get_n_items = study_get_n_items;
  iface->dup_texture = study_dup_texture;
  iface->dup_title = study_dup_item_title;
  iface->dup_texture_at_size = study_dup_texture_at_size;
  iface->prepare = study_prepare;
  iface->load_large_async = study_load_large_async;
  iface->load_large_finish = study_load_large_finish;
}

/* Stops the decoder (an image it is on is finished, the rest dropped) and closes its
 * connection. */
static void
stop_decoder (LkStudy *self)
{
  if (self->decoder != NULL)
    g_thread_pool_free (g_steal_pointer (&self->decoder), TRUE, TRUE);
  g_clear_pointer (&self->decoder_store, lk_store_close);
  self->n_queued = 0;
}

static void
lk_study_dispose (GObject *object)
{
  stop_decoder (LK_STUDY (object));

  G_OBJECT_CLASS (lk_study_parent_class)->dispose (object);
}

static void
lk_study_finalize (GObject *object)
{
  LkStudy *self = (LkStudy *)object;

  g_clear_pointer (&self->textures, g_hash_table_unref);
  g_queue_clear (&self->recent);
  g_clear_pointer (&self->wanted, g_hash_table_unref);
  g_clear_pointer (&self->ready, g_hash_table_unref);
  g_clear_pointer (&self->sizes, g_array_unref);
  g_mutex_clear (&self->lock);
  g_cond_clear (&self->done);
  g_clear_pointer (&self->store, lk_store_close);
  g_clear_pointer (&self->path, g_free);
  lk_session_settings_clear (&self->settings);

  G_OBJECT_CLASS (lk_study_parent_class)->finalize (object);
}

static void
lk_study_class_init (LkStudyClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = lk_study_dispose;
  G_OBJECT_CLASS (klass)->finalize = lk_study_finalize;
}

static void
lk_study_init (LkStudy *self)
{
  lk_session_settings_init (&self->settings);
  g_mutex_init (&self->lock);
  g_cond_init (&self->done);
  self->wanted = g_hash_table_new (NULL, NULL);
  self->ready = g_hash_table_new_full (NULL, NULL, NULL, g_object_unref);
  self->sizes = g_array_new (FALSE, FALSE, sizeof (int));
}

/**
 * lk_study_new_for_store:
 * @store: (transfer full): a study open for writing
 *
 * Returns: (transfer full): the study, which closes @store when it is finalized
 */
LkStudy *
lk_study_new_for_store (LkStore *store)
{
  LkStudy *self;
  guint n_images = 0;

  g_return_val_if_fail (store != NULL, NULL);

  self = g_object_new (LK_TYPE_STUDY, NULL);
  self->store = store;
  self->path = g_strdup (lk_store_get_path (store));
  /* Not lk_store_get_counts(): its counts scan the image table, on the main thread when the
   * browser opens Sort Grids (tens of ms at 100,000 images). */
  if (!lk_store_get_n_images (store, &n_images, NULL))
    n_images = 0;
  self->n_items = n_images;
  self->textures = g_hash_table_new_full (NULL, NULL, NULL, g_object_unref);
  self->cache_size = TEXTURE_CACHE;

  return self;
}

/**
 * lk_study_open:
 * @path: a .likeness file
 *
 * Opens a study for writing (taking its lock).
 *
 * Returns: (transfer full): the study, or %NULL with @error set (%LK_STORE_ERROR: not found,
 *   not a study, too new, locked, read-only, damaged); lk_study_error_heading() says it briefly
 */
LkStudy *
lk_study_open (const char  *path,
               GError     **error)
{
  LkStore *store;

  g_return_val_if_fail (path != NULL, NULL);

  store = lk_store_open (path, LK_STORE_OPEN_DEFAULT, error);
  if (store == NULL)
    return NULL;

  return lk_study_new_for_store (store);
}

/**
 * lk_study_get_store:
 *
 * Returns: (transfer none) (nullable): the study file, or %NULL once closed
 */
LkStore *
lk_study_get_store (LkStudy *self)
{
  g_return_val_if_fail (LK_IS_STUDY (self), NULL);

  return self->store;
}

const char *
lk_study_get_path (LkStudy *self)
{
  g_return_val_if_fail (LK_IS_STUDY (self), NULL);

  return self->path;
}

/**
 * lk_study_dup_title:
 *
 * Returns: (transfer full): the file's name without ".likeness"
 */
char *
lk_study_dup_title (LkStudy *self)
{
  g_autofree char *base = NULL;

  g_return_val_if_fail (LK_IS_STUDY (self), NULL);

  base = g_path_get_basename (self->path);
  if (g_str_has_suffix (base, ".likeness") && strlen (base) > strlen (".likeness"))
    base[strlen (base) - strlen (".likeness")] = '\0';

  return g_steal_pointer (&base);
}

/* Replaces *@kept by *@fresh (taken) unless they are the same text, so that a text handed out
 * stays valid until it changes. */
static void
keep_text (char **kept,
           char **fresh)
{
  if (g_strcmp0 (*kept, *fresh) == 0)
    g_clear_pointer (fresh, g_free);
  else
    {
      g_free (*kept);
      *kept = g_steal_pointer (fresh);
    }
}

/* Reads the study's session settings into self->settings; the defaults when they cannot be
 * read or the study is closed. */
static void
load_settings (LkStudy *self)
{
  g_autoptr(GError) error = NULL;
  g_auto(LkSessionSettings) fresh = { 0 };

  if (self->store == NULL)
    lk_session_settings_init (&fresh);
  else if (!lk_store_load_session_settings (self->store, &fresh, &error))
    g_debug ("session settings: %s", error->message);
  keep_text (&self->settings.consent, &fresh.consent);
  keep_text (&self->settings.instructions, &fresh.instructions);
  keep_text (&self->settings.passphrase, &fresh.passphrase);
  self->settings.break_every = fresh.break_every;
  self->settings.n_practice = fresh.n_practice;
  self->settings.all_placed = fresh.all_placed;
  self->settings.grids_per_participant = fresh.grids_per_participant;
  self->settings.group_names = fresh.group_names;
  self->settings.palette = fresh.palette;
}

/**
 * lk_study_get_setup:
 * @setup: (out caller-allocates): the settings of this study's sessions
 *
 * The method's parameters come from the file; so do the session settings (consent text,
 * instructions, breaks, practice grids, submit rule, grids per participant: #LkSessionSettings,
 * written by the Create page or `likeness-cli create` and `settings`). A study without them
 * (older files, schema 3 and before) gets the defaults, and the standard texts stand in for
 * texts not set. The strings stay valid until the settings change or the study is finalized.
 */
void
lk_study_get_setup (LkStudy        *self,
                    LkSessionSetup *setup)
{
  g_return_if_fail (LK_IS_STUDY (self));
  g_return_if_fail (setup != NULL);

  load_settings (self);
  setup->params = *lk_store_get_params (self->store);
  setup->rule = self->settings.all_placed ? LK_SORT_RULE_ALL_PLACED : LK_SORT_RULE_ANY_PLACED;
  setup->break_every = self->settings.break_every;
  setup->n_practice = self->settings.n_practice;
  setup->grids_per_participant = self->settings.grids_per_participant;
  setup->group_names = self->settings.group_names;
  setup->palette = self->settings.palette;

  if (self->settings.consent != NULL)
    setup->consent = self->settings.consent;
  else
    setup->consent = _("You are invited to take part in a study of how people see similarity "
                       "between images. You will sort small grids of images into groups of "
                       "similar ones. Your answers are recorded under a code, not your name. "
                       "You may stop at any time without giving a reason.\n\n"
                       "Do you agree to take part?");

  if (self->settings.instructions != NULL)
    setup->instructions = self->settings.instructions;
  /* The palette (paper 002): a bin's key or a click picks its colour, a click files. */
  else if (self->settings.palette && setup->n_practice > 0)
    setup->instructions = _("You will see a grid of images and numbered, coloured bins. Put "
                            "images that look alike into the same bin. Pick a bin’s colour by "
                            "pressing its key (1 to 9, and 0 for a tenth bin) or clicking the "
                            "bin, then click the images that go there, or press Space on the "
                            "one chosen with the arrow keys. Click an image in its bin again to "
                            "take it back out. Ctrl+Z undoes. When you are done, press Enter or "
                            "Submit.\n\n"
                            "First comes a practice grid, which is not recorded.");
  else if (self->settings.palette)
    setup->instructions = _("You will see a grid of images and numbered, coloured bins. Put "
                            "images that look alike into the same bin. Pick a bin’s colour by "
                            "pressing its key (1 to 9, and 0 for a tenth bin) or clicking the "
                            "bin, then click the images that go there, or press Space on the "
                            "one chosen with the arrow keys. Click an image in its bin again to "
                            "take it back out. Ctrl+Z undoes. When you are done, press Enter or "
                            "Submit.");
  /* Ten bins (paper 001's grids): 0 is the tenth bin's key, so only Backspace takes out. */
  else if (setup->params.nc >= 10 && setup->n_practice > 0)
    setup->instructions = _("You will see a grid of images and numbered bins. Put images that "
                            "look alike into the same bin. Drag them with the mouse, or move "
                            "between images with the arrow keys and press a bin’s key: 1 to 9, "
                            "and 0 for the tenth bin. Press Backspace to take an image back out "
                            "of a bin, and Ctrl+Z to undo. Images that fit no bin may stay where "
                            "they are. When you are done, press Enter or Submit.\n\n"
                            "First comes a practice grid, which is not recorded.");
  else if (setup->params.nc >= 10)
    setup->instructions = _("You will see a grid of images and numbered bins. Put images that "
                            "look alike into the same bin. Drag them with the mouse, or move "
                            "between images with the arrow keys and press a bin’s key: 1 to 9, "
                            "and 0 for the tenth bin. Press Backspace to take an image back out "
                            "of a bin, and Ctrl+Z to undo. Images that fit no bin may stay where "
                            "they are. When you are done, press Enter or Submit.");
  else if (setup->n_practice > 0)
    setup->instructions = _("You will see a grid of images and numbered bins. Put images that "
                            "look alike into the same bin. Drag them with the mouse, or move "
                            "between images with the arrow keys and press a bin’s number. Press "
                            "0 or Backspace to take an image back out of a bin, and Ctrl+Z to "
                            "undo. Images that fit no bin may stay where they are. When you are "
                            "done, press Enter or Submit.\n\n"
                            "First comes a practice grid, which is not recorded.");
  else
    setup->instructions = _("You will see a grid of images and numbered bins. Put images that "
                            "look alike into the same bin. Drag them with the mouse, or move "
                            "between images with the arrow keys and press a bin’s number. Press "
                            "0 or Backspace to take an image back out of a bin, and Ctrl+Z to "
                            "undo. Images that fit no bin may stay where they are. When you are "
                            "done, press Enter or Submit.");
}

/**
 * lk_study_dup_passphrase:
 *
 * Returns: (transfer full) (nullable): the passphrase the experimenter must type to leave study
 *   mode, or %NULL when the study has none (leaving then only asks for confirmation)
 */
char *
lk_study_dup_passphrase (LkStudy *self)
{
  g_return_val_if_fail (LK_IS_STUDY (self), NULL);

  load_settings (self);

  return g_strdup (self->settings.passphrase);
}

/**
 * lk_study_set_session_settings:
 * @settings: the study's session settings from now on
 *
 * Writes the session settings into the study file (in one transaction), where
 * lk_study_get_setup() and lk_study_dup_passphrase() read them. The passphrase is stored as
 * typed: it keeps participants in the session, it does not protect the file, which anyone with
 * access can read anyway.
 *
 * Returns: %FALSE with @error set if the study file could not be written, or the settings do
 *   not fit the study (more grids per participant than its budget)
 */
gboolean
lk_study_set_session_settings (LkStudy                  *self,
                               const LkSessionSettings  *settings,
                               GError                  **error)
{
  g_return_val_if_fail (LK_IS_STUDY (self), FALSE);
  g_return_val_if_fail (settings != NULL, FALSE);

  if (self->store == NULL)
    {
      g_set_error (error, LK_STORE_ERROR, LK_STORE_ERROR_FAILED,
                   "The study is closed - %s", self->path);
      return FALSE;
    }

  return lk_store_save_session_settings (self->store, settings, error);
}

/**
 * lk_study_close:
 *
 * Closes the study file and releases its lock now rather than when the last reference goes.
 * The study must not be used for saving afterwards.
 */
void
lk_study_close (LkStudy *self)
{
  g_return_if_fail (LK_IS_STUDY (self));

  stop_decoder (self);
  g_clear_pointer (&self->store, lk_store_close);
}

/**
 * lk_study_error_heading:
 * @error: an error from lk_study_open() or a save
 *
 * Returns: a short translated heading for a dialog whose body is @error's message
 */
const char *
lk_study_error_heading (const GError *error)
{
  g_return_val_if_fail (error != NULL, NULL);

  if (g_error_matches (error, LK_SESSION_ERROR, LK_SESSION_ERROR_PARTICIPANT_DONE))
    return _("This Participant Has Finished");
  if (error->domain == LK_CORE_ERROR)
    return _("The Study Cannot Run With Its Parameters");
  if (error->domain != LK_STORE_ERROR)
    return _("The Study Could Not Be Opened");

  switch ((LkStoreError) error->code)
    {
    case LK_STORE_ERROR_NOT_FOUND:    return _("The Study File Does Not Exist");
    case LK_STORE_ERROR_NOT_A_STUDY:  return _("This Is Not a Likeness Study");
    case LK_STORE_ERROR_DAMAGED:      return _("The Study File Is Damaged");
    case LK_STORE_ERROR_TOO_NEW:      return _("The Study Needs a Newer Likeness");
    case LK_STORE_ERROR_LOCKED:       return _("The Study Is Already Open");
    case LK_STORE_ERROR_READ_ONLY:    return _("The Study Cannot Be Written");
    case LK_STORE_ERROR_MOVED:        return _("The Study File Was Moved or Deleted");
    case LK_STORE_ERROR_DISK_FULL:    return _("The Disk Is Full");
    case LK_STORE_ERROR_IO:           return _("The Disk Reported an Error");
    case LK_STORE_ERROR_EXISTS:       return _("A File of That Name Exists");
    case LK_STORE_ERROR_UNFINISHED:   return _("The Study Was Not Finished Being Created");
    case LK_STORE_ERROR_FAILED:
    case LK_STORE_ERROR_INVALID:
    case LK_STORE_ERROR_PARSE:
    default:                          return _("The Study Could Not Be Opened");
    }
}

/**
 * lk_study_set_texture_cache_size:
 * @size: how many textures to keep, at least 1
 *
 * For tests: the cache's bound (TEXTURE_CACHE by default).
 */
void
lk_study_set_texture_cache_size (LkStudy *self,
                                 guint    size)
{
  g_return_if_fail (LK_IS_STUDY (self));
  g_return_if_fail (size > 0);

  self->cache_size = size;
}

/**
 * lk_study_get_n_textures:
 *
 * Returns: how many textures the study keeps now
 */
guint
lk_study_get_n_textures (LkStudy *self)
{
  g_return_val_if_fail (LK_IS_STUDY (self), 0);

  return g_hash_table_size (self->textures);
}

/**
 * lk_study_get_n_decoded:
 *
 * Returns: how many images the decoder thread has made textures of
 */
guint
lk_study_get_n_decoded (LkStudy *self)
{
  g_return_val_if_fail (LK_IS_STUDY (self), 0);

  return g_atomic_int_get (&self->n_decoded);
}

/**
 * lk_study_get_n_decoded_here:
 *
 * Returns: how many textures were decoded on the main thread, when asked for, because the
 *   decoder had not made them ahead
 */
guint
lk_study_get_n_decoded_here (LkStudy *self)
{
  g_return_val_if_fail (LK_IS_STUDY (self), 0);

  return self->n_decoded_here;
}

/**
 * lk_study_wait_decoded:
 *
 * For tests and benchmarks: returns once the decoder has nothing left to do.
 */
void
lk_study_wait_decoded (LkStudy *self)
{
  g_return_if_fail (LK_IS_STUDY (self));

  g_mutex_lock (&self->lock);
  while (self->decoder != NULL && self->n_queued > 0)
    g_cond_wait (&self->done, &self->lock);
  g_mutex_unlock (&self->lock);
}
