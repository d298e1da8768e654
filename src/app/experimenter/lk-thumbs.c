/* lk-thumbs.c — small pictures and names of a collection's items for the Cairo views
 *
 * A study file's items also have names (their paths in the collection's folder) and folders:
 * the views show the names (hover, k-NN strip, search) and colour points by folder, the
 * collection's natural labels.
 *
 * Either solid colours (the colour datasets: the item is its colour) or small image surfaces
 * made once from an LkImageSource's textures, or from a study file's stored thumbnails on a
 * worker thread, so drawing thousands of items per frame only scales ready surfaces and never
 * decodes an image.
 *
 * lk_thumbs_blit() is the views' fast path on screen: it writes an item's square straight into
 * an ARGB32 buffer at whole pixels, a fill for a colour, and for a picture a nearest-pixel
 * sampling of the smallest of its halvings (2 x 2 box means, made on first use) that is still
 * at least as large as the square. Painting 2000 thumbnails through Cairo one by one costs
 * milliseconds a frame; this costs a fraction of one (bench-embedding-pan).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n.h>
#include <string.h>

#include "lk-collection.h"
#include "lk-thumbs.h"

struct _LkThumbs
{
  guint             n_items;
  double           *rgb;        /* n x 3, or NULL */
  cairo_surface_t **surfaces;   /* n, or NULL */
  guint             size;
  guint32         **mips;       /* n, or NULL: each item's halvings, made on first use */
  char            **names;      /* n paths in the collection's folder, or NULL */
  guint            *folders;    /* n folder indices, or NULL */
  char            **folder_names; /* n_folders, sorted, NULL-terminated */
  guint             n_folders;
};

/* The edges of the halvings of a @size thumbnail: size / 2, size / 4… down to 4 pixels. */
static guint
n_mip_levels (guint size)
{
  guint n = 0;

  for (guint e = size / 2; e >= 4; e /= 2)
    n++;

  return n;
}

static void
thumbs_clear (gpointer data)
{
  LkThumbs *self = data;

  if (self->surfaces != NULL)
    for (guint i = 0; i < self->n_items; i++)
      cairo_surface_destroy (self->surfaces[i]);
  if (self->mips != NULL)
    for (guint i = 0; i < self->n_items; i++)
      g_free (self->mips[i]);
  g_free (self->mips);
  g_free (self->surfaces);
  g_free (self->rgb);
  g_strfreev (self->names);
  g_free (self->folders);
  g_strfreev (self->folder_names);
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* Sets @self's folders from its names: each item's folder, an index into the sorted folder
 * names ("" for the collection's own folder). */
static void
set_folders (LkThumbs *self)
{
  g_autoptr(GHashTable) index = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  g_auto(GStrv) dirs = g_new0 (char *, self->n_items + 1);

  for (guint i = 0; i < self->n_items; i++)
    {
      const char *slash = self->names[i] != NULL ? strrchr (self->names[i], '/') : NULL;

      dirs[i] = slash != NULL ? g_strndup (self->names[i], slash - self->names[i]) : g_strdup ("");
      if (!g_hash_table_contains (index, dirs[i]))
        {
          g_hash_table_add (index, g_strdup (dirs[i]));
          g_ptr_array_add (names, g_strdup (dirs[i]));
        }
    }
  g_ptr_array_sort (names, compare_strings);
  for (guint f = 0; f < names->len; f++)
    g_hash_table_insert (index, g_strdup (g_ptr_array_index (names, f)), GUINT_TO_POINTER (f));
  self->n_folders = names->len;
  self->folders = g_new (guint, self->n_items);
  for (guint i = 0; i < self->n_items; i++)
    self->folders[i] = GPOINTER_TO_UINT (g_hash_table_lookup (index, dirs[i]));
  g_ptr_array_add (names, NULL);
  self->folder_names = (char **) g_ptr_array_free (g_steal_pointer (&names), FALSE);
}

/**
 * lk_thumbs_new_from_colours:
 * @rgb: (array): @n_items x 3 colours in [0, 1]
 *
 * Returns: (transfer full): thumbnails that are solid colours
 */
LkThumbs *
lk_thumbs_new_from_colours (const double *rgb,
                            guint         n_items)
{
  LkThumbs *self = g_atomic_rc_box_new0 (LkThumbs);

  self->n_items = n_items;
  self->rgb = g_memdup2 (rgb, sizeof (double) * 3 * n_items);

  return self;
}

/* Returns @full (taken) scaled to a @size x @size surface. */
static cairo_surface_t *
scale_to_square (cairo_surface_t *full,
                 guint            size)
{
  cairo_surface_t *small = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, size, size);
  cairo_t *cr = cairo_create (small);

  cairo_scale (cr, (double) size / cairo_image_surface_get_width (full),
               (double) size / cairo_image_surface_get_height (full));
  cairo_set_source_surface (cr, full, 0, 0);
  cairo_pattern_set_filter (cairo_get_source (cr), CAIRO_FILTER_GOOD);
  cairo_paint (cr);
  cairo_destroy (cr);
  cairo_surface_destroy (full);

  return small;
}

/**
 * lk_thumbs_new_from_source:
 * @size: edge of the small surfaces, in pixels
 *
 * Scales every texture of @source down once.
 *
 * Returns: (transfer full): the thumbnails
 */
LkThumbs *
lk_thumbs_new_from_source (LkImageSource *source,
                           guint          size)
{
  LkThumbs *self = g_atomic_rc_box_new0 (LkThumbs);

  self->n_items = lk_image_source_get_n_items (source);
  self->size = size;
  self->surfaces = g_new0 (cairo_surface_t *, self->n_items);
  for (guint i = 0; i < self->n_items; i++)
    {
      g_autoptr(GdkTexture) texture = lk_image_source_dup_texture (source, i);
      int w = gdk_texture_get_width (texture), h = gdk_texture_get_height (texture);
      cairo_surface_t *full = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, w, h);

      gdk_texture_download (texture, cairo_image_surface_get_data (full),
                            cairo_image_surface_get_stride (full));
      cairo_surface_mark_dirty (full);
      self->surfaces[i] = scale_to_square (full, size);
    }

  return self;
}

