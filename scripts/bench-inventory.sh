#!/usr/bin/env bash
# Inventory at scale: loads N certificates (default 1,000,000) into a remotely managed Warden's database with
# COPY, then times search pages and detail fetches through the real HTTPS admin API (client certificate,
# keep-alive) and prints p50/p95/max per query. A benchmark, not a test: it reports figures.
#   WARDEN_TEST_DATABASE_URL=postgresql://... scripts/bench-inventory.sh [ROWS]
set -euo pipefail
rows=${1:-1000000}
# Figures come from a release build (debug Swift is several times slower on JSON and certificate checks).
if [ -z "${WARDEN_BIN:-}" ]; then
  (cd "$(dirname "$0")/.." && swift build -c release --product warden --scratch-path .build-release >/dev/null)
  export WARDEN_BIN="$(cd "$(dirname "$0")/.." && pwd)/.build-release/release/warden"
fi
source "$(dirname "$0")/lib/harness.sh"
echo "bench-pw" > "$work/pw"
WARDEN_LOG_LEVEL=warning start_ca Bench --remote-management
"$warden" certificate step "$work/admin.crt" "$work/admin.key" --provisioner admin --password-file "$work/pw" \
  --ca-url "$ca_url" --root "$root_crt" >/dev/null
"$warden" certificate sample.internal "$work/sample.crt" "$work/sample.key" --provisioner admin --password-file "$work/pw" \
  --ca-url "$ca_url" --root "$root_crt" >/dev/null
echo "loading $rows certificates with COPY..."
start=$(date +%s)
"$(dirname "$0")/lib/load-certificates.sh" "$db_url" "$rows" "$work/sample.crt"
echo "loaded in $(( $(date +%s) - start )) s; $(psql -Atc 'select count(*) from certificates' "$db_url") certificates, $(psql -Atc 'select count(*) from revocations' "$db_url") revocations"
python3 - "$port" "$root_crt" "$work/admin.crt" "$work/admin.key" <<'PY'
import http.client, json, ssl, sys, time, urllib.parse, statistics
port, root, cert, key = sys.argv[1:5]
ctx = ssl.create_default_context(cafile=root)
ctx.load_cert_chain(cert, key)
conn = http.client.HTTPSConnection("localhost", int(port), context=ctx)
def get(path):
    conn.request("GET", path)
    r = conn.getresponse()
    body = r.read()
    if r.status != 200:
        raise SystemExit(f"{path}: HTTP {r.status} {body[:200]!r}")
    return json.loads(body)
def timed(name, make_path, runs=40):
    get(make_path(0))  # warm
    samples = []
    for i in range(runs):
        t = time.perf_counter(); get(make_path(i)); samples.append((time.perf_counter() - t) * 1000)
    samples.sort()
    p50, p95 = samples[len(samples) // 2], samples[int(len(samples) * 0.95) - 1]
    verdict = "ok" if p95 < 50 else "SLOW"
    print(f"  {name:<58} p50 {p50:6.1f} ms  p95 {p95:6.1f} ms  max {samples[-1]:6.1f} ms  {verdict}")
    return p95
page = get("/admin/certificates?limit=50")
deep = page["nextCursor"]
for _ in range(20):
    deep = get("/admin/certificates?limit=50&cursor=" + deep)["nextCursor"]
sample = get("/admin/certificates?q=payments&limit=100")["items"]
serials = [i["serial"] for i in sample]
hexes = [i["serialHex"].replace(":", "").lower() for i in sample]
print("timings through HTTPS (client certificate, keep-alive), 40 runs each after one warm-up:")
results = [
    timed("search page: newest 50", lambda i: "/admin/certificates?limit=50"),
    timed("search page: q=<unique subject> (trigram)", lambda i: f"/admin/certificates?q=svc-{i * 7919 + 12345}.&limit=50"),
    timed("search page: q=payments (1/8 of rows) newest 50", lambda i: "/admin/certificates?q=payments&limit=50"),
    timed("search page: q=10.3.7 (IP prefix as written)", lambda i: f"/admin/certificates?q=10.{i % 15}.7&limit=50"),
    timed("search page: q=10.3.7. (IP prefix, whole octets)", lambda i: f"/admin/certificates?q=10.{i % 15}.7.&limit=50"),
    timed("search page: q=10.3.0.0/16 (CIDR block) newest 50", lambda i: f"/admin/certificates?q=10.{i % 15}.0.0/16&limit=50"),
    timed("search page: q=10.3.0.0/20 (4,096 matches) newest 50", lambda i: f"/admin/certificates?q=10.{i % 15}.0.0/20&limit=50"),
    timed("search page: q=10.3.0.0/19 (8,192 matches) newest 50", lambda i: f"/admin/certificates?q=10.{i % 15}.0.0/19&limit=50"),
    timed("search page: q=10. (every address) newest 50", lambda i: "/admin/certificates?q=10.&limit=50"),
    timed("search page: q=<serial decimal prefix, 8 digits>", lambda i: f"/admin/certificates?q={serials[i % len(serials)][:8]}&limit=50"),
    timed("search page: q=0x<serial hex prefix, 8 digits>", lambda i: f"/admin/certificates?q=0x{hexes[i % len(hexes)][:8]}&limit=50"),
    timed("search page: status=revoked", lambda i: "/admin/certificates?status=revoked&limit=50"),
    timed("search page: provisioner=ci sort=notAfter asc", lambda i: "/admin/certificates?provisioner=ci&sort=notAfter&order=asc&limit=50"),
    timed("search page: expiring within 7 days, active, soonest first", lambda i: "/admin/certificates?expiresBefore=2026-12-02T00:00:00Z&status=active&sort=notAfter&order=asc&limit=50"),
    timed("search page: 21st page via cursor", lambda i: "/admin/certificates?limit=50&cursor=" + deep),
    timed("detail fetch by serial", lambda i: f"/admin/certificates/{serials[i % len(serials)]}"),
    timed("revocations page", lambda i: "/admin/revocations?limit=50"),
]
print(f"inventory bench: worst p95 {max(results):.1f} ms (target < 50 ms)")
PY
