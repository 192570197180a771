#!/usr/bin/env bash
# One command from a fresh Debian machine to a working demo of Warden with remote management:
# installs what is missing, builds `warden` and `warden-console`, starts a private PostgreSQL cluster under the
# demo directory, initialises a CA with remote management (once), serves it on 127.0.0.1:${WARDEN_DEMO_PORT:-9443},
# mints the first admin certificate (super admin "step") into the demo's own context, and prints the commands
# that work against it. Ctrl-C or SIGTERM stops the CA and the database.
#   scripts/demo.sh [DEMO_DIR]     (default ./demo)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
demo=$(mkdir -p "${1:-$root/demo}" && cd "${1:-$root/demo}" && pwd)
port=${WARDEN_DEMO_PORT:-9443}
pgport=${WARDEN_DEMO_PG_PORT:-55439}
[ "$(id -u)" = 0 ] && "$root/scripts/install-deps.sh"
echo "building warden and warden-console (the first build takes a few minutes)"
(cd "$root" && swift build --product warden 2>&1 | tail -1 && swift build --product warden-console 2>&1 | tail -1)
bin="$root/.build/debug"
warden="$bin/warden"
export WARDEN_HOME="$demo/home"
chmod 755 "$demo"   # PostgreSQL runs as its own user when we are root
db_url=$("$root/scripts/postgres-cluster.sh" start "$demo/pgdata" "$pgport")
server_pid=
stop() {
  trap - EXIT INT TERM
  [ -n "$server_pid" ] && kill -TERM "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null || true
  "$root/scripts/postgres-cluster.sh" stop "$demo/pgdata"
  echo "demo stopped (CA and database)"
}
trap stop EXIT
trap 'stop; exit 0' INT TERM
if [ ! -f "$demo/password.txt" ]; then
  (umask 077; head -c 18 /dev/urandom | base64 > "$demo/password.txt")
fi
if [ ! -f "$demo/ca/config/ca.json" ]; then
  "$warden" init --dir "$demo/ca" --name "Warden Demo" --dns localhost --dns 127.0.0.1 --address "127.0.0.1:$port" \
    --password-file "$demo/password.txt" --database-url "${db_url%/postgres*}/warden?sslmode=disable" --remote-management --context demo
fi
"$warden" serve --config "$demo/ca/config/ca.json" --password-file "$demo/password.txt" >"$demo/ca.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 150); do
  curl -sf --cacert "$demo/ca/certs/root_ca.crt" "https://localhost:$port/health" >/dev/null && break
  kill -0 "$server_pid" 2>/dev/null || { echo "the CA did not start:"; tail -20 "$demo/ca.log"; exit 1; }
  sleep 0.2
done
# The first admin certificate (24 h), stored in the demo's context so that every command below just works.
"$warden" certificate step "$demo/admin.crt" "$demo/admin.key" --provisioner admin --password-file "$demo/password.txt" --force \
  --ca-url "https://localhost:$port" --root "$demo/ca/certs/root_ca.crt" >/dev/null
"$warden" context set demo --admin-cert "$demo/admin.crt" --admin-key "$demo/admin.key" >/dev/null
"$warden" context use demo >/dev/null
cat <<MSG

Warden demo CA on https://localhost:$port, remote management on, super admin "step" (certificate: $demo/admin.crt).
Password: $demo/password.txt  ·  Root: $demo/ca/certs/root_ca.crt  ·  Log: $demo/ca.log
In another shell:
  export WARDEN_HOME=$demo/home PATH=$bin:\$PATH
  warden-console
  warden whoami
  warden provisioner list
  warden certificate svc.internal svc.crt svc.key --provisioner admin --password-file $demo/password.txt
  warden certs list
Stop with Ctrl-C (or SIGTERM to this script).
MSG
wait "$server_pid"