LkThumbs *
lk_thumbs_ref (LkThumbs *self)
{
  return g_atomic_rc_box_acquire (self);
}

void
lk_thumbs_unref (LkThumbs *self)
{
  g_atomic_rc_box_release_full (self, thumbs_clear);
}

guint
lk_thumbs_get_n_items (LkThumbs *self)
{
  return self->n_items;
}

/**
 * lk_thumbs_paint:
 *
 * Paints item @item as a square of edge @size centred on (@cx, @cy).
 */
void
lk_thumbs_paint (LkThumbs *self,
                 cairo_t  *cr,
                 guint     item,
                 double    cx,
                 double    cy,
                 double    size)
{
  g_return_if_fail (self != NULL && item < self->n_items);

  if (self->rgb != NULL)
    {
      cairo_set_source_rgb (cr, self->rgb[3 * item], self->rgb[3 * item + 1],
                            self->rgb[3 * item + 2]);
      cairo_rectangle (cr, cx - size / 2, cy - size / 2, size, size);
      cairo_fill (cr);
      return;
    }

  cairo_save (cr);
  cairo_translate (cr, cx - size / 2, cy - size / 2);
  cairo_scale (cr, size / self->size, size / self->size);
  cairo_set_source_surface (cr, self->surfaces[item], 0, 0);
  cairo_pattern_set_filter (cairo_get_source (cr),
                            size < self->size ? CAIRO_FILTER_FAST : CAIRO_FILTER_GOOD);
  cairo_paint (cr);
  cairo_restore (cr);
}

/* Returns a @size x @size ARGB32 surface of @pixbuf, scaled to fill it (the thread-safe way:
 * no GDK call). */
