#!/bin/bash
# The README's run command: installs what is missing, builds in _build and starts the app,
# which opens on its start page with the built-in demo studies (no image files needed).
# Without a display it says so and runs the engine's demo instead: a simulated study on
# colors:1000 with likeness-cli. Extra arguments go to the program that runs.
set -euo pipefail
cd "$(dirname "$0")/.."
build-aux/install-deps.sh
BUILD=${LK_BUILD_DIR:-_build}
[ -d "$BUILD" ] || meson setup "$BUILD" --buildtype=release >/dev/null
ninja -C "$BUILD" >/dev/null
if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
  # Run uninstalled: the settings schema and translations come from the build folder.
  export GSETTINGS_SCHEMA_DIR="$PWD/$BUILD/data"
  exec "$BUILD/src/app/likeness" "$@"
fi
echo "No display (DISPLAY and WAYLAND_DISPLAY are unset): running the engine's demo instead." >&2
exec "$BUILD/src/cli/likeness-cli" simulate --dataset colors:1000 --budget 1200 --phases 5 "$@"
