#!/bin/bash
# Runs COMMAND against a throwaway PostgreSQL cluster of its own, then removes the cluster.
# Usage: pg-cluster.sh COMMAND [ARG...]
#
# The cluster listens on a Unix socket only, in a private temporary folder, so tests running at
# the same time never share a server or a port. COMMAND gets PGHOST, PGPORT, PGUSER and
# PGDATABASE (an empty database 'likeness'), plus LK_PG_BIN (the server's bin folder, for tests
# that stop and start it). PostgreSQL refuses to run as root, so as root the server runs as the
# 'postgres' user (the folder is handed to it). Everything is removed on exit, on failure and
# on SIGTERM (meson's timeout) alike. Without initdb the test is skipped (exit 77), saying so.
set -uo pipefail

# LK_PG_BINDIR names the server's bin folder, when it is not the newest in /usr/lib/postgresql.
BIN=${LK_PG_BINDIR:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}
if [ -z "${LK_PG_BINDIR:-}" ] && { [ -z "$BIN" ] || [ ! -x "$BIN/initdb" ]; }; then
  BIN=$(dirname "$(command -v initdb 2>/dev/null || echo /nonexistent/initdb)")
fi
if [ ! -x "$BIN/initdb" ] || [ ! -x "$BIN/pg_ctl" ]; then
  echo "SKIP: no PostgreSQL server found (no initdb in ${LK_PG_BINDIR:-/usr/lib/postgresql/*/bin or on PATH});" \
       "install the 'postgresql' package (build-aux/install-deps.sh) to run the lab tests" >&2
  exit 77
fi

as_server=()
if [ "$(id -u)" -eq 0 ]; then
  if ! id postgres >/dev/null 2>&1; then
    echo "SKIP: running as root and there is no 'postgres' user to run the server as" >&2
    exit 77
  fi
  as_server=(runuser -u postgres --)
fi

# The socket's path must fit in sockaddr_un (107 bytes), and as root the server's user must be
# able to reach the folder; TMPDIR is used when both hold, else /tmp.
make_dir() {
  local d
  d=$(mktemp -d "$1/lk-pg.XXXXXX") || return 1
  chmod 0700 "$d"
  [ ${#as_server[@]} -eq 0 ] || chown postgres: "$d"
  if [ ${#d} -gt 80 ] || ! "${as_server[@]}" test -w "$d" 2>/dev/null; then
    rm -rf "$d"
    return 1
  fi
  echo "$d"
}
D=$(make_dir "${TMPDIR:-/tmp}") || D=$(make_dir /tmp) || {
  echo "pg-cluster.sh: cannot make a temporary folder the server can use" >&2; exit 1; }
PORT=54329

cleanup() {
  if [ -f "$D/data/postmaster.pid" ]; then
    "${as_server[@]}" "$BIN/pg_ctl" -D "$D/data" -m immediate -w stop >/dev/null 2>&1
  fi
  rm -rf "$D"
}
# The command runs in the background so that a signal is handled at once (bash runs a trap only
# after the foreground command ends); the command is stopped with it.
child=
stop() {
  [ -z "$child" ] || kill -TERM "$child" 2>/dev/null
  exit "$1"
}
trap cleanup EXIT
trap 'stop 143' TERM
trap 'stop 130' INT

if ! "${as_server[@]}" "$BIN/initdb" -D "$D/data" -A trust -U postgres --no-sync -E UTF8 \
       --locale=C >"$D/initdb.log" 2>&1; then
  echo "pg-cluster.sh: initdb failed:" >&2; cat "$D/initdb.log" >&2; exit 1
fi
if ! "${as_server[@]}" "$BIN/pg_ctl" -D "$D/data" -l "$D/server.log" -w -t 60 \
       -o "-c listen_addresses= -k $D -p $PORT -c fsync=off -c max_connections=40" \
       start >/dev/null 2>&1; then
  echo "pg-cluster.sh: the server did not start:" >&2; cat "$D/server.log" >&2; exit 1
fi

export PGHOST=$D PGPORT=$PORT PGUSER=postgres PGDATABASE=likeness LK_PG_BIN=$BIN
unset PGPASSWORD PGSERVICE PGHOSTADDR
if ! "$BIN/createdb" likeness 2>"$D/createdb.log"; then
  echo "pg-cluster.sh: createdb failed:" >&2; cat "$D/createdb.log" >&2; exit 1
fi

"$@" &
child=$!
wait "$child"
status=$?
child=
if [ $status -ne 0 ] && [ $status -ne 77 ] && [ -f "$D/server.log" ]; then
  echo "--- the server's log (last lines) ---" >&2; tail -n 20 "$D/server.log" >&2
fi
exit $status