static cairo_surface_t *
surface_from_pixbuf (GdkPixbuf *pixbuf,
                     guint      size)
{
  int w = gdk_pixbuf_get_width (pixbuf), h = gdk_pixbuf_get_height (pixbuf);
  int channels = gdk_pixbuf_get_n_channels (pixbuf), stride = gdk_pixbuf_get_rowstride (pixbuf);
  const guchar *pixels = gdk_pixbuf_read_pixels (pixbuf);
  cairo_surface_t *full = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, w, h);
  guchar *data = cairo_image_surface_get_data (full);
  int out_stride = cairo_image_surface_get_stride (full);

  for (int y = 0; y < h; y++)
    {
      const guchar *in = pixels + (gsize) y * stride;
      guint32 *out = (guint32 *) (gpointer) (data + (gsize) y * out_stride);

      for (int x = 0; x < w; x++, in += channels)
        {
          guint a = channels == 4 ? in[3] : 255;

          /* Premultiplied, as cairo wants it. */
          out[x] = a << 24 | (in[0] * a / 255) << 16 | (in[1] * a / 255) << 8 | in[2] * a / 255;
        }
    }
  cairo_surface_mark_dirty (full);

  return scale_to_square (full, size);
}

typedef struct {
  char  *path;
  guint  size;
} StudyJob;

static void
study_job_free (gpointer data)
{
  StudyJob *job = data;

  g_free (job->path);
  g_free (job);
}

/* The worker thread: a read-only connection of its own, each stored thumbnail decoded. */
static void
load_study_run (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  StudyJob *job = task_data;
  g_autoptr(LkStore) store = NULL;
  g_autoptr(LkThumbs) self = NULL;
  GError *error = NULL;
  LkStoreCounts counts;

  store = lk_store_open (job->path, LK_STORE_OPEN_READ_ONLY, &error);
  if (store == NULL || !lk_store_get_counts (store, &counts, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  self = g_atomic_rc_box_new0 (LkThumbs);
  self->n_items = counts.images;
  self->size = job->size;
  self->surfaces = g_new0 (cairo_surface_t *, self->n_items);
  self->names = g_new0 (char *, self->n_items + 1);
  for (guint i = 0; i < self->n_items; i++)
    {
      g_autoptr(GdkPixbuf) pixbuf = NULL;
      g_autoptr(GError) local_error = NULL;

      if (g_task_return_error_if_cancelled (task))
        return;
      self->names[i] = lk_collection_get_image_path (store, i);
      pixbuf = lk_collection_get_thumbnail (store, i, &local_error);
      if (pixbuf != NULL)
        self->surfaces[i] = surface_from_pixbuf (pixbuf, job->size);
      else
        {
          /* A missing thumbnail is drawn as a grey square; the views still work. */
          cairo_t *cr;

          g_debug ("no thumbnail for item %u: %s", i, local_error->message);
          self->surfaces[i] = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, job->size,
                                                          job->size);
          cr = cairo_create (self->surfaces[i]);
          cairo_set_source_rgb (cr, 0.6, 0.6, 0.6);
          cairo_paint (cr);
          cairo_destroy (cr);
        }
    }

  set_folders (self);
  g_task_return_pointer (task, g_steal_pointer (&self), (GDestroyNotify) lk_thumbs_unref);
}

/**
 * lk_thumbs_load_study_async:
 * @path: a study file (it may be open for writing elsewhere: this reads it on its own
 *   read-only connection)
 * @size: edge of the small surfaces, in pixels
 * @cancellable: (nullable): cancels the loading
 *
 * Decodes the study's stored thumbnails on a worker thread, for the views of a study file
 * (lk_thumbs_new_from_source() would decode them on the calling thread).
 */
void
lk_thumbs_load_study_async (const char          *path,
                            guint                size,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  StudyJob *job;

  g_return_if_fail (path != NULL && size > 0);

  job = g_new0 (StudyJob, 1);
  job->path = g_strdup (path);
  job->size = size;
  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, lk_thumbs_load_study_async);
  g_task_set_task_data (task, job, study_job_free);
  g_task_run_in_thread (task, load_study_run);
}

/**
 * lk_thumbs_load_study_finish:
 *
 * Returns: (transfer full): the thumbnails, or %NULL with @error set
 */
