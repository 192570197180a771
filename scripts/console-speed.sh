#!/usr/bin/env bash
# How fast warden-console feels over a large inventory: loads N certificates (default 100,000) into a real
# remotely managed Warden, starts the real console in tmux and times, from outside, what an operator waits for:
#   launch → the first page of Certificates on screen (target < 1 s)
#   a keypress (j) → the changed screen, 40 times (target < 50 ms)
#   End → the next page fetched on demand and shown; a server-side search → its result
# Each time includes tmux's own capture round trip (~2–5 ms), so it slightly overstates the console's latency.
# A measurement, not a test: it prints figures and verdicts.
#   WARDEN_TEST_DATABASE_URL=postgresql://... scripts/console-speed.sh [ROWS]
set -euo pipefail
rows=${1:-100000}
source "$(dirname "$0")/lib/harness.sh"
console="$(dirname "$warden")/warden-console"
echo "speed-pw" > "$work/pw"
WARDEN_LOG_LEVEL=warning start_ca Speed --remote-management --context speed
"$warden" certificate step "$work/admin.crt" "$work/admin.key" --provisioner admin --password-file "$work/pw" >/dev/null
"$warden" context set speed --admin-cert "$work/admin.crt" --admin-key "$work/admin.key" >/dev/null
"$warden" certificate sample.internal "$work/sample.crt" "$work/sample.key" --provisioner admin --password-file "$work/pw" >/dev/null
echo "loading $rows certificates..."
"$(dirname "$0")/lib/load-certificates.sh" "$db_url" "$rows" "$work/sample.crt"

sock="warden-speed-$$"
T() { tmux -L "$sock" "$@"; }
trap 'T kill-server 2>/dev/null || true; harness_cleanup' EXIT
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
wait_for() { # wait_for GREP-PATTERN: until the screen matches (gives up after 10 s)
  for _ in $(seq 1 5000); do T capture-pane -p -t ui | grep -q -- "$1" && return 0; done
  echo "screen never matched $1"; T capture-pane -p -t ui; exit 1
}
wait_change() { # wait_change BEFORE: until the screen differs from BEFORE
  for _ in $(seq 1 5000); do [ "$(T capture-pane -p -t ui)" != "$1" ] && return 0; done
  echo "screen did not change"; exit 1
}
report() { # report NAME TARGET-MS SAMPLES...
  local name=$1 target=$2; shift 2
  printf '%s\n' "$@" | sort -n | awk -v name="$name" -v target="$target" '{ v[NR] = $1 } END {
    p50 = v[int((NR + 1) / 2)]; p95 = v[int(NR * 0.95) > 0 ? int(NR * 0.95) : 1]; max = v[NR]
    printf "  %-44s p50 %5d ms  p95 %5d ms  max %5d ms  (n=%d, target < %d ms) %s\n", name, p50, p95, max, NR, target, (max < target ? "ok" : "SLOW") }'
}

T -f /dev/null new-session -d -x 160 -y 45 -s ui "sleep 600"
T set -g status off
launches=()
for run in 1 2 3; do
  start=$(now_ms)
  T respawn-pane -k -t ui "env WARDEN_HOME='$WARDEN_HOME' LANG=C.UTF-8 TERM=tmux-256color '$console' --view certs"
  wait_for '^> .*\.internal'
  launches+=($(( $(now_ms) - start )))
  [ "$run" = 3 ] || { T send-keys -t ui q; sleep 0.5; }
done
report "launch → first Certificates page" 1000 "${launches[@]}"

keys=()
for _ in $(seq 1 40); do
  before=$(T capture-pane -p -t ui); start=$(now_ms)
  T send-keys -t ui j
  wait_change "$before"
  keys+=($(( $(now_ms) - start )))
done
report "keypress j → screen changed" 50 "${keys[@]}"

pages=()
for _ in 1 2 3 4 5; do
  count=$(T capture-pane -p -t ui | grep -o '[0-9]*+ certificates' | tr -dc 0-9)
  start=$(now_ms)
  T send-keys -t ui G
  wait_for "$((count + 100))+\? certificates"
  pages+=($(( $(now_ms) - start )))
done
report "End → next 100 loaded on demand and shown" 1000 "${pages[@]}"

searches=()
for n in 4242 31337 77777 12 99999; do
  T send-keys -t ui / ; T send-keys -t ui -l "svc-$n."; start=$(now_ms); T send-keys -t ui Enter
  wait_for "^> .*svc-$n\."
  searches+=($(( $(now_ms) - start )))
  T send-keys -t ui Escape
done
report "server-side search → result shown" 1000 "${searches[@]}"
echo "console speed over $(psql -Atc 'select count(*) from certificates' "$db_url") certificates (debug build unless WARDEN_BIN says otherwise)"
