#!/bin/bash
# pg-cluster.sh itself: skips (77, saying so) without initdb; passes the command's exit status
# on; leaves nothing in TMPDIR after success, failure or SIGTERM (meson's timeout), with the
# server stopped. Usage: test-pg-cluster.sh PG_CLUSTER_SH
set -uo pipefail
HARNESS=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
# The harness's folder must be reachable by the server's user when run as root.
chmod 0755 "$tmp"

out=$(LK_PG_BINDIR=/nonexistent "$HARNESS" true 2>&1); st=$?
[ $st -eq 77 ] && grep -q '^SKIP: no PostgreSQL server found' <<<"$out" || fail "no initdb: $st $out"
echo "ok: without initdb the test is skipped, saying so"

TMPDIR=$tmp "$HARNESS" true 2>/dev/null; st=$?
[ $st -eq 77 ] && { echo "SKIP: no PostgreSQL server here"; exit 77; }
[ $st -eq 0 ] && [ -z "$(ls -A "$tmp")" ] || fail "after success: $st, left $(ls -A "$tmp")"
TMPDIR=$tmp "$HARNESS" bash -c 'exit 3' 2>/dev/null; st=$?
[ $st -eq 3 ] && [ -z "$(ls -A "$tmp")" ] || fail "after failure: $st, left $(ls -A "$tmp")"
echo "ok: the command's status is passed on and nothing is left behind"

# SIGTERM while the command runs: the command writes where the cluster is, then waits.
TMPDIR=$tmp "$HARNESS" bash -c 'echo "$PGHOST" >"$0"; exec sleep 60' "$tmp/host.txt" 2>/dev/null &
pid=$!
for _ in $(seq 600); do [ -s "$tmp/host.txt" ] && break; sleep 0.05; done
[ -s "$tmp/host.txt" ] || fail "the cluster did not start"
host=$(cat "$tmp/host.txt")
kill -TERM $pid
wait $pid; st=$?
[ $st -ne 0 ] || fail "SIGTERM: status 0"
[ ! -e "$host" ] || fail "SIGTERM: $host left behind"
rm -f "$tmp/host.txt"
[ -z "$(ls -A "$tmp")" ] || fail "SIGTERM: left $(ls -A "$tmp")"
pgrep -f -- "-k $host " >/dev/null && fail "SIGTERM: the server still runs"
echo "ok: after SIGTERM the server is stopped and its folder removed"
