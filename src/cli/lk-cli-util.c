/* lk-cli-util.c — strict argument parsing with messages that say what is allowed
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "lk-cli.h"

#include <errno.h>
#include <math.h>

gboolean
lk_cli_parse_uint (const char  *option,
                   const char  *text,
                   guint64      min,
                   guint64      max,
                   guint64     *out,
                   GError     **error)
{
  if (!g_ascii_string_to_unsigned (text, 10, min, max, out, NULL))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "%s: '%s' is not a whole number from %" G_GUINT64_FORMAT " to %" G_GUINT64_FORMAT,
                   option, text, min, max);
      return FALSE;
    }

  return TRUE;
}

gboolean
lk_cli_parse_double (const char *option,
                     const char *text,
                     double      min,
                     double      max,
                     double     *out,
                     GError    **error)
{
  char *end = NULL;
  double v;

  errno = 0;
  v = g_ascii_strtod (text, &end);
  if (*text == '\0' || *end != '\0' || errno != 0 || !isfinite (v) || v < min || v > max)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "%s: '%s' is not a number from %g to %g", option, text, min, max);
      return FALSE;
    }

  *out = v;
  return TRUE;
}
