/* lk-collection-decode.c — reading one image file for the import: its hash, size and thumbnail
 *
 * Each file is read once, in 64 KiB chunks that feed both the SHA-256 (GChecksum) and a
 * GdkPixbufLoader. The loader's size-prepared signal sees the header first: an image over the
 * pixel limit is refused there (size 0 x 0 stops the loader before it allocates), and the others
 * are asked for a thumbnail-sized result, which the JPEG loader decodes at reduced scale.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "lk-collection.h"

#include "lk-store-private.h"

#define CHUNK_SIZE (64 * 1024)
#define TAIL_SIZE 4096

typedef struct {
  int      width;
  int      height;
  gint64   limit;       /* the pixel limit that applied: JPEG's or every other format's */
  gboolean too_large;
} Header;

static void
size_prepared_cb (GdkPixbufLoader *loader,
                  int              width,
                  int              height,
                  gpointer         user_data)
{
  Header *header = user_data;
  GdkPixbufFormat *format = gdk_pixbuf_loader_get_format (loader);
  gboolean jpeg = format != NULL && g_strcmp0 (gdk_pixbuf_format_get_name (format), "jpeg") == 0;
  gint64 limit = jpeg ? LK_COLLECTION_MAX_PIXELS_JPEG : LK_COLLECTION_MAX_PIXELS;
  int longest = MAX (width, height);

  header->width = width;
  header->height = height;
  header->limit = limit;
  if (width <= 0 || height <= 0 || (gint64) width * height > limit)
    {
      /* 0 x 0 tells the loader to stop before it allocates the image. */
      header->too_large = TRUE;
      gdk_pixbuf_loader_set_size (loader, 0, 0);
      return;
    }
  if (longest > LK_COLLECTION_THUMBNAIL_SIZE)
    gdk_pixbuf_loader_set_size (loader,
                                MAX (1, (gint64) width * LK_COLLECTION_THUMBNAIL_SIZE / longest),
                                MAX (1, (gint64) height * LK_COLLECTION_THUMBNAIL_SIZE / longest));
}

/* Frees what @d holds. */
void
lk_collection_decoded_clear (LkDecodedImage *d)
{
  g_free (d->sha256);
  g_free (d->format);
  g_clear_pointer (&d->png, g_bytes_unref);
}

/* Returns TRUE unless @tail, the last bytes of a @format file, shows it was cut short.
 * GdkPixbuf's PNG and JPEG loaders quietly return a partial image for a truncated file (the
 * missing rows are blank), so the end markers are checked here: PNG's IEND chunk and JPEG's
 * EOI marker. Other formats rely on the loader's own errors. */
static gboolean
contains (const guint8 *haystack,
          gsize         n,
          const char   *needle,
          gsize         m)
{
  for (gsize i = 0; i + m <= n; i++)
    if (memcmp (haystack + i, needle, m) == 0)
      return TRUE;

  return FALSE;
}

static gboolean
looks_complete (const char   *format,
                const guint8 *tail,
                gsize         n)
{
  if (g_strcmp0 (format, "png") == 0)
    return contains (tail, n, "IEND", 4);
  if (g_strcmp0 (format, "jpeg") == 0)
    return contains (tail, n, "\xff\xd9", 2);

  return TRUE;
}

/* Returns the skip reason of an image over its format's pixel limit, citing that limit. */
static char *
too_large (const Header *header)
{
  return g_strdup_printf ("too large: %d x %d pixels (the limit is %d megapixels%s)",
                          header->width, header->height, (int) (header->limit / 1000000),
                          header->limit == LK_COLLECTION_MAX_PIXELS_JPEG ? " for JPEG" : "");
}

/* Returns the name of a known image format that the loaders here do not read, from the file's
 * first bytes, or NULL: such files are "unsupported", not "not an image". */
static const char *
unsupported_format (const guint8 *head,
                    gsize         len)
{
  static const char *heif_brands[] = { "heic", "heix", "hevc", "heim", "heis", "mif1", "msf1" };

  if (len >= 12 && memcmp (head, "RIFF", 4) == 0 && memcmp (head + 8, "WEBP", 4) == 0)
    return "WebP";
  if (len >= 12 && memcmp (head + 4, "ftyp", 4) == 0)
    {
      if (memcmp (head + 8, "avif", 4) == 0 || memcmp (head + 8, "avis", 4) == 0)
        return "AVIF";
      for (guint i = 0; i < G_N_ELEMENTS (heif_brands); i++)
        if (memcmp (head + 8, heif_brands[i], 4) == 0)
          return "HEIF";
    }
  if ((len >= 2 && head[0] == 0xff && head[1] == 0x0a) ||
      (len >= 12 && memcmp (head, "\0\0\0\x0cJXL \r\n\x87\n", 12) == 0))
    return "JPEG XL";

  return NULL;
}

/* Returns the skip reason of a file no loader recognised: an unsupported format by its name,
 * else not an image. */
