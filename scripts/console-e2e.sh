#!/usr/bin/env bash
# warden-console driven in tmux against a real remotely managed Warden (mTLS, PostgreSQL). Every flow checks
# the screen and then the server's state through the API.
#   WARDEN_TEST_DATABASE_URL=postgresql://... scripts/console-e2e.sh
set -euo pipefail
source "$(dirname "$0")/lib/harness.sh"
console="$(dirname "$warden")/warden-console"
echo "console-pw" > "$work/pw"
start_ca Console --remote-management --context console
W() { "$warden" "$@"; }
W certificate step "$work/admin.crt" "$work/admin.key" --provisioner admin --password-file "$work/pw" >/dev/null
W context set console --admin-cert "$work/admin.crt" --admin-key "$work/admin.key"
for name in web-1.example.internal web-2.example.internal db.internal; do
  W certificate "$name" "$work/$name.crt" "$work/$name.key" --provisioner admin --password-file "$work/pw" >/dev/null
done

sock="warden-e2e-$$"
T() { tmux -L "$sock" "$@"; }
tui_start() { # tui_start WIDTH HEIGHT ARGS...: each run gets its own tmux server (no race with the last one's exit)
  local w=$1 h=$2; shift 2
  sock="warden-e2e-$$-$RANDOM"
  T -f /dev/null new-session -d -x "$w" -y "$h" -s ui \
    "env WARDEN_HOME='$WARDEN_HOME' LANG=C.UTF-8 TERM=tmux-256color EDITOR='$work/editor.sh' ${TUI_ENV:-} '$console' $*; echo EXIT=\$?; sleep 60"
  T set -g status off
}
tui_screen() { T capture-pane -p -t ui; }
tui_sgr() { T capture-pane -e -p -t ui; }  # the screen with its colour/attribute escapes
tui_wait() { # tui_wait TEXT [SECONDS]: the text must appear on screen
  local text=$1 limit=${2:-10}
  for _ in $(seq 1 $((limit * 10))); do tui_screen | grep -qF -- "$text" && return 0; sleep 0.1; done
  echo "screen did not show: $text"; tui_screen; return 1
}
tui_gone() { # tui_gone TEXT [SECONDS]: the text must disappear
  local text=$1 limit=${2:-10}
  for _ in $(seq 1 $((limit * 10))); do tui_screen | grep -qF -- "$text" || return 0; sleep 0.1; done
  echo "screen still shows: $text"; tui_screen; return 1
}
keys() { T send-keys -t ui "$@"; }
select_row() { # select_row TEXT: move the selection to the row starting with TEXT
  keys g
  for _ in $(seq 1 30); do tui_screen | grep -qF "> $1" && return 0; keys j; sleep 0.1; done
  echo "no row $1"; tui_screen; return 1
}
typed() { T send-keys -t ui -l "$1"; }
trap 'T kill-server 2>/dev/null || true; harness_cleanup' EXIT
# $EDITOR stands in for a person: it runs whatever $work/edit.py says on the file the console opens.
printf '#!/bin/sh\nexec python3 "%s/edit.py" "$1"\n' "$work" > "$work/editor.sh"; chmod +x "$work/editor.sh"
serve_again() { # the same CA, restarted (after a stop that the console must notice and recover from)
  WARDEN_LOG_LEVEL=info "$warden" serve --config "$work/ca/config/ca.json" --password-file "$work/pw" >>"$work/server.log" 2>&1 &
  server_pid=$!
}

echo "warden-console against Warden on :$port"
tui_start 120 35
check "starts and shows who is logged in" tui_wait "step (SUPER_ADMIN)"
check "flow 1: browse provisioners and open one" bash -c "$(declare -f tui_wait tui_screen T keys); sock=$sock
  tui_wait '> admin' && keys Enter && tui_wait 'Details' && tui_wait 'publicKey' && keys Escape && tui_wait '1 Provisioners'"
check "flow 1: the server still has exactly that provisioner" bash -c "[ \"\$('$warden' provisioner list --json | python3 -c 'import json,sys; print([p[\"name\"] for p in json.load(sys.stdin)])')\" = \"['admin']\" ]"

echo "ops-pw" > "$work/ops-pw"
W provisioner add ops --type JWK --create --password-file "$work/ops-pw" >/dev/null
check "flow 2: a provisioner added elsewhere appears within 3 s (live events)" tui_wait "  ops  " 3
W certificate live.internal "$work/live.crt" "$work/live.key" --provisioner ops --password-file "$work/ops-pw" >/dev/null
keys 3
check "flow 2: a certificate issued with it appears in Certificates" tui_wait "live.internal" 3

