/* lk-start-page-private.h — what only tests and benchmarks reach in lk-start-page
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "lk-start-page.h"

G_BEGIN_DECLS

guint       lk_start_page_get_n_recent         (LkStartPage *self);

G_END_DECLS
