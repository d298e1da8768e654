/* test-collection.c — importing a generated folder of good, broken and hostile files
 *
 * Every fixture is made at run time: PNGs and a JPEG written with GdkPixbuf, a truncated copy,
 * an empty file, a text file, an unreadable file, a duplicate, a symlink loop, and a PNG whose
 * header claims 30000 x 30000 pixels. The main case runs in a subprocess that drops root (root
 * can read a chmod 000 file), so it tests what a user would meet.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "lk-answers.h"
#include "lk-collection.h"
#include "lk-store.h"

#include "lk-store-test.h"

/* Writes a @width x @height image of one colour at @path in @format. */
static void
write_image (const char *path,
             int         width,
             int         height,
             guint32     rgba,
             const char *format)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, width, height);
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_path_get_dirname (path);

  g_mkdir_with_parents (dir, 0755);
  gdk_pixbuf_fill (pixbuf, rgba);
  /* A diagonal stripe so that the images are not flat. */
  for (int i = 0; i < MIN (width, height); i++)
    {
      guint8 *p = gdk_pixbuf_get_pixels (pixbuf) + i * gdk_pixbuf_get_rowstride (pixbuf) + i * 3;

      p[0] = p[1] = p[2] = 255;
    }
  g_assert_true (gdk_pixbuf_save (pixbuf, path, format, &error, NULL));
  g_assert_no_error (error);
}

static guint32
crc32_update (guint32       crc,
              const guint8 *data,
              gsize         n)
{
  crc = ~crc;
  for (gsize i = 0; i < n; i++)
    {
      crc ^= data[i];
      for (int k = 0; k < 8; k++)
        crc = (crc >> 1) ^ (0xEDB88320u & -(crc & 1));
    }

  return ~crc;
}

