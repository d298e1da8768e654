#!/bin/bash
# likeness-cli participants and export --model on a cen study answered by three simulated
# participants: the list (answers, pilot, left out, agreement, criterion), leaving one out
# changes the model and bringing them back gives the same model byte for byte, an unknown code
# is refused; the model's CSV and JSON hold every phase's positions and the workers' weights.
# Usage: test-participants.sh LIKENESS_CLI
set -euo pipefail
CLI=$1
PY=/usr/bin/python3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

"$PY" - "$tmp/imgs" <<'PY'
import os, random, struct, sys, zlib
def png(path, rgb):
    raw = b"".join(b"\x00" + bytes(rgb) * 16 for _ in range(16))
    def chunk(t, d):
        return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xffffffff)
    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 16, 16, 8, 2, 0, 0, 0))
                + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))
os.makedirs(sys.argv[1])
random.seed(23)
for i in range(30):
    png(os.path.join(sys.argv[1], "c%02d.png" % i), [random.randrange(256) for _ in range(3)])
PY

study=$tmp/study.likeness
"$CLI" create "$study" --images "$tmp/imgs" --method cen --budget 24 --phases 2 --nq 8 --nc 3 \
  --k 12 --seed 5 >/dev/null
for code in P-ANN P-BOB P-CID; do
  "$CLI" answer "$study" --participant "$code" --count 8 >/dev/null
done

"$CLI" participants "$study" > "$tmp/list.txt"
"$CLI" participants "$study" --json > "$tmp/list.json"
"$CLI" export "$study" --model "$tmp/before.csv" --model-json "$tmp/before.json"
"$CLI" participants "$study" --exclude P-BOB --json > "$tmp/excluded.json"
"$CLI" export "$study" --model "$tmp/excluded.csv"
"$CLI" participants "$study" --include P-BOB > /dev/null
"$CLI" export "$study" --model "$tmp/back.csv"

rc=0
"$CLI" participants "$study" --exclude NOBODY > /dev/null 2> "$tmp/err" || rc=$?
[ "$rc" = 1 ] || { echo "an unknown code was not refused (exit $rc)"; exit 1; }
grep -q "NOBODY" "$tmp/err" || { echo "the refusal does not name the code:"; cat "$tmp/err"; exit 1; }

cmp -s "$tmp/before.csv" "$tmp/back.csv" || { echo "bringing P-BOB back did not restore the model"; exit 1; }
if cmp -s "$tmp/before.csv" "$tmp/excluded.csv"; then
  echo "leaving P-BOB out did not change the model"; exit 1
fi

"$PY" - "$tmp" <<'PY'
import csv, json, sys
tmp = sys.argv[1]
text = open(tmp + "/list.txt").read().splitlines()
assert text[0].split()[:3] == ["code", "answers", "median_s"], text[0]
assert [l.split()[0] for l in text[1:]] == ["P-ANN", "P-BOB", "P-CID"], text

before = json.load(open(tmp + "/list.json"))["participants"]
assert [p["code"] for p in before] == ["P-ANN", "P-BOB", "P-CID"]
assert [p["answers"] for p in before] == [8, 8, 8], before
assert [p["worker"] for p in before] == [0, 1, 2]
assert text[0].split()[6:10] == ["status", "consistency", "gold", "flags"], text[0]
for p in before:
    assert not p["excluded"] and not p["pilot"]
    # No repeated or known-answer grids in this study: no figures, no flags.
    assert p["status"] == "active" and p["repeats"] == 0 and p["gold_grids"] == 0, p
    assert p["consistency"] is None and p["gold_score"] is None and p["flags"] == [], p
    assert p["criterion"] == "attribute-weights" and len(p["criterion_values"]) == 3, p
    assert 0 <= p["agreement"] <= 1 and p["pairs"] > 0, p

excluded = json.load(open(tmp + "/excluded.json"))["participants"]
assert [p["excluded"] for p in excluded] == [False, True, False], excluded
assert excluded[1]["answers"] == 8
# cen knows only the participants in its model.
assert excluded[1]["criterion_values"] is None, excluded[1]

rows = list(csv.DictReader(open(tmp + "/before.csv")))
phases = sorted({int(r["phase"]) for r in rows})
assert phases == [0, 1], phases
positions = [r for r in rows if r["what"] == "position"]
assert len(positions) == 2 * 30 * 3, len(positions)
weights = [r for r in rows if r["what"] == "attribute_weight"]
assert {r["participant"] for r in weights} == {"P-ANN", "P-BOB", "P-CID"}, weights[:3]
model = json.load(open(tmp + "/before.json"))
assert model["method"] == "cen"
last = model["phases"][-1]
for r in positions:
    if int(r["phase"]) == 1:
        assert float(r["value"]) == last["positions"][int(r["item"])][int(r["index"])], r
assert len(last["workers"]) == 3
excl = {r["participant"] for r in csv.DictReader(open(tmp + "/excluded.csv")) if r["what"] == "attribute_weight"}
assert excl == {"P-ANN", "P-CID"}, excl
PY
echo "ok"