keys 1 a
check "flow 6: the new-provisioner form opens" tui_wait "New provisioner"
typed "console-made"; keys Tab Tab; typed "console-pw-1"; keys Tab; typed "console-pw-1"; keys Enter
check "flow 6: the console adds the JWK provisioner" tui_wait "Provisioner console-made added" 15
check "flow 6: a certificate can be issued with it (its key decrypts with the typed password)" \
  bash -c "echo console-pw-1 > '$work/cm-pw' && '$warden' certificate cm.internal '$work/cm.crt' '$work/cm.key' --provisioner console-made --password-file '$work/cm-pw'"

cat > "$work/edit.py" <<'PY'
import json, sys
p = sys.argv[1]; d = json.load(open(p))
d["details"]["OIDC"]["clientId"] = "console-client"
d["details"]["OIDC"]["configurationEndpoint"] = "https://idp.example.internal/.well-known/openid-configuration"
json.dump(d, open(p, "w"))
PY
keys 1 n
typed "corp-sso"; keys Tab BSpace BSpace BSpace; typed "OIDC"; keys Enter
check "flow 7: an OIDC provisioner is written in \$EDITOR from the type's template and added" tui_wait "Provisioner corp-sso added (OIDC)" 15
check "flow 7: the server has it with the edited fields and no empty template fields" bash -c "
  '$warden' provisioner get corp-sso --json > '$work/sso.json' && grep -q console-client '$work/sso.json' && ! grep -q '\"groups\"' '$work/sso.json'"
echo 'import sys; open(sys.argv[1], "a").write("}}")' > "$work/edit.py"
select_row corp-sso
keys e
check "flow 8: a broken edit is refused before anything is sent, and kept" tui_wait "not valid JSON"
cat > "$work/edit.py" <<'PY'
import json, sys
p = sys.argv[1]; t = open(p).read().rstrip()
assert t.endswith("}\n}}"), "the console did not keep the edited text"
d = json.loads(t[:-2])
d.setdefault("claims", {}).setdefault("x509", {"enabled": True})["durations"] = {"default": "2h", "max": "48h"}
json.dump(d, open(p, "w"))
PY
keys e
check "flow 8: editing again from the kept text saves the provisioner" tui_wait "Provisioner corp-sso updated" 15
check "flow 8: the server has the new durations" bash -c "'$warden' provisioner get corp-sso --json | grep -q '48h'"
cat > "$work/edit.py" <<'PY'
import sys
p = sys.argv[1]; t = open(p).read()
assert '"extKeyUsage": ["serverAuth", "clientAuth"]' in t, "the console did not start from step's default template"
open(p, "w").write('{\n  "subject": {{ toJson .Subject }},\n  "sans": {{ toJson .SANs }\n}\n')
PY
select_row ops
keys t
check "flow 10: the X.509 template opens in \$EDITOR from step's default; a broken one is refused by the CA, in place, with its line" \
  tui_wait "template: ops:3:" 15
cat > "$work/edit.py" <<'PY'
import sys
p = sys.argv[1]; t = open(p).read()
assert "{{ toJson .SANs }\n" in t, "the console did not keep the edited template"
open(p, "w").write('{"subject": {"commonName": {{ toJson .Subject.CommonName }}, "organization": "Console Org"}, "sans": {{ toJson .SANs }}}\n')
PY
keys e
check "flow 10: editing again from the kept text saves it" tui_wait "X.509 template of ops saved" 15
check "flow 10: certificates from ops now carry the template's organisation" bash -c "
  '$warden' certificate tpl.internal '$work/tpl.crt' '$work/tpl.key' --provisioner ops --password-file '$work/ops-pw' >/dev/null &&
  openssl x509 -in '$work/tpl.crt' -noout -subject -nameopt RFC2253 | grep -q 'O=Console Org'"
select_row ops
keys c
check "flow 9: the claims form opens for ops" tui_wait "Claims of provisioner ops"
typed "12h"; keys Tab; typed "1h"; keys Tab; typed "10h"; keys Enter
check "flow 9: bounds are checked in the form, in the CA's words" tui_wait "is greater than max duration"
keys BSpace BSpace BSpace; typed "24h"; keys Enter
check "flow 9: the claims are saved" tui_wait "Claims of ops updated" 10
check "flow 9: a certificate from ops now lasts the new default of 12 h" bash -c "
  '$warden' certificate claims.internal '$work/cl.crt' '$work/cl.key' --provisioner ops --password-file '$work/ops-pw' >/dev/null &&
  python3 - '$work/cl.crt' <<'PY'