/* Writes a PNG signature and an IHDR chunk claiming @width x @height, then IEND. */
static void
write_png_header (const char *path,
                  guint32     width,
                  guint32     height)
{
  static const guint8 signature[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
  guint8 ihdr[4 + 4 + 13 + 4] = { 0, 0, 0, 13, 'I', 'H', 'D', 'R' };
  static const guint8 iend[12] = { 0, 0, 0, 0, 'I', 'E', 'N', 'D', 0xae, 0x42, 0x60, 0x82 };
  g_autoptr(GByteArray) bytes = g_byte_array_new ();
  guint8 idat[4 + 4 + 8 + 4] = { 0, 0, 0, 8, 'I', 'D', 'A', 'T', 0x78, 0x9c, 0x62, 0x60 };
  guint32 be, crc;

  /* A first IDAT chunk (the start of a zlib stream) makes libpng report the header. */
  crc = GUINT32_TO_BE (crc32_update (0, idat + 4, 4 + 8));
  memcpy (idat + 16, &crc, 4);
  be = GUINT32_TO_BE (width);
  memcpy (ihdr + 8, &be, 4);
  be = GUINT32_TO_BE (height);
  memcpy (ihdr + 12, &be, 4);
  ihdr[16] = 8;   /* bit depth */
  ihdr[17] = 2;   /* RGB */
  crc = GUINT32_TO_BE (crc32_update (0, ihdr + 4, 4 + 13));
  memcpy (ihdr + 21, &crc, 4);
  g_byte_array_append (bytes, signature, sizeof signature);
  g_byte_array_append (bytes, ihdr, sizeof ihdr);
  g_byte_array_append (bytes, idat, sizeof idat);
  g_byte_array_append (bytes, iend, sizeof iend);
  g_assert_true (g_file_set_contents (path, (const char *) bytes->data, bytes->len, NULL));
}

typedef struct {
  guint calls;
  guint last_done;
  guint total;
  guint cancel_after;
  GCancellable *cancellable;
} Progress;

static void
progress_cb (guint       done,
             guint       total,
             const char *current,
             gpointer    user_data)
{
  Progress *p = user_data;

  g_assert_cmpuint (done, <=, total);
  g_assert_cmpuint (done, >=, p->last_done);
  p->calls++;
  p->last_done = done;
  p->total = total;
  if (p->cancel_after > 0 && done == p->cancel_after)
    g_cancellable_cancel (p->cancellable);
}

/* Returns the status and reason the report gives @path; fails if it is not listed. */
static LkImportStatus
status_of (const LkImportReport  *report,
           const char            *path,
           const char           **reason)
{
  for (guint i = 0; i < lk_import_report_get_n_entries (report); i++)
    {
      LkImportStatus status;

      if (g_strcmp0 (lk_import_report_get_entry (report, i, &status, reason), path) == 0)
        return status;
    }
  g_error ("%s is not in the report", path);
}

#define N_GOOD 14

static void
make_collection (const char *images)
{
  g_autofree char *truncated = NULL;
  g_autofree char *contents = NULL;
  gsize length;

  for (guint i = 0; i < N_GOOD - 1; i++)
    {
      g_autofree char *name = g_strdup_printf ("%s/%s%02u.png", images,
                                               i < 5 ? "" : i < 10 ? "sub/" : "sub/deeper/", i);

      write_image (name, 40 + 37 * i, 30 + 23 * i, 0x102030ff + 0x11000000 * i, "png");
    }
  {
    g_autofree char *name = g_build_filename (images, "photo.jpg", NULL);

    write_image (name, 600, 400, 0x8040c0ff, "jpeg");
  }

  /* The broken and the hostile. */
  {
    g_autofree char *src = g_build_filename (images, "03.png", NULL);
    g_autofree char *dup = g_build_filename (images, "sub", "copy-of-03.png", NULL);
    g_autofree char *empty = g_build_filename (images, "empty.png", NULL);
    g_autofree char *text = g_build_filename (images, "notes.txt", NULL);
    g_autofree char *locked = g_build_filename (images, "locked.png", NULL);
    g_autofree char *huge = g_build_filename (images, "huge.png", NULL);
    g_autofree char *loop = g_build_filename (images, "sub", "loop", NULL);
    g_autofree char *big = g_build_filename (images, "sub", "deeper", "12.png", NULL);

    g_assert_true (g_file_get_contents (src, &contents, &length, NULL));
    g_assert_true (g_file_set_contents (dup, contents, length, NULL));
    g_clear_pointer (&contents, g_free);

    g_assert_true (g_file_get_contents (big, &contents, &length, NULL));
    truncated = g_build_filename (images, "truncated.png", NULL);
    g_assert_true (g_file_set_contents (truncated, contents, length / 2, NULL));

    g_assert_true (g_file_set_contents (empty, "", 0, NULL));
    g_assert_true (g_file_set_contents (text, "not an image\n", -1, NULL));
    write_image (locked, 20, 20, 0xff0000ff, "png");
    g_assert_cmpint (g_chmod (locked, 0), ==, 0);
    write_png_header (huge, 30000, 30000);
    g_assert_cmpint (symlink ("..", loop), ==, 0);
  }
}

static void
check_import (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = store_test_tmpdir ();
  g_autofree char *images = g_build_filename (dir, "images", NULL);
  g_autofree char *moved = g_build_filename (dir, "moved-images", NULL);
  g_autofree char *path = g_build_filename (dir, "study.likeness", NULL);
  g_autoptr(LkImportReport) report = NULL;
  g_autoptr(GdkPixbuf) thumb = NULL;
  LkParams params = store_test_params ();
  Progress progress = { 0 };
  LkStoreCounts counts;
  const char *reason;
  struct rusage usage;
  LkStore *store;
  gint64 start;

  make_collection (images);
  store = lk_store_create (path, &params, lk_method_paper, &error);
  g_assert_no_error (error);

  start = g_get_monotonic_time ();
  report = lk_collection_import (store, images, NULL, progress_cb, &progress, &error);
  g_assert_no_error (error);
  g_printerr ("# imported %u images in %.3f s\n", lk_import_report_count (report, LK_IMPORT_ADDED),
                  (g_get_monotonic_time () - start) / 1e6);
  for (guint i = 0; i < lk_import_report_get_n_entries (report); i++)
    {
      LkImportStatus status;
      const char *p = lk_import_report_get_entry (report, i, &status, &reason);

      g_printerr ("# %-10s %-22s %s\n", lk_import_status_to_string (status), p,
                  reason != NULL ? reason : "");
    }

  g_assert_cmpuint (lk_import_report_count (report, LK_IMPORT_ADDED), ==, N_GOOD);
  g_assert_cmpuint (lk_import_report_count (report, LK_IMPORT_DUPLICATE), ==, 1);
  g_assert_cmpint (status_of (report, "sub/copy-of-03.png", &reason), ==, LK_IMPORT_DUPLICATE);
  g_assert_nonnull (strstr (reason, "03.png"));
  g_assert_cmpint (status_of (report, "truncated.png", &reason), ==, LK_IMPORT_SKIPPED);
  g_assert_nonnull (strstr (reason, "damaged"));
  g_assert_cmpint (status_of (report, "empty.png", &reason), ==, LK_IMPORT_SKIPPED);
  g_assert_nonnull (strstr (reason, "empty"));
  g_assert_cmpint (status_of (report, "notes.txt", &reason), ==, LK_IMPORT_SKIPPED);
  g_assert_nonnull (strstr (reason, "not an image"));
  g_assert_cmpint (status_of (report, "huge.png", &reason), ==, LK_IMPORT_SKIPPED);
  g_assert_nonnull (strstr (reason, "30000 x 30000"));
  g_assert_cmpint (status_of (report, "sub/loop", &reason), ==, LK_IMPORT_SKIPPED);
  g_assert_nonnull (strstr (reason, "not followed"));
  if (geteuid () != 0)
    {
      g_assert_cmpint (status_of (report, "locked.png", &reason), ==, LK_IMPORT_SKIPPED);
      g_assert_nonnull (strstr (reason, "cannot be read"));
    }
  g_assert_cmpuint (progress.total, ==, progress.last_done);
  g_assert_cmpuint (progress.calls, ==, progress.total + 1);

  /* Records and thumbnails. */
  g_assert_true (lk_store_get_counts (store, &counts, &error));
  g_assert_cmpuint (counts.images, ==, N_GOOD);
  for (guint item = 0; item < N_GOOD; item++)
    {
      g_autofree char *rel = lk_collection_get_image_path (store, item);
      g_autofree char *file = g_build_filename (images, rel, NULL);
      g_autofree char *contents = NULL;
      g_autofree char *sha = NULL;
      g_autoptr(GdkPixbuf) full = gdk_pixbuf_new_from_file (file, NULL);
      sqlite3_stmt *stmt;
      gsize length;

      g_assert_true (g_file_get_contents (file, &contents, &length, NULL));
      sha = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) contents, length);
      stmt = lk_store_prepare (store, "SELECT sha256, width, height, bytes FROM image "
                               "WHERE item = ?", &error);
      sqlite3_bind_int (stmt, 1, item);
      g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
      g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, sha);
      g_assert_cmpint (sqlite3_column_int (stmt, 1), ==, gdk_pixbuf_get_width (full));
      g_assert_cmpint (sqlite3_column_int (stmt, 2), ==, gdk_pixbuf_get_height (full));
      g_assert_cmpint (sqlite3_column_int64 (stmt, 3), ==, length);
      sqlite3_reset (stmt);

      thumb = lk_collection_get_thumbnail (store, item, &error);
      g_assert_no_error (error);
      g_assert_cmpint (MAX (gdk_pixbuf_get_width (thumb), gdk_pixbuf_get_height (thumb)), <=,
                       LK_COLLECTION_THUMBNAIL_SIZE);
      g_clear_object (&thumb);
    }
  {
    g_autofree char *root = lk_collection_get_root (store);
    g_autofree char *canonical = g_canonicalize_filename (images, NULL);

    g_assert_cmpstr (root, ==, canonical);
  }

  /* Re-import: nothing new. Then one new file: only it is added. */
  g_clear_pointer (&report, lk_import_report_free);
  report = lk_collection_import (store, images, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (lk_import_report_count (report, LK_IMPORT_ADDED), ==, 0);
  g_assert_cmpuint (lk_import_report_count (report, LK_IMPORT_UNCHANGED), ==, N_GOOD);
  g_assert_cmpuint (lk_import_report_count (report, LK_IMPORT_DUPLICATE), ==, 1);
  {
    g_autofree char *extra = g_build_filename (images, "sub", "new.png", NULL);

    write_image (extra, 64, 48, 0x00ff00ff, "png");
  }
  g_clear_pointer (&report, lk_import_report_free);
  report = lk_collection_import (store, images, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (lk_import_report_count (report, LK_IMPORT_ADDED), ==, 1);
  g_assert_cmpint (status_of (report, "sub/new.png", NULL), ==, LK_IMPORT_ADDED);

  /* The collection moved (and lost a file): found again by hash. */
  {
    g_autofree char *gone = g_build_filename (images, "00.png", NULL);

    g_assert_cmpint (g_unlink (gone), ==, 0);
  }
  g_assert_cmpint (g_rename (images, moved), ==, 0);
  {
    g_autofree char *from = g_build_filename (moved, "sub", "05.png", NULL);
    g_autofree char *to_dir = g_build_filename (moved, "renamed", NULL);
    g_autofree char *to = g_build_filename (to_dir, "05-b.png", NULL);

    g_assert_cmpint (g_mkdir (to_dir, 0755), ==, 0);
    g_assert_cmpint (g_rename (from, to), ==, 0);
  }
  g_clear_pointer (&report, lk_import_report_free);
  report = lk_collection_import (store, moved, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (status_of (report, "renamed/05-b.png", NULL), ==, LK_IMPORT_MOVED);
  g_assert_cmpuint (lk_import_report_count (report, LK_IMPORT_MOVED), ==, 1);
  g_assert_cmpuint (lk_import_report_count (report, LK_IMPORT_UNCHANGED), ==, N_GOOD - 1);
  {
    g_autofree char *root = lk_collection_get_root (store);
    g_autofree char *canonical = g_canonicalize_filename (moved, NULL);
    g_autofree char *rel = lk_collection_get_image_path (store, 6);  /* sorted: photo.jpg is 5 */

    g_assert_cmpstr (root, ==, canonical);
    g_assert_cmpstr (rel, ==, "renamed/05-b.png");
  }
  g_assert_cmpuint (lk_import_report_count (report, LK_IMPORT_MISSING), ==, 1);
  g_assert_cmpuint (lk_import_report_count (report, LK_IMPORT_ADDED), ==, 0);
  g_assert_true (lk_store_get_counts (store, &counts, &error));
  g_assert_cmpuint (counts.images, ==, N_GOOD + 1);
  g_assert_cmpuint (counts.missing_images, ==, 1);
  g_assert_true (lk_store_check (store, NULL, &error));
  g_assert_no_error (error);

  g_assert_cmpint (getrusage (RUSAGE_SELF, &usage), ==, 0);
  g_printerr ("# peak resident memory: %ld MiB\n", usage.ru_maxrss / 1024);
  g_assert_cmpint (usage.ru_maxrss / 1024, <, 200);

  lk_store_close (store);
  lk_test_rmdir (dir);
}

/* The full import as an unprivileged user, so that chmod 000 means unreadable. */
static void
test_import (void)
{
  if (g_test_subprocess ())
    {
      if (geteuid () == 0)
        {
          g_assert_cmpint (setgid (65534), ==, 0);
          g_assert_cmpint (setuid (65534), ==, 0);
        }
      check_import ();
      return;
    }
  {
    g_autofree char *tmp = lk_test_tmpdir ("lk-store-XXXXXX");
    g_autofree char *saved = g_strdup (g_getenv ("TMPDIR"));

    /* nobody makes its folders in one of its own: the temporary folder need not be writable
     * by everyone (a TMPDIR of mode 0755, say). */
    if (geteuid () == 0)
      g_assert_cmpint (chown (tmp, 65534, 65534), ==, 0);
    g_setenv ("TMPDIR", tmp, TRUE);
    g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDOUT |
                                     G_TEST_SUBPROCESS_INHERIT_STDERR);
    if (saved != NULL)
      g_setenv ("TMPDIR", saved, TRUE);
    else
      g_unsetenv ("TMPDIR");
    lk_test_rmdir (tmp);
  }
  g_test_trap_assert_passed ();
}

static void
test_cancel (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = store_test_tmpdir ();
  g_autofree char *images = g_build_filename (dir, "images", NULL);
  g_autofree char *path = g_build_filename (dir, "study.likeness", NULL);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(LkImportReport) report = NULL;
  LkParams params = store_test_params ();
  Progress progress = { .cancel_after = 4, .cancellable = cancellable };
  LkStoreCounts counts;
  LkStore *store;

  for (guint i = 0; i < 10; i++)
    {
      g_autofree char *name = g_strdup_printf ("%s/%02u.png", images, i);

      write_image (name, 32, 32, 0x11223300 + i * 0x01000000 + 0xff, "png");
    }
  store = lk_store_create (path, &params, lk_method_paper, &error);
  report = lk_collection_import (store, images, cancellable, progress_cb, &progress, &error);
  g_assert_null (report);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_assert_true (lk_store_get_counts (store, &counts, &error));
  g_assert_cmpuint (counts.images, ==, 4);

  report = lk_collection_import (store, images, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (lk_import_report_count (report, LK_IMPORT_ADDED), ==, 6);
  g_assert_cmpuint (lk_import_report_count (report, LK_IMPORT_UNCHANGED), ==, 4);

  /* Once queries are drawn, the set of images is fixed. */
  {
    g_autoptr(LkRefiner) refiner = NULL;
    g_autoptr(GArray) ids = NULL;
    g_autofree char *extra = g_build_filename (images, "late.png", NULL);
    const char *reason;

    params.knn_k = 9;
    lk_store_close (store);
    g_unlink (path);
    store = lk_store_create (path, &params, lk_method_paper, &error);
    g_clear_pointer (&report, lk_import_report_free);
    report = lk_collection_import (store, images, NULL, NULL, NULL, &error);
    g_assert_no_error (error);
    refiner = lk_answers_rebuild (store, NULL, &error);
    g_assert_no_error (error);
    ids = lk_answers_draw_queries (store, refiner, &error);
    g_assert_no_error (error);
    write_image (extra, 16, 16, 0x123456ff, "png");
    g_clear_pointer (&report, lk_import_report_free);
    report = lk_collection_import (store, images, NULL, NULL, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpint (status_of (report, "late.png", &reason), ==, LK_IMPORT_SKIPPED);
    g_assert_nonnull (strstr (reason, "started"));
  }

  lk_store_close (store);
  lk_test_rmdir (dir);
}

/* A JPEG over the JPEG limit (a 64 x 48 JPEG whose frame header is made to
 * say 30000 x 20000, 600 megapixels) is refused citing the limit that applies to JPEG. */
static void
test_jpeg_limit (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = store_test_tmpdir ();
  g_autofree char *images = g_build_filename (dir, "images", NULL);
  g_autofree char *jpeg = g_build_filename (images, "huge.jpg", NULL);
  g_autofree char *path = g_build_filename (dir, "study.likeness", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(LkStore) store = NULL;
  g_autoptr(LkImportReport) report = NULL;
  LkParams params = store_test_params ();
  const char *reason = NULL;
  gsize len = 0;
  guint8 *sof;

  write_image (jpeg, 64, 48, 0x3366aaff, "jpeg");
  g_assert_true (g_file_get_contents (jpeg, &contents, &len, NULL));
  for (sof = (guint8 *) contents; sof + 9 < (guint8 *) contents + len; sof++)
    if (sof[0] == 0xff && sof[1] == 0xc0)
      break;
  g_assert_true (sof + 9 < (guint8 *) contents + len);
  sof[5] = 20000 >> 8;
  sof[6] = 20000 & 0xff;
  sof[7] = 30000 >> 8;
  sof[8] = 30000 & 0xff;
  g_assert_true (g_file_set_contents (jpeg, contents, len, NULL));

  store = lk_store_create (path, &params, lk_method_paper, &error);
  g_assert_no_error (error);
  report = lk_collection_import (store, images, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (status_of (report, "huge.jpg", &reason), ==, LK_IMPORT_SKIPPED);
  if (strstr (reason, "30000 x 20000") == NULL || strstr (reason, "limit is 400 megapixels") == NULL)
    g_error ("reason: %s", reason);

  g_clear_pointer (&store, lk_store_close);
  lk_test_rmdir (dir);
}

/* Writes a valid progressive JPEG of @width x @height pixels, 4:2:0 YCbCr, of one grey: a
 * frame (SOF2) and its first scan, the DC coefficients of the three components, each 0 and
 * coded in one bit by a DC table of one code; the later (AC) scans, which a progression may
 * leave out, are left out. So even 19000 x 19000 pixels take 1 MB and no time to make, and the
 * decoder still has to hold every coefficient of the image, as for any progressive JPEG. */
static void
write_progressive_jpeg (const char *path,
                        guint       width,
                        guint       height)
{
  const guint8 head[] = {
    0xff, 0xd8,                                                   /* SOI */
    0xff, 0xc2, 0, 17, 8, height >> 8, height & 0xff, width >> 8, width & 0xff,
    3, 1, 0x22, 0, 2, 0x11, 0, 3, 0x11, 0,                        /* SOF2: Y 2x2, Cb, Cr */
    0xff, 0xc4, 0, 20, 0x00, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x00, /* DHT */
    0xff, 0xda, 0, 12, 3, 1, 0x00, 2, 0x00, 3, 0x00, 0, 0, 0x00,  /* SOS: DC, Ss = Se = 0 */
  };
  guint8 dqt[5 + 64] = { 0xff, 0xdb, 0, 67, 0 };
  static const guint8 eoi[] = { 0xff, 0xd9 };
  g_autoptr(GByteArray) bytes = g_byte_array_new ();
  /* One bit a block: six blocks a 16 x 16 MCU. */
  gsize bits = (gsize) ((width + 15) / 16) * ((height + 15) / 16) * 6;
  gsize n = (bits + 7) / 8, at;
  g_autofree char *dir = g_path_get_dirname (path);

  memset (dqt + 5, 1, 64);
  g_byte_array_append (bytes, head, 2);
  g_byte_array_append (bytes, dqt, sizeof dqt);
  g_byte_array_append (bytes, head + 2, sizeof head - 2);
  at = bytes->len;
  g_byte_array_set_size (bytes, at + n);
  memset (bytes->data + at, 0, n);
  if (bits % 8 != 0)
    bytes->data[at + n - 1] = 0xff >> (bits % 8);   /* padded with 1 bits */
  g_byte_array_append (bytes, eoi, sizeof eoi);
  g_mkdir_with_parents (dir, 0755);
  g_assert_true (g_file_set_contents (path, (const char *) bytes->data, bytes->len, NULL));
}

/* A valid 19000 x 19000 progressive JPEG (361 megapixels, under the JPEG limit of 400) cannot
 * be decoded in the JPEG loader's memory: it is refused as too large, saying why and the limit
 * for it, not as damaged; a small progressive JPEG is imported. */
static void
test_progressive_jpeg (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = store_test_tmpdir ();
  g_autofree char *images = g_build_filename (dir, "images", NULL);
  g_autofree char *big = g_build_filename (images, "panorama.jpg", NULL);
  g_autofree char *small = g_build_filename (images, "small.jpg", NULL);
  g_autofree char *path = g_build_filename (dir, "study.likeness", NULL);
  g_autoptr(LkStore) store = NULL;
  g_autoptr(LkImportReport) report = NULL;
  LkParams params = store_test_params ();
  const char *reason = NULL;

  write_progressive_jpeg (big, 19000, 19000);
  write_progressive_jpeg (small, 1200, 900);
  store = lk_store_create (path, &params, lk_method_paper, &error);
  g_assert_no_error (error);
  report = lk_collection_import (store, images, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (status_of (report, "small.jpg", &reason), ==, LK_IMPORT_ADDED);
  g_assert_cmpint (status_of (report, "panorama.jpg", &reason), ==, LK_IMPORT_SKIPPED);
  if (strstr (reason, "too large: 19000 x 19000 pixels (361 megapixels) in a progressive JPEG") == NULL ||
      strstr (reason, "the limit for this one is 356 megapixels") == NULL)
    g_error ("reason: %s", reason);

  g_clear_pointer (&store, lk_store_close);
  lk_test_rmdir (dir);
}

/* A JPEG cut in half with an end-of-image marker appended is reported as truncated; the whole
 * file it was cut from is imported. */
static void
test_cut_jpeg (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = store_test_tmpdir ();
  g_autofree char *images = g_build_filename (dir, "images", NULL);
  g_autofree char *whole = g_build_filename (images, "whole.jpg", NULL);
  g_autofree char *cut = g_build_filename (images, "cut.jpg", NULL);
  g_autofree char *path = g_build_filename (dir, "study.likeness", NULL);
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 640, 480);
  g_autoptr(GRand) rand = g_rand_new_with_seed (2385);
  g_autoptr(LkStore) store = NULL;
  g_autoptr(LkImportReport) report = NULL;
  g_autofree char *contents = NULL;
  LkParams params = store_test_params ();
  const char *reason = NULL;
  gsize len = 0;

  /* Noise, so that the entropy-coded data fills most of the file and the cut lands in it. */
  for (int y = 0; y < 480; y++)
    for (int x = 0; x < 640 * 3; x++)
      gdk_pixbuf_get_pixels (pixbuf)[y * gdk_pixbuf_get_rowstride (pixbuf) + x] =
        (guint8) g_rand_int_range (rand, 0, 256);
  g_mkdir_with_parents (images, 0755);
  g_assert_true (gdk_pixbuf_save (pixbuf, whole, "jpeg", &error, NULL));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (whole, &contents, &len, NULL));
  contents[len / 2] = (char) 0xff;
  contents[len / 2 + 1] = (char) 0xd9;
  g_assert_true (g_file_set_contents (cut, contents, len / 2 + 2, NULL));

  store = lk_store_create (path, &params, lk_method_paper, &error);
  g_assert_no_error (error);
  report = lk_collection_import (store, images, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (status_of (report, "whole.jpg", &reason), ==, LK_IMPORT_ADDED);
  g_assert_cmpint (status_of (report, "cut.jpg", &reason), ==, LK_IMPORT_SKIPPED);
  if (strstr (reason, "truncated") == NULL)
    g_error ("reason: %s", reason);

  g_clear_pointer (&store, lk_store_close);
  lk_test_rmdir (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/lk/store/collection/import", test_import);
  g_test_add_func ("/lk/store/collection/cancel", test_cancel);
  g_test_add_func ("/lk/store/collection/jpeg-limit", test_jpeg_limit);
  g_test_add_func ("/lk/store/collection/progressive-jpeg", test_progressive_jpeg);
  g_test_add_func ("/lk/store/collection/cut-jpeg", test_cut_jpeg);

  return g_test_run ();
}
