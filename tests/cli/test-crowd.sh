#!/bin/bash
# Crowd batches round trip, for each platform: crowd-export a batch of 20 grids, answer it from
# the manifest with a simulated participant (image item -> bin item % 4), wrap the answers in the
# platform's results layout, crowd-import: 20 answers with the right participants and bins; a
# second import adds nothing; the status filter (rejected stored but left out of the model,
# unreviewed left for later); MTurk's taskAnswers form; a foreign or altered file refused.
# Usage: test-crowd.sh LIKENESS_CLI
set -euo pipefail
CLI=$1
PY=/usr/bin/python3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

"$PY" - "$tmp/imgs" "$tmp/other" <<'PY'
import os, random, struct, sys, zlib
def png(path, rgb):
    raw = b"".join(b"\x00" + bytes(rgb) * 16 for _ in range(16))
    def chunk(t, d):
        return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xffffffff)
    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 16, 16, 8, 2, 0, 0, 0))
                + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))
for root, seed in ((sys.argv[1], 17), (sys.argv[2], 18)):
    os.makedirs(root)
    random.seed(seed)
    for i in range(30):
        png(os.path.join(root, "c%02d.png" % i), [random.randrange(256) for _ in range(3)])
PY

params=(--budget 40 --phases 2 --nq 8 --nc 4 --k 12 --seed 5)
expect() {  # expect PATTERN COMMAND...: the command succeeds and prints a line matching PATTERN
  local pattern=$1; shift
  local out
  out=$("$@") || { echo "failed: $*"; echo "$out"; exit 1; }
  grep -qE "$pattern" <<<"$out" || { echo "expected /$pattern/ from: $*"; echo "got: $out"; exit 1; }
}
refuse() {  # refuse PATTERN COMMAND...: the command exits 1 with PATTERN on standard error
  local pattern=$1; shift
  local rc=0
  "$@" >/dev/null 2>"$tmp/err" || rc=$?
  [ "$rc" -eq 1 ] || { echo "expected exit 1, got $rc: $*"; cat "$tmp/err"; exit 1; }
  grep -qE "$pattern" "$tmp/err" || { echo "expected /$pattern/ on stderr of: $*"; cat "$tmp/err"; exit 1; }
}

"$CLI" create "$tmp/foreign.likeness" --images "$tmp/other" "${params[@]}" >/dev/null
# Made a version-5 file (before crowd batches and participants left out): the first writable
# open migrates it.
"$PY" - "$tmp/foreign.likeness" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
# What versions after 5 added goes too, so the upgrade runs every step from 5.
db.executescript("DROP TABLE answer_group_name; DROP TABLE trial;"
                 "ALTER TABLE answer DROP COLUMN choice; ALTER TABLE query DROP COLUMN kind;"
                 "DROP TABLE participant_excluded; DROP TABLE gold_item; DROP TABLE gold_grid;"
                 "ALTER TABLE query DROP COLUMN gold; ALTER TABLE query DROP COLUMN repeat_of;"
                 "ALTER TABLE participant DROP COLUMN status;"
                 "DROP TABLE crowd_assignment; DROP TABLE crowd_grid; DROP TABLE crowd_batch;"
                 "PRAGMA user_version = 5;")
db.close()
PY
"$CLI" crowd-export "$tmp/foreign.likeness" --platform mturk --grids 5 --base-url https://x.example \
  --out "$tmp/foreign-batch" >/dev/null

for platform in toloka mturk; do
  study="$tmp/$platform.likeness"
  batch="$tmp/$platform-batch"
  "$CLI" create "$study" --images "$tmp/imgs" "${params[@]}" >/dev/null

  # Refusals before anything is written.
  mkdir -p "$tmp/full" && touch "$tmp/full/old"
  refuse "not empty" "$CLI" crowd-export "$study" --platform "$platform" --grids 20 \
    --base-url https://h.example/b1 --out "$tmp/full"
  refuse "fewer than the 30 asked for" "$CLI" crowd-export "$study" --platform "$platform" \
    --grids 30 --base-url https://h.example/b1 --out "$tmp/$platform-too-many"
  rc=0; "$CLI" crowd-export "$study" --platform "$platform" --grids 20 --base-url ftp://h \
    --out "$tmp/x" 2>/dev/null || rc=$?
  [ "$rc" -eq 1 ] || { echo "an ftp:// base URL was not refused ($rc)"; exit 1; }

  expect "^exported 20 grids for $platform" "$CLI" crowd-export "$study" --platform "$platform" \
    --grids 20 --base-url https://h.example/b1/ --out "$batch"
  # The lab no longer serves them, and a second batch finds none ready.
  refuse "no grids ready" "$CLI" crowd-export "$study" --platform "$platform" --grids 1 \
    --base-url https://h.example/b1 --out "$tmp/$platform-again"

  "$PY" - "$platform" "$batch" "$tmp" <<'PY'
