# Shared by template-peer.sh and bench-templates.sh: step-ca 0.19 (interop/reference-ca) and Warden side by side
# in ca.json mode, their JWK provisioner "admin" with the same template file and template data, ca.json's subject
# defaults. Source after harness.sh; defines $driver, $pw, $step_port, $stepdir, $step_root, $port, $root_crt,
# peer_start, peer_use (switch both to a template file, or "none" for step's default) and describe.
driver=$(build_step_driver); step_ca="$(dirname "$driver")/reference-ca"
step_pid=
trap 'if [ -n "$step_pid" ]; then kill "$step_pid" 2>/dev/null || true; fi; harness_cleanup' EXIT
pw=peer-pw; echo "$pw" > "$work/pw"
peer_template="$work/template.tpl"
peer_data='{"organizations": ["Example Org", "Second Org"], "zone": "svc.internal"}'

# peer_configure CA.JSON TEMPLATE-OR-none: the provisioner "admin" uses the template file (or none).
peer_configure() {
  python3 - "$1" "$2" "$peer_data" <<'PY'
import json, sys
path, template, data = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
config = json.load(open(path))
config["authority"]["enableAdmin"] = False
config["authority"]["template"] = {"country": "DE", "locality": "Berlin"}
for p in config["authority"]["provisioners"]:
    if p["name"] == "admin":
        options = p.setdefault("options", {})
        options["x509"] = {"templateFile": template, "templateData": data} if template != "none" else {}
json.dump(config, open(path, "w"), indent=2)
PY
}

peer_start() {
  step_port=$(free_port); stepdir="$work/step"; step_root="$stepdir/certs/root_ca.crt"
  STEPPATH="$stepdir" "$driver" init --dir "$stepdir" --address "127.0.0.1:$step_port" --password "$pw" --remote-management=false \
    >"$work/step-init.log" 2>&1 || { cat "$work/step-init.log"; exit 1; }
  peer_configure "$stepdir/config/ca.json" none
  STEPPATH="$stepdir" "$step_ca" "$stepdir/config/ca.json" >"$work/step-ca.log" 2>&1 &
  step_pid=$!
  port=$(free_port)
  "$warden" init --dir "$work/ca" --name Peer --dns localhost --dns 127.0.0.1 --address "127.0.0.1:$port" \
    --password-file "$work/pw" --database-url "$(fresh_database_url peer)" --provisioner admin >/dev/null
  peer_configure "$work/ca/config/ca.json" none
  WARDEN_LOG_LEVEL=${WARDEN_LOG_LEVEL:-info} "$warden" serve --config "$work/ca/config/ca.json" --password-file "$work/pw" >"$work/server.log" 2>&1 &
  server_pid=$!
  root_crt="$work/ca/certs/root_ca.crt"
  for _ in $(seq 1 150); do
    curl -sf --cacert "$step_root" "https://localhost:$step_port/health" >/dev/null &&
      curl -sf --cacert "$root_crt" "https://localhost:$port/health" >/dev/null && return 0
    sleep 0.2
  done
  echo "a CA did not start"; tail -5 "$work/step-ca.log" "$work/server.log"; exit 1
}

# peer_use FILE|none: both CAs switch to the template (SIGHUP reloads ca.json in both), then wait until both serve.
peer_use() {
  local template=none
  if [ "$1" != none ]; then cp "$1" "$peer_template"; template=$peer_template; fi
  peer_configure "$stepdir/config/ca.json" "$template"
  peer_configure "$work/ca/config/ca.json" "$template"
  kill -HUP "$step_pid" "$server_pid"
  sleep 1.5
  for _ in $(seq 1 50); do
    curl -sf --cacert "$step_root" "https://localhost:$step_port/health" >/dev/null &&
      curl -sf --cacert "$root_crt" "https://localhost:$port/health" >/dev/null && return 0
    sleep 0.2
  done
  echo "a CA did not come back after SIGHUP"; exit 1
}

# describe CERT: the compared parts, as openssl prints them, one line per item (extensions sorted by name; key
# identifiers and step's provisioner extension, whose key ids differ between two CAs, by presence only).
describe() {
  openssl x509 -in "$1" -noout -text -nameopt RFC2253 | python3 -c '
import re, sys
text = sys.stdin.read()
print("subject:", re.search(r"^\s*Subject: (.*)$", text, re.M).group(1))
block = text.split("X509v3 extensions:")[1].split("Signature Algorithm")[0] if "X509v3 extensions:" in text else ""
extensions, current = {}, None
for line in block.splitlines():
    if not line.strip():
        continue
    if len(line) - len(line.lstrip()) <= 12:
        current = line.strip()
        extensions[current] = []
    elif current:
        extensions[current].append(line.strip())
for name in sorted(extensions):
    key = name.split(":")[0]
    if key in ("X509v3 Subject Key Identifier", "X509v3 Authority Key Identifier") or key.startswith("1.3.6.1.4.1.37476.9000.64.1"):
        print(key + ": present")
    else:
        print(name, "|", " ; ".join(extensions[name]))
'
}
