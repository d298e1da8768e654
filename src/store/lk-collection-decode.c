/* lk-collection-decode.c — reading one image file for the import: its hash, size and thumbnail
 *
 * Each file is read once, in 64 KiB chunks that feed the SHA-256 (GChecksum) and a decoder. A
 * JPEG (a file that starts with its SOI marker) is decoded by libjpeg directly, once, at the
 * DCT scale the thumbnail needs, hearing libjpeg's warnings to tell a file cut short
 * (lk-jpeg.c). Any other file goes to a GdkPixbufLoader: its size-prepared signal sees the
 * header first, an image over the pixel limit is refused there (size 0 x 0 stops the loader
 * before it allocates), and the others are asked for a thumbnail-sized result.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <math.h>
#include <string.h>

#include "lk-collection.h"
#include "lk-jpeg.h"

#include "lk-store-private.h"

#define CHUNK_SIZE (64 * 1024)
#define TAIL_SIZE 4096

typedef struct {
  int       width;
  int       height;
  gint64    limit;       /* the pixel limit that applied: JPEG's or every other format's */
  gboolean  too_large;
  gint64    coefficients; /* bytes a progressive JPEG needs while decoding, or 0 */
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
  if (header->coefficients > 0)
    {
      /* The limit in pixels for this sampling: the memory over the bytes a pixel takes. */
      double per_pixel = (double) header->coefficients / ((double) header->width * header->height);

      return g_strdup_printf ("too large: %d x %d pixels (%.0f megapixels) in a progressive JPEG, "
                              "which is decoded whole; the limit for this one is %.0f megapixels. "
                              "Save it as a baseline (not progressive) JPEG, or smaller",
                              header->width, header->height,
                              (double) header->width * header->height / 1e6,
                              floor ((double) (LK_JPEG_MEMORY - LK_JPEG_MARGIN) /
                                     per_pixel / 1e6));
    }
  return g_strdup_printf ("too large: %d x %d pixels (the limit is %d megapixels%s)",
                          header->width, header->height, (int) (header->limit / 1000000),
                          header->limit == LK_COLLECTION_MAX_PIXELS_JPEG ? " for JPEG" : "");
}

/* Returns the skip reason of an image the loader failed on (@message from @error, or NULL):
 * running out of memory (libjpeg's "Backing store not supported" is its memory limit reached,
 * reported as a corrupt image) is not damage. */
