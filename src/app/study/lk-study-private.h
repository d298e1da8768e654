/* lk-study-private.h — what only tests reach in lk-study
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "lk-study.h"

G_BEGIN_DECLS

void  lk_study_set_texture_cache_size (LkStudy *self,
                                       guint    size);
guint lk_study_get_n_textures         (LkStudy *self);
guint lk_study_get_n_decoded          (LkStudy *self);
guint lk_study_get_n_decoded_here     (LkStudy *self);
void  lk_study_wait_decoded           (LkStudy *self);

G_END_DECLS
