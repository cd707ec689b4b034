#!/usr/bin/env bash
# make test: unit and integration tests against a real PostgreSQL (a
# throwaway database per test, on DATABASE_URL's server) and one real
# Temporal dev server (./bin/temporal) started here for the whole run.
set -euo pipefail
cd "$(dirname "$0")/.."

port=17233
while (exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null; do port=$((port + 1)); done

log=$(mktemp -t snout-test-temporal.XXXXXX.log)
./bin/temporal server start-dev --headless --ip 127.0.0.1 --port "$port" --log-level error \
  --search-attribute OrgId=Keyword --search-attribute PhoneNumber=Keyword --search-attribute NumberId=Keyword \
  >"$log" 2>&1 &
temporal_pid=$!
cleanup() { kill "$temporal_pid" 2>/dev/null || true; wait "$temporal_pid" 2>/dev/null || true; rm -f "$log"; }
trap cleanup EXIT

for _ in $(seq 1 120); do
  (exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null && break
  if ! kill -0 "$temporal_pid" 2>/dev/null; then echo "temporal dev server failed to start:"; cat "$log"; exit 1; fi
  sleep 0.5
done

export SNOUT_TEST_TEMPORAL_ADDRESS=127.0.0.1:$port
echo "make test: Temporal dev server on $SNOUT_TEST_TEMPORAL_ADDRESS, PostgreSQL at ${TEST_DATABASE_URL:-${DATABASE_URL:-postgres://snout@127.0.0.1:5432/snout}}"
go test -race -count=1 -p 2 -timeout 20m "${@:-./...}"
