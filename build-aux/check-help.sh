#!/bin/bash
# Validates the Mallard user help (help/C) with yelp-check, and checks that every page is
# installed by help/meson.build under the name F1 opens (help:HELP_ID) and is linked from the
# index; then that each translation (help/LINGUAS) is complete and makes valid pages.
# Exit 77 (skip) without yelp-check.
set -euo pipefail
src="${1:?usage: check-help.sh SOURCE_ROOT [BUILD_ROOT HELP_ID]}"
build="${2:-}"
id="${3:-}"
help="$src/help/C"

# meson's install plan: the index must land where yelp looks for help:$id.
if [ -n "$build" ]; then
  plan="$build/meson-info/intro-installed.json"
  if ! grep -q "share/help/C/$id/index.page\"" "$plan"; then
    echo "help/C/index.page is not installed as share/help/C/$id/index.page ($plan)"
    exit 1
  fi
fi

if ! command -v yelp-check >/dev/null; then
  echo "yelp-check is missing (Debian: yelp-tools); skipping"
  exit 77
fi

fail=0
yelp-check validate "$help"/*.page || fail=1

for page in "$help"/*.page; do
  name=$(basename "$page")
  if ! grep -q "'$name'" "$src/help/meson.build"; then
    echo "$name is not installed by help/meson.build"
    fail=1
  fi
done

# Pages that no guide links to are orphans: yelp-check lists them.
orphans=$(yelp-check orphans "$help"/*.page 2>&1 || true)
if [ -n "$orphans" ]; then
  echo "orphan pages: $orphans"
  fail=1
fi
links=$(yelp-check links "$help"/*.page 2>&1 || true)
if [ -n "$links" ]; then
  echo "broken links: $links"
  fail=1
fi

# Each translation in help/LINGUAS: a valid .po with every message of today's pages translated
# (none untranslated or fuzzy), and the pages it makes (itstool, as meson's yelp() does) valid.
if [ -f "$src/help/LINGUAS" ]; then
  if ! command -v itstool >/dev/null; then
    echo "itstool is missing (Debian: itstool); the translated help is not checked"
  else
    tmp=$(mktemp -d)
    trap 'rm -rf "$tmp"' EXIT
    (cd "$help" && itstool -o "$tmp/help.pot" *.page legal.xml)
    for lang in $(grep -v '^#' "$src/help/LINGUAS"); do
      po="$src/help/$lang/$lang.po"
      msgfmt --check -o /dev/null "$po" || fail=1
      msgmerge --quiet --no-fuzzy-matching -o "$tmp/$lang.po" "$po" "$tmp/help.pot"
      stats=$(LC_ALL=C msgfmt --check --statistics -o "$tmp/$lang.mo" "$tmp/$lang.po" 2>&1)
      echo "help $lang: $stats"
      if echo "$stats" | grep -Eq 'untranslated|fuzzy'; then
        echo "help/$lang/$lang.po lacks these messages of the pages (ninja help-likeness-$lang-update-po):"
        msgattrib --untranslated --no-obsolete "$tmp/$lang.po" | grep '^msgid' | tail -n +2
        fail=1
      fi
      mkdir -p "$tmp/$lang"
      cp "$help/legal.xml" "$tmp/$lang/"
      (cd "$help" && itstool -m "$tmp/$lang.mo" -o "$tmp/$lang" *.page)
      yelp-check validate "$tmp/$lang"/*.page || fail=1
    done
  fi
fi

exit $fail
