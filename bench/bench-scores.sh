#!/bin/bash
# bench-scores.sh — the README's scores table: a simulated study whose labels do not follow
# colour (demo-trials.py images), sorted to its budget by a participant judging by the ground
# truth, then triplets, forced choices, match pages and intruder HITs drawn from the study's
# embedding and answered by 3 simulated raters judging by the same truth with 10 % random
# answers (`likeness-cli answer --trials`), and every metric scored with `likeness-cli score`.
# 600 triplets (about 460 unanimous) and 60 forced choices, so that the learned metric's 95 %
# intervals clear the descriptors' (with 200 triplets the learned and HOG intervals touched).
#   bench/bench-scores.sh _build/src/cli/likeness-cli [SEED]
# SPDX-License-Identifier: GPL-3.0-or-later
set -euo pipefail
cli="$(realpath "${1:?usage: bench-scores.sh LIKENESS_CLI [SEED]}")"
seed="${2:-1}"
here="$(dirname "$(realpath "$0")")"
tmp="$(mktemp -d "${TMPDIR:-/tmp}/lk-bench-scores-XXXXXX")"
trap 'rm -rf "$tmp"' EXIT

/usr/bin/python3 "$here/demo-trials.py" images "$tmp/images" 200 "$seed"
"$cli" create "$tmp/study.likeness" --images "$tmp/images" --nq 16 --nc 4 --budget 150 \
  --phases 3 --seed "$seed" > /dev/null
"$cli" answer "$tmp/study.likeness" --truth "$tmp/truth.csv" --count 150 \
  --trials triplet:600,choice5:60,match:40,intruder:20 --raters 3 --noise-random-bin 0.1 \
  > /dev/null
"$cli" score "$tmp/study.likeness" "${@:3}"
