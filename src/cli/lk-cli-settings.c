/* lk-cli-settings.c — a study's session settings on the command line: the options of `create`,
 * `settings --set KEY=VALUE`, and how `settings` and `info` print them
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "lk-cli.h"

/**
 * lk_cli_setting_options_init:
 * @options: (out caller-allocates): options to set up
 *
 * Fills @options->entries (NULL-terminated) with `create`'s session options.
 */
void
lk_cli_setting_options_init (LkCliSettingOptions *options)
{
  const GOptionEntry entries[] = {
    { "grids-per-participant", 0, 0, G_OPTION_ARG_STRING, &options->grids,
      "grids one participant sorts (0: no limit but the budget; default 0)", "N" },
    { "practice-grids", 0, 0, G_OPTION_ARG_STRING, &options->practice,
      "practice grids before the recorded ones (default 1)", "N" },
    { "break-every", 0, 0, G_OPTION_ARG_STRING, &options->break_every,
      "a break after every K of a participant's grids (0: none; default 10)", "K" },
    { "all-placed", 0, 0, G_OPTION_ARG_NONE, &options->all_placed,
      "every image must be in a bin before a grid can be submitted", NULL },
    { "consent-file", 0, 0, G_OPTION_ARG_FILENAME, &options->consent_file,
      "the consent text (UTF-8) instead of the standard one", "FILE" },
    { "instructions-file", 0, 0, G_OPTION_ARG_FILENAME, &options->instructions_file,
      "the instructions (UTF-8) instead of the standard ones", "FILE" },
    { "passphrase-file", 0, 0, G_OPTION_ARG_FILENAME, &options->passphrase_file,
      "the passphrase that leaves study mode, from the file's first line", "FILE" },
    { "plan", 0, 0, G_OPTION_ARG_STRING, &options->plan,
      "the session plan: blocks KIND:COUNT[:PRACTICE], e.g. sort:30,triplet:20 (kinds sort, "
      "triplet, choice5, match, intruder, training, exam; default one sort block)", "PLAN" },
    { NULL }
  };

  G_STATIC_ASSERT (G_N_ELEMENTS (entries) == G_N_ELEMENTS (options->entries));
  memcpy (options->entries, entries, sizeof entries);
}

void
lk_cli_setting_options_clear (LkCliSettingOptions *options)
{
  g_clear_pointer (&options->grids, g_free);
  g_clear_pointer (&options->practice, g_free);
  g_clear_pointer (&options->break_every, g_free);
  g_clear_pointer (&options->consent_file, g_free);
  g_clear_pointer (&options->instructions_file, g_free);
  g_clear_pointer (&options->passphrase_file, g_free);
  g_clear_pointer (&options->plan, g_free);
}

/* Returns the text of @path, checked to be UTF-8 (for a passphrase, its first line only), or
 * NULL with @error (G_FILE_ERROR) naming the file. */
static char *
read_text (const char  *key,
           const char  *path,
           GError     **error)
{
  g_autofree char *text = NULL;
  g_autoptr(GError) local_error = NULL;

  if (!g_file_get_contents (path, &text, NULL, &local_error))
    {
      g_set_error (error, G_FILE_ERROR, local_error->code, "%s: %s", key,
                   local_error->message);
      return NULL;
    }
  if (!g_utf8_validate (text, -1, NULL))
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL, "%s: %s is not UTF-8 text", key,
                   path);
      return NULL;
    }
  if (g_str_equal (key, "passphrase"))
    text[strcspn (text, "\r\n")] = '\0';

  return g_strstrip (g_steal_pointer (&text));
}

/**
 * lk_cli_setting_assign:
 * @assignment: KEY=VALUE; a text setting's VALUE may be @FILE, read from that file; an empty
 *   VALUE is the default
 *
 * Returns: %TRUE if @assignment names a setting and an allowed value (G_OPTION_ERROR
 *   otherwise), and its file could be read (G_FILE_ERROR otherwise)
 */
gboolean
lk_cli_setting_assign (LkSessionSettings  *settings,
                       const char         *assignment,
                       GError            **error)
{
  g_autofree char *key = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *eq = strchr (assignment, '=');
  const char *value;

  if (eq == NULL)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "--set: '%s' is not KEY=VALUE", assignment);
      return FALSE;
    }
  key = g_strndup (assignment, eq - assignment);
  value = eq + 1;
  if (value[0] == '@' && g_strv_contains ((const char *[]) { "consent", "instructions",
                                                              "passphrase", NULL }, key))
    {
      text = read_text (key, value + 1, error);
      if (text == NULL)
        return FALSE;
      value = text;
    }
  if (!lk_session_settings_set (settings, key, value, &local_error))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, "--set: %s",
                   local_error->message);
      return FALSE;
    }

  return TRUE;
}

