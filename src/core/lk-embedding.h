/* lk-embedding.h — n points in d dimensions, row-major
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <gsl/gsl_rng.h>

G_BEGIN_DECLS

typedef struct _LkEmbedding LkEmbedding;

LkEmbedding  *lk_embedding_new         (guint              n_items,
                                        guint              dim) G_GNUC_WARN_UNUSED_RESULT;
LkEmbedding  *lk_embedding_new_random  (guint              n_items,
                                        guint              dim,
                                        gsl_rng           *rng) G_GNUC_WARN_UNUSED_RESULT;
LkEmbedding  *lk_embedding_new_from_data (const double    *data,
                                          guint            n_items,
                                          guint            dim) G_GNUC_WARN_UNUSED_RESULT;
LkEmbedding  *lk_embedding_copy        (const LkEmbedding *self) G_GNUC_WARN_UNUSED_RESULT;
void          lk_embedding_free        (LkEmbedding       *self);

guint         lk_embedding_get_n_items (const LkEmbedding *self);
guint         lk_embedding_get_dim     (const LkEmbedding *self);
const double *lk_embedding_get_data    (const LkEmbedding *self);
double       *lk_embedding_get_data_mutable (LkEmbedding *self);
const double *lk_embedding_get_point   (const LkEmbedding *self,
                                        guint              item);
double        lk_embedding_distance    (const LkEmbedding *self,
                                        guint              a,
                                        guint              b);
void          lk_embedding_normalise   (LkEmbedding       *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LkEmbedding, lk_embedding_free)

G_END_DECLS
