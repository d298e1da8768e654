#!/bin/bash
# likeness-cli gold: import known answers from a CSV (twice: the second adds nothing), list them
# as text and JSON, export them and import the export into another study, refuse a bad file
# naming its line (storing nothing), remove one; a study file from before known answers (version
# 6) is upgraded by the first write.
# Usage: test-gold.sh LIKENESS_CLI
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
random.seed(3)
for i in range(30):
    png(os.path.join(sys.argv[1], "c%02d.png" % i), [random.randrange(256) for _ in range(3)])
PY

fail() { echo "$*"; exit 1; }
params=(--budget 40 --phases 2 --nq 8 --nc 4 --k 12 --seed 5)
"$CLI" create "$tmp/a.likeness" --images "$tmp/imgs" "${params[@]}" >/dev/null
"$CLI" create "$tmp/b.likeness" --images "$tmp/imgs" "${params[@]}" >/dev/null

# Make b a version-6 file: the first write migrates it.
"$PY" - "$tmp/b.likeness" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.executescript("DROP TABLE answer_group_name; DROP TABLE trial;"
                 "ALTER TABLE answer DROP COLUMN choice; ALTER TABLE query DROP COLUMN kind;"
                 "DROP TABLE participant_excluded; DROP TABLE gold_item; DROP TABLE gold_grid;"
                 "ALTER TABLE query DROP COLUMN gold; ALTER TABLE query DROP COLUMN repeat_of;"
                 "ALTER TABLE participant DROP COLUMN status; PRAGMA user_version = 6;")
db.close()
PY

cat > "$tmp/gold.csv" <<'CSV'
gold,use,position,image,bin,instructions
page 1,training,0,c01.png,0,"Put the two reds together, then press Enter"
page 1,training,1,c02.png,0,
exam 1,exam,2,c05.png,left_out,
exam 1,exam,0,c03.png,1,
exam 1,exam,1,c04.png,0,
CSV

out=$("$CLI" gold "$tmp/a.likeness" --import "$tmp/gold.csv")
[ "$out" = "2 known answers added, 0 already present" ] || fail "first import: $out"
out=$("$CLI" gold "$tmp/a.likeness" --import "$tmp/gold.csv")
[ "$out" = "0 known answers added, 2 already present" ] || fail "second import: $out"

"$CLI" gold "$tmp/a.likeness" > "$tmp/list.txt"
grep -qP '^1\tpage 1\ttraining\t2 images in 2 bins\timport:' "$tmp/list.txt" || fail "list: $(cat "$tmp/list.txt")"
grep -qP '^2\texam 1\texam\t3 images in 2 bins, some left out\t' "$tmp/list.txt" || fail "list: $(cat "$tmp/list.txt")"

"$CLI" gold "$tmp/a.likeness" --json > "$tmp/gold.json"
"$PY" - "$tmp/gold.json" <<'PY'
import json, sys
grids = json.load(open(sys.argv[1]))
assert [g["name"] for g in grids] == ["page 1", "exam 1"], grids
exam = grids[1]
assert exam["use"] == "exam" and exam["bins"] == 2 and exam["instructions"] is None
assert [(i["position"], i["image"], i["bin"]) for i in exam["images"]] == \
    [(0, "c03.png", 1), (1, "c04.png", 0), (2, "c05.png", "left_out")], exam
assert grids[0]["instructions"] == "Put the two reds together, then press Enter"
PY

# The export imports into the version-6 study b, which is upgraded on the way.
"$CLI" gold "$tmp/a.likeness" --export "$tmp/export.csv"
out=$("$CLI" gold "$tmp/b.likeness" --import "$tmp/export.csv")
[ "$out" = "2 known answers added, 0 already present" ] || fail "import of the export: $out"
"$CLI" gold "$tmp/b.likeness" --export - > "$tmp/export-b.csv"
diff "$tmp/export.csv" "$tmp/export-b.csv" || fail "the export of b differs"
[ "$("$PY" -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("PRAGMA user_version").fetchone()[0])' "$tmp/b.likeness")" -ge 7 ] \
  || fail "b was not upgraded"

