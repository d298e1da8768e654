/* lk-dataset.h — items with ground-truth features, for simulation and evaluation
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _LkDataset LkDataset;

LkDataset     *lk_dataset_new           (guint            n_items,
                                         guint            dim,
                                         const double    *features,
                                         const gint      *labels) G_GNUC_WARN_UNUSED_RESULT;
LkDataset     *lk_dataset_new_from_spec (const char      *spec,
                                         guint64          seed,
                                         GError         **error) G_GNUC_WARN_UNUSED_RESULT;
LkDataset     *lk_dataset_new_from_csv_data (const char  *text,
                                             GError     **error) G_GNUC_WARN_UNUSED_RESULT;
void           lk_dataset_free          (LkDataset       *self);

guint          lk_dataset_get_n_items   (const LkDataset *self);
guint          lk_dataset_get_dim       (const LkDataset *self);
const double  *lk_dataset_get_features  (const LkDataset *self);
const gint    *lk_dataset_get_labels    (const LkDataset *self);
guint          lk_dataset_get_n_labels  (const LkDataset *self);
const char    *lk_dataset_get_id        (const LkDataset *self,
                                         guint            item);
const char    *lk_dataset_get_label_name (const LkDataset *self,
                                          guint            label);
const double  *lk_dataset_get_descriptor (const LkDataset *self,
                                          guint           *dim);
const guint   *lk_dataset_get_attributes (const LkDataset *self,
                                          guint           *n_attributes);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LkDataset, lk_dataset_free)

G_END_DECLS
