/* lk-error.c
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "lk-error.h"

G_DEFINE_QUARK (lk-core-error-quark, lk_core_error)
