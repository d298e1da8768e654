#!/bin/sh
# The likeness executable in German: `likeness --help` in de_DE.UTF-8 (C.UTF-8 with
# LANGUAGE=de when the locale is not generated), with the build tree's catalogue.
# Usage: test-german-option.sh LIKENESS BUILD_LOCALEDIR
set -eu
locale=de_DE.UTF-8
if ! locale -a 2>/dev/null | grep -qi '^de_DE\.utf-\?8$'; then
  locale=C.UTF-8
fi
out=$(LIKENESS_LOCALEDIR="$2" LANGUAGE=de LC_ALL=$locale "$1" --help)
echo "$out"
echo "$out" | grep -q 'Ähnlichkeitsstudien mit Bildsortierung durchführen' || {
  echo "not German"; exit 1; }
echo "$out" | grep -q -- '--screenshot=DATEI' || { echo "the option's argument is not German"; exit 1; }
