/* lk-thumbs.h — small pictures of a collection's items for the Cairo views
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <cairo.h>
#include <gio/gio.h>

#include "lk-image-source.h"

G_BEGIN_DECLS

typedef struct _LkThumbs LkThumbs;

LkThumbs *lk_thumbs_new_from_colours (const double  *rgb,
                                      guint          n_items) G_GNUC_WARN_UNUSED_RESULT;
LkThumbs *lk_thumbs_new_from_source  (LkImageSource *source,
                                      guint          size) G_GNUC_WARN_UNUSED_RESULT;
void      lk_thumbs_load_study_async (const char          *path,
                                      guint                size,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data);
LkThumbs *lk_thumbs_load_study_finish (GAsyncResult       *result,
                                       GError            **error) G_GNUC_WARN_UNUSED_RESULT;
LkThumbs *lk_thumbs_ref              (LkThumbs      *self);
void      lk_thumbs_unref            (LkThumbs      *self);
void      lk_thumbs_paint            (LkThumbs      *self,
                                      cairo_t       *cr,
                                      guint          item,
                                      double         cx,
                                      double         cy,
                                      double         size);
void      lk_thumbs_blit             (LkThumbs      *self,
                                      guint          item,
                                      guint8        *data,
                                      int            stride,
                                      int            width,
                                      int            height,
                                      int            x,
                                      int            y,
                                      int            size);

guint       lk_thumbs_get_n_items    (LkThumbs           *self);
void        lk_thumbs_set_names      (LkThumbs           *self,
                                      const char * const *names);
const char *lk_thumbs_get_name       (LkThumbs           *self,
                                      guint               item);
char       *lk_thumbs_dup_title      (LkThumbs           *self,
                                      guint               item) G_GNUC_WARN_UNUSED_RESULT;
const guint *lk_thumbs_get_folders   (LkThumbs           *self,
                                      guint              *n_folders);
const char *lk_thumbs_get_folder_name (LkThumbs          *self,
                                       guint              folder);
int         lk_thumbs_find           (LkThumbs           *self,
                                      const char         *text,
                                      int                 after);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LkThumbs, lk_thumbs_unref)

G_END_DECLS
