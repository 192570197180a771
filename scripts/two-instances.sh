#!/usr/bin/env bash
# Many instances, one truth: two `warden serve` processes on one PostgreSQL database. A change made through
# either is in force on the other within a second, and the "at least one super admin" invariant holds when
# both are asked to break it at the same moment.
#   WARDEN_TEST_DATABASE_URL=postgresql://... scripts/two-instances.sh
set -euo pipefail
source "$(dirname "$0")/lib/harness.sh"
echo "two-pw" > "$work/pw"
start_ca TwoInstances --remote-management
port_a=$port; url_a=$ca_url
port_b=$(free_port); url_b="https://localhost:$port_b"
WARDEN_LOG_LEVEL=info "$warden" serve --config "$work/ca/config/ca.json" --password-file "$work/pw" --address "127.0.0.1:$port_b" >"$work/server-b.log" 2>&1 &
server_b=$!
trap 'kill $server_b 2>/dev/null || true; harness_cleanup' EXIT
for _ in $(seq 1 150); do curl -sf --cacert "$root_crt" "$url_b/health" >/dev/null && break; sleep 0.2; done
A=(--ca-url "$url_a" --root "$root_crt")
B=(--ca-url "$url_b" --root "$root_crt")
"$warden" certificate step "$work/step.crt" "$work/step.key" --provisioner admin --password-file "$work/pw" "${A[@]}" >/dev/null
step=(--admin-cert "$work/step.crt" --admin-key "$work/step.key")

# within SECONDS COMMAND...: retries the command until it succeeds; fails when no attempt has succeeded within
# SECONDS of the start — the successful attempt must also have *ended* by then. Prints the time taken.
within() {
  local limit=$1; shift
  local start=$(date +%s%N)
  while true; do
    if "$@" >/dev/null 2>&1; then
      local took=$(( ($(date +%s%N) - start) / 1000000 ))
      echo "($took ms)"
      [ "$took" -le $((limit * 1000)) ] || { echo "succeeded only after $took ms (limit ${limit}s)"; return 1; }
      return 0
    fi
    [ $(( ($(date +%s%N) - start) / 1000000 )) -lt $((limit * 1000)) ] || { echo "not within ${limit}s"; return 1; }
    sleep 0.02
  done
}
# admin_get URL CERT KEY PATH: status and body of an admin GET over mTLS (a cheap probe, no process start-up).
admin_status() { curl -s -o "$work/probe.json" -w '%{http_code}' --cacert "$root_crt" --cert "$2" --key "$3" "$1$4"; }
export -f admin_status

echo "instance A on :$port_a, instance B on :$port_b, one database"
echo "prov-pw" > "$work/prov-pw"
check "create provisioner 'fleet' through A" "$warden" provisioner add fleet --type JWK --create --password-file "$work/prov-pw" "${A[@]}" "${step[@]}"
check "B lists it within 1 s" within 1 bash -c "curl -sf --cacert '$root_crt' $url_b/provisioners | grep -q '\"name\":\"fleet\"'"
check "and issues with it" "$warden" certificate node.fleet "$work/node.crt" "$work/node.key" --provisioner fleet --password-file "$work/prov-pw" --force "${B[@]}"

