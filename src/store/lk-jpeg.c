/* lk-jpeg.c — one JPEG decoded once, with libjpeg, to its thumbnail
 *
 * The import used to decode a JPEG with GdkPixbuf's loader (which hides libjpeg's warnings) and
 * then again with libjpeg to hear them; this does both in one pass:
 *
 * - Scale. libjpeg scales while it decodes (scale_denom 2, 4, 8: an IDCT of 4 x 4, 2 x 2 or
 *   1 x 1 coefficients a block). The largest reduction whose output still covers the
 *   thumbnail, on both sides, is used, and the result is brought to the thumbnail's size with
 *   gdk_pixbuf_scale_simple (bilinear): the scale GdkPixbuf's loader picks for a size asked in
 *   size-prepared and the scaling it then applies, so the thumbnails and the image features
 *   computed from them (lk-image-features.c reads the stored thumbnail) stay what they were.
 *   For a 3000 x 2000 or 4000 x 3000 photo that is 1/8.
 * - Truncation. Every warning libjpeg emits is seen: "premature end of data segment"
 *   (JWRN_HIT_MARKER, a scan whose data stops before its last block; libjpeg fills the rest
 *   with copies) and "premature end of file" (JWRN_JPEG_EOF, from the source below) mean the
 *   file was cut, whatever was appended after the cut. Warnings about extra bytes between
 *   markers, which some cameras write into complete files, do not count. Decoding stops at the
 *   first such warning. A progressive JPEG cut exactly between two scans is a valid, shorter
 *   progression and cannot be told from one written so.
 * - Colour. Greyscale is expanded to RGB by libjpeg (the same value in each channel, as
 *   GdkPixbuf does); CMYK and YCCK are decoded to CMYK and turned into RGB with GdkPixbuf
 *   2.42's rule, cmyk_to_rgba().
 * - Orientation. The EXIF orientation tag (APP1 "Exif", IFD0, tag 0x0112, one SHORT), kept by
 *   jpeg_save_markers, is set on the result as GdkPixbuf's loader does and applied with
 *   gdk_pixbuf_apply_embedded_orientation, as the import did.
 * - Memory. libjpeg is capped at LK_JPEG_MEMORY, GdkPixbuf's cap. A progressive JPEG is decoded
 *   whole: libjpeg holds every DCT coefficient (128 bytes a block, each component's blocks
 *   rounded up to whole sampling units, jdcoefct.c) until the last scan, and this does not
 *   shrink with the DCT scale, which only changes the IDCT at output. Those bytes are computed
 *   from the frame header and such a JPEG over the cap (less a margin) is refused before
 *   anything is allocated. Measured here with libjpeg-turbo 2.1.5, this decode at 1/8 with the
 *   check taken out: progressive 4:2:0 18900 x 18900 (1,072,991,232 bytes of coefficients)
 *   decodes, peak RSS 1.02 GiB; 18930 x 18930 (1,076,625,408) fails with "Backing store not
 *   supported" -- the same boundary as GdkPixbuf's loader, which decoded at the same 1/8.
 *   So DCT scaling moves no progressive JPEG under the cap: the limit stays 356 megapixels
 *   at 4:2:0 (the check keeps a margin of 4 MiB for libjpeg's other allocations, so it refuses
 *   18900 x 18900 too, whose others fitted in the 0.75 MiB left).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <jpeglib.h>
#include <jerror.h>

#include "lk-jpeg.h"

#define SOURCE_CHUNK (64 * 1024)

typedef struct {
  struct jpeg_source_mgr pub;
  LkJpegReadFunc         read;
  gpointer               user_data;
  gboolean               read_failed;
  JOCTET                 buffer[SOURCE_CHUNK];
} Source;

typedef struct {
  struct jpeg_error_mgr pub;
  jmp_buf               jump;
  gboolean              cut;
} Errors;

static void
source_init (j_decompress_ptr cinfo)
{
}

/* Refills the buffer from the read function. At the end of the data libjpeg is handed a fake
 * end-of-image marker and warned (JWRN_JPEG_EOF), as its stdio source does: it then ends the
 * image, and the warning marks the file as cut. */
