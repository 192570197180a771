#!/usr/bin/env bash
# load-certificates.sh DATABASE_URL ROWS SAMPLE_CRT: fills a Warden database with ROWS synthetic certificates
# (subjects svc-N.<team>.internal, an IP SAN each (also in certificate_ips, as issuance writes it), five provisioners, lifetimes of a day to a year, issued over
# the last 400 days) with COPY, revokes 1 % of them, and analyses the tables. The DER of every row is
# SAMPLE_CRT's: only the indexed columns matter to inventory queries. For benchmarks, not for tests.
set -euo pipefail
db_url=$1 rows=$2 sample=$3
der_hex=$(openssl x509 -in "$sample" -outform DER | od -An -v -tx1 | tr -d ' \n')
python3 - "$rows" "$der_hex" <<'PY' | psql -q "$db_url" -c "\copy certificates (serial, subject, sans, not_before, not_after, provisioner_name, provisioner_type, key_algorithm, fingerprint_sha256, der, issued_at, search_text) FROM STDIN"
import sys, random, hashlib, datetime
n, der = int(sys.argv[1]), sys.argv[2]
random.seed(42)
teams = ["payments", "search", "identity", "storage", "edge", "billing", "ml", "ops"]
provisioners = ["admin", "k8s", "acme", "ci", "vault"]
now = datetime.datetime.now(datetime.timezone.utc)
out = sys.stdout
for i in range(n):
    serial = random.getrandbits(127) | (1 << 120)
    team = teams[i % len(teams)]
    subject = f"svc-{i}.{team}.internal"
    ip = f"10.{(i >> 16) & 255}.{(i >> 8) & 255}.{i & 255}"
    issued = now - datetime.timedelta(seconds=random.randint(0, 400 * 86400))
    not_after = issued + datetime.timedelta(hours=random.choice([24, 24 * 30, 24 * 90, 24 * 365]))
    fp = hashlib.sha256(str(serial).encode()).hexdigest()
    out.write(f"{serial}\t{subject}\t{{{subject},{ip}}}\t{issued.isoformat()}\t{not_after.isoformat()}\t"
              f"{provisioners[i % 5]}\tJWK\tECDSA P-256\t{fp}\t\\\\x{der}\t{issued.isoformat()}\t{subject} {ip}\n")
PY
psql -q "$db_url" -c "INSERT INTO revocations (serial, reason_code, reason, revoked_at, revoked_by, method, provisioner_name, not_after)
  SELECT serial, 1, 'bench', issued_at + interval '1 hour', 'bench', 'admin', provisioner_name, not_after
  FROM certificates TABLESAMPLE SYSTEM (1) WHERE subject LIKE 'svc-%' LIMIT $((rows / 100))" \
  -c "UPDATE certificates c SET revoked_at = r.revoked_at FROM revocations r WHERE r.serial = c.serial" \
  -c "INSERT INTO certificate_ips (ip, serial, issued_at, not_after) SELECT sans[2]::inet, serial, issued_at, not_after FROM certificates WHERE subject LIKE 'svc-%'" \
  -c "VACUUM ANALYZE"
