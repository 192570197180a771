#!/usr/bin/env bash
# The `warden` CLI as operators and IaC pipelines use it, against a real remotely managed CA: every remote
# command in table and --json form, exit codes (0 success, 1 failure with one line, 2 usage), contexts,
# minted admin credentials, and `apply` -> `apply` again (no change) -> edit -> `--dry-run` (exact diff)
# -> `apply` -> `export` (equals the file), plus plans refused for lock-out.
#   WARDEN_TEST_DATABASE_URL=postgresql://... scripts/cli-e2e.sh
set -euo pipefail
source "$(dirname "$0")/lib/harness.sh"
echo "cli-pw" > "$work/pw"
start_ca CLI --remote-management --context cli
W() { "$warden" "$@"; }
echo "warden CLI against Warden on :$port"
check "init saved a current context" bash -c "'$warden' context list | grep -q '^\*  cli'"
check "a command without any admin credential fails with one line (exit 1)" bash -c "
  set +e; out=\$('$warden' whoami 2>&1); code=\$?; [ \$code = 1 ] && [ \$(printf '%s\n' \"\$out\" | wc -l) = 1 ] && echo \"\$out\" | grep -q '^error: no admin credential'"
check "usage error exits 2" exits_with 2 "$warden" provisioner add x
check "unknown subcommand exits 2" exits_with 2 "$warden" provisioner frobnicate
check "minting an admin certificate with --admin-subject works" bash -c "'$warden' whoami --admin-subject step --admin-provisioner admin --admin-password-file '$work/pw' | grep -q SUPER_ADMIN"
W certificate step "$work/admin.crt" "$work/admin.key" --provisioner admin --password-file "$work/pw" >/dev/null
check "context set stores the admin credential" W context set cli --admin-cert "$work/admin.crt" --admin-key "$work/admin.key"
check "whoami (table)" bash -c "'$warden' whoami | grep -q '^step  *SUPER_ADMIN  *admin  *mtls'"
check "whoami --json" bash -c "'$warden' whoami --json | python3 -c 'import json,sys; d=json.load(sys.stdin); assert d[\"role\"]==\"SUPER_ADMIN\" and d[\"method\"]==\"mtls\"'"
check "env WARDEN_ADMIN_CERT/KEY override the context" bash -c "WARDEN_ADMIN_CERT=/nonexistent WARDEN_ADMIN_KEY=/nonexistent '$warden' whoami 2>&1 | grep -q 'cannot read'"
echo "ops-pw" > "$work/ops-pw"
check "provisioner add JWK --create (table)" bash -c "'$warden' provisioner add ops --type JWK --create --password-file '$work/ops-pw' --x509-default-dur 8h --x509-max-dur 24h | grep -q '^ops  *JWK .* 8h0m0s/-/24h0m0s'"
check "provisioner add OIDC --json" bash -c "'$warden' provisioner add google --type OIDC --client-id cid --client-secret topsecret --configuration-endpoint https://accounts.google.com/.well-known/openid-configuration --domain example.com --json | python3 -c 'import json,sys; d=json.load(sys.stdin); assert d[\"type\"]==\"OIDC\" and d[\"details\"][\"OIDC\"][\"clientSecret\"]==\"[REDACTED]\"'"
check "provisioner add ACME" W provisioner add acme --type ACME --challenge http-01 --challenge dns-01
check "duplicate provisioner: exit 1, one line naming it" bash -c "
  set +e; out=\$('$warden' provisioner add ops --type JWK --create --password-file '$work/ops-pw' 2>&1); code=\$?
  [ \$code = 1 ] && [ \"\$out\" = 'error: provisioner with name ops already exists' ]"
check "provisioner list (table): exactly the four provisioners" bash -c "
  out=\$('$warden' provisioner list) && [ \"\$(printf '%s\\n' \"\$out\" | grep -cE '^(admin|ops|google|acme) ')\" = 4 ] && [ \"\$(printf '%s\\n' \"\$out\" | wc -l)\" = 5 ]"
check "provisioner list --json hides secrets (and did list the OIDC one)" bash -c "
  out=\$('$warden' provisioner list --json) && grep -q '\"google\"' <<<\"\$out\" && ! grep -q topsecret <<<\"\$out\""
check "provisioner get --show-secrets shows them" bash -c "'$warden' provisioner get google --json --show-secrets | grep -q topsecret"
check "provisioner update changes claims" bash -c "'$warden' provisioner update ops --x509-max-dur 48h --json | python3 -c 'import json,sys; d=json.load(sys.stdin); assert d[\"claims\"][\"x509\"][\"durations\"]=={\"default\":\"8h\",\"max\":\"48h\"}, d'"
check "certificate from the new provisioner" W certificate app.internal "$work/app.crt" "$work/app.key" --provisioner ops --password-file "$work/ops-pw"
# Templates and the authority policy from the CLI.
printf '{\n  "subject": {"commonName": {{ toJson .Subject.CommonName }}, "organization": {{ toJson .org }}},\n  "sans": {{ toJson .SANs }\n}\n' > "$work/broken.tpl"
printf '{"subject": {"commonName": {{ toJson .Subject.CommonName }}, "organization": {{ toJson .org }}}, "sans": {{ toJson .SANs }}}\n' > "$work/org.tpl"
echo '{"org": "CLI Org"}' > "$work/org.json"
check "provisioner update --x509-template: a broken template is refused, naming its line" \
  fails_with "template: ops:3:" W provisioner update ops --x509-template "$work/broken.tpl" --x509-template-data "$work/org.json"
check "provisioner update --x509-template with --x509-template-data" W provisioner update ops --x509-template "$work/org.tpl" --x509-template-data "$work/org.json"
check "  … certificates from it carry the template's organisation" bash -c "
  '$warden' certificate tpl.internal '$work/tpl.crt' '$work/tpl.key' --provisioner ops --password-file '$work/ops-pw' >/dev/null &&
  openssl x509 -in '$work/tpl.crt' -noout -subject -nameopt RFC2253 | grep -q 'O=CLI Org'"
check "template render shows what the template makes, locally" bash -c "
  echo '{\"Subject\": {\"CommonName\": \"x.internal\"}, \"SANs\": [], \"org\": \"CLI Org\"}' > '$work/render.json' &&
  '$warden' template render '$work/org.tpl' --data '$work/render.json' | grep -q '\"organization\": \"CLI Org\"'"
check "template render names the line of a broken template (exit 1)" fails_with "broken.tpl:3:" W template render "$work/broken.tpl"
echo '{"x509": {"allow": {"dns": ["*.internal"]}}}' > "$work/lockout-policy.json"
echo '{"x509": {"allow": {"dns": ["*.internal", "step"]}, "deny": {"dns": ["forbidden.internal"]}}}' > "$work/policy.json"
check "policy set: one that would lock out step is refused, naming the admin" fails_with "step (admin)" W policy set "$work/lockout-policy.json"
check "policy set (table)" bash -c "'$warden' policy set '$work/policy.json' | grep -q 'x509  *deny  *dns  *forbidden.internal'"
check "policy get --json" bash -c "'$warden' policy get --json | python3 -c 'import json,sys; d=json.load(sys.stdin); assert d[\"x509\"][\"allow\"][\"dns\"]==[\"*.internal\",\"step\"], d'"
check "  … a denied name is refused at issuance" fails_with "matches the deny rule" \
  W certificate forbidden.internal "$work/f.crt" "$work/f.key" --provisioner ops --password-file "$work/ops-pw"
check "policy remove" bash -c "'$warden' policy remove | grep -q 'policy removed' && ! '$warden' policy get >/dev/null 2>&1"
check "admin add (table)" bash -c "'$warden' admin add alice@example.com admin | grep -q 'alice@example.com  *admin  *ADMIN'"
check "admin get --json" bash -c "'$warden' admin get alice@example.com --json | python3 -c 'import json,sys; d=json.load(sys.stdin); assert d[\"type\"]==\"ADMIN\" and d[\"provisioner\"]==\"admin\"'"
check "admin update --super=true" bash -c "'$warden' admin update alice@example.com --super=true | grep -q SUPER_ADMIN"
check "admin list --super --json" bash -c "'$warden' admin list --super --json | python3 -c 'import json,sys; assert sorted(a[\"subject\"] for a in json.load(sys.stdin))==[\"alice@example.com\",\"step\"]'"
check "admin remove" W admin remove alice@example.com
check "admin get of a removed admin: exit 1" exits_with 1 "$warden" admin get alice@example.com
check "certs list --search (table)" bash -c "'$warden' certs list --search APP | grep -q 'app.internal  *active'"
serial=$(W certs list --search app.internal --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["items"][0]["serial"])')
check "certs show (table with PEM)" bash -c "'$warden' certs show $serial | grep -q 'BEGIN CERTIFICATE'"
check "certs revoke --json" bash -c "'$warden' certs revoke $serial --reason key-compromise --message lost --json | python3 -c 'import json,sys; assert json.load(sys.stdin)[\"reason\"]==\"keyCompromise\"'"
check "certs revoke again: exit 1, already revoked" fails_with "already revoked" "$warden" certs revoke "$serial"
check "certs list --status revoked --json" bash -c "'$warden' certs list --status revoked --json | python3 -c 'import json,sys; assert [i[\"serial\"] for i in json.load(sys.stdin)[\"items\"]]==[\"$serial\"]'"
check "certs list with a bad filter: exit 1 naming it" fails_with "error: status:" "$warden" certs list --status bogus
check "revocations list (table)" bash -c "'$warden' revocations list | grep -q 'app.internal  *keyCompromise'"
check "revocations list --json" bash -c "'$warden' revocations list --json | python3 -c 'import json,sys; assert len(json.load(sys.stdin)[\"items\"])==1'"
check "audit list (table)" bash -c "'$warden' audit list --action admin | grep -q 'admin.delete'"
check "audit list --json --all" bash -c "'$warden' audit list --all --limit 2 --json | python3 -c 'import json,sys; d=json.load(sys.stdin); assert len(d[\"items\"])>=10 and d[\"nextCursor\"]==\"\"'"

# Declarative management.
W export > "$work/ca.yaml"
check "export lists the provisioners and admins" bash -c "grep -q 'name: \"ops\"' '$work/ca.yaml' && grep -q 'subject: \"step\"' '$work/ca.yaml'"
check "apply of the exported state changes nothing" bash -c "'$warden' apply -f '$work/ca.yaml' | grep -q '^No changes'"
python3 - "$work/ca.yaml" "$work/edited.yaml" <<'PY'
import sys, re
text = open(sys.argv[1]).read()
# raise ops' max duration, add an admin
text = text.replace('max: "48h"', 'max: "72h"')
text = text.rstrip("\n") + '\n- subject: "bob"\n  provisioner: "ops"\n  role: "ADMIN"\n'  # export sorts admins by provisioner
open(sys.argv[2], "w").write(text)
PY
check "dry-run shows exactly the diff" bash -c "
  out=\$('$warden' apply -f '$work/edited.yaml' --dry-run)
  echo \"\$out\" | grep -q '~ provisioner ops: claims.x509.durations.max' &&
  echo \"\$out\" | grep -q '+ admin bob (ops, ADMIN)' && [ \$(echo \"\$out\" | grep -c '^  [~+-]') = 2 ]"
check "dry-run changed nothing" bash -c "'$warden' apply -f '$work/ca.yaml' | grep -q '^No changes'"
check "apply applies the plan" bash -c "'$warden' apply -f '$work/edited.yaml' | grep -q '✔ + admin bob'"
check "applying again changes nothing" bash -c "'$warden' apply -f '$work/edited.yaml' | grep -q '^No changes'"
W export > "$work/after.yaml"
check "export equals the applied file" diff "$work/edited.yaml" "$work/after.yaml"
python3 - "$work/edited.yaml" "$work/lockout.yaml" <<'PY'
import sys
text = open(sys.argv[1]).read()
open(sys.argv[2], "w").write(text.replace('subject: "step"\n  provisioner: "admin"\n  role: "SUPER_ADMIN"', 'subject: "step"\n  provisioner: "admin"\n  role: "ADMIN"'))
PY
check "a plan demoting the last super admin (me) is refused before sending" fails_with "refusing the plan: it would leave no super admin" "$warden" apply -f "$work/lockout.yaml"
printf 'provisioners: []\nadmins: []\n' > "$work/empty.yaml"
check "a pruning plan that removes everyone is refused" fails_with "would leave no super admin" "$warden" apply -f "$work/empty.yaml" --prune
check "nothing was changed by the refused plans" bash -c "'$warden' apply -f '$work/edited.yaml' | grep -q '^No changes'"
python3 - "$work/edited.yaml" "$work/pruned.yaml" <<'PY'
import sys
text = open(sys.argv[1]).read()
start = text.index('- name: "acme"')
end = min(i for i in (text.find('- name:', start + 5), text.find('admins:', start)) if i > 0)
open(sys.argv[2], "w").write(text[:start] + text[end:])
PY
check "apply --prune removes what the file omits" bash -c "'$warden' apply -f '$work/pruned.yaml' --prune | grep -q '✔ - provisioner acme'"
printf 'provisioners:\n- name: x\n  type: JWK\n  details: {}\n' > "$work/invalid.yaml"
check "invalid file: exit 1 naming the entry" fails_with "provisioners\[0\] (x): details.JWK.publicKey" "$warden" apply -f "$work/invalid.yaml" --dry-run
# ca.json's spellings: type-specific fields at the top level, `challenges: [http-01]`, ca.json claims, options.x509.
python3 - "$root_crt" "$work/cajson.yaml" <<'PY'
import sys, base64
roots = base64.b64encode(open(sys.argv[1], "rb").read()).decode()
open(sys.argv[2], "w").write(f"""provisioners:
- name: acme2
  type: ACME
  challenges: [http-01, dns-01]
  forceCN: true
  claims:
    defaultTLSCertDuration: 12h
    maxTLSCertDuration: 24h
- name: x5c2
  type: X5C
  roots: {roots}
  options:
    x509:
      template: '{{"subject": {{{{ toJson .Subject }}}}}}'
      templateData: {{team: ops}}
""")
PY
check "apply accepts ca.json's spellings" bash -c "
  out=\$('$warden' apply -f '$work/cajson.yaml') && grep -q '✔ + provisioner acme2 (ACME)' <<<\"\$out\" && grep -q '✔ + provisioner x5c2 (X5C)' <<<\"\$out\""
check "they are stored in linkedca form (HTTP_01, x509 durations, template kept)" bash -c "
  '$warden' provisioner get acme2 --json | python3 -c 'import json,sys; d=json.load(sys.stdin); a=d[\"details\"][\"ACME\"]; assert a[\"challenges\"]==[\"HTTP_01\",\"DNS_01\"] and a[\"forceCn\"] is True and d[\"claims\"][\"x509\"][\"durations\"]=={\"default\":\"12h0m0s\",\"max\":\"24h0m0s\"}, d' &&
  '$warden' provisioner get x5c2 --json | python3 -c 'import json,sys,base64; d=json.load(sys.stdin); t=d[\"x509Template\"]; assert b\"toJson .Subject\" in base64.b64decode(t[\"template\"]) and json.loads(base64.b64decode(t[\"data\"]))=={\"team\":\"ops\"}, d'"
check "applying the ca.json form again changes nothing" bash -c "'$warden' apply -f '$work/cajson.yaml' | grep -q '^No changes'"
printf 'provisioners:\n- name: y\n  type: ACME\n  challenge: [http-01]\n' > "$work/typo.yaml"
check "an unknown ca.json field is refused by name" fails_with "provisioners\[0\] (y).challenge: unknown field for type ACME in ca.json form" "$warden" apply -f "$work/typo.yaml" --dry-run
printf 'provisioners:\n- name: y\n  type: ACME\n  challenges: [http-02]\n' > "$work/badchallenge.yaml"
check "an unknown challenge names the accepted ones" fails_with "challenges\[0\]: must be one of DEVICE_ATTEST_01, DNS_01" "$warden" apply -f "$work/badchallenge.yaml" --dry-run
check "shell completion scripts (bash, zsh, fish)" bash -c "
  '$warden' --generate-completion-script bash | grep -q _warden && '$warden' --generate-completion-script zsh | grep -q '#compdef warden' &&
  '$warden' --generate-completion-script fish | grep -q \"complete -c 'warden'\""
check "export keeps secrets so that apply can recreate what it lists (documented: store it like a secret)" bash -c "
  out=\$('$warden' export) && grep -q 'google' <<<\"\$out\" && grep -q topsecret <<<\"\$out\""
printf 'provisioners: [\n' > "$work/broken.yaml"
check "apply with broken YAML: exit 1 naming the file" bash -c "
  set +e; out=\$('$warden' apply -f '$work/broken.yaml' 2>&1); code=\$?
  [ \$code = 1 ] && [ \$(printf '%s\\n' \"\$out\" | wc -l) = 1 ] && grep -q 'broken.yaml: invalid YAML: line 2' <<<\"\$out\""
# A plan whose second step fails says what was applied before it.
python3 - "$work/after.yaml" "$work/partial.yaml" <<'PY'
import sys
text = open(sys.argv[1]).read().rstrip("\n")
text += '\n- subject: "eve"\n  provisioner: "ops"\n  role: "ADMIN"\n- subject: "' + "f" * 300 + '"\n  provisioner: "ops"\n  role: "ADMIN"\n'
open(sys.argv[2], "w").write(text)
PY
check "a failing step names what was applied before it" bash -c "
  set +e; out=\$('$warden' apply -f '$work/partial.yaml' 2>&1); code=\$?
  [ \$code = 1 ] && grep -qF 'applied before the failure: + provisioner acme (ACME); + admin eve (ops, ADMIN))' <<<\"\$out\" && grep -q 'subject: longer than 255 characters' <<<\"\$out\""
check "help has an example per command" bash -c "for c in 'provisioner add' 'admin add' 'certs list' 'apply' 'export' 'audit list' 'revocations list'; do '$warden' \$c --help | grep -q Example || { echo \"no example: \$c\"; exit 1; }; done"
# warden revoke, both forms, and the client-side defaults.
W certificate rev1.internal "$work/rev1.crt" "$work/rev1.key" --provisioner admin --password-file "$work/pw" >/dev/null
W certificate rev2.internal "$work/rev2.crt" "$work/rev2.key" --provisioner admin --password-file "$work/pw" >/dev/null
rev1=$(openssl x509 -in "$work/rev1.crt" -noout -serial | cut -d= -f2)
rev2=$(openssl x509 -in "$work/rev2.crt" -noout -serial | cut -d= -f2)
check "warden revoke --cert/--key (mTLS, reason superseded)" W revoke --cert "$work/rev1.crt" --key "$work/rev1.key" --reason superseded
check "  … recorded as mTLS, superseded" test "$(psql "$db_url" -Atc "select method, reason_code from revocations where serial = x'$rev1'::numeric" 2>/dev/null || psql "$db_url" -Atc "select method, reason_code from revocations where serial = $(python3 -c "print(int('$rev1',16))")")" = "mtls|4"
check "warden revoke 0xSERIAL with a provisioner token (key-compromise)" W revoke "0x$rev2" --provisioner admin --password-file "$work/pw" --reason key-compromise
check "  … recorded as token, keyCompromise" test "$(psql "$db_url" -Atc "select method, reason_code from revocations where serial = $(python3 -c "print(int('$rev2',16))")")" = "token|1"
check "warden revoke of a revoked certificate: exit 1, one line" bash -c "
  set +e; out=\$('$warden' revoke --cert '$work/rev1.crt' --key '$work/rev1.key' 2>&1); code=\$?
  [ \$code = 1 ] && [ \$(printf '%s\\n' \"\$out\" | wc -l) = 1 ] && grep -q 'already revoked' <<<\"\$out\""
check "WARDEN_CA_URL and WARDEN_ROOT are the client defaults" bash -c "
  WARDEN_HOME='$work/empty-home' WARDEN_CA_URL='$ca_url' WARDEN_ROOT='$root_crt' '$warden' certificate env.internal '$work/env.crt' '$work/env.key' --provisioner admin --password-file '$work/pw' >/dev/null"
check "  … the key is written 0600, the certificate 0644" test "$(stat -c %a "$work/env.key") $(stat -c %a "$work/env.crt")" = "600 644"
check "warden certificate with --san and --not-after" bash -c "
  '$warden' certificate san.internal '$work/san.crt' '$work/san.key' --provisioner admin --password-file '$work/pw' --san san.internal --san 10.9.9.9 --not-after 3h >/dev/null &&
  openssl x509 -in '$work/san.crt' -noout -ext subjectAltName | grep -q 'IP Address:10.9.9.9' &&
  [ \$(( \$(date -d \"\$(openssl x509 -in '$work/san.crt' -noout -enddate | cut -d= -f2)\" +%s) - \$(date -d \"\$(openssl x509 -in '$work/san.crt' -noout -startdate | cut -d= -f2)\" +%s) )) = 10860 ]"
check "a wrong provisioner password: exit 1, one line" bash -c "
  set +e; echo wrong > '$work/wrong'; out=\$('$warden' certificate w.internal '$work/w.crt' '$work/w.key' --provisioner admin --password-file '$work/wrong' 2>&1); code=\$?
  [ \$code = 1 ] && [ \$(printf '%s\\n' \"\$out\" | wc -l) = 1 ] && grep -qi 'password' <<<\"\$out\""
check "an unreachable CA: exit 1, one line naming it" bash -c "
  set +e; out=\$('$warden' certificate u.internal '$work/u.crt' '$work/u.key' --provisioner admin --password-file '$work/pw' --ca-url https://localhost:1 2>&1); code=\$?
  [ \$code = 1 ] && [ \$(printf '%s\\n' \"\$out\" | wc -l) = 1 ] && grep -q 'localhost:1' <<<\"\$out\""
echo "not a certificate" > "$work/badroot.pem"
check "a bad root file: exit 1, one line naming it" bash -c "
  set +e; out=\$('$warden' whoami --root '$work/badroot.pem' 2>&1); code=\$?; [ \$code = 1 ] && grep -q 'badroot.pem' <<<\"\$out\""
check "init refuses a directory that already holds a CA (and changes nothing)" bash -c "
  before=\$(sha256sum '$work/ca/config/ca.json' '$work/ca/secrets/intermediate_ca_key' | sha256sum)
  set +e; out=\$('$warden' init --dir '$work/ca' --name Again --dns localhost --address 127.0.0.1:1 --password-file '$work/pw' --database-url '$db_url' 2>&1); code=\$?
  [ \$code = 1 ] && grep -q 'refusing to overwrite an existing CA' <<<\"\$out\" &&
  [ \"\$(sha256sum '$work/ca/config/ca.json' '$work/ca/secrets/intermediate_ca_key' | sha256sum)\" = \"\$before\" ]"
check "init prints the root fingerprint" bash -c "
  '$warden' init --dir '$work/ca2' --name Second --dns localhost --address 127.0.0.1:1 --password-file '$work/pw' --database-url '$db_url' --no-context |
  grep -q \"\$(openssl x509 -in '$work/ca2/certs/root_ca.crt' -noout -fingerprint -sha256 | cut -d= -f2 | tr -d : | tr A-F a-f)\""
check "context use switches the current context" bash -c "
  '$warden' context set other --ca-url https://other.example:9443 --root '$root_crt' >/dev/null && '$warden' context use other >/dev/null &&
  '$warden' context list | grep -q '^\\*  other' && '$warden' context use cli >/dev/null && '$warden' context list | grep -q '^\\*  cli'"
finish cli
