#!/bin/bash
# The README's test command: installs what is missing, builds from scratch in _build-tests and
# runs every test suite (the UI ones under Xvfb). Prints "N passed, N failed, N skipped".
set -euo pipefail
cd "$(dirname "$0")/.."
build-aux/install-deps.sh
BUILD=${LK_BUILD_DIR:-_build-tests}
rm -rf "$BUILD"
meson setup "$BUILD" --buildtype=debugoptimized -Dwerror=true >/dev/null
ninja -C "$BUILD"
rc=0
xvfb-run -a -s '-screen 0 1280x800x24 -nolisten tcp' \
  meson test -C "$BUILD" --print-errorlogs --num-processes 2 </dev/null || rc=$?
python3 - "$BUILD/meson-logs/testlog.json" <<'PY'
import json, sys
c = {"OK": 0, "FAIL": 0, "SKIP": 0}
for line in open(sys.argv[1]):
    r = json.loads(line)["result"]
    c["OK" if r in ("OK", "EXPECTEDFAIL") else "SKIP" if r == "SKIP" else "FAIL"] += 1
print(f"{c['OK']} passed, {c['FAIL']} failed, {c['SKIP']} skipped")
PY
exit $rc
