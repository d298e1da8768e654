#!/bin/bash
# Fails if a file with translatable strings is missing from po/POTFILES.in, or if POTFILES.in
# names a file that does not exist (compare libadwaita's .gitlab-ci/check-potfiles.sh).
# Usage: check-potfiles.sh SOURCE_ROOT
set -euo pipefail
cd "$1"
listed=$(grep -vE '^\s*(#|$)' po/POTFILES.in | sort)
status=0
for f in $listed; do
  if [ ! -f "$f" ]; then echo "po/POTFILES.in lists $f, which does not exist"; status=1; fi
done
found=$( { grep -lE '\b(N?_|C_|g_dngettext|ngettext)\s*\(' src/app/*.c src/app/*/*.c 2>/dev/null || true
           grep -l 'translatable="yes"' ui/*.ui ui/*/*.ui 2>/dev/null || true
           ls data/*.desktop.in.in data/*.metainfo.xml.in.in data/*.gschema.xml 2>/dev/null || true; } | sort -u)
for f in $found; do
  if ! grep -qxF "$f" <<<"$listed"; then echo "$f has translatable strings but is not in po/POTFILES.in"; status=1; fi
done
[ $status -eq 0 ] && echo "POTFILES.in OK"
exit $status
