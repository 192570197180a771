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

# within SECONDS COMMAND...: retries until the command succeeds, failing after SECONDS; prints the time taken.
within() {
  local limit=$1; shift
  local start=$(date +%s.%N)
  while true; do
    if "$@" >/dev/null 2>&1; then
      python3 -c "import sys; print(f'({(float(sys.argv[2]) - float(sys.argv[1])) * 1000:.0f} ms)')" "$start" "$(date +%s.%N)"
      return 0
    fi
    python3 -c "import sys; sys.exit(0 if float(sys.argv[2]) - float(sys.argv[1]) < float(sys.argv[3]) else 1)" "$start" "$(date +%s.%N)" "$limit" || return 1
    sleep 0.02
  done
}

echo "instance A on :$port_a, instance B on :$port_b, one database"
echo "prov-pw" > "$work/prov-pw"
check "create provisioner 'fleet' through A" "$warden" provisioner add fleet --type JWK --create --password-file "$work/prov-pw" "${A[@]}" "${step[@]}"
check "B issues with it within 1 s" within 1 "$warden" certificate node.fleet "$work/node.crt" "$work/node.key" --provisioner fleet --password-file "$work/prov-pw" --force "${B[@]}"

"$warden" admin add carol admin "${A[@]}" "${step[@]}" >/dev/null
"$warden" certificate carol "$work/carol.crt" "$work/carol.key" --provisioner admin --password-file "$work/pw" "${A[@]}" >/dev/null
carol=(--admin-cert "$work/carol.crt" --admin-key "$work/carol.key")
check "carol works on A" "$warden" whoami "${A[@]}" "${carol[@]}"
check "remove carol through B" "$warden" admin remove carol "${B[@]}" "${step[@]}"
check "A rejects carol's next request within 1 s" within 1 bash -c "! '$warden' whoami ${A[*]} ${carol[*]}"

"$warden" certificate step "$work/step2.crt" "$work/step2.key" --provisioner admin --password-file "$work/pw" "${A[@]}" >/dev/null
step2=(--admin-cert "$work/step2.crt" --admin-key "$work/step2.key")
check "a second admin certificate of step works on B" "$warden" whoami "${B[@]}" "${step2[@]}"
serial2=$(openssl x509 -in "$work/step2.crt" -noout -serial | cut -d= -f2)
check "revoke it through A" "$warden" certs revoke "0x$serial2" --reason key-compromise "${A[@]}" "${step[@]}"
check "B rejects it within 1 s" within 1 bash -c "'$warden' whoami ${B[*]} ${step2[*]} 2>&1 | grep -q revoked"

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
  if [ "$supers" -ge 1 ] && [ $((ca + cb)) -ge 1 ]; then rounds_ok=$((rounds_ok + 1)); fi
  # Restore both for the next round.
  psql "$db_url" -qAtc "update admins set deleted_at = null where id in ('$step_id', '$dave_id')"
done
check "concurrent removal of the last two super admins via A and B never leaves zero (5 rounds)" test "$rounds_ok" = 5
check "both instances still serve" bash -c "curl -sf --cacert '$root_crt' $url_a/health >/dev/null && curl -sf --cacert '$root_crt' $url_b/health >/dev/null"
finish two-instances
