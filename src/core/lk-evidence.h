/* lk-evidence.h — sparse pair evidence accumulated from answers
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "lk-query.h"

G_BEGIN_DECLS

typedef struct _LkEvidence LkEvidence;

/**
 * LkPairCounts:
 * @a: the smaller item id
 * @b: the larger item id
 * @together: answers that put the pair in one bin
 * @apart: answers that split the pair
 * @shared: grids the pair appeared in together, answered or not counted (co-occurrence)
 */
typedef struct {
  guint a;
  guint b;
  guint together;
  guint apart;
  guint shared;
} LkPairCounts;

typedef void (*LkEvidenceFunc) (const LkPairCounts *counts,
                                gpointer            user_data);

LkEvidence *lk_evidence_new          (guint               n_items) G_GNUC_WARN_UNUSED_RESULT;
LkEvidence *lk_evidence_new_sized    (guint               n_items,
                                      gsize               n_pairs) G_GNUC_WARN_UNUSED_RESULT;
LkEvidence *lk_evidence_copy         (const LkEvidence   *self) G_GNUC_WARN_UNUSED_RESULT;
void        lk_evidence_free         (LkEvidence         *self);

guint       lk_evidence_get_n_items  (const LkEvidence   *self);
gsize       lk_evidence_get_n_pairs  (const LkEvidence   *self);
guint       lk_evidence_get_n_answers (const LkEvidence  *self);

void        lk_evidence_add_answer   (LkEvidence         *self,
                                      const LkQuery      *query);
void        lk_evidence_add_counts   (LkEvidence         *self,
                                      guint               a,
                                      guint               b,
                                      guint               together,
                                      guint               apart,
                                      guint               shared);
gboolean    lk_evidence_lookup       (const LkEvidence   *self,
                                      guint               a,
                                      guint               b,
                                      LkPairCounts       *counts);
void        lk_evidence_foreach      (const LkEvidence   *self,
                                      LkEvidenceFunc      func,
                                      gpointer            user_data);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LkEvidence, lk_evidence_free)

G_END_DECLS
