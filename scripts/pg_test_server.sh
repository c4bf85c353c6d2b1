#!/usr/bin/env bash
# Start a throwaway PostgreSQL server on loopback for the storage tests (Debian's postgresql package)
# and print the URL to export as CROSSPILOT_TEST_DATABASE_URL. Must run as root (it runs the server as
# the postgres user). Usage: export CROSSPILOT_TEST_DATABASE_URL=$(bash scripts/pg_test_server.sh)
# `bash scripts/pg_test_server.sh stop` stops it again; the next start restarts it on the same data.
set -euo pipefail
PORT="${CROSSPILOT_PG_PORT:-54329}"
DIR="${CROSSPILOT_PG_DIR:-/tmp/crosspilot-pg-$PORT}"
BIN="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"
run_pg() { runuser -u postgres -- "$@"; }
if [ "${1:-}" = stop ]; then
  run_pg "$BIN/pg_ctl" -D "$DIR" -m fast -w stop >/dev/null 2>&1 || true
  exit 0
fi
if ! run_pg "$BIN/pg_ctl" -D "$DIR" status >/dev/null 2>&1; then
  # A stopped server's data is kept (a restart keeps its databases); a folder that is no server's is
  # made anew.
  if [ ! -f "$DIR/PG_VERSION" ]; then
    rm -rf "$DIR"
    mkdir -p "$DIR"
    chown postgres:postgres "$DIR"
    run_pg "$BIN/initdb" -D "$DIR" -U postgres -A trust --no-sync -E UTF8 >/dev/null
  fi
  run_pg "$BIN/pg_ctl" -D "$DIR" -l "$DIR/server.log" -w \
    -o "-p $PORT -c listen_addresses=127.0.0.1 -k $DIR -c fsync=off -c max_connections=200" start >/dev/null
fi
run_pg "$BIN/psql" -h 127.0.0.1 -p "$PORT" -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname='crosspilot_test'" \
  | grep -q 1 || run_pg "$BIN/createdb" -h 127.0.0.1 -p "$PORT" -U postgres crosspilot_test
echo "postgresql+psycopg://postgres@127.0.0.1:$PORT/crosspilot_test"
