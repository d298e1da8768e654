#!/bin/bash
# A simulated image study's tidy CSV loads in Python's csv module with the documented columns,
# and export -> import-answers into a fresh study reproduces the same pair evidence.
# Usage: test-roundtrip.sh LIKENESS_CLI
set -euo pipefail
CLI=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# 30 small PNGs of random colours, a third of them in a subfolder (zlib alone, no tools needed).
python3 - "$tmp/imgs" <<'PY'
import os, random, struct, sys, zlib
root = sys.argv[1]
os.makedirs(os.path.join(root, "sub"))
def png(path, w, h, rgb):
    raw = b"".join(b"\x00" + bytes(rgb) * w for _ in range(h))
    def chunk(t, d):
        return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xffffffff)
    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
                + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))
random.seed(2385)
for i in range(30):
    png(os.path.join(root, "sub" if i % 3 == 0 else "", "c%02d.png" % i), 16, 16,
        [random.randrange(256) for _ in range(3)])
PY

params=(--budget 12 --phases 2 --nq 10 --k 12 --seed 5)
"$CLI" create "$tmp/a.likeness" --images "$tmp/imgs" "${params[@]}" >/dev/null
saved=$("$CLI" answer "$tmp/a.likeness" | grep -c '^saved ')
[ "$saved" -eq 12 ] || { echo "expected 12 saved answers, got $saved"; exit 1; }
"$CLI" export "$tmp/a.likeness" --answers "$tmp/a.csv" --pairs "$tmp/a-pairs.csv"

python3 - "$tmp/a.csv" <<'PY'
import csv, sys
columns = ["answer", "participant", "session", "query", "phase", "position", "item", "path",
           "bin", "shown_us", "submitted_us", "gold", "repeat_of"]
with open(sys.argv[1], newline="") as f:
    rows = list(csv.DictReader(f))
    assert rows and list(rows[0].keys()) == columns, rows[0].keys() if rows else "no rows"
# 12 answers of 10 images each, one row per answer and image.
assert len(rows) == 120, len(rows)
assert len({r["answer"] for r in rows}) == 12
for r in rows:
    assert r["bin"] == "left_out" or 0 <= int(r["bin"]) < 4, r["bin"]
    assert r["path"].endswith(".png"), r["path"]
    assert int(r["submitted_us"]) >= int(r["shown_us"]) > 0
    assert r["participant"] == "SIM-1"
print("tidy CSV: %d rows, columns as documented" % len(rows))
PY

"$CLI" create "$tmp/b.likeness" --images "$tmp/imgs" "${params[@]}" >/dev/null
"$CLI" import-answers "$tmp/b.likeness" "$tmp/a.csv" | grep -q '^imported 12 answers$'
"$CLI" export "$tmp/b.likeness" --pairs "$tmp/b-pairs.csv"
if ! cmp -s "$tmp/a-pairs.csv" "$tmp/b-pairs.csv"; then
  echo "the pair evidence differs after export -> import-answers:"
  diff "$tmp/a-pairs.csv" "$tmp/b-pairs.csv" | head
  exit 1
fi
echo "pair evidence identical after export -> import-answers ($(wc -l < "$tmp/a-pairs.csv") lines)"