import csv, hashlib, json, os, sys
platform, batch, tmp = sys.argv[1:]
m = json.load(open(os.path.join(batch, "batch.json")))
assert m["platform"] == platform and len(m["grids"]) == 20 and m["base_url"] == "https://h.example/b1"
assert m["nc"] == 4 and m["seed"] == 5 and m["study"]
for g in m["grids"]:
    assert len(g["items"]) == 8
    for it in g["items"]:
        data = open(os.path.join(batch, "images", it["sha256"] + ".png"), "rb").read()
        assert hashlib.sha256(data).hexdigest() == it["sha256"]
        assert it["url"] == "https://h.example/b1/images/%s.png" % it["sha256"]
page = open(os.path.join(batch, "task.html")).read()
assert "<script src" not in page and "@PLATFORM@" not in page and "@NC@" not in page
if platform == "toloka":
    tasks = json.load(open(os.path.join(batch, "tasks.json")))
    assert [t["input_values"]["grid_id"] for t in tasks] == [g["grid_id"] for g in m["grids"]]
    assert tasks[0]["input_values"]["images"] == [it["url"] for it in m["grids"][0]["items"]]
else:
    rows = list(csv.DictReader(open(os.path.join(batch, "input.csv"), newline="")))
    assert [r["grid_id"] for r in rows] == [g["grid_id"] for g in m["grids"]]
    assert rows[0]["images"].split("|") == [it["url"] for it in m["grids"][0]["items"]]
    assert rows[0]["n_images"] == "8"

def answer(g):  # the simulated participant: image item -> bin item % 4
    return [it["item"] % 4 for it in g["items"]]

def toloka(rows, path):
    cols = ["INPUT:grid_id", "INPUT:images", "OUTPUT:result", "GOLDEN:result", "HINT:text",
            "ASSIGNMENT:link", "ASSIGNMENT:assignment_id", "ASSIGNMENT:worker_id",
            "ASSIGNMENT:status", "ASSIGNMENT:started"]
    with open(path, "w", newline="") as f:
        w = csv.writer(f, delimiter="\t", lineterminator="\n")
        w.writerow(cols)
        for g, aid, worker, status in rows:
            images = ",".join(json.dumps(it["url"]) for it in g["items"])
            result = ",".join(json.dumps({"image": it["url"], "group": b + 1}, separators=(",", ":"))
                              for it, b in zip(g["items"], answer(g)))
            w.writerow([g["grid_id"], images, result, "", "", "https://toloka.example/a", aid,
                        worker, status, "2026-12-07T10:00:00.000"])

