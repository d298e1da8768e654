/* lk-collection-decode.c — reading one image file for the import: its hash, size and thumbnail
 *
 * Each file is read once, in 64 KiB chunks that feed both the SHA-256 (GChecksum) and a
 * GdkPixbufLoader. The loader's size-prepared signal sees the header first: an image over the
 * pixel limit is refused there (size 0 x 0 stops the loader before it allocates), and the others
 * are asked for a thumbnail-sized result, which the JPEG loader decodes at reduced scale.
 * A JPEG the loader accepted is read once more, by libjpeg, to tell a file cut short
 * (jpeg_was_cut()).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <math.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <glib/gstdio.h>
#include <jpeglib.h>
#include <jerror.h>

#include "lk-collection.h"

#include "lk-store-private.h"

#define CHUNK_SIZE (64 * 1024)
#define TAIL_SIZE 4096

/* What libjpeg may allocate for one image in GdkPixbuf's JPEG loader (its max_memory_to_use;
 * above it libjpeg fails with "Backing store not supported", which read as "damaged"). A
 * progressive JPEG is decoded whole: every DCT coefficient of the image is held (128 bytes a
 * block of 8 x 8 samples) until the last scan, whatever the output size. Measured here with
 * GdkPixbuf 2.42.10 and libjpeg-turbo 2.1.5 on progressive 4:2:0 JPEGs: 18900 x 18900
 * (1,072,386,176 bytes of coefficients) decodes, 18930 x 18930 (1,076,019,328) fails, so the
 * limit is 1 GiB; a margin of 4 MiB leaves room for libjpeg's other, small allocations. */
#define JPEG_DECODER_MEMORY ((gint64) 1 << 30)
#define JPEG_DECODER_MARGIN ((gint64) 4 << 20)

/* The frame header of a JPEG, found by walking its markers as the chunks go by (the loader
 * does not say whether a JPEG is progressive, nor its sampling). */
typedef struct {
  guint   state;
  guint8  marker;
  guint   remaining;    /* bytes of the current segment still to skip or read */
  guint8  frame[6 + 3 * 4];
  guint   frame_len;
  gboolean done;        /* stop looking: found, or not a JPEG as far as this can tell */
  gboolean found;
  gboolean progressive;
  guint   n_components;
  guint8  h[4], v[4];   /* sampling factors */
} JpegFrame;

enum { JPEG_SOI0, JPEG_SOI1, JPEG_MARKER, JPEG_CODE, JPEG_LEN0, JPEG_LEN1, JPEG_SKIP, JPEG_SOF };

typedef struct {
  int       width;
  int       height;
  gint64    limit;       /* the pixel limit that applied: JPEG's or every other format's */
  gboolean  too_large;
  gint64    coefficients; /* bytes a progressive JPEG needs while decoding, or 0 */
  JpegFrame jpeg;
} Header;

