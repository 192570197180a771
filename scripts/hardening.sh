#!/usr/bin/env bash
# Hardening a demanding operator checks from outside, with the real binaries:
#   - `warden init` under `umask 000` still writes the CA directory 0700, keys and config 0600, certificates
#     0644, the CLI's contexts 0600 (modes are explicit, never the umask's);
#   - at WARDEN_LOG_LEVEL=debug, through init, start-up, SIGHUP reload, issuance and admin calls, no password,
#     private key or database credential appears in any output;
#   - a provisioner whose name needs percent-encoding ("Admin JWK") is read, updated and removed by name.
#   WARDEN_TEST_DATABASE_URL=postgresql://... scripts/hardening.sh
set -euo pipefail
source "$(dirname "$0")/lib/harness.sh"
mode() { stat -c %a "$1"; }

echo "CA-Passw0rd-$RANDOM$RANDOM" > "$work/pw"
db_password="Db-Passw0rd-$RANDOM$RANDOM"
port=$(free_port)
db_url=$(fresh_database_url hardening)
# The test cluster trusts loopback, so any password is accepted — and the point is that it is never printed.
db_url_with_password=$(python3 - "$db_url" "$db_password" <<'PY'
import sys, urllib.parse as u
p = u.urlsplit(sys.argv[1]); print(u.urlunsplit(p._replace(netloc=f"{p.username}:{sys.argv[2]}@{p.hostname}:{p.port}")))
PY
)
echo "hardening checks on :$port"
(umask 000; "$warden" init --dir "$work/ca" --name Hardening --dns localhost --address "127.0.0.1:$port" --password-file "$work/pw" \
  --database-url "$db_url_with_password" --remote-management --provisioner "Admin JWK" --context hardening >"$work/init.out" 2>&1)
check "init under umask 000: CA directory 0700" test "$(mode "$work/ca")" = 700
check "init under umask 000: config/ and secrets/ 0700, certs/ 0755" \
  test "$(mode "$work/ca/config") $(mode "$work/ca/secrets") $(mode "$work/ca/certs")" = "700 700 755"
check "init under umask 000: keys 0600" test "$(mode "$work/ca/secrets/root_ca_key") $(mode "$work/ca/secrets/intermediate_ca_key")" = "600 600"
check "init under umask 000: ca.json and defaults.json 0600" \
  test "$(mode "$work/ca/config/ca.json") $(mode "$work/ca/config/defaults.json")" = "600 600"
check "init under umask 000: certificates 0644" \
  test "$(mode "$work/ca/certs/root_ca.crt") $(mode "$work/ca/certs/intermediate_ca.crt")" = "644 644"
check "init under umask 000: contexts file 0600 in a 0700 directory" \
  test "$(mode "$WARDEN_HOME/contexts.json") $(mode "$WARDEN_HOME")" = "600 700"

root_crt="$work/ca/certs/root_ca.crt"; ca_url="https://localhost:$port"
WARDEN_LOG_LEVEL=debug "$warden" serve --config "$work/ca/config/ca.json" --password-file "$work/pw" >"$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 150); do curl -sf --cacert "$root_crt" "$ca_url/health" >/dev/null && break; sleep 0.2; done
check "server is up at debug level" curl -sf --cacert "$root_crt" "$ca_url/health"
(umask 000; "$warden" certificate step "$work/step.crt" "$work/step.key" --provisioner "Admin JWK" --password-file "$work/pw" \
  --ca-url "$ca_url" --root "$root_crt" >"$work/cert.out" 2>&1)
check "certificate key written 0600 and certificate 0644 under umask 000" test "$(mode "$work/step.key") $(mode "$work/step.crt")" = "600 644"
admin=(--ca-url "$ca_url" --root "$root_crt" --admin-cert "$work/step.crt" --admin-key "$work/step.key")
echo "ops-Passw0rd-$RANDOM" > "$work/ops-pw"
check "admin call: add a JWK provisioner with a generated key" "$warden" provisioner add ops --type JWK --create --password-file "$work/ops-pw" "${admin[@]}"
check "issuance through the new provisioner" "$warden" certificate app.internal "$work/app.crt" "$work/app.key" --provisioner ops \
  --password-file "$work/ops-pw" --ca-url "$ca_url" --root "$root_crt"
kill -HUP "$server_pid"
for _ in $(seq 1 50); do grep -q "configuration reloaded" "$work/server.log" && break; sleep 0.1; done
check "SIGHUP reloaded (and was logged)" grep -q "configuration reloaded" "$work/server.log"
check "admin calls after the reload" "$warden" whoami "${admin[@]}"

