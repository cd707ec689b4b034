#!/usr/bin/env bash
# make db: get a local PostgreSQL ready for Snout on a Debian-family machine.
#
# - installs the distribution's PostgreSQL server when none is installed;
# - starts the newest cluster (creating "main" if there is none);
# - creates the role "snout" (password "snout", CREATEDB so tests can make
#   throwaway databases) and the database "snout" it owns.
#
# Afterwards the default DATABASE_URL works:
#   postgres://snout:snout@127.0.0.1:5432/snout?sslmode=disable
# Idempotent: run it as often as you like.
set -euo pipefail

role=${SNOUT_DB_ROLE:-snout}
password=${SNOUT_DB_PASSWORD:-snout}
database=${SNOUT_DB_NAME:-snout}

say() { printf 'make db: %s\n' "$*"; }

as_postgres() {
  if [ "$(id -un)" = postgres ]; then "$@"; else
    if command -v runuser >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"
    else sudo -u postgres "$@"; fi
  fi
}

if ! command -v pg_lsclusters >/dev/null 2>&1; then
  say "PostgreSQL is not installed; installing it from the distribution's packages"
  if [ "$(id -u)" != 0 ]; then sudo=sudo; else sudo=; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq postgresql postgresql-contrib >/dev/null
fi

cluster=$(pg_lsclusters --no-header | sort -k1,1V | tail -n1 || true)
if [ -z "$cluster" ]; then
  version=$(ls /usr/lib/postgresql | sort -V | tail -n1)
  say "creating cluster $version/main"
  pg_createcluster "$version" main >/dev/null
  cluster=$(pg_lsclusters --no-header | sort -k1,1V | tail -n1)
fi
version=$(awk '{print $1}' <<<"$cluster")
name=$(awk '{print $2}' <<<"$cluster")
port=$(awk '{print $3}' <<<"$cluster")
status=$(awk '{print $4}' <<<"$cluster")

if [ "$status" != online ]; then
  say "starting cluster $version/$name on port $port"
  pg_ctlcluster "$version" "$name" start
fi

for _ in $(seq 1 30); do
  as_postgres psql -p "$port" -qAtc 'select 1' >/dev/null 2>&1 && break
  sleep 1
done

exists=$(as_postgres psql -p "$port" -qAtc "select 1 from pg_roles where rolname = '$role'")
if [ "$exists" != 1 ]; then
  say "creating role $role"
  as_postgres psql -p "$port" -qc "create role \"$role\" login createdb password '$password'"
else
  as_postgres psql -p "$port" -qc "alter role \"$role\" login createdb password '$password'" >/dev/null
fi

exists=$(as_postgres psql -p "$port" -qAtc "select 1 from pg_database where datname = '$database'")
if [ "$exists" != 1 ]; then
  say "creating database $database"
  as_postgres createdb -p "$port" -O "$role" "$database"
fi

say "ready: postgres://$role:$password@127.0.0.1:$port/$database?sslmode=disable"
