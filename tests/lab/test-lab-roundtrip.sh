#!/bin/bash
# pg-push then pg-pull gives back the same study: answers, pairs, JSON, embedding and k-NN
# exports identical, check ok, the same phases on replay; stations answering through the lease
# path and a pull give a study file that checks ok; every misuse is refused with a message.
# Run inside tests/lab/pg-cluster.sh (PGHOST... set). Usage: test-lab-roundtrip.sh LIKENESS_CLI
set -euo pipefail
CLI=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# likeness-cli's own temporary files (pg-push's private copy) go here, so the test can tell
# that none is left behind even with other tests running.
mkdir "$tmp/t"
export TMPDIR=$tmp/t
fail() { echo "FAIL: $*" >&2; exit 1; }

/usr/bin/python3 - "$tmp/imgs" <<'PY'
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

# A study with a completed phase (embedding stored) and answers in the next one.
"$CLI" create "$tmp/a.likeness" --images "$tmp/imgs" --budget 18 --phases 3 --nq 10 --k 12 \
  --seed 5 >/dev/null
[ "$("$CLI" answer "$tmp/a.likeness" --count 8 | grep -c '^saved ')" -eq 8 ] || fail "answering"
# and a triplet trial (schema 7), which push and pull carry too.
cat > "$tmp/trials.csv" <<'CSV'
answer,participant,session,query,kind,block,group,phase,position,item,path,role,side,key,chosen,choice,shown_us,submitted_us
1,P9,1,1,triplet,1,4,0,0,0,sub/c00.png,query,top,0,0,4,100,2500
1,P9,1,1,triplet,1,4,0,1,0,c01.png,a,right,0,0,4,100,2500
1,P9,1,1,triplet,1,4,0,2,0,c02.png,b,left,0,1,4,100,2500
CSV
"$CLI" import-trials "$tmp/a.likeness" "$tmp/trials.csv" | grep -q '^imported 1 trials' \
  || fail "import-trials"

exports() {  # STUDY PREFIX
  "$CLI" export "$1" --answers "$2-answers.csv" --pairs "$2-pairs.csv" --json "$2.json" \
    --embedding "$2-embedding.csv" --knn "$2-knn.csv" --trials "$2-trials.csv"
}
same_exports() {  # PREFIX_A PREFIX_B
  for e in -answers.csv -pairs.csv .json -embedding.csv -knn.csv -trials.csv; do
    cmp -s "$1$e" "$2$e" || { diff "$1$e" "$2$e" | head -5 >&2; fail "export $e differs"; }
  done
}

"$LK_PG_BIN/createdb" rt1
"$CLI" pg-push "$tmp/a.likeness" postgresql:///rt1 | grep -q '^pushed ' || fail "pg-push"
"$CLI" pg-pull postgresql:///rt1 "$tmp/b.likeness" | grep -q '^pulled ' || fail "pg-pull"
"$CLI" check "$tmp/b.likeness" | grep -q ': ok$' || fail "check of the pulled study"
exports "$tmp/a.likeness" "$tmp/a"
exports "$tmp/b.likeness" "$tmp/b"
same_exports "$tmp/a" "$tmp/b"
echo "ok: push then pull gives identical exports (answers, pairs, JSON, embedding, k-NN, trials)"

# The source is untouched by the push (its open grids were drawn in a private copy).
cp "$tmp/a.likeness" "$tmp/a-before.likeness"
"$LK_PG_BIN/createdb" rt2
"$CLI" pg-push "$tmp/a.likeness" postgresql:///rt2 >/dev/null
cmp -s "$tmp/a.likeness" "$tmp/a-before.likeness" || fail "pg-push changed the study file"
[ -z "$(ls -A "$tmp/t")" ] || fail "likeness-cli left temporary files: $(ls -A "$tmp/t")"

# Two stations answer the rest of the study through the lease path, the second one folding
# each complete phase in as the refiner; the pulled study checks ok with every answer once.
"$CLI" answer postgresql:///rt2 --station s1 --count 2 >"$tmp/s1.out"
"$CLI" answer postgresql:///rt2 --station s2 --participant P2 >"$tmp/s2.out" 2>"$tmp/s2.err"
n1=$(grep -c '^saved ' "$tmp/s1.out"); n2=$(grep -c '^saved ' "$tmp/s2.out")
[ "$n1" -eq 2 ] && [ "$n2" -eq 8 ] || fail "stations saved $n1 and $n2 answers, expected 2 and 8"
[ "$(grep -c '^stored phase ' "$tmp/s2.out")" -eq 2 ] || fail "phases stored: $(cat "$tmp/s2.out")"
"$CLI" check postgresql:///rt2 | grep -q ': ok$' || fail "check on the URI"
"$CLI" info postgresql:///rt2 | grep -q '^answers: 18 (late 0)$' || fail "info on the URI"
"$CLI" info postgresql:///rt2 | grep -q '^phases done: 3$' || fail "phases on the URI"
"$CLI" pg-pull postgresql:///rt2 "$tmp/c.likeness" >/dev/null
"$CLI" check "$tmp/c.likeness" | grep -q ': ok$' || fail "check of the pulled study"
ids=$("$CLI" export "$tmp/c.likeness" --answers - | tail -n +2 | cut -d, -f1 | sort -u | wc -l)
[ "$ids" -eq 18 ] || fail "the pulled study has $ids answers, expected 18"
"$CLI" info "$tmp/c.likeness" | grep -q '^answers *18 of a budget of 18' || fail "pulled info"
echo "ok: two stations answered the study through leases and the refiner; the pulled study checks ok"

