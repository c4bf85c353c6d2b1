#!/usr/bin/env bash
# Set up and run Crosspilot's whole test suite on a fresh Debian or Ubuntu machine (Python 3.11+).
# Installs the system packages the tests need (chromium and chromium-driver for the browser tests,
# postgresql for the storage tests, redis-server for the several-hosts tests), starts a throwaway
# PostgreSQL and Redis server on loopback unless CROSSPILOT_TEST_DATABASE_URL / CROSSPILOT_TEST_REDIS_URL
# are already set (CI sets them), makes .venv, installs requirements-dev.txt and runs pytest. Extra
# arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

missing=()
stop_servers=()
command -v chromium >/dev/null || missing+=(chromium)
command -v chromedriver >/dev/null || missing+=(chromium-driver)
# `python3 -m venv --help` answers even where Debian left out ensurepip, and then making .venv fails.
python3 -c 'import ensurepip, venv' >/dev/null 2>&1 || missing+=(python3-venv)
if [ -z "${CROSSPILOT_TEST_DATABASE_URL:-}" ] && ! ls -d /usr/lib/postgresql/*/bin >/dev/null 2>&1; then
  missing+=(postgresql)
fi
if [ -z "${CROSSPILOT_TEST_REDIS_URL:-}" ] && ! command -v redis-server >/dev/null; then
  missing+=(redis-server)
fi
if [ ${#missing[@]} -gt 0 ]; then
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if [ -z "${CROSSPILOT_TEST_DATABASE_URL:-}" ]; then
  CROSSPILOT_TEST_DATABASE_URL="$(as_root bash scripts/pg_test_server.sh)"
  export CROSSPILOT_TEST_DATABASE_URL
  # The server this script started goes when the tests are done, whatever their result.
  stop_servers+=("as_root bash scripts/pg_test_server.sh stop")
fi
if [ -z "${CROSSPILOT_TEST_REDIS_URL:-}" ]; then
  CROSSPILOT_TEST_REDIS_URL="$(bash scripts/redis_test_server.sh)"
  export CROSSPILOT_TEST_REDIS_URL
  stop_servers+=("bash scripts/redis_test_server.sh stop")
fi
trap 'for stop in "${stop_servers[@]}"; do $stop; done' EXIT

[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check -r requirements-dev.txt
.venv/bin/python -m pytest "$@"
