#!/usr/bin/env bash
# Interop for remote management: smallstep's own admin client (stepx over Debian's step-ca 0.19 Go packages)
# drives Warden's admin API with x5c admin tokens, exactly as `step ca provisioner|admin ...` does.
#   WARDEN_TEST_DATABASE_URL=postgresql://... scripts/interop-stepx-admin.sh
set -euo pipefail
source "$(dirname "$0")/lib/harness.sh"
json() { json_field "$@"; }
stepx=$(build_stepx)
echo "admin-pw" > "$work/pw"
start_ca InteropAdmin --remote-management --provisioner "Admin JWK"
ca=(--ca "https://localhost:$port" --root "$root_crt")
step_admin=(--admin-cert "$work/step.crt" --admin-key "$work/step.key")
alice_admin=(--admin-cert "$work/alice.crt" --admin-key "$work/alice.key")

echo "stepx admin client against Warden on :$port"
check "probe without a token answers 401 (the step CLI's 'is the admin API on?' check)" \
  bash -c "[ \"\$(curl -s -o /dev/null -w '%{http_code}' --cacert '$root_crt' https://localhost:$port/admin/admins)\" = 401 ]"
check "stepx cert as 'step' from 'Admin JWK'" "$stepx" cert "${ca[@]}" --provisioner "Admin JWK" --password admin-pw --subject step --out "$work/step"
check "admin provisioners lists 'Admin JWK'" bash -c "'$stepx' admin provisioners ${ca[*]} ${step_admin[*]} > '$work/provs.json' && grep -q '\"name\": \"Admin JWK\"' '$work/provs.json'"
check "add-jwk creates provisioner 'ops'" bash -c "'$stepx' admin add-jwk ${ca[*]} ${step_admin[*]} --name ops --password ops-pw > '$work/ops.json'"
check "created provisioner has a UUID id" bash -c "python3 -c 'import json,sys,uuid; uuid.UUID(json.load(open(sys.argv[1]))[\"id\"])' '$work/ops.json'"
check "provisioner --name ops reads it back" bash -c "'$stepx' admin provisioner ${ca[*]} ${step_admin[*]} --name ops > '$work/ops2.json'"
check "read-back id equals the created id" test "$(json "$work/ops.json" id)" = "$(json "$work/ops2.json" id)"
check "update-durations (GET then PUT echoing the whole object)" "$stepx" admin update-durations "${ca[@]}" "${step_admin[@]}" --name ops
check "durations were stored" bash -c "'$stepx' admin provisioner ${ca[*]} ${step_admin[*]} --name ops | grep -q '\"max\": \"12h\"'"
check "a certificate from the new provisioner (no restart, no SIGHUP)" "$stepx" cert "${ca[@]}" --provisioner ops --password ops-pw --subject app.internal --out "$work/app"
check "its lifetime is the updated default (2h)" bash -c "
  nb=\$(date -d \"\$(openssl x509 -in '$work/app.crt' -noout -startdate | cut -d= -f2)\" +%s)
  na=\$(date -d \"\$(openssl x509 -in '$work/app.crt' -noout -enddate | cut -d= -f2)\" +%s)
  [ \$((na - nb)) -ge 7200 ] && [ \$((na - nb)) -le 7320 ]"
check "remove-provisioner ops" "$stepx" admin remove-provisioner "${ca[@]}" "${step_admin[@]}" --name ops
check "the removed provisioner can no longer issue" fails_with "not found" "$stepx" cert "${ca[@]}" --provisioner ops --password ops-pw --subject app2.internal --out "$work/app2"
check "admin add alice (ADMIN)" bash -c "'$stepx' admin add ${ca[*]} ${step_admin[*]} --name alice@example.com --provisioner 'Admin JWK' > '$work/alice.json'"
check "alice is created as ADMIN (type 1)" test "$(json "$work/alice.json" type)" = 1
alice_id=$(json "$work/alice.json" id)
check "stepx cert as alice" "$stepx" cert "${ca[@]}" --provisioner "Admin JWK" --password admin-pw --subject alice@example.com --out "$work/alice"
check "alice can list provisioners" "$stepx" admin provisioners "${ca[@]}" "${alice_admin[@]}"
check "alice cannot add admins" fails_with "super admin" "$stepx" admin add "${ca[@]}" "${alice_admin[@]}" --name mallory --provisioner "Admin JWK"
check "admin update --super promotes alice" bash -c "'$stepx' admin update ${ca[*]} ${step_admin[*]} --id $alice_id --super | grep -q '\"type\": 2'"
check "alice, now super admin, can list admins" "$stepx" admin admins "${ca[@]}" "${alice_admin[@]}"
check "admin remove alice" "$stepx" admin remove "${ca[@]}" "${step_admin[@]}" --id "$alice_id"
check "removed alice is rejected at once" fails_with "unable to load admin" "$stepx" admin provisioners "${ca[@]}" "${alice_admin[@]}"
step_id=$("$stepx" admin admins "${ca[@]}" "${step_admin[@]}" | python3 -c 'import json,sys; print(json.load(sys.stdin)["admins"][0]["id"])')
check "removing the last super admin fails" fails_with "last super admin" "$stepx" admin remove "${ca[@]}" "${step_admin[@]}" --id "$step_id"
check "demoting the last super admin fails" fails_with "last super admin" "$stepx" admin update "${ca[@]}" "${step_admin[@]}" --id "$step_id"
check "every mutation is in the audit log" test "$(psql "$db_url" -Atc "select count(*) from audit_events where outcome = 'success' and action in ('provisioner.create','provisioner.update','provisioner.delete','admin.create','admin.update','admin.delete') and auth_method = 'x5c-token'")" = 6
check "refused attempts are audited" test "$(psql "$db_url" -Atc "select count(*) from audit_events where outcome = 'denied'")" -ge 2
check "no secret reached the audit log" bash -c "! psql '$db_url' -Atc 'select after::text from audit_events' | grep -q 'ZXlKaGJHY2lPaUpRUWtWVE1p'"
finish interop-admin