"$warden" admin add carol admin "${A[@]}" "${step[@]}" >/dev/null
"$warden" certificate carol "$work/carol.crt" "$work/carol.key" --provisioner admin --password-file "$work/pw" "${A[@]}" >/dev/null
carol=(--admin-cert "$work/carol.crt" --admin-key "$work/carol.key")
check "carol works on A" "$warden" whoami "${A[@]}" "${carol[@]}"
check "remove carol through B" "$warden" admin remove carol "${B[@]}" "${step[@]}"
check "A rejects carol's next request within 1 s, because she is no longer an admin" within 1 bash -c "
  [ \"\$(admin_status $url_a '$work/carol.crt' '$work/carol.key' /admin/whoami)\" = 401 ] && grep -q 'unable to load admin with subject(s) \\[carol' '$work/probe.json'"

"$warden" certificate step "$work/step2.crt" "$work/step2.key" --provisioner admin --password-file "$work/pw" "${A[@]}" >/dev/null
step2=(--admin-cert "$work/step2.crt" --admin-key "$work/step2.key")
check "a second admin certificate of step works on B" "$warden" whoami "${B[@]}" "${step2[@]}"
serial2=$(openssl x509 -in "$work/step2.crt" -noout -serial | cut -d= -f2)
check "revoke it through A" "$warden" certs revoke "0x$serial2" --reason key-compromise "${A[@]}" "${step[@]}"
check "B rejects it within 1 s, as revoked" within 1 bash -c "
  [ \"\$(admin_status $url_b '$work/step2.crt' '$work/step2.key' /admin/whoami)\" = 401 ] && grep -q 'has been revoked' '$work/probe.json'"

# Two super admins, removed at the same moment through A and B: one must remain.
"$warden" admin add dave admin --super "${A[@]}" "${step[@]}" >/dev/null
"$warden" certificate dave "$work/dave.crt" "$work/dave.key" --provisioner admin --password-file "$work/pw" "${A[@]}" >/dev/null
dave=(--admin-cert "$work/dave.crt" --admin-key "$work/dave.key")
step_id=$("$warden" admin get step --json "${A[@]}" "${step[@]}" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
dave_id=$("$warden" admin get dave --json "${A[@]}" "${step[@]}" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
rounds_ok=0
for round in 1 2 3 4 5; do
  # dave removes step through A while step removes dave through B.
  "$warden" admin remove "$step_id" "${A[@]}" "${dave[@]}" >"$work/ra" 2>&1 & pa=$!
  "$warden" admin remove "$dave_id" "${B[@]}" "${step[@]}" >"$work/rb" 2>&1 & pb=$!
  set +e; wait $pa; ca=$?; wait $pb; cb=$?; set -e
  supers=$(psql "$db_url" -Atc "select count(*) from admins where deleted_at is null and role = 'SUPER_ADMIN'")
  # Exactly one removal wins; the loser is refused because its own account is gone (or, if the two overlapped,
  # because the rule holds under the lock) — never for another reason.
  loser=$([ "$ca" = 0 ] && cat "$work/rb" || cat "$work/ra")
  if [ "$supers" = 1 ] && [ $((ca + cb)) = 1 ] &&
     grep -qE "unable to load admin|cannot remove the last super admin|no longer active|only a super admin" <<<"$loser"; then
    rounds_ok=$((rounds_ok + 1))
  else
    echo "  round $round: supers=$supers exits=$ca/$cb loser: $loser"
  fi
  # Restore both for the next round.
  psql "$db_url" -qAtc "update admins set deleted_at = null where id in ('$step_id', '$dave_id')"
done
check "concurrent removal of the last two super admins via A and B: exactly one wins, for the right reason (5 rounds)" test "$rounds_ok" = 5

# Two instances asked at the same moment to create provisioners with the same key (the token identifier): the
# database's unique index lets exactly one through.
python3 - "$work" <<'PY'
import base64, hashlib, json, sys
from cryptography.hazmat.primitives.asymmetric import ec
b64u = lambda b: base64.urlsafe_b64encode(b).decode().rstrip("=")
for round in range(5):
    numbers = ec.generate_private_key(ec.SECP256R1()).public_key().public_numbers()
    jwk = {"crv": "P-256", "kty": "EC", "x": b64u(numbers.x.to_bytes(32, "big")), "y": b64u(numbers.y.to_bytes(32, "big"))}
    jwk["kid"] = b64u(hashlib.sha256(json.dumps(jwk, separators=(",", ":"), sort_keys=True).encode()).digest())
    for side in "ab":
        body = {"type": "JWK", "name": f"dup-{round}-{side}", "details": {"JWK": {"publicKey": base64.b64encode(json.dumps(jwk).encode()).decode()}}}
        open(f"{sys.argv[1]}/dup-{round}-{side}.json", "w").write(json.dumps(body))
PY
dup_ok=0
for round in 0 1 2 3 4; do
  curl -s -o "$work/da" -w '%{http_code}' --cacert "$root_crt" --cert "$work/step.crt" --key "$work/step.key" -H 'Content-Type: application/json' \
    --data @"$work/dup-$round-a.json" "$url_a/admin/provisioners" >"$work/sa" & pa=$!
  curl -s -o "$work/db" -w '%{http_code}' --cacert "$root_crt" --cert "$work/step.crt" --key "$work/step.key" -H 'Content-Type: application/json' \
    --data @"$work/dup-$round-b.json" "$url_b/admin/provisioners" >"$work/sb" & pb=$!
  wait $pa $pb
  codes="$(cat "$work/sa") $(cat "$work/sb")"
  stored=$(psql "$db_url" -Atc "select count(*) from provisioners where name like 'dup-$round-%' and deleted_at is null")
  if [ "$stored" = 1 ] && { [ "$codes" = "201 400" ] || [ "$codes" = "400 201" ]; } && cat "$work/da" "$work/db" | grep -q "provisioner with token ID jwk:"; then
    dup_ok=$((dup_ok + 1))
  else
    echo "  round $round: codes $codes, stored $stored: $(cat "$work/da" "$work/db")"
  fi
done
check "duplicate token identifiers created through A and B at once: exactly one stored (5 rounds)" test "$dup_ok" = 5
# Break-glass: `warden recover` on the CA host makes a super admin without SQL, audited, and every instance hears.
curl -sN --cacert "$root_crt" --cert "$work/step.crt" --key "$work/step.key" "$url_b/admin/events" > "$work/events-b.out" &
stream=$!
for _ in $(seq 1 50); do grep -q connected "$work/events-b.out" && break; sleep 0.1; done
echo wrong > "$work/wrong-pw"
check "recover with a password that does not open the CA key is refused, naming the key" bash -c "
  set +e; out=\$('$warden' recover --config '$work/ca/config/ca.json' --password-file '$work/wrong-pw' --subject rescue --provisioner admin 2>&1); code=\$?
  [ \$code = 1 ] && grep -qi 'key' <<<\"\$out\" && [ \"\$(psql '$db_url' -Atc \"select count(*) from admins where subject = 'rescue'\")\" = 0 ]"
"$warden" provisioner add acme --type ACME --challenge http-01 "${A[@]}" "${step[@]}" >/dev/null
check "recover refuses a provisioner whose admins can never log in (ACME)" fails_with "ACME provisioners cannot authenticate admins" \
  "$warden" recover --config "$work/ca/config/ca.json" --password-file "$work/pw" --subject rescue --provisioner acme
check "recover makes rescue a super admin of admin" "$warden" recover --config "$work/ca/config/ca.json" --password-file "$work/pw" --subject rescue --provisioner admin
check "  … audited as admin.recover by the local system" \
  test "$(psql "$db_url" -Atc "select count(*) from audit_events where action = 'admin.recover' and auth_method = 'local' and outcome = 'success'")" = 1
check "  … instance B's event stream heard it" bash -c "for i in \$(seq 1 20); do grep -q 'event: admin' '$work/events-b.out' && exit 0; sleep 0.05; done; exit 1"
kill $stream 2>/dev/null || true
check "  … and rescue logs in on B as SUPER_ADMIN" bash -c "
  '$warden' whoami --admin-subject rescue --admin-provisioner admin --admin-password-file '$work/pw' ${B[*]} | grep -q '^rescue  *SUPER_ADMIN'"
check "both instances still serve" bash -c "curl -sf --cacert '$root_crt' $url_a/health >/dev/null && curl -sf --cacert '$root_crt' $url_b/health >/dev/null"
finish two-instances
