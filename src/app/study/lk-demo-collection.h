/* lk-demo-collection.h — built-in image collections, generated: colours and letters
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "lk-image-source.h"

G_BEGIN_DECLS

#define LK_TYPE_DEMO_COLLECTION (lk_demo_collection_get_type ())

G_DECLARE_FINAL_TYPE (LkDemoCollection, lk_demo_collection, LK, DEMO_COLLECTION, GObject)

LkDemoCollection *lk_demo_collection_new      (const char       *name,
                                               GError          **error) G_GNUC_WARN_UNUSED_RESULT;

const char       *lk_demo_collection_get_name (LkDemoCollection *self);
guint            *lk_demo_collection_dup_labels (LkDemoCollection *self,
                                                 guint            *n_labels) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
