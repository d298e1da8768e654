/* lk-collection.h — the study's images: import from a folder, thumbnails
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <gio/gio.h>

#include "lk-store.h"

G_BEGIN_DECLS

/* Thumbnails are at most this many pixels on their long side. */
#define LK_COLLECTION_THUMBNAIL_SIZE 256
/* Images with more pixels than this are skipped: GdkPixbuf decodes most formats at full size
 * before scaling (4 bytes a pixel), so this bounds the import's memory. JPEG is decoded at a
 * reduced scale (libjpeg's scale_denom), so it may be larger. */
#define LK_COLLECTION_MAX_PIXELS (40 * 1000 * 1000)
#define LK_COLLECTION_MAX_PIXELS_JPEG (400 * 1000 * 1000)

/**
 * LkImportStatus:
 * @LK_IMPORT_ADDED: a new image, now in the collection
 * @LK_IMPORT_UNCHANGED: already in the collection, same place, same content
 * @LK_IMPORT_UPDATED: same place, new content: its record and thumbnail were remade
 * @LK_IMPORT_MOVED: an image of the collection found by its SHA-256 at a new place
 * @LK_IMPORT_DUPLICATE: the same content as another image; not imported again
 * @LK_IMPORT_SKIPPED: not imported; the reason says why
 * @LK_IMPORT_MISSING: an image of the collection not found in the folder (marked missing)
 */
typedef enum {
  LK_IMPORT_ADDED,
  LK_IMPORT_UNCHANGED,
  LK_IMPORT_UPDATED,
  LK_IMPORT_MOVED,
  LK_IMPORT_DUPLICATE,
  LK_IMPORT_SKIPPED,
  LK_IMPORT_MISSING,
} LkImportStatus;

#define LK_IMPORT_N_STATUS (LK_IMPORT_MISSING + 1)

typedef struct _LkImportReport LkImportReport;

/**
 * LkImportProgressFunc:
 * @done: files handled so far
 * @total: files found in the folder
 * @current: (nullable): the file being handled, relative to the folder
 * @user_data: the data given to lk_collection_import()
 *
 * Called on the importing thread before each file, and once at the end with @done = @total.
 */
typedef void (*LkImportProgressFunc) (guint       done,
                                      guint       total,
                                      const char *current,
                                      gpointer    user_data);

LkImportReport *lk_collection_import           (LkStore              *store,
                                                const char           *folder,
                                                GCancellable         *cancellable,
                                                LkImportProgressFunc  progress,
                                                gpointer              user_data,
                                                GError              **error) G_GNUC_WARN_UNUSED_RESULT;
char           *lk_collection_get_root         (LkStore              *store) G_GNUC_WARN_UNUSED_RESULT;
char           *lk_collection_get_image_path   (LkStore              *store,
                                                guint                 item) G_GNUC_WARN_UNUSED_RESULT;
GdkPixbuf      *lk_collection_get_thumbnail    (LkStore              *store,
                                                guint                 item,
                                                GError              **error) G_GNUC_WARN_UNUSED_RESULT;

void            lk_import_report_free          (LkImportReport       *report);
guint           lk_import_report_get_n_entries (const LkImportReport *report);
const char     *lk_import_report_get_entry     (const LkImportReport *report,
                                                guint                 index,
                                                LkImportStatus       *status,
                                                const char          **reason);
guint           lk_import_report_count         (const LkImportReport *report,
                                                LkImportStatus        status);
const char     *lk_import_status_to_string     (LkImportStatus        status);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LkImportReport, lk_import_report_free)

G_END_DECLS