# Percent-encoded path parameters: "Admin JWK" by name, through curl with %20 and through the CLI.
enc="Admin%20JWK"
check "GET /admin/provisioners/Admin%20JWK" bash -c "curl -sf --cacert '$root_crt' --cert '$work/step.crt' --key '$work/step.key' \
  '$ca_url/admin/provisioners/$enc' | python3 -c 'import json,sys; assert json.load(sys.stdin)[\"name\"] == \"Admin JWK\"'"
check "warden provisioner update \"Admin JWK\" (GET then PUT by name)" bash -c "
  '$warden' provisioner update 'Admin JWK' --x509-max-dur 12h --json ${admin[*]} | python3 -c 'import json,sys; assert json.load(sys.stdin)[\"claims\"][\"x509\"][\"durations\"][\"max\"] == \"12h\"'"
check "a NUL in a path parameter is a 400 naming it" bash -c "
  [ \"\$(curl -s -o '$work/nul.json' -w '%{http_code}' --cacert '$root_crt' --cert '$work/step.crt' --key '$work/step.key' '$ca_url/admin/provisioners/a%00b')\" = 400 ] &&
  grep -q 'path: contains the control character U+0000' '$work/nul.json'"

check "invalid percent-encoding in the path is a 400" bash -c "
  [ \"\$(curl -s -o '$work/pct.json' -w '%{http_code}' --cacert '$root_crt' --cert '$work/step.crt' --key '$work/step.key' '$ca_url/admin/provisioners/%zz')\" = 400 ] &&
  grep -q 'invalid percent-encoding' '$work/pct.json'"

# Everything the processes printed, at debug level: no secret of any kind.
intermediate_key_hex=$(openssl pkey -in "$work/ca/secrets/intermediate_ca_key" -passin "file:$work/pw" -noout -text | sed -n '/priv:/,/pub:/p' | grep -v 'priv:\|pub:' | tr -d ' :\n')
intermediate_key_b64u=$(python3 -c "import base64,sys; print(base64.urlsafe_b64encode(bytes.fromhex(sys.argv[1])).decode().rstrip('='))" "$intermediate_key_hex")
ops_d=$(python3 - "$ca_url" "$root_crt" "$work/ops-pw" <<'PY'
# PBES2-HS256+A128KW / A256GCM (RFC 7518 §4.8), decrypted independently of Warden with PyCA cryptography.
import base64, json, ssl, sys, urllib.request
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.pbkdf2 import PBKDF2HMAC
from cryptography.hazmat.primitives.keywrap import aes_key_unwrap
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
b64 = lambda s: base64.urlsafe_b64decode(s + "=" * (-len(s) % 4))
ctx = ssl.create_default_context(cafile=sys.argv[2])
provs = json.load(urllib.request.urlopen(sys.argv[1] + "/provisioners", context=ctx))["provisioners"]
token = next(p["encryptedKey"] for p in provs if p["name"] == "ops")
header_b64, wrapped, iv, ciphertext, tag = token.split(".")
header = json.loads(b64(header_b64))
password = open(sys.argv[3]).read().strip().encode()
salt = header["alg"].encode() + b"\0" + b64(header["p2s"])
kek = PBKDF2HMAC(algorithm=hashes.SHA256(), length=16, salt=salt, iterations=header["p2c"]).derive(password)
cek = aes_key_unwrap(kek, b64(wrapped))
plain = AESGCM(cek).decrypt(b64(iv), b64(ciphertext) + b64(tag), header_b64.encode())
print(json.loads(plain)["d"])
PY
)
check "the provisioner's private key could be read (so its absence from the logs means something)" test -n "$ops_d"
secrets=("$(cat "$work/pw")" "$db_password" "$(cat "$work/ops-pw")" "$intermediate_key_hex" "$intermediate_key_b64u" "$ops_d")
all_output="$work/all-output"
cat "$work/server.log" "$work/init.out" "$work/cert.out" > "$all_output"
check "the debug log is not empty (it logged start-up, requests and the reload)" test "$(wc -l < "$work/server.log")" -gt 20
for secret in "${secrets[@]}"; do
  check "no secret in any output (${secret:0:4}…)" bash -c "! grep -qF -- '$secret' '$all_output'"
done
check "a password is shown redacted where configuration is described" grep -q "<redacted>" "$work/server.log"
finish hardening