static boolean
source_fill (j_decompress_ptr cinfo)
{
  Source *src = (Source *) cinfo->src;
  gssize n = src->read (src->buffer, sizeof src->buffer, src->user_data);

  if (n < 0)
    {
      src->read_failed = TRUE;
      ERREXIT (cinfo, JERR_FILE_READ);
    }
  if (n == 0)
    {
      WARNMS (cinfo, JWRN_JPEG_EOF);
      src->buffer[0] = (JOCTET) 0xff;
      src->buffer[1] = (JOCTET) JPEG_EOI;
      n = 2;
    }
  src->pub.next_input_byte = src->buffer;
  src->pub.bytes_in_buffer = (size_t) n;

  return TRUE;
}

static void
source_skip (j_decompress_ptr cinfo,
             long             num_bytes)
{
  Source *src = (Source *) cinfo->src;

  if (num_bytes <= 0)
    return;
  while (num_bytes > (long) src->pub.bytes_in_buffer)
    {
      num_bytes -= (long) src->pub.bytes_in_buffer;
      source_fill (cinfo);
    }
  src->pub.next_input_byte += num_bytes;
  src->pub.bytes_in_buffer -= (size_t) num_bytes;
}

static void
source_term (j_decompress_ptr cinfo)
{
}

static void
errors_exit (j_common_ptr cinfo)
{
  longjmp (((Errors *) cinfo->err)->jump, 1);
}

/* Keeps libjpeg quiet on stderr and notes the warnings that mean the data stops short. */
static void
errors_emit (j_common_ptr cinfo,
             int          level)
{
  Errors *errors = (Errors *) cinfo->err;

  if (level < 0 && (cinfo->err->msg_code == JWRN_HIT_MARKER ||
                    cinfo->err->msg_code == JWRN_JPEG_EOF))
    errors->cut = TRUE;
}

static guint
get16 (const guint8 *p,
       gboolean      big)
{
  return big ? (guint) p[0] << 8 | p[1] : (guint) p[1] << 8 | p[0];
}

static guint32
get32 (const guint8 *p,
       gboolean      big)
{
  return big ? (guint32) p[0] << 24 | (guint32) p[1] << 16 | (guint32) p[2] << 8 | p[3]
             : (guint32) p[3] << 24 | (guint32) p[2] << 16 | (guint32) p[1] << 8 | p[0];
}

/* Returns the orientation (1..8) in the EXIF data of an APP1 segment, or 0: the TIFF header
 * after "Exif\0\0", IFD0's entries, tag 0x0112 of type SHORT and count 1, its value in the
 * first two bytes of the entry's value field. Every offset is checked against the segment. */
static int
exif_orientation (const guint8 *data,
                  gsize         len)
{
  const guint8 *tiff;
  gsize tiff_len;
  gboolean big;
  guint32 ifd;
  guint n;

  if (len < 6 + 8 || memcmp (data, "Exif\0\0", 6) != 0)
    return 0;
  tiff = data + 6;
  tiff_len = len - 6;
  if (memcmp (tiff, "II\x2a\0", 4) == 0)
    big = FALSE;
  else if (memcmp (tiff, "MM\0\x2a", 4) == 0)
    big = TRUE;
  else
    return 0;
  ifd = get32 (tiff + 4, big);
  if (ifd > tiff_len || tiff_len - ifd < 2)
    return 0;
  n = get16 (tiff + ifd, big);
  for (guint i = 0; i < n; i++)
    {
      gsize at = (gsize) ifd + 2 + (gsize) i * 12;

      if (at + 12 > tiff_len)
        return 0;
      if (get16 (tiff + at, big) == 0x0112 && get16 (tiff + at + 2, big) == 3 &&
          get32 (tiff + at + 4, big) == 1)
        {
          guint value = get16 (tiff + at + 8, big);

          return value >= 1 && value <= 8 ? (int) value : 0;
        }
    }

  return 0;
}

/* Returns the bytes of DCT coefficients libjpeg holds to decode @cinfo whole (jdcoefct.c's
 * arrays: each component's blocks rounded up to whole sampling units, 64 coefficients of 2
 * bytes each). Valid after jpeg_read_header(). */
