#!/usr/bin/env bash
# What templates cost, against step-ca 0.19 in the same run: both CAs in ca.json mode (scripts/lib/peer-cas.sh),
# issuance throughput with step's default leaf template and with a heavy template (Tests/TemplateBench/heavy.tpl:
# 20-name loop, regular expressions, dictionaries, JSON round trips), each measured by smallstep's client code
# (step-driver bench-sign) in alternating rounds; medians, ratios Warden/step-ca, and the heavy template's cost per
# certificate derived from the throughputs on this 2-core machine. Not part of the test command.
#   WARDEN_TEST_DATABASE_URL=postgresql://... scripts/bench-templates.sh [N] [CONCURRENCY] [ROUNDS]
set -euo pipefail
source "$(dirname "$0")/lib/harness.sh"
WARDEN_LOG_LEVEL=warning
source "$(dirname "$0")/lib/peer-cas.sh"
n=${1:-1000}; c=${2:-8}; rounds=${3:-3}
peer_start
echo "step-ca 0.19 on :$step_port, Warden on :$port; n=$n c=$c, $rounds rounds (medians)"
for round in $(seq 1 "$rounds"); do
  for template in none "$root/Tests/TemplateBench/heavy.tpl"; do
    label=$([ "$template" = none ] && echo default || echo heavy)
    peer_use "$template"
    "$driver" bench-sign --ca "https://localhost:$step_port" --root "$step_root" --provisioner admin --password "$pw" --n "$n" --c "$c" \
      > "$work/step-$label.$round" 2>&1 || { cat "$work/step-$label.$round"; exit 1; }
    "$driver" bench-sign --ca "https://localhost:$port" --root "$root_crt" --provisioner admin --password "$pw" --n "$n" --c "$c" \
      > "$work/warden-$label.$round" 2>&1 || { cat "$work/warden-$label.$round"; exit 1; }
  done
done
python3 - "$work" "$rounds" <<'PY'
import re, statistics, sys
work, rounds = sys.argv[1], int(sys.argv[2])
def median(name, key):
    values = []
    for r in range(1, rounds + 1):
        text = open(f"{work}/{name}.{r}").read()
        fields = dict(re.findall(r"(\w+)=([0-9.]+)", text))
        if "rate" not in fields: raise SystemExit(f"{name}.{r}: {text}")
        if float(fields.get("failed", 0)) > 0: raise SystemExit(f"{name}.{r}: failures: {text}")
        values.append(float(fields[key]))
    return statistics.median(values)
rates = {}
for label in ("default", "heavy"):
    s, w = median(f"step-{label}", "rate"), median(f"warden-{label}", "rate")
    rates[label] = (s, w)
    print(f"{label:8} template: step-ca {s:7.1f}/s p99 {median(f'step-{label}', 'p99'):6.2f} ms   Warden {w:7.1f}/s p99 "
          f"{median(f'warden-{label}', 'p99'):6.2f} ms   ratio Warden/step-ca {w / s:.2f}x")
for who, index in (("step-ca", 0), ("Warden", 1)):
    default, heavy = rates["default"][index], rates["heavy"][index]
    print(f"{who}: the heavy template costs {2000 * (1 / heavy - 1 / default):.2f} ms of CPU per certificate "
          f"(2 cores; throughput {heavy / default:.2f}x of the default's)")
PY