def mturk(rows, path, task_answers=False):
    cols = ["HITId", "HITTypeId", "Title", "AssignmentId", "WorkerId", "AssignmentStatus",
            "AcceptTime", "SubmitTime", "WorkTimeInSeconds", "Input.grid_id", "Input.n_images",
            "Input.images", "Answer.taskAnswers" if task_answers else "Answer.sorting",
            "Approve", "Reject"]
    with open(path, "w", newline="") as f:
        w = csv.writer(f, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
        w.writerow(cols)
        for g, aid, worker, status in rows:
            bins = [[] for _ in range(4)]
            for pos, b in enumerate(answer(g)):
                bins[b].append(pos)
            while bins and not bins[-1]:
                bins.pop()
            payload = json.dumps({"grid_id": g["grid_id"], "bins": bins, "leftover": [],
                                  "moves": [], "rt_ms": 4200})
            ans = json.dumps([{"sorting": payload}]) if task_answers else payload
            w.writerow(["H" + aid, "T1", "Sort images", aid, worker, status,
                        "Mon Dec 07 10:00:00 PST 2026", "Mon Dec 07 10:01:00 PST 2026", "60",
                        g["grid_id"], "8", "|".join(it["url"] for it in g["items"]), ans, "", ""])

write = toloka if platform == "toloka" else mturk
status = {"toloka": ("APPROVED", "REJECTED", "SUBMITTED"),
          "mturk": ("Approved", "Rejected", "Submitted")}[platform]
grids = m["grids"]
# 20 approved assignments, one per grid, by four workers.
write([(g, "A%02d" % i, "W%d" % (i % 4), status[0]) for i, g in enumerate(grids)],
      os.path.join(tmp, platform + "-results"))
# A second file: another worker's rejected and unreviewed assignments to grids 0 and 1.
write([(grids[0], "B01", "W9", status[1]), (grids[1], "B02", "W9", status[2])],
      os.path.join(tmp, platform + "-review"))
# The same answers with one image of grid 3 replaced: not this study's grid.
rows = [(g, "C%02d" % i, "W5", status[0]) for i, g in enumerate(grids[:4])]
altered = json.loads(json.dumps(grids[3]))
altered["items"][2]["url"] = "https://h.example/b1/images/%s.png" % ("0" * 64)
rows[3] = (altered, "C03", "W5", status[0])
write(rows, os.path.join(tmp, platform + "-altered"))
if platform == "mturk":
    mturk([(grids[2], "D01", "W7", "Approved")], os.path.join(tmp, "mturk-taskanswers"), True)
PY

  results="$tmp/$platform-results"
  refuse "is not one this study handed to a batch" "$CLI" crowd-import "$tmp/foreign.likeness" "$results"
  refuse "row 5: image 3 is .*0000000000" "$CLI" crowd-import "$study" "$tmp/$platform-altered"
  other=$([ "$platform" = toloka ] && echo mturk || echo toloka)
  refuse "not $( [ "$other" = toloka ] && echo Toloka || echo Mechanical) " \
    "$CLI" crowd-import "$study" "$results" --platform "$other"

  expect "^20 answers imported, 0 already present$" "$CLI" crowd-import "$study" "$results"
  expect "^0 answers imported, 20 already present$" "$CLI" crowd-import "$study" "$results" \
    --platform "$platform"
  # The rejected answer is no evidence: the pair export is the same before and after it.
  "$CLI" export "$study" --pairs "$tmp/$platform-pairs-before.csv"
  expect "^1 answers imported, 0 already present; 1 of them rejected: stored, left out of the model; 1 not yet reviewed" \
    "$CLI" crowd-import "$study" "$tmp/$platform-review"
  "$CLI" export "$study" --pairs "$tmp/$platform-pairs-after.csv"
  cmp "$tmp/$platform-pairs-before.csv" "$tmp/$platform-pairs-after.csv" ||
    { echo "FAIL: a rejected crowd answer reached the pair export" >&2; exit 1; }
  expect "^1 answers imported, 1 already present$" "$CLI" crowd-import "$study" \
    "$tmp/$platform-review" --status all
  if [ "$platform" = mturk ]; then
    expect "^1 answers imported, 0 already present$" "$CLI" crowd-import "$study" "$tmp/mturk-taskanswers"
  fi
  "$CLI" check "$study" >/dev/null

  # Every answer in the tidy export, with its worker as participant and the simulated bins.
  "$CLI" export "$study" --answers "$tmp/$platform.csv"
  # The phase is folded in as the lab's would be; the rejected answer is left out of it.
  "$CLI" answer "$study" --count 1 >/dev/null
  "$PY" - "$platform" "$tmp/$platform.csv" "$study" "$batch" <<'PY'
import csv, json, os, sqlite3, sys
platform, path, study, batch = sys.argv[1:]
rows = list(csv.DictReader(open(path, newline="")))
answers = {}
for r in rows:
    answers.setdefault(r["answer"], []).append(r)
expected = 23 if platform == "mturk" else 22
assert len(answers) == expected, (len(answers), expected)
workers = {rs[0]["participant"] for rs in answers.values()}
want = {"%s:W%d" % (platform, i) for i in (0, 1, 2, 3, 9)} | ({"mturk:W7"} if platform == "mturk" else set())
assert workers == want, workers
import datetime
def us(text):
    return int(datetime.datetime.fromisoformat(text).timestamp() * 1000000)
for rs in answers.values():
    for r in rs:
        assert r["bin"] == str(int(r["item"]) % 4), r
    # The platform's times: Toloka's ASSIGNMENT:started (UTC, no zone); MTurk's SubmitTime in
    # Pacific time, less the page's rt_ms for the time shown.
    if platform == "toloka":
        assert int(rs[0]["shown_us"]) == us("2026-12-07T10:00:00+00:00"), rs[0]
    else:
        assert int(rs[0]["submitted_us"]) == us("2026-12-07T18:01:00+00:00"), rs[0]
        assert int(rs[0]["shown_us"]) == int(rs[0]["submitted_us"]) - 4200000, rs[0]
db = sqlite3.connect(study)
phase0 = db.execute("SELECT answers FROM phase WHERE phase = 0").fetchone()[0]
assert phase0 == expected - 1, (phase0, expected)   # the rejected one is not in the model
sources = {s for (s,) in db.execute("SELECT DISTINCT source FROM answer WHERE participant IN "
                                    "(SELECT id FROM participant WHERE code LIKE ?)", (platform + ":%",))}
assert sources == {platform}, sources
ids = {g["query"] for g in json.load(open(os.path.join(batch, "batch.json")))["grids"]}
answered = {q for (q,) in db.execute("SELECT query FROM answer")}
assert ids <= answered, "the batch's own grids were not answered"
print("%s: %d answers, participants %s, bins as answered; phase 0 folded %d" %
      (platform, len(answers), sorted(workers), phase0))
PY
done
echo "crowd round trips passed"
