#!/usr/bin/env bash
# The README's demo command, end to end: it starts a CA with remote management and an admin context, the
# commands it prints work as printed (warden, and warden-console in tmux), and SIGTERM to the script — not to its
# process group — stops both the CA and its database.
#   scripts/demo-e2e.sh
set -euo pipefail
source "$(dirname "$0")/lib/harness.sh"
demo=$(mktemp -d /tmp/warden-demo-e2e.XXXXXX)   # outside $work: PostgreSQL's own user must reach it
chmod 755 "$demo"
demo_port=$(free_port); pg_port=$(free_port)
WARDEN_DEMO_PORT=$demo_port WARDEN_DEMO_PG_PORT=$pg_port setsid "$root/scripts/demo.sh" "$demo" >"$work/demo.out" 2>&1 &
demo_pid=$!
trap 'kill -TERM $demo_pid 2>/dev/null || true; tmux -L "warden-demo-$$" kill-server 2>/dev/null || true; sleep 1; rm -rf "$demo"; harness_cleanup' EXIT
for _ in $(seq 1 900); do grep -q "Stop with Ctrl-C" "$work/demo.out" && break; kill -0 "$demo_pid" 2>/dev/null || break; sleep 0.2; done
check "the demo starts and prints its commands" bash -c "grep -q 'Stop with Ctrl-C' '$work/demo.out' || { cat '$work/demo.out'; exit 1; }"
env_line=$(grep -E '^  export WARDEN_HOME=' "$work/demo.out" | sed 's/^  //')
check "the printed environment line is there" test -n "$env_line"
run() { bash -c "$env_line; $*"; }
check "remote management is on and the printed context logs in as the super admin" bash -c "$env_line; warden whoami | grep -q '^step  *SUPER_ADMIN'"
check "warden provisioner list works as printed" bash -c "$env_line; warden provisioner list | grep -q '^admin  *JWK'"
check "warden certificate works as printed" bash -c "cd '$work' && $env_line; $(grep -E '^  warden certificate ' "$work/demo.out" | sed 's/^  //')"
check "warden certs list lists it" bash -c "$env_line; warden certs list | grep -q svc.internal"
sock="warden-demo-$$"
tmux -L "$sock" -f /dev/null new-session -d -x 120 -y 35 -s ui "$env_line; LANG=C.UTF-8 TERM=tmux-256color warden-console; echo EXIT=\$?; sleep 30"
check "warden-console logs in as printed" bash -c "for i in \$(seq 1 100); do tmux -L '$sock' capture-pane -p -t ui | grep -q 'step (SUPER_ADMIN)' && exit 0; sleep 0.1; done; tmux -L '$sock' capture-pane -p -t ui; exit 1"
tmux -L "$sock" send-keys -t ui q; tmux -L "$sock" kill-server 2>/dev/null || true
kill -TERM "$demo_pid"
for _ in $(seq 1 100); do kill -0 "$demo_pid" 2>/dev/null || break; sleep 0.1; done
check "SIGTERM to the demo script ends it" bash -c "! kill -0 $demo_pid 2>/dev/null"
check "  … the CA no longer serves" bash -c "! curl -s --max-time 2 --cacert '$demo/ca/certs/root_ca.crt' https://localhost:$demo_port/health >/dev/null"
check "  … and its database is stopped" bash -c "! pg_isready -h 127.0.0.1 -p $pg_port -q 2>/dev/null && ! ss -ltn | grep -q ':$pg_port '"
finish demo