static gint64
coefficient_bytes (const struct jpeg_decompress_struct *cinfo)
{
  gint64 bytes = 0;

  for (int c = 0; c < cinfo->num_components; c++)
    {
      const jpeg_component_info *comp = &cinfo->comp_info[c];
      gint64 wb = ((gint64) comp->width_in_blocks + comp->h_samp_factor - 1) /
                  comp->h_samp_factor * comp->h_samp_factor;
      gint64 hb = ((gint64) comp->height_in_blocks + comp->v_samp_factor - 1) /
                  comp->v_samp_factor * comp->v_samp_factor;

      bytes += wb * hb * DCTSIZE2 * (gint64) sizeof (JCOEF);
    }

  return bytes;
}

/* CMYK to RGB in place, @n pixels of @p, as GdkPixbuf's loader does: every CMYK JPEG is taken
 * to store inverted CMYK (as Photoshop writes it, with an Adobe marker), R = K * C / 255, and
 * the fourth byte becomes an opaque alpha (GdkPixbuf gives CMYK JPEGs an alpha channel; kept,
 * so that such thumbnails stay what they were). */
static void
cmyk_to_rgba (guint8 *p,
              guint   n)
{
  for (guint i = 0; i < n; i++, p += 4)
    {
      guint k = p[3];

      p[0] = (guint8) (k * p[0] / 255);
      p[1] = (guint8) (k * p[1] / 255);
      p[2] = (guint8) (k * p[2] / 255);
      p[3] = 255;
    }
}

/**
 * lk_jpeg_decode_thumbnail:
 * @read: where the file's bytes come from
 * @user_data: for @read
 * @size: the thumbnail's longest side; a smaller image keeps its size
 * @max_pixels: refuse an image of more pixels (before decoding)
 * @info: (out caller-allocates): what was found; clear info->message
 * @thumbnail: (out): the thumbnail, when DECODED
 *
 * Decodes a JPEG once, at the DCT scale the thumbnail needs, oriented as its EXIF says, and
 * tells whether its data was cut. Stops reading at the image's end (or at the first warning
 * that it was cut, or an error): the caller reads the rest if it needs it.
 */