LkThumbs *
lk_thumbs_load_study_finish (GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Returns @item's halvings, one after the other (edge size / 2, then size / 4…), made now if
 * need be. Premultiplied ARGB, so plain means are right. */
static const guint32 *
get_mips (LkThumbs *self,
          guint     item)
{
  guint levels = n_mip_levels (self->size), total = 0, e;
  const guint32 *prev;
  int prev_stride;
  guint32 *mips, *level;

  if (self->mips == NULL)
    self->mips = g_new0 (guint32 *, self->n_items);
  if (self->mips[item] != NULL || levels == 0)
    return self->mips[item];

  for (e = self->size / 2; e >= 4; e /= 2)
    total += e * e;
  mips = self->mips[item] = g_new (guint32, total);

  cairo_surface_flush (self->surfaces[item]);
  prev = (const guint32 *) (gpointer) cairo_image_surface_get_data (self->surfaces[item]);
  prev_stride = cairo_image_surface_get_stride (self->surfaces[item]) / 4;
  level = mips;
  for (e = self->size / 2; e >= 4; e /= 2)
    {
      for (guint y = 0; y < e; y++)
        for (guint x = 0; x < e; x++)
          {
            const guint32 *p = prev + (gsize) (2 * y) * prev_stride + 2 * x;
            guint32 q[4] = { p[0], p[1], p[prev_stride], p[prev_stride + 1] }, v = 0;

            for (int c = 0; c < 32; c += 8)
              v |= (((q[0] >> c & 0xff) + (q[1] >> c & 0xff) + (q[2] >> c & 0xff)
                     + (q[3] >> c & 0xff) + 2) / 4) << c;
            level[(gsize) y * e + x] = v;
          }
      prev = level;
      prev_stride = e;
      level += (gsize) e * e;
    }

  return mips;
}

/* Returns @v (premultiplied) over @d. */
static inline guint32
over (guint32 v,
      guint32 d)
{
  guint a = v >> 24, inv = 255 - a;
  guint32 r = 0;

  if (a == 255)
    return v;
  for (int c = 0; c < 32; c += 8)
    r |= MIN (255u, (v >> c & 0xff) + ((d >> c & 0xff) * inv + 127) / 255) << c;

  return r;
}

/**
 * lk_thumbs_blit:
 * @data: (array): an ARGB32 (premultiplied, native endian) buffer of @width x @height pixels
 * @stride: bytes per row of @data
 * @x: (in pixels) left of the square, may be outside the buffer
 * @y: top of the square
 * @size: edge of the square, in pixels
 *
 * Draws item @item over the buffer as a square at whole pixels, clipped to the buffer.
 */
void
lk_thumbs_blit (LkThumbs *self,
                guint     item,
                guint8   *data,
                int       stride,
                int       width,
                int       height,
                int       x,
                int       y,
                int       size)
{
  int x0 = MAX (x, 0), y0 = MAX (y, 0), x1 = MIN (x + size, width), y1 = MIN (y + size, height);
  const guint32 *src;
  guint e, src_stride;

  g_return_if_fail (self != NULL && item < self->n_items);

  if (x0 >= x1 || y0 >= y1)
    return;

  if (self->rgb != NULL)
    {
      guint32 v = 0xff000000u
                  | (guint32) (CLAMP (self->rgb[3 * item], 0, 1) * 255 + 0.5) << 16
                  | (guint32) (CLAMP (self->rgb[3 * item + 1], 0, 1) * 255 + 0.5) << 8
                  | (guint32) (CLAMP (self->rgb[3 * item + 2], 0, 1) * 255 + 0.5);

      for (int r = y0; r < y1; r++)
        {
          guint32 *row = (guint32 *) (gpointer) (data + (gsize) r * stride);

          for (int c = x0; c < x1; c++)
            row[c] = v;
        }
      return;
    }

  /* The smallest halving at least @size wide, else the thumbnail itself. */
  cairo_surface_flush (self->surfaces[item]);
  src = (const guint32 *) (gpointer) cairo_image_surface_get_data (self->surfaces[item]);
  src_stride = cairo_image_surface_get_stride (self->surfaces[item]) / 4;
  e = self->size;
  if (self->size / 2 >= 4 && (guint) size <= self->size / 2)
    {
      const guint32 *level = get_mips (self, item);

      for (guint le = self->size / 2; le >= 4 && (guint) size <= le; le /= 2)
        {
          src = level;
          src_stride = le;
          e = le;
          level += (gsize) le * le;
        }
    }

  for (int r = y0; r < y1; r++)
    {
      guint32 *row = (guint32 *) (gpointer) (data + (gsize) r * stride);
      const guint32 *src_row = src + (gsize) ((guint) (r - y) * e / size) * src_stride;

      for (int c = x0; c < x1; c++)
        row[c] = over (src_row[(guint) (c - x) * e / size], row[c]);
    }
}

/**
 * lk_thumbs_set_names:
 * @names: (array zero-terminated=1): a path in the collection's folder per item ('/'-separated)
 *
 * Names the items (a study's are named as it is loaded); their folders follow from the paths.
 */
void
lk_thumbs_set_names (LkThumbs           *self,
                     const char * const *names)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (names != NULL && g_strv_length ((char **) names) == self->n_items);

  g_strfreev (self->names);
  g_clear_pointer (&self->folders, g_free);
  g_clear_pointer (&self->folder_names, g_strfreev);
  self->names = g_strdupv ((char **) names);
  set_folders (self);
}

