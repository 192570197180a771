# Shared by the test scripts: assertions, a throwaway database per run, and a Warden server on a free port.
# Source it after `set -euo pipefail`; it defines $work (removed on exit) and $passed/$failed.
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
warden=${WARDEN_BIN:-$root/.build/debug/warden}
: "${WARDEN_TEST_DATABASE_URL:?set WARDEN_TEST_DATABASE_URL (scripts/test.sh does)}"
work=$(mktemp -d)
export WARDEN_HOME="$work/home"   # keep contexts out of the user's ~/.warden
server_pid=
passed=0; failed=0
harness_cleanup() { [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$work"; }
trap harness_cleanup EXIT

check() { # check NAME COMMAND...: the command must succeed
  local name=$1; shift
  if "$@" >"$work/out" 2>&1; then passed=$((passed+1)); echo "  ok   $name"
  else failed=$((failed+1)); echo "  FAIL $name"; sed 's/^/       /' "$work/out" | head -20; fi
}
fails_with() { # fails_with TEXT COMMAND...: the command must fail and print TEXT
  local text=$1; shift
  if "$@" >"$work/fail.out" 2>&1; then echo "unexpected success"; cat "$work/fail.out"; return 1; fi
  grep -q -- "$text" "$work/fail.out" || { cat "$work/fail.out"; return 1; }
}
exits_with() { # exits_with CODE COMMAND...: the command must exit with CODE
  local code=$1; shift
  set +e; "$@" >"$work/exit.out" 2>&1; local got=$?; set -e
  [ "$got" = "$code" ] || { echo "exit $got, expected $code"; cat "$work/exit.out"; return 1; }
}
json_field() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$1" "$2"; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
fresh_database_url() { # fresh_database_url PREFIX
  python3 - "$WARDEN_TEST_DATABASE_URL" "$1" <<'PY'
import sys, uuid, urllib.parse as u
p = u.urlsplit(sys.argv[1]); print(u.urlunsplit(p._replace(path="/" + sys.argv[2] + "_" + uuid.uuid4().hex[:10])))
PY
}
# start_ca NAME [init flags...]: init a CA in $work/ca with password "$work/pw" and serve it; sets $port, $db_url,
# $root_crt, $ca_url.
start_ca() {
  local name=$1; shift
  port=$(free_port)
  db_url=$(fresh_database_url "$(echo "$name" | tr 'A-Z-' 'a-z_')")
  [ -f "$work/pw" ] || echo "$name-pw" > "$work/pw"
  "$warden" init --dir "$work/ca" --name "$name" --dns localhost --dns 127.0.0.1 --address "127.0.0.1:$port" \
    --password-file "$work/pw" --database-url "$db_url" "$@" >/dev/null
  WARDEN_LOG_LEVEL=${WARDEN_LOG_LEVEL:-info} "$warden" serve --config "$work/ca/config/ca.json" --password-file "$work/pw" >"$work/server.log" 2>&1 &
  server_pid=$!
  export root_crt="$work/ca/certs/root_ca.crt"
  ca_url="https://localhost:$port"
  for _ in $(seq 1 150); do curl -sf --cacert "$root_crt" "$ca_url/health" >/dev/null && return 0; sleep 0.2; done
  echo "server did not start"; tail -20 "$work/server.log"; exit 1
}
finish() { # finish LABEL
  echo "$1: $passed passed, $failed failed"
  [ "$failed" = 0 ] || { echo "--- server log"; tail -30 "$work/server.log" 2>/dev/null; exit 1; }
}
# The project's driver over smallstep's Go client code (interop/step-driver), built from Debian's packages.
build_step_driver() {
  OUT=${WARDEN_INTEROP_OUT:-${TMPDIR:-/tmp}/warden-interop} "$root/interop/build.sh" | awk '{print $1}'
}
# json_get FILE EXPRESSION: a value from a JSON file, EXPRESSION applied to `d` in Python ("d['serial']").
json_get() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print($2)" "$1"; }
# http_status METHOD URL [curl args...]: the status code alone; the body goes to $work/http.body.
http_status() { local method=$1 url=$2; shift 2; curl -s -o "$work/http.body" -w '%{http_code}' -X "$method" --cacert "$root_crt" "$@" "$url"; }
export work
export -f json_get json_field http_status  # usable inside `check ... bash -c "..."`
