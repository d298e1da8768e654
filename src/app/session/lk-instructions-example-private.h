/* lk-instructions-example-private.h — what only tests and benchmarks reach in lk-instructions-example
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "lk-instructions-example.h"

G_BEGIN_DECLS

guint       lk_instructions_example_get_n_bins       (LkInstructionsExample *self);
GtkWidget  *lk_instructions_example_get_drawing      (LkInstructionsExample *self);
const char *lk_instructions_example_get_bin_keys     (LkInstructionsExample *self);
const char *lk_instructions_example_get_take_out_keys (LkInstructionsExample *self);

G_END_DECLS
