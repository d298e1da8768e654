/* lk-error.h — error domain of the core
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define LK_CORE_ERROR (lk_core_error_quark ())

typedef enum {
  LK_CORE_ERROR_INVALID_ARGUMENT,
  LK_CORE_ERROR_PARSE,
  LK_CORE_ERROR_IO,
} LkCoreError;

GQuark lk_core_error_quark (void);

G_END_DECLS
