#!/bin/bash
# screenshot-browser.sh — retake docs/screenshots/browser.png: a generated collection of 60
# "beach" pictures (sky, ground, a ball; colours and sizes from a fixed seed), a study of it
# with some grids answered by the simulated participant, and the browser on it, saved by
# `likeness --browse=STUDY --screenshot=FILE` right after a painted frame.
#
# Usage: build-aux/screenshot-browser.sh [BUILD_DIR] (default _build), from the source root.
# Needs: ImageMagick's convert, xvfb-run (apt-get install imagemagick xvfb xauth).
#
# SPDX-License-Identifier: GPL-3.0-or-later
set -euo pipefail

build=${1:-_build}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/beach"

# Colours are drawn here, in this shell: a subshell ($(...)) would draw from a new seed.
RANDOM=42
rgb () { printf -v "$1" '#%02x%02x%02x' $(($2 + RANDOM % $3)) $(($4 + RANDOM % $5)) $(($6 + RANDOM % $7)); }
for i in $(seq -w 0 59); do
  rgb sky_top 90 60 170 60 220 35
  rgb sky_low 120 60 200 40 230 25
  rgb ground 150 90 110 100 80 90
  rgb ball 30 1 70 60 170 60
  horizon=$((120 + RANDOM % 60))
  x=$((30 + RANDOM % 260)) y=$((20 + RANDOM % (horizon - 40))) r=$((4 + RANDOM % 16))
  convert -size 320x"$horizon" gradient:"$sky_top-$sky_low" \
          \( -size 320x$((240 - horizon)) xc:"$ground" \) -append \
          -fill "$ball" -draw "circle $x,$y $((x + r)),$y" "$work/beach/beach-$i.png"
done

"$build/src/cli/likeness-cli" create --images "$work" --budget 120 --phases 3 --seed 1 \
  "$work/demo.likeness" > /dev/null
"$build/src/cli/likeness-cli" answer --count 80 "$work/demo.likeness" > /dev/null
xvfb-run -a -s "-screen 0 1400x1000x24 -nolisten tcp" \
  env GSK_RENDERER=cairo GSETTINGS_SCHEMA_DIR="$PWD/$build/data" GSETTINGS_BACKEND=memory \
  "$build/src/app/likeness" --browse="$work/demo.likeness" \
  --screenshot="$PWD/docs/screenshots/browser.png"
echo "saved docs/screenshots/browser.png"
