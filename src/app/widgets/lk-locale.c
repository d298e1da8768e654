/* lk-locale.c — gettext set-up shared by the app and its tests
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <locale.h>
#include <glib/gi18n.h>

#include "lk-locale.h"

/**
 * lk_locale_init:
 * @locale: the locale to set ("" for the environment's, "C.UTF-8" in tests)
 *
 * Sets the locale and binds the text domain. `LIKENESS_LOCALEDIR` points an uninstalled build
 * at its own `po/` folder.
 */
void
lk_locale_init (const char *locale)
{
  const char *dir = g_getenv ("LIKENESS_LOCALEDIR");

  setlocale (LC_ALL, locale);
  bindtextdomain (GETTEXT_PACKAGE, dir != NULL ? dir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
}
