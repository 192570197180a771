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
check "issuance fails fast (< 7 s) with 503 and a clear message" bash -c "
  start=\$(date +%s); out=\$('$warden' renew '$work/before.crt' '$work/before.key' ${C[*]} 2>&1); code=\$?
  [ \$code = 1 ] && echo \"\$out\" | grep -q 'database' && [ \$(( \$(date +%s) - start )) -lt 7 ]"
check "requests under load during the outage are all 503, none hang" bash -c "
  for i in \$(seq 1 20); do curl -s -o /dev/null -w '%{http_code}\n' --max-time 8 --cacert '$root_crt' $ca_url/health & done | sort | uniq -c | tee '$work/codes'; wait
  grep -q '20 503' '$work/codes'"
check "the server process is still up" kill -0 "$server_pid"
"$here/postgres-cluster.sh" start "$cluster/data" "$pg_port" >/dev/null
check "it recovers on its own once PostgreSQL is back (< 10 s)" bash -c "
  for i in \$(seq 1 50); do curl -sf --cacert '$root_crt' $ca_url/health >/dev/null && exit 0; sleep 0.2; done; exit 1"
check "issuance works again" "$warden" renew "$work/before.crt" "$work/before.key" "${C[@]}"

# 2. kill -9 in the middle of an issuance run: what a client got must be in the database.
mkdir -p "$work/issued"
for worker in 1 2 3 4; do
  ( for i in $(seq 1 200); do
      "$warden" certificate "w$worker-$i.internal" "$work/issued/w$worker-$i.crt" "$work/issued/w$worker-$i.key" \
        --provisioner admin --password-file "$work/pw" "${C[@]}" >/dev/null 2>&1 || true
    done ) &
done
sleep 4
kill -9 "$server_pid"; wait "$server_pid" 2>/dev/null || true
sleep 1; kill $(jobs -p) 2>/dev/null || true; wait 2>/dev/null || true
received=0; missing=0
for crt in "$work"/issued/*.crt; do
  [ -s "$crt" ] || continue
  received=$((received + 1))
  serial=$(openssl x509 -in "$crt" -noout -serial | cut -d= -f2 | python3 -c 'import sys; print(int(sys.stdin.read().strip(),16))')
  [ "$(psql "$db_url" -Atc "select count(*) from certificates where serial = $serial")" = 1 ] || missing=$((missing + 1))
done
echo "  kill -9 run: clients received $received certificates; missing from the database: $missing"
check "some certificates were issued before the kill" test "$received" -gt 0
check "every certificate a client received is in the database" test "$missing" = 0
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