static char *
not_an_image (const guint8 *head,
              gsize         len,
              const char   *detail)
{
  const char *name = unsupported_format (head, len);

  if (name != NULL)
    return g_strdup_printf ("unsupported format (%s); convert it to PNG or JPEG", name);

  return g_strdup_printf ("not an image (%s)", detail);
}

/* Reads @file once, hashing it and decoding a thumbnail. Returns FALSE with @reason set (a
 * skip) or @error set (cancelled). */
gboolean
lk_collection_decode (GFile           *file,
                      LkDecodedImage  *out,
                      char           **reason,
                      GCancellable    *cancellable,
                      GError         **error)
{
  g_autoptr(GFileInputStream) stream = NULL;
  g_autoptr(GdkPixbufLoader) loader = gdk_pixbuf_loader_new ();
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GdkPixbuf) oriented = NULL;
  g_autofree guint8 *buffer = g_malloc (CHUNK_SIZE);
  guint8 tail[TAIL_SIZE];
  gsize tail_len = 0;
  guint8 head[16];
  gsize head_len = 0;
  g_autofree char *png = NULL;
  gsize png_size = 0;
  Header header = { 0 };
  GdkPixbufFormat *format;
  GdkPixbuf *pixbuf;
  gboolean closed = FALSE;

  g_signal_connect (loader, "size-prepared", G_CALLBACK (size_prepared_cb), &header);

  stream = g_file_read (file, cancellable, &local_error);
  if (stream == NULL)
    {
      /* A loader dropped unclosed warns; close it on every way out. */
      gdk_pixbuf_loader_close (loader, NULL);
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      *reason = g_strdup_printf ("cannot be read (%s)", local_error->message);
      return FALSE;
    }

  for (;;)
    {
      gssize n = g_input_stream_read (G_INPUT_STREAM (stream), buffer, CHUNK_SIZE, cancellable,
                                      &local_error);

      if (n < 0)
        {
          gdk_pixbuf_loader_close (loader, NULL);
          if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
            {
              g_propagate_error (error, g_steal_pointer (&local_error));
              return FALSE;
            }
          *reason = g_strdup_printf ("cannot be read (%s)", local_error->message);
          return FALSE;
        }
      if (n == 0)
        break;
      if (head_len < sizeof head)
        {
          gsize take = MIN (sizeof head - head_len, (gsize) n);

          memcpy (head + head_len, buffer, take);
          head_len += take;
        }
      g_checksum_update (checksum, buffer, n);
      if ((gsize) n >= TAIL_SIZE)
        {
          memcpy (tail, buffer + n - TAIL_SIZE, TAIL_SIZE);
          tail_len = TAIL_SIZE;
        }
      else
        {
          gsize keep = MIN (tail_len, TAIL_SIZE - (gsize) n);

          memmove (tail, tail + tail_len - keep, keep);
          memcpy (tail + keep, buffer, n);
          tail_len = keep + n;
        }
      if (!gdk_pixbuf_loader_write (loader, buffer, n, &local_error) || header.too_large)
        {
          gdk_pixbuf_loader_close (loader, NULL);
          if (header.too_large)
            *reason = too_large (&header);
          else if (gdk_pixbuf_loader_get_format (loader) == NULL)
            *reason = not_an_image (head, head_len, local_error->message);
          else
            *reason = g_strdup_printf ("damaged image (%s)", local_error->message);
          return FALSE;
        }
    }

  closed = gdk_pixbuf_loader_close (loader, &local_error);
  pixbuf = gdk_pixbuf_loader_get_pixbuf (loader);
  format = gdk_pixbuf_loader_get_format (loader);
  if (header.too_large)
    {
      *reason = too_large (&header);
      return FALSE;
    }
  if (format == NULL)
    {
      *reason = not_an_image (head, head_len, local_error != NULL ? local_error->message
                                                                  : "unknown format");
      return FALSE;
    }
  if (!closed || pixbuf == NULL)
    {
      *reason = g_strdup_printf ("damaged or truncated image (%s)",
                                 local_error != NULL ? local_error->message : "no image data");
      return FALSE;
    }
  if (!looks_complete (gdk_pixbuf_format_get_name (format), tail, tail_len))
    {
      *reason = g_strdup_printf ("damaged or truncated image (the %s data ends early)",
                                 gdk_pixbuf_format_get_name (format));
      return FALSE;
    }

  oriented = gdk_pixbuf_apply_embedded_orientation (pixbuf);
  if (!gdk_pixbuf_save_to_buffer (oriented, &png, &png_size, "png", &local_error,
                                  "compression", "3", NULL))
    {
      *reason = g_strdup_printf ("could not make a thumbnail (%s)", local_error->message);
      return FALSE;
    }

  out->sha256 = g_strdup (g_checksum_get_string (checksum));
  out->width = header.width;
  out->height = header.height;
  out->format = g_strdup (format != NULL ? gdk_pixbuf_format_get_name (format) : "unknown");
  out->png = g_bytes_new_take (g_steal_pointer (&png), png_size);
  out->thumb_width = gdk_pixbuf_get_width (oriented);
  out->thumb_height = gdk_pixbuf_get_height (oriented);

  return TRUE;
}
