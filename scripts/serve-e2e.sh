#!/usr/bin/env bash
# `warden serve` as the README promises it, from outside: SIGHUP reloads ca.json (a new default lifetime applies
# to the next certificate), SIGTERM drains (a request in flight completes, then the process exits 0), TLS below
# 1.2 is refused, every response carries an X-Request-Id that the log line shares, /metrics counts what
# happened, and the server's own certificate is renewed at two thirds of its life without dropping the listener.
#   WARDEN_TEST_DATABASE_URL=postgresql://... scripts/serve-e2e.sh
set -euo pipefail
source "$(dirname "$0")/lib/harness.sh"
echo "serve-pw" > "$work/pw"
port=$(free_port); metrics_port=$(free_port)
db_url=$(fresh_database_url serve)
"$warden" init --dir "$work/ca" --name Serve --dns localhost --dns 127.0.0.1 --address "127.0.0.1:$port" --password-file "$work/pw" \
  --database-url "$db_url" --no-context >/dev/null
root_crt="$work/ca/certs/root_ca.crt"; ca_url="https://localhost:$port"; export root_crt
serve() {
  WARDEN_LOG_LEVEL=info "$warden" serve --config "$work/ca/config/ca.json" --password-file "$work/pw" --server-cert-validity 9s \
    --metrics-address "127.0.0.1:$metrics_port" >>"$work/server.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 150); do curl -sf --cacert "$root_crt" "$ca_url/health" >/dev/null && return 0; sleep 0.2; done
  echo "server did not start"; tail -20 "$work/server.log"; exit 1
}
serve
C=(--ca-url "$ca_url" --root "$root_crt")
lifetime() { python3 -c 'import sys; from datetime import datetime as d; f="%b %d %H:%M:%S %Y %Z"; a=d.strptime(sys.argv[1].split("=",1)[1], f); b=d.strptime(sys.argv[2].split("=",1)[1], f); print(int((b-a).total_seconds()))' "$(openssl x509 -in "$1" -noout -startdate)" "$(openssl x509 -in "$1" -noout -enddate)"; }
echo "warden serve on :$port (metrics :$metrics_port)"

# SIGHUP: change the authority's default lifetime in ca.json, reload, and the next certificate has it.
"$warden" certificate before.internal "$work/before.crt" "$work/before.key" --provisioner admin --password-file "$work/pw" "${C[@]}" >/dev/null
check "before the reload a certificate lasts the 24 h default" test "$(lifetime "$work/before.crt")" = 86460
python3 - "$work/ca/config/ca.json" <<'PY'
import json, sys
config = json.load(open(sys.argv[1]))
config["authority"]["claims"] = {"defaultTLSCertDuration": "3h"}
json.dump(config, open(sys.argv[1], "w"), indent=2)
PY
kill -HUP "$server_pid"
for _ in $(seq 1 50); do grep -q "configuration reloaded" "$work/server.log" && break; sleep 0.1; done
"$warden" certificate after.internal "$work/after.crt" "$work/after.key" --provisioner admin --password-file "$work/pw" "${C[@]}" >/dev/null
check "after SIGHUP the next certificate has the new 3 h default" test "$(lifetime "$work/after.crt")" = 10860
check "the process did not restart (same pid, still serving)" kill -0 "$server_pid"
python3 - "$work/ca/config/ca.json" <<'PY'
import json, sys
config = json.load(open(sys.argv[1]))
config["authority"]["enableAdmin"] = True
json.dump(config, open(sys.argv[1], "w"), indent=2)
PY
kill -HUP "$server_pid"
for _ in $(seq 1 50); do grep -q "restart warden serve to turn remote management on" "$work/server.log" && break; sleep 0.1; done
check "turning enableAdmin on by SIGHUP says a restart is needed" grep -q "restart warden serve to turn remote management on" "$work/server.log"
check "  … and the admin API stays off until then (501)" test "$(http_status GET "$ca_url/admin/admins")" = 501

# TLS versions.
# (SECLEVEL=0 lets the client really offer TLS 1.0/1.1, so the refusal — alert 70 — comes from the server.)
check "TLS 1.0 is refused by the server (protocol version alert)" bash -c "
  openssl s_client -connect 127.0.0.1:$port -tls1 -cipher 'DEFAULT:@SECLEVEL=0' </dev/null 2>&1 | grep -q 'alert protocol version'"
check "TLS 1.1 is refused by the server (protocol version alert)" bash -c "
  openssl s_client -connect 127.0.0.1:$port -tls1_1 -cipher 'DEFAULT:@SECLEVEL=0' </dev/null 2>&1 | grep -q 'alert protocol version'"
