/* lk-random-trial.h — trials drawn at random: the "random" policy of the demos and of practice
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "lk-trial.h"

G_BEGIN_DECLS

LkTrial *lk_random_trial_new (LkTaskKind   kind,
                              guint        n_items,
                              guint        match_page,
                              const guint *labels,
                              guint        n_labels,
                              GRand       *rand) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