LkJpegStatus
lk_jpeg_decode_thumbnail (LkJpegReadFunc   read,
                          gpointer         user_data,
                          int              size,
                          gint64           max_pixels,
                          LkJpegInfo      *info,
                          GdkPixbuf      **thumbnail)
{
  struct jpeg_decompress_struct cinfo;
  g_autofree Source *src = g_new0 (Source, 1);
  Errors errors = { 0 };
  /* volatile: changed after setjmp and read after a longjmp */
  GdkPixbuf *volatile pixbuf = NULL;
  volatile LkJpegStatus status = LK_JPEG_DECODED;
  int target_w = 0, target_h = 0;

  memset (info, 0, sizeof *info);
  *thumbnail = NULL;
  cinfo.err = jpeg_std_error (&errors.pub);
  errors.pub.error_exit = errors_exit;
  errors.pub.emit_message = errors_emit;
  jpeg_create_decompress (&cinfo);
  src->pub.init_source = source_init;
  src->pub.fill_input_buffer = source_fill;
  src->pub.skip_input_data = source_skip;
  src->pub.resync_to_restart = jpeg_resync_to_restart;
  src->pub.term_source = source_term;
  src->read = read;
  src->user_data = user_data;
  cinfo.src = &src->pub;

  if (setjmp (errors.jump) != 0)
    {
      char message[JMSG_LENGTH_MAX];

      if (src->read_failed)
        status = LK_JPEG_READ_FAILED;
      else
        {
          (*cinfo.err->format_message) ((j_common_ptr) &cinfo, message);
          info->message = g_strdup (message);
          status = LK_JPEG_FAILED;
        }
      goto out;
    }

  jpeg_save_markers (&cinfo, JPEG_APP0 + 1, 0xffff);
  jpeg_read_header (&cinfo, TRUE);
  info->width = (int) cinfo.image_width;
  info->height = (int) cinfo.image_height;
  info->progressive = cinfo.progressive_mode;
  for (jpeg_saved_marker_ptr m = cinfo.marker_list; m != NULL && info->orientation == 0;
       m = m->next)
    if (m->marker == JPEG_APP0 + 1)
      info->orientation = exif_orientation (m->data, m->data_length);

  if ((gint64) cinfo.image_width * cinfo.image_height > max_pixels)
    {
      status = LK_JPEG_TOO_MANY_PIXELS;
      goto out;
    }
  if (cinfo.progressive_mode)
    {
      info->coefficients = coefficient_bytes (&cinfo);
      if (info->coefficients > LK_JPEG_MEMORY - LK_JPEG_MARGIN)
        {
          status = LK_JPEG_TOO_MUCH_MEMORY;
          goto out;
        }
    }

  target_w = (int) cinfo.image_width;
  target_h = (int) cinfo.image_height;
  if (MAX (target_w, target_h) > size)
    {
      int longest = MAX (target_w, target_h);

      target_w = (int) MAX (1, (gint64) cinfo.image_width * size / longest);
      target_h = (int) MAX (1, (gint64) cinfo.image_height * size / longest);
    }
  /* The largest reduction that still covers the thumbnail on both sides. */
  cinfo.scale_num = 1;
  for (cinfo.scale_denom = 8; cinfo.scale_denom > 1; cinfo.scale_denom /= 2)
    {
      jpeg_calc_output_dimensions (&cinfo);
      if ((int) cinfo.output_width >= target_w && (int) cinfo.output_height >= target_h)
        break;
    }
  info->scale_denom = cinfo.scale_denom;

  if (cinfo.jpeg_color_space == JCS_CMYK || cinfo.jpeg_color_space == JCS_YCCK)
    cinfo.out_color_space = JCS_CMYK;
  else
    cinfo.out_color_space = JCS_RGB;
  cinfo.mem->max_memory_to_use = LK_JPEG_MEMORY;

  jpeg_start_decompress (&cinfo);
  pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, cinfo.out_color_space == JCS_CMYK, 8,
                           (int) cinfo.output_width, (int) cinfo.output_height);
  if (pixbuf == NULL)
    ERREXIT (&cinfo, JERR_OUT_OF_MEMORY);
  while (cinfo.output_scanline < cinfo.output_height && !errors.cut)
    {
      guint8 *row = gdk_pixbuf_get_pixels (pixbuf) +
                    (gsize) cinfo.output_scanline * gdk_pixbuf_get_rowstride (pixbuf);
      JSAMPROW rows[1] = { row };

      if (jpeg_read_scanlines (&cinfo, rows, 1) != 1)
        break;                  /* only a suspending source returns none */
      if (cinfo.out_color_space == JCS_CMYK)
        cmyk_to_rgba (row, cinfo.output_width);
    }
  if (!errors.cut)
    jpeg_finish_decompress (&cinfo);
  if (errors.cut)
    status = LK_JPEG_CUT;

out:
  jpeg_destroy_decompress (&cinfo);
  if (status != LK_JPEG_DECODED)
    {
      if (pixbuf != NULL)
        g_object_unref (pixbuf);
      return status;
    }

  if (gdk_pixbuf_get_width (pixbuf) != target_w || gdk_pixbuf_get_height (pixbuf) != target_h)
    {
      GdkPixbuf *scaled = gdk_pixbuf_scale_simple (pixbuf, target_w, target_h,
                                                   GDK_INTERP_BILINEAR);

      g_object_unref (pixbuf);
      pixbuf = scaled;
      if (pixbuf == NULL)
        {
          info->message = g_strdup ("not enough memory to scale the image");
          return LK_JPEG_FAILED;
        }
    }
  if (info->orientation > 1)
    {
      char value[4];

      g_snprintf (value, sizeof value, "%d", info->orientation);
      gdk_pixbuf_set_option (pixbuf, "orientation", value);
      *thumbnail = gdk_pixbuf_apply_embedded_orientation (pixbuf);
      g_object_unref (pixbuf);
    }
  else
    *thumbnail = pixbuf;

  return LK_JPEG_DECODED;
}
