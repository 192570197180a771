#!/usr/bin/env bash
# Runs a private, throwaway PostgreSQL cluster for Warden's tests and demo.
#   scripts/postgres-cluster.sh start DIR PORT   # initdb (trust auth, loopback only) + start; prints the URL
#   scripts/postgres-cluster.sh stop DIR
# PostgreSQL refuses to run as root, so as root the cluster runs as the 'postgres' system user.
set -euo pipefail
cmd=${1:?start|stop}; dir=${2:?data directory}; port=${3:-55432}
bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -x "$bindir/pg_ctl" ] || { echo "postgres-cluster: PostgreSQL server binaries not found (apt-get install postgresql)" >&2; exit 1; }
as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
case "$cmd" in
start)
  mkdir -p "$dir"
  if [ "$(id -u)" = 0 ]; then
    chown postgres:postgres "$dir"
    runuser -u postgres -- test -x "$(dirname "$dir")" ||
      { echo "postgres-cluster: the postgres user cannot reach $(dirname "$dir") (chmod o+x it)" >&2; exit 1; }
  fi
  chmod 700 "$dir"
  if [ ! -f "$dir/PG_VERSION" ]; then
    as_owner "$bindir/initdb" -D "$dir" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir.initdb.log" 2>&1 \
      || { cat "$dir.initdb.log" >&2; exit 1; }
  fi
  # WARDEN_PG_THROWAWAY=1 (tests only): no fsync — the data does not outlive the run, so no OS crash can
  # matter; benchmarks and the demo keep PostgreSQL's durable defaults.
  durability="-c fsync=on"
  [ "${WARDEN_PG_THROWAWAY:-0}" = 1 ] && durability="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
  if ! as_owner "$bindir/pg_ctl" -D "$dir" status >/dev/null 2>&1; then
    as_owner "$bindir/pg_ctl" -D "$dir" -l "$dir/server.log" -w -t 60 \
      -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=500 $durability" start >/dev/null
  fi
  echo "postgresql://postgres@127.0.0.1:$port/postgres?sslmode=disable"
  ;;
stop)
  as_owner "$bindir/pg_ctl" -D "$dir" -m fast -w stop >/dev/null 2>&1 || true
  ;;
*) echo "usage: $0 start|stop DIR [PORT]" >&2; exit 2 ;;
esac
