/* lk-background.h — what a thread that does background work does to stay out of the UI's way
 *
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The nice value background threads run at (lk_background_lower_priority()). */
#define LK_BACKGROUND_NICE 10

void lk_background_lower_priority (void);

G_END_DECLS