/* Feeds @n bytes of the file to @f, until its frame header (SOFn) is read. */
static void
jpeg_frame_feed (JpegFrame    *f,
                 const guint8 *p,
                 gsize         n)
{
  for (gsize i = 0; i < n && !f->done; i++)
    {
      guint8 b = p[i];

      switch (f->state)
        {
        case JPEG_SOI0:
          f->state = JPEG_SOI1;
          f->done = b != 0xff;
          break;
        case JPEG_SOI1:
          f->state = JPEG_MARKER;
          f->done = b != 0xd8;
          break;
        case JPEG_MARKER:
          f->state = JPEG_CODE;
          f->done = b != 0xff;
          break;
        case JPEG_CODE:
          if (b == 0xff)
            break;                                /* fill byte */
          f->marker = b;
          if (b == 0x01 || (b >= 0xd0 && b <= 0xd7))
            f->state = JPEG_MARKER;               /* no length */
          else if (b == 0xd9 || b == 0xda || b == 0x00)
            f->done = TRUE;                       /* EOI or a scan before any frame */
          else
            f->state = JPEG_LEN0;
          break;
        case JPEG_LEN0:
          f->remaining = (guint) b << 8;
          f->state = JPEG_LEN1;
          break;
        case JPEG_LEN1:
          f->remaining |= b;
          if (f->remaining < 2)
            {
              f->done = TRUE;
              break;
            }
          f->remaining -= 2;
          /* SOF0..SOF15 but DHT (C4), JPG (C8) and DAC (CC). */
          if (f->marker >= 0xc0 && f->marker <= 0xcf && f->marker != 0xc4 &&
              f->marker != 0xc8 && f->marker != 0xcc)
            f->state = JPEG_SOF;
          else
            f->state = f->remaining > 0 ? JPEG_SKIP : JPEG_MARKER;
          break;
        case JPEG_SKIP:
          {
            gsize take = MIN ((gsize) f->remaining, n - i);

            f->remaining -= take;
            i += take - 1;
            if (f->remaining == 0)
              f->state = JPEG_MARKER;
          }
          break;
        case JPEG_SOF:
          if (f->frame_len < sizeof f->frame)
            f->frame[f->frame_len++] = b;
          if (--f->remaining > 0 && f->frame_len < sizeof f->frame)
            break;
          f->done = TRUE;
          if (f->frame_len < 6)
            break;
          f->n_components = MIN (f->frame[5], 4);
          if (f->frame_len < 6 + 3 * f->n_components || f->n_components == 0)
            break;
          for (guint c = 0; c < f->n_components; c++)
            {
              f->h[c] = f->frame[6 + 3 * c + 1] >> 4;
              f->v[c] = f->frame[6 + 3 * c + 1] & 0x0f;
              if (f->h[c] == 0 || f->v[c] == 0)
                return;
            }
          /* SOF2, SOF6, SOF10, SOF14: progressive (Huffman or arithmetic, (non)differential). */
          f->progressive = (f->marker & 0x03) == 0x02;
          f->found = TRUE;
          break;
        default:
          f->done = TRUE;
          break;
        }
    }
}

/* Returns the bytes of DCT coefficients libjpeg holds to decode a @width x @height image with
 * @f's components whole (jdcoefct.c's arrays: each component's blocks, rounded up to whole
 * sampling units, 64 coefficients of 2 bytes each). */
static gint64
jpeg_coefficient_bytes (const JpegFrame *f,
                        gint64           width,
                        gint64           height)
{
  guint hmax = 1, vmax = 1;
  gint64 bytes = 0;

  for (guint c = 0; c < f->n_components; c++)
    {
      hmax = MAX (hmax, f->h[c]);
      vmax = MAX (vmax, f->v[c]);
    }
  for (guint c = 0; c < f->n_components; c++)
    {
      gint64 wb = (width * f->h[c] + 8 * hmax - 1) / (8 * hmax);
      gint64 hb = (height * f->v[c] + 8 * vmax - 1) / (8 * vmax);

      wb = (wb + f->h[c] - 1) / f->h[c] * f->h[c];
      hb = (hb + f->v[c] - 1) / f->v[c] * f->v[c];
      bytes += wb * hb * 64 * 2;
    }

  return bytes;
}

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
  /* A progressive JPEG is decoded whole, however small the thumbnail: refused, before libjpeg
   * allocates, when its coefficients would pass the loader's memory limit. */
  if (jpeg && header->jpeg.found && header->jpeg.progressive &&
      jpeg_coefficient_bytes (&header->jpeg, width, height) >
      JPEG_DECODER_MEMORY - JPEG_DECODER_MARGIN)
    header->coefficients = jpeg_coefficient_bytes (&header->jpeg, width, height);
  if (width <= 0 || height <= 0 || (gint64) width * height > limit || header->coefficients > 0)
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

typedef struct {
  struct jpeg_error_mgr pub;
  jmp_buf               jump;
  gboolean              ended_early;
} CutCheck;

static void
cut_check_error_exit (j_common_ptr cinfo)
{
  longjmp (((CutCheck *) cinfo->err)->jump, 1);
}

