#!/usr/bin/env bash
# One command from a fresh Debian machine to a serving demo CA:
# installs what is missing, builds Warden, starts a private PostgreSQL cluster under the demo directory,
# initialises a CA (once) and serves it in the foreground on 127.0.0.1:${WARDEN_DEMO_PORT:-9443}.
#   scripts/demo.sh [DEMO_DIR]     (default ./demo; Ctrl-C stops the CA and the database)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
demo=$(mkdir -p "${1:-$root/demo}" && cd "${1:-$root/demo}" && pwd)
port=${WARDEN_DEMO_PORT:-9443}
pgport=${WARDEN_DEMO_PG_PORT:-55439}
[ "$(id -u)" = 0 ] && "$root/scripts/install-deps.sh"
(cd "$root" && swift build --product warden)
warden="$root/.build/debug/warden"
db_url=$("$root/scripts/postgres-cluster.sh" start "$demo/pgdata" "$pgport")
trap '"$root/scripts/postgres-cluster.sh" stop "$demo/pgdata"' EXIT
if [ ! -f "$demo/password.txt" ]; then
  (umask 077; head -c 18 /dev/urandom | base64 > "$demo/password.txt")
fi
if [ ! -f "$demo/ca/config/ca.json" ]; then
  "$warden" init --dir "$demo/ca" --name "Warden Demo" --dns localhost --dns 127.0.0.1 --address "127.0.0.1:$port" \
    --password-file "$demo/password.txt" --database-url "${db_url%/postgres*}/warden?sslmode=disable"
fi
cat <<MSG

Demo CA on https://localhost:$port  (password: $demo/password.txt, root: $demo/ca/certs/root_ca.crt)
In another shell:
  export WARDEN_CA_URL=https://localhost:$port WARDEN_ROOT=$demo/ca/certs/root_ca.crt
  $warden certificate svc.internal svc.crt svc.key --provisioner admin --password-file $demo/password.txt

MSG
"$warden" serve --config "$demo/ca/config/ca.json" --password-file "$demo/password.txt"
