#!/usr/bin/env bash
# Faults: PostgreSQL stopped under load (fast 503s with a clear message, the process stays up, recovery on
# its own), `kill -9` during an issuance run (every certificate a client received is in the database), and a
# client that sends half a request (others are not blocked). Runs its own PostgreSQL cluster so it can stop it.
#   scripts/faults.sh
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cluster=$(mktemp -d /tmp/warden-faults-pg.XXXXXX); chmod 755 "$cluster"
pg_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
WARDEN_TEST_DATABASE_URL=$("$here/postgres-cluster.sh" start "$cluster/data" "$pg_port")
export WARDEN_TEST_DATABASE_URL
source "$here/lib/harness.sh"
trap '"$here/postgres-cluster.sh" stop "$cluster/data"; rm -rf "$cluster"; harness_cleanup' EXIT
echo "faults-pw" > "$work/pw"
start_ca Faults
C=(--ca-url "$ca_url" --root "$root_crt")
echo "Warden on :$port, PostgreSQL on :$pg_port"

# 1. PostgreSQL stops under load.
"$warden" certificate before.internal "$work/before.crt" "$work/before.key" --provisioner admin --password-file "$work/pw" "${C[@]}" >/dev/null
"$here/postgres-cluster.sh" stop "$cluster/data"
check "health says the database is unreachable (503) within 2 s" bash -c "
  start=\$(date +%s%N); code=\$(curl -s -o '$work/h.json' -w '%{http_code}' --max-time 5 --cacert '$root_crt' $ca_url/health)
  [ \$code = 503 ] && grep -q unreachable '$work/h.json' && [ \$(( (\$(date +%s%N) - start) / 1000000 )) -lt 2000 ]"
check "a renewal fails fast (< 7 s) with 503 and a message that says the database is down" bash -c "
  start=\$(date +%s%N)
  code=\$(curl -s -o '$work/renew.json' -w '%{http_code}' --max-time 10 -X POST --cacert '$root_crt' --cert '$work/before.crt' --key '$work/before.key' $ca_url/1.0/renew)
  took=\$(( (\$(date +%s%N) - start) / 1000000 ))
  [ \$code = 503 ] && [ \$took -lt 7000 ] && python3 -c 'import json,sys; m=json.load(open(sys.argv[1]))[\"message\"]; assert m.startswith(\"database\"), m' '$work/renew.json'"
check "the CLI says so in one line and exits 1" bash -c "
  set +e; out=\$('$warden' renew '$work/before.crt' '$work/before.key' ${C[*]} 2>&1); code=\$?
  [ \$code = 1 ] && [ \$(printf '%s\\n' \"\$out\" | wc -l) = 1 ] && echo \"\$out\" | grep -q '^error: database'"
check "requests under load during the outage are all 503, none hang" bash -c "
  for i in \$(seq 1 20); do curl -s -o /dev/null -w '%{http_code}\n' --max-time 8 --cacert '$root_crt' $ca_url/health & done | sort | uniq -c | tee '$work/codes'; wait
  grep -q '20 503' '$work/codes'"
check "the server process is still up" kill -0 "$server_pid"
"$here/postgres-cluster.sh" start "$cluster/data" "$pg_port" >/dev/null
check "it recovers on its own once PostgreSQL is back (< 10 s)" bash -c "
  for i in \$(seq 1 50); do curl -sf --cacert '$root_crt' $ca_url/health >/dev/null && exit 0; sleep 0.2; done; exit 1"
check "issuance works again" "$warden" renew "$work/before.crt" "$work/before.key" "${C[@]}"

# 2. kill -9 in the middle of an issuance run, while requests are in flight (smallstep's client, tokens made
# before the run so the CA is kept busy): every certificate a client received is in the database, with its token
# spent and its audit row — all three are one statement, committed before the response.
driver=$(build_step_driver)
: > "$work/received"
"$driver" bench-sign --ca "$ca_url" --root "$root_crt" --provisioner admin --password "$(cat "$work/pw")" --n 4000 --c 8 \
  --serials "$work/received" > "$work/bench.out" 2>&1 &
bench=$!
for _ in $(seq 1 600); do [ "$(wc -l < "$work/received")" -ge 100 ] && break; sleep 0.05; done
kill -9 "$server_pid"; wait "$server_pid" 2>/dev/null || true
wait $bench 2>/dev/null || true
received=$(wc -l < "$work/received" | tr -d ' ')
python3 -c 'import sys; print(",".join(l.strip() for l in open(sys.argv[1]) if l.strip()))' "$work/received" > "$work/received.csv"
stored=$(psql "$db_url" -Atc "select count(*) from certificates where serial = any('{$(cat "$work/received.csv")}'::numeric[])")
audited=$(psql "$db_url" -Atc "select count(distinct target_id) from audit_events where action = 'certificate.issue' and target_id = any(string_to_array('$(cat "$work/received.csv")', ','))")
tokens=$(psql "$db_url" -Atc "select count(*) from used_tokens")
certs=$(psql "$db_url" -Atc "select count(*) from certificates where renewed_from is null")
cut_off=$(grep -oE 'failed=[0-9]+' "$work/bench.out" | cut -d= -f2 || echo "?")
echo "  kill -9 run: clients received $received certificates (requests cut off by the kill: ${cut_off:-?}); in the database: $stored of them, $certs certificates and $tokens spent tokens in all"
check "the kill landed while requests were in flight (some received, some cut off)" bash -c "[ $received -ge 100 ] && [ $received -lt 4000 ]"
check "every certificate a client received is in the database" test "$stored" = "$received"
check "each has its audit row" test "$audited" = "$received"
check "tokens spent and certificates stored match (one statement: a token is spent only with its certificate)" test "$tokens" = "$certs"
WARDEN_LOG_LEVEL=info "$warden" serve --config "$work/ca/config/ca.json" --password-file "$work/pw" >"$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 150); do curl -sf --cacert "$root_crt" "$ca_url/health" >/dev/null && break; sleep 0.2; done

# 3. A client that sends half a request and holds the connection does not block others.
python3 - "$port" "$root_crt" > "$work/slow.out" 2>&1 <<'PY' &
import socket, ssl, sys, time
ctx = ssl.create_default_context(cafile=sys.argv[2])
conns = []
for _ in range(50):
    s = ctx.wrap_socket(socket.create_connection(("127.0.0.1", int(sys.argv[1]))), server_hostname="localhost")
    s.sendall(b"POST /1.0/sign HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 5000\r\n\r\n{\"csr\":")
    conns.append(s)
print("holding", len(conns), flush=True)
time.sleep(15)
PY
slow=$!
for _ in $(seq 1 100); do grep -q holding "$work/slow.out" && break; sleep 0.1; done
check "50 half-sent requests are being held" grep -q "holding 50" "$work/slow.out"
check "meanwhile other clients are served within 1 s each" bash -c "
  for i in \$(seq 1 10); do curl -sf --max-time 1 --cacert '$root_crt' $ca_url/roots >/dev/null || exit 1; done"
check "and can still get certificates" "$warden" certificate during-slow.internal "$work/ds.crt" "$work/ds.key" --provisioner admin --password-file "$work/pw" "${C[@]}"
kill $slow 2>/dev/null || true
finish faults