static void
cut_check_emit_message (j_common_ptr cinfo,
                        int          level)
{
  CutCheck *check = (CutCheck *) cinfo->err;

  if (level < 0 && (cinfo->err->msg_code == JWRN_HIT_MARKER ||
                    cinfo->err->msg_code == JWRN_JPEG_EOF))
    check->ended_early = TRUE;
}

/* Returns whether the entropy-coded data of the JPEG at @path ends before its last block: the
 * file was cut, whatever follows the cut (an end-of-image marker appended, as some tools do
 * when they "repair" a file, makes the EOI check of looks_complete() pass).
 *
 * GdkPixbuf's JPEG loader cannot tell: libjpeg only warns when the data of a scan stops short
 * (JWRN_HIT_MARKER, "premature end of data segment") and fills the rest of the image with
 * copies of the last block, and the loader discards warnings. So the file is decoded once more
 * here with libjpeg itself, at 1/8 scale (an IDCT of one coefficient a block: the cost is the
 * Huffman decoding), and the rule is: any JWRN_HIT_MARKER or JWRN_JPEG_EOF warning means cut.
 * Warnings about extra bytes between markers, which some cameras write into complete files,
 * do not count. A progressive JPEG cut between two scans is a valid, shorter progression and
 * cannot be told from one written so; cut inside a scan (almost every cut: scans are long), it
 * is caught like a baseline one. A file libjpeg refuses outright is left to the loader's
 * verdict (it accepted it). The second read comes from the page cache. */
static gboolean
jpeg_was_cut (const char *path)
{
  struct jpeg_decompress_struct cinfo;
  CutCheck check = { 0 };
  JSAMPARRAY row;
  FILE *file;

  if (path == NULL || (file = g_fopen (path, "rb")) == NULL)
    return FALSE;
  cinfo.err = jpeg_std_error (&check.pub);
  check.pub.error_exit = cut_check_error_exit;
  check.pub.emit_message = cut_check_emit_message;
  jpeg_create_decompress (&cinfo);
  if (setjmp (check.jump) == 0)
    {
      jpeg_stdio_src (&cinfo, file);
      jpeg_read_header (&cinfo, TRUE);
      cinfo.scale_num = 1;
      cinfo.scale_denom = 8;
      cinfo.dct_method = JDCT_IFAST;
      cinfo.do_fancy_upsampling = FALSE;
      cinfo.do_block_smoothing = FALSE;
      jpeg_start_decompress (&cinfo);
      row = (*cinfo.mem->alloc_sarray) ((j_common_ptr) &cinfo, JPOOL_IMAGE,
                                        cinfo.output_width * cinfo.output_components, 1);
      while (cinfo.output_scanline < cinfo.output_height && !check.ended_early)
        jpeg_read_scanlines (&cinfo, row, 1);
      if (!check.ended_early)
        jpeg_finish_decompress (&cinfo);
    }
  jpeg_destroy_decompress (&cinfo);
  fclose (file);

  return check.ended_early;
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
                              floor ((double) (JPEG_DECODER_MEMORY - JPEG_DECODER_MARGIN) /
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
      if (!header.jpeg.done)
        jpeg_frame_feed (&header.jpeg, buffer, n);
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
            *reason = decode_failed (local_error, NULL);
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
      *reason = decode_failed (local_error, "no image data");
      return FALSE;
    }
  if (!looks_complete (gdk_pixbuf_format_get_name (format), tail, tail_len))
    {
      *reason = g_strdup_printf ("damaged or truncated image (the %s data ends early)",
                                 gdk_pixbuf_format_get_name (format));
      return FALSE;
    }
  if (g_strcmp0 (gdk_pixbuf_format_get_name (format), "jpeg") == 0)
    {
      g_autofree char *local = g_file_get_path (file);

      if (jpeg_was_cut (local))
        {
          *reason = g_strdup ("truncated image (the JPEG data stops before the end of the "
                              "picture; the rest would be blank)");
          return FALSE;
        }
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
