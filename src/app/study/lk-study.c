/* lk-study.c — an open study file: its images for the sorting screen, and its settings
 *
 * The study owns the LkStore (and with it the study's writer lock) for as long as a window
 * shows it; sessions and savers hold a reference to the study, never to the store alone.
 * Thumbnails (at most 256 px, made at import) are what the grid shows, so the sorting screen
 * never decodes a full-size image. The textures made of them are kept for the images shown
 * last only (TEXTURE_CACHE of them, about 60 MB): a study stays open across a lab's sessions,
 * and one texture per image ever shown would grow by some 150 MB a participant on a large
 * collection. A tile keeps its own reference, so an image on screen never loses its texture.
 * A texture let go is decoded again, on the main thread, when its image comes back: on 1000
 * images (bench-submit --frames) the main thread's median per submit was 10.7 to 14.4 ms in
 * runs with this bound and with 1200, the difference within the runs' spread.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "lk-collection.h"
#include "lk-error.h"
#include "lk-study-private.h"

/* Textures kept: a dozen grids of 20. */
#define TEXTURE_CACHE 240

struct _LkStudy
{
  GObject     parent_instance;

  LkStore    *store;
  char       *path;
  guint       n_items;
  GHashTable *textures;    /* item -> GdkTexture, for the items in recent */
  GQueue      recent;      /* items, most recently used first */
  guint       cache_size;  /* at most this many textures are kept */
  LkSessionSettings settings; /* as lk_study_get_setup() read them last: its strings */
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

static GdkTexture *
study_dup_texture (LkImageSource *source,
                      guint          item)
{
  LkStudy *self = LK_STUDY (source);
  GdkTexture *texture = g_hash_table_lookup (self->textures, GUINT_TO_POINTER (item));

  if (texture != NULL)
    {
      /* Used again: to the front of the queue. */
      g_queue_remove (&self->recent, GUINT_TO_POINTER (item));
      g_queue_push_head (&self->recent, GUINT_TO_POINTER (item));
    }
  else
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GdkPixbuf) pixbuf = lk_collection_get_thumbnail (self->store, item, &error);

      if (pixbuf != NULL)
        texture = gdk_texture_new_for_pixbuf (pixbuf);
      else
        {
          g_debug ("no thumbnail for item %u: %s", item, error->message);
          texture = placeholder ();
        }
      g_hash_table_insert (self->textures, GUINT_TO_POINTER (item), texture);
      g_queue_push_head (&self->recent, GUINT_TO_POINTER (item));
      while (self->recent.length > self->cache_size)
        g_hash_table_remove (self->textures, g_queue_pop_tail (&self->recent));
    }

  return g_object_ref (texture);
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
}

static void
lk_study_finalize (GObject *object)
{
  LkStudy *self = (LkStudy *)object;

  g_clear_pointer (&self->textures, g_hash_table_unref);
  g_queue_clear (&self->recent);
  g_clear_pointer (&self->store, lk_store_close);
  g_clear_pointer (&self->path, g_free);
  lk_session_settings_clear (&self->settings);

  G_OBJECT_CLASS (lk_study_parent_class)->finalize (object);
}

static void
lk_study_class_init (LkStudyClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = lk_study_finalize;
}

static void
lk_study_init (LkStudy *self)
{
  lk_session_settings_init (&self->settings);
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
  LkStoreCounts counts = { 0 };

  g_return_val_if_fail (store != NULL, NULL);

  self = g_object_new (LK_TYPE_STUDY, NULL);
  self->store = store;
  self->path = g_strdup (lk_store_get_path (store));
  if (!lk_store_get_counts (store, &counts, NULL))
    counts.images = 0;
  self->n_items = counts.images;
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