check "TLS 1.2 is served" bash -c "openssl s_client -connect 127.0.0.1:$port -tls1_2 -servername localhost -CAfile '$root_crt' </dev/null 2>/dev/null | grep -q 'Verify return code: 0 (ok)'"
check "TLS 1.3 is served" bash -c "openssl s_client -connect 127.0.0.1:$port -tls1_3 -servername localhost -CAfile '$root_crt' </dev/null 2>/dev/null | grep -q 'Verify return code: 0 (ok)'"

# X-Request-Id on success and on error, different per request, and the same id in the log line of the refusal.
curl -s -D "$work/h1" -o /dev/null --cacert "$root_crt" "$ca_url/version"
curl -s -D "$work/h2" -o /dev/null --cacert "$root_crt" -X POST -H 'Content-Type: application/json' --data '{"csr":"x","ott":"y"}' "$ca_url/1.0/sign"
id1=$(grep -i '^x-request-id:' "$work/h1" | tr -d '\r' | awk '{print $2}'); id2=$(grep -i '^x-request-id:' "$work/h2" | tr -d '\r' | awk '{print $2}')
check "X-Request-Id on a success and on an error, different" bash -c "[ -n '$id1' ] && [ -n '$id2' ] && [ '$id1' != '$id2' ]"
check "the refusal's log line carries the same request id" grep -q "hb.request.id=$id2.*request rejected" "$work/server.log"

# /metrics on the plain-HTTP metrics listener.
curl -sf "http://127.0.0.1:$metrics_port/metrics" > "$work/metrics.txt"
check "metrics: two certificates issued" grep -qE '^warden_certificates_issued_total 2$' "$work/metrics.txt"
check "metrics: the 201s of /sign are counted by route and status" grep -qE '^warden_http_requests_total\{.*route="/1.0/sign".*status="201".*\} 2$|^warden_http_requests_total\{.*status="201".*route="/1.0/sign".*\} 2$|warden_http_requests_total\{[^}]*"/1.0/sign"[^}]*"201"[^}]*\} 2' "$work/metrics.txt"
check "metrics: the 400 of the bad /sign is counted" grep -qE 'warden_http_requests_total\{[^}]*400[^}]*\} [1-9]' "$work/metrics.txt"
check "metrics: issuance duration histogram" grep -qE '^warden_issuance_duration_seconds_count 2$' "$work/metrics.txt"
check "metrics: database operations in flight" grep -qE '^warden_database_operations_in_flight [0-9]+' "$work/metrics.txt"

# The server certificate (9 s here) is renewed at two thirds of its life; the listener never drops.
serial() { openssl s_client -connect "127.0.0.1:$port" -servername localhost -CAfile "$root_crt" </dev/null 2>/dev/null | openssl x509 -noout -serial; }
first=$(serial)
failures=0
for _ in $(seq 1 40); do curl -sf --max-time 2 --cacert "$root_crt" "$ca_url/health" >/dev/null || failures=$((failures + 1)); sleep 0.2; done
second=$(serial)
check "the server certificate was renewed (a new serial within 8 s)" bash -c "[ -n '$first' ] && [ -n '$second' ] && [ '$first' != '$second' ]"
check "no request failed meanwhile (40 health checks over 8 s)" test "$failures" = 0
check "the renewal was logged" grep -q "server certificate renewed" "$work/server.log"

# SIGTERM drains: a request in flight completes, new connections are refused, the process exits 0.
python3 - "$port" "$root_crt" > "$work/inflight.out" 2>&1 <<'PY' &
import json, socket, ssl, sys, time
ctx = ssl.create_default_context(cafile=sys.argv[2])
s = ctx.wrap_socket(socket.create_connection(("127.0.0.1", int(sys.argv[1]))), server_hostname="localhost")
body = b'{"csr":"x","ott":"y"}'
s.sendall(b"POST /1.0/sign HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n" % len(body) + body[:5])
print("sent half", flush=True)
time.sleep(1.5)                      # SIGTERM arrives meanwhile
s.sendall(body[5:])
response = s.recv(65536).decode(errors="replace")
print(response.split("\r\n")[0], flush=True)
PY
inflight=$!
for _ in $(seq 1 50); do grep -q "sent half" "$work/inflight.out" && break; sleep 0.1; done
sleep 0.3   # let the server read the request head: a connection whose head it has not read yet is idle, not in flight
kill -TERM "$server_pid"
sleep 0.5
check "after SIGTERM new connections are refused" bash -c "! curl -s --max-time 2 --cacert '$root_crt' $ca_url/health >/dev/null"
wait "$inflight" || true
check "the request in flight was answered (here: its 400)" grep -q "HTTP/1.1 400" "$work/inflight.out"
set +e; wait "$server_pid"; code=$?; set -e
server_pid=
check "the process exited 0 after draining" test "$code" = 0
finish serve
