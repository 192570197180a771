#!/usr/bin/env bash
# Interop: smallstep's own Go client code (stepx, from Debian's step-ca 0.19 packages) against a real Warden.
# Proves `stepx cert`, `stepx renew` and `stepx revoke` (token and mTLS) work unchanged, and that every
# certificate and revocation is in PostgreSQL.
#   WARDEN_TEST_DATABASE_URL=postgresql://... scripts/interop-stepx.sh
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
warden=${WARDEN_BIN:-$root/.build/debug/warden}
stepx_out=${STEPX_OUT:-${TMPDIR:-/tmp}/warden-stepx}
: "${WARDEN_TEST_DATABASE_URL:?set WARDEN_TEST_DATABASE_URL (scripts/test.sh does)}"
work=$(mktemp -d)
server_pid=
cleanup() { [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
passed=0; failed=0
check() { # check NAME COMMAND...
  local name=$1; shift
  if "$@" >"$work/out" 2>&1; then passed=$((passed+1)); echo "  ok   $name"
  else failed=$((failed+1)); echo "  FAIL $name"; sed 's/^/       /' "$work/out"; fi
}

stepx=$(OUT=$stepx_out "$root/../shared/tools/stepx/build.sh" | awk '{print $1}')
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
db_url=$(python3 - "$WARDEN_TEST_DATABASE_URL" <<'PY'
import sys, uuid, urllib.parse as u
p = u.urlsplit(sys.argv[1]); print(u.urlunsplit(p._replace(path="/interop_" + uuid.uuid4().hex[:10])))
PY
)
echo "interop-pw" > "$work/pw"
"$warden" init --dir "$work/ca" --name Interop --dns localhost --dns 127.0.0.1 --address "127.0.0.1:$port" \
  --password-file "$work/pw" --database-url "$db_url" >/dev/null
"$warden" serve --config "$work/ca/config/ca.json" --password-file "$work/pw" >"$work/server.log" 2>&1 &
server_pid=$!
root_crt="$work/ca/certs/root_ca.crt"
for _ in $(seq 1 100); do curl -sf --cacert "$root_crt" "https://localhost:$port/health" >/dev/null && break; sleep 0.2; done
ca=(--ca "https://localhost:$port" --root "$root_crt")
fails_with() { # fails_with TEXT COMMAND...: the command must fail and print TEXT
  local text=$1; shift
  if "$@" >"$work/fail.out" 2>&1; then echo "unexpected success"; cat "$work/fail.out"; return 1; fi
  grep -q "$text" "$work/fail.out" || { cat "$work/fail.out"; return 1; }
}
psql_count() { psql "$db_url" -Atc "$1"; }
serial_of() { openssl x509 -in "$1" -noout -serial | cut -d= -f2 | python3 -c 'import sys; print(int(sys.stdin.read().strip(), 16))'; }

echo "stepx against Warden on :$port"
check "stepx cert (JWK provisioner, encrypted key, OTT, /1.0/sign)" "$stepx" cert "${ca[@]}" --provisioner admin --password interop-pw --subject svc.internal --san svc.internal,10.1.1.1 --out "$work/svc"
check "issued certificate verifies to the root" openssl verify -CAfile "$root_crt" -untrusted "$work/ca/certs/intermediate_ca.crt" "$work/svc.crt"
s1=$(serial_of "$work/svc.crt")
check "issued certificate is in PostgreSQL" test "$(psql_count "select count(*) from certificates where serial = $s1")" = 1
check "stepx renew (mTLS)" "$stepx" renew "${ca[@]}" --cert "$work/svc.crt" --key "$work/svc.key"
s2=$(serial_of "$work/svc.crt")
check "renewal has a new serial recorded as renewed_from" test "$(psql_count "select count(*) from certificates where serial = $s2 and renewed_from = $s1")" = 1
check "stepx revoke (provisioner token)" "$stepx" revoke "${ca[@]}" --serial "$s2" --provisioner admin --password interop-pw --reason-code 1 --reason "interop"
check "revocation stored with reason keyCompromise" test "$(psql_count "select reason_code from revocations where serial = $s2")" = 1
check "stepx renew of a revoked certificate fails" fails_with "revoked" "$stepx" renew "${ca[@]}" --cert "$work/svc.crt" --key "$work/svc.key"
check "stepx cert (second)" "$stepx" cert "${ca[@]}" --provisioner admin --password interop-pw --subject other.internal --out "$work/other"
s3=$(serial_of "$work/other.crt")
check "stepx revoke (mTLS)" "$stepx" revoke "${ca[@]}" --cert "$work/other.crt" --key "$work/other.key"
check "stepx revoke again is refused (already revoked)" fails_with "already revoked" "$stepx" revoke "${ca[@]}" --cert "$work/other.crt" --key "$work/other.key"
check "wrong provisioner password is refused" fails_with "decrypt" "$stepx" cert "${ca[@]}" --provisioner admin --password nope --subject x --out "$work/x"
curl -sf --cacert "$root_crt" "https://localhost:$port/crl" -o "$work/crl.der"
cat "$work/ca/certs/intermediate_ca.crt" "$root_crt" > "$work/chain.pem"
check "CRL signature verifies against the intermediate" bash -c "openssl crl -inform DER -in '$work/crl.der' -CAfile '$work/chain.pem' -noout 2>&1 | grep -q 'verify OK'"
crl_text=$(openssl crl -inform DER -in "$work/crl.der" -noout -text)
check "CRL lists the token-revoked serial" grep -qi "$(python3 -c "print(format($s2,'X'))")" <<<"$crl_text"
check "CRL lists the mTLS-revoked serial" grep -qi "$(python3 -c "print(format($s3,'X'))")" <<<"$crl_text"
check "server still healthy" curl -sf --cacert "$root_crt" "https://localhost:$port/health"
echo "interop: $passed passed, $failed failed"
[ "$failed" = 0 ] || { echo "--- server log"; tail -30 "$work/server.log"; exit 1; }
