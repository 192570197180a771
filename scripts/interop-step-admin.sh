#!/usr/bin/env bash
# Interop for remote management: smallstep's own admin client (interop/step-driver over Debian's step-ca 0.19
# Go packages) drives Warden's admin API with x5c admin tokens, as `step ca provisioner|admin ...` does —
# including a provisioner whose name needs percent-encoding ("Admin JWK") and the authority policy — and a CA with remote management
# off answers as step-ca does, so the client prints a sentence.
#   WARDEN_TEST_DATABASE_URL=postgresql://... scripts/interop-step-admin.sh
set -euo pipefail
source "$(dirname "$0")/lib/harness.sh"
driver=$(build_step_driver)
echo "admin-pw" > "$work/pw"
start_ca InteropAdmin --remote-management --provisioner "Admin JWK"
ca=(--ca "https://localhost:$port" --root "$root_crt")
step_admin=(--admin-cert "$work/step.crt" --admin-key "$work/step.key")
alice_admin=(--admin-cert "$work/alice.crt" --admin-key "$work/alice.key")
sql() { psql "$db_url" -Atc "$1"; }
cat > "$work/lockout.json" <<'JSON'
{"x509": {"allow": {"dns": ["*.policy.internal"]}}}
JSON
cat > "$work/policy.json" <<'JSON'
{"x509": {"allow": {"dns": ["*.policy.internal", "step"]}, "deny": {"dns": ["bad.policy.internal"]}}}
JSON

echo "step-driver admin client against Warden on :$port"
check "the probe without a token answers 401 (the step CLI's 'is the admin API on?' check)" \
  test "$(http_status GET "https://localhost:$port/admin/admins")" = 401
check "sign as 'step' from 'Admin JWK'" "$driver" sign "${ca[@]}" --provisioner "Admin JWK" --password admin-pw --subject step --out "$work/step"
check "admin provisioners lists 'Admin JWK'" bash -c "'$driver' admin provisioners ${ca[*]} ${step_admin[*]} > '$work/provs.json'"
check "  … by name" python3 -c "import json,sys; assert [p['name'] for p in json.load(open(sys.argv[1]))['provisioners']] == ['Admin JWK']" "$work/provs.json"
check "read 'Admin JWK' by name (percent-encoded path, audience on the decoded path)" \
  bash -c "'$driver' admin provisioner ${ca[*]} ${step_admin[*]} --name 'Admin JWK' > '$work/adminjwk.json'"
check "  … it is the JWK provisioner" test "$(json_get "$work/adminjwk.json" "d['name'] + ' ' + str(d['type'])")" = "Admin JWK 1"
check "update 'Admin JWK' by name (GET, then PUT echoing the whole object)" "$driver" admin set-durations "${ca[@]}" "${step_admin[@]}" --name "Admin JWK" --default 1h --max 3h
check "  … stored" test "$(sql "select claims->'x509'->'durations'->>'max' from provisioners where name = 'Admin JWK'")" = 3h
check "add-jwk creates provisioner 'ops'" bash -c "'$driver' admin add-jwk ${ca[*]} ${step_admin[*]} --name ops --password ops-pw > '$work/ops.json'"
check "  … with a UUID id" python3 -c 'import json,sys,uuid; uuid.UUID(json.load(open(sys.argv[1]))["id"])' "$work/ops.json"
check "read back: the same id" bash -c "'$driver' admin provisioner ${ca[*]} ${step_admin[*]} --name ops > '$work/ops2.json' && [ \"\$(json_get '$work/ops.json' \"d['id']\")\" = \"\$(json_get '$work/ops2.json' \"d['id']\")\" ]"
check "set-durations on ops (GET then PUT echoing the whole object)" "$driver" admin set-durations "${ca[@]}" "${step_admin[@]}" --name ops --default 2h --max 12h
check "a certificate from the new provisioner (no restart, no SIGHUP) ..." \
  bash -c "'$driver' sign ${ca[*]} --provisioner ops --password ops-pw --subject app.internal --out '$work/app' > '$work/app.json'"
