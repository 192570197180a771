#!/usr/bin/env bash
# Interop: smallstep's own Go client code (interop/step-driver over Debian's step-ca 0.19 client packages)
# against a real Warden — sign, renew (mTLS and by token, as `step ca renew --mtls=false`), revoke (token with a
# decimal or 0x-hex serial, active, mTLS) — with every certificate and revocation checked in PostgreSQL and the
# CRL verified with openssl.
#   WARDEN_TEST_DATABASE_URL=postgresql://... scripts/interop-step.sh
set -euo pipefail
source "$(dirname "$0")/lib/harness.sh"
driver=$(build_step_driver)
echo "interop-pw" > "$work/pw"
start_ca Interop
ca=(--ca "https://localhost:$port" --root "$root_crt")
sql() { psql "$db_url" -Atc "$1"; }
serial_of() { openssl x509 -in "$1" -noout -serial | cut -d= -f2 | python3 -c 'import sys; print(int(sys.stdin.read().strip(), 16))'; }
hex_of() { openssl x509 -in "$1" -noout -serial | cut -d= -f2; }

echo "step-driver (smallstep's client code) against Warden on :$port"
check "sign (JWK provisioner, encrypted key, one-time token, /1.0/sign) with a requested notAfter" \
  bash -c "'$driver' sign ${ca[*]} --provisioner admin --password interop-pw --subject svc.internal --san svc.internal,10.1.1.1 --not-after 2h --out '$work/svc' > '$work/svc.json'"
check "the certificate verifies to the root through the intermediate" openssl verify -CAfile "$root_crt" -untrusted "$work/ca/certs/intermediate_ca.crt" "$work/svc.crt"
check "its lifetime is the requested 2 h (plus the minute of back-dating)" test "$(json_get "$work/svc.json" "d['lifetimeSeconds']")" = 7260
s1=$(serial_of "$work/svc.crt")
check "it is in PostgreSQL with its provisioner's id" test "$(sql "select count(*) from certificates where serial = $s1 and provisioner_id is not null")" = 1
check "renew over mTLS" "$driver" renew "${ca[@]}" --cert "$work/svc.crt" --key "$work/svc.key"
s2=$(serial_of "$work/svc.crt")
check "the renewal has a new serial, recorded as renewed_from" test "$(sql "select count(*) from certificates where serial = $s2 and renewed_from = $s1")" = 1
check "renew by token (--mtls=false: x5cInsecure, Bearer), as behind a layer-7 proxy" \
  "$driver" renew "${ca[@]}" --cert "$work/svc.crt" --key "$work/svc.key" --mtls=false --token-out "$work/renew.token"
s3=$(serial_of "$work/svc.crt")
check "the token renewal is recorded as renewed_from the previous one" test "$(sql "select count(*) from certificates where serial = $s3 and renewed_from = $s2")" = 1
check "a renew token replayed is refused (401, token already used)" fails_with "token already used" \
  "$driver" renew "${ca[@]}" --cert "$work/svc.crt" --key "$work/svc.key" --token "$(cat "$work/renew.token")" --out "$work/ignored.crt"
check "revoke with a token whose subject is the 0x-hex serial, as the step CLI sends it" \
  "$driver" revoke "${ca[@]}" --serial "0x$(hex_of "$work/svc.crt")" --provisioner admin --password interop-pw --reason-code 1 --reason "interop"
check "revocation stored (decimal serial, keyCompromise, passive)" test "$(sql "select reason_code, passive from revocations where serial = $s3")" = "1|t"
check "renewal of the revoked certificate is refused, by mTLS" fails_with "certificate has been revoked" "$driver" renew "${ca[@]}" --cert "$work/svc.crt" --key "$work/svc.key"
check "and by token" fails_with "certificate has been revoked" "$driver" renew "${ca[@]}" --cert "$work/svc.crt" --key "$work/svc.key" --mtls=false
check "sign a second certificate" "$driver" sign "${ca[@]}" --provisioner admin --password interop-pw --subject other.internal --out "$work/other"
s4=$(serial_of "$work/other.crt")
check "revoke over mTLS with the certificate itself" "$driver" revoke "${ca[@]}" --cert "$work/other.crt" --key "$work/other.key"
check "revoking it again is refused (already revoked)" fails_with "already revoked" "$driver" revoke "${ca[@]}" --cert "$work/other.crt" --key "$work/other.key"
check "sign a third certificate" "$driver" sign "${ca[@]}" --provisioner admin --password interop-pw --subject third.internal --out "$work/third"
s5=$(serial_of "$work/third.crt")
check "active revocation (passive: false) is accepted" "$driver" revoke "${ca[@]}" --serial "$s5" --provisioner admin --password interop-pw --active
check "and recorded as active" test "$(sql "select passive from revocations where serial = $s5")" = f
check "a wrong provisioner password fails on the client (the key does not decrypt)" fails_with "decrypt provisioner key" \
  "$driver" sign "${ca[@]}" --provisioner admin --password nope --subject x --out "$work/x"
# A token for a host the CA does not serve (a load balancer's name missing from dnsNames): the 401 names what
# was received and what is accepted, and so does the server log.
"$driver" token "${ca[@]}" --provisioner admin --password interop-pw --subject lb.internal --audience-url https://lb.example.com/1.0/sign > "$work/lb.token"
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$work/lb.key" -subj /CN=lb.internal \
  -addext subjectAltName=DNS:lb.internal -out "$work/lb.csr" 2>/dev/null
python3 -c 'import json,sys; print(json.dumps({"csr": open(sys.argv[1]).read(), "ott": open(sys.argv[2]).read().strip()}))' "$work/lb.csr" "$work/lb.token" > "$work/lb.json"
status=$(curl -s -o "$work/lb.out" -w '%{http_code}' --cacert "$root_crt" -H 'Content-Type: application/json' --data @"$work/lb.json" "https://localhost:$port/1.0/sign")
check "a token for another host is a 401 naming the audience received and the hosts accepted" python3 - "$status" "$work/lb.out" <<'PY'
import json, sys
message = json.load(open(sys.argv[2]))["message"]
assert sys.argv[1] == "401", sys.argv[1]
assert 'received "https://lb.example.com/1.0/sign"' in message and "for host 127.0.0.1, localhost" in message, message
PY
check "the server log names them too" grep -qF 'https://lb.example.com/1.0/sign' "$work/server.log"
curl -sf --cacert "$root_crt" "https://localhost:$port/crl" -o "$work/crl.der"
cat "$work/ca/certs/intermediate_ca.crt" "$root_crt" > "$work/chain.pem"
check "the CRL's signature verifies against the intermediate" bash -c "openssl crl -inform DER -in '$work/crl.der' -CAfile '$work/chain.pem' -noout 2>&1 | grep -q 'verify OK'"
crl_text=$(openssl crl -inform DER -in "$work/crl.der" -noout -text)
for s in "$s3" "$s4" "$s5"; do
  check "the CRL lists serial $s" grep -qi "$(python3 -c "print(format($s,'X'))")" <<<"$crl_text"
done
check "the CRL lists exactly the three revocations" test "$(grep -c 'Serial Number' <<<"$crl_text")" = 3
check "server still healthy" curl -sf --cacert "$root_crt" "https://localhost:$port/health"
finish interop
