#!/bin/bash
# The README's run command: installs what is missing, builds in _build and runs the main job.
# Until the GTK app lands this is a simulated study on the built-in colours demo; extra
# arguments go to `likeness-cli simulate`.
set -euo pipefail
cd "$(dirname "$0")/.."
build-aux/install-deps.sh
BUILD=${LK_BUILD_DIR:-_build}
[ -d "$BUILD" ] || meson setup "$BUILD" --buildtype=release >/dev/null
ninja -C "$BUILD" >/dev/null
exec "$BUILD/src/cli/likeness-cli" simulate --dataset colors:1000 --budget 1200 --phases 5 "$@"
