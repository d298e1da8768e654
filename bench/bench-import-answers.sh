#!/bin/bash
# bench-import-answers.sh — the time and peak memory of `likeness-cli import-answers` on tidy
# answer CSVs of about 10, 50 and 200 MB, to show that the import streams the file (its memory
# grows with the answers it adds, not with the file's size).
#
#   bench/bench-import-answers.sh [LIKENESS_CLI] [MB...]
#
# LIKENESS_CLI defaults to _build/src/cli/likeness-cli; the sizes default to 10 50 200. Run on
# demand (not part of `meson test`; tests/cli/test-import-answers-memory.py is the suite's check).
# In a private temporary folder (removed on every exit) it creates a study of 60 small PNGs
# (20 images a grid), answers 20 grids with the simulated participant, exports them with
# `export --answers`, and for each size writes a CSV of those rows repeated, each copy with its
# own answer, participant and session columns: the import recognises an answer it already holds
# by participant, times, images and bins, so a new participant makes each copy a new answer.
# Each CSV is imported into a fresh copy of the study; printed per size: rows, MB, seconds
# (wall clock of the import process), peak RSS (ru_maxrss of that child, from wait4) and the
# answers it reported added. Needs python3 (standard library only) and about 2x the largest
# size of free space in TMPDIR.
#
# One run each (Debian 12, debugoptimized, 2 busy cores), rows of about 94 bytes, 20 to an
# answer, before and after the rows were staged in an SQLite temporary table:
#       CSV    before: seconds / peak RSS    after: seconds / peak RSS
#     10 MB             0.70 / 20.9 MB                0.82 / 18.3 MB
#     50 MB             2.94 / 39.0 MB                4.24 / 18.4 MB
#    200 MB            11.15 / 108.1 MB              15.30 / 18.4 MB
# The peak no longer grows with the answers (it used to grow by about 0.9 KB per answer, and
# before that with about 3x the file's size); the staging costs 1.2-1.4x the time.
set -euo pipefail
cli=${1:-_build/src/cli/likeness-cli}
shift || true
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(10 50 200)
[ -x "$cli" ] || { echo "no likeness-cli at '$cli': give its path as the first argument" >&2; exit 2; }
cli=$(cd "$(dirname "$cli")" && pwd)/$(basename "$cli")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

python3 - "$work/imgs" <<'PY'
import os, struct, sys, zlib
root = sys.argv[1]
os.makedirs(os.path.join(root, "roll-1"))
def png(path, rgb):
    raw = b"".join(b"\x00" + bytes(rgb) * 16 for _ in range(16))
    def chunk(t, d):
        return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xffffffff)
    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 16, 16, 8, 2, 0, 0, 0))
                + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))
for i in range(60):
    png(os.path.join(root, "roll-1", "IMG_%04d.png" % i), [(i * 53) % 256, (i * 101) % 256, (i * 29) % 256])
PY

"$cli" create "$work/study.likeness" --images "$work/imgs" --budget 40 --phases 2 --nq 20 \
  --k 20 --seed 3 >/dev/null
"$cli" answer "$work/study.likeness" --count 20 >/dev/null
"$cli" export "$work/study.likeness" --answers "$work/answers.csv"

python3 - "$cli" "$work" "${sizes[@]}" <<'PY'
import csv, os, shutil, subprocess, sys, time
cli, work, sizes = sys.argv[1], sys.argv[2], [float(s) for s in sys.argv[3:]]
with open(os.path.join(work, "answers.csv"), newline="") as f:
    reader = csv.reader(f)
    header = next(reader)
    rows = list(reader)
print("likeness-cli import-answers: %d answers of %d rows exported, repeated" %
      (len({r[0] for r in rows}), len(rows)))
print("%10s %9s %9s %14s %14s" % ("rows", "MB", "seconds", "peak RSS (MB)", "answers added"))
for mb in sizes:
    path = os.path.join(work, "answers-%g.csv" % mb)
    n_rows = 0
    with open(path, "w", newline="") as out:
        out.write(",".join(header) + "\n")
        c = 0
        while out.tell() < mb * 1e6:
            out.write("".join("c%d-%s,%s-c%d,c%d-%s,%s\n" % (c, r[0], r[1], c, c, r[2],
                                                             ",".join(r[3:])) for r in rows))
            n_rows += len(rows)
            c += 1
    study = os.path.join(work, "import.likeness")
    shutil.copyfile(os.path.join(work, "study.likeness"), study)
    with open(os.path.join(work, "out"), "w") as out:
        start = time.monotonic()
        p = subprocess.Popen([cli, "import-answers", study, path], stdout=out,
                             stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(p.pid, 0)
        seconds = time.monotonic() - start
    with open(os.path.join(work, "out")) as f:
        text = f.read().strip()
    if os.waitstatus_to_exitcode(status) != 0 or not text.startswith("imported "):
        sys.exit("import-answers of %s failed: %s" % (path, text))
    print("%10d %9.1f %9.2f %14.1f %14s" % (n_rows, os.path.getsize(path) / 1e6, seconds,
                                            usage.ru_maxrss / 1024, text.split()[1]))
    os.remove(path)
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(study + suffix):
            os.remove(study + suffix)
PY
