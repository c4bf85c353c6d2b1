#!/usr/bin/env bash
# Start a throwaway Redis server on loopback for the several-hosts tests (Celery jobs, shared analyses;
# Debian's redis-server package) and print the URL to export as CROSSPILOT_TEST_REDIS_URL.
# Usage: export CROSSPILOT_TEST_REDIS_URL=$(bash scripts/redis_test_server.sh)
# `bash scripts/redis_test_server.sh stop` stops it again. It keeps nothing on disk.
set -euo pipefail
PORT="${CROSSPILOT_REDIS_PORT:-63790}"
DIR="${CROSSPILOT_REDIS_DIR:-/tmp/crosspilot-redis-$PORT}"
if [ "${1:-}" = stop ]; then
  redis-cli -h 127.0.0.1 -p "$PORT" shutdown nosave >/dev/null 2>&1 || true
  exit 0
fi
if ! redis-cli -h 127.0.0.1 -p "$PORT" ping >/dev/null 2>&1; then
  mkdir -p "$DIR"
  redis-server --bind 127.0.0.1 --port "$PORT" --dir "$DIR" --save "" --appendonly no \
    --daemonize yes --logfile "$DIR/server.log" --pidfile "$DIR/redis.pid"
  for _ in $(seq 50); do
    redis-cli -h 127.0.0.1 -p "$PORT" ping >/dev/null 2>&1 && break
    sleep 0.1
  done
  redis-cli -h 127.0.0.1 -p "$PORT" ping >/dev/null
fi
echo "redis://127.0.0.1:$PORT/0"
