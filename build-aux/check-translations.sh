#!/bin/bash
# Checks every language in po/LINGUAS: its .po passes `msgfmt --check`, and, merged with the
# strings the sources hold today (xgettext with meson's glib preset over po/POTFILES.in), it has
# no untranslated and no fuzzy message. A new string without its translation fails here.
set -euo pipefail
src="${1:?usage: check-translations.sh SOURCE_ROOT}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

cd "$src"
xgettext --package-name=likeness -D . -f po/POTFILES.in -o "$tmp/likeness.pot" \
  --from-code=UTF-8 --add-comments --keyword=_ --keyword=N_ --keyword=C_:1c,2 \
  --keyword=NC_:1c,2 --keyword=g_dcgettext:2 --keyword=g_dngettext:2,3 \
  --keyword=g_dpgettext2:2c,3 --flag=N_:1:pass-c-format --flag=C_:2:pass-c-format \
  --flag=NC_:2:pass-c-format --flag=g_dngettext:2:pass-c-format \
  --flag=g_strdup_printf:1:c-format --flag=g_string_printf:2:c-format \
  --flag=g_string_append_printf:2:c-format --flag=g_error_new:3:c-format \
  --flag=g_set_error:4:c-format --flag=g_markup_printf_escaped:1:c-format \
  --flag=g_printerr:1:c-format --flag=g_snprintf:3:c-format

fail=0
for lang in $(grep -v '^#' po/LINGUAS); do
  msgfmt --check -o /dev/null "po/$lang.po" || fail=1
  msgmerge --quiet --no-fuzzy-matching -o "$tmp/$lang.po" "po/$lang.po" "$tmp/likeness.pot"
  stats=$(LC_ALL=C msgfmt --check --statistics -o /dev/null "$tmp/$lang.po" 2>&1)
  echo "$lang: $stats"
  if echo "$stats" | grep -Eq 'untranslated|fuzzy'; then
    echo "po/$lang.po lacks these strings of the sources:"
    msgattrib --untranslated --no-obsolete "$tmp/$lang.po" | grep '^msgid' | tail -n +2
    fail=1
  fi
done
exit $fail
