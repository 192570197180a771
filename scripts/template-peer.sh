#!/usr/bin/env bash
# Peer test of X.509 templates against step-ca 0.19 (interop/reference-ca, built from Debian's packages): the same
# template file, template data, ca.json subject defaults and request (smallstep's client code, interop/step-driver,
# with the same subject, SANs and request templateData) through step-ca and through Warden must give certificates
# with the same subject, SANs, key usages, basic constraints, name constraints and other extensions, as openssl
# prints them (scripts/lib/peer-cas.sh). Templates: step's default (no template), then Tests/TemplatePeer/*.tpl.
#   WARDEN_TEST_DATABASE_URL=postgresql://... scripts/template-peer.sh
set -euo pipefail
source "$(dirname "$0")/lib/harness.sh"
source "$(dirname "$0")/lib/peer-cas.sh"
request_data='{"team": "payments", "aliases": ["api", "www"], "addresses": ["10.1.2.3", "fd00::7"], "contact": "ops@svc.internal"}'
peer_start
echo "step-ca 0.19 on :$step_port and Warden on :$port, the same templates"
compare() { # compare NAME SUBJECT [SANS]
  local name=$1 subject=$2 sans=${3:-$2}
  "$driver" sign --ca "https://localhost:$step_port" --root "$step_root" --provisioner admin --password "$pw" \
    --subject "$subject" --san "$sans" --template-data "$request_data" --out "$work/step-$name" >"$work/step-sign.log" 2>&1 ||
    { echo "step-ca refused $name:"; cat "$work/step-sign.log"; return 1; }
  "$driver" sign --ca "https://localhost:$port" --root "$root_crt" --provisioner admin --password "$pw" \
    --subject "$subject" --san "$sans" --template-data "$request_data" --out "$work/warden-$name" >"$work/warden-sign.log" 2>&1 ||
    { echo "Warden refused $name:"; cat "$work/warden-sign.log"; return 1; }
  describe "$work/step-$name.crt" > "$work/step-$name.txt"
  describe "$work/warden-$name.crt" > "$work/warden-$name.txt"
  diff -u "$work/step-$name.txt" "$work/warden-$name.txt" || return 1
  [ -z "${VERBOSE:-}" ] || sed 's/^/       /' "$work/warden-$name.txt"
}

check "step's default leaf template (the provisioner has none of its own)" compare default web.svc.internal web.svc.internal,10.9.8.7
for file in "$root"/Tests/TemplatePeer/*.tpl; do
  name=$(basename "$file" .tpl)
  peer_use "$file"
  case "$name" in
    sub-ca-*) check "template $name: same certificate" compare "$name" team-ca.team.internal ;;
    *) check "template $name: same certificate" compare "$name" api.svc.internal api.svc.internal,10.9.8.7 ;;
  esac
done
check "Warden's templated certificate verifies to its root" \
  openssl verify -CAfile "$root_crt" -untrusted "$work/ca/certs/intermediate_ca.crt" "$work/warden-subject-organisation.crt"
check "step-ca's too (the comparison is between valid certificates)" \
  openssl verify -CAfile "$step_root" -untrusted "$stepdir/certs/intermediate_ca.crt" "$work/step-subject-organisation.crt"
finish template-peer
