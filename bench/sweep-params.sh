#!/bin/bash
# Measures the choices the paper leaves open: final 10-NN recall of the paper's method on
# colors:1000, budget 1200, 5 phases, mean over seeds 1..3, varying one parameter at a time
# from the defaults. Usage: bench/sweep-params.sh [BUILD_DIR]
set -euo pipefail
CLI=${1:-build}/src/cli/likeness-cli
run () {
  "$CLI" simulate --dataset colors:1000 --budget 1200 --phases 5 --seeds 1..3 "$@" \
    | awk '/^ mean/ { r = $4; s = $7; t = $8 } END { printf "%.4f %.4f %.3f\n", r, s, t }'
}
printf "%-22s %8s %8s %8s\n" "setting" "recall10" "stress" "s/phase"
printf "%-22s %s\n" "defaults" "$(run)"
for v in 2 3 4 5; do printf "%-22s %s\n" "--dim $v" "$(run --dim $v)"; done
for v in 20 30 60 80; do printf "%-22s %s\n" "--k $v" "$(run --k $v)"; done
for v in 0.0001 0.01 0.1; do printf "%-22s %s\n" "--epsilon $v" "$(run --epsilon $v)"; done
for v in 25 50 100 400; do printf "%-22s %s\n" "--iterations $v" "$(run --iterations $v)"; done
for v in 2 8; do printf "%-22s %s\n" "--beta $v" "$(run --beta $v)"; done
