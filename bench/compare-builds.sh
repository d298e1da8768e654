#!/bin/bash
# compare-builds.sh — the UI benchmarks of two builds, alternating in one run, so that a change's
# figures are measured before and after on the same machine under the same load.
#
#   bench/compare-builds.sh BEFORE_BUILD AFTER_BUILD [ROUNDS]
#
# Each round runs, for BEFORE then AFTER: bench-submit --frames (Submit to the next grid
# painted), bench-ui-stall (the worst main-loop stall of a whole demo run) and bench-browser
# (first screen and scrolling of 20,000 images; the study is made once, in a temporary folder,
# and shared by both builds, whose schemas must agree). ROUNDS defaults to 2. Prints each run's
# summary lines. Build both with the same buildtype; see each bench's header for its figures.
set -euo pipefail
before=$1 after=$2 rounds=${3:-2}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
study="$work/browser/study.likeness"
mkdir -p "$work/browser"

bench () {
  local build=$1 screen=$2
  shift 2
  xvfb-run -a -s "-screen 0 ${screen}x24 -nolisten tcp" \
    env GSK_RENDERER=cairo GTK_A11Y=none GSETTINGS_BACKEND=memory \
    GSETTINGS_SCHEMA_DIR="$build/data" TMPDIR="$work" "$@"
}

for round in $(seq "$rounds"); do
  for which in before after; do
    if [ $which = before ]; then build=$before; else build=$after; fi
    echo "=== round $round, $which ($build)"
    bench "$build" 1280x800 "$build/bench/bench-submit" --frames 2>&1 \
      | grep -E "submit -> after-paint|main thread's CPU time from"
    bench "$build" 1400x900 "$build/bench/bench-ui-stall" 2>&1 \
      | grep -E "worst main-loop stall|main-thread CPU time per frame"
    bench "$build" 1400x1000 "$build/bench/bench-browser" --study="$study" 2>&1 \
      | grep -E "first screen|worst main-loop iteration while|main thread's CPU in its worst"
  done
done