/**
 * lk_cli_setting_options_apply:
 * @settings: settings to change where an option was given
 *
 * Returns: %TRUE if every option given was valid and its file readable; otherwise %FALSE with
 *   @error (G_OPTION_ERROR for a bad value, G_FILE_ERROR for a file)
 */
gboolean
lk_cli_setting_options_apply (const LkCliSettingOptions  *options,
                              LkSessionSettings          *settings,
                              GError                    **error)
{
  const struct {
    const char *key;
    const char *value;
    gboolean    from_file;
  } given[] = {
    { "grids-per-participant", options->grids, FALSE },
    { "practice-grids", options->practice, FALSE },
    { "break-every", options->break_every, FALSE },
    { "all-placed", options->all_placed ? "true" : NULL, FALSE },
    { "consent", options->consent_file, TRUE },
    { "instructions", options->instructions_file, TRUE },
    { "passphrase", options->passphrase_file, TRUE },
    { "plan", options->plan, FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (given); i++)
    {
      g_autofree char *assignment = NULL;

      if (given[i].value == NULL)
        continue;
      assignment = g_strdup_printf ("%s=%s%s", given[i].key, given[i].from_file ? "@" : "",
                                    given[i].value);
      if (!lk_cli_setting_assign (settings, assignment, error))
        return FALSE;
    }

  return TRUE;
}

/* Returns @text on one line, newlines shown as \n. */
static char *
one_line (const char *text)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);

  return g_strjoinv ("\\n", lines);
}

/**
 * lk_cli_print_settings:
 * @b: (nullable): a JSON builder inside an object, to add a "settings" member to; %NULL prints
 *   one line per setting after @indent
 *
 * The passphrase itself is never printed, only whether there is one.
 */
void
lk_cli_print_settings (const LkSessionSettings *settings,
                       const char              *indent,
                       JsonBuilder             *b)
{
  const char *const *keys = lk_session_settings_keys ();

  if (b != NULL)
    json_builder_set_member_name (b, "settings");
  if (b != NULL)
    json_builder_begin_object (b);
  for (guint i = 0; keys[i] != NULL; i++)
    {
      g_autofree char *value = lk_session_settings_dup (settings, keys[i]);
      gboolean text = g_str_equal (keys[i], "consent") || g_str_equal (keys[i], "instructions");
      gboolean secret = g_str_equal (keys[i], "passphrase");
      gboolean plan = g_str_equal (keys[i], "plan");
      gboolean word = g_str_equal (keys[i], "choice5-policy");

      if (b != NULL)
        {
          g_autofree char *member = g_strdelimit (g_strdup (keys[i]), "-", '_');

          json_builder_set_member_name (b, secret ? "passphrase_set" : member);
          if (secret)
            json_builder_add_boolean_value (b, value != NULL);
          else if (text || plan || word)
            value != NULL ? json_builder_add_string_value (b, value)
                          : json_builder_add_null_value (b);
          else if (g_str_equal (keys[i], "all-placed") || g_str_equal (keys[i], "group-names")
                   || g_str_equal (keys[i], "palette"))
            json_builder_add_boolean_value (b, g_str_equal (value, "true"));
          else if (g_str_has_prefix (keys[i], "min-"))
            json_builder_add_double_value (b, g_ascii_strtod (value, NULL));
          else
            json_builder_add_int_value (b, g_ascii_strtoll (value, NULL, 10));
          continue;
        }
      if (secret)
        printf ("%s%-22s %s\n", indent, keys[i], value != NULL ? "set" : "none");
      else if (text && value == NULL)
        printf ("%s%-22s (the standard text)\n", indent, keys[i]);
      else if (plan && value == NULL)
        printf ("%s%-22s (one sort block of grids-per-participant after practice-grids)\n",
                indent, keys[i]);
      else if (text)
        {
          g_autofree char *line = one_line (value);

          printf ("%s%-22s %s\n", indent, keys[i], line);
        }
      else
        printf ("%s%-22s %s\n", indent, keys[i], value);
    }
  if (b != NULL)
    json_builder_end_object (b);
}
