/* lk-study-test.h — real study files for the UI tests: a generated image folder, imported
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <glib/gstdio.h>

#include "lk-collection.h"
#include "lk-store.h"
#include "tests/lk-test-utils.h"

static inline char *
study_test_tmpdir (void)
{
  return lk_test_tmpdir ("lk-ui-XXXXXX");
}

/* Writes @n small PNGs of distinct colours into @folder, plus one text file that the import
 * skips. */
static inline void
study_test_make_images (const char *folder,
                        guint       n)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = g_build_filename (folder, "notes.txt", NULL);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 24, 16);
      g_autofree char *name = g_strdup_printf ("img-%03u.png", i);
      g_autofree char *path = g_build_filename (folder, name, NULL);
      guint32 rgb = (i * 2654435761u) & 0xffffff;

      gdk_pixbuf_fill (pixbuf, rgb << 8 | 0xff);
      g_assert_true (gdk_pixbuf_save (pixbuf, path, "png", &error, NULL));
      g_assert_no_error (error);
    }
  g_assert_true (g_file_set_contents (text, "not an image", -1, &error));
  g_assert_no_error (error);
}

/* Returns small parameters: grids of 8 in 3 bins, 12 grids in 3 phases of 4. */
static inline LkParams
study_test_params (void)
{
  LkParams params;

  lk_params_init (&params);
  params.nq = 8;
  params.nc = 3;
  params.knn_k = 10;
  params.budget = 12;
  params.phases = 3;
  params.iterations = 20;
  params.seed = 2385;

  return params;
}

/* Creates @path with @n_images imported images and closes it. */
static inline void
study_test_create (const char *path,
                   const char *folder,
                   guint       n_images)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LkStore) store = NULL;
  g_autoptr(LkImportReport) report = NULL;
  LkParams params = study_test_params ();

  study_test_make_images (folder, n_images);
  store = lk_store_create (path, &params, lk_method_paper, &error);
  g_assert_no_error (error);
  report = lk_collection_import (store, folder, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (lk_import_report_count (report, LK_IMPORT_ADDED), ==, n_images);
}
