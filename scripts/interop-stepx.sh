#!/usr/bin/env bash
# Interop: smallstep's own Go client code (stepx, from Debian's step-ca 0.19 packages) against a real Warden.
# Proves `stepx cert`, `stepx renew` and `stepx revoke` (token and mTLS) work unchanged, and that every
# certificate and revocation is in PostgreSQL.
#   WARDEN_TEST_DATABASE_URL=postgresql://... scripts/interop-stepx.sh
set -euo pipefail
source "$(dirname "$0")/lib/harness.sh"
stepx=$(build_stepx)
echo "interop-pw" > "$work/pw"
start_ca Interop
ca=(--ca "https://localhost:$port" --root "$root_crt")
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
finish interop
