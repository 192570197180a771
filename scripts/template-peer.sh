#!/usr/bin/env bash
# Peer test of X.509 templates against step-ca 0.19 (interop/reference-ca, built from Debian's packages): the same
# template file, template data, ca.json subject defaults and request (smallstep's client code, interop/step-driver,
# with the same subject, SANs and request templateData) through step-ca and through Warden must give certificates
# with the same subject, SANs, key usages, basic constraints, name constraints and other extensions (compared as
# openssl prints them; subject/authority key identifiers and the provisioner extension, whose key ids differ
# between the two CAs, are compared by presence only). Templates: Tests/TemplatePeer/*.tpl and step's default.
#   WARDEN_TEST_DATABASE_URL=postgresql://... scripts/template-peer.sh
set -euo pipefail
source "$(dirname "$0")/lib/harness.sh"
driver=$(build_step_driver); step_ca="$(dirname "$driver")/reference-ca"
step_pid=
trap 'if [ -n "$step_pid" ]; then kill "$step_pid" 2>/dev/null || true; fi; harness_cleanup' EXIT
pw=peer-pw; echo "$pw" > "$work/pw"
template="$work/template.tpl"
data='{"organizations": ["Example Org", "Second Org"], "zone": "svc.internal"}'
request_data='{"team": "payments", "aliases": ["api", "www"], "addresses": ["10.1.2.3", "fd00::7"], "contact": "ops@svc.internal"}'

# Both CAs: ca.json mode, the JWK provisioner "admin" with templateFile + templateData, authority.template defaults.
configure() { # configure CA.JSON
  python3 - "$1" "$template" "$data" <<'PY'
import json, sys
path, template, data = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
config = json.load(open(path))
config["authority"]["enableAdmin"] = False
config["authority"]["template"] = {"country": "DE", "locality": "Berlin"}
for p in config["authority"]["provisioners"]:
    if p["name"] == "admin":
        p.setdefault("options", {})["x509"] = {"templateFile": template, "templateData": data}
json.dump(config, open(path, "w"), indent=2)
PY
}
echo '{"subject": {{ toJson .Subject }}, "sans": {{ toJson .SANs }}}' > "$template"

step_port=$(free_port); stepdir="$work/step"
STEPPATH="$stepdir" "$driver" init --dir "$stepdir" --address "127.0.0.1:$step_port" --password "$pw" --remote-management=false \
  >"$work/step-init.log" 2>&1 || { cat "$work/step-init.log"; exit 1; }
configure "$stepdir/config/ca.json"
STEPPATH="$stepdir" "$step_ca" "$stepdir/config/ca.json" >"$work/step-ca.log" 2>&1 &
step_pid=$!
for _ in $(seq 1 150); do curl -sf --cacert "$stepdir/certs/root_ca.crt" "https://localhost:$step_port/health" >/dev/null && break; sleep 0.2; done

port=$(free_port); db_url=$(fresh_database_url peer)
"$warden" init --dir "$work/ca" --name Peer --dns localhost --dns 127.0.0.1 --address "127.0.0.1:$port" \
  --password-file "$work/pw" --database-url "$db_url" --provisioner admin >/dev/null
configure "$work/ca/config/ca.json"
WARDEN_LOG_LEVEL=info "$warden" serve --config "$work/ca/config/ca.json" --password-file "$work/pw" >"$work/server.log" 2>&1 &
server_pid=$!
root_crt="$work/ca/certs/root_ca.crt"
for _ in $(seq 1 150); do curl -sf --cacert "$root_crt" "https://localhost:$port/health" >/dev/null && break; sleep 0.2; done

# describe CERT: the compared parts, as openssl prints them, one line per item (extensions sorted by name).
describe() {
  openssl x509 -in "$1" -noout -text -nameopt RFC2253 | python3 -c '
import re, sys
text = sys.stdin.read()
subject = re.search(r"^\s*Subject: (.*)$", text, re.M).group(1)
print("subject:", subject)
block = text.split("X509v3 extensions:")[1].split("Signature Algorithm")[0] if "X509v3 extensions:" in text else ""
extensions, current = {}, None
for line in block.splitlines():
    if not line.strip():
        continue
    indent = len(line) - len(line.lstrip())
    if indent <= 12:
        current = line.strip()
        extensions[current] = []
    elif current:
        extensions[current].append(line.strip())
for name in sorted(extensions):
    key = name.split(":")[0]
    if key in ("X509v3 Subject Key Identifier", "X509v3 Authority Key Identifier") or key.startswith("1.3.6.1.4.1.37476.9000.64.1"):
        print(key + ": present")
    else:
        # SAN order is kept as issued; other multi-line values too.
        print(name, "|", " ; ".join(extensions[name]))
'
}

echo "step-ca 0.19 on :$step_port and Warden on :$port, the same templates"
compare() { # compare NAME SUBJECT [SANS]
  local name=$1 subject=$2 sans=${3:-$2}
  "$driver" sign --ca "https://localhost:$step_port" --root "$stepdir/certs/root_ca.crt" --provisioner admin --password "$pw" \
    --subject "$subject" --san "$sans" --template-data "$request_data" --out "$work/step-$name" >"$work/step-sign.log" 2>&1 ||
    { echo "step-ca refused $name:"; cat "$work/step-sign.log"; return 1; }
  "$driver" sign --ca "https://localhost:$port" --root "$root_crt" --provisioner admin --password "$pw" \
    --subject "$subject" --san "$sans" --template-data "$request_data" --out "$work/warden-$name" >"$work/warden-sign.log" 2>&1 ||
    { echo "Warden refused $name:"; cat "$work/warden-sign.log"; return 1; }
  describe "$work/step-$name.crt" > "$work/step-$name.txt"
  describe "$work/warden-$name.crt" > "$work/warden-$name.txt"
  diff -u "$work/step-$name.txt" "$work/warden-$name.txt" || return 1
  [ "${VERBOSE:-}" ] && sed 's/^/       /' "$work/warden-$name.txt" || true
}
use() { cp "$1" "$template"; kill -HUP "$server_pid"; sleep 1.5; }  # step-ca reads the file per request; Warden on SIGHUP

check "step's default leaf template (no template of the provisioner's own)" compare default web.svc.internal web.svc.internal,10.9.8.7
for file in "$root"/Tests/TemplatePeer/*.tpl; do
  name=$(basename "$file" .tpl)
  use "$file"
  case "$name" in
    sub-ca-*) check "template $name: same certificate" compare "$name" team-ca.team.internal ;;
    *) check "template $name: same certificate" compare "$name" api.svc.internal api.svc.internal,10.9.8.7 ;;
  esac
done
check "Warden's templated certificate verifies to its root" \
  openssl verify -CAfile "$root_crt" -untrusted "$work/ca/certs/intermediate_ca.crt" "$work/warden-subject-organisation.crt"
check "step-ca's too (the comparison is between valid certificates)" \
  openssl verify -CAfile "$stepdir/certs/root_ca.crt" -untrusted "$stepdir/certs/intermediate_ca.crt" "$work/step-subject-organisation.crt"
finish template-peer