check "  … lasts the updated default of 2 h" test "$(json_get "$work/app.json" "d['lifetimeSeconds']")" = 7260
# A token made while ops exists, sent after it is removed: the server itself refuses it.
"$driver" token "${ca[@]}" --provisioner ops --password ops-pw --subject late.internal > "$work/late.token"
check "remove-provisioner ops" "$driver" admin remove-provisioner "${ca[@]}" "${step_admin[@]}" --name ops
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$work/late.key" -subj /CN=late.internal \
  -addext subjectAltName=DNS:late.internal -out "$work/late.csr" 2>/dev/null
python3 -c 'import json,sys; print(json.dumps({"csr": open(sys.argv[1]).read(), "ott": open(sys.argv[2]).read().strip()}))' "$work/late.csr" "$work/late.token" > "$work/late.json"
check "the removed provisioner's token is refused by the server (401, provisioner not found)" bash -c "
  [ \"\$(http_status POST https://localhost:$port/1.0/sign -H 'Content-Type: application/json' --data @'$work/late.json')\" = 401 ] &&
  grep -qF 'provisioner \\\"ops\\\" with key id' '$work/http.body'"
check "admin add alice (ADMIN)" bash -c "'$driver' admin add ${ca[*]} ${step_admin[*]} --name alice@example.com --provisioner 'Admin JWK' > '$work/alice.json'"
check "  … created as ADMIN (type 1)" test "$(json_get "$work/alice.json" "d['type']")" = 1
alice_id=$(json_get "$work/alice.json" "d['id']")
check "sign as alice" "$driver" sign "${ca[@]}" --provisioner "Admin JWK" --password admin-pw --subject alice@example.com --out "$work/alice"
check "alice can list provisioners" "$driver" admin provisioners "${ca[@]}" "${alice_admin[@]}"
check "alice cannot add admins (must have super admin access)" fails_with "must have super admin access to make this request" \
  "$driver" admin add "${ca[@]}" "${alice_admin[@]}" --name mallory --provisioner "Admin JWK"
check "alice cannot change the provisioner that holds step (403)" fails_with "only a super admin may change it" \
  "$driver" admin set-durations "${ca[@]}" "${alice_admin[@]}" --name "Admin JWK" --default 1h --max 720h
check "alice (an ADMIN) may not set the authority policy" \
  fails_with "only a super admin may change the authority policy" "$driver" admin policy-create "${ca[@]}" "${alice_admin[@]}" --policy-file "$work/policy.json"
check "admin update --super promotes alice" bash -c "'$driver' admin update ${ca[*]} ${step_admin[*]} --id $alice_id --super > '$work/promoted.json' && [ \"\$(json_get '$work/promoted.json' \"d['type']\")\" = 2 ]"
check "alice, now a super admin, can list admins" "$driver" admin admins "${ca[@]}" "${alice_admin[@]}"
check "admin remove alice" "$driver" admin remove "${ca[@]}" "${step_admin[@]}" --id "$alice_id"
check "removed alice is refused at once" fails_with "unable to load admin" "$driver" admin provisioners "${ca[@]}" "${alice_admin[@]}"
step_id=$("$driver" admin admins "${ca[@]}" "${step_admin[@]}" | python3 -c 'import json,sys; print([a["id"] for a in json.load(sys.stdin)["admins"] if a["subject"] == "step"][0])')
check "removing the last super admin fails" fails_with "cannot remove the last super admin" "$driver" admin remove "${ca[@]}" "${step_admin[@]}" --id "$step_id"
check "demoting the last super admin fails" fails_with "cannot change role of last super admin" "$driver" admin update "${ca[@]}" "${step_admin[@]}" --id "$step_id"
# The authority policy as `step ca policy authority …` manages it: linkedca.Policy in protojson, x5c admin token.
check "policy: one that would lock out the admins is refused, naming them" \
  fails_with "step (Admin JWK)" "$driver" admin policy-create "${ca[@]}" "${step_admin[@]}" --policy-file "$work/lockout.json"
check "policy: the super admin creates it" "$driver" admin policy-create "${ca[@]}" "${step_admin[@]}" --policy-file "$work/policy.json"
check "policy: read back as a linkedca.Policy" bash -c "'$driver' admin policy-get ${ca[*]} ${step_admin[*]} | grep -q 'bad.policy.internal'"
check "policy: an allowed name is issued (smallstep's client)" \
  "$driver" sign "${ca[@]}" --provisioner "Admin JWK" --password admin-pw --subject web.policy.internal --out "$work/pol-ok"
check "policy: a denied name is refused with the rule" \
  fails_with "bad.policy.internal" "$driver" sign "${ca[@]}" --provisioner "Admin JWK" --password admin-pw --subject bad.policy.internal --out "$work/pol-bad"
check "policy: a name outside the allowed ones is refused" \
  fails_with "not allowed by the authority policy" "$driver" sign "${ca[@]}" --provisioner "Admin JWK" --password admin-pw --subject web.elsewhere.internal --out "$work/pol-out"
check "policy: removed" "$driver" admin policy-delete "${ca[@]}" "${step_admin[@]}"
check "policy: then any name is issued again" \
  "$driver" sign "${ca[@]}" --provisioner "Admin JWK" --password admin-pw --subject web.elsewhere.internal --out "$work/pol-again"
check "policy: each change is audited" test "$(sql "select count(*) from audit_events where action in ('policy.create','policy.delete') and outcome = 'success'")" = 2
check "every mutation is in the audit log, authenticated by x5c token" \
  test "$(sql "select count(*) from audit_events where outcome = 'success' and action in ('provisioner.create','provisioner.update','provisioner.delete','admin.create','admin.update','admin.delete') and auth_method = 'x5c-token'")" = 7
check "refused attempts are audited" test "$(sql "select count(*) from audit_events where outcome = 'denied'")" -ge 2
sql "select coalesce(before::text, '') || ' ' || coalesce(after::text, '') from audit_events" > "$work/audit.txt"
check "the audit log was read (it has the provisioner rows)" grep -q '"JWK"' "$work/audit.txt"
check "no encrypted key reached the audit log, before or after" bash -c "! grep -q 'ZXlKaGJHY2lPaUpRUWtWVE1p' '$work/audit.txt'"
check "admin 404 in the admin error shape" bash -c "
  [ \"\$(http_status GET https://localhost:$port/admin/nowhere --cert '$work/step.crt' --key '$work/step.key')\" = 404 ] &&
  python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d[\"type\"]==\"notFound\" and d[\"detail\"] and d[\"message\"], d' '$work/http.body'"
check "admin 405 in the admin error shape" bash -c "
  [ \"\$(http_status DELETE https://localhost:$port/admin/whoami --cert '$work/step.crt' --key '$work/step.key')\" = 405 ] &&
  python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d[\"type\"]==\"methodNotAllowed\", d' '$work/http.body'"

# A CA with remote management off: step's client gets 501 "administration API not enabled" and says so.
kill "$server_pid"; wait "$server_pid" 2>/dev/null || true
rm -rf "$work/ca"
start_ca InteropPlain
check "remote management off: the admin probe answers 501 in step's shape" bash -c "
  [ \"\$(http_status GET https://localhost:$port/admin/admins)\" = 501 ] &&
  python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d==dict(type=\"notImplemented\", detail=\"not implemented\", message=\"administration API not enabled\"), d' '$work/http.body'"
"$driver" sign --ca "https://localhost:$port" --root "$root_crt" --provisioner admin --password admin-pw --subject step --out "$work/plain" >/dev/null
check "step's admin client prints the sentence" fails_with "administration API not enabled" \
  "$driver" admin provisioners --ca "https://localhost:$port" --root "$root_crt" --admin-cert "$work/plain.crt" --admin-key "$work/plain.key"
finish interop-admin