# The whole-study export carries them: --gold as gold --export writes them, the answers'
# gold and repeat_of columns, the participants' QC header, the JSON's tables.
"$CLI" export "$tmp/a.likeness" --gold "$tmp/export-gold.csv" --answers "$tmp/answers.csv" \
  --participants "$tmp/participants.csv"
diff "$tmp/export.csv" "$tmp/export-gold.csv" || fail "export --gold differs from gold --export"
[ "$(cat "$tmp/answers.csv")" = "answer,participant,session,query,phase,position,item,path,bin,shown_us,submitted_us,gold,repeat_of" ] \
  || fail "answers: $(cat "$tmp/answers.csv")"
[ "$(cat "$tmp/participants.csv")" = "participant,pilot,status,excluded,answers,median_seconds,agreement,repeats,consistency,gold_grids,gold_score,flag_inconsistent,flag_low_gold" ] \
  || fail "participants: $(cat "$tmp/participants.csv")"
"$CLI" export "$tmp/a.likeness" --json - | "$PY" -c '
import json, sys
d = json.load(sys.stdin)
assert [g["name"] for g in d["gold_grid"]] == ["page 1", "exam 1"], d["gold_grid"]
assert len(d["gold_item"]) == 5 and d["participants_qc"] == [], d
'

# A bad file is refused with its line, and stores nothing.
printf 'gold,use,position,image,bin,instructions\nnew,exam,0,c01.png,0,\nnew,exam,1,missing.png,1,\n' > "$tmp/bad.csv"
rc=0
"$CLI" gold "$tmp/a.likeness" --import "$tmp/bad.csv" 2>"$tmp/err" >/dev/null || rc=$?
[ "$rc" -eq 1 ] || fail "bad import exit $rc"
grep -q 'line 3: no image "missing.png"' "$tmp/err" || fail "bad import: $(cat "$tmp/err")"
[ "$("$CLI" gold "$tmp/a.likeness" | wc -l)" -eq 2 ] || fail "the bad import stored something"

# A plan asking for more known answers than the study has: said on standard error, the plan and
# the exam's pass mark stored.
out=$("$CLI" settings "$tmp/a.likeness" --set plan=training:5,exam:1,sort:3 --set pass-mark=75 \
      2>"$tmp/err")
grep -q "the plan's training block asks for 5 grids; the study has 1 known answers for it, so it shows 1" \
  "$tmp/err" || fail "fewer known answers: $(cat "$tmp/err")"
grep -q "exam block" "$tmp/err" && fail "the exam has enough: $(cat "$tmp/err")"
grep -q "pass-mark.*75" <<<"$out" || fail "pass-mark: $out"

# Misuse is a usage error (exit 2).
rc=0
"$CLI" gold "$tmp/a.likeness" --import "$tmp/gold.csv" --remove 1 2>/dev/null || rc=$?
[ "$rc" -eq 2 ] || fail "two actions: exit $rc"

out=$("$CLI" gold "$tmp/a.likeness" --remove 1)
[ "$out" = "Known answer 1 removed" ] || fail "remove: $out"
[ "$("$CLI" gold "$tmp/a.likeness" | wc -l)" -eq 1 ] || fail "after remove"
rc=0
"$CLI" gold "$tmp/a.likeness" --remove 1 2>"$tmp/err" >/dev/null || rc=$?
[ "$rc" -eq 1 ] && grep -q "no known answer 1" "$tmp/err" || fail "second remove: $rc $(cat "$tmp/err")"

# No known answer left for the training: no session will start, and settings says so.
"$CLI" settings "$tmp/a.likeness" 2>"$tmp/err" >/dev/null
grep -q "the plan has a training block but the study has no known answers for it" "$tmp/err" \
  || fail "no known answers: $(cat "$tmp/err")"
echo "ok"
