/* lk-instructions-example.h — the instructions' worked example: a small grid sorted into bins
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define LK_TYPE_INSTRUCTIONS_EXAMPLE (lk_instructions_example_get_type ())

G_DECLARE_FINAL_TYPE (LkInstructionsExample, lk_instructions_example, LK, INSTRUCTIONS_EXAMPLE,
                      AdwBin)

GtkWidget  *lk_instructions_example_new              (void) G_GNUC_WARN_UNUSED_RESULT;

void        lk_instructions_example_set_n_bins       (LkInstructionsExample *self,
                                                      guint                  n_bins);

G_END_DECLS
