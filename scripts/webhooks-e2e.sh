#!/usr/bin/env bash
# Webhooks as step defines them, through the real server: a provisioner's ENRICHING webhook feeds its template
# (.Webhooks.<name>), AUTHORIZING webhooks allow or deny, requests are signed with the webhook's secret and carry
# its bearer token, the URL is a template, TLS is verified against the CA's roots, and a webhook that is down,
# slow, broken or unsigned-for is a clear 503/403 — never a hang. The peer is scripts/webhook-server.py on
# loopback with a certificate from the CA under test.
#   WARDEN_TEST_DATABASE_URL=postgresql://... scripts/webhooks-e2e.sh
set -euo pipefail
source "$(dirname "$0")/lib/harness.sh"
hook_pid=
trap 'if [ -n "$hook_pid" ]; then kill "$hook_pid" 2>/dev/null || true; fi; harness_cleanup' EXIT
echo "hooks-pw" > "$work/pw"; echo "team-pw" > "$work/team-pw"
start_ca Hooks --remote-management
W() { "$warden" "$@"; }
W certificate step "$work/step.crt" "$work/step.key" --provisioner admin --password-file "$work/pw" >/dev/null
api() { # api METHOD PATH [JSON]: admin API over mTLS; prints the body, fails on >= 400
  local args=(-s -o "$work/api.body" -w '%{http_code}' -X "$1" --cacert "$root_crt" --cert "$work/step.crt" --key "$work/step.key")
  [ $# -lt 3 ] || args+=(-H 'Content-Type: application/json' --data "$3")
  local code; code=$(curl "${args[@]}" "$ca_url$2"); cat "$work/api.body"
  [ "$code" -lt 400 ] || { echo " (HTTP $code)"; return 1; }
}

# The webhook peer, with a certificate the CA issued (verified through the CA's roots).
hook_port=$(free_port); mkdir -p "$work/secrets"
W certificate localhost "$work/hook.crt" "$work/hook.key" --provisioner admin --password-file "$work/pw" --san localhost --san 127.0.0.1 >/dev/null
python3 "$root/scripts/webhook-server.py" "$hook_port" "$work/hook.crt" "$work/hook.key" "$work/secrets" "$work/hooks.log" &
hook_pid=$!
for _ in $(seq 1 50); do curl -s --cacert "$root_crt" "https://localhost:$hook_port/" -o /dev/null && break; sleep 0.1; done
hook_url="https://localhost:$hook_port"

export WARDEN_ADMIN_CERT="$work/step.crt" WARDEN_ADMIN_KEY="$work/step.key"
W provisioner add team --type JWK --create --password-file "$work/team-pw" >/dev/null
template='{"subject": {"commonName": {{ toJson .Subject.CommonName }}, "organizationalUnit": {{ toJson .Webhooks.people.role }}}, "sans": {{ toJson .SANs }}, "dnsNames": [{{ printf "%s.hooked.internal" .Webhooks.people.role | toJson }}]}'
python3 - "$work/team.json" "$template" <<'PY'
import base64, json, sys
json.dump({"template": base64.b64encode(sys.argv[2].encode()).decode()}, open(sys.argv[1], "w"))
PY
add_hook() { # add_hook NAME KIND PATH [AUTH-JSON]: creates the webhook, saves its secret for the peer, prints its id
  local body="{\"name\":\"$1\",\"kind\":\"$2\",\"url\":\"$hook_url$3\",\"certType\":\"X509\"${4:+,$4}}"
  api POST /admin/provisioners/team/webhooks "$body" > "$work/hook-$1.json" || { cat "$work/hook-$1.json"; return 1; }
  json_get "$work/hook-$1.json" "d['secret']" > "$work/secrets/$(json_get "$work/hook-$1.json" "d['id']")"
}
issue() { W certificate "$1" "$work/$1.crt" "$work/$1.key" --provisioner team --password-file "$work/team-pw"; }
export -f add_hook api; export hook_url ca_url root_crt warden

echo "Warden on :$port, webhook peer on :$hook_port"
check "the provisioner takes a template that reads .Webhooks" bash -c "
  '$warden' provisioner get team --json --show-secrets > '$work/team-doc.json' &&
  python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); d[\"x509Template\"]=json.load(open(sys.argv[2])); json.dump(d, open(sys.argv[1], \"w\"))' '$work/team-doc.json' '$work/team.json' &&
  curl -sf -X PUT --cacert '$root_crt' --cert '$work/step.crt' --key '$work/step.key' -H 'Content-Type: application/json' --data @'$work/team-doc.json' '$ca_url/admin/provisioners/team' >/dev/null"
check "an ENRICHING webhook is added: the CA chooses its id and secret (returned once)" \
  add_hook people ENRICHING '/enrich/{{ .Token.sub }}' '"bearerToken":{"bearerToken":"hook-bearer-1"}'
check "  … a non-https URL is refused" bash -c "! api POST /admin/provisioners/team/webhooks '{\"name\":\"plain\",\"kind\":\"ENRICHING\",\"url\":\"http://localhost/\"}' >/dev/null"
check "  … a URL template that does not parse is refused" bash -c "! api POST /admin/provisioners/team/webhooks '{\"name\":\"bad\",\"kind\":\"ENRICHING\",\"url\":\"https://x/{{ .a \"}' >/dev/null"
check "  … the same name twice is a conflict" bash -c "! api POST /admin/provisioners/team/webhooks '{\"name\":\"people\",\"kind\":\"ENRICHING\",\"url\":\"https://x/\"}' >/dev/null"
check "issuance calls it; the template uses its data (OU and a SAN)" issue web.team.internal
check "  … OU=eng from the webhook" bash -c "openssl x509 -in '$work/web.team.internal.crt' -noout -subject -nameopt RFC2253 | grep -q 'OU=eng'"
check "  … and the SAN eng.hooked.internal" bash -c "openssl x509 -in '$work/web.team.internal.crt' -noout -ext subjectAltName | grep -q 'DNS:eng.hooked.internal'"
check "the request was signed with the webhook's secret, carried its bearer token, the CSR and the provisioner" python3 - "$work/hooks.log" <<'PY'
import json, sys
entries = [json.loads(l) for l in open(sys.argv[1])]
hit = [e for e in entries if e["path"].startswith("/enrich")]
assert len(hit) == 1, entries
e = hit[0]
assert e["signature"] is True and e["authorization"] == "Bearer hook-bearer-1", e
assert e["path"] == "/enrich/web.team.internal", e["path"]          # the URL template saw .Token.sub
assert e["request"]["x509CertificateRequest"]["subject"]["commonName"] == "web.team.internal", e
assert e["request"]["provisionerName"] == "team" and e["request"]["timestamp"], e
PY
check "an AUTHORIZING webhook that denies: 403 naming it, no certificate" bash -c "
  add_hook gate AUTHORIZING /deny >/dev/null && ! '$warden' certificate denied.team.internal '$work/d.crt' '$work/d.key' --provisioner team --password-file '$work/team-pw' > '$work/deny.out' 2>&1 &&
  grep -q 'webhook gate denied the request' '$work/deny.out' &&
  [ \"\$(psql '$db_url' -Atc \"select count(*) from certificates where subject = 'denied.team.internal'\")\" = 0 ]"
check "removing it lets issuance through again" bash -c "api DELETE /admin/provisioners/team/webhooks/gate >/dev/null && '$warden' certificate again.team.internal '$work/a.crt' '$work/a.key' --provisioner team --password-file '$work/team-pw' >/dev/null"
check "a webhook whose secret the peer does not share (bad signature): refused" bash -c "
  add_hook signer AUTHORIZING /enrich/x >/dev/null && id=\$(json_get '$work/hook-signer.json' \"d['id']\") &&
  echo 'AAAAAAAAAAAAAAAAAAAAAA==' > '$work/secrets/'\$id &&
  ! '$warden' certificate sig.team.internal '$work/s.crt' '$work/s.key' --provisioner team --password-file '$work/team-pw' > '$work/sig.out' 2>&1 &&
  grep -q 'webhook signer answered HTTP 401' '$work/sig.out' && api DELETE /admin/provisioners/team/webhooks/signer >/dev/null"
check "a webhook that does not answer in time: 503 within 7 s, not a hang" bash -c "
  add_hook slow AUTHORIZING /slow >/dev/null && start=\$(date +%s) &&
  ! '$warden' certificate slow.team.internal '$work/t.crt' '$work/t.key' --provisioner team --password-file '$work/team-pw' > '$work/slow.out' 2>&1 &&
  [ \$((\$(date +%s) - start)) -le 7 ] && grep -q 'webhook slow did not answer (timed out)' '$work/slow.out' && api DELETE /admin/provisioners/team/webhooks/slow >/dev/null"
check "a webhook that answers 500, or not JSON: 503 naming it" bash -c "
  add_hook broken AUTHORIZING /broken >/dev/null &&
  '$warden' certificate b.team.internal '$work/b.crt' '$work/b.key' --provisioner team --password-file '$work/team-pw' 2>&1 | grep -q 'webhook broken answered HTTP 500' &&
  api DELETE /admin/provisioners/team/webhooks/broken >/dev/null && add_hook garbage AUTHORIZING /garbage >/dev/null &&
  '$warden' certificate g.team.internal '$work/g.crt' '$work/g.key' --provisioner team --password-file '$work/team-pw' 2>&1 | grep -q 'webhook garbage answered something other than' &&
  api DELETE /admin/provisioners/team/webhooks/garbage >/dev/null"
check "a webhook whose TLS certificate no root vouches for: 503" bash -c "
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout '$work/self.key' -out '$work/self.crt' -subj /CN=localhost -addext subjectAltName=DNS:localhost -days 1 2>/dev/null &&
  self_port=\$(python3 -c 'import socket; s=socket.socket(); s.bind((\"127.0.0.1\",0)); print(s.getsockname()[1])') &&
  (python3 '$root/scripts/webhook-server.py' \$self_port '$work/self.crt' '$work/self.key' '$work/secrets' '$work/self.log' & echo \$! > '$work/self.pid') && sleep 0.5 &&
  api POST /admin/provisioners/team/webhooks \"{\\\"name\\\":\\\"untrusted\\\",\\\"kind\\\":\\\"AUTHORIZING\\\",\\\"url\\\":\\\"https://localhost:\$self_port/enrich\\\"}\" >/dev/null &&
  ! '$warden' certificate u.team.internal '$work/u.crt' '$work/u.key' --provisioner team --password-file '$work/team-pw' > '$work/u.out' 2>&1;
  kill \$(cat '$work/self.pid'); grep -q 'webhook untrusted did not answer' '$work/u.out' && [ ! -s '$work/self.log' ]"
check "webhook secrets are not in the public provisioner list" bash -c "! curl -s --cacert '$root_crt' '$ca_url/provisioners' | grep -q -e hook-bearer-1 -e webhooks"
check "nor in the audit log" bash -c "! psql '$db_url' -Atc 'select before::text || after::text from audit_events' | grep -q hook-bearer-1"
finish webhooks