static char *
decode_failed (const GError *error,
               const char   *fallback)
{
  const char *message = error != NULL ? error->message : fallback;

  if (error != NULL &&
      (g_error_matches (error, GDK_PIXBUF_ERROR, GDK_PIXBUF_ERROR_INSUFFICIENT_MEMORY) ||
       strstr (error->message, "Backing store") != NULL))
    return g_strdup_printf ("too large to decode in the memory the image loader allows (%s); "
                            "save it smaller, or as a baseline JPEG if it is a progressive one",
                            message);

  return g_strdup_printf ("damaged or truncated image (%s)", message);
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

/* The file as it is read: every byte goes through reader_read(), which feeds the SHA-256 and
 * keeps the first and last bytes. */
typedef struct {
  GInputStream *stream;
  GCancellable *cancellable;
  GChecksum    *checksum;
  GError       *error;          /* a read error or the cancellation, once one happened */
  guint8        head[16];
  gsize         head_len;
  guint8        tail[TAIL_SIZE];
  gsize         tail_len;
  const guint8 *pending;        /* bytes already read (and hashed) but not handed on yet */
  gsize         pending_len;
} Reader;

static gssize
reader_read (Reader *r,
             guint8 *buffer,
             gsize   size)
{
  gssize n;

  if (r->pending_len > 0)
    {
      n = (gssize) MIN (size, r->pending_len);
      memcpy (buffer, r->pending, n);
      r->pending += n;
      r->pending_len -= n;
      return n;
    }
  if (r->error != NULL)
    return -1;
  n = g_input_stream_read (r->stream, buffer, size, r->cancellable, &r->error);
  if (n <= 0)
    return n;
  if (r->head_len < sizeof r->head)
    {
      gsize take = MIN (sizeof r->head - r->head_len, (gsize) n);

      memcpy (r->head + r->head_len, buffer, take);
      r->head_len += take;
    }
  g_checksum_update (r->checksum, buffer, n);
  if ((gsize) n >= TAIL_SIZE)
    {
      memcpy (r->tail, buffer + n - TAIL_SIZE, TAIL_SIZE);
      r->tail_len = TAIL_SIZE;
    }
  else
    {
      gsize keep = MIN (r->tail_len, TAIL_SIZE - (gsize) n);

      memmove (r->tail, r->tail + r->tail_len - keep, keep);
      memcpy (r->tail + keep, buffer, n);
      r->tail_len = keep + n;
    }

  return n;
}

static gssize
jpeg_read_cb (guint8   *buffer,
              gsize     size,
              gpointer  user_data)
{
  return reader_read (user_data, buffer, size);
}

/* Returns FALSE, with @error set (cancelled) or @reason (any other read error), for the read
 * error @r holds. */
static gboolean
read_failed (Reader   *r,
             char    **reason,
             GError  **error)
{
  if (g_error_matches (r->error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_propagate_error (error, g_steal_pointer (&r->error));
      return FALSE;
    }
  *reason = g_strdup_printf ("cannot be read (%s)", r->error != NULL ? r->error->message
                                                                     : "unknown error");
  g_clear_error (&r->error);
  return FALSE;
}

/* Decodes the JPEG @r is reading (its first chunk pending), once: the thumbnail and the
 * truncation check in one pass of libjpeg (lk-jpeg.c). Returns the thumbnail, or NULL with
 * @reason or @error set as lk_collection_decode() does. */
static GdkPixbuf *
decode_jpeg (Reader          *r,
             guint8          *buffer,
             LkDecodedImage  *out,
             char           **reason,
             GError         **error)
{
  LkJpegInfo info;
  GdkPixbuf *thumbnail = NULL;
  LkJpegStatus status = lk_jpeg_decode_thumbnail (jpeg_read_cb, r, LK_COLLECTION_THUMBNAIL_SIZE,
                                                  LK_COLLECTION_MAX_PIXELS_JPEG, &info,
                                                  &thumbnail);
  g_autofree char *message = g_steal_pointer (&info.message);
  Header header = { info.width, info.height, LK_COLLECTION_MAX_PIXELS_JPEG, TRUE,
                    status == LK_JPEG_TOO_MUCH_MEMORY ? info.coefficients : 0 };
  gssize n;

  switch (status)
    {
    case LK_JPEG_READ_FAILED:
      read_failed (r, reason, error);
      return NULL;
    case LK_JPEG_TOO_MANY_PIXELS:
    case LK_JPEG_TOO_MUCH_MEMORY:
      *reason = too_large (&header);
      return NULL;
    case LK_JPEG_FAILED:
      if (r->error != NULL)
        {
          read_failed (r, reason, error);
          return NULL;
        }
      if (strstr (message, "Backing store") != NULL ||
          strstr (message, "Insufficient memory") != NULL)
        *reason = g_strdup_printf ("too large to decode in the memory the image loader allows "
                                   "(%s); save it smaller, or as a baseline JPEG if it is a "
                                   "progressive one", message);
      else
        *reason = g_strdup_printf ("damaged or truncated image (Error interpreting JPEG image "
                                   "file (%s))", message);
      return NULL;
    case LK_JPEG_CUT:
    case LK_JPEG_DECODED:
    default:
      break;
    }

  /* libjpeg stops at the end of the image: the rest of the file still counts for the hash and
   * the end marker. */
  while ((n = reader_read (r, buffer, CHUNK_SIZE)) > 0)
    ;
  if (n < 0)
    {
      g_clear_object (&thumbnail);
      read_failed (r, reason, error);
      return NULL;
    }
  if (!looks_complete ("jpeg", r->tail, r->tail_len))
    {
      g_clear_object (&thumbnail);
      *reason = g_strdup ("damaged or truncated image (the jpeg data ends early)");
      return NULL;
    }
  if (status == LK_JPEG_CUT)
    {
      *reason = g_strdup ("truncated image (the JPEG data stops before the end of the picture; "
                          "the rest would be blank)");
      return NULL;
    }
  out->width = info.width;
  out->height = info.height;

  return thumbnail;
}

/* Decodes the file @r is reading with a GdkPixbufLoader, its first @n bytes in @buffer.
 * Returns the thumbnail, or NULL with @reason or @error set as lk_collection_decode() does. */
static GdkPixbuf *
decode_pixbuf (Reader          *r,
               guint8          *buffer,
               gssize           n,
               LkDecodedImage  *out,
               char           **reason,
               GError         **error)
{
  g_autoptr(GdkPixbufLoader) loader = gdk_pixbuf_loader_new ();
  g_autoptr(GError) local_error = NULL;
  Header header = { 0 };
  GdkPixbufFormat *format;
  GdkPixbuf *pixbuf;
  gboolean closed;

  g_signal_connect (loader, "size-prepared", G_CALLBACK (size_prepared_cb), &header);
  for (; n > 0; n = reader_read (r, buffer, CHUNK_SIZE))
    if (!gdk_pixbuf_loader_write (loader, buffer, n, &local_error) || header.too_large)
      {
        gdk_pixbuf_loader_close (loader, NULL);
        if (header.too_large)
          *reason = too_large (&header);
        else if (gdk_pixbuf_loader_get_format (loader) == NULL)
          *reason = not_an_image (r->head, r->head_len, local_error->message);
        else
          *reason = decode_failed (local_error, NULL);
        return NULL;
      }
  if (n < 0)
    {
      /* A loader dropped unclosed warns; close it on every way out. */
      gdk_pixbuf_loader_close (loader, NULL);
      read_failed (r, reason, error);
      return NULL;
    }

  closed = gdk_pixbuf_loader_close (loader, &local_error);
  pixbuf = gdk_pixbuf_loader_get_pixbuf (loader);
  format = gdk_pixbuf_loader_get_format (loader);
  if (header.too_large)
    {
      *reason = too_large (&header);
      return NULL;
    }
  if (format == NULL)
    {
      *reason = not_an_image (r->head, r->head_len, local_error != NULL ? local_error->message
                                                                        : "unknown format");
      return NULL;
    }
  if (!closed || pixbuf == NULL)
    {
      *reason = decode_failed (local_error, "no image data");
      return NULL;
    }
  if (!looks_complete (gdk_pixbuf_format_get_name (format), r->tail, r->tail_len))
    {
      *reason = g_strdup_printf ("damaged or truncated image (the %s data ends early)",
                                 gdk_pixbuf_format_get_name (format));
      return NULL;
    }
  out->width = header.width;
  out->height = header.height;
  out->format = g_strdup (gdk_pixbuf_format_get_name (format));

  return gdk_pixbuf_apply_embedded_orientation (pixbuf);
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
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GdkPixbuf) thumbnail = NULL;
  g_autofree guint8 *buffer = g_malloc (CHUNK_SIZE);
  g_autofree char *png = NULL;
  gsize png_size = 0;
  Reader r = { 0 };
  gssize n;

  stream = g_file_read (file, cancellable, &local_error);
  if (stream == NULL)
    {
      r.error = g_steal_pointer (&local_error);
      return read_failed (&r, reason, error);
    }
  r.stream = G_INPUT_STREAM (stream);
  r.cancellable = cancellable;
  r.checksum = checksum;

  n = reader_read (&r, buffer, CHUNK_SIZE);
  if (n < 0)
    return read_failed (&r, reason, error);
  /* SOI: what GdkPixbuf's JPEG loader recognises a JPEG by, and what libjpeg requires. */
  if (n >= 2 && buffer[0] == 0xff && buffer[1] == 0xd8)
    {
      r.pending = buffer;
      r.pending_len = n;
      thumbnail = decode_jpeg (&r, buffer, out, reason, error);
      if (thumbnail != NULL)
        out->format = g_strdup ("jpeg");
    }
  else
    thumbnail = decode_pixbuf (&r, buffer, n, out, reason, error);
  g_clear_error (&r.error);
  if (thumbnail == NULL)
    return FALSE;

  if (!gdk_pixbuf_save_to_buffer (thumbnail, &png, &png_size, "png", &local_error,
                                  "compression", "3", NULL))
    {
      g_clear_pointer (&out->format, g_free);
      *reason = g_strdup_printf ("could not make a thumbnail (%s)", local_error->message);
      return FALSE;
    }

  out->sha256 = g_strdup (g_checksum_get_string (checksum));
  out->png = g_bytes_new_take (g_steal_pointer (&png), png_size);
  out->thumb_width = gdk_pixbuf_get_width (thumbnail);
  out->thumb_height = gdk_pixbuf_get_height (thumbnail);

  return TRUE;
}
