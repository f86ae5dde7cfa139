#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the storage tests: `up` installs Debian's postgresql when missing, starts a
# cluster in .data/postgres-test (owned by a non-root user: PostgreSQL refuses to run as root) on a free loopback
# port, and writes the Npgsql connection string to .data/postgres-test/connection-string; `down` stops and removes it.
set -euo pipefail
cd "$(dirname "$0")/.."
DIR="$PWD/.data/postgres-test"
DATA="$DIR/data"

pg_bin() {
  local ctl
  ctl=$(ls /usr/lib/postgresql/*/bin/pg_ctl 2>/dev/null | sort -V | tail -n 1 || true)
  [ -n "$ctl" ] && dirname "$ctl"
}

as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

free_port() {
  local port
  for port in $(seq 55432 55532); do
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return; fi
  done
  echo "no free port in 55432-55532" >&2; exit 1
}

up() {
  if [ -z "$(pg_bin)" ]; then
    echo "Installing PostgreSQL from Debian..."
    if [ "$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
    else sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null; fi
  fi
  local bin; bin=$(pg_bin)
  if [ -f "$DIR/connection-string" ] && as_owner "$bin/pg_ctl" -D "$DATA" status >/dev/null 2>&1; then
    echo "PostgreSQL test cluster already running: $(cat "$DIR/connection-string")"; return
  fi
  rm -rf "$DIR"; mkdir -p "$DIR"
  [ "$(id -u)" = 0 ] && chown postgres:postgres "$DIR"
  as_owner "$bin/initdb" -D "$DATA" -U postgres --auth=trust -E UTF8 >/dev/null
  local port; port=$(free_port)
  as_owner "$bin/pg_ctl" -D "$DATA" -l "$DIR/server.log" -w -o "-h 127.0.0.1 -p $port -k $DIR -c fsync=off" start >/dev/null
  echo "Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres" > "$DIR/connection-string"
  echo "export CASHTRANSFER_TEST_POSTGRES='$(cat "$DIR/connection-string")'" > "$DIR/env"
  echo "PostgreSQL test cluster on 127.0.0.1:$port; connection string in $DIR/connection-string (source $DIR/env)"
}

down() {
  local bin; bin=$(pg_bin)
  if [ -n "$bin" ] && [ -d "$DATA" ]; then as_owner "$bin/pg_ctl" -D "$DATA" -m fast -w stop >/dev/null 2>&1 || true; fi
  rm -rf "$DIR"
  echo "PostgreSQL test cluster stopped"
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  *) echo "usage: $0 up|down" >&2; exit 2 ;;
esac