/**
 * lk_thumbs_get_name:
 *
 * Returns: (nullable): @item's path in the collection's folder, or %NULL if items have no names
 */
const char *
lk_thumbs_get_name (LkThumbs *self,
                    guint     item)
{
  g_return_val_if_fail (self != NULL && item < self->n_items, NULL);

  return self->names != NULL ? self->names[item] : NULL;
}

/**
 * lk_thumbs_dup_title:
 * @self: (nullable): the thumbnails
 *
 * Returns: (transfer full): @item's file name, or "Image N" when it has none
 */
char *
lk_thumbs_dup_title (LkThumbs *self,
                     guint     item)
{
  const char *name = self != NULL && item < self->n_items ? lk_thumbs_get_name (self, item) : NULL;

  if (name != NULL)
    return g_path_get_basename (name);

  /* Translators: an image without a file name (a demo collection's); %u is its number */
  return g_strdup_printf (_("Image %u"), item);
}

/**
 * lk_thumbs_get_folders:
 * @n_folders: (out): how many folders the items come from
 *
 * Returns: (nullable) (array): each item's folder (an index into the sorted folder names), or
 *   %NULL if items have no names
 */
const guint *
lk_thumbs_get_folders (LkThumbs *self,
                       guint    *n_folders)
{
  g_return_val_if_fail (self != NULL && n_folders != NULL, NULL);

  *n_folders = self->n_folders;

  return self->folders;
}

/**
 * lk_thumbs_get_folder_name:
 *
 * Returns: folder @folder's path in the collection's folder ("" for the collection's own)
 */
const char *
lk_thumbs_get_folder_name (LkThumbs *self,
                           guint     folder)
{
  g_return_val_if_fail (self != NULL && folder < self->n_folders, NULL);

  return self->folder_names[folder];
}

/**
 * lk_thumbs_find:
 * @text: part of a name, any case
 * @after: the item to search after (-1: from the first), so that searching again goes on
 *
 * Returns: the next item, wrapping around, whose path (or, without names, whose title "Image
 *   N") contains @text, or -1 if none does
 */
int
lk_thumbs_find (LkThumbs   *self,
                const char *text,
                int         after)
{
  g_autofree char *needle = NULL;

  g_return_val_if_fail (self != NULL && text != NULL, -1);

  if (text[0] == '\0' || self->n_items == 0)
    return -1;
  needle = g_utf8_casefold (text, -1);
  for (guint k = 1; k <= self->n_items; k++)
    {
      guint i = (guint) (MAX (after, -1) + (int) k) % self->n_items;
      g_autofree char *title = self->names == NULL ? lk_thumbs_dup_title (self, i) : NULL;
      const char *name = self->names != NULL ? self->names[i] : title;
      g_autofree char *folded = name != NULL ? g_utf8_casefold (name, -1) : NULL;

      if (folded != NULL && strstr (folded, needle) != NULL)
        return (int) i;
    }

  return -1;
}
