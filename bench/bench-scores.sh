#!/bin/bash
# bench-scores.sh — the README's scores table: a simulated study whose labels do not follow
# colour, sorted to its budget by a participant judging by the ground truth, then rated on
# triplets, forced choices, match pages and intruder HITs by simulated raters
# (demo-trials.py), and every metric scored with `likeness-cli score`.
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
"$cli" answer "$tmp/study.likeness" --truth "$tmp/truth.csv" --count 150 > /dev/null
/usr/bin/python3 "$here/demo-trials.py" trials "$tmp/truth.csv" "$seed" "$tmp/trials.csv"
"$cli" import-trials "$tmp/study.likeness" "$tmp/trials.csv"
"$cli" score "$tmp/study.likeness" "${@:3}"
