#!/usr/bin/env bash
# Warden against the reference step-ca 0.19 (interop/reference-ca, built from Debian's packages by
# interop/build.sh), both on loopback in the same run, both driven by smallstep's own client code
# (interop/step-driver: `bench-sign`, `bench-admin`). Prints Warden/step-ca ratios for
# throughput, p50 and p99, and idle and peak RSS. Warden runs a release build on a durable PostgreSQL cluster
# (fsync on): every certificate it reports as issued is committed. A benchmark, not a test.
# Each measurement runs ROUNDS times (default 3), alternating step-ca and Warden, and the medians are compared:
# a single 1–2 s run on a shared 2-core machine swings by ±10 %.
#   scripts/bench.sh [N] [CONCURRENCY] [ROUNDS]        (defaults 2000, 16 and 3)
set -euo pipefail
n=${1:-2000}; c=${2:-16}; rounds=${3:-3}
here=$(cd "$(dirname "$0")" && pwd); top=$(cd "$here/.." && pwd)
echo "building Warden (release)..."
(cd "$top" && swift build -c release --product warden --scratch-path .build-release >/dev/null)
export WARDEN_BIN="$top/.build-release/release/warden"
cluster=$(mktemp -d /tmp/warden-bench-pg.XXXXXX); chmod 755 "$cluster"
pg_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
WARDEN_TEST_DATABASE_URL=$("$here/postgres-cluster.sh" start "$cluster/data" "$pg_port")   # durable defaults
export WARDEN_TEST_DATABASE_URL
source "$here/lib/harness.sh"
step_pid=
trap 'if [ -n "$step_pid" ]; then kill $step_pid 2>/dev/null || true; fi; "$here/postgres-cluster.sh" stop "$cluster/data"; rm -rf "$cluster"; harness_cleanup' EXIT
driver=$(build_step_driver); step_ca="$(dirname "$driver")/reference-ca"
pw=bench-pw; echo "$pw" > "$work/pw"

# Reference step-ca with remote management (badger database), first start creates "Admin JWK" and super admin "step".
step_port=$(free_port); stepdir="$work/step"
STEPPATH="$stepdir" "$driver" init --dir "$stepdir" --address "127.0.0.1:$step_port" --password "$pw" >"$work/step-init.log" 2>&1 ||
  { cat "$work/step-init.log"; exit 1; }
STEPPATH="$stepdir" "$step_ca" "$stepdir/config/ca.json" >"$work/step-ca.log" 2>&1 &
step_pid=$!
for _ in $(seq 1 150); do curl -sf --cacert "$stepdir/certs/root_ca.crt" "https://localhost:$step_port/health" >/dev/null && break; sleep 0.2; done

# Warden with remote management; the JWK provisioner has step's default name.
WARDEN_LOG_LEVEL=warning start_ca Bench --remote-management --provisioner admin-jwk
sleep 2
rss() { awk '/^VmRSS/ {print $2}' /proc/$1/status; }
hwm() { awk '/^VmHWM/ {print $2}' /proc/$1/status; }
dirty() { awk '/^Private_Dirty/ {print $2}' /proc/$1/smaps_rollup; }  # written memory: heap, stacks, relocated data
idle_warden=$(rss "$server_pid"); idle_step=$(rss "$step_pid")
dirty_warden=$(dirty "$server_pid"); dirty_step=$(dirty "$step_pid")

run() { # run NAME ROUND URL ROOT PROVISIONER ADMINPROV
  local name=$1 round=$2 url=$3 root=$4 prov=$5 adminprov=$6
  local C=(--ca "$url" --root "$root")
  "$driver" sign "${C[@]}" --provisioner "$adminprov" --password "$pw" --subject step --out "$work/$name-admin" >/dev/null
  "$driver" bench-sign "${C[@]}" --provisioner "$prov" --password "$pw" --n "$n" --c "$c" > "$work/$name-sign.$round" 2>&1 ||
    { cat "$work/$name-sign.$round"; exit 1; }
  "$driver" bench-admin "${C[@]}" --admin-cert "$work/$name-admin.crt" --admin-key "$work/$name-admin.key" --n "$n" --c "$c" \
    > "$work/$name-admin.$round" 2>&1 || { cat "$work/$name-admin.$round"; exit 1; }
}
echo "step-ca 0.19 on :$step_port, Warden on :$port; n=$n c=$c, $rounds rounds (medians)"
# step-ca 0.19 in admin mode serves only the provisioners in its database: "Admin JWK" (created at first start).
for round in $(seq 1 "$rounds"); do
  run step "$round" "https://localhost:$step_port" "$stepdir/certs/root_ca.crt" "Admin JWK" "Admin JWK"
  run warden "$round" "$ca_url" "$root_crt" admin-jwk admin-jwk