import subprocess, sys
from datetime import datetime
f = lambda o: datetime.strptime(subprocess.check_output(['openssl', 'x509', '-noout', o, '-in', sys.argv[1]], text=True).split('=', 1)[1].strip(), '%b %d %H:%M:%S %Y %Z')
hours = (f('-enddate') - f('-startdate')).total_seconds() / 3600
assert 11.9 < hours < 12.2, hours
PY"
keys 2 a
check "flow 3: the new-admin form opens" tui_wait "New admin"
keys Enter
check "flow 3: the form validates before sending" tui_wait "Subject: required"
typed "alice@example.com"; keys Enter
check "flow 3: the console adds the admin" tui_wait "Admin alice@example.com added" 10
check "flow 3: admins view lists alice" tui_wait "alice@example.com" 3
select_row alice@example.com
keys p
check "flow 3: promote asks for a typed confirmation" tui_wait "Type promote"
typed promote; keys Enter
check "flow 3: the console reports the promotion" tui_wait "alice@example.com is now SUPER_ADMIN"
check "flow 3: the server has alice as SUPER_ADMIN" bash -c "'$warden' admin get alice@example.com --json | grep -q '\"SUPER_ADMIN\"'"
select_row step
keys d
check "flow 3: removing my own account is refused in the UI" tui_wait "cannot remove the account you are logged in with"

keys 3 /
typed web-2; keys Enter
check "flow 4: server-side search shows the filter" tui_wait "[filter: web-2]"
check "flow 4: only the matching certificate remains" tui_gone "db.internal"
check "flow 4: and it is the selected row" bash -c "$(declare -f tui_wait tui_screen T); sock=$sock; tui_screen | grep -qE '^> .*web-2.example.internal'"
serial=$(W certs list --search web-2 --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["items"][0]["serialHex"])')
keys R
check "flow 4: revoke asks for the last 4 hex digits" tui_wait "Type ${serial: -4}"
typed "${serial: -4}"; keys Enter
check "flow 4: the console shows it revoked" tui_wait "Revoked $serial"
check "flow 4: the API says revoked" bash -c "'$warden' certs show 0x$serial --json | grep -q '\"status\" : \"revoked\"'"
check "flow 4: the CRL lists it" bash -c "curl -sf --cacert '$root_crt' '$ca_url/crl' | openssl crl -inform DER -noout -text | grep -qi '${serial}'"
check "colour: the revoked row is drawn in red (and marked R)" bash -c "$(declare -f tui_sgr T); sock=$sock
  tui_sgr | grep 'web-2.example' | grep -qP '\x1b\[[0-9;]*31[;m]' && tui_sgr | grep -q 'R .*web-2.example'"
keys 4
check "flow 4: the revocations view shows it" tui_wait "web-2.example.internal"

kill "$server_pid"; wait "$server_pid" 2>/dev/null || true
check "errors: a stopped CA marks the data stale with a sticky error" tui_wait "✗ stale" 10
keys '!'
check "errors: ! shows the whole error with the credential used" bash -c "$(declare -f tui_wait tui_screen T); sock=$sock
  tui_wait 'Last error' && tui_wait 'transport error' && tui_wait 'client certificate: CN=step'"
keys Escape
serve_again
check "errors: recovers by itself when the CA is back" tui_wait "● live" 15

T resize-window -t ui -x 60 -y 15
check "flow 5: re-laid out at 60×15 without the detail pane" bash -c "$(declare -f tui_wait tui_screen T); sock=$sock; tui_wait 'Revocations' && ! tui_screen | grep -q '│'"
T resize-window -t ui -x 50 -y 10
check "flow 5: below 60×15 says the terminal is too small" tui_wait "terminal too small"
T resize-window -t ui -x 120 -y 35
check "flow 5: back to the full layout" tui_wait "5 Audit"
keys '?'
check "help lists the keys of the view" tui_wait "Keys for Revocations"
keys Escape q
check "q quits with status 0" tui_wait "EXIT=0"
T kill-server

TUI_ENV="NO_COLOR=1" tui_start 120 35 --read-only
check "read-only: starts" tui_wait "[read-only]"
keys 3
check "NO_COLOR: no colour escapes at all, the markers still say it" bash -c "$(declare -f tui_wait tui_screen tui_sgr T); sock=$sock
  tui_wait 'web-2.example' && ! tui_sgr | grep -qP '\x1b\[[0-9;]*[34][0-7][;m]' && tui_screen | grep -q 'R .*web-2.example'"
keys 3 R
check "read-only: revoking is refused" tui_wait "Read-only console"
keys C-c
check "Ctrl-C exits cleanly" tui_wait "EXIT=0"
T kill-server

