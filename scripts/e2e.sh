#!/usr/bin/env bash
# make e2e: the dashboard in a real browser (Debian's Chromium, driven by
# Playwright) against a real stack started here: a fresh PostgreSQL
# database, the Temporal dev server, the Twilio simulator, the worker and
# the API serving the built UI (`snout dev` on free ports, demo data
# seeded). Everything started here is stopped on exit.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

command -v /usr/bin/chromium >/dev/null || { echo "e2e: /usr/bin/chromium is missing: apt-get install -y chromium"; exit 1; }
[ -x bin/temporal ] || { echo "e2e: ./bin/temporal is missing: make temporal"; exit 1; }

make --no-print-directory web
go build -o bin/snout ./cmd/snout

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
http_port=$(free_port); temporal_port=$(free_port); ui_port=$(free_port); sim_port=$(free_port); metrics_port=$(free_port)

work=$(mktemp -d -t snout-e2e.XXXXXX)
base_db=${DATABASE_URL:-postgres://snout:snout@127.0.0.1:5432/snout?sslmode=disable}
db_name=snout_e2e_$$_$(date +%s)
db_url=$(python3 -c 'import sys,urllib.parse as u; p=u.urlsplit(sys.argv[1]); print(u.urlunsplit(p._replace(path="/"+sys.argv[2])))' "$base_db" "$db_name")

export DATABASE_URL=$db_url
export SNOUT_HTTP_ADDR=127.0.0.1:$http_port
export SNOUT_PUBLIC_URL=http://127.0.0.1:$http_port
export TEMPORAL_ADDRESS=127.0.0.1:$temporal_port
export SNOUT_TEMPORAL_UI_PORT=$ui_port
export SNOUT_TWILIO_SIM_ADDR=127.0.0.1:$sim_port
export SNOUT_WORKER_METRICS_ADDR=127.0.0.1:$metrics_port
export SNOUT_DATA_DIR=$work/data
export SNOUT_DEMO_PASSWORD=e2e-demo-password
export SNOUT_TEMPORAL_CLI=$root/bin/temporal
export SNOUT_LOG_FORMAT=text
# Delivery receipts come from the simulator within seconds; a short wait
# keeps a lost receipt from holding a test.
export SNOUT_DELIVERY_STATUS_WAIT=${SNOUT_DELIVERY_STATUS_WAIT:-20s}

log=$work/stack.log
./bin/snout dev >"$log" 2>&1 &
stack_pid=$!

cleanup() {
  local rc=$?
  kill -TERM "$stack_pid" 2>/dev/null || true
  for _ in $(seq 1 40); do kill -0 "$stack_pid" 2>/dev/null || break; sleep 0.25; done
  kill -KILL "$stack_pid" 2>/dev/null || true
  wait "$stack_pid" 2>/dev/null || true
  if [ $rc -ne 0 ]; then echo "e2e: the stack's log (last 60 lines):"; tail -n 60 "$log" || true; fi
  psql "$base_db" -qc "DROP DATABASE IF EXISTS $db_name WITH (FORCE)" >/dev/null 2>&1 || true
  rm -rf "$work"
  exit $rc
}
trap cleanup EXIT INT TERM

echo "e2e: starting the stack (API $SNOUT_PUBLIC_URL, Temporal :$temporal_port, simulator :$sim_port, database $db_name)"
for i in $(seq 1 240); do
  if grep -q "Snout is running" "$log" 2>/dev/null && curl -fsS "$SNOUT_PUBLIC_URL/readyz" >/dev/null 2>&1; then break; fi
  if ! kill -0 "$stack_pid" 2>/dev/null; then echo "e2e: the stack stopped while starting"; exit 1; fi
  if [ "$i" = 240 ]; then echo "e2e: the stack was not ready after 120 s"; exit 1; fi
  sleep 0.5
done

export E2E_BASE_URL=$SNOUT_PUBLIC_URL
# The API binary serves the UI it embedded (web/dist/app).
curl -fsS "$SNOUT_PUBLIC_URL/" | grep -q 'id="root"' || { echo "e2e: the API does not serve the built dashboard at /"; exit 1; }
export E2E_SIM_URL=http://$SNOUT_TWILIO_SIM_ADDR
export E2E_PASSWORD=$SNOUT_DEMO_PASSWORD

cd web
start=$(date +%s)
node node_modules/@playwright/test/cli.js test "$@"
echo "e2e: finished in $(( $(date +%s) - start )) s"