# export and settings take the URI: the exports equal those of the pulled file (through a
# private pull whose temporary file is removed), settings are read from and written to the
# lab's setting table, logged as an event, and carried by a pull; a bad value changes nothing.
"$CLI" export postgresql:///rt2 --answers "$tmp/u-answers.csv" --json "$tmp/u.json" \
  --embedding "$tmp/u-embedding.csv" >/dev/null
"$CLI" export "$tmp/c.likeness" --answers "$tmp/c-answers.csv" --json "$tmp/c.json" \
  --embedding "$tmp/c-embedding.csv" >/dev/null
for e in -answers.csv .json -embedding.csv; do
  cmp -s "$tmp/u$e" "$tmp/c$e" || fail "export on the URI differs from the pulled file's ($e)"
done
[ "$(tail -n +2 "$tmp/u-answers.csv" | cut -d, -f1 | sort -u | wc -l)" -eq 18 ] \
  || fail "export on the URI: not 18 answers"
"$CLI" export postgresql:///rt2 --answers - >"$tmp/s-answers.csv"
cmp -s "$tmp/s-answers.csv" "$tmp/c-answers.csv" || fail "export on the URI to standard output"
[ -z "$(ls -A "$tmp/t")" ] || fail "export left temporary files: $(ls -A "$tmp/t")"
"$CLI" settings postgresql:///rt2 | grep -q '^break-every  *10$' || fail "settings on the URI"
"$CLI" settings postgresql:///rt2 --set break-every=4 --set all-placed=true \
  | grep -q '^break-every  *4$' || fail "settings --set on the URI"
"$CLI" settings postgresql:///rt2 | grep -q '^all-placed  *true$' || fail "settings read back"
rt2() { "$LK_PG_BIN/psql" -XAtq -d rt2 -c "$1"; }
[ "$(rt2 "SELECT value FROM setting WHERE key = 'session.break-every'")" = 4 ] \
  || fail "the setting is not in the lab's setting table"
[ "$(rt2 "SELECT count(*) FROM event WHERE kind = 'settings'")" = 1 ] \
  || fail "the change was not logged"
set +e
out=$("$CLI" settings postgresql:///rt2 --set grids-per-participant=1000 2>&1); st=$?
set -e
[ $st -eq 1 ] && grep -q 'budget' <<<"$out" || fail "a setting over the budget: $st $out"
set +e
out=$("$CLI" settings postgresql:///rt2 --set nosuch=1 2>&1); st=$?
set -e
[ $st -eq 2 ] && grep -q 'nosuch' <<<"$out" || fail "an unknown setting: $st $out"
"$CLI" settings postgresql:///rt2 | grep -q '^grids-per-participant  *0$' \
  || fail "a refused change was stored"
"$CLI" settings postgresql:///rt2 --set break-every= | grep -q '^break-every  *10$' \
  || fail "back to the default"
[ "$(rt2 "SELECT count(*) FROM setting WHERE key = 'session.break-every'")" = 0 ] \
  || fail "a setting at its default keeps its row"
# Lab stations keep no group names: turning them on is said, not ignored in silence.
out=$("$CLI" settings postgresql:///rt2 --set group-names=true 2>&1 >/dev/null)
grep -q 'lab stations keep no group names' <<<"$out" || fail "group-names on a lab study: $out"
out=$("$CLI" settings postgresql:///rt2 --set group-names=false 2>&1 >/dev/null)
[ -z "$out" ] || fail "group-names off still warned: $out"
"$CLI" pg-pull postgresql:///rt2 "$tmp/e.likeness" >/dev/null
"$CLI" settings "$tmp/e.likeness" | grep -q '^all-placed  *true$' || fail "the pull lost a setting"
echo "ok: export and settings on the URI"

# Misuse: a second push into a study, a password in the URI, a pull over a file, a pull of an
# empty database, a file where the URI goes. Each says what to do, none writes anything.
set +e
out=$("$CLI" pg-push "$tmp/a.likeness" postgresql:///rt1 2>&1); st=$?
set -e
[ $st -eq 1 ] && grep -q 'not empty' <<<"$out" && grep -q 'createdb' <<<"$out" \
  || fail "a push into a non-empty database: $st $out"
set +e
out=$("$CLI" pg-push "$tmp/a.likeness" "postgresql://postgres:secret@/rt1" 2>&1); st=$?
set -e
[ $st -eq 1 ] && grep -q 'pgpass' <<<"$out" || fail "a password in the URI: $st $out"
set +e
out=$("$CLI" pg-pull postgresql:///rt1 "$tmp/b.likeness" 2>&1); st=$?
set -e
[ $st -eq 1 ] && grep -q 'already exists' <<<"$out" || fail "a pull over a file: $st $out"
"$LK_PG_BIN/createdb" empty
set +e
out=$("$CLI" pg-pull postgresql:///empty "$tmp/d.likeness" 2>&1); st=$?
set -e
[ $st -eq 1 ] && grep -q 'no Likeness lab study' <<<"$out" && [ ! -e "$tmp/d.likeness" ] \
  || fail "a pull of an empty database: $st $out"
set +e
out=$("$CLI" info postgresql:///nosuchdb 2>&1); st=$?
set -e
[ $st -eq 1 ] && grep -q 'Could not connect' <<<"$out" || fail "a missing database: $st $out"
set +e
out=$("$CLI" pg-pull "$tmp/a.likeness" postgresql:///rt1 2>&1); st=$?
set -e
[ $st -eq 2 ] && grep -q 'URI comes first' <<<"$out" || fail "arguments swapped: $st $out"
[ -z "$(find "$tmp" -name '*partial*' -o -name '*-journal')" ] && [ -z "$(ls -A "$tmp/t")" ] \
  || fail "temporary files left behind: $(find "$tmp" -name '*partial*' -o -name '*-journal')"
echo "ok: misuse refused with a message"