W certificate nobody "$work/nobody.crt" "$work/nobody.key" --provisioner admin --password-file "$work/pw" >/dev/null
check "refuses to start for a certificate that is not an admin, in one line" bash -c "
  set +e; out=\$(WARDEN_HOME='$WARDEN_HOME' '$console' --admin-cert '$work/nobody.crt' --admin-key '$work/nobody.key' 2>&1); code=\$?
  [ \$code = 1 ] && [ \$(printf '%s\n' \"\$out\" | wc -l) = 1 ] && echo \"\$out\" | grep -q 'cannot log in'"
W certs revoke "$(openssl x509 -in "$work/web-1.example.internal.crt" -noout -serial | cut -d= -f2 | sed 's/^/0x/')" >/dev/null
W admin add web-1.example.internal admin >/dev/null
check "refuses to start with a revoked admin certificate, in one line" bash -c "
  set +e; out=\$(WARDEN_HOME='$WARDEN_HOME' timeout 20 '$console' --admin-cert '$work/web-1.example.internal.crt' --admin-key '$work/web-1.example.internal.key' 2>&1); code=\$?
  [ \$code = 1 ] && [ \$(printf '%s\\n' \"\$out\" | wc -l) = 1 ] && grep -q '^error: cannot log in to .*has been revoked' <<<\"\$out\""
# An admin certificate that expired an hour ago (made with the CA's intermediate, as one issued earlier would be).
python3 - "$work" "$(cat "$work/pw")" <<'PY'
import datetime, sys
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID, ExtendedKeyUsageOID
work, password = sys.argv[1], sys.argv[2].encode()
ca_key = serialization.load_pem_private_key(open(f"{work}/ca/secrets/intermediate_ca_key", "rb").read(), password)
ca = x509.load_pem_x509_certificate(open(f"{work}/ca/certs/intermediate_ca.crt", "rb").read())
key = ec.generate_private_key(ec.SECP256R1())
now = datetime.datetime.now(datetime.timezone.utc)
cert = (x509.CertificateBuilder().subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "step")])).issuer_name(ca.subject)
        .public_key(key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(hours=2)).not_valid_after(now - datetime.timedelta(hours=1))
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.CLIENT_AUTH]), critical=False)
        .sign(ca_key, hashes.SHA256()))
open(f"{work}/expired.crt", "wb").write(cert.public_bytes(serialization.Encoding.PEM))
open(f"{work}/expired.key", "wb").write(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
PY
check "refuses to start with an expired admin certificate, in one line" bash -c "
  set +e; out=\$(WARDEN_HOME='$WARDEN_HOME' timeout 20 '$console' --admin-cert '$work/expired.crt' --admin-key '$work/expired.key' 2>&1); code=\$?
  [ \$code = 1 ] && [ \$(printf '%s\\n' \"\$out\" | wc -l) = 1 ] && grep -q '^error: the admin certificate .*expired.crt expired at' <<<\"\$out\""
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$work/foreign.key" -out "$work/foreign.crt" -subj /CN=step -days 1 \
  -addext extendedKeyUsage=clientAuth 2>/dev/null
check "refuses to start with a certificate from another CA, in one line" bash -c "
  set +e; out=\$(WARDEN_HOME='$WARDEN_HOME' timeout 20 '$console' --admin-cert '$work/foreign.crt' --admin-key '$work/foreign.key' 2>&1); code=\$?
  [ \$code = 1 ] && [ \$(printf '%s\\n' \"\$out\" | wc -l) = 1 ] && grep -q '^error: cannot log in to .*not issued by this CA' <<<\"\$out\""

# Quitting returns the terminal at once, and the console can mint its own admin certificate.
tui_start 120 35 --admin-subject step --admin-provisioner admin --admin-password-file "'$work/pw'"
check "with --admin-subject the console mints its own admin certificate and logs in" tui_wait "step (SUPER_ADMIN)"
quit_ms() { # quit_ms KEYS...: milliseconds from the key to the shell's EXIT line
  local start=$(date +%s%N)
  keys "$@"
  for _ in $(seq 1 500); do tui_screen | grep -q 'EXIT=' && break; sleep 0.005; done
  echo $(( ($(date +%s%N) - start) / 1000000 ))
}
took=$(quit_ms q)
check "q returns the terminal within 200 ms (took $took ms, the event stream still open)" bash -c "[ $took -lt 200 ] && $(declare -f tui_screen T); sock=$sock; tui_screen | grep -q 'EXIT=0'"
T kill-server
tui_start 120 35
tui_wait "step (SUPER_ADMIN)" >/dev/null
took=$(quit_ms C-c)
check "Ctrl-C returns the terminal within 200 ms too (took $took ms)" bash -c "[ $took -lt 200 ] && $(declare -f tui_screen T); sock=$sock; tui_screen | grep -q 'EXIT=0'"
T kill-server
finish console