done
peak_warden=$(hwm "$server_pid"); peak_step=$(hwm "$step_pid")
persisted=$(psql "$db_url" -Atc "select count(*) from certificates where subject like 'svc-%.internal'")
python3 - "$work" "$idle_warden" "$idle_step" "$peak_warden" "$peak_step" "$persisted" "$((n * rounds))" "$rounds" "$dirty_warden" "$dirty_step" <<'PY'
import re, sys, statistics
work, iw, istep, pw_, pstep, persisted, n, rounds, dw, dstep = sys.argv[1:11]
def parse_one(path):
    text = open(path).read()
    m = dict(re.findall(r"(\w+)=([0-9.]+)", text))
    if "rate" not in m: raise SystemExit(f"{path}: {text}")
    return {k: float(v) for k, v in m.items()}
def parse(prefix):
    runs = [parse_one(f"{prefix}.{r}") for r in range(1, int(rounds) + 1)]
    return {k: statistics.median(run[k] for run in runs) for k in runs[0]}
rows = []
for kind in ("sign", "admin"):
    w, s = parse(f"{work}/warden-{kind}"), parse(f"{work}/step-{kind}")
    per_round = [parse_one(f"{work}/warden-{kind}.{r}")["rate"] / parse_one(f"{work}/step-{kind}.{r}")["rate"] for r in range(1, int(rounds) + 1)]
    label = "issuance (/1.0/sign)" if kind == "sign" else "admin list (GET /admin/provisioners)"
    print(f"{label}:")
    print(f"  step-ca : {s['rate']:8.1f}/s  p50 {s['p50']:7.2f} ms  p99 {s['p99']:7.2f} ms  failed {int(s['failed'])}")
    print(f"  Warden  : {w['rate']:8.1f}/s  p50 {w['p50']:7.2f} ms  p99 {w['p99']:7.2f} ms  failed {int(w['failed'])}")
    print(f"  ratio warden/step-ca: throughput {w['rate']/s['rate']:.2f}x  p50 {w['p50']/s['p50']:.2f}  p99 {w['p99']/s['p99']:.2f}"
          f"   (per-round throughput ratios: {', '.join(f'{r:.2f}' for r in per_round)})")
print(f"RSS: idle Warden {int(iw)//1024} MiB vs step-ca {int(istep)//1024} MiB (ratio {int(iw)/int(istep):.2f}); "
      f"peak Warden {int(pw_)//1024} MiB vs step-ca {int(pstep)//1024} MiB (ratio {int(pw_)/int(pstep):.2f})")
print(f"     of the idle RSS, private dirty memory (heap, stacks, written data): Warden {int(dw)/1024:.1f} MiB vs step-ca "
      f"{int(dstep)/1024:.1f} MiB (ratio {int(dw)/max(1, int(dstep)):.2f}); the rest is clean pages of binaries and shared libraries")
print(f"Warden certificates persisted in PostgreSQL from the issuance run: {persisted} of {n}")
PY

# Admin API pages with 10,000 provisioners and 1,000 admins (Warden only; loaded with SQL).
psql -q "$db_url" <<'SQL'
INSERT INTO provisioners (id, name, type, details, claims, created_at, updated_at)
SELECT gen_random_uuid(), 'bulk-' || g, 'ACME', '{"challenges":["HTTP_01"]}'::jsonb, NULL, now(), now() FROM generate_series(1, 10000) g;
INSERT INTO admins (id, subject, provisioner_id, role, created_at, updated_at)
SELECT gen_random_uuid(), 'admin-' || g || '@example.com', (SELECT id FROM provisioners WHERE name = 'admin-jwk'), 'ADMIN', now(), now()
FROM generate_series(1, 1000) g;
ANALYZE;
SQL
python3 - "$port" "$root_crt" "$work/warden-admin.crt" "$work/warden-admin.key" <<'PY'
import http.client, ssl, sys, time
port, root, cert, key = sys.argv[1:5]
ctx = ssl.create_default_context(cafile=root); ctx.load_cert_chain(cert, key)
conn = http.client.HTTPSConnection("localhost", int(port), context=ctx)
def timed(path, runs=20):
    samples = []
    for _ in range(runs + 1):
        t = time.perf_counter(); conn.request("GET", path); r = conn.getresponse(); r.read()
        assert r.status == 200, (path, r.status)
        samples.append((time.perf_counter() - t) * 1000)
    samples = sorted(samples[1:])
    print(f"  {path:<45} p50 {samples[len(samples)//2]:7.1f} ms  max {samples[-1]:7.1f} ms")
print("admin pages with 10,000 provisioners and 1,000 admins (Warden, mTLS, keep-alive):")
timed("/admin/provisioners?limit=100")
timed("/admin/provisioners?form=linkedca&limit=100")
timed("/admin/provisioners?form=linkedca&limit=100&cursor=9900")
timed("/admin/admins?limit=100")
timed("/provisioners?limit=100")
timed("/admin/provisioners/bulk-5000")
PY
