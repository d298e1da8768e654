/* lk-locale.h — gettext set-up shared by the app and its tests
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

void lk_locale_init (const char *locale);

G_END_DECLS
