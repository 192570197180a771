#!/usr/bin/env bash
# Runs every Warden test: unit, PostgreSQL-backed store, end-to-end over TLS, and the step interop script.
# Uses WARDEN_TEST_DATABASE_URL when set; otherwise starts a private PostgreSQL cluster and stops it after.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
cluster=
cleanup() { [ -n "$cluster" ] && "$root/scripts/postgres-cluster.sh" stop "$cluster"; rm -rf "${cluster:-/nonexistent}"; }
trap cleanup EXIT
if [ -z "${WARDEN_TEST_DATABASE_URL:-}" ]; then
  cluster=$(mktemp -d /tmp/warden-pg.XXXXXX)
  chmod 755 "$cluster"   # the server runs as the postgres user when we are root
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  WARDEN_TEST_DATABASE_URL=$(WARDEN_PG_THROWAWAY=1 "$root/scripts/postgres-cluster.sh" start "$cluster/data" "$port")
  export WARDEN_TEST_DATABASE_URL
fi
echo "== OpenAPI document validates"
python3 -c "from openapi_spec_validator import validate; from openapi_spec_validator.readers import read_from_filename; validate(read_from_filename('api-spec/openapi.yaml')[0]); print('api-spec/openapi.yaml: valid OpenAPI 3.1')"
echo "== build"
swift build --build-tests
echo "== swift test (unit, store, end-to-end)"
swift test --skip-build
echo "== interop: smallstep's client code for cert, renew, revoke (stepx)"
scripts/interop-stepx.sh
echo "== interop: smallstep's admin client against remote management (stepx admin)"
scripts/interop-stepx-admin.sh
echo "== schemathesis against a live server (>= 1000 generated requests)"
scripts/schemathesis.sh
echo "== warden CLI end to end (every command, both output modes, exit codes, apply/export)"
scripts/cli-e2e.sh
echo "== two instances on one database (propagation within 1 s, invariant across instances)"
scripts/two-instances.sh
echo "== faults (PostgreSQL stopped under load, kill -9 during issuance, half-sent requests)"
scripts/faults.sh
echo "== warden-console end to end in tmux"
scripts/console-e2e.sh
